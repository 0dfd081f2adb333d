/* test-telegram.c: OknoTelegram against tests/fake-telegram: escaping,
 * links, and each Bot API error in words.
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <libsoup/soup.h>
#include <string.h>

#include "okno-telegram.h"
#include "okno-test-utils.h"

#define TOKEN "123456:okno-test-token"
#define CHAT "424242"

typedef struct
{
  GSubprocess  *fake;
  char         *base;
  SoupSession  *control;
  OknoTelegram *telegram;
} Fixture;

static void
set_up (Fixture       *f,
        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) lines = NULL;

  f->fake = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, FAKE_TELEGRAM, NULL);
  g_assert_no_error (error);
  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (f->fake));
  f->base = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, &error);
  g_assert_no_error (error);
  f->control = soup_session_new ();
  f->telegram = okno_telegram_new ();
  g_object_set (f->telegram, "base-url", f->base, "chat-id", CHAT, "timeout-seconds", 2, NULL);
  okno_telegram_set_token (f->telegram, TOKEN);
}

static void
tear_down (Fixture       *f,
           gconstpointer  data)
{
  g_assert_finalize_object (f->telegram);
  g_subprocess_send_signal (f->fake, SIGTERM);
  g_subprocess_wait (f->fake, NULL, NULL);
  g_clear_object (&f->fake);
  g_clear_object (&f->control);
  g_free (f->base);
}

static char *
control (Fixture    *f,
         const char *method,
         const char *path,
         const char *body)
{
  g_autofree char *url = g_strconcat (f->base, path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) reply = NULL;

  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));
      soup_message_set_request_body_from_bytes (msg, "text/plain", bytes);
    }
  reply = soup_session_send_and_read (f->control, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  return g_strndup (g_bytes_get_data (reply, NULL), g_bytes_get_size (reply));
}

static JsonArray *
request_log (Fixture   *f,
             JsonNode **keep)
{
  g_autofree char *text = control (f, "GET", "/control/log", NULL);

  *keep = json_from_string (text, NULL);
  return json_node_get_array (*keep);
}

typedef struct
{
  gboolean  done;
  gint64    id;
  guint     retry_after;
  GError   *error;
} Sent;

static void
sent_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Sent *sent = user_data;

  sent->id = okno_telegram_send_finish (OKNO_TELEGRAM (object), result, &sent->retry_after, &sent->error);
  sent->done = TRUE;
}

static Sent
send (Fixture    *f,
      const char *html)
{
  Sent sent = { 0 };
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  okno_telegram_send_async (f->telegram, html, NULL, sent_cb, &sent);
  while (!sent.done)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  return sent;
}

static OknoBooking *
hostile_booking (void)
{
  g_autoptr(GDateTime) start = okno_test_time ("2026-12-09T17:30:00+03:00");
  g_autoptr(GDateTime) end = g_date_time_add_minutes (start, 40);
  OknoBooking *booking = okno_booking_new ("b1", "s1", start, end);

  okno_booking_set_field (booking, "name", "<b>Анна</b> & <script>");
  okno_booking_set_field (booking, "sessionType", "Разбор \"на\" <i>месте</i>");
  okno_booking_set_field (booking, "email", "anna&co@example.org");
  okno_booking_set_field (booking, "phone", "+7 (999) 123-45-67");
  okno_booking_set_field (booking, "telegram", "@anna_k");
  okno_booking_set_field (booking, "note", "</b>&amp; <br>");
  return booking;
}

static void
test_escape (void)
{
  g_autofree char *escaped = okno_telegram_escape ("a&b<c>\"d'e");
  g_autofree char *plain = okno_telegram_html_to_plain ("<b>x &lt;y&gt; &amp;amp; &quot;</b>");

  /* No &apos;: Telegram would show it as typed. */
  g_assert_cmpstr (escaped, ==, "a&amp;b&lt;c&gt;&quot;d'e");
  g_assert_cmpstr (plain, ==, "x <y> &amp; \"");
}

