/* okno-google-calendar.h
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "okno-calendar.h"
#include "okno-google-auth.h"
#include "okno-google-cache.h"

G_BEGIN_DECLS

#define OKNO_TYPE_GOOGLE_CALENDAR (okno_google_calendar_get_type ())
G_DECLARE_FINAL_TYPE (OknoGoogleCalendar, okno_google_calendar, OKNO, GOOGLE_CALENDAR, GObject)

OknoGoogleCalendar *okno_google_calendar_new              (OknoGoogleAuth     *auth,
                                                           OknoGoogleCache    *cache,
                                                           const char         *calendar_id);
const char         *okno_google_calendar_get_calendar_id  (OknoGoogleCalendar *self);
void                okno_google_calendar_set_poll_seconds (OknoGoogleCalendar *self,
                                                           guint               seconds);
void                okno_google_calendar_override_poll_seconds (OknoGoogleCalendar *self,
                                                                guint               seconds);
GPtrArray          *okno_google_calendar_get_busy_calendars (OknoGoogleCalendar *self);
OknoGoogleAuth     *okno_google_calendar_get_auth         (OknoGoogleCalendar *self);
guint               okno_google_calendar_get_pending      (OknoGoogleCalendar *self);
void                okno_google_calendar_set_queued       (OknoGoogleCalendar *self,
                                                           guint               queued);
gboolean            okno_google_calendar_is_saving        (OknoGoogleCalendar *self);
void                okno_google_calendar_start            (OknoGoogleCalendar *self);
GDateTime          *okno_google_calendar_get_offline_since (OknoGoogleCalendar *self);

/* Tests: how long the first retry waits (doubling up to @cap_msec). */
void                _okno_google_calendar_set_backoff     (OknoGoogleCalendar *self,
                                                           guint               base_msec,
                                                           guint               cap_msec,
                                                           guint               max_attempts);
void                _okno_google_calendar_set_page_size   (OknoGoogleCalendar *self,
                                                           guint               page_size);

G_END_DECLS
