/* okno-test-week.h: a window showing a week, for the tests that use it
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "okno-application.h"
#include "okno-event.h"
#include "okno-profile.h"
#include "okno-week-view.h"
#include "okno-window.h"

G_BEGIN_DECLS

typedef struct _OknoTestWeek OknoTestWeek;
typedef void (*OknoTestWeekFunc) (OknoTestWeek *week,
                                  gconstpointer data);

/* A test's fixture starts with this (its first member), so a test function
 * taking the fixture can be run as an OknoTestWeekFunc. */
struct _OknoTestWeek
{
  OknoApplication *app;
  OknoWindow      *window;
  OknoWeekView    *grid;
  OknoProfile     *instance;
  GDateTime       *monday;

  /* What okno_test_week_run() runs, filled in by the test: */
  OknoTestWeekFunc func;
  gconstpointer    data;
  int              weeks_ahead;   /* the week shown: this one, or later */
  int              width;         /* the window's default size, or 0 */
  int              height;
  OknoTestWeekFunc set_up;        /* more set-up, once the week is shown */
};

void       okno_test_week_run     (OknoTestWeek *week,
                                   const char   *settings);
gboolean   okno_test_week_is_idle (gpointer      week);
void       okno_test_week_settle  (OknoTestWeek *week);
GDateTime *okno_test_week_at      (OknoTestWeek *week,
                                   int           day,
                                   int           hour,
                                   int           minute);
OknoEvent *okno_test_week_slot_at (OknoTestWeek *week,
                                   GDateTime    *start);
guint      okno_test_week_count_slots (OknoTestWeek *week,
                                       GDateTime    *from,
                                       GDateTime    *to);
void       okno_test_week_point   (OknoTestWeek *week,
                                   int           day,
                                   int           minutes,
                                   double        dy,
                                   double       *x,
                                   double       *y);
void       okno_test_week_hook_drag (OknoTestWeek *week,
                                     int           day0,
                                     int           minutes0,
                                     int           day1,
                                     int           minutes1);

G_END_DECLS
