/* okno-web-waitlist.c: the waitlist's API and pages.
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "OknoWebWaitlist"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "okno-errors.h"
#include "okno-time.h"
#include "okno-web-html.h"
#include "okno-web-input.h"
#include "okno-web-page-private.h"
#include "okno-web-reply.h"
#include "okno-web-server-private.h"
#include "okno-web-waitlist.h"

/* A client waiting for a time to open (see okno-waitlist.c):
 *
 *   POST /api/waitlist        {"name", "email"?, "phone"?, "telegram"?,
 *                             "days"?: [1…7], "times"?: ["morning",
 *                             "afternoon", "evening"]} → 201
 *                             {"waitlist": {"id", "since", "days",
 *                             "times", "leaveUrl"}, "token"}
 *   POST /api/waitlist/leave  {"id", "token"} → 200 {"left": true};
 *                             403 wrong token, 404 unknown
 *
 *   GET  /waitlist            the form (plain HTML, no JavaScript needed)
 *   POST /waitlist            joins; 303 to /waitlist/ID?token=T
 *   GET  /waitlist/ID?token=T what the entry waits for, and Stop waiting
 *                             (the unsubscribe link)
 *   POST /waitlist/leave      id, token: leaves; 303 to /waitlist/left
 *   GET  /waitlist/left       «You are no longer on the waitlist»
 *
 * No answer and no page shows a contact: the client's own name, what suits
 * them and the entry's dates are all that come back. */

#define W_(s) okno_web_catalog_gettext (catalog, (s))
#define WC_(c, s) okno_web_catalog_pgettext (catalog, (c), (s))

#define WAITLIST_KEY "okno-web-waitlist"

static const char * const weekday_names[] = {
  NC_("weekday", "Monday"), NC_("weekday", "Tuesday"), NC_("weekday", "Wednesday"),
  NC_("weekday", "Thursday"), NC_("weekday", "Friday"), NC_("weekday", "Saturday"),
  NC_("weekday", "Sunday"),
};

static const char * const time_names[] = { "morning", "afternoon", "evening" };
static const char * const time_labels[] = {
  N_("Morning (before 12:00)"), N_("Afternoon (12:00–17:00)"), N_("Evening (from 17:00)"),
};

void
okno_web_waitlist_attach (OknoWebServer *server,
                          OknoWaitlist  *waitlist)
{
  g_return_if_fail (OKNO_IS_WEB_SERVER (server));
  g_return_if_fail (waitlist == NULL || OKNO_IS_WAITLIST (waitlist));

  g_object_set_data_full (G_OBJECT (server), WAITLIST_KEY,
                          waitlist ? g_object_ref (waitlist) : NULL, g_object_unref);
}

OknoWaitlist *
okno_web_waitlist_get (OknoWebServer *server)
{
  return g_object_get_data (G_OBJECT (server), WAITLIST_KEY);
}

/* The link from the slot list and from the page that says a time was
 * just taken. */
void
okno_web_waitlist_link (OknoWebServer  *server,
                        GString        *out,
                        OknoWebCatalog *catalog)
{
  if (okno_web_waitlist_get (server) == NULL)
    return;

  okno_html_printf (out, "<p class=\"waitlist-link\">%s <a href=\"/waitlist?lang=%s\">%s</a></p>",
                    W_("No time that suits you?"), okno_web_catalog_get_language (catalog),
                    W_("Join the waitlist"));
}

static char *
leave_url (const char *base,
           const char *id,
           const char *token,
           const char *lang)
{
  g_autofree char *escaped = g_uri_escape_string (token, NULL, FALSE);

  return g_strdup_printf ("%s/waitlist/%s?token=%s&lang=%s", base, id, escaped, lang);
}

/* The JSON API */

typedef struct
{
  OknoWebServer     *server;
  SoupServerMessage *msg;
  OknoWebCatalog    *catalog;
  GHashTable        *form;
  char              *base_url;
  gulong             disconnected_id;
  gboolean           gone;
  gboolean           page;  /* answer with a page, not JSON */
} Job;

static void
job_disconnected_cb (SoupServerMessage *msg,
                     gboolean          *gone)
{
  *gone = TRUE;
}

