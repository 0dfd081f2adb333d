/* okno-test-week.c
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "okno-test-week.h"

#include "okno-local-calendar.h"
#include "okno-schedule.h"
#include "okno-test-ui.h"
#include "okno-week-view-private.h"

/* Nothing is being written: neither the week view's own work nor the
 * calendar file. */
gboolean
okno_test_week_is_idle (gpointer data)
{
  OknoTestWeek *week = data;
  OknoCalendar *calendar = okno_profile_get_calendar (week->instance);

  return !_okno_week_view_is_busy (week->grid) &&
         !(OKNO_IS_LOCAL_CALENDAR (calendar) && okno_local_calendar_is_saving (OKNO_LOCAL_CALENDAR (calendar)));
}

/* Waits for the writes, then lets frames pass: a scroll animation, if
 * anything started one, has moved the view by then (GTK's last 200 ms, a
 * dozen frames; 30 are drawn). */
void
okno_test_week_settle (OknoTestWeek *week)
{
  okno_test_iterate_until (okno_test_week_is_idle, week, 10000);
  for (guint i = 0; i < 30; i++)
    okno_test_wait_frame (GTK_WIDGET (week->window));
}

GDateTime *
okno_test_week_at (OknoTestWeek *week,
                   int           day,
                   int           hour,
                   int           minute)
{
  g_autoptr(GDateTime) d = g_date_time_add_days (week->monday, day);

  return g_date_time_add_minutes (d, hour * 60 + minute);
}

/* The one slot that starts at @start, or NULL. */
OknoEvent *
okno_test_week_slot_at (OknoTestWeek *week,
                        GDateTime    *start)
{
  g_autoptr(GDateTime) end = g_date_time_add_minutes (start, 1);
  g_autoptr(GPtrArray) events = okno_calendar_list_events (okno_profile_get_calendar (week->instance), start, end);

  for (guint i = 0; i < events->len; i++)
    {
      OknoEvent *event = g_ptr_array_index (events, i);

      if (g_date_time_equal (okno_event_get_start (event), start) &&
          okno_schedule_classify (okno_profile_get_schedule (week->instance), event) == OKNO_EVENT_KIND_SLOT)
        return event;
    }
  return NULL;
}

/* Slots that start from @from until @to. */
guint
okno_test_week_count_slots (OknoTestWeek *week,
                            GDateTime    *from,
                            GDateTime    *to)
{
  g_autoptr(GPtrArray) events = okno_calendar_list_events (okno_profile_get_calendar (week->instance), from, to);
  guint n = 0;

  for (guint i = 0; i < events->len; i++)
    {
      OknoEvent *event = g_ptr_array_index (events, i);

      if (okno_schedule_classify (okno_profile_get_schedule (week->instance), event) == OKNO_EVENT_KIND_SLOT &&
          g_date_time_compare (okno_event_get_start (event), from) >= 0)
        n++;
    }
  return n;
}

/* The middle of @day's column at @minutes after its midnight, @dy pixels
 * lower, in the week view's coordinates, from the view's own geometry. */
void
okno_test_week_point (OknoTestWeek *week,
                      int           day,
                      int           minutes,
                      double        dy,
                      double       *x,
                      double       *y)
{
  OknoWeekGeometry geometry;

  _okno_week_view_get_geometry (week->grid, &geometry);
  *x = okno_week_geometry_x_for_day (&geometry, day) + okno_week_geometry_day_width (&geometry) / 2;
  *y = okno_week_geometry_y_for (&geometry, minutes) + dy;
}

/* A drag from one time to another through the week view's private entry
 * points (press, two motions, release): for the geometry, not the wiring,
 * which test-window-input.c drives with real input. */
