/* okno-local-calendar.c
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "OknoLocalCalendar"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "okno-data-dir.h"
#include "okno-errors.h"
#include "okno-json-util.h"
#include "okno-local-calendar.h"
#include "okno-time.h"
#include "okno-token.h"

/* The embedded calendar used when no Google account is connected.
 *
 * Events are kept in memory, sorted by start, and in calendar.json in the
 * data folder in the shape of Google's events.list answer, so a person can
 * read it and the Google backend shares its parser. Every change is written
 * crash-safely (temporary file, fsync, rename) in a worker thread; changes
 * that come while a write is under way are coalesced into the next one, and
 * each write's callers are answered once their change is on disk.
 *
 * A stored event is never changed in place (an update replaces it), so its
 * text in the file is made once, in the worker, and kept for the next
 * writes: a write serializes only the events changed since the last one and
 * copies the rest. The worker keeps its own sorted copy of the events with
 * their text (a Mirror, handed to each write and back), and the main thread
 * hands it only the changes, so a write costs the main loop O(changes), not
 * O(events). With 15 000 events, serializing them all on every write took a
 * core's worth of CPU away from the main loop under a burst of bookings. */

#define CALENDAR_VERSION 1
#define SAVE_DELAY_MSEC  50

struct _OknoLocalCalendar
{
  GObject     parent_instance;

  char       *path;
  GPtrArray  *events;         /* sorted by okno_event_compare() */
  GHashTable *by_id;          /* id → OknoEvent, borrowed from @events */
  struct _Mirror *mirror;     /* NULL while a write has it */
  GPtrArray  *changes;        /* Change: since the last write took them */
  GDateTime  *loaded_at;
  GTimeSpan   longest;        /* no event lasts longer: bounds range searches */
  guint64     etag_counter;

  gboolean    saving;
  guint       save_source;    /* a write is due shortly */
  GPtrArray  *waiting_tasks;  /* answered by the write after the current one */
  GPtrArray  *damage;         /* messages about records set aside at load */
};

