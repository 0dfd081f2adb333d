/* okno-booking-watch.h
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "okno-attention.h"
#include "okno-schedule.h"

G_BEGIN_DECLS

#define OKNO_TYPE_BOOKING_WATCH (okno_booking_watch_get_type ())
G_DECLARE_FINAL_TYPE (OknoBookingWatch, okno_booking_watch, OKNO, BOOKING_WATCH, GObject)

OknoBookingWatch *okno_booking_watch_new   (OknoSchedule     *schedule,
                                            OknoAttention    *attention);
void              okno_booking_watch_check (OknoBookingWatch *self);

G_END_DECLS
