/* test-email-outbox.c: bookings reach Olga's mailbox and the client's
 * through the durable outbox and Gmail (tests/fake-google), together with
 * Olga's Telegram (tests/fake-telegram): one message per recipient per
 * event, MIME that GMime reads back with RFC 2047 headers, an .ics libical
 * parses, the client's name escaped in HTML, no stale confirmation after a
 * cancel, and email off (with the reason) without a Google account.
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gmime/gmime.h>
#include <libical/ical.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>

#include "okno-calcom-monitor.h"
#include "okno-ledger-private.h"
#include "okno-outbox-private.h"
#include "okno-test-utils.h"
#include "okno-test-http.h"

#define SCOPE_GMAIL "https://www.googleapis.com/auth/gmail.send"
#define HOSTILE     "<b>Анна</b> & <script>"
#define OLGA        "olga.rozet@example.com"

/* ------------------------------------ a token provider signed in to the fake */

#define TEST_TYPE_TOKENS (test_tokens_get_type ())
G_DECLARE_FINAL_TYPE (TestTokens, test_tokens, TEST, TOKENS, GObject)

struct _TestTokens
{
  GObject      parent_instance;
  char        *base;
  char        *token;
  SoupSession *session;
};

static void test_tokens_iface_init (OknoTokenProviderInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TestTokens, test_tokens, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (OKNO_TYPE_TOKEN_PROVIDER, test_tokens_iface_init))

/* Authorization code + PKCE against the fake, as test-gmail.c does. */
static char *
sign_in (TestTokens *self)
{
  const char *verifier = "okno-test-verifier-0123456789-abcdefghijklmnopqrstuvwxyz";
  guint8 digest[32];
  gsize length = sizeof digest;
  g_autoptr(GChecksum) sha = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree char *challenge = NULL;
  g_autofree char *scope = g_uri_escape_string (SCOPE_GMAIL, NULL, FALSE);
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

  if (force_refresh || self->token == NULL)
    {
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

/* ------------------------------------------------------------------ fixture */

typedef struct
{
  Fixture      http;
  GSubprocess *google;
  char        *google_base;
  GSubprocess *telegram;
  char        *telegram_base;
  SoupSession *control;
} MailFixture;

static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

static char *
start_fake (const char   *path,
            GSubprocess **out)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  char *base;

  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);

  /* A failed assertion must not leave the fake running (and the test
   * runner waiting for its stdout). */
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  if (g_str_equal (path, FAKE_GOOGLE))
    *out = g_subprocess_launcher_spawn (launcher, &error, path, "--quiet", "--port", "0", NULL);
  else
    *out = g_subprocess_launcher_spawn (launcher, &error, path, NULL);
  g_assert_no_error (error);
  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (*out));
  base = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, &error);
  g_assert_no_error (error);
  return base;
}

static void
stop_fake (GSubprocess **fake)
{
  g_subprocess_send_signal (*fake, SIGTERM);
  g_subprocess_wait (*fake, NULL, NULL);
  g_clear_object (fake);
}

/* @data: TRUE to connect a Google account that may send email. */
static void
set_up (MailFixture   *f,
        gconstpointer  data)
{
  g_autofree char *gmail_url = NULL;
  OknoTelegram *telegram;
  GSettings *settings;

  f->google_base = start_fake (FAKE_GOOGLE, &f->google);
  f->telegram_base = start_fake (FAKE_TELEGRAM, &f->telegram);
  f->control = soup_session_new ();
  gmail_url = g_strconcat (f->google_base, "/gmail/v1", NULL);
  g_setenv ("OKNO_GMAIL_URL", gmail_url, TRUE);

  okno_test_http_set_up (&f->http, GINT_TO_POINTER (0));
  settings = okno_profile_get_settings (f->http.instance);
  g_settings_set_string (settings, "owner-name", "Ольга Розет");
  g_settings_set_string (settings, "payment-url", "https://pay.example/?order={booking}&name={name}");
  g_settings_set_string (settings, "payment-note", "3000 ₽");
  g_settings_set_string (settings, "public-url", "https://book.example.org/");
  _okno_outbox_set_backoff (okno_profile_get_outbox (f->http.instance), 20, 200);

  telegram = okno_profile_get_telegram (f->http.instance);
  g_object_set (telegram, "base-url", f->telegram_base, NULL);
  okno_telegram_set_token (telegram, "123456:okno-test-token");
  g_settings_set_string (settings, "telegram-chat-id", "424242");

  if (GPOINTER_TO_INT (data))
    {
      g_autoptr(TestTokens) tokens = g_object_new (TEST_TYPE_TOKENS, NULL);

      tokens->base = g_strdup (f->google_base);
      _okno_profile_set_email_account (f->http.instance, OKNO_TOKEN_PROVIDER (tokens), OLGA);
    }
}

