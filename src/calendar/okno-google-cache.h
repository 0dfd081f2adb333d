/* okno-google-cache.h
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define OKNO_TYPE_GOOGLE_CACHE (okno_google_cache_get_type ())
G_DECLARE_FINAL_TYPE (OknoGoogleCache, okno_google_cache, OKNO, GOOGLE_CACHE, GObject)

OknoGoogleCache *okno_google_cache_new          (const char       *data_dir,
                                                 GError          **error);
const char      *okno_google_cache_get_path     (OknoGoogleCache  *self);
gboolean         okno_google_cache_lookup       (OknoGoogleCache  *self,
                                                 const char       *calendar_id,
                                                 const char      **sync_token,
                                                 GDateTime       **last_sync,
                                                 GPtrArray       **events);
void             okno_google_cache_put          (OknoGoogleCache  *self,
                                                 const char       *calendar_id,
                                                 const char       *sync_token,
                                                 GDateTime        *last_sync,
                                                 GPtrArray        *events);
void             okno_google_cache_remove       (OknoGoogleCache  *self,
                                                 const char       *calendar_id);
void             okno_google_cache_save_async   (OknoGoogleCache  *self,
                                                 GCancellable     *cancellable,
                                                 GAsyncReadyCallback callback,
                                                 gpointer          user_data);
gboolean         okno_google_cache_save_finish  (OknoGoogleCache  *self,
                                                 GAsyncResult     *result,
                                                 GError          **error);
JsonArray       *okno_google_cache_get_calendar_list (OknoGoogleCache *self);
void             okno_google_cache_set_calendar_list (OknoGoogleCache *self,
                                                      JsonArray       *calendars);
gboolean         okno_google_cache_is_saving    (OknoGoogleCache  *self);

void             okno_google_release_free_memory (void);

G_END_DECLS
