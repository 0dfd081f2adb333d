/* okno-json-util.h
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

gboolean    okno_json_node_is_clean   (JsonNode     *node,
                                       gboolean      salvaged);
JsonParser *okno_json_load_salvaging  (const char   *path,
                                       char        **out_contents,
                                       gsize        *out_length,
                                       gboolean     *out_salvaged,
                                       GError      **error);
char       *okno_json_keep_damaged    (const char   *path,
                                       const char   *contents,
                                       gsize         length,
                                       GError      **error);
JsonObject *okno_json_object_deep_copy (JsonObject  *object);

G_END_DECLS
