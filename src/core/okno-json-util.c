/* okno-json-util.c
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "OknoJson"

#include "config.h"

#include <string.h>

#include "okno-data-dir.h"
#include "okno-json-util.h"

/* What the loaders of the data folder share: one damaged record (invalid
 * UTF-8, say, from a bug that let a lone surrogate through) must cost that
 * record, never the whole file. json-glib refuses a whole document that is
 * not UTF-8, so such a document is parsed with the bad bytes replaced, and
 * a record that shows a replacement character is the damaged one. */

#define REPLACEMENT "\xef\xbf\xbd"

static gboolean
string_is_clean (const char *text,
                 gboolean    salvaged)
{
  if (text == NULL)
    return TRUE;
  if (!g_utf8_validate (text, -1, NULL))
    return FALSE;
  return !salvaged || strstr (text, REPLACEMENT) == NULL;
}

/**
 * okno_json_node_is_clean:
 * @salvaged: whether @node comes from a document whose invalid bytes were
 *   replaced: then a replacement character marks damage too
 *
 * Whether every string in @node (member names included) is valid UTF-8.
 */
gboolean
okno_json_node_is_clean (JsonNode *node,
                         gboolean  salvaged)
{
  if (node == NULL)
    return TRUE;

  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_OBJECT:
      {
        JsonObjectIter iter;
        const char *member;
        JsonNode *value;

        json_object_iter_init (&iter, json_node_get_object (node));
        while (json_object_iter_next (&iter, &member, &value))
          if (!string_is_clean (member, salvaged) || !okno_json_node_is_clean (value, salvaged))
            return FALSE;
        return TRUE;
      }
    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);

        for (guint i = 0; i < json_array_get_length (array); i++)
          if (!okno_json_node_is_clean (json_array_get_element (array, i), salvaged))
            return FALSE;
        return TRUE;
      }
    case JSON_NODE_VALUE:
      if (json_node_get_value_type (node) == G_TYPE_STRING)
        return string_is_clean (json_node_get_string (node), salvaged);
      return TRUE;
    case JSON_NODE_NULL:
    default:
      return TRUE;
    }
}

/**
 * okno_json_load_salvaging:
 * @out_contents: (out) (optional): the file's bytes as read
 * @out_salvaged: (out): whether invalid UTF-8 had to be replaced
 *
 * Parses @path; a document that is not UTF-8 is parsed with its invalid
 * bytes replaced (see okno_json_node_is_clean()). Other damage is an error.
 */
JsonParser *
okno_json_load_salvaging (const char  *path,
                          char       **out_contents,
                          gsize       *out_length,
                          gboolean    *out_salvaged,
                          GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autofree char *contents = NULL;
  g_autofree char *valid = NULL;
  gsize length = 0;

  *out_salvaged = FALSE;
  if (!g_file_get_contents (path, &contents, &length, error))
    return NULL;

  if (!g_utf8_validate_len (contents, length, NULL))
    {
      valid = g_utf8_make_valid (contents, length);
      *out_salvaged = TRUE;
    }

  if (!json_parser_load_from_data (parser, valid ? valid : contents,
                                   valid ? (gssize) strlen (valid) : (gssize) length, error))
    return NULL;

  if (out_contents)
    *out_contents = g_steal_pointer (&contents);
  if (out_length)
    *out_length = length;

  return g_steal_pointer (&parser);
}

/**
 * okno_json_keep_damaged:
 *
 * Sets a copy of a damaged file aside next to it, as
 * `NAME.damaged-YYYYMMDDTHHMMSSZ`, for a person to look at.
 *
 * Returns: the copy's path, or %NULL
 */
char *
okno_json_keep_damaged (const char  *path,
                        const char  *contents,
                        gsize        length,
                        GError     **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%dT%H%M%SZ");
  g_autofree char *copy = g_strdup_printf ("%s.damaged-%s", path, stamp);

  /* Two in one second: keep the first copy, it has the same damage. */
  if (g_file_test (copy, G_FILE_TEST_EXISTS))
    return g_steal_pointer (&copy);

  if (!okno_write_file (copy, contents, length, error))
    return NULL;

  return g_steal_pointer (&copy);
}

/* A copy that shares nothing with @object, safe to hand to a thread. */
JsonObject *
okno_json_object_deep_copy (JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(JsonNode) copy = NULL;
  g_autofree char *text = NULL;

  json_node_set_object (node, object);
  text = json_to_string (node, FALSE);
  copy = json_from_string (text, NULL);
  g_assert (copy != NULL && JSON_NODE_HOLDS_OBJECT (copy));

  return json_object_ref (json_node_get_object (copy));
}
