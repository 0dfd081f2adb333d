/* okno-week-grid-private.h: for tests, the gesture handlers' own paths.
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "okno-week-grid.h"
#include "okno-week-layout.h"

G_BEGIN_DECLS

void        _okno_week_grid_press        (OknoWeekGrid           *self,
                                          double                  x,
                                          double                  y);
void        _okno_week_grid_motion       (OknoWeekGrid           *self,
                                          double                  x,
                                          double                  y);
void        _okno_week_grid_release      (OknoWeekGrid           *self,
                                          double                  x,
                                          double                  y);
const char *_okno_week_grid_get_refusal  (OknoWeekGrid           *self);
void        _okno_week_grid_get_geometry (OknoWeekGrid           *self,
                                          OknoWeekGeometry       *geometry);
guint       _okno_week_grid_get_n_tiles  (OknoWeekGrid           *self);
GtkWidget  *_okno_week_grid_get_tile     (OknoWeekGrid           *self,
                                          guint                   index);
gboolean    _okno_week_grid_is_busy      (OknoWeekGrid           *self);

G_END_DECLS
