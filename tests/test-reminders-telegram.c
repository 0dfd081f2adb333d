/* test-reminders-telegram.c: Olga's morning agenda reaches her Telegram
 * (tests/fake-telegram) through the profile, once, with the client's name
 * shown literally; agenda-hour set as `okno-server settings set` sets it.
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "okno-test-http.h"
#include "okno-test-utils.h"
#include "okno-time.h"

typedef TelegramFixture TgFixture;

static void
set_up (TgFixture     *f,
        gconstpointer  data)
{
  okno_test_telegram_set_up (f, FAKE_TELEGRAM);
}

static void
tear_down (TgFixture     *f,
           gconstpointer  data)
{
  okno_time_set_now_for_testing (NULL);
  okno_test_telegram_tear_down (f);
}

static JsonArray *
sent_messages (TgFixture  *f,
               JsonNode  **keep)
{
  g_autofree char *url = g_strconcat (f->base, "/control/log", NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr(GBytes) body = soup_session_send_and_read (f->control, msg, NULL, NULL);

  *keep = json_from_string (g_bytes_get_data (body, NULL), NULL);
  return json_node_get_array (*keep);
}

/* Until Telegram's outbox items are all sent and the ledger is quiet. */
static void
settle (TgFixture *f,
        guint      want_messages)
{
  OknoOutbox *outbox = okno_profile_get_outbox (f->http.instance);
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  for (;;)
    {
      g_autoptr(JsonNode) keep = NULL;

      while (g_main_context_iteration (NULL, FALSE))
        ;
      okno_test_drain (okno_profile_get_ledger (f->http.instance));
      if (okno_outbox_get_pending (outbox, "telegram") == 0 && okno_outbox_get_busy (outbox, "telegram") == 0 &&
          json_array_get_length (sent_messages (f, &keep)) >= want_messages)
        break;
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (2000);
    }
}

static guint
count_agendas (JsonArray   *log,
               const char **text)
{
  guint n = 0;

  for (guint i = 0; i < json_array_get_length (log); i++)
    {
      const char *t = json_object_get_string_member (json_array_get_object_element (log, i), "text");

      if (g_str_has_prefix (t, "Today, "))
        {
          n++;
          *text = t;
        }
    }
  return n;
}

static void
test_agenda_reaches_telegram_once (TgFixture     *f,
                                   gconstpointer  data)
{
  GSettings *settings = okno_profile_get_settings (f->http.instance);
  OknoLedger *ledger = okno_profile_get_ledger (f->http.instance);
  g_autofree char *body = g_strdup_printf ("{\"slotId\":\"%s\",\"name\":\"<b>Анна</b> & <script>\","
                                           "\"phone\":\"+7 999 123-45-67\"}",
                                           okno_event_get_id (f->http.slot));
  g_autoptr(Response) booked = okno_test_http_request (&f->http, "POST", "/api/book", body);
  g_autoptr(GDateTime) start = NULL;
  g_autoptr(GDateTime) local = NULL;
  g_autoptr(GDateTime) midnight = NULL;
  g_autoptr(GDateTime) fake_now = NULL;
  g_autoptr(GTimeZone) zone = g_time_zone_new_local ();
  g_autoptr(JsonNode) keep = NULL;
  g_autofree char *key = NULL;
  g_autofree char *date = NULL;
  const char *text = NULL;
  OknoBooking *booking;

  g_assert_cmpuint (booked->status, ==, 201);
  settle (f, 1);
  booking = okno_ledger_lookup_active_for_slot (ledger, okno_event_get_id (f->http.slot));
  g_assert_nonnull (booking);

  /* Just after midnight on the session's day, with the agenda at 00:00:
   * the session is ahead, so the day's agenda goes at once. */
  start = g_date_time_ref (okno_booking_get_start (booking));
  local = g_date_time_to_timezone (start, zone);
  midnight = g_date_time_new (zone, g_date_time_get_year (local), g_date_time_get_month (local),
                              g_date_time_get_day_of_month (local), 0, 0, 0);
  fake_now = g_date_time_add_seconds (midnight, 1);
  if (g_date_time_compare (fake_now, start) >= 0)
    {
      g_test_skip ("the slot starts at midnight");
      return;
    }
  okno_time_set_now_for_testing (fake_now);
  date = g_date_time_format (local, "%Y-%m-%d");
  key = g_strconcat ("agenda:", date, NULL);

  g_assert_true (g_settings_set_string (settings, "agenda-hour", "0"));
  settle (f, 2);
  g_assert_true (okno_ledger_was_enqueued (ledger, key));
  g_assert_cmpuint (count_agendas (sent_messages (f, &keep), &text), ==, 1);
  g_test_message ("%s", text);
  /* The fake keeps the text as Telegram shows it: the tags as typed. */
  g_assert_nonnull (strstr (text, "<b>Анна</b> & <script>"));

  /* Changed and changed back, an hour on: still once. */
  {
    g_autoptr(GDateTime) later = g_date_time_add_hours (fake_now, 1);
    g_autoptr(JsonNode) again = NULL;

    okno_time_set_now_for_testing (later);
    g_assert_true (g_settings_set_string (settings, "agenda-hour", ""));
    settle (f, 2);
    g_assert_true (g_settings_set_string (settings, "agenda-hour", "0"));
    settle (f, 2);
    g_assert_cmpuint (count_agendas (sent_messages (f, &again), &text), ==, 1);
  }

}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/okno/reminders-telegram/agenda-reaches-telegram-once", TgFixture, NULL,
              set_up, test_agenda_reaches_telegram_once, tear_down);

  return g_test_run ();
}