static void
tear_down (MailFixture   *f,
           gconstpointer  data)
{
  okno_test_http_tear_down (&f->http, NULL);
  stop_fake (&f->google);
  stop_fake (&f->telegram);
  g_clear_object (&f->control);
  g_free (f->google_base);
  g_free (f->telegram_base);
  g_unsetenv ("OKNO_GMAIL_URL");
}

static JsonNode *
control (MailFixture *f,
         const char  *method,
         const char  *url,
         const char  *json)
{
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  g_autoptr(GBytes) body = NULL;

  if (json != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (json, strlen (json));
      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    }
  body = soup_session_send_and_read (f->control, msg, NULL, NULL);
  g_assert_cmpuint (soup_message_get_status (msg), <, 300);
  return g_bytes_get_size (body) > 0 ? json_from_string (g_bytes_get_data (body, NULL), NULL) : NULL;
}

static JsonNode *
google (MailFixture *f,
        const char  *method,
        const char  *path,
        const char  *json)
{
  g_autofree char *url = g_strconcat (f->google_base, path, NULL);

  return control (f, method, url, json);
}

/* Waits until the outbox has nothing left for the notification kinds. */
static void
drain (MailFixture *f)
{
  OknoOutbox *outbox = okno_profile_get_outbox (f->http.instance);
  const char *kinds[] = { "telegram", "email", "client-email" };
  gint64 deadline = g_get_monotonic_time () + 90 * G_USEC_PER_SEC;
  gboolean busy = TRUE;

  while (busy)
    {
      busy = FALSE;
      for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
        busy |= okno_outbox_get_pending (outbox, kinds[i]) > 0;
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      if (busy && !g_main_context_iteration (NULL, FALSE))
        g_usleep (1000);
    }
}

static GBytes *
decode_raw (const char *raw)
{
  g_autofree char *copy = g_strdup (raw);
  guchar *data;
  gsize length;

  for (char *p = copy; *p; p++)
    *p = *p == '-' ? '+' : *p == '_' ? '/' : *p;
  data = g_base64_decode (copy, &length);
  return g_bytes_new_take (data, length);
}

/* The messages Gmail got, as RFC 5322 bytes, in order. */
static GPtrArray *
sent_mail (MailFixture *f)
{
  g_autoptr(JsonNode) node = google (f, "GET", "/_fake/messages", NULL);
  JsonArray *messages = JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node)
                                                     : json_object_get_array_member (json_node_get_object (node), "messages");
  GPtrArray *all = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);

  for (guint i = 0; i < json_array_get_length (messages); i++)
    g_ptr_array_add (all, decode_raw (json_object_get_string_member (json_array_get_object_element (messages, i), "raw")));
  return all;
}

static JsonArray *
telegram_log (MailFixture  *f,
              JsonNode    **keep)
{
  g_autofree char *url = g_strconcat (f->telegram_base, "/control/log", NULL);

  *keep = control (f, "GET", url, NULL);
  return json_node_get_array (*keep);
}

static GMimeMessage *
parse_mime (GBytes *bytes)
{
  GMimeStream *stream = g_mime_stream_mem_new_with_buffer (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  GMimeParser *parser = g_mime_parser_new_with_stream (stream);
  GMimeMessage *message = g_mime_parser_construct_message (parser, NULL);

  g_object_unref (parser);
  g_object_unref (stream);
  g_assert_nonnull (message);
  return message;
}

static const char *
first_address (GMimeMessage *message)
{
  InternetAddressList *to = g_mime_message_get_to (message);
  InternetAddress *address = internet_address_list_get_address (to, 0);

  return internet_address_mailbox_get_addr (INTERNET_ADDRESS_MAILBOX (address));
}

typedef struct
{
  char *plain;
  char *html;
  char *ics;
  char *calendar_method;
} Parts;

static char *
part_text (GMimeObject *object)
{
  GMimeDataWrapper *content = g_mime_part_get_content (GMIME_PART (object));
  GMimeStream *out = g_mime_stream_mem_new ();
  GByteArray *array;
  char *text;

  g_mime_data_wrapper_write_to_stream (content, out);
  array = g_mime_stream_mem_get_byte_array (GMIME_STREAM_MEM (out));
  text = g_strndup ((const char *) array->data, array->len);
  g_object_unref (out);
  return text;
}

static void
collect_part (GMimeObject *parent,
              GMimeObject *part,
              gpointer     user_data)
{
  Parts *parts = user_data;
  GMimeContentType *type = g_mime_object_get_content_type (part);

  if (!GMIME_IS_PART (part))
    return;
  if (g_mime_content_type_is_type (type, "text", "plain"))
    parts->plain = part_text (part);
  else if (g_mime_content_type_is_type (type, "text", "html"))
    parts->html = part_text (part);
  else if (g_mime_content_type_is_type (type, "text", "calendar"))
    parts->calendar_method = g_strdup (g_mime_content_type_get_parameter (type, "method"));
  else if (g_mime_content_type_is_type (type, "application", "ics"))
    {
      g_assert_cmpstr (g_mime_part_get_filename (GMIME_PART (part)), ==, "invite.ics");
      parts->ics = part_text (part);
    }
}

static void
parts_clear (Parts *parts)
{
  g_free (parts->plain);
  g_free (parts->html);
  g_free (parts->ics);
  g_free (parts->calendar_method);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Parts, parts_clear)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GMimeMessage, g_object_unref)

