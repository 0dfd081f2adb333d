/* okno-web-page.c: the public booking page, server-rendered.
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "OknoWebPage"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "okno-errors.h"
#include "okno-session-type.h"
#include "okno-time.h"
#include "okno-token.h"
#include "okno-web-html.h"
#include "okno-web-ics.h"
#include "okno-web-form-guard.h"
#include "okno-web-input.h"
#include "okno-web-page.h"
#include "okno-web-page-private.h"
#include "okno-web-reply.h"
#include "okno-web-resources.h"
#include "okno-web-server-private.h"
#include "okno-web-waitlist.h"
#include "okno-web-zone.h"

/* Every screen works as a plain form without JavaScript:
 *
 *   GET  /                         open slots by day, each a link
 *   GET  /book?slot=ID             the form for that slot
 *   POST /book                     books; 303 to the confirmation, or the
 *                                  form again with the input kept and each
 *                                  message by its field; a POST the form
 *                                  guard refuses (okno-web-form-guard.h:
 *                                  honeypot, signed timestamp) books
 *                                  nothing and gets the form again too
 *   GET  /booking/ID?token=T       confirmation: when, what, .ics, cancel
 *   POST /cancel                   without confirm=1 asks «Cancel the
 *                                  booking on Fri 4 Dec, 06:00?»; with it
 *                                  cancels; 303 back to the confirmation
 *   GET  /booking/ID.ics?token=T   the booking as iCalendar
 *   GET  /reschedule?booking=ID&token=T, POST /reschedule: changing the
 *                                  time (see handle_reschedule_get)
 *   GET  /static/okno.HASH.css|js  the assets, cached for a year
 *
 * okno.js only swaps the same screens in place. Each page speaks the
 * visitor's language (?lang=, carried in every link and form, else
 * Accept-Language) and shows times in Olga's zone, labelled by its city
 * and each time's own offset; okno.js adds the visitor's own time (and date,
 * where it differs) into each [data-when]'s [data-local]. */

#define W_(s) okno_web_catalog_gettext (page->catalog, (s))
#define WC_(c, s) okno_web_catalog_pgettext (page->catalog, (c), (s))

typedef struct
{
  OknoWebServer     *server;
  SoupServerMessage *msg;
  OknoWebCatalog    *catalog;
  const char        *lang;
  OknoSchedule      *schedule;
  GTimeZone         *zone;
  GString           *out;
  GHashTable        *form;   /* a POST's clean fields, read once */
  GHashTable        *bad_fields; /* names of its fields that were not */
  const char        *type;   /* GET /?type=: the list shows this type only */
  gboolean           moved;  /* GET /booking/ID?moved=1: just changed its time */
} Page;

typedef struct
{
  char   *path;
  GBytes *bytes;
  GBytes *gzipped;      /* the same, for clients that accept gzip */
  char   *etag;
  char   *gzipped_etag;
  char   *content_type;
} Asset;

static const char * const weekdays[] = {
  NC_("weekday", "Monday"), NC_("weekday", "Tuesday"), NC_("weekday", "Wednesday"),
  NC_("weekday", "Thursday"), NC_("weekday", "Friday"), NC_("weekday", "Saturday"),
  NC_("weekday", "Sunday"),
};

static const char * const months[] = {
  NC_("day of month", "January"), NC_("day of month", "February"), NC_("day of month", "March"),
  NC_("day of month", "April"), NC_("day of month", "May"), NC_("day of month", "June"),
  NC_("day of month", "July"), NC_("day of month", "August"), NC_("day of month", "September"),
  NC_("day of month", "October"), NC_("day of month", "November"), NC_("day of month", "December"),
};

static const char * const short_weekdays[] = {
  NC_("short weekday", "Mon"), NC_("short weekday", "Tue"), NC_("short weekday", "Wed"),
  NC_("short weekday", "Thu"), NC_("short weekday", "Fri"), NC_("short weekday", "Sat"),
  NC_("short weekday", "Sun"),
};

static const char * const short_months[] = {
  NC_("short day of month", "Jan"), NC_("short day of month", "Feb"), NC_("short day of month", "Mar"),
  NC_("short day of month", "Apr"), NC_("short day of month", "May"), NC_("short day of month", "Jun"),
  NC_("short day of month", "Jul"), NC_("short day of month", "Aug"), NC_("short day of month", "Sep"),
  NC_("short day of month", "Oct"), NC_("short day of month", "Nov"), NC_("short day of month", "Dec"),
};

static GBytes *
gzip_bytes (GBytes *bytes)
{
  g_autoptr(GZlibCompressor) compressor = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, 9);
  gsize size = g_bytes_get_size (bytes);
  gsize room = size + size / 10 + 64;
  g_autofree guint8 *out = g_malloc (room);
  gsize read = 0, written = 0;
  GConverterResult result;

  result = g_converter_convert (G_CONVERTER (compressor), g_bytes_get_data (bytes, NULL), size,
                                out, room, G_CONVERTER_INPUT_AT_END, &read, &written, NULL);
  g_assert (result == G_CONVERTER_FINISHED && read == size);
  return g_bytes_new_take (g_steal_pointer (&out), written);
}

/* Whether the request's Accept-Encoding takes gzip (and not with q=0). */
static gboolean
accepts_gzip (SoupServerMessage *msg)
{
  const char *value = soup_message_headers_get_list (soup_server_message_get_request_headers (msg),
                                                     "Accept-Encoding");
  g_auto(GStrv) codings = NULL;

  if (value == NULL)
    return FALSE;

  codings = g_strsplit (value, ",", 16);
  for (guint i = 0; codings[i]; i++)
    {
      g_auto(GStrv) parts = g_strsplit (codings[i], ";", 2);

      if (g_ascii_strcasecmp (g_strstrip (parts[0]), "gzip") == 0)
        return parts[1] == NULL || g_ascii_strtod (strchr (parts[1], '=') ? strchr (parts[1], '=') + 1 : "1", NULL) > 0;
    }
  return FALSE;
}

/* The assets, by their content-hashed URL: immutable, so cacheable forever;
 * compressed once, so the first view stays light on a slow phone. */
static Asset *
get_asset (const char *name)
{
  static Asset assets[2];
  static const struct { const char *file, *ext, *type; } files[] = {
    { "okno.css", "css", "text/css; charset=utf-8" },
    { "okno.js", "js", "text/javascript; charset=utf-8" },
  };

  if (assets[0].bytes == NULL)
    {
      for (guint i = 0; i < G_N_ELEMENTS (files); i++)
        {
          g_autofree char *resource = g_strconcat ("/ru/olgarozet/Okno/web/", files[i].file, NULL);
          g_autofree char *sum = NULL;

          assets[i].bytes = g_resource_lookup_data (okno_web_get_resource (), resource, 0, NULL);
          g_assert (assets[i].bytes != NULL);
          sum = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, assets[i].bytes);
          assets[i].path = g_strdup_printf ("/static/okno.%.10s.%s", sum, files[i].ext);
          assets[i].etag = g_strdup_printf ("\"%.32s\"", sum);
          assets[i].gzipped = gzip_bytes (assets[i].bytes);
          assets[i].gzipped_etag = g_strdup_printf ("\"%.32s-gzip\"", sum);
          assets[i].content_type = g_strdup (files[i].type);
        }
    }

  for (guint i = 0; i < G_N_ELEMENTS (assets); i++)
    if (g_str_equal (name, files[i].ext) || g_str_equal (name, assets[i].path))
      return &assets[i];

  return NULL;
}

static char *
format_day (Page      *page,
            GDateTime *time)
{
  g_autoptr(GDateTime) local = g_date_time_to_timezone (time, page->zone);

  /* «среда, 25 ноября», «Wednesday, 25 November» */
  return g_strdup_printf ("%s, %d %s",
                          WC_("weekday", weekdays[g_date_time_get_day_of_week (local) - 1]),
                          g_date_time_get_day_of_month (local),
                          WC_("day of month", months[g_date_time_get_month (local) - 1]));
}

static char *
format_clock (Page      *page,
              GDateTime *time)
{
  g_autoptr(GDateTime) local = g_date_time_to_timezone (time, page->zone);

  return g_date_time_format (local, "%H:%M");
}

