/* okno-web-server.c
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "OknoWebServer"

#include "config.h"

#include <glib/gi18n.h>
#include <errno.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>

#include "okno-rate-limiter.h"
#include "okno-service-state.h"
#include "okno-text.h"
#include "okno-web-api.h"
#include "okno-web-input.h"
#include "okno-web-page.h"
#include "okno-web-reply.h"
#include "okno-session-type.h"
#include "okno-web-server-private.h"

/* The embedded public server: a SoupServer on the main loop, so bookings
 * are serialized with everything else without locks. It routes requests,
 * refuses oversized bodies before reading them, limits booking attempts per
 * client, puts security headers on every answer, and caches the answers
 * of GET /api/slots until the schedule changes. */
struct _OknoWebServer
{
  GObject             parent_instance;

  OknoBookingService *service;
  SoupServer         *server;
  OknoRateLimiter    *limiter;
  GHashTable         *cache;
  char               *csp;

  guint               port;
  guint               bound_port;
  char               *address;
  char               *trusted_proxy;
  char               *frame_ancestors;
  char               *contact;
  char               *payment_url;
  char               *payment_note;
  char               *owner_name;
  char               *owner_about;
  GListModel         *session_types;
  guint               rate_limit;
  OknoServiceState   *calcom_state;
  OknoWebFormGuard   *form_guard;

  /* Okno accepts connections itself (libsoup 3.2's listener gives up for
   * good on the first EMFILE) and hands them to the SoupServer. */
  GSocket            *listener;
  GSource            *accept_source;
  guint               accept_retry;
  guint               full_check;
  GHashTable         *connections;      /* GSocket set, open or closed */
  GHashTable         *waiting;          /* Waiting set: heads not yet whole */
  guint               max_connections;
  guint               request_timeout;  /* milliseconds */
  gboolean            out_of_fds;
};

G_DEFINE_FINAL_TYPE (OknoWebServer, okno_web_server, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_SERVICE,
  PROP_PORT,
  PROP_ADDRESS,
  PROP_RATE_LIMIT,
  PROP_TRUSTED_PROXY,
  PROP_FRAME_ANCESTORS,
  PROP_CONTACT,
  PROP_PAYMENT_URL,
  PROP_PAYMENT_NOTE,
  PROP_CALCOM_STATE,
  PROP_OWNER_NAME,
  PROP_OWNER_ABOUT,
  PROP_SESSION_TYPES,
  PROP_FORM_GUARD,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

#define CACHE_MAX_ENTRIES 64
#define CACHE_MAX_AGE_USEC (5 * 60 * G_USEC_PER_SEC)
#define LISTEN_BACKLOG 256

/* Connection limits, in README's API section. */
#define MAX_CONNECTIONS         512   /* at most half the descriptor limit */
#define REQUEST_TIMEOUT_MSEC    20000 /* a request's head from the accept; its body from the head */
#define ACCEPT_RETRY_MSEC       250   /* after "too many open files" */
#define FULL_CHECK_MSEC         100   /* while max_connections are open */

static GQuark socket_ref_quark (void);
static GQuark deadline_quark (void);
static G_DEFINE_QUARK (okno-web-server-socket, socket_ref)
static G_DEFINE_QUARK (okno-web-server-deadline, deadline)

typedef struct
{
  GBytes *body;
  char   *etag;
  gint64  expires;
} CacheEntry;

static void
cache_entry_free (CacheEntry *entry)
{
  g_bytes_unref (entry->body);
  g_free (entry->etag);
  g_free (entry);
}

/* Only what CSP allows in a source list: no ';' or ',' to smuggle in
 * directives, no control characters to split headers. */
static gboolean
is_safe_source_list (const char *value)
{
  if (value == NULL || value[0] == '\0')
    return FALSE;

  for (const char *p = value; *p; p++)
    if ((guchar) *p < 0x20 || (guchar) *p >= 0x7f || *p == ';' || *p == ',')
      return FALSE;

  return TRUE;
}

static void
update_csp (OknoWebServer *self)
{
  const char *ancestors = self->frame_ancestors;

  if (!is_safe_source_list (ancestors))
    ancestors = "'self'";

  g_free (self->csp);
  self->csp = g_strdup_printf ("default-src 'none'; style-src 'self'; script-src 'self'; "
                               "img-src 'self' data:; connect-src 'self'; form-action 'self'; "
                               "base-uri 'none'; "
                               "frame-ancestors %s", ancestors);
}

static void
add_security_headers (OknoWebServer     *self,
                      SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  /* Replace: they are set when a request starts, so that libsoup's own
   * error answers carry them too, and again by the handler, since an
   * interim 100 Continue clears the response headers. */
  soup_message_headers_replace (headers, "Content-Security-Policy", self->csp);
  soup_message_headers_replace (headers, "X-Content-Type-Options", "nosniff");
  soup_message_headers_replace (headers, "Referrer-Policy", "no-referrer");
  soup_message_headers_replace (headers, "Cross-Origin-Resource-Policy", "same-origin");

  /* One request per connection. libsoup 3.2 never closes a kept-alive
   * connection that its client ends between two requests (the idle read
   * fails with no one to tell), so keep-alive would cost a descriptor and
   * its memory for every visitor, for good. */
  soup_message_headers_replace (headers, "Connection", "close");
}

/* The address the rate limit counts: the peer, or, when the peer is the
 * trusted reverse proxy, the last address it put in X-Forwarded-For. */
static char *
dup_client_address (OknoWebServer     *self,
                    SoupServerMessage *msg)
{
  const char *peer = soup_server_message_get_remote_host (msg);
  const char *forwarded;

  if (peer == NULL)
    peer = "unknown";

  if (self->trusted_proxy != NULL && g_str_equal (peer, self->trusted_proxy))
    {
      forwarded = soup_message_headers_get_list (soup_server_message_get_request_headers (msg),
                                                 "X-Forwarded-For");
      if (forwarded != NULL)
        {
          const char *last = strrchr (forwarded, ',');
          g_autofree char *client = g_strdup (last ? last + 1 : forwarded);

          g_strstrip (client);
          if (client[0] != '\0' && strlen (client) <= 64)
            return g_steal_pointer (&client);
        }
    }

  return g_strdup (peer);
}

static void
schedule_changed_cb (OknoWebServer *self)
{
  g_hash_table_remove_all (self->cache);
}

/* The socket under a request, through the address object libsoup keeps
 * for its connection (see hand_over()). */
static GSocket *
dup_socket (SoupServerMessage *msg)
{
  GSocketAddress *remote = soup_server_message_get_remote_address (msg);
  GWeakRef *socket_ref = remote ? g_object_get_qdata (G_OBJECT (remote), socket_ref_quark ()) : NULL;

  return socket_ref ? g_weak_ref_get (socket_ref) : NULL;
}

#define LINGER_MAX_BYTES (4 * 1024 * 1024)
#define LINGER_MAX_MSEC  2000

typedef struct
{
  GIOStream    *stream;
  GSocket      *socket;
  GBytes       *reply;
  GCancellable *cancellable;
  guint         timeout;
  gsize         drained;
  char          buffer[16384];
} Refusal;

static void
refusal_free (Refusal *refusal)
{
  g_clear_handle_id (&refusal->timeout, g_source_remove);
  g_io_stream_close_async (refusal->stream, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
  g_object_unref (refusal->stream);
  g_clear_object (&refusal->socket);
  g_object_unref (refusal->cancellable);
  g_bytes_unref (refusal->reply);
  g_free (refusal);
}

static gboolean
refusal_timed_out_cb (gpointer user_data)
{
  Refusal *refusal = user_data;

  refusal->timeout = 0;
  g_cancellable_cancel (refusal->cancellable);
  return G_SOURCE_REMOVE;
}

/* Reads and drops what the client still sends, for a while, so that it
 * gets to read the answer instead of a reset connection. */
static void
refusal_drained_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  Refusal *refusal = user_data;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (object), result, NULL);

  if (n <= 0 || (refusal->drained += n) > LINGER_MAX_BYTES)
    {
      refusal_free (refusal);
      return;
    }

  g_input_stream_read_async (G_INPUT_STREAM (object), refusal->buffer, sizeof refusal->buffer,
                             G_PRIORITY_LOW, refusal->cancellable, refusal_drained_cb, refusal);
}