static Job *
job_new (OknoWebServer     *server,
         SoupServerMessage *msg,
         OknoWebCatalog    *catalog)
{
  Job *job = g_new0 (Job, 1);

  job->server = g_object_ref (server);
  job->msg = g_object_ref (msg);
  job->catalog = catalog;
  job->base_url = _okno_web_server_dup_base_url (server, msg);
  job->disconnected_id = g_signal_connect (msg, "disconnected", G_CALLBACK (job_disconnected_cb), &job->gone);
  soup_server_message_pause (msg);
  return job;
}

static void
job_free (Job *job)
{
  g_signal_handler_disconnect (job->msg, job->disconnected_id);
  if (!job->gone)
    soup_server_message_unpause (job->msg);
  g_object_unref (job->msg);
  g_object_unref (job->server);
  g_clear_pointer (&job->form, g_hash_table_unref);
  g_free (job->base_url);
  g_free (job);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Job, job_free)

static JsonNode *
entry_node (JsonObject *entry,
            const char *leave)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  JsonArray *days = json_object_get_array_member (entry, "days");
  JsonArray *times = json_object_get_array_member (entry, "times");

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, json_object_get_string_member (entry, "id"));
  json_builder_set_member_name (builder, "since");
  json_builder_add_string_value (builder, json_object_get_string_member (entry, "created"));
  json_builder_set_member_name (builder, "days");
  json_builder_begin_array (builder);
  for (guint i = 0; days && i < json_array_get_length (days); i++)
    json_builder_add_int_value (builder, json_array_get_int_element (days, i));
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "times");
  json_builder_begin_array (builder);
  for (guint i = 0; times && i < json_array_get_length (times); i++)
    json_builder_add_string_value (builder, json_array_get_string_element (times, i));
  json_builder_end_array (builder);
  if (leave != NULL)
    {
      json_builder_set_member_name (builder, "leaveUrl");
      json_builder_add_string_value (builder, leave);
    }
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

static void
reply_field_errors (SoupServerMessage *msg,
                    OknoWebCatalog    *catalog,
                    GHashTable        *errors)
{
  okno_web_reply_error (msg, catalog, SOUP_STATUS_BAD_REQUEST, "invalid",
                        N_("Please check the highlighted fields."), errors);
}

static void
api_joined_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(Job) job = user_data;
  g_autoptr(JsonObject) entry = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *token = NULL;
  g_autofree char *leave = NULL;
  GHashTable *field_errors = g_object_get_data (G_OBJECT (result), "field-errors");

  entry = okno_waitlist_join_finish (OKNO_WAITLIST (object), result, &token, &error);
  if (entry == NULL)
    {
      if (field_errors != NULL)
        reply_field_errors (job->msg, job->catalog, field_errors);
      else
        okno_web_reply_gerror (job->msg, job->catalog, error);
      return;
    }

  leave = leave_url (job->base_url, json_object_get_string_member (entry, "id"), token,
                     okno_web_catalog_get_language (job->catalog));
  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "waitlist");
  json_builder_add_value (builder, entry_node (entry, leave));
  json_builder_set_member_name (builder, "token");
  json_builder_add_string_value (builder, token);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);

  soup_message_headers_replace (soup_server_message_get_response_headers (job->msg),
                                "Cache-Control", "no-store");
  okno_web_reply_json (job->msg, SOUP_STATUS_CREATED, root);
}

static char *
dup_string (JsonObject *object,
            const char *member,
            GHashTable *errors)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return NULL;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      g_hash_table_replace (errors, g_strdup (member), g_strdup (N_("This field must be text.")));
      return NULL;
    }
  return g_strdup (json_node_get_string (node));
}

