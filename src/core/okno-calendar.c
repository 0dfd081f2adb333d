/* okno-calendar.c
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "OknoCalendar"

#include "config.h"

#include "okno-calendar.h"
#include "okno-errors.h"
#include "okno-token.h"

G_DEFINE_INTERFACE (OknoCalendar, okno_calendar, G_TYPE_OBJECT)

/* Changes accepted but not yet in the backend (okno_calendar_stage_event()):
 * reads show them on top of what the backend holds. */
typedef struct
{
  OknoEvent *event;   /* the state to show; NULL: deleted */
  guint      count;   /* changes of this event still on their way */
} Staged;

static void
staged_free (Staged *change)
{
  g_clear_object (&change->event);
  g_free (change);
}

static GHashTable *
get_staged (OknoCalendar *self)
{
  return g_object_get_data (G_OBJECT (self), "okno-calendar-staged");
}

/* Puts the staged changes into @events, the backend's answer for
 * [@start, @end), and keeps it in order. */
static void
overlay_staged (GHashTable *staged,
                GPtrArray  *events,
                GDateTime  *start,
                GDateTime  *end)
{
  GHashTableIter iter;
  gpointer value;
  guint i = 0;

  while (i < events->len)
    {
      if (g_hash_table_contains (staged, okno_event_get_id (g_ptr_array_index (events, i))))
        g_ptr_array_remove_index (events, i);
      else
        i++;
    }

  g_hash_table_iter_init (&iter, staged);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Staged *change = value;

      if (change->event != NULL &&
          g_date_time_compare (okno_event_get_start (change->event), end) < 0 &&
          g_date_time_compare (okno_event_get_end (change->event), start) > 0)
        g_ptr_array_add (events, g_object_ref (change->event));
    }
  g_ptr_array_sort (events, okno_event_compare);
}


GType
okno_calendar_state_get_type (void)
{
  static gsize type = 0;
  static const GEnumValue values[] = {
    { OKNO_CALENDAR_STATE_LOCAL, "OKNO_CALENDAR_STATE_LOCAL", "local" },
    { OKNO_CALENDAR_STATE_SYNCED, "OKNO_CALENDAR_STATE_SYNCED", "synced" },
    { OKNO_CALENDAR_STATE_SYNCING, "OKNO_CALENDAR_STATE_SYNCING", "syncing" },
    { OKNO_CALENDAR_STATE_OFFLINE, "OKNO_CALENDAR_STATE_OFFLINE", "offline" },
    { OKNO_CALENDAR_STATE_RECONNECT, "OKNO_CALENDAR_STATE_RECONNECT", "reconnect" },
    { 0, NULL, NULL }
  };

  if (g_once_init_enter (&type))
    g_once_init_leave (&type, g_enum_register_static (g_intern_static_string ("OknoCalendarState"), values));

  return type;
}

/* The state's name on the wire: "local", "synced", "syncing", "offline"
 * or "reconnect". */
const char *
okno_calendar_state_to_string (OknoCalendarState state)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (OKNO_TYPE_CALENDAR_STATE);
  GEnumValue *value = g_enum_get_value (klass, state);

  return value != NULL ? value->value_nick : "local";
}

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals [N_SIGNALS];

