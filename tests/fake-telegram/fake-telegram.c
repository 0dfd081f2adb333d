/* fake-telegram.c: the Telegram Bot API as far as Okno uses it, on a free
 * loopback port, with fault injection and a request log.
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Usage: fake-telegram [--token TOKEN] [--chat ID]
 *   (defaults 123456:okno-test-token and 424242, a private chat with «Ольга»)
 * Prints its base URL (http://127.0.0.1:PORT, the OKNO_TELEGRAM_API_URL) as
 * the first line.
 *
 * The wire follows ../shared/notify-wire.md §1: /bot<TOKEN>/<method>, method
 * names in any case, parameters from the query, an urlencoded or a JSON
 * body; {"ok":true,"result"} or {"ok":false,"error_code","description",
 * "parameters"?} with the HTTP status equal to error_code; 401 for a wrong
 * token on every method; sendMessage with parse_mode=HTML parses the text
 * the way the server does (same errors, UTF-8 byte offsets), counts at most
 * 4096 characters after parsing, and returns entities with UTF-16 offsets.
 *
 * Control API (not under /bot):
 *   POST /control/mode   body "MODE [N]": ok | blocked | not_started | flood |
 *                        bad_gateway_json | bad_gateway_html | hang, for the
 *                        next N requests (then ok again) or until changed
 *   POST /control/retry-after   body: seconds a flood answer asks for (3)
 *   POST /control/chat   body: one more chat id that exists
 *   GET  /control/log    JSON array: {"method","params","status","description"?,"text"?}
 *                        ("text" is the message as shown, without tags)
 *   POST /control/log/clear
 */

#include "fake-serve.h"

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <stdio.h>
#include <string.h>

static char *token;
static GHashTable *chats;
static char *mode;
static int mode_left = -1;     /* -1: until changed */
static guint retry_after = 3;
static JsonArray *request_log;
static gint64 next_message_id = 1;

/* ---------------------------------------------------------------- replies */

static void
reply_node (SoupServerMessage *msg,
            guint              status,
            JsonNode          *root)
{
  g_autofree char *text = json_to_string (root, FALSE);

  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, text, strlen (text));
}

static void
reply_error (SoupServerMessage *msg,
             guint              code,
             const char        *description,
             JsonObject        *parameters,
             JsonObject        *log_entry)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "ok");
  json_builder_add_boolean_value (builder, FALSE);
  json_builder_set_member_name (builder, "error_code");
  json_builder_add_int_value (builder, code);
  json_builder_set_member_name (builder, "description");
  json_builder_add_string_value (builder, description);
  if (parameters != NULL)
    {
      JsonNode *node = json_node_new (JSON_NODE_OBJECT);

      json_node_take_object (node, parameters);
      json_builder_set_member_name (builder, "parameters");
      json_builder_add_value (builder, node);
    }
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  reply_node (msg, code, root);

  if (log_entry != NULL)
    {
      json_object_set_int_member (log_entry, "status", code);
      json_object_set_string_member (log_entry, "description", description);
    }
}

static void
reply_result (SoupServerMessage *msg,
              JsonNode          *result,
              JsonObject        *log_entry)
{
  JsonObject *object = json_object_new ();
  JsonNode *root = json_node_new (JSON_NODE_OBJECT);

  json_object_set_boolean_member (object, "ok", TRUE);
  json_object_set_member (object, "result", result);
  json_node_take_object (root, object);
  reply_node (msg, SOUP_STATUS_OK, root);
  json_node_unref (root);
  if (log_entry != NULL)
    json_object_set_int_member (log_entry, "status", 200);
}

/* ------------------------------------------------------------ HTML parser */

typedef struct
{
  char  *tag;           /* lower case */
  char  *type;          /* entity type, NULL for none */
  char  *url;
  glong  offset;        /* UTF-16 units */
} Open;

static void
open_free (Open *open)
{
  g_free (open->tag);
  g_free (open->type);
  g_free (open->url);
  g_free (open);
}

static glong
utf16_length (const char *text,
              gsize       length)
{
  glong units = 0;
  const char *end = text + length;

  for (const char *p = text; p < end; p = g_utf8_next_char (p))
    units += g_utf8_get_char (p) > 0xFFFF ? 2 : 1;
  return units;
}

