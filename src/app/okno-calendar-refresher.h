/* okno-calendar-refresher.h
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "okno-calendar.h"

G_BEGIN_DECLS

#define OKNO_TYPE_CALENDAR_REFRESHER (okno_calendar_refresher_get_type ())
G_DECLARE_FINAL_TYPE (OknoCalendarRefresher, okno_calendar_refresher, OKNO, CALENDAR_REFRESHER, GObject)

OknoCalendarRefresher *okno_calendar_refresher_new        (OknoCalendar          *calendar,
                                                           GtkWindow             *window);
void                   okno_calendar_refresher_week_shown (OknoCalendarRefresher *self,
                                                           GDateTime             *first_day);

G_END_DECLS
