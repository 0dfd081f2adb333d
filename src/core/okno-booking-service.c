/* okno-booking-service.c
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "OknoBookingService"

#include "config.h"

#include <glib/gi18n.h>

#include "okno-booking-service.h"
#include "okno-errors.h"
#include "okno-token.h"

/* Books and cancels. Runs on the main loop, so a booking is decided and
 * written before the next request is looked at: two clients racing for one
 * slot get one booking and one "taken", without locks.
 *
 * The ledger is written (and synced) first; that is what acknowledges a
 * booking. The calendar event is then updated to mirror it, asynchronously;
 * okno_booking_service_reconcile() redoes whatever a crash interrupted. */
struct _OknoBookingService
{
  GObject       parent_instance;

  OknoSchedule *schedule;
  GCancellable *cancellable;
};

G_DEFINE_FINAL_TYPE (OknoBookingService, okno_booking_service, G_TYPE_OBJECT)

enum {
  BOOKING_ADDED,
  BOOKING_CANCELLED,
  N_SIGNALS
};

static guint signals [N_SIGNALS];

static OknoCalendar *
get_calendar (OknoBookingService *self)
{
  return okno_schedule_get_calendar (self->schedule);
}

static OknoLedger *
get_ledger (OknoBookingService *self)
{
  return okno_schedule_get_ledger (self->schedule);
}

/* The event as it should read while @booking holds it, or NULL if it
 * already does. */
static OknoEvent *
dup_booked_event (OknoBookingService *self,
                  OknoEvent          *event,
                  OknoBooking        *booking)
{
  g_autofree char *title = NULL;
  g_autoptr(GString) description = g_string_new (NULL);
  OknoEvent *copy;
  const char *fields[][2] = {
    { "email", N_("Email") },
    { "phone", N_("Phone") },
    { "telegram", N_("Telegram") },
  };
  const char *note;

  if (g_strcmp0 (okno_event_get_private (event, OKNO_PROP_BOOKING), okno_booking_get_id (booking)) == 0 &&
      okno_event_classify (event, okno_schedule_get_slot_marker (self->schedule),
                           okno_schedule_get_booked_marker (self->schedule)) == OKNO_EVENT_KIND_BOOKED)
    return NULL;

  title = okno_booked_title_new (okno_schedule_get_booked_marker (self->schedule),
                                 okno_booking_get_name (booking),
                                 okno_booking_get_session_type (booking));
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      const char *value = okno_booking_get_field (booking, fields[i][0]);
      if (value)
        g_string_append_printf (description, "%s: %s\n", _(fields[i][1]), value);
    }
  if ((note = okno_booking_get_field (booking, "note")))
    g_string_append_printf (description, "\n%s\n", note);

  copy = okno_event_copy (event);
  if (okno_event_get_private (event, OKNO_PROP_SLOT_TITLE) == NULL)
    okno_event_set_private (copy, OKNO_PROP_SLOT_TITLE, okno_event_get_summary (event));
  okno_event_set_summary (copy, title);
  okno_event_set_description (copy, description->str);
  okno_event_set_private (copy, OKNO_PROP_KIND, OKNO_PROP_KIND_SLOT);
  okno_event_set_private (copy, OKNO_PROP_BOOKING, okno_booking_get_id (booking));

  return copy;
}

/* The event reopened as a slot after @booking was cancelled, or NULL if
 * the event is not @booking's any more. */
static OknoEvent *
dup_reopened_event (OknoBookingService *self,
                    OknoEvent          *event,
                    OknoBooking        *booking)
{
  g_autofree char *title = NULL;
  const char *slot_title;
  OknoEvent *copy;

  if (g_strcmp0 (okno_event_get_private (event, OKNO_PROP_BOOKING), okno_booking_get_id (booking)) != 0)
    return NULL;

  slot_title = okno_event_get_private (event, OKNO_PROP_SLOT_TITLE);
  if (slot_title == NULL)
    slot_title = title = okno_slot_title_new (okno_schedule_get_slot_marker (self->schedule),
                                              okno_booking_get_session_type (booking));

  copy = okno_event_copy (event);
  okno_event_set_summary (copy, slot_title);
  okno_event_set_description (copy, NULL);
  okno_event_set_private (copy, OKNO_PROP_BOOKING, NULL);
  okno_event_set_private (copy, OKNO_PROP_SLOT_TITLE, NULL);

  return copy;
}