static gboolean
is_name_char (char c)
{
  return g_ascii_isalnum (c) || c == '-' || c == '_';
}

static const char *
entity_type_for (const char *tag)
{
  static const char *map[][2] = {
    { "b", "bold" }, { "strong", "bold" }, { "i", "italic" }, { "em", "italic" },
    { "u", "underline" }, { "ins", "underline" }, { "s", "strikethrough" },
    { "strike", "strikethrough" }, { "del", "strikethrough" }, { "a", "text_link" },
    { "code", "code" }, { "pre", "pre" }, { "blockquote", "blockquote" },
    { "tg-spoiler", "spoiler" }, { "span", "spoiler" }, { "tg-emoji", "custom_emoji" },
    { "tg-time", "date_time" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (map); i++)
    if (g_str_equal (tag, map[i][0]))
      return map[i][1];
  return NULL;
}

/* &lt; &gt; &amp; &quot; and numeric references, with or without ';'.
 * Anything else after '&' is text as typed. Returns the bytes consumed. */
static gsize
decode_entity (const char *p,
               GString    *out)
{
  static const struct { const char *name; const char *value; } named[] = {
    { "lt", "<" }, { "gt", ">" }, { "amp", "&" }, { "quot", "\"" },
  };

  if (p[1] == '#')
    {
      const char *q = p + 2;
      gunichar value = 0;
      gboolean hex = (*q == 'x' || *q == 'X');
      int digits = 0;

      if (hex)
        q++;
      while (hex ? g_ascii_isxdigit (*q) : g_ascii_isdigit (*q))
        {
          value = value * (hex ? 16 : 10) + (hex ? g_ascii_xdigit_value (*q) : g_ascii_digit_value (*q));
          if (value > 0x10FFFF)
            break;
          q++, digits++;
        }
      if (digits > 0 && value > 0 && value <= 0x10FFFF && g_unichar_validate (value))
        {
          g_string_append_unichar (out, value);
          if (*q == ';')
            q++;
          return q - p;
        }
    }
  else
    for (guint i = 0; i < G_N_ELEMENTS (named); i++)
      {
        gsize length = strlen (named[i].name);

        if (strncmp (p + 1, named[i].name, length) == 0 && !g_ascii_isalnum (p[1 + length]))
          {
            g_string_append (out, named[i].value);
            return 1 + length + (p[1 + length] == ';' ? 1 : 0);
          }
      }

  g_string_append_c (out, '&');
  return 1;
}

/* Reads an attribute value (quoted or not) with entities decoded. */
static char *
read_attribute_value (const char **pp)
{
  const char *p = *pp;
  g_autoptr(GString) value = g_string_new (NULL);
  char quote = 0;

  if (*p == '"' || *p == '\'')
    quote = *p++;
  while (*p != '\0' && (quote ? *p != quote : (!g_ascii_isspace (*p) && *p != '>')))
    {
      if (*p == '&')
        p += decode_entity (p, value);
      else
        g_string_append_c (value, *p++);
    }
  if (quote && *p == quote)
    p++;
  else if (quote)
    return (*pp = p, NULL);
  *pp = p;
  return g_string_free (g_steal_pointer (&value), FALSE);
}

/* Parses @text as Telegram's HTML; on success returns the shown text and
 * fills @entities; on failure returns NULL and sets @error_message. */
static char *
parse_html (const char  *text,
            JsonArray   *entities,
            char       **error_message)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GPtrArray) stack = g_ptr_array_new_with_free_func ((GDestroyNotify) open_free);
  const char *p = text;

  while (*p != '\0')
    {
      gsize begin = p - text;

      if (*p == '&')
        {
          p += decode_entity (p, out);
          continue;
        }
      if (*p != '<')
        {
          g_string_append_c (out, *p++);
          continue;
        }

      p++;
      if (*p != '/')
        {
          const char *name_start = p;
          g_autofree char *tag = NULL;
          g_autofree char *url = NULL;
          g_autofree char *klass = NULL;
          gboolean has_emoji_id = FALSE;
          Open *open;

          while (is_name_char (*p))
            p++;
          if (p == name_start)
            {
              *error_message = g_strdup_printf ("Empty tag name at byte offset %" G_GSIZE_FORMAT, begin);
              return NULL;
            }
          tag = g_ascii_strdown (name_start, p - name_start);
          if (entity_type_for (tag) == NULL)
            {
              *error_message = g_strdup_printf ("Unsupported start tag \"%s\" at byte offset %" G_GSIZE_FORMAT,
                                                tag, begin);
              return NULL;
            }

          while (*p != '>')
            {
              const char *attr_start;
              g_autofree char *attr = NULL;
              g_autofree char *value = NULL;

              while (g_ascii_isspace (*p))
                p++;
              if (*p == '\0')
                {
                  *error_message = g_strdup_printf ("Unclosed start tag at byte offset %" G_GSIZE_FORMAT, begin);
                  return NULL;
                }
              if (*p == '>')
                break;
              attr_start = p;
              while (is_name_char (*p))
                p++;
              if (p == attr_start)
                {
                  *error_message = g_strdup_printf ("Empty attribute name in the tag \"%s\" at byte offset %" G_GSIZE_FORMAT,
                                                    tag, begin);
                  return NULL;
                }
              attr = g_ascii_strdown (attr_start, p - attr_start);
              while (g_ascii_isspace (*p))
                p++;
              if (*p != '=')
                {
                  if (*p == '\0')
                    {
                      *error_message = g_strdup_printf ("Unclosed start tag at byte offset %" G_GSIZE_FORMAT, begin);
                      return NULL;
                    }
                  continue;   /* an attribute without a value */
                }
              p++;
              while (g_ascii_isspace (*p))
                p++;
              value = read_attribute_value (&p);
              if (value == NULL)
                {
                  *error_message = g_strdup_printf ("Unclosed start tag at byte offset %" G_GSIZE_FORMAT, begin);
                  return NULL;
                }
              if (g_str_equal (tag, "a") && g_str_equal (attr, "href"))
                {
                  g_free (url);
                  url = g_steal_pointer (&value);
                }
              else if (g_str_equal (tag, "span") && g_str_equal (attr, "class"))
                {
                  g_free (klass);
                  klass = g_steal_pointer (&value);
                }
              else if (g_str_equal (tag, "tg-emoji") && g_str_equal (attr, "emoji-id"))
                has_emoji_id = TRUE;
            }
          p++;   /* '>' */

          if (g_str_equal (tag, "span") && g_strcmp0 (klass, "tg-spoiler") != 0)
            {
              *error_message = g_strdup_printf ("Tag \"span\" must have class \"tg-spoiler\" at byte offset %" G_GSIZE_FORMAT,
                                                begin);
              return NULL;
            }
          if (g_str_equal (tag, "tg-emoji") && !has_emoji_id)
            {
              *error_message = g_strdup_printf ("Tag \"tg-emoji\" must have attribute \"emoji-id\" at byte offset %" G_GSIZE_FORMAT,
                                                begin);
              return NULL;
            }

          open = g_new0 (Open, 1);
          open->tag = g_steal_pointer (&tag);
          open->type = g_strdup (entity_type_for (open->tag));
          open->url = g_steal_pointer (&url);
          open->offset = utf16_length (out->str, out->len);
          if (g_str_equal (open->type, "text_link") && (open->url == NULL || open->url[0] == '\0'))
            g_clear_pointer (&open->type, g_free);
          g_ptr_array_add (stack, open);
        }
      else
        {
          const char *name_start = ++p;
          g_autofree char *tag = NULL;
          Open *top;

          while (is_name_char (*p))
            p++;
          tag = g_ascii_strdown (name_start, p - name_start);
          while (g_ascii_isspace (*p))
            p++;
          if (*p != '>')
            {
              *error_message = g_strdup_printf ("Unclosed end tag at byte offset %" G_GSIZE_FORMAT, begin);
              return NULL;
            }
          p++;
          if (stack->len == 0)
            {
              *error_message = g_strdup_printf ("Unexpected end tag at byte offset %" G_GSIZE_FORMAT, begin);
              return NULL;
            }
          top = g_ptr_array_index (stack, stack->len - 1);
          if (!g_str_equal (top->tag, tag))
            {
              *error_message = g_strdup_printf ("Unmatched end tag at byte offset %" G_GSIZE_FORMAT
                                                ", expected \"</%s>\", found \"</%s>\"",
                                                begin, top->tag, tag);
              return NULL;
            }
          if (top->type != NULL)
            {
              glong end = utf16_length (out->str, out->len);

              if (end > top->offset)
                {
                  JsonObject *entity = json_object_new ();

                  json_object_set_string_member (entity, "type", top->type);
                  json_object_set_int_member (entity, "offset", top->offset);
                  json_object_set_int_member (entity, "length", end - top->offset);
                  if (top->url != NULL)
                    json_object_set_string_member (entity, "url", top->url);
                  json_array_add_object_element (entities, entity);
                }
            }
          g_ptr_array_remove_index (stack, stack->len - 1);
        }
    }

  if (stack->len > 0)
    {
      Open *top = g_ptr_array_index (stack, stack->len - 1);

      *error_message = g_strdup_printf ("Can't find end tag corresponding to start tag \"%s\"", top->tag);
      return NULL;
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* ------------------------------------------------------------- parameters */

/* Query, urlencoded or JSON body, as strings (JSON numbers and booleans as
 * their text, objects as JSON text). */
static GHashTable *
read_params (SoupServerMessage *msg,
             GHashTable        *query,
             char             **error)
{
  GHashTable *params = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *type = soup_message_headers_get_content_type (headers, NULL);
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr(GBytes) bytes = soup_message_body_flatten (body);
  GHashTableIter iter;
  gpointer key, value;

  if (query != NULL)
    {
      g_hash_table_iter_init (&iter, query);
      while (g_hash_table_iter_next (&iter, &key, &value))
        g_hash_table_replace (params, g_strdup (key), g_strdup (value));
    }

  if (g_bytes_get_size (bytes) == 0 || type == NULL)
    return params;

  if (g_ascii_strcasecmp (type, "application/x-www-form-urlencoded") == 0)
    {
      g_autofree char *text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
      g_autoptr(GHashTable) form = soup_form_decode (text);

      g_hash_table_iter_init (&iter, form);
      while (g_hash_table_iter_next (&iter, &key, &value))
        g_hash_table_replace (params, g_strdup (key), g_strdup (value));
    }
  else if (g_ascii_strcasecmp (type, "application/json") == 0)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      JsonNode *root;

      if (!json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), NULL) ||
          (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
        {
          *error = g_strdup ("Bad Request: can't parse JSON object");
          return params;
        }
      {
        g_autoptr(GList) members = json_object_get_members (json_node_get_object (root));

        for (GList *l = members; l; l = l->next)
          {
            JsonNode *node = json_object_get_member (json_node_get_object (root), l->data);
            char *text;

            if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
              text = g_strdup (json_node_get_string (node));
            else if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_INT64)
              text = g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
            else if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_BOOLEAN)
              text = g_strdup (json_node_get_boolean (node) ? "true" : "false");
            else
              text = json_to_string (node, FALSE);
            g_hash_table_replace (params, g_strdup (l->data), text);
          }
      }
    }

  return params;
}