/* «пт 4 дек, 06:00», "Fri 4 Dec, 06:00" */
static char *
format_short (Page      *page,
              GDateTime *time)
{
  g_autoptr(GDateTime) local = g_date_time_to_timezone (time, page->zone);
  g_autofree char *clock = g_date_time_format (local, "%H:%M");

  return g_strdup_printf ("%s %d %s, %s",
                          WC_("short weekday", short_weekdays[g_date_time_get_day_of_week (local) - 1]),
                          g_date_time_get_day_of_month (local),
                          WC_("short day of month", short_months[g_date_time_get_month (local) - 1]),
                          clock);
}

/* Olga's zone by its city: «Москва», "Berlin". */
static char *
dup_city (Page *page)
{
  return okno_web_zone_dup_city (page->catalog, okno_schedule_get_time_zone_name (page->schedule));
}

/* «время: Москва, UTC+3», "Berlin time, UTC+2": with the offset @when has,
 * which differs from other times' across a change of season. */
static char *
format_zone (Page      *page,
             GDateTime *when)
{
  g_autoptr(GDateTime) local = g_date_time_to_timezone (when, page->zone);
  g_autofree char *city = dup_city (page);
  g_autofree char *offset = okno_web_zone_dup_offset (local);

  /* Translators: %s is a city naming a time zone («время: Москва»);
   * %s after the comma its offset, such as UTC+3. */
  return g_strdup_printf (W_("%s time, %s"), city, offset);
}

static char *
dup_offset (Page      *page,
            GDateTime *when)
{
  g_autoptr(GDateTime) local = g_date_time_to_timezone (when, page->zone);

  return okno_web_zone_dup_offset (local);
}

static void
time_element (Page      *page,
              GDateTime *time)
{
  g_autofree char *iso = okno_time_format_rfc3339 (time, page->zone);
  g_autofree char *clock = format_clock (page, time);

  okno_html_printf (page->out, "<time datetime=\"%s\">%s</time>", iso, clock);
}

static void
begin (Page       *page,
       const char *title)
{
  const char *other = g_str_equal (page->lang, "ru") ? "en" : "ru";
  const char *owner = _okno_web_server_get_owner_name (page->server);
  const char *about = _okno_web_server_get_owner_about (page->server);

  okno_html_printf (page->out,
                    "<!doctype html>\n<html lang=\"%s\" data-zone=\"%s\" data-local-label=\"%s\">"
                    "<head><meta charset=\"utf-8\">"
                    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                    "<title>%s</title>"
                    "<link rel=\"stylesheet\" href=\"%s\">"
                    "<script src=\"%s\" defer></script></head>"
                    "<body><div class=\"page\"><header><div class=\"owner\">",
                    page->lang,
                    okno_schedule_get_time_zone_name (page->schedule),
                    /* Translators: before the visitor's own time, %s is the
                     * city of their zone: «у вас (Москва): чт 3 дек, 23:00». */
                    W_("your time (%s)"),
                    title,
                    get_asset ("css")->path,
                    get_asset ("js")->path);
  /* Whose page it is, on every screen. */
  if (owner != NULL)
    okno_html_printf (page->out, "<p class=\"owner-name\">%s</p>", owner);
  else
    okno_html_printf (page->out, "<p class=\"owner-name\">%s</p>", W_("Booking a session"));
  if (about != NULL)
    okno_html_printf (page->out, "<p class=\"muted\">%s</p>", about);
  okno_html_printf (page->out,
                    "</div><nav class=\"lang\" aria-label=\"%s\"><a href=\"/?lang=%s\" hreflang=\"%s\" lang=\"%s\">%s</a></nav>"
                    "</header><main id=\"main\">",
                    W_("Language"),
                    other, other, other,
                    g_str_equal (other, "en") ? "English" : "Русский");
}

static void
finish (Page  *page,
        guint  status)
{
  g_autoptr(GBytes) bytes = NULL;
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (page->msg);

  if (_okno_web_server_get_contact (page->server) != NULL)
    okno_html_printf (page->out, "</main><footer><p>%s %s</p></footer></div></body></html>\n",
                      W_("Something not working? Write or call:"), _okno_web_server_get_contact (page->server));
  else
    g_string_append (page->out, "</main><footer></footer></div></body></html>\n");
  bytes = g_bytes_new (page->out->str, page->out->len);
  /* Pages can hold a cancel link: never stored by a cache. */
  soup_message_headers_replace (headers, "Cache-Control", "no-store");
  soup_message_headers_replace (headers, "Content-Language", page->lang);
  soup_message_headers_append (headers, "Vary", "Accept-Language");
  okno_web_reply_bytes (page->msg, status, "text/html; charset=utf-8", bytes);
}

static void
notice (Page       *page,
        const char *kind,
        const char *message)
{
  if (message != NULL)
    okno_html_printf (page->out, "<p class=\"notice %s\" role=\"%s\">%s</p>",
                      kind, g_str_equal (kind, "error") ? "alert" : "status", message);
}

static const char *
type_name (Page       *page,
           const char *type)
{
  return type != NULL && type[0] != '\0' ? type : W_("Session");
}

/* The session's own lines, as Olga describes its type: what it is, and
 * its format or place («Онлайн, Zoom», «Москва, Покровка 12»). */
static void
session_details (Page       *page,
                 const char *type,
                 const char *tag)
{
  g_autofree char *description = NULL;
  g_autofree char *place = NULL;

  _okno_web_server_describe_session_type (page->server, type, &description, &place);
  if (description != NULL)
    okno_html_printf (page->out, "<%H class=\"description\">%s</%H>", tag, description, tag);
  if (place != NULL)
    okno_html_printf (page->out, "<%H class=\"place\">%s</%H>", tag, place, tag);
}

static void
time_range (Page      *page,
            GDateTime *start,
            GDateTime *end)
{
  g_string_append (page->out, "<span data-range>");
  time_element (page, start);
  g_string_append (page->out, "–");
  time_element (page, end);
  g_string_append (page->out, "</span>");
}

/* The session type a slot offers, by name («Разбор», not «Разбор (40 мин)»). */
static char *
dup_type_name (OknoSlot *slot)
{
  return okno_session_type_name_from_title (okno_slot_get_session_type (slot));
}

static gboolean
same_type_name (gconstpointer a,
                gconstpointer b)
{
  g_autofree char *x = g_utf8_casefold (a, -1);
  g_autofree char *y = g_utf8_casefold (b, -1);

  return g_strcmp0 (x, y) == 0;
}

/* The types @slots offer, each once, in the order they first come. */
static GPtrArray *
type_names (GPtrArray *slots)
{
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < slots->len; i++)
    {
      g_autofree char *name = dup_type_name (g_ptr_array_index (slots, i));

      if (name[0] != '\0' && !g_ptr_array_find_with_equal_func (names, name, same_type_name, NULL))
        g_ptr_array_add (names, g_steal_pointer (&name));
    }
  return names;
}

static void
keep_type (GPtrArray  *slots,
           const char *type)
{
  for (guint i = slots->len; i > 0; i--)
    {
      g_autofree char *name = dup_type_name (g_ptr_array_index (slots, i - 1));

      if (!same_type_name (name, type))
        g_ptr_array_remove_index (slots, i - 1);
    }
}

/* With more than one type on offer, links that show one type or all:
 * plain GET links, so the filter needs no JavaScript. */
static void
type_filter (Page      *page,
             GPtrArray *names)
{
  gboolean chosen = FALSE;
  g_autofree char *all = g_strdup_printf ("/?lang=%s", page->lang);

  for (guint i = 0; i < names->len; i++)
    chosen |= page->type != NULL && same_type_name (page->type, g_ptr_array_index (names, i));

  okno_html_printf (page->out, "<nav class=\"filter\" aria-label=\"%s\"><ul>"
                    "<li><a data-swap href=\"%s\"%H>%s</a></li>",
                    W_("Session type"), all, chosen ? "" : " aria-current=\"page\"", W_("All sessions"));
  for (guint i = 0; i < names->len; i++)
    {
      const char *name = g_ptr_array_index (names, i);
      g_autofree char *escaped = g_uri_escape_string (name, NULL, FALSE);
      g_autofree char *url = g_strdup_printf ("/?type=%s&lang=%s", escaped, page->lang);
      gboolean current = page->type != NULL && same_type_name (page->type, name);

      okno_html_printf (page->out, "<li><a data-swap href=\"%s\"%H>%s</a></li>",
                        url, current ? " aria-current=\"page\"" : "", name);
    }
  g_string_append (page->out, "</ul></nav>");
}

