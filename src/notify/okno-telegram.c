/* okno-telegram.c
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "OknoTelegram"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <string.h>

#include "okno-http-session.h"
#include "okno-move-text.h"
#include "okno-reminder-text.h"
#include "okno-telegram.h"
#include "okno-waitlist.h"

/* Olga's Telegram channel: the Bot API's sendMessage to her chat, with
 * parse_mode=HTML. Everything a client typed goes through
 * okno_telegram_escape() (not g_markup_escape_text(), whose &apos; Telegram
 * shows as typed). A message Telegram cannot parse is sent once more as
 * plain text rather than lost. Errors come back as OKNO_NOTIFY_ERROR in
 * plain words with what to do; 429 carries Telegram's retry_after. The
 * token is part of every URL, so URLs are never logged. */
struct _OknoTelegram
{
  GObject      parent_instance;

  SoupSession *session;
  char        *base_url;
  char        *token;
  char        *chat_id;
  guint        timeout_seconds;
  GHashTable  *delivered;    /* keys sent in this run */
};

G_DEFINE_FINAL_TYPE (OknoTelegram, okno_telegram, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_BASE_URL,
  PROP_CHAT_ID,
  PROP_TIMEOUT_SECONDS,
  PROP_HAS_TOKEN,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

typedef struct
{
  char   *html;
  gboolean as_plain;
  guint   retry_after;
  gint64  message_id;
} Send;

static void
send_free (Send *send)
{
  g_free (send->html);
  g_free (send);
}

static void post_message (GTask *task);

/* ---------------------------------------------------------------- helpers */

static void
set_error_from_reply (GError     **error,
                      OknoTelegram *self,
                      guint        status,
                      JsonObject  *reply,
                      Send        *send,
                      SoupMessage *msg)
{
  const char *description = reply ? json_object_get_string_member_with_default (reply, "description", "") : "";
  JsonObject *parameters = reply && json_object_has_member (reply, "parameters") &&
                           JSON_NODE_HOLDS_OBJECT (json_object_get_member (reply, "parameters"))
                           ? json_object_get_object_member (reply, "parameters") : NULL;

  if (status == 401)
    g_set_error (error, OKNO_NOTIFY_ERROR, OKNO_NOTIFY_ERROR_UNAUTHORIZED,
                 _("Telegram does not accept the bot token. Copy it again from @BotFather and save it in Okno."));
  else if (status == 429)
    {
      const char *header = soup_message_headers_get_one (soup_message_get_response_headers (msg), "Retry-After");
      gint64 seconds = parameters ? json_object_get_int_member_with_default (parameters, "retry_after", 0) : 0;

      if (seconds <= 0 && header != NULL)
        seconds = g_ascii_strtoll (header, NULL, 10);
      send->retry_after = (guint) CLAMP (seconds, 1, 24 * 3600);
      g_set_error (error, OKNO_NOTIFY_ERROR, OKNO_NOTIFY_ERROR_RATE_LIMITED,
                   /* Translators: %u is a number of seconds */
                   _("Telegram asks Okno to wait %u s before the next message."), send->retry_after);
    }
  else if (status >= 500 || reply == NULL)
    g_set_error (error, OKNO_NOTIFY_ERROR, OKNO_NOTIFY_ERROR_UNAVAILABLE,
                 /* Translators: %u is an HTTP status code such as 502 */
                 _("Telegram is not answering properly (HTTP %u); Okno will try again."), status);
  else if (parameters != NULL && json_object_has_member (parameters, "migrate_to_chat_id"))
    {
      g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT,
                                             json_object_get_int_member (parameters, "migrate_to_chat_id"));
      g_set_error (error, OKNO_NOTIFY_ERROR, OKNO_NOTIFY_ERROR_MIGRATED,
                   _("The Telegram group became a supergroup with the chat id %s: save that as the chat id."), id);
    }
  else if (status == 400 && strstr (description, "chat not found") != NULL)
    g_set_error (error, OKNO_NOTIFY_ERROR, OKNO_NOTIFY_ERROR_CHAT_NOT_FOUND,
                 _("Telegram does not know the chat %s. Open your bot in Telegram, press Start, "
                   "and check the chat id."), self->chat_id);
  else if (status == 403 && strstr (description, "initiate") != NULL)
    g_set_error (error, OKNO_NOTIFY_ERROR, OKNO_NOTIFY_ERROR_NOT_STARTED,
                 _("The bot may not write first: open your bot in Telegram and press Start."));
  else if (status == 403)
    g_set_error (error, OKNO_NOTIFY_ERROR, OKNO_NOTIFY_ERROR_BLOCKED,
                 _("The bot is blocked in Telegram: unblock it in the chat with the bot."));
  else
    g_set_error (error, OKNO_NOTIFY_ERROR, OKNO_NOTIFY_ERROR_REJECTED,
                 _("Telegram refused the message: %s"), description);
}

