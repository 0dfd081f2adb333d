/* okno-google-auth.c
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "OknoGoogleAuth"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <libsecret/secret.h>

#include "okno-google-auth.h"
#include "okno-http-session.h"
#include "okno-token.h"

/* OAuth 2.0 for installed apps (loopback redirect + PKCE S256 + state)
 * against Google, or whatever the OKNO_GOOGLE_* variables point at.
 *
 * The refresh token, the scopes granted with it and the account live in
 * the keyring (schema ru.olgarozet.Okno.Google, one item per data folder,
 * as a small JSON secret), never in a file. The access token lives only in
 * memory: it is refreshed a minute before it expires, and once more when
 * an API call answers 401. Every caller that needs a token while a refresh
 * is under way waits for that one refresh. */

#define DEFAULT_AUTH_URL     "https://accounts.google.com/o/oauth2/v2/auth"
#define DEFAULT_TOKEN_URL    "https://oauth2.googleapis.com/token"
#define DEFAULT_CALENDAR_URL "https://www.googleapis.com/calendar/v3"
#define EXPIRY_MARGIN_USEC   (60 * G_USEC_PER_SEC)
#define SCOPES               OKNO_GOOGLE_SCOPE_EVENTS " " OKNO_GOOGLE_SCOPE_READONLY " " OKNO_GOOGLE_SCOPE_GMAIL

struct _OknoGoogleAuth
{
  GObject       parent_instance;

  char         *data_dir;
  char         *client_id;
  char         *client_secret;
  char         *auth_url;
  char         *token_url;
  char         *revoke_url;
  char         *calendar_url;
  SoupSession  *session;

  /* What the keyring holds. */
  gboolean      loaded;
  char         *refresh_token;
  char         *scopes;
  char         *account;
  gboolean      reconnect;

  char         *access_token;
  gint64        expires_at;     /* monotonic µs */
  gboolean      refreshing;
  GQueue        waiters;        /* GTask * for a token */

  /* A connect under way. */
  GTask        *connect_task;
  SoupServer   *loopback;
  char         *authorization_uri;
  char         *redirect_uri;
  char         *verifier;
  char         *state;
  gboolean      exchanging;
};

G_DEFINE_FINAL_TYPE (OknoGoogleAuth, okno_google_auth, G_TYPE_OBJECT)

G_DEFINE_QUARK (okno-google-error-quark, okno_google_error)

