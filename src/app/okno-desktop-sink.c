/* okno-desktop-sink.c
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "OknoDesktopSink"

#include "config.h"

#include <glib/gi18n.h>

#include "okno-desktop-sink.h"
#include "okno-move-text.h"
#include "okno-event-tile.h"
#include "okno-waitlist.h"

/* Desktop notifications, fed by the outbox (kind "desktop"): «Новая запись:
 * Анна, ср 17:30». The notification's id is the outbox item's key, so a
 * repeat after a crash replaces the first instead of adding a second; a
 * move reads «Анна перенесла: вт 17:30 → чт 19:00». A
 * cancel Olga made herself needs no notification. */
struct _OknoDesktopSink
{
  GObject       parent_instance;

  GApplication *application;  /* weak */
  OknoSchedule *schedule;
};

static void sink_iface_init (OknoNotifySinkInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (OknoDesktopSink, okno_desktop_sink, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (OKNO_TYPE_NOTIFY_SINK, sink_iface_init))

/* Clicked, or its Show button: the window opens at the booking's week. */
static void
show_at_booking (GNotification *notification,
                 OknoBooking   *booking)
{
  g_autofree char *start = g_date_time_format_iso8601 (okno_booking_get_start (booking));

  g_notification_set_default_action_and_target (notification, "app.show-booking", "s", start);
  g_notification_add_button_with_target (notification, _("Show"), "app.show-booking", "s", start);
}

static void
okno_desktop_sink_deliver_async (OknoNotifySink      *sink,
                                 const char          *kind,
                                 const char          *key,
                                 JsonObject          *payload,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  OknoDesktopSink *self = OKNO_DESKTOP_SINK (sink);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(GNotification) notification = NULL;
  g_autoptr(OknoBooking) booking = NULL;
  g_autoptr(GDateTime) local = NULL;
  g_autofree char *when = NULL;
  g_autofree char *title = NULL;
  JsonObject *data = json_object_get_object_member (payload, "booking");
  const char *event = json_object_get_string_member_with_default (payload, "event", "");
  gboolean added = g_str_equal (event, "booked");
  const char *body;

  g_task_set_source_tag (task, okno_desktop_sink_deliver_async);

  /* A time opened; who on the waitlist Olga may call about it. */
  if (g_str_equal (event, "waitlist-contact") && self->application != NULL)
    {
      g_autofree char *text = okno_waitlist_format_contact_message (payload, okno_schedule_get_time_zone (self->schedule));

      if (text != NULL)
        {
          notification = g_notification_new (text);
          g_notification_set_default_action (notification, "app.activate");
          g_application_send_notification (self->application, key, notification);
        }
      g_task_return_int (task, OKNO_NOTIFY_SINK_OK);
      return;
    }

  if (data == NULL || !(booking = okno_booking_new_from_json (data, NULL)))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s",
                               _("the notification does not describe a booking"));
      return;
    }
  if (self->application == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CLOSED, "the window has closed");
      return;
    }
  if (!added && json_object_get_boolean_member_with_default (payload, "byOwner", FALSE))
    {
      g_task_return_int (task, OKNO_NOTIFY_SINK_OK);
      return;
    }

  /* «Анна перенесла: вт 17:30 → чт 19:00» */
  if (g_str_equal (event, "rescheduled"))
    {
      g_autofree char *moved = okno_move_text_new (payload, okno_schedule_get_time_zone (self->schedule));

      if (moved == NULL)
        {
          g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s",
                                   _("the notification does not describe a booking"));
          return;
        }
      notification = g_notification_new (moved);
      if (okno_booking_get_session_type (booking) != NULL)
        g_notification_set_body (notification, okno_booking_get_session_type (booking));
      show_at_booking (notification, booking);
      g_application_send_notification (self->application, key, notification);
      g_task_return_int (task, OKNO_NOTIFY_SINK_OK);
      return;
    }

  local = g_date_time_to_timezone (okno_booking_get_start (booking), okno_schedule_get_time_zone (self->schedule));
  /* Translators: when a booked session starts, in a notification; strftime format («ср 17:30») */
  when = okno_mid_sentence (g_date_time_format (local, _("%a %H:%M")));
  title = added ? g_strdup_printf (_("New booking: %s, %s"), okno_booking_get_name (booking), when)
                : g_strdup_printf (_("Booking cancelled: %s, %s"), okno_booking_get_name (booking), when);
  body = added ? okno_booking_get_session_type (booking) : _("The slot is open again.");

  notification = g_notification_new (title);
  if (body != NULL && body[0] != '\0')
    g_notification_set_body (notification, body);
  show_at_booking (notification, booking);
  g_application_send_notification (self->application, key, notification);

  g_task_return_int (task, OKNO_NOTIFY_SINK_OK);
}

static OknoNotifySinkResult
okno_desktop_sink_deliver_finish (OknoNotifySink  *sink,
                                  GAsyncResult    *result,
                                  GTimeSpan       *retry_after,
                                  GError         **error)
{
  g_autoptr(GError) local_error = NULL;
  gssize answer = g_task_propagate_int (G_TASK (result), &local_error);

  if (local_error == NULL)
    return (OknoNotifySinkResult) answer;

  /* No window any more: the next start of the app sends it. */
  if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CLOSED))
    return OKNO_NOTIFY_SINK_RETRY;

  g_propagate_error (error, g_steal_pointer (&local_error));
  return OKNO_NOTIFY_SINK_PERMANENT;
}

static void
sink_iface_init (OknoNotifySinkInterface *iface)
{
  iface->deliver_async = okno_desktop_sink_deliver_async;
  iface->deliver_finish = okno_desktop_sink_deliver_finish;
}

static void
okno_desktop_sink_dispose (GObject *object)
{
  OknoDesktopSink *self = (OknoDesktopSink *) object;

  g_clear_weak_pointer (&self->application);
  g_clear_object (&self->schedule);

  G_OBJECT_CLASS (okno_desktop_sink_parent_class)->dispose (object);
}

static void
okno_desktop_sink_class_init (OknoDesktopSinkClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = okno_desktop_sink_dispose;
}

static void
okno_desktop_sink_init (OknoDesktopSink *self)
{
}

OknoDesktopSink *
okno_desktop_sink_new (GApplication *application,
                       OknoSchedule *schedule)
{
  OknoDesktopSink *self;

  g_return_val_if_fail (G_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (OKNO_IS_SCHEDULE (schedule), NULL);

  self = g_object_new (OKNO_TYPE_DESKTOP_SINK, NULL);
  g_set_weak_pointer (&self->application, application);
  self->schedule = g_object_ref (schedule);

  return self;
}
