/* okno-notify-error.c
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "okno-notify-error.h"

G_DEFINE_QUARK (okno-notify-error-quark, okno_notify_error)

/* Whether sending the same message again later can succeed by itself. */
gboolean
okno_notify_error_is_temporary (const GError *error)
{
  return g_error_matches (error, OKNO_NOTIFY_ERROR, OKNO_NOTIFY_ERROR_RATE_LIMITED) ||
         g_error_matches (error, OKNO_NOTIFY_ERROR, OKNO_NOTIFY_ERROR_UNAVAILABLE);
}
