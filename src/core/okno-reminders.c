/* okno-reminders.c
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "OknoReminders"

#include "config.h"

#include "okno-ledger.h"
#include "okno-outbox.h"
#include "okno-reminders-private.h"
#include "okno-time.h"

/* Plans what is sent at a time rather than on a booking:
 *   a reminder   to the client, reminder-hours before the session, as a
 *                "client-email" outbox item (the client's email channel)
 *                with the key "reminder:<booking id>:<start, UTC
 *                YYYYMMDDTHHMMZ>" (a booking moved to another time gets
 *                a reminder for its new time)
 *                and the payload {"event": "reminder", "reminderHours",
 *                "booking": {…}} (the booking as in a "booked" item);
 *   the agenda   to Olga at agenda-hour (her zone), as a "telegram" item
 *                with the key "agenda:<YYYY-MM-DD>" and the payload
 *                {"event": "agenda", "date", "timeZone",
 *                 "sessions": [{"bookingId", "start", "end", "name",
 *                               "sessionType"?}]}.
 * Each goes out through the durable outbox, in a journal record that also
 * carries an "enqueued" mark with the same key: once a mark is written,
 * the same reminder or agenda is never planned again, across restarts.
 * The agenda of a day whose sessions are all over (or that has none) gets
 * its mark without an item, so a booking made later that day does not
 * bring a late agenda.
 *
 * One timeout is armed for the next due time (at most MAX_SLEEP_MSEC
 * ahead, so a suspend or a moved clock is caught soon); the whole plan is
 * made again when the timer fires, a setting or the channels change. When
 * the ledger commits, only the bookings changed since the last plan are
 * looked at (a walk over every booking on each commit held the main loop
 * for milliseconds per booking under a burst, growing with the ledger):
 * their reminders are planned, and a reminder still waiting in the outbox
 * for one of them that was cancelled or moved is dropped. What
 * became due while the program was off is caught up at start: a reminder
 * while its session has not started, today's agenda while one of today's
 * sessions is still ahead. A booking made after its reminder would have
 * been due gets none (its confirmation is fresh), and a reminder still
 * waiting in the outbox when its booking is cancelled or moved is
 * dropped. */

#define REMINDER_KIND  "client-email"
#define AGENDA_KIND    "telegram"

#define MAX_SLEEP_MSEC (5 * 60 * 1000)
#define RETRY_MSEC     (60 * 1000)

struct _OknoReminders
{
  GObject       parent_instance;

  OknoSchedule *schedule;
  GStrv         channels;
  GCancellable *cancellable;
  GDateTime    *next_due;
  guint         reminder_hours;
  int           agenda_hour;
  guint         timer;
  guint         idle;
  gboolean      started;
  gboolean      full;         /* the next plan walks every booking */
  GHashTable   *changed;      /* ids of bookings changed since the last plan */
  GHashTable   *waiting;      /* booking id → key of its reminder in the outbox */
  guint         full_plans;   /* tests: how many plans walked every booking */
};

