/* okno-waitlist.h
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "okno-booking-request.h"
#include "okno-booking-service.h"

G_BEGIN_DECLS

/* How long an entry waits before it ends by itself. */
#define OKNO_WAITLIST_MAX_DAYS 30

/* Times of day a client may choose (a slot's start in Olga's zone):
 * morning before 12:00, afternoon 12:00–17:00, evening from 17:00. */
typedef enum
{
  OKNO_WAITLIST_MORNING   = 1 << 0,
  OKNO_WAITLIST_AFTERNOON = 1 << 1,
  OKNO_WAITLIST_EVENING   = 1 << 2,
} OknoWaitlistTimes;

#define OKNO_TYPE_WAITLIST (okno_waitlist_get_type ())
G_DECLARE_FINAL_TYPE (OknoWaitlist, okno_waitlist, OKNO, WAITLIST, GObject)

OknoWaitlist *okno_waitlist_new            (OknoBookingService  *service,
                                            const char          *dir,
                                            GError             **error);
const char   *okno_waitlist_get_path       (OknoWaitlist        *self);
GPtrArray    *okno_waitlist_dup_entries    (OknoWaitlist        *self,
                                            GDateTime           *now);
guint         okno_waitlist_get_count      (OknoWaitlist        *self);
gboolean      okno_waitlist_is_busy        (OknoWaitlist        *self);
void          okno_waitlist_join_async     (OknoWaitlist        *self,
                                            OknoBookingRequest  *contact,
                                            guint                days,
                                            guint                times,
                                            const char          *page_url,
                                            const char          *lang,
                                            GDateTime           *now,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
JsonObject   *okno_waitlist_join_finish    (OknoWaitlist        *self,
                                            GAsyncResult        *result,
                                            char               **out_token,
                                            GError             **error);
JsonObject   *okno_waitlist_lookup         (OknoWaitlist        *self,
                                            const char          *id,
                                            const char          *token,
                                            GError             **error);
void          okno_waitlist_leave_async    (OknoWaitlist        *self,
                                            const char          *id,
                                            const char          *token,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
gboolean      okno_waitlist_leave_finish   (OknoWaitlist        *self,
                                            GAsyncResult        *result,
                                            GError             **error);
gboolean      okno_waitlist_remove         (OknoWaitlist        *self,
                                            const char          *id,
                                            GError             **error);
guint         okno_waitlist_expire         (OknoWaitlist        *self,
                                            GDateTime           *now);
void          okno_waitlist_check_opened   (OknoWaitlist        *self,
                                            GDateTime           *now);
void          okno_waitlist_slot_opened    (OknoWaitlist        *self,
                                            OknoSlot            *slot,
                                            GDateTime           *now);
gboolean      okno_waitlist_flush          (OknoWaitlist        *self,
                                            GError             **error);

gboolean      okno_waitlist_matches        (JsonObject          *entry,
                                            GDateTime           *start,
                                            GTimeZone           *zone);
char         *okno_waitlist_describe_wishes (JsonObject         *entry);
guint         okno_waitlist_days_from_json  (JsonObject         *entry);
guint         okno_waitlist_times_from_json (JsonObject         *entry);

/* Texts for the sinks (translated into @lang where given, else Olga's). */
char         *okno_waitlist_format_contact_message (JsonObject  *payload,
                                                    GTimeZone   *zone);
gboolean      okno_waitlist_format_offer           (JsonObject  *payload,
                                                    GTimeZone   *zone,
                                                    char       **subject,
                                                    char       **text);

G_END_DECLS
