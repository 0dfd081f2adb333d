/* okno-service-state.c
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "OknoServiceState"

#include "config.h"

#include "okno-service-state.h"

/* What one outside service looks like from here: a state word, when that
 * state began and when it was last checked. A watcher in another layer
 * (the Cal.com monitor in notify) writes it; readers (the web server's
 * /api/status, the window) only read it, so they need not know the
 * watcher. */
struct _OknoServiceState
{
  GObject    parent_instance;

  char      *state;
  GDateTime *since;
  GDateTime *checked_at;
};

G_DEFINE_FINAL_TYPE (OknoServiceState, okno_service_state, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STATE,
  PROP_SINCE,
  PROP_CHECKED_AT,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

static gboolean
same_time (GDateTime *a,
           GDateTime *b)
{
  if (a == NULL || b == NULL)
    return a == b;
  return g_date_time_equal (a, b);
}

static gboolean
set_time (GDateTime **field,
          GDateTime  *value)
{
  if (same_time (*field, value))
    return FALSE;

  g_clear_pointer (field, g_date_time_unref);
  *field = value ? g_date_time_ref (value) : NULL;
  return TRUE;
}

static void
okno_service_state_finalize (GObject *object)
{
  OknoServiceState *self = (OknoServiceState *) object;

  g_clear_pointer (&self->state, g_free);
  g_clear_pointer (&self->since, g_date_time_unref);
  g_clear_pointer (&self->checked_at, g_date_time_unref);

  G_OBJECT_CLASS (okno_service_state_parent_class)->finalize (object);
}

static void
okno_service_state_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  OknoServiceState *self = OKNO_SERVICE_STATE (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_string (value, self->state);
      break;
    case PROP_SINCE:
      g_value_set_boxed (value, self->since);
      break;
    case PROP_CHECKED_AT:
      g_value_set_boxed (value, self->checked_at);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
okno_service_state_class_init (OknoServiceStateClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = okno_service_state_finalize;
  object_class->get_property = okno_service_state_get_property;

  properties [PROP_STATE] =
    g_param_spec_string ("state", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties [PROP_SINCE] =
    g_param_spec_boxed ("since", NULL, NULL,
                        G_TYPE_DATE_TIME,
                        (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties [PROP_CHECKED_AT] =
    g_param_spec_boxed ("checked-at", NULL, NULL,
                        G_TYPE_DATE_TIME,
                        (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
okno_service_state_init (OknoServiceState *self)
{
}

OknoServiceState *
okno_service_state_new (const char *state)
{
  OknoServiceState *self;

  g_return_val_if_fail (state != NULL, NULL);

  self = g_object_new (OKNO_TYPE_SERVICE_STATE, NULL);
  self->state = g_strdup (state);
  return self;
}

const char *
okno_service_state_get_state (OknoServiceState *self)
{
  g_return_val_if_fail (OKNO_IS_SERVICE_STATE (self), NULL);
  return self->state;
}

/**
 * okno_service_state_get_since:
 *
 * Returns: (nullable) (transfer none): when the current state began, or
 *   %NULL when it was never checked
 */
GDateTime *
okno_service_state_get_since (OknoServiceState *self)
{
  g_return_val_if_fail (OKNO_IS_SERVICE_STATE (self), NULL);
  return self->since;
}

/**
 * okno_service_state_get_checked_at:
 *
 * Returns: (nullable) (transfer none): when the service was last checked
 */
GDateTime *
okno_service_state_get_checked_at (OknoServiceState *self)
{
  g_return_val_if_fail (OKNO_IS_SERVICE_STATE (self), NULL);
  return self->checked_at;
}

/* Sets all three at once; each property that changed is notified after
 * all are set, so a reader of :state sees a matching :since. */
void
okno_service_state_update (OknoServiceState *self,
                           const char       *state,
                           GDateTime        *since,
                           GDateTime        *checked_at)
{
  gboolean state_changed = FALSE;
  gboolean since_changed;
  gboolean checked_changed;

  g_return_if_fail (OKNO_IS_SERVICE_STATE (self));
  g_return_if_fail (state != NULL);

  if (g_strcmp0 (self->state, state) != 0)
    {
      g_free (self->state);
      self->state = g_strdup (state);
      state_changed = TRUE;
    }
  since_changed = set_time (&self->since, since);
  checked_changed = set_time (&self->checked_at, checked_at);

  g_object_freeze_notify (G_OBJECT (self));
  if (state_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_STATE]);
  if (since_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_SINCE]);
  if (checked_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_CHECKED_AT]);
  g_object_thaw_notify (G_OBJECT (self));
}
