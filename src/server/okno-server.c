/* okno-server.c: the same core without a window.
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "OknoServer"

#include "config.h"

#include <glib/gi18n.h>
#include <glib-unix.h>
#include <stdio.h>
#include <unistd.h>

#include "okno-cli.h"
#include "okno-cli-notify.h"
#include "okno-cli-waitlist.h"
#include "okno-http-session.h"
#include "okno-i18n.h"
#include "okno-profile.h"

#define EXIT_USAGE 2

static char *opt_data_dir;
static int opt_port = -1;
static char *opt_bind;
static int opt_rate_limit = -1;
static char *opt_trusted_proxy;
static int opt_poll_seconds = -1;
static gboolean opt_version;

static const GOptionEntry global_entries[] = {
  { "data-dir", 'd', 0, G_OPTION_ARG_FILENAME, &opt_data_dir,
    N_("Folder with the bookings, calendar and settings (default: $XDG_DATA_HOME/okno)"), N_("DIR") },
  { "port", 'p', 0, G_OPTION_ARG_INT, &opt_port,
    N_("Port of the booking page (default: the “port” setting, 8421)"), N_("N") },
  { "bind", 'b', 0, G_OPTION_ARG_STRING, &opt_bind,
    N_("Address to listen on (default: 127.0.0.1, or all with “share-on-lan”)"), N_("ADDR") },
  { "rate-limit", 0, 0, G_OPTION_ARG_INT, &opt_rate_limit,
    N_("Booking attempts per client per minute, 0 for no limit (default: 10)"), N_("N") },
  { "trusted-proxy", 0, 0, G_OPTION_ARG_STRING, &opt_trusted_proxy,
    N_("Address of a reverse proxy whose X-Forwarded-For is believed"), N_("ADDR") },
  { "poll-seconds", 0, 0, G_OPTION_ARG_INT, &opt_poll_seconds,
    N_("How often to ask Google Calendar for changes (default: the “poll-seconds” setting, 60)"), N_("N") },
  { "version", 'v', 0, G_OPTION_ARG_NONE, &opt_version,
    N_("Print the version and exit"), NULL },
  { NULL }
};

typedef struct
{
  GMainLoop   *loop;
  OknoProfile *profile;
  int          status;
  gboolean     stopping;
} Serving;

static gboolean
stop_cb (gpointer user_data)
{
  Serving *serving = user_data;

  serving->stopping = TRUE;
  g_main_loop_quit (serving->loop);
  return G_SOURCE_CONTINUE;
}

/* Headless, the log is where Olga (or her service manager) hears of Cal.com. */
static void
calcom_changed_cb (OknoCalcomMonitor *monitor,
                   const char        *from,
                   const char        *to,
                   gpointer           user_data)
{
  g_print ("%s: %s\n", okno_calcom_monitor_title_for (to), okno_calcom_monitor_get_detail (monitor));
}

static void
closed_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Serving *serving = user_data;
  g_autoptr(GError) error = NULL;

  if (!okno_profile_close_finish (OKNO_PROFILE (object), result, &error))
    g_warning ("%s", error->message);
  g_main_loop_quit (serving->loop);
}

static void watching_cb (GObject *object, GAsyncResult *result, gpointer user_data);

/* The profile is open: serve, or say why not and stop. */
static void
profile_ready_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Serving *serving = user_data;
  g_autoptr(GError) error = NULL;
  OknoOverrides overrides = OKNO_OVERRIDES_INIT;

  if (!(serving->profile = okno_profile_new_finish (result, &error)))
    {
      g_printerr ("okno-server: %s\n", error->message);
      serving->status = EXIT_FAILURE;
      g_main_loop_quit (serving->loop);
      return;
    }

  if (serving->stopping)
    {
      g_main_loop_quit (serving->loop);
      return;
    }

  overrides.port = opt_port;
  overrides.bind = opt_bind;
  overrides.rate_limit = opt_rate_limit;
  overrides.trusted_proxy = opt_trusted_proxy;
  overrides.poll_seconds = opt_poll_seconds;
  okno_profile_apply_overrides (serving->profile, &overrides);

  g_signal_connect (okno_profile_get_calcom_monitor (serving->profile), "state-changed",
                    G_CALLBACK (calcom_changed_cb), NULL);
  /* Serving starts once the keyring's secrets are in, so the first
   * booking already reaches Telegram and email. */
  okno_profile_start_watching_async (serving->profile, NULL, watching_cb, serving);
}

