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
  g_autofree char *stamp = okno_test_http_form_stamp (f, NULL);
  /* A booking form as the page serves it: signed a minute ago. */
  g_autofree char *signed_form = g_str_equal (path, "/book") && strstr (form, "stamp=") == NULL
                                 ? g_strconcat (form, "&", stamp, NULL) : g_strdup (form);
  g_autoptr(GBytes) bytes = g_bytes_new (signed_form, strlen (signed_form));

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
  /* The zone by its city, not «МСК» or «CET». */
  g_assert_nonnull (strstr (body_text (ru), "Время: Москва (UTC+3)"));
  g_assert_null (strstr (body_text (ru), "МСК"));
  g_assert_nonnull (strstr (body_text (ru), link));
  g_assert_nonnull (strstr (body_text (ru), "Включить в дело (40 мин)"));
  g_assert_nonnull (strstr (body_text (ru), "<h1>"));
  g_assert_nonnull (strstr (body_text (ru), "<meta name=\"viewport\""));

  assert_html (en, 200);
  g_assert_nonnull (strstr (body_text (en), "<html lang=\"en\""));
  g_assert_nonnull (strstr (body_text (en), "Choose a time"));
  g_assert_nonnull (strstr (body_text (en), "Times are Moscow time (UTC+3)"));

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Accept-Language", "en-GB,en;q=0.9,ru;q=0.5");
  negotiated = okno_test_http_send (f, msg);
  g_assert_nonnull (strstr (body_text (negotiated), "<html lang=\"en\""));

  /* Olga's contact, when set, is in every page's footer, escaped. */
  g_settings_set_string (okno_profile_get_settings (f->instance), "contact", "+7 900 000-00-00 <Ольга>");
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
  g_assert_cmpuint (g_list_model_get_n_items (okno_ledger_get_bookings (okno_profile_get_ledger (f->instance))), ==, 0);
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
  g_assert_cmpuint (g_list_model_get_n_items (okno_ledger_get_bookings (okno_profile_get_ledger (f->instance))), ==, 1);
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

  /* One client books all four. */
  g_settings_set_uint (okno_profile_get_settings (f->instance), "max-active-per-client", 0);
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
  {
    /* Asking changes nothing, even with a wrong token and confirm=1. */
    g_autofree char *wrong_confirmed = g_strdup_printf ("booking=%s&token=nope&lang=ru&confirm=1", id);
    g_autoptr(Response) refused = post_form (f, "/cancel", wrong_confirmed);

    assert_html (refused, 403);
    g_assert_true (okno_booking_is_active (okno_ledger_lookup (okno_profile_get_ledger (f->instance), id)));
  }

  wrong_page = g_strdup_printf ("/booking/%s?token=nope", id);
  wrong_get = okno_test_http_request (f, "GET", wrong_page, NULL);
  assert_html (wrong_get, 403);

  /* The first step only asks, and nothing changes: the booking is active,
   * the slot stays booked. */
  form = g_strdup_printf ("booking=%s&token=%s&lang=ru", id, (char *) g_hash_table_lookup (params, "token"));
  {
    g_autoptr(Response) question = post_form (f, "/cancel", form);
    g_autoptr(GDateTime) start = g_date_time_to_timezone (okno_event_get_start (f->slot),
                                                          okno_schedule_get_time_zone (okno_booking_service_get_schedule (okno_profile_get_service (f->instance))));
    const char *short_days[] = { "пн", "вт", "ср", "чт", "пт", "сб", "вс" };
    const char *short_months[] = { "янв", "фев", "мар", "апр", "мая", "июн", "июл", "авг", "сен", "окт", "ноя", "дек" };
    g_autofree char *clock = g_date_time_format (start, "%H:%M");
    g_autofree char *asked = g_strdup_printf ("<h1>Отменить запись на %s %d %s, %s?</h1>",
                                              short_days[g_date_time_get_day_of_week (start) - 1],
                                              g_date_time_get_day_of_month (start),
                                              short_months[g_date_time_get_month (start) - 1], clock);
    g_autofree char *keep = g_strdup_printf ("href=\"/booking/%s?token=%s&amp;lang=ru\">Оставить</a>",
                                             id, (char *) g_hash_table_lookup (params, "token"));
    g_autoptr(Response) list_meanwhile = NULL;

    assert_html (question, 200);
    g_assert_nonnull (strstr (body_text (question), asked));
    g_assert_nonnull (strstr (body_text (question), "<input type=\"hidden\" name=\"confirm\" value=\"1\">"));
    g_assert_nonnull (strstr (body_text (question), ">Отменить запись</button>"));
    g_assert_nonnull (strstr (body_text (question), keep));
    g_assert_true (okno_booking_is_active (okno_ledger_lookup (okno_profile_get_ledger (f->instance), id)));
    list_meanwhile = okno_test_http_request (f, "GET", "/", NULL);
    g_assert_null (strstr (body_text (list_meanwhile), okno_event_get_id (f->slot)));

    /* confirm must be exactly 1. */
    {
      g_autofree char *almost = g_strdup_printf ("%s&confirm=yes", form);
      g_autoptr(Response) again = post_form (f, "/cancel", almost);

      assert_html (again, 200);
      g_assert_true (okno_booking_is_active (okno_ledger_lookup (okno_profile_get_ledger (f->instance), id)));
    }
  }

  {
    g_autofree char *confirmed = g_strdup_printf ("%s&confirm=1", form);

    cancelled = post_form (f, "/cancel", confirmed);
  }
  g_assert_cmpuint (cancelled->status, ==, 303);
  g_assert_false (okno_booking_is_active (okno_ledger_lookup (okno_profile_get_ledger (f->instance), id)));

  page = okno_test_http_request (f, "GET", confirmation, NULL);
  assert_html (page, 200);
  g_assert_nonnull (strstr (body_text (page), "Запись отменена"));
  g_assert_null (strstr (body_text (page), "action=\"/cancel\""));

  list = okno_test_http_request (f, "GET", "/", NULL);
  g_assert_nonnull (strstr (body_text (list), okno_event_get_id (f->slot)));
}

