/* okno-google-cache.c
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "OknoGoogleCache"

#include "config.h"

#include <string.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include <glib/gi18n.h>

#include "okno-data-dir.h"
#include "okno-errors.h"
#include "okno-event.h"
#include "okno-google-cache.h"
#include "okno-time.h"

/* google-cache.json in the data folder: what the last syncs with Google
 * brought, so Okno starts and serves the page with no network at all.
 *
 *   {"version":1,"calendars":{"primary":{"syncToken":…,"lastSync":…,
 *                                        "events":[Event…]}, …},
 *    "calendarList":[CalendarListEntry…]}
 *
 * Every Google calendar Okno reads keeps its state here under its id, in
 * memory as events (the calendar's own objects, not a JSON tree). The file
 * is built and replaced crash-safely (temporary file, fsync, rename) in a
 * worker thread from an immutable snapshot; saves asked for while one runs
 * are folded into the next. */

#define CACHE_VERSION 1

/* What the cache holds for one calendar. Never changed once made: put()
 * replaces it whole, so a save in a worker thread reads a snapshot that
 * nothing on the main thread touches meanwhile. The events are the
 * calendar's own objects (stored events are never changed in place). */
typedef struct
{
  char      *sync_token;
  GDateTime *last_sync;
  GPtrArray *events;       /* OknoEvent *, sorted */
} CalendarState;

static void
calendar_state_clear (gpointer data)
{
  CalendarState *state = data;

  g_free (state->sync_token);
  g_clear_pointer (&state->last_sync, g_date_time_unref);
  g_clear_pointer (&state->events, g_ptr_array_unref);
}

static CalendarState *
calendar_state_new (const char *sync_token,
                    GDateTime  *last_sync,
                    GPtrArray  *events)
{
  CalendarState *state = g_atomic_rc_box_new0 (CalendarState);

  state->sync_token = g_strdup (sync_token);
  state->last_sync = last_sync ? g_date_time_ref (last_sync) : NULL;
  state->events = events ? g_ptr_array_ref (events) : g_ptr_array_new_with_free_func (g_object_unref);
  return state;
}

static void
calendar_state_unref (gpointer data)
{
  g_atomic_rc_box_release_full (data, calendar_state_clear);
}

struct _OknoGoogleCache
{
  GObject     parent_instance;

  char       *path;
  GHashTable *calendars;   /* id → CalendarState * */
  JsonArray  *calendar_list;
  gboolean    saving;
  GPtrArray  *waiting;     /* GTask *, answered by the next write */
  GPtrArray  *running;     /* GTask *, answered by the current write */
};

G_DEFINE_FINAL_TYPE (OknoGoogleCache, okno_google_cache, G_TYPE_OBJECT)

/**
 * okno_google_release_free_memory:
 *
 * Hands memory freed after a big parse back to the system. glibc keeps
 * freed blocks in its arenas (one per thread that allocated), so the JSON
 * trees of a sync or of the cache file would otherwise stay in the
 * process's RSS long after they are gone. Safe from any thread.
 */
void
okno_google_release_free_memory (void)
{
#ifdef __GLIBC__
  malloc_trim (0);
#endif
}

/* The save, in a worker thread */

typedef struct
{
  char      *id;
  CalendarState *state;
} SnapshotEntry;

typedef struct
{
  GPtrArray *calendars;    /* SnapshotEntry * */
  char      *calendar_list; /* JSON text, or NULL */
} Snapshot;

static void
snapshot_entry_free (gpointer data)
{
  SnapshotEntry *entry = data;

  g_free (entry->id);
  calendar_state_unref (entry->state);
  g_free (entry);
}

static void
snapshot_free (gpointer data)
{
  Snapshot *snapshot = data;

  g_ptr_array_unref (snapshot->calendars);
  g_free (snapshot->calendar_list);
  g_free (snapshot);
}

static int
compare_entries (gconstpointer a,
                 gconstpointer b)
{
  return strcmp ((*(SnapshotEntry **) a)->id, (*(SnapshotEntry **) b)->id);
}

static void
append_string (GString    *out,
               const char *text)
{
  g_autoptr(JsonNode) node = json_node_init_string (json_node_alloc (), text);
  g_autofree char *quoted = json_to_string (node, FALSE);

  g_string_append (out, quoted);
}

/* The file is written event by event, so no tree of the whole cache is
 * ever built: memory stays at one event's tree plus the text. */