static void
refusal_written_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  Refusal *refusal = user_data;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (object), result, NULL, NULL))
    {
      refusal_free (refusal);
      return;
    }

  /* The end of the answer: the client stops waiting for more. */
  if (refusal->socket != NULL)
    g_socket_shutdown (refusal->socket, FALSE, TRUE, NULL);

  g_input_stream_read_async (g_io_stream_get_input_stream (refusal->stream),
                             refusal->buffer, sizeof refusal->buffer,
                             G_PRIORITY_LOW, refusal->cancellable, refusal_drained_cb, refusal);
}

/* Writes a refusal on @stream and closes it, after reading for a while
 * what the client still sends. */
static void
refuse_stream (OknoWebServer  *self,
               OknoWebCatalog *catalog,
               GIOStream      *stream,
               GSocket        *socket,
               guint           status,
               const char     *code,
               const char     *message)
{
  g_autofree char *body = okno_web_error_json (catalog, code, message, NULL);
  g_autofree char *head = NULL;
  Refusal *refusal;
  char *data;

  head = g_strdup_printf ("HTTP/1.1 %u %s\r\n"
                          "Content-Type: application/json; charset=utf-8\r\n"
                          "Content-Length: %zu\r\n"
                          "Connection: close\r\n"
                          "Content-Security-Policy: %s\r\n"
                          "X-Content-Type-Options: nosniff\r\n"
                          "Referrer-Policy: no-referrer\r\n"
                          "\r\n",
                          status, soup_status_get_phrase (status), strlen (body), self->csp);
  data = g_strconcat (head, body, NULL);

  refusal = g_new0 (Refusal, 1);
  refusal->reply = g_bytes_new_take (data, strlen (data));
  refusal->cancellable = g_cancellable_new ();
  refusal->timeout = g_timeout_add (LINGER_MAX_MSEC, refusal_timed_out_cb, refusal);
  refusal->socket = socket ? g_object_ref (socket) : NULL;
  refusal->stream = g_object_ref (stream);
  g_output_stream_write_all_async (g_io_stream_get_output_stream (refusal->stream),
                                   g_bytes_get_data (refusal->reply, NULL),
                                   g_bytes_get_size (refusal->reply),
                                   G_PRIORITY_DEFAULT, NULL, refusal_written_cb, refusal);
}

/* libsoup would read the whole body before anyone could answer, so take
 * the connection over: write the refusal ourselves and close it. */
static void
refuse_and_close (OknoWebServer     *self,
                  SoupServerMessage *msg,
                  guint              status,
                  const char        *code,
                  const char        *message)
{
  g_autoptr(GSocket) socket = dup_socket (msg);
  g_autoptr(GIOStream) stream = NULL;
  OknoWebCatalog *catalog = _okno_web_server_get_catalog (self, msg);

  g_object_set_qdata (G_OBJECT (msg), deadline_quark (), NULL);
  stream = soup_server_message_steal_connection (msg);
  refuse_stream (self, catalog, stream, socket, status, code, message);
}

/* Runs once the headers are in, before the body is read: refuse what is
 * too large, or of unknown or malformed size, without reading it. A
 * signal handler rather than an early handler: libsoup calls those only
 * for requests it has not refused itself, and it would still read the
 * body of one it has (a path with "..", say) by the broken length. */
static void
got_headers_cb (SoupServerMessage *msg,
                OknoWebServer     *self)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  SoupEncoding encoding = soup_message_headers_get_encoding (headers);
  goffset length;

  /* Decided from the header's text, not from libsoup's reading of it. */
  if (!okno_web_input_parse_content_length (headers, &length))
    refuse_and_close (self, msg, SOUP_STATUS_BAD_REQUEST, "invalid",
                      N_("The Content-Length header is not a plain number."));
  else if (length > OKNO_WEB_MAX_BODY)
    refuse_and_close (self, msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "too_large",
                      N_("The request is too large."));
  else if (encoding == SOUP_ENCODING_CHUNKED || encoding == SOUP_ENCODING_EOF)
    refuse_and_close (self, msg, SOUP_STATUS_LENGTH_REQUIRED, "length_required",
                      N_("Send the request with a Content-Length."));
  else if (encoding != SOUP_ENCODING_NONE && encoding != SOUP_ENCODING_CONTENT_LENGTH)
    refuse_and_close (self, msg, SOUP_STATUS_BAD_REQUEST, "invalid",
                      N_("The request's length cannot be understood."));
}

