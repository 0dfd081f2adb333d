/* okno-outbox.c
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "OknoOutbox"

#include "config.h"

#include <glib/gi18n.h>

#include "okno-backoff.h"
#include "okno-errors.h"
#include "okno-journal-record.h"
#include "okno-notify-sink.h"
#include "okno-outbox-private.h"
#include "okno-slot-write-sink.h"
#include "okno-time.h"

/* Carries out what must follow a booking: the outbox items that the
 * booking service appended to the journal in the same line as the booking
 * itself. An item is {"key", "kind", "payload", "created"}:
 *   kind "calendar"  payload {"op": "book" | "reopen", "bookingId", "slotId"}:
 *                    the slot's event gets the booked title, or its slot
 *                    title back, through OknoCalendar
 *   any other kind   a notification, handed to the OknoNotifySink added
 *                    for that kind ("desktop", "telegram", "email"); an item
 *                    whose kind has no sink yet waits for one
 * Items start once their journal line is durable, and again at every start
 * until done, so delivery is at least once; the key stays the same across
 * repeats, and a calendar change is made only when the event does not show
 * it yet. Failures are retried with exponential backoff and full jitter;
 * a permanent failure, or a slot event that is no longer what Okno wrote,
 * becomes an attention item. Calendar items of one slot run one at a time,
 * in order; so do the notifications of one kind (one recipient). A
 * "booked" notification whose booking was cancelled before it went out is
 * dropped (the "cancelled" one still goes). */

#define BACKOFF_BASE_MSEC 1000
#define BACKOFF_CAP_MSEC  (15 * 60 * 1000)

struct _OknoOutbox
{
  GObject       parent_instance;

  OknoSchedule *schedule;
  GHashTable   *sinks;       /* kind → OknoNotifySink */
  GHashTable   *busy;        /* key → Run */
  GHashTable   *busy_slots;  /* slot id → key */
  GCancellable *cancellable;
  guint         base_msec;
  guint         cap_msec;
  guint         scan_source;
  gboolean      started;
  gboolean      slot_waiters; /* an item waits for another of its slot */
};

G_DEFINE_FINAL_TYPE (OknoOutbox, okno_outbox, G_TYPE_OBJECT)

typedef struct
{
  OknoOutbox *self;        /* a reference while in flight */
  char       *key;
  char       *slot_id;
  JsonObject *item;
  guint       attempts;
  guint       timer;
  gboolean    in_flight;
} Run;

static void start_run    (Run        *run);
static void schedule_scan (OknoOutbox *self);

static OknoLedger *
get_ledger (OknoOutbox *self)
{
  return okno_schedule_get_ledger (self->schedule);
}

static OknoCalendar *
get_calendar (OknoOutbox *self)
{
  return okno_schedule_get_calendar (self->schedule);
}

static JsonObject *
get_payload (JsonObject *item)
{
  return json_object_get_object_member (item, "payload");
}

static void
run_free (Run *run)
{
  g_clear_handle_id (&run->timer, g_source_remove);
  g_free (run->key);
  g_free (run->slot_id);
  g_clear_pointer (&run->item, json_object_unref);
  g_free (run);
}

/* Forgets @run, and lets the next item of its slot start. */
static void
end_run (Run *run)
{
  OknoOutbox *self = run->self;

  if (run->slot_id != NULL && g_strcmp0 (g_hash_table_lookup (self->busy_slots, run->slot_id), run->key) == 0)
    g_hash_table_remove (self->busy_slots, run->slot_id);
  g_hash_table_remove (self->busy, run->key);
  /* Only an item that waited for this one's slot needs a new look: new
   * items start from ledger_committed_cb, retries from their timers. */
  if (self->slot_waiters)
    schedule_scan (self);
}

static void
finish_run (Run        *run,
            JsonObject *attention)
{
  okno_ledger_complete_outbox_item (get_ledger (run->self), run->key, attention);
  end_run (run);
}

static gboolean
retry_due_cb (gpointer user_data)
{
  Run *run = user_data;

  run->timer = 0;
  if (!okno_ledger_has_outbox_item (get_ledger (run->self), run->key))
    end_run (run);
  else
    start_run (run);

  return G_SOURCE_REMOVE;
}

