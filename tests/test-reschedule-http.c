/* test-reschedule-http.c: POST /api/reschedule, and the same as forms
 * without JavaScript (GET/POST /reschedule), through a real HTTP client.
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <libsoup/soup.h>
#include <string.h>

#include "okno-test-http.h"
#include "okno-test-utils.h"
#include "okno-time.h"

static const char *
body_text (Response *r)
{
  return g_bytes_get_data (r->body, NULL) ? g_bytes_get_data (r->body, NULL) : "";
}

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

static OknoLedger *
get_ledger (Fixture *f)
{
  return okno_profile_get_ledger (f->instance);
}

/* Books @slot through the API; returns the booking's id, and its token. */
static char *
book (Fixture    *f,
      OknoEvent  *slot,
      const char *email,
      char      **token)
{
  g_autofree char *body = g_strdup_printf ("{\"slotId\":\"%s\",\"name\":\"Анна\",\"email\":\"%s\"}",
                                           okno_event_get_id (slot), email);
  g_autoptr(Response) r = okno_test_http_request (f, "POST", "/api/book", body);
  JsonObject *root;

  g_assert_cmpuint (r->status, ==, 201);
  root = json_node_get_object (r->json);
  *token = g_strdup (json_object_get_string_member (root, "cancelToken"));
  return g_strdup (json_object_get_string_member (json_object_get_object_member (root, "booking"), "id"));
}

static Response *
reschedule (Fixture    *f,
            const char *id,
            const char *token,
            const char *slot_id)
{
  g_autofree char *body = g_strdup_printf ("{\"bookingId\":\"%s\",\"token\":\"%s\",\"slotId\":\"%s\"}",
                                           id, token, slot_id);
  return okno_test_http_request (f, "POST", "/api/reschedule", body);
}

static const char *
slot_of (Fixture    *f,
         const char *id)
{
  return okno_booking_get_slot_id (okno_ledger_lookup (get_ledger (f), id));
}

/* 200 {"booking"} on the new slot, the same id and token; the old slot is
 * offered again, the new one not; rescheduleUrl next to the cancel link. */
static void
test_api_moves (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *token = NULL;
  g_autofree char *id = book (f, f->slot, "anna@example.org", &token);
  g_autoptr(Response) before = okno_test_http_request (f, "GET", "/api/slots", NULL);
  g_autoptr(Response) moved = reschedule (f, id, token, okno_event_get_id (f->slot2));
  g_autoptr(Response) after = okno_test_http_request (f, "GET", "/api/slots", NULL);
  g_autofree char *escaped = g_uri_escape_string (token, NULL, FALSE);
  g_autofree char *expected_url = g_strdup_printf ("%s/reschedule?booking=%s&token=%s", f->base, id, escaped);
  JsonObject *booking;

  g_assert_null (strstr (body_text (before), okno_event_get_id (f->slot)));
  g_assert_cmpuint (moved->status, ==, 200);
  booking = json_object_get_object_member (json_node_get_object (moved->json), "booking");
  g_assert_cmpstr (json_object_get_string_member (booking, "id"), ==, id);
  g_assert_cmpstr (json_object_get_string_member (booking, "slotId"), ==, okno_event_get_id (f->slot2));
  g_assert_cmpstr (json_object_get_string_member (booking, "status"), ==, "confirmed");
  g_assert_nonnull (strstr (json_object_get_string_member (booking, "cancelUrl"), escaped));
  g_assert_cmpstr (json_object_get_string_member (booking, "rescheduleUrl"), ==, expected_url);

  g_assert_cmpstr (slot_of (f, id), ==, okno_event_get_id (f->slot2));
  g_assert_nonnull (strstr (body_text (after), okno_event_get_id (f->slot)));
  g_assert_null (strstr (body_text (after), okno_event_get_id (f->slot2)));

  /* The same token still cancels it. */
  {
    g_autofree char *body = g_strdup_printf ("{\"bookingId\":\"%s\",\"token\":\"%s\"}", id, token);
    g_autoptr(Response) cancelled = okno_test_http_request (f, "POST", "/api/cancel", body);

    g_assert_cmpuint (cancelled->status, ==, 200);
  }
}

