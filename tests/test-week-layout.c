/* test-week-layout.c: time and pixels, snapping, overlap layout.
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "okno-week-layout.h"

static const OknoWeekGeometry geometry = { .ruler_width = 56, .width = 56 + 7 * 100, .hour_height = 48 };

static void
test_time_and_pixels (void)
{
  g_assert_cmpfloat (okno_week_geometry_y_for (&geometry, 0), ==, 0);
  g_assert_cmpfloat (okno_week_geometry_y_for (&geometry, 17 * 60 + 30), ==, 17.5 * 48);
  g_assert_cmpint (okno_week_geometry_minutes_at (&geometry, 17.5 * 48), ==, 17 * 60 + 30);
  g_assert_cmpint (okno_week_geometry_minutes_at (&geometry, -5), ==, 0);
  g_assert_cmpint (okno_week_geometry_minutes_at (&geometry, 99999), ==, OKNO_MINUTES_PER_DAY);
  /* Round trip for every snap step of the day. */
  for (int m = 0; m < OKNO_MINUTES_PER_DAY; m += 10)
    g_assert_cmpint (okno_week_geometry_minutes_at (&geometry, okno_week_geometry_y_for (&geometry, m)), ==, m);
}

static void
test_days (void)
{
  g_assert_cmpfloat (okno_week_geometry_day_width (&geometry), ==, 100);
  g_assert_cmpint (okno_week_geometry_day_at (&geometry, 10), ==, -1);
  g_assert_cmpint (okno_week_geometry_day_at (&geometry, 56), ==, 0);
  g_assert_cmpint (okno_week_geometry_day_at (&geometry, 155.9), ==, 0);
  g_assert_cmpint (okno_week_geometry_day_at (&geometry, 156), ==, 1);
  g_assert_cmpint (okno_week_geometry_day_at (&geometry, 755), ==, 6);
  g_assert_cmpint (okno_week_geometry_day_at (&geometry, 757), ==, -1);
  g_assert_cmpfloat (okno_week_geometry_x_for_day (&geometry, 3), ==, 356);
}

static void
test_snap (void)
{
  g_assert_cmpint (okno_week_snap (0, 10), ==, 0);
  g_assert_cmpint (okno_week_snap (4, 10), ==, 0);
  g_assert_cmpint (okno_week_snap (5, 10), ==, 10);
  g_assert_cmpint (okno_week_snap (1054, 10), ==, 1050);
  g_assert_cmpint (okno_week_snap (1056, 10), ==, 1060);
  g_assert_cmpint (okno_week_snap (1056, 15), ==, 1050);
  g_assert_cmpint (okno_week_snap (1056, 1), ==, 1056);
}

static void
test_overlap_layout (void)
{
  /* A 10:00–11:00, B 10:30–11:30, C 11:00–12:00, D 14:00–15:00.
   * A and B overlap, B and C overlap: one group of two columns; C goes
   * back to column 0 since A is over; D stands alone. */
  OknoWeekItem items[] = {
    { GINT_TO_POINTER ('C'), 660, 720 },
    { GINT_TO_POINTER ('A'), 600, 660 },
    { GINT_TO_POINTER ('D'), 840, 900 },
    { GINT_TO_POINTER ('B'), 630, 690 },
  };

  okno_week_layout_day (items, G_N_ELEMENTS (items));

  g_assert_cmpint (GPOINTER_TO_INT (items[0].data), ==, 'A');
  g_assert_cmpuint (items[0].column, ==, 0);
  g_assert_cmpuint (items[0].n_columns, ==, 2);
  g_assert_cmpuint (items[0].span, ==, 1);
  g_assert_cmpint (GPOINTER_TO_INT (items[1].data), ==, 'B');
  g_assert_cmpuint (items[1].column, ==, 1);
  g_assert_cmpint (GPOINTER_TO_INT (items[2].data), ==, 'C');
  g_assert_cmpuint (items[2].column, ==, 0);
  g_assert_cmpint (GPOINTER_TO_INT (items[3].data), ==, 'D');
  g_assert_cmpuint (items[3].column, ==, 0);
  g_assert_cmpuint (items[3].n_columns, ==, 1);
  g_assert_cmpuint (items[3].span, ==, 1);
}

static void
test_widening (void)
{
  /* A long event and two short ones beside it that do not overlap each
   * other: three columns are not needed; the second short one widens. */
  OknoWeekItem items[] = {
    { GINT_TO_POINTER ('L'), 600, 780 },
    { GINT_TO_POINTER ('S'), 600, 630 },
    { GINT_TO_POINTER ('T'), 600, 620 },
    { GINT_TO_POINTER ('U'), 700, 720 },
  };

  okno_week_layout_day (items, G_N_ELEMENTS (items));

  /* L col 0, S col 1, T col 2, U col 1 and widens into column 2. */
  g_assert_cmpuint (items[0].n_columns, ==, 3);
  g_assert_cmpint (GPOINTER_TO_INT (items[3].data), ==, 'U');
  g_assert_cmpuint (items[3].column, ==, 1);
  g_assert_cmpuint (items[3].span, ==, 2);
  g_assert_cmpint (GPOINTER_TO_INT (items[2].data), ==, 'T');
  g_assert_cmpuint (items[2].column, ==, 2);
  g_assert_cmpuint (items[2].span, ==, 1);
}

static void
test_touching_events_do_not_share (void)
{
  OknoWeekItem items[] = {
    { NULL, 600, 640 },
    { NULL, 640, 680 },
  };

  okno_week_layout_day (items, G_N_ELEMENTS (items));
  g_assert_cmpuint (items[0].n_columns, ==, 1);
  g_assert_cmpuint (items[1].n_columns, ==, 1);
}

static void
test_empty_day (void)
{
  /* A day without events: nothing to sort, nothing to touch. */
  okno_week_layout_day (NULL, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/okno/week-layout/time-and-pixels", test_time_and_pixels);
  g_test_add_func ("/okno/week-layout/days", test_days);
  g_test_add_func ("/okno/week-layout/snap", test_snap);
  g_test_add_func ("/okno/week-layout/overlap", test_overlap_layout);
  g_test_add_func ("/okno/week-layout/widening", test_widening);
  g_test_add_func ("/okno/week-layout/touching-events", test_touching_events_do_not_share);
  g_test_add_func ("/okno/week-layout/empty-day", test_empty_day);

  return g_test_run ();
}
