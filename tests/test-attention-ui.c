/* test-attention-ui.c: "Needs attention" in the window, under Xvfb.
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>

#include "okno-application.h"
#include "okno-attention-button.h"
#include "okno-test-ui.h"
#include "okno-test-profile.h"
#include "okno-test-utils.h"
#include "okno-window.h"

static GPtrArray *notifications;   /* okno_test_notification_summaries () */


static guint
n_rows (GtkWidget *list)
{
  guint n = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (list); child; child = gtk_widget_get_next_sibling (child))
    n++;
  return n;
}

static gboolean
is_hidden (gpointer widget)
{
  return !gtk_widget_get_visible (widget);
}

/* An item for Olga shows as a button with its count in the header bar; the
 * list names it; dismissing it there removes it from the ledger and hides
 * the button. */
static void
test_attention_button (void)
{
  g_autoptr(OknoApplication) app = okno_application_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) buttons = g_ptr_array_new ();
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();
  g_autoptr(GPtrArray) dismiss = g_ptr_array_new ();
  g_autofree char *id = NULL;
  OknoAttention *attention;
  OknoWindow *window;
  GtkWidget *button;
  GtkWidget *list;
  gboolean found = FALSE;

  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  window = OKNO_WINDOW (okno_test_activate (GTK_APPLICATION (app)));
  okno_test_iterate_until (okno_test_is_shown, window, 5000);
  attention = okno_profile_get_attention (okno_application_get_profile (app));

  okno_test_collect (GTK_WIDGET (window), OKNO_TYPE_ATTENTION_BUTTON, buttons);
  g_assert_cmpuint (buttons->len, ==, 1);
  button = g_ptr_array_index (buttons, 0);
  g_assert_false (gtk_widget_get_visible (button));

  id = okno_attention_add (attention, "calendar-failed", "b1",
                           "The calendar could not be changed for the booking of Анна");
  g_assert_true (gtk_widget_get_visible (button));
  okno_test_collect (button, GTK_TYPE_LABEL, labels);
  for (guint i = 0; i < labels->len; i++)
    found |= g_strcmp0 (gtk_label_get_text (g_ptr_array_index (labels, i)), "1") == 0;
  g_assert_true (found);
  /* It is also a desktop notification. */
  okno_test_iterate_until (okno_test_has_notification, NULL, 5000);
  g_assert_cmpuint (notifications->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (notifications, 0), ==, "Okno needs your attention");

  list = okno_attention_button_get_list (OKNO_ATTENTION_BUTTON (button));
  g_assert_cmpuint (n_rows (list), ==, 1);
  okno_test_collect (list, GTK_TYPE_BUTTON, dismiss);
  g_assert_cmpuint (dismiss->len, ==, 1);
  okno_test_save_screenshot (GTK_WIDGET (window), "attention.png");

  g_signal_emit_by_name (g_ptr_array_index (dismiss, 0), "clicked");
  okno_test_iterate_until (is_hidden, button, 5000);
  g_assert_cmpuint (okno_attention_get_count (attention), ==, 0);
  g_assert_cmpuint (okno_ledger_get_attention_items (okno_profile_get_ledger (okno_application_get_profile (app)))->len, ==, 0);

  gtk_window_destroy (GTK_WINDOW (window));
  okno_test_settle_profile (okno_application_get_profile (app));
}

int
main (int   argc,
      char *argv[])
{
  int status;

  /* A scratch folder that tests/run-ui-test.sh removes. */
  okno_test_ui_profile ("[okno]\nport=uint16 0\n");

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  okno_test_start_notification_server ();
  notifications = okno_test_notification_summaries ();
  g_test_add_func ("/okno/window/attention", test_attention_button);

  status = g_test_run ();
  return status;
}
