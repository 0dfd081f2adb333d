/* test-outbox.c: the durable write path — group commit, what follows a
 * booking (calendar change, notifications) carried out exactly once across
 * kill -9, retries, attention items, damaged and unknown records.
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "okno-attention.h"
#include "okno-booking-service.h"
#include "okno-errors.h"
#include "okno-ledger-private.h"
#include "okno-outbox-private.h"
#include "okno-test-calendar.h"
#include "okno-test-utils.h"

#define N_SLOTS 8

/* A notification sink that counts deliveries by key, and can answer
 * "retry" or "permanent" a number of times first. */
#define TEST_TYPE_SINK (test_sink_get_type ())
G_DECLARE_FINAL_TYPE (TestSink, test_sink, TEST, SINK, GObject)

struct _TestSink
{
  GObject               parent_instance;
  GHashTable           *delivered;  /* key → count */
  guint                 calls;
  guint                 fail_left;
  OknoNotifySinkResult  fail_with;
  gboolean              hang;       /* never answer */
  char                 *hang_for;   /* never answer for this client's email */
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

  self->calls++;
  g_assert_true (g_str_equal (kind, "test") || g_str_equal (kind, OKNO_NOTIFY_KIND_CLIENT_EMAIL));
  g_assert_cmpstr (json_object_get_string_member (payload, "event"), !=, NULL);
  g_assert_false (json_object_has_member (json_object_get_object_member (payload, "booking"), "tokenHash"));

  if (self->hang ||
      (self->hang_for != NULL &&
       g_strcmp0 (json_object_get_string_member_with_default (json_object_get_object_member (payload, "booking"),
                                                              "email", NULL), self->hang_for) == 0))
    {
      g_object_set_data_full (G_OBJECT (self), "hung", g_object_ref (task), g_object_unref);
      return;
    }
  if (self->fail_left > 0)
    {
      self->fail_left--;
      g_task_return_int (task, self->fail_with);
      return;
    }

  g_hash_table_insert (self->delivered, g_strdup (key),
                       GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (self->delivered, key)) + 1));
  g_task_return_int (task, OKNO_NOTIFY_SINK_OK);
}

static OknoNotifySinkResult
test_sink_deliver_finish (OknoNotifySink  *sink,
                          GAsyncResult    *result,
                          GTimeSpan       *retry_after,
                          GError         **error)
{
  OknoNotifySinkResult answer = g_task_propagate_int (G_TASK (result), NULL);

  if (answer == OKNO_NOTIFY_SINK_PERMANENT)
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, "the test sink refuses");
  return answer;
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
  g_hash_table_unref (TEST_SINK (object)->delivered);
  g_free (TEST_SINK (object)->hang_for);
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
}

/* One profile, assembled by hand over the test calendar. */
typedef struct
{
  char               *dir;
  OknoTestCalendar   *calendar;
  OknoLedger         *ledger;
  OknoSchedule       *schedule;
  OknoBookingService *service;
  OknoOutbox         *outbox;
  TestSink           *sink;
} Fixture;

static char *
slot_id (guint i)
{
  return g_strdup_printf ("slot%04u", i);
}

static void
open_all (Fixture  *f,
          gboolean  start)
{
  static const char * const kinds[] = { "test", NULL };
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  /* The same slots in a killed child and in the parent that reopens its
   * folder: a slot at another time than its booking is one Olga moved. */
  g_autoptr(GDateTime) today = g_date_time_new_utc (g_date_time_get_year (now), g_date_time_get_month (now),
                                                    g_date_time_get_day_of_month (now), 0, 0, 0);
  g_autoptr(GError) error = NULL;

  f->calendar = okno_test_calendar_new ();
  for (guint i = 0; i < N_SLOTS; i++)
    {
      g_autofree char *id = slot_id (i);
      g_autoptr(GDateTime) begin = g_date_time_add_hours (today, 72 + i);
      g_autoptr(GDateTime) end = g_date_time_add_minutes (begin, 40);
      g_autoptr(OknoEvent) event = okno_event_new (id, "🔓 СЛОТ: Разбор", begin, end);

      okno_event_set_private (event, "okno", "slot");
      okno_test_calendar_put (f->calendar, event);
    }

  f->ledger = okno_ledger_new (f->dir, &error);
  g_assert_no_error (error);
  f->schedule = okno_schedule_new (OKNO_CALENDAR (f->calendar), f->ledger);
  f->service = okno_booking_service_new (f->schedule);
  g_object_set (f->service, "max-active-per-client", 0, NULL);  /* one client books them all */
  okno_booking_service_set_notify_kinds (f->service, kinds);
  f->outbox = okno_outbox_new (f->schedule);
  _okno_outbox_set_backoff (f->outbox, 1, 8);
  f->sink = g_object_new (TEST_TYPE_SINK, NULL);
  okno_outbox_add_sink (f->outbox, "test", OKNO_NOTIFY_SINK (f->sink));
  if (start)
    okno_outbox_start (f->outbox);
}

