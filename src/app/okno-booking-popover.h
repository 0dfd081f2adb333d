/* okno-booking-popover.h
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "okno-booking-service.h"

G_BEGIN_DECLS

#define OKNO_TYPE_BOOKING_POPOVER (okno_booking_popover_get_type ())
G_DECLARE_FINAL_TYPE (OknoBookingPopover, okno_booking_popover, OKNO, BOOKING_POPOVER, GtkPopover)

GtkWidget *okno_booking_popover_new (OknoBookingService *service,
                                     OknoEvent          *event);

char      *okno_format_phone (const char  *phone,
                              char       **digits);

G_END_DECLS
