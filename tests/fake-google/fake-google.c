/* fake-google.c: Google OAuth 2.0, Calendar v3 and Gmail send, in one
 * small libsoup server the tests and the demo point Okno at.
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * It follows ../../../shared/google-calendar-v3.md (the wire facts Okno
 * relies on); README.md next to this file lists what it implements and its
 * control API under /_fake/. Nothing here is part of Okno itself.
 */

#define G_LOG_DOMAIN "FakeGoogle"

#include <glib-unix.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <stdio.h>
#include <string.h>

#define SCOPE_EVENTS   "https://www.googleapis.com/auth/calendar.events"
#define SCOPE_READONLY "https://www.googleapis.com/auth/calendar.readonly"
#define SCOPE_GMAIL    "https://www.googleapis.com/auth/gmail.send"

typedef struct
{
  char       *id;
  JsonObject *meta;      /* calendarList entry */
  GPtrArray  *events;    /* Event *, in insertion order */
  GHashTable *by_id;     /* id → Event *, borrowed */
  guint64     min_sync;  /* sync tokens older than this are expired (410) */
} Calendar;

typedef struct
{
  JsonObject *json;      /* the resource as Google would send it */
  guint64     seq;       /* change counter at its last modification */
} Event;

typedef struct
{
  char   *code;
  char   *challenge;
  char   *redirect_uri;
  char   *scope;
  char   *client_id;
} AuthCode;

typedef struct
{
  char   *token;
  char   *scope;
  gint64  expires;       /* monotonic µs */
  char   *refresh;       /* the refresh token it came from */
} AccessToken;

typedef struct
{
  char   *path;          /* substring of the path, NULL: any */
  char   *method;        /* NULL: any */
  guint   status;        /* 0: none */
  char   *reason;
  int     retry_after;   /* -1: no header */
  guint   latency_ms;
  guint   hold_ms;       /* carried out at once, answered this much later */
  gboolean drop;
  gboolean drop_after;
  gboolean expire_token;
  int     count;         /* -1: forever */
  double  probability;
} Fault;

static struct
{
  char       *base_url;
  char       *client_id;
  char       *client_secret;
  char       *account;
  GPtrArray  *calendars;       /* Calendar * */
  GHashTable *codes;           /* code → AuthCode * */
  GHashTable *access_tokens;   /* token → AccessToken * */
  GHashTable *refresh_tokens;  /* token → scope */
  GPtrArray  *faults;          /* Fault * */
  JsonArray  *log;
  JsonArray  *messages;        /* Gmail sends */
  char      **grant_scopes;    /* NULL: grant what is asked */
  gboolean    deny;
  int         expires_in;
  guint64     seq;
  guint64     counter;
} fake;

static gboolean opt_quiet;

/* Helpers */

static char *
random_token (const char *prefix)
{
  static const char alphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789";
  GString *s = g_string_new (prefix);

  for (guint i = 0; i < 32; i++)
    g_string_append_c (s, alphabet[g_random_int_range (0, 36)]);
  return g_string_free (s, FALSE);
}

static char *
now_rfc3339 (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return g_date_time_format (now, "%Y-%m-%dT%H:%M:%S.%fZ");
}

static void
set_json (SoupServerMessage *msg,
          guint              status,
          JsonNode          *node)
{
  g_autofree char *text = json_to_string (node, FALSE);
  gsize len = strlen (text);

  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json; charset=UTF-8",
                                    SOUP_MEMORY_TAKE, g_steal_pointer (&text), len);
}

static void
set_object (SoupServerMessage *msg,
            guint              status,
            JsonObject        *object)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  json_node_set_object (node, object);
  set_json (msg, status, node);
}

static const char *
status_name (guint status)
{
  switch (status)
    {
    case 400: return "INVALID_ARGUMENT";
    case 401: return "UNAUTHENTICATED";
    case 403: return "PERMISSION_DENIED";
    case 404: return "NOT_FOUND";
    case 409: return "ALREADY_EXISTS";
    case 410: return "NOT_FOUND";
    case 412: return "FAILED_PRECONDITION";
    case 429: return "RESOURCE_EXHAUSTED";
    case 503: return "UNAVAILABLE";
    default:  return "INTERNAL";
    }
}

/* Google's error body for the JSON APIs. */
static void
api_error (SoupServerMessage *msg,
           guint              status,
           const char        *reason,
           const char        *message)
{
  g_autoptr(JsonObject) root = json_object_new ();
  JsonObject *error = json_object_new ();
  JsonArray *errors = json_array_new ();
  JsonObject *item = json_object_new ();

  json_object_set_string_member (item, "domain", status == 429 || status == 403 ? "usageLimits" : "global");
  json_object_set_string_member (item, "reason", reason);
  json_object_set_string_member (item, "message", message);
  json_array_add_object_element (errors, item);
  json_object_set_int_member (error, "code", status);
  json_object_set_string_member (error, "message", message);
  json_object_set_array_member (error, "errors", errors);
  json_object_set_string_member (error, "status", status_name (status));
  json_object_set_object_member (root, "error", error);
  set_object (msg, status, root);
}

/* The OAuth endpoints' error body. */
static void
oauth_error (SoupServerMessage *msg,
             guint              status,
             const char        *error,
             const char        *description)
{
  g_autoptr(JsonObject) root = json_object_new ();

  json_object_set_string_member (root, "error", error);
  json_object_set_string_member (root, "error_description", description);
  set_object (msg, status, root);
}

static JsonNode *
parse_body (SoupServerMessage *msg)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr(GBytes) bytes = soup_message_body_flatten (body);
  g_autoptr(JsonParser) parser = json_parser_new ();
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);

  if (len == 0 || !json_parser_load_from_data (parser, data, len, NULL))
    return NULL;
  return json_node_ref (json_parser_get_root (parser));
}

static GHashTable *
parse_form_body (SoupServerMessage *msg)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr(GBytes) bytes = soup_message_body_flatten (body);
  g_autofree char *text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));

  return soup_form_decode (text);
}

static void
calendar_free (gpointer data)
{
  Calendar *cal = data;

  g_free (cal->id);
  json_object_unref (cal->meta);
  g_ptr_array_unref (cal->events);
  g_hash_table_unref (cal->by_id);
  g_free (cal);
}

static void
event_free (gpointer data)
{
  Event *ev = data;

  json_object_unref (ev->json);
  g_free (ev);
}

static void
auth_code_free (gpointer data)
{
  AuthCode *c = data;

  g_free (c->code);
  g_free (c->challenge);
  g_free (c->redirect_uri);
  g_free (c->scope);
  g_free (c->client_id);
  g_free (c);
}

static void
access_token_free (gpointer data)
{
  AccessToken *t = data;

  g_free (t->token);
  g_free (t->scope);
  g_free (t->refresh);
  g_free (t);
}

static void
fault_free (gpointer data)
{
  Fault *f = data;

  g_free (f->path);
  g_free (f->method);
  g_free (f->reason);
  g_free (f);
}

static Calendar *
calendar_add (const char *id,
              JsonObject *meta)
{
  Calendar *cal = g_new0 (Calendar, 1);

  /* @id may point into @meta: copy it before @meta changes. */
  cal->id = g_strdup (id);
  cal->meta = meta ? json_object_ref (meta) : json_object_new ();
  json_object_set_string_member (cal->meta, "kind", "calendar#calendarListEntry");
  json_object_set_string_member (cal->meta, "id", cal->id);
  if (!json_object_has_member (cal->meta, "summary"))
    json_object_set_string_member (cal->meta, "summary", cal->id);
  if (!json_object_has_member (cal->meta, "timeZone"))
    json_object_set_string_member (cal->meta, "timeZone", "Europe/Moscow");
  if (!json_object_has_member (cal->meta, "accessRole"))
    json_object_set_string_member (cal->meta, "accessRole", "owner");
  if (!json_object_has_member (cal->meta, "etag"))
    json_object_set_string_member (cal->meta, "etag", "\"1\"");
  cal->events = g_ptr_array_new_with_free_func (event_free);
  cal->by_id = g_hash_table_new (g_str_hash, g_str_equal);
  g_ptr_array_add (fake.calendars, cal);
  return cal;
}

static Calendar *
calendar_lookup (const char *id)
{
  for (guint i = 0; i < fake.calendars->len; i++)
    {
      Calendar *cal = g_ptr_array_index (fake.calendars, i);

      if (g_str_equal (cal->id, id))
        return cal;
      if (g_str_equal (id, "primary") &&
          json_object_get_boolean_member_with_default (cal->meta, "primary", FALSE))
        return cal;
    }
  return NULL;
}

