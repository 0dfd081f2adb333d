/* okno-web-zone.h
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "okno-web-catalog.h"

G_BEGIN_DECLS

char *okno_web_zone_dup_city   (OknoWebCatalog *catalog,
                                const char     *identifier);
char *okno_web_zone_dup_offset (GDateTime      *time);

G_END_DECLS