static void
render_slot_list (Page       *page,
                  const char *message,
                  guint       status)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) local_now = g_date_time_to_timezone (now, page->zone);
  g_autoptr(GDateTime) from = g_date_time_new (page->zone, g_date_time_get_year (local_now),
                                               g_date_time_get_month (local_now),
                                               g_date_time_get_day_of_month (local_now), 0, 0, 0);
  g_autoptr(GDateTime) to = NULL;
  g_autoptr(GPtrArray) slots = NULL;
  g_autofree char *city = dup_city (page);
  g_autofree char *first_offset = NULL;
  g_autofree char *zone = NULL;
  g_autofree char *current_day = NULL;
  g_autoptr(GPtrArray) names = NULL;
  const char *contact = _okno_web_server_get_contact (page->server);
  guint window;

  g_object_get (page->schedule, "booking-window-days", &window, NULL);
  to = g_date_time_add_days (from, window + 1);
  slots = okno_schedule_dup_bookable_slots (page->schedule, from, to, now, NULL);
  names = type_names (slots);
  if (page->type != NULL && g_ptr_array_find_with_equal_func (names, page->type, same_type_name, NULL))
    keep_type (slots, page->type);
  first_offset = dup_offset (page, slots->len > 0 ? okno_slot_get_start (g_ptr_array_index (slots, 0)) : now);
  /* Translators: «Время: Москва (UTC+3)»: a city naming the zone, then
   * the offset of the first time listed; a time with another offset says
   * its own. */
  zone = g_strdup_printf (W_("Times are %s time (%s)"), city, first_offset);

  begin (page, W_("Choose a time"));
  okno_html_printf (page->out, "<h1>%s</h1>", W_("Choose a time"));
  notice (page, "error", message);
  okno_html_printf (page->out, "<p class=\"zone\">%s</p>", zone);
  if (names->len > 1)
    type_filter (page, names);
  g_string_append (page->out, "<div data-slot-list>");

  if (slots->len == 0)
    {
      okno_html_printf (page->out, "<div class=\"card empty\"><p>%s</p>",
                        W_("There are no open times right now. Please look again later."));
      if (contact != NULL)
        okno_html_printf (page->out, "<p>%s <strong>%s</strong></p>",
                          W_("To agree on a time, write or call:"), contact);
      g_string_append (page->out, "</div>");
    }

  for (guint i = 0; i < slots->len; i++)
    {
      OknoSlot *slot = g_ptr_array_index (slots, i);
      g_autofree char *day = okno_time_format_date (okno_slot_get_start (slot), page->zone);
      g_autofree char *offset = dup_offset (page, okno_slot_get_start (slot));
      g_autofree char *url = NULL;

      if (g_strcmp0 (day, current_day) != 0)
        {
          g_autofree char *heading = format_day (page, okno_slot_get_start (slot));

          if (current_day != NULL)
            g_string_append (page->out, "</ul></section>");
          g_free (current_day);
          current_day = g_strdup (day);
          okno_html_printf (page->out, "<section aria-labelledby=\"d%s\"><h2 id=\"d%s\">%s</h2><ul class=\"slots\">",
                            day, day, heading);
        }

      url = g_strdup_printf ("/book?slot=%s&lang=%s", okno_slot_get_id (slot), page->lang);
      okno_html_printf (page->out, "<li><a class=\"slot\" data-swap data-when href=\"%s\"><span class=\"time\">", url);
      time_range (page, okno_slot_get_start (slot), okno_slot_get_end (slot));
      /* Across a change of season, this time's own offset. */
      if (!g_str_equal (offset, first_offset))
        okno_html_printf (page->out, " <span class=\"offset\">(%s)</span>", offset);
      okno_html_printf (page->out, "</span> <span class=\"type\">%s</span>",
                        type_name (page, okno_slot_get_session_type (slot)));
      session_details (page, okno_slot_get_session_type (slot), "span");
      g_string_append (page->out, "<span class=\"local\" data-local></span></a></li>");
    }
  if (current_day != NULL)
    g_string_append (page->out, "</ul></section>");
  g_string_append (page->out, "</div>");
  okno_web_waitlist_link (page->server, page->out, page->catalog);

  finish (page, status);
}

static void
slot_summary (Page     *page,
              OknoSlot *slot)
{
  g_autofree char *day = format_day (page, okno_slot_get_start (slot));
  g_autofree char *zone = format_zone (page, okno_slot_get_start (slot));

  okno_html_printf (page->out, "<div class=\"card\" data-when><p><strong>%s, ", day);
  time_range (page, okno_slot_get_start (slot), okno_slot_get_end (slot));
  okno_html_printf (page->out, "</strong><br><span class=\"muted zone-label\">%s</span></p>"
                    "<p class=\"local\" data-local></p><p><strong class=\"type\">%s</strong></p>",
                    zone, type_name (page, okno_slot_get_session_type (slot)));
  session_details (page, okno_slot_get_session_type (slot), "p");
  g_string_append (page->out, "</div>");
}

static void
field (Page       *page,
       GHashTable *values,
       GHashTable *errors,
       const char *name,
       const char *type,
       const char *label,
       const char *autocomplete,
       const char *hint)
{
  const char *value = values ? g_hash_table_lookup (values, name) : NULL;
  const char *error = errors ? g_hash_table_lookup (errors, name) : NULL;
  g_autofree char *described = error ? g_strdup_printf (" aria-describedby=\"e-%s\"", name) : NULL;

  okno_html_printf (page->out, "<div class=\"field\"><label for=\"f-%s\">%s</label>", name, label);
  if (g_str_equal (type, "textarea"))
    okno_html_printf (page->out, "<textarea id=\"f-%s\" name=\"%s\" maxlength=\"1000\" rows=\"3\"%H>%s</textarea>",
                      name, name, error ? " aria-invalid=\"true\"" : "", value ? value : "");
  else
    okno_html_printf (page->out, "<input id=\"f-%s\" name=\"%s\" type=\"%s\" autocomplete=\"%s\" value=\"%s\"%H%H%H>",
                      name, name, type, autocomplete, value ? value : "",
                      g_str_equal (name, "name") ? " required maxlength=\"100\"" : "",
                      error ? " aria-invalid=\"true\"" : "",
                      described ? described : "");
  if (hint != NULL && error == NULL)
    okno_html_printf (page->out, "<p class=\"muted\">%s</p>", hint);
  if (error != NULL)
    okno_html_printf (page->out, "<p class=\"field-error\" id=\"e-%s\">%s</p>", name, W_(error));
  g_string_append (page->out, "</div>");
}

/* Instead of one slot, the open times as choices: the form after its slot
 * was taken keeps what the client typed, and they pick another time. */
static gboolean
slot_choices (Page *page)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) to = NULL;
  g_autoptr(GPtrArray) slots = NULL;
  g_autofree char *first_offset = NULL;
  g_autofree char *zone = NULL;
  guint window;

  g_object_get (page->schedule, "booking-window-days", &window, NULL);
  to = g_date_time_add_days (now, window + 1);
  slots = okno_schedule_dup_bookable_slots (page->schedule, now, to, now, NULL);
  if (slots->len == 0)
    return FALSE;

  first_offset = dup_offset (page, okno_slot_get_start (g_ptr_array_index (slots, 0)));
  zone = format_zone (page, okno_slot_get_start (g_ptr_array_index (slots, 0)));
  okno_html_printf (page->out, "<fieldset class=\"choices\"><legend>%s</legend><p class=\"muted zone-label\">%s</p>",
                    W_("Choose another time"), zone);
  for (guint i = 0; i < slots->len && i < 24; i++)
    {
      OknoSlot *slot = g_ptr_array_index (slots, i);
      g_autofree char *when = format_short (page, okno_slot_get_start (slot));
      g_autofree char *offset = dup_offset (page, okno_slot_get_start (slot));
      g_autofree char *own = g_strdup_printf (" (%s)", offset);

      /* The time in a [data-range] too, for the visitor's own beside it. */
      okno_html_printf (page->out,
                        "<label class=\"choice\" data-when><input type=\"radio\" name=\"slot\" value=\"%s\" required>"
                        "<span>%s%s · %s<span class=\"local\" data-local></span><span data-range hidden>",
                        okno_slot_get_id (slot), when, g_str_equal (offset, first_offset) ? "" : own,
                        type_name (page, okno_slot_get_session_type (slot)));
      time_element (page, okno_slot_get_start (slot));
      time_element (page, okno_slot_get_end (slot));
      g_string_append (page->out, "</span></span></label>");
    }
  g_string_append (page->out, "</fieldset>");
  return TRUE;
}

/* What a booking form's stamp is signed for: its one slot, or "book:"
 * alone for the form that offers a choice of times. */