static void
event_touch (Event *ev)
{
  g_autofree char *etag = NULL;
  g_autofree char *updated = now_rfc3339 ();

  ev->seq = ++fake.seq;
  etag = g_strdup_printf ("\"%" G_GUINT64_FORMAT "\"", 3100000000000000 + ev->seq);
  json_object_set_string_member (ev->json, "etag", etag);
  json_object_set_string_member (ev->json, "updated", updated);
  if (!json_object_has_member (ev->json, "sequence"))
    json_object_set_int_member (ev->json, "sequence", 0);
  else
    json_object_set_int_member (ev->json, "sequence",
                                json_object_get_int_member (ev->json, "sequence") + 1);
}

static gboolean
valid_event_id (const char *id)
{
  gsize len = strlen (id);

  if (len < 5 || len > 1024)
    return FALSE;
  for (const char *p = id; *p; p++)
    if (!((*p >= 'a' && *p <= 'v') || (*p >= '0' && *p <= '9')))
      return FALSE;
  return TRUE;
}

static Event *
event_store (Calendar   *cal,
             JsonObject *json)
{
  Event *ev = g_new0 (Event, 1);

  ev->json = json_object_ref (json);
  json_object_set_string_member (json, "kind", "calendar#event");
  if (!json_object_has_member (json, "status"))
    json_object_set_string_member (json, "status", "confirmed");
  if (!json_object_has_member (json, "created"))
    {
      g_autofree char *created = now_rfc3339 ();
      json_object_set_string_member (json, "created", created);
    }
  if (!json_object_has_member (json, "htmlLink"))
    {
      g_autofree char *link = g_strdup_printf ("%s/calendar/event?eid=%s", fake.base_url,
                                               json_object_get_string_member (json, "id"));
      json_object_set_string_member (json, "htmlLink", link);
    }
  event_touch (ev);
  g_ptr_array_add (cal->events, ev);
  g_hash_table_insert (cal->by_id, (gpointer) json_object_get_string_member (json, "id"), ev);
  return ev;
}

/* Start or end of an event as a GDateTime; all-day dates in the
 * calendar's zone. */
static GDateTime *
event_time (Calendar   *cal,
            JsonObject *json,
            const char *member)
{
  JsonObject *t;
  const char *s;

  if (!json_object_has_member (json, member) ||
      !JSON_NODE_HOLDS_OBJECT (json_object_get_member (json, member)))
    return NULL;
  t = json_object_get_object_member (json, member);
  if ((s = json_object_get_string_member_with_default (t, "dateTime", NULL)))
    return g_date_time_new_from_iso8601 (s, NULL);
  if ((s = json_object_get_string_member_with_default (t, "date", NULL)))
    {
      g_autoptr(GTimeZone) zone = g_time_zone_new_identifier (
        json_object_get_string_member_with_default (cal->meta, "timeZone", "UTC"));
      int y, m, d;

      if (sscanf (s, "%d-%d-%d", &y, &m, &d) == 3)
        return g_date_time_new (zone ? zone : NULL, y, m, d, 0, 0, 0);
    }
  return NULL;
}

static gboolean
event_times_valid (Calendar   *cal,
                   JsonObject *json)
{
  g_autoptr(GDateTime) start = event_time (cal, json, "start");
  g_autoptr(GDateTime) end = event_time (cal, json, "end");

  return start && end && g_date_time_compare (start, end) <= 0;
}

/* Fault injection and the request log */

typedef struct
{
  SoupServerMessage *msg;
  char              *path;
  GHashTable        *query;
} Deferred;

static void handle_api (SoupServerMessage *msg,
                        const char        *path,
                        GHashTable        *query);

static Fault *
take_fault (SoupServerMessage *msg,
            const char        *path)
{
  for (guint i = 0; i < fake.faults->len; i++)
    {
      Fault *f = g_ptr_array_index (fake.faults, i);

      if (f->path && !strstr (path, f->path))
        continue;
      if (f->method && g_ascii_strcasecmp (f->method, soup_server_message_get_method (msg)) != 0)
        continue;
      if (f->probability < 1.0 && g_random_double () >= f->probability)
        continue;
      if (f->count > 0)
        f->count--;
      return f;
    }
  return NULL;
}

static void
prune_faults (void)
{
  for (guint i = fake.faults->len; i > 0; i--)
    {
      Fault *f = g_ptr_array_index (fake.faults, i - 1);

      if (f->count == 0)
        g_ptr_array_remove_index (fake.faults, i - 1);
    }
}

static void
log_request (SoupServerMessage *msg,
             const char        *path)
{
  JsonObject *entry = json_object_new ();
  GUri *uri = soup_server_message_get_uri (msg);
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *if_match = soup_message_headers_get_one (headers, "If-Match");
  SoupMessageBody *body = soup_server_message_get_request_body (msg);

  json_object_set_int_member (entry, "n", json_array_get_length (fake.log) + 1);
  json_object_set_string_member (entry, "method", soup_server_message_get_method (msg));
  json_object_set_string_member (entry, "path", path);
  json_object_set_string_member (entry, "query", g_uri_get_query (uri) ? g_uri_get_query (uri) : "");
  json_object_set_int_member (entry, "status", soup_server_message_get_status (msg));
  json_object_set_int_member (entry, "time", g_get_real_time () / 1000);
  if (if_match)
    json_object_set_string_member (entry, "ifMatch", if_match);
  json_object_set_boolean_member (entry, "bearer",
                                  soup_message_headers_get_one (headers, "Authorization") != NULL);
  if (body && body->length > 0 && body->length < 65536 && !strstr (path, "/token") && !strstr (path, "/revoke"))
    json_object_set_string_member (entry, "body", body->data);
  json_array_add_object_element (fake.log, entry);
}

static void
drop_connection (SoupServerMessage *msg)
{
  GIOStream *stream = soup_server_message_steal_connection (msg);

  /* Closed from the loop, never inside libsoup's own callback. */
  if (stream)
    g_io_stream_close_async (stream, G_PRIORITY_DEFAULT, NULL,
                             (GAsyncReadyCallback) (void (*) (void)) g_object_unref, NULL);
}

static void
apply_fault (SoupServerMessage *msg,
             Fault             *fault,
             const char        *path,
             GHashTable        *query)
{
  if (fault->expire_token)
    {
      GHashTableIter iter;
      AccessToken *t;

      g_hash_table_iter_init (&iter, fake.access_tokens);
      while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &t))
        t->expires = 0;
    }
  if (fault->drop)
    {
      soup_server_message_set_status (msg, 599, "Dropped");
      log_request (msg, path);
      drop_connection (msg);
      return;
    }
  if (fault->drop_after)
    {
      /* The request is carried out, its answer is lost. */
      handle_api (msg, path, query);
      log_request (msg, path);
      drop_connection (msg);
      return;
    }
  if (fault->status)
    {
      if (fault->retry_after >= 0)
        {
          g_autofree char *ra = g_strdup_printf ("%d", fault->retry_after);
          soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                        "Retry-After", ra);
        }
      api_error (msg, fault->status, fault->reason ? fault->reason : "backendError",
                 fault->reason ? fault->reason : "Backend Error");
      log_request (msg, path);
      return;
    }
  handle_api (msg, path, query);
  log_request (msg, path);
}

static gboolean
deferred_cb (gpointer data)
{
  Deferred *d = data;
  Fault *fault = g_object_get_data (G_OBJECT (d->msg), "fake-fault");
  Fault copy = *fault;

  copy.latency_ms = 0;
  apply_fault (d->msg, &copy, d->path, d->query);
  soup_server_message_unpause (d->msg);
  g_object_set_data (G_OBJECT (d->msg), "fake-fault", NULL);
  g_object_unref (d->msg);
  g_free (d->path);
  g_clear_pointer (&d->query, g_hash_table_unref);
  g_free (d);
  return G_SOURCE_REMOVE;
}

static gboolean
held_cb (gpointer data)
{
  SoupServerMessage *msg = data;

  soup_server_message_unpause (msg);
  g_object_unref (msg);
  return G_SOURCE_REMOVE;
}

/* OAuth */

static gboolean
scope_has (const char *scopes,
           const char *scope)
{
  g_auto(GStrv) parts = g_strsplit (scopes ? scopes : "", " ", -1);

  return g_strv_contains ((const char * const *) parts, scope);
}

