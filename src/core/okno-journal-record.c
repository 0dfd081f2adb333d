/* okno-journal-record.c
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "OknoJournalRecord"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "okno-errors.h"
#include "okno-journal-record.h"
#include "okno-json-util.h"
#include "okno-time.h"
#include "okno-token.h"

static gboolean has_string (JsonObject *object,
                            const char *member);

G_DEFINE_BOXED_TYPE (OknoJournalRecord, okno_journal_record,
                     okno_journal_record_copy, okno_journal_record_free)

static const char * const known_types[] = { "put", "outbox", "done", "attention", "dismiss",
                                            "move", "enqueued" };

OknoJournalRecord *
okno_journal_record_new (void)
{
  OknoJournalRecord *self = g_new0 (OknoJournalRecord, 1);

  self->outbox = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  self->done = g_ptr_array_new_with_free_func (g_free);
  self->attention = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  self->dismiss = g_ptr_array_new_with_free_func (g_free);
  self->enqueued = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);

  return self;
}

OknoJournalRecord *
okno_journal_record_copy (OknoJournalRecord *self)
{
  OknoJournalRecord *copy = okno_journal_record_new ();

  okno_journal_record_set_put (copy, self->put);
  for (guint i = 0; i < self->outbox->len; i++)
    okno_journal_record_add_outbox (copy, g_ptr_array_index (self->outbox, i));
  for (guint i = 0; i < self->done->len; i++)
    okno_journal_record_add_done (copy, g_ptr_array_index (self->done, i));
  for (guint i = 0; i < self->attention->len; i++)
    okno_journal_record_add_attention (copy, g_ptr_array_index (self->attention, i));
  for (guint i = 0; i < self->dismiss->len; i++)
    okno_journal_record_add_dismiss (copy, g_ptr_array_index (self->dismiss, i));
  for (guint i = 0; i < self->enqueued->len; i++)
    okno_journal_record_add_enqueued (copy, g_ptr_array_index (self->enqueued, i));
  okno_journal_record_set_move (copy, self->move);

  return copy;
}

void
okno_journal_record_free (OknoJournalRecord *self)
{
  if (self == NULL)
    return;

  g_clear_object (&self->put);
  g_ptr_array_unref (self->outbox);
  g_ptr_array_unref (self->done);
  g_ptr_array_unref (self->attention);
  g_ptr_array_unref (self->dismiss);
  g_ptr_array_unref (self->enqueued);
  g_clear_pointer (&self->move, json_object_unref);
  g_free (self);
}

void
okno_journal_record_set_put (OknoJournalRecord *self,
                             OknoBooking       *booking)
{
  g_set_object (&self->put, booking);
}

void
okno_journal_record_add_outbox (OknoJournalRecord *self,
                                JsonObject        *item)
{
  g_ptr_array_add (self->outbox, json_object_ref (item));
}

void
okno_journal_record_add_done (OknoJournalRecord *self,
                              const char        *key)
{
  g_ptr_array_add (self->done, g_strdup (key));
}

void
okno_journal_record_add_attention (OknoJournalRecord *self,
                                   JsonObject        *item)
{
  g_ptr_array_add (self->attention, json_object_ref (item));
}

void
okno_journal_record_add_dismiss (OknoJournalRecord *self,
                                 const char        *id)
{
  g_ptr_array_add (self->dismiss, g_strdup (id));
}

void
okno_journal_record_add_enqueued (OknoJournalRecord *self,
                                  JsonObject        *mark)
{
  g_ptr_array_add (self->enqueued, json_object_ref (mark));
}

/**
 * okno_journal_record_set_move:
 * @move: (nullable): {"bookingId", "fromSlotId", "toSlotId", "at"}; the
 *   record's put must be that booking on its new slot
 */
void
okno_journal_record_set_move (OknoJournalRecord *self,
                              JsonObject        *move)
{
  g_clear_pointer (&self->move, json_object_unref);
  if (move != NULL)
    self->move = json_object_ref (move);
}

gboolean
okno_journal_record_is_empty (OknoJournalRecord *self)
{
  return self->move == NULL && self->put == NULL && self->outbox->len == 0 && self->done->len == 0 &&
         self->attention->len == 0 && self->dismiss->len == 0 && self->enqueued->len == 0;
}

