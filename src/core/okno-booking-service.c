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
#include "okno-outbox.h"
#include "okno-time.h"
#include "okno-token.h"

/* Books and cancels. Decisions run on the main thread against the ledger's
 * state in memory, which an append changes at once: two clients racing for
 * one slot get one booking and one "taken", without locks.
 *
 * A booking (or a cancel) is appended to the journal in one line together
 * with what must follow it: the calendar change and one notification per
 * configured kind (OknoOutbox carries them out). The answer waits until
 * that line is durable; if it cannot be written, the decision is undone and
 * the caller gets the ledger's error (503 on the web). */
struct _OknoBookingService
{
  GObject       parent_instance;

  OknoSchedule *schedule;
  GStrv         notify_kinds;
  guint         min_cancel_hours;
  guint         max_active_per_client;

  /* max-active-per-client's index: normalised contact → set of the ids of
   * every booking made with it (a set may name bookings that are no longer
   * active: they are looked up when counted). Built at first use, then
   * kept up to date from the ledger's list, so a decision costs the
   * client's own bookings, not every booking in the ledger. */
  GHashTable   *by_contact;
};

G_DEFINE_FINAL_TYPE (OknoBookingService, okno_booking_service, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_MIN_CANCEL_HOURS,
  PROP_MAX_ACTIVE_PER_CLIENT,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

enum {
  BOOKING_ADDED,
  BOOKING_CANCELLED,
  BOOKING_RESCHEDULED,
  N_SIGNALS
};

static guint signals [N_SIGNALS];

typedef struct
{
  OknoBooking *booking;
  char        *token;
  gboolean     replayed;
  gboolean     by_owner;
  gboolean     changed;
  char        *moved_from;  /* the slot a move left */
} Outcome;

static void
outcome_free (Outcome *outcome)
{
  g_clear_object (&outcome->booking);
  g_free (outcome->token);
  g_free (outcome->moved_from);
  g_free (outcome);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Outcome, outcome_free)

static OknoLedger *
get_ledger (OknoBookingService *self)
{
  return okno_schedule_get_ledger (self->schedule);
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

/* The journal line for @booking's new state and what must follow it.
 * Kinds addressed to the client (OKNO_NOTIFY_KIND_CLIENT_EMAIL) get an
 * item only when the client left an email; a new booking's confirmation
 * carries @token (the cancel link's) until it is sent. */
static OknoJournalRecord *
record_for (OknoBookingService *self,
            OknoBooking        *booking,
            gboolean            by_owner,
            const char         *token)
{
  OknoJournalRecord *record = okno_journal_record_new ();
  g_autoptr(JsonObject) calendar = okno_outbox_calendar_item_new (booking);

  okno_journal_record_set_put (record, booking);
  okno_journal_record_add_outbox (record, calendar);
  for (guint i = 0; self->notify_kinds && self->notify_kinds[i]; i++)
    {
      g_autoptr(JsonObject) item = NULL;
      gboolean to_client = g_str_equal (self->notify_kinds[i], OKNO_NOTIFY_KIND_CLIENT_EMAIL);

      if (to_client && okno_booking_get_field (booking, "email") == NULL)
        continue;
      item = okno_outbox_notify_item_new (booking, self->notify_kinds[i], by_owner);
      if (to_client && token != NULL)
        json_object_set_string_member (json_object_get_object_member (item, "payload"), "cancelToken", token);
      okno_journal_record_add_outbox (record, item);
    }

  return record;
}

/* A contact as compared for max-active-per-client: a phone by its digits
 * after a «+» ("+7 999 123-45-67" is "+79991234567"), an email and a
 * Telegram handle (without its «@») case-insensitively. %NULL when empty. */
static char *
normalise_contact (const char *kind,
                   const char *value)
{
  GString *out;

  if (value == NULL || value[0] == '\0')
    return NULL;

  if (g_str_equal (kind, "phone"))
    {
      out = g_string_new ("phone:+");
      for (const char *p = value; *p; p++)
        if (g_ascii_isdigit (*p))
          g_string_append_c (out, *p);
      return g_string_free (out, FALSE);
    }

  if (g_str_equal (kind, "telegram") && value[0] == '@')
    value++;

  {
    g_autofree char *folded = g_utf8_casefold (value, -1);

    return g_strconcat (kind, ":", folded, NULL);
  }
}

static const char *contact_kinds[] = { "email", "phone", "telegram" };

static void
index_booking (OknoBookingService *self,
               OknoBooking        *booking)
{
  for (guint k = 0; k < G_N_ELEMENTS (contact_kinds); k++)
    {
      char *key = normalise_contact (contact_kinds[k], okno_booking_get_field (booking, contact_kinds[k]));
      GHashTable *ids;

      if (key == NULL)
        continue;
      ids = g_hash_table_lookup (self->by_contact, key);
      if (ids == NULL)
        {
          ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
          g_hash_table_insert (self->by_contact, key, ids);
        }
      else
        g_free (key);
      if (!g_hash_table_contains (ids, okno_booking_get_id (booking)))
        g_hash_table_add (ids, g_strdup (okno_booking_get_id (booking)));
    }
}

static void
bookings_changed_cb (GListModel         *bookings,
                     guint               position,
                     guint               removed,
                     guint               added,
                     OknoBookingService *self)
{
  if (self->by_contact == NULL)
    return;

  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(OknoBooking) booking = g_list_model_get_item (bookings, i);

      index_booking (self, booking);
    }
}

static void
ensure_contact_index (OknoBookingService *self)
{
  GListModel *bookings;

  if (self->by_contact != NULL)
    return;

  self->by_contact = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                            (GDestroyNotify) g_hash_table_unref);
  bookings = okno_ledger_get_bookings (get_ledger (self));
  bookings_changed_cb (bookings, 0, 0, g_list_model_get_n_items (bookings), self);
  g_signal_connect_object (bookings, "items-changed", G_CALLBACK (bookings_changed_cb), self, 0);
}

