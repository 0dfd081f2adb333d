/* okno-window.c
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "OknoWindow"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "okno-calcom-indicator.h"
#include "okno-attention-button.h"
#include "okno-waitlist-button.h"
#include "okno-session-type.h"
#include "okno-share-popover.h"
#include "okno-time.h"
#include "okno-week-view.h"
#include "okno-calendar-banner.h"
#include "okno-calendar-refresher.h"
#include "okno-window.h"

#define RULER_WIDTH 56

struct _OknoWindow
{
  AdwApplicationWindow  parent_instance;

  /* Template widgets */
  AdwHeaderBar         *header_bar;
  AdwWindowTitle       *window_title;
  AdwToastOverlay      *toast_overlay;
  GtkWidget            *day_header;
  GtkWidget            *scroller;
  GtkWidget            *share_button;
  GtkWidget            *date_button;
  GtkCalendar          *calendar;
  GtkWidget            *type_button;
  GtkWidget            *today_button;
  GtkLabel             *type_label;
  GtkRevealer          *server_bar;
  GMenu                *primary_menu;
  GMenu                *type_menu;
  GtkRevealer          *contact_bar;
  GtkEntry             *contact_entry;
  GtkWidget            *empty_hint;
  GtkWidget            *share_tip;
  guint                 share_tip_source;
  gboolean              had_slots;
  GtkLabel             *server_bar_label;

  OknoProfile         *instance;
  OknoCalendarRefresher *refresher;
  GtkWidget            *grid;
  gboolean              scrolled;
  guint                 fit_source;
  guint                 retry_source;
  guint                 width_source;
  double                top_hour;
};

G_DEFINE_FINAL_TYPE (OknoWindow, okno_window, ADW_TYPE_APPLICATION_WINDOW)

static GTimeZone *
get_zone (OknoWindow *self)
{
  return okno_schedule_get_time_zone (okno_profile_get_schedule (self->instance));
}

static void
toast (OknoWindow *self,
       const char *text)
{
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (text));
}

/* «пн 23», today in bold, and all-day events (which take the day). */
static void
update_day_header (OknoWindow *self)
{
  GDateTime *monday = okno_window_get_week (self);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) today = g_date_time_to_timezone (now, get_zone (self));
  OknoSchedule *schedule = okno_profile_get_schedule (self->instance);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (self->day_header)))
    gtk_box_remove (GTK_BOX (self->day_header), child);

  int n_days = okno_week_view_get_n_days (OKNO_WEEK_VIEW (self->grid));

  for (int day = 0; day < n_days; day++)
    {
      g_autoptr(GDateTime) date = g_date_time_add_days (monday, day);
      /* Translators: a day column's heading, strftime format («пн 23») */
      g_autofree char *text = g_date_time_format (date, n_days == 1 ? _("%A, %-d %B") : _("%a %-d"));
      g_autoptr(GString) markup = g_string_new (NULL);
      g_autofree char *escaped = g_markup_escape_text (text, -1);
      guint n = g_list_model_get_n_items (G_LIST_MODEL (schedule));
      GtkWidget *label;
      gboolean is_today = g_date_time_get_year (date) == g_date_time_get_year (today) &&
                          g_date_time_get_day_of_year (date) == g_date_time_get_day_of_year (today);

      g_string_append_printf (markup, is_today ? "<b>%s</b>" : "%s", escaped);
      for (guint i = 0; i < n; i++)
        {
          g_autoptr(OknoEvent) event = g_list_model_get_item (G_LIST_MODEL (schedule), i);
          g_autoptr(GDateTime) next = g_date_time_add_days (date, 1);

          if (okno_event_is_all_day (event) &&
              okno_time_ranges_overlap (okno_event_get_start (event), okno_event_get_end (event), date, next))
            {
              g_autofree char *title = g_markup_escape_text (okno_event_get_summary (event), -1);
              g_string_append_printf (markup, "\n<small>%s</small>", title);
            }
        }

      label = gtk_label_new (NULL);
      gtk_label_set_markup (GTK_LABEL (label), markup->str);
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
      gtk_label_set_justify (GTK_LABEL (label), GTK_JUSTIFY_CENTER);
      if (is_today)
        gtk_widget_add_css_class (label, "today");
      gtk_box_append (GTK_BOX (self->day_header), label);
    }
}