static void mirror (OknoBookingService *self,
                    OknoBooking        *booking,
                    gboolean            retry_on_conflict);

typedef struct
{
  OknoBookingService *self;
  OknoBooking        *booking;
  gboolean            retry_on_conflict;
} MirrorData;

static void
mirror_data_free (MirrorData *data)
{
  g_clear_object (&data->self);
  g_clear_object (&data->booking);
  g_free (data);
}

static void
mirror_updated_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  MirrorData *data = user_data;
  g_autoptr(OknoEvent) event = NULL;
  g_autoptr(GError) error = NULL;

  event = okno_calendar_update_event_finish (OKNO_CALENDAR (object), result, &error);
  if (event == NULL)
    {
      if (g_error_matches (error, OKNO_CALENDAR_ERROR, OKNO_CALENDAR_ERROR_CONFLICT) &&
          data->retry_on_conflict)
        mirror (data->self, data->booking, FALSE);
      else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("The calendar does not show booking %s yet: %s",
                   okno_booking_get_id (data->booking), error->message);
    }

  mirror_data_free (data);
}

/* Makes the slot's calendar event show what the ledger says of @booking. */
static void
mirror (OknoBookingService *self,
        OknoBooking        *booking,
        gboolean            retry_on_conflict)
{
  g_autoptr(OknoEvent) update = NULL;
  OknoEvent *event;
  MirrorData *data;

  event = okno_calendar_lookup_event (get_calendar (self), okno_booking_get_slot_id (booking));
  if (event == NULL)
    return;

  if (okno_booking_is_active (booking))
    update = dup_booked_event (self, event, booking);
  else
    update = dup_reopened_event (self, event, booking);

  if (update == NULL)
    return;

  data = g_new0 (MirrorData, 1);
  data->self = g_object_ref (self);
  data->booking = g_object_ref (booking);
  data->retry_on_conflict = retry_on_conflict;
  okno_calendar_update_event_async (get_calendar (self), update, self->cancellable,
                                    mirror_updated_cb, data);
}

static gboolean
set_request_error (GHashTable  *field_errors,
                   GError     **error)
{
  GHashTableIter iter;
  gpointer message = NULL;

  g_hash_table_iter_init (&iter, field_errors);
  g_hash_table_iter_next (&iter, NULL, &message);
  g_set_error_literal (error, OKNO_BOOKING_ERROR, OKNO_BOOKING_ERROR_INVALID, message);

  return FALSE;
}

static void
okno_booking_service_dispose (GObject *object)
{
  OknoBookingService *self = (OknoBookingService *) object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->schedule);

  G_OBJECT_CLASS (okno_booking_service_parent_class)->dispose (object);
}

static void
okno_booking_service_class_init (OknoBookingServiceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = okno_booking_service_dispose;

  /**
   * OknoBookingService::booking-added:
   * @booking: the new booking, already stored
   */
  signals [BOOKING_ADDED] =
    g_signal_new ("booking-added",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, OKNO_TYPE_BOOKING);

  /**
   * OknoBookingService::booking-cancelled:
   * @booking: the booking in its cancelled state, already stored
   * @by_owner: %TRUE when Olga cancelled it, %FALSE when the client did
   */
  signals [BOOKING_CANCELLED] =
    g_signal_new ("booking-cancelled",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, OKNO_TYPE_BOOKING, G_TYPE_BOOLEAN);
}

static void
okno_booking_service_init (OknoBookingService *self)
{
  self->cancellable = g_cancellable_new ();
}

OknoBookingService *
okno_booking_service_new (OknoSchedule *schedule)
{
  OknoBookingService *self;

  g_return_val_if_fail (OKNO_IS_SCHEDULE (schedule), NULL);

  self = g_object_new (OKNO_TYPE_BOOKING_SERVICE, NULL);
  self->schedule = g_object_ref (schedule);

  return self;
}

