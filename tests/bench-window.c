/* bench-window.c DATA_DIR SECONDS: the window's benchmarks, for
 * build-aux/bench.sh (run under Xvfb). Not a test. Prints:
 *
 *   first-frame MS       from the start of main() to the first painted frame
 *   drag-frames P50 P99 MAX   ms per frame (update to after-paint) while a
 *                        slot is dragged across the week, one step a frame
 *   ready PORT           then the booking page is loaded from outside for
 *                        SECONDS while a 5 ms timer measures how late the
 *                        main loop runs it
 *   stall MS             the longest lateness seen
 *
 * With SECONDS 0 it stops after the first frame.
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <stdlib.h>

#include "okno-application.h"
#include "okno-week-view-private.h"
#include "okno-window.h"

#define DRAG_FRAMES 240
#define TIMER_MS    5

static gint64 started;
static guint seconds;
static GArray *frame_times;
static gint64 frame_began;
static guint drag_step;
static gint64 timer_expected;
static gint64 worst_lateness;
static OknoWeekView *grid;

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

static gboolean
lateness_cb (gpointer user_data)
{
  gint64 now = g_get_monotonic_time ();

  worst_lateness = MAX (worst_lateness, now - timer_expected);
  timer_expected = now + TIMER_MS * 1000;
  return G_SOURCE_CONTINUE;
}

static gboolean
finish_cb (gpointer user_data)
{
  g_print ("stall %.1f\n", worst_lateness / 1000.0);
  g_application_quit (G_APPLICATION (user_data));
  return G_SOURCE_REMOVE;
}

static void
start_load_phase (GApplication *app)
{
  OknoProfile *instance = okno_application_get_profile (OKNO_APPLICATION (app));

  g_print ("ready %u\n", okno_web_server_get_port (okno_profile_get_web_server (instance)));
  timer_expected = g_get_monotonic_time () + TIMER_MS * 1000;
  g_timeout_add (TIMER_MS, lateness_cb, NULL);
  g_timeout_add_seconds (seconds, finish_cb, app);
}

static void
after_paint_cb (GdkFrameClock *clock,
                GApplication  *app)
{
  if (started != 0)
    {
      g_print ("first-frame %.1f\n", (g_get_monotonic_time () - started) / 1000.0);
      started = 0;
      if (seconds == 0)
        g_application_quit (app);
      return;
    }

  if (frame_began != 0)
    {
      double ms = (g_get_monotonic_time () - frame_began) / 1000.0;
      g_array_append_val (frame_times, ms);
      if (g_getenv ("OKNO_BENCH_VERBOSE") && ms > 3)
        g_printerr ("slow frame %u: %.2f ms\n", drag_step, ms);
      frame_began = 0;
    }
}

/* One drag step a frame: Monday 08:00 to Sunday evening and back. */
static gboolean
drag_tick_cb (GtkWidget     *widget,
              GdkFrameClock *clock,
              gpointer       app)
{
  OknoWeekGeometry geometry;
  double t = (double) drag_step / DRAG_FRAMES;
  double x, y;

  _okno_week_view_get_geometry (grid, &geometry);
  x = geometry.ruler_width + 5 + t * (geometry.width - geometry.ruler_width - 10);
  y = okno_week_geometry_y_for (&geometry, 8 * 60) + t * okno_week_geometry_y_for (&geometry, 12 * 60);

  if (drag_step == 0)
    _okno_week_view_press (grid, x, y);
  else if (drag_step < DRAG_FRAMES)
    _okno_week_view_motion (grid, x, y);
  else
    {
      double p50, p99, max;

      g_array_sort (frame_times, compare_doubles);
      p50 = g_array_index (frame_times, double, frame_times->len / 2);
      p99 = g_array_index (frame_times, double, (frame_times->len * 99) / 100);
      max = g_array_index (frame_times, double, frame_times->len - 1);
      g_print ("drag-frames %.2f %.2f %.2f (%u frames)\n", p50, p99, max, frame_times->len);
      start_load_phase (app);
      return G_SOURCE_REMOVE;
    }

  frame_began = g_get_monotonic_time ();
  drag_step++;
  gtk_widget_queue_draw (widget);
  return G_SOURCE_CONTINUE;
}

/* A person drags once the window has settled (its first layout done, the
 * working day fitted to its height), not in its first milliseconds. */
static gboolean
start_drag_cb (gpointer app)
{
  gtk_widget_add_tick_callback (GTK_WIDGET (grid), drag_tick_cb, app, NULL);
  return G_SOURCE_REMOVE;
}

static void
window_mapped_cb (GtkWidget    *window,
                  GApplication *app)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (window);

  g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), app);
  grid = OKNO_WEEK_VIEW (okno_window_get_grid (OKNO_WINDOW (window)));
  if (seconds > 0)
    g_timeout_add (1000, start_drag_cb, app);
}

static void
window_added_cb (GtkApplication *app,
                 GtkWindow      *window)
{
  if (OKNO_IS_WINDOW (window))
    g_signal_connect (window, "map", G_CALLBACK (window_mapped_cb), app);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(OknoApplication) app = NULL;
  char *args[] = { argv[0], (char *) "--data-dir", NULL, (char *) "--port", (char *) "0", NULL };

  started = g_get_monotonic_time ();
  if (argc != 3)
    {
      g_printerr ("usage: bench-window DATA_DIR SECONDS\n");
      return 2;
    }
  args[2] = argv[1];
  seconds = atoi (argv[2]);
  frame_times = g_array_new (FALSE, FALSE, sizeof (double));

  app = okno_application_new ();
  g_signal_connect (app, "window-added", G_CALLBACK (window_added_cb), NULL);
  return g_application_run (G_APPLICATION (app), G_N_ELEMENTS (args) - 1, args);
}
