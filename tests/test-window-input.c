/* test-window-input.c: the week in a real window, used with a real
 * pointer and keyboard under Xvfb.
 *
 * xdotool sends the input through the X server (XTEST), so it reaches the
 * week view through GDK's event path and the controllers the widget has
 * wired: a gesture or a shortcut that is no longer connected fails here,
 * which the private entry points of test-week-view.c cannot see. Every
 * test checks the calendar afterwards, not the widget.
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>

#include "okno-application.h"
#include "okno-event-tile.h"
#include "okno-test-ui.h"
#include "okno-test-utils.h"
#include "okno-test-week.h"
#include "okno-time.h"
#include "okno-week-view-private.h"
#include "okno-window.h"

/* Any free port for the page; Olga's zone; no rate limit; her contact
 * known, so that no bar slides in above the week while the pointer aims. */
#define SETTINGS "[okno]\nport=uint16 0\ntime-zone='Europe/Moscow'\nrate-limit=uint32 0\ncontact='@olga'\n"

typedef struct _Fixture Fixture;

struct _Fixture
{
  OknoTestWeek week;

  /* What a wait waits for. */
  GDateTime   *start;
  int          minutes;
  GtkWidget   *focus;
};

static guint
count_slots (Fixture *f)
{
  g_autoptr(GDateTime) end = g_date_time_add_days (f->week.monday, 7);

  return okno_test_week_count_slots (&f->week, f->week.monday, end);
}

/* The calendar has a slot from f->start, f->minutes long. */
static gboolean
slot_is_there (gpointer data)
{
  Fixture *f = data;
  OknoEvent *event = okno_test_week_slot_at (&f->week, f->start);

  return event != NULL &&
         g_date_time_difference (okno_event_get_end (event), okno_event_get_start (event)) == f->minutes * G_TIME_SPAN_MINUTE;
}

static gboolean
slot_is_gone (gpointer data)
{
  Fixture *f = data;

  return okno_test_week_slot_at (&f->week, f->start) == NULL;
}

static void
wait_for_slot (Fixture   *f,
               GDateTime *start,
               int        minutes)
{
  g_autofree char *text = g_date_time_format_iso8601 (start);

  g_test_message ("Waiting for a %d-minute slot at %s", minutes, text);
  f->start = start;
  f->minutes = minutes;
  okno_test_iterate_until (slot_is_there, f, 10000);
  okno_test_week_settle (&f->week);
  g_assert_cmpstr (okno_event_get_private (okno_test_week_slot_at (&f->week, start), "okno"), ==, "slot");
}

static void
wait_for_no_slot (Fixture   *f,
                  GDateTime *start)
{
  f->start = start;
  okno_test_iterate_until (slot_is_gone, f, 10000);
  okno_test_week_settle (&f->week);
}

/* A popover of the window's own, outside the week view: the tip that points
 * at the share button after the first slot. It takes the next click and
 * key, as it would a person's, so it is closed first, as a person would. */
static GtkWidget *
find_window_popover (Fixture *f)
{
  g_autoptr(GPtrArray) popovers = g_ptr_array_new ();

  okno_test_collect (GTK_WIDGET (f->week.window), GTK_TYPE_POPOVER, popovers);
  for (guint i = 0; i < popovers->len; i++)
    {
      GtkWidget *popover = g_ptr_array_index (popovers, i);

      if (gtk_widget_get_mapped (popover) && !gtk_widget_is_ancestor (popover, GTK_WIDGET (f->week.grid)))
        return popover;
    }
  return NULL;
}

static gboolean
window_popover_is_closed (gpointer data)
{
  return find_window_popover (data) == NULL;
}

static void
close_window_popover (Fixture *f)
{
  okno_test_wait_frame (GTK_WIDGET (f->week.window));
  if (find_window_popover (f) == NULL)
    return;
  g_test_message ("Closing the window's popover with Escape");
  okno_test_xdotool ("key", "--clearmodifiers", "Escape", NULL);
  okno_test_iterate_until (window_popover_is_closed, f, 10000);
}

static GtkGesture *
get_drag_gesture (Fixture *f)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (f->week.grid));

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_GESTURE_DRAG (controller))
        return GTK_GESTURE (controller);
    }
  return NULL;
}

/* A point in the week view: the middle of @day's column, @minutes after
 * its midnight (plus @dy pixels), from the view's own geometry. It must be
 * in sight: the scrolled window shows the working day. */
