/* okno-http-session.c
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The one way Okno's clients (Google, Gmail, Telegram, Cal.com) make a
 * SoupSession: every request goes out over HTTP/1.1 on a connection of
 * its own, which is closed after the answer.
 *
 * Why: libsoup resends an idempotent request (GET, PUT, DELETE) by
 * itself when a *reused* connection closes before any answer — what a
 * server does when it ends an idle keep-alive connection, or a GOAWAY in
 * HTTP/2. In libsoup 3.2 (Debian 12) that resend can overtake the first
 * attempt's failure, which is still waiting for the next main loop
 * iteration: the failure then finishes the resent request, and its
 * answer arrives for a finished message, where libsoup reads a NULL
 * pointer (run_until_read_done → soup_message_io_get_response_istream).
 * okno-server died this way when a server dropped connections. A
 * connection used once is never "reused", so libsoup never resends;
 * a failed request fails, and Okno's own retries (the outbox's backoff,
 * the next sync) take over, as for any network error.
 *
 * The cost is a new connection (and TLS handshake) per request: Okno
 * sends a few requests a minute, so this is noise. */

#include "config.h"

#include "okno-http-session.h"

/* libsoup before 3.4 can only be kept off HTTP/2 (where one connection
 * carries every request, and "Connection: close" means nothing) for the
 * whole process, through its SOUP_FORCE_HTTP1 variable; 3.4 and later
 * have soup_message_set_force_http1 (), used per request below. Called
 * at the top of main (), before any thread starts: setenv is not
 * thread-safe. A value the user set is kept. */
void
okno_http_prepare_process (void)
{
#if !SOUP_CHECK_VERSION (3, 4, 0)
  g_setenv ("SOUP_FORCE_HTTP1", "1", FALSE);
#endif
}

static void
request_queued_cb (SoupSession *session,
                   SoupMessage *msg,
                   gpointer     user_data)
{
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Connection", "close");
#if SOUP_CHECK_VERSION (3, 4, 0)
  soup_message_set_force_http1 (msg, TRUE);
#endif
}

/* A SoupSession with the given properties (as soup_session_new_with_options
 * takes them) whose requests each use a connection of their own, with
 * the user agent "Okno/VERSION". */
SoupSession *
okno_http_session_new (const char *first_property_name,
                       ...)
{
  SoupSession *session;
  va_list args;

  va_start (args, first_property_name);
  session = SOUP_SESSION (g_object_new_valist (SOUP_TYPE_SESSION, first_property_name, args));
  va_end (args);

  soup_session_set_user_agent (session, "Okno/" PACKAGE_VERSION);
  g_signal_connect (session, "request-queued", G_CALLBACK (request_queued_cb), NULL);

  return session;
}
