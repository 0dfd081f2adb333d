/* test-http-api.c: the public JSON API through a real HTTP client.
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <libsoup/soup.h>
#include <string.h>

#include "okno-test-http.h"
#include "okno-test-utils.h"

static const char *
error_code (Response *r)
{
  JsonObject *error;

  g_assert_nonnull (r->json);
  error = json_object_get_object_member (json_node_get_object (r->json), "error");
  g_assert_nonnull (error);
  g_assert_nonnull (json_object_get_string_member (error, "message"));
  return json_object_get_string_member (error, "code");
}

static char *
book_body (const char *slot_id,
           const char *name)
{
  return g_strdup_printf ("{\"slotId\":\"%s\",\"name\":\"%s\",\"email\":\"client@example.org\"}",
                          slot_id, name);
}

static guint
ledger_size (Fixture *f)
{
  return g_list_model_get_n_items (okno_ledger_get_bookings (okno_profile_get_ledger (f->instance)));
}

static void
assert_security_headers (Response *r)
{
  const char *csp = soup_message_headers_get_one (r->headers, "Content-Security-Policy");

  g_assert_nonnull (csp);
  g_assert_nonnull (strstr (csp, "default-src 'none'"));
  g_assert_nonnull (strstr (csp, "frame-ancestors 'self'"));
  g_assert_cmpstr (soup_message_headers_get_one (r->headers, "X-Content-Type-Options"), ==, "nosniff");
  g_assert_cmpstr (soup_message_headers_get_one (r->headers, "Referrer-Policy"), ==, "no-referrer");
}

static void
test_slots (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(Response) r = okno_test_http_request (f, "GET", "/api/slots", NULL);
  g_autoptr(Response) again = NULL;
  g_autoptr(SoupMessage) conditional = NULL;
  JsonObject *root, *slots;
  g_autoptr(GList) days = NULL;
  JsonObject *first;
  const char *etag;

  g_assert_cmpuint (r->status, ==, 200);
  assert_security_headers (r);
  root = json_node_get_object (r->json);
  g_assert_cmpstr (json_object_get_string_member (root, "timeZone"), ==, "Europe/Moscow");
  slots = json_object_get_object_member (root, "slots");
  days = json_object_get_members (slots);
  g_assert_cmpuint (g_list_length (days), ==, 2);

  first = json_array_get_object_element (json_object_get_array_member (slots, days->data), 0);
  g_assert_nonnull (first);
  g_assert_cmpint (json_object_get_int_member (first, "minutes"), ==, 40);
  g_assert_true (g_str_has_suffix (json_object_get_string_member (first, "start"), "+03:00"));
  g_assert_nonnull (json_object_get_string_member (first, "id"));
  g_assert_nonnull (json_object_get_string_member (first, "title"));
  /* Nothing about anyone else: only these members. */
  g_assert_cmpuint (json_object_get_size (first), ==, 5);

  etag = soup_message_headers_get_one (r->headers, "ETag");
  g_assert_nonnull (etag);
  conditional = okno_test_http_message (f, "GET", "/api/slots", NULL, 0);
  soup_message_headers_replace (soup_message_get_request_headers (conditional), "If-None-Match", etag);
  again = okno_test_http_send (f, conditional);
  g_assert_cmpuint (again->status, ==, 304);
}

