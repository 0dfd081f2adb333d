/* test-waitlist.c: the waitlist, through its API, its pages and core.
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <libsoup/soup.h>
#include <string.h>

#include "okno-errors.h"
#include "okno-test-http.h"
#include "okno-test-utils.h"
#include "okno-time.h"
#include "okno-waitlist.h"

#define EMAIL    "wait.anna@example.org"
#define PHONE    "+7 999 555-11-22"
#define TELEGRAM "@boris_waits"

static OknoWaitlist *
get_waitlist (Fixture *f)
{
  return okno_profile_get_waitlist (f->instance);
}

static const char *
error_code (Response *r)
{
  JsonObject *error;

  g_assert_nonnull (r->json);
  error = json_object_get_object_member (json_node_get_object (r->json), "error");
  g_assert_nonnull (error);
  return json_object_get_string_member (error, "code");
}

static JsonObject *
error_fields (Response *r)
{
  JsonObject *error = json_object_get_object_member (json_node_get_object (r->json), "error");

  return json_object_get_object_member (error, "fields");
}

static char *
read_file (Fixture *f)
{
  g_autofree char *path = g_build_filename (f->dir, "waitlist.json", NULL);
  char *contents = NULL;

  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return g_strdup ("");
  return contents;
}

static void
assert_no_contacts (const char *text)
{
  g_assert_null (strstr (text, EMAIL));
  g_assert_null (strstr (text, "555-11-22"));
  g_assert_null (strstr (text, "5551122"));
  g_assert_null (strstr (text, "boris_waits"));
}

static Response *
join (Fixture    *f,
      const char *body)
{
  return okno_test_http_request (f, "POST", "/api/waitlist", body);
}

/* The outbox items whose key starts with "waitlist.". */
static GPtrArray *
offers (Fixture *f)
{
  g_autoptr(GPtrArray) items = okno_ledger_dup_outbox (okno_profile_get_ledger (f->instance));
  GPtrArray *found = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);

  for (guint i = 0; i < items->len; i++)
    {
      JsonObject *item = g_ptr_array_index (items, i);

      if (g_str_has_prefix (json_object_get_string_member (item, "key"), "waitlist."))
        g_ptr_array_add (found, json_object_ref (item));
    }
  return found;
}

/* Runs the loop until @n offers are in the journal (or a generous
 * deadline passes), then a little more so that a second one would show. */
static GPtrArray *
wait_offers (Fixture *f,
             guint    n)
{
  /* Waiting for one that must not come: a while, not the whole deadline. */
  gint64 deadline = g_get_monotonic_time () + (n > 2 ? 3 : 20) * G_USEC_PER_SEC;

  while (g_get_monotonic_time () < deadline)
    {
      g_autoptr(GPtrArray) found = offers (f);

      if (found->len >= n)
        break;
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  okno_test_drain (okno_profile_get_ledger (f->instance));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  return offers (f);
}

static void
set_up (Fixture       *f,
        gconstpointer  data)
{
  const char *kinds[] = { "test", NULL };

  okno_test_http_set_up (f, data);
  /* Olga's channel: one without a sink, so its items stay to be read. */
  okno_booking_service_set_notify_kinds (okno_profile_get_service (f->instance), kinds);
}

/* Days and times of day, in Olga's zone. */
static void
test_match (void)
{
  g_autoptr(GTimeZone) moscow = okno_time_zone_new ("Europe/Moscow");
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GDateTime) tue_morning = okno_test_time ("2026-12-08T09:00:00+03:00");
  g_autoptr(GDateTime) tue_evening = okno_test_time ("2026-12-08T17:30:00+03:00");
  g_autoptr(GDateTime) tue_noon_utc = okno_test_time ("2026-12-08T09:30:00Z");  /* 12:30 in Moscow */
  g_autoptr(GDateTime) wed_evening = okno_test_time ("2026-12-09T18:00:00+03:00");
  g_autoptr(GDateTime) mon_late_utc = okno_test_time ("2026-12-07T22:30:00Z"); /* Tue 01:30 in Moscow */
  JsonObject *any, *tue_evenings, *afternoons;

  g_assert_true (json_parser_load_from_data (parser,
                                             "[{\"days\":[],\"times\":[]},"
                                             " {\"days\":[2],\"times\":[\"evening\"]},"
                                             " {\"days\":[2,3],\"times\":[\"afternoon\",\"evening\"]}]", -1, NULL));
  any = json_array_get_object_element (json_node_get_array (json_parser_get_root (parser)), 0);
  tue_evenings = json_array_get_object_element (json_node_get_array (json_parser_get_root (parser)), 1);
  afternoons = json_array_get_object_element (json_node_get_array (json_parser_get_root (parser)), 2);

  g_assert_true (okno_waitlist_matches (any, tue_morning, moscow));
  g_assert_true (okno_waitlist_matches (any, wed_evening, moscow));

  g_assert_true (okno_waitlist_matches (tue_evenings, tue_evening, moscow));
  g_assert_false (okno_waitlist_matches (tue_evenings, tue_morning, moscow));
  g_assert_false (okno_waitlist_matches (tue_evenings, wed_evening, moscow));
  /* The day is Olga's: Monday 22:30 UTC is Tuesday night in Moscow. */
  g_assert_false (okno_waitlist_matches (tue_evenings, mon_late_utc, moscow));

  g_assert_true (okno_waitlist_matches (afternoons, tue_noon_utc, moscow));
  g_assert_true (okno_waitlist_matches (afternoons, wed_evening, moscow));
  g_assert_false (okno_waitlist_matches (afternoons, tue_morning, moscow));
}

