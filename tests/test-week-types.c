/* test-week-types.c: the window keeps Olga's place, publishes the session
 * type she chose, and undoes a week's copy in one step. Under Xvfb.
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <math.h>
#include <string.h>

#include "okno-application.h"
#include "okno-booking-popover.h"
#include "okno-event-tile.h"
#include "okno-session-type.h"
#include "okno-share-popover.h"
#include "okno-slot-popover.h"
#include "okno-test-ui.h"
#include "okno-test-utils.h"
#include "okno-test-week.h"
#include "okno-time.h"
#include "okno-week-view-private.h"
#include "okno-window.h"

#define SETTINGS "[okno]\nport=uint16 0\ntime-zone='Europe/Moscow'\nrate-limit=uint32 0\n" \
                 "min-notice-minutes=uint32 0\nbooking-window-days=uint32 365\n"

typedef struct _Fixture Fixture;

struct _Fixture
{
  OknoTestWeek   week;
  GtkAdjustment *vadjustment;
};

/* Waits for the writes, then lets frames pass: a scroll animation, if
 * anything started one, has moved the view by then (GTK's last 200 ms, a
 * dozen frames; 30 are drawn). */
static void
settle (Fixture *f)
{
  okno_test_week_settle (&f->week);
  for (guint i = 0; i < 30; i++)
    okno_test_wait_frame (GTK_WIDGET (f->week.window));
}

static void
drag (Fixture *f,
      int      day0,
      int      minutes0,
      int      day1,
      int      minutes1)
{
  okno_test_week_hook_drag (&f->week, day0, minutes0, day1, minutes1);
  settle (f);
}

static void
assert_slot (Fixture    *f,
             GDateTime  *start,
             int         minutes,
             const char *title)
{
  OknoEvent *event = okno_test_week_slot_at (&f->week, start);
  g_autofree char *text = g_date_time_format_iso8601 (start);

  if (event == NULL)
    g_error ("No slot starts at %s", text);
  g_assert_cmpint (g_date_time_difference (okno_event_get_end (event), okno_event_get_start (event)),
                   ==, minutes * G_TIME_SPAN_MINUTE);
  g_assert_cmpstr (okno_event_get_summary (event), ==, title);
}

static void
set_up (Fixture       *f,
        gconstpointer  data)
{
  f->vadjustment = gtk_scrolled_window_get_vadjustment (
    GTK_SCROLLED_WINDOW (gtk_widget_get_ancestor (GTK_WIDGET (f->week.grid), GTK_TYPE_SCROLLED_WINDOW)));
}

/* A fresh data folder and application for each test, each with a week of
 * its own, @weeks ahead of this one. */
static void
run_case (gconstpointer data)
{
  const struct { gconstpointer weeks; void (*func) (Fixture *, gconstpointer); } *c = data;
  Fixture f = { 0 };

  f.week.func = (OknoTestWeekFunc) c->func;
  f.week.data = c->weeks;
  f.week.weeks_ahead = GPOINTER_TO_INT (c->weeks);
  f.week.width = 1100;
  f.week.height = 720;
  f.week.set_up = (OknoTestWeekFunc) set_up;
  okno_test_week_run (&f.week, SETTINGS);
}

static void
set_types (Fixture *f)
{
  GSettings *settings = okno_profile_get_settings (f->week.instance);

  g_settings_set_value (settings, OKNO_SESSION_TYPES_KEY,
                        g_variant_new_parsed ("[('a', 'Включить в дело', uint32 40, '', '', ''),"
                                              " ('b', 'Разбор', uint32 90, 'Подробно', 'Онлайн', '5000 ₽')]"));
  g_settings_set_string (settings, OKNO_CURRENT_SESSION_TYPE_KEY, "b");
}

static GtkWidget *
find_popover (GtkWidget *root,
              GType      type)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new ();

  okno_test_collect (root, type, found);
  for (guint i = 0; i < found->len; i++)
    if (gtk_widget_get_visible (g_ptr_array_index (found, i)))
      return g_ptr_array_index (found, i);
  return NULL;
}