static void
test_slots_zone_and_range (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(Response) berlin = okno_test_http_request (f, "GET", "/api/slots?timeZone=Europe/Berlin", NULL);
  g_autoptr(Response) unknown = okno_test_http_request (f, "GET", "/api/slots?timeZone=Mars/Base", NULL);
  g_autoptr(Response) bad_date = okno_test_http_request (f, "GET", "/api/slots?start=2026-13-01", NULL);
  g_autoptr(Response) reversed = okno_test_http_request (f, "GET", "/api/slots?start=2026-12-10&end=2026-12-01", NULL);
  g_autoptr(Response) too_long = okno_test_http_request (f, "GET", "/api/slots?start=2026-12-01&end=2027-12-01", NULL);
  g_autoptr(Response) past = okno_test_http_request (f, "GET", "/api/slots?start=2020-01-01&end=2020-01-31", NULL);
  JsonObject *root = json_node_get_object (berlin->json);
  g_autoptr(GList) days = json_object_get_members (json_object_get_object_member (root, "slots"));
  JsonObject *first = json_array_get_object_element (
    json_object_get_array_member (json_object_get_object_member (root, "slots"), days->data), 0);

  g_assert_cmpuint (berlin->status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (root, "timeZone"), ==, "Europe/Berlin");
  g_assert_true (g_str_has_suffix (json_object_get_string_member (first, "start"), "+01:00"));

  g_assert_cmpuint (unknown->status, ==, 400);
  g_assert_cmpstr (error_code (unknown), ==, "invalid");
  g_assert_cmpuint (bad_date->status, ==, 400);
  g_assert_cmpuint (reversed->status, ==, 400);
  g_assert_cmpuint (too_long->status, ==, 400);
  g_assert_cmpuint (past->status, ==, 200);
  g_assert_cmpuint (json_object_get_size (json_object_get_object_member (json_node_get_object (past->json), "slots")), ==, 0);
}

/* Grouping by day follows the visitor's zone across a DST change:
 * Europe/Berlin springs forward on 2027-03-28. */
static void
test_slots_dst (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GDateTime) a = okno_test_time ("2027-03-28T00:30:00Z");  /* 01:30 CET */
  g_autoptr(GDateTime) b = okno_test_time ("2027-03-28T21:30:00Z");  /* 23:30 CEST */
  g_autoptr(GDateTime) c = okno_test_time ("2027-03-28T22:30:00Z");  /* 00:30 CEST, next day */
  OknoCalendar *calendar = okno_profile_get_calendar (f->instance);
  g_autoptr(OknoEvent) ea = okno_test_insert_event (calendar, "🔓 СЛОТ", a, 40, TRUE);
  g_autoptr(OknoEvent) eb = okno_test_insert_event (calendar, "🔓 СЛОТ", b, 40, TRUE);
  g_autoptr(OknoEvent) ec = okno_test_insert_event (calendar, "🔓 СЛОТ", c, 40, TRUE);
  g_autoptr(Response) r = NULL;
  JsonObject *slots;
  JsonArray *day1, *day2;

  g_settings_set_uint (okno_profile_get_settings (f->instance), "booking-window-days", 365);
  r = okno_test_http_request (f, "GET", "/api/slots?start=2027-03-28&end=2027-03-29&timeZone=Europe/Berlin", NULL);
  g_assert_cmpuint (r->status, ==, 200);
  slots = json_object_get_object_member (json_node_get_object (r->json), "slots");
  day1 = json_object_get_array_member (slots, "2027-03-28");
  day2 = json_object_get_array_member (slots, "2027-03-29");
  g_assert_cmpuint (json_array_get_length (day1), ==, 2);
  g_assert_cmpuint (json_array_get_length (day2), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (day1, 0), "start"),
                   ==, "2027-03-28T01:30:00+01:00");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (day1, 1), "start"),
                   ==, "2027-03-28T23:30:00+02:00");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (day2, 0), "start"),
                   ==, "2027-03-29T00:30:00+02:00");
}

