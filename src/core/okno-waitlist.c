/* okno-waitlist.c
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "OknoWaitlist"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "okno-errors.h"
#include "okno-journal-record.h"
#include "okno-json-util.h"
#include "okno-outbox.h"
#include "okno-time.h"
#include "okno-token.h"
#include "okno-waitlist.h"

/* Clients waiting for a time to open. Kept in waitlist.json in the data
 * folder, {"version": 1, "entries": [entry…]}, each entry
 *   {"id", "created", "name", "email"?, "phone"?, "telegram"?,
 *    "days": [1…7] (ISO weekdays; empty: any), "times": ["morning",
 *    "afternoon", "evening"] (empty: any), "tokenHash", "lang", "pageUrl",
 *    "offered": ["<slot id>@<start>"…]}
 * and members a newer Okno added, kept as they are. Every change is written
 * whole to a temporary file, synced and renamed over the old one, on a
 * worker thread; an answer that depends on it waits for that.
 *
 * When a time opens (the schedule changes and a bookable slot appears that
 * was not bookable before: a cancellation, a move, a slot Olga publishes in
 * the window, the command line or her calendar), each entry it suits is
 * told once, through the outbox, in one journal line: a client with an
 * email gets a "waitlist-offer" item of kind "email"; the others are listed
 * to Olga in one "waitlist-contact" item per channel she uses (if she uses
 * none, as an attention item). An entry ends when its client books (by any
 * of its contacts), after OKNO_WAITLIST_MAX_DAYS days, when the client
 * leaves by the unsubscribe link, or when Olga removes it. */

#define FILE_NAME      "waitlist.json"

/* The client's own email (engineer N1's sink; OKNO_NOTIFY_KIND_CLIENT_EMAIL
 * there): offers go to it only while it is among the booking service's
 * kinds, that is while Okno can send email. */
#define CLIENT_EMAIL   "client-email"

/* Olga's mailbox (N1's "email" kind) has no "waitlist-contact" message:
 * that goes to her other channels (Telegram, the desktop). */
#define OLGA_EMAIL     "email"
#define FILE_VERSION   1

struct _OknoWaitlist
{
  GObject             parent_instance;

  OknoBookingService *service;
  OknoSchedule       *schedule;
  char               *path;
  GPtrArray          *entries;      /* JsonObject, oldest first */
  JsonObject         *extra;        /* the file's other top-level members */
  GHashTable         *open;         /* "<slot id>@<start>" bookable at the last look */
  guint               check_source;
  guint               expire_source;

  /* Writes: each change makes a new generation; the thread writes the
   * newest snapshot; tasks wait for their generation. */
  GMutex              write_lock;
  guint64             generation;
  guint64             written;      /* under write_lock */
  guint64             writing;      /* generation in flight, 0 if none */
  GList              *waiting;      /* GTask, each with its generation */
  guint               offering;     /* offers whose journal line is being written */
};

G_DEFINE_FINAL_TYPE (OknoWaitlist, okno_waitlist, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_COUNT,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

enum {
  CHANGED,
  SLOT_OPENED,
  N_SIGNALS
};

static guint signals [N_SIGNALS];

static const char * const time_names[] = { "morning", "afternoon", "evening" };

static void start_write (OknoWaitlist *self);

/* Helpers */

static JsonArray *
get_array (JsonObject *object,
           const char *member,
           gpointer    fallback)
{
  JsonNode *node = object ? json_object_get_member (object, member) : NULL;

  return node && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : fallback;
}


static char *
now_text (GDateTime *now)
{
  return g_date_time_format_iso8601 (now);
}

static GDateTime *
entry_created (JsonObject *entry)
{
  const char *text = json_object_get_string_member_with_default (entry, "created", NULL);

  return text ? g_date_time_new_from_iso8601 (text, NULL) : NULL;
}

static gboolean
entry_is_expired (JsonObject *entry,
                  GDateTime  *now)
{
  g_autoptr(GDateTime) created = entry_created (entry);
  g_autoptr(GDateTime) ends = NULL;

  if (created == NULL)
    return TRUE;
  ends = g_date_time_add_days (created, OKNO_WAITLIST_MAX_DAYS);
  return g_date_time_compare (now, ends) >= 0;
}

static gboolean
entry_is_valid (JsonObject *entry)
{
  static const char * const required[] = { "id", "created", "name", "tokenHash" };

  for (guint i = 0; i < G_N_ELEMENTS (required); i++)
    {
      JsonNode *node = json_object_get_member (entry, required[i]);

      if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
        return FALSE;
    }
  return TRUE;
}

static JsonObject *
find_entry (OknoWaitlist *self,
            const char   *id,
            guint        *index)
{
  for (guint i = 0; id != NULL && i < self->entries->len; i++)
    {
      JsonObject *entry = g_ptr_array_index (self->entries, i);

      if (g_strcmp0 (json_object_get_string_member (entry, "id"), id) == 0)
        {
          if (index)
            *index = i;
          return entry;
        }
    }
  return NULL;
}

/* A contact as compared to a booking's: a phone by its digits, an email
 * and a Telegram handle (without «@») case-insensitively. */
static char *
contact_key (const char *kind,
             const char *value)
{
  if (value == NULL || value[0] == '\0')
    return NULL;

  if (g_str_equal (kind, "phone"))
    {
      GString *out = g_string_new ("phone:+");

      for (const char *p = value; *p; p++)
        if (g_ascii_isdigit (*p))
          g_string_append_c (out, *p);
      return g_string_free (out, FALSE);
    }

  if (g_str_equal (kind, "telegram") && value[0] == '@')
    value++;

  {
    g_autofree char *folded = g_utf8_casefold (value, -1);

    return g_strconcat (kind, ":", folded, NULL);
  }
}

static char *
opened_key (OknoSlot *slot)
{
  g_autofree char *start = okno_time_format_rfc3339 (okno_slot_get_start (slot), NULL);

  return g_strdup_printf ("%s@%s", okno_slot_get_id (slot), start);
}

static JsonNode *
build_file (OknoWaitlist *self)
{
  g_autoptr(JsonObject) root = self->extra ? okno_json_object_deep_copy (self->extra) : json_object_new ();
  JsonArray *entries = json_array_new ();
  JsonNode *node;

  for (guint i = 0; i < self->entries->len; i++)
    json_array_add_object_element (entries, okno_json_object_deep_copy (g_ptr_array_index (self->entries, i)));
  json_object_set_int_member (root, "version", FILE_VERSION);
  json_object_set_array_member (root, "entries", entries);

  node = json_node_new (JSON_NODE_OBJECT);
  json_node_set_object (node, root);
  return node;
}

static char *
serialize (OknoWaitlist *self)
{
  g_autoptr(JsonNode) root = build_file (self);
  g_autoptr(JsonGenerator) generator = json_generator_new ();

  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  return json_generator_to_data (generator, NULL);
}

/* Writes @data unless a newer generation is already on disk. */
static gboolean
write_file (OknoWaitlist  *self,
            const char    *data,
            guint64        generation,
            GError       **error)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->write_lock);
  g_autoptr(GError) local_error = NULL;

  if (generation <= self->written)
    return TRUE;

  if (!g_file_set_contents_full (self->path, data, -1,
                                 G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                 0600, &local_error))
    {
      g_set_error (error, OKNO_DATA_ERROR, OKNO_DATA_ERROR_IO,
                   _("Cannot write the waitlist: %s"), local_error->message);
      return FALSE;
    }

  self->written = generation;
  return TRUE;
}

