/* okno-profile.c
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "OknoProfile"

#include "config.h"

#include <glib/gi18n.h>
#include <unistd.h>

#include "okno-calcom-monitor.h"
#include "okno-data-dir.h"
#include "okno-email-sink.h"
#include "okno-google-tokens.h"
#include "okno-profile.h"
#include "okno-booking-watch.h"
#include "okno-google-calendar.h"
#include "okno-google-copy-sink.h"
#include "okno-slot-write-sink.h"
#include "okno-local-calendar.h"
#include "okno-session-type.h"
#include "okno-secrets.h"
#include "okno-telegram.h"
#include "okno-telegram-sink.h"
#include "okno-reminders.h"
#include "okno-web-form-guard.h"
#include "okno-web-waitlist.h"
#include "okno-settings.h"
#include "okno-web-catalog.h"

#define CLOSE_WAIT_MSEC 5000

/* Everything one data folder holds, assembled once for both mains: the
 * window (okno) and the headless server (okno-server) run the same core.
 * Owning the profile means owning the folder's lock.
 *
 * It is built with GAsyncInitable (okno_profile_new_async()): it locks the
 * folder, reads its settings, opens the calendar backend the
 * “calendar-backend” setting names (a remote one may need the network
 * before it is ready), then the ledger, and assembles the schedule, the
 * booking and slot services and the web server. :state says how far it
 * got; nothing waits for it on a nested main loop. */
struct _OknoProfile
{
  GObject             parent_instance;

  char               *data_dir;
  OknoProfileState    state;
  int                 lock_fd;
  GSettings          *settings;
  OknoCalendar       *calendar;
  OknoLedger         *ledger;
  OknoSchedule       *schedule;
  OknoBookingService *service;
  OknoOutbox         *outbox;
  OknoBookingWatch   *booking_watch;
  OknoWaitlist       *waitlist;
  OknoAttention      *attention;
  OknoSlotService    *slot_service;
  OknoWebServer      *web_server;
  OknoCalcomMonitor  *calcom_monitor;
  OknoTelegram       *telegram;
  OknoReminders      *reminders;
  OknoGoogleAuth     *google_auth;
  OknoEmailSink      *email_sink;
  char               *email_problem;
  GCancellable       *cancellable;
  char               *server_error;
  char               *server_url;
  gboolean            want_server;
  gboolean            keyring_reported;
  GTask              *watching;          /* okno_profile_start_watching_async() */
  guint               watching_left;     /* keyring lookups still out */
  guint               watching_timeout;
};

static void async_initable_iface_init (GAsyncInitableIface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (OknoProfile, okno_profile, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_ASYNC_INITABLE, async_initable_iface_init))

enum {
  PROP_0,
  PROP_DATA_DIR,
  PROP_STATE,
  PROP_SERVER_ERROR,
  PROP_SERVER_URL,
  PROP_EMAIL_PROBLEM,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

static void report_keyring_error (OknoProfile  *self,
                                  const char   *format,
                                  const GError *error) G_GNUC_PRINTF (2, 0);

GType
okno_profile_state_get_type (void)
{
  static gsize type = 0;
  static const GEnumValue values[] = {
    { OKNO_PROFILE_STATE_NEW, "OKNO_PROFILE_STATE_NEW", "new" },
    { OKNO_PROFILE_STATE_LOADING, "OKNO_PROFILE_STATE_LOADING", "loading" },
    { OKNO_PROFILE_STATE_READY, "OKNO_PROFILE_STATE_READY", "ready" },
    { OKNO_PROFILE_STATE_FAILED, "OKNO_PROFILE_STATE_FAILED", "failed" },
    { 0, NULL, NULL }
  };

  if (g_once_init_enter (&type))
    g_once_init_leave (&type, g_enum_register_static (g_intern_static_string ("OknoProfileState"), values));

  return type;
}

static void
set_state (OknoProfile      *self,
           OknoProfileState  state)
{
  if (self->state == state)
    return;

  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_STATE]);
}

/* After the web server started, stopped or failed to (@message: why):
 * :server-url and :server-error follow. */
static void
set_serving (OknoProfile *self,
             const char  *message)
{
  g_autofree char *url = okno_web_server_dup_url (self->web_server);

  if (g_strcmp0 (self->server_url, url) != 0)
    {
      g_free (self->server_url);
      self->server_url = g_steal_pointer (&url);
      g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_SERVER_URL]);
    }
  if (g_strcmp0 (self->server_error, message) == 0)
    return;

  g_free (self->server_error);
  self->server_error = g_strdup (message);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_SERVER_ERROR]);
}

static gboolean
lan_to_address (GValue   *value,
                GVariant *variant,
                gpointer  user_data)
{
  g_value_set_string (value, g_variant_get_boolean (variant) ? "0.0.0.0" : "127.0.0.1");
  return TRUE;
}

/* Where to listen changed: listen there instead. */
/* The page shows each type's description and format/place line. */
static void
session_types_changed_cb (OknoProfile *self)
{
  g_autoptr(GListStore) types = okno_session_types_load (self->settings);

  g_object_set (self->web_server, "session-types", types, NULL);
}

static void
web_server_address_changed_cb (OknoProfile *self)
{
  g_autoptr(GError) error = NULL;

  if (!self->want_server)
    return;

  okno_web_server_stop (self->web_server);
  if (!okno_web_server_start (self->web_server, &error))
    {
      g_warning ("%s", error->message);
      set_serving (self, error->message);
    }
  else
    set_serving (self, NULL);
}

/* Locks the folder and reads its settings: quick, and nothing else may
 * start before the lock is ours. */
static gboolean
open_folder (OknoProfile  *self,
             GError      **error)
{
  if (self->data_dir == NULL)
    self->data_dir = okno_data_dir_default ();

  if ((self->lock_fd = okno_data_dir_lock (self->data_dir, error)) < 0)
    return FALSE;
  if (!(self->settings = okno_settings_new (self->data_dir, error)))
    return FALSE;

  return TRUE;
}