static Response *
book (MailFixture *f,
      OknoEvent   *slot,
      const char  *name,
      const char  *email,
      const char  *language)
{
  g_autofree char *body = NULL;
  g_autoptr(SoupMessage) msg = NULL;

  body = email ? g_strdup_printf ("{\"slotId\":\"%s\",\"name\":\"%s\",\"email\":\"%s\","
                                  "\"telegram\":\"@anna_k\",\"timeZone\":\"America/New_York\"}",
                                  okno_event_get_id (slot), name, email)
               : g_strdup_printf ("{\"slotId\":\"%s\",\"name\":\"%s\",\"phone\":\"+7 999 123-45-67\"}",
                                  okno_event_get_id (slot), name);
  msg = okno_test_http_message (&f->http, "POST", "/api/book", body, -1);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Accept-Language", language);
  return okno_test_http_send (&f->http, msg);
}

/* ------------------------------------------------------------------- tests */

/* One booking: one Telegram message, one email to Olga (Russian), one to
 * the client (English, as they booked) with both times, the payment link,
 * the cancel link and the invitation; headers RFC 2047, HTML escaped. */
static void
test_booking_mails_each_recipient_once (MailFixture   *f,
                                        gconstpointer  data)
{
  g_autoptr(Response) booked = book (f, f->http.slot, "<b>Анна</b> & <script>", "anna@example.org", "en");
  g_autoptr(GPtrArray) mail = NULL;
  g_autoptr(JsonNode) keep = NULL;
  g_autoptr(GMimeMessage) olga = NULL;
  g_autoptr(GMimeMessage) client = NULL;
  g_autofree char *olga_raw = NULL;
  g_autofree char *client_raw = NULL;
  g_auto(Parts) parts = { 0 };
  JsonObject *reply;
  const char *id;
  const char *token;
  g_autofree char *cancel = NULL;
  g_autofree char *escaped = NULL;
  icalcomponent *calendar;
  icalcomponent *event;
  JsonArray *log;

  g_assert_cmpuint (booked->status, ==, 201);
  reply = json_node_get_object (booked->json);
  id = json_object_get_string_member (json_object_get_object_member (reply, "booking"), "id");
  token = json_object_get_string_member (reply, "cancelToken");
  drain (f);

  log = telegram_log (f, &keep);
  g_assert_cmpuint (json_array_get_length (log), ==, 1);
  g_assert_nonnull (strstr (json_object_get_string_member (json_array_get_object_element (log, 0), "text"), HOSTILE));

  mail = sent_mail (f);
  g_assert_cmpuint (mail->len, ==, 2);
  for (guint i = 0; i < mail->len; i++)
    {
      GBytes *bytes = g_ptr_array_index (mail, i);
      GMimeMessage *m = parse_mime (bytes);
      char *raw = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));

      if (g_str_equal (first_address (m), OLGA))
        {
          olga = m;
          olga_raw = raw;
        }
      else
        {
          client = m;
          client_raw = raw;
        }
    }
  g_assert_nonnull (olga);
  g_assert_nonnull (client);
  g_assert_cmpstr (first_address (client), ==, "anna@example.org");

  /* Olga's, in Russian: an encoded Subject, the client as typed. */
  g_test_message ("To Olga: %s", g_mime_message_get_subject (olga));
  g_assert_true (g_str_has_prefix (g_mime_message_get_subject (olga), "Новая запись: " HOSTILE));
  g_assert_nonnull (strstr (olga_raw, "\r\nSubject: =?UTF-8?Q?"));
  {
    g_auto(Parts) olga_parts = { 0 };

    g_mime_message_foreach (olga, collect_part, &olga_parts);
    g_assert_nonnull (strstr (olga_parts.plain, HOSTILE));
    g_assert_nonnull (strstr (olga_parts.html, "&lt;b&gt;Анна&lt;/b&gt; &amp; &lt;script&gt;"));
    g_assert_null (strstr (olga_parts.html, "<script>"));
    g_assert_nonnull (strstr (olga_parts.html, "href=\"https://t.me/anna_k\""));
    g_assert_null (olga_parts.ics);
  }

  /* The client's, in English, with the key that makes its Message-ID. */
  g_test_message ("To the client: %s, key %s, Message-ID %s", g_mime_message_get_subject (client),
                  g_mime_object_get_header (GMIME_OBJECT (client), "X-Okno-Key"),
                  g_mime_message_get_message_id (client));
  g_assert_true (g_str_has_prefix (g_mime_message_get_subject (client), "Booking confirmed: "));
  {
    g_autofree char *key = g_strdup_printf ("%s.booked.client-email", id);
    g_assert_cmpstr (g_mime_object_get_header (GMIME_OBJECT (client), "X-Okno-Key"), ==, key);
  }
  g_assert_true (g_str_has_suffix (g_mime_message_get_message_id (client), "@okno"));
  {
    InternetAddress *to = internet_address_list_get_address (g_mime_message_get_to (client), 0);
    g_assert_cmpstr (internet_address_get_name (to), ==, HOSTILE);
    g_test_message ("%.*s", (int) (strstr (client_raw, "\r\n\r\n") - client_raw), client_raw);
    g_assert_nonnull (strstr (client_raw, "\r\nTo: =?UTF-8?"));
  }
  g_assert_true (GMIME_IS_MULTIPART (g_mime_message_get_mime_part (client)));
  g_assert_true (g_mime_content_type_is_type (g_mime_object_get_content_type (g_mime_message_get_mime_part (client)),
                                              "multipart", "mixed"));
  g_mime_message_foreach (client, collect_part, &parts);
  g_assert_nonnull (parts.plain);
  g_assert_nonnull (parts.html);
  g_assert_cmpstr (parts.calendar_method, ==, "REQUEST");
  g_assert_nonnull (strstr (parts.html, "Hello, &lt;b&gt;Анна&lt;/b&gt; &amp; &lt;script&gt;!"));
  g_assert_null (strstr (parts.html, "<script>"));
  g_assert_nonnull (strstr (parts.plain, "(America/New_York)"));
  g_assert_nonnull (strstr (parts.plain, "(Europe/Moscow)"));
  g_assert_nonnull (strstr (parts.plain, "3000 ₽"));
  {
    g_autofree char *pay = g_strdup_printf ("https://pay.example/?order=%s&name=", id);
    g_assert_nonnull (strstr (parts.plain, pay));
  }
  escaped = g_uri_escape_string (token, NULL, FALSE);
  cancel = g_strdup_printf ("https://book.example.org/booking/%s?token=%s&lang=en", id, escaped);
  g_assert_nonnull (strstr (parts.plain, cancel));
  /* «Change time», as on the confirmation page: the page's own address. */
  {
    g_autofree char *reschedule = g_strdup_printf ("https://book.example.org/reschedule?booking=%s&amp;token=%s&amp;lang=en",
                                                   id, escaped);
    g_autofree char *plain = g_strdup_printf ("https://book.example.org/reschedule?booking=%s&token=%s&lang=en",
                                              id, escaped);

    g_assert_nonnull (strstr (parts.plain, plain));
    g_assert_nonnull (strstr (parts.plain, "Change the time"));
    g_assert_nonnull (strstr (parts.html, reschedule));
  }

  /* The invitation parses, and is this booking's. */
  g_assert_nonnull (parts.ics);
  calendar = icalparser_parse_string (parts.ics);
  g_assert_nonnull (calendar);
  g_assert_cmpint (icalcomponent_get_method (calendar), ==, ICAL_METHOD_REQUEST);
  event = icalcomponent_get_first_component (calendar, ICAL_VEVENT_COMPONENT);
  g_assert_nonnull (event);
  {
    g_autofree char *uid = g_strdup_printf ("%s@okno", id);
    icalproperty *attendee = icalcomponent_get_first_property (event, ICAL_ATTENDEE_PROPERTY);

    g_assert_cmpstr (icalcomponent_get_uid (event), ==, uid);
    g_assert_cmpstr (icalproperty_get_attendee (attendee), ==, "mailto:anna@example.org");
    g_assert_cmpint (icaltime_as_timet (icalcomponent_get_dtstart (event)), ==,
                     g_date_time_to_unix (okno_event_get_start (f->http.slot)));
  }
  icalcomponent_free (calendar);

  /* The booking remembers the language the client booked in. */
  g_assert_cmpstr (okno_booking_get_field (okno_ledger_lookup (okno_profile_get_ledger (f->http.instance), id),
                                           "language"), ==, "en");
}