static void
changed (OknoWaitlist *self)
{
  self->generation++;
  g_signal_emit (self, signals [CHANGED], 0);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_COUNT]);
}

/* Writing on a thread */

typedef struct
{
  char    *data;
  guint64  generation;
} WriteJob;

static void
write_job_free (WriteJob *job)
{
  g_free (job->data);
  g_free (job);
}

static void
write_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  WriteJob *job = task_data;
  GError *error = NULL;

  if (write_file (source_object, job->data, job->generation, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
written_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  OknoWaitlist *self = OKNO_WAITLIST (object);
  WriteJob *job = g_task_get_task_data (G_TASK (result));
  guint64 generation = job->generation;
  g_autoptr(GError) error = NULL;
  GList *still = NULL;

  g_task_propagate_boolean (G_TASK (result), &error);
  self->writing = 0;
  if (error != NULL)
    g_warning ("%s", error->message);

  for (GList *l = self->waiting; l; l = l->next)
    {
      GTask *task = l->data;
      guint64 wanted = GPOINTER_TO_SIZE (g_task_get_task_data (task));

      if (wanted > generation)
        still = g_list_prepend (still, task);
      else if (error != NULL)
        {
          g_task_return_error (task, g_error_copy (error));
          g_object_unref (task);
        }
      else
        {
          g_task_return_boolean (task, TRUE);
          g_object_unref (task);
        }
    }
  g_list_free (self->waiting);
  self->waiting = g_list_reverse (still);

  if (self->generation > generation)
    start_write (self);
  g_object_unref (self);
}

static void
start_write (OknoWaitlist *self)
{
  g_autoptr(GTask) task = NULL;
  WriteJob *job;

  if (self->writing != 0)
    return;

  job = g_new0 (WriteJob, 1);
  job->data = serialize (self);
  job->generation = self->generation;
  self->writing = job->generation;

  task = g_task_new (g_object_ref (self), NULL, written_cb, NULL);
  g_task_set_source_tag (task, start_write);
  g_task_set_task_data (task, job, (GDestroyNotify) write_job_free);
  g_task_run_in_thread (task, write_thread);
}

/* Answers @task once the current state is on disk. */
static void
save_then_return (OknoWaitlist *self,
                  GTask        *task)
{
  g_task_set_task_data (task, GSIZE_TO_POINTER (self->generation), NULL);
  self->waiting = g_list_append (self->waiting, g_object_ref (task));
  start_write (self);
}

static void
save_quietly (OknoWaitlist *self)
{
  start_write (self);
}

/* Matching */

/**
 * okno_waitlist_days_from_json:
 *
 * Returns: the entry's weekdays as bits 1 << 1 (Monday) … 1 << 7 (Sunday);
 *   0 for any day
 */
guint
okno_waitlist_days_from_json (JsonObject *entry)
{
  JsonArray *days = get_array (entry, "days", NULL);
  guint mask = 0;

  for (guint i = 0; days && i < json_array_get_length (days); i++)
    {
      JsonNode *node = json_array_get_element (days, i);

      if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_INT64)
        {
          gint64 day = json_node_get_int (node);

          if (day >= 1 && day <= 7)
            mask |= 1u << day;
        }
    }
  return mask;
}