/* "days": [1…7]; "times": names. Returns the masks, or field errors. */
static void
read_wishes (JsonObject *object,
             guint      *days,
             guint      *times,
             GHashTable *errors)
{
  JsonNode *node;

  *days = *times = 0;
  node = json_object_get_member (object, "days");
  if (node != NULL && !JSON_NODE_HOLDS_NULL (node))
    {
      JsonArray *array = JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;

      for (guint i = 0; array && i < json_array_get_length (array); i++)
        {
          JsonNode *day = json_array_get_element (array, i);

          if (!JSON_NODE_HOLDS_VALUE (day) || json_node_get_value_type (day) != G_TYPE_INT64 ||
              json_node_get_int (day) < 1 || json_node_get_int (day) > 7)
            {
              array = NULL;
              break;
            }
          *days |= 1u << json_node_get_int (day);
        }
      if (array == NULL)
        g_hash_table_replace (errors, g_strdup ("days"),
                              g_strdup (N_("Days are numbers from 1 (Monday) to 7 (Sunday).")));
    }

  node = json_object_get_member (object, "times");
  if (node != NULL && !JSON_NODE_HOLDS_NULL (node))
    {
      JsonArray *array = JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;

      for (guint i = 0; array && i < json_array_get_length (array); i++)
        {
          JsonNode *name = json_array_get_element (array, i);
          gboolean known = FALSE;

          if (JSON_NODE_HOLDS_VALUE (name) && json_node_get_value_type (name) == G_TYPE_STRING)
            for (guint t = 0; t < G_N_ELEMENTS (time_names); t++)
              if (g_str_equal (json_node_get_string (name), time_names[t]))
                {
                  *times |= 1u << t;
                  known = TRUE;
                }
          if (!known)
            {
              array = NULL;
              break;
            }
        }
      if (array == NULL)
        g_hash_table_replace (errors, g_strdup ("times"),
                              g_strdup (N_("Times of day are \"morning\", \"afternoon\" or \"evening\".")));
    }
}

static void
merge_errors (GHashTable *into,
              GHashTable *from)
{
  GHashTableIter iter;
  gpointer field, message;

  if (from == NULL)
    return;
  g_hash_table_iter_init (&iter, from);
  while (g_hash_table_iter_next (&iter, &field, &message))
    if (!g_str_equal (field, "slotId") && !g_hash_table_contains (into, field))
      g_hash_table_insert (into, g_strdup (field), g_strdup (message));
}

static void
handle_api_join (OknoWebServer     *server,
                 SoupServerMessage *msg,
                 OknoWaitlist      *waitlist)
{
  OknoWebCatalog *catalog = _okno_web_server_get_catalog (server, msg);
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(OknoBookingRequest) contact = okno_booking_request_new ();
  g_autoptr(GHashTable) errors = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GHashTable) field_errors = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  Job *job;
  guint days, times;

  if (!_okno_web_server_check_rate (server, msg))
    return;
  if (!(object = _okno_web_api_read_object (msg, catalog)))
    return;

  contact->name = dup_string (object, "name", errors);
  contact->email = dup_string (object, "email", errors);
  contact->phone = dup_string (object, "phone", errors);
  contact->telegram = dup_string (object, "telegram", errors);
  read_wishes (object, &days, &times, errors);
  if (!okno_booking_request_validate (contact, &field_errors))
    merge_errors (errors, field_errors);
  if (g_hash_table_size (errors) > 0)
    {
      reply_field_errors (msg, catalog, errors);
      return;
    }

  job = job_new (server, msg, catalog);
  okno_waitlist_join_async (waitlist, contact, days, times, job->base_url,
                            okno_web_catalog_get_language (catalog), now, NULL, api_joined_cb, job);
}

static void
api_left_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(Job) job = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) root = NULL;

  if (!okno_waitlist_leave_finish (OKNO_WAITLIST (object), result, &error))
    {
      okno_web_reply_gerror (job->msg, job->catalog, error);
      return;
    }

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "left");
  json_builder_add_boolean_value (builder, TRUE);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  okno_web_reply_json (job->msg, SOUP_STATUS_OK, root);
}

