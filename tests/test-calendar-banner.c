/* test-calendar-banner.c: what the window's calendar banner says.
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "okno-calendar-banner.h"

static void
test_texts (void)
{
  g_autoptr(GTimeZone) zone = g_time_zone_new_identifier ("Europe/Moscow");
  g_autoptr(GDateTime) since = g_date_time_new (zone, 2026, 12, 3, 14, 2, 0);
  g_autofree char *synced = _okno_calendar_banner_describe (OKNO_CALENDAR_STATE_SYNCED, NULL, 0);
  g_autofree char *local = _okno_calendar_banner_describe (OKNO_CALENDAR_STATE_LOCAL, NULL, 0);
  g_autofree char *syncing = _okno_calendar_banner_describe (OKNO_CALENDAR_STATE_SYNCING, NULL, 2);
  g_autofree char *offline = _okno_calendar_banner_describe (OKNO_CALENDAR_STATE_OFFLINE, since, 3);
  g_autofree char *one = _okno_calendar_banner_describe (OKNO_CALENDAR_STATE_OFFLINE, since, 1);
  g_autofree char *none = _okno_calendar_banner_describe (OKNO_CALENDAR_STATE_OFFLINE, since, 0);
  g_autofree char *reconnect = _okno_calendar_banner_describe (OKNO_CALENDAR_STATE_RECONNECT, NULL, 4);

  /* In step: no banner at all. */
  g_assert_null (synced);
  g_assert_null (local);
  g_assert_null (syncing);
  /* TZ=Europe/Moscow in the tests' environment. */
  g_assert_cmpstr (offline, ==, "Offline since 14:02 — 3 changes waiting");
  g_assert_cmpstr (one, ==, "Offline since 14:02 — 1 change waiting");
  g_assert_cmpstr (none, ==, "Offline since 14:02");
  g_assert_cmpstr (reconnect, ==, "Google needs you to sign in again");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/okno/calendar-banner/texts", test_texts);
  return g_test_run ();
}
