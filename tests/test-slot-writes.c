/* test-slot-writes.c: slot writes to a remote calendar go through the
 * durable outbox — they report success once on disk, show at once, land
 * once however often the calendar fails, in order per event, and survive
 * a restart.
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "okno-booking-service.h"
#include "okno-errors.h"
#include "okno-outbox-private.h"
#include "okno-slot-service.h"
#include "okno-slot-write-sink.h"
#include "okno-test-calendar.h"
#include "okno-test-utils.h"

/* One data folder over the test calendar, which plays Google: it outlives
 * a "restart" (the ledger, the services and the outbox are built again). */
typedef struct
{
  char               *dir;
  OknoTestCalendar   *calendar;
  OknoLedger         *ledger;
  OknoSchedule       *schedule;
  OknoSlotService    *slots;
  OknoBookingService *bookings;
  OknoOutbox         *outbox;
  GDateTime          *day;      /* three days ahead, 00:00 UTC */
} Fixture;

static void
open_all (Fixture  *f,
          gboolean  start)
{
  g_autoptr(OknoSlotWriteSink) sink = NULL;
  g_autoptr(GError) error = NULL;

  f->ledger = okno_ledger_new (f->dir, &error);
  g_assert_no_error (error);
  f->schedule = okno_schedule_new (OKNO_CALENDAR (f->calendar), f->ledger);
  f->slots = okno_slot_service_new (f->schedule);
  okno_slot_service_set_durable_writes (f->slots, TRUE);
  f->bookings = okno_booking_service_new (f->schedule);
  f->outbox = okno_outbox_new (f->schedule);
  _okno_outbox_set_backoff (f->outbox, 1, 8);
  sink = okno_slot_write_sink_new (OKNO_CALENDAR (f->calendar));
  okno_outbox_add_sink (f->outbox, OKNO_SLOT_WRITE_KIND, OKNO_NOTIFY_SINK (sink));
  okno_slot_write_stage_pending (f->ledger, OKNO_CALENDAR (f->calendar));
  if (start)
    okno_outbox_start (f->outbox);
}

/* As a kill would: nothing waits for the outbox (the journal is durable
 * once a write reported success). */
static void
close_all (Fixture *f)
{
  g_clear_object (&f->outbox);
  g_clear_object (&f->bookings);
  g_clear_object (&f->slots);
  g_clear_object (&f->schedule);
  okno_test_drain (f->ledger);
  g_assert_finalize_object (g_steal_pointer (&f->ledger));
  /* What a killed process had staged is gone with it (the test calendar,
   * playing Google, lives on). */
  g_object_set_data (G_OBJECT (f->calendar), "okno-calendar-staged", NULL);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) today = NULL;

  f->dir = okno_test_make_dir ();
  f->calendar = okno_test_calendar_new ();
  today = g_date_time_new_utc (g_date_time_get_year (now), g_date_time_get_month (now),
                               g_date_time_get_day_of_month (now), 0, 0, 0);
  f->day = g_date_time_add_days (today, 3);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  if (f->ledger != NULL)
    close_all (f);
  g_assert_finalize_object (f->calendar);
  g_date_time_unref (f->day);
  okno_test_remove_dir (f->dir);
  g_free (f->dir);
}

static GDateTime *
at (Fixture *f,
    int      hour,
    int      minute)
{
  return g_date_time_add_minutes (f->day, hour * 60 + minute);
}

static void
done_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static GAsyncResult *
wait_result (GAsyncResult **slot)
{
  gint64 deadline = g_get_monotonic_time () + 30 * G_TIME_SPAN_SECOND;

  while (*slot == NULL)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  return *slot;
}

static OknoEvent *
publish (Fixture *f,
         int      hour)
{
  g_autoptr(GDateTime) start = at (f, hour, 0);
  g_autoptr(GDateTime) end = at (f, hour, 50);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  OknoEvent *event;

  okno_slot_service_publish_async (f->slots, start, end, NULL, NULL, done_cb, &result);
  event = okno_slot_service_publish_finish (f->slots, wait_result (&result), &error);
  g_assert_no_error (error);
  return event;
}

static void
move (Fixture    *f,
      const char *id,
      int         hour)
{
  g_autoptr(GDateTime) start = at (f, hour, 0);
  g_autoptr(GDateTime) end = at (f, hour, 50);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(OknoEvent) moved = NULL;
  g_autoptr(GError) error = NULL;

  okno_slot_service_move_async (f->slots, id, start, end, NULL, NULL, done_cb, &result);
  moved = okno_slot_service_move_finish (f->slots, wait_result (&result), &error);
  g_assert_no_error (error);
}

