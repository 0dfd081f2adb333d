/* test-slot-service.c: the one rule for where a slot may go, and the one
 * write path for slots.
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "okno-errors.h"
#include "okno-slot-service.h"
#include "okno-test-calendar.h"
#include "okno-test-utils.h"
#include "okno-token.h"

typedef struct
{
  char             *dir;
  OknoTestCalendar *calendar;
  OknoTestCalendar *other;      /* only busy */
  OknoLedger       *ledger;
  OknoSchedule     *schedule;
  OknoSlotService  *service;
  GDateTime        *now;
} Fixture;

/* The calendar on 2030-03-05 (UTC), against which every case is tried:
 *   10:00–11:00 an open slot        12:00–13:00 a booked session
 *   14:00–15:00 a busy event        16:00–17:00 busy in another calendar
 *   18:00–19:00 free time (transparent) */
static OknoEvent *
put (OknoTestCalendar *calendar,
     const char       *id,
     const char       *summary,
     const char       *from,
     const char       *to,
     gboolean          slot)
{
  g_autoptr(GDateTime) start = okno_test_time (from);
  g_autoptr(GDateTime) end = okno_test_time (to);
  g_autoptr(OknoEvent) event = okno_event_new (id, summary, start, end);

  if (slot)
    okno_event_set_private (event, OKNO_PROP_KIND, OKNO_PROP_KIND_SLOT);
  okno_test_calendar_put (calendar, event);
  return g_object_ref (okno_calendar_lookup_event (OKNO_CALENDAR (calendar), id));
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OknoEvent) a = NULL, b = NULL, c = NULL, d = NULL, e = NULL;

  f->dir = okno_test_make_dir ();
  f->calendar = okno_test_calendar_new ();
  f->other = okno_test_calendar_new ();
  f->ledger = okno_ledger_new (f->dir, &error);
  g_assert_no_error (error);
  f->schedule = okno_schedule_new (OKNO_CALENDAR (f->calendar), f->ledger);
  okno_schedule_add_busy_calendar (f->schedule, OKNO_CALENDAR (f->other));
  f->service = okno_slot_service_new (f->schedule);
  f->now = okno_test_time ("2030-03-05T08:00:00Z");

  a = put (f->calendar, "open0slot0", "🔓 СЛОТ: Сессия", "2030-03-05T10:00:00Z", "2030-03-05T11:00:00Z", TRUE);
  b = put (f->calendar, "booked0000", "✅ Анна — Сессия", "2030-03-05T12:00:00Z", "2030-03-05T13:00:00Z", TRUE);
  c = put (f->calendar, "dentist000", "Стоматолог", "2030-03-05T14:00:00Z", "2030-03-05T15:00:00Z", FALSE);
  d = put (f->other, "elsewhere0", "Педсовет", "2030-03-05T16:00:00Z", "2030-03-05T17:00:00Z", FALSE);
  e = put (f->calendar, "freetime00", "Можно", "2030-03-05T18:00:00Z", "2030-03-05T19:00:00Z", FALSE);
  okno_event_set_transparent (e, TRUE);
  okno_test_calendar_put (f->calendar, e);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_assert_finalize_object (f->service);
  g_assert_finalize_object (f->schedule);
  g_assert_finalize_object (f->ledger);
  g_assert_finalize_object (f->calendar);
  g_assert_finalize_object (f->other);
  g_date_time_unref (f->now);
  okno_test_remove_dir (f->dir);
  g_free (f->dir);
}