static char *
book_scope (const char *slot_id)
{
  return g_strconcat ("book:", slot_id, NULL);
}

/* The form for @slot; with no @slot, for any open time (see slot_choices).
 * @values is what the client sent, kept; @message says why they see it
 * again. */
static void
render_form (Page       *page,
             OknoSlot   *slot,
             GHashTable *values,
             GHashTable *errors,
             const char *message,
             guint       status)
{
  g_autofree char *key = okno_token_new ();
  const char *contact_error = errors ? g_hash_table_lookup (errors, "contact") : NULL;
  const char *sent_key = values && slot ? g_hash_table_lookup (values, "key") : NULL;
  g_autofree char *back = g_strdup_printf ("/?lang=%s", page->lang);

  begin (page, W_("Your details"));
  okno_html_printf (page->out, "<h1>%s</h1>", W_("Your details"));
  if (errors != NULL)
    notice (page, "error", W_("Please check the highlighted fields."));
  notice (page, "error", message);
  if (slot != NULL)
    slot_summary (page, slot);
  else if (message != NULL)
    okno_web_waitlist_link (page->server, page->out, page->catalog);

  /* A new key for another slot: the one sent went with the taken one. */
  okno_html_printf (page->out,
                    "<form method=\"post\" action=\"/book\" data-swap>"
                    "<input type=\"hidden\" name=\"lang\" value=\"%s\">"
                    "<input type=\"hidden\" name=\"key\" value=\"%s\">",
                    page->lang, sent_key != NULL && g_utf8_validate (sent_key, -1, NULL) ? sent_key : key);
  {
    g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
    g_autofree char *scope = book_scope (slot ? okno_slot_get_id (slot) : NULL);

    /* Signed now: a person sends it again as it comes back. */
    okno_web_form_guard_append_fields (_okno_web_server_get_form_guard (page->server), page->out,
                                       page->catalog, scope, now);
  }
  if (slot != NULL)
    okno_html_printf (page->out, "<input type=\"hidden\" name=\"slot\" value=\"%s\">", okno_slot_get_id (slot));
  else if (!slot_choices (page))
    {
      const char *contact = _okno_web_server_get_contact (page->server);

      okno_html_printf (page->out, "<p class=\"card\">%s</p>",
                        W_("There are no open times right now. Please look again later."));
      if (contact != NULL)
        okno_html_printf (page->out, "<p>%s <strong>%s</strong></p>", W_("To agree on a time, write or call:"), contact);
    }

  field (page, values, errors, "name", "text", W_("Your name"), "name", NULL);
  okno_html_printf (page->out, "<fieldset%H><legend>%s</legend>",
                    contact_error ? " aria-describedby=\"e-contact\"" : "",
                    W_("How to reach you (any one is enough)"));
  if (contact_error)
    okno_html_printf (page->out, "<p class=\"field-error\" id=\"e-contact\">%s</p>", W_(contact_error));
  field (page, values, errors, "email", "email", W_("Email"), "email", NULL);
  field (page, values, errors, "phone", "tel", W_("Phone"), "tel", NULL);
  field (page, values, errors, "telegram", "text", W_("Telegram"), "off", W_("Such as @anna_k"));
  g_string_append (page->out, "</fieldset>");
  field (page, values, errors, "note", "textarea", W_("Anything to add? (optional)"), "off", NULL);

  okno_html_printf (page->out,
                    "<p class=\"muted\">%s</p>"
                    "<div class=\"actions\"><button type=\"submit\">%s</button>"
                    "<a data-swap href=\"%s\">%s</a></div></form>",
                    W_("By booking you agree that the practitioner sees your name and contact and uses them only for this session."),
                    W_("Book"), back, W_("Choose another time"));

  finish (page, status);
}

static void
render_message (Page       *page,
                const char *title,
                const char *message,
                guint       status)
{
  g_autofree char *back = g_strdup_printf ("/?lang=%s", page->lang);

  begin (page, title);
  okno_html_printf (page->out, "<h1>%s</h1>", title);
  notice (page, "error", message);
  okno_html_printf (page->out, "<p><a data-swap href=\"%s\">%s</a></p>", back, W_("See the open times"));
  finish (page, status);
}

/* When, what, where and who: the confirmation's card, and the cancel
 * question's. */
static void
booking_card (Page        *page,
              OknoBooking *booking)
{
  g_autofree char *day = format_day (page, okno_booking_get_start (booking));
  g_autofree char *zone = format_zone (page, okno_booking_get_start (booking));
  const char *type = okno_booking_get_session_type (booking);
  g_autofree char *description = NULL;
  g_autofree char *place = NULL;

  okno_html_printf (page->out, "<dl class=\"card\" data-when><dt>%s</dt><dd>%s, ", W_("When"), day);
  time_range (page, okno_booking_get_start (booking), okno_booking_get_end (booking));
  okno_html_printf (page->out, "</dd><dd class=\"muted zone-label\">%s</dd><dd class=\"local\" data-local></dd>"
                    "<dt>%s</dt><dd class=\"type\">%s</dd>",
                    zone, W_("Session"), type_name (page, type));
  _okno_web_server_describe_session_type (page->server, type, &description, &place);
  if (description != NULL)
    okno_html_printf (page->out, "<dd class=\"description\">%s</dd>", description);
  if (place != NULL)
    okno_html_printf (page->out, "<dt>%s</dt><dd class=\"place\">%s</dd>", W_("Format"), place);
  okno_html_printf (page->out, "<dt>%s</dt><dd>%s</dd></dl>", W_("Name"), okno_booking_get_name (booking));
}

/* payment-url with {booking}, {date} (Olga's day, YYYY-MM-DD) and {name}
 * filled in, each URL-encoded; %NULL when unset or not http(s). */
static char *
dup_payment_url (Page        *page,
                 OknoBooking *booking)
{
  const char *template = _okno_web_server_get_payment_url (page->server);
  g_autoptr(GDateTime) local = NULL;
  g_autofree char *date = NULL;
  GString *out;

  if (template == NULL ||
      (g_ascii_strncasecmp (template, "https://", 8) != 0 && g_ascii_strncasecmp (template, "http://", 7) != 0))
    return NULL;

  local = g_date_time_to_timezone (okno_booking_get_start (booking), okno_schedule_get_time_zone (page->schedule));
  date = g_date_time_format (local, "%Y-%m-%d");
  out = g_string_new (NULL);
  for (const char *p = template; *p != '\0';)
    {
      const char *names[] = { "{booking}", "{date}", "{name}" };
      const char *values[] = { okno_booking_get_id (booking), date, okno_booking_get_name (booking) };
      gboolean replaced = FALSE;

      for (guint i = 0; i < G_N_ELEMENTS (names) && !replaced; i++)
        if (g_str_has_prefix (p, names[i]))
          {
            g_autofree char *escaped = g_uri_escape_string (values[i] ? values[i] : "", NULL, FALSE);

            g_string_append (out, escaped);
            p += strlen (names[i]);
            replaced = TRUE;
          }
      if (!replaced)
        g_string_append_c (out, *p++);
    }

  return g_string_free (out, FALSE);
}

/* The cancellation policy's refusal: until when the page could cancel,
 * and how to reach Olga now. */
static void
too_late_notice (Page        *page,
                 OknoBooking *booking)
{
  const char *contact = _okno_web_server_get_contact (page->server);
  guint hours = 0;
  g_autoptr(GDateTime) last = NULL;
  g_autofree char *when = NULL;
  g_autofree char *text = NULL;

  g_object_get (_okno_web_server_get_service (page->server), "min-cancel-hours", &hours, NULL);
  last = g_date_time_add_hours (okno_booking_get_start (booking), -(int) hours);
  when = format_short (page, last);
  /* Translators: «Отменить запись здесь можно было до пт 4 дек, 06:00.» */
  text = g_strdup_printf (W_("It is too close to the session to cancel it here: this page could cancel it until %s."), when);
  okno_html_printf (page->out, "<div class=\"notice error\" role=\"alert\" data-too-late><p>%s</p>", text);
  if (contact != NULL)
    okno_html_printf (page->out, "<p>%s <strong>%s</strong></p>",
                      W_("To cancel or change it, write or call:"), contact);
  g_string_append (page->out, "</div>");
}

static void
render_too_late (Page        *page,
                 OknoBooking *booking)
{
  g_autofree char *back = g_strdup_printf ("/?lang=%s", page->lang);

  begin (page, W_("The booking was not cancelled"));
  okno_html_printf (page->out, "<h1>%s</h1>", W_("The booking was not cancelled"));
  too_late_notice (page, booking);
  booking_card (page, booking);
  okno_html_printf (page->out, "<p><a data-swap href=\"%s\">%s</a></p>", back, W_("See the open times"));
  finish (page, SOUP_STATUS_CONFLICT);
}

