/* okno-calcom-indicator.c
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "OknoCalcomIndicator"

#include "config.h"

#include <glib/gi18n.h>

#include "okno-calcom-indicator.h"

/* The header bar's word on Cal.com: «Cal.com» with an icon that says
 * whether it works for Olga's key, and a popover with the reason, since
 * when, the last check and *Check Now*. Hidden while no key is saved. */
struct _OknoCalcomIndicator
{
  GtkWidget          parent_instance;

  OknoCalcomMonitor *monitor;
  GtkWidget         *button;
  GtkWidget         *icon;
  GtkWidget         *title;
  GtkWidget         *detail;
  GtkWidget         *since;
  GtkWidget         *check_button;
  GtkWidget         *spinner;
};

G_DEFINE_FINAL_TYPE (OknoCalcomIndicator, okno_calcom_indicator, GTK_TYPE_WIDGET)

static const char *style_classes[] = { "success", "warning", "error", NULL };

static char *
format_local (GDateTime *time)
{
  g_autoptr(GDateTime) local = NULL;

  if (time == NULL)
    return g_strdup (_("never"));
  local = g_date_time_to_local (time);
  /* Translators: a moment in the Cal.com popover, strftime format («3 дек, 14:05») */
  return g_date_time_format (local, _("%-d %b, %H:%M"));
}

static void
update (OknoCalcomIndicator *self)
{
  OknoServiceState *state = okno_calcom_monitor_get_state (self->monitor);
  const char *word = okno_service_state_get_state (state);
  const char *icon = "content-loading-symbolic";
  const char *style = NULL;
  const char *tooltip = _("Cal.com: not checked yet");
  g_autofree char *since = format_local (okno_service_state_get_since (state));
  g_autofree char *checked = format_local (okno_service_state_get_checked_at (state));
  g_autofree char *when = NULL;
  gboolean checking = okno_calcom_monitor_get_checking (self->monitor);

  if (g_str_equal (word, "up"))
    icon = "emblem-ok-symbolic", style = "success", tooltip = _("Cal.com works");
  else if (g_str_equal (word, "down"))
    icon = "network-error-symbolic", style = "error", tooltip = _("Cal.com is down");
  else if (g_str_equal (word, "unauthorized"))
    icon = "dialog-password-symbolic", style = "warning", tooltip = _("Cal.com refuses Okno’s API key");

  gtk_widget_set_visible (GTK_WIDGET (self), !g_str_equal (word, "unconfigured"));
  gtk_image_set_from_icon_name (GTK_IMAGE (self->icon), icon);
  for (guint i = 0; style_classes[i]; i++)
    gtk_widget_remove_css_class (self->button, style_classes[i]);
  if (style != NULL)
    gtk_widget_add_css_class (self->button, style);
  gtk_widget_set_tooltip_text (self->button, tooltip);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, tooltip, -1);

  gtk_label_set_text (GTK_LABEL (self->title), tooltip);
  gtk_label_set_text (GTK_LABEL (self->detail), okno_calcom_monitor_get_detail (self->monitor));
  /* Translators: %s are moments such as «3 дек, 14:05» */
  when = g_strdup_printf (_("Since %s · last checked %s"), since, checked);
  gtk_label_set_text (GTK_LABEL (self->since), when);

  gtk_widget_set_sensitive (self->check_button, !checking);
  gtk_widget_set_visible (self->spinner, checking);
  gtk_spinner_set_spinning (GTK_SPINNER (self->spinner), checking);
}

static void
check_now_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  OknoCalcomIndicator *self = OKNO_CALCOM_INDICATOR (widget);

  okno_calcom_monitor_check_now (self->monitor);
}

static void
okno_calcom_indicator_dispose (GObject *object)
{
  OknoCalcomIndicator *self = (OknoCalcomIndicator *) object;

  g_clear_pointer (&self->button, gtk_widget_unparent);
  g_clear_object (&self->monitor);

  G_OBJECT_CLASS (okno_calcom_indicator_parent_class)->dispose (object);
}

static void
okno_calcom_indicator_class_init (OknoCalcomIndicatorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = okno_calcom_indicator_dispose;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "calcomindicator");
  gtk_widget_class_install_action (widget_class, "calcom.check", NULL, check_now_action);
}

static void
okno_calcom_indicator_init (OknoCalcomIndicator *self)
{
  GtkWidget *content = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *popover = gtk_popover_new ();

  self->icon = gtk_image_new ();
  gtk_box_append (GTK_BOX (content), self->icon);
  gtk_box_append (GTK_BOX (content), gtk_label_new ("Cal.com"));

  self->title = gtk_label_new (NULL);
  gtk_widget_add_css_class (self->title, "heading");
  gtk_label_set_xalign (GTK_LABEL (self->title), 0);
  self->detail = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (self->detail), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (self->detail), 40);
  gtk_label_set_xalign (GTK_LABEL (self->detail), 0);
  self->since = gtk_label_new (NULL);
  gtk_widget_add_css_class (self->since, "dim-label");
  gtk_label_set_xalign (GTK_LABEL (self->since), 0);
  self->check_button = gtk_button_new_with_mnemonic (_("_Check Now"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->check_button), "calcom.check");
  self->spinner = gtk_spinner_new ();

  gtk_box_append (GTK_BOX (box), self->title);
  gtk_box_append (GTK_BOX (box), self->detail);
  gtk_box_append (GTK_BOX (box), self->since);
  gtk_box_append (GTK_BOX (buttons), self->check_button);
  gtk_box_append (GTK_BOX (buttons), self->spinner);
  gtk_box_append (GTK_BOX (box), buttons);
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_widget_set_margin_start (box, 6);
  gtk_widget_set_margin_end (box, 6);
  gtk_popover_set_child (GTK_POPOVER (popover), box);

  self->button = gtk_menu_button_new ();
  gtk_menu_button_set_child (GTK_MENU_BUTTON (self->button), content);
  gtk_menu_button_set_popover (GTK_MENU_BUTTON (self->button), popover);
  gtk_widget_add_css_class (self->button, "flat");
  gtk_widget_set_parent (self->button, GTK_WIDGET (self));
}

/**
 * okno_calcom_indicator_new:
 *
 * Returns: (transfer floating): the indicator for @instance's Cal.com monitor
 */
GtkWidget *
okno_calcom_indicator_new (OknoProfile *instance)
{
  OknoCalcomIndicator *self;

  g_return_val_if_fail (OKNO_IS_PROFILE (instance), NULL);

  self = g_object_new (OKNO_TYPE_CALCOM_INDICATOR, NULL);
  self->monitor = g_object_ref (okno_profile_get_calcom_monitor (instance));
  g_signal_connect_object (self->monitor, "notify::detail", G_CALLBACK (update), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->monitor, "notify::checking", G_CALLBACK (update), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (okno_calcom_monitor_get_state (self->monitor), "notify",
                           G_CALLBACK (update), self, G_CONNECT_SWAPPED);
  update (self);

  return GTK_WIDGET (self);
}
