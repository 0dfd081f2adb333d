/* okno-web-api.c
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "OknoWebApi"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "okno-errors.h"
#include "okno-slot-write-sink.h"
#include "okno-time.h"
#include "okno-web-api.h"
#include "okno-web-input.h"
#include "okno-web-reply.h"
#include "okno-web-server-private.h"
#include "okno-web-waitlist.h"

/* The public JSON API: GET /api/slots, POST /api/book, POST /api/cancel,
 * POST /api/reschedule, GET /api/status. The contract is in README.md and ARCHITECTURE.md. */

#define DEFAULT_RANGE_DAYS 14
#define MAX_RANGE_DAYS     92

static gboolean
method_is (SoupServerMessage *msg,
           const char        *method)
{
  return g_str_equal (soup_server_message_get_method (msg), method);
}

static void
reply_method_not_allowed (SoupServerMessage *msg,
                          OknoWebCatalog    *catalog,
                          const char        *allow)
{
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Allow", allow);
  okno_web_reply_error (msg, catalog, SOUP_STATUS_METHOD_NOT_ALLOWED, "method_not_allowed",
                        N_("This method is not allowed here."), NULL);
}

static GTimeZone *
zone_from (OknoWebServer *server,
           const char    *name)
{
  if (name == NULL || name[0] == '\0')
    return g_time_zone_ref (okno_schedule_get_time_zone (okno_booking_service_get_schedule (
                              _okno_web_server_get_service (server))));

  return okno_time_zone_new (name);
}

static const char *
zone_name (OknoWebServer *server,
           GTimeZone     *zone,
           const char    *requested)
{
  if (requested != NULL && requested[0] != '\0')
    return requested;

  return okno_schedule_get_time_zone_name (okno_booking_service_get_schedule (
                                             _okno_web_server_get_service (server)));
}

/* Reads the body as one JSON object; answers 400 itself when it is not. */
static JsonObject *
read_json_object (SoupServerMessage *msg,
                  OknoWebCatalog    *catalog)
{
  g_autoptr(GBytes) body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  gsize length;
  const char *data = g_bytes_get_data (body, &length);
  g_autofree char *bad_member = NULL;
  JsonNode *root;

  if (length > OKNO_WEB_MAX_BODY)
    {
      okno_web_reply_error (msg, catalog, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "too_large",
                            N_("The request is too large."), NULL);
      return NULL;
    }

  /* json-glib would cut a string at an escaped NUL: refuse those too. */
  if (length == 0 || memchr (data, '\0', length) != NULL ||
      g_strstr_len (data, length, "\\u0000") != NULL ||
      !g_utf8_validate_len (data, length, NULL) ||
      !json_parser_load_from_data (parser, data, length, NULL))
    {
      okno_web_reply_error (msg, catalog, SOUP_STATUS_BAD_REQUEST, "invalid_json",
                            N_("The request body is not valid JSON."), NULL);
      return NULL;
    }

  root = json_parser_get_root (parser);
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      okno_web_reply_error (msg, catalog, SOUP_STATUS_BAD_REQUEST, "invalid_json",
                            N_("The request body must be a JSON object."), NULL);
      return NULL;
    }

  /* Every string, before any handler sees one (a lone \ud800 parses). */
  if ((bad_member = okno_web_input_check_json (root)) != NULL)
    {
      g_autoptr(GHashTable) fields = g_hash_table_new (g_str_hash, g_str_equal);

      g_hash_table_insert (fields, bad_member, (gpointer) OKNO_WEB_INPUT_UNUSABLE);
      okno_web_reply_error (msg, catalog, SOUP_STATUS_BAD_REQUEST, "invalid",
                            N_("Please check the highlighted fields."), fields);
      return NULL;
    }

  return json_object_ref (json_node_get_object (root));
}

/* A string member, or NULL when absent or null; any other type is a field
 * error. Embedded NULs (\u0000) are refused, never truncated silently. */
