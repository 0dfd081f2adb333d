/* okno-cli-google.c: okno-server google connect|disconnect|status|calendars
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "OknoCliGoogle"

#include "config.h"

#include <glib/gi18n.h>
#include <glib-unix.h>
#include <json-glib/json-glib.h>
#include <stdio.h>

#include "okno-cli-google.h"
#include "okno-google-auth.h"
#include "okno-google-calendar.h"
#include "okno-google-switch.h"
#include "okno-profile.h"
#include "okno-time.h"

/* The Google account of one data folder, headless. `connect` prints the
 * authorization URL alone on one line of stdout (everything else goes to
 * stderr), so a script or an ssh session can pick it up, then waits on the
 * loopback port for Google's redirect. */

#define EXIT_USAGE 2

static int opt_loopback_port;

const GOptionEntry okno_cli_google_entries[] = {
  { "loopback-port", 0, 0, G_OPTION_ARG_INT, &opt_loopback_port,
    N_("google connect: port on 127.0.0.1 that waits for Google’s answer (default: any free one; "
       "fix it to forward it with ssh -L)"), N_("N") },
  { NULL }
};

typedef struct
{
  GMainLoop    *loop;
  GAsyncResult *result;
} Waiter;

static void
done_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Waiter *w = user_data;

  w->result = g_object_ref (result);
  g_main_loop_quit (w->loop);
}

static gboolean
interrupted_cb (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_CONTINUE;
}

/* Runs the loop until the async call started with done_cb finishes; the
 * loop is the program's own, not a nested one. */
static GAsyncResult *
wait_for (Waiter *w)
{
  g_main_loop_run (w->loop);
  return w->result;
}

static int
fail (const char *message)
{
  g_printerr ("okno-server: %s\n", message);
  return EXIT_FAILURE;
}

static void
print_missing_scopes (OknoGoogleAuth *auth)
{
  g_auto(GStrv) off = okno_google_auth_describe_missing (auth);

  for (guint i = 0; off[i]; i++)
    g_printerr ("okno-server: %s\n", off[i]);
}

/* GET calendarList; NULL on any failure, with @error set. */
static JsonArray *
fetch_calendars (OknoGoogleAuth  *auth,
                 GMainLoop       *loop,
                 GError         **error)
{
  g_autofree char *uri = g_strdup_printf ("%s/users/me/calendarList", okno_google_auth_get_calendar_url (auth));
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GAsyncResult) result = NULL;
  Waiter w = { loop, NULL };
  JsonNode *root;
  guint status;

  okno_google_auth_request_async (auth, "GET", uri, NULL, NULL, NULL, done_cb, &w);
  result = wait_for (&w);
  if (!(bytes = okno_google_auth_request_finish (auth, result, &status, NULL, error)))
    return NULL;
  if (status != 200 ||
      !json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), NULL) ||
      !JSON_NODE_HOLDS_OBJECT ((root = json_parser_get_root (parser))) ||
      !json_object_has_member (json_node_get_object (root), "items"))
    {
      g_set_error (error, OKNO_GOOGLE_ERROR, OKNO_GOOGLE_ERROR_HTTP,
                   _("Google answered HTTP %u to the calendar list"), status);
      return NULL;
    }
  return json_array_ref (json_object_get_array_member (json_node_get_object (root), "items"));
}

static const char *
primary_id (JsonArray *calendars)
{
  for (guint i = 0; i < json_array_get_length (calendars); i++)
    {
      JsonObject *c = json_array_get_object_element (calendars, i);

      if (json_object_get_boolean_member_with_default (c, "primary", FALSE))
        return json_object_get_string_member_with_default (c, "id", NULL);
    }
  return NULL;
}

/* Switching: the local calendar's upcoming slots and booked sessions are
 * queued for Google, and Okno runs on Google from its next start. */
static int
switch_to_google (OknoProfile *instance,
                  GMainLoop   *loop)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  Waiter w = { loop, NULL };
  guint n = 0;

  okno_google_switch_to_google_async (instance, NULL, done_cb, &w);
  result = wait_for (&w);
  if (!okno_google_switch_to_google_finish (instance, result, &n, &error))
    return fail (error->message);
  okno_profile_flush (instance);

  g_printerr ("okno-server: ");
  g_printerr (g_dngettext (GETTEXT_PACKAGE,
                           "%u slot or booked session of the local calendar will be copied into Google Calendar",
                           "%u slots and booked sessions of the local calendar will be copied into Google Calendar",
                           n), n);
  g_printerr ("\n");
  g_printerr ("okno-server: %s\n", _("Okno uses Google Calendar from its next start (setting “calendar-backend”)"));
  return EXIT_SUCCESS;
}

