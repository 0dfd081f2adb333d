/* test-http-session.c
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The SoupSession every client of a remote service uses sends each
 * request on a connection of its own, even to a server that would keep
 * connections open: libsoup 3.2 crashes when it resends a request on its
 * own after a reused connection closes (okno-http-session.c says how),
 * and a connection used once is never resent on. The server here is a
 * plain socket service that answers keep-alive and counts connections. */

#include "config.h"

#include <string.h>

#include "okno-http-session.h"

typedef struct
{
  GMutex   lock;
  guint    connections;
  guint    requests;
  guint    asked_to_close;
  GStrv    user_agents;
} Server;

/* One connection, on the service's own thread: answers every request on
 * it, keeping it open, until the client closes it. */
static gboolean
run_cb (GThreadedSocketService *service,
        GSocketConnection      *connection,
        GObject                *source_object,
        gpointer                user_data)
{
  Server *server = user_data;
  g_autoptr(GDataInputStream) in = g_data_input_stream_new (g_io_stream_get_input_stream (G_IO_STREAM (connection)));
  GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (connection));
  static const char answer[] = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nok";

  g_data_input_stream_set_newline_type (in, G_DATA_STREAM_NEWLINE_TYPE_CR_LF);
  g_mutex_lock (&server->lock);
  server->connections++;
  g_mutex_unlock (&server->lock);

  for (;;)
    {
      g_autofree char *request_line = g_data_input_stream_read_line (in, NULL, NULL, NULL);
      gboolean close = FALSE;
      char *agent = NULL;

      if (request_line == NULL)
        break;
      for (;;)
        {
          g_autofree char *line = g_data_input_stream_read_line (in, NULL, NULL, NULL);

          if (line == NULL || line[0] == '\0')
            break;
          if (g_ascii_strcasecmp (line, "Connection: close") == 0)
            close = TRUE;
          if (g_ascii_strncasecmp (line, "User-Agent: ", 12) == 0)
            agent = g_strdup (line + 12);
        }

      g_mutex_lock (&server->lock);
      server->requests++;
      server->asked_to_close += close;
      if (agent != NULL)
        {
          guint n = g_strv_length (server->user_agents);

          server->user_agents = g_renew (char *, server->user_agents, n + 2);
          server->user_agents[n] = agent;
          server->user_agents[n + 1] = NULL;
        }
      g_mutex_unlock (&server->lock);

      if (!g_output_stream_write_all (out, answer, strlen (answer), NULL, NULL, NULL))
        break;
    }
  return TRUE;
}

static const char *methods[] = { "GET", "GET", "PUT", "DELETE", "POST", "GET" };
static int client_done;

/* Sends every method in turn; returns NULL, or what went wrong. */
static gpointer
send_requests (gpointer user_data)
{
  const char *url = user_data;
  g_autoptr(SoupSession) session = okno_http_session_new ("timeout", 10, NULL);
  char *failure = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (methods) && failure == NULL; i++)
    {
      g_autoptr(SoupMessage) msg = soup_message_new (methods[i], url);
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) body = soup_session_send_and_read (session, msg, NULL, &error);

      if (body == NULL)
        failure = g_strdup_printf ("%s: %s", methods[i], error->message);
      else if (soup_message_get_status (msg) != SOUP_STATUS_OK || g_bytes_get_size (body) != 2)
        failure = g_strdup_printf ("%s: status %u", methods[i], soup_message_get_status (msg));
    }
  g_atomic_int_set (&client_done, TRUE);
  g_main_context_wakeup (NULL);
  return failure;
}

static void
test_each_request_has_its_own_connection (void)
{
  Server server = { .user_agents = g_new0 (char *, 1) };
  g_autoptr(GSocketService) service = g_threaded_socket_service_new (4);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any_port = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  GThread *thread;

  g_mutex_init (&server.lock);
  g_assert_true (g_socket_listener_add_address (G_SOCKET_LISTENER (service), any_port, G_SOCKET_TYPE_STREAM,
                                                G_SOCKET_PROTOCOL_TCP, NULL, &bound, &error));
  g_assert_no_error (error);
  g_signal_connect (service, "run", G_CALLBACK (run_cb), &server);
  g_socket_service_start (service);
  url = g_strdup_printf ("http://127.0.0.1:%u/calendar/v3/x",
                         g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));

  /* The service accepts on this thread's main loop: the client sends
   * from a thread of its own. */
  thread = g_thread_new ("client", send_requests, url);
  while (!g_atomic_int_get (&client_done))
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpstr (g_thread_join (thread), ==, NULL);

  g_socket_service_stop (service);
  g_socket_listener_close (G_SOCKET_LISTENER (service));
  g_mutex_lock (&server.lock);
  g_assert_cmpuint (server.requests, ==, G_N_ELEMENTS (methods));
  /* Every request asked for its connection to be closed, and none came
   * on a connection an earlier one had used. */
  g_assert_cmpuint (server.asked_to_close, ==, G_N_ELEMENTS (methods));
  g_assert_cmpuint (server.connections, ==, G_N_ELEMENTS (methods));
  g_assert_cmpuint (g_strv_length (server.user_agents), ==, G_N_ELEMENTS (methods));
  for (guint i = 0; server.user_agents[i] != NULL; i++)
    g_assert_cmpstr (server.user_agents[i], ==, "Okno/" PACKAGE_VERSION);
  g_mutex_unlock (&server.lock);
  g_strfreev (server.user_agents);
  g_mutex_clear (&server.lock);
}

/* libsoup 3.2 can be kept off HTTP/2 only for the whole process. */
static void
test_process_keeps_to_http1 (void)
{
  okno_http_prepare_process ();
#if SOUP_CHECK_VERSION (3, 4, 0)
  g_test_skip ("libsoup 3.4 and later are told per request");
#else
  g_assert_nonnull (g_getenv ("SOUP_FORCE_HTTP1"));
#endif
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/okno/http-session/each-request-has-its-own-connection",
                   test_each_request_has_its_own_connection);
  g_test_add_func ("/okno/http-session/process-keeps-to-http1", test_process_keeps_to_http1);

  return g_test_run ();
}
