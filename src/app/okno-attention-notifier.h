/* okno-attention-notifier.h
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "okno-attention.h"

G_BEGIN_DECLS

#define OKNO_TYPE_ATTENTION_NOTIFIER (okno_attention_notifier_get_type ())
G_DECLARE_FINAL_TYPE (OknoAttentionNotifier, okno_attention_notifier, OKNO, ATTENTION_NOTIFIER, GObject)

OknoAttentionNotifier *okno_attention_notifier_new (GApplication  *application,
                                                    OknoAttention *attention);

G_END_DECLS
