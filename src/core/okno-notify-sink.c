/* okno-notify-sink.c
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "OknoNotifySink"

#include "config.h"

#include "okno-notify-sink.h"

G_DEFINE_INTERFACE (OknoNotifySink, okno_notify_sink, G_TYPE_OBJECT)

static void
okno_notify_sink_default_init (OknoNotifySinkInterface *iface)
{
}

void
okno_notify_sink_deliver_async (OknoNotifySink      *self,
                                const char          *kind,
                                const char          *key,
                                JsonObject          *payload,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_return_if_fail (OKNO_IS_NOTIFY_SINK (self));
  g_return_if_fail (kind != NULL && key != NULL && payload != NULL);

  OKNO_NOTIFY_SINK_GET_IFACE (self)->deliver_async (self, kind, key, payload, cancellable,
                                                    callback, user_data);
}

OknoNotifySinkResult
okno_notify_sink_deliver_finish (OknoNotifySink  *self,
                                 GAsyncResult    *result,
                                 GTimeSpan       *retry_after,
                                 GError         **error)
{
  GTimeSpan after = 0;
  OknoNotifySinkResult answer;

  g_return_val_if_fail (OKNO_IS_NOTIFY_SINK (self), OKNO_NOTIFY_SINK_RETRY);

  answer = OKNO_NOTIFY_SINK_GET_IFACE (self)->deliver_finish (self, result, &after, error);
  if (retry_after)
    *retry_after = after;
  return answer;
}
