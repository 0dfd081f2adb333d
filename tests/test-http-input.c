/* test-http-input.c: the boundary (every string from outside is clean
 * text) and the connection limits, through real and raw HTTP.
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <libsoup/soup.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "okno-test-http.h"
#include "okno-test-raw.h"
#include "okno-test-profile.h"
#include "okno-test-utils.h"
#include "okno-web-server-private.h"

static guint
ledger_size (Fixture *f)
{
  return g_list_model_get_n_items (okno_ledger_get_bookings (okno_profile_get_ledger (f->instance)));
}

static JsonObject *
error_object (Response *r)
{
  g_assert_nonnull (r->json);
  return json_object_get_object_member (json_node_get_object (r->json), "error");
}

/* 400 invalid, naming @field. */
static void
assert_invalid_field (Response   *r,
                      const char *field)
{
  JsonObject *error;

  if (r->status != 400)
    g_error ("expected 400 for %s, got %u: %.*s", field, r->status,
             (int) g_bytes_get_size (r->body), (const char *) g_bytes_get_data (r->body, NULL));
  error = error_object (r);
  if (g_strcmp0 (json_object_get_string_member (error, "code"), "invalid") != 0)
    g_error ("expected invalid for %s: %.*s", field,
             (int) g_bytes_get_size (r->body), (const char *) g_bytes_get_data (r->body, NULL));
  g_assert_cmpstr (json_object_get_string_member (error, "code"), ==, "invalid");
  g_assert_true (json_object_has_member (json_object_get_object_member (error, "fields"), field));
}

/* Every file in the data folder is still valid UTF-8 (JSON files must be). */
static void
assert_folder_clean (Fixture *f)
{
  g_autoptr(GDir) dir = g_dir_open (f->dir, 0, NULL);
  const char *name;

  okno_test_settle_profile (f->instance);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (f->dir, name, NULL);
      g_autofree char *contents = NULL;
      gsize length;

      if (g_file_test (path, G_FILE_TEST_IS_DIR) || g_str_has_suffix (name, ".lock"))
        continue;
      g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
      if (!g_utf8_validate_len (contents, length, NULL))
        g_error ("%s holds invalid UTF-8", name);
    }
}

static Response *
post_json (Fixture    *f,
           const char *path,
           const char *body)
{
  return okno_test_http_request (f, "POST", path, body);
}

static Response *
post_form (Fixture    *f,
           const char *path,
           const char *form)
{
  g_autoptr(SoupMessage) msg = okno_test_http_message (f, "POST", path, NULL, 0);
  g_autofree char *stamp = okno_test_http_form_stamp (f, NULL);
  /* A booking form as the page serves it: signed a minute ago. */
  g_autofree char *signed_form = g_str_equal (path, "/book") && strstr (form, "stamp=") == NULL
                                 ? g_strconcat (form, "&", stamp, NULL) : g_strdup (form);
  g_autoptr(GBytes) bytes = g_bytes_new (signed_form, strlen (signed_form));

  soup_message_set_request_body_from_bytes (msg, "application/x-www-form-urlencoded", bytes);
  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
  return okno_test_http_send (f, msg);
}

static char *
book_json (Fixture    *f,
           const char *name_json,
           const char *note_json)
{
  return g_strdup_printf ("{\"slotId\":\"%s\",\"name\":%s,\"email\":\"a@example.org\"%s%s}",
                          okno_event_get_id (f->slot), name_json,
                          note_json ? ",\"note\":" : "", note_json ? note_json : "");
}

/* Issue 8, item 1: json-glib turns a lone surrogate escape into invalid
 * UTF-8; it must be refused by field, and never reach the data folder. */
