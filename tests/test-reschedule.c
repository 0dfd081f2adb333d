/* test-reschedule.c: moving a booking to another slot (issue 13.1), in
 * core: one journal line, the calendar follows, the rules, the history.
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "okno-booking-service.h"
#include "okno-errors.h"
#include "okno-move-text.h"
#include "okno-outbox.h"
#include "okno-telegram.h"
#include "okno-test-utils.h"

typedef struct
{
  char               *dir;
  OknoLocalCalendar  *calendar;
  OknoLedger         *ledger;
  OknoSchedule       *schedule;
  OknoBookingService *service;
  OknoOutbox         *outbox;
  OknoEvent          *a;      /* in two days */
  OknoEvent          *b;      /* right after a, the same day */
  OknoEvent          *c;      /* in three days */
  GDateTime          *now;
  guint               moved;
} Fixture;

static void
rescheduled_cb (OknoBookingService *service,
                OknoBooking        *booking,
                const char         *from_slot_id,
                Fixture            *f)
{
  g_assert_true (okno_booking_is_active (booking));
  g_assert_cmpstr (from_slot_id, !=, okno_booking_get_slot_id (booking));
  f->moved++;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) a = NULL;
  g_autoptr(GDateTime) b = NULL;
  g_autoptr(GDateTime) c = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  f->dir = okno_test_make_dir ();
  f->calendar = okno_local_calendar_new (f->dir, &error);
  f->ledger = okno_ledger_new (f->dir, &error);
  g_assert_no_error (error);
  f->schedule = okno_schedule_new (OKNO_CALENDAR (f->calendar), f->ledger);
  f->service = okno_booking_service_new (f->schedule);
  okno_booking_service_set_notify_kinds (f->service, (const char *[]) { "desktop", NULL });
  f->outbox = okno_outbox_new (f->schedule);
  okno_outbox_start (f->outbox);
  f->now = g_date_time_add_seconds (now, -g_date_time_get_seconds (now));
  a = g_date_time_add_days (f->now, 2);
  b = g_date_time_add_minutes (a, 40);
  c = g_date_time_add_days (f->now, 3);
  f->a = okno_test_insert_event (OKNO_CALENDAR (f->calendar), "🔓 СЛОТ: Включить в дело (40 мин)", a, 40, TRUE);
  f->b = okno_test_insert_event (OKNO_CALENDAR (f->calendar), "🔓 СЛОТ: Включить в дело (40 мин)", b, 40, TRUE);
  f->c = okno_test_insert_event (OKNO_CALENDAR (f->calendar), "🔓 СЛОТ: Разбор", c, 40, TRUE);
  g_signal_connect (f->service, "booking-rescheduled", G_CALLBACK (rescheduled_cb), f);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  okno_test_wait_outbox (f->outbox, f->calendar);
  okno_test_drain (f->ledger);
  g_clear_object (&f->a);
  g_clear_object (&f->b);
  g_clear_object (&f->c);
  g_assert_finalize_object (f->outbox);
  g_assert_finalize_object (f->service);
  g_assert_finalize_object (f->schedule);
  g_assert_finalize_object (f->ledger);
  g_assert_finalize_object (f->calendar);
  g_date_time_unref (f->now);
  okno_test_remove_dir (f->dir);
  g_free (f->dir);
}

static OknoBooking *
book (Fixture     *f,
      OknoEvent   *slot,
      const char  *name,
      const char  *email,
      char       **token)
{
  g_autoptr(OknoBookingRequest) request = okno_booking_request_new ();
  g_autoptr(GError) error = NULL;
  OknoBooking *booking;

  request->slot_id = g_strdup (okno_event_get_id (slot));
  request->name = g_strdup (name);
  request->email = g_strdup (email);
  booking = okno_booking_service_book (f->service, request, NULL, f->now, token, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (booking);
  return booking;
}

static const char *
title_of (Fixture   *f,
          OknoEvent *slot)
{
  okno_test_wait_outbox (f->outbox, f->calendar);
  return okno_event_get_summary (okno_calendar_lookup_event (OKNO_CALENDAR (f->calendar), okno_event_get_id (slot)));
}

static gboolean
is_offered (Fixture   *f,
            OknoEvent *slot)
{
  g_autoptr(GDateTime) to = g_date_time_add_days (f->now, 10);
  g_autoptr(GPtrArray) slots = okno_schedule_dup_bookable_slots (f->schedule, f->now, to, f->now, NULL);

  for (guint i = 0; i < slots->len; i++)
    if (g_str_equal (okno_slot_get_id (g_ptr_array_index (slots, i)), okno_event_get_id (slot)))
      return TRUE;
  return FALSE;
}

static guint
count_lines_with (Fixture    *f,
                  const char *needle)
{
  g_autofree char *path = g_build_filename (f->dir, "bookings.journal", NULL);
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  guint n = 0;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    return 0;
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i]; i++)
    if (strstr (lines[i], needle))
      n++;
  return n;
}

