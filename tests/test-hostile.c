/* test-hostile.c: a bounded, seeded generator of hostile requests against
 * an in-process server. After each batch: the server still answers, no
 * 5xx came back but the documented ones (503, 505), nothing stored breaks the rules,
 * and the data folder reopens.
 *
 * OKNO_HOSTILE_SEED and OKNO_HOSTILE_CASES change the seed (default 8)
 * and the number of cases (default 3000, 2000 under AddressSanitizer); a
 * failure prints both.
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <libsoup/soup.h>
#include <string.h>

#include "okno-test-http.h"
#include "okno-test-raw.h"
#include "okno-test-profile.h"
#include "okno-test-utils.h"
#include "okno-text.h"
#include "okno-web-server-private.h"

#define BATCH 250

/* A few thousand; fewer under AddressSanitizer, to stay near 15 s there. */
#ifdef __SANITIZE_ADDRESS__
#define DEFAULT_CASES 2000
#else
#define DEFAULT_CASES 3000
#endif

typedef struct
{
  GRand   *rand;
  Fixture *f;
  char    *token;      /* a real booking's, to mutate */
  char    *booking_id;
  GPtrArray *slots;    /* open slots' ids, so that some requests book */
} Gen;

/* Strings that have broken something somewhere. */
static const char * const json_nasties[] = {
  "\\ud800", "\\udc00", "\\udbff\\u0041", "\\u0000", "\\u0001", "\\u001f", "\\u007f", "\\u0085",
  "\\u2028", "\\u202e", "\\u200b", "\\ufeff", "\\u00a0", "\\u0301", "\\u2066", "\\ud83d\\ude00",
  "\\\\", "\\\"", "\\/", "\\x41", "\\u12", "<script>", "&amp;", "%00", "\xff", "\xc0\x80",
  "\xed\xa0\x80", "\xf4\x90\x80\x80", "\x01", "\x7f", "\r\n", "\t", "\xe2\x80\xae",
};

/* Names that look fine to a JSON parser and must still be refused (or
 * normalised): the rules of names, not of JSON. */
static const char * const sneaky_names[] = {
  "Anna", "\\u0410\\u043d\\u043d\\u0430", "\\u202eAnna", "An\\u200bna", "\\ufeffAnna", "\\u00a0", "\\u0301",
  "Cafe\\u0301", "Anna\\u2066", "\\u061cAnna", "  Anna  ", "\\u00a0Anna\\u00a0", "\\u674e", "12",
  "Anna\\u200e", "\\u200d", "\\ud83c\\udf38", "A\\u0308nna", "Anna\\nB", "\\uE000Anna", "\\u0378A",
};

static const char * const form_nasties[] = {
  "%00", "%01", "%ff", "%c0%80", "%ed%a0%80", "%e2%80%ae", "%e2%80%8b", "%ef%bb%bf", "%c2%a0",
  "%", "%g1", "%2", "+", "&", "=", "==", "%0d%0a", "%7f", "%cc%81", "%f0%9f%98%80",
};

static const char * const paths[] = {
  "/", "/api/slots", "/api/book", "/api/cancel", "/api/status", "/book", "/cancel", "/booking/x",
  "/booking/x.ics", "/static/okno.css", "/api", "/api/", "//", "/booking/", "/booking/%00",
  "/%ff", "/api/slots/../status", "/static/..%2f..%2fetc", "/%2e%2e/", "/booking/%e2%80%ae.ics",
};

static const char * const query_keys[] = {
  "start", "end", "timeZone", "token", "slot", "lang", "x", "",
};

static const char * const methods[] = {
  "GET", "POST", "HEAD", "PUT", "DELETE", "OPTIONS", "PATCH", "TRACE", "CONNECT", "BREW", "get", "",
};

static const char *
pick (Gen                *gen,
      const char * const *list,
      guint               n)
{
  return list[g_rand_int_range (gen->rand, 0, n)];
}

#define PICK(gen, list) pick ((gen), (list), G_N_ELEMENTS (list))

static const char *
random_slot (Gen *gen)
{
  return g_ptr_array_index (gen->slots, g_rand_int_range (gen->rand, 0, gen->slots->len));
}

static void
append_random_bytes (Gen     *gen,
                     GString *out,
                     guint    n)
{
  for (guint i = 0; i < n; i++)
    g_string_append_c (out, (char) g_rand_int_range (gen->rand, 0, 256));
}

