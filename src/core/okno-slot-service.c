/* okno-slot-service.c
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "OknoSlotService"

#include "config.h"

#include <glib/gi18n.h>

#include "okno-errors.h"
#include "okno-journal-record.h"
#include "okno-slot-service.h"
#include "okno-slot-write-sink.h"
#include "okno-time.h"
#include "okno-token.h"

/* The one way Olga's slots are written: the week view, its undo, copy-week
 * and okno-server's slots commands all publish, move, resize and delete
 * through here (bookings change slots through the booking service).
 *
 * It holds the one rule for where a slot may go (okno_slot_service_check):
 * it starts in the future, lasts OKNO_SLOT_MIN_MINUTES to
 * OKNO_SLOT_MAX_MINUTES, and overlaps no other slot, booked session or busy
 * event of any calendar the schedule reads, nor a slot being written right
 * now. Ranges are half-open: a slot may start where another ends.
 *
 * It makes the writes safe to repeat on a remote calendar: it chooses each
 * new event's id itself (okno_event_id_new(), Google's alphabet), so an
 * insert whose answer was lost and that is repeated finds its own event;
 * and a move or delete always carries the etag of the event as the
 * calendar last showed it, so it never overwrites a change made meanwhile
 * (a booking, an edit in Google Calendar).
 *
 * With durable writes on (okno_slot_service_set_durable_writes(): the
 * slots live in Google), a write does not wait for the calendar: it is
 * appended to the ledger's journal as an outbox item of kind "slot" and
 * reports success once that is on disk; the outbox sends it (see
 * okno-slot-write-sink.c), after a crash or a quit too. Meanwhile the
 * calendar shows it staged (okno_calendar_stage_event()), so the week view,
 * the page and a booking see the slot as Olga left it. */
struct _OknoSlotService
{
  GObject       parent_instance;

  OknoSchedule *schedule;
  GPtrArray    *pending;    /* of Pending: writes not answered yet */
  gboolean      durable_writes;
};

typedef struct
{
  char      *id;
  GDateTime *start;
  GDateTime *end;
} Pending;

G_DEFINE_FINAL_TYPE (OknoSlotService, okno_slot_service, G_TYPE_OBJECT)

static void
pending_free (Pending *pending)
{
  g_free (pending->id);
  g_date_time_unref (pending->start);
  g_date_time_unref (pending->end);
  g_free (pending);
}

static OknoCalendar *
get_calendar (OknoSlotService *self)
{
  return okno_schedule_get_calendar (self->schedule);
}

static void
add_pending (OknoSlotService *self,
             const char      *id,
             GDateTime       *start,
             GDateTime       *end)
{
  Pending *pending = g_new0 (Pending, 1);

  pending->id = g_strdup (id);
  pending->start = g_date_time_ref (start);
  pending->end = g_date_time_ref (end);
  g_ptr_array_add (self->pending, pending);
}

static void
remove_pending (OknoSlotService *self,
                const char      *id)
{
  for (guint i = 0; i < self->pending->len; i++)
    {
      Pending *pending = g_ptr_array_index (self->pending, i);

      if (g_strcmp0 (pending->id, id) == 0)
        {
          g_ptr_array_remove_index (self->pending, i);
          return;
        }
    }
}

/* The slot @slot_id as the calendar last showed it, if Olga may change
 * it: an open slot to move (@booked_ok FALSE), or any slot without an
 * active booking to delete. */
static OknoEvent *
lookup_slot (OknoSlotService  *self,
             const char       *slot_id,
             gboolean          booked_ok,
             GError          **error)
{
  OknoEvent *event = slot_id ? okno_calendar_lookup_event (get_calendar (self), slot_id) : NULL;
  OknoEventKind kind = event ? okno_schedule_classify (self->schedule, event) : OKNO_EVENT_KIND_FREE;

  if (kind != OKNO_EVENT_KIND_SLOT && kind != OKNO_EVENT_KIND_BOOKED)
    {
      g_set_error_literal (error, OKNO_SLOT_ERROR, OKNO_SLOT_ERROR_NOT_FOUND,
                           _("This slot is no longer there"));
      return NULL;
    }

  if (okno_ledger_lookup_active_for_slot (okno_schedule_get_ledger (self->schedule), slot_id) != NULL ||
      (kind == OKNO_EVENT_KIND_BOOKED && !booked_ok))
    {
      g_set_error_literal (error, OKNO_SLOT_ERROR, OKNO_SLOT_ERROR_BOOKED,
                           _("This slot is booked; cancel the booking first"));
      return NULL;
    }

  return event;
}

