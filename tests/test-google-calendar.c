/* test-google-calendar.c: the Google backend against the fake Google.
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs inside tests/run-with-keyring.sh; FAKE_GOOGLE names the fake's
 * program. Each test starts its own fake and signs in through it, the test
 * playing the browser.
 */

#include "config.h"

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "okno-errors.h"
#include "okno-google-calendar.h"
#include "okno-test-utils.h"
#include "okno-time.h"

#define DEADLINE_USEC (60 * G_USEC_PER_SEC)

typedef struct
{
  char            *dir;
  GSubprocess     *fake;
  char            *base;
  SoupSession     *session;
  OknoGoogleAuth  *auth;
  OknoGoogleCache *cache;
  OknoGoogleCalendar *calendar;
} Fixture;

/* Iterates the main context until *@flag is set (generous deadline). */
static void
wait_flag (gboolean *flag)
{
  gint64 deadline = g_get_monotonic_time () + DEADLINE_USEC;

  while (!*flag && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (*flag);
}

static GBytes *
fake_call (Fixture    *f,
           const char *method,
           const char *path,
           const char *json)
{
  g_autofree char *uri = g_strconcat (f->base, path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, uri);
  g_autoptr(GError) error = NULL;
  GBytes *bytes;

  if (json)
    {
      g_autoptr(GBytes) body = g_bytes_new (json, strlen (json));
      soup_message_set_request_body_from_bytes (msg, "application/json", body);
    }
  /* The fake is another process: a blocking call is fine here. */
  bytes = soup_session_send_and_read (f->session, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), <, 300);
  return bytes;
}

static JsonNode *
fake_json (Fixture    *f,
           const char *path)
{
  g_autoptr(GBytes) bytes = fake_call (f, "GET", path, NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();

  g_assert_true (json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), NULL));
  return json_node_ref (json_parser_get_root (parser));
}

static void
fake_post (Fixture    *f,
           const char *path,
           const char *json)
{
  g_autoptr(GBytes) bytes = fake_call (f, "POST", path, json);
}

/* The API requests the fake saw since the log was cleared, as
 * "METHOD path?query status" lines. */
static GPtrArray *
fake_log (Fixture *f)
{
  g_autoptr(JsonNode) root = fake_json (f, "/_fake/log");
  JsonArray *log = json_node_get_array (root);
  GPtrArray *lines = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < json_array_get_length (log); i++)
    {
      JsonObject *e = json_array_get_object_element (log, i);
      g_ptr_array_add (lines, g_strdup_printf ("%s %s?%s %" G_GINT64_FORMAT,
                                               json_object_get_string_member (e, "method"),
                                               json_object_get_string_member (e, "path"),
                                               json_object_get_string_member (e, "query"),
                                               json_object_get_int_member (e, "status")));
    }
  return lines;
}

static void
clear_log (Fixture *f)
{
  g_autoptr(GBytes) bytes = fake_call (f, "DELETE", "/_fake/log", NULL);
}

static guint
count_matching (GPtrArray  *lines,
                const char *needle)
{
  guint n = 0;

  for (guint i = 0; i < lines->len; i++)
    if (strstr (g_ptr_array_index (lines, i), needle))
      n++;
  return n;
}

/* The fake's store: the event with @id, or NULL; *n_live counts events
 * not cancelled. */
static JsonObject *
fake_event (Fixture    *f,
            const char *id,
            guint      *n_live)
{
  g_autoptr(JsonNode) root = fake_json (f, "/_fake/events?calendarId=primary");
  JsonArray *events = json_node_get_array (root);
  JsonObject *found = NULL;

  if (n_live)
    *n_live = 0;
  for (guint i = 0; i < json_array_get_length (events); i++)
    {
      JsonObject *e = json_array_get_object_element (events, i);

      if (n_live && g_strcmp0 (json_object_get_string_member (e, "status"), "cancelled") != 0)
        (*n_live)++;
      if (id && g_str_equal (json_object_get_string_member (e, "id"), id))
        found = json_object_ref (e);
    }
  return found;
}

static void
connected_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  okno_google_auth_connect_finish (OKNO_GOOGLE_AUTH (object), result, &error);
  g_assert_no_error (error);
  *(gboolean *) user_data = TRUE;
}

static void
browsed_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GBytes) bytes = soup_session_send_and_read_finish (SOUP_SESSION (object), result, NULL);

  *(gboolean *) user_data = TRUE;
}

/* Signs in: the test opens the authorization URL like a browser would,
 * and follows the fake's redirect to the loopback server. */
static void
sign_in (Fixture *f)
{
  g_autoptr(SoupMessage) consent = NULL;
  g_autoptr(SoupMessage) back = NULL;
  g_autoptr(GBytes) page = NULL;
  g_autoptr(GError) error = NULL;
  gboolean connected = FALSE, browsed = FALSE;
  const char *location;

  okno_google_auth_connect_async (f->auth, 0, NULL, connected_cb, &connected);
  g_assert_nonnull (okno_google_auth_get_authorization_uri (f->auth));

  consent = soup_message_new ("GET", okno_google_auth_get_authorization_uri (f->auth));
  soup_message_add_flags (consent, SOUP_MESSAGE_NO_REDIRECT);
  page = soup_session_send_and_read (f->session, consent, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (consent), ==, 302);
  location = soup_message_headers_get_one (soup_message_get_response_headers (consent), "Location");
  g_assert_nonnull (location);

  /* The loopback server lives in this process: ask it asynchronously. */
  back = soup_message_new ("GET", location);
  soup_session_send_and_read_async (f->session, back, G_PRIORITY_DEFAULT, NULL, browsed_cb, &browsed);
  wait_flag (&browsed);
  wait_flag (&connected);
  g_assert_true (okno_google_auth_is_connected (f->auth));
}

