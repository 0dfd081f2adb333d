/* okno-calendar-banner.h
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "okno-calendar.h"

G_BEGIN_DECLS

#define OKNO_TYPE_CALENDAR_BANNER (okno_calendar_banner_get_type ())
G_DECLARE_FINAL_TYPE (OknoCalendarBanner, okno_calendar_banner, OKNO, CALENDAR_BANNER, GtkWidget)

GtkWidget *okno_calendar_banner_new             (OknoCalendar      *calendar);
gboolean   okno_calendar_banner_is_revealed     (OknoCalendarBanner *self);
const char *okno_calendar_banner_get_text       (OknoCalendarBanner *self);

char      *_okno_calendar_banner_describe       (OknoCalendarState  state,
                                                 GDateTime         *since,
                                                 guint              pending);

G_END_DECLS