static void
posted_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  OknoTelegram *self = g_task_get_source_object (task);
  Send *send = g_task_get_task_data (task);
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (object), result);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *reply = NULL;
  guint status;

  body = soup_session_send_and_read_finish (SOUP_SESSION (object), result, &error);
  if (body == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_task_return_error (task, g_steal_pointer (&error));
      else
        g_task_return_new_error (task, OKNO_NOTIFY_ERROR, OKNO_NOTIFY_ERROR_UNAVAILABLE,
                                 _("Telegram cannot be reached: %s"), error->message);
      return;
    }

  status = soup_message_get_status (msg);
  if (json_parser_load_from_data (parser, g_bytes_get_data (body, NULL), g_bytes_get_size (body), NULL) &&
      json_parser_get_root (parser) != NULL && JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    reply = json_node_get_object (json_parser_get_root (parser));

  if (status == 200 && reply != NULL && json_object_get_boolean_member_with_default (reply, "ok", FALSE))
    {
      JsonObject *message = json_object_get_object_member (reply, "result");

      send->message_id = message ? json_object_get_int_member_with_default (message, "message_id", 0) : 0;
      g_task_return_boolean (task, TRUE);
      return;
    }

  /* Our own HTML that Telegram cannot parse: better the words than nothing. */
  if (status == 400 && reply != NULL && !send->as_plain &&
      strstr (json_object_get_string_member_with_default (reply, "description", ""),
              "can't parse entities") != NULL)
    {
      g_message ("Telegram could not parse a message (%s); sending it as plain text",
                 json_object_get_string_member_with_default (reply, "description", ""));
      send->as_plain = TRUE;
      post_message (g_steal_pointer (&task));
      return;
    }

  set_error_from_reply (&error, self, status, reply, send, msg);
  g_task_return_error (task, g_steal_pointer (&error));
}

static void
post_message (GTask *task)
{
  OknoTelegram *self = g_task_get_source_object (task);
  Send *send = g_task_get_task_data (task);
  g_autofree char *url = g_strdup_printf ("%s/bot%s/sendMessage", self->base_url, self->token);
  g_autoptr(SoupMessage) msg = soup_message_new (SOUP_METHOD_POST, url);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autofree char *plain = NULL;
  char *text;
  char *end = NULL;
  gint64 numeric = g_ascii_strtoll (self->chat_id, &end, 10);

  if (msg == NULL)
    {
      g_task_return_new_error (task, OKNO_NOTIFY_ERROR, OKNO_NOTIFY_ERROR_NOT_CONFIGURED,
                               _("The OKNO_TELEGRAM_API_URL variable or the bot token does not make a web address."));
      g_object_unref (task);
      return;
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "chat_id");
  if (end != NULL && *end == '\0' && end != self->chat_id)
    json_builder_add_int_value (builder, numeric);
  else
    json_builder_add_string_value (builder, self->chat_id);
  json_builder_set_member_name (builder, "text");
  if (send->as_plain)
    json_builder_add_string_value (builder, (plain = okno_telegram_html_to_plain (send->html)));
  else
    {
      json_builder_add_string_value (builder, send->html);
      json_builder_set_member_name (builder, "parse_mode");
      json_builder_add_string_value (builder, "HTML");
    }
  json_builder_set_member_name (builder, "link_preview_options");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "is_disabled");
  json_builder_add_boolean_value (builder, TRUE);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  text = json_to_string (root, FALSE);
  body = g_bytes_new_take (text, strlen (text));
  soup_message_set_request_body_from_bytes (msg, "application/json", body);

  soup_session_send_and_read_async (self->session, msg, G_PRIORITY_DEFAULT,
                                    g_task_get_cancellable (task), posted_cb, task);
}