/* A JSON text: a plausible body, then mutated. */
static void
json_value (Gen     *gen,
            GString *out)
{
  switch (g_rand_int_range (gen->rand, 0, 8))
    {
    case 0:
      g_string_append_printf (out, "\"%s\"", okno_event_get_id (gen->f->slot));
      break;
    case 1:
      g_string_append_printf (out, "%d", g_rand_int (gen->rand) - G_MAXINT / 2);
      break;
    case 2:
      g_string_append (out, g_rand_boolean (gen->rand) ? "null" : "[1,{\"a\":\"b\"}]");
      break;
    case 3:
      {
        guint n = g_rand_int_range (gen->rand, 1, 6000);

        g_string_append_c (out, '"');
        for (guint i = 0; i < n; i++)
          g_string_append_c (out, 'a' + i % 26);
        g_string_append_c (out, '"');
      }
      break;
    default:
      g_string_append_c (out, '"');
      g_string_append (out, "An");
      for (guint i = g_rand_int_range (gen->rand, 1, 4); i > 0; i--)
        g_string_append (out, PICK (gen, json_nasties));
      g_string_append (out, g_rand_boolean (gen->rand) ? "na" : "");
      g_string_append_c (out, '"');
      break;
    }
}

static char *
json_body (Gen        *gen,
           const char *path)
{
  GString *out = g_string_new ("{");
  const char *book_members[] = { "slotId", "name", "email", "phone", "telegram", "note", "timeZone" };
  const char *cancel_members[] = { "bookingId", "token" };
  gboolean cancel = g_str_equal (path, "/api/cancel");
  const char * const *members = cancel ? cancel_members : book_members;
  guint n = cancel ? G_N_ELEMENTS (cancel_members) : G_N_ELEMENTS (book_members);

  /* Half the bookings are well-formed but for the name and note, so
   * that they reach the booking rules and some are stored. */
  if (!cancel && g_rand_boolean (gen->rand))
    {
      g_string_append_printf (out, "\"slotId\":\"%s\",\"name\":\"%s\",\"email\":\"a@example.org\","
                              "\"note\":\"%s\"}", random_slot (gen), PICK (gen, sneaky_names),
                              PICK (gen, sneaky_names));
      return g_string_free (out, FALSE);
    }

  for (guint i = 0; i < n; i++)
    {
      if (g_rand_int_range (gen->rand, 0, 6) == 0)
        continue;
      if (out->len > 1)
        g_string_append_c (out, ',');
      g_string_append_printf (out, "\"%s\":", members[i]);

      if (g_rand_int_range (gen->rand, 0, 3) > 0)
        {
          /* Mostly right, so that the request gets deep. */
          if (g_str_equal (members[i], "slotId"))
            g_string_append_printf (out, "\"%s\"", random_slot (gen));
          else if (g_str_equal (members[i], "email"))
            g_string_append (out, "\"a@example.org\"");
          else if (g_str_equal (members[i], "bookingId"))
            g_string_append_printf (out, "\"%s\"", gen->booking_id);
          else if (g_str_equal (members[i], "token"))
            g_string_append_printf (out, "\"%s%s\"", gen->token,
                                    g_rand_boolean (gen->rand) ? PICK (gen, json_nasties) : "");
          else if (g_str_equal (members[i], "timeZone"))
            g_string_append (out, g_rand_boolean (gen->rand) ? "\"Europe/Berlin\"" : "\"../../etc/passwd\"");
          else
            json_value (gen, out);
        }
      else
        json_value (gen, out);
    }

  if (g_rand_int_range (gen->rand, 0, 5) == 0)
    g_string_append_printf (out, ",\"x%s\":1", PICK (gen, json_nasties));
  g_string_append_c (out, '}');

  /* Structural damage now and then. */
  switch (g_rand_int_range (gen->rand, 0, 10))
    {
    case 0:
      g_string_truncate (out, g_rand_int_range (gen->rand, 0, out->len));
      break;
    case 1:
      {
        guint depth = g_rand_int_range (gen->rand, 1, 3000);
        g_string_truncate (out, 0);
        for (guint i = 0; i < depth; i++)
          g_string_append_c (out, '[');
      }
      break;
    case 2:
      g_string_insert_c (out, g_rand_int_range (gen->rand, 0, out->len + 1), '\0');
      break;
    case 3:
      append_random_bytes (gen, out, g_rand_int_range (gen->rand, 1, 16));
      break;
    default:
      break;
    }

  return g_string_free (out, FALSE);
}

