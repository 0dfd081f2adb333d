/* okno-http-session.h
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

void         okno_http_prepare_process (void);
SoupSession *okno_http_session_new     (const char *first_property_name,
                                        ...) G_GNUC_NULL_TERMINATED;

G_END_DECLS
