/* test-session-type.c: session types, their setting and the seed.
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "okno-session-type.h"
#include "okno-settings.h"
#include "okno-test-calendar.h"
#include "okno-test-utils.h"

typedef struct
{
  char      *dir;
  GSettings *settings;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = okno_test_make_dir ();
  f->settings = okno_settings_new (f->dir, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_assert_finalize_object (f->settings);
  okno_test_remove_dir (f->dir);
  g_free (f->dir);
}

static OknoSlot *
make_slot (const char *summary,
           int         minutes)
{
  g_autoptr(GDateTime) start = okno_test_time ("2026-11-25T14:30:00Z");
  g_autoptr(GDateTime) end = g_date_time_add_minutes (start, minutes);
  g_autoptr(OknoEvent) event = okno_event_new ("abcde12345", summary, start, end);

  return okno_slot_new_from_event (event, "🔓 СЛОТ", "✅");
}

static void
test_name_from_title (void)
{
  struct { const char *title, *name; } cases[] = {
    { "Включить в дело (40 мин)", "Включить в дело" },
    { "Включить в дело (90 мин.)", "Включить в дело" },
    { "Practice (60 min)", "Practice" },
    { "Сессия", "Сессия" },
    { "Группа (онлайн)", "Группа (онлайн)" },
    { "  Разбор  ", "Разбор" },
    { "(40 мин)", "" },
    { "", "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *name = okno_session_type_name_from_title (cases[i].title);
      g_assert_cmpstr (name, ==, cases[i].name);
    }

  /* A type's name never keeps a length. */
  {
    g_autoptr(OknoSessionType) type = okno_session_type_new (NULL, "Разбор (40 мин)", 90);
    g_autofree char *title = okno_session_type_dup_slot_title (type, "🔓 СЛОТ");

    g_assert_cmpstr (okno_session_type_get_name (type), ==, "Разбор");
    g_assert_cmpstr (title, ==, "🔓 СЛОТ: Разбор");
    g_assert_cmpuint (okno_session_type_get_minutes (type), ==, 90);
    g_assert_nonnull (okno_session_type_get_id (type));
    g_assert_cmpstr (okno_session_type_get_id (type), !=, "");
  }
}

static void
test_save_load (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GListStore) types = g_list_store_new (OKNO_TYPE_SESSION_TYPE);
  g_autoptr(OknoSessionType) one = okno_session_type_new ("one", "Включить в дело", 40);
  g_autoptr(OknoSessionType) two = okno_session_type_new ("two", "Разбор", 90);
  g_autoptr(GListStore) loaded = NULL;
  g_autoptr(GSettings) again = NULL;
  g_autoptr(GError) error = NULL;
  OknoSessionType *got;

  okno_session_type_set_description (two, "Подробный разбор запроса");
  okno_session_type_set_place (two, "Онлайн, Zoom");
  okno_session_type_set_price (two, "5000 ₽");
  g_list_store_append (types, one);
  g_list_store_append (types, two);
  okno_session_types_save (f->settings, G_LIST_MODEL (types));

  /* The first type becomes current when none was chosen. */
  {
    g_autofree char *current = g_settings_get_string (f->settings, OKNO_CURRENT_SESSION_TYPE_KEY);
    g_assert_cmpstr (current, ==, "one");
  }

  /* Read back through a fresh settings object on the same file. */
  g_settings_sync ();
  again = okno_settings_new (f->dir, &error);
  g_assert_no_error (error);
  loaded = okno_session_types_load (again);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (loaded)), ==, 2);
  got = okno_session_types_lookup (G_LIST_MODEL (loaded), "two");
  g_assert_nonnull (got);
  g_assert_cmpstr (okno_session_type_get_name (got), ==, "Разбор");
  g_assert_cmpuint (okno_session_type_get_minutes (got), ==, 90);
  g_assert_cmpstr (okno_session_type_get_description (got), ==, "Подробный разбор запроса");
  g_assert_cmpstr (okno_session_type_get_place (got), ==, "Онлайн, Zoom");
  g_assert_cmpstr (okno_session_type_get_price (got), ==, "5000 ₽");

  /* Removing the current one makes the first left current. */
  g_list_store_remove (types, 0);
  okno_session_types_save (f->settings, G_LIST_MODEL (types));
  {
    g_autoptr(OknoSessionType) current = okno_session_types_dup_current (f->settings, G_LIST_MODEL (types));
    g_assert_cmpstr (okno_session_type_get_id (current), ==, "two");
  }

  /* A damaged list (an empty name, a repeated id) loads what is usable. */
  g_settings_set_value (f->settings, OKNO_SESSION_TYPES_KEY,
                        g_variant_new_parsed ("[('a', 'Сессия', uint32 40, '', '', ''),"
                                              " ('b', '', uint32 40, '', '', ''),"
                                              " ('a', 'Другая', uint32 60, '', '', '')]"));
  g_clear_object (&loaded);
  loaded = okno_session_types_load (f->settings);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (loaded)), ==, 1);
  g_assert_cmpstr (okno_session_type_get_name (okno_session_types_lookup (G_LIST_MODEL (loaded), "a")), ==, "Сессия");
}