static void
test_json_lone_surrogates (Fixture       *f,
                           gconstpointer  data)
{
  const struct { const char *name, *note, *field; } cases[] = {
    { "\"A\\ud800B\"", NULL, "name" },
    { "\"A\\udc00B\"", NULL, "name" },
    { "\"A\\ud800\\u0041\"", NULL, NULL },      /* json-glib: a parse error */
    { "\"Anna\"", "\"x\\ud800y\"", "note" },
    { "\"Anna\"", "\"x\\udfff\"", NULL },      /* at the end: a parse error */
    { "\"Anna\\u0001\"", NULL, "name" },
    { "\"Anna\"", "\"a\\u0007b\"", "note" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *body = book_json (f, cases[i].name, cases[i].note);
      g_autoptr(Response) r = post_json (f, "/api/book", body);

      if (cases[i].field)
        assert_invalid_field (r, cases[i].field);
      else
        g_assert_cmpuint (r->status, ==, 400);
    }

  /* In a member name, and deeper in the tree, too. */
  {
    g_autofree char *body = g_strdup_printf ("{\"slotId\":\"%s\",\"name\":\"Anna\",\"email\":\"a@example.org\","
                                             "\"x\\ud800y\":1}", okno_event_get_id (f->slot));
    g_autofree char *nested = g_strdup_printf ("{\"slotId\":\"%s\",\"name\":\"Anna\",\"email\":\"a@example.org\","
                                               "\"extra\":[{\"a\":\"x\\udc00y\"}]}", okno_event_get_id (f->slot));
    g_autoptr(Response) r = post_json (f, "/api/book", body);
    g_autoptr(Response) deep = post_json (f, "/api/book", nested);
    g_autoptr(Response) cancel = post_json (f, "/api/cancel", "{\"bookingId\":\"x\",\"token\":\"t\\ud800u\"}");

    assert_invalid_field (r, "body");
    assert_invalid_field (deep, "extra");
    assert_invalid_field (cancel, "token");
  }

  g_assert_cmpuint (ledger_size (f), ==, 0);
  assert_folder_clean (f);
}

/* Issue 8, item 4: a form value is taken whole: %00 refuses it. */
static void
test_form_nul (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *book = g_strdup_printf ("{\"slotId\":\"%s\",\"name\":\"Anna\",\"email\":\"a@example.org\"}",
                                           okno_event_get_id (f->slot));
  g_autoptr(Response) booked = post_json (f, "/api/book", book);
  JsonObject *root = json_node_get_object (booked->json);
  const char *token = json_object_get_string_member (root, "cancelToken");
  const char *id = json_object_get_string_member (json_object_get_object_member (root, "booking"), "id");
  g_autofree char *cut = g_strdup_printf ("booking=%s&token=%s%%00junk&lang=en&confirm=1", id, token);
  g_autofree char *whole = g_strdup_printf ("booking=%s&token=%s&lang=en&confirm=1", id, token);
  g_autofree char *dan = g_strdup_printf ("slot=%s&name=Dan%%00%%01junk&email=d%%40example.org&lang=en",
                                          okno_event_get_id (f->slot2));
  g_autofree char *latin1 = g_strdup_printf ("slot=%s&name=Ren%%E9&email=d%%40example.org&lang=en",
                                             okno_event_get_id (f->slot2));
  g_autofree char *page_query = g_strdup_printf ("/booking/%s?token=%s%%00junk", id, token);
  g_autoptr(Response) cancel_cut = NULL;
  g_autoptr(Response) book_dan = NULL;
  g_autoptr(Response) book_latin1 = NULL;
  g_autoptr(Response) view_cut = NULL;
  g_autoptr(Response) cancel_whole = NULL;
  OknoBooking *booking;

  g_assert_cmpuint (booked->status, ==, 201);

  cancel_cut = post_form (f, "/cancel", cut);
  g_assert_cmpuint (cancel_cut->status, ==, 400);
  booking = okno_ledger_lookup (okno_profile_get_ledger (f->instance), id);
  g_assert_true (okno_booking_is_active (booking));

  book_dan = post_form (f, "/book", dan);
  g_assert_cmpuint (book_dan->status, ==, 400);
  /* The form again, the name's own message by it. */
  g_assert_nonnull (g_strstr_len (g_bytes_get_data (book_dan->body, NULL), g_bytes_get_size (book_dan->body),
                                  "This field contains characters that cannot be used."));
  book_latin1 = post_form (f, "/book", latin1);
  g_assert_cmpuint (book_latin1->status, ==, 400);
  g_assert_cmpuint (ledger_size (f), ==, 1);

  view_cut = okno_test_http_request (f, "GET", page_query, NULL);
  g_assert_cmpuint (view_cut->status, ==, 400);

  cancel_whole = post_form (f, "/cancel", whole);
  g_assert_cmpuint (cancel_whole->status, ==, 303);
  g_assert_false (okno_booking_is_active (okno_ledger_lookup (okno_profile_get_ledger (f->instance), id)));
  assert_folder_clean (f);
}

/* Query parameters and the headers Okno reads go through the same gate. */
static void
test_query_and_headers (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(Response) zone = okno_test_http_request (f, "GET", "/api/slots?timeZone=Europe/Moscow%00x", NULL);
  g_autoptr(Response) bytes = okno_test_http_request (f, "GET", "/api/slots?start=%FF", NULL);
  g_autoptr(Response) fine = okno_test_http_request (f, "GET", "/api/slots?timeZone=Europe%2FMoscow", NULL);
  g_autofree char *body = g_strdup_printf ("{\"slotId\":\"%s\",\"name\":\"Anna\",\"email\":\"a@example.org\"}",
                                           okno_event_get_id (f->slot));
  g_autofree char *raw = g_strdup_printf ("POST /api/book HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                                          "Content-Type: application/json\r\n"
                                          "Idempotency-Key: key-\xff\xfe\r\nContent-Length: %zu\r\n\r\n%s",
                                          strlen (body), body);
  g_autoptr(GBytes) answer = NULL;
  gboolean closed;

  assert_invalid_field (zone, "timeZone");
  assert_invalid_field (bytes, "start");
  g_assert_cmpuint (fine->status, ==, 200);

  answer = okno_test_raw_exchange (f->base, raw, strlen (raw), 5000, &closed);
  g_assert_cmpuint (okno_test_raw_status (answer), ==, 400);
  g_assert_nonnull (g_strstr_len (g_bytes_get_data (answer, NULL), g_bytes_get_size (answer), "Idempotency-Key"));
  g_assert_cmpuint (ledger_size (f), ==, 0);
}

/* Issue 8, item 5: a name needs a letter; invisible and bidi characters
 * are refused; what is stored is NFC. */
static void
test_names (Fixture       *f,
            gconstpointer  data)
{
  const char *refused[] = {
    "\"\\u200b\"", "\"\\ufeff\"", "\"\\u00a0\"", "\"\\u00a0\\u00a0\"", "\"\\u0301\"", "\"\\u0301\\u0308\"",
    "\"\\u202eevil\"", "\"An\\u200bna\"", "\"Anna\\u2066\"", "\"\\u061cAnna\"", "\"Anna\\u200e\"",
    "\"12345\"", "\"\\ud83c\\udf38\"",
  };
  g_autofree char *composed = book_json (f, "\"Cafe\\u0301 Ole\"", "\"note: Cafe\\u0301\"");
  g_autoptr(Response) ok = NULL;
  g_autofree char *bidi_note = book_json (f, "\"Anna\"", "\"\\u202eevil\"");
  g_autoptr(Response) bad_note = post_json (f, "/api/book", bidi_note);
  OknoBooking *booking;

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autofree char *body = book_json (f, refused[i], NULL);
      g_autoptr(Response) r = post_json (f, "/api/book", body);

      assert_invalid_field (r, "name");
    }
  assert_invalid_field (bad_note, "note");
  g_assert_cmpuint (ledger_size (f), ==, 0);

  ok = post_json (f, "/api/book", composed);
  g_assert_cmpuint (ok->status, ==, 201);
  booking = g_list_model_get_item (okno_ledger_get_bookings (okno_profile_get_ledger (f->instance)), 0);
  g_assert_cmpstr (okno_booking_get_name (booking), ==, "Caf\u00e9 Ole");
  g_assert_cmpstr (okno_booking_get_field (booking, "note"), ==, "note: Caf\u00e9");
  g_object_unref (booking);
}