static void
point_for (Fixture *f,
           int      day,
           int      minutes,
           double   dy,
           double  *x,
           double  *y)
{
  GtkWidget *scroller = gtk_widget_get_ancestor (GTK_WIDGET (f->week.grid), GTK_TYPE_SCROLLED_WINDOW);
  graphene_point_t in_scroller;

  okno_test_week_point (&f->week, day, minutes, 1 + dy, x, y);

  g_assert_nonnull (scroller);
  g_assert_true (gtk_widget_compute_point (GTK_WIDGET (f->week.grid), scroller, &GRAPHENE_POINT_INIT (*x, *y), &in_scroller));
  if (in_scroller.y < 0 || in_scroller.y >= gtk_widget_get_height (scroller))
    g_error ("%02d:%02d is out of sight", minutes / 60, minutes % 60);
}

static gboolean
gesture_is_active (gpointer data)
{
  return gtk_gesture_is_active (data);
}

static gboolean
gesture_is_idle (gpointer data)
{
  return !gtk_gesture_is_active (data);
}

/* Press at one point, move through the middle to the other, release:
 * each step waits until GTK has seen it. */
static void
drag (Fixture *f,
      int      day0,
      int      minutes0,
      double   dy0,
      int      day1,
      int      minutes1,
      double   dy1)
{
  GtkGesture *gesture = get_drag_gesture (f);
  double x0, y0, x1, y1;

  g_assert_nonnull (gesture);
  /* Positions are read once the window has laid out what changed. */
  close_window_popover (f);
  point_for (f, day0, minutes0, dy0, &x0, &y0);
  point_for (f, day1, minutes1, dy1, &x1, &y1);
  okno_test_pointer_to (GTK_WIDGET (f->week.grid), x0, y0);
  okno_test_xdotool ("mousedown", "1", NULL);
  okno_test_iterate_until (gesture_is_active, gesture, 10000);
  if (x0 != x1 || y0 != y1)
    {
      okno_test_pointer_to (GTK_WIDGET (f->week.grid), (x0 + x1) / 2, (y0 + y1) / 2);
      okno_test_pointer_to (GTK_WIDGET (f->week.grid), x1, y1);
    }
  okno_test_xdotool ("mouseup", "1", NULL);
  okno_test_iterate_until (gesture_is_idle, gesture, 10000);
}

static void
click (Fixture *f,
       int      day,
       int      minutes)
{
  drag (f, day, minutes, 0, day, minutes, 0);
}

static void
keys (Fixture    *f,
      const char *first,
      ...)
{
  va_list args;

  close_window_popover (f);
  va_start (args, first);
  for (const char *key = first; key != NULL; key = va_arg (args, const char *))
    okno_test_xdotool ("key", "--clearmodifiers", key, NULL);
  va_end (args);
}

static void
add_slot (Fixture *f,
          int      day,
          int      hour,
          int      minute,
          int      minutes)
{
  g_autoptr(GDateTime) start = okno_test_week_at (&f->week, day, hour, minute);
  g_autoptr(OknoEvent) event = okno_test_insert_event (okno_profile_get_calendar (f->week.instance),
                                                       "🔓 СЛОТ: Разбор", start, minutes, TRUE);
  okno_test_week_settle (&f->week);
}

static void
set_up (Fixture       *f,
        gconstpointer  data)
{
  okno_test_focus_window (GTK_WIDGET (f->week.window));
  okno_test_week_settle (&f->week);
}

/* A fresh data folder and application for each test, showing next week so
 * that nothing is in the past. */
static void
run_case (gconstpointer data)
{
  Fixture f = { 0 };

  f.week.func = (OknoTestWeekFunc) data;
  f.week.weeks_ahead = 1;
  f.week.set_up = (OknoTestWeekFunc) set_up;
  okno_test_week_run (&f.week, SETTINGS);
}

/* Press at Thursday 10:02, drag to 11:18: snapped to 10:00–11:20. */
static void
test_drag_publishes (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GDateTime) thu_10 = okno_test_week_at (&f->week, 3, 10, 0);

  drag (f, 3, 10 * 60 + 2, 0, 3, 11 * 60 + 18, 0);
  wait_for_slot (f, thu_10, 80);
  g_assert_cmpuint (count_slots (f), ==, 1);
}

/* A click publishes the default 40 minutes. */
static void
test_click_publishes (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GDateTime) fri_12 = okno_test_week_at (&f->week, 4, 12, 0);

  click (f, 4, 12 * 60);
  wait_for_slot (f, fri_12, 40);
  g_assert_cmpuint (count_slots (f), ==, 1);
}

