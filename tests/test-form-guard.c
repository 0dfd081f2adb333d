/* test-form-guard.c: the booking form's honeypot and signed timestamp
 * (issue 13 item 5): a refused POST books nothing and brings the form
 * back as typed, with a fresh stamp; a person's POST books.
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>

#include "okno-test-http.h"
#include "okno-test-profile.h"
#include "okno-test-utils.h"
#include "okno-web-form-guard.h"

static const char *
body_text (Response *r)
{
  return g_bytes_get_data (r->body, NULL) ? g_bytes_get_data (r->body, NULL) : "";
}

static OknoWebFormGuard *
get_guard (Fixture *f)
{
  OknoWebFormGuard *guard = NULL;

  g_object_get (okno_profile_get_web_server (f->instance), "form-guard", &guard, NULL);
  g_assert_nonnull (guard);
  g_object_unref (guard);  /* the server keeps it */
  return guard;
}

static guint
n_bookings (Fixture *f)
{
  return g_list_model_get_n_items (okno_ledger_get_bookings (okno_profile_get_ledger (f->instance)));
}

/* Nothing of what was typed reached the data folder either. */
static void
assert_not_stored (Fixture    *f,
                   const char *name)
{
  const char *files[] = { "bookings.json", "bookings.journal" };

  g_assert_cmpuint (n_bookings (f), ==, 0);
  okno_test_settle_profile (f->instance);
  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *path = g_build_filename (f->dir, files[i], NULL);
      g_autofree char *contents = NULL;

      if (g_file_get_contents (path, &contents, NULL, NULL))
        g_assert_null (strstr (contents, name));
    }
}

static char *
dup_field (const char *html,
           const char *name)
{
  g_autofree char *pattern = g_strdup_printf ("name=\"%s\" value=\"([^\"]*)\"", name);
  g_autoptr(GRegex) re = g_regex_new (pattern, 0, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;

  if (!g_regex_match (re, html, 0, &match))
    return NULL;
  return g_match_info_fetch (match, 1);
}

static Response *
post_book (Fixture    *f,
           const char *slot_id,
           const char *name,
           const char *stamp,
           const char *honeypot)
{
  g_autoptr(GHashTable) fields = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(SoupMessage) msg = okno_test_http_message (f, "POST", "/book", NULL, 0);
  g_autofree char *form = NULL;
  g_autoptr(GBytes) bytes = NULL;

  g_hash_table_insert (fields, (char *) "slot", (char *) slot_id);
  g_hash_table_insert (fields, (char *) "name", (char *) name);
  g_hash_table_insert (fields, (char *) "email", (char *) "anna@example.org");
  g_hash_table_insert (fields, (char *) "note", (char *) "Впервые & надолго");
  g_hash_table_insert (fields, (char *) "lang", (char *) "ru");
  if (stamp != NULL)
    g_hash_table_insert (fields, (char *) OKNO_WEB_FORM_GUARD_STAMP_FIELD, (char *) stamp);
  if (honeypot != NULL)
    g_hash_table_insert (fields, (char *) OKNO_WEB_FORM_GUARD_HONEYPOT_FIELD, (char *) honeypot);
  form = soup_form_encode_hash (fields);
  bytes = g_bytes_new (form, strlen (form));
  soup_message_set_request_body_from_bytes (msg, "application/x-www-form-urlencoded", bytes);
  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
  return okno_test_http_send (f, msg);
}

static char *
stamp_seconds_ago (Fixture    *f,
                   const char *slot_id,
                   int         seconds)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) served = g_date_time_add_seconds (now, -seconds);
  g_autofree char *scope = g_strconcat ("book:", slot_id, NULL);

  return okno_web_form_guard_dup_stamp (get_guard (f), scope, served);
}

/* The stamp a refused POST's page carries is one a person can send: it
 * passes the guard once the minimum has gone by. */
static void
assert_fresh_stamp (Fixture    *f,
                    Response   *r,
                    const char *slot_id,
                    const char *sent)
{
  g_autofree char *stamp = dup_field (body_text (r), OKNO_WEB_FORM_GUARD_STAMP_FIELD);
  g_autoptr(GHashTable) form = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) later = g_date_time_add_seconds (now, okno_web_form_guard_get_min_seconds (get_guard (f)) + 1);
  g_autofree char *scope = g_strconcat ("book:", slot_id, NULL);

  g_assert_nonnull (stamp);
  g_assert_cmpstr (stamp, !=, sent);
  g_hash_table_insert (form, (char *) OKNO_WEB_FORM_GUARD_STAMP_FIELD, stamp);
  g_assert_cmpint (okno_web_form_guard_check (get_guard (f), form, scope, later), ==, OKNO_WEB_FORM_GUARD_OK);
}