/* Every refusal in the project's error shape; nothing moves. */
static void
test_api_errors (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *token = NULL;
  g_autofree char *id = book (f, f->slot, "anna@example.org", &token);
  g_autofree char *other_token = NULL;
  g_autofree char *other = book (f, f->slot2, "boris@example.org", &other_token);
  g_autoptr(OknoEvent) third = okno_test_http_add_slot (f, 96, "🔓 СЛОТ: Разбор");

  {
    g_autoptr(Response) r = reschedule (f, id, "wrong-token", okno_event_get_id (third));
    g_assert_cmpuint (r->status, ==, 403);
    g_assert_cmpstr (error_code (r), ==, "forbidden");
  }
  {
    g_autoptr(Response) r = reschedule (f, "nosuch", token, okno_event_get_id (third));
    g_assert_cmpuint (r->status, ==, 404);
    g_assert_cmpstr (error_code (r), ==, "not_found");
  }
  {
    g_autoptr(Response) r = reschedule (f, id, token, okno_event_get_id (f->slot2));
    g_assert_cmpuint (r->status, ==, 409);
    g_assert_cmpstr (error_code (r), ==, "slot_taken");
  }
  {
    g_autoptr(Response) r = reschedule (f, id, token, "nosuchslot");
    g_assert_cmpuint (r->status, ==, 404);
    g_assert_cmpstr (error_code (r), ==, "slot_not_found");
  }
  {
    g_autoptr(Response) missing = okno_test_http_request (f, "POST", "/api/reschedule", "{\"bookingId\":\"x\",\"token\":\"y\"}");
    g_autoptr(Response) typed = okno_test_http_request (f, "POST", "/api/reschedule",
                                                        "{\"bookingId\":1,\"token\":\"y\",\"slotId\":\"z\"}");
    g_autoptr(Response) broken = okno_test_http_request (f, "POST", "/api/reschedule", "{\"bookingId\":");
    g_autoptr(Response) get = okno_test_http_request (f, "GET", "/api/reschedule", NULL);

    g_assert_cmpuint (missing->status, ==, 400);
    g_assert_cmpstr (error_code (missing), ==, "invalid");
    g_assert_cmpuint (typed->status, ==, 400);
    g_assert_cmpstr (error_code (typed), ==, "invalid");
    g_assert_cmpuint (broken->status, ==, 400);
    g_assert_cmpstr (error_code (broken), ==, "invalid_json");
    g_assert_cmpuint (get->status, ==, 405);
  }

  /* min-cancel-hours: the slot starts in 48 hours. */
  g_settings_set_uint (okno_profile_get_settings (f->instance), "min-cancel-hours", 49);
  {
    g_autoptr(Response) r = reschedule (f, id, token, okno_event_get_id (third));
    g_assert_cmpuint (r->status, ==, 409);
    g_assert_cmpstr (error_code (r), ==, "too_late");
  }
  g_settings_set_uint (okno_profile_get_settings (f->instance), "min-cancel-hours", 0);

  /* Cancelled: 409. */
  {
    g_autofree char *body = g_strdup_printf ("{\"bookingId\":\"%s\",\"token\":\"%s\"}", other, other_token);
    g_autoptr(Response) cancelled = okno_test_http_request (f, "POST", "/api/cancel", body);
    g_autoptr(Response) r = reschedule (f, other, other_token, okno_event_get_id (third));

    g_assert_cmpuint (cancelled->status, ==, 200);
    g_assert_cmpuint (r->status, ==, 409);
    g_assert_cmpstr (error_code (r), ==, "booking_cancelled");
  }

  g_assert_cmpstr (slot_of (f, id), ==, okno_event_get_id (f->slot));
  g_assert_cmpstr (slot_of (f, other), ==, okno_event_get_id (f->slot2));
}

/* 20 clients on their own slots race for one new slot through the API:
 * one 200, nineteen 409 slot_taken, and each loser keeps its old slot. */