static void
handle_api_leave (OknoWebServer     *server,
                  SoupServerMessage *msg,
                  OknoWaitlist      *waitlist)
{
  OknoWebCatalog *catalog = _okno_web_server_get_catalog (server, msg);
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(GHashTable) errors = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autofree char *id = NULL;
  g_autofree char *token = NULL;

  if (!_okno_web_server_check_rate (server, msg))
    return;
  if (!(object = _okno_web_api_read_object (msg, catalog)))
    return;

  id = dup_string (object, "id", errors);
  token = dup_string (object, "token", errors);
  if (id == NULL && !g_hash_table_contains (errors, "id"))
    g_hash_table_insert (errors, g_strdup ("id"), g_strdup (N_("This field is required.")));
  if (token == NULL && !g_hash_table_contains (errors, "token"))
    g_hash_table_insert (errors, g_strdup ("token"), g_strdup (N_("This field is required.")));
  if (g_hash_table_size (errors) > 0)
    {
      reply_field_errors (msg, catalog, errors);
      return;
    }

  okno_waitlist_leave_async (waitlist, id, token, NULL, api_left_cb, job_new (server, msg, catalog));
}

/**
 * okno_web_waitlist_handle_api:
 *
 * Returns: %FALSE when @path is not the waitlist's
 */
gboolean
okno_web_waitlist_handle_api (OknoWebServer     *server,
                              SoupServerMessage *msg,
                              const char        *path)
{
  OknoWebCatalog *catalog = _okno_web_server_get_catalog (server, msg);
  OknoWaitlist *waitlist = okno_web_waitlist_get (server);
  gboolean join = g_str_equal (path, "/api/waitlist");
  gboolean leave = g_str_equal (path, "/api/waitlist/leave");

  if (!join && !leave)
    return FALSE;

  if (!g_str_equal (soup_server_message_get_method (msg), SOUP_METHOD_POST))
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Allow", "POST");
      okno_web_reply_error (msg, catalog, SOUP_STATUS_METHOD_NOT_ALLOWED, "method_not_allowed",
                            N_("This method is not allowed here."), NULL);
    }
  else if (waitlist == NULL)
    okno_web_reply_error (msg, catalog, SOUP_STATUS_NOT_FOUND, "not_found", N_("Nothing is here."), NULL);
  else if (join)
    handle_api_join (server, msg, waitlist);
  else
    handle_api_leave (server, msg, waitlist);

  return TRUE;
}

/* The pages */

typedef struct
{
  OknoWebServer *server;
  GHashTable    *values;   /* what was sent, kept */
  GHashTable    *errors;   /* field → message (msgid) */
  const char    *message;  /* msgid */
  JsonObject    *entry;
  const char    *token;
  gboolean       created;
} Screen;

static void
notice (GString        *out,
        OknoWebCatalog *catalog,
        const char     *kind,
        const char     *message)
{
  if (message != NULL)
    okno_html_printf (out, "<p class=\"notice %s\" role=\"%s\">%s</p>",
                      kind, g_str_equal (kind, "error") ? "alert" : "status", W_(message));
}

static void
text_field (GString        *out,
            OknoWebCatalog *catalog,
            Screen         *screen,
            const char     *name,
            const char     *type,
            const char     *label,
            const char     *autocomplete)
{
  const char *value = screen->values ? g_hash_table_lookup (screen->values, name) : NULL;
  const char *error = screen->errors ? g_hash_table_lookup (screen->errors, name) : NULL;
  g_autofree char *described = error ? g_strdup_printf (" aria-describedby=\"e-%s\"", name) : NULL;

  okno_html_printf (out, "<div class=\"field\"><label for=\"f-%s\">%s</label>"
                    "<input id=\"f-%s\" name=\"%s\" type=\"%s\" autocomplete=\"%s\" value=\"%s\"%H%H%H>",
                    name, label, name, name, type, autocomplete, value ? value : "",
                    g_str_equal (name, "name") ? " required maxlength=\"100\"" : "",
                    error ? " aria-invalid=\"true\"" : "",
                    described ? described : "");
  if (error != NULL)
    okno_html_printf (out, "<p class=\"field-error\" id=\"e-%s\">%s</p>", name, W_(error));
  g_string_append (out, "</div>");
}

static gboolean
is_checked (Screen     *screen,
            const char *name)
{
  return screen->values != NULL && g_hash_table_contains (screen->values, name);
}