static void
okno_slot_service_dispose (GObject *object)
{
  OknoSlotService *self = (OknoSlotService *) object;

  g_clear_object (&self->schedule);

  G_OBJECT_CLASS (okno_slot_service_parent_class)->dispose (object);
}

static void
okno_slot_service_finalize (GObject *object)
{
  OknoSlotService *self = (OknoSlotService *) object;

  g_clear_pointer (&self->pending, g_ptr_array_unref);

  G_OBJECT_CLASS (okno_slot_service_parent_class)->finalize (object);
}

static void
okno_slot_service_class_init (OknoSlotServiceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = okno_slot_service_dispose;
  object_class->finalize = okno_slot_service_finalize;
}

static void
okno_slot_service_init (OknoSlotService *self)
{
  self->pending = g_ptr_array_new_with_free_func ((GDestroyNotify) pending_free);
}

OknoSlotService *
okno_slot_service_new (OknoSchedule *schedule)
{
  OknoSlotService *self;

  g_return_val_if_fail (OKNO_IS_SCHEDULE (schedule), NULL);

  self = g_object_new (OKNO_TYPE_SLOT_SERVICE, NULL);
  self->schedule = g_object_ref (schedule);

  return self;
}

OknoSchedule *
okno_slot_service_get_schedule (OknoSlotService *self)
{
  g_return_val_if_fail (OKNO_IS_SLOT_SERVICE (self), NULL);
  return self->schedule;
}

/**
 * okno_slot_service_check:
 * @slot_id: (nullable): the slot being moved or resized, which is not in
 *   its own way; %NULL for a new slot
 * @conflict: (out) (optional) (transfer none) (nullable): the event in the
 *   way, when that is the reason
 *
 * THE rule for where a slot may go: [@start, @end) starts after @now,
 * lasts OKNO_SLOT_MIN_MINUTES to OKNO_SLOT_MAX_MINUTES, and overlaps no
 * other slot, booked session or busy event (touching is fine).
 *
 * Returns: %TRUE if it may; otherwise @error (%OKNO_SLOT_ERROR) says why,
 *   in Olga's words
 */
gboolean
okno_slot_service_check (OknoSlotService  *self,
                         GDateTime        *start,
                         GDateTime        *end,
                         const char       *slot_id,
                         GDateTime        *now,
                         OknoEvent       **conflict,
                         GError          **error)
{
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GDateTime) before = NULL;
  g_autoptr(GDateTime) after = NULL;
  GTimeSpan length;

  g_return_val_if_fail (OKNO_IS_SLOT_SERVICE (self), FALSE);
  g_return_val_if_fail (start != NULL && end != NULL && now != NULL, FALSE);

  if (conflict != NULL)
    *conflict = NULL;

  if (g_date_time_compare (start, now) <= 0)
    {
      g_set_error_literal (error, OKNO_SLOT_ERROR, OKNO_SLOT_ERROR_PAST, _("This time has passed"));
      return FALSE;
    }

  length = g_date_time_difference (end, start);
  if (length < OKNO_SLOT_MIN_MINUTES * G_TIME_SPAN_MINUTE || length > OKNO_SLOT_MAX_MINUTES * G_TIME_SPAN_MINUTE)
    {
      g_set_error_literal (error, OKNO_SLOT_ERROR, OKNO_SLOT_ERROR_LENGTH,
                           _("A slot lasts from 5 minutes to 8 hours"));
      return FALSE;
    }

  /* Ask a little wider than needed, so the overlap below, not each
   * backend's idea of a range, decides what touching means. */
  before = g_date_time_add_minutes (start, -1);
  after = g_date_time_add_minutes (end, 1);
  events = okno_schedule_list_events (self->schedule, before, after);
  for (guint i = 0; i < events->len; i++)
    {
      OknoEvent *event = g_ptr_array_index (events, i);

      if (slot_id != NULL && g_strcmp0 (okno_event_get_id (event), slot_id) == 0)
        continue;
      if (!okno_time_ranges_overlap (start, end, okno_event_get_start (event), okno_event_get_end (event)))
        continue;

      switch (okno_schedule_classify (self->schedule, event))
        {
        case OKNO_EVENT_KIND_BOOKED:
          g_set_error_literal (error, OKNO_SLOT_ERROR, OKNO_SLOT_ERROR_OVERLAP, _("A booked session is there"));
          break;
        case OKNO_EVENT_KIND_BUSY:
          g_set_error (error, OKNO_SLOT_ERROR, OKNO_SLOT_ERROR_OVERLAP, _("Busy: %s"),
                       okno_event_get_summary (event) ? okno_event_get_summary (event) : "");
          break;
        case OKNO_EVENT_KIND_SLOT:
          g_set_error_literal (error, OKNO_SLOT_ERROR, OKNO_SLOT_ERROR_OVERLAP, _("Another slot is there"));
          break;
        case OKNO_EVENT_KIND_FREE:
        default:
          continue;
        }

      if (conflict != NULL)
        *conflict = event;
      return FALSE;
    }

  /* A slot on its way to the calendar is in the way too. */
  for (guint i = 0; i < self->pending->len; i++)
    {
      Pending *pending = g_ptr_array_index (self->pending, i);

      if (slot_id != NULL && g_strcmp0 (pending->id, slot_id) == 0)
        continue;
      if (okno_time_ranges_overlap (start, end, pending->start, pending->end))
        {
          g_set_error_literal (error, OKNO_SLOT_ERROR, OKNO_SLOT_ERROR_OVERLAP, _("Another slot is there"));
          return FALSE;
        }
    }

  return TRUE;
}