static void
handle_authorize (SoupServerMessage *msg,
                  GHashTable        *query)
{
  const char *client_id = query ? g_hash_table_lookup (query, "client_id") : NULL;
  const char *redirect_uri = query ? g_hash_table_lookup (query, "redirect_uri") : NULL;
  const char *response_type = query ? g_hash_table_lookup (query, "response_type") : NULL;
  const char *scope = query ? g_hash_table_lookup (query, "scope") : NULL;
  const char *challenge = query ? g_hash_table_lookup (query, "code_challenge") : NULL;
  const char *method = query ? g_hash_table_lookup (query, "code_challenge_method") : NULL;
  const char *state = query ? g_hash_table_lookup (query, "state") : NULL;
  g_autoptr(GString) granted = g_string_new (NULL);
  g_autoptr(GString) location = NULL;
  g_auto(GStrv) asked = NULL;
  AuthCode *code;

  if (g_strcmp0 (client_id, fake.client_id) != 0)
    {
      soup_server_message_set_status (msg, 401, NULL);
      soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_STATIC,
                                        "Error 401: invalid_client", 25);
      return;
    }
  if (redirect_uri == NULL || !g_str_has_prefix (redirect_uri, "http://127.0.0.1:") ||
      g_strcmp0 (response_type, "code") != 0 || scope == NULL || *scope == '\0' ||
      challenge == NULL || strlen (challenge) != 43 || g_strcmp0 (method, "S256") != 0)
    {
      soup_server_message_set_status (msg, 400, NULL);
      soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_STATIC,
                                        "Error 400: invalid_request", 26);
      return;
    }

  location = g_string_new (redirect_uri);
  g_string_append_c (location, strchr (redirect_uri, '?') ? '&' : '?');
  if (fake.deny)
    {
      g_string_append (location, "error=access_denied");
      if (state)
        {
          g_autofree char *s = g_uri_escape_string (state, NULL, FALSE);
          g_string_append_printf (location, "&state=%s", s);
        }
      soup_server_message_set_redirect (msg, 302, location->str);
      return;
    }

  asked = g_strsplit (scope, " ", -1);
  for (guint i = 0; asked[i]; i++)
    {
      if (fake.grant_scopes && !g_strv_contains ((const char * const *) fake.grant_scopes, asked[i]))
        continue;
      if (granted->len)
        g_string_append_c (granted, ' ');
      g_string_append (granted, asked[i]);
    }

  code = g_new0 (AuthCode, 1);
  code->code = random_token ("4/fake-");
  code->challenge = g_strdup (challenge);
  code->redirect_uri = g_strdup (redirect_uri);
  code->scope = g_strdup (granted->str);
  code->client_id = g_strdup (client_id);
  g_hash_table_replace (fake.codes, code->code, code);

  {
    g_autofree char *c = g_uri_escape_string (code->code, NULL, FALSE);
    g_autofree char *sc = g_uri_escape_string (granted->str, NULL, FALSE);

    if (state)
      {
        g_autofree char *s = g_uri_escape_string (state, NULL, FALSE);
        g_string_append_printf (location, "state=%s&", s);
      }
    g_string_append_printf (location, "iss=https%%3A%%2F%%2Faccounts.google.com&code=%s&scope=%s", c, sc);
  }
  soup_server_message_set_redirect (msg, 302, location->str);
}

static char *
s256 (const char *verifier)
{
  guint8 digest[32];
  gsize len = sizeof digest;
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree char *b64 = NULL;
  char *p;

  g_checksum_update (sum, (const guchar *) verifier, -1);
  g_checksum_get_digest (sum, digest, &len);
  b64 = g_base64_encode (digest, len);
  for (p = b64; *p; p++)
    {
      if (*p == '+')
        *p = '-';
      else if (*p == '/')
        *p = '_';
      else if (*p == '=')
        {
          *p = '\0';
          break;
        }
    }
  return g_steal_pointer (&b64);
}

static gboolean
valid_verifier (const char *v)
{
  gsize len = v ? strlen (v) : 0;

  if (len < 43 || len > 128)
    return FALSE;
  for (; *v; v++)
    if (!g_ascii_isalnum (*v) && !strchr ("-._~", *v))
      return FALSE;
  return TRUE;
}

static void
issue_tokens (SoupServerMessage *msg,
              const char        *scope,
              const char        *refresh,
              gboolean           include_refresh)
{
  g_autoptr(JsonObject) root = json_object_new ();
  AccessToken *t = g_new0 (AccessToken, 1);

  t->token = random_token ("ya29.fake-");
  t->scope = g_strdup (scope);
  t->expires = g_get_monotonic_time () + (gint64) fake.expires_in * G_USEC_PER_SEC;
  t->refresh = g_strdup (refresh);
  g_hash_table_replace (fake.access_tokens, t->token, t);

  json_object_set_string_member (root, "access_token", t->token);
  json_object_set_int_member (root, "expires_in", fake.expires_in);
  json_object_set_string_member (root, "scope", scope);
  json_object_set_string_member (root, "token_type", "Bearer");
  if (include_refresh)
    json_object_set_string_member (root, "refresh_token", refresh);
  set_object (msg, 200, root);
}

static void
handle_token (SoupServerMessage *msg)
{
  g_autoptr(GHashTable) form = NULL;
  const char *grant_type, *client_id, *client_secret;

  if (g_strcmp0 (soup_server_message_get_method (msg), "POST") != 0)
    {
      oauth_error (msg, 405, "invalid_request", "Use POST.");
      return;
    }
  form = parse_form_body (msg);
  grant_type = g_hash_table_lookup (form, "grant_type");
  client_id = g_hash_table_lookup (form, "client_id");
  client_secret = g_hash_table_lookup (form, "client_secret");

  if (g_strcmp0 (client_id, fake.client_id) != 0)
    {
      oauth_error (msg, 401, "invalid_client", "The OAuth client was not found.");
      return;
    }
  if (client_secret == NULL)
    {
      oauth_error (msg, 400, "invalid_request", "client_secret is missing.");
      return;
    }
  if (g_strcmp0 (client_secret, fake.client_secret) != 0)
    {
      oauth_error (msg, 401, "invalid_client", "Unauthorized");
      return;
    }

  if (g_strcmp0 (grant_type, "authorization_code") == 0)
    {
      const char *code_str = g_hash_table_lookup (form, "code");
      const char *verifier = g_hash_table_lookup (form, "code_verifier");
      const char *redirect_uri = g_hash_table_lookup (form, "redirect_uri");
      AuthCode *code = code_str ? g_hash_table_lookup (fake.codes, code_str) : NULL;
      g_autofree char *challenge = NULL;
      g_autofree char *refresh = NULL;

      if (code == NULL)
        {
          oauth_error (msg, 400, "invalid_grant", "Malformed auth code.");
          return;
        }
      if (g_strcmp0 (redirect_uri, code->redirect_uri) != 0)
        {
          g_hash_table_remove (fake.codes, code_str);
          oauth_error (msg, 400, "redirect_uri_mismatch", "Bad Request");
          return;
        }
      if (verifier == NULL)
        {
          g_hash_table_remove (fake.codes, code_str);
          oauth_error (msg, 400, "invalid_grant", "Missing code verifier.");
          return;
        }
      challenge = valid_verifier (verifier) ? s256 (verifier) : NULL;
      if (challenge == NULL || !g_str_equal (challenge, code->challenge))
        {
          g_hash_table_remove (fake.codes, code_str);
          oauth_error (msg, 400, "invalid_grant", "Invalid code verifier.");
          return;
        }

      refresh = random_token ("1//fake-");
      g_hash_table_replace (fake.refresh_tokens, g_strdup (refresh), g_strdup (code->scope));
      issue_tokens (msg, code->scope, refresh, TRUE);
      g_hash_table_remove (fake.codes, code_str);
      return;
    }

  if (g_strcmp0 (grant_type, "refresh_token") == 0)
    {
      const char *refresh = g_hash_table_lookup (form, "refresh_token");
      const char *scope = refresh ? g_hash_table_lookup (fake.refresh_tokens, refresh) : NULL;

      if (scope == NULL)
        {
          oauth_error (msg, 400, "invalid_grant", "Token has been expired or revoked.");
          return;
        }
      issue_tokens (msg, scope, refresh, FALSE);
      return;
    }

  oauth_error (msg, 400, "unsupported_grant_type", "Invalid grant_type.");
}

