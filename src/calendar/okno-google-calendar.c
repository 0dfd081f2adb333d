/* okno-google-calendar.c
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "OknoGoogleCalendar"

#include "config.h"

#include <glib/gi18n.h>

#include "okno-backoff.h"
#include "okno-errors.h"
#include "okno-google-calendar.h"
#include "okno-google-sync.h"
#include "okno-time.h"

/* One Google calendar, read from memory and kept in step with Google.
 *
 * Reads come from the in-memory copy, which starts from google-cache.json,
 * so Okno serves with no network at all. A full sync lists a window (7 days
 * back to 90 ahead, singleEvents=true, every page, no orderBy) and keeps the
 * nextSyncToken of its last page; every poll after that is one incremental
 * request with the token (more only when Google pages the changes), and a
 * 410 wipes this calendar's copy and syncs it in full again.
 *
 * Writes go to Google at once: inserts carry the caller's event id (a 409
 * on a retry means it is already there), updates (PATCH, so what Olga added
 * in Google stays) and deletes carry If-Match with the last etag. 429, 5xx
 * and network failures are retried with exponential backoff and full
 * jitter, at least as long as Retry-After asks; a 412 refetches the event
 * and re-applies the change only when Olga did not change it meanwhile. */

#define WINDOW_PAST_DAYS    7
#define WINDOW_FUTURE_DAYS  90
#define PAGE_SIZE           2500
#define DEFAULT_POLL        60

struct _OknoGoogleCalendar
{
  GObject            parent_instance;

  OknoGoogleAuth    *auth;
  OknoGoogleCache   *cache;
  char              *calendar_id;
  char              *events_url;      /* …/calendars/{id}/events */

  GHashTable        *events;          /* id → OknoEvent, none cancelled */
  GPtrArray         *sorted;          /* NULL when stale */
  char              *sync_token;
  GDateTime         *last_sync;
  GDateTime         *offline_since;
  OknoCalendarState  state;

  guint              poll_seconds;
  guint              poll_source;
  gboolean           started;
  gboolean           syncing;
  GPtrArray         *sync_waiters;    /* GTask * of refresh_async */
  GHashTable        *landed;          /* id → OknoEvent (NULL: deleted), the
                                       * writes that landed while a sync ran */
  GCancellable      *cancellable;

  guint              pending;         /* writes not yet acknowledged */
  guint              queued;          /* changes the outbox holds for Google */
  GPtrArray         *waiting;         /* GTask * of writes waiting to retry */
  guint              backoff_base_ms;
  guint              backoff_cap_ms;
  guint              max_attempts;
  guint              page_size;

  /* Built by the profile (GAsyncInitable): the slot calendar owns the
   * account and the calendars that only count as busy. */
  char              *data_dir;
  GSettings         *settings;
  GPtrArray         *busy;            /* OknoGoogleCalendar * */
};

static void calendar_iface_init (OknoCalendarInterface *iface);
static void async_initable_iface_init (GAsyncInitableIface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (OknoGoogleCalendar, okno_google_calendar, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (OKNO_TYPE_CALENDAR, calendar_iface_init)
                               G_IMPLEMENT_INTERFACE (G_TYPE_ASYNC_INITABLE, async_initable_iface_init))

enum {
  PROP_0,
  PROP_STATE,
  PROP_PENDING,
  PROP_DATA_DIR,
  PROP_SETTINGS,
  PROP_POLL_SECONDS,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

typedef struct SyncRun SyncRun;
static void sync_next   (OknoGoogleCalendar *self,
                         SyncRun            *run,
                         const char         *page_token);
static void schedule_poll (OknoGoogleCalendar *self);
static void wake_waiting  (OknoGoogleCalendar *self);

/* Helpers */

static void
set_state (OknoGoogleCalendar *self,
           OknoCalendarState   state)
{
  if (self->state == state)
    return;

  if (state == OKNO_CALENDAR_STATE_OFFLINE && self->offline_since == NULL)
    self->offline_since = g_date_time_new_now_utc ();
  else if (state == OKNO_CALENDAR_STATE_SYNCED)
    g_clear_pointer (&self->offline_since, g_date_time_unref);

  g_debug ("%s: %s → %s", self->calendar_id, okno_calendar_state_to_string (self->state),
           okno_calendar_state_to_string (state));
  self->state = state;
  okno_calendar_notify_state (OKNO_CALENDAR (self));
  if (state == OKNO_CALENDAR_STATE_SYNCED)
    wake_waiting (self);
}

static void
set_pending (OknoGoogleCalendar *self,
             int                 delta)
{
  self->pending += delta;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PENDING]);
}

static JsonNode *
parse_bytes (GBytes *bytes)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  gsize len = 0;
  const char *data = bytes ? g_bytes_get_data (bytes, &len) : NULL;

  if (data == NULL || len == 0 || !json_parser_load_from_data (parser, data, len, NULL))
    return NULL;
  return json_node_ref (json_parser_get_root (parser));
}

/* The reason of Google's error body, or "". */
static const char *
error_reason (JsonNode *root)
{
  JsonObject *error;
  JsonArray *errors;

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root) ||
      !json_object_has_member (json_node_get_object (root), "error") ||
      !JSON_NODE_HOLDS_OBJECT (json_object_get_member (json_node_get_object (root), "error")))
    return "";
  error = json_object_get_object_member (json_node_get_object (root), "error");
  if (!json_object_has_member (error, "errors") ||
      !JSON_NODE_HOLDS_ARRAY (json_object_get_member (error, "errors")))
    return "";
  errors = json_object_get_array_member (error, "errors");
  if (json_array_get_length (errors) == 0)
    return "";
  return json_object_get_string_member_with_default (json_array_get_object_element (errors, 0),
                                                     "reason", "");
}

/* Reading an Event resource lives with the sync (okno-google-sync.c),
 * which does it in a worker thread; the writes read their answers here. */
static OknoEvent *
event_from_item (JsonObject *item)
{
  return okno_google_event_from_item (item);
}

static void
store_event (OknoGoogleCalendar *self,
             OknoEvent          *event)
{
  okno_google_events_apply (self->events, event);
  g_clear_pointer (&self->sorted, g_ptr_array_unref);
}

/* What a write of ours did to event @id in Google: @event is what Google
 * answered (cancelled, or NULL, when it is gone). A sync under way may
 * have read its pages before the write landed: it is kept to be laid over
 * what that sync brings. */
static void
write_landed (OknoGoogleCalendar *self,
              const char         *id,
              OknoEvent          *event)
{
  if (event != NULL)
    store_event (self, event);
  else if (g_hash_table_remove (self->events, id))
    g_clear_pointer (&self->sorted, g_ptr_array_unref);
  if (self->syncing)
    g_hash_table_replace (self->landed, g_strdup (id), event ? g_object_ref (event) : NULL);
}

/* Lays the writes that landed during the sync ending now over what it
 * brought, unless Google's copy is newer than what the write answered;
 * returns whether that changed anything. */