/* The refused page: the form again, polite, with what was typed. */
static void
assert_form_again (Response   *r,
                   const char *message)
{
  const char *html = body_text (r);

  if (r->status != 400)
    g_error ("expected 400, got %u: %s", r->status, html);
  g_assert_true (g_str_has_prefix (soup_message_headers_get_content_type (r->headers, NULL), "text/html"));
  g_assert_nonnull (strstr (html, "<form method=\"post\" action=\"/book\""));
  g_assert_nonnull (strstr (html, message));
  g_assert_nonnull (strstr (html, "value=\"Анна &lt;b&gt;\""));
  g_assert_nonnull (strstr (html, ">Впервые &amp; надолго</textarea>"));
  g_assert_nonnull (strstr (html, "value=\"anna@example.org\""));
  /* The honeypot comes back empty, whatever was in it. */
  g_assert_nonnull (strstr (html, "name=\"" OKNO_WEB_FORM_GUARD_HONEYPOT_FIELD "\" type=\"text\" value=\"\""));
  g_assert_null (strstr (html, "spam.example"));
}

static void
test_form_fields (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *path = g_strdup_printf ("/book?slot=%s", okno_event_get_id (f->slot));
  g_autoptr(Response) r = okno_test_http_request (f, "GET", path, NULL);
  const char *html = body_text (r);
  g_autofree char *stamp = dup_field (html, OKNO_WEB_FORM_GUARD_STAMP_FIELD);
  g_autoptr(GRegex) honeypot = g_regex_new ("<div class=\"hp\" aria-hidden=\"true\"><label>[^<]+"
                                            "<input name=\"website\" type=\"text\" value=\"\""
                                            " tabindex=\"-1\" autocomplete=\"off\" aria-hidden=\"true\"></label></div>", 0, 0, NULL);
  g_autoptr(GRegex) css_re = g_regex_new ("href=\"(/static/okno\\.[0-9a-f]+\\.css)\"", 0, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;
  g_autofree char *css_path = NULL;
  g_autoptr(Response) css = NULL;

  g_assert_cmpuint (r->status, ==, 200);
  g_assert_nonnull (stamp);
  g_assert_true (g_regex_match (honeypot, html, 0, NULL));
  g_assert_nonnull (strstr (html, "Оставьте это поле пустым"));
  /* Off-screen by the page's own stylesheet (the CSP allows no inline style). */
  g_assert_true (g_regex_match (css_re, html, 0, &match));
  css_path = g_match_info_fetch (match, 1);
  css = okno_test_http_request (f, "GET", css_path, NULL);
  g_assert_cmpuint (css->status, ==, 200);
  g_assert_nonnull (g_strstr_len (g_bytes_get_data (css->body, NULL), g_bytes_get_size (css->body),
                                  ".hp { position: absolute; left: -10000px;"));
}

static void
test_key_file (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->dir, "form-key", NULL);
  g_autoptr(GDateTime) served = g_date_time_new_now_utc ();
  g_autofree char *first = okno_web_form_guard_dup_stamp (get_guard (f), "book:x", served);
  g_autoptr(OknoWebFormGuard) again = NULL;
  g_autoptr(OknoWebFormGuard) other = NULL;
  g_autofree char *second = NULL;
  g_autofree char *elsewhere = NULL;
  g_autofree char *other_dir = g_dir_make_tmp ("okno-form-key-XXXXXX", NULL);
  g_autofree char *other_path = g_build_filename (other_dir, "form-key", NULL);
  g_autofree char *damaged_path = g_build_filename (other_dir, "damaged", NULL);
  g_autoptr(OknoWebFormGuard) damaged = NULL;
  GStatBuf st;

  /* Made with the folder, for its owner only. */
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  /* The same key on the next start: a form served before a restart is good after it. */
  again = okno_web_form_guard_new (path, NULL);
  g_assert_nonnull (again);
  second = okno_web_form_guard_dup_stamp (again, "book:x", served);
  g_assert_cmpstr (first, ==, second);

  /* Another folder, another key. */
  other = okno_web_form_guard_new (other_path, NULL);
  elsewhere = okno_web_form_guard_dup_stamp (other, "book:x", served);
  g_assert_cmpstr (first, !=, elsewhere);

  /* A file that holds no key is replaced by a new one (with a warning). */
  g_assert_true (g_file_set_contents (damaged_path, "not a key", -1, NULL));
  g_test_expect_message ("OknoWebFormGuard", G_LOG_LEVEL_WARNING, "*does not hold a form key*");
  damaged = okno_web_form_guard_new (damaged_path, NULL);
  g_test_assert_expected_messages ();
  g_assert_nonnull (damaged);
  g_assert_cmpint (g_stat (damaged_path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  g_remove (other_path);
  g_remove (damaged_path);
  g_rmdir (other_dir);
}

static void
test_too_fast (Fixture       *f,
               gconstpointer  data)
{
  const char *slot_id = okno_event_get_id (f->slot);
  g_autofree char *path = g_strdup_printf ("/book?slot=%s", slot_id);
  g_autoptr(Response) form = okno_test_http_request (f, "GET", path, NULL);
  g_autofree char *stamp = dup_field (body_text (form), OKNO_WEB_FORM_GUARD_STAMP_FIELD);
  g_autoptr(Response) r = NULL;

  g_assert_cmpuint (okno_web_form_guard_get_min_seconds (get_guard (f)), ==, 3);
  /* Sent at once with the stamp just served: a robot's pace. */
  r = post_book (f, slot_id, "Анна <b>", stamp, NULL);
  assert_form_again (r, "Это было быстрее, чем мы ожидали.");
  assert_not_stored (f, "Анна");
  assert_fresh_stamp (f, r, slot_id, NULL);
}

static void
test_too_old (Fixture       *f,
              gconstpointer  data)
{
  const char *slot_id = okno_event_get_id (f->slot);
  g_autofree char *old = stamp_seconds_ago (f, slot_id, OKNO_WEB_FORM_GUARD_MAX_AGE_SECONDS + 60);
  g_autofree char *just_in_time = stamp_seconds_ago (f, slot_id, OKNO_WEB_FORM_GUARD_MAX_AGE_SECONDS - 60);
  g_autoptr(Response) r = post_book (f, slot_id, "Анна <b>", old, NULL);
  g_autoptr(Response) booked = NULL;

  assert_form_again (r, "Эта форма была открыта очень долго.");
  assert_not_stored (f, "Анна");
  assert_fresh_stamp (f, r, slot_id, old);

  /* A minute inside the two hours still books. */
  booked = post_book (f, slot_id, "Анна <b>", just_in_time, NULL);
  g_assert_cmpuint (booked->status, ==, 303);
  g_assert_cmpuint (n_bookings (f), ==, 1);
}

static void
test_bad_signature (Fixture       *f,
                    gconstpointer  data)
{
  const char *slot_id = okno_event_get_id (f->slot);
  g_autofree char *good = stamp_seconds_ago (f, slot_id, 60);
  g_autofree char *other_slot = stamp_seconds_ago (f, okno_event_get_id (f->slot2), 60);
  g_autofree char *earlier = NULL;
  g_autofree char *flipped = g_strdup (good);
  g_autofree char *unsigned_time = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  const char *dot = strchr (good, '.');
  const char *bad[5];

  /* The time moved back an hour with the signature kept: a forged age. */
  earlier = g_strdup_printf ("%" G_GINT64_FORMAT "%s", g_ascii_strtoll (good, NULL, 10) - 3600, dot);
  /* One character of the signature changed. */
  flipped[strlen (flipped) - 2] = flipped[strlen (flipped) - 2] == 'A' ? 'B' : 'A';
  unsigned_time = g_strdup_printf ("%" G_GINT64_FORMAT, g_date_time_to_unix (now) - 60);
  bad[0] = earlier;
  bad[1] = flipped;
  bad[2] = unsigned_time;
  bad[3] = other_slot;  /* signed for another slot's form */
  bad[4] = "";

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(Response) r = post_book (f, slot_id, "Анна <b>", bad[i], NULL);

      g_test_message ("stamp «%s»", bad[i]);
      assert_form_again (r, "Не удалось принять эту форму.");
      assert_not_stored (f, "Анна");
    }

  /* No stamp at all. */
  {
    g_autoptr(Response) r = post_book (f, slot_id, "Анна <b>", NULL, NULL);

    assert_form_again (r, "Не удалось принять эту форму.");
    assert_not_stored (f, "Анна");
    assert_fresh_stamp (f, r, slot_id, NULL);
  }
}

static void
test_honeypot (Fixture       *f,
               gconstpointer  data)
{
  const char *slot_id = okno_event_get_id (f->slot);
  g_autofree char *stamp = stamp_seconds_ago (f, slot_id, 60);
  g_autoptr(Response) r = post_book (f, slot_id, "Анна <b>", stamp, "http://spam.example/");
  g_autoptr(Response) booked = NULL;

  assert_form_again (r, "Не удалось принять эту форму.");
  assert_not_stored (f, "Анна");
  assert_fresh_stamp (f, r, slot_id, stamp);

  /* The same form with the honeypot left empty books. */
  booked = post_book (f, slot_id, "Анна <b>", stamp, "");
  g_assert_cmpuint (booked->status, ==, 303);
  g_assert_cmpuint (n_bookings (f), ==, 1);
}

static void
test_person_books (Fixture       *f,
                   gconstpointer  data)
{
  const char *slot_id = okno_event_get_id (f->slot);
  g_autofree char *stamp = stamp_seconds_ago (f, slot_id, 10);
  g_autoptr(Response) r = post_book (f, slot_id, "Анна <b>", stamp, "");
  const char *location = soup_message_headers_get_one (r->headers, "Location");
  OknoBooking *booking;

  g_assert_cmpuint (r->status, ==, 303);
  g_assert_nonnull (location);
  g_assert_nonnull (strstr (location, "/booking/"));
  g_assert_cmpuint (n_bookings (f), ==, 1);
  booking = g_list_model_get_item (okno_ledger_get_bookings (okno_profile_get_ledger (f->instance)), 0);
  g_assert_cmpstr (okno_booking_get_name (booking), ==, "Анна <b>");
  g_assert_cmpstr (okno_booking_get_slot_id (booking), ==, slot_id);
  g_object_unref (booking);
}

/* The form that offers a choice of times (after its slot was taken) is
 * signed for none of them: its stamp books whichever is chosen. */
static void
test_choice_form (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *any = stamp_seconds_ago (f, NULL, 10);
  g_autoptr(Response) r = post_book (f, okno_event_get_id (f->slot2), "Анна <b>", any, NULL);

  g_assert_cmpuint (r->status, ==, 303);
  g_assert_cmpuint (n_bookings (f), ==, 1);
}

/* The JSON API is not guarded: it has the rate limit and the per-client limit. */
static void
test_api_unaffected (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *body = g_strdup_printf ("{\"slotId\":\"%s\",\"name\":\"Anna\",\"email\":\"a@example.org\"}",
                                           okno_event_get_id (f->slot));
  g_autoptr(Response) r = okno_test_http_request (f, "POST", "/api/book", body);

  g_assert_cmpuint (r->status, ==, 201);
  g_assert_cmpuint (n_bookings (f), ==, 1);
}

/* The waitlist's join form (anyone may send it) is guarded the same way:
 * a robot's form stores nobody, a person's joins. */
static void
test_waitlist_form (Fixture       *f,
                    gconstpointer  data)
{
  OknoWaitlist *waitlist = okno_profile_get_waitlist (f->instance);
  g_autoptr(Response) form = okno_test_http_request (f, "GET", "/waitlist?lang=ru", NULL);
  g_autofree char *served = dup_field (body_text (form), OKNO_WEB_FORM_GUARD_STAMP_FIELD);
  g_autofree char *good = okno_test_http_form_stamp_for (f, "waitlist");
  g_autofree char *booking_stamp = stamp_seconds_ago (f, okno_event_get_id (f->slot), 60);
  const char *fields = "lang=ru&name=%D0%92%D0%B5%D1%80%D0%B0&telegram=%40vera_waits";
  struct { const char *extra; const char *message; } refused[] = {
    { "", "Не удалось принять эту форму." },                              /* no stamp */
    { NULL, "Это было быстрее, чем мы ожидали." },                        /* sent at once */
    { NULL, "Не удалось принять эту форму." },                            /* a booking form's stamp */
    { NULL, "Не удалось принять эту форму." },                            /* the honeypot filled */
  };
  g_autofree char *at_once = g_strconcat ("&stamp=", served, NULL);
  g_autofree char *other = g_strconcat ("&stamp=", booking_stamp, NULL);
  g_autofree char *robot = g_strconcat ("&", good, "&website=http%3A%2F%2Fspam.example%2F", NULL);
  g_autofree char *person = g_strconcat ("&", good, NULL);

  g_assert_cmpuint (form->status, ==, 200);
  g_assert_nonnull (served);
  g_assert_nonnull (strstr (body_text (form), "name=\"website\" type=\"text\" value=\"\" tabindex=\"-1\""));
  refused[1].extra = at_once;
  refused[2].extra = other;
  refused[3].extra = robot;
  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autofree char *body = g_strconcat (fields, refused[i].extra, NULL);
      g_autoptr(SoupMessage) msg = okno_test_http_message (f, "POST", "/waitlist", NULL, 0);
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));
      g_autoptr(Response) r = NULL;

      soup_message_set_request_body_from_bytes (msg, "application/x-www-form-urlencoded", bytes);
      soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
      r = okno_test_http_send (f, msg);
      g_assert_cmpuint (r->status, ==, 400);
      g_assert_nonnull (strstr (body_text (r), refused[i].message));
      g_assert_nonnull (strstr (body_text (r), "value=\"@vera_waits\""));
      g_assert_cmpuint (okno_waitlist_get_count (waitlist), ==, 0);
    }

  {
    g_autofree char *body = g_strconcat (fields, person, NULL);
    g_autoptr(SoupMessage) msg = okno_test_http_message (f, "POST", "/waitlist", NULL, 0);
    g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));
    g_autoptr(Response) r = NULL;

    soup_message_set_request_body_from_bytes (msg, "application/x-www-form-urlencoded", bytes);
    soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
    r = okno_test_http_send (f, msg);
    g_assert_cmpuint (r->status, <, 400);
    g_assert_cmpuint (okno_waitlist_get_count (waitlist), ==, 1);
  }
}

