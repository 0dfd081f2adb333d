/* okno-outbox.h
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "okno-notify-sink.h"
#include "okno-schedule.h"

G_BEGIN_DECLS

#define OKNO_TYPE_OUTBOX (okno_outbox_get_type ())
G_DECLARE_FINAL_TYPE (OknoOutbox, okno_outbox, OKNO, OUTBOX, GObject)

OknoOutbox *okno_outbox_new          (OknoSchedule   *schedule);
void        okno_outbox_start        (OknoOutbox     *self);
void        okno_outbox_add_sink     (OknoOutbox     *self,
                                      const char     *kind,
                                      OknoNotifySink *sink);
void        okno_outbox_remove_sink  (OknoOutbox     *self,
                                      const char     *kind);
guint       okno_outbox_get_pending  (OknoOutbox     *self,
                                      const char     *kind);
guint       okno_outbox_get_busy     (OknoOutbox     *self,
                                      const char     *kind);

JsonObject *okno_outbox_calendar_item_new (OknoBooking *booking);
JsonObject *okno_outbox_notify_item_new   (OknoBooking *booking,
                                           const char  *kind,
                                           gboolean     by_owner);
GPtrArray  *okno_outbox_move_items_new    (OknoBooking        *booking,
                                           const char         *from_slot_id,
                                           const char * const *kinds,
                                           gboolean            by_owner);

G_END_DECLS
