/* okno-ledger.c
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "OknoLedger"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "okno-data-dir.h"
#include "okno-errors.h"
#include "okno-json-util.h"
#include "okno-ledger-private.h"
#include "okno-time.h"

/* The durable record of every booking, and of what must follow each one:
 * the source of truth that the calendar mirrors and the outbox drains.
 *
 * On disk, two files in the data folder:
 *   bookings.json     a snapshot, {"version":1,"bookings":[…],"outbox":[…],
 *                     "attention":[…],"enqueued":[…]}, pretty-printed
 *   bookings.journal  JSON Lines appended since the snapshot, one
 *                     OknoJournalRecord per line (see okno-journal-record.h)
 *
 * Decisions are made on the main thread against the state in memory, which
 * an append changes at once, so the next decision sees it and the journal's
 * order is the decision order. The line then goes to a writer thread, which
 * takes every line waiting, writes them together and makes one fdatasync
 * for the batch (group commit); each caller is answered on the main thread
 * once its line is durable. When a batch cannot be written, it and
 * everything queued behind it fail, and their changes in memory are undone
 * newest first: an answer that was never acknowledged leaves no trace.
 *
 * Every compact_after records (or, in a larger ledger, once the journal
 * is as long as the snapshot), a compaction marker joins the queue. When
 * the writer reaches it, every earlier line is in the journal and the
 * snapshot taken with the marker holds them all: the writer renames the
 * journal to bookings.journal.old, starts a new one and goes on writing,
 * while another thread writes the snapshot and removes the old journal.
 * Since the marker rides the queue, load cannot starve it. Replay is
 * idempotent (the last record of an id wins), so a crash at any point of a
 * compaction loses nothing. A torn last line (the crash came mid-write)
 * was never acknowledged and is dropped; a damaged line elsewhere, or a
 * damaged booking in the snapshot, is set aside in a copy of the file and
 * becomes an attention item, and the rest is kept. A record type this
 * version does not know refuses the whole folder, untouched. */

#define LEDGER_VERSION 1
#define COMPACT_AFTER  1024
#define COMMITTED_OUTBOX_MAX 4096

typedef enum
{
  ENTRY_RECORD,
  ENTRY_BARRIER,
  ENTRY_COMPACT,
} EntryType;

typedef struct
{
  char       *snapshot_path;
  char       *old_journal_path;
  char       *dir;
  GPtrArray  *bookings;
  GPtrArray  *outbox;
  GPtrArray  *attention;
  GPtrArray  *enqueued;
  JsonObject *unknown;
} CompactJob;

typedef struct
{
  EntryType          type;
  char              *line;
  gsize              length;
  CompactJob        *job;
  gboolean           blocking;
  gboolean           lazy;      /* needs no fdatasync of its own */

  /* The main thread's. */
  OknoJournalRecord *record;
  OknoBooking       *previous;
  GTask             *task;

  /* Set under the lock by the thread that finished the entry. */
  gboolean           finished;
  GError            *error;
} Entry;

struct _OknoLedger
{
  GObject       parent_instance;

  char         *dir;
  char         *snapshot_path;
  char         *journal_path;
  char         *old_journal_path;
  guint         compact_after;
  gboolean      compact_after_fixed;   /* set by a test: no growth */
  guint         journal_length;
  gboolean      compacting;
  guint         compactions;

  JsonObject   *snapshot_unknown;
  GListStore   *bookings;
  GHashTable   *by_id;
  GHashTable   *active_by_slot;
  GHashTable   *by_idempotency;
  GHashTable   *unwritten;      /* bookings and outbox keys not durable yet */
  GPtrArray    *outbox;         /* JsonObject, in order */
  GHashTable   *outbox_by_key;  /* borrowed from @outbox */
  GPtrArray    *attention;      /* JsonObject */
  GHashTable   *enqueued;       /* key → JsonObject mark */
  GPtrArray    *committed_outbox; /* JsonObject: durable since last taken; NULL after an overflow */

  /* Shared with the writer thread, under @lock. */
  GMutex        lock;
  GCond         cond;
  GQueue        queue;
  GQueue        finished;
  GSource      *finished_source;
  gboolean      stopping;
  gboolean      held;          /* tests: the writer waits */
  guint         syncs;
  GMainContext *context;
  GThread      *writer;

  /* The writer thread's. */
  int           journal_fd;
  GThread      *compactor;
};

G_DEFINE_FINAL_TYPE (OknoLedger, okno_ledger, G_TYPE_OBJECT)

static guint compaction_due (OknoLedger *self);

enum {
  COMMITTED,
  ATTENTION_CHANGED,
  N_SIGNALS
};

static guint signals [N_SIGNALS];

static void enqueue_compaction (OknoLedger *self,
                                gboolean    blocking);

/* Entries */

static void
compact_job_free (CompactJob *job)
{
  g_free (job->snapshot_path);
  g_free (job->old_journal_path);
  g_free (job->dir);
  g_ptr_array_unref (job->bookings);
  g_ptr_array_unref (job->outbox);
  g_ptr_array_unref (job->attention);
  g_clear_pointer (&job->enqueued, g_ptr_array_unref);
  json_object_unref (job->unknown);
  g_free (job);
}

static void
entry_clear (Entry *entry)
{
  g_free (entry->line);
  g_clear_pointer (&entry->job, compact_job_free);
  g_clear_pointer (&entry->record, okno_journal_record_free);
  g_clear_object (&entry->previous);
  g_clear_object (&entry->task);
  g_clear_error (&entry->error);
}

static Entry *
entry_new (EntryType type)
{
  Entry *entry = g_atomic_rc_box_new0 (Entry);

  entry->type = type;
  return entry;
}

static Entry *
entry_ref (Entry *entry)
{
  return g_atomic_rc_box_acquire (entry);
}

static void
entry_unref (Entry *entry)
{
  g_atomic_rc_box_release_full (entry, (GDestroyNotify) entry_clear);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Entry, entry_unref)

/* The state in memory */

static void
unindex_booking (OknoLedger  *self,
                 OknoBooking *old)
{
  const char *key_hash;

  if (g_hash_table_lookup (self->active_by_slot, okno_booking_get_slot_id (old)) == old)
    g_hash_table_remove (self->active_by_slot, okno_booking_get_slot_id (old));
  if ((key_hash = okno_booking_get_field (old, "idempotencyKeyHash")) &&
      g_hash_table_lookup (self->by_idempotency, key_hash) == old)
    g_hash_table_remove (self->by_idempotency, key_hash);
  g_hash_table_remove (self->by_id, okno_booking_get_id (old));
}