static gboolean
relay_landed (OknoGoogleCalendar *self)
{
  GHashTableIter iter;
  const char *id;
  OknoEvent *event;
  gboolean changed = FALSE;

  g_hash_table_iter_init (&iter, self->landed);
  while (g_hash_table_iter_next (&iter, (gpointer *) &id, (gpointer *) &event))
    {
      OknoEvent *now = g_hash_table_lookup (self->events, id);

      if (event == NULL || okno_event_is_cancelled (event))
        {
          changed |= g_hash_table_remove (self->events, id);
          continue;
        }
      if (now == event ||
          (now != NULL && okno_event_get_updated (now) != NULL && okno_event_get_updated (event) != NULL &&
           g_date_time_compare (okno_event_get_updated (now), okno_event_get_updated (event)) > 0))
        continue;
      store_event (self, event);
      changed = TRUE;
    }
  g_hash_table_remove_all (self->landed);
  if (changed)
    g_clear_pointer (&self->sorted, g_ptr_array_unref);
  return changed;
}

static GPtrArray *
get_sorted (OknoGoogleCalendar *self)
{
  GHashTableIter iter;
  OknoEvent *event;

  if (self->sorted)
    return self->sorted;

  self->sorted = g_ptr_array_new_full (g_hash_table_size (self->events), g_object_unref);
  g_hash_table_iter_init (&iter, self->events);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &event))
    g_ptr_array_add (self->sorted, g_object_ref (event));
  g_ptr_array_sort (self->sorted, okno_event_compare);
  return self->sorted;
}

/* The cache keeps the sorted list itself (a reference: a sorted list is
 * never changed, a change makes a new one) and writes it in a thread. */
static void
save_cache (OknoGoogleCalendar *self)
{
  okno_google_cache_put (self->cache, self->calendar_id, self->sync_token, self->last_sync,
                         get_sorted (self));
  okno_google_cache_save_async (self->cache, NULL, NULL, NULL);
}

static void
load_cache (OknoGoogleCalendar *self)
{
  const char *sync_token = NULL;
  GDateTime *last_sync = NULL;
  GPtrArray *events = NULL;

  if (!okno_google_cache_lookup (self->cache, self->calendar_id, &sync_token, &last_sync, &events))
    return;

  g_free (self->sync_token);
  self->sync_token = g_strdup (sync_token);
  g_clear_pointer (&self->last_sync, g_date_time_unref);
  self->last_sync = last_sync ? g_date_time_ref (last_sync) : NULL;
  for (guint i = 0; i < events->len; i++)
    store_event (self, g_ptr_array_index (events, i));
  g_debug ("%s: %u events from the cache", self->calendar_id, g_hash_table_size (self->events));
}

static char *
window_query (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) from = g_date_time_add_days (now, -WINDOW_PAST_DAYS);
  g_autoptr(GDateTime) to = g_date_time_add_days (now, WINDOW_FUTURE_DAYS);
  g_autofree char *a = g_date_time_format (from, "%Y-%m-%dT%H:%M:%SZ");
  g_autofree char *b = g_date_time_format (to, "%Y-%m-%dT%H:%M:%SZ");

  return g_strdup_printf ("timeMin=%s&timeMax=%s", a, b);
}

/* Sync */

static void
finish_sync (OknoGoogleCalendar *self,
             const GError       *error)
{
  g_autoptr(GPtrArray) waiters = g_steal_pointer (&self->sync_waiters);

  self->syncing = FALSE;
  g_hash_table_remove_all (self->landed);
  self->sync_waiters = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < waiters->len; i++)
    {
      GTask *task = g_ptr_array_index (waiters, i);

      if (error)
        g_task_return_error (task, g_error_copy (error));
      else
        g_task_return_boolean (task, TRUE);
    }
  schedule_poll (self);
}

static void
sync_failed (OknoGoogleCalendar *self,
             GError             *error)
{
  g_autoptr(GError) owned = error;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      finish_sync (self, error);
      return;
    }
  g_debug ("%s: sync failed: %s", self->calendar_id, error->message);
  /* An incremental sync's pages so far are in: keep the writes over them. */
  if (relay_landed (self))
    {
      save_cache (self);
      okno_calendar_emit_changed (OKNO_CALENDAR (self));
    }
  if (g_error_matches (error, OKNO_CALENDAR_ERROR, OKNO_CALENDAR_ERROR_AUTH))
    set_state (self, OKNO_CALENDAR_STATE_RECONNECT);
  else
    set_state (self, OKNO_CALENDAR_STATE_OFFLINE);
  finish_sync (self, error);
}

static GError *
translate_error (GError *error)
{
  GError *result;

  if (error->domain == OKNO_GOOGLE_ERROR && error->code == OKNO_GOOGLE_ERROR_RECONNECT)
    result = g_error_new_literal (OKNO_CALENDAR_ERROR, OKNO_CALENDAR_ERROR_AUTH, error->message);
  else if (error->domain == OKNO_GOOGLE_ERROR && error->code == OKNO_GOOGLE_ERROR_NOT_CONNECTED)
    result = g_error_new_literal (OKNO_CALENDAR_ERROR, OKNO_CALENDAR_ERROR_AUTH, error->message);
  else if (error->domain == G_IO_ERROR && error->code == G_IO_ERROR_CANCELLED)
    result = g_error_copy (error);
  else
    result = g_error_new_literal (OKNO_CALENDAR_ERROR, OKNO_CALENDAR_ERROR_OFFLINE, error->message);
  g_error_free (error);
  return result;
}

/* One sync, over all its pages. A full sync builds its events apart
 * (the page reader fills @table in a worker thread) and swaps them in on
 * the last page, so reads meanwhile see the last complete state; an
 * incremental sync applies each page's changes as they come (replaying
 * them after a failed page is harmless: the token only moves at the end). */
struct SyncRun
{
  OknoGoogleCalendar *self;
  gboolean            full;
  GHashTable         *table;       /* full: id → OknoEvent, the events so far */
  guint               n_items;
  gboolean            changed;
};

static void
sync_run_free (SyncRun *run)
{
  g_clear_object (&run->self);
  g_clear_pointer (&run->table, g_hash_table_unref);
  g_free (run);
}

static void
apply_sync (OknoGoogleCalendar *self,
            SyncRun            *run,
            OknoGooglePage     *page)
{
  gboolean changed = run->full || run->changed;

  if (run->full)
    {
      g_hash_table_unref (self->events);
      self->events = g_steal_pointer (&run->table);
      g_clear_pointer (&self->sorted, g_ptr_array_unref);
      self->sorted = g_steal_pointer (&page->sorted);
    }
  changed |= relay_landed (self);

  if (g_strcmp0 (self->sync_token, page->next_sync_token) != 0)
    {
      g_free (self->sync_token);
      self->sync_token = g_strdup (page->next_sync_token);
      changed = TRUE;
    }
  g_clear_pointer (&self->last_sync, g_date_time_unref);
  self->last_sync = g_date_time_new_now_utc ();

  g_debug ("%s: %s sync, %u items, %u events", self->calendar_id, run->full ? "full" : "incremental",
           run->n_items, g_hash_table_size (self->events));
  if (changed)
    save_cache (self);
  set_state (self, OKNO_CALENDAR_STATE_SYNCED);
  if (changed)
    okno_calendar_emit_changed (OKNO_CALENDAR (self));
}

