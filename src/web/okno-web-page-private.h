/* okno-web-page-private.h
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

#include "okno-web-catalog.h"
#include "okno-web-server.h"

G_BEGIN_DECLS

/* For screens kept in their own files (okno-web-waitlist.c): they write
 * their <main> content into @out, between the page's usual header and
 * footer. */
typedef void (*OknoWebPageBodyFunc) (GString        *out,
                                     OknoWebCatalog *catalog,
                                     gpointer        user_data);

void  _okno_web_page_render       (OknoWebServer       *server,
                                   SoupServerMessage   *msg,
                                   OknoWebCatalog      *catalog,
                                   const char          *title,
                                   guint                status,
                                   OknoWebPageBodyFunc  body,
                                   gpointer             user_data);
char *_okno_web_page_format_short (OknoWebServer       *server,
                                   OknoWebCatalog      *catalog,
                                   GDateTime           *time);

G_END_DECLS
