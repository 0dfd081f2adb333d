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
#include "okno-zone-row.h"

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
  GtkSpinButton *min_cancel_hours_spin;
  GtkSpinButton *buffer_minutes_spin;
  GtkSpinButton *max_sessions_per_day_spin;
  GtkSpinButton *max_active_per_client_spin;
  AdwEntryRow   *payment_url_row;
  AdwEntryRow   *payment_note_row;
  GtkSpinButton *day_start_hour_spin;
  GtkSpinButton *day_end_hour_spin;
  AdwEntryRow   *slot_marker_row;
  AdwEntryRow   *booked_marker_row;
  GtkSwitch     *share_on_lan_switch;
  GtkSpinButton *port_spin;
  AdwEntryRow   *frame_ancestors_row;
  GtkSpinButton *rate_limit_spin;
  AdwEntryRow   *contact_row;
  AdwEntryRow   *owner_name_row;
  AdwEntryRow   *owner_about_row;
  AdwPreferencesGroup *booking_group;
  AdwActionRow  *port_row;
  GtkWidget     *zone_row;
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
  BIND ("min-cancel-hours", min_cancel_hours_spin, "value"),
  BIND ("buffer-minutes", buffer_minutes_spin, "value"),
  BIND ("max-sessions-per-day", max_sessions_per_day_spin, "value"),
  BIND ("max-active-per-client", max_active_per_client_spin, "value"),
  BIND ("payment-url", payment_url_row, "text"),
  BIND ("payment-note", payment_note_row, "text"),
  BIND ("day-start-hour", day_start_hour_spin, "value"),
  BIND ("day-end-hour", day_end_hour_spin, "value"),
  BIND ("slot-marker", slot_marker_row, "text"),
  BIND ("booked-marker", booked_marker_row, "text"),
  BIND ("share-on-lan", share_on_lan_switch, "active"),
  BIND ("port", port_spin, "value"),
  BIND ("rate-limit", rate_limit_spin, "value"),
  BIND ("contact", contact_row, "text"),
  BIND ("owner-name", owner_name_row, "text"),
  BIND ("owner-about", owner_about_row, "text"),
};

static void
entry_row_applied_cb (AdwEntryRow           *row,
                      OknoPreferencesWindow *self)
{
  const char *key = g_object_get_data (G_OBJECT (row), "okno-key");

  g_settings_set_string (self->settings, key, gtk_editable_get_text (GTK_EDITABLE (row)));
}

/* frame-ancestors is a CSP source list; Olga sees only the websites in it
 * ('self', the page itself, is always kept). */
static char *
dup_sites (GSettings *settings)
{
  g_autofree char *value = g_settings_get_string (settings, "frame-ancestors");
  g_auto(GStrv) tokens = g_strsplit_set (value, " \t", -1);
  g_autoptr(GString) sites = g_string_new (NULL);

  for (guint i = 0; tokens[i] != NULL; i++)
    {
      if (tokens[i][0] == '\0' || g_str_equal (tokens[i], "'self'"))
        continue;
      if (sites->len > 0)
        g_string_append_c (sites, ' ');
      g_string_append (sites, tokens[i]);
    }
  return g_string_free (g_steal_pointer (&sites), FALSE);
}

/**
 * okno_preferences_parse_sites:
 * @text: websites separated by blanks or commas, such as
 *   "https://olgarozet.ru https://www.olgarozet.ru"
 *
 * Returns: (transfer full) (nullable): the frame-ancestors value for them
 *   ("'self' https://olgarozet.ru …"), or %NULL when one is not an origin
 *   (a scheme http or https, a host, an optional port; no path)
 */
