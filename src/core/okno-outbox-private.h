/* okno-outbox-private.h
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "okno-outbox.h"

G_BEGIN_DECLS

void _okno_outbox_set_backoff (OknoOutbox *self,
                               guint       base_msec,
                               guint       cap_msec);

G_END_DECLS