static void
test_book_and_cancel (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *body = book_body (okno_event_get_id (f->slot), "Анна");
  g_autoptr(Response) slots_before = okno_test_http_request (f, "GET", "/api/slots", NULL);
  g_autoptr(Response) booked = okno_test_http_request (f, "POST", "/api/book", body);
  g_autoptr(Response) taken = okno_test_http_request (f, "POST", "/api/book", body);
  g_autoptr(Response) slots_after = okno_test_http_request (f, "GET", "/api/slots", NULL);
  g_autoptr(Response) wrong = NULL;
  g_autoptr(Response) cancelled = NULL;
  g_autoptr(Response) repeat = NULL;
  g_autoptr(Response) unknown = NULL;
  g_autoptr(Response) reopened = NULL;
  g_autofree char *wrong_body = NULL;
  g_autofree char *cancel_body = NULL;
  JsonObject *root, *booking;
  const char *token, *id;

  g_assert_cmpuint (booked->status, ==, 201);
  root = json_node_get_object (booked->json);
  booking = json_object_get_object_member (root, "booking");
  token = json_object_get_string_member (root, "cancelToken");
  id = json_object_get_string_member (booking, "id");
  g_assert_cmpstr (json_object_get_string_member (booking, "slotId"), ==, okno_event_get_id (f->slot));
  g_assert_cmpstr (json_object_get_string_member (booking, "status"), ==, "confirmed");
  g_assert_true (g_str_has_prefix (json_object_get_string_member (booking, "cancelUrl"), f->base));
  g_assert_nonnull (strstr (json_object_get_string_member (booking, "cancelUrl"), token));
  g_assert_nonnull (strstr (json_object_get_string_member (booking, "icsUrl"), ".ics?token="));
  g_assert_true (g_str_has_suffix (json_object_get_string_member (booking, "start"), "+03:00"));
  g_assert_cmpuint (strlen (token), >=, 22);

  g_assert_cmpuint (taken->status, ==, 409);
  g_assert_cmpstr (error_code (taken), ==, "slot_taken");
  g_assert_cmpuint (ledger_size (f), ==, 1);

  /* The booked slot is gone from the list, and the ETag changed. */
  g_assert_cmpstr (soup_message_headers_get_one (slots_before->headers, "ETag"), !=,
                   soup_message_headers_get_one (slots_after->headers, "ETag"));
  g_assert_null (strstr (g_bytes_get_data (slots_after->body, NULL), okno_event_get_id (f->slot)));
  g_assert_nonnull (strstr (g_bytes_get_data (slots_after->body, NULL), okno_event_get_id (f->slot2)));

  wrong_body = g_strdup_printf ("{\"bookingId\":\"%s\",\"token\":\"nope\"}", id);
  wrong = okno_test_http_request (f, "POST", "/api/cancel", wrong_body);
  g_assert_cmpuint (wrong->status, ==, 403);
  g_assert_cmpstr (error_code (wrong), ==, "forbidden");

  cancel_body = g_strdup_printf ("{\"bookingId\":\"%s\",\"token\":\"%s\"}", id, token);
  cancelled = okno_test_http_request (f, "POST", "/api/cancel", cancel_body);
  g_assert_cmpuint (cancelled->status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (
    json_object_get_object_member (json_node_get_object (cancelled->json), "booking"), "status"), ==, "cancelled");
  repeat = okno_test_http_request (f, "POST", "/api/cancel", cancel_body);
  g_assert_cmpuint (repeat->status, ==, 200);

  unknown = okno_test_http_request (f, "POST", "/api/cancel", "{\"bookingId\":\"nosuch\",\"token\":\"x\"}");
  g_assert_cmpuint (unknown->status, ==, 404);

  reopened = okno_test_http_request (f, "GET", "/api/slots", NULL);
  g_assert_nonnull (strstr (g_bytes_get_data (reopened->body, NULL), okno_event_get_id (f->slot)));
}

/* Closer to the session than min-cancel-hours the API refuses the client's
 * cancel with 409 too_late and keeps the booking; 0 lets it through. */
static void
test_cancel_too_late (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *body = book_body (okno_event_get_id (f->slot), "Анна");
  g_autoptr(Response) booked = NULL;
  g_autoptr(Response) refused = NULL;
  g_autoptr(Response) cancelled = NULL;
  g_autofree char *cancel_body = NULL;
  JsonObject *root;
  const char *id;

  /* The slot starts in 48 hours. */
  g_settings_set_uint (okno_profile_get_settings (f->instance), "min-cancel-hours", 49);
  booked = okno_test_http_request (f, "POST", "/api/book", body);
  g_assert_cmpuint (booked->status, ==, 201);
  root = json_node_get_object (booked->json);
  id = json_object_get_string_member (json_object_get_object_member (root, "booking"), "id");
  cancel_body = g_strdup_printf ("{\"bookingId\":\"%s\",\"token\":\"%s\"}", id,
                                 json_object_get_string_member (root, "cancelToken"));

  refused = okno_test_http_request (f, "POST", "/api/cancel", cancel_body);
  g_assert_cmpuint (refused->status, ==, 409);
  g_assert_cmpstr (error_code (refused), ==, "too_late");
  g_assert_true (okno_booking_is_active (okno_ledger_lookup (okno_profile_get_ledger (f->instance), id)));

  g_settings_set_uint (okno_profile_get_settings (f->instance), "min-cancel-hours", 0);
  cancelled = okno_test_http_request (f, "POST", "/api/cancel", cancel_body);
  g_assert_cmpuint (cancelled->status, ==, 200);
  g_assert_false (okno_booking_is_active (okno_ledger_lookup (okno_profile_get_ledger (f->instance), id)));
}