static void
close_all (Fixture *f)
{
  while (f->outbox != NULL && !f->sink->hang && okno_outbox_get_busy (f->outbox, NULL) > 0)
    g_main_context_iteration (NULL, TRUE);
  g_clear_object (&f->outbox);
  g_clear_object (&f->sink);
  g_clear_object (&f->service);
  g_clear_object (&f->schedule);
  okno_test_drain (f->ledger);
  g_assert_finalize_object (g_steal_pointer (&f->ledger));
  g_clear_object (&f->calendar);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  /* A crashing child works in its parent's folder. */
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
  if (!g_test_subprocess ())
    okno_test_remove_dir (f->dir);
  g_free (f->dir);
}

static OknoBooking *
book (Fixture  *f,
      guint     i,
      GError  **error)
{
  g_autoptr(OknoBookingRequest) request = okno_booking_request_new ();
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *token = NULL;

  request->slot_id = slot_id (i);
  request->name = g_strdup ("Анна");
  request->email = g_strdup ("anna@example.org");
  return okno_booking_service_book (f->service, request, NULL, now, &token, NULL, error);
}

/* Until nothing can start or is under way (items waiting for a retry
 * count: they are due within milliseconds here). */
static void
settle (Fixture *f)
{
  gint64 deadline = g_get_monotonic_time () + 30 * G_TIME_SPAN_SECOND;

  while (okno_outbox_get_pending (f->outbox, NULL) > 0)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  okno_test_drain (f->ledger);
}

static const char *
summary_of (Fixture *f,
            guint    i)
{
  g_autofree char *id = slot_id (i);
  return okno_event_get_summary (okno_calendar_lookup_event (OKNO_CALENDAR (f->calendar), id));
}

/* The calendar failing 20 times, then working: the change lands once. */
static void
test_retries_until_done (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(OknoBooking) booking = NULL;
  g_autoptr(GError) error = NULL;

  open_all (f, TRUE);
  okno_test_calendar_fail (f->calendar, OKNO_TEST_CALENDAR_UPDATE, 20, OKNO_CALENDAR_ERROR_OFFLINE);
  f->sink->fail_left = 5;
  f->sink->fail_with = OKNO_NOTIFY_SINK_RETRY;

  booking = book (f, 0, &error);
  g_assert_no_error (error);
  settle (f);

  g_assert_cmpuint (okno_test_calendar_get_calls (f->calendar, OKNO_TEST_CALENDAR_UPDATE), ==, 21);
  g_assert_cmpuint (okno_test_calendar_get_applied (f->calendar, OKNO_TEST_CALENDAR_UPDATE), ==, 1);
  g_assert_cmpstr (summary_of (f, 0), ==, "✅ Анна — Разбор");
  g_assert_cmpuint (f->sink->calls, ==, 6);
  g_assert_cmpuint (g_hash_table_size (f->sink->delivered), ==, 1);
  g_assert_cmpuint (okno_ledger_get_attention_items (f->ledger)->len, ==, 0);
}

/* A change that can never work, and a slot event that is no longer what
 * Okno wrote, each become one attention item; they survive a restart and
 * go when dismissed. */
