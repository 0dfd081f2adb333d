/* okno-test-ui.c: what the widget tests share.
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gdk/x11/gdkx.h>
#include <string.h>

#include "okno-test-ui.h"
#include "okno-test-utils.h"

static gboolean
timed_out_cb (gpointer user_data)
{
  gboolean *timed_out = user_data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

/* Runs the main loop until @done says so: every source that dispatches
 * may have changed the state, so it is checked after each one. The loop
 * sleeps while nothing happens; only the deadline is a timer. */
void
okno_test_iterate_until (gboolean (*done) (gpointer),
                         gpointer   data,
                         guint      timeout_ms)
{
  gboolean timed_out = FALSE;
  guint timeout;

  if (done (data))
    return;

  timeout = g_timeout_add (timeout_ms, timed_out_cb, &timed_out);
  while (!done (data))
    {
      if (timed_out)
        g_error ("Timed out after %u ms", timeout_ms);
      g_main_context_iteration (NULL, TRUE);
    }
  if (!timed_out)
    g_source_remove (timeout);
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

static void
after_paint_cb (GdkFrameClock *clock,
                gboolean      *painted)
{
  *painted = TRUE;
}

static gboolean
is_true (gpointer data)
{
  return *(gboolean *) data;
}

/* Waits until @widget's window has laid out and painted a frame since the
 * call: what was changed before it is on the screen then. */
void
okno_test_wait_frame (GtkWidget *widget)
{
  GdkFrameClock *clock;
  gboolean painted = FALSE;
  gulong handler;

  okno_test_iterate_until (okno_test_is_shown, widget, 10000);
  clock = gtk_widget_get_frame_clock (widget);
  g_assert_nonnull (clock);
  handler = g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), &painted);
  gtk_widget_queue_draw (widget);
  okno_test_iterate_until (is_true, &painted, 10000);
  g_signal_handler_disconnect (clock, handler);
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
  int width, height;

  if (dir == NULL)
    return;

  /* What is saved is what was drawn last. On a loaded machine the first
   * frame may not be painted within the wait yet (the node is then empty):
   * wait for another, a few times. */
  paintable = gtk_widget_paintable_new (widget);
  for (guint attempt = 0; node == NULL && attempt < 5; attempt++)
    {
      okno_test_wait_frame (widget);
      width = gtk_widget_get_width (widget);
      height = gtk_widget_get_height (widget);
      snapshot = gtk_snapshot_new ();
      gdk_paintable_snapshot (paintable, snapshot, width, height);
      node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
    }
  g_assert_nonnull (node);
  g_mkdir_with_parents (dir, 0755);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (gtk_widget_get_native (widget)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  path = g_build_filename (dir, name, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("Screenshot: %s", path);
}

/* Closes @window and checks that it is finalized: a widget, a popover or
 * a callback that still holds it is a leak the test reports. What is
 * already pending (a rebuild, an unmap) runs first. */
void
okno_test_destroy_window (GtkWindow *window)
{
  g_object_ref (window);
  gtk_window_destroy (window);
  for (guint i = 0; i < 1000 && g_main_context_pending (NULL); i++)
    g_main_context_iteration (NULL, FALSE);
  g_assert_finalize_object (window);
}


static void
finalized_cb (gpointer  data,
              GObject  *where_the_object_was)
{
  *(gboolean *) data = TRUE;
}

/* Drops the caller's reference to @object and waits for its finalization.
 * An application finalizes only once the D-Bus calls GTK made for it on
 * startup (the session manager's) have been answered, hence the wait. */
void
okno_test_assert_finalized (gpointer object)
{
  gboolean finalized = FALSE;

  g_object_weak_ref (object, finalized_cb, &finalized);
  g_object_unref (object);
  okno_test_iterate_until (is_true, &finalized, 10000);
}

typedef struct
{
  OknoTestAppFunc func;
  gpointer        data;
  gboolean        ran;
} AppRun;

static void
activated_cb (GApplication *application,
              AppRun       *run)
{
  if (run->ran)
    return;
  run->ran = TRUE;
  /* The window comes once the profile has opened; it is drawn once X has
   * placed it (a popover shown before then finds no monitor to fit in). */
  okno_test_iterate_until (has_window, application, 20000);
  okno_test_wait_frame (GTK_WIDGET (gtk_application_get_active_window (GTK_APPLICATION (application))));
  run->func (GTK_APPLICATION (application), run->data);
}

/* Warnings and criticals are fatal in the widget tests, but for one pair,
 * which GTK 4.8 logs on X11 when a tooltip asks a surface that is already
 * gone for the pointer, then looks for the widget under it (seen once in
 * about a hundred runs, under load, as a new tile appears under the
 * pointer and the share tip pops up). */
static gboolean
known_gtk_bug_cb (const char     *log_domain,
                  GLogLevelFlags  log_level,
                  const char     *message,
                  gpointer        user_data)
{
  if ((log_level & G_LOG_LEVEL_CRITICAL) &&
      ((g_strcmp0 (log_domain, "Gdk") == 0 &&
        strstr (message, "gdk_surface_get_device_position: assertion 'GDK_IS_SURFACE (surface)'") != NULL) ||
       (g_strcmp0 (log_domain, "Gtk") == 0 &&
        strstr (message, "_gtk_widget_find_at_coords: assertion 'GDK_IS_SURFACE (surface)'") != NULL)))
    {
      g_test_message ("Known GTK 4.8 critical, not fatal: %s", message);
      return FALSE;
    }
  return TRUE;
}

/* Runs @application as main() would, with g_application_run(), and @func
 * once it is activated (its window is up then). @func runs the main loop
 * itself while it waits; the application ends when its last window is
 * closed, shuts down (writing what is pending and leaving the bus) and
 * must then go with the caller's reference, which this takes. */
void
okno_test_run_app (gpointer        application,
                   OknoTestAppFunc func,
                   gpointer        data)
{
  AppRun run = { func, data, FALSE };
  gulong handler;

  g_test_log_set_fatal_handler (known_gtk_bug_cb, NULL);
  g_application_set_flags (application, G_APPLICATION_NON_UNIQUE);
  handler = g_signal_connect_after (application, "activate", G_CALLBACK (activated_cb), &run);
  g_assert_cmpint (g_application_run (application, 0, NULL), ==, 0);
  g_assert_true (run.ran);
  g_signal_handler_disconnect (application, handler);
  okno_test_assert_finalized (application);
}

/* A fresh data folder: a new XDG_DATA_HOME at the first call (GLib reads
 * it once, so call this before gtk_test_init), and at every call an empty
 * okno/ folder in it with @settings as its settings.ini. Returns the
 * XDG_DATA_HOME. */
const char *
okno_test_ui_profile (const char *settings)
{
  static char *data_home;
  g_autofree char *okno_dir = NULL;
  g_autofree char *path = NULL;

  if (data_home == NULL)
    {
      data_home = okno_test_make_dir ();
      g_setenv ("XDG_DATA_HOME", data_home, TRUE);
    }
  g_assert_cmpstr (g_get_user_data_dir (), ==, data_home);

  okno_dir = g_build_filename (data_home, "okno", NULL);
  path = g_build_filename (okno_dir, "settings.ini", NULL);
  if (g_file_test (okno_dir, G_FILE_TEST_EXISTS))
    okno_test_remove_dir (okno_dir);
  g_mkdir_with_parents (okno_dir, 0700);
  g_assert_true (g_file_set_contents (path, settings, -1, NULL));
  return data_home;
}

typedef struct
{
  gboolean  done;
  GError   *error;
} Run;

static void
xdotool_exited_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  Run *run = user_data;

  g_subprocess_wait_check_finish (G_SUBPROCESS (object), result, &run->error);
  run->done = TRUE;
}

