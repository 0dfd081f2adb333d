/* okno-booking-service.h
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "okno-booking-request.h"
#include "okno-schedule.h"

G_BEGIN_DECLS

#define OKNO_TYPE_BOOKING_SERVICE (okno_booking_service_get_type ())
G_DECLARE_FINAL_TYPE (OknoBookingService, okno_booking_service, OKNO, BOOKING_SERVICE, GObject)

OknoBookingService *okno_booking_service_new               (OknoSchedule        *schedule);
OknoSchedule       *okno_booking_service_get_schedule      (OknoBookingService  *self);
void                okno_booking_service_set_notify_kinds  (OknoBookingService  *self,
                                                            const char * const  *kinds);
const char * const *okno_booking_service_get_notify_kinds  (OknoBookingService  *self);
void                okno_booking_service_book_async        (OknoBookingService  *self,
                                                            OknoBookingRequest  *request,
                                                            const char          *idempotency_key,
                                                            GDateTime           *now,
                                                            GCancellable        *cancellable,
                                                            GAsyncReadyCallback  callback,
                                                            gpointer             user_data);
OknoBooking        *okno_booking_service_book_finish       (OknoBookingService  *self,
                                                            GAsyncResult        *result,
                                                            char               **out_token,
                                                            gboolean            *out_replayed,
                                                            GError             **error);
void                okno_booking_service_cancel_async      (OknoBookingService  *self,
                                                            const char          *booking_id,
                                                            const char          *token,
                                                            GDateTime           *now,
                                                            GCancellable        *cancellable,
                                                            GAsyncReadyCallback  callback,
                                                            gpointer             user_data);
void                okno_booking_service_cancel_as_owner_async (OknoBookingService *self,
                                                            const char          *booking_id,
                                                            GDateTime           *now,
                                                            GCancellable        *cancellable,
                                                            GAsyncReadyCallback  callback,
                                                            gpointer             user_data);
OknoBooking        *okno_booking_service_cancel_finish     (OknoBookingService  *self,
                                                            GAsyncResult        *result,
                                                            GError             **error);
gboolean            okno_booking_service_check_client_cancel (OknoBookingService *self,
                                                            OknoBooking         *booking,
                                                            GDateTime           *now,
                                                            GError             **error);
OknoBooking        *okno_booking_service_lookup            (OknoBookingService  *self,
                                                            const char          *booking_id,
                                                            const char          *token,
                                                            GError             **error);
void                okno_booking_service_reschedule_async  (OknoBookingService  *self,
                                                            const char          *booking_id,
                                                            const char          *token,
                                                            const char          *slot_id,
                                                            GDateTime           *now,
                                                            GCancellable        *cancellable,
                                                            GAsyncReadyCallback  callback,
                                                            gpointer             user_data);
OknoBooking        *okno_booking_service_reschedule_finish (OknoBookingService  *self,
                                                            GAsyncResult        *result,
                                                            GError             **error);

/* Blocking variants, for the command line and tests. */
OknoBooking        *okno_booking_service_book              (OknoBookingService  *self,
                                                            OknoBookingRequest  *request,
                                                            const char          *idempotency_key,
                                                            GDateTime           *now,
                                                            char               **out_token,
                                                            gboolean            *out_replayed,
                                                            GError             **error);
gboolean            okno_booking_service_cancel            (OknoBookingService  *self,
                                                            const char          *booking_id,
                                                            const char          *token,
                                                            GDateTime           *now,
                                                            GError             **error);
gboolean            okno_booking_service_cancel_as_owner   (OknoBookingService  *self,
                                                            const char          *booking_id,
                                                            GDateTime           *now,
                                                            GError             **error);
OknoBooking        *okno_booking_service_reschedule        (OknoBookingService  *self,
                                                            const char          *booking_id,
                                                            const char          *token,
                                                            const char          *slot_id,
                                                            GDateTime           *now,
                                                            GError             **error);
OknoBooking        *okno_booking_service_reschedule_as_owner (OknoBookingService *self,
                                                            const char          *booking_id,
                                                            const char          *slot_id,
                                                            GDateTime           *now,
                                                            GError             **error);

G_END_DECLS
