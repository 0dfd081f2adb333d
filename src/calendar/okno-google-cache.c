/* okno-google-cache.c
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "OknoGoogleCache"

#include "config.h"

#include <glib/gi18n.h>

#include "okno-data-dir.h"
#include "okno-errors.h"
#include "okno-google-cache.h"

/* google-cache.json in the data folder: what the last syncs with Google
 * brought, so Okno starts and serves the page with no network at all.
 *
 *   {"version":1,"calendars":{"primary":{"syncToken":…,"lastSync":…,
 *                                        "events":[Event…]}, …},
 *    "calendarList":[CalendarListEntry…]}
 *
 * Every Google calendar Okno reads keeps its state here under its id. The
 * file is replaced crash-safely (temporary file, fsync, rename) in a worker
 * thread; saves asked for while one runs are folded into the next. */

#define CACHE_VERSION 1

struct _OknoGoogleCache
{
  GObject     parent_instance;

  char       *path;
  JsonObject *calendars;
  JsonArray  *calendar_list;
  gboolean    saving;
  GPtrArray  *waiting;     /* GTask *, answered by the next write */
  GPtrArray  *running;     /* GTask *, answered by the current write */
};

G_DEFINE_FINAL_TYPE (OknoGoogleCache, okno_google_cache, G_TYPE_OBJECT)

static void start_save (OknoGoogleCache *self);

static void
write_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  OknoGoogleCache *self = source_object;
  GError *error = NULL;

  if (okno_write_file (self->path, task_data, -1, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
written_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  OknoGoogleCache *self = OKNO_GOOGLE_CACHE (object);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) running = g_steal_pointer (&self->running);

  g_task_propagate_boolean (G_TASK (result), &error);
  if (error)
    g_warning ("Could not write %s: %s", self->path, error->message);

  for (guint i = 0; i < running->len; i++)
    {
      GTask *task = g_ptr_array_index (running, i);

      if (error)
        g_task_return_error (task, g_error_copy (error));
      else
        g_task_return_boolean (task, TRUE);
    }

  self->saving = FALSE;
  if (self->waiting->len > 0)
    start_save (self);
  g_object_unref (self);
}

static void
start_save (OknoGoogleCache *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(GTask) task = NULL;
  char *text;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, CACHE_VERSION);
  json_builder_set_member_name (builder, "calendars");
  json_builder_add_value (builder, json_node_init_object (json_node_alloc (), self->calendars));
  if (self->calendar_list)
    {
      json_builder_set_member_name (builder, "calendarList");
      json_builder_add_value (builder, json_node_init_array (json_node_alloc (), self->calendar_list));
    }
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, NULL);

  self->saving = TRUE;
  self->running = g_steal_pointer (&self->waiting);
  self->waiting = g_ptr_array_new_with_free_func (g_object_unref);

  task = g_task_new (self, NULL, written_cb, g_object_ref (self));
  g_task_set_source_tag (task, start_save);
  g_task_set_task_data (task, text, g_free);
  g_task_run_in_thread (task, write_thread);
}

static void
okno_google_cache_finalize (GObject *object)
{
  OknoGoogleCache *self = (OknoGoogleCache *)object;

  g_free (self->path);
  g_clear_pointer (&self->calendars, json_object_unref);
  g_clear_pointer (&self->calendar_list, json_array_unref);
  g_clear_pointer (&self->waiting, g_ptr_array_unref);
  g_clear_pointer (&self->running, g_ptr_array_unref);

  G_OBJECT_CLASS (okno_google_cache_parent_class)->finalize (object);
}

static void
okno_google_cache_class_init (OknoGoogleCacheClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = okno_google_cache_finalize;
}

static void
okno_google_cache_init (OknoGoogleCache *self)
{
  self->waiting = g_ptr_array_new_with_free_func (g_object_unref);
}

/**
 * okno_google_cache_new:
 *
 * Reads google-cache.json from @data_dir, if there is one. A file that is
 * not Okno's cache, or from a newer Okno, is an error and stays untouched.
 */
