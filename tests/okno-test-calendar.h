/* okno-test-calendar.h
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "okno-calendar.h"

G_BEGIN_DECLS

/* The methods the test calendar counts and can make fail. */
typedef enum
{
  OKNO_TEST_CALENDAR_INSERT,
  OKNO_TEST_CALENDAR_UPDATE,
  OKNO_TEST_CALENDAR_DELETE,
  OKNO_TEST_CALENDAR_REFRESH,
  OKNO_TEST_CALENDAR_N_METHODS
} OknoTestCalendarMethod;

#define OKNO_TYPE_TEST_CALENDAR (okno_test_calendar_get_type ())
G_DECLARE_FINAL_TYPE (OknoTestCalendar, okno_test_calendar, OKNO, TEST_CALENDAR, GObject)

OknoTestCalendar *okno_test_calendar_new          (void);
void              okno_test_calendar_fail         (OknoTestCalendar       *self,
                                                   OknoTestCalendarMethod  method,
                                                   guint                   times,
                                                   int                     code);
void              okno_test_calendar_lose_answers (OknoTestCalendar       *self,
                                                   OknoTestCalendarMethod  method,
                                                   guint                   times);
void              okno_test_calendar_lose_answers_as (OknoTestCalendar    *self,
                                                   OknoTestCalendarMethod  method,
                                                   guint                   times,
                                                   int                     code);
void              okno_test_calendar_set_delay    (OknoTestCalendar       *self,
                                                   guint                   msec);
gboolean          okno_test_calendar_conflict     (OknoTestCalendar       *self,
                                                   const char             *event_id);
void              okno_test_calendar_set_state    (OknoTestCalendar       *self,
                                                   OknoCalendarState       state);
guint             okno_test_calendar_get_calls    (OknoTestCalendar       *self,
                                                   OknoTestCalendarMethod  method);
guint             okno_test_calendar_get_applied  (OknoTestCalendar       *self,
                                                   OknoTestCalendarMethod  method);
guint             okno_test_calendar_get_pending  (OknoTestCalendar       *self);
guint             okno_test_calendar_get_n_events (OknoTestCalendar       *self);
void              okno_test_calendar_put          (OknoTestCalendar       *self,
                                                   OknoEvent              *event);

G_END_DECLS