static void
form_body (GString        *out,
           OknoWebCatalog *catalog,
           gpointer        user_data)
{
  Screen *screen = user_data;
  const char *lang = okno_web_catalog_get_language (catalog);
  const char *contact_error = screen->errors ? g_hash_table_lookup (screen->errors, "contact") : NULL;

  okno_html_printf (out, "<h1>%s</h1>", W_("Join the waitlist"));
  if (screen->errors != NULL)
    notice (out, catalog, "error", N_("Please check the highlighted fields."));
  notice (out, catalog, "error", screen->message);
  okno_html_printf (out, "<p>%s</p>",
                    W_("Leave your name and one way to reach you. When a time that suits you opens, "
                       "everyone waiting for it hears at once; the first to book gets it."));

  okno_html_printf (out, "<form method=\"post\" action=\"/waitlist\">"
                    "<input type=\"hidden\" name=\"lang\" value=\"%s\">", lang);
  text_field (out, catalog, screen, "name", "text", W_("Your name"), "name");
  okno_html_printf (out, "<fieldset%H><legend>%s</legend>",
                    contact_error ? " aria-describedby=\"e-contact\"" : "",
                    W_("How to reach you (any one is enough)"));
  if (contact_error)
    okno_html_printf (out, "<p class=\"field-error\" id=\"e-contact\">%s</p>", W_(contact_error));
  text_field (out, catalog, screen, "email", "email", W_("Email"), "email");
  text_field (out, catalog, screen, "phone", "tel", W_("Phone"), "tel");
  text_field (out, catalog, screen, "telegram", "text", W_("Telegram"), "off");
  okno_html_printf (out, "<p class=\"muted\">%s</p></fieldset>",
                    W_("With an email you get a message with the link to book. A phone or Telegram "
                       "goes to the practitioner, who will contact you."));

  okno_html_printf (out, "<fieldset class=\"choices\"><legend>%s</legend><p class=\"muted\">%s</p>",
                    W_("Days that suit you"), W_("None chosen: any day."));
  for (guint d = 1; d <= 7; d++)
    {
      g_autofree char *name = g_strdup_printf ("day%u", d);

      okno_html_printf (out, "<label class=\"choice\"><input type=\"checkbox\" name=\"%s\" value=\"1\"%H> %s</label>",
                        name, is_checked (screen, name) ? " checked" : "", WC_("weekday", weekday_names[d - 1]));
    }
  g_string_append (out, "</fieldset>");

  okno_html_printf (out, "<fieldset class=\"choices\"><legend>%s</legend><p class=\"muted\">%s</p>",
                    W_("Times of day that suit you"), W_("None chosen: any time."));
  for (guint t = 0; t < G_N_ELEMENTS (time_names); t++)
    okno_html_printf (out, "<label class=\"choice\"><input type=\"checkbox\" name=\"%s\" value=\"1\"%H> %s</label>",
                      time_names[t], is_checked (screen, time_names[t]) ? " checked" : "", W_(time_labels[t]));
  g_string_append (out, "</fieldset>");

  okno_html_printf (out,
                    "<p class=\"muted\">%s</p>"
                    "<div class=\"actions\"><button type=\"submit\">%s</button>"
                    "<a href=\"/?lang=%s\">%s</a></div></form>",
                    W_("The practitioner sees your name and contact and uses them only to offer you a time. "
                       "You leave the list when you book, after 30 days, or with the link you get next."),
                    W_("Join the waitlist"), lang, W_("See the open times"));
}

static void
wishes_list (GString        *out,
             OknoWebCatalog *catalog,
             JsonObject     *entry)
{
  guint days = okno_waitlist_days_from_json (entry);
  guint times = okno_waitlist_times_from_json (entry);
  gboolean first = TRUE;

  okno_html_printf (out, "<dt>%s</dt><dd>", W_("Days"));
  if (days == 0)
    okno_html_printf (out, "%s", W_("Any day"));
  for (guint d = 1; d <= 7; d++)
    if (days & (1u << d))
      {
        okno_html_printf (out, "%H%s", first ? "" : ", ", WC_("weekday", weekday_names[d - 1]));
        first = FALSE;
      }
  okno_html_printf (out, "</dd><dt>%s</dt><dd>", W_("Times of day"));
  first = TRUE;
  if (times == 0)
    okno_html_printf (out, "%s", W_("Any time"));
  for (guint t = 0; t < G_N_ELEMENTS (time_names); t++)
    if (times & (1u << t))
      {
        okno_html_printf (out, "%H%s", first ? "" : ", ", W_(time_labels[t]));
        first = FALSE;
      }
  g_string_append (out, "</dd>");
}

