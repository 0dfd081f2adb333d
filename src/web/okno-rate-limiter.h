/* okno-rate-limiter.h
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define OKNO_TYPE_RATE_LIMITER (okno_rate_limiter_get_type ())
G_DECLARE_FINAL_TYPE (OknoRateLimiter, okno_rate_limiter, OKNO, RATE_LIMITER, GObject)

OknoRateLimiter *okno_rate_limiter_new            (guint            per_minute);
void             okno_rate_limiter_set_per_minute (OknoRateLimiter *self,
                                                   guint            per_minute);
gboolean         okno_rate_limiter_take           (OknoRateLimiter *self,
                                                   const char      *client,
                                                   gint64           now_usec,
                                                   guint           *retry_after);
guint            okno_rate_limiter_get_n_clients  (OknoRateLimiter *self);

G_END_DECLS