static void calendar_iface_init (OknoCalendarInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (OknoLocalCalendar, okno_local_calendar, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (OKNO_TYPE_CALENDAR, calendar_iface_init))

enum {
  PROP_0,
  PROP_STATE,
  N_PROPS
};

static void save          (OknoLocalCalendar *self);
static void schedule_save (OknoLocalCalendar *self);

static char *
next_etag (OknoLocalCalendar *self)
{
  return g_strdup_printf ("\"%" G_GINT64_FORMAT "%03" G_GUINT64_FORMAT "\"",
                          g_get_real_time (), ++self->etag_counter % 1000);
}

/* The worker's copy of the events in file order, each with its text. */
typedef struct
{
  OknoEvent *event;
  GBytes    *fragment;   /* NULL until made */
} MirrorItem;

typedef struct _Mirror
{
  GArray *items;         /* MirrorItem, sorted by okno_event_compare() */
} Mirror;

/* One change for the mirror: @old left, @new came (either may be NULL). */
typedef struct
{
  OknoEvent *old;
  OknoEvent *new;
} Change;

static void
mirror_item_clear (MirrorItem *item)
{
  g_clear_object (&item->event);
  g_clear_pointer (&item->fragment, g_bytes_unref);
}

static void
mirror_free (Mirror *mirror)
{
  g_array_unref (mirror->items);
  g_free (mirror);
}

static Mirror *
mirror_new (GPtrArray *events)
{
  Mirror *mirror = g_new0 (Mirror, 1);

  mirror->items = g_array_sized_new (FALSE, TRUE, sizeof (MirrorItem), events->len);
  g_array_set_clear_func (mirror->items, (GDestroyNotify) mirror_item_clear);
  for (guint i = 0; i < events->len; i++)
    {
      MirrorItem item = { g_object_ref (g_ptr_array_index (events, i)), NULL };

      g_array_append_val (mirror->items, item);
    }
  return mirror;
}

/* The first item not before @event. */
static guint
mirror_search (Mirror    *mirror,
               OknoEvent *event)
{
  guint lo = 0, hi = mirror->items->len;

  while (lo < hi)
    {
      guint mid = (lo + hi) / 2;

      if (okno_event_compare (&g_array_index (mirror->items, MirrorItem, mid).event, &event) < 0)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

static void
mirror_apply (Mirror *mirror,
              Change *change)
{
  if (change->old != NULL)
    {
      guint i = mirror_search (mirror, change->old);

      if (i < mirror->items->len && g_array_index (mirror->items, MirrorItem, i).event == change->old)
        g_array_remove_index (mirror->items, i);
      else
        g_critical ("An event left the calendar that its file did not hold");
    }
  if (change->new != NULL)
    {
      MirrorItem item = { g_object_ref (change->new), NULL };

      g_array_insert_val (mirror->items, mirror_search (mirror, change->new), item);
    }
}

static void
change_free (Change *change)
{
  g_clear_object (&change->old);
  g_clear_object (&change->new);
  g_free (change);
}

/* Notes a change for the next write (none before the load is done). */
static void
note_change (OknoLocalCalendar *self,
             OknoEvent         *old,
             OknoEvent         *new)
{
  Change *change;

  if (self->changes == NULL)
    return;
  change = g_new0 (Change, 1);
  change->old = old ? g_object_ref (old) : NULL;
  change->new = new ? g_object_ref (new) : NULL;
  g_ptr_array_add (self->changes, change);
}

static void
insert_sorted (OknoLocalCalendar *self,
               OknoEvent         *event)
{
  guint lo = 0, hi = self->events->len;

  while (lo < hi)
    {
      guint mid = (lo + hi) / 2;

      if (okno_event_compare (&g_ptr_array_index (self->events, mid), &event) < 0)
        lo = mid + 1;
      else
        hi = mid;
    }

  g_ptr_array_insert (self->events, lo, g_object_ref (event));
  self->longest = MAX (self->longest, g_date_time_difference (okno_event_get_end (event),
                                                              okno_event_get_start (event)));
  g_hash_table_replace (self->by_id, (gpointer) okno_event_get_id (event), event);
  note_change (self, NULL, event);
}

static void
remove_event (OknoLocalCalendar *self,
              OknoEvent         *event)
{
  note_change (self, event, NULL);
  g_hash_table_remove (self->by_id, okno_event_get_id (event));
  g_ptr_array_remove (self->events, event);
}

#define FILE_HEAD "{\n  \"version\" : 1,\n  \"kind\" : \"calendar#events\",\n  \"items\" : ["
#define FILE_TAIL "\n  ]\n}"
#define ITEM_INDENT "    "

G_STATIC_ASSERT (CALENDAR_VERSION == 1);

/* Runs in the worker thread: stored events are never changed in place (an
 * update replaces the object), so reading them is safe. The text is what
 * json-glib's pretty printer writes for the event as an element of the
 * file's "items" (test-local-calendar checks that the file stays so). */
static GBytes *
serialize_event (OknoEvent *event)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  g_autofree char *text = NULL;
  GString *out;
  gsize length;

  json_node_take_object (node, okno_event_to_json (event));
  json_generator_set_root (generator, node);
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, &length);

  /* Strings keep their line breaks escaped: every newline is the printer's. */
  out = g_string_sized_new (length + length / 8 + sizeof ITEM_INDENT);
  g_string_append (out, ITEM_INDENT);
  for (const char *p = text; *p != '\0'; p++)
    {
      g_string_append_c (out, *p);
      if (*p == '\n')
        g_string_append (out, ITEM_INDENT);
    }

  return g_string_free_to_bytes (out);
}

/* Sets a copy of the file as it was aside and remembers why, for an
 * attention item; the damaged records are dropped from the next write. */
static void
set_damaged_aside (OknoLocalCalendar *self,
                   const char        *contents,
                   gsize              length)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *copy = okno_json_keep_damaged (self->path, contents, length, &error);
  char *message;

  if (copy != NULL)
    message = g_strdup_printf (_("A damaged record in %s was set aside; the file as it was is kept in %s"),
                               self->path, copy);
  else
    message = g_strdup_printf (_("A damaged record in %s was set aside"), self->path);

  g_message ("%s", message);
  g_ptr_array_add (self->damage, message);
}