static void
retry_later (Run       *run,
             GTimeSpan  at_least)
{
  OknoOutbox *self = run->self;
  guint shift = MIN (run->attempts, 20);
  guint64 cap = MIN ((guint64) self->cap_msec, (guint64) self->base_msec << shift);
  guint64 delay = (guint64) g_random_double_range (0, (double) cap + 1);

  run->attempts++;
  delay = MAX (delay, okno_backoff_scale_msec ((guint64) MAX (at_least, 0) / 1000));
  g_debug ("Retrying %s in %" G_GUINT64_FORMAT " ms (attempt %u)", run->key, delay, run->attempts);
  run->timer = g_timeout_add ((guint) MIN (delay, G_MAXUINT), retry_due_cb, run);
}

/* Outages of hours only delay a notification; one still failing a day
 * after it was written needs Olga (an attention item; no more tries). */
static gboolean
has_failed_for_a_day (Run *run)
{
  const char *text = json_object_get_string_member_with_default (run->item, "created", NULL);
  g_autoptr(GDateTime) created = text ? g_date_time_new_from_iso8601 (text, NULL) : NULL;
  g_autoptr(GDateTime) now = okno_time_now_utc ();

  return created != NULL && g_date_time_difference (now, created) >= G_TIME_SPAN_DAY;
}

static char *
describe_booking (OknoOutbox  *self,
                  OknoBooking *booking)
{
  g_autoptr(GDateTime) local = g_date_time_to_timezone (okno_booking_get_start (booking),
                                                         okno_schedule_get_time_zone (self->schedule));
  g_autofree char *when = g_date_time_format (local, "%Y-%m-%d %H:%M");

  /* Translators: a booking in an attention item: the client's name, then date and time */
  return g_strdup_printf (_("%s, %s"), okno_booking_get_name (booking) ? okno_booking_get_name (booking) : "?", when);
}

static JsonObject *
attention_for_booking (const char  *code,
                       OknoBooking *booking,
                       const char  *message)
{
  g_message ("Booking %s needs attention: %s", okno_booking_get_id (booking), code);
  return okno_attention_item_new (code, okno_booking_get_id (booking), message);
}

/* The event as it should read while @booking holds it, or NULL if it
 * already does. */
static OknoEvent *
dup_booked_event (OknoOutbox  *self,
                  OknoEvent   *event,
                  OknoBooking *booking)
{
  g_autofree char *title = NULL;
  g_autoptr(GString) description = g_string_new (NULL);
  OknoEvent *copy;
  const char *fields[][2] = {
    { "email", N_("Email") },
    { "phone", N_("Phone") },
    { "telegram", N_("Telegram") },
  };
  const char *note;

  title = okno_booked_title_new (okno_schedule_get_booked_marker (self->schedule),
                                 okno_booking_get_name (booking),
                                 okno_booking_get_session_type (booking));
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      const char *value = okno_booking_get_field (booking, fields[i][0]);
      if (value)
        g_string_append_printf (description, "%s: %s\n", _(fields[i][1]), value);
    }
  if ((note = okno_booking_get_field (booking, "note")))
    g_string_append_printf (description, "\n%s\n", note);

  copy = okno_event_copy (event);
  if (okno_event_get_private (event, OKNO_PROP_SLOT_TITLE) == NULL)
    okno_event_set_private (copy, OKNO_PROP_SLOT_TITLE, okno_event_get_summary (event));
  okno_event_set_summary (copy, title);
  okno_event_set_description (copy, description->str);
  okno_event_set_private (copy, OKNO_PROP_KIND, OKNO_PROP_KIND_SLOT);
  okno_event_set_private (copy, OKNO_PROP_BOOKING, okno_booking_get_id (booking));

  return copy;
}

/* The event reopened as a slot after @booking was cancelled. */
static OknoEvent *
dup_reopened_event (OknoOutbox  *self,
                    OknoEvent   *event,
                    OknoBooking *booking)
{
  g_autofree char *title = NULL;
  const char *slot_title;
  OknoEvent *copy;

  slot_title = okno_event_get_private (event, OKNO_PROP_SLOT_TITLE);
  if (slot_title == NULL)
    slot_title = title = okno_slot_title_new (okno_schedule_get_slot_marker (self->schedule),
                                              okno_booking_get_session_type (booking));

  copy = okno_event_copy (event);
  okno_event_set_summary (copy, slot_title);
  okno_event_set_description (copy, NULL);
  okno_event_set_private (copy, OKNO_PROP_BOOKING, NULL);
  okno_event_set_private (copy, OKNO_PROP_SLOT_TITLE, NULL);

  return copy;
}

