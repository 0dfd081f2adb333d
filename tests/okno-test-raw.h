/* okno-test-raw.h: raw HTTP over a plain socket, for what a client
 * library would never send.
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

GSocket *okno_test_raw_connect  (const char *base_url);
gboolean okno_test_raw_send     (GSocket    *socket,
                                 const char *data,
                                 gsize       length);
GBytes  *okno_test_raw_read     (GSocket    *socket,
                                 guint       timeout_msec,
                                 gboolean   *closed);
GBytes  *okno_test_raw_exchange (const char *base_url,
                                 const char *data,
                                 gsize       length,
                                 guint       timeout_msec,
                                 gboolean   *closed);
guint    okno_test_raw_status   (GBytes     *response);
char    *okno_test_raw_header   (GBytes     *response,
                                 const char *name);

G_END_DECLS