static void
update_title (OknoWindow *self)
{
  g_autofree char *title = okno_time_format_days (okno_window_get_week (self),
                                                 okno_week_view_get_n_days (OKNO_WEEK_VIEW (self->grid)));
  const char *url = okno_profile_get_server_url (self->instance);

  adw_window_title_set_title (self->window_title, title);
  adw_window_title_set_subtitle (self->window_title, url ? url : _("Booking page not served"));
}

#define RETRY_SECONDS 3

/* While the page cannot be served (a busy port), try again now and then:
 * serving resumes by itself when the port frees. */
static gboolean
retry_server_cb (gpointer user_data)
{
  OknoWindow *self = user_data;

  if (okno_profile_start_server (self->instance, NULL))
    {
      self->retry_source = 0;
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

static void
server_error_changed_cb (OknoWindow *self)
{
  const char *error = okno_profile_get_server_error (self->instance);
  gboolean was_shown = gtk_revealer_get_reveal_child (self->server_bar);

  update_title (self);
  if (error != NULL)
    {
      /* No capital after a colon. */
      g_autofree char *first = g_utf8_strdown (error, g_utf8_next_char (error) - error);
      g_autofree char *text = g_strdup_printf (_("The booking page is not served: %s%s"), first,
                                               g_utf8_next_char (error));

      gtk_label_set_text (self->server_bar_label, text);
      if (self->retry_source == 0)
        self->retry_source = g_timeout_add_seconds (RETRY_SECONDS, retry_server_cb, self);
    }
  else
    {
      g_clear_handle_id (&self->retry_source, g_source_remove);
      if (was_shown)
        toast (self, _("The booking page is served again"));
    }
  gtk_revealer_set_reveal_child (self->server_bar, error != NULL);
}

static void
server_retry_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  OknoWindow *self = OKNO_WINDOW (widget);

  okno_profile_start_server (self->instance, NULL);
}

/* Any free port, for this run: the port setting stays as it is. */
static void
server_other_port_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  OknoWindow *self = OKNO_WINDOW (widget);
  OknoOverrides overrides = OKNO_OVERRIDES_INIT;

  overrides.port = 0;
  okno_profile_apply_overrides (self->instance, &overrides);
  okno_profile_start_server (self->instance, NULL);
}

/* Whether Olga has published any slot, in half a year either side. */
static gboolean
has_any_slot (OknoWindow *self)
{
  OknoSchedule *schedule = okno_profile_get_schedule (self->instance);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) from = g_date_time_add_days (now, -180);
  g_autoptr(GDateTime) to = g_date_time_add_days (now, 180);
  g_autoptr(GPtrArray) events = okno_calendar_list_events (okno_schedule_get_calendar (schedule), from, to);

  for (guint i = 0; i < events->len; i++)
    {
      OknoEventKind kind = okno_schedule_classify (schedule, g_ptr_array_index (events, i));

      if (kind == OKNO_EVENT_KIND_SLOT || kind == OKNO_EVENT_KIND_BOOKED)
        return TRUE;
    }
  return FALSE;
}

static gboolean
share_tip_expired_cb (gpointer user_data)
{
  OknoWindow *self = user_data;

  self->share_tip_source = 0;
  gtk_popover_popdown (GTK_POPOVER (self->share_tip));
  return G_SOURCE_REMOVE;
}

/* First start: the empty week says what to do; after the first slot, the
 * share button is pointed out, once. */
static void
update_first_steps (OknoWindow *self)
{
  gboolean any;

  /* Once there were slots, this is no first start: nothing to look up. */
  if (self->had_slots)
    return;
  any = has_any_slot (self);

  gtk_widget_set_visible (self->empty_hint, !any);
  if (any && !self->had_slots && self->share_tip == NULL && gtk_widget_get_mapped (GTK_WIDGET (self)))
    {
      GtkWidget *label = gtk_label_new (_("Your booking page shows it now. Share its address with clients here."));

      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_max_width_chars (GTK_LABEL (label), 30);
      self->share_tip = gtk_popover_new ();
      gtk_popover_set_child (GTK_POPOVER (self->share_tip), label);
      gtk_widget_set_parent (self->share_tip, self->share_button);
      /* A pointer, not a question: it takes no grab, so Olga's next press
       * on the grid still publishes, and it goes by itself. */
      gtk_popover_set_autohide (GTK_POPOVER (self->share_tip), FALSE);
      gtk_popover_popup (GTK_POPOVER (self->share_tip));
      self->share_tip_source = g_timeout_add_seconds (8, share_tip_expired_cb, self);
    }
  self->had_slots = any;
}