static void
seed (Fixture    *f,
      const char *events_json)
{
  g_autofree char *json = g_strdup_printf ("{\"calendars\":[{\"id\":\"olga@example.com\",\"summary\":\"Olga\","
                                           "\"primary\":true,\"selected\":true}],"
                                           "\"events\":{\"olga@example.com\":%s}}", events_json);
  fake_post (f, "/_fake/seed", json);
}

/* A timed event @days from now at @hour, as JSON. */
static char *
event_json (const char *id,
            const char *summary,
            int         days,
            int         hour,
            const char *extra)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) day = g_date_time_add_days (now, days);
  g_autoptr(GDateTime) start = g_date_time_new_local (g_date_time_get_year (day), g_date_time_get_month (day),
                                                      g_date_time_get_day_of_month (day), hour, 0, 0);
  g_autoptr(GDateTime) end = g_date_time_add_minutes (start, 50);
  g_autofree char *a = okno_time_format_rfc3339 (start, NULL);
  g_autofree char *b = okno_time_format_rfc3339 (end, NULL);

  return g_strdup_printf ("{\"id\":\"%s\",\"summary\":\"%s\",\"start\":{\"dateTime\":\"%s\"},"
                          "\"end\":{\"dateTime\":\"%s\"}%s%s}", id, summary, a, b,
                          extra ? "," : "", extra ? extra : "");
}

static void
refreshed_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  GError **error = user_data;

  okno_calendar_refresh_finish (OKNO_CALENDAR (object), result, error);
  if (*error == NULL)
    *error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_EXISTS, "ok");
}

/* Syncs now; returns the error or NULL. */
static GError *
refresh (Fixture *f)
{
  GError *error = NULL;
  gint64 deadline = g_get_monotonic_time () + DEADLINE_USEC;

  okno_calendar_refresh_async (OKNO_CALENDAR (f->calendar), NULL, refreshed_cb, &error);
  while (error == NULL && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_nonnull (error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_EXISTS))
    g_clear_error (&error);
  return error;
}

static guint
count_events (Fixture *f)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) from = g_date_time_add_days (now, -30);
  g_autoptr(GDateTime) to = g_date_time_add_days (now, 120);
  g_autoptr(GPtrArray) events = okno_calendar_list_events (OKNO_CALENDAR (f->calendar), from, to);

  return events->len;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  const char *argv[] = { g_getenv ("FAKE_GOOGLE"), "--quiet", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autofree char *line = NULL;

  g_assert_nonnull (argv[0]);
  f->dir = okno_test_make_dir ();
  f->fake = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (f->fake));
  line = g_data_input_stream_read_line (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (line, "http://127.0.0.1:"));
  f->base = g_strdup (line);

  g_setenv ("OKNO_GOOGLE_CLIENT_ID", "fake-client-id", TRUE);
  g_setenv ("OKNO_GOOGLE_CLIENT_SECRET", "fake-client-secret", TRUE);
  {
    g_autofree char *auth_url = g_strconcat (f->base, "/o/oauth2/v2/auth", NULL);
    g_autofree char *token_url = g_strconcat (f->base, "/token", NULL);
    g_autofree char *calendar_url = g_strconcat (f->base, "/calendar/v3", NULL);

    g_setenv ("OKNO_GOOGLE_AUTH_URL", auth_url, TRUE);
    g_setenv ("OKNO_GOOGLE_TOKEN_URL", token_url, TRUE);
    g_setenv ("OKNO_GOOGLE_CALENDAR_URL", calendar_url, TRUE);
  }

  f->session = soup_session_new ();
  seed (f, "[]");
  f->auth = okno_google_auth_new (f->dir);
  sign_in (f);
  f->cache = okno_google_cache_new (f->dir, &error);
  g_assert_no_error (error);
  f->calendar = okno_google_calendar_new (f->auth, f->cache, "primary");
  okno_google_calendar_set_poll_seconds (f->calendar, 0);
  _okno_google_calendar_set_backoff (f->calendar, 5, 50, 8);
}