static char *
serialize (Snapshot *snapshot,
           gsize    *length)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  GString *out = g_string_sized_new (4096);

  g_string_append_printf (out, "{\"version\":%d,\"calendars\":{", CACHE_VERSION);
  for (guint i = 0; i < snapshot->calendars->len; i++)
    {
      SnapshotEntry *entry = g_ptr_array_index (snapshot->calendars, i);
      CalendarState *state = entry->state;

      if (i > 0)
        g_string_append_c (out, ',');
      append_string (out, entry->id);
      g_string_append (out, ":{");
      if (state->sync_token)
        {
          g_string_append (out, "\"syncToken\":");
          append_string (out, state->sync_token);
          g_string_append_c (out, ',');
        }
      if (state->last_sync)
        {
          g_autofree char *text = okno_time_format_rfc3339 (state->last_sync, NULL);

          g_string_append (out, "\"lastSync\":");
          append_string (out, text);
          g_string_append_c (out, ',');
        }
      g_string_append (out, "\"events\":[");
      for (guint j = 0; j < state->events->len; j++)
        {
          g_autoptr(JsonNode) node = json_node_alloc ();

          json_node_take_object (json_node_init (node, JSON_NODE_OBJECT),
                                 okno_event_to_json (g_ptr_array_index (state->events, j)));
          if (j > 0)
            g_string_append_c (out, ',');
          json_generator_set_root (generator, node);
          json_generator_to_gstring (generator, out);
        }
      g_string_append (out, "]}");
    }
  g_string_append_c (out, '}');
  if (snapshot->calendar_list)
    {
      g_string_append (out, ",\"calendarList\":");
      g_string_append (out, snapshot->calendar_list);
    }
  g_string_append (out, "}");

  *length = out->len;
  return g_string_free (out, FALSE);
}

static void
write_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  OknoGoogleCache *self = source_object;
  GError *error = NULL;
  g_autofree char *text = NULL;
  gboolean ok;
  gsize length;

  text = serialize (task_data, &length);
  ok = okno_write_file (self->path, text, length, &error);
  g_clear_pointer (&text, g_free);
  okno_google_release_free_memory ();

  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void start_save (OknoGoogleCache *self);

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

/* On the main thread only a snapshot is taken (references, and the short
 * calendar list as text); the file is built and written in a thread. */
static void
start_save (OknoGoogleCache *self)
{
  g_autoptr(GTask) task = NULL;
  Snapshot *snapshot = g_new0 (Snapshot, 1);
  GHashTableIter iter;
  gpointer key, value;

  snapshot->calendars = g_ptr_array_new_with_free_func (snapshot_entry_free);
  g_hash_table_iter_init (&iter, self->calendars);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      SnapshotEntry *entry = g_new0 (SnapshotEntry, 1);

      entry->id = g_strdup (key);
      entry->state = g_atomic_rc_box_acquire (value);
      g_ptr_array_add (snapshot->calendars, entry);
    }
  g_ptr_array_sort (snapshot->calendars, compare_entries);
  if (self->calendar_list)
    {
      g_autoptr(JsonNode) node = json_node_init_array (json_node_alloc (), self->calendar_list);

      snapshot->calendar_list = json_to_string (node, FALSE);
    }

  self->saving = TRUE;
  self->running = g_steal_pointer (&self->waiting);
  self->waiting = g_ptr_array_new_with_free_func (g_object_unref);

  task = g_task_new (self, NULL, written_cb, g_object_ref (self));
  g_task_set_source_tag (task, start_save);
  g_task_set_task_data (task, snapshot, snapshot_free);
  g_task_run_in_thread (task, write_thread);
}

static void
okno_google_cache_finalize (GObject *object)
{
  OknoGoogleCache *self = (OknoGoogleCache *)object;

  g_free (self->path);
  g_clear_pointer (&self->calendars, g_hash_table_unref);
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
  self->calendars = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, calendar_state_unref);
  self->waiting = g_ptr_array_new_with_free_func (g_object_unref);
}

