/* test-gmail.c: OknoGmail against the fake Google's users.messages.send,
 * with a token provider that signs in to the fake the way Google's
 * installed-app flow does.
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <libsoup/soup.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>

#include "okno-email-message.h"
#include "okno-gmail.h"
#include "okno-test-utils.h"

#define SCOPE_GMAIL "https://www.googleapis.com/auth/gmail.send"
#define SCOPE_CALENDAR "https://www.googleapis.com/auth/calendar.events"

/* ------------------------------------------------ a token provider for tests */

#define TEST_TYPE_TOKENS (test_tokens_get_type ())
G_DECLARE_FINAL_TYPE (TestTokens, test_tokens, TEST, TOKENS, GObject)

struct _TestTokens
{
  GObject      parent_instance;
  char        *base;
  char        *scope;       /* NULL: not connected */
  char        *token;
  guint        refreshes;
  SoupSession *session;
};

static void test_tokens_iface_init (OknoTokenProviderInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TestTokens, test_tokens, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (OKNO_TYPE_TOKEN_PROVIDER, test_tokens_iface_init))

/* Authorization code + PKCE against the fake, no browser needed. */
static char *
sign_in (TestTokens *self)
{
  const char *verifier = "okno-test-verifier-0123456789-abcdefghijklmnopqrstuvwxyz";
  guint8 digest[32];
  gsize length = sizeof digest;
  g_autoptr(GChecksum) sha = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree char *challenge = NULL;
  g_autofree char *scope = g_uri_escape_string (self->scope, NULL, FALSE);
  g_autofree char *url = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GUri) location = NULL;
  g_autoptr(GHashTable) params = NULL;
  g_autoptr(JsonNode) reply = NULL;
  g_autofree char *form = NULL;

  g_checksum_update (sha, (const guchar *) verifier, -1);
  g_checksum_get_digest (sha, digest, &length);
  challenge = g_base64_encode (digest, length);
  for (char *p = challenge; *p; p++)
    *p = *p == '+' ? '-' : *p == '/' ? '_' : *p;
  *strchr (challenge, '=') = '\0';

  url = g_strdup_printf ("%s/o/oauth2/v2/auth?client_id=fake-client-id&redirect_uri=http%%3A%%2F%%2F127.0.0.1%%3A9%%2Fcb"
                         "&response_type=code&scope=%s&code_challenge=%s&code_challenge_method=S256&state=s",
                         self->base, scope, challenge);
  msg = soup_message_new ("GET", url);
  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
  body = soup_session_send_and_read (self->session, msg, NULL, NULL);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 302);
  location = g_uri_parse (soup_message_headers_get_one (soup_message_get_response_headers (msg), "Location"),
                          G_URI_FLAGS_NONE, NULL);
  params = g_uri_parse_params (g_uri_get_query (location), -1, "&", G_URI_PARAMS_NONE, NULL);
  g_assert_nonnull (g_hash_table_lookup (params, "code"));

  g_clear_object (&msg);
  g_clear_pointer (&body, g_bytes_unref);
  g_free (url);
  url = g_strconcat (self->base, "/token", NULL);
  form = soup_form_encode ("grant_type", "authorization_code", "code", g_hash_table_lookup (params, "code"),
                           "client_id", "fake-client-id", "client_secret", "fake-client-secret",
                           "redirect_uri", "http://127.0.0.1:9/cb", "code_verifier", verifier, NULL);
  msg = soup_message_new_from_encoded_form ("POST", url, g_steal_pointer (&form));
  body = soup_session_send_and_read (self->session, msg, NULL, NULL);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  reply = json_from_string (g_bytes_get_data (body, NULL), NULL);
  return g_strdup (json_object_get_string_member (json_node_get_object (reply), "access_token"));
}

static void
test_tokens_get_token_async (OknoTokenProvider   *provider,
                             gboolean             force_refresh,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  TestTokens *self = TEST_TOKENS (provider);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  if (self->scope == NULL)
    {
      g_task_return_pointer (task, NULL, NULL);
      return;
    }
  if (force_refresh || self->token == NULL)
    {
      self->refreshes += force_refresh ? 1 : 0;
      g_free (self->token);
      self->token = sign_in (self);
    }
  g_task_return_pointer (task, g_strdup (self->token), g_free);
}

