/* okno-week-view.h
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "okno-profile.h"

G_BEGIN_DECLS

#define OKNO_TYPE_WEEK_VIEW (okno_week_view_get_type ())
G_DECLARE_FINAL_TYPE (OknoWeekView, okno_week_view, OKNO, WEEK_VIEW, GtkWidget)

GtkWidget *okno_week_view_new                (OknoProfile *instance);
void       okno_week_view_set_week           (OknoWeekView *self,
                                              GDateTime    *monday);
GDateTime *okno_week_view_get_week           (OknoWeekView *self);
void       okno_week_view_set_n_days         (OknoWeekView *self,
                                              int           n_days);
int        okno_week_view_get_n_days         (OknoWeekView *self);
double     okno_week_view_get_hour_height    (OknoWeekView *self);
gboolean   okno_week_view_set_hour_height    (OknoWeekView *self,
                                              double        hour_height);
char      *okno_week_view_copy_previous_week (OknoWeekView *self);
gboolean   okno_week_view_undo               (OknoWeekView *self);
gboolean   okno_week_view_can_undo           (OknoWeekView *self);
void       okno_week_view_delete_selected    (OknoWeekView *self);

G_END_DECLS