static void
handle_revoke (SoupServerMessage *msg)
{
  g_autoptr(GHashTable) form = parse_form_body (msg);
  const char *token = g_hash_table_lookup (form, "token");
  GHashTableIter iter;
  AccessToken *t;
  gboolean found = FALSE;

  if (token == NULL)
    {
      oauth_error (msg, 400, "invalid_request", "Missing required parameter: token");
      return;
    }

  if (g_hash_table_remove (fake.refresh_tokens, token))
    found = TRUE;
  g_hash_table_iter_init (&iter, fake.access_tokens);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &t))
    {
      if (g_str_equal (t->token, token) || g_strcmp0 (t->refresh, token) == 0)
        {
          if (t->refresh)
            g_hash_table_remove (fake.refresh_tokens, t->refresh);
          found = TRUE;
          g_hash_table_iter_remove (&iter);
        }
    }

  if (!found)
    {
      oauth_error (msg, 400, "invalid_token", "Token expired or revoked");
      return;
    }
  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC, "{}", 2);
}

/* Calendar v3 */

static AccessToken *
check_bearer (SoupServerMessage *msg)
{
  const char *auth = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                   "Authorization");
  AccessToken *t;

  if (auth == NULL || !g_str_has_prefix (auth, "Bearer ") ||
      !(t = g_hash_table_lookup (fake.access_tokens, auth + 7)) ||
      t->expires <= g_get_monotonic_time ())
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "WWW-Authenticate", "Bearer realm=\"https://accounts.google.com/\", error=\"invalid_token\"");
      api_error (msg, 401, "authError", "Request had invalid authentication credentials.");
      return NULL;
    }
  return t;
}

static gboolean
check_scope (SoupServerMessage *msg,
             AccessToken       *t,
             gboolean           write,
             gboolean           list_calendars)
{
  gboolean ok;

  if (list_calendars)
    ok = scope_has (t->scope, SCOPE_READONLY);
  else if (write)
    ok = scope_has (t->scope, SCOPE_EVENTS);
  else
    ok = scope_has (t->scope, SCOPE_EVENTS) || scope_has (t->scope, SCOPE_READONLY);
  if (!ok)
    api_error (msg, 403, "insufficientPermissions", "Request had insufficient authentication scopes.");
  return ok;
}

static void
handle_calendar_list (SoupServerMessage *msg)
{
  g_autoptr(JsonObject) root = json_object_new ();
  JsonArray *items = json_array_new ();

  for (guint i = 0; i < fake.calendars->len; i++)
    {
      Calendar *cal = g_ptr_array_index (fake.calendars, i);
      json_array_add_element (items, json_node_init_object (json_node_alloc (), cal->meta));
    }
  json_object_set_string_member (root, "kind", "calendar#calendarList");
  json_object_set_string_member (root, "etag", "\"p33c9u1r6ai0g0\"");
  json_object_set_string_member (root, "nextSyncToken", "CLDh1_fake");
  json_object_set_array_member (root, "items", items);
  set_object (msg, 200, root);
}

static const char *const sync_forbidden[] = {
  "iCalUID", "orderBy", "privateExtendedProperty", "q", "sharedExtendedProperty",
  "timeMin", "timeMax", "updatedMin", NULL
};

/* Page tokens carry the offset and the change counter the listing started
 * at, so the listing is stable across pages. */
static void
handle_events_list (SoupServerMessage *msg,
                    Calendar          *cal,
                    GHashTable        *query)
{
  const char *sync_token = query ? g_hash_table_lookup (query, "syncToken") : NULL;
  const char *page_token = query ? g_hash_table_lookup (query, "pageToken") : NULL;
  const char *time_min_s = query ? g_hash_table_lookup (query, "timeMin") : NULL;
  const char *time_max_s = query ? g_hash_table_lookup (query, "timeMax") : NULL;
  const char *max_s = query ? g_hash_table_lookup (query, "maxResults") : NULL;
  const char *single = query ? g_hash_table_lookup (query, "singleEvents") : NULL;
  const char *order_by = query ? g_hash_table_lookup (query, "orderBy") : NULL;
  const char *show_deleted = query ? g_hash_table_lookup (query, "showDeleted") : NULL;
  g_autoptr(GDateTime) time_min = NULL;
  g_autoptr(GDateTime) time_max = NULL;
  g_autoptr(GPtrArray) matches = g_ptr_array_new ();
  g_autoptr(JsonObject) root = json_object_new ();
  JsonArray *items = json_array_new ();
  guint64 since = 0, snapshot = fake.seq;
  guint offset = 0, max_results = 250;

  if (order_by && g_strcmp0 (single, "true") != 0)
    {
      api_error (msg, 400, "badRequest", "The requested ordering is not available for the particular query.");
      return;
    }
  if (max_s)
    {
      guint64 v;
      if (!g_ascii_string_to_unsigned (max_s, 10, 1, 2500, &v, NULL))
        {
          api_error (msg, 400, "invalid", "Invalid value for: maxResults");
          return;
        }
      max_results = v;
    }

  if (sync_token)
    {
      for (guint i = 0; sync_forbidden[i]; i++)
        if (g_hash_table_contains (query, sync_forbidden[i]))
          {
            g_autofree char *m = g_strdup_printf ("%s is not supported with syncToken", sync_forbidden[i]);
            api_error (msg, 400, "invalid", m);
            return;
          }
      if (!g_str_has_prefix (sync_token, "CPDAlv") ||
          !g_ascii_string_to_unsigned (sync_token + 6, 10, 0, G_MAXUINT64, &since, NULL) ||
          since < cal->min_sync || since > fake.seq)
        {
          api_error (msg, 410, "fullSyncRequired", "Sync token is no longer valid, a full sync is required.");
          return;
        }
    }
  else
    {
      if (time_min_s && !(time_min = g_date_time_new_from_iso8601 (time_min_s, NULL)))
        {
          api_error (msg, 400, "badRequest", "Bad Request");
          return;
        }
      if (time_max_s && !(time_max = g_date_time_new_from_iso8601 (time_max_s, NULL)))
        {
          api_error (msg, 400, "badRequest", "Bad Request");
          return;
        }
      if (time_min && time_max && g_date_time_compare (time_max, time_min) <= 0)
        {
          api_error (msg, 400, "timeRangeEmpty", "The specified time range is empty.");
          return;
        }
    }

  if (page_token)
    {
      guint64 o, s;
      if (sscanf (page_token, "EjYKK%" G_GUINT64_FORMAT "x%" G_GUINT64_FORMAT, &o, &s) != 2)
        {
          api_error (msg, 400, "invalid", "Invalid page token value.");
          return;
        }
      offset = o;
      snapshot = s;
    }

  for (guint i = 0; i < cal->events->len; i++)
    {
      Event *ev = g_ptr_array_index (cal->events, i);
      gboolean cancelled = g_strcmp0 (json_object_get_string_member_with_default (ev->json, "status", ""),
                                       "cancelled") == 0;

      if (ev->seq > snapshot)
        continue;
      if (sync_token)
        {
          if (ev->seq <= since)
            continue;
        }
      else
        {
          g_autoptr(GDateTime) start = event_time (cal, ev->json, "start");
          g_autoptr(GDateTime) end = event_time (cal, ev->json, "end");

          if (cancelled && g_strcmp0 (show_deleted, "true") != 0)
            continue;
          if (time_min && end && g_date_time_compare (end, time_min) <= 0)
            continue;
          if (time_max && start && g_date_time_compare (start, time_max) >= 0)
            continue;
        }
      g_ptr_array_add (matches, ev);
    }

  for (guint i = offset; i < matches->len && i < offset + max_results; i++)
    {
      Event *ev = g_ptr_array_index (matches, i);
      gboolean cancelled = g_strcmp0 (json_object_get_string_member_with_default (ev->json, "status", ""),
                                       "cancelled") == 0;

      if (cancelled && sync_token)
        {
          /* Deleted events come back thin, as Google sends them. */
          JsonObject *thin = json_object_new ();
          json_object_set_string_member (thin, "kind", "calendar#event");
          json_object_set_string_member (thin, "etag", json_object_get_string_member (ev->json, "etag"));
          json_object_set_string_member (thin, "id", json_object_get_string_member (ev->json, "id"));
          json_object_set_string_member (thin, "status", "cancelled");
          if (json_object_has_member (ev->json, "recurringEventId"))
            {
              json_object_set_string_member (thin, "recurringEventId",
                                             json_object_get_string_member (ev->json, "recurringEventId"));
              if (json_object_has_member (ev->json, "originalStartTime"))
                json_object_set_member (thin, "originalStartTime",
                                        json_node_copy (json_object_get_member (ev->json, "originalStartTime")));
            }
          json_array_add_object_element (items, thin);
        }
      else
        json_array_add_element (items, json_node_init_object (json_node_alloc (), ev->json));
    }

  json_object_set_string_member (root, "kind", "calendar#events");
  json_object_set_string_member (root, "etag", "\"p32g9vgnrkq8g0\"");
  json_object_set_string_member (root, "summary",
                                 json_object_get_string_member_with_default (cal->meta, "summary", cal->id));
  json_object_set_string_member (root, "timeZone",
                                 json_object_get_string_member_with_default (cal->meta, "timeZone", "UTC"));
  json_object_set_string_member (root, "accessRole", "owner");
  json_object_set_array_member (root, "defaultReminders", json_array_new ());
  {
    g_autofree char *updated = now_rfc3339 ();
    json_object_set_string_member (root, "updated", updated);
  }
  if (offset + max_results < matches->len)
    {
      g_autofree char *next = g_strdup_printf ("EjYKK%ux%" G_GUINT64_FORMAT, offset + max_results, snapshot);
      json_object_set_string_member (root, "nextPageToken", next);
    }
  else
    {
      g_autofree char *next = g_strdup_printf ("CPDAlv%" G_GUINT64_FORMAT, snapshot);
      json_object_set_string_member (root, "nextSyncToken", next);
    }
  json_object_set_array_member (root, "items", items);
  set_object (msg, 200, root);
}

