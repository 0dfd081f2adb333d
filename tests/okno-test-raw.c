/* okno-test-raw.c
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "okno-test-raw.h"

/* The server runs on this thread's main loop: every wait below iterates
 * it, woken by the client socket, the server's own sources or a deadline. */

static gboolean
wake_cb (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

static gboolean
deadline_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

GSocket *
okno_test_raw_connect (const char *base_url)
{
  g_autoptr(GUri) uri = g_uri_parse (base_url, G_URI_FLAGS_NONE, NULL);
  g_autoptr(GInetAddress) inet = g_inet_address_new_from_string (g_uri_get_host (uri));
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (inet, g_uri_get_port (uri));
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                            G_SOCKET_PROTOCOL_TCP, &error);

  if (socket == NULL)
    return NULL;

  /* Loopback connects complete in the kernel, without the server's loop. */
  if (!g_socket_connect (socket, address, NULL, &error))
    return NULL;
  g_socket_set_blocking (socket, FALSE);
  return g_steal_pointer (&socket);
}

gboolean
okno_test_raw_send (GSocket    *socket,
                    const char *data,
                    gsize       length)
{
  gsize sent = 0;
  gboolean late = FALSE;
  guint deadline = g_timeout_add (10000, deadline_cb, &late);

  while (sent < length && !late)
    {
      g_autoptr(GError) error = NULL;
      gssize n = g_socket_send (socket, data + sent, length - sent, NULL, &error);

      if (n > 0)
        sent += n;
      else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        {
          g_autoptr(GSource) source = g_socket_create_source (socket, G_IO_OUT | G_IO_ERR | G_IO_HUP, NULL);

          g_source_set_callback (source, wake_cb, NULL, NULL);
          g_source_attach (source, NULL);
          g_main_context_iteration (NULL, TRUE);
          g_source_destroy (source);
        }
      else
        break;   /* the server closed: what it answered is still readable */
    }

  if (!late)
    g_source_remove (deadline);
  return sent == length;
}

/* Whether @buffer holds one whole response (head, and as much body as its
 * Content-Length says). */
static gboolean
is_complete (GByteArray *buffer)
{
  const char *data = (const char *) buffer->data;
  const char *end = g_strstr_len (data, buffer->len, "\r\n\r\n");
  g_autofree char *head = NULL;
  const char *cl;
  guint64 length = 0;

  if (end == NULL)
    return FALSE;
  head = g_ascii_strdown (data, end - data);
  if (g_str_has_prefix (head, "http/1.1 1") || g_str_has_prefix (head, "http/1.0 1"))
    return FALSE;   /* 100 Continue: the real answer follows */
  if ((cl = strstr (head, "\r\ncontent-length:")) != NULL)
    length = g_ascii_strtoull (cl + 17, NULL, 10);

  return (gsize) (end + 4 - data) + length <= buffer->len;
}

/* Reads until the server closes, or one whole response is in, or
 * @timeout_msec pass. @closed tells whether the server closed. */
GBytes *
okno_test_raw_read (GSocket  *socket,
                    guint     timeout_msec,
                    gboolean *closed)
{
  g_autoptr(GByteArray) buffer = g_byte_array_new ();
  gboolean late = FALSE;
  guint deadline = g_timeout_add (timeout_msec, deadline_cb, &late);
  char chunk[4096];

  *closed = FALSE;
  while (!late)
    {
      g_autoptr(GError) error = NULL;
      gssize n = g_socket_receive (socket, chunk, sizeof chunk, NULL, &error);

      if (n > 0)
        {
          g_byte_array_append (buffer, (guint8 *) chunk, n);
          if (is_complete (buffer))
            break;
        }
      else if (n == 0 || !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        {
          *closed = TRUE;
          break;
        }
      else
        {
          g_autoptr(GSource) source = g_socket_create_source (socket, G_IO_IN | G_IO_ERR | G_IO_HUP, NULL);

          g_source_set_callback (source, wake_cb, NULL, NULL);
          g_source_attach (source, NULL);
          g_main_context_iteration (NULL, TRUE);
          g_source_destroy (source);
        }
    }

  if (!late)
    g_source_remove (deadline);
  return g_byte_array_free_to_bytes (g_steal_pointer (&buffer));
}

/* One request on a fresh connection; the answer, and whether the server
 * closed the connection after it (waiting up to @timeout_msec). */
GBytes *
okno_test_raw_exchange (const char *base_url,
                        const char *data,
                        gsize       length,
                        guint       timeout_msec,
                        gboolean   *closed)
{
  g_autoptr(GSocket) socket = okno_test_raw_connect (base_url);
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GBytes) rest = NULL;

  g_assert_nonnull (socket);
  okno_test_raw_send (socket, data, length);
  answer = okno_test_raw_read (socket, timeout_msec, closed);
  if (!*closed)
    {
      rest = okno_test_raw_read (socket, timeout_msec, closed);
      if (g_bytes_get_size (rest) > 0)
        {
          g_autoptr(GByteArray) all = g_bytes_unref_to_array (g_steal_pointer (&answer));

          g_byte_array_append (all, g_bytes_get_data (rest, NULL), g_bytes_get_size (rest));
          answer = g_byte_array_free_to_bytes (g_steal_pointer (&all));
        }
    }
  g_socket_close (socket, NULL);
  return g_steal_pointer (&answer);
}

guint
okno_test_raw_status (GBytes *response)
{
  gsize length;
  const char *data = g_bytes_get_data (response, &length);

  if (length < 12 || !g_str_has_prefix (data, "HTTP/1."))
    return 0;
  return (guint) g_ascii_strtoull (data + 9, NULL, 10);
}

/* The value of the first @name header of the (last non-1xx) response. */
char *
okno_test_raw_header (GBytes     *response,
                      const char *name)
{
  gsize length;
  const char *data = g_bytes_get_data (response, &length);
  g_autofree char *text = g_strndup (data, length);
  g_autofree char *needle = g_strdup_printf ("\r\n%s:", name);
  g_autofree char *lower_text = g_ascii_strdown (text, -1);
  g_autofree char *lower_needle = g_ascii_strdown (needle, -1);
  const char *end = strstr (lower_text, "\r\n\r\n");
  const char *hit = strstr (lower_text, lower_needle);
  const char *value, *eol;

  if (hit == NULL || (end != NULL && hit > end))
    return NULL;
  value = text + (hit - lower_text) + strlen (needle);
  while (*value == ' ')
    value++;
  eol = strstr (value, "\r\n");
  return g_strndup (value, eol ? (gsize) (eol - value) : strlen (value));
}
