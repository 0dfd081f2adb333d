/* okno-preferences-window.h
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define OKNO_TYPE_PREFERENCES_WINDOW (okno_preferences_window_get_type ())
G_DECLARE_FINAL_TYPE (OknoPreferencesWindow, okno_preferences_window, OKNO, PREFERENCES_WINDOW, AdwPreferencesWindow)

OknoPreferencesWindow *okno_preferences_window_new             (GSettings             *settings);
void                   okno_preferences_window_set_served_port (OknoPreferencesWindow *self,
                                                                guint                  port);
GtkWidget             *okno_preferences_window_get_zone_row    (OknoPreferencesWindow *self);
char                  *okno_preferences_parse_sites            (const char            *text);

G_END_DECLS
