/* okno-booking.c
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "OknoBooking"

#include "config.h"

#include "okno-booking.h"
#include "okno-errors.h"
#include "okno-time.h"

/* One client's booking as the ledger keeps it. Members of the stored JSON
 * that this version does not know are kept and written back unchanged. */
struct _OknoBooking
{
  GObject            parent_instance;

  char              *id;
  char              *slot_id;
  GDateTime         *start;
  GDateTime         *end;
  GDateTime         *created;
  GDateTime         *cancelled;
  OknoBookingStatus  status;
  GHashTable        *fields;
  JsonObject        *unknown;
  JsonArray         *history;  /* NULL: none stored (written before 13.7) */
};

G_DEFINE_FINAL_TYPE (OknoBooking, okno_booking, G_TYPE_OBJECT)

static const char * const text_fields[] = {
  "sessionType", "name", "email", "phone", "telegram", "note", "timeZone",
  "tokenHash", "tokenSalt", "idempotencyKeyHash", "requestHash",
  "language",
};

static const char * const structural_members[] = {
  "id", "slotId", "start", "end", "createdAt", "cancelledAt", "status", "history",
};

static gboolean
is_known_member (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (text_fields); i++)
    if (g_str_equal (name, text_fields[i]))
      return TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (structural_members); i++)
    if (g_str_equal (name, structural_members[i]))
      return TRUE;
  return FALSE;
}

static gboolean
is_text_field (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (text_fields); i++)
    if (g_str_equal (name, text_fields[i]))
      return TRUE;
  return FALSE;
}

static GDateTime *
get_time_member (JsonObject *object,
                 const char *member)
{
  return okno_time_parse_rfc3339 (json_object_get_string_member_with_default (object, member, NULL));
}

static void
set_time_member (JsonObject *object,
                 const char *member,
                 GDateTime  *time)
{
  g_autofree char *text = NULL;

  if (time == NULL)
    return;
  text = okno_time_format_rfc3339 (time, NULL);
  json_object_set_string_member (object, member, text);
}

/* [{"event", "at", "from"?, "to"?}]: each entry an object with a
 * string event and time. */
static gboolean
history_is_valid (JsonNode *node)
{
  JsonArray *array;

  if (!JSON_NODE_HOLDS_ARRAY (node))
    return FALSE;
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      JsonObject *entry;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        return FALSE;
      entry = json_node_get_object (element);
      if (json_object_get_string_member_with_default (entry, "event", NULL) == NULL ||
          json_object_get_string_member_with_default (entry, "at", NULL) == NULL)
        return FALSE;
    }
  return TRUE;
}

/* json_node_copy() shares arrays and objects: a copy of a booking must
 * not change when the original's history grows. */
static JsonArray *
deep_copy (JsonArray *array)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_ARRAY);
  g_autoptr(JsonNode) copy = NULL;
  g_autofree char *text = NULL;

  json_node_set_array (node, array);
  text = json_to_string (node, FALSE);
  copy = json_from_string (text, NULL);
  return json_array_ref (json_node_get_array (copy));
}

static JsonObject *
history_entry_new (const char *event,
                   GDateTime  *at)
{
  JsonObject *entry = json_object_new ();

  json_object_set_string_member (entry, "event", event);
  set_time_member (entry, "at", at);
  return entry;
}

/* A booking stored before it kept a history gets one from what it has:
 * booked when created, cancelled when cancelled. */
static JsonArray *
history_from_state (OknoBooking *self)
{
  JsonArray *history = json_array_new ();

  if (self->created != NULL)
    json_array_add_object_element (history, history_entry_new ("booked", self->created));
  if (self->status == OKNO_BOOKING_CANCELLED && self->cancelled != NULL)
    json_array_add_object_element (history, history_entry_new ("cancelled", self->cancelled));
  return history;
}

static void
ensure_history (OknoBooking *self)
{
  if (self->history == NULL)
    self->history = history_from_state (self);
}