#define assert_not_scrolled(f, value) \
  g_assert_cmpfloat_with_epsilon (gtk_adjustment_get_value ((f)->vadjustment), (value), 0.5)

/* A click, a drag, moving a slot, Esc and closing a popover leave the
 * scroll position where Olga left it. */
static void
test_scroll_kept (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GDateTime) tue_10 = okno_test_week_at (&f->week, 1, 10, 0);
  g_autoptr(GDateTime) tue_13 = okno_test_week_at (&f->week, 1, 13, 0);
  g_autoptr(GDateTime) thu_15 = okno_test_week_at (&f->week, 3, 15, 0);
  GtkWidget *popover;
  double value;

  /* Olga scrolls a little down from the working day's start. */
  value = gtk_adjustment_get_value (f->vadjustment) + okno_week_view_get_hour_height (f->week.grid);
  gtk_adjustment_set_value (f->vadjustment, value);
  value = gtk_adjustment_get_value (f->vadjustment);
  settle (f);
  assert_not_scrolled (f, value);

  /* The first click in the window publishes a slot, and stays. */
  drag (f, 1, 10 * 60, 1, 10 * 60);
  g_assert_nonnull (okno_test_week_slot_at (&f->week, tue_10));
  assert_not_scrolled (f, value);

  /* A drag on empty grid. */
  drag (f, 2, 11 * 60, 2, 12 * 60);
  assert_not_scrolled (f, value);

  /* Moving a slot (its tile is made anew). */
  drag (f, 1, 10 * 60 + 20, 1, 13 * 60 + 20);
  g_assert_nonnull (okno_test_week_slot_at (&f->week, tue_13));
  assert_not_scrolled (f, value);

  /* Esc. */
  _okno_week_view_key (f->week.grid, GDK_KEY_Escape, 0);
  settle (f);
  assert_not_scrolled (f, value);

  /* A click on an open slot opens its popover; closing it keeps the place. */
  drag (f, 1, 13 * 60 + 20, 1, 13 * 60 + 20);
  popover = find_popover (GTK_WIDGET (f->week.grid), OKNO_TYPE_SLOT_POPOVER);
  g_assert_nonnull (popover);
  gtk_popover_popdown (GTK_POPOVER (popover));
  settle (f);
  assert_not_scrolled (f, value);

  /* A booked session's popover, too (booked as the old system wrote it). */
  g_object_unref (okno_test_insert_event (okno_profile_get_calendar (f->week.instance), "✅ Вера — Разбор",
                                          thu_15, 40, TRUE));
  settle (f);
  drag (f, 3, 15 * 60 + 20, 3, 15 * 60 + 20);
  popover = find_popover (GTK_WIDGET (f->week.grid), OKNO_TYPE_BOOKING_POPOVER);
  g_assert_nonnull (popover);
  gtk_popover_popdown (GTK_POPOVER (popover));
  settle (f);
  assert_not_scrolled (f, value);

  /* The keyboard still brings the cursor into view. */
  for (guint i = 0; i < 6 * 24; i++)
    _okno_week_view_key (f->week.grid, GDK_KEY_Down, 0);
  settle (f);
  g_assert_cmpfloat (gtk_adjustment_get_value (f->vadjustment), >, value);
}

/* A click publishes the header bar's type at its length; a drag, that
 * type at the dragged length; a slot's popover changes its type. */
