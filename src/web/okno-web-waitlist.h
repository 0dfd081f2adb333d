/* okno-web-waitlist.h
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

#include "okno-waitlist.h"
#include "okno-web-catalog.h"
#include "okno-web-server.h"

G_BEGIN_DECLS

void          okno_web_waitlist_attach      (OknoWebServer     *server,
                                             OknoWaitlist      *waitlist);
OknoWaitlist *okno_web_waitlist_get         (OknoWebServer     *server);
gboolean      okno_web_waitlist_handle_api  (OknoWebServer     *server,
                                             SoupServerMessage *msg,
                                             const char        *path);
gboolean      okno_web_waitlist_handle_page (OknoWebServer     *server,
                                             SoupServerMessage *msg,
                                             const char        *path,
                                             GHashTable        *query);
void          okno_web_waitlist_link        (OknoWebServer     *server,
                                             GString           *out,
                                             OknoWebCatalog    *catalog);

/* In okno-web-api.c: its body reader, for the waitlist's API. */
JsonObject   *_okno_web_api_read_object     (SoupServerMessage *msg,
                                             OknoWebCatalog    *catalog);

G_END_DECLS
