/* test-booking-history-ui.c: the booking popover shows what happened to a
 * booking (issue 13.7): booked, moved from → to, with times.
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "okno-booking-popover.h"
#include "okno-test-ui.h"
#include "okno-test-utils.h"

static char *
format_local (GDateTime  *time,
              const char *format)
{
  g_autoptr(GTimeZone) zone = g_time_zone_new_identifier ("Europe/Moscow");
  g_autoptr(GDateTime) local = g_date_time_to_timezone (time, zone);

  return g_date_time_format (local, format);
}

/* The booking popover of event @id, shown on a button in a new window. */
static GtkWidget *
show_popover (OknoBookingService  *service,
              OknoCalendar        *calendar,
              const char          *id,
              GtkWidget          **out_window)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *anchor = gtk_button_new_with_label ("anchor");
  GtkWidget *popover;

  gtk_window_set_child (GTK_WINDOW (window), anchor);
  gtk_window_present (GTK_WINDOW (window));
  okno_test_iterate_until (okno_test_is_shown, window, 5000);
  popover = okno_booking_popover_new (service, okno_calendar_lookup_event (calendar, id));
  gtk_widget_set_parent (popover, anchor);
  gtk_popover_popup (GTK_POPOVER (popover));
  okno_test_iterate_until (okno_test_is_shown, popover, 5000);
  *out_window = window;
  return popover;
}

static void
test_history (void)
{
  g_autofree char *dir = okno_test_make_dir ();
  g_autoptr(GError) error = NULL;
  g_autoptr(OknoLocalCalendar) calendar = okno_local_calendar_new (dir, &error);
  g_autoptr(OknoLedger) ledger = okno_ledger_new (dir, &error);
  g_autoptr(OknoSchedule) schedule = NULL;
  g_autoptr(OknoBookingService) service = NULL;
  g_autoptr(OknoOutbox) outbox = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) booked_at = g_date_time_add_hours (now, -5);
  g_autoptr(GDateTime) moved_at = g_date_time_add_hours (now, -1);
  g_autoptr(GDateTime) a_start = g_date_time_add_days (now, 2);
  g_autoptr(GDateTime) b_start = g_date_time_add_days (now, 4);
  g_autoptr(OknoEvent) a = NULL;
  g_autoptr(OknoEvent) b = NULL;
  g_autoptr(OknoBookingRequest) request = okno_booking_request_new ();
  g_autoptr(OknoBooking) booking = NULL;
  g_autoptr(OknoBooking) moved = NULL;
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();
  g_autoptr(GPtrArray) history = g_ptr_array_new ();
  g_autofree char *token = NULL;
  g_autofree char *booked_text = NULL;
  g_autofree char *moved_when = NULL;
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;
  g_autofree char *moved_text = NULL;
  GtkWidget *window;
  GtkWidget *popover;

  g_assert_no_error (error);
  schedule = okno_schedule_new (OKNO_CALENDAR (calendar), ledger);
  g_object_set (schedule, "time-zone", "Europe/Moscow", NULL);
  service = okno_booking_service_new (schedule);
  outbox = okno_outbox_new (schedule);
  okno_outbox_start (outbox);
  a = okno_test_insert_event (OKNO_CALENDAR (calendar), "🔓 СЛОТ: Разбор", a_start, 40, TRUE);
  b = okno_test_insert_event (OKNO_CALENDAR (calendar), "🔓 СЛОТ: Разбор", b_start, 40, TRUE);

  request->slot_id = g_strdup (okno_event_get_id (a));
  request->name = g_strdup ("Анна");
  request->phone = g_strdup ("+7 999 123-45-67");
  booking = okno_booking_service_book (service, request, NULL, booked_at, &token, NULL, &error);
  g_assert_no_error (error);
  moved = okno_booking_service_reschedule (service, okno_booking_get_id (booking), token,
                                           okno_event_get_id (b), moved_at, &error);
  g_assert_no_error (error);
  okno_test_wait_outbox (outbox, calendar);

  popover = show_popover (service, OKNO_CALENDAR (calendar), okno_event_get_id (b), &window);

  okno_test_collect (popover, GTK_TYPE_LABEL, labels);
  for (guint i = 0; i < labels->len; i++)
    if (gtk_widget_has_css_class (g_ptr_array_index (labels, i), "history-entry"))
      g_ptr_array_add (history, g_ptr_array_index (labels, i));

  booked_text = format_local (booked_at, "Booked on %-d %B at %H:%M");
  moved_when = format_local (moved_at, "Moved on %-d %B at %H:%M");
  from = format_local (a_start, "%a %H:%M");
  to = format_local (b_start, "%a %H:%M");
  moved_text = g_strdup_printf ("%s: %s → %s", moved_when, from, to);

  g_assert_cmpuint (history->len, ==, 2);
  g_assert_cmpstr (gtk_label_get_text (g_ptr_array_index (history, 0)), ==, booked_text);
  g_assert_cmpstr (gtk_label_get_text (g_ptr_array_index (history, 1)), ==, moved_text);
  g_assert_true (gtk_widget_get_mapped (g_ptr_array_index (history, 1)));
  okno_test_save_screenshot (popover, "booking-history.png");

  gtk_popover_popdown (GTK_POPOVER (popover));
  gtk_widget_unparent (popover);
  gtk_window_destroy (GTK_WINDOW (window));
  okno_test_drain (ledger);
  g_clear_object (&outbox);
  g_clear_object (&service);
  g_clear_object (&schedule);
  g_clear_object (&ledger);
  g_clear_object (&calendar);
  okno_test_remove_dir (dir);
}