static void
render_booking (Page        *page,
                OknoBooking *booking,
                const char  *token)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *escaped = g_uri_escape_string (token, NULL, FALSE);
  g_autofree char *ics = g_strdup_printf ("/booking/%s.ics?token=%s", okno_booking_get_id (booking), escaped);
  g_autofree char *back = g_strdup_printf ("/?lang=%s", page->lang);
  g_autofree char *change = g_strdup_printf ("/reschedule?booking=%s&token=%s&lang=%s", okno_booking_get_id (booking),
                                             escaped, page->lang);
  gboolean active = okno_booking_is_active (booking);
  gboolean may_cancel = active && okno_booking_service_check_client_cancel (
    _okno_web_server_get_service (page->server), booking, now, NULL);
  const char *title = active ? W_("You are booked") : W_("Your booking is cancelled");

  begin (page, title);
  okno_html_printf (page->out, "<h1>%s</h1>", title);
  if (active && page->moved)
    notice (page, "ok", W_("The time is changed: this is your new time."));
  if (may_cancel)
    notice (page, "ok", W_("See you then. Keep this page: it lets you cancel."));
  else if (active)
    too_late_notice (page, booking);

  booking_card (page, booking);

  if (active)
    {
      g_autofree char *pay = dup_payment_url (page, booking);
      const char *note = _okno_web_server_get_payment_note (page->server);

      if (pay != NULL)
        {
          okno_html_printf (page->out, "<div class=\"payment\" data-payment>");
          if (note != NULL)
            okno_html_printf (page->out, "<p class=\"payment-note\">%s</p>", note);
          okno_html_printf (page->out, "<p><a class=\"button\" href=\"%s\" rel=\"noopener noreferrer\">%s</a></p></div>",
                            pay, W_("Pay for the session"));
        }
    }

  /* Cancelling asks first (render_cancel_question). */
  if (active && !may_cancel)
    okno_html_printf (page->out, "<div class=\"actions\"><a class=\"button\" href=\"%s\" download>%s</a></div>",
                      ics, W_("Add to calendar"));
  else if (active)
    okno_html_printf (page->out,
                      "<div class=\"actions\"><a class=\"button\" href=\"%s\" download>%s</a>"
                      "<form method=\"post\" action=\"/cancel\" data-swap>"
                      "<input type=\"hidden\" name=\"booking\" value=\"%s\">"
                      "<input type=\"hidden\" name=\"token\" value=\"%s\">"
                      "<input type=\"hidden\" name=\"lang\" value=\"%s\">"
                      "<button type=\"submit\" class=\"secondary\">%s</button></form>"
                      "<a class=\"button secondary\" data-swap data-reschedule href=\"%s\">%s</a></div>",
                      ics, W_("Add to calendar"), okno_booking_get_id (booking), token, page->lang,
                      W_("Cancel booking"), change, W_("Change time"));
  else
    okno_html_printf (page->out, "<p><a class=\"button\" data-swap href=\"%s\">%s</a></p>",
                      back, W_("Choose another time"));

  finish (page, SOUP_STATUS_OK);
}

/* The second step of cancelling: a plain form that says confirm=1, and a
 * way back that changes nothing. */
static void
render_cancel_question (Page        *page,
                        OknoBooking *booking,
                        const char  *token)
{
  g_autofree char *escaped = g_uri_escape_string (token, NULL, FALSE);
  g_autofree char *keep = g_strdup_printf ("/booking/%s?token=%s&lang=%s", okno_booking_get_id (booking),
                                           escaped, page->lang);
  g_autofree char *when = format_short (page, okno_booking_get_start (booking));
  /* Translators: «Отменить запись на пт 4 дек, 06:00?» */
  g_autofree char *title = g_strdup_printf (W_("Cancel the booking on %s?"), when);

  begin (page, title);
  okno_html_printf (page->out, "<h1>%s</h1>", title);
  booking_card (page, booking);
  okno_html_printf (page->out,
                    "<div class=\"actions\">"
                    "<form method=\"post\" action=\"/cancel\" data-swap>"
                    "<input type=\"hidden\" name=\"booking\" value=\"%s\">"
                    "<input type=\"hidden\" name=\"token\" value=\"%s\">"
                    "<input type=\"hidden\" name=\"lang\" value=\"%s\">"
                    "<input type=\"hidden\" name=\"confirm\" value=\"1\">"
                    "<button type=\"submit\" class=\"danger\">%s</button></form>"
                    "<a class=\"button secondary\" data-swap href=\"%s\">%s</a></div>",
                    okno_booking_get_id (booking), token, page->lang,
                    W_("Cancel the booking"), keep, W_("Keep it"));
  finish (page, SOUP_STATUS_OK);
}

/* Counts a booking or cancel attempt; over the limit, sets Retry-After
 * and leaves the 429 screen to the caller, which keeps what was typed. */
static gboolean
refused_by_rate_limit (Page *page)
{
  g_autofree char *retry = NULL;
  guint retry_after = 0;

  if (_okno_web_server_take_attempt (page->server, page->msg, &retry_after))
    return FALSE;

  retry = g_strdup_printf ("%u", retry_after);
  soup_message_headers_replace (soup_server_message_get_response_headers (page->msg), "Retry-After", retry);
  return TRUE;
}

/* The form by the same rules as JSON (okno-web-input.c): whole values,
 * clean text; a field that is not is left out and named in @bad_fields. */
static GHashTable *
read_form (SoupServerMessage  *msg,
           GHashTable        **bad_fields)
{
  g_autoptr(GBytes) body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  gsize length;
  const char *data = g_bytes_get_data (body, &length);

  *bad_fields = NULL;
  if (length > OKNO_WEB_MAX_BODY)
    return NULL;

  return okno_web_input_parse_form (data, length, bad_fields);
}

static const char *
form_value (GHashTable *form,
            const char *name)
{
  return form ? g_hash_table_lookup (form, name) : NULL;
}

/* The booking form's spam check (okno-web-form-guard.h). A refused POST
 * gets the form again with what was typed (the honeypot emptied) and a
 * 400: like a form with a mistake, it was not done, and a person sends it
 * again as it is. */
static gboolean
refused_by_form_guard (Page      *page,
                       GDateTime *now)
{
  OknoWebFormGuard *guard = _okno_web_server_get_form_guard (page->server);
  const char *slot_id = form_value (page->form, "slot");
  g_autofree char *scope = book_scope (slot_id);
  g_autoptr(OknoSlot) wanted = NULL;
  OknoWebFormGuardVerdict verdict;

  verdict = okno_web_form_guard_check (guard, page->form, scope, now);
  /* The form that offered a choice of times was signed for none of them. */
  if (verdict == OKNO_WEB_FORM_GUARD_BAD_STAMP && slot_id != NULL)
    {
      g_autofree char *any = book_scope (NULL);

      verdict = okno_web_form_guard_check (guard, page->form, any, now);
    }
  if (verdict == OKNO_WEB_FORM_GUARD_OK)
    return FALSE;

  g_debug ("A booking form refused: %s", okno_web_form_guard_verdict_name (verdict));
  wanted = okno_schedule_check_bookable (page->schedule, slot_id, now, NULL);
  render_form (page, wanted, page->form, NULL, W_(okno_web_form_guard_verdict_message (verdict)),
               SOUP_STATUS_BAD_REQUEST);
  return TRUE;
}

/* A form POST whose booking or cancel is being made durable: the message
 * waits, paused, and the page is rendered from what this keeps. */
typedef struct
{
  OknoWebServer     *server;
  SoupServerMessage *msg;
  OknoWebCatalog    *catalog;
  OknoSchedule      *schedule;
  GHashTable        *form;
  char              *slot_id;
  char              *booking_id;
  char              *token;
  gulong             disconnected_id;
  gboolean           gone;  /* the client went away meanwhile */
} PageJob;

static void
job_disconnected_cb (SoupServerMessage *msg,
                     gboolean          *gone)
{
  *gone = TRUE;
}

static PageJob *
page_job_new (Page *page)
{
  PageJob *job = g_new0 (PageJob, 1);

  job->server = g_object_ref (page->server);
  job->msg = g_object_ref (page->msg);
  job->catalog = page->catalog;
  job->schedule = g_object_ref (page->schedule);
  job->form = page->form ? g_hash_table_ref (page->form) : NULL;
  job->disconnected_id = g_signal_connect (page->msg, "disconnected", G_CALLBACK (job_disconnected_cb), &job->gone);
  return job;
}

