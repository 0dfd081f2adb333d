/* okno-schedule.c
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "OknoSchedule"

#include "config.h"

#include <glib/gi18n.h>

#include "okno-errors.h"
#include "okno-schedule.h"
#include "okno-time.h"

/* Olga's schedule: the calendar's events seen through the booking rules.
 *
 * It reads one calendar that holds the slots (where Okno writes) and any
 * number of others whose events only count as busy (another Google
 * calendar of Olga's, say): okno_schedule_add_busy_calendar().
 *
 * As a GListModel it holds the events of one range (the week the window
 * shows), kept current as the calendar and the ledger change. It also
 * answers which slots a client may book: open, at least the minimum notice
 * ahead, inside the booking window, not overlapping anything busy. */
struct _OknoSchedule
{
  GObject       parent_instance;

  OknoCalendar *calendar;
  GPtrArray    *busy_calendars;
  OknoLedger   *ledger;
  GPtrArray    *items;
  GDateTime    *range_start;
  GDateTime    *range_end;

  char         *slot_marker;
  char         *booked_marker;
  char         *time_zone_name;
  GTimeZone    *time_zone;
  guint         min_notice_minutes;
  guint         booking_window_days;
  guint         buffer_minutes;
  guint         max_sessions_per_day;
  OknoBooking  *moving;  /* during okno_schedule_check_movable() */
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (OknoSchedule, okno_schedule, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

enum {
  PROP_0,
  PROP_CALENDAR,
  PROP_LEDGER,
  PROP_SLOT_MARKER,
  PROP_BOOKED_MARKER,
  PROP_TIME_ZONE,
  PROP_MIN_NOTICE_MINUTES,
  PROP_BOOKING_WINDOW_DAYS,
  PROP_BUFFER_MINUTES,
  PROP_MAX_SESSIONS_PER_DAY,
  N_PROPS
};

enum {
  CHANGED,
  N_SIGNALS
};

static GParamSpec *properties [N_PROPS];
static guint signals [N_SIGNALS];

/* The events of every calendar read that overlap [@start, @end), by start. */
static GPtrArray *
list_events (OknoSchedule *self,
             GDateTime    *start,
             GDateTime    *end)
{
  GPtrArray *events = okno_calendar_list_events (self->calendar, start, end);

  for (guint i = 0; i < self->busy_calendars->len; i++)
    {
      g_autoptr(GPtrArray) busy = okno_calendar_list_events (g_ptr_array_index (self->busy_calendars, i), start, end);

      for (guint j = 0; j < busy->len; j++)
        g_ptr_array_add (events, g_object_ref (g_ptr_array_index (busy, j)));
    }
  if (self->busy_calendars->len > 0)
    g_ptr_array_sort (events, okno_event_compare);

  return events;
}

/* Whether @event belongs to a busy calendar rather than the slots'. */
static gboolean
is_from_busy_calendar (OknoSchedule *self,
                       OknoEvent    *event)
{
  const char *id = okno_event_get_id (event);

  if (self->busy_calendars->len == 0 || okno_calendar_lookup_event (self->calendar, id) != NULL)
    return FALSE;

  for (guint i = 0; i < self->busy_calendars->len; i++)
    if (okno_calendar_lookup_event (g_ptr_array_index (self->busy_calendars, i), id) != NULL)
      return TRUE;

  return FALSE;
}

static void
refresh_items (OknoSchedule *self)
{
  g_autoptr(GPtrArray) items = NULL;
  guint removed = self->items->len;

  if (self->range_start == NULL)
    return;

  items = list_events (self, self->range_start, self->range_end);
  g_ptr_array_set_size (self->items, 0);
  for (guint i = 0; i < items->len; i++)
    g_ptr_array_add (self->items, g_object_ref (g_ptr_array_index (items, i)));

  g_list_model_items_changed (G_LIST_MODEL (self), 0, removed, self->items->len);
}

static void
changed (OknoSchedule *self)
{
  refresh_items (self);
  g_signal_emit (self, signals [CHANGED], 0);
}

static gboolean
is_reopening (OknoSchedule *self,
              OknoEvent    *event)
{
  const char *holder = okno_event_get_private (event, OKNO_PROP_BOOKING);
  OknoBooking *booking;

  if (holder == NULL || okno_event_get_id (event) == NULL ||
      okno_ledger_lookup_active_for_slot (self->ledger, okno_event_get_id (event)) != NULL)
    return FALSE;

  /* Cancelled, or moved to another slot. */
  booking = okno_ledger_lookup (self->ledger, holder);
  return booking != NULL &&
         (!okno_booking_is_active (booking) ||
          g_strcmp0 (okno_booking_get_slot_id (booking), okno_event_get_id (event)) != 0);
}

static gboolean
is_booked_in_ledger (OknoSchedule *self,
                     OknoEvent    *event)
{
  return okno_ledger_lookup_active_for_slot (self->ledger, okno_event_get_id (event)) != NULL;
}

static gboolean
takes_time (OknoSchedule *self,
            OknoEvent    *event)
{
  OknoEventKind kind = okno_schedule_classify (self, event);

  return kind == OKNO_EVENT_KIND_BUSY || kind == OKNO_EVENT_KIND_BOOKED;
}

/* The slot is free of anything busy in @events, and keeps buffer-minutes
 * away from every booked session. */
static gboolean
is_clear (OknoSchedule *self,
          OknoEvent    *slot,
          GPtrArray    *events)
{
  g_autoptr(GDateTime) start = g_date_time_add_minutes (okno_event_get_start (slot), -(int) self->buffer_minutes);
  g_autoptr(GDateTime) end = g_date_time_add_minutes (okno_event_get_end (slot), (int) self->buffer_minutes);

  for (guint i = 0; i < events->len; i++)
    {
      OknoEvent *other = g_ptr_array_index (events, i);
      OknoEventKind kind;

      if (other == slot || g_strcmp0 (okno_event_get_id (other), okno_event_get_id (slot)) == 0)
        continue;
      /* A booking being moved does not stand in its own way. */
      if (self->moving != NULL &&
          g_strcmp0 (okno_event_get_id (other), okno_booking_get_slot_id (self->moving)) == 0)
        continue;
      kind = okno_schedule_classify (self, other);
      if (kind == OKNO_EVENT_KIND_BOOKED &&
          okno_time_ranges_overlap (start, end, okno_event_get_start (other), okno_event_get_end (other)))
        return FALSE;
      if (okno_time_ranges_overlap (okno_event_get_start (slot), okno_event_get_end (slot),
                                    okno_event_get_start (other), okno_event_get_end (other)) &&
          takes_time (self, other))
        return FALSE;
    }

  return TRUE;
}

/* Olga's day of @time, as a key: 20261203. */
static guint
day_key (OknoSchedule *self,
         GDateTime    *time)
{
  g_autoptr(GDateTime) local = g_date_time_to_timezone (time, self->time_zone);

  return (guint) (g_date_time_get_year (local) * 10000 + g_date_time_get_month (local) * 100 +
                  g_date_time_get_day_of_month (local));
}

/* How many active bookings each of Olga's days holds: day_key → count. */
static GHashTable *
count_booked_days (OknoSchedule *self)
{
  GListModel *bookings = okno_ledger_get_bookings (self->ledger);
  GHashTable *days = g_hash_table_new (NULL, NULL);
  guint n = g_list_model_get_n_items (bookings);

  /* Without max-sessions-per-day nobody asks: no walk through every
   * booking in the ledger for each decision. */
  if (self->max_sessions_per_day == 0)
    return days;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(OknoBooking) booking = g_list_model_get_item (bookings, i);
      gpointer key;

      if (!okno_booking_is_active (booking) || booking == self->moving)
        continue;
      key = GUINT_TO_POINTER (day_key (self, okno_booking_get_start (booking)));
      g_hash_table_insert (days, key, GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (days, key)) + 1));
    }

  return days;
}