/* Inside the cancellation policy the confirmation offers no cancel but
 * says until when it could and shows Olga's contact; a cancel posted
 * anyway (question or confirm=1) gets 409 and changes nothing. */
static void
test_cancel_too_late (Fixture       *f,
                      gconstpointer  data)
{
  GSettings *settings = okno_profile_get_settings (f->instance);
  g_autofree char *confirmation = NULL;
  g_autoptr(GHashTable) params = NULL;
  g_autofree char *id = NULL;
  g_autofree char *form = NULL;
  g_autofree char *confirmed = NULL;
  g_autoptr(Response) page = NULL;
  g_autoptr(Response) question = NULL;
  g_autoptr(Response) refused = NULL;

  g_settings_set_string (settings, "contact", "@olga_rozet");
  g_settings_set_uint (settings, "min-cancel-hours", 49);  /* the slot starts in 48 hours */
  confirmation = book (f, okno_event_get_id (f->slot), "Анна");
  params = g_uri_parse_params (strchr (confirmation, '?') + 1, -1, "&", G_URI_PARAMS_NONE, NULL);
  id = g_strndup (confirmation + strlen ("/booking/"), strchr (confirmation, '?') - confirmation - strlen ("/booking/"));

  page = okno_test_http_request (f, "GET", confirmation, NULL);
  assert_html (page, 200);
  g_assert_null (strstr (body_text (page), "action=\"/cancel\""));
  g_assert_nonnull (strstr (body_text (page), "data-too-late"));
  g_assert_nonnull (strstr (body_text (page), "перенести запись, напишите или позвоните: <strong>@olga_rozet</strong>"));

  form = g_strdup_printf ("booking=%s&token=%s&lang=ru", id, (char *) g_hash_table_lookup (params, "token"));
  question = post_form (f, "/cancel", form);
  assert_html (question, 409);
  g_assert_nonnull (strstr (body_text (question), "@olga_rozet"));
  g_assert_null (strstr (body_text (question), "name=\"confirm\""));

  confirmed = g_strdup_printf ("%s&confirm=1", form);
  refused = post_form (f, "/cancel", confirmed);
  assert_html (refused, 409);
  g_assert_nonnull (strstr (body_text (refused), "data-too-late"));
  g_assert_true (okno_booking_is_active (okno_ledger_lookup (okno_profile_get_ledger (f->instance), id)));

  /* 47 hours: cancelling is offered again. */
  g_settings_set_uint (settings, "min-cancel-hours", 47);
  {
    g_autoptr(Response) again = okno_test_http_request (f, "GET", confirmation, NULL);

    g_assert_nonnull (strstr (body_text (again), "action=\"/cancel\""));
    g_assert_null (strstr (body_text (again), "data-too-late"));
  }
}

