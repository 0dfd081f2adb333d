/* test-reminders.c: the client's reminder and Olga's morning agenda, on a
 * fake clock — each goes out once, at its time, never for a cancelled
 * booking, never again after a restart or a kill -9, and not at all when
 * its setting is off.
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "okno-email-sink.h"
#include "okno-ledger-private.h"
#include "okno-settings.h"
#include "okno-outbox-private.h"
#include "okno-reminder-text.h"
#include "okno-reminders-private.h"
#include "okno-test-calendar.h"
#include "okno-test-utils.h"
#include "okno-time.h"
#include "okno-web-catalog.h"

/* A sink that keeps every delivery: key → count, and the last payload. */
#define TEST_TYPE_SINK (test_sink_get_type ())
G_DECLARE_FINAL_TYPE (TestSink, test_sink, TEST, SINK, GObject)

struct _TestSink
{
  GObject     parent_instance;
  GHashTable *delivered;  /* key → count */
  GHashTable *payloads;   /* key → JsonObject */
  GHashTable *at;         /* key → GDateTime, the fake time it arrived */
};

static void sink_iface_init (OknoNotifySinkInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TestSink, test_sink, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (OKNO_TYPE_NOTIFY_SINK, sink_iface_init))

static void
test_sink_deliver_async (OknoNotifySink      *sink,
                         const char          *kind,
                         const char          *key,
                         JsonObject          *payload,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  TestSink *self = TEST_SINK (sink);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_hash_table_insert (self->delivered, g_strdup (key),
                       GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (self->delivered, key)) + 1));
  g_hash_table_insert (self->payloads, g_strdup (key), json_object_ref (payload));
  g_hash_table_insert (self->at, g_strdup (key), okno_time_now_utc ());
  g_task_return_int (task, OKNO_NOTIFY_SINK_OK);
}

static OknoNotifySinkResult
test_sink_deliver_finish (OknoNotifySink  *sink,
                          GAsyncResult    *result,
                          GTimeSpan       *retry_after,
                          GError         **error)
{
  return g_task_propagate_int (G_TASK (result), error);
}

static void
sink_iface_init (OknoNotifySinkInterface *iface)
{
  iface->deliver_async = test_sink_deliver_async;
  iface->deliver_finish = test_sink_deliver_finish;
}

static void
test_sink_finalize (GObject *object)
{
  TestSink *self = TEST_SINK (object);

  g_hash_table_unref (self->delivered);
  g_hash_table_unref (self->payloads);
  g_hash_table_unref (self->at);
  G_OBJECT_CLASS (test_sink_parent_class)->finalize (object);
}

static void
test_sink_class_init (TestSinkClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = test_sink_finalize;
}

static void
test_sink_init (TestSink *self)
{
  self->delivered = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->payloads = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) json_object_unref);
  self->at = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_date_time_unref);
}

static guint
delivered (TestSink   *sink,
           const char *key)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (sink->delivered, key));
}

typedef struct
{
  char             *dir;
  OknoTestCalendar *calendar;
  OknoLedger       *ledger;
  OknoSchedule     *schedule;
  OknoOutbox       *outbox;
  OknoReminders    *reminders;
  TestSink         *sink;
} Fixture;

static const char * const both_channels[] = { "telegram", "client-email", NULL };

/* Thursday 2030-03-14 in Moscow (UTC+3 all year). */
#define R_B1 "reminder:b1:20300314T0900Z"  /* b1 at 12:00 */
#define DAY "2030-03-14"

static GDateTime *
at (const char *rfc3339)
{
  GDateTime *time = okno_time_parse_rfc3339 (rfc3339);

  g_assert_nonnull (time);
  return time;
}

static void
set_clock (const char *rfc3339)
{
  g_autoptr(GDateTime) now = at (rfc3339);

  okno_time_set_now_for_testing (now);
}

/* @with_sink FALSE: items wait in the outbox (as between enqueue and send). */
static void
open_all (Fixture  *f,
          gboolean  with_sink)
{
  g_autoptr(GError) error = NULL;

  f->calendar = okno_test_calendar_new ();
  f->ledger = okno_ledger_new (f->dir, &error);
  g_assert_no_error (error);
  f->schedule = okno_schedule_new (OKNO_CALENDAR (f->calendar), f->ledger);
  g_object_set (f->schedule, "time-zone", "Europe/Moscow", NULL);
  f->outbox = okno_outbox_new (f->schedule);
  _okno_outbox_set_backoff (f->outbox, 1, 8);
  f->sink = g_object_new (TEST_TYPE_SINK, NULL);
  if (with_sink)
    {
      okno_outbox_add_sink (f->outbox, "client-email", OKNO_NOTIFY_SINK (f->sink));
      okno_outbox_add_sink (f->outbox, "telegram", OKNO_NOTIFY_SINK (f->sink));
    }
  okno_outbox_start (f->outbox);
  f->reminders = okno_reminders_new (f->schedule);
  okno_reminders_set_channels (f->reminders, both_channels);
}

