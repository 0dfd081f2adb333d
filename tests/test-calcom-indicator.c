/* test-calcom-indicator.c: the header bar's Cal.com indicator follows the
 * fake Cal.com, and *Check Now* checks. Under Xvfb.
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <libsoup/soup.h>
#include <string.h>

#include "okno-calcom-indicator.h"
#include "okno-test-http.h"
#include "okno-test-ui.h"
#include "okno-test-profile.h"
#include "okno-test-utils.h"

typedef struct
{
  OknoCalcomMonitor *monitor;
  const char        *state;
} Wait;

static gboolean
reached (gpointer data)
{
  Wait *wait = data;

  return !okno_calcom_monitor_get_checking (wait->monitor) &&
         g_str_equal (okno_service_state_get_state (okno_calcom_monitor_get_state (wait->monitor)),
                      wait->state);
}

static gboolean
idle_monitor (gpointer data)
{
  return !okno_calcom_monitor_get_checking (data);
}

static void
set_mode (const char *root,
          const char *mode)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *url = g_strconcat (root, "/control/mode", NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", url);
  g_autoptr(GBytes) body = g_bytes_new (mode, strlen (mode));
  g_autoptr(GBytes) reply = NULL;

  soup_message_set_request_body_from_bytes (msg, "text/plain", body);
  reply = soup_session_send_and_read (session, msg, NULL, NULL);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
}

static GtkWidget *
find_button (GtkWidget *widget)
{
  g_autoptr(GPtrArray) buttons = g_ptr_array_new ();

  okno_test_collect (widget, GTK_TYPE_MENU_BUTTON, buttons);
  g_assert_cmpuint (buttons->len, ==, 1);
  return g_ptr_array_index (buttons, 0);
}

static void
test_indicator (void)
{
  g_autofree char *dir = okno_test_make_dir ();
  g_autoptr(OknoProfile) instance = okno_test_open_profile (dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) fake = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  g_autofree char *base = NULL;
  g_autofree char *root = NULL;
  OknoCalcomMonitor *monitor;
  GtkWidget *window;
  GtkWidget *indicator;
  GtkWidget *button;
  GtkPopover *popover;
  Wait wait;

  fake = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, FAKE_CALCOM, NULL);
  g_assert_no_error (error);
  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (fake));
  base = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, &error);
  g_assert_no_error (error);
  root = g_strndup (base, strlen (base) - strlen ("/v2"));

  monitor = okno_profile_get_calcom_monitor (instance);
  g_object_set (monitor, "base-url", base, "retry-seconds", 600, NULL);
  wait.monitor = monitor;

  window = gtk_window_new ();
  indicator = okno_calcom_indicator_new (instance);
  gtk_window_set_child (GTK_WINDOW (window), indicator);
  gtk_window_present (GTK_WINDOW (window));
  okno_test_iterate_until (okno_test_is_shown, window, 5000);
  button = find_button (indicator);

  /* Without a key there is nothing to say. */
  g_assert_false (gtk_widget_get_visible (indicator));

  okno_profile_start_watching (instance);   /* OKNO_KEYRING=none: no key */
  okno_calcom_monitor_set_api_key (monitor, "cal_live_okno_test");
  g_assert_true (gtk_widget_get_visible (indicator));
  wait.state = "up";
  okno_test_iterate_until (reached, &wait, 30000);
  g_assert_true (reached (&wait));
  g_assert_true (gtk_widget_has_css_class (button, "success"));
  g_assert_cmpstr (gtk_widget_get_tooltip_text (button), ==, "Cal.com works");

  /* Down: Check Now twice (one failure is not an outage). */
  set_mode (root, "down503");
  g_assert_true (gtk_widget_activate_action (indicator, "calcom.check", NULL));
  okno_test_iterate_until (idle_monitor, monitor, 30000);
  g_assert_true (gtk_widget_has_css_class (button, "success"));
  g_assert_true (gtk_widget_activate_action (indicator, "calcom.check", NULL));
  wait.state = "down";
  okno_test_iterate_until (reached, &wait, 30000);
  g_assert_true (reached (&wait));
  g_assert_true (gtk_widget_has_css_class (button, "error"));
  g_assert_false (gtk_widget_has_css_class (button, "success"));
  g_assert_cmpstr (gtk_widget_get_tooltip_text (button), ==, "Cal.com is down");

  /* The popover says why and since when. */
  gtk_menu_button_popup (GTK_MENU_BUTTON (button));
  popover = gtk_menu_button_get_popover (GTK_MENU_BUTTON (button));
  okno_test_iterate_until (okno_test_is_shown, popover, 5000);
  {
    g_autoptr(GPtrArray) labels = g_ptr_array_new ();
    gboolean found = FALSE;

    okno_test_collect (GTK_WIDGET (popover), GTK_TYPE_LABEL, labels);
    for (guint i = 0; i < labels->len; i++)
      if (strstr (gtk_label_get_text (g_ptr_array_index (labels, i)), "HTTP 503"))
        found = TRUE;
    g_assert_true (found);
  }
  okno_test_save_screenshot (GTK_WIDGET (popover), "calcom-down.png");
  gtk_popover_popdown (popover);

  set_mode (root, "unauthorized");
  g_assert_true (gtk_widget_activate_action (indicator, "calcom.check", NULL));
  wait.state = "unauthorized";
  okno_test_iterate_until (reached, &wait, 30000);
  g_assert_true (gtk_widget_has_css_class (button, "warning"));

  okno_calcom_monitor_set_api_key (monitor, NULL);
  g_assert_false (gtk_widget_get_visible (indicator));

  gtk_window_destroy (GTK_WINDOW (window));
  g_subprocess_send_signal (fake, SIGTERM);
  g_subprocess_wait (fake, NULL, NULL);
  okno_test_settle_profile (instance);
  g_clear_object (&instance);
  okno_test_remove_dir (dir);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/okno/calcom-indicator/follows-the-monitor", test_indicator);

  return g_test_run ();
}