static void
test_session_types (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GDateTime) mon_10 = okno_test_week_at (&f->week, 0, 10, 0);
  g_autoptr(GDateTime) mon_14 = okno_test_week_at (&f->week, 0, 14, 0);
  g_autoptr(GDateTime) wed_10 = okno_test_week_at (&f->week, 2, 10, 0);
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();
  GtkWidget *popover;
  g_autoptr(GPtrArray) checks = g_ptr_array_new ();
  gboolean shown = FALSE;

  set_types (f);
  settle (f);

  /* The header bar names the current type. */
  okno_test_collect (GTK_WIDGET (f->week.window), GTK_TYPE_LABEL, labels);
  for (guint i = 0; i < labels->len; i++)
    if (g_strcmp0 (gtk_label_get_label (g_ptr_array_index (labels, i)), "Разбор") == 0 &&
        gtk_widget_get_ancestor (g_ptr_array_index (labels, i), GTK_TYPE_MENU_BUTTON) != NULL)
      shown = TRUE;
  g_assert_true (shown);

  drag (f, 0, 10 * 60, 0, 10 * 60);
  assert_slot (f, mon_10, 90, "🔓 СЛОТ: Разбор");

  drag (f, 0, 14 * 60, 0, 14 * 60 + 30);
  assert_slot (f, mon_14, 30, "🔓 СЛОТ: Разбор");

  /* Another type chosen from the header bar's menu. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->week.window), "win." OKNO_CURRENT_SESSION_TYPE_KEY,
                                             "s", "a"));
  drag (f, 2, 10 * 60, 2, 10 * 60);
  assert_slot (f, wed_10, 40, "🔓 СЛОТ: Включить в дело");

  /* The popover of Monday's 90-minute slot makes it «Включить в дело»,
   * without a stale length in its title; Undo brings the type back. */
  drag (f, 0, 10 * 60 + 30, 0, 10 * 60 + 30);
  popover = find_popover (GTK_WIDGET (f->week.grid), OKNO_TYPE_SLOT_POPOVER);
  g_assert_nonnull (popover);
  okno_test_collect (popover, GTK_TYPE_CHECK_BUTTON, checks);
  g_assert_cmpuint (checks->len, ==, 2);
  g_assert_true (gtk_check_button_get_active (g_ptr_array_index (checks, 1)));
  gtk_check_button_set_active (g_ptr_array_index (checks, 0), TRUE);
  settle (f);
  assert_slot (f, mon_10, 90, "🔓 СЛОТ: Включить в дело");
  g_assert_true (okno_week_view_undo (f->week.grid));
  settle (f);
  assert_slot (f, mon_10, 90, "🔓 СЛОТ: Разбор");

  /* An old slot made longer loses its stale «(40 мин)». */
  {
    g_autoptr(GDateTime) thu_10 = okno_test_week_at (&f->week, 3, 10, 0);
    double x, y_bottom, y_target, unused;

    g_object_unref (okno_test_insert_event (okno_profile_get_calendar (f->week.instance),
                                            "🔓 СЛОТ: Включить в дело (40 мин)", thu_10, 40, TRUE));
    settle (f);
    okno_test_week_point (&f->week, 3, 10 * 60 + 40, 0.3, &x, &y_bottom);
    okno_test_week_point (&f->week, 3, 11 * 60 + 30, 0.3, &unused, &y_target);
    _okno_week_view_press (f->week.grid, x, y_bottom - 3);
    _okno_week_view_motion (f->week.grid, x, y_target);
    _okno_week_view_release (f->week.grid, x, y_target);
    settle (f);
    assert_slot (f, thu_10, 90, "🔓 СЛОТ: Включить в дело");
  }
}

/* Copy Previous Week's Slots is one step for Undo; Undo is then off. */
static void
test_undo_copy_week (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GDateTime) previous = g_date_time_add_weeks (f->week.monday, -1);
  g_autoptr(GDateTime) next = g_date_time_add_weeks (f->week.monday, 1);
  OknoCalendar *calendar = okno_profile_get_calendar (f->week.instance);

  for (int i = 0; i < 6; i++)
    {
      g_autoptr(GDateTime) day = g_date_time_add_days (previous, i);
      g_autoptr(GDateTime) start = g_date_time_add_hours (day, 10 + i);

      g_object_unref (okno_test_insert_event (calendar, "🔓 СЛОТ: Разбор", start, 60, TRUE));
    }
  settle (f);
  g_assert_cmpuint (okno_test_week_count_slots (&f->week, f->week.monday, next), ==, 0);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->week.window), "week.copy-previous", NULL));
  settle (f);
  g_assert_cmpuint (okno_test_week_count_slots (&f->week, f->week.monday, next), ==, 6);
  g_assert_true (okno_week_view_can_undo (f->week.grid));

  /* One Undo (the toast's button and Ctrl+Z run week.undo). */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->week.window), "week.undo", NULL));
  settle (f);
  g_assert_cmpuint (okno_test_week_count_slots (&f->week, f->week.monday, next), ==, 0);
  g_assert_cmpuint (okno_test_week_count_slots (&f->week, previous, f->week.monday), ==, 6);

  /* With everything undone, there is nothing left to undo. */
  while (okno_week_view_undo (f->week.grid))
    settle (f);
  g_assert_false (okno_week_view_can_undo (f->week.grid));
}