static void
close_all (Fixture *f)
{
  while (f->outbox != NULL && okno_outbox_get_busy (f->outbox, NULL) > 0)
    g_main_context_iteration (NULL, TRUE);
  okno_test_drain (f->ledger);  /* a write of the reminders' holds them */
  g_assert_finalize_object (g_steal_pointer (&f->reminders));
  g_clear_object (&f->outbox);
  g_clear_object (&f->sink);
  g_clear_object (&f->schedule);
  okno_test_drain (f->ledger);
  g_assert_finalize_object (g_steal_pointer (&f->ledger));
  g_clear_object (&f->calendar);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  if (g_test_subprocess () && g_getenv ("OKNO_TEST_DIR"))
    f->dir = g_strdup (g_getenv ("OKNO_TEST_DIR"));
  else
    f->dir = okno_test_make_dir ();
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  if (f->ledger != NULL)
    close_all (f);
  okno_time_set_now_for_testing (NULL);
  if (!g_test_subprocess ())
    okno_test_remove_dir (f->dir);
  g_free (f->dir);
}

/* A booking made on 2030-03-01, straight into the ledger. */
static void
put_booking (Fixture    *f,
             const char *id,
             const char *start,
             const char *name,
             const char *email)
{
  g_autoptr(GDateTime) begin = at (start);
  g_autoptr(GDateTime) end = g_date_time_add_minutes (begin, 50);
  g_autoptr(GDateTime) created = at ("2030-03-01T10:00:00+03:00");
  g_autofree char *slot = g_strconcat ("slot-", id, NULL);
  g_autoptr(OknoBooking) booking = okno_booking_new (id, slot, begin, end);
  g_autoptr(GError) error = NULL;

  okno_booking_set_created (booking, created);
  okno_booking_set_field (booking, "name", name);
  okno_booking_set_field (booking, "sessionType", "Разбор");
  if (email != NULL)
    okno_booking_set_field (booking, "email", email);
  g_assert_true (okno_ledger_put (f->ledger, booking, &error));
  g_assert_no_error (error);
}

static void
cancel_booking (Fixture    *f,
                const char *id)
{
  g_autoptr(OknoBooking) booking = okno_booking_copy (okno_ledger_lookup (f->ledger, id));
  g_autoptr(GDateTime) now = okno_time_now_utc ();
  g_autoptr(GError) error = NULL;

  okno_booking_cancel (booking, now);
  g_assert_true (okno_ledger_put (f->ledger, booking, &error));
  g_assert_no_error (error);
}

/* Plans once now, then lets the loop run until the outbox is quiet. */
static void
replan_and_settle (Fixture *f)
{
  okno_reminders_replan (f->reminders);
  okno_test_drain (f->ledger);
  while (okno_outbox_get_busy (f->outbox, NULL) > 0)
    g_main_context_iteration (NULL, TRUE);
  okno_test_drain (f->ledger);
}

/* Lets real time pass (the fake clock runs with it) until @key arrives. */
static void
wait_delivered (Fixture    *f,
                const char *key)
{
  gint64 deadline = g_get_monotonic_time () + 30 * G_TIME_SPAN_SECOND;

  while (delivered (f->sink, key) == 0)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  okno_test_drain (f->ledger);
}

static void
assert_next_due (Fixture    *f,
                 const char *expected)
{
  g_autoptr(GDateTime) next = okno_reminders_dup_next_due (f->reminders);
  g_autoptr(GDateTime) want = expected ? at (expected) : NULL;

  if (want == NULL)
    g_assert_null (next);
  else
    {
      g_assert_nonnull (next);
      g_assert_true (g_date_time_equal (next, want));
    }
}

