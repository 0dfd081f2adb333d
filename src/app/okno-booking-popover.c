/* okno-booking-popover.c
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "OknoBookingPopover"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "okno-booking-popover.h"

/* A booked session's details for Olga: who, how to reach them (as links),
 * their note, when they booked, and a way to cancel. */
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

static void
add_link (GtkBox     *box,
          const char *uri,
          const char *text)
{
  GtkWidget *link = gtk_link_button_new_with_label (uri, text);

  gtk_widget_set_halign (link, GTK_ALIGN_START);
  gtk_box_append (box, link);
}

static void
cancel_confirmed_cb (AdwMessageDialog   *dialog,
                     const char         *response,
                     OknoBookingPopover *self)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GError) error = NULL;

  if (g_strcmp0 (response, "cancel-booking") != 0)
    return;

  if (!okno_booking_service_cancel_as_owner (self->service, okno_booking_get_id (self->booking), now, &error))
    g_warning ("Cannot cancel the booking: %s", _(error->message));
}

static void
cancel_clicked_cb (OknoBookingPopover *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *dialog;

  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                   _("Cancel This Booking?"), NULL);
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                  /* Translators: no message reaches the client until notifications exist */
                                  _("The slot opens again. Okno does not message clients yet: let %s know yourself."),
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
  add_label (box, okno_booking_get_name (booking), "heading");
  if ((value = okno_booking_get_session_type (booking)) && value[0])
    add_label (box, value, NULL);

  if ((value = okno_booking_get_field (booking, "email")))
    {
      g_autofree char *uri = g_strconcat ("mailto:", value, NULL);
      add_link (box, uri, value);
    }
  if ((value = okno_booking_get_field (booking, "phone")))
    {
      g_autofree char *digits = g_strdup (value);
      g_autofree char *uri = NULL;
      char *w = digits;

      for (const char *r = value; *r; r++)
        if (g_ascii_isdigit (*r) || (*r == '+' && w == digits))
          *w++ = *r;
      *w = '\0';
      uri = g_strconcat ("tel:", digits, NULL);
      add_link (box, uri, value);
    }
  if ((value = okno_booking_get_field (booking, "telegram")))
    {
      g_autofree char *uri = g_strconcat ("https://t.me/", value[0] == '@' ? value + 1 : value, NULL);
      add_link (box, uri, value);
    }
  if ((value = okno_booking_get_field (booking, "note")))
    add_label (box, value, NULL);
  if (okno_booking_get_created (booking))
    {
      g_autoptr(GDateTime) local = g_date_time_to_timezone (okno_booking_get_created (booking),
                                                            okno_schedule_get_time_zone (schedule));
      /* Translators: when the client booked, strftime format */
      g_autofree char *when = g_date_time_format (local, _("Booked on %-d %B at %H:%M"));
      add_label (box, when, "dim-label");
    }

  {
    GtkWidget *button = gtk_button_new_with_mnemonic (_("_Cancel Booking…"));

    gtk_widget_add_css_class (button, "destructive-action");
    gtk_widget_set_margin_top (button, 6);
    g_signal_connect_swapped (button, "clicked", G_CALLBACK (cancel_clicked_cb), self);
    gtk_box_append (box, button);
  }

  return GTK_WIDGET (self);
}
