/* test-calendar-refresh-ui.c: the window asks the calendar for changes when
 * it gains focus or shows another week, and a refused Google sign-in is a
 * desktop notification as well as the banner. Under Xvfb.
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>

#include "okno-application.h"
#include "okno-calendar-banner.h"
#include "okno-calendar-refresher.h"
#include "okno-google-page.h"
#include "okno-test-calendar.h"
#include "okno-test-ui.h"
#include "okno-test-profile.h"
#include "okno-window.h"

typedef struct
{
  OknoTestCalendar *calendar;
  guint             calls;
} Wait;

static gboolean
refreshed (gpointer data)
{
  Wait *wait = data;

  return okno_test_calendar_get_calls (wait->calendar, OKNO_TEST_CALENDAR_REFRESH) >= wait->calls;
}

static guint
refreshes (OknoTestCalendar *calendar)
{
  return okno_test_calendar_get_calls (calendar, OKNO_TEST_CALENDAR_REFRESH);
}

static void
settle (void)
{
  for (int i = 0; i < 20; i++)
    g_main_context_iteration (NULL, FALSE);
}

/* Gaining focus refreshes once; so does another week, and only then. */
static void
test_refresh_on_focus_and_week (void)
{
  g_autoptr(OknoTestCalendar) calendar = okno_test_calendar_new ();
  g_autoptr(OknoCalendarRefresher) refresher = NULL;
  g_autoptr(GTimeZone) zone = g_time_zone_new_identifier ("Europe/Moscow");
  g_autoptr(GDateTime) week = g_date_time_new (zone, 2026, 11, 30, 0, 0, 0);
  g_autoptr(GDateTime) next = g_date_time_add_weeks (week, 1);
  g_autoptr(GDateTime) same = g_date_time_new (zone, 2026, 11, 30, 0, 0, 0);
  GtkWidget *window = gtk_window_new ();
  GtkWidget *other = gtk_window_new ();
  Wait wait = { calendar, 1 };
  guint base;

  refresher = okno_calendar_refresher_new (OKNO_CALENDAR (calendar), GTK_WINDOW (window));
  gtk_window_present (GTK_WINDOW (window));
  gtk_window_present (GTK_WINDOW (other));
  okno_test_iterate_until (okno_test_is_shown, window, 10000);
  okno_test_iterate_until (okno_test_is_shown, other, 10000);
  /* Showing the windows may have made ours active once already: count
   * from the moment the other one has the focus. */
  okno_test_focus_window (other);
  settle ();
  g_assert_false (gtk_window_is_active (GTK_WINDOW (window)));
  base = refreshes (calendar);

  okno_test_focus_window (window);
  wait.calls = base + 1;
  okno_test_iterate_until (refreshed, &wait, 10000);
  settle ();
  g_assert_cmpuint (refreshes (calendar), ==, base + 1);

  /* Away (nothing asked) and back: once more. */
  okno_test_focus_window (other);
  settle ();
  g_assert_false (gtk_window_is_active (GTK_WINDOW (window)));
  g_assert_cmpuint (refreshes (calendar), ==, base + 1);
  okno_test_focus_window (window);
  wait.calls = base + 2;
  okno_test_iterate_until (refreshed, &wait, 10000);
  settle ();
  g_assert_cmpuint (refreshes (calendar), ==, base + 2);
  base += 2;

  /* The first week shown is the poll's; another one is asked for. */
  okno_calendar_refresher_week_shown (refresher, week);
  g_assert_cmpuint (refreshes (calendar), ==, base + 0);
  okno_calendar_refresher_week_shown (refresher, next);
  g_assert_cmpuint (refreshes (calendar), ==, base + 1);
  okno_calendar_refresher_week_shown (refresher, next);
  g_assert_cmpuint (refreshes (calendar), ==, base + 1);
  okno_calendar_refresher_week_shown (refresher, same);
  g_assert_cmpuint (refreshes (calendar), ==, base + 2);

  /* While Google wants a new sign-in, nothing is asked. */
  okno_test_calendar_set_state (calendar, OKNO_CALENDAR_STATE_RECONNECT);
  okno_calendar_refresher_week_shown (refresher, next);
  g_assert_cmpuint (refreshes (calendar), ==, base + 2);

  okno_test_destroy_window (GTK_WINDOW (other));
  okno_test_destroy_window (GTK_WINDOW (window));
  g_clear_object (&refresher);
  settle ();
}

static gboolean
banner_revealed (gpointer banner)
{
  return okno_calendar_banner_is_revealed (banner);
}

/* calendar-backend google with no sign-in in the keyring: the calendar is
 * in "reconnect" from the start. The window's banner says so with its
 * Reconnect, and a desktop notification with a Reconnect button tells
 * Olga even when the window is not in sight. */
