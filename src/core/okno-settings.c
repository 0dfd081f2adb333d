/* okno-settings.c
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "OknoSettings"
#define G_SETTINGS_ENABLE_BACKEND

#include "config.h"

#include <gio/gsettingsbackend.h>
#include <glib/gi18n.h>

#include "okno-errors.h"
#include "okno-settings.h"

/* Settings live in settings.ini inside the data folder (GLib's keyfile
 * backend), so the window and okno-server read the same values and a
 * --data-dir is a whole profile. The schema is looked up where GLib looks,
 * then in the build tree, so that an uninstalled build runs as it is. */
static GSettingsSchema *
lookup_schema (GError **error)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchemaSource) build_source = NULL;
  GSettingsSchema *schema = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, SCHEMA_ID, TRUE);
  if (schema != NULL)
    return schema;

  build_source = g_settings_schema_source_new_from_directory (BUILD_SCHEMA_DIR, source, FALSE, NULL);
  if (build_source != NULL)
    schema = g_settings_schema_source_lookup (build_source, SCHEMA_ID, FALSE);
  if (schema != NULL)
    return schema;

  g_set_error (error, OKNO_DATA_ERROR, OKNO_DATA_ERROR_SCHEMA,
               _("The settings schema %s is not installed; "
                 "install Okno or set GSETTINGS_SCHEMA_DIR"), SCHEMA_ID);
  return NULL;
}

/* Settings whose name changed: a value stored under the old name moves to
 * the new one (when that has none yet), converted, and the old name goes. */
static void
migrate_renamed (const char *path)
{
  g_autoptr(GKeyFile) keyfile = g_key_file_new ();
  g_autofree char *minutes = NULL;
  g_autoptr(GVariant) value = NULL;
  g_autoptr(GError) error = NULL;

  if (!g_key_file_load_from_file (keyfile, path, G_KEY_FILE_KEEP_COMMENTS, NULL) ||
      !(minutes = g_key_file_get_value (keyfile, "okno", "calcom-probe-minutes", NULL)))
    return;

  /* calcom-probe-minutes (u) became calcom-probe-seconds (u, 60–86400). */
  if (!g_key_file_has_key (keyfile, "okno", "calcom-probe-seconds", NULL) &&
      (value = g_variant_parse (G_VARIANT_TYPE_UINT32, minutes, NULL, NULL, NULL)) != NULL)
    {
      guint64 seconds = CLAMP ((guint64) g_variant_get_uint32 (value) * 60, 60, 86400);
      g_autofree char *text = g_strdup_printf ("%" G_GUINT64_FORMAT, seconds);

      g_key_file_set_value (keyfile, "okno", "calcom-probe-seconds", text);
    }
  g_key_file_remove_key (keyfile, "okno", "calcom-probe-minutes", NULL);
  if (!g_key_file_save_to_file (keyfile, path, &error))
    g_warning ("settings.ini: %s", error->message);
}

GSettings *
okno_settings_new (const char  *data_dir,
                   GError     **error)
{
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autoptr(GSettingsBackend) backend = NULL;
  g_autofree char *path = NULL;

  g_return_val_if_fail (data_dir != NULL, NULL);

  if (!(schema = lookup_schema (error)))
    return NULL;

  path = g_build_filename (data_dir, "settings.ini", NULL);
  migrate_renamed (path);
  backend = g_keyfile_settings_backend_new (path, "/ru/olgarozet/Okno/", "okno");

  return g_settings_new_full (schema, backend, NULL);
}