static void
test_find_for_title (void)
{
  g_autoptr(GListStore) types = g_list_store_new (OKNO_TYPE_SESSION_TYPE);
  g_autoptr(OknoSessionType) one = okno_session_type_new ("one", "Включить в дело", 40);
  g_autoptr(OknoSessionType) two = okno_session_type_new ("two", "Разбор", 90);

  g_list_store_append (types, one);
  g_list_store_append (types, two);

  g_assert_true (okno_session_types_find_for_title (G_LIST_MODEL (types), "Включить в дело (40 мин)") == one);
  g_assert_true (okno_session_types_find_for_title (G_LIST_MODEL (types), "включить В ДЕЛО") == one);
  g_assert_true (okno_session_types_find_for_title (G_LIST_MODEL (types), "Разбор (40 мин)") == two);
  g_assert_null (okno_session_types_find_for_title (G_LIST_MODEL (types), "Другое"));
  g_assert_null (okno_session_types_find_for_title (G_LIST_MODEL (types), ""));
  g_assert_null (okno_session_types_find_for_title (G_LIST_MODEL (types), NULL));
}

static void
test_seed (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(GPtrArray) slots = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GListStore) types = NULL;
  g_autoptr(OknoSessionType) current = NULL;
  OknoSessionType *type;

  g_ptr_array_add (slots, make_slot ("🔓 СЛОТ: Другое", 60));
  g_ptr_array_add (slots, make_slot ("🔓 СЛОТ: Включить в дело (40 мин)", 90));
  g_ptr_array_add (slots, make_slot ("🔓 СЛОТ: Включить в дело (40 мин)", 40));
  g_ptr_array_add (slots, make_slot ("✅ Анна — Включить в дело (40 мин)", 40));
  g_ptr_array_add (slots, make_slot ("🔓 СЛОТ", 30));

  g_assert_true (okno_session_types_seed (f->settings, slots));
  types = okno_session_types_load (f->settings);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (types)), ==, 1);
  type = g_list_model_get_item (G_LIST_MODEL (types), 0);
  g_object_unref (type);
  g_assert_cmpstr (okno_session_type_get_name (type), ==, "Включить в дело");
  g_assert_cmpuint (okno_session_type_get_minutes (type), ==, 40);
  current = okno_session_types_dup_current (f->settings, G_LIST_MODEL (types));
  g_assert_true (current == type);

  /* Only on first use: a list Olga has is never replaced. */
  g_ptr_array_set_size (slots, 0);
  g_ptr_array_add (slots, make_slot ("🔓 СЛОТ: Другое", 60));
  g_assert_false (okno_session_types_seed (f->settings, slots));
  g_clear_object (&types);
  types = okno_session_types_load (f->settings);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (types)), ==, 1);
}

static void
test_seed_without_slots (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GListStore) types = NULL;
  g_autoptr(OknoSessionType) type = NULL;

  g_settings_set_uint (f->settings, "slot-minutes", 50);
  g_assert_true (okno_session_types_seed (f->settings, NULL));
  types = okno_session_types_load (f->settings);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (types)), ==, 1);
  type = g_list_model_get_item (G_LIST_MODEL (types), 0);
  g_assert_cmpstr (okno_session_type_get_name (type), ==, "Session");
  g_assert_cmpuint (okno_session_type_get_minutes (type), ==, 50);
}