static void
test_permanent_failure_needs_attention (Fixture       *f,
                                        gconstpointer  data)
{
  g_autoptr(OknoBooking) first = NULL;
  g_autoptr(OknoBooking) second = NULL;
  g_autoptr(OknoAttention) attention = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(OknoEvent) renamed = NULL;
  g_autofree char *id1 = slot_id (1);

  open_all (f, TRUE);
  attention = okno_attention_new (f->ledger);
  okno_test_calendar_fail (f->calendar, OKNO_TEST_CALENDAR_UPDATE, 1, OKNO_CALENDAR_ERROR_INVALID);
  first = book (f, 0, &error);
  g_assert_no_error (error);
  settle (f);
  g_assert_cmpuint (okno_attention_get_count (attention), ==, 1);

  /* Olga renamed the slot in her calendar after the client booked it,
   * before Okno changed it: Okno leaves it alone and says so. */
  f->sink->hang = TRUE;
  okno_outbox_remove_sink (f->outbox, "test");
  g_clear_object (&f->outbox);
  f->outbox = okno_outbox_new (f->schedule);
  second = book (f, 1, &error);
  g_assert_no_error (error);
  renamed = okno_event_copy (okno_calendar_lookup_event (OKNO_CALENDAR (f->calendar), id1));
  okno_event_set_summary (renamed, "Стоматолог");
  okno_event_set_private (renamed, "okno", NULL);
  okno_test_calendar_put (f->calendar, renamed);
  okno_outbox_start (f->outbox);
  while (okno_outbox_get_pending (f->outbox, "calendar") > 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (okno_attention_get_count (attention), ==, 2);
  g_assert_cmpstr (summary_of (f, 1), ==, "Стоматолог");

  items = okno_attention_dup_items (attention);
  g_assert_cmpstr (json_object_get_string_member (g_ptr_array_index (items, 0), "code"), ==, "calendar-failed");
  g_assert_cmpstr (json_object_get_string_member (g_ptr_array_index (items, 1), "code"), ==, "calendar-changed");
  g_assert_true (okno_attention_dismiss (attention, json_object_get_string_member (g_ptr_array_index (items, 0), "id"), &error));
  g_assert_no_error (error);
  g_assert_false (okno_attention_dismiss (attention, "nosuchid", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_cmpuint (okno_attention_get_count (attention), ==, 1);

  g_clear_object (&attention);
  close_all (f);
  open_all (f, FALSE);
  g_assert_cmpuint (okno_ledger_get_attention_items (f->ledger)->len, ==, 1);
}

/* The child books, sees every booking acknowledged, and is killed with
 * calendar changes and notifications still pending. */
static void
crash_child (Fixture *f)
{
  open_all (f, TRUE);
  okno_test_calendar_set_delay (f->calendar, 60000);
  f->sink->hang = TRUE;

  for (guint i = 0; i < N_SLOTS; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(OknoBooking) booking = book (f, i, &error);

      g_assert_no_error (error);
      while (g_main_context_iteration (NULL, FALSE))
        ;
    }
  /* One cancel too: its reopen follows its booking. */
  {
    g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
    OknoBooking *last = okno_ledger_lookup_active_for_slot (f->ledger, "slot0007");

    g_assert_true (okno_booking_service_cancel_as_owner (f->service, okno_booking_get_id (last), now, NULL));
  }
  g_assert_cmpuint (okno_test_calendar_get_applied (f->calendar, OKNO_TEST_CALENDAR_UPDATE), ==, 0);
  kill (getpid (), SIGKILL);
}

static void
test_survives_kill (Fixture       *f,
                    gconstpointer  data)
{
  GHashTableIter iter;
  gpointer count;

  if (g_test_subprocess ())
    {
      crash_child (f);
      return;
    }

  g_setenv ("OKNO_TEST_DIR", f->dir, TRUE);
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_unsetenv ("OKNO_TEST_DIR");
  g_test_trap_assert_failed ();

  /* After the restart: every change and notification exactly once. */
  open_all (f, TRUE);
  g_assert_cmpuint (okno_outbox_get_pending (f->outbox, NULL), ==, 2 * N_SLOTS + 2);
  settle (f);
  g_assert_cmpuint (okno_test_calendar_get_applied (f->calendar, OKNO_TEST_CALENDAR_UPDATE), ==, N_SLOTS - 1);
  for (guint i = 0; i < N_SLOTS - 1; i++)
    g_assert_cmpstr (summary_of (f, i), ==, "✅ Анна — Разбор");
  g_assert_cmpstr (summary_of (f, N_SLOTS - 1), ==, "🔓 СЛОТ: Разбор");
  /* The cancelled booking's confirmation was stale by then: dropped; its
   * cancellation goes. */
  g_assert_cmpuint (g_hash_table_size (f->sink->delivered), ==, N_SLOTS);
  {
    gpointer key;
    guint cancellations = 0;

    g_hash_table_iter_init (&iter, f->sink->delivered);
    while (g_hash_table_iter_next (&iter, &key, &count))
      {
        g_assert_cmpuint (GPOINTER_TO_UINT (count), ==, 1);
        cancellations += strstr (key, ".cancelled.") != NULL;
      }
    g_assert_cmpuint (cancellations, ==, 1);
  }

  /* And once more: nothing is left to do. */
  close_all (f);
  open_all (f, TRUE);
  g_assert_cmpuint (okno_outbox_get_pending (f->outbox, NULL), ==, 0);
}

typedef struct
{
  guint done;
  guint failed;
  guint sent;
  guint total;  /* each answer sends the next record, up to this */
} Counter;

static OknoJournalRecord *record_for (guint i);

static void
appended_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  Counter *counter = user_data;
  g_autoptr(GError) error = NULL;

  if (!okno_ledger_append_finish (OKNO_LEDGER (object), result, &error))
    counter->failed++;
  counter->done++;

  if (counter->sent < counter->total)
    okno_ledger_append_async (OKNO_LEDGER (object), record_for (counter->sent++), NULL, appended_cb, counter);
}

static OknoJournalRecord *
record_for (guint i)
{
  g_autofree char *id = g_strdup_printf ("b%05u", i);
  g_autofree char *slot = g_strdup_printf ("s%05u", i);
  g_autoptr(GDateTime) start = g_date_time_new_utc (2026, 12, 10, 10, 0, 0);
  g_autoptr(GDateTime) end = g_date_time_add_minutes (start, 40);
  g_autoptr(OknoBooking) booking = okno_booking_new (id, slot, start, end);
  OknoJournalRecord *record = okno_journal_record_new ();

  okno_booking_set_field (booking, "name", "Анна");
  okno_journal_record_set_put (record, booking);
  return record;
}

/* 32 appends at once share a handful of syncs. */
static void
test_group_commit (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OknoLedger) ledger = okno_ledger_new (f->dir, &error);
  Counter counter = { 0, 0, 32, 0 };
  guint before = _okno_ledger_get_sync_count (ledger);

  /* The writer is held while 32 records arrive, as a slow disk would hold
   * it: then one fdatasync must carry them all. */
  _okno_ledger_hold_writer (ledger, TRUE);
  for (guint i = 0; i < 32; i++)
    okno_ledger_append_async (ledger, record_for (i), NULL, appended_cb, &counter);
  _okno_ledger_hold_writer (ledger, FALSE);
  while (counter.done < 32)
    g_main_context_iteration (NULL, TRUE);

  g_assert_cmpuint (counter.failed, ==, 0);
  g_assert_cmpuint (_okno_ledger_get_sync_count (ledger) - before, ==, 1);
  g_clear_object (&ledger);

  ledger = okno_ledger_new (f->dir, &error);
  g_assert_cmpuint (g_list_model_get_n_items (okno_ledger_get_bookings (ledger)), ==, 32);
}

static gboolean
journal_has (const char *path,
             const char *text)
{
  g_autofree char *contents = NULL;

  return g_file_get_contents (path, &contents, NULL, NULL) && strstr (contents, text) != NULL;
}

static void
drained_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_assert_true (okno_ledger_drain_finish (OKNO_LEDGER (object), result, NULL));
  *(gboolean *) user_data = TRUE;
}