enum {
  PROP_0,
  PROP_AUTHORIZATION_URI,
  PROP_CONNECTED,
  PROP_RECONNECT,
  PROP_GRANTED_SCOPES,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

static const SecretSchema *
get_schema (void)
{
  static const SecretSchema schema = {
    "ru.olgarozet.Okno.Google", SECRET_SCHEMA_NONE,
    {
      { "data-dir", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    }
  };

  return &schema;
}

static GHashTable *
secret_attributes (OknoGoogleAuth *self)
{
  GHashTable *attributes = g_hash_table_new (g_str_hash, g_str_equal);

  g_hash_table_insert (attributes, (gpointer) "data-dir", self->data_dir);
  return attributes;
}

static const char *
env_or (const char *name,
        const char *fallback)
{
  const char *value = g_getenv (name);

  return value && *value ? value : fallback;
}

static void
replace_str (char       **field,
             const char  *value)
{
  if (g_strcmp0 (*field, value) == 0)
    return;
  g_free (*field);
  *field = g_strdup (value);
}

static char *
s256_challenge (const char *verifier)
{
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  guint8 digest[32];
  gsize len = sizeof digest;

  g_checksum_update (sum, (const guchar *) verifier, -1);
  g_checksum_get_digest (sum, digest, &len);
  return okno_base64url_encode (digest, len);
}

static char *
random_string (gsize n_bytes)
{
  g_autofree guint8 *bytes = g_malloc (n_bytes);

  okno_random_bytes (bytes, n_bytes);
  return okno_base64url_encode (bytes, n_bytes);
}

static JsonObject *
parse_object (GBytes *bytes)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  gsize len = 0;
  const char *data = bytes ? g_bytes_get_data (bytes, &len) : NULL;

  if (data == NULL || len == 0 ||
      !json_parser_load_from_data (parser, data, len, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return NULL;
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}


/* A form POST to the token (or revoke) endpoint; the client id and secret
 * go with every token request. */
static SoupMessage *
form_message (OknoGoogleAuth *self,
              const char     *url,
              GHashTable     *form,
              gboolean        with_client)
{
  g_autofree char *encoded = NULL;
  g_autoptr(GBytes) body = NULL;
  SoupMessage *msg;

  if (with_client)
    {
      g_hash_table_insert (form, (gpointer) "client_id", self->client_id);
      g_hash_table_insert (form, (gpointer) "client_secret", self->client_secret);
    }
  encoded = soup_form_encode_hash (form);
  body = g_bytes_new_take (encoded, strlen (encoded));
  encoded = NULL;
  msg = soup_message_new (SOUP_METHOD_POST, url);
  if (msg == NULL)
    return NULL;
  soup_message_set_request_body_from_bytes (msg, "application/x-www-form-urlencoded", body);
  return msg;
}

/* Member @name of a token endpoint's answer when it is a string, else
 * @fallback. Google's JSON APIs answer errors with an object in "error"
 * (a 503 from a front end), OAuth with a string: both must be read. */
static const char *
reply_string (JsonObject *reply,
              const char *name,
              const char *fallback)
{
  JsonNode *node = reply ? json_object_get_member (reply, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return fallback;
  return json_node_get_string (node);
}

static char *
describe_oauth_error (guint       status,
                      JsonObject *reply)
{
  const char *error = reply ? reply_string (reply, "error", NULL) : NULL;
  const char *description = reply ? reply_string (reply, "error_description", NULL) : NULL;

  if (error && description)
    return g_strdup_printf ("%s: %s (HTTP %u)", error, description, status);
  if (error)
    return g_strdup_printf ("%s (HTTP %u)", error, status);
  return g_strdup_printf (_("The token endpoint answered HTTP %u"), status);
}

/* The keyring */

static char *
secret_text (OknoGoogleAuth *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "refresh_token");
  json_builder_add_string_value (builder, self->refresh_token);
  json_builder_set_member_name (builder, "scope");
  json_builder_add_string_value (builder, self->scopes ? self->scopes : "");
  if (self->account)
    {
      json_builder_set_member_name (builder, "account");
      json_builder_add_string_value (builder, self->account);
    }
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

static void
store_secret_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!secret_password_store_finish (result, &error))
    g_task_return_new_error (task, OKNO_GOOGLE_ERROR, OKNO_GOOGLE_ERROR_SECRETS,
                             _("Could not store the Google sign-in in the keyring: %s"), error->message);
  else
    g_task_return_boolean (task, TRUE);
}

static void
store_secret (OknoGoogleAuth      *self,
              GCancellable        *cancellable,
              GAsyncReadyCallback  callback,
              gpointer             user_data)
{
  g_autoptr(GHashTable) attributes = secret_attributes (self);
  g_autofree char *text = secret_text (self);
  g_autofree char *label = g_strdup_printf ("Okno: Google Calendar (%s)", self->data_dir);
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  secret_password_storev (get_schema (), attributes, SECRET_COLLECTION_DEFAULT, label, text,
                          cancellable, store_secret_cb, task);
}

static void
load_secret_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  OknoGoogleAuth *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = secret_password_lookup_finish (result, &error);
  g_autoptr(JsonObject) stored = NULL;
  g_autoptr(GBytes) bytes = NULL;

  if (error)
    {
      g_task_return_new_error (task, OKNO_GOOGLE_ERROR, OKNO_GOOGLE_ERROR_SECRETS,
                               _("Could not read the Google sign-in from the keyring: %s"), error->message);
      return;
    }

  self->loaded = TRUE;
  if (text)
    {
      bytes = g_bytes_new (text, strlen (text));
      stored = parse_object (bytes);
    }
  if (stored && json_object_get_string_member_with_default (stored, "refresh_token", NULL))
    {
      replace_str (&self->refresh_token, json_object_get_string_member (stored, "refresh_token"));
      replace_str (&self->scopes, json_object_get_string_member_with_default (stored, "scope", ""));
      replace_str (&self->account, json_object_get_string_member_with_default (stored, "account", NULL));
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONNECTED]);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_GRANTED_SCOPES]);
    }
  g_task_return_boolean (task, TRUE);
}

/* Connecting: the loopback server */

static void
finish_connect (OknoGoogleAuth *self,
                GError         *error)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->connect_task);

  if (self->loopback)
    {
      soup_server_disconnect (self->loopback);
      g_clear_object (&self->loopback);
    }
  g_clear_pointer (&self->verifier, g_free);
  g_clear_pointer (&self->state, g_free);
  self->exchanging = FALSE;

  if (task == NULL)
    {
      g_clear_error (&error);
      return;
    }
  if (error)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
answer_browser (SoupServerMessage *msg,
                guint              status,
                const char        *title,
                const char        *text)
{
  g_autofree char *t = g_markup_escape_text (title, -1);
  g_autofree char *x = g_markup_escape_text (text, -1);
  g_autofree char *page = g_strdup_printf ("<!DOCTYPE html><html><head><meta charset=\"utf-8\">"
                                           "<title>Okno</title></head><body><h1>%s</h1><p>%s</p>"
                                           "</body></html>", t, x);
  gsize len = strlen (page);

  soup_server_message_set_status (msg, status, NULL);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "Content-Security-Policy", "default-src 'none'");
  soup_server_message_set_response (msg, "text/html; charset=utf-8", SOUP_MEMORY_TAKE,
                                    g_steal_pointer (&page), len);
}

typedef struct
{
  OknoGoogleAuth    *self;
  SoupServerMessage *msg;
  GError            *error;
} Exchange;

static void
exchange_free (Exchange *ex)
{
  g_clear_object (&ex->self);
  g_clear_object (&ex->msg);
  g_clear_error (&ex->error);
  g_free (ex);
}

/* The browser's answer has been written: only now end the connect, so
 * the loopback server does not go away under it — and from an idle, as
 * libsoup still holds the message while it emits ::finished. */
static gboolean
end_connect_cb (gpointer user_data)
{
  Exchange *ex = user_data;

  finish_connect (ex->self, g_steal_pointer (&ex->error));
  exchange_free (ex);
  return G_SOURCE_REMOVE;
}

static void
browser_answered_cb (SoupServerMessage *msg,
                     gpointer           user_data)
{
  g_signal_handlers_disconnect_by_func (msg, browser_answered_cb, user_data);
  g_idle_add (end_connect_cb, user_data);
}