static void
page_read_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  SyncRun *run = user_data;
  g_autoptr(OknoGoogleCalendar) self = g_object_ref (run->self);
  g_autoptr(OknoGooglePage) page = NULL;
  g_autoptr(GError) error = NULL;

  page = okno_google_page_read_finish (result, &error);
  if (page == NULL)
    {
      sync_run_free (run);
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        sync_failed (self, g_steal_pointer (&error));
      else
        sync_failed (self, g_error_new (OKNO_CALENDAR_ERROR, OKNO_CALENDAR_ERROR_OFFLINE,
                                        _("Google answered HTTP %u (%s)"), 200, error->message));
      return;
    }

  run->n_items += page->n_items;
  if (!run->full)
    {
      for (guint i = 0; i < page->events->len; i++)
        store_event (self, g_ptr_array_index (page->events, i));
      for (guint i = 0; i < page->unreadable->len; i++)
        if (g_hash_table_remove (self->events, g_ptr_array_index (page->unreadable, i)))
          g_clear_pointer (&self->sorted, g_ptr_array_unref);
      if (page->events->len > 0 || page->unreadable->len > 0)
        run->changed = TRUE;
    }

  if (page->next_page_token)
    {
      sync_next (self, run, page->next_page_token);
      return;
    }

  apply_sync (self, run, page);
  sync_run_free (run);
  finish_sync (self, NULL);
}

static void
sync_page_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  SyncRun *run = user_data;
  g_autoptr(OknoGoogleCalendar) self = g_object_ref (run->self);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonNode) root = NULL;
  GError *failure;
  guint status = 0;

  bytes = okno_google_auth_request_finish (OKNO_GOOGLE_AUTH (object), result, &status, NULL, &error);
  if (bytes == NULL)
    {
      sync_run_free (run);
      sync_failed (self, translate_error (g_steal_pointer (&error)));
      return;
    }

  if (status == 200)
    {
      /* Parsed, and turned into events, in a worker thread. */
      okno_google_page_read_async (bytes, run->table, self->cancellable, page_read_cb, run);
      return;
    }

  if (status == 410 && !run->full)
    {
      /* The sync token expired: start again from nothing. */
      g_message ("%s: sync token expired, syncing in full", self->calendar_id);
      /* The copy in memory serves until the full sync replaces it. */
      sync_run_free (run);
      g_clear_pointer (&self->sync_token, g_free);
      okno_google_cache_remove (self->cache, self->calendar_id);
      set_state (self, OKNO_CALENDAR_STATE_SYNCING);
      sync_next (self, NULL, NULL);
      return;
    }

  sync_run_free (run);
  root = parse_bytes (bytes);
  if (status == 401 || status == 403)
    failure = g_error_new (OKNO_CALENDAR_ERROR,
                           status == 401 ? OKNO_CALENDAR_ERROR_AUTH : OKNO_CALENDAR_ERROR_FAILED,
                           _("Google answered HTTP %u (%s)"), status, error_reason (root));
  else
    failure = g_error_new (OKNO_CALENDAR_ERROR, OKNO_CALENDAR_ERROR_OFFLINE,
                           _("Google answered HTTP %u (%s)"), status, error_reason (root));
  sync_failed (self, failure);
}

/* Asks for the next page of @run, or starts a sync (in full when there is
 * no sync token) when @run is %NULL. */
static void
sync_next (OknoGoogleCalendar *self,
           SyncRun            *run,
           const char         *page_token)
{
  g_autoptr(GString) uri = g_string_new (self->events_url);

  if (run == NULL)
    {
      run = g_new0 (SyncRun, 1);
      run->self = g_object_ref (self);
      run->full = self->sync_token == NULL;
      if (run->full)
        run->table = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
    }

  g_string_append_printf (uri, "?singleEvents=true&maxResults=%u", self->page_size);
  if (run->full)
    {
      g_autofree char *window = window_query ();
      g_string_append_printf (uri, "&%s", window);
    }
  else
    {
      g_autofree char *token = g_uri_escape_string (self->sync_token, NULL, FALSE);
      g_string_append_printf (uri, "&syncToken=%s", token);
    }
  if (page_token)
    {
      g_autofree char *escaped = g_uri_escape_string (page_token, NULL, FALSE);
      g_string_append_printf (uri, "&pageToken=%s", escaped);
    }

  okno_google_auth_request_async (self->auth, "GET", uri->str, NULL, NULL, self->cancellable,
                                  sync_page_cb, run);
}

static void
sync_start (OknoGoogleCalendar *self)
{
  if (self->syncing)
    return;
  g_clear_handle_id (&self->poll_source, g_source_remove);
  self->syncing = TRUE;
  if (self->sync_token == NULL)
    set_state (self, OKNO_CALENDAR_STATE_SYNCING);
  sync_next (self, NULL, NULL);
}

static gboolean
poll_cb (gpointer user_data)
{
  OknoGoogleCalendar *self = user_data;

  self->poll_source = 0;
  sync_start (self);
  return G_SOURCE_REMOVE;
}

/* The next poll, spread by up to a second so that many clients never ask
 * on the same tick. */
static void
schedule_poll (OknoGoogleCalendar *self)
{
  g_clear_handle_id (&self->poll_source, g_source_remove);
  if (!self->started || self->poll_seconds == 0)
    return;
  self->poll_source = g_timeout_add (self->poll_seconds * 1000 + g_random_int_range (0, 1000),
                                     poll_cb, self);
}

/* Writes */

typedef enum
{
  WRITE_INSERT,
  WRITE_UPDATE,
  WRITE_DELETE,
} WriteKind;

typedef struct
{
  WriteKind  kind;
  OknoEvent *event;      /* insert, update: the wanted state */
  OknoEvent *before;     /* update, delete: the cached state it replaces */
  char      *event_id;
  char      *etag;
  guint      attempt;
  guint      retry_source;
  gboolean   reapplied;
  gboolean   counted;
  gboolean   id_taken;   /* insert: a first try found the id in Google */
} Write;

static void
write_free (Write *w)
{
  g_clear_object (&w->event);
  g_clear_object (&w->before);
  g_free (w->event_id);
  g_free (w->etag);
  g_free (w);
}

static void send_write (GTask *task);

static char *
event_url (OknoGoogleCalendar *self,
           const char         *event_id)
{
  g_autofree char *escaped = g_uri_escape_string (event_id, NULL, FALSE);

  return g_strdup_printf ("%s/%s", self->events_url, escaped);
}

static GBytes *
event_body (OknoEvent *event)
{
  g_autoptr(JsonObject) object = okno_event_to_json (event);
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  char *text;

  json_object_remove_member (object, "etag");
  json_object_remove_member (object, "updated");
  json_node_set_object (node, object);
  text = json_to_string (node, FALSE);
  return g_bytes_new_take (text, strlen (text));
}

