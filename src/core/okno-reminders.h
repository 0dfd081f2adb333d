/* okno-reminders.h
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "okno-schedule.h"

G_BEGIN_DECLS

#define OKNO_TYPE_REMINDERS (okno_reminders_get_type ())
G_DECLARE_FINAL_TYPE (OknoReminders, okno_reminders, OKNO, REMINDERS, GObject)

OknoReminders *okno_reminders_new           (OknoSchedule       *schedule);
void           okno_reminders_start         (OknoReminders      *self);
void           okno_reminders_set_channels  (OknoReminders      *self,
                                             const char * const *kinds);
void           okno_reminders_replan        (OknoReminders      *self);
GDateTime     *okno_reminders_dup_next_due  (OknoReminders      *self);
guint          okno_reminders_get_reminder_hours (OknoReminders *self);
void           okno_reminders_set_reminder_hours (OknoReminders *self,
                                                  guint          hours);
int            okno_reminders_get_agenda_hour    (OknoReminders *self);
void           okno_reminders_set_agenda_hour    (OknoReminders *self,
                                                  int            hour);
int            okno_reminders_parse_agenda_hour  (const char    *text);

G_END_DECLS