/* A hostile client name arrives shown literally, the contact as links. */
static void
test_booking_shown_literally (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(OknoBooking) booking = hostile_booking ();
  g_autoptr(GTimeZone) zone = g_time_zone_new_identifier ("Europe/Moscow");
  g_autofree char *html = okno_telegram_format_booking (booking, zone, FALSE);
  g_autoptr(JsonNode) keep = NULL;
  JsonArray *log;
  JsonObject *entry, *params;
  const char *shown;
  Sent sent = send (f, html);

  g_assert_no_error (sent.error);
  g_assert_cmpint (sent.id, >, 0);

  log = request_log (f, &keep);
  g_assert_cmpuint (json_array_get_length (log), ==, 1);
  entry = json_array_get_object_element (log, 0);
  params = json_object_get_object_member (entry, "params");
  g_assert_cmpstr (json_object_get_string_member (entry, "method"), ==, "sendmessage");
  g_assert_cmpint (json_object_get_int_member (entry, "status"), ==, 200);
  g_assert_cmpstr (json_object_get_string_member (params, "parse_mode"), ==, "HTML");
  g_assert_cmpstr (json_object_get_string_member (params, "chat_id"), ==, CHAT);
  g_assert_cmpstr (json_object_get_string_member (params, "link_preview_options"), ==, "{\"is_disabled\":true}");

  shown = json_object_get_string_member (entry, "text");
  g_test_message ("shown: %s", shown);
  g_assert_nonnull (strstr (shown, "<b>Анна</b> & <script>"));
  g_assert_nonnull (strstr (shown, "Разбор \"на\" <i>месте</i>"));
  g_assert_nonnull (strstr (shown, "</b>&amp; <br>"));
  g_assert_nonnull (strstr (shown, "Wed 9 December, 17:30–18:10"));
  g_assert_nonnull (strstr (shown, "anna&co@example.org"));
  g_assert_nonnull (strstr (shown, "@anna_k"));
  /* The only markup is ours: the title bold and three links. */
  g_assert_null (strstr (html, "<script>"));
  g_assert_nonnull (strstr (html, "<a href=\"mailto:anna&amp;co@example.org\">"));
  g_assert_nonnull (strstr (html, "<a href=\"tel:+79991234567\">"));
  g_assert_nonnull (strstr (html, "<a href=\"https://t.me/anna_k\">@anna_k</a>"));
}

/* Telegram cannot parse it: the words go as plain text instead. */
static void
test_unparsable_resent_plain (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(JsonNode) keep = NULL;
  JsonArray *log;
  Sent sent;

  g_test_expect_message ("OknoTelegram", G_LOG_LEVEL_MESSAGE, "*Unsupported start tag \"br\" at byte offset 8*");
  sent = send (f, "<b>x</b><br>y");
  g_test_assert_expected_messages ();
  g_assert_no_error (sent.error);

  log = request_log (f, &keep);
  g_assert_cmpuint (json_array_get_length (log), ==, 2);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (log, 0), "status"), ==, 400);
  g_assert_false (json_object_has_member (json_object_get_object_member (json_array_get_object_element (log, 1), "params"),
                                          "parse_mode"));
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (log, 1), "text"), ==, "xy");
}

static void
assert_error (Fixture        *f,
              OknoNotifyError code,
              const char     *words)
{
  Sent sent = send (f, "<b>test</b>");

  g_assert_error (sent.error, OKNO_NOTIFY_ERROR, (int) code);
  g_test_message ("%s", sent.error->message);
  g_assert_nonnull (strstr (sent.error->message, words));
  g_assert_cmpint (sent.id, ==, 0);
  g_clear_error (&sent.error);
}