static void
test_reminder_fires_once_on_time (Fixture       *f,
                                  gconstpointer  data)
{
  g_autoptr(GDateTime) due = at ("2030-03-14T12:00:00+03:00");
  GDateTime *arrived;
  JsonObject *payload, *booking;

  set_clock ("2030-03-13T11:00:00+03:00");
  open_all (f, TRUE);
  put_booking (f, "b1", "2030-03-14T12:00:00+03:00", "Анна", "anna@example.org");
  okno_reminders_set_reminder_hours (f->reminders, 24);
  okno_reminders_start (f->reminders);
  replan_and_settle (f);

  /* An hour early: planned for exactly 24 h before, nothing sent yet. */
  assert_next_due (f, "2030-03-13T12:00:00+03:00");
  g_assert_false (okno_ledger_was_enqueued (f->ledger, R_B1));
  g_assert_cmpuint (delivered (f->sink, R_B1), ==, 0);

  /* Three seconds before: the timer, not a replan, sends it. */
  set_clock ("2030-03-13T11:59:57+03:00");
  replan_and_settle (f);
  g_assert_false (okno_ledger_was_enqueued (f->ledger, R_B1));
  g_assert_cmpuint (delivered (f->sink, R_B1), ==, 0);
  wait_delivered (f, R_B1);

  arrived = g_hash_table_lookup (f->sink->at, R_B1);
  g_date_time_unref (due);
  due = at ("2030-03-13T12:00:00+03:00");
  g_assert_cmpint (g_date_time_compare (arrived, due), >=, 0);
  g_assert_cmpint (g_date_time_difference (arrived, due), <, 20 * G_TIME_SPAN_SECOND);
  g_assert_true (okno_ledger_was_enqueued (f->ledger, R_B1));

  payload = g_hash_table_lookup (f->sink->payloads, R_B1);
  g_assert_cmpstr (json_object_get_string_member (payload, "event"), ==, "reminder");
  g_assert_cmpint (json_object_get_int_member (payload, "reminderHours"), ==, 24);
  booking = json_object_get_object_member (payload, "booking");
  g_assert_cmpstr (json_object_get_string_member (booking, "id"), ==, "b1");
  g_assert_cmpstr (json_object_get_string_member (booking, "email"), ==, "anna@example.org");

  /* Later plans, an hour on, send nothing more; nothing else is due. */
  set_clock ("2030-03-13T13:00:00+03:00");
  replan_and_settle (f);
  replan_and_settle (f);
  g_assert_cmpuint (delivered (f->sink, R_B1), ==, 1);
  g_assert_cmpuint (g_hash_table_size (f->sink->delivered), ==, 1);
  assert_next_due (f, NULL);
}

static void
test_none_for_cancelled (Fixture       *f,
                         gconstpointer  data)
{
  set_clock ("2030-03-12T09:00:00+03:00");
  open_all (f, FALSE);
  put_booking (f, "kept", "2030-03-14T12:00:00+03:00", "Анна", "anna@example.org");
  put_booking (f, "gone", "2030-03-14T14:00:00+03:00", "Борис", "boris@example.org");
  put_booking (f, "late", "2030-03-14T16:00:00+03:00", "Вера", "vera@example.org");
  cancel_booking (f, "gone");
  okno_reminders_start (f->reminders);
  replan_and_settle (f);
  assert_next_due (f, "2030-03-13T12:00:00+03:00");

  /* All due; the cancelled one is not enqueued. */
  set_clock ("2030-03-13T17:00:00+03:00");
  replan_and_settle (f);
  g_assert_true (okno_ledger_has_outbox_item (f->ledger, "reminder:kept:20300314T0900Z"));
  g_assert_true (okno_ledger_has_outbox_item (f->ledger, "reminder:late:20300314T1300Z"));
  g_assert_false (okno_ledger_was_enqueued (f->ledger, "reminder:gone:20300314T1100Z"));

  /* Cancelled while its reminder waited in the outbox: dropped. */
  cancel_booking (f, "late");
  okno_test_drain (f->ledger);
  replan_and_settle (f);
  g_assert_false (okno_ledger_has_outbox_item (f->ledger, "reminder:late:20300314T1300Z"));

  okno_outbox_add_sink (f->outbox, "client-email", OKNO_NOTIFY_SINK (f->sink));
  wait_delivered (f, "reminder:kept:20300314T0900Z");
  replan_and_settle (f);
  g_assert_cmpuint (delivered (f->sink, "reminder:kept:20300314T0900Z"), ==, 1);
  g_assert_cmpuint (delivered (f->sink, "reminder:gone:20300314T1100Z"), ==, 0);
  g_assert_cmpuint (delivered (f->sink, "reminder:late:20300314T1300Z"), ==, 0);
}

static void
test_none_twice_after_restart (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  set_clock ("2030-03-13T13:00:00+03:00");
  open_all (f, TRUE);
  put_booking (f, "b1", "2030-03-14T12:00:00+03:00", "Анна", "anna@example.org");
  okno_reminders_start (f->reminders);
  wait_delivered (f, R_B1);
  replan_and_settle (f);
  close_all (f);

  /* Restarted the same day, once as it was and once after compaction
   * (the outbox item is long done: only the mark remembers it). */
  for (guint round = 0; round < 2; round++)
    {
      open_all (f, TRUE);
      if (round == 1)
        {
          g_assert_true (okno_ledger_compact (f->ledger, &error));
          g_assert_no_error (error);
          close_all (f);
          open_all (f, TRUE);
        }
      g_assert_true (okno_ledger_was_enqueued (f->ledger, R_B1));
      okno_reminders_start (f->reminders);
      replan_and_settle (f);
      g_assert_cmpuint (delivered (f->sink, R_B1), ==, 0);
      g_assert_cmpuint (okno_outbox_get_pending (f->outbox, NULL), ==, 0);
      close_all (f);
    }
}