static void
calendar_state_changed_cb (OknoWindow *self)
{
  okno_session_types_ensure (okno_profile_get_settings (self->instance), okno_profile_get_schedule (self->instance));
}

static void
schedule_changed_cb (OknoWindow *self)
{
  update_day_header (self);
  update_first_steps (self);
}

/* Olga's contact: asked for in the window while it is empty. */
static void
update_contact_bar (OknoWindow *self)
{
  g_autofree char *contact = g_settings_get_string (okno_profile_get_settings (self->instance), "contact");

  gtk_revealer_set_reveal_child (self->contact_bar, contact[0] == '\0');
}

static void
contact_save_cb (OknoWindow *self)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->contact_entry))));

  if (text[0] == '\0')
    return;
  g_settings_set_string (okno_profile_get_settings (self->instance), "contact", text);
  toast (self, _("Saved. Preferences can change it."));
}

static void
contact_later_cb (OknoWindow *self)
{
  gtk_revealer_set_reveal_child (self->contact_bar, FALSE);
}

static void
grid_message_cb (OknoWindow *self,
                 const char *text)
{
  toast (self, text);
}

static void
move_week (OknoWindow *self,
           int         days)
{
  g_autoptr(GDateTime) day = g_date_time_add_days (okno_window_get_week (self), days);

  okno_window_set_week (self, day);
}

static void
previous_week_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  move_week (OKNO_WINDOW (widget), -okno_week_view_get_n_days (OKNO_WEEK_VIEW (OKNO_WINDOW (widget)->grid)));
}

static void
next_week_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  move_week (OKNO_WINDOW (widget), okno_week_view_get_n_days (OKNO_WEEK_VIEW (OKNO_WINDOW (widget)->grid)));
}

/* Today: this week, scrolled to the current time (a third down the view). */
static void
scroll_to_now (OknoWindow *self)
{
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (self->scroller));
  g_autoptr(GDateTime) utc = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) now = g_date_time_to_timezone (utc, get_zone (self));
  double hours = g_date_time_get_hour (now) + g_date_time_get_minute (now) / 60.0;
  double y = hours * okno_week_view_get_hour_height (OKNO_WEEK_VIEW (self->grid));

  gtk_adjustment_set_value (adjustment, y - gtk_adjustment_get_page_size (adjustment) / 3);
}

static void
today_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  okno_window_set_week (OKNO_WINDOW (widget), now);
  scroll_to_now (OKNO_WINDOW (widget));
}

static void
copy_previous_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  OknoWindow *self = OKNO_WINDOW (widget);
  g_autofree char *text = okno_week_view_copy_previous_week (OKNO_WEEK_VIEW (self->grid));
  AdwToast *copied = adw_toast_new (text);

  /* One Undo takes the whole copy back. */
  adw_toast_set_button_label (copied, _("_Undo"));
  adw_toast_set_action_name (copied, "week.undo");
  adw_toast_overlay_add_toast (self->toast_overlay, copied);
}

static void
can_undo_changed_cb (OknoWindow *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "week.undo",
                                 okno_week_view_can_undo (OKNO_WEEK_VIEW (self->grid)));
}

static void
current_type_change_state_cb (OknoWindow *self,
                              GVariant   *state)
{
  g_settings_set_value (okno_profile_get_settings (self->instance), OKNO_CURRENT_SESSION_TYPE_KEY, state);
}

/* The header bar's type button names the type a click publishes; its
 * menu chooses another. */
