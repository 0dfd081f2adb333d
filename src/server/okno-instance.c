/* okno-instance.c
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "OknoInstance"

#include "config.h"

#include <glib/gi18n.h>
#include <unistd.h>

#include "okno-calcom-monitor.h"
#include "okno-data-dir.h"
#include "okno-instance.h"
#include "okno-local-calendar.h"
#include "okno-secrets.h"
#include "okno-settings.h"

/* Everything one data folder holds, assembled once for both mains: the
 * window (okno) and the headless server (okno-server) run the same core.
 * Owning the instance means owning the folder's lock. */
struct _OknoInstance
{
  GObject             parent_instance;

  char               *data_dir;
  int                 lock_fd;
  GSettings          *settings;
  OknoLocalCalendar  *calendar;
  OknoLedger         *ledger;
  OknoSchedule       *schedule;
  OknoBookingService *service;
  OknoWebServer      *web_server;
  OknoCalcomMonitor  *calcom_monitor;
  GCancellable       *cancellable;
  char               *server_error;
  gboolean            want_server;
};

G_DEFINE_FINAL_TYPE (OknoInstance, okno_instance, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_SERVER_ERROR,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

static void
set_server_error (OknoInstance *self,
                  const char   *message)
{
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
static void
web_server_address_changed_cb (OknoInstance *self)
{
  g_autoptr(GError) error = NULL;

  if (!self->want_server)
    return;

  okno_web_server_stop (self->web_server);
  if (!okno_web_server_start (self->web_server, &error))
    {
      g_warning ("%s", error->message);
      set_server_error (self, error->message);
    }
  else
    set_server_error (self, NULL);
}

static void
okno_instance_dispose (GObject *object)
{
  OknoInstance *self = (OknoInstance *) object;

  if (self->web_server)
    okno_web_server_stop (self->web_server);
  okno_instance_flush (self);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->calcom_monitor);

  g_clear_object (&self->web_server);
  g_clear_object (&self->service);
  g_clear_object (&self->schedule);
  g_clear_object (&self->ledger);
  g_clear_object (&self->calendar);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (okno_instance_parent_class)->dispose (object);
}

static void
okno_instance_finalize (GObject *object)
{
  OknoInstance *self = (OknoInstance *) object;

  if (self->lock_fd >= 0)
    close (self->lock_fd);
  g_clear_pointer (&self->data_dir, g_free);
  g_clear_pointer (&self->server_error, g_free);

  G_OBJECT_CLASS (okno_instance_parent_class)->finalize (object);
}

static void
okno_instance_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  OknoInstance *self = OKNO_INSTANCE (object);

  switch (prop_id)
    {
    case PROP_SERVER_ERROR:
      g_value_set_string (value, self->server_error);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
okno_instance_class_init (OknoInstanceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = okno_instance_dispose;
  object_class->finalize = okno_instance_finalize;
  object_class->get_property = okno_instance_get_property;

  /**
   * OknoInstance:server-error:
   *
   * Why the booking page is not being served (such as a busy port), or
   * %NULL when it is or was not asked to be.
   */
  properties [PROP_SERVER_ERROR] =
    g_param_spec_string ("server-error", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
okno_instance_init (OknoInstance *self)
{
  self->lock_fd = -1;
  self->cancellable = g_cancellable_new ();
}

/**
 * okno_instance_new:
 * @data_dir: (nullable): the data folder, or %NULL for the default
 *
 * Locks the folder and opens its settings, calendar and ledger. Fails with
 * a message for a person when another process holds the folder or a file
 * cannot be read; nothing is changed then.
 */
OknoInstance *
okno_instance_new (const char  *data_dir,
                   GError     **error)
{
  g_autoptr(OknoInstance) self = g_object_new (OKNO_TYPE_INSTANCE, NULL);

  self->data_dir = data_dir ? g_canonicalize_filename (data_dir, NULL) : okno_data_dir_default ();

  if ((self->lock_fd = okno_data_dir_lock (self->data_dir, error)) < 0)
    return NULL;
  if (!(self->settings = okno_settings_new (self->data_dir, error)))
    return NULL;
  if (!(self->calendar = okno_local_calendar_new (self->data_dir, error)))
    return NULL;
  if (!(self->ledger = okno_ledger_new (self->data_dir, error)))
    return NULL;

  self->schedule = okno_schedule_new (OKNO_CALENDAR (self->calendar), self->ledger);
  g_settings_bind (self->settings, "slot-marker", self->schedule, "slot-marker", G_SETTINGS_BIND_GET);
  g_settings_bind (self->settings, "booked-marker", self->schedule, "booked-marker", G_SETTINGS_BIND_GET);
  g_settings_bind (self->settings, "time-zone", self->schedule, "time-zone", G_SETTINGS_BIND_GET);
  g_settings_bind (self->settings, "min-notice-minutes", self->schedule, "min-notice-minutes", G_SETTINGS_BIND_GET);
  g_settings_bind (self->settings, "booking-window-days", self->schedule, "booking-window-days", G_SETTINGS_BIND_GET);

  self->service = okno_booking_service_new (self->schedule);
  okno_booking_service_reconcile (self->service);

  self->web_server = okno_web_server_new (self->service);
  g_settings_bind (self->settings, "port", self->web_server, "port", G_SETTINGS_BIND_GET);
  g_settings_bind (self->settings, "rate-limit", self->web_server, "rate-limit", G_SETTINGS_BIND_GET);
  g_settings_bind (self->settings, "frame-ancestors", self->web_server, "frame-ancestors", G_SETTINGS_BIND_GET);
  g_settings_bind (self->settings, "contact", self->web_server, "contact", G_SETTINGS_BIND_GET);
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

  return g_steal_pointer (&self);
}

const char *
okno_instance_get_data_dir (OknoInstance *self)
{
  g_return_val_if_fail (OKNO_IS_INSTANCE (self), NULL);
  return self->data_dir;
}

GSettings *
okno_instance_get_settings (OknoInstance *self)
{
  g_return_val_if_fail (OKNO_IS_INSTANCE (self), NULL);
  return self->settings;
}

OknoCalendar *
okno_instance_get_calendar (OknoInstance *self)
{
  g_return_val_if_fail (OKNO_IS_INSTANCE (self), NULL);
  return OKNO_CALENDAR (self->calendar);
}

OknoLedger *
okno_instance_get_ledger (OknoInstance *self)
{
  g_return_val_if_fail (OKNO_IS_INSTANCE (self), NULL);
  return self->ledger;
}

OknoSchedule *
okno_instance_get_schedule (OknoInstance *self)
{
  g_return_val_if_fail (OKNO_IS_INSTANCE (self), NULL);
  return self->schedule;
}

OknoBookingService *
okno_instance_get_service (OknoInstance *self)
{
  g_return_val_if_fail (OKNO_IS_INSTANCE (self), NULL);
  return self->service;
}

OknoWebServer *
okno_instance_get_web_server (OknoInstance *self)
{
  g_return_val_if_fail (OKNO_IS_INSTANCE (self), NULL);
  return self->web_server;
}

OknoCalcomMonitor *
okno_instance_get_calcom_monitor (OknoInstance *self)
{
  g_return_val_if_fail (OKNO_IS_INSTANCE (self), NULL);
  return self->calcom_monitor;
}

static void
calcom_key_looked_up_cb (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  OknoInstance *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *key = okno_secrets_lookup_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (error != NULL)
    g_message (_("The Cal.com API key cannot be read from the keyring: %s"), error->message);

  okno_calcom_monitor_set_api_key (self->calcom_monitor, key);
  okno_calcom_monitor_start (self->calcom_monitor);
}

/**
 * okno_instance_start_watching:
 *
 * Reads the keys from the keyring (in the background) and starts the
 * Cal.com monitor. The mains call it; tests set the keys themselves and
 * set `OKNO_KEYRING=none`, which reads no keyring.
 */
void
okno_instance_start_watching (OknoInstance *self)
{
  g_return_if_fail (OKNO_IS_INSTANCE (self));

  /* Tests run without a keyring (and must not start one). */
  if (g_strcmp0 (g_getenv ("OKNO_KEYRING"), "none") == 0)
    {
      okno_calcom_monitor_start (self->calcom_monitor);
      return;
    }

  okno_secrets_lookup_async (self->data_dir, OKNO_SECRET_CALCOM_API_KEY, self->cancellable,
                             calcom_key_looked_up_cb, self);
}

void
okno_instance_apply_overrides (OknoInstance        *self,
                               const OknoOverrides *overrides)
{
  g_return_if_fail (OKNO_IS_INSTANCE (self));
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
}

/* Starts serving; on failure the instance keeps working without the page
 * and :server-error says why. */
gboolean
okno_instance_start_server (OknoInstance  *self,
                            GError       **error)
{
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (OKNO_IS_INSTANCE (self), FALSE);

  self->want_server = TRUE;
  if (okno_web_server_is_running (self->web_server))
    return TRUE;

  if (!okno_web_server_start (self->web_server, &local_error))
    {
      set_server_error (self, local_error->message);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  set_server_error (self, NULL);
  return TRUE;
}

const char *
okno_instance_get_server_error (OknoInstance *self)
{
  g_return_val_if_fail (OKNO_IS_INSTANCE (self), NULL);
  return self->server_error;
}

/* Waits until every change is on disk: call before the process exits. */
void
okno_instance_flush (OknoInstance *self)
{
  g_return_if_fail (OKNO_IS_INSTANCE (self));

  while (self->calendar != NULL && okno_local_calendar_is_saving (self->calendar))
    g_main_context_iteration (NULL, TRUE);
  g_settings_sync ();

  /* Not needed for safety (the journal has everything), but it leaves
   * bookings.json complete for a person who reads it. */
  if (self->ledger != NULL && okno_ledger_get_journal_length (self->ledger) > 0)
    {
      g_autoptr(GError) error = NULL;

      if (!okno_ledger_compact (self->ledger, &error))
        g_warning ("%s", error->message);
    }
}
