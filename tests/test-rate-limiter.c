/* test-rate-limiter.c
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "okno-rate-limiter.h"

#define SEC G_USEC_PER_SEC

static void
test_bucket (void)
{
  g_autoptr(OknoRateLimiter) limiter = okno_rate_limiter_new (10);
  gint64 t = 1000 * SEC;
  guint retry = 0;

  for (guint i = 0; i < 10; i++)
    g_assert_true (okno_rate_limiter_take (limiter, "10.0.0.1", t, &retry));
  g_assert_false (okno_rate_limiter_take (limiter, "10.0.0.1", t, &retry));
  /* One attempt comes back every 6 seconds. */
  g_assert_cmpuint (retry, ==, 6);

  /* Another client has its own bucket. */
  g_assert_true (okno_rate_limiter_take (limiter, "10.0.0.2", t, &retry));

  g_assert_false (okno_rate_limiter_take (limiter, "10.0.0.1", t + 5 * SEC, &retry));
  g_assert_cmpuint (retry, ==, 1);
  g_assert_true (okno_rate_limiter_take (limiter, "10.0.0.1", t + 6 * SEC, &retry));
  g_assert_false (okno_rate_limiter_take (limiter, "10.0.0.1", t + 6 * SEC, &retry));
}

static void
test_disabled (void)
{
  g_autoptr(OknoRateLimiter) limiter = okno_rate_limiter_new (0);

  for (guint i = 0; i < 1000; i++)
    g_assert_true (okno_rate_limiter_take (limiter, "10.0.0.1", 0, NULL));
}

static void
test_forgets_idle_clients (void)
{
  g_autoptr(OknoRateLimiter) limiter = okno_rate_limiter_new (5);
  gint64 t = 1000 * SEC;

  for (guint i = 0; i < 100; i++)
    {
      g_autofree char *client = g_strdup_printf ("10.0.%u.%u", i / 250, i % 250);
      okno_rate_limiter_take (limiter, client, t, NULL);
    }
  g_assert_cmpuint (okno_rate_limiter_get_n_clients (limiter), ==, 100);

  okno_rate_limiter_take (limiter, "10.9.9.9", t + 120 * SEC, NULL);
  g_assert_cmpuint (okno_rate_limiter_get_n_clients (limiter), ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/okno/rate-limiter/bucket", test_bucket);
  g_test_add_func ("/okno/rate-limiter/disabled", test_disabled);
  g_test_add_func ("/okno/rate-limiter/forgets-idle-clients", test_forgets_idle_clients);

  return g_test_run ();
}
