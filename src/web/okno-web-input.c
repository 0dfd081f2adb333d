/* okno-web-input.c
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "OknoWebInput"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "okno-text.h"
#include "okno-web-input.h"

/* The boundary: every string a client sends — a JSON member, a form field,
 * a query parameter, a header Okno reads — passes okno_text_is_clean()
 * here, on its whole decoded length, before any handler sees it. Nothing
 * is cut at a NUL (as soup_form_decode() and C strings would) and nothing
 * that is not UTF-8 (a lone surrogate escape, stray bytes) gets through.
 * The finer rules for names and notes are OknoBookingRequest's. */

/* Headers whose values Okno uses. */
static const char * const used_headers[] = {
  "Host", "Accept-Language", "Idempotency-Key", "If-None-Match",
  "X-Forwarded-For", "X-Forwarded-Proto", "X-Forwarded-Host",
};

/* Decodes one application/x-www-form-urlencoded component ('+' is a
 * space, %XX a byte) into @out; FALSE on a broken escape. */
static gboolean
decode_component (const char *data,
                  gsize       length,
                  GString    *out)
{
  g_string_truncate (out, 0);

  for (gsize i = 0; i < length; i++)
    {
      if (data[i] == '+')
        g_string_append_c (out, ' ');
      else if (data[i] == '%')
        {
          int hi, lo;

          if (i + 2 >= length)
            return FALSE;
          hi = g_ascii_xdigit_value (data[i + 1]);
          lo = g_ascii_xdigit_value (data[i + 2]);
          if (hi < 0 || lo < 0)
            return FALSE;
          g_string_append_c (out, (char) (hi << 4 | lo));
          i += 2;
        }
      else
        g_string_append_c (out, data[i]);
    }

  return TRUE;
}

static void
add_bad (GHashTable **bad_fields,
         const char  *name)
{
  if (*bad_fields == NULL)
    *bad_fields = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_hash_table_add (*bad_fields, g_strdup (name));
}

/**
 * okno_web_input_parse_form:
 * @data: the form, `a=1&b=2`, not necessarily NUL-terminated
 * @length: its length in bytes
 * @bad_fields: (out): the names of fields whose value is not clean text
 *   (a set; %NULL when every field is clean). A field whose very name is
 *   not clean is reported as `form`.
 *
 * Returns: (transfer full): the clean fields, name → value; a name given
 *   twice keeps its last value
 */
GHashTable *
okno_web_input_parse_form (const char  *data,
                           gsize        length,
                           GHashTable **bad_fields)
{
  g_autoptr(GHashTable) fields = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GString) name = g_string_new (NULL);
  g_autoptr(GString) value = g_string_new (NULL);
  const char *end = data + length;
  const char *p = data;

  *bad_fields = NULL;

  while (p < end)
    {
      const char *amp = memchr (p, '&', end - p);
      const char *stop = amp ? amp : end;
      const char *eq = memchr (p, '=', stop - p);
      const char *name_end = eq ? eq : stop;

      if (stop > p)
        {
          if (!decode_component (p, name_end - p, name) ||
              !okno_text_is_clean (name->str, name->len) ||
              okno_text_has_controls (name->str, FALSE))
            add_bad (bad_fields, "form");
          else if (!decode_component (eq ? eq + 1 : stop, eq ? stop - eq - 1 : 0, value) ||
                   !okno_text_is_clean (value->str, value->len))
            {
              add_bad (bad_fields, name->str);
              g_hash_table_remove (fields, name->str);
            }
          else
            g_hash_table_replace (fields, g_strdup (name->str), g_strdup (value->str));
        }

      p = stop + 1;
    }

  return g_steal_pointer (&fields);
}

/* The request's query, decoded by the same rules as a form. */
GHashTable *
okno_web_input_parse_query (SoupServerMessage  *msg,
                            GHashTable        **bad_fields)
{
  const char *query = g_uri_get_query (soup_server_message_get_uri (msg));

  *bad_fields = NULL;
  if (query == NULL)
    return NULL;

  return okno_web_input_parse_form (query, strlen (query), bad_fields);
}

static gboolean
node_is_clean (JsonNode *node)
{
  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_OBJECT:
      {
        JsonObjectIter iter;
        const char *member;
        JsonNode *child;

        json_object_iter_init (&iter, json_node_get_object (node));
        while (json_object_iter_next (&iter, &member, &child))
          if (!okno_text_is_clean (member, -1) || !node_is_clean (child))
            return FALSE;
        return TRUE;
      }
    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);

        for (guint i = 0; i < json_array_get_length (array); i++)
          if (!node_is_clean (json_array_get_element (array, i)))
            return FALSE;
        return TRUE;
      }
    case JSON_NODE_VALUE:
      if (json_node_get_value_type (node) == G_TYPE_STRING)
        return okno_text_is_clean (json_node_get_string (node), -1);
      return TRUE;
    case JSON_NODE_NULL:
    default:
      return TRUE;
    }
}

/**
 * okno_web_input_check_json:
 * @root: a parsed request body
 *
 * json-glib turns a lone surrogate escape (`"\ud800"`) into invalid UTF-8
 * rather than failing, so every string in the tree, member names too, is
 * checked after parsing.
 *
 * Returns: (nullable): %NULL when every string is clean, else the name
 *   of the top-level member that holds one that is not (`body` when it is
 *   that member's name itself, or the root is no object)
 */