static char *
form_body (Gen        *gen,
           const char *path)
{
  GString *out = g_string_new (NULL);
  gboolean cancel = g_str_equal (path, "/cancel");

  if (cancel)
    g_string_append_printf (out, "booking=%s&token=%s", gen->booking_id, gen->token);
  else
    {
      /* Signed as the page signs it, so hostile forms reach past the form guard. */
      g_autofree char *stamp = okno_test_http_form_stamp (gen->f, NULL);

      g_string_append_printf (out, "slot=%s&name=Anna&email=a%%40example.org&note=hi&%s", random_slot (gen), stamp);
    }
  g_string_append (out, g_rand_boolean (gen->rand) ? "&lang=en" : "&lang=%ff");

  for (guint i = g_rand_int_range (gen->rand, 0, 4); i > 0; i--)
    g_string_insert (out, g_rand_int_range (gen->rand, 0, out->len + 1), PICK (gen, form_nasties));
  if (g_rand_int_range (gen->rand, 0, 8) == 0)
    append_random_bytes (gen, out, g_rand_int_range (gen->rand, 1, 32));

  return g_string_free (out, FALSE);
}

/* One raw request. */
static GString *
generate (Gen *gen)
{
  GString *out = g_string_new (NULL);
  /* Bookings a quarter of the time: they reach the deepest. */
  const char *path = g_rand_int_range (gen->rand, 0, 4) == 0 ? "/api/book" : PICK (gen, paths);
  const char *method = g_rand_int_range (gen->rand, 0, 10) < 8 ? (g_str_has_prefix (path, "/api/b") ||
                                                                  g_str_has_prefix (path, "/api/c") ||
                                                                  g_str_equal (path, "/book") ||
                                                                  g_str_equal (path, "/cancel") ? "POST" : "GET")
                                                               : PICK (gen, methods);
  g_autofree char *body = NULL;
  gsize body_length = 0;
  guint kind = g_rand_int_range (gen->rand, 0, 20);

  if (kind == 0)
    {
      /* Noise. */
      append_random_bytes (gen, out, g_rand_int_range (gen->rand, 1, 512));
      return out;
    }

  if (g_str_equal (method, "POST"))
    {
      body = g_str_has_prefix (path, "/api/") ? json_body (gen, path) : form_body (gen, path);
      body_length = strlen (body);
      if (kind == 1)
        body_length += g_rand_int_range (gen->rand, 0, 4);   /* embedded NUL or past the end */
    }

  g_string_append_printf (out, "%s %s", method, path);
  if (g_rand_int_range (gen->rand, 0, 3) == 0)
    {
      g_string_append_c (out, '?');
      for (guint i = g_rand_int_range (gen->rand, 1, 4); i > 0; i--)
        g_string_append_printf (out, "%s=%s2026-12-0%d%s&", PICK (gen, query_keys),
                                g_rand_boolean (gen->rand) ? PICK (gen, form_nasties) : "",
                                g_rand_int_range (gen->rand, 1, 10),
                                g_rand_boolean (gen->rand) ? PICK (gen, form_nasties) : "");
    }
  g_string_append (out, kind == 2 ? " HTTP/1.0" : kind == 3 ? " HTTP/9.9" : kind == 4 ? "" : " HTTP/1.1");
  g_string_append (out, kind == 5 ? "\n" : "\r\n");
  if (kind != 6)
    g_string_append (out, "Host: 127.0.0.1\r\n");

  /* Headers, some of them odd. */
  for (guint i = g_rand_int_range (gen->rand, 0, 4); i > 0; i--)
    switch (g_rand_int_range (gen->rand, 0, 12))
      {
      case 0: g_string_append (out, "Idempotency-Key: k\xff\r\n"); break;
      case 1: g_string_append_printf (out, "Idempotency-Key: k%u\r\n", g_rand_int (gen->rand)); break;
      case 2: g_string_append (out, "Accept-Language: en;q=\xed\xa0\x80, ru\r\n"); break;
      case 3: g_string_append (out, "Transfer-Encoding: chunked\r\n"); break;
      case 4: g_string_append (out, "Transfer-Encoding: gzip, chunked\r\n"); break;
      case 5: g_string_append (out, "Expect: 100-continue\r\n"); break;
      case 6: g_string_append (out, "Expect: x\r\n"); break;
      case 7: g_string_append (out, "X-Folded: a\r\n b\r\n"); break;
      case 8: g_string_append (out, "NoColon\r\n"); break;
      case 9: g_string_append (out, "If-None-Match: \"\x01\"\r\n"); break;
      case 10:
        {
          g_string_append (out, "X-Long: ");
          for (guint j = g_rand_int_range (gen->rand, 100, 20000); j > 0; j--)
            g_string_append_c (out, 'x');
          g_string_append (out, "\r\n");
        }
        break;
      default: g_string_append (out, "Connection: keep-alive\r\n"); break;
      }

  if (body != NULL || g_rand_int_range (gen->rand, 0, 6) == 0)
    {
      static const char * const lengths[] = {
        "-1", "+5", "5,5", "0x10", "9223372036854775808", "18446744073709551615", "99999", "16385", "", "1 2",
      };

      if (g_rand_int_range (gen->rand, 0, 6) == 0)
        g_string_append_printf (out, "Content-Length: %s\r\n", PICK (gen, lengths));
      else
        g_string_append_printf (out, "Content-Length: %zu\r\n", body_length);
      if (g_rand_int_range (gen->rand, 0, 12) == 0)
        g_string_append_printf (out, "Content-Length: %zu\r\n", body_length + 1);
      g_string_append (out, g_str_has_prefix (path, "/api/") ? "Content-Type: application/json\r\n"
                                                             : "Content-Type: application/x-www-form-urlencoded\r\n");
    }
  g_string_append (out, kind == 5 ? "\n" : "\r\n");

  if (body != NULL)
    g_string_append_len (out, body, MIN (body_length, strlen (body) + 1));

  /* A second request pipelined behind, now and then. */
  if (g_rand_int_range (gen->rand, 0, 10) == 0)
    g_string_append (out, "GET /api/status HTTP/1.1\r\nHost: x\r\n\r\n");

  return out;
}

