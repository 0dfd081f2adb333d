/* okno-session-type.c
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "OknoSessionType"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "okno-session-type.h"

/* A kind of session Olga offers: what a slot's title names after the slot
 * marker («🔓 СЛОТ: Включить в дело»), how long it lasts by default, and the
 * lines the booking page shows about it. The list lives in the
 * "session-types" setting as a(ssusss): id, name, minutes, description,
 * format/place, price. */
struct _OknoSessionType
{
  GObject  parent_instance;

  char    *id;
  char    *name;
  guint    minutes;
  char    *description;
  char    *place;
  char    *price;
};

G_DEFINE_FINAL_TYPE (OknoSessionType, okno_session_type, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_NAME,
  PROP_MINUTES,
  PROP_DESCRIPTION,
  PROP_PLACE,
  PROP_PRICE,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

#define DEFAULT_MINUTES 40
#define MAX_MINUTES     480
#define SEED_DAYS       180

static gboolean
set_string (char       **field,
            const char  *value)
{
  if (value == NULL)
    value = "";
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;
  g_free (*field);
  *field = g_strdup (value);
  return TRUE;
}

static char *
fold_name (const char *name)
{
  g_autofree char *stripped = g_strstrip (g_strdup (name ? name : ""));
  g_autofree char *normal = g_utf8_normalize (stripped, -1, G_NORMALIZE_DEFAULT);

  return g_utf8_casefold (normal ? normal : "", -1);
}

static void
okno_session_type_finalize (GObject *object)
{
  OknoSessionType *self = (OknoSessionType *)object;

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->description, g_free);
  g_clear_pointer (&self->place, g_free);
  g_clear_pointer (&self->price, g_free);

  G_OBJECT_CLASS (okno_session_type_parent_class)->finalize (object);
}

static void
okno_session_type_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  OknoSessionType *self = OKNO_SESSION_TYPE (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_MINUTES:
      g_value_set_uint (value, self->minutes);
      break;
    case PROP_DESCRIPTION:
      g_value_set_string (value, self->description);
      break;
    case PROP_PLACE:
      g_value_set_string (value, self->place);
      break;
    case PROP_PRICE:
      g_value_set_string (value, self->price);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
okno_session_type_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  OknoSessionType *self = OKNO_SESSION_TYPE (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_free (self->id);
      self->id = g_value_dup_string (value);
      if (self->id == NULL || self->id[0] == '\0')
        {
          g_free (self->id);
          self->id = g_uuid_string_random ();
        }
      break;
    case PROP_NAME:
      okno_session_type_set_name (self, g_value_get_string (value));
      break;
    case PROP_MINUTES:
      okno_session_type_set_minutes (self, g_value_get_uint (value));
      break;
    case PROP_DESCRIPTION:
      okno_session_type_set_description (self, g_value_get_string (value));
      break;
    case PROP_PLACE:
      okno_session_type_set_place (self, g_value_get_string (value));
      break;
    case PROP_PRICE:
      okno_session_type_set_price (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
okno_session_type_class_init (OknoSessionTypeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = okno_session_type_finalize;
  object_class->get_property = okno_session_type_get_property;
  object_class->set_property = okno_session_type_set_property;

  properties [PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties [PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, "",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties [PROP_MINUTES] =
    g_param_spec_uint ("minutes", NULL, NULL, 5, MAX_MINUTES, DEFAULT_MINUTES,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties [PROP_DESCRIPTION] =
    g_param_spec_string ("description", NULL, NULL, "",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties [PROP_PLACE] =
    g_param_spec_string ("place", NULL, NULL, "",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties [PROP_PRICE] =
    g_param_spec_string ("price", NULL, NULL, "",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
okno_session_type_init (OknoSessionType *self)
{
  self->name = g_strdup ("");
  self->minutes = DEFAULT_MINUTES;
  self->description = g_strdup ("");
  self->place = g_strdup ("");
  self->price = g_strdup ("");
}

/**
 * okno_session_type_new:
 * @id: (nullable): a stable id; %NULL or empty makes a new random one
 *
 * Returns: (transfer full): a session type with empty description, place and price
 */
OknoSessionType *
okno_session_type_new (const char *id,
                       const char *name,
                       guint       minutes)
{
  return g_object_new (OKNO_TYPE_SESSION_TYPE,
                       "id", id,
                       "name", name,
                       "minutes", CLAMP (minutes, 5, MAX_MINUTES),
                       NULL);
}

OknoSessionType *
okno_session_type_copy (OknoSessionType *self)
{
  g_return_val_if_fail (OKNO_IS_SESSION_TYPE (self), NULL);

  return g_object_new (OKNO_TYPE_SESSION_TYPE,
                       "id", self->id,
                       "name", self->name,
                       "minutes", self->minutes,
                       "description", self->description,
                       "place", self->place,
                       "price", self->price,
                       NULL);
}

const char *
okno_session_type_get_id (OknoSessionType *self)
{
  g_return_val_if_fail (OKNO_IS_SESSION_TYPE (self), NULL);
  return self->id;
}

const char *
okno_session_type_get_name (OknoSessionType *self)
{
  g_return_val_if_fail (OKNO_IS_SESSION_TYPE (self), NULL);
  return self->name;
}

void
okno_session_type_set_name (OknoSessionType *self,
                            const char      *name)
{
  g_autofree char *clean = NULL;

  g_return_if_fail (OKNO_IS_SESSION_TYPE (self));

  /* A name never carries a length: the slot's own times say it. */
  clean = okno_session_type_name_from_title (name);
  if (set_string (&self->name, clean))
    g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_NAME]);
}

guint
okno_session_type_get_minutes (OknoSessionType *self)
{
  g_return_val_if_fail (OKNO_IS_SESSION_TYPE (self), DEFAULT_MINUTES);
  return self->minutes;
}

void
okno_session_type_set_minutes (OknoSessionType *self,
                               guint            minutes)
{
  g_return_if_fail (OKNO_IS_SESSION_TYPE (self));

  minutes = CLAMP (minutes, 5, MAX_MINUTES);
  if (self->minutes == minutes)
    return;
  self->minutes = minutes;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_MINUTES]);
}

const char *
okno_session_type_get_description (OknoSessionType *self)
{
  g_return_val_if_fail (OKNO_IS_SESSION_TYPE (self), NULL);
  return self->description;
}

void
okno_session_type_set_description (OknoSessionType *self,
                                   const char      *description)
{
  g_return_if_fail (OKNO_IS_SESSION_TYPE (self));
  if (set_string (&self->description, description))
    g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_DESCRIPTION]);
}

const char *
okno_session_type_get_place (OknoSessionType *self)
{
  g_return_val_if_fail (OKNO_IS_SESSION_TYPE (self), NULL);
  return self->place;
}

void
okno_session_type_set_place (OknoSessionType *self,
                             const char      *place)
{
  g_return_if_fail (OKNO_IS_SESSION_TYPE (self));
  if (set_string (&self->place, place))
    g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_PLACE]);
}

const char *
okno_session_type_get_price (OknoSessionType *self)
{
  g_return_val_if_fail (OKNO_IS_SESSION_TYPE (self), NULL);
  return self->price;
}

void
okno_session_type_set_price (OknoSessionType *self,
                             const char      *price)
{
  g_return_if_fail (OKNO_IS_SESSION_TYPE (self));
  if (set_string (&self->price, price))
    g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_PRICE]);
}

