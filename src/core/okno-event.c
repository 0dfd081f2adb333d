/* okno-event.c
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "OknoEvent"

#include "config.h"

#include "okno-errors.h"
#include "okno-event.h"
#include "okno-time.h"

/* One calendar event, in the shape of Google Calendar's Event resource so
 * that both backends read and write the same JSON. */
struct _OknoEvent
{
  GObject     parent_instance;

  char       *id;
  char       *etag;
  char       *summary;
  char       *description;
  GDateTime  *start;
  GDateTime  *end;
  GDateTime  *updated;
  GHashTable *private_props;
  char       *event_type;
  guint       all_day : 1;
  guint       transparent : 1;
  guint       cancelled : 1;
};

G_DEFINE_FINAL_TYPE (OknoEvent, okno_event, G_TYPE_OBJECT)

static GDateTime *
parse_event_time (JsonObject  *object,
                  const char  *member,
                  gboolean    *all_day,
                  GError     **error)
{
  JsonObject *when;
  const char *text;
  GDateTime *time;

  if (!json_object_has_member (object, member) ||
      json_node_get_node_type (json_object_get_member (object, member)) != JSON_NODE_OBJECT)
    {
      g_set_error (error, OKNO_CALENDAR_ERROR, OKNO_CALENDAR_ERROR_INVALID,
                   "Event has no “%s”", member);
      return NULL;
    }

  when = json_object_get_object_member (object, member);
  if ((text = json_object_get_string_member_with_default (when, "dateTime", NULL)))
    {
      *all_day = FALSE;
      time = okno_time_parse_rfc3339 (text);
    }
  else if ((text = json_object_get_string_member_with_default (when, "date", NULL)))
    {
      g_autoptr(GTimeZone) zone = NULL;
      const char *zone_name = json_object_get_string_member_with_default (when, "timeZone", NULL);

      zone = okno_time_zone_new (zone_name);
      if (zone == NULL)
        zone = g_time_zone_new_local ();
      *all_day = TRUE;
      time = okno_time_parse_date (text, zone);
    }
  else
    time = NULL;

  if (time == NULL)
    g_set_error (error, OKNO_CALENDAR_ERROR, OKNO_CALENDAR_ERROR_INVALID,
                 "Event has an invalid “%s”", member);

  return time;
}

static JsonNode *
event_time_to_json (GDateTime *time,
                    gboolean   all_day)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *text = NULL;

  json_builder_begin_object (builder);
  if (all_day)
    {
      text = g_date_time_format (time, "%Y-%m-%d");
      json_builder_set_member_name (builder, "date");
    }
  else
    {
      text = okno_time_format_rfc3339 (time, NULL);
      json_builder_set_member_name (builder, "dateTime");
    }
  json_builder_add_string_value (builder, text);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

static void
set_string (char       **field,
            const char  *value)
{
  if (g_strcmp0 (*field, value) != 0)
    {
      g_free (*field);
      *field = g_strdup (value);
    }
}

static void
okno_event_finalize (GObject *object)
{
  OknoEvent *self = (OknoEvent *) object;

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->etag, g_free);
  g_clear_pointer (&self->summary, g_free);
  g_clear_pointer (&self->description, g_free);
  g_clear_pointer (&self->event_type, g_free);
  g_clear_pointer (&self->start, g_date_time_unref);
  g_clear_pointer (&self->end, g_date_time_unref);
  g_clear_pointer (&self->updated, g_date_time_unref);
  g_clear_pointer (&self->private_props, g_hash_table_unref);

  G_OBJECT_CLASS (okno_event_parent_class)->finalize (object);
}

static void
okno_event_class_init (OknoEventClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = okno_event_finalize;
}

