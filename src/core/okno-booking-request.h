/* okno-booking-request.h
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* What a client asks for: the same from the JSON API and the HTML form. */
typedef struct
{
  char *slot_id;
  char *name;
  char *email;
  char *phone;
  char *telegram;
  char *note;
  char *time_zone;
  char *language;   /* the page's language ("ru", "en"), set by the server, not typed */
} OknoBookingRequest;

#define OKNO_TYPE_BOOKING_REQUEST (okno_booking_request_get_type ())

GType               okno_booking_request_get_type  (void) G_GNUC_CONST;
OknoBookingRequest *okno_booking_request_new       (void);
OknoBookingRequest *okno_booking_request_copy      (const OknoBookingRequest  *self);
void                okno_booking_request_free      (OknoBookingRequest        *self);
gboolean            okno_booking_request_validate  (OknoBookingRequest        *self,
                                                    GHashTable               **field_errors);
char               *okno_booking_request_hash      (const OknoBookingRequest  *self);
char               *okno_booking_request_contact   (const OknoBookingRequest  *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OknoBookingRequest, okno_booking_request_free)

G_END_DECLS
