/* okno-errors.c
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "okno-errors.h"

G_DEFINE_QUARK (okno-booking-error-quark, okno_booking_error)
G_DEFINE_QUARK (okno-calendar-error-quark, okno_calendar_error)
G_DEFINE_QUARK (okno-data-error-quark, okno_data_error)
G_DEFINE_QUARK (okno-slot-error-quark, okno_slot_error)
