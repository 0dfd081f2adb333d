/* okno-window.c
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "OknoWindow"

#include "config.h"

#include <glib/gi18n.h>

#include "okno-time.h"
#include "okno-window.h"

struct _OknoWindow
{
  AdwApplicationWindow  parent_instance;

  /* Template widgets */
  AdwHeaderBar         *header_bar;
  AdwWindowTitle       *window_title;
  AdwToastOverlay      *toast_overlay;
  AdwStatusPage        *status_page;

  OknoInstance         *instance;
  GDateTime            *week;
};

G_DEFINE_FINAL_TYPE (OknoWindow, okno_window, ADW_TYPE_APPLICATION_WINDOW)

static GTimeZone *
get_zone (OknoWindow *self)
{
  return okno_schedule_get_time_zone (okno_instance_get_schedule (self->instance));
}

static void
update_title (OknoWindow *self)
{
  g_autofree char *title = okno_time_format_week (self->week);

  adw_window_title_set_title (self->window_title, title);
}

/* Says honestly what works now: the page is served (or why not). */
static void
update_status (OknoWindow *self)
{
  OknoWebServer *server = okno_instance_get_web_server (self->instance);
  g_autofree char *url = okno_web_server_dup_url (server);
  g_autofree char *description = NULL;
  const char *error = okno_instance_get_server_error (self->instance);

  if (url != NULL)
    {
      g_autofree char *escaped = g_markup_escape_text (url, -1);

      description = g_strdup_printf (_("Publishing slots by dragging on the week comes next. "
                                       "Meanwhile the booking page is served at "
                                       "<a href=\"%s\">%s</a> and slots can be added with "
                                       "<tt>okno-server slots add</tt>."),
                                     escaped, escaped);
      adw_window_title_set_subtitle (self->window_title, url);
    }
  else
    {
      g_autofree char *escaped = g_markup_escape_text (error ? error : _("not started"), -1);

      description = g_strdup_printf (_("Publishing slots by dragging on the week comes next. "
                                       "The booking page is not being served: %s."), escaped);
      adw_window_title_set_subtitle (self->window_title, _("Booking page not served"));
    }

  adw_status_page_set_description (self->status_page, description);
}

static void
server_error_changed_cb (OknoWindow *self)
{
  const char *error = okno_instance_get_server_error (self->instance);

  update_status (self);
  if (error != NULL)
    adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (error));
}

static void
move_week (OknoWindow *self,
           int         days)
{
  g_autoptr(GDateTime) day = g_date_time_add_days (self->week, days);

  okno_window_set_week (self, day);
}

static void
previous_week_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  move_week (OKNO_WINDOW (widget), -7);
}

static void
next_week_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  move_week (OKNO_WINDOW (widget), 7);
}

static void
today_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  okno_window_set_week (OKNO_WINDOW (widget), now);
}

static void
okno_window_dispose (GObject *object)
{
  OknoWindow *self = (OknoWindow *) object;

  gtk_widget_dispose_template (GTK_WIDGET (self), OKNO_TYPE_WINDOW);
  g_clear_object (&self->instance);

  G_OBJECT_CLASS (okno_window_parent_class)->dispose (object);
}

static void
okno_window_finalize (GObject *object)
{
  OknoWindow *self = (OknoWindow *) object;

  g_clear_pointer (&self->week, g_date_time_unref);

  G_OBJECT_CLASS (okno_window_parent_class)->finalize (object);
}

static void
okno_window_class_init (OknoWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = okno_window_dispose;
  object_class->finalize = okno_window_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, "/ru/olgarozet/Okno/okno-window.ui");
  gtk_widget_class_bind_template_child (widget_class, OknoWindow, header_bar);
  gtk_widget_class_bind_template_child (widget_class, OknoWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, OknoWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, OknoWindow, status_page);

  gtk_widget_class_install_action (widget_class, "week.previous", NULL, previous_week_action);
  gtk_widget_class_install_action (widget_class, "week.next", NULL, next_week_action);
  gtk_widget_class_install_action (widget_class, "week.today", NULL, today_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK, "week.previous", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Page_Up, 0, "week.previous", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Right, GDK_ALT_MASK, "week.next", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Page_Down, 0, "week.next", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_t, GDK_CONTROL_MASK, "week.today", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Home, GDK_ALT_MASK, "week.today", NULL);
}

static void
okno_window_init (OknoWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  if (DEVELOPMENT_BUILD)
    gtk_widget_add_css_class (GTK_WIDGET (self), "devel");
}

OknoWindow *
okno_window_new (OknoApplication *application)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  OknoWindow *self;

  g_return_val_if_fail (OKNO_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (okno_application_get_instance (application) != NULL, NULL);

  self = g_object_new (OKNO_TYPE_WINDOW, "application", application, NULL);
  self->instance = g_object_ref (okno_application_get_instance (application));

  g_signal_connect_object (self->instance, "notify::server-error",
                           G_CALLBACK (server_error_changed_cb), self, G_CONNECT_SWAPPED);

  okno_window_set_week (self, now);
  update_status (self);
  if (okno_instance_get_server_error (self->instance) != NULL)
    adw_toast_overlay_add_toast (self->toast_overlay,
                                 adw_toast_new (okno_instance_get_server_error (self->instance)));

  return self;
}

/* Monday 00:00 of the week shown, in Olga's zone. */
GDateTime *
okno_window_get_week (OknoWindow *self)
{
  g_return_val_if_fail (OKNO_IS_WINDOW (self), NULL);
  return self->week;
}

void
okno_window_set_week (OknoWindow *self,
                      GDateTime  *day)
{
  g_return_if_fail (OKNO_IS_WINDOW (self));
  g_return_if_fail (day != NULL);

  g_clear_pointer (&self->week, g_date_time_unref);
  self->week = okno_time_week_start (day, get_zone (self));
  update_title (self);
}