static void
test_join_and_leave (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(Response) joined = join (f, "{\"name\":\"Анна\",\"email\":\"" EMAIL "\",\"days\":[2,4],\"times\":[\"evening\"]}");
  g_autoptr(Response) wrong = NULL;
  g_autoptr(Response) unknown = NULL;
  g_autoptr(Response) left = NULL;
  g_autoptr(Response) again = NULL;
  g_autofree char *file = NULL;
  g_autofree char *file_after = NULL;
  g_autofree char *body = NULL;
  JsonObject *root, *entry;
  const char *id, *token;

  g_assert_cmpuint (joined->status, ==, 201);
  assert_no_contacts (g_bytes_get_data (joined->body, NULL));
  root = json_node_get_object (joined->json);
  entry = json_object_get_object_member (root, "waitlist");
  id = json_object_get_string_member (entry, "id");
  token = json_object_get_string_member (root, "token");
  g_assert_cmpuint (strlen (token), >=, 22);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (entry, "days")), ==, 2);
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (entry, "times"), 0), ==, "evening");
  g_assert_true (g_str_has_prefix (json_object_get_string_member (entry, "leaveUrl"), f->base));
  g_assert_nonnull (strstr (json_object_get_string_member (entry, "leaveUrl"), id));

  /* On disk before the answer; the token only as its hash. */
  file = read_file (f);
  g_assert_nonnull (strstr (file, id));
  g_assert_nonnull (strstr (file, EMAIL));
  g_assert_null (strstr (file, token));
  g_assert_cmpuint (okno_waitlist_get_count (get_waitlist (f)), ==, 1);

  body = g_strdup_printf ("{\"id\":\"%s\",\"token\":\"wrong-token-wrong-token\"}", id);
  wrong = okno_test_http_request (f, "POST", "/api/waitlist/leave", body);
  g_assert_cmpuint (wrong->status, ==, 403);
  g_assert_cmpstr (error_code (wrong), ==, "forbidden");
  g_assert_cmpuint (okno_waitlist_get_count (get_waitlist (f)), ==, 1);

  unknown = okno_test_http_request (f, "POST", "/api/waitlist/leave", "{\"id\":\"nobody\",\"token\":\"x\"}");
  g_assert_cmpuint (unknown->status, ==, 404);
  g_assert_cmpstr (error_code (unknown), ==, "not_found");

  g_free (body);
  body = g_strdup_printf ("{\"id\":\"%s\",\"token\":\"%s\"}", id, token);
  left = okno_test_http_request (f, "POST", "/api/waitlist/leave", body);
  g_assert_cmpuint (left->status, ==, 200);
  g_assert_true (json_object_get_boolean_member (json_node_get_object (left->json), "left"));
  g_assert_cmpuint (okno_waitlist_get_count (get_waitlist (f)), ==, 0);
  file_after = read_file (f);
  g_assert_null (strstr (file_after, id));
  g_assert_null (strstr (file_after, EMAIL));

  again = okno_test_http_request (f, "POST", "/api/waitlist/leave", body);
  g_assert_cmpuint (again->status, ==, 404);
}

