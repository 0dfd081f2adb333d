/* test-preferences.c: Preferences refuse what is not a setting's value.
 * Under Xvfb.
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>

#include "okno-preferences-window.h"
#include "okno-settings.h"
#include "okno-test-ui.h"
#include "okno-test-utils.h"
#include "okno-zone-row.h"

typedef struct
{
  char                  *dir;
  GSettings             *settings;
  OknoPreferencesWindow *window;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = okno_test_make_dir ();
  f->settings = okno_settings_new (f->dir, &error);
  g_assert_no_error (error);
  f->window = okno_preferences_window_new (f->settings);
  gtk_window_present (GTK_WINDOW (f->window));
  okno_test_iterate_until (okno_test_is_shown, f->window, 5000);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (f->window));
  g_clear_object (&f->settings);
  okno_test_remove_dir (f->dir);
  g_free (f->dir);
}

/* The time zone is chosen from the IANA list: «Moscow» is refused and
 * nothing is saved; Europe/Moscow is saved. */
static void
test_zone_refuses_unknown (Fixture       *f,
                           gconstpointer  data)
{
  OknoZoneRow *row = OKNO_ZONE_ROW (okno_preferences_window_get_zone_row (f->window));
  g_autofree char *zone = NULL;
  g_autoptr(GPtrArray) drop_downs = g_ptr_array_new ();

  g_assert_true (okno_zone_is_known ("Europe/Moscow"));
  g_assert_true (okno_zone_is_known ("Asia/Vladivostok"));
  g_assert_true (okno_zone_is_known ("UTC"));
  g_assert_false (okno_zone_is_known ("Moscow"));
  g_assert_false (okno_zone_is_known ("Europe/Atlantis"));
  g_assert_cmpuint (g_strv_length ((char **) okno_zone_row_get_zones ()), >, 200);

  g_assert_false (okno_zone_row_set_zone (row, "Moscow"));
  zone = g_settings_get_string (f->settings, "time-zone");
  g_assert_cmpstr (zone, ==, "");

  g_assert_true (okno_zone_row_set_zone (row, "Asia/Vladivostok"));
  g_clear_pointer (&zone, g_free);
  zone = g_settings_get_string (f->settings, "time-zone");
  g_assert_cmpstr (zone, ==, "Asia/Vladivostok");

  /* The list shows the choice, and choosing in it saves. */
  okno_test_collect (GTK_WIDGET (row), GTK_TYPE_DROP_DOWN, drop_downs);
  g_assert_cmpuint (drop_downs->len, ==, 1);
  {
    GtkDropDown *drop_down = g_ptr_array_index (drop_downs, 0);
    GtkStringObject *item = gtk_drop_down_get_selected_item (drop_down);

    g_assert_nonnull (strstr (gtk_string_object_get_string (item), "Asia/Vladivostok"));
    g_test_message ("The zone is shown as «%s»", gtk_string_object_get_string (item));
    gtk_drop_down_set_selected (drop_down, 0);
    g_clear_pointer (&zone, g_free);
    zone = g_settings_get_string (f->settings, "time-zone");
    g_assert_cmpstr (zone, ==, "");
  }

  g_assert_false (okno_zone_row_set_zone (row, "Europe/Moscow; rm -rf"));
  g_clear_pointer (&zone, g_free);
  zone = g_settings_get_string (f->settings, "time-zone");
  g_assert_cmpstr (zone, ==, "");
}

/* «Websites allowed to embed the page» takes origins only, and the
 * setting keeps 'self' without showing it. */
static void
test_sites_are_origins (Fixture       *f,
                        gconstpointer  data)
{
  struct { const char *text, *value; } cases[] = {
    { "https://olgarozet.ru", "'self' https://olgarozet.ru" },
    { " https://olgarozet.ru/  http://localhost:8080 ", "'self' https://olgarozet.ru http://localhost:8080" },
    { "https://olgarozet.ru, https://www.olgarozet.ru", "'self' https://olgarozet.ru https://www.olgarozet.ru" },
    { "", "'self'" },
    { "olgarozet.ru", NULL },
    { "https://olgarozet.ru/booking", NULL },
    { "javascript:alert(1)", NULL },
    { "https://user@olgarozet.ru", NULL },
    { "https://olga'rozet.ru", NULL },
    { "'none'", NULL },
  };
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  AdwEntryRow *sites = NULL;
  g_autofree char *value = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *got = okno_preferences_parse_sites (cases[i].text);
      g_assert_cmpstr (got, ==, cases[i].value);
    }

  okno_test_collect (GTK_WIDGET (f->window), ADW_TYPE_ENTRY_ROW, rows);
  for (guint i = 0; i < rows->len; i++)
    if (g_str_has_prefix (adw_preferences_row_get_title (g_ptr_array_index (rows, i)), "Websites allowed"))
      sites = g_ptr_array_index (rows, i);
  g_assert_nonnull (sites);

  /* The default 'self' is not shown. */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (sites)), ==, "");

  gtk_editable_set_text (GTK_EDITABLE (sites), "olgarozet.ru");
  g_signal_emit_by_name (sites, "apply");
  value = g_settings_get_string (f->settings, "frame-ancestors");
  g_assert_cmpstr (value, ==, "'self'");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (sites), "error"));

  gtk_editable_set_text (GTK_EDITABLE (sites), "https://olgarozet.ru");
  g_signal_emit_by_name (sites, "apply");
  g_clear_pointer (&value, g_free);
  value = g_settings_get_string (f->settings, "frame-ancestors");
  g_assert_cmpstr (value, ==, "'self' https://olgarozet.ru");
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (sites), "error"));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (sites)), ==, "https://olgarozet.ru");
}

