/* okno-week-layout.c
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>

#include "okno-week-layout.h"

static int
n_days (const OknoWeekGeometry *geometry)
{
  return geometry->n_days > 0 ? geometry->n_days : 7;
}

double
okno_week_geometry_day_width (const OknoWeekGeometry *geometry)
{
  return MAX (0.0, (geometry->width - geometry->ruler_width) / n_days (geometry));
}

double
okno_week_geometry_x_for_day (const OknoWeekGeometry *geometry,
                              int                     day)
{
  return geometry->ruler_width + day * okno_week_geometry_day_width (geometry);
}

/* 0 (the first day shown) to n_days - 1, or -1 over the ruler or past
 * the last day. */
int
okno_week_geometry_day_at (const OknoWeekGeometry *geometry,
                           double                  x)
{
  double width = okno_week_geometry_day_width (geometry);
  int day;

  if (x < geometry->ruler_width || width <= 0)
    return -1;
  day = (int) floor ((x - geometry->ruler_width) / width);
  return day >= 0 && day < n_days (geometry) ? day : -1;
}

double
okno_week_geometry_y_for (const OknoWeekGeometry *geometry,
                          int                     minutes)
{
  return minutes * geometry->hour_height / 60.0;
}

/* Minutes since midnight at @y, kept within the day. */
int
okno_week_geometry_minutes_at (const OknoWeekGeometry *geometry,
                               double                  y)
{
  int minutes = (int) floor (y * 60.0 / geometry->hour_height);

  return CLAMP (minutes, 0, OKNO_MINUTES_PER_DAY);
}

/* To the nearest multiple of @step. */
int
okno_week_snap (int minutes,
                int step)
{
  if (step <= 1)
    return minutes;
  return (int) floor ((minutes + step / 2.0) / step) * step;
}

static int
compare_items (gconstpointer a,
               gconstpointer b)
{
  const OknoWeekItem *ia = a, *ib = b;

  if (ia->start != ib->start)
    return ia->start < ib->start ? -1 : 1;
  if (ia->end != ib->end)
    return ia->end > ib->end ? -1 : 1;   /* longer first */
  return 0;
}

static gboolean
overlaps (const OknoWeekItem *a,
          const OknoWeekItem *b)
{
  return a->start < b->end && b->start < a->end;
}

/* Overlapping events share the day's width: in each group of events that
 * overlap one another, directly or through others, an event takes the first
 * column free at its start, then widens into the free columns to its right.
 * Sorts @items by start. */
void
okno_week_layout_day (OknoWeekItem *items,
                      guint         n_items)
{
  guint group_start = 0;
  int group_end = G_MININT;

  if (n_items == 0)
    return;

  qsort (items, n_items, sizeof *items, compare_items);

  for (guint i = 0; i <= n_items; i++)
    {
      /* A group ends where the next event starts after all of it. */
      if (i == n_items || (i > group_start && items[i].start >= group_end))
        {
          guint n_columns = 0;

          for (guint j = group_start; j < i; j++)
            n_columns = MAX (n_columns, items[j].column + 1);
          for (guint j = group_start; j < i; j++)
            {
              items[j].n_columns = n_columns;
              items[j].span = 1;
              /* Widen while no one in the group holds the next column. */
              for (guint c = items[j].column + 1; c < n_columns; c++)
                {
                  gboolean taken = FALSE;

                  for (guint k = group_start; k < i && !taken; k++)
                    taken = k != j && items[k].column == c && overlaps (&items[j], &items[k]);
                  if (taken)
                    break;
                  items[j].span++;
                }
            }

          if (i == n_items)
            break;
          group_start = i;
          group_end = G_MININT;
        }

      /* The first column no earlier event of the group still occupies. */
      for (guint column = 0; ; column++)
        {
          gboolean taken = FALSE;

          for (guint k = group_start; k < i && !taken; k++)
            taken = items[k].column == column && overlaps (&items[i], &items[k]);
          if (!taken)
            {
              items[i].column = column;
              break;
            }
        }
      group_end = MAX (group_end, items[i].end);
    }
}
