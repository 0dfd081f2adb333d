/* okno-slot-write-sink.h
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "okno-calendar.h"
#include "okno-ledger.h"
#include "okno-notify-sink.h"

G_BEGIN_DECLS

/* The outbox kind of a slot write waiting for a remote calendar. */
#define OKNO_SLOT_WRITE_KIND "slot"

#define OKNO_TYPE_SLOT_WRITE_SINK (okno_slot_write_sink_get_type ())
G_DECLARE_FINAL_TYPE (OknoSlotWriteSink, okno_slot_write_sink, OKNO, SLOT_WRITE_SINK, GObject)

OknoSlotWriteSink *okno_slot_write_sink_new       (OknoCalendar *calendar);

JsonObject        *okno_slot_write_item_new       (const char   *op,
                                                   OknoEvent    *event);
const char        *okno_slot_write_item_get_lane  (JsonObject   *item);
void               okno_slot_write_stage_pending  (OknoLedger   *ledger,
                                                   OknoCalendar *calendar);
guint              okno_slot_write_count_pending  (OknoLedger   *ledger);

G_END_DECLS