static GtkWidget *
find_named (GtkWidget  *root,
            GType       type,
            const char *name)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new ();

  okno_test_collect (root, type, found);
  for (guint i = 0; i < found->len; i++)
    if (g_strcmp0 (gtk_widget_get_name (g_ptr_array_index (found, i)), name) == 0)
      return g_ptr_array_index (found, i);
  return NULL;
}

/* First start: the empty week says what to do until the first slot; the
 * window asks for Olga's contact until she gives it. */
static void
test_first_steps (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();
  GtkWidget *hint = NULL;
  GtkRevealer *contact_bar = GTK_REVEALER (find_named (GTK_WIDGET (f->week.window), GTK_TYPE_REVEALER, "contact-bar"));
  g_autoptr(GPtrArray) entries = g_ptr_array_new ();
  g_autofree char *contact = NULL;

  okno_test_collect (GTK_WIDGET (f->week.window), GTK_TYPE_LABEL, labels);
  for (guint i = 0; i < labels->len; i++)
    if (gtk_widget_has_css_class (g_ptr_array_index (labels, i), "empty-hint"))
      hint = g_ptr_array_index (labels, i);
  g_assert_nonnull (hint);
  g_assert_true (gtk_widget_get_visible (hint));
  okno_test_save_screenshot (GTK_WIDGET (f->week.window), "window-first-start.png");

  drag (f, 1, 10 * 60, 1, 10 * 60);
  g_assert_false (gtk_widget_get_visible (hint));

  g_assert_nonnull (contact_bar);
  g_assert_true (gtk_revealer_get_reveal_child (contact_bar));
  okno_test_collect (GTK_WIDGET (contact_bar), GTK_TYPE_ENTRY, entries);
  g_assert_cmpuint (entries->len, ==, 1);
  gtk_editable_set_text (GTK_EDITABLE (g_ptr_array_index (entries, 0)), " @olga_rozet ");
  g_signal_emit_by_name (g_ptr_array_index (entries, 0), "activate");
  contact = g_settings_get_string (okno_profile_get_settings (f->week.instance), "contact");
  g_assert_cmpstr (contact, ==, "@olga_rozet");
  g_assert_false (gtk_revealer_get_reveal_child (contact_bar));
}

/* A tile shows whole lines only: whatever its height, the text it asks
 * for fits in it, and its tooltip has the whole title. */
static void
test_tile_lines (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GDateTime) start = okno_test_week_at (&f->week, 2, 10, 0);
  g_autoptr(GDateTime) end = g_date_time_add_minutes (start, 40);
  g_autoptr(OknoEvent) event = okno_event_new ("tilelines1", "🔓 СЛОТ: Включить в дело: долгая практика с разбором",
                                               start, end);
  GtkWidget *tile = okno_event_tile_new (event, OKNO_EVENT_KIND_SLOT,
                                         okno_schedule_get_time_zone (okno_profile_get_schedule (f->week.instance)),
                                         "🔓 СЛОТ", "✅", FALSE);
  int heights[] = { 18, 30, 45, 60, 90, 200 };

  g_object_ref_sink (tile);
  gtk_widget_set_parent (tile, GTK_WIDGET (f->week.grid));
  for (guint i = 0; i < G_N_ELEMENTS (heights); i++)
    {
      int minimum, natural;

      okno_event_tile_fit (OKNO_EVENT_TILE (tile), 90, heights[i]);
      gtk_widget_measure (tile, GTK_ORIENTATION_VERTICAL, 90, &minimum, &natural, NULL, NULL);
      if (heights[i] >= 30)
        g_assert_cmpint (natural, <=, heights[i]);
    }
  g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (tile), "Включить в дело: долгая практика с разбором"));
  gtk_widget_unparent (tile);
  g_object_unref (tile);
}