static void
page_job_free (PageJob *job)
{
  g_signal_handler_disconnect (job->msg, job->disconnected_id);
  if (!job->gone)
    soup_server_message_unpause (job->msg);
  g_object_unref (job->msg);
  g_object_unref (job->server);
  g_object_unref (job->schedule);
  g_clear_pointer (&job->form, g_hash_table_unref);
  g_free (job->slot_id);
  g_free (job->booking_id);
  g_free (job->token);
  g_free (job);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PageJob, page_job_free)

/* The page as okno_web_page_handle() set it up, again. */
static void
page_from_job (Page    *page,
               PageJob *job,
               GString *out)
{
  page->server = job->server;
  page->msg = job->msg;
  page->catalog = job->catalog;
  page->lang = okno_web_catalog_get_language (job->catalog);
  page->schedule = job->schedule;
  page->zone = okno_schedule_get_time_zone (job->schedule);
  page->out = out;
  page->form = job->form;
}

static void
book_post_done_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(PageJob) job = user_data;
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(OknoBooking) booking = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *token = NULL;
  g_autofree char *location = NULL;
  g_autofree char *escaped = NULL;
  Page page_data = { 0 };
  Page *page = &page_data;

  page_from_job (page, job, out);
  booking = okno_booking_service_book_finish (OKNO_BOOKING_SERVICE (object), result, &token, NULL, &error);
  if (booking == NULL)
    {
      const char *message = error->message;
      const char *code;
      guint status = okno_web_status_for_error (error, &code);
      g_autoptr(OknoSlot) still = NULL;

      if (status >= 500)
        {
          g_warning ("Booking failed: %s", error->message);
          message = N_("The booking could not be saved. Please try again in a minute.");
        }
      /* What they typed stays: the same slot again if it is still open,
       * else the open times to choose from. */
      still = okno_schedule_check_bookable (page->schedule, job->slot_id, now, NULL);
      render_form (page, still, page->form, NULL, W_(message), status);
      return;
    }

  escaped = g_uri_escape_string (token, NULL, FALSE);
  location = g_strdup_printf ("/booking/%s?token=%s&lang=%s", okno_booking_get_id (booking), escaped, page->lang);
  soup_server_message_set_redirect (page->msg, SOUP_STATUS_SEE_OTHER, location);
}

static void
handle_book_post (Page *page)
{
  GHashTable *form = page->form;
  g_autoptr(OknoBookingRequest) request = okno_booking_request_new ();
  g_autoptr(GHashTable) errors = NULL;
  g_autoptr(OknoSlot) slot = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  OknoBookingService *service = _okno_web_server_get_service (page->server);
  PageJob *job;

  if (refused_by_rate_limit (page))
    {
      g_autoptr(OknoSlot) wanted = okno_schedule_check_bookable (page->schedule, form_value (form, "slot"), now, NULL);

      render_form (page, wanted, form, NULL, W_("Too many attempts. Please wait a minute and try again."), 429);
      return;
    }

  /* Before anything else: a robot's POST books nothing, and a person's
   * comes back as typed, with a fresh stamp to send again. */
  if (refused_by_form_guard (page, now))
    return;

  request->slot_id = g_strdup (form_value (form, "slot"));
  request->name = g_strdup (form_value (form, "name"));
  request->email = g_strdup (form_value (form, "email"));
  request->phone = g_strdup (form_value (form, "phone"));
  request->telegram = g_strdup (form_value (form, "telegram"));
  request->note = g_strdup (form_value (form, "note"));
  request->language = g_strdup (page->lang);

  slot = okno_schedule_dup_slot (page->schedule, request->slot_id);
  if (page->bad_fields != NULL && slot != NULL)
    {
      /* Each unusable field by its own message; the rest as typed. */
      GHashTableIter iter;
      gpointer name;

      errors = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      g_hash_table_iter_init (&iter, page->bad_fields);
      while (g_hash_table_iter_next (&iter, &name, NULL))
        g_hash_table_replace (errors, g_strdup (g_str_equal (name, "slot") ? "slotId" : name),
                              g_strdup (OKNO_WEB_INPUT_UNUSABLE));
      render_form (page, slot, form, errors, NULL, SOUP_STATUS_BAD_REQUEST);
      return;
    }
  if (page->bad_fields != NULL)
    {
      render_slot_list (page, W_("This time is no longer offered."), SOUP_STATUS_BAD_REQUEST);
      return;
    }
  if (!okno_booking_request_validate (request, &errors))
    {
      g_autoptr(OknoSlot) still = NULL;

      if (slot != NULL && !g_hash_table_contains (errors, "slotId"))
        {
          render_form (page, slot, form, errors, NULL, SOUP_STATUS_BAD_REQUEST);
          return;
        }
      still = okno_schedule_check_bookable (page->schedule, request->slot_id, now, NULL);
      render_form (page, still, form, errors, W_("This time is no longer offered."), SOUP_STATUS_NOT_FOUND);
      return;
    }

  /* Decided now; answered once durable (the message waits, paused). */
  job = page_job_new (page);
  job->slot_id = g_strdup (request->slot_id);
  soup_server_message_pause (page->msg);
  okno_booking_service_book_async (service, request, form_value (form, "key"), now, NULL,
                                   book_post_done_cb, job);
}

static void
cancel_post_done_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(PageJob) job = user_data;
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(OknoBooking) booking = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *location = NULL;
  g_autofree char *escaped = NULL;
  Page page_data = { 0 };
  Page *page = &page_data;

  page_from_job (page, job, out);
  booking = okno_booking_service_cancel_finish (OKNO_BOOKING_SERVICE (object), result, &error);
  if (g_error_matches (error, OKNO_BOOKING_ERROR, OKNO_BOOKING_ERROR_TOO_LATE))
    {
      OknoBooking *current = okno_ledger_lookup (okno_schedule_get_ledger (page->schedule), job->booking_id);

      if (current != NULL)
        {
          render_too_late (page, current);
          return;
        }
    }
  if (booking == NULL)
    {
      const char *code;
      guint status = okno_web_status_for_error (error, &code);

      render_message (page, W_("The booking was not cancelled"),
                      W_(status >= 500 ? N_("The booking could not be saved. Please try again in a minute.")
                                       : error->message),
                      status);
      return;
    }

  escaped = g_uri_escape_string (job->token, NULL, FALSE);
  location = g_strdup_printf ("/booking/%s?token=%s&lang=%s", job->booking_id, escaped, page->lang);
  soup_server_message_set_redirect (page->msg, SOUP_STATUS_SEE_OTHER, location);
}

static void
handle_cancel_post (Page *page)
{
  GHashTable *form = page->form;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  const char *id = form_value (form, "booking");
  const char *token = form_value (form, "token");
  PageJob *job;

  if (refused_by_rate_limit (page))
    {
      render_message (page, W_("Please wait a minute"),
                      W_("Too many attempts. Please wait a minute and try again."), 429);
      return;
    }

  /* A token cut at %00 must not cancel: the whole value or nothing. */
  if (page->bad_fields != NULL || id == NULL || token == NULL)
    {
      render_message (page, W_("The booking was not cancelled"),
                      W_("This link is not valid for this booking."), SOUP_STATUS_BAD_REQUEST);
      return;
    }

  /* First the question; only a form that says confirm=1 cancels. */
  if (g_strcmp0 (form_value (form, "confirm"), "1") != 0)
    {
      OknoBooking *booking = okno_booking_service_lookup (_okno_web_server_get_service (page->server),
                                                          id, token, &error);
      const char *code;

      if (booking == NULL)
        render_message (page, W_("The booking was not cancelled"), W_(error->message),
                        okno_web_status_for_error (error, &code));
      else if (!okno_booking_is_active (booking))
        render_booking (page, booking, token);
      else if (!okno_booking_service_check_client_cancel (_okno_web_server_get_service (page->server),
                                                          booking, now, NULL))
        render_too_late (page, booking);
      else
        render_cancel_question (page, booking, token);
      return;
    }

  /* Answered once the cancel is durable (the message waits, paused). */
  job = page_job_new (page);
  job->booking_id = g_strdup (id);
  job->token = g_strdup (token);
  soup_server_message_pause (page->msg);
  okno_booking_service_cancel_async (_okno_web_server_get_service (page->server), id, token, now, NULL,
                                     cancel_post_done_cb, job);
}