static void
wait_cache_saved (Fixture *f)
{
  gint64 deadline = g_get_monotonic_time () + DEADLINE_USEC;

  while (okno_google_cache_is_saving (f->cache) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (okno_google_cache_is_saving (f->cache));
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  wait_cache_saved (f);
  g_clear_object (&f->calendar);
  g_clear_object (&f->cache);
  g_clear_object (&f->auth);
  g_clear_object (&f->session);
  g_subprocess_send_signal (f->fake, SIGTERM);
  g_subprocess_wait (f->fake, NULL, NULL);
  g_clear_object (&f->fake);
  okno_test_remove_dir (f->dir);
  g_free (f->dir);
  g_free (f->base);
}

static void
test_full_and_incremental (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GPtrArray) log = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) events = g_string_new ("[");
  g_autofree char *added = NULL;

  for (int i = 0; i < 5; i++)
    {
      g_autofree char *id = g_strdup_printf ("seed%05d", i);
      g_autofree char *e = event_json (id, "Busy", 1 + i, 10, NULL);
      g_string_append_printf (events, "%s%s", i ? "," : "", e);
    }
  g_string_append (events, "]");
  seed (f, events->str);
  _okno_google_calendar_set_page_size (f->calendar, 2);

  clear_log (f);
  error = refresh (f);
  g_assert_no_error (error);
  g_assert_cmpuint (count_events (f), ==, 5);
  g_assert_cmpint (okno_calendar_get_state (OKNO_CALENDAR (f->calendar)), ==, OKNO_CALENDAR_STATE_SYNCED);
  g_assert_nonnull (okno_calendar_get_last_sync (OKNO_CALENDAR (f->calendar)));

  log = fake_log (f);
  g_assert_cmpuint (log->len, ==, 3);   /* 5 events, pages of 2 */
  g_assert_cmpuint (count_matching (log, "singleEvents=true"), ==, 3);
  g_assert_cmpuint (count_matching (log, "timeMin="), ==, 3);
  g_assert_cmpuint (count_matching (log, "pageToken="), ==, 2);
  g_assert_cmpuint (count_matching (log, "orderBy"), ==, 0);
  g_clear_pointer (&log, g_ptr_array_unref);

  /* Olga adds three events and deletes one in Google. */
  for (int i = 0; i < 3; i++)
    {
      g_autofree char *id = g_strdup_printf ("olga%05d", i);
      g_autofree char *e = event_json (id, "Dentist", 2, 14 + i, NULL);
      g_autofree char *body = g_strdup_printf ("{\"insert\":%s}", e);
      fake_post (f, "/_fake/events", body);
    }
  fake_post (f, "/_fake/events", "{\"delete\":\"seed00002\"}");

  clear_log (f);
  error = refresh (f);
  g_assert_no_error (error);
  g_assert_cmpuint (count_events (f), ==, 7);
  g_assert_null (okno_calendar_lookup_event (OKNO_CALENDAR (f->calendar), "seed00002"));
  g_assert_nonnull (okno_calendar_lookup_event (OKNO_CALENDAR (f->calendar), "olga00001"));
  log = fake_log (f);
  g_assert_cmpuint (log->len, ==, 2);   /* 4 changes, pages of 2 */
  g_assert_cmpuint (count_matching (log, "syncToken="), ==, 2);
  g_assert_cmpuint (count_matching (log, "timeMin"), ==, 0);
  g_clear_pointer (&log, g_ptr_array_unref);

  /* An idle poll is exactly one request. */
  clear_log (f);
  error = refresh (f);
  g_assert_no_error (error);
  log = fake_log (f);
  g_assert_cmpuint (log->len, ==, 1);
  g_assert_cmpuint (count_matching (log, "syncToken="), ==, 1);
  added = g_strdup (g_ptr_array_index (log, 0));
  g_assert_nonnull (strstr (added, " 200"));
}

static void
test_gone_resyncs (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *e1 = event_json ("aaaaa00001", "Busy", 1, 10, NULL);
  g_autofree char *events = g_strdup_printf ("[%s]", e1);
  g_autofree char *e2 = event_json ("aaaaa00002", "Later", 3, 10, NULL);
  g_autofree char *body = g_strdup_printf ("{\"insert\":%s}", e2);
  g_autoptr(GPtrArray) log = NULL;
  g_autoptr(GError) error = NULL;

  seed (f, events);
  error = refresh (f);
  g_assert_no_error (error);
  g_assert_cmpuint (count_events (f), ==, 1);

  fake_post (f, "/_fake/events", body);
  fake_post (f, "/_fake/expire-sync-tokens", "{}");
  clear_log (f);
  error = refresh (f);
  g_assert_no_error (error);
  g_assert_cmpuint (count_events (f), ==, 2);
  log = fake_log (f);
  g_assert_cmpuint (log->len, ==, 2);
  g_assert_nonnull (strstr (g_ptr_array_index (log, 0), "syncToken="));
  g_assert_nonnull (strstr (g_ptr_array_index (log, 0), " 410"));
  g_assert_nonnull (strstr (g_ptr_array_index (log, 1), "timeMin="));
  g_assert_cmpint (okno_calendar_get_state (OKNO_CALENDAR (f->calendar)), ==, OKNO_CALENDAR_STATE_SYNCED);
}

static void
test_cache_serves_offline (Fixture       *f,
                           gconstpointer  data)
{
  g_autofree char *e1 = event_json ("bbbbb00001", "Busy", 1, 10, NULL);
  g_autofree char *events = g_strdup_printf ("[%s]", e1);
  g_autoptr(GError) error = NULL;
  g_autoptr(OknoGoogleCache) cache = NULL;
  g_autoptr(OknoGoogleCalendar) again = NULL;
  g_autoptr(GPtrArray) log = NULL;

  seed (f, events);
  error = refresh (f);
  g_assert_no_error (error);
  wait_cache_saved (f);

  /* A second start reads the cache without asking Google anything. */
  clear_log (f);
  cache = okno_google_cache_new (f->dir, &error);
  g_assert_no_error (error);
  again = okno_google_calendar_new (f->auth, cache, "primary");
  g_assert_nonnull (okno_calendar_lookup_event (OKNO_CALENDAR (again), "bbbbb00001"));
  g_assert_nonnull (okno_calendar_get_last_sync (OKNO_CALENDAR (again)));
  log = fake_log (f);
  g_assert_cmpuint (log->len, ==, 0);

  /* Google unreachable: the sync fails, the copy keeps serving. */
  fake_post (f, "/_fake/faults", "{\"drop\":true,\"count\":0}");
  error = refresh (f);
  g_assert_error (error, OKNO_CALENDAR_ERROR, OKNO_CALENDAR_ERROR_OFFLINE);
  g_assert_cmpint (okno_calendar_get_state (OKNO_CALENDAR (f->calendar)), ==, OKNO_CALENDAR_STATE_OFFLINE);
  g_assert_nonnull (okno_google_calendar_get_offline_since (f->calendar));
  g_assert_cmpuint (count_events (f), ==, 1);
  g_assert_cmpstr (okno_calendar_get_state_name (OKNO_CALENDAR (f->calendar)), ==, "offline");
}

/* A full sync over several pages builds its events apart (pages are read
 * in a worker thread) and swaps them in at the end: until then reads see
 * the last complete state, afterwards exactly the fake's events. */
