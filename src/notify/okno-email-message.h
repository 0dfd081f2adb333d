/* okno-email-message.h
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "okno-booking.h"

G_BEGIN_DECLS

/* One email, before it is MIME. */
typedef struct
{
  const char *from_name;      /* Olga's name, may be Cyrillic */
  const char *from_address;   /* the Google account's address; NULL: Gmail fills it in */
  const char *to_name;        /* nullable */
  const char *to_address;
  const char *subject;
  const char *text;           /* the plain-text part */
  const char *html;           /* the HTML part, client text already escaped */
  const char *ics;            /* nullable: an iCalendar METHOD:REQUEST invitation */
  const char *message_key;    /* makes the Message-ID (and X-Okno-Key), the same for each repeat */
} OknoEmailMessage;

GBytes *okno_email_message_build      (const OknoEmailMessage *message,
                                       GError                **error);
char   *okno_email_message_to_raw     (GBytes                 *mime);
char   *okno_email_invitation_for     (OknoBooking            *booking,
                                       const char             *summary,
                                       const char             *description,
                                       const char             *organizer_name,
                                       const char             *organizer_address,
                                       const char             *attendee_address);

G_END_DECLS