static void
test_errors (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(Response) not_json = join (f, "{\"name\":");
  g_autoptr(Response) array = join (f, "[1]");
  g_autoptr(Response) no_contact = join (f, "{\"name\":\"Анна\"}");
  g_autoptr(Response) bad_email = join (f, "{\"name\":\"Анна\",\"email\":\"not-an-address\"}");
  g_autoptr(Response) bad_days = join (f, "{\"name\":\"Анна\",\"phone\":\"+79991234567\",\"days\":[0,8]}");
  g_autoptr(Response) bad_times = join (f, "{\"name\":\"Анна\",\"phone\":\"+79991234567\",\"times\":[\"night\"]}");
  g_autoptr(Response) name_number = join (f, "{\"name\":5,\"phone\":\"+79991234567\"}");
  g_autoptr(Response) get = okno_test_http_request (f, "GET", "/api/waitlist", NULL);
  g_autoptr(Response) leave_empty = okno_test_http_request (f, "POST", "/api/waitlist/leave", "{}");
  g_autofree char *file = NULL;

  g_assert_cmpuint (not_json->status, ==, 400);
  g_assert_cmpstr (error_code (not_json), ==, "invalid_json");
  g_assert_cmpuint (array->status, ==, 400);
  g_assert_cmpstr (error_code (array), ==, "invalid_json");

  g_assert_cmpuint (no_contact->status, ==, 400);
  g_assert_cmpstr (error_code (no_contact), ==, "invalid");
  g_assert_true (json_object_has_member (error_fields (no_contact), "contact"));
  g_assert_false (json_object_has_member (error_fields (no_contact), "slotId"));
  g_assert_cmpuint (bad_email->status, ==, 400);
  g_assert_true (json_object_has_member (error_fields (bad_email), "email"));
  g_assert_cmpuint (bad_days->status, ==, 400);
  g_assert_true (json_object_has_member (error_fields (bad_days), "days"));
  g_assert_cmpuint (bad_times->status, ==, 400);
  g_assert_true (json_object_has_member (error_fields (bad_times), "times"));
  g_assert_cmpuint (name_number->status, ==, 400);
  g_assert_true (json_object_has_member (error_fields (name_number), "name"));
  g_assert_cmpuint (get->status, ==, 405);
  g_assert_cmpuint (leave_empty->status, ==, 400);
  g_assert_true (json_object_has_member (error_fields (leave_empty), "id"));
  g_assert_true (json_object_has_member (error_fields (leave_empty), "token"));

  /* Nothing stored. */
  g_assert_cmpuint (okno_waitlist_get_count (get_waitlist (f)), ==, 0);
  file = read_file (f);
  g_assert_null (strstr (file, "Анна"));
}

/* A cancellation opens a time: the one with an email gets an offer, the
 * one with only a phone is listed to Olga; once per opened time. */