static gboolean
load (OknoLocalCalendar  *self,
      GError            **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;
  gboolean salvaged = FALSE;
  gboolean damaged = FALSE;
  JsonObject *root;
  JsonArray *items;

  if (!g_file_test (self->path, G_FILE_TEST_EXISTS))
    return TRUE;

  /* One event with bytes that are not UTF-8 must cost that event only:
   * see okno_json_load_salvaging(). */
  parser = okno_json_load_salvaging (self->path, &contents, &length, &salvaged, &local_error);
  if (parser == NULL || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_set_error (error, OKNO_DATA_ERROR, OKNO_DATA_ERROR_CORRUPT,
                   _("The calendar %s cannot be read (%s); it was left untouched"),
                   self->path, local_error ? local_error->message : _("not a JSON object"));
      return FALSE;
    }

  root = json_node_get_object (json_parser_get_root (parser));
  if (json_object_get_int_member_with_default (root, "version", 0) > CALENDAR_VERSION)
    {
      g_set_error (error, OKNO_DATA_ERROR, OKNO_DATA_ERROR_SCHEMA,
                   _("The calendar %s was written by a newer Okno; it was left untouched"),
                   self->path);
      return FALSE;
    }

  if (!json_object_has_member (root, "items") ||
      !JSON_NODE_HOLDS_ARRAY (json_object_get_member (root, "items")))
    return TRUE;

  items = json_object_get_array_member (root, "items");
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonNode *node = json_array_get_element (items, i);
      g_autoptr(OknoEvent) event = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (node) || !okno_json_node_is_clean (node, salvaged) ||
          !(event = okno_event_new_from_json (json_node_get_object (node), NULL)) ||
          okno_event_get_id (event) == NULL || g_hash_table_contains (self->by_id, okno_event_get_id (event)))
        {
          damaged = TRUE;
          continue;
        }

      if (!okno_event_is_cancelled (event))
        insert_sorted (self, event);
    }

  if (damaged || salvaged)
    {
      set_damaged_aside (self, contents, length);
      /* Write the file without the damaged records soon. */
      schedule_save (self);
    }

  return TRUE;
}

typedef struct
{
  char      *path;
  Mirror    *mirror;     /* the worker's while it runs, then back to the calendar */
  GPtrArray *changes;    /* Change, to apply to @mirror first */
} SaveJob;

typedef struct
{
  OknoLocalCalendar *self;
  GPtrArray         *tasks;
} SaveWaiters;

static void
save_job_free (SaveJob *job)
{
  g_free (job->path);
  g_clear_pointer (&job->mirror, mirror_free);
  g_ptr_array_unref (job->changes);
  g_free (job);
}

/* Runs in a worker thread and touches nothing but its job: the worker may
 * drop the task last, so the task must not own the calendar. */
