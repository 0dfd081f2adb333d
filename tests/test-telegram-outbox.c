/* test-telegram-outbox.c: a booking on the API reaches Olga's Telegram
 * through the durable outbox: exactly one message, the client's name shown
 * literally. Against tests/fake-telegram.
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "okno-outbox-private.h"
#include "okno-time.h"
#include "okno-test-http.h"

typedef TelegramFixture TgFixture;

static void
set_up (TgFixture     *f,
        gconstpointer  data)
{
  okno_test_telegram_set_up (f, FAKE_TELEGRAM);
}

static void
tear_down (TgFixture     *f,
           gconstpointer  data)
{
  okno_test_telegram_tear_down (f);
}

static JsonArray *
sent_messages (TgFixture  *f,
               JsonNode  **keep)
{
  g_autofree char *url = g_strconcat (f->base, "/control/log", NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr(GBytes) body = soup_session_send_and_read (f->control, msg, NULL, NULL);

  *keep = json_from_string (g_bytes_get_data (body, NULL), NULL);
  return json_node_get_array (*keep);
}

static void
test_booking_reaches_telegram_once (TgFixture     *f,
                                    gconstpointer  data)
{
  OknoOutbox *outbox = okno_profile_get_outbox (f->http.instance);
  g_autofree char *body = g_strdup_printf ("{\"slotId\":\"%s\",\"name\":\"<b>Анна</b> & <script>\","
                                           "\"telegram\":\"@anna_k\"}",
                                           okno_event_get_id (f->http.slot));
  g_autoptr(Response) booked = okno_test_http_request (&f->http, "POST", "/api/book", body);
  g_autoptr(JsonNode) keep = NULL;
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  JsonArray *log;
  const char *text;

  g_assert_cmpuint (booked->status, ==, 201);

  /* The outbox sends it; wait until it has nothing left for Telegram. */
  while (okno_outbox_get_pending (outbox, "telegram") > 0 || okno_outbox_get_busy (outbox, "telegram") > 0)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }

  log = sent_messages (f, &keep);
  g_assert_cmpuint (json_array_get_length (log), ==, 1);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (log, 0), "status"), ==, 200);
  text = json_object_get_string_member (json_array_get_object_element (log, 0), "text");
  g_test_message ("%s", text);
  g_assert_nonnull (strstr (text, "New booking: <b>Анна</b> & <script>"));
  g_assert_nonnull (strstr (text, "@anna_k"));
}

static void
control (TgFixture  *f,
         const char *path,
         const char *body)
{
  g_autofree char *url = g_strconcat (f->base, path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", url);
  g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));
  g_autoptr(GBytes) reply = NULL;

  soup_message_set_request_body_from_bytes (msg, "text/plain", bytes);
  reply = soup_session_send_and_read (f->control, msg, NULL, NULL);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
}

static guint
count_status (TgFixture *f,
              gint64     status)
{
  g_autoptr(JsonNode) keep = NULL;
  JsonArray *log = sent_messages (f, &keep);
  guint n = 0;

  for (guint i = 0; i < json_array_get_length (log); i++)
    n += json_object_get_int_member (json_array_get_object_element (log, i), "status") == status;
  return n;
}

static void
wait_for_status (TgFixture *f,
                 gint64     status,
                 guint      count)
{
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  while (count_status (f, status) < count)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      for (guint i = 0; i < 20 && g_main_context_iteration (NULL, FALSE); i++)
        ;
      g_usleep (2000);
    }
}

/* Telegram answers 502 for a while (the outbox's backoff compressed to
 * milliseconds), then 429 with retry_after twice, then is back: each of
 * three bookings' messages arrives exactly once, in booking order, and
 * each 429 was waited out. */
static void
test_outage_then_back_in_order (TgFixture     *f,
                                gconstpointer  data)
{
  OknoOutbox *outbox = okno_profile_get_outbox (f->http.instance);
  g_autoptr(OknoEvent) slot3 = okno_test_http_add_slot (&f->http, 96, "🔓 СЛОТ: Разбор");
  OknoEvent *slots[] = { f->http.slot, f->http.slot2, slot3 };
  g_autoptr(JsonNode) keep = NULL;
  gint64 deadline = g_get_monotonic_time () + 90 * G_USEC_PER_SEC;
  gint64 flood_start;
  JsonArray *log;
  guint delivered = 0;

  _okno_outbox_set_backoff (outbox, 10, 100);
  control (f, "/control/mode", "bad_gateway_json 1000000");

  for (guint i = 0; i < G_N_ELEMENTS (slots); i++)
    {
      g_autofree char *body = g_strdup_printf ("{\"slotId\":\"%s\",\"name\":\"Клиент %u\",\"phone\":\"+7999123456%u\"}",
                                               okno_event_get_id (slots[i]), i + 1, i);
      g_autoptr(Response) booked = okno_test_http_request (&f->http, "POST", "/api/book", body);

      g_assert_cmpuint (booked->status, ==, 201);
    }

  /* Down for a good number of tries, then flooded, then back. */
  wait_for_status (f, 502, 6);
  control (f, "/control/retry-after", "1");
  flood_start = g_get_monotonic_time ();
  control (f, "/control/mode", "flood 2");

  while (okno_outbox_get_pending (outbox, "telegram") > 0)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (1000);
    }
  /* Two 429s, each asking for a second: waited, not hammered. */
  g_assert_cmpuint (count_status (f, 429), ==, 2);
  g_assert_cmpint (g_get_monotonic_time () - flood_start, >=, 2 * G_USEC_PER_SEC - 100 * G_TIME_SPAN_MILLISECOND);

  log = sent_messages (f, &keep);
  for (guint i = 0; i < json_array_get_length (log); i++)
    {
      JsonObject *entry = json_array_get_object_element (log, i);
      g_autofree char *name = NULL;

      if (json_object_get_int_member (entry, "status") != 200)
        continue;
      name = g_strdup_printf ("Клиент %u", delivered + 1);
      g_test_message ("Delivered %u: %s", delivered + 1, json_object_get_string_member (entry, "text"));
      g_assert_nonnull (strstr (json_object_get_string_member (entry, "text"), name));
      delivered++;
    }
  g_assert_cmpuint (delivered, ==, G_N_ELEMENTS (slots));
  g_assert_cmpuint (okno_attention_get_count (okno_profile_get_attention (f->http.instance)), ==, 0);
}