/* Issue 8, item 2: Content-Length is one plain number within the limit,
 * read from the header; anything else is refused and the connection
 * closed, without a second request smuggled in the body. */
static void
test_content_length (Fixture       *f,
                     gconstpointer  data)
{
  const struct { const char *value; guint status; } cases[] = {
    { "-1", 400 },
    { "+5", 400 },
    { "5,5", 400 },
    { "5, 6", 400 },
    { "0x10", 400 },
    { "5 5", 400 },
    { "9223372036854775808", 413 },
    { "18446744073709551615", 413 },
    { "99999999999999999999999", 413 },
    { "16385", 413 },
  };
  const char *smuggled = "GET /api/status HTTP/1.1\r\nHost: x\r\n\r\n";

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *request = g_strdup_printf ("POST /api/book HTTP/1.1\r\nHost: x\r\n"
                                                  "Content-Type: application/json\r\n"
                                                  "Content-Length: %s\r\n\r\n%s",
                                                  cases[i].value, smuggled);
      gboolean closed = FALSE;
      g_autoptr(GBytes) answer = okno_test_raw_exchange (f->base, request, strlen (request), 5000, &closed);
      g_autofree char *text = g_strndup (g_bytes_get_data (answer, NULL), g_bytes_get_size (answer));

      if (okno_test_raw_status (answer) != cases[i].status)
        g_error ("Content-Length: %s: %s", cases[i].value, text);
      g_assert_true (closed);
      /* One answer, not a second one for the body's bytes. */
      g_assert_null (strstr (strstr (text, "HTTP/1.1") + 1, "HTTP/1.1"));
    }

  /* Also where libsoup refuses the request itself (an ftp: URI) and would
   * then read the body by the broken length. */
  {
    const char *refused = "POST ftp://x/api/book HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n{}";
    gboolean closed = FALSE;
    g_autoptr(GBytes) answer = okno_test_raw_exchange (f->base, refused, strlen (refused), 5000, &closed);

    g_assert_cmpuint (okno_test_raw_status (answer), ==, 400);
    g_assert_true (closed);
  }

  /* Two headers that differ. */
  {
    const char *two = "POST /api/book HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 40\r\n\r\n{}";
    gboolean closed = FALSE;
    g_autoptr(GBytes) answer = okno_test_raw_exchange (f->base, two, strlen (two), 5000, &closed);

    g_assert_cmpuint (okno_test_raw_status (answer), ==, 400);
    g_assert_true (closed);
  }
}

