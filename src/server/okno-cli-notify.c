/* okno-cli-notify.c: okno-server's commands for the notification channels
 * and the Cal.com watch: `secret set|clear NAME`.
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "OknoCli"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "okno-cli-notify.h"
#include "okno-google-auth.h"
#include "okno-secrets.h"
#include "okno-telegram.h"

#define EXIT_USAGE 2
#define MAX_SECRET_BYTES 4096

static int
usage (const char *message)
{
  g_printerr ("okno-server: %s (%s)\n", message, _("see “okno-server --help”"));
  return EXIT_USAGE;
}

/* The value comes from stdin, never argv (which every user of the machine
 * can read in ps): piped, or typed without echo at a terminal. */
static char *
read_secret (const char *name)
{
  struct termios saved, quiet;
  gboolean tty = isatty (STDIN_FILENO);
  g_autoptr(GString) value = g_string_new (NULL);
  int c;

  if (tty)
    {
      /* Translators: %s is telegram-bot-token or calcom-api-key */
      g_printerr (_("Paste the %s and press Enter: "), name);
      if (tcgetattr (STDIN_FILENO, &saved) == 0)
        {
          quiet = saved;
          quiet.c_lflag &= ~(tcflag_t) ECHO;
          tcsetattr (STDIN_FILENO, TCSAFLUSH, &quiet);
        }
      else
        tty = FALSE;
    }

  while ((c = getchar ()) != EOF && value->len <= MAX_SECRET_BYTES)
    {
      if (tty && c == '\n')
        break;
      g_string_append_c (value, (char) c);
    }

  if (tty)
    {
      tcsetattr (STDIN_FILENO, TCSAFLUSH, &saved);
      g_printerr ("\n");
    }

  if (value->len > MAX_SECRET_BYTES)
    return NULL;
  g_strstrip (value->str);
  return g_strdup (value->str);
}

static gboolean
is_plain (const char *value)
{
  if (value[0] == '\0' || !g_utf8_validate (value, -1, NULL))
    return FALSE;
  for (const char *p = value; *p; p++)
    if ((guchar) *p <= 0x20 || *p == 0x7f)
      return FALSE;
  return TRUE;
}

const char *
okno_cli_notify_describe_commands (void)
{
  return _("Keys for notifications and the Cal.com watch (kept in the keyring):\n"
           "  secret set NAME      save telegram-bot-token or calcom-api-key, read from stdin\n"
           "  secret clear NAME    forget it\n"
           "  notify test          send a test message on every channel; one line each: sent, or why not");
}

typedef struct
{
  GMainLoop *loop;
  gboolean   sent;
  GError    *error;
} Sending;

static void
test_sent_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Sending *sending = user_data;

  sending->sent = okno_telegram_send_finish (OKNO_TELEGRAM (object), result, NULL, &sending->error) != 0;
  g_main_loop_quit (sending->loop);
}

static void
auth_loaded_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  Sending *sending = user_data;

  sending->sent = okno_google_auth_load_finish (OKNO_GOOGLE_AUTH (object), result, &sending->error);
  g_main_loop_quit (sending->loop);
}

/* The folder's Google account from the keyring, so that email is on when
 * it may be (nothing to do with OKNO_KEYRING=none). FALSE and @error when
 * the keyring could not be read. */
static gboolean
load_google_account (OknoProfile  *profile,
                     GError      **error)
{
  Sending loading = { NULL, FALSE, NULL };
  g_autoptr(OknoGoogleAuth) auth = NULL;

  if (g_strcmp0 (g_getenv ("OKNO_KEYRING"), "none") == 0)
    return TRUE;

  auth = okno_google_auth_new (okno_profile_get_data_dir (profile));
  loading.loop = g_main_loop_new (NULL, FALSE);
  okno_google_auth_load_async (auth, NULL, auth_loaded_cb, &loading);
  g_main_loop_run (loading.loop);
  g_main_loop_unref (loading.loop);
  if (loading.sent)
    okno_profile_use_google_account (profile, auth);
  else
    g_propagate_error (error, loading.error);
  return loading.sent;
}

/**
 * okno_cli_use_email:
 *
 * Olga's own changes made from the command line (a cancel, a move) are
 * written with the client's email when Okno can send email, as the
 * window's are: the items wait in the journal for the next okno-server or
 * okno run. Without a readable keyring they are written without it.
 */
void
okno_cli_use_email (OknoProfile *profile)
{
  g_autoptr(GError) error = NULL;

  if (!load_google_account (profile, &error))
    g_debug ("No Google account for email: %s", error->message);
}

typedef struct
{
  GMainLoop  *loop;
  OknoOutbox *outbox;
  gint64      deadline;
} Draining;

static gboolean
email_busy (OknoOutbox *outbox)
{
  return okno_outbox_get_busy (outbox, OKNO_NOTIFY_KIND_EMAIL) > 0 ||
         okno_outbox_get_busy (outbox, OKNO_NOTIFY_KIND_CLIENT_EMAIL) > 0;
}

static gboolean
drain_tick_cb (gpointer user_data)
{
  Draining *draining = user_data;

  if (email_busy (draining->outbox) && g_get_monotonic_time () < draining->deadline)
    return G_SOURCE_CONTINUE;
  g_main_loop_quit (draining->loop);
  return G_SOURCE_REMOVE;
}

/**
 * okno_cli_send_email:
 *
 * After okno_cli_use_email() and the change: lets the email items the
 * change wrote go out now, and waits (20 s at most) until none is under
 * way, so that the command never ends between Gmail's answer and the
 * item's "done". What is left (Gmail unreachable) goes with the next run.
 */
