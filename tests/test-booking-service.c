/* test-booking-service.c: booking, cancelling, idempotency, validation.
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "okno-booking-service.h"
#include "okno-errors.h"
#include "okno-outbox.h"
#include "okno-test-utils.h"

typedef struct
{
  char               *dir;
  OknoLocalCalendar  *calendar;
  OknoLedger         *ledger;
  OknoSchedule       *schedule;
  OknoBookingService *service;
  OknoOutbox         *outbox;
  OknoEvent          *slot;
  GDateTime          *now;
  guint               added;
  guint               cancelled;
} Fixture;

static void
added_cb (OknoBookingService *service,
          OknoBooking        *booking,
          Fixture            *f)
{
  f->added++;
}

static void
cancelled_cb (OknoBookingService *service,
              OknoBooking        *booking,
              gboolean            by_owner,
              Fixture            *f)
{
  g_assert_false (okno_booking_is_active (booking));
  f->cancelled++;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) start = NULL;

  f->dir = okno_test_make_dir ();
  f->calendar = okno_local_calendar_new (f->dir, &error);
  f->ledger = okno_ledger_new (f->dir, &error);
  g_assert_no_error (error);
  f->schedule = okno_schedule_new (OKNO_CALENDAR (f->calendar), f->ledger);
  f->service = okno_booking_service_new (f->schedule);
  f->outbox = okno_outbox_new (f->schedule);
  okno_outbox_start (f->outbox);
  f->now = g_date_time_new_now_utc ();
  start = g_date_time_add_days (f->now, 2);
  f->slot = okno_test_insert_event (OKNO_CALENDAR (f->calendar), "🔓 СЛОТ: Включить в дело (40 мин)",
                                    start, 40, TRUE);
  g_signal_connect (f->service, "booking-added", G_CALLBACK (added_cb), f);
  g_signal_connect (f->service, "booking-cancelled", G_CALLBACK (cancelled_cb), f);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  okno_test_wait_outbox (f->outbox, f->calendar);
  okno_test_drain (f->ledger);
  g_clear_object (&f->slot);
  g_assert_finalize_object (f->outbox);
  g_assert_finalize_object (f->service);
  g_assert_finalize_object (f->schedule);
  g_assert_finalize_object (f->ledger);
  g_assert_finalize_object (f->calendar);
  g_date_time_unref (f->now);
  okno_test_remove_dir (f->dir);
  g_free (f->dir);
}

static OknoBookingRequest *
make_request (Fixture    *f,
              const char *name)
{
  OknoBookingRequest *request = okno_booking_request_new ();

  request->slot_id = g_strdup (okno_event_get_id (f->slot));
  request->name = g_strdup (name);
  request->email = g_strdup ("anna@example.org");
  request->note = g_strdup ("Первый раз");
  return request;
}

static OknoEvent *
current_event (Fixture *f)
{
  okno_test_wait_outbox (f->outbox, f->calendar);
  return okno_calendar_lookup_event (OKNO_CALENDAR (f->calendar), okno_event_get_id (f->slot));
}

static void
test_book_updates_calendar (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(OknoBookingRequest) request = make_request (f, "Анна");
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  g_autoptr(OknoBooking) booking = okno_booking_service_book (f->service, request, NULL, f->now,
                                                               &token, NULL, &error);
  OknoEvent *event;

  g_assert_no_error (error);
  g_assert_nonnull (booking);
  g_assert_nonnull (token);
  g_assert_cmpuint (f->added, ==, 1);
  g_assert_cmpstr (okno_booking_get_session_type (booking), ==, "Включить в дело (40 мин)");
  g_assert_true (okno_ledger_lookup (f->ledger, okno_booking_get_id (booking)) != NULL);
  /* Only the hash of the token is kept. */
  g_assert_cmpstr (okno_booking_get_field (booking, "tokenHash"), !=, token);

  event = current_event (f);
  g_assert_cmpstr (okno_event_get_summary (event), ==, "✅ Анна — Включить в дело (40 мин)");
  g_assert_nonnull (strstr (okno_event_get_description (event), "anna@example.org"));
  g_assert_cmpstr (okno_event_get_private (event, "oknoBooking"), ==, okno_booking_get_id (booking));
}

