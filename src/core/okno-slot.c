/* okno-slot.c
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "OknoSlot"

#include "config.h"

#include <string.h>

#include "okno-slot.h"

/* A slot is an event seen through Olga's convention: «🔓 СЛОТ: <session
 * type>» when open, «✅ <client> — <session type>» when booked. */
struct _OknoSlot
{
  GObject    parent_instance;

  OknoEvent *event;
  char      *session_type;
  char      *client_name;
  gboolean   booked;
};

G_DEFINE_FINAL_TYPE (OknoSlot, okno_slot, G_TYPE_OBJECT)

#define NAME_SEPARATOR " — "

static gboolean
has_marker (const char *summary,
            const char *marker)
{
  return marker != NULL && marker[0] != '\0' && strstr (summary, marker) != NULL;
}

static gboolean
starts_with_marker (const char *summary,
                    const char *marker)
{
  while (g_ascii_isspace (*summary))
    summary++;
  return marker != NULL && marker[0] != '\0' && g_str_has_prefix (summary, marker);
}

/* Text after the marker without the separating colon and blanks. */
static char *
text_after (const char *summary,
            const char *marker)
{
  const char *p = strstr (summary, marker);

  if (p == NULL)
    return g_strdup ("");

  p += strlen (marker);
  while (*p == ':' || *p == ' ' || *p == '\t' || *p == '-')
    p++;

  return g_strstrip (g_strdup (p));
}

OknoEventKind
okno_event_classify (OknoEvent  *event,
                     const char *slot_marker,
                     const char *booked_marker)
{
  const char *summary;
  gboolean ours;

  g_return_val_if_fail (OKNO_IS_EVENT (event), OKNO_EVENT_KIND_BUSY);

  if (okno_event_is_cancelled (event))
    return OKNO_EVENT_KIND_FREE;

  summary = okno_event_get_summary (event);
  ours = g_strcmp0 (okno_event_get_private (event, OKNO_PROP_KIND), OKNO_PROP_KIND_SLOT) == 0;

  if (starts_with_marker (summary, booked_marker) &&
      (ours || strstr (summary, NAME_SEPARATOR) != NULL))
    return OKNO_EVENT_KIND_BOOKED;

  if (ours || has_marker (summary, slot_marker))
    return OKNO_EVENT_KIND_SLOT;

  if (okno_event_is_transparent (event))
    return OKNO_EVENT_KIND_FREE;

  return OKNO_EVENT_KIND_BUSY;
}

char *
okno_slot_title_new (const char *slot_marker,
                     const char *session_type)
{
  if (session_type == NULL || session_type[0] == '\0')
    return g_strdup (slot_marker);

  return g_strdup_printf ("%s: %s", slot_marker, session_type);
}

char *
okno_booked_title_new (const char *booked_marker,
                       const char *client_name,
                       const char *session_type)
{
  if (session_type == NULL || session_type[0] == '\0')
    return g_strdup_printf ("%s %s", booked_marker, client_name);

  return g_strdup_printf ("%s %s" NAME_SEPARATOR "%s", booked_marker, client_name, session_type);
}

static void
okno_slot_finalize (GObject *object)
{
  OknoSlot *self = (OknoSlot *) object;

  g_clear_object (&self->event);
  g_clear_pointer (&self->session_type, g_free);
  g_clear_pointer (&self->client_name, g_free);

  G_OBJECT_CLASS (okno_slot_parent_class)->finalize (object);
}

static void
okno_slot_class_init (OknoSlotClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = okno_slot_finalize;
}

static void
okno_slot_init (OknoSlot *self)
{
}

/* Returns NULL when @event is not a slot, open or booked. */
OknoSlot *
okno_slot_new_from_event (OknoEvent  *event,
                          const char *slot_marker,
                          const char *booked_marker)
{
  OknoEventKind kind;
  OknoSlot *self;
  const char *summary;

  g_return_val_if_fail (OKNO_IS_EVENT (event), NULL);

  kind = okno_event_classify (event, slot_marker, booked_marker);
  if (kind != OKNO_EVENT_KIND_SLOT && kind != OKNO_EVENT_KIND_BOOKED)
    return NULL;

  summary = okno_event_get_summary (event);
  self = g_object_new (OKNO_TYPE_SLOT, NULL);
  self->event = g_object_ref (event);
  self->booked = kind == OKNO_EVENT_KIND_BOOKED;

  if (self->booked)
    {
      g_autofree char *rest = text_after (summary, booked_marker);
      char *sep = strstr (rest, NAME_SEPARATOR);
      const char *slot_title = okno_event_get_private (event, OKNO_PROP_SLOT_TITLE);

      if (sep != NULL)
        {
          *sep = '\0';
          self->session_type = g_strstrip (g_strdup (sep + strlen (NAME_SEPARATOR)));
        }
      else if (slot_title != NULL)
        self->session_type = text_after (slot_title, slot_marker);
      else
        self->session_type = g_strdup ("");
      self->client_name = g_strstrip (g_strdup (rest));
    }
  else if (has_marker (summary, slot_marker))
    self->session_type = text_after (summary, slot_marker);
  else
    self->session_type = g_strstrip (g_strdup (summary));

  return self;
}

OknoEvent *
okno_slot_get_event (OknoSlot *self)
{
  g_return_val_if_fail (OKNO_IS_SLOT (self), NULL);
  return self->event;
}

const char *
okno_slot_get_id (OknoSlot *self)
{
  g_return_val_if_fail (OKNO_IS_SLOT (self), NULL);
  return okno_event_get_id (self->event);
}

GDateTime *
okno_slot_get_start (OknoSlot *self)
{
  g_return_val_if_fail (OKNO_IS_SLOT (self), NULL);
  return okno_event_get_start (self->event);
}

GDateTime *
okno_slot_get_end (OknoSlot *self)
{
  g_return_val_if_fail (OKNO_IS_SLOT (self), NULL);
  return okno_event_get_end (self->event);
}

guint
okno_slot_get_minutes (OknoSlot *self)
{
  g_return_val_if_fail (OKNO_IS_SLOT (self), 0);
  return (guint) (g_date_time_difference (okno_slot_get_end (self),
                                          okno_slot_get_start (self)) / G_TIME_SPAN_MINUTE);
}

const char *
okno_slot_get_session_type (OknoSlot *self)
{
  g_return_val_if_fail (OKNO_IS_SLOT (self), NULL);
  return self->session_type;
}

gboolean
okno_slot_is_booked (OknoSlot *self)
{
  g_return_val_if_fail (OKNO_IS_SLOT (self), FALSE);
  return self->booked;
}

const char *
okno_slot_get_client_name (OknoSlot *self)
{
  g_return_val_if_fail (OKNO_IS_SLOT (self), NULL);
  return self->client_name;
}