char *
okno_preferences_parse_sites (const char *text)
{
  g_auto(GStrv) tokens = g_strsplit_set (text ? text : "", " \t,;\n", -1);
  g_autoptr(GString) value = g_string_new ("'self'");

  for (guint i = 0; tokens[i] != NULL; i++)
    {
      g_autoptr(GUri) uri = NULL;
      const char *path;
      g_autofree char *origin = NULL;

      if (tokens[i][0] == '\0')
        continue;
      uri = g_uri_parse (tokens[i], G_URI_FLAGS_NONE, NULL);
      if (uri == NULL ||
          (g_strcmp0 (g_uri_get_scheme (uri), "https") != 0 && g_strcmp0 (g_uri_get_scheme (uri), "http") != 0) ||
          g_uri_get_host (uri) == NULL || g_uri_get_host (uri)[0] == '\0' ||
          g_uri_get_userinfo (uri) != NULL || g_uri_get_query (uri) != NULL || g_uri_get_fragment (uri) != NULL)
        return NULL;
      path = g_uri_get_path (uri);
      if (path[0] != '\0' && !g_str_equal (path, "/"))
        return NULL;
      for (const char *c = g_uri_get_host (uri); *c; c++)
        if (!g_ascii_isalnum (*c) && *c != '.' && *c != '-' && *c != '*')
          return NULL;
      origin = g_uri_get_port (uri) > 0
             ? g_strdup_printf ("%s://%s:%d", g_uri_get_scheme (uri), g_uri_get_host (uri), g_uri_get_port (uri))
             : g_strdup_printf ("%s://%s", g_uri_get_scheme (uri), g_uri_get_host (uri));
      g_string_append_printf (value, " %s", origin);
    }
  return g_string_free (g_steal_pointer (&value), FALSE);
}

static void
show_sites (OknoPreferencesWindow *self)
{
  g_autofree char *sites = dup_sites (self->settings);

  gtk_editable_set_text (GTK_EDITABLE (self->frame_ancestors_row), sites);
  gtk_widget_remove_css_class (GTK_WIDGET (self->frame_ancestors_row), "error");
}

static void
sites_applied_cb (OknoPreferencesWindow *self)
{
  g_autofree char *value = okno_preferences_parse_sites (gtk_editable_get_text (GTK_EDITABLE (self->frame_ancestors_row)));

  if (value == NULL)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->frame_ancestors_row), "error");
      adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self),
                                        adw_toast_new (_("Enter websites as addresses such as https://olgarozet.ru, "
                                                         "separated by spaces")));
      return;
    }
  g_settings_set_string (self->settings, "frame-ancestors", value);
  show_sites (self);
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
  gtk_widget_class_bind_template_child (widget_class, OknoPreferencesWindow, frame_ancestors_row);
  gtk_widget_class_bind_template_child (widget_class, OknoPreferencesWindow, booking_group);
  gtk_widget_class_bind_template_child (widget_class, OknoPreferencesWindow, port_row);
}

static void
okno_preferences_window_init (OknoPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

static gboolean
setting_is_port (GSettings *settings,
                 guint      port)
{
  g_autoptr(GVariant) value = g_settings_get_value (settings, "port");

  return g_variant_get_uint16 (value) == port;
}

/* The Port row says where the page is served now when that is not the
 * setting (okno --port, Use Another Port) or when it is not served. */
void
okno_preferences_window_set_served_port (OknoPreferencesWindow *self,
                                         guint                  port)
{
  g_autofree char *text = NULL;

  g_return_if_fail (OKNO_IS_PREFERENCES_WINDOW (self));

  if (port == 0)
    text = g_strdup (_("Port of the booking page; it is not being served now"));
  else if (!setting_is_port (self->settings, port))
    text = g_strdup_printf (_("Port of the booking page; served on port %u for now"), port);
  else
    text = g_strdup_printf (_("Port of the booking page; served on port %u"), port);
  adw_action_row_set_subtitle (self->port_row, text);
}

GtkWidget *
okno_preferences_window_get_zone_row (OknoPreferencesWindow *self)
{
  g_return_val_if_fail (OKNO_IS_PREFERENCES_WINDOW (self), NULL);
  return self->zone_row;
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
      /* One width for every number, so the rows line up. */
      if (GTK_IS_SPIN_BUTTON (widget))
        gtk_editable_set_width_chars (GTK_EDITABLE (widget), 5);
    }

  self->zone_row = okno_zone_row_new (settings);
  adw_preferences_group_add (self->booking_group, self->zone_row);

  adw_entry_row_set_show_apply_button (self->frame_ancestors_row, TRUE);
  g_signal_connect_object (self->frame_ancestors_row, "apply", G_CALLBACK (sites_applied_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (settings, "changed::frame-ancestors", G_CALLBACK (show_sites), self, G_CONNECT_SWAPPED);
  show_sites (self);

  /* Pages are widgets of their own; more are added the same way. */
  adw_preferences_window_add (ADW_PREFERENCES_WINDOW (self),
                              ADW_PREFERENCES_PAGE (okno_session_types_page_new (settings)));

  return self;
}
