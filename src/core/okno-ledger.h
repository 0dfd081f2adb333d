/* okno-ledger.h
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "okno-booking.h"
#include "okno-journal-record.h"

G_BEGIN_DECLS

#define OKNO_TYPE_LEDGER (okno_ledger_get_type ())
G_DECLARE_FINAL_TYPE (OknoLedger, okno_ledger, OKNO, LEDGER, GObject)

OknoLedger  *okno_ledger_new                    (const char          *dir,
                                                 GError             **error);
void         okno_ledger_append_async           (OknoLedger          *self,
                                                 OknoJournalRecord   *record,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
gboolean     okno_ledger_append_finish          (OknoLedger          *self,
                                                 GAsyncResult        *result,
                                                 GError             **error);
gboolean     okno_ledger_append                 (OknoLedger          *self,
                                                 OknoJournalRecord   *record,
                                                 GError             **error);
gboolean     okno_ledger_put                    (OknoLedger          *self,
                                                 OknoBooking         *booking,
                                                 GError             **error);
void         okno_ledger_drain_async            (OknoLedger          *self,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
gboolean     okno_ledger_drain_finish           (OknoLedger          *self,
                                                 GAsyncResult        *result,
                                                 GError             **error);
GListModel  *okno_ledger_get_bookings           (OknoLedger          *self);
OknoBooking *okno_ledger_lookup                 (OknoLedger          *self,
                                                 const char          *booking_id);
OknoBooking *okno_ledger_lookup_active_for_slot (OknoLedger          *self,
                                                 const char          *slot_id);
OknoBooking *okno_ledger_lookup_idempotent      (OknoLedger          *self,
                                                 const char          *key_hash);
gboolean     okno_ledger_is_durable             (OknoLedger          *self,
                                                 OknoBooking         *booking);
GPtrArray   *okno_ledger_dup_outbox             (OknoLedger          *self);
GPtrArray   *okno_ledger_take_committed_outbox  (OknoLedger          *self);
gboolean     okno_ledger_has_outbox_item        (OknoLedger          *self,
                                                 const char          *key);
void         okno_ledger_complete_outbox_item   (OknoLedger          *self,
                                                 const char          *key,
                                                 JsonObject          *attention);
GPtrArray   *okno_ledger_get_attention_items    (OknoLedger          *self);
void         okno_ledger_add_attention          (OknoLedger          *self,
                                                 JsonObject          *item);
gboolean     okno_ledger_dismiss_attention      (OknoLedger          *self,
                                                 const char          *id);
gboolean     okno_ledger_was_enqueued           (OknoLedger          *self,
                                                 const char          *key);
gboolean     okno_ledger_compact                (OknoLedger          *self,
                                                 GError             **error);
void         okno_ledger_compact_async          (OknoLedger          *self,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
gboolean     okno_ledger_compact_finish         (OknoLedger          *self,
                                                 GAsyncResult        *result,
                                                 GError             **error);
guint        okno_ledger_get_journal_length     (OknoLedger          *self);
gboolean     okno_ledger_is_compacting          (OknoLedger          *self);

G_END_DECLS