static void
answer_and_finish (Exchange *ex,
                   GError   *error)
{
  ex->error = error;
  if (error)
    answer_browser (ex->msg, error->code == OKNO_GOOGLE_ERROR_DENIED ? 403 : 502,
                    _("Okno could not connect to Google"), error->message);
  else
    answer_browser (ex->msg, 200, _("Okno is connected to Google Calendar"),
                    _("You can close this tab."));
  g_signal_connect (ex->msg, "finished", G_CALLBACK (browser_answered_cb), ex);
  soup_server_message_unpause (ex->msg);
}

static void
connect_stored_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  Exchange *ex = user_data;
  GError *error = NULL;

  if (g_task_propagate_boolean (G_TASK (result), &error))
    {
      ex->self->reconnect = FALSE;
      g_object_notify_by_pspec (G_OBJECT (ex->self), properties[PROP_RECONNECT]);
      g_object_notify_by_pspec (G_OBJECT (ex->self), properties[PROP_CONNECTED]);
      g_object_notify_by_pspec (G_OBJECT (ex->self), properties[PROP_GRANTED_SCOPES]);
    }
  answer_and_finish (ex, error);
}

static void
code_exchanged_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  Exchange *ex = user_data;
  OknoGoogleAuth *self = ex->self;
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (object), result);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = soup_session_send_and_read_finish (SOUP_SESSION (object), result, &error);
  g_autoptr(JsonObject) reply = NULL;
  guint status;
  const char *access, *refresh, *scope;
  gint64 expires_in;

  if (bytes == NULL)
    {
      answer_and_finish (ex, g_error_new (OKNO_GOOGLE_ERROR, OKNO_GOOGLE_ERROR_NETWORK,
                                          _("Could not reach Google’s token endpoint: %s"), error->message));
      return;
    }

  status = soup_message_get_status (msg);
  reply = parse_object (bytes);
  access = reply ? reply_string (reply, "access_token", NULL) : NULL;
  refresh = reply ? reply_string (reply, "refresh_token", NULL) : NULL;
  if (status != 200 || access == NULL || refresh == NULL)
    {
      g_autofree char *why = describe_oauth_error (status, reply);
      answer_and_finish (ex, g_error_new (OKNO_GOOGLE_ERROR, OKNO_GOOGLE_ERROR_HTTP,
                                          _("Google refused the sign-in: %s"), why));
      return;
    }

  scope = reply_string (reply, "scope", "");
  expires_in = json_object_get_int_member_with_default (reply, "expires_in", 3599);
  replace_str (&self->access_token, access);
  self->expires_at = g_get_monotonic_time () + expires_in * G_USEC_PER_SEC;
  replace_str (&self->refresh_token, refresh);
  replace_str (&self->scopes, scope);
  g_clear_pointer (&self->account, g_free);
  self->loaded = TRUE;
  g_debug ("Signed in; granted: %s", scope);

  store_secret (self, NULL, connect_stored_cb, ex);
}

static void
loopback_cb (SoupServer        *server,
             SoupServerMessage *msg,
             const char        *path,
             GHashTable        *query,
             gpointer           user_data)
{
  OknoGoogleAuth *self = user_data;
  const char *state = query ? g_hash_table_lookup (query, "state") : NULL;
  const char *code = query ? g_hash_table_lookup (query, "code") : NULL;
  const char *error = query ? g_hash_table_lookup (query, "error") : NULL;
  g_autoptr(GHashTable) form = NULL;
  g_autoptr(SoupMessage) post = NULL;
  Exchange *ex;

  if (!g_str_equal (path, "/") || g_strcmp0 (soup_server_message_get_method (msg), "GET") != 0)
    {
      soup_server_message_set_status (msg, 404, NULL);
      return;
    }

  /* A redirect that is not the answer to our own request (another tab, a
   * forged link) is refused and the real one still awaited. */
  if (self->state == NULL || state == NULL || !g_str_equal (state, self->state) || self->exchanging)
    {
      g_debug ("Refused a redirect whose state does not match");
      answer_browser (msg, 400, _("This sign-in is not the one Okno started"),
                      _("Start connecting again from Okno."));
      return;
    }

  if (error != NULL || code == NULL)
    {
      ex = g_new0 (Exchange, 1);
      ex->self = g_object_ref (self);
      ex->msg = g_object_ref (msg);
      soup_server_message_pause (msg);
      answer_and_finish (ex, g_error_new (OKNO_GOOGLE_ERROR, OKNO_GOOGLE_ERROR_DENIED,
                                          _("Google access was not granted (%s)"),
                                          error ? error : "no code"));
      return;
    }

  self->exchanging = TRUE;
  form = g_hash_table_new (g_str_hash, g_str_equal);
  g_hash_table_insert (form, (gpointer) "grant_type", (gpointer) "authorization_code");
  g_hash_table_insert (form, (gpointer) "code", (gpointer) code);
  g_hash_table_insert (form, (gpointer) "redirect_uri", self->redirect_uri);
  g_hash_table_insert (form, (gpointer) "code_verifier", self->verifier);
  post = form_message (self, self->token_url, form, TRUE);

  ex = g_new0 (Exchange, 1);
  ex->self = g_object_ref (self);
  ex->msg = g_object_ref (msg);
  soup_server_message_pause (msg);
  if (post == NULL)
    {
      answer_and_finish (ex, g_error_new (OKNO_GOOGLE_ERROR, OKNO_GOOGLE_ERROR_NOT_CONFIGURED,
                                          _("The token endpoint %s is not a valid URL"), self->token_url));
      return;
    }
  soup_session_send_and_read_async (self->session, post, G_PRIORITY_DEFAULT, NULL,
                                    code_exchanged_cb, ex);
}

