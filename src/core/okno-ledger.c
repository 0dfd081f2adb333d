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
#include "okno-ledger-private.h"

/* The durable record of every booking: the source of truth that the
 * calendar mirrors.
 *
 * On disk, two files in the data folder:
 *   bookings.json     a snapshot, {"version":1,"bookings":[…]}, pretty-printed
 *   bookings.journal  JSON Lines appended since the snapshot, one
 *                     {"put":{booking}} per line, each fdatasync'd before
 *                     okno_ledger_put() returns
 * A booking is acknowledged only after its line is on disk, so its cost does
 * not grow with the ledger. Replay is idempotent (the last record of an id
 * wins), so a crash at any point of a compaction loses nothing: the snapshot
 * is replaced atomically first, the journal emptied after. A torn last line
 * (the crash came mid-write) was never acknowledged and is dropped.
 *
 * While running, compaction happens in a worker thread so that bookings do
 * not wait for it: the journal is first renamed to bookings.journal.old and
 * a new one started; the thread writes the snapshot and then removes the
 * old journal. Loading replays the old journal, if any, before the new. */

#define LEDGER_VERSION 1
#define COMPACT_AFTER  1024

struct _OknoLedger
{
  GObject     parent_instance;

  char       *dir;
  char       *snapshot_path;
  char       *journal_path;
  char       *old_journal_path;
  int         journal_fd;
  guint       compact_after;
  gboolean    compacting;
  guint       journal_length;
  guint       compact_source;

  JsonObject *snapshot_unknown;
  GListStore *bookings;
  GHashTable *by_id;
  GHashTable *active_by_slot;
  GHashTable *by_idempotency;
};

G_DEFINE_FINAL_TYPE (OknoLedger, okno_ledger, G_TYPE_OBJECT)

static void
index_booking (OknoLedger  *self,
               OknoBooking *booking)
{
  OknoBooking *old = g_hash_table_lookup (self->by_id, okno_booking_get_id (booking));
  const char *key_hash;
  guint position;

  if (old != NULL)
    {
      if (g_hash_table_lookup (self->active_by_slot, okno_booking_get_slot_id (old)) == old)
        g_hash_table_remove (self->active_by_slot, okno_booking_get_slot_id (old));
      if ((key_hash = okno_booking_get_field (old, "idempotencyKeyHash")))
        g_hash_table_remove (self->by_idempotency, key_hash);
      g_hash_table_remove (self->by_id, okno_booking_get_id (old));
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

static gboolean
load_booking_node (OknoLedger  *self,
                   JsonNode    *node,
                   GError     **error)
{
  g_autoptr(OknoBooking) booking = NULL;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error_literal (error, OKNO_DATA_ERROR, OKNO_DATA_ERROR_CORRUPT,
                           "A booking record is not an object");
      return FALSE;
    }

  if (!(booking = okno_booking_new_from_json (json_node_get_object (node), error)))
    return FALSE;

  index_booking (self, booking);
  return TRUE;
}

static gboolean
load_snapshot (OknoLedger  *self,
               GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) local_error = NULL;
  JsonObject *root;
  JsonObjectIter iter;
  const char *member;
  JsonNode *node;
  gint64 version;

  if (!g_file_test (self->snapshot_path, G_FILE_TEST_EXISTS))
    return TRUE;

  if (!json_parser_load_from_mapped_file (parser, self->snapshot_path, &local_error) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
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
      if (g_str_equal (member, "bookings") && JSON_NODE_HOLDS_ARRAY (node))
        {
          JsonArray *array = json_node_get_array (node);

          for (guint i = 0; i < json_array_get_length (array); i++)
            {
              if (!load_booking_node (self, json_array_get_element (array, i), error))
                {
                  g_prefix_error (error, "%s: ", self->snapshot_path);
                  return FALSE;
                }
            }
        }
      else if (!g_str_equal (member, "version"))
        json_object_set_member (self->snapshot_unknown, member, json_node_copy (node));
    }

  return TRUE;
}

/* Keeps a copy of a journal that had damage before its last line, so that
 * a person can look at it; compaction then drops the damaged lines. */
static void
keep_damaged_journal (const char *journal_path,
                      const char *contents,
                      gsize       length)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%dT%H%M%SZ");
  g_autofree char *path = g_strdup_printf ("%s.damaged-%s", journal_path, stamp);
  g_autoptr(GError) error = NULL;

  if (!okno_write_file (path, contents, length, &error))
    g_warning ("Cannot keep the damaged journal: %s", error->message);
  else
    g_warning ("The journal had damaged lines; a copy is kept at %s", path);
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
      if (!json_parser_load_from_data (parser, line, end - line, NULL) ||
          !JSON_NODE_HOLDS_OBJECT ((root = json_parser_get_root (parser))) ||
          !json_object_has_member (json_node_get_object (root), "put") ||
          !load_booking_node (self, json_object_get_member (json_node_get_object (root), "put"), NULL))
        {
          g_warning ("Skipping a damaged journal line");
          keep_damaged_journal (path, contents, length);
          *damaged = TRUE;
          continue;
        }

      (*records)++;
    }

  return TRUE;
}