static char *
dup_string_member (JsonObject *object,
                   const char *member,
                   GHashTable *errors)
{
  JsonNode *node = json_object_get_member (object, member);
  const char *value;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return NULL;

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      g_hash_table_replace (errors, g_strdup (member), g_strdup (N_("This field must be text.")));
      return NULL;
    }

  value = json_node_get_string (node);
  return g_strdup (value);
}

JsonNode *
okno_web_api_booking_node (OknoBooking *booking,
                           const char  *base_url,
                           const char  *token,
                           GTimeZone   *zone)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *start = okno_time_format_rfc3339 (okno_booking_get_start (booking), zone);
  g_autofree char *end = okno_time_format_rfc3339 (okno_booking_get_end (booking), zone);
  g_autofree char *escaped_token = g_uri_escape_string (token ? token : "", NULL, FALSE);
  g_autofree char *cancel_url = NULL;
  g_autofree char *ics_url = NULL;
  g_autofree char *reschedule_url = NULL;
  const char *id = okno_booking_get_id (booking);

  cancel_url = g_strdup_printf ("%s/booking/%s?token=%s", base_url, id, escaped_token);
  ics_url = g_strdup_printf ("%s/booking/%s.ics?token=%s", base_url, id, escaped_token);
  reschedule_url = g_strdup_printf ("%s/reschedule?booking=%s&token=%s", base_url, id, escaped_token);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, id);
  json_builder_set_member_name (builder, "slotId");
  json_builder_add_string_value (builder, okno_booking_get_slot_id (booking));
  json_builder_set_member_name (builder, "start");
  json_builder_add_string_value (builder, start);
  json_builder_set_member_name (builder, "end");
  json_builder_add_string_value (builder, end);
  json_builder_set_member_name (builder, "title");
  json_builder_add_string_value (builder, okno_booking_get_session_type (booking)
                                          ? okno_booking_get_session_type (booking) : "");
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, okno_booking_get_status_string (booking));
  if (token != NULL)
    {
      json_builder_set_member_name (builder, "cancelUrl");
      json_builder_add_string_value (builder, cancel_url);
      json_builder_set_member_name (builder, "icsUrl");
      json_builder_add_string_value (builder, ics_url);
      /* The page that changes the time (the confirmation email links it). */
      json_builder_set_member_name (builder, "rescheduleUrl");
      json_builder_add_string_value (builder, reschedule_url);
    }
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

static GBytes *
build_slots_body (OknoWebServer *server,
                  GDateTime     *from,
                  GDateTime     *to,
                  GTimeZone     *zone,
                  const char    *name,
                  GDateTime     *now,
                  GDateTime    **next_change)
{
  OknoSchedule *schedule = okno_booking_service_get_schedule (_okno_web_server_get_service (server));
  g_autoptr(GPtrArray) slots = okno_schedule_dup_bookable_slots (schedule, from, to, now, next_change);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *current_day = NULL;
  char *data;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "timeZone");
  json_builder_add_string_value (builder, name);
  json_builder_set_member_name (builder, "slots");
  json_builder_begin_object (builder);

  for (guint i = 0; i < slots->len; i++)
    {
      OknoSlot *slot = g_ptr_array_index (slots, i);
      g_autofree char *day = okno_time_format_date (okno_slot_get_start (slot), zone);
      g_autofree char *start = okno_time_format_rfc3339 (okno_slot_get_start (slot), zone);
      g_autofree char *end = okno_time_format_rfc3339 (okno_slot_get_end (slot), zone);

      if (g_strcmp0 (day, current_day) != 0)
        {
          if (current_day != NULL)
            json_builder_end_array (builder);
          g_free (current_day);
          current_day = g_strdup (day);
          json_builder_set_member_name (builder, day);
          json_builder_begin_array (builder);
        }

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, okno_slot_get_id (slot));
      json_builder_set_member_name (builder, "start");
      json_builder_add_string_value (builder, start);
      json_builder_set_member_name (builder, "end");
      json_builder_add_string_value (builder, end);
      json_builder_set_member_name (builder, "minutes");
      json_builder_add_int_value (builder, okno_slot_get_minutes (slot));
      json_builder_set_member_name (builder, "title");
      json_builder_add_string_value (builder, okno_slot_get_session_type (slot));
      json_builder_end_object (builder);
    }
  if (current_day != NULL)
    json_builder_end_array (builder);

  json_builder_end_object (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  data = json_to_string (root, FALSE);
  return g_bytes_new_take (data, strlen (data));
}

