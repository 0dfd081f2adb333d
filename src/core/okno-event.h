/* okno-event.h
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define OKNO_TYPE_EVENT (okno_event_get_type ())
G_DECLARE_FINAL_TYPE (OknoEvent, okno_event, OKNO, EVENT, GObject)

OknoEvent  *okno_event_new               (const char  *id,
                                          const char  *summary,
                                          GDateTime   *start,
                                          GDateTime   *end);
OknoEvent  *okno_event_new_from_json     (JsonObject  *object,
                                          GError     **error);
JsonObject *okno_event_to_json           (OknoEvent   *self);
OknoEvent  *okno_event_copy              (OknoEvent   *self);

const char *okno_event_get_id            (OknoEvent   *self);
void        okno_event_set_id            (OknoEvent   *self,
                                          const char  *id);
const char *okno_event_get_etag          (OknoEvent   *self);
void        okno_event_set_etag          (OknoEvent   *self,
                                          const char  *etag);
const char *okno_event_get_summary       (OknoEvent   *self);
void        okno_event_set_summary       (OknoEvent   *self,
                                          const char  *summary);
const char *okno_event_get_description   (OknoEvent   *self);
void        okno_event_set_description   (OknoEvent   *self,
                                          const char  *description);
GDateTime  *okno_event_get_start         (OknoEvent   *self);
GDateTime  *okno_event_get_end           (OknoEvent   *self);
void        okno_event_set_times         (OknoEvent   *self,
                                          GDateTime   *start,
                                          GDateTime   *end);
gboolean    okno_event_is_all_day        (OknoEvent   *self);
gboolean    okno_event_is_transparent    (OknoEvent   *self);
void        okno_event_set_transparent   (OknoEvent   *self,
                                          gboolean     transparent);
gboolean    okno_event_is_cancelled      (OknoEvent   *self);
void        okno_event_set_cancelled     (OknoEvent   *self,
                                          gboolean     cancelled);
const char *okno_event_get_private       (OknoEvent   *self,
                                          const char  *key);
void        okno_event_set_private       (OknoEvent   *self,
                                          const char  *key,
                                          const char  *value);
GDateTime  *okno_event_get_updated       (OknoEvent   *self);
void        okno_event_set_updated       (OknoEvent   *self,
                                          GDateTime   *updated);
int         okno_event_compare           (gconstpointer a,
                                          gconstpointer b);

G_END_DECLS