static void
index_booking (OknoLedger  *self,
               OknoBooking *booking)
{
  OknoBooking *old = g_hash_table_lookup (self->by_id, okno_booking_get_id (booking));
  const char *key_hash;
  guint position;

  if (old == booking)
    return;

  if (old != NULL)
    {
      unindex_booking (self, old);
      /* This may drop the last reference to @old: nothing may borrow it now. */
      if (g_list_store_find (self->bookings, old, &position))
        g_list_store_splice (self->bookings, position, 1, (gpointer *) &booking, 1);
    }
  else
    g_list_store_append (self->bookings, booking);

  /* The hash tables borrow from the list store, which owns the bookings. */
  g_hash_table_replace (self->by_id, (gpointer) okno_booking_get_id (booking), booking);
  if (okno_booking_is_active (booking))
    g_hash_table_replace (self->active_by_slot, (gpointer) okno_booking_get_slot_id (booking), booking);
  if ((key_hash = okno_booking_get_field (booking, "idempotencyKeyHash")))
    g_hash_table_replace (self->by_idempotency, (gpointer) key_hash, booking);
}

static void
remove_booking (OknoLedger *self,
                const char *booking_id)
{
  OknoBooking *old = g_hash_table_lookup (self->by_id, booking_id);
  guint position;

  if (old == NULL)
    return;

  unindex_booking (self, old);
  if (g_list_store_find (self->bookings, old, &position))
    g_list_store_remove (self->bookings, position);
}

static void
add_outbox_item (OknoLedger *self,
                 JsonObject *item)
{
  const char *key = json_object_get_string_member (item, "key");

  if (g_hash_table_contains (self->outbox_by_key, key))
    return;

  g_ptr_array_add (self->outbox, json_object_ref (item));
  g_hash_table_insert (self->outbox_by_key, (gpointer) key, item);
}

static void
remove_outbox_item (OknoLedger *self,
                    const char *key)
{
  JsonObject *item = g_hash_table_lookup (self->outbox_by_key, key);

  if (item == NULL)
    return;

  g_hash_table_remove (self->outbox_by_key, key);
  g_ptr_array_remove (self->outbox, item);
}

static void
add_enqueued_mark (OknoLedger *self,
                   JsonObject *mark)
{
  g_hash_table_replace (self->enqueued, g_strdup (json_object_get_string_member (mark, "key")),
                        json_object_ref (mark));
}

static gboolean
add_attention_item (OknoLedger *self,
                    JsonObject *item)
{
  const char *id = json_object_get_string_member (item, "id");

  for (guint i = 0; i < self->attention->len; i++)
    if (g_str_equal (json_object_get_string_member (g_ptr_array_index (self->attention, i), "id"), id))
      return FALSE;

  g_ptr_array_add (self->attention, json_object_ref (item));
  return TRUE;
}

static gboolean
remove_attention_item (OknoLedger *self,
                       const char *id)
{
  for (guint i = 0; i < self->attention->len; i++)
    {
      if (g_str_equal (json_object_get_string_member (g_ptr_array_index (self->attention, i), "id"), id))
        {
          g_ptr_array_remove_index (self->attention, i);
          return TRUE;
        }
    }

  return FALSE;
}

/* Applies @record to the state in memory. */
static void
apply_record (OknoLedger        *self,
              OknoJournalRecord *record)
{
  gboolean attention_changed = FALSE;

  if (record->put != NULL)
    index_booking (self, record->put);
  for (guint i = 0; i < record->outbox->len; i++)
    add_outbox_item (self, g_ptr_array_index (record->outbox, i));
  for (guint i = 0; i < record->done->len; i++)
    remove_outbox_item (self, g_ptr_array_index (record->done, i));
  for (guint i = 0; i < record->attention->len; i++)
    attention_changed |= add_attention_item (self, g_ptr_array_index (record->attention, i));
  for (guint i = 0; i < record->dismiss->len; i++)
    attention_changed |= remove_attention_item (self, g_ptr_array_index (record->dismiss, i));
  for (guint i = 0; i < record->enqueued->len; i++)
    add_enqueued_mark (self, g_ptr_array_index (record->enqueued, i));

  if (attention_changed)
    g_signal_emit (self, signals [ATTENTION_CHANGED], 0);
}

/* Undoes a record that could not be written. What it finished (done) or
 * reported (attention) stays as it is in memory: at worst an item is
 * carried out again after a restart, which delivery allows. */
static void
undo_record (OknoLedger *self,
             Entry      *entry)
{
  OknoJournalRecord *record = entry->record;

  for (guint i = 0; i < record->outbox->len; i++)
    {
      const char *key = json_object_get_string_member (g_ptr_array_index (record->outbox, i), "key");
      remove_outbox_item (self, key);
      g_hash_table_remove (self->unwritten, key);
    }
  for (guint i = 0; i < record->enqueued->len; i++)
    g_hash_table_remove (self->enqueued,
                         json_object_get_string_member (g_ptr_array_index (record->enqueued, i), "key"));

  if (record->put != NULL)
    {
      g_hash_table_remove (self->unwritten, record->put);
      if (entry->previous != NULL)
        index_booking (self, entry->previous);
      else
        remove_booking (self, okno_booking_get_id (record->put));
    }
}

/* The writer thread */

static gboolean
write_all (int          fd,
           const char  *data,
           gsize        length,
           GError     **error)
{
  while (length > 0)
    {
      gssize n = write (fd, data, length);

      if (n < 0)
        {
          int saved = errno;
          if (saved == EINTR)
            continue;
          g_set_error (error, OKNO_DATA_ERROR, OKNO_DATA_ERROR_IO,
                       _("Cannot write the ledger: %s"), g_strerror (saved));
          return FALSE;
        }
      data += n;
      length -= (gsize) n;
    }

  return TRUE;
}

static int
open_journal_fd (const char  *path,
                 const char  *dir,
                 GError     **error)
{
  int fd = g_open (path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);

  if (fd < 0)
    {
      int saved = errno;
      g_set_error (error, OKNO_DATA_ERROR, OKNO_DATA_ERROR_IO,
                   _("Cannot open %s: %s"), path, g_strerror (saved));
      return -1;
    }

  if (!okno_fsync_dir (dir, error))
    {
      close (fd);
      return -1;
    }

  return fd;
}

static GBytes *
serialize_snapshot (CompactJob *job)
{
  g_autoptr(JsonObject) root = json_object_new ();
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  JsonArray *array = json_array_new ();
  JsonArray *outbox = json_array_new ();
  JsonArray *attention = json_array_new ();
  JsonObjectIter iter;
  const char *member;
  JsonNode *value;
  char *contents;
  gsize length;

  json_object_set_int_member (root, "version", LEDGER_VERSION);
  json_object_iter_init (&iter, job->unknown);
  while (json_object_iter_next (&iter, &member, &value))
    json_object_set_member (root, member, json_node_copy (value));

  for (guint i = 0; i < job->bookings->len; i++)
    json_array_add_object_element (array, okno_booking_to_json (g_ptr_array_index (job->bookings, i)));
  json_object_set_array_member (root, "bookings", array);
  for (guint i = 0; i < job->outbox->len; i++)
    json_array_add_object_element (outbox, json_object_ref (g_ptr_array_index (job->outbox, i)));
  json_object_set_array_member (root, "outbox", outbox);
  for (guint i = 0; i < job->attention->len; i++)
    json_array_add_object_element (attention, json_object_ref (g_ptr_array_index (job->attention, i)));
  json_object_set_array_member (root, "attention", attention);
  if (job->enqueued != NULL && job->enqueued->len > 0)
    {
      JsonArray *enqueued = json_array_new ();

      for (guint i = 0; i < job->enqueued->len; i++)
        json_array_add_object_element (enqueued, json_object_ref (g_ptr_array_index (job->enqueued, i)));
      json_object_set_array_member (root, "enqueued", enqueued);
    }

  json_node_set_object (node, root);
  json_generator_set_root (generator, node);
  json_generator_set_pretty (generator, TRUE);
  contents = json_generator_to_data (generator, &length);

  return g_bytes_new_take (contents, length);
}