/* max-sessions-per-day: whether @event's day is already full. */
static gboolean
day_is_full (OknoSchedule *self,
             OknoEvent    *event,
             GHashTable   *days)
{
  gpointer key = GUINT_TO_POINTER (day_key (self, okno_event_get_start (event)));

  return self->max_sessions_per_day > 0 &&
         GPOINTER_TO_UINT (g_hash_table_lookup (days, key)) >= self->max_sessions_per_day;
}

/* Checks the rules that depend on time; fills @error with the reason. */
static gboolean
check_time_rules (OknoSchedule  *self,
                  OknoEvent     *event,
                  GDateTime     *now,
                  GError       **error)
{
  g_autoptr(GDateTime) earliest = g_date_time_add_minutes (now, self->min_notice_minutes);
  g_autoptr(GDateTime) latest = g_date_time_add_days (now, self->booking_window_days);
  GDateTime *start = okno_event_get_start (event);

  if (g_date_time_compare (start, now) <= 0)
    {
      g_set_error_literal (error, OKNO_BOOKING_ERROR, OKNO_BOOKING_ERROR_SLOT_UNAVAILABLE,
                           N_("This time has already passed."));
      return FALSE;
    }
  if (g_date_time_compare (start, earliest) < 0)
    {
      g_set_error_literal (error, OKNO_BOOKING_ERROR, OKNO_BOOKING_ERROR_SLOT_UNAVAILABLE,
                           N_("This time is too soon to book; please choose a later one."));
      return FALSE;
    }
  if (g_date_time_compare (start, latest) >= 0)
    {
      g_set_error_literal (error, OKNO_BOOKING_ERROR, OKNO_BOOKING_ERROR_SLOT_UNAVAILABLE,
                           N_("This time is not open for booking yet."));
      return FALSE;
    }

  return TRUE;
}

