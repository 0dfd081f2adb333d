/* test-calendar.c: the calendar interface, through the test backend.
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "okno-errors.h"
#include "okno-test-calendar.h"
#include "okno-test-utils.h"

typedef struct
{
  gboolean   done;
  OknoEvent *event;
  gboolean   ok;
  GError    *error;
} Result;

static void
inserted_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  Result *r = user_data;

  r->event = okno_calendar_insert_event_finish (OKNO_CALENDAR (object), result, &r->error);
  r->done = TRUE;
}

static void
deleted_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  Result *r = user_data;

  r->ok = okno_calendar_delete_event_finish (OKNO_CALENDAR (object), result, &r->error);
  r->done = TRUE;
}

static void
result_clear (Result *r)
{
  g_clear_object (&r->event);
  g_clear_error (&r->error);
  r->done = FALSE;
  r->ok = FALSE;
}

static void
wait_for (Result *r)
{
  while (!r->done)
    g_main_context_iteration (NULL, TRUE);
}

static OknoEvent *
new_event (const char *id)
{
  g_autoptr(GDateTime) start = okno_test_time ("2026-11-25T14:00:00Z");
  g_autoptr(GDateTime) end = okno_test_time ("2026-11-25T15:00:00Z");

  return okno_event_new (id, "🔓 СЛОТ", start, end);
}

/* Fails as often as told, changing nothing, then succeeds once. */
static void
test_fails_then_succeeds (void)
{
  g_autoptr(OknoTestCalendar) calendar = okno_test_calendar_new ();
  g_autoptr(OknoEvent) event = new_event ("aaaaabbbbb");
  Result r = { 0 };
  guint failures = 0;

  okno_test_calendar_fail (calendar, OKNO_TEST_CALENDAR_INSERT, 20, OKNO_CALENDAR_ERROR_RATE_LIMITED);
  for (;;)
    {
      okno_calendar_insert_event_async (OKNO_CALENDAR (calendar), event, NULL, inserted_cb, &r);
      wait_for (&r);
      if (r.event != NULL)
        break;
      g_assert_error (r.error, OKNO_CALENDAR_ERROR, OKNO_CALENDAR_ERROR_RATE_LIMITED);
      g_assert_cmpuint (okno_test_calendar_get_n_events (calendar), ==, 0);
      failures++;
      result_clear (&r);
    }

  g_assert_cmpuint (failures, ==, 20);
  g_assert_cmpuint (okno_test_calendar_get_calls (calendar, OKNO_TEST_CALENDAR_INSERT), ==, 21);
  g_assert_cmpuint (okno_test_calendar_get_applied (calendar, OKNO_TEST_CALENDAR_INSERT), ==, 1);
  g_assert_cmpuint (okno_test_calendar_get_n_events (calendar), ==, 1);
  result_clear (&r);
  g_assert_finalize_object (g_steal_pointer (&calendar));
}

/* A lost answer: the change landed once; the retry finds the id taken. */
static void
test_lost_answer (void)
{
  g_autoptr(OknoTestCalendar) calendar = okno_test_calendar_new ();
  g_autoptr(OknoEvent) event = new_event ("l0stanser0");
  Result r = { 0 };

  okno_test_calendar_lose_answers (calendar, OKNO_TEST_CALENDAR_INSERT, 1);
  okno_calendar_insert_event_async (OKNO_CALENDAR (calendar), event, NULL, inserted_cb, &r);
  wait_for (&r);
  g_assert_error (r.error, OKNO_CALENDAR_ERROR, OKNO_CALENDAR_ERROR_OFFLINE);
  result_clear (&r);

  okno_calendar_insert_event_async (OKNO_CALENDAR (calendar), event, NULL, inserted_cb, &r);
  wait_for (&r);
  g_assert_error (r.error, OKNO_CALENDAR_ERROR, OKNO_CALENDAR_ERROR_CONFLICT);
  g_assert_cmpuint (okno_test_calendar_get_applied (calendar, OKNO_TEST_CALENDAR_INSERT), ==, 1);
  g_assert_nonnull (okno_calendar_lookup_event (OKNO_CALENDAR (calendar), "l0stanser0"));
  result_clear (&r);
}

