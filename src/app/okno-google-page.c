/* okno-google-page.c
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "OknoGooglePage"

#include "config.h"

#include <glib/gi18n.h>

#include "okno-google-auth.h"
#include "okno-google-page.h"
#include "okno-google-switch.h"

/* Preferences → Google Calendar: the account (Connect…), whether the slots
 * live in Google, which calendar holds them, and how often Okno asks. */

struct _OknoGooglePage
{
  AdwPreferencesPage  parent_instance;

  OknoProfile        *profile;
  OknoGoogleAuth     *auth;
  GCancellable       *cancellable;
  GtkWidget          *account_row;
  GtkWidget          *connect_button;
  GtkWidget          *copy_row;
};

G_DEFINE_FINAL_TYPE (OknoGooglePage, okno_google_page, ADW_TYPE_PREFERENCES_PAGE)

static void
show_account (OknoGooglePage *self)
{
  g_auto(GStrv) off = okno_google_auth_describe_missing (self->auth);
  g_autoptr(GString) text = g_string_new (NULL);

  if (!okno_google_auth_is_connected (self->auth))
    g_string_append (text, _("Not connected"));
  else
    g_string_append (text, okno_google_auth_get_account (self->auth) ? okno_google_auth_get_account (self->auth)
                                                                      : _("Connected"));
  for (guint i = 0; off[i]; i++)
    g_string_append_printf (text, "\n%s", off[i]);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->account_row), text->str);
  gtk_button_set_label (GTK_BUTTON (self->connect_button),
                        okno_google_auth_is_connected (self->auth) ? _("Connect Again…") : _("Connect…"));
}

static void
loaded_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(OknoGooglePage) self = user_data;

  okno_google_auth_load_finish (OKNO_GOOGLE_AUTH (object), result, NULL);
  show_account (self);
}

/* Switching: how many of the local calendar's slots go to Google. */
static void
switched_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(OknoGooglePage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  guint n = 0;

  if (!okno_google_switch_to_google_finish (OKNO_PROFILE (object), result, &n, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        adw_action_row_set_subtitle (ADW_ACTION_ROW (self->copy_row), error->message);
      return;
    }
  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "%u slot or booked session of the local calendar will be copied into Google Calendar when Okno starts again",
                                       "%u slots and booked sessions of the local calendar will be copied into Google Calendar when Okno starts again",
                                       n), n);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->copy_row), text);
  gtk_widget_set_visible (self->copy_row, TRUE);
}

static void
connected_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(OknoGooglePage) self = user_data;
  g_autoptr(GError) error = NULL;

  gtk_widget_set_sensitive (self->connect_button, TRUE);
  if (!okno_google_auth_connect_finish (OKNO_GOOGLE_AUTH (object), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        adw_action_row_set_subtitle (ADW_ACTION_ROW (self->account_row), error->message);
      return;
    }
  show_account (self);
  /* Email through this account from now on, not from the next start. */
  okno_profile_use_google_account (self->profile, self->auth);
  okno_google_switch_to_google_async (self->profile, self->cancellable, switched_cb, g_object_ref (self));
}

static void
connect_clicked_cb (OknoGooglePage *self)
{
  g_autoptr(GError) error = NULL;
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (!okno_google_auth_check_client (self->auth, &error))
    {
      adw_action_row_set_subtitle (ADW_ACTION_ROW (self->account_row), error->message);
      return;
    }
  gtk_widget_set_sensitive (self->connect_button, FALSE);
  okno_google_auth_connect_async (self->auth, 0, self->cancellable, connected_cb, g_object_ref (self));
  if (okno_google_auth_get_authorization_uri (self->auth))
    gtk_show_uri (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                  okno_google_auth_get_authorization_uri (self->auth), GDK_CURRENT_TIME);
}

static gboolean
backend_get_mapping (GValue   *value,
                     GVariant *variant,
                     gpointer  user_data)
{
  g_value_set_boolean (value, g_strcmp0 (g_variant_get_string (variant, NULL), "google") == 0);
  return TRUE;
}

static GVariant *
backend_set_mapping (const GValue       *value,
                     const GVariantType *expected_type,
                     gpointer            user_data)
{
  return g_variant_new_string (g_value_get_boolean (value) ? "google" : "local");
}

/* google-busy-calendars as the ids separated by commas. */
static gboolean
busy_get_mapping (GValue   *value,
                  GVariant *variant,
                  gpointer  user_data)
{
  g_autofree const char **ids = g_variant_get_strv (variant, NULL);
  g_autofree char *text = g_strjoinv (", ", (char **) ids);

  g_value_set_string (value, text);
  return TRUE;
}