static gboolean
remove_old_journal (const char  *path,
                    const char  *dir,
                    GError     **error)
{
  if (g_unlink (path) != 0 && errno != ENOENT)
    {
      int saved = errno;
      g_set_error (error, OKNO_DATA_ERROR, OKNO_DATA_ERROR_IO,
                   "Cannot remove %s: %s", path, g_strerror (saved));
      return FALSE;
    }

  return okno_fsync_dir (dir, error);
}

static gboolean
write_snapshot (CompactJob  *job,
                GError     **error)
{
  g_autoptr(GBytes) bytes = serialize_snapshot (job);
  gsize length;
  const char *data = g_bytes_get_data (bytes, &length);

  if (!g_utf8_validate_len (data, length, NULL))
    {
      g_set_error_literal (error, OKNO_DATA_ERROR, OKNO_DATA_ERROR_INVALID_TEXT,
                           "Refusing to store text that is not valid UTF-8");
      return FALSE;
    }

  return okno_write_file (job->snapshot_path, data, length, error) &&
         remove_old_journal (job->old_journal_path, job->dir, error);
}

static void
schedule_finished_locked (OknoLedger *self);

static void
finish_locked (OknoLedger *self,
               Entry      *entry,
               GError     *error)
{
  entry->finished = TRUE;
  entry->error = error;
  g_queue_push_tail (&self->finished, entry);
  schedule_finished_locked (self);
  g_cond_broadcast (&self->cond);
}

static void
join_compactor (OknoLedger *self)
{
  if (self->compactor != NULL)
    g_thread_join (g_steal_pointer (&self->compactor));
}

/* Runs a compaction marker in the writer thread; returns an error for the
 * entry, or NULL when it finished (or was handed to the compactor). */
static gboolean
run_compaction (OknoLedger  *self,
                Entry       *entry,
                GError     **error)
{
  int fd;

  join_compactor (self);

  if (entry->blocking || g_file_test (self->old_journal_path, G_FILE_TEST_EXISTS))
    {
      /* Everything in both journals is older than the marker. The journal
       * is opened anew: after a failed rotation, the one being appended
       * to may be the old one, which this removes. */
      if (!write_snapshot (entry->job, error) ||
          (fd = open_journal_fd (self->journal_path, self->dir, error)) < 0)
        return FALSE;
      if (ftruncate (fd, 0) != 0 || fsync (fd) != 0)
        {
          int saved = errno;
          close (fd);
          g_set_error (error, OKNO_DATA_ERROR, OKNO_DATA_ERROR_IO,
                       "Cannot empty the journal: %s", g_strerror (saved));
          return FALSE;
        }
      close (self->journal_fd);
      self->journal_fd = fd;
      return TRUE;
    }

  if (g_rename (self->journal_path, self->old_journal_path) != 0)
    {
      int saved = errno;
      g_set_error (error, OKNO_DATA_ERROR, OKNO_DATA_ERROR_IO,
                   "Cannot rotate the journal: %s", g_strerror (saved));
      return FALSE;
    }

  if ((fd = open_journal_fd (self->journal_path, self->dir, error)) < 0)
    {
      /* Keep appending to the renamed journal: it is replayed at load. */
      return FALSE;
    }
  close (self->journal_fd);
  self->journal_fd = fd;

  return TRUE;
}

typedef struct
{
  OknoLedger *self;
  Entry      *entry;
} CompactorData;

static gpointer
compactor_main (gpointer data)
{
  CompactorData *cd = data;
  GError *error = NULL;

  write_snapshot (cd->entry->job, &error);

  g_mutex_lock (&cd->self->lock);
  finish_locked (cd->self, cd->entry, error);
  g_mutex_unlock (&cd->self->lock);

  g_free (cd);
  return NULL;
}

static void
fail_locked (OknoLedger *self,
             GQueue     *entries,
             GError     *error)
{
  Entry *entry;

  while ((entry = g_queue_pop_head (entries)))
    finish_locked (self, entry, g_error_copy (error));
}

static gpointer
writer_main (gpointer data)
{
  OknoLedger *self = data;
  gboolean unsynced = FALSE;

  g_mutex_lock (&self->lock);
  for (;;)
    {
      GQueue batch = G_QUEUE_INIT;
      g_autoptr(GError) error = NULL;
      g_autoptr(GString) buffer = NULL;
      Entry *head;
      off_t before;
      gboolean needs_sync = FALSE;

      while ((g_queue_is_empty (&self->queue) || self->held) && !self->stopping)
        g_cond_wait (&self->cond, &self->lock);
      if (g_queue_is_empty (&self->queue))
        break;

      head = g_queue_peek_head (&self->queue);
      if (head->type == ENTRY_COMPACT)
        {
          gboolean ok;

          g_queue_pop_head (&self->queue);
          g_mutex_unlock (&self->lock);
          ok = run_compaction (self, head, &error);
          g_mutex_lock (&self->lock);

          if (!ok)
            finish_locked (self, head, g_steal_pointer (&error));
          else if (head->blocking || !g_file_test (self->old_journal_path, G_FILE_TEST_EXISTS))
            finish_locked (self, head, NULL);
          else
            {
              CompactorData *cd = g_new0 (CompactorData, 1);

              cd->self = self;
              cd->entry = head;
              self->compactor = g_thread_new ("okno-compactor", compactor_main, cd);
            }
          continue;
        }

      /* Everything waiting, up to the next compaction marker. */
      buffer = g_string_new (NULL);
      while ((head = g_queue_peek_head (&self->queue)) && head->type != ENTRY_COMPACT)
        {
          g_queue_pop_head (&self->queue);
          if (head->line != NULL)
            g_string_append_len (buffer, head->line, head->length);
          if (!head->lazy)
            needs_sync = TRUE;
          g_queue_push_tail (&batch, head);
        }
      g_mutex_unlock (&self->lock);

      /* A batch of lazy records only (an outbox item done) is written but
       * not synced: the next batch's fdatasync, or a drain's, takes it
       * along. Losing it to a power cut only repeats an idempotent item;
       * a kill -9 loses nothing, the kernel has the bytes. A drain
       * (a barrier, not lazy) syncs whatever is still unsynced. */
      g_debug ("Writing a batch of %u records%s", batch.length, needs_sync ? "" : " (no sync)");
      if (buffer->len == 0 && !unsynced)
        needs_sync = FALSE;
      if (buffer->len > 0 || needs_sync)
        {
          before = lseek (self->journal_fd, 0, SEEK_END);
          if ((buffer->len > 0 && !write_all (self->journal_fd, buffer->str, buffer->len, &error)) ||
              (needs_sync && fdatasync (self->journal_fd) != 0))
            {
              int saved = errno;

              /* Leave no half line behind for the next append to extend. */
              if (before >= 0 && ftruncate (self->journal_fd, before) != 0)
                g_warning ("Cannot trim the journal after a failed write: %s", g_strerror (errno));
              if (error == NULL)
                g_set_error (&error, OKNO_DATA_ERROR, OKNO_DATA_ERROR_IO,
                             _("Cannot write the ledger: %s"), g_strerror (saved));
            }
        }

      g_mutex_lock (&self->lock);
      if (needs_sync)
        self->syncs++;
      if (error == NULL)
        unsynced = needs_sync ? FALSE : unsynced || buffer->len > 0;
      if (error != NULL)
        {
          /* Whatever waits behind a failed write fails with it: an answer
           * must never depend on a decision that was undone. */
          fail_locked (self, &batch, error);
          fail_locked (self, &self->queue, error);
        }
      else
        {
          while ((head = g_queue_pop_head (&batch)))
            finish_locked (self, head, NULL);
        }
    }
  g_mutex_unlock (&self->lock);

  join_compactor (self);
  return NULL;
}

