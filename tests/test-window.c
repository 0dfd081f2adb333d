/* test-window.c: the window, as a person would see it, under Xvfb.
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>

#include "okno-application.h"
#include "okno-test-utils.h"
#include "okno-time.h"
#include "okno-window.h"

static char *data_home;

static void
iterate_until (gboolean (*done) (gpointer),
               gpointer   data,
               guint      timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + timeout_ms * 1000;

  while (!done (data))
    {
      g_main_context_iteration (NULL, FALSE);
      if (g_get_monotonic_time () > deadline)
        g_error ("Timed out after %u ms", timeout_ms);
      g_usleep (1000);
    }
}

static gboolean
is_shown (gpointer data)
{
  return gtk_widget_get_mapped (data) && gtk_widget_get_width (data) > 0;
}

static GtkWidget *
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();  /* transfer none */

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) widget = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type) && gtk_widget_get_visible (widget))
        return widget;
    }
  return NULL;
}

static void
collect (GtkWidget *widget,
         GType      type,
         GPtrArray *out)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    g_ptr_array_add (out, widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    collect (child, type, out);
}

static void
save_screenshot (GtkWidget  *widget,
                 const char *name)
{
  const char *dir = g_getenv ("OKNO_SCREENSHOT_DIR");
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = NULL;
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);

  if (dir == NULL)
    return;

  g_mkdir_with_parents (dir, 0755);
  paintable = gtk_widget_paintable_new (widget);
  /* A window that has just been shown may not have drawn a frame yet. */
  for (guint i = 0; i < 200 && node == NULL; i++)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (5000);
      snapshot = gtk_snapshot_new ();
      gdk_paintable_snapshot (paintable, snapshot, width, height);
      node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
    }
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (gtk_widget_get_native (widget)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  path = g_build_filename (dir, name, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("Screenshot: %s", path);
}

static const char *
window_title_text (OknoWindow *window)
{
  g_autoptr(GPtrArray) titles = g_ptr_array_new ();

  collect (GTK_WIDGET (window), ADW_TYPE_WINDOW_TITLE, titles);
  g_assert_cmpuint (titles->len, ==, 1);
  return adw_window_title_get_title (g_ptr_array_index (titles, 0));
}

static void
test_window (void)
{
  g_autoptr(OknoApplication) app = okno_application_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) monday = NULL;
  g_autoptr(GDateTime) next_monday = NULL;
  g_autofree char *this_week = NULL;
  g_autofree char *next_week = NULL;
  g_autoptr(GPtrArray) spins = g_ptr_array_new ();
  OknoWindow *window;
  GtkWidget *preferences;
  GSettings *settings;
  gint64 started = g_get_monotonic_time ();

  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  g_application_activate (G_APPLICATION (app));

  window = OKNO_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app)));
  g_assert_nonnull (window);
  iterate_until (is_shown, window, 5000);
  g_test_message ("Window shown after %d ms", (int) ((g_get_monotonic_time () - started) / 1000));
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "Okno");

  /* The header bar names the week; navigation moves it. */
  monday = okno_time_week_start (now, okno_schedule_get_time_zone (
                                   okno_instance_get_schedule (okno_application_get_instance (app))));
  next_monday = g_date_time_add_days (monday, 7);
  this_week = okno_time_format_week (monday);
  next_week = okno_time_format_week (next_monday);
  g_assert_cmpstr (window_title_text (window), ==, this_week);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "week.next", NULL));
  g_assert_cmpstr (window_title_text (window), ==, next_week);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "week.today", NULL));
  g_assert_cmpstr (window_title_text (window), ==, this_week);

  /* Shortcuts window installed from the resource. */
  g_assert_nonnull (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window)));

  save_screenshot (GTK_WIDGET (window), "window.png");

  /* Preferences edit the data folder's settings both ways. */
  settings = okno_instance_get_settings (okno_application_get_instance (app));
  g_action_group_activate_action (G_ACTION_GROUP (app), "preferences", NULL);
  preferences = find_toplevel (ADW_TYPE_PREFERENCES_WINDOW);
  g_assert_nonnull (preferences);
  iterate_until (is_shown, preferences, 5000);
  collect (preferences, GTK_TYPE_SPIN_BUTTON, spins);
  g_assert_cmpuint (spins->len, >=, 5);
  g_assert_cmpfloat (gtk_spin_button_get_value (g_ptr_array_index (spins, 0)), ==, 40);
  gtk_spin_button_set_value (g_ptr_array_index (spins, 0), 45);
  g_assert_cmpuint (g_settings_get_uint (settings, "slot-minutes"), ==, 45);
  g_settings_set_uint (settings, "snap-minutes", 15);
  g_assert_cmpfloat (gtk_spin_button_get_value (g_ptr_array_index (spins, 1)), ==, 15);
  save_screenshot (preferences, "preferences.png");
  gtk_window_destroy (GTK_WINDOW (preferences));

  g_action_group_activate_action (G_ACTION_GROUP (app), "about", NULL);
  g_assert_nonnull (find_toplevel (ADW_TYPE_ABOUT_WINDOW));
  gtk_window_destroy (GTK_WINDOW (find_toplevel (ADW_TYPE_ABOUT_WINDOW)));

  gtk_window_destroy (GTK_WINDOW (window));
  okno_instance_flush (okno_application_get_instance (app));
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *okno_dir = NULL;
  g_autofree char *settings_path = NULL;
  int status;

  /* A fresh profile whose booking page takes any free port. */
  data_home = okno_test_make_dir ();
  okno_dir = g_build_filename (data_home, "okno", NULL);
  settings_path = g_build_filename (okno_dir, "settings.ini", NULL);
  g_mkdir_with_parents (okno_dir, 0700);
  g_file_set_contents (settings_path, "[okno]\nport=uint16 0\n", -1, NULL);
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/okno/window/shell", test_window);

  status = g_test_run ();
  okno_test_remove_dir (data_home);
  return status;
}