static void
delete (Fixture    *f,
        const char *id)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  okno_slot_service_delete_async (f->slots, id, NULL, done_cb, &result);
  okno_slot_service_delete_finish (f->slots, wait_result (&result), &error);
  g_assert_no_error (error);
}

/* Until the outbox holds nothing (retries are due within milliseconds). */
static void
settle (Fixture *f)
{
  gint64 deadline = g_get_monotonic_time () + 60 * G_TIME_SPAN_SECOND;

  while (okno_outbox_get_pending (f->outbox, NULL) > 0)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  okno_test_drain (f->ledger);
}

/* The backend's own copy, not what is staged. */
static OknoEvent *
stored (Fixture    *f,
        const char *id)
{
  return okno_calendar_lookup_stored_event (OKNO_CALENDAR (f->calendar), id);
}

/* The calendar failing 20 times: the publish reports success at once (it
 * is durable), shows meanwhile, and the insert lands exactly once. */
static void
test_insert_lands_once (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(OknoEvent) event = NULL;
  g_autoptr(GDateTime) ten = at (f, 10, 0);
  const char *id;

  open_all (f, TRUE);
  okno_test_calendar_fail (f->calendar, OKNO_TEST_CALENDAR_INSERT, 20, OKNO_CALENDAR_ERROR_OFFLINE);

  event = publish (f, 10);
  id = okno_event_get_id (event);
  g_assert_null (stored (f, id));
  g_assert_nonnull (okno_calendar_lookup_event (OKNO_CALENDAR (f->calendar), id));
  g_assert_cmpuint (okno_slot_write_count_pending (f->ledger), ==, 1);

  settle (f);
  g_assert_cmpuint (okno_test_calendar_get_calls (f->calendar, OKNO_TEST_CALENDAR_INSERT), ==, 21);
  g_assert_cmpuint (okno_test_calendar_get_applied (f->calendar, OKNO_TEST_CALENDAR_INSERT), ==, 1);
  g_assert_cmpuint (okno_test_calendar_get_n_events (f->calendar), ==, 1);
  g_assert_nonnull (stored (f, id));
  g_assert_true (g_date_time_equal (okno_event_get_start (stored (f, id)), ten));
  g_assert_cmpuint (okno_calendar_get_n_staged (OKNO_CALENDAR (f->calendar)), ==, 0);
  g_assert_cmpuint (okno_slot_write_count_pending (f->ledger), ==, 0);
  g_assert_cmpuint (okno_ledger_get_attention_items (f->ledger)->len, ==, 0);
}

/* A lost answer: the insert is repeated, finds its own id (409) and is
 * done; nothing is inserted twice. */
static void
test_repeated_insert_is_done (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(OknoEvent) event = NULL;

  open_all (f, TRUE);
  okno_test_calendar_lose_answers (f->calendar, OKNO_TEST_CALENDAR_INSERT, 1);
  event = publish (f, 10);
  settle (f);

  g_assert_cmpuint (okno_test_calendar_get_calls (f->calendar, OKNO_TEST_CALENDAR_INSERT), ==, 2);
  g_assert_cmpuint (okno_test_calendar_get_applied (f->calendar, OKNO_TEST_CALENDAR_INSERT), ==, 1);
  g_assert_cmpuint (okno_test_calendar_get_n_events (f->calendar), ==, 1);
  g_assert_cmpuint (okno_ledger_get_attention_items (f->ledger)->len, ==, 0);
}

/* Publish three, move one whose insert still waits, delete another, while
 * the calendar is down: the week shows the result at once, and once the
 * calendar is back it holds exactly that, each change applied once and in
 * order (a move sent before its insert would be refused, an attention
 * item). */
