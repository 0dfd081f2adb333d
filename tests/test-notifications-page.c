/* test-notifications-page.c: Preferences → Notifications sets Telegram up
 * and *Send Test Message* reaches the fake Bot API. Under Xvfb.
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <libsoup/soup.h>
#include <string.h>

#include "okno-google-tokens.h"
#include "okno-notifications-page.h"
#include "okno-test-http.h"
#include "okno-test-ui.h"
#include "okno-test-profile.h"
#include "okno-test-utils.h"

static GtkWidget *
find_row (GtkWidget  *page,
          const char *title)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();

  okno_test_collect (page, ADW_TYPE_PREFERENCES_ROW, rows);
  for (guint i = 0; i < rows->len; i++)
    if (g_strcmp0 (adw_preferences_row_get_title (g_ptr_array_index (rows, i)), title) == 0)
      return g_ptr_array_index (rows, i);
  g_error ("No row “%s”", title);
  return NULL;
}

typedef struct
{
  GtkWidget  *row;
  const char *before;
} Changed;

static gboolean
subtitle_settled (gpointer data)
{
  Changed *changed = data;
  const char *now = adw_action_row_get_subtitle (ADW_ACTION_ROW (changed->row));

  return g_strcmp0 (now, changed->before) != 0 && g_strcmp0 (now, "Sending…") != 0;
}

static gboolean
says_saved (gpointer row)
{
  const char *subtitle = adw_action_row_get_subtitle (ADW_ACTION_ROW (row));

  return subtitle != NULL && strstr (subtitle, "saved") != NULL;
}

static char *
fake_log (const char *base)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *url = g_strconcat (base, "/control/log", NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr(GBytes) body = soup_session_send_and_read (session, msg, NULL, NULL);

  return g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
}

static void
press_test (GtkWidget *page,
            GtkWidget *test_row)
{
  Changed changed = { test_row, NULL };
  g_autofree char *before = g_strdup (adw_action_row_get_subtitle (ADW_ACTION_ROW (test_row)));

  changed.before = before;
  g_assert_true (gtk_widget_activate_action (page, "notifications.send-test", NULL));
  okno_test_iterate_until (subtitle_settled, &changed, 30000);
}

static void
test_set_up_telegram (void)
{
  g_autofree char *dir = okno_test_make_dir ();
  g_autoptr(OknoProfile) profile = okno_test_open_profile (dir);
  g_autoptr(GSubprocess) fake = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *base = NULL;
  g_autofree char *log = NULL;
  GtkWidget *window, *page, *token_row, *chat_row, *test_row, *token_state;
  GSettings *settings = okno_profile_get_settings (profile);

  fake = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, FAKE_TELEGRAM, NULL);
  g_assert_no_error (error);
  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (fake));
  base = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, &error);
  g_assert_no_error (error);
  g_object_set (okno_profile_get_telegram (profile), "base-url", base, NULL);

  window = adw_preferences_window_new ();
  page = okno_notifications_page_new (profile);
  adw_preferences_window_add (ADW_PREFERENCES_WINDOW (window), ADW_PREFERENCES_PAGE (page));
  adw_preferences_window_set_visible_page_name (ADW_PREFERENCES_WINDOW (window), "notifications");
  gtk_window_present (GTK_WINDOW (window));
  okno_test_iterate_until (okno_test_is_shown, window, 5000);

  token_row = find_row (page, "Bot token");
  token_state = find_row (page, "Token");
  chat_row = find_row (page, "Chat id");
  test_row = find_row (page, "Test message");
  g_assert_true (ADW_IS_PASSWORD_ENTRY_ROW (token_row));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (token_state)), "@BotFather"));
  g_assert_false (gtk_widget_get_sensitive (find_row (page, "Email through Gmail")));
  /* Off, and says why and where to fix it. */
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (find_row (page, "Email through Gmail"))),
                            "no Google account is connected: connect one in Preferences → Google Calendar"));
  {
    /* With an account that may send: on. */
    g_autoptr(OknoGoogleAuth) auth = okno_google_auth_new (dir);
    g_autoptr(OknoGoogleTokens) tokens = okno_google_tokens_new (auth);

    _okno_profile_set_email_account (profile, OKNO_TOKEN_PROVIDER (tokens), "olga.rozet@example.com");
    g_assert_true (gtk_widget_get_sensitive (find_row (page, "Email through Gmail")));
    g_assert_true (g_str_has_prefix (adw_action_row_get_subtitle (ADW_ACTION_ROW (find_row (page, "Email through Gmail"))), "On:"));
    _okno_profile_set_email_account (profile, NULL, NULL);
    g_assert_false (gtk_widget_get_sensitive (find_row (page, "Email through Gmail")));
  }

  /* Nothing set up yet: the test says what is missing. */
  press_test (page, test_row);
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (test_row)), "no bot token"));

  gtk_editable_set_text (GTK_EDITABLE (token_row), "123456:okno-test-token");
  g_signal_emit_by_name (token_row, "apply");
  gtk_editable_set_text (GTK_EDITABLE (chat_row), "424242");
  g_signal_emit_by_name (chat_row, "apply");
  g_assert_cmpstr (g_settings_get_string (settings, "telegram-chat-id"), ==, "424242");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (token_row)), ==, "");   /* not left on screen */
  okno_test_iterate_until (says_saved, token_state, 10000);
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (token_state)), "saved"));

  press_test (page, test_row);
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (test_row)), "Sent"));
  log = fake_log (base);
  g_assert_nonnull (strstr (log, "\"text\":\"Okno test message\\nTelegram notifications work.\""));
  okno_test_save_screenshot (window, "notifications.png");

  /* A chat the bot does not know: what to do, in the row. */
  gtk_editable_set_text (GTK_EDITABLE (chat_row), "777");
  g_signal_emit_by_name (chat_row, "apply");
  press_test (page, test_row);
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (test_row)), "press Start"));

  gtk_window_destroy (GTK_WINDOW (window));
  g_subprocess_send_signal (fake, SIGTERM);
  g_subprocess_wait (fake, NULL, NULL);
  okno_test_settle_profile (profile);
  g_clear_object (&profile);
  okno_test_remove_dir (dir);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/okno/notifications-page/set-up-telegram", test_set_up_telegram);

  return g_test_run ();
}