static char *
test_tokens_get_token_finish (OknoTokenProvider  *provider,
                              GAsyncResult       *result,
                              GError            **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
test_tokens_iface_init (OknoTokenProviderInterface *iface)
{
  iface->get_token_async = test_tokens_get_token_async;
  iface->get_token_finish = test_tokens_get_token_finish;
}

static void
test_tokens_finalize (GObject *object)
{
  TestTokens *self = TEST_TOKENS (object);

  g_free (self->base);
  g_free (self->scope);
  g_free (self->token);
  g_clear_object (&self->session);
  G_OBJECT_CLASS (test_tokens_parent_class)->finalize (object);
}

static void
test_tokens_class_init (TestTokensClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = test_tokens_finalize;
}

static void
test_tokens_init (TestTokens *self)
{
  self->session = soup_session_new ();
}

/* ------------------------------------------------------------------ tests */

typedef struct
{
  GSubprocess *fake;
  char        *base;
  TestTokens  *tokens;
  OknoGmail   *gmail;
} Fixture;

static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

static void
set_up (Fixture       *f,
        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  g_autofree char *gmail_url = NULL;

  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);

  /* A failed assertion must not leave the fake running, holding the test
   * runner's pipe open. */
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  f->fake = g_subprocess_launcher_spawn (launcher, &error, FAKE_GOOGLE, "--quiet", "--port", "0", NULL);
  g_assert_no_error (error);
  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (f->fake));
  f->base = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, &error);
  g_assert_no_error (error);
  gmail_url = g_strconcat (f->base, "/gmail/v1", NULL);
  g_setenv ("OKNO_GMAIL_URL", gmail_url, TRUE);

  f->tokens = g_object_new (TEST_TYPE_TOKENS, NULL);
  f->tokens->base = g_strdup (f->base);
  f->tokens->scope = g_strdup (SCOPE_GMAIL);
  f->gmail = okno_gmail_new (OKNO_TOKEN_PROVIDER (f->tokens));
}

static void
tear_down (Fixture       *f,
           gconstpointer  data)
{
  g_assert_finalize_object (f->gmail);
  g_assert_finalize_object (f->tokens);
  g_subprocess_send_signal (f->fake, SIGTERM);
  g_subprocess_wait (f->fake, NULL, NULL);
  g_clear_object (&f->fake);
  g_free (f->base);
  g_unsetenv ("OKNO_GMAIL_URL");
}

static char *
fake_call (Fixture    *f,
           const char *method,
           const char *path,
           const char *json)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *url = g_strconcat (f->base, path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  g_autoptr(GBytes) body = NULL;

  if (json != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (json, strlen (json));
      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    }
  body = soup_session_send_and_read (session, msg, NULL, NULL);
  g_assert_cmpuint (soup_message_get_status (msg), <, 300);
  return g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
}

static GBytes *
message (void)
{
  OknoEmailMessage m = {
    .from_name = "Ольга Розет", .from_address = "olga.rozet@example.com",
    .to_name = "Анна", .to_address = "anna@example.org",
    .subject = "Запись подтверждена", .text = "Вы записаны.", .html = "<p>Вы записаны.</p>",
    .message_key = "notify:b1:booked:email:client",
  };
  g_autoptr(GError) error = NULL;
  GBytes *mime = okno_email_message_build (&m, &error);

  g_assert_no_error (error);
  return mime;
}

typedef struct
{
  gboolean  done;
  char     *id;
  GError   *error;
} Sent;

static void
sent_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Sent *sent = user_data;

  sent->id = okno_gmail_send_finish (OKNO_GMAIL (object), result, NULL, &sent->error);
  sent->done = TRUE;
}

static Sent
send (Fixture *f,
      GBytes  *mime)
{
  Sent sent = { 0 };
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  okno_gmail_send_async (f->gmail, mime, NULL, sent_cb, &sent);
  while (!sent.done)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  return sent;
}

