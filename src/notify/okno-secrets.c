/* okno-secrets.c
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "OknoSecrets"

#include "config.h"

#include <glib/gi18n.h>
#include <libsecret/secret.h>

#include "okno-secrets.h"

/* The notification keys (Telegram bot token, Cal.com API key) live only in
 * the Secret Service (GNOME Keyring), one item per name and data folder, so
 * that two profiles keep two sets. Never in files, argv or logs. */

static const SecretSchema *
get_schema (void)
{
  static const SecretSchema schema = {
    "ru.olgarozet.Okno.Secret", SECRET_SCHEMA_NONE,
    {
      { "okno-secret", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "data-dir", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    }
  };

  return &schema;
}

static const char *
label_for (const char *name)
{
  if (g_strcmp0 (name, OKNO_SECRET_CALCOM_API_KEY) == 0)
    return _("Okno: Cal.com API key");
  if (g_strcmp0 (name, OKNO_SECRET_TELEGRAM_BOT_TOKEN) == 0)
    return _("Okno: Telegram bot token");
  return name;
}

gboolean
okno_secrets_is_known_name (const char *name)
{
  return g_strcmp0 (name, OKNO_SECRET_CALCOM_API_KEY) == 0 ||
         g_strcmp0 (name, OKNO_SECRET_TELEGRAM_BOT_TOKEN) == 0;
}

static void
looked_up_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  char *value = secret_password_lookup_finish (result, &error);

  if (error != NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, value, (GDestroyNotify) secret_password_free);
}

/* Completes with the value, or %NULL without an error when none is saved. */
void
okno_secrets_lookup_async (const char          *data_dir,
                           const char          *name,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (data_dir != NULL);
  g_return_if_fail (okno_secrets_is_known_name (name));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, okno_secrets_lookup_async);
  secret_password_lookup (get_schema (), cancellable, looked_up_cb, g_steal_pointer (&task),
                          "okno-secret", name,
                          "data-dir", data_dir,
                          NULL);
}

char *
okno_secrets_lookup_finish (GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  /* libsecret's non-pageable copies may be freed with g_free. */
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* For the command line, which has no main loop to wait on. */
char *
okno_secrets_lookup_sync (const char  *data_dir,
                          const char  *name,
                          GError     **error)
{
  g_return_val_if_fail (data_dir != NULL, NULL);
  g_return_val_if_fail (okno_secrets_is_known_name (name), NULL);

  return secret_password_lookup_sync (get_schema (), NULL, error,
                                      "okno-secret", name,
                                      "data-dir", data_dir,
                                      NULL);
}

gboolean
okno_secrets_store_sync (const char  *data_dir,
                         const char  *name,
                         const char  *value,
                         GError     **error)
{
  g_return_val_if_fail (data_dir != NULL, FALSE);
  g_return_val_if_fail (okno_secrets_is_known_name (name), FALSE);
  g_return_val_if_fail (value != NULL, FALSE);

  return secret_password_store_sync (get_schema (), SECRET_COLLECTION_DEFAULT,
                                     label_for (name), value, NULL, error,
                                     "okno-secret", name,
                                     "data-dir", data_dir,
                                     NULL);
}

static void
stored_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!secret_password_store_finish (result, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

/* For the window: the keyring may ask to be unlocked meanwhile. With
 * OKNO_KEYRING=none (tests) nothing is written. */
void
okno_secrets_store_async (const char          *data_dir,
                          const char          *name,
                          const char          *value,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (data_dir != NULL);
  g_return_if_fail (okno_secrets_is_known_name (name));
  g_return_if_fail (value != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, okno_secrets_store_async);
  if (g_strcmp0 (g_getenv ("OKNO_KEYRING"), "none") == 0)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  secret_password_store (get_schema (), SECRET_COLLECTION_DEFAULT, label_for (name), value,
                         cancellable, stored_cb, g_steal_pointer (&task),
                         "okno-secret", name,
                         "data-dir", data_dir,
                         NULL);
}

gboolean
okno_secrets_store_finish (GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Removing what is not there is not an error. */
gboolean
okno_secrets_clear_sync (const char  *data_dir,
                         const char  *name,
                         GError     **error)
{
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (data_dir != NULL, FALSE);
  g_return_val_if_fail (okno_secrets_is_known_name (name), FALSE);

  secret_password_clear_sync (get_schema (), NULL, &local_error,
                              "okno-secret", name,
                              "data-dir", data_dir,
                              NULL);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  return TRUE;
}