/* The confirmations wait (Gmail and Telegram are down) when the client
 * cancels: neither confirmation ever goes, the cancellations do. */
static void
test_cancel_before_confirmation_sends_none (MailFixture   *f,
                                            gconstpointer  data)
{
  g_autoptr(Response) booked = NULL;
  g_autoptr(Response) cancelled = NULL;
  g_autoptr(GPtrArray) mail = NULL;
  g_autoptr(JsonNode) keep = NULL;
  g_autofree char *mode = g_strconcat (f->telegram_base, "/control/mode", NULL);
  g_autofree char *body = NULL;
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  JsonArray *log;
  JsonObject *reply;
  guint refused = 0;

  /* Down before the first try (it starts before the 201 leaves), so both
   * confirmations wait. */
  control (f, "POST", mode, "bad_gateway_json 1000000");
  google (f, "POST", "/_fake/faults", "{\"path\":\"/messages/send\",\"status\":503,\"count\":0}");
  booked = book (f, f->http.slot, "Анна", "anna@example.org", "ru");
  g_assert_cmpuint (booked->status, ==, 201);
  reply = json_node_get_object (booked->json);

  /* Wait until Gmail has refused something (a confirmation is retrying). */
  while (refused == 0)
    {
      g_autoptr(JsonNode) requests = google (f, "GET", "/_fake/log", NULL);
      JsonArray *all = JSON_NODE_HOLDS_ARRAY (requests) ? json_node_get_array (requests)
                                                        : json_object_get_array_member (json_node_get_object (requests), "log");

      for (guint i = 0; i < json_array_get_length (all); i++)
        if (json_object_get_int_member (json_array_get_object_element (all, i), "status") == 503)
          refused++;
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (1000);
    }

  body = g_strdup_printf ("{\"bookingId\":\"%s\",\"token\":\"%s\"}",
                          json_object_get_string_member (json_object_get_object_member (reply, "booking"), "id"),
                          json_object_get_string_member (reply, "cancelToken"));
  cancelled = okno_test_http_request (&f->http, "POST", "/api/cancel", body);
  g_assert_cmpuint (cancelled->status, ==, 200);

  control (f, "POST", mode, "ok");
  google (f, "DELETE", "/_fake/faults", NULL);
  drain (f);

  mail = sent_mail (f);
  log = telegram_log (f, &keep);
  for (guint i = 0; i < mail->len; i++)
    {
      g_autoptr(GMimeMessage) m = parse_mime (g_ptr_array_index (mail, i));

      g_test_message ("Sent: %s", g_mime_message_get_subject (m));
      g_assert_false (g_str_has_prefix (g_mime_message_get_subject (m), "Новая запись"));
      g_assert_false (g_str_has_prefix (g_mime_message_get_subject (m), "Запись подтверждена"));
    }
  g_assert_cmpuint (mail->len, ==, 2);   /* the cancellation, to Olga and to the client */
  {
    guint delivered = 0;

    for (guint i = 0; i < json_array_get_length (log); i++)
      {
        JsonObject *entry = json_array_get_object_element (log, i);

        if (json_object_get_int_member (entry, "status") == 200)
          {
            delivered++;
            g_test_message ("Telegram: %s", json_object_get_string_member (entry, "text"));
            g_assert_null (strstr (json_object_get_string_member (entry, "text"), "New booking"));
          }
      }
    g_assert_cmpuint (delivered, ==, 1);
  }
}