static void
test_api_race (Fixture       *f,
               gconstpointer  data)
{
  Pending pending[20] = { 0 };
  SoupMessage *msgs[20];
  char *ids[20];
  char *tokens[20];
  OknoEvent *slots[20];
  guint ok = 0, taken = 0;
  g_autoptr(OknoEvent) target = okno_test_http_add_slot (f, 30, "🔓 СЛОТ: Разбор");

  for (guint i = 0; i < 20; i++)
    {
      g_autofree char *email = g_strdup_printf ("c%u@example.org", i);

      slots[i] = okno_test_http_add_slot (f, 100 + 2 * i, "🔓 СЛОТ: Разбор");
      ids[i] = book (f, slots[i], email, &tokens[i]);
    }

  for (guint i = 0; i < 20; i++)
    {
      g_autofree char *body = g_strdup_printf ("{\"bookingId\":\"%s\",\"token\":\"%s\",\"slotId\":\"%s\"}",
                                               ids[i], tokens[i], okno_event_get_id (target));

      msgs[i] = okno_test_http_message (f, "POST", "/api/reschedule", body, -1);
      okno_test_http_send_async (f, msgs[i], &pending[i]);
    }

  for (guint i = 0; i < 20; i++)
    {
      while (!pending[i].done)
        g_main_context_iteration (NULL, TRUE);
      if (pending[i].response->status == 200)
        {
          ok++;
          g_assert_cmpstr (slot_of (f, ids[i]), ==, okno_event_get_id (target));
        }
      else
        {
          g_assert_cmpuint (pending[i].response->status, ==, 409);
          g_assert_cmpstr (error_code (pending[i].response), ==, "slot_taken");
          g_assert_cmpstr (slot_of (f, ids[i]), ==, okno_event_get_id (slots[i]));
          g_assert_true (okno_ledger_lookup_active_for_slot (get_ledger (f), okno_event_get_id (slots[i])) ==
                         okno_ledger_lookup (get_ledger (f), ids[i]));
          taken++;
        }
      okno_test_response_free (pending[i].response);
      g_object_unref (msgs[i]);
    }

  g_assert_cmpuint (ok, ==, 1);
  g_assert_cmpuint (taken, ==, 19);
  for (guint i = 0; i < 20; i++)
    {
      g_free (ids[i]);
      g_free (tokens[i]);
      g_object_unref (slots[i]);
    }
}

static Response *
post_form (Fixture    *f,
           const char *path,
           const char *form)
{
  g_autoptr(SoupMessage) msg = okno_test_http_message (f, "POST", path, NULL, 0);
  g_autoptr(GBytes) bytes = g_bytes_new (form, strlen (form));

  soup_message_set_request_body_from_bytes (msg, "application/x-www-form-urlencoded", bytes);
  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
  return okno_test_http_send (f, msg);
}

/* Without JavaScript: the confirmation links to Change time; that page
 * lists the open times as one-button forms; one POST moves the booking
 * and answers 303 to the confirmation, which shows the new time. */
