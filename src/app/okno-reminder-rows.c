/* okno-reminder-rows.c
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "OknoReminderRows"

#include "config.h"

#include <glib/gi18n.h>

#include "okno-reminder-rows.h"

/* Preferences → Notifications → Reminders: the client's reminder
 * (reminder-hours, 0 = none) and Olga's morning agenda in Telegram
 * (agenda-hour: "" = none, else the hour in her zone). The agenda's drop
 * down shows "Off" at position 0 and hour h at h + 1. */

static gboolean
agenda_to_selected (GValue   *value,
                    GVariant *variant,
                    gpointer  user_data)
{
  const char *text = g_variant_get_string (variant, NULL);
  guint64 hour = 0;

  if (text[0] == '\0' || !g_ascii_string_to_unsigned (text, 10, 0, 23, &hour, NULL))
    g_value_set_uint (value, 0);
  else
    g_value_set_uint (value, (guint) hour + 1);
  return TRUE;
}

static GVariant *
selected_to_agenda (const GValue       *value,
                    const GVariantType *type,
                    gpointer            user_data)
{
  guint selected = g_value_get_uint (value);
  g_autofree char *text = NULL;

  if (selected == 0 || selected == GTK_INVALID_LIST_POSITION || selected > 24)
    return g_variant_new_string ("");
  text = g_strdup_printf ("%u", selected - 1);
  return g_variant_new_string (text);
}

/**
 * okno_reminder_rows_add:
 *
 * Adds the Reminders group to @page.
 *
 * Returns: (transfer none): the group
 */
GtkWidget *
okno_reminder_rows_add (AdwPreferencesPage *page,
                        GSettings          *settings)
{
  g_autoptr(GtkStringList) hours = gtk_string_list_new (NULL);
  GtkWidget *group, *row, *spin, *drop_down;

  g_return_val_if_fail (ADW_IS_PREFERENCES_PAGE (page), NULL);
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  group = adw_preferences_group_new ();
  gtk_widget_set_name (group, "reminders");
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _("Reminders"));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group),
                                         _("Clients who left an email get a reminder before their session; "
                                           "you can get the day’s sessions in Telegram each morning."));

  row = adw_action_row_new ();
  gtk_widget_set_name (row, "reminder-hours");
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Reminder to clients"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), _("Hours before the session; 0 sends none"));
  spin = gtk_spin_button_new_with_range (0, 168, 1);
  gtk_widget_set_valign (spin, GTK_ALIGN_CENTER);
  g_settings_bind (settings, "reminder-hours", spin, "value", G_SETTINGS_BIND_DEFAULT);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), spin);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), spin);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);

  /* Translators: the morning agenda is not sent */
  gtk_string_list_append (hours, C_("agenda", "Off"));
  for (guint h = 0; h < 24; h++)
    {
      g_autofree char *label = g_strdup_printf ("%02u:00", h);
      gtk_string_list_append (hours, label);
    }

  row = adw_action_row_new ();
  gtk_widget_set_name (row, "agenda-hour");
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Morning agenda in Telegram"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), _("The day’s sessions, sent at this hour"));
  drop_down = gtk_drop_down_new (G_LIST_MODEL (g_steal_pointer (&hours)), NULL);
  gtk_widget_set_valign (drop_down, GTK_ALIGN_CENTER);
  g_settings_bind_with_mapping (settings, "agenda-hour", drop_down, "selected", G_SETTINGS_BIND_DEFAULT,
                                agenda_to_selected, selected_to_agenda, NULL, NULL);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), drop_down);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), drop_down);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);

  adw_preferences_page_add (page, ADW_PREFERENCES_GROUP (group));

  return group;
}