/* The booking moves with its id and token; the old slot's event reopens,
 * the new one is titled; one journal line holds the move and what follows
 * it; the history says so; the reopened slot is offered again. */
static void
test_moves (Fixture       *f,
            gconstpointer  data)
{
  g_autofree char *token = NULL;
  g_autoptr(OknoBooking) booking = book (f, f->a, "Анна", "anna@example.org", &token);
  g_autoptr(OknoBooking) moved = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) history = NULL;
  g_autoptr(GPtrArray) outbox = NULL;
  JsonObject *entry;
  JsonObject *payload = NULL;

  g_assert_cmpstr (title_of (f, f->a), ==, "✅ Анна — Включить в дело (40 мин)");
  g_assert_true (is_offered (f, f->c));

  moved = okno_booking_service_reschedule (f->service, okno_booking_get_id (booking), token,
                                           okno_event_get_id (f->c), f->now, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (f->moved, ==, 1);
  g_assert_cmpstr (okno_booking_get_id (moved), ==, okno_booking_get_id (booking));
  g_assert_cmpstr (okno_booking_get_slot_id (moved), ==, okno_event_get_id (f->c));
  g_assert_true (g_date_time_equal (okno_booking_get_start (moved), okno_event_get_start (f->c)));
  g_assert_cmpstr (okno_booking_get_session_type (moved), ==, "Разбор");
  /* The same token still opens it. */
  g_assert_true (okno_booking_service_lookup (f->service, okno_booking_get_id (booking), token, NULL) != NULL);

  /* In memory: on exactly one slot. */
  g_assert_null (okno_ledger_lookup_active_for_slot (f->ledger, okno_event_get_id (f->a)));
  g_assert_true (okno_ledger_lookup_active_for_slot (f->ledger, okno_event_get_id (f->c)) ==
                 okno_ledger_lookup (f->ledger, okno_booking_get_id (booking)));
  g_assert_cmpuint (g_list_model_get_n_items (okno_ledger_get_bookings (f->ledger)), ==, 1);

  /* The notification waits for a desktop sink: "rescheduled", from → to. */
  outbox = okno_ledger_dup_outbox (f->ledger);
  for (guint i = 0; i < outbox->len; i++)
    {
      JsonObject *item = g_ptr_array_index (outbox, i);
      JsonObject *p = json_object_get_object_member (item, "payload");

      if (g_strcmp0 (json_object_get_string_member_with_default (p, "event", NULL), "rescheduled") == 0)
        payload = p;
    }
  g_assert_nonnull (payload);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (payload, "from"), "slotId"), ==,
                   okno_event_get_id (f->a));
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (payload, "to"), "slotId"), ==,
                   okno_event_get_id (f->c));
  {
    g_autoptr(GTimeZone) zone = g_time_zone_new_identifier ("Europe/Moscow");
    g_autofree char *text = okno_move_text_new (payload, zone);

    g_assert_nonnull (text);
    g_assert_true (g_str_has_prefix (text, "Анна moved: "));
    g_assert_nonnull (strstr (text, " → "));
  }

  /* One journal line: the move, the new state and its outbox items. */
  okno_test_drain (f->ledger);
  g_assert_cmpuint (count_lines_with (f, "\"move\":"), ==, 1);
  g_assert_cmpuint (count_lines_with (f, ".move1.calendar.reopen"), >=, 1);

  /* The calendar follows: the old event reopens, the new is titled. */
  g_assert_cmpstr (title_of (f, f->a), ==, "🔓 СЛОТ: Включить в дело (40 мин)");
  g_assert_cmpstr (title_of (f, f->c), ==, "✅ Анна — Разбор");
  g_assert_true (is_offered (f, f->a));
  g_assert_false (is_offered (f, f->c));

  /* History: booked, then moved a → c. */
  history = okno_booking_dup_history (okno_ledger_lookup (f->ledger, okno_booking_get_id (booking)));
  g_assert_cmpuint (json_array_get_length (history), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (history, 0), "event"), ==, "booked");
  entry = json_array_get_object_element (history, 1);
  g_assert_cmpstr (json_object_get_string_member (entry, "event"), ==, "moved");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (entry, "from"), "slotId"), ==,
                   okno_event_get_id (f->a));
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (entry, "to"), "slotId"), ==,
                   okno_event_get_id (f->c));

  /* A repeat is not an error and writes nothing. */
  {
    g_autoptr(OknoBooking) again = okno_booking_service_reschedule (f->service, okno_booking_get_id (booking), token,
                                                                    okno_event_get_id (f->c), f->now, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (f->moved, ==, 1);
  }
}