static void
test_offer_on_cancel (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(Response) a = join (f, "{\"name\":\"Анна\",\"email\":\"" EMAIL "\"}");
  g_autoptr(Response) b = join (f, "{\"name\":\"Борис\",\"phone\":\"" PHONE "\"}");
  g_autofree char *book = g_strdup_printf ("{\"slotId\":\"%s\",\"name\":\"Вера\",\"email\":\"vera@example.org\"}",
                                           okno_event_get_id (f->slot));
  g_autoptr(Response) booked = NULL;
  g_autoptr(Response) cancelled = NULL;
  g_autoptr(Response) rebooked = NULL;
  g_autoptr(Response) recancelled = NULL;
  g_autoptr(GPtrArray) before = NULL;
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GPtrArray) later = NULL;
  g_autofree char *cancel = NULL;
  g_autofree char *recancel = NULL;
  JsonObject *email_payload = NULL, *olga_payload = NULL;
  const char *email_kind_seen = NULL;

  g_assert_cmpuint (a->status, ==, 201);
  g_assert_cmpuint (b->status, ==, 201);
  booked = okno_test_http_request (f, "POST", "/api/book", book);
  g_assert_cmpuint (booked->status, ==, 201);
  before = wait_offers (f, 0);
  g_assert_cmpuint (before->len, ==, 0);

  cancel = g_strdup_printf ("{\"bookingId\":\"%s\",\"token\":\"%s\"}",
                            json_object_get_string_member (json_object_get_object_member (json_node_get_object (booked->json), "booking"), "id"),
                            json_object_get_string_member (json_node_get_object (booked->json), "cancelToken"));
  g_object_set (okno_profile_get_service (f->instance), "min-cancel-hours", 0, NULL);
  cancelled = okno_test_http_request (f, "POST", "/api/cancel", cancel);
  g_assert_cmpuint (cancelled->status, ==, 200);

  found = wait_offers (f, 2);
  g_assert_cmpuint (found->len, ==, 2);
  for (guint i = 0; i < found->len; i++)
    {
      JsonObject *item = g_ptr_array_index (found, i);
      JsonObject *payload = json_object_get_object_member (item, "payload");

      if (g_str_equal (json_object_get_string_member (item, "kind"), "email"))
        {
          email_payload = payload;
          email_kind_seen = "email";
        }
      else
        {
          g_assert_cmpstr (json_object_get_string_member (item, "kind"), ==, "test");
          olga_payload = payload;
        }
    }
  g_assert_cmpstr (email_kind_seen, ==, "email");
  g_assert_nonnull (olga_payload);

  g_assert_cmpstr (json_object_get_string_member (email_payload, "event"), ==, "waitlist-offer");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (email_payload, "waitlist"), "email"), ==, EMAIL);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (email_payload, "slot"), "id"), ==,
                   okno_event_get_id (f->slot));
  g_assert_true (g_str_has_prefix (json_object_get_string_member (email_payload, "bookUrl"), f->base));
  g_assert_nonnull (strstr (json_object_get_string_member (email_payload, "bookUrl"), okno_event_get_id (f->slot)));

  g_assert_cmpstr (json_object_get_string_member (olga_payload, "event"), ==, "waitlist-contact");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (olga_payload, "waiting")), ==, 1);
  {
    g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
    g_autofree char *text = okno_waitlist_format_contact_message (olga_payload, utc);
    g_autofree char *subject = NULL;
    g_autofree char *mail = NULL;

    g_assert_nonnull (strstr (text, "Борис"));
    g_assert_nonnull (strstr (text, PHONE));
    g_assert_true (okno_waitlist_format_offer (email_payload, okno_schedule_get_time_zone (okno_profile_get_schedule (f->instance)),
                                               &subject, &mail));
    g_assert_nonnull (strstr (mail, "Анна"));
    g_assert_nonnull (strstr (mail, json_object_get_string_member (email_payload, "bookUrl")));
  }

  /* The same time opened again (booked and cancelled once more): nobody is
   * told twice about it. */
  rebooked = okno_test_http_request (f, "POST", "/api/book", book);
  g_assert_cmpuint (rebooked->status, ==, 201);
  recancel = g_strdup_printf ("{\"bookingId\":\"%s\",\"token\":\"%s\"}",
                              json_object_get_string_member (json_object_get_object_member (json_node_get_object (rebooked->json), "booking"), "id"),
                              json_object_get_string_member (json_node_get_object (rebooked->json), "cancelToken"));
  recancelled = okno_test_http_request (f, "POST", "/api/cancel", recancel);
  g_assert_cmpuint (recancelled->status, ==, 200);
  later = wait_offers (f, 3);
  g_assert_cmpuint (later->len, ==, 2);
  /* Not even a second journal line with the same items. */
  {
    g_autofree char *path = g_build_filename (f->dir, "bookings.journal", NULL);
    g_autofree char *journal = NULL;
    guint n = 0;

    g_assert_true (g_file_get_contents (path, &journal, NULL, NULL));
    for (const char *p = journal; (p = strstr (p, "waitlist-offer")); p++)
      n++;
    g_assert_cmpuint (n, ==, 1);
  }
}