/* The cancel question says whether the client will hear of it: an email
 * goes only to a client who left an address, and only while the email
 * channel is set up (the service's notify kinds). */
static void
check_cancel_question (gboolean    email_channel,
                       const char *email,
                       const char *expected)
{
  g_autofree char *dir = okno_test_make_dir ();
  g_autoptr(GError) error = NULL;
  g_autoptr(OknoLocalCalendar) calendar = okno_local_calendar_new (dir, &error);
  g_autoptr(OknoLedger) ledger = okno_ledger_new (dir, &error);
  g_autoptr(OknoSchedule) schedule = NULL;
  g_autoptr(OknoBookingService) service = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) start = g_date_time_add_days (now, 2);
  g_autoptr(OknoEvent) slot = NULL;
  g_autoptr(OknoBookingRequest) request = okno_booking_request_new ();
  g_autoptr(OknoBooking) booking = NULL;
  g_autoptr(GPtrArray) buttons = g_ptr_array_new ();
  g_autofree char *token = NULL;
  const char *kinds[] = { "desktop", email_channel ? "client-email" : NULL, NULL };
  GtkWidget *window, *popover, *dialog = NULL;

  g_assert_no_error (error);
  schedule = okno_schedule_new (OKNO_CALENDAR (calendar), ledger);
  service = okno_booking_service_new (schedule);
  okno_booking_service_set_notify_kinds (service, kinds);
  slot = okno_test_insert_event (OKNO_CALENDAR (calendar), "🔓 СЛОТ: Разбор", start, 40, TRUE);
  request->slot_id = g_strdup (okno_event_get_id (slot));
  request->name = g_strdup ("Анна");
  request->phone = g_strdup ("+7 999 123-45-67");
  request->email = g_strdup (email);
  booking = okno_booking_service_book (service, request, NULL, now, &token, NULL, &error);
  g_assert_no_error (error);

  popover = show_popover (service, OKNO_CALENDAR (calendar), okno_event_get_id (slot), &window);

  okno_test_collect (popover, GTK_TYPE_BUTTON, buttons);
  for (guint i = 0; i < buttons->len; i++)
    if (g_strcmp0 (gtk_button_get_label (g_ptr_array_index (buttons, i)), "_Cancel Booking…") == 0)
      g_signal_emit_by_name (g_ptr_array_index (buttons, i), "clicked");
  dialog = okno_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (dialog);
  g_assert_nonnull (strstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog)), expected));
  okno_test_save_screenshot (dialog, email_channel && email ? "cancel-question-email.png" : "cancel-question.png");

  gtk_window_destroy (GTK_WINDOW (dialog));
  gtk_widget_unparent (popover);
  gtk_window_destroy (GTK_WINDOW (window));
  okno_test_drain (ledger);
  g_clear_object (&service);
  g_clear_object (&schedule);
  g_clear_object (&ledger);
  g_clear_object (&calendar);
  okno_test_remove_dir (dir);
}

static void
test_cancel_question (void)
{
  check_cancel_question (TRUE, "anna@example.org", "Анна gets an email that the session is cancelled");
  check_cancel_question (TRUE, NULL, "Okno cannot email Анна about it: let them know yourself");
  check_cancel_question (FALSE, "anna@example.org", "Okno cannot email Анна about it");
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/okno/booking-popover/history", test_history);
  g_test_add_func ("/okno/booking-popover/cancel-question", test_cancel_question);

  return g_test_run ();
}