/* Moving back and forth: each move's calendar items have their own keys,
 * and the calendar ends where the ledger is. */
static void
test_moves_back (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *token = NULL;
  g_autoptr(OknoBooking) booking = book (f, f->a, "Анна", "anna@example.org", &token);
  const char *id = okno_booking_get_id (booking);
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(OknoBooking) there = okno_booking_service_reschedule (f->service, id, token, okno_event_get_id (f->c),
                                                                      f->now, &error);
      g_autoptr(OknoBooking) back = NULL;

      g_assert_no_error (error);
      back = okno_booking_service_reschedule (f->service, id, token, okno_event_get_id (f->a), f->now, &error);
      g_assert_no_error (error);
    }
  g_assert_cmpuint (f->moved, ==, 6);
  g_assert_cmpstr (title_of (f, f->a), ==, "✅ Анна — Включить в дело (40 мин)");
  g_assert_cmpstr (title_of (f, f->c), ==, "🔓 СЛОТ: Разбор");
  g_assert_cmpuint (okno_booking_get_moves (okno_ledger_lookup (f->ledger, id)), ==, 6);
}

/* Too late by min-cancel-hours (24 by default), at the boundary; wrong
 * token, unknown booking, a cancelled one, a taken slot: nothing moves. */
static void
test_refusals (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *token = NULL;
  g_autofree char *other_token = NULL;
  g_autoptr(OknoBooking) booking = book (f, f->a, "Анна", "anna@example.org", &token);
  g_autoptr(OknoBooking) other = book (f, f->c, "Борис", "boris@example.org", &other_token);
  g_autoptr(GDateTime) last = g_date_time_add_hours (okno_booking_get_start (booking), -24);
  g_autoptr(GDateTime) too_late = g_date_time_add_seconds (last, 1);
  g_autoptr(GDateTime) earlier = g_date_time_add_hours (last, -1);
  const char *id = okno_booking_get_id (booking);
  GError *error = NULL;
  OknoBooking *moved;

  /* The slot taken by Борис: 409 slot_taken, Анна keeps hers. */
  moved = okno_booking_service_reschedule (f->service, id, token, okno_event_get_id (f->c), f->now, &error);
  g_assert_error (error, OKNO_BOOKING_ERROR, OKNO_BOOKING_ERROR_SLOT_TAKEN);
  g_assert_null (moved);
  g_clear_error (&error);

  moved = okno_booking_service_reschedule (f->service, id, "wrong", okno_event_get_id (f->b), f->now, &error);
  g_assert_error (error, OKNO_BOOKING_ERROR, OKNO_BOOKING_ERROR_FORBIDDEN);
  g_clear_error (&error);
  moved = okno_booking_service_reschedule (f->service, "nosuch", token, okno_event_get_id (f->b), f->now, &error);
  g_assert_error (error, OKNO_BOOKING_ERROR, OKNO_BOOKING_ERROR_NOT_FOUND);
  g_clear_error (&error);
  moved = okno_booking_service_reschedule (f->service, id, token, "nosuchslot", f->now, &error);
  g_assert_error (error, OKNO_BOOKING_ERROR, OKNO_BOOKING_ERROR_SLOT_NOT_FOUND);
  g_clear_error (&error);

  /* One second past the last moment: too late. */
  moved = okno_booking_service_reschedule (f->service, id, token, okno_event_get_id (f->b), too_late, &error);
  g_assert_error (error, OKNO_BOOKING_ERROR, OKNO_BOOKING_ERROR_TOO_LATE);
  g_clear_error (&error);
  g_assert_cmpuint (f->moved, ==, 0);
  g_assert_cmpstr (okno_booking_get_slot_id (okno_ledger_lookup (f->ledger, id)), ==, okno_event_get_id (f->a));

  /* At exactly the last moment: still moves (to b); an hour before, back. */
  moved = okno_booking_service_reschedule (f->service, id, token, okno_event_get_id (f->b), last, &error);
  g_assert_no_error (error);
  g_assert_nonnull (moved);
  g_clear_object (&moved);
  moved = okno_booking_service_reschedule (f->service, id, token, okno_event_get_id (f->a), earlier, &error);
  g_assert_no_error (error);
  g_assert_nonnull (moved);
  g_clear_object (&moved);

  /* Cancelled: 409 booking cancelled. */
  g_assert_true (okno_booking_service_cancel (f->service, id, token, f->now, NULL));
  moved = okno_booking_service_reschedule (f->service, id, token, okno_event_get_id (f->a), f->now, &error);
  g_assert_error (error, OKNO_BOOKING_ERROR, OKNO_BOOKING_ERROR_CANCELLED);
  g_clear_error (&error);
  {
    g_autoptr(JsonArray) history = okno_booking_dup_history (okno_ledger_lookup (f->ledger, id));

    g_assert_cmpuint (json_array_get_length (history), ==, 4);
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (history, 3), "event"), ==,
                     "cancelled");
  }
}