static void
test_second_booking_is_taken (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(OknoBookingRequest) first = make_request (f, "Анна");
  g_autoptr(OknoBookingRequest) second = make_request (f, "Борис");
  g_autoptr(GError) error = NULL;
  g_autofree char *t1 = NULL;
  g_autofree char *t2 = NULL;
  g_autoptr(OknoBooking) a = okno_booking_service_book (f->service, first, NULL, f->now, &t1, NULL, &error);
  g_autoptr(OknoBooking) b = okno_booking_service_book (f->service, second, NULL, f->now, &t2, NULL, &error);

  g_assert_nonnull (a);
  g_assert_null (b);
  g_assert_error (error, OKNO_BOOKING_ERROR, OKNO_BOOKING_ERROR_SLOT_TAKEN);
  g_assert_cmpuint (g_list_model_get_n_items (okno_ledger_get_bookings (f->ledger)), ==, 1);
}

static void
test_idempotent_retry (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(OknoBookingRequest) request = make_request (f, "Анна");
  g_autoptr(OknoBookingRequest) retry = make_request (f, "Анна");
  g_autoptr(OknoBookingRequest) other = make_request (f, "Кто-то другой");
  g_autoptr(GError) error = NULL;
  g_autofree char *t1 = NULL;
  g_autofree char *t2 = NULL;
  g_autofree char *t3 = NULL;
  g_autoptr(OknoBooking) a = NULL;
  g_autoptr(OknoBooking) b = NULL;
  g_autoptr(OknoBooking) c = NULL;
  gboolean replayed = TRUE;

  a = okno_booking_service_book (f->service, request, "key-123", f->now, &t1, &replayed, &error);
  g_assert_no_error (error);
  g_assert_false (replayed);

  b = okno_booking_service_book (f->service, retry, "key-123", f->now, &t2, &replayed, &error);
  g_assert_no_error (error);
  g_assert_true (replayed);
  g_assert_cmpstr (okno_booking_get_id (a), ==, okno_booking_get_id (b));
  /* The retry gets a token that works, although only a hash is stored. */
  g_assert_cmpstr (t1, ==, t2);

  c = okno_booking_service_book (f->service, other, "key-123", f->now, &t3, NULL, &error);
  g_assert_null (c);
  g_assert_error (error, OKNO_BOOKING_ERROR, OKNO_BOOKING_ERROR_IDEMPOTENCY_MISMATCH);

  g_assert_cmpuint (g_list_model_get_n_items (okno_ledger_get_bookings (f->ledger)), ==, 1);
  g_assert_cmpuint (f->added, ==, 1);
  g_assert_true (okno_booking_service_cancel (f->service, okno_booking_get_id (a), t2, f->now, NULL));
}