static void
calendar_ready_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  GObject *calendar;

  if (!(calendar = g_async_initable_new_finish (G_ASYNC_INITABLE (object), result, &error)))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, calendar, g_object_unref);
}

/* The backend the “calendar-backend” setting names. A backend that needs
 * time to become ready (Google: secrets, the network) implements
 * GAsyncInitable and is awaited here; the local one opens at once. */
static void
open_calendar_async (OknoProfile         *self,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autofree char *backend = g_settings_get_string (self->settings, "calendar-backend");
  g_autoptr(GError) error = NULL;
  OknoLocalCalendar *local;
  GType type = G_TYPE_INVALID;

  g_task_set_source_tag (task, open_calendar_async);
  g_debug ("Calendar backend: %s", backend);

  if (g_str_equal (backend, "local"))
    {
      if (!(local = okno_local_calendar_new (self->data_dir, &error)))
        g_task_return_error (task, g_steal_pointer (&error));
      else
        g_task_return_pointer (task, local, g_object_unref);
      return;
    }

  /* The seam for remote backends: each is a GAsyncInitable OknoCalendar
   * with the construct properties “data-dir” and “settings”. */
  if (g_str_equal (backend, "google"))
    type = OKNO_TYPE_GOOGLE_CALENDAR;

  if (type != G_TYPE_INVALID && g_type_is_a (type, OKNO_TYPE_CALENDAR) && g_type_is_a (type, G_TYPE_ASYNC_INITABLE))
    {
      g_async_initable_new_async (type, G_PRIORITY_DEFAULT, cancellable, calendar_ready_cb,
                                  g_steal_pointer (&task),
                                  "data-dir", self->data_dir,
                                  "settings", self->settings,
                                  NULL);
      return;
    }

  g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           _("The calendar “%s” (setting “calendar-backend”) is not available in this version of Okno"),
                           backend);
}

static OknoCalendar *
open_calendar_finish (OknoProfile   *self,
                      GAsyncResult  *result,
                      GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Reminders go by email and the agenda by Telegram only while a booking's
 * notifications do. */
static void
update_reminder_channels (OknoProfile *self)
{
  if (self->reminders != NULL)
    okno_reminders_set_channels (self->reminders, okno_booking_service_get_notify_kinds (self->service));
}

static gboolean
agenda_hour_from_setting (GValue   *value,
                          GVariant *variant,
                          gpointer  user_data)
{
  g_value_set_int (value, okno_reminders_parse_agenda_hour (g_variant_get_string (variant, NULL)));
  return TRUE;
}

/* A booking gets a Telegram outbox item only while Telegram is set up,
 * and email items (Olga's, the client's) only while a Google account that
 * may send email is connected; other kinds (the desktop's) are kept as
 * they are. */
static void
update_notify_kinds (OknoProfile *self)
{
  const char * const *kinds = okno_booking_service_get_notify_kinds (self->service);
  g_autoptr(GPtrArray) wanted = g_ptr_array_new_with_free_func (g_free);

  /* Copies: setting the kinds frees the old ones. */
  for (guint i = 0; kinds != NULL && kinds[i] != NULL; i++)
    if (!g_str_equal (kinds[i], "telegram") && !g_str_equal (kinds[i], OKNO_NOTIFY_KIND_EMAIL) &&
        !g_str_equal (kinds[i], OKNO_NOTIFY_KIND_CLIENT_EMAIL))
      g_ptr_array_add (wanted, g_strdup (kinds[i]));
  if (okno_telegram_is_configured (self->telegram, NULL))
    g_ptr_array_add (wanted, g_strdup ("telegram"));
  if (self->email_sink != NULL)
    {
      g_ptr_array_add (wanted, g_strdup (OKNO_NOTIFY_KIND_EMAIL));
      g_ptr_array_add (wanted, g_strdup (OKNO_NOTIFY_KIND_CLIENT_EMAIL));
    }
  g_ptr_array_add (wanted, NULL);
  okno_booking_service_set_notify_kinds (self->service, (const char * const *) wanted->pdata);
  update_reminder_channels (self);
}

static void
set_email_problem (OknoProfile *self,
                   const char  *problem)
{
  if (g_strcmp0 (self->email_problem, problem) == 0)
    return;

  g_free (self->email_problem);
  self->email_problem = g_strdup (problem);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_EMAIL_PROBLEM]);
}

/* Olga's messages speak the language of the program's locale (Russian
 * unless it is English). */
static const char *
owner_language (void)
{
  const char * const *names = g_get_language_names ();

  for (guint i = 0; names[i] != NULL; i++)
    {
      if (g_str_has_prefix (names[i], "ru"))
        return "ru";
      if (g_str_has_prefix (names[i], "en"))
        return "en";
    }
  return "ru";
}

static const char *
email_translate (const char *language,
                 const char *msgid)
{
  return okno_web_catalog_gettext (okno_web_catalog_get (language), msgid);
}

static char *
email_page_url (gpointer user_data)
{
  OknoProfile *self = user_data;

  return self->web_server ? okno_web_server_dup_url (self->web_server) : NULL;
}

/* Email is on with @tokens (a Google account allowed to send email,
 * @address its own), or off (@tokens %NULL) for the reason @problem. */
static void
set_email_account (OknoProfile       *self,
                   OknoTokenProvider *tokens,
                   const char        *address,
                   const char        *problem)
{
  okno_outbox_remove_sink (self->outbox, OKNO_NOTIFY_KIND_EMAIL);
  okno_outbox_remove_sink (self->outbox, OKNO_NOTIFY_KIND_CLIENT_EMAIL);
  g_clear_object (&self->email_sink);

  if (tokens != NULL)
    {
      g_autoptr(OknoGmail) gmail = okno_gmail_new (tokens);

      self->email_sink = okno_email_sink_new (gmail, self->schedule, self->settings);
      okno_email_sink_set_owner (self->email_sink, address, owner_language ());
      okno_email_sink_set_translate (self->email_sink, email_translate);
      okno_email_sink_set_page_url_func (self->email_sink, email_page_url, self);
      okno_outbox_add_sink (self->outbox, OKNO_NOTIFY_KIND_EMAIL, OKNO_NOTIFY_SINK (self->email_sink));
      okno_outbox_add_sink (self->outbox, OKNO_NOTIFY_KIND_CLIENT_EMAIL, OKNO_NOTIFY_SINK (self->email_sink));
      problem = NULL;
    }
  set_email_problem (self, problem);
  update_notify_kinds (self);
}