/* Back on the main thread */

static void
process_finished (OknoLedger *self)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) entry_unref);
  gboolean committed = FALSE;
  Entry *entry;

  g_mutex_lock (&self->lock);
  while ((entry = g_queue_pop_head (&self->finished)))
    g_ptr_array_add (entries, entry);
  g_mutex_unlock (&self->lock);

  if (entries->len == 0)
    return;

  /* Newest first, so that each undo restores the state it found. */
  for (guint i = entries->len; i-- > 0;)
    {
      entry = g_ptr_array_index (entries, i);
      if (entry->type == ENTRY_RECORD && entry->error != NULL)
        undo_record (self, entry);
    }

  for (guint i = 0; i < entries->len; i++)
    {
      entry = g_ptr_array_index (entries, i);

      if (entry->type == ENTRY_RECORD && entry->error == NULL)
        {
          OknoJournalRecord *record = entry->record;

          committed = TRUE;
          if (record->put != NULL)
            g_hash_table_remove (self->unwritten, record->put);
          for (guint j = 0; j < record->outbox->len; j++)
            {
              const char *key = json_object_get_string_member (g_ptr_array_index (record->outbox, j), "key");
              JsonObject *item = g_hash_table_lookup (self->outbox_by_key, key);

              g_hash_table_remove (self->unwritten, key);
              if (item != NULL && self->committed_outbox != NULL)
                g_ptr_array_add (self->committed_outbox, json_object_ref (item));
            }
          /* Nobody takes them (no outbox runs): forget them, and say so. */
          if (self->committed_outbox != NULL && self->committed_outbox->len > COMMITTED_OUTBOX_MAX)
            g_clear_pointer (&self->committed_outbox, g_ptr_array_unref);
        }
      else if (entry->type == ENTRY_COMPACT)
        {
          self->compacting = FALSE;
          if (entry->error != NULL)
            {
              g_warning ("Ledger compaction failed (the journals keep everything): %s",
                         entry->error->message);
              /* Try again with the next record. */
              self->journal_length = compaction_due (self);
            }
          else
            {
              self->compactions++;
              g_debug ("Compacted the ledger");
            }
        }
    }

  /* What follows a booking starts before its answer leaves: a client
   * that reloads at once finds the calendar changed. */
  if (committed)
    g_signal_emit (self, signals [COMMITTED], 0);

  for (guint i = 0; i < entries->len; i++)
    {
      entry = g_ptr_array_index (entries, i);
      if (entry->task == NULL)
        continue;
      if (entry->error != NULL)
        g_task_return_error (entry->task, g_error_copy (entry->error));
      else
        g_task_return_boolean (entry->task, TRUE);
    }
}

static gboolean
finished_cb (gpointer user_data)
{
  g_autoptr(OknoLedger) self = g_object_ref (user_data);

  g_mutex_lock (&self->lock);
  g_clear_pointer (&self->finished_source, g_source_unref);
  g_mutex_unlock (&self->lock);

  process_finished (self);
  return G_SOURCE_REMOVE;
}

static void
schedule_finished_locked (OknoLedger *self)
{
  if (self->finished_source != NULL)
    return;

  self->finished_source = g_idle_source_new ();
  g_source_set_priority (self->finished_source, G_PRIORITY_DEFAULT);
  g_source_set_callback (self->finished_source, finished_cb, self, NULL);
  g_source_set_static_name (self->finished_source, "[okno] ledger writes finished");
  g_source_attach (self->finished_source, self->context);
}

static void
push_entry (OknoLedger *self,
            Entry      *entry)
{
  g_mutex_lock (&self->lock);
  g_queue_push_tail (&self->queue, entry_ref (entry));
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->lock);
}

/* Blocks until @entry is finished: for the command line, tests and start,
 * never on a main loop that serves anyone. */
static gboolean
wait_entry (OknoLedger  *self,
            Entry       *entry,
            GError     **error)
{
  g_mutex_lock (&self->lock);
  while (!entry->finished)
    g_cond_wait (&self->cond, &self->lock);
  g_mutex_unlock (&self->lock);

  process_finished (self);

  if (entry->error != NULL)
    {
      g_propagate_error (error, g_error_copy (entry->error));
      return FALSE;
    }
  return TRUE;
}

static Entry *
enqueue_record (OknoLedger         *self,
                OknoJournalRecord  *record,
                gboolean            lazy,
                GTask              *task,
                GError            **error)
{
  g_autoptr(Entry) entry = entry_new (ENTRY_RECORD);

  entry->lazy = lazy;

  if (!(entry->line = okno_journal_record_to_line (record, &entry->length, error)))
    return NULL;

  entry->record = record;
  entry->task = task ? g_object_ref (task) : NULL;
  if (record->put != NULL)
    {
      OknoBooking *previous = g_hash_table_lookup (self->by_id, okno_booking_get_id (record->put));

      entry->previous = previous ? g_object_ref (previous) : NULL;
      g_hash_table_add (self->unwritten, record->put);
    }
  for (guint i = 0; i < record->outbox->len; i++)
    g_hash_table_add (self->unwritten,
                      (gpointer) json_object_get_string_member (g_ptr_array_index (record->outbox, i), "key"));

  apply_record (self, record);
  push_entry (self, entry);

  if (++self->journal_length >= compaction_due (self) && !self->compacting)
    enqueue_compaction (self, FALSE);

  return g_steal_pointer (&entry);
}

