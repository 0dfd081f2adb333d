/* test-week-view.c: publishing slots by dragging, under Xvfb.
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <libsoup/soup.h>

#include "okno-application.h"
#include "okno-event-tile.h"
#include "okno-i18n.h"
#include "okno-ledger-private.h"
#include "okno-test-ui.h"
#include "okno-test-utils.h"
#include "okno-test-week.h"
#include "okno-time.h"
#include "okno-week-view-private.h"
#include "okno-window.h"

static GPtrArray *notifications;          /* okno_test_notification_summaries () */
static GPtrArray *notification_actions;   /* okno_test_notification_buttons () */


/* Any free port for the page; Olga's zone; no rate limit. */
#define SETTINGS "[okno]\nport=uint16 0\ntime-zone='Europe/Moscow'\nrate-limit=uint32 0\ncontact='@olga_rozet'\n" \
                 "session-types=[('a', 'Включить в дело', uint32 40, '', '', ''), ('b', 'Разбор', uint32 60, '', '', '')]\n" \
                 "current-session-type='a'\n"

typedef struct _Fixture Fixture;

struct _Fixture
{
  OknoTestWeek week;
  const char  *watched_slot;
};

static void
drag (Fixture *f,
      int      day0,
      int      minutes0,
      int      day1,
      int      minutes1)
{
  okno_test_week_hook_drag (&f->week, day0, minutes0, day1, minutes1);
  okno_test_week_settle (&f->week);
}

static void
assert_slot (Fixture   *f,
             GDateTime *start,
             int        minutes)
{
  OknoEvent *event = okno_test_week_slot_at (&f->week, start);
  g_autofree char *text = g_date_time_format_iso8601 (start);

  if (event == NULL)
    g_error ("No slot starts at %s", text);
  g_assert_cmpint (g_date_time_difference (okno_event_get_end (event), okno_event_get_start (event)),
                   ==, minutes * G_TIME_SPAN_MINUTE);
  g_assert_cmpstr (okno_event_get_private (event, "okno"), ==, "slot");
}

static void
add (Fixture    *f,
     const char *summary,
     int         day,
     int         hour,
     int         minute,
     int         minutes,
     gboolean    slot)
{
  g_autoptr(GDateTime) start = okno_test_week_at (&f->week, day, hour, minute);
  g_autoptr(OknoEvent) event = okno_test_insert_event (okno_profile_get_calendar (f->week.instance),
                                                       summary, start, minutes, slot);
}

/* A realistic week: 25 slots, 10 of them booked, 15 busy events. */
static void
populate (Fixture *f)
{
  static const char *busy[] = {
    "Стоматолог", "Йога", "Обед с Верой", "Созвон с бухгалтером", "Супервизия",
    "Забрать Машу из школы", "Бассейн", "Вебинар", "Мама", "Налоговая",
    "Встреча группы", "Йога", "Рынок", "Книжный клуб", "Кино",
  };
  static const char *names[] = {
    "Анна", "Борис", "Вера", "Глеб", "Дарья", "Евгений", "Жанна", "Захар", "Ирина", "Кира",
  };
  OknoBookingService *service = okno_profile_get_service (f->week.instance);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  guint booked = 0;

  for (guint i = 0; i < G_N_ELEMENTS (busy); i++)
    add (f, busy[i], i % 7, 9 + (i * 5) % 9, (i % 2) * 30, 60 + (i % 3) * 30, FALSE);

  for (guint i = 0; i < 25; i++)
    {
      int day = i % 7;
      int hour = 10 + (i / 7) * 3 + (i % 3);
      g_autoptr(GDateTime) start = okno_test_week_at (&f->week, day, hour, 30);
      g_autoptr(OknoEvent) slot = NULL;
      g_autofree char *token = NULL;
      g_autoptr(OknoBookingRequest) request = NULL;
      g_autoptr(OknoBooking) booking = NULL;

      slot = okno_test_insert_event (okno_profile_get_calendar (f->week.instance),
                                     i % 4 == 0 ? "🔓 СЛОТ: Разбор (60 мин)" : "🔓 СЛОТ: Включить в дело (40 мин)",
                                     start, i % 4 == 0 ? 60 : 40, TRUE);
      if (booked >= 10 || i % 2 == 1)
        continue;

      if (g_date_time_compare (start, now) > 0)
        {
          request = okno_booking_request_new ();
          request->slot_id = g_strdup (okno_event_get_id (slot));
          request->name = g_strdup (names[booked]);
          request->telegram = g_strdup ("@client_okno");
          booking = okno_booking_service_book (service, request, NULL, now, &token, NULL, NULL);
        }
      else
        {
          /* Booked earlier, as the old system wrote it. */
          g_autoptr(OknoEvent) copy = okno_event_copy (slot);
          g_autofree char *title = g_strdup_printf ("✅ %s — Включить в дело (40 мин)", names[booked]);
          g_autoptr(OknoEvent) done = NULL;

          okno_event_set_summary (copy, title);
          done = okno_test_calendar_update (okno_profile_get_calendar (f->week.instance), copy, NULL);
        }
      booked++;
    }
  okno_test_week_settle (&f->week);
}

