/* okno-web-server-private.h
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

#include "okno-service-state.h"
#include "okno-web-catalog.h"
#include "okno-web-form-guard.h"
#include "okno-web-server.h"

G_BEGIN_DECLS

/* Request bodies larger than this are refused before they are read. */
#define OKNO_WEB_MAX_BODY (16 * 1024)

OknoBookingService *_okno_web_server_get_service    (OknoWebServer     *self);
void                _okno_web_server_set_limits     (OknoWebServer     *self,
                                                     guint              max_connections,
                                                     guint              request_timeout_msec);
guint               _okno_web_server_get_n_connections (OknoWebServer  *self);
const char         *_okno_web_server_get_contact    (OknoWebServer     *self);
const char         *_okno_web_server_get_payment_url (OknoWebServer    *self);
const char         *_okno_web_server_get_payment_note (OknoWebServer   *self);
const char         *_okno_web_server_get_owner_name (OknoWebServer     *self);
const char         *_okno_web_server_get_owner_about (OknoWebServer    *self);
void                _okno_web_server_describe_session_type (OknoWebServer  *self,
                                                            const char     *type_text,
                                                            char          **description,
                                                            char          **place);
OknoWebCatalog     *_okno_web_server_get_catalog    (OknoWebServer     *self,
                                                     SoupServerMessage *msg);
gboolean            _okno_web_server_take_attempt   (OknoWebServer     *self,
                                                     SoupServerMessage *msg,
                                                     guint             *retry_after);
gboolean            _okno_web_server_check_rate     (OknoWebServer     *self,
                                                     SoupServerMessage *msg);
char               *_okno_web_server_dup_base_url   (OknoWebServer     *self,
                                                     SoupServerMessage *msg);
GBytes             *_okno_web_server_lookup_cached  (OknoWebServer     *self,
                                                     const char        *key,
                                                     const char       **etag);
void                _okno_web_server_store_cached   (OknoWebServer     *self,
                                                     const char        *key,
                                                     GBytes            *body,
                                                     GDateTime         *expires);
OknoServiceState   *_okno_web_server_get_calcom_state (OknoWebServer     *self);
gboolean            _okno_web_server_allows_origin    (OknoWebServer     *self,
                                                       const char        *origin);
OknoWebFormGuard   *_okno_web_server_get_form_guard   (OknoWebServer     *self);

G_END_DECLS