static JsonObject *
params_to_json (GHashTable *params)
{
  JsonObject *object = json_object_new ();
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, params);
  while (g_hash_table_iter_next (&iter, &key, &value))
    json_object_set_string_member (object, key, value);
  return object;
}

/* ---------------------------------------------------------------- methods */

static JsonNode *
bot_user (void)
{
  JsonObject *user = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_object_set_int_member (user, "id", 123456);
  json_object_set_boolean_member (user, "is_bot", TRUE);
  json_object_set_string_member (user, "first_name", "Okno Test Bot");
  json_object_set_string_member (user, "username", "okno_test_bot");
  json_node_take_object (node, user);
  return node;
}

static void
send_message (SoupServerMessage *msg,
              GHashTable        *params,
              JsonObject        *entry)
{
  const char *chat_id = g_hash_table_lookup (params, "chat_id");
  const char *text = g_hash_table_lookup (params, "text");
  const char *parse_mode = g_hash_table_lookup (params, "parse_mode");
  g_autoptr(JsonArray) entities = json_array_new ();
  g_autofree char *shown = NULL;
  g_autofree char *problem = NULL;
  JsonObject *message, *chat;
  JsonNode *node;

  if (chat_id == NULL || chat_id[0] == '\0')
    {
      reply_error (msg, 400, "Bad Request: chat_id is empty", NULL, entry);
      return;
    }
  if (text == NULL || text[0] == '\0')
    {
      reply_error (msg, 400, "Bad Request: message text is empty", NULL, entry);
      return;
    }
  if (strlen (text) > 32768)
    {
      reply_error (msg, 400, "Bad Request: text is too long", NULL, entry);
      return;
    }

  /* Parse errors come before the chat lookup. */
  if (parse_mode != NULL && g_ascii_strcasecmp (parse_mode, "html") == 0)
    {
      shown = parse_html (text, entities, &problem);
      if (shown == NULL)
        {
          g_autofree char *description = g_strconcat ("Bad Request: can't parse entities: ", problem, NULL);
          reply_error (msg, 400, description, NULL, entry);
          return;
        }
    }
  else if (parse_mode != NULL && parse_mode[0] != '\0')
    {
      reply_error (msg, 400, "Bad Request: unsupported parse_mode", NULL, entry);
      return;
    }
  else
    shown = g_strdup (text);

  g_strstrip (shown);
  if (shown[0] == '\0')
    {
      reply_error (msg, 400, "Bad Request: message text is empty", NULL, entry);
      return;
    }
  if (g_utf8_strlen (shown, -1) > 4096)
    {
      reply_error (msg, 400, "Bad Request: message is too long", NULL, entry);
      return;
    }
  if (!g_hash_table_contains (chats, chat_id))
    {
      reply_error (msg, 400, "Bad Request: chat not found", NULL, entry);
      return;
    }

  message = json_object_new ();
  json_object_set_int_member (message, "message_id", next_message_id++);
  json_object_set_member (message, "from", bot_user ());
  chat = json_object_new ();
  json_object_set_int_member (chat, "id", g_ascii_strtoll (chat_id, NULL, 10));
  json_object_set_string_member (chat, "first_name", "Ольга");
  json_object_set_string_member (chat, "type", "private");
  json_object_set_object_member (message, "chat", chat);
  json_object_set_int_member (message, "date", g_get_real_time () / G_USEC_PER_SEC);
  json_object_set_string_member (message, "text", shown);
  if (json_array_get_length (entities) > 0)
    json_object_set_array_member (message, "entities", json_array_ref (entities));

  json_object_set_string_member (entry, "text", shown);
  node = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (node, message);
  reply_result (msg, node, entry);
}