static const char *
no_google_account_text (void)
{
  return _("no Google account is connected: connect one in Preferences → Google Calendar");
}

/* The Google account changed (loaded, connected, disconnected). */
static void
google_account_changed_cb (OknoProfile *self)
{
  OknoGoogleAuth *auth = self->google_auth;

  if (auth == NULL || !okno_google_auth_is_connected (auth))
    set_email_account (self, NULL, NULL, no_google_account_text ());
  else if (!okno_google_auth_has_scope (auth, OKNO_GOOGLE_SCOPE_GMAIL))
    set_email_account (self, NULL, NULL,
                       _("the Google account did not allow sending email: connect it again in Preferences → Google Calendar and allow it"));
  else if (self->email_sink == NULL)
    {
      g_autoptr(OknoGoogleTokens) tokens = okno_google_tokens_new (auth);

      set_email_account (self, OKNO_TOKEN_PROVIDER (tokens), okno_google_auth_get_account (auth), NULL);
    }
  else
    okno_email_sink_set_owner (self->email_sink, okno_google_auth_get_account (auth), owner_language ());
}

/* One keyring lookup of okno_profile_start_watching_async() is in. */
static void
watching_step (OknoProfile *self)
{
  g_autoptr(GTask) task = NULL;

  if (self->watching_left > 0)
    self->watching_left--;
  if (self->watching_left > 0 || self->watching == NULL)
    return;
  g_clear_handle_id (&self->watching_timeout, g_source_remove);
  task = g_steal_pointer (&self->watching);
  g_task_return_boolean (task, TRUE);
}