/* A booking moved to another time opens its old one (engineer R's
 * reschedule reaches the waitlist through the schedule, as a cancel does). */
static void
test_offer_on_reschedule (Fixture       *f,
                          gconstpointer  data)
{
  g_autofree char *book = g_strdup_printf ("{\"slotId\":\"%s\",\"name\":\"Вера\",\"email\":\"vera@example.org\"}",
                                           okno_event_get_id (f->slot));
  g_autoptr(Response) booked = okno_test_http_request (f, "POST", "/api/book", book);
  g_autoptr(Response) a = join (f, "{\"name\":\"Анна\",\"email\":\"" EMAIL "\"}");
  g_autoptr(Response) moved = NULL;
  g_autoptr(GPtrArray) found = NULL;
  g_autofree char *move = NULL;
  JsonObject *payload;

  g_assert_cmpuint (booked->status, ==, 201);
  g_assert_cmpuint (a->status, ==, 201);
  g_object_set (okno_profile_get_service (f->instance), "min-cancel-hours", 0, NULL);
  move = g_strdup_printf ("{\"bookingId\":\"%s\",\"token\":\"%s\",\"slotId\":\"%s\"}",
                          json_object_get_string_member (json_object_get_object_member (json_node_get_object (booked->json), "booking"), "id"),
                          json_object_get_string_member (json_node_get_object (booked->json), "cancelToken"),
                          okno_event_get_id (f->slot2));
  moved = okno_test_http_request (f, "POST", "/api/reschedule", move);
  g_assert_cmpuint (moved->status, ==, 200);

  found = wait_offers (f, 1);
  g_assert_cmpuint (found->len, ==, 1);
  payload = json_object_get_object_member (g_ptr_array_index (found, 0), "payload");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (payload, "slot"), "id"), ==,
                   okno_event_get_id (f->slot));
}

/* A slot Olga publishes reaches those it suits, and only them. */
static void
test_offer_on_publish (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GTimeZone) moscow = okno_time_zone_new ("Europe/Moscow");
  g_autoptr(GDateTime) now = g_date_time_new_now (moscow);
  g_autoptr(GDateTime) day = g_date_time_add_days (now, 5);
  g_autoptr(GDateTime) start = g_date_time_new (moscow, g_date_time_get_year (day), g_date_time_get_month (day),
                                                g_date_time_get_day_of_month (day), 18, 0, 0);
  int weekday = g_date_time_get_day_of_week (start);
  g_autofree char *suits = g_strdup_printf ("{\"name\":\"Анна\",\"email\":\"" EMAIL "\",\"days\":[%d],\"times\":[\"evening\"]}", weekday);
  g_autofree char *other_day = g_strdup_printf ("{\"name\":\"Галя\",\"email\":\"galya@example.org\",\"days\":[%d]}", weekday % 7 + 1);
  g_autoptr(Response) a = join (f, suits);
  g_autoptr(Response) b = join (f, other_day);
  g_autoptr(Response) c = join (f, "{\"name\":\"Дина\",\"email\":\"dina@example.org\",\"times\":[\"morning\"]}");
  g_autoptr(OknoEvent) slot = NULL;
  g_autoptr(GPtrArray) found = NULL;
  JsonObject *payload;

  g_assert_cmpuint (a->status, ==, 201);
  g_assert_cmpuint (b->status, ==, 201);
  g_assert_cmpuint (c->status, ==, 201);

  slot = okno_test_insert_event (okno_profile_get_calendar (f->instance), "🔓 СЛОТ", start, 40, TRUE);
  found = wait_offers (f, 1);
  g_assert_cmpuint (found->len, ==, 1);
  payload = json_object_get_object_member (g_ptr_array_index (found, 0), "payload");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (payload, "waitlist"), "name"), ==, "Анна");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (payload, "slot"), "id"), ==,
                   okno_event_get_id (slot));
}

/* Booking any slot ends the entries of that client, by a contact written
 * differently. */