static void
reply_slots (SoupServerMessage *msg,
             GBytes            *body,
             const char        *etag)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  soup_message_headers_append (headers, "ETag", etag);
  soup_message_headers_append (headers, "Cache-Control", "no-cache");

  if (okno_web_etag_matches (msg, etag))
    {
      soup_server_message_set_status (msg, SOUP_STATUS_NOT_MODIFIED, NULL);
      return;
    }

  okno_web_reply_bytes (msg, SOUP_STATUS_OK, "application/json; charset=utf-8", body);
}

static GDateTime *
earlier (GDateTime *a,
         GDateTime *b)
{
  if (a == NULL)
    return b ? g_date_time_ref (b) : NULL;
  if (b == NULL || g_date_time_compare (a, b) <= 0)
    return g_date_time_ref (a);
  return g_date_time_ref (b);
}

/* The hot path: answers come from a cache keyed by the query as sent,
 * valid until the schedule changes or time alone would change them (a
 * slot comes within the notice, or midnight moves the default range). */
static void
handle_slots (OknoWebServer     *server,
              SoupServerMessage *msg,
              GHashTable        *query)
{
  OknoWebCatalog *catalog = _okno_web_server_get_catalog (server, msg);
  const char *start_text = query ? g_hash_table_lookup (query, "start") : NULL;
  const char *end_text = query ? g_hash_table_lookup (query, "end") : NULL;
  const char *zone_text = query ? g_hash_table_lookup (query, "timeZone") : NULL;
  g_autofree char *key = g_strconcat (start_text ? start_text : "", "|",
                                      end_text ? end_text : "", "|",
                                      zone_text ? zone_text : "", NULL);
  g_autoptr(GTimeZone) zone = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(GDateTime) from = NULL;
  g_autoptr(GDateTime) last_day = NULL;
  g_autoptr(GDateTime) to = NULL;
  g_autoptr(GDateTime) next_change = NULL;
  g_autoptr(GDateTime) expires = NULL;
  g_autoptr(GBytes) body = NULL;
  const char *etag = NULL;
  GBytes *cached;

  if ((cached = _okno_web_server_lookup_cached (server, key, &etag)))
    {
      reply_slots (msg, cached, etag);
      return;
    }

  if (!(zone = zone_from (server, zone_text)))
    {
      okno_web_reply_error (msg, catalog, SOUP_STATUS_BAD_REQUEST, "invalid",
                            N_("Unknown time zone."), NULL);
      return;
    }

  now = g_date_time_new_now_utc ();
  if (start_text != NULL)
    from = okno_time_parse_date (start_text, zone);
  else
    {
      g_autoptr(GDateTime) local_now = g_date_time_to_timezone (now, zone);
      from = g_date_time_new (zone, g_date_time_get_year (local_now),
                              g_date_time_get_month (local_now),
                              g_date_time_get_day_of_month (local_now), 0, 0, 0);
    }
  if (end_text != NULL)
    last_day = okno_time_parse_date (end_text, zone);
  else if (from != NULL)
    last_day = g_date_time_add_days (from, DEFAULT_RANGE_DAYS);

  if (from == NULL || last_day == NULL)
    {
      okno_web_reply_error (msg, catalog, SOUP_STATUS_BAD_REQUEST, "invalid",
                            N_("Dates must look like 2026-11-25."), NULL);
      return;
    }

  /* The end date is inclusive: up to the start of the next day, which
   * g_date_time_add_days() finds in local time across DST changes. */
  to = g_date_time_add_days (last_day, 1);
  if (g_date_time_compare (to, from) <= 0 ||
      g_date_time_difference (to, from) > (GTimeSpan) MAX_RANGE_DAYS * G_TIME_SPAN_DAY)
    {
      okno_web_reply_error (msg, catalog, SOUP_STATUS_BAD_REQUEST, "invalid",
                            N_("The end date must be on or after the start date, at most 92 days later."),
                            NULL);
      return;
    }

  body = build_slots_body (server, from, to, zone, zone_name (server, zone, zone_text), now, &next_change);
  if (start_text == NULL)
    {
      /* "Today" moves at midnight. */
      g_autoptr(GDateTime) midnight = g_date_time_add_days (from, 1);
      expires = earlier (next_change, midnight);
    }
  else
    expires = earlier (next_change, NULL);

  _okno_web_server_store_cached (server, key, body, expires);
  _okno_web_server_lookup_cached (server, key, &etag);
  reply_slots (msg, body, etag);
}