static JsonArray *
objects_to_array (GPtrArray *objects)
{
  JsonArray *array = json_array_new ();

  for (guint i = 0; i < objects->len; i++)
    json_array_add_object_element (array, json_object_ref (g_ptr_array_index (objects, i)));
  return array;
}

static JsonArray *
strings_to_array (GPtrArray *strings)
{
  JsonArray *array = json_array_new ();

  for (guint i = 0; i < strings->len; i++)
    json_array_add_string_element (array, g_ptr_array_index (strings, i));
  return array;
}

/**
 * okno_journal_record_to_line:
 *
 * The record as one journal line, newline included. Refuses text that is
 * not UTF-8: a bug upstream becomes an error here, never a file that no
 * later start can read.
 */
char *
okno_journal_record_to_line (OknoJournalRecord  *self,
                             gsize              *length,
                             GError            **error)
{
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  g_autofree char *text = NULL;

  if (self->put != NULL)
    json_object_set_object_member (object, "put", okno_booking_to_json (self->put));
  if (self->outbox->len > 0)
    json_object_set_array_member (object, "outbox", objects_to_array (self->outbox));
  if (self->done->len > 0)
    json_object_set_array_member (object, "done", strings_to_array (self->done));
  if (self->attention->len > 0)
    json_object_set_array_member (object, "attention", objects_to_array (self->attention));
  if (self->dismiss->len > 0)
    json_object_set_array_member (object, "dismiss", strings_to_array (self->dismiss));
  if (self->enqueued->len > 0)
    json_object_set_array_member (object, "enqueued", objects_to_array (self->enqueued));
  if (self->move != NULL)
    json_object_set_object_member (object, "move", json_object_ref (self->move));

  json_node_set_object (node, object);
  text = json_to_string (node, FALSE);

  /* json-glib writes whatever bytes its strings hold, escaping only
   * control characters: a whole-line check covers every member. */
  if (!g_utf8_validate (text, -1, NULL))
    {
      g_set_error_literal (error, OKNO_DATA_ERROR, OKNO_DATA_ERROR_INVALID_TEXT,
                           "Refusing to store text that is not valid UTF-8");
      return NULL;
    }

  *length = strlen (text) + 1;
  return g_strconcat (text, "\n", NULL);
}

static gboolean
string_array (JsonNode   *node,
              GPtrArray  *into)
{
  JsonArray *array;

  if (!JSON_NODE_HOLDS_ARRAY (node))
    return FALSE;
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (!JSON_NODE_HOLDS_VALUE (element) || json_node_get_value_type (element) != G_TYPE_STRING)
        return FALSE;
      g_ptr_array_add (into, g_strdup (json_node_get_string (element)));
    }
  return TRUE;
}

static gboolean
object_array (JsonNode   *node,
              GPtrArray  *into,
              gboolean  (*valid) (JsonObject *))
{
  JsonArray *array;

  if (!JSON_NODE_HOLDS_ARRAY (node))
    return FALSE;
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (!JSON_NODE_HOLDS_OBJECT (element) || !valid (json_node_get_object (element)))
        return FALSE;
      g_ptr_array_add (into, json_object_ref (json_node_get_object (element)));
    }
  return TRUE;
}

static gboolean
move_is_valid (JsonObject  *move,
               OknoBooking *put)
{
  return put != NULL && has_string (move, "bookingId") && has_string (move, "fromSlotId") &&
         has_string (move, "toSlotId") && has_string (move, "at") &&
         g_str_equal (json_object_get_string_member (move, "bookingId"), okno_booking_get_id (put)) &&
         g_str_equal (json_object_get_string_member (move, "toSlotId"), okno_booking_get_slot_id (put));
}

/**
 * okno_journal_record_new_from_json:
 *
 * Fails with %OKNO_DATA_ERROR_SCHEMA for a record type this version does
 * not know, and %OKNO_DATA_ERROR_CORRUPT for a damaged record.
 */
