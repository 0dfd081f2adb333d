/* okno-slot-popover.h
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "okno-event.h"

G_BEGIN_DECLS

#define OKNO_TYPE_SLOT_POPOVER (okno_slot_popover_get_type ())
G_DECLARE_FINAL_TYPE (OknoSlotPopover, okno_slot_popover, OKNO, SLOT_POPOVER, GtkPopover)

GtkWidget *okno_slot_popover_new (OknoEvent  *event,
                                  GListModel *types,
                                  const char *current_type_id,
                                  GTimeZone  *zone);

G_END_DECLS