static gboolean
is_book (Run *run)
{
  return g_strcmp0 (json_object_get_string_member_with_default (get_payload (run->item), "op", ""), "book") == 0;
}

static void
calendar_updated_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  Run *run = user_data;
  g_autoptr(OknoOutbox) self = run->self;
  g_autoptr(OknoEvent) event = NULL;
  g_autoptr(GError) error = NULL;
  OknoBooking *booking;

  run->in_flight = FALSE;
  event = okno_calendar_update_event_finish (OKNO_CALENDAR (object), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->cancellable == NULL)
    return;

  if (event != NULL)
    {
      g_debug ("Calendar change %s done", run->key);
      finish_run (run, NULL);
      return;
    }

  booking = okno_ledger_lookup (get_ledger (self), json_object_get_string_member_with_default (
                                  get_payload (run->item), "bookingId", ""));

  if (g_error_matches (error, OKNO_CALENDAR_ERROR, OKNO_CALENDAR_ERROR_CONFLICT))
    {
      /* Someone changed the event meanwhile: look at it again. */
      run->attempts++;
      if (run->attempts < 5)
        start_run (run);
      else
        retry_later (run, 0);
    }
  else if (booking != NULL &&
           (g_error_matches (error, OKNO_CALENDAR_ERROR, OKNO_CALENDAR_ERROR_NOT_FOUND) ||
            g_error_matches (error, OKNO_CALENDAR_ERROR, OKNO_CALENDAR_ERROR_INVALID) ||
            g_error_matches (error, OKNO_CALENDAR_ERROR, OKNO_CALENDAR_ERROR_FORBIDDEN)))
    {
      g_autoptr(JsonObject) attention = NULL;

      if (!is_book (run))
        finish_run (run, NULL);
      else
        {
          /* Refused for good (Google's 400, 403, 404): not retried, and
           * Olga reads what the calendar said. */
          g_autofree char *what = describe_booking (self, booking);
          g_autofree char *message =
            g_strdup_printf (_("The calendar could not be changed for the booking of %s: %s. "
                               "Check the calendar."), what, error->message);

          attention = attention_for_booking ("calendar-failed", booking, message);
          finish_run (run, attention);
        }
    }
  else
    {
      g_debug ("Calendar change %s failed, will retry: %s", run->key, error->message);
      retry_later (run, 0);
    }
}

