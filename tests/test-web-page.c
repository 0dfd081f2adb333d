/* test-web-page.c: the booking page without JavaScript, form by form.
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "okno-test-http.h"
#include "okno-test-utils.h"

static const char *
body_text (Response *r)
{
  return g_bytes_get_data (r->body, NULL) ? g_bytes_get_data (r->body, NULL) : "";
}

static void
assert_html (Response *r,
             guint     status)
{
  const char *csp = soup_message_headers_get_one (r->headers, "Content-Security-Policy");

  if (r->status != status)
    g_error ("expected %u, got %u: %s", status, r->status, body_text (r));
  g_assert_true (g_str_has_prefix (soup_message_headers_get_content_type (r->headers, NULL), "text/html"));
  g_assert_nonnull (csp);
  g_assert_nonnull (strstr (csp, "default-src 'none'"));
  g_assert_nonnull (strstr (csp, "form-action 'self'"));
  g_assert_nonnull (strstr (csp, "frame-ancestors 'self'"));
  g_assert_cmpstr (soup_message_headers_get_one (r->headers, "X-Content-Type-Options"), ==, "nosniff");
  g_assert_cmpstr (soup_message_headers_get_one (r->headers, "Referrer-Policy"), ==, "no-referrer");
  /* Nothing from another origin. */
  g_assert_null (strstr (body_text (r), "src=\"http"));
  g_assert_null (strstr (body_text (r), "href=\"http"));
}

static Response *
post_form (Fixture    *f,
           const char *path,
           const char *form)
{
  g_autoptr(SoupMessage) msg = okno_test_http_message (f, "POST", path, NULL, 0);
  g_autoptr(GBytes) bytes = g_bytes_new (form, strlen (form));

  soup_message_set_request_body_from_bytes (msg, "application/x-www-form-urlencoded", bytes);
  /* Like a browser without JavaScript, but we look at the redirect itself. */
  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
  return okno_test_http_send (f, msg);
}

static char *
book_form (Fixture    *f,
           const char *slot_id,
           const char *name,
           const char *email,
           const char *key)
{
  g_autoptr(GHashTable) form = g_hash_table_new (g_str_hash, g_str_equal);

  g_hash_table_insert (form, (char *) "slot", (char *) slot_id);
  g_hash_table_insert (form, (char *) "name", (char *) name);
  g_hash_table_insert (form, (char *) "email", (char *) email);
  g_hash_table_insert (form, (char *) "lang", (char *) "ru");
  if (key)
    g_hash_table_insert (form, (char *) "key", (char *) key);
  return soup_form_encode_hash (form);
}

/* Books through the form and returns the confirmation's path. */
static char *
book (Fixture    *f,
      const char *slot_id,
      const char *name)
{
  g_autofree char *form = book_form (f, slot_id, name, "client@example.org", NULL);
  g_autoptr(Response) r = post_form (f, "/book", form);
  const char *location = soup_message_headers_get_one (r->headers, "Location");
  g_autoptr(GUri) uri = NULL;

  g_assert_cmpuint (r->status, ==, 303);
  g_assert_nonnull (location);
  uri = g_uri_parse (location, G_URI_FLAGS_NONE, NULL);
  g_assert_nonnull (uri);
  g_assert_true (g_str_has_prefix (g_uri_get_path (uri), "/booking/"));
  return g_strdup_printf ("%s?%s", g_uri_get_path (uri), g_uri_get_query (uri));
}