/* Returns: the entry's OknoWaitlistTimes; 0 for any time */
guint
okno_waitlist_times_from_json (JsonObject *entry)
{
  JsonArray *times = get_array (entry, "times", NULL);
  guint mask = 0;

  for (guint i = 0; times && i < json_array_get_length (times); i++)
    {
      const char *name = json_array_get_string_element (times, i);

      for (guint t = 0; name && t < G_N_ELEMENTS (time_names); t++)
        if (g_str_equal (name, time_names[t]))
          mask |= 1u << t;
    }
  return mask;
}

/**
 * okno_waitlist_matches:
 * @start: when a slot starts
 * @zone: Olga's zone, in which days and times of day are meant
 *
 * Returns: whether a slot starting at @start suits @entry
 */
gboolean
okno_waitlist_matches (JsonObject *entry,
                       GDateTime  *start,
                       GTimeZone  *zone)
{
  g_autoptr(GDateTime) local = g_date_time_to_timezone (start, zone);
  guint days = okno_waitlist_days_from_json (entry);
  guint times = okno_waitlist_times_from_json (entry);
  int hour = g_date_time_get_hour (local);
  guint part;

  if (days != 0 && !(days & (1u << g_date_time_get_day_of_week (local))))
    return FALSE;

  part = hour < 12 ? OKNO_WAITLIST_MORNING : hour < 17 ? OKNO_WAITLIST_AFTERNOON : OKNO_WAITLIST_EVENING;
  return times == 0 || (times & part) != 0;
}

/* Offers */

static JsonObject *
slot_object (OknoSlot  *slot,
             GTimeZone *zone)
{
  JsonObject *object = json_object_new ();
  g_autofree char *start = okno_time_format_rfc3339 (okno_slot_get_start (slot), zone);
  g_autofree char *end = okno_time_format_rfc3339 (okno_slot_get_end (slot), zone);

  json_object_set_string_member (object, "id", okno_slot_get_id (slot));
  json_object_set_string_member (object, "start", start);
  json_object_set_string_member (object, "end", end);
  if (okno_slot_get_session_type (slot) != NULL)
    json_object_set_string_member (object, "sessionType", okno_slot_get_session_type (slot));
  return object;
}

static char *
book_url (JsonObject *entry,
          OknoSlot   *slot)
{
  const char *base = json_object_get_string_member_with_default (entry, "pageUrl", "");
  const char *lang = json_object_get_string_member_with_default (entry, "lang", "ru");

  return g_strdup_printf ("%s/book?slot=%s&lang=%s", base, okno_slot_get_id (slot), lang);
}

static void
copy_member (JsonObject *to,
             JsonObject *from,
             const char *member)
{
  const char *value = json_object_get_string_member_with_default (from, member, NULL);

  if (value != NULL)
    json_object_set_string_member (to, member, value);
}

static char *
epoch_text (OknoSlot *slot)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT, g_date_time_to_unix (okno_slot_get_start (slot)));
}

typedef struct
{
  OknoWaitlist *self;
  GPtrArray    *ids;     /* entries told */
  char         *key;     /* the opened time */
} Offer;

static void
offer_free (Offer *offer)
{
  g_object_unref (offer->self);
  g_ptr_array_unref (offer->ids);
  g_free (offer->key);
  g_free (offer);
}

/* The offer is durable in the journal: now the entries remember it. */
static void
mark_offered (OknoWaitlist *self,
              GPtrArray    *ids,
              const char   *key)
{
  for (guint i = 0; i < ids->len; i++)
    {
      JsonObject *entry = find_entry (self, g_ptr_array_index (ids, i), NULL);
      JsonArray *offered;

      if (entry == NULL)
        continue;
      offered = get_array (entry, "offered", NULL);
      if (offered == NULL)
        {
          offered = json_array_new ();
          json_object_set_array_member (entry, "offered", offered);
        }
      json_array_add_string_element (offered, key);
    }
  if (ids->len > 0)
    changed (self);
}

static gboolean
was_offered (JsonObject *entry,
             const char *key)
{
  JsonArray *offered = get_array (entry, "offered", NULL);

  for (guint i = 0; offered && i < json_array_get_length (offered); i++)
    if (g_strcmp0 (json_array_get_string_element (offered, i), key) == 0)
      return TRUE;
  return FALSE;
}

static void
offer_appended_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  Offer *offer = user_data;
  g_autoptr(GError) error = NULL;

  offer->self->offering--;
  if (!okno_ledger_append_finish (OKNO_LEDGER (object), result, &error))
    g_warning ("Cannot record the waitlist offer: %s", error->message);
  else
    save_quietly (offer->self);
  offer_free (offer);
}