/* {"slotId", "start", "end"} */
static JsonObject *
place_new (const char *slot_id,
           GDateTime  *start,
           GDateTime  *end)
{
  JsonObject *place = json_object_new ();

  json_object_set_string_member (place, "slotId", slot_id);
  set_time_member (place, "start", start);
  set_time_member (place, "end", end);
  return place;
}

static void
okno_booking_finalize (GObject *object)
{
  OknoBooking *self = (OknoBooking *) object;

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->slot_id, g_free);
  g_clear_pointer (&self->start, g_date_time_unref);
  g_clear_pointer (&self->end, g_date_time_unref);
  g_clear_pointer (&self->created, g_date_time_unref);
  g_clear_pointer (&self->cancelled, g_date_time_unref);
  g_clear_pointer (&self->fields, g_hash_table_unref);
  g_clear_pointer (&self->unknown, json_object_unref);
  g_clear_pointer (&self->history, json_array_unref);

  G_OBJECT_CLASS (okno_booking_parent_class)->finalize (object);
}

static void
okno_booking_class_init (OknoBookingClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = okno_booking_finalize;
}

static void
okno_booking_init (OknoBooking *self)
{
  self->fields = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  self->unknown = json_object_new ();
}

OknoBooking *
okno_booking_new (const char *id,
                  const char *slot_id,
                  GDateTime  *start,
                  GDateTime  *end)
{
  OknoBooking *self;

  g_return_val_if_fail (id != NULL, NULL);
  g_return_val_if_fail (slot_id != NULL, NULL);
  g_return_val_if_fail (start != NULL && end != NULL, NULL);

  self = g_object_new (OKNO_TYPE_BOOKING, NULL);
  self->id = g_strdup (id);
  self->slot_id = g_strdup (slot_id);
  self->start = g_date_time_ref (start);
  self->end = g_date_time_ref (end);
  self->status = OKNO_BOOKING_CONFIRMED;

  return self;
}

OknoBooking *
okno_booking_new_from_json (JsonObject  *object,
                            GError     **error)
{
  g_autoptr(OknoBooking) self = NULL;
  JsonObjectIter iter;
  const char *member;
  JsonNode *node;

  g_return_val_if_fail (object != NULL, NULL);

  self = g_object_new (OKNO_TYPE_BOOKING, NULL);
  self->id = g_strdup (json_object_get_string_member_with_default (object, "id", NULL));
  self->slot_id = g_strdup (json_object_get_string_member_with_default (object, "slotId", NULL));
  self->start = get_time_member (object, "start");
  self->end = get_time_member (object, "end");
  self->created = get_time_member (object, "createdAt");
  self->cancelled = get_time_member (object, "cancelledAt");
  self->status = g_strcmp0 (json_object_get_string_member_with_default (object, "status", NULL),
                            "cancelled") == 0 ? OKNO_BOOKING_CANCELLED : OKNO_BOOKING_CONFIRMED;

  if (self->id == NULL || self->slot_id == NULL || self->start == NULL || self->end == NULL)
    {
      g_set_error_literal (error, OKNO_DATA_ERROR, OKNO_DATA_ERROR_CORRUPT,
                           "A booking lacks its id, slotId, start or end");
      return NULL;
    }

  json_object_iter_init (&iter, object);
  while (json_object_iter_next (&iter, &member, &node))
    {
      if (is_text_field (member))
        {
          if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
            okno_booking_set_field (self, member, json_node_get_string (node));
        }
      else if (g_str_equal (member, "history"))
        {
          if (!history_is_valid (node))
            {
              g_set_error_literal (error, OKNO_DATA_ERROR, OKNO_DATA_ERROR_CORRUPT,
                                   "A booking's history is damaged");
              return NULL;
            }
          self->history = deep_copy (json_node_get_array (node));
        }
      else if (!is_known_member (member))
        json_object_set_member (self->unknown, member, json_node_copy (node));
    }

  return g_steal_pointer (&self);
}