static void
write_done (GTask  *task,
            GError *error)
{
  OknoGoogleCalendar *self = g_task_get_source_object (task);
  Write *w = g_task_get_task_data (task);

  if (w->counted)
    {
      w->counted = FALSE;
      set_pending (self, -1);
    }
  if (error)
    g_task_return_error (task, error);
  else if (w->kind == WRITE_DELETE)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_pointer (task, g_object_ref (w->event), g_object_unref);
}

static gboolean
retry_cb (gpointer user_data)
{
  GTask *task = user_data;
  OknoGoogleCalendar *self = g_task_get_source_object (task);
  Write *w = g_task_get_task_data (task);

  w->retry_source = 0;
  g_ptr_array_remove_fast (self->waiting, task);
  /* The task's reference goes on with the request. */
  send_write (task);
  return G_SOURCE_REMOVE;
}

/* Google answers again: the writes waiting out their backoff go now, so
 * what was queued during an outage reaches Google on recovery, not up to
 * a backoff cap (5 min) later. */
static void
wake_waiting (OknoGoogleCalendar *self)
{
  g_autoptr(GPtrArray) tasks = NULL;

  if (self->waiting == NULL || self->waiting->len == 0)
    return;
  tasks = g_steal_pointer (&self->waiting);
  self->waiting = g_ptr_array_new ();
  g_debug ("%s: back online, retrying %u writes now", self->calendar_id, tasks->len);
  for (guint i = 0; i < tasks->len; i++)
    {
      GTask *task = g_ptr_array_index (tasks, i);
      Write *w = g_task_get_task_data (task);

      g_clear_handle_id (&w->retry_source, g_source_remove);
      send_write (task);
    }
}

/* Exponential backoff with full jitter, at least @retry_after seconds. */
static void
retry_later (GTask      *task,
             const char *retry_after,
             const char *why)
{
  OknoGoogleCalendar *self = g_task_get_source_object (task);
  Write *w = g_task_get_task_data (task);
  guint64 ceiling, delay;
  guint64 at_least = 0;

  if (!g_task_get_cancellable (task) || !g_cancellable_is_cancelled (g_task_get_cancellable (task)))
    set_state (self, OKNO_CALENDAR_STATE_OFFLINE);

  if (++w->attempt >= self->max_attempts)
    {
      write_done (task, g_error_new (OKNO_CALENDAR_ERROR, OKNO_CALENDAR_ERROR_OFFLINE,
                                     _("Google Calendar did not take the change: %s"), why));
      g_object_unref (task);
      return;
    }

  ceiling = MIN ((guint64) self->backoff_base_ms << MIN (w->attempt - 1, 20), self->backoff_cap_ms);
  delay = (guint64) (g_random_double () * ceiling);
  if (retry_after)
    {
      guint64 seconds;

      if (g_ascii_string_to_unsigned (retry_after, 10, 0, 3600, &seconds, NULL))
        at_least = okno_backoff_scale_msec (seconds * 1000);
    }
  delay = MAX (delay, at_least);
  g_debug ("%s: retry %u in %" G_GUINT64_FORMAT " ms (%s)", self->calendar_id, w->attempt, delay, why);
  w->retry_source = g_timeout_add ((guint) delay, retry_cb, task);
  g_ptr_array_add (self->waiting, task);
}

static gboolean
same_for_olga (OknoEvent *a,
               OknoEvent *b)
{
  if (a == NULL || b == NULL)
    return FALSE;
  return okno_event_is_cancelled (a) == okno_event_is_cancelled (b) &&
         g_strcmp0 (okno_event_get_summary (a), okno_event_get_summary (b)) == 0 &&
         (okno_event_is_cancelled (a) ||
          (g_date_time_equal (okno_event_get_start (a), okno_event_get_start (b)) &&
           g_date_time_equal (okno_event_get_end (a), okno_event_get_end (b))));
}

/* After a 412 or a 409: what Google holds now. */
static void
refetched_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  GTask *task = user_data;
  OknoGoogleCalendar *self = g_task_get_source_object (task);
  Write *w = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(OknoEvent) current = NULL;
  guint status = 0;

  bytes = okno_google_auth_request_finish (OKNO_GOOGLE_AUTH (object), result, &status, NULL, &error);
  if (bytes == NULL)
    {
      retry_later (task, NULL, error->message);
      return;
    }
  root = parse_bytes (bytes);
  if (status == 200 && root && JSON_NODE_HOLDS_OBJECT (root))
    current = event_from_item (json_node_get_object (root));

  if (current == NULL)
    {
      if (status == 404 || status == 410)
        {
          write_landed (self, w->event_id, NULL);
          write_done (task, g_error_new (OKNO_CALENDAR_ERROR, OKNO_CALENDAR_ERROR_NOT_FOUND,
                                         _("The event is no longer in Google Calendar")));
        }
      else
        {
          retry_later (task, NULL, "refetch failed");
          return;
        }
      g_object_unref (task);
      return;
    }

  if (w->kind == WRITE_INSERT)
    {
      /* A retried insert that had arrived: done. A first try that found
       * its id taken is a conflict (the interface's contract), but the
       * event is known from now on, as after an insert, so what an
       * earlier run sent (its answer lost) shows before the next sync. */
      g_set_object (&w->event, current);
      write_landed (self, w->event_id, current);
      save_cache (self);
      okno_calendar_emit_changed (OKNO_CALENDAR (self));
      write_done (task, w->id_taken ? g_error_new (OKNO_CALENDAR_ERROR, OKNO_CALENDAR_ERROR_CONFLICT,
                                                   _("An event with id %s already exists"), w->event_id)
                                    : NULL);
      g_object_unref (task);
      return;
    }

  if (okno_event_is_cancelled (current) && w->kind == WRITE_DELETE)
    {
      write_landed (self, w->event_id, current);
      save_cache (self);
      okno_calendar_emit_changed (OKNO_CALENDAR (self));
      write_done (task, NULL);
      g_object_unref (task);
      return;
    }

  if (!w->reapplied && same_for_olga (current, w->before))
    {
      /* Only the etag moved (a reminder, a colour…): apply again on top. */
      w->reapplied = TRUE;
      g_free (w->etag);
      w->etag = g_strdup (okno_event_get_etag (current));
      send_write (task);
      return;
    }

  /* Olga changed it in Google meanwhile: keep hers, tell the caller. */
  write_landed (self, w->event_id, current);
  save_cache (self);
  okno_calendar_emit_changed (OKNO_CALENDAR (self));
  write_done (task, g_error_new (OKNO_CALENDAR_ERROR, OKNO_CALENDAR_ERROR_CONFLICT,
                                 _("The event was changed in Google Calendar meanwhile")));
  g_object_unref (task);
}

static void
refetch (GTask *task)
{
  OknoGoogleCalendar *self = g_task_get_source_object (task);
  Write *w = g_task_get_task_data (task);
  g_autofree char *uri = event_url (self, w->event_id);

  okno_google_auth_request_async (self->auth, "GET", uri, NULL, NULL, g_task_get_cancellable (task),
                                  refetched_cb, task);
}