/* Writes: a PATCH merges members; in extendedProperties.private/shared a
 * null value deletes the key. */
static void
merge_patch (JsonObject *target,
             JsonObject *patch)
{
  JsonObjectIter iter;
  const char *name;
  JsonNode *value;

  json_object_iter_init (&iter, patch);
  while (json_object_iter_next (&iter, &name, &value))
    {
      if (g_str_equal (name, "id") || g_str_equal (name, "etag") || g_str_equal (name, "kind"))
        continue;
      if (g_str_equal (name, "extendedProperties") && JSON_NODE_HOLDS_OBJECT (value) &&
          json_object_has_member (target, name) &&
          JSON_NODE_HOLDS_OBJECT (json_object_get_member (target, name)))
        {
          JsonObject *have = json_object_get_object_member (target, name);
          JsonObjectIter inner;
          const char *which;
          JsonNode *props;

          json_object_iter_init (&inner, json_node_get_object (value));
          while (json_object_iter_next (&inner, &which, &props))
            {
              JsonObjectIter kv;
              const char *k;
              JsonNode *v;
              JsonObject *dest;

              if (!JSON_NODE_HOLDS_OBJECT (props))
                continue;
              if (!json_object_has_member (have, which))
                json_object_set_object_member (have, which, json_object_new ());
              dest = json_object_get_object_member (have, which);
              json_object_iter_init (&kv, json_node_get_object (props));
              while (json_object_iter_next (&kv, &k, &v))
                {
                  if (JSON_NODE_HOLDS_NULL (v))
                    json_object_remove_member (dest, k);
                  else if (strlen (k) <= 44)
                    json_object_set_member (dest, k, json_node_copy (v));
                }
            }
          continue;
        }
      if (JSON_NODE_HOLDS_NULL (value))
        json_object_remove_member (target, name);
      else
        json_object_set_member (target, name, json_node_copy (value));
    }
}

static gboolean
check_if_match (SoupServerMessage *msg,
                Event             *ev)
{
  const char *if_match = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                       "If-Match");

  if (if_match && !g_str_equal (if_match, "*") &&
      !g_str_equal (if_match, json_object_get_string_member (ev->json, "etag")))
    {
      api_error (msg, 412, "conditionNotMet", "Precondition Failed");
      return FALSE;
    }
  return TRUE;
}

static void
handle_events_insert (SoupServerMessage *msg,
                      Calendar          *cal)
{
  g_autoptr(JsonNode) node = parse_body (msg);
  JsonObject *json;
  const char *id;
  g_autofree char *generated = NULL;
  Event *ev;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      api_error (msg, 400, "parseError", "Parse Error");
      return;
    }
  json = json_node_get_object (node);
  id = json_object_get_string_member_with_default (json, "id", NULL);
  if (id != NULL && !valid_event_id (id))
    {
      api_error (msg, 400, "invalid", "Invalid resource id value.");
      return;
    }
  if (id != NULL && g_hash_table_contains (cal->by_id, id))
    {
      api_error (msg, 409, "duplicate", "The requested identifier already exists.");
      return;
    }
  if (!event_times_valid (cal, json))
    {
      api_error (msg, 400, "timeRangeEmpty", "The specified time range is empty.");
      return;
    }
  if (id == NULL)
    {
      generated = g_strdup_printf ("fk%030" G_GUINT64_FORMAT, ++fake.counter);
      json_object_set_string_member (json, "id", generated);
    }
  json_object_remove_member (json, "etag");
  ev = event_store (cal, json);
  set_object (msg, 200, ev->json);
}

static void
handle_event (SoupServerMessage *msg,
              Calendar          *cal,
              const char        *event_id,
              AccessToken       *token)
{
  const char *method = soup_server_message_get_method (msg);
  Event *ev = g_hash_table_lookup (cal->by_id, event_id);
  gboolean cancelled = ev && g_strcmp0 (json_object_get_string_member_with_default (ev->json, "status", ""),
                                        "cancelled") == 0;

  if (!g_str_equal (method, "GET") && !check_scope (msg, token, TRUE, FALSE))
    return;

  if (ev == NULL)
    {
      api_error (msg, 404, "notFound", "Not Found");
      return;
    }

  if (g_str_equal (method, "GET"))
    {
      const char *inm = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                      "If-None-Match");
      if (inm && g_str_equal (inm, json_object_get_string_member (ev->json, "etag")))
        {
          soup_server_message_set_status (msg, 304, NULL);
          return;
        }
      set_object (msg, 200, ev->json);
      return;
    }

  if (g_str_equal (method, "DELETE"))
    {
      if (cancelled)
        {
          api_error (msg, 410, "deleted", "Resource has been deleted");
          return;
        }
      if (!check_if_match (msg, ev))
        return;
      json_object_set_string_member (ev->json, "status", "cancelled");
      event_touch (ev);
      soup_server_message_set_status (msg, 204, NULL);
      return;
    }

  if (g_str_equal (method, "PATCH") || g_str_equal (method, "PUT"))
    {
      g_autoptr(JsonNode) node = parse_body (msg);
      g_autoptr(JsonObject) updated = NULL;

      if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
        {
          api_error (msg, 400, "parseError", "Parse Error");
          return;
        }
      if (!check_if_match (msg, ev))
        return;

      if (g_str_equal (method, "PATCH"))
        {
          g_autoptr(JsonNode) have = json_node_init_object (json_node_alloc (), ev->json);
          g_autoptr(JsonNode) copy = json_node_copy (have);

          updated = json_object_ref (json_node_get_object (copy));
          merge_patch (updated, json_node_get_object (node));
        }
      else
        {
          /* PUT replaces the event; the server's own members stay. */
          static const char *const kept[] = { "id", "created", "htmlLink", "sequence", "iCalUID",
                                              "recurringEventId", "originalStartTime", NULL };
          updated = json_object_ref (json_node_get_object (node));
          for (guint i = 0; kept[i]; i++)
            {
              if (json_object_has_member (ev->json, kept[i]))
                json_object_set_member (updated, kept[i],
                                        json_node_copy (json_object_get_member (ev->json, kept[i])));
            }
          json_object_set_string_member (updated, "kind", "calendar#event");
        }
      if (!event_times_valid (cal, updated))
        {
          api_error (msg, 400, "timeRangeEmpty", "The specified time range is empty.");
          return;
        }
      if (!json_object_has_member (updated, "status"))
        json_object_set_string_member (updated, "status", "confirmed");
      json_object_unref (ev->json);
      ev->json = json_object_ref (updated);
      g_hash_table_insert (cal->by_id, (gpointer) json_object_get_string_member (ev->json, "id"), ev);
      event_touch (ev);
      set_object (msg, 200, ev->json);
      return;
    }

  api_error (msg, 405, "httpMethodNotAllowed", "Method Not Allowed");
}

/* base64url (or plain base64), with or without padding, as Gmail takes
 * "raw"; NULL when it is not that. */