static void
test_booked_ends_entry (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(Response) a = join (f, "{\"name\":\"Борис\",\"phone\":\"" PHONE "\"}");
  g_autoptr(Response) other = join (f, "{\"name\":\"Анна\",\"email\":\"" EMAIL "\"}");
  g_autofree char *book = g_strdup_printf ("{\"slotId\":\"%s\",\"name\":\"Борис\",\"phone\":\"+79995551122\"}",
                                           okno_event_get_id (f->slot2));
  g_autoptr(Response) booked = NULL;
  g_autofree char *file = NULL;

  g_assert_cmpuint (okno_waitlist_get_count (get_waitlist (f)), ==, 2);
  booked = okno_test_http_request (f, "POST", "/api/book", book);
  g_assert_cmpuint (booked->status, ==, 201);
  g_assert_cmpuint (okno_waitlist_get_count (get_waitlist (f)), ==, 1);
  okno_test_drain (okno_profile_get_ledger (f->instance));
  okno_test_settle_waitlist (get_waitlist (f));
  file = read_file (f);
  g_assert_null (strstr (file, "5551122"));
  g_assert_null (strstr (file, "555-11-22"));
  g_assert_nonnull (strstr (file, EMAIL));
}

static void
joined_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  JsonObject **out = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;

  *out = okno_waitlist_join_finish (OKNO_WAITLIST (object), result, &token, &error);
  g_assert_no_error (error);
}

/* After 30 days an entry ends by itself (a clock given, not the real one). */
static void
test_expiry (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GDateTime) joined_at = okno_test_time ("2026-12-01T10:00:00Z");
  g_autoptr(GDateTime) day_29 = okno_test_time ("2026-12-30T10:00:00Z");
  g_autoptr(GDateTime) day_30 = okno_test_time ("2026-12-31T10:00:00Z");
  g_autoptr(OknoBookingRequest) contact = okno_booking_request_new ();
  g_autoptr(JsonObject) entry = NULL;
  g_autoptr(GPtrArray) at_29 = NULL;
  g_autoptr(GPtrArray) at_30 = NULL;
  g_autofree char *file = NULL;

  contact->name = g_strdup ("Анна");
  contact->email = g_strdup (EMAIL);
  okno_waitlist_join_async (get_waitlist (f), contact, 0, 0, "http://127.0.0.1", "ru", joined_at, NULL,
                            joined_cb, &entry);
  while (entry == NULL)
    g_main_context_iteration (NULL, TRUE);

  at_29 = okno_waitlist_dup_entries (get_waitlist (f), day_29);
  g_assert_cmpuint (at_29->len, ==, 1);
  g_assert_false (json_object_has_member (g_ptr_array_index (at_29, 0), "tokenHash"));
  g_assert_cmpuint (okno_waitlist_expire (get_waitlist (f), day_29), ==, 0);
  at_30 = okno_waitlist_dup_entries (get_waitlist (f), day_30);
  g_assert_cmpuint (at_30->len, ==, 0);
  g_assert_cmpuint (okno_waitlist_expire (get_waitlist (f), day_30), ==, 1);
  g_assert_cmpuint (okno_waitlist_get_count (get_waitlist (f)), ==, 0);
  okno_test_settle_waitlist (get_waitlist (f));
  file = read_file (f);
  g_assert_null (strstr (file, EMAIL));
}

static SoupMessage *
form_message (Fixture    *f,
              const char *path,
              const char *body)
{
  g_autofree char *url = g_strconcat (f->base, path, NULL);
  g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));
  SoupMessage *msg = soup_message_new ("POST", url);

  soup_message_set_request_body_from_bytes (msg, "application/x-www-form-urlencoded", bytes);
  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
  return msg;
}