/* payment-url: {booking}, {date} and {name} filled in URL-encoded (a name
 * with «&» and Cyrillic stays one query value), the link escaped in HTML,
 * the note beside it; a non-http(s) template or an empty one: no button. */
static void
test_payment_link (Fixture       *f,
                   gconstpointer  data)
{
  GSettings *settings = okno_profile_get_settings (f->instance);
  g_autofree char *confirmation = NULL;
  g_autofree char *id = NULL;
  g_autofree char *expected = NULL;
  g_autoptr(GDateTime) local = NULL;
  g_autofree char *date = NULL;
  g_autoptr(Response) page = NULL;

  g_settings_set_string (settings, "payment-url", "https://pay.example/?order={booking}&d={date}&n={name}");
  g_settings_set_string (settings, "payment-note", "2000 ₽ <до сессии>");
  confirmation = book (f, okno_event_get_id (f->slot), "Анна & Ко");
  id = g_strndup (confirmation + strlen ("/booking/"), strchr (confirmation, '?') - confirmation - strlen ("/booking/"));
  local = g_date_time_to_timezone (okno_event_get_start (f->slot),
                                   okno_schedule_get_time_zone (okno_booking_service_get_schedule (okno_profile_get_service (f->instance))));
  date = g_date_time_format (local, "%Y-%m-%d");
  expected = g_strdup_printf ("href=\"https://pay.example/?order=%s&amp;d=%s&amp;n=%%D0%%90%%D0%%BD%%D0%%BD%%D0%%B0%%20%%26%%20%%D0%%9A%%D0%%BE\"",
                              id, date);

  /* Not assert_html: this one page links to another origin, on purpose. */
  page = okno_test_http_request (f, "GET", confirmation, NULL);
  g_assert_cmpuint (page->status, ==, 200);
  g_assert_null (strstr (body_text (page), "src=\"http"));
  g_assert_nonnull (strstr (body_text (page), expected));
  g_assert_nonnull (strstr (body_text (page), ">Оплатить сессию</a>"));
  g_assert_nonnull (strstr (body_text (page), "2000 ₽ &lt;до сессии&gt;"));

  g_settings_set_string (settings, "payment-url", "javascript:alert(1)//{booking}");
  {
    g_autoptr(Response) refused = okno_test_http_request (f, "GET", confirmation, NULL);

    g_assert_null (strstr (body_text (refused), "data-payment"));
    g_assert_null (strstr (body_text (refused), "javascript:"));
  }
  g_settings_set_string (settings, "payment-url", "");
  {
    g_autoptr(Response) off = okno_test_http_request (f, "GET", confirmation, NULL);

    g_assert_null (strstr (body_text (off), "data-payment"));
  }
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

  /* A browser gets the assets gzipped; what it unpacks is the asset. The
   * first view weighs at most 10 KB on the wire, all from this server. */
  soup_session_remove_feature_by_type (f->session, SOUP_TYPE_CONTENT_DECODER);
  {
    const char *paths[] = { css_path, js_path };
    GBytes *plain[] = { css->body, js->body };

    total = g_bytes_get_size (page->body);
    for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
      {
        g_autoptr(SoupMessage) msg = okno_test_http_message (f, "GET", paths[i], NULL, 0);
        g_autoptr(Response) gz = NULL;
        g_autoptr(GZlibDecompressor) decompressor = g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP);
        g_autofree char *unpacked = g_malloc (g_bytes_get_size (plain[i]) + 1);
        gsize read = 0, written = 0;

        soup_message_headers_replace (soup_message_get_request_headers (msg), "Accept-Encoding", "gzip, deflate");
        gz = okno_test_http_send (f, msg);
        g_assert_cmpuint (gz->status, ==, 200);
        g_assert_cmpstr (soup_message_headers_get_one (gz->headers, "Content-Encoding"), ==, "gzip");
        g_assert_nonnull (strstr (soup_message_headers_get_list (gz->headers, "Vary"), "Accept-Encoding"));
        g_assert_cmpuint (g_bytes_get_size (gz->body), <, g_bytes_get_size (plain[i]) / 2);
        g_assert_cmpint (g_converter_convert (G_CONVERTER (decompressor), g_bytes_get_data (gz->body, NULL),
                                              g_bytes_get_size (gz->body), unpacked, g_bytes_get_size (plain[i]) + 1,
                                              G_CONVERTER_INPUT_AT_END, &read, &written, NULL), ==, G_CONVERTER_FINISHED);
        g_assert_cmpmem (unpacked, written, g_bytes_get_data (plain[i], NULL), g_bytes_get_size (plain[i]));
        total += g_bytes_get_size (gz->body);
      }
  }
  g_test_message ("First view: %zu bytes", total);
  g_assert_cmpuint (total, <=, 10 * 1024);

  /* Without Accept-Encoding, or refusing gzip, the plain asset. */
  {
    g_autoptr(SoupMessage) msg = okno_test_http_message (f, "GET", css_path, NULL, 0);
    g_autoptr(Response) refused = NULL;

    soup_message_headers_replace (soup_message_get_request_headers (msg), "Accept-Encoding", "gzip;q=0");
    refused = okno_test_http_send (f, msg);
    g_assert_null (soup_message_headers_get_one (refused->headers, "Content-Encoding"));
    g_assert_true (g_bytes_equal (refused->body, css->body));
    /* Each form has its own validator. */
    g_assert_cmpstr (soup_message_headers_get_one (refused->headers, "ETag"), !=,
                     soup_message_headers_get_one (css->headers, "ETag"));
  }

  missing = okno_test_http_request (f, "GET", "/static/okno.0000000000.css", NULL);
  g_assert_cmpuint (missing->status, ==, 404);
  traversal = okno_test_http_request (f, "GET", "/static/../../../etc/passwd", NULL);
  g_assert_cmpuint (traversal->status, ==, 404);
  g_assert_null (strstr (body_text (traversal), "root:"));
}