static void
write_sent_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  GTask *task = user_data;
  OknoGoogleCalendar *self = g_task_get_source_object (task);
  Write *w = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *retry_after = NULL;
  const char *reason;
  guint status = 0;

  bytes = okno_google_auth_request_finish (OKNO_GOOGLE_AUTH (object), result, &status, &retry_after, &error);
  if (bytes == NULL)
    {
      if (g_error_matches (error, OKNO_GOOGLE_ERROR, OKNO_GOOGLE_ERROR_NETWORK))
        retry_later (task, NULL, error->message);
      else
        {
          GError *failure = translate_error (g_steal_pointer (&error));

          if (g_error_matches (failure, OKNO_CALENDAR_ERROR, OKNO_CALENDAR_ERROR_AUTH))
            set_state (self, OKNO_CALENDAR_STATE_RECONNECT);
          write_done (task, failure);
          g_object_unref (task);
        }
      return;
    }

  root = parse_bytes (bytes);
  reason = error_reason (root);

  if ((status == 200 || status == 204))
    {
      if (w->kind == WRITE_DELETE)
        write_landed (self, w->event_id, NULL);
      else
        {
          g_autoptr(OknoEvent) stored = NULL;

          if (root && JSON_NODE_HOLDS_OBJECT (root))
            stored = event_from_item (json_node_get_object (root));
          if (stored)
            g_set_object (&w->event, stored);
          write_landed (self, w->event_id, w->event);
        }
      save_cache (self);
      if (self->state == OKNO_CALENDAR_STATE_OFFLINE)
        {
          /* Google is back: catch up with what changed there meanwhile
           * (the sync says "synced" and moves lastSync), and send the
           * writes that wait out their backoff. */
          wake_waiting (self);
          sync_start (self);
        }
      okno_calendar_emit_changed (OKNO_CALENDAR (self));
      write_done (task, NULL);
      g_object_unref (task);
      return;
    }

  if (status == 409 && w->kind == WRITE_INSERT)
    {
      /* Our earlier try got through before its answer was lost (or, on
       * a first try, an earlier run's did): what is there now. */
      w->id_taken |= w->attempt == 0;
      refetch (task);
      return;
    }
  if (status == 410 && w->kind == WRITE_DELETE)
    {
      write_landed (self, w->event_id, NULL);
      save_cache (self);
      okno_calendar_emit_changed (OKNO_CALENDAR (self));
      write_done (task, NULL);
      g_object_unref (task);
      return;
    }
  if (status == 412)
    {
      refetch (task);
      return;
    }
  if (status == 429 || status == 500 || status == 502 || status == 503 || status == 504 ||
      (status == 403 && (g_str_equal (reason, "rateLimitExceeded") ||
                         g_str_equal (reason, "userRateLimitExceeded") ||
                         g_str_equal (reason, "quotaExceeded"))))
    {
      g_autofree char *why = g_strdup_printf ("HTTP %u %s", status, reason);
      retry_later (task, retry_after, why);
      return;
    }

  /* Refused for good: said in words, for the attention item it becomes. */
  if (status == 400)
    write_done (task, g_error_new (OKNO_CALENDAR_ERROR, OKNO_CALENDAR_ERROR_INVALID,
                                   _("Google Calendar refused the change as invalid (HTTP 400, %s)"), reason));
  else if (status == 403)
    write_done (task, g_error_new (OKNO_CALENDAR_ERROR, OKNO_CALENDAR_ERROR_FORBIDDEN,
                                   _("Google Calendar does not let Okno change this event (HTTP 403, %s)"), reason));
  else if (status == 404)
    write_done (task, g_error_new (OKNO_CALENDAR_ERROR, OKNO_CALENDAR_ERROR_NOT_FOUND,
                                   _("The event is not in Google Calendar (HTTP 404)")));
  else
    write_done (task, g_error_new (OKNO_CALENDAR_ERROR,
                                   status == 401 ? OKNO_CALENDAR_ERROR_AUTH : OKNO_CALENDAR_ERROR_FAILED,
                                   _("Google Calendar refused the change: HTTP %u (%s)"), status, reason));
  g_object_unref (task);
}

static void
send_write (GTask *task)
{
  OknoGoogleCalendar *self = g_task_get_source_object (task);
  Write *w = g_task_get_task_data (task);
  g_autofree char *uri = NULL;
  g_autoptr(GBytes) body = NULL;

  if (g_task_return_error_if_cancelled (task))
    {
      if (w->counted)
        set_pending (self, -1);
      w->counted = FALSE;
      g_object_unref (task);
      return;
    }

  switch (w->kind)
    {
    case WRITE_INSERT:
      uri = g_strdup_printf ("%s?sendUpdates=none", self->events_url);
      body = event_body (w->event);
      okno_google_auth_request_async (self->auth, "POST", uri, body, NULL, g_task_get_cancellable (task),
                                      write_sent_cb, task);
      break;
    case WRITE_UPDATE:
      {
        g_autofree char *base = event_url (self, w->event_id);
        uri = g_strdup_printf ("%s?sendUpdates=none", base);
        body = event_body (w->event);
        okno_google_auth_request_async (self->auth, "PATCH", uri, body, w->etag, g_task_get_cancellable (task),
                                        write_sent_cb, task);
      }
      break;
    case WRITE_DELETE:
      {
        g_autofree char *base = event_url (self, w->event_id);
        uri = g_strdup_printf ("%s?sendUpdates=none", base);
        okno_google_auth_request_async (self->auth, "DELETE", uri, NULL, w->etag, g_task_get_cancellable (task),
                                        write_sent_cb, task);
      }
      break;
    default:
      g_assert_not_reached ();
    }
}

static void
start_write (OknoGoogleCalendar  *self,
             Write               *w,
             gpointer             source_tag,
             GCancellable        *cancellable,
             GAsyncReadyCallback  callback,
             gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, w, (GDestroyNotify) write_free);
  w->counted = TRUE;
  set_pending (self, +1);
  send_write (task);
}

/* OknoCalendar */