/* A fresh data folder and application for each test. */
static void
run_case (gconstpointer data)
{
  Fixture f = { 0 };

  f.week.func = (OknoTestWeekFunc) data;
  okno_test_week_run (&f.week, SETTINGS);
}

static void
test_publish_move_refuse (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GDateTime) thu_10 = NULL;
  g_autoptr(GDateTime) fri_12 = NULL;
  g_autoptr(GDateTime) sat_1030 = NULL;
  g_autoptr(GDateTime) sat_later = NULL;
  g_autoptr(GDateTime) sun_1500 = NULL;
  /* Next week, so nothing is in the past. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->week.window), "week.next", NULL));
  g_date_time_unref (f->week.monday);
  f->week.monday = g_date_time_ref (okno_week_view_get_week (f->week.grid));
  thu_10 = okno_test_week_at (&f->week, 3, 10, 0);
  fri_12 = okno_test_week_at (&f->week, 4, 12, 0);
  sat_1030 = okno_test_week_at (&f->week, 5, 10, 30);
  sun_1500 = okno_test_week_at (&f->week, 6, 15, 0);

  /* Press at Thursday 10:02, drag to 11:18: snapped to 10:00–11:20. */
  drag (f, 3, 602, 3, 678);
  assert_slot (f, thu_10, 80);

  /* A click publishes the default 40 minutes. */
  drag (f, 4, 12 * 60, 4, 12 * 60);
  assert_slot (f, fri_12, 40);

  /* Move the Thursday slot to Saturday, half an hour later. */
  drag (f, 3, 640, 5, 670);
  g_assert_null (okno_test_week_slot_at (&f->week, thu_10));
  assert_slot (f, sat_1030, 80);

  /* A busy event on Sunday afternoon refuses the drop, and says why. */
  add (f, "Кино", 6, 15, 0, 120, FALSE);
  okno_test_week_settle (&f->week);
  {
    double x0, y0, x1, y1;

    okno_test_week_point (&f->week, 5, 660, 0.3, &x0, &y0);
    okno_test_week_point (&f->week, 6, 15 * 60 + 30, 0.3, &x1, &y1);
    _okno_week_view_press (f->week.grid, x0, y0);
    _okno_week_view_motion (f->week.grid, x1, y1);
    g_assert_nonnull (_okno_week_view_get_refusal (f->week.grid));
    g_assert_nonnull (strstr (_okno_week_view_get_refusal (f->week.grid), "Кино"));
    _okno_week_view_release (f->week.grid, x1, y1);
    okno_test_week_settle (&f->week);
  }
  assert_slot (f, sat_1030, 80);
  g_assert_null (okno_test_week_slot_at (&f->week, sun_1500));

  /* Resize from the bottom edge: 10:30–11:50 becomes 10:30–12:10. */
  {
    double x, y_bottom, y_target, unused;

    okno_test_week_point (&f->week, 5, 11 * 60 + 50, 0.3, &x, &y_bottom);
    okno_test_week_point (&f->week, 5, 12 * 60 + 10, 0.3, &unused, &y_target);
    _okno_week_view_press (f->week.grid, x, y_bottom - 5);
    _okno_week_view_motion (f->week.grid, x, y_target);
    _okno_week_view_release (f->week.grid, x, y_target);
    okno_test_week_settle (&f->week);
  }
  assert_slot (f, sat_1030, 100);

  /* Undo the resize, then the move. */
  g_assert_true (okno_week_view_undo (f->week.grid));
  okno_test_week_settle (&f->week);
  assert_slot (f, sat_1030, 80);
  g_assert_true (okno_week_view_undo (f->week.grid));
  okno_test_week_settle (&f->week);
  assert_slot (f, thu_10, 80);

  /* Delete: select by a click on it, then the Delete key's action. */
  drag (f, 4, 12 * 60 + 20, 4, 12 * 60 + 20);
  okno_week_view_delete_selected (f->week.grid);
  okno_test_week_settle (&f->week);
  g_assert_null (okno_test_week_slot_at (&f->week, fri_12));
  g_assert_true (okno_week_view_undo (f->week.grid));
  okno_test_week_settle (&f->week);
  assert_slot (f, fri_12, 40);
}