static void
test_list (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(Response) ru = okno_test_http_request (f, "GET", "/", NULL);
  g_autoptr(Response) en = okno_test_http_request (f, "GET", "/?lang=en", NULL);
  g_autoptr(SoupMessage) msg = okno_test_http_message (f, "GET", "/", NULL, 0);
  g_autoptr(Response) negotiated = NULL;
  g_autofree char *link = g_strdup_printf ("/book?slot=%s&amp;lang=ru", okno_event_get_id (f->slot));

  assert_html (ru, 200);
  g_assert_nonnull (strstr (body_text (ru), "<html lang=\"ru\""));
  g_assert_nonnull (strstr (body_text (ru), "Выберите время"));
  g_assert_nonnull (strstr (body_text (ru), "МСК, UTC+3"));
  g_assert_nonnull (strstr (body_text (ru), link));
  g_assert_nonnull (strstr (body_text (ru), "Включить в дело (40 мин)"));
  g_assert_nonnull (strstr (body_text (ru), "<h1>"));
  g_assert_nonnull (strstr (body_text (ru), "<meta name=\"viewport\""));

  assert_html (en, 200);
  g_assert_nonnull (strstr (body_text (en), "<html lang=\"en\""));
  g_assert_nonnull (strstr (body_text (en), "Choose a time"));
  g_assert_nonnull (strstr (body_text (en), "MSK, UTC+3"));

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Accept-Language", "en-GB,en;q=0.9,ru;q=0.5");
  negotiated = okno_test_http_send (f, msg);
  g_assert_nonnull (strstr (body_text (negotiated), "<html lang=\"en\""));

  /* Olga's contact, when set, is in every page's footer, escaped. */
  g_settings_set_string (okno_instance_get_settings (f->instance), "contact", "+7 900 000-00-00 <Ольга>");
  {
    g_autoptr(Response) with_contact = okno_test_http_request (f, "GET", "/", NULL);
    g_assert_nonnull (strstr (body_text (with_contact), "+7 900 000-00-00 &lt;Ольга&gt;"));
  }
}

static void
test_form_and_booking (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *path = g_strdup_printf ("/book?slot=%s", okno_event_get_id (f->slot));
  g_autoptr(Response) form = okno_test_http_request (f, "GET", path, NULL);
  g_autofree char *confirmation = NULL;
  g_autoptr(Response) page = NULL;
  g_autoptr(Response) list = NULL;

  assert_html (form, 200);
  g_assert_nonnull (strstr (body_text (form), "<form method=\"post\" action=\"/book\""));
  g_assert_nonnull (strstr (body_text (form), "<label for=\"f-name\">"));
  g_assert_nonnull (strstr (body_text (form), "id=\"f-name\" name=\"name\""));
  g_assert_nonnull (strstr (body_text (form), "name=\"key\""));

  confirmation = book (f, okno_event_get_id (f->slot), "Анна");
  page = okno_test_http_request (f, "GET", confirmation, NULL);
  assert_html (page, 200);
  g_assert_nonnull (strstr (body_text (page), "Вы записаны"));
  g_assert_nonnull (strstr (body_text (page), ".ics?token="));
  g_assert_nonnull (strstr (body_text (page), "action=\"/cancel\""));
  g_assert_cmpstr (soup_message_headers_get_one (page->headers, "Cache-Control"), ==, "no-store");

  /* The booked slot has left the list. */
  list = okno_test_http_request (f, "GET", "/", NULL);
  g_assert_null (strstr (body_text (list), okno_event_get_id (f->slot)));
}

static void
test_validation_keeps_input (Fixture       *f,
                             gconstpointer  data)
{
  g_autofree char *form = book_form (f, okno_event_get_id (f->slot), "", "anna@", NULL);
  g_autoptr(Response) r = post_form (f, "/book", form);
  const char *html = body_text (r);

  assert_html (r, 400);
  g_assert_nonnull (strstr (html, "value=\"anna@\""));
  g_assert_nonnull (strstr (html, "id=\"e-name\""));
  g_assert_nonnull (strstr (html, "id=\"e-email\""));
  g_assert_nonnull (strstr (html, "aria-invalid=\"true\""));
  g_assert_nonnull (strstr (html, "Пожалуйста, укажите имя."));
  g_assert_nonnull (strstr (html, "Это не похоже на адрес электронной почты."));
  g_assert_cmpuint (g_list_model_get_n_items (okno_ledger_get_bookings (okno_instance_get_ledger (f->instance))), ==, 0);
}