static void
test_none_twice_after_kill (Fixture       *f,
                            gconstpointer  data)
{
  if (g_test_subprocess ())
    {
      /* Enqueued, durable, not sent: then killed. */
      set_clock ("2030-03-13T13:00:00+03:00");
      open_all (f, FALSE);
      put_booking (f, "b1", "2030-03-14T12:00:00+03:00", "Анна", "anna@example.org");
      okno_reminders_start (f->reminders);
      while (!okno_ledger_has_outbox_item (f->ledger, R_B1))
        g_main_context_iteration (NULL, TRUE);
      okno_test_drain (f->ledger);
      kill (getpid (), SIGKILL);
      return;
    }

  g_setenv ("OKNO_TEST_DIR", f->dir, TRUE);
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_unsetenv ("OKNO_TEST_DIR");
  g_test_trap_assert_failed ();

  set_clock ("2030-03-13T13:30:00+03:00");
  open_all (f, TRUE);
  g_assert_true (okno_ledger_was_enqueued (f->ledger, R_B1));
  okno_reminders_start (f->reminders);
  wait_delivered (f, R_B1);
  replan_and_settle (f);
  close_all (f);

  open_all (f, TRUE);
  okno_reminders_start (f->reminders);
  replan_and_settle (f);
  g_assert_cmpuint (delivered (f->sink, R_B1), ==, 0);
}

static void
move_booking (Fixture    *f,
              const char *id,
              const char *start)
{
  g_autoptr(OknoBooking) booking = okno_booking_copy (okno_ledger_lookup (f->ledger, id));
  g_autoptr(GDateTime) begin = at (start);
  g_autoptr(GDateTime) end = g_date_time_add_minutes (begin, 50);
  g_autoptr(GDateTime) now = okno_time_now_utc ();
  g_autoptr(GError) error = NULL;

  okno_booking_move (booking, "slot-moved", begin, end, now);
  g_assert_true (okno_ledger_put (f->ledger, booking, &error));
  g_assert_no_error (error);
}

static void
test_moved_booking_reminded_of_new_time (Fixture       *f,
                                         gconstpointer  data)
{
  /* b1's reminder went out for 12:00 on the 14th; then it moved to the
   * 16th: a second reminder, for the new time, when that one is due. */
  set_clock ("2030-03-13T13:00:00+03:00");
  open_all (f, TRUE);
  put_booking (f, "b1", "2030-03-14T12:00:00+03:00", "Анна", "anna@example.org");
  okno_reminders_start (f->reminders);
  wait_delivered (f, R_B1);
  move_booking (f, "b1", "2030-03-16T12:00:00+03:00");
  replan_and_settle (f);
  assert_next_due (f, "2030-03-15T12:00:00+03:00");
  close_all (f);

  /* Moved again while that reminder waited unsent: it is dropped, and
   * the one for the newest time follows. */
  set_clock ("2030-03-15T13:00:00+03:00");
  open_all (f, FALSE);
  okno_reminders_start (f->reminders);
  replan_and_settle (f);
  g_assert_true (okno_ledger_has_outbox_item (f->ledger, "reminder:b1:20300316T0900Z"));
  move_booking (f, "b1", "2030-03-18T12:00:00+03:00");
  okno_test_drain (f->ledger);
  replan_and_settle (f);
  g_assert_false (okno_ledger_has_outbox_item (f->ledger, "reminder:b1:20300316T0900Z"));
  set_clock ("2030-03-17T12:00:01+03:00");
  replan_and_settle (f);
  okno_outbox_add_sink (f->outbox, "client-email", OKNO_NOTIFY_SINK (f->sink));
  wait_delivered (f, "reminder:b1:20300318T0900Z");
  g_assert_cmpuint (delivered (f->sink, "reminder:b1:20300316T0900Z"), ==, 0);
  g_assert_cmpuint (g_hash_table_size (f->sink->delivered), ==, 1);
}

