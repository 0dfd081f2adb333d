/* okno-local-calendar.h
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "okno-calendar.h"

G_BEGIN_DECLS

#define OKNO_TYPE_LOCAL_CALENDAR (okno_local_calendar_get_type ())
G_DECLARE_FINAL_TYPE (OknoLocalCalendar, okno_local_calendar, OKNO, LOCAL_CALENDAR, GObject)

OknoLocalCalendar *okno_local_calendar_new   (const char         *dir,
                                              GError            **error);
guint              okno_local_calendar_get_n_events (OknoLocalCalendar *self);
gboolean           okno_local_calendar_is_saving    (OknoLocalCalendar *self);
GPtrArray         *okno_local_calendar_get_damage   (OknoLocalCalendar *self);

G_END_DECLS