static GVariant *
busy_set_mapping (const GValue       *value,
                  const GVariantType *expected_type,
                  gpointer            user_data)
{
  g_auto(GStrv) parts = g_strsplit (g_value_get_string (value) ? g_value_get_string (value) : "", ",", -1);
  g_autoptr(GPtrArray) ids = g_ptr_array_new ();

  for (guint i = 0; parts[i]; i++)
    {
      g_strstrip (parts[i]);
      if (parts[i][0] != '\0')
        g_ptr_array_add (ids, parts[i]);
    }
  return g_variant_new_strv ((const char * const *) ids->pdata, ids->len);
}

static void
okno_google_page_dispose (GObject *object)
{
  OknoGooglePage *self = (OknoGooglePage *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->auth);
  g_clear_object (&self->profile);

  G_OBJECT_CLASS (okno_google_page_parent_class)->dispose (object);
}

static void
okno_google_page_class_init (OknoGooglePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = okno_google_page_dispose;
}

static void
okno_google_page_init (OknoGooglePage *self)
{
  self->cancellable = g_cancellable_new ();
}

GtkWidget *
okno_google_page_new (OknoProfile *profile)
{
  OknoGooglePage *self;
  GSettings *settings;
  GtkWidget *group, *row, *widget;

  g_return_val_if_fail (OKNO_IS_PROFILE (profile), NULL);

  self = g_object_new (OKNO_TYPE_GOOGLE_PAGE,
                       "title", _("Google Calendar"),
                       "icon-name", "x-office-calendar-symbolic",
                       NULL);
  self->profile = g_object_ref (profile);
  self->auth = okno_google_auth_new (okno_profile_get_data_dir (profile));
  settings = okno_profile_get_settings (profile);

  group = adw_preferences_group_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _("Account"));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group),
                                         _("Okno asks to read your calendars, write events and send email "
                                           "as you; the sign-in is kept in the keyring."));
  self->account_row = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->account_row), _("Google account"));
  self->connect_button = gtk_button_new_with_label (_("Connect…"));
  gtk_widget_set_valign (self->connect_button, GTK_ALIGN_CENTER);
  g_signal_connect_object (self->connect_button, "clicked", G_CALLBACK (connect_clicked_cb), self, G_CONNECT_SWAPPED);
  adw_action_row_add_suffix (ADW_ACTION_ROW (self->account_row), self->connect_button);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), self->account_row);
  self->copy_row = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->copy_row), _("Slots copied into Google"));
  gtk_widget_set_visible (self->copy_row, FALSE);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), self->copy_row);
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (self), ADW_PREFERENCES_GROUP (group));

  group = adw_preferences_group_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _("Calendars"));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group),
                                         _("Read when Okno starts. Busy calendars left empty: every calendar "
                                           "selected in the account. “okno-server google calendars” lists the ids."));

  row = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Keep the slots in Google Calendar"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), _("Takes effect when Okno starts again"));
  widget = gtk_switch_new ();
  gtk_widget_set_valign (widget, GTK_ALIGN_CENTER);
  g_settings_bind_with_mapping (settings, "calendar-backend", widget, "active", G_SETTINGS_BIND_DEFAULT,
                                backend_get_mapping, backend_set_mapping, NULL, NULL);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), widget);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), widget);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);

  row = adw_entry_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Calendar for the slots (id, or “primary”)"));
  g_settings_bind (settings, "google-slot-calendar", row, "text", G_SETTINGS_BIND_DEFAULT);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);

  row = adw_entry_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Calendars that count as busy (ids, separated by commas)"));
  g_settings_bind_with_mapping (settings, "google-busy-calendars", row, "text", G_SETTINGS_BIND_DEFAULT,
                                busy_get_mapping, busy_set_mapping, NULL, NULL);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);

  row = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Check for changes every (seconds)"));
  widget = gtk_spin_button_new_with_range (10, 3600, 10);
  gtk_widget_set_valign (widget, GTK_ALIGN_CENTER);
  g_settings_bind (settings, "poll-seconds", widget, "value", G_SETTINGS_BIND_DEFAULT);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), widget);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (self), ADW_PREFERENCES_GROUP (group));

  show_account (self);
  okno_google_auth_load_async (self->auth, self->cancellable, loaded_cb, g_object_ref (self));
  return GTK_WIDGET (self);
}
