/* okno-time.c
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "OknoTime"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

#include "okno-time.h"

/* An IANA zone by name, or NULL when the name is unknown (GLib would
 * silently give UTC). NULL or "" is the system's zone. */
GTimeZone *
okno_time_zone_new (const char *identifier)
{
  if (identifier == NULL || identifier[0] == '\0')
    return g_time_zone_new_local ();

  /* Only names of the tz database: no POSIX TZ strings, no paths. */
  for (const char *p = identifier; *p; p++)
    {
      if (!g_ascii_isalnum (*p) && strchr ("/_-+", *p) == NULL)
        return NULL;
    }
  if (identifier[0] == '/' || strstr (identifier, "..") != NULL)
    return NULL;

  return g_time_zone_new_identifier (identifier);
}

/* RFC 3339 with a mandatory offset, as Google and the API speak it. */
GDateTime *
okno_time_parse_rfc3339 (const char *text)
{
  gsize len;

  if (text == NULL)
    return NULL;

  len = strlen (text);
  if (len < 20 || len > 40)
    return NULL;
  if (text[10] != 'T' && text[10] != 't')
    return NULL;
  /* An offset is mandatory: Z or ±hh:mm at the end. */
  if (!(text[len - 1] == 'Z' || text[len - 1] == 'z' ||
        (len > 6 && (text[len - 6] == '+' || text[len - 6] == '-') && text[len - 3] == ':')))
    return NULL;

  return g_date_time_new_from_iso8601 (text, NULL);
}

char *
okno_time_format_rfc3339 (GDateTime *time,
                          GTimeZone *zone)
{
  g_autoptr(GDateTime) local = NULL;
  g_autofree char *base = NULL;
  gint64 offset_minutes;

  g_return_val_if_fail (time != NULL, NULL);

  local = zone ? g_date_time_to_timezone (time, zone) : g_date_time_to_utc (time);
  base = g_date_time_format (local, "%Y-%m-%dT%H:%M:%S");
  offset_minutes = g_date_time_get_utc_offset (local) / G_TIME_SPAN_MINUTE;

  if (offset_minutes == 0 && zone == NULL)
    return g_strconcat (base, "Z", NULL);

  return g_strdup_printf ("%s%c%02d:%02d", base,
                          offset_minutes < 0 ? '-' : '+',
                          (int) (ABS (offset_minutes) / 60),
                          (int) (ABS (offset_minutes) % 60));
}

