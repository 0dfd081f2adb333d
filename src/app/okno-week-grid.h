/* okno-week-grid.h
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "okno-instance.h"

G_BEGIN_DECLS

#define OKNO_TYPE_WEEK_GRID (okno_week_grid_get_type ())
G_DECLARE_FINAL_TYPE (OknoWeekGrid, okno_week_grid, OKNO, WEEK_GRID, GtkWidget)

GtkWidget *okno_week_grid_new                (OknoInstance *instance);
void       okno_week_grid_set_week           (OknoWeekGrid *self,
                                              GDateTime    *monday);
GDateTime *okno_week_grid_get_week           (OknoWeekGrid *self);
double     okno_week_grid_get_hour_height    (OknoWeekGrid *self);
void       okno_week_grid_copy_previous_week (OknoWeekGrid *self);
gboolean   okno_week_grid_undo               (OknoWeekGrid *self);
void       okno_week_grid_delete_selected    (OknoWeekGrid *self);

G_END_DECLS
