/* okno-zone-row.c
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "OknoZoneRow"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "okno-zone-row.h"

#ifdef OKNO_HAVE_ICU
#include <unicode/udata.h>
#include <unicode/ures.h>
#include <unicode/ustring.h>
#endif

/* Olga's time zone, chosen from a searchable list of the IANA zones
 * (named by their city in her language where Okno knows it, with the
 * offset) instead of typed: «Moscow» is not a zone and is never saved. */
struct _OknoZoneRow
{
  AdwActionRow   parent_instance;

  GSettings     *settings;
  GPtrArray     *shown;      /* the zones in the list's order, by label */
  GtkWidget     *drop_down;
  gboolean       updating;
};

G_DEFINE_FINAL_TYPE (OknoZoneRow, okno_zone_row, ADW_TYPE_ACTION_ROW)

#define ZONE_TABLE "/usr/share/zoneinfo/zone1970.tab"

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* The zones of the system's tz database (zone1970.tab), sorted, with UTC;
 * the list GLib's own zones come from. Read once. */
const char * const *
okno_zone_row_get_zones (void)
{
  static char **zones = NULL;

  if (g_once_init_enter (&zones))
    {
      g_autoptr(GPtrArray) list = g_ptr_array_new ();
      g_autofree char *text = NULL;
      g_auto(GStrv) lines = NULL;

      if (g_file_get_contents (ZONE_TABLE, &text, NULL, NULL))
        lines = g_strsplit (text, "\n", -1);
      for (guint i = 0; lines != NULL && lines[i] != NULL; i++)
        {
          g_auto(GStrv) fields = NULL;

          if (lines[i][0] == '#' || lines[i][0] == '\0')
            continue;
          fields = g_strsplit (lines[i], "\t", 4);
          if (g_strv_length (fields) >= 3)
            g_ptr_array_add (list, g_strdup (fields[2]));
        }
      g_ptr_array_sort (list, compare_strings);
      g_ptr_array_add (list, g_strdup ("UTC"));
      g_ptr_array_add (list, NULL);
      g_once_init_leave (&zones, (char **) g_ptr_array_free (g_steal_pointer (&list), FALSE));
    }

  return (const char * const *) zones;
}

static int
compare_labels (gconstpointer a,
                gconstpointer b)
{
  return g_utf8_collate ((*(char * const * const *) a)[0], (*(char * const * const *) b)[0]);
}

/* Whether @identifier is one of the zones offered (empty: the system's). */
gboolean
okno_zone_is_known (const char *identifier)
{
  if (identifier == NULL)
    return FALSE;
  if (identifier[0] == '\0')
    return TRUE;
  return g_strv_contains (okno_zone_row_get_zones (), identifier);
}

#ifdef OKNO_HAVE_ICU
/* The zone's city in the user's language from ICU's zone names («Europe/
 * Moscow» → «Москва»), or NULL. */
static char *
dup_icu_city (UResourceBundle *zone_strings,
              const char      *identifier)
{
  UErrorCode status = U_ZERO_ERROR;
  UResourceBundle *zone;
  g_autofree char *key = g_strdup (identifier);
  const UChar *name;
  int32_t length = 0;
  char *city = NULL;

  if (zone_strings == NULL)
    return NULL;
  g_strdelimit (key, "/", ':');
  zone = ures_getByKey (zone_strings, key, NULL, &status);
  name = U_SUCCESS (status) ? ures_getStringByKey (zone, "ec", &length, &status) : NULL;
  if (U_SUCCESS (status) && name != NULL)
    {
      char buffer[256];
      int32_t written = 0;

      u_strToUTF8 (buffer, sizeof buffer, &written, name, length, &status);
      if (U_SUCCESS (status) && written < (int32_t) sizeof buffer)
        city = g_strndup (buffer, written);
    }
  ures_close (zone);
  return city;
}

static UResourceBundle *
open_zone_strings (void)
{
  const char * const *languages = g_get_language_names ();
  g_autofree char *locale = g_strdup (languages[0]);
  UErrorCode status = U_ZERO_ERROR;
  UResourceBundle *bundle, *zone_strings;

  locale[strcspn (locale, ".@")] = '\0';
  bundle = ures_open (U_ICUDATA_NAME U_TREE_SEPARATOR_STRING "zone", locale, &status);
  if (U_FAILURE (status))
    return NULL;
  zone_strings = ures_getByKey (bundle, "zoneStrings", NULL, &status);
  ures_close (bundle);
  return U_SUCCESS (status) ? zone_strings : NULL;
}
#endif

/* «Москва — Europe/Moscow, UTC+03:00»: the city first, in Olga's language
 * where Okno knows it, since the list's search matches the beginning. */