/* max-active-per-client: one more than allowed is 409 limit_reached with
 * a message in words, and nothing is stored. */
static void
test_client_limit (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *first = book_body (okno_event_get_id (f->slot), "Анна");
  g_autofree char *second = g_strdup_printf ("{\"slotId\":\"%s\",\"name\":\"Анна\",\"email\":\"Client@Example.org\"}",
                                             okno_event_get_id (f->slot2));
  g_autoptr(Response) booked = NULL;
  g_autoptr(Response) refused = NULL;

  g_settings_set_uint (okno_profile_get_settings (f->instance), "max-active-per-client", 1);
  booked = okno_test_http_request (f, "POST", "/api/book", first);
  g_assert_cmpuint (booked->status, ==, 201);
  refused = okno_test_http_request (f, "POST", "/api/book", second);
  g_assert_cmpuint (refused->status, ==, 409);
  g_assert_cmpstr (error_code (refused), ==, "limit_reached");
  g_assert_nonnull (strstr (g_bytes_get_data (refused->body, NULL), "предстоящих сессий"));
  g_assert_cmpuint (ledger_size (f), ==, 1);
}

static void
test_book_errors (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(Response) missing = okno_test_http_request (f, "POST", "/api/book", "{\"slotId\":\"nosuchslot\",\"name\":\"A\",\"phone\":\"+79001234567\"}");
  g_autoptr(Response) invalid = NULL;
  g_autoptr(Response) get = okno_test_http_request (f, "GET", "/api/book", NULL);
  g_autoptr(Response) nothing = okno_test_http_request (f, "GET", "/api/nothing", NULL);
  g_autoptr(Response) status = okno_test_http_request (f, "GET", "/api/status", NULL);
  g_autofree char *invalid_body = g_strdup_printf ("{\"slotId\":\"%s\",\"name\":\"\",\"email\":\"nope\"}",
                                                   okno_event_get_id (f->slot));
  JsonObject *fields;

  g_assert_cmpuint (missing->status, ==, 404);
  g_assert_cmpstr (error_code (missing), ==, "slot_not_found");

  invalid = okno_test_http_request (f, "POST", "/api/book", invalid_body);
  g_assert_cmpuint (invalid->status, ==, 400);
  g_assert_cmpstr (error_code (invalid), ==, "invalid");
  fields = json_object_get_object_member (json_object_get_object_member (json_node_get_object (invalid->json), "error"),
                                          "fields");
  g_assert_true (json_object_has_member (fields, "name"));
  g_assert_true (json_object_has_member (fields, "email"));

  g_assert_cmpuint (get->status, ==, 405);
  g_assert_cmpstr (soup_message_headers_get_one (get->headers, "Allow"), ==, "POST");
  g_assert_cmpuint (nothing->status, ==, 404);
  assert_security_headers (nothing);

  g_assert_cmpuint (status->status, ==, 200);
  g_assert_true (json_object_get_boolean_member (json_node_get_object (status->json), "ok"));
  g_assert_cmpstr (json_object_get_string_member (
    json_object_get_object_member (json_node_get_object (status->json), "calendar"), "state"), ==, "local");
  g_assert_cmpint (json_object_get_int_member (
    json_object_get_object_member (json_node_get_object (status->json), "calendar"), "pending"), ==, 0);
}

/* Hostile and broken bodies: each gets a 4xx with a JSON error, the
 * server stays up and the ledger stays empty. */