static void
test_full_sync_swaps_at_end (Fixture       *f,
                             gconstpointer  data)
{
  g_autofree char *old = event_json ("ccccc00000", "Old", 1, 9, NULL);
  g_autofree char *events = g_strdup_printf ("[%s]", old);
  g_autoptr(GPtrArray) log = NULL;
  g_autoptr(GPtrArray) listed = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) from = g_date_time_add_days (now, -30);
  g_autoptr(GDateTime) to = g_date_time_add_days (now, 120);
  GError *error = NULL;
  gint64 deadline = g_get_monotonic_time () + DEADLINE_USEC;
  guint seen_syncing = 0;

  seed (f, events);
  error = refresh (f);
  g_assert_no_error (error);
  g_assert_cmpuint (count_events (f), ==, 1);

  for (int i = 1; i <= 9; i++)
    {
      g_autofree char *id = g_strdup_printf ("ccccc%05d", i);
      g_autofree char *e = event_json (id, "New", 1 + i % 4, 10 + i, NULL);
      g_autofree char *body = g_strdup_printf ("{\"insert\":%s}", e);
      fake_post (f, "/_fake/events", body);
    }
  fake_post (f, "/_fake/events", "{\"delete\":\"ccccc00000\"}");
  fake_post (f, "/_fake/expire-sync-tokens", "{}");
  _okno_google_calendar_set_page_size (f->calendar, 2);

  clear_log (f);
  okno_calendar_refresh_async (OKNO_CALENDAR (f->calendar), NULL, refreshed_cb, &error);
  while (error == NULL && g_get_monotonic_time () < deadline)
    {
      g_main_context_iteration (NULL, TRUE);
      if (okno_calendar_get_state (OKNO_CALENDAR (f->calendar)) == OKNO_CALENDAR_STATE_SYNCING)
        {
          /* Pages are coming: still the state before this sync. */
          seen_syncing++;
          g_assert_cmpuint (count_events (f), ==, 1);
          g_assert_nonnull (okno_calendar_lookup_event (OKNO_CALENDAR (f->calendar), "ccccc00000"));
        }
    }
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS);
  g_clear_error (&error);
  g_assert_cmpuint (seen_syncing, >, 0);
  g_assert_cmpint (okno_calendar_get_state (OKNO_CALENDAR (f->calendar)), ==, OKNO_CALENDAR_STATE_SYNCED);

  log = fake_log (f);
  g_assert_cmpuint (log->len, ==, 6);   /* the 410, then 9 events in pages of 2 */
  g_assert_cmpuint (count_matching (log, " 410"), ==, 1);
  g_assert_cmpuint (count_matching (log, "pageToken="), ==, 4);

  listed = okno_calendar_list_events (OKNO_CALENDAR (f->calendar), from, to);
  g_assert_cmpuint (listed->len, ==, 9);
  for (guint i = 0; i < listed->len; i++)
    {
      OknoEvent *event = g_ptr_array_index (listed, i);
      g_autoptr(JsonObject) stored = fake_event (f, okno_event_get_id (event), NULL);

      g_assert_nonnull (stored);
      g_assert_cmpstr (okno_event_get_summary (event), ==, "New");
      g_assert_cmpstr (okno_event_get_etag (event), ==, json_object_get_string_member (stored, "etag"));
      if (i > 0)
        g_assert_cmpint (okno_event_compare (&g_ptr_array_index (listed, i - 1), &g_ptr_array_index (listed, i)), <, 0);
    }
  g_assert_null (okno_calendar_lookup_event (OKNO_CALENDAR (f->calendar), "ccccc00000"));
}

static char *
event_text (OknoEvent *event)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), okno_event_to_json (event));

  json_object_unref (json_node_get_object (node));
  return json_to_string (node, FALSE);
}

/* The cache file (written event by event in a thread) holds every field
 * Okno reads, and a fresh start from it has the very same events. */