static int
google_connect (OknoProfile    *instance,
                OknoGoogleAuth *auth,
                GMainLoop      *loop)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(JsonArray) calendars = NULL;
  g_autoptr(GError) error = NULL;
  Waiter w = { loop, NULL };
  guint sigint, sigterm;

  if (opt_loopback_port < 0 || opt_loopback_port > 65535)
    {
      g_printerr ("okno-server: %s\n", _("--loopback-port must be a number from 0 to 65535"));
      return EXIT_USAGE;
    }
  if (!okno_google_auth_check_client (auth, &error))
    return fail (error->message);

  okno_google_auth_connect_async (auth, opt_loopback_port, cancellable, done_cb, &w);
  if (okno_google_auth_get_authorization_uri (auth) == NULL || w.result != NULL)
    {
      result = wait_for (&w);
      okno_google_auth_connect_finish (auth, result, &error);
      return fail (error ? error->message : _("Could not start connecting"));
    }

  g_printerr ("okno-server: %s\n", _("Open this address in a browser and allow Okno access; "
                                     "waiting for Google’s answer…"));
  g_print ("%s\n", okno_google_auth_get_authorization_uri (auth));
  fflush (stdout);

  sigint = g_unix_signal_add (SIGINT, interrupted_cb, cancellable);
  sigterm = g_unix_signal_add (SIGTERM, interrupted_cb, cancellable);
  result = wait_for (&w);
  g_source_remove (sigint);
  g_source_remove (sigterm);

  if (!okno_google_auth_connect_finish (auth, result, &error))
    return fail (error->message);

  /* The account's address is the primary calendar's id. */
  if (okno_google_auth_has_scope (auth, OKNO_GOOGLE_SCOPE_READONLY) &&
      (calendars = fetch_calendars (auth, loop, NULL)) && primary_id (calendars))
    okno_google_auth_set_account (auth, primary_id (calendars));

  if (okno_google_auth_get_account (auth))
    g_printerr (_("okno-server: connected to Google as %s\n"), okno_google_auth_get_account (auth));
  else
    g_printerr ("okno-server: %s\n", _("connected to Google"));
  print_missing_scopes (auth);

  /* Store the account with the token before exiting. */
  {
    g_autoptr(GAsyncResult) loaded = NULL;
    Waiter l = { loop, NULL };

    okno_google_auth_save_async (auth, NULL, done_cb, &l);
    loaded = wait_for (&l);
    if (!okno_google_auth_save_finish (auth, loaded, &error))
      return fail (error->message);
  }
  return switch_to_google (instance, loop);
}

static gboolean
load (OknoGoogleAuth  *auth,
      GMainLoop       *loop,
      GError         **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  Waiter w = { loop, NULL };

  okno_google_auth_load_async (auth, NULL, done_cb, &w);
  result = wait_for (&w);
  return okno_google_auth_load_finish (auth, result, error);
}

static int
google_disconnect (OknoProfile    *instance,
                   OknoGoogleAuth *auth,
                   GMainLoop      *loop)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  Waiter w = { loop, NULL };
  gboolean was_connected;
  guint n = 0;

  if (!load (auth, loop, &error))
    return fail (error->message);
  was_connected = okno_google_auth_is_connected (auth);

  okno_google_auth_disconnect_async (auth, NULL, done_cb, &w);
  result = wait_for (&w);
  if (!okno_google_auth_disconnect_finish (auth, result, &error))
    return fail (error->message);

  g_printerr ("okno-server: %s\n", was_connected ? _("disconnected from Google; the sign-in is revoked and forgotten")
                                                 : _("was not connected to Google"));

  /* The page keeps working: Google's upcoming slots come home. */
  {
    g_autoptr(GAsyncResult) copied = NULL;
    Waiter c = { loop, NULL };

    okno_google_switch_to_local_async (instance, NULL, done_cb, &c);
    copied = wait_for (&c);
    if (!okno_google_switch_to_local_finish (instance, copied, &n, &error))
      return fail (error->message);
  }
  okno_profile_flush (instance);
  g_printerr ("okno-server: ");
  g_printerr (g_dngettext (GETTEXT_PACKAGE,
                           "%u slot or booked session from Google Calendar was copied into the local calendar",
                           "%u slots and booked sessions from Google Calendar were copied into the local calendar",
                           n), n);
  g_printerr ("\n");
  return EXIT_SUCCESS;
}

static void
print_calendar (JsonObject *c)
{
  g_autoptr(GString) flags = g_string_new (NULL);

  if (json_object_get_boolean_member_with_default (c, "primary", FALSE))
    g_string_append (flags, " primary");
  if (json_object_get_boolean_member_with_default (c, "selected", FALSE))
    g_string_append (flags, " selected");
  g_print ("%s\t%s\t%s%s\n",
           json_object_get_string_member_with_default (c, "id", ""),
           json_object_get_string_member_with_default (c, "summary", ""),
           json_object_get_string_member_with_default (c, "accessRole", ""),
           flags->str);
}