/* Dragging a slot's middle moves it, across days, keeping its length. */
static void
test_drag_moves (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GDateTime) tue_10 = okno_test_week_at (&f->week, 1, 10, 0);
  g_autoptr(GDateTime) wed_1130 = okno_test_week_at (&f->week, 2, 11, 30);

  add_slot (f, 1, 10, 0, 60);
  drag (f, 1, 10 * 60 + 20, 0, 2, 11 * 60 + 50, 0);
  wait_for_slot (f, wed_1130, 60);
  g_assert_null (okno_test_week_slot_at (&f->week, tue_10));
  g_assert_cmpuint (count_slots (f), ==, 1);
}

/* Dragging the bottom edge lengthens; the top edge moves the start. */
static void
test_drag_edge_resizes (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GDateTime) wed_10 = okno_test_week_at (&f->week, 2, 10, 0);
  g_autoptr(GDateTime) wed_0940 = okno_test_week_at (&f->week, 2, 9, 40);

  add_slot (f, 2, 10, 0, 40);
  /* 3 px above the bottom edge (10:40), down to 11:20. */
  drag (f, 2, 10 * 60 + 40, -4, 2, 11 * 60 + 20, 0);
  wait_for_slot (f, wed_10, 80);
  /* 3 px below the top edge, up to 09:40. */
  drag (f, 2, 10 * 60, 2, 2, 9 * 60 + 40, 0);
  wait_for_slot (f, wed_0940, 100);
  g_assert_cmpuint (count_slots (f), ==, 1);
}

static GtkWidget *
find_popover (Fixture *f)
{
  g_autoptr(GPtrArray) popovers = g_ptr_array_new ();

  okno_test_collect (GTK_WIDGET (f->week.grid), GTK_TYPE_POPOVER, popovers);
  for (guint i = 0; i < popovers->len; i++)
    if (gtk_widget_get_mapped (g_ptr_array_index (popovers, i)))
      return g_ptr_array_index (popovers, i);
  return NULL;
}

static gboolean
popover_is_open (gpointer data)
{
  return find_popover (data) != NULL;
}

static gboolean
popover_is_closed (gpointer data)
{
  return find_popover (data) == NULL;
}

/* A click selects a slot and opens its popover; Escape closes that, and
 * the Delete key removes the slot. */
static void
test_delete_key (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GDateTime) mon_11 = okno_test_week_at (&f->week, 0, 11, 0);

  add_slot (f, 0, 11, 0, 40);
  add_slot (f, 0, 14, 0, 40);
  click (f, 0, 11 * 60 + 20);
  okno_test_iterate_until (popover_is_open, f, 10000);
  keys (f, "Escape", NULL);
  okno_test_iterate_until (popover_is_closed, f, 10000);
  g_assert_nonnull (okno_test_week_slot_at (&f->week, mon_11));
  keys (f, "Delete", NULL);
  wait_for_no_slot (f, mon_11);
  g_assert_cmpuint (count_slots (f), ==, 1);
}

/* Ctrl+Z in the week view, and the window's own Ctrl+Z binding when the
 * focus is elsewhere (a header bar button): each undoes the last change. */
static void
test_ctrl_z (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GDateTime) thu_10 = okno_test_week_at (&f->week, 3, 10, 0);
  g_autoptr(GDateTime) thu_12 = okno_test_week_at (&f->week, 3, 12, 0);
  g_autoptr(GPtrArray) buttons = g_ptr_array_new ();

  click (f, 3, 10 * 60);
  wait_for_slot (f, thu_10, 40);
  click (f, 3, 12 * 60);
  wait_for_slot (f, thu_12, 40);

  /* The week view has the focus after a click. */
  g_assert_true (gtk_widget_has_focus (GTK_WIDGET (f->week.grid)));
  keys (f, "ctrl+z", NULL);
  wait_for_no_slot (f, thu_12);
  g_assert_nonnull (okno_test_week_slot_at (&f->week, thu_10));

  /* Focus on a button of the header bar: the window's binding undoes. */
  okno_test_collect (GTK_WIDGET (f->week.window), GTK_TYPE_BUTTON, buttons);
  g_assert_cmpuint (buttons->len, >, 0);
  gtk_widget_grab_focus (g_ptr_array_index (buttons, 0));
  g_assert_false (gtk_widget_has_focus (GTK_WIDGET (f->week.grid)));
  keys (f, "ctrl+z", NULL);
  wait_for_no_slot (f, thu_10);
  g_assert_cmpuint (count_slots (f), ==, 0);
}