JsonObject *
okno_booking_to_json (OknoBooking *self)
{
  JsonObject *object;
  JsonObjectIter iter;
  const char *member;
  JsonNode *node;

  g_return_val_if_fail (OKNO_IS_BOOKING (self), NULL);

  object = json_object_new ();
  json_object_set_string_member (object, "id", self->id);
  json_object_set_string_member (object, "slotId", self->slot_id);
  set_time_member (object, "start", self->start);
  set_time_member (object, "end", self->end);
  json_object_set_string_member (object, "status", okno_booking_get_status_string (self));
  set_time_member (object, "createdAt", self->created);
  set_time_member (object, "cancelledAt", self->cancelled);
  if (self->history != NULL)
    json_object_set_array_member (object, "history", deep_copy (self->history));

  for (guint i = 0; i < G_N_ELEMENTS (text_fields); i++)
    {
      const char *value = g_hash_table_lookup (self->fields, text_fields[i]);

      if (value != NULL)
        json_object_set_string_member (object, text_fields[i], value);
    }

  json_object_iter_init (&iter, self->unknown);
  while (json_object_iter_next (&iter, &member, &node))
    json_object_set_member (object, member, json_node_copy (node));

  return object;
}

OknoBooking *
okno_booking_copy (OknoBooking *self)
{
  g_autoptr(JsonObject) object = NULL;

  g_return_val_if_fail (OKNO_IS_BOOKING (self), NULL);

  object = okno_booking_to_json (self);
  return okno_booking_new_from_json (object, NULL);
}

const char *
okno_booking_get_id (OknoBooking *self)
{
  g_return_val_if_fail (OKNO_IS_BOOKING (self), NULL);
  return self->id;
}

const char *
okno_booking_get_slot_id (OknoBooking *self)
{
  g_return_val_if_fail (OKNO_IS_BOOKING (self), NULL);
  return self->slot_id;
}

GDateTime *
okno_booking_get_start (OknoBooking *self)
{
  g_return_val_if_fail (OKNO_IS_BOOKING (self), NULL);
  return self->start;
}

GDateTime *
okno_booking_get_end (OknoBooking *self)
{
  g_return_val_if_fail (OKNO_IS_BOOKING (self), NULL);
  return self->end;
}

OknoBookingStatus
okno_booking_get_status (OknoBooking *self)
{
  g_return_val_if_fail (OKNO_IS_BOOKING (self), OKNO_BOOKING_CANCELLED);
  return self->status;
}

const char *
okno_booking_get_status_string (OknoBooking *self)
{
  g_return_val_if_fail (OKNO_IS_BOOKING (self), NULL);
  return self->status == OKNO_BOOKING_CANCELLED ? "cancelled" : "confirmed";
}

gboolean
okno_booking_is_active (OknoBooking *self)
{
  g_return_val_if_fail (OKNO_IS_BOOKING (self), FALSE);
  return self->status == OKNO_BOOKING_CONFIRMED;
}

void
okno_booking_cancel (OknoBooking *self,
                     GDateTime   *when)
{
  g_return_if_fail (OKNO_IS_BOOKING (self));
  g_return_if_fail (when != NULL);

  ensure_history (self);
  json_array_add_object_element (self->history, history_entry_new ("cancelled", when));
  self->status = OKNO_BOOKING_CANCELLED;
  g_clear_pointer (&self->cancelled, g_date_time_unref);
  self->cancelled = g_date_time_ref (when);
}

/**
 * okno_booking_move:
 *
 * Puts the booking on another slot, and keeps the move in its history:
 * {"event": "moved", "at", "from": {"slotId","start","end"}, "to": {…}}.
 */