/* Whose page it is and how to reach her: on the list, the form, the
 * confirmation and the cancel question; on an empty list, the contact. */
static void
test_trust (Fixture       *f,
            gconstpointer  data)
{
  GSettings *settings = okno_profile_get_settings (f->instance);
  g_autofree char *path = g_strdup_printf ("/book?slot=%s", okno_event_get_id (f->slot));
  g_autofree char *confirmation = NULL;
  g_autofree char *second = NULL;
  g_autoptr(Response) before = okno_test_http_request (f, "GET", "/", NULL);
  const char *screens[4] = { "/", path, NULL, NULL };

  /* Unset, the page says what it is for, and no empty lines. */
  g_assert_nonnull (strstr (body_text (before), "<p class=\"owner-name\">Запись на сессию</p>"));
  g_assert_null (strstr (body_text (before), "<p class=\"muted\"></p>"));

  g_settings_set_string (settings, "owner-name", "Ольга Розет <o>");
  g_settings_set_string (settings, "owner-about", "Психолог & гештальт-терапевт");
  g_settings_set_string (settings, "contact", "@olga_rozet");

  confirmation = book (f, okno_event_get_id (f->slot2), "Анна");
  screens[2] = confirmation;
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(Response) r = okno_test_http_request (f, "GET", screens[i], NULL);

      assert_html (r, 200);
      g_assert_nonnull (strstr (body_text (r), "<p class=\"owner-name\">Ольга Розет &lt;o&gt;</p>"));
      g_assert_nonnull (strstr (body_text (r), "Психолог &amp; гештальт-терапевт"));
      g_assert_nonnull (strstr (body_text (r), "@olga_rozet"));
    }

  /* Nothing left to book: the list says how to reach her. */
  second = book (f, okno_event_get_id (f->slot), "Борис");
  {
    g_autoptr(Response) empty = okno_test_http_request (f, "GET", "/", NULL);
    const char *html = body_text (empty);
    const char *card = strstr (html, "<div class=\"card empty\">");

    assert_html (empty, 200);
    g_assert_nonnull (card);
    g_assert_nonnull (strstr (card, "Договориться о времени можно здесь: <strong>@olga_rozet</strong>"));
    g_assert_true (strstr (card, "@olga_rozet") < strstr (card, "</div>"));
  }
}