static void
assert_raw_security_headers (GBytes *answer)
{
  g_autofree char *csp = okno_test_raw_header (answer, "Content-Security-Policy");
  g_autofree char *nosniff = okno_test_raw_header (answer, "X-Content-Type-Options");
  g_autofree char *referrer = okno_test_raw_header (answer, "Referrer-Policy");

  g_assert_nonnull (csp);
  g_assert_nonnull (strstr (csp, "default-src 'none'"));
  g_assert_cmpstr (nosniff, ==, "nosniff");
  g_assert_cmpstr (referrer, ==, "no-referrer");
}

/* Issue 8, item 6: libsoup's own error answers carry the headers too. */
static void
test_library_errors_have_headers (Fixture       *f,
                                  gconstpointer  data)
{
  const struct { const char *request; guint status; } cases[] = {
    { "GARBAGE\r\n\r\n", 400 },
    { "GET / HTTP/1.1\r\n\r\n", 400 },                                           /* no Host */
    { "GET / HTTP/1.1\r\nHost: a/b\r\n\r\n", 400 },
    { "GET / HTTP/1.1\r\nHost: x\r\nExpect: teapot\r\n\r\n", 417 },
    { "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n", 411 },        /* ours: before libsoup */
    { "GET / HTTP/2.5\r\nHost: x\r\n\r\n", 505 },
    { "GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: x\r\n\r\n", 400 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      gboolean closed;
      g_autoptr(GBytes) answer = okno_test_raw_exchange (f->base, cases[i].request, strlen (cases[i].request),
                                                         5000, &closed);

      g_assert_cmpuint (okno_test_raw_status (answer), ==, cases[i].status);
      assert_raw_security_headers (answer);
    }
}

static double
seconds_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
}

/* Issue 8, item 3: a connection carries one request, and a client that
 * says nothing, or sends its head a line at a time, is cut off. */