/* A folder where the key cannot be written (here: a folder in its way)
 * still opens, and its forms work, with a key for this run only. */
static void
test_key_unwritable (void)
{
  g_autofree char *dir = okno_test_make_dir ();
  g_autofree char *key_path = g_build_filename (dir, "form-key", NULL);
  g_autoptr(OknoProfile) profile = NULL;
  g_autoptr(OknoWebFormGuard) guard = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) later = g_date_time_add_seconds (now, 10);
  g_autoptr(GHashTable) form = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *stamp = NULL;

  g_assert_cmpint (g_mkdir (key_path, 0700), ==, 0);
  g_test_expect_message ("OknoWebFormGuard", G_LOG_LEVEL_WARNING, "*making a new form key*");
  g_test_expect_message ("OknoProfile", G_LOG_LEVEL_WARNING, "*key cannot be saved*");
  profile = okno_test_open_profile (dir);
  g_test_assert_expected_messages ();

  g_object_get (okno_profile_get_web_server (profile), "form-guard", &guard, NULL);
  stamp = okno_web_form_guard_dup_stamp (guard, "book:x", now);
  g_hash_table_insert (form, (char *) OKNO_WEB_FORM_GUARD_STAMP_FIELD, stamp);
  g_assert_cmpint (okno_web_form_guard_check (guard, form, "book:x", later), ==, OKNO_WEB_FORM_GUARD_OK);

  g_clear_object (&guard);
  okno_profile_flush (profile);
  g_assert_finalize_object (g_steal_pointer (&profile));
  g_rmdir (key_path);
  okno_test_remove_dir (dir);
}