OknoSchedule *
okno_booking_service_get_schedule (OknoBookingService *self)
{
  g_return_val_if_fail (OKNO_IS_BOOKING_SERVICE (self), NULL);
  return self->schedule;
}

/**
 * okno_booking_service_book:
 * @request: the client's request; validated (and normalized) here
 * @idempotency_key: (nullable): the client's Idempotency-Key
 * @out_token: (out): the cancel token, to hand to the client once
 * @out_replayed: (out) (optional): %TRUE when this was a retry of an
 *   earlier request with the same key, answered with the earlier booking
 *
 * Returns: (transfer full): the booking, stored durably
 */
OknoBooking *
okno_booking_service_book (OknoBookingService  *self,
                           OknoBookingRequest  *request,
                           const char          *idempotency_key,
                           GDateTime           *now,
                           char               **out_token,
                           gboolean            *out_replayed,
                           GError             **error)
{
  g_autoptr(GHashTable) field_errors = NULL;
  g_autoptr(OknoSlot) slot = NULL;
  g_autoptr(OknoBooking) booking = NULL;
  g_autofree char *request_hash = NULL;
  g_autofree char *key_hash = NULL;
  g_autofree char *booking_id = NULL;
  g_autofree char *token = NULL;
  g_autofree char *token_hash = NULL;
  g_autofree char *salt = NULL;

  g_return_val_if_fail (OKNO_IS_BOOKING_SERVICE (self), NULL);
  g_return_val_if_fail (request != NULL, NULL);
  g_return_val_if_fail (now != NULL, NULL);
  g_return_val_if_fail (out_token != NULL, NULL);

  if (out_replayed)
    *out_replayed = FALSE;

  if (!okno_booking_request_validate (request, &field_errors))
    {
      set_request_error (field_errors, error);
      return NULL;
    }

  request_hash = okno_booking_request_hash (request);

  if (idempotency_key != NULL && idempotency_key[0] != '\0')
    {
      OknoBooking *earlier;

      key_hash = okno_token_hash (idempotency_key);
      earlier = okno_ledger_lookup_idempotent (get_ledger (self), key_hash);
      if (earlier != NULL)
        {
          if (g_strcmp0 (okno_booking_get_field (earlier, "requestHash"), request_hash) != 0)
            {
              g_set_error_literal (error, OKNO_BOOKING_ERROR, OKNO_BOOKING_ERROR_IDEMPOTENCY_MISMATCH,
                                   N_("This Idempotency-Key was already used for a different booking."));
              return NULL;
            }

          if (out_replayed)
            *out_replayed = TRUE;
          *out_token = okno_token_derive (okno_booking_get_field (earlier, "tokenSalt"), idempotency_key);
          return g_object_ref (earlier);
        }
    }

  if (!(slot = okno_schedule_check_bookable (self->schedule, request->slot_id, now, error)))
    return NULL;

  if (key_hash != NULL)
    {
      salt = okno_token_new ();
      token = okno_token_derive (salt, idempotency_key);
    }
  else
    token = okno_token_new ();
  token_hash = okno_token_hash (token);

  booking_id = okno_booking_id_new ();
  booking = okno_booking_new (booking_id, okno_slot_get_id (slot),
                              okno_slot_get_start (slot), okno_slot_get_end (slot));
  okno_booking_set_created (booking, now);
  okno_booking_set_field (booking, "sessionType", okno_slot_get_session_type (slot));
  okno_booking_set_field (booking, "name", request->name);
  okno_booking_set_field (booking, "email", request->email);
  okno_booking_set_field (booking, "phone", request->phone);
  okno_booking_set_field (booking, "telegram", request->telegram);
  okno_booking_set_field (booking, "note", request->note);
  okno_booking_set_field (booking, "timeZone", request->time_zone);
  okno_booking_set_field (booking, "tokenHash", token_hash);
  okno_booking_set_field (booking, "tokenSalt", salt);
  okno_booking_set_field (booking, "idempotencyKeyHash", key_hash);
  okno_booking_set_field (booking, "requestHash", request_hash);

  if (!okno_ledger_put (get_ledger (self), booking, error))
    return NULL;

  g_debug ("Booked slot %s as %s", okno_slot_get_id (slot), booking_id);
  g_signal_emit (self, signals [BOOKING_ADDED], 0, booking);
  mirror (self, booking, TRUE);

  *out_token = g_steal_pointer (&token);
  return g_steal_pointer (&booking);
}