/**
 * okno_session_type_dup_slot_title:
 *
 * Returns: (transfer full): the title of an open slot of this type,
 *   `🔓 СЛОТ: <name>`, never with a length in it
 */
char *
okno_session_type_dup_slot_title (OknoSessionType *self,
                                  const char      *slot_marker)
{
  g_return_val_if_fail (OKNO_IS_SESSION_TYPE (self), NULL);
  g_return_val_if_fail (slot_marker != NULL, NULL);

  return okno_slot_title_new (slot_marker, self->name);
}

/**
 * okno_session_type_name_from_title:
 * @session_type_text: (nullable): the text after a slot's marker, such as
 *   «Включить в дело (40 мин)»
 *
 * Returns: (transfer full): the type's name without a trailing length in
 *   brackets («Включить в дело»)
 */
char *
okno_session_type_name_from_title (const char *session_type_text)
{
  static GRegex *length = NULL;

  if (session_type_text == NULL)
    return g_strdup ("");

  if (g_once_init_enter (&length))
    g_once_init_leave (&length,
                       g_regex_new ("\\s*\\(\\s*\\d+\\s*(мин|min|м|m)[^()]*\\)\\s*$",
                                    G_REGEX_OPTIMIZE | G_REGEX_CASELESS, 0, NULL));

  return g_strstrip (g_regex_replace_literal (length, session_type_text, -1, 0, "", 0, NULL));
}

/**
 * okno_session_types_load:
 *
 * Returns: (transfer full): the "session-types" setting as a list of
 *   #OknoSessionType, in Olga's order
 */
