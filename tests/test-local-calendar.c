/* test-local-calendar.c
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "okno-errors.h"
#include "okno-test-utils.h"

static void
changed_cb (guint *count)
{
  (*count)++;
}

static void
test_crud_and_persistence (void)
{
  g_autofree char *dir = okno_test_make_dir ();
  g_autoptr(GError) error = NULL;
  g_autoptr(OknoLocalCalendar) calendar = okno_local_calendar_new (dir, &error);
  g_autoptr(OknoLocalCalendar) reopened = NULL;
  g_autoptr(GDateTime) t = okno_test_time ("2026-11-25T14:00:00Z");
  g_autoptr(GDateTime) t2 = okno_test_time ("2026-11-26T14:00:00Z");
  g_autoptr(OknoEvent) a = NULL;
  g_autoptr(OknoEvent) b = NULL;
  g_autoptr(OknoEvent) moved = NULL;
  g_autoptr(OknoEvent) stale = NULL;
  g_autoptr(OknoEvent) result = NULL;
  g_autoptr(GDateTime) from = okno_test_time ("2026-11-25T00:00:00Z");
  g_autoptr(GDateTime) to = okno_test_time ("2026-11-27T00:00:00Z");
  g_autoptr(GPtrArray) listed = NULL;
  g_autofree char *old_etag = NULL;
  guint changes = 0;

  g_assert_no_error (error);
  g_signal_connect_swapped (calendar, "changed", G_CALLBACK (changed_cb), &changes);

  a = okno_test_insert_event (OKNO_CALENDAR (calendar), "🔓 СЛОТ", t, 40, TRUE);
  b = okno_test_insert_event (OKNO_CALENDAR (calendar), "Встреча", t2, 60, FALSE);
  g_assert_cmpuint (changes, ==, 2);
  g_assert_nonnull (okno_event_get_etag (a));
  g_assert_cmpuint (strlen (okno_event_get_id (a)), ==, 26);

  /* Move a; its old etag goes stale. */
  old_etag = g_strdup (okno_event_get_etag (a));
  moved = okno_event_copy (a);
  {
    g_autoptr(GDateTime) s = okno_test_time ("2026-11-26T16:00:00Z");
    g_autoptr(GDateTime) e = okno_test_time ("2026-11-26T16:40:00Z");
    okno_event_set_times (moved, s, e);
  }
  result = okno_test_calendar_update (OKNO_CALENDAR (calendar), moved, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (okno_event_get_etag (result), !=, old_etag);

  stale = okno_event_copy (a);
  okno_event_set_summary (stale, "overwritten?");
  g_assert_null (okno_test_calendar_update (OKNO_CALENDAR (calendar), stale, &error));
  g_assert_error (error, OKNO_CALENDAR_ERROR, OKNO_CALENDAR_ERROR_CONFLICT);
  g_clear_error (&error);

  /* Sorted by start. */
  listed = okno_calendar_list_events (OKNO_CALENDAR (calendar), from, to);
  g_assert_cmpuint (listed->len, ==, 2);
  g_assert_cmpstr (okno_event_get_id (g_ptr_array_index (listed, 0)), ==, okno_event_get_id (b));

  g_assert_false (okno_test_calendar_delete (OKNO_CALENDAR (calendar), "nosuchevent", "\"1\"", &error));
  g_assert_error (error, OKNO_CALENDAR_ERROR, OKNO_CALENDAR_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_true (okno_test_calendar_delete (OKNO_CALENDAR (calendar), okno_event_get_id (b), okno_event_get_etag (b), &error));
  g_clear_object (&calendar);

  reopened = okno_local_calendar_new (dir, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (okno_local_calendar_get_n_events (reopened), ==, 1);
  g_assert_cmpstr (okno_event_get_summary (okno_calendar_lookup_event (OKNO_CALENDAR (reopened),
                                                                       okno_event_get_id (a))), ==, "🔓 СЛОТ");
  g_assert_cmpstr (okno_event_get_private (okno_calendar_lookup_event (OKNO_CALENDAR (reopened),
                                                                       okno_event_get_id (a)), "okno"), ==, "slot");
  g_clear_object (&reopened);
  okno_test_remove_dir (dir);
}

static void
test_range_semantics (void)
{
  g_autofree char *dir = okno_test_make_dir ();
  g_autoptr(GError) error = NULL;
  g_autoptr(OknoLocalCalendar) calendar = okno_local_calendar_new (dir, &error);
  g_autoptr(GDateTime) t = okno_test_time ("2026-11-25T14:00:00Z");
  g_autoptr(OknoEvent) e = okno_test_insert_event (OKNO_CALENDAR (calendar), "x", t, 60, FALSE);
  struct { const char *from, *to; guint n; } cases[] = {
    { "2026-11-25T13:00:00Z", "2026-11-25T14:00:00Z", 0 },  /* ends where it starts */
    { "2026-11-25T15:00:00Z", "2026-11-25T16:00:00Z", 0 },  /* starts where it ends */
    { "2026-11-25T14:30:00Z", "2026-11-25T14:31:00Z", 1 },  /* inside */
    { "2026-11-25T13:00:00Z", "2026-11-25T14:01:00Z", 1 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GDateTime) from = okno_test_time (cases[i].from);
      g_autoptr(GDateTime) to = okno_test_time (cases[i].to);
      g_autoptr(GPtrArray) listed = okno_calendar_list_events (OKNO_CALENDAR (calendar), from, to);

      g_assert_cmpuint (listed->len, ==, cases[i].n);
    }

  okno_test_wait_idle (calendar);
  okno_test_remove_dir (dir);
}

/* One damaged event (here: bytes that are not UTF-8, as a lone surrogate
 * once wrote) costs that event only: the folder opens, the others are
 * kept, the file as it was is set aside and the damage is reported. A file
 * that is not JSON at all is refused and left as it is. */
static void
test_sets_damaged_aside (void)
{
  g_autofree char *dir = okno_test_make_dir ();
  g_autofree char *path = g_build_filename (dir, "calendar.json", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(OknoLocalCalendar) calendar = NULL;
  g_autoptr(GDir) listing = NULL;
  g_autofree char *after = NULL;
  const char *name;
  gboolean copy_found = FALSE;
  const char *good = "{\"id\":\"good1\",\"summary\":\"ok\",\"start\":{\"dateTime\":\"2026-12-10T10:00:00Z\"},"
                     "\"end\":{\"dateTime\":\"2026-12-10T11:00:00Z\"}}";
  const char *bad = "{\"id\":\"bad1\",\"summary\":\"A\xed\xa0\x80" "B\",\"start\":{\"dateTime\":\"2026-12-11T10:00:00Z\"},"
                    "\"end\":{\"dateTime\":\"2026-12-11T11:00:00Z\"}}";
  g_autofree char *contents = g_strdup_printf ("{\"version\":1,\"items\":[%s,%s,{\"id\":\"x\"}]}", good, bad);

  g_assert_true (g_file_set_contents (path, contents, -1, NULL));
  calendar = okno_local_calendar_new (dir, &error);
  g_assert_no_error (error);
  g_assert_nonnull (calendar);
  g_assert_cmpuint (okno_local_calendar_get_n_events (calendar), ==, 1);
  g_assert_nonnull (okno_calendar_lookup_event (OKNO_CALENDAR (calendar), "good1"));
  g_assert_cmpuint (okno_local_calendar_get_damage (calendar)->len, ==, 1);

  /* The file is written again without the damaged records, readable. */
  okno_test_wait_idle (calendar);
  g_assert_true (g_file_get_contents (path, &after, NULL, NULL));
  g_assert_true (g_utf8_validate (after, -1, NULL));
  g_assert_nonnull (strstr (after, "good1"));
  g_assert_null (strstr (after, "bad1"));

  listing = g_dir_open (dir, 0, NULL);
  while ((name = g_dir_read_name (listing)))
    if (g_str_has_prefix (name, "calendar.json.damaged-"))
      {
        g_autofree char *copy_path = g_build_filename (dir, name, NULL);
        g_autofree char *copy = NULL;

        g_assert_true (g_file_get_contents (copy_path, &copy, NULL, NULL));
        g_assert_cmpstr (copy, ==, contents);
        copy_found = TRUE;
      }
  g_assert_true (copy_found);
  g_clear_object (&calendar);

  /* Not JSON at all: refused, untouched. */
  g_assert_true (g_file_set_contents (path, "{\"items\":[{\"id\":", -1, NULL));
  calendar = okno_local_calendar_new (dir, &error);
  g_assert_null (calendar);
  g_assert_error (error, OKNO_DATA_ERROR, OKNO_DATA_ERROR_CORRUPT);
  g_clear_pointer (&after, g_free);
  g_assert_true (g_file_get_contents (path, &after, NULL, NULL));
  g_assert_cmpstr (after, ==, "{\"items\":[{\"id\":");
  okno_test_remove_dir (dir);
}

/* The writer refuses text that is not UTF-8: the change fails, the file
 * stays readable. */
static void
test_refuses_invalid_text (void)
{
  g_autofree char *dir = okno_test_make_dir ();
  g_autoptr(GError) error = NULL;
  g_autoptr(OknoLocalCalendar) calendar = okno_local_calendar_new (dir, &error);
  g_autoptr(GDateTime) start = g_date_time_new_utc (2026, 12, 10, 10, 0, 0);
  g_autoptr(OknoEvent) slot = okno_test_insert_event (OKNO_CALENDAR (calendar), "🔓 СЛОТ", start, 60, TRUE);
  g_autoptr(OknoEvent) bad = okno_event_copy (slot);
  g_autoptr(OknoEvent) result = NULL;

  okno_event_set_summary (bad, "A\xed\xa0\x80" "B");
  result = okno_test_calendar_update (OKNO_CALENDAR (calendar), bad, &error);
  g_assert_null (result);
  g_assert_error (error, OKNO_CALENDAR_ERROR, OKNO_CALENDAR_ERROR_INVALID);
  g_assert_cmpstr (okno_event_get_summary (okno_calendar_lookup_event (OKNO_CALENDAR (calendar),
                                                                       okno_event_get_id (slot))), ==, "🔓 СЛОТ");
  okno_test_wait_idle (calendar);
  okno_test_remove_dir (dir);
}

static void
refreshed_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  gboolean *done = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (okno_calendar_refresh_finish (OKNO_CALENDAR (object), result, &error));
  g_assert_no_error (error);
  *done = TRUE;
}

/* The local calendar uses the id its caller chose, refuses an id that is
 * not Google's shape or is taken, says it is local and refreshes at once. */
static void
test_ids_state_refresh (void)
{
  g_autofree char *dir = okno_test_make_dir ();
  g_autoptr(GError) error = NULL;
  g_autoptr(OknoLocalCalendar) calendar = okno_local_calendar_new (dir, &error);
  g_autoptr(GDateTime) t = okno_test_time ("2026-11-25T14:00:00Z");
  g_autoptr(GDateTime) t2 = okno_test_time ("2026-11-25T15:00:00Z");
  const char *bad[] = { NULL, "abcd", "ABCDEFGH", "abcdwxyz", "abc_defgh" };
  g_autoptr(OknoEvent) first = NULL;
  g_autoptr(OknoEvent) again = NULL;
  OknoCalendarState state;
  gboolean done = FALSE;

  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(OknoEvent) event = okno_event_new (bad[i], "x", t, t2);

      g_assert_null (okno_test_calendar_insert (OKNO_CALENDAR (calendar), event, &error));
      g_assert_error (error, OKNO_CALENDAR_ERROR, OKNO_CALENDAR_ERROR_INVALID);
      g_clear_error (&error);
    }
  g_assert_cmpuint (okno_local_calendar_get_n_events (calendar), ==, 0);

  {
    g_autoptr(OknoEvent) event = okno_event_new ("chosen0b0the0caller", "x", t, t2);

    first = okno_test_calendar_insert (OKNO_CALENDAR (calendar), event, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (okno_event_get_id (first), ==, "chosen0b0the0caller");
    again = okno_test_calendar_insert (OKNO_CALENDAR (calendar), event, &error);
    g_assert_null (again);
    g_assert_error (error, OKNO_CALENDAR_ERROR, OKNO_CALENDAR_ERROR_CONFLICT);
    g_clear_error (&error);
  }
  g_assert_cmpuint (okno_local_calendar_get_n_events (calendar), ==, 1);

  g_object_get (calendar, "state", &state, NULL);
  g_assert_cmpint (state, ==, OKNO_CALENDAR_STATE_LOCAL);
  g_assert_cmpstr (okno_calendar_get_state_name (OKNO_CALENDAR (calendar)), ==, "local");

  okno_calendar_refresh_async (OKNO_CALENDAR (calendar), NULL, refreshed_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);

  okno_test_wait_idle (calendar);
  g_clear_object (&calendar);
  okno_test_remove_dir (dir);
}

/* calendar.json as json-glib's pretty printer writes the whole file (as it
 * was written before each event's text was kept between writes), empty or
 * not, and after changes: an event's kept text never outlives a change. */
static void
assert_file_is_pretty (const char *path,
                       guint       n_items)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *again = NULL;

  g_assert_true (g_file_get_contents (path, &contents, NULL, &error));
  g_assert_true (json_parser_load_from_data (parser, contents, -1, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                                                          "items")), ==, n_items);
  json_generator_set_root (generator, json_parser_get_root (parser));
  json_generator_set_pretty (generator, TRUE);
  again = json_generator_to_data (generator, NULL);
  g_assert_cmpstr (contents, ==, again);
}