static void
test_bad_input (Fixture       *f,
                gconstpointer  data)
{
  const char *slot = okno_event_get_id (f->slot);
  g_autofree char *wrong_types = g_strdup ("{\"slotId\":12,\"name\":[\"x\"],\"email\":{}}");
  g_autofree char *huge_number = g_strdup ("{\"slotId\":1e999999,\"name\":\"A\",\"email\":\"a@b.cd\"}");
  g_autofree char *escaped_nul = g_strdup_printf ("{\"slotId\":\"%s\",\"name\":\"An\\u0000na\",\"email\":\"a@b.cd\"}", slot);
  const char *cases[] = {
    "",
    "not json",
    "{\"slotId\":",
    "[1,2,3]",
    "\"just a string\"",
    "null",
    wrong_types,
    huge_number,
    escaped_nul,
  };
  const char invalid_utf8[] = "{\"slotId\":\"x\",\"name\":\"\xff\xfe\",\"email\":\"a@b.cd\"}";
  const char raw_nul[] = "{\"slotId\":\"x\",\"name\":\"A\0B\",\"email\":\"a@b.cd\"}";
  g_autofree char *big = g_malloc (1024 * 1024 + 1);
  g_autofree char *just_over = NULL;
  g_autoptr(Response) ok = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(Response) r = okno_test_http_request (f, "POST", "/api/book", cases[i]);

      if (r->status != 400)
        g_error ("case %u (%s): status %u", i, cases[i], r->status);
      error_code (r);
    }

  {
    g_autoptr(SoupMessage) m1 = okno_test_http_message (f, "POST", "/api/book", invalid_utf8, sizeof invalid_utf8 - 1);
    g_autoptr(SoupMessage) m2 = okno_test_http_message (f, "POST", "/api/book", raw_nul, sizeof raw_nul - 1);
    g_autoptr(Response) r1 = okno_test_http_send (f, m1);
    g_autoptr(Response) r2 = okno_test_http_send (f, m2);

    g_assert_cmpuint (r1->status, ==, 400);
    g_assert_cmpuint (r2->status, ==, 400);
  }

  /* 1 MiB, and just over the 16 KiB limit. */
  memset (big, 'a', 1024 * 1024);
  big[1024 * 1024] = '\0';
  just_over = g_strndup (big, 16 * 1024 + 1);
  {
    g_autoptr(Response) r1 = okno_test_http_request (f, "POST", "/api/book", big);
    g_autoptr(Response) r2 = okno_test_http_request (f, "POST", "/api/book", just_over);

    g_assert_cmpuint (r1->status, ==, 413);
    g_assert_cmpuint (r2->status, ==, 413);
    g_assert_cmpstr (error_code (r2), ==, "too_large");
    assert_security_headers (r2);
  }

  g_assert_cmpuint (ledger_size (f), ==, 0);

  /* Still serving, and a good request still works. */
  {
    g_autofree char *body = book_body (slot, "Анна");
    ok = okno_test_http_request (f, "POST", "/api/book", body);
    g_assert_cmpuint (ok->status, ==, 201);
    g_assert_cmpuint (ledger_size (f), ==, 1);
  }
}

typedef struct
{
  guint16   port;
  char     *request;
  GString  *reply;
  gboolean  done;
} RawExchange;

/* A blocking client in its own thread, so the server on the main loop can
 * answer: sends @request and reads until the server closes. */
static gpointer
raw_exchange_thread (gpointer data)
{
  RawExchange *x = data;
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) conn = NULL;
  g_autoptr(GError) error = NULL;
  char buffer[4096];
  gssize n;

  g_socket_client_set_timeout (client, 10);
  conn = g_socket_client_connect_to_host (client, "127.0.0.1", x->port, NULL, &error);
  g_assert_no_error (error);
  g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (conn)),
                             x->request, strlen (x->request), NULL, NULL, &error);
  g_assert_no_error (error);
  /* Until the error body is complete; the server closes a little later. */
  while (strstr (x->reply->str, "}}") == NULL &&
         (n = g_input_stream_read (g_io_stream_get_input_stream (G_IO_STREAM (conn)),
                                   buffer, sizeof buffer, NULL, NULL)) > 0)
    g_string_append_len (x->reply, buffer, n);
  g_atomic_int_set (&x->done, TRUE);
  return NULL;
}

