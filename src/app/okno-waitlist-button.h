/* okno-waitlist-button.h
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "okno-waitlist.h"

G_BEGIN_DECLS

#define OKNO_TYPE_WAITLIST_BUTTON (okno_waitlist_button_get_type ())
G_DECLARE_FINAL_TYPE (OknoWaitlistButton, okno_waitlist_button, OKNO, WAITLIST_BUTTON, GtkWidget)

GtkWidget *okno_waitlist_button_new      (OknoWaitlist       *waitlist);
GtkWidget *okno_waitlist_button_get_list (OknoWaitlistButton *self);

G_END_DECLS
