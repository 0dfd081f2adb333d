/* test-waitlist-ui.c: the waitlist in the window, under Xvfb.
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "okno-application.h"
#include "okno-test-ui.h"
#include "okno-test-profile.h"
#include "okno-test-utils.h"
#include "okno-waitlist-button.h"
#include "okno-window.h"

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

static gboolean
is_visible (gpointer widget)
{
  return gtk_widget_get_visible (widget);
}

static void
joined_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  JsonObject **out = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;

  *out = okno_waitlist_join_finish (OKNO_WAITLIST (object), result, &token, &error);
  g_assert_no_error (error);
}

static gboolean
has_label (GtkWidget  *root,
           const char *text)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();
  gboolean found = FALSE;

  okno_test_collect (root, GTK_TYPE_LABEL, labels);
  for (guint i = 0; i < labels->len; i++)
    found |= g_strcmp0 (gtk_label_get_text (g_ptr_array_index (labels, i)), text) == 0;
  return found;
}

/* Olga sees who waits (name, contact, what suits) and removes an entry:
 * it is gone from the list, from the waitlist and from its file. */
static void
test_waitlist_button (void)
{
  g_autoptr(OknoApplication) app = okno_application_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) buttons = g_ptr_array_new ();
  g_autoptr(GPtrArray) remove = g_ptr_array_new ();
  g_autoptr(OknoBookingRequest) contact = okno_booking_request_new ();
  g_autoptr(JsonObject) entry = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *file = NULL;
  OknoWaitlist *waitlist;
  OknoWindow *window;
  GtkWidget *button;
  GtkWidget *list;

  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  window = OKNO_WINDOW (okno_test_activate (GTK_APPLICATION (app)));
  okno_test_iterate_until (okno_test_is_shown, window, 5000);
  waitlist = okno_profile_get_waitlist (okno_application_get_profile (app));

  okno_test_collect (GTK_WIDGET (window), OKNO_TYPE_WAITLIST_BUTTON, buttons);
  g_assert_cmpuint (buttons->len, ==, 1);
  button = g_ptr_array_index (buttons, 0);
  g_assert_false (gtk_widget_get_visible (button));

  contact->name = g_strdup ("Анна");
  contact->phone = g_strdup ("+7 999 123-45-67");
  okno_waitlist_join_async (waitlist, contact, (1u << 2) | (1u << 4), OKNO_WAITLIST_EVENING,
                            "http://127.0.0.1", "ru", now, NULL, joined_cb, &entry);
  while (entry == NULL)
    g_main_context_iteration (NULL, TRUE);
  okno_test_iterate_until (is_visible, button, 5000);
  g_assert_true (has_label (button, "1"));

  list = okno_waitlist_button_get_list (OKNO_WAITLIST_BUTTON (button));
  g_assert_cmpuint (n_rows (list), ==, 1);
  g_assert_true (has_label (list, "Анна"));
  g_assert_true (has_label (list, "+7 999 123-45-67"));
  okno_test_collect (list, GTK_TYPE_BUTTON, remove);
  g_assert_cmpuint (remove->len, ==, 1);
  okno_test_save_screenshot (GTK_WIDGET (window), "waitlist.png");

  g_signal_emit_by_name (g_ptr_array_index (remove, 0), "clicked");
  okno_test_iterate_until (is_hidden, button, 5000);
  g_assert_cmpuint (n_rows (list), ==, 0);
  g_assert_cmpuint (okno_waitlist_get_count (waitlist), ==, 0);
  okno_test_settle_waitlist (waitlist);
  g_assert_true (g_file_get_contents (okno_waitlist_get_path (waitlist), &file, NULL, NULL));
  g_assert_null (strstr (file, "Анна"));

  gtk_window_destroy (GTK_WINDOW (window));
  okno_test_settle_profile (okno_application_get_profile (app));
}

int
main (int   argc,
      char *argv[])
{
  /* A scratch folder that tests/run-ui-test.sh removes. */
  okno_test_ui_profile ("[okno]\nport=uint16 0\n");

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/okno/window/waitlist", test_waitlist_button);

  return g_test_run ();
}