static void
start_calendar_run (Run *run)
{
  OknoOutbox *self = run->self;
  JsonObject *payload = get_payload (run->item);
  OknoBooking *booking = okno_ledger_lookup (get_ledger (self),
                                             json_object_get_string_member_with_default (payload, "bookingId", ""));
  g_autoptr(OknoEvent) update = NULL;
  const char *holder;
  const char *slot_id;
  OknoEventKind kind;
  OknoEvent *event;

  if (booking == NULL)
    {
      finish_run (run, NULL);
      return;
    }

  /* The item's own slot: after a move the old one reopens while the
   * booking is on its new one. */
  slot_id = json_object_get_string_member_with_default (payload, "slotId", okno_booking_get_slot_id (booking));
  event = okno_calendar_lookup_event (get_calendar (self), slot_id);
  holder = event ? okno_event_get_private (event, OKNO_PROP_BOOKING) : NULL;
  /* The event as written, not as the ledger makes it read. */
  kind = event ? okno_event_classify (event, okno_schedule_get_slot_marker (self->schedule),
                                      okno_schedule_get_booked_marker (self->schedule))
               : OKNO_EVENT_KIND_BUSY;

  if (is_book (run))
    {
      if (!okno_booking_is_active (booking) || g_strcmp0 (okno_booking_get_slot_id (booking), slot_id) != 0)
        {
          /* Cancelled (or moved on) before it reached the calendar: the
           * reopen follows. */
          finish_run (run, NULL);
          return;
        }
      if (event != NULL && g_strcmp0 (holder, okno_booking_get_id (booking)) == 0 &&
          kind == OKNO_EVENT_KIND_BOOKED)
        {
          finish_run (run, NULL);
          return;
        }
      /* Taken, retitled, removed, or moved away from the booked time
       * (Olga, in her calendar, while the booking waited): left alone. */
      if (event == NULL || (holder != NULL && g_strcmp0 (holder, okno_booking_get_id (booking)) != 0) ||
          (holder == NULL && kind != OKNO_EVENT_KIND_SLOT) ||
          !g_date_time_equal (okno_event_get_start (event), okno_booking_get_start (booking)) ||
          !g_date_time_equal (okno_event_get_end (event), okno_booking_get_end (booking)))
        {
          g_autofree char *what = describe_booking (self, booking);
          g_autofree char *message =
            g_strdup_printf (_("The booking of %s is not in the calendar: its slot’s event was "
                               "changed or removed outside Okno, so Okno left it alone. "
                               "Check the calendar."), what);
          g_autoptr(JsonObject) attention = attention_for_booking ("calendar-changed", booking, message);
          finish_run (run, attention);
          return;
        }
      update = dup_booked_event (self, event, booking);
    }
  else
    {
      /* Not this booking's event any more (never booked, rebooked, or
       * removed): nothing to give back. */
      if (event == NULL || g_strcmp0 (holder, okno_booking_get_id (booking)) != 0)
        {
          finish_run (run, NULL);
          return;
        }
      update = dup_reopened_event (self, event, booking);
    }

  run->in_flight = TRUE;
  okno_calendar_update_event_async (get_calendar (self), update, self->cancellable,
                                    calendar_updated_cb, run);
  g_object_ref (self);
}

static void
delivered_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Run *run = user_data;
  g_autoptr(OknoOutbox) self = run->self;
  g_autoptr(GError) error = NULL;
  GTimeSpan after = 0;
  OknoNotifySinkResult answer;

  run->in_flight = FALSE;
  answer = okno_notify_sink_deliver_finish (OKNO_NOTIFY_SINK (object), result, &after, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->cancellable == NULL)
    return;

  switch (answer)
    {
    case OKNO_NOTIFY_SINK_OK:
      finish_run (run, NULL);
      break;

    case OKNO_NOTIFY_SINK_PERMANENT:
      {
        g_autofree char *message = NULL;
        g_autoptr(JsonObject) attention = NULL;
        const char *kind = json_object_get_string_member (run->item, "kind");

        if (g_strcmp0 (kind, OKNO_SLOT_WRITE_KIND) == 0)
          /* The sink says in Olga's words what the calendar refused. */
          attention = okno_attention_item_new ("calendar-failed", run->key,
                                               error ? error->message : _("the calendar refused it"));
        else
          {
            /* Translators: the first %s is a channel (desktop, telegram, email), the second why */
            message = g_strdup_printf (_("A %s notification could not be sent: %s"), kind,
                                       error ? error->message : _("the channel refused it"));
            attention = okno_attention_item_new ("notify-failed", run->key, message);
          }
        g_message ("Notification %s failed for good", run->key);
        finish_run (run, attention);
      }
      break;

    case OKNO_NOTIFY_SINK_RETRY:
    default:
      /* A slot change waits for the calendar however long it is away,
       * as a booking's calendar change does. */
      if (has_failed_for_a_day (run) &&
          g_strcmp0 (json_object_get_string_member (run->item, "kind"), OKNO_SLOT_WRITE_KIND) != 0)
        {
          g_autofree char *message = NULL;
          g_autoptr(JsonObject) attention = NULL;
          const char *kind = json_object_get_string_member (run->item, "kind");

          /* Translators: the first %s is a channel (desktop, telegram, email), the second why */
          message = g_strdup_printf (_("A %s notification could not be sent for a whole day: %s"), kind,
                                     error ? error->message : _("the channel did not answer"));
          attention = okno_attention_item_new ("notify-failed", run->key, message);
          g_message ("Notification %s still failing after a day", run->key);
          finish_run (run, attention);
        }
      else
        retry_later (run, after);
      break;
    }
}

/* A confirmation ("booked") whose booking was cancelled before it went
 * out: the cancellation that follows says all there is to say. */
