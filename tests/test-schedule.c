/* test-schedule.c: the booking rules.
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "okno-errors.h"
#include "okno-schedule.h"
#include "okno-test-calendar.h"
#include "okno-test-utils.h"
#include "okno-time.h"

typedef struct
{
  char              *dir;
  OknoLocalCalendar *calendar;
  OknoLedger        *ledger;
  OknoSchedule      *schedule;
  GDateTime         *now;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = okno_test_make_dir ();
  f->calendar = okno_local_calendar_new (f->dir, &error);
  g_assert_no_error (error);
  f->ledger = okno_ledger_new (f->dir, &error);
  g_assert_no_error (error);
  f->schedule = okno_schedule_new (OKNO_CALENDAR (f->calendar), f->ledger);
  g_object_set (f->schedule, "time-zone", "Europe/Moscow", NULL);
  f->now = okno_test_time ("2026-11-24T09:00:00Z");
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  okno_test_wait_idle (f->calendar);
  g_assert_finalize_object (f->schedule);
  g_assert_finalize_object (f->ledger);
  g_assert_finalize_object (f->calendar);
  g_date_time_unref (f->now);
  okno_test_remove_dir (f->dir);
  g_free (f->dir);
}

static OknoEvent *
slot_at (Fixture    *f,
         const char *when,
         int         minutes)
{
  g_autoptr(GDateTime) start = okno_test_time (when);

  return okno_test_insert_event (OKNO_CALENDAR (f->calendar), "🔓 СЛОТ: Сессия", start, minutes, TRUE);
}

static OknoEvent *
busy_at (Fixture    *f,
         const char *when,
         int         minutes)
{
  g_autoptr(GDateTime) start = okno_test_time (when);

  return okno_test_insert_event (OKNO_CALENDAR (f->calendar), "Стоматолог", start, minutes, FALSE);
}

static void
assert_bookable (Fixture   *f,
                 OknoEvent *slot,
                 gint       expected_code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OknoSlot) result = okno_schedule_check_bookable (f->schedule, okno_event_get_id (slot), f->now, &error);

  if (expected_code < 0)
    {
      g_assert_no_error (error);
      g_assert_nonnull (result);
    }
  else
    {
      g_assert_null (result);
      g_assert_error (error, OKNO_BOOKING_ERROR, expected_code);
    }
}

static void
count_changes_cb (guint *count)
{
  (*count)++;
}

/* Notice is 120 minutes: exactly at the limit is still bookable, a second
 * less is not. */
static void
test_minimum_notice (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(OknoEvent) at_limit = slot_at (f, "2026-11-24T11:00:00Z", 40);
  g_autoptr(OknoEvent) just_inside = slot_at (f, "2026-11-24T10:59:59Z", 1);
  g_autoptr(OknoEvent) later = slot_at (f, "2026-11-24T15:00:00Z", 40);
  g_autoptr(OknoEvent) past = slot_at (f, "2026-11-24T08:00:00Z", 40);

  assert_bookable (f, at_limit, -1);
  assert_bookable (f, later, -1);
  assert_bookable (f, just_inside, OKNO_BOOKING_ERROR_SLOT_UNAVAILABLE);
  assert_bookable (f, past, OKNO_BOOKING_ERROR_SLOT_UNAVAILABLE);

  g_object_set (f->schedule, "min-notice-minutes", 0, NULL);
  assert_bookable (f, just_inside, -1);
}

static void
test_booking_window (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(OknoEvent) inside = slot_at (f, "2026-12-23T09:00:00Z", 40);
  g_autoptr(OknoEvent) outside = slot_at (f, "2026-12-24T09:00:00Z", 40);

  assert_bookable (f, inside, -1);
  assert_bookable (f, outside, OKNO_BOOKING_ERROR_SLOT_UNAVAILABLE);

  g_object_set (f->schedule, "booking-window-days", 31, NULL);
  assert_bookable (f, outside, -1);
}

