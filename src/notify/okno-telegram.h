/* okno-telegram.h
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "okno-booking.h"
#include "okno-notify-error.h"

G_BEGIN_DECLS

#define OKNO_TELEGRAM_DEFAULT_API_URL "https://api.telegram.org"

#define OKNO_TYPE_TELEGRAM (okno_telegram_get_type ())
G_DECLARE_FINAL_TYPE (OknoTelegram, okno_telegram, OKNO, TELEGRAM, GObject)

/* How a delivery from the outbox went; the values of core's
 * OknoNotifySinkResult (OK, RETRY, PERMANENT), which the sink passes on. */
typedef enum
{
  OKNO_TELEGRAM_DELIVERED,
  OKNO_TELEGRAM_RETRY,
  OKNO_TELEGRAM_PERMANENT,
} OknoTelegramDelivery;

OknoTelegram *okno_telegram_new              (void);
void          okno_telegram_set_token        (OknoTelegram         *self,
                                              const char           *token);
const char   *okno_telegram_get_chat_id      (OknoTelegram         *self);
gboolean      okno_telegram_has_token        (OknoTelegram         *self);
gboolean      okno_telegram_is_configured    (OknoTelegram         *self,
                                              GError              **error);
void          okno_telegram_send_async       (OknoTelegram         *self,
                                              const char           *html,
                                              GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data);
gint64        okno_telegram_send_finish      (OknoTelegram         *self,
                                              GAsyncResult         *result,
                                              guint                *retry_after,
                                              GError              **error);

void          okno_telegram_deliver_async    (OknoTelegram         *self,
                                              const char           *key,
                                              JsonObject           *payload,
                                              GTimeZone            *zone,
                                              GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data);
OknoTelegramDelivery okno_telegram_deliver_finish (OknoTelegram    *self,
                                              GAsyncResult         *result,
                                              GTimeSpan            *retry_after,
                                              GError              **error);
char         *okno_telegram_format_event     (JsonObject           *payload,
                                              GTimeZone            *zone);

char         *okno_telegram_escape           (const char           *text);
char         *okno_telegram_html_to_plain    (const char           *html);
char         *okno_telegram_format_booking   (OknoBooking          *booking,
                                              GTimeZone            *zone,
                                              gboolean              cancelled);
char         *okno_telegram_format_news      (const char           *title,
                                              const char           *body);

G_END_DECLS
