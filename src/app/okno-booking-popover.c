/* okno-booking-popover.c
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "OknoBookingPopover"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <string.h>

#include "okno-booking-popover.h"
#include "okno-notify-sink.h"
#include "okno-event-tile.h"
#include "okno-time.h"

/* A booked session's details for Olga: who, how to reach them (as links),
 * their note, its history (booked, moved from → to, with times), and a way
 * to cancel. */
struct _OknoBookingPopover
{
  GtkPopover          parent_instance;

  OknoBookingService *service;
  OknoBooking        *booking;
};

G_DEFINE_FINAL_TYPE (OknoBookingPopover, okno_booking_popover, GTK_TYPE_POPOVER)

static GtkWidget *
add_label (GtkBox     *box,
           const char *text,
           const char *css_class)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 40);
  if (css_class)
    gtk_widget_add_css_class (label, css_class);
  gtk_box_append (box, label);
  return label;
}

/* A link as a label, so that it lines up with the text around it. */
static void
add_link (GtkBox     *box,
          const char *uri,
          const char *text)
{
  g_autofree char *markup = g_markup_printf_escaped ("<a href=\"%s\">%s</a>", uri, text);
  GtkWidget *link = gtk_label_new (NULL);

  gtk_label_set_markup (GTK_LABEL (link), markup);
  gtk_label_set_xalign (GTK_LABEL (link), 0);
  gtk_widget_set_halign (link, GTK_ALIGN_START);
  gtk_box_append (box, link);
}

/**
 * okno_format_phone:
 * @phone: a phone number as the client typed it
 * @digits: (out) (optional): the number for a tel: link, "+79123456789"
 *
 * Returns: (transfer full): the number for reading: Russian and Kazakh
 *   numbers as «+7 912 345-67-89», others as typed
 */
char *
okno_format_phone (const char  *phone,
                   char       **digits)
{
  g_autoptr(GString) plain = g_string_new (NULL);
  GString *out;
  const char *d;
  gsize n;

  for (const char *r = phone; *r; r++)
    if (g_ascii_isdigit (*r) || (*r == '+' && plain->len == 0))
      g_string_append_c (plain, *r);
  if (plain->len > 0 && plain->str[0] == '8' && plain->len == 11)
    {
      /* 8 912 … is the domestic form of +7 912 … */
      g_string_erase (plain, 0, 1);
      g_string_prepend (plain, "+7");
    }
  if (digits != NULL)
    *digits = g_strdup (plain->str);

  d = plain->str[0] == '+' ? plain->str + 1 : plain->str;
  n = strlen (d);
  if (plain->str[0] == '+' && d[0] == '7' && n == 11)
    return g_strdup_printf ("+7 %.3s %.3s-%.2s-%.2s", d + 1, d + 4, d + 7, d + 9);

  /* Elsewhere the groups differ by country: as typed, blanks tidied. */
  {
    g_auto(GStrv) words = g_strsplit_set (phone, " \t", -1);
    out = g_string_new (NULL);
    for (guint i = 0; words[i] != NULL; i++)
      if (words[i][0] != '\0')
        g_string_append_printf (out, out->len ? " %s" : "%s", words[i]);
  }
  return g_string_free (out, FALSE);
}

/* «Tue 17:30» of a place {"start"} in the history, in Olga's zone. */
static char *
format_place (JsonObject *entry,
              const char *member,
              GTimeZone  *zone)
{
  JsonObject *place = json_object_has_member (entry, member) &&
                      JSON_NODE_HOLDS_OBJECT (json_object_get_member (entry, member))
                        ? json_object_get_object_member (entry, member) : NULL;
  g_autoptr(GDateTime) start = okno_time_parse_rfc3339 (
    place ? json_object_get_string_member_with_default (place, "start", NULL) : NULL);
  g_autoptr(GDateTime) local = NULL;

  if (start == NULL)
    return g_strdup ("?");
  local = g_date_time_to_timezone (start, zone);
  /* Translators: when a booked session starts, in a notification; strftime format («ср 17:30») */
  return okno_mid_sentence (g_date_time_format (local, _("%a %H:%M")));
}

/* What happened to the booking, oldest first: «Booked on 3 December at
 * 10:15», «Moved on 4 December at 09:00: Tue 17:30 → Thu 19:00». */
