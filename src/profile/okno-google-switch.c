/* okno-google-switch.c
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "OknoGoogleSwitch"

#include "config.h"

#include <glib/gi18n.h>

#include "okno-google-calendar.h"
#include "okno-google-copy-sink.h"
#include "okno-google-switch.h"
#include "okno-local-calendar.h"
#include "okno-slot.h"

/* Moving a data folder's slots between the local calendar and Google.
 *
 * To Google (on connect): every upcoming slot and booked session of the
 * local calendar becomes an outbox item of kind "google-copy", all in one
 * durable journal line; the Google backend's copy sink inserts each with
 * its local id once Okno runs on Google, retried like any outbox item, and
 * a repeat answering 409 is done, so connecting twice copies nothing twice.
 *
 * To local (on disconnect): the Google calendar's cached upcoming slots and
 * booked sessions are written into calendar.json (those already there are
 * kept), so the page goes on offering them.
 *
 * Each also sets “calendar-backend”; neither touches a booking. */

#define HORIZON_DAYS 400

/* The upcoming events of @calendar that are Okno's: open and booked slots. */
static GPtrArray *
dup_upcoming_slots (OknoProfile  *profile,
                    OknoCalendar *calendar)
{
  OknoSchedule *schedule = okno_profile_get_schedule (profile);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) end = g_date_time_add_days (now, HORIZON_DAYS);
  g_autoptr(GPtrArray) events = okno_calendar_list_events (calendar, now, end);
  GPtrArray *slots = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < events->len; i++)
    {
      OknoEvent *event = g_ptr_array_index (events, i);
      OknoEventKind kind = okno_event_classify (event, okno_schedule_get_slot_marker (schedule),
                                                okno_schedule_get_booked_marker (schedule));

      if (kind == OKNO_EVENT_KIND_SLOT || kind == OKNO_EVENT_KIND_BOOKED)
        g_ptr_array_add (slots, g_object_ref (event));
    }
  return slots;
}

static void
appended_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  OknoProfile *profile = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;

  if (!okno_ledger_append_finish (OKNO_LEDGER (object), result, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_settings_set_string (okno_profile_get_settings (profile), "calendar-backend", "google");
  g_task_return_int (task, GPOINTER_TO_UINT (g_task_get_task_data (task)));
}

/**
 * okno_google_switch_to_google_async:
 *
 * Queues the copy of the local calendar's upcoming slots and booked
 * sessions into Google and sets “calendar-backend” to “google” (it takes
 * effect at the next start). On the Google backend already, copies nothing.
 */
void
okno_google_switch_to_google_async (OknoProfile         *profile,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (profile, cancellable, callback, user_data);
  OknoCalendar *calendar = okno_profile_get_calendar (profile);
  g_autoptr(GPtrArray) slots = NULL;
  g_autofree char *stamp = NULL;
  OknoJournalRecord *record;

  g_task_set_source_tag (task, okno_google_switch_to_google_async);

  if (!OKNO_IS_LOCAL_CALENDAR (calendar))
    {
      g_settings_set_string (okno_profile_get_settings (profile), "calendar-backend", "google");
      g_task_return_int (task, 0);
      return;
    }

  slots = dup_upcoming_slots (profile, calendar);
  if (slots->len == 0)
    {
      g_settings_set_string (okno_profile_get_settings (profile), "calendar-backend", "google");
      g_task_return_int (task, 0);
      return;
    }

  /* A new key each time: an item already done is not done again, but a
   * second connect after a disconnect must try again (409 = done). */
  stamp = g_strdup_printf ("%" G_GINT64_FORMAT, g_get_real_time ());
  record = okno_journal_record_new ();
  for (guint i = 0; i < slots->len; i++)
    {
      OknoEvent *event = g_ptr_array_index (slots, i);
      g_autoptr(JsonObject) data = okno_event_to_json (event);
      g_autoptr(JsonObject) payload = json_object_new ();
      g_autoptr(JsonObject) item = NULL;
      g_autofree char *key = g_strdup_printf ("%s:%s:%s", OKNO_GOOGLE_COPY_KIND, okno_event_get_id (event), stamp);

      json_object_remove_member (data, "etag");
      json_object_remove_member (data, "updated");
      json_object_set_object_member (payload, "event", g_steal_pointer (&data));
      item = okno_outbox_item_new (key, OKNO_GOOGLE_COPY_KIND, payload);
      okno_journal_record_add_outbox (record, item);
    }
  g_task_set_task_data (task, GUINT_TO_POINTER (slots->len), NULL);
  okno_ledger_append_async (okno_schedule_get_ledger (okno_profile_get_schedule (profile)), record,
                            cancellable, appended_cb, g_steal_pointer (&task));
}

/**
 * okno_google_switch_to_google_finish:
 * @n_copied: (out) (optional): how many slots and booked sessions will be
 *   copied
 */
gboolean
okno_google_switch_to_google_finish (OknoProfile   *profile,
                                     GAsyncResult  *result,
                                     guint         *n_copied,
                                     GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  gssize n = g_task_propagate_int (G_TASK (result), &local_error);

  if (local_error)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (n_copied)
    *n_copied = (guint) n;
  return TRUE;
}

typedef struct
{
  OknoLocalCalendar *local;
  GPtrArray         *slots;  /* OknoEvent *: still to write */
  guint              copied;
} ToLocal;

static void
to_local_free (ToLocal *data)
{
  g_clear_object (&data->local);
  g_clear_pointer (&data->slots, g_ptr_array_unref);
  g_free (data);
}

static void copy_next (GTask *task);

static void
copied_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  GTask *task = user_data;
  ToLocal *data = g_task_get_task_data (task);
  g_autoptr(OknoEvent) stored = NULL;
  GError *error = NULL;

  if (!(stored = okno_calendar_insert_event_finish (OKNO_CALENDAR (object), result, &error)))
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  data->copied++;
  copy_next (task);
}