G_DEFINE_FINAL_TYPE (OknoReminders, okno_reminders, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_REMINDER_HOURS,
  PROP_AGENDA_HOUR,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

static void schedule_plan (OknoReminders *self);

static OknoLedger *
get_ledger (OknoReminders *self)
{
  return okno_schedule_get_ledger (self->schedule);
}

static gboolean
has_channel (OknoReminders *self,
             const char    *kind)
{
  return self->channels != NULL && g_strv_contains ((const char * const *) self->channels, kind);
}

static void
take_earlier (GDateTime **next,
              GDateTime  *candidate)
{
  if (*next == NULL || g_date_time_compare (candidate, *next) < 0)
    {
      g_clear_pointer (next, g_date_time_unref);
      *next = g_date_time_ref (candidate);
    }
}

static char *
reminder_key (OknoBooking *booking)
{
  g_autoptr(GDateTime) utc = g_date_time_to_utc (okno_booking_get_start (booking));
  g_autofree char *start = g_date_time_format (utc, "%Y%m%dT%H%MZ");

  return g_strdup_printf ("reminder:%s:%s", okno_booking_get_id (booking), start);
}

/* Reminders waiting in the outbox whose booking was cancelled or moved
 * since: they must not go out (a moved one gets a new key). */
static void
drop_stale_reminders (OknoReminders *self)
{
  OknoLedger *ledger = get_ledger (self);
  g_autoptr(GPtrArray) items = okno_ledger_dup_outbox (ledger);

  g_hash_table_remove_all (self->waiting);
  for (guint i = 0; i < items->len; i++)
    {
      JsonObject *item = g_ptr_array_index (items, i);
      const char *key = json_object_get_string_member (item, "key");
      JsonObject *payload = json_object_get_object_member (item, "payload");
      JsonObject *data;
      OknoBooking *booking;
      g_autofree char *current = NULL;

      if (!g_str_has_prefix (key, "reminder:") ||
          g_strcmp0 (json_object_get_string_member_with_default (payload, "event", ""), "reminder") != 0 ||
          !(data = json_object_get_object_member (payload, "booking")))
        continue;

      booking = okno_ledger_lookup (ledger, json_object_get_string_member_with_default (data, "id", ""));
      if (booking != NULL && okno_booking_is_active (booking) &&
          g_str_equal (key, (current = reminder_key (booking))))
        {
          g_hash_table_replace (self->waiting, g_strdup (okno_booking_get_id (booking)), g_strdup (key));
          continue;
        }

      g_debug ("Dropping %s: its booking was cancelled or moved", key);
      okno_ledger_complete_outbox_item (ledger, key, NULL);
    }
}

static JsonObject *
reminder_item_new (OknoReminders *self,
                   OknoBooking   *booking)
{
  /* The same booking data a "booked" item carries, without secrets. */
  g_autoptr(JsonObject) notify = okno_outbox_notify_item_new (booking, REMINDER_KIND, FALSE);
  g_autoptr(JsonObject) payload = json_object_new ();
  g_autofree char *key = reminder_key (booking);
  JsonObject *data = json_object_get_object_member (json_object_get_object_member (notify, "payload"), "booking");

  json_object_set_string_member (payload, "event", "reminder");
  json_object_set_int_member (payload, "reminderHours", self->reminder_hours);
  json_object_set_object_member (payload, "booking", json_object_ref (data));

  return okno_outbox_item_new (key, REMINDER_KIND, payload);
}

/* Midnight and the agenda's time of the day @time falls on in @zone. */
static GDateTime *
day_at (GDateTime *time,
        GTimeZone *zone,
        int        hour,
        int        add_days)
{
  g_autoptr(GDateTime) local = g_date_time_to_timezone (time, zone);
  g_autoptr(GDateTime) midnight = g_date_time_new (zone, g_date_time_get_year (local),
                                                   g_date_time_get_month (local),
                                                   g_date_time_get_day_of_month (local), 0, 0, 0);
  g_autoptr(GDateTime) day = g_date_time_add_days (midnight, add_days);

  /* Built from the date again, so a change of offset in between counts. */
  return g_date_time_new (zone, g_date_time_get_year (day), g_date_time_get_month (day),
                          g_date_time_get_day_of_month (day), hour, 0, 0);
}

static int
compare_bookings_by_start (gconstpointer a,
                           gconstpointer b)
{
  OknoBooking *x = *(OknoBooking **) a;
  OknoBooking *y = *(OknoBooking **) b;

  return g_date_time_compare (okno_booking_get_start (x), okno_booking_get_start (y));
}

/* The day's active bookings in order, and whether one is still ahead. */
static GPtrArray *
dup_day_bookings (OknoReminders *self,
                  GDateTime     *day_start,
                  GDateTime     *now,
                  gboolean      *any_ahead)
{
  GListModel *bookings = okno_ledger_get_bookings (get_ledger (self));
  GTimeZone *zone = okno_schedule_get_time_zone (self->schedule);
  g_autoptr(GDateTime) day_end = day_at (day_start, zone, 0, 1);
  GPtrArray *day = g_ptr_array_new_with_free_func (g_object_unref);

  *any_ahead = FALSE;
  for (guint i = 0; i < g_list_model_get_n_items (bookings); i++)
    {
      g_autoptr(OknoBooking) booking = g_list_model_get_item (bookings, i);
      GDateTime *start = okno_booking_get_start (booking);

      if (!okno_booking_is_active (booking) || g_date_time_compare (start, day_start) < 0 ||
          g_date_time_compare (start, day_end) >= 0)
        continue;
      if (g_date_time_compare (start, now) > 0)
        *any_ahead = TRUE;
      g_ptr_array_add (day, g_steal_pointer (&booking));
    }
  g_ptr_array_sort (day, compare_bookings_by_start);

  return day;
}

static JsonObject *
agenda_item_new (OknoReminders *self,
                 const char    *key,
                 const char    *date,
                 GPtrArray     *day)
{
  g_autoptr(JsonObject) payload = json_object_new ();
  JsonArray *sessions = json_array_new ();

  for (guint i = 0; i < day->len; i++)
    {
      OknoBooking *booking = g_ptr_array_index (day, i);
      JsonObject *session = json_object_new ();
      g_autofree char *start = okno_time_format_rfc3339 (okno_booking_get_start (booking), NULL);
      g_autofree char *end = okno_time_format_rfc3339 (okno_booking_get_end (booking), NULL);
      const char *type = okno_booking_get_session_type (booking);

      json_object_set_string_member (session, "bookingId", okno_booking_get_id (booking));
      json_object_set_string_member (session, "start", start);
      json_object_set_string_member (session, "end", end);
      json_object_set_string_member (session, "name", okno_booking_get_name (booking) ? okno_booking_get_name (booking) : "");
      if (type != NULL && type[0] != '\0')
        json_object_set_string_member (session, "sessionType", type);
      json_array_add_object_element (sessions, session);
    }

  json_object_set_string_member (payload, "event", "agenda");
  json_object_set_string_member (payload, "date", date);
  if (okno_schedule_get_time_zone_name (self->schedule) != NULL)
    json_object_set_string_member (payload, "timeZone", okno_schedule_get_time_zone_name (self->schedule));
  json_object_set_array_member (payload, "sessions", sessions);

  return okno_outbox_item_new (key, AGENDA_KIND, payload);
}

/* Enqueues @booking's reminder into @record when it is due, or notes
 * when it will be. */
static void
plan_booking (OknoReminders     *self,
              OknoBooking       *booking,
              GDateTime         *now,
              OknoJournalRecord *record,
              GDateTime        **next)
{
  OknoLedger *ledger = get_ledger (self);
  g_autofree char *key = NULL;
  g_autoptr(GDateTime) due = NULL;
  GDateTime *created;
  const char *email;

  if (!okno_booking_is_active (booking) || self->reminder_hours == 0 || !has_channel (self, REMINDER_KIND))
    return;

  email = okno_booking_get_field (booking, "email");
  key = reminder_key (booking);
  if (email == NULL || email[0] == '\0' ||
      g_date_time_compare (okno_booking_get_start (booking), now) <= 0 ||
      okno_ledger_was_enqueued (ledger, key))
    return;

  due = g_date_time_add_hours (okno_booking_get_start (booking), - (int) self->reminder_hours);
  created = okno_booking_get_created (booking);
  if (created != NULL && g_date_time_compare (created, due) >= 0)
    return;

  if (g_date_time_compare (due, now) <= 0)
    {
      g_autoptr(JsonObject) item = reminder_item_new (self, booking);
      g_autoptr(JsonObject) mark = okno_enqueued_mark_new (key, okno_booking_get_end (booking));

      g_debug ("Reminder %s is due", key);
      okno_journal_record_add_outbox (record, item);
      okno_journal_record_add_enqueued (record, mark);
      g_hash_table_replace (self->waiting, g_strdup (okno_booking_get_id (booking)), g_steal_pointer (&key));
    }
  else
    take_earlier (next, due);
}

static void
plan_reminders (OknoReminders     *self,
                GDateTime         *now,
                OknoJournalRecord *record,
                GDateTime        **next)
{
  GListModel *bookings = okno_ledger_get_bookings (get_ledger (self));

  self->full_plans++;
  g_hash_table_remove_all (self->changed);
  drop_stale_reminders (self);

  for (guint i = 0; i < g_list_model_get_n_items (bookings); i++)
    {
      g_autoptr(OknoBooking) booking = g_list_model_get_item (bookings, i);

      plan_booking (self, booking, now, record, next);
    }
}

/* The bookings changed since the last plan only: what a commit needs. */
static void
plan_changed (OknoReminders     *self,
              GDateTime         *now,
              OknoJournalRecord *record,
              GDateTime        **next)
{
  OknoLedger *ledger = get_ledger (self);
  g_autoptr(GHashTable) changed = g_steal_pointer (&self->changed);
  GHashTableIter iter;
  gpointer id;

  self->changed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  g_hash_table_iter_init (&iter, changed);
  while (g_hash_table_iter_next (&iter, &id, NULL))
    {
      OknoBooking *booking = okno_ledger_lookup (ledger, id);
      const char *key = g_hash_table_lookup (self->waiting, id);
      g_autofree char *current = NULL;

      /* Its reminder waiting in the outbox is for a time it no longer has. */
      if (key != NULL &&
          (booking == NULL || !okno_booking_is_active (booking) ||
           !g_str_equal (key, (current = reminder_key (booking)))))
        {
          if (okno_ledger_has_outbox_item (ledger, key))
            {
              g_debug ("Dropping %s: its booking was cancelled or moved", key);
              okno_ledger_complete_outbox_item (ledger, key, NULL);
            }
          g_hash_table_remove (self->waiting, id);
        }

      if (booking != NULL)
        plan_booking (self, booking, now, record, next);
    }
}

static void
plan_agenda (OknoReminders     *self,
             GDateTime         *now,
             OknoJournalRecord *record,
             GDateTime        **next)
{
  GTimeZone *zone = okno_schedule_get_time_zone (self->schedule);
  g_autoptr(GDateTime) due = NULL;
  g_autoptr(GDateTime) tomorrow = NULL;
  g_autoptr(GDateTime) midnight = NULL;
  g_autoptr(GDateTime) day_end = NULL;
  g_autoptr(GPtrArray) day = NULL;
  g_autoptr(JsonObject) mark = NULL;
  g_autofree char *date = NULL;
  g_autofree char *key = NULL;
  gboolean any_ahead = FALSE;

  if (self->agenda_hour < 0 || !has_channel (self, AGENDA_KIND))
    return;

  due = day_at (now, zone, self->agenda_hour, 0);
  if (g_date_time_compare (now, due) < 0)
    {
      take_earlier (next, due);
      return;
    }

  tomorrow = day_at (now, zone, self->agenda_hour, 1);
  take_earlier (next, tomorrow);

  date = okno_time_format_date (now, zone);
  key = g_strconcat ("agenda:", date, NULL);
  if (okno_ledger_was_enqueued (get_ledger (self), key))
    return;

  midnight = day_at (now, zone, 0, 0);
  day_end = day_at (now, zone, 0, 1);
  day = dup_day_bookings (self, midnight, now, &any_ahead);
  mark = okno_enqueued_mark_new (key, day_end);
  okno_journal_record_add_enqueued (record, mark);
  if (any_ahead)
    {
      g_autoptr(JsonObject) item = agenda_item_new (self, key, date, day);

      g_debug ("Agenda %s is due: %u sessions", key, day->len);
      okno_journal_record_add_outbox (record, item);
    }
  else
    g_debug ("Agenda %s: nothing ahead today", key);
}

static gboolean
timer_cb (gpointer user_data)
{
  OknoReminders *self = user_data;

  self->timer = 0;
  okno_reminders_replan (self);

  return G_SOURCE_REMOVE;
}

static void
arm (OknoReminders *self,
     GTimeSpan      delay_usec)
{
  guint64 msec = (guint64) MAX (delay_usec, 0) / 1000 + 1;

  g_clear_handle_id (&self->timer, g_source_remove);
  self->timer = g_timeout_add ((guint) MIN (msec, (guint64) MAX_SLEEP_MSEC), timer_cb, self);
}

static void
appended_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(OknoReminders) self = user_data;
  g_autoptr(GError) error = NULL;

  if (okno_ledger_append_finish (OKNO_LEDGER (object), result, &error))
    return;
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->cancellable == NULL)
    return;

  /* The marks were taken back with the record: try again in a while. */
  g_warning ("Reminders could not be written, trying again in a minute: %s", error->message);
  g_clear_handle_id (&self->timer, g_source_remove);
  self->timer = g_timeout_add (RETRY_MSEC, timer_cb, self);
}