/* No Google account: email is off and says why; a booking still works and
 * leaves no email items behind. */
static void
test_no_google_disables_email (MailFixture   *f,
                               gconstpointer  data)
{
  g_autoptr(Response) booked = NULL;
  OknoOutbox *outbox = okno_profile_get_outbox (f->http.instance);
  const char *problem = okno_profile_get_email_problem (f->http.instance);

  g_assert_nonnull (problem);
  g_test_message ("Email: %s", problem);
  g_assert_nonnull (strstr (problem, "Google"));
  g_assert_null (okno_profile_get_email_sink (f->http.instance));

  booked = book (f, f->http.slot, "Анна", "anna@example.org", "ru");
  g_assert_cmpuint (booked->status, ==, 201);
  g_assert_cmpuint (okno_outbox_get_pending (outbox, "email"), ==, 0);
  g_assert_cmpuint (okno_outbox_get_pending (outbox, "client-email"), ==, 0);
  drain (f);
  g_assert_cmpuint (okno_attention_get_count (okno_profile_get_attention (f->http.instance)), ==, 0);
}

/* A client who left no email gets no email item; Olga's still goes. */
static void
test_no_client_email_no_item (MailFixture   *f,
                              gconstpointer  data)
{
  g_autoptr(Response) booked = book (f, f->http.slot, "Анна", NULL, "ru");
  g_autoptr(GPtrArray) mail = NULL;
  OknoOutbox *outbox = okno_profile_get_outbox (f->http.instance);

  g_assert_cmpuint (booked->status, ==, 201);
  g_assert_cmpuint (okno_outbox_get_pending (outbox, "client-email"), ==, 0);
  drain (f);
  mail = sent_mail (f);
  g_assert_cmpuint (mail->len, ==, 1);
  /* Not an item that failed for want of an address: none was written. */
  g_assert_cmpuint (okno_attention_get_count (okno_profile_get_attention (f->http.instance)), ==, 0);
}

