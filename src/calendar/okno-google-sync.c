/* okno-google-sync.c
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "OknoGoogleSync"

#include "config.h"

#include "okno-google-sync.h"

/* The reading half of a sync, off the main loop.
 *
 * A page of events.list (up to 2,500 events, about a megabyte of JSON) is
 * parsed and turned into OknoEvent objects in a worker thread: that
 * touches nothing shared, and on the main loop it took a whole turn of
 * 80–165 ms (a debug build under load). The parsed tree is freed in the
 * thread as soon as the page's events are built.
 *
 * During a full sync the thread also fills the table of events the sync
 * is building (apart from the calendar's live one, which keeps serving
 * until the last page swaps it in), and on the last page sorts it, so the
 * main loop is left with a pointer swap. An incremental page comes back as
 * the list of its changes, which the calendar applies in order. */

/* An event Olga declined does not block her time. */
static gboolean
declined_by_self (JsonObject *item)
{
  JsonArray *attendees;

  if (!json_object_has_member (item, "attendees") ||
      !JSON_NODE_HOLDS_ARRAY (json_object_get_member (item, "attendees")))
    return FALSE;
  attendees = json_object_get_array_member (item, "attendees");
  for (guint i = 0; i < json_array_get_length (attendees); i++)
    {
      JsonNode *node = json_array_get_element (attendees, i);
      JsonObject *a;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      a = json_node_get_object (node);
      if (json_object_get_boolean_member_with_default (a, "self", FALSE) &&
          g_strcmp0 (json_object_get_string_member_with_default (a, "responseStatus", ""), "declined") == 0)
        return TRUE;
    }
  return FALSE;
}

/**
 * okno_google_event_from_item:
 * @item: an Event resource
 *
 * Returns: (transfer full) (nullable): the event, or %NULL when Okno cannot
 *   read it
 */
OknoEvent *
okno_google_event_from_item (JsonObject *item)
{
  g_autoptr(GError) error = NULL;
  OknoEvent *event = okno_event_new_from_json (item, &error);

  if (event == NULL)
    {
      g_debug ("Skipped an event Okno cannot read: %s", error->message);
      return NULL;
    }
  if (!okno_event_is_cancelled (event) && declined_by_self (item))
    okno_event_set_transparent (event, TRUE);
  return event;
}

/* A cancelled event leaves @table; any other takes its id's place. */
void
okno_google_events_apply (GHashTable *table,
                          OknoEvent  *event)
{
  if (okno_event_is_cancelled (event))
    g_hash_table_remove (table, okno_event_get_id (event));
  else
    g_hash_table_replace (table, g_strdup (okno_event_get_id (event)), g_object_ref (event));
}

void
okno_google_page_free (OknoGooglePage *page)
{
  if (page == NULL)
    return;
  g_clear_pointer (&page->events, g_ptr_array_unref);
  g_clear_pointer (&page->unreadable, g_ptr_array_unref);
  g_clear_pointer (&page->sorted, g_ptr_array_unref);
  g_free (page->next_page_token);
  g_free (page->next_sync_token);
  g_free (page);
}

typedef struct
{
  GBytes     *bytes;
  GHashTable *table;
} ReadJob;

static void
read_job_free (ReadJob *job)
{
  g_clear_pointer (&job->bytes, g_bytes_unref);
  g_clear_pointer (&job->table, g_hash_table_unref);
  g_free (job);
}

static OknoGooglePage *
read_page (GBytes      *bytes,
           GHashTable  *table,
           GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(OknoGooglePage) page = g_new0 (OknoGooglePage, 1);
  gsize len = 0;
  const char *data = g_bytes_get_data (bytes, &len);
  JsonObject *answer;

  if (data == NULL || len == 0 || !json_parser_load_from_data (parser, data, len, error))
    {
      if (error && *error == NULL)
        g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "An empty answer");
      return NULL;
    }
  if (!JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "The answer is not a JSON object");
      return NULL;
    }

  answer = json_node_get_object (json_parser_get_root (parser));
  page->next_page_token = g_strdup (json_object_get_string_member_with_default (answer, "nextPageToken", NULL));
  page->next_sync_token = g_strdup (json_object_get_string_member_with_default (answer, "nextSyncToken", NULL));
  if (table == NULL)
    {
      page->events = g_ptr_array_new_with_free_func (g_object_unref);
      page->unreadable = g_ptr_array_new_with_free_func (g_free);
    }

  if (json_object_has_member (answer, "items") &&
      JSON_NODE_HOLDS_ARRAY (json_object_get_member (answer, "items")))
    {
      JsonArray *items = json_object_get_array_member (answer, "items");

      page->n_items = json_array_get_length (items);
      for (guint i = 0; i < page->n_items; i++)
        {
          JsonNode *node = json_array_get_element (items, i);
          JsonObject *item;
          g_autoptr(OknoEvent) event = NULL;

          if (!JSON_NODE_HOLDS_OBJECT (node))
            continue;
          item = json_node_get_object (node);
          event = okno_google_event_from_item (item);
          if (event && table)
            okno_google_events_apply (table, event);
          else if (event)
            g_ptr_array_add (page->events, g_steal_pointer (&event));
          else if (json_object_get_string_member_with_default (item, "id", NULL))
            {
              if (table)
                g_hash_table_remove (table, json_object_get_string_member (item, "id"));
              else
                g_ptr_array_add (page->unreadable, g_strdup (json_object_get_string_member (item, "id")));
            }
        }
    }

  if (table && page->next_page_token == NULL)
    {
      GHashTableIter iter;
      OknoEvent *event;

      page->sorted = g_ptr_array_new_full (g_hash_table_size (table), g_object_unref);
      g_hash_table_iter_init (&iter, table);
      while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &event))
        g_ptr_array_add (page->sorted, g_object_ref (event));
      g_ptr_array_sort (page->sorted, okno_event_compare);
    }

  return g_steal_pointer (&page);
}

static void
read_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  ReadJob *job = task_data;
  GError *error = NULL;
  OknoGooglePage *page;

  if (g_task_return_error_if_cancelled (task))
    return;
  page = read_page (job->bytes, job->table, &error);
  /* The text goes before the answer does: memory is back at the page's
   * events alone while the next request is on its way. */
  g_clear_pointer (&job->bytes, g_bytes_unref);
  if (page)
    g_task_return_pointer (task, page, (GDestroyNotify) okno_google_page_free);
  else
    g_task_return_error (task, error);
}

/**
 * okno_google_page_read_async:
 * @bytes: the body of a 200 answer to events.list
 * @table: (nullable): a full sync's table (id → OknoEvent) to apply the
 *   page to, which nothing else may touch until this finishes; %NULL for an
 *   incremental page, whose changes come back in the page
 *
 * Parses the page and builds its events in a worker thread.
 */
void
okno_google_page_read_async (GBytes              *bytes,
                             GHashTable          *table,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  ReadJob *job = g_new0 (ReadJob, 1);

  g_return_if_fail (bytes != NULL);

  job->bytes = g_bytes_ref (bytes);
  job->table = table ? g_hash_table_ref (table) : NULL;
  g_task_set_source_tag (task, okno_google_page_read_async);
  g_task_set_task_data (task, job, (GDestroyNotify) read_job_free);
  g_task_run_in_thread (task, read_thread);
}

/* Returns: (transfer full): the page, or %NULL with @error set */
OknoGooglePage *
okno_google_page_read_finish (GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