/* A paused message waiting for its booking or cancel to be durable. */
typedef struct
{
  OknoWebServer     *server;
  SoupServerMessage *msg;
  OknoWebCatalog    *catalog;
  gulong             disconnected_id;
  gboolean           gone;  /* the client went away meanwhile */
} Reply;

static void
reply_disconnected_cb (SoupServerMessage *msg,
                       gboolean          *gone)
{
  *gone = TRUE;
}

static Reply *
reply_new (OknoWebServer     *server,
           SoupServerMessage *msg,
           OknoWebCatalog    *catalog)
{
  Reply *reply = g_new0 (Reply, 1);

  reply->server = g_object_ref (server);
  reply->msg = g_object_ref (msg);
  reply->catalog = catalog;
  reply->disconnected_id = g_signal_connect (msg, "disconnected", G_CALLBACK (reply_disconnected_cb), &reply->gone);
  return reply;
}

static void
reply_free (Reply *reply)
{
  g_signal_handler_disconnect (reply->msg, reply->disconnected_id);
  if (!reply->gone)
    soup_server_message_unpause (reply->msg);
  g_object_unref (reply->msg);
  g_object_unref (reply->server);
  g_free (reply);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Reply, reply_free)

static void
booked_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(Reply) reply = user_data;
  g_autoptr(OknoBooking) booking = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GTimeZone) zone = NULL;
  g_autofree char *token = NULL;
  g_autofree char *base_url = NULL;
  gboolean replayed = FALSE;

  booking = okno_booking_service_book_finish (OKNO_BOOKING_SERVICE (object), result, &token, &replayed, &error);
  if (booking == NULL)
    {
      okno_web_reply_gerror (reply->msg, reply->catalog, error);
      return;
    }

  zone = zone_from (reply->server, okno_booking_get_field (booking, "timeZone"));
  base_url = _okno_web_server_dup_base_url (reply->server, reply->msg);

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "booking");
  json_builder_add_value (builder, okno_web_api_booking_node (booking, base_url, token, zone));
  json_builder_set_member_name (builder, "cancelToken");
  json_builder_add_string_value (builder, token);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);

  if (replayed)
    soup_message_headers_replace (soup_server_message_get_response_headers (reply->msg),
                                  "Idempotent-Replayed", "true");
  soup_message_headers_replace (soup_server_message_get_response_headers (reply->msg),
                                "Cache-Control", "no-store");
  okno_web_reply_json (reply->msg, SOUP_STATUS_CREATED, root);
}

static void
cancelled_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(Reply) reply = user_data;
  g_autoptr(OknoBooking) booking = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GTimeZone) zone = NULL;
  g_autofree char *base_url = NULL;

  booking = okno_booking_service_cancel_finish (OKNO_BOOKING_SERVICE (object), result, &error);
  if (booking == NULL)
    {
      okno_web_reply_gerror (reply->msg, reply->catalog, error);
      return;
    }

  zone = zone_from (reply->server, okno_booking_get_field (booking, "timeZone"));
  base_url = _okno_web_server_dup_base_url (reply->server, reply->msg);

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "booking");
  json_builder_add_value (builder, okno_web_api_booking_node (booking, base_url, NULL, zone));
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);

  soup_message_headers_replace (soup_server_message_get_response_headers (reply->msg),
                                "Cache-Control", "no-store");
  okno_web_reply_json (reply->msg, SOUP_STATUS_OK, root);
}