static gboolean
nothing_pending (OknoProfile *profile)
{
  OknoOutbox *outbox = okno_profile_get_outbox (profile);

  return okno_outbox_get_pending (outbox, "email") == 0 && okno_outbox_get_pending (outbox, "client-email") == 0;
}

static void
settle_profile (OknoProfile *profile)
{
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  while (!nothing_pending (profile))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (1000);
    }
}

/* The child: books, lets both emails go out, and is killed after Gmail
 * took them but before "sent" reached the disk (the journal's writer is
 * held). */
static void
crash_between_send_and_mark (void)
{
  g_autoptr(OknoProfile) profile = okno_test_open_profile (g_getenv ("OKNO_TEST_DIR"));
  g_autoptr(TestTokens) tokens = g_object_new (TEST_TYPE_TOKENS, NULL);
  g_autoptr(OknoBookingRequest) request = okno_booking_request_new ();
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) start = g_date_time_add_hours (now, 48);
  g_autoptr(OknoEvent) slot = NULL;
  g_autoptr(OknoBooking) booking = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;

  tokens->base = g_strdup (g_getenv ("OKNO_TEST_GOOGLE"));
  _okno_profile_set_email_account (profile, OKNO_TOKEN_PROVIDER (tokens), OLGA);
  slot = okno_test_insert_event (okno_profile_get_calendar (profile), "🔓 СЛОТ: Разбор", start, 40, TRUE);

  request->slot_id = g_strdup (okno_event_get_id (slot));
  request->name = g_strdup ("Анна");
  request->email = g_strdup ("anna@example.org");
  request->language = g_strdup ("ru");
  booking = okno_booking_service_book (okno_profile_get_service (profile), request, NULL, now, &token, NULL, &error);
  g_assert_no_error (error);

  /* Gmail answers after 300 ms: the marks cannot have been written yet. */
  _okno_ledger_hold_writer (okno_profile_get_ledger (profile), TRUE);
  settle_profile (profile);
  kill (getpid (), SIGKILL);
}

/* kill -9 between Gmail's 200 and the durable "sent": after the restart
 * each message goes at most once more, with the same key and Message-ID,
 * so the repeat is recognisable. */
static void
test_kill_between_send_and_mark (void)
{
  g_autofree char *dir = NULL;
  g_autofree char *base = NULL;
  g_autofree char *gmail_url = NULL;
  g_autoptr(GSubprocess) google_fake = NULL;
  g_autoptr(OknoProfile) profile = NULL;
  g_autoptr(TestTokens) tokens = NULL;
  g_autoptr(GHashTable) per_key = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GPtrArray) mail = NULL;
  MailFixture f = { 0 };
  GHashTableIter iter;
  gpointer key, value;

  if (g_test_subprocess ())
    {
      crash_between_send_and_mark ();
      return;
    }

  dir = okno_test_make_dir ();
  base = start_fake (FAKE_GOOGLE, &google_fake);
  f.google_base = base;
  f.control = soup_session_new ();
  gmail_url = g_strconcat (base, "/gmail/v1", NULL);
  g_setenv ("OKNO_GMAIL_URL", gmail_url, TRUE);
  g_setenv ("OKNO_TEST_DIR", dir, TRUE);
  g_setenv ("OKNO_TEST_GOOGLE", base, TRUE);
  g_clear_pointer (&f.control, g_object_unref);
  f.control = soup_session_new ();
  google (&f, "POST", "/_fake/faults", "{\"path\":\"/messages/send\",\"latencyMs\":300,\"count\":0}");

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_failed ();
  g_unsetenv ("OKNO_TEST_DIR");
  g_unsetenv ("OKNO_TEST_GOOGLE");

  mail = sent_mail (&f);
  g_test_message ("Gmail had %u messages when the child was killed", mail->len);
  g_assert_cmpuint (mail->len, ==, 2);
  g_clear_pointer (&mail, g_ptr_array_unref);

  /* The restart: the outbox resumes what is not marked sent on disk. */
  profile = okno_test_open_profile (dir);
  tokens = g_object_new (TEST_TYPE_TOKENS, NULL);
  tokens->base = g_strdup (base);
  _okno_profile_set_email_account (profile, OKNO_TOKEN_PROVIDER (tokens), OLGA);
  settle_profile (profile);

  mail = sent_mail (&f);
  for (guint i = 0; i < mail->len; i++)
    {
      g_autoptr(GMimeMessage) m = parse_mime (g_ptr_array_index (mail, i));
      const char *item_key = g_mime_object_get_header (GMIME_OBJECT (m), "X-Okno-Key");
      const char *message_id = g_mime_message_get_message_id (m);
      const char *seen = g_hash_table_lookup (per_key, item_key);

      g_test_message ("Sent #%u: key %s, Message-ID <%s>", i + 1, item_key, message_id);
      g_assert_nonnull (item_key);
      if (seen != NULL)
        {
          /* A repeat: the same Message-ID, so it is recognisable. */
          g_assert_cmpstr (strchr (seen, '|') + 1, ==, message_id);
          g_assert_true (g_str_has_prefix (seen, "1|"));
        }
      g_hash_table_replace (per_key, g_strdup (item_key),
                            g_strdup_printf ("%d|%s", seen ? 2 : 1, message_id));
    }
  /* Two messages (Olga's, the client's), each at most one repeat. */
  g_assert_cmpuint (g_hash_table_size (per_key), ==, 2);
  g_assert_cmpuint (mail->len, <=, 4);
  g_hash_table_iter_init (&iter, per_key);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_test_message ("%s: sent %c time(s)", (const char *) key, *(const char *) value);

  okno_profile_flush (profile);
  g_clear_object (&profile);
  okno_test_remove_dir (dir);
  stop_fake (&google_fake);
  g_clear_object (&f.control);
  g_unsetenv ("OKNO_GMAIL_URL");
}

