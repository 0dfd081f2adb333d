/* okno-session-type.h
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "okno-schedule.h"

G_BEGIN_DECLS

#define OKNO_TYPE_SESSION_TYPE (okno_session_type_get_type ())
G_DECLARE_FINAL_TYPE (OknoSessionType, okno_session_type, OKNO, SESSION_TYPE, GObject)

/* The settings keys, and the GVariant type of the list. */
#define OKNO_SESSION_TYPES_KEY        "session-types"
#define OKNO_CURRENT_SESSION_TYPE_KEY "current-session-type"
#define OKNO_SESSION_TYPES_VARIANT    "a(ssusss)"

OknoSessionType *okno_session_type_new             (const char      *id,
                                                    const char      *name,
                                                    guint            minutes);
OknoSessionType *okno_session_type_copy            (OknoSessionType *self);
const char      *okno_session_type_get_id          (OknoSessionType *self);
const char      *okno_session_type_get_name        (OknoSessionType *self);
void             okno_session_type_set_name        (OknoSessionType *self,
                                                    const char      *name);
guint            okno_session_type_get_minutes     (OknoSessionType *self);
void             okno_session_type_set_minutes     (OknoSessionType *self,
                                                    guint            minutes);
const char      *okno_session_type_get_description (OknoSessionType *self);
void             okno_session_type_set_description (OknoSessionType *self,
                                                    const char      *description);
const char      *okno_session_type_get_place       (OknoSessionType *self);
void             okno_session_type_set_place       (OknoSessionType *self,
                                                    const char      *place);
const char      *okno_session_type_get_price       (OknoSessionType *self);
void             okno_session_type_set_price       (OknoSessionType *self,
                                                    const char      *price);
char            *okno_session_type_dup_slot_title  (OknoSessionType *self,
                                                    const char      *slot_marker);

char            *okno_session_type_name_from_title (const char      *session_type_text);

GListStore      *okno_session_types_load           (GSettings       *settings);
void             okno_session_types_save           (GSettings       *settings,
                                                    GListModel      *types);
gboolean         okno_session_types_seed           (GSettings       *settings,
                                                    GPtrArray       *slots);
gboolean         okno_session_types_ensure         (GSettings       *settings,
                                                    OknoSchedule    *schedule);
OknoSessionType *okno_session_types_lookup         (GListModel      *types,
                                                    const char      *id);
OknoSessionType *okno_session_types_find_for_title (GListModel      *types,
                                                    const char      *session_type_text);
OknoSessionType *okno_session_types_dup_current    (GSettings       *settings,
                                                    GListModel      *types);

G_END_DECLS