static void
note_change (GDateTime  *candidate,
             GDateTime  *now,
             GDateTime **next_change)
{
  if (g_date_time_compare (candidate, now) <= 0)
    return;
  if (*next_change == NULL || g_date_time_compare (candidate, *next_change) < 0)
    {
      g_clear_pointer (next_change, g_date_time_unref);
      *next_change = g_date_time_ref (candidate);
    }
}

static void
set_string_property (OknoSchedule  *self,
                     char         **field,
                     const char    *value,
                     GParamSpec    *pspec)
{
  if (g_strcmp0 (*field, value) == 0)
    return;

  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), pspec);
  changed (self);
}

static void
set_uint_property (OknoSchedule *self,
                   guint        *field,
                   guint         value,
                   GParamSpec   *pspec)
{
  if (*field == value)
    return;

  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), pspec);
  g_signal_emit (self, signals [CHANGED], 0);
}

static void
set_time_zone (OknoSchedule *self,
               const char   *name)
{
  g_autoptr(GTimeZone) zone = okno_time_zone_new (name);

  if (zone == NULL)
    {
      g_warning ("Unknown time zone “%s”; using the system’s", name);
      zone = g_time_zone_new_local ();
    }

  g_clear_pointer (&self->time_zone, g_time_zone_unref);
  self->time_zone = g_steal_pointer (&zone);
  set_string_property (self, &self->time_zone_name, name ? name : "", properties [PROP_TIME_ZONE]);
}

static void
calendar_changed_cb (OknoSchedule *self)
{
  changed (self);
}

static void
ledger_items_changed_cb (OknoSchedule *self)
{
  changed (self);
}

static GType
list_model_get_item_type (GListModel *model)
{
  return OKNO_TYPE_EVENT;
}

static guint
list_model_get_n_items (GListModel *model)
{
  return OKNO_SCHEDULE (model)->items->len;
}

static gpointer
list_model_get_item (GListModel *model,
                     guint       position)
{
  OknoSchedule *self = OKNO_SCHEDULE (model);

  if (position >= self->items->len)
    return NULL;

  return g_object_ref (g_ptr_array_index (self->items, position));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = list_model_get_item_type;
  iface->get_n_items = list_model_get_n_items;
  iface->get_item = list_model_get_item;
}

