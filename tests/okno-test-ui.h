/* okno-test-ui.h
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

void       okno_test_iterate_until   (gboolean (*done) (gpointer),
                                      gpointer   data,
                                      guint      timeout_ms);
gboolean   okno_test_is_shown        (gpointer   widget);
GtkWidget *okno_test_find_toplevel   (GType      type);
GtkWindow *okno_test_activate        (GtkApplication *app);
void       okno_test_collect         (GtkWidget *widget,
                                      GType      type,
                                      GPtrArray *out);
void       okno_test_save_screenshot (GtkWidget  *widget,
                                      const char *name);

char      *okno_test_ui_profile      (const char *settings);

G_END_DECLS