static gboolean
is_stale (Run *run)
{
  JsonObject *payload = get_payload (run->item);
  JsonObject *data;
  OknoBooking *booking;
  JsonNode *event = json_object_get_member (payload, "event");

  /* Not every kind's "event" is a name (Google's copy carries an object). */
  if (event == NULL || !JSON_NODE_HOLDS_VALUE (event) || json_node_get_value_type (event) != G_TYPE_STRING ||
      g_strcmp0 (json_node_get_string (event), "booked") != 0 ||
      !json_object_has_member (payload, "booking") ||
      !JSON_NODE_HOLDS_OBJECT (json_object_get_member (payload, "booking")))
    return FALSE;
  data = json_object_get_object_member (payload, "booking");
  booking = okno_ledger_lookup (get_ledger (run->self),
                                json_object_get_string_member_with_default (data, "id", ""));

  return booking != NULL && !okno_booking_is_active (booking);
}

static void
start_run (Run *run)
{
  OknoOutbox *self = run->self;
  const char *kind = json_object_get_string_member (run->item, "kind");
  OknoNotifySink *sink;

  if (g_str_equal (kind, "calendar"))
    {
      start_calendar_run (run);
      return;
    }

  if (is_stale (run))
    {
      g_debug ("Notification %s dropped: the booking was cancelled before it went out", run->key);
      finish_run (run, NULL);
      return;
    }

  if (!(sink = g_hash_table_lookup (self->sinks, kind)))
    {
      /* Waits for a sink of its kind (the window, a configured channel). */
      end_run (run);
      return;
    }

  run->in_flight = TRUE;
  g_object_ref (self);
  okno_notify_sink_deliver_async (sink, kind, run->key, get_payload (run->item), self->cancellable,
                                  delivered_cb, run);
}

/* The client's address for a message to a client, else "" (Olga). */
static const char *
client_address (JsonObject *item,
                const char *kind)
{
  JsonObject *payload = get_payload (item);
  const char *holders[] = { "booking", "waitlist" };

  if (g_strcmp0 (kind, OKNO_NOTIFY_KIND_CLIENT_EMAIL) != 0 || payload == NULL)
    return "";
  for (guint i = 0; i < G_N_ELEMENTS (holders); i++)
    {
      JsonNode *node = json_object_get_member (payload, holders[i]);

      if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
        {
          JsonNode *email = json_object_get_member (json_node_get_object (node), "email");

          if (email != NULL && JSON_NODE_HOLDS_VALUE (email) && json_node_get_value_type (email) == G_TYPE_STRING)
            return json_node_get_string (email);
        }
    }
  return "";
}

/* Starts @item unless it runs already, waits for its slot or its sink. */
static void
consider_item (OknoOutbox *self,
               JsonObject *item)
{
  const char *key = json_object_get_string_member (item, "key");
  const char *kind = json_object_get_string_member (item, "kind");
  const char *slot_id = NULL;
  g_autofree char *lane = NULL;
  Run *run;

  if (g_hash_table_contains (self->busy, key))
    return;

  if (g_str_equal (kind, "calendar"))
    {
      slot_id = json_object_get_string_member_with_default (get_payload (item), "slotId", "");
      if (g_hash_table_contains (self->busy_slots, slot_id))
        {
          self->slot_waiters = TRUE;
          return;
        }
    }
  else if (!g_hash_table_contains (self->sinks, kind))
    return;
  else if (g_str_equal (kind, OKNO_SLOT_WRITE_KIND))
    {
      /* Slot writes share their event's lane with the booking changes of
       * that slot: a move waits for its insert, a booking for its slot. */
      slot_id = okno_slot_write_item_get_lane (item);
      if (g_hash_table_contains (self->busy_slots, slot_id))
        {
          self->slot_waiters = TRUE;
          return;
        }
    }
  else
    {
      /* One recipient's messages go out in order: one at a time, the next
       * only once this one is done (retries included). Olga is the one
       * recipient of her channels; clients each have their own lane, so
       * one unreachable address holds up nobody else. */
      slot_id = lane = g_strconcat ("notify/", kind, "/", client_address (item, kind), NULL);
      if (g_hash_table_contains (self->busy_slots, lane))
        {
          self->slot_waiters = TRUE;
          return;
        }
    }

  run = g_new0 (Run, 1);
  run->self = self;
  run->key = g_strdup (key);
  run->slot_id = g_strdup (slot_id);
  run->item = json_object_ref (item);
  g_hash_table_insert (self->busy, run->key, run);
  if (slot_id != NULL)
    g_hash_table_insert (self->busy_slots, g_strdup (slot_id), g_strdup (key));
  start_run (run);
}