/* Phones in the booking popover are grouped for reading, and dial. */
static void
test_phone_format (void)
{
  struct { const char *typed, *shown, *digits; } cases[] = {
    { "+79123456789", "+7 912 345-67-89", "+79123456789" },
    { "8 (912) 345-67-89", "+7 912 345-67-89", "+79123456789" },
    { "+49 30  1234567", "+49 30 1234567", "+49301234567" },
    { "+1 (555) 010-9999", "+1 (555) 010-9999", "+15550109999" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *digits = NULL;
      g_autofree char *shown = okno_format_phone (cases[i].typed, &digits);

      g_assert_cmpstr (digits, ==, cases[i].digits);
      g_assert_cmpstr (shown, ==, cases[i].shown);
    }
}

static gboolean
n_days_is (gpointer data)
{
  gpointer *args = data;

  return okno_week_view_get_n_days (args[0]) == GPOINTER_TO_INT (args[1]);
}

static void
wait_n_days (Fixture *f,
             int      n)
{
  gpointer args[2] = { f->week.grid, GINT_TO_POINTER (n) };

  okno_test_iterate_until (n_days_is, args, 5000);
  settle (f);
}

/* A narrow window shows three days, or one under 500 px, and can shrink
 * to 360 px; the arrows move by what is shown. */
static void
test_narrow (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GDateTime) first = NULL;
  g_autoptr(GDateTime) expected = NULL;
  int minimum, natural;

  gtk_window_set_default_size (GTK_WINDOW (f->week.window), 700, 600);
  wait_n_days (f, 3);
  okno_test_save_screenshot (GTK_WIDGET (f->week.window), "window-700.png");
  first = g_date_time_ref (okno_window_get_week (f->week.window));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->week.window), "week.next", NULL));
  expected = g_date_time_add_days (first, 3);
  g_assert_true (g_date_time_equal (okno_window_get_week (f->week.window), expected));

  /* A swipe to the left over the days' headings moves on three more. */
  {
    g_autoptr(GPtrArray) headers = g_ptr_array_new ();
    g_autoptr(GListModel) controllers = NULL;
    g_autoptr(GDateTime) after_swipe = g_date_time_add_days (first, 6);
    GtkWidget *header = NULL;

    okno_test_collect (GTK_WIDGET (f->week.window), GTK_TYPE_BOX, headers);
    for (guint i = 0; i < headers->len; i++)
      if (gtk_widget_has_css_class (g_ptr_array_index (headers, i), "day-header"))
        header = g_ptr_array_index (headers, i);
    g_assert_nonnull (header);
    controllers = gtk_widget_observe_controllers (header);
    for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
      {
        g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

        if (GTK_IS_GESTURE_SWIPE (controller))
          g_signal_emit_by_name (controller, "swipe", -900.0, 40.0);
      }
    g_assert_true (g_date_time_equal (okno_window_get_week (f->week.window), after_swipe));
  }

  gtk_window_set_default_size (GTK_WINDOW (f->week.window), 360, 640);
  wait_n_days (f, 1);
  gtk_widget_measure (GTK_WIDGET (f->week.window), GTK_ORIENTATION_HORIZONTAL, -1, &minimum, &natural, NULL, NULL);
  g_assert_cmpint (minimum, <=, 360);
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (f->week.window)), <=, 360);
  okno_test_save_screenshot (GTK_WIDGET (f->week.window), "window-360.png");

  gtk_window_set_default_size (GTK_WINDOW (f->week.window), 1100, 720);
  wait_n_days (f, 7);
  g_assert_cmpint (g_date_time_get_day_of_week (okno_window_get_week (f->week.window)), ==, 1);

  /* Wide again, the working day is in view again, from its start: not
   * wherever the narrow layout's heights left the scroll. */
  {
    GtkAdjustment *adjustment = f->vadjustment;
    GSettings *settings = okno_profile_get_settings (f->week.instance);
    double top = g_settings_get_uint (settings, "day-start-hour") - 0.25;
    gint64 deadline = g_get_monotonic_time () + 10 * G_TIME_SPAN_SECOND;

    while (fabs (gtk_adjustment_get_value (adjustment) -
                 top * okno_week_view_get_hour_height (OKNO_WEEK_VIEW (f->week.grid))) > 1.0 &&
           g_get_monotonic_time () < deadline)
      okno_test_wait_frame (GTK_WIDGET (f->week.window));
    g_assert_cmpfloat_with_epsilon (gtk_adjustment_get_value (adjustment) / okno_week_view_get_hour_height (OKNO_WEEK_VIEW (f->week.grid)),
                                    top, 0.05);
  }
}