static void
connect_cancelled_cb (GCancellable   *cancellable,
                      OknoGoogleAuth *self)
{
  if (self->connect_task && g_task_get_cancellable (self->connect_task) == cancellable &&
      !self->exchanging)
    finish_connect (self, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                               _("Connecting to Google was cancelled")));
}

/* Tokens */

static void
fail_waiters (OknoGoogleAuth *self,
              const GError   *error)
{
  GTask *task;

  while ((task = g_queue_pop_head (&self->waiters)))
    {
      g_task_return_error (task, g_error_copy (error));
      g_object_unref (task);
    }
}

static void
refreshed_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(OknoGoogleAuth) self = user_data;
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (object), result);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = soup_session_send_and_read_finish (SOUP_SESSION (object), result, &error);
  g_autoptr(JsonObject) reply = NULL;
  const char *access, *refresh, *scope;
  guint status;
  GTask *task;

  self->refreshing = FALSE;

  if (bytes == NULL)
    {
      g_autoptr(GError) failure = g_error_new (OKNO_GOOGLE_ERROR, OKNO_GOOGLE_ERROR_NETWORK,
                                               _("Could not reach Google: %s"), error->message);
      fail_waiters (self, failure);
      return;
    }

  status = soup_message_get_status (msg);
  reply = parse_object (bytes);
  access = reply ? reply_string (reply, "access_token", NULL) : NULL;

  if (status == 400 && reply &&
      g_strcmp0 (reply_string (reply, "error", NULL), "invalid_grant") == 0)
    {
      g_autoptr(GError) failure = g_error_new_literal (OKNO_GOOGLE_ERROR, OKNO_GOOGLE_ERROR_RECONNECT,
                                                       _("Google needs you to sign in again"));
      g_message ("The refresh token was refused: reconnect needed");
      g_clear_pointer (&self->access_token, g_free);
      if (!self->reconnect)
        {
          self->reconnect = TRUE;
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RECONNECT]);
        }
      fail_waiters (self, failure);
      return;
    }

  if (status != 200 || access == NULL)
    {
      g_autofree char *why = describe_oauth_error (status, reply);
      g_autoptr(GError) failure = g_error_new (OKNO_GOOGLE_ERROR,
                                               status >= 500 ? OKNO_GOOGLE_ERROR_NETWORK : OKNO_GOOGLE_ERROR_HTTP,
                                               _("Google refused to refresh the sign-in: %s"), why);
      fail_waiters (self, failure);
      return;
    }

  replace_str (&self->access_token, access);
  self->expires_at = g_get_monotonic_time ()
                     + json_object_get_int_member_with_default (reply, "expires_in", 3599) * G_USEC_PER_SEC;
  if ((scope = reply_string (reply, "scope", NULL)) &&
      g_strcmp0 (scope, self->scopes) != 0)
    {
      replace_str (&self->scopes, scope);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_GRANTED_SCOPES]);
    }
  if ((refresh = reply_string (reply, "refresh_token", NULL)) &&
      g_strcmp0 (refresh, self->refresh_token) != 0)
    {
      replace_str (&self->refresh_token, refresh);
      store_secret (self, NULL, NULL, NULL);
    }
  if (self->reconnect)
    {
      self->reconnect = FALSE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RECONNECT]);
    }

  while ((task = g_queue_pop_head (&self->waiters)))
    {
      g_task_return_pointer (task, g_strdup (self->access_token), g_free);
      g_object_unref (task);
    }
}

static void
start_refresh (OknoGoogleAuth *self)
{
  g_autoptr(GHashTable) form = NULL;
  g_autoptr(SoupMessage) msg = NULL;

  if (self->refresh_token == NULL)
    {
      g_autoptr(GError) error = g_error_new_literal (OKNO_GOOGLE_ERROR, OKNO_GOOGLE_ERROR_NOT_CONNECTED,
                                                     _("Okno is not connected to Google"));
      fail_waiters (self, error);
      return;
    }

  form = g_hash_table_new (g_str_hash, g_str_equal);
  g_hash_table_insert (form, (gpointer) "grant_type", (gpointer) "refresh_token");
  g_hash_table_insert (form, (gpointer) "refresh_token", self->refresh_token);
  msg = form_message (self, self->token_url, form, TRUE);
  if (msg == NULL)
    {
      g_autoptr(GError) error = g_error_new (OKNO_GOOGLE_ERROR, OKNO_GOOGLE_ERROR_NOT_CONFIGURED,
                                             _("The token endpoint %s is not a valid URL"), self->token_url);
      fail_waiters (self, error);
      return;
    }
  self->refreshing = TRUE;
  soup_session_send_and_read_async (self->session, msg, G_PRIORITY_DEFAULT, NULL,
                                    refreshed_cb, g_object_ref (self));
}

static void
loaded_for_token_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  OknoGoogleAuth *self = OKNO_GOOGLE_AUTH (object);
  g_autoptr(GError) error = NULL;

  if (!okno_google_auth_load_finish (self, result, &error))
    {
      self->refreshing = FALSE;
      fail_waiters (self, error);
      return;
    }
  start_refresh (self);
}