static void
add_history (GtkBox      *box,
             OknoBooking *booking,
             GTimeZone   *zone)
{
  g_autoptr(JsonArray) history = okno_booking_dup_history (booking);
  guint n = json_array_get_length (history);

  for (guint i = 0; i < n; i++)
    {
      JsonObject *entry = json_array_get_object_element (history, i);
      const char *event = json_object_get_string_member_with_default (entry, "event", "");
      g_autoptr(GDateTime) at = okno_time_parse_rfc3339 (json_object_get_string_member_with_default (entry, "at", NULL));
      g_autoptr(GDateTime) local = NULL;
      g_autofree char *text = NULL;
      GtkWidget *label;

      if (at == NULL)
        continue;
      local = g_date_time_to_timezone (at, zone);
      if (g_str_equal (event, "booked"))
        /* Translators: when the client booked, strftime format */
        text = g_date_time_format (local, _("Booked on %-d %B at %H:%M"));
      else if (g_str_equal (event, "moved"))
        {
          /* Translators: when the client moved the booking, strftime format */
          g_autofree char *when = g_date_time_format (local, _("Moved on %-d %B at %H:%M"));
          g_autofree char *from = format_place (entry, "from", zone);
          g_autofree char *to = format_place (entry, "to", zone);

          /* Translators: «Перенесена 4 декабря в 09:00: вт 17:30 → чт 19:00» */
          text = g_strdup_printf (_("%s: %s → %s"), when, from, to);
        }
      else if (g_str_equal (event, "cancelled"))
        /* Translators: when the booking was cancelled, strftime format */
        text = g_date_time_format (local, _("Cancelled on %-d %B at %H:%M"));
      else
        continue;

      label = add_label (box, text, "dim-label");
      gtk_widget_add_css_class (label, "history-entry");
      if (i == 0)
        gtk_widget_set_margin_top (label, 6);
    }
}

static void
cancelled_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GtkWindow) window = user_data;
  g_autoptr(OknoBooking) booking = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *dialog;

  if ((booking = okno_booking_service_cancel_finish (OKNO_BOOKING_SERVICE (object), result, &error)))
    return;

  /* The booking stands: Olga must know, not only the log. */
  g_warning ("Cannot cancel the booking: %s", error->message);
  dialog = adw_message_dialog_new (window, _("The Booking Was Not Cancelled"), _(error->message));
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
cancel_confirmed_cb (AdwMessageDialog   *dialog,
                     const char         *response,
                     OknoBookingPopover *self)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  GtkWindow *window = gtk_window_get_transient_for (GTK_WINDOW (dialog));

  if (g_strcmp0 (response, "cancel-booking") != 0)
    return;

  /* Decided at once; the window does not wait for the disk. */
  okno_booking_service_cancel_as_owner_async (self->service, okno_booking_get_id (self->booking), now,
                                              NULL, cancelled_cb, window ? g_object_ref (window) : NULL);
}

static void
cancel_clicked_cb (OknoBookingPopover *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *dialog;

  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                   _("Cancel This Booking?"), NULL);
  if (okno_booking_get_field (self->booking, "email") != NULL &&
      g_strv_contains (okno_booking_service_get_notify_kinds (self->service) ?
                       okno_booking_service_get_notify_kinds (self->service) : (const char * const []) { NULL },
                       OKNO_NOTIFY_KIND_CLIENT_EMAIL))
    adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                    _("The slot opens again, and %s gets an email that the session is cancelled."),
                                    okno_booking_get_name (self->booking));
  else
    adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                    /* Translators: no email to the client: no address, or no Google account for email */
                                    _("The slot opens again. Okno cannot email %s about it: let them know yourself."),
                                    okno_booking_get_name (self->booking));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "keep", _("_Keep Booking"),
                                    "cancel-booking", _("_Cancel Booking"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "cancel-booking",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "keep");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "keep");
  g_signal_connect_object (dialog, "response", G_CALLBACK (cancel_confirmed_cb), self, 0);
  gtk_popover_popdown (GTK_POPOVER (self));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
okno_booking_popover_dispose (GObject *object)
{
  OknoBookingPopover *self = (OknoBookingPopover *) object;

  g_clear_object (&self->service);
  g_clear_object (&self->booking);

  G_OBJECT_CLASS (okno_booking_popover_parent_class)->dispose (object);
}