/* Puts the keyboard cursor on @day at @minutes (10-minute snap) and
 * presses Return there, as Olga publishes without a mouse. */
static void
publish_at_cursor (Fixture *f,
                   int      day,
                   int      minutes)
{
  _okno_week_view_key (f->week.grid, GDK_KEY_Escape, 0);
  for (int i = 0; i < 24 * 6; i++)
    _okno_week_view_key (f->week.grid, GDK_KEY_Up, 0);
  for (int i = 0; i < 7; i++)
    _okno_week_view_key (f->week.grid, GDK_KEY_Left, 0);
  for (int i = 0; i < day; i++)
    _okno_week_view_key (f->week.grid, GDK_KEY_Right, 0);
  for (int i = 0; i < minutes / 10; i++)
    _okno_week_view_key (f->week.grid, GDK_KEY_Down, 0);
  _okno_week_view_key (f->week.grid, GDK_KEY_Return, 0);
  okno_test_week_settle (&f->week);
  _okno_week_view_key (f->week.grid, GDK_KEY_Escape, 0);
}

/* The slot rule as the window applies it: the same inputs the command
 * line's test tries (tests/test-cli.sh, "the slot rule"), around a slot at
 * 10:00–10:40. Touching is allowed, overlapping is not, the past is not. */
static void
test_slot_rule (Fixture       *f,
                gconstpointer  data)
{
  static const struct { int minutes; gboolean allowed; } cases[] = {
    { 9 * 60 + 30, FALSE },   /* 09:30–10:10 overlaps its start */
    { 10 * 60 + 30, FALSE },  /* 10:30–11:10 overlaps its end */
    { 13 * 60 + 30, FALSE },  /* 13:30–14:10 overlaps a busy event */
    { 10 * 60 + 40, TRUE },   /* 10:40–11:20 touches its end */
    { 9 * 60 + 20, TRUE },    /* 09:20–10:00 touches its start */
    { 15 * 60, TRUE },        /* 15:00–15:40 touches the busy event's end */
  };

  /* Two weeks ahead, where the other tests leave nothing. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->week.window), "week.next", NULL));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->week.window), "week.next", NULL));
  g_date_time_unref (f->week.monday);
  f->week.monday = g_date_time_ref (okno_week_view_get_week (f->week.grid));
  add (f, "🔓 СЛОТ: Сессия", 2, 10, 0, 40, TRUE);
  add (f, "Педсовет", 2, 14, 0, 60, FALSE);
  okno_test_week_settle (&f->week);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GDateTime) start = okno_test_week_at (&f->week, 2, 0, cases[i].minutes);

      publish_at_cursor (f, 2, cases[i].minutes);
      if (cases[i].allowed)
        assert_slot (f, start, 40);
      else
        g_assert_null (okno_test_week_slot_at (&f->week, start));
    }

  /* The past: a week ago. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->week.window), "week.previous", NULL));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->week.window), "week.previous", NULL));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->week.window), "week.previous", NULL));
  g_date_time_unref (f->week.monday);
  f->week.monday = g_date_time_ref (okno_week_view_get_week (f->week.grid));
  {
    g_autoptr(GDateTime) start = okno_test_week_at (&f->week, 2, 12, 0);

    publish_at_cursor (f, 2, 12 * 60);
    g_assert_null (okno_test_week_slot_at (&f->week, start));
  }
}

/* The keyboard alone: move the cursor, publish, lengthen, undo. */
static void
test_keyboard (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GDateTime) tue_0930 = NULL;
  guint n_before;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->week.window), "week.next", NULL));
  g_date_time_unref (f->week.monday);
  f->week.monday = g_date_time_ref (okno_week_view_get_week (f->week.grid));
  tue_0930 = okno_test_week_at (&f->week, 1, 9, 30);

  /* Click on Monday 09:00 (an empty spot), then Escape the slot it made. */
  drag (f, 0, 9 * 60, 0, 9 * 60);
  g_assert_true (okno_week_view_undo (f->week.grid));
  okno_test_week_settle (&f->week);
  n_before = _okno_week_view_get_n_tiles (f->week.grid);

  /* Right moves a day, Down three snap steps: Tuesday 09:30. */
  _okno_week_view_key (f->week.grid, GDK_KEY_Escape, 0);
  _okno_week_view_key (f->week.grid, GDK_KEY_Right, 0);
  for (guint i = 0; i < 3; i++)
    _okno_week_view_key (f->week.grid, GDK_KEY_Down, 0);
  _okno_week_view_key (f->week.grid, GDK_KEY_Return, 0);
  okno_test_week_settle (&f->week);
  assert_slot (f, tue_0930, 40);
  g_assert_cmpuint (_okno_week_view_get_n_tiles (f->week.grid), ==, n_before + 1);

  /* Select it (a click on it), Shift+Down twice: 20 minutes longer. */
  drag (f, 1, 9 * 60 + 50, 1, 9 * 60 + 50);
  _okno_week_view_key (f->week.grid, GDK_KEY_Down, GDK_SHIFT_MASK);
  okno_test_week_settle (&f->week);
  _okno_week_view_key (f->week.grid, GDK_KEY_Down, GDK_SHIFT_MASK);
  okno_test_week_settle (&f->week);
  assert_slot (f, tue_0930, 60);

  /* Ctrl+Z twice: back to 40 minutes. */
  _okno_week_view_key (f->week.grid, GDK_KEY_z, GDK_CONTROL_MASK);
  okno_test_week_settle (&f->week);
  _okno_week_view_key (f->week.grid, GDK_KEY_z, GDK_CONTROL_MASK);
  okno_test_week_settle (&f->week);
  assert_slot (f, tue_0930, 40);
}