/* The journal line that tells everyone waiting for @slot, or %NULL. */
static OknoJournalRecord *
build_offer (OknoWaitlist *self,
             OknoSlot     *slot,
             const char   *key,
             GPtrArray    *ids)
{
  GTimeZone *zone = okno_schedule_get_time_zone (self->schedule);
  const char *zone_name = okno_schedule_get_time_zone_name (self->schedule);
  const char * const *kinds = okno_booking_service_get_notify_kinds (self->service);
  g_autoptr(OknoJournalRecord) record = okno_journal_record_new ();
  g_autofree char *epoch = epoch_text (slot);
  JsonArray *waiting = json_array_new ();
  g_autofree char *olga_url = NULL;
  gboolean client_email = kinds != NULL && g_strv_contains (kinds, CLIENT_EMAIL);

  for (guint i = 0; i < self->entries->len; i++)
    {
      JsonObject *entry = g_ptr_array_index (self->entries, i);
      const char *id = json_object_get_string_member (entry, "id");
      const char *email = json_object_get_string_member_with_default (entry, "email", NULL);
      g_autofree char *url = NULL;

      if (!okno_waitlist_matches (entry, okno_slot_get_start (slot), zone) || was_offered (entry, key))
        continue;

      g_ptr_array_add (ids, g_strdup (id));
      url = book_url (entry, slot);
      if (email != NULL && client_email)
        {
          g_autoptr(JsonObject) payload = json_object_new ();
          g_autoptr(JsonObject) item = NULL;
          g_autofree char *item_key = g_strdup_printf ("waitlist.%s.%s.%s.%s", id, okno_slot_get_id (slot), epoch, CLIENT_EMAIL);
          JsonObject *client = json_object_new ();

          json_object_set_string_member (client, "id", id);
          copy_member (client, entry, "name");
          copy_member (client, entry, "email");
          copy_member (client, entry, "lang");
          json_object_set_string_member (payload, "event", "waitlist-offer");
          json_object_set_object_member (payload, "waitlist", client);
          json_object_set_object_member (payload, "slot", slot_object (slot, zone));
          json_object_set_string_member (payload, "bookUrl", url);
          json_object_set_string_member (payload, "timeZone", zone_name);
          item = okno_outbox_item_new (item_key, CLIENT_EMAIL, payload);
          okno_journal_record_add_outbox (record, item);
        }
      else
        {
          JsonObject *person = json_object_new ();

          json_object_set_string_member (person, "id", id);
          copy_member (person, entry, "name");
          copy_member (person, entry, "email");
          copy_member (person, entry, "phone");
          copy_member (person, entry, "telegram");
          json_array_add_object_element (waiting, person);
          if (olga_url == NULL)
            olga_url = g_steal_pointer (&url);
        }
    }

  if (json_array_get_length (waiting) > 0)
    {
      g_autoptr(JsonObject) payload = json_object_new ();
      guint n_kinds = 0;

      json_object_set_string_member (payload, "event", "waitlist-contact");
      json_object_set_object_member (payload, "slot", slot_object (slot, zone));
      json_object_set_array_member (payload, "waiting", json_array_ref (waiting));
      json_object_set_string_member (payload, "bookUrl", olga_url);
      json_object_set_string_member (payload, "timeZone", zone_name);

      for (guint k = 0; kinds && kinds[k]; k++)
        {
          if (g_str_equal (kinds[k], OLGA_EMAIL) || g_str_equal (kinds[k], CLIENT_EMAIL))
            continue;

          g_autofree char *item_key = g_strdup_printf ("waitlist.%s.%s.%s", okno_slot_get_id (slot), epoch, kinds[k]);
          g_autoptr(JsonObject) item = okno_outbox_item_new (item_key, kinds[k], payload);

          okno_journal_record_add_outbox (record, item);
          n_kinds++;
        }

      /* No channel to Olga: she sees it under "Needs attention". */
      if (n_kinds == 0)
        {
          g_autofree char *message = okno_waitlist_format_contact_message (payload, zone);
          g_autoptr(JsonObject) item = okno_attention_item_new ("waitlist", key, message);

          okno_journal_record_add_attention (record, item);
        }
    }
  json_array_unref (waiting);

  if (okno_journal_record_is_empty (record))
    return NULL;
  return g_steal_pointer (&record);
}

/**
 * okno_waitlist_slot_opened:
 * @slot: a slot that has just become bookable
 *
 * Tells everyone waiting for a time like @slot's, once per opened time
 * (the slot at its start): the journal line goes to the ledger now, and the
 * entries remember the offer once it is durable.
 */
void
okno_waitlist_slot_opened (OknoWaitlist *self,
                           OknoSlot     *slot,
                           GDateTime    *now)
{
  g_autoptr(OknoJournalRecord) record = NULL;
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *key = NULL;
  Offer *offer;

  g_return_if_fail (OKNO_IS_WAITLIST (self));
  g_return_if_fail (OKNO_IS_SLOT (slot));
  g_return_if_fail (now != NULL);

  okno_waitlist_expire (self, now);
  g_signal_emit (self, signals [SLOT_OPENED], 0, slot);

  key = opened_key (slot);
  if (!(record = build_offer (self, slot, key, ids)))
    return;

  g_debug ("A time opened for %u waiting", ids->len);
  /* Remembered at once, so that no second look offers it again; on disk
   * once the offer is. */
  mark_offered (self, ids, key);
  self->offering++;
  offer = g_new0 (Offer, 1);
  offer->self = g_object_ref (self);
  offer->ids = g_ptr_array_ref (ids);
  offer->key = g_steal_pointer (&key);
  okno_ledger_append_async (okno_schedule_get_ledger (self->schedule), g_steal_pointer (&record), NULL,
                            offer_appended_cb, offer);
}