static char *
raw_exchange (Fixture    *f,
              const char *request)
{
  RawExchange x = { 0 };
  GThread *thread;

  x.port = okno_web_server_get_port (okno_profile_get_web_server (f->instance));
  x.request = (char *) request;
  x.reply = g_string_new (NULL);
  thread = g_thread_new ("raw-client", raw_exchange_thread, &x);
  while (!g_atomic_int_get (&x.done))
    g_main_context_iteration (NULL, FALSE), g_usleep (1000);
  g_thread_join (thread);

  return g_string_free (x.reply, FALSE);
}

/* A client announces a gigabyte: refused from the headers alone, the
 * connection closed, nothing read. Chunked uploads must say their size. */
static void
test_refused_before_reading (Fixture       *f,
                             gconstpointer  data)
{
  g_autofree char *huge = raw_exchange (f, "POST /api/book HTTP/1.1\r\nHost: x\r\n"
                                            "Content-Type: application/json\r\n"
                                            "Content-Length: 1073741824\r\n\r\n{\"a\":");
  g_autofree char *chunked = raw_exchange (f, "POST /api/book HTTP/1.1\r\nHost: x\r\n"
                                               "Transfer-Encoding: chunked\r\n\r\n5\r\n{\"a\":\r\n");

  g_test_message ("reply: %s", huge);
  g_assert_true (g_str_has_prefix (huge, "HTTP/1.1 413"));
  g_assert_nonnull (strstr (huge, "too_large"));
  g_assert_true (g_str_has_prefix (chunked, "HTTP/1.1 411"));
  g_assert_cmpuint (ledger_size (f), ==, 0);
}

static void
test_idempotency_key (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *body = book_body (okno_event_get_id (f->slot), "Анна");
  g_autofree char *other = book_body (okno_event_get_id (f->slot2), "Анна");
  g_autoptr(SoupMessage) m1 = okno_test_http_message (f, "POST", "/api/book", body, -1);
  g_autoptr(SoupMessage) m2 = okno_test_http_message (f, "POST", "/api/book", body, -1);
  g_autoptr(SoupMessage) m3 = okno_test_http_message (f, "POST", "/api/book", other, -1);
  g_autoptr(Response) r1 = NULL;
  g_autoptr(Response) r2 = NULL;
  g_autoptr(Response) r3 = NULL;

  soup_message_headers_replace (soup_message_get_request_headers (m1), "Idempotency-Key", "8e0b1f2a-retry");
  soup_message_headers_replace (soup_message_get_request_headers (m2), "Idempotency-Key", "8e0b1f2a-retry");
  soup_message_headers_replace (soup_message_get_request_headers (m3), "Idempotency-Key", "8e0b1f2a-retry");
  r1 = okno_test_http_send (f, m1);
  r2 = okno_test_http_send (f, m2);
  r3 = okno_test_http_send (f, m3);

  g_assert_cmpuint (r1->status, ==, 201);
  g_assert_cmpuint (r2->status, ==, 201);
  g_assert_cmpstr (soup_message_headers_get_one (r2->headers, "Idempotent-Replayed"), ==, "true");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (json_node_get_object (r1->json), "booking"), "id"),
                   ==,
                   json_object_get_string_member (json_object_get_object_member (json_node_get_object (r2->json), "booking"), "id"));
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (r1->json), "cancelToken"), ==,
                   json_object_get_string_member (json_node_get_object (r2->json), "cancelToken"));
  g_assert_cmpuint (r3->status, ==, 422);
  g_assert_cmpuint (ledger_size (f), ==, 1);
}