/* Changing the time (issue 13.1), as forms:
 *
 *   GET  /reschedule?booking=ID&token=T   the booking, and the open times,
 *                                         each a one-button form
 *   POST /reschedule                      booking, token, slot: moves it;
 *                                         303 to the confirmation, or the
 *                                         list again saying why not
 */

/* Too close to the session: until when the page could move it, and how to
 * reach Olga now. */
static void
render_reschedule_too_late (Page        *page,
                            OknoBooking *booking)
{
  const char *contact = _okno_web_server_get_contact (page->server);
  g_autofree char *back = g_strdup_printf ("/?lang=%s", page->lang);
  g_autoptr(GDateTime) last = NULL;
  g_autofree char *when = NULL;
  g_autofree char *text = NULL;
  guint hours = 0;

  g_object_get (_okno_web_server_get_service (page->server), "min-cancel-hours", &hours, NULL);
  last = g_date_time_add_hours (okno_booking_get_start (booking), -(int) hours);
  when = format_short (page, last);
  /* Translators: «Перенести запись здесь можно было до пт 4 дек, 06:00.» */
  text = g_strdup_printf (W_("It is too close to the session to change its time here: this page could change it until %s."), when);

  begin (page, W_("The time was not changed"));
  okno_html_printf (page->out, "<h1>%s</h1>", W_("The time was not changed"));
  okno_html_printf (page->out, "<div class=\"notice error\" role=\"alert\" data-too-late><p>%s</p>", text);
  if (contact != NULL)
    okno_html_printf (page->out, "<p>%s <strong>%s</strong></p>",
                      W_("To cancel or change it, write or call:"), contact);
  g_string_append (page->out, "</div>");
  booking_card (page, booking);
  okno_html_printf (page->out, "<p><a data-swap href=\"%s\">%s</a></p>", back, W_("See the open times"));
  finish (page, SOUP_STATUS_CONFLICT);
}

/* The booking as it is, then the open times, each a form with one button:
 * one click moves the booking there. */
static void
render_reschedule (Page        *page,
                   OknoBooking *booking,
                   const char  *token,
                   const char  *message,
                   guint        status)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) to = NULL;
  g_autoptr(GPtrArray) slots = NULL;
  g_autofree char *escaped = g_uri_escape_string (token, NULL, FALSE);
  g_autofree char *keep = g_strdup_printf ("/booking/%s?token=%s&lang=%s", okno_booking_get_id (booking),
                                           escaped, page->lang);
  g_autofree char *current_day = NULL;
  g_autofree char *zone = NULL;
  guint window;

  g_object_get (page->schedule, "booking-window-days", &window, NULL);
  to = g_date_time_add_days (now, window + 1);
  slots = okno_schedule_dup_bookable_slots (page->schedule, now, to, now, NULL);

  begin (page, W_("Change the time"));
  okno_html_printf (page->out, "<h1>%s</h1>", W_("Change the time"));
  notice (page, "error", message);
  okno_html_printf (page->out, "<h2>%s</h2>", W_("Your booking now"));
  booking_card (page, booking);
  okno_html_printf (page->out, "<h2>%s</h2>", W_("Move it to"));
  if (slots->len > 0)
    {
      zone = format_zone (page, okno_slot_get_start (g_ptr_array_index (slots, 0)));
      okno_html_printf (page->out, "<p class=\"zone\">%s</p>", zone);
    }
  g_string_append (page->out, "<div data-reschedule-list>");
  if (slots->len == 0)
    okno_html_printf (page->out, "<p class=\"card empty\">%s</p>",
                      W_("There are no other open times right now. Please look again later."));

  for (guint i = 0; i < slots->len; i++)
    {
      OknoSlot *slot = g_ptr_array_index (slots, i);
      g_autofree char *day = okno_time_format_date (okno_slot_get_start (slot), page->zone);

      if (g_strcmp0 (day, current_day) != 0)
        {
          g_autofree char *heading = format_day (page, okno_slot_get_start (slot));

          if (current_day != NULL)
            g_string_append (page->out, "</ul></section>");
          g_free (current_day);
          current_day = g_strdup (day);
          okno_html_printf (page->out, "<section aria-labelledby=\"r%s\"><h3 id=\"r%s\">%s</h3><ul class=\"slots\">",
                            day, day, heading);
        }

      okno_html_printf (page->out,
                        "<li><form method=\"post\" action=\"/reschedule\" data-swap>"
                        "<input type=\"hidden\" name=\"booking\" value=\"%s\">"
                        "<input type=\"hidden\" name=\"token\" value=\"%s\">"
                        "<input type=\"hidden\" name=\"lang\" value=\"%s\">"
                        "<input type=\"hidden\" name=\"slot\" value=\"%s\">"
                        "<button type=\"submit\" class=\"slot\" data-when><span class=\"time\">",
                        okno_booking_get_id (booking), token, page->lang, okno_slot_get_id (slot));
      time_range (page, okno_slot_get_start (slot), okno_slot_get_end (slot));
      okno_html_printf (page->out, "</span> <span class=\"type\">%s</span>"
                        "<span class=\"local\" data-local></span></button></form></li>",
                        type_name (page, okno_slot_get_session_type (slot)));
    }
  if (current_day != NULL)
    g_string_append (page->out, "</ul></section>");
  g_string_append (page->out, "</div>");
  okno_html_printf (page->out, "<p><a class=\"button secondary\" data-swap href=\"%s\">%s</a></p>",
                    keep, W_("Keep this time"));

  finish (page, status);
}

static void
handle_reschedule_get (Page       *page,
                       GHashTable *query)
{
  const char *id = query ? g_hash_table_lookup (query, "booking") : NULL;
  const char *token = query ? g_hash_table_lookup (query, "token") : NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GError) error = NULL;
  OknoBookingService *service = _okno_web_server_get_service (page->server);
  OknoBooking *booking;
  const char *code;

  booking = okno_booking_service_lookup (service, id, token, &error);
  if (booking == NULL)
    render_message (page, W_("Booking not found"), W_(error->message), okno_web_status_for_error (error, &code));
  else if (!okno_booking_is_active (booking))
    render_booking (page, booking, token);
  else if (!okno_booking_service_check_client_cancel (service, booking, now, NULL))
    render_reschedule_too_late (page, booking);
  else
    render_reschedule (page, booking, token, NULL, SOUP_STATUS_OK);
}

static void
reschedule_post_done_cb (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(PageJob) job = user_data;
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(OknoBooking) booking = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *location = NULL;
  g_autofree char *escaped = NULL;
  OknoBooking *current;
  Page page_data = { 0 };
  Page *page = &page_data;

  page_from_job (page, job, out);
  booking = okno_booking_service_reschedule_finish (OKNO_BOOKING_SERVICE (object), result, &error);
  if (booking == NULL)
    {
      const char *code;
      guint status = okno_web_status_for_error (error, &code);
      const char *message = status >= 500 ? N_("The booking could not be saved. Please try again in a minute.")
                                          : error->message;

      current = okno_ledger_lookup (okno_schedule_get_ledger (page->schedule), job->booking_id);
      if (current != NULL && g_error_matches (error, OKNO_BOOKING_ERROR, OKNO_BOOKING_ERROR_TOO_LATE))
        render_reschedule_too_late (page, current);
      else if (current != NULL && okno_booking_is_active (current) &&
               !g_error_matches (error, OKNO_BOOKING_ERROR, OKNO_BOOKING_ERROR_FORBIDDEN))
        render_reschedule (page, current, job->token, W_(message), status);
      else
        render_message (page, W_("The time was not changed"), W_(message), status);
      return;
    }

  escaped = g_uri_escape_string (job->token, NULL, FALSE);
  location = g_strdup_printf ("/booking/%s?token=%s&lang=%s&moved=1", job->booking_id, escaped, page->lang);
  soup_server_message_set_redirect (page->msg, SOUP_STATUS_SEE_OTHER, location);
}

