/* test-app-port.c: okno serves where it is told, and a busy port is not
 * the end of it. The application is run as from the command line, under
 * Xvfb.
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>

#include "okno-application.h"
#include "okno-test-ui.h"
#include "okno-test-utils.h"
#include "okno-window.h"

typedef struct
{
  OknoApplication *app;
  GSocket         *blocker;    /* holds busy_port */
  guint            busy_port;
  guint            served_port;
  gboolean         bar_shown;
  gboolean         other_port_asked;
  gint64           deadline;
  gboolean         timed_out;
  gboolean       (*check) (gpointer data);
} Run;

static GSocket *
hold_port (guint *port)
{
  GSocket *socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any_port = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;

  g_assert_true (g_socket_bind (socket, any_port, FALSE, NULL));
  g_assert_true (g_socket_listen (socket, NULL));
  bound = g_socket_get_local_address (socket, NULL);
  *port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  return socket;
}

static char *
make_profile (guint port)
{
  char *dir = okno_test_make_dir ();
  g_autofree char *path = g_build_filename (dir, "settings.ini", NULL);
  g_autofree char *text = g_strdup_printf ("[okno]\nport=uint16 %u\ntime-zone='Europe/Moscow'\n", port);

  g_assert_true (g_file_set_contents (path, text, -1, NULL));
  return dir;
}

static OknoWebServer *
get_server (Run *run)
{
  OknoProfile *instance = okno_application_get_profile (run->app);

  return instance ? okno_profile_get_web_server (instance) : NULL;
}

static gboolean
server_bar_shown (Run *run)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (run->app));
  g_autoptr(GPtrArray) revealers = g_ptr_array_new ();

  if (window == NULL)
    return FALSE;
  okno_test_collect (GTK_WIDGET (window), GTK_TYPE_REVEALER, revealers);
  for (guint i = 0; i < revealers->len; i++)
    if (g_strcmp0 (gtk_widget_get_name (g_ptr_array_index (revealers, i)), "server-bar") == 0)
      return gtk_revealer_get_reveal_child (g_ptr_array_index (revealers, i));
  return FALSE;
}

static gboolean
poll_cb (gpointer data)
{
  Run *run = data;

  if (g_get_monotonic_time () > run->deadline)
    run->timed_out = TRUE;
  if (run->timed_out || run->check (run))
    {
      g_application_quit (G_APPLICATION (run->app));
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

static void
run_app (Run        *run,
         const char *data_dir,
         const char *port)
{
  const char *argv[] = { "okno", "--data-dir", data_dir, port ? "--port" : NULL, port, NULL };
  GtkWidget *window;

  run->app = okno_application_new ();
  run->deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  g_timeout_add (20, poll_cb, run);
  g_application_run (G_APPLICATION (run->app), port ? 5 : 3, (char **) argv);
  g_assert_false (run->timed_out);

  while ((window = okno_test_find_toplevel (GTK_TYPE_WINDOW)))
    gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (run->app);
}

static gboolean
served_anywhere (gpointer data)
{
  Run *run = data;
  OknoWebServer *server = get_server (run);

  if (server == NULL || !okno_web_server_is_running (server))
    return FALSE;
  run->served_port = okno_web_server_get_port (server);
  return TRUE;
}

/* okno --port 0 serves on a free port, whatever the port setting says:
 * here the setting names a busy one. */
static void
test_port_zero (void)
{
  Run run = { 0 };
  g_autofree char *dir = NULL;

  run.blocker = hold_port (&run.busy_port);
  dir = make_profile (run.busy_port);
  run.check = served_anywhere;
  run_app (&run, dir, "0");

  g_assert_cmpuint (run.served_port, >, 0);
  g_assert_cmpuint (run.served_port, !=, run.busy_port);
  g_assert_cmpuint (run.served_port, !=, 8421);

  g_socket_close (run.blocker, NULL);
  g_object_unref (run.blocker);
  okno_test_remove_dir (dir);
}

/* A busy port shows the bar; when the port frees, serving resumes by
 * itself, on the port of the setting. */
static gboolean
resumed_when_freed (gpointer data)
{
  Run *run = data;
  OknoWebServer *server = get_server (run);

  if (!run->bar_shown)
    {
      if (!server_bar_shown (run))
        return FALSE;
      run->bar_shown = TRUE;
      g_assert_false (okno_web_server_is_running (server));
      g_socket_close (run->blocker, NULL);
      return FALSE;
    }
  if (!okno_web_server_is_running (server) || server_bar_shown (run))
    return FALSE;
  run->served_port = okno_web_server_get_port (server);
  return TRUE;
}

static void
test_busy_port_resumes (void)
{
  Run run = { 0 };
  g_autofree char *dir = NULL;

  run.blocker = hold_port (&run.busy_port);
  dir = make_profile (run.busy_port);
  run.check = resumed_when_freed;
  run_app (&run, dir, NULL);

  g_assert_true (run.bar_shown);
  g_assert_cmpuint (run.served_port, ==, run.busy_port);

  g_object_unref (run.blocker);
  okno_test_remove_dir (dir);
}

/* Use Another Port serves on a free one at once. */
static gboolean
moved_to_other_port (gpointer data)
{
  Run *run = data;
  OknoWebServer *server = get_server (run);

  if (!run->other_port_asked)
    {
      if (!server_bar_shown (run))
        return FALSE;
      run->other_port_asked = TRUE;
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (gtk_application_get_active_window (GTK_APPLICATION (run->app))),
                                                 "server.other-port", NULL));
      return FALSE;
    }
  if (!okno_web_server_is_running (server))
    return FALSE;
  run->served_port = okno_web_server_get_port (server);
  return TRUE;
}

static void
test_use_another_port (void)
{
  Run run = { 0 };
  g_autofree char *dir = NULL;

  run.blocker = hold_port (&run.busy_port);
  dir = make_profile (run.busy_port);
  run.check = moved_to_other_port;
  run_app (&run, dir, NULL);

  g_assert_cmpuint (run.served_port, >, 0);
  g_assert_cmpuint (run.served_port, !=, run.busy_port);

  g_socket_close (run.blocker, NULL);
  g_object_unref (run.blocker);
  okno_test_remove_dir (dir);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/okno/app/port-zero", test_port_zero);
  g_test_add_func ("/okno/app/busy-port-resumes", test_busy_port_resumes);
  g_test_add_func ("/okno/app/use-another-port", test_use_another_port);

  return g_test_run ();
}
