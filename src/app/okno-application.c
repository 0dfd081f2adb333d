/* okno-application.c
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "OknoApplication"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "okno-application.h"
#include "okno-desktop-sink.h"
#include "okno-event-tile.h"
#include "okno-google-calendar.h"
#include "okno-google-page.h"
#include "okno-notifications-page.h"
#include "okno-attention-notifier.h"
#include "okno-preferences-window.h"
#include "okno-window.h"

#define EXIT_USAGE 2

struct _OknoApplication
{
  AdwApplication  parent_instance;

  OknoProfile   *instance;
  OknoAttentionNotifier *attention_notifier;
  gboolean        told_reconnect;
  gboolean        opening;
  gboolean        closing;
  gboolean        closed;
  gboolean        quit_when_closed;
  char           *data_dir;
  OknoOverrides   overrides;
  char           *bind;
};

G_DEFINE_FINAL_TYPE (OknoApplication, okno_application, ADW_TYPE_APPLICATION)

static const GOptionEntry option_entries[] = {
  { "data-dir", 'd', 0, G_OPTION_ARG_FILENAME, NULL,
    N_("Folder with the bookings, calendar and settings (default: $XDG_DATA_HOME/okno)"), N_("DIR") },
  /* A string: GApplication drops an integer option whose value is 0, and
   * --port 0 (any free port) must reach the server. */
  { "port", 'p', 0, G_OPTION_ARG_STRING, NULL,
    N_("Port of the booking page (default: the “port” setting, 8421)"), N_("N") },
  { "bind", 'b', 0, G_OPTION_ARG_STRING, NULL,
    N_("Address to listen on (default: 127.0.0.1, or all with “share-on-lan”)"), N_("ADDR") },
  { "version", 'v', 0, G_OPTION_ARG_NONE, NULL,
    N_("Print the version and exit"), NULL },
  { "poll-seconds", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("How often to ask Google Calendar for changes (default: the “poll-seconds” setting, 60)"), N_("N") },
  { NULL }
};

static void
show_fatal_error (OknoApplication *self,
                  const char      *message)
{
  GtkWidget *dialog;

  dialog = adw_message_dialog_new (NULL, _("Okno cannot start"), message);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_set_application (GTK_WINDOW (dialog), GTK_APPLICATION (self));
  g_signal_connect_swapped (dialog, "response", G_CALLBACK (gtk_window_destroy), dialog);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
show_preferences (OknoApplication *self,
                  const char      *page)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));
  OknoPreferencesWindow *preferences;
  OknoWebServer *server;

  if (self->instance == NULL)
    return;

  server = okno_profile_get_web_server (self->instance);
  preferences = okno_preferences_window_new (okno_profile_get_settings (self->instance));
  okno_preferences_window_set_served_port (preferences, okno_web_server_is_running (server)
                                                        ? okno_web_server_get_port (server) : 0);
  adw_preferences_window_add (ADW_PREFERENCES_WINDOW (preferences),
                              ADW_PREFERENCES_PAGE (okno_notifications_page_new (self->instance)));
  adw_preferences_window_add (ADW_PREFERENCES_WINDOW (preferences),
                              ADW_PREFERENCES_PAGE (okno_google_page_new (self->instance)));
  if (page != NULL)
    adw_preferences_window_set_visible_page_name (ADW_PREFERENCES_WINDOW (preferences), page);
  gtk_window_set_transient_for (GTK_WINDOW (preferences), window);
  gtk_window_present (GTK_WINDOW (preferences));
}

static void
preferences_action (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  show_preferences (user_data, NULL);
}

static void
session_types_action (GSimpleAction *action,
                      GVariant      *parameter,
                      gpointer       user_data)
{
  show_preferences (user_data, "session-types");
}

static void
about_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  OknoApplication *self = user_data;
  static const char *developers[] = { "Okno contributors", NULL };
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", gtk_application_get_active_window (GTK_APPLICATION (self)),
                        "application-icon", APPLICATION_ID,
                        "application-name", _("Okno"),
                        "developer-name", _("Okno contributors"),
                        "version", PACKAGE_VERSION,
                        "comments", _("Publish open slots in your week and let clients book them."),
                        "website", "https://olgarozet.ru/okno",
                        "developers", developers,
                        "copyright", "© 2026 Okno contributors",
                        "license-type", GTK_LICENSE_GPL_3_0,
                        /* Translators: your name and email, one per line */
                        "translator-credits", _("translator-credits"),
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static void
closed_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(OknoApplication) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!okno_profile_close_finish (OKNO_PROFILE (object), result, &error))
    g_warning ("%s", error->message);

  self->closed = TRUE;
  if (self->quit_when_closed)
    g_application_quit (G_APPLICATION (self));
  g_application_release (G_APPLICATION (self));
}