/* The no-JS flow: the link, the form, the entry's page, leaving. */
static void
test_pages (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(Response) list = okno_test_http_request (f, "GET", "/?lang=en", NULL);
  g_autoptr(Response) form = okno_test_http_request (f, "GET", "/waitlist?lang=en", NULL);
  g_autoptr(SoupMessage) bad_msg = form_message (f, "/waitlist", "lang=en&name=%D0%90%D0%BD%D0%BD%D0%B0&day2=1");
  g_autoptr(Response) bad = okno_test_http_send (f, bad_msg);
  g_autoptr(SoupMessage) join_msg = form_message (f, "/waitlist",
                                                  "lang=en&name=%D0%90%D0%BD%D0%BD%D0%B0&telegram=%40boris_waits&day2=1&day4=1&evening=1");
  g_autoptr(Response) joined = NULL;
  g_autoptr(Response) entry_page = NULL;
  g_autoptr(Response) wrong_page = NULL;
  g_autoptr(Response) left = NULL;
  g_autoptr(Response) left_page = NULL;
  g_autoptr(SoupMessage) leave_msg = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *leave_body = NULL;
  g_autofree char *wrong_path = NULL;
  const char *location;
  const char *token;
  JsonObject *entry;

  g_assert_cmpuint (list->status, ==, 200);
  g_assert_nonnull (strstr (g_bytes_get_data (list->body, NULL), "href=\"/waitlist?lang=en\""));
  g_assert_cmpuint (form->status, ==, 200);
  g_assert_nonnull (strstr (g_bytes_get_data (form->body, NULL), "action=\"/waitlist\""));

  /* No contact: the form again, 400, what was typed kept. */
  g_assert_cmpuint (bad->status, ==, 400);
  g_assert_nonnull (strstr (g_bytes_get_data (bad->body, NULL), "id=\"e-contact\""));
  g_assert_nonnull (strstr (g_bytes_get_data (bad->body, NULL), "name=\"day2\" value=\"1\" checked"));
  g_assert_cmpuint (okno_waitlist_get_count (get_waitlist (f)), ==, 0);

  joined = okno_test_http_send (f, join_msg);
  g_assert_cmpuint (joined->status, ==, 303);
  location = soup_message_headers_get_one (joined->headers, "Location");
  if (g_str_has_prefix (location, f->base))
    location += strlen (f->base);
  g_assert_true (g_str_has_prefix (location, "/waitlist/"));
  entries = okno_waitlist_dup_entries (get_waitlist (f), now);
  g_assert_cmpuint (entries->len, ==, 1);
  entry = g_ptr_array_index (entries, 0);
  g_assert_cmpstr (json_object_get_string_member (entry, "telegram"), ==, TELEGRAM);
  g_assert_cmpuint (okno_waitlist_days_from_json (entry), ==, (1u << 2) | (1u << 4));
  g_assert_cmpuint (okno_waitlist_times_from_json (entry), ==, OKNO_WAITLIST_EVENING);

  entry_page = okno_test_http_request (f, "GET", location, NULL);
  g_assert_cmpuint (entry_page->status, ==, 200);
  g_assert_nonnull (strstr (g_bytes_get_data (entry_page->body, NULL), "Stop waiting"));
  g_assert_nonnull (strstr (g_bytes_get_data (entry_page->body, NULL), "Tuesday"));
  assert_no_contacts (g_bytes_get_data (entry_page->body, NULL));

  wrong_path = g_strdup_printf ("/waitlist/%s?token=nope&lang=en", json_object_get_string_member (entry, "id"));
  wrong_page = okno_test_http_request (f, "GET", wrong_path, NULL);
  g_assert_cmpuint (wrong_page->status, ==, 403);

  token = strstr (location, "token=") + 6;
  leave_body = g_strdup_printf ("lang=en&id=%s&token=%.*s", json_object_get_string_member (entry, "id"),
                                (int) strcspn (token, "&"), token);
  leave_msg = form_message (f, "/waitlist/leave", leave_body);
  left = okno_test_http_send (f, leave_msg);
  g_assert_cmpuint (left->status, ==, 303);
  g_assert_true (g_str_has_suffix (soup_message_headers_get_one (left->headers, "Location"), "/waitlist/left?lang=en"));
  g_assert_cmpuint (okno_waitlist_get_count (get_waitlist (f)), ==, 0);
  left_page = okno_test_http_request (f, "GET", "/waitlist/left?lang=en", NULL);
  g_assert_cmpuint (left_page->status, ==, 200);
}

