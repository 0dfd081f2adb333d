/* test-token.c
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "okno-token.h"

static gboolean
is_url_safe (const char *text)
{
  for (const char *p = text; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_')
      return FALSE;
  return TRUE;
}

static void
test_tokens_are_long_and_unique (void)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < 2000; i++)
    {
      char *token = okno_token_new ();

      /* 24 random bytes: 192 bits, 32 base64url characters. */
      g_assert_cmpuint (strlen (token), ==, 32);
      g_assert_true (is_url_safe (token));
      g_assert_false (g_hash_table_contains (seen, token));
      g_hash_table_add (seen, token);
    }
}

static void
test_hash_and_match (void)
{
  g_autofree char *token = okno_token_new ();
  g_autofree char *other = okno_token_new ();
  g_autofree char *hash = okno_token_hash (token);

  g_assert_cmpuint (strlen (hash), ==, 64);
  g_assert_null (strstr (hash, token));
  g_assert_true (okno_token_matches_hash (token, hash));
  g_assert_false (okno_token_matches_hash (other, hash));
  g_assert_false (okno_token_matches_hash (NULL, hash));
  g_assert_false (okno_token_matches_hash (token, NULL));
  g_assert_false (okno_token_matches_hash (token, "abc"));
}

static void
test_derive (void)
{
  g_autofree char *a = okno_token_derive ("salt-1", "key");
  g_autofree char *b = okno_token_derive ("salt-1", "key");
  g_autofree char *c = okno_token_derive ("salt-2", "key");
  g_autofree char *d = okno_token_derive ("salt-1", "key2");

  g_assert_cmpstr (a, ==, b);
  g_assert_cmpstr (a, !=, c);
  g_assert_cmpstr (a, !=, d);
  g_assert_cmpuint (strlen (a), ==, 32);
  g_assert_true (is_url_safe (a));
}

static void
test_event_ids (void)
{
  for (guint i = 0; i < 200; i++)
    {
      g_autofree char *id = okno_event_id_new ();

      /* Google accepts base32hex: 0-9 and a-v, 5 to 1024 long. */
      g_assert_cmpuint (strlen (id), ==, 26);
      for (const char *p = id; *p; p++)
        g_assert_true ((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'v'));
    }
}

static void
test_booking_ids (void)
{
  g_autofree char *a = okno_booking_id_new ();
  g_autofree char *b = okno_booking_id_new ();

  g_assert_cmpuint (strlen (a), ==, 16);
  g_assert_true (is_url_safe (a));
  g_assert_cmpstr (a, !=, b);

  /* Never like an option on a command line (okno-server bookings cancel
   * ID): one id in 64 began with «-»; 5000 tries miss that with a chance
   * of 1e-34. */
  for (guint i = 0; i < 5000; i++)
    {
      g_autofree char *id = okno_booking_id_new ();

      g_assert_cmpint (id[0], !=, '-');
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/okno/token/long-and-unique", test_tokens_are_long_and_unique);
  g_test_add_func ("/okno/token/hash-and-match", test_hash_and_match);
  g_test_add_func ("/okno/token/derive", test_derive);
  g_test_add_func ("/okno/token/event-ids", test_event_ids);
  g_test_add_func ("/okno/token/booking-ids", test_booking_ids);

  return g_test_run ();
}