static GMimeMessage *
compose (MailFixture *f,
         OknoBooking *booking,
         const char  *kind,
         const char  *event)
{
  g_autoptr(JsonObject) item = okno_outbox_notify_item_new (booking, kind, FALSE);
  JsonObject *payload = json_object_get_object_member (item, "payload");
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) mime = NULL;

  json_object_set_string_member (payload, "event", event);
  json_object_set_int_member (payload, "reminderHours", 24);
  mime = okno_email_sink_compose (okno_profile_get_email_sink (f->http.instance), kind, "test.key", payload, &error);
  g_assert_no_error (error);
  return parse_mime (mime);
}

/* The rows other events plug in: a reschedule (to both), the client's
 * reminder (okno-reminder-text.c) and a waitlist offer are written, in the right language; an
 * event with no row is refused, never sent half-made. */
static void
test_other_events_have_rows (MailFixture   *f,
                             gconstpointer  data)
{
  g_autoptr(Response) booked = book (f, f->http.slot, "Анна", "anna@example.org", "en");
  OknoBooking *booking;
  g_autoptr(GMimeMessage) moved = NULL;
  g_autoptr(GMimeMessage) moved_olga = NULL;
  g_autoptr(GMimeMessage) reminder = NULL;
  g_autoptr(JsonObject) item = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) none = NULL;

  g_assert_cmpuint (booked->status, ==, 201);
  booking = okno_ledger_lookup (okno_profile_get_ledger (f->http.instance),
                                json_object_get_string_member (json_object_get_object_member (
                                  json_node_get_object (booked->json), "booking"), "id"));
  drain (f);

  moved = compose (f, booking, "client-email", "rescheduled");
  g_assert_true (g_str_has_prefix (g_mime_message_get_subject (moved), "Your session is moved: "));
  moved_olga = compose (f, booking, "email", "rescheduled");
  g_assert_true (g_str_has_prefix (g_mime_message_get_subject (moved_olga), "Запись перенесена: Анна"));
  reminder = compose (f, booking, "client-email", "reminder");
  g_test_message ("Reminder: %s", g_mime_message_get_subject (reminder));
  g_assert_cmpstr (first_address (reminder), ==, "anna@example.org");

  /* A waitlist offer has no booking: it goes to the entry's address, in
   * the entry's language, with the slot's link a link, the name escaped. */
  {
    g_autoptr(JsonObject) payload = json_object_new ();
    JsonObject *entry = json_object_new ();
    JsonObject *slot = json_object_new ();
    g_autoptr(GBytes) mime = NULL;
    g_autoptr(GMimeMessage) offer = NULL;
    g_auto(Parts) parts = { 0 };

    json_object_set_string_member (payload, "event", "waitlist-offer");
    json_object_set_string_member (payload, "bookUrl", "http://127.0.0.1:8080/book?slot=abc&lang=ru");
    json_object_set_string_member (entry, "name", "<b>Вера</b>");
    json_object_set_string_member (entry, "email", "vera@example.org");
    json_object_set_string_member (entry, "lang", "ru");
    json_object_set_object_member (payload, "waitlist", entry);
    json_object_set_string_member (slot, "start", "2026-12-08T14:30:00Z");
    json_object_set_object_member (payload, "slot", slot);
    mime = okno_email_sink_compose (okno_profile_get_email_sink (f->http.instance), "client-email", "w.key",
                                    payload, &error);
    g_assert_no_error (error);
    offer = parse_mime (mime);
    g_assert_cmpstr (first_address (offer), ==, "vera@example.org");
    g_assert_true (g_str_has_prefix (g_mime_message_get_subject (offer), "Освободилось время: вт 8 дек"));
    g_mime_message_foreach (offer, collect_part, &parts);
    g_assert_nonnull (strstr (parts.plain, "Здравствуйте, <b>Вера</b>!"));
    g_assert_nonnull (strstr (parts.html, "&lt;b&gt;Вера&lt;/b&gt;"));
    g_assert_nonnull (strstr (parts.html, "<a href=\"http://127.0.0.1:8080/book?slot=abc&amp;lang=ru\">"));
  }

  item = okno_outbox_notify_item_new (booking, "client-email", FALSE);
  json_object_set_string_member (json_object_get_object_member (item, "payload"), "event", "no-such-event");
  none = okno_email_sink_compose (okno_profile_get_email_sink (f->http.instance), "client-email", "k",
                                  json_object_get_object_member (item, "payload"), &error);
  g_assert_null (none);
  g_assert_error (error, OKNO_NOTIFY_ERROR, OKNO_NOTIFY_ERROR_REJECTED);
}