/* The cursor follows the arrows by a day and by the snap step; Enter
 * publishes there. */
static void
test_arrows_enter (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GDateTime) mon_10 = okno_test_week_at (&f->week, 0, 10, 0);
  g_autoptr(GDateTime) tue_1030 = okno_test_week_at (&f->week, 1, 10, 30);

  /* A click on Monday 10:00 publishes there and puts the cursor there. */
  click (f, 0, 10 * 60);
  wait_for_slot (f, mon_10, 40);
  keys (f, "Escape", "Right", "Down", "Down", "Down", "Return", NULL);
  wait_for_slot (f, tue_1030, 40);
  g_assert_cmpuint (count_slots (f), ==, 2);
}

static GtkWidget *
focus_of (Fixture *f)
{
  return gtk_root_get_focus (GTK_ROOT (f->week.window));
}

static gboolean
focus_moved (gpointer data)
{
  Fixture *f = data;

  return focus_of (f) != f->focus;
}

static gboolean
has_three_slots (gpointer data)
{
  return count_slots (data) == 3;
}

/* Tab goes from the week view to each of its slots once, and then out of
 * it. The order is GTK's for a widget's children, top to bottom as they
 * are drawn: by time of day, not by date (a chronological order would
 * need the week view to order its focus chain itself). */
static void
test_tab_order (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GPtrArray) seen = g_ptr_array_new ();
  GDateTime *expected[4];

  expected[0] = okno_test_week_at (&f->week, 3, 9, 0);
  expected[1] = okno_test_week_at (&f->week, 1, 11, 0);
  expected[2] = okno_test_week_at (&f->week, 0, 14, 0);
  expected[3] = okno_test_week_at (&f->week, 6, 16, 0);
  add_slot (f, 1, 11, 0, 40);
  add_slot (f, 0, 14, 0, 40);
  add_slot (f, 3, 9, 0, 40);

  /* The week view itself first: a click on an empty spot (it publishes a
   * slot, which Ctrl+Z takes back). */
  click (f, 6, 16 * 60);
  wait_for_slot (f, expected[3], 40);
  keys (f, "ctrl+z", NULL);
  okno_test_iterate_until (has_three_slots, f, 10000);
  okno_test_week_settle (&f->week);
  g_assert_true (focus_of (f) == GTK_WIDGET (f->week.grid));

  for (guint i = 0; i < 4; i++)
    {
      f->focus = focus_of (f);
      keys (f, "Tab", NULL);
      okno_test_iterate_until (focus_moved, f, 10000);
      if (!OKNO_IS_EVENT_TILE (focus_of (f)))
        break;
      g_ptr_array_add (seen, focus_of (f));
    }
  for (guint i = 0; i < seen->len; i++)
    {
      OknoEvent *event = okno_event_tile_get_event (g_ptr_array_index (seen, i));
      g_autofree char *text = g_date_time_format_iso8601 (okno_event_get_start (event));

      g_test_message ("Tab %u: %s", i + 1, text);
    }
  g_assert_cmpuint (seen->len, ==, 3);
  for (guint i = 0; i < 3; i++)
    g_assert_true (g_date_time_equal (okno_event_get_start (okno_event_tile_get_event (g_ptr_array_index (seen, i))),
                                      expected[i]));
  g_assert_false (gtk_widget_is_ancestor (focus_of (f), GTK_WIDGET (f->week.grid)));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    g_date_time_unref (expected[i]);
}

int
main (int   argc,
      char *argv[])
{
  okno_test_ui_profile (SETTINGS);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

#define ADD(path, func) \
  g_test_add_data_func (path, (gconstpointer) func, run_case)

  ADD ("/okno/window-input/drag-publishes", test_drag_publishes);
  ADD ("/okno/window-input/click-publishes", test_click_publishes);
  ADD ("/okno/window-input/drag-moves", test_drag_moves);
  ADD ("/okno/window-input/drag-edge-resizes", test_drag_edge_resizes);
  ADD ("/okno/window-input/delete-key", test_delete_key);
  ADD ("/okno/window-input/ctrl-z", test_ctrl_z);
  ADD ("/okno/window-input/arrows-enter", test_arrows_enter);
  ADD ("/okno/window-input/tab-order", test_tab_order);

  return g_test_run ();
}
