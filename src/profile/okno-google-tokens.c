/* okno-google-tokens.c
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "OknoGoogleTokens"

#include "config.h"

#include "okno-google-tokens.h"

/* The Google sign-in (src/calendar) as the email channel's token provider
 * (src/notify), which may not know the calendar layer: the profile, which
 * knows both, joins them here. */
struct _OknoGoogleTokens
{
  GObject         parent_instance;

  OknoGoogleAuth *auth;
};

static void provider_iface_init (OknoTokenProviderInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (OknoGoogleTokens, okno_google_tokens, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (OKNO_TYPE_TOKEN_PROVIDER, provider_iface_init))

static void
token_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  char *token = okno_google_auth_get_token_finish (OKNO_GOOGLE_AUTH (object), result, &error);

  if (token == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, token, g_free);
}

static void
okno_google_tokens_get_token_async (OknoTokenProvider   *provider,
                                    gboolean             force_refresh,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  OknoGoogleTokens *self = OKNO_GOOGLE_TOKENS (provider);
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, okno_google_tokens_get_token_async);
  okno_google_auth_get_token_async (self->auth, force_refresh, cancellable, token_cb, task);
}

static char *
okno_google_tokens_get_token_finish (OknoTokenProvider  *provider,
                                     GAsyncResult       *result,
                                     GError            **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
provider_iface_init (OknoTokenProviderInterface *iface)
{
  iface->get_token_async = okno_google_tokens_get_token_async;
  iface->get_token_finish = okno_google_tokens_get_token_finish;
}

static void
okno_google_tokens_dispose (GObject *object)
{
  OknoGoogleTokens *self = (OknoGoogleTokens *) object;

  g_clear_object (&self->auth);

  G_OBJECT_CLASS (okno_google_tokens_parent_class)->dispose (object);
}

static void
okno_google_tokens_class_init (OknoGoogleTokensClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = okno_google_tokens_dispose;
}

static void
okno_google_tokens_init (OknoGoogleTokens *self)
{
}

OknoGoogleTokens *
okno_google_tokens_new (OknoGoogleAuth *auth)
{
  OknoGoogleTokens *self;

  g_return_val_if_fail (OKNO_IS_GOOGLE_AUTH (auth), NULL);

  self = g_object_new (OKNO_TYPE_GOOGLE_TOKENS, NULL);
  self->auth = g_object_ref (auth);
  return self;
}