/**
 * okno_waitlist_check_opened:
 *
 * Compares what is bookable now with the last look and calls
 * okno_waitlist_slot_opened() for each slot that was not bookable then.
 * The first look only remembers.
 */
void
okno_waitlist_check_opened (OknoWaitlist *self,
                            GDateTime    *now)
{
  g_autoptr(GDateTime) to = NULL;
  g_autoptr(GPtrArray) slots = NULL;
  g_autoptr(GHashTable) open = NULL;
  g_autoptr(GPtrArray) opened = g_ptr_array_new_with_free_func (g_object_unref);
  guint window = 30;

  g_return_if_fail (OKNO_IS_WAITLIST (self));

  g_clear_handle_id (&self->check_source, g_source_remove);
  g_object_get (self->schedule, "booking-window-days", &window, NULL);
  to = g_date_time_add_days (now, window + 1);
  slots = okno_schedule_dup_bookable_slots (self->schedule, now, to, now, NULL);
  open = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < slots->len; i++)
    {
      OknoSlot *slot = g_ptr_array_index (slots, i);
      char *key = opened_key (slot);

      if (self->open != NULL && !g_hash_table_contains (self->open, key))
        g_ptr_array_add (opened, g_object_ref (slot));
      g_hash_table_add (open, key);
    }
  g_clear_pointer (&self->open, g_hash_table_unref);
  self->open = g_steal_pointer (&open);

  for (guint i = 0; i < opened->len; i++)
    okno_waitlist_slot_opened (self, g_ptr_array_index (opened, i), now);
}

static gboolean
check_cb (gpointer user_data)
{
  OknoWaitlist *self = user_data;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  self->check_source = 0;
  okno_waitlist_check_opened (self, now);
  return G_SOURCE_REMOVE;
}

/* The schedule changes inside a ledger write or a calendar update: look
 * once things are settled. */
static void
schedule_changed_cb (OknoWaitlist *self)
{
  /* Nobody waits: nothing to look for (a look walks every slot in the
   * booking window, too much for each booking of a large calendar); the
   * next to join looks first. */
  if (self->entries->len == 0)
    {
      g_clear_pointer (&self->open, g_hash_table_unref);
      return;
    }
  if (self->check_source == 0)
    self->check_source = g_idle_add (check_cb, self);
}

/* Entries end after OKNO_WAITLIST_MAX_DAYS days even when nothing else
 * happens: looked at hourly. */
static gboolean
expire_cb (gpointer user_data)
{
  OknoWaitlist *self = user_data;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  okno_waitlist_expire (self, now);
  return G_SOURCE_CONTINUE;
}

/* A booking ends the entries of its client, by any of its contacts. */
static void
booking_added_cb (OknoWaitlist *self,
                  OknoBooking  *booking)
{
  static const char * const kinds[] = { "email", "phone", "telegram" };
  gboolean removed = FALSE;

  for (guint i = self->entries->len; i > 0; i--)
    {
      JsonObject *entry = g_ptr_array_index (self->entries, i - 1);

      for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
        {
          g_autofree char *mine = contact_key (kinds[k], json_object_get_string_member_with_default (entry, kinds[k], NULL));
          g_autofree char *theirs = contact_key (kinds[k], okno_booking_get_field (booking, kinds[k]));

          if (mine != NULL && g_strcmp0 (mine, theirs) == 0)
            {
              g_debug ("Entry %s booked", json_object_get_string_member (entry, "id"));
              g_ptr_array_remove_index (self->entries, i - 1);
              removed = TRUE;
              break;
            }
        }
    }

  if (removed)
    {
      changed (self);
      save_quietly (self);
    }
}

/* Loading */

static gboolean
load (OknoWaitlist  *self,
      GError       **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local_error = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;
  JsonNode *root;
  JsonObject *object;
  JsonArray *entries;

  if (!g_file_get_contents (self->path, &contents, &length, &local_error))
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return TRUE;
      g_set_error (error, OKNO_DATA_ERROR, OKNO_DATA_ERROR_IO, "%s", local_error->message);
      return FALSE;
    }

  if (!json_parser_load_from_data (parser, contents, length, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (root = json_parser_get_root (parser)))
    {
      g_autofree char *kept = okno_json_keep_damaged (self->path, contents, length, NULL);
      g_autofree char *message = NULL;
      g_autoptr(JsonObject) item = NULL;

      /* Translators: %s is the copy of the damaged file */
      message = g_strdup_printf (_("The waitlist was damaged and has been set aside as %s; it starts empty."),
                                 kept ? kept : self->path);
      g_message ("%s", message);
      item = okno_attention_item_new ("damaged-record", FILE_NAME, message);
      okno_ledger_add_attention (okno_schedule_get_ledger (self->schedule), item);
      return TRUE;
    }

  object = json_node_get_object (root);
  if (json_object_get_int_member_with_default (object, "version", FILE_VERSION) > FILE_VERSION)
    {
      g_set_error (error, OKNO_DATA_ERROR, OKNO_DATA_ERROR_SCHEMA,
                   _("%s was written by a newer Okno"), self->path);
      return FALSE;
    }

  entries = get_array (object, "entries", NULL);
  for (guint i = 0; entries && i < json_array_get_length (entries); i++)
    {
      JsonNode *node = json_array_get_element (entries, i);

      if (JSON_NODE_HOLDS_OBJECT (node) && entry_is_valid (json_node_get_object (node)))
        g_ptr_array_add (self->entries, okno_json_object_deep_copy (json_node_get_object (node)));
      else
        g_message ("A damaged waitlist entry was left out");
    }

  self->extra = okno_json_object_deep_copy (object);
  json_object_remove_member (self->extra, "entries");
  json_object_remove_member (self->extra, "version");
  return TRUE;
}