static void
message_cb (OknoWeekView *grid,
            const char   *text,
            GPtrArray    *messages)
{
  g_ptr_array_add (messages, g_strdup (text));
}

static gboolean
has_message (gpointer data)
{
  return ((GPtrArray *) data)->len > 0;
}

typedef struct
{
  Fixture   *f;
  GDateTime *start;
} SlotAt;

static gboolean
slot_is_gone (gpointer data)
{
  SlotAt *at = data;
  g_autoptr(GDateTime) end = g_date_time_add_minutes (at->start, 40);
  g_autoptr(GPtrArray) left = okno_calendar_list_events (okno_profile_get_calendar (at->f->week.instance),
                                                         at->start, end);

  return left->len == 0;
}

/* Delete on a booked session asks first; "remove" cancels the booking
 * and removes the slot. The cancel does not block the window: with the
 * ledger's writer held (a disk that does not answer), the window goes on
 * drawing frames, the slot stays until the cancel is on disk, and Olga is
 * told once it is. */
static void
test_delete_booked_asks (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GPtrArray) messages = g_ptr_array_new_with_free_func (g_free);
  OknoLedger *ledger = okno_profile_get_ledger (f->week.instance);
  SlotAt slot_at;
  g_autoptr(GDateTime) start = NULL;
  g_autoptr(OknoBookingRequest) request = okno_booking_request_new ();
  g_autoptr(OknoBooking) booking = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *token = NULL;
  g_autofree char *booking_id = NULL;
  GtkWidget *dialog;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->week.window), "week.next", NULL));
  g_date_time_unref (f->week.monday);
  f->week.monday = g_date_time_ref (okno_week_view_get_week (f->week.grid));
  add (f, "🔓 СЛОТ: Разбор", 4, 18, 0, 40, TRUE);
  okno_test_week_settle (&f->week);
  start = okno_test_week_at (&f->week, 4, 18, 0);

  request->slot_id = g_strdup (okno_event_get_id (okno_test_week_slot_at (&f->week, start)));
  request->name = g_strdup ("Вера");
  request->email = g_strdup ("vera@example.org");
  booking = okno_booking_service_book (okno_profile_get_service (f->week.instance), request, NULL, now,
                                       &token, NULL, NULL);
  g_assert_nonnull (booking);
  booking_id = g_strdup (okno_booking_get_id (booking));
  okno_test_week_settle (&f->week);

  /* A click on the booked tile selects it (and opens its details). */
  drag (f, 4, 18 * 60 + 20, 4, 18 * 60 + 20);
  okno_week_view_delete_selected (f->week.grid);
  dialog = okno_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (dialog);
  g_signal_connect (f->week.grid, "message", G_CALLBACK (message_cb), messages);
  slot_at.f = f;
  slot_at.start = start;

  _okno_ledger_hold_writer (ledger, TRUE);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "remove");
  gtk_widget_queue_draw (GTK_WIDGET (f->week.grid));
  okno_test_wait_frame (GTK_WIDGET (f->week.grid));
  okno_test_week_settle (&f->week);
  g_assert_false (slot_is_gone (&slot_at));
  g_assert_cmpuint (messages->len, ==, 0);

  _okno_ledger_hold_writer (ledger, FALSE);
  okno_test_iterate_until (slot_is_gone, &slot_at, 10000);
  okno_test_iterate_until (has_message, messages, 10000);
  okno_test_week_settle (&f->week);

  g_assert_false (okno_booking_is_active (okno_ledger_lookup (ledger, booking_id)));
  g_assert_true (slot_is_gone (&slot_at));
  g_assert_cmpuint (messages->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (messages, 0), ==, "Booking of Вера cancelled");
  g_signal_handlers_disconnect_by_data (f->week.grid, messages);
}