void
okno_booking_move (OknoBooking *self,
                   const char  *slot_id,
                   GDateTime   *start,
                   GDateTime   *end,
                   GDateTime   *when)
{
  JsonObject *entry;

  g_return_if_fail (OKNO_IS_BOOKING (self));
  g_return_if_fail (slot_id != NULL && start != NULL && end != NULL && when != NULL);

  ensure_history (self);
  entry = history_entry_new ("moved", when);
  json_object_set_object_member (entry, "from", place_new (self->slot_id, self->start, self->end));
  json_object_set_object_member (entry, "to", place_new (slot_id, start, end));
  json_array_add_object_element (self->history, entry);

  g_free (self->slot_id);
  self->slot_id = g_strdup (slot_id);
  g_date_time_ref (start);
  g_date_time_unref (self->start);
  self->start = start;
  g_date_time_ref (end);
  g_date_time_unref (self->end);
  self->end = end;
}

/**
 * okno_booking_add_history:
 *
 * Starts a new booking's history with @event ("booked") at @at.
 */
void
okno_booking_add_history (OknoBooking *self,
                          const char  *event,
                          GDateTime   *at)
{
  g_return_if_fail (OKNO_IS_BOOKING (self));
  g_return_if_fail (event != NULL && at != NULL);

  if (self->history == NULL)
    self->history = json_array_new ();
  json_array_add_object_element (self->history, history_entry_new (event, at));
}

/**
 * okno_booking_dup_history:
 *
 * Returns: (transfer full): what happened to the booking, oldest first:
 *   [{"event": "booked" | "moved" | "cancelled", "at", "from"?, "to"?}];
 *   for a booking stored without one, made from its creation and cancel
 */
JsonArray *
okno_booking_dup_history (OknoBooking *self)
{
  g_return_val_if_fail (OKNO_IS_BOOKING (self), NULL);

  if (self->history == NULL)
    return history_from_state (self);

  return deep_copy (self->history);
}

/* How many times the booking was moved: numbers each move's outbox keys. */
guint
okno_booking_get_moves (OknoBooking *self)
{
  guint n = 0;

  g_return_val_if_fail (OKNO_IS_BOOKING (self), 0);

  for (guint i = 0; self->history && i < json_array_get_length (self->history); i++)
    if (g_strcmp0 (json_object_get_string_member_with_default (
                     json_array_get_object_element (self->history, i), "event", NULL), "moved") == 0)
      n++;
  return n;
}

GDateTime *
okno_booking_get_created (OknoBooking *self)
{
  g_return_val_if_fail (OKNO_IS_BOOKING (self), NULL);
  return self->created;
}

void
okno_booking_set_created (OknoBooking *self,
                          GDateTime   *created)
{
  g_return_if_fail (OKNO_IS_BOOKING (self));
  g_return_if_fail (created != NULL);

  g_date_time_ref (created);
  g_clear_pointer (&self->created, g_date_time_unref);
  self->created = created;
}

GDateTime *
okno_booking_get_cancelled (OknoBooking *self)
{
  g_return_val_if_fail (OKNO_IS_BOOKING (self), NULL);
  return self->cancelled;
}

const char *
okno_booking_get_field (OknoBooking *self,
                        const char  *field)
{
  g_return_val_if_fail (OKNO_IS_BOOKING (self), NULL);
  g_return_val_if_fail (field != NULL, NULL);

  return g_hash_table_lookup (self->fields, field);
}

void
okno_booking_set_field (OknoBooking *self,
                        const char  *field,
                        const char  *value)
{
  g_return_if_fail (OKNO_IS_BOOKING (self));
  g_return_if_fail (is_text_field (field));

  /* Keys are the static names above, so the table need not own them. */
  for (guint i = 0; i < G_N_ELEMENTS (text_fields); i++)
    {
      if (g_str_equal (field, text_fields[i]))
        {
          if (value == NULL || value[0] == '\0')
            g_hash_table_remove (self->fields, text_fields[i]);
          else
            g_hash_table_insert (self->fields, (gpointer) text_fields[i], g_strdup (value));
          return;
        }
    }
}