char *
okno_web_input_check_json (JsonNode *root)
{
  JsonObjectIter iter;
  const char *member;
  JsonNode *child;

  if (!JSON_NODE_HOLDS_OBJECT (root))
    return node_is_clean (root) ? NULL : g_strdup ("body");

  json_object_iter_init (&iter, json_node_get_object (root));
  while (json_object_iter_next (&iter, &member, &child))
    {
      if (!okno_text_is_clean (member, -1) || okno_text_has_controls (member, FALSE))
        return g_strdup ("body");
      if (!node_is_clean (child))
        return g_strdup (member);
    }

  return NULL;
}

/**
 * okno_web_input_check_headers:
 *
 * libsoup replaces bytes that are not UTF-8 in a header with U+FFFD before
 * anyone sees them, so a replacement character counts as not clean here.
 *
 * Returns: (nullable): the first header Okno uses whose value is not clean
 *   text without line breaks, or %NULL
 */
const char *
okno_web_input_check_headers (SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);

  for (guint i = 0; i < G_N_ELEMENTS (used_headers); i++)
    {
      const char *value = soup_message_headers_get_list (headers, used_headers[i]);

      if (value != NULL &&
          (!okno_text_is_clean (value, -1) || okno_text_has_controls (value, FALSE) ||
           strstr (value, "\xef\xbf\xbd") != NULL))
        return used_headers[i];
    }

  return NULL;
}

/**
 * okno_web_input_parse_content_length:
 * @length: (out): the declared length, when the answer is %TRUE
 *
 * Content-Length as RFC 9110 has it: one plain decimal number, nothing
 * else — no sign, no list (two headers that libsoup joins with a comma),
 * no blanks inside. libsoup 3.2 reads it with strtoull(), so `-1` and
 * `18446744073709551615` become lengths it buffers without bound, and
 * `9223372036854775808` a negative one it takes as no body. A length too
 * long to be under the limit is still a number: it is reported in
 * @length, clamped to G_MAXINT64, for the caller's 413.
 *
 * Returns: %FALSE when a Content-Length is present and is not a number
 *   (the caller answers 400); %TRUE otherwise, with @length -1 when there
 *   is none
 */
gboolean
okno_web_input_parse_content_length (SoupMessageHeaders *headers,
                                     goffset            *length)
{
  const char *value = soup_message_headers_get_list (headers, "Content-Length");
  goffset result = 0;

  *length = -1;
  if (value == NULL)
    return TRUE;
  if (value[0] == '\0')
    return FALSE;

  for (const char *p = value; *p; p++)
    {
      if (!g_ascii_isdigit (*p))
        return FALSE;
      if (result > (G_MAXINT64 - 9) / 10)
        result = G_MAXINT64;
      else
        result = result * 10 + (*p - '0');
    }

  *length = result;
  return TRUE;
}

/**
 * okno_web_input_check_head:
 * @head: a request's head as it arrived, request line and header lines
 * @length: its length
 * @status: (out): the status to refuse it with
 * @message: (out): a msgid for the client
 *
 * What libsoup 3.2 should not be given at all: a Transfer-Encoding (Okno
 * takes bodies by Content-Length only, and libsoup leaks the request path
 * of a coding it does not know), or a Content-Length that is not one plain
 * number within the body limit @max_body. The same rules as
 * okno_web_input_parse_content_length().
 *
 * Returns: %TRUE when the head may go on to libsoup
 */
gboolean
okno_web_input_check_head (const char  *head,
                           gsize        length,
                           goffset      max_body,
                           guint       *status,
                           const char **code,
                           const char **message)
{
  const char *end = head + length;
  const char *line = memchr (head, '\n', length);
  g_autoptr(SoupMessageHeaders) headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);
  goffset declared;

  /* Header lines after the request line, unfolded no further than
   * libsoup does: enough to find the two headers that matter. */
  while (line != NULL && ++line < end)
    {
      const char *eol = memchr (line, '\n', end - line);
      const char *colon;
      g_autofree char *name = NULL;
      g_autofree char *value = NULL;

      if (eol == NULL)
        eol = end;
      colon = memchr (line, ':', eol - line);
      if (colon != NULL && colon > line)
        {
          name = g_strndup (line, colon - line);
          value = g_strndup (colon + 1, eol - colon - 1);
          g_strstrip (name);
          g_strstrip (value);
          if (g_ascii_strcasecmp (name, "Content-Length") == 0 ||
              g_ascii_strcasecmp (name, "Transfer-Encoding") == 0)
            soup_message_headers_append (headers, name, value);
        }
      line = eol < end ? eol : NULL;
    }

  if (soup_message_headers_get_list (headers, "Transfer-Encoding") != NULL)
    {
      *status = SOUP_STATUS_LENGTH_REQUIRED;
      *code = "length_required";
      *message = N_("Send the request with a Content-Length.");
      return FALSE;
    }
  if (!okno_web_input_parse_content_length (headers, &declared))
    {
      *status = SOUP_STATUS_BAD_REQUEST;
      *code = "invalid";
      *message = N_("The Content-Length header is not a plain number.");
      return FALSE;
    }
  if (declared > max_body)
    {
      *status = SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE;
      *code = "too_large";
      *message = N_("The request is too large.");
      return FALSE;
    }

  return TRUE;
}