OknoJournalRecord *
okno_journal_record_new_from_json (JsonObject  *object,
                                   GError     **error)
{
  g_autoptr(OknoJournalRecord) self = okno_journal_record_new ();
  JsonObjectIter iter;
  const char *member;
  JsonNode *node;
  gboolean ok = TRUE;

  json_object_iter_init (&iter, object);
  while (json_object_iter_next (&iter, &member, &node))
    {
      if (!g_strv_contains (known_types, member))
        {
          g_set_error (error, OKNO_DATA_ERROR, OKNO_DATA_ERROR_SCHEMA,
                       "a record of type “%s”", member);
          return NULL;
        }
    }

  json_object_iter_init (&iter, object);
  while (ok && json_object_iter_next (&iter, &member, &node))
    {
      if (g_str_equal (member, "put"))
        {
          if (!JSON_NODE_HOLDS_OBJECT (node) ||
              !(self->put = okno_booking_new_from_json (json_node_get_object (node), NULL)))
            ok = FALSE;
        }
      else if (g_str_equal (member, "outbox"))
        ok = object_array (node, self->outbox, okno_outbox_item_is_valid);
      else if (g_str_equal (member, "attention"))
        ok = object_array (node, self->attention, okno_attention_item_is_valid);
      else if (g_str_equal (member, "done"))
        ok = string_array (node, self->done);
      else if (g_str_equal (member, "dismiss"))
        ok = string_array (node, self->dismiss);
      else if (g_str_equal (member, "enqueued"))
        ok = object_array (node, self->enqueued, okno_enqueued_mark_is_valid);
      else if (g_str_equal (member, "move"))
        {
          if (JSON_NODE_HOLDS_OBJECT (node))
            self->move = json_object_ref (json_node_get_object (node));
          else
            ok = FALSE;
        }
    }

  /* A move comes with its booking's new state, on its new slot. */
  if (ok && self->move != NULL && !move_is_valid (self->move, self->put))
    ok = FALSE;

  if (!ok || okno_journal_record_is_empty (self))
    {
      g_set_error_literal (error, OKNO_DATA_ERROR, OKNO_DATA_ERROR_CORRUPT,
                           "A damaged journal record");
      return NULL;
    }

  return g_steal_pointer (&self);
}

static char *
now_text (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  return okno_time_format_rfc3339 (now, NULL);
}

/**
 * okno_outbox_item_new:
 * @key: unique for this item, kept by every repeat of its delivery
 * @kind: "calendar", or the notification channel ("desktop", "telegram", "email")
 */
JsonObject *
okno_outbox_item_new (const char *key,
                      const char *kind,
                      JsonObject *payload)
{
  JsonObject *item = json_object_new ();
  g_autofree char *created = now_text ();

  json_object_set_string_member (item, "key", key);
  json_object_set_string_member (item, "kind", kind);
  json_object_set_object_member (item, "payload", json_object_ref (payload));
  json_object_set_string_member (item, "created", created);

  return item;
}

static gboolean
has_string (JsonObject *object,
            const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
         json_node_get_value_type (node) == G_TYPE_STRING;
}

gboolean
okno_outbox_item_is_valid (JsonObject *item)
{
  return has_string (item, "key") && has_string (item, "kind") &&
         json_object_has_member (item, "payload") &&
         JSON_NODE_HOLDS_OBJECT (json_object_get_member (item, "payload"));
}

JsonObject *
okno_attention_item_new (const char *code,
                         const char *subject,
                         const char *message)
{
  JsonObject *item = json_object_new ();
  g_autofree char *created = now_text ();
  g_autofree char *id = okno_event_id_new ();

  /* Short enough to type after "attention dismiss". */
  id[8] = '\0';
  json_object_set_string_member (item, "id", id);
  json_object_set_string_member (item, "created", created);
  json_object_set_string_member (item, "code", code);
  json_object_set_string_member (item, "message", message);
  if (subject != NULL)
    json_object_set_string_member (item, "subject", subject);

  return item;
}

gboolean
okno_attention_item_is_valid (JsonObject *item)
{
  return has_string (item, "id") && has_string (item, "code") && has_string (item, "message");
}

/**
 * okno_enqueued_mark_new:
 * @key: what was decided, such as "reminder:<booking id>"
 * @until: after this (and a margin) nobody asks about @key any more
 */
JsonObject *
okno_enqueued_mark_new (const char *key,
                        GDateTime  *until)
{
  JsonObject *mark = json_object_new ();
  g_autofree char *text = okno_time_format_rfc3339 (until, NULL);

  json_object_set_string_member (mark, "key", key);
  json_object_set_string_member (mark, "until", text);

  return mark;
}

gboolean
okno_enqueued_mark_is_valid (JsonObject *mark)
{
  return has_string (mark, "key") && has_string (mark, "until");
}