/* Sent as the account; Gmail stores exactly our bytes. */
static void
test_sends (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GBytes) mime = message ();
  g_autofree char *stored = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *raw = NULL;
  g_autofree guchar *decoded = NULL;
  gsize length;
  JsonArray *messages;
  Sent sent = send (f, mime);

  g_assert_no_error (sent.error);
  g_assert_nonnull (sent.id);
  g_free (sent.id);

  stored = fake_call (f, "GET", "/_fake/messages", NULL);
  node = json_from_string (stored, NULL);
  messages = JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node)
                                          : json_object_get_array_member (json_node_get_object (node), "messages");
  g_assert_cmpuint (json_array_get_length (messages), ==, 1);
  raw = g_strdup (json_object_get_string_member (json_array_get_object_element (messages, 0), "raw"));
  for (char *p = raw; *p; p++)
    *p = *p == '-' ? '+' : *p == '_' ? '/' : *p;
  decoded = g_base64_decode (raw, &length);
  g_assert_cmpmem (decoded, length, g_bytes_get_data (mime, NULL), g_bytes_get_size (mime));
}

/* An expired token: one refresh, one more try, sent once. */
static void
test_refreshes_once (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GBytes) mime = message ();
  g_autofree char *r = NULL;
  Sent sent = send (f, mime);

  g_assert_no_error (sent.error);
  g_free (sent.id);
  r = fake_call (f, "POST", "/_fake/tokens", "{\"expireAccess\":true}");
  sent = send (f, mime);
  g_assert_no_error (sent.error);
  g_assert_nonnull (sent.id);
  g_free (sent.id);
  g_assert_cmpuint (f->tokens->refreshes, ==, 1);
}

static void
assert_error (Fixture         *f,
              OknoNotifyError  code,
              const char      *words)
{
  g_autoptr(GBytes) mime = message ();
  Sent sent = send (f, mime);

  g_assert_error (sent.error, OKNO_NOTIFY_ERROR, (int) code);
  g_test_message ("%s", sent.error->message);
  g_assert_nonnull (strstr (sent.error->message, words));
  g_assert_null (sent.id);
  g_clear_error (&sent.error);
}

/* Google's refusals in words. */
static void
test_errors (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *r1 = NULL, *r2 = NULL;

  g_clear_pointer (&f->tokens->scope, g_free);
  assert_error (f, OKNO_NOTIFY_ERROR_NOT_CONFIGURED, "No Google account");

  f->tokens->scope = g_strdup (SCOPE_CALENDAR);
  assert_error (f, OKNO_NOTIFY_ERROR_NOT_CONFIGURED, "allow sending email");

  g_free (f->tokens->scope);
  f->tokens->scope = g_strdup (SCOPE_GMAIL);
  g_clear_pointer (&f->tokens->token, g_free);
  r1 = fake_call (f, "POST", "/_fake/faults", "{\"path\":\"/messages/send\",\"status\":503}");
  assert_error (f, OKNO_NOTIFY_ERROR_UNAVAILABLE, "503");
  r2 = fake_call (f, "POST", "/_fake/faults", "{\"path\":\"/messages/send\",\"status\":429,\"reason\":\"rateLimitExceeded\"}");
  assert_error (f, OKNO_NOTIFY_ERROR_RATE_LIMITED, "less");
}

/* A request straight to the fake, as Bearer @token; returns the status
 * and fills @reply. */
static guint
gmail_post (Fixture     *f,
            const char  *token,
            const char  *path,
            const char  *type,
            const char  *body,
            char       **reply)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *url = g_strconcat (f->base, path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", url);
  g_autofree char *bearer = g_strconcat ("Bearer ", token, NULL);
  g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));
  g_autoptr(GBytes) answer = NULL;

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", bearer);
  soup_message_set_request_body_from_bytes (msg, type, bytes);
  answer = soup_session_send_and_read (session, msg, NULL, NULL);
  *reply = g_strndup (g_bytes_get_data (answer, NULL), g_bytes_get_size (answer));
  return soup_message_get_status (msg);
}

static char *
base64url (const char *text,
           gboolean    padded)
{
  char *out = g_base64_encode ((const guchar *) text, strlen (text));

  for (char *p = out; *p; p++)
    *p = *p == '+' ? '-' : *p == '/' ? '_' : *p;
  if (!padded && strchr (out, '=') != NULL)
    *strchr (out, '=') = '\0';
  return out;
}