static char *
dup_zone_label (const char *identifier,
                gpointer    zone_strings)
{
  g_autoptr(GTimeZone) zone = g_time_zone_new_identifier (identifier);
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *city = NULL;
  g_autofree char *offset = NULL;
  const char *slash = strrchr (identifier, '/');
  const char *translated;

  if (zone == NULL)
    return g_strdup (identifier);
  now = g_date_time_new_now (zone);
  offset = g_date_time_format (now, "%:z");
  city = g_strdup (slash ? slash + 1 : identifier);
  g_strdelimit (city, "_", ' ');
  translated = g_dpgettext2 (GETTEXT_PACKAGE, "city", city);
#ifdef OKNO_HAVE_ICU
  if (translated == city)
    {
      g_autofree char *icu = dup_icu_city (zone_strings, identifier);

      if (icu != NULL)
        {
          g_free (city);
          city = g_steal_pointer (&icu);
          translated = city;
        }
    }
#endif
  if (slash == NULL)
    return g_strdup_printf ("%s, UTC%s", identifier, offset);
  return g_strdup_printf ("%s — %s, UTC%s", translated, identifier, offset);
}

static void
show_zone (OknoZoneRow *self)
{
  g_autofree char *current = g_settings_get_string (self->settings, "time-zone");
  guint position = 0;   /* the system's */

  for (guint i = 0; i < self->shown->len; i++)
    if (g_str_equal (g_ptr_array_index (self->shown, i), current))
      position = i + 1;

  self->updating = TRUE;
  gtk_drop_down_set_selected (GTK_DROP_DOWN (self->drop_down), position);
  self->updating = FALSE;
}

static void
selected_changed_cb (OknoZoneRow *self)
{
  guint position = gtk_drop_down_get_selected (GTK_DROP_DOWN (self->drop_down));

  if (self->updating || position == GTK_INVALID_LIST_POSITION || position > self->shown->len)
    return;
  okno_zone_row_set_zone (self, position == 0 ? "" : g_ptr_array_index (self->shown, position - 1));
}

static void
okno_zone_row_dispose (GObject *object)
{
  OknoZoneRow *self = (OknoZoneRow *) object;

  g_clear_object (&self->settings);
  g_clear_pointer (&self->shown, g_ptr_array_unref);

  G_OBJECT_CLASS (okno_zone_row_parent_class)->dispose (object);
}

static void
okno_zone_row_class_init (OknoZoneRowClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = okno_zone_row_dispose;
}

static void
okno_zone_row_init (OknoZoneRow *self)
{
}

GtkWidget *
okno_zone_row_new (GSettings *settings)
{
  OknoZoneRow *self;
  g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);
  const char * const *zones = okno_zone_row_get_zones ();
  g_autoptr(GTimeZone) local = g_time_zone_new_local ();

  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  self = g_object_new (OKNO_TYPE_ZONE_ROW, NULL);
  self->settings = g_object_ref (settings);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), _("Time zone"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self), _("Type to search, such as «Moscow»"));

  {
    /* Translators: the first choice of the time zone list, with the zone's name */
    g_autofree char *system = g_strdup_printf (_("The system’s (%s)"), g_time_zone_get_identifier (local));
    gtk_string_list_append (labels, system);
  }
  {
    g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
    gpointer zone_strings = NULL;

#ifdef OKNO_HAVE_ICU
    zone_strings = open_zone_strings ();
#endif

    for (guint i = 0; zones[i] != NULL; i++)
      {
        char **entry = g_new0 (char *, 3);

        entry[0] = dup_zone_label (zones[i], zone_strings);
        entry[1] = g_strdup (zones[i]);
        g_ptr_array_add (entries, entry);
      }
#ifdef OKNO_HAVE_ICU
    if (zone_strings != NULL)
      ures_close (zone_strings);
#endif
    g_ptr_array_sort (entries, compare_labels);
    self->shown = g_ptr_array_new_with_free_func (g_free);
    for (guint i = 0; i < entries->len; i++)
      {
        char **entry = g_ptr_array_index (entries, i);

        gtk_string_list_append (labels, entry[0]);
        g_ptr_array_add (self->shown, g_strdup (entry[1]));
      }
  }

  self->drop_down = gtk_drop_down_new (G_LIST_MODEL (g_steal_pointer (&labels)),
                                       gtk_property_expression_new (GTK_TYPE_STRING_OBJECT, NULL, "string"));
  gtk_drop_down_set_enable_search (GTK_DROP_DOWN (self->drop_down), TRUE);
  gtk_widget_set_valign (self->drop_down, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->drop_down), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Time zone"), -1);
  adw_action_row_add_suffix (ADW_ACTION_ROW (self), self->drop_down);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (self), self->drop_down);

  show_zone (self);
  g_signal_connect_object (self->drop_down, "notify::selected", G_CALLBACK (selected_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (settings, "changed::time-zone", G_CALLBACK (show_zone), self, G_CONNECT_SWAPPED);

  return GTK_WIDGET (self);
}

/**
 * okno_zone_row_set_zone:
 * @identifier: an IANA zone name, or "" for the system's zone
 *
 * Saves @identifier as the time zone when it is one of the list; an
 * unknown name («Moscow») is refused and nothing changes.
 *
 * Returns: whether it was saved
 */
gboolean
okno_zone_row_set_zone (OknoZoneRow *self,
                        const char  *identifier)
{
  g_return_val_if_fail (OKNO_IS_ZONE_ROW (self), FALSE);

  if (!okno_zone_is_known (identifier))
    {
      g_debug ("Refusing an unknown time zone");
      show_zone (self);
      return FALSE;
    }
  g_settings_set_string (self->settings, "time-zone", identifier);
  return TRUE;
}