/* No page and no public answer shows a waiting client's contact. */
static void
test_no_contact_leaks (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(Response) a = join (f, "{\"name\":\"Анна\",\"email\":\"" EMAIL "\",\"phone\":\"" PHONE "\",\"telegram\":\"" TELEGRAM "\"}");
  const char *id = json_object_get_string_member (json_object_get_object_member (json_node_get_object (a->json), "waitlist"), "id");
  const char *token = json_object_get_string_member (json_node_get_object (a->json), "token");
  g_autofree char *entry_path = g_strdup_printf ("/waitlist/%s?token=%s", id, token);
  const char *paths[] = { "/", "/?lang=en", "/waitlist", "/api/slots", "/api/status", entry_path, "/waitlist/left",
                          "/book?slot=nope" };

  g_assert_cmpuint (a->status, ==, 201);
  assert_no_contacts (g_bytes_get_data (a->body, NULL));
  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autoptr(Response) r = okno_test_http_request (f, "GET", paths[i], NULL);

      g_assert_cmpuint (r->status, <, 500);
      assert_no_contacts (g_bytes_get_data (r->body, NULL));
    }
}

/* What was acknowledged is found again by a new process; a damaged file
 * is set aside, not trusted. */
static void
test_survives_restart (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(Response) a = join (f, "{\"name\":\"Анна\",\"email\":\"" EMAIL "\",\"days\":[5]}");
  const char *id = json_object_get_string_member (json_object_get_object_member (json_node_get_object (a->json), "waitlist"), "id");
  g_autofree char *path = g_build_filename (f->dir, "waitlist.json", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(OknoWaitlist) reopened = NULL;
  g_autoptr(OknoWaitlist) damaged = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDir) dir = NULL;
  const char *name;
  gboolean kept = FALSE;

  g_assert_cmpuint (a->status, ==, 201);
  /* A second reader of the same folder, as after a kill -9 and restart. */
  reopened = okno_waitlist_new (okno_profile_get_service (f->instance), f->dir, &error);
  g_assert_no_error (error);
  entries = okno_waitlist_dup_entries (reopened, now);
  g_assert_cmpuint (entries->len, ==, 1);
  g_assert_cmpstr (json_object_get_string_member (g_ptr_array_index (entries, 0), "id"), ==, id);
  g_assert_cmpuint (okno_waitlist_days_from_json (g_ptr_array_index (entries, 0)), ==, 1u << 5);
  g_clear_object (&reopened);

  g_assert_true (g_file_set_contents (path, "{\"version\":1,\"entries\":[{\"id\":", -1, NULL));
  damaged = okno_waitlist_new (okno_profile_get_service (f->instance), f->dir, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (okno_waitlist_get_count (damaged), ==, 0);
  dir = g_dir_open (f->dir, 0, NULL);
  while ((name = g_dir_read_name (dir)))
    if (g_str_has_prefix (name, "waitlist.json") && !g_str_equal (name, "waitlist.json"))
      kept = TRUE;
  g_assert_true (kept);
  g_clear_object (&damaged);

  g_assert_true (g_file_set_contents (path, "{\"version\":99,\"entries\":[]}", -1, NULL));
  g_assert_null (okno_waitlist_new (okno_profile_get_service (f->instance), f->dir, &error));
  g_assert_error (error, OKNO_DATA_ERROR, OKNO_DATA_ERROR_SCHEMA);
  /* The live one still writes its own state back at the end. */
  g_assert_true (g_file_set_contents (path, "{\"version\":1,\"entries\":[]}", -1, NULL));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, set_up, func, okno_test_http_tear_down)

  g_test_add_func ("/okno/waitlist/match", test_match);
  ADD ("/okno/waitlist/join-and-leave", test_join_and_leave);
  ADD ("/okno/waitlist/errors", test_errors);
  ADD ("/okno/waitlist/offer-on-cancel", test_offer_on_cancel);
  ADD ("/okno/waitlist/offer-on-reschedule", test_offer_on_reschedule);
  ADD ("/okno/waitlist/offer-on-publish", test_offer_on_publish);
  ADD ("/okno/waitlist/booked-ends-entry", test_booked_ends_entry);
  ADD ("/okno/waitlist/expiry", test_expiry);
  ADD ("/okno/waitlist/pages", test_pages);
  ADD ("/okno/waitlist/no-contact-leaks", test_no_contact_leaks);
  ADD ("/okno/waitlist/survives-restart", test_survives_restart);

  return g_test_run ();
}