static void
entry_body (GString        *out,
            OknoWebCatalog *catalog,
            gpointer        user_data)
{
  Screen *screen = user_data;
  const char *lang = okno_web_catalog_get_language (catalog);
  const char *created = json_object_get_string_member (screen->entry, "created");
  g_autoptr(GDateTime) since = created ? g_date_time_new_from_iso8601 (created, NULL) : NULL;
  g_autoptr(GDateTime) until = since ? g_date_time_add_days (since, OKNO_WAITLIST_MAX_DAYS) : NULL;
  g_autofree char *until_text = until ? _okno_web_page_format_short (screen->server, catalog, until) : g_strdup ("");

  okno_html_printf (out, "<h1>%s</h1>", W_("You are on the waitlist"));
  if (screen->created)
    notice (out, catalog, "status",
            N_("Done. Keep this page's address: it is your link to leave the waitlist."));
  okno_html_printf (out, "<dl class=\"card\"><dt>%s</dt><dd>%s</dd>", W_("Name"),
                    json_object_get_string_member (screen->entry, "name"));
  wishes_list (out, catalog, screen->entry);
  okno_html_printf (out, "<dt>%s</dt><dd>%s</dd></dl>", W_("Waiting until"), until_text);
  okno_html_printf (out,
                    "<form method=\"post\" action=\"/waitlist/leave\">"
                    "<input type=\"hidden\" name=\"lang\" value=\"%s\">"
                    "<input type=\"hidden\" name=\"id\" value=\"%s\">"
                    "<input type=\"hidden\" name=\"token\" value=\"%s\">"
                    "<div class=\"actions\"><button type=\"submit\">%s</button>"
                    "<a href=\"/?lang=%s\">%s</a></div></form>",
                    lang, json_object_get_string_member (screen->entry, "id"), screen->token,
                    W_("Stop waiting"), lang, W_("See the open times"));
}

static void
message_body (GString        *out,
              OknoWebCatalog *catalog,
              gpointer        user_data)
{
  Screen *screen = user_data;
  const char *lang = okno_web_catalog_get_language (catalog);

  okno_html_printf (out, "<h1>%s</h1>", W_(screen->message));
  okno_html_printf (out, "<p><a href=\"/?lang=%s\">%s</a></p>", lang, W_("See the open times"));
}

static void
render_form (OknoWebServer     *server,
             SoupServerMessage *msg,
             OknoWebCatalog    *catalog,
             Screen            *screen,
             guint              status)
{
  screen->server = server;
  _okno_web_page_render (server, msg, catalog, W_("Join the waitlist"), status, form_body, screen);
}

static void
render_message (OknoWebServer     *server,
                SoupServerMessage *msg,
                OknoWebCatalog    *catalog,
                const char        *message,
                guint              status)
{
  Screen screen = { .server = server, .message = message };

  _okno_web_page_render (server, msg, catalog, W_(message), status, message_body, &screen);
}

static void
render_error (OknoWebServer     *server,
              SoupServerMessage *msg,
              OknoWebCatalog    *catalog,
              const GError      *error)
{
  const char *code;
  guint status = okno_web_status_for_error (error, &code);

  if (status >= 500)
    {
      g_warning ("Waitlist: %s", error->message);
      render_message (server, msg, catalog, N_("This could not be saved. Please try again in a minute."), status);
    }
  else
    render_message (server, msg, catalog, error->message, status);
}

