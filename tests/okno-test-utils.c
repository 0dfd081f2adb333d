/* okno-test-utils.c
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "okno-test-utils.h"
#include "okno-time.h"
#include "okno-token.h"

char *
okno_test_make_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("okno-test-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

void
okno_test_remove_dir (const char *dir)
{
  g_autoptr(GDir) handle = NULL;
  const char *name;

  if (dir == NULL || !(handle = g_dir_open (dir, 0, NULL)))
    return;

  while ((name = g_dir_read_name (handle)))
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        okno_test_remove_dir (path);
      else
        g_unlink (path);
    }
  g_rmdir (dir);
}

/* Inserts an event and waits until it is on disk. A slot carries the
 * private property Okno writes; other events are plain busy events. */
OknoEvent *
okno_test_insert_event (OknoCalendar *calendar,
                        const char   *summary,
                        GDateTime    *start,
                        int           minutes,
                        gboolean      slot)
{
  g_autoptr(GDateTime) end = g_date_time_add_minutes (start, minutes);
  g_autofree char *id = okno_event_id_new ();
  g_autoptr(OknoEvent) event = okno_event_new (id, summary, start, end);
  g_autoptr(GError) error = NULL;
  OknoEvent *stored;

  if (slot)
    okno_event_set_private (event, "okno", "slot");

  stored = okno_test_calendar_insert (calendar, event, &error);
  g_assert_no_error (error);
  g_assert_nonnull (stored);

  return stored;
}

GDateTime *
okno_test_time (const char *rfc3339)
{
  GDateTime *time = okno_time_parse_rfc3339 (rfc3339);

  g_assert_nonnull (time);
  return time;
}

void
okno_test_wait_idle (OknoLocalCalendar *calendar)
{
  while (okno_local_calendar_is_saving (calendar))
    g_main_context_iteration (NULL, TRUE);
}

/* Until the outbox carried out every calendar change it can start now,
 * and the calendar wrote them. */
void
okno_test_wait_outbox (OknoOutbox        *outbox,
                       OknoLocalCalendar *calendar)
{
  while (okno_outbox_get_busy (outbox, NULL) > 0 || okno_local_calendar_is_saving (calendar))
    g_main_context_iteration (NULL, TRUE);
}

static void
drained_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  gboolean *done = user_data;

  okno_ledger_drain_finish (OKNO_LEDGER (object), result, NULL);
  *done = TRUE;
}

/* Until every record appended so far was written and answered. */
void
okno_test_drain (OknoLedger *ledger)
{
  gboolean done = FALSE;

  okno_ledger_drain_async (ledger, NULL, drained_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
  /* Answers queued behind the barrier's. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* The calendar's calls, waited for on the test's loop (from the test's
 * body: the programs have no such forms, nothing there may wait). */

typedef struct
{
  gboolean      done;
  GAsyncResult *result;
} Waited;

static void
waited_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Waited *waited = user_data;

  waited->result = g_object_ref (result);
  waited->done = TRUE;
}

static GAsyncResult *
wait_result (Waited *waited)
{
  while (!waited->done)
    g_main_context_iteration (NULL, TRUE);
  return waited->result;
}

OknoEvent *
okno_test_calendar_insert (OknoCalendar  *calendar,
                           OknoEvent     *event,
                           GError       **error)
{
  Waited waited = { FALSE, NULL };
  g_autoptr(GAsyncResult) result = NULL;

  okno_calendar_insert_event_async (calendar, event, NULL, waited_cb, &waited);
  result = wait_result (&waited);
  return okno_calendar_insert_event_finish (calendar, result, error);
}

OknoEvent *
okno_test_calendar_update (OknoCalendar  *calendar,
                           OknoEvent     *event,
                           GError       **error)
{
  Waited waited = { FALSE, NULL };
  g_autoptr(GAsyncResult) result = NULL;

  okno_calendar_update_event_async (calendar, event, NULL, waited_cb, &waited);
  result = wait_result (&waited);
  return okno_calendar_update_event_finish (calendar, result, error);
}

gboolean
okno_test_calendar_delete (OknoCalendar  *calendar,
                           const char    *event_id,
                           const char    *etag,
                           GError       **error)
{
  Waited waited = { FALSE, NULL };
  g_autoptr(GAsyncResult) result = NULL;

  okno_calendar_delete_event_async (calendar, event_id, etag, NULL, waited_cb, &waited);
  result = wait_result (&waited);
  return okno_calendar_delete_event_finish (calendar, result, error);
}

/* Until the waitlist wrote what it had under way, then writes its file:
 * on the test's loop. */
void
okno_test_settle_waitlist (OknoWaitlist *waitlist)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (okno_waitlist_flush (waitlist, &error));
  while (okno_waitlist_is_busy (waitlist))
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (okno_waitlist_flush (waitlist, &error));
  g_assert_no_error (error);
}