static void
test_timeouts (Fixture       *f,
               gconstpointer  data)
{
  OknoWebServer *server = okno_profile_get_web_server (f->instance);
  const char *request = "GET /api/status HTTP/1.1\r\nHost: x\r\n\r\n";
  g_autoptr(GSocket) silent = NULL;
  g_autoptr(GSocket) kept = NULL;
  g_autoptr(GSocket) slow = NULL;
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GBytes) rest = NULL;
  g_autofree char *connection = NULL;
  gboolean closed = FALSE;
  gint64 start;

  _okno_web_server_set_limits (server, 64, 1500);

  /* Connects and says nothing. */
  silent = okno_test_raw_connect (f->base);
  start = g_get_monotonic_time ();
  rest = okno_test_raw_read (silent, 20000, &closed);
  g_assert_true (closed);
  g_assert_cmpfloat (seconds_since (start), >=, 1.3);
  g_assert_cmpfloat (seconds_since (start), <, 15);
  g_clear_pointer (&rest, g_bytes_unref);

  /* Asks once, even asking to keep the connection: it is closed after
   * the answer, which says so (libsoup 3.2 would never close a kept-alive
   * connection its client ends). */
  kept = okno_test_raw_connect (f->base);
  okno_test_raw_send (kept, request, strlen (request));
  answer = okno_test_raw_read (kept, 10000, &closed);
  g_assert_cmpuint (okno_test_raw_status (answer), ==, 200);
  connection = okno_test_raw_header (answer, "Connection");
  g_assert_cmpstr (connection, ==, "close");
  start = g_get_monotonic_time ();
  rest = okno_test_raw_read (kept, 20000, &closed);
  g_assert_true (closed);
  g_assert_cmpuint (g_bytes_get_size (rest), ==, 0);
  g_assert_cmpfloat (seconds_since (start), <, 5);   /* at once; generous for a loaded machine */
  g_clear_pointer (&rest, g_bytes_unref);

  /* A head a line at a time: the request's deadline ends it. */
  slow = okno_test_raw_connect (f->base);
  start = g_get_monotonic_time ();
  okno_test_raw_send (slow, "GET / HTTP/1.1\r\n", 16);
  closed = FALSE;
  while (!closed && seconds_since (start) < 20)
    {
      g_clear_pointer (&rest, g_bytes_unref);
      rest = okno_test_raw_read (slow, 300, &closed);
      if (!closed)
        okno_test_raw_send (slow, "X-Slow: y\r\n", 11);
    }
  g_assert_true (closed);
  g_assert_cmpfloat (seconds_since (start), >=, 1.3);
  g_assert_cmpfloat (seconds_since (start), <, 15);

  /* And the server let go of all three. */
  for (start = g_get_monotonic_time ();
       _okno_web_server_get_n_connections (server) > 0 && seconds_since (start) < 20; )
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (1000);
  g_assert_cmpuint (_okno_web_server_get_n_connections (server), ==, 0);
}

/* The descriptors of ended connections are given back: the count of
 * open ones is what the kernel says. */
static void
test_no_descriptor_leak (Fixture       *f,
                         gconstpointer  data)
{
  const char *requests[] = {
    "GET /api/status HTTP/1.1\r\nHost: x\r\n\r\n",
    "GET /api/status HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\n\r\n",
    "GET /nothing HTTP/1.1\r\nHost: x\r\n\r\n",
    "GARBAGE\r\n\r\n",
  };
  g_autoptr(GDir) fds = NULL;
  guint before = 0, after = 0;

  fds = g_dir_open ("/proc/self/fd", 0, NULL);
  if (fds == NULL)
    {
      g_test_skip ("no /proc/self/fd");
      return;
    }
  while (g_dir_read_name (fds))
    before++;

  for (guint i = 0; i < 40; i++)
    {
      const char *request = requests[i % G_N_ELEMENTS (requests)];
      g_autoptr(GSocket) socket = okno_test_raw_connect (f->base);
      g_autoptr(GBytes) answer = NULL;
      gboolean closed;

      okno_test_raw_send (socket, request, strlen (request));
      /* The client is done: it half-closes, reads the answer, closes. */
      g_socket_shutdown (socket, FALSE, TRUE, NULL);
      answer = okno_test_raw_read (socket, 10000, &closed);
      g_assert_cmpuint (okno_test_raw_status (answer), >, 0);
      g_socket_close (socket, NULL);
    }

  for (gint64 start = g_get_monotonic_time (); seconds_since (start) < 2; )
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (1000);

  g_dir_rewind (fds);
  while (g_dir_read_name (fds))
    after++;
  g_assert_cmpuint (after, <=, before);
  g_assert_cmpuint (_okno_web_server_get_n_connections (okno_profile_get_web_server (f->instance)), ==, 0);
}

static void
wait_for_connections (OknoWebServer *server,
                      guint          n)
{
  gint64 start = g_get_monotonic_time ();

  while (_okno_web_server_get_n_connections (server) != n && seconds_since (start) < 20)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (1000);
  g_assert_cmpuint (_okno_web_server_get_n_connections (server), ==, n);
}

