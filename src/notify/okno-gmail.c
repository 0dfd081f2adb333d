/* okno-gmail.c
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "OknoGmail"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <string.h>

#include "okno-email-message.h"
#include "okno-gmail.h"
#include "okno-http-session.h"

/* Sends a finished MIME message with Gmail's users.messages.send
 * (POST {OKNO_GMAIL_URL}/users/me/messages/send, {"raw": base64url}) on
 * the connected Google account. A 401 gets one new token and one more
 * try; Google's errors come back as OKNO_NOTIFY_ERROR in words: 403
 * insufficientPermissions means Okno must be connected again with the
 * email permission; rate limits and 5xx are "again later". */
struct _OknoGmail
{
  GObject            parent_instance;

  OknoTokenProvider *tokens;
  SoupSession       *session;
  char              *base_url;
};

G_DEFINE_FINAL_TYPE (OknoGmail, okno_gmail, G_TYPE_OBJECT)

typedef struct
{
  GBytes  *body;       /* {"raw": …} */
  gboolean refreshed;
  guint    retry_after;
} Send;

static void
send_free (Send *send)
{
  g_bytes_unref (send->body);
  g_free (send);
}

static void get_token (GTask *task);

static const char *
google_reason (JsonObject *reply)
{
  JsonObject *error = reply && json_object_has_member (reply, "error") &&
                      JSON_NODE_HOLDS_OBJECT (json_object_get_member (reply, "error"))
                      ? json_object_get_object_member (reply, "error") : NULL;
  JsonArray *errors = error && json_object_has_member (error, "errors") ? json_object_get_array_member (error, "errors") : NULL;

  if (errors != NULL && json_array_get_length (errors) > 0 &&
      JSON_NODE_HOLDS_OBJECT (json_array_get_element (errors, 0)))
    return json_object_get_string_member_with_default (json_array_get_object_element (errors, 0), "reason", "");
  return "";
}

static void
sent_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Send *send = g_task_get_task_data (task);
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (object), result);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (object), result, &error);
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *reply = NULL;
  const char *reason;
  guint status;

  if (body == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_task_return_error (task, g_steal_pointer (&error));
      else
        g_task_return_new_error (task, OKNO_NOTIFY_ERROR, OKNO_NOTIFY_ERROR_UNAVAILABLE,
                                 _("Gmail cannot be reached: %s"), error->message);
      return;
    }

  status = soup_message_get_status (msg);
  if (json_parser_load_from_data (parser, g_bytes_get_data (body, NULL), g_bytes_get_size (body), NULL) &&
      json_parser_get_root (parser) != NULL && JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    reply = json_node_get_object (json_parser_get_root (parser));
  reason = google_reason (reply);

  if (status == 200 && reply != NULL && json_object_has_member (reply, "id"))
    {
      g_task_return_pointer (task, g_strdup (json_object_get_string_member (reply, "id")), g_free);
      return;
    }
  if (status == 401 && !send->refreshed)
    {
      send->refreshed = TRUE;
      get_token (g_steal_pointer (&task));
      return;
    }

  if (status == 401)
    g_task_return_new_error (task, OKNO_NOTIFY_ERROR, OKNO_NOTIFY_ERROR_UNAUTHORIZED,
                             _("Google does not accept Okno’s sign-in any more: connect the Google account again."));
  else if (status == 403 && g_str_equal (reason, "insufficientPermissions"))
    g_task_return_new_error (task, OKNO_NOTIFY_ERROR, OKNO_NOTIFY_ERROR_NOT_CONFIGURED,
                             _("Okno may not send email from this Google account: connect it again and allow sending email."));
  else if (status == 429 || (status == 403 && strstr (reason, "RateLimitExceeded") != NULL) ||
           (status == 403 && strstr (reason, "rateLimitExceeded") != NULL))
    {
      const char *header = soup_message_headers_get_one (soup_message_get_response_headers (msg), "Retry-After");

      send->retry_after = header ? (guint) g_ascii_strtoull (header, NULL, 10) : 0;
      g_task_return_new_error (task, OKNO_NOTIFY_ERROR, OKNO_NOTIFY_ERROR_RATE_LIMITED,
                               _("Gmail asks Okno to send less for a while."));
    }
  else if (status >= 500)
    g_task_return_new_error (task, OKNO_NOTIFY_ERROR, OKNO_NOTIFY_ERROR_UNAVAILABLE,
                             _("Gmail is not answering properly (HTTP %u); Okno will try again."), status);
  else
    g_task_return_new_error (task, OKNO_NOTIFY_ERROR, OKNO_NOTIFY_ERROR_REJECTED,
                             _("Gmail refused the message (HTTP %u, %s)."), status, reason);
}

