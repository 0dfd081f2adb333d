/* okno-attention-button.h
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "okno-attention.h"

G_BEGIN_DECLS

#define OKNO_TYPE_ATTENTION_BUTTON (okno_attention_button_get_type ())
G_DECLARE_FINAL_TYPE (OknoAttentionButton, okno_attention_button, OKNO, ATTENTION_BUTTON, GtkWidget)

GtkWidget *okno_attention_button_new      (OknoAttention       *attention);
GtkWidget *okno_attention_button_get_list (OknoAttentionButton *self);

G_END_DECLS
