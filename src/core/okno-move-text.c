/* okno-move-text.c
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "OknoMoveText"

#include "config.h"

#include <glib/gi18n.h>

#include "okno-move-text.h"
#include "okno-time.h"

/* What Olga is told when a client moves a booking, the same in every
 * channel: «Анна перенесла: вт 17:30 → чт 19:00». */

/* «вт 17:30», "Tue 17:30": in Olga's zone, the weekday small mid-sentence
 * where her language writes it so. */
static char *
format_when (JsonObject *place,
             GTimeZone  *zone)
{
  const char *text = place ? json_object_get_string_member_with_default (place, "start", NULL) : NULL;
  g_autoptr(GDateTime) time = okno_time_parse_rfc3339 (text);
  g_autoptr(GDateTime) local = NULL;
  g_autofree char *formatted = NULL;
  /* Translators: "lower" if weekday names are written with a small letter
   * mid-sentence in your language (Russian: «ср 17:30»), else "keep" */
  const char *rule = C_("weekday mid-sentence", "keep");
  const char *rest;
  g_autofree char *head = NULL;

  if (time == NULL)
    return g_strdup ("?");

  local = g_date_time_to_timezone (time, zone);
  /* Translators: when a booked session starts, in a notification; strftime format («ср 17:30») */
  formatted = g_date_time_format (local, _("%a %H:%M"));
  if (formatted == NULL || formatted[0] == '\0' || g_strcmp0 (rule, "lower") != 0)
    return g_steal_pointer (&formatted);

  rest = g_utf8_next_char (formatted);
  head = g_utf8_strdown (formatted, rest - formatted);
  return g_strconcat (head, rest, NULL);
}

/**
 * okno_move_text_new:
 * @payload: an outbox payload {"event": "rescheduled", "booking",
 *   "from": {"start",…}, "to": {"start",…}}
 * @zone: Olga's zone
 *
 * Returns: (nullable): «Анна перенесла: вт 17:30 → чт 19:00» in Olga's
 *   language, or %NULL when @payload is not a move
 */
char *
okno_move_text_new (JsonObject *payload,
                    GTimeZone  *zone)
{
  JsonObject *booking;
  JsonObject *from;
  JsonObject *to;
  g_autofree char *old_when = NULL;
  g_autofree char *new_when = NULL;
  const char *name;

  g_return_val_if_fail (payload != NULL, NULL);
  g_return_val_if_fail (zone != NULL, NULL);

  if (g_strcmp0 (json_object_get_string_member_with_default (payload, "event", NULL), "rescheduled") != 0 ||
      !json_object_has_member (payload, "from") || !json_object_has_member (payload, "to") ||
      !JSON_NODE_HOLDS_OBJECT (json_object_get_member (payload, "from")) ||
      !JSON_NODE_HOLDS_OBJECT (json_object_get_member (payload, "to")))
    return NULL;

  from = json_object_get_object_member (payload, "from");
  to = json_object_get_object_member (payload, "to");
  booking = json_object_has_member (payload, "booking") &&
            JSON_NODE_HOLDS_OBJECT (json_object_get_member (payload, "booking"))
              ? json_object_get_object_member (payload, "booking") : NULL;
  name = booking ? json_object_get_string_member_with_default (booking, "name", "?") : "?";
  old_when = format_when (from, zone);
  new_when = format_when (to, zone);

  /* Translators: a client moved a booking: «Анна перенесла: вт 17:30 → чт 19:00» */
  return g_strdup_printf (_("%s moved: %s → %s"), name, old_when, new_when);
}