/* Writes the next event the local calendar lacks; the task's reference
 * goes along. */
static void
copy_next (GTask *task)
{
  OknoProfile *profile = g_task_get_source_object (task);
  ToLocal *data = g_task_get_task_data (task);

  while (data->slots->len > 0)
    {
      g_autoptr(OknoEvent) copy = okno_event_copy (g_ptr_array_index (data->slots, 0));

      g_ptr_array_remove_index (data->slots, 0);
      if (okno_calendar_lookup_event (OKNO_CALENDAR (data->local), okno_event_get_id (copy)))
        continue;
      okno_event_set_etag (copy, NULL);
      okno_calendar_insert_event_async (OKNO_CALENDAR (data->local), copy, g_task_get_cancellable (task),
                                        copied_cb, task);
      return;
    }

  g_settings_set_string (okno_profile_get_settings (profile), "calendar-backend", "local");
  g_task_return_int (task, data->copied);
  g_object_unref (task);
}

/**
 * okno_google_switch_to_local_async:
 *
 * Copies the Google calendar's cached upcoming slots and booked sessions
 * into calendar.json (each once it is on disk) and sets “calendar-backend”
 * to “local”. On the local backend already, copies nothing.
 */
void
okno_google_switch_to_local_async (OknoProfile         *profile,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  GTask *task = g_task_new (profile, cancellable, callback, user_data);
  OknoCalendar *calendar = okno_profile_get_calendar (profile);
  ToLocal *data = g_new0 (ToLocal, 1);
  GError *error = NULL;

  g_task_set_source_tag (task, okno_google_switch_to_local_async);
  g_task_set_task_data (task, data, (GDestroyNotify) to_local_free);

  if (OKNO_IS_GOOGLE_CALENDAR (calendar))
    {
      if (!(data->local = okno_local_calendar_new (okno_profile_get_data_dir (profile), &error)))
        {
          g_task_return_error (task, error);
          g_object_unref (task);
          return;
        }
      data->slots = dup_upcoming_slots (profile, calendar);
    }
  else
    data->slots = g_ptr_array_new_with_free_func (g_object_unref);

  copy_next (task);
}

/**
 * okno_google_switch_to_local_finish:
 * @n_copied: (out) (optional): how many events were written into the
 *   local calendar
 */
gboolean
okno_google_switch_to_local_finish (OknoProfile   *profile,
                                    GAsyncResult  *result,
                                    guint         *n_copied,
                                    GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  gssize n = g_task_propagate_int (G_TASK (result), &local_error);

  if (local_error)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (n_copied)
    *n_copied = (guint) n;
  return TRUE;
}