/* GObject */

static void
okno_waitlist_dispose (GObject *object)
{
  OknoWaitlist *self = (OknoWaitlist *) object;

  g_clear_handle_id (&self->check_source, g_source_remove);
  g_clear_handle_id (&self->expire_source, g_source_remove);
  if (self->schedule != NULL)
    g_signal_handlers_disconnect_by_data (self->schedule, self);
  if (self->service != NULL)
    g_signal_handlers_disconnect_by_data (self->service, self);
  g_clear_object (&self->schedule);
  g_clear_object (&self->service);

  G_OBJECT_CLASS (okno_waitlist_parent_class)->dispose (object);
}

static void
okno_waitlist_finalize (GObject *object)
{
  OknoWaitlist *self = (OknoWaitlist *) object;

  g_assert (self->waiting == NULL);
  g_free (self->path);
  g_ptr_array_unref (self->entries);
  g_clear_pointer (&self->extra, json_object_unref);
  g_clear_pointer (&self->open, g_hash_table_unref);
  g_mutex_clear (&self->write_lock);

  G_OBJECT_CLASS (okno_waitlist_parent_class)->finalize (object);
}

static void
okno_waitlist_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  OknoWaitlist *self = OKNO_WAITLIST (object);

  switch (prop_id)
    {
    case PROP_COUNT:
      g_value_set_uint (value, self->entries->len);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
okno_waitlist_class_init (OknoWaitlistClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = okno_waitlist_dispose;
  object_class->finalize = okno_waitlist_finalize;
  object_class->get_property = okno_waitlist_get_property;

  /**
   * OknoWaitlist:count:
   *
   * How many entries are kept (expired ones until the next look).
   */
  properties [PROP_COUNT] =
    g_param_spec_uint ("count", NULL, NULL,
                       0, G_MAXUINT, 0,
                       (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * OknoWaitlist::changed:
   *
   * Entries came, went or changed.
   */
  signals [CHANGED] =
    g_signal_new ("changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  /**
   * OknoWaitlist::slot-opened:
   * @slot: a slot that has just become bookable
   *
   * A time opened (emitted before the waiting are told).
   */
  signals [SLOT_OPENED] =
    g_signal_new ("slot-opened",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, OKNO_TYPE_SLOT);
}

static void
okno_waitlist_init (OknoWaitlist *self)
{
  self->entries = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  g_mutex_init (&self->write_lock);
}

/* Public API */

/**
 * okno_waitlist_new:
 * @service: the booking service: its schedule, its ledger (where offers
 *   go), its bookings (which end entries) and its notification kinds
 * @dir: the data folder, which holds waitlist.json
 *
 * Returns: (transfer full): the waitlist, or %NULL when its file was written
 *   by a newer Okno
 */
OknoWaitlist *
okno_waitlist_new (OknoBookingService  *service,
                   const char          *dir,
                   GError             **error)
{
  g_autoptr(OknoWaitlist) self = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  g_return_val_if_fail (OKNO_IS_BOOKING_SERVICE (service), NULL);
  g_return_val_if_fail (dir != NULL, NULL);

  self = g_object_new (OKNO_TYPE_WAITLIST, NULL);
  self->service = g_object_ref (service);
  self->schedule = g_object_ref (okno_booking_service_get_schedule (service));
  self->path = g_build_filename (dir, FILE_NAME, NULL);
  if (!load (self, error))
    return NULL;

  g_signal_connect_swapped (self->schedule, "changed", G_CALLBACK (schedule_changed_cb), self);
  g_signal_connect_swapped (self->service, "booking-added", G_CALLBACK (booking_added_cb), self);
  self->expire_source = g_timeout_add_seconds (3600, expire_cb, self);
  okno_waitlist_expire (self, now);
  okno_waitlist_check_opened (self, now);

  return g_steal_pointer (&self);
}

const char *
okno_waitlist_get_path (OknoWaitlist *self)
{
  g_return_val_if_fail (OKNO_IS_WAITLIST (self), NULL);
  return self->path;
}

/* Whether a look for opened times, an offer's journal line or a write is
 * still on its way. */
gboolean
okno_waitlist_is_busy (OknoWaitlist *self)
{
  g_return_val_if_fail (OKNO_IS_WAITLIST (self), FALSE);
  return self->check_source != 0 || self->writing != 0 || self->waiting != NULL || self->offering > 0;
}

guint
okno_waitlist_get_count (OknoWaitlist *self)
{
  g_return_val_if_fail (OKNO_IS_WAITLIST (self), 0);
  return self->entries->len;
}

/**
 * okno_waitlist_expire:
 *
 * Ends the entries older than OKNO_WAITLIST_MAX_DAYS days at @now.
 *
 * Returns: how many ended
 */
guint
okno_waitlist_expire (OknoWaitlist *self,
                      GDateTime    *now)
{
  guint n = 0;

  g_return_val_if_fail (OKNO_IS_WAITLIST (self), 0);
  g_return_val_if_fail (now != NULL, 0);

  for (guint i = self->entries->len; i > 0; i--)
    if (entry_is_expired (g_ptr_array_index (self->entries, i - 1), now))
      {
        g_ptr_array_remove_index (self->entries, i - 1);
        n++;
      }

  if (n > 0)
    {
      g_debug ("%u waitlist entries expired", n);
      changed (self);
      save_quietly (self);
    }
  return n;
}

/**
 * okno_waitlist_dup_entries:
 *
 * Returns: (transfer container) (element-type JsonObject): copies of the
 *   entries still waiting at @now, oldest first; the token hash left out
 */
GPtrArray *
okno_waitlist_dup_entries (OknoWaitlist *self,
                           GDateTime    *now)
{
  GPtrArray *entries;

  g_return_val_if_fail (OKNO_IS_WAITLIST (self), NULL);
  g_return_val_if_fail (now != NULL, NULL);

  entries = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  for (guint i = 0; i < self->entries->len; i++)
    {
      JsonObject *entry = g_ptr_array_index (self->entries, i);
      JsonObject *copy;

      if (entry_is_expired (entry, now))
        continue;
      copy = okno_json_object_deep_copy (entry);
      json_object_remove_member (copy, "tokenHash");
      g_ptr_array_add (entries, copy);
    }
  return entries;
}

typedef struct
{
  JsonObject *entry;
  char       *token;
} Joined;

static void
joined_free (Joined *joined)
{
  json_object_unref (joined->entry);
  g_free (joined->token);
  g_free (joined);
}

static void
join_saved_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  OknoWaitlist *self = OKNO_WAITLIST (object);
  Joined *joined = g_object_get_data (G_OBJECT (task), "joined");
  GError *error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      guint index;

      /* Not on disk: not joined. */
      if (find_entry (self, json_object_get_string_member (joined->entry, "id"), &index))
        {
          g_ptr_array_remove_index (self->entries, index);
          changed (self);
        }
      g_task_return_error (task, error);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

/**
 * okno_waitlist_join_async:
 * @contact: the name and contacts, as for a booking (slot_id, note and
 *   time_zone unused); validated (and normalized) here
 * @days: weekdays that suit, bits 1 << 1 (Monday) … 1 << 7; 0 for any
 * @times: #OknoWaitlistTimes that suit; 0 for any
 * @page_url: the page's address as the client reached it (links in offers)
 * @lang: the client's language ("ru", "en")
 *
 * Adds an entry and answers once it is on disk. Invalid input fails with
 * %OKNO_BOOKING_ERROR_INVALID; the field errors are in the task's
 * "field-errors" data for the web.
 */
void
okno_waitlist_join_async (OknoWaitlist        *self,
                          OknoBookingRequest  *contact,
                          guint                days,
                          guint                times,
                          const char          *page_url,
                          const char          *lang,
                          GDateTime           *now,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GHashTable) errors = NULL;
  g_autofree char *id = NULL;
  g_autofree char *token = NULL;
  g_autofree char *token_hash = NULL;
  g_autofree char *created = NULL;
  JsonObject *entry;
  JsonArray *day_array;
  JsonArray *time_array;
  Joined *joined;

  g_return_if_fail (OKNO_IS_WAITLIST (self));
  g_return_if_fail (contact != NULL);
  g_return_if_fail (now != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, okno_waitlist_join_async);

  if (!okno_booking_request_validate (contact, &errors))
    {
      GHashTableIter iter;
      gpointer message = NULL;

      g_hash_table_remove (errors, "slotId");
      g_hash_table_iter_init (&iter, errors);
      if (g_hash_table_iter_next (&iter, NULL, &message))
        {
          g_object_set_data_full (G_OBJECT (task), "field-errors", g_hash_table_ref (errors),
                                  (GDestroyNotify) g_hash_table_unref);
          g_task_return_new_error (task, OKNO_BOOKING_ERROR, OKNO_BOOKING_ERROR_INVALID, "%s",
                                   (const char *) message);
          return;
        }
    }
  if ((days & ~0xfeu) != 0 || (times & ~0x7u) != 0)
    {
      g_task_return_new_error (task, OKNO_BOOKING_ERROR, OKNO_BOOKING_ERROR_INVALID, "%s",
                               N_("Choose days and times from the list."));
      return;
    }

  okno_waitlist_expire (self, now);

  id = okno_booking_id_new ();
  token = okno_token_new ();
  token_hash = okno_token_hash (token);
  created = now_text (now);

  entry = json_object_new ();
  json_object_set_string_member (entry, "id", id);
  json_object_set_string_member (entry, "created", created);
  json_object_set_string_member (entry, "name", contact->name);
  if (contact->email)
    json_object_set_string_member (entry, "email", contact->email);
  if (contact->phone)
    json_object_set_string_member (entry, "phone", contact->phone);
  if (contact->telegram)
    json_object_set_string_member (entry, "telegram", contact->telegram);
  day_array = json_array_new ();
  for (guint d = 1; d <= 7; d++)
    if (days & (1u << d))
      json_array_add_int_element (day_array, d);
  json_object_set_array_member (entry, "days", day_array);
  time_array = json_array_new ();
  for (guint t = 0; t < G_N_ELEMENTS (time_names); t++)
    if (times & (1u << t))
      json_array_add_string_element (time_array, time_names[t]);
  json_object_set_array_member (entry, "times", time_array);
  json_object_set_string_member (entry, "tokenHash", token_hash);
  json_object_set_string_member (entry, "lang", lang ? lang : "ru");
  json_object_set_string_member (entry, "pageUrl", page_url ? page_url : "");
  json_object_set_array_member (entry, "offered", json_array_new ());
  /* The first to wait: remember what is open now, to see what opens next. */
  if (self->open == NULL)
    okno_waitlist_check_opened (self, now);
  g_ptr_array_add (self->entries, entry);

  joined = g_new0 (Joined, 1);
  joined->entry = json_object_ref (entry);
  joined->token = g_steal_pointer (&token);
  g_object_set_data_full (G_OBJECT (task), "joined", joined, (GDestroyNotify) joined_free);

  changed (self);
  {
    GTask *save = g_task_new (self, cancellable, join_saved_cb, g_steal_pointer (&task));

    save_then_return (self, save);
    g_object_unref (save);
  }
}

/**
 * okno_waitlist_join_finish:
 * @out_token: (out): the unsubscribe token, to hand to the client once
 *
 * Returns: (transfer full): a copy of the entry without its token hash
 */
JsonObject *
okno_waitlist_join_finish (OknoWaitlist  *self,
                           GAsyncResult  *result,
                           char         **out_token,
                           GError       **error)
{
  Joined *joined;
  JsonObject *copy;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return NULL;

  joined = g_object_get_data (G_OBJECT (result), "joined");
  if (out_token)
    *out_token = g_strdup (joined->token);
  copy = okno_json_object_deep_copy (joined->entry);
  json_object_remove_member (copy, "tokenHash");
  return copy;
}

/**
 * okno_waitlist_lookup:
 *
 * Returns: (transfer none): the entry if @token is its unsubscribe token;
 *   else %NULL with %OKNO_BOOKING_ERROR_NOT_FOUND or _FORBIDDEN
 */
JsonObject *
okno_waitlist_lookup (OknoWaitlist  *self,
                      const char    *id,
                      const char    *token,
                      GError       **error)
{
  JsonObject *entry;

  g_return_val_if_fail (OKNO_IS_WAITLIST (self), NULL);

  if (!(entry = find_entry (self, id, NULL)))
    {
      g_set_error_literal (error, OKNO_BOOKING_ERROR, OKNO_BOOKING_ERROR_NOT_FOUND,
                           N_("You are not on the waitlist (any more)."));
      return NULL;
    }
  if (token == NULL || !okno_token_matches_hash (token, json_object_get_string_member (entry, "tokenHash")))
    {
      g_set_error_literal (error, OKNO_BOOKING_ERROR, OKNO_BOOKING_ERROR_FORBIDDEN,
                           N_("This link is not valid for this waitlist entry."));
      return NULL;
    }
  return entry;
}

static void
left_saved_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/**
 * okno_waitlist_leave_async:
 *
 * The client's unsubscribe, with the token: answers once it is on disk.
 */
void
okno_waitlist_leave_async (OknoWaitlist        *self,
                           const char          *id,
                           const char          *token,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GTask) save = NULL;
  GError *error = NULL;
  guint index;

  g_return_if_fail (OKNO_IS_WAITLIST (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, okno_waitlist_leave_async);

  if (!okno_waitlist_lookup (self, id, token, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  find_entry (self, id, &index);
  g_ptr_array_remove_index (self->entries, index);
  changed (self);
  save = g_task_new (self, cancellable, left_saved_cb, g_steal_pointer (&task));
  save_then_return (self, save);
}

gboolean
okno_waitlist_leave_finish (OknoWaitlist  *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * okno_waitlist_remove:
 *
 * Olga removes an entry: from the window (written in the background) or
 * the command line (then okno_waitlist_flush()).
 */
gboolean
okno_waitlist_remove (OknoWaitlist  *self,
                      const char    *id,
                      GError       **error)
{
  guint index;

  g_return_val_if_fail (OKNO_IS_WAITLIST (self), FALSE);

  if (!find_entry (self, id, &index))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   _("There is no waitlist entry %s"), id ? id : "");
      return FALSE;
    }

  g_ptr_array_remove_index (self->entries, index);
  changed (self);
  save_quietly (self);
  return TRUE;
}

/**
 * okno_waitlist_flush:
 *
 * Writes the entries as they are now, blocking for the disk (it neither
 * iterates the main context nor waits for offers under way: the programs
 * wait for those through okno_waitlist_is_busy() as they close). For the
 * command line, tests, and an object about to go.
 */
gboolean
okno_waitlist_flush (OknoWaitlist  *self,
                     GError       **error)
{
  g_autofree char *data = NULL;

  g_return_val_if_fail (OKNO_IS_WAITLIST (self), FALSE);

  data = serialize (self);
  return write_file (self, data, self->generation, error);
}
