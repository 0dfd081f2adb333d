/* okno-web-reply.h
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "okno-web-catalog.h"

G_BEGIN_DECLS

void  okno_web_reply_bytes        (SoupServerMessage *msg,
                                   guint              status,
                                   const char        *content_type,
                                   GBytes            *body);
void  okno_web_reply_json         (SoupServerMessage *msg,
                                   guint              status,
                                   JsonNode          *root);
char *okno_web_error_json        (OknoWebCatalog    *catalog,
                                   const char        *code,
                                   const char        *message,
                                   GHashTable        *fields);
void  okno_web_reply_error        (SoupServerMessage *msg,
                                   OknoWebCatalog    *catalog,
                                   guint              status,
                                   const char        *code,
                                   const char        *message,
                                   GHashTable        *fields);
void  okno_web_reply_gerror       (SoupServerMessage *msg,
                                   OknoWebCatalog    *catalog,
                                   const GError      *error);
guint okno_web_status_for_error   (const GError      *error,
                                   const char       **code);
char *okno_web_etag_for_bytes     (GBytes            *body);
gboolean okno_web_etag_matches    (SoupServerMessage *msg,
                                   const char        *etag);

G_END_DECLS
