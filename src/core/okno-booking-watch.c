/* okno-booking-watch.c
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "OknoBookingWatch"

#include "config.h"

#include <glib/gi18n.h>

#include "okno-booking-watch.h"

/* Watches the calendar for what Olga did to booked slots outside Okno: a
 * booked slot's event deleted, or moved away from the booked time, in a
 * calendar Okno syncs (Google). The booking stays as it is in the ledger
 * (Okno never changes it on its own); an attention item says what
 * happened, once, when the event goes from as-booked to not.
 *
 * Only a change is reported: what the calendar showed when the watch began
 * is its starting point, so an item Olga dismissed does not come back at
 * the next start. A booking whose calendar change is still in the outbox is
 * the outbox's to report (a booking replayed onto a slot no longer free). */

struct _OknoBookingWatch
{
  GObject        parent_instance;

  OknoSchedule  *schedule;
  OknoAttention *attention;
  GHashTable    *as_booked;  /* booking id → (unused): its event was as booked */
};

G_DEFINE_FINAL_TYPE (OknoBookingWatch, okno_booking_watch, G_TYPE_OBJECT)

static char *
describe_booking (OknoBookingWatch *self,
                  OknoBooking      *booking)
{
  g_autoptr(GDateTime) local = g_date_time_to_timezone (okno_booking_get_start (booking),
                                                         okno_schedule_get_time_zone (self->schedule));
  g_autofree char *when = g_date_time_format (local, "%Y-%m-%d %H:%M");

  /* Translators: a booking in an attention item: the client's name, then date and time */
  return g_strdup_printf (_("%s, %s"), okno_booking_get_name (booking) ? okno_booking_get_name (booking) : "?", when);
}

static void
report (OknoBookingWatch *self,
        OknoBooking      *booking,
        OknoEvent        *event)
{
  g_autofree char *what = describe_booking (self, booking);
  g_autofree char *message = NULL;
  const char *code;

  if (event == NULL)
    {
      code = "booked-slot-deleted";
      message = g_strdup_printf (_("The booked slot of %s was deleted in the calendar. The booking "
                                   "still stands in Okno: tell the client, or cancel the booking."), what);
    }
  else
    {
      g_autoptr(GDateTime) local = g_date_time_to_timezone (okno_event_get_start (event),
                                                             okno_schedule_get_time_zone (self->schedule));
      g_autofree char *now_at = g_date_time_format (local, "%Y-%m-%d %H:%M");

      code = "booked-slot-moved";
      message = g_strdup_printf (_("The booked slot of %s was moved in the calendar to %s. The booking "
                                   "still stands at its own time in Okno: tell the client, or cancel "
                                   "the booking."), what, now_at);
    }
  g_message ("Booking %s needs attention: %s", okno_booking_get_id (booking), code);
  g_free (okno_attention_add (self->attention, code, okno_booking_get_id (booking), message));
}

static void
check (OknoBookingWatch *self,
       gboolean          tell)
{
  OknoLedger *ledger = okno_schedule_get_ledger (self->schedule);
  OknoCalendar *calendar = okno_schedule_get_calendar (self->schedule);
  GListModel *bookings = okno_ledger_get_bookings (ledger);
  g_autoptr(GPtrArray) outbox = okno_ledger_dup_outbox (ledger);
  g_autoptr(GHashTable) waiting = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  guint n = g_list_model_get_n_items (bookings);

  for (guint i = 0; i < outbox->len; i++)
    {
      JsonObject *item = g_ptr_array_index (outbox, i);
      JsonObject *payload = json_object_get_object_member (item, "payload");

      if (g_strcmp0 (json_object_get_string_member_with_default (item, "kind", ""), "calendar") == 0 && payload)
        g_hash_table_add (waiting, (gpointer) json_object_get_string_member_with_default (payload, "bookingId", ""));
    }

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(OknoBooking) booking = g_list_model_get_item (bookings, i);
      const char *id = okno_booking_get_id (booking);
      OknoEvent *event;
      gboolean as_booked;

      if (!okno_booking_is_active (booking) || g_date_time_compare (okno_booking_get_end (booking), now) <= 0)
        {
          g_hash_table_remove (self->as_booked, id);
          continue;
        }
      if (g_hash_table_contains (waiting, id))
        continue;

      event = okno_calendar_lookup_event (calendar, okno_booking_get_slot_id (booking));
      as_booked = event != NULL && !okno_event_is_cancelled (event) &&
                  g_date_time_equal (okno_event_get_start (event), okno_booking_get_start (booking)) &&
                  g_date_time_equal (okno_event_get_end (event), okno_booking_get_end (booking));

      if (as_booked)
        g_hash_table_add (self->as_booked, g_strdup (id));
      else if (g_hash_table_remove (self->as_booked, id) && tell)
        report (self, booking, event);
    }
}

static void
calendar_changed_cb (OknoBookingWatch *self,
                     OknoCalendar     *calendar)
{
  OknoCalendarState state = okno_calendar_get_state (calendar);

  /* Only a copy in step with the calendar says what Olga did. */
  if (state == OKNO_CALENDAR_STATE_SYNCED || state == OKNO_CALENDAR_STATE_LOCAL)
    check (self, TRUE);
}

static void
okno_booking_watch_dispose (GObject *object)
{
  OknoBookingWatch *self = (OknoBookingWatch *) object;

  g_clear_object (&self->schedule);
  g_clear_object (&self->attention);

  G_OBJECT_CLASS (okno_booking_watch_parent_class)->dispose (object);
}

static void
okno_booking_watch_finalize (GObject *object)
{
  OknoBookingWatch *self = (OknoBookingWatch *) object;

  g_hash_table_unref (self->as_booked);

  G_OBJECT_CLASS (okno_booking_watch_parent_class)->finalize (object);
}

static void
okno_booking_watch_class_init (OknoBookingWatchClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = okno_booking_watch_dispose;
  object_class->finalize = okno_booking_watch_finalize;
}

static void
okno_booking_watch_init (OknoBookingWatch *self)
{
  self->as_booked = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

/**
 * okno_booking_watch_new:
 *
 * Starts from what the calendar shows now and reports every booked slot
 * deleted or moved from then on.
 */
OknoBookingWatch *
okno_booking_watch_new (OknoSchedule  *schedule,
                        OknoAttention *attention)
{
  OknoBookingWatch *self;

  g_return_val_if_fail (OKNO_IS_SCHEDULE (schedule), NULL);
  g_return_val_if_fail (OKNO_IS_ATTENTION (attention), NULL);

  self = g_object_new (OKNO_TYPE_BOOKING_WATCH, NULL);
  self->schedule = g_object_ref (schedule);
  self->attention = g_object_ref (attention);
  g_signal_connect_object (okno_schedule_get_calendar (schedule), "changed",
                           G_CALLBACK (calendar_changed_cb), self, G_CONNECT_SWAPPED);
  check (self, FALSE);

  return self;
}

/* Looks again now (the calendar's ::changed does this on its own). */
void
okno_booking_watch_check (OknoBookingWatch *self)
{
  g_return_if_fail (OKNO_IS_BOOKING_WATCH (self));
  check (self, TRUE);
}