/* At most max_connections at once; the next one waits for a free place. */
static void
test_connection_cap (Fixture       *f,
                     gconstpointer  data)
{
  OknoWebServer *server = okno_profile_get_web_server (f->instance);
  const char *request = "GET /api/status HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
  GSocket *idle[3] = { NULL };
  g_autoptr(GSocket) waiting = NULL;
  g_autoptr(GBytes) none = NULL;
  g_autoptr(GBytes) answer = NULL;
  gboolean closed;

  _okno_web_server_set_limits (server, 3, 30000);

  for (guint i = 0; i < 3; i++)
    idle[i] = okno_test_raw_connect (f->base);
  wait_for_connections (server, 3);

  waiting = okno_test_raw_connect (f->base);
  okno_test_raw_send (waiting, request, strlen (request));
  none = okno_test_raw_read (waiting, 500, &closed);
  g_assert_cmpuint (g_bytes_get_size (none), ==, 0);
  g_assert_false (closed);
  g_assert_cmpuint (_okno_web_server_get_n_connections (server), ==, 3);

  g_socket_close (idle[0], NULL);
  answer = okno_test_raw_read (waiting, 10000, &closed);
  g_assert_cmpuint (okno_test_raw_status (answer), ==, 200);

  /* Places are given back: many more, one after another. */
  for (guint i = 0; i < 12; i++)
    {
      g_autoptr(GBytes) more = okno_test_raw_exchange (f->base, request, strlen (request), 10000, &closed);

      g_assert_cmpuint (okno_test_raw_status (more), ==, 200);
    }

  for (guint i = 0; i < 3; i++)
    g_object_unref (idle[i]);
}

/* "Too many open files" on accept: the server keeps accepting once
 * descriptors are free again. In a child, which can lower its limit. */
static void
test_out_of_descriptors (Fixture       *f,
                         gconstpointer  data)
{
  if (g_test_subprocess ())
    {
      const char *request = "GET /api/status HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
      g_autoptr(OknoWebServer) second = okno_web_server_new (okno_profile_get_service (f->instance));
      g_autoptr(GError) error = NULL;
      g_autoptr(GSocket) client = NULL;
      g_autoptr(GBytes) none = NULL;
      g_autoptr(GBytes) answer = NULL;
      g_autoptr(GArray) spare = g_array_new (FALSE, FALSE, sizeof (int));
      struct rlimit limit;
      gboolean closed;
      int fd;

      /* A low soft limit is raised to the hard one at start. */
      g_assert_cmpint (getrlimit (RLIMIT_NOFILE, &limit), ==, 0);
      limit.rlim_cur = 64;
      g_assert_cmpint (setrlimit (RLIMIT_NOFILE, &limit), ==, 0);
      g_object_set (second, "port", 0, NULL);
      g_assert_true (okno_web_server_start (second, &error));
      g_assert_no_error (error);
      g_assert_cmpint (getrlimit (RLIMIT_NOFILE, &limit), ==, 0);
      g_assert_cmpuint (limit.rlim_cur, ==, limit.rlim_max);
      okno_web_server_stop (second);

      /* Now a hard limit of a few more than in use, and exhaust it. */
      fd = dup (0);
      limit.rlim_cur = limit.rlim_max = fd + 8;
      close (fd);
      g_assert_cmpint (setrlimit (RLIMIT_NOFILE, &limit), ==, 0);

      client = okno_test_raw_connect (f->base);
      g_assert_nonnull (client);
      while ((fd = dup (0)) >= 0)
        g_array_append_val (spare, fd);
      g_assert_cmpint (errno, ==, EMFILE);

      okno_test_raw_send (client, request, strlen (request));
      none = okno_test_raw_read (client, 1500, &closed);
      g_assert_cmpuint (g_bytes_get_size (none), ==, 0);

      for (guint i = 0; i < spare->len; i++)
        close (g_array_index (spare, int, i));

      answer = okno_test_raw_read (client, 10000, &closed);
      g_assert_cmpuint (okno_test_raw_status (answer), ==, 200);
      return;
    }

  g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  /* Logged once, not once per attempt. */
  g_test_trap_assert_stderr ("*Cannot accept a connection*");
  g_test_trap_assert_stderr_unmatched ("*Cannot accept a connection*Cannot accept a connection*");
  g_test_trap_assert_stderr ("*Accepting connections again*");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, fn) g_test_add (path, Fixture, NULL, okno_test_http_set_up, fn, okno_test_http_tear_down)
  ADD ("/okno/input/json-lone-surrogates", test_json_lone_surrogates);
  ADD ("/okno/input/form-nul", test_form_nul);
  ADD ("/okno/input/query-and-headers", test_query_and_headers);
  ADD ("/okno/input/names", test_names);
  ADD ("/okno/http/content-length", test_content_length);
  ADD ("/okno/http/library-errors-have-headers", test_library_errors_have_headers);
  ADD ("/okno/http/timeouts", test_timeouts);
  ADD ("/okno/http/no-descriptor-leak", test_no_descriptor_leak);
  ADD ("/okno/http/connection-cap", test_connection_cap);
  ADD ("/okno/http/out-of-descriptors", test_out_of_descriptors);
#undef ADD

  return g_test_run ();
}
