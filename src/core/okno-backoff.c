/* okno-backoff.c
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "OknoBackoff"

#include "config.h"

#include <stdlib.h>

#include "okno-backoff.h"

/* The time scale of every retry delay (the outbox's and the Google
 * backend's, Retry-After included): OKNO_BACKOFF_SCALE, a factor from
 * 0.0001 to 1, default 1. Tests set 0.01 so that five minutes of Google
 * answering 503 pass in three seconds while the retry logic runs exactly
 * as it does for Olga; only the clock it waits on is shorter. */

double
okno_backoff_get_scale (void)
{
  static gsize once = 0;
  static double scale = 1.0;

  if (g_once_init_enter (&once))
    {
      const char *text = g_getenv ("OKNO_BACKOFF_SCALE");

      if (text != NULL && *text != '\0')
        {
          char *end = NULL;
          double value = g_ascii_strtod (text, &end);

          if (end != NULL && *end == '\0' && value >= 0.0001 && value <= 1.0)
            scale = value;
          else
            g_message ("OKNO_BACKOFF_SCALE=%s is not a number from 0.0001 to 1: ignored", text);
        }
      g_once_init_leave (&once, 1);
    }
  return scale;
}

/* @msec on the backoff clock, at least 1 ms when @msec is not 0. */
guint64
okno_backoff_scale_msec (guint64 msec)
{
  double scale = okno_backoff_get_scale ();
  guint64 scaled;

  if (scale >= 1.0 || msec == 0)
    return msec;
  scaled = (guint64) ((double) msec * scale);
  return MAX (scaled, 1);
}
