/* okno-move-text.h
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

char *okno_move_text_new (JsonObject *payload,
                          GTimeZone  *zone);

G_END_DECLS