/* Durable writes: the item is staged at once (before the outbox can
 * start it, so its unstaging always comes after) and the task answers once
 * the item is on disk; a failed append takes the staged change back. */
static void
queued_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  OknoSlotService *self = g_task_get_source_object (task);
  const char *id = g_task_get_task_data (task);
  OknoEvent *staged = g_object_get_data (G_OBJECT (task), "okno-staged");
  g_autoptr(GError) error = NULL;

  remove_pending (self, id);
  if (!okno_ledger_append_finish (OKNO_LEDGER (object), result, &error))
    {
      okno_calendar_unstage_event (get_calendar (self), id);
      g_task_return_error (task, g_steal_pointer (&error));
    }
  else if (staged == NULL)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_pointer (task, g_object_ref (staged), g_object_unref);
}

/* Queues the write @op of @event (@staged: how it reads meanwhile, NULL
 * for a delete) and answers @task once it is durable. */
static void
queue_write (OknoSlotService *self,
             GTask           *task,
             const char      *op,
             OknoEvent       *event,
             OknoEvent       *staged)
{
  g_autoptr(JsonObject) item = okno_slot_write_item_new (op, event);
  OknoJournalRecord *record = okno_journal_record_new ();

  g_debug ("Queueing slot %s: %s", okno_event_get_id (event), op);
  okno_journal_record_add_outbox (record, item);
  if (staged != NULL)
    g_object_set_data_full (G_OBJECT (task), "okno-staged", g_object_ref (staged), g_object_unref);
  okno_calendar_stage_event (get_calendar (self), okno_event_get_id (event), staged);
  okno_ledger_append_async (okno_schedule_get_ledger (self->schedule), record,
                            g_task_get_cancellable (task), queued_cb, g_object_ref (task));
}

static void
inserted_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  OknoSlotService *self = g_task_get_source_object (task);
  const char *id = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(OknoEvent) stored = NULL;

  remove_pending (self, id);
  stored = okno_calendar_insert_event_finish (OKNO_CALENDAR (object), result, &error);

  /* Our own id exists: an earlier try of this very insert landed. */
  if (stored == NULL && g_error_matches (error, OKNO_CALENDAR_ERROR, OKNO_CALENDAR_ERROR_CONFLICT))
    {
      OknoEvent *existing = okno_calendar_lookup_event (OKNO_CALENDAR (object), id);

      if (existing != NULL)
        {
          g_clear_error (&error);
          stored = g_object_ref (existing);
        }
    }

  if (stored == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, g_steal_pointer (&stored), g_object_unref);
}

/**
 * okno_slot_service_publish_async:
 * @title: (nullable): the event's title, or %NULL for the slot marker
 *
 * Publishes an open slot at [@start, @end) if the rule allows it.
 */
