/* okno-week-view-private.h: for tests, the gesture handlers' own paths.
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "okno-week-view.h"
#include "okno-week-layout.h"

G_BEGIN_DECLS

void        _okno_week_view_press        (OknoWeekView           *self,
                                          double                  x,
                                          double                  y);
void        _okno_week_view_motion       (OknoWeekView           *self,
                                          double                  x,
                                          double                  y);
void        _okno_week_view_release      (OknoWeekView           *self,
                                          double                  x,
                                          double                  y);
const char *_okno_week_view_get_refusal  (OknoWeekView           *self);
void        _okno_week_view_get_geometry (OknoWeekView           *self,
                                          OknoWeekGeometry       *geometry);
guint       _okno_week_view_get_n_tiles  (OknoWeekView           *self);
GtkWidget  *_okno_week_view_get_tile     (OknoWeekView           *self,
                                          guint                   index);
gboolean    _okno_week_view_is_busy      (OknoWeekView           *self);
gboolean    _okno_week_view_key          (OknoWeekView           *self,
                                          guint                   keyval,
                                          GdkModifierType         state);

G_END_DECLS