static void
okno_calendar_default_init (OknoCalendarInterface *iface)
{
  /**
   * OknoCalendar::changed:
   *
   * Events were added, changed or removed.
   */
  signals [CHANGED] =
    g_signal_new ("changed",
                  G_TYPE_FROM_INTERFACE (iface),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  /**
   * OknoCalendar:state:
   *
   * Where the backend's copy stands (#OknoCalendarState); notifies on
   * change. Every implementation overrides it.
   */
  g_object_interface_install_property (iface,
                                       g_param_spec_enum ("state", NULL, NULL,
                                                          OKNO_TYPE_CALENDAR_STATE,
                                                          OKNO_CALENDAR_STATE_LOCAL,
                                                          (G_PARAM_READABLE |
                                                           G_PARAM_EXPLICIT_NOTIFY |
                                                           G_PARAM_STATIC_STRINGS)));
}

/**
 * okno_calendar_list_events:
 *
 * Returns: (transfer container): the events that overlap [@start, @end),
 *   sorted by start, cancelled ones left out
 */
GPtrArray *
okno_calendar_list_events (OknoCalendar *self,
                           GDateTime    *start,
                           GDateTime    *end)
{
  GHashTable *staged;
  GPtrArray *events;

  g_return_val_if_fail (OKNO_IS_CALENDAR (self), NULL);
  g_return_val_if_fail (start != NULL && end != NULL, NULL);

  events = OKNO_CALENDAR_GET_IFACE (self)->list_events (self, start, end);
  if ((staged = get_staged (self)) != NULL && g_hash_table_size (staged) > 0)
    overlay_staged (staged, events, start, end);
  return events;
}

/**
 * okno_calendar_lookup_event:
 *
 * Returns: (transfer none) (nullable): the event, unless unknown or cancelled
 */
OknoEvent *
okno_calendar_lookup_event (OknoCalendar *self,
                            const char   *event_id)
{
  GHashTable *staged;
  Staged *change;
  OknoEvent *event;

  g_return_val_if_fail (OKNO_IS_CALENDAR (self), NULL);

  if (event_id == NULL)
    return NULL;

  event = OKNO_CALENDAR_GET_IFACE (self)->lookup_event (self, event_id);
  if ((staged = get_staged (self)) != NULL && (change = g_hash_table_lookup (staged, event_id)) != NULL)
    {
      /* The change's copy carries the etag the calendar last gave, so a
       * change made on top of it says which version it replaces. */
      if (change->event != NULL && event != NULL &&
          g_strcmp0 (okno_event_get_etag (change->event), okno_event_get_etag (event)) != 0)
        okno_event_set_etag (change->event, okno_event_get_etag (event));
      return change->event;
    }
  return event;
}

OknoCalendarState
okno_calendar_get_state (OknoCalendar *self)
{
  g_return_val_if_fail (OKNO_IS_CALENDAR (self), OKNO_CALENDAR_STATE_LOCAL);
  return OKNO_CALENDAR_GET_IFACE (self)->get_state (self);
}

/* The state as the window and /api/status name it. */
const char *
okno_calendar_get_state_name (OknoCalendar *self)
{
  g_return_val_if_fail (OKNO_IS_CALENDAR (self), NULL);
  return okno_calendar_state_to_string (okno_calendar_get_state (self));
}

GDateTime *
okno_calendar_get_last_sync (OknoCalendar *self)
{
  g_return_val_if_fail (OKNO_IS_CALENDAR (self), NULL);
  return OKNO_CALENDAR_GET_IFACE (self)->get_last_sync (self);
}

void
okno_calendar_insert_event_async (OknoCalendar        *self,
                                  OknoEvent           *event,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_return_if_fail (OKNO_IS_CALENDAR (self));
  g_return_if_fail (OKNO_IS_EVENT (event));

  if (!okno_event_id_is_valid (okno_event_get_id (event)))
    {
      g_task_report_new_error (self, callback, user_data, okno_calendar_insert_event_async,
                               OKNO_CALENDAR_ERROR, OKNO_CALENDAR_ERROR_INVALID,
                               "A new event needs an id of 5–1024 characters a–v, 0–9");
      return;
    }

  OKNO_CALENDAR_GET_IFACE (self)->insert_event_async (self, event, cancellable, callback, user_data);
}

/**
 * okno_calendar_insert_event_finish:
 *
 * Returns: (transfer full): the event as stored, with its etag
 */
OknoEvent *
okno_calendar_insert_event_finish (OknoCalendar  *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (OKNO_IS_CALENDAR (self), NULL);

  if (g_async_result_is_tagged (result, okno_calendar_insert_event_async))
    return g_task_propagate_pointer (G_TASK (result), error);

  return OKNO_CALENDAR_GET_IFACE (self)->insert_event_finish (self, result, error);
}

/* Replaces the stored event with @event if @event's etag is current (an
 * event without an etag overwrites unconditionally). */
void
okno_calendar_update_event_async (OknoCalendar        *self,
                                  OknoEvent           *event,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_return_if_fail (OKNO_IS_CALENDAR (self));
  g_return_if_fail (OKNO_IS_EVENT (event));

  OKNO_CALENDAR_GET_IFACE (self)->update_event_async (self, event, cancellable, callback, user_data);
}

OknoEvent *
okno_calendar_update_event_finish (OknoCalendar  *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (OKNO_IS_CALENDAR (self), NULL);
  return OKNO_CALENDAR_GET_IFACE (self)->update_event_finish (self, result, error);
}

/* Deletes the event if @etag (required: the one the caller last saw) is
 * still current; otherwise fails with %OKNO_CALENDAR_ERROR_CONFLICT. */
void
okno_calendar_delete_event_async (OknoCalendar        *self,
                                  const char          *event_id,
                                  const char          *etag,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_return_if_fail (OKNO_IS_CALENDAR (self));
  g_return_if_fail (event_id != NULL);

  if (etag == NULL)
    {
      g_task_report_new_error (self, callback, user_data, okno_calendar_delete_event_async,
                               OKNO_CALENDAR_ERROR, OKNO_CALENDAR_ERROR_INVALID,
                               "A delete needs the etag its caller last saw");
      return;
    }

  OKNO_CALENDAR_GET_IFACE (self)->delete_event_async (self, event_id, etag, cancellable, callback, user_data);
}

gboolean
okno_calendar_delete_event_finish (OknoCalendar  *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (OKNO_IS_CALENDAR (self), FALSE);

  if (g_async_result_is_tagged (result, okno_calendar_delete_event_async))
    return g_task_propagate_boolean (G_TASK (result), error);

  return OKNO_CALENDAR_GET_IFACE (self)->delete_event_finish (self, result, error);
}

static void
refresh_async_default (OknoCalendar        *self,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, refresh_async_default);
  g_task_return_boolean (task, TRUE);
}