static void
sent_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GBytes) reply = soup_session_send_and_read_finish (SOUP_SESSION (object), result, NULL);
  guint *status = user_data;

  *status = soup_message_get_status (soup_session_get_async_result_message (SOUP_SESSION (object), result));
}

static gboolean
tile_is_booked (gpointer data)
{
  Fixture *f = data;

  for (guint i = 0; i < _okno_week_view_get_n_tiles (f->week.grid); i++)
    {
      OknoEventTile *tile = OKNO_EVENT_TILE (_okno_week_view_get_tile (f->week.grid, i));

      if (g_strcmp0 (okno_event_get_id (okno_event_tile_get_event (tile)), f->watched_slot) == 0 &&
          okno_event_tile_get_kind (tile) == OKNO_EVENT_KIND_BOOKED)
        return TRUE;
    }
  return FALSE;
}

static gboolean
is_nonzero (gpointer data)
{
  return *(guint *) data != 0;
}

/* A booking made through the page shows in the open window. */
static void
test_booking_over_http_appears (Fixture       *f,
                                gconstpointer  data)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GDateTime) start = NULL;
  g_autofree char *url = NULL;
  g_autofree char *json = NULL;
  g_autofree char *slot_id = NULL;
  guint status = 0;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->week.window), "week.next", NULL));
  g_date_time_unref (f->week.monday);
  f->week.monday = g_date_time_ref (okno_week_view_get_week (f->week.grid));
  g_ptr_array_set_size (notifications, 0);
  g_ptr_array_set_size (notification_actions, 0);
  add (f, "🔓 СЛОТ: Разбор", 2, 15, 0, 40, TRUE);
  okno_test_week_settle (&f->week);
  start = okno_test_week_at (&f->week, 2, 15, 0);
  slot_id = g_strdup (okno_event_get_id (okno_test_week_slot_at (&f->week, start)));

  url = g_strdup_printf ("http://127.0.0.1:%u/api/book",
                         okno_web_server_get_port (okno_profile_get_web_server (f->week.instance)));
  json = g_strdup_printf ("{\"slotId\":\"%s\",\"name\":\"Ольга\",\"phone\":\"+7 900 123-45-67\"}", slot_id);
  msg = soup_message_new ("POST", url);
  body = g_bytes_new (json, strlen (json));
  soup_message_set_request_body_from_bytes (msg, "application/json", body);
  soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, sent_cb, &status);

  /* The tile turns into a booked session (at once; the deadline is for a
   * loaded machine), and the request is answered. */
  f->watched_slot = slot_id;
  okno_test_iterate_until (tile_is_booked, f, 10000);
  okno_test_iterate_until (is_nonzero, &status, 10000);
  g_assert_cmpuint (status, ==, 201);

  /* Olga is told: «New booking: Ольга, Wed 15:00». */
  okno_test_iterate_until (okno_test_has_notification, NULL, 10000);
  g_assert_cmpuint (notifications->len, ==, 1);
  g_assert_true (g_str_has_prefix (g_ptr_array_index (notifications, 0), "New booking: Ольга, "));
  g_assert_true (g_str_has_suffix (g_ptr_array_index (notifications, 0), " 15:00"));

  /* Its Show opens the window at the booking's week, from another week. */
  g_assert_cmpstr (g_ptr_array_index (notification_actions, 0), ==, "Show");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->week.window), "week.previous", NULL));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->week.window), "week.previous", NULL));
  g_assert_false (g_date_time_equal (okno_week_view_get_week (f->week.grid), f->week.monday));
  {
    g_autofree char *iso = g_date_time_format_iso8601 (start);

    g_action_group_activate_action (G_ACTION_GROUP (f->week.app), "show-booking", g_variant_new_string (iso));
  }
  g_assert_true (g_date_time_equal (okno_week_view_get_week (f->week.grid), f->week.monday));
}