/* One calendar's entry of the file, as events. */
static CalendarState *
state_from_json (JsonObject *object)
{
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GDateTime) last_sync = NULL;
  const char *text;

  if ((text = json_object_get_string_member_with_default (object, "lastSync", NULL)))
    last_sync = okno_time_parse_rfc3339 (text);
  if (json_object_has_member (object, "events") &&
      JSON_NODE_HOLDS_ARRAY (json_object_get_member (object, "events")))
    {
      JsonArray *items = json_object_get_array_member (object, "events");
      guint n = json_array_get_length (items);

      for (guint i = 0; i < n; i++)
        {
          JsonNode *node = json_array_get_element (items, i);
          g_autoptr(GError) error = NULL;
          OknoEvent *event;

          if (!JSON_NODE_HOLDS_OBJECT (node))
            continue;
          if ((event = okno_event_new_from_json (json_node_get_object (node), &error)))
            g_ptr_array_add (events, event);
          else
            g_debug ("Skipped a cached event Okno cannot read: %s", error->message);
        }
    }
  return calendar_state_new (json_object_get_string_member_with_default (object, "syncToken", NULL),
                             last_sync, events);
}

/**
 * okno_google_cache_new:
 *
 * Reads google-cache.json from @data_dir, if there is one. A file that is
 * not Okno's cache, or from a newer Okno, is an error and stays untouched.
 * The file's JSON tree lives only while it is read: what stays are the
 * events (shared with the calendars) and the tokens.
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
  JsonObjectIter iter;
  const char *id;
  JsonNode *node;

  g_return_val_if_fail (data_dir != NULL, NULL);

  self = g_object_new (OKNO_TYPE_GOOGLE_CACHE, NULL);
  self->path = g_build_filename (data_dir, "google-cache.json", NULL);

  if (!json_parser_load_from_mapped_file (parser, self->path, &local_error))
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return g_steal_pointer (&self);
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

  json_object_iter_init (&iter, json_node_get_object (calendars));
  while (json_object_iter_next (&iter, &id, &node))
    if (JSON_NODE_HOLDS_OBJECT (node))
      g_hash_table_replace (self->calendars, g_strdup (id), state_from_json (json_node_get_object (node)));

  if (json_object_has_member (root, "calendarList") &&
      JSON_NODE_HOLDS_ARRAY (json_object_get_member (root, "calendarList")))
    {
      /* A copy: a reference would keep the whole parsed file alive. */
      g_autoptr(JsonNode) list = json_node_copy (json_object_get_member (root, "calendarList"));

      self->calendar_list = json_array_ref (json_node_get_array (list));
    }

  g_clear_object (&parser);
  okno_google_release_free_memory ();
  return g_steal_pointer (&self);
}

const char *
okno_google_cache_get_path (OknoGoogleCache *self)
{
  g_return_val_if_fail (OKNO_IS_GOOGLE_CACHE (self), NULL);
  return self->path;
}

/**
 * okno_google_cache_lookup:
 * @sync_token: (out) (transfer none) (optional) (nullable)
 * @last_sync: (out) (transfer none) (optional) (nullable)
 * @events: (out) (transfer none) (optional) (element-type OknoEvent):
 *   sorted; never change it
 *
 * Returns: whether the cache holds @calendar_id
 */
gboolean
okno_google_cache_lookup (OknoGoogleCache  *self,
                          const char       *calendar_id,
                          const char      **sync_token,
                          GDateTime       **last_sync,
                          GPtrArray       **events)
{
  CalendarState *state;

  g_return_val_if_fail (OKNO_IS_GOOGLE_CACHE (self), FALSE);

  if (!(state = g_hash_table_lookup (self->calendars, calendar_id)))
    return FALSE;
  if (sync_token)
    *sync_token = state->sync_token;
  if (last_sync)
    *last_sync = state->last_sync;
  if (events)
    *events = state->events;
  return TRUE;
}

/**
 * okno_google_cache_put:
 * @events: (element-type OknoEvent): sorted, kept by reference: the caller
 *   must never change the array (or the events) after this
 *
 * Replaces what the cache holds for @calendar_id; save to write it.
 */
void
okno_google_cache_put (OknoGoogleCache *self,
                       const char      *calendar_id,
                       const char      *sync_token,
                       GDateTime       *last_sync,
                       GPtrArray       *events)
{
  g_return_if_fail (OKNO_IS_GOOGLE_CACHE (self));
  g_return_if_fail (calendar_id != NULL && events != NULL);

  g_hash_table_replace (self->calendars, g_strdup (calendar_id),
                        calendar_state_new (sync_token, last_sync, events));
}

void
okno_google_cache_remove (OknoGoogleCache *self,
                          const char      *calendar_id)
{
  g_return_if_fail (OKNO_IS_GOOGLE_CACHE (self));

  g_hash_table_remove (self->calendars, calendar_id);
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