/* The injected fault for this request, if any: TRUE when answered. */
static gboolean
inject_fault (SoupServerMessage *msg,
              JsonObject        *entry)
{
  g_autofree char *current = g_strdup (mode);

  if (g_str_equal (current, "ok"))
    return FALSE;
  if (mode_left > 0 && --mode_left == 0)
    {
      g_free (mode);
      mode = g_strdup ("ok");
      mode_left = -1;
    }

  if (g_str_equal (current, "blocked"))
    reply_error (msg, 403, "Forbidden: bot was blocked by the user", NULL, entry);
  else if (g_str_equal (current, "not_started"))
    reply_error (msg, 403, "Forbidden: bot can't initiate conversation with a user", NULL, entry);
  else if (g_str_equal (current, "flood"))
    {
      JsonObject *parameters = json_object_new ();
      g_autofree char *description = g_strdup_printf ("Too Many Requests: retry after %u", retry_after);
      g_autofree char *header = g_strdup_printf ("%u", retry_after);

      json_object_set_int_member (parameters, "retry_after", retry_after);
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Retry-After", header);
      reply_error (msg, 429, description, parameters, entry);
    }
  else if (g_str_equal (current, "bad_gateway_json"))
    reply_error (msg, 502, "Bad Gateway", NULL, entry);
  else if (g_str_equal (current, "bad_gateway_html"))
    {
      static const char page[] =
        "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
        "<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx/1.18.0</center>\r\n"
        "</body>\r\n</html>\r\n";
      soup_server_message_set_status (msg, 502, NULL);
      soup_server_message_set_response (msg, "text/html", SOUP_MEMORY_STATIC, page, strlen (page));
      json_object_set_int_member (entry, "status", 502);
    }
  else if (g_str_equal (current, "hang"))
    {
      soup_server_message_pause (msg);
      json_object_set_int_member (entry, "status", 0);
    }
  else
    return FALSE;

  return TRUE;
}