/* Each error of the Bot API in words, with what to do. */
static void
test_errors_in_words (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *r1 = NULL, *r2 = NULL, *r3 = NULL, *r4 = NULL, *r5 = NULL, *r6 = NULL;
  Sent sent;

  okno_telegram_set_token (f->telegram, "123456:wrong");
  assert_error (f, OKNO_NOTIFY_ERROR_UNAUTHORIZED, "@BotFather");
  okno_telegram_set_token (f->telegram, TOKEN);

  g_object_set (f->telegram, "chat-id", "777", NULL);
  assert_error (f, OKNO_NOTIFY_ERROR_CHAT_NOT_FOUND, "press Start");
  g_object_set (f->telegram, "chat-id", CHAT, NULL);

  r1 = control (f, "POST", "/control/mode", "blocked 1");
  assert_error (f, OKNO_NOTIFY_ERROR_BLOCKED, "unblock");
  r2 = control (f, "POST", "/control/mode", "not_started 1");
  assert_error (f, OKNO_NOTIFY_ERROR_NOT_STARTED, "press Start");

  r3 = control (f, "POST", "/control/retry-after", "7");
  r4 = control (f, "POST", "/control/mode", "flood 1");
  sent = send (f, "<b>test</b>");
  g_assert_error (sent.error, OKNO_NOTIFY_ERROR, OKNO_NOTIFY_ERROR_RATE_LIMITED);
  g_assert_cmpuint (sent.retry_after, ==, 7);
  g_assert_true (okno_notify_error_is_temporary (sent.error));
  g_clear_error (&sent.error);

  r5 = control (f, "POST", "/control/mode", "bad_gateway_html 1");
  assert_error (f, OKNO_NOTIFY_ERROR_UNAVAILABLE, "502");
  g_free (r5);
  r5 = control (f, "POST", "/control/mode", "bad_gateway_json 1");
  assert_error (f, OKNO_NOTIFY_ERROR_UNAVAILABLE, "502");

  r6 = control (f, "POST", "/control/mode", "hang 1");
  assert_error (f, OKNO_NOTIFY_ERROR_UNAVAILABLE, "cannot be reached");

  /* Back to normal: it works again. */
  sent = send (f, "<b>test</b>");
  g_assert_no_error (sent.error);

  /* Not set up: says what to set, sends nothing. */
  g_object_set (f->telegram, "chat-id", "", NULL);
  assert_error (f, OKNO_NOTIFY_ERROR_NOT_CONFIGURED, "telegram-chat-id");
}

typedef struct
{
  gboolean              done;
  OknoTelegramDelivery  delivery;
  GTimeSpan             retry_after;
  GError               *error;
} Delivered;

static void
delivered_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Delivered *d = user_data;

  d->delivery = okno_telegram_deliver_finish (OKNO_TELEGRAM (object), result, &d->retry_after, &d->error);
  d->done = TRUE;
}

static Delivered
deliver (Fixture    *f,
         const char *key,
         const char *payload_json)
{
  g_autoptr(JsonNode) payload = json_from_string (payload_json, NULL);
  g_autoptr(GTimeZone) zone = g_time_zone_new_identifier ("Europe/Moscow");
  Delivered d = { 0 };
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  g_assert_nonnull (payload);
  okno_telegram_deliver_async (f->telegram, key, json_node_get_object (payload), zone, NULL, delivered_cb, &d);
  while (!d.done)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  return d;
}

#define BOOKED "{\"event\":\"booked\",\"byOwner\":false,\"booking\":{\"id\":\"b7\",\"slotId\":\"s7\"," \
  "\"start\":\"2026-12-09T14:30:00Z\",\"end\":\"2026-12-09T15:10:00Z\",\"status\":\"confirmed\"," \
  "\"name\":\"<b>Анна</b> & <script>\",\"telegram\":\"@anna_k\"}}"

/* What the outbox hands the Telegram sink: one message per key; Telegram's
 * 429 and 5xx are "again later" (with its retry_after), a chat or token
 * problem is for Olga; her own cancellation is not news to her. */