static void
test_overlap_with_busy (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(OknoEvent) slot = slot_at (f, "2026-11-25T14:00:00Z", 40);
  g_autoptr(OknoEvent) clear = slot_at (f, "2026-11-25T16:00:00Z", 40);
  g_autoptr(OknoEvent) busy = busy_at (f, "2026-11-25T14:30:00Z", 60);
  g_autoptr(OknoEvent) touching = busy_at (f, "2026-11-25T16:40:00Z", 60);
  g_autoptr(OknoEvent) transparent = NULL;
  g_autoptr(OknoEvent) updated = NULL;
  g_autoptr(GError) error = NULL;

  assert_bookable (f, slot, OKNO_BOOKING_ERROR_SLOT_UNAVAILABLE);
  assert_bookable (f, clear, -1);

  /* Marked free in the calendar: no longer in the way. */
  transparent = okno_event_copy (okno_calendar_lookup_event (OKNO_CALENDAR (f->calendar), okno_event_get_id (busy)));
  okno_event_set_transparent (transparent, TRUE);
  updated = okno_test_calendar_update (OKNO_CALENDAR (f->calendar), transparent, &error);
  g_assert_no_error (error);
  assert_bookable (f, slot, -1);
}

static void
test_booked_slot_is_taken (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(OknoEvent) slot = slot_at (f, "2026-11-25T14:00:00Z", 40);
  g_autoptr(OknoEvent) overlapping = slot_at (f, "2026-11-25T14:20:00Z", 40);
  g_autoptr(OknoBooking) booking = okno_booking_new ("b1", okno_event_get_id (slot),
                                                     okno_event_get_start (slot), okno_event_get_end (slot));
  g_autoptr(GError) error = NULL;

  /* Two open slots may overlap: neither blocks the other. */
  assert_bookable (f, overlapping, -1);

  g_assert_true (okno_ledger_put (f->ledger, booking, &error));
  assert_bookable (f, slot, OKNO_BOOKING_ERROR_SLOT_TAKEN);
  /* A booked session blocks what overlaps it. */
  assert_bookable (f, overlapping, OKNO_BOOKING_ERROR_SLOT_UNAVAILABLE);
}

static OknoBooking *
book_slot (Fixture    *f,
           const char *id,
           OknoEvent  *slot)
{
  OknoBooking *booking = okno_booking_new (id, okno_event_get_id (slot),
                                           okno_event_get_start (slot), okno_event_get_end (slot));
  g_autoptr(GError) error = NULL;

  g_assert_true (okno_ledger_put (f->ledger, booking, &error));
  g_assert_no_error (error);
  return booking;
}

static void
cancel_booking (Fixture     *f,
                OknoBooking *booking)
{
  g_autoptr(OknoBooking) cancelled = okno_booking_copy (booking);
  g_autoptr(GError) error = NULL;

  okno_booking_cancel (cancelled, f->now);
  g_assert_true (okno_ledger_put (f->ledger, cancelled, &error));
  g_assert_no_error (error);
}

/* Whether @slot is on the list the page and the API offer. */
static gboolean
is_offered (Fixture   *f,
            OknoEvent *slot)
{
  g_autoptr(GDateTime) to = g_date_time_add_days (f->now, 30);
  g_autoptr(GPtrArray) slots = okno_schedule_dup_bookable_slots (f->schedule, f->now, to, f->now, NULL);

  for (guint i = 0; i < slots->len; i++)
    if (g_strcmp0 (okno_slot_get_id (g_ptr_array_index (slots, i)), okno_event_get_id (slot)) == 0)
      return TRUE;
  return FALSE;
}

/* buffer-minutes 15 around a session booked 14:00–14:40: a slot 10 minutes
 * after it or ending 10 minutes before it is neither offered nor bookable;
 * exactly 15 minutes is fine; a cancel brings them back. */
