/* test-reminder-rows.c: Preferences → Notifications → Reminders sets
 * reminder-hours and agenda-hour, and shows what the settings say. Under
 * Xvfb.
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>

#include "okno-notifications-page.h"
#include "okno-profile.h"
#include "okno-test-ui.h"
#include "okno-test-utils.h"

static void
profile_opened_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static OknoProfile *
open_profile (const char *dir)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  OknoProfile *profile;

  okno_profile_new_async (dir, NULL, profile_opened_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  profile = okno_profile_new_finish (result, &error);
  g_assert_no_error (error);
  return profile;
}

static GtkWidget *
find_named (GtkWidget  *page,
            GType       type,
            const char *name)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();

  okno_test_collect (page, ADW_TYPE_ACTION_ROW, rows);
  for (guint i = 0; i < rows->len; i++)
    if (g_strcmp0 (gtk_widget_get_name (g_ptr_array_index (rows, i)), name) == 0)
      {
        g_autoptr(GPtrArray) inside = g_ptr_array_new ();

        okno_test_collect (g_ptr_array_index (rows, i), type, inside);
        g_assert_cmpuint (inside->len, >=, 1);
        return g_ptr_array_index (inside, 0);
      }
  g_error ("No row “%s”", name);
  return NULL;
}

static void
test_rows_set_the_settings (void)
{
  g_autofree char *dir = okno_test_make_dir ();
  g_autoptr(OknoProfile) profile = open_profile (dir);
  GSettings *settings = okno_profile_get_settings (profile);
  GtkWidget *window, *page, *spin, *drop_down;

  g_settings_set_string (settings, "agenda-hour", "7");
  window = adw_preferences_window_new ();
  page = okno_notifications_page_new (profile);
  adw_preferences_window_add (ADW_PREFERENCES_WINDOW (window), ADW_PREFERENCES_PAGE (page));
  adw_preferences_window_set_visible_page_name (ADW_PREFERENCES_WINDOW (window), "notifications");
  gtk_window_present (GTK_WINDOW (window));
  okno_test_iterate_until (okno_test_is_shown, window, 5000);

  spin = find_named (page, GTK_TYPE_SPIN_BUTTON, "reminder-hours");
  drop_down = find_named (page, GTK_TYPE_DROP_DOWN, "agenda-hour");

  /* What the settings say: 24 h, 07:00. */
  g_assert_cmpint (gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (spin)), ==, 24);
  g_assert_cmpuint (gtk_drop_down_get_selected (GTK_DROP_DOWN (drop_down)), ==, 8);

  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), 0);
  g_assert_cmpuint (g_settings_get_uint (settings, "reminder-hours"), ==, 0);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), 2);
  g_assert_cmpuint (g_settings_get_uint (settings, "reminder-hours"), ==, 2);

  gtk_drop_down_set_selected (GTK_DROP_DOWN (drop_down), 10);
  {
    g_autofree char *hour = g_settings_get_string (settings, "agenda-hour");
    g_assert_cmpstr (hour, ==, "9");
  }
  gtk_drop_down_set_selected (GTK_DROP_DOWN (drop_down), 0);
  {
    g_autofree char *hour = g_settings_get_string (settings, "agenda-hour");
    g_assert_cmpstr (hour, ==, "");
  }
  /* And back from the settings, as `okno-server settings set` changes them. */
  g_settings_set_string (settings, "agenda-hour", "23");
  g_assert_cmpuint (gtk_drop_down_get_selected (GTK_DROP_DOWN (drop_down)), ==, 24);
  okno_test_save_screenshot (window, "reminder-rows.png");

  gtk_window_destroy (GTK_WINDOW (window));
  okno_profile_flush (profile);
  g_clear_object (&profile);
  okno_test_remove_dir (dir);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/okno/reminder-rows/rows-set-the-settings", test_rows_set_the_settings);

  return g_test_run ();
}