static void
handle_reschedule_post (Page *page)
{
  GHashTable *form = page->form;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  const char *id = form_value (form, "booking");
  const char *token = form_value (form, "token");
  const char *slot_id = form_value (form, "slot");
  PageJob *job;

  if (refused_by_rate_limit (page))
    {
      render_message (page, W_("Please wait a minute"),
                      W_("Too many attempts. Please wait a minute and try again."), 429);
      return;
    }

  /* A token cut at %00 must not move anything: the whole value or nothing. */
  if (page->bad_fields != NULL || id == NULL || token == NULL || slot_id == NULL)
    {
      render_message (page, W_("The time was not changed"),
                      W_("This link is not valid for this booking."), SOUP_STATUS_BAD_REQUEST);
      return;
    }

  /* Answered once the move is durable (the message waits, paused). */
  job = page_job_new (page);
  job->booking_id = g_strdup (id);
  job->token = g_strdup (token);
  job->slot_id = g_strdup (slot_id);
  soup_server_message_pause (page->msg);
  okno_booking_service_reschedule_async (_okno_web_server_get_service (page->server), id, token, slot_id,
                                         now, NULL, reschedule_post_done_cb, job);
}

static void
handle_booking_get (Page       *page,
                    const char *rest,
                    GHashTable *query)
{
  g_autofree char *id = g_strdup (rest);
  const char *token = query ? g_hash_table_lookup (query, "token") : NULL;
  gboolean ics = g_str_has_suffix (id, ".ics");
  g_autoptr(GError) error = NULL;
  OknoBooking *booking;

  if (ics)
    id[strlen (id) - 4] = '\0';

  booking = okno_booking_service_lookup (_okno_web_server_get_service (page->server), id, token, &error);
  if (booking == NULL)
    {
      const char *code;
      render_message (page, W_("Booking not found"), W_(error->message), okno_web_status_for_error (error, &code));
      return;
    }

  if (ics)
    {
      const char *type = okno_booking_get_session_type (booking);
      g_autofree char *base = _okno_web_server_dup_base_url (page->server, page->msg);
      g_autofree char *escaped = g_uri_escape_string (token, NULL, FALSE);
      g_autofree char *url = g_strdup_printf ("%s/booking/%s?token=%s", base, id, escaped);
      g_autofree char *text = okno_web_ics_for_booking (booking, type && type[0] ? type : W_("Session"),
                                                        W_("To cancel, open the link of this event."), url);
      gsize length = strlen (text);
      g_autoptr(GBytes) bytes = g_bytes_new_take (g_steal_pointer (&text), length);
      SoupMessageHeaders *headers = soup_server_message_get_response_headers (page->msg);
      g_autofree char *disposition = g_strdup_printf ("attachment; filename=\"okno-%s.ics\"", id);

      soup_message_headers_replace (headers, "Cache-Control", "no-store");
      soup_message_headers_replace (headers, "Content-Disposition", disposition);
      okno_web_reply_bytes (page->msg, SOUP_STATUS_OK, "text/calendar; charset=utf-8", bytes);
      return;
    }

  page->moved = query != NULL && g_strcmp0 (g_hash_table_lookup (query, "moved"), "1") == 0;
  render_booking (page, booking, token);
}

static void
handle_asset (Page       *page,
              const char *path)
{
  Asset *asset = get_asset (path);
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (page->msg);
  gboolean gzip;

  if (asset == NULL || !g_str_equal (asset->path, path))
    {
      okno_web_reply_error (page->msg, page->catalog, SOUP_STATUS_NOT_FOUND, "not_found", N_("Nothing is here."), NULL);
      return;
    }

  gzip = accepts_gzip (page->msg);
  soup_message_headers_replace (headers, "Cache-Control", "public, max-age=31536000, immutable");
  soup_message_headers_replace (headers, "ETag", gzip ? asset->gzipped_etag : asset->etag);
  soup_message_headers_append (headers, "Vary", "Accept-Encoding");
  if (okno_web_etag_matches (page->msg, gzip ? asset->gzipped_etag : asset->etag))
    {
      soup_server_message_set_status (page->msg, SOUP_STATUS_NOT_MODIFIED, NULL);
      return;
    }
  if (gzip)
    soup_message_headers_replace (headers, "Content-Encoding", "gzip");
  okno_web_reply_bytes (page->msg, SOUP_STATUS_OK, asset->content_type, gzip ? asset->gzipped : asset->bytes);
}

/* Returns %FALSE when @path is not a page, for the caller's 404. */
gboolean
okno_web_page_handle (OknoWebServer     *server,
                      SoupServerMessage *msg,
                      const char        *path,
                      GHashTable        *query)
{
  const char *method = soup_server_message_get_method (msg);
  gboolean get = g_str_equal (method, SOUP_METHOD_GET) || g_str_equal (method, SOUP_METHOD_HEAD);
  gboolean post = g_str_equal (method, SOUP_METHOD_POST);
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GHashTable) form = NULL;
  g_autoptr(GHashTable) bad_fields = NULL;
  OknoSchedule *schedule = okno_booking_service_get_schedule (_okno_web_server_get_service (server));
  Page page_data = { 0 };
  Page *page = &page_data;

  if (post && (g_str_equal (path, "/book") || g_str_equal (path, "/cancel") ||
               g_str_equal (path, "/reschedule")))
    {
      /* The language rides in the form, as a hidden field. */
      form = read_form (msg, &bad_fields);
      page->form = form;
      page->bad_fields = bad_fields;
      page->catalog = okno_web_catalog_get (form_value (form, "lang") ? form_value (form, "lang")
                                            : okno_web_catalog_negotiate (soup_message_headers_get_one (
                                                soup_server_message_get_request_headers (msg), "Accept-Language")));
    }
  else
    page->catalog = _okno_web_server_get_catalog (server, msg);

  page->server = server;
  page->msg = msg;
  page->lang = okno_web_catalog_get_language (page->catalog);
  page->schedule = schedule;
  page->zone = okno_schedule_get_time_zone (schedule);
  page->out = out;

  if (g_str_has_prefix (path, "/waitlist") && okno_web_waitlist_handle_page (server, msg, path, query))
    return TRUE;

  if (g_str_has_prefix (path, "/static/") && get)
    handle_asset (page, path);
  else if (g_str_equal (path, "/") && get)
    {
      page->type = query ? g_hash_table_lookup (query, "type") : NULL;
      if (page->type != NULL && !g_utf8_validate (page->type, -1, NULL))
        page->type = NULL;
      render_slot_list (page, NULL, SOUP_STATUS_OK);
    }
  else if (g_str_equal (path, "/book") && get)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
      const char *slot_id = query ? g_hash_table_lookup (query, "slot") : NULL;
      g_autoptr(OknoSlot) slot = okno_schedule_check_bookable (schedule, slot_id, now, &error);

      if (slot == NULL)
        {
          const char *code;
          render_slot_list (page, W_(error->message), okno_web_status_for_error (error, &code));
        }
      else
        render_form (page, slot, NULL, NULL, NULL, SOUP_STATUS_OK);
    }
  else if (g_str_equal (path, "/book") && post)
    handle_book_post (page);
  else if (g_str_equal (path, "/cancel") && post)
    handle_cancel_post (page);
  else if (g_str_equal (path, "/reschedule") && get)
    handle_reschedule_get (page, query);
  else if (g_str_equal (path, "/reschedule") && post)
    handle_reschedule_post (page);
  else if (g_str_has_prefix (path, "/booking/") && get && strchr (path + 9, '/') == NULL && path[9] != '\0')
    handle_booking_get (page, path + 9, query);
  else if (get)
    render_message (page, W_("Nothing is here"), NULL, SOUP_STATUS_NOT_FOUND);
  else
    return FALSE;

  return TRUE;
}

/* Screens in other files: the same header and footer around their body. */
void
_okno_web_page_render (OknoWebServer       *server,
                       SoupServerMessage   *msg,
                       OknoWebCatalog      *catalog,
                       const char          *title,
                       guint                status,
                       OknoWebPageBodyFunc  body,
                       gpointer             user_data)
{
  g_autoptr(GString) out = g_string_new (NULL);
  OknoSchedule *schedule = okno_booking_service_get_schedule (_okno_web_server_get_service (server));
  Page page_data = { 0 };
  Page *page = &page_data;

  page->server = server;
  page->msg = msg;
  page->catalog = catalog;
  page->lang = okno_web_catalog_get_language (catalog);
  page->schedule = schedule;
  page->zone = okno_schedule_get_time_zone (schedule);
  page->out = out;

  begin (page, title);
  body (out, catalog, user_data);
  finish (page, status);
}

char *
_okno_web_page_format_short (OknoWebServer  *server,
                             OknoWebCatalog *catalog,
                             GDateTime      *time)
{
  OknoSchedule *schedule = okno_booking_service_get_schedule (_okno_web_server_get_service (server));
  Page page_data = { 0 };

  page_data.catalog = catalog;
  page_data.zone = okno_schedule_get_time_zone (schedule);
  return format_short (&page_data, time);
}