static void
test_file_follows_changes (void)
{
  g_autofree char *dir = okno_test_make_dir ();
  g_autofree char *path = g_build_filename (dir, "calendar.json", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(OknoLocalCalendar) calendar = okno_local_calendar_new (dir, &error);
  g_autoptr(GDateTime) t = okno_test_time ("2026-11-25T14:00:00Z");
  g_autoptr(GDateTime) t2 = okno_test_time ("2026-11-25T16:00:00Z");
  g_autoptr(GDateTime) t3 = okno_test_time ("2026-11-25T18:00:00Z");
  g_autoptr(OknoEvent) a = NULL;
  g_autoptr(OknoEvent) b = NULL;
  g_autoptr(OknoEvent) c = NULL;
  g_autoptr(OknoEvent) renamed = NULL;
  g_autoptr(OknoEvent) result = NULL;
  g_autofree char *contents = NULL;

  g_assert_no_error (error);
  a = okno_test_insert_event (OKNO_CALENDAR (calendar), "🔓 СЛОТ", t, 40, TRUE);
  okno_test_wait_idle (calendar);
  g_assert_true (okno_test_calendar_delete (OKNO_CALENDAR (calendar), okno_event_get_id (a),
                                            okno_event_get_etag (a), &error));
  okno_test_wait_idle (calendar);
  assert_file_is_pretty (path, 0);

  g_clear_object (&a);
  a = okno_test_insert_event (OKNO_CALENDAR (calendar), "🔓 СЛОТ", t, 40, TRUE);
  b = okno_test_insert_event (OKNO_CALENDAR (calendar), "Встреча \"в\"\nдва ряда", t2, 60, FALSE);
  okno_test_wait_idle (calendar);
  assert_file_is_pretty (path, 2);

  /* Written again with a's and b's text kept: a's change must show. */
  renamed = okno_event_copy (a);
  okno_event_set_summary (renamed, "✅ Анна — Сессия");
  result = okno_test_calendar_update (OKNO_CALENDAR (calendar), renamed, &error);
  g_assert_no_error (error);
  c = okno_test_insert_event (OKNO_CALENDAR (calendar), "Третье", t3, 30, FALSE);
  okno_test_wait_idle (calendar);
  assert_file_is_pretty (path, 3);
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_nonnull (strstr (contents, "✅ Анна — Сессия"));
  g_assert_null (strstr (contents, "🔓 СЛОТ"));
  g_assert_nonnull (strstr (contents, "Третье"));

  g_clear_object (&calendar);
  calendar = okno_local_calendar_new (dir, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (okno_local_calendar_get_n_events (calendar), ==, 3);
  g_assert_cmpstr (okno_event_get_summary (okno_calendar_lookup_event (OKNO_CALENDAR (calendar),
                                                                       okno_event_get_id (a))), ==, "✅ Анна — Сессия");
  g_assert_cmpstr (okno_event_get_summary (okno_calendar_lookup_event (OKNO_CALENDAR (calendar),
                                                                       okno_event_get_id (b))), ==, "Встреча \"в\"\nдва ряда");
  g_clear_object (&calendar);
  okno_test_remove_dir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/okno/local-calendar/crud-and-persistence", test_crud_and_persistence);
  g_test_add_func ("/okno/local-calendar/range-semantics", test_range_semantics);
  g_test_add_func ("/okno/local-calendar/sets-damaged-aside", test_sets_damaged_aside);
  g_test_add_func ("/okno/local-calendar/refuses-invalid-text", test_refuses_invalid_text);
  g_test_add_func ("/okno/local-calendar/ids-state-refresh", test_ids_state_refresh);
  g_test_add_func ("/okno/local-calendar/file-follows-changes", test_file_follows_changes);

  return g_test_run ();
}
