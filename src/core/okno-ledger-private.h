/* okno-ledger-private.h
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "okno-ledger.h"

G_BEGIN_DECLS

void  _okno_ledger_set_compact_after    (OknoLedger *self,
                                         guint       records);
guint _okno_ledger_get_sync_count       (OknoLedger *self);
void  _okno_ledger_hold_writer          (OknoLedger *self,
                                         gboolean    hold);
guint _okno_ledger_get_compaction_count (OknoLedger *self);

G_END_DECLS
