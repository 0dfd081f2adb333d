/* okno-email-sink.c
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "OknoEmailSink"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "okno-email-message.h"
#include "okno-email-sink.h"
#include "okno-move-text.h"
#include "okno-reminder-text.h"
#include "okno-notify-error.h"
#include "okno-time.h"
#include "okno-waitlist.h"

/* The outbox's email sink, for two kinds (two recipients):
 *   "email"         Olga, at the connected Google account's address, in her
 *                   language: each booking and each client's cancellation
 *   "client-email"  the client, when they left an email, in the language
 *                   they booked in: a confirmation (their time and Olga's,
 *                   the payment link, the cancel link, the booking's .ics
 *                   attached) and a cancellation with a link back to the page
 * Each item becomes one message (okno-email-message.c: GMime, multipart/
 * alternative text + HTML, RFC 2047 headers) sent through Gmail
 * (okno-gmail.c). Its Message-ID is derived from the item's key and the
 * key rides in an X-Okno-Key header, so a repeat after a crash between
 * "sent" and "marked sent" is recognisable as the same message.
 *
 * What is written for which event and recipient is the table templates[]
 * below: a new event ("rescheduled") or message (a waitlist offer) is one
 * more row and its fill function. Strings marked W_() are translated per
 * message into the recipient's language (the public page's catalogs,
 * through the translate function the profile sets). */

#define W_(s) (s)

typedef enum
{
  TO_OWNER,
  TO_CLIENT,
} Recipient;

struct _OknoEmailSink
{
  GObject                 parent_instance;

  OknoGmail              *gmail;
  OknoSchedule           *schedule;
  GSettings              *settings;
  char                   *owner_address;
  char                   *owner_language;
  OknoEmailTranslateFunc  translate;
  OknoEmailPageUrlFunc    page_url_func;
  gpointer                page_url_data;
};

/* One message being written. */
typedef struct
{
  OknoEmailSink *self;
  const char    *language;
  JsonObject    *payload;
  OknoBooking   *booking;
  char          *subject;
  GString       *text;
  GString       *html;
  char          *ics;
} Compose;

typedef struct
{
  const char *event;
  Recipient   to;
  void      (*fill) (Compose *c);
} Template;

