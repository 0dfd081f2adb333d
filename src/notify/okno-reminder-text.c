/* okno-reminder-text.c
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "OknoReminderText"

#include "config.h"

#include <glib/gi18n.h>

#include "okno-reminder-text.h"
#include "okno-telegram.h"
#include "okno-time.h"

/* What OknoReminders' outbox items say (see okno-reminders.c for their
 * payloads):
 *   "reminder"  an email to the client, in the language they booked in
 *               (the booking's "language", else Russian); strings marked
 *               W_() are translated per message through the translate
 *               function, as the booking page's are;
 *   "agenda"    a Telegram message to Olga, in her (the program's)
 *               language, every client-typed string escaped. */

#define W_(s) (s)

static const char *
tr (OknoReminderTranslateFunc  translate,
    const char                *language,
    const char                *msgid)
{
  if (translate != NULL)
    return translate (language, msgid);
  return g_str_equal (language, "en") ? msgid : g_dgettext (GETTEXT_PACKAGE, msgid);
}

/* @format with each {name} replaced by the value after it (NULL ends). */
static char *
fill_in (const char *format,
         ...)
{
  g_autoptr(GString) out = g_string_new (format);
  va_list args;
  const char *name;

  va_start (args, format);
  while ((name = va_arg (args, const char *)) != NULL)
    {
      const char *value = va_arg (args, const char *);
      g_autofree char *placeholder = g_strconcat ("{", name, "}", NULL);

      g_string_replace (out, placeholder, value ? value : "", 0);
    }
  va_end (args);

  return g_string_free (g_steal_pointer (&out), FALSE);
}

static const char *
member (JsonObject *object,
        const char *name)
{
  const char *value = json_object_get_string_member_with_default (object, name, NULL);

  return value != NULL && value[0] != '\0' ? value : NULL;
}