void
okno_test_week_hook_drag (OknoTestWeek *week,
                          int           day0,
                          int           minutes0,
                          int           day1,
                          int           minutes1)
{
  double x0, y0, x1, y1;

  okno_test_week_point (week, day0, minutes0, 0.3, &x0, &y0);
  okno_test_week_point (week, day1, minutes1, 0.3, &x1, &y1);
  _okno_week_view_press (week->grid, x0, y0);
  _okno_week_view_motion (week->grid, (x0 + x1) / 2, (y0 + y1) / 2);
  _okno_week_view_motion (week->grid, x1, y1);
  _okno_week_view_release (week->grid, x1, y1);
}

/* The window fits the working day to its height and scrolls to its start
 * once it knows its size: only then do times have their final place. */
static gboolean
scrolled_to_working_day (gpointer data)
{
  OknoTestWeek *week = data;
  GtkWidget *scroller = gtk_widget_get_ancestor (GTK_WIDGET (week->grid), GTK_TYPE_SCROLLED_WINDOW);
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller));

  return gtk_adjustment_get_upper (adjustment) > gtk_adjustment_get_page_size (adjustment) &&
         gtk_adjustment_get_value (adjustment) > 0;
}

/* The window may still be settling its size (a slow machine, a sanitizer):
 * waits until the hours' height and the scroll range hold still for a
 * quarter of a second. */
static void
wait_for_size (OknoTestWeek *week)
{
  GtkWidget *scroller = gtk_widget_get_ancestor (GTK_WIDGET (week->grid), GTK_TYPE_SCROLLED_WINDOW);
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller));
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  double height, upper;

  do
    {
      gint64 until = g_get_monotonic_time () + 250 * 1000;

      height = okno_week_view_get_hour_height (week->grid);
      upper = gtk_adjustment_get_upper (adjustment);
      while (g_get_monotonic_time () < until)
        {
          g_main_context_iteration (NULL, FALSE);
          g_usleep (2000);
        }
    }
  while ((height != okno_week_view_get_hour_height (week->grid) || upper != gtk_adjustment_get_upper (adjustment)) &&
         g_get_monotonic_time () < deadline);
}

static void
set_up (OknoTestWeek *week)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) day = g_date_time_add_weeks (now, week->weeks_ahead);

  week->window = OKNO_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (week->app)));
  if (week->width > 0)
    gtk_window_set_default_size (GTK_WINDOW (week->window), week->width, week->height);
  okno_window_set_week (week->window, day);
  week->grid = OKNO_WEEK_VIEW (okno_window_get_grid (week->window));
  week->instance = okno_application_get_profile (week->app);
  week->monday = g_date_time_ref (okno_week_view_get_week (week->grid));
  okno_test_iterate_until (okno_test_is_shown, week->grid, 10000);
  okno_test_iterate_until (scrolled_to_working_day, week, 10000);
  wait_for_size (week);
  okno_test_wait_frame (GTK_WIDGET (week->window));
  if (week->set_up)
    week->set_up (week, week->data);
}

static void
tear_down (OknoTestWeek *week)
{
  GtkWidget *window;

  okno_test_week_settle (week);
  g_clear_pointer (&week->monday, g_date_time_unref);
  /* Dialogs first; the window must then go with nothing holding it. */
  while ((window = okno_test_find_toplevel (GTK_TYPE_WINDOW)) && window != GTK_WIDGET (week->window))
    okno_test_destroy_window (GTK_WINDOW (window));
  okno_test_destroy_window (GTK_WINDOW (week->window));
}

static void
run_activated (GtkApplication *application,
               gpointer        data)
{
  OknoTestWeek *week = data;

  set_up (week);
  week->func (week, week->data);
  tear_down (week);
}

/* Runs @week->func in a fresh data folder with @settings and a fresh
 * application, as main() runs it (meson runs each test in its own process,
 * see tests/meson.build). */
void
okno_test_week_run (OknoTestWeek *week,
                    const char   *settings)
{
  okno_test_ui_profile (settings);
  week->app = okno_application_new ();
  okno_test_run_app (week->app, run_activated, week);
}
