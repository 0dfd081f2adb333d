/* okno-google-copy-sink.c
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "OknoGoogleCopySink"

#include "config.h"

#include <glib/gi18n.h>

#include "okno-errors.h"
#include "okno-google-copy-sink.h"

/* Carries out the outbox items of kind "google-copy": the slots and booked
 * sessions that were in the local calendar when Olga connected Google, each
 * {"event": Event} with the local event's id. The insert carries that id,
 * so a repeat (a second connect, a retry after a lost answer) meets 409 and
 * counts as done: nothing is copied twice. */

struct _OknoGoogleCopySink
{
  GObject       parent_instance;

  OknoCalendar *calendar;
};

static void sink_iface_init (OknoNotifySinkInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (OknoGoogleCopySink, okno_google_copy_sink, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (OKNO_TYPE_NOTIFY_SINK, sink_iface_init))

static void
inserted_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(OknoEvent) event = NULL;
  g_autoptr(GError) error = NULL;

  event = okno_calendar_insert_event_finish (OKNO_CALENDAR (object), result, &error);
  if (event != NULL || g_error_matches (error, OKNO_CALENDAR_ERROR, OKNO_CALENDAR_ERROR_CONFLICT))
    g_task_return_int (task, OKNO_NOTIFY_SINK_OK);
  else if (g_error_matches (error, OKNO_CALENDAR_ERROR, OKNO_CALENDAR_ERROR_INVALID) ||
           g_error_matches (error, OKNO_CALENDAR_ERROR, OKNO_CALENDAR_ERROR_FORBIDDEN) ||
           g_error_matches (error, OKNO_CALENDAR_ERROR, OKNO_CALENDAR_ERROR_NOT_FOUND))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_int (task, OKNO_NOTIFY_SINK_RETRY);
}

static void
okno_google_copy_sink_deliver_async (OknoNotifySink      *sink,
                                     const char          *kind,
                                     const char          *key,
                                     JsonObject          *payload,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  OknoGoogleCopySink *self = OKNO_GOOGLE_COPY_SINK (sink);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(OknoEvent) event = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *data = json_object_get_object_member (payload, "event");

  g_task_set_source_tag (task, okno_google_copy_sink_deliver_async);

  if (data == NULL || !(event = okno_event_new_from_json (data, &error)))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                               _("an event to copy into Google Calendar cannot be read: %s"),
                               error ? error->message : "no event");
      return;
    }
  okno_calendar_insert_event_async (self->calendar, event, cancellable, inserted_cb, g_steal_pointer (&task));
}

static OknoNotifySinkResult
okno_google_copy_sink_deliver_finish (OknoNotifySink  *sink,
                                      GAsyncResult    *result,
                                      GTimeSpan       *retry_after,
                                      GError         **error)
{
  g_autoptr(GError) local_error = NULL;
  gssize answer = g_task_propagate_int (G_TASK (result), &local_error);

  if (local_error == NULL)
    return (OknoNotifySinkResult) answer;
  if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return OKNO_NOTIFY_SINK_RETRY;
    }
  g_propagate_error (error, g_steal_pointer (&local_error));
  return OKNO_NOTIFY_SINK_PERMANENT;
}

static void
sink_iface_init (OknoNotifySinkInterface *iface)
{
  iface->deliver_async = okno_google_copy_sink_deliver_async;
  iface->deliver_finish = okno_google_copy_sink_deliver_finish;
}

static void
okno_google_copy_sink_dispose (GObject *object)
{
  OknoGoogleCopySink *self = (OknoGoogleCopySink *) object;

  g_clear_object (&self->calendar);

  G_OBJECT_CLASS (okno_google_copy_sink_parent_class)->dispose (object);
}

static void
okno_google_copy_sink_class_init (OknoGoogleCopySinkClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = okno_google_copy_sink_dispose;
}

static void
okno_google_copy_sink_init (OknoGoogleCopySink *self)
{
}

OknoGoogleCopySink *
okno_google_copy_sink_new (OknoCalendar *calendar)
{
  OknoGoogleCopySink *self;

  g_return_val_if_fail (OKNO_IS_CALENDAR (calendar), NULL);

  self = g_object_new (OKNO_TYPE_GOOGLE_COPY_SINK, NULL);
  self->calendar = g_object_ref (calendar);
  return self;
}