/* A change of Cal.com's state is news on every channel Olga set up: her
 * Telegram and her mailbox each get one message saying it. */
static void
test_calcom_news_on_every_channel (MailFixture   *f,
                                   gconstpointer  data)
{
  OknoCalcomMonitor *monitor = okno_profile_get_calcom_monitor (f->http.instance);
  gint64 deadline = g_get_monotonic_time () + 90 * G_USEC_PER_SEC;
  g_autoptr(GPtrArray) mail = NULL;
  g_autoptr(JsonNode) keep = NULL;
  g_autoptr(GMimeMessage) message = NULL;
  JsonArray *log = NULL;

  g_signal_emit_by_name (monitor, "state-changed", "down", "up");
  for (;;)
    {
      g_clear_pointer (&mail, g_ptr_array_unref);
      g_clear_pointer (&keep, json_node_unref);
      mail = sent_mail (f);
      log = telegram_log (f, &keep);
      if (mail->len >= 1 && json_array_get_length (log) >= 1)
        break;
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (10000);
    }
  /* Nothing more follows. */
  for (guint i = 0; i < 20; i++)
    g_main_context_iteration (NULL, FALSE);
  g_clear_pointer (&mail, g_ptr_array_unref);
  g_clear_pointer (&keep, json_node_unref);
  mail = sent_mail (f);
  log = telegram_log (f, &keep);

  g_assert_cmpuint (mail->len, ==, 1);
  message = parse_mime (g_ptr_array_index (mail, 0));
  g_assert_cmpstr (first_address (message), ==, OLGA);
  g_assert_cmpstr (g_mime_message_get_subject (message), ==, okno_calcom_monitor_title_for ("up"));
  g_assert_cmpuint (json_array_get_length (log), ==, 1);
  g_assert_nonnull (strstr (json_object_get_string_member (json_array_get_object_element (log, 0), "text"),
                            okno_calcom_monitor_title_for ("up")));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_mime_init ();

  g_test_add ("/okno/email-outbox/booking-mails-each-recipient-once", MailFixture, GINT_TO_POINTER (TRUE),
              set_up, test_booking_mails_each_recipient_once, tear_down);
  g_test_add ("/okno/email-outbox/cancel-before-confirmation-sends-none", MailFixture, GINT_TO_POINTER (TRUE),
              set_up, test_cancel_before_confirmation_sends_none, tear_down);
  g_test_add ("/okno/email-outbox/no-client-email-no-item", MailFixture, GINT_TO_POINTER (TRUE),
              set_up, test_no_client_email_no_item, tear_down);
  g_test_add ("/okno/email-outbox/other-events-have-rows", MailFixture, GINT_TO_POINTER (TRUE),
              set_up, test_other_events_have_rows, tear_down);
  g_test_add ("/okno/email-outbox/calcom-news-on-every-channel", MailFixture, GINT_TO_POINTER (TRUE),
              set_up, test_calcom_news_on_every_channel, tear_down);
  g_test_add_func ("/okno/email-outbox/kill-between-send-and-mark", test_kill_between_send_and_mark);
  g_test_add ("/okno/email-outbox/no-google-disables-email", MailFixture, GINT_TO_POINTER (FALSE),
              set_up, test_no_google_disables_email, tear_down);

  return g_test_run ();
}
