/* okno-calendar.h
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "okno-event.h"

G_BEGIN_DECLS

/* Where a backend's copy of the calendar stands, as the window and
 * /api/status show it (the nick is the wire name):
 * @OKNO_CALENDAR_STATE_LOCAL: the embedded calendar, nothing to sync
 * @OKNO_CALENDAR_STATE_SYNCED: the last sync with the remote succeeded
 * @OKNO_CALENDAR_STATE_SYNCING: a sync is under way
 * @OKNO_CALENDAR_STATE_OFFLINE: the remote is unreachable; the cache serves
 * @OKNO_CALENDAR_STATE_RECONNECT: the remote refuses our credentials; Olga
 *   must connect the account again */
typedef enum
{
  OKNO_CALENDAR_STATE_LOCAL,
  OKNO_CALENDAR_STATE_SYNCED,
  OKNO_CALENDAR_STATE_SYNCING,
  OKNO_CALENDAR_STATE_OFFLINE,
  OKNO_CALENDAR_STATE_RECONNECT,
} OknoCalendarState;

#define OKNO_TYPE_CALENDAR_STATE (okno_calendar_state_get_type ())
GType       okno_calendar_state_get_type  (void) G_GNUC_CONST;
const char *okno_calendar_state_to_string (OknoCalendarState state);

#define OKNO_TYPE_CALENDAR (okno_calendar_get_type ())
G_DECLARE_INTERFACE (OknoCalendar, okno_calendar, OKNO, CALENDAR, GObject)

/* The one interface every calendar backend (local, Google) implements. It
 * lives in core so that the booking rules can use a calendar without
 * knowing which; the backends live in src/calendar.
 *
 * Reads are synchronous and come from memory (the backend's cache); writes
 * are asynchronous and finish once the change is durable. ::changed is
 * emitted after any change, whoever made it; :state (an
 * #OknoCalendarState, implementations override the property) notifies when
 * the backend's connection changes.
 *
 * Writes are replay-safe: an inserted event carries the id its caller chose
 * (okno_event_id_new(); a backend never invents one, and an insert of an id
 * that exists fails with %OKNO_CALENDAR_ERROR_CONFLICT); a delete always
 * carries the etag its caller last saw. Errors are in %OKNO_CALENDAR_ERROR:
 * OFFLINE and RATE_LIMITED are worth a retry, AUTH needs Olga, CONFLICT
 * means the event changed meanwhile, NOT_FOUND and GONE that it is not
 * there (GONE also: the backend's sync state expired and it resyncs). */
struct _OknoCalendarInterface
{
  GTypeInterface parent_iface;

  GPtrArray  *(*list_events)         (OknoCalendar         *self,
                                      GDateTime            *start,
                                      GDateTime            *end);
  OknoEvent  *(*lookup_event)        (OknoCalendar         *self,
                                      const char           *event_id);
  OknoCalendarState (*get_state)     (OknoCalendar         *self);
  GDateTime  *(*get_last_sync)       (OknoCalendar         *self);
  void        (*insert_event_async)  (OknoCalendar         *self,
                                      OknoEvent            *event,
                                      GCancellable         *cancellable,
                                      GAsyncReadyCallback   callback,
                                      gpointer              user_data);
  OknoEvent  *(*insert_event_finish) (OknoCalendar         *self,
                                      GAsyncResult         *result,
                                      GError              **error);
  void        (*update_event_async)  (OknoCalendar         *self,
                                      OknoEvent            *event,
                                      GCancellable         *cancellable,
                                      GAsyncReadyCallback   callback,
                                      gpointer              user_data);
  OknoEvent  *(*update_event_finish) (OknoCalendar         *self,
                                      GAsyncResult         *result,
                                      GError              **error);
  void        (*delete_event_async)  (OknoCalendar         *self,
                                      const char           *event_id,
                                      const char           *etag,
                                      GCancellable         *cancellable,
                                      GAsyncReadyCallback   callback,
                                      gpointer              user_data);
  gboolean    (*delete_event_finish) (OknoCalendar         *self,
                                      GAsyncResult         *result,
                                      GError              **error);
  void        (*refresh_async)       (OknoCalendar         *self,
                                      GCancellable         *cancellable,
                                      GAsyncReadyCallback   callback,
                                      gpointer              user_data);
  gboolean    (*refresh_finish)      (OknoCalendar         *self,
                                      GAsyncResult         *result,
                                      GError              **error);
};

GPtrArray  *okno_calendar_list_events         (OknoCalendar         *self,
                                               GDateTime            *start,
                                               GDateTime            *end);
OknoEvent  *okno_calendar_lookup_event        (OknoCalendar         *self,
                                               const char           *event_id);
OknoCalendarState okno_calendar_get_state    (OknoCalendar         *self);
const char *okno_calendar_get_state_name      (OknoCalendar         *self);
GDateTime  *okno_calendar_get_last_sync       (OknoCalendar         *self);
void        okno_calendar_insert_event_async  (OknoCalendar         *self,
                                               OknoEvent            *event,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
OknoEvent  *okno_calendar_insert_event_finish (OknoCalendar         *self,
                                               GAsyncResult         *result,
                                               GError              **error);
void        okno_calendar_update_event_async  (OknoCalendar         *self,
                                               OknoEvent            *event,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
OknoEvent  *okno_calendar_update_event_finish (OknoCalendar         *self,
                                               GAsyncResult         *result,
                                               GError              **error);
void        okno_calendar_delete_event_async  (OknoCalendar         *self,
                                               const char           *event_id,
                                               const char           *etag,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
gboolean    okno_calendar_delete_event_finish (OknoCalendar         *self,
                                               GAsyncResult         *result,
                                               GError              **error);
void        okno_calendar_refresh_async       (OknoCalendar         *self,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
gboolean    okno_calendar_refresh_finish      (OknoCalendar         *self,
                                               GAsyncResult         *result,
                                               GError              **error);
void        okno_calendar_emit_changed        (OknoCalendar         *self);
void        okno_calendar_notify_state        (OknoCalendar         *self);
void        okno_calendar_stage_event         (OknoCalendar         *self,
                                               const char           *event_id,
                                               OknoEvent            *event);
void        okno_calendar_unstage_event       (OknoCalendar         *self,
                                               const char           *event_id);
guint       okno_calendar_get_n_staged        (OknoCalendar         *self);
OknoEvent  *okno_calendar_lookup_stored_event (OknoCalendar         *self,
                                               const char           *event_id);


G_END_DECLS