/* max-active-per-client: whether the client of @request already holds that
 * many active bookings that have not started at @now, by any of its
 * contacts. */
static gboolean
client_at_limit (OknoBookingService *self,
                 OknoBookingRequest *request,
                 GDateTime          *now)
{
  const char *values[] = { request->email, request->phone, request->telegram };
  g_autoptr(GHashTable) counted = g_hash_table_new (g_str_hash, g_str_equal);
  OknoLedger *ledger = get_ledger (self);

  G_STATIC_ASSERT (G_N_ELEMENTS (values) == G_N_ELEMENTS (contact_kinds));

  if (self->max_active_per_client == 0)
    return FALSE;

  ensure_contact_index (self);

  for (guint k = 0; k < G_N_ELEMENTS (contact_kinds); k++)
    {
      g_autofree char *key = normalise_contact (contact_kinds[k], values[k]);
      GHashTable *ids = key ? g_hash_table_lookup (self->by_contact, key) : NULL;
      GHashTableIter iter;
      gpointer id;

      if (ids == NULL)
        continue;
      g_hash_table_iter_init (&iter, ids);
      while (g_hash_table_iter_next (&iter, &id, NULL))
        {
          OknoBooking *booking = okno_ledger_lookup (ledger, id);

          if (booking == NULL || !okno_booking_is_active (booking) ||
              g_date_time_compare (okno_booking_get_start (booking), now) <= 0 ||
              g_hash_table_contains (counted, id))
            continue;
          g_hash_table_add (counted, id);
        }
    }

  return g_hash_table_size (counted) >= self->max_active_per_client;
}

/* Decides a booking. Returns the record to append, or %NULL: with @error
 * set when refused, or with @outcome->replayed set for a retry. */
