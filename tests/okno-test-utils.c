/* okno-test-utils.c
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "okno-test-utils.h"
#include "okno-time.h"

char *
okno_test_make_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("okno-test-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

void
okno_test_remove_dir (const char *dir)
{
  g_autoptr(GDir) handle = NULL;
  const char *name;

  if (dir == NULL || !(handle = g_dir_open (dir, 0, NULL)))
    return;

  while ((name = g_dir_read_name (handle)))
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        okno_test_remove_dir (path);
      else
        g_unlink (path);
    }
  g_rmdir (dir);
}

typedef struct
{
  gboolean   done;
  OknoEvent *event;
  gboolean   ok;
  GError    *error;
} Wait;

static void
inserted_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  Wait *wait = user_data;

  wait->event = okno_calendar_insert_event_finish (OKNO_CALENDAR (object), result, &wait->error);
  wait->done = TRUE;
}

static void
updated_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  Wait *wait = user_data;

  wait->event = okno_calendar_update_event_finish (OKNO_CALENDAR (object), result, &wait->error);
  wait->done = TRUE;
}

static void
deleted_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  Wait *wait = user_data;

  wait->ok = okno_calendar_delete_event_finish (OKNO_CALENDAR (object), result, &wait->error);
  wait->done = TRUE;
}

static void
wait_for (Wait *wait)
{
  while (!wait->done)
    g_main_context_iteration (NULL, TRUE);
}

/* Inserts an event and waits until it is on disk. A slot carries the
 * private property Okno writes; other events are plain busy events. */
OknoEvent *
okno_test_insert_event (OknoCalendar *calendar,
                        const char   *summary,
                        GDateTime    *start,
                        int           minutes,
                        gboolean      slot)
{
  g_autoptr(GDateTime) end = g_date_time_add_minutes (start, minutes);
  g_autoptr(OknoEvent) event = okno_event_new (NULL, summary, start, end);
  Wait wait = { 0 };

  if (slot)
    okno_event_set_private (event, "okno", "slot");

  okno_calendar_insert_event_async (calendar, event, NULL, inserted_cb, &wait);
  wait_for (&wait);
  g_assert_no_error (wait.error);
  g_assert_nonnull (wait.event);

  return wait.event;
}

OknoEvent *
okno_test_update_event (OknoCalendar  *calendar,
                        OknoEvent     *event,
                        GError       **error)
{
  Wait wait = { 0 };

  okno_calendar_update_event_async (calendar, event, NULL, updated_cb, &wait);
  wait_for (&wait);
  if (wait.error)
    g_propagate_error (error, wait.error);

  return wait.event;
}

gboolean
okno_test_delete_event (OknoCalendar  *calendar,
                        const char    *event_id,
                        GError       **error)
{
  Wait wait = { 0 };

  okno_calendar_delete_event_async (calendar, event_id, NULL, NULL, deleted_cb, &wait);
  wait_for (&wait);
  if (wait.error)
    g_propagate_error (error, wait.error);

  return wait.ok;
}

GDateTime *
okno_test_time (const char *rfc3339)
{
  GDateTime *time = okno_time_parse_rfc3339 (rfc3339);

  g_assert_nonnull (time);
  return time;
}

void
okno_test_wait_idle (OknoLocalCalendar *calendar)
{
  while (okno_local_calendar_is_saving (calendar))
    g_main_context_iteration (NULL, TRUE);
}