static GBytes *
decode_raw (const char *raw)
{
  g_autoptr(GString) copy = g_string_new (raw);
  guchar *data;
  gsize length;

  if (*raw == '\0' ||
      strspn (raw, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_+/=") != strlen (raw))
    return NULL;
  while (copy->len > 0 && copy->str[copy->len - 1] == '=')
    g_string_truncate (copy, copy->len - 1);
  if (strchr (copy->str, '=') != NULL || copy->len % 4 == 1)
    return NULL;
  for (char *p = copy->str; *p; p++)
    *p = *p == '-' ? '+' : *p == '_' ? '/' : *p;
  while (copy->len % 4 != 0)
    g_string_append_c (copy, '=');
  data = g_base64_decode (copy->str, &length);
  return g_bytes_new_take (data, length);
}

/* The value of header @name in the head of @mime (unfolded), or NULL. */
static char *
mime_header (const char *mime,
             gsize       head_length,
             const char *name)
{
  g_auto(GStrv) lines = NULL;
  g_autofree char *head = g_strndup (mime, head_length);
  GString *value = NULL;

  lines = g_strsplit (head, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *line = lines[i];
      gsize len = strlen (line);

      if (len > 0 && line[len - 1] == '\r')
        line[len - 1] = '\0';
      if (value != NULL)
        {
          if (line[0] == ' ' || line[0] == '\t')
            {
              g_string_append (value, line);
              continue;
            }
          break;
        }
      if (g_ascii_strncasecmp (line, name, strlen (name)) == 0 && line[strlen (name)] == ':')
        value = g_string_new (g_strstrip (line + strlen (name) + 1));
    }
  return value ? g_string_free (value, FALSE) : NULL;
}

/* Gmail's users.messages.send (notify-wire.md §2): {"raw": base64url} on
 * the plain endpoint, the message's bytes on the upload one. A message
 * with no recipient, or a To that is not an address, is a 400; a From that
 * is not the account's is replaced by the account's. The message as sent is
 * kept, decoded, for GET /_fake/messages ("mime"). */
static void
handle_gmail_send (SoupServerMessage *msg,
                   AccessToken       *token,
                   gboolean           upload)
{
  g_autoptr(JsonObject) reply = json_object_new ();
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *to = NULL;
  g_autofree char *cc = NULL;
  g_autofree char *bcc = NULL;
  g_autofree char *from = NULL;
  g_autofree char *id = NULL;
  g_autofree char *raw_out = NULL;
  g_autoptr(GString) mime = NULL;
  JsonObject *stored;
  JsonArray *labels;
  const char *data;
  const char *end;
  gsize length;
  gsize head_length;

  if (!scope_has (token->scope, SCOPE_GMAIL))
    {
      api_error (msg, 403, "insufficientPermissions", "Request had insufficient authentication scopes.");
      return;
    }
  if (upload)
    {
      const char *type = soup_message_headers_get_content_type (soup_server_message_get_request_headers (msg), NULL);

      if (type == NULL || !g_str_has_prefix (type, "message/"))
        {
          api_error (msg, 400, "badContent", "Media type is not supported. Valid media types: [message/*]");
          return;
        }
      bytes = soup_message_body_flatten (soup_server_message_get_request_body (msg));
      if (g_bytes_get_size (bytes) > 36700160)
        {
          api_error (msg, 413, "uploadTooLarge", "Media larger than: 36700160");
          return;
        }
    }
  else
    {
      g_autoptr(JsonNode) node = parse_body (msg);
      const char *raw;

      if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node) ||
          !(raw = json_object_get_string_member_with_default (json_node_get_object (node), "raw", NULL)))
        {
          api_error (msg, 400, "invalidArgument", "'raw' RFC822 payload message string or uploading message via /upload/* URL required");
          return;
        }
      if (!(bytes = decode_raw (raw)))
        {
          api_error (msg, 400, "invalidArgument", "Invalid value for ByteString");
          return;
        }
    }

  /* A copy that ends in a NUL, for the string functions. */
  mime = g_string_new_len (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  data = mime->str;
  length = mime->len;
  if (memchr (data, '\0', length) != NULL)
    {
      api_error (msg, 400, "invalidArgument", "Invalid value for ByteString");
      return;
    }
  end = strstr (data, "\r\n\r\n");
  if (end == NULL)
    end = strstr (data, "\n\n");
  head_length = end ? (gsize) (end - data) : length;
  to = mime_header (data, head_length, "To");
  cc = mime_header (data, head_length, "Cc");
  bcc = mime_header (data, head_length, "Bcc");
  from = mime_header (data, head_length, "From");
  if ((to == NULL || *to == '\0') && (cc == NULL || *cc == '\0') && (bcc == NULL || *bcc == '\0'))
    {
      api_error (msg, 400, "invalidArgument", "Recipient address required");
      return;
    }
  if (to != NULL && *to != '\0' && strchr (to, '@') == NULL)
    {
      api_error (msg, 400, "invalidArgument", "Invalid To header");
      return;
    }

  if (from == NULL || strstr (from, fake.account) == NULL)
    {
      /* Not the account (nor an alias, which the fake has none of): Gmail
       * puts the account's address there, silently. */
      g_autofree char *line = g_strdup_printf ("From: %s\r\n", fake.account);
      const char *at = NULL;

      for (const char *p = mime->str; p != NULL && p < mime->str + head_length; p = strchr (p, '\n'), p = p ? p + 1 : NULL)
        if (g_ascii_strncasecmp (p, "From:", 5) == 0)
          {
            at = p;
            break;
          }
      if (at != NULL)
        {
          gsize offset = at - mime->str;
          const char *next = at;

          /* The header with its folded lines. */
          do
            next = strchr (next, '\n') ? strchr (next, '\n') + 1 : mime->str + mime->len;
          while (*next == ' ' || *next == '\t');
          g_string_erase (mime, offset, next - at);
          g_string_insert (mime, offset, line);
        }
      else
        g_string_prepend (mime, line);
    }

  id = g_strdup_printf ("18c%013" G_GUINT64_FORMAT, ++fake.counter);
  raw_out = g_base64_encode ((const guchar *) mime->str, mime->len);
  for (char *p = raw_out; *p; p++)
    *p = *p == '+' ? '-' : *p == '/' ? '_' : *p;
  stored = json_object_new ();
  json_object_set_string_member (stored, "id", id);
  json_object_set_string_member (stored, "threadId", id);
  json_object_set_string_member (stored, "raw", raw_out);
  if (g_utf8_validate (mime->str, mime->len, NULL))
    json_object_set_string_member (stored, "mime", mime->str);
  json_array_add_object_element (fake.messages, stored);

  labels = json_array_new ();
  json_array_add_string_element (labels, "SENT");
  json_object_set_string_member (reply, "id", id);
  json_object_set_string_member (reply, "threadId", id);
  json_object_set_array_member (reply, "labelIds", labels);
  set_object (msg, 200, reply);
}

static void
handle_api (SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query)
{
  const char *method = soup_server_message_get_method (msg);
  AccessToken *token;
  g_auto(GStrv) parts = NULL;
  guint n;

  if (g_str_equal (path, "/o/oauth2/v2/auth"))
    {
      handle_authorize (msg, query);
      return;
    }
  if (g_str_equal (path, "/token"))
    {
      handle_token (msg);
      return;
    }
  if (g_str_equal (path, "/revoke"))
    {
      handle_revoke (msg);
      return;
    }

  if (!(token = check_bearer (msg)))
    return;

  if (g_str_equal (path, "/gmail/v1/users/me/messages/send") && g_str_equal (method, "POST"))
    {
      handle_gmail_send (msg, token, FALSE);
      return;
    }
  if (g_str_equal (path, "/upload/gmail/v1/users/me/messages/send") && g_str_equal (method, "POST"))
    {
      if (g_strcmp0 (query ? g_hash_table_lookup (query, "uploadType") : NULL, "media") != 0)
        api_error (msg, 400, "invalidArgument", "Invalid uploadType");
      else
        handle_gmail_send (msg, token, TRUE);
      return;
    }

  if (g_str_equal (path, "/calendar/v3/users/me/calendarList") && g_str_equal (method, "GET"))
    {
      if (check_scope (msg, token, FALSE, TRUE))
        handle_calendar_list (msg);
      return;
    }

  /* /calendar/v3/calendars/{calendarId}/events[/{eventId}] */
  parts = g_strsplit (path, "/", -1);
  n = g_strv_length (parts);
  if (n >= 6 && n <= 7 && g_str_equal (parts[1], "calendar") && g_str_equal (parts[2], "v3") &&
      g_str_equal (parts[3], "calendars") && g_str_equal (parts[5], "events"))
    {
      g_autofree char *cal_id = g_uri_unescape_string (parts[4], NULL);
      Calendar *cal = cal_id ? calendar_lookup (cal_id) : NULL;

      if (cal == NULL)
        {
          api_error (msg, 404, "notFound", "Not Found");
          return;
        }
      if (n == 6)
        {
          if (g_str_equal (method, "GET"))
            {
              if (check_scope (msg, token, FALSE, FALSE))
                handle_events_list (msg, cal, query);
            }
          else if (g_str_equal (method, "POST"))
            {
              if (check_scope (msg, token, TRUE, FALSE))
                handle_events_insert (msg, cal);
            }
          else
            api_error (msg, 405, "httpMethodNotAllowed", "Method Not Allowed");
          return;
        }
      else
        {
          g_autofree char *event_id = g_uri_unescape_string (parts[6], NULL);

          if (!check_scope (msg, token, FALSE, FALSE))
            return;
          handle_event (msg, cal, event_id ? event_id : "", token);
          return;
        }
    }

  api_error (msg, 404, "notFound", "Not Found");
}

/* The control API */

static void
seed_from (JsonObject *root)
{
  JsonArray *cals = json_object_has_member (root, "calendars") ?
                    json_object_get_array_member (root, "calendars") : NULL;
  JsonObject *events = json_object_has_member (root, "events") ?
                       json_object_get_object_member (root, "events") : NULL;

  g_ptr_array_set_size (fake.calendars, 0);
  if (json_object_has_member (root, "account"))
    {
      g_free (fake.account);
      fake.account = g_strdup (json_object_get_string_member (root, "account"));
    }

  if (cals == NULL || json_array_get_length (cals) == 0)
    {
      g_autoptr(JsonObject) meta = json_object_new ();

      json_object_set_string_member (meta, "summary", fake.account);
      json_object_set_boolean_member (meta, "primary", TRUE);
      json_object_set_boolean_member (meta, "selected", TRUE);
      calendar_add (fake.account, meta);
    }
  else
    for (guint i = 0; i < json_array_get_length (cals); i++)
      {
        JsonObject *meta = json_array_get_object_element (cals, i);
        calendar_add (json_object_get_string_member (meta, "id"), meta);
      }

  if (events)
    {
      JsonObjectIter iter;
      const char *cal_id;
      JsonNode *list;

      json_object_iter_init (&iter, events);
      while (json_object_iter_next (&iter, &cal_id, &list))
        {
          Calendar *cal = calendar_lookup (cal_id);
          JsonArray *array = json_node_get_array (list);

          if (cal == NULL)
            continue;
          for (guint i = 0; i < json_array_get_length (array); i++)
            {
              JsonNode *copy = json_node_copy (json_array_get_element (array, i));
              JsonObject *json = json_node_get_object (copy);

              if (!json_object_has_member (json, "id"))
                {
                  g_autofree char *id = g_strdup_printf ("sd%030" G_GUINT64_FORMAT, ++fake.counter);
                  json_object_set_string_member (json, "id", id);
                }
              if (!g_hash_table_contains (cal->by_id, json_object_get_string_member (json, "id")))
                event_store (cal, json);
              json_node_unref (copy);
            }
        }
    }
}

static Fault *
fault_from (JsonObject *o)
{
  Fault *f = g_new0 (Fault, 1);

  f->path = g_strdup (json_object_get_string_member_with_default (o, "path", NULL));
  f->method = g_strdup (json_object_get_string_member_with_default (o, "method", NULL));
  f->status = json_object_get_int_member_with_default (o, "status", 0);
  f->reason = g_strdup (json_object_get_string_member_with_default (o, "reason", NULL));
  f->retry_after = json_object_get_int_member_with_default (o, "retryAfter", -1);
  f->latency_ms = json_object_get_int_member_with_default (o, "latencyMs", 0);
  f->hold_ms = json_object_get_int_member_with_default (o, "holdMs", 0);
  f->drop = json_object_get_boolean_member_with_default (o, "drop", FALSE);
  f->drop_after = json_object_get_boolean_member_with_default (o, "dropAfter", FALSE);
  f->expire_token = json_object_get_boolean_member_with_default (o, "expireToken", FALSE);
  f->count = json_object_get_int_member_with_default (o, "count", 1);
  f->probability = json_object_get_double_member_with_default (o, "probability", 1.0);
  if (f->count == 0)
    f->count = -1;
  return f;
}

static void
handle_control (SoupServerMessage *msg,
                const char        *path,
                GHashTable        *query)
{
  const char *method = soup_server_message_get_method (msg);
  g_autoptr(JsonNode) body = NULL;
  JsonObject *obj = NULL;

  if (g_str_equal (method, "POST"))
    {
      body = parse_body (msg);
      if (body && JSON_NODE_HOLDS_OBJECT (body))
        obj = json_node_get_object (body);
      else if (body)
        {
          api_error (msg, 400, "parseError", "An object is needed");
          return;
        }
    }

  if (g_str_equal (path, "/_fake/log"))
    {
      if (g_str_equal (method, "DELETE"))
        {
          json_array_unref (fake.log);
          fake.log = json_array_new ();
          soup_server_message_set_status (msg, 204, NULL);
        }
      else
        {
          g_autoptr(JsonNode) node = json_node_new (JSON_NODE_ARRAY);
          json_node_set_array (node, fake.log);
          set_json (msg, 200, node);
        }
      return;
    }

  if (g_str_equal (path, "/_fake/faults"))
    {
      if (g_str_equal (method, "DELETE"))
        {
          g_ptr_array_set_size (fake.faults, 0);
          soup_server_message_set_status (msg, 204, NULL);
          return;
        }
      if (obj)
        {
          JsonArray *list = json_object_has_member (obj, "faults") ?
                            json_object_get_array_member (obj, "faults") : NULL;

          if (list)
            for (guint i = 0; i < json_array_get_length (list); i++)
              g_ptr_array_add (fake.faults, fault_from (json_array_get_object_element (list, i)));
          else
            g_ptr_array_add (fake.faults, fault_from (obj));
        }
      soup_server_message_set_status (msg, 204, NULL);
      return;
    }

  if (g_str_equal (path, "/_fake/seed") && obj)
    {
      seed_from (obj);
      soup_server_message_set_status (msg, 204, NULL);
      return;
    }

  if (g_str_equal (path, "/_fake/consent") && obj)
    {
      fake.deny = json_object_get_boolean_member_with_default (obj, "deny", FALSE);
      g_clear_pointer (&fake.grant_scopes, g_strfreev);
      if (json_object_has_member (obj, "scopes") &&
          JSON_NODE_HOLDS_ARRAY (json_object_get_member (obj, "scopes")))
        {
          JsonArray *a = json_object_get_array_member (obj, "scopes");
          GStrvBuilder *b = g_strv_builder_new ();

          for (guint i = 0; i < json_array_get_length (a); i++)
            g_strv_builder_add (b, json_array_get_string_element (a, i));
          fake.grant_scopes = g_strv_builder_end (b);
          g_strv_builder_unref (b);
        }
      if (json_object_has_member (obj, "expiresIn"))
        fake.expires_in = json_object_get_int_member (obj, "expiresIn");
      soup_server_message_set_status (msg, 204, NULL);
      return;
    }

  if (g_str_equal (path, "/_fake/tokens") && obj)
    {
      if (json_object_get_boolean_member_with_default (obj, "expireAccess", FALSE))
        {
          GHashTableIter iter;
          AccessToken *t;

          g_hash_table_iter_init (&iter, fake.access_tokens);
          while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &t))
            t->expires = 0;
        }
      if (json_object_get_boolean_member_with_default (obj, "revokeRefresh", FALSE))
        g_hash_table_remove_all (fake.refresh_tokens);
      soup_server_message_set_status (msg, 204, NULL);
      return;
    }

  if (g_str_equal (path, "/_fake/tokens") && g_str_equal (method, "GET"))
    {
      g_autoptr(JsonObject) root = json_object_new ();

      json_object_set_int_member (root, "refreshTokens", g_hash_table_size (fake.refresh_tokens));
      json_object_set_int_member (root, "accessTokens", g_hash_table_size (fake.access_tokens));
      set_object (msg, 200, root);
      return;
    }

  if (g_str_equal (path, "/_fake/expire-sync-tokens") && g_str_equal (method, "POST"))
    {
      const char *cal_id = obj ? json_object_get_string_member_with_default (obj, "calendarId", NULL) : NULL;

      for (guint i = 0; i < fake.calendars->len; i++)
        {
          Calendar *cal = g_ptr_array_index (fake.calendars, i);
          if (cal_id == NULL || cal == calendar_lookup (cal_id))
            cal->min_sync = fake.seq + 1;
        }
      soup_server_message_set_status (msg, 204, NULL);
      return;
    }

  /* GET lists a calendar's whole store, cancelled events included;
   * POST changes it as Olga would in Google Calendar, bypassing auth:
   * {"calendarId","insert"|"patch":{…event…}|"delete":"id"}. */
  if (g_str_equal (path, "/_fake/events"))
    {
      const char *cal_id = query ? g_hash_table_lookup (query, "calendarId") : NULL;
      Calendar *cal;

      if (obj)
        cal_id = json_object_get_string_member_with_default (obj, "calendarId", cal_id);
      cal = calendar_lookup (cal_id ? cal_id : "primary");
      if (cal == NULL)
        {
          api_error (msg, 404, "notFound", "No such calendar");
          return;
        }
      if (g_str_equal (method, "GET"))
        {
          g_autoptr(JsonNode) node = json_node_new (JSON_NODE_ARRAY);
          JsonArray *items = json_array_new ();

          for (guint i = 0; i < cal->events->len; i++)
            json_array_add_element (items, json_node_init_object (json_node_alloc (),
                                                                  ((Event *) g_ptr_array_index (cal->events, i))->json));
          json_node_take_array (node, items);
          set_json (msg, 200, node);
          return;
        }
      if (obj && json_object_has_member (obj, "insert"))
        {
          JsonNode *copy = json_node_copy (json_object_get_member (obj, "insert"));
          JsonObject *json = json_node_get_object (copy);
          Event *ev;

          if (!json_object_has_member (json, "id"))
            {
              g_autofree char *id = g_strdup_printf ("ol%030" G_GUINT64_FORMAT, ++fake.counter);
              json_object_set_string_member (json, "id", id);
            }
          ev = event_store (cal, json);
          json_node_unref (copy);
          set_object (msg, 200, ev->json);
          return;
        }
      if (obj && json_object_has_member (obj, "patch"))
        {
          JsonObject *patch = json_object_get_object_member (obj, "patch");
          Event *ev = g_hash_table_lookup (cal->by_id,
                                           json_object_get_string_member_with_default (patch, "id", ""));
          if (ev == NULL)
            {
              api_error (msg, 404, "notFound", "Not Found");
              return;
            }
          merge_patch (ev->json, patch);
          event_touch (ev);
          set_object (msg, 200, ev->json);
          return;
        }
      if (obj && json_object_has_member (obj, "delete"))
        {
          Event *ev = g_hash_table_lookup (cal->by_id, json_object_get_string_member (obj, "delete"));
          if (ev == NULL)
            {
              api_error (msg, 404, "notFound", "Not Found");
              return;
            }
          json_object_set_string_member (ev->json, "status", "cancelled");
          event_touch (ev);
          soup_server_message_set_status (msg, 204, NULL);
          return;
        }
    }

  if (g_str_equal (path, "/_fake/messages") && g_str_equal (method, "GET"))
    {
      g_autoptr(JsonNode) node = json_node_new (JSON_NODE_ARRAY);
      json_node_set_array (node, fake.messages);
      set_json (msg, 200, node);
      return;
    }

  api_error (msg, 404, "notFound", "No such control endpoint");
}

