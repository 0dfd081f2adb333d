/* okno-web-ics.h
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "okno-booking.h"

G_BEGIN_DECLS

char *okno_web_ics_for_booking (OknoBooking *booking,
                                const char  *summary,
                                const char  *description,
                                const char  *url);

G_END_DECLS