static void
test_outbox_delivery (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *r1 = NULL, *r2 = NULL, *r3 = NULL;
  g_autoptr(JsonNode) keep = NULL;
  JsonArray *log;
  Delivered d;

  r1 = control (f, "POST", "/control/retry-after", "5");
  r2 = control (f, "POST", "/control/mode", "flood 1");
  d = deliver (f, "notify:b7:booked:telegram", BOOKED);
  g_assert_cmpint (d.delivery, ==, OKNO_TELEGRAM_RETRY);
  g_assert_cmpint (d.retry_after, ==, 5 * G_USEC_PER_SEC);
  g_clear_error (&d.error);

  r3 = control (f, "POST", "/control/mode", "bad_gateway_json 1");
  d = deliver (f, "notify:b7:booked:telegram", BOOKED);
  g_assert_cmpint (d.delivery, ==, OKNO_TELEGRAM_RETRY);
  g_assert_cmpint (d.retry_after, ==, 0);
  g_clear_error (&d.error);

  d = deliver (f, "notify:b7:booked:telegram", BOOKED);
  g_assert_cmpint (d.delivery, ==, OKNO_TELEGRAM_DELIVERED);
  g_assert_no_error (d.error);
  /* A repeat of the same item (the outbox lost our answer) sends nothing. */
  d = deliver (f, "notify:b7:booked:telegram", BOOKED);
  g_assert_cmpint (d.delivery, ==, OKNO_TELEGRAM_DELIVERED);

  /* Olga cancelled it herself: nothing to tell her. */
  d = deliver (f, "notify:b7:cancelled:telegram",
               "{\"event\":\"cancelled\",\"byOwner\":true,\"booking\":{\"id\":\"b7\",\"slotId\":\"s7\","
               "\"start\":\"2026-12-09T14:30:00Z\",\"end\":\"2026-12-09T15:10:00Z\",\"name\":\"Анна\"}}");
  g_assert_cmpint (d.delivery, ==, OKNO_TELEGRAM_DELIVERED);

  log = request_log (f, &keep);
  g_assert_cmpuint (json_array_get_length (log), ==, 3);   /* 429, 502, then the one message */
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (log, 2), "status"), ==, 200);
  g_assert_nonnull (strstr (json_object_get_string_member (json_array_get_object_element (log, 2), "text"),
                            "New booking: <b>Анна</b> & <script>\nWed 9 December, 17:30–18:10"));

  /* The client cancelled: Olga hears of it. A wrong chat is for her to fix. */
  g_object_set (f->telegram, "chat-id", "777", NULL);
  d = deliver (f, "notify:b7:cancelled-by-client:telegram",
               "{\"event\":\"cancelled\",\"byOwner\":false,\"booking\":{\"id\":\"b7\",\"slotId\":\"s7\","
               "\"start\":\"2026-12-09T14:30:00Z\",\"end\":\"2026-12-09T15:10:00Z\",\"name\":\"Анна\"}}");
  g_assert_cmpint (d.delivery, ==, OKNO_TELEGRAM_PERMANENT);
  g_assert_error (d.error, OKNO_NOTIFY_ERROR, OKNO_NOTIFY_ERROR_CHAT_NOT_FOUND);
  g_clear_error (&d.error);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/okno/telegram/escape", test_escape);
  g_test_add ("/okno/telegram/booking-shown-literally", Fixture, NULL, set_up, test_booking_shown_literally, tear_down);
  g_test_add ("/okno/telegram/unparsable-resent-plain", Fixture, NULL, set_up, test_unparsable_resent_plain, tear_down);
  g_test_add ("/okno/telegram/errors-in-words", Fixture, NULL, set_up, test_errors_in_words, tear_down);
  g_test_add ("/okno/telegram/outbox-delivery", Fixture, NULL, set_up, test_outbox_delivery, tear_down);

  return g_test_run ();
}
