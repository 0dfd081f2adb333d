/* okno-web-ics.c: a booking as iCalendar (RFC 5545), built with libical.
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "OknoWebIcs"

#include "config.h"

#include <libical/ical.h>
#include <stdlib.h>

#include "okno-web-ics.h"

static struct icaltimetype
to_ical_utc (GDateTime *time)
{
  return icaltime_from_timet_with_zone ((time_t) g_date_time_to_unix (time), 0,
                                        icaltimezone_get_utc_timezone ());
}

/* libical does the escaping of text values, the folding at 75 octets and
 * the CRLF line ends. The UID is the booking's, so a calendar that imports
 * the file twice, or its cancellation later, updates one event. */
char *
okno_web_ics_for_booking (OknoBooking *booking,
                          const char  *summary,
                          const char  *description,
                          const char  *url)
{
  icalcomponent *calendar = icalcomponent_new_vcalendar ();
  icalcomponent *event = icalcomponent_new_vevent ();
  g_autofree char *uid = g_strdup_printf ("%s@okno", okno_booking_get_id (booking));
  GDateTime *stamp = okno_booking_get_cancelled (booking);
  gboolean cancelled = !okno_booking_is_active (booking);
  char *text;
  char *result;

  if (stamp == NULL)
    stamp = okno_booking_get_created (booking);

  icalcomponent_add_property (calendar, icalproperty_new_version ("2.0"));
  icalcomponent_add_property (calendar, icalproperty_new_prodid ("-//Okno//Okno " PACKAGE_VERSION "//EN"));
  icalcomponent_add_property (calendar, icalproperty_new_method (ICAL_METHOD_PUBLISH));

  icalcomponent_add_property (event, icalproperty_new_uid (uid));
  if (stamp != NULL)
    icalcomponent_add_property (event, icalproperty_new_dtstamp (to_ical_utc (stamp)));
  icalcomponent_add_property (event, icalproperty_new_dtstart (to_ical_utc (okno_booking_get_start (booking))));
  icalcomponent_add_property (event, icalproperty_new_dtend (to_ical_utc (okno_booking_get_end (booking))));
  icalcomponent_add_property (event, icalproperty_new_summary (summary));
  if (description != NULL)
    icalcomponent_add_property (event, icalproperty_new_description (description));
  if (url != NULL)
    icalcomponent_add_property (event, icalproperty_new_url (url));
  icalcomponent_add_property (event, icalproperty_new_sequence (cancelled ? 1 : 0));
  icalcomponent_add_property (event, icalproperty_new_status (cancelled ? ICAL_STATUS_CANCELLED
                                                                         : ICAL_STATUS_CONFIRMED));
  icalcomponent_add_component (calendar, event);

  text = icalcomponent_as_ical_string_r (calendar);
  result = g_strdup (text);
  free (text);
  icalcomponent_free (calendar);

  return result;
}
