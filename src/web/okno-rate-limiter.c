/* okno-rate-limiter.c
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "OknoRateLimiter"

#include "config.h"

#include <math.h>

#include "okno-rate-limiter.h"

/* A token bucket per client address: up to @per_minute attempts at once,
 * refilled at @per_minute a minute. Full buckets are forgotten now and then,
 * so the table stays as small as the set of recent clients. */
struct _OknoRateLimiter
{
  GObject     parent_instance;

  guint       per_minute;
  GHashTable *buckets;
  gint64      last_prune;
};

typedef struct
{
  double tokens;
  gint64 updated;
} Bucket;

G_DEFINE_FINAL_TYPE (OknoRateLimiter, okno_rate_limiter, G_TYPE_OBJECT)

#define PRUNE_EVERY_USEC (60 * G_USEC_PER_SEC)

static void
refill (OknoRateLimiter *self,
        Bucket          *bucket,
        gint64           now)
{
  double rate = self->per_minute / (60.0 * G_USEC_PER_SEC);

  if (now > bucket->updated)
    bucket->tokens = MIN ((double) self->per_minute,
                          bucket->tokens + (now - bucket->updated) * rate);
  bucket->updated = now;
}

static void
prune (OknoRateLimiter *self,
       gint64           now)
{
  GHashTableIter iter;
  gpointer value;

  self->last_prune = now;
  g_hash_table_iter_init (&iter, self->buckets);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Bucket *bucket = value;

      refill (self, bucket, now);
      if (bucket->tokens >= self->per_minute)
        g_hash_table_iter_remove (&iter);
    }
}

static void
okno_rate_limiter_finalize (GObject *object)
{
  OknoRateLimiter *self = (OknoRateLimiter *) object;

  g_clear_pointer (&self->buckets, g_hash_table_unref);

  G_OBJECT_CLASS (okno_rate_limiter_parent_class)->finalize (object);
}

static void
okno_rate_limiter_class_init (OknoRateLimiterClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = okno_rate_limiter_finalize;
}

static void
okno_rate_limiter_init (OknoRateLimiter *self)
{
  self->buckets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

/* @per_minute of 0 lets everything through. */
OknoRateLimiter *
okno_rate_limiter_new (guint per_minute)
{
  OknoRateLimiter *self = g_object_new (OKNO_TYPE_RATE_LIMITER, NULL);

  self->per_minute = per_minute;
  return self;
}

void
okno_rate_limiter_set_per_minute (OknoRateLimiter *self,
                                  guint            per_minute)
{
  g_return_if_fail (OKNO_IS_RATE_LIMITER (self));

  self->per_minute = per_minute;
  g_hash_table_remove_all (self->buckets);
}

/**
 * okno_rate_limiter_take:
 * @retry_after: (out): when refused, whole seconds until one attempt is
 *   allowed again
 *
 * Returns: %TRUE if @client may make one more attempt now
 */
gboolean
okno_rate_limiter_take (OknoRateLimiter *self,
                        const char      *client,
                        gint64           now_usec,
                        guint           *retry_after)
{
  Bucket *bucket;

  g_return_val_if_fail (OKNO_IS_RATE_LIMITER (self), FALSE);
  g_return_val_if_fail (client != NULL, FALSE);

  if (self->per_minute == 0)
    return TRUE;

  if (now_usec - self->last_prune > PRUNE_EVERY_USEC)
    prune (self, now_usec);

  bucket = g_hash_table_lookup (self->buckets, client);
  if (bucket == NULL)
    {
      bucket = g_new0 (Bucket, 1);
      bucket->tokens = self->per_minute;
      bucket->updated = now_usec;
      g_hash_table_insert (self->buckets, g_strdup (client), bucket);
    }

  refill (self, bucket, now_usec);
  if (bucket->tokens >= 1.0)
    {
      bucket->tokens -= 1.0;
      return TRUE;
    }

  if (retry_after)
    *retry_after = (guint) MAX (1.0, ceil ((1.0 - bucket->tokens) * 60.0 / self->per_minute));
  return FALSE;
}

guint
okno_rate_limiter_get_n_clients (OknoRateLimiter *self)
{
  g_return_val_if_fail (OKNO_IS_RATE_LIMITER (self), 0);
  return g_hash_table_size (self->buckets);
}
