/* test-profile.c: opening a data folder, as both programs do.
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "okno-errors.h"
#include "okno-google-calendar.h"
#include "okno-local-calendar.h"
#include "okno-test-http.h"
#include "okno-test-profile.h"
#include "okno-test-utils.h"

static void
opened_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static void
state_cb (GObject    *object,
          GParamSpec *pspec,
          GArray     *states)
{
  OknoProfileState state = okno_profile_get_state (OKNO_PROFILE (object));

  g_array_append_val (states, state);
}

/* Built with GAsyncInitable: it answers on the main loop (never before
 * the call returns), its state goes loading → ready with a notification
 * each, and the local backend is chosen by default. */
static void
test_opens_async (void)
{
  g_autofree char *dir = okno_test_make_dir ();
  g_autoptr(GArray) states = g_array_new (FALSE, FALSE, sizeof (OknoProfileState));
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(OknoProfile) profile = NULL;
  g_autoptr(GAsyncInitable) initable = NULL;
  OknoProfileState state;

  initable = g_object_new (OKNO_TYPE_PROFILE, "data-dir", dir, NULL);
  g_signal_connect (initable, "notify::state", G_CALLBACK (state_cb), states);
  g_assert_cmpint (okno_profile_get_state (OKNO_PROFILE (initable)), ==, OKNO_PROFILE_STATE_NEW);

  g_async_initable_init_async (initable, G_PRIORITY_DEFAULT, NULL, opened_cb, &result);
  g_assert_null (result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (g_async_initable_init_finish (initable, result, &error));
  g_assert_no_error (error);
  profile = OKNO_PROFILE (g_steal_pointer (&initable));
  g_clear_object (&result);

  g_assert_cmpuint (states->len, ==, 2);
  g_assert_cmpint (g_array_index (states, OknoProfileState, 0), ==, OKNO_PROFILE_STATE_LOADING);
  g_assert_cmpint (g_array_index (states, OknoProfileState, 1), ==, OKNO_PROFILE_STATE_READY);
  g_object_get (profile, "state", &state, NULL);
  g_assert_cmpint (state, ==, OKNO_PROFILE_STATE_READY);

  g_assert_true (OKNO_IS_LOCAL_CALENDAR (okno_profile_get_calendar (profile)));
  g_assert_cmpint (okno_calendar_get_state (okno_profile_get_calendar (profile)), ==, OKNO_CALENDAR_STATE_LOCAL);
  g_assert_nonnull (okno_profile_get_slot_service (profile));
  g_assert_nonnull (okno_profile_get_web_server (profile));
  g_assert_true (okno_schedule_get_calendar (okno_profile_get_schedule (profile)) == okno_profile_get_calendar (profile));

  okno_test_settle_profile (profile);
  g_assert_finalize_object (g_steal_pointer (&profile));
  okno_test_remove_dir (dir);
}

static OknoProfile *
try_open (const char  *dir,
          GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  okno_profile_new_async (dir, NULL, opened_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return okno_profile_new_finish (result, error);
}

/* A folder another profile holds is refused with a message for a person. */
static void
test_locked (void)
{
  g_autofree char *dir = okno_test_make_dir ();
  g_autoptr(OknoProfile) first = okno_test_open_profile (dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(OknoProfile) second = try_open (dir, &error);

  g_assert_null (second);
  g_assert_error (error, OKNO_DATA_ERROR, OKNO_DATA_ERROR_LOCKED);

  okno_test_settle_profile (first);
  g_clear_object (&first);
  okno_test_remove_dir (dir);
}

/* The “calendar-backend” setting chooses the backend: “google” opens the
 * Google one, which serves (nothing yet) and asks Olga to connect, and
 * never touches the local calendar's file. */
static void
test_backend_from_settings (void)
{
  g_autofree char *dir = okno_test_make_dir ();
  g_autofree char *ini = g_build_filename (dir, "settings.ini", NULL);
  g_autofree char *calendar = g_build_filename (dir, "calendar.json", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(OknoProfile) profile = NULL;

  g_assert_true (g_file_set_contents (ini, "[okno]\ncalendar-backend='google'\n", -1, NULL));
  profile = try_open (dir, &error);
  g_assert_no_error (error);
  g_assert_true (OKNO_IS_GOOGLE_CALENDAR (okno_profile_get_calendar (profile)));
  g_assert_cmpstr (okno_calendar_get_state_name (okno_profile_get_calendar (profile)), ==, "reconnect");
  g_assert_false (g_file_test (calendar, G_FILE_TEST_EXISTS));
  okno_test_settle_profile (profile);
  g_clear_object (&profile);

  /* Set back to local, the same folder opens (the Google one let go of it). */
  g_assert_true (g_file_set_contents (ini, "[okno]\ncalendar-backend='local'\n", -1, NULL));
  profile = okno_test_open_profile (dir);
  g_assert_true (OKNO_IS_LOCAL_CALENDAR (okno_profile_get_calendar (profile)));
  okno_test_settle_profile (profile);
  g_clear_object (&profile);
  okno_test_remove_dir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/okno/profile/opens-async", test_opens_async);
  g_test_add_func ("/okno/profile/locked", test_locked);
  g_test_add_func ("/okno/profile/backend-from-settings", test_backend_from_settings);

  return g_test_run ();
}
