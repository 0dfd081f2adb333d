/* okno-week-layout.h: the week grid's geometry, without widgets.
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define OKNO_MINUTES_PER_DAY (24 * 60)

typedef struct
{
  double ruler_width;    /* the hour labels on the left */
  double width;          /* the whole grid */
  double hour_height;
  int    n_days;         /* days side by side; 0 means the whole week, 7 */
} OknoWeekGeometry;

/* One event's place in a day: minutes since that day's midnight, and the
 * columns it takes among the events it overlaps. */
typedef struct
{
  gpointer data;
  int      start;
  int      end;
  guint    column;
  guint    span;
  guint    n_columns;
} OknoWeekItem;

double okno_week_geometry_day_width (const OknoWeekGeometry *geometry);
double okno_week_geometry_x_for_day (const OknoWeekGeometry *geometry,
                                     int                     day);
int    okno_week_geometry_day_at    (const OknoWeekGeometry *geometry,
                                     double                  x);
double okno_week_geometry_y_for     (const OknoWeekGeometry *geometry,
                                     int                     minutes);
int    okno_week_geometry_minutes_at (const OknoWeekGeometry *geometry,
                                      double                  y);
int    okno_week_snap               (int                     minutes,
                                     int                     step);
void   okno_week_layout_day         (OknoWeekItem           *items,
                                     guint                   n_items);

G_END_DECLS
