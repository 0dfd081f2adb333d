/* okno-email-message.c
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "OknoEmailMessage"

#include "config.h"

#include <glib/gi18n.h>
#include <gmime/gmime.h>
#include <libical/ical.h>
#include <string.h>

#include "okno-email-message.h"
#include "okno-notify-error.h"

/* The email Okno sends through Gmail, built with GMime (never by hand):
 *
 *   multipart/mixed
 *     multipart/alternative
 *       text/plain; charset=UTF-8
 *       text/html; charset=UTF-8
 *       text/calendar; charset=UTF-8; method=REQUEST     (with an invitation)
 *     application/ics; name="invite.ics" (attachment)    (with an invitation)
 *
 * Cyrillic headers are RFC 2047 encoded-words (at most 75 characters
 * each, split between characters; see encode_words()), bodies
 * quoted-printable or base64 as GMime finds best; lines end in CRLF. The invitation is an
 * iTIP REQUEST (ORGANIZER, ATTENDEE with RSVP, SEQUENCE), so the method
 * parameter equals the VCALENDAR's METHOD. */

/* GMime 3.2 declares no autoptr cleanups. */
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GMimeMessage, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GMimeMultipart, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GMimePart, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GMimeStream, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GMimeDataWrapper, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GMimeFormatOptions, g_mime_format_options_free)

static void
ensure_gmime (void)
{
  static gsize initialized = 0;

  if (g_once_init_enter (&initialized))
    {
      g_mime_init ();
      g_once_init_leave (&initialized, 1);
    }
}

/* RFC 2047 Q encoded-words in UTF-8, at most 75 characters each, split
 * between characters. GMime 3.2 writes B words but, reading them back,
 * joins adjacent words' base64 before decoding and loses text after a
 * padded one; Q words join safely, so every client (and GMime) reads them. */
static char *
encode_words (const char *text)
{
  GString *out = g_string_new (NULL);
  GString *word = g_string_new (NULL);
  const char *p = text;

  while (*p)
    {
      const char *next = g_utf8_next_char (p);
      g_autoptr(GString) piece = g_string_new (NULL);

      for (const char *b = p; b < next; b++)
        {
          guchar c = (guchar) *b;

          if (g_ascii_isalnum (c) || strchr ("!*+-/", c) != NULL)
            g_string_append_c (piece, (char) c);
          else if (c == ' ')
            g_string_append_c (piece, '_');
          else
            g_string_append_printf (piece, "=%02X", c);
        }
      if (word->len + piece->len > 75 - 12)   /* "=?UTF-8?Q?" and "?=" */
        {
          g_string_append_printf (out, "%s=?UTF-8?Q?%s?=", out->len ? " " : "", word->str);
          g_string_truncate (word, 0);
        }
      g_string_append (word, piece->str);
      p = next;
    }
  if (word->len > 0)
    g_string_append_printf (out, "%s=?UTF-8?Q?%s?=", out->len ? " " : "", word->str);
  g_string_free (word, TRUE);
  return g_string_free (out, FALSE);
}

static gboolean
is_ascii (const char *text)
{
  for (const char *p = text; p && *p; p++)
    if ((guchar) *p >= 0x80)
      return FALSE;
  return TRUE;
}

/* "Name" <address>, the name as encoded-words when it is not ASCII. */
static char *
format_mailbox (const char *name,
                const char *address)
{
  g_autoptr(GString) quoted = NULL;

  if (name == NULL || name[0] == '\0')
    return g_strdup_printf ("<%s>", address);
  if (!is_ascii (name))
    {
      g_autofree char *words = encode_words (name);
      return g_strdup_printf ("%s <%s>", words, address);
    }
  quoted = g_string_new ("\"");
  for (const char *p = name; *p; p++)
    {
      if (*p == '"' || *p == '\\')
        g_string_append_c (quoted, '\\');
      if (*p != '\r' && *p != '\n')
        g_string_append_c (quoted, *p);
    }
  g_string_append_c (quoted, '"');
  return g_strdup_printf ("%s <%s>", quoted->str, address);
}

static GMimePart *
text_part (const char *subtype,
           const char *text)
{
  GMimePart *part = GMIME_PART (g_mime_text_part_new_with_subtype (subtype));

  g_mime_text_part_set_text (GMIME_TEXT_PART (part), text);   /* also sets charset=utf-8 */
  g_mime_part_set_content_encoding (part,
                                    g_mime_part_get_best_content_encoding (part, GMIME_ENCODING_CONSTRAINT_7BIT));
  return part;
}

