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
void       okno_test_wait_frame      (GtkWidget *widget);
GtkWidget *okno_test_find_toplevel   (GType      type);
GtkWindow *okno_test_activate        (GtkApplication *app);
void       okno_test_collect         (GtkWidget *widget,
                                      GType      type,
                                      GPtrArray *out);
void       okno_test_save_screenshot (GtkWidget  *widget,
                                      const char *name);
void       okno_test_destroy_window  (GtkWindow  *window);
void       okno_test_assert_finalized (gpointer   object);
typedef void (*OknoTestAppFunc) (GtkApplication *application,
                                 gpointer        data);
void       okno_test_run_app         (gpointer        application,
                                      OknoTestAppFunc func,
                                      gpointer        data);

const char *okno_test_ui_profile     (const char *settings);

/* Real input through the X server (xdotool, which uses XTEST): it arrives
 * through GDK's event path as a person's would. */
void       okno_test_xdotool         (const char *first_arg,
                                      ...) G_GNUC_NULL_TERMINATED;
void       okno_test_focus_window    (GtkWidget  *window);
void       okno_test_pointer_to      (GtkWidget  *widget,
                                      double      x,
                                      double      y);

/* A stand-in for the desktop's notification server on the test's private
 * session bus (start it before the application): it records each
 * notification's summary, and its buttons' labels joined by ",". */
void       okno_test_start_notification_server (void);
GPtrArray *okno_test_notification_summaries    (void);
GPtrArray *okno_test_notification_buttons      (void);
gboolean   okno_test_has_notification          (gpointer unused);

G_END_DECLS