static void sink_iface_init (OknoNotifySinkInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (OknoEmailSink, okno_email_sink, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (OKNO_TYPE_NOTIFY_SINK, sink_iface_init))

static void fill_owner_booked     (Compose *c);
static void fill_owner_cancelled  (Compose *c);
static void fill_client_booked    (Compose *c);
static void fill_client_cancelled (Compose *c);
static void fill_owner_rescheduled  (Compose *c);
static void fill_client_rescheduled (Compose *c);
static void fill_client_reminder    (Compose *c);
static void fill_client_waitlist_offer (Compose *c);

static const Template templates[] = {
  { "booked",      TO_OWNER,  fill_owner_booked },
  { "cancelled",   TO_OWNER,  fill_owner_cancelled },
  { "rescheduled", TO_OWNER,  fill_owner_rescheduled },
  { "booked",      TO_CLIENT, fill_client_booked },
  { "cancelled",   TO_CLIENT, fill_client_cancelled },
  { "rescheduled", TO_CLIENT, fill_client_rescheduled },
  { "reminder",    TO_CLIENT, fill_client_reminder },     /* okno-reminder-text.c */
  { "waitlist-offer", TO_CLIENT, fill_client_waitlist_offer }, /* okno-waitlist-text.c */
};

static const char *
tr (Compose    *c,
    const char *msgid)
{
  return c->self->translate ? c->self->translate (c->language, msgid) : msgid;
}

/* @format with each {name} replaced by the value after it (NULL ends). */
static char *
fill_in (const char *format,
         ...)
{
  GString *out = g_string_new (format);
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

  return g_string_free (out, FALSE);
}

static char *
escape_html (const char *text)
{
  GString *out = g_string_new (NULL);

  for (const char *p = text; p && *p; p++)
    {
      switch (*p)
        {
        case '&': g_string_append (out, "&amp;"); break;
        case '<': g_string_append (out, "&lt;"); break;
        case '>': g_string_append (out, "&gt;"); break;
        case '"': g_string_append (out, "&quot;"); break;
        case '\'': g_string_append (out, "&#39;"); break;
        default: g_string_append_c (out, *p);
        }
    }
  return g_string_free (out, FALSE);
}

static void
add_paragraph (Compose    *c,
               const char *text)
{
  g_autofree char *escaped = escape_html (text);

  g_string_append_printf (c->text, "%s\n\n", text);
  g_string_append_printf (c->html, "<p>%s</p>\n", escaped);
}

/* A "label: value" line; @href makes the value a link in the HTML part
 * (and follows it in the text part when it differs from the value). */
static void
add_row (Compose    *c,
         const char *label,
         const char *value,
         const char *href)
{
  g_autofree char *l = NULL;
  g_autofree char *v = NULL;

  if (value == NULL || value[0] == '\0')
    return;
  l = escape_html (label);
  v = escape_html (value);
  if (href != NULL && g_strcmp0 (href, value) != 0)
    g_string_append_printf (c->text, "%s: %s <%s>\n", label, value, href);
  else
    g_string_append_printf (c->text, "%s: %s\n", label, value);
  if (href != NULL)
    {
      g_autofree char *h = escape_html (href);
      g_string_append_printf (c->html, "<p><b>%s:</b> <a href=\"%s\">%s</a></p>\n", l, h, v);
    }
  else
    g_string_append_printf (c->html, "<p><b>%s:</b> %s</p>\n", l, v);
}

static const char *
field (Compose    *c,
       const char *name)
{
  const char *value = okno_booking_get_field (c->booking, name);

  return value != NULL && value[0] != '\0' ? value : NULL;
}

/* The session's start in @zone, as "dd.mm.yyyy, HH:MM" (ru) or
 * "yyyy-mm-dd HH:MM" (en); numbers only, so no locale's month names
 * creep into another language's message. */
static char *
format_when (Compose   *c,
             GTimeZone *zone)
{
  g_autoptr(GDateTime) start = g_date_time_to_timezone (okno_booking_get_start (c->booking), zone);
  g_autoptr(GDateTime) end = g_date_time_to_timezone (okno_booking_get_end (c->booking), zone);
  g_autofree char *day = g_date_time_format (start, g_str_equal (c->language, "ru") ? "%d.%m.%Y" : "%Y-%m-%d");
  g_autofree char *from = g_date_time_format (start, "%H:%M");
  g_autofree char *to = g_date_time_format (end, "%H:%M");

  return g_strdup_printf ("%s, %s–%s", day, from, to);
}

static GTimeZone *
owner_zone (Compose *c)
{
  return okno_schedule_get_time_zone (c->self->schedule);
}

/* The client's zone (the booking's timeZone), else Olga's. */
static GTimeZone *
dup_client_zone (Compose *c)
{
  const char *name = field (c, "timeZone");
  GTimeZone *zone = name ? okno_time_zone_new (name) : NULL;

  return zone ? zone : g_time_zone_ref (owner_zone (c));
}

static const char *
client_zone_name (Compose *c)
{
  const char *name = field (c, "timeZone");

  return name ? name : okno_schedule_get_time_zone_name (c->self->schedule);
}

static char *
dup_owner_name (Compose *c)
{
  g_autofree char *name = g_settings_get_string (c->self->settings, "owner-name");

  return name[0] != '\0' ? g_steal_pointer (&name) : g_strdup (tr (c, W_("your practitioner")));
}

static char *
dup_page_url (OknoEmailSink *self)
{
  g_autofree char *url = g_settings_get_string (self->settings, "public-url");

  if (url[0] == '\0' && self->page_url_func != NULL)
    {
      g_free (url);
      url = self->page_url_func (self->page_url_data);
    }
  if (url == NULL || url[0] == '\0')
    return NULL;
  while (g_str_has_suffix (url, "/"))
    url[strlen (url) - 1] = '\0';
  return g_steal_pointer (&url);
}

/* payment-url with {booking}, {date} (Olga's day) and {name} filled in,
 * URL-encoded, as the confirmation page does; NULL unless http(s). */
static char *
dup_payment_url (Compose *c)
{
  g_autofree char *template = g_settings_get_string (c->self->settings, "payment-url");
  g_autoptr(GDateTime) local = NULL;
  g_autofree char *date = NULL;
  g_autofree char *id = NULL;
  g_autofree char *name = NULL;

  if (g_ascii_strncasecmp (template, "https://", 8) != 0 && g_ascii_strncasecmp (template, "http://", 7) != 0)
    return NULL;

  local = g_date_time_to_timezone (okno_booking_get_start (c->booking), owner_zone (c));
  date = g_date_time_format (local, "%Y-%m-%d");
  id = g_uri_escape_string (okno_booking_get_id (c->booking), NULL, FALSE);
  name = g_uri_escape_string (field (c, "name") ? field (c, "name") : "", NULL, FALSE);
  return fill_in (template, "booking", id, "date", date, "name", name, NULL);
}

/* Who, when and how to reach them: the rows of Olga's messages. */
static void
add_booking_rows (Compose *c)
{
  g_autofree char *when = format_when (c, owner_zone (c));
  const char *email = field (c, "email");
  const char *phone = field (c, "phone");
  const char *telegram = field (c, "telegram");
  g_autofree char *mailto = NULL;
  g_autofree char *tel = NULL;
  g_autofree char *tme = NULL;

  add_row (c, tr (c, W_("When")), when, NULL);
  add_row (c, tr (c, W_("Session")), field (c, "sessionType"), NULL);
  add_row (c, tr (c, W_("Name")), field (c, "name"), NULL);
  if (email != NULL)
    {
      g_autofree char *escaped = g_uri_escape_string (email, "@", FALSE);
      mailto = g_strconcat ("mailto:", escaped, NULL);
    }
  add_row (c, tr (c, W_("Email")), email, mailto);
  if (phone != NULL)
    {
      GString *digits = g_string_new (NULL);

      for (const char *p = phone; *p; p++)
        if (g_ascii_isdigit (*p) || (*p == '+' && digits->len == 0))
          g_string_append_c (digits, *p);
      tel = g_strconcat ("tel:", digits->str, NULL);
      g_string_free (digits, TRUE);
    }
  add_row (c, tr (c, W_("Phone")), phone, tel);
  if (telegram != NULL)
    {
      g_autofree char *handle = g_uri_escape_string (telegram[0] == '@' ? telegram + 1 : telegram, NULL, FALSE);
      tme = g_strconcat ("https://t.me/", handle, NULL);
    }
  add_row (c, tr (c, W_("Telegram")), telegram, tme);
  add_row (c, tr (c, W_("Note")), field (c, "note"), NULL);
  if (field (c, "timeZone") && g_strcmp0 (field (c, "timeZone"), okno_schedule_get_time_zone_name (c->self->schedule)) != 0)
    add_row (c, tr (c, W_("Client’s time zone")), field (c, "timeZone"), NULL);
}

static void
fill_owner_booked (Compose *c)
{
  g_autofree char *when = format_when (c, owner_zone (c));

  c->subject = fill_in (tr (c, W_("New booking: {name}, {when}")), "name", field (c, "name"), "when", when, NULL);
  add_paragraph (c, tr (c, W_("A client booked a session.")));
  add_booking_rows (c);
}

static void
fill_owner_cancelled (Compose *c)
{
  g_autofree char *when = format_when (c, owner_zone (c));
  gboolean by_owner = json_object_get_boolean_member_with_default (c->payload, "byOwner", FALSE);

  /* By Olga herself: shown by okno_email_sink_compose() only, never sent. */
  c->subject = fill_in (tr (c, W_("Booking cancelled: {name}, {when}")), "name", field (c, "name"), "when", when, NULL);
  add_paragraph (c, by_owner ? tr (c, W_("You cancelled this booking; its time is offered again."))
                             : tr (c, W_("The client cancelled this booking; its time is offered again.")));
  add_booking_rows (c);
}

static void
add_greeting (Compose *c)
{
  g_autofree char *hello = fill_in (tr (c, W_("Hello, {name}!")), "name", field (c, "name"), NULL);

  add_paragraph (c, hello);
}

static void
fill_client_booked (Compose *c)
{
  g_autoptr(GTimeZone) zone = dup_client_zone (c);
  g_autofree char *when = format_when (c, zone);
  g_autofree char *when_owner = format_when (c, owner_zone (c));
  g_autofree char *owner = dup_owner_name (c);
  g_autofree char *intro = fill_in (tr (c, W_("Your session is booked. Practitioner: {owner}.")), "owner", owner, NULL);
  g_autofree char *yours = g_strdup_printf ("%s (%s)", when, client_zone_name (c));
  g_autofree char *theirs = g_strdup_printf ("%s (%s)", when_owner, okno_schedule_get_time_zone_name (c->self->schedule));
  const char *owner_label = tr (c, W_("Practitioner’s time"));
  g_autofree char *page = dup_page_url (c->self);
  g_autofree char *pay = dup_payment_url (c);
  g_autofree char *note = g_settings_get_string (c->self->settings, "payment-note");
  const char *token = json_object_get_string_member_with_default (c->payload, "cancelToken", NULL);

  c->subject = fill_in (tr (c, W_("Booking confirmed: {when}")), "when", when, NULL);
  add_greeting (c);
  add_paragraph (c, intro);
  add_row (c, tr (c, W_("When")), yours, NULL);
  add_row (c, owner_label, theirs, NULL);
  add_row (c, tr (c, W_("Session")), field (c, "sessionType"), NULL);
  if (pay != NULL)
    {
      add_row (c, tr (c, W_("Pay for the session")), pay, pay);
      if (note[0] != '\0')
        add_paragraph (c, note);
    }
  if (page != NULL && token != NULL)
    {
      g_autofree char *escaped = g_uri_escape_string (token, NULL, FALSE);
      g_autofree char *cancel = g_strdup_printf ("%s/booking/%s?token=%s&lang=%s", page,
                                                 okno_booking_get_id (c->booking), escaped, c->language);
      g_autofree char *reschedule = g_strdup_printf ("%s/reschedule?booking=%s&token=%s&lang=%s", page,
                                                     okno_booking_get_id (c->booking), escaped, c->language);

      add_row (c, tr (c, W_("Change of plans? Cancel the booking")), cancel, cancel);
      /* The same page as the confirmation's «Change time» (issue 13.1). */
      add_row (c, tr (c, W_("Another time suits you better? Change the time")), reschedule, reschedule);
    }
  if (c->self->owner_address != NULL)
    {
      g_autofree char *summary = fill_in (tr (c, W_("Session: {owner}")), "owner", owner, NULL);

      c->ics = okno_email_invitation_for (c->booking, summary, field (c, "sessionType"), owner,
                                          c->self->owner_address, field (c, "email"));
      add_paragraph (c, tr (c, W_("The invitation is attached: open it to add the session to your calendar.")));
    }
}

static void
fill_client_cancelled (Compose *c)
{
  g_autoptr(GTimeZone) zone = dup_client_zone (c);
  g_autofree char *when = format_when (c, zone);
  g_autofree char *owner = dup_owner_name (c);
  g_autofree char *page = dup_page_url (c->self);
  g_autofree char *said = NULL;
  gboolean by_owner = json_object_get_boolean_member_with_default (c->payload, "byOwner", FALSE);

  c->subject = fill_in (tr (c, W_("Booking cancelled: {when}")), "when", when, NULL);
  add_greeting (c);
  said = by_owner ? fill_in (tr (c, W_("Your session on {when} ({zone}) is cancelled by the practitioner, {owner}. Sorry for the change of plans.")),
                             "owner", owner, "when", when, "zone", client_zone_name (c), NULL)
                  : fill_in (tr (c, W_("Your session on {when} ({zone}) is cancelled.")),
                             "when", when, "zone", client_zone_name (c), NULL);
  add_paragraph (c, said);
  if (page != NULL)
    {
      g_autofree char *back = g_strdup_printf ("%s/?lang=%s", page, c->language);

      add_row (c, tr (c, W_("To book another time")), back, back);
    }
}

/* «Анна перенесла: вт 17:30 → чт 19:00» (okno-move-text.c, Olga's
 * language), then who and how to reach them. */
static void
fill_owner_rescheduled (Compose *c)
{
  g_autofree char *moved = okno_move_text_new (c->payload, owner_zone (c));
  g_autofree char *when = format_when (c, owner_zone (c));

  c->subject = fill_in (tr (c, W_("Booking moved: {name}, {when}")), "name", field (c, "name"), "when", when, NULL);
  if (moved != NULL)
    add_paragraph (c, moved);
  add_booking_rows (c);
}

static void
fill_client_rescheduled (Compose *c)
{
  g_autoptr(GTimeZone) zone = dup_client_zone (c);
  g_autofree char *when = format_when (c, zone);
  g_autofree char *when_owner = format_when (c, owner_zone (c));
  g_autofree char *yours = g_strdup_printf ("%s (%s)", when, client_zone_name (c));
  g_autofree char *theirs = g_strdup_printf ("%s (%s)", when_owner, okno_schedule_get_time_zone_name (c->self->schedule));

  c->subject = fill_in (tr (c, W_("Your session is moved: {when}")), "when", when, NULL);
  add_greeting (c);
  add_paragraph (c, tr (c, W_("Your session has a new time; the cancel link you were sent still works.")));
  add_row (c, tr (c, W_("When")), yours, NULL);
  add_row (c, tr (c, W_("Practitioner’s time")), theirs, NULL);
  add_row (c, tr (c, W_("Session")), field (c, "sessionType"), NULL);
}

/* The reminder's words are okno-reminder-text.c's (engineer N2's). */
static void
fill_client_reminder (Compose *c)
{
  g_autofree char *owner = g_settings_get_string (c->self->settings, "owner-name");
  g_autoptr(OknoReminderEmail) email = okno_reminder_email_new (c->payload, owner_zone (c),
                                                                owner[0] != '\0' ? owner : NULL,
                                                                c->self->translate);

  if (email == NULL)
    return;
  c->subject = g_strdup (email->subject);
  for (guint i = 0; email->paragraphs[i] != NULL; i++)
    add_paragraph (c, email->paragraphs[i]);
}

/* A time opened for a client on the waitlist (who has no booking: the
 * payload's "waitlist" entry says who, "slot" and "bookUrl" what). The
 * text is the waitlist's own, in the language the client used; the HTML
 * part is that text with the link made a link. */
static void
fill_client_waitlist_offer (Compose *c)
{
  g_autofree char *subject = NULL;
  g_autofree char *text = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *url = NULL;
  g_autofree char *anchor = NULL;
  GString *html;

  if (!okno_waitlist_format_offer (c->payload, owner_zone (c), &subject, &text))
    return;
  c->subject = g_steal_pointer (&subject);
  g_string_append (c->text, text);

  escaped = escape_html (text);
  url = escape_html (json_object_get_string_member_with_default (c->payload, "bookUrl", ""));
  anchor = g_strdup_printf ("<a href=\"%s\">%s</a>", url, url);
  html = g_string_new (escaped);
  if (url[0] != '\0')
    g_string_replace (html, url, anchor, 1);
  g_string_replace (html, "\n\n", "</p>\n<p>", 0);
  g_string_replace (html, "\n", "<br>\n", 0);
  g_string_append_printf (c->html, "<p>%s</p>\n", html->str);
  g_string_free (html, TRUE);
}

static void
compose_clear (Compose *c)
{
  g_clear_object (&c->booking);
  g_clear_pointer (&c->subject, g_free);
  if (c->text)
    g_string_free (c->text, TRUE);
  if (c->html)
    g_string_free (c->html, TRUE);
  g_clear_pointer (&c->ics, g_free);
}

static const char *
client_language (OknoBooking *booking)
{
  const char *language = okno_booking_get_field (booking, "language");

  return g_strcmp0 (language, "en") == 0 ? "en" : "ru";
}

static GBytes *
build (OknoEmailSink  *self,
       Compose        *c,
       const char     *to_name,
       const char     *to_address,
       const char     *key,
       GError        **error)
{
  g_autofree char *from_name = g_settings_get_string (self->settings, "owner-name");
  g_autofree char *html = NULL;
  OknoEmailMessage message = { 0 };

  g_string_append (c->text, "-- \nOkno\n");
  html = g_strdup_printf ("<!DOCTYPE html>\n<html lang=\"%s\"><head><meta charset=\"utf-8\"></head><body>\n%s</body></html>\n",
                          c->language, c->html->str);
  message.from_name = from_name[0] != '\0' ? from_name : "Okno";
  message.from_address = self->owner_address;
  message.to_name = to_name;
  message.to_address = to_address;
  message.subject = c->subject;
  message.text = c->text->str;
  message.html = html;
  message.ics = c->ics;
  message.message_key = key;

  return okno_email_message_build (&message, error);
}

/* A waitlist offer goes to the entry's own address, in its language. */
static GBytes *
compose_waitlist_offer (OknoEmailSink   *self,
                        const Template  *template,
                        const char      *key,
                        JsonObject      *payload,
                        GError         **error)
{
  Compose c = { 0 };
  JsonNode *node = json_object_get_member (payload, "waitlist");
  JsonObject *entry = node && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
  const char *to_address = entry ? json_object_get_string_member_with_default (entry, "email", NULL) : NULL;
  GBytes *mime;

  if (to_address == NULL)
    {
      g_set_error_literal (error, OKNO_NOTIFY_ERROR, OKNO_NOTIFY_ERROR_NOT_CONFIGURED,
                           _("The client left no email address."));
      return NULL;
    }
  c.self = self;
  c.payload = payload;
  c.language = g_strcmp0 (json_object_get_string_member_with_default (entry, "lang", "ru"), "en") == 0 ? "en" : "ru";
  c.text = g_string_new (NULL);
  c.html = g_string_new (NULL);
  template->fill (&c);
  if (c.subject == NULL)
    {
      g_set_error (error, OKNO_NOTIFY_ERROR, OKNO_NOTIFY_ERROR_REJECTED,
                   _("Okno has no email for “%s” yet."), "waitlist-offer");
      compose_clear (&c);
      return NULL;
    }
  mime = build (self, &c, json_object_get_string_member_with_default (entry, "name", NULL), to_address, key, error);
  compose_clear (&c);
  return mime;
}

/**
 * okno_email_sink_compose:
 *
 * Writes the message for an outbox item of @kind ("email" or
 * "client-email"), as it would be sent.
 *
 * Returns: (transfer full): the RFC 5322 message, or %NULL and @error when
 *   it cannot be written (no address, no template for the event)
 */
GBytes *
okno_email_sink_compose (OknoEmailSink  *self,
                         const char     *kind,
                         const char     *key,
                         JsonObject     *payload,
                         GError        **error)
{
  Compose c = { 0 };
  g_autoptr(GError) local_error = NULL;
  const char *event = json_object_get_string_member_with_default (payload, "event", "");
  Recipient to = g_strcmp0 (kind, OKNO_NOTIFY_KIND_CLIENT_EMAIL) == 0 ? TO_CLIENT : TO_OWNER;
  const Template *template = NULL;
  const char *to_address;
  GBytes *mime;

  g_return_val_if_fail (OKNO_IS_EMAIL_SINK (self), NULL);

  for (guint i = 0; i < G_N_ELEMENTS (templates) && template == NULL; i++)
    if (templates[i].to == to && g_str_equal (templates[i].event, event))
      template = &templates[i];
  if (template == NULL)
    {
      g_set_error (error, OKNO_NOTIFY_ERROR, OKNO_NOTIFY_ERROR_REJECTED,
                   _("Okno has no email for “%s” yet."), event);
      return NULL;
    }
  if (g_str_equal (event, "waitlist-offer"))
    return compose_waitlist_offer (self, template, key, payload, error);
  if (!json_object_has_member (payload, "booking") ||
      !JSON_NODE_HOLDS_OBJECT (json_object_get_member (payload, "booking")) ||
      !(c.booking = okno_booking_new_from_json (json_object_get_object_member (payload, "booking"), &local_error)))
    {
      g_set_error (error, OKNO_NOTIFY_ERROR, OKNO_NOTIFY_ERROR_REJECTED,
                   _("The booking in this notification cannot be read: %s"),
                   local_error ? local_error->message : "");
      return NULL;
    }

  to_address = to == TO_CLIENT ? okno_booking_get_field (c.booking, "email") : self->owner_address;
  if (to == TO_CLIENT && to_address == NULL)
    {
      /* An item written for every kind (a move's): no one to write to. */
      compose_clear (&c);
      g_set_error_literal (error, OKNO_NOTIFY_ERROR, OKNO_NOTIFY_ERROR_NOT_CONFIGURED,
                           _("The client left no email address."));
      return NULL;
    }
  if (to_address == NULL)
    {
      g_set_error_literal (error, OKNO_NOTIFY_ERROR, OKNO_NOTIFY_ERROR_NOT_CONFIGURED,
                           to == TO_CLIENT ? _("The client left no email address.")
                                           : _("Okno does not know the Google account’s address: connect Google again."));
      compose_clear (&c);
      return NULL;
    }

  c.self = self;
  c.payload = payload;
  c.language = to == TO_CLIENT ? client_language (c.booking) : self->owner_language;
  c.text = g_string_new (NULL);
  c.html = g_string_new (NULL);
  template->fill (&c);
  if (c.subject == NULL)
    {
      g_set_error (error, OKNO_NOTIFY_ERROR, OKNO_NOTIFY_ERROR_REJECTED,
                   _("Okno has no email for “%s” yet."), event);
      compose_clear (&c);
      return NULL;
    }
  mime = build (self, &c, to == TO_CLIENT ? okno_booking_get_field (c.booking, "name") : NULL,
                to_address, key, error);
  compose_clear (&c);
  return mime;
}

/**
 * okno_email_sink_compose_test:
 *
 * Returns: (transfer full): a test message to Olga, or %NULL and @error
 */
GBytes *
okno_email_sink_compose_test (OknoEmailSink  *self,
                              GError        **error)
{
  Compose c = { 0 };
  g_autofree char *key = NULL;
  GBytes *mime;

  g_return_val_if_fail (OKNO_IS_EMAIL_SINK (self), NULL);

  if (self->owner_address == NULL)
    {
      g_set_error_literal (error, OKNO_NOTIFY_ERROR, OKNO_NOTIFY_ERROR_NOT_CONFIGURED,
                           _("Okno does not know the Google account’s address: connect Google again."));
      return NULL;
    }
  c.self = self;
  c.language = self->owner_language;
  c.text = g_string_new (NULL);
  c.html = g_string_new (NULL);
  c.subject = g_strdup (tr (&c, W_("Okno: test message")));
  add_paragraph (&c, tr (&c, W_("Email notifications work: Okno will write here about each booking and cancellation.")));
  key = g_strdup_printf ("test.%" G_GINT64_FORMAT, g_get_real_time ());
  mime = build (self, &c, NULL, self->owner_address, key, error);
  compose_clear (&c);
  return mime;
}

/**
 * okno_email_sink_compose_news:
 * @title: the headline, as every channel says it (Olga's language)
 * @detail: (nullable): a line on what it means
 * @key: the message's key (its Message-ID derives from it)
 *
 * A message to Olga that is not about a booking: the Cal.com watch's news
 * («Cal.com is back»), which every channel announces.
 *
 * Returns: (transfer full): the message, or %NULL and @error
 */
GBytes *
okno_email_sink_compose_news (OknoEmailSink  *self,
                              const char     *title,
                              const char     *detail,
                              const char     *key,
                              GError        **error)
{
  Compose c = { 0 };
  GBytes *mime;

  g_return_val_if_fail (OKNO_IS_EMAIL_SINK (self), NULL);
  g_return_val_if_fail (title != NULL, NULL);

  if (self->owner_address == NULL)
    {
      g_set_error_literal (error, OKNO_NOTIFY_ERROR, OKNO_NOTIFY_ERROR_NOT_CONFIGURED,
                           _("Okno does not know the Google account’s address: connect Google again."));
      return NULL;
    }
  c.self = self;
  c.language = self->owner_language;
  c.text = g_string_new (NULL);
  c.html = g_string_new (NULL);
  c.subject = g_strdup (title);
  if (detail != NULL && detail[0] != '\0')
    add_paragraph (&c, detail);
  mime = build (self, &c, NULL, self->owner_address, key, error);
  compose_clear (&c);
  return mime;
}

static void
sent_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  GTimeSpan *after = g_new0 (GTimeSpan, 1);
  guint retry_after = 0;

  id = okno_gmail_send_finish (OKNO_GMAIL (object), result, &retry_after, &error);
  g_task_set_task_data (task, after, g_free);
  if (id != NULL)
    {
      g_debug ("Sent %s as Gmail message %s", (const char *) g_object_get_data (G_OBJECT (task), "key"), id);
      g_task_return_int (task, OKNO_NOTIFY_SINK_OK);
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_task_return_error (task, g_steal_pointer (&error));
  else if (okno_notify_error_is_temporary (error))
    {
      g_debug ("Gmail, again later: %s", error->message);
      *after = (GTimeSpan) retry_after * G_USEC_PER_SEC;
      g_task_return_int (task, OKNO_NOTIFY_SINK_RETRY);
    }
  else
    g_task_return_error (task, g_steal_pointer (&error));
}

static gboolean
client_has_email (JsonObject *payload)
{
  JsonNode *node = json_object_get_member (payload, "booking");
  const char *email;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return TRUE;   /* let compose say what is wrong */
  email = json_object_get_string_member_with_default (json_node_get_object (node), "email", NULL);
  return email != NULL && email[0] != '\0';
}

static void
okno_email_sink_deliver_async (OknoNotifySink      *sink,
                               const char          *kind,
                               const char          *key,
                               JsonObject          *payload,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  OknoEmailSink *self = OKNO_EMAIL_SINK (sink);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) mime = NULL;

  g_task_set_source_tag (task, okno_email_sink_deliver_async);
  g_object_set_data_full (G_OBJECT (task), "key", g_strdup (key), g_free);
  g_task_set_task_data (task, g_new0 (GTimeSpan, 1), g_free);

  /* Olga's own cancellations and moves are not news to her (as on
   * Telegram); a client who left no email gets none. */
  if ((g_strcmp0 (kind, OKNO_NOTIFY_KIND_EMAIL) == 0 &&
       json_object_get_boolean_member_with_default (payload, "byOwner", FALSE) &&
       (g_strcmp0 (json_object_get_string_member_with_default (payload, "event", ""), "cancelled") == 0 ||
        g_strcmp0 (json_object_get_string_member_with_default (payload, "event", ""), "rescheduled") == 0)) ||
      (g_strcmp0 (kind, OKNO_NOTIFY_KIND_CLIENT_EMAIL) == 0 && !client_has_email (payload)))
    {
      g_task_return_int (task, OKNO_NOTIFY_SINK_OK);
      return;
    }
  if (!(mime = okno_email_sink_compose (self, kind, key, payload, &error)))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  okno_gmail_send_async (self->gmail, mime, cancellable, sent_cb, g_steal_pointer (&task));
}