static void
page_joined_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(Job) job = user_data;
  g_autoptr(JsonObject) entry = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  g_autofree char *link = NULL;
  g_autofree char *location = NULL;
  GHashTable *field_errors = g_object_get_data (G_OBJECT (result), "field-errors");

  entry = okno_waitlist_join_finish (OKNO_WAITLIST (object), result, &token, &error);
  if (entry == NULL)
    {
      if (field_errors != NULL)
        {
          Screen screen = { .values = job->form, .errors = field_errors };

          render_form (job->server, job->msg, job->catalog, &screen, SOUP_STATUS_BAD_REQUEST);
        }
      else
        render_error (job->server, job->msg, job->catalog, error);
      return;
    }

  link = leave_url ("", json_object_get_string_member (entry, "id"), token,
                    okno_web_catalog_get_language (job->catalog));
  location = g_strconcat (link, "&joined=1", NULL);
  soup_server_message_set_redirect (job->msg, SOUP_STATUS_SEE_OTHER, location);
}

static OknoWebCatalog *
form_catalog (SoupServerMessage *msg,
              GHashTable        *form)
{
  const char *lang = form ? g_hash_table_lookup (form, "lang") : NULL;

  return okno_web_catalog_get (lang ? lang : okno_web_catalog_negotiate (soup_message_headers_get_one (
                                 soup_server_message_get_request_headers (msg), "Accept-Language")));
}

static GHashTable *
read_form (SoupServerMessage  *msg,
           GHashTable        **bad_fields)
{
  g_autoptr(GBytes) body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  gsize length;
  const char *data = g_bytes_get_data (body, &length);

  *bad_fields = NULL;
  if (length > OKNO_WEB_MAX_BODY)
    return NULL;
  return okno_web_input_parse_form (data, length, bad_fields);
}

static gboolean
refused_by_rate_limit (OknoWebServer     *server,
                       SoupServerMessage *msg)
{
  g_autofree char *retry = NULL;
  guint retry_after = 0;

  if (_okno_web_server_take_attempt (server, msg, &retry_after))
    return FALSE;

  retry = g_strdup_printf ("%u", retry_after);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Retry-After", retry);
  return TRUE;
}

static void
handle_page_join (OknoWebServer     *server,
                  SoupServerMessage *msg,
                  OknoWaitlist      *waitlist)
{
  g_autoptr(GHashTable) bad_fields = NULL;
  g_autoptr(GHashTable) form = read_form (msg, &bad_fields);
  OknoWebCatalog *catalog = form_catalog (msg, form);
  g_autoptr(OknoBookingRequest) contact = okno_booking_request_new ();
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  guint days = 0, times = 0;
  Job *job;

  if (refused_by_rate_limit (server, msg))
    {
      Screen screen = { .values = form, .message = N_("Too many attempts. Please wait a minute and try again.") };

      render_form (server, msg, catalog, &screen, 429);
      return;
    }
  if (form == NULL || bad_fields != NULL)
    {
      g_autoptr(GHashTable) errors = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      Screen screen = { .values = form, .errors = errors };

      if (bad_fields != NULL)
        {
          GHashTableIter iter;
          gpointer name;

          g_hash_table_iter_init (&iter, bad_fields);
          while (g_hash_table_iter_next (&iter, &name, NULL))
            g_hash_table_replace (errors, g_strdup (name), g_strdup (OKNO_WEB_INPUT_UNUSABLE));
        }
      else
        screen.message = N_("The request is too large.");
      render_form (server, msg, catalog, &screen, SOUP_STATUS_BAD_REQUEST);
      return;
    }

  contact->name = g_strdup (g_hash_table_lookup (form, "name"));
  contact->email = g_strdup (g_hash_table_lookup (form, "email"));
  contact->phone = g_strdup (g_hash_table_lookup (form, "phone"));
  contact->telegram = g_strdup (g_hash_table_lookup (form, "telegram"));
  for (guint d = 1; d <= 7; d++)
    {
      g_autofree char *name = g_strdup_printf ("day%u", d);

      if (g_hash_table_contains (form, name))
        days |= 1u << d;
    }
  for (guint t = 0; t < G_N_ELEMENTS (time_names); t++)
    if (g_hash_table_contains (form, time_names[t]))
      times |= 1u << t;

  job = job_new (server, msg, catalog);
  job->form = g_hash_table_ref (form);
  job->page = TRUE;
  okno_waitlist_join_async (waitlist, contact, days, times, job->base_url,
                            okno_web_catalog_get_language (catalog), now, NULL, page_joined_cb, job);
}

