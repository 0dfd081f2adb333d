/* okno-calendar-banner.c
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "OknoCalendarBanner"

#include "config.h"

#include <glib/gi18n.h>

#include "okno-calendar-banner.h"
#include "okno-google-calendar.h"

/* A strip above the week that shows itself only when the calendar is not
 * in step with Google: "Offline since 14:02 — 3 changes waiting", or
 * "Google needs you to sign in again" with a Reconnect button (the
 * app.google-reconnect action). libadwaita 1.2 has no AdwBanner: this is a
 * GtkRevealer with a label and a button. */

struct _OknoCalendarBanner
{
  GtkWidget     parent_instance;

  OknoCalendar *calendar;
  GtkWidget    *revealer;
  GtkWidget    *label;
  GtkWidget    *button;
  GDateTime    *offline_seen;
  char         *text;
};

G_DEFINE_FINAL_TYPE (OknoCalendarBanner, okno_calendar_banner, GTK_TYPE_WIDGET)

char *
_okno_calendar_banner_describe (OknoCalendarState  state,
                                GDateTime         *since,
                                guint              pending)
{
  g_autofree char *time = NULL;

  switch (state)
    {
    case OKNO_CALENDAR_STATE_RECONNECT:
      return g_strdup (_("Google needs you to sign in again"));

    case OKNO_CALENDAR_STATE_OFFLINE:
      if (since)
        {
          g_autoptr(GDateTime) local = g_date_time_to_local (since);
          time = g_date_time_format (local, "%H:%M");
        }
      if (pending == 0)
        return time ? g_strdup_printf (_("Offline since %s"), time) : g_strdup (_("Offline"));
      if (time)
        /* Translators: "Offline since 14:02 — 3 changes waiting" */
        return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Offline since %s — %u change waiting",
                                             "Offline since %s — %u changes waiting", pending),
                                time, pending);
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Offline — %u change waiting",
                                           "Offline — %u changes waiting", pending), pending);

    case OKNO_CALENDAR_STATE_LOCAL:
    case OKNO_CALENDAR_STATE_SYNCED:
    case OKNO_CALENDAR_STATE_SYNCING:
    default:
      return NULL;
    }
}

static void
update (OknoCalendarBanner *self)
{
  OknoCalendarState state = okno_calendar_get_state (self->calendar);
  GDateTime *since = NULL;
  guint pending = 0;

  if (g_object_class_find_property (G_OBJECT_GET_CLASS (self->calendar), "pending"))
    g_object_get (self->calendar, "pending", &pending, NULL);

  if (state == OKNO_CALENDAR_STATE_OFFLINE)
    {
      if (OKNO_IS_GOOGLE_CALENDAR (self->calendar))
        since = okno_google_calendar_get_offline_since (OKNO_GOOGLE_CALENDAR (self->calendar));
      if (since == NULL && self->offline_seen == NULL)
        self->offline_seen = g_date_time_new_now_utc ();
      if (since == NULL)
        since = self->offline_seen;
    }
  else
    g_clear_pointer (&self->offline_seen, g_date_time_unref);

  g_free (self->text);
  self->text = _okno_calendar_banner_describe (state, since, pending);
  if (self->text)
    gtk_label_set_text (GTK_LABEL (self->label), self->text);
  gtk_widget_set_visible (self->button, state == OKNO_CALENDAR_STATE_RECONNECT);
  gtk_revealer_set_reveal_child (GTK_REVEALER (self->revealer), self->text != NULL);
}

static void
okno_calendar_banner_dispose (GObject *object)
{
  OknoCalendarBanner *self = (OknoCalendarBanner *)object;

  g_clear_pointer (&self->revealer, gtk_widget_unparent);
  g_clear_object (&self->calendar);

  G_OBJECT_CLASS (okno_calendar_banner_parent_class)->dispose (object);
}

static void
okno_calendar_banner_finalize (GObject *object)
{
  OknoCalendarBanner *self = (OknoCalendarBanner *)object;

  g_clear_pointer (&self->offline_seen, g_date_time_unref);
  g_free (self->text);

  G_OBJECT_CLASS (okno_calendar_banner_parent_class)->finalize (object);
}

static void
okno_calendar_banner_class_init (OknoCalendarBannerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = okno_calendar_banner_dispose;
  object_class->finalize = okno_calendar_banner_finalize;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "calendar-banner");
}

static void
okno_calendar_banner_init (OknoCalendarBanner *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);

  self->revealer = gtk_revealer_new ();
  gtk_widget_set_parent (self->revealer, GTK_WIDGET (self));
  gtk_widget_add_css_class (box, "toolbar");
  gtk_widget_add_css_class (box, "osd");
  gtk_widget_set_margin_start (box, 6);
  gtk_widget_set_margin_end (box, 6);
  self->label = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (self->label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (self->label), 0.0);
  gtk_widget_set_hexpand (self->label, TRUE);
  gtk_box_append (GTK_BOX (box), self->label);
  self->button = gtk_button_new_with_mnemonic (_("_Reconnect"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->button), "app.google-reconnect");
  gtk_widget_add_css_class (self->button, "suggested-action");
  gtk_box_append (GTK_BOX (box), self->button);
  gtk_revealer_set_child (GTK_REVEALER (self->revealer), box);
}

GtkWidget *
okno_calendar_banner_new (OknoCalendar *calendar)
{
  OknoCalendarBanner *self;

  g_return_val_if_fail (OKNO_IS_CALENDAR (calendar), NULL);

  self = g_object_new (OKNO_TYPE_CALENDAR_BANNER, NULL);
  self->calendar = g_object_ref (calendar);
  g_signal_connect_object (calendar, "notify::state", G_CALLBACK (update), self, G_CONNECT_SWAPPED);
  if (g_object_class_find_property (G_OBJECT_GET_CLASS (calendar), "pending"))
    g_signal_connect_object (calendar, "notify::pending", G_CALLBACK (update), self, G_CONNECT_SWAPPED);
  update (self);
  return GTK_WIDGET (self);
}

gboolean
okno_calendar_banner_is_revealed (OknoCalendarBanner *self)
{
  g_return_val_if_fail (OKNO_IS_CALENDAR_BANNER (self), FALSE);
  return gtk_revealer_get_reveal_child (GTK_REVEALER (self->revealer));
}

const char *
okno_calendar_banner_get_text (OknoCalendarBanner *self)
{
  g_return_val_if_fail (OKNO_IS_CALENDAR_BANNER (self), NULL);
  return self->text;
}