static void
okno_event_init (OknoEvent *self)
{
  self->private_props = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

OknoEvent *
okno_event_new (const char *id,
                const char *summary,
                GDateTime  *start,
                GDateTime  *end)
{
  OknoEvent *self;

  g_return_val_if_fail (start != NULL, NULL);
  g_return_val_if_fail (end != NULL, NULL);

  self = g_object_new (OKNO_TYPE_EVENT, NULL);
  self->id = g_strdup (id);
  self->summary = g_strdup (summary);
  self->start = g_date_time_ref (start);
  self->end = g_date_time_ref (end);

  return self;
}

OknoEvent *
okno_event_new_from_json (JsonObject  *object,
                          GError     **error)
{
  g_autoptr(OknoEvent) self = NULL;
  const char *status;
  const char *updated;
  gboolean all_day = FALSE;

  g_return_val_if_fail (object != NULL, NULL);

  self = g_object_new (OKNO_TYPE_EVENT, NULL);
  self->id = g_strdup (json_object_get_string_member_with_default (object, "id", NULL));
  if (self->id == NULL || self->id[0] == '\0')
    {
      g_set_error_literal (error, OKNO_CALENDAR_ERROR, OKNO_CALENDAR_ERROR_INVALID,
                           "Event has no id");
      return NULL;
    }

  status = json_object_get_string_member_with_default (object, "status", "confirmed");
  self->cancelled = g_strcmp0 (status, "cancelled") == 0;
  self->etag = g_strdup (json_object_get_string_member_with_default (object, "etag", NULL));

  /* A cancelled event from an incremental sync may carry nothing else. */
  if (self->cancelled && !json_object_has_member (object, "start"))
    return g_steal_pointer (&self);

  self->summary = g_strdup (json_object_get_string_member_with_default (object, "summary", ""));
  self->description = g_strdup (json_object_get_string_member_with_default (object, "description", NULL));
  self->event_type = g_strdup (json_object_get_string_member_with_default (object, "eventType", NULL));
  self->transparent = g_strcmp0 (json_object_get_string_member_with_default (object, "transparency", "opaque"),
                                 "transparent") == 0;

  if (!(self->start = parse_event_time (object, "start", &all_day, error)))
    return NULL;
  self->all_day = all_day;
  if (!(self->end = parse_event_time (object, "end", &all_day, error)))
    return NULL;
  if (g_date_time_compare (self->end, self->start) < 0)
    {
      g_set_error_literal (error, OKNO_CALENDAR_ERROR, OKNO_CALENDAR_ERROR_INVALID,
                           "Event ends before it starts");
      return NULL;
    }

  if ((updated = json_object_get_string_member_with_default (object, "updated", NULL)))
    self->updated = okno_time_parse_rfc3339 (updated);

  if (json_object_has_member (object, "extendedProperties") &&
      JSON_NODE_HOLDS_OBJECT (json_object_get_member (object, "extendedProperties")))
    {
      JsonObject *ext = json_object_get_object_member (object, "extendedProperties");

      if (json_object_has_member (ext, "private") &&
          JSON_NODE_HOLDS_OBJECT (json_object_get_member (ext, "private")))
        {
          JsonObject *priv = json_object_get_object_member (ext, "private");
          JsonObjectIter iter;
          const char *key;
          JsonNode *value;

          json_object_iter_init (&iter, priv);
          while (json_object_iter_next (&iter, &key, &value))
            {
              if (JSON_NODE_HOLDS_VALUE (value) &&
                  json_node_get_value_type (value) == G_TYPE_STRING)
                g_hash_table_insert (self->private_props,
                                     g_strdup (key),
                                     g_strdup (json_node_get_string (value)));
            }
        }
    }

  return g_steal_pointer (&self);
}

JsonObject *
okno_event_to_json (OknoEvent *self)
{
  JsonObject *object;

  g_return_val_if_fail (OKNO_IS_EVENT (self), NULL);

  object = json_object_new ();
  json_object_set_string_member (object, "kind", "calendar#event");
  if (self->id)
    json_object_set_string_member (object, "id", self->id);
  if (self->etag)
    json_object_set_string_member (object, "etag", self->etag);
  json_object_set_string_member (object, "status", self->cancelled ? "cancelled" : "confirmed");
  if (self->cancelled && self->start == NULL)
    return object;

  json_object_set_string_member (object, "summary", self->summary ? self->summary : "");
  if (self->description)
    json_object_set_string_member (object, "description", self->description);
  if (self->event_type)
    json_object_set_string_member (object, "eventType", self->event_type);
  json_object_set_string_member (object, "transparency", self->transparent ? "transparent" : "opaque");
  json_object_set_member (object, "start", event_time_to_json (self->start, self->all_day));
  json_object_set_member (object, "end", event_time_to_json (self->end, self->all_day));
  if (self->updated)
    {
      g_autofree char *text = okno_time_format_rfc3339 (self->updated, NULL);
      json_object_set_string_member (object, "updated", text);
    }

  if (g_hash_table_size (self->private_props) > 0)
    {
      JsonObject *ext = json_object_new ();
      JsonObject *priv = json_object_new ();
      g_autoptr(GList) keys = g_hash_table_get_keys (self->private_props);

      keys = g_list_sort (keys, (GCompareFunc) g_strcmp0);
      for (const GList *l = keys; l; l = l->next)
        json_object_set_string_member (priv, l->data, g_hash_table_lookup (self->private_props, l->data));
      json_object_set_object_member (ext, "private", priv);
      json_object_set_object_member (object, "extendedProperties", ext);
    }

  return object;
}

OknoEvent *
okno_event_copy (OknoEvent *self)
{
  OknoEvent *copy;
  GHashTableIter iter;
  gpointer key, value;

  g_return_val_if_fail (OKNO_IS_EVENT (self), NULL);

  copy = g_object_new (OKNO_TYPE_EVENT, NULL);
  copy->id = g_strdup (self->id);
  copy->etag = g_strdup (self->etag);
  copy->summary = g_strdup (self->summary);
  copy->description = g_strdup (self->description);
  copy->event_type = g_strdup (self->event_type);
  copy->start = self->start ? g_date_time_ref (self->start) : NULL;
  copy->end = self->end ? g_date_time_ref (self->end) : NULL;
  copy->updated = self->updated ? g_date_time_ref (self->updated) : NULL;
  copy->all_day = self->all_day;
  copy->transparent = self->transparent;
  copy->cancelled = self->cancelled;

  g_hash_table_iter_init (&iter, self->private_props);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_hash_table_insert (copy->private_props, g_strdup (key), g_strdup (value));

  return copy;
}

const char *
okno_event_get_id (OknoEvent *self)
{
  g_return_val_if_fail (OKNO_IS_EVENT (self), NULL);
  return self->id;
}

void
okno_event_set_id (OknoEvent  *self,
                   const char *id)
{
  g_return_if_fail (OKNO_IS_EVENT (self));
  set_string (&self->id, id);
}

const char *
okno_event_get_etag (OknoEvent *self)
{
  g_return_val_if_fail (OKNO_IS_EVENT (self), NULL);
  return self->etag;
}

void
okno_event_set_etag (OknoEvent  *self,
                     const char *etag)
{
  g_return_if_fail (OKNO_IS_EVENT (self));
  set_string (&self->etag, etag);
}

const char *
okno_event_get_summary (OknoEvent *self)
{
  g_return_val_if_fail (OKNO_IS_EVENT (self), NULL);
  return self->summary ? self->summary : "";
}

void
okno_event_set_summary (OknoEvent  *self,
                        const char *summary)
{
  g_return_if_fail (OKNO_IS_EVENT (self));
  set_string (&self->summary, summary);
}

const char *
okno_event_get_description (OknoEvent *self)
{
  g_return_val_if_fail (OKNO_IS_EVENT (self), NULL);
  return self->description;
}

void
okno_event_set_description (OknoEvent  *self,
                            const char *description)
{
  g_return_if_fail (OKNO_IS_EVENT (self));
  set_string (&self->description, description);
}

GDateTime *
okno_event_get_start (OknoEvent *self)
{
  g_return_val_if_fail (OKNO_IS_EVENT (self), NULL);
  return self->start;
}

GDateTime *
okno_event_get_end (OknoEvent *self)
{
  g_return_val_if_fail (OKNO_IS_EVENT (self), NULL);
  return self->end;
}

void
okno_event_set_times (OknoEvent *self,
                      GDateTime *start,
                      GDateTime *end)
{
  g_return_if_fail (OKNO_IS_EVENT (self));
  g_return_if_fail (start != NULL && end != NULL);

  g_date_time_ref (start);
  g_date_time_ref (end);
  g_clear_pointer (&self->start, g_date_time_unref);
  g_clear_pointer (&self->end, g_date_time_unref);
  self->start = start;
  self->end = end;
  self->all_day = FALSE;
}

gboolean
okno_event_is_all_day (OknoEvent *self)
{
  g_return_val_if_fail (OKNO_IS_EVENT (self), FALSE);
  return self->all_day;
}

gboolean
okno_event_is_transparent (OknoEvent *self)
{
  g_return_val_if_fail (OKNO_IS_EVENT (self), FALSE);
  return self->transparent;
}

void
okno_event_set_transparent (OknoEvent *self,
                            gboolean   transparent)
{
  g_return_if_fail (OKNO_IS_EVENT (self));
  self->transparent = !!transparent;
}

gboolean
okno_event_is_cancelled (OknoEvent *self)
{
  g_return_val_if_fail (OKNO_IS_EVENT (self), FALSE);
  return self->cancelled;
}

void
okno_event_set_cancelled (OknoEvent *self,
                          gboolean   cancelled)
{
  g_return_if_fail (OKNO_IS_EVENT (self));
  self->cancelled = !!cancelled;
}

const char *
okno_event_get_private (OknoEvent  *self,
                        const char *key)
{
  g_return_val_if_fail (OKNO_IS_EVENT (self), NULL);
  return g_hash_table_lookup (self->private_props, key);
}

void
okno_event_set_private (OknoEvent  *self,
                        const char *key,
                        const char *value)
{
  g_return_if_fail (OKNO_IS_EVENT (self));
  g_return_if_fail (key != NULL);

  if (value == NULL)
    g_hash_table_remove (self->private_props, key);
  else
    g_hash_table_insert (self->private_props, g_strdup (key), g_strdup (value));
}

GDateTime *
okno_event_get_updated (OknoEvent *self)
{
  g_return_val_if_fail (OKNO_IS_EVENT (self), NULL);
  return self->updated;
}

void
okno_event_set_updated (OknoEvent *self,
                        GDateTime *updated)
{
  g_return_if_fail (OKNO_IS_EVENT (self));

  if (updated)
    g_date_time_ref (updated);
  g_clear_pointer (&self->updated, g_date_time_unref);
  self->updated = updated;
}

/* By start, then end, then id: a stable order for lists and layouts. */
int
okno_event_compare (gconstpointer a,
                    gconstpointer b)
{
  OknoEvent *ea = *(OknoEvent **) a;
  OknoEvent *eb = *(OknoEvent **) b;
  int r;

  if ((r = g_date_time_compare (ea->start, eb->start)) != 0)
    return r;
  if ((r = g_date_time_compare (ea->end, eb->end)) != 0)
    return r;
  return g_strcmp0 (ea->id, eb->id);
}