void
okno_cli_send_email (OknoProfile *profile)
{
  Draining draining = { NULL, okno_profile_get_outbox (profile),
                        g_get_monotonic_time () + 20 * G_USEC_PER_SEC };

  if (email_busy (draining.outbox))
    {
      draining.loop = g_main_loop_new (NULL, FALSE);
      g_timeout_add (50, drain_tick_cb, &draining);
      g_main_loop_run (draining.loop);
      g_main_loop_unref (draining.loop);
    }
  okno_profile_flush (profile);
}

static void
mail_sent_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Sending *sending = user_data;
  g_autofree char *id = okno_gmail_send_finish (OKNO_GMAIL (object), result, NULL, &sending->error);

  sending->sent = id != NULL;
  g_main_loop_quit (sending->loop);
}

/* The email line: a test message to Olga through Gmail, or why not (no
 * Google account, no permission to send). FALSE when sending failed. */
static gboolean
test_email (OknoProfile *profile)
{
  Sending sending = { g_main_loop_new (NULL, FALSE), FALSE, NULL };
  g_autoptr(GBytes) mime = NULL;
  OknoEmailSink *sink;
  gboolean ok = TRUE;

  load_google_account (profile, &sending.error);

  sink = okno_profile_get_email_sink (profile);
  if (sending.error != NULL)
    g_print ("email: %s: %s\n", _("not sent"), sending.error->message);
  else if (sink == NULL)
    g_print ("email: %s: %s\n", _("not sent"), okno_profile_get_email_problem (profile));
  else if (!(mime = okno_email_sink_compose_test (sink, &sending.error)))
    g_print ("email: %s: %s\n", _("not sent"), sending.error->message);
  else
    {
      okno_gmail_send_async (okno_email_sink_get_gmail (sink), mime, NULL, mail_sent_cb, &sending);
      g_main_loop_run (sending.loop);
      if (sending.sent)
        g_print ("email: %s\n", _("sent"));
      else
        {
          g_print ("email: %s: %s\n", _("not sent"), sending.error->message);
          ok = FALSE;
        }
    }
  g_clear_error (&sending.error);
  g_main_loop_unref (sending.loop);
  return ok;
}

/* `notify test`: each channel says sent, or why not. Exit status 1 when a
 * channel that is set up failed. */
int
okno_cli_notify_test (OknoProfile  *profile,
                      char        **args)
{
  OknoTelegram *telegram = okno_profile_get_telegram (profile);
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  int status = EXIT_SUCCESS;

  if (args[0] != NULL)
    return usage (_("notify test takes no arguments"));

  token = okno_secrets_lookup_sync (okno_profile_get_data_dir (profile), OKNO_SECRET_TELEGRAM_BOT_TOKEN, &error);
  if (error != NULL)
    g_print ("telegram: %s: %s\n", _("not sent"), error->message);
  else
    {
      okno_telegram_set_token (telegram, token);
      if (!okno_telegram_is_configured (telegram, &error))
        g_print ("telegram: %s: %s\n", _("not sent"), error->message);
      else
        {
          Sending sending = { g_main_loop_new (NULL, FALSE), FALSE, NULL };
          g_autofree char *html = okno_telegram_format_news (_("Okno test message"),
                                                             _("Telegram notifications work."));

          okno_telegram_send_async (telegram, html, NULL, test_sent_cb, &sending);
          g_main_loop_run (sending.loop);
          g_main_loop_unref (sending.loop);
          if (sending.sent)
            g_print ("telegram: %s\n", _("sent"));
          else
            {
              g_print ("telegram: %s: %s\n", _("not sent"), sending.error->message);
              status = EXIT_FAILURE;
            }
          g_clear_error (&sending.error);
        }
    }

  if (!test_email (profile))
    status = EXIT_FAILURE;
  g_print ("desktop: %s: %s\n", _("not sent"), _("okno-server has no desktop; the window (okno) shows desktop notifications"));
  return status;
}

int
okno_cli_secret_command (OknoProfile  *instance,
                         char         **args)
{
  const char *data_dir = okno_profile_get_data_dir (instance);
  g_autoptr(GError) error = NULL;

  if (args[0] == NULL || args[1] == NULL || !okno_secrets_is_known_name (args[1]))
    return usage (_("secret needs set NAME or clear NAME, NAME being telegram-bot-token or calcom-api-key"));

  if (g_str_equal (args[0], "set"))
    {
      g_autofree char *value = NULL;

      if (args[2] != NULL)
        return usage (_("secret set reads the value from stdin, never from the command line"));

      value = read_secret (args[1]);
      if (value == NULL || !is_plain (value))
        return usage (_("The value on stdin must be one word of at most 4096 bytes"));
      if (!okno_secrets_store_sync (data_dir, args[1], value, &error))
        {
          g_printerr ("okno-server: %s: %s\n", _("The keyring cannot store it"), error->message);
          return EXIT_FAILURE;
        }
      return EXIT_SUCCESS;
    }

  if (g_str_equal (args[0], "clear") && args[2] == NULL)
    {
      if (!okno_secrets_clear_sync (data_dir, args[1], &error))
        {
          g_printerr ("okno-server: %s: %s\n", _("The keyring cannot remove it"), error->message);
          return EXIT_FAILURE;
        }
      return EXIT_SUCCESS;
    }

  return usage (_("secret needs set NAME or clear NAME, NAME being telegram-bot-token or calcom-api-key"));
}