static void
test_agenda_once_at_hour (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GTimeZone) moscow = g_time_zone_new_identifier ("Europe/Moscow");
  g_autofree char *html = NULL;
  JsonObject *payload;
  JsonArray *sessions;

  set_clock (DAY "T08:00:00+03:00");
  open_all (f, TRUE);
  okno_reminders_set_reminder_hours (f->reminders, 0);
  okno_reminders_set_agenda_hour (f->reminders, 9);
  put_booking (f, "late", DAY "T15:00:00+03:00", "<b>Анна</b> & <script>", NULL);
  put_booking (f, "early", DAY "T11:00:00+03:00", "Борис", NULL);
  put_booking (f, "gone", DAY "T13:00:00+03:00", "Вера", NULL);
  put_booking (f, "tomorrow", "2030-03-15T11:00:00+03:00", "Глеб", NULL);
  cancel_booking (f, "gone");
  okno_reminders_start (f->reminders);
  replan_and_settle (f);
  assert_next_due (f, DAY "T09:00:00+03:00");
  g_assert_cmpuint (g_hash_table_size (f->sink->delivered), ==, 0);

  set_clock (DAY "T08:59:57+03:00");
  replan_and_settle (f);
  g_assert_false (okno_ledger_was_enqueued (f->ledger, "agenda:" DAY));
  wait_delivered (f, "agenda:" DAY);
  g_assert_cmpint (g_date_time_get_hour (g_hash_table_lookup (f->sink->at, "agenda:" DAY)), ==, 6);  /* UTC */

  payload = g_hash_table_lookup (f->sink->payloads, "agenda:" DAY);
  g_assert_cmpstr (json_object_get_string_member (payload, "event"), ==, "agenda");
  g_assert_cmpstr (json_object_get_string_member (payload, "date"), ==, DAY);
  sessions = json_object_get_array_member (payload, "sessions");
  g_assert_cmpuint (json_array_get_length (sessions), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (sessions, 0), "bookingId"), ==, "early");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (sessions, 1), "bookingId"), ==, "late");

  /* What Olga reads (C locale here: English), the name shown literally. */
  html = okno_reminder_format_agenda (payload, moscow);
  g_test_message ("%s", html);
  g_assert_cmpstr (html, ==, "<b>Today, Thursday 14 March</b>\n"
                             "11:00–11:50 Борис · Разбор\n"
                             "15:00–15:50 &lt;b&gt;Анна&lt;/b&gt; &amp; &lt;script&gt; · Разбор");

  /* Once: later plans that day send nothing; the next is tomorrow's. */
  set_clock (DAY "T10:00:00+03:00");
  replan_and_settle (f);
  g_assert_cmpuint (delivered (f->sink, "agenda:" DAY), ==, 1);
  g_assert_cmpuint (g_hash_table_size (f->sink->delivered), ==, 1);
  assert_next_due (f, "2030-03-15T09:00:00+03:00");
}

static void
test_agenda_catches_up (Fixture       *f,
                        gconstpointer  data)
{
  /* Started at noon: the 15:00 session is ahead, so today's agenda goes. */
  set_clock (DAY "T12:00:00+03:00");
  open_all (f, TRUE);
  okno_reminders_set_agenda_hour (f->reminders, 9);
  put_booking (f, "early", DAY "T10:00:00+03:00", "Борис", NULL);
  put_booking (f, "late", DAY "T15:00:00+03:00", "Анна", NULL);
  okno_reminders_start (f->reminders);
  replan_and_settle (f);
  g_assert_cmpuint (delivered (f->sink, "agenda:" DAY), ==, 1);
  close_all (f);

  /* The next day, started after everything: nothing; and a booking made
   * later that day brings no late agenda. */
  set_clock ("2030-03-15T12:00:00+03:00");
  open_all (f, TRUE);
  okno_reminders_set_agenda_hour (f->reminders, 9);
  put_booking (f, "morning", "2030-03-15T10:00:00+03:00", "Вера", NULL);
  okno_reminders_start (f->reminders);
  replan_and_settle (f);
  g_assert_true (okno_ledger_was_enqueued (f->ledger, "agenda:2030-03-15"));
  put_booking (f, "evening", "2030-03-15T18:00:00+03:00", "Глеб", NULL);
  replan_and_settle (f);
  g_assert_cmpuint (g_hash_table_size (f->sink->delivered), ==, 0);
}

static void
test_settings_turn_them_off (Fixture       *f,
                             gconstpointer  data)
{
  set_clock (DAY "T10:00:00+03:00");
  open_all (f, TRUE);
  put_booking (f, "b1", DAY "T15:00:00+03:00", "Анна", "anna@example.org");
  put_booking (f, "b2", "2030-03-16T15:00:00+03:00", "Борис", "boris@example.org");
  okno_reminders_set_reminder_hours (f->reminders, 0);
  okno_reminders_set_agenda_hour (f->reminders, -1);
  okno_reminders_start (f->reminders);
  replan_and_settle (f);
  assert_next_due (f, NULL);

  /* Channels missing count as off too. */
  okno_reminders_set_reminder_hours (f->reminders, 24);
  okno_reminders_set_agenda_hour (f->reminders, 9);
  okno_reminders_set_channels (f->reminders, NULL);
  replan_and_settle (f);
  assert_next_due (f, NULL);
  g_assert_cmpuint (g_hash_table_size (f->sink->delivered), ==, 0);
  g_assert_false (okno_ledger_was_enqueued (f->ledger, "reminder:b1:20300314T1200Z"));
  g_assert_false (okno_ledger_was_enqueued (f->ledger, "agenda:" DAY));

  /* Turned on: b1's reminder (due at 15:00 yesterday, session ahead) and
   * today's agenda catch up; b2's is planned. */
  okno_reminders_set_channels (f->reminders, both_channels);
  replan_and_settle (f);
  g_assert_cmpuint (delivered (f->sink, "reminder:b1:20300314T1200Z"), ==, 1);
  g_assert_cmpuint (delivered (f->sink, "agenda:" DAY), ==, 1);
  assert_next_due (f, "2030-03-15T09:00:00+03:00");
  okno_reminders_set_agenda_hour (f->reminders, -1);
  replan_and_settle (f);
  assert_next_due (f, "2030-03-15T15:00:00+03:00");
}

