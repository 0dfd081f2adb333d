/* okno-reminder-text.h
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Translates an English msgid into @language ("ru", "en"): the email sink
 * passes one that reads the compiled catalog per message (the client's
 * language is not the process's). */
typedef const char *(*OknoReminderTranslateFunc) (const char *language,
                                                  const char *msgid);

/* A reminder email's parts, in the client's language. */
typedef struct
{
  char *language;   /* "ru" or "en" */
  char *to_name;
  char *to_address;
  char *subject;
  char *text;       /* plain text */
  char *html;       /* HTML, client text escaped */
} OknoReminderEmail;

const char        *okno_reminder_language          (JsonObject        *payload);
OknoReminderEmail *okno_reminder_email_new         (JsonObject        *payload,
                                                    GTimeZone         *owner_zone,
                                                    const char        *owner_name,
                                                    OknoReminderTranslateFunc translate);
void               okno_reminder_email_free        (OknoReminderEmail *email);
char              *okno_reminder_format_agenda     (JsonObject        *payload,
                                                    GTimeZone         *zone);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OknoReminderEmail, okno_reminder_email_free)

G_END_DECLS
