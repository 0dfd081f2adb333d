/* okno-token-provider.h
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define OKNO_TYPE_TOKEN_PROVIDER (okno_token_provider_get_type ())
G_DECLARE_INTERFACE (OknoTokenProvider, okno_token_provider, OKNO, TOKEN_PROVIDER, GObject)

/* Where the email channel gets a Google access token (scope gmail.send)
 * without knowing the calendar layer: the profile adapts the Google
 * sign-in (src/calendar/okno-google-auth) to it. force_refresh asks for a
 * new token after a 401. */
struct _OknoTokenProviderInterface
{
  GTypeInterface parent_iface;

  void   (*get_token_async)  (OknoTokenProvider    *self,
                              gboolean              force_refresh,
                              GCancellable         *cancellable,
                              GAsyncReadyCallback   callback,
                              gpointer              user_data);
  char * (*get_token_finish) (OknoTokenProvider    *self,
                              GAsyncResult         *result,
                              GError              **error);
};

void  okno_token_provider_get_token_async  (OknoTokenProvider    *self,
                                            gboolean              force_refresh,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data);
char *okno_token_provider_get_token_finish (OknoTokenProvider    *self,
                                            GAsyncResult         *result,
                                            GError              **error);

G_END_DECLS