static void
test_booked_inside_window_gets_none (Fixture       *f,
                                     gconstpointer  data)
{
  g_autoptr(GDateTime) begin = at (DAY "T15:00:00+03:00");
  g_autoptr(GDateTime) end = g_date_time_add_minutes (begin, 50);
  g_autoptr(GDateTime) created = at (DAY "T10:00:00+03:00");
  g_autoptr(OknoBooking) booking = okno_booking_new ("fresh", "slot-fresh", begin, end);

  set_clock (DAY "T10:00:01+03:00");
  open_all (f, TRUE);
  okno_booking_set_created (booking, created);
  okno_booking_set_field (booking, "name", "Анна");
  okno_booking_set_field (booking, "email", "anna@example.org");
  g_assert_true (okno_ledger_put (f->ledger, booking, NULL));
  okno_reminders_start (f->reminders);
  replan_and_settle (f);
  g_assert_cmpuint (delivered (f->sink, "reminder:fresh:20300314T1200Z"), ==, 0);
  g_assert_false (okno_ledger_was_enqueued (f->ledger, "reminder:fresh:20300314T1200Z"));
}

static const char *
catalog_translate (const char *language,
                   const char *msgid)
{
  return okno_web_catalog_gettext (okno_web_catalog_get (language), msgid);
}

static void
test_reminder_email_text (void)
{
  g_autoptr(GTimeZone) moscow = g_time_zone_new_identifier ("Europe/Moscow");
  g_autoptr(JsonObject) payload = json_object_new ();
  JsonObject *booking = json_object_new ();
  g_autoptr(OknoReminderEmail) ru = NULL;
  g_autoptr(OknoReminderEmail) en = NULL;

  json_object_set_string_member (booking, "id", "b1");
  json_object_set_string_member (booking, "start", "2030-03-14T12:00:00+03:00");
  json_object_set_string_member (booking, "end", "2030-03-14T12:50:00+03:00");
  json_object_set_string_member (booking, "name", "<b>Анна</b>");
  json_object_set_string_member (booking, "email", "anna@example.org");
  json_object_set_string_member (booking, "timeZone", "Asia/Yekaterinburg");
  json_object_set_string_member (payload, "event", "reminder");
  json_object_set_object_member (payload, "booking", booking);

  /* No language: Russian, the client's own zone. */
  ru = okno_reminder_email_new (payload, moscow, "Ольга", catalog_translate);
  g_assert_nonnull (ru);
  g_test_message ("%s\n%s\n%s", ru->subject, ru->text, ru->html);
  g_assert_cmpstr (ru->language, ==, "ru");
  g_assert_cmpstr (ru->to_address, ==, "anna@example.org");
  g_assert_cmpstr (ru->subject, ==, "Напоминание: ваша сессия 14.03.2030, 14:00–14:50");
  g_assert_nonnull (strstr (ru->text, "Ольга"));
  g_assert_nonnull (strstr (ru->html, "&lt;b&gt;Анна&lt;/b&gt;"));
  g_assert_null (strstr (ru->html, "<b>Анна"));
  g_assert_cmpuint (g_strv_length (ru->paragraphs), ==, 4);
  g_assert_cmpstr (ru->paragraphs[0], ==, "<b>Анна</b>, здравствуйте!");

  json_object_set_string_member (booking, "language", "en");
  en = okno_reminder_email_new (payload, moscow, NULL, catalog_translate);
  g_assert_cmpstr (en->language, ==, "en");
  g_assert_cmpstr (en->subject, ==, "Reminder: your session on 2030-03-14, 14:00–14:50");
  g_assert_nonnull (strstr (en->text, "This is a reminder of your session on 2030-03-14, 14:00–14:50."));
  g_assert_nonnull (strstr (en->text, "Asia/Yekaterinburg"));

  /* No email address: nothing to send. */
  json_object_remove_member (booking, "email");
  g_assert_null (okno_reminder_email_new (payload, moscow, NULL, catalog_translate));
}

