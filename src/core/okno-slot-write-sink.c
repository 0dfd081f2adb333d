/* okno-slot-write-sink.c
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "OknoSlotWriteSink"

#include "config.h"

#include <glib/gi18n.h>

#include "okno-errors.h"
#include "okno-slot-write-sink.h"

/* Carries out the outbox items of kind "slot": Olga's slot writes (publish,
 * move, resize, delete) made while the slots live in a remote calendar
 * (Google). The slot service appends each as one item, durable before it
 * reports success, and stages it on the calendar so that the week view and
 * the page show it at once (okno_calendar_stage_event()). An item is
 *   {"op": "insert" | "update" | "delete", "eventId", "event": Event}
 * with the event as it is to read (for a delete: as Okno last saw it, for
 * its etag). The outbox runs the items of one event one at a time, in
 * order, in the same lane as the booking changes of that slot, so a move
 * of a slot whose insert still waits goes after it, and a booking of a
 * slot just published goes after the slot is in the calendar.
 *
 * Replays are safe: an insert carries the id the slot service chose, so
 * a repeat that answers "exists" (Google's 409) is done; an update or a
 * delete carries the etag Okno last saw (If-Match), and the backend
 * refetches on a 412: a change Olga made meanwhile in Google is never
 * overwritten but refused, like a 400, 403 or 404: the item then becomes
 * an attention item. Offline and rate-limited answers are retried by the
 * outbox with backoff. */

struct _OknoSlotWriteSink
{
  GObject       parent_instance;

  OknoCalendar *calendar;
};

static void sink_iface_init (OknoNotifySinkInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (OknoSlotWriteSink, okno_slot_write_sink, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (OKNO_TYPE_NOTIFY_SINK, sink_iface_init))

typedef enum
{
  OP_INSERT,
  OP_UPDATE,
  OP_DELETE,
} Op;

typedef struct
{
  Op    op;
  char *event_id;
} Write;

static void
write_free (Write *w)
{
  g_free (w->event_id);
  g_free (w);
}

static gboolean
is_final_refusal (const GError *error)
{
  return g_error_matches (error, OKNO_CALENDAR_ERROR, OKNO_CALENDAR_ERROR_INVALID) ||
         g_error_matches (error, OKNO_CALENDAR_ERROR, OKNO_CALENDAR_ERROR_FORBIDDEN) ||
         g_error_matches (error, OKNO_CALENDAR_ERROR, OKNO_CALENDAR_ERROR_NOT_FOUND) ||
         g_error_matches (error, OKNO_CALENDAR_ERROR, OKNO_CALENDAR_ERROR_CONFLICT) ||
         g_error_matches (error, OKNO_CALENDAR_ERROR, OKNO_CALENDAR_ERROR_GONE);
}

/* The write is over for good: the calendar's own copy shows from now on. */
static void
write_over (GTask  *task,
            GError *error)
{
  OknoSlotWriteSink *self = g_task_get_source_object (task);
  Write *w = g_task_get_task_data (task);

  okno_calendar_unstage_event (self->calendar, w->event_id);
  if (error == NULL)
    {
      g_debug ("Slot write %s done", w->event_id);
      g_task_return_int (task, OKNO_NOTIFY_SINK_OK);
    }
  else
    {
      g_autofree char *message = NULL;

      switch (w->op)
        {
        case OP_INSERT:
          /* Translators: %s is what the calendar answered */
          message = g_strdup_printf (_("A slot could not be published in the calendar: %s. Check the calendar."),
                                     error->message);
          break;
        case OP_UPDATE:
          /* Translators: %s is what the calendar answered */
          message = g_strdup_printf (_("A slot could not be moved in the calendar: %s. Check the calendar."),
                                     error->message);
          break;
        case OP_DELETE:
        default:
          /* Translators: %s is what the calendar answered */
          message = g_strdup_printf (_("A slot could not be removed from the calendar: %s. Check the calendar."),
                                     error->message);
          break;
        }

      g_message ("Slot write %s refused for good: %s", w->event_id, error->message);
      g_task_return_new_error (task, OKNO_CALENDAR_ERROR, error->code, "%s", message);
      g_error_free (error);
    }
}

static void
written_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Write *w = g_task_get_task_data (task);
  g_autoptr(OknoEvent) stored = NULL;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  switch (w->op)
    {
    case OP_INSERT:
      stored = okno_calendar_insert_event_finish (OKNO_CALENDAR (object), result, &error);
      /* Our own id exists: an earlier try of this very insert landed. */
      ok = stored != NULL || g_error_matches (error, OKNO_CALENDAR_ERROR, OKNO_CALENDAR_ERROR_CONFLICT);
      break;
    case OP_UPDATE:
      stored = okno_calendar_update_event_finish (OKNO_CALENDAR (object), result, &error);
      ok = stored != NULL;
      break;
    case OP_DELETE:
    default:
      ok = okno_calendar_delete_event_finish (OKNO_CALENDAR (object), result, &error) ||
           g_error_matches (error, OKNO_CALENDAR_ERROR, OKNO_CALENDAR_ERROR_NOT_FOUND) ||
           g_error_matches (error, OKNO_CALENDAR_ERROR, OKNO_CALENDAR_ERROR_GONE);
      break;
    }

  if (ok)
    write_over (task, NULL);
  else if (is_final_refusal (error))
    write_over (task, g_steal_pointer (&error));
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    {
      /* Offline, rate limited, signed out: the outbox tries again later. */
      g_debug ("Slot write %s will be retried: %s", w->event_id, error->message);
      g_task_return_int (task, OKNO_NOTIFY_SINK_RETRY);
    }
}