static void
test_reconnect_notification (void)
{
  g_autoptr(OknoApplication) app = okno_application_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) banners = g_ptr_array_new ();
  GPtrArray *summaries = okno_test_notification_summaries ();
  GPtrArray *buttons = okno_test_notification_buttons ();
  OknoWindow *window;
  OknoCalendar *calendar;
  guint found = 0;

  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  window = OKNO_WINDOW (okno_test_activate (GTK_APPLICATION (app)));
  okno_test_iterate_until (okno_test_is_shown, window, 10000);
  calendar = okno_schedule_get_calendar (okno_profile_get_schedule (okno_application_get_profile (app)));
  g_assert_cmpint (okno_calendar_get_state (calendar), ==, OKNO_CALENDAR_STATE_RECONNECT);

  okno_test_collect (GTK_WIDGET (window), OKNO_TYPE_CALENDAR_BANNER, banners);
  g_assert_cmpuint (banners->len, ==, 1);
  okno_test_iterate_until (banner_revealed, g_ptr_array_index (banners, 0), 10000);
  g_assert_cmpstr (okno_calendar_banner_get_text (g_ptr_array_index (banners, 0)), ==,
                   "Google needs you to sign in again");

  okno_test_iterate_until (okno_test_has_notification, NULL, 10000);
  settle ();
  for (guint i = 0; i < summaries->len; i++)
    if (g_strcmp0 (g_ptr_array_index (summaries, i), "Google needs you to sign in again") == 0)
      {
        found++;
        g_assert_cmpstr (g_ptr_array_index (buttons, i), ==, "Reconnect");
      }
  g_assert_cmpuint (found, ==, 1);
  okno_test_save_screenshot (GTK_WIDGET (window), "google-reconnect.png");

  gtk_window_destroy (GTK_WINDOW (window));
  okno_test_settle_profile (okno_application_get_profile (app));
}

/* Preferences → Google Calendar: the busy calendars are a setting Olga
 * edits there, as ids separated by commas; empty is every selected one. */
static void
test_google_page_busy_calendars (void)
{
  g_autoptr(OknoApplication) app = okno_application_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  g_auto(GStrv) ids = NULL;
  OknoProfile *profile;
  GSettings *settings;
  GtkWidget *window;
  GtkWidget *busy = NULL;

  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  okno_test_iterate_until (okno_test_is_shown, okno_test_activate (GTK_APPLICATION (app)), 10000);
  profile = okno_application_get_profile (app);
  settings = okno_profile_get_settings (profile);

  window = adw_preferences_window_new ();
  adw_preferences_window_add (ADW_PREFERENCES_WINDOW (window), ADW_PREFERENCES_PAGE (okno_google_page_new (profile)));
  gtk_window_present (GTK_WINDOW (window));
  okno_test_iterate_until (okno_test_is_shown, window, 10000);
  okno_test_collect (window, ADW_TYPE_ENTRY_ROW, rows);
  for (guint i = 0; i < rows->len; i++)
    if (strstr (adw_preferences_row_get_title (g_ptr_array_index (rows, i)), "busy") != NULL)
      busy = g_ptr_array_index (rows, i);
  g_assert_nonnull (busy);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (busy)), ==, "");

  gtk_editable_set_text (GTK_EDITABLE (busy), " work@example.com,, family@example.com ");
  ids = g_settings_get_strv (settings, "google-busy-calendars");
  g_assert_cmpuint (g_strv_length (ids), ==, 2);
  g_assert_cmpstr (ids[0], ==, "work@example.com");
  g_assert_cmpstr (ids[1], ==, "family@example.com");
  g_clear_pointer (&ids, g_strfreev);

  g_settings_set_strv (settings, "google-busy-calendars", (const char * const []) { "a@example.com", NULL });
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (busy)), ==, "a@example.com");
  gtk_editable_set_text (GTK_EDITABLE (busy), "");
  ids = g_settings_get_strv (settings, "google-busy-calendars");
  g_assert_cmpuint (g_strv_length (ids), ==, 0);
  okno_test_save_screenshot (window, "preferences-google.png");

  okno_test_destroy_window (GTK_WINDOW (window));
  gtk_window_destroy (gtk_application_get_active_window (GTK_APPLICATION (app)));
  okno_test_settle_profile (profile);
}

int
main (int   argc,
      char *argv[])
{
  /* A scratch folder that tests/run-ui-test.sh removes; no keyring
   * (OKNO_KEYRING=none), so Google has no sign-in; its endpoints lead
   * nowhere in case anything asked. */
  okno_test_ui_profile ("[okno]\nport=uint16 0\ncalendar-backend='google'\n");
  g_setenv ("OKNO_GOOGLE_CLIENT_ID", "test-client", TRUE);
  g_setenv ("OKNO_GOOGLE_CLIENT_SECRET", "test-secret", TRUE);
  g_setenv ("OKNO_GOOGLE_TOKEN_URL", "http://127.0.0.1:1/token", TRUE);
  g_setenv ("OKNO_GOOGLE_AUTH_URL", "http://127.0.0.1:1/auth", TRUE);
  g_setenv ("OKNO_GOOGLE_CALENDAR_URL", "http://127.0.0.1:1/calendar/v3", TRUE);
  g_setenv ("OKNO_GMAIL_URL", "http://127.0.0.1:1/gmail/v1", TRUE);

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  okno_test_start_notification_server ();
  g_test_add_func ("/okno/window/refresh-on-focus-and-week", test_refresh_on_focus_and_week);
  g_test_add_func ("/okno/window/google-reconnect-notification", test_reconnect_notification);
  g_test_add_func ("/okno/window/google-page-busy-calendars", test_google_page_busy_calendars);

  return g_test_run ();
}