static void
bot_request (SoupServerMessage *msg,
             const char        *path,
             GHashTable        *query)
{
  const char *rest = path + strlen ("/bot");
  const char *slash = strchr (rest, '/');
  g_autofree char *given_token = slash ? g_strndup (rest, slash - rest) : g_strdup (rest);
  g_autofree char *method = slash ? g_ascii_strdown (slash + 1, -1) : g_strdup ("");
  g_autofree char *problem = NULL;
  g_autoptr(GHashTable) params = read_params (msg, query, &problem);
  JsonObject *entry = json_object_new ();

  json_object_set_string_member (entry, "method", method);
  json_object_set_object_member (entry, "params", params_to_json (params));
  json_array_add_object_element (request_log, entry);

  if (!g_str_equal (given_token, token))
    reply_error (msg, 401, "Unauthorized", NULL, entry);
  else if (inject_fault (msg, entry))
    return;
  else if (problem != NULL)
    reply_error (msg, 400, problem, NULL, entry);
  else if (g_str_equal (method, "getme"))
    reply_result (msg, bot_user (), entry);
  else if (g_str_equal (method, "sendmessage"))
    send_message (msg, params, entry);
  else
    reply_error (msg, 404, "Not Found", NULL, entry);
}

/* ---------------------------------------------------------------- control */