static void
session_types_changed_cb (OknoWindow *self)
{
  GSettings *settings = okno_profile_get_settings (self->instance);
  g_autoptr(GListStore) types = okno_session_types_load (settings);
  g_autoptr(OknoSessionType) current = okno_session_types_dup_current (settings, G_LIST_MODEL (types));
  g_autoptr(GMenu) menu = g_menu_new ();
  g_autoptr(GMenu) choices = g_menu_new ();
  g_autoptr(GMenu) edit = g_menu_new ();
  guint n = g_list_model_get_n_items (G_LIST_MODEL (types));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(OknoSessionType) type = g_list_model_get_item (G_LIST_MODEL (types), i);
      g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s, %u minute", "%s, %u minutes",
                                                            okno_session_type_get_minutes (type)),
                                               okno_session_type_get_name (type),
                                               okno_session_type_get_minutes (type));
      g_autoptr(GMenuItem) item = g_menu_item_new (text, NULL);

      g_menu_item_set_action_and_target_value (item, "win." OKNO_CURRENT_SESSION_TYPE_KEY,
                                               g_variant_new_string (okno_session_type_get_id (type)));
      g_menu_append_item (choices, item);
    }
  g_menu_append (edit, _("_Edit Session Types…"), "app.session-types");
  g_menu_append_section (menu, NULL, G_MENU_MODEL (choices));
  g_menu_append_section (menu, NULL, G_MENU_MODEL (edit));
  gtk_menu_button_set_menu_model (GTK_MENU_BUTTON (self->type_button), G_MENU_MODEL (menu));
  /* The main menu offers the same choice, for narrow windows. */
  if (self->type_menu == NULL)
    {
      self->type_menu = g_menu_new ();
      g_menu_insert_submenu (self->primary_menu, 1, _("Session Type"), G_MENU_MODEL (self->type_menu));
    }
  g_menu_remove_all (self->type_menu);
  g_menu_append_section (self->type_menu, NULL, G_MENU_MODEL (menu));
  {
    GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self), OKNO_CURRENT_SESSION_TYPE_KEY);

    if (action != NULL)
      g_simple_action_set_state (G_SIMPLE_ACTION (action),
                                 g_variant_new_string (current ? okno_session_type_get_id (current) : ""));
  }

  gtk_label_set_label (self->type_label, current ? okno_session_type_get_name (current) : _("Session Type"));
  if (current != NULL)
    {
      g_autofree char *tip = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                           "A click on the week publishes “%s”, %u minute",
                                                           "A click on the week publishes “%s”, %u minutes",
                                                           okno_session_type_get_minutes (current)),
                                              okno_session_type_get_name (current),
                                              okno_session_type_get_minutes (current));
      gtk_widget_set_tooltip_text (self->type_button, tip);
    }
}

static void
undo_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  OknoWindow *self = OKNO_WINDOW (widget);

  if (!okno_week_view_undo (OKNO_WEEK_VIEW (self->grid)))
    toast (self, _("Nothing to undo"));
}

static void
calendar_day_selected_cb (OknoWindow *self)
{
  g_autoptr(GDateTime) date = gtk_calendar_get_date (self->calendar);
  g_autoptr(GDateTime) day = g_date_time_new (get_zone (self), g_date_time_get_year (date),
                                              g_date_time_get_month (date),
                                              g_date_time_get_day_of_month (date), 12, 0, 0);

  okno_window_set_week (self, day);
  gtk_menu_button_popdown (GTK_MENU_BUTTON (self->date_button));
}

/* The date picker shows the week shown, without choosing it again. */
static void
sync_calendar (OknoWindow *self)
{
  g_autoptr(GDateTime) current = gtk_calendar_get_date (self->calendar);
  g_autoptr(GDateTime) shown_week = NULL;
  g_autoptr(GDateTime) picked_week = NULL;
  GDateTime *monday = okno_window_get_week (self);

  picked_week = okno_time_week_start (current, get_zone (self));
  shown_week = okno_time_week_start (monday, get_zone (self));
  if (g_date_time_equal (picked_week, shown_week))
    return;

  g_signal_handlers_block_by_func (self->calendar, calendar_day_selected_cb, self);
  gtk_calendar_select_day (self->calendar, monday);
  g_signal_handlers_unblock_by_func (self->calendar, calendar_day_selected_cb, self);
}