static JsonObject *
payload_booking (JsonObject *payload)
{
  JsonNode *node = json_object_get_member (payload, "booking");

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

/**
 * okno_reminder_language:
 * @payload: a "reminder" item's payload
 *
 * Returns: the language the client booked in: "en" or "ru"
 */
const char *
okno_reminder_language (JsonObject *payload)
{
  JsonObject *booking = payload_booking (payload);
  const char *language = booking ? member (booking, "language") : NULL;

  return g_strcmp0 (language, "en") == 0 ? "en" : "ru";
}

static char *
format_when (GDateTime  *start,
             GDateTime  *end,
             GTimeZone  *zone,
             const char *language)
{
  g_autoptr(GDateTime) from = g_date_time_to_timezone (start, zone);
  g_autoptr(GDateTime) to = g_date_time_to_timezone (end, zone);
  g_autofree char *day = g_date_time_format (from, g_str_equal (language, "ru") ? "%d.%m.%Y" : "%Y-%m-%d");
  g_autofree char *a = g_date_time_format (from, "%H:%M");
  g_autofree char *b = g_date_time_format (to, "%H:%M");

  return g_strdup_printf ("%s, %s–%s", day, a, b);
}

void
okno_reminder_email_free (OknoReminderEmail *email)
{
  if (email == NULL)
    return;
  g_free (email->language);
  g_free (email->to_name);
  g_free (email->to_address);
  g_free (email->subject);
  g_free (email->text);
  g_free (email->html);
  g_free (email);
}

/**
 * okno_reminder_email_new:
 * @payload: a "reminder" outbox item's payload
 * @owner_zone: Olga's zone, for a booking that names none
 * @owner_name: (nullable): Olga's name as her page shows it
 * @translate: (nullable): the per-language translation, else gettext for
 *   Russian and the msgids for English
 *
 * Returns: (nullable): the reminder to the client, or %NULL when the
 *   payload has no booking with an email address
 */
OknoReminderEmail *
okno_reminder_email_new (JsonObject                *payload,
                         GTimeZone                 *owner_zone,
                         const char                *owner_name,
                         OknoReminderTranslateFunc  translate)
{
  g_autoptr(OknoReminderEmail) email = NULL;
  g_autoptr(GTimeZone) client_zone = NULL;
  g_autoptr(GDateTime) start = NULL;
  g_autoptr(GDateTime) end = NULL;
  g_autoptr(GString) text = NULL;
  g_autoptr(GString) html = NULL;
  g_autofree char *when = NULL;
  g_autofree char *zone_line = NULL;
  g_autofree char *hello = NULL;
  g_autofree char *intro = NULL;
  g_autofree char *type_line = NULL;
  const char *language, *name, *type, *zone_name, *cancel;
  JsonObject *booking;

  g_return_val_if_fail (payload != NULL, NULL);
  g_return_val_if_fail (owner_zone != NULL, NULL);

  if (!(booking = payload_booking (payload)) || member (booking, "email") == NULL ||
      member (booking, "start") == NULL || member (booking, "end") == NULL ||
      !(start = okno_time_parse_rfc3339 (member (booking, "start"))) ||
      !(end = okno_time_parse_rfc3339 (member (booking, "end"))))
    return NULL;

  language = okno_reminder_language (payload);
  name = member (booking, "name");
  type = member (booking, "sessionType");
  zone_name = member (booking, "timeZone");
  if (zone_name != NULL)
    client_zone = okno_time_zone_new (zone_name);
  if (client_zone == NULL)
    {
      client_zone = g_time_zone_ref (owner_zone);
      zone_name = g_time_zone_get_identifier (owner_zone);
    }

  email = g_new0 (OknoReminderEmail, 1);
  email->language = g_strdup (language);
  email->to_name = g_strdup (name);
  email->to_address = g_strdup (member (booking, "email"));

  when = format_when (start, end, client_zone, language);
  email->subject = fill_in (tr (translate, language, W_("Reminder: your session on {when}")), "when", when, NULL);
  hello = name ? fill_in (tr (translate, language, W_("Hello {name},")), "name", name, NULL)
               : g_strdup (tr (translate, language, W_("Hello,")));
  intro = owner_name != NULL && owner_name[0] != '\0'
            ? fill_in (tr (translate, language, W_("This is a reminder of your session with {owner} on {when}.")),
                       "owner", owner_name, "when", when, NULL)
            : fill_in (tr (translate, language, W_("This is a reminder of your session on {when}.")),
                       "when", when, NULL);
  zone_line = fill_in (tr (translate, language, W_("Times are in {zone}.")), "zone", zone_name, NULL);
  if (type != NULL)
    type_line = fill_in (tr (translate, language, W_("Session: {type}")), "type", type, NULL);
  cancel = tr (translate, language,
               W_("If your plans changed, please cancel with the link in your confirmation email, "
                  "so that someone else can take the time."));

  text = g_string_new (NULL);
  g_string_append_printf (text, "%s\n\n%s\n%s\n", hello, intro, zone_line);
  if (type_line != NULL)
    g_string_append_printf (text, "%s\n", type_line);
  g_string_append_printf (text, "\n%s\n", cancel);

  html = g_string_new ("<!DOCTYPE html><html><body>");
  {
    const char *parts[] = { hello, intro, zone_line, type_line, cancel };

    for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
      if (parts[i] != NULL)
        {
          g_autofree char *escaped = g_markup_escape_text (parts[i], -1);
          g_string_append_printf (html, "<p>%s</p>", escaped);
        }
  }
  g_string_append (html, "</body></html>");

  email->text = g_string_free (g_steal_pointer (&text), FALSE);
  email->html = g_string_free (g_steal_pointer (&html), FALSE);

  return g_steal_pointer (&email);
}

/**
 * okno_reminder_format_agenda:
 * @payload: an "agenda" item's payload
 * @zone: Olga's zone
 *
 * Returns: (nullable): the Telegram HTML of the day's sessions, in Olga's
 *   language, or %NULL for a payload without a date
 */
char *
okno_reminder_format_agenda (JsonObject *payload,
                             GTimeZone  *zone)
{
  g_autoptr(GString) out = NULL;
  g_autoptr(GDateTime) day = NULL;
  g_autofree char *title = NULL;
  g_autofree char *escaped_title = NULL;
  JsonNode *node;
  JsonArray *sessions;
  guint n;

  g_return_val_if_fail (payload != NULL, NULL);

  if (member (payload, "date") == NULL || !(day = okno_time_parse_date (member (payload, "date"), zone)))
    return NULL;
  node = json_object_get_member (payload, "sessions");
  sessions = node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
  n = sessions ? json_array_get_length (sessions) : 0;

  {
    /* Translators: the day in the morning agenda's title; strftime format («четверг 3 декабря») */
    g_autofree char *date = g_date_time_format (day, _("%A %-d %B"));

    /* Translators: the morning agenda's title in Telegram; %s is the day */
    title = g_strdup_printf (_("Today, %s"), date);
  }
  escaped_title = okno_telegram_escape (title);
  out = g_string_new (NULL);
  g_string_append_printf (out, "<b>%s</b>", escaped_title);
  if (n == 0)
    g_string_append_printf (out, "\n%s", _("No sessions today."));

  for (guint i = 0; i < n; i++)
    {
      JsonNode *element = json_array_get_element (sessions, i);
      JsonObject *session = JSON_NODE_HOLDS_OBJECT (element) ? json_node_get_object (element) : NULL;
      g_autoptr(GDateTime) start = NULL;
      g_autoptr(GDateTime) end = NULL;
      g_autoptr(GDateTime) local_start = NULL;
      g_autoptr(GDateTime) local_end = NULL;
      g_autofree char *from = NULL;
      g_autofree char *to = NULL;
      g_autofree char *name = NULL;
      const char *type;

      if (session == NULL || member (session, "start") == NULL || member (session, "end") == NULL ||
          !(start = okno_time_parse_rfc3339 (member (session, "start"))) ||
          !(end = okno_time_parse_rfc3339 (member (session, "end"))))
        continue;

      local_start = g_date_time_to_timezone (start, zone);
      local_end = g_date_time_to_timezone (end, zone);
      from = g_date_time_format (local_start, "%H:%M");
      to = g_date_time_format (local_end, "%H:%M");
      name = okno_telegram_escape (member (session, "name") ? member (session, "name") : "?");
      g_string_append_printf (out, "\n%s–%s %s", from, to, name);
      if ((type = member (session, "sessionType")) != NULL)
        {
          g_autofree char *escaped = okno_telegram_escape (type);
          g_string_append_printf (out, " · %s", escaped);
        }
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}
