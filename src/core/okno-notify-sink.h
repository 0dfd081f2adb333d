/* okno-notify-sink.h
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define OKNO_TYPE_NOTIFY_SINK (okno_notify_sink_get_type ())
G_DECLARE_INTERFACE (OknoNotifySink, okno_notify_sink, OKNO, NOTIFY_SINK, GObject)

/* How a delivery went. */
typedef enum
{
  OKNO_NOTIFY_SINK_OK,         /* delivered (or a repeat the receiver dropped) */
  OKNO_NOTIFY_SINK_RETRY,      /* try again later, after *retry_after if set */
  OKNO_NOTIFY_SINK_PERMANENT,  /* will never work: becomes an attention item */
} OknoNotifySinkResult;

/* Where the outbox sends a notification of one kind ("desktop",
 * "telegram", "email"). The app implements it for desktop notifications,
 * src/notify for the rest; the outbox (core) calls it.
 *
 * deliver_async() gets the outbox item's kind, its key (the same for every
 * repeat of this item: delivery is at least once, so a receiver that can
 * should drop a repeat by key) and its payload:
 *   {"event": "booked" | "cancelled", "byOwner": bool,
 *    "booking": {"id", "slotId", "start", "end", "status", "sessionType"?,
 *                "name", "email"?, "phone"?, "telegram"?, "note"?, "timeZone"?}}
 * deliver_finish() answers OK, RETRY (with *retry_after in microseconds,
 * 0 for the outbox's own backoff) or PERMANENT (with @error saying why, in
 * words for Olga). */
struct _OknoNotifySinkInterface
{
  GTypeInterface parent_iface;

  void                 (*deliver_async)  (OknoNotifySink       *self,
                                          const char           *kind,
                                          const char           *key,
                                          JsonObject           *payload,
                                          GCancellable         *cancellable,
                                          GAsyncReadyCallback   callback,
                                          gpointer              user_data);
  OknoNotifySinkResult (*deliver_finish) (OknoNotifySink       *self,
                                          GAsyncResult         *result,
                                          GTimeSpan            *retry_after,
                                          GError              **error);
};

void                 okno_notify_sink_deliver_async  (OknoNotifySink       *self,
                                                      const char           *kind,
                                                      const char           *key,
                                                      JsonObject           *payload,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
OknoNotifySinkResult okno_notify_sink_deliver_finish (OknoNotifySink       *self,
                                                      GAsyncResult         *result,
                                                      GTimeSpan            *retry_after,
                                                      GError              **error);

G_END_DECLS