/* A compaction writes every booking, so it comes once the journal is as
 * long as the snapshot would be (and after 1024 records at the least):
 * its cost per record stays flat as the ledger grows, and a start replays
 * at most about as many lines as the snapshot holds. */
static guint
compaction_due (OknoLedger *self)
{
  if (self->compact_after_fixed)
    return self->compact_after;
  return MAX (self->compact_after, g_list_model_get_n_items (G_LIST_MODEL (self->bookings)));
}

static GPtrArray *
dup_bookings (OknoLedger *self)
{
  GListModel *model = G_LIST_MODEL (self->bookings);
  guint n = g_list_model_get_n_items (model);
  GPtrArray *array = g_ptr_array_new_full (n, g_object_unref);

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (array, g_list_model_get_item (model, i));

  return array;
}

static GPtrArray *
deep_copy_objects (GPtrArray *objects)
{
  GPtrArray *copy = g_ptr_array_new_full (objects->len, (GDestroyNotify) json_object_unref);

  for (guint i = 0; i < objects->len; i++)
    g_ptr_array_add (copy, okno_json_object_deep_copy (g_ptr_array_index (objects, i)));
  return copy;
}

/* The marks still worth keeping: a day past their "until", nobody asks
 * about them any more. */
static GPtrArray *
dup_enqueued (OknoLedger *self)
{
  g_autoptr(GDateTime) now = okno_time_now_utc ();
  g_autoptr(GDateTime) horizon = g_date_time_add_days (now, -1);
  GPtrArray *marks = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  GHashTableIter iter;
  gpointer mark;

  g_hash_table_iter_init (&iter, self->enqueued);
  while (g_hash_table_iter_next (&iter, NULL, &mark))
    {
      g_autoptr(GDateTime) until = okno_time_parse_rfc3339 (json_object_get_string_member (mark, "until"));

      if (until != NULL && g_date_time_compare (until, horizon) < 0)
        continue;
      g_ptr_array_add (marks, okno_json_object_deep_copy (mark));
    }
  return marks;
}

static Entry *
new_compaction (OknoLedger *self,
                gboolean    blocking)
{
  Entry *entry = entry_new (ENTRY_COMPACT);
  CompactJob *job = g_new0 (CompactJob, 1);

  job->snapshot_path = g_strdup (self->snapshot_path);
  job->old_journal_path = g_strdup (self->old_journal_path);
  job->dir = g_strdup (self->dir);
  job->bookings = dup_bookings (self);
  job->outbox = deep_copy_objects (self->outbox);
  job->attention = deep_copy_objects (self->attention);
  job->enqueued = dup_enqueued (self);
  job->unknown = okno_json_object_deep_copy (self->snapshot_unknown);

  entry->job = job;
  entry->blocking = blocking;
  self->compacting = TRUE;
  self->journal_length = 0;

  return entry;
}

static void
enqueue_compaction (OknoLedger *self,
                    gboolean    blocking)
{
  g_autoptr(Entry) entry = new_compaction (self, blocking);

  push_entry (self, entry);
}

/* Loading */

static void
report_damage (OknoLedger *self,
               const char *file,
               const char *copy)
{
  g_autofree char *message = NULL;
  g_autoptr(JsonObject) item = NULL;

  if (copy != NULL)
    message = g_strdup_printf (_("A damaged record in %s was set aside; the file as it was is kept in %s"),
                               file, copy);
  else
    message = g_strdup_printf (_("A damaged record in %s was set aside"), file);

  g_message ("%s", message);
  item = okno_attention_item_new ("damaged-record", file, message);
  add_attention_item (self, item);
}

static gboolean
load_snapshot (OknoLedger  *self,
               gboolean    *damaged,
               GError     **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;
  gboolean salvaged = FALSE;
  gboolean bad = FALSE;
  JsonObject *root;
  JsonObjectIter iter;
  const char *member;
  JsonNode *node;
  gint64 version;

  if (!g_file_test (self->snapshot_path, G_FILE_TEST_EXISTS))
    return TRUE;

  parser = okno_json_load_salvaging (self->snapshot_path, &contents, &length, &salvaged, &local_error);
  if (parser == NULL || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_set_error (error, OKNO_DATA_ERROR, OKNO_DATA_ERROR_CORRUPT,
                   _("The ledger %s cannot be read (%s); it was left untouched"),
                   self->snapshot_path, local_error ? local_error->message : _("not a JSON object"));
      return FALSE;
    }

  root = json_node_get_object (json_parser_get_root (parser));
  version = json_object_get_int_member_with_default (root, "version", 0);
  if (version > LEDGER_VERSION)
    {
      g_set_error (error, OKNO_DATA_ERROR, OKNO_DATA_ERROR_SCHEMA,
                   _("The ledger %s was written by a newer Okno (version %d); "
                     "it was left untouched"),
                   self->snapshot_path, (int) version);
      return FALSE;
    }

  json_object_iter_init (&iter, root);
  while (json_object_iter_next (&iter, &member, &node))
    {
      if (JSON_NODE_HOLDS_ARRAY (node) &&
          (g_str_equal (member, "bookings") || g_str_equal (member, "outbox") ||
           g_str_equal (member, "attention") || g_str_equal (member, "enqueued")))
        {
          JsonArray *array = json_node_get_array (node);

          for (guint i = 0; i < json_array_get_length (array); i++)
            {
              JsonNode *element = json_array_get_element (array, i);
              g_autoptr(OknoBooking) booking = NULL;
              JsonObject *object;

              if (!JSON_NODE_HOLDS_OBJECT (element) || !okno_json_node_is_clean (element, salvaged))
                {
                  bad = TRUE;
                  continue;
                }
              object = json_node_get_object (element);

              if (g_str_equal (member, "bookings"))
                {
                  if (!(booking = okno_booking_new_from_json (object, NULL)))
                    bad = TRUE;
                  else
                    index_booking (self, booking);
                }
              else if (g_str_equal (member, "outbox"))
                {
                  if (okno_outbox_item_is_valid (object))
                    add_outbox_item (self, object);
                  else
                    bad = TRUE;
                }
              else if (g_str_equal (member, "enqueued"))
                {
                  if (okno_enqueued_mark_is_valid (object))
                    add_enqueued_mark (self, object);
                  else
                    bad = TRUE;
                }
              else if (okno_attention_item_is_valid (object))
                add_attention_item (self, object);
              else
                bad = TRUE;
            }
        }
      else if (!g_str_equal (member, "version"))
        {
          if (okno_json_node_is_clean (node, salvaged))
            json_object_set_member (self->snapshot_unknown, member, json_node_copy (node));
          else
            bad = TRUE;
        }
    }

  if (bad)
    {
      g_autoptr(GError) copy_error = NULL;
      g_autofree char *copy = okno_json_keep_damaged (self->snapshot_path, contents, length, &copy_error);

      if (copy == NULL)
        g_warning ("Cannot keep a copy of the damaged ledger: %s", copy_error->message);
      report_damage (self, self->snapshot_path, copy);
      *damaged = TRUE;
    }

  return TRUE;
}

