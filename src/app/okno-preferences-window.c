/* okno-preferences-window.c
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "OknoPreferencesWindow"

#include "config.h"

#include <glib/gi18n.h>

#include "okno-preferences-window.h"
#include "okno-session-types-page.h"

/* Every row edits one GSettings key of the data folder's settings.ini,
 * the same ones okno-server reads. */
struct _OknoPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  GSettings            *settings;

  /* Template widgets */
  GtkSpinButton *slot_minutes_spin;
  GtkSpinButton *snap_minutes_spin;
  GtkSpinButton *min_notice_minutes_spin;
  GtkSpinButton *booking_window_days_spin;
  AdwEntryRow   *time_zone_row;
  AdwEntryRow   *slot_marker_row;
  AdwEntryRow   *booked_marker_row;
  GtkSwitch     *share_on_lan_switch;
  GtkSpinButton *port_spin;
  AdwEntryRow   *frame_ancestors_row;
  GtkSpinButton *rate_limit_spin;
  AdwEntryRow   *contact_row;
  AdwEntryRow   *telegram_chat_id_row;
  GtkSpinButton *calcom_probe_seconds_spin;
};

G_DEFINE_FINAL_TYPE (OknoPreferencesWindow, okno_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

typedef struct
{
  const char *key;
  const char *widget;
  gsize       offset;
  const char *property;
} Binding;

#define BIND(key, widget, property) \
  { key, #widget, G_STRUCT_OFFSET (OknoPreferencesWindow, widget), property }

static const Binding bindings[] = {
  BIND ("slot-minutes", slot_minutes_spin, "value"),
  BIND ("snap-minutes", snap_minutes_spin, "value"),
  BIND ("min-notice-minutes", min_notice_minutes_spin, "value"),
  BIND ("booking-window-days", booking_window_days_spin, "value"),
  BIND ("time-zone", time_zone_row, "text"),
  BIND ("slot-marker", slot_marker_row, "text"),
  BIND ("booked-marker", booked_marker_row, "text"),
  BIND ("share-on-lan", share_on_lan_switch, "active"),
  BIND ("port", port_spin, "value"),
  BIND ("frame-ancestors", frame_ancestors_row, "text"),
  BIND ("rate-limit", rate_limit_spin, "value"),
  BIND ("contact", contact_row, "text"),
  BIND ("telegram-chat-id", telegram_chat_id_row, "text"),
  BIND ("calcom-probe-seconds", calcom_probe_seconds_spin, "value"),
};

static void
entry_row_applied_cb (AdwEntryRow           *row,
                      OknoPreferencesWindow *self)
{
  const char *key = g_object_get_data (G_OBJECT (row), "okno-key");

  g_settings_set_string (self->settings, key, gtk_editable_get_text (GTK_EDITABLE (row)));
}

static void
okno_preferences_window_dispose (GObject *object)
{
  OknoPreferencesWindow *self = (OknoPreferencesWindow *) object;

  gtk_widget_dispose_template (GTK_WIDGET (self), OKNO_TYPE_PREFERENCES_WINDOW);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (okno_preferences_window_parent_class)->dispose (object);
}

static void
okno_preferences_window_class_init (OknoPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = okno_preferences_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/ru/olgarozet/Okno/okno-preferences-window.ui");
  for (guint i = 0; i < G_N_ELEMENTS (bindings); i++)
    gtk_widget_class_bind_template_child_full (widget_class, bindings[i].widget, FALSE, bindings[i].offset);
}

static void
okno_preferences_window_init (OknoPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

OknoPreferencesWindow *
okno_preferences_window_new (GSettings *settings)
{
  OknoPreferencesWindow *self;

  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  self = g_object_new (OKNO_TYPE_PREFERENCES_WINDOW, NULL);
  self->settings = g_object_ref (settings);

  for (guint i = 0; i < G_N_ELEMENTS (bindings); i++)
    {
      GObject *widget = G_STRUCT_MEMBER (GObject *, self, bindings[i].offset);

      if (ADW_IS_ENTRY_ROW (widget))
        {
          /* Text is saved when applied, not at every keystroke: half a
           * time zone name is not a setting. */
          adw_entry_row_set_show_apply_button (ADW_ENTRY_ROW (widget), TRUE);
          g_object_set_data (widget, "okno-key", (gpointer) bindings[i].key);
          g_signal_connect_object (widget, "apply", G_CALLBACK (entry_row_applied_cb), self, 0);
          g_settings_bind (settings, bindings[i].key, widget, bindings[i].property, G_SETTINGS_BIND_GET);
        }
      else
        g_settings_bind (settings, bindings[i].key, widget, bindings[i].property, G_SETTINGS_BIND_DEFAULT);
    }

  /* Pages are widgets of their own; more are added the same way. */
  adw_preferences_window_add (ADW_PREFERENCES_WINDOW (self),
                              ADW_PREFERENCES_PAGE (okno_session_types_page_new (settings)));

  return self;
}
