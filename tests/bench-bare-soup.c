/* bench-bare-soup.c FILE PORT: the ceiling for the /api/slots benchmark —
 * a SoupServer that answers every request with FILE's bytes and nothing
 * else. Built for build-aux/bench.sh; not a test.
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <libsoup/soup.h>
#include <stdlib.h>

static void
handler_cb (SoupServer        *server,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, NULL, 0);
  soup_message_body_append_bytes (soup_server_message_get_response_body (msg), user_data);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SoupServer) server = soup_server_new (NULL, NULL);
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GBytes) body = NULL;
  char *contents;
  gsize length;

  if (argc != 3 || !g_file_get_contents (argv[1], &contents, &length, &error))
    {
      g_printerr ("usage: bench-bare-soup FILE PORT\n");
      return 2;
    }
  body = g_bytes_new_take (contents, length);

  soup_server_add_handler (server, NULL, handler_cb, body, NULL);
  if (!soup_server_listen_local (server, atoi (argv[2]), SOUP_SERVER_LISTEN_IPV4_ONLY, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  g_main_loop_run (loop);
  return 0;
}
