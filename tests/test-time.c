/* test-time.c
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <locale.h>
#include <string.h>

#include "okno-time.h"

static void
test_rfc3339_needs_offset (void)
{
  g_autoptr(GDateTime) z = okno_time_parse_rfc3339 ("2026-11-25T17:30:00Z");
  g_autoptr(GDateTime) msk = okno_time_parse_rfc3339 ("2026-11-25T20:30:00+03:00");

  g_assert_nonnull (z);
  g_assert_nonnull (msk);
  g_assert_true (g_date_time_equal (z, msk));
  g_assert_null (okno_time_parse_rfc3339 ("2026-11-25T17:30:00"));
  g_assert_null (okno_time_parse_rfc3339 ("2026-11-25"));
  g_assert_null (okno_time_parse_rfc3339 ("yesterday"));
  g_assert_null (okno_time_parse_rfc3339 (NULL));
}

static void
test_format_in_zone (void)
{
  g_autoptr(GDateTime) t = okno_time_parse_rfc3339 ("2026-11-25T14:30:00Z");
  g_autoptr(GTimeZone) msk = okno_time_zone_new ("Europe/Moscow");
  g_autofree char *a = okno_time_format_rfc3339 (t, msk);
  g_autofree char *b = okno_time_format_rfc3339 (t, NULL);

  g_assert_cmpstr (a, ==, "2026-11-25T17:30:00+03:00");
  g_assert_cmpstr (b, ==, "2026-11-25T14:30:00Z");
}

/* Europe/Berlin leaves summer time on 2026-10-25 at 01:00 UTC: the same
 * wall-clock hour 02:30 happens twice, with different offsets. */
static void
test_dst_end_berlin (void)
{
  g_autoptr(GTimeZone) berlin = okno_time_zone_new ("Europe/Berlin");
  g_autoptr(GDateTime) before = okno_time_parse_rfc3339 ("2026-10-25T00:30:00Z");
  g_autoptr(GDateTime) after = okno_time_parse_rfc3339 ("2026-10-25T01:30:00Z");
  g_autoptr(GDateTime) day = okno_time_parse_date ("2026-10-25", berlin);
  g_autoptr(GDateTime) next = g_date_time_add_days (day, 1);
  g_autofree char *a = okno_time_format_rfc3339 (before, berlin);
  g_autofree char *b = okno_time_format_rfc3339 (after, berlin);
  g_autofree char *d = okno_time_format_date (after, berlin);

  g_assert_cmpstr (a, ==, "2026-10-25T02:30:00+02:00");
  g_assert_cmpstr (b, ==, "2026-10-25T02:30:00+01:00");
  g_assert_cmpstr (d, ==, "2026-10-25");
  /* That day lasts 25 hours. */
  g_assert_cmpint (g_date_time_difference (next, day), ==, 25 * G_TIME_SPAN_HOUR);
}

static void
test_parse_date (void)
{
  g_autoptr(GTimeZone) msk = okno_time_zone_new ("Europe/Moscow");
  g_autoptr(GDateTime) d = okno_time_parse_date ("2026-11-25", msk);
  g_autofree char *text = okno_time_format_rfc3339 (d, msk);

  g_assert_cmpstr (text, ==, "2026-11-25T00:00:00+03:00");
  g_assert_null (okno_time_parse_date ("2026-02-30", msk));
  g_assert_null (okno_time_parse_date ("2026-11-25x", msk));
  g_assert_null (okno_time_parse_date ("26-11-25", msk));
  g_assert_null (okno_time_parse_date ("2026/11/25", msk));
}

static void
test_parse_local (void)
{
  g_autoptr(GTimeZone) msk = okno_time_zone_new ("Europe/Moscow");
  g_autoptr(GDateTime) a = okno_time_parse_local ("2026-12-01T17:30", msk);
  g_autoptr(GDateTime) b = okno_time_parse_local ("2026-12-01T17:30+01:00", msk);
  g_autoptr(GDateTime) c = okno_time_parse_local ("2026-12-01 17:30:00", msk);
  g_autofree char *ta = NULL;
  g_autofree char *tb = NULL;

  g_assert_nonnull (a);
  g_assert_nonnull (b);
  g_assert_nonnull (c);
  ta = okno_time_format_rfc3339 (a, NULL);
  tb = okno_time_format_rfc3339 (b, NULL);
  g_assert_cmpstr (ta, ==, "2026-12-01T14:30:00Z");
  g_assert_cmpstr (tb, ==, "2026-12-01T16:30:00Z");
  g_assert_true (g_date_time_equal (a, c));
  g_assert_null (okno_time_parse_local ("tomorrow", msk));
}

/* Issue 8, item 7: Europe/Berlin skips 02:00-03:00 on 2027-03-28 and
 * passes 02:00-03:00 twice on 2027-10-31. */