static void
test_taken_and_vanished (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *first = book (f, okno_event_get_id (f->slot), "Анна");
  g_autofree char *form = book_form (f, okno_event_get_id (f->slot), "Борис", "b@example.org", NULL);
  g_autoptr(Response) taken = post_form (f, "/book", form);
  g_autoptr(Response) vanished = okno_test_http_request (f, "GET", "/book?slot=nosuchslot", NULL);

  assert_html (taken, 409);
  g_assert_nonnull (strstr (body_text (taken), "Кто-то только что записался"));
  /* The list is shown again, with what is still open. */
  g_assert_nonnull (strstr (body_text (taken), okno_event_get_id (f->slot2)));

  assert_html (vanished, 404);
  g_assert_nonnull (strstr (body_text (vanished), "Это время больше не предлагается."));
}

static void
test_double_submit (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *form = book_form (f, okno_event_get_id (f->slot), "Анна", "a@example.org", "form-key-1");
  g_autoptr(Response) a = post_form (f, "/book", form);
  g_autoptr(Response) b = post_form (f, "/book", form);

  g_assert_cmpuint (a->status, ==, 303);
  g_assert_cmpuint (b->status, ==, 303);
  g_assert_cmpstr (soup_message_headers_get_one (a->headers, "Location"), ==,
                   soup_message_headers_get_one (b->headers, "Location"));
  g_assert_cmpuint (g_list_model_get_n_items (okno_ledger_get_bookings (okno_instance_get_ledger (f->instance))), ==, 1);
}

static void
test_hostile_input (Fixture       *f,
                    gconstpointer  data)
{
  const char *names[] = {
    "<script>alert(1)</script>",
    "\"><img src=x onerror=alert(1)>",
    "'; background:url(x)",
    "אנה 🌸 Anna",
  };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr(OknoEvent) slot = okno_test_http_add_slot (f, 100 + i * 2, "🔓 СЛОТ: <b>Сессия</b> & \"такое\"");
      g_autofree char *bad_form = book_form (f, okno_event_get_id (slot), names[i], "not-an-email", NULL);
      g_autoptr(Response) invalid = post_form (f, "/book", bad_form);
      g_autofree char *confirmation = book (f, okno_event_get_id (slot), names[i]);
      g_autoptr(Response) page = okno_test_http_request (f, "GET", confirmation, NULL);

      /* Re-shown in an attribute, and shown as text: never markup. */
      assert_html (invalid, 400);
      assert_html (page, 200);
      g_assert_null (strstr (body_text (invalid), "<script>alert"));
      g_assert_null (strstr (body_text (invalid), "<img src=x"));
      g_assert_null (strstr (body_text (page), "<script>alert"));
      g_assert_null (strstr (body_text (page), "<img src=x"));
      g_assert_null (strstr (body_text (page), "<b>Сессия"));
      g_assert_nonnull (strstr (body_text (page), "&lt;b&gt;Сессия&lt;/b&gt; &amp; &quot;такое&quot;"));
      if (i == 0)
        g_assert_nonnull (strstr (body_text (page), "&lt;script&gt;alert(1)&lt;/script&gt;"));
      if (i == 3)
        g_assert_nonnull (strstr (body_text (page), "🌸"));
    }
}