static void
okno_booking_popover_class_init (OknoBookingPopoverClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = okno_booking_popover_dispose;
}

static void
okno_booking_popover_init (OknoBookingPopover *self)
{
}

/* The booking is the one the ledger holds for @event's slot; a session
 * booked by the earlier system has only its title to show. */
GtkWidget *
okno_booking_popover_new (OknoBookingService *service,
                          OknoEvent          *event)
{
  OknoSchedule *schedule = okno_booking_service_get_schedule (service);
  OknoBooking *booking = okno_ledger_lookup_active_for_slot (okno_schedule_get_ledger (schedule),
                                                             okno_event_get_id (event));
  OknoBookingPopover *self = g_object_new (OKNO_TYPE_BOOKING_POPOVER, NULL);
  GtkBox *box = GTK_BOX (gtk_box_new (GTK_ORIENTATION_VERTICAL, 6));
  const char *value;

  self->service = g_object_ref (service);
  gtk_widget_set_margin_start (GTK_WIDGET (box), 6);
  gtk_widget_set_margin_end (GTK_WIDGET (box), 6);
  gtk_widget_set_margin_top (GTK_WIDGET (box), 6);
  gtk_widget_set_margin_bottom (GTK_WIDGET (box), 6);
  gtk_popover_set_child (GTK_POPOVER (self), GTK_WIDGET (box));

  if (booking == NULL)
    {
      add_label (box, okno_event_get_summary (event), "heading");
      add_label (box, _("Booked outside Okno: its details are in the calendar event."), "dim-label");
      return GTK_WIDGET (self);
    }

  self->booking = g_object_ref (booking);

  /* When, first; then who. Nothing is selected when it opens. */
  {
    GTimeZone *zone = okno_schedule_get_time_zone (schedule);
    g_autoptr(GDateTime) start = g_date_time_to_timezone (okno_event_get_start (event), zone);
    g_autoptr(GDateTime) end = g_date_time_to_timezone (okno_event_get_end (event), zone);
    /* Translators: a booked session's day in its popover, strftime format («вторник, 25 ноября») */
    g_autofree char *day = g_date_time_format (start, _("%A, %-d %B"));
    g_autofree char *from = g_date_time_format (start, "%H:%M");
    g_autofree char *to = g_date_time_format (end, "%H:%M");
    g_autofree char *when = g_strdup_printf ("%s, %s–%s", day, from, to);
    GtkWidget *label = add_label (box, when, "heading");
    gtk_label_set_selectable (GTK_LABEL (label), FALSE);
  }
  {
    GtkWidget *name = add_label (box, okno_booking_get_name (booking), "title-4");
    gtk_label_set_selectable (GTK_LABEL (name), FALSE);
  }
  if ((value = okno_booking_get_session_type (booking)) && value[0])
    add_label (box, value, NULL);

  if ((value = okno_booking_get_field (booking, "email")))
    {
      g_autofree char *uri = g_strconcat ("mailto:", value, NULL);
      add_link (box, uri, value);
    }
  if ((value = okno_booking_get_field (booking, "phone")))
    {
      g_autofree char *digits = NULL;
      g_autofree char *shown = okno_format_phone (value, &digits);
      g_autofree char *uri = g_strconcat ("tel:", digits, NULL);

      add_link (box, uri, shown);
    }
  if ((value = okno_booking_get_field (booking, "telegram")))
    {
      g_autofree char *uri = g_strconcat ("https://t.me/", value[0] == '@' ? value + 1 : value, NULL);
      add_link (box, uri, value);
    }
  if ((value = okno_booking_get_field (booking, "note")))
    {
      GtkWidget *caption = add_label (box, _("Note"), "dim-label");

      gtk_label_set_selectable (GTK_LABEL (caption), FALSE);
      gtk_widget_set_margin_top (caption, 6);
      add_label (box, value, NULL);
    }
  add_history (box, booking, okno_schedule_get_time_zone (schedule));

  {
    GtkWidget *button = gtk_button_new_with_mnemonic (_("_Cancel Booking…"));

    gtk_widget_add_css_class (button, "destructive-action");
    gtk_widget_set_margin_top (button, 6);
    g_signal_connect_swapped (button, "clicked", G_CALLBACK (cancel_clicked_cb), self);
    gtk_box_append (box, button);
  }

  return GTK_WIDGET (self);
}
