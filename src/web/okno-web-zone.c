/* okno-web-zone.c: naming a time zone the way a client reads it.
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "OknoWebZone"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "okno-web-zone.h"

/* A zone is named by its city («время: Москва», "Berlin time"), never by an
 * abbreviation: "CET" says nothing to most clients and is wrong half the
 * year. The offset is given per time, since it changes with the season.
 * Cities with a translation are listed; any other is read from its IANA
 * name (America/Argentina/Buenos_Aires: "Buenos Aires"). */
static const struct
{
  const char *identifier;
  const char *city;
} cities[] = {
  { "America/Chicago", NC_("city", "Chicago") },
  { "America/Los_Angeles", NC_("city", "Los Angeles") },
  { "America/New_York", NC_("city", "New York") },
  { "America/Toronto", NC_("city", "Toronto") },
  { "Asia/Almaty", NC_("city", "Almaty") },
  { "Asia/Anadyr", NC_("city", "Anadyr") },
  { "Asia/Baku", NC_("city", "Baku") },
  { "Asia/Bangkok", NC_("city", "Bangkok") },
  { "Asia/Barnaul", NC_("city", "Barnaul") },
  { "Asia/Bishkek", NC_("city", "Bishkek") },
  { "Asia/Chita", NC_("city", "Chita") },
  { "Asia/Dubai", NC_("city", "Dubai") },
  { "Asia/Irkutsk", NC_("city", "Irkutsk") },
  { "Asia/Jerusalem", NC_("city", "Jerusalem") },
  { "Asia/Kamchatka", NC_("city", "Petropavlovsk-Kamchatsky") },
  { "Asia/Krasnoyarsk", NC_("city", "Krasnoyarsk") },
  { "Asia/Magadan", NC_("city", "Magadan") },
  { "Asia/Novokuznetsk", NC_("city", "Novokuznetsk") },
  { "Asia/Novosibirsk", NC_("city", "Novosibirsk") },
  { "Asia/Omsk", NC_("city", "Omsk") },
  { "Asia/Sakhalin", NC_("city", "Sakhalin") },
  { "Asia/Tashkent", NC_("city", "Tashkent") },
  { "Asia/Tbilisi", NC_("city", "Tbilisi") },
  { "Asia/Tokyo", NC_("city", "Tokyo") },
  { "Asia/Tomsk", NC_("city", "Tomsk") },
  { "Asia/Vladivostok", NC_("city", "Vladivostok") },
  { "Asia/Yakutsk", NC_("city", "Yakutsk") },
  { "Asia/Yekaterinburg", NC_("city", "Yekaterinburg") },
  { "Asia/Yerevan", NC_("city", "Yerevan") },
  { "Europe/Amsterdam", NC_("city", "Amsterdam") },
  { "Europe/Astrakhan", NC_("city", "Astrakhan") },
  { "Europe/Belgrade", NC_("city", "Belgrade") },
  { "Europe/Berlin", NC_("city", "Berlin") },
  { "Europe/Helsinki", NC_("city", "Helsinki") },
  { "Europe/Istanbul", NC_("city", "Istanbul") },
  { "Europe/Kaliningrad", NC_("city", "Kaliningrad") },
  { "Europe/Kiev", NC_("city", "Kyiv") },
  { "Europe/Kirov", NC_("city", "Kirov") },
  { "Europe/Kyiv", NC_("city", "Kyiv") },
  { "Europe/Lisbon", NC_("city", "Lisbon") },
  { "Europe/London", NC_("city", "London") },
  { "Europe/Madrid", NC_("city", "Madrid") },
  { "Europe/Minsk", NC_("city", "Minsk") },
  { "Europe/Moscow", NC_("city", "Moscow") },
  { "Europe/Paris", NC_("city", "Paris") },
  { "Europe/Prague", NC_("city", "Prague") },
  { "Europe/Riga", NC_("city", "Riga") },
  { "Europe/Rome", NC_("city", "Rome") },
  { "Europe/Samara", NC_("city", "Samara") },
  { "Europe/Saratov", NC_("city", "Saratov") },
  { "Europe/Tallinn", NC_("city", "Tallinn") },
  { "Europe/Ulyanovsk", NC_("city", "Ulyanovsk") },
  { "Europe/Vienna", NC_("city", "Vienna") },
  { "Europe/Vilnius", NC_("city", "Vilnius") },
  { "Europe/Volgograd", NC_("city", "Volgograd") },
  { "Europe/Warsaw", NC_("city", "Warsaw") },
};

/**
 * okno_web_zone_dup_city:
 * @catalog: the visitor's language
 * @identifier: an IANA zone name, such as "Europe/Moscow"
 *
 * Returns: (transfer full): the zone's city in @catalog's language
 *   («Москва»), or "UTC" for the zones without one
 */
char *
okno_web_zone_dup_city (OknoWebCatalog *catalog,
                        const char     *identifier)
{
  const char *slash;
  char *city;

  if (identifier == NULL || identifier[0] == '\0')
    return g_strdup ("UTC");

  for (guint i = 0; i < G_N_ELEMENTS (cities); i++)
    if (g_str_equal (cities[i].identifier, identifier))
      return g_strdup (okno_web_catalog_pgettext (catalog, "city", cities[i].city));

  slash = strrchr (identifier, '/');
  if (slash == NULL || g_str_has_prefix (identifier, "Etc/"))
    return g_strdup (g_str_has_prefix (identifier, "Etc/") ? slash + 1 : identifier);

  city = g_strdup (slash + 1);
  g_strdelimit (city, "_", ' ');
  return city;
}

/**
 * okno_web_zone_dup_offset:
 * @time: a time with its zone
 *
 * Returns: (transfer full): its offset from UTC: "UTC+3", "UTC+5:30",
 *   "UTC−4" (a minus sign, as typeset), or "UTC"
 */
char *
okno_web_zone_dup_offset (GDateTime *time)
{
  GTimeSpan offset = g_date_time_get_utc_offset (time) / G_TIME_SPAN_MINUTE;
  const char *sign = offset < 0 ? "−" : "+";

  if (offset == 0)
    return g_strdup ("UTC");
  if (offset % 60 == 0)
    return g_strdup_printf ("UTC%s%d", sign, (int) (ABS (offset) / 60));
  return g_strdup_printf ("UTC%s%d:%02d", sign, (int) (ABS (offset) / 60), (int) (ABS (offset) % 60));
}