/* The booking being moved counts neither toward the per-client limit, nor
 * toward its day's limit, nor keeps a buffer from itself. */
static void
test_rules_ignore_itself (Fixture       *f,
                          gconstpointer  data)
{
  g_autofree char *token = NULL;
  g_autoptr(OknoBooking) booking = NULL;
  g_autoptr(OknoBooking) moved = NULL;
  g_autoptr(GError) error = NULL;

  g_object_set (f->service, "max-active-per-client", 1, NULL);
  g_object_set (f->schedule, "max-sessions-per-day", 1, "buffer-minutes", 30, NULL);
  booking = book (f, f->a, "Анна", "anna@example.org", &token);
  /* b starts when a ends: the same day, inside a's buffer. */
  g_assert_false (is_offered (f, f->b));

  moved = okno_booking_service_reschedule (f->service, okno_booking_get_id (booking), token,
                                           okno_event_get_id (f->b), f->now, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (okno_booking_get_slot_id (moved), ==, okno_event_get_id (f->b));
  g_assert_false (is_offered (f, f->a));
}

static void
moved_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  GPtrArray *outcomes = user_data;
  GError *error = NULL;
  OknoBooking *booking = okno_booking_service_reschedule_finish (OKNO_BOOKING_SERVICE (object), result, &error);

  g_ptr_array_add (outcomes, booking ? (gpointer) "moved" : (gpointer) (error->code == OKNO_BOOKING_ERROR_SLOT_TAKEN ? "taken" : "other"));
  g_clear_object (&booking);
  g_clear_error (&error);
}

/* 20 clients, each on a slot of their own, move to one new slot at once:
 * exactly one moves, the others keep their old slots. */
static void
test_race (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(GPtrArray) bookings = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) tokens = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) slots = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) outcomes = g_ptr_array_new ();
  guint moved = 0, taken = 0;

  for (guint i = 0; i < 20; i++)
    {
      g_autoptr(GDateTime) start = g_date_time_add_hours (f->now, 100 + 2 * i);
      g_autofree char *name = g_strdup_printf ("Клиент %u", i);
      g_autofree char *email = g_strdup_printf ("c%u@example.org", i);
      OknoEvent *slot = okno_test_insert_event (OKNO_CALENDAR (f->calendar), "🔓 СЛОТ: Разбор", start, 40, TRUE);
      char *token = NULL;

      g_ptr_array_add (slots, slot);
      g_ptr_array_add (bookings, book (f, slot, name, email, &token));
      g_ptr_array_add (tokens, token);
    }

  for (guint i = 0; i < 20; i++)
    okno_booking_service_reschedule_async (f->service, okno_booking_get_id (g_ptr_array_index (bookings, i)),
                                           g_ptr_array_index (tokens, i), okno_event_get_id (f->c), f->now,
                                           NULL, moved_cb, outcomes);
  while (outcomes->len < 20)
    g_main_context_iteration (NULL, TRUE);

  for (guint i = 0; i < outcomes->len; i++)
    {
      if (g_str_equal (g_ptr_array_index (outcomes, i), "moved"))
        moved++;
      else if (g_str_equal (g_ptr_array_index (outcomes, i), "taken"))
        taken++;
    }
  g_assert_cmpuint (moved, ==, 1);
  g_assert_cmpuint (taken, ==, 19);

  /* The losers are on their own slots still; the winner left its own. */
  for (guint i = 0; i < 20; i++)
    {
      OknoBooking *now = okno_ledger_lookup (f->ledger, okno_booking_get_id (g_ptr_array_index (bookings, i)));
      const char *own = okno_event_get_id (g_ptr_array_index (slots, i));

      g_assert_true (okno_booking_is_active (now));
      if (g_str_equal (okno_booking_get_slot_id (now), okno_event_get_id (f->c)))
        g_assert_null (okno_ledger_lookup_active_for_slot (f->ledger, own));
      else
        g_assert_true (okno_ledger_lookup_active_for_slot (f->ledger, own) == now);
    }
  g_assert_nonnull (okno_ledger_lookup_active_for_slot (f->ledger, okno_event_get_id (f->c)));
}