static void
page_left_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(Job) job = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *location = NULL;

  if (!okno_waitlist_leave_finish (OKNO_WAITLIST (object), result, &error))
    {
      render_error (job->server, job->msg, job->catalog, error);
      return;
    }

  location = g_strdup_printf ("/waitlist/left?lang=%s", okno_web_catalog_get_language (job->catalog));
  soup_server_message_set_redirect (job->msg, SOUP_STATUS_SEE_OTHER, location);
}

static void
handle_page_leave (OknoWebServer     *server,
                   SoupServerMessage *msg,
                   OknoWaitlist      *waitlist)
{
  g_autoptr(GHashTable) bad_fields = NULL;
  g_autoptr(GHashTable) form = read_form (msg, &bad_fields);
  OknoWebCatalog *catalog = form_catalog (msg, form);

  if (refused_by_rate_limit (server, msg))
    {
      render_message (server, msg, catalog, N_("Too many attempts. Please wait a minute and try again."), 429);
      return;
    }
  if (form == NULL || bad_fields != NULL || !g_hash_table_contains (form, "id") || !g_hash_table_contains (form, "token"))
    {
      render_message (server, msg, catalog, N_("This link is not valid for this waitlist entry."),
                      SOUP_STATUS_BAD_REQUEST);
      return;
    }

  okno_waitlist_leave_async (waitlist, g_hash_table_lookup (form, "id"), g_hash_table_lookup (form, "token"),
                             NULL, page_left_cb, job_new (server, msg, catalog));
}

static void
handle_page_entry (OknoWebServer     *server,
                   SoupServerMessage *msg,
                   OknoWaitlist      *waitlist,
                   const char        *id,
                   GHashTable        *query)
{
  OknoWebCatalog *catalog = _okno_web_server_get_catalog (server, msg);
  const char *token = query ? g_hash_table_lookup (query, "token") : NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *entry;
  Screen screen = { 0 };

  if (!(entry = okno_waitlist_lookup (waitlist, id, token, &error)))
    {
      render_error (server, msg, catalog, error);
      return;
    }

  screen.server = server;
  screen.entry = entry;
  screen.token = token;
  screen.created = query != NULL && g_hash_table_contains (query, "joined");
  _okno_web_page_render (server, msg, catalog, W_("You are on the waitlist"), SOUP_STATUS_OK, entry_body, &screen);
}

/**
 * okno_web_waitlist_handle_page:
 *
 * Returns: %FALSE when @path is not one of the waitlist's pages
 */
gboolean
okno_web_waitlist_handle_page (OknoWebServer     *server,
                               SoupServerMessage *msg,
                               const char        *path,
                               GHashTable        *query)
{
  OknoWaitlist *waitlist = okno_web_waitlist_get (server);
  const char *method = soup_server_message_get_method (msg);
  gboolean get = g_str_equal (method, SOUP_METHOD_GET) || g_str_equal (method, SOUP_METHOD_HEAD);
  gboolean post = g_str_equal (method, SOUP_METHOD_POST);

  if (waitlist == NULL)
    return FALSE;

  if (g_str_equal (path, "/waitlist") && get)
    {
      Screen screen = { 0 };

      render_form (server, msg, _okno_web_server_get_catalog (server, msg), &screen, SOUP_STATUS_OK);
    }
  else if (g_str_equal (path, "/waitlist") && post)
    handle_page_join (server, msg, waitlist);
  else if (g_str_equal (path, "/waitlist/leave") && post)
    handle_page_leave (server, msg, waitlist);
  else if (g_str_equal (path, "/waitlist/left") && get)
    render_message (server, msg, _okno_web_server_get_catalog (server, msg),
                    N_("You are no longer on the waitlist"), SOUP_STATUS_OK);
  else if (g_str_has_prefix (path, "/waitlist/") && get && strchr (path + 10, '/') == NULL && path[10] != '\0')
    handle_page_entry (server, msg, waitlist, path + 10, query);
  else
    return FALSE;

  return TRUE;
}