/**
 * okno_email_message_build:
 *
 * Returns: (transfer full): the RFC 5322 message, CRLF line ends
 */
GBytes *
okno_email_message_build (const OknoEmailMessage  *message,
                          GError                 **error)
{
  g_autoptr(GMimeMessage) mime = NULL;
  g_autoptr(GMimeMultipart) alternative = NULL;
  g_autoptr(GMimePart) plain = NULL;
  g_autoptr(GMimePart) html = NULL;
  g_autoptr(GMimeFormatOptions) options = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *message_id = NULL;
  g_autoptr(GChecksum) checksum = NULL;
  GMimeObject *root;
  char *text;

  g_return_val_if_fail (message != NULL, NULL);

  if (message->to_address == NULL || strchr (message->to_address, '@') == NULL ||
      strpbrk (message->to_address, "\r\n<>,;\" ") != NULL)
    {
      g_set_error (error, OKNO_NOTIFY_ERROR, OKNO_NOTIFY_ERROR_REJECTED,
                   _("“%s” is not one email address"), message->to_address ? message->to_address : "");
      return NULL;
    }

  ensure_gmime ();
  mime = g_mime_message_new (TRUE);
  {
    g_autofree char *from = message->from_address ? format_mailbox (message->from_name, message->from_address) : NULL;
    g_autofree char *to = format_mailbox (message->to_name, message->to_address);
    g_autofree char *subject = is_ascii (message->subject) ? g_strdup (message->subject)
                                                           : encode_words (message->subject);

    /* Already encoded: GMime only folds them. Without an address Gmail
     * writes the account's own. */
    if (message->from_address != NULL)
      g_mime_object_set_header (GMIME_OBJECT (mime), "From", from, NULL);
    g_mime_object_set_header (GMIME_OBJECT (mime), "To", to, NULL);
    g_mime_object_set_header (GMIME_OBJECT (mime), "Subject", subject, NULL);
  }
  g_mime_message_set_date (mime, now);

  checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_checksum_update (checksum, (const guchar *) (message->message_key ? message->message_key : ""), -1);
  message_id = g_strdup_printf ("%.32s@okno", g_checksum_get_string (checksum));
  g_mime_message_set_message_id (mime, message_id);
  /* The outbox item's key, so a repeat is recognisable by a person too. */
  if (message->message_key != NULL && is_ascii (message->message_key) &&
      strpbrk (message->message_key, "\r\n") == NULL)
    g_mime_object_set_header (GMIME_OBJECT (mime), "X-Okno-Key", message->message_key, NULL);

  alternative = g_mime_multipart_new_with_subtype ("alternative");
  plain = text_part ("plain", message->text);
  html = text_part ("html", message->html);
  g_mime_multipart_add (alternative, GMIME_OBJECT (plain));
  g_mime_multipart_add (alternative, GMIME_OBJECT (html));

  if (message->ics != NULL)
    {
      g_autoptr(GMimeMultipart) mixed = g_mime_multipart_new_with_subtype ("mixed");
      g_autoptr(GMimePart) calendar = text_part ("calendar", message->ics);
      g_autoptr(GMimePart) attachment = g_mime_part_new_with_type ("application", "ics");
      g_autoptr(GMimeStream) stream = g_mime_stream_mem_new_with_buffer (message->ics, strlen (message->ics));
      g_autoptr(GMimeDataWrapper) content = g_mime_data_wrapper_new_with_stream (stream, GMIME_CONTENT_ENCODING_DEFAULT);

      g_mime_object_set_content_type_parameter (GMIME_OBJECT (calendar), "method", "REQUEST");
      g_mime_multipart_add (alternative, GMIME_OBJECT (calendar));

      g_mime_part_set_content (attachment, content);
      g_mime_part_set_filename (attachment, "invite.ics");
      g_mime_object_set_content_type_parameter (GMIME_OBJECT (attachment), "name", "invite.ics");
      g_mime_part_set_content_encoding (attachment, GMIME_CONTENT_ENCODING_BASE64);

      g_mime_multipart_add (mixed, GMIME_OBJECT (alternative));
      g_mime_multipart_add (mixed, GMIME_OBJECT (attachment));
      g_mime_message_set_mime_part (mime, GMIME_OBJECT (mixed));
    }
  else
    g_mime_message_set_mime_part (mime, GMIME_OBJECT (alternative));

  root = g_mime_message_get_mime_part (mime);
  g_assert (root != NULL);

  options = g_mime_format_options_new ();
  g_mime_format_options_set_newline_format (options, GMIME_NEWLINE_FORMAT_DOS);
  text = g_mime_object_to_string (GMIME_OBJECT (mime), options);
  return g_bytes_new_take (text, strlen (text));
}