static char *
body_text (SoupServerMessage *msg)
{
  g_autoptr(GBytes) bytes = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  g_autofree char *text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));

  return g_strdup (g_strstrip (text));
}

static void
control (SoupServerMessage *msg,
         const char        *path)
{
  const char *method = soup_server_message_get_method (msg);
  g_autoptr(JsonNode) ok = json_from_string ("{\"ok\":true}", NULL);

  if (g_str_equal (path, "/control/log") && g_str_equal (method, "GET"))
    {
      g_autoptr(JsonNode) node = json_node_new (JSON_NODE_ARRAY);

      json_node_set_array (node, request_log);
      reply_node (msg, SOUP_STATUS_OK, node);
      return;
    }
  if (!g_str_equal (method, "POST"))
    {
      soup_server_message_set_status (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, NULL);
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
      g_auto(GStrv) words = g_strsplit (value, " ", 2);
      static const char *modes[] = { "ok", "blocked", "not_started", "flood", "bad_gateway_json",
                                     "bad_gateway_html", "hang", NULL };

      if (words[0] == NULL || !g_strv_contains (modes, words[0]))
        {
          soup_server_message_set_status (msg, SOUP_STATUS_BAD_REQUEST, NULL);
          return;
        }
      g_free (mode);
      mode = g_strdup (words[0]);
      mode_left = words[1] ? (int) g_ascii_strtoll (words[1], NULL, 10) : -1;
      if (mode_left == 0)
        mode_left = -1;
    }
  else if (g_str_equal (path, "/control/retry-after"))
    {
      g_autofree char *value = body_text (msg);
      retry_after = (guint) g_ascii_strtoull (value, NULL, 10);
    }
  else if (g_str_equal (path, "/control/chat"))
    g_hash_table_add (chats, body_text (msg));
  else
    {
      soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
      return;
    }

  reply_node (msg, SOUP_STATUS_OK, ok);
}

static void
handle_cb (SoupServer        *server,
           SoupServerMessage *msg,
           const char        *path,
           GHashTable        *query,
           gpointer           user_data)
{
  if (g_str_has_prefix (path, "/control/"))
    control (msg, path);
  else if (g_str_has_prefix (path, "/bot"))
    bot_request (msg, path, query);
  else
    reply_error (msg, 404, "Not Found", NULL, NULL);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autofree char *chat = NULL;
  const GOptionEntry entries[] = {
    { "token", 0, 0, G_OPTION_ARG_STRING, &token, "The bot token that is valid", "TOKEN" },
    { "chat", 0, 0, G_OPTION_ARG_STRING, &chat, "A chat id that exists", "ID" },
    { NULL }
  };
  int status;

  if (!fake_serve_tie_to_parent ())
    return 1;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("fake-telegram: %s\n", error->message);
      return 2;
    }
  if (token == NULL)
    token = g_strdup ("123456:okno-test-token");
  chats = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_hash_table_add (chats, g_strdup (chat ? chat : "424242"));
  mode = g_strdup ("ok");
  request_log = json_array_new ();

  status = fake_serve_run ("fake-telegram", handle_cb, "");

  json_array_unref (request_log);
  g_hash_table_unref (chats);
  g_free (mode);
  g_free (token);
  return status;
}