/* With a delay the change lands when the answer comes. */
static void
test_delay (void)
{
  g_autoptr(OknoTestCalendar) calendar = okno_test_calendar_new ();
  g_autoptr(OknoEvent) event = new_event ("de1aaed000");
  Result r = { 0 };

  okno_test_calendar_set_delay (calendar, 30);
  okno_calendar_insert_event_async (OKNO_CALENDAR (calendar), event, NULL, inserted_cb, &r);
  g_assert_cmpuint (okno_test_calendar_get_pending (calendar), ==, 1);
  g_assert_null (okno_calendar_lookup_event (OKNO_CALENDAR (calendar), "de1aaed000"));
  wait_for (&r);
  g_assert_no_error (r.error);
  g_assert_cmpuint (okno_test_calendar_get_pending (calendar), ==, 0);
  g_assert_nonnull (okno_calendar_lookup_event (OKNO_CALENDAR (calendar), "de1aaed000"));
  result_clear (&r);
}

/* Someone else's change makes the caller's etag stale: the delete is
 * refused and the event stays; a delete without an etag never goes out. */
static void
test_conflict (void)
{
  g_autoptr(OknoTestCalendar) calendar = okno_test_calendar_new ();
  g_autoptr(OknoEvent) event = new_event ("conflict00");
  g_autofree char *etag = NULL;
  Result r = { 0 };

  okno_test_calendar_put (calendar, event);
  etag = g_strdup (okno_event_get_etag (okno_calendar_lookup_event (OKNO_CALENDAR (calendar), "conflict00")));
  g_assert_true (okno_test_calendar_conflict (calendar, "conflict00"));

  okno_calendar_delete_event_async (OKNO_CALENDAR (calendar), "conflict00", etag, NULL, deleted_cb, &r);
  wait_for (&r);
  g_assert_false (r.ok);
  g_assert_error (r.error, OKNO_CALENDAR_ERROR, OKNO_CALENDAR_ERROR_CONFLICT);
  g_assert_cmpuint (okno_test_calendar_get_n_events (calendar), ==, 1);
  result_clear (&r);

  /* No delete without an etag: refused before it reaches the backend. */
  okno_calendar_delete_event_async (OKNO_CALENDAR (calendar), "conflict00", NULL, NULL, deleted_cb, &r);
  wait_for (&r);
  g_assert_error (r.error, OKNO_CALENDAR_ERROR, OKNO_CALENDAR_ERROR_INVALID);
  g_assert_cmpuint (okno_test_calendar_get_calls (calendar, OKNO_TEST_CALENDAR_DELETE), ==, 1);
  g_assert_cmpuint (okno_test_calendar_get_n_events (calendar), ==, 1);
  result_clear (&r);
}

static void
count_cb (guint *count)
{
  (*count)++;
}

/* :state notifies on change only, and names itself for /api/status. */
static void
test_state (void)
{
  g_autoptr(OknoTestCalendar) calendar = okno_test_calendar_new ();
  guint notified = 0;

  g_signal_connect_swapped (calendar, "notify::state", G_CALLBACK (count_cb), &notified);
  okno_test_calendar_set_state (calendar, OKNO_CALENDAR_STATE_OFFLINE);
  okno_test_calendar_set_state (calendar, OKNO_CALENDAR_STATE_OFFLINE);
  g_assert_cmpuint (notified, ==, 1);
  g_assert_cmpint (okno_calendar_get_state (OKNO_CALENDAR (calendar)), ==, OKNO_CALENDAR_STATE_OFFLINE);
  g_assert_cmpstr (okno_calendar_get_state_name (OKNO_CALENDAR (calendar)), ==, "offline");
  okno_test_calendar_set_state (calendar, OKNO_CALENDAR_STATE_RECONNECT);
  g_assert_cmpstr (okno_calendar_get_state_name (OKNO_CALENDAR (calendar)), ==, "reconnect");
  g_assert_cmpuint (notified, ==, 2);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/okno/calendar/fails-then-succeeds", test_fails_then_succeeds);
  g_test_add_func ("/okno/calendar/lost-answer", test_lost_answer);
  g_test_add_func ("/okno/calendar/delay", test_delay);
  g_test_add_func ("/okno/calendar/conflict", test_conflict);
  g_test_add_func ("/okno/calendar/state", test_state);

  return g_test_run ();
}
