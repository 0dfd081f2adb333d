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

/* The notification kinds: each is one recipient (one outbox lane: items
 * of a kind go out one at a time, oldest first). */
#define OKNO_NOTIFY_KIND_DESKTOP      "desktop"       /* Olga, the window */
#define OKNO_NOTIFY_KIND_TELEGRAM     "telegram"      /* Olga's chat */
#define OKNO_NOTIFY_KIND_EMAIL        "email"         /* Olga's mailbox (the Google account) */
#define OKNO_NOTIFY_KIND_CLIENT_EMAIL "client-email"  /* the client, when they left an email */

/* Where the outbox sends a notification of one kind (above). The app
 * implements it for desktop notifications, src/notify for the rest; the
 * outbox (core) calls it.
 *
 * deliver_async() gets the outbox item's kind, its key (the same for every
 * repeat of this item: delivery is at least once, so a receiver that can
 * should drop a repeat by key) and its payload:
 *   {"event": "booked" | "cancelled", "byOwner": bool,
 *    "cancelToken"?: (client-email "booked" only: for the cancel link),
 *    "booking": {"id", "slotId", "start", "end", "status", "sessionType"?,
 *                "name", "email"?, "phone"?, "telegram"?, "note"?, "timeZone"?,
 *                "language"?}}
 * A "booked" item whose booking is no longer active when it is due is
 * dropped by the outbox without calling the sink (no stale confirmation);
 * the "cancelled" item still goes.
 *
 * Adding an event (such as "rescheduled") or a message (a waitlist offer):
 * write the item with its own "event" name and payload members, then add
 * one row per recipient to the sink's table: the email sink's is
 * `templates[]` in src/notify/okno-email-sink.c (event × recipient → a
 * function that fills subject, text and HTML; "booked", "cancelled",
 * "rescheduled" and the client's "reminder" have rows); Telegram's is in
 * okno-telegram.c. An event a sink has no row for fails for good (an
 * attention item says so), it is never sent half-made.
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
