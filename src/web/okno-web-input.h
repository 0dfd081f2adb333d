/* okno-web-input.h
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

#define OKNO_WEB_INPUT_UNUSABLE N_("This field contains characters that cannot be used.")

GHashTable *okno_web_input_parse_form    (const char         *data,
                                          gsize               length,
                                          GHashTable        **bad_fields);
GHashTable *okno_web_input_parse_query   (SoupServerMessage  *msg,
                                          GHashTable        **bad_fields);
char       *okno_web_input_check_json    (JsonNode           *root);
const char *okno_web_input_check_headers (SoupServerMessage  *msg);
gboolean    okno_web_input_parse_content_length (SoupMessageHeaders *headers,
                                                 goffset            *length);

gboolean    okno_web_input_check_head    (const char         *head,
                                          gsize               length,
                                          goffset             max_body,
                                          guint              *status,
                                          const char        **code,
                                          const char        **message);

G_END_DECLS