static void
handle_book (OknoWebServer     *server,
             SoupServerMessage *msg)
{
  OknoWebCatalog *catalog = _okno_web_server_get_catalog (server, msg);
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(OknoBookingRequest) request = okno_booking_request_new ();
  g_autoptr(GHashTable) errors = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GHashTable) field_errors = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  const char *key;

  if (!_okno_web_server_check_rate (server, msg))
    return;
  if (!(object = read_json_object (msg, catalog)))
    return;

  request->slot_id = dup_string_member (object, "slotId", errors);
  request->name = dup_string_member (object, "name", errors);
  request->email = dup_string_member (object, "email", errors);
  request->phone = dup_string_member (object, "phone", errors);
  request->telegram = dup_string_member (object, "telegram", errors);
  request->note = dup_string_member (object, "note", errors);
  request->time_zone = dup_string_member (object, "timeZone", errors);
  request->language = g_strdup (okno_web_catalog_get_language (catalog));

  if (!okno_booking_request_validate (request, &field_errors))
    {
      GHashTableIter iter;
      gpointer field, message;

      g_hash_table_iter_init (&iter, field_errors);
      while (g_hash_table_iter_next (&iter, &field, &message))
        if (!g_hash_table_contains (errors, field))
          g_hash_table_insert (errors, g_strdup (field), g_strdup (message));
    }
  if (g_hash_table_size (errors) > 0)
    {
      okno_web_reply_error (msg, catalog, SOUP_STATUS_BAD_REQUEST, "invalid",
                            N_("Please check the highlighted fields."), errors);
      return;
    }

  key = soup_message_headers_get_one (soup_server_message_get_request_headers (msg), "Idempotency-Key");
  if (key != NULL && (strlen (key) == 0 || strlen (key) > 255))
    {
      okno_web_reply_error (msg, catalog, SOUP_STATUS_BAD_REQUEST, "invalid",
                            N_("An Idempotency-Key must be 1 to 255 characters long."), NULL);
      return;
    }

  /* Decided now; answered once durable (the message waits, paused). */
  soup_server_message_pause (msg);
  okno_booking_service_book_async (_okno_web_server_get_service (server), request, key, now, NULL,
                                   booked_cb, reply_new (server, msg, catalog));
}

static void
handle_cancel (OknoWebServer     *server,
               SoupServerMessage *msg)
{
  OknoWebCatalog *catalog = _okno_web_server_get_catalog (server, msg);
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(GHashTable) errors = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *booking_id = NULL;
  g_autofree char *token = NULL;
  OknoBookingService *service = _okno_web_server_get_service (server);

  if (!_okno_web_server_check_rate (server, msg))
    return;
  if (!(object = read_json_object (msg, catalog)))
    return;

  booking_id = dup_string_member (object, "bookingId", errors);
  token = dup_string_member (object, "token", errors);
  if (booking_id == NULL && !g_hash_table_contains (errors, "bookingId"))
    g_hash_table_insert (errors, g_strdup ("bookingId"), g_strdup (N_("This field is required.")));
  if (token == NULL && !g_hash_table_contains (errors, "token"))
    g_hash_table_insert (errors, g_strdup ("token"), g_strdup (N_("This field is required.")));
  if (g_hash_table_size (errors) > 0)
    {
      okno_web_reply_error (msg, catalog, SOUP_STATUS_BAD_REQUEST, "invalid",
                            N_("Please check the highlighted fields."), errors);
      return;
    }

  soup_server_message_pause (msg);
  okno_booking_service_cancel_async (service, booking_id, token, now, NULL,
                                     cancelled_cb, reply_new (server, msg, catalog));
}

/* POST /api/reschedule {"bookingId","token","slotId"} → 200 {"booking"}
 * on its new slot, with the same id and token. */