static guint
send_raw (Fixture    *f,
          const char *token,
          const char *mime,
          gboolean    padded,
          char      **reply)
{
  g_autofree char *raw = base64url (mime, padded);
  g_autofree char *json = g_strdup_printf ("{\"raw\":\"%s\"}", raw);

  return gmail_post (f, token, "/gmail/v1/users/me/messages/send", "application/json", json, reply);
}

/* The fake's Gmail as notify-wire.md §2 has it: base64url with or without
 * padding, the upload endpoint, the 400s for a missing or broken To, a
 * foreign From replaced by the account, and each message kept decoded. */
static void
test_fake_speaks_gmail (Fixture       *f,
                        gconstpointer  data)
{
  /* Lengths chosen so that base64 needs padding. */
  const char *good = "From: olga.rozet@example.com\r\nTo: anna@example.org\r\nSubject: a\r\n\r\nbody1\r\n";
  const char *foreign = "From: Mallory <mallory@evil.example>\r\nTo: anna@example.org\r\nSubject: b\r\n\r\nbody\r\n";
  const char *no_to = "From: olga.rozet@example.com\r\nSubject: c\r\n\r\nbody\r\n";
  const char *bad_to = "From: olga.rozet@example.com\r\nTo: nobody\r\nSubject: d\r\n\r\nbody\r\n";
  g_autofree char *token = sign_in (f->tokens);
  g_autofree char *stored = NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonArray *messages;
  char *reply = NULL;

  g_assert_cmpuint (strlen (good) % 3, !=, 0);
  g_assert_cmpuint (send_raw (f, token, good, FALSE, &reply), ==, 200);
  g_clear_pointer (&reply, g_free);
  g_assert_cmpuint (send_raw (f, token, good, TRUE, &reply), ==, 200);
  g_assert_nonnull (strstr (reply, "\"SENT\""));
  g_clear_pointer (&reply, g_free);
  g_assert_cmpuint (gmail_post (f, token, "/upload/gmail/v1/users/me/messages/send?uploadType=media",
                                "message/rfc822", good, &reply), ==, 200);
  g_clear_pointer (&reply, g_free);
  g_assert_cmpuint (send_raw (f, token, foreign, TRUE, &reply), ==, 200);
  g_clear_pointer (&reply, g_free);

  g_assert_cmpuint (send_raw (f, token, no_to, TRUE, &reply), ==, 400);
  g_assert_nonnull (strstr (reply, "Recipient address required"));
  g_assert_nonnull (strstr (reply, "invalidArgument"));
  g_clear_pointer (&reply, g_free);
  g_assert_cmpuint (send_raw (f, token, bad_to, TRUE, &reply), ==, 400);
  g_assert_nonnull (strstr (reply, "Invalid To header"));
  g_clear_pointer (&reply, g_free);
  g_assert_cmpuint (gmail_post (f, token, "/gmail/v1/users/me/messages/send", "application/json",
                                "{\"raw\":\"not base64!\"}", &reply), ==, 400);
  g_clear_pointer (&reply, g_free);

  stored = fake_call (f, "GET", "/_fake/messages", NULL);
  node = json_from_string (stored, NULL);
  messages = json_node_get_array (node);
  g_assert_cmpuint (json_array_get_length (messages), ==, 4);
  for (guint i = 0; i < 3; i++)
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (messages, i), "mime"), ==, good);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (messages, 3), "mime"), ==,
                   "From: olga.rozet@example.com\r\nTo: anna@example.org\r\nSubject: b\r\n\r\nbody\r\n");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/okno/gmail/sends", Fixture, NULL, set_up, test_sends, tear_down);
  g_test_add ("/okno/gmail/refreshes-once", Fixture, NULL, set_up, test_refreshes_once, tear_down);
  g_test_add ("/okno/gmail/errors", Fixture, NULL, set_up, test_errors, tear_down);
  g_test_add ("/okno/gmail/fake-speaks-gmail", Fixture, NULL, set_up, test_fake_speaks_gmail, tear_down);

  return g_test_run ();
}
