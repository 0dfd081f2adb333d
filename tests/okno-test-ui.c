/* okno-test-ui.c: what the widget tests share.
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "okno-test-ui.h"
#include "okno-test-utils.h"

void
okno_test_iterate_until (gboolean (*done) (gpointer),
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
has_window (gpointer data)
{
  return gtk_application_get_active_window (data) != NULL;
}

/* Activates @app and waits (generously: a loaded machine) for its window,
 * which comes once the profile has opened. */
GtkWindow *
okno_test_activate (GtkApplication *app)
{
  g_application_activate (G_APPLICATION (app));
  okno_test_iterate_until (has_window, app, 20000);
  return gtk_application_get_active_window (app);
}

gboolean
okno_test_is_shown (gpointer data)
{
  return gtk_widget_get_mapped (data) && gtk_widget_get_width (data) > 0;
}

GtkWidget *
okno_test_find_toplevel (GType type)
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

void
okno_test_collect (GtkWidget *widget,
         GType      type,
         GPtrArray *out)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    g_ptr_array_add (out, widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    okno_test_collect (child, type, out);
}

void
okno_test_save_screenshot (GtkWidget  *widget,
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


/* A fresh profile under a new XDG_DATA_HOME, with @settings as the
 * settings.ini of its okno/ folder. Returns the XDG_DATA_HOME to remove. */
char *
okno_test_ui_profile (const char *settings)
{
  char *data_home = okno_test_make_dir ();
  g_autofree char *okno_dir = g_build_filename (data_home, "okno", NULL);
  g_autofree char *path = g_build_filename (okno_dir, "settings.ini", NULL);

  g_mkdir_with_parents (okno_dir, 0700);
  g_assert_true (g_file_set_contents (path, settings, -1, NULL));
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);
  return data_home;
}