/* A swipe across the days' headings moves by the days shown (the grid
 * itself keeps drags for publishing). */
static void
day_header_swiped_cb (GtkGestureSwipe *gesture,
                      double           velocity_x,
                      double           velocity_y,
                      OknoWindow      *self)
{
  int n_days = okno_week_view_get_n_days (OKNO_WEEK_VIEW (self->grid));

  if (ABS (velocity_x) < 300 || ABS (velocity_x) < 2 * ABS (velocity_y))
    return;
  if (gtk_widget_get_direction (GTK_WIDGET (self)) == GTK_TEXT_DIR_RTL)
    velocity_x = -velocity_x;
  move_week (self, velocity_x < 0 ? n_days : -n_days);
}

/* Narrow windows show fewer days side by side, as GNOME Calendar does
 * (libadwaita 1.2 has no AdwBreakpoint: the window's width decides). */
#define THREE_DAYS_BELOW 760
#define ONE_DAY_BELOW    500

static int
n_days_for_width (int width)
{
  return width < ONE_DAY_BELOW ? 1 : width < THREE_DAYS_BELOW ? 3 : 7;
}

static void
width_changed_cb (OknoWindow *self)
{
  int width = gtk_widget_get_width (GTK_WIDGET (self));
  int height, n_days;

  if (width <= 0 || !gtk_window_is_maximized (GTK_WINDOW (self)))
    gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  if (width <= 0)
    return;
  n_days = n_days_for_width (width);
  if (n_days == okno_week_view_get_n_days (OKNO_WEEK_VIEW (self->grid)))
    return;

  okno_week_view_set_n_days (OKNO_WEEK_VIEW (self->grid), n_days);
  /* Less room in the header bar too. */
  gtk_widget_set_visible (self->date_button, n_days > 1);
  /* At one day the type is chosen in the main menu's submenu. */
  gtk_widget_set_visible (self->type_button, n_days > 1);
  /* The header bar keeps its title centred: both sides must be short, and
   * at one day the day's heading under it says the date instead. */
  gtk_widget_set_visible (GTK_WIDGET (self->window_title), n_days > 1);
  if (n_days == 1)
    gtk_button_set_icon_name (GTK_BUTTON (self->today_button), "x-office-calendar-symbolic");
  else
    gtk_button_set_label (GTK_BUTTON (self->today_button), _("_Today"));
  g_object_ref (self->share_button);
  adw_header_bar_remove (self->header_bar, self->share_button);
  if (n_days == 1)
    adw_header_bar_pack_start (self->header_bar, self->share_button);
  else
    adw_header_bar_pack_end (self->header_bar, self->share_button);
  g_object_unref (self->share_button);
  gtk_label_set_max_width_chars (self->type_label, n_days == 7 ? 18 : 8);
  gtk_label_set_width_chars (self->type_label, n_days == 7 ? -1 : 6);
  /* The bars stack their parts when there is no room side by side. */
  gtk_orientable_set_orientation (GTK_ORIENTABLE (gtk_revealer_get_child (self->contact_bar)),
                                  n_days == 1 ? GTK_ORIENTATION_VERTICAL : GTK_ORIENTATION_HORIZONTAL);
  gtk_orientable_set_orientation (GTK_ORIENTABLE (gtk_revealer_get_child (self->server_bar)),
                                  n_days == 1 ? GTK_ORIENTATION_VERTICAL : GTK_ORIENTATION_HORIZONTAL);
  update_title (self);
  update_day_header (self);
  sync_calendar (self);
}

static gboolean
apply_width_cb (gpointer user_data)
{
  OknoWindow *self = user_data;

  self->width_source = 0;
  width_changed_cb (self);
  return G_SOURCE_REMOVE;
}

/* Maximizing changes the width without changing default-width. */
static void
okno_window_size_allocate (GtkWidget *widget,
                           int        width,
                           int        height,
                           int        baseline)
{
  OknoWindow *self = OKNO_WINDOW (widget);

  GTK_WIDGET_CLASS (okno_window_parent_class)->size_allocate (widget, width, height, baseline);
  if (self->grid != NULL && self->width_source == 0 && gtk_window_is_maximized (GTK_WINDOW (self)) &&
      n_days_for_width (width) != okno_week_view_get_n_days (OKNO_WEEK_VIEW (self->grid)))
    self->width_source = g_idle_add (apply_width_cb, self);
}