static void
test_in_order_per_event (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(OknoEvent) a = NULL, b = NULL, c = NULL;
  g_autoptr(GDateTime) from = at (f, 0, 0);
  g_autoptr(GDateTime) to = at (f, 24, 0);
  g_autoptr(GDateTime) fifteen = at (f, 15, 0);
  g_autoptr(GPtrArray) shown = NULL;

  open_all (f, TRUE);
  okno_test_calendar_fail (f->calendar, OKNO_TEST_CALENDAR_INSERT, 12, OKNO_CALENDAR_ERROR_OFFLINE);
  okno_test_calendar_set_delay (f->calendar, 2);

  a = publish (f, 10);
  b = publish (f, 12);
  c = publish (f, 14);
  move (f, okno_event_get_id (b), 15);
  delete (f, okno_event_get_id (c));

  /* Shown at once: a at 10, b at 15, no c. */
  shown = okno_calendar_list_events (OKNO_CALENDAR (f->calendar), from, to);
  g_assert_cmpuint (shown->len, ==, 2);
  g_assert_cmpstr (okno_event_get_id (g_ptr_array_index (shown, 0)), ==, okno_event_get_id (a));
  g_assert_cmpstr (okno_event_get_id (g_ptr_array_index (shown, 1)), ==, okno_event_get_id (b));
  g_assert_true (g_date_time_equal (okno_event_get_start (g_ptr_array_index (shown, 1)), fifteen));
  g_assert_null (okno_calendar_lookup_event (OKNO_CALENDAR (f->calendar), okno_event_get_id (c)));
  g_assert_cmpuint (okno_slot_write_count_pending (f->ledger), ==, 5);

  settle (f);
  g_assert_cmpuint (okno_ledger_get_attention_items (f->ledger)->len, ==, 0);
  g_assert_cmpuint (okno_test_calendar_get_applied (f->calendar, OKNO_TEST_CALENDAR_INSERT), ==, 3);
  g_assert_cmpuint (okno_test_calendar_get_applied (f->calendar, OKNO_TEST_CALENDAR_UPDATE), ==, 1);
  g_assert_cmpuint (okno_test_calendar_get_applied (f->calendar, OKNO_TEST_CALENDAR_DELETE), ==, 1);
  g_assert_cmpuint (okno_test_calendar_get_n_events (f->calendar), ==, 2);
  g_assert_true (g_date_time_equal (okno_event_get_start (stored (f, okno_event_get_id (b))), fifteen));
  g_assert_null (stored (f, okno_event_get_id (c)));
  g_assert_cmpuint (okno_calendar_get_n_staged (OKNO_CALENDAR (f->calendar)), ==, 0);
}

/* Writes queued while the calendar is down survive a restart: shown at
 * once when the folder opens again, then sent, each once. */
static void
test_survives_restart (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(OknoEvent) a = NULL, b = NULL;
  g_autofree char *id_a = NULL, *id_b = NULL;
  g_autoptr(GDateTime) sixteen = at (f, 16, 0);

  open_all (f, FALSE);
  a = publish (f, 10);
  b = publish (f, 12);
  move (f, okno_event_get_id (a), 16);
  id_a = g_strdup (okno_event_get_id (a));
  id_b = g_strdup (okno_event_get_id (b));
  close_all (f);
  g_assert_null (okno_calendar_lookup_event (OKNO_CALENDAR (f->calendar), id_a));
  g_assert_cmpuint (okno_test_calendar_get_calls (f->calendar, OKNO_TEST_CALENDAR_INSERT), ==, 0);

  open_all (f, FALSE);
  g_assert_cmpuint (okno_slot_write_count_pending (f->ledger), ==, 3);
  g_assert_nonnull (okno_calendar_lookup_event (OKNO_CALENDAR (f->calendar), id_b));
  g_assert_true (g_date_time_equal (okno_event_get_start (okno_calendar_lookup_event (OKNO_CALENDAR (f->calendar), id_a)),
                                    sixteen));
  okno_test_calendar_fail (f->calendar, OKNO_TEST_CALENDAR_INSERT, 3, OKNO_CALENDAR_ERROR_OFFLINE);
  okno_outbox_start (f->outbox);
  settle (f);

  g_assert_cmpuint (okno_test_calendar_get_applied (f->calendar, OKNO_TEST_CALENDAR_INSERT), ==, 2);
  g_assert_cmpuint (okno_test_calendar_get_applied (f->calendar, OKNO_TEST_CALENDAR_UPDATE), ==, 1);
  g_assert_true (g_date_time_equal (okno_event_get_start (stored (f, id_a)), sixteen));
  g_assert_cmpuint (okno_slot_write_count_pending (f->ledger), ==, 0);
}