/* ------------------------------------------------------------------ GObject */

static void
okno_telegram_dispose (GObject *object)
{
  OknoTelegram *self = (OknoTelegram *) object;

  g_clear_object (&self->session);

  G_OBJECT_CLASS (okno_telegram_parent_class)->dispose (object);
}

static void
okno_telegram_finalize (GObject *object)
{
  OknoTelegram *self = (OknoTelegram *) object;

  g_clear_pointer (&self->base_url, g_free);
  g_clear_pointer (&self->token, g_free);
  g_clear_pointer (&self->chat_id, g_free);
  g_clear_pointer (&self->delivered, g_hash_table_unref);

  G_OBJECT_CLASS (okno_telegram_parent_class)->finalize (object);
}

static void
okno_telegram_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  OknoTelegram *self = OKNO_TELEGRAM (object);

  switch (prop_id)
    {
    case PROP_BASE_URL:
      g_value_set_string (value, self->base_url);
      break;
    case PROP_CHAT_ID:
      g_value_set_string (value, self->chat_id);
      break;
    case PROP_TIMEOUT_SECONDS:
      g_value_set_uint (value, self->timeout_seconds);
      break;
    case PROP_HAS_TOKEN:
      g_value_set_boolean (value, self->token != NULL);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
set_url (char       **field,
         const char  *value)
{
  g_free (*field);
  *field = g_strdup (value != NULL && value[0] != '\0' ? value : OKNO_TELEGRAM_DEFAULT_API_URL);
  while (g_str_has_suffix (*field, "/"))
    (*field)[strlen (*field) - 1] = '\0';
}

static void
okno_telegram_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  OknoTelegram *self = OKNO_TELEGRAM (object);

  switch (prop_id)
    {
    case PROP_BASE_URL:
      if (g_strcmp0 (self->base_url, g_value_get_string (value)) != 0)
        {
          set_url (&self->base_url, g_value_get_string (value));
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    case PROP_CHAT_ID:
      {
        g_autofree char *chat = g_strstrip (g_strdup (g_value_get_string (value) ?: ""));

        if (g_strcmp0 (self->chat_id, chat) != 0)
          {
            g_free (self->chat_id);
            self->chat_id = g_steal_pointer (&chat);
            g_object_notify_by_pspec (object, pspec);
          }
      }
      break;
    case PROP_TIMEOUT_SECONDS:
      if (self->timeout_seconds != g_value_get_uint (value))
        {
          self->timeout_seconds = g_value_get_uint (value);
          g_object_set (self->session, "timeout", self->timeout_seconds, NULL);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
okno_telegram_class_init (OknoTelegramClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = okno_telegram_dispose;
  object_class->finalize = okno_telegram_finalize;
  object_class->get_property = okno_telegram_get_property;
  object_class->set_property = okno_telegram_set_property;

  /**
   * OknoTelegram:base-url:
   *
   * The Bot API; by default `OKNO_TELEGRAM_API_URL` or the real one.
   */
  properties [PROP_BASE_URL] =
    g_param_spec_string ("base-url", NULL, NULL,
                         OKNO_TELEGRAM_DEFAULT_API_URL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * OknoTelegram:chat-id:
   *
   * Olga's chat (the telegram-chat-id setting).
   */
  properties [PROP_CHAT_ID] =
    g_param_spec_string ("chat-id", NULL, NULL,
                         "",
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties [PROP_TIMEOUT_SECONDS] =
    g_param_spec_uint ("timeout-seconds", NULL, NULL,
                       1, 600, 15,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties [PROP_HAS_TOKEN] =
    g_param_spec_boolean ("has-token", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
okno_telegram_init (OknoTelegram *self)
{
  self->timeout_seconds = 15;
  self->chat_id = g_strdup ("");
  self->delivered = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->session = okno_http_session_new ("timeout", self->timeout_seconds, NULL);
  set_url (&self->base_url, g_getenv ("OKNO_TELEGRAM_API_URL"));
}

/* --------------------------------------------------------------- public API */

OknoTelegram *
okno_telegram_new (void)
{
  return g_object_new (OKNO_TYPE_TELEGRAM, NULL);
}

/**
 * okno_telegram_set_token:
 * @token: (nullable): the bot token from @BotFather
 *
 * Kept in memory only, never logged.
 */
void
okno_telegram_set_token (OknoTelegram *self,
                         const char   *token)
{
  gboolean had = FALSE;

  g_return_if_fail (OKNO_IS_TELEGRAM (self));

  had = self->token != NULL;
  g_free (self->token);
  self->token = token != NULL && token[0] != '\0' ? g_strdup (token) : NULL;
  if (had != (self->token != NULL))
    g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_HAS_TOKEN]);
}

const char *
okno_telegram_get_chat_id (OknoTelegram *self)
{
  g_return_val_if_fail (OKNO_IS_TELEGRAM (self), NULL);
  return self->chat_id;
}

gboolean
okno_telegram_has_token (OknoTelegram *self)
{
  g_return_val_if_fail (OKNO_IS_TELEGRAM (self), FALSE);
  return self->token != NULL;
}

/* Whether a token and a chat are set; if not, @error says what to set. */
gboolean
okno_telegram_is_configured (OknoTelegram  *self,
                             GError       **error)
{
  g_return_val_if_fail (OKNO_IS_TELEGRAM (self), FALSE);

  if (self->token == NULL)
    {
      g_set_error (error, OKNO_NOTIFY_ERROR, OKNO_NOTIFY_ERROR_NOT_CONFIGURED,
                   _("no bot token saved (okno-server secret set telegram-bot-token)"));
      return FALSE;
    }
  if (self->chat_id[0] == '\0')
    {
      g_set_error (error, OKNO_NOTIFY_ERROR, OKNO_NOTIFY_ERROR_NOT_CONFIGURED,
                   _("no chat id set (okno-server settings set telegram-chat-id ID)"));
      return FALSE;
    }
  return TRUE;
}

/**
 * okno_telegram_send_async:
 * @html: the message in Telegram's HTML, client text escaped
 *
 * Sends one message to the chat.
 */
void
okno_telegram_send_async (OknoTelegram        *self,
                          const char          *html,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  Send *send;

  g_return_if_fail (OKNO_IS_TELEGRAM (self));
  g_return_if_fail (html != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, okno_telegram_send_async);
  send = g_new0 (Send, 1);
  send->html = g_strdup (html);
  g_task_set_task_data (task, send, (GDestroyNotify) send_free);

  if (!okno_telegram_is_configured (self, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  post_message (g_steal_pointer (&task));
}

/**
 * okno_telegram_send_finish:
 * @retry_after: (out) (optional): for %OKNO_NOTIFY_ERROR_RATE_LIMITED, the
 *   seconds Telegram asks to wait
 *
 * Returns: the message's id in the chat, or 0 with @error set
 */
gint64
okno_telegram_send_finish (OknoTelegram  *self,
                           GAsyncResult  *result,
                           guint         *retry_after,
                           GError       **error)
{
  Send *send;

  g_return_val_if_fail (g_task_is_valid (result, self), 0);

  send = g_task_get_task_data (G_TASK (result));
  if (retry_after != NULL)
    *retry_after = send->retry_after;
  if (!g_task_propagate_boolean (G_TASK (result), error))
    return 0;
  return MAX (send->message_id, 1);
}

/**
 * okno_telegram_escape:
 *
 * Returns: @text with `& < > "` as Telegram's HTML wants them
 */
char *
okno_telegram_escape (const char *text)
{
  GString *out = g_string_sized_new (text ? strlen (text) + 16 : 1);

  for (const char *p = text ? text : ""; *p; p++)
    {
      switch (*p)
        {
        case '&': g_string_append (out, "&amp;"); break;
        case '<': g_string_append (out, "&lt;"); break;
        case '>': g_string_append (out, "&gt;"); break;
        case '"': g_string_append (out, "&quot;"); break;
        default: g_string_append_c (out, *p);
        }
    }
  return g_string_free (out, FALSE);
}

/* Our HTML without its tags: what the message says, for a plain resend. */
char *
okno_telegram_html_to_plain (const char *html)
{
  static const struct { const char *entity; char c; } entities[] = {
    { "&lt;", '<' }, { "&gt;", '>' }, { "&quot;", '"' }, { "&amp;", '&' },
  };
  GString *out = g_string_new (NULL);

  for (const char *p = html; *p; )
    {
      gboolean decoded = FALSE;

      if (*p == '<')
        {
          const char *close = strchr (p, '>');
          p = close ? close + 1 : p + strlen (p);
          continue;
        }
      if (*p == '&')
        for (guint i = 0; i < G_N_ELEMENTS (entities) && !decoded; i++)
          if (g_str_has_prefix (p, entities[i].entity))
            {
              g_string_append_c (out, entities[i].c);
              p += strlen (entities[i].entity);
              decoded = TRUE;
            }
      if (!decoded)
        g_string_append_c (out, *p++);
    }
  return g_string_free (out, FALSE);
}

static void
append_link (GString    *out,
             const char *label,
             const char *scheme,
             const char *target,
             const char *shown)
{
  g_autofree char *href = g_strconcat (scheme, target, NULL);
  g_autofree char *escaped_href = okno_telegram_escape (href);
  g_autofree char *escaped_shown = okno_telegram_escape (shown);

  g_string_append_printf (out, "\n%s: <a href=\"%s\">%s</a>", label, escaped_href, escaped_shown);
}

/**
 * okno_telegram_format_booking:
 * @zone: Olga's zone
 *
 * Returns: the message for a new (or, with @cancelled, a cancelled)
 *   booking, in Olga's language, with the contact as links
 */
char *
okno_telegram_format_booking (OknoBooking *booking,
                              GTimeZone   *zone,
                              gboolean     cancelled)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GDateTime) start = g_date_time_to_timezone (okno_booking_get_start (booking), zone);
  g_autoptr(GDateTime) end = g_date_time_to_timezone (okno_booking_get_end (booking), zone);
  /* Translators: when a session starts, in a Telegram message; strftime format («ср 3 декабря, 17:30») */
  g_autofree char *from = g_date_time_format (start, _("%a %-d %B, %H:%M"));
  g_autofree char *to = g_date_time_format (end, "%H:%M");
  g_autofree char *name = okno_telegram_escape (okno_booking_get_name (booking));
  const char *type = okno_booking_get_session_type (booking);
  const char *email = okno_booking_get_field (booking, "email");
  const char *phone = okno_booking_get_field (booking, "phone");
  const char *telegram = okno_booking_get_field (booking, "telegram");
  const char *note = okno_booking_get_field (booking, "note");

  g_string_append_printf (out, "<b>%s</b>: %s\n", cancelled ? _("Booking cancelled") : _("New booking"), name);
  g_string_append_printf (out, "%s–%s", from, to);
  if (type != NULL && type[0] != '\0')
    {
      g_autofree char *escaped = okno_telegram_escape (type);
      g_string_append_printf (out, " · %s", escaped);
    }
  if (email != NULL && email[0] != '\0')
    append_link (out, _("Email"), "mailto:", email, email);
  if (phone != NULL && phone[0] != '\0')
    {
      g_autoptr(GString) digits = g_string_new (NULL);

      for (const char *p = phone; *p; p++)
        if (g_ascii_isdigit (*p) || (*p == '+' && digits->len == 0))
          g_string_append_c (digits, *p);
      append_link (out, _("Phone"), "tel:", digits->str, phone);
    }
  if (telegram != NULL && telegram[0] != '\0')
    {
      const char *handle = telegram[0] == '@' ? telegram + 1 : telegram;
      g_autofree char *shown = g_strconcat ("@", handle, NULL);

      append_link (out, _("Telegram"), "https://t.me/", handle, shown);
    }
  if (note != NULL && note[0] != '\0' && !cancelled)
    {
      g_autofree char *escaped = okno_telegram_escape (note);
      g_string_append_printf (out, "\n%s: %s", _("Note"), escaped);
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* A headline and its text, such as «Cal.com is back». */
char *
okno_telegram_format_news (const char *title,
                           const char *body)
{
  g_autofree char *t = okno_telegram_escape (title);
  g_autofree char *b = okno_telegram_escape (body ? body : "");

  return body && body[0] ? g_strdup_printf ("<b>%s</b>\n%s", t, b) : g_strdup_printf ("<b>%s</b>", t);
}

/* An outbox payload's booking, as far as a message needs it. */
static OknoBooking *
booking_from_payload (JsonObject *object)
{
  static const char *fields[] = { "name", "sessionType", "email", "phone", "telegram", "note", "timeZone" };
  const char *id = json_object_get_string_member_with_default (object, "id", NULL);
  const char *start_text = json_object_get_string_member_with_default (object, "start", NULL);
  const char *end_text = json_object_get_string_member_with_default (object, "end", NULL);
  g_autoptr(GDateTime) start = start_text ? g_date_time_new_from_iso8601 (start_text, NULL) : NULL;
  g_autoptr(GDateTime) end = end_text ? g_date_time_new_from_iso8601 (end_text, NULL) : NULL;
  OknoBooking *booking;

  if (id == NULL || start == NULL || end == NULL)
    return NULL;

  booking = okno_booking_new (id, json_object_get_string_member_with_default (object, "slotId", ""), start, end);
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      const char *value = json_object_get_string_member_with_default (object, fields[i], NULL);

      if (value != NULL)
        okno_booking_set_field (booking, fields[i], value);
    }
  return booking;
}

/**
 * okno_telegram_format_event:
 * @payload: an outbox item's payload: {"event": "booked"|"cancelled"|
 *   "rescheduled", "byOwner", "booking": {…}, "from"?, "to"?}, or an agenda (okno-reminder-text.c)
 * @zone: Olga's zone
 *
 * Returns: (nullable): the message for Olga, or %NULL when there is nothing
 *   to tell her (she cancelled it herself) or the payload is unusable
 */
char *
okno_telegram_format_event (JsonObject *payload,
                            GTimeZone  *zone)
{
  const char *event = json_object_get_string_member_with_default (payload, "event", "");
  gboolean by_owner = json_object_get_boolean_member_with_default (payload, "byOwner", FALSE);
  JsonNode *node = json_object_get_member (payload, "booking");
  g_autoptr(OknoBooking) booking = NULL;

  if (g_str_equal (event, "agenda"))
    return okno_reminder_format_agenda (payload, zone);
  /* A time opened; who on the waitlist Olga may call about it. */
  if (g_str_equal (event, "waitlist-contact"))
    {
      g_autofree char *text = okno_waitlist_format_contact_message (payload, zone);

      return text ? okno_telegram_format_news (text, NULL) : NULL;
    }

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node) ||
      !(booking = booking_from_payload (json_node_get_object (node))))
    return NULL;

  if (g_str_equal (event, "booked"))
    return okno_telegram_format_booking (booking, zone, FALSE);
  if (g_str_equal (event, "rescheduled") && !by_owner)
    {
      /* «Анна перенесла: вт 17:30 → чт 19:00» */
      g_autofree char *moved = okno_move_text_new (payload, zone);

      return moved ? okno_telegram_format_news (moved, okno_booking_get_session_type (booking)) : NULL;
    }
  if (g_str_equal (event, "cancelled") && !by_owner)
    return okno_telegram_format_booking (booking, zone, TRUE);
  return NULL;
}

typedef struct
{
  char                 *key;
  OknoTelegramDelivery  delivery;
  GTimeSpan             retry_after;
} Delivery;

static void
delivery_free (Delivery *delivery)
{
  g_free (delivery->key);
  g_free (delivery);
}

static void
delivered_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  OknoTelegram *self = OKNO_TELEGRAM (object);
  Delivery *delivery = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  guint retry_after = 0;

  if (okno_telegram_send_finish (self, result, &retry_after, &error) != 0)
    {
      g_hash_table_add (self->delivered, g_strdup (delivery->key));
      delivery->delivery = OKNO_TELEGRAM_DELIVERED;
      g_task_return_boolean (task, TRUE);
      return;
    }

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || okno_notify_error_is_temporary (error))
    {
      delivery->delivery = OKNO_TELEGRAM_RETRY;
      delivery->retry_after = (GTimeSpan) retry_after * G_USEC_PER_SEC;
    }
  else
    delivery->delivery = OKNO_TELEGRAM_PERMANENT;
  g_task_return_error (task, g_steal_pointer (&error));
}

/**
 * okno_telegram_deliver_async:
 * @key: the outbox item's key, the same for each repeat
 * @payload: the outbox item's payload (see okno_telegram_format_event())
 *
 * Sends what the outbox hands the Telegram sink. A key already sent in
 * this run is not sent again; across a crash a message may repeat once
 * (Telegram keeps no keys).
 */
void
okno_telegram_deliver_async (OknoTelegram        *self,
                             const char          *key,
                             JsonObject          *payload,
                             GTimeZone           *zone,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *html = NULL;
  Delivery *delivery;

  g_return_if_fail (OKNO_IS_TELEGRAM (self));
  g_return_if_fail (key != NULL);
  g_return_if_fail (payload != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, okno_telegram_deliver_async);
  delivery = g_new0 (Delivery, 1);
  delivery->key = g_strdup (key);
  g_task_set_task_data (task, delivery, (GDestroyNotify) delivery_free);

  if (g_hash_table_contains (self->delivered, key) ||
      !(html = okno_telegram_format_event (payload, zone)))
    {
      delivery->delivery = OKNO_TELEGRAM_DELIVERED;
      g_task_return_boolean (task, TRUE);
      return;
    }

  okno_telegram_send_async (self, html, cancellable, delivered_cb, g_steal_pointer (&task));
}

/**
 * okno_telegram_deliver_finish:
 * @retry_after: (out): for %OKNO_TELEGRAM_RETRY, how long Telegram asks to
 *   wait (microseconds), or 0 for the outbox's own backoff
 *
 * Returns: delivered, retry (network, 5xx, 429), or permanent (a token,
 *   chat or block that Olga must fix; @error says what to do)
 */
OknoTelegramDelivery
okno_telegram_deliver_finish (OknoTelegram  *self,
                              GAsyncResult  *result,
                              GTimeSpan     *retry_after,
                              GError       **error)
{
  Delivery *delivery;

  g_return_val_if_fail (g_task_is_valid (result, self), OKNO_TELEGRAM_PERMANENT);

  delivery = g_task_get_task_data (G_TASK (result));
  if (retry_after != NULL)
    *retry_after = delivery->retry_after;
  g_task_propagate_boolean (G_TASK (result), error);
  return delivery->delivery;
}