/* The working day (day-start-hour to day-end-hour, settings) fills the
 * view's height; the rest of the day is a scroll away. Once, at first,
 * the view scrolls to the working day's start. */
static gboolean
fit_working_hours_cb (gpointer user_data)
{
  OknoWindow *self = user_data;
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (self->scroller));
  GSettings *settings = okno_profile_get_settings (self->instance);
  double first = g_settings_get_uint (settings, "day-start-hour");
  double last = g_settings_get_uint (settings, "day-end-hour");
  double page = gtk_adjustment_get_page_size (adjustment);

  self->fit_source = 0;
  if (page <= 0)
    return G_SOURCE_REMOVE;
  if (last <= first)
    last = MIN (first + 1, 24);
  /* The hour at the top stays at the top when the hours grow or shrink;
   * after a change the adjustment changes again, and we scroll then. */
  if (self->top_hour < 0)
    self->top_hour = gtk_adjustment_get_value (adjustment) / okno_week_view_get_hour_height (OKNO_WEEK_VIEW (self->grid));
  /* A quarter of an hour more at each end, so that the first and last
   * hours' labels are seen whole. */
  /* At first, and whenever the view's height changes (a resize, the
   * working hours changed), the working day is what is in view: it fills
   * the page exactly, so only its own start shows all of it. */
  if (!self->scrolled ||
      fabs (page / (last - first + 0.5) - okno_week_view_get_hour_height (OKNO_WEEK_VIEW (self->grid))) >= 0.5)
    self->top_hour = MAX (first - 0.25, 0);
  if (okno_week_view_set_hour_height (OKNO_WEEK_VIEW (self->grid), page / (last - first + 0.5)))
    return G_SOURCE_REMOVE;

  if (gtk_adjustment_get_upper (adjustment) > page)
    {
      self->scrolled = TRUE;
      gtk_adjustment_set_value (adjustment, self->top_hour * okno_week_view_get_hour_height (OKNO_WEEK_VIEW (self->grid)));
    }
  self->top_hour = -1;
  return G_SOURCE_REMOVE;
}

/* The page size changes while GTK allocates: resize the grid after that. */
static void
fit_working_hours (OknoWindow *self)
{
  if (self->fit_source == 0)
    self->fit_source = g_idle_add (fit_working_hours_cb, self);
}

static void
okno_window_dispose (GObject *object)
{
  OknoWindow *self = (OknoWindow *) object;

  g_clear_handle_id (&self->fit_source, g_source_remove);
  g_clear_handle_id (&self->retry_source, g_source_remove);
  g_clear_handle_id (&self->width_source, g_source_remove);
  g_clear_handle_id (&self->share_tip_source, g_source_remove);
  g_clear_object (&self->type_menu);
  if (self->share_tip != NULL)
    {
      gtk_widget_unparent (self->share_tip);
      self->share_tip = NULL;
    }
  gtk_widget_dispose_template (GTK_WIDGET (self), OKNO_TYPE_WINDOW);
  g_clear_object (&self->refresher);
  g_clear_object (&self->instance);

  G_OBJECT_CLASS (okno_window_parent_class)->dispose (object);
}