static void
refuse_input (OknoWebServer     *self,
              SoupServerMessage *msg,
              const char        *field)
{
  g_autoptr(GHashTable) fields = g_hash_table_new (g_str_hash, g_str_equal);

  g_hash_table_insert (fields, (gpointer) field, (gpointer) OKNO_WEB_INPUT_UNUSABLE);
  okno_web_reply_error (msg, _okno_web_server_get_catalog (self, msg), SOUP_STATUS_BAD_REQUEST,
                        "invalid", N_("Please check the highlighted fields."), fields);
}

static void
handler_cb (SoupServer        *server,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *soup_query,
            gpointer           user_data)
{
  OknoWebServer *self = user_data;
  OknoWebCatalog *catalog = _okno_web_server_get_catalog (self, msg);
  g_autoptr(GHashTable) query = NULL;
  g_autoptr(GHashTable) bad_fields = NULL;
  const char *bad_header;

  add_security_headers (self, msg);

  /* The boundary: libsoup's own query table cuts values at %00, so the
   * query is decoded again, whole, and every used header checked. */
  query = okno_web_input_parse_query (msg, &bad_fields);
  if (!okno_text_is_clean (path, -1) || okno_text_has_controls (path, FALSE))
    {
      okno_web_reply_error (msg, catalog, SOUP_STATUS_NOT_FOUND, "not_found", N_("Nothing is here."), NULL);
      return;
    }
  if (bad_fields != NULL)
    {
      g_autoptr(GList) names = g_list_sort (g_hash_table_get_keys (bad_fields), (GCompareFunc) g_strcmp0);

      refuse_input (self, msg, names->data);
      return;
    }
  if ((bad_header = okno_web_input_check_headers (msg)) != NULL)
    {
      refuse_input (self, msg, bad_header);
      return;
    }

  if (g_str_has_prefix (path, "/api/") || g_str_equal (path, "/api"))
    okno_web_api_handle (self, msg, path, query);
  else if (!okno_web_page_handle (self, msg, path, query))
    okno_web_reply_error (msg, catalog, SOUP_STATUS_NOT_FOUND, "not_found", N_("Nothing is here."), NULL);
}

/* Connections. Each carries one request (see add_security_headers()),
 * whose head has a deadline from the accept (wait_for_head()) and whose
 * body has one from the head, so that a client that says nothing, or
 * sends its head or body a byte at a time, is cut off. At most max_connections are open at once: beyond that, new ones
 * wait in the listen queue until one closes. (GSocket's own timeout does
 * not reach libsoup, which polls through child sources.) */

typedef struct
{
  GWeakRef socket;
  guint    timeout;
} Deadline;

static void
deadline_free (gpointer data)
{
  Deadline *deadline = data;

  g_clear_handle_id (&deadline->timeout, g_source_remove);
  g_weak_ref_clear (&deadline->socket);
  g_free (deadline);
}

static gboolean
deadline_passed_cb (gpointer user_data)
{
  Deadline *deadline = user_data;
  g_autoptr(GSocket) socket = g_weak_ref_get (&deadline->socket);

  deadline->timeout = 0;
  g_debug ("A request took too long to arrive; closing its connection");
  /* Not closed under libsoup's feet: its next read sees the end. */
  if (socket != NULL)
    g_socket_shutdown (socket, TRUE, TRUE, NULL);
  return G_SOURCE_REMOVE;
}

static void
request_read_cb (SoupServerMessage *msg)
{
  g_object_set_qdata (G_OBJECT (msg), deadline_quark (), NULL);
}

/* The first thing that happens to every request, before libsoup parses
 * its head: so even the answers libsoup writes itself (400 for a broken
 * request line, 417, 501, 505) carry the security headers. */
static void
request_started_cb (SoupServer        *server,
                    SoupServerMessage *msg,
                    OknoWebServer     *self)
{
  g_autoptr(GSocket) socket = dup_socket (msg);
  Deadline *deadline;

  add_security_headers (self, msg);
  /* After SoupServer's own handler, which it connected first. */
  g_signal_connect_object (msg, "got-headers", G_CALLBACK (got_headers_cb), self, 0);

  if (socket == NULL)
    return;

  deadline = g_new0 (Deadline, 1);
  g_weak_ref_init (&deadline->socket, socket);
  deadline->timeout = g_timeout_add (self->request_timeout, deadline_passed_cb, deadline);
  g_object_set_qdata_full (G_OBJECT (msg), deadline_quark (), deadline, deadline_free);
  g_signal_connect (msg, "got-body", G_CALLBACK (request_read_cb), NULL);
}

static void start_accepting (OknoWebServer *self);

static void
stop_accepting (OknoWebServer *self)
{
  if (self->accept_source != NULL)
    {
      g_source_destroy (self->accept_source);
      g_clear_pointer (&self->accept_source, g_source_unref);
    }
}

/* Forgets the connections libsoup has closed. (Their objects may outlive
 * the close; the descriptor does not.) */
static void
prune_connections (OknoWebServer *self)
{
  GHashTableIter iter;
  gpointer socket;

  g_hash_table_iter_init (&iter, self->connections);
  while (g_hash_table_iter_next (&iter, &socket, NULL))
    if (g_socket_is_closed (socket))
      g_hash_table_iter_remove (&iter);
}

/* While every place is taken: look for a free one now and then. */
static gboolean
full_check_cb (gpointer user_data)
{
  OknoWebServer *self = user_data;

  prune_connections (self);
  if (g_hash_table_size (self->connections) >= self->max_connections)
    return G_SOURCE_CONTINUE;

  self->full_check = 0;
  start_accepting (self);
  return G_SOURCE_REMOVE;
}

static void
weak_ref_free (gpointer data)
{
  g_weak_ref_clear (data);
  g_free (data);
}