/* What a booking in the ledger may hold: clean text, a name with a letter
 * and no invisible characters, all of it NFC. */
static void
assert_ledger_sound (Fixture *f)
{
  GListModel *bookings = okno_ledger_get_bookings (okno_profile_get_ledger (f->instance));

  for (guint i = 0; i < g_list_model_get_n_items (bookings); i++)
    {
      g_autoptr(OknoBooking) booking = g_list_model_get_item (bookings, i);
      const char *name = okno_booking_get_name (booking);
      const char *note = okno_booking_get_field (booking, "note");
      g_autofree char *nfc = g_utf8_normalize (name, -1, G_NORMALIZE_NFC);

      g_assert_true (okno_text_is_clean (name, -1));
      g_assert_true (okno_text_has_letter (name));
      g_assert_false (okno_text_has_format_chars (name));
      g_assert_false (okno_text_has_controls (name, FALSE));
      g_assert_cmpstr (nfc, ==, name);
      if (note != NULL)
        {
          g_assert_true (okno_text_is_clean (note, -1));
          g_assert_false (okno_text_has_format_chars (note));
        }
    }
}

/* The folder opens again in a fresh instance, which then serves. */
static void
reopen (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  OknoOverrides overrides = OKNO_OVERRIDES_INIT;
  g_autoptr(GDir) dir = g_dir_open (f->dir, 0, NULL);
  const char *name;

  okno_test_settle_profile (f->instance);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (f->dir, name, NULL);
      g_autofree char *contents = NULL;
      gsize length;

      if (g_str_has_suffix (name, ".json") || g_str_has_suffix (name, ".journal"))
        {
          g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
          if (!g_utf8_validate_len (contents, length, NULL))
            g_error ("%s holds invalid UTF-8", name);
        }
    }

  g_assert_finalize_object (f->instance);
  f->instance = okno_test_open_profile (f->dir);
  overrides.port = 0;
  overrides.rate_limit = 0;
  okno_profile_apply_overrides (f->instance, &overrides);
  g_assert_true (okno_profile_start_server (f->instance, &error));
  g_assert_no_error (error);
  _okno_web_server_set_limits (okno_profile_get_web_server (f->instance), 64, 1000);

  g_free (f->base);
  f->base = okno_web_server_dup_url (okno_profile_get_web_server (f->instance));
  f->base[strlen (f->base) - 1] = '\0';
}