static void
okno_slot_write_sink_deliver_async (OknoNotifySink      *sink,
                                    const char          *kind,
                                    const char          *key,
                                    JsonObject          *payload,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  OknoSlotWriteSink *self = OKNO_SLOT_WRITE_SINK (sink);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(OknoEvent) event = NULL;
  g_autoptr(GError) error = NULL;
  const char *op = json_object_get_string_member_with_default (payload, "op", "");
  const char *event_id = json_object_get_string_member_with_default (payload, "eventId", NULL);
  JsonNode *data = json_object_get_member (payload, "event");
  Write *w;

  g_task_set_source_tag (task, okno_slot_write_sink_deliver_async);

  if (event_id == NULL || data == NULL || !JSON_NODE_HOLDS_OBJECT (data) ||
      !(event = okno_event_new_from_json (json_node_get_object (data), &error)) ||
      g_strcmp0 (okno_event_get_id (event), event_id) != 0 ||
      !(g_str_equal (op, "insert") || g_str_equal (op, "update") || g_str_equal (op, "delete")))
    {
      /* Never staged either (okno_slot_write_stage_pending() skips it). */
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                               _("A slot change cannot be read: %s"), error ? error->message : op);
      return;
    }

  w = g_new0 (Write, 1);
  w->op = g_str_equal (op, "insert") ? OP_INSERT : g_str_equal (op, "update") ? OP_UPDATE : OP_DELETE;
  w->event_id = g_strdup (event_id);
  g_task_set_task_data (task, w, (GDestroyNotify) write_free);

  /* Written while the event was not in the calendar yet (its insert
   * waited ahead of it in this lane): it changes what that insert made. */
  if (w->op != OP_INSERT && okno_event_get_etag (event) == NULL)
    {
      OknoEvent *stored = okno_calendar_lookup_stored_event (self->calendar, event_id);

      if (stored != NULL)
        okno_event_set_etag (event, okno_event_get_etag (stored));
      else if (w->op == OP_DELETE)
        {
          /* Not in the calendar: gone already, once a sync says so (a
           * copy not synced yet may lack an insert made by a run that
           * was killed before it saved). */
          if (okno_calendar_get_state (self->calendar) == OKNO_CALENDAR_STATE_SYNCED ||
              okno_calendar_get_state (self->calendar) == OKNO_CALENDAR_STATE_LOCAL)
            write_over (task, NULL);
          else
            g_task_return_int (task, OKNO_NOTIFY_SINK_RETRY);
          return;
        }
    }

  g_debug ("Slot write %s: %s", event_id, op);
  switch (w->op)
    {
    case OP_INSERT:
      okno_event_set_etag (event, NULL);
      okno_calendar_insert_event_async (self->calendar, event, cancellable, written_cb, g_steal_pointer (&task));
      break;
    case OP_UPDATE:
      okno_calendar_update_event_async (self->calendar, event, cancellable, written_cb, g_steal_pointer (&task));
      break;
    case OP_DELETE:
    default:
      okno_calendar_delete_event_async (self->calendar, event_id, okno_event_get_etag (event),
                                        cancellable, written_cb, g_steal_pointer (&task));
      break;
    }
}

