/* okno-window.h
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "okno-application.h"

G_BEGIN_DECLS

#define OKNO_TYPE_WINDOW (okno_window_get_type ())
G_DECLARE_FINAL_TYPE (OknoWindow, okno_window, OKNO, WINDOW, AdwApplicationWindow)

OknoWindow *okno_window_new           (OknoApplication *application);
GDateTime  *okno_window_get_week      (OknoWindow      *self);
void        okno_window_set_week      (OknoWindow      *self,
                                       GDateTime       *day);
GtkWidget  *okno_window_get_grid      (OknoWindow      *self);

G_END_DECLS