/**
 * okno_booking_service_lookup:
 *
 * Returns: (transfer none): the booking if @token is its cancel token
 */
OknoBooking *
okno_booking_service_lookup (OknoBookingService  *self,
                             const char          *booking_id,
                             const char          *token,
                             GError             **error)
{
  OknoBooking *booking;

  g_return_val_if_fail (OKNO_IS_BOOKING_SERVICE (self), NULL);

  booking = okno_ledger_lookup (get_ledger (self), booking_id);
  if (booking == NULL)
    {
      g_set_error_literal (error, OKNO_BOOKING_ERROR, OKNO_BOOKING_ERROR_NOT_FOUND,
                           N_("There is no such booking."));
      return NULL;
    }

  if (!okno_token_matches_hash (token, okno_booking_get_field (booking, "tokenHash")))
    {
      g_set_error_literal (error, OKNO_BOOKING_ERROR, OKNO_BOOKING_ERROR_FORBIDDEN,
                           N_("This link is not valid for this booking."));
      return NULL;
    }

  return booking;
}

static gboolean
cancel_booking (OknoBookingService  *self,
                OknoBooking         *booking,
                GDateTime           *now,
                gboolean             by_owner,
                GError             **error)
{
  g_autoptr(OknoBooking) cancelled = NULL;

  if (!okno_booking_is_active (booking))
    return TRUE;

  cancelled = okno_booking_copy (booking);
  okno_booking_cancel (cancelled, now);
  if (!okno_ledger_put (get_ledger (self), cancelled, error))
    return FALSE;

  g_debug ("Cancelled booking %s", okno_booking_get_id (cancelled));
  g_signal_emit (self, signals [BOOKING_CANCELLED], 0, cancelled, by_owner);
  mirror (self, cancelled, TRUE);

  return TRUE;
}

/* Cancelling twice is not an error: the second answer is the first's. */
gboolean
okno_booking_service_cancel (OknoBookingService  *self,
                             const char          *booking_id,
                             const char          *token,
                             GDateTime           *now,
                             GError             **error)
{
  OknoBooking *booking;

  g_return_val_if_fail (OKNO_IS_BOOKING_SERVICE (self), FALSE);
  g_return_val_if_fail (now != NULL, FALSE);

  if (!(booking = okno_booking_service_lookup (self, booking_id, token, error)))
    return FALSE;

  return cancel_booking (self, booking, now, FALSE, error);
}

/* Olga's own cancel, from the window or the command line: no token. */
gboolean
okno_booking_service_cancel_as_owner (OknoBookingService  *self,
                                      const char          *booking_id,
                                      GDateTime           *now,
                                      GError             **error)
{
  OknoBooking *booking;

  g_return_val_if_fail (OKNO_IS_BOOKING_SERVICE (self), FALSE);
  g_return_val_if_fail (now != NULL, FALSE);

  booking = okno_ledger_lookup (get_ledger (self), booking_id);
  if (booking == NULL)
    {
      g_set_error_literal (error, OKNO_BOOKING_ERROR, OKNO_BOOKING_ERROR_NOT_FOUND,
                           N_("There is no such booking."));
      return FALSE;
    }

  return cancel_booking (self, booking, now, TRUE, error);
}

/* Brings the calendar in line with the ledger: a crash between the
 * ledger's write and the calendar's may have left an event behind. */
void
okno_booking_service_reconcile (OknoBookingService *self)
{
  GListModel *bookings;
  guint n;

  g_return_if_fail (OKNO_IS_BOOKING_SERVICE (self));

  bookings = okno_ledger_get_bookings (get_ledger (self));
  n = g_list_model_get_n_items (bookings);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(OknoBooking) booking = g_list_model_get_item (bookings, i);
      mirror (self, booking, TRUE);
    }
}