static OknoJournalRecord *
decide_book (OknoBookingService  *self,
             OknoBookingRequest  *request,
             const char          *idempotency_key,
             GDateTime           *now,
             Outcome             *outcome,
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

          outcome->replayed = TRUE;
          outcome->booking = g_object_ref (earlier);
          outcome->token = okno_token_derive (okno_booking_get_field (earlier, "tokenSalt"), idempotency_key);
          return NULL;
        }
    }

  if (!(slot = okno_schedule_check_bookable (self->schedule, request->slot_id, now, error)))
    return NULL;

  if (client_at_limit (self, request, now))
    {
      g_set_error_literal (error, OKNO_BOOKING_ERROR, OKNO_BOOKING_ERROR_LIMIT_REACHED,
                           N_("You already have as many upcoming sessions booked as one client can have. Please come to one of them first, or cancel one to book another time."));
      return NULL;
    }

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
  okno_booking_add_history (booking, "booked", now);
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
  okno_booking_set_field (booking, "language", request->language);

  outcome->booking = g_object_ref (booking);
  outcome->changed = TRUE;

  {
    OknoJournalRecord *record = record_for (self, booking, FALSE, token);

    outcome->token = g_steal_pointer (&token);
    return record;
  }
}

/**
 * okno_booking_service_check_client_cancel:
 *
 * The cancellation policy: a client may cancel an active booking only up to
 * #OknoBookingService:min-cancel-hours before it starts (0: any time). Olga
 * always may (the owner paths do not ask).
 *
 * Returns: %TRUE if the client may cancel @booking at @now; otherwise
 *   @error (%OKNO_BOOKING_ERROR_TOO_LATE) says why, in words for the client
 */
gboolean
okno_booking_service_check_client_cancel (OknoBookingService  *self,
                                          OknoBooking         *booking,
                                          GDateTime           *now,
                                          GError             **error)
{
  g_autoptr(GDateTime) last = NULL;

  g_return_val_if_fail (OKNO_IS_BOOKING_SERVICE (self), FALSE);
  g_return_val_if_fail (OKNO_IS_BOOKING (booking), FALSE);
  g_return_val_if_fail (now != NULL, FALSE);

  if (self->min_cancel_hours == 0)
    return TRUE;

  last = g_date_time_add_hours (okno_booking_get_start (booking), -(int) self->min_cancel_hours);
  if (g_date_time_compare (now, last) > 0)
    {
      g_set_error_literal (error, OKNO_BOOKING_ERROR, OKNO_BOOKING_ERROR_TOO_LATE,
                           N_("It is too close to the session to cancel it here. Please write or call the practitioner."));
      return FALSE;
    }

  return TRUE;
}

/* Decides a cancel; %NULL without an error when there is nothing to do. */
static OknoJournalRecord *
decide_cancel (OknoBookingService  *self,
               OknoBooking         *booking,
               GDateTime           *now,
               gboolean             by_owner,
               Outcome             *outcome,
               GError             **error)
{
  g_autoptr(OknoBooking) cancelled = NULL;

  outcome->by_owner = by_owner;
  if (!okno_booking_is_active (booking))
    {
      outcome->booking = g_object_ref (booking);
      return NULL;
    }
  if (!by_owner && !okno_booking_service_check_client_cancel (self, booking, now, error))
    return NULL;

  cancelled = okno_booking_copy (booking);
  okno_booking_cancel (cancelled, now);
  outcome->booking = g_object_ref (cancelled);
  outcome->changed = TRUE;

  return record_for (self, cancelled, by_owner, NULL);
}

/* Decides a move of @booking to @slot_id; %NULL without an error when it
 * is already there (a repeat). The client limit is not asked: a move adds
 * no booking. Olga's own moves (@by_owner) skip the cancellation policy. */