static void
google_account_loaded_cb (GObject      *object,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  OknoProfile *self = user_data;
  g_autoptr(GError) error = NULL;

  if (!okno_google_auth_load_finish (OKNO_GOOGLE_AUTH (object), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      report_keyring_error (self, _("The Google sign-in cannot be read from the keyring: %s"), error);
    }
  google_account_changed_cb (self);
  watching_step (self);
}

static void
follow_google_account (OknoProfile    *self,
                       OknoGoogleAuth *auth)
{
  if (self->google_auth != NULL)
    g_signal_handlers_disconnect_by_data (self->google_auth, self);
  g_set_object (&self->google_auth, auth);
  g_signal_connect_object (self->google_auth, "notify::connected",
                           G_CALLBACK (google_account_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->google_auth, "notify::granted-scopes",
                           G_CALLBACK (google_account_changed_cb), self, G_CONNECT_SWAPPED);
}

/* Email needs the Google account: the calendar's when Google is the
 * backend, else the one the folder's Preferences connected. */
static void
watch_google_account (OknoProfile *self)
{
  if (OKNO_IS_GOOGLE_CALENDAR (self->calendar))
    {
      okno_profile_use_google_account (self, okno_google_calendar_get_auth (OKNO_GOOGLE_CALENDAR (self->calendar)));
      return;
    }

  {
    g_autoptr(OknoGoogleAuth) auth = okno_google_auth_new (self->data_dir);

    follow_google_account (self, auth);
  }
  okno_google_auth_load_async (self->google_auth, self->cancellable, google_account_loaded_cb, self);
}

static void
news_sent_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!okno_telegram_send_finish (OKNO_TELEGRAM (object), result, NULL, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_message ("Telegram: %s", error->message);
}

static void
news_mailed_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = okno_gmail_send_finish (OKNO_GMAIL (object), result, NULL, &error);

  if (id == NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_message ("Gmail: %s", error->message);
}

/* «Cal.com is back» goes to every channel: the desktop one is the app's,
 * Telegram's and Olga's email are here (each when it is set up). */
static void
calcom_changed_cb (OknoProfile       *self,
                   const char        *from,
                   const char        *to,
                   OknoCalcomMonitor *monitor)
{
  const char *title = okno_calcom_monitor_title_for (to);
  const char *detail = okno_calcom_monitor_get_detail (monitor);

  if (okno_telegram_is_configured (self->telegram, NULL))
    {
      g_autofree char *html = okno_telegram_format_news (title, detail);

      okno_telegram_send_async (self->telegram, html, self->cancellable, news_sent_cb, NULL);
    }

  if (self->email_sink != NULL)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *key = g_strdup_printf ("calcom.%s.%" G_GINT64_FORMAT, to, g_get_real_time ());
      g_autoptr(GBytes) mime = okno_email_sink_compose_news (self->email_sink, title, detail, key, &error);

      if (mime == NULL)
        g_message ("Gmail: %s", error->message);
      else
        okno_gmail_send_async (okno_email_sink_get_gmail (self->email_sink), mime,
                               self->cancellable, news_mailed_cb, NULL);
    }
}

/* The Google calendar's "pending" (the window's banner) counts what the
 * outbox holds for it too, as /api/status does. */
static void
update_queued (OknoProfile *self)
{
  okno_google_calendar_set_queued (OKNO_GOOGLE_CALENDAR (self->calendar),
                                   okno_slot_write_count_pending (self->ledger));
}

/* Everything that stands on the calendar and the ledger. */
static gboolean
assemble (OknoProfile  *self,
          GError      **error)
{
  if (!(self->ledger = okno_ledger_new (self->data_dir, error)))
    return FALSE;

  self->schedule = okno_schedule_new (self->calendar, self->ledger);
  if (OKNO_IS_GOOGLE_CALENDAR (self->calendar))
    {
      GPtrArray *busy = okno_google_calendar_get_busy_calendars (OKNO_GOOGLE_CALENDAR (self->calendar));

      for (guint i = 0; i < busy->len; i++)
        okno_schedule_add_busy_calendar (self->schedule, g_ptr_array_index (busy, i));
    }
  g_settings_bind (self->settings, "slot-marker", self->schedule, "slot-marker", G_SETTINGS_BIND_GET);
  g_settings_bind (self->settings, "booked-marker", self->schedule, "booked-marker", G_SETTINGS_BIND_GET);
  g_settings_bind (self->settings, "time-zone", self->schedule, "time-zone", G_SETTINGS_BIND_GET);
  g_settings_bind (self->settings, "min-notice-minutes", self->schedule, "min-notice-minutes", G_SETTINGS_BIND_GET);
  g_settings_bind (self->settings, "booking-window-days", self->schedule, "booking-window-days", G_SETTINGS_BIND_GET);
  g_settings_bind (self->settings, "buffer-minutes", self->schedule, "buffer-minutes", G_SETTINGS_BIND_GET);
  g_settings_bind (self->settings, "max-sessions-per-day", self->schedule, "max-sessions-per-day", G_SETTINGS_BIND_GET);

  self->service = okno_booking_service_new (self->schedule);
  g_settings_bind (self->settings, "min-cancel-hours", self->service, "min-cancel-hours", G_SETTINGS_BIND_GET);
  g_settings_bind (self->settings, "max-active-per-client", self->service, "max-active-per-client", G_SETTINGS_BIND_GET);
  self->slot_service = okno_slot_service_new (self->schedule);

  /* What must follow each booking: resumed from the journal at once. */
  self->attention = okno_attention_new (self->ledger);
  if (OKNO_IS_LOCAL_CALENDAR (self->calendar))
    {
      GPtrArray *damage = okno_local_calendar_get_damage (OKNO_LOCAL_CALENDAR (self->calendar));

      for (guint i = 0; i < damage->len; i++)
        g_free (okno_attention_add (self->attention, "damaged-record", "calendar.json",
                                    g_ptr_array_index (damage, i)));
    }
  self->outbox = okno_outbox_new (self->schedule);
  {
    /* Slot writes queued for Google (by this run or one before it). */
    g_autoptr(OknoSlotWriteSink) slot_writes = okno_slot_write_sink_new (self->calendar);

    okno_outbox_add_sink (self->outbox, OKNO_SLOT_WRITE_KIND, OKNO_NOTIFY_SINK (slot_writes));
    okno_slot_write_stage_pending (self->ledger, self->calendar);
  }
  if (OKNO_IS_GOOGLE_CALENDAR (self->calendar))
    {
      okno_slot_service_set_durable_writes (self->slot_service, TRUE);
      g_signal_connect_object (self->ledger, "committed", G_CALLBACK (update_queued), self, G_CONNECT_SWAPPED);
      update_queued (self);
      /* What connecting queued from the local calendar, and what Olga
       * does in Google to booked slots. */
      g_autoptr(OknoGoogleCopySink) copy = okno_google_copy_sink_new (self->calendar);

      okno_outbox_add_sink (self->outbox, OKNO_GOOGLE_COPY_KIND, OKNO_NOTIFY_SINK (copy));
      self->booking_watch = okno_booking_watch_new (self->schedule, self->attention);
    }
  okno_outbox_start (self->outbox);
  if (!(self->waitlist = okno_waitlist_new (self->service, self->data_dir, error)))
    return FALSE;

  self->web_server = okno_web_server_new (self->service);
  {
    /* The booking forms' signing key: made on the folder's first use. On
     * a full disk the page still works, with a key for this run only. */
    g_autofree char *key_path = g_build_filename (self->data_dir, "form-key", NULL);
    g_autoptr(GError) key_error = NULL;
    g_autoptr(OknoWebFormGuard) guard = okno_web_form_guard_new (key_path, &key_error);

    if (guard == NULL)
      {
        g_warning ("The booking forms' key cannot be saved, so forms open at a restart will come back once: %s",
                   key_error->message);
        guard = okno_web_form_guard_new (NULL, NULL);
      }
    g_object_set (self->web_server, "form-guard", guard, NULL);
  }
  okno_web_waitlist_attach (self->web_server, self->waitlist);
  g_settings_bind (self->settings, "port", self->web_server, "port", G_SETTINGS_BIND_GET);
  g_settings_bind (self->settings, "rate-limit", self->web_server, "rate-limit", G_SETTINGS_BIND_GET);
  g_settings_bind (self->settings, "frame-ancestors", self->web_server, "frame-ancestors", G_SETTINGS_BIND_GET);
  g_settings_bind (self->settings, "contact", self->web_server, "contact", G_SETTINGS_BIND_GET);
  g_settings_bind (self->settings, "payment-url", self->web_server, "payment-url", G_SETTINGS_BIND_GET);
  g_settings_bind (self->settings, "payment-note", self->web_server, "payment-note", G_SETTINGS_BIND_GET);
  g_settings_bind (self->settings, "owner-name", self->web_server, "owner-name", G_SETTINGS_BIND_GET);
  g_settings_bind (self->settings, "owner-about", self->web_server, "owner-about", G_SETTINGS_BIND_GET);
  g_signal_connect_object (self->settings, "changed::" OKNO_SESSION_TYPES_KEY,
                           G_CALLBACK (session_types_changed_cb), self, G_CONNECT_SWAPPED);
  session_types_changed_cb (self);
  g_settings_bind_with_mapping (self->settings, "share-on-lan", self->web_server, "address",
                                G_SETTINGS_BIND_GET, lan_to_address, NULL, NULL, NULL);
  g_signal_connect_object (self->web_server, "notify::address",
                           G_CALLBACK (web_server_address_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->web_server, "notify::port",
                           G_CALLBACK (web_server_address_changed_cb), self, G_CONNECT_SWAPPED);

  self->calcom_monitor = okno_calcom_monitor_new ();
  g_settings_bind (self->settings, "calcom-probe-seconds", self->calcom_monitor, "interval-seconds",
                   G_SETTINGS_BIND_GET);
  g_object_set (self->web_server, "calcom-state", okno_calcom_monitor_get_state (self->calcom_monitor), NULL);
  g_signal_connect_object (self->calcom_monitor, "state-changed",
                           G_CALLBACK (calcom_changed_cb), self, G_CONNECT_SWAPPED);

  self->telegram = okno_telegram_new ();
  g_settings_bind (self->settings, "telegram-chat-id", self->telegram, "chat-id", G_SETTINGS_BIND_GET);
  {
    g_autoptr(OknoTelegramSink) sink = okno_telegram_sink_new (self->telegram, self->schedule);
    okno_outbox_add_sink (self->outbox, "telegram", OKNO_NOTIFY_SINK (sink));
  }
  g_signal_connect_object (self->telegram, "notify::chat-id",
                           G_CALLBACK (update_notify_kinds), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->telegram, "notify::has-token",
                           G_CALLBACK (update_notify_kinds), self, G_CONNECT_SWAPPED);

  /* Reminders and the morning agenda: caught up at once, then on time. */
  self->reminders = okno_reminders_new (self->schedule);
  g_settings_bind (self->settings, "reminder-hours", self->reminders, "reminder-hours", G_SETTINGS_BIND_GET);
  g_settings_bind_with_mapping (self->settings, "agenda-hour", self->reminders, "agenda-hour",
                                G_SETTINGS_BIND_GET, agenda_hour_from_setting, NULL, NULL, NULL);
  update_notify_kinds (self);
  okno_reminders_start (self->reminders);
  set_email_problem (self, no_google_account_text ());

  return TRUE;
}

static void
init_failed (OknoProfile *self,
             GTask       *task,
             GError      *error)
{
  set_state (self, OKNO_PROFILE_STATE_FAILED);
  g_task_return_error (task, error);
}

static void
calendar_opened_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  OknoProfile *self = OKNO_PROFILE (object);
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!(self->calendar = open_calendar_finish (self, result, &error)) ||
      !assemble (self, &error))
    {
      init_failed (self, task, g_steal_pointer (&error));
      return;
    }

  /* The Google backend syncs in the background from now on. */
  if (OKNO_IS_GOOGLE_CALENDAR (self->calendar))
    okno_google_calendar_start (OKNO_GOOGLE_CALENDAR (self->calendar));

  set_state (self, OKNO_PROFILE_STATE_READY);
  g_task_return_boolean (task, TRUE);
}

