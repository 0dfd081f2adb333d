/* test-calcom.c: the Cal.com watch against tests/fake-calcom, and what
 * GET /api/status says about it.
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "okno-calcom-monitor.h"
#include "okno-test-http.h"

#define KEY "cal_live_okno_test"

typedef struct
{
  Fixture            http;
  GSubprocess       *fake;
  char              *fake_base;   /* http://127.0.0.1:N/v2 */
  char              *fake_root;   /* http://127.0.0.1:N */
  SoupSession       *control;
  OknoCalcomMonitor *monitor;
  GPtrArray         *changes;     /* "from→to" */
} CalFixture;

static void
state_changed_cb (OknoCalcomMonitor *monitor,
                  const char        *from,
                  const char        *to,
                  CalFixture        *f)
{
  g_ptr_array_add (f->changes, g_strdup_printf ("%s→%s", from, to));
  /* What every channel says with the news is about the new state. */
  {
    const char *detail = okno_calcom_monitor_get_detail (monitor);
    gboolean says_up = g_str_equal (detail, "Cal.com works.");
    gboolean says_key = g_str_has_prefix (detail, "Cal.com does not accept the API key.");

    g_assert_true (says_up == g_str_equal (to, "up"));
    g_assert_true (says_key == g_str_equal (to, "unauthorized"));
  }
}

static void
set_up (CalFixture    *f,
        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  g_autofree char *line = NULL;

  f->fake = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, FAKE_CALCOM, NULL);
  g_assert_no_error (error);
  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (f->fake));
  line = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (line, "http://127.0.0.1:") && g_str_has_suffix (line, "/v2"));
  f->fake_base = g_strdup (line);
  f->fake_root = g_strndup (line, strlen (line) - strlen ("/v2"));
  f->control = soup_session_new ();

  okno_test_http_set_up (&f->http, GINT_TO_POINTER (0));
  f->monitor = okno_profile_get_calcom_monitor (f->http.instance);
  f->changes = g_ptr_array_new_with_free_func (g_free);
  g_signal_connect (f->monitor, "state-changed", G_CALLBACK (state_changed_cb), f);
  g_object_set (f->monitor,
                "base-url", f->fake_base,
                "retry-seconds", 600,       /* the tests ask again themselves */
                "timeout-seconds", 2,
                NULL);
}

static void
tear_down (CalFixture    *f,
           gconstpointer  data)
{
  g_signal_handlers_disconnect_by_data (f->monitor, f);
  okno_test_http_tear_down (&f->http, NULL);
  g_subprocess_send_signal (f->fake, SIGTERM);
  g_subprocess_wait (f->fake, NULL, NULL);
  g_clear_object (&f->fake);
  g_clear_object (&f->control);
  g_clear_pointer (&f->changes, g_ptr_array_unref);
  g_free (f->fake_base);
  g_free (f->fake_root);
}

/* The fake runs in its own process: a blocking request is fine here. */
static char *
control (CalFixture *f,
         const char *method,
         const char *path,
         const char *body)
{
  g_autofree char *url = g_strconcat (f->fake_root, path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) reply = NULL;

  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));
      soup_message_set_request_body_from_bytes (msg, "text/plain", bytes);
    }
  reply = soup_session_send_and_read (f->control, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  return g_strndup (g_bytes_get_data (reply, NULL), g_bytes_get_size (reply));
}

static void
set_mode (CalFixture *f,
          const char *mode)
{
  g_free (control (f, "POST", "/control/mode", mode));
}

static void
checked_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  char **state = user_data;
  g_autoptr(GError) error = NULL;

  *state = okno_calcom_monitor_check_finish (OKNO_CALCOM_MONITOR (object), result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (*state);
}

/* Checks now and waits for the answer; returns the state it led to. */
static char *
check (CalFixture *f)
{
  char *state = NULL;
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  okno_calcom_monitor_check_async (f->monitor, NULL, checked_cb, &state);
  while (state == NULL)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  return state;
}

static void
assert_check (CalFixture *f,
              const char *expected)
{
  g_autofree char *state = check (f);
  g_assert_cmpstr (state, ==, expected);
  g_assert_cmpstr (okno_service_state_get_state (okno_calcom_monitor_get_state (f->monitor)), ==, expected);
}

static JsonObject *
status_calcom (CalFixture *f,
               Response  **keep)
{
  Response *r = okno_test_http_request (&f->http, "GET", "/api/status", NULL);

  g_assert_cmpuint (r->status, ==, 200);
  g_assert_nonnull (r->json);
  *keep = r;
  return json_object_get_object_member (json_node_get_object (r->json), "calcom");
}

static char *
status_member (CalFixture *f,
               const char *member)
{
  g_autoptr(Response) r = NULL;
  JsonObject *calcom = status_calcom (f, &r);

  g_assert_true (json_object_has_member (calcom, "state"));
  g_assert_true (json_object_has_member (calcom, "since"));
  g_assert_true (json_object_has_member (calcom, "checkedAt"));
  if (json_object_get_null_member (calcom, member))
    return NULL;
  return g_strdup (json_object_get_string_member (calcom, member));
}