static void
rescheduled_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(Reply) reply = user_data;
  g_autoptr(OknoBooking) booking = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GTimeZone) zone = NULL;
  g_autofree char *base_url = NULL;
  const char *token = g_object_get_data (G_OBJECT (reply->msg), "okno-reschedule-token");

  booking = okno_booking_service_reschedule_finish (OKNO_BOOKING_SERVICE (object), result, &error);
  if (booking == NULL)
    {
      okno_web_reply_gerror (reply->msg, reply->catalog, error);
      return;
    }

  zone = zone_from (reply->server, okno_booking_get_field (booking, "timeZone"));
  base_url = _okno_web_server_dup_base_url (reply->server, reply->msg);

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "booking");
  json_builder_add_value (builder, okno_web_api_booking_node (booking, base_url, token, zone));
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);

  soup_message_headers_replace (soup_server_message_get_response_headers (reply->msg),
                                "Cache-Control", "no-store");
  okno_web_reply_json (reply->msg, SOUP_STATUS_OK, root);
}

static void
handle_reschedule (OknoWebServer     *server,
                   SoupServerMessage *msg)
{
  OknoWebCatalog *catalog = _okno_web_server_get_catalog (server, msg);
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(GHashTable) errors = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *booking_id = NULL;
  g_autofree char *token = NULL;
  g_autofree char *slot_id = NULL;
  const char *required[] = { "bookingId", "token", "slotId" };

  if (!_okno_web_server_check_rate (server, msg))
    return;
  if (!(object = read_json_object (msg, catalog)))
    return;

  booking_id = dup_string_member (object, "bookingId", errors);
  token = dup_string_member (object, "token", errors);
  slot_id = dup_string_member (object, "slotId", errors);
  {
    const char *values[] = { booking_id, token, slot_id };

    for (guint i = 0; i < G_N_ELEMENTS (required); i++)
      if ((values[i] == NULL || values[i][0] == '\0') && !g_hash_table_contains (errors, required[i]))
        g_hash_table_insert (errors, g_strdup (required[i]), g_strdup (N_("This field is required.")));
  }
  if (g_hash_table_size (errors) > 0)
    {
      okno_web_reply_error (msg, catalog, SOUP_STATUS_BAD_REQUEST, "invalid",
                            N_("Please check the highlighted fields."), errors);
      return;
    }

  g_object_set_data_full (G_OBJECT (msg), "okno-reschedule-token", g_strdup (token), g_free);
  soup_server_message_pause (msg);
  okno_booking_service_reschedule_async (_okno_web_server_get_service (server), booking_id, token,
                                         slot_id, now, NULL, rescheduled_cb,
                                         reply_new (server, msg, catalog));
}

/* Calendar changes still waiting to be carried out by the outbox: slot
 * writes, bookings' changes, copies (okno_slot_write_count_pending()). */
static guint
count_pending_calendar (OknoLedger *ledger)
{
  return okno_slot_write_count_pending (ledger);
}

static void
add_time_or_null (JsonBuilder *builder,
                  GDateTime   *time)
{
  if (time != NULL)
    {
      g_autofree char *text = okno_time_format_rfc3339 (time, NULL);
      json_builder_add_string_value (builder, text);
    }
  else
    json_builder_add_null_value (builder);
}

/* {"state","since","checkedAt"} */
static void
add_service_state (JsonBuilder      *builder,
                   OknoServiceState *state)
{
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "state");
  json_builder_add_string_value (builder, okno_service_state_get_state (state));
  json_builder_set_member_name (builder, "since");
  add_time_or_null (builder, okno_service_state_get_since (state));
  json_builder_set_member_name (builder, "checkedAt");
  add_time_or_null (builder, okno_service_state_get_checked_at (state));
  json_builder_end_object (builder);
}

/* Her website's script reads /api/status from her site's origin: CORS for
 * the origins in frame-ancestors, for nobody else. The answer depends on
 * Origin either way, so caches must key on it. */
static void
allow_listed_origin (OknoWebServer     *server,
                     SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  const char *origin = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                     "Origin");

  soup_message_headers_append (headers, "Vary", "Origin");
  if (_okno_web_server_allows_origin (server, origin))
    soup_message_headers_replace (headers, "Access-Control-Allow-Origin", origin);
}

