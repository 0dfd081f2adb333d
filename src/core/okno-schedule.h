/* okno-schedule.h
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "okno-calendar.h"
#include "okno-ledger.h"
#include "okno-slot.h"

G_BEGIN_DECLS

#define OKNO_TYPE_SCHEDULE (okno_schedule_get_type ())
G_DECLARE_FINAL_TYPE (OknoSchedule, okno_schedule, OKNO, SCHEDULE, GObject)

OknoSchedule  *okno_schedule_new                 (OknoCalendar   *calendar,
                                                  OknoLedger     *ledger);
OknoCalendar  *okno_schedule_get_calendar        (OknoSchedule   *self);
void           okno_schedule_add_busy_calendar   (OknoSchedule   *self,
                                                  OknoCalendar   *calendar);
GPtrArray     *okno_schedule_list_events         (OknoSchedule   *self,
                                                  GDateTime      *start,
                                                  GDateTime      *end);
OknoLedger    *okno_schedule_get_ledger          (OknoSchedule   *self);
GTimeZone     *okno_schedule_get_time_zone       (OknoSchedule   *self);
const char    *okno_schedule_get_time_zone_name  (OknoSchedule   *self);
const char    *okno_schedule_get_slot_marker     (OknoSchedule   *self);
const char    *okno_schedule_get_booked_marker   (OknoSchedule   *self);
void           okno_schedule_set_range           (OknoSchedule   *self,
                                                  GDateTime      *start,
                                                  GDateTime      *end);
OknoEventKind  okno_schedule_classify            (OknoSchedule   *self,
                                                  OknoEvent      *event);
OknoSlot      *okno_schedule_dup_slot            (OknoSchedule   *self,
                                                  const char     *slot_id);
GPtrArray     *okno_schedule_dup_bookable_slots  (OknoSchedule   *self,
                                                  GDateTime      *from,
                                                  GDateTime      *to,
                                                  GDateTime      *now,
                                                  GDateTime     **next_change);
OknoSlot      *okno_schedule_check_bookable      (OknoSchedule   *self,
                                                  const char     *slot_id,
                                                  GDateTime      *now,
                                                  GError        **error);

OknoSlot      *okno_schedule_check_movable       (OknoSchedule   *self,
                                                  const char     *slot_id,
                                                  OknoBooking    *booking,
                                                  GDateTime      *now,
                                                  GError        **error);

G_END_DECLS
