/* okno-zone-row.h
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define OKNO_TYPE_ZONE_ROW (okno_zone_row_get_type ())
G_DECLARE_FINAL_TYPE (OknoZoneRow, okno_zone_row, OKNO, ZONE_ROW, AdwActionRow)

GtkWidget          *okno_zone_row_new       (GSettings   *settings);
gboolean            okno_zone_row_set_zone  (OknoZoneRow *self,
                                             const char  *identifier);
const char * const *okno_zone_row_get_zones (void);
gboolean            okno_zone_is_known      (const char  *identifier);

G_END_DECLS