/* API requests */

typedef struct
{
  char    *method;
  char    *uri;
  GBytes  *body;
  char    *if_match;
  gboolean refreshed;
  guint    status;
  char    *retry_after;
} Request;

static void
request_free (Request *r)
{
  g_free (r->method);
  g_free (r->uri);
  g_clear_pointer (&r->body, g_bytes_unref);
  g_free (r->if_match);
  g_free (r->retry_after);
  g_free (r);
}

static void request_with_token_cb (GObject      *object,
                                   GAsyncResult *result,
                                   gpointer      user_data);

static void
request_sent_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  OknoGoogleAuth *self = g_task_get_source_object (task);
  Request *r = g_task_get_task_data (task);
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (object), result);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = soup_session_send_and_read_finish (SOUP_SESSION (object), result, &error);

  if (bytes == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_task_return_error (task, g_steal_pointer (&error));
      else
        g_task_return_new_error (task, OKNO_GOOGLE_ERROR, OKNO_GOOGLE_ERROR_NETWORK,
                                 _("Could not reach Google: %s"), error->message);
      return;
    }

  r->status = soup_message_get_status (msg);
  g_free (r->retry_after);
  r->retry_after = g_strdup (soup_message_headers_get_one (soup_message_get_response_headers (msg),
                                                            "Retry-After"));

  /* An access token Google no longer takes: refresh once, retry once. */
  if (r->status == 401 && !r->refreshed)
    {
      r->refreshed = TRUE;
      g_debug ("401 from %s %s: refreshing the access token", r->method, r->uri);
      okno_google_auth_get_token_async (self, TRUE, g_task_get_cancellable (task),
                                        request_with_token_cb, g_object_ref (task));
      return;
    }

  g_task_return_pointer (task, g_steal_pointer (&bytes), (GDestroyNotify) g_bytes_unref);
}

static void
request_with_token_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  OknoGoogleAuth *self = OKNO_GOOGLE_AUTH (object);
  Request *r = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *token = okno_google_auth_get_token_finish (self, result, &error);
  g_autofree char *bearer = NULL;
  g_autoptr(SoupMessage) msg = NULL;

  if (token == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  msg = soup_message_new (r->method, r->uri);
  if (msg == NULL)
    {
      g_task_return_new_error (task, OKNO_GOOGLE_ERROR, OKNO_GOOGLE_ERROR_NOT_CONFIGURED,
                               _("%s is not a valid URL"), r->uri);
      return;
    }
  bearer = g_strdup_printf ("Bearer %s", token);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", bearer);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Accept", "application/json");
  if (r->if_match)
    soup_message_headers_replace (soup_message_get_request_headers (msg), "If-Match", r->if_match);
  if (r->body)
    soup_message_set_request_body_from_bytes (msg, "application/json", r->body);

  soup_session_send_and_read_async (self->session, msg, G_PRIORITY_DEFAULT,
                                    g_task_get_cancellable (task), request_sent_cb,
                                    g_object_ref (task));
}

/* Disconnecting */

static void
forgotten_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!secret_password_clear_finish (result, &error) && error != NULL)
    g_task_return_new_error (task, OKNO_GOOGLE_ERROR, OKNO_GOOGLE_ERROR_SECRETS,
                             _("Could not remove the Google sign-in from the keyring: %s"), error->message);
  else
    g_task_return_boolean (task, TRUE);
}

static void
revoked_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  OknoGoogleAuth *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = soup_session_send_and_read_finish (SOUP_SESSION (object), result, &error);
  g_autoptr(GHashTable) attributes = secret_attributes (self);

  /* Forget the token even when Google could not be told: it is Olga's
   * wish, and an unrevoked token dies with the consent anyway. */
  if (bytes == NULL)
    g_message ("Could not revoke the token at Google: %s", error->message);

  g_clear_pointer (&self->refresh_token, g_free);
  g_clear_pointer (&self->access_token, g_free);
  g_clear_pointer (&self->scopes, g_free);
  g_clear_pointer (&self->account, g_free);
  self->reconnect = FALSE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONNECTED]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RECONNECT]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_GRANTED_SCOPES]);

  secret_password_clearv (get_schema (), attributes, g_task_get_cancellable (task),
                          forgotten_cb, g_object_ref (task));
}

static void
loaded_for_disconnect_cb (GObject      *object,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  OknoGoogleAuth *self = OKNO_GOOGLE_AUTH (object);
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) form = NULL;
  g_autoptr(SoupMessage) msg = NULL;

  if (!okno_google_auth_load_finish (self, result, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  form = g_hash_table_new (g_str_hash, g_str_equal);
  g_hash_table_insert (form, (gpointer) "token", self->refresh_token ? self->refresh_token : (char *) "");
  if (self->refresh_token == NULL || !(msg = form_message (self, self->revoke_url, form, FALSE)))
    {
      GTask *again = g_object_ref (task);
      g_autoptr(GHashTable) attributes = secret_attributes (self);

      secret_password_clearv (get_schema (), attributes, g_task_get_cancellable (task),
                              forgotten_cb, again);
      return;
    }
  soup_session_send_and_read_async (self->session, msg, G_PRIORITY_DEFAULT,
                                    g_task_get_cancellable (task), revoked_cb,
                                    g_object_ref (task));
}

/* GObject */

static void
okno_google_auth_dispose (GObject *object)
{
  OknoGoogleAuth *self = (OknoGoogleAuth *)object;
  g_autoptr(GError) error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "Disposed");

  if (self->connect_task)
    finish_connect (self, g_error_copy (error));
  if (self->loopback)
    soup_server_disconnect (self->loopback);
  g_clear_object (&self->loopback);
  fail_waiters (self, error);
  if (self->session)
    soup_session_abort (self->session);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (okno_google_auth_parent_class)->dispose (object);
}

