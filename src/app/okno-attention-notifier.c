/* okno-attention-notifier.c
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "OknoAttentionNotifier"

#include "config.h"

#include <glib/gi18n.h>

#include "okno-attention-notifier.h"

/* A desktop notification for each new "Needs attention" item while the
 * window runs (a Google write refused, a booked slot deleted or moved in
 * Google, a booking replayed onto a slot no longer free…): the item's
 * message, and a click opens the window, where the ⚠ button lists it.
 * Items that were there when the window opened are in the list already. */

struct _OknoAttentionNotifier
{
  GObject        parent_instance;

  GApplication  *application;  /* weak */
  OknoAttention *attention;
  GHashTable    *known;        /* item ids */
};

G_DEFINE_FINAL_TYPE (OknoAttentionNotifier, okno_attention_notifier, G_TYPE_OBJECT)

static void
scan (OknoAttentionNotifier *self,
      gboolean               tell)
{
  g_autoptr(GPtrArray) items = okno_attention_dup_items (self->attention);

  for (guint i = 0; i < items->len; i++)
    {
      JsonObject *item = g_ptr_array_index (items, i);
      const char *id = json_object_get_string_member_with_default (item, "id", NULL);
      g_autoptr(GNotification) notification = NULL;
      g_autofree char *notification_id = NULL;

      if (id == NULL || g_hash_table_contains (self->known, id))
        continue;
      g_hash_table_add (self->known, g_strdup (id));
      if (!tell || self->application == NULL)
        continue;

      notification = g_notification_new (_("Okno needs your attention"));
      g_notification_set_body (notification, json_object_get_string_member_with_default (item, "message", ""));
      g_notification_set_default_action (notification, "app.activate");
      notification_id = g_strconcat ("attention-", id, NULL);
      g_application_send_notification (self->application, notification_id, notification);
    }
}

static void
count_changed_cb (OknoAttentionNotifier *self)
{
  scan (self, TRUE);
}

static void
okno_attention_notifier_dispose (GObject *object)
{
  OknoAttentionNotifier *self = (OknoAttentionNotifier *) object;

  g_clear_weak_pointer (&self->application);
  g_clear_object (&self->attention);

  G_OBJECT_CLASS (okno_attention_notifier_parent_class)->dispose (object);
}

static void
okno_attention_notifier_finalize (GObject *object)
{
  OknoAttentionNotifier *self = (OknoAttentionNotifier *) object;

  g_hash_table_unref (self->known);

  G_OBJECT_CLASS (okno_attention_notifier_parent_class)->finalize (object);
}

static void
okno_attention_notifier_class_init (OknoAttentionNotifierClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = okno_attention_notifier_dispose;
  object_class->finalize = okno_attention_notifier_finalize;
}

static void
okno_attention_notifier_init (OknoAttentionNotifier *self)
{
  self->known = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

OknoAttentionNotifier *
okno_attention_notifier_new (GApplication  *application,
                             OknoAttention *attention)
{
  OknoAttentionNotifier *self;

  g_return_val_if_fail (G_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (OKNO_IS_ATTENTION (attention), NULL);

  self = g_object_new (OKNO_TYPE_ATTENTION_NOTIFIER, NULL);
  g_set_weak_pointer (&self->application, application);
  self->attention = g_object_ref (attention);
  scan (self, FALSE);
  g_signal_connect_object (attention, "notify::count", G_CALLBACK (count_changed_cb), self, G_CONNECT_SWAPPED);

  return self;
}
