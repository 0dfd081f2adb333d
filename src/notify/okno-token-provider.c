/* okno-token-provider.c
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "okno-token-provider.h"

G_DEFINE_INTERFACE (OknoTokenProvider, okno_token_provider, G_TYPE_OBJECT)

static void
okno_token_provider_default_init (OknoTokenProviderInterface *iface)
{
}

void
okno_token_provider_get_token_async (OknoTokenProvider   *self,
                                     gboolean             force_refresh,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_return_if_fail (OKNO_IS_TOKEN_PROVIDER (self));
  OKNO_TOKEN_PROVIDER_GET_IFACE (self)->get_token_async (self, force_refresh, cancellable, callback, user_data);
}

char *
okno_token_provider_get_token_finish (OknoTokenProvider  *self,
                                      GAsyncResult       *result,
                                      GError            **error)
{
  g_return_val_if_fail (OKNO_IS_TOKEN_PROVIDER (self), NULL);
  return OKNO_TOKEN_PROVIDER_GET_IFACE (self)->get_token_finish (self, result, error);
}
