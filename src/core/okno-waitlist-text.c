/* okno-waitlist-text.c: what the waitlist says, for Olga and for clients.
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "OknoWaitlist"

#include "config.h"

#include <glib/gi18n.h>

#include "okno-waitlist.h"

static JsonArray *
get_array (JsonObject *object,
           const char *member,
           gpointer    fallback)
{
  JsonNode *node = object ? json_object_get_member (object, member) : NULL;

  return node && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : fallback;
}

static JsonObject *
get_object (JsonObject *object,
            const char *member,
            gpointer    fallback)
{
  JsonNode *node = object ? json_object_get_member (object, member) : NULL;

  return node && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : fallback;
}

static const char * const short_weekdays[] = {
  NC_("short weekday", "Mon"), NC_("short weekday", "Tue"), NC_("short weekday", "Wed"),
  NC_("short weekday", "Thu"), NC_("short weekday", "Fri"), NC_("short weekday", "Sat"),
  NC_("short weekday", "Sun"),
};

/**
 * okno_waitlist_describe_wishes:
 *
 * Returns: what suits the entry, for Olga: «пн, ср · утро, вечер» or
 *   «any time»
 */
char *
okno_waitlist_describe_wishes (JsonObject *entry)
{
  static const char * const parts[] = { N_("morning"), N_("afternoon"), N_("evening") };
  guint days = okno_waitlist_days_from_json (entry);
  guint times = okno_waitlist_times_from_json (entry);
  GString *out = g_string_new (NULL);

  for (guint d = 1; d <= 7; d++)
    if (days & (1u << d))
      {
        if (out->len > 0)
          g_string_append (out, ", ");
        g_string_append (out, g_dpgettext2 (NULL, "short weekday", short_weekdays[d - 1]));
      }
  if (days == 0)
    g_string_append (out, _("any day"));

  g_string_append (out, " · ");
  if (times == 0)
    g_string_append (out, _("any time of day"));
  else
    {
      gboolean first = TRUE;

      for (guint t = 0; t < G_N_ELEMENTS (parts); t++)
        if (times & (1u << t))
          {
            if (!first)
              g_string_append (out, ", ");
            g_string_append (out, _(parts[t]));
            first = FALSE;
          }
    }

  return g_string_free (out, FALSE);
}

/* Texts */

static GDateTime *
parse_member_time (JsonObject *object,
                   const char *member)
{
  const char *text = object ? json_object_get_string_member_with_default (object, member, NULL) : NULL;

  return text ? g_date_time_new_from_iso8601 (text, NULL) : NULL;
}

/**
 * okno_waitlist_format_contact_message:
 * @payload: a "waitlist-contact" payload
 * @zone: Olga's zone
 *
 * Returns: (nullable): plain text for Olga, in her language: «Освободилось
 *   вт 17:30 — ждут: Анна (+7 999 123-45-67)»
 */
char *
okno_waitlist_format_contact_message (JsonObject *payload,
                                      GTimeZone  *zone)
{
  JsonObject *slot = get_object (payload, "slot", NULL);
  JsonArray *waiting = get_array (payload, "waiting", NULL);
  g_autoptr(GDateTime) start = parse_member_time (slot, "start");
  g_autoptr(GDateTime) local = NULL;
  g_autoptr(GString) people = g_string_new (NULL);
  g_autofree char *clock = NULL;
  g_autofree char *when = NULL;

  if (start == NULL || waiting == NULL)
    return NULL;

  local = g_date_time_to_timezone (start, zone);
  clock = g_date_time_format (local, "%H:%M");
  when = g_strdup_printf ("%s %s",
                          g_dpgettext2 (NULL, "short weekday", short_weekdays[g_date_time_get_day_of_week (local) - 1]),
                          clock);

  for (guint i = 0; i < json_array_get_length (waiting); i++)
    {
      JsonObject *person = json_array_get_object_element (waiting, i);
      const char *phone = person ? json_object_get_string_member_with_default (person, "phone", NULL) : NULL;
      const char *telegram = person ? json_object_get_string_member_with_default (person, "telegram", NULL) : NULL;

      if (person == NULL)
        continue;
      if (people->len > 0)
        g_string_append (people, ", ");
      g_string_append (people, json_object_get_string_member_with_default (person, "name", "?"));
      if (phone && telegram)
        g_string_append_printf (people, " (%s, %s)", phone, telegram);
      else if (phone || telegram)
        g_string_append_printf (people, " (%s)", phone ? phone : telegram);
    }

  /* Translators: «Освободилось вт 17:30 — ждут: Анна (+7 999 …)»: a time
   * opened, and who on the waitlist Olga may call about it */
  return g_strdup_printf (_("Open again: %s — waiting: %s"), when, people->str);
}