static void
okno_schedule_constructed (GObject *object)
{
  OknoSchedule *self = (OknoSchedule *) object;

  G_OBJECT_CLASS (okno_schedule_parent_class)->constructed (object);

  g_signal_connect_object (self->calendar, "changed",
                           G_CALLBACK (calendar_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (okno_ledger_get_bookings (self->ledger), "items-changed",
                           G_CALLBACK (ledger_items_changed_cb), self, G_CONNECT_SWAPPED);
}

static void
okno_schedule_dispose (GObject *object)
{
  OknoSchedule *self = (OknoSchedule *) object;

  g_clear_object (&self->calendar);
  g_clear_object (&self->ledger);
  g_ptr_array_set_size (self->items, 0);
  g_ptr_array_set_size (self->busy_calendars, 0);

  G_OBJECT_CLASS (okno_schedule_parent_class)->dispose (object);
}

static void
okno_schedule_finalize (GObject *object)
{
  OknoSchedule *self = (OknoSchedule *) object;

  g_clear_pointer (&self->items, g_ptr_array_unref);
  g_clear_pointer (&self->busy_calendars, g_ptr_array_unref);
  g_clear_pointer (&self->range_start, g_date_time_unref);
  g_clear_pointer (&self->range_end, g_date_time_unref);
  g_clear_pointer (&self->slot_marker, g_free);
  g_clear_pointer (&self->booked_marker, g_free);
  g_clear_pointer (&self->time_zone_name, g_free);
  g_clear_pointer (&self->time_zone, g_time_zone_unref);

  G_OBJECT_CLASS (okno_schedule_parent_class)->finalize (object);
}

static void
okno_schedule_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  OknoSchedule *self = OKNO_SCHEDULE (object);

  switch (prop_id)
    {
    case PROP_CALENDAR:
      g_value_set_object (value, self->calendar);
      break;
    case PROP_LEDGER:
      g_value_set_object (value, self->ledger);
      break;
    case PROP_SLOT_MARKER:
      g_value_set_string (value, self->slot_marker);
      break;
    case PROP_BOOKED_MARKER:
      g_value_set_string (value, self->booked_marker);
      break;
    case PROP_TIME_ZONE:
      g_value_set_string (value, self->time_zone_name);
      break;
    case PROP_MIN_NOTICE_MINUTES:
      g_value_set_uint (value, self->min_notice_minutes);
      break;
    case PROP_BOOKING_WINDOW_DAYS:
      g_value_set_uint (value, self->booking_window_days);
      break;
    case PROP_BUFFER_MINUTES:
      g_value_set_uint (value, self->buffer_minutes);
      break;
    case PROP_MAX_SESSIONS_PER_DAY:
      g_value_set_uint (value, self->max_sessions_per_day);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
okno_schedule_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  OknoSchedule *self = OKNO_SCHEDULE (object);

  switch (prop_id)
    {
    case PROP_CALENDAR:
      self->calendar = g_value_dup_object (value);
      break;
    case PROP_LEDGER:
      self->ledger = g_value_dup_object (value);
      break;
    case PROP_SLOT_MARKER:
      set_string_property (self, &self->slot_marker, g_value_get_string (value), pspec);
      break;
    case PROP_BOOKED_MARKER:
      set_string_property (self, &self->booked_marker, g_value_get_string (value), pspec);
      break;
    case PROP_TIME_ZONE:
      set_time_zone (self, g_value_get_string (value));
      break;
    case PROP_MIN_NOTICE_MINUTES:
      set_uint_property (self, &self->min_notice_minutes, g_value_get_uint (value), pspec);
      break;
    case PROP_BOOKING_WINDOW_DAYS:
      set_uint_property (self, &self->booking_window_days, g_value_get_uint (value), pspec);
      break;
    case PROP_BUFFER_MINUTES:
      set_uint_property (self, &self->buffer_minutes, g_value_get_uint (value), pspec);
      break;
    case PROP_MAX_SESSIONS_PER_DAY:
      set_uint_property (self, &self->max_sessions_per_day, g_value_get_uint (value), pspec);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
okno_schedule_class_init (OknoScheduleClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = okno_schedule_constructed;
  object_class->dispose = okno_schedule_dispose;
  object_class->finalize = okno_schedule_finalize;
  object_class->get_property = okno_schedule_get_property;
  object_class->set_property = okno_schedule_set_property;

  properties [PROP_CALENDAR] =
    g_param_spec_object ("calendar", NULL, NULL,
                         OKNO_TYPE_CALENDAR,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  properties [PROP_LEDGER] =
    g_param_spec_object ("ledger", NULL, NULL,
                         OKNO_TYPE_LEDGER,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  properties [PROP_SLOT_MARKER] =
    g_param_spec_string ("slot-marker", NULL, NULL,
                         "🔓 СЛОТ",
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties [PROP_BOOKED_MARKER] =
    g_param_spec_string ("booked-marker", NULL, NULL,
                         "✅",
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties [PROP_TIME_ZONE] =
    g_param_spec_string ("time-zone", NULL, NULL,
                         "",
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties [PROP_MIN_NOTICE_MINUTES] =
    g_param_spec_uint ("min-notice-minutes", NULL, NULL,
                       0, G_MAXUINT, 120,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties [PROP_BOOKING_WINDOW_DAYS] =
    g_param_spec_uint ("booking-window-days", NULL, NULL,
                       1, 3650, 30,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  /* No slot is offered within this many minutes of a booked session. */
  properties [PROP_BUFFER_MINUTES] =
    g_param_spec_uint ("buffer-minutes", NULL, NULL,
                       0, 1440, 0,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  /* A day (in Olga's zone) with this many booked sessions offers no more; 0: no limit. */
  properties [PROP_MAX_SESSIONS_PER_DAY] =
    g_param_spec_uint ("max-sessions-per-day", NULL, NULL,
                       0, 100, 0,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * OknoSchedule::changed:
   *
   * What is bookable may have changed: events, bookings or rules.
   */
  signals [CHANGED] =
    g_signal_new ("changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
okno_schedule_init (OknoSchedule *self)
{
  self->items = g_ptr_array_new_with_free_func (g_object_unref);
  self->busy_calendars = g_ptr_array_new_with_free_func (g_object_unref);
  self->slot_marker = g_strdup ("🔓 СЛОТ");
  self->booked_marker = g_strdup ("✅");
  self->time_zone_name = g_strdup ("");
  self->time_zone = g_time_zone_new_local ();
  self->min_notice_minutes = 120;
  self->booking_window_days = 30;
}

OknoSchedule *
okno_schedule_new (OknoCalendar *calendar,
                   OknoLedger   *ledger)
{
  g_return_val_if_fail (OKNO_IS_CALENDAR (calendar), NULL);
  g_return_val_if_fail (OKNO_IS_LEDGER (ledger), NULL);

  return g_object_new (OKNO_TYPE_SCHEDULE,
                       "calendar", calendar,
                       "ledger", ledger,
                       NULL);
}

OknoCalendar *
okno_schedule_get_calendar (OknoSchedule *self)
{
  g_return_val_if_fail (OKNO_IS_SCHEDULE (self), NULL);
  return self->calendar;
}

/**
 * okno_schedule_add_busy_calendar:
 *
 * Makes every event of @calendar (except free-time ones) count as busy: no
 * slot is offered or placed over it. Okno never writes to @calendar.
 */
void
okno_schedule_add_busy_calendar (OknoSchedule *self,
                                 OknoCalendar *calendar)
{
  g_return_if_fail (OKNO_IS_SCHEDULE (self));
  g_return_if_fail (OKNO_IS_CALENDAR (calendar));
  g_return_if_fail (calendar != self->calendar);

  g_ptr_array_add (self->busy_calendars, g_object_ref (calendar));
  g_signal_connect_object (calendar, "changed",
                           G_CALLBACK (calendar_changed_cb), self, G_CONNECT_SWAPPED);
  changed (self);
}

/**
 * okno_schedule_list_events:
 *
 * Returns: (transfer container): the events of the slots' calendar and of
 *   every busy calendar that overlap [@start, @end), by start
 */
GPtrArray *
okno_schedule_list_events (OknoSchedule *self,
                           GDateTime    *start,
                           GDateTime    *end)
{
  g_return_val_if_fail (OKNO_IS_SCHEDULE (self), NULL);
  g_return_val_if_fail (start != NULL && end != NULL, NULL);

  return list_events (self, start, end);
}

OknoLedger *
okno_schedule_get_ledger (OknoSchedule *self)
{
  g_return_val_if_fail (OKNO_IS_SCHEDULE (self), NULL);
  return self->ledger;
}

GTimeZone *
okno_schedule_get_time_zone (OknoSchedule *self)
{
  g_return_val_if_fail (OKNO_IS_SCHEDULE (self), NULL);
  return self->time_zone;
}

/* The zone's IANA name, for humans and the API ("Europe/Moscow"). */
const char *
okno_schedule_get_time_zone_name (OknoSchedule *self)
{
  g_return_val_if_fail (OKNO_IS_SCHEDULE (self), NULL);

  if (self->time_zone_name[0] != '\0')
    return self->time_zone_name;

  return g_time_zone_get_identifier (self->time_zone);
}

const char *
okno_schedule_get_slot_marker (OknoSchedule *self)
{
  g_return_val_if_fail (OKNO_IS_SCHEDULE (self), NULL);
  return self->slot_marker;
}

const char *
okno_schedule_get_booked_marker (OknoSchedule *self)
{
  g_return_val_if_fail (OKNO_IS_SCHEDULE (self), NULL);
  return self->booked_marker;
}

void
okno_schedule_set_range (OknoSchedule *self,
                         GDateTime    *start,
                         GDateTime    *end)
{
  g_return_if_fail (OKNO_IS_SCHEDULE (self));
  g_return_if_fail (start != NULL && end != NULL);

  g_date_time_ref (start);
  g_date_time_ref (end);
  g_clear_pointer (&self->range_start, g_date_time_unref);
  g_clear_pointer (&self->range_end, g_date_time_unref);
  self->range_start = start;
  self->range_end = end;

  refresh_items (self);
}

/* Like okno_event_classify(), but a slot the ledger holds a booking for is
 * booked even before its calendar event says so. */
OknoEventKind
okno_schedule_classify (OknoSchedule *self,
                        OknoEvent    *event)
{
  OknoEventKind kind;

  g_return_val_if_fail (OKNO_IS_SCHEDULE (self), OKNO_EVENT_KIND_BUSY);

  if (is_from_busy_calendar (self, event))
    return okno_event_is_cancelled (event) || okno_event_is_transparent (event)
             ? OKNO_EVENT_KIND_FREE : OKNO_EVENT_KIND_BUSY;

  kind = okno_event_classify (event, self->slot_marker, self->booked_marker);
  if (kind == OKNO_EVENT_KIND_SLOT && is_booked_in_ledger (self, event))
    return OKNO_EVENT_KIND_BOOKED;

  /* The ledger is the truth, the calendar follows it through the outbox:
   * a slot whose booking was cancelled is open again even while its event
   * still shows the booking. */
  if (kind == OKNO_EVENT_KIND_BOOKED && is_reopening (self, event))
    return OKNO_EVENT_KIND_SLOT;

  return kind;
}

OknoSlot *
okno_schedule_dup_slot (OknoSchedule *self,
                        const char   *slot_id)
{
  OknoEvent *event;

  g_return_val_if_fail (OKNO_IS_SCHEDULE (self), NULL);

  if (!(event = okno_calendar_lookup_event (self->calendar, slot_id)))
    return NULL;

  return okno_slot_new_from_event (event, self->slot_marker, self->booked_marker);
}

/**
 * okno_schedule_dup_bookable_slots:
 * @next_change: (out) (optional): the next moment at which the answer will
 *   change by the passing of time alone (a slot comes inside the booking
 *   window or within the minimum notice), or %NULL if none
 *
 * Returns: (transfer container): the bookable slots that start in
 *   [@from, @to), by start time
 */
GPtrArray *
okno_schedule_dup_bookable_slots (OknoSchedule  *self,
                                  GDateTime     *from,
                                  GDateTime     *to,
                                  GDateTime     *now,
                                  GDateTime    **next_change)
{
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GDateTime) horizon = NULL;
  g_autoptr(GDateTime) earlier = NULL;
  g_autoptr(GHashTable) days = NULL;
  GPtrArray *slots;

  g_return_val_if_fail (OKNO_IS_SCHEDULE (self), NULL);
  g_return_val_if_fail (from != NULL && to != NULL && now != NULL, NULL);

  if (next_change)
    *next_change = NULL;

  /* Busy events overlapping a slot may end after @to: look a day further;
   * a booked session buffer-minutes before @from still counts. */
  horizon = g_date_time_add_days (to, 1);
  earlier = g_date_time_add_minutes (from, -(int) self->buffer_minutes);
  events = list_events (self, earlier, horizon);
  days = count_booked_days (self);
  slots = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < events->len; i++)
    {
      OknoEvent *event = g_ptr_array_index (events, i);
      GDateTime *start = okno_event_get_start (event);

      if (g_date_time_compare (start, from) < 0 || g_date_time_compare (start, to) >= 0)
        continue;
      if (okno_schedule_classify (self, event) != OKNO_EVENT_KIND_SLOT)
        continue;

      if (next_change)
        {
          g_autoptr(GDateTime) closes = g_date_time_add_minutes (start, -(int) self->min_notice_minutes);
          g_autoptr(GDateTime) opens = g_date_time_add_days (start, -(int) self->booking_window_days);

          note_change (closes, now, next_change);
          note_change (opens, now, next_change);
        }

      if (check_time_rules (self, event, now, NULL) && !day_is_full (self, event, days) &&
          is_clear (self, event, events))
        g_ptr_array_add (slots, okno_slot_new_from_event (event, self->slot_marker, self->booked_marker));
    }

  return slots;
}

/**
 * okno_schedule_check_bookable:
 *
 * Returns: (transfer full): the slot if a client may book it now;
 *   otherwise %NULL and @error says why, in words for the client
 */
OknoSlot *
okno_schedule_check_bookable (OknoSchedule  *self,
                              const char    *slot_id,
                              GDateTime     *now,
                              GError       **error)
{
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GHashTable) days = NULL;
  g_autoptr(GDateTime) earlier = NULL;
  g_autoptr(GDateTime) later = NULL;
  OknoEvent *event;

  g_return_val_if_fail (OKNO_IS_SCHEDULE (self), NULL);
  g_return_val_if_fail (now != NULL, NULL);

  event = okno_calendar_lookup_event (self->calendar, slot_id);
  if (event == NULL)
    {
      g_set_error_literal (error, OKNO_BOOKING_ERROR, OKNO_BOOKING_ERROR_SLOT_NOT_FOUND,
                           N_("This time is no longer offered."));
      return NULL;
    }

  switch (okno_schedule_classify (self, event))
    {
    case OKNO_EVENT_KIND_SLOT:
      break;
    case OKNO_EVENT_KIND_BOOKED:
      g_set_error_literal (error, OKNO_BOOKING_ERROR, OKNO_BOOKING_ERROR_SLOT_TAKEN,
                           N_("Someone has just booked this time. Please choose another one."));
      return NULL;
    case OKNO_EVENT_KIND_BUSY:
    case OKNO_EVENT_KIND_FREE:
    default:
      g_set_error_literal (error, OKNO_BOOKING_ERROR, OKNO_BOOKING_ERROR_SLOT_NOT_FOUND,
                           N_("This time is no longer offered."));
      return NULL;
    }

  if (!check_time_rules (self, event, now, error))
    return NULL;

  days = count_booked_days (self);
  if (day_is_full (self, event, days))
    {
      g_set_error_literal (error, OKNO_BOOKING_ERROR, OKNO_BOOKING_ERROR_SLOT_UNAVAILABLE,
                           N_("This day is fully booked. Please choose another day."));
      return NULL;
    }

  earlier = g_date_time_add_minutes (okno_event_get_start (event), -(int) self->buffer_minutes);
  later = g_date_time_add_minutes (okno_event_get_end (event), (int) self->buffer_minutes);
  events = list_events (self, earlier, later);
  if (!is_clear (self, event, events))
    {
      g_set_error_literal (error, OKNO_BOOKING_ERROR, OKNO_BOOKING_ERROR_SLOT_UNAVAILABLE,
                           N_("This time is no longer available. Please choose another one."));
      return NULL;
    }

  return okno_slot_new_from_event (event, self->slot_marker, self->booked_marker);
}

/**
 * okno_schedule_check_movable:
 * @booking: an active booking that would move to @slot_id
 *
 * okno_schedule_check_bookable() for a move: the same rules, but @booking
 * itself neither counts toward its day's limit nor keeps a buffer around
 * the slot it leaves.
 *
 * Returns: (transfer full): the slot if @booking may move there now;
 *   otherwise %NULL and @error says why, in words for the client
 */
OknoSlot *
okno_schedule_check_movable (OknoSchedule  *self,
                             const char    *slot_id,
                             OknoBooking   *booking,
                             GDateTime     *now,
                             GError       **error)
{
  OknoSlot *slot;

  g_return_val_if_fail (OKNO_IS_SCHEDULE (self), NULL);
  g_return_val_if_fail (OKNO_IS_BOOKING (booking), NULL);

  self->moving = booking;
  slot = okno_schedule_check_bookable (self, slot_id, now, error);
  self->moving = NULL;

  return slot;
}
