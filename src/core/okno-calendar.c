/* okno-calendar.c
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "OknoCalendar"

#include "config.h"

#include "okno-calendar.h"

G_DEFINE_INTERFACE (OknoCalendar, okno_calendar, G_TYPE_OBJECT)

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
  g_return_val_if_fail (OKNO_IS_CALENDAR (self), NULL);
  g_return_val_if_fail (start != NULL && end != NULL, NULL);

  return OKNO_CALENDAR_GET_IFACE (self)->list_events (self, start, end);
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
  g_return_val_if_fail (OKNO_IS_CALENDAR (self), NULL);

  if (event_id == NULL)
    return NULL;

  return OKNO_CALENDAR_GET_IFACE (self)->lookup_event (self, event_id);
}

/* "local", "online", "offline", "error": shown in the UI and /api/status. */
const char *
okno_calendar_get_state (OknoCalendar *self)
{
  g_return_val_if_fail (OKNO_IS_CALENDAR (self), NULL);
  return OKNO_CALENDAR_GET_IFACE (self)->get_state (self);
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

  OKNO_CALENDAR_GET_IFACE (self)->insert_event_async (self, event, cancellable, callback, user_data);
}

/**
 * okno_calendar_insert_event_finish:
 *
 * Returns: (transfer full): the event as stored, with its id and etag
 */
OknoEvent *
okno_calendar_insert_event_finish (OknoCalendar  *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (OKNO_IS_CALENDAR (self), NULL);
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

  OKNO_CALENDAR_GET_IFACE (self)->delete_event_async (self, event_id, etag, cancellable, callback, user_data);
}

gboolean
okno_calendar_delete_event_finish (OknoCalendar  *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (OKNO_IS_CALENDAR (self), FALSE);
  return OKNO_CALENDAR_GET_IFACE (self)->delete_event_finish (self, result, error);
}

void
okno_calendar_emit_changed (OknoCalendar *self)
{
  g_return_if_fail (OKNO_IS_CALENDAR (self));
  g_signal_emit (self, signals [CHANGED], 0);
}

/* Synchronous forms, for the command line and tests: they run the thread's
 * default main context until the operation finishes. Never call them from
 * the window or the server, which must not block their main loop. */

typedef struct
{
  gboolean      done;
  GAsyncResult *result;
} SyncWait;

static void
sync_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  SyncWait *wait = user_data;

  wait->result = g_object_ref (result);
  wait->done = TRUE;
}

static GAsyncResult *
sync_wait (SyncWait *wait)
{
  while (!wait->done)
    g_main_context_iteration (NULL, TRUE);
  return wait->result;
}

OknoEvent *
okno_calendar_insert_event_sync (OknoCalendar  *self,
                                 OknoEvent     *event,
                                 GError       **error)
{
  SyncWait wait = { 0 };
  g_autoptr(GAsyncResult) result = NULL;

  okno_calendar_insert_event_async (self, event, NULL, sync_done_cb, &wait);
  result = sync_wait (&wait);
  return okno_calendar_insert_event_finish (self, result, error);
}

OknoEvent *
okno_calendar_update_event_sync (OknoCalendar  *self,
                                 OknoEvent     *event,
                                 GError       **error)
{
  SyncWait wait = { 0 };
  g_autoptr(GAsyncResult) result = NULL;

  okno_calendar_update_event_async (self, event, NULL, sync_done_cb, &wait);
  result = sync_wait (&wait);
  return okno_calendar_update_event_finish (self, result, error);
}

gboolean
okno_calendar_delete_event_sync (OknoCalendar  *self,
                                 const char    *event_id,
                                 const char    *etag,
                                 GError       **error)
{
  SyncWait wait = { 0 };
  g_autoptr(GAsyncResult) result = NULL;

  okno_calendar_delete_event_async (self, event_id, etag, NULL, sync_done_cb, &wait);
  result = sync_wait (&wait);
  return okno_calendar_delete_event_finish (self, result, error);
}