static void replan_changed (OknoReminders *self);

static gboolean
idle_cb (gpointer user_data)
{
  OknoReminders *self = user_data;

  self->idle = 0;
  if (self->full)
    okno_reminders_replan (self);
  else
    replan_changed (self);

  return G_SOURCE_REMOVE;
}

static void
schedule_plan (OknoReminders *self)
{
  self->full = TRUE;
  if (self->started && self->idle == 0 && self->cancellable != NULL)
    self->idle = g_idle_add (idle_cb, self);
}

static void
committed_cb (OknoReminders *self)
{
  if (self->started && self->idle == 0 && self->cancellable != NULL &&
      g_hash_table_size (self->changed) > 0)
    self->idle = g_idle_add (idle_cb, self);
}

static void
bookings_changed_cb (OknoReminders *self,
                     guint          position,
                     guint          removed,
                     guint          added,
                     GListModel    *bookings)
{
  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(OknoBooking) booking = g_list_model_get_item (bookings, i);

      g_hash_table_add (self->changed, g_strdup (okno_booking_get_id (booking)));
    }
}

static void
okno_reminders_dispose (GObject *object)
{
  OknoReminders *self = (OknoReminders *) object;

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->timer, g_source_remove);
  g_clear_handle_id (&self->idle, g_source_remove);
  g_clear_pointer (&self->next_due, g_date_time_unref);
  g_clear_pointer (&self->channels, g_strfreev);
  g_clear_pointer (&self->changed, g_hash_table_unref);
  g_clear_pointer (&self->waiting, g_hash_table_unref);
  g_clear_object (&self->schedule);

  G_OBJECT_CLASS (okno_reminders_parent_class)->dispose (object);
}