/* A message that still cannot go a day after it was written needs Olga:
 * within the day Telegram's 502s only delay it; once the clock passes the
 * day, the next failure makes one attention item and the tries stop. */
static void
test_a_day_of_failure_needs_olga (TgFixture     *f,
                                  gconstpointer  data)
{
  OknoOutbox *outbox = okno_profile_get_outbox (f->http.instance);
  OknoAttention *attention = okno_profile_get_attention (f->http.instance);
  g_autofree char *body = g_strdup_printf ("{\"slotId\":\"%s\",\"name\":\"Анна\",\"phone\":\"+79991234567\"}",
                                           okno_event_get_id (f->http.slot));
  g_autoptr(Response) booked = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) tomorrow = g_date_time_add_hours (now, 24);
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  guint tries;

  _okno_outbox_set_backoff (outbox, 10, 50);
  control (f, "/control/mode", "bad_gateway_json 1000000");
  booked = okno_test_http_request (&f->http, "POST", "/api/book", body);
  g_assert_cmpuint (booked->status, ==, 201);

  /* Hours of outage: retried, no attention item. */
  wait_for_status (f, 502, 5);
  g_assert_cmpuint (okno_attention_get_count (attention), ==, 0);
  g_assert_cmpuint (okno_outbox_get_pending (outbox, "telegram"), ==, 1);

  okno_time_set_now_for_testing (tomorrow);
  while (okno_attention_get_count (attention) == 0)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (1000);
    }
  okno_time_set_now_for_testing (NULL);

  g_assert_cmpuint (okno_attention_get_count (attention), ==, 1);
  g_assert_cmpuint (okno_outbox_get_pending (outbox, "telegram"), ==, 0);
  /* No more tries after that. */
  tries = count_status (f, 502);
  for (guint i = 0; i < 200; i++)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  g_assert_cmpuint (count_status (f, 502), ==, tries);
}

/* A client moves a booking on the API (issue 13.1): Olga's Telegram gets
 * «Анна moved: Sat 15:59 → Sun 15:59» (the C locale’s words; Russian in
 * po/ru.po), once, after the booking's own message. */
static void
test_client_move_tells_olga (TgFixture     *f,
                             gconstpointer  data)
{
  GTimeZone *zone = okno_schedule_get_time_zone (okno_profile_get_schedule (f->http.instance));
  g_autofree char *body = g_strdup_printf ("{\"slotId\":\"%s\",\"name\":\"Анна\",\"telegram\":\"@anna_k\"}",
                                           okno_event_get_id (f->http.slot));
  g_autoptr(Response) booked = okno_test_http_request (&f->http, "POST", "/api/book", body);
  g_autoptr(Response) moved = NULL;
  g_autoptr(JsonNode) keep = NULL;
  JsonObject *booking;
  g_autoptr(GDateTime) from = g_date_time_to_timezone (okno_event_get_start (f->http.slot), zone);
  g_autoptr(GDateTime) to = g_date_time_to_timezone (okno_event_get_start (f->http.slot2), zone);
  g_autofree char *from_text = g_date_time_format (from, "%a %H:%M");
  g_autofree char *to_text = g_date_time_format (to, "%a %H:%M");
  g_autofree char *expected = g_strdup_printf ("Анна moved: %s → %s", from_text, to_text);
  g_autofree char *move = NULL;
  JsonArray *log;

  g_assert_cmpuint (booked->status, ==, 201);
  wait_for_status (f, 200, 1);

  booking = json_node_get_object (booked->json);
  move = g_strdup_printf ("{\"bookingId\":\"%s\",\"token\":\"%s\",\"slotId\":\"%s\"}",
                          json_object_get_string_member (json_object_get_object_member (booking, "booking"), "id"),
                          json_object_get_string_member (booking, "cancelToken"),
                          okno_event_get_id (f->http.slot2));
  moved = okno_test_http_request (&f->http, "POST", "/api/reschedule", move);
  g_assert_cmpuint (moved->status, ==, 200);
  wait_for_status (f, 200, 2);

  log = sent_messages (f, &keep);
  g_assert_cmpuint (json_array_get_length (log), ==, 2);
  g_test_message ("%s", json_object_get_string_member (json_array_get_object_element (log, 1), "text"));
  g_assert_nonnull (strstr (json_object_get_string_member (json_array_get_object_element (log, 1), "text"), expected));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/okno/telegram-outbox/booking-reaches-telegram-once", TgFixture, NULL,
              set_up, test_booking_reaches_telegram_once, tear_down);
  g_test_add ("/okno/telegram-outbox/a-day-of-failure-needs-olga", TgFixture, NULL,
              set_up, test_a_day_of_failure_needs_olga, tear_down);
  g_test_add ("/okno/telegram-outbox/client-move-tells-olga", TgFixture, NULL,
              set_up, test_client_move_tells_olga, tear_down);
  g_test_add ("/okno/telegram-outbox/outage-then-back-in-order", TgFixture, NULL,
              set_up, test_outage_then_back_in_order, tear_down);

  return g_test_run ();
}