static void
okno_window_class_init (OknoWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = okno_window_dispose;
  widget_class->size_allocate = okno_window_size_allocate;

  gtk_widget_class_set_template_from_resource (widget_class, "/ru/olgarozet/Okno/okno-window.ui");
  gtk_widget_class_bind_template_child (widget_class, OknoWindow, header_bar);
  gtk_widget_class_bind_template_child (widget_class, OknoWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, OknoWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, OknoWindow, day_header);
  gtk_widget_class_bind_template_child (widget_class, OknoWindow, scroller);
  gtk_widget_class_bind_template_child (widget_class, OknoWindow, share_button);
  gtk_widget_class_bind_template_child (widget_class, OknoWindow, date_button);
  gtk_widget_class_bind_template_child (widget_class, OknoWindow, calendar);
  gtk_widget_class_bind_template_child (widget_class, OknoWindow, type_button);
  gtk_widget_class_bind_template_child (widget_class, OknoWindow, today_button);
  gtk_widget_class_bind_template_child (widget_class, OknoWindow, type_label);
  gtk_widget_class_bind_template_child (widget_class, OknoWindow, server_bar);
  gtk_widget_class_bind_template_child (widget_class, OknoWindow, server_bar_label);
  gtk_widget_class_bind_template_child (widget_class, OknoWindow, primary_menu);
  gtk_widget_class_bind_template_child (widget_class, OknoWindow, contact_bar);
  gtk_widget_class_bind_template_child (widget_class, OknoWindow, contact_entry);
  gtk_widget_class_bind_template_child (widget_class, OknoWindow, empty_hint);
  gtk_widget_class_bind_template_callback (widget_class, contact_save_cb);
  gtk_widget_class_bind_template_callback (widget_class, contact_later_cb);
  gtk_widget_class_bind_template_callback (widget_class, calendar_day_selected_cb);

  gtk_widget_class_install_action (widget_class, "week.previous", NULL, previous_week_action);
  gtk_widget_class_install_action (widget_class, "week.next", NULL, next_week_action);
  gtk_widget_class_install_action (widget_class, "week.today", NULL, today_action);
  gtk_widget_class_install_action (widget_class, "week.copy-previous", NULL, copy_previous_action);
  gtk_widget_class_install_action (widget_class, "week.undo", NULL, undo_action);
  gtk_widget_class_install_action (widget_class, "server.retry", NULL, server_retry_action);
  gtk_widget_class_install_action (widget_class, "server.other-port", NULL, server_other_port_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK, "week.previous", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Page_Up, 0, "week.previous", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Right, GDK_ALT_MASK, "week.next", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Page_Down, 0, "week.next", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_t, GDK_CONTROL_MASK, "week.today", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Home, GDK_ALT_MASK, "week.today", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_z, GDK_CONTROL_MASK, "week.undo", NULL);
}

static void
okno_window_init (OknoWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_set_margin_start (self->day_header, RULER_WIDTH);
  self->top_hour = -1;

  if (DEVELOPMENT_BUILD)
    gtk_widget_add_css_class (GTK_WIDGET (self), "devel");
}

