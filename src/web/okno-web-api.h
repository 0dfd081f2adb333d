/* okno-web-api.h
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

#include "okno-web-server.h"

G_BEGIN_DECLS

void        okno_web_api_handle       (OknoWebServer     *server,
                                       SoupServerMessage *msg,
                                       const char        *path,
                                       GHashTable        *query);
JsonNode   *okno_web_api_booking_node (OknoBooking       *booking,
                                       const char        *base_url,
                                       const char        *token,
                                       GTimeZone         *zone);

G_END_DECLS
