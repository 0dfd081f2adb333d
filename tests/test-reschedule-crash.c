/* test-reschedule-crash.c: kill -9 while a booking moves between slots.
 * After a restart the booking is on exactly one slot (the last acknowledged
 * move's, or the one being written), and the calendar is reconciled: that
 * slot's event is titled, the others read as open slots again.
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "okno-booking-service.h"
#include "okno-outbox.h"
#include "okno-test-utils.h"

#define ROUNDS 8
#define N_SLOTS 3

typedef struct
{
  OknoLocalCalendar  *calendar;
  OknoLedger         *ledger;
  OknoSchedule       *schedule;
  OknoBookingService *service;
  OknoOutbox         *outbox;
} Profile;

static gboolean
profile_open (Profile    *p,
              const char *dir)
{
  p->calendar = okno_local_calendar_new (dir, NULL);
  p->ledger = okno_ledger_new (dir, NULL);
  if (p->calendar == NULL || p->ledger == NULL)
    return FALSE;
  p->schedule = okno_schedule_new (OKNO_CALENDAR (p->calendar), p->ledger);
  p->service = okno_booking_service_new (p->schedule);
  p->outbox = okno_outbox_new (p->schedule);
  okno_outbox_start (p->outbox);
  return TRUE;
}

static void
profile_close (Profile *p)
{
  okno_test_wait_outbox (p->outbox, p->calendar);
  okno_test_drain (p->ledger);
  g_assert_finalize_object (p->outbox);
  g_assert_finalize_object (p->service);
  g_assert_finalize_object (p->schedule);
  g_assert_finalize_object (p->ledger);
  g_assert_finalize_object (p->calendar);
}

static guint
slot_index (char       **slots,
            const char  *slot_id)
{
  for (guint i = 0; i < N_SLOTS; i++)
    if (g_strcmp0 (slots[i], slot_id) == 0)
      return i;
  return G_MAXUINT;
}

/* The child moves the booking round the slots as fast as it can, letting
 * the outbox change the calendar between moves, and reports each slot's
 * index on the pipe only once the move was durable: the acknowledgement a
 * client's 200 waits for. */
static void G_GNUC_NORETURN
child_main (const char  *dir,
            const char  *id,
            const char  *token,
            char       **slots,
            int          fd)
{
  Profile p = { 0 };
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  if (!profile_open (&p, dir))
    _exit (3);

  for (;;)
    {
      OknoBooking *booking = okno_ledger_lookup (p.ledger, id);
      guint next = (slot_index (slots, okno_booking_get_slot_id (booking)) + 1) % N_SLOTS;
      g_autoptr(OknoBooking) moved = NULL;
      g_autofree char *line = NULL;

      moved = okno_booking_service_reschedule (p.service, id, token, slots[next], now, NULL);
      if (moved == NULL)
        _exit (4);
      line = g_strdup_printf ("%u\n", next);
      if (write (fd, line, strlen (line)) < 0)
        _exit (5);
      for (guint i = 0; i < 8 && g_main_context_iteration (NULL, FALSE); i++)
        ;
    }
}

static void
test_survives_kill (void)
{
  g_autofree char *dir = okno_test_make_dir ();
  g_autoptr(GRand) rand = g_rand_new_with_seed (g_test_rand_int ());
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *id = NULL;
  g_autofree char *token = NULL;
  char *slots[N_SLOTS + 1] = { NULL };
  guint acknowledged = 0;
  Profile p = { 0 };

  /* Three open slots, and a booking on the first. */
  g_assert_true (profile_open (&p, dir));
  for (guint i = 0; i < N_SLOTS; i++)
    {
      g_autoptr(GDateTime) start = g_date_time_add_days (now, 2 + i);
      g_autoptr(OknoEvent) event = okno_test_insert_event (OKNO_CALENDAR (p.calendar), "🔓 СЛОТ: Разбор", start, 40, TRUE);

      slots[i] = g_strdup (okno_event_get_id (event));
    }
  {
    g_autoptr(OknoBookingRequest) request = okno_booking_request_new ();
    g_autoptr(OknoBooking) booking = NULL;
    g_autoptr(GError) error = NULL;

    request->slot_id = g_strdup (slots[0]);
    request->name = g_strdup ("Анна");
    request->email = g_strdup ("anna@example.org");
    booking = okno_booking_service_book (p.service, request, NULL, now, &token, NULL, &error);
    g_assert_no_error (error);
    id = g_strdup (okno_booking_get_id (booking));
  }
  profile_close (&p);

  for (guint round = 0; round < ROUNDS; round++)
    {
      g_autoptr(GString) received = g_string_new (NULL);
      g_auto(GStrv) lines = NULL;
      guint last = G_MAXUINT;
      guint on;
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
          child_main (dir, id, token, slots, fds[1]);
        }
      close (fds[1]);

      /* From its first acknowledged move (a loaded or sanitized build may
       * take a while to start), 2 to 60 ms more, then pull the plug. */
      while (strchr (received->str, '\n') == NULL &&
             (n = read (fds[0], buffer, sizeof buffer)) > 0)
        g_string_append_len (received, buffer, n);
      g_usleep (g_rand_int_range (rand, 2000, 60000));
      kill (pid, SIGKILL);
      g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
      if (!WIFSIGNALED (status))
        g_error ("The child stopped by itself with %d", WEXITSTATUS (status));

      while ((n = read (fds[0], buffer, sizeof buffer)) > 0)
        g_string_append_len (received, buffer, n);
      close (fds[0]);

      lines = g_strsplit (received->str, "\n", -1);
      for (guint i = 0; lines[i]; i++)
        if (lines[i][0] != '\0')
          {
            last = (guint) g_ascii_strtoull (lines[i], NULL, 10);
            acknowledged++;
          }
      g_assert_cmpuint (last, <, N_SLOTS);

      /* On exactly one slot: the last acknowledged, or the next (its move
       * was durable, its answer not sent yet). */
      g_assert_true (profile_open (&p, dir));
      {
        OknoBooking *booking = okno_ledger_lookup (p.ledger, id);

        g_assert_nonnull (booking);
        g_assert_true (okno_booking_is_active (booking));
        on = slot_index (slots, okno_booking_get_slot_id (booking));
        if (on != last && on != (last + 1) % N_SLOTS)
          g_error ("Round %u: the booking is on slot %u, the last acknowledged move was to %u", round, on, last);
        for (guint i = 0; i < N_SLOTS; i++)
          g_assert_true ((okno_ledger_lookup_active_for_slot (p.ledger, slots[i]) == booking) == (i == on));
      }

      /* The calendar catches up with the ledger. */
      okno_test_wait_outbox (p.outbox, p.calendar);
      g_assert_cmpuint (okno_outbox_get_pending (p.outbox, "calendar"), ==, 0);
      for (guint i = 0; i < N_SLOTS; i++)
        {
          OknoEvent *event = okno_calendar_lookup_event (OKNO_CALENDAR (p.calendar), slots[i]);

          g_assert_nonnull (event);
          if (i == on)
            g_assert_cmpstr (okno_event_get_summary (event), ==, "✅ Анна — Разбор");
          else
            g_assert_cmpstr (okno_event_get_summary (event), ==, "🔓 СЛОТ: Разбор");
        }
      profile_close (&p);
    }

  g_test_message ("%u moves acknowledged over %u kills", acknowledged, ROUNDS);
  g_assert_cmpuint (acknowledged, >=, ROUNDS);
  for (guint i = 0; i < N_SLOTS; i++)
    g_free (slots[i]);
  okno_test_remove_dir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/okno/reschedule/survives-kill", test_survives_kill);

  return g_test_run ();
}