/* The rule, case by case: -1 means allowed, otherwise the error code. */
static const struct
{
  const char *start;
  const char *end;
  const char *moving;
  int         code;
} cases[] = {
  /* time */
  { "2030-03-05T08:00:00Z", "2030-03-05T08:40:00Z", NULL, OKNO_SLOT_ERROR_PAST },      /* starts now */
  { "2030-03-05T07:59:00Z", "2030-03-05T08:39:00Z", NULL, OKNO_SLOT_ERROR_PAST },
  { "2030-03-05T08:00:01Z", "2030-03-05T08:40:01Z", NULL, -1 },
  /* length */
  { "2030-03-05T20:00:00Z", "2030-03-05T20:04:59Z", NULL, OKNO_SLOT_ERROR_LENGTH },
  { "2030-03-05T20:00:00Z", "2030-03-05T20:05:00Z", NULL, -1 },
  { "2030-03-05T20:00:00Z", "2030-03-06T04:00:00Z", NULL, -1 },                        /* 8 h */
  { "2030-03-05T20:00:00Z", "2030-03-06T04:01:00Z", NULL, OKNO_SLOT_ERROR_LENGTH },
  { "2030-03-05T20:00:00Z", "2030-03-05T19:00:00Z", NULL, OKNO_SLOT_ERROR_LENGTH },    /* backwards */
  /* touching end-to-start is allowed, on either side of anything */
  { "2030-03-05T09:20:00Z", "2030-03-05T10:00:00Z", NULL, -1 },
  { "2030-03-05T11:00:00Z", "2030-03-05T11:40:00Z", NULL, -1 },
  { "2030-03-05T11:20:00Z", "2030-03-05T12:00:00Z", NULL, -1 },
  { "2030-03-05T13:00:00Z", "2030-03-05T14:00:00Z", NULL, -1 },
  { "2030-03-05T15:00:00Z", "2030-03-05T16:00:00Z", NULL, -1 },
  { "2030-03-05T17:00:00Z", "2030-03-05T17:40:00Z", NULL, -1 },
  /* overlapping by a minute is not */
  { "2030-03-05T09:21:00Z", "2030-03-05T10:01:00Z", NULL, OKNO_SLOT_ERROR_OVERLAP },   /* a slot */
  { "2030-03-05T12:59:00Z", "2030-03-05T13:39:00Z", NULL, OKNO_SLOT_ERROR_OVERLAP },   /* booked */
  { "2030-03-05T13:30:00Z", "2030-03-05T14:01:00Z", NULL, OKNO_SLOT_ERROR_OVERLAP },   /* busy */
  { "2030-03-05T16:59:00Z", "2030-03-05T17:39:00Z", NULL, OKNO_SLOT_ERROR_OVERLAP },   /* busy elsewhere */
  { "2030-03-05T10:10:00Z", "2030-03-05T10:20:00Z", NULL, OKNO_SLOT_ERROR_OVERLAP },   /* inside */
  { "2030-03-05T09:00:00Z", "2030-03-05T12:00:00Z", NULL, OKNO_SLOT_ERROR_OVERLAP },   /* around */
  /* free time does not count */
  { "2030-03-05T18:00:00Z", "2030-03-05T19:00:00Z", NULL, -1 },
  /* a slot being moved is not in its own way; everything else still is */
  { "2030-03-05T10:30:00Z", "2030-03-05T11:30:00Z", "open0slot0", -1 },
  { "2030-03-05T11:30:00Z", "2030-03-05T12:30:00Z", "open0slot0", OKNO_SLOT_ERROR_OVERLAP },
};

static void
test_rule (Fixture       *f,
           gconstpointer  data)
{
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GDateTime) start = okno_test_time (cases[i].start);
      g_autoptr(GDateTime) end = okno_test_time (cases[i].end);
      g_autoptr(GError) error = NULL;
      OknoEvent *conflict = NULL;
      gboolean ok;

      ok = okno_slot_service_check (f->service, start, end, cases[i].moving, f->now, &conflict, &error);
      g_test_message ("case %u: %s–%s → %s", i, cases[i].start, cases[i].end, error ? error->message : "allowed");
      if (cases[i].code < 0)
        {
          g_assert_no_error (error);
          g_assert_true (ok);
        }
      else
        {
          g_assert_false (ok);
          g_assert_error (error, OKNO_SLOT_ERROR, cases[i].code);
          g_assert_true (cases[i].code != OKNO_SLOT_ERROR_OVERLAP || conflict != NULL);
        }
    }
}

typedef struct
{
  gboolean   done;
  OknoEvent *event;
  gboolean   ok;
  GError    *error;
} Result;

static void
event_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  Result *r = user_data;

  if (g_async_result_is_tagged (result, okno_slot_service_publish_async))
    r->event = okno_slot_service_publish_finish (OKNO_SLOT_SERVICE (object), result, &r->error);
  else
    r->event = okno_slot_service_move_finish (OKNO_SLOT_SERVICE (object), result, &r->error);
  r->done = TRUE;
}