static const char * const ru_weekdays[] = { "пн", "вт", "ср", "чт", "пт", "сб", "вс" };
static const char * const en_weekdays[] = { "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun" };
static const char * const ru_months[] = { "января", "февраля", "марта", "апреля", "мая", "июня", "июля",
                                          "августа", "сентября", "октября", "ноября", "декабря" };
static const char * const en_months[] = { "January", "February", "March", "April", "May", "June", "July",
                                          "August", "September", "October", "November", "December" };

/**
 * okno_waitlist_format_offer:
 * @payload: a "waitlist-offer" payload
 * @zone: Olga's zone (the slot's times are shown in it)
 * @subject: (out): the email's subject
 * @text: (out): its plain text
 *
 * The email a waiting client gets, in the language they used on the page
 * (payload's waitlist.lang: "ru", else English). The texts are kept here,
 * in both languages, so that any sink can send them in the client's
 * language whatever Olga's is.
 *
 * Returns: %FALSE when the payload is unusable
 */
gboolean
okno_waitlist_format_offer (JsonObject  *payload,
                            GTimeZone   *zone,
                            char       **subject,
                            char       **text)
{
  JsonObject *slot = get_object (payload, "slot", NULL);
  JsonObject *client = get_object (payload, "waitlist", NULL);
  const char *url = json_object_get_string_member_with_default (payload, "bookUrl", NULL);
  g_autoptr(GDateTime) start = parse_member_time (slot, "start");
  g_autoptr(GDateTime) local = NULL;
  g_autofree char *clock = NULL;
  gboolean ru;
  const char *name;
  const char *type;
  int day, month, weekday;

  g_return_val_if_fail (subject != NULL && text != NULL, FALSE);

  if (start == NULL || client == NULL || url == NULL)
    return FALSE;

  ru = g_strcmp0 (json_object_get_string_member_with_default (client, "lang", "ru"), "ru") == 0;
  name = json_object_get_string_member_with_default (client, "name", "");
  type = json_object_get_string_member_with_default (slot, "sessionType", NULL);
  local = g_date_time_to_timezone (start, zone);
  clock = g_date_time_format (local, "%H:%M");
  day = g_date_time_get_day_of_month (local);
  month = g_date_time_get_month (local) - 1;
  weekday = g_date_time_get_day_of_week (local) - 1;

  if (ru)
    {
      *subject = g_strdup_printf ("Освободилось время: %s %d %s, %s", ru_weekdays[weekday], day, ru_months[month], clock);
      *text = g_strdup_printf ("Здравствуйте, %s!\n\n"
                               "Вы ждали подходящее время — оно освободилось: %s %d %s, %s%s%s.\n"
                               "Записаться: %s\n\n"
                               "Это письмо получили все, кто ждёт такое время; запись достанется тому, "
                               "кто запишется первым. Если время уже занято, вы остаётесь в списке ожидания.\n",
                               name, ru_weekdays[weekday], day, ru_months[month], clock,
                               type ? " — " : "", type ? type : "", url);
    }
  else
    {
      *subject = g_strdup_printf ("A time is open: %s %d %s, %s", en_weekdays[weekday], day, en_months[month], clock);
      *text = g_strdup_printf ("Hello %s,\n\n"
                               "A time you were waiting for is open: %s %d %s, %s%s%s.\n"
                               "Book it here: %s\n\n"
                               "Everyone waiting for such a time got this message; the first to book gets it. "
                               "If it is taken already, you stay on the waitlist.\n",
                               name, en_weekdays[weekday], day, en_months[month], clock,
                               type ? " — " : "", type ? type : "", url);
    }
  return TRUE;
}