static void
test_ensure_from_calendar (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OknoLocalCalendar) calendar = okno_local_calendar_new (f->dir, &error);
  g_autoptr(OknoLedger) ledger = NULL;
  g_autoptr(OknoSchedule) schedule = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) start = g_date_time_add_days (now, 2);
  g_autoptr(GListStore) types = NULL;
  g_autoptr(OknoSessionType) type = NULL;

  g_assert_no_error (error);
  ledger = okno_ledger_new (f->dir, &error);
  g_assert_no_error (error);
  schedule = okno_schedule_new (OKNO_CALENDAR (calendar), ledger);
  g_object_unref (okno_test_insert_event (OKNO_CALENDAR (calendar), "🔓 СЛОТ: Разбор (90 мин)", start, 90, TRUE));
  g_object_unref (okno_test_insert_event (OKNO_CALENDAR (calendar), "Стоматолог", start, 30, FALSE));

  g_assert_true (okno_session_types_ensure (f->settings, schedule));
  g_assert_false (okno_session_types_ensure (f->settings, schedule));
  types = okno_session_types_load (f->settings);
  type = g_list_model_get_item (G_LIST_MODEL (types), 0);
  g_assert_cmpstr (okno_session_type_get_name (type), ==, "Разбор");
  g_assert_cmpuint (okno_session_type_get_minutes (type), ==, 90);

  okno_test_wait_idle (calendar);
  g_clear_object (&schedule);
  g_clear_object (&ledger);
}

/* Google's first start after connecting: the cache is empty while the
 * first sync runs. The types are learnt from the synced slots, not seeded
 * with «Session» from nothing. */
static void
test_ensure_waits_for_first_sync (Fixture       *f,
                                  gconstpointer  data)
{
  g_autoptr(OknoTestCalendar) calendar = okno_test_calendar_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(OknoLedger) ledger = NULL;
  g_autoptr(OknoSchedule) schedule = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) start = g_date_time_add_days (now, 2);
  g_autoptr(GListStore) types = NULL;
  g_autoptr(OknoSessionType) type = NULL;

  ledger = okno_ledger_new (f->dir, &error);
  g_assert_no_error (error);
  schedule = okno_schedule_new (OKNO_CALENDAR (calendar), ledger);
  okno_test_calendar_set_state (calendar, OKNO_CALENDAR_STATE_SYNCING);
  g_assert_false (okno_session_types_ensure (f->settings, schedule));
  types = okno_session_types_load (f->settings);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (types)), ==, 0);
  g_clear_object (&types);

  /* The first sync brings the slots. */
  g_object_unref (okno_test_insert_event (OKNO_CALENDAR (calendar), "🔓 СЛОТ: Консультация", start, 50, TRUE));
  okno_test_calendar_set_state (calendar, OKNO_CALENDAR_STATE_SYNCED);
  g_assert_true (okno_session_types_ensure (f->settings, schedule));
  types = okno_session_types_load (f->settings);
  type = g_list_model_get_item (G_LIST_MODEL (types), 0);
  g_assert_cmpstr (okno_session_type_get_name (type), ==, "Консультация");
  g_assert_cmpuint (okno_session_type_get_minutes (type), ==, 50);

  g_clear_object (&schedule);
  g_clear_object (&ledger);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/okno/session-type/name-from-title", test_name_from_title);
  g_test_add_func ("/okno/session-type/find-for-title", test_find_for_title);
  g_test_add ("/okno/session-type/save-load", Fixture, NULL, fixture_set_up, test_save_load, fixture_tear_down);
  g_test_add ("/okno/session-type/seed", Fixture, NULL, fixture_set_up, test_seed, fixture_tear_down);
  g_test_add ("/okno/session-type/seed-without-slots", Fixture, NULL, fixture_set_up, test_seed_without_slots, fixture_tear_down);
  g_test_add ("/okno/session-type/ensure-from-calendar", Fixture, NULL, fixture_set_up, test_ensure_from_calendar, fixture_tear_down);
  g_test_add ("/okno/session-type/ensure-waits-for-first-sync", Fixture, NULL, fixture_set_up, test_ensure_waits_for_first_sync, fixture_tear_down);

  return g_test_run ();
}