static void
save_in_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  SaveJob *job = task_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) file = NULL;
  GArray *items = job->mirror->items;
  gsize total = sizeof FILE_HEAD + sizeof FILE_TAIL;

  for (guint i = 0; i < job->changes->len; i++)
    mirror_apply (job->mirror, g_ptr_array_index (job->changes, i));

  for (guint i = 0; i < items->len; i++)
    {
      MirrorItem *item = &g_array_index (items, MirrorItem, i);

      if (item->fragment == NULL)
        {
          g_autoptr(GBytes) fragment = serialize_event (item->event);
          gsize length;
          const char *data = g_bytes_get_data (fragment, &length);

          /* A bug that let bad text in becomes an error, never a file
           * that the next start cannot read. */
          if (!g_utf8_validate_len (data, length, NULL))
            {
              g_task_return_new_error (task, OKNO_DATA_ERROR, OKNO_DATA_ERROR_INVALID_TEXT,
                                       "Refusing to store text that is not valid UTF-8");
              return;
            }
          item->fragment = g_steal_pointer (&fragment);
        }
      total += g_bytes_get_size (item->fragment) + 2;
    }

  /* Without a path, only the events' text is made (see warm_up()). */
  if (job->path == NULL)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  file = g_string_sized_new (total);
  g_string_append (file, FILE_HEAD);
  for (guint i = 0; i < items->len; i++)
    {
      gsize length;
      const char *data = g_bytes_get_data (g_array_index (items, MirrorItem, i).fragment, &length);

      g_string_append (file, i == 0 ? "\n" : ",\n");
      g_string_append_len (file, data, length);
    }
  if (items->len > 0)
    g_string_append (file, FILE_TAIL);
  else
    g_string_append (file, "]\n}");

  if (!okno_write_file (job->path, file->str, file->len, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

static void
saved_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  SaveWaiters *waiters = user_data;
  g_autoptr(OknoLocalCalendar) self = waiters->self;
  g_autoptr(GPtrArray) tasks = waiters->tasks;
  g_autoptr(GError) error = NULL;

  SaveJob *job = g_task_get_task_data (G_TASK (result));

  g_free (waiters);
  self->saving = FALSE;
  /* The worker applied the changes whatever became of the write. */
  self->mirror = g_steal_pointer (&job->mirror);

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    g_warning ("Cannot save the calendar: %s", error->message);

  /* Each caller's task holds what it returns; an error replaces it. */
  for (guint i = 0; i < tasks->len; i++)
    {
      GTask *task = g_ptr_array_index (tasks, i);

      if (error != NULL)
        g_task_return_new_error (task, OKNO_CALENDAR_ERROR, OKNO_CALENDAR_ERROR_FAILED,
                                 _("Cannot save the calendar: %s"), error->message);
      else
        {
          gpointer value = g_object_get_data (G_OBJECT (task), "okno-result");

          if (value != NULL)
            g_task_return_pointer (task, g_object_ref (value), g_object_unref);
          else
            g_task_return_boolean (task, TRUE);
        }
    }

  if (self->waiting_tasks->len > 0)
    schedule_save (self);
}

/* Writes the file (@write) or only makes the events' text (a warm-up). */
static void
start_job (OknoLocalCalendar *self,
           gboolean           write)
{
  g_autoptr(GTask) task = NULL;
  SaveWaiters *waiters;
  SaveJob *job;

  self->saving = TRUE;
  waiters = g_new0 (SaveWaiters, 1);
  waiters->self = g_object_ref (self);
  waiters->tasks = g_steal_pointer (&self->waiting_tasks);
  self->waiting_tasks = g_ptr_array_new_with_free_func (g_object_unref);

  job = g_new0 (SaveJob, 1);
  job->path = write ? g_strdup (self->path) : NULL;
  job->mirror = g_steal_pointer (&self->mirror);
  job->changes = g_steal_pointer (&self->changes);
  self->changes = g_ptr_array_new_with_free_func ((GDestroyNotify) change_free);

  task = g_task_new (NULL, NULL, saved_cb, waiters);
  g_task_set_source_tag (task, save);
  g_task_set_task_data (task, job, (GDestroyNotify) save_job_free);
  g_task_run_in_thread (task, save_in_thread);
}

static void
save (OknoLocalCalendar *self)
{
  if (!self->saving)
    start_job (self, TRUE);
}

/* The first write after a start would serialize every event, taking a
 * core for a while just when bookings come in: the events' text is made
 * in a worker right after the load instead. Writes wait for it (it counts
 * as saving) and then need only the events changed since. */
static void
warm_up (OknoLocalCalendar *self)
{
  if (!self->saving && self->save_source == 0 && self->events->len > 0)
    start_job (self, FALSE);
}

static gboolean
save_due_cb (gpointer user_data)
{
  OknoLocalCalendar *self = user_data;

  self->save_source = 0;
  save (self);
  return G_SOURCE_REMOVE;
}

/* Changes that come close together (a burst of bookings, a dragged week)
 * share one write of the file. */
static void
schedule_save (OknoLocalCalendar *self)
{
  if (self->save_source == 0 && !self->saving)
    self->save_source = g_timeout_add_full (G_PRIORITY_DEFAULT, SAVE_DELAY_MSEC,
                                            save_due_cb, g_object_ref (self), g_object_unref);
}

/* Queues @task to be answered with @value once the current state is on
 * disk, and tells everyone the calendar changed. */
static void
commit (OknoLocalCalendar *self,
        GTask             *task,
        OknoEvent         *value)
{
  if (value != NULL)
    g_object_set_data_full (G_OBJECT (task), "okno-result", g_object_ref (value), g_object_unref);
  g_ptr_array_add (self->waiting_tasks, g_object_ref (task));
  schedule_save (self);

  okno_calendar_emit_changed (OKNO_CALENDAR (self));
}

static GPtrArray *
okno_local_calendar_list_events (OknoCalendar *calendar,
                                 GDateTime    *start,
                                 GDateTime    *end)
{
  OknoLocalCalendar *self = OKNO_LOCAL_CALENDAR (calendar);
  GPtrArray *result = g_ptr_array_new_with_free_func (g_object_unref);

  g_autoptr(GDateTime) earliest = g_date_time_add (start, -self->longest);
  guint lo = 0, hi = self->events->len;

  /* Sorted by start, and nothing lasts longer than @longest: an event
   * that overlaps the range starts after @start - @longest. */
  while (lo < hi)
    {
      guint mid = (lo + hi) / 2;

      if (g_date_time_compare (okno_event_get_start (g_ptr_array_index (self->events, mid)), earliest) < 0)
        lo = mid + 1;
      else
        hi = mid;
    }

  for (guint i = lo; i < self->events->len; i++)
    {
      OknoEvent *event = g_ptr_array_index (self->events, i);

      if (g_date_time_compare (okno_event_get_start (event), end) >= 0)
        break;
      if (okno_time_ranges_overlap (okno_event_get_start (event), okno_event_get_end (event), start, end) ||
          (g_date_time_equal (okno_event_get_start (event), okno_event_get_end (event)) &&
           g_date_time_compare (okno_event_get_start (event), start) >= 0))
        g_ptr_array_add (result, g_object_ref (event));
    }

  return result;
}

static OknoEvent *
okno_local_calendar_lookup_event (OknoCalendar *calendar,
                                  const char   *event_id)
{
  return g_hash_table_lookup (OKNO_LOCAL_CALENDAR (calendar)->by_id, event_id);
}

static OknoCalendarState
okno_local_calendar_get_state (OknoCalendar *calendar)
{
  return OKNO_CALENDAR_STATE_LOCAL;
}

static GDateTime *
okno_local_calendar_get_last_sync (OknoCalendar *calendar)
{
  return OKNO_LOCAL_CALENDAR (calendar)->loaded_at;
}

/* Refuses an event whose text is not UTF-8 before it reaches memory: it
 * would make every later write of the file fail. */
static gboolean
check_text (OknoEvent *event,
            GTask     *task)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  json_node_take_object (node, okno_event_to_json (event));
  if (!okno_json_node_is_clean (node, FALSE))
    {
      g_task_return_new_error (task, OKNO_CALENDAR_ERROR, OKNO_CALENDAR_ERROR_INVALID,
                               "Refusing to store text that is not valid UTF-8");
      return FALSE;
    }

  return TRUE;
}