static OknoNotifySinkResult
okno_email_sink_deliver_finish (OknoNotifySink  *sink,
                                GAsyncResult    *result,
                                GTimeSpan       *retry_after,
                                GError         **error)
{
  GTimeSpan *after = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) local_error = NULL;
  gssize answer;

  if (retry_after != NULL)
    *retry_after = after ? *after : 0;
  answer = g_task_propagate_int (G_TASK (result), &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return OKNO_NOTIFY_SINK_PERMANENT;
    }
  return (OknoNotifySinkResult) answer;
}

static void
sink_iface_init (OknoNotifySinkInterface *iface)
{
  iface->deliver_async = okno_email_sink_deliver_async;
  iface->deliver_finish = okno_email_sink_deliver_finish;
}

static void
okno_email_sink_dispose (GObject *object)
{
  OknoEmailSink *self = (OknoEmailSink *) object;

  g_clear_object (&self->gmail);
  g_clear_object (&self->schedule);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (okno_email_sink_parent_class)->dispose (object);
}

static void
okno_email_sink_finalize (GObject *object)
{
  OknoEmailSink *self = (OknoEmailSink *) object;

  g_clear_pointer (&self->owner_address, g_free);
  g_clear_pointer (&self->owner_language, g_free);

  G_OBJECT_CLASS (okno_email_sink_parent_class)->finalize (object);
}

