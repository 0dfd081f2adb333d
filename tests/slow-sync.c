/* slow-sync.c: an LD_PRELOAD shim that makes fdatasync() and fsync() take
 * as long as on a laptop disk (OKNO_SYNC_DELAY_MS, default 10 ms) before
 * doing the real thing. build-aux/bench.sh measures group commit with it:
 * one sync per booking would cap bookings at 100/s.
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define _GNU_SOURCE

#include <dlfcn.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static void
sleep_a_sync (void)
{
  const char *env = getenv ("OKNO_SYNC_DELAY_MS");
  long msec = env ? atol (env) : 10;
  struct timespec delay = { msec / 1000, (msec % 1000) * 1000000L };

  while (nanosleep (&delay, &delay) != 0)
    ;
}

int
fdatasync (int fd)
{
  static int (*real) (int);

  if (real == NULL)
    real = (int (*) (int)) dlsym (RTLD_NEXT, "fdatasync");
  sleep_a_sync ();
  return real (fd);
}

int
fsync (int fd)
{
  static int (*real) (int);

  if (real == NULL)
    real = (int (*) (int)) dlsym (RTLD_NEXT, "fsync");
  sleep_a_sync ();
  return real (fd);
}
