/* okno-web-reply.c
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "OknoWebReply"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "okno-errors.h"
#include "okno-web-reply.h"

void
okno_web_reply_bytes (SoupServerMessage *msg,
                      guint              status,
                      const char        *content_type,
                      GBytes            *body)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, content_type, SOUP_MEMORY_COPY, NULL, 0);
  if (body != NULL)
    soup_message_body_append_bytes (soup_server_message_get_response_body (msg), body);
}

void
okno_web_reply_json (SoupServerMessage *msg,
                     guint              status,
                     JsonNode          *root)
{
  g_autoptr(GBytes) bytes = NULL;
  gsize length;
  char *data;

  data = json_to_string (root, FALSE);
  length = strlen (data);
  bytes = g_bytes_new_take (data, length);
  okno_web_reply_bytes (msg, status, "application/json; charset=utf-8", bytes);
}

/* {"error":{"code","message","fields"?:{field: message}}} */
/* @message and the messages in @fields are msgids, translated here into
 * the visitor's language. */
char *
okno_web_error_json (OknoWebCatalog *catalog,
                     const char     *code,
                     const char     *message,
                     GHashTable     *fields)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "error");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "code");
  json_builder_add_string_value (builder, code);
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, okno_web_catalog_gettext (catalog, message));
  if (fields != NULL && g_hash_table_size (fields) > 0)
    {
      g_autoptr(GList) keys = g_list_sort (g_hash_table_get_keys (fields), (GCompareFunc) g_strcmp0);

      json_builder_set_member_name (builder, "fields");
      json_builder_begin_object (builder);
      for (const GList *l = keys; l; l = l->next)
        {
          json_builder_set_member_name (builder, l->data);
          json_builder_add_string_value (builder, okno_web_catalog_gettext (catalog, g_hash_table_lookup (fields, l->data)));
        }
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

void
okno_web_reply_error (SoupServerMessage *msg,
                      OknoWebCatalog    *catalog,
                      guint              status,
                      const char        *code,
                      const char        *message,
                      GHashTable        *fields)
{
  char *body = okno_web_error_json (catalog, code, message, fields);
  g_autoptr(GBytes) bytes = g_bytes_new_take (body, strlen (body));

  okno_web_reply_bytes (msg, status, "application/json; charset=utf-8", bytes);
}

/* The one place where error codes become HTTP statuses. */
guint
okno_web_status_for_error (const GError  *error,
                           const char   **code)
{
  static const struct {
    OknoBookingError error;
    guint            status;
    const char      *code;
  } booking[] = {
    { OKNO_BOOKING_ERROR_INVALID, SOUP_STATUS_BAD_REQUEST, "invalid" },
    { OKNO_BOOKING_ERROR_SLOT_NOT_FOUND, SOUP_STATUS_NOT_FOUND, "slot_not_found" },
    { OKNO_BOOKING_ERROR_SLOT_TAKEN, SOUP_STATUS_CONFLICT, "slot_taken" },
    { OKNO_BOOKING_ERROR_SLOT_UNAVAILABLE, SOUP_STATUS_CONFLICT, "slot_unavailable" },
    { OKNO_BOOKING_ERROR_NOT_FOUND, SOUP_STATUS_NOT_FOUND, "not_found" },
    { OKNO_BOOKING_ERROR_FORBIDDEN, SOUP_STATUS_FORBIDDEN, "forbidden" },
    { OKNO_BOOKING_ERROR_IDEMPOTENCY_MISMATCH, SOUP_STATUS_UNPROCESSABLE_ENTITY, "idempotency_key_reused" },
    { OKNO_BOOKING_ERROR_TOO_LATE, SOUP_STATUS_CONFLICT, "too_late" },
    { OKNO_BOOKING_ERROR_LIMIT_REACHED, SOUP_STATUS_CONFLICT, "limit_reached" },
    { OKNO_BOOKING_ERROR_CANCELLED, SOUP_STATUS_CONFLICT, "booking_cancelled" },
  };

  if (error->domain == OKNO_BOOKING_ERROR)
    {
      for (guint i = 0; i < G_N_ELEMENTS (booking); i++)
        {
          if (booking[i].error == (OknoBookingError) error->code)
            {
              *code = booking[i].code;
              return booking[i].status;
            }
        }
    }

  if (error->domain == OKNO_DATA_ERROR)
    {
      *code = "storage_unavailable";
      return SOUP_STATUS_SERVICE_UNAVAILABLE;
    }

  *code = "internal";
  return SOUP_STATUS_INTERNAL_SERVER_ERROR;
}

void
okno_web_reply_gerror (SoupServerMessage *msg,
                       OknoWebCatalog    *catalog,
                       const GError      *error)
{
  const char *code;
  guint status = okno_web_status_for_error (error, &code);

  if (status >= 500)
    {
      /* The details are for Olga's log, not for the client. */
      g_warning ("Request failed: %s", error->message);
      okno_web_reply_error (msg, catalog, status, code,
                            N_("The booking could not be saved. Please try again in a minute."),
                            NULL);
      return;
    }

  okno_web_reply_error (msg, catalog, status, code, error->message, NULL);
}

char *
okno_web_etag_for_bytes (GBytes *body)
{
  g_autofree char *sum = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, body);

  return g_strdup_printf ("\"%.32s\"", sum);
}

/* If-None-Match: a list of etags, or *. */
gboolean
okno_web_etag_matches (SoupServerMessage *msg,
                       const char        *etag)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *value = soup_message_headers_get_list (headers, "If-None-Match");
  g_auto(GStrv) tags = NULL;

  if (value == NULL)
    return FALSE;

  tags = g_strsplit (value, ",", -1);
  for (guint i = 0; tags[i]; i++)
    {
      const char *tag = g_strstrip (tags[i]);

      if (g_str_has_prefix (tag, "W/"))
        tag += 2;
      if (g_str_equal (tag, "*") || g_str_equal (tag, etag))
        return TRUE;
    }

  return FALSE;
}