static gboolean
replay_journal (OknoLedger  *self,
                const char  *path,
                guint       *records,
                gboolean    *damaged,
                GError     **error)
{
  g_autofree char *contents = NULL;
  g_autoptr(GError) local_error = NULL;
  gsize length = 0;
  gboolean bad = FALSE;
  char *line;
  char *end;

  if (!g_file_get_contents (path, &contents, &length, &local_error))
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return TRUE;
      g_set_error (error, OKNO_DATA_ERROR, OKNO_DATA_ERROR_IO,
                   "%s", local_error->message);
      return FALSE;
    }

  for (line = contents; line < contents + length; line = end + 1)
    {
      g_autoptr(JsonParser) parser = NULL;
      g_autoptr(OknoJournalRecord) record = NULL;
      g_autoptr(GError) record_error = NULL;
      JsonNode *root;

      end = memchr (line, '\n', contents + length - line);
      if (end == NULL)
        {
          /* A torn write: never acknowledged, so nothing is lost. */
          g_debug ("Dropping a torn journal tail of %d bytes", (int) (contents + length - line));
          *damaged = TRUE;
          break;
        }
      if (end == line)
        continue;

      parser = json_parser_new_immutable ();
      if (json_parser_load_from_data (parser, line, end - line, NULL) &&
          JSON_NODE_HOLDS_OBJECT ((root = json_parser_get_root (parser))) &&
          okno_json_node_is_clean (root, FALSE))
        record = okno_journal_record_new_from_json (json_node_get_object (root), &record_error);

      if (g_error_matches (record_error, OKNO_DATA_ERROR, OKNO_DATA_ERROR_SCHEMA))
        {
          g_set_error (error, OKNO_DATA_ERROR, OKNO_DATA_ERROR_SCHEMA,
                       _("The journal %s holds %s, written by a newer Okno; it was left "
                         "untouched. Use that newer Okno with this folder."),
                       path, record_error->message);
          return FALSE;
        }

      if (record == NULL)
        {
          bad = TRUE;
          continue;
        }

      apply_record (self, record);
      (*records)++;
    }

  if (bad)
    {
      g_autoptr(GError) copy_error = NULL;
      g_autofree char *copy = okno_json_keep_damaged (path, contents, length, &copy_error);

      if (copy == NULL)
        g_warning ("Cannot keep a copy of the damaged journal: %s", copy_error->message);
      report_damage (self, path, copy);
      *damaged = TRUE;
    }

  return TRUE;
}

/* GObject */

static void
okno_ledger_dispose (GObject *object)
{
  OknoLedger *self = (OknoLedger *) object;

  if (self->writer != NULL)
    {
      g_mutex_lock (&self->lock);
      self->stopping = TRUE;
      g_cond_broadcast (&self->cond);
      g_mutex_unlock (&self->lock);
      g_thread_join (g_steal_pointer (&self->writer));
    }

  g_mutex_lock (&self->lock);
  if (self->finished_source != NULL)
    {
      g_source_destroy (self->finished_source);
      g_clear_pointer (&self->finished_source, g_source_unref);
    }
  g_mutex_unlock (&self->lock);

  G_OBJECT_CLASS (okno_ledger_parent_class)->dispose (object);
}

static void
okno_ledger_finalize (GObject *object)
{
  OknoLedger *self = (OknoLedger *) object;

  if (self->journal_fd >= 0)
    close (self->journal_fd);

  g_queue_clear_full (&self->finished, (GDestroyNotify) entry_unref);
  g_queue_clear_full (&self->queue, (GDestroyNotify) entry_unref);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->cond);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_clear_pointer (&self->by_id, g_hash_table_unref);
  g_clear_pointer (&self->active_by_slot, g_hash_table_unref);
  g_clear_pointer (&self->by_idempotency, g_hash_table_unref);
  g_clear_pointer (&self->unwritten, g_hash_table_unref);
  g_clear_pointer (&self->outbox_by_key, g_hash_table_unref);
  g_clear_pointer (&self->committed_outbox, g_ptr_array_unref);
  g_clear_pointer (&self->outbox, g_ptr_array_unref);
  g_clear_pointer (&self->attention, g_ptr_array_unref);
  g_clear_pointer (&self->enqueued, g_hash_table_unref);
  g_clear_object (&self->bookings);
  g_clear_pointer (&self->snapshot_unknown, json_object_unref);
  g_clear_pointer (&self->dir, g_free);
  g_clear_pointer (&self->snapshot_path, g_free);
  g_clear_pointer (&self->journal_path, g_free);
  g_clear_pointer (&self->old_journal_path, g_free);

  G_OBJECT_CLASS (okno_ledger_parent_class)->finalize (object);
}

static void
okno_ledger_class_init (OknoLedgerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = okno_ledger_dispose;
  object_class->finalize = okno_ledger_finalize;

  /**
   * OknoLedger::committed:
   *
   * Emitted on the main thread after records (and the outbox items they
   * carry) became durable.
   */
  signals [COMMITTED] =
    g_signal_new ("committed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  /**
   * OknoLedger::attention-changed:
   *
   * An attention item was added or dismissed.
   */
  signals [ATTENTION_CHANGED] =
    g_signal_new ("attention-changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
okno_ledger_init (OknoLedger *self)
{
  self->journal_fd = -1;
  self->compact_after = COMPACT_AFTER;
  self->snapshot_unknown = json_object_new ();
  self->bookings = g_list_store_new (OKNO_TYPE_BOOKING);
  self->by_id = g_hash_table_new (g_str_hash, g_str_equal);
  self->active_by_slot = g_hash_table_new (g_str_hash, g_str_equal);
  self->by_idempotency = g_hash_table_new (g_str_hash, g_str_equal);
  self->unwritten = g_hash_table_new (NULL, NULL);
  self->outbox = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  self->outbox_by_key = g_hash_table_new (g_str_hash, g_str_equal);
  self->committed_outbox = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  self->attention = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  self->enqueued = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) json_object_unref);
  g_mutex_init (&self->lock);
  g_cond_init (&self->cond);
}

/* Public API */

/**
 * okno_ledger_new:
 * @dir: the data folder, which the caller has locked
 *
 * Loads the snapshot and replays the journals. A damaged record is set
 * aside (see above); a snapshot that cannot be read at all, or a record
 * of a newer Okno, refuses and leaves every file as it is. Folding the
 * journal into the snapshot is tried, but a full disk does not stop the
 * start: the journal keeps everything.
 */
OknoLedger *
okno_ledger_new (const char  *dir,
                 GError     **error)
{
  g_autoptr(OknoLedger) self = NULL;
  g_autoptr(GError) compact_error = NULL;
  guint records;
  gboolean damaged = FALSE;

  g_return_val_if_fail (dir != NULL, NULL);

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;
      g_set_error (error, OKNO_DATA_ERROR, OKNO_DATA_ERROR_IO,
                   _("Cannot create the data folder %s: %s"), dir, g_strerror (saved));
      return NULL;
    }

  self = g_object_new (OKNO_TYPE_LEDGER, NULL);
  self->dir = g_strdup (dir);
  self->snapshot_path = g_build_filename (dir, "bookings.json", NULL);
  self->journal_path = g_build_filename (dir, "bookings.journal", NULL);
  self->old_journal_path = g_build_filename (dir, "bookings.journal.old", NULL);
  self->context = g_main_context_ref_thread_default ();

  records = 0;
  damaged = g_file_test (self->old_journal_path, G_FILE_TEST_EXISTS);
  if (!load_snapshot (self, &damaged, error) ||
      !replay_journal (self, self->old_journal_path, &records, &damaged, error) ||
      !replay_journal (self, self->journal_path, &records, &damaged, error))
    return NULL;

  if ((self->journal_fd = open_journal_fd (self->journal_path, self->dir, error)) < 0)
    return NULL;

  self->writer = g_thread_new ("okno-ledger", writer_main, self);

  /* A fresh folder gets an empty bookings.json at once, so a person who
   * looks finds the ledger where the README says it is. */
  self->journal_length = records;
  if ((records > 0 || damaged || !g_file_test (self->snapshot_path, G_FILE_TEST_EXISTS)) &&
      !okno_ledger_compact (self, &compact_error))
    g_warning ("Cannot fold the journal into %s yet (it keeps everything): %s",
               self->snapshot_path, compact_error->message);

  g_debug ("Loaded %u bookings (%u records from the journal)",
           g_list_model_get_n_items (G_LIST_MODEL (self->bookings)), records);

  return g_steal_pointer (&self);
}