/* What Olga is told, in Olga's zone: «Анна moved: Tue 17:30 → Thu 19:00»
 * (C locale here; Russian in po/ru.po). */
static void
test_move_text (void)
{
  g_autoptr(JsonNode) node = json_from_string ("{\"event\":\"rescheduled\",\"booking\":{\"name\":\"Анна\"},"
                                               "\"from\":{\"slotId\":\"a\",\"start\":\"2026-12-08T14:30:00Z\",\"end\":\"2026-12-08T15:10:00Z\"},"
                                               "\"to\":{\"slotId\":\"b\",\"start\":\"2026-12-10T16:00:00Z\",\"end\":\"2026-12-10T16:40:00Z\"}}",
                                               NULL);
  g_autoptr(JsonNode) booked = json_from_string ("{\"event\":\"booked\",\"booking\":{\"name\":\"Анна\"}}", NULL);
  g_autoptr(GTimeZone) zone = g_time_zone_new_identifier ("Europe/Moscow");
  g_autofree char *text = okno_move_text_new (json_node_get_object (node), zone);
  g_autofree char *none = okno_move_text_new (json_node_get_object (booked), zone);

  g_assert_cmpstr (text, ==, "Анна moved: Tue 17:30 → Thu 19:00");
  g_assert_null (none);

  /* Telegram: the same line, bold, then the session type; nothing when
   * Olga moved it herself. */
  {
    JsonObject *payload = json_node_get_object (node);
    g_autofree char *html = NULL;
    g_autofree char *own = NULL;

    json_object_set_string_member (json_object_get_object_member (payload, "booking"), "id", "b1");
    json_object_set_string_member (json_object_get_object_member (payload, "booking"), "start", "2026-12-10T16:00:00Z");
    json_object_set_string_member (json_object_get_object_member (payload, "booking"), "end", "2026-12-10T16:40:00Z");
    json_object_set_string_member (json_object_get_object_member (payload, "booking"), "sessionType", "Разбор <1>");
    html = okno_telegram_format_event (payload, zone);
    g_assert_cmpstr (html, ==, "<b>Анна moved: Tue 17:30 → Thu 19:00</b>\nРазбор &lt;1&gt;");
    json_object_set_boolean_member (payload, "byOwner", TRUE);
    own = okno_telegram_format_event (payload, zone);
    g_assert_null (own);
  }
}

/* A move line from a newer version's format is refused whole, never half
 * applied: a "move" without its booking is damaged. */
static void
test_record_checked (void)
{
  g_autoptr(JsonNode) node = json_from_string ("{\"move\":{\"bookingId\":\"x\",\"fromSlotId\":\"a\","
                                               "\"toSlotId\":\"b\",\"at\":\"2026-12-01T10:00:00Z\"}}", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(OknoJournalRecord) record = okno_journal_record_new_from_json (json_node_get_object (node), &error);

  g_assert_null (record);
  g_assert_error (error, OKNO_DATA_ERROR, OKNO_DATA_ERROR_CORRUPT);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/okno/reschedule/moves", test_moves);
  ADD ("/okno/reschedule/moves-back", test_moves_back);
  ADD ("/okno/reschedule/refusals", test_refusals);
  ADD ("/okno/reschedule/rules-ignore-itself", test_rules_ignore_itself);
  ADD ("/okno/reschedule/race", test_race);
  g_test_add_func ("/okno/reschedule/record-checked", test_record_checked);
  g_test_add_func ("/okno/reschedule/move-text", test_move_text);

  return g_test_run ();
}