static gboolean
scan_cb (gpointer user_data)
{
  OknoOutbox *self = user_data;
  g_autoptr(GPtrArray) items = NULL;

  self->scan_source = 0;
  self->slot_waiters = FALSE;
  items = okno_ledger_dup_outbox (get_ledger (self));

  for (guint i = 0; i < items->len; i++)
    consider_item (self, g_ptr_array_index (items, i));

  return G_SOURCE_REMOVE;
}

static void
schedule_scan (OknoOutbox *self)
{
  if (self->started && self->scan_source == 0 && self->cancellable != NULL)
    self->scan_source = g_idle_add (scan_cb, self);
}

/* New items are durable: start them now, so that a local calendar shows
 * the change before the booking's answer leaves. */
static void
ledger_committed_cb (OknoOutbox *self)
{
  OknoLedger *ledger = get_ledger (self);
  g_autoptr(GPtrArray) items = okno_ledger_take_committed_outbox (ledger);

  if (!self->started || self->cancellable == NULL)
    return;

  /* Only the new items, not every pending one (those waiting for a sink
   * pile up in a server without it): a booking's cost must not grow with
   * the outbox. */
  /* So do they when a scan is due (at start, or after a run freed a lane
   * others wait for): the older items of a lane go first. */
  if (items == NULL || self->scan_source != 0)
    {
      g_clear_handle_id (&self->scan_source, g_source_remove);
      scan_cb (self);
      return;
    }

  for (guint i = 0; i < items->len; i++)
    {
      JsonObject *item = g_ptr_array_index (items, i);

      if (okno_ledger_has_outbox_item (ledger, json_object_get_string_member (item, "key")))
        consider_item (self, item);
    }
}

static void
okno_outbox_dispose (GObject *object)
{
  OknoOutbox *self = (OknoOutbox *) object;

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->scan_source, g_source_remove);
  g_clear_pointer (&self->busy, g_hash_table_unref);
  g_clear_pointer (&self->busy_slots, g_hash_table_unref);
  g_clear_pointer (&self->sinks, g_hash_table_unref);
  g_clear_object (&self->schedule);

  G_OBJECT_CLASS (okno_outbox_parent_class)->dispose (object);
}

static void
okno_outbox_class_init (OknoOutboxClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = okno_outbox_dispose;
}

static void
okno_outbox_init (OknoOutbox *self)
{
  self->sinks = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->busy = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) run_free);
  self->busy_slots = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->cancellable = g_cancellable_new ();
  self->base_msec = okno_backoff_scale_msec (BACKOFF_BASE_MSEC);
  self->cap_msec = okno_backoff_scale_msec (BACKOFF_CAP_MSEC);
}

OknoOutbox *
okno_outbox_new (OknoSchedule *schedule)
{
  OknoOutbox *self;

  g_return_val_if_fail (OKNO_IS_SCHEDULE (schedule), NULL);

  self = g_object_new (OKNO_TYPE_OUTBOX, NULL);
  self->schedule = g_object_ref (schedule);
  g_signal_connect_object (okno_schedule_get_ledger (schedule), "committed",
                           G_CALLBACK (ledger_committed_cb), self, G_CONNECT_SWAPPED);

  return self;
}

/**
 * okno_outbox_start:
 *
 * Starts carrying out items: whatever a previous run left pending first,
 * then each new one once its record is durable.
 */
void
okno_outbox_start (OknoOutbox *self)
{
  g_return_if_fail (OKNO_IS_OUTBOX (self));

  self->started = TRUE;
  schedule_scan (self);
}

/**
 * okno_outbox_add_sink:
 *
 * Sends notifications of @kind through @sink from now on, including the
 * ones that waited for it.
 */