/* With the page on this computer only, the share popover shows no QR
 * code (a phone could not open it) and says why. */
static void
test_share_without_lan (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GPtrArray) buttons = g_ptr_array_new ();
  g_autoptr(GPtrArray) pictures = g_ptr_array_new ();
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();
  GtkWidget *popover = NULL;
  gboolean explained = FALSE;

  g_assert_false (g_settings_get_boolean (okno_profile_get_settings (f->week.instance), "share-on-lan"));
  okno_test_collect (GTK_WIDGET (f->week.window), GTK_TYPE_MENU_BUTTON, buttons);
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
  g_assert_false (gtk_widget_get_visible (g_ptr_array_index (pictures, 0)));
  okno_test_collect (popover, GTK_TYPE_LABEL, labels);
  for (guint i = 0; i < labels->len; i++)
    if (strstr (gtk_label_get_text (g_ptr_array_index (labels, i)), "Share on local network is on") != NULL)
      explained = TRUE;
  g_assert_true (explained);
  gtk_popover_popdown (GTK_POPOVER (popover));
}

/* The date picker shows the week shown. */
static void
test_date_picker_follows (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GPtrArray) calendars = g_ptr_array_new ();
  g_autoptr(GDateTime) picked = NULL;
  g_autoptr(GDateTime) picked_week = NULL;
  GTimeZone *zone = okno_schedule_get_time_zone (okno_profile_get_schedule (f->week.instance));

  okno_test_collect (GTK_WIDGET (f->week.window), GTK_TYPE_CALENDAR, calendars);
  g_assert_cmpuint (calendars->len, ==, 1);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->week.window), "week.next", NULL));
  picked = gtk_calendar_get_date (g_ptr_array_index (calendars, 0));
  picked_week = okno_time_week_start (picked, zone);
  {
    g_autoptr(GDateTime) next = g_date_time_add_weeks (f->week.monday, 1);
    g_assert_true (g_date_time_equal (picked_week, next));
    g_assert_true (g_date_time_equal (okno_window_get_week (f->week.window), next));
  }
}

int
main (int   argc,
      char *argv[])
{
  okno_test_ui_profile (SETTINGS);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

#define ADD(path, n, fn) \
  G_STMT_START { \
    static const struct { gconstpointer weeks; void (*func) (Fixture *, gconstpointer); } c = { GINT_TO_POINTER (n), fn }; \
    g_test_add_data_func (path, &c, run_case); \
  } G_STMT_END

  ADD ("/okno/window/first-steps", 1, test_first_steps);
  ADD ("/okno/window/scroll-kept", 2, test_scroll_kept);
  ADD ("/okno/window/session-types", 3, test_session_types);
  ADD ("/okno/window/undo-copy-week", 5, test_undo_copy_week);
  ADD ("/okno/window/date-picker-follows", 7, test_date_picker_follows);
  ADD ("/okno/window/tile-lines", 8, test_tile_lines);
  ADD ("/okno/window/narrow", 0, test_narrow);
  g_test_add_func ("/okno/window/phone-format", test_phone_format);
  ADD ("/okno/window/share-without-lan", 0, test_share_without_lan);

  return g_test_run ();
}
