/* test-email-message.c: the email's MIME (GMime) and its invitation
 * (libical), parsed back the way a mail client would.
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gmime/gmime.h>
#include <libical/ical.h>
#include <string.h>

#include "okno-email-message.h"
#include "okno-notify-error.h"
#include "okno-test-utils.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GMimeStream, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GMimeParser, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GMimeMessage, g_object_unref)

static OknoBooking *
make_booking (void)
{
  g_autoptr(GDateTime) start = okno_test_time ("2026-12-09T17:30:00+03:00");
  g_autoptr(GDateTime) end = g_date_time_add_minutes (start, 40);
  OknoBooking *booking = okno_booking_new ("b42", "s1", start, end);

  okno_booking_set_field (booking, "name", "<b>Анна</b> & <script>");
  okno_booking_set_field (booking, "email", "anna@example.org");
  return booking;
}

static GBytes *
build (OknoBooking *booking,
       char       **ics_out)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *ics = okno_email_invitation_for (booking, "Включить в дело (40 мин)", NULL,
                                                    "Ольга Розет", "olga@example.org", "anna@example.org");
  OknoEmailMessage message = {
    .from_name = "Ольга Розет",
    .from_address = "olga@example.org",
    .to_name = "<b>Анна</b> & <script>",
    .to_address = "anna@example.org",
    .subject = "Запись подтверждена: среда, 9 декабря, 17:30 — Включить в дело (40 мин), Ольга Розет",
    .text = "Здравствуйте, Анна!\nВы записаны на среду, 9 декабря, 17:30.\n",
    .html = "<p>Здравствуйте, &lt;b&gt;Анна&lt;/b&gt;!</p>",
    .ics = ics,
    .message_key = "notify:b42:booked:email:client",
  };
  GBytes *mime = okno_email_message_build (&message, &error);

  g_assert_no_error (error);
  g_assert_nonnull (mime);
  if (ics_out)
    *ics_out = g_steal_pointer (&ics);
  return mime;
}

static void
test_headers_are_encoded (void)
{
  g_autoptr(OknoBooking) booking = make_booking ();
  g_autoptr(GBytes) mime = build (booking, NULL);
  g_autofree char *text = g_strndup (g_bytes_get_data (mime, NULL), g_bytes_get_size (mime));
  g_auto(GStrv) lines = NULL;
  g_autofree char *headers = NULL;
  const char *end = strstr (text, "\r\n\r\n");

  g_assert_nonnull (end);
  headers = g_strndup (text, end - text);

  /* Every line ends in CRLF. */
  for (const char *p = text; (p = strchr (p, '\n')); p++)
    g_assert_true (p > text && p[-1] == '\r');

  /* Headers are ASCII, folded, with encoded-words of at most 75 characters. */
  lines = g_strsplit (headers, "\r\n", -1);
  for (guint i = 0; lines[i]; i++)
    {
      const char *word = lines[i];

      for (const char *p = lines[i]; *p; p++)
        g_assert_cmpint ((guchar) *p, <, 0x80);
      g_assert_cmpuint (strlen (lines[i]), <=, 998);
      while ((word = strstr (word, "=?")))
        {
          const char *close = strstr (word + 2, "?=");
          g_assert_nonnull (close);
          g_assert_cmpint (close + 2 - word, <=, 75);
          g_assert_true (g_ascii_strncasecmp (word, "=?utf-8?", 8) == 0);
          word = close + 2;
        }
    }
  g_test_message ("%s", headers);
  g_assert_nonnull (strstr (headers, "\r\nSubject: =?"));
  g_assert_nonnull (strstr (headers, "<olga@example.org>"));
  g_assert_nonnull (g_strstr_len (headers, -1, "essage-") );
}