/* An outbox item's "done" costs no fdatasync of its own (a lost one only
 * repeats an idempotent item): it is written at once, and made durable by
 * the next booking's sync or a drain. So a booking costs one sync, not
 * two. "Done" with an attention item is synced. */
static void
test_done_needs_no_sync (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *journal = g_build_filename (f->dir, "bookings.journal", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(OknoLedger) ledger = okno_ledger_new (f->dir, &error);
  g_autoptr(JsonObject) payload = json_object_new ();
  g_autoptr(JsonObject) item = okno_outbox_item_new ("b00000.calendar.book", "calendar", payload);
  g_autoptr(JsonObject) other = okno_outbox_item_new ("b00000.booked.telegram", "telegram", payload);
  g_autoptr(JsonObject) attention = okno_attention_item_new ("calendar-gone", "b00000", "Gone");
  OknoJournalRecord *record = record_for (0);
  Counter counter = { 0, 0, 0, 0 };
  gboolean drained = FALSE;
  guint syncs;

  g_assert_no_error (error);
  okno_journal_record_add_outbox (record, item);
  okno_journal_record_add_outbox (record, other);
  okno_ledger_append_async (ledger, record, NULL, appended_cb, &counter);
  while (counter.done < 1)
    g_main_context_iteration (NULL, TRUE);
  syncs = _okno_ledger_get_sync_count (ledger);

  /* Written, not synced. */
  okno_ledger_complete_outbox_item (ledger, "b00000.calendar.book", NULL);
  g_assert_false (okno_ledger_has_outbox_item (ledger, "b00000.calendar.book"));
  while (!journal_has (journal, "\"done\":[\"b00000.calendar.book\"]"))
    g_main_context_iteration (NULL, FALSE);
  g_assert_cmpuint (_okno_ledger_get_sync_count (ledger), ==, syncs);

  /* The next booking's one sync carries it. */
  counter.done = 0;
  okno_ledger_append_async (ledger, record_for (1), NULL, appended_cb, &counter);
  while (counter.done < 1)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (counter.failed, ==, 0);
  g_assert_cmpuint (_okno_ledger_get_sync_count (ledger), ==, syncs + 1);

  /* Given up with an attention item: synced on its own. */
  okno_ledger_complete_outbox_item (ledger, "b00000.booked.telegram", attention);
  while (!journal_has (journal, "\"done\":[\"b00000.booked.telegram\"]"))
    g_main_context_iteration (NULL, FALSE);
  okno_ledger_drain_async (ledger, NULL, drained_cb, &drained);
  while (!drained)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (_okno_ledger_get_sync_count (ledger), ==, syncs + 2);

  /* A drain syncs a lazy record still unsynced, and only then. */
  okno_ledger_complete_outbox_item (ledger, "b00001.calendar.book", NULL);
  drained = FALSE;
  okno_ledger_drain_async (ledger, NULL, drained_cb, &drained);
  while (!drained)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (_okno_ledger_get_sync_count (ledger), ==, syncs + 3);
  drained = FALSE;
  okno_ledger_drain_async (ledger, NULL, drained_cb, &drained);
  while (!drained)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (_okno_ledger_get_sync_count (ledger), ==, syncs + 3);
  g_clear_object (&ledger);

  ledger = okno_ledger_new (f->dir, &error);
  g_assert_no_error (error);
  g_assert_false (okno_ledger_has_outbox_item (ledger, "b00000.calendar.book"));
  g_assert_false (okno_ledger_has_outbox_item (ledger, "b00000.booked.telegram"));
  g_assert_cmpuint (okno_ledger_get_attention_items (ledger)->len, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (okno_ledger_get_bookings (ledger)), ==, 2);
}

/* A write that fails undoes its decision (and those queued behind it):
 * the slot is free again, nothing is on disk. Simulated with a file size
 * limit, which fails writes as a full disk does. */
static void
test_failed_write_is_undone (Fixture       *f,
                             gconstpointer  data)
{
  g_autofree char *journal = g_build_filename (f->dir, "bookings.journal", NULL);
  g_autoptr(GBytes) before = NULL;
  g_autoptr(GBytes) after = NULL;
  g_autoptr(OknoBooking) booking = NULL;
  g_autoptr(GError) error = NULL;
  struct rlimit old, tiny;
  GStatBuf st;

  open_all (f, TRUE);
  booking = book (f, 0, &error);
  g_assert_no_error (error);
  g_clear_object (&booking);
  settle (f);

  g_assert_cmpint (g_stat (journal, &st), ==, 0);
  {
    g_autofree char *c = NULL;
    gsize n;
    g_assert_true (g_file_get_contents (journal, &c, &n, NULL));
    before = g_bytes_new (c, n);
  }

  signal (SIGXFSZ, SIG_IGN);
  getrlimit (RLIMIT_FSIZE, &old);
  tiny = old;
  tiny.rlim_cur = st.st_size + 10;
  g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &tiny), ==, 0);

  booking = book (f, 1, &error);
  g_assert_null (booking);
  g_assert_error (error, OKNO_DATA_ERROR, OKNO_DATA_ERROR_IO);
  g_clear_error (&error);
  g_assert_null (okno_ledger_lookup_active_for_slot (f->ledger, "slot0001"));
  g_assert_cmpuint (g_list_model_get_n_items (okno_ledger_get_bookings (f->ledger)), ==, 1);
  g_assert_cmpuint (okno_outbox_get_pending (f->outbox, NULL), ==, 0);
  {
    g_autofree char *c = NULL;
    gsize n;
    g_assert_true (g_file_get_contents (journal, &c, &n, NULL));
    after = g_bytes_new (c, n);
  }
  g_assert_true (g_bytes_equal (before, after));

  g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &old), ==, 0);
  booking = book (f, 1, &error);
  g_assert_no_error (error);
  g_assert_nonnull (okno_ledger_lookup_active_for_slot (f->ledger, "slot0001"));
}