static GPtrArray *
okno_google_calendar_list_events (OknoCalendar *calendar,
                                  GDateTime    *start,
                                  GDateTime    *end)
{
  OknoGoogleCalendar *self = OKNO_GOOGLE_CALENDAR (calendar);
  GPtrArray *sorted = get_sorted (self);
  GPtrArray *result = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < sorted->len; i++)
    {
      OknoEvent *event = g_ptr_array_index (sorted, i);

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
okno_google_calendar_lookup_event (OknoCalendar *calendar,
                                   const char   *event_id)
{
  OknoGoogleCalendar *self = OKNO_GOOGLE_CALENDAR (calendar);

  return g_hash_table_lookup (self->events, event_id);
}

static OknoCalendarState
okno_google_calendar_get_state (OknoCalendar *calendar)
{
  return OKNO_GOOGLE_CALENDAR (calendar)->state;
}

static GDateTime *
okno_google_calendar_get_last_sync (OknoCalendar *calendar)
{
  return OKNO_GOOGLE_CALENDAR (calendar)->last_sync;
}

static void
okno_google_calendar_insert_event_async (OknoCalendar        *calendar,
                                         OknoEvent           *event,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  OknoGoogleCalendar *self = OKNO_GOOGLE_CALENDAR (calendar);
  Write *w = g_new0 (Write, 1);

  w->kind = WRITE_INSERT;
  w->event = okno_event_copy (event);
  w->event_id = g_strdup (okno_event_get_id (event));
  start_write (self, w, okno_google_calendar_insert_event_async, cancellable, callback, user_data);
}

static OknoEvent *
okno_google_calendar_write_finish (OknoCalendar  *calendar,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
okno_google_calendar_update_event_async (OknoCalendar        *calendar,
                                         OknoEvent           *event,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  OknoGoogleCalendar *self = OKNO_GOOGLE_CALENDAR (calendar);
  OknoEvent *before = g_hash_table_lookup (self->events, okno_event_get_id (event));
  Write *w = g_new0 (Write, 1);

  w->kind = WRITE_UPDATE;
  w->event = okno_event_copy (event);
  w->before = before ? g_object_ref (before) : NULL;
  w->event_id = g_strdup (okno_event_get_id (event));
  w->etag = g_strdup (okno_event_get_etag (event) ? okno_event_get_etag (event)
                      : before ? okno_event_get_etag (before) : NULL);
  start_write (self, w, okno_google_calendar_update_event_async, cancellable, callback, user_data);
}

static void
okno_google_calendar_delete_event_async (OknoCalendar        *calendar,
                                         const char          *event_id,
                                         const char          *etag,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  OknoGoogleCalendar *self = OKNO_GOOGLE_CALENDAR (calendar);
  OknoEvent *before = g_hash_table_lookup (self->events, event_id);
  Write *w = g_new0 (Write, 1);

  w->kind = WRITE_DELETE;
  w->before = before ? g_object_ref (before) : NULL;
  w->event_id = g_strdup (event_id);
  w->etag = g_strdup (etag ? etag : before ? okno_event_get_etag (before) : NULL);
  start_write (self, w, okno_google_calendar_delete_event_async, cancellable, callback, user_data);
}

static gboolean
okno_google_calendar_delete_event_finish (OknoCalendar  *calendar,
                                          GAsyncResult  *result,
                                          GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
okno_google_calendar_refresh_async (OknoCalendar        *calendar,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  OknoGoogleCalendar *self = OKNO_GOOGLE_CALENDAR (calendar);
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, okno_google_calendar_refresh_async);
  g_ptr_array_add (self->sync_waiters, task);
  sync_start (self);
}

static gboolean
okno_google_calendar_refresh_finish (OknoCalendar  *calendar,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
calendar_iface_init (OknoCalendarInterface *iface)
{
  iface->list_events = okno_google_calendar_list_events;
  iface->lookup_event = okno_google_calendar_lookup_event;
  iface->get_state = okno_google_calendar_get_state;
  iface->get_last_sync = okno_google_calendar_get_last_sync;
  iface->insert_event_async = okno_google_calendar_insert_event_async;
  iface->insert_event_finish = okno_google_calendar_write_finish;
  iface->update_event_async = okno_google_calendar_update_event_async;
  iface->update_event_finish = okno_google_calendar_write_finish;
  iface->delete_event_async = okno_google_calendar_delete_event_async;
  iface->delete_event_finish = okno_google_calendar_delete_event_finish;
  iface->refresh_async = okno_google_calendar_refresh_async;
  iface->refresh_finish = okno_google_calendar_refresh_finish;
}

/* GAsyncInitable: the profile builds the slot calendar from "data-dir"
 * and "settings"; it reads the keyring and the cache, picks the busy
 * calendars, and starts syncing in the background. It never waits for
 * Google: with no network it serves the cache. */

static void
busy_ids_add (GPtrArray  *ids,
              const char *id,
              const char *slot_id,
              const char *account)
{
  if (id == NULL || *id == '\0' || g_str_equal (id, slot_id))
    return;
  if (g_str_equal (slot_id, "primary") && g_strcmp0 (id, account) == 0)
    return;
  if (g_str_equal (id, "primary") && g_strcmp0 (slot_id, account) == 0)
    return;
  for (guint i = 0; i < ids->len; i++)
    if (g_str_equal (g_ptr_array_index (ids, i), id))
      return;
  g_ptr_array_add (ids, g_strdup (id));
}

/* google-busy-calendars, or every calendar the account has selected (as
 * the last calendar list said). */
static GPtrArray *
busy_ids (OknoGoogleCalendar *self)
{
  g_auto(GStrv) chosen = g_settings_get_strv (self->settings, "google-busy-calendars");
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);
  const char *account = okno_google_auth_get_account (self->auth);
  JsonArray *list;

  if (chosen[0] != NULL)
    {
      for (guint i = 0; chosen[i]; i++)
        busy_ids_add (ids, chosen[i], self->calendar_id, account);
      return ids;
    }

  if ((list = okno_google_cache_get_calendar_list (self->cache)))
    for (guint i = 0; i < json_array_get_length (list); i++)
      {
        JsonObject *c = json_array_get_object_element (list, i);

        if (json_object_get_boolean_member_with_default (c, "selected", FALSE))
          busy_ids_add (ids, json_object_get_string_member_with_default (c, "id", NULL),
                        self->calendar_id, account);
      }
  return ids;
}

static void
open_busy (OknoGoogleCalendar *self)
{
  g_autoptr(GPtrArray) ids = busy_ids (self);

  g_ptr_array_set_size (self->busy, 0);
  for (guint i = 0; i < ids->len; i++)
    {
      OknoGoogleCalendar *busy = okno_google_calendar_new (self->auth, self->cache, g_ptr_array_index (ids, i));

      g_settings_bind (self->settings, "poll-seconds", busy, "poll-seconds", G_SETTINGS_BIND_GET);
      g_ptr_array_add (self->busy, busy);
    }
}

static void
calendar_list_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  OknoGoogleCalendar *self = g_task_get_source_object (task);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonNode) root = NULL;
  guint status = 0;

  bytes = okno_google_auth_request_finish (self->auth, result, &status, NULL, NULL);
  root = parse_bytes (bytes);
  if (status == 200 && root && JSON_NODE_HOLDS_OBJECT (root) &&
      json_object_has_member (json_node_get_object (root), "items"))
    {
      JsonArray *items = json_object_get_array_member (json_node_get_object (root), "items");

      okno_google_cache_set_calendar_list (self->cache, items);
      for (guint i = 0; i < json_array_get_length (items); i++)
        {
          JsonObject *c = json_array_get_object_element (items, i);

          if (json_object_get_boolean_member_with_default (c, "primary", FALSE) &&
              okno_google_auth_get_account (self->auth) == NULL)
            okno_google_auth_set_account (self->auth, json_object_get_string_member (c, "id"));
        }
      okno_google_cache_save_async (self->cache, NULL, NULL, NULL);
    }
  else
    g_debug ("No calendar list yet (HTTP %u): no busy calendars until it comes", status);

  open_busy (self);
  g_task_return_boolean (task, TRUE);
}

