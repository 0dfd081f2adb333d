/* okno-web-page.h
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

#include "okno-web-server.h"

G_BEGIN_DECLS

gboolean okno_web_page_handle (OknoWebServer     *server,
                               SoupServerMessage *msg,
                               const char        *path,
                               GHashTable        *query);

G_END_DECLS