/* up → down → unauthorized → up: three changes, each announced once, and
 * /api/status follows with the time each state began. */
static void
test_up_down_unauthorized_up (CalFixture    *f,
                              gconstpointer  data)
{
  g_autofree char *since_up = NULL;
  g_autofree char *since_down = NULL;
  g_autofree char *state = NULL;
  g_autofree char *checked = NULL;
  g_autofree char *log = NULL;

  okno_calcom_monitor_set_api_key (f->monitor, KEY);
  assert_check (f, "up");
  state = status_member (f, "state");
  g_assert_cmpstr (state, ==, "up");
  since_up = status_member (f, "since");
  checked = status_member (f, "checkedAt");
  g_assert_nonnull (since_up);
  g_assert_nonnull (checked);
  g_assert_cmpuint (f->changes->len, ==, 0);   /* the first answer is not news */

  /* One failure is not an outage yet; the second in a row is. */
  set_mode (f, "down500");
  assert_check (f, "up");
  g_assert_cmpuint (f->changes->len, ==, 0);
  g_usleep (1100 * 1000);   /* so the new state's start differs in seconds */
  assert_check (f, "down");
  g_clear_pointer (&state, g_free);
  state = status_member (f, "state");
  g_assert_cmpstr (state, ==, "down");
  since_down = status_member (f, "since");
  g_assert_cmpstr (since_down, !=, since_up);
  g_assert_cmpuint (f->changes->len, ==, 1);

  /* Still down: no second notification. */
  set_mode (f, "down503");
  assert_check (f, "down");
  g_assert_cmpuint (f->changes->len, ==, 1);
  g_clear_pointer (&state, g_free);
  state = status_member (f, "since");
  g_assert_cmpstr (state, ==, since_down);

  /* A revoked key is not an outage: at once, no retry. */
  set_mode (f, "unauthorized");
  assert_check (f, "unauthorized");
  g_clear_pointer (&state, g_free);
  state = status_member (f, "state");
  g_assert_cmpstr (state, ==, "unauthorized");

  set_mode (f, "up");
  assert_check (f, "up");
  g_clear_pointer (&state, g_free);
  state = status_member (f, "state");
  g_assert_cmpstr (state, ==, "up");

  g_assert_cmpuint (f->changes->len, ==, 3);
  g_assert_cmpstr (g_ptr_array_index (f->changes, 0), ==, "up→down");
  g_assert_cmpstr (g_ptr_array_index (f->changes, 1), ==, "down→unauthorized");
  g_assert_cmpstr (g_ptr_array_index (f->changes, 2), ==, "unauthorized→up");

  /* Every probe was GET /v2/me with her key as a Bearer token. */
  log = control (f, "GET", "/control/log", NULL);
  {
    g_autoptr(JsonNode) node = json_from_string (log, NULL);
    JsonArray *entries = json_node_get_array (node);

    g_assert_cmpuint (json_array_get_length (entries), ==, 6);
    for (guint i = 0; i < json_array_get_length (entries); i++)
      {
        JsonObject *entry = json_array_get_object_element (entries, i);

        g_assert_cmpstr (json_object_get_string_member (entry, "method"), ==, "GET");
        g_assert_cmpstr (json_object_get_string_member (entry, "path"), ==, "/v2/me");
        g_assert_cmpstr (json_object_get_string_member (entry, "authorization"), ==, "Bearer " KEY);
      }
  }
}

/* No answer within the timeout, or a dropped connection, count as down. */
static void
test_hang_and_drop_are_down (CalFixture    *f,
                             gconstpointer  data)
{
  g_object_set (f->monitor, "timeout-seconds", 1, NULL);
  okno_calcom_monitor_set_api_key (f->monitor, KEY);
  assert_check (f, "up");

  set_mode (f, "hang");
  assert_check (f, "up");
  assert_check (f, "down");
  g_assert_nonnull (strstr (okno_calcom_monitor_get_detail (f->monitor), "in time"));

  set_mode (f, "up");
  assert_check (f, "up");
  set_mode (f, "drop");
  assert_check (f, "up");
  assert_check (f, "down");
  g_assert_cmpuint (f->changes->len, ==, 3);
}

/* A wrong key as her key, from the start, is `unauthorized` (the fake's
 * real 401 body), and a wrong address is not Cal.com being up. */
static void
test_wrong_key_and_address (CalFixture    *f,
                            gconstpointer  data)
{
  g_autofree char *wrong = NULL;

  okno_calcom_monitor_set_api_key (f->monitor, "cal_live_revoked");
  assert_check (f, "unauthorized");
  g_assert_cmpuint (f->changes->len, ==, 0);

  okno_calcom_monitor_set_api_key (f->monitor, KEY);
  wrong = g_strconcat (f->fake_root, "/v1", NULL);
  g_object_set (f->monitor, "base-url", wrong, NULL);
  assert_check (f, "unknown");
  assert_check (f, "down");
  g_assert_nonnull (strstr (okno_calcom_monitor_get_detail (f->monitor), "OKNO_CALCOM_API_URL"));
}

