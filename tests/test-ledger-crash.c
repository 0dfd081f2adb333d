/* test-ledger-crash.c: kill -9 at any instant loses nothing acknowledged.
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <signal.h>
#include <sys/wait.h>
#include <string.h>
#include <unistd.h>

#include "okno-ledger-private.h"
#include "okno-test-utils.h"

#define ROUNDS 25

/* The child books as fast as it can and reports each id on the pipe only
 * after okno_ledger_put() returned: that is the acknowledgement a client's
 * 201 waits for. Every so often it compacts, so kills land there too. */
static void G_GNUC_NORETURN
child_main (const char *dir,
            int         fd,
            guint       round)
{
  g_autoptr(OknoLedger) ledger = okno_ledger_new (dir, NULL);
  g_autoptr(GDateTime) start = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) end = g_date_time_add_minutes (start, 40);

  if (ledger == NULL)
    _exit (3);

  /* Odd rounds compact in the background (journal rotation, a worker
   * thread), even rounds in the foreground: kills land in both. */
  _okno_ledger_set_compact_after (ledger, 29);

  for (guint i = 0; ; i++)
    {
      g_autofree char *id = g_strdup_printf ("r%02u-%06u", round, i);
      g_autoptr(OknoBooking) booking = okno_booking_new (id, id, start, end);
      g_autofree char *line = g_strconcat (id, "\n", NULL);

      okno_booking_set_field (booking, "name", "Клиент");
      if (!okno_ledger_put (ledger, booking, NULL))
        _exit (4);
      if (write (fd, line, strlen (line)) < 0)
        _exit (5);
      if (round % 2 == 1)
        g_main_context_iteration (NULL, FALSE);
      else if (i % 37 == 36 && !okno_ledger_compact (ledger, NULL))
        _exit (6);
    }
}

static void
test_survives_kill (void)
{
  g_autofree char *dir = okno_test_make_dir ();
  g_autoptr(GPtrArray) acknowledged = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GRand) rand = g_rand_new_with_seed (g_test_rand_int ());
  g_autoptr(GError) error = NULL;
  g_autoptr(OknoLedger) ledger = NULL;

  for (guint round = 0; round < ROUNDS; round++)
    {
      g_autoptr(GString) received = g_string_new (NULL);
      g_auto(GStrv) ids = NULL;
      int fds[2];
      pid_t pid;
      int status;
      char buffer[4096];
      gssize n;

      g_assert_cmpint (pipe (fds), ==, 0);
      pid = fork ();
      g_assert_cmpint (pid, >=, 0);
      if (pid == 0)
        {
          close (fds[0]);
          child_main (dir, fds[1], round);
        }
      close (fds[1]);

      /* Wait for its first acknowledged booking (a loaded or sanitized
       * build may take a while to start), let it run between 2 and 60 ms
       * more, then pull the plug. */
      while (strchr (received->str, '\n') == NULL &&
             (n = read (fds[0], buffer, sizeof buffer)) > 0)
        g_string_append_len (received, buffer, n);
      g_usleep (g_rand_int_range (rand, 2000, 60000));
      kill (pid, SIGKILL);
      g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
      g_assert_true (WIFSIGNALED (status));

      while ((n = read (fds[0], buffer, sizeof buffer)) > 0)
        g_string_append_len (received, buffer, n);
      close (fds[0]);

      ids = g_strsplit (received->str, "\n", -1);
      for (guint i = 0; ids[i]; i++)
        if (ids[i][0] != '\0')
          g_ptr_array_add (acknowledged, g_strdup (ids[i]));

      /* Reopening must work and hold every acknowledged booking. */
      ledger = okno_ledger_new (dir, &error);
      g_assert_no_error (error);
      for (guint i = 0; i < acknowledged->len; i++)
        if (okno_ledger_lookup (ledger, g_ptr_array_index (acknowledged, i)) == NULL)
          g_error ("Round %u lost acknowledged booking %s", round,
                   (char *) g_ptr_array_index (acknowledged, i));
      g_clear_object (&ledger);
    }

  g_test_message ("%u bookings acknowledged over %u kills", acknowledged->len, ROUNDS);
  g_assert_cmpuint (acknowledged->len, >=, ROUNDS);
  okno_test_remove_dir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/okno/ledger/survives-kill", test_survives_kill);

  return g_test_run ();
}
