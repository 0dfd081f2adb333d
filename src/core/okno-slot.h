/* okno-slot.h
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "okno-event.h"

G_BEGIN_DECLS

typedef enum
{
  OKNO_EVENT_KIND_BUSY,     /* anything else in her calendar that takes time */
  OKNO_EVENT_KIND_FREE,     /* transparent or cancelled: takes no time */
  OKNO_EVENT_KIND_SLOT,     /* an open slot */
  OKNO_EVENT_KIND_BOOKED,   /* a booked session */
} OknoEventKind;

/* The private extended properties Okno writes on its events. */
#define OKNO_PROP_KIND       "okno"
#define OKNO_PROP_KIND_SLOT  "slot"
#define OKNO_PROP_BOOKING    "oknoBooking"
#define OKNO_PROP_SLOT_TITLE "oknoSlotTitle"

#define OKNO_TYPE_SLOT (okno_slot_get_type ())
G_DECLARE_FINAL_TYPE (OknoSlot, okno_slot, OKNO, SLOT, GObject)

OknoEventKind okno_event_classify          (OknoEvent   *event,
                                            const char  *slot_marker,
                                            const char  *booked_marker);
char         *okno_slot_title_new          (const char  *slot_marker,
                                            const char  *session_type);
char         *okno_booked_title_new        (const char  *booked_marker,
                                            const char  *client_name,
                                            const char  *session_type);

OknoSlot     *okno_slot_new_from_event     (OknoEvent   *event,
                                            const char  *slot_marker,
                                            const char  *booked_marker);
OknoEvent    *okno_slot_get_event          (OknoSlot    *self);
const char   *okno_slot_get_id             (OknoSlot    *self);
GDateTime    *okno_slot_get_start          (OknoSlot    *self);
GDateTime    *okno_slot_get_end            (OknoSlot    *self);
guint         okno_slot_get_minutes        (OknoSlot    *self);
const char   *okno_slot_get_session_type   (OknoSlot    *self);
gboolean      okno_slot_is_booked          (OknoSlot    *self);
const char   *okno_slot_get_client_name    (OknoSlot    *self);

G_END_DECLS