void
okno_slot_service_publish_async (OknoSlotService     *self,
                                 GDateTime           *start,
                                 GDateTime           *end,
                                 const char          *title,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(OknoEvent) event = NULL;
  g_autoptr(GError) error = NULL;
  char *id;

  g_return_if_fail (OKNO_IS_SLOT_SERVICE (self));
  g_return_if_fail (start != NULL && end != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, okno_slot_service_publish_async);

  if (!okno_slot_service_check (self, start, end, NULL, now, NULL, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  id = okno_event_id_new ();
  g_task_set_task_data (task, id, g_free);
  event = okno_event_new (id, title ? title : okno_schedule_get_slot_marker (self->schedule), start, end);
  okno_event_set_private (event, OKNO_PROP_KIND, OKNO_PROP_KIND_SLOT);

  add_pending (self, id, start, end);
  if (self->durable_writes)
    {
      queue_write (self, task, "insert", event, event);
      return;
    }
  g_debug ("Publishing slot %s", id);
  okno_calendar_insert_event_async (get_calendar (self), event, cancellable, inserted_cb, g_steal_pointer (&task));
}

/**
 * okno_slot_service_publish_finish:
 *
 * Returns: (transfer full): the slot as stored
 */
OknoEvent *
okno_slot_service_publish_finish (OknoSlotService  *self,
                                  GAsyncResult     *result,
                                  GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
updated_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  OknoSlotService *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  OknoEvent *stored;

  remove_pending (self, g_task_get_task_data (task));
  if (!(stored = okno_calendar_update_event_finish (OKNO_CALENDAR (object), result, &error)))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, stored, g_object_unref);
}

/**
 * okno_slot_service_move_async:
 * @title: (nullable): a new title (another session type), or %NULL to
 *   keep it
 *
 * Moves or resizes the open slot @slot_id to [@start, @end) if the rule
 * allows it, unless the calendar's copy changed meanwhile.
 */
void
okno_slot_service_move_async (OknoSlotService     *self,
                              const char          *slot_id,
                              GDateTime           *start,
                              GDateTime           *end,
                              const char          *title,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(OknoEvent) changed = NULL;
  g_autoptr(GError) error = NULL;
  OknoEvent *current;

  g_return_if_fail (OKNO_IS_SLOT_SERVICE (self));
  g_return_if_fail (start != NULL && end != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, okno_slot_service_move_async);

  if (!(current = lookup_slot (self, slot_id, FALSE, &error)) ||
      !okno_slot_service_check (self, start, end, slot_id, now, NULL, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* The copy carries the etag the calendar last showed. */
  changed = okno_event_copy (current);
  okno_event_set_times (changed, start, end);
  if (title != NULL)
    okno_event_set_summary (changed, title);
  g_task_set_task_data (task, g_strdup (slot_id), g_free);

  add_pending (self, slot_id, start, end);
  if (self->durable_writes)
    {
      queue_write (self, task, "update", changed, changed);
      return;
    }
  okno_calendar_update_event_async (get_calendar (self), changed, cancellable, updated_cb, g_steal_pointer (&task));
}

/**
 * okno_slot_service_move_finish:
 *
 * Returns: (transfer full): the slot as stored
 */
OknoEvent *
okno_slot_service_move_finish (OknoSlotService  *self,
                               GAsyncResult     *result,
                               GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
deleted_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!okno_calendar_delete_event_finish (OKNO_CALENDAR (object), result, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

/* Deletes the slot @slot_id, unless it holds an active booking (cancel that
 * first) or the calendar's copy changed meanwhile. */
void
okno_slot_service_delete_async (OknoSlotService     *self,
                                const char          *slot_id,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  OknoEvent *current;

  g_return_if_fail (OKNO_IS_SLOT_SERVICE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, okno_slot_service_delete_async);

  if (!(current = lookup_slot (self, slot_id, TRUE, &error)))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (self->durable_writes)
    {
      g_task_set_task_data (task, g_strdup (slot_id), g_free);
      queue_write (self, task, "delete", current, NULL);
      return;
    }
  g_debug ("Deleting slot %s", slot_id);
  okno_calendar_delete_event_async (get_calendar (self), slot_id, okno_event_get_etag (current),
                                    cancellable, deleted_cb, g_steal_pointer (&task));
}

gboolean
okno_slot_service_delete_finish (OknoSlotService  *self,
                                 GAsyncResult     *result,
                                 GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Writes sent to the calendar and not answered yet. */
guint
okno_slot_service_get_n_pending (OknoSlotService *self)
{
  g_return_val_if_fail (OKNO_IS_SLOT_SERVICE (self), 0);
  return self->pending->len;
}

/**
 * okno_slot_service_set_durable_writes:
 * @durable: %TRUE when the slot calendar is remote (Google)
 *
 * From now on each write is appended to the ledger's outbox and reports
 * success once that is durable, instead of waiting for the calendar; the
 * outbox carries it out through an #OknoSlotWriteSink. The local calendar
 * does not need it: its own save is durable.
 */
void
okno_slot_service_set_durable_writes (OknoSlotService *self,
                                      gboolean         durable)
{
  g_return_if_fail (OKNO_IS_SLOT_SERVICE (self));
  self->durable_writes = !!durable;
}