void
okno_outbox_add_sink (OknoOutbox     *self,
                      const char     *kind,
                      OknoNotifySink *sink)
{
  g_return_if_fail (OKNO_IS_OUTBOX (self));
  g_return_if_fail (kind != NULL && !g_str_equal (kind, "calendar"));
  g_return_if_fail (OKNO_IS_NOTIFY_SINK (sink));

  g_hash_table_replace (self->sinks, g_strdup (kind), g_object_ref (sink));
  schedule_scan (self);
}

void
okno_outbox_remove_sink (OknoOutbox *self,
                         const char *kind)
{
  g_return_if_fail (OKNO_IS_OUTBOX (self));
  g_hash_table_remove (self->sinks, kind);
}

/**
 * okno_outbox_get_pending:
 * @kind: (nullable): only items of this kind
 *
 * How many items wait to be carried out.
 */
guint
okno_outbox_get_pending (OknoOutbox *self,
                         const char *kind)
{
  g_autoptr(GPtrArray) items = NULL;
  guint n = 0;

  g_return_val_if_fail (OKNO_IS_OUTBOX (self), 0);

  items = okno_ledger_dup_outbox (get_ledger (self));
  for (guint i = 0; i < items->len; i++)
    if (kind == NULL || g_strcmp0 (json_object_get_string_member (g_ptr_array_index (items, i), "kind"), kind) == 0)
      n++;

  return n;
}

/**
 * okno_outbox_get_busy:
 * @kind: (nullable): only items of this kind
 *
 * How many items are being carried out or about to start (not counting
 * those waiting for a retry or for a sink).
 */
guint
okno_outbox_get_busy (OknoOutbox *self,
                      const char *kind)
{
  g_autoptr(GPtrArray) items = NULL;
  guint n = 0;

  g_return_val_if_fail (OKNO_IS_OUTBOX (self), 0);

  items = okno_ledger_dup_outbox (get_ledger (self));
  for (guint i = 0; i < items->len; i++)
    {
      JsonObject *item = g_ptr_array_index (items, i);
      const char *item_kind = json_object_get_string_member (item, "kind");
      Run *run = g_hash_table_lookup (self->busy, json_object_get_string_member (item, "key"));

      if (kind != NULL && g_strcmp0 (item_kind, kind) != 0)
        continue;
      if (run != NULL ? run->in_flight
                      : self->started && (g_str_equal (item_kind, "calendar") ||
                                          g_hash_table_contains (self->sinks, item_kind)))
        n++;
    }

  return n;
}

/* The calendar item that makes @booking's slot event follow its state. */
JsonObject *
okno_outbox_calendar_item_new (OknoBooking *booking)
{
  g_autoptr(JsonObject) payload = json_object_new ();
  g_autofree char *key = NULL;
  gboolean active;

  g_return_val_if_fail (OKNO_IS_BOOKING (booking), NULL);

  active = okno_booking_is_active (booking);
  key = g_strdup_printf ("%s.calendar.%s", okno_booking_get_id (booking), active ? "book" : "reopen");
  json_object_set_string_member (payload, "op", active ? "book" : "reopen");
  json_object_set_string_member (payload, "bookingId", okno_booking_get_id (booking));
  json_object_set_string_member (payload, "slotId", okno_booking_get_slot_id (booking));

  return okno_outbox_item_new (key, "calendar", payload);
}

/* A notification of @kind about @booking's new state. */
JsonObject *
okno_outbox_notify_item_new (OknoBooking *booking,
                             const char  *kind,
                             gboolean     by_owner)
{
  static const char * const secret[] = { "tokenHash", "tokenSalt", "idempotencyKeyHash", "requestHash" };
  g_autoptr(JsonObject) payload = json_object_new ();
  g_autofree char *key = NULL;
  JsonObject *data;
  const char *event;

  g_return_val_if_fail (OKNO_IS_BOOKING (booking), NULL);
  g_return_val_if_fail (kind != NULL, NULL);

  event = okno_booking_is_active (booking) ? "booked" : "cancelled";
  key = g_strdup_printf ("%s.%s.%s", okno_booking_get_id (booking), event, kind);

  data = okno_booking_to_json (booking);
  for (guint i = 0; i < G_N_ELEMENTS (secret); i++)
    if (json_object_has_member (data, secret[i]))
      json_object_remove_member (data, secret[i]);

  json_object_set_string_member (payload, "event", event);
  json_object_set_boolean_member (payload, "byOwner", by_owner);
  json_object_set_object_member (payload, "booking", data);

  return okno_outbox_item_new (key, kind, payload);
}