/**
 * okno_ledger_append_async:
 * @record: (transfer full): what to store
 *
 * Applies @record to the state in memory at once and answers once it is
 * on disk. On failure the change in memory is undone before the answer.
 * Text that is not UTF-8 fails at once, changing nothing.
 */
void
okno_ledger_append_async (OknoLedger          *self,
                          OknoJournalRecord   *record,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(Entry) entry = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (OKNO_IS_LEDGER (self));
  g_return_if_fail (record != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, okno_ledger_append_async);

  if (!(entry = enqueue_record (self, record, FALSE, task, &error)))
    {
      okno_journal_record_free (record);
      g_task_return_error (task, g_steal_pointer (&error));
    }
}

gboolean
okno_ledger_append_finish (OknoLedger    *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * okno_ledger_append:
 * @record: (transfer full): what to store
 *
 * The same, waiting for the disk: for the command line and tests only.
 */
gboolean
okno_ledger_append (OknoLedger         *self,
                    OknoJournalRecord  *record,
                    GError            **error)
{
  g_autoptr(Entry) entry = NULL;

  g_return_val_if_fail (OKNO_IS_LEDGER (self), FALSE);
  g_return_val_if_fail (record != NULL, FALSE);

  if (!(entry = enqueue_record (self, record, FALSE, NULL, error)))
    {
      okno_journal_record_free (record);
      return FALSE;
    }

  return wait_entry (self, entry, error);
}

/**
 * okno_ledger_put:
 *
 * Stores @booking (new, or a new state of one with the same id) and returns
 * only once it is on disk. On failure nothing changes, in memory or on disk.
 * Waits for the disk: for the command line and tests only.
 */
gboolean
okno_ledger_put (OknoLedger   *self,
                 OknoBooking  *booking,
                 GError      **error)
{
  OknoJournalRecord *record;

  g_return_val_if_fail (OKNO_IS_LEDGER (self), FALSE);
  g_return_val_if_fail (OKNO_IS_BOOKING (booking), FALSE);

  record = okno_journal_record_new ();
  okno_journal_record_set_put (record, booking);
  return okno_ledger_append (self, record, error);
}

/**
 * okno_ledger_drain_async:
 *
 * Answers once every record appended before it was written (or failed).
 */
void
okno_ledger_drain_async (OknoLedger          *self,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(Entry) entry = entry_new (ENTRY_BARRIER);

  g_return_if_fail (OKNO_IS_LEDGER (self));

  entry->task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (entry->task, okno_ledger_drain_async);
  push_entry (self, entry);
}

gboolean
okno_ledger_drain_finish (OknoLedger    *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

GListModel *
okno_ledger_get_bookings (OknoLedger *self)
{
  g_return_val_if_fail (OKNO_IS_LEDGER (self), NULL);
  return G_LIST_MODEL (self->bookings);
}

OknoBooking *
okno_ledger_lookup (OknoLedger *self,
                    const char *booking_id)
{
  g_return_val_if_fail (OKNO_IS_LEDGER (self), NULL);
  return booking_id ? g_hash_table_lookup (self->by_id, booking_id) : NULL;
}

OknoBooking *
okno_ledger_lookup_active_for_slot (OknoLedger *self,
                                    const char *slot_id)
{
  g_return_val_if_fail (OKNO_IS_LEDGER (self), NULL);
  return slot_id ? g_hash_table_lookup (self->active_by_slot, slot_id) : NULL;
}

OknoBooking *
okno_ledger_lookup_idempotent (OknoLedger *self,
                               const char *key_hash)
{
  g_return_val_if_fail (OKNO_IS_LEDGER (self), NULL);
  return key_hash ? g_hash_table_lookup (self->by_idempotency, key_hash) : NULL;
}

/* Whether this state of a booking is on disk (not still being written). */
gboolean
okno_ledger_is_durable (OknoLedger  *self,
                        OknoBooking *booking)
{
  g_return_val_if_fail (OKNO_IS_LEDGER (self), FALSE);
  return !g_hash_table_contains (self->unwritten, booking);
}

/**
 * okno_ledger_dup_outbox:
 *
 * Returns: (transfer container): the outbox items waiting to be carried
 *   out whose records are on disk, oldest first
 */
GPtrArray *
okno_ledger_dup_outbox (OknoLedger *self)
{
  GPtrArray *items;

  g_return_val_if_fail (OKNO_IS_LEDGER (self), NULL);

  items = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  for (guint i = 0; i < self->outbox->len; i++)
    {
      JsonObject *item = g_ptr_array_index (self->outbox, i);

      if (!g_hash_table_contains (self->unwritten, json_object_get_string_member (item, "key")))
        g_ptr_array_add (items, json_object_ref (item));
    }

  return items;
}

/**
 * okno_ledger_take_committed_outbox:
 *
 * The outbox items whose records became durable since the last call, so
 * that the outbox starts new items without walking every pending one.
 *
 * Returns: (transfer full) (nullable): those items, oldest first; %NULL
 *   when more were waiting than are kept (then okno_ledger_dup_outbox()
 *   has them all)
 */
GPtrArray *
okno_ledger_take_committed_outbox (OknoLedger *self)
{
  GPtrArray *items;

  g_return_val_if_fail (OKNO_IS_LEDGER (self), NULL);

  items = g_steal_pointer (&self->committed_outbox);
  self->committed_outbox = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  return items;
}

gboolean
okno_ledger_has_outbox_item (OknoLedger *self,
                             const char *key)
{
  g_return_val_if_fail (OKNO_IS_LEDGER (self), FALSE);
  return g_hash_table_contains (self->outbox_by_key, key);
}

static void
appended_quietly_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!okno_ledger_append_finish (OKNO_LEDGER (object), result, &error))
    g_warning ("Cannot record %s: %s", (const char *) user_data, error->message);
}