static void
handle_status (OknoWebServer     *server,
               SoupServerMessage *msg)
{
  OknoSchedule *schedule = okno_booking_service_get_schedule (_okno_web_server_get_service (server));
  OknoCalendar *calendar = okno_schedule_get_calendar (schedule);
  GDateTime *last_sync = okno_calendar_get_last_sync (calendar);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "ok");
  json_builder_add_boolean_value (builder, TRUE);
  json_builder_set_member_name (builder, "calendar");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "state");
  json_builder_add_string_value (builder, okno_calendar_get_state_name (calendar));
  json_builder_set_member_name (builder, "lastSync");
  if (last_sync != NULL)
    {
      g_autofree char *text = okno_time_format_rfc3339 (last_sync, NULL);
      json_builder_add_string_value (builder, text);
    }
  else
    json_builder_add_null_value (builder);
  /* Changes not yet in the calendar: the outbox's calendar records, and
   * writes a remote backend has under way (its "pending" property). The
   * outbox's own records are among those writes while they are sent, so
   * the two are not added up (3 bookings waiting for Google read 6):
   * the larger of the two counts each change once whenever every record
   * is under way, as they are while Google is retried. */
  json_builder_set_member_name (builder, "pending");
  {
    guint in_flight = 0;

    if (g_object_class_find_property (G_OBJECT_GET_CLASS (calendar), "pending"))
      g_object_get (calendar, "pending", &in_flight, NULL);
    json_builder_add_int_value (builder, MAX (count_pending_calendar (okno_schedule_get_ledger (schedule)), in_flight));
  }
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "calcom");
  add_service_state (builder, _okno_web_server_get_calcom_state (server));
  json_builder_set_member_name (builder, "attention");
  json_builder_add_int_value (builder, okno_ledger_get_attention_items (okno_schedule_get_ledger (schedule))->len);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "Cache-Control", "no-cache");
  allow_listed_origin (server, msg);
  okno_web_reply_json (msg, SOUP_STATUS_OK, root);
}

void
okno_web_api_handle (OknoWebServer     *server,
                     SoupServerMessage *msg,
                     const char        *path,
                     GHashTable        *query)
{
  gboolean is_get = method_is (msg, SOUP_METHOD_GET) || method_is (msg, SOUP_METHOD_HEAD);
  OknoWebCatalog *catalog = _okno_web_server_get_catalog (server, msg);

  if (g_str_equal (path, "/api/slots"))
    {
      if (is_get)
        handle_slots (server, msg, query);
      else
        reply_method_not_allowed (msg, catalog, "GET, HEAD");
    }
  else if (g_str_equal (path, "/api/book"))
    {
      if (method_is (msg, SOUP_METHOD_POST))
        handle_book (server, msg);
      else
        reply_method_not_allowed (msg, catalog, "POST");
    }
  else if (g_str_equal (path, "/api/cancel"))
    {
      if (method_is (msg, SOUP_METHOD_POST))
        handle_cancel (server, msg);
      else
        reply_method_not_allowed (msg, catalog, "POST");
    }
  else if (g_str_equal (path, "/api/reschedule"))
    {
      if (method_is (msg, SOUP_METHOD_POST))
        handle_reschedule (server, msg);
      else
        reply_method_not_allowed (msg, catalog, "POST");
    }
  else if (okno_web_waitlist_handle_api (server, msg, path))
    ;
  else if (g_str_equal (path, "/api/status"))
    {
      if (is_get)
        handle_status (server, msg);
      else
        reply_method_not_allowed (msg, catalog, "GET, HEAD");
    }
  else
    okno_web_reply_error (msg, catalog, SOUP_STATUS_NOT_FOUND, "not_found", N_("Nothing is here."), NULL);
}

/* For API handlers in other files (okno-web-waitlist.c). */
JsonObject *
_okno_web_api_read_object (SoupServerMessage *msg,
                           OknoWebCatalog    *catalog)
{
  return read_json_object (msg, catalog);
}