GListStore *
okno_session_types_load (GSettings *settings)
{
  g_autoptr(GVariant) value = NULL;
  GListStore *store = g_list_store_new (OKNO_TYPE_SESSION_TYPE);
  GVariantIter iter;
  const char *id, *name, *description, *place, *price;
  guint32 minutes;

  g_return_val_if_fail (G_IS_SETTINGS (settings), store);

  value = g_settings_get_value (settings, OKNO_SESSION_TYPES_KEY);
  g_variant_iter_init (&iter, value);
  while (g_variant_iter_next (&iter, "(&s&su&s&s&s)", &id, &name, &minutes, &description, &place, &price))
    {
      g_autoptr(OknoSessionType) type = NULL;

      if (name[0] == '\0' || okno_session_types_lookup (G_LIST_MODEL (store), id) != NULL)
        continue;

      type = okno_session_type_new (id, name, minutes);
      okno_session_type_set_description (type, description);
      okno_session_type_set_place (type, place);
      okno_session_type_set_price (type, price);
      g_list_store_append (store, type);
    }

  return store;
}

/**
 * okno_session_types_save:
 *
 * Writes @types to the "session-types" setting. When the current type is
 * no longer among them, the first one becomes current.
 */
void
okno_session_types_save (GSettings  *settings,
                         GListModel *types)
{
  g_auto(GVariantBuilder) builder = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE (OKNO_SESSION_TYPES_VARIANT));
  g_autofree char *current = NULL;
  guint n;

  g_return_if_fail (G_IS_SETTINGS (settings));
  g_return_if_fail (G_IS_LIST_MODEL (types));

  n = g_list_model_get_n_items (types);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(OknoSessionType) type = g_list_model_get_item (types, i);

      g_variant_builder_add (&builder, "(ssusss)",
                             type->id, type->name, type->minutes,
                             type->description, type->place, type->price);
    }

  g_settings_delay (settings);
  g_settings_set_value (settings, OKNO_SESSION_TYPES_KEY, g_variant_builder_end (&builder));

  current = g_settings_get_string (settings, OKNO_CURRENT_SESSION_TYPE_KEY);
  if (n > 0 && okno_session_types_lookup (types, current) == NULL)
    {
      g_autoptr(OknoSessionType) first = g_list_model_get_item (types, 0);
      g_settings_set_string (settings, OKNO_CURRENT_SESSION_TYPE_KEY, first->id);
    }
  g_settings_apply (settings);
}

/**
 * okno_session_types_seed:
 * @slots: (element-type OknoSlot): open and booked slots to learn from
 *
 * When the "session-types" setting is empty, fills it with one type: the
 * name most of @slots carry (without a length in brackets) and their most
 * common length; with no named slot, «Session» of the "slot-minutes"
 * length.
 *
 * Returns: %TRUE when it seeded the list, %FALSE when it already had types
 */
gboolean
okno_session_types_seed (GSettings *settings,
                         GPtrArray *slots)
{
  g_autoptr(GListStore) existing = NULL;
  g_autoptr(GListStore) seeded = NULL;
  g_autoptr(GHashTable) names = NULL;
  g_autoptr(GHashTable) lengths = NULL;
  g_autoptr(OknoSessionType) type = NULL;
  g_autofree char *best = NULL;
  guint best_count = 0;
  guint minutes;

  g_return_val_if_fail (G_IS_SETTINGS (settings), FALSE);

  existing = okno_session_types_load (settings);
  if (g_list_model_get_n_items (G_LIST_MODEL (existing)) > 0)
    return FALSE;

  names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; slots != NULL && i < slots->len; i++)
    {
      g_autofree char *name = okno_session_type_name_from_title (okno_slot_get_session_type (g_ptr_array_index (slots, i)));
      guint count;

      if (name[0] == '\0')
        continue;
      count = GPOINTER_TO_UINT (g_hash_table_lookup (names, name)) + 1;
      /* Ties go to the name seen first (slots come in time order). */
      if (count > best_count)
        {
          best_count = count;
          g_free (best);
          best = g_strdup (name);
        }
      g_hash_table_replace (names, g_steal_pointer (&name), GUINT_TO_POINTER (count));
    }

  minutes = g_settings_get_uint (settings, "slot-minutes");
  if (best != NULL)
    {
      guint best_length = 0;

      lengths = g_hash_table_new (NULL, NULL);
      for (guint i = 0; i < slots->len; i++)
        {
          OknoSlot *slot = g_ptr_array_index (slots, i);
          g_autofree char *name = okno_session_type_name_from_title (okno_slot_get_session_type (slot));
          guint length = okno_slot_get_minutes (slot);
          guint count;

          if (strcmp (name, best) != 0 || length == 0)
            continue;
          count = GPOINTER_TO_UINT (g_hash_table_lookup (lengths, GUINT_TO_POINTER (length))) + 1;
          g_hash_table_replace (lengths, GUINT_TO_POINTER (length), GUINT_TO_POINTER (count));
          if (count > best_length)
            {
              best_length = count;
              minutes = length;
            }
        }
    }

  type = okno_session_type_new (NULL, best ? best : _("Session"), minutes);
  seeded = g_list_store_new (OKNO_TYPE_SESSION_TYPE);
  g_list_store_append (seeded, type);
  okno_session_types_save (settings, G_LIST_MODEL (seeded));
  g_debug ("Seeded the session types with “%s”, %u minutes", okno_session_type_get_name (type), minutes);

  return TRUE;
}

