/* okno-secrets.h
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define OKNO_SECRET_CALCOM_API_KEY     "calcom-api-key"
#define OKNO_SECRET_TELEGRAM_BOT_TOKEN "telegram-bot-token"

gboolean  okno_secrets_is_known_name (const char           *name);
void      okno_secrets_lookup_async  (const char           *data_dir,
                                      const char           *name,
                                      GCancellable         *cancellable,
                                      GAsyncReadyCallback   callback,
                                      gpointer              user_data);
char     *okno_secrets_lookup_finish (GAsyncResult         *result,
                                      GError              **error);
char     *okno_secrets_lookup_sync   (const char           *data_dir,
                                      const char           *name,
                                      GError              **error);
gboolean  okno_secrets_store_sync    (const char           *data_dir,
                                      const char           *name,
                                      const char           *value,
                                      GError              **error);
void      okno_secrets_store_async   (const char           *data_dir,
                                      const char           *name,
                                      const char           *value,
                                      GCancellable         *cancellable,
                                      GAsyncReadyCallback   callback,
                                      gpointer              user_data);
gboolean  okno_secrets_store_finish  (GAsyncResult         *result,
                                      GError              **error);
gboolean  okno_secrets_clear_sync    (const char           *data_dir,
                                      const char           *name,
                                      GError              **error);

G_END_DECLS