/* Without a key nothing is sent and the status says so. */
static void
test_unconfigured (CalFixture    *f,
                   gconstpointer  data)
{
  g_autofree char *state = NULL;
  g_autofree char *log = NULL;

  okno_calcom_monitor_start (f->monitor);
  assert_check (f, "unconfigured");
  state = status_member (f, "state");
  g_assert_cmpstr (state, ==, "unconfigured");
  log = control (f, "GET", "/control/log", NULL);
  g_assert_cmpstr (log, ==, "[]");

  /* A key starts a check at once; none stops the watch again. */
  okno_calcom_monitor_set_api_key (f->monitor, KEY);
  g_assert_cmpstr (okno_service_state_get_state (okno_calcom_monitor_get_state (f->monitor)), ==, "unknown");
  g_assert_true (okno_calcom_monitor_get_checking (f->monitor));
  assert_check (f, "up");
  okno_calcom_monitor_set_api_key (f->monitor, NULL);
  g_assert_cmpstr (okno_service_state_get_state (okno_calcom_monitor_get_state (f->monitor)), ==, "unconfigured");
  g_clear_pointer (&state, g_free);
  state = status_member (f, "state");
  g_assert_cmpstr (state, ==, "unconfigured");
  g_assert_cmpuint (f->changes->len, ==, 0);
}

static Response *
status_from (CalFixture *f,
             const char *origin)
{
  g_autoptr(SoupMessage) msg = okno_test_http_message (&f->http, "GET", "/api/status", NULL, -1);

  if (origin != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (msg), "Origin", origin);
  return okno_test_http_send (&f->http, msg);
}

/* Her website may read /api/status; other origins get no CORS, and
 * nothing else on the server gets any. */
static void
test_cors_only_for_frame_ancestors (CalFixture    *f,
                                    gconstpointer  data)
{
  GSettings *settings = okno_profile_get_settings (f->http.instance);
  g_autoptr(Response) mine = NULL;
  g_autoptr(Response) other = NULL;
  g_autoptr(Response) none = NULL;
  g_autoptr(Response) self_only = NULL;
  g_autoptr(Response) slots = NULL;
  g_autoptr(SoupMessage) msg = NULL;

  g_settings_set_string (settings, "frame-ancestors", "https://olgarozet.ru https://www.olgarozet.ru");

  mine = status_from (f, "https://olgarozet.ru");
  g_assert_cmpstr (soup_message_headers_get_one (mine->headers, "Access-Control-Allow-Origin"), ==,
                   "https://olgarozet.ru");
  g_assert_true (soup_message_headers_header_contains (mine->headers, "Vary", "Origin"));

  other = status_from (f, "https://evil.example");
  g_assert_null (soup_message_headers_get_one (other->headers, "Access-Control-Allow-Origin"));
  g_assert_true (soup_message_headers_header_contains (other->headers, "Vary", "Origin"));
  g_clear_pointer (&other, okno_test_response_free);
  other = status_from (f, "https://olgarozet.ru.evil.example");
  g_assert_null (soup_message_headers_get_one (other->headers, "Access-Control-Allow-Origin"));
  g_clear_pointer (&other, okno_test_response_free);
  other = status_from (f, "null");
  g_assert_null (soup_message_headers_get_one (other->headers, "Access-Control-Allow-Origin"));

  none = status_from (f, NULL);
  g_assert_null (soup_message_headers_get_one (none->headers, "Access-Control-Allow-Origin"));

  msg = okno_test_http_message (&f->http, "GET", "/api/slots", NULL, -1);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Origin", "https://olgarozet.ru");
  slots = okno_test_http_send (&f->http, msg);
  g_assert_cmpuint (slots->status, ==, 200);
  g_assert_null (soup_message_headers_get_one (slots->headers, "Access-Control-Allow-Origin"));

  /* Back to the default: nobody. */
  g_settings_set_string (settings, "frame-ancestors", "'self'");
  self_only = status_from (f, "https://olgarozet.ru");
  g_assert_null (soup_message_headers_get_one (self_only->headers, "Access-Control-Allow-Origin"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, CalFixture, NULL, set_up, func, tear_down)

  ADD ("/okno/calcom/up-down-unauthorized-up", test_up_down_unauthorized_up);
  ADD ("/okno/calcom/hang-and-drop-are-down", test_hang_and_drop_are_down);
  ADD ("/okno/calcom/wrong-key-and-address", test_wrong_key_and_address);
  ADD ("/okno/calcom/unconfigured", test_unconfigured);
  ADD ("/okno/calcom/cors-only-for-frame-ancestors", test_cors_only_for_frame_ancestors);

  return g_test_run ();
}