static void
handler (SoupServer        *server,
         SoupServerMessage *msg,
         const char        *path,
         GHashTable        *query,
         gpointer           user_data)
{
  Fault *fault;

  if (g_str_has_prefix (path, "/_fake/"))
    {
      handle_control (msg, path, query);
      return;
    }

  fault = take_fault (msg, path);
  if (fault && fault->latency_ms > 0)
    {
      Deferred *d = g_new0 (Deferred, 1);
      Fault *copy = g_new0 (Fault, 1);

      *copy = *fault;
      copy->path = copy->method = NULL;
      copy->reason = g_strdup (fault->reason);
      g_object_set_data_full (G_OBJECT (msg), "fake-fault", copy, fault_free);
      prune_faults ();
      d->msg = g_object_ref (msg);
      d->path = g_strdup (path);
      d->query = query ? g_hash_table_ref (query) : NULL;
      soup_server_message_pause (msg);
      g_timeout_add (copy->latency_ms, deferred_cb, d);
      return;
    }
  if (fault && fault->hold_ms > 0)
    {
      /* What the request reads is read now; the answer travels long. */
      guint hold_ms = fault->hold_ms;

      prune_faults ();
      handle_api (msg, path, query);
      log_request (msg, path);
      soup_server_message_pause (msg);
      g_timeout_add (hold_ms, held_cb, g_object_ref (msg));
      return;
    }
  if (fault)
    {
      Fault copy = *fault;
      apply_fault (msg, &copy, path, query);
      prune_faults ();
      return;
    }

  handle_api (msg, path, query);
  log_request (msg, path);
}