/* A token provider that is never asked: composing sends nothing. */
#define TEST_TYPE_TOKENS (test_tokens_get_type ())
G_DECLARE_FINAL_TYPE (TestTokens, test_tokens, TEST, TOKENS, GObject)
struct _TestTokens { GObject parent_instance; };
static void tokens_iface_init (OknoTokenProviderInterface *iface) { }
G_DEFINE_FINAL_TYPE_WITH_CODE (TestTokens, test_tokens, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (OKNO_TYPE_TOKEN_PROVIDER, tokens_iface_init))
static void test_tokens_class_init (TestTokensClass *klass) { }
static void test_tokens_init (TestTokens *self) { }

/* The email sink writes a "reminder" item as the client's email, in the
 * language they booked in, with okno-reminder-text.c's words. */
static void
test_email_sink_writes_reminder (void)
{
  g_autofree char *dir = okno_test_make_dir ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GSettings) settings = okno_settings_new (dir, &error);
  g_autoptr(OknoTestCalendar) calendar = okno_test_calendar_new ();
  g_autoptr(OknoLedger) ledger = NULL;
  g_autoptr(OknoSchedule) schedule = NULL;
  g_autoptr(TestTokens) tokens = g_object_new (TEST_TYPE_TOKENS, NULL);
  g_autoptr(OknoGmail) gmail = okno_gmail_new (OKNO_TOKEN_PROVIDER (tokens));
  g_autoptr(OknoEmailSink) sink = NULL;
  g_autoptr(JsonObject) payload = json_object_new ();
  g_autoptr(GBytes) mime = NULL;
  JsonObject *booking = json_object_new ();
  g_autofree char *text = NULL;

  g_assert_no_error (error);
  ledger = okno_ledger_new (dir, &error);
  g_assert_no_error (error);
  schedule = okno_schedule_new (OKNO_CALENDAR (calendar), ledger);
  g_object_set (schedule, "time-zone", "Europe/Moscow", NULL);
  g_settings_set_string (settings, "owner-name", "Ольга");
  sink = okno_email_sink_new (gmail, schedule, settings);
  okno_email_sink_set_owner (sink, "olga@example.org", "ru");
  okno_email_sink_set_translate (sink, catalog_translate);

  json_object_set_string_member (booking, "id", "b1");
  json_object_set_string_member (booking, "slotId", "s1");
  json_object_set_string_member (booking, "status", "confirmed");
  json_object_set_string_member (booking, "start", "2030-03-14T12:00:00+03:00");
  json_object_set_string_member (booking, "end", "2030-03-14T12:50:00+03:00");
  json_object_set_string_member (booking, "name", "Anna");
  json_object_set_string_member (booking, "email", "anna@example.org");
  json_object_set_string_member (booking, "language", "en");
  json_object_set_string_member (payload, "event", "reminder");
  json_object_set_int_member (payload, "reminderHours", 24);
  json_object_set_object_member (payload, "booking", booking);

  mime = okno_email_sink_compose (sink, "client-email", "reminder:b1:20300314T0900Z", payload, &error);
  g_assert_no_error (error);
  g_assert_nonnull (mime);
  text = g_strndup (g_bytes_get_data (mime, NULL), g_bytes_get_size (mime));
  g_test_message ("%s", text);
  g_assert_nonnull (strstr (text, "To: "));
  g_assert_nonnull (strstr (text, "anna@example.org"));
  /* RFC 2047 (the en dash): «Reminder: your session on 2030-03-14, 12:00–…» */
  g_assert_nonnull (strstr (text, "Subject: =?UTF-8?Q?Reminder=3A_your_session_on_2030-03-14=2C_12=3A00"));

  okno_test_drain (ledger);
  g_clear_object (&sink);
  g_clear_object (&schedule);
  g_clear_object (&ledger);
  okno_test_remove_dir (dir);
}

static void
test_agenda_hour_setting (void)
{
  g_assert_cmpint (okno_reminders_parse_agenda_hour (""), ==, -1);
  g_assert_cmpint (okno_reminders_parse_agenda_hour (NULL), ==, -1);
  g_assert_cmpint (okno_reminders_parse_agenda_hour ("0"), ==, 0);
  g_assert_cmpint (okno_reminders_parse_agenda_hour ("9"), ==, 9);
  g_assert_cmpint (okno_reminders_parse_agenda_hour ("23"), ==, 23);
  g_assert_cmpint (okno_reminders_parse_agenda_hour ("24"), ==, -1);
  g_assert_cmpint (okno_reminders_parse_agenda_hour ("9am"), ==, -1);
}