/* A slot taken meanwhile: the form comes back with what they typed, the
 * open times to choose from, and a fresh key; choosing books. */
static void
test_taken_keeps_input (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *first = book (f, okno_event_get_id (f->slot), "Анна");
  g_autoptr(GHashTable) fields = NULL;
  g_autofree char *form = NULL;
  g_autoptr(Response) taken = NULL;
  g_autoptr(GRegex) key_re = g_regex_new ("name=\"key\" value=\"([^\"]+)\"", 0, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;
  g_autofree char *new_key = NULL;
  g_autofree char *choice = NULL;
  const char *html;

  fields = g_hash_table_new (g_str_hash, g_str_equal);
  g_hash_table_insert (fields, (char *) "slot", (char *) okno_event_get_id (f->slot));
  g_hash_table_insert (fields, (char *) "name", (char *) "Борис <b>");
  g_hash_table_insert (fields, (char *) "telegram", (char *) "@boris_k");
  g_hash_table_insert (fields, (char *) "note", (char *) "Впервые & надолго");
  g_hash_table_insert (fields, (char *) "lang", (char *) "ru");
  g_hash_table_insert (fields, (char *) "key", (char *) "taken-key-1");
  form = soup_form_encode_hash (fields);
  taken = post_form (f, "/book", form);
  html = body_text (taken);

  assert_html (taken, 409);
  g_assert_nonnull (strstr (html, "Кто-то только что записался"));
  g_assert_nonnull (strstr (html, "value=\"Борис &lt;b&gt;\""));
  g_assert_nonnull (strstr (html, "value=\"@boris_k\""));
  g_assert_nonnull (strstr (html, ">Впервые &amp; надолго</textarea>"));
  /* The open times as choices, the taken one not among them. */
  choice = g_strdup_printf ("type=\"radio\" name=\"slot\" value=\"%s\"", okno_event_get_id (f->slot2));
  g_assert_nonnull (strstr (html, choice));
  g_assert_null (strstr (html, okno_event_get_id (f->slot)));
  g_assert_true (g_regex_match (key_re, html, 0, &match));
  new_key = g_match_info_fetch (match, 1);
  g_assert_cmpstr (new_key, !=, "taken-key-1");

  /* Choosing one books it with what was kept. */
  {
    g_autofree char *resent = NULL;
    g_autoptr(Response) booked = NULL;

    /* The same fields (borrowed from @fields), another slot, the new key. */
    g_hash_table_insert (fields, (char *) "slot", (char *) okno_event_get_id (f->slot2));
    g_hash_table_insert (fields, (char *) "key", new_key);
    resent = soup_form_encode_hash (fields);
    booked = post_form (f, "/book", resent);
    g_assert_cmpuint (booked->status, ==, 303);
    g_assert_cmpuint (g_list_model_get_n_items (okno_ledger_get_bookings (okno_profile_get_ledger (f->instance))), ==, 2);
  }
}

/* Over the rate limit, the form keeps what they typed too. */
static void
test_rate_limited_keeps_input (Fixture       *f,
                               gconstpointer  data)
{
  g_autofree char *form = book_form (f, okno_event_get_id (f->slot), "Анна <i>", "not-an-email", "rl-key");
  g_autoptr(Response) first = post_form (f, "/book", form);
  g_autoptr(Response) limited = post_form (f, "/book", form);
  g_autofree char *slot_field = g_strdup_printf ("name=\"slot\" value=\"%s\"", okno_event_get_id (f->slot));

  assert_html (first, 400);
  assert_html (limited, 429);
  g_assert_nonnull (soup_message_headers_get_one (limited->headers, "Retry-After"));
  g_assert_nonnull (strstr (body_text (limited), "Слишком много попыток"));
  g_assert_nonnull (strstr (body_text (limited), "value=\"Анна &lt;i&gt;\""));
  g_assert_nonnull (strstr (body_text (limited), "value=\"not-an-email\""));
  g_assert_nonnull (strstr (body_text (limited), slot_field));
  g_assert_nonnull (strstr (body_text (limited), "value=\"rl-key\""));
  g_assert_cmpuint (g_list_model_get_n_items (okno_ledger_get_bookings (okno_profile_get_ledger (f->instance))), ==, 0);
}

/* Hours from now to the next change of @zone's offset. */
static int
hours_to_next_change (GTimeZone *zone)
{
  g_autoptr(GDateTime) now = g_date_time_new_now (zone);

  for (int h = 1; h < 400 * 24; h++)
    {
      g_autoptr(GDateTime) later = g_date_time_add_hours (now, h);

      if (g_date_time_get_utc_offset (later) != g_date_time_get_utc_offset (now))
        return h;
    }
  g_assert_not_reached ();
}

/* Olga in Berlin, slots on both sides of a change of season: the list
 * names the zone by its city with the first slot's offset, and a slot with
 * another offset says its own («CET, UTC+1» above a CEST slot was wrong). */
static void
test_zone_across_dst (Fixture       *f,
                      gconstpointer  data)
{
  GSettings *settings = okno_profile_get_settings (f->instance);
  g_autoptr(GTimeZone) berlin = g_time_zone_new_identifier ("Europe/Berlin");
  int change = hours_to_next_change (berlin);
  g_autoptr(OknoEvent) before = NULL;
  g_autoptr(OknoEvent) after = NULL;
  g_autoptr(GDateTime) before_local = NULL;
  g_autoptr(GDateTime) after_local = NULL;
  g_autofree char *before_offset = NULL;
  g_autofree char *after_offset = NULL;
  g_autofree char *header = NULL;
  g_autofree char *after_label = NULL;
  g_autoptr(Response) list = NULL;
  g_autoptr(Response) en = NULL;
  const char *html, *item;

  g_settings_set_string (settings, "time-zone", "Europe/Berlin");
  g_settings_set_uint (settings, "booking-window-days", 365);
  g_assert_true (okno_test_calendar_delete (okno_profile_get_calendar (f->instance),
                                                  okno_event_get_id (f->slot), okno_event_get_etag (f->slot), NULL));
  g_assert_true (okno_test_calendar_delete (okno_profile_get_calendar (f->instance),
                                                  okno_event_get_id (f->slot2), okno_event_get_etag (f->slot2), NULL));
  before = okno_test_http_add_slot (f, MAX (change - 30, 3), "🔓 СЛОТ: До");
  after = okno_test_http_add_slot (f, change + 30, "🔓 СЛОТ: После");
  before_local = g_date_time_to_timezone (okno_event_get_start (before), berlin);
  after_local = g_date_time_to_timezone (okno_event_get_start (after), berlin);
  before_offset = g_strdup_printf ("UTC+%d", (int) (g_date_time_get_utc_offset (before_local) / G_TIME_SPAN_HOUR));
  after_offset = g_strdup_printf ("UTC+%d", (int) (g_date_time_get_utc_offset (after_local) / G_TIME_SPAN_HOUR));
  g_assert_cmpstr (before_offset, !=, after_offset);

  list = okno_test_http_request (f, "GET", "/", NULL);
  html = body_text (list);
  assert_html (list, 200);
  header = g_strdup_printf ("<p class=\"zone\">Время: Берлин (%s)</p>", before_offset);
  g_assert_nonnull (strstr (html, header));
  g_assert_nonnull (strstr (html, "data-zone=\"Europe/Berlin\""));
  g_assert_null (strstr (html, "CET"));
  g_assert_null (strstr (html, "CEST"));

  /* Each slot's link: the one before the change has no offset of its own,
   * the one after says its own. */
  item = strstr (html, okno_event_get_id (before));
  g_assert_nonnull (item);
  g_assert_true (strstr (item, "</li>") < strstr (item, "class=\"offset\"") || strstr (item, "class=\"offset\"") == NULL);
  item = strstr (html, okno_event_get_id (after));
  g_assert_nonnull (item);
  after_label = g_strdup_printf ("<span class=\"offset\">(%s)</span>", after_offset);
  g_assert_nonnull (strstr (item, after_label));
  g_assert_true (strstr (item, after_label) < strstr (item, "</li>"));

  /* The form for the later slot names its own offset. */
  {
    g_autofree char *path = g_strdup_printf ("/book?slot=%s", okno_event_get_id (after));
    g_autoptr(Response) form = okno_test_http_request (f, "GET", path, NULL);
    g_autofree char *label = g_strdup_printf ("время: Берлин, %s", after_offset);

    assert_html (form, 200);
    g_assert_nonnull (strstr (body_text (form), label));
  }

  en = okno_test_http_request (f, "GET", "/?lang=en", NULL);
  {
    g_autofree char *en_header = g_strdup_printf ("Times are Berlin time (%s)", before_offset);
    g_assert_nonnull (strstr (body_text (en), en_header));
  }
}


/* Each slot's type says what it is and where it happens, on the list, the
 * form and the confirmation; with two types on offer, plain links filter. */
static void
test_session_types (Fixture       *f,
                    gconstpointer  data)
{
  GSettings *settings = okno_profile_get_settings (f->instance);
  g_autofree char *form_path = g_strdup_printf ("/book?slot=%s", okno_event_get_id (f->slot));
  g_autoptr(Response) list = NULL;
  g_autoptr(Response) filtered = NULL;
  g_autoptr(Response) unknown = NULL;
  g_autoptr(Response) form = NULL;
  g_autoptr(Response) confirmation = NULL;
  g_autofree char *confirmation_path = NULL;
  const char *html, *item;

  g_settings_set_value (settings, "session-types",
                        g_variant_new_parsed ("[('t1', 'Включить в дело', uint32 40, 'Первая встреча: с чем вы пришли.', 'Онлайн, Zoom', ''),"
                                              " ('t2', 'Разбор', uint32 60, '', 'Москва, Покровка 12 <офис>', '')]"));

  list = okno_test_http_request (f, "GET", "/", NULL);
  html = body_text (list);
  assert_html (list, 200);
  item = strstr (html, okno_event_get_id (f->slot));
  g_assert_nonnull (item);
  g_assert_nonnull (strstr (item, "<span class=\"description\">Первая встреча: с чем вы пришли.</span>"));
  g_assert_true (strstr (item, "Онлайн, Zoom") < strstr (item, "</li>"));
  item = strstr (html, okno_event_get_id (f->slot2));
  g_assert_nonnull (item);
  g_assert_nonnull (strstr (item, "<span class=\"place\">Москва, Покровка 12 &lt;офис&gt;</span>"));

  /* Two types: a filter of plain links, «all» current. */
  g_assert_nonnull (strstr (html, "<nav class=\"filter\""));
  g_assert_nonnull (strstr (html, "href=\"/?lang=ru\" aria-current=\"page\">Все сессии</a>"));
  g_assert_nonnull (strstr (html, "href=\"/?type=%D0%A0%D0%B0%D0%B7%D0%B1%D0%BE%D1%80&amp;lang=ru\">Разбор</a>"));

  filtered = okno_test_http_request (f, "GET", "/?type=%D1%80%D0%B0%D0%B7%D0%B1%D0%BE%D1%80&lang=ru", NULL);
  assert_html (filtered, 200);
  g_assert_nonnull (strstr (body_text (filtered), okno_event_get_id (f->slot2)));
  g_assert_null (strstr (body_text (filtered), okno_event_get_id (f->slot)));
  g_assert_nonnull (strstr (body_text (filtered), "aria-current=\"page\">Разбор</a>"));

  /* A type not on offer filters nothing. */
  unknown = okno_test_http_request (f, "GET", "/?type=%3Cnope%3E", NULL);
  assert_html (unknown, 200);
  g_assert_nonnull (strstr (body_text (unknown), okno_event_get_id (f->slot)));
  g_assert_nonnull (strstr (body_text (unknown), okno_event_get_id (f->slot2)));
  g_assert_null (strstr (body_text (unknown), "<nope>"));

  form = okno_test_http_request (f, "GET", form_path, NULL);
  assert_html (form, 200);
  g_assert_nonnull (strstr (body_text (form), "<p class=\"description\">Первая встреча: с чем вы пришли.</p>"));
  g_assert_nonnull (strstr (body_text (form), "<p class=\"place\">Онлайн, Zoom</p>"));

  confirmation_path = book (f, okno_event_get_id (f->slot), "Анна");
  confirmation = okno_test_http_request (f, "GET", confirmation_path, NULL);
  assert_html (confirmation, 200);
  g_assert_nonnull (strstr (body_text (confirmation), "<dt>Формат</dt><dd class=\"place\">Онлайн, Zoom</dd>"));
  g_assert_nonnull (strstr (body_text (confirmation), "<dd class=\"description\">Первая встреча"));

  /* One type left on offer: no filter. */
  {
    g_autoptr(Response) single = okno_test_http_request (f, "GET", "/", NULL);
    g_assert_null (strstr (body_text (single), "<nav class=\"filter\""));
  }
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
  ADD ("/okno/page/cancel-too-late", test_cancel_too_late);
  ADD ("/okno/page/payment-link", test_payment_link);
  ADD ("/okno/page/ics", test_ics);
  ADD ("/okno/page/assets-and-weight", test_assets_and_weight);
  ADD ("/okno/page/trust", test_trust);
  ADD ("/okno/page/session-types", test_session_types);
  ADD ("/okno/page/taken-keeps-input", test_taken_keeps_input);
  ADD ("/okno/page/zone-across-dst", test_zone_across_dst);
  g_test_add ("/okno/page/rate-limited-keeps-input", Fixture, GINT_TO_POINTER (1),
              okno_test_http_set_up, test_rate_limited_keeps_input, okno_test_http_tear_down);

  return g_test_run ();
}
