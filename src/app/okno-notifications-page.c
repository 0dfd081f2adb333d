/* okno-notifications-page.c
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "OknoNotificationsPage"

#include "config.h"

#include <glib/gi18n.h>

#include "okno-notifications-page.h"
#include "okno-reminder-rows.h"
#include "okno-secrets.h"

/* Preferences → Notifications: where Olga's news goes. Telegram (the bot
 * token, kept in the keyring; the chat id; *Send Test Message*, whose
 * answer says what to fix), email (through the connected Google account:
 * on, or off and why; the page's address for clients' links) and the
 * Cal.com watch (its API key, the check interval and what it found). */
struct _OknoNotificationsPage
{
  AdwPreferencesPage  parent_instance;

  OknoProfile        *profile;
  GCancellable       *cancellable;
  GtkWidget          *token_row;
  GtkWidget          *token_state_row;
  GtkWidget          *chat_row;
  GtkWidget          *test_row;
  GtkWidget          *test_button;
  GtkWidget          *email_row;
  GtkWidget          *calcom_key_row;
  GtkWidget          *calcom_state_row;
  GtkWidget          *interval_spin;
};

G_DEFINE_FINAL_TYPE (OknoNotificationsPage, okno_notifications_page, ADW_TYPE_PREFERENCES_PAGE)

static void
update_token_state (OknoNotificationsPage *self)
{
  OknoTelegram *telegram = okno_profile_get_telegram (self->profile);

  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->token_state_row),
                               okno_telegram_has_token (telegram)
                               ? _("A bot token is saved in the keyring.")
                               : _("No bot token yet: create a bot with @BotFather, paste its token above, then press Start in the chat with the bot."));
}

/* On (to whom), or off and why: the profile says. */
static void
update_email_state (OknoNotificationsPage *self)
{
  const char *problem = okno_profile_get_email_problem (self->profile);
  g_autofree char *text = NULL;

  if (problem != NULL)
    /* Translators: %s says why, such as “no Google account is connected: connect one in …” */
    text = g_strdup_printf (_("Off: %s."), problem);
  else
    text = g_strdup (_("On: Okno writes to you about each booking, each cancellation by a client and each change of Cal.com’s state, and to clients who leave an email address."));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->email_row), text);
  gtk_widget_set_sensitive (self->email_row, problem == NULL);
}

static void
update_calcom_state (OknoNotificationsPage *self)
{
  OknoCalcomMonitor *monitor = okno_profile_get_calcom_monitor (self->profile);
  const char *state = okno_service_state_get_state (okno_calcom_monitor_get_state (monitor));

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->calcom_state_row),
                                 okno_calcom_monitor_title_for (state));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->calcom_state_row),
                               okno_calcom_monitor_get_detail (monitor));
}

static void
token_stored_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  OknoNotificationsPage *self = user_data;
  g_autoptr(GError) error = NULL;

  if (!okno_secrets_store_finish (result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        adw_action_row_set_subtitle (ADW_ACTION_ROW (self->token_state_row), error->message);
      return;
    }
  update_token_state (self);
}

static void
token_applied_cb (OknoNotificationsPage *self)
{
  g_autofree char *token = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->token_row))));

  if (token[0] == '\0')
    return;
  okno_telegram_set_token (okno_profile_get_telegram (self->profile), token);
  gtk_editable_set_text (GTK_EDITABLE (self->token_row), "");
  okno_secrets_store_async (okno_profile_get_data_dir (self->profile), OKNO_SECRET_TELEGRAM_BOT_TOKEN, token,
                            self->cancellable, token_stored_cb, self);
}

static void
chat_applied_cb (OknoNotificationsPage *self)
{
  g_settings_set_string (okno_profile_get_settings (self->profile), "telegram-chat-id",
                         gtk_editable_get_text (GTK_EDITABLE (self->chat_row)));
}

static void
calcom_key_stored_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  OknoNotificationsPage *self = user_data;
  g_autoptr(GError) error = NULL;

  if (!okno_secrets_store_finish (result, &error) && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    adw_action_row_set_subtitle (ADW_ACTION_ROW (self->calcom_state_row), error->message);
}

static void
calcom_key_applied_cb (OknoNotificationsPage *self)
{
  g_autofree char *key = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->calcom_key_row))));

  if (key[0] == '\0')
    return;
  okno_calcom_monitor_set_api_key (okno_profile_get_calcom_monitor (self->profile), key);
  okno_calcom_monitor_start (okno_profile_get_calcom_monitor (self->profile));
  gtk_editable_set_text (GTK_EDITABLE (self->calcom_key_row), "");
  okno_secrets_store_async (okno_profile_get_data_dir (self->profile), OKNO_SECRET_CALCOM_API_KEY, key,
                            self->cancellable, calcom_key_stored_cb, self);
}

static void
test_sent_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  OknoNotificationsPage *self = user_data;
  g_autoptr(GError) error = NULL;

  if (okno_telegram_send_finish (OKNO_TELEGRAM (object), result, NULL, &error) == 0 &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  gtk_widget_set_sensitive (self->test_button, TRUE);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->test_row),
                               error ? error->message : _("Sent: the message is in your Telegram chat."));
}

static void
send_test_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  OknoNotificationsPage *self = OKNO_NOTIFICATIONS_PAGE (widget);
  g_autofree char *html = okno_telegram_format_news (_("Okno test message"), _("Telegram notifications work."));

  gtk_widget_set_sensitive (self->test_button, FALSE);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->test_row), _("Sending…"));
  okno_telegram_send_async (okno_profile_get_telegram (self->profile), html, self->cancellable,
                            test_sent_cb, self);
}