static void
test_min_seconds_env (void)
{
  g_autoptr(OknoWebFormGuard) zero = NULL;
  g_autoptr(OknoWebFormGuard) three = NULL;

  g_setenv ("OKNO_FORM_MIN_SECONDS", "0", TRUE);
  zero = okno_web_form_guard_new (NULL, NULL);
  g_setenv ("OKNO_FORM_MIN_SECONDS", "3", TRUE);
  three = okno_web_form_guard_new (NULL, NULL);
  g_assert_cmpuint (okno_web_form_guard_get_min_seconds (zero), ==, 0);
  g_assert_cmpuint (okno_web_form_guard_get_min_seconds (three), ==, 3);
}

int
main (int   argc,
      char *argv[])
{
  /* The real minimum here, whatever the suite's environment says. */
  g_setenv ("OKNO_FORM_MIN_SECONDS", "3", TRUE);
  g_test_init (&argc, &argv, NULL);

#define ADD(path, fn) g_test_add (path, Fixture, NULL, okno_test_http_set_up, fn, okno_test_http_tear_down)
  ADD ("/okno/form-guard/form-fields", test_form_fields);
  ADD ("/okno/form-guard/key-file", test_key_file);
  ADD ("/okno/form-guard/too-fast", test_too_fast);
  ADD ("/okno/form-guard/too-old", test_too_old);
  ADD ("/okno/form-guard/bad-signature", test_bad_signature);
  ADD ("/okno/form-guard/honeypot", test_honeypot);
  ADD ("/okno/form-guard/person-books", test_person_books);
  ADD ("/okno/form-guard/choice-form", test_choice_form);
  ADD ("/okno/form-guard/api-unaffected", test_api_unaffected);
  ADD ("/okno/form-guard/waitlist-form", test_waitlist_form);
#undef ADD
  g_test_add_func ("/okno/form-guard/min-seconds-env", test_min_seconds_env);
  g_test_add_func ("/okno/form-guard/key-unwritable", test_key_unwritable);

  return g_test_run ();
}