static OknoJournalRecord *
decide_reschedule (OknoBookingService  *self,
                   OknoBooking         *booking,
                   const char          *slot_id,
                   GDateTime           *now,
                   gboolean             by_owner,
                   Outcome             *outcome,
                   GError             **error)
{
  g_autoptr(OknoSlot) slot = NULL;
  g_autoptr(OknoBooking) moved = NULL;
  g_autoptr(JsonObject) move = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autofree char *at = NULL;
  OknoJournalRecord *record;

  if (!okno_booking_is_active (booking))
    {
      g_set_error_literal (error, OKNO_BOOKING_ERROR, OKNO_BOOKING_ERROR_CANCELLED,
                           N_("This booking is cancelled, so its time cannot be changed. Please book a new time."));
      return NULL;
    }
  if (slot_id == NULL || slot_id[0] == '\0')
    {
      g_set_error_literal (error, OKNO_BOOKING_ERROR, OKNO_BOOKING_ERROR_INVALID,
                           N_("Please choose a time."));
      return NULL;
    }
  if (g_str_equal (slot_id, okno_booking_get_slot_id (booking)))
    {
      outcome->booking = g_object_ref (booking);
      return NULL;
    }
  if (!by_owner && self->min_cancel_hours > 0)
    {
      g_autoptr(GDateTime) last = g_date_time_add_hours (okno_booking_get_start (booking),
                                                         -(int) self->min_cancel_hours);

      if (g_date_time_compare (now, last) > 0)
        {
          g_set_error_literal (error, OKNO_BOOKING_ERROR, OKNO_BOOKING_ERROR_TOO_LATE,
                               N_("It is too close to the session to change its time here. Please write or call the practitioner."));
          return NULL;
        }
    }
  if (!(slot = okno_schedule_check_movable (self->schedule, slot_id, booking, now, error)))
    return NULL;

  moved = okno_booking_copy (booking);
  okno_booking_move (moved, okno_slot_get_id (slot), okno_slot_get_start (slot), okno_slot_get_end (slot), now);
  if (okno_slot_get_session_type (slot) != NULL)
    okno_booking_set_field (moved, "sessionType", okno_slot_get_session_type (slot));

  at = okno_time_format_rfc3339 (now, NULL);
  move = json_object_new ();
  json_object_set_string_member (move, "bookingId", okno_booking_get_id (moved));
  json_object_set_string_member (move, "fromSlotId", okno_booking_get_slot_id (booking));
  json_object_set_string_member (move, "toSlotId", okno_booking_get_slot_id (moved));
  json_object_set_string_member (move, "at", at);

  /* One line: the new state, the move, the calendar and the messages. */
  record = okno_journal_record_new ();
  okno_journal_record_set_put (record, moved);
  okno_journal_record_set_move (record, move);
  items = okno_outbox_move_items_new (moved, okno_booking_get_slot_id (booking),
                                      (const char * const *) self->notify_kinds, by_owner);
  for (guint i = 0; i < items->len; i++)
    okno_journal_record_add_outbox (record, g_ptr_array_index (items, i));

  outcome->booking = g_object_ref (moved);
  outcome->moved_from = g_strdup (okno_booking_get_slot_id (booking));
  outcome->changed = TRUE;

  return record;
}

static void
announce (OknoBookingService *self,
          Outcome            *outcome)
{
  if (!outcome->changed)
    return;

  if (outcome->moved_from != NULL)
    {
      g_debug ("Moved booking %s from slot %s to %s", okno_booking_get_id (outcome->booking),
               outcome->moved_from, okno_booking_get_slot_id (outcome->booking));
      g_signal_emit (self, signals [BOOKING_RESCHEDULED], 0, outcome->booking, outcome->moved_from);
    }
  else if (okno_booking_is_active (outcome->booking))
    {
      g_debug ("Booked slot %s as %s", okno_booking_get_slot_id (outcome->booking),
               okno_booking_get_id (outcome->booking));
      g_signal_emit (self, signals [BOOKING_ADDED], 0, outcome->booking);
    }
  else
    {
      g_debug ("Cancelled booking %s", okno_booking_get_id (outcome->booking));
      g_signal_emit (self, signals [BOOKING_CANCELLED], 0, outcome->booking, outcome->by_owner);
    }
}

static void
okno_booking_service_dispose (GObject *object)
{
  OknoBookingService *self = (OknoBookingService *) object;

  g_clear_object (&self->schedule);
  g_clear_pointer (&self->notify_kinds, g_strfreev);
  g_clear_pointer (&self->by_contact, g_hash_table_unref);

  G_OBJECT_CLASS (okno_booking_service_parent_class)->dispose (object);
}