/* 50 clients race for one slot: one wins, 49 are told it is taken. */
static void
test_race (Fixture       *f,
           gconstpointer  data)
{
  Pending pending[50] = { 0 };
  SoupMessage *msgs[50];
  guint created = 0, conflicts = 0;

  for (guint i = 0; i < G_N_ELEMENTS (pending); i++)
    {
      g_autofree char *name = g_strdup_printf ("Клиент %u", i);
      g_autofree char *body = book_body (okno_event_get_id (f->slot), name);

      msgs[i] = okno_test_http_message (f, "POST", "/api/book", body, -1);
      okno_test_http_send_async (f, msgs[i], &pending[i]);
    }

  for (guint i = 0; i < G_N_ELEMENTS (pending); i++)
    {
      while (!pending[i].done)
        g_main_context_iteration (NULL, TRUE);
      if (pending[i].response->status == 201)
        created++;
      else if (pending[i].response->status == 409)
        conflicts++;
      okno_test_response_free (pending[i].response);
      g_object_unref (msgs[i]);
    }

  g_assert_cmpuint (created, ==, 1);
  g_assert_cmpuint (conflicts, ==, 49);
  g_assert_cmpuint (ledger_size (f), ==, 1);
}

static void
test_rate_limit (Fixture       *f,
                 gconstpointer  data)
{
  guint limited = 0;

  /* This fixture allows 3 attempts a minute. */
  for (guint i = 0; i < 5; i++)
    {
      g_autoptr(Response) r = okno_test_http_request (f, "POST", "/api/book", "{}");

      if (i < 3)
        g_assert_cmpuint (r->status, ==, 400);
      else
        {
          g_assert_cmpuint (r->status, ==, 429);
          g_assert_cmpstr (error_code (r), ==, "rate_limited");
          g_assert_nonnull (soup_message_headers_get_one (r->headers, "Retry-After"));
          g_assert_cmpint (atoi (soup_message_headers_get_one (r->headers, "Retry-After")), >=, 1);
          limited++;
        }
    }
  g_assert_cmpuint (limited, ==, 2);

  /* Reading slots is not limited. */
  {
    g_autoptr(Response) r = okno_test_http_request (f, "GET", "/api/slots", NULL);
    g_assert_cmpuint (r->status, ==, 200);
  }
}

/* Behind a trusted proxy each client has its own bucket; anyone else's
 * X-Forwarded-For is ignored. */
static void
test_trusted_proxy (Fixture       *f,
                    gconstpointer  data)
{
  for (guint round = 0; round < 2; round++)
    {
      for (guint i = 0; i < 4; i++)
        {
          g_autoptr(SoupMessage) msg = okno_test_http_message (f, "POST", "/api/book", "{}", -1);
          g_autofree char *client = g_strdup_printf ("203.0.113.%u", i);
          g_autoptr(Response) r = NULL;

          soup_message_headers_replace (soup_message_get_request_headers (msg), "X-Forwarded-For", client);
          r = okno_test_http_send (f, msg);
          if (round == 0)
            /* Not trusted yet: all share 127.0.0.1's three attempts. */
            g_assert_cmpuint (r->status, ==, i < 3 ? 400 : 429);
          else
            g_assert_cmpuint (r->status, ==, 400);
        }
      g_object_set (okno_profile_get_web_server (f->instance), "trusted-proxy", "127.0.0.1", NULL);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func, limit) \
  g_test_add (path, Fixture, GINT_TO_POINTER (limit), okno_test_http_set_up, func, okno_test_http_tear_down)

  ADD ("/okno/http/slots", test_slots, 0);
  ADD ("/okno/http/slots-zone-and-range", test_slots_zone_and_range, 0);
  ADD ("/okno/http/slots-dst", test_slots_dst, 0);
  ADD ("/okno/http/book-and-cancel", test_book_and_cancel, 0);
  ADD ("/okno/http/cancel-too-late", test_cancel_too_late, 0);
  ADD ("/okno/http/client-limit", test_client_limit, 0);
  ADD ("/okno/http/book-errors", test_book_errors, 0);
  ADD ("/okno/http/bad-input", test_bad_input, 0);
  ADD ("/okno/http/refused-before-reading", test_refused_before_reading, 0);
  ADD ("/okno/http/idempotency-key", test_idempotency_key, 0);
  ADD ("/okno/http/race", test_race, 0);
  ADD ("/okno/http/rate-limit", test_rate_limit, 3);
  ADD ("/okno/http/trusted-proxy", test_trusted_proxy, 3);

  return g_test_run ();
}
