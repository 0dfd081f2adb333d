/* fake-calcom.c: Cal.com's v2 API as far as Okno uses it (GET /v2/me),
 * on a free loopback port, with fault injection and a request log.
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Usage: fake-calcom [--key KEY]   (default key cal_live_okno_test)
 * Prints its API base (http://127.0.0.1:PORT/v2) as the first line.
 *
 * The wire follows ../shared/notify-wire.md §3: 200
 * {"status":"success","data":{…}}; errors {"status":"error","timestamp",
 * "path","error":{"code","message","details"}}; 401 for a missing or wrong
 * key; 404 for any other path; /v1 is gone; cal-api-version is ignored.
 *
 * Control API (not under /v2):
 *   POST /control/mode      body: up | unauthorized | down500 | down503 | hang | drop
 *   POST /control/latency   body: milliseconds before each /v2 answer
 *   POST /control/key       body: the key that is valid from now on
 *   GET  /control/log       JSON array of {"method","path","authorization","calApiVersion"}
 *   POST /control/log/clear
 */

#include "fake-serve.h"

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <stdio.h>
#include <string.h>

static char *mode;
static char *valid_key;
static guint latency_ms;
static JsonArray *request_log;

static char *
now_iso (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  return g_date_time_format (now, "%Y-%m-%dT%H:%M:%S.%fZ");
}

static void
reply_json (SoupServerMessage *msg,
            guint              status,
            const char        *json)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json; charset=utf-8", SOUP_MEMORY_COPY,
                                    json, strlen (json));
}

static void
reply_error (SoupServerMessage *msg,
             guint              status,
             const char        *path,
             const char        *code,
             const char        *message)
{
  g_autofree char *stamp = now_iso ();
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, "error");
  json_builder_set_member_name (builder, "timestamp");
  json_builder_add_string_value (builder, stamp);
  json_builder_set_member_name (builder, "path");
  json_builder_add_string_value (builder, path);
  json_builder_set_member_name (builder, "error");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "code");
  json_builder_add_string_value (builder, code);
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, message);
  json_builder_set_member_name (builder, "details");
  json_builder_begin_object (builder);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  text = json_to_string (root, FALSE);
  reply_json (msg, status, text);
}

static void
reply_profile (SoupServerMessage *msg)
{
  reply_json (msg, SOUP_STATUS_OK,
              "{\"status\":\"success\",\"data\":{\"id\":1204,\"username\":\"olgarozet\","
              "\"email\":\"olga@example.org\",\"name\":\"Ольга Розет\",\"timeFormat\":24,"
              "\"defaultScheduleId\":77,\"weekStart\":\"Monday\",\"timeZone\":\"Europe/Moscow\","
              "\"locale\":\"ru\",\"avatarUrl\":null,\"bio\":null,\"metadata\":{},"
              "\"organizationId\":null,\"organization\":null}}");
}

/* Answers /v2/me as the current mode says. */
static void
answer_me (SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *authorization = soup_message_headers_get_one (headers, "Authorization");
  const char *path = "/v2/me";

  if (g_str_equal (mode, "down500"))
    reply_error (msg, 500, path, "INTERNAL_SERVER_ERROR", "Internal server error");
  else if (g_str_equal (mode, "down503"))
    {
      static const char page[] =
        "<html>\r\n<head><title>503 Service Temporarily Unavailable</title></head>\r\n"
        "<body>\r\n<center><h1>503 Service Temporarily Unavailable</h1></center>\r\n"
        "</body>\r\n</html>\r\n";
      soup_server_message_set_status (msg, 503, NULL);
      soup_server_message_set_response (msg, "text/html", SOUP_MEMORY_STATIC, page, strlen (page));
    }
  else if (authorization == NULL || !g_str_has_prefix (authorization, "Bearer "))
    reply_error (msg, 401, path, "UnauthorizedException",
                 "ApiAuthStrategy - No authentication method provided");
  else if (g_str_equal (mode, "unauthorized") ||
           !g_str_equal (authorization + strlen ("Bearer "), valid_key))
    reply_error (msg, 401, path, "UnauthorizedException",
                 "ApiAuthStrategy - api key - Your api key is not valid");
  else
    reply_profile (msg);
}

static void
answer (SoupServerMessage *msg,
        const char        *path)
{
  const char *method = soup_server_message_get_method (msg);

  if (g_str_equal (mode, "hang"))
    {
      /* Never answers; the client's timeout must act. */
      soup_server_message_pause (msg);
      return;
    }
  if (g_str_equal (mode, "drop"))
    {
      GIOStream *stream = soup_server_message_steal_connection (msg);

      g_io_stream_close (stream, NULL, NULL);
      g_object_unref (stream);
      return;
    }

  if (g_str_has_prefix (path, "/v1/") || g_str_equal (path, "/v1"))
    {
      g_autofree char *message = g_strdup_printf ("Cannot %s %s", method, path);
      reply_error (msg, 404, path, "NotFoundException", message);
    }
  else if (g_str_equal (path, "/v2/me") && g_str_equal (method, "GET"))
    answer_me (msg);
  else
    {
      g_autofree char *message = g_strdup_printf ("Cannot %s %s", method, path);
      reply_error (msg, 404, path, "NotFoundException", message);
    }
}