static void
auth_loaded_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  OknoGoogleCalendar *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;

  if (!okno_google_auth_load_finish (self->auth, result, &error))
    {
      /* No keyring: serve the cache, and say Olga must connect again. */
      g_message ("%s", error->message);
      self->state = OKNO_CALENDAR_STATE_RECONNECT;
    }
  else if (!okno_google_auth_is_connected (self->auth))
    self->state = OKNO_CALENDAR_STATE_RECONNECT;

  /* The first start on this folder learns which calendars are selected;
   * later starts use what the cache remembers and never wait. */
  if (self->state != OKNO_CALENDAR_STATE_RECONNECT &&
      okno_google_cache_get_calendar_list (self->cache) == NULL &&
      okno_google_auth_has_scope (self->auth, OKNO_GOOGLE_SCOPE_READONLY))
    {
      g_autofree char *uri = g_strdup_printf ("%s/users/me/calendarList",
                                              okno_google_auth_get_calendar_url (self->auth));
      GCancellable *cancellable = g_task_get_cancellable (task);

      okno_google_auth_request_async (self->auth, "GET", uri, NULL, NULL, cancellable,
                                      calendar_list_cb, g_steal_pointer (&task));
      return;
    }

  open_busy (self);
  g_task_return_boolean (task, TRUE);
}

static void
okno_google_calendar_init_async (GAsyncInitable      *initable,
                                 int                  io_priority,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  OknoGoogleCalendar *self = OKNO_GOOGLE_CALENDAR (initable);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(GError) error = NULL;
  g_autofree char *escaped = NULL;

  g_task_set_source_tag (task, okno_google_calendar_init_async);

  if (self->data_dir == NULL || self->settings == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               "OknoGoogleCalendar needs data-dir and settings");
      return;
    }
  if (!(self->cache = okno_google_cache_new (self->data_dir, &error)))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  self->auth = okno_google_auth_new (self->data_dir);
  self->calendar_id = g_settings_get_string (self->settings, "google-slot-calendar");
  if (*self->calendar_id == '\0')
    {
      g_free (self->calendar_id);
      self->calendar_id = g_strdup ("primary");
    }
  escaped = g_uri_escape_string (self->calendar_id, NULL, FALSE);
  self->events_url = g_strdup_printf ("%s/calendars/%s/events",
                                      okno_google_auth_get_calendar_url (self->auth), escaped);
  load_cache (self);
  g_settings_bind (self->settings, "poll-seconds", self, "poll-seconds", G_SETTINGS_BIND_GET);

  okno_google_auth_load_async (self->auth, cancellable, auth_loaded_cb, g_steal_pointer (&task));
}