/* Stops serving and lets the last writes drain on the running loop; the
 * application holds itself meanwhile, so it neither quits early nor waits
 * on a nested loop. */
static void
close_profile (OknoApplication *self,
               gboolean         quit)
{
  self->quit_when_closed |= quit;
  if (self->closing)
    return;
  if (self->instance == NULL || self->closed)
    {
      if (quit)
        g_application_quit (G_APPLICATION (self));
      return;
    }

  self->closing = TRUE;
  g_application_hold (G_APPLICATION (self));
  okno_profile_close_async (self->instance, NULL, closed_cb, g_object_ref (self));
}

static void
quit_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  close_profile (OKNO_APPLICATION (user_data), TRUE);
}

/* The last window went: the application would stop now. */
static void
window_removed_cb (OknoApplication *self,
                   GtkWindow       *window)
{
  if (gtk_application_get_windows (GTK_APPLICATION (self)) == NULL)
    close_profile (self, FALSE);
}

static void
activate_action (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  g_application_activate (G_APPLICATION (user_data));
}

/* A notification's Show: the window, at the week of the booking that
 * starts at @parameter (an ISO 8601 time). */
static void
show_booking_action (GSimpleAction *action,
                     GVariant      *parameter,
                     gpointer       user_data)
{
  OknoApplication *self = OKNO_APPLICATION (user_data);
  g_autoptr(GDateTime) start = g_date_time_new_from_iso8601 (g_variant_get_string (parameter, NULL), NULL);
  GtkWindow *window;

  g_application_activate (G_APPLICATION (self));
  window = gtk_application_get_active_window (GTK_APPLICATION (self));
  if (start != NULL && OKNO_IS_WINDOW (window))
    okno_window_set_week (OKNO_WINDOW (window), start);
}

static void
google_reconnected_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(OknoCalendar) calendar = user_data;
  g_autoptr(GError) error = NULL;

  if (!okno_google_auth_connect_finish (OKNO_GOOGLE_AUTH (object), result, &error))
    {
      g_message ("Reconnecting to Google failed: %s", error->message);
      return;
    }
  okno_calendar_refresh_async (calendar, NULL, NULL, NULL);
}

/* The banner's Reconnect: the same sign-in as `okno-server google
 * connect`, in the browser the portal opens. */
static void
google_reconnect_action (GSimpleAction *action,
                         GVariant      *parameter,
                         gpointer       user_data)
{
  OknoApplication *self = OKNO_APPLICATION (user_data);
  OknoCalendar *calendar;
  OknoGoogleAuth *auth;

  if (self->instance == NULL)
    return;
  calendar = okno_schedule_get_calendar (okno_profile_get_schedule (self->instance));
  if (!OKNO_IS_GOOGLE_CALENDAR (calendar))
    return;
  auth = okno_google_calendar_get_auth (OKNO_GOOGLE_CALENDAR (calendar));
  okno_google_auth_connect_async (auth, 0, NULL, google_reconnected_cb, g_object_ref (calendar));
  if (okno_google_auth_get_authorization_uri (auth))
    gtk_show_uri (gtk_application_get_active_window (GTK_APPLICATION (self)),
                  okno_google_auth_get_authorization_uri (auth), GDK_CURRENT_TIME);
}

static const GActionEntry app_actions[] = {
  { "google-reconnect", google_reconnect_action },
  { "activate", activate_action },
  { "show-booking", show_booking_action, "s" },
  { "preferences", preferences_action },
  { "session-types", session_types_action },
  { "about", about_action },
  { "quit", quit_action },
};

/* «Cal.com is back» is the news Olga waits for; one notification, replaced
 * by the next change. */
static void
calcom_changed_cb (OknoApplication   *self,
                   const char        *from,
                   const char        *to,
                   OknoCalcomMonitor *monitor)
{
  g_autoptr(GNotification) notification = g_notification_new (okno_calcom_monitor_title_for (to));

  g_notification_set_body (notification, okno_calcom_monitor_get_detail (monitor));
  g_notification_set_default_action (notification, "app.activate");
  g_application_send_notification (G_APPLICATION (self), "calcom", notification);
}

/* A refresh token Google refused is news for Olga even with the window
 * out of sight: one notification (its Reconnect is the banner's), taken
 * back once Google answers again. */