static void
okno_reminders_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  OknoReminders *self = OKNO_REMINDERS (object);

  switch (prop_id)
    {
    case PROP_REMINDER_HOURS:
      g_value_set_uint (value, self->reminder_hours);
      break;
    case PROP_AGENDA_HOUR:
      g_value_set_int (value, self->agenda_hour);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
okno_reminders_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  OknoReminders *self = OKNO_REMINDERS (object);

  switch (prop_id)
    {
    case PROP_REMINDER_HOURS:
      okno_reminders_set_reminder_hours (self, g_value_get_uint (value));
      break;
    case PROP_AGENDA_HOUR:
      okno_reminders_set_agenda_hour (self, g_value_get_int (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
okno_reminders_class_init (OknoRemindersClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = okno_reminders_dispose;
  object_class->get_property = okno_reminders_get_property;
  object_class->set_property = okno_reminders_set_property;

  /**
   * OknoReminders:reminder-hours:
   *
   * How long before a session its client's reminder goes out; 0 for none.
   */
  properties [PROP_REMINDER_HOURS] =
    g_param_spec_uint ("reminder-hours", NULL, NULL, 0, 24 * 365, 24,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /**
   * OknoReminders:agenda-hour:
   *
   * The hour (0–23, Olga's zone) of her morning agenda; -1 for none.
   */
  properties [PROP_AGENDA_HOUR] =
    g_param_spec_int ("agenda-hour", NULL, NULL, -1, 23, -1,
                      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
okno_reminders_init (OknoReminders *self)
{
  self->cancellable = g_cancellable_new ();
  self->changed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->waiting = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->reminder_hours = 24;
  self->agenda_hour = -1;
}

OknoReminders *
okno_reminders_new (OknoSchedule *schedule)
{
  OknoReminders *self;

  g_return_val_if_fail (OKNO_IS_SCHEDULE (schedule), NULL);

  self = g_object_new (OKNO_TYPE_REMINDERS, NULL);
  self->schedule = g_object_ref (schedule);
  g_signal_connect_object (okno_schedule_get_ledger (schedule), "committed",
                           G_CALLBACK (committed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (okno_ledger_get_bookings (okno_schedule_get_ledger (schedule)), "items-changed",
                           G_CALLBACK (bookings_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (schedule, "notify::time-zone",
                           G_CALLBACK (committed_cb), self, G_CONNECT_SWAPPED);

  return self;
}

/**
 * okno_reminders_start:
 *
 * Catches up on what became due meanwhile, and plans from then on.
 */
void
okno_reminders_start (OknoReminders *self)
{
  g_return_if_fail (OKNO_IS_REMINDERS (self));

  self->started = TRUE;
  schedule_plan (self);
}

/**
 * okno_reminders_set_channels:
 * @kinds: (nullable): the notification kinds set up now ("telegram",
 *   "client-email", …): reminders need "client-email", the agenda
 *   "telegram"
 */
void
okno_reminders_set_channels (OknoReminders      *self,
                             const char * const *kinds)
{
  g_return_if_fail (OKNO_IS_REMINDERS (self));

  g_clear_pointer (&self->channels, g_strfreev);
  self->channels = g_strdupv ((char **) kinds);
  schedule_plan (self);
}

/**
 * okno_reminders_replan:
 *
 * Enqueues what is due by now (in one journal write) and arms the timer
 * for what comes next. Tests call it after moving the clock.
 */
void
okno_reminders_replan (OknoReminders *self)
{
  g_autoptr(OknoJournalRecord) record = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(GDateTime) next = NULL;

  g_return_if_fail (OKNO_IS_REMINDERS (self));

  if (!self->started || self->cancellable == NULL)
    return;

  g_clear_handle_id (&self->idle, g_source_remove);
  g_clear_handle_id (&self->timer, g_source_remove);
  self->full = FALSE;

  now = okno_time_now_utc ();
  record = okno_journal_record_new ();
  plan_reminders (self, now, record, &next);
  plan_agenda (self, now, record, &next);

  if (!okno_journal_record_is_empty (record))
    okno_ledger_append_async (get_ledger (self), g_steal_pointer (&record), self->cancellable,
                              appended_cb, g_object_ref (self));

  g_clear_pointer (&self->next_due, g_date_time_unref);
  if (next != NULL)
    {
      self->next_due = g_date_time_ref (next);
      arm (self, g_date_time_difference (next, now));
    }
  else
    arm (self, (GTimeSpan) MAX_SLEEP_MSEC * 1000);
}

/* After a commit: plans the changed bookings, and re-arms the timer only
 * when one of them is due before it. */
static void
replan_changed (OknoReminders *self)
{
  g_autoptr(OknoJournalRecord) record = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(GDateTime) next = NULL;

  if (!self->started || self->cancellable == NULL)
    return;

  now = okno_time_now_utc ();
  record = okno_journal_record_new ();
  plan_changed (self, now, record, &next);

  if (!okno_journal_record_is_empty (record))
    okno_ledger_append_async (get_ledger (self), g_steal_pointer (&record), self->cancellable,
                              appended_cb, g_object_ref (self));

  if (next != NULL && (self->next_due == NULL || g_date_time_compare (next, self->next_due) < 0))
    {
      g_clear_pointer (&self->next_due, g_date_time_unref);
      self->next_due = g_date_time_ref (next);
      arm (self, g_date_time_difference (next, now));
    }
}

guint
_okno_reminders_get_full_plans (OknoReminders *self)
{
  g_return_val_if_fail (OKNO_IS_REMINDERS (self), 0);
  return self->full_plans;
}

/**
 * okno_reminders_dup_next_due:
 *
 * Returns: (nullable): when the next reminder or agenda is due, as planned
 */
GDateTime *
okno_reminders_dup_next_due (OknoReminders *self)
{
  g_return_val_if_fail (OKNO_IS_REMINDERS (self), NULL);

  return self->next_due ? g_date_time_ref (self->next_due) : NULL;
}

guint
okno_reminders_get_reminder_hours (OknoReminders *self)
{
  g_return_val_if_fail (OKNO_IS_REMINDERS (self), 0);
  return self->reminder_hours;
}

void
okno_reminders_set_reminder_hours (OknoReminders *self,
                                   guint          hours)
{
  g_return_if_fail (OKNO_IS_REMINDERS (self));

  if (self->reminder_hours == hours)
    return;
  self->reminder_hours = hours;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_REMINDER_HOURS]);
  schedule_plan (self);
}

int
okno_reminders_get_agenda_hour (OknoReminders *self)
{
  g_return_val_if_fail (OKNO_IS_REMINDERS (self), -1);
  return self->agenda_hour;
}

void
okno_reminders_set_agenda_hour (OknoReminders *self,
                                int            hour)
{
  g_return_if_fail (OKNO_IS_REMINDERS (self));
  g_return_if_fail (hour >= -1 && hour <= 23);

  if (self->agenda_hour == hour)
    return;
  self->agenda_hour = hour;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_AGENDA_HOUR]);
  schedule_plan (self);
}

/**
 * okno_reminders_parse_agenda_hour:
 * @text: (nullable): the agenda-hour setting: "" or an hour "0"–"23"
 *
 * Returns: the hour, or -1 for none (empty or not an hour)
 */
int
okno_reminders_parse_agenda_hour (const char *text)
{
  guint64 hour = 0;

  if (text == NULL || text[0] == '\0' ||
      !g_ascii_string_to_unsigned (text, 10, 0, 23, &hour, NULL))
    return -1;

  return (int) hour;
}