static void
okno_profile_init_async (GAsyncInitable      *initable,
                         int                  io_priority,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  OknoProfile *self = OKNO_PROFILE (initable);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(GError) error = NULL;

  g_task_set_source_tag (task, okno_profile_init_async);
  g_task_set_priority (task, io_priority);

  if (self->state != OKNO_PROFILE_STATE_NEW)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED, "The profile was initialized already");
      return;
    }
  set_state (self, OKNO_PROFILE_STATE_LOADING);

  if (!open_folder (self, &error))
    {
      init_failed (self, task, g_steal_pointer (&error));
      return;
    }

  open_calendar_async (self, cancellable, calendar_opened_cb, g_steal_pointer (&task));
}

static gboolean
okno_profile_init_finish (GAsyncInitable  *initable,
                          GAsyncResult    *result,
                          GError         **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
async_initable_iface_init (GAsyncInitableIface *iface)
{
  iface->init_async = okno_profile_init_async;
  iface->init_finish = okno_profile_init_finish;
}

static void
okno_profile_dispose (GObject *object)
{
  OknoProfile *self = (OknoProfile *) object;

  if (self->web_server)
    okno_web_server_stop (self->web_server);
  okno_profile_flush (self);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->calcom_monitor);
  g_clear_object (&self->telegram);
  g_clear_object (&self->reminders);
  g_clear_object (&self->email_sink);
  g_clear_object (&self->google_auth);

  g_clear_object (&self->web_server);
  g_clear_object (&self->booking_watch);
  g_clear_object (&self->outbox);
  g_clear_object (&self->waitlist);
  g_clear_object (&self->attention);
  g_clear_object (&self->slot_service);
  g_clear_object (&self->service);
  g_clear_object (&self->schedule);
  g_clear_object (&self->ledger);
  g_clear_object (&self->calendar);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (okno_profile_parent_class)->dispose (object);
}

static void
okno_profile_finalize (GObject *object)
{
  OknoProfile *self = (OknoProfile *) object;

  if (self->lock_fd >= 0)
    close (self->lock_fd);
  g_clear_pointer (&self->data_dir, g_free);
  g_clear_pointer (&self->server_error, g_free);
  g_clear_pointer (&self->server_url, g_free);
  g_clear_pointer (&self->email_problem, g_free);

  G_OBJECT_CLASS (okno_profile_parent_class)->finalize (object);
}