static void
deleted_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  Result *r = user_data;

  r->ok = okno_slot_service_delete_finish (OKNO_SLOT_SERVICE (object), result, &r->error);
  r->done = TRUE;
}

static void
wait_for (Result *r)
{
  while (!r->done)
    g_main_context_iteration (NULL, TRUE);
}

static void
result_clear (Result *r)
{
  g_clear_object (&r->event);
  g_clear_error (&r->error);
  r->done = FALSE;
  r->ok = FALSE;
}

/* Publishing: the service chooses a Google-shaped id, marks the event as
 * Okno's slot, writes once; a refused place writes nothing; a slot on its
 * way is in the way of the next. */
static void
test_publish (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GDateTime) start = okno_test_time ("2030-03-05T20:00:00Z");
  g_autoptr(GDateTime) end = okno_test_time ("2030-03-05T20:40:00Z");
  g_autoptr(GDateTime) bad_start = okno_test_time ("2030-03-05T14:30:00Z");
  g_autoptr(GDateTime) bad_end = okno_test_time ("2030-03-05T15:10:00Z");
  g_autoptr(GDateTime) next_start = okno_test_time ("2030-03-05T20:20:00Z");
  g_autoptr(GDateTime) next_end = okno_test_time ("2030-03-05T21:00:00Z");
  g_autoptr(GDateTime) later_end = okno_test_time ("2030-03-05T21:40:00Z");
  Result r = { 0 }, second = { 0 };
  guint before = okno_test_calendar_get_n_events (f->calendar);

  okno_slot_service_publish_async (f->service, bad_start, bad_end, NULL, NULL, event_done_cb, &r);
  wait_for (&r);
  g_assert_error (r.error, OKNO_SLOT_ERROR, OKNO_SLOT_ERROR_OVERLAP);
  g_assert_cmpuint (okno_test_calendar_get_calls (f->calendar, OKNO_TEST_CALENDAR_INSERT), ==, 0);
  result_clear (&r);

  /* Answered late: meanwhile the same place is taken. */
  okno_test_calendar_set_delay (f->calendar, 50);
  okno_slot_service_publish_async (f->service, start, end, "🔓 СЛОТ: Новое", NULL, event_done_cb, &r);
  g_assert_cmpuint (okno_slot_service_get_n_pending (f->service), ==, 1);
  okno_slot_service_publish_async (f->service, next_start, next_end, NULL, NULL, event_done_cb, &second);
  wait_for (&second);
  g_assert_error (second.error, OKNO_SLOT_ERROR, OKNO_SLOT_ERROR_OVERLAP);
  wait_for (&r);
  g_assert_no_error (r.error);
  g_assert_cmpuint (okno_slot_service_get_n_pending (f->service), ==, 0);

  g_assert_true (okno_event_id_is_valid (okno_event_get_id (r.event)));
  g_assert_cmpstr (okno_event_get_private (r.event, OKNO_PROP_KIND), ==, OKNO_PROP_KIND_SLOT);
  g_assert_cmpstr (okno_event_get_summary (r.event), ==, "🔓 СЛОТ: Новое");
  g_assert_cmpuint (okno_test_calendar_get_calls (f->calendar, OKNO_TEST_CALENDAR_INSERT), ==, 1);
  g_assert_cmpuint (okno_test_calendar_get_n_events (f->calendar), ==, before + 1);
  g_assert_cmpint (okno_schedule_classify (f->schedule, r.event), ==, OKNO_EVENT_KIND_SLOT);
  result_clear (&r);
  result_clear (&second);

  /* An insert answered "exists" by its own id landed: that is done, once. */
  okno_test_calendar_set_delay (f->calendar, 0);
  okno_test_calendar_lose_answers_as (f->calendar, OKNO_TEST_CALENDAR_INSERT, 1, OKNO_CALENDAR_ERROR_CONFLICT);
  okno_slot_service_publish_async (f->service, next_end, later_end, NULL, NULL, event_done_cb, &r);
  wait_for (&r);
  g_assert_no_error (r.error);
  g_assert_nonnull (r.event);
  g_assert_true (okno_calendar_lookup_event (OKNO_CALENDAR (f->calendar), okno_event_get_id (r.event)) != NULL);
  g_assert_cmpuint (okno_test_calendar_get_applied (f->calendar, OKNO_TEST_CALENDAR_INSERT), ==, 2);
  g_assert_cmpuint (okno_test_calendar_get_n_events (f->calendar), ==, before + 2);
  result_clear (&r);
}

