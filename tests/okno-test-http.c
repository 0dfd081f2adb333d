/* okno-test-http.c
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "okno-test-http.h"
#include "okno-test-profile.h"
#include "okno-test-utils.h"
#include "okno-web-form-guard.h"

void
okno_test_response_free (Response *r)
{
  g_clear_pointer (&r->body, g_bytes_unref);
  g_clear_pointer (&r->headers, soup_message_headers_unref);
  g_clear_pointer (&r->json, json_node_unref);
  g_free (r);
}


OknoEvent *
okno_test_http_add_slot (Fixture    *f,
          int         hours_from_now,
          const char *title)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) start = g_date_time_add_hours (now, hours_from_now);
  g_autoptr(GDateTime) rounded = g_date_time_add_seconds (start, -g_date_time_get_seconds (start));

  return okno_test_insert_event (okno_profile_get_calendar (f->instance), title, rounded, 40, TRUE);
}

static void
profile_opened_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

/* Opens the profile of @dir as the programs do, and waits for it. */
OknoProfile *
okno_test_open_profile (const char *dir)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  OknoProfile *profile;

  okno_profile_new_async (dir, NULL, profile_opened_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);

  profile = okno_profile_new_finish (result, &error);
  g_assert_no_error (error);
  g_assert_cmpint (okno_profile_get_state (profile), ==, OKNO_PROFILE_STATE_READY);
  return profile;
}

void
okno_test_http_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  OknoOverrides overrides = OKNO_OVERRIDES_INIT;

  f->dir = okno_test_make_dir ();
  f->instance = okno_test_open_profile (f->dir);

  overrides.port = 0;
  overrides.rate_limit = GPOINTER_TO_INT (data);
  okno_profile_apply_overrides (f->instance, &overrides);
  g_settings_set_string (okno_profile_get_settings (f->instance), "time-zone", "Europe/Moscow");
  g_assert_true (okno_profile_start_server (f->instance, &error));
  g_assert_no_error (error);

  f->base = okno_web_server_dup_url (okno_profile_get_web_server (f->instance));
  f->base[strlen (f->base) - 1] = '\0';
  f->session = soup_session_new_with_options ("max-conns", 128, "max-conns-per-host", 128, NULL);

  f->slot = okno_test_http_add_slot (f, 48, "🔓 СЛОТ: Включить в дело (40 мин)");
  f->slot2 = okno_test_http_add_slot (f, 72, "🔓 СЛОТ: Разбор");
}

void
okno_test_http_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->slot);
  g_clear_object (&f->slot2);
  g_clear_object (&f->session);
  okno_test_settle_profile (f->instance);
  g_assert_finalize_object (f->instance);
  okno_test_remove_dir (f->dir);
  g_free (f->dir);
  g_free (f->base);
}

static void
sent_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Pending *pending = user_data;
  g_autoptr(GError) error = NULL;
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (object), result);
  GBytes *body = soup_session_send_and_read_finish (SOUP_SESSION (object), result, &error);

  g_assert_no_error (error);
  pending->response = g_new0 (Response, 1);
  pending->response->status = soup_message_get_status (msg);
  pending->response->body = body;
  pending->response->headers = soup_message_headers_ref (soup_message_get_response_headers (msg));
  if (g_bytes_get_size (body) > 0 &&
      g_str_has_prefix (soup_message_headers_get_content_type (pending->response->headers, NULL) ?: "",
                        "application/json"))
    {
      pending->response->json = json_from_string (g_bytes_get_data (body, NULL), &error);
      g_assert_no_error (error);
    }
  pending->done = TRUE;
}

SoupMessage *
okno_test_http_message (Fixture    *f,
              const char *method,
              const char *path,
              const char *body,
              gssize      length)
{
  g_autofree char *url = g_strconcat (f->base, path, NULL);
  SoupMessage *msg = soup_message_new (method, url);

  g_assert_nonnull (msg);
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, length < 0 ? strlen (body) : (gsize) length);
      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    }
  return msg;
}

void
okno_test_http_send_async (Fixture     *f,
            SoupMessage *msg,
            Pending     *pending)
{
  soup_session_send_and_read_async (f->session, msg, G_PRIORITY_DEFAULT, NULL, sent_cb, pending);
}

Response *
okno_test_http_send (Fixture     *f,
      SoupMessage *msg)
{
  Pending pending = { 0 };

  okno_test_http_send_async (f, msg, &pending);
  while (!pending.done)
    g_main_context_iteration (NULL, TRUE);
  return pending.response;
}

Response *
okno_test_http_request (Fixture    *f,
         const char *method,
         const char *path,
         const char *body)
{
  g_autoptr(SoupMessage) msg = okno_test_http_message (f, method, path, body, -1);
  return okno_test_http_send (f, msg);
}


/* The booking form's signed stamp for @slot_id (%NULL: the form with a
 * choice of times), as if the form had been served a minute ago: a
 * "stamp=…" field to add to a /book POST (okno-web-form-guard.h). */
char *
okno_test_http_form_stamp (Fixture    *f,
                           const char *slot_id)
{
  g_autofree char *scope = g_strconcat ("book:", slot_id, NULL);

  return okno_test_http_form_stamp_for (f, scope);
}

/* The same for any guarded form, by its scope ("waitlist"). */
char *
okno_test_http_form_stamp_for (Fixture    *f,
                               const char *scope)
{
  g_autoptr(OknoWebFormGuard) guard = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) served = g_date_time_add_seconds (now, -60);
  g_autofree char *stamp = NULL;

  g_object_get (okno_profile_get_web_server (f->instance), "form-guard", &guard, NULL);
  stamp = okno_web_form_guard_dup_stamp (guard, scope, served);
  return g_strconcat (OKNO_WEB_FORM_GUARD_STAMP_FIELD "=", stamp, NULL);
}

void
okno_test_telegram_set_up (TelegramFixture *f,
                           const char      *fake_program)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  OknoTelegram *telegram;

  f->fake = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, fake_program, NULL);
  g_assert_no_error (error);
  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (f->fake));
  f->base = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, &error);
  g_assert_no_error (error);
  f->control = soup_session_new ();

  okno_test_http_set_up (&f->http, GINT_TO_POINTER (0));
  telegram = okno_profile_get_telegram (f->http.instance);
  g_object_set (telegram, "base-url", f->base, NULL);
  okno_telegram_set_token (telegram, "123456:okno-test-token");
  g_settings_set_string (okno_profile_get_settings (f->http.instance), "telegram-chat-id", "424242");
}

void
okno_test_telegram_tear_down (TelegramFixture *f)
{
  okno_test_http_tear_down (&f->http, NULL);
  g_subprocess_send_signal (f->fake, SIGTERM);
  g_subprocess_wait (f->fake, NULL, NULL);
  g_clear_object (&f->fake);
  g_clear_object (&f->control);
  g_free (f->base);
}