static void
hand_over (OknoWebServer *self,
           GSocket       *socket)
{
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GSocketAddress) local = g_socket_get_local_address (socket, NULL);
  g_autoptr(GSocketAddress) remote = g_socket_get_remote_address (socket, NULL);
  GWeakRef *socket_ref;

  if (local == NULL || remote == NULL)
    {
      g_socket_close (socket, NULL);
      return;
    }

  connection = g_socket_connection_factory_create_connection (socket);

  /* How a request finds its socket again (for its deadline): through the
   * address object libsoup keeps for the connection. */
  socket_ref = g_new0 (GWeakRef, 1);
  g_weak_ref_init (socket_ref, socket);
  g_object_set_qdata_full (G_OBJECT (remote), socket_ref_quark (), socket_ref, weak_ref_free);

  soup_server_accept_iostream (self->server, G_IO_STREAM (connection), local, remote, NULL);
}

/* Before libsoup sees a request, its head is looked at here, as it sits
 * in the socket (peeked, not read): a Content-Length that is not one plain
 * number within the limit, or any Transfer-Encoding, is refused without
 * libsoup (which reads such lengths with strtoull() and leaks the path of
 * a request whose coding it does not know). */
#define MAX_HEAD 16384

typedef struct
{
  OknoWebServer *self;
  GSocket       *socket;
  GSource       *source;
  guint          timeout;
  gssize         seen;
} Waiting;

static void
waiting_free (gpointer data)
{
  Waiting *waiting = data;

  if (waiting->source != NULL)
    {
      g_source_destroy (waiting->source);
      g_source_unref (waiting->source);
    }
  g_clear_handle_id (&waiting->timeout, g_source_remove);
  g_object_unref (waiting->socket);
  g_free (waiting);
}

static gboolean
head_timed_out_cb (gpointer user_data)
{
  Waiting *waiting = user_data;

  waiting->timeout = 0;
  g_debug ("A request head took too long to arrive; closing its connection");
  g_socket_close (waiting->socket, NULL);
  g_hash_table_remove (waiting->self->waiting, waiting);
  return G_SOURCE_REMOVE;
}

static const char *
find_head_end (const char *data,
               gsize       length)
{
  for (gsize i = 0; i + 1 < length; i++)
    if (data[i] == '\n' && (data[i + 1] == '\n' || (data[i + 1] == '\r' && i + 2 < length && data[i + 2] == '\n')))
      return data + i + 1;

  return NULL;
}

static gboolean
head_ready_cb (GSocket      *socket,
               GIOCondition  condition,
               gpointer      user_data)
{
  Waiting *waiting = user_data;
  OknoWebServer *self = waiting->self;
  char buffer[MAX_HEAD];
  gssize n = recv (g_socket_get_fd (socket), buffer, sizeof buffer, MSG_PEEK);
  const char *head_end;
  const char *code = NULL;
  const char *message = NULL;
  guint status = 0;

  if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
    return G_SOURCE_CONTINUE;
  if (n <= 0)
    {
      /* Gone before saying anything. */
      g_socket_close (socket, NULL);
      g_hash_table_remove (self->waiting, waiting);
      return G_SOURCE_REMOVE;
    }

  head_end = find_head_end (buffer, n);
  if (head_end == NULL && n < MAX_HEAD && n > waiting->seen)
    {
      /* More to come. (Readable with nothing new: the client ended its
       * side; libsoup answers what there is.) */
      waiting->seen = n;
      return G_SOURCE_CONTINUE;
    }

  if (head_end == NULL && n == MAX_HEAD)
    {
      status = SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE;
      code = "too_large";
      message = N_("The request is too large.");
    }
  else if (head_end != NULL)
    okno_web_input_check_head (buffer, head_end - buffer, OKNO_WEB_MAX_BODY, &status, &code, &message);

  g_object_ref (socket);
  g_hash_table_remove (self->waiting, waiting);

  if (status != 0)
    {
      g_autoptr(GSocketConnection) connection = g_socket_connection_factory_create_connection (socket);

      refuse_stream (self, okno_web_catalog_get (okno_web_catalog_negotiate (NULL)), G_IO_STREAM (connection),
                     socket, status, code, message);
    }
  else
    hand_over (self, socket);

  g_object_unref (socket);
  return G_SOURCE_REMOVE;
}

static void
wait_for_head (OknoWebServer *self,
               GSocket       *socket)
{
  Waiting *waiting = g_new0 (Waiting, 1);

  g_hash_table_add (self->connections, g_object_ref (socket));

  waiting->self = self;
  waiting->socket = g_object_ref (socket);
  waiting->timeout = g_timeout_add (self->request_timeout, head_timed_out_cb, waiting);
  waiting->source = g_socket_create_source (socket, G_IO_IN, NULL);
  g_source_set_callback (waiting->source, G_SOURCE_FUNC (head_ready_cb), waiting, NULL);
  g_source_attach (waiting->source, g_main_context_get_thread_default ());
  g_hash_table_add (self->waiting, waiting);
}

static gboolean
accept_retry_cb (gpointer user_data)
{
  OknoWebServer *self = user_data;

  self->accept_retry = 0;
  start_accepting (self);
  return G_SOURCE_REMOVE;
}

static gboolean
accept_ready_cb (GSocket      *listener,
                 GIOCondition  condition,
                 gpointer      user_data)
{
  OknoWebServer *self = user_data;

  /* A few at a time, so that a burst does not starve the main loop. */
  for (guint i = 0; i < 16; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GSocket) socket = NULL;

      if (g_hash_table_size (self->connections) >= self->max_connections)
        prune_connections (self);
      if (g_hash_table_size (self->connections) >= self->max_connections)
        {
          g_debug ("%u connections open; new ones wait", self->max_connections);
          stop_accepting (self);
          self->full_check = g_timeout_add (FULL_CHECK_MSEC, full_check_cb, self);
          return G_SOURCE_REMOVE;
        }

      socket = g_socket_accept (listener, NULL, &error);
      if (socket == NULL)
        {
          if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
            return G_SOURCE_CONTINUE;

          if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TOO_MANY_OPEN_FILES) ||
              g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE))
            {
              /* Once per episode, not once per attempt. */
              if (!self->out_of_fds)
                g_message ("Cannot accept a connection: %s; trying again as descriptors free up",
                           error->message);
              self->out_of_fds = TRUE;
              stop_accepting (self);
              self->accept_retry = g_timeout_add (ACCEPT_RETRY_MSEC, accept_retry_cb, self);
              return G_SOURCE_REMOVE;
            }

          /* A client that gave up before we got to it, and the like. */
          g_debug ("Accepting a connection failed: %s", error->message);
          continue;
        }

      if (self->out_of_fds)
        g_message ("Accepting connections again");
      self->out_of_fds = FALSE;
      wait_for_head (self, socket);
    }

  return G_SOURCE_CONTINUE;
}