static void
okno_local_calendar_insert_event_async (OknoCalendar        *calendar,
                                        OknoEvent           *event,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  OknoLocalCalendar *self = OKNO_LOCAL_CALENDAR (calendar);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(OknoEvent) stored = okno_event_copy (event);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *etag = next_etag (self);

  g_task_set_source_tag (task, okno_local_calendar_insert_event_async);

  if (!check_text (event, task))
    return;

  /* The caller chose the id (okno_calendar_insert_event_async() checked
   * it): a repeat of an insert that landed finds it taken. */
  if (g_hash_table_contains (self->by_id, okno_event_get_id (stored)))
    {
      g_task_return_new_error (task, OKNO_CALENDAR_ERROR, OKNO_CALENDAR_ERROR_CONFLICT,
                               "An event with id %s exists already", okno_event_get_id (stored));
      return;
    }

  okno_event_set_etag (stored, etag);
  okno_event_set_updated (stored, now);
  okno_event_set_cancelled (stored, FALSE);
  insert_sorted (self, stored);

  commit (self, task, stored);
}

static OknoEvent *
okno_local_calendar_insert_event_finish (OknoCalendar  *calendar,
                                         GAsyncResult  *result,
                                         GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static gboolean
check_etag (OknoEvent   *stored,
            const char  *etag,
            GTask       *task)
{
  if (etag != NULL && g_strcmp0 (etag, okno_event_get_etag (stored)) != 0)
    {
      g_task_return_new_error (task, OKNO_CALENDAR_ERROR, OKNO_CALENDAR_ERROR_CONFLICT,
                               _("The event was changed meanwhile"));
      return FALSE;
    }

  return TRUE;
}

static void
okno_local_calendar_update_event_async (OknoCalendar        *calendar,
                                        OknoEvent           *event,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  OknoLocalCalendar *self = OKNO_LOCAL_CALENDAR (calendar);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(OknoEvent) updated = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *etag = NULL;
  OknoEvent *stored;

  g_task_set_source_tag (task, okno_local_calendar_update_event_async);

  if (!check_text (event, task))
    return;

  stored = g_hash_table_lookup (self->by_id, okno_event_get_id (event) ? okno_event_get_id (event) : "");
  if (stored == NULL)
    {
      g_task_return_new_error (task, OKNO_CALENDAR_ERROR, OKNO_CALENDAR_ERROR_NOT_FOUND,
                               _("The event no longer exists"));
      return;
    }
  if (!check_etag (stored, okno_event_get_etag (event), task))
    return;

  etag = next_etag (self);
  updated = okno_event_copy (event);
  okno_event_set_etag (updated, etag);
  okno_event_set_updated (updated, now);
  okno_event_set_cancelled (updated, FALSE);

  remove_event (self, stored);
  insert_sorted (self, updated);

  commit (self, task, updated);
}

static OknoEvent *
okno_local_calendar_update_event_finish (OknoCalendar  *calendar,
                                         GAsyncResult  *result,
                                         GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
okno_local_calendar_delete_event_async (OknoCalendar        *calendar,
                                        const char          *event_id,
                                        const char          *etag,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  OknoLocalCalendar *self = OKNO_LOCAL_CALENDAR (calendar);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  OknoEvent *stored;

  g_task_set_source_tag (task, okno_local_calendar_delete_event_async);

  stored = g_hash_table_lookup (self->by_id, event_id);
  if (stored == NULL)
    {
      g_task_return_new_error (task, OKNO_CALENDAR_ERROR, OKNO_CALENDAR_ERROR_NOT_FOUND,
                               _("The event no longer exists"));
      return;
    }
  if (!check_etag (stored, etag, task))
    return;

  remove_event (self, stored);
  commit (self, task, NULL);
}

static gboolean
okno_local_calendar_delete_event_finish (OknoCalendar  *calendar,
                                         GAsyncResult  *result,
                                         GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
calendar_iface_init (OknoCalendarInterface *iface)
{
  iface->list_events = okno_local_calendar_list_events;
  iface->lookup_event = okno_local_calendar_lookup_event;
  iface->get_state = okno_local_calendar_get_state;
  iface->get_last_sync = okno_local_calendar_get_last_sync;
  iface->insert_event_async = okno_local_calendar_insert_event_async;
  iface->insert_event_finish = okno_local_calendar_insert_event_finish;
  iface->update_event_async = okno_local_calendar_update_event_async;
  iface->update_event_finish = okno_local_calendar_update_event_finish;
  iface->delete_event_async = okno_local_calendar_delete_event_async;
  iface->delete_event_finish = okno_local_calendar_delete_event_finish;
  /* refresh: the interface's default, a success with nothing to do. */
}

static void
okno_local_calendar_finalize (GObject *object)
{
  OknoLocalCalendar *self = (OknoLocalCalendar *) object;

  g_clear_pointer (&self->mirror, mirror_free);
  g_clear_pointer (&self->changes, g_ptr_array_unref);
  g_clear_pointer (&self->by_id, g_hash_table_unref);
  g_clear_pointer (&self->events, g_ptr_array_unref);
  g_clear_pointer (&self->waiting_tasks, g_ptr_array_unref);
  g_clear_pointer (&self->damage, g_ptr_array_unref);
  g_clear_pointer (&self->loaded_at, g_date_time_unref);
  g_clear_pointer (&self->path, g_free);

  G_OBJECT_CLASS (okno_local_calendar_parent_class)->finalize (object);
}

static void
okno_local_calendar_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_enum (value, OKNO_CALENDAR_STATE_LOCAL);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
okno_local_calendar_class_init (OknoLocalCalendarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = okno_local_calendar_finalize;
  object_class->get_property = okno_local_calendar_get_property;

  g_object_class_override_property (object_class, PROP_STATE, "state");
}

static void
okno_local_calendar_init (OknoLocalCalendar *self)
{
  self->events = g_ptr_array_new_with_free_func (g_object_unref);
  self->by_id = g_hash_table_new (g_str_hash, g_str_equal);
  self->waiting_tasks = g_ptr_array_new_with_free_func (g_object_unref);
  self->damage = g_ptr_array_new_with_free_func (g_free);
}

/**
 * okno_local_calendar_new:
 * @dir: the data folder, locked by the caller
 *
 * Loads calendar.json; refuses (leaving it as it is) when it is damaged.
 */
OknoLocalCalendar *
okno_local_calendar_new (const char  *dir,
                         GError     **error)
{
  g_autoptr(OknoLocalCalendar) self = NULL;

  g_return_val_if_fail (dir != NULL, NULL);

  self = g_object_new (OKNO_TYPE_LOCAL_CALENDAR, NULL);
  self->path = g_build_filename (dir, "calendar.json", NULL);
  if (!load (self, error))
    return NULL;
  self->loaded_at = g_date_time_new_now_utc ();
  self->mirror = mirror_new (self->events);
  self->changes = g_ptr_array_new_with_free_func ((GDestroyNotify) change_free);
  warm_up (self);

  return g_steal_pointer (&self);
}

guint
okno_local_calendar_get_n_events (OknoLocalCalendar *self)
{
  g_return_val_if_fail (OKNO_IS_LOCAL_CALENDAR (self), 0);
  return self->events->len;
}

/* Whether a write to calendar.json is under way or waiting. */
gboolean
okno_local_calendar_is_saving (OknoLocalCalendar *self)
{
  g_return_val_if_fail (OKNO_IS_LOCAL_CALENDAR (self), FALSE);
  return self->saving || self->save_source != 0 || self->waiting_tasks->len > 0;
}

/**
 * okno_local_calendar_get_damage:
 *
 * Returns: (transfer none) (element-type utf8): what was set aside at load,
 *   as messages for Olga (each becomes an attention item)
 */
GPtrArray *
okno_local_calendar_get_damage (OknoLocalCalendar *self)
{
  g_return_val_if_fail (OKNO_IS_LOCAL_CALENDAR (self), NULL);
  return self->damage;
}
