/* okno-event-tile.h
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "okno-slot.h"

G_BEGIN_DECLS

#define OKNO_TYPE_EVENT_TILE (okno_event_tile_get_type ())
G_DECLARE_FINAL_TYPE (OknoEventTile, okno_event_tile, OKNO, EVENT_TILE, GtkWidget)

GtkWidget     *okno_event_tile_new         (OknoEvent     *event,
                                            OknoEventKind  kind,
                                            GTimeZone     *zone,
                                            const char    *slot_marker,
                                            const char    *booked_marker,
                                            gboolean       past);
OknoEvent     *okno_event_tile_get_event   (OknoEventTile *self);
void           okno_event_tile_fit         (OknoEventTile *self,
                                            int            width,
                                            int            height);
OknoEventKind  okno_event_tile_get_kind    (OknoEventTile *self);
void           okno_event_tile_set_selected (OknoEventTile *self,
                                             gboolean       selected);
char          *okno_event_tile_describe    (OknoEvent     *event,
                                            OknoEventKind  kind,
                                            GTimeZone     *zone,
                                            const char    *slot_marker,
                                            const char    *booked_marker);

char          *okno_mid_sentence           (char          *text);

G_END_DECLS