typedef struct
{
  GtkWidget *window;
  int        width;
  int        height;
} Size;

static gboolean
has_size (gpointer data)
{
  Size *size = data;

  return gtk_widget_get_width (size->window) == size->width &&
         gtk_widget_get_height (size->window) == size->height;
}

/* Resizes the window as a person would, and waits until it has that size
 * and has drawn it. The window's default size includes the client-side
 * decorations' margin, which its allocation does not. */
static void
resize (Fixture *f,
        int      width,
        int      height)
{
  GtkWidget *window = GTK_WIDGET (f->week.window);
  int old_width, old_height;
  Size size = { window, 0, 0 };

  gtk_window_get_default_size (GTK_WINDOW (window), &old_width, &old_height);
  size.width = width - (old_width - gtk_widget_get_width (window));
  size.height = height - (old_height - gtk_widget_get_height (window));
  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  okno_test_iterate_until (has_size, &size, 10000);
  okno_test_wait_frame (window);
}

/* What a tile shows of its text: the tile is at least as tall as its first
 * line, the time. With @uncut, every line the label lays out has its glyphs
 * (their ink) wholly inside the tile, which clips its children: none is cut
 * through at the bottom or the side, none hidden below the tile's end (a
 * tile shows fewer lines by ellipsizing its last one). */