/* Gmail's `raw`: base64url of the message (g_base64_encode writes + and /). */
char *
okno_email_message_to_raw (GBytes *mime)
{
  gsize size;
  const guchar *data = g_bytes_get_data (mime, &size);
  char *raw = g_base64_encode (data, size);

  for (char *p = raw; *p; p++)
    {
      if (*p == '+')
        *p = '-';
      else if (*p == '/')
        *p = '_';
    }
  return raw;
}

static struct icaltimetype
to_ical_utc (GDateTime *time)
{
  return icaltime_from_timet_with_zone (g_date_time_to_unix (time), FALSE,
                                        icaltimezone_get_utc_timezone ());
}

/**
 * okno_email_invitation_for:
 *
 * Returns: an iTIP REQUEST for @booking from Olga (ORGANIZER) to the client
 *   (ATTENDEE, RSVP): the same UID as the page's .ics, SEQUENCE 0, or 1 and
 *   STATUS:CANCELLED with METHOD:CANCEL for a cancelled booking
 */
char *
okno_email_invitation_for (OknoBooking *booking,
                           const char  *summary,
                           const char  *description,
                           const char  *organizer_name,
                           const char  *organizer_address,
                           const char  *attendee_address)
{
  icalcomponent *calendar = icalcomponent_new_vcalendar ();
  icalcomponent *event = icalcomponent_new_vevent ();
  g_autofree char *uid = g_strdup_printf ("%s@okno", okno_booking_get_id (booking));
  g_autofree char *organizer = g_strconcat ("mailto:", organizer_address, NULL);
  g_autofree char *attendee = g_strconcat ("mailto:", attendee_address, NULL);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  gboolean cancelled = !okno_booking_is_active (booking);
  icalproperty *property;
  char *text;
  char *result;

  icalcomponent_add_property (calendar, icalproperty_new_version ("2.0"));
  icalcomponent_add_property (calendar, icalproperty_new_prodid ("-//Okno//Okno " PACKAGE_VERSION "//EN"));
  icalcomponent_add_property (calendar, icalproperty_new_method (cancelled ? ICAL_METHOD_CANCEL
                                                                          : ICAL_METHOD_REQUEST));

  icalcomponent_add_property (event, icalproperty_new_uid (uid));
  icalcomponent_add_property (event, icalproperty_new_dtstamp (to_ical_utc (now)));
  icalcomponent_add_property (event, icalproperty_new_dtstart (to_ical_utc (okno_booking_get_start (booking))));
  icalcomponent_add_property (event, icalproperty_new_dtend (to_ical_utc (okno_booking_get_end (booking))));
  icalcomponent_add_property (event, icalproperty_new_summary (summary));
  if (description != NULL)
    icalcomponent_add_property (event, icalproperty_new_description (description));
  icalcomponent_add_property (event, icalproperty_new_sequence (cancelled ? 1 : 0));
  icalcomponent_add_property (event, icalproperty_new_status (cancelled ? ICAL_STATUS_CANCELLED
                                                                         : ICAL_STATUS_CONFIRMED));

  property = icalproperty_new_organizer (organizer);
  if (organizer_name != NULL)
    icalproperty_add_parameter (property, icalparameter_new_cn (organizer_name));
  icalcomponent_add_property (event, property);

  property = icalproperty_new_attendee (attendee);
  icalproperty_add_parameter (property, icalparameter_new_role (ICAL_ROLE_REQPARTICIPANT));
  icalproperty_add_parameter (property, icalparameter_new_partstat (ICAL_PARTSTAT_NEEDSACTION));
  icalproperty_add_parameter (property, icalparameter_new_rsvp (ICAL_RSVP_TRUE));
  icalcomponent_add_property (event, property);

  icalcomponent_add_component (calendar, event);

  text = icalcomponent_as_ical_string_r (calendar);
  result = g_strdup (text);
  free (text);
  icalcomponent_free (calendar);

  return result;
}