static void
test_cancel (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *confirmation = book (f, okno_event_get_id (f->slot), "Анна");
  g_autoptr(GHashTable) params = NULL;
  g_autofree char *id = NULL;
  g_autofree char *form = NULL;
  g_autofree char *wrong = NULL;
  g_autoptr(Response) forbidden = NULL;
  g_autoptr(Response) cancelled = NULL;
  g_autoptr(Response) page = NULL;
  g_autoptr(Response) list = NULL;
  g_autofree char *wrong_page = NULL;
  g_autoptr(Response) wrong_get = NULL;

  params = g_uri_parse_params (strchr (confirmation, '?') + 1, -1, "&", G_URI_PARAMS_NONE, NULL);
  id = g_strndup (confirmation + strlen ("/booking/"), strchr (confirmation, '?') - confirmation - strlen ("/booking/"));

  wrong = g_strdup_printf ("booking=%s&token=nope&lang=ru", id);
  forbidden = post_form (f, "/cancel", wrong);
  assert_html (forbidden, 403);

  wrong_page = g_strdup_printf ("/booking/%s?token=nope", id);
  wrong_get = okno_test_http_request (f, "GET", wrong_page, NULL);
  assert_html (wrong_get, 403);

  form = g_strdup_printf ("booking=%s&token=%s&lang=ru", id, (char *) g_hash_table_lookup (params, "token"));
  cancelled = post_form (f, "/cancel", form);
  g_assert_cmpuint (cancelled->status, ==, 303);

  page = okno_test_http_request (f, "GET", confirmation, NULL);
  assert_html (page, 200);
  g_assert_nonnull (strstr (body_text (page), "Запись отменена"));
  g_assert_null (strstr (body_text (page), "action=\"/cancel\""));

  list = okno_test_http_request (f, "GET", "/", NULL);
  g_assert_nonnull (strstr (body_text (list), okno_event_get_id (f->slot)));
}

/* RFC 5545: CRLF line ends, lines of at most 75 octets, escaped text, a
 * stable UID, DTSTAMP, times in UTC, METHOD:PUBLISH. */
static void
test_ics (Fixture       *f,
          gconstpointer  data)
{
  g_autoptr(OknoEvent) slot = okno_test_http_add_slot (f, 120, "🔓 СЛОТ: Разбор; глубокий, с домашним заданием — очень длинное название сессии для проверки переноса строк");
  g_autofree char *confirmation = book (f, okno_event_get_id (slot), "Анна");
  g_autofree char *ics_path = NULL;
  g_autoptr(Response) ics = NULL;
  g_autoptr(Response) again = NULL;
  g_autoptr(Response) wrong = NULL;
  g_auto(GStrv) lines = NULL;
  const char *text;
  char *q = strchr (confirmation, '?');

  *q = '\0';
  ics_path = g_strdup_printf ("%s.ics?%s", confirmation, q + 1);
  ics = okno_test_http_request (f, "GET", ics_path, NULL);
  again = okno_test_http_request (f, "GET", ics_path, NULL);
  g_assert_cmpuint (ics->status, ==, 200);
  g_assert_true (g_str_has_prefix (soup_message_headers_get_content_type (ics->headers, NULL), "text/calendar"));
  text = body_text (ics);

  g_assert_true (g_str_has_prefix (text, "BEGIN:VCALENDAR\r\n"));
  g_assert_true (g_str_has_suffix (text, "END:VCALENDAR\r\n"));
  lines = g_strsplit (text, "\r\n", -1);
  for (guint i = 0; lines[i]; i++)
    {
      g_assert_cmpuint (strlen (lines[i]), <=, 75);
      g_assert_null (strchr (lines[i], '\n'));
    }
  g_assert_nonnull (strstr (text, "\r\nVERSION:2.0\r\n"));
  g_assert_nonnull (strstr (text, "\r\nMETHOD:PUBLISH\r\n"));
  g_assert_nonnull (strstr (text, "\r\nBEGIN:VEVENT\r\n"));
  g_assert_nonnull (strstr (text, "@okno\r\n"));
  g_assert_nonnull (strstr (text, "\r\nDTSTAMP:"));
  g_assert_true (g_regex_match_simple ("\r\nDTSTART:\\d{8}T\\d{6}Z\r\n", text, 0, 0));
  g_assert_true (g_regex_match_simple ("\r\nDTEND:\\d{8}T\\d{6}Z\r\n", text, 0, 0));
  /* Folded, and with ; and , escaped. */
  g_assert_nonnull (strstr (text, "\r\n "));
  g_assert_nonnull (strstr (text, "Разбор\\; глубокий\\,"));
  /* The same UID every time. */
  g_assert_cmpstr (text, ==, body_text (again));

  *q = '?';
  wrong = okno_test_http_request (f, "GET", "/booking/nosuch.ics?token=x", NULL);
  g_assert_cmpuint (wrong->status, ==, 404);
}

