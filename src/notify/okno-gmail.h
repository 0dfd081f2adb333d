/* okno-gmail.h
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "okno-notify-error.h"
#include "okno-token-provider.h"

G_BEGIN_DECLS

#define OKNO_GMAIL_DEFAULT_URL "https://gmail.googleapis.com/gmail/v1"

#define OKNO_TYPE_GMAIL (okno_gmail_get_type ())
G_DECLARE_FINAL_TYPE (OknoGmail, okno_gmail, OKNO, GMAIL, GObject)

OknoGmail *okno_gmail_new         (OknoTokenProvider    *tokens);
void       okno_gmail_send_async  (OknoGmail            *self,
                                   GBytes               *mime,
                                   GCancellable         *cancellable,
                                   GAsyncReadyCallback   callback,
                                   gpointer              user_data);
char      *okno_gmail_send_finish (OknoGmail            *self,
                                   GAsyncResult         *result,
                                   guint                *retry_after,
                                   GError              **error);

G_END_DECLS