static gboolean
run_done (gpointer data)
{
  return ((Run *) data)->done;
}

/* Runs xdotool with the arguments given, while the main loop runs on: the
 * events it sends are GTK's to read meanwhile. */
void
okno_test_xdotool (const char *first_arg,
                   ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  Run run = { FALSE, NULL };
  va_list args;

  g_ptr_array_add (argv, (char *) "xdotool");
  va_start (args, first_arg);
  for (const char *arg = first_arg; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (char *) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  line = g_strjoinv (" ", (char **) argv->pdata);
  g_test_message ("%s", line);
  process = g_subprocess_newv ((const char * const *) argv->pdata, G_SUBPROCESS_FLAGS_NONE, &error);
  g_assert_no_error (error);
  g_subprocess_wait_check_async (process, NULL, xdotool_exited_cb, &run);
  okno_test_iterate_until (run_done, &run, 20000);
  if (run.error != NULL)
    g_error ("%s: %s", line, run.error->message);
}

static char *
dup_xid (GtkWidget *widget)
{
  GdkSurface *surface = gtk_native_get_surface (gtk_widget_get_native (widget));

  g_assert_true (GDK_IS_X11_SURFACE (surface));
  return g_strdup_printf ("%lu", (gulong) gdk_x11_surface_get_xid (surface));
}

/* The X server's keyboard focus on @window's toplevel, so that keys typed
 * with xdotool go to it (there is no window manager on Xvfb). */
void
okno_test_focus_window (GtkWidget *window)
{
  g_autofree char *xid = dup_xid (window);

  okno_test_xdotool ("windowfocus", "--sync", xid, NULL);
  okno_test_iterate_until ((gboolean (*) (gpointer)) gtk_window_is_active, window, 10000);
}

/* Moves the pointer to (@x, @y) in @widget's coordinates: through the
 * toplevel, then the surface (which may have a margin for the shadow). */
void
okno_test_pointer_to (GtkWidget *widget,
                      double     x,
                      double     y)
{
  GtkNative *native = gtk_widget_get_native (widget);
  g_autofree char *xid = dup_xid (widget);
  g_autofree char *sx = NULL;
  g_autofree char *sy = NULL;
  graphene_point_t point;
  double dx, dy;

  g_assert_true (gtk_widget_compute_point (widget, GTK_WIDGET (native), &GRAPHENE_POINT_INIT (x, y), &point));
  gtk_native_get_surface_transform (native, &dx, &dy);
  sx = g_strdup_printf ("%d", (int) floor (point.x + dx));
  sy = g_strdup_printf ("%d", (int) floor (point.y + dy));
  okno_test_xdotool ("mousemove", "--window", xid, "--sync", sx, sy, NULL);
}

static GPtrArray *notifications;
static GPtrArray *notification_buttons;

/* A stand-in for the desktop's notification server on the test's private
 * session bus: it records the summary of every notification, and its
 * buttons' labels. */
static const char notifications_xml[] =
  "<node><interface name='org.freedesktop.Notifications'>"
  "<method name='Notify'><arg type='s' direction='in'/><arg type='u' direction='in'/>"
  "<arg type='s' direction='in'/><arg type='s' direction='in'/><arg type='s' direction='in'/>"
  "<arg type='as' direction='in'/><arg type='a{sv}' direction='in'/><arg type='i' direction='in'/>"
  "<arg type='u' direction='out'/></method>"
  "<method name='GetCapabilities'><arg type='as' direction='out'/></method>"
  "<method name='CloseNotification'><arg type='u' direction='in'/></method>"
  "<method name='GetServerInformation'><arg type='s' direction='out'/><arg type='s' direction='out'/>"
  "<arg type='s' direction='out'/><arg type='s' direction='out'/></method>"
  "</interface></node>";

static void
notifications_method_cb (GDBusConnection       *connection,
                         const char            *sender,
                         const char            *path,
                         const char            *interface,
                         const char            *method,
                         GVariant              *parameters,
                         GDBusMethodInvocation *invocation,
                         gpointer               user_data)
{
  if (g_str_equal (method, "Notify"))
    {
      const char *summary;

      g_autofree const char **actions = NULL;
      g_autoptr(GString) labels = g_string_new (NULL);

      g_variant_get_child (parameters, 3, "&s", &summary);
      g_variant_get_child (parameters, 5, "^a&s", &actions);
      g_ptr_array_add (notifications, g_strdup (summary));
      /* [key, label, key, label, …] */
      for (guint i = 0; actions && actions[i] && actions[i + 1]; i += 2)
        g_string_append_printf (labels, "%s%s", labels->len ? "," : "", actions[i + 1]);
      g_ptr_array_add (notification_buttons, g_strdup (labels->str));
      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(u)", notifications->len));
    }
  else if (g_str_equal (method, "GetCapabilities"))
    {
      const char *caps[] = { "body", "actions", NULL };
      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(^as)", caps));
    }
  else if (g_str_equal (method, "GetServerInformation"))
    g_dbus_method_invocation_return_value (invocation, g_variant_new ("(ssss)", "fake", "okno", "1", "1.2"));
  else
    g_dbus_method_invocation_return_value (invocation, NULL);
}

void
okno_test_start_notification_server (void)
{
  static const GDBusInterfaceVTable vtable = { notifications_method_cb };
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  g_autoptr(GDBusNodeInfo) info = g_dbus_node_info_new_for_xml (notifications_xml, NULL);
  g_autoptr(GVariant) reply = NULL;

  notifications = g_ptr_array_new_with_free_func (g_free);
  notification_buttons = g_ptr_array_new_with_free_func (g_free);
  g_assert_nonnull (bus);
  g_dbus_connection_register_object (bus, "/org/freedesktop/Notifications", info->interfaces[0],
                                     &vtable, NULL, NULL, NULL);
  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "RequestName",
                                       g_variant_new ("(su)", "org.freedesktop.Notifications", 4),
                                       NULL, G_DBUS_CALL_FLAGS_NONE, -1, NULL, NULL);
  g_assert_nonnull (reply);
}

GPtrArray *
okno_test_notification_summaries (void)
{
  return notifications;
}

GPtrArray *
okno_test_notification_buttons (void)
{
  return notification_buttons;
}

gboolean
okno_test_has_notification (gpointer unused)
{
  return notifications != NULL && notifications->len > 0;
}