static void
test_buffer (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(OknoEvent) booked = slot_at (f, "2026-11-25T14:00:00Z", 40);
  g_autoptr(OknoEvent) after_close = slot_at (f, "2026-11-25T14:50:00Z", 40);
  g_autoptr(OknoEvent) after_ok = slot_at (f, "2026-11-25T14:55:00Z", 40);
  g_autoptr(OknoEvent) before_close = slot_at (f, "2026-11-25T13:10:00Z", 40);
  g_autoptr(OknoEvent) before_ok = slot_at (f, "2026-11-25T13:05:00Z", 40);
  g_autoptr(OknoBooking) booking = NULL;
  guint buffer = 1;

  g_object_get (f->schedule, "buffer-minutes", &buffer, NULL);
  g_assert_cmpuint (buffer, ==, 0);
  booking = book_slot (f, "b1", booked);
  /* No buffer: back to back is fine. */
  assert_bookable (f, after_close, -1);
  g_assert_true (is_offered (f, after_close));

  g_object_set (f->schedule, "buffer-minutes", 15, NULL);
  assert_bookable (f, after_close, OKNO_BOOKING_ERROR_SLOT_UNAVAILABLE);
  assert_bookable (f, before_close, OKNO_BOOKING_ERROR_SLOT_UNAVAILABLE);
  assert_bookable (f, after_ok, -1);
  assert_bookable (f, before_ok, -1);
  g_assert_false (is_offered (f, after_close));
  g_assert_false (is_offered (f, before_close));
  g_assert_true (is_offered (f, after_ok));
  g_assert_true (is_offered (f, before_ok));

  cancel_booking (f, booking);
  assert_bookable (f, after_close, -1);
  assert_bookable (f, before_close, -1);
  g_assert_true (is_offered (f, after_close));
}

/* max-sessions-per-day 2, days in Olga's zone (Moscow): with two sessions
 * booked on the 25th its third slot is neither offered nor bookable but
 * stays a slot in the calendar; 01:00 Moscow on the 26th (22:00 UTC on the
 * 25th) is another day; a cancel brings the slot back; 0 is no limit. */
static void
test_daily_limit (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(OknoEvent) a = slot_at (f, "2026-11-25T07:00:00Z", 40);
  g_autoptr(OknoEvent) b = slot_at (f, "2026-11-25T09:00:00Z", 40);
  g_autoptr(OknoEvent) c = slot_at (f, "2026-11-25T11:00:00Z", 40);
  g_autoptr(OknoEvent) next_day = slot_at (f, "2026-11-25T22:00:00Z", 40);
  g_autoptr(OknoBooking) booking_a = NULL;
  g_autoptr(OknoBooking) booking_b = NULL;

  g_object_set (f->schedule, "max-sessions-per-day", 2, NULL);
  booking_a = book_slot (f, "b1", a);
  assert_bookable (f, c, -1);
  booking_b = book_slot (f, "b2", b);

  assert_bookable (f, c, OKNO_BOOKING_ERROR_SLOT_UNAVAILABLE);
  g_assert_false (is_offered (f, c));
  g_assert_cmpint (okno_schedule_classify (f->schedule, okno_calendar_lookup_event (OKNO_CALENDAR (f->calendar),
                                                                                   okno_event_get_id (c))),
                   ==, OKNO_EVENT_KIND_SLOT);
  assert_bookable (f, next_day, -1);
  g_assert_true (is_offered (f, next_day));

  cancel_booking (f, booking_b);
  assert_bookable (f, c, -1);
  g_assert_true (is_offered (f, c));

  g_object_unref (booking_b);
  booking_b = book_slot (f, "b3", b);
  assert_bookable (f, c, OKNO_BOOKING_ERROR_SLOT_UNAVAILABLE);
  g_object_set (f->schedule, "max-sessions-per-day", 0, NULL);
  assert_bookable (f, c, -1);
  g_assert_true (is_offered (f, c));
}