typedef struct
{
  SoupServerMessage *msg;
  char              *path;
} Delayed;

static gboolean
delayed_cb (gpointer user_data)
{
  Delayed *delayed = user_data;

  answer (delayed->msg, delayed->path);
  soup_server_message_unpause (delayed->msg);
  g_object_unref (delayed->msg);
  g_free (delayed->path);
  g_free (delayed);
  return G_SOURCE_REMOVE;
}

static void
log_request (SoupServerMessage *msg,
             const char        *path)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  JsonObject *entry = json_object_new ();
  const char *authorization = soup_message_headers_get_one (headers, "Authorization");
  const char *version = soup_message_headers_get_one (headers, "cal-api-version");

  json_object_set_string_member (entry, "method", soup_server_message_get_method (msg));
  json_object_set_string_member (entry, "path", path);
  if (authorization)
    json_object_set_string_member (entry, "authorization", authorization);
  else
    json_object_set_null_member (entry, "authorization");
  if (version)
    json_object_set_string_member (entry, "calApiVersion", version);
  else
    json_object_set_null_member (entry, "calApiVersion");
  json_array_add_object_element (request_log, entry);
}

static char *
body_text (SoupServerMessage *msg)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr(GBytes) bytes = soup_message_body_flatten (body);
  g_autofree char *text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));

  return g_strdup (g_strstrip (text));
}

static void
control (SoupServerMessage *msg,
         const char        *path)
{
  const char *method = soup_server_message_get_method (msg);

  if (g_str_equal (path, "/control/log") && g_str_equal (method, "GET"))
    {
      g_autoptr(JsonNode) node = json_node_new (JSON_NODE_ARRAY);
      g_autofree char *text = NULL;

      json_node_set_array (node, request_log);
      text = json_to_string (node, FALSE);
      reply_json (msg, SOUP_STATUS_OK, text);
      return;
    }
  if (!g_str_equal (method, "POST"))
    {
      reply_json (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "{\"ok\":false}");
      return;
    }
  if (g_str_equal (path, "/control/log/clear"))
    {
      json_array_unref (request_log);
      request_log = json_array_new ();
    }
  else if (g_str_equal (path, "/control/mode"))
    {
      g_autofree char *value = body_text (msg);
      static const char *modes[] = { "up", "unauthorized", "down500", "down503", "hang", "drop", NULL };

      if (!g_strv_contains (modes, value))
        {
          reply_json (msg, SOUP_STATUS_BAD_REQUEST, "{\"ok\":false}");
          return;
        }
      g_free (mode);
      mode = g_steal_pointer (&value);
    }
  else if (g_str_equal (path, "/control/latency"))
    {
      g_autofree char *value = body_text (msg);
      latency_ms = (guint) g_ascii_strtoull (value, NULL, 10);
    }
  else if (g_str_equal (path, "/control/key"))
    {
      g_free (valid_key);
      valid_key = body_text (msg);
    }
  else
    {
      reply_json (msg, SOUP_STATUS_NOT_FOUND, "{\"ok\":false}");
      return;
    }

  reply_json (msg, SOUP_STATUS_OK, "{\"ok\":true}");
}

static void
handle_cb (SoupServer        *server,
           SoupServerMessage *msg,
           const char        *path,
           GHashTable        *query,
           gpointer           user_data)
{
  if (g_str_has_prefix (path, "/control/"))
    {
      control (msg, path);
      return;
    }

  log_request (msg, path);

  if (latency_ms > 0 && !g_str_equal (mode, "hang"))
    {
      Delayed *delayed = g_new0 (Delayed, 1);

      delayed->msg = g_object_ref (msg);
      delayed->path = g_strdup (path);
      soup_server_message_pause (msg);
      g_timeout_add (latency_ms, delayed_cb, delayed);
      return;
    }

  answer (msg, path);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autofree char *key = NULL;
  const GOptionEntry entries[] = {
    { "key", 0, 0, G_OPTION_ARG_STRING, &key, "The valid API key", "KEY" },
    { NULL }
  };
  int status;

  if (!fake_serve_tie_to_parent ())
    return 1;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("fake-calcom: %s\n", error->message);
      return 2;
    }

  mode = g_strdup ("up");
  valid_key = g_strdup (key ? key : "cal_live_okno_test");
  request_log = json_array_new ();

  status = fake_serve_run ("fake-calcom", handle_cb, "/v2");

  json_array_unref (request_log);
  g_free (mode);
  g_free (valid_key);
  return status;
}