static void
test_cache_round_trip (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *slot = event_json ("ddddd00001", "🔓 СЛОТ: Консультация", 1, 10,
                                      "\"extendedProperties\":{\"private\":{\"okno\":\"slot\",\"sessionType\":\"x\"}}");
  g_autofree char *free_time = event_json ("ddddd00002", "Свободно \\\"в кавычках\\\"", 2, 10,
                                           "\"transparency\":\"transparent\",\"description\":\"две\\nстроки\"");
  g_autofree char *declined = event_json ("ddddd00003", "Declined", 3, 10,
                                          "\"attendees\":[{\"email\":\"olga@example.com\",\"self\":true,"
                                          "\"responseStatus\":\"declined\"}]");
  g_autofree char *away = event_json ("ddddd00004", "Away", 4, 10, "\"eventType\":\"outOfOffice\"");
  g_autoptr(GDateTime) today = g_date_time_new_now_local ();
  g_autoptr(GDateTime) day = g_date_time_add_days (today, 5);
  g_autoptr(GDateTime) next = g_date_time_add_days (today, 6);
  g_autofree char *d1 = g_date_time_format (day, "%Y-%m-%d");
  g_autofree char *d2 = g_date_time_format (next, "%Y-%m-%d");
  g_autofree char *events = g_strdup_printf ("[%s,%s,%s,%s,{\"id\":\"ddddd00005\",\"summary\":\"All day\","
                                             "\"start\":{\"date\":\"%s\"},\"end\":{\"date\":\"%s\"}}]",
                                             slot, free_time, declined, away, d1, d2);
  g_autofree char *path = g_build_filename (f->dir, "google-cache.json", NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(OknoGoogleCache) cache = NULL;
  g_autoptr(OknoGoogleCalendar) again = NULL;
  g_autoptr(GPtrArray) before = NULL;
  g_autoptr(GPtrArray) after = NULL;
  g_autoptr(GDateTime) from = g_date_time_new_utc (2000, 1, 1, 0, 0, 0);
  g_autoptr(GDateTime) to = g_date_time_new_utc (2100, 1, 1, 0, 0, 0);
  JsonObject *root, *state;

  seed (f, events);
  error = refresh (f);
  g_assert_no_error (error);
  wait_cache_saved (f);
  g_assert_true (okno_event_is_transparent (okno_calendar_lookup_event (OKNO_CALENDAR (f->calendar), "ddddd00003")));

  g_assert_true (json_parser_load_from_file (parser, path, &error));
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpint (json_object_get_int_member (root, "version"), ==, 1);
  state = json_object_get_object_member (json_object_get_object_member (root, "calendars"), "primary");
  g_assert_nonnull (state);
  g_assert_nonnull (json_object_get_string_member_with_default (state, "syncToken", NULL));
  g_assert_nonnull (json_object_get_string_member_with_default (state, "lastSync", NULL));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (state, "events")), ==, 5);

  cache = okno_google_cache_new (f->dir, &error);
  g_assert_no_error (error);
  again = okno_google_calendar_new (f->auth, cache, "primary");
  before = okno_calendar_list_events (OKNO_CALENDAR (f->calendar), from, to);
  after = okno_calendar_list_events (OKNO_CALENDAR (again), from, to);
  g_assert_cmpuint (before->len, ==, 5);
  g_assert_cmpuint (after->len, ==, before->len);
  for (guint i = 0; i < before->len; i++)
    {
      g_autofree char *a = event_text (g_ptr_array_index (before, i));
      g_autofree char *b = event_text (g_ptr_array_index (after, i));

      g_assert_cmpstr (b, ==, a);
    }
  g_assert_cmpstr (okno_event_get_private (okno_calendar_lookup_event (OKNO_CALENDAR (again), "ddddd00001"), "okno"),
                   ==, "slot");
  g_assert_true (okno_event_is_all_day (okno_calendar_lookup_event (OKNO_CALENDAR (again), "ddddd00005")));

  /* The token came along: the next poll is incremental, one request. */
  clear_log (f);
  okno_google_calendar_set_poll_seconds (again, 0);
  {
    g_autoptr(OknoGoogleCalendar) keep = g_steal_pointer (&f->calendar);
    g_autoptr(GPtrArray) log = NULL;

    f->calendar = g_object_ref (again);
    error = refresh (f);
    g_assert_no_error (error);
    log = fake_log (f);
    g_assert_cmpuint (log->len, ==, 1);
    g_assert_cmpuint (count_matching (log, "syncToken="), ==, 1);
    g_clear_object (&f->calendar);
    f->calendar = g_steal_pointer (&keep);
  }
}

static void
test_reconnect (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *e1 = event_json ("ccccc00001", "Busy", 1, 10, NULL);
  g_autofree char *events = g_strdup_printf ("[%s]", e1);
  g_autoptr(GError) error = NULL;

  seed (f, events);
  error = refresh (f);
  g_assert_no_error (error);

  fake_post (f, "/_fake/tokens", "{\"expireAccess\":true,\"revokeRefresh\":true}");
  error = refresh (f);
  g_assert_error (error, OKNO_CALENDAR_ERROR, OKNO_CALENDAR_ERROR_AUTH);
  g_assert_cmpstr (okno_calendar_get_state_name (OKNO_CALENDAR (f->calendar)), ==, "reconnect");
  g_assert_true (okno_google_auth_needs_reconnect (f->auth));
  g_assert_cmpuint (count_events (f), ==, 1);
}

typedef struct
{
  gboolean   done;
  OknoEvent *event;
  GError    *error;
} WriteResult;

static void
inserted_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  WriteResult *r = user_data;

  r->event = okno_calendar_insert_event_finish (OKNO_CALENDAR (object), result, &r->error);
  r->done = TRUE;
}

static void
updated_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  WriteResult *r = user_data;

  r->event = okno_calendar_update_event_finish (OKNO_CALENDAR (object), result, &r->error);
  r->done = TRUE;
}

static void
deleted_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  WriteResult *r = user_data;

  okno_calendar_delete_event_finish (OKNO_CALENDAR (object), result, &r->error);
  r->done = TRUE;
}

static void
result_clear (WriteResult *r)
{
  g_clear_object (&r->event);
  g_clear_error (&r->error);
  r->done = FALSE;
}

static OknoEvent *
new_slot (const char *id,
          int         days)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) day = g_date_time_add_days (now, days);
  g_autoptr(GDateTime) start = g_date_time_new_local (g_date_time_get_year (day), g_date_time_get_month (day),
                                                      g_date_time_get_day_of_month (day), 17, 30, 0);
  g_autoptr(GDateTime) end = g_date_time_add_minutes (start, 40);
  OknoEvent *event = okno_event_new (id, "🔓 СЛОТ: Консультация", start, end);

  okno_event_set_private (event, "okno", "slot");
  return event;
}