/* The port row says where the page is served. */
static void
test_port_row (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  gboolean found = FALSE;

  okno_preferences_window_set_served_port (f->window, 40123);
  okno_test_collect (GTK_WIDGET (f->window), ADW_TYPE_ACTION_ROW, rows);
  for (guint i = 0; i < rows->len; i++)
    {
      const char *subtitle = adw_action_row_get_subtitle (g_ptr_array_index (rows, i));

      if (subtitle != NULL && strstr (subtitle, "40123") != NULL)
        found = TRUE;
    }
  g_assert_true (found);
  okno_test_save_screenshot (GTK_WIDGET (f->window), "preferences-booking.png");
}

static AdwPreferencesRow *
find_row (GtkWidget  *page,
          GType       type,
          const char *title_prefix)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();

  okno_test_collect (page, type, rows);
  for (guint i = 0; i < rows->len; i++)
    if (g_str_has_prefix (adw_preferences_row_get_title (g_ptr_array_index (rows, i)), title_prefix))
      return g_ptr_array_index (rows, i);
  return NULL;
}

/* Preferences have a «Booking rules» page (issue 13.7) with every rule of
 * the client's journey: each row writes its setting (the one okno-server
 * reads) and follows it when it changes elsewhere. */
static void
test_booking_rules_page (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GPtrArray) pages = g_ptr_array_new ();
  GtkWidget *rules = NULL;
  struct { const char *title, *key; guint value; } spins[] = {
    { "Cancellation policy", "min-cancel-hours", 48 },
    { "Break between sessions", "buffer-minutes", 15 },
    { "Sessions per day", "max-sessions-per-day", 4 },
    { "Upcoming sessions per client", "max-active-per-client", 2 },
  };
  struct { const char *title, *key, *value; } entries[] = {
    { "Payment link", "payment-url", "https://pay.example/?order={booking}&name={name}" },
    { "Payment note", "payment-note", "3000 ₽ after the session" },
  };

  okno_test_collect (GTK_WIDGET (f->window), ADW_TYPE_PREFERENCES_PAGE, pages);
  for (guint i = 0; i < pages->len; i++)
    if (g_strcmp0 (adw_preferences_page_get_title (g_ptr_array_index (pages, i)), "Booking rules") == 0)
      rules = g_ptr_array_index (pages, i);
  g_assert_nonnull (rules);

  for (guint i = 0; i < G_N_ELEMENTS (spins); i++)
    {
      AdwPreferencesRow *row = find_row (rules, ADW_TYPE_ACTION_ROW, spins[i].title);
      GtkWidget *spin;

      g_test_message ("%s (%s)", spins[i].title, spins[i].key);
      g_assert_nonnull (row);
      spin = adw_action_row_get_activatable_widget (ADW_ACTION_ROW (row));
      g_assert_true (GTK_IS_SPIN_BUTTON (spin));
      g_assert_cmpuint (g_settings_get_uint (f->settings, spins[i].key), !=, spins[i].value);
      gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), spins[i].value);
      g_assert_cmpuint (g_settings_get_uint (f->settings, spins[i].key), ==, spins[i].value);
      g_settings_set_uint (f->settings, spins[i].key, 0);
      g_assert_cmpint (gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (spin)), ==, 0);
    }

  for (guint i = 0; i < G_N_ELEMENTS (entries); i++)
    {
      AdwPreferencesRow *row = find_row (rules, ADW_TYPE_ENTRY_ROW, entries[i].title);
      g_autofree char *value = NULL;

      g_test_message ("%s (%s)", entries[i].title, entries[i].key);
      g_assert_nonnull (row);
      gtk_editable_set_text (GTK_EDITABLE (row), entries[i].value);
      g_signal_emit_by_name (row, "apply");
      value = g_settings_get_string (f->settings, entries[i].key);
      g_assert_cmpstr (value, ==, entries[i].value);
      g_settings_set_string (f->settings, entries[i].key, "");
      g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (row)), ==, "");
    }

  adw_preferences_window_set_visible_page (ADW_PREFERENCES_WINDOW (f->window), ADW_PREFERENCES_PAGE (rules));
  okno_test_save_screenshot (GTK_WIDGET (f->window), "preferences-booking-rules.png");
}

int
main (int   argc,
      char *argv[])
{
  /* A scratch folder that tests/run-ui-test.sh removes. */
  okno_test_ui_profile ("[okno]\n");

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add ("/okno/preferences/zone-refuses-unknown", Fixture, NULL, fixture_set_up,
              test_zone_refuses_unknown, fixture_tear_down);
  g_test_add ("/okno/preferences/sites-are-origins", Fixture, NULL, fixture_set_up,
              test_sites_are_origins, fixture_tear_down);
  g_test_add ("/okno/preferences/port-row", Fixture, NULL, fixture_set_up,
              test_port_row, fixture_tear_down);
  g_test_add ("/okno/preferences/booking-rules-page", Fixture, NULL, fixture_set_up,
              test_booking_rules_page, fixture_tear_down);

  return g_test_run ();
}