static void
okno_booking_service_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  OknoBookingService *self = OKNO_BOOKING_SERVICE (object);

  switch (prop_id)
    {
    case PROP_MIN_CANCEL_HOURS:
      g_value_set_uint (value, self->min_cancel_hours);
      break;
    case PROP_MAX_ACTIVE_PER_CLIENT:
      g_value_set_uint (value, self->max_active_per_client);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
okno_booking_service_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  OknoBookingService *self = OKNO_BOOKING_SERVICE (object);

  switch (prop_id)
    {
    case PROP_MIN_CANCEL_HOURS:
      if (self->min_cancel_hours != g_value_get_uint (value))
        {
          self->min_cancel_hours = g_value_get_uint (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    case PROP_MAX_ACTIVE_PER_CLIENT:
      if (self->max_active_per_client != g_value_get_uint (value))
        {
          self->max_active_per_client = g_value_get_uint (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
okno_booking_service_class_init (OknoBookingServiceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = okno_booking_service_dispose;
  object_class->get_property = okno_booking_service_get_property;
  object_class->set_property = okno_booking_service_set_property;

  /**
   * OknoBookingService:min-cancel-hours:
   *
   * How many hours before a session a client may still cancel it; 0 for
   * any time. Olga's own cancels ignore it.
   */
  properties [PROP_MIN_CANCEL_HOURS] =
    g_param_spec_uint ("min-cancel-hours", NULL, NULL,
                       0, 8760, 24,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  /**
   * OknoBookingService:max-active-per-client:
   *
   * How many upcoming active bookings one client (by email, phone or
   * Telegram, compared normalised) may hold; 0 for no limit.
   */
  properties [PROP_MAX_ACTIVE_PER_CLIENT] =
    g_param_spec_uint ("max-active-per-client", NULL, NULL,
                       0, 1000, 3,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * OknoBookingService::booking-added:
   * @booking: the new booking, already durable
   */
  signals [BOOKING_ADDED] =
    g_signal_new ("booking-added",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, OKNO_TYPE_BOOKING);

  /**
   * OknoBookingService::booking-cancelled:
   * @booking: the booking in its cancelled state, already durable
   * @by_owner: %TRUE when Olga cancelled it, %FALSE when the client did
   */
  signals [BOOKING_CANCELLED] =
    g_signal_new ("booking-cancelled",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, OKNO_TYPE_BOOKING, G_TYPE_BOOLEAN);

  /**
   * OknoBookingService::booking-rescheduled:
   * @booking: the booking on its new slot, already durable
   * @from_slot_id: the slot it left
   */
  signals [BOOKING_RESCHEDULED] =
    g_signal_new ("booking-rescheduled",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, OKNO_TYPE_BOOKING, G_TYPE_STRING);
}

static void
okno_booking_service_init (OknoBookingService *self)
{
  self->min_cancel_hours = 24;
  self->max_active_per_client = 3;
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
 * okno_booking_service_set_notify_kinds:
 * @kinds: (nullable): the notification kinds each booking and cancel gets
 *   an outbox item for, such as "desktop"
 */
void
okno_booking_service_set_notify_kinds (OknoBookingService *self,
                                       const char * const *kinds)
{
  g_return_if_fail (OKNO_IS_BOOKING_SERVICE (self));

  g_strfreev (self->notify_kinds);
  self->notify_kinds = g_strdupv ((char **) kinds);
}

const char * const *
okno_booking_service_get_notify_kinds (OknoBookingService *self)
{
  g_return_val_if_fail (OKNO_IS_BOOKING_SERVICE (self), NULL);
  return (const char * const *) self->notify_kinds;
}

/* Async: the answer after the journal line is durable */

static void
appended_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  OknoBookingService *self = g_task_get_source_object (task);
  Outcome *outcome = g_task_get_task_data (task);
  GError *error = NULL;

  if (!okno_ledger_append_finish (OKNO_LEDGER (object), result, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  announce (self, outcome);
  g_task_return_boolean (task, TRUE);
}

/* A retry (or repeat) answered with a state still being written waits for
 * that write, and fails if it failed. */
static void
drained_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Outcome *outcome = g_task_get_task_data (task);
  OknoLedger *ledger = OKNO_LEDGER (object);

  okno_ledger_drain_finish (ledger, result, NULL);
  if (okno_ledger_lookup (ledger, okno_booking_get_id (outcome->booking)) == NULL)
    g_task_return_new_error (task, OKNO_DATA_ERROR, OKNO_DATA_ERROR_IO,
                             _("Cannot write the ledger"));
  else
    g_task_return_boolean (task, TRUE);
}

static void
commit_async (OknoBookingService *self,
              GTask              *task,
              OknoJournalRecord  *record)
{
  Outcome *outcome = g_task_get_task_data (task);

  if (record != NULL)
    okno_ledger_append_async (get_ledger (self), record, g_task_get_cancellable (task),
                              appended_cb, g_object_ref (task));
  else if (!okno_ledger_is_durable (get_ledger (self), outcome->booking))
    okno_ledger_drain_async (get_ledger (self), NULL, drained_cb, g_object_ref (task));
  else
    g_task_return_boolean (task, TRUE);
}

/**
 * okno_booking_service_book_async:
 * @request: the client's request; validated (and normalized) here
 * @idempotency_key: (nullable): the client's Idempotency-Key
 *
 * Decides at once (so a race has one winner) and answers once the booking
 * is durable.
 */
void
okno_booking_service_book_async (OknoBookingService  *self,
                                 OknoBookingRequest  *request,
                                 const char          *idempotency_key,
                                 GDateTime           *now,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  OknoJournalRecord *record;
  Outcome *outcome;

  g_return_if_fail (OKNO_IS_BOOKING_SERVICE (self));
  g_return_if_fail (request != NULL);
  g_return_if_fail (now != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, okno_booking_service_book_async);
  outcome = g_new0 (Outcome, 1);
  g_task_set_task_data (task, outcome, (GDestroyNotify) outcome_free);

  record = decide_book (self, request, idempotency_key, now, outcome, &error);
  if (record == NULL && !outcome->replayed)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  commit_async (self, task, record);
}

/**
 * okno_booking_service_book_finish:
 * @out_token: (out): the cancel token, to hand to the client once
 * @out_replayed: (out) (optional): %TRUE when this was a retry of an
 *   earlier request with the same key, answered with the earlier booking
 *
 * Returns: (transfer full): the booking, stored durably
 */
OknoBooking *
okno_booking_service_book_finish (OknoBookingService  *self,
                                  GAsyncResult        *result,
                                  char               **out_token,
                                  gboolean            *out_replayed,
                                  GError             **error)
{
  Outcome *outcome;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (out_token != NULL, NULL);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return NULL;

  outcome = g_task_get_task_data (G_TASK (result));
  *out_token = g_strdup (outcome->token);
  if (out_replayed)
    *out_replayed = outcome->replayed;
  return g_object_ref (outcome->booking);
}

static void
cancel_async (OknoBookingService  *self,
              OknoBooking         *booking,
              GDateTime           *now,
              gboolean             by_owner,
              GCancellable        *cancellable,
              GAsyncReadyCallback  callback,
              gpointer             user_data,
              GError              *error)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  OknoJournalRecord *record;
  Outcome *outcome;

  g_task_set_source_tag (task, okno_booking_service_cancel_async);
  outcome = g_new0 (Outcome, 1);
  g_task_set_task_data (task, outcome, (GDestroyNotify) outcome_free);

  if (booking == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  record = decide_cancel (self, booking, now, by_owner, outcome, &error);
  if (error != NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  commit_async (self, task, record);
}

/**
 * okno_booking_service_cancel_async:
 *
 * Cancels with the client's token; cancelling twice is not an error (the
 * second answer is the first's).
 */
void
okno_booking_service_cancel_async (OknoBookingService  *self,
                                   const char          *booking_id,
                                   const char          *token,
                                   GDateTime           *now,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  GError *error = NULL;
  OknoBooking *booking;

  g_return_if_fail (OKNO_IS_BOOKING_SERVICE (self));
  g_return_if_fail (now != NULL);

  booking = okno_booking_service_lookup (self, booking_id, token, &error);
  cancel_async (self, booking, now, FALSE, cancellable, callback, user_data, error);
}

/* Olga's own cancel, from the window: no token. */
void
okno_booking_service_cancel_as_owner_async (OknoBookingService  *self,
                                            const char          *booking_id,
                                            GDateTime           *now,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data)
{
  GError *error = NULL;
  OknoBooking *booking;

  g_return_if_fail (OKNO_IS_BOOKING_SERVICE (self));
  g_return_if_fail (now != NULL);

  booking = okno_ledger_lookup (get_ledger (self), booking_id);
  if (booking == NULL)
    g_set_error_literal (&error, OKNO_BOOKING_ERROR, OKNO_BOOKING_ERROR_NOT_FOUND,
                         N_("There is no such booking."));
  cancel_async (self, booking, now, TRUE, cancellable, callback, user_data, error);
}

/**
 * okno_booking_service_cancel_finish:
 *
 * Returns: (transfer full): the booking in its cancelled state
 */
OknoBooking *
okno_booking_service_cancel_finish (OknoBookingService  *self,
                                    GAsyncResult        *result,
                                    GError             **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return NULL;

  return g_object_ref (((Outcome *) g_task_get_task_data (G_TASK (result)))->booking);
}

/* Blocking: for the command line and tests */

static gboolean
commit_sync (OknoBookingService  *self,
             OknoJournalRecord   *record,
             Outcome             *outcome,
             GError             **error)
{
  if (record != NULL)
    {
      if (!okno_ledger_append (get_ledger (self), record, error))
        return FALSE;
      announce (self, outcome);
    }

  return TRUE;
}

/**
 * okno_booking_service_book:
 *
 * okno_booking_service_book_async() waiting for the disk: for the command
 * line and tests, never on a main loop that serves anyone.
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
  g_autoptr(Outcome) outcome = g_new0 (Outcome, 1);
  OknoJournalRecord *record;

  g_return_val_if_fail (OKNO_IS_BOOKING_SERVICE (self), NULL);
  g_return_val_if_fail (request != NULL, NULL);
  g_return_val_if_fail (now != NULL, NULL);
  g_return_val_if_fail (out_token != NULL, NULL);

  record = decide_book (self, request, idempotency_key, now, outcome, error);
  if (record == NULL && !outcome->replayed)
    return NULL;
  if (!commit_sync (self, record, outcome, error))
    return NULL;

  if (out_replayed)
    *out_replayed = outcome->replayed;
  *out_token = g_steal_pointer (&outcome->token);
  return g_steal_pointer (&outcome->booking);
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

/* Cancelling twice is not an error: the second answer is the first's. */
gboolean
okno_booking_service_cancel (OknoBookingService  *self,
                             const char          *booking_id,
                             const char          *token,
                             GDateTime           *now,
                             GError             **error)
{
  g_autoptr(Outcome) outcome = g_new0 (Outcome, 1);
  OknoJournalRecord *record;
  GError *local_error = NULL;
  OknoBooking *booking;

  g_return_val_if_fail (OKNO_IS_BOOKING_SERVICE (self), FALSE);
  g_return_val_if_fail (now != NULL, FALSE);

  if (!(booking = okno_booking_service_lookup (self, booking_id, token, error)))
    return FALSE;

  record = decide_cancel (self, booking, now, FALSE, outcome, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  return commit_sync (self, record, outcome, error);
}

/* Olga's own cancel, from the command line: no token. */
gboolean
okno_booking_service_cancel_as_owner (OknoBookingService  *self,
                                      const char          *booking_id,
                                      GDateTime           *now,
                                      GError             **error)
{
  g_autoptr(Outcome) outcome = g_new0 (Outcome, 1);
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

  return commit_sync (self, decide_cancel (self, booking, now, TRUE, outcome, NULL), outcome, error);
}

/**
 * okno_booking_service_reschedule_async:
 * @slot_id: the slot to move to
 *
 * Moves the booking with the client's token to @slot_id by the booking
 * rules and the cancellation policy: decided at once (one winner for the
 * new slot; a loser keeps its old one), answered once the move is durable.
 * Moving to the slot it is on is not an error (a repeat).
 */
void
okno_booking_service_reschedule_async (OknoBookingService  *self,
                                       const char          *booking_id,
                                       const char          *token,
                                       const char          *slot_id,
                                       GDateTime           *now,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  GError *error = NULL;
  OknoJournalRecord *record;
  OknoBooking *booking;
  Outcome *outcome;

  g_return_if_fail (OKNO_IS_BOOKING_SERVICE (self));
  g_return_if_fail (now != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, okno_booking_service_reschedule_async);
  outcome = g_new0 (Outcome, 1);
  g_task_set_task_data (task, outcome, (GDestroyNotify) outcome_free);

  if (!(booking = okno_booking_service_lookup (self, booking_id, token, &error)))
    {
      g_task_return_error (task, error);
      return;
    }

  record = decide_reschedule (self, booking, slot_id, now, FALSE, outcome, &error);
  if (error != NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  commit_async (self, task, record);
}

/**
 * okno_booking_service_reschedule_finish:
 *
 * Returns: (transfer full): the booking on its new slot
 */
OknoBooking *
okno_booking_service_reschedule_finish (OknoBookingService  *self,
                                        GAsyncResult        *result,
                                        GError             **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return NULL;

  return g_object_ref (((Outcome *) g_task_get_task_data (G_TASK (result)))->booking);
}

/**
 * okno_booking_service_reschedule:
 *
 * okno_booking_service_reschedule_async() waiting for the disk: for the
 * command line and tests.
 *
 * Returns: (transfer full): the booking on its new slot
 */
OknoBooking *
okno_booking_service_reschedule (OknoBookingService  *self,
                                 const char          *booking_id,
                                 const char          *token,
                                 const char          *slot_id,
                                 GDateTime           *now,
                                 GError             **error)
{
  g_autoptr(Outcome) outcome = g_new0 (Outcome, 1);
  GError *local_error = NULL;
  OknoJournalRecord *record;
  OknoBooking *booking;

  g_return_val_if_fail (OKNO_IS_BOOKING_SERVICE (self), NULL);
  g_return_val_if_fail (now != NULL, NULL);

  if (!(booking = okno_booking_service_lookup (self, booking_id, token, error)))
    return NULL;

  record = decide_reschedule (self, booking, slot_id, now, FALSE, outcome, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return NULL;
    }
  if (!commit_sync (self, record, outcome, error))
    return NULL;

  return g_steal_pointer (&outcome->booking);
}

/**
 * okno_booking_service_reschedule_as_owner:
 *
 * Olga moves a booking herself (the command line): no token, and the
 * cancellation policy does not apply; the slot rules do. The client's
 * channels are told as for a client's move, with "byOwner": true.
 *
 * Returns: (transfer full): the booking on its new slot
 */
OknoBooking *
okno_booking_service_reschedule_as_owner (OknoBookingService  *self,
                                          const char          *booking_id,
                                          const char          *slot_id,
                                          GDateTime           *now,
                                          GError             **error)
{
  g_autoptr(Outcome) outcome = g_new0 (Outcome, 1);
  GError *local_error = NULL;
  OknoJournalRecord *record;
  OknoBooking *booking;

  g_return_val_if_fail (OKNO_IS_BOOKING_SERVICE (self), NULL);
  g_return_val_if_fail (now != NULL, NULL);

  booking = okno_ledger_lookup (get_ledger (self), booking_id);
  if (booking == NULL)
    {
      g_set_error_literal (error, OKNO_BOOKING_ERROR, OKNO_BOOKING_ERROR_NOT_FOUND,
                           N_("There is no such booking."));
      return NULL;
    }

  outcome->by_owner = TRUE;
  record = decide_reschedule (self, booking, slot_id, now, TRUE, outcome, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return NULL;
    }
  if (!commit_sync (self, record, outcome, error))
    return NULL;

  return g_steal_pointer (&outcome->booking);
}
