/* okno-google-auth.h
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

#define OKNO_GOOGLE_SCOPE_EVENTS   "https://www.googleapis.com/auth/calendar.events"
#define OKNO_GOOGLE_SCOPE_READONLY "https://www.googleapis.com/auth/calendar.readonly"
#define OKNO_GOOGLE_SCOPE_GMAIL    "https://www.googleapis.com/auth/gmail.send"

/* Talking to Google: the account, its tokens, its answers. */
#define OKNO_GOOGLE_ERROR (okno_google_error_quark ())
typedef enum
{
  OKNO_GOOGLE_ERROR_NOT_CONFIGURED,  /* no OAuth client id/secret */
  OKNO_GOOGLE_ERROR_NOT_CONNECTED,   /* no refresh token stored */
  OKNO_GOOGLE_ERROR_DENIED,          /* Olga said no on the consent screen */
  OKNO_GOOGLE_ERROR_RECONNECT,       /* the refresh token was refused (invalid_grant) */
  OKNO_GOOGLE_ERROR_NETWORK,         /* Google could not be reached */
  OKNO_GOOGLE_ERROR_HTTP,            /* Google answered with an error */
  OKNO_GOOGLE_ERROR_SECRETS,         /* the keyring failed */
} OknoGoogleError;

GQuark okno_google_error_quark (void);

#define OKNO_TYPE_GOOGLE_AUTH (okno_google_auth_get_type ())
G_DECLARE_FINAL_TYPE (OknoGoogleAuth, okno_google_auth, OKNO, GOOGLE_AUTH, GObject)

OknoGoogleAuth *okno_google_auth_new                    (const char           *data_dir);
const char     *okno_google_auth_get_data_dir           (OknoGoogleAuth       *self);
const char     *okno_google_auth_get_calendar_url       (OknoGoogleAuth       *self);
SoupSession    *okno_google_auth_get_session            (OknoGoogleAuth       *self);
gboolean        okno_google_auth_check_client           (OknoGoogleAuth       *self,
                                                         GError              **error);

void            okno_google_auth_connect_async          (OknoGoogleAuth       *self,
                                                         guint                 loopback_port,
                                                         GCancellable         *cancellable,
                                                         GAsyncReadyCallback   callback,
                                                         gpointer              user_data);
gboolean        okno_google_auth_connect_finish         (OknoGoogleAuth       *self,
                                                         GAsyncResult         *result,
                                                         GError              **error);
const char     *okno_google_auth_get_authorization_uri  (OknoGoogleAuth       *self);

void            okno_google_auth_load_async             (OknoGoogleAuth       *self,
                                                         GCancellable         *cancellable,
                                                         GAsyncReadyCallback   callback,
                                                         gpointer              user_data);
gboolean        okno_google_auth_load_finish            (OknoGoogleAuth       *self,
                                                         GAsyncResult         *result,
                                                         GError              **error);
gboolean        okno_google_auth_is_connected           (OknoGoogleAuth       *self);
gboolean        okno_google_auth_needs_reconnect        (OknoGoogleAuth       *self);
const char     *okno_google_auth_get_granted_scopes     (OknoGoogleAuth       *self);
gboolean        okno_google_auth_has_scope              (OknoGoogleAuth       *self,
                                                         const char           *scope);
const char     *okno_google_auth_get_account            (OknoGoogleAuth       *self);
void            okno_google_auth_set_account            (OknoGoogleAuth       *self,
                                                         const char           *account);

void            okno_google_auth_save_async             (OknoGoogleAuth       *self,
                                                         GCancellable         *cancellable,
                                                         GAsyncReadyCallback   callback,
                                                         gpointer              user_data);
gboolean        okno_google_auth_save_finish            (OknoGoogleAuth       *self,
                                                         GAsyncResult         *result,
                                                         GError              **error);
char          **okno_google_auth_describe_missing       (OknoGoogleAuth       *self);

void            okno_google_auth_get_token_async        (OknoGoogleAuth       *self,
                                                         gboolean              force_refresh,
                                                         GCancellable         *cancellable,
                                                         GAsyncReadyCallback   callback,
                                                         gpointer              user_data);
char           *okno_google_auth_get_token_finish       (OknoGoogleAuth       *self,
                                                         GAsyncResult         *result,
                                                         GError              **error);

void            okno_google_auth_request_async          (OknoGoogleAuth       *self,
                                                         const char           *method,
                                                         const char           *uri,
                                                         GBytes               *json_body,
                                                         const char           *if_match,
                                                         GCancellable         *cancellable,
                                                         GAsyncReadyCallback   callback,
                                                         gpointer              user_data);
GBytes         *okno_google_auth_request_finish         (OknoGoogleAuth       *self,
                                                         GAsyncResult         *result,
                                                         guint                *status,
                                                         char                **retry_after,
                                                         GError              **error);

void            okno_google_auth_disconnect_async       (OknoGoogleAuth       *self,
                                                         GCancellable         *cancellable,
                                                         GAsyncReadyCallback   callback,
                                                         gpointer              user_data);
gboolean        okno_google_auth_disconnect_finish      (OknoGoogleAuth       *self,
                                                         GAsyncResult         *result,
                                                         GError              **error);

G_END_DECLS