static void
test_insert_is_idempotent (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(OknoEvent) slot = new_slot ("okno0000insert1", 2);
  g_autoptr(JsonObject) stored = NULL;
  g_autoptr(GPtrArray) log = NULL;
  WriteResult r = { 0 };
  guint live = 0;

  g_assert_null (refresh (f));

  /* The first POST arrives but its answer is lost; then two 503s. */
  fake_post (f, "/_fake/faults", "{\"faults\":[{\"path\":\"/events\",\"method\":\"POST\",\"dropAfter\":true,\"count\":1}]}");
  clear_log (f);
  okno_calendar_insert_event_async (OKNO_CALENDAR (f->calendar), slot, NULL, inserted_cb, &r);
  g_assert_cmpuint (okno_google_calendar_get_pending (f->calendar), ==, 1);
  wait_flag (&r.done);
  g_assert_no_error (r.error);
  g_assert_cmpstr (okno_event_get_id (r.event), ==, "okno0000insert1");
  g_assert_nonnull (okno_event_get_etag (r.event));
  g_assert_cmpuint (okno_google_calendar_get_pending (f->calendar), ==, 0);

  stored = fake_event (f, "okno0000insert1", &live);
  g_assert_nonnull (stored);
  g_assert_cmpuint (live, ==, 1);
  g_assert_cmpstr (json_object_get_string_member (stored, "summary"), ==, "🔓 СЛОТ: Консультация");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (
                     json_object_get_object_member (stored, "extendedProperties"), "private"), "okno"), ==, "slot");
  log = fake_log (f);
  g_assert_cmpuint (count_matching (log, "POST"), ==, 2);
  g_assert_cmpuint (count_matching (log, "POST /calendar/v3/calendars/primary/events?sendUpdates=none 409"), ==, 1);
  g_assert_nonnull (okno_calendar_lookup_event (OKNO_CALENDAR (f->calendar), "okno0000insert1"));
  result_clear (&r);

  /* A first insert of an id that exists is a conflict, not a success. */
  okno_calendar_insert_event_async (OKNO_CALENDAR (f->calendar), slot, NULL, inserted_cb, &r);
  wait_flag (&r.done);
  g_assert_error (r.error, OKNO_CALENDAR_ERROR, OKNO_CALENDAR_ERROR_CONFLICT);
  result_clear (&r);

  /* An earlier run's insert landed with its answer lost, and this copy
   * has not synced since: the first try here is a conflict too, and the
   * event is known from then on (the outbox's slot write counts it done
   * and stops showing its own staged copy). */
  {
    g_autofree char *json = event_json ("okno0000insert2", "🔓 СЛОТ: Консультация", 3, 11, NULL);
    g_autofree char *insert = g_strdup_printf ("{\"calendarId\":\"olga@example.com\",\"insert\":%s}", json);
    g_autoptr(OknoEvent) earlier = new_slot ("okno0000insert2", 3);

    fake_post (f, "/_fake/events", insert);
    g_assert_null (okno_calendar_lookup_event (OKNO_CALENDAR (f->calendar), "okno0000insert2"));
    okno_calendar_insert_event_async (OKNO_CALENDAR (f->calendar), earlier, NULL, inserted_cb, &r);
    wait_flag (&r.done);
    g_assert_error (r.error, OKNO_CALENDAR_ERROR, OKNO_CALENDAR_ERROR_CONFLICT);
    g_assert_nonnull (okno_calendar_lookup_event (OKNO_CALENDAR (f->calendar), "okno0000insert2"));
    result_clear (&r);
  }
}

/* A sync reads its pages, then a write of ours lands, then the pages
 * arrive: what the sync brings is older than the write and must not undo
 * it (a slot published meanwhile vanished until the next sync, and a
 * client booking it got 404). */