static void
test_page_flow (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *token = NULL;
  g_autofree char *id = book (f, f->slot, "anna@example.org", &token);
  g_autofree char *escaped = g_uri_escape_string (token, NULL, FALSE);
  g_autofree char *confirmation = g_strdup_printf ("/booking/%s?token=%s&lang=en", id, escaped);
  g_autofree char *link = g_strdup_printf ("/reschedule?booking=%s&amp;token=%s&amp;lang=en", id, escaped);
  g_autofree char *page_path = g_strdup_printf ("/reschedule?booking=%s&token=%s&lang=en", id, escaped);
  g_autofree char *slot_input = g_strdup_printf ("name=\"slot\" value=\"%s\"", okno_event_get_id (f->slot2));
  g_autoptr(Response) shown = okno_test_http_request (f, "GET", confirmation, NULL);
  g_autoptr(Response) list = okno_test_http_request (f, "GET", page_path, NULL);
  g_autoptr(Response) moved = NULL;
  g_autoptr(Response) after = NULL;
  g_autoptr(GHashTable) form = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *encoded = NULL;
  const char *location;

  g_assert_cmpuint (shown->status, ==, 200);
  g_assert_nonnull (strstr (body_text (shown), link));
  g_assert_nonnull (strstr (body_text (shown), "Change time"));

  g_assert_cmpuint (list->status, ==, 200);
  g_assert_nonnull (strstr (body_text (list), "<form method=\"post\" action=\"/reschedule\""));
  g_assert_nonnull (strstr (body_text (list), slot_input));
  /* Not its own slot. */
  {
    g_autofree char *own = g_strdup_printf ("name=\"slot\" value=\"%s\"", okno_event_get_id (f->slot));
    g_assert_null (strstr (body_text (list), own));
  }

  g_hash_table_insert (form, (char *) "booking", id);
  g_hash_table_insert (form, (char *) "token", token);
  g_hash_table_insert (form, (char *) "slot", (char *) okno_event_get_id (f->slot2));
  g_hash_table_insert (form, (char *) "lang", (char *) "en");
  encoded = soup_form_encode_hash (form);
  moved = post_form (f, "/reschedule", encoded);
  g_assert_cmpuint (moved->status, ==, 303);
  location = soup_message_headers_get_one (moved->headers, "Location");
  g_assert_nonnull (location);
  g_assert_nonnull (strstr (location, confirmation));
  g_assert_nonnull (strstr (location, "&moved=1"));
  g_assert_cmpstr (slot_of (f, id), ==, okno_event_get_id (f->slot2));

  after = okno_test_http_request (f, "GET", strstr (location, confirmation), NULL);
  g_assert_cmpuint (after->status, ==, 200);
  g_assert_nonnull (strstr (body_text (after), "The time is changed"));
  {
    g_autoptr(GTimeZone) moscow = g_time_zone_new_identifier ("Europe/Moscow");
    g_autofree char *iso = okno_time_format_rfc3339 (okno_event_get_start (f->slot2), moscow);
    g_autofree char *datetime = g_strdup_printf ("datetime=\"%s\"", iso);

    g_assert_nonnull (strstr (body_text (after), datetime));
  }

  /* A wrong token: 403, nothing moves; a taken slot: 409, the list again. */
  {
    g_autoptr(Response) wrong = NULL;
    g_autoptr(Response) taken = NULL;
    g_autofree char *other_token = NULL;
    g_autofree char *other = book (f, f->slot, "boris@example.org", &other_token);
    g_autofree char *wrong_form = NULL;
    g_autofree char *taken_form = NULL;
    g_autoptr(OknoEvent) third = okno_test_http_add_slot (f, 96, "🔓 СЛОТ: Разбор");
    g_autofree char *third_input = g_strdup_printf ("name=\"slot\" value=\"%s\"", okno_event_get_id (third));

    g_hash_table_insert (form, (char *) "token", (char *) "wrong");
    g_hash_table_insert (form, (char *) "slot", (char *) okno_event_get_id (f->slot));
    wrong_form = soup_form_encode_hash (form);
    wrong = post_form (f, "/reschedule", wrong_form);
    g_assert_cmpuint (wrong->status, ==, 403);
    g_assert_cmpstr (slot_of (f, id), ==, okno_event_get_id (f->slot2));

    g_hash_table_insert (form, (char *) "token", token);
    taken_form = soup_form_encode_hash (form);
    taken = post_form (f, "/reschedule", taken_form);
    g_assert_cmpuint (taken->status, ==, 409);
    /* The times still open, to choose another. */
    g_assert_nonnull (strstr (body_text (taken), third_input));
    g_assert_cmpstr (slot_of (f, id), ==, okno_event_get_id (f->slot2));
    g_assert_cmpstr (slot_of (f, other), ==, okno_event_get_id (f->slot));
  }
}

/* Inside min-cancel-hours the page neither lists times nor moves: 409 with
 * the reason. */
static void
test_page_too_late (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *token = NULL;
  g_autofree char *id = book (f, f->slot, "anna@example.org", &token);
  g_autofree char *escaped = g_uri_escape_string (token, NULL, FALSE);
  g_autofree char *page_path = g_strdup_printf ("/reschedule?booking=%s&token=%s&lang=en", id, escaped);
  g_autoptr(Response) list = NULL;

  g_settings_set_uint (okno_profile_get_settings (f->instance), "min-cancel-hours", 49);
  list = okno_test_http_request (f, "GET", page_path, NULL);
  g_assert_cmpuint (list->status, ==, 409);
  g_assert_nonnull (strstr (body_text (list), "data-too-late"));
  g_assert_null (strstr (body_text (list), "action=\"/reschedule\""));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, okno_test_http_set_up, func, okno_test_http_tear_down)

  ADD ("/okno/reschedule-http/api-moves", test_api_moves);
  ADD ("/okno/reschedule-http/api-errors", test_api_errors);
  ADD ("/okno/reschedule-http/api-race", test_api_race);
  ADD ("/okno/reschedule-http/page-flow", test_page_flow);
  ADD ("/okno/reschedule-http/page-too-late", test_page_too_late);

  return g_test_run ();
}