static void
test_parse_local_dst (void)
{
  g_autoptr(GTimeZone) berlin = okno_time_zone_new ("Europe/Berlin");
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) gap = okno_time_parse_local_full ("2027-03-28T02:30", berlin, &error);
  g_autoptr(GDateTime) twice = NULL;
  g_autoptr(GDateTime) first = NULL;
  g_autoptr(GDateTime) second = NULL;
  g_autoptr(GDateTime) after = NULL;
  g_autoptr(GDateTime) edge = NULL;
  g_autofree char *text = NULL;

  g_assert_null (gap);
  g_assert_error (error, OKNO_TIME_ERROR, OKNO_TIME_ERROR_NONEXISTENT);
  g_clear_error (&error);

  twice = okno_time_parse_local_full ("2027-10-31T02:30", berlin, &error);
  g_assert_null (twice);
  g_assert_error (error, OKNO_TIME_ERROR, OKNO_TIME_ERROR_AMBIGUOUS);
  g_assert_nonnull (strstr (error->message, "2027-10-31T02:30+02:00"));
  g_assert_nonnull (strstr (error->message, "2027-10-31T02:30+01:00"));
  g_clear_error (&error);

  first = okno_time_parse_local_full ("2027-10-31T02:30+02:00", berlin, &error);
  second = okno_time_parse_local_full ("2027-10-31T02:30+01:00", berlin, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_date_time_difference (second, first), ==, G_TIME_SPAN_HOUR);

  /* Either side of a change, and ordinary days, are as they were. */
  after = okno_time_parse_local_full ("2027-03-28T03:00", berlin, &error);
  g_assert_no_error (error);
  text = okno_time_format_rfc3339 (after, NULL);
  g_assert_cmpstr (text, ==, "2027-03-28T01:00:00Z");
  g_clear_pointer (&text, g_free);
  edge = okno_time_parse_local_full ("2027-10-31T03:00", berlin, &error);
  g_assert_no_error (error);
  text = okno_time_format_rfc3339 (edge, NULL);
  g_assert_cmpstr (text, ==, "2027-10-31T02:00:00Z");
  g_assert_null (okno_time_parse_local ("2027-03-28T02:00", berlin));
  g_clear_pointer (&after, g_date_time_unref);
  after = okno_time_parse_local ("2027-03-28T01:59", berlin);
  g_assert_nonnull (after);
}

static void
test_zone_names (void)
{
  g_autoptr(GTimeZone) berlin = okno_time_zone_new ("Europe/Berlin");
  g_autoptr(GTimeZone) local = okno_time_zone_new ("");

  g_assert_nonnull (berlin);
  g_assert_nonnull (local);
  g_assert_null (okno_time_zone_new ("Nowhere/City"));
  g_assert_null (okno_time_zone_new ("../../etc/passwd"));
  g_assert_null (okno_time_zone_new ("/usr/share/zoneinfo/UTC"));
  g_assert_null (okno_time_zone_new ("UTC+3;x"));
}

static void
test_week (void)
{
  g_autoptr(GTimeZone) msk = okno_time_zone_new ("Europe/Moscow");
  g_autoptr(GDateTime) wed = okno_time_parse_rfc3339 ("2026-11-25T12:00:00+03:00");
  g_autoptr(GDateTime) sun_late = okno_time_parse_rfc3339 ("2026-11-29T23:30:00+03:00");
  g_autoptr(GDateTime) monday = okno_time_week_start (wed, msk);
  g_autoptr(GDateTime) monday2 = okno_time_week_start (sun_late, msk);
  g_autoptr(GDateTime) next = g_date_time_add_days (monday, 7);
  g_autoptr(GDateTime) dec28 = okno_time_parse_date ("2026-12-28", msk);
  g_autofree char *start = okno_time_format_rfc3339 (monday, msk);
  g_autofree char *same = okno_time_format_week (monday);
  g_autofree char *two_months = okno_time_format_week (next);
  g_autofree char *two_years = okno_time_format_week (dec28);

  g_assert_cmpstr (start, ==, "2026-11-23T00:00:00+03:00");
  g_assert_true (g_date_time_equal (monday, monday2));
  g_assert_cmpstr (same, ==, "23 – 29 November 2026");
  g_assert_cmpstr (two_months, ==, "30 November – 6 December 2026");
  g_assert_cmpstr (two_years, ==, "28 December 2026 – 3 January 2027");
}

static void
test_overlap (void)
{
  g_autoptr(GDateTime) a = okno_time_parse_rfc3339 ("2026-11-25T10:00:00Z");
  g_autoptr(GDateTime) b = okno_time_parse_rfc3339 ("2026-11-25T11:00:00Z");
  g_autoptr(GDateTime) c = okno_time_parse_rfc3339 ("2026-11-25T12:00:00Z");

  g_assert_true (okno_time_ranges_overlap (a, c, b, c));
  /* Touching ends do not overlap: back-to-back sessions are fine. */
  g_assert_false (okno_time_ranges_overlap (a, b, b, c));
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/okno/time/rfc3339-needs-offset", test_rfc3339_needs_offset);
  g_test_add_func ("/okno/time/format-in-zone", test_format_in_zone);
  g_test_add_func ("/okno/time/dst-end-berlin", test_dst_end_berlin);
  g_test_add_func ("/okno/time/parse-date", test_parse_date);
  g_test_add_func ("/okno/time/parse-local", test_parse_local);
  g_test_add_func ("/okno/time/parse-local-dst", test_parse_local_dst);
  g_test_add_func ("/okno/time/zone-names", test_zone_names);
  g_test_add_func ("/okno/time/week", test_week);
  g_test_add_func ("/okno/time/overlap", test_overlap);

  return g_test_run ();
}