/* Runs the loop until @done says so, for at most 30 s. */
static void
iterate_until (gboolean (*done) (Fixture *f, gconstpointer data),
               Fixture       *f,
               gconstpointer  data)
{
  gint64 deadline = g_get_monotonic_time () + 30 * G_TIME_SPAN_SECOND;

  while (!done (f, data))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
}

static gboolean
next_due_is (Fixture *f, gconstpointer data)
{
  g_autoptr(GDateTime) next = okno_reminders_dup_next_due (f->reminders);
  g_autoptr(GDateTime) want = at (data);

  return next != NULL && g_date_time_equal (next, want);
}

static gboolean
in_outbox (Fixture *f, gconstpointer data)
{
  return okno_ledger_has_outbox_item (f->ledger, data);
}

static gboolean
not_in_outbox (Fixture *f, gconstpointer data)
{
  return !okno_ledger_has_outbox_item (f->ledger, data);
}

/* A commit plans the bookings it changed, without a walk over every
 * booking (which held the main loop under a burst of bookings): a new
 * booking's reminder is planned, one due at once is enqueued, and one
 * waiting in the outbox is dropped when its booking is cancelled or
 * moved. */
static void
test_commit_plans_changed_only (Fixture       *f,
                                gconstpointer  data)
{
  guint full_plans;

  set_clock ("2030-03-12T09:00:00+03:00");
  open_all (f, FALSE);
  for (guint i = 0; i < 20; i++)
    {
      g_autofree char *id = g_strdup_printf ("old%u", i);

      put_booking (f, id, "2030-03-20T12:00:00+03:00", "Анна", NULL);
    }
  okno_reminders_start (f->reminders);
  replan_and_settle (f);
  full_plans = _okno_reminders_get_full_plans (f->reminders);
  assert_next_due (f, NULL);

  put_booking (f, "b2", "2030-03-14T12:00:00+03:00", "Борис", "boris@example.org");
  iterate_until (next_due_is, f, "2030-03-13T12:00:00+03:00");

  set_clock ("2030-03-13T17:00:00+03:00");
  put_booking (f, "b3", "2030-03-14T16:00:00+03:00", "Вера", "vera@example.org");
  put_booking (f, "b4", "2030-03-14T17:00:00+03:00", "Галя", "galya@example.org");
  iterate_until (in_outbox, f, "reminder:b3:20300314T1300Z");
  iterate_until (in_outbox, f, "reminder:b4:20300314T1400Z");
  /* b2 was not changed: its reminder is the timer's. */
  g_assert_false (okno_ledger_was_enqueued (f->ledger, "reminder:b2:20300314T0900Z"));

  cancel_booking (f, "b3");
  iterate_until (not_in_outbox, f, "reminder:b3:20300314T1300Z");
  move_booking (f, "b4", "2030-03-14T16:30:00+03:00");
  iterate_until (not_in_outbox, f, "reminder:b4:20300314T1400Z");
  iterate_until (in_outbox, f, "reminder:b4:20300314T1330Z");

  g_assert_cmpuint (_okno_reminders_get_full_plans (f->reminders), ==, full_plans);

  /* The timer's plan (here by hand) still walks them all. */
  replan_and_settle (f);
  g_assert_cmpuint (_okno_reminders_get_full_plans (f->reminders), ==, full_plans + 1);
  g_assert_true (okno_ledger_has_outbox_item (f->ledger, "reminder:b2:20300314T0900Z"));
  g_assert_false (okno_ledger_has_outbox_item (f->ledger, "reminder:b3:20300314T1300Z"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/okno/reminders/reminder-fires-once-on-time", test_reminder_fires_once_on_time);
  ADD ("/okno/reminders/none-for-cancelled", test_none_for_cancelled);
  ADD ("/okno/reminders/none-twice-after-restart", test_none_twice_after_restart);
  ADD ("/okno/reminders/none-twice-after-kill", test_none_twice_after_kill);
  ADD ("/okno/reminders/moved-booking-reminded-of-new-time", test_moved_booking_reminded_of_new_time);
  ADD ("/okno/reminders/agenda-once-at-hour", test_agenda_once_at_hour);
  ADD ("/okno/reminders/agenda-catches-up", test_agenda_catches_up);
  ADD ("/okno/reminders/settings-turn-them-off", test_settings_turn_them_off);
  ADD ("/okno/reminders/booked-inside-window-gets-none", test_booked_inside_window_gets_none);
  ADD ("/okno/reminders/commit-plans-changed-only", test_commit_plans_changed_only);
#undef ADD
  g_test_add_func ("/okno/reminders/email-text", test_reminder_email_text);
  g_test_add_func ("/okno/reminders/agenda-hour-setting", test_agenda_hour_setting);
  g_test_add_func ("/okno/reminders/email-sink-writes-reminder", test_email_sink_writes_reminder);

  return g_test_run ();
}
