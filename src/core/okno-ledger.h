/* okno-ledger.h
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "okno-booking.h"

G_BEGIN_DECLS

#define OKNO_TYPE_LEDGER (okno_ledger_get_type ())
G_DECLARE_FINAL_TYPE (OknoLedger, okno_ledger, OKNO, LEDGER, GObject)

OknoLedger  *okno_ledger_new                    (const char   *dir,
                                                 GError      **error);
gboolean     okno_ledger_put                    (OknoLedger   *self,
                                                 OknoBooking  *booking,
                                                 GError      **error);
GListModel  *okno_ledger_get_bookings           (OknoLedger   *self);
OknoBooking *okno_ledger_lookup                 (OknoLedger   *self,
                                                 const char   *booking_id);
OknoBooking *okno_ledger_lookup_active_for_slot (OknoLedger   *self,
                                                 const char   *slot_id);
OknoBooking *okno_ledger_lookup_idempotent      (OknoLedger   *self,
                                                 const char   *key_hash);
gboolean     okno_ledger_compact                (OknoLedger   *self,
                                                 GError      **error);
guint        okno_ledger_get_journal_length     (OknoLedger   *self);
gboolean     okno_ledger_is_compacting          (OknoLedger   *self);

G_END_DECLS