static gboolean
keep_busy_cb (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

/* A write made right after the start, before the outbox looked at what
 * the last run left: it still waits for the older write of its event. */
static void
test_older_write_goes_first (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(OknoEvent) a = NULL;
  g_autofree char *id = NULL;
  g_autoptr(GDateTime) sixteen = at (f, 16, 0);
  guint busy;

  open_all (f, FALSE);
  a = publish (f, 10);
  id = g_strdup (okno_event_get_id (a));
  close_all (f);

  open_all (f, FALSE);
  okno_outbox_start (f->outbox);
  /* A busy main loop: the outbox's first look (an idle) waits behind the
   * move, whose journal line is done at default priority. */
  busy = g_idle_add_full (G_PRIORITY_DEFAULT, keep_busy_cb, NULL, NULL);
  move (f, id, 16);
  g_source_remove (busy);
  settle (f);

  g_assert_cmpuint (okno_ledger_get_attention_items (f->ledger)->len, ==, 0);
  g_assert_cmpuint (okno_test_calendar_get_applied (f->calendar, OKNO_TEST_CALENDAR_INSERT), ==, 1);
  g_assert_cmpuint (okno_test_calendar_get_applied (f->calendar, OKNO_TEST_CALENDAR_UPDATE), ==, 1);
  g_assert_true (g_date_time_equal (okno_event_get_start (stored (f, id)), sixteen));
}

/* Refused for good (Google's 400): one attention item, and the slot that
 * never reached the calendar is no longer shown. */
static void
test_refused_needs_attention (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(OknoEvent) event = NULL;
  JsonObject *item;

  open_all (f, TRUE);
  okno_test_calendar_fail (f->calendar, OKNO_TEST_CALENDAR_INSERT, 1, OKNO_CALENDAR_ERROR_INVALID);
  event = publish (f, 10);
  settle (f);

  g_assert_cmpuint (okno_ledger_get_attention_items (f->ledger)->len, ==, 1);
  item = g_ptr_array_index (okno_ledger_get_attention_items (f->ledger), 0);
  g_assert_cmpstr (json_object_get_string_member (item, "code"), ==, "calendar-failed");
  g_assert_nonnull (strstr (json_object_get_string_member (item, "message"), "could not be published"));
  g_assert_null (okno_calendar_lookup_event (OKNO_CALENDAR (f->calendar), okno_event_get_id (event)));
  g_assert_cmpuint (okno_test_calendar_get_calls (f->calendar, OKNO_TEST_CALENDAR_INSERT), ==, 1);
}

/* A client books a slot published while the calendar is down: accepted
 * against the staged slot; the booked title follows the insert. */
static void
test_booking_of_queued_slot (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(OknoBookingRequest) request = okno_booking_request_new ();
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(OknoEvent) event = NULL;
  g_autoptr(OknoBooking) booking = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;

  open_all (f, TRUE);
  okno_test_calendar_fail (f->calendar, OKNO_TEST_CALENDAR_INSERT, 10, OKNO_CALENDAR_ERROR_OFFLINE);
  event = publish (f, 10);

  request->slot_id = g_strdup (okno_event_get_id (event));
  request->name = g_strdup ("Анна");
  request->email = g_strdup ("anna@example.org");
  booking = okno_booking_service_book (f->bookings, request, NULL, now, &token, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (booking);

  settle (f);
  g_assert_cmpuint (okno_ledger_get_attention_items (f->ledger)->len, ==, 0);
  g_assert_cmpuint (okno_test_calendar_get_applied (f->calendar, OKNO_TEST_CALENDAR_INSERT), ==, 1);
  g_assert_true (g_str_has_prefix (okno_event_get_summary (stored (f, okno_event_get_id (event))), "✅ Анна"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/okno/slot-writes/insert-lands-once", Fixture, NULL,
              fixture_set_up, test_insert_lands_once, fixture_tear_down);
  g_test_add ("/okno/slot-writes/repeated-insert-is-done", Fixture, NULL,
              fixture_set_up, test_repeated_insert_is_done, fixture_tear_down);
  g_test_add ("/okno/slot-writes/in-order-per-event", Fixture, NULL,
              fixture_set_up, test_in_order_per_event, fixture_tear_down);
  g_test_add ("/okno/slot-writes/survives-restart", Fixture, NULL,
              fixture_set_up, test_survives_restart, fixture_tear_down);
  g_test_add ("/okno/slot-writes/older-write-goes-first", Fixture, NULL,
              fixture_set_up, test_older_write_goes_first, fixture_tear_down);
  g_test_add ("/okno/slot-writes/refused-needs-attention", Fixture, NULL,
              fixture_set_up, test_refused_needs_attention, fixture_tear_down);
  g_test_add ("/okno/slot-writes/booking-of-queued-slot", Fixture, NULL,
              fixture_set_up, test_booking_of_queued_slot, fixture_tear_down);

  return g_test_run ();
}
