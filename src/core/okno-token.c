/* okno-token.c
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "OknoToken"

#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/random.h>

#include "okno-token.h"

#define TOKEN_BYTES 24 /* 192 bits */

/* Secrets come from the kernel CSPRNG, never from g_random_*(), whose
 * generator is seeded predictably and is not meant for secrets. */
void
okno_random_bytes (guint8 *buffer,
                   gsize   length)
{
  gsize done = 0;

  while (done < length)
    {
      gssize n = getrandom (buffer + done, length - done, 0);

      if (n < 0)
        {
          if (errno == EINTR)
            continue;
          g_error ("getrandom() failed: %s", g_strerror (errno));
        }
      done += (gsize) n;
    }
}

char *
okno_base64url_encode (const guint8 *data,
                       gsize         length)
{
  char *out = g_base64_encode (data, length);
  char *p;

  for (p = out; *p; p++)
    {
      if (*p == '+')
        *p = '-';
      else if (*p == '/')
        *p = '_';
      else if (*p == '=')
        {
          *p = '\0';
          break;
        }
    }

  return out;
}

char *
okno_token_new (void)
{
  guint8 bytes[TOKEN_BYTES];

  okno_random_bytes (bytes, sizeof bytes);
  return okno_base64url_encode (bytes, sizeof bytes);
}

/* A token that can be derived again from a secret the client holds (its
 * Idempotency-Key) and a random salt kept in the ledger: a retried booking
 * hands back the same token although only its hash is stored. */
char *
okno_token_derive (const char *salt,
                   const char *secret)
{
  g_autoptr(GHmac) hmac = NULL;
  guint8 digest[32];
  gsize digest_len = sizeof digest;

  g_return_val_if_fail (salt != NULL, NULL);
  g_return_val_if_fail (secret != NULL, NULL);

  hmac = g_hmac_new (G_CHECKSUM_SHA256, (const guchar *) salt, strlen (salt));
  g_hmac_update (hmac, (const guchar *) "okno-cancel-token:", -1);
  g_hmac_update (hmac, (const guchar *) secret, -1);
  g_hmac_get_digest (hmac, digest, &digest_len);

  return okno_base64url_encode (digest, TOKEN_BYTES);
}

char *
okno_token_hash (const char *token)
{
  g_return_val_if_fail (token != NULL, NULL);

  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, token, -1);
}

gboolean
okno_token_matches_hash (const char *token,
                         const char *hash)
{
  g_autofree char *computed = NULL;
  gsize len;
  guint8 diff = 0;

  if (token == NULL || hash == NULL)
    return FALSE;

  computed = okno_token_hash (token);
  len = strlen (computed);
  if (strlen (hash) != len)
    return FALSE;

  /* Constant time: the answer's timing must not tell how much matched. */
  for (gsize i = 0; i < len; i++)
    diff |= (guint8) (computed[i] ^ hash[i]);

  return diff == 0;
}

/* Google Calendar accepts client-chosen ids of base32hex characters
 * (a–v, 0–9), 5–1024 long: 130 random bits make 26 of them. */
char *
okno_event_id_new (void)
{
  static const char alphabet[] = "0123456789abcdefghijklmnopqrstuv";
  guint8 bytes[26];
  char *id = g_malloc (sizeof bytes + 1);

  okno_random_bytes (bytes, sizeof bytes);
  for (gsize i = 0; i < sizeof bytes; i++)
    id[i] = alphabet[bytes[i] & 31];
  id[sizeof bytes] = '\0';

  return id;
}

/* Whether @id is one a client may choose for a new event: 5–1024
 * characters of a–v and 0–9 (Google's rule, which the local calendar
 * follows too, so an id works in either backend). */
gboolean
okno_event_id_is_valid (const char *id)
{
  gsize len;

  if (id == NULL)
    return FALSE;

  len = strlen (id);
  if (len < 5 || len > 1024)
    return FALSE;

  for (gsize i = 0; i < len; i++)
    if (!((id[i] >= 'a' && id[i] <= 'v') || (id[i] >= '0' && id[i] <= '9')))
      return FALSE;

  return TRUE;
}

/* 96 random bits, base64url; never starting with «-», which a command
 * line would take for an option (`okno-server bookings cancel -uj…`). */
char *
okno_booking_id_new (void)
{
  guint8 bytes[12];
  char *id;

  do
    {
      okno_random_bytes (bytes, sizeof bytes);
      id = okno_base64url_encode (bytes, sizeof bytes);
      if (id[0] != '-')
        return id;
      g_free (id);
    }
  while (TRUE);
}