static void
start_accepting (OknoWebServer *self)
{
  if (self->accept_source != NULL || self->accept_retry != 0 || self->full_check != 0 ||
      self->listener == NULL)
    return;

  self->accept_source = g_socket_create_source (self->listener, G_IO_IN, NULL);
  g_source_set_callback (self->accept_source, G_SOURCE_FUNC (accept_ready_cb), self, NULL);
  g_source_attach (self->accept_source, g_main_context_get_thread_default ());
}

/* Both programs: a busy day must not meet the default soft limit of 1,024
 * descriptors when the hard limit allows more. Returns the soft limit. */
static guint
raise_descriptor_limit (void)
{
  struct rlimit limit;

  if (getrlimit (RLIMIT_NOFILE, &limit) != 0)
    return 1024;

  if (limit.rlim_cur < limit.rlim_max)
    {
      rlim_t wanted = limit.rlim_max;

      limit.rlim_cur = wanted;
      if (setrlimit (RLIMIT_NOFILE, &limit) != 0)
        g_debug ("Cannot raise the descriptor limit: %s", g_strerror (errno));
      getrlimit (RLIMIT_NOFILE, &limit);
    }

  return limit.rlim_cur > G_MAXUINT ? G_MAXUINT : (guint) limit.rlim_cur;
}

static void
okno_web_server_constructed (GObject *object)
{
  OknoWebServer *self = (OknoWebServer *) object;

  G_OBJECT_CLASS (okno_web_server_parent_class)->constructed (object);

  g_signal_connect_object (okno_booking_service_get_schedule (self->service), "changed",
                           G_CALLBACK (schedule_changed_cb), self, G_CONNECT_SWAPPED);
}

static void
okno_web_server_dispose (GObject *object)
{
  OknoWebServer *self = (OknoWebServer *) object;

  okno_web_server_stop (self);
  g_clear_object (&self->service);

  G_OBJECT_CLASS (okno_web_server_parent_class)->dispose (object);
}

static void
okno_web_server_finalize (GObject *object)
{
  OknoWebServer *self = (OknoWebServer *) object;

  g_clear_object (&self->limiter);
  g_clear_pointer (&self->cache, g_hash_table_unref);
  g_clear_pointer (&self->connections, g_hash_table_unref);
  g_clear_pointer (&self->waiting, g_hash_table_unref);
  g_clear_pointer (&self->csp, g_free);
  g_clear_pointer (&self->address, g_free);
  g_clear_pointer (&self->trusted_proxy, g_free);
  g_clear_pointer (&self->frame_ancestors, g_free);
  g_clear_pointer (&self->contact, g_free);
  g_clear_pointer (&self->payment_url, g_free);
  g_clear_pointer (&self->payment_note, g_free);
  g_clear_object (&self->calcom_state);
  g_clear_pointer (&self->owner_name, g_free);
  g_clear_pointer (&self->owner_about, g_free);
  g_clear_object (&self->session_types);
  g_clear_object (&self->form_guard);

  G_OBJECT_CLASS (okno_web_server_parent_class)->finalize (object);
}

