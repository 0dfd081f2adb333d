/* okno-token.h
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

void      okno_random_bytes          (guint8       *buffer,
                                      gsize         length);
char     *okno_base64url_encode      (const guint8 *data,
                                      gsize         length);
char     *okno_token_new             (void);
char     *okno_token_derive          (const char   *salt,
                                      const char   *secret);
char     *okno_token_hash            (const char   *token);
gboolean  okno_token_matches_hash    (const char   *token,
                                      const char   *hash);
char     *okno_event_id_new          (void);
gboolean  okno_event_id_is_valid     (const char   *id);
char     *okno_booking_id_new        (void);

G_END_DECLS