static void
assert_tiles_readable (Fixture    *f,
                       const char *what,
                       gboolean    uncut)
{
  guint n = _okno_week_view_get_n_tiles (f->week.grid);
  guint checked = 0, cut = 0, hidden = 0;

  for (guint i = 0; i < n; i++)
    {
      GtkWidget *tile = _okno_week_view_get_tile (f->week.grid, i);
      g_autoptr(GPtrArray) labels = g_ptr_array_new ();
      const char *description = gtk_widget_get_tooltip_text (tile);
      int tile_width = gtk_widget_get_width (tile);
      int tile_height = gtk_widget_get_height (tile);
      int lines_shown = 0;

      if (!gtk_widget_get_mapped (tile))
        continue;
      okno_test_collect (tile, GTK_TYPE_LABEL, labels);
      g_assert_cmpuint (labels->len, >=, 1);
      for (guint j = 0; j < labels->len; j++)
        {
          GtkLabel *label = g_ptr_array_index (labels, j);
          PangoLayout *layout = gtk_label_get_layout (label);  /* transfer none */
          PangoLayoutIter *iter;
          graphene_point_t origin;
          int layout_x, layout_y, line_no = 0;

          if (!gtk_widget_get_mapped (GTK_WIDGET (label)) || gtk_label_get_text (label)[0] == '\0')
            continue;
          g_assert_true (gtk_widget_compute_point (GTK_WIDGET (label), tile, &GRAPHENE_POINT_INIT (0, 0), &origin));
          /* The layout's offsets are in the label's own coordinates. */
          gtk_label_get_layout_offsets (label, &layout_x, &layout_y);
          iter = pango_layout_get_iter (layout);
          do
            {
              PangoRectangle ink;
              double top, bottom, left, right;
              gboolean inside, below;

              pango_layout_iter_get_line_extents (iter, &ink, NULL);
              pango_extents_to_pixels (&ink, NULL);
              if (ink.height == 0)
                continue;
              top = origin.y + layout_y + ink.y;
              bottom = top + ink.height;
              left = origin.x + layout_x + ink.x;
              right = left + ink.width;
              inside = top >= 0 && bottom <= tile_height && left >= 0 && right <= tile_width;
              below = top >= tile_height;
              if (inside)
                lines_shown++;
              else if (below)
                hidden++;
              /* Without @uncut, only the time's height counts. */
              if (line_no == 0 && !uncut && (top < 0 || bottom > tile_height))
                g_error ("%s: tile «%s» (%d×%d) is lower than its first line (%.0f–%.0f): «%s»",
                         what, description, tile_width, tile_height, top, bottom, gtk_label_get_text (label));
              if (uncut && !inside)
                {
                  g_test_message ("%s: tile «%s» (%d×%d) %s line %d of its text (x %.0f–%.0f, y %.0f–%.0f)",
                                  what, description, tile_width, tile_height, below ? "hides" : "cuts through",
                                  line_no + 1, left, right, top, bottom);
                  cut++;
                }
            }
          while (line_no++, pango_layout_iter_next_line (iter));
          pango_layout_iter_free (iter);
        }
      checked++;
    }
  g_test_message ("%s: %u tiles checked; %u lines cut through, %u hidden below a tile's end", what, checked, cut, hidden);
  g_assert_cmpuint (checked, >, 0);
  if (cut > 0)
    g_test_fail_printf ("%s: %u lines of text are cut through or hidden", what, cut);
}

/* A realistic week, as it looks in the light and the dark style and in a
 * small window; every tile shows at least its time. */
static void
test_screenshots (Fixture       *f,
                  gconstpointer  data)
{
  populate (f);
  resize (f, 1280, 800);
  g_assert_cmpuint (_okno_week_view_get_n_tiles (f->week.grid), ==, 40);
  okno_test_save_screenshot (GTK_WIDGET (f->week.window), "week-light.png");
  assert_tiles_readable (f, "1280×800", FALSE);

  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_DARK);
  okno_test_wait_frame (GTK_WIDGET (f->week.window));
  okno_test_save_screenshot (GTK_WIDGET (f->week.window), "week-dark.png");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);

  resize (f, 900, 600);
  okno_test_save_screenshot (GTK_WIDGET (f->week.window), "week-small.png");
  assert_tiles_readable (f, "900×600", FALSE);
}

/* The same week at 1280 × 800 and 900 × 600: no tile cuts its text
 * through mid-line, at the bottom or the side, or hides a line. */
static void
test_tiles_readable (Fixture       *f,
                     gconstpointer  data)
{
  populate (f);
  resize (f, 1280, 800);
  assert_tiles_readable (f, "1280×800", TRUE);
  resize (f, 900, 600);
  assert_tiles_readable (f, "900×600", TRUE);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_setenv ("GNOTIFICATION_BACKEND", "freedesktop", TRUE);
  okno_test_ui_profile (SETTINGS);

  /* The build's translations: LANGUAGE=ru makes the Russian screenshots. */
  okno_i18n_init ();
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

#define ADD(path, func) \
  g_test_add_data_func (path, (gconstpointer) func, run_case)

  ADD ("/okno/week-view/screenshots", test_screenshots);
  ADD ("/okno/week-view/tiles-readable", test_tiles_readable);
  ADD ("/okno/week-view/publish-move-refuse", test_publish_move_refuse);
  ADD ("/okno/week-view/booking-over-http-appears", test_booking_over_http_appears);
  ADD ("/okno/week-view/keyboard", test_keyboard);
  ADD ("/okno/week-view/delete-booked-asks", test_delete_booked_asks);
  ADD ("/okno/week-view/slot-rule", test_slot_rule);

  okno_test_start_notification_server ();
  notifications = okno_test_notification_summaries ();
  notification_actions = okno_test_notification_buttons ();
  status = g_test_run ();
  return status;
}
