/* okno-attention.c
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "OknoAttention"

#include "config.h"

#include <glib/gi18n.h>

#include "okno-attention.h"

/* "Needs attention": what Okno could not do on its own and Olga should
 * know — a calendar change that failed for good or found the event no
 * longer as Okno wrote it, a notification that cannot be sent, a damaged
 * record set aside at load. Each item is
 *   {"id", "created", "code", "message", "subject"?}
 * kept in the ledger (journal and snapshot) until she dismisses it. */
struct _OknoAttention
{
  GObject     parent_instance;

  OknoLedger *ledger;
  guint       count;
};

G_DEFINE_FINAL_TYPE (OknoAttention, okno_attention, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_COUNT,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

static void
ledger_attention_changed_cb (OknoAttention *self)
{
  guint count = okno_ledger_get_attention_items (self->ledger)->len;

  if (count == self->count)
    return;

  self->count = count;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_COUNT]);
}

static void
okno_attention_dispose (GObject *object)
{
  OknoAttention *self = (OknoAttention *) object;

  g_clear_object (&self->ledger);

  G_OBJECT_CLASS (okno_attention_parent_class)->dispose (object);
}

static void
okno_attention_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  OknoAttention *self = OKNO_ATTENTION (object);

  switch (prop_id)
    {
    case PROP_COUNT:
      g_value_set_uint (value, self->count);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
okno_attention_class_init (OknoAttentionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = okno_attention_dispose;
  object_class->get_property = okno_attention_get_property;

  /**
   * OknoAttention:count:
   *
   * How many items wait for Olga.
   */
  properties [PROP_COUNT] =
    g_param_spec_uint ("count", NULL, NULL,
                       0, G_MAXUINT, 0,
                       (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
okno_attention_init (OknoAttention *self)
{
}

OknoAttention *
okno_attention_new (OknoLedger *ledger)
{
  OknoAttention *self;

  g_return_val_if_fail (OKNO_IS_LEDGER (ledger), NULL);

  self = g_object_new (OKNO_TYPE_ATTENTION, NULL);
  self->ledger = g_object_ref (ledger);
  self->count = okno_ledger_get_attention_items (ledger)->len;
  g_signal_connect_object (ledger, "attention-changed",
                           G_CALLBACK (ledger_attention_changed_cb), self, G_CONNECT_SWAPPED);

  return self;
}

guint
okno_attention_get_count (OknoAttention *self)
{
  g_return_val_if_fail (OKNO_IS_ATTENTION (self), 0);
  return self->count;
}

/**
 * okno_attention_dup_items:
 *
 * Returns: (transfer container) (element-type JsonObject): the items,
 *   oldest first
 */
GPtrArray *
okno_attention_dup_items (OknoAttention *self)
{
  GPtrArray *items;
  GPtrArray *stored;

  g_return_val_if_fail (OKNO_IS_ATTENTION (self), NULL);

  stored = okno_ledger_get_attention_items (self->ledger);
  items = g_ptr_array_new_full (stored->len, (GDestroyNotify) json_object_unref);
  for (guint i = 0; i < stored->len; i++)
    g_ptr_array_add (items, json_object_ref (g_ptr_array_index (stored, i)));

  return items;
}

/**
 * okno_attention_add:
 * @code: what kind of problem: "calendar-changed", "calendar-failed",
 *   "notify-failed", "damaged-record"
 * @subject: (nullable): what it concerns (a booking id, a file)
 * @message: for Olga, in her language
 *
 * Returns: (transfer full): the new item's id
 */
char *
okno_attention_add (OknoAttention *self,
                    const char    *code,
                    const char    *subject,
                    const char    *message)
{
  g_autoptr(JsonObject) item = NULL;

  g_return_val_if_fail (OKNO_IS_ATTENTION (self), NULL);
  g_return_val_if_fail (code != NULL && message != NULL, NULL);

  item = okno_attention_item_new (code, subject, message);
  okno_ledger_add_attention (self->ledger, item);

  return g_strdup (json_object_get_string_member (item, "id"));
}

gboolean
okno_attention_dismiss (OknoAttention  *self,
                        const char     *id,
                        GError        **error)
{
  g_return_val_if_fail (OKNO_IS_ATTENTION (self), FALSE);

  if (id == NULL || !okno_ledger_dismiss_attention (self->ledger, id))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   _("There is no attention item %s"), id ? id : "");
      return FALSE;
    }

  return TRUE;
}
