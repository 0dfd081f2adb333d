/* okno-telegram-sink.c
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "OknoTelegramSink"

#include "config.h"

#include "okno-telegram-sink.h"

/* The outbox's "telegram" sink: each booking's and client cancellation's
 * outbox item becomes one message in Olga's chat (times in her zone),
 * through okno_telegram_deliver_async(), which knows the Bot API's retry
 * and permanent errors. */
struct _OknoTelegramSink
{
  GObject       parent_instance;

  OknoTelegram *telegram;
  OknoSchedule *schedule;
};

static void sink_iface_init (OknoNotifySinkInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (OknoTelegramSink, okno_telegram_sink, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (OKNO_TYPE_NOTIFY_SINK, sink_iface_init))

static void
delivered_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  GTimeSpan retry_after = 0;
  OknoTelegramDelivery delivery = okno_telegram_deliver_finish (OKNO_TELEGRAM (object), result,
                                                                &retry_after, &error);
  GTimeSpan *after = g_new (GTimeSpan, 1);

  *after = retry_after;
  g_task_set_task_data (task, after, g_free);
  switch (delivery)
    {
    case OKNO_TELEGRAM_DELIVERED:
      g_task_return_int (task, OKNO_NOTIFY_SINK_OK);
      break;
    case OKNO_TELEGRAM_RETRY:
      g_debug ("Telegram, again later: %s", error ? error->message : "");
      g_task_return_int (task, OKNO_NOTIFY_SINK_RETRY);
      break;
    case OKNO_TELEGRAM_PERMANENT:
    default:
      if (error != NULL)
        g_task_return_error (task, g_steal_pointer (&error));
      else
        g_task_return_int (task, OKNO_NOTIFY_SINK_PERMANENT);
      break;
    }
}

static void
okno_telegram_sink_deliver_async (OknoNotifySink      *sink,
                                  const char          *kind,
                                  const char          *key,
                                  JsonObject          *payload,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  OknoTelegramSink *self = OKNO_TELEGRAM_SINK (sink);
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, okno_telegram_sink_deliver_async);
  okno_telegram_deliver_async (self->telegram, key, payload, okno_schedule_get_time_zone (self->schedule),
                               cancellable, delivered_cb, task);
}

static OknoNotifySinkResult
okno_telegram_sink_deliver_finish (OknoNotifySink  *sink,
                                   GAsyncResult    *result,
                                   GTimeSpan       *retry_after,
                                   GError         **error)
{
  GTimeSpan *after = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) local_error = NULL;
  gssize answer;

  if (retry_after != NULL)
    *retry_after = after ? *after : 0;
  answer = g_task_propagate_int (G_TASK (result), &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return OKNO_NOTIFY_SINK_PERMANENT;
    }
  return (OknoNotifySinkResult) answer;
}

static void
sink_iface_init (OknoNotifySinkInterface *iface)
{
  iface->deliver_async = okno_telegram_sink_deliver_async;
  iface->deliver_finish = okno_telegram_sink_deliver_finish;
}

static void
okno_telegram_sink_dispose (GObject *object)
{
  OknoTelegramSink *self = (OknoTelegramSink *) object;

  g_clear_object (&self->telegram);
  g_clear_object (&self->schedule);

  G_OBJECT_CLASS (okno_telegram_sink_parent_class)->dispose (object);
}

static void
okno_telegram_sink_class_init (OknoTelegramSinkClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = okno_telegram_sink_dispose;
}

static void
okno_telegram_sink_init (OknoTelegramSink *self)
{
}

OknoTelegramSink *
okno_telegram_sink_new (OknoTelegram *telegram,
                        OknoSchedule *schedule)
{
  OknoTelegramSink *self;

  g_return_val_if_fail (OKNO_IS_TELEGRAM (telegram), NULL);
  g_return_val_if_fail (OKNO_IS_SCHEDULE (schedule), NULL);

  self = g_object_new (OKNO_TYPE_TELEGRAM_SINK, NULL);
  self->telegram = g_object_ref (telegram);
  self->schedule = g_object_ref (schedule);
  return self;
}