static gboolean
open_journal (OknoLedger  *self,
              GError     **error)
{
  self->journal_fd = g_open (self->journal_path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
  if (self->journal_fd < 0)
    {
      int saved = errno;
      g_set_error (error, OKNO_DATA_ERROR, OKNO_DATA_ERROR_IO,
                   _("Cannot open %s: %s"), self->journal_path, g_strerror (saved));
      return FALSE;
    }

  return okno_fsync_dir (self->dir, error);
}

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

/* The snapshot's bytes; safe in a worker thread, since stored bookings are
 * never changed in place (a new state replaces the object). */
static GBytes *
serialize_snapshot (GPtrArray  *bookings,
                    JsonObject *unknown)
{
  g_autoptr(JsonObject) root = json_object_new ();
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  JsonArray *array = json_array_new ();
  JsonObjectIter iter;
  const char *member;
  JsonNode *value;
  char *contents;
  gsize length;

  json_object_set_int_member (root, "version", LEDGER_VERSION);
  json_object_iter_init (&iter, unknown);
  while (json_object_iter_next (&iter, &member, &value))
    json_object_set_member (root, member, json_node_copy (value));

  for (guint i = 0; i < bookings->len; i++)
    json_array_add_object_element (array, okno_booking_to_json (g_ptr_array_index (bookings, i)));
  json_object_set_array_member (root, "bookings", array);

  json_node_set_object (node, root);
  json_generator_set_root (generator, node);
  json_generator_set_pretty (generator, TRUE);
  contents = json_generator_to_data (generator, &length);

  return g_bytes_new_take (contents, length);
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

static JsonObject *
dup_unknown (OknoLedger *self)
{
  JsonObject *copy = json_object_new ();
  JsonObjectIter iter;
  const char *member;
  JsonNode *value;

  json_object_iter_init (&iter, self->snapshot_unknown);
  while (json_object_iter_next (&iter, &member, &value))
    json_object_set_member (copy, member, json_node_copy (value));

  return copy;
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

typedef struct
{
  char       *snapshot_path;
  char       *old_journal_path;
  char       *dir;
  GPtrArray  *bookings;
  JsonObject *unknown;
} CompactJob;

static void
compact_job_free (CompactJob *job)
{
  g_free (job->snapshot_path);
  g_free (job->old_journal_path);
  g_free (job->dir);
  g_ptr_array_unref (job->bookings);
  json_object_unref (job->unknown);
  g_free (job);
}

static void
compact_in_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  CompactJob *job = task_data;
  g_autoptr(GBytes) bytes = serialize_snapshot (job->bookings, job->unknown);
  g_autoptr(GError) error = NULL;

  if (!okno_write_file (job->snapshot_path, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), &error) ||
      !remove_old_journal (job->old_journal_path, job->dir, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

static void
compacted_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(OknoLedger) self = user_data;
  g_autoptr(GError) error = NULL;

  self->compacting = FALSE;
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    g_warning ("Ledger compaction failed (the journals keep everything): %s", error->message);
  else
    g_debug ("Compacted the ledger");
}

/* Starts a new journal and writes the snapshot in a worker thread. */
static gboolean
compact_in_background (OknoLedger  *self,
                       GError     **error)
{
  g_autoptr(GTask) task = NULL;
  CompactJob *job;
  int fd;

  /* A previous background compaction failed: do it the slow, sure way. */
  if (g_file_test (self->old_journal_path, G_FILE_TEST_EXISTS))
    return okno_ledger_compact (self, error);

  if (g_rename (self->journal_path, self->old_journal_path) != 0)
    {
      int saved = errno;
      g_set_error (error, OKNO_DATA_ERROR, OKNO_DATA_ERROR_IO,
                   "Cannot rotate the journal: %s", g_strerror (saved));
      return FALSE;
    }

  fd = self->journal_fd;
  self->journal_fd = -1;
  if (!open_journal (self, error))
    {
      /* Keep appending to the renamed journal: it is replayed at load. */
      self->journal_fd = fd;
      return FALSE;
    }
  close (fd);
  self->journal_length = 0;

  job = g_new0 (CompactJob, 1);
  job->snapshot_path = g_strdup (self->snapshot_path);
  job->old_journal_path = g_strdup (self->old_journal_path);
  job->dir = g_strdup (self->dir);
  job->bookings = dup_bookings (self);
  job->unknown = dup_unknown (self);

  self->compacting = TRUE;
  task = g_task_new (NULL, NULL, compacted_cb, g_object_ref (self));
  g_task_set_source_tag (task, compact_in_background);
  g_task_set_task_data (task, job, (GDestroyNotify) compact_job_free);
  g_task_run_in_thread (task, compact_in_thread);

  return TRUE;
}

static gboolean
compact_idle_cb (gpointer user_data)
{
  OknoLedger *self = user_data;
  g_autoptr(GError) error = NULL;

  self->compact_source = 0;
  if (!self->compacting && !compact_in_background (self, &error))
    g_warning ("Ledger compaction failed (the journal keeps everything): %s", error->message);

  return G_SOURCE_REMOVE;
}

static void
okno_ledger_dispose (GObject *object)
{
  OknoLedger *self = (OknoLedger *) object;

  g_clear_handle_id (&self->compact_source, g_source_remove);

  G_OBJECT_CLASS (okno_ledger_parent_class)->dispose (object);
}

static void
okno_ledger_finalize (GObject *object)
{
  OknoLedger *self = (OknoLedger *) object;

  if (self->journal_fd >= 0)
    close (self->journal_fd);

  g_clear_pointer (&self->by_id, g_hash_table_unref);
  g_clear_pointer (&self->active_by_slot, g_hash_table_unref);
  g_clear_pointer (&self->by_idempotency, g_hash_table_unref);
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
}

/**
 * okno_ledger_new:
 * @dir: the data folder, which the caller has locked
 *
 * Loads the snapshot, replays the journal and compacts it. Refuses (and
 * leaves every file as it is) when the snapshot cannot be read.
 */
OknoLedger *
okno_ledger_new (const char  *dir,
                 GError     **error)
{
  g_autoptr(OknoLedger) self = NULL;
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

  records = 0;
  damaged = g_file_test (self->old_journal_path, G_FILE_TEST_EXISTS);
  if (!load_snapshot (self, error) ||
      !replay_journal (self, self->old_journal_path, &records, &damaged, error) ||
      !replay_journal (self, self->journal_path, &records, &damaged, error) ||
      !open_journal (self, error))
    return NULL;

  /* A fresh folder gets an empty bookings.json at once, so a person who
   * looks finds the ledger where the README says it is. */
  self->journal_length = records;
  if ((records > 0 || damaged || !g_file_test (self->snapshot_path, G_FILE_TEST_EXISTS)) &&
      !okno_ledger_compact (self, error))
    return NULL;

  g_debug ("Loaded %u bookings (%u from the journal)",
           g_list_model_get_n_items (G_LIST_MODEL (self->bookings)), records);

  return g_steal_pointer (&self);
}

/**
 * okno_ledger_put:
 *
 * Stores @booking (new, or a new state of one with the same id) and returns
 * only once it is on disk. On failure nothing changes, in memory or on disk.
 */
gboolean
okno_ledger_put (OknoLedger   *self,
                 OknoBooking  *booking,
                 GError      **error)
{
  g_autoptr(JsonObject) record = json_object_new ();
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  g_autofree char *line = NULL;
  g_autofree char *data = NULL;
  off_t before;
  gsize length;

  g_return_val_if_fail (OKNO_IS_LEDGER (self), FALSE);
  g_return_val_if_fail (OKNO_IS_BOOKING (booking), FALSE);

  json_object_set_object_member (record, "put", okno_booking_to_json (booking));
  json_node_set_object (node, record);
  line = json_to_string (node, FALSE);
  data = g_strconcat (line, "\n", NULL);
  length = strlen (data);

  before = lseek (self->journal_fd, 0, SEEK_END);
  if (!write_all (self->journal_fd, data, length, error) ||
      fdatasync (self->journal_fd) != 0)
    {
      int saved = errno;

      /* Leave no half line behind for the next append to extend. */
      if (before >= 0 && ftruncate (self->journal_fd, before) != 0)
        g_warning ("Cannot trim the journal after a failed write: %s", g_strerror (errno));
      if (error && *error == NULL)
        g_set_error (error, OKNO_DATA_ERROR, OKNO_DATA_ERROR_IO,
                     _("Cannot write the ledger: %s"), g_strerror (saved));
      return FALSE;
    }

  index_booking (self, booking);

  if (++self->journal_length >= self->compact_after && self->compact_source == 0)
    self->compact_source = g_idle_add_full (G_PRIORITY_LOW, compact_idle_cb, self, NULL);

  return TRUE;
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

guint
okno_ledger_get_journal_length (OknoLedger *self)
{
  g_return_val_if_fail (OKNO_IS_LEDGER (self), 0);
  return self->journal_length;
}

/**
 * okno_ledger_compact:
 *
 * Writes every booking to a new snapshot, replaces the old one atomically,
 * then empties the journals. Waits for a background compaction first.
 */
gboolean
okno_ledger_compact (OknoLedger  *self,
                     GError     **error)
{
  g_autoptr(GPtrArray) bookings = NULL;
  g_autoptr(GBytes) bytes = NULL;

  g_return_val_if_fail (OKNO_IS_LEDGER (self), FALSE);

  while (self->compacting)
    g_main_context_iteration (NULL, TRUE);

  bookings = dup_bookings (self);
  bytes = serialize_snapshot (bookings, self->snapshot_unknown);

  if (!okno_write_file (self->snapshot_path, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), error) ||
      !remove_old_journal (self->old_journal_path, self->dir, error))
    return FALSE;

  if (ftruncate (self->journal_fd, 0) != 0 || fsync (self->journal_fd) != 0)
    {
      int saved = errno;
      g_set_error (error, OKNO_DATA_ERROR, OKNO_DATA_ERROR_IO,
                   "Cannot empty the journal: %s", g_strerror (saved));
      return FALSE;
    }

  self->journal_length = 0;
  return TRUE;
}

/* Whether a background compaction is under way. */
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
}
