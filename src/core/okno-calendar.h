/* okno-calendar.h
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "okno-event.h"

G_BEGIN_DECLS

#define OKNO_TYPE_CALENDAR (okno_calendar_get_type ())
G_DECLARE_INTERFACE (OknoCalendar, okno_calendar, OKNO, CALENDAR, GObject)

/* The one interface every calendar backend (local, Google) implements. It
 * lives in core so that the booking rules can use a calendar without
 * knowing which; the backends live in src/calendar.
 *
 * Reads are synchronous and come from memory (the backend's cache); writes
 * are asynchronous and finish once the change is durable. ::changed is
 * emitted after any change, whoever made it. */
struct _OknoCalendarInterface
{
  GTypeInterface parent_iface;

  GPtrArray  *(*list_events)         (OknoCalendar         *self,
                                      GDateTime            *start,
                                      GDateTime            *end);
  OknoEvent  *(*lookup_event)        (OknoCalendar         *self,
                                      const char           *event_id);
  const char *(*get_state)           (OknoCalendar         *self);
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
};

GPtrArray  *okno_calendar_list_events         (OknoCalendar         *self,
                                               GDateTime            *start,
                                               GDateTime            *end);
OknoEvent  *okno_calendar_lookup_event        (OknoCalendar         *self,
                                               const char           *event_id);
const char *okno_calendar_get_state           (OknoCalendar         *self);
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
void        okno_calendar_emit_changed        (OknoCalendar         *self);

OknoEvent  *okno_calendar_insert_event_sync   (OknoCalendar         *self,
                                               OknoEvent            *event,
                                               GError              **error);
OknoEvent  *okno_calendar_update_event_sync   (OknoCalendar         *self,
                                               OknoEvent            *event,
                                               GError              **error);
gboolean    okno_calendar_delete_event_sync   (OknoCalendar         *self,
                                               const char           *event_id,
                                               const char           *etag,
                                               GError              **error);

G_END_DECLS