/* Moving and deleting carry the etag the calendar last showed: a change
 * made meanwhile (someone edits it in Google Calendar) is not overwritten. */
static void
test_etags (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GDateTime) start = okno_test_time ("2030-03-05T10:20:00Z");
  g_autoptr(GDateTime) end = okno_test_time ("2030-03-05T11:20:00Z");
  g_autofree char *etag = g_strdup (okno_event_get_etag (okno_calendar_lookup_event (OKNO_CALENDAR (f->calendar), "open0slot0")));
  Result r = { 0 };

  /* Stale: the calendar changed under a pending move. */
  okno_test_calendar_set_delay (f->calendar, 30);
  okno_slot_service_move_async (f->service, "open0slot0", start, end, NULL, NULL, event_done_cb, &r);
  g_assert_true (okno_test_calendar_conflict (f->calendar, "open0slot0"));
  wait_for (&r);
  g_assert_error (r.error, OKNO_CALENDAR_ERROR, OKNO_CALENDAR_ERROR_CONFLICT);
  g_assert_cmpuint (okno_test_calendar_get_applied (f->calendar, OKNO_TEST_CALENDAR_UPDATE), ==, 0);
  result_clear (&r);
  okno_test_calendar_set_delay (f->calendar, 0);

  /* Current: it moves, and a new etag comes back. */
  okno_slot_service_move_async (f->service, "open0slot0", start, end, NULL, NULL, event_done_cb, &r);
  wait_for (&r);
  g_assert_no_error (r.error);
  g_assert_cmpstr (okno_event_get_etag (r.event), !=, etag);
  g_assert_true (g_date_time_equal (okno_event_get_start (r.event), start));
  result_clear (&r);

  /* A booked session cannot be moved; a busy event is no slot. */
  okno_slot_service_move_async (f->service, "booked0000", start, end, NULL, NULL, event_done_cb, &r);
  wait_for (&r);
  g_assert_error (r.error, OKNO_SLOT_ERROR, OKNO_SLOT_ERROR_BOOKED);
  result_clear (&r);
  okno_slot_service_delete_async (f->service, "dentist000", NULL, deleted_cb, &r);
  wait_for (&r);
  g_assert_error (r.error, OKNO_SLOT_ERROR, OKNO_SLOT_ERROR_NOT_FOUND);
  result_clear (&r);

  /* Delete: stale etag refused, current one accepted. */
  okno_test_calendar_conflict (f->calendar, "open0slot0");
  okno_test_calendar_set_delay (f->calendar, 30);
  okno_slot_service_delete_async (f->service, "open0slot0", NULL, deleted_cb, &r);
  okno_test_calendar_conflict (f->calendar, "open0slot0");
  wait_for (&r);
  g_assert_error (r.error, OKNO_CALENDAR_ERROR, OKNO_CALENDAR_ERROR_CONFLICT);
  g_assert_nonnull (okno_calendar_lookup_event (OKNO_CALENDAR (f->calendar), "open0slot0"));
  result_clear (&r);

  okno_slot_service_delete_async (f->service, "open0slot0", NULL, deleted_cb, &r);
  wait_for (&r);
  g_assert_no_error (r.error);
  g_assert_true (r.ok);
  g_assert_null (okno_calendar_lookup_event (OKNO_CALENDAR (f->calendar), "open0slot0"));
  g_assert_cmpuint (okno_test_calendar_get_applied (f->calendar, OKNO_TEST_CALENDAR_DELETE), ==, 1);
  result_clear (&r);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/okno/slot-service/rule", test_rule);
  ADD ("/okno/slot-service/publish", test_publish);
  ADD ("/okno/slot-service/etags", test_etags);

  return g_test_run ();
}