static gboolean
busy_cb (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

/* Compaction keeps its schedule under 12 concurrent writers, while the
 * main loop is never idle (as under HTTP load). */
static void
test_compaction_under_load (Fixture       *f,
                            gconstpointer  data)
{
  g_autofree char *journal = g_build_filename (f->dir, "bookings.journal", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(OknoLedger) ledger = okno_ledger_new (f->dir, &error);
  const guint every = 128, clients = 12;
  Counter counter = { 0, 0, 0, 3000 };
  gsize longest = 0;
  guint busy;

  _okno_ledger_set_compact_after (ledger, every);
  busy = g_idle_add_full (G_PRIORITY_DEFAULT, busy_cb, NULL, NULL);
  for (; counter.sent < clients; counter.sent++)
    okno_ledger_append_async (ledger, record_for (counter.sent), NULL, appended_cb, &counter);

  while (counter.done < counter.total)
    {
      g_autofree char *contents = NULL;
      gsize length = 0;
      guint lines = 0;

      g_main_context_iteration (NULL, TRUE);
      if (g_file_get_contents (journal, &contents, &length, NULL))
        for (gsize i = 0; i < length; i++)
          lines += contents[i] == '\n';
      longest = MAX (longest, lines);
    }
  g_source_remove (busy);

  g_assert_cmpuint (counter.failed, ==, 0);
  g_test_message ("%u compactions, the journal at most %u lines",
                  _okno_ledger_get_compaction_count (ledger), (guint) longest);
  /* While the load lasted, not after it: the next compaction is due as
   * soon as the one writing its snapshot is done, so the journal holds
   * what arrives during one snapshot write, never the whole load. */
  g_assert_cmpuint (_okno_ledger_get_compaction_count (ledger), >=, 3);
  g_assert_cmpuint (longest, <, counter.total / 2);
  okno_test_drain (ledger);
  g_clear_object (&ledger);

  ledger = okno_ledger_new (f->dir, &error);
  g_assert_cmpuint (g_list_model_get_n_items (okno_ledger_get_bookings (ledger)), ==, counter.total);
}

/* A compaction writes every booking, so in a ledger larger than 1024
 * bookings it waits until the journal is as long as the snapshot: 2100
 * new bookings give one compaction (at 1024), not two (at 1024 and 2048);
 * the other one counted is the opening's. */
static void
test_compaction_grows_with_ledger (Fixture       *f,
                                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OknoLedger) ledger = okno_ledger_new (f->dir, &error);
  Counter counter = { 0, 0, 0, 2100 };

  for (; counter.sent < 32; counter.sent++)
    okno_ledger_append_async (ledger, record_for (counter.sent), NULL, appended_cb, &counter);
  while (counter.done < counter.total)
    g_main_context_iteration (NULL, TRUE);
  okno_test_drain (ledger);

  g_assert_cmpuint (counter.failed, ==, 0);
  g_assert_cmpuint (_okno_ledger_get_compaction_count (ledger), ==, 1 + 1);
  g_assert_cmpuint (okno_ledger_get_journal_length (ledger), ==, 2100 - 1024);
  g_clear_object (&ledger);

  ledger = okno_ledger_new (f->dir, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (okno_ledger_get_bookings (ledger)), ==, 2100);
}

/* A newer Okno's record: refused with a clear message, the file untouched,
 * nothing set aside as damage. */
static void
test_unknown_record_refused (Fixture       *f,
                             gconstpointer  data)
{
  g_autofree char *journal = g_build_filename (f->dir, "bookings.journal", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(OknoLedger) ledger = NULL;
  g_autofree char *after = NULL;
  g_autoptr(GDir) listing = NULL;
  const char *name;
  const char *contents = "{\"put\":{\"id\":\"b1\",\"slotId\":\"s1\",\"start\":\"2026-12-10T10:00:00Z\","
                         "\"end\":\"2026-12-10T10:40:00Z\",\"status\":\"confirmed\"}}\n"
                         "{\"telepathy\":{\"to\":\"Olga\"}}\n";

  g_assert_true (g_file_set_contents (journal, contents, -1, NULL));
  ledger = okno_ledger_new (f->dir, &error);
  g_assert_null (ledger);
  g_assert_error (error, OKNO_DATA_ERROR, OKNO_DATA_ERROR_SCHEMA);
  g_assert_nonnull (strstr (error->message, "newer Okno"));
  g_assert_nonnull (strstr (error->message, "telepathy"));

  g_assert_true (g_file_get_contents (journal, &after, NULL, NULL));
  g_assert_cmpstr (after, ==, contents);
  listing = g_dir_open (f->dir, 0, NULL);
  while ((name = g_dir_read_name (listing)))
    g_assert_false (g_str_has_prefix (name, "bookings.journal.damaged"));
}

/* Records with invalid UTF-8 (in the journal, in the snapshot): the folder
 * opens, every other record is kept, the damage is set aside and becomes
 * an attention item; and the writer refuses to write such text. */
static void
test_invalid_utf8 (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *journal = g_build_filename (f->dir, "bookings.journal", NULL);
  g_autofree char *snapshot = g_build_filename (f->dir, "bookings.json", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(OknoLedger) ledger = NULL;
  g_autoptr(OknoBooking) bad = NULL;
  g_autofree char *written = NULL;
#define LINE "{\"put\":{\"id\":\"%s\",\"slotId\":\"%s\",\"start\":\"2026-12-10T10:00:00Z\"," \
             "\"end\":\"2026-12-10T10:40:00Z\",\"status\":\"confirmed\",\"name\":\"%s\"}}\n"
  g_autofree char *a = g_strdup_printf (LINE, "b1", "s1", "Анна");
  g_autofree char *b = g_strdup_printf (LINE, "b2", "s2", "A\xed\xa0\x80" "B");
  g_autofree char *c = g_strdup_printf (LINE, "b3", "s3", "Вера");
  g_autofree char *contents = g_strconcat (a, b, c, NULL);
  g_autofree char *snap = g_strdup_printf ("{\"version\":1,\"bookings\":["
                                           "{\"id\":\"b4\",\"slotId\":\"s4\",\"start\":\"2026-12-10T10:00:00Z\","
                                           "\"end\":\"2026-12-10T10:40:00Z\",\"status\":\"confirmed\",\"name\":\"Олег\"},"
                                           "{\"id\":\"b5\",\"slotId\":\"s5\",\"start\":\"2026-12-10T10:00:00Z\","
                                           "\"end\":\"2026-12-10T10:40:00Z\",\"status\":\"confirmed\",\"name\":\"\xff\"}]}");

  g_assert_true (g_file_set_contents (journal, contents, -1, NULL));
  g_assert_true (g_file_set_contents (snapshot, snap, -1, NULL));
  ledger = okno_ledger_new (f->dir, &error);
  g_assert_no_error (error);
  g_assert_nonnull (okno_ledger_lookup (ledger, "b1"));
  g_assert_null (okno_ledger_lookup (ledger, "b2"));
  g_assert_nonnull (okno_ledger_lookup (ledger, "b3"));
  g_assert_nonnull (okno_ledger_lookup (ledger, "b4"));
  g_assert_null (okno_ledger_lookup (ledger, "b5"));
  g_assert_cmpuint (okno_ledger_get_attention_items (ledger)->len, ==, 2);

  /* Folded into a clean snapshot at once. */
  g_assert_true (g_file_get_contents (snapshot, &written, NULL, NULL));
  g_assert_true (g_utf8_validate (written, -1, NULL));

  bad = okno_booking_copy (okno_ledger_lookup (ledger, "b1"));
  okno_booking_set_field (bad, "name", "A\xed\xa0\x80" "B");
  g_assert_false (okno_ledger_put (ledger, bad, &error));
  g_assert_error (error, OKNO_DATA_ERROR, OKNO_DATA_ERROR_INVALID_TEXT);
  g_clear_error (&error);
  g_assert_cmpstr (okno_booking_get_name (okno_ledger_lookup (ledger, "b1")), ==, "Анна");
  g_clear_object (&ledger);

  ledger = okno_ledger_new (f->dir, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (okno_ledger_get_bookings (ledger)), ==, 3);
  g_assert_cmpuint (okno_ledger_get_attention_items (ledger)->len, ==, 2);
}

/* Messages to clients go out in order per client: one whose address never
 * answers holds up nobody else's. */
static void
test_one_client_holds_up_no_other (Fixture       *f,
                                   gconstpointer  data)
{
  static const char * const kinds[] = { OKNO_NOTIFY_KIND_CLIENT_EMAIL, NULL };
  const char *emails[] = { "slow@example.org", "vera@example.org" };
  g_autofree char *vera_key = NULL;
  gint64 deadline = g_get_monotonic_time () + 30 * G_TIME_SPAN_SECOND;

  open_all (f, TRUE);
  okno_booking_service_set_notify_kinds (f->service, kinds);
  okno_outbox_add_sink (f->outbox, OKNO_NOTIFY_KIND_CLIENT_EMAIL, OKNO_NOTIFY_SINK (f->sink));
  f->sink->hang_for = g_strdup (emails[0]);

  for (guint i = 0; i < G_N_ELEMENTS (emails); i++)
    {
      g_autoptr(OknoBookingRequest) request = okno_booking_request_new ();
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
      g_autofree char *token = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(OknoBooking) booking = NULL;

      request->slot_id = slot_id (i);
      request->name = g_strdup ("Клиент");
      request->email = g_strdup (emails[i]);
      booking = okno_booking_service_book (f->service, request, NULL, now, &token, NULL, &error);
      g_assert_no_error (error);
      if (i == 1)
        vera_key = g_strdup (okno_booking_get_id (booking));
    }

  /* Vera's confirmation arrives although the first client's never does. */
  for (;;)
    {
      GHashTableIter iter;
      gpointer key;
      gboolean found = FALSE;

      g_hash_table_iter_init (&iter, f->sink->delivered);
      while (g_hash_table_iter_next (&iter, &key, NULL))
        found |= strstr (key, vera_key) != NULL;
      if (found)
        break;
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  g_assert_cmpuint (g_hash_table_size (f->sink->delivered), ==, 1);

  /* The slow one answers at last; then all is done. */
  g_task_return_int (g_object_get_data (G_OBJECT (f->sink), "hung"), OKNO_NOTIFY_SINK_OK);
  g_object_set_data (G_OBJECT (f->sink), "hung", NULL);
  settle (f);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/okno/outbox/retries-until-done", test_retries_until_done);
  ADD ("/okno/outbox/permanent-failure-needs-attention", test_permanent_failure_needs_attention);
  ADD ("/okno/outbox/survives-kill", test_survives_kill);
  ADD ("/okno/outbox/one-client-holds-up-no-other", test_one_client_holds_up_no_other);
  ADD ("/okno/ledger/group-commit", test_group_commit);
  ADD ("/okno/ledger/done-needs-no-sync", test_done_needs_no_sync);
  ADD ("/okno/ledger/failed-write-is-undone", test_failed_write_is_undone);
  ADD ("/okno/ledger/compaction-under-load", test_compaction_under_load);
  ADD ("/okno/ledger/compaction-grows-with-ledger", test_compaction_grows_with_ledger);
  ADD ("/okno/ledger/unknown-record-refused", test_unknown_record_refused);
  ADD ("/okno/ledger/invalid-utf8", test_invalid_utf8);

  return g_test_run ();
}
