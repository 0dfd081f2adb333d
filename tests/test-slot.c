/* test-slot.c: Olga's title convention.
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "okno-errors.h"
#include "okno-slot.h"
#include "okno-time.h"

#define SLOT "🔓 СЛОТ"
#define BOOKED "✅"

static OknoEvent *
make_event (const char *summary)
{
  g_autoptr(GDateTime) start = okno_time_parse_rfc3339 ("2026-11-25T14:30:00Z");
  g_autoptr(GDateTime) end = g_date_time_add_minutes (start, 40);

  return okno_event_new ("abcde12345", summary, start, end);
}

static void
test_classify (void)
{
  struct {
    const char    *summary;
    OknoEventKind  kind;
  } cases[] = {
    { "🔓 СЛОТ: Включить в дело (40 мин)", OKNO_EVENT_KIND_SLOT },
    { "🔓 СЛОТ", OKNO_EVENT_KIND_SLOT },
    { "Практика 🔓 СЛОТ", OKNO_EVENT_KIND_SLOT },
    { "✅ Анна — Включить в дело (40 мин)", OKNO_EVENT_KIND_BOOKED },
    { "  ✅ Анна — Сессия", OKNO_EVENT_KIND_BOOKED },
    { "✅ done shopping", OKNO_EVENT_KIND_BUSY },
    { "Стоматолог", OKNO_EVENT_KIND_BUSY },
    { "", OKNO_EVENT_KIND_BUSY },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(OknoEvent) event = make_event (cases[i].summary);
      g_assert_cmpint (okno_event_classify (event, SLOT, BOOKED), ==, cases[i].kind);
    }
}

static void
test_transparent_and_cancelled (void)
{
  g_autoptr(OknoEvent) free_event = make_event ("Работа из дома");
  g_autoptr(OknoEvent) cancelled = make_event ("🔓 СЛОТ");

  okno_event_set_transparent (free_event, TRUE);
  okno_event_set_cancelled (cancelled, TRUE);

  g_assert_cmpint (okno_event_classify (free_event, SLOT, BOOKED), ==, OKNO_EVENT_KIND_FREE);
  g_assert_cmpint (okno_event_classify (cancelled, SLOT, BOOKED), ==, OKNO_EVENT_KIND_FREE);
}

static void
test_private_property (void)
{
  g_autoptr(OknoEvent) renamed = make_event ("Сессия");
  g_autoptr(OknoEvent) booked = make_event ("✅ Анна");
  g_autoptr(OknoSlot) slot = NULL;

  okno_event_set_private (renamed, OKNO_PROP_KIND, OKNO_PROP_KIND_SLOT);
  okno_event_set_private (booked, OKNO_PROP_KIND, OKNO_PROP_KIND_SLOT);
  okno_event_set_private (booked, OKNO_PROP_SLOT_TITLE, "🔓 СЛОТ: Разбор");

  g_assert_cmpint (okno_event_classify (renamed, SLOT, BOOKED), ==, OKNO_EVENT_KIND_SLOT);
  g_assert_cmpint (okno_event_classify (booked, SLOT, BOOKED), ==, OKNO_EVENT_KIND_BOOKED);

  slot = okno_slot_new_from_event (booked, SLOT, BOOKED);
  g_assert_cmpstr (okno_slot_get_client_name (slot), ==, "Анна");
  g_assert_cmpstr (okno_slot_get_session_type (slot), ==, "Разбор");
}

static void
test_slot_fields (void)
{
  g_autoptr(OknoEvent) open = make_event ("🔓 СЛОТ: Включить в дело (40 мин)");
  g_autoptr(OknoEvent) booked = make_event ("✅ Анна Петрова — Включить в дело (40 мин)");
  g_autoptr(OknoEvent) busy = make_event ("Стоматолог");
  g_autoptr(OknoSlot) a = okno_slot_new_from_event (open, SLOT, BOOKED);
  g_autoptr(OknoSlot) b = okno_slot_new_from_event (booked, SLOT, BOOKED);

  g_assert_null (okno_slot_new_from_event (busy, SLOT, BOOKED));

  g_assert_false (okno_slot_is_booked (a));
  g_assert_cmpstr (okno_slot_get_session_type (a), ==, "Включить в дело (40 мин)");
  g_assert_cmpuint (okno_slot_get_minutes (a), ==, 40);
  g_assert_cmpstr (okno_slot_get_id (a), ==, "abcde12345");

  g_assert_true (okno_slot_is_booked (b));
  g_assert_cmpstr (okno_slot_get_client_name (b), ==, "Анна Петрова");
  g_assert_cmpstr (okno_slot_get_session_type (b), ==, "Включить в дело (40 мин)");
}

static void
test_titles_round_trip (void)
{
  g_autofree char *open = okno_slot_title_new (SLOT, "Разбор");
  g_autofree char *bare = okno_slot_title_new (SLOT, NULL);
  g_autofree char *booked = okno_booked_title_new (BOOKED, "Анна", "Разбор");
  g_autoptr(OknoEvent) event = make_event (booked);
  g_autoptr(OknoSlot) slot = okno_slot_new_from_event (event, SLOT, BOOKED);

  g_assert_cmpstr (open, ==, "🔓 СЛОТ: Разбор");
  g_assert_cmpstr (bare, ==, "🔓 СЛОТ");
  g_assert_cmpstr (booked, ==, "✅ Анна — Разбор");
  g_assert_cmpstr (okno_slot_get_client_name (slot), ==, "Анна");
  g_assert_cmpstr (okno_slot_get_session_type (slot), ==, "Разбор");
}

static void
test_custom_markers (void)
{
  g_autoptr(OknoEvent) event = make_event ("[free] Coaching");
  g_autoptr(OknoSlot) slot = okno_slot_new_from_event (event, "[free]", "[x]");

  g_assert_cmpint (okno_event_classify (event, SLOT, BOOKED), ==, OKNO_EVENT_KIND_BUSY);
  g_assert_nonnull (slot);
  g_assert_cmpstr (okno_slot_get_session_type (slot), ==, "Coaching");
}

static void
test_event_json_round_trip (void)
{
  const char *json = "{\"kind\":\"calendar#event\",\"id\":\"e1xyz\",\"etag\":\"\\\"3\\\"\","
                     "\"status\":\"confirmed\",\"summary\":\"🔓 СЛОТ\",\"transparency\":\"transparent\","
                     "\"start\":{\"dateTime\":\"2026-11-25T17:30:00+03:00\",\"timeZone\":\"Europe/Moscow\"},"
                     "\"end\":{\"dateTime\":\"2026-11-25T18:10:00+03:00\"},"
                     "\"extendedProperties\":{\"private\":{\"okno\":\"slot\",\"n\":1}}}";
  g_autoptr(JsonNode) node = json_from_string (json, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(OknoEvent) event = okno_event_new_from_json (json_node_get_object (node), &error);
  g_autoptr(JsonObject) back = NULL;
  g_autoptr(OknoEvent) again = NULL;
  g_autoptr(JsonNode) all_day_node = json_from_string ("{\"id\":\"ad1\",\"start\":{\"date\":\"2026-11-25\"},"
                                                       "\"end\":{\"date\":\"2026-11-26\"}}", NULL);
  g_autoptr(OknoEvent) all_day = NULL;
  g_autoptr(JsonNode) bad_node = json_from_string ("{\"id\":\"bad1\",\"start\":{\"dateTime\":\"soon\"},"
                                                   "\"end\":{\"dateTime\":\"2026-11-26T00:00:00Z\"}}", NULL);

  g_assert_no_error (error);
  g_assert_cmpstr (okno_event_get_etag (event), ==, "\"3\"");
  g_assert_true (okno_event_is_transparent (event));
  g_assert_cmpstr (okno_event_get_private (event, "okno"), ==, "slot");
  g_assert_null (okno_event_get_private (event, "n"));

  back = okno_event_to_json (event);
  again = okno_event_new_from_json (back, &error);
  g_assert_no_error (error);
  g_assert_true (g_date_time_equal (okno_event_get_start (event), okno_event_get_start (again)));
  g_assert_cmpstr (okno_event_get_summary (again), ==, "🔓 СЛОТ");

  all_day = okno_event_new_from_json (json_node_get_object (all_day_node), &error);
  g_assert_no_error (error);
  g_assert_true (okno_event_is_all_day (all_day));

  g_assert_null (okno_event_new_from_json (json_node_get_object (bad_node), &error));
  g_assert_error (error, OKNO_CALENDAR_ERROR, OKNO_CALENDAR_ERROR_INVALID);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/okno/slot/classify", test_classify);
  g_test_add_func ("/okno/slot/transparent-and-cancelled", test_transparent_and_cancelled);
  g_test_add_func ("/okno/slot/private-property", test_private_property);
  g_test_add_func ("/okno/slot/fields", test_slot_fields);
  g_test_add_func ("/okno/slot/titles-round-trip", test_titles_round_trip);
  g_test_add_func ("/okno/slot/custom-markers", test_custom_markers);
  g_test_add_func ("/okno/slot/event-json-round-trip", test_event_json_round_trip);

  return g_test_run ();
}