static void
test_not_a_slot (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(OknoEvent) busy = busy_at (f, "2026-11-25T14:00:00Z", 40);
  g_autoptr(GError) error = NULL;
  g_autoptr(OknoSlot) none = okno_schedule_check_bookable (f->schedule, "nosuchid", f->now, &error);

  g_assert_null (none);
  g_assert_error (error, OKNO_BOOKING_ERROR, OKNO_BOOKING_ERROR_SLOT_NOT_FOUND);
  assert_bookable (f, busy, OKNO_BOOKING_ERROR_SLOT_NOT_FOUND);
}

static void
test_bookable_list (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(OknoEvent) soon = slot_at (f, "2026-11-24T10:00:00Z", 40);
  g_autoptr(OknoEvent) a = slot_at (f, "2026-11-25T14:00:00Z", 40);
  g_autoptr(OknoEvent) b = slot_at (f, "2026-11-26T14:00:00Z", 40);
  g_autoptr(OknoEvent) blocked = slot_at (f, "2026-11-27T14:00:00Z", 40);
  g_autoptr(OknoEvent) busy = busy_at (f, "2026-11-27T13:30:00Z", 60);
  g_autoptr(OknoEvent) outside = slot_at (f, "2026-11-29T14:00:00Z", 40);
  g_autoptr(GDateTime) from = okno_test_time ("2026-11-24T00:00:00+03:00");
  g_autoptr(GDateTime) to = okno_test_time ("2026-11-28T00:00:00+03:00");
  g_autoptr(GDateTime) next_change = NULL;
  g_autoptr(GPtrArray) slots = okno_schedule_dup_bookable_slots (f->schedule, from, to, f->now, &next_change);
  g_autoptr(GDateTime) expected_change = okno_test_time ("2026-11-25T12:00:00Z");

  g_assert_cmpuint (slots->len, ==, 2);
  g_assert_cmpstr (okno_slot_get_id (g_ptr_array_index (slots, 0)), ==, okno_event_get_id (a));
  g_assert_cmpstr (okno_slot_get_id (g_ptr_array_index (slots, 1)), ==, okno_event_get_id (b));

  /* The answer next changes when slot a comes within the notice. */
  g_assert_nonnull (next_change);
  g_assert_true (g_date_time_equal (next_change, expected_change));
}

/* Europe/Berlin, night of 2026-10-25: the day of the DST change has 25
 * hours and both 02:30s belong to it. */
static void
test_dst_day (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GTimeZone) berlin = okno_time_zone_new ("Europe/Berlin");
  g_autoptr(OknoEvent) first = slot_at (f, "2026-10-25T00:30:00Z", 40);
  g_autoptr(OknoEvent) second = slot_at (f, "2026-10-25T01:30:00Z", 40);
  g_autoptr(OknoEvent) late = slot_at (f, "2026-10-25T22:30:00Z", 40);
  g_autoptr(OknoEvent) next_day = slot_at (f, "2026-10-25T23:30:00Z", 40);
  g_autoptr(GDateTime) day = okno_time_parse_date ("2026-10-25", berlin);
  g_autoptr(GDateTime) day_end = g_date_time_add_days (day, 1);
  g_autoptr(GDateTime) then = okno_test_time ("2026-10-20T09:00:00Z");
  g_autoptr(GPtrArray) slots = okno_schedule_dup_bookable_slots (f->schedule, day, day_end, then, NULL);

  g_assert_cmpuint (slots->len, ==, 3);
  g_assert_cmpstr (okno_slot_get_id (g_ptr_array_index (slots, 2)), ==, okno_event_get_id (late));
}

static void
count_cb (guint *counter)
{
  (*counter)++;
}

static void
test_list_model (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GDateTime) from = okno_test_time ("2026-11-23T00:00:00+03:00");
  g_autoptr(GDateTime) to = g_date_time_add_days (from, 7);
  g_autoptr(OknoEvent) a = NULL;
  g_autoptr(OknoEvent) outside = NULL;
  guint changes = 0;

  okno_schedule_set_range (f->schedule, from, to);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->schedule)), ==, 0);
  g_signal_connect_swapped (f->schedule, "items-changed", G_CALLBACK (count_cb), &changes);

  a = slot_at (f, "2026-11-25T14:00:00Z", 40);
  outside = slot_at (f, "2026-12-25T14:00:00Z", 40);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->schedule)), ==, 1);
  g_assert_cmpuint (changes, >=, 1);
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (f->schedule)) == OKNO_TYPE_EVENT);
}