static void
okno_profile_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  OknoProfile *self = OKNO_PROFILE (object);

  switch (prop_id)
    {
    case PROP_DATA_DIR:
      g_value_set_string (value, self->data_dir);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_SERVER_ERROR:
      g_value_set_string (value, self->server_error);
      break;
    case PROP_SERVER_URL:
      g_value_set_string (value, self->server_url);
      break;
    case PROP_EMAIL_PROBLEM:
      g_value_set_string (value, self->email_problem);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
okno_profile_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  OknoProfile *self = OKNO_PROFILE (object);
  const char *dir;

  switch (prop_id)
    {
    case PROP_DATA_DIR:
      dir = g_value_get_string (value);
      self->data_dir = dir ? g_canonicalize_filename (dir, NULL) : NULL;
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
okno_profile_class_init (OknoProfileClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = okno_profile_dispose;
  object_class->finalize = okno_profile_finalize;
  object_class->get_property = okno_profile_get_property;
  object_class->set_property = okno_profile_set_property;

  /**
   * OknoProfile:data-dir:
   *
   * The data folder; %NULL at construction means the default one.
   */
  properties [PROP_DATA_DIR] =
    g_param_spec_string ("data-dir", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  /**
   * OknoProfile:state:
   *
   * How far the profile got (#OknoProfileState): loading while it opens
   * the folder and the calendar, then ready or failed.
   */
  properties [PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL,
                       OKNO_TYPE_PROFILE_STATE,
                       OKNO_PROFILE_STATE_NEW,
                       (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * OknoProfile:server-error:
   *
   * Why the booking page is not being served (such as a busy port), or
   * %NULL when it is or was not asked to be.
   */
  properties [PROP_SERVER_ERROR] =
    g_param_spec_string ("server-error", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * OknoProfile:server-url:
   *
   * Where the booking page is served, or %NULL while it is not. It can
   * change after the window appears: serving starts once the keyring's
   * secrets are in, and moves with the port and address settings.
   */
  properties [PROP_SERVER_URL] =
    g_param_spec_string ("server-url", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * OknoProfile:email-problem:
   *
   * Why email notifications are off (no Google account, no permission to
   * send), in words for Olga, or %NULL while they are on.
   */
  properties [PROP_EMAIL_PROBLEM] =
    g_param_spec_string ("email-problem", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
okno_profile_init (OknoProfile *self)
{
  self->lock_fd = -1;
  self->cancellable = g_cancellable_new ();
}

/**
 * okno_profile_new_async:
 * @data_dir: (nullable): the data folder, or %NULL for the default
 *
 * Locks the folder and opens its settings, calendar backend and ledger.
 * Fails with a message for a person when another process holds the folder,
 * a file cannot be read or the backend cannot start; nothing is changed
 * then.
 */
void
okno_profile_new_async (const char          *data_dir,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_async_initable_new_async (OKNO_TYPE_PROFILE, G_PRIORITY_DEFAULT, cancellable, callback, user_data,
                              "data-dir", data_dir,
                              NULL);
}

/**
 * okno_profile_new_finish:
 *
 * Returns: (transfer full) (nullable): the profile, ready, or %NULL
 *   and @error
 */
OknoProfile *
okno_profile_new_finish (GAsyncResult  *result,
                         GError       **error)
{
  g_autoptr(GObject) source = g_async_result_get_source_object (result);
  GObject *object = g_async_initable_new_finish (G_ASYNC_INITABLE (source), result, error);

  return object ? OKNO_PROFILE (object) : NULL;
}

OknoProfileState
okno_profile_get_state (OknoProfile *self)
{
  g_return_val_if_fail (OKNO_IS_PROFILE (self), OKNO_PROFILE_STATE_FAILED);
  return self->state;
}

const char *
okno_profile_get_data_dir (OknoProfile *self)
{
  g_return_val_if_fail (OKNO_IS_PROFILE (self), NULL);
  return self->data_dir;
}

GSettings *
okno_profile_get_settings (OknoProfile *self)
{
  g_return_val_if_fail (OKNO_IS_PROFILE (self), NULL);
  return self->settings;
}

OknoCalendar *
okno_profile_get_calendar (OknoProfile *self)
{
  g_return_val_if_fail (OKNO_IS_PROFILE (self), NULL);
  return self->calendar;
}

OknoLedger *
okno_profile_get_ledger (OknoProfile *self)
{
  g_return_val_if_fail (OKNO_IS_PROFILE (self), NULL);
  return self->ledger;
}

OknoSchedule *
okno_profile_get_schedule (OknoProfile *self)
{
  g_return_val_if_fail (OKNO_IS_PROFILE (self), NULL);
  return self->schedule;
}

OknoBookingService *
okno_profile_get_service (OknoProfile *self)
{
  g_return_val_if_fail (OKNO_IS_PROFILE (self), NULL);
  return self->service;
}

/* Where the window and the command line publish, move and delete slots. */
OknoSlotService *
okno_profile_get_slot_service (OknoProfile *self)
{
  g_return_val_if_fail (OKNO_IS_PROFILE (self), NULL);
  return self->slot_service;
}

OknoWebServer *
okno_profile_get_web_server (OknoProfile *self)
{
  g_return_val_if_fail (OKNO_IS_PROFILE (self), NULL);
  return self->web_server;
}

OknoCalcomMonitor *
okno_profile_get_calcom_monitor (OknoProfile *self)
{
  g_return_val_if_fail (OKNO_IS_PROFILE (self), NULL);
  return self->calcom_monitor;
}

OknoTelegram *
okno_profile_get_telegram (OknoProfile *self)
{
  g_return_val_if_fail (OKNO_IS_PROFILE (self), NULL);
  return self->telegram;
}

/* Both secrets are looked up at start; a box without a keyring (a headless
 * server with no session bus) would say the same thing twice on every
 * start, so the first says it and the second only in the debug log. */
static void G_GNUC_PRINTF (2, 0)
report_keyring_error (OknoProfile  *self,
                      const char   *format,
                      const GError *error)
{
  if (self->keyring_reported)
    {
      g_debug ("Keyring: %s", error->message);
      return;
    }
  self->keyring_reported = TRUE;
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
  g_message (format, error->message);
#pragma GCC diagnostic pop
}

static void
telegram_token_looked_up_cb (GObject      *object,
                             GAsyncResult *result,
                             gpointer      user_data)
{
  OknoProfile *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = okno_secrets_lookup_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (error != NULL)
    report_keyring_error (self, _("The Telegram bot token cannot be read from the keyring: %s"), error);

  okno_telegram_set_token (self->telegram, token);
  watching_step (self);
}

static void
calcom_key_looked_up_cb (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  OknoProfile *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *key = okno_secrets_lookup_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (error != NULL)
    report_keyring_error (self, _("The Cal.com API key cannot be read from the keyring: %s"), error);

  okno_calcom_monitor_set_api_key (self->calcom_monitor, key);
  okno_calcom_monitor_start (self->calcom_monitor);
  watching_step (self);
}

/* A keyring that asks for its password (a locked desktop session) must
 * not keep the page from being served: after this long, serving starts,
 * and the channels whose secrets come later are set up then. */
#define WATCHING_TIMEOUT_SECONDS 10

static gboolean
watching_timeout_cb (gpointer user_data)
{
  OknoProfile *self = user_data;

  self->watching_timeout = 0;
  g_message ("The keyring has not answered in %d s; serving without waiting for it", WATCHING_TIMEOUT_SECONDS);
  self->watching_left = 1;
  watching_step (self);
  self->watching_left = 0;
  return G_SOURCE_REMOVE;
}

/**
 * okno_profile_start_watching_async:
 *
 * Reads the keys from the keyring: the Telegram bot token, the Cal.com
 * key and the Google account (for email), then starts the Cal.com monitor.
 * Finishes once all are in (or after %WATCHING_TIMEOUT_SECONDS): the mains
 * start serving then, so a booking made in the first moment already gets
 * its Telegram and email items. Tests set the keys themselves and set
 * `OKNO_KEYRING=none`, which reads no keyring (and finishes at once).
 */
void
okno_profile_start_watching_async (OknoProfile         *self,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (OKNO_IS_PROFILE (self));
  g_return_if_fail (self->calcom_monitor != NULL);
  g_return_if_fail (self->watching == NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, okno_profile_start_watching_async);

  /* Tests run without a keyring (and must not start one). */
  if (g_strcmp0 (g_getenv ("OKNO_KEYRING"), "none") == 0)
    {
      okno_calcom_monitor_start (self->calcom_monitor);
      g_task_return_boolean (task, TRUE);
      return;
    }

  self->watching = g_steal_pointer (&task);
  self->watching_left = 2;
  self->watching_timeout = g_timeout_add_seconds (WATCHING_TIMEOUT_SECONDS, watching_timeout_cb, self);
  if (self->google_auth == NULL)
    {
      /* The Google calendar's own account needs no lookup here. */
      if (!OKNO_IS_GOOGLE_CALENDAR (self->calendar))
        self->watching_left++;
      watch_google_account (self);
    }

  okno_secrets_lookup_async (self->data_dir, OKNO_SECRET_TELEGRAM_BOT_TOKEN, self->cancellable,
                             telegram_token_looked_up_cb, self);
  okno_secrets_lookup_async (self->data_dir, OKNO_SECRET_CALCOM_API_KEY, self->cancellable,
                             calcom_key_looked_up_cb, self);
}

gboolean
okno_profile_start_watching_finish (OknoProfile   *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * okno_profile_start_watching:
 *
 * okno_profile_start_watching_async() without waiting for it.
 */
void
okno_profile_start_watching (OknoProfile *self)
{
  okno_profile_start_watching_async (self, NULL, NULL, NULL);
}

void
okno_profile_apply_overrides (OknoProfile        *self,
                               const OknoOverrides *overrides)
{
  g_return_if_fail (OKNO_IS_PROFILE (self));
  g_return_if_fail (overrides != NULL);

  if (overrides->port >= 0)
    {
      g_settings_unbind (self->web_server, "port");
      g_object_set (self->web_server, "port", (guint) overrides->port, NULL);
    }
  if (overrides->bind != NULL)
    {
      g_settings_unbind (self->web_server, "address");
      g_object_set (self->web_server, "address", overrides->bind, NULL);
    }
  if (overrides->rate_limit >= 0)
    {
      g_settings_unbind (self->web_server, "rate-limit");
      g_object_set (self->web_server, "rate-limit", (guint) overrides->rate_limit, NULL);
    }
  if (overrides->trusted_proxy != NULL)
    g_object_set (self->web_server, "trusted-proxy", overrides->trusted_proxy, NULL);
  if (overrides->poll_seconds >= 0 && OKNO_IS_GOOGLE_CALENDAR (self->calendar))
    okno_google_calendar_override_poll_seconds (OKNO_GOOGLE_CALENDAR (self->calendar),
                                                (guint) overrides->poll_seconds);
}

/* Starts serving; on failure the profile keeps working without the page
 * and :server-error says why. */
gboolean
okno_profile_start_server (OknoProfile  *self,
                            GError       **error)
{
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (OKNO_IS_PROFILE (self), FALSE);

  self->want_server = TRUE;
  if (okno_web_server_is_running (self->web_server))
    return TRUE;

  if (!okno_web_server_start (self->web_server, &local_error))
    {
      set_serving (self, local_error->message);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  set_serving (self, NULL);
  return TRUE;
}

const char *
okno_profile_get_server_url (OknoProfile *self)
{
  g_return_val_if_fail (OKNO_IS_PROFILE (self), NULL);
  return self->server_url;
}

const char *
okno_profile_get_server_error (OknoProfile *self)
{
  g_return_val_if_fail (OKNO_IS_PROFILE (self), NULL);
  return self->server_error;
}

OknoOutbox *
okno_profile_get_outbox (OknoProfile *self)
{
  g_return_val_if_fail (OKNO_IS_PROFILE (self), NULL);
  return self->outbox;
}

OknoAttention *
okno_profile_get_attention (OknoProfile *self)
{
  g_return_val_if_fail (OKNO_IS_PROFILE (self), NULL);
  return self->attention;
}

OknoWaitlist *
okno_profile_get_waitlist (OknoProfile *self)
{
  g_return_val_if_fail (OKNO_IS_PROFILE (self), NULL);
  return self->waitlist;
}

/* Whether calendar changes are still on their way to calendar.json. */
static gboolean
calendar_busy (OknoProfile *self)
{
  return (OKNO_IS_LOCAL_CALENDAR (self->calendar) &&
          okno_local_calendar_is_saving (OKNO_LOCAL_CALENDAR (self->calendar))) ||
         (OKNO_IS_GOOGLE_CALENDAR (self->calendar) &&
          okno_google_calendar_is_saving (OKNO_GOOGLE_CALENDAR (self->calendar))) ||
         (self->outbox != NULL && (okno_outbox_get_busy (self->outbox, "calendar") > 0 ||
                                   okno_outbox_get_busy (self->outbox, OKNO_SLOT_WRITE_KIND) > 0));
}

/**
 * okno_profile_is_busy:
 *
 * Whether calendar changes are under way (being carried out, or the local
 * calendar's file being written). The programs wait for them, a few
 * seconds at most, when they close (okno_profile_close_async()).
 */
gboolean
okno_profile_is_busy (OknoProfile *self)
{
  g_return_val_if_fail (OKNO_IS_PROFILE (self), FALSE);
  return calendar_busy (self);
}

/**
 * okno_profile_flush:
 *
 * Writes the settings and folds the journal into bookings.json, blocking
 * for the disk. It neither iterates the main context nor waits for the
 * calendar changes under way (the outbox resumes them at the next start):
 * for an object about to go, with no loop left to wait on. The programs
 * close with okno_profile_close_async().
 */
void
okno_profile_flush (OknoProfile *self)
{
  g_return_if_fail (OKNO_IS_PROFILE (self));

  g_settings_sync ();
  if (self->waitlist != NULL)
    {
      g_autoptr(GError) error = NULL;

      if (!okno_waitlist_flush (self->waitlist, &error))
        g_warning ("%s", error->message);
    }

  /* Not needed for safety (the journal has everything), but it leaves
   * bookings.json complete for a person who reads it. */
  if (self->ledger != NULL && okno_ledger_get_journal_length (self->ledger) > 0)
    {
      g_autoptr(GError) error = NULL;

      if (!okno_ledger_compact (self->ledger, &error))
        g_warning ("%s", error->message);
    }
}

typedef struct
{
  gint64   deadline;
  guint    source;
} CloseData;

static void
close_data_free (CloseData *data)
{
  g_clear_handle_id (&data->source, g_source_remove);
  g_free (data);
}

static void
close_compacted_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  /* Not needed for safety (the journal has everything). */
  if (!okno_ledger_compact_finish (OKNO_LEDGER (object), result, &error))
    g_warning ("Cannot fold the journal into bookings.json yet: %s", error->message);
  g_task_return_boolean (task, TRUE);
}

static void
close_drained_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  OknoLedger *ledger = OKNO_LEDGER (object);

  g_settings_sync ();
  if (!okno_ledger_drain_finish (ledger, result, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else if (okno_ledger_get_journal_length (ledger) > 0)
    /* It leaves bookings.json complete for a person who reads it. */
    okno_ledger_compact_async (ledger, NULL, close_compacted_cb, g_steal_pointer (&task));
  else
    g_task_return_boolean (task, TRUE);
}

static gboolean
close_poll_cb (gpointer user_data)
{
  GTask *task = user_data;
  OknoProfile *self = g_task_get_source_object (task);
  CloseData *data = g_task_get_task_data (task);

  if ((calendar_busy (self) || (self->waitlist != NULL && okno_waitlist_is_busy (self->waitlist))) &&
      g_get_monotonic_time () < data->deadline)
    return G_SOURCE_CONTINUE;

  if (self->waitlist != NULL)
    {
      g_autoptr(GError) error = NULL;

      if (!okno_waitlist_flush (self->waitlist, &error))
        g_warning ("%s", error->message);
    }

  data->source = 0;
  okno_ledger_drain_async (self->ledger, NULL, close_drained_cb, g_object_ref (task));
  return G_SOURCE_REMOVE;
}

/**
 * okno_profile_close_async:
 *
 * Stops serving and answers once every booking is on disk and the calendar
 * changes under way have landed (waiting a few seconds at most: the outbox
 * resumes the rest at the next start). The main loop keeps running
 * meanwhile; the app holds itself until the answer.
 */
void
okno_profile_close_async (OknoProfile         *self,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  CloseData *data;

  g_return_if_fail (OKNO_IS_PROFILE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, okno_profile_close_async);
  data = g_new0 (CloseData, 1);
  data->deadline = g_get_monotonic_time () + CLOSE_WAIT_MSEC * G_TIME_SPAN_MILLISECOND;
  g_task_set_task_data (task, data, (GDestroyNotify) close_data_free);

  self->want_server = FALSE;
  if (self->web_server)
    {
      okno_web_server_stop (self->web_server);
      set_serving (self, NULL);
    }

  data->source = g_timeout_add_full (G_PRIORITY_DEFAULT, 10, close_poll_cb,
                                     g_object_ref (task), g_object_unref);
}

gboolean
okno_profile_close_finish (OknoProfile   *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Why email is off, or %NULL while it is on. */
const char *
okno_profile_get_email_problem (OknoProfile *self)
{
  g_return_val_if_fail (OKNO_IS_PROFILE (self), NULL);
  return self->email_problem;
}

/* The email sink while email is on, else %NULL. */
OknoEmailSink *
okno_profile_get_email_sink (OknoProfile *self)
{
  g_return_val_if_fail (OKNO_IS_PROFILE (self), NULL);
  return self->email_sink;
}

/* For tests: email through @tokens as @address (%NULL turns email off, as
 * with no Google account), without a keyring. */
void
_okno_profile_set_email_account (OknoProfile       *self,
                                 OknoTokenProvider *tokens,
                                 const char        *address)
{
  g_return_if_fail (OKNO_IS_PROFILE (self));
  set_email_account (self, tokens, address, tokens ? NULL : no_google_account_text ());
}

/**
 * okno_profile_use_google_account:
 * @auth: a loaded Google sign-in of this folder
 *
 * Sends email through @auth's account from now on, if it is connected and
 * may send email (else #OknoProfile:email-problem says why), following its
 * changes. okno_profile_start_watching() does it by itself; the command
 * line, which reads the keyring synchronously, hands its own.
 */
void
okno_profile_use_google_account (OknoProfile    *self,
                                 OknoGoogleAuth *auth)
{
  g_return_if_fail (OKNO_IS_PROFILE (self));
  g_return_if_fail (OKNO_IS_GOOGLE_AUTH (auth));

  follow_google_account (self, auth);
  google_account_changed_cb (self);
}