static void
test_assets_and_weight (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(Response) page = okno_test_http_request (f, "GET", "/", NULL);
  g_autoptr(GMatchInfo) css_match = NULL;
  g_autoptr(GMatchInfo) js_match = NULL;
  g_autoptr(GRegex) css_re = g_regex_new ("href=\"(/static/okno\\.[0-9a-f]{10}\\.css)\"", 0, 0, NULL);
  g_autoptr(GRegex) js_re = g_regex_new ("src=\"(/static/okno\\.[0-9a-f]{10}\\.js)\"", 0, 0, NULL);
  g_autofree char *css_path = NULL;
  g_autofree char *js_path = NULL;
  g_autoptr(Response) css = NULL;
  g_autoptr(Response) js = NULL;
  g_autoptr(Response) missing = NULL;
  g_autoptr(Response) traversal = NULL;
  g_autoptr(SoupMessage) conditional = NULL;
  g_autoptr(Response) not_modified = NULL;
  gsize total;

  g_assert_true (g_regex_match (css_re, body_text (page), 0, &css_match));
  g_assert_true (g_regex_match (js_re, body_text (page), 0, &js_match));
  css_path = g_match_info_fetch (css_match, 1);
  js_path = g_match_info_fetch (js_match, 1);

  css = okno_test_http_request (f, "GET", css_path, NULL);
  js = okno_test_http_request (f, "GET", js_path, NULL);
  g_assert_cmpuint (css->status, ==, 200);
  g_assert_cmpuint (js->status, ==, 200);
  g_assert_true (g_str_has_prefix (soup_message_headers_get_content_type (css->headers, NULL), "text/css"));
  g_assert_true (g_str_has_prefix (soup_message_headers_get_content_type (js->headers, NULL), "text/javascript"));
  g_assert_nonnull (strstr (soup_message_headers_get_one (css->headers, "Cache-Control"), "immutable"));

  conditional = okno_test_http_message (f, "GET", css_path, NULL, 0);
  soup_message_headers_replace (soup_message_get_request_headers (conditional), "If-None-Match",
                                soup_message_headers_get_one (css->headers, "ETag"));
  not_modified = okno_test_http_send (f, conditional);
  g_assert_cmpuint (not_modified->status, ==, 304);

  /* The first view weighs at most 30 KB, all of it from this server. */
  total = g_bytes_get_size (page->body) + g_bytes_get_size (css->body) + g_bytes_get_size (js->body);
  g_test_message ("First view: %zu bytes", total);
  g_assert_cmpuint (total, <=, 30 * 1024);

  missing = okno_test_http_request (f, "GET", "/static/okno.0000000000.css", NULL);
  g_assert_cmpuint (missing->status, ==, 404);
  traversal = okno_test_http_request (f, "GET", "/static/../../../etc/passwd", NULL);
  g_assert_cmpuint (traversal->status, ==, 404);
  g_assert_null (strstr (body_text (traversal), "root:"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, GINT_TO_POINTER (0), okno_test_http_set_up, func, okno_test_http_tear_down)

  ADD ("/okno/page/list", test_list);
  ADD ("/okno/page/form-and-booking", test_form_and_booking);
  ADD ("/okno/page/validation-keeps-input", test_validation_keeps_input);
  ADD ("/okno/page/taken-and-vanished", test_taken_and_vanished);
  ADD ("/okno/page/double-submit", test_double_submit);
  ADD ("/okno/page/hostile-input", test_hostile_input);
  ADD ("/okno/page/cancel", test_cancel);
  ADD ("/okno/page/ics", test_ics);
  ADD ("/okno/page/assets-and-weight", test_assets_and_weight);

  return g_test_run ();
}