static void
okno_google_auth_finalize (GObject *object)
{
  OknoGoogleAuth *self = (OknoGoogleAuth *)object;

  g_free (self->data_dir);
  g_free (self->client_id);
  g_free (self->client_secret);
  g_free (self->auth_url);
  g_free (self->token_url);
  g_free (self->revoke_url);
  g_free (self->calendar_url);
  g_free (self->refresh_token);
  g_free (self->scopes);
  g_free (self->account);
  g_free (self->access_token);
  g_free (self->authorization_uri);
  g_free (self->redirect_uri);
  g_free (self->verifier);
  g_free (self->state);

  G_OBJECT_CLASS (okno_google_auth_parent_class)->finalize (object);
}

static void
okno_google_auth_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  OknoGoogleAuth *self = OKNO_GOOGLE_AUTH (object);

  switch (prop_id)
    {
    case PROP_AUTHORIZATION_URI:
      g_value_set_string (value, self->authorization_uri);
      break;
    case PROP_CONNECTED:
      g_value_set_boolean (value, okno_google_auth_is_connected (self));
      break;
    case PROP_RECONNECT:
      g_value_set_boolean (value, self->reconnect);
      break;
    case PROP_GRANTED_SCOPES:
      g_value_set_string (value, self->scopes);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
okno_google_auth_class_init (OknoGoogleAuthClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = okno_google_auth_dispose;
  object_class->finalize = okno_google_auth_finalize;
  object_class->get_property = okno_google_auth_get_property;

  properties[PROP_AUTHORIZATION_URI] =
    g_param_spec_string ("authorization-uri", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_CONNECTED] =
    g_param_spec_boolean ("connected", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_RECONNECT] =
    g_param_spec_boolean ("reconnect", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_GRANTED_SCOPES] =
    g_param_spec_string ("granted-scopes", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
okno_google_auth_init (OknoGoogleAuth *self)
{
  g_queue_init (&self->waiters);
}

/* Public API */

OknoGoogleAuth *
okno_google_auth_new (const char *data_dir)
{
  OknoGoogleAuth *self;
  const char *token_url;

  g_return_val_if_fail (data_dir != NULL, NULL);

  self = g_object_new (OKNO_TYPE_GOOGLE_AUTH, NULL);
  self->data_dir = g_strdup (data_dir);
  self->client_id = g_strdup (env_or ("OKNO_GOOGLE_CLIENT_ID", GOOGLE_CLIENT_ID));
  self->client_secret = g_strdup (env_or ("OKNO_GOOGLE_CLIENT_SECRET", GOOGLE_CLIENT_SECRET));
  self->auth_url = g_strdup (env_or ("OKNO_GOOGLE_AUTH_URL", DEFAULT_AUTH_URL));
  token_url = env_or ("OKNO_GOOGLE_TOKEN_URL", DEFAULT_TOKEN_URL);
  self->token_url = g_strdup (token_url);
  /* Google revokes next to where it issues: …/token → …/revoke. */
  if (g_str_has_suffix (token_url, "/token"))
    self->revoke_url = g_strdup_printf ("%.*s/revoke", (int) strlen (token_url) - 6, token_url);
  else
    self->revoke_url = g_strdup ("https://oauth2.googleapis.com/revoke");
  self->calendar_url = g_strdup (env_or ("OKNO_GOOGLE_CALENDAR_URL", DEFAULT_CALENDAR_URL));
  if (g_str_has_suffix (self->calendar_url, "/"))
    self->calendar_url[strlen (self->calendar_url) - 1] = '\0';
  self->session = okno_http_session_new ("timeout", 30, NULL);
  return self;
}

const char *
okno_google_auth_get_data_dir (OknoGoogleAuth *self)
{
  g_return_val_if_fail (OKNO_IS_GOOGLE_AUTH (self), NULL);
  return self->data_dir;
}

const char *
okno_google_auth_get_calendar_url (OknoGoogleAuth *self)
{
  g_return_val_if_fail (OKNO_IS_GOOGLE_AUTH (self), NULL);
  return self->calendar_url;
}

SoupSession *
okno_google_auth_get_session (OknoGoogleAuth *self)
{
  g_return_val_if_fail (OKNO_IS_GOOGLE_AUTH (self), NULL);
  return self->session;
}

gboolean
okno_google_auth_check_client (OknoGoogleAuth  *self,
                               GError         **error)
{
  g_return_val_if_fail (OKNO_IS_GOOGLE_AUTH (self), FALSE);

  if (*self->client_id == '\0' || *self->client_secret == '\0')
    {
      g_set_error_literal (error, OKNO_GOOGLE_ERROR, OKNO_GOOGLE_ERROR_NOT_CONFIGURED,
                           _("No Google OAuth client: build with -Dgoogle_client_id= and "
                             "-Dgoogle_client_secret=, or set OKNO_GOOGLE_CLIENT_ID and "
                             "OKNO_GOOGLE_CLIENT_SECRET"));
      return FALSE;
    }
  return TRUE;
}

/**
 * okno_google_auth_connect_async:
 * @loopback_port: the port to wait on for Google's redirect, 0 for any free one
 *
 * Starts the sign-in: listens on 127.0.0.1, then sets
 * #OknoGoogleAuth:authorization-uri, the page to open in a browser. Finishes
 * once Google's redirect came back, the code was exchanged and the refresh
 * token is in the keyring.
 */
void
okno_google_auth_connect_async (OknoGoogleAuth      *self,
                                guint                loopback_port,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *challenge = NULL;
  g_autoptr(GString) uri = NULL;
  GSList *uris;
  struct { const char *name; const char *value; } params[8];

  g_return_if_fail (OKNO_IS_GOOGLE_AUTH (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, okno_google_auth_connect_async);

  if (self->connect_task != NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PENDING,
                               _("Connecting to Google is already under way"));
      return;
    }
  if (!okno_google_auth_check_client (self, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  self->loopback = soup_server_new ("server-header", "Okno", NULL);
  soup_server_add_handler (self->loopback, NULL, loopback_cb, self, NULL);
  if (!soup_server_listen_local (self->loopback, loopback_port, SOUP_SERVER_LISTEN_IPV4_ONLY, &error))
    {
      g_clear_object (&self->loopback);
      g_task_return_new_error (task, OKNO_GOOGLE_ERROR, OKNO_GOOGLE_ERROR_NETWORK,
                               _("Could not listen on 127.0.0.1 for Google’s answer: %s"), error->message);
      return;
    }
  uris = soup_server_get_uris (self->loopback);
  g_free (self->redirect_uri);
  self->redirect_uri = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  g_free (self->verifier);
  self->verifier = random_string (48);   /* 64 characters of [A-Za-z0-9_-] */
  g_free (self->state);
  self->state = random_string (24);
  challenge = s256_challenge (self->verifier);

  params[0].name = "client_id", params[0].value = self->client_id;
  params[1].name = "redirect_uri", params[1].value = self->redirect_uri;
  params[2].name = "response_type", params[2].value = "code";
  params[3].name = "scope", params[3].value = SCOPES;
  params[4].name = "code_challenge", params[4].value = challenge;
  params[5].name = "code_challenge_method", params[5].value = "S256";
  params[6].name = "state", params[6].value = self->state;
  params[7].name = "access_type", params[7].value = "offline";

  uri = g_string_new (self->auth_url);
  for (guint i = 0; i < G_N_ELEMENTS (params); i++)
    {
      g_autofree char *escaped = g_uri_escape_string (params[i].value, NULL, FALSE);

      g_string_append_c (uri, i == 0 && !strchr (self->auth_url, '?') ? '?' : '&');
      g_string_append_printf (uri, "%s=%s", params[i].name, escaped);
    }
  g_free (self->authorization_uri);
  self->authorization_uri = g_string_free (g_steal_pointer (&uri), FALSE);

  self->connect_task = g_steal_pointer (&task);
  if (cancellable)
    g_signal_connect_object (cancellable, "cancelled", G_CALLBACK (connect_cancelled_cb), self, 0);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AUTHORIZATION_URI]);
}

gboolean
okno_google_auth_connect_finish (OknoGoogleAuth  *self,
                                 GAsyncResult    *result,
                                 GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

const char *
okno_google_auth_get_authorization_uri (OknoGoogleAuth *self)
{
  g_return_val_if_fail (OKNO_IS_GOOGLE_AUTH (self), NULL);
  return self->authorization_uri;
}

/* Reads the keyring's item for this data folder (once). */
void
okno_google_auth_load_async (OknoGoogleAuth      *self,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GHashTable) attributes = NULL;

  g_return_if_fail (OKNO_IS_GOOGLE_AUTH (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, okno_google_auth_load_async);
  if (self->loaded)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  attributes = secret_attributes (self);
  secret_password_lookupv (get_schema (), attributes, cancellable, load_secret_cb,
                           g_steal_pointer (&task));
}

gboolean
okno_google_auth_load_finish (OknoGoogleAuth  *self,
                              GAsyncResult    *result,
                              GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

gboolean
okno_google_auth_is_connected (OknoGoogleAuth *self)
{
  g_return_val_if_fail (OKNO_IS_GOOGLE_AUTH (self), FALSE);
  return self->refresh_token != NULL;
}

gboolean
okno_google_auth_needs_reconnect (OknoGoogleAuth *self)
{
  g_return_val_if_fail (OKNO_IS_GOOGLE_AUTH (self), FALSE);
  return self->reconnect;
}

const char *
okno_google_auth_get_granted_scopes (OknoGoogleAuth *self)
{
  g_return_val_if_fail (OKNO_IS_GOOGLE_AUTH (self), NULL);
  return self->scopes;
}

gboolean
okno_google_auth_has_scope (OknoGoogleAuth *self,
                            const char     *scope)
{
  g_auto(GStrv) granted = NULL;

  g_return_val_if_fail (OKNO_IS_GOOGLE_AUTH (self), FALSE);

  granted = g_strsplit (self->scopes ? self->scopes : "", " ", -1);
  return g_strv_contains ((const char * const *) granted, scope);
}

const char *
okno_google_auth_get_account (OknoGoogleAuth *self)
{
  g_return_val_if_fail (OKNO_IS_GOOGLE_AUTH (self), NULL);
  return self->account;
}

/* Remembers the account's address (learned from the calendar list) with
 * the token, for `google status` and Preferences. */
void
okno_google_auth_set_account (OknoGoogleAuth *self,
                              const char     *account)
{
  g_return_if_fail (OKNO_IS_GOOGLE_AUTH (self));

  if (g_strcmp0 (self->account, account) == 0)
    return;
  replace_str (&self->account, account);
}

/* Writes what okno_google_auth_set_account() changed to the keyring. */
void
okno_google_auth_save_async (OknoGoogleAuth      *self,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_return_if_fail (OKNO_IS_GOOGLE_AUTH (self));

  if (self->refresh_token == NULL)
    {
      g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
      g_task_return_new_error (task, OKNO_GOOGLE_ERROR, OKNO_GOOGLE_ERROR_NOT_CONNECTED,
                               _("Okno is not connected to Google"));
      return;
    }
  store_secret (self, cancellable, callback, user_data);
}

gboolean
okno_google_auth_save_finish (OknoGoogleAuth  *self,
                              GAsyncResult    *result,
                              GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * okno_google_auth_describe_missing:
 *
 * Returns: (transfer full): one translated sentence per feature that is
 * off because Olga granted fewer scopes than Okno asked for.
 */
char **
okno_google_auth_describe_missing (OknoGoogleAuth *self)
{
  GStrvBuilder *builder = g_strv_builder_new ();
  char **result;

  g_return_val_if_fail (OKNO_IS_GOOGLE_AUTH (self), NULL);

  if (self->refresh_token)
    {
      if (!okno_google_auth_has_scope (self, OKNO_GOOGLE_SCOPE_EVENTS))
        g_strv_builder_add (builder, _("Calendar events access was not granted: slots and bookings are not written to Google Calendar"));
      if (!okno_google_auth_has_scope (self, OKNO_GOOGLE_SCOPE_READONLY))
        g_strv_builder_add (builder, _("Calendar list access was not granted: only the slot calendar is read, other calendars do not count as busy"));
      if (!okno_google_auth_has_scope (self, OKNO_GOOGLE_SCOPE_GMAIL))
        g_strv_builder_add (builder, _("Gmail sending was not granted: email notifications are off"));
    }
  result = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);
  return result;
}

void
okno_google_auth_get_token_async (OknoGoogleAuth      *self,
                                  gboolean             force_refresh,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (OKNO_IS_GOOGLE_AUTH (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, okno_google_auth_get_token_async);

  if (!force_refresh && self->access_token &&
      self->expires_at - EXPIRY_MARGIN_USEC > g_get_monotonic_time ())
    {
      g_task_return_pointer (task, g_strdup (self->access_token), g_free);
      return;
    }

  g_queue_push_tail (&self->waiters, g_steal_pointer (&task));
  if (self->refreshing)
    return;
  self->refreshing = TRUE;
  if (!self->loaded)
    okno_google_auth_load_async (self, NULL, loaded_for_token_cb, NULL);
  else
    start_refresh (self);
}

char *
okno_google_auth_get_token_finish (OknoGoogleAuth  *self,
                                   GAsyncResult    *result,
                                   GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * okno_google_auth_request_async:
 * @json_body: (nullable): the request body
 * @if_match: (nullable): the etag the change is conditional on
 *
 * One authorized API request. Google's answer comes back whatever its
 * status (see _finish()); an error only when no answer came, or no token.
 */
void
okno_google_auth_request_async (OknoGoogleAuth      *self,
                                const char          *method,
                                const char          *uri,
                                GBytes              *json_body,
                                const char          *if_match,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Request *r;

  g_return_if_fail (OKNO_IS_GOOGLE_AUTH (self));
  g_return_if_fail (method != NULL && uri != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, okno_google_auth_request_async);
  r = g_new0 (Request, 1);
  r->method = g_strdup (method);
  r->uri = g_strdup (uri);
  r->body = json_body ? g_bytes_ref (json_body) : NULL;
  r->if_match = g_strdup (if_match);
  g_task_set_task_data (task, r, (GDestroyNotify) request_free);

  okno_google_auth_get_token_async (self, FALSE, cancellable, request_with_token_cb,
                                    g_steal_pointer (&task));
}

GBytes *
okno_google_auth_request_finish (OknoGoogleAuth  *self,
                                 GAsyncResult    *result,
                                 guint           *status,
                                 char           **retry_after,
                                 GError         **error)
{
  Request *r;
  GBytes *bytes;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  r = g_task_get_task_data (G_TASK (result));
  bytes = g_task_propagate_pointer (G_TASK (result), error);
  if (status)
    *status = bytes ? r->status : 0;
  if (retry_after)
    *retry_after = bytes ? g_strdup (r->retry_after) : NULL;
  return bytes;
}

/* Revokes the refresh token at Google and removes it from the keyring. */
void
okno_google_auth_disconnect_async (OknoGoogleAuth      *self,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (OKNO_IS_GOOGLE_AUTH (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, okno_google_auth_disconnect_async);
  okno_google_auth_load_async (self, cancellable, loaded_for_disconnect_cb, task);
}

gboolean
okno_google_auth_disconnect_finish (OknoGoogleAuth  *self,
                                    GAsyncResult    *result,
                                    GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