/* Asks the backend to bring its copy up to date (a remote one syncs; the
 * local one has nothing to do and succeeds). */
void
okno_calendar_refresh_async (OknoCalendar        *self,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  OknoCalendarInterface *iface;

  g_return_if_fail (OKNO_IS_CALENDAR (self));

  iface = OKNO_CALENDAR_GET_IFACE (self);
  if (iface->refresh_async == NULL)
    refresh_async_default (self, cancellable, callback, user_data);
  else
    iface->refresh_async (self, cancellable, callback, user_data);
}

gboolean
okno_calendar_refresh_finish (OknoCalendar  *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (OKNO_IS_CALENDAR (self), FALSE);

  if (g_async_result_is_tagged (result, refresh_async_default))
    return g_task_propagate_boolean (G_TASK (result), error);

  return OKNO_CALENDAR_GET_IFACE (self)->refresh_finish (self, result, error);
}

void
okno_calendar_emit_changed (OknoCalendar *self)
{
  g_return_if_fail (OKNO_IS_CALENDAR (self));
  g_signal_emit (self, signals [CHANGED], 0);
}

/* For implementations: their state changed. */
void
okno_calendar_notify_state (OknoCalendar *self)
{
  g_return_if_fail (OKNO_IS_CALENDAR (self));
  g_object_notify (G_OBJECT (self), "state");
}

/**
 * okno_calendar_stage_event:
 * @event_id: the event's id
 * @event: (nullable): the event as it is to read, or %NULL when it is
 *   being deleted
 *
 * Shows a change that is durable but not yet in the backend (a slot
 * write waiting in the outbox for Google): from now on the reads of this
 * calendar (okno_calendar_lookup_event(), okno_calendar_list_events())
 * show @event instead of the backend's copy, until each staged change of
 * this event has been unstaged. Emits ::changed.
 */
void
okno_calendar_stage_event (OknoCalendar *self,
                           const char   *event_id,
                           OknoEvent    *event)
{
  GHashTable *staged;
  Staged *change;

  g_return_if_fail (OKNO_IS_CALENDAR (self));
  g_return_if_fail (event_id != NULL);
  g_return_if_fail (event == NULL || OKNO_IS_EVENT (event));

  if ((staged = get_staged (self)) == NULL)
    {
      staged = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) staged_free);
      g_object_set_data_full (G_OBJECT (self), "okno-calendar-staged", staged,
                              (GDestroyNotify) g_hash_table_unref);
    }
  if ((change = g_hash_table_lookup (staged, event_id)) == NULL)
    {
      change = g_new0 (Staged, 1);
      g_hash_table_insert (staged, g_strdup (event_id), change);
    }
  change->count++;
  g_clear_object (&change->event);
  if (event != NULL)
    change->event = okno_event_copy (event);
  okno_calendar_emit_changed (self);
}

/**
 * okno_calendar_unstage_event:
 *
 * One staged change of @event_id has reached the backend (or was refused
 * for good): once none is left, reads show the backend's copy again.
 */
void
okno_calendar_unstage_event (OknoCalendar *self,
                             const char   *event_id)
{
  GHashTable *staged;
  Staged *change;

  g_return_if_fail (OKNO_IS_CALENDAR (self));
  g_return_if_fail (event_id != NULL);

  if ((staged = get_staged (self)) == NULL || (change = g_hash_table_lookup (staged, event_id)) == NULL)
    return;
  if (--change->count == 0)
    g_hash_table_remove (staged, event_id);
  okno_calendar_emit_changed (self);
}

/* How many events show a staged change. */
guint
okno_calendar_get_n_staged (OknoCalendar *self)
{
  GHashTable *staged;

  g_return_val_if_fail (OKNO_IS_CALENDAR (self), 0);
  staged = get_staged (self);
  return staged ? g_hash_table_size (staged) : 0;
}

/**
 * okno_calendar_lookup_stored_event:
 *
 * Like okno_calendar_lookup_event(), without the staged changes: the
 * event as the backend holds it (for the one who sends those changes).
 *
 * Returns: (transfer none) (nullable): the event
 */
OknoEvent *
okno_calendar_lookup_stored_event (OknoCalendar *self,
                                   const char   *event_id)
{
  g_return_val_if_fail (OKNO_IS_CALENDAR (self), NULL);

  if (event_id == NULL)
    return NULL;
  return OKNO_CALENDAR_GET_IFACE (self)->lookup_event (self, event_id);
}