static GtkWidget *
add_group (OknoNotificationsPage *self,
           const char            *title,
           const char            *description)
{
  GtkWidget *group = adw_preferences_group_new ();

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), title);
  if (description != NULL)
    adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group), description);
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (self), ADW_PREFERENCES_GROUP (group));
  return group;
}

static void
okno_notifications_page_dispose (GObject *object)
{
  OknoNotificationsPage *self = (OknoNotificationsPage *) object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->profile);

  G_OBJECT_CLASS (okno_notifications_page_parent_class)->dispose (object);
}

static void
okno_notifications_page_class_init (OknoNotificationsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = okno_notifications_page_dispose;
  gtk_widget_class_install_action (widget_class, "notifications.send-test", NULL, send_test_action);
}

static void
okno_notifications_page_init (OknoNotificationsPage *self)
{
  self->cancellable = g_cancellable_new ();
}

GtkWidget *
okno_notifications_page_new (OknoProfile *profile)
{
  OknoNotificationsPage *self;
  GtkWidget *group, *row;
  GSettings *settings;

  g_return_val_if_fail (OKNO_IS_PROFILE (profile), NULL);

  self = g_object_new (OKNO_TYPE_NOTIFICATIONS_PAGE,
                       "name", "notifications",
                       "title", _("Notifications"),
                       "icon-name", "preferences-system-notifications-symbolic",
                       NULL);
  self->profile = g_object_ref (profile);
  settings = okno_profile_get_settings (profile);

  /* Telegram */
  group = add_group (self, _("Telegram"),
                     _("Okno writes to your chat through your own bot: each booking, each cancellation by a client, and the Cal.com news."));
  self->token_row = adw_password_entry_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->token_row), _("Bot token"));
  adw_entry_row_set_show_apply_button (ADW_ENTRY_ROW (self->token_row), TRUE);
  g_signal_connect_swapped (self->token_row, "apply", G_CALLBACK (token_applied_cb), self);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), self->token_row);

  self->token_state_row = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->token_state_row), _("Token"));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), self->token_state_row);

  self->chat_row = adw_entry_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->chat_row), _("Chat id"));
  adw_entry_row_set_show_apply_button (ADW_ENTRY_ROW (self->chat_row), TRUE);
  adw_entry_row_set_input_purpose (ADW_ENTRY_ROW (self->chat_row), GTK_INPUT_PURPOSE_NUMBER);
  gtk_editable_set_text (GTK_EDITABLE (self->chat_row), okno_telegram_get_chat_id (okno_profile_get_telegram (profile)));
  g_signal_connect_swapped (self->chat_row, "apply", G_CALLBACK (chat_applied_cb), self);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), self->chat_row);

  self->test_row = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->test_row), _("Test message"));
  self->test_button = gtk_button_new_with_mnemonic (_("_Send Test Message"));
  gtk_widget_set_valign (self->test_button, GTK_ALIGN_CENTER);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->test_button), "notifications.send-test");
  adw_action_row_add_suffix (ADW_ACTION_ROW (self->test_row), self->test_button);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), self->test_row);

  /* Email */
  group = add_group (self, _("Email"),
                     _("Okno sends email from the Google account connected in Preferences → Google Calendar, when it allowed sending email."));
  self->email_row = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->email_row), _("Email through Gmail"));
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (self->email_row), 0);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), self->email_row);
  g_signal_connect_object (profile, "notify::email-problem",
                           G_CALLBACK (update_email_state), self, G_CONNECT_SWAPPED);

  row = adw_entry_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Booking page address for clients"));
  adw_entry_row_set_input_purpose (ADW_ENTRY_ROW (row), GTK_INPUT_PURPOSE_URL);
  g_settings_bind (settings, "public-url", row, "text", G_SETTINGS_BIND_DEFAULT);
  gtk_widget_set_tooltip_text (row, _("The links in clients’ emails start with it, such as https://book.olgarozet.ru"));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);

  /* Cal.com */
  group = add_group (self, _("Cal.com"),
                     _("Okno checks whether Cal.com works with your API key and tells you when it goes down and when it is back."));
  self->calcom_key_row = adw_password_entry_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->calcom_key_row), _("API key"));
  adw_entry_row_set_show_apply_button (ADW_ENTRY_ROW (self->calcom_key_row), TRUE);
  g_signal_connect_swapped (self->calcom_key_row, "apply", G_CALLBACK (calcom_key_applied_cb), self);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), self->calcom_key_row);

  self->calcom_state_row = adw_action_row_new ();
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), self->calcom_state_row);

  row = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Check interval"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), _("Seconds between checks whether Cal.com works"));
  self->interval_spin = gtk_spin_button_new_with_range (60, 86400, 60);
  gtk_widget_set_valign (self->interval_spin, GTK_ALIGN_CENTER);
  g_settings_bind (settings, "calcom-probe-seconds", self->interval_spin, "value", G_SETTINGS_BIND_DEFAULT);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), self->interval_spin);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), self->interval_spin);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);

  /* Reminders */
  okno_reminder_rows_add (ADW_PREFERENCES_PAGE (self), settings);

  g_signal_connect_object (okno_profile_get_calcom_monitor (profile), "notify::detail",
                           G_CALLBACK (update_calcom_state), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (okno_calcom_monitor_get_state (okno_profile_get_calcom_monitor (profile)), "notify::state",
                           G_CALLBACK (update_calcom_state), self, G_CONNECT_SWAPPED);
  update_token_state (self);
  update_email_state (self);
  update_calcom_state (self);

  return GTK_WIDGET (self);
}
