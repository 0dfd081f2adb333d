/* okno-backoff.h
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

double  okno_backoff_get_scale (void);
guint64 okno_backoff_scale_msec (guint64 msec);

G_END_DECLS