static int
google_calendars (OknoGoogleAuth *auth,
                  GMainLoop      *loop)
{
  g_autoptr(JsonArray) calendars = NULL;
  g_autoptr(GError) error = NULL;

  if (!load (auth, loop, &error))
    return fail (error->message);
  if (!okno_google_auth_is_connected (auth))
    return fail (_("Okno is not connected to Google: run “okno-server google connect” first"));
  if (!(calendars = fetch_calendars (auth, loop, &error)))
    return fail (error->message);

  for (guint i = 0; i < json_array_get_length (calendars); i++)
    print_calendar (json_array_get_object_element (calendars, i));
  return EXIT_SUCCESS;
}

/* Changes that have not reached Google yet: the outbox's calendar items
 * and the local calendar's copies queued by connect. */
static guint
count_pending (OknoProfile *instance)
{
  g_autoptr(GPtrArray) items = okno_ledger_dup_outbox (okno_profile_get_ledger (instance));
  guint n = 0;

  for (guint i = 0; i < items->len; i++)
    {
      const char *kind = json_object_get_string_member_with_default (g_ptr_array_index (items, i), "kind", "");

      if (g_str_equal (kind, "calendar") || g_str_equal (kind, "google-copy"))
        n++;
    }
  return n;
}

/* The slot calendar's sync as the last run left it (the cache). */
static void
print_sync (OknoProfile    *instance,
            OknoGoogleAuth *auth)
{
  OknoCalendar *calendar = okno_schedule_get_calendar (okno_profile_get_schedule (instance));
  GDateTime *last = okno_calendar_get_last_sync (calendar);
  g_autofree char *when = last ? okno_time_format_rfc3339 (last, NULL) : NULL;

  if (okno_google_auth_needs_reconnect (auth))
    g_print (_("Sync: reconnect (Google refused the sign-in: run “okno-server google connect”)\n"));
  else if (!OKNO_IS_GOOGLE_CALENDAR (calendar))
    g_print (_("Sync: not used for the slots (setting “calendar-backend” is local)\n"));
  else if (when != NULL)
    g_print (_("Sync: synced, last sync %s\n"), when);
  else
    g_print (_("Sync: not synced yet\n"));
  g_print (_("Pending changes: %u\n"), count_pending (instance));
}

static int
google_status (OknoProfile    *instance,
               OknoGoogleAuth *auth,
               GMainLoop      *loop)
{
  g_autoptr(JsonArray) calendars = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) off = NULL;

  if (!load (auth, loop, &error))
    return fail (error->message);

  if (!okno_google_auth_is_connected (auth))
    {
      g_print (_("Google: not connected\n"));
      return EXIT_SUCCESS;
    }

  g_print (_("Google: connected as %s\n"),
           okno_google_auth_get_account (auth) ? okno_google_auth_get_account (auth) : _("(unknown account)"));
  g_print (_("Granted: %s\n"), okno_google_auth_get_granted_scopes (auth));
  off = okno_google_auth_describe_missing (auth);
  for (guint i = 0; off[i]; i++)
    g_print (_("Off: %s\n"), off[i]);

  if (okno_google_auth_has_scope (auth, OKNO_GOOGLE_SCOPE_READONLY) &&
      (calendars = fetch_calendars (auth, loop, &error)))
    {
      g_print (_("Calendars:\n"));
      for (guint i = 0; i < json_array_get_length (calendars); i++)
        {
          g_print ("  ");
          print_calendar (json_array_get_object_element (calendars, i));
        }
    }
  else if (error)
    g_print (_("Calendars: unavailable (%s)\n"), error->message);

  print_sync (instance, auth);
  return EXIT_SUCCESS;
}

int
okno_cli_google (OknoProfile   *instance,
                 char         **args)
{
  const char *data_dir = okno_profile_get_data_dir (instance);
  g_autoptr(OknoGoogleAuth) auth = NULL;
  g_autoptr(GMainLoop) loop = NULL;

  if (args[0] == NULL || args[1] != NULL)
    {
      g_printerr ("okno-server: %s (%s)\n", _("google needs connect, disconnect, status or calendars"),
                  _("see “okno-server --help”"));
      return EXIT_USAGE;
    }

  auth = okno_google_auth_new (data_dir);
  loop = g_main_loop_new (NULL, FALSE);

  if (g_str_equal (args[0], "connect"))
    return google_connect (instance, auth, loop);
  if (g_str_equal (args[0], "disconnect"))
    return google_disconnect (instance, auth, loop);
  if (g_str_equal (args[0], "status"))
    return google_status (instance, auth, loop);
  if (g_str_equal (args[0], "calendars"))
    return google_calendars (auth, loop);

  g_printerr ("okno-server: %s (%s)\n", _("google needs connect, disconnect, status or calendars"),
              _("see “okno-server --help”"));
  return EXIT_USAGE;
}