OknoWindow *
okno_window_new (OknoApplication *application)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  OknoWindow *self;
  GtkAdjustment *adjustment;
  GtkWidget *viewport;
  GSettings *settings;
  g_autoptr(GSimpleAction) type_action = NULL;

  g_return_val_if_fail (OKNO_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (okno_application_get_profile (application) != NULL, NULL);

  self = g_object_new (OKNO_TYPE_WINDOW, "application", application, NULL);
  self->instance = g_object_ref (okno_application_get_profile (application));

  settings = okno_profile_get_settings (self->instance);
  okno_session_types_ensure (settings, okno_profile_get_schedule (self->instance));
  /* On Google's first start the types are learnt once its first sync is in. */
  g_signal_connect_object (okno_schedule_get_calendar (okno_profile_get_schedule (self->instance)), "notify::state",
                           G_CALLBACK (calendar_state_changed_cb), self, G_CONNECT_SWAPPED);
  /* Not g_settings_create_action(): that action would outlive the window
   * through the settings' signal and report to a window that is gone. */
  type_action = g_simple_action_new_stateful (OKNO_CURRENT_SESSION_TYPE_KEY, G_VARIANT_TYPE_STRING,
                                              g_settings_get_value (settings, OKNO_CURRENT_SESSION_TYPE_KEY));
  g_signal_connect_object (type_action, "change-state", G_CALLBACK (current_type_change_state_cb),
                           self, G_CONNECT_SWAPPED);
  g_action_map_add_action (G_ACTION_MAP (self), G_ACTION (type_action));
  g_signal_connect_object (settings, "changed::" OKNO_SESSION_TYPES_KEY,
                           G_CALLBACK (session_types_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (settings, "changed::" OKNO_CURRENT_SESSION_TYPE_KEY,
                           G_CALLBACK (session_types_changed_cb), self, G_CONNECT_SWAPPED);
  session_types_changed_cb (self);

  /* Google offline or needing a sign-in: a banner above the week. */
  gtk_box_prepend (GTK_BOX (gtk_widget_get_parent (GTK_WIDGET (self->contact_bar))),
                   okno_calendar_banner_new (okno_schedule_get_calendar (okno_profile_get_schedule (self->instance))));
  /* Google is asked for changes when the window gains focus or the week changes. */
  self->refresher = okno_calendar_refresher_new (okno_schedule_get_calendar (okno_profile_get_schedule (self->instance)),
                                                 GTK_WINDOW (self));

  self->grid = okno_week_view_new (self->instance);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (self->scroller), self->grid);
  /* A focus change (a click, Esc, a closed popover, a slot moved) must not
   * scroll the week to its top: the grid scrolls for the keyboard itself. */
  viewport = gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (self->scroller));
  if (GTK_IS_VIEWPORT (viewport))
    gtk_viewport_set_scroll_to_focus (GTK_VIEWPORT (viewport), FALSE);
  g_signal_connect_object (self->grid, "notify::can-undo", G_CALLBACK (can_undo_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self, "notify::default-width", G_CALLBACK (width_changed_cb), self, G_CONNECT_SWAPPED);
  {
    GtkGesture *swipe = gtk_gesture_swipe_new ();

    g_signal_connect_object (swipe, "swipe", G_CALLBACK (day_header_swiped_cb), self, 0);
    gtk_widget_add_controller (self->day_header, GTK_EVENT_CONTROLLER (swipe));
  }
  can_undo_changed_cb (self);
  g_signal_connect_object (self->grid, "message", G_CALLBACK (grid_message_cb), self, G_CONNECT_SWAPPED);
  adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (self->scroller));
  g_signal_connect_object (adjustment, "changed", G_CALLBACK (fit_working_hours), self, G_CONNECT_SWAPPED);

  gtk_menu_button_set_popover (GTK_MENU_BUTTON (self->share_button), okno_share_popover_new (self->instance));
  adw_header_bar_pack_end (self->header_bar, okno_calcom_indicator_new (self->instance));
  adw_header_bar_pack_end (self->header_bar, okno_attention_button_new (okno_profile_get_attention (self->instance)));
  adw_header_bar_pack_end (self->header_bar, okno_waitlist_button_new (okno_profile_get_waitlist (self->instance)));

  g_signal_connect_object (self->instance, "notify::server-error",
                           G_CALLBACK (server_error_changed_cb), self, G_CONNECT_SWAPPED);
  /* Served once the keyring's secrets are in, after the window appears,
   * and elsewhere when the port or address setting changes. */
  g_signal_connect_object (self->instance, "notify::server-url",
                           G_CALLBACK (update_title), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (okno_profile_get_schedule (self->instance), "items-changed",
                           G_CALLBACK (schedule_changed_cb), self, G_CONNECT_SWAPPED);

  okno_window_set_week (self, now);
  server_error_changed_cb (self);
  g_signal_connect_object (settings, "changed::contact", G_CALLBACK (update_contact_bar), self, G_CONNECT_SWAPPED);
  update_contact_bar (self);
  width_changed_cb (self);
  self->had_slots = has_any_slot (self);
  gtk_widget_set_visible (self->empty_hint, !self->had_slots);

  return self;
}

/* Monday 00:00 of the week shown, in Olga's zone. */
GDateTime *
okno_window_get_week (OknoWindow *self)
{
  g_return_val_if_fail (OKNO_IS_WINDOW (self), NULL);
  return okno_week_view_get_week (OKNO_WEEK_VIEW (self->grid));
}

void
okno_window_set_week (OknoWindow *self,
                      GDateTime  *day)
{
  g_return_if_fail (OKNO_IS_WINDOW (self));
  g_return_if_fail (day != NULL);

  okno_week_view_set_week (OKNO_WEEK_VIEW (self->grid), day);
  update_title (self);
  update_day_header (self);
  sync_calendar (self);
  okno_calendar_refresher_week_shown (self->refresher, okno_window_get_week (self));
}

GtkWidget *
okno_window_get_grid (OknoWindow *self)
{
  g_return_val_if_fail (OKNO_IS_WINDOW (self), NULL);
  return self->grid;
}