static gboolean
quit_cb (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SoupServer) server = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autofree char *seed_file = NULL;
  g_autofree char *grant = NULL;
  GSList *uris;
  int port = 0;
  gboolean deny = FALSE;
  const GOptionEntry entries[] = {
    { "port", 'p', 0, G_OPTION_ARG_INT, &port, "Port (default: any free one)", "N" },
    { "client-id", 0, 0, G_OPTION_ARG_STRING, &fake.client_id, "OAuth client id (default: fake-client-id)", "ID" },
    { "client-secret", 0, 0, G_OPTION_ARG_STRING, &fake.client_secret, "OAuth client secret (default: fake-client-secret)", "S" },
    { "seed", 0, 0, G_OPTION_ARG_FILENAME, &seed_file, "JSON file with calendars and events, as POST /_fake/seed takes", "FILE" },
    { "grant-scopes", 0, 0, G_OPTION_ARG_STRING, &grant, "Grant only these scopes (space-separated)", "SCOPES" },
    { "deny", 0, 0, G_OPTION_ARG_NONE, &deny, "Answer every consent with access_denied", NULL },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &opt_quiet, "Print only the base URL", NULL },
    { NULL }
  };

  context = g_option_context_new ("— a fake Google OAuth, Calendar v3 and Gmail for tests");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("fake-google: %s\n", error->message);
      return 2;
    }

  if (fake.client_id == NULL)
    fake.client_id = g_strdup ("fake-client-id");
  if (fake.client_secret == NULL)
    fake.client_secret = g_strdup ("fake-client-secret");
  fake.account = g_strdup ("olga.rozet@example.com");
  fake.calendars = g_ptr_array_new_with_free_func (calendar_free);
  fake.codes = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, auth_code_free);
  fake.access_tokens = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, access_token_free);
  fake.refresh_tokens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  fake.faults = g_ptr_array_new_with_free_func (fault_free);
  fake.log = json_array_new ();
  fake.messages = json_array_new ();
  fake.expires_in = 3599;
  fake.deny = deny;
  if (grant)
    fake.grant_scopes = g_strsplit (grant, " ", -1);

  server = soup_server_new ("server-header", "ESF", NULL);
  soup_server_add_handler (server, NULL, handler, NULL, NULL);
  if (!soup_server_listen_local (server, port, SOUP_SERVER_LISTEN_IPV4_ONLY, &error))
    {
      g_printerr ("fake-google: %s\n", error->message);
      return 1;
    }
  uris = soup_server_get_uris (server);
  fake.base_url = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  if (seed_file)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();

      if (!json_parser_load_from_file (parser, seed_file, &error) ||
          !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
        {
          g_printerr ("fake-google: %s: %s\n", seed_file, error ? error->message : "not an object");
          return 1;
        }
      seed_from (json_node_get_object (json_parser_get_root (parser)));
    }
  else
    {
      g_autoptr(JsonObject) empty = json_object_new ();
      seed_from (empty);
    }

  printf ("%s\n", fake.base_url);
  if (!opt_quiet)
    printf ("OKNO_GOOGLE_AUTH_URL=%s/o/oauth2/v2/auth\n"
            "OKNO_GOOGLE_TOKEN_URL=%s/token\n"
            "OKNO_GOOGLE_CALENDAR_URL=%s/calendar/v3\n"
            "OKNO_GMAIL_URL=%s/gmail/v1\n",
            fake.base_url, fake.base_url, fake.base_url, fake.base_url);
  fflush (stdout);

  loop = g_main_loop_new (NULL, FALSE);
  g_unix_signal_add (SIGTERM, quit_cb, loop);
  g_unix_signal_add (SIGINT, quit_cb, loop);
  g_main_loop_run (loop);
  return 0;
}
