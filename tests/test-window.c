/* test-window.c: the window, as a person would see it, under Xvfb.
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "okno-application.h"
#include "okno-share-popover.h"
#include "okno-test-ui.h"
#include "okno-test-utils.h"
#include "okno-time.h"
#include "okno-window.h"

static const char *
window_title_text (OknoWindow *window)
{
  g_autoptr(GPtrArray) titles = g_ptr_array_new ();

  okno_test_collect (GTK_WIDGET (window), ADW_TYPE_WINDOW_TITLE, titles);
  g_assert_cmpuint (titles->len, ==, 1);
  return adw_window_title_get_title (g_ptr_array_index (titles, 0));
}

static const char *
window_subtitle (OknoWindow *window)
{
  g_autoptr(GPtrArray) titles = g_ptr_array_new ();

  okno_test_collect (GTK_WIDGET (window), ADW_TYPE_WINDOW_TITLE, titles);
  g_assert_cmpuint (titles->len, ==, 1);
  return adw_window_title_get_subtitle (g_ptr_array_index (titles, 0));
}

static gboolean
is_serving (gpointer profile)
{
  return okno_web_server_is_running (okno_profile_get_web_server (profile));
}

static void
window_tests (GtkApplication *application,
              gpointer        data)
{
  OknoApplication *app = OKNO_APPLICATION (application);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) monday = NULL;
  g_autoptr(GDateTime) next_monday = NULL;
  g_autofree char *this_week = NULL;
  g_autofree char *next_week = NULL;
  g_autoptr(GPtrArray) spins = g_ptr_array_new ();
  OknoWindow *window;
  GtkWidget *preferences;
  GSettings *settings;
  gint64 started = g_get_monotonic_time ();

  window = OKNO_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app)));
  g_assert_nonnull (window);
  okno_test_iterate_until (okno_test_is_shown, window, 5000);
  g_test_message ("Window shown after %d ms", (int) ((g_get_monotonic_time () - started) / 1000));
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "Okno");

  /* The page is served once the keyring's secrets are in, after the
   * window appears: the header says where as soon as it is served. */
  okno_test_iterate_until (is_serving, okno_application_get_profile (app), 10000);
  {
    g_autofree char *url = okno_web_server_dup_url (okno_profile_get_web_server (okno_application_get_profile (app)));

    g_assert_nonnull (url);
    g_assert_cmpstr (window_subtitle (window), ==, url);
  }

  /* The header bar names the week; navigation moves it. */
  monday = okno_time_week_start (now, okno_schedule_get_time_zone (
                                   okno_profile_get_schedule (okno_application_get_profile (app))));
  next_monday = g_date_time_add_days (monday, 7);
  this_week = okno_time_format_week (monday);
  next_week = okno_time_format_week (next_monday);
  g_assert_cmpstr (window_title_text (window), ==, this_week);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "week.next", NULL));
  g_assert_cmpstr (window_title_text (window), ==, next_week);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "week.today", NULL));
  g_assert_cmpstr (window_title_text (window), ==, this_week);

  /* Shortcuts window installed from the resource. */
  g_assert_nonnull (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window)));

  okno_test_save_screenshot (GTK_WIDGET (window), "window.png");

  /* Preferences edit the data folder's settings both ways. */
  settings = okno_profile_get_settings (okno_application_get_profile (app));
  g_action_group_activate_action (G_ACTION_GROUP (app), "preferences", NULL);
  preferences = okno_test_find_toplevel (ADW_TYPE_PREFERENCES_WINDOW);
  g_assert_nonnull (preferences);
  okno_test_iterate_until (okno_test_is_shown, preferences, 5000);
  okno_test_collect (preferences, GTK_TYPE_SPIN_BUTTON, spins);
  g_assert_cmpuint (spins->len, >=, 5);
  g_assert_cmpfloat (gtk_spin_button_get_value (g_ptr_array_index (spins, 0)), ==, 40);
  gtk_spin_button_set_value (g_ptr_array_index (spins, 0), 45);
  g_assert_cmpuint (g_settings_get_uint (settings, "slot-minutes"), ==, 45);
  g_settings_set_uint (settings, "snap-minutes", 15);
  g_assert_cmpfloat (gtk_spin_button_get_value (g_ptr_array_index (spins, 1)), ==, 15);
  okno_test_save_screenshot (preferences, "preferences.png");
  okno_test_destroy_window (GTK_WINDOW (preferences));

  /* The share popover: the address, its QR code, the LAN switch. */
  {
    g_autoptr(GPtrArray) buttons = g_ptr_array_new ();
    g_autoptr(GPtrArray) pictures = g_ptr_array_new ();
    GtkWidget *popover = NULL;

    okno_test_collect (GTK_WIDGET (window), GTK_TYPE_MENU_BUTTON, buttons);
    for (guint i = 0; i < buttons->len && popover == NULL; i++)
      {
        GtkPopover *candidate = gtk_menu_button_get_popover (g_ptr_array_index (buttons, i));
        if (OKNO_IS_SHARE_POPOVER (candidate))
          {
            gtk_menu_button_popup (g_ptr_array_index (buttons, i));
            popover = GTK_WIDGET (candidate);
          }
      }
    g_assert_nonnull (popover);
    okno_test_iterate_until (okno_test_is_shown, popover, 5000);
    okno_test_collect (popover, GTK_TYPE_PICTURE, pictures);
    g_assert_cmpuint (pictures->len, ==, 1);
    g_assert_nonnull (gtk_picture_get_paintable (g_ptr_array_index (pictures, 0)));
    {
      g_autofree char *url = okno_share_popover_dup_url (OKNO_SHARE_POPOVER (popover));
      g_assert_true (g_str_has_prefix (url, "http://127.0.0.1:"));
    }
    okno_test_save_screenshot (popover, "share.png");
    gtk_popover_popdown (GTK_POPOVER (popover));
  }

  /* A busy port: the window stays and says so. */
  {
    OknoProfile *instance = okno_application_get_profile (app);
    g_autoptr(GSocket) blocker = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL);
    g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
    g_autoptr(GSocketAddress) any_port = g_inet_socket_address_new (loopback, 0);
    g_autoptr(GSocketAddress) bound = NULL;
    guint port;

    g_assert_true (g_socket_bind (blocker, any_port, FALSE, NULL));
    g_assert_true (g_socket_listen (blocker, NULL));
    bound = g_socket_get_local_address (blocker, NULL);
    port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));

    g_test_expect_message ("OknoProfile", G_LOG_LEVEL_WARNING, "*is in use*");
    g_object_set (okno_profile_get_web_server (instance), "port", port, NULL);
    g_test_assert_expected_messages ();
    g_assert_nonnull (okno_profile_get_server_error (instance));
    g_assert_nonnull (strstr (okno_profile_get_server_error (instance), "in use"));
    g_assert_false (okno_web_server_is_running (okno_profile_get_web_server (instance)));
    g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window)));
    g_assert_cmpstr (window_subtitle (window), ==, "Booking page not served");
  }

  g_action_group_activate_action (G_ACTION_GROUP (app), "about", NULL);
  g_assert_nonnull (okno_test_find_toplevel (ADW_TYPE_ABOUT_WINDOW));
  okno_test_destroy_window (GTK_WINDOW (okno_test_find_toplevel (ADW_TYPE_ABOUT_WINDOW)));

  /* The window, then the application, go with nothing left holding them. */
  okno_test_destroy_window (GTK_WINDOW (window));
}

/* The application as main() runs it: it ends when its window is closed,
 * and must then be gone. */
static void
test_window (void)
{
  okno_test_run_app (okno_application_new (), window_tests, NULL);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  /* A fresh profile whose booking page takes any free port. */
  okno_test_ui_profile ("[okno]\nport=uint16 0\n");

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/okno/window/shell", test_window);

  status = g_test_run ();
  return status;
}