/**
 * okno_ledger_complete_outbox_item:
 * @attention: (nullable): an item for Olga, when it failed for good
 *
 * Records that the outbox item @key was carried out (or given up on).
 */
void
okno_ledger_complete_outbox_item (OknoLedger *self,
                                  const char *key,
                                  JsonObject *attention)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(Entry) entry = NULL;
  g_autoptr(GError) error = NULL;
  OknoJournalRecord *record;

  g_return_if_fail (OKNO_IS_LEDGER (self));
  g_return_if_fail (key != NULL);

  record = okno_journal_record_new ();
  okno_journal_record_add_done (record, key);
  if (attention != NULL)
    okno_journal_record_add_attention (record, attention);

  /* "Done" alone costs no sync of its own: lost in a power cut, the item
   * is carried out once more, which its key makes harmless. Bookings
   * behind it then wait for one sync, not two. An attention item is
   * Olga's to see, and is synced. */
  task = g_task_new (self, NULL, appended_quietly_cb, (gpointer) "an outbox item as done");
  g_task_set_source_tag (task, okno_ledger_append_async);
  if (!(entry = enqueue_record (self, record, attention == NULL, task, &error)))
    {
      okno_journal_record_free (record);
      g_task_return_error (task, g_steal_pointer (&error));
    }
}

/**
 * okno_ledger_get_attention_items:
 *
 * Returns: (transfer none) (element-type JsonObject): the attention items
 */
GPtrArray *
okno_ledger_get_attention_items (OknoLedger *self)
{
  g_return_val_if_fail (OKNO_IS_LEDGER (self), NULL);
  return self->attention;
}

void
okno_ledger_add_attention (OknoLedger *self,
                           JsonObject *item)
{
  OknoJournalRecord *record;

  g_return_if_fail (OKNO_IS_LEDGER (self));
  g_return_if_fail (okno_attention_item_is_valid (item));

  record = okno_journal_record_new ();
  okno_journal_record_add_attention (record, item);
  okno_ledger_append_async (self, record, NULL, appended_quietly_cb, (gpointer) "an attention item");
}

gboolean
okno_ledger_dismiss_attention (OknoLedger *self,
                               const char *id)
{
  OknoJournalRecord *record;
  gboolean found = FALSE;

  g_return_val_if_fail (OKNO_IS_LEDGER (self), FALSE);

  for (guint i = 0; i < self->attention->len && !found; i++)
    found = g_strcmp0 (json_object_get_string_member (g_ptr_array_index (self->attention, i), "id"), id) == 0;
  if (!found)
    return FALSE;

  record = okno_journal_record_new ();
  okno_journal_record_add_dismiss (record, id);
  okno_ledger_append_async (self, record, NULL, appended_quietly_cb, (gpointer) "a dismissed attention item");
  return TRUE;
}

guint
okno_ledger_get_journal_length (OknoLedger *self)
{
  g_return_val_if_fail (OKNO_IS_LEDGER (self), 0);
  return self->journal_length;
}

/**
 * okno_ledger_compact:
 *
 * Writes everything to a new snapshot, replaces the old one atomically,
 * then empties the journals; waits for the disk (start, command line,
 * tests), behind every record already queued.
 */
gboolean
okno_ledger_compact (OknoLedger  *self,
                     GError     **error)
{
  g_autoptr(Entry) entry = NULL;

  g_return_val_if_fail (OKNO_IS_LEDGER (self), FALSE);

  entry = new_compaction (self, TRUE);
  push_entry (self, entry);
  return wait_entry (self, entry, error);
}

/**
 * okno_ledger_compact_async:
 *
 * okno_ledger_compact() without waiting: the writer thread folds the
 * journal behind every record already queued.
 */
void
okno_ledger_compact_async (OknoLedger          *self,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(Entry) entry = NULL;

  g_return_if_fail (OKNO_IS_LEDGER (self));

  entry = new_compaction (self, TRUE);
  entry->task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (entry->task, okno_ledger_compact_async);
  push_entry (self, entry);
}

gboolean
okno_ledger_compact_finish (OknoLedger    *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Whether a compaction is queued or under way. */
gboolean
okno_ledger_is_compacting (OknoLedger *self)
{
  g_return_val_if_fail (OKNO_IS_LEDGER (self), FALSE);
  return self->compacting;
}

/* For tests: compact after @records journal records instead of 1024. */
void
_okno_ledger_set_compact_after (OknoLedger *self,
                                guint       records)
{
  g_return_if_fail (OKNO_IS_LEDGER (self));
  self->compact_after = MAX (records, 1);
  self->compact_after_fixed = TRUE;
}

/* For tests: while @hold, the writer leaves the queue alone, so what is
 * appended meanwhile waits for one batch, whatever the machine's timing. */
void
_okno_ledger_hold_writer (OknoLedger *self,
                          gboolean    hold)
{
  g_return_if_fail (OKNO_IS_LEDGER (self));
  g_mutex_lock (&self->lock);
  self->held = hold;
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->lock);
}

/* For tests: how many fdatasyncs of the journal were made. */
guint
_okno_ledger_get_sync_count (OknoLedger *self)
{
  guint syncs;

  g_return_val_if_fail (OKNO_IS_LEDGER (self), 0);
  g_mutex_lock (&self->lock);
  syncs = self->syncs;
  g_mutex_unlock (&self->lock);
  return syncs;
}

/* For tests: how many compactions finished since the ledger was opened. */
guint
_okno_ledger_get_compaction_count (OknoLedger *self)
{
  g_return_val_if_fail (OKNO_IS_LEDGER (self), 0);
  return self->compactions;
}

/**
 * okno_ledger_was_enqueued:
 * @key: an enqueued mark's key, such as "reminder:<booking id>"
 *
 * Whether a record with this mark was written (or is being written: a
 * write that fails takes its marks back).
 */
gboolean
okno_ledger_was_enqueued (OknoLedger *self,
                          const char *key)
{
  g_return_val_if_fail (OKNO_IS_LEDGER (self), FALSE);
  g_return_val_if_fail (key != NULL, FALSE);

  return g_hash_table_contains (self->enqueued, key);
}