/* An event in a busy calendar blocks a slot in the slots' calendar that
 * it overlaps (touching is fine), shows in the week, and a free-time one
 * does not block; a change there is seen at once. */
static void
test_busy_calendar (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(OknoTestCalendar) other = okno_test_calendar_new ();
  g_autoptr(OknoEvent) slot = slot_at (f, "2026-11-25T14:00:00Z", 40);
  g_autoptr(OknoEvent) touching = slot_at (f, "2026-11-25T16:00:00Z", 40);
  g_autoptr(GDateTime) s1 = okno_test_time ("2026-11-25T14:30:00Z");
  g_autoptr(GDateTime) e1 = okno_test_time ("2026-11-25T16:00:00Z");
  g_autoptr(OknoEvent) dentist = okno_event_new ("dentist0000", "Стоматолог", s1, e1);
  g_autoptr(GDateTime) from = okno_test_time ("2026-11-25T00:00:00Z");
  g_autoptr(GDateTime) to = okno_test_time ("2026-11-26T00:00:00Z");
  g_autoptr(GPtrArray) listed = NULL;
  g_autoptr(GPtrArray) bookable = NULL;
  guint changes = 0;

  assert_bookable (f, slot, -1);

  g_signal_connect_swapped (f->schedule, "changed", G_CALLBACK (count_changes_cb), &changes);
  okno_schedule_add_busy_calendar (f->schedule, OKNO_CALENDAR (other));
  okno_test_calendar_put (other, dentist);
  okno_calendar_emit_changed (OKNO_CALENDAR (other));
  g_assert_cmpuint (changes, >=, 2);

  assert_bookable (f, slot, OKNO_BOOKING_ERROR_SLOT_UNAVAILABLE);
  assert_bookable (f, touching, -1);
  g_assert_cmpint (okno_schedule_classify (f->schedule, okno_calendar_lookup_event (OKNO_CALENDAR (other), "dentist0000")),
                   ==, OKNO_EVENT_KIND_BUSY);

  listed = okno_schedule_list_events (f->schedule, from, to);
  g_assert_cmpuint (listed->len, ==, 3);
  g_assert_cmpstr (okno_event_get_id (g_ptr_array_index (listed, 1)), ==, "dentist0000");

  bookable = okno_schedule_dup_bookable_slots (f->schedule, from, to, f->now, NULL);
  g_assert_cmpuint (bookable->len, ==, 1);

  /* Free time in the other calendar does not block. */
  okno_event_set_transparent (dentist, TRUE);
  okno_test_calendar_put (other, dentist);
  okno_calendar_emit_changed (OKNO_CALENDAR (other));
  assert_bookable (f, slot, -1);

  g_signal_handlers_disconnect_by_data (f->schedule, &changes);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/okno/schedule/minimum-notice", test_minimum_notice);
  ADD ("/okno/schedule/booking-window", test_booking_window);
  ADD ("/okno/schedule/buffer", test_buffer);
  ADD ("/okno/schedule/daily-limit", test_daily_limit);
  ADD ("/okno/schedule/overlap-with-busy", test_overlap_with_busy);
  ADD ("/okno/schedule/booked-slot-is-taken", test_booked_slot_is_taken);
  ADD ("/okno/schedule/not-a-slot", test_not_a_slot);
  ADD ("/okno/schedule/bookable-list", test_bookable_list);
  ADD ("/okno/schedule/dst-day", test_dst_day);
  ADD ("/okno/schedule/list-model", test_list_model);
  ADD ("/okno/schedule/busy-calendar", test_busy_calendar);

  return g_test_run ();
}