static void
okno_web_server_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  OknoWebServer *self = OKNO_WEB_SERVER (object);

  switch (prop_id)
    {
    case PROP_SERVICE:
      g_value_set_object (value, self->service);
      break;
    case PROP_PORT:
      g_value_set_uint (value, self->port);
      break;
    case PROP_ADDRESS:
      g_value_set_string (value, self->address);
      break;
    case PROP_RATE_LIMIT:
      g_value_set_uint (value, self->rate_limit);
      break;
    case PROP_TRUSTED_PROXY:
      g_value_set_string (value, self->trusted_proxy);
      break;
    case PROP_FRAME_ANCESTORS:
      g_value_set_string (value, self->frame_ancestors);
      break;
    case PROP_CONTACT:
      g_value_set_string (value, self->contact);
      break;
    case PROP_PAYMENT_URL:
      g_value_set_string (value, self->payment_url);
      break;
    case PROP_PAYMENT_NOTE:
      g_value_set_string (value, self->payment_note);
      break;
    case PROP_CALCOM_STATE:
      g_value_set_object (value, self->calcom_state);
      break;
    case PROP_OWNER_NAME:
      g_value_set_string (value, self->owner_name);
      break;
    case PROP_OWNER_ABOUT:
      g_value_set_string (value, self->owner_about);
      break;
    case PROP_SESSION_TYPES:
      g_value_set_object (value, self->session_types);
      break;
    case PROP_FORM_GUARD:
      g_value_set_object (value, self->form_guard);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
set_string (OknoWebServer  *self,
            char          **field,
            const GValue   *value,
            GParamSpec     *pspec)
{
  const char *text = g_value_get_string (value);

  if (text != NULL && text[0] == '\0')
    text = NULL;
  if (g_strcmp0 (*field, text) == 0)
    return;

  g_free (*field);
  *field = g_strdup (text);
  g_object_notify_by_pspec (G_OBJECT (self), pspec);
}

static void
okno_web_server_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  OknoWebServer *self = OKNO_WEB_SERVER (object);

  switch (prop_id)
    {
    case PROP_SERVICE:
      self->service = g_value_dup_object (value);
      break;
    case PROP_PORT:
      if (self->port != g_value_get_uint (value))
        {
          self->port = g_value_get_uint (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    case PROP_ADDRESS:
      set_string (self, &self->address, value, pspec);
      break;
    case PROP_RATE_LIMIT:
      if (self->rate_limit != g_value_get_uint (value))
        {
          self->rate_limit = g_value_get_uint (value);
          okno_rate_limiter_set_per_minute (self->limiter, self->rate_limit);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    case PROP_TRUSTED_PROXY:
      set_string (self, &self->trusted_proxy, value, pspec);
      break;
    case PROP_FRAME_ANCESTORS:
      set_string (self, &self->frame_ancestors, value, pspec);
      update_csp (self);
      break;
    case PROP_CONTACT:
      set_string (self, &self->contact, value, pspec);
      break;
    case PROP_PAYMENT_URL:
      set_string (self, &self->payment_url, value, pspec);
      break;
    case PROP_PAYMENT_NOTE:
      set_string (self, &self->payment_note, value, pspec);
      break;
    case PROP_CALCOM_STATE:
      {
        OknoServiceState *state = g_value_get_object (value);

        if (state == NULL)
          state = okno_service_state_new ("unconfigured");
        else
          g_object_ref (state);
        if (state != self->calcom_state)
          {
            g_clear_object (&self->calcom_state);
            self->calcom_state = state;
            g_object_notify_by_pspec (object, pspec);
          }
        else
          g_object_unref (state);
      }
      break;
    case PROP_OWNER_NAME:
      set_string (self, &self->owner_name, value, pspec);
      break;
    case PROP_OWNER_ABOUT:
      set_string (self, &self->owner_about, value, pspec);
      break;
    case PROP_SESSION_TYPES:
      if (g_set_object (&self->session_types, g_value_get_object (value)))
        g_object_notify_by_pspec (object, pspec);
      break;
    case PROP_FORM_GUARD:
      {
        g_autoptr(OknoWebFormGuard) guard = g_value_dup_object (value);

        /* Never without one: a server without a data folder signs with a
         * key of its own process. */
        if (guard == NULL)
          guard = okno_web_form_guard_new (NULL, NULL);
        if (g_set_object (&self->form_guard, guard))
          g_object_notify_by_pspec (object, pspec);
      }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
okno_web_server_class_init (OknoWebServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = okno_web_server_constructed;
  object_class->dispose = okno_web_server_dispose;
  object_class->finalize = okno_web_server_finalize;
  object_class->get_property = okno_web_server_get_property;
  object_class->set_property = okno_web_server_set_property;

  properties [PROP_SERVICE] =
    g_param_spec_object ("service", NULL, NULL,
                         OKNO_TYPE_BOOKING_SERVICE,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  properties [PROP_PORT] =
    g_param_spec_uint ("port", NULL, NULL,
                       0, 65535, 8421,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties [PROP_ADDRESS] =
    g_param_spec_string ("address", NULL, NULL,
                         "127.0.0.1",
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties [PROP_RATE_LIMIT] =
    g_param_spec_uint ("rate-limit", NULL, NULL,
                       0, G_MAXUINT, 10,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties [PROP_TRUSTED_PROXY] =
    g_param_spec_string ("trusted-proxy", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties [PROP_FRAME_ANCESTORS] =
    g_param_spec_string ("frame-ancestors", NULL, NULL,
                         "'self'",
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * OknoWebServer:contact:
   *
   * How clients reach Olga when the page cannot help; shown in its footer.
   */
  properties [PROP_CONTACT] =
    g_param_spec_string ("contact", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * OknoWebServer:payment-url:
   *
   * Where the confirmation's *Pay for the session* button leads: a link
   * template with {booking}, {date} and {name}; empty for no button.
   */
  properties [PROP_PAYMENT_URL] =
    g_param_spec_string ("payment-url", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  /* The line shown with the payment button. */
  properties [PROP_PAYMENT_NOTE] =
    g_param_spec_string ("payment-note", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * OknoWebServer:calcom-state:
   *
   * What GET /api/status reports about Cal.com. The Cal.com monitor (in
   * notify) keeps it; without one it stays `unconfigured`.
   */
  properties [PROP_CALCOM_STATE] =
    g_param_spec_object ("calcom-state", NULL, NULL,
                         OKNO_TYPE_SERVICE_STATE,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * OknoWebServer:owner-name:
   *
   * Whose page it is: Olga's name, at the top of every page.
   */
  properties [PROP_OWNER_NAME] =
    g_param_spec_string ("owner-name", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * OknoWebServer:owner-about:
   *
   * A short line about her, under her name.
   */
  properties [PROP_OWNER_ABOUT] =
    g_param_spec_string ("owner-about", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * OknoWebServer:session-types:
   *
   * Olga's session types (#OknoSessionType), whose descriptions and
   * format/place lines the page shows by each slot of that type.
   */
  properties [PROP_SESSION_TYPES] =
    g_param_spec_object ("session-types", NULL, NULL,
                         G_TYPE_LIST_MODEL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * OknoWebServer:form-guard:
   *
   * The honeypot and signed timestamp of the page's booking forms
   * (okno-web-form-guard.h); the profile gives it the data folder's key.
   */
  properties [PROP_FORM_GUARD] =
    g_param_spec_object ("form-guard", NULL, NULL,
                         OKNO_TYPE_WEB_FORM_GUARD,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
okno_web_server_init (OknoWebServer *self)
{
  self->port = 8421;
  self->address = g_strdup ("127.0.0.1");
  self->frame_ancestors = g_strdup ("'self'");
  self->rate_limit = 10;
  self->calcom_state = okno_service_state_new ("unconfigured");
  self->form_guard = okno_web_form_guard_new (NULL, NULL);
  self->limiter = okno_rate_limiter_new (self->rate_limit);
  self->cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                       (GDestroyNotify) cache_entry_free);
  self->connections = g_hash_table_new_full (NULL, NULL, g_object_unref, NULL);
  self->waiting = g_hash_table_new_full (NULL, NULL, waiting_free, NULL);
  self->max_connections = MAX_CONNECTIONS;
  self->request_timeout = REQUEST_TIMEOUT_MSEC;
  update_csp (self);
}

OknoWebServer *
okno_web_server_new (OknoBookingService *service)
{
  g_return_val_if_fail (OKNO_IS_BOOKING_SERVICE (service), NULL);

  return g_object_new (OKNO_TYPE_WEB_SERVER, "service", service, NULL);
}

/* Our own socket, so that bursts of new connections find a longer listen
 * queue than SoupServer's default. */
static GSocket *
listen_socket (OknoWebServer  *self,
               GError        **error)
{
  g_autoptr(GInetAddress) inet = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GError) local_error = NULL;

  inet = g_inet_address_new_from_string (self->address ? self->address : "127.0.0.1");
  if (inet == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("“%s” is not an IP address to listen on"), self->address);
      return NULL;
    }

  address = g_inet_socket_address_new (inet, self->port);
  socket = g_socket_new (g_inet_address_get_family (inet), G_SOCKET_TYPE_STREAM,
                         G_SOCKET_PROTOCOL_TCP, error);
  if (socket == NULL)
    return NULL;

  g_socket_set_listen_backlog (socket, LISTEN_BACKLOG);
  g_socket_set_blocking (socket, FALSE);
  if (!g_socket_bind (socket, address, TRUE, &local_error) ||
      !g_socket_listen (socket, &local_error))
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_ADDRESS_IN_USE))
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_ADDRESS_IN_USE,
                     _("Port %u is in use by another program"), self->port);
      else
        g_set_error (error, local_error->domain, local_error->code,
                     _("Cannot listen on %s port %u: %s"), self->address, self->port,
                     local_error->message);
      return NULL;
    }

  return g_steal_pointer (&socket);
}

gboolean
okno_web_server_start (OknoWebServer  *self,
                       GError        **error)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GSocketAddress) local = NULL;
  g_autoptr(SoupServer) server = NULL;

  g_return_val_if_fail (OKNO_IS_WEB_SERVER (self), FALSE);
  g_return_val_if_fail (self->server == NULL, FALSE);

  if (!(socket = listen_socket (self, error)))
    return FALSE;

  server = soup_server_new ("server-header", "Okno", NULL);
  soup_server_add_handler (server, NULL, handler_cb, self, NULL);
  g_signal_connect_object (server, "request-started", G_CALLBACK (request_started_cb), self, 0);


  self->max_connections = MIN (self->max_connections, MAX (raise_descriptor_limit () / 2, 4));


  local = g_socket_get_local_address (socket, NULL);
  self->bound_port = local ? g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (local)) : self->port;
  self->server = g_steal_pointer (&server);
  self->listener = g_steal_pointer (&socket);
  start_accepting (self);

  g_debug ("Listening on %s port %u", self->address, self->bound_port);
  return TRUE;
}

void
okno_web_server_stop (OknoWebServer *self)
{
  g_return_if_fail (OKNO_IS_WEB_SERVER (self));

  if (self->server == NULL)
    return;

  stop_accepting (self);
  g_clear_handle_id (&self->accept_retry, g_source_remove);
  g_socket_close (self->listener, NULL);
  g_clear_object (&self->listener);
  g_clear_handle_id (&self->full_check, g_source_remove);
  g_hash_table_remove_all (self->waiting);
  g_hash_table_remove_all (self->connections);

  soup_server_disconnect (self->server);
  g_clear_object (&self->server);
  self->bound_port = 0;
}

gboolean
okno_web_server_is_running (OknoWebServer *self)
{
  g_return_val_if_fail (OKNO_IS_WEB_SERVER (self), FALSE);
  return self->server != NULL;
}

/* The port actually listened on (useful with port 0), or 0. */
guint
okno_web_server_get_port (OknoWebServer *self)
{
  g_return_val_if_fail (OKNO_IS_WEB_SERVER (self), 0);
  return self->bound_port;
}

char *
okno_web_server_dup_url (OknoWebServer *self)
{
  const char *host;

  g_return_val_if_fail (OKNO_IS_WEB_SERVER (self), NULL);

  if (self->server == NULL)
    return NULL;

  host = self->address;
  if (g_strcmp0 (host, "0.0.0.0") == 0 || g_strcmp0 (host, "::") == 0)
    host = "127.0.0.1";

  if (strchr (host, ':') != NULL)
    return g_strdup_printf ("http://[%s]:%u/", host, self->bound_port);
  return g_strdup_printf ("http://%s:%u/", host, self->bound_port);
}

const char *
_okno_web_server_get_contact (OknoWebServer *self)
{
  return self->contact;
}

const char *
_okno_web_server_get_payment_url (OknoWebServer *self)
{
  return self->payment_url;
}

const char *
_okno_web_server_get_payment_note (OknoWebServer *self)
{
  return self->payment_note;
}

const char *
_okno_web_server_get_owner_name (OknoWebServer *self)
{
  return self->owner_name;
}

const char *
_okno_web_server_get_owner_about (OknoWebServer *self)
{
  return self->owner_about;
}

/* The description and the format/place line Olga gave the session type
 * that @type_text (a slot's session type) names; %NULL where she gave none. */
void
_okno_web_server_describe_session_type (OknoWebServer  *self,
                                        const char     *type_text,
                                        char          **description,
                                        char          **place)
{
  OknoSessionType *type = NULL;

  *description = NULL;
  *place = NULL;
  if (self->session_types != NULL && type_text != NULL)
    type = okno_session_types_find_for_title (self->session_types, type_text);
  if (type == NULL)
    return;

  if (okno_session_type_get_description (type) != NULL && okno_session_type_get_description (type)[0] != '\0')
    *description = g_strdup (okno_session_type_get_description (type));
  if (okno_session_type_get_place (type) != NULL && okno_session_type_get_place (type)[0] != '\0')
    *place = g_strdup (okno_session_type_get_place (type));
}

OknoBookingService *
_okno_web_server_get_service (OknoWebServer *self)
{
  return self->service;
}

/* Counts one booking or cancel attempt of the client's. */
gboolean
_okno_web_server_take_attempt (OknoWebServer     *self,
                               SoupServerMessage *msg,
                               guint             *retry_after)
{
  g_autofree char *client = dup_client_address (self, msg);

  return okno_rate_limiter_take (self->limiter, client, g_get_monotonic_time (), retry_after);
}

/* The same, answering the JSON 429 itself when over the limit. */
gboolean
_okno_web_server_check_rate (OknoWebServer     *self,
                             SoupServerMessage *msg)
{
  g_autofree char *retry_text = NULL;
  OknoWebCatalog *catalog = _okno_web_server_get_catalog (self, msg);
  guint retry_after = 0;

  if (_okno_web_server_take_attempt (self, msg, &retry_after))
    return TRUE;

  retry_text = g_strdup_printf ("%u", retry_after);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Retry-After", retry_text);
  okno_web_reply_error (msg, catalog, 429 /* Too Many Requests, not named by libsoup 3.2 */, "rate_limited",
                        N_("Too many attempts. Please wait a minute and try again."), NULL);
  return FALSE;
}

/* Where links in answers point: the address the client used, or what the
 * trusted proxy says it used. */
char *
_okno_web_server_dup_base_url (OknoWebServer     *self,
                               SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *peer = soup_server_message_get_remote_host (msg);
  const char *scheme = "http";
  const char *host = soup_message_headers_get_one (headers, "Host");

  if (self->trusted_proxy != NULL && g_strcmp0 (peer, self->trusted_proxy) == 0)
    {
      const char *proto = soup_message_headers_get_one (headers, "X-Forwarded-Proto");
      const char *fhost = soup_message_headers_get_one (headers, "X-Forwarded-Host");

      if (g_strcmp0 (proto, "https") == 0)
        scheme = "https";
      if (fhost != NULL)
        host = fhost;
    }

  /* A Host header is the client's own word; still keep it to what a host
   * can be, so nothing odd lands in a link. */
  if (host != NULL)
    for (const char *p = host; *p; p++)
      if (!g_ascii_isalnum (*p) && !strchr (".-:[]_", *p))
        {
          host = NULL;
          break;
        }

  if (host == NULL || host[0] == '\0')
    {
      g_autofree char *url = okno_web_server_dup_url (self);
      if (url != NULL)
        url[strlen (url) - 1] = '\0';
      return g_steal_pointer (&url);
    }

  return g_strdup_printf ("%s://%s", scheme, host);
}

GBytes *
_okno_web_server_lookup_cached (OknoWebServer  *self,
                                const char     *key,
                                const char    **etag)
{
  CacheEntry *entry = g_hash_table_lookup (self->cache, key);

  if (entry == NULL)
    return NULL;

  if (g_get_real_time () >= entry->expires)
    {
      g_hash_table_remove (self->cache, key);
      return NULL;
    }

  *etag = entry->etag;
  return entry->body;
}

void
_okno_web_server_store_cached (OknoWebServer *self,
                               const char    *key,
                               GBytes        *body,
                               GDateTime     *expires)
{
  CacheEntry *entry = g_new0 (CacheEntry, 1);
  gint64 max = g_get_real_time () + CACHE_MAX_AGE_USEC;

  if (g_hash_table_size (self->cache) >= CACHE_MAX_ENTRIES)
    g_hash_table_remove_all (self->cache);

  entry->body = g_bytes_ref (body);
  entry->etag = okno_web_etag_for_bytes (body);
  entry->expires = expires ? MIN (g_date_time_to_unix (expires) * G_USEC_PER_SEC, max) : max;
  g_hash_table_replace (self->cache, g_strdup (key), entry);
}

/* The visitor's language: ?lang= if given, else Accept-Language. */
OknoWebCatalog *
_okno_web_server_get_catalog (OknoWebServer     *self,
                              SoupServerMessage *msg)
{
  GUri *uri = soup_server_message_get_uri (msg);
  const char *query = g_uri_get_query (uri);

  if (query != NULL)
    {
      g_autoptr(GHashTable) params = g_uri_parse_params (query, -1, "&", G_URI_PARAMS_NONE, NULL);
      const char *lang = params ? g_hash_table_lookup (params, "lang") : NULL;

      if (lang != NULL)
        return okno_web_catalog_get (lang);
    }

  return okno_web_catalog_get (okno_web_catalog_negotiate (
    soup_message_headers_get_one (soup_server_message_get_request_headers (msg), "Accept-Language")));
}

OknoServiceState *
_okno_web_server_get_calcom_state (OknoWebServer *self)
{
  g_return_val_if_fail (OKNO_IS_WEB_SERVER (self), NULL);
  return self->calcom_state;
}

/* The guard of the page's booking forms: never %NULL. */
OknoWebFormGuard *
_okno_web_server_get_form_guard (OknoWebServer *self)
{
  g_return_val_if_fail (OKNO_IS_WEB_SERVER (self), NULL);
  return self->form_guard;
}

/* Whether @origin (a request's Origin header) is one of the origins the
 * frame-ancestors setting names: her website may read what it embeds.
 * Keywords ('self', 'none') and wildcards never match. */
gboolean
_okno_web_server_allows_origin (OknoWebServer *self,
                                const char    *origin)
{
  g_auto(GStrv) sources = NULL;

  g_return_val_if_fail (OKNO_IS_WEB_SERVER (self), FALSE);

  if (origin == NULL || origin[0] == '\0' || !is_safe_source_list (self->frame_ancestors))
    return FALSE;
  if (strchr (origin, ' ') != NULL || strchr (origin, '*') != NULL ||
      !(g_str_has_prefix (origin, "https://") || g_str_has_prefix (origin, "http://")))
    return FALSE;

  sources = g_strsplit (self->frame_ancestors, " ", -1);
  for (guint i = 0; sources[i] != NULL; i++)
    {
      g_autofree char *source = g_strdup (sources[i]);
      gsize length = strlen (source);

      if (length > 0 && source[length - 1] == '/')
        source[length - 1] = '\0';
      if (strchr (source, '*') == NULL && g_ascii_strcasecmp (source, origin) == 0)
        return TRUE;
    }

  return FALSE;
}

/* For tests: smaller limits than the built-in ones. */
void
_okno_web_server_set_limits (OknoWebServer *self,
                             guint          max_connections,
                             guint          request_timeout_msec)
{
  self->max_connections = max_connections;
  self->request_timeout = request_timeout_msec;
}

guint
_okno_web_server_get_n_connections (OknoWebServer *self)
{
  prune_connections (self);
  return g_hash_table_size (self->connections);
}