static void
test_mime_parses (void)
{
  g_autoptr(OknoBooking) booking = make_booking ();
  g_autofree char *ics = NULL;
  g_autoptr(GBytes) mime = build (booking, &ics);
  g_autoptr(GMimeStream) stream = g_mime_stream_mem_new_with_buffer (g_bytes_get_data (mime, NULL),
                                                                     g_bytes_get_size (mime));
  g_autoptr(GMimeParser) parser = g_mime_parser_new_with_stream (stream);
  g_autoptr(GMimeMessage) message = g_mime_parser_construct_message (parser, NULL);
  g_autofree char *subject_raw = NULL;
  InternetAddressList *from;
  GMimeObject *root, *alternative, *attachment, *calendar;
  GMimeContentType *type;
  g_autoptr(GMimeStream) out = NULL;
  GMimeDataWrapper *content;
  GByteArray *bytes;
  icalcomponent *parsed;
  icalcomponent *event;
  icalproperty *attendee;
  g_autofree char *attached = NULL;

  g_assert_nonnull (message);
  g_assert_cmpstr (g_mime_message_get_subject (message), ==,
                   "Запись подтверждена: среда, 9 декабря, 17:30 — Включить в дело (40 мин), Ольга Розет");
  from = g_mime_message_get_from (message);
  g_assert_cmpint (internet_address_list_length (from), ==, 1);
  g_assert_cmpstr (internet_address_get_name (internet_address_list_get_address (from, 0)), ==, "Ольга Розет");
  g_assert_cmpstr (internet_address_get_name (internet_address_list_get_address (g_mime_message_get_to (message), 0)),
                   ==, "<b>Анна</b> & <script>");

  root = g_mime_message_get_mime_part (message);
  g_assert_true (g_mime_content_type_is_type (g_mime_object_get_content_type (root), "multipart", "mixed"));
  g_assert_cmpint (g_mime_multipart_get_count (GMIME_MULTIPART (root)), ==, 2);
  alternative = g_mime_multipart_get_part (GMIME_MULTIPART (root), 0);
  attachment = g_mime_multipart_get_part (GMIME_MULTIPART (root), 1);
  g_assert_true (g_mime_content_type_is_type (g_mime_object_get_content_type (alternative), "multipart", "alternative"));
  g_assert_cmpint (g_mime_multipart_get_count (GMIME_MULTIPART (alternative)), ==, 3);
  g_assert_true (g_mime_content_type_is_type (g_mime_object_get_content_type (g_mime_multipart_get_part (GMIME_MULTIPART (alternative), 0)), "text", "plain"));
  g_assert_true (g_mime_content_type_is_type (g_mime_object_get_content_type (g_mime_multipart_get_part (GMIME_MULTIPART (alternative), 1)), "text", "html"));
  calendar = g_mime_multipart_get_part (GMIME_MULTIPART (alternative), 2);
  type = g_mime_object_get_content_type (calendar);
  g_assert_true (g_mime_content_type_is_type (type, "text", "calendar"));
  g_assert_cmpstr (g_mime_content_type_get_parameter (type, "method"), ==, "REQUEST");
  g_assert_cmpint (g_ascii_strcasecmp (g_mime_content_type_get_parameter (type, "charset"), "utf-8"), ==, 0);
  {
    g_autofree char *plain = g_mime_text_part_get_text (GMIME_TEXT_PART (g_mime_multipart_get_part (GMIME_MULTIPART (alternative), 0)));
    g_assert_cmpstr (plain, ==, "Здравствуйте, Анна!\nВы записаны на среду, 9 декабря, 17:30.\n");
  }

  g_assert_true (g_mime_content_type_is_type (g_mime_object_get_content_type (attachment), "application", "ics"));
  g_assert_true (g_mime_part_is_attachment (GMIME_PART (attachment)));
  g_assert_cmpstr (g_mime_part_get_filename (GMIME_PART (attachment)), ==, "invite.ics");

  /* The attachment decodes to the invitation, and libical reads it. */
  out = g_mime_stream_mem_new ();
  content = g_mime_part_get_content (GMIME_PART (attachment));
  g_mime_data_wrapper_write_to_stream (content, out);
  bytes = g_mime_stream_mem_get_byte_array (GMIME_STREAM_MEM (out));
  attached = g_strndup ((const char *) bytes->data, bytes->len);
  g_assert_cmpstr (attached, ==, ics);

  parsed = icalparser_parse_string (attached);
  g_assert_nonnull (parsed);
  g_assert_cmpint (icalcomponent_get_method (parsed), ==, ICAL_METHOD_REQUEST);
  event = icalcomponent_get_first_component (parsed, ICAL_VEVENT_COMPONENT);
  g_assert_nonnull (event);
  g_assert_cmpstr (icalcomponent_get_uid (event), ==, "b42@okno");
  g_assert_cmpstr (icalcomponent_get_summary (event), ==, "Включить в дело (40 мин)");
  g_assert_nonnull (icalcomponent_get_first_property (event, ICAL_DTSTAMP_PROPERTY));
  g_assert_nonnull (icalcomponent_get_first_property (event, ICAL_SEQUENCE_PROPERTY));
  g_assert_cmpstr (icalproperty_get_organizer (icalcomponent_get_first_property (event, ICAL_ORGANIZER_PROPERTY)),
                   ==, "mailto:olga@example.org");
  attendee = icalcomponent_get_first_property (event, ICAL_ATTENDEE_PROPERTY);
  g_assert_cmpstr (icalproperty_get_attendee (attendee), ==, "mailto:anna@example.org");
  g_assert_cmpint (icalparameter_get_rsvp (icalproperty_get_first_parameter (attendee, ICAL_RSVP_PARAMETER)), ==, ICAL_RSVP_TRUE);
  g_assert_cmpint (icaltime_as_timet (icalcomponent_get_dtstart (event)), ==, 1796826600);  /* 14:30Z */
  icalcomponent_free (parsed);
}

static void
test_raw_is_base64url (void)
{
  g_autoptr(OknoBooking) booking = make_booking ();
  g_autoptr(GBytes) mime = build (booking, NULL);
  g_autofree char *raw = okno_email_message_to_raw (mime);
  g_autofree char *standard = g_strdup (raw);
  g_autofree guchar *decoded = NULL;
  gsize length;

  g_assert_null (strpbrk (raw, "+/"));
  for (char *p = standard; *p; p++)
    *p = *p == '-' ? '+' : *p == '_' ? '/' : *p;
  decoded = g_base64_decode (standard, &length);
  g_assert_cmpmem (decoded, length, g_bytes_get_data (mime, NULL), g_bytes_get_size (mime));
}

/* A header injection through the address is refused, nothing is built. */
static void
test_bad_recipient (void)
{
  g_autoptr(GError) error = NULL;
  OknoEmailMessage message = {
    .from_name = "Ольга", .from_address = "olga@example.org",
    .to_address = "anna@example.org\r\nBcc: all@example.org",
    .subject = "x", .text = "x", .html = "x", .message_key = "k",
  };

  g_assert_null (okno_email_message_build (&message, &error));
  g_assert_error (error, OKNO_NOTIFY_ERROR, OKNO_NOTIFY_ERROR_REJECTED);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_mime_init ();

  g_test_add_func ("/okno/email-message/headers-are-encoded", test_headers_are_encoded);
  g_test_add_func ("/okno/email-message/mime-parses", test_mime_parses);
  g_test_add_func ("/okno/email-message/raw-is-base64url", test_raw_is_base64url);
  g_test_add_func ("/okno/email-message/bad-recipient", test_bad_recipient);

  return g_test_run ();
}
