/* okno-errors.h
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Booking rules and requests: what a client may be told. The messages of
 * these errors, and of a booking request's field errors, are untranslated
 * msgids (marked N_()): each place that shows one translates it into its
 * reader's language — the page into the visitor's, the window into Olga's. */
#define OKNO_BOOKING_ERROR (okno_booking_error_quark ())
typedef enum
{
  OKNO_BOOKING_ERROR_INVALID,
  OKNO_BOOKING_ERROR_SLOT_NOT_FOUND,
  OKNO_BOOKING_ERROR_SLOT_TAKEN,
  OKNO_BOOKING_ERROR_SLOT_UNAVAILABLE,
  OKNO_BOOKING_ERROR_NOT_FOUND,
  OKNO_BOOKING_ERROR_FORBIDDEN,
  OKNO_BOOKING_ERROR_IDEMPOTENCY_MISMATCH,
  OKNO_BOOKING_ERROR_TOO_LATE,
  OKNO_BOOKING_ERROR_LIMIT_REACHED,
  OKNO_BOOKING_ERROR_CANCELLED,
} OknoBookingError;

/* Calendar backends (local, Google): see okno-calendar.h for what each
 * means to a caller. OFFLINE and RATE_LIMITED are temporary; AUTH needs
 * Olga to connect the account again; CONFLICT is a stale etag or an id that
 * exists; NOT_FOUND and GONE say the event (or the sync state) is not there;
 * FORBIDDEN: the calendar will never let Okno make that change (Google's 403). */
#define OKNO_CALENDAR_ERROR (okno_calendar_error_quark ())
typedef enum
{
  OKNO_CALENDAR_ERROR_NOT_FOUND,
  OKNO_CALENDAR_ERROR_CONFLICT,
  OKNO_CALENDAR_ERROR_INVALID,
  OKNO_CALENDAR_ERROR_FAILED,
  OKNO_CALENDAR_ERROR_OFFLINE,
  OKNO_CALENDAR_ERROR_AUTH,
  OKNO_CALENDAR_ERROR_RATE_LIMITED,
  OKNO_CALENDAR_ERROR_GONE,
  OKNO_CALENDAR_ERROR_FORBIDDEN,
} OknoCalendarError;

/* Where a slot may go, and which slots Olga may change: see
 * okno-slot-service.h. Messages are translated, for Olga. */
#define OKNO_SLOT_ERROR (okno_slot_error_quark ())
typedef enum
{
  OKNO_SLOT_ERROR_PAST,
  OKNO_SLOT_ERROR_LENGTH,
  OKNO_SLOT_ERROR_OVERLAP,
  OKNO_SLOT_ERROR_NOT_FOUND,
  OKNO_SLOT_ERROR_BOOKED,
} OknoSlotError;

/* Stored data: the data directory, the ledger, files. */
#define OKNO_DATA_ERROR (okno_data_error_quark ())
typedef enum
{
  OKNO_DATA_ERROR_LOCKED,
  OKNO_DATA_ERROR_CORRUPT,
  OKNO_DATA_ERROR_IO,
  OKNO_DATA_ERROR_SCHEMA,
  OKNO_DATA_ERROR_INVALID_TEXT,
} OknoDataError;

GQuark okno_booking_error_quark  (void);
GQuark okno_calendar_error_quark (void);
GQuark okno_data_error_quark     (void);
GQuark okno_slot_error_quark     (void);

G_END_DECLS