/**
 * okno_session_types_ensure:
 *
 * Seeds the "session-types" setting on first use from the slots in
 * @schedule's calendar within half a year either side of now; not while
 * the calendar's first sync is under way (call it again when its state
 * changes).
 *
 * Returns: %TRUE when it seeded the list
 */
gboolean
okno_session_types_ensure (GSettings    *settings,
                           OknoSchedule *schedule)
{
  g_autoptr(GListStore) existing = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GPtrArray) slots = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(GDateTime) from = NULL;
  g_autoptr(GDateTime) to = NULL;

  g_return_val_if_fail (G_IS_SETTINGS (settings), FALSE);
  g_return_val_if_fail (OKNO_IS_SCHEDULE (schedule), FALSE);

  existing = okno_session_types_load (settings);
  if (g_list_model_get_n_items (G_LIST_MODEL (existing)) > 0)
    return FALSE;
  /* A remote calendar's first sync is not in yet (Google on the first
   * start after connecting): no slots to learn from so far. Ask again once
   * its state changes. */
  if (okno_calendar_get_state (okno_schedule_get_calendar (schedule)) == OKNO_CALENDAR_STATE_SYNCING &&
      okno_calendar_get_last_sync (okno_schedule_get_calendar (schedule)) == NULL)
    return FALSE;

  now = g_date_time_new_now_utc ();
  from = g_date_time_add_days (now, -SEED_DAYS);
  to = g_date_time_add_days (now, SEED_DAYS);
  events = okno_calendar_list_events (okno_schedule_get_calendar (schedule), from, to);
  slots = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < events->len; i++)
    {
      OknoEvent *event = g_ptr_array_index (events, i);
      OknoEventKind kind = okno_schedule_classify (schedule, event);

      OknoSlot *slot = NULL;

      if (kind == OKNO_EVENT_KIND_SLOT || kind == OKNO_EVENT_KIND_BOOKED)
        slot = okno_slot_new_from_event (event,
                                         okno_schedule_get_slot_marker (schedule),
                                         okno_schedule_get_booked_marker (schedule));
      if (slot != NULL)
        g_ptr_array_add (slots, slot);
    }

  return okno_session_types_seed (settings, slots);
}

/**
 * okno_session_types_lookup:
 *
 * Returns: (transfer none) (nullable): the type with @id in @types
 */
OknoSessionType *
okno_session_types_lookup (GListModel *types,
                           const char *id)
{
  guint n;

  g_return_val_if_fail (G_IS_LIST_MODEL (types), NULL);

  if (id == NULL || id[0] == '\0')
    return NULL;

  n = g_list_model_get_n_items (types);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(OknoSessionType) type = g_list_model_get_item (types, i);

      if (g_strcmp0 (type->id, id) == 0)
        return type; /* @types holds it */
    }

  return NULL;
}

/**
 * okno_session_types_find_for_title:
 * @session_type_text: (nullable): what a slot's title says after its marker
 *   (okno_slot_get_session_type()), with or without a length in brackets
 *
 * Returns: (transfer none) (nullable): the type of that name, compared
 *   without case, or %NULL
 */
OknoSessionType *
okno_session_types_find_for_title (GListModel *types,
                                   const char *session_type_text)
{
  g_autofree char *name = NULL;
  g_autofree char *folded = NULL;
  guint n;

  g_return_val_if_fail (G_IS_LIST_MODEL (types), NULL);

  name = okno_session_type_name_from_title (session_type_text);
  if (name[0] == '\0')
    return NULL;
  folded = fold_name (name);

  n = g_list_model_get_n_items (types);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(OknoSessionType) type = g_list_model_get_item (types, i);
      g_autofree char *other = fold_name (type->name);

      if (strcmp (folded, other) == 0)
        return type; /* @types holds it */
    }

  return NULL;
}

/**
 * okno_session_types_dup_current:
 *
 * Returns: (transfer full) (nullable): the type the "current-session-type"
 *   setting names, else the first of @types; %NULL when @types is empty
 */
OknoSessionType *
okno_session_types_dup_current (GSettings  *settings,
                                GListModel *types)
{
  g_autofree char *id = NULL;
  OknoSessionType *type;

  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);
  g_return_val_if_fail (G_IS_LIST_MODEL (types), NULL);

  id = g_settings_get_string (settings, OKNO_CURRENT_SESSION_TYPE_KEY);
  if ((type = okno_session_types_lookup (types, id)) != NULL)
    return g_object_ref (type);

  if (g_list_model_get_n_items (types) == 0)
    return NULL;
  return g_list_model_get_item (types, 0);
}
