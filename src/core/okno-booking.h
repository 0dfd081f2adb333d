/* okno-booking.h
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef enum
{
  OKNO_BOOKING_CONFIRMED,
  OKNO_BOOKING_CANCELLED,
} OknoBookingStatus;

#define OKNO_TYPE_BOOKING (okno_booking_get_type ())
G_DECLARE_FINAL_TYPE (OknoBooking, okno_booking, OKNO, BOOKING, GObject)

OknoBooking       *okno_booking_new                   (const char   *id,
                                                       const char   *slot_id,
                                                       GDateTime    *start,
                                                       GDateTime    *end);
OknoBooking       *okno_booking_new_from_json         (JsonObject   *object,
                                                       GError      **error);
JsonObject        *okno_booking_to_json               (OknoBooking  *self);
OknoBooking       *okno_booking_copy                  (OknoBooking  *self);

const char        *okno_booking_get_id                (OknoBooking  *self);
const char        *okno_booking_get_slot_id           (OknoBooking  *self);
GDateTime         *okno_booking_get_start             (OknoBooking  *self);
GDateTime         *okno_booking_get_end               (OknoBooking  *self);
OknoBookingStatus  okno_booking_get_status            (OknoBooking  *self);
const char        *okno_booking_get_status_string     (OknoBooking  *self);
gboolean           okno_booking_is_active             (OknoBooking  *self);
void               okno_booking_cancel                (OknoBooking  *self,
                                                       GDateTime    *when);
GDateTime         *okno_booking_get_created           (OknoBooking  *self);
void               okno_booking_set_created           (OknoBooking  *self,
                                                       GDateTime    *created);
GDateTime         *okno_booking_get_cancelled         (OknoBooking  *self);
void               okno_booking_move                  (OknoBooking  *self,
                                                       const char   *slot_id,
                                                       GDateTime    *start,
                                                       GDateTime    *end,
                                                       GDateTime    *when);
void               okno_booking_add_history           (OknoBooking  *self,
                                                       const char   *event,
                                                       GDateTime    *at);
JsonArray         *okno_booking_dup_history           (OknoBooking  *self);
guint              okno_booking_get_moves             (OknoBooking  *self);

/* Text fields, by their JSON names: sessionType, name, email, phone,
 * telegram, note, timeZone, tokenHash, tokenSalt, idempotencyKeyHash,
 * requestHash, language (the page's language the client booked in: "ru"
 * or "en"). */
const char        *okno_booking_get_field             (OknoBooking  *self,
                                                       const char   *field);
void               okno_booking_set_field             (OknoBooking  *self,
                                                       const char   *field,
                                                       const char   *value);

#define okno_booking_get_name(b)          okno_booking_get_field ((b), "name")
#define okno_booking_get_session_type(b)  okno_booking_get_field ((b), "sessionType")

G_END_DECLS