static void
assert_answers (Fixture *f)
{
  const char *request = "GET /api/status HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
  gboolean closed;
  g_autoptr(GBytes) answer = okno_test_raw_exchange (f->base, request, strlen (request), 20000, &closed);

  g_assert_cmpuint (okno_test_raw_status (answer), ==, 200);
}

static void
test_hostile (Fixture       *f,
              gconstpointer  data)
{
  const char *seed_text = g_getenv ("OKNO_HOSTILE_SEED");
  const char *cases_text = g_getenv ("OKNO_HOSTILE_CASES");
  guint32 seed = seed_text ? (guint32) g_ascii_strtoull (seed_text, NULL, 10) : 8;
  guint cases = cases_text ? (guint) g_ascii_strtoull (cases_text, NULL, 10) : DEFAULT_CASES;
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  Gen gen = { rand, f, NULL, NULL, g_ptr_array_new_with_free_func (g_free) };
  guint statuses[600] = { 0 };
  g_autofree char *book = g_strdup_printf ("{\"slotId\":\"%s\",\"name\":\"Anna\",\"email\":\"a@example.org\"}",
                                           okno_event_get_id (f->slot2));
  g_autoptr(Response) booked = okno_test_http_request (f, "POST", "/api/book", book);
  JsonObject *root;

  g_assert_cmpuint (booked->status, ==, 201);
  g_ptr_array_add (gen.slots, g_strdup (okno_event_get_id (f->slot)));
  for (guint i = 0; i < 60; i++)
    {
      g_autoptr(OknoEvent) slot = okno_test_http_add_slot (f, 100 + i, "🔓 СЛОТ");
      g_ptr_array_add (gen.slots, g_strdup (okno_event_get_id (slot)));
    }
  root = json_node_get_object (booked->json);
  gen.token = g_strdup (json_object_get_string_member (root, "cancelToken"));
  gen.booking_id = g_strdup (json_object_get_string_member (json_object_get_object_member (root, "booking"), "id"));
  _okno_web_server_set_limits (okno_profile_get_web_server (f->instance), 64, 1000);
  g_test_message ("seed %u, %u cases", seed, cases);

  for (guint i = 0; i < cases; i++)
    {
      g_autoptr(GString) request = generate (&gen);
      g_autoptr(GSocket) socket = okno_test_raw_connect (f->base);
      g_autoptr(GBytes) answer = NULL;
      gboolean closed;
      guint status;

      g_assert_nonnull (socket);
      okno_test_raw_send (socket, request->str, request->len);
      /* Half-close: a server waiting for more learns at once that none
       * comes. */
      g_socket_shutdown (socket, FALSE, TRUE, NULL);
      answer = okno_test_raw_read (socket, 20000, &closed);
      status = okno_test_raw_status (answer);
      statuses[MIN (status, 599)]++;

      /* 503 is storage trouble (documented); 505 is the HTTP library's
       * answer to a version other than 1.0 and 1.1. */
      if (status >= 500 && status != 503 && status != 505)
        g_error ("case %u (seed %u) got %u for:\n%.*s", i, seed, status, (int) MIN (request->len, 2000), request->str);

      if (((i + 1) % BATCH == 0 || i + 1 == cases))
        {
          assert_answers (f);
          assert_ledger_sound (f);
          reopen (f);
          assert_answers (f);
        }
    }

  for (guint s = 0; s < G_N_ELEMENTS (statuses); s++)
    if (statuses[s] > 0)
      g_test_message ("%u: %u", s, statuses[s]);

  g_test_message ("%u bookings stored", g_list_model_get_n_items (okno_ledger_get_bookings (
                                          okno_profile_get_ledger (f->instance))));
  g_free (gen.token);
  g_free (gen.booking_id);
  g_ptr_array_unref (gen.slots);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/okno/hostile/requests", Fixture, GINT_TO_POINTER (0),
              okno_test_http_set_up, test_hostile, okno_test_http_tear_down);

  return g_test_run ();
}