static void
calendar_state_changed_cb (OknoApplication *self)
{
  OknoCalendar *calendar = okno_schedule_get_calendar (okno_profile_get_schedule (self->instance));
  gboolean reconnect = okno_calendar_get_state (calendar) == OKNO_CALENDAR_STATE_RECONNECT;
  g_autoptr(GNotification) notification = NULL;

  if (!OKNO_IS_GOOGLE_CALENDAR (calendar) || reconnect == self->told_reconnect)
    return;
  self->told_reconnect = reconnect;
  if (!reconnect)
    {
      g_application_withdraw_notification (G_APPLICATION (self), "google-reconnect");
      return;
    }
  notification = g_notification_new (_("Google needs you to sign in again"));
  g_notification_set_body (notification,
                           _("The page keeps offering the slots Okno knows; changes wait until you sign in again."));
  g_notification_set_default_action (notification, "app.activate");
  g_notification_add_button (notification, _("Reconnect"), "app.google-reconnect");
  g_application_send_notification (G_APPLICATION (self), "google-reconnect", notification);
}

static int
okno_application_handle_local_options (GApplication *application,
                                       GVariantDict *options)
{
  OknoApplication *self = OKNO_APPLICATION (application);
  const char *port;

  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("okno %s\n", PACKAGE_VERSION);
      return EXIT_SUCCESS;
    }

  /* Values were checked by okno_application_check_arguments(). */
  if (g_variant_dict_lookup (options, "port", "&s", &port))
    self->overrides.port = (int) g_ascii_strtoll (port, NULL, 10);

  g_variant_dict_lookup (options, "bind", "s", &self->bind);
  self->overrides.bind = self->bind;

  if (g_variant_dict_lookup (options, "poll-seconds", "&s", &port))
    self->overrides.poll_seconds = (int) g_ascii_strtoll (port, NULL, 10);

  /* Another data folder is another profile: let it run beside the first. */
  if (g_variant_dict_lookup (options, "data-dir", "^ay", &self->data_dir))
    g_application_set_flags (application,
                             g_application_get_flags (application) | G_APPLICATION_NON_UNIQUE);

  return -1;
}

static void
okno_application_startup (GApplication *application)
{
  OknoApplication *self = OKNO_APPLICATION (application);
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *preferences_accels[] = { "<Control>comma", NULL };

  G_APPLICATION_CLASS (okno_application_parent_class)->startup (application);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions, G_N_ELEMENTS (app_actions), self);
  g_signal_connect (self, "window-removed", G_CALLBACK (window_removed_cb), NULL);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.preferences", preferences_accels);
}

/* The profile is open (or could not be): set it up and show the window. */
static void
profile_ready_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(OknoApplication) self = user_data;
  g_autoptr(GError) error = NULL;

  self->opening = FALSE;
  self->instance = okno_profile_new_finish (result, &error);
  if (self->instance == NULL)
    show_fatal_error (self, error->message);
  else
    {
      static const char * const kinds[] = { "desktop", NULL };
      g_autoptr(OknoDesktopSink) sink = NULL;

      okno_profile_apply_overrides (self->instance, &self->overrides);
      /* Olga hears of bookings through the outbox: a desktop notification
       * for each, sent once even across a crash. */
      sink = okno_desktop_sink_new (G_APPLICATION (self), okno_profile_get_schedule (self->instance));
      okno_booking_service_set_notify_kinds (okno_profile_get_service (self->instance), kinds);
      okno_outbox_add_sink (okno_profile_get_outbox (self->instance), "desktop", OKNO_NOTIFY_SINK (sink));
      g_signal_connect_object (okno_profile_get_calcom_monitor (self->instance), "state-changed",
                               G_CALLBACK (calcom_changed_cb), self, G_CONNECT_SWAPPED);
      /* Each new "Needs attention" item is also a desktop notification. */
      self->attention_notifier = okno_attention_notifier_new (G_APPLICATION (self),
                                                              okno_profile_get_attention (self->instance));
      g_signal_connect_object (okno_schedule_get_calendar (okno_profile_get_schedule (self->instance)), "notify::state",
                               G_CALLBACK (calendar_state_changed_cb), self, G_CONNECT_SWAPPED);
      calendar_state_changed_cb (self);
      /* A busy port is not fatal: the window opens and says so. */
      okno_profile_start_server (self->instance, NULL);
      okno_profile_start_watching (self->instance);
      g_application_activate (G_APPLICATION (self));
    }

  g_application_release (G_APPLICATION (self));
}