/* {"start", "end", "slotId"} of a place in a booking's history. */
static JsonObject *
dup_place (JsonObject *place)
{
  JsonObject *copy = json_object_new ();
  const char *members[] = { "slotId", "start", "end" };

  for (guint i = 0; i < G_N_ELEMENTS (members); i++)
    json_object_set_string_member (copy, members[i],
                                   json_object_get_string_member_with_default (place, members[i], ""));
  return copy;
}

/**
 * okno_outbox_move_items_new:
 * @booking: the booking on its new slot, its last history entry the move
 * @from_slot_id: the slot it left
 * @kinds: (nullable): the notification kinds
 * @by_owner: %TRUE when Olga moved it herself
 *
 * What must follow a move: the old slot's event reopens, the new one gets
 * the booked title, and each kind is told {"event": "rescheduled",
 * "booking", "from": {"slotId","start","end"}, "to": {…}}. Keys carry the
 * move's number, so a booking may move any number of times.
 *
 * Returns: (transfer container) (element-type JsonObject): the items
 */
GPtrArray *
okno_outbox_move_items_new (OknoBooking        *booking,
                            const char         *from_slot_id,
                            const char * const *kinds,
                            gboolean            by_owner)
{
  GPtrArray *items = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  g_autoptr(JsonArray) history = NULL;
  g_autoptr(JsonObject) reopen = json_object_new ();
  g_autoptr(JsonObject) book = json_object_new ();
  g_autofree char *prefix = NULL;
  g_autofree char *reopen_key = NULL;
  g_autofree char *book_key = NULL;
  JsonObject *moved = NULL;
  guint n;

  g_return_val_if_fail (OKNO_IS_BOOKING (booking), items);
  g_return_val_if_fail (from_slot_id != NULL, items);

  prefix = g_strdup_printf ("%s.move%u", okno_booking_get_id (booking), okno_booking_get_moves (booking));
  json_object_set_string_member (reopen, "op", "reopen");
  json_object_set_string_member (reopen, "bookingId", okno_booking_get_id (booking));
  json_object_set_string_member (reopen, "slotId", from_slot_id);
  reopen_key = g_strconcat (prefix, ".calendar.reopen", NULL);
  g_ptr_array_add (items, okno_outbox_item_new (reopen_key, "calendar", reopen));

  json_object_set_string_member (book, "op", "book");
  json_object_set_string_member (book, "bookingId", okno_booking_get_id (booking));
  json_object_set_string_member (book, "slotId", okno_booking_get_slot_id (booking));
  book_key = g_strconcat (prefix, ".calendar.book", NULL);
  g_ptr_array_add (items, okno_outbox_item_new (book_key, "calendar", book));

  history = okno_booking_dup_history (booking);
  n = json_array_get_length (history);
  if (n > 0)
    moved = json_array_get_object_element (history, n - 1);

  for (guint i = 0; kinds && kinds[i]; i++)
    {
      g_autoptr(JsonObject) item = okno_outbox_notify_item_new (booking, kinds[i], by_owner);
      JsonObject *payload = json_object_get_object_member (item, "payload");
      g_autofree char *key = g_strdup_printf ("%s.rescheduled.%s", prefix, kinds[i]);

      json_object_set_string_member (item, "key", key);
      json_object_set_string_member (payload, "event", "rescheduled");
      if (moved != NULL && json_object_has_member (moved, "from") && json_object_has_member (moved, "to"))
        {
          json_object_set_object_member (payload, "from", dup_place (json_object_get_object_member (moved, "from")));
          json_object_set_object_member (payload, "to", dup_place (json_object_get_object_member (moved, "to")));
        }
      g_ptr_array_add (items, g_steal_pointer (&item));
    }

  return items;
}

/* For tests: retry sooner. */
void
_okno_outbox_set_backoff (OknoOutbox *self,
                          guint       base_msec,
                          guint       cap_msec)
{
  g_return_if_fail (OKNO_IS_OUTBOX (self));
  self->base_msec = MAX (base_msec, 1);
  self->cap_msec = MAX (cap_msec, self->base_msec);
}
