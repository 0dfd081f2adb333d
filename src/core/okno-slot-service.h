/* okno-slot-service.h
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "okno-schedule.h"

G_BEGIN_DECLS

/* A slot lasts at least this long and at most this long (minutes). */
#define OKNO_SLOT_MIN_MINUTES 5
#define OKNO_SLOT_MAX_MINUTES 480

#define OKNO_TYPE_SLOT_SERVICE (okno_slot_service_get_type ())
G_DECLARE_FINAL_TYPE (OknoSlotService, okno_slot_service, OKNO, SLOT_SERVICE, GObject)

OknoSlotService *okno_slot_service_new             (OknoSchedule         *schedule);
OknoSchedule    *okno_slot_service_get_schedule    (OknoSlotService      *self);
gboolean         okno_slot_service_check           (OknoSlotService      *self,
                                                    GDateTime            *start,
                                                    GDateTime            *end,
                                                    const char           *slot_id,
                                                    GDateTime            *now,
                                                    OknoEvent           **conflict,
                                                    GError              **error);
void             okno_slot_service_publish_async   (OknoSlotService      *self,
                                                    GDateTime            *start,
                                                    GDateTime            *end,
                                                    const char           *title,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
OknoEvent       *okno_slot_service_publish_finish  (OknoSlotService      *self,
                                                    GAsyncResult         *result,
                                                    GError              **error);
void             okno_slot_service_move_async      (OknoSlotService      *self,
                                                    const char           *slot_id,
                                                    GDateTime            *start,
                                                    GDateTime            *end,
                                                    const char           *title,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
OknoEvent       *okno_slot_service_move_finish     (OknoSlotService      *self,
                                                    GAsyncResult         *result,
                                                    GError              **error);
void             okno_slot_service_delete_async    (OknoSlotService      *self,
                                                    const char           *slot_id,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
gboolean         okno_slot_service_delete_finish   (OknoSlotService      *self,
                                                    GAsyncResult         *result,
                                                    GError              **error);
guint            okno_slot_service_get_n_pending   (OknoSlotService      *self);
void             okno_slot_service_set_durable_writes (OknoSlotService   *self,
                                                       gboolean           durable);

G_END_DECLS