static OknoNotifySinkResult
okno_slot_write_sink_deliver_finish (OknoNotifySink  *sink,
                                     GAsyncResult    *result,
                                     GTimeSpan       *retry_after,
                                     GError         **error)
{
  g_autoptr(GError) local_error = NULL;
  gssize answer = g_task_propagate_int (G_TASK (result), &local_error);

  if (local_error == NULL)
    return (OknoNotifySinkResult) answer;

  g_propagate_error (error, g_steal_pointer (&local_error));
  if (g_error_matches (*error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return OKNO_NOTIFY_SINK_RETRY;
  return OKNO_NOTIFY_SINK_PERMANENT;
}

static void
sink_iface_init (OknoNotifySinkInterface *iface)
{
  iface->deliver_async = okno_slot_write_sink_deliver_async;
  iface->deliver_finish = okno_slot_write_sink_deliver_finish;
}

static void
okno_slot_write_sink_dispose (GObject *object)
{
  OknoSlotWriteSink *self = (OknoSlotWriteSink *) object;

  g_clear_object (&self->calendar);

  G_OBJECT_CLASS (okno_slot_write_sink_parent_class)->dispose (object);
}

static void
okno_slot_write_sink_class_init (OknoSlotWriteSinkClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = okno_slot_write_sink_dispose;
}

static void
okno_slot_write_sink_init (OknoSlotWriteSink *self)
{
}

OknoSlotWriteSink *
okno_slot_write_sink_new (OknoCalendar *calendar)
{
  OknoSlotWriteSink *self;

  g_return_val_if_fail (OKNO_IS_CALENDAR (calendar), NULL);

  self = g_object_new (OKNO_TYPE_SLOT_WRITE_SINK, NULL);
  self->calendar = g_object_ref (calendar);
  return self;
}

/**
 * okno_slot_write_item_new:
 * @op: "insert", "update" or "delete"
 * @event: the event as it is to read (for a delete: as last seen)
 *
 * Returns: (transfer full): the outbox item of this slot write; its key is
 *   new each time, so that every write is carried out
 */
JsonObject *
okno_slot_write_item_new (const char *op,
                          OknoEvent  *event)
{
  g_autoptr(JsonObject) payload = json_object_new ();
  g_autofree char *key = NULL;
  g_autofree char *nonce = NULL;
  JsonObject *data;

  g_return_val_if_fail (op != NULL, NULL);
  g_return_val_if_fail (OKNO_IS_EVENT (event), NULL);

  nonce = g_strdup_printf ("%08x", g_random_int ());
  key = g_strdup_printf ("slot.%s.%s.%" G_GINT64_FORMAT ".%s", okno_event_get_id (event), op,
                         g_get_real_time (), nonce);
  data = okno_event_to_json (event);
  json_object_remove_member (data, "updated");
  json_object_set_string_member (payload, "op", op);
  json_object_set_string_member (payload, "eventId", okno_event_get_id (event));
  json_object_set_object_member (payload, "event", data);

  return okno_outbox_item_new (key, OKNO_SLOT_WRITE_KIND, payload);
}

/* The outbox lane of a slot write: its event, the one booking changes of
 * that slot use too. */
const char *
okno_slot_write_item_get_lane (JsonObject *item)
{
  JsonNode *payload = json_object_get_member (item, "payload");

  if (payload == NULL || !JSON_NODE_HOLDS_OBJECT (payload))
    return "";
  return json_object_get_string_member_with_default (json_node_get_object (payload), "eventId", "");
}

/**
 * okno_slot_write_stage_pending:
 *
 * Stages on @calendar, in journal order, every slot write still waiting in
 * @ledger's outbox (at start, after a crash or a quit while Google was
 * away), so that the page and the week show them before they are sent.
 */
void
okno_slot_write_stage_pending (OknoLedger   *ledger,
                               OknoCalendar *calendar)
{
  g_autoptr(GPtrArray) items = NULL;

  g_return_if_fail (OKNO_IS_LEDGER (ledger));
  g_return_if_fail (OKNO_IS_CALENDAR (calendar));

  items = okno_ledger_dup_outbox (ledger);
  for (guint i = 0; i < items->len; i++)
    {
      JsonObject *item = g_ptr_array_index (items, i);
      JsonObject *payload = json_object_get_object_member (item, "payload");
      JsonNode *data = payload ? json_object_get_member (payload, "event") : NULL;
      const char *event_id = payload ? json_object_get_string_member_with_default (payload, "eventId", NULL) : NULL;
      const char *op = payload ? json_object_get_string_member_with_default (payload, "op", "") : "";
      g_autoptr(OknoEvent) event = NULL;

      if (g_strcmp0 (json_object_get_string_member (item, "kind"), OKNO_SLOT_WRITE_KIND) != 0 ||
          event_id == NULL || data == NULL || !JSON_NODE_HOLDS_OBJECT (data) ||
          !(event = okno_event_new_from_json (json_node_get_object (data), NULL)))
        continue;
      okno_calendar_stage_event (calendar, event_id, g_str_equal (op, "delete") ? NULL : event);
    }
}

/**
 * okno_slot_write_count_pending:
 *
 * How many changes wait to reach the calendar: slot writes, bookings'
 * calendar changes and the copies made on connecting Google. This is the
 * "pending" of /api/status, `okno-server google status` and the window.
 */
guint
okno_slot_write_count_pending (OknoLedger *ledger)
{
  static const char * const kinds[] = { OKNO_SLOT_WRITE_KIND, "calendar", "google-copy" };
  g_autoptr(GPtrArray) items = NULL;
  guint n = 0;

  g_return_val_if_fail (OKNO_IS_LEDGER (ledger), 0);

  items = okno_ledger_dup_outbox (ledger);
  for (guint i = 0; i < items->len; i++)
    {
      const char *kind = json_object_get_string_member (g_ptr_array_index (items, i), "kind");

      for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
        if (g_strcmp0 (kind, kinds[k]) == 0)
          {
            n++;
            break;
          }
    }
  return n;
}