static void
test_cancel (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(OknoBookingRequest) request = make_request (f, "Анна");
  g_autoptr(OknoBookingRequest) again = make_request (f, "Вера");
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  g_autofree char *token2 = NULL;
  g_autoptr(OknoBooking) booking = okno_booking_service_book (f->service, request, NULL, f->now,
                                                               &token, NULL, &error);
  g_autoptr(OknoBooking) rebooked = NULL;
  const char *id = okno_booking_get_id (booking);

  g_assert_false (okno_booking_service_cancel (f->service, id, "wrong-token", f->now, &error));
  g_assert_error (error, OKNO_BOOKING_ERROR, OKNO_BOOKING_ERROR_FORBIDDEN);
  g_clear_error (&error);

  g_assert_false (okno_booking_service_cancel (f->service, "nope", token, f->now, &error));
  g_assert_error (error, OKNO_BOOKING_ERROR, OKNO_BOOKING_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_true (okno_booking_service_cancel (f->service, id, token, f->now, &error));
  g_assert_no_error (error);
  g_assert_true (okno_booking_service_cancel (f->service, id, token, f->now, &error));
  g_assert_cmpuint (f->cancelled, ==, 1);
  g_assert_false (okno_booking_is_active (okno_ledger_lookup (f->ledger, id)));

  /* The slot reads as it did before and can be booked again. */
  g_assert_cmpstr (okno_event_get_summary (current_event (f)), ==, "🔓 СЛОТ: Включить в дело (40 мин)");
  g_assert_null (okno_event_get_description (current_event (f)));
  rebooked = okno_booking_service_book (f->service, again, NULL, f->now, &token2, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (rebooked);
}

static void
test_owner_cancel (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(OknoBookingRequest) request = make_request (f, "Анна");
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  g_autoptr(OknoBooking) booking = okno_booking_service_book (f->service, request, NULL, f->now,
                                                               &token, NULL, &error);

  g_assert_true (okno_booking_service_cancel_as_owner (f->service, okno_booking_get_id (booking), f->now, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (f->cancelled, ==, 1);
  g_assert_false (okno_booking_service_cancel_as_owner (f->service, "nope", f->now, &error));
  g_assert_error (error, OKNO_BOOKING_ERROR, OKNO_BOOKING_ERROR_NOT_FOUND);
}

static OknoBooking *
book_now (Fixture  *f,
          char    **token)
{
  g_autoptr(OknoBookingRequest) request = make_request (f, "Анна");
  g_autoptr(GError) error = NULL;
  OknoBooking *booking = okno_booking_service_book (f->service, request, NULL, f->now, token, NULL, &error);

  g_assert_no_error (error);
  return booking;
}

/* min-cancel-hours: a client may cancel until exactly that long before the
 * start, not a second later; Olga always may; 0 means any time. */
static void
test_cancel_policy (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  g_autofree char *token2 = NULL;
  g_autofree char *token3 = NULL;
  g_autoptr(OknoBooking) booking = NULL;
  g_autoptr(OknoBooking) second = NULL;
  g_autoptr(OknoBooking) third = NULL;
  GDateTime *start = okno_event_get_start (f->slot);
  g_autoptr(GDateTime) last = g_date_time_add_hours (start, -24);
  g_autoptr(GDateTime) too_late = g_date_time_add_seconds (last, 1);
  g_autoptr(GDateTime) minute_before = g_date_time_add_minutes (start, -1);
  guint hours = 0;

  g_object_get (f->service, "min-cancel-hours", &hours, NULL);
  g_assert_cmpuint (hours, ==, 24);

  booking = book_now (f, &token);
  g_assert_false (okno_booking_service_check_client_cancel (f->service, booking, too_late, NULL));
  g_assert_false (okno_booking_service_cancel (f->service, okno_booking_get_id (booking), token, too_late, &error));
  g_assert_error (error, OKNO_BOOKING_ERROR, OKNO_BOOKING_ERROR_TOO_LATE);
  g_clear_error (&error);
  g_assert_true (okno_booking_is_active (okno_ledger_lookup (f->ledger, okno_booking_get_id (booking))));
  g_assert_cmpuint (f->cancelled, ==, 0);

  g_assert_true (okno_booking_service_cancel (f->service, okno_booking_get_id (booking), token, last, &error));
  g_assert_no_error (error);
  g_assert_false (okno_booking_is_active (okno_ledger_lookup (f->ledger, okno_booking_get_id (booking))));

  /* Olga: a minute before the start. */
  second = book_now (f, &token2);
  g_assert_true (okno_booking_service_cancel_as_owner (f->service, okno_booking_get_id (second),
                                                       minute_before, &error));
  g_assert_no_error (error);
  g_assert_false (okno_booking_is_active (okno_ledger_lookup (f->ledger, okno_booking_get_id (second))));

  /* No policy: the client too, a minute before. */
  g_object_set (f->service, "min-cancel-hours", 0, NULL);
  third = book_now (f, &token3);
  g_assert_true (okno_booking_service_cancel (f->service, okno_booking_get_id (third), token3,
                                              minute_before, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (f->cancelled, ==, 3);
}

static OknoBookingRequest *
contact_request (OknoEvent  *slot,
                 const char *email,
                 const char *phone,
                 const char *telegram)
{
  OknoBookingRequest *request = okno_booking_request_new ();

  request->slot_id = g_strdup (okno_event_get_id (slot));
  request->name = g_strdup ("Анна");
  request->email = g_strdup (email);
  request->phone = g_strdup (phone);
  request->telegram = g_strdup (telegram);
  return request;
}

/* max-active-per-client (3): phones compared by digits, emails and
 * Telegram handles case-insensitively; a fourth gets LIMIT_REACHED and
 * books nothing; another client is not affected; a cancel frees a place. */
static void
test_client_limit (Fixture       *f,
                   gconstpointer  data)
{
  const char *phones[] = { "+7 999 123-45-67", "+7 (999) 123 45 67", "+79991234567" };
  g_autoptr(GPtrArray) slots = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) bookings = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;
  guint max = 0;

  g_object_get (f->service, "max-active-per-client", &max, NULL);
  g_assert_cmpuint (max, ==, 3);
  for (int i = 0; i < 8; i++)
    {
      g_autoptr(GDateTime) start = g_date_time_add_days (f->now, 3 + i);

      g_ptr_array_add (slots, okno_test_insert_event (OKNO_CALENDAR (f->calendar), "🔓 СЛОТ", start, 40, TRUE));
    }

  for (guint i = 0; i < G_N_ELEMENTS (phones); i++)
    {
      g_autoptr(OknoBookingRequest) request = contact_request (g_ptr_array_index (slots, i), NULL, phones[i], NULL);
      g_autofree char *token = NULL;
      OknoBooking *booking = okno_booking_service_book (f->service, request, NULL, f->now, &token, NULL, &error);

      g_assert_no_error (error);
      g_ptr_array_add (bookings, booking);
    }

  {
    /* The same phone with an email: still her. */
    g_autoptr(OknoBookingRequest) fourth = contact_request (g_ptr_array_index (slots, 3), "new@example.org",
                                                            "+7-999-123-45-67", NULL);
    g_autoptr(OknoBookingRequest) other = contact_request (g_ptr_array_index (slots, 4), NULL, "+7 999 123-45-68", NULL);
    g_autofree char *token = NULL;
    g_autofree char *token2 = NULL;
    g_autoptr(OknoBooking) refused = okno_booking_service_book (f->service, fourth, NULL, f->now, &token, NULL, &error);
    g_autoptr(OknoBooking) someone = NULL;

    g_assert_null (refused);
    g_assert_error (error, OKNO_BOOKING_ERROR, OKNO_BOOKING_ERROR_LIMIT_REACHED);
    g_clear_error (&error);
    g_assert_null (okno_ledger_lookup_active_for_slot (f->ledger, okno_event_get_id (g_ptr_array_index (slots, 3))));
    someone = okno_booking_service_book (f->service, other, NULL, f->now, &token2, NULL, &error);
    g_assert_no_error (error);
  }

  {
    g_autoptr(OknoBookingRequest) first = contact_request (g_ptr_array_index (slots, 5), "Vera@Example.ORG", NULL, "@Vera_K");
    g_autoptr(OknoBookingRequest) by_email = contact_request (g_ptr_array_index (slots, 6), "vera@example.org", NULL, NULL);
    g_autoptr(OknoBookingRequest) by_telegram = contact_request (g_ptr_array_index (slots, 7), NULL, NULL, "vera_k");
    g_autofree char *t1 = NULL;
    g_autofree char *t2 = NULL;
    g_autofree char *t3 = NULL;
    g_autoptr(OknoBooking) b1 = NULL;
    g_autoptr(OknoBooking) b2 = NULL;
    g_autoptr(OknoBooking) b3 = NULL;

    g_object_set (f->service, "max-active-per-client", 1, NULL);
    b1 = okno_booking_service_book (f->service, first, NULL, f->now, &t1, NULL, &error);
    g_assert_no_error (error);
    b2 = okno_booking_service_book (f->service, by_email, NULL, f->now, &t2, NULL, &error);
    g_assert_error (error, OKNO_BOOKING_ERROR, OKNO_BOOKING_ERROR_LIMIT_REACHED);
    g_clear_error (&error);
    b3 = okno_booking_service_book (f->service, by_telegram, NULL, f->now, &t3, NULL, &error);
    g_assert_error (error, OKNO_BOOKING_ERROR, OKNO_BOOKING_ERROR_LIMIT_REACHED);
    g_clear_error (&error);
    g_object_set (f->service, "max-active-per-client", 3, NULL);
  }

  /* Olga cancels one of the three: a fourth fits again. */
  g_assert_true (okno_booking_service_cancel_as_owner (f->service, okno_booking_get_id (g_ptr_array_index (bookings, 0)),
                                                       f->now, &error));
  {
    g_autoptr(OknoBookingRequest) fourth = contact_request (g_ptr_array_index (slots, 3), NULL, "+79991234567", NULL);
    g_autofree char *token = NULL;
    g_autoptr(OknoBooking) booked = okno_booking_service_book (f->service, fourth, NULL, f->now, &token, NULL, &error);

    g_assert_no_error (error);
    g_assert_nonnull (booked);
  }
}

/* A calendar change found in the journal (a crash came before it was
 * carried out) is carried out from there. */
static void
test_outbox_item_applied (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(OknoBooking) booking = okno_booking_new ("crashed1", okno_event_get_id (f->slot),
                                                     okno_event_get_start (f->slot),
                                                     okno_event_get_end (f->slot));
  g_autoptr(JsonObject) item = NULL;
  g_autoptr(GError) error = NULL;
  OknoJournalRecord *record = okno_journal_record_new ();

  okno_booking_set_field (booking, "name", "Галина");
  okno_booking_set_field (booking, "sessionType", "Включить в дело (40 мин)");
  item = okno_outbox_calendar_item_new (booking);
  okno_journal_record_set_put (record, booking);
  okno_journal_record_add_outbox (record, item);
  g_assert_true (okno_ledger_append (f->ledger, record, &error));
  g_assert_no_error (error);

  g_assert_cmpstr (okno_event_get_summary (current_event (f)), ==, "✅ Галина — Включить в дело (40 мин)");
  g_assert_false (okno_ledger_has_outbox_item (f->ledger, json_object_get_string_member (item, "key")));
}

static void
test_validation (Fixture       *f,
                 gconstpointer  data)
{
  struct {
    const char *field;
    const char *value;
    const char *error_field;
  } cases[] = {
    { "name", "", "name" },
    { "name", "   ", "name" },
    { "name", "Anna\x01", "name" },
    { "name", "Анна\nПетрова", "name" },
    { "name", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "name" },
    { "email", "anna", "email" },
    { "email", "anna@", "email" },
    { "email", "anna@example", "email" },
    { "email", "an na@example.org", "email" },
    { "email", "<a>@example.org", "email" },
    { "phone", "12345", "phone" },
    { "phone", "+7 (900) 123-45-67x", "phone" },
    { "telegram", "@ab", "telegram" },
    { "telegram", "@anna-k", "telegram" },
    { "timeZone", "Mars/Olympus", "timeZone" },
    { "note", NULL, "note" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(OknoBookingRequest) request = make_request (f, "Анна");
      g_autoptr(GHashTable) errors = NULL;

      if (g_str_equal (cases[i].field, "name"))
        g_free (request->name), request->name = g_strdup (cases[i].value);
      else if (g_str_equal (cases[i].field, "email"))
        g_free (request->email), request->email = g_strdup (cases[i].value);
      else if (g_str_equal (cases[i].field, "phone"))
        request->phone = g_strdup (cases[i].value);
      else if (g_str_equal (cases[i].field, "telegram"))
        request->telegram = g_strdup (cases[i].value);
      else if (g_str_equal (cases[i].field, "timeZone"))
        request->time_zone = g_strdup (cases[i].value);
      else if (g_str_equal (cases[i].field, "note"))
        g_free (request->note), request->note = g_strnfill (1001, 'x');

      g_assert_false (okno_booking_request_validate (request, &errors));
      g_assert_nonnull (errors);
      if (!g_hash_table_contains (errors, cases[i].error_field))
        g_error ("case %u: no error for %s", i, cases[i].error_field);
    }
}

static void
test_valid_contacts (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(OknoBookingRequest) request = okno_booking_request_new ();
  g_autoptr(OknoBookingRequest) none = okno_booking_request_new ();
  g_autoptr(GHashTable) errors = NULL;

  request->slot_id = g_strdup ("abcdef");
  request->name = g_strdup ("  Анна 🌸 אנה  ");
  request->phone = g_strdup ("+7 (900) 123-45-67");
  request->telegram = g_strdup ("anna_k");
  request->note = g_strdup ("Line one\nLine two");
  request->time_zone = g_strdup ("Europe/Berlin");
  g_assert_true (okno_booking_request_validate (request, &errors));
  g_assert_null (errors);
  g_assert_cmpstr (request->name, ==, "Анна 🌸 אנה");
  g_assert_cmpstr (request->telegram, ==, "@anna_k");

  none->slot_id = g_strdup ("abcdef");
  none->name = g_strdup ("Анна");
  g_assert_false (okno_booking_request_validate (none, &errors));
  g_assert_true (g_hash_table_contains (errors, "contact"));
}

static void
test_invalid_request_is_refused (Fixture       *f,
                                 gconstpointer  data)
{
  g_autoptr(OknoBookingRequest) request = make_request (f, "");
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  g_autoptr(OknoBooking) booking = okno_booking_service_book (f->service, request, NULL, f->now,
                                                               &token, NULL, &error);

  g_assert_null (booking);
  g_assert_error (error, OKNO_BOOKING_ERROR, OKNO_BOOKING_ERROR_INVALID);
  g_assert_cmpuint (g_list_model_get_n_items (okno_ledger_get_bookings (f->ledger)), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/okno/booking/book-updates-calendar", test_book_updates_calendar);
  ADD ("/okno/booking/second-booking-is-taken", test_second_booking_is_taken);
  ADD ("/okno/booking/idempotent-retry", test_idempotent_retry);
  ADD ("/okno/booking/cancel", test_cancel);
  ADD ("/okno/booking/owner-cancel", test_owner_cancel);
  ADD ("/okno/booking/cancel-policy", test_cancel_policy);
  ADD ("/okno/booking/client-limit", test_client_limit);
  ADD ("/okno/booking/outbox-item-applied", test_outbox_item_applied);
  ADD ("/okno/booking/validation", test_validation);
  ADD ("/okno/booking/valid-contacts", test_valid_contacts);
  ADD ("/okno/booking/invalid-request-is-refused", test_invalid_request_is_refused);

  return g_test_run ();
}