static void
okno_email_sink_class_init (OknoEmailSinkClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = okno_email_sink_dispose;
  object_class->finalize = okno_email_sink_finalize;
}

static void
okno_email_sink_init (OknoEmailSink *self)
{
  self->owner_language = g_strdup ("ru");
}

OknoEmailSink *
okno_email_sink_new (OknoGmail    *gmail,
                     OknoSchedule *schedule,
                     GSettings    *settings)
{
  OknoEmailSink *self;

  g_return_val_if_fail (OKNO_IS_GMAIL (gmail), NULL);
  g_return_val_if_fail (OKNO_IS_SCHEDULE (schedule), NULL);
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  self = g_object_new (OKNO_TYPE_EMAIL_SINK, NULL);
  self->gmail = g_object_ref (gmail);
  self->schedule = g_object_ref (schedule);
  self->settings = g_object_ref (settings);
  return self;
}

/**
 * okno_email_sink_set_owner:
 * @address: (nullable): Olga's address (the Google account's)
 * @language: "ru" or "en": the language of her messages
 */
void
okno_email_sink_set_owner (OknoEmailSink *self,
                           const char    *address,
                           const char    *language)
{
  g_return_if_fail (OKNO_IS_EMAIL_SINK (self));

  g_free (self->owner_address);
  self->owner_address = address && address[0] ? g_strdup (address) : NULL;
  g_free (self->owner_language);
  self->owner_language = g_strdup (g_strcmp0 (language, "en") == 0 ? "en" : "ru");
}

void
okno_email_sink_set_translate (OknoEmailSink          *self,
                               OknoEmailTranslateFunc  translate)
{
  g_return_if_fail (OKNO_IS_EMAIL_SINK (self));
  self->translate = translate;
}

/* Where the links in clients' emails point when the “public-url” setting
 * is empty. */
void
okno_email_sink_set_page_url_func (OknoEmailSink        *self,
                                   OknoEmailPageUrlFunc  func,
                                   gpointer              user_data)
{
  g_return_if_fail (OKNO_IS_EMAIL_SINK (self));
  self->page_url_func = func;
  self->page_url_data = user_data;
}

OknoGmail *
okno_email_sink_get_gmail (OknoEmailSink *self)
{
  g_return_val_if_fail (OKNO_IS_EMAIL_SINK (self), NULL);
  return self->gmail;
}