static void
token_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  OknoGmail *self = g_task_get_source_object (task);
  Send *send = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *token = okno_token_provider_get_token_finish (OKNO_TOKEN_PROVIDER (object), result, &error);
  g_autofree char *url = NULL;
  g_autofree char *authorization = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  GCancellable *cancellable;

  if (token == NULL)
    {
      if (error == NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_task_return_new_error (task, OKNO_NOTIFY_ERROR, OKNO_NOTIFY_ERROR_NOT_CONFIGURED,
                                 _("No Google account is connected, so Okno cannot send email."));
      else
        g_task_return_new_error (task, OKNO_NOTIFY_ERROR, OKNO_NOTIFY_ERROR_NOT_CONFIGURED,
                                 "%s", error->message);
      return;
    }

  url = g_strconcat (self->base_url, "/users/me/messages/send", NULL);
  msg = soup_message_new (SOUP_METHOD_POST, url);
  if (msg == NULL)
    {
      g_task_return_new_error (task, OKNO_NOTIFY_ERROR, OKNO_NOTIFY_ERROR_NOT_CONFIGURED,
                               _("The OKNO_GMAIL_URL variable is not a web address."));
      return;
    }
  authorization = g_strconcat ("Bearer ", token, NULL);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", authorization);
  soup_message_set_request_body_from_bytes (msg, "application/json", send->body);
  cancellable = g_task_get_cancellable (task);
  soup_session_send_and_read_async (self->session, msg, G_PRIORITY_DEFAULT,
                                    cancellable, sent_cb, g_steal_pointer (&task));
}

static void
get_token (GTask *task)
{
  OknoGmail *self = g_task_get_source_object (task);
  Send *send = g_task_get_task_data (task);

  okno_token_provider_get_token_async (self->tokens, send->refreshed, g_task_get_cancellable (task),
                                       token_cb, task);
}

static void
okno_gmail_dispose (GObject *object)
{
  OknoGmail *self = (OknoGmail *) object;

  g_clear_object (&self->session);
  g_clear_object (&self->tokens);

  G_OBJECT_CLASS (okno_gmail_parent_class)->dispose (object);
}

static void
okno_gmail_finalize (GObject *object)
{
  OknoGmail *self = (OknoGmail *) object;

  g_clear_pointer (&self->base_url, g_free);

  G_OBJECT_CLASS (okno_gmail_parent_class)->finalize (object);
}

static void
okno_gmail_class_init (OknoGmailClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = okno_gmail_dispose;
  object_class->finalize = okno_gmail_finalize;
}

static void
okno_gmail_init (OknoGmail *self)
{
  const char *url = g_getenv ("OKNO_GMAIL_URL");

  self->session = okno_http_session_new ("timeout", 30, NULL);
  self->base_url = g_strdup (url != NULL && url[0] != '\0' ? url : OKNO_GMAIL_DEFAULT_URL);
  while (g_str_has_suffix (self->base_url, "/"))
    self->base_url[strlen (self->base_url) - 1] = '\0';
}

OknoGmail *
okno_gmail_new (OknoTokenProvider *tokens)
{
  OknoGmail *self;

  g_return_val_if_fail (OKNO_IS_TOKEN_PROVIDER (tokens), NULL);

  self = g_object_new (OKNO_TYPE_GMAIL, NULL);
  self->tokens = g_object_ref (tokens);
  return self;
}

/* Sends @mime (okno_email_message_build()) as the connected account. */
void
okno_gmail_send_async (OknoGmail           *self,
                       GBytes              *mime,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *raw = NULL;
  Send *send;
  char *text;

  g_return_if_fail (OKNO_IS_GMAIL (self));
  g_return_if_fail (mime != NULL);

  raw = okno_email_message_to_raw (mime);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "raw");
  json_builder_add_string_value (builder, raw);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  text = json_to_string (root, FALSE);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, okno_gmail_send_async);
  send = g_new0 (Send, 1);
  send->body = g_bytes_new_take (text, strlen (text));
  g_task_set_task_data (task, send, (GDestroyNotify) send_free);
  get_token (g_steal_pointer (&task));
}

/**
 * okno_gmail_send_finish:
 * @retry_after: (out) (optional): seconds Google asked to wait, or 0
 *
 * Returns: (transfer full): Gmail's id of the sent message, or %NULL
 */
char *
okno_gmail_send_finish (OknoGmail     *self,
                        GAsyncResult  *result,
                        guint         *retry_after,
                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  if (retry_after != NULL)
    *retry_after = ((Send *) g_task_get_task_data (G_TASK (result)))->retry_after;
  return g_task_propagate_pointer (G_TASK (result), error);
}