static void
test_write_during_sync_stays (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(OknoEvent) slot = new_slot ("okno0000during1", 2);
  g_autoptr(OknoGoogleCache) reread = NULL;
  g_autoptr(GError) error = NULL;
  GError *refreshed = NULL;
  WriteResult r = { 0 };
  GPtrArray *cached = NULL;
  gint64 deadline = g_get_monotonic_time () + DEADLINE_USEC;
  gboolean found = FALSE;

  /* The full sync's page is read at once, and answered in 300 ms. */
  fake_post (f, "/_fake/faults", "{\"path\":\"/events\",\"method\":\"GET\",\"holdMs\":300,\"count\":1}");
  clear_log (f);
  okno_calendar_refresh_async (OKNO_CALENDAR (f->calendar), NULL, refreshed_cb, &refreshed);
  while (g_get_monotonic_time () < deadline)
    {
      g_autoptr(GPtrArray) log = fake_log (f);

      if (count_matching (log, "GET /calendar/v3/calendars/primary/events") > 0)
        break;
      g_main_context_iteration (NULL, FALSE);
    }
  okno_calendar_insert_event_async (OKNO_CALENDAR (f->calendar), slot, NULL, inserted_cb, &r);
  wait_flag (&r.done);
  g_assert_no_error (r.error);
  /* The write landed while the sync was still waiting for its page. */
  g_assert_null (refreshed);
  while (refreshed == NULL && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_error (refreshed, G_IO_ERROR, G_IO_ERROR_EXISTS);
  g_clear_error (&refreshed);
  result_clear (&r);

  g_assert_nonnull (okno_calendar_lookup_event (OKNO_CALENDAR (f->calendar), "okno0000during1"));
  g_assert_cmpuint (count_events (f), ==, 1);

  /* And so is the copy on disk the next run starts from. */
  wait_cache_saved (f);
  reread = okno_google_cache_new (f->dir, &error);
  g_assert_no_error (error);
  g_assert_true (okno_google_cache_lookup (reread, "primary", NULL, NULL, &cached));
  for (guint i = 0; cached && i < cached->len; i++)
    found |= g_str_equal (okno_event_get_id (g_ptr_array_index (cached, i)), "okno0000during1");
  g_assert_true (found);
}

static void
test_retries_503 (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(OknoEvent) slot = new_slot ("okno0000retr001", 3);
  g_autoptr(GPtrArray) log = NULL;
  WriteResult r = { 0 };
  guint live = 0;
  g_autoptr(JsonObject) stored = NULL;
  gint64 started;

  g_assert_null (refresh (f));
  fake_post (f, "/_fake/faults", "{\"path\":\"/events\",\"status\":503,\"count\":3}");
  fake_post (f, "/_fake/faults", "{\"path\":\"/events\",\"status\":429,\"retryAfter\":1,\"count\":1}");
  clear_log (f);
  started = g_get_monotonic_time ();
  okno_calendar_insert_event_async (OKNO_CALENDAR (f->calendar), slot, NULL, inserted_cb, &r);
  wait_flag (&r.done);
  g_assert_no_error (r.error);
  /* Retry-After: 1 was honoured. */
  g_assert_cmpint (g_get_monotonic_time () - started, >=, G_USEC_PER_SEC);
  log = fake_log (f);
  g_assert_cmpuint (count_matching (log, " 503"), ==, 3);
  g_assert_cmpuint (count_matching (log, " 429"), ==, 1);
  g_assert_cmpuint (count_matching (log, "POST"), ==, 5);
  stored = fake_event (f, "okno0000retr001", &live);
  g_assert_nonnull (stored);
  g_assert_cmpuint (live, ==, 1);
  /* Google answers again: the calendar catches up with a sync at once,
   * which makes it synced and moves lastSync. */
  {
    gint64 deadline = g_get_monotonic_time () + DEADLINE_USEC;
    g_autoptr(GDateTime) before = g_date_time_ref (okno_calendar_get_last_sync (OKNO_CALENDAR (f->calendar)));

    while (okno_calendar_get_state (OKNO_CALENDAR (f->calendar)) != OKNO_CALENDAR_STATE_SYNCED &&
           g_get_monotonic_time () < deadline)
      g_main_context_iteration (NULL, TRUE);
    g_assert_cmpint (okno_calendar_get_state (OKNO_CALENDAR (f->calendar)), ==, OKNO_CALENDAR_STATE_SYNCED);
    g_assert_true (g_date_time_compare (okno_calendar_get_last_sync (OKNO_CALENDAR (f->calendar)), before) > 0);
  }
  result_clear (&r);

  /* A 400 is not retried. */
  fake_post (f, "/_fake/faults", "{\"path\":\"/events\",\"status\":400,\"reason\":\"invalid\",\"count\":1}");
  clear_log (f);
  g_clear_object (&slot);
  slot = new_slot ("okno0000retr002", 4);
  okno_calendar_insert_event_async (OKNO_CALENDAR (f->calendar), slot, NULL, inserted_cb, &r);
  wait_flag (&r.done);
  g_assert_error (r.error, OKNO_CALENDAR_ERROR, OKNO_CALENDAR_ERROR_INVALID);
  g_clear_pointer (&log, g_ptr_array_unref);
  log = fake_log (f);
  g_assert_cmpuint (log->len, ==, 1);
  result_clear (&r);
}

static void
test_conflict_both_ways (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(OknoEvent) slot = new_slot ("okno0000confl01", 2);
  g_autoptr(OknoEvent) booked = NULL;
  g_autoptr(JsonObject) stored = NULL;
  WriteResult r = { 0 };
  OknoEvent *cached;
  g_autofree char *etag = NULL;

  g_assert_null (refresh (f));
  okno_calendar_insert_event_async (OKNO_CALENDAR (f->calendar), slot, NULL, inserted_cb, &r);
  wait_flag (&r.done);
  g_assert_no_error (r.error);
  result_clear (&r);

  /* Olga only adds a note in Google: the etag moves, her times do not. */
  fake_post (f, "/_fake/events", "{\"patch\":{\"id\":\"okno0000confl01\",\"location\":\"Room 2\"}}");
  booked = okno_event_copy (okno_calendar_lookup_event (OKNO_CALENDAR (f->calendar), "okno0000confl01"));
  okno_event_set_summary (booked, "✅ Анна — Консультация");
  okno_calendar_update_event_async (OKNO_CALENDAR (f->calendar), booked, NULL, updated_cb, &r);
  wait_flag (&r.done);
  g_assert_no_error (r.error);
  stored = fake_event (f, "okno0000confl01", NULL);
  g_assert_cmpstr (json_object_get_string_member (stored, "summary"), ==, "✅ Анна — Консультация");
  g_assert_cmpstr (json_object_get_string_member (stored, "location"), ==, "Room 2");
  g_clear_pointer (&stored, json_object_unref);
  result_clear (&r);

  /* Olga moves it in Google: Okno does not overwrite her. */
  {
    g_autofree char *moved = event_json ("okno0000confl01", "🔓 СЛОТ: Консультация", 5, 9, NULL);
    g_autofree char *body = g_strdup_printf ("{\"patch\":%s}", moved);
    fake_post (f, "/_fake/events", body);
  }
  g_clear_object (&booked);
  booked = okno_event_copy (okno_calendar_lookup_event (OKNO_CALENDAR (f->calendar), "okno0000confl01"));
  okno_event_set_summary (booked, "✅ Борис — Консультация");
  okno_calendar_update_event_async (OKNO_CALENDAR (f->calendar), booked, NULL, updated_cb, &r);
  wait_flag (&r.done);
  g_assert_error (r.error, OKNO_CALENDAR_ERROR, OKNO_CALENDAR_ERROR_CONFLICT);
  stored = fake_event (f, "okno0000confl01", NULL);
  g_assert_cmpstr (json_object_get_string_member (stored, "summary"), ==, "🔓 СЛОТ: Консультация");
  cached = okno_calendar_lookup_event (OKNO_CALENDAR (f->calendar), "okno0000confl01");
  g_assert_cmpstr (okno_event_get_summary (cached), ==, "🔓 СЛОТ: Консультация");
  g_assert_cmpstr (okno_event_get_etag (cached), ==, json_object_get_string_member (stored, "etag"));
  result_clear (&r);

  /* Deleting carries the etag; deleting again (410) is already done. */
  etag = g_strdup (okno_event_get_etag (cached));
  okno_calendar_delete_event_async (OKNO_CALENDAR (f->calendar), "okno0000confl01",
                                    etag, NULL, deleted_cb, &r);
  wait_flag (&r.done);
  g_assert_no_error (r.error);
  g_assert_null (okno_calendar_lookup_event (OKNO_CALENDAR (f->calendar), "okno0000confl01"));
  result_clear (&r);
  okno_calendar_delete_event_async (OKNO_CALENDAR (f->calendar), "okno0000confl01", etag, NULL, deleted_cb, &r);
  wait_flag (&r.done);
  g_assert_no_error (r.error);
  result_clear (&r);
}

static void
test_busy_rules (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *opaque = event_json ("ddddd00001", "Meeting", 1, 10, NULL);
  g_autofree char *free_time = event_json ("ddddd00002", "Maybe", 1, 12, "\"transparency\":\"transparent\"");
  g_autofree char *declined = event_json ("ddddd00003", "Invite", 1, 14,
                                          "\"attendees\":[{\"email\":\"olga@example.com\",\"self\":true,"
                                          "\"responseStatus\":\"declined\"}]");
  g_autofree char *ooo = event_json ("ddddd00004", "Away", 1, 16, "\"eventType\":\"outOfOffice\"");
  g_autofree char *instance = event_json ("ddddd00005_20261210T140000Z", "🔓 СЛОТ: Группа", 2, 18,
                                          "\"recurringEventId\":\"ddddd00005\"");
  g_autofree char *instance2 = event_json ("ddddd00005_20261217T140000Z", "🔓 СЛОТ: Группа", 9, 18,
                                           "\"recurringEventId\":\"ddddd00005\"");
  g_autofree char *events = g_strdup_printf ("[%s,%s,%s,%s,%s,%s]", opaque, free_time, declined, ooo,
                                             instance, instance2);
  g_autoptr(OknoEvent) booked = NULL;
  g_autoptr(JsonObject) first = NULL;
  g_autoptr(JsonObject) second = NULL;
  WriteResult r = { 0 };

  seed (f, events);
  g_assert_null (refresh (f));
  g_assert_false (okno_event_is_transparent (okno_calendar_lookup_event (OKNO_CALENDAR (f->calendar), "ddddd00001")));
  g_assert_true (okno_event_is_transparent (okno_calendar_lookup_event (OKNO_CALENDAR (f->calendar), "ddddd00002")));
  g_assert_true (okno_event_is_transparent (okno_calendar_lookup_event (OKNO_CALENDAR (f->calendar), "ddddd00003")));
  g_assert_false (okno_event_is_transparent (okno_calendar_lookup_event (OKNO_CALENDAR (f->calendar), "ddddd00004")));

  /* A recurring slot is booked one instance at a time, by its own id. */
  booked = okno_event_copy (okno_calendar_lookup_event (OKNO_CALENDAR (f->calendar), "ddddd00005_20261210T140000Z"));
  okno_event_set_summary (booked, "✅ Анна — Группа");
  okno_calendar_update_event_async (OKNO_CALENDAR (f->calendar), booked, NULL, updated_cb, &r);
  wait_flag (&r.done);
  g_assert_no_error (r.error);
  first = fake_event (f, "ddddd00005_20261210T140000Z", NULL);
  second = fake_event (f, "ddddd00005_20261217T140000Z", NULL);
  g_assert_cmpstr (json_object_get_string_member (first, "summary"), ==, "✅ Анна — Группа");
  g_assert_cmpstr (json_object_get_string_member (first, "recurringEventId"), ==, "ddddd00005");
  g_assert_cmpstr (json_object_get_string_member (second, "summary"), ==, "🔓 СЛОТ: Группа");
  result_clear (&r);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/okno/google-calendar/full-and-incremental-sync", Fixture, NULL,
              fixture_set_up, test_full_and_incremental, fixture_tear_down);
  g_test_add ("/okno/google-calendar/410-resyncs", Fixture, NULL,
              fixture_set_up, test_gone_resyncs, fixture_tear_down);
  g_test_add ("/okno/google-calendar/cache-serves-offline", Fixture, NULL,
              fixture_set_up, test_cache_serves_offline, fixture_tear_down);
  g_test_add ("/okno/google-calendar/full-sync-swaps-at-end", Fixture, NULL,
              fixture_set_up, test_full_sync_swaps_at_end, fixture_tear_down);
  g_test_add ("/okno/google-calendar/cache-round-trip", Fixture, NULL,
              fixture_set_up, test_cache_round_trip, fixture_tear_down);
  g_test_add ("/okno/google-calendar/invalid-grant-reconnect", Fixture, NULL,
              fixture_set_up, test_reconnect, fixture_tear_down);
  g_test_add ("/okno/google-calendar/insert-idempotent", Fixture, NULL,
              fixture_set_up, test_insert_is_idempotent, fixture_tear_down);
  g_test_add ("/okno/google-calendar/write-during-sync-stays", Fixture, NULL,
              fixture_set_up, test_write_during_sync_stays, fixture_tear_down);
  g_test_add ("/okno/google-calendar/retries-with-backoff", Fixture, NULL,
              fixture_set_up, test_retries_503, fixture_tear_down);
  g_test_add ("/okno/google-calendar/412-both-ways", Fixture, NULL,
              fixture_set_up, test_conflict_both_ways, fixture_tear_down);
  g_test_add ("/okno/google-calendar/busy-rules-and-instances", Fixture, NULL,
              fixture_set_up, test_busy_rules, fixture_tear_down);

  return g_test_run ();
}