OknoGoogleCache *
okno_google_cache_new (const char  *data_dir,
                       GError     **error)
{
  g_autoptr(OknoGoogleCache) self = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local_error = NULL;
  JsonObject *root;
  JsonNode *calendars;

  g_return_val_if_fail (data_dir != NULL, NULL);

  self = g_object_new (OKNO_TYPE_GOOGLE_CACHE, NULL);
  self->path = g_build_filename (data_dir, "google-cache.json", NULL);

  if (!json_parser_load_from_mapped_file (parser, self->path, &local_error))
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        {
          self->calendars = json_object_new ();
          return g_steal_pointer (&self);
        }
      g_set_error (error, OKNO_DATA_ERROR, OKNO_DATA_ERROR_CORRUPT,
                   _("The Google cache %s cannot be read (%s); it was left untouched"), self->path, local_error->message);
      return NULL;
    }

  if (!JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)) ||
      !(root = json_node_get_object (json_parser_get_root (parser))) ||
      !(calendars = json_object_get_member (root, "calendars")) ||
      !JSON_NODE_HOLDS_OBJECT (calendars))
    {
      g_set_error (error, OKNO_DATA_ERROR, OKNO_DATA_ERROR_CORRUPT,
                   _("%s is not Okno’s Google cache"), self->path);
      return NULL;
    }
  if (json_object_get_int_member_with_default (root, "version", 0) > CACHE_VERSION)
    {
      g_set_error (error, OKNO_DATA_ERROR, OKNO_DATA_ERROR_SCHEMA,
                   _("%s was written by a newer Okno"), self->path);
      return NULL;
    }

  self->calendars = json_object_ref (json_node_get_object (calendars));
  if (json_object_has_member (root, "calendarList") &&
      JSON_NODE_HOLDS_ARRAY (json_object_get_member (root, "calendarList")))
    self->calendar_list = json_array_ref (json_object_get_array_member (root, "calendarList"));
  return g_steal_pointer (&self);
}

const char *
okno_google_cache_get_path (OknoGoogleCache *self)
{
  g_return_val_if_fail (OKNO_IS_GOOGLE_CACHE (self), NULL);
  return self->path;
}

/* Returns: (transfer none) (nullable): the calendar's cached state */
JsonObject *
okno_google_cache_lookup (OknoGoogleCache *self,
                          const char      *calendar_id)
{
  JsonNode *node;

  g_return_val_if_fail (OKNO_IS_GOOGLE_CACHE (self), NULL);

  node = json_object_get_member (self->calendars, calendar_id);
  return node && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

void
okno_google_cache_put (OknoGoogleCache *self,
                       const char      *calendar_id,
                       JsonObject      *state)
{
  g_return_if_fail (OKNO_IS_GOOGLE_CACHE (self));
  g_return_if_fail (calendar_id != NULL && state != NULL);

  json_object_set_object_member (self->calendars, calendar_id, json_object_ref (state));
}

void
okno_google_cache_remove (OknoGoogleCache *self,
                          const char      *calendar_id)
{
  g_return_if_fail (OKNO_IS_GOOGLE_CACHE (self));

  if (json_object_has_member (self->calendars, calendar_id))
    json_object_remove_member (self->calendars, calendar_id);
}

/* Writes the cache as it is now; finishes once it is on disk. */
void
okno_google_cache_save_async (OknoGoogleCache     *self,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (OKNO_IS_GOOGLE_CACHE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, okno_google_cache_save_async);
  g_ptr_array_add (self->waiting, task);
  if (!self->saving)
    start_save (self);
}

gboolean
okno_google_cache_save_finish (OknoGoogleCache  *self,
                               GAsyncResult     *result,
                               GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

gboolean
okno_google_cache_is_saving (OknoGoogleCache *self)
{
  g_return_val_if_fail (OKNO_IS_GOOGLE_CACHE (self), FALSE);
  return self->saving || self->waiting->len > 0;
}

/* Returns: (transfer none) (nullable): the account's calendars, as the
 * last calendar list answered */
JsonArray *
okno_google_cache_get_calendar_list (OknoGoogleCache *self)
{
  g_return_val_if_fail (OKNO_IS_GOOGLE_CACHE (self), NULL);
  return self->calendar_list;
}

void
okno_google_cache_set_calendar_list (OknoGoogleCache *self,
                                     JsonArray       *calendars)
{
  g_return_if_fail (OKNO_IS_GOOGLE_CACHE (self));

  g_clear_pointer (&self->calendar_list, json_array_unref);
  self->calendar_list = calendars ? json_array_ref (calendars) : NULL;
}