static void
okno_application_activate (GApplication *application)
{
  OknoApplication *self = OKNO_APPLICATION (application);
  GtkWindow *window;

  if ((window = gtk_application_get_active_window (GTK_APPLICATION (self))))
    {
      gtk_window_present (window);
      return;
    }

  /* The window comes when the profile is open; the application stays
   * meanwhile. */
  if (self->instance == NULL)
    {
      if (!self->opening)
        {
          self->opening = TRUE;
          g_application_hold (application);
          okno_profile_new_async (self->data_dir, NULL, profile_ready_cb, g_object_ref (self));
        }
      return;
    }

  window = GTK_WINDOW (okno_window_new (self));
  gtk_window_present (window);
}

static void
okno_application_shutdown (GApplication *application)
{
  OknoApplication *self = OKNO_APPLICATION (application);

  /* Closed on the running loop already, unless the loop was stopped
   * from outside: then there is no loop to drain on but this one. */
  if (self->instance != NULL && !self->closed)
    okno_profile_flush (self->instance);
  self->closed = TRUE;

  G_APPLICATION_CLASS (okno_application_parent_class)->shutdown (application);
}

static void
okno_application_finalize (GObject *object)
{
  OknoApplication *self = (OknoApplication *) object;

  g_clear_object (&self->attention_notifier);
  g_clear_object (&self->instance);
  g_clear_pointer (&self->data_dir, g_free);
  g_clear_pointer (&self->bind, g_free);

  G_OBJECT_CLASS (okno_application_parent_class)->finalize (object);
}

static void
okno_application_class_init (OknoApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = okno_application_finalize;
  app_class->handle_local_options = okno_application_handle_local_options;
  app_class->startup = okno_application_startup;
  app_class->activate = okno_application_activate;
  app_class->shutdown = okno_application_shutdown;
}

static void
okno_application_init (OknoApplication *self)
{
  OknoOverrides none = OKNO_OVERRIDES_INIT;

  self->overrides = none;
  g_application_add_main_option_entries (G_APPLICATION (self), option_entries);
  g_application_set_option_context_parameter_string (G_APPLICATION (self), NULL);
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("Publish open slots in your week and let clients book them."));
}

OknoApplication *
okno_application_new (void)
{
  return g_object_new (OKNO_TYPE_APPLICATION,
                       "application-id", APPLICATION_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       "resource-base-path", "/ru/olgarozet/Okno",
                       NULL);
}

/**
 * okno_application_check_arguments:
 *
 * Checks the option values the way GApplication will parse them, so that a
 * bad one is a usage error (exit status 2), as for okno-server, instead of
 * GApplication's 1.
 *
 * Returns: 0 when they are fine, or the exit status
 */
int
okno_application_check_arguments (int    argc,
                                  char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *data_dir = NULL;
  g_autofree char *bind = NULL;
  g_autofree char *port_text = NULL;
  g_autofree char *poll_text = NULL;
  g_auto(GStrv) args = g_strdupv (argv);
  GOptionEntry entries[G_N_ELEMENTS (option_entries)];
  gboolean version = FALSE;
  int port = -1;

  memcpy (entries, option_entries, sizeof entries);
  entries[0].arg_data = &data_dir;
  entries[1].arg_data = &port_text;
  entries[2].arg_data = &bind;
  entries[3].arg_data = &version;
  entries[4].arg_data = &poll_text;

  g_option_context_set_help_enabled (context, FALSE);
  g_option_context_set_ignore_unknown_options (context, TRUE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);

  if (!g_option_context_parse_strv (context, &args, &error))
    {
      g_printerr ("okno: %s\n", error->message);
      return EXIT_USAGE;
    }
  if (port_text != NULL)
    {
      guint64 value = 0;

      if (!g_ascii_string_to_unsigned (port_text, 10, 0, 65535, &value, NULL))
        port = -2;
      else
        port = (int) value;
    }
  if (port != -1 && (port < 0 || port > 65535))
    {
      g_printerr ("okno: %s\n", _("--port must be a number from 0 to 65535"));
      return EXIT_USAGE;
    }
  if (poll_text != NULL && !g_ascii_string_to_unsigned (poll_text, 10, 10, 3600, NULL, NULL))
    {
      g_printerr ("okno: %s\n", _("--poll-seconds must be a number from 10 to 3600"));
      return EXIT_USAGE;
    }

  return 0;
}

OknoProfile *
okno_application_get_profile (OknoApplication *self)
{
  g_return_val_if_fail (OKNO_IS_APPLICATION (self), NULL);
  return self->instance;
}