/* YYYY-MM-DD, the start of that day in @zone. */
GDateTime *
okno_time_parse_date (const char *text,
                      GTimeZone  *zone)
{
  int y, m, d;
  char tail;

  if (text == NULL || strlen (text) != 10)
    return NULL;
  if (sscanf (text, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3)
    return NULL;
  if (text[4] != '-' || text[7] != '-')
    return NULL;
  if (!g_date_valid_dmy (d, m, y))
    return NULL;

  return g_date_time_new (zone, y, m, d, 0, 0, 0);
}

char *
okno_time_format_date (GDateTime *time,
                       GTimeZone *zone)
{
  g_autoptr(GDateTime) local = g_date_time_to_timezone (time, zone);

  return g_date_time_format (local, "%Y-%m-%d");
}

G_DEFINE_QUARK (okno-time-error-quark, okno_time_error)

static char *
format_offset (GTimeSpan offset)
{
  gint64 minutes = offset / G_TIME_SPAN_MINUTE;

  return g_strdup_printf ("%c%02d:%02d", minutes < 0 ? '-' : '+',
                          (int) (ABS (minutes) / 60), (int) (ABS (minutes) % 60));
}

/**
 * okno_time_parse_local_full:
 * @text: what a person types: 2026-12-01T17:30 (local time in @zone), or
 *   the same with seconds, or with an explicit offset (+03:00, Z)
 *
 * A local time the clocks skip (2027-03-28T02:30 in Europe/Berlin) is
 * refused, not moved; one they pass twice (2027-10-31T02:30 there) is
 * refused asking for its offset, since only that tells the two apart.
 *
 * Returns: (nullable): the time, or %NULL with @error set in
 *   %OKNO_TIME_ERROR
 */
GDateTime *
okno_time_parse_local_full (const char  *text,
                            GTimeZone   *zone,
                            GError     **error)
{
  g_autofree char *normalized = NULL;
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(GTimeZone) east = g_time_zone_new_offset (5 * 3600);
  g_autoptr(GDateTime) as_utc = NULL;
  g_autoptr(GDateTime) as_east = NULL;
  g_autoptr(GDateTime) found = NULL;
  g_autofree char *wall = NULL;
  GTimeSpan offsets[2];
  guint matches = 0;

  if (text != NULL)
    {
      /* GLib wants seconds: 17:30 becomes 17:30:00, before any offset. */
      if (strlen (text) >= 16 && text[13] == ':' && (text[16] == '\0' || text[16] != ':'))
        normalized = g_strdup_printf ("%.16s:00%s", text, text + 16);
      else
        normalized = g_strdup (text);
      if (strlen (normalized) > 10 && normalized[10] == ' ')
        normalized[10] = 'T';

      as_utc = g_date_time_new_from_iso8601 (normalized, utc);
      as_east = g_date_time_new_from_iso8601 (normalized, east);
    }

  if (as_utc == NULL || as_east == NULL)
    {
      g_set_error (error, OKNO_TIME_ERROR, OKNO_TIME_ERROR_INVALID,
                   _("“%s” is not a time such as 2026-12-01T17:30 or 2026-12-01T17:30+03:00"),
                   text ? text : "");
      return NULL;
    }

  /* The same instant whatever the default zone: the text has an offset. */
  if (g_date_time_equal (as_utc, as_east))
    return g_steal_pointer (&as_utc);

  /* Wall-clock fields in @zone: try each offset in force around that
   * day (a zone changes offset at most once within a day or so) and keep
   * the instants that read back as the same wall-clock time. */
  {
    g_autoptr(GDateTime) before = g_date_time_add_hours (as_utc, -36);
    g_autoptr(GDateTime) after = g_date_time_add_hours (as_utc, 36);
    g_autoptr(GDateTime) local_before = g_date_time_to_timezone (before, zone);
    g_autoptr(GDateTime) local_after = g_date_time_to_timezone (after, zone);

    offsets[0] = g_date_time_get_utc_offset (local_before);
    offsets[1] = g_date_time_get_utc_offset (local_after);
  }

  for (guint i = 0; i < G_N_ELEMENTS (offsets); i++)
    {
      g_autoptr(GDateTime) instant = NULL;
      g_autoptr(GDateTime) local = NULL;

      if (i == 1 && offsets[1] == offsets[0])
        break;

      instant = g_date_time_add (as_utc, -offsets[i]);
      local = g_date_time_to_timezone (instant, zone);
      if (g_date_time_get_utc_offset (local) == offsets[i])
        {
          matches++;
          if (found == NULL)
            found = g_steal_pointer (&local);
        }
    }

  wall = g_date_time_format (as_utc, "%Y-%m-%dT%H:%M");
  if (matches == 0)
    {
      g_set_error (error, OKNO_TIME_ERROR, OKNO_TIME_ERROR_NONEXISTENT,
                   _("%s does not exist in %s: the clocks skip that time"),
                   wall, g_time_zone_get_identifier (zone));
      return NULL;
    }
  if (matches > 1)
    {
      /* The earlier occurrence has the larger offset. */
      g_autofree char *first = format_offset (MAX (offsets[0], offsets[1]));
      g_autofree char *second = format_offset (MIN (offsets[0], offsets[1]));

      g_set_error (error, OKNO_TIME_ERROR, OKNO_TIME_ERROR_AMBIGUOUS,
                   _("%s happens twice in %s: add the offset, %s%s for the first or %s%s for the second"),
                   wall, g_time_zone_get_identifier (zone), wall, first, wall, second);
      return NULL;
    }

  return g_steal_pointer (&found);
}

/* The same, without saying why not. */
GDateTime *
okno_time_parse_local (const char *text,
                       GTimeZone  *zone)
{
  return okno_time_parse_local_full (text, zone, NULL);
}

/* Half-open intervals: [a_start, a_end) and [b_start, b_end). */
gboolean
okno_time_ranges_overlap (GDateTime *a_start,
                          GDateTime *a_end,
                          GDateTime *b_start,
                          GDateTime *b_end)
{
  return g_date_time_compare (a_start, b_end) < 0 &&
         g_date_time_compare (b_start, a_end) < 0;
}

/* Monday 00:00 of the week @time falls in, in @zone. */
GDateTime *
okno_time_week_start (GDateTime *time,
                      GTimeZone *zone)
{
  g_autoptr(GDateTime) local = g_date_time_to_timezone (time, zone);
  g_autoptr(GDateTime) midnight = g_date_time_new (zone,
                                                   g_date_time_get_year (local),
                                                   g_date_time_get_month (local),
                                                   g_date_time_get_day_of_month (local),
                                                   0, 0, 0);

  return g_date_time_add_days (midnight, 1 - g_date_time_get_day_of_week (local));
}

/* «23 – 29 ноября 2026», «30 ноября – 6 декабря 2026»,
 * «28 декабря 2026 – 3 января 2027». */
char *
okno_time_format_week (GDateTime *monday)
{
  return okno_time_format_days (monday, 7);
}

/**
 * okno_time_format_days:
 * @first: the first day
 * @n_days: how many days, 1 or more
 *
 * Returns: (transfer full): «7 – 9 декабря 2026», or one day's date
 */
char *
okno_time_format_days (GDateTime *first_day,
                       int        n_days)
{
  g_autoptr(GDateTime) last_day = g_date_time_add_days (first_day, MAX (n_days, 1) - 1);
  g_autofree char *first = NULL;
  g_autofree char *last = NULL;
  const char *first_format;

  /* Translators: last day of a week; strftime format */
  last = g_date_time_format (last_day, C_("week title", "%-d %B %Y"));
  if (n_days <= 1)
    return g_steal_pointer (&last);

  if (g_date_time_get_year (first_day) != g_date_time_get_year (last_day))
    /* Translators: first day of a week that spans two years; strftime format */
    first_format = C_("week title", "%-d %B %Y");
  else if (g_date_time_get_month (first_day) != g_date_time_get_month (last_day))
    /* Translators: first day of a week that spans two months; strftime format */
    first_format = C_("week title", "%-d %B");
  else
    /* Translators: first day of a week within one month; strftime format */
    first_format = C_("week title", "%-d");

  first = g_date_time_format (first_day, first_format);
  return g_strdup_printf ("%s – %s", first, last);
}

/* The clock that reminders go by. Tests move it: OKNO_FAKE_NOW (RFC 3339,
 * read once) or okno_time_set_now_for_testing() set where "now" is, and
 * from there it runs on at the real pace, so GLib timeouts still fire when
 * it says they should. */
static GTimeSpan clock_offset;
static gsize clock_ready;

static void
clock_init (void)
{
  if (g_once_init_enter (&clock_ready))
    {
      const char *fake = g_getenv ("OKNO_FAKE_NOW");

      if (fake != NULL && fake[0] != '\0')
        {
          g_autoptr(GDateTime) at = okno_time_parse_rfc3339 (fake);
          g_autoptr(GDateTime) real = g_date_time_new_now_utc ();

          if (at != NULL)
            clock_offset = g_date_time_difference (at, real);
          else
            g_warning ("OKNO_FAKE_NOW is not an RFC 3339 time: %s", fake);
        }
      g_once_init_leave (&clock_ready, 1);
    }
}

/**
 * okno_time_now_utc:
 *
 * Returns: now, by the (possibly fake) clock
 */
GDateTime *
okno_time_now_utc (void)
{
  g_autoptr(GDateTime) real = g_date_time_new_now_utc ();

  clock_init ();
  return g_date_time_add (real, clock_offset);
}

/**
 * okno_time_set_now_for_testing:
 * @now: (nullable): where the clock stands from now on, or %NULL for the
 *   real time
 */
void
okno_time_set_now_for_testing (GDateTime *now)
{
  g_autoptr(GDateTime) real = g_date_time_new_now_utc ();

  clock_init ();
  clock_offset = now ? g_date_time_difference (now, real) : 0;
}
