/* okno-calendar-refresher.c
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "OknoCalendarRefresher"

#include "config.h"

#include "okno-calendar-refresher.h"
#include "okno-google-calendar.h"

/* The window asks the calendar for changes at once when Olga comes back to
 * it (the window gains focus) and when she looks at another week, instead
 * of waiting for the next poll. A sync already under way is joined, not
 * doubled (the backend's refresh_async). While Google needs a new sign-in
 * nothing is asked: the banner's Reconnect does that. */

struct _OknoCalendarRefresher
{
  GObject       parent_instance;

  OknoCalendar *calendar;
  GtkWindow    *window;    /* weak */
  GDateTime    *week;      /* first day shown */
  gboolean      active;
};

G_DEFINE_FINAL_TYPE (OknoCalendarRefresher, okno_calendar_refresher, G_TYPE_OBJECT)

static void
refresh_one (OknoCalendar *calendar)
{
  if (okno_calendar_get_state (calendar) == OKNO_CALENDAR_STATE_RECONNECT)
    return;
  okno_calendar_refresh_async (calendar, NULL, NULL, NULL);
}

static void
refresh (OknoCalendarRefresher *self)
{
  g_debug ("Asking the calendar for changes");
  refresh_one (self->calendar);
  /* The calendars that only count as busy poll on their own; they follow. */
  if (OKNO_IS_GOOGLE_CALENDAR (self->calendar))
    {
      GPtrArray *busy = okno_google_calendar_get_busy_calendars (OKNO_GOOGLE_CALENDAR (self->calendar));

      for (guint i = 0; busy != NULL && i < busy->len; i++)
        refresh_one (g_ptr_array_index (busy, i));
    }
}

static void
active_changed_cb (OknoCalendarRefresher *self)
{
  gboolean active = self->window != NULL && gtk_window_is_active (self->window);

  if (active && !self->active)
    refresh (self);
  self->active = active;
}

static void
okno_calendar_refresher_dispose (GObject *object)
{
  OknoCalendarRefresher *self = (OknoCalendarRefresher *) object;

  if (self->window != NULL)
    g_signal_handlers_disconnect_by_data (self->window, self);
  g_clear_weak_pointer (&self->window);
  g_clear_object (&self->calendar);
  g_clear_pointer (&self->week, g_date_time_unref);

  G_OBJECT_CLASS (okno_calendar_refresher_parent_class)->dispose (object);
}

static void
okno_calendar_refresher_class_init (OknoCalendarRefresherClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = okno_calendar_refresher_dispose;
}

static void
okno_calendar_refresher_init (OknoCalendarRefresher *self)
{
}

/* Refreshes @calendar whenever @window becomes the active window. The
 * refresher does not keep @window alive. */
OknoCalendarRefresher *
okno_calendar_refresher_new (OknoCalendar *calendar,
                             GtkWindow    *window)
{
  OknoCalendarRefresher *self;

  g_return_val_if_fail (OKNO_IS_CALENDAR (calendar), NULL);
  g_return_val_if_fail (GTK_IS_WINDOW (window), NULL);

  self = g_object_new (OKNO_TYPE_CALENDAR_REFRESHER, NULL);
  self->calendar = g_object_ref (calendar);
  g_set_weak_pointer (&self->window, window);
  self->active = gtk_window_is_active (window);
  g_signal_connect_swapped (window, "notify::is-active", G_CALLBACK (active_changed_cb), self);

  return self;
}

/* The window shows the days from @first_day: another week than before is
 * refreshed at once (the first one shown is the poll's). */
void
okno_calendar_refresher_week_shown (OknoCalendarRefresher *self,
                                    GDateTime             *first_day)
{
  gboolean changed;

  g_return_if_fail (OKNO_IS_CALENDAR_REFRESHER (self));
  g_return_if_fail (first_day != NULL);

  changed = self->week != NULL && !g_date_time_equal (self->week, first_day);
  g_clear_pointer (&self->week, g_date_time_unref);
  self->week = g_date_time_ref (first_day);
  if (changed)
    refresh (self);
}