static void
watching_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  Serving *serving = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;

  okno_profile_start_watching_finish (OKNO_PROFILE (object), result, NULL);
  if (serving->stopping)
    {
      g_main_loop_quit (serving->loop);
      return;
    }
  if (!okno_profile_start_server (serving->profile, &error))
    {
      g_printerr ("okno-server: %s\n", error->message);
      serving->status = EXIT_FAILURE;
      g_main_loop_quit (serving->loop);
      return;
    }

  url = okno_web_server_dup_url (okno_profile_get_web_server (serving->profile));
  g_print (_("Okno is serving %s (data: %s)\n"), url, okno_profile_get_data_dir (serving->profile));
  /* A script reading our stdout from a pipe or a file needs the URL now. */
  fflush (stdout);
}

static int
serve (void)
{
  Serving serving = { g_main_loop_new (NULL, FALSE), NULL, EXIT_SUCCESS, FALSE };
  guint sigint, sigterm;

  sigint = g_unix_signal_add (SIGINT, stop_cb, &serving);
  sigterm = g_unix_signal_add (SIGTERM, stop_cb, &serving);
  okno_profile_new_async (opt_data_dir, NULL, profile_ready_cb, &serving);
  g_main_loop_run (serving.loop);

  /* A signal during the opening: let the opening finish, then close. */
  if (serving.profile == NULL && serving.status == EXIT_SUCCESS)
    g_main_loop_run (serving.loop);
  g_source_remove (sigint);
  g_source_remove (sigterm);

  if (serving.profile != NULL)
    {
      /* The last answers and calendar changes drain on the running loop. */
      okno_profile_close_async (serving.profile, NULL, closed_cb, &serving);
      g_main_loop_run (serving.loop);
      g_clear_object (&serving.profile);
      g_debug ("Stopped cleanly");
    }
  g_main_loop_unref (serving.loop);
  return serving.status;
}

static gboolean
check_options (GError **error)
{
  if (opt_port != -1 && (opt_port < 0 || opt_port > 65535))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("--port must be a number from 0 to 65535"));
      return FALSE;
    }
  if (opt_poll_seconds != -1 && (opt_poll_seconds < 10 || opt_poll_seconds > 3600))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("--poll-seconds must be a number from 10 to 3600"));
      return FALSE;
    }
  if (opt_rate_limit < -1)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("--rate-limit must be 0 or more"));
      return FALSE;
    }
  return TRUE;
}

/* GLib before 2.76 hands GObjects, hash tables, date-times and JSON nodes
 * out of its slice allocator, which keeps what is freed for itself: after
 * the Google cache of 2,000 events was read, about 6.5 MB of parsed JSON
 * stayed resident for good (RSS 21.2 MB against 14.6 MB with plain
 * malloc, whose free pages malloc_trim() gives back). GLib reads the choice
 * before main() runs (GObject's constructor already allocates), so it can
 * only be made for a fresh image: this program runs itself again with
 * G_SLICE=always-malloc, the same process (exec keeps the pid) and
 * arguments. A G_SLICE the caller set is left alone. */
static void
use_plain_malloc (char **argv)
{
  /* Not under AddressSanitizer, which replaces malloc itself and needs no
   * help with memory; it would now also see what GLib's own libraries leave
   * at exit that the slices hid (see build-aux/lsan.supp). */
#if defined(__linux__) && !defined(__SANITIZE_ADDRESS__)
  g_autofree char *program = NULL;

  if (glib_check_version (2, 76, 0) == NULL || g_getenv ("G_SLICE") != NULL)
    return;
  /* The program's own path, not /proc/self/exe: the process is named
   * after it (pgrep -x okno-server). */
  if (!(program = g_file_read_link ("/proc/self/exe", NULL)) ||
      !g_setenv ("G_SLICE", "always-malloc", TRUE))
    return;
  execv (program, argv);
  /* Could not (the file was replaced meanwhile…): carry on as we are. */
#endif
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) args = NULL;
  g_autofree char *description = NULL;

  use_plain_malloc (argv);
  okno_http_prepare_process ();
  okno_i18n_init ();

  args = g_strdupv (argv);
  context = g_option_context_new (_("[COMMAND …] — serve the booking page, or manage slots and bookings"));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, global_entries, GETTEXT_PACKAGE);
  g_option_context_set_strict_posix (context, TRUE);
  description = g_strconcat (okno_cli_describe_commands (), "\n\n", okno_cli_notify_describe_commands (),
                             "\n\n", okno_cli_waitlist_describe_commands (), NULL);
  g_option_context_set_description (context, description);

  if (!g_option_context_parse_strv (context, &args, &error) || !check_options (&error))
    {
      g_printerr ("okno-server: %s (%s)\n", error->message, _("see “okno-server --help”"));
      return EXIT_USAGE;
    }

  if (opt_version)
    {
      g_print ("okno-server %s\n", PACKAGE_VERSION);
      return EXIT_SUCCESS;
    }

  if (g_strv_length (args) <= 1)
    return serve ();

  return okno_cli_run (args + 1, global_entries, &opt_data_dir);
}