static gboolean
okno_google_calendar_init_finish (GAsyncInitable  *initable,
                                  GAsyncResult    *result,
                                  GError         **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
async_initable_iface_init (GAsyncInitableIface *iface)
{
  iface->init_async = okno_google_calendar_init_async;
  iface->init_finish = okno_google_calendar_init_finish;
}

/* GObject */

static void
okno_google_calendar_dispose (GObject *object)
{
  OknoGoogleCalendar *self = (OknoGoogleCalendar *)object;

  self->started = FALSE;
  g_clear_handle_id (&self->poll_source, g_source_remove);
  g_cancellable_cancel (self->cancellable);
  if (self->busy)
    for (guint i = 0; i < self->busy->len; i++)
      g_object_run_dispose (g_ptr_array_index (self->busy, i));

  G_OBJECT_CLASS (okno_google_calendar_parent_class)->dispose (object);
}

static void
okno_google_calendar_finalize (GObject *object)
{
  OknoGoogleCalendar *self = (OknoGoogleCalendar *)object;

  g_clear_object (&self->auth);
  g_clear_object (&self->cache);
  g_clear_object (&self->cancellable);
  g_free (self->calendar_id);
  g_free (self->events_url);
  g_free (self->sync_token);
  g_clear_pointer (&self->events, g_hash_table_unref);
  g_clear_pointer (&self->sorted, g_ptr_array_unref);
  g_clear_pointer (&self->sync_waiters, g_ptr_array_unref);
  g_clear_pointer (&self->landed, g_hash_table_unref);
  g_clear_pointer (&self->last_sync, g_date_time_unref);
  g_clear_pointer (&self->offline_since, g_date_time_unref);
  g_clear_pointer (&self->busy, g_ptr_array_unref);
  g_clear_pointer (&self->waiting, g_ptr_array_unref);
  g_clear_object (&self->settings);
  g_free (self->data_dir);

  G_OBJECT_CLASS (okno_google_calendar_parent_class)->finalize (object);
}

static void
okno_google_calendar_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  OknoGoogleCalendar *self = OKNO_GOOGLE_CALENDAR (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_PENDING:
      g_value_set_uint (value, okno_google_calendar_get_pending (self));
      break;
    case PROP_DATA_DIR:
      g_value_set_string (value, self->data_dir);
      break;
    case PROP_POLL_SECONDS:
      g_value_set_uint (value, self->poll_seconds);
      break;
    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
okno_google_calendar_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  OknoGoogleCalendar *self = OKNO_GOOGLE_CALENDAR (object);

  switch (prop_id)
    {
    case PROP_DATA_DIR:
      g_free (self->data_dir);
      self->data_dir = g_value_dup_string (value);
      break;
    case PROP_SETTINGS:
      g_set_object (&self->settings, g_value_get_object (value));
      break;
    case PROP_POLL_SECONDS:
      okno_google_calendar_set_poll_seconds (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
okno_google_calendar_class_init (OknoGoogleCalendarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = okno_google_calendar_dispose;
  object_class->finalize = okno_google_calendar_finalize;
  object_class->get_property = okno_google_calendar_get_property;
  object_class->set_property = okno_google_calendar_set_property;

  g_object_class_override_property (object_class, PROP_STATE, "state");
  properties[PROP_STATE] = g_object_class_find_property (object_class, "state");
  properties[PROP_PENDING] =
    g_param_spec_uint ("pending", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_property (object_class, PROP_PENDING, properties[PROP_PENDING]);
  properties[PROP_DATA_DIR] =
    g_param_spec_string ("data-dir", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_property (object_class, PROP_DATA_DIR, properties[PROP_DATA_DIR]);
  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL, G_TYPE_SETTINGS,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_property (object_class, PROP_SETTINGS, properties[PROP_SETTINGS]);
  properties[PROP_POLL_SECONDS] =
    g_param_spec_uint ("poll-seconds", NULL, NULL, 0, 86400, DEFAULT_POLL,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_property (object_class, PROP_POLL_SECONDS, properties[PROP_POLL_SECONDS]);
}

static void
unref_if_any (gpointer object)
{
  if (object != NULL)
    g_object_unref (object);
}

static void
okno_google_calendar_init (OknoGoogleCalendar *self)
{
  self->events = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->sync_waiters = g_ptr_array_new_with_free_func (g_object_unref);
  self->landed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, unref_if_any);
  self->waiting = g_ptr_array_new ();
  self->cancellable = g_cancellable_new ();
  self->poll_seconds = DEFAULT_POLL;
  self->state = OKNO_CALENDAR_STATE_SYNCING;
  self->backoff_base_ms = okno_backoff_scale_msec (1000);
  self->backoff_cap_ms = okno_backoff_scale_msec (5 * 60 * 1000);
  /* Enough for a write made while Google is down to outlive an outage of
   * five minutes and more: 19 full-jitter waits (the last eleven up to
   * 5 min each) add up to under five minutes only about once in 10^7
   * (8 attempts, ~2 min on average, gave up during such an outage). */
  self->max_attempts = 20;
  self->page_size = PAGE_SIZE;
  self->busy = g_ptr_array_new_with_free_func (g_object_unref);
}

/* Public API */

/**
 * okno_google_calendar_new:
 * @calendar_id: a Google calendar id, or "primary"
 *
 * The calendar starts from what @cache holds for it and does not talk to
 * Google before okno_google_calendar_start().
 */
OknoGoogleCalendar *
okno_google_calendar_new (OknoGoogleAuth  *auth,
                          OknoGoogleCache *cache,
                          const char      *calendar_id)
{
  OknoGoogleCalendar *self;
  g_autofree char *escaped = NULL;

  g_return_val_if_fail (OKNO_IS_GOOGLE_AUTH (auth), NULL);
  g_return_val_if_fail (OKNO_IS_GOOGLE_CACHE (cache), NULL);
  g_return_val_if_fail (calendar_id != NULL && *calendar_id, NULL);

  self = g_object_new (OKNO_TYPE_GOOGLE_CALENDAR, NULL);
  self->auth = g_object_ref (auth);
  self->cache = g_object_ref (cache);
  self->calendar_id = g_strdup (calendar_id);
  escaped = g_uri_escape_string (calendar_id, NULL, FALSE);
  self->events_url = g_strdup_printf ("%s/calendars/%s/events",
                                      okno_google_auth_get_calendar_url (auth), escaped);
  load_cache (self);
  return self;
}

const char *
okno_google_calendar_get_calendar_id (OknoGoogleCalendar *self)
{
  g_return_val_if_fail (OKNO_IS_GOOGLE_CALENDAR (self), NULL);
  return self->calendar_id;
}

void
okno_google_calendar_set_poll_seconds (OknoGoogleCalendar *self,
                                       guint               seconds)
{
  g_return_if_fail (OKNO_IS_GOOGLE_CALENDAR (self));

  if (self->poll_seconds == seconds)
    return;
  self->poll_seconds = seconds;
  if (self->poll_source)
    schedule_poll (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_POLL_SECONDS]);
}

/* --poll-seconds: wins over the setting for this run, busy calendars too. */
void
okno_google_calendar_override_poll_seconds (OknoGoogleCalendar *self,
                                            guint               seconds)
{
  g_return_if_fail (OKNO_IS_GOOGLE_CALENDAR (self));

  g_settings_unbind (self, "poll-seconds");
  okno_google_calendar_set_poll_seconds (self, seconds);
  for (guint i = 0; self->busy && i < self->busy->len; i++)
    {
      g_settings_unbind (g_ptr_array_index (self->busy, i), "poll-seconds");
      okno_google_calendar_set_poll_seconds (g_ptr_array_index (self->busy, i), seconds);
    }
}

/**
 * okno_google_calendar_get_busy_calendars:
 *
 * Returns: (transfer none) (element-type OknoGoogleCalendar): the calendars
 *   whose events count as busy (google-busy-calendars, or the selected ones)
 */
GPtrArray *
okno_google_calendar_get_busy_calendars (OknoGoogleCalendar *self)
{
  g_return_val_if_fail (OKNO_IS_GOOGLE_CALENDAR (self), NULL);
  return self->busy;
}

OknoGoogleAuth *
okno_google_calendar_get_auth (OknoGoogleCalendar *self)
{
  g_return_val_if_fail (OKNO_IS_GOOGLE_CALENDAR (self), NULL);
  return self->auth;
}

/* Changes on their way to Google: the durable ones the outbox holds (see
 * okno_google_calendar_set_queued()), among them the writes sent and not
 * yet acknowledged, so the larger of the two counts each change once. */
guint
okno_google_calendar_get_pending (OknoGoogleCalendar *self)
{
  g_return_val_if_fail (OKNO_IS_GOOGLE_CALENDAR (self), 0);
  return MAX (self->pending, self->queued);
}

/* How many changes for Google the outbox holds (slot writes, bookings'
 * changes, copies): the profile keeps it up to date. */
void
okno_google_calendar_set_queued (OknoGoogleCalendar *self,
                                 guint               queued)
{
  g_return_if_fail (OKNO_IS_GOOGLE_CALENDAR (self));

  if (self->queued == queued)
    return;
  self->queued = queued;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PENDING]);
}

/* Whether google-cache.json is still being written (a command that
 * published a slot waits for it, so the next start serves that slot). */
gboolean
okno_google_calendar_is_saving (OknoGoogleCalendar *self)
{
  g_return_val_if_fail (OKNO_IS_GOOGLE_CALENDAR (self), FALSE);
  return self->cache != NULL && okno_google_cache_is_saving (self->cache);
}

/* Since when Google has been unreachable, or NULL. */
GDateTime *
okno_google_calendar_get_offline_since (OknoGoogleCalendar *self)
{
  g_return_val_if_fail (OKNO_IS_GOOGLE_CALENDAR (self), NULL);
  return self->offline_since;
}

/* Syncs now, then every poll-seconds. */
void
okno_google_calendar_start (OknoGoogleCalendar *self)
{
  g_return_if_fail (OKNO_IS_GOOGLE_CALENDAR (self));

  if (self->started)
    return;
  self->started = TRUE;
  for (guint i = 0; i < self->busy->len; i++)
    okno_google_calendar_start (g_ptr_array_index (self->busy, i));
  if (self->state == OKNO_CALENDAR_STATE_RECONNECT)
    {
      /* Not connected: nothing to ask Google; the cache serves. */
      return;
    }
  sync_start (self);
}

void
_okno_google_calendar_set_backoff (OknoGoogleCalendar *self,
                                   guint               base_msec,
                                   guint               cap_msec,
                                   guint               max_attempts)
{
  g_return_if_fail (OKNO_IS_GOOGLE_CALENDAR (self));

  self->backoff_base_ms = MAX (base_msec, 1);
  self->backoff_cap_ms = MAX (cap_msec, self->backoff_base_ms);
  self->max_attempts = MAX (max_attempts, 1);
}

void
_okno_google_calendar_set_page_size (OknoGoogleCalendar *self,
                                     guint               page_size)
{
  g_return_if_fail (OKNO_IS_GOOGLE_CALENDAR (self));
  g_return_if_fail (page_size >= 1 && page_size <= PAGE_SIZE);

  self->page_size = page_size;
}
