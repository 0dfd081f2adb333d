/* okno-email-sink.h
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "okno-gmail.h"
#include "okno-notify-sink.h"
#include "okno-schedule.h"

G_BEGIN_DECLS

/* Translates @msgid into @language ("ru", "en"); the profile gives the
 * public page's catalogs, so a client's email speaks the page's language. */
typedef const char *(*OknoEmailTranslateFunc) (const char *language,
                                               const char *msgid);

/* The booking page's address as clients reach it (for the links in their
 * emails), with no trailing slash. */
typedef char *(*OknoEmailPageUrlFunc) (gpointer user_data);

#define OKNO_TYPE_EMAIL_SINK (okno_email_sink_get_type ())
G_DECLARE_FINAL_TYPE (OknoEmailSink, okno_email_sink, OKNO, EMAIL_SINK, GObject)

OknoEmailSink *okno_email_sink_new               (OknoGmail              *gmail,
                                                  OknoSchedule           *schedule,
                                                  GSettings              *settings);
void           okno_email_sink_set_owner         (OknoEmailSink          *self,
                                                  const char             *address,
                                                  const char             *language);
void           okno_email_sink_set_translate     (OknoEmailSink          *self,
                                                  OknoEmailTranslateFunc  translate);
void           okno_email_sink_set_page_url_func (OknoEmailSink          *self,
                                                  OknoEmailPageUrlFunc    func,
                                                  gpointer                user_data);
GBytes        *okno_email_sink_compose           (OknoEmailSink          *self,
                                                  const char             *kind,
                                                  const char             *key,
                                                  JsonObject             *payload,
                                                  GError                **error);
GBytes        *okno_email_sink_compose_test      (OknoEmailSink          *self,
                                                  GError                **error);
GBytes        *okno_email_sink_compose_news      (OknoEmailSink          *self,
                                                  const char             *title,
                                                  const char             *detail,
                                                  const char             *key,
                                                  GError                **error);
OknoGmail     *okno_email_sink_get_gmail         (OknoEmailSink          *self);

G_END_DECLS
