/* okno-calcom-monitor.c
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "OknoCalcomMonitor"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <string.h>

#include "okno-calcom-monitor.h"
#include "okno-http-session.h"

/* Watches whether Cal.com works for Olga's key: GET {base}/me with her key
 * every :interval-seconds and on demand. Cal.com's v2 answers 200
 * {"status":"success"} while it works, 401/403 when the key is wrong or
 * revoked (not an outage: no point retrying), 429 when we ask too often
 * (it is up). Anything else — 5xx, a page that is not JSON, no connection,
 * no answer within :timeout-seconds — is a failure; :failures-before-down
 * of them in a row (the first ones retried after :retry-seconds) make it
 * `down`, so one dropped connection does not wake Olga.
 *
 * The state lives in an OknoServiceState (core), which /api/status and the
 * window read; ::state-changed fires on each change between `up`, `down`
 * and `unauthorized`, which is what every notification channel announces. */
struct _OknoCalcomMonitor
{
  GObject           parent_instance;

  SoupSession      *session;
  OknoServiceState *state;
  char             *base_url;
  char             *api_key;
  char             *detail;

  guint             interval_seconds;
  guint             timeout_seconds;
  guint             retry_seconds;
  guint             failures_before_down;
  guint             failures;

  GCancellable     *probe_cancellable;
  GPtrArray        *waiting;
  guint             next_source;
  guint             timeout_source;
  gboolean          started;
  gboolean          timed_out;
  gboolean          stale;
};

G_DEFINE_FINAL_TYPE (OknoCalcomMonitor, okno_calcom_monitor, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_BASE_URL,
  PROP_INTERVAL_SECONDS,
  PROP_TIMEOUT_SECONDS,
  PROP_RETRY_SECONDS,
  PROP_FAILURES_BEFORE_DOWN,
  PROP_DETAIL,
  PROP_CHECKING,
  N_PROPS
};

enum {
  STATE_CHANGED,
  N_SIGNALS
};

static GParamSpec *properties [N_PROPS];
static guint signals [N_SIGNALS];

typedef enum
{
  OUTCOME_UP,
  OUTCOME_UNAUTHORIZED,
  OUTCOME_FAILURE,
} Outcome;

#define MAX_BODY_BYTES (256 * 1024)

static void probe (OknoCalcomMonitor *self);

static gboolean
is_known (const char *state)
{
  return g_strcmp0 (state, "up") == 0 ||
         g_strcmp0 (state, "down") == 0 ||
         g_strcmp0 (state, "unauthorized") == 0;
}

static void
set_detail (OknoCalcomMonitor *self,
            const char        *detail)
{
  if (g_strcmp0 (self->detail, detail) == 0)
    return;

  g_free (self->detail);
  self->detail = g_strdup (detail);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_DETAIL]);
}

/* Moves to @state (stamping :since when it is new) and says so. */
static void
enter_state (OknoCalcomMonitor *self,
             const char        *state,
             GDateTime         *checked_at)
{
  g_autofree char *old = g_strdup (okno_service_state_get_state (self->state));
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  GDateTime *since = okno_service_state_get_since (self->state);
  gboolean changed = g_strcmp0 (old, state) != 0;

  okno_service_state_update (self->state, state, changed ? now : since, checked_at);

  if (changed)
    {
      g_debug ("Cal.com: %s → %s", old, state);
      if (is_known (old) && is_known (state))
        g_signal_emit (self, signals [STATE_CHANGED], 0, old, state);
    }
}

static void
remove_timeout (OknoCalcomMonitor *self)
{
  g_clear_handle_id (&self->timeout_source, g_source_remove);
}

static gboolean
next_probe_cb (gpointer user_data)
{
  OknoCalcomMonitor *self = user_data;

  self->next_source = 0;
  probe (self);
  return G_SOURCE_REMOVE;
}

static void
schedule_next (OknoCalcomMonitor *self,
               guint              seconds)
{
  g_clear_handle_id (&self->next_source, g_source_remove);
  if (self->started && self->api_key != NULL)
    self->next_source = g_timeout_add_seconds (MAX (seconds, 1), next_probe_cb, self);
}

static void
complete_waiting (OknoCalcomMonitor *self)
{
  g_autoptr(GPtrArray) waiting = g_steal_pointer (&self->waiting);
  const char *state = okno_service_state_get_state (self->state);

  self->waiting = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < waiting->len; i++)
    g_task_return_pointer (g_ptr_array_index (waiting, i), g_strdup (state), g_free);
}

static Outcome
classify (SoupMessage  *msg,
          GBytes       *body,
          const GError *error,
          gboolean      timed_out,
          char        **detail)
{
  guint status;

  if (timed_out)
    {
      *detail = g_strdup (_("Cal.com did not answer in time."));
      return OUTCOME_FAILURE;
    }
  if (error != NULL)
    {
      *detail = g_strdup_printf (_("Cal.com cannot be reached: %s"), error->message);
      return OUTCOME_FAILURE;
    }

  status = soup_message_get_status (msg);
  if (status == SOUP_STATUS_UNAUTHORIZED || status == SOUP_STATUS_FORBIDDEN)
    {
      *detail = g_strdup (_("Cal.com does not accept the API key. Make a new key in Cal.com’s "
                            "settings (Developer → API keys) and save it in Okno."));
      return OUTCOME_UNAUTHORIZED;
    }
  if (status == 429)
    {
      *detail = g_strdup (_("Cal.com works (it asks Okno to check less often)."));
      return OUTCOME_UP;
    }
  if (status == SOUP_STATUS_NOT_FOUND)
    {
      *detail = g_strdup (_("Cal.com does not know the address Okno checks (404): the "
                            "OKNO_CALCOM_API_URL variable is probably wrong."));
      return OUTCOME_FAILURE;
    }
  if (status == SOUP_STATUS_OK)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      gsize size = 0;
      const char *data = body ? g_bytes_get_data (body, &size) : NULL;
      JsonNode *root;

      if (data != NULL && json_parser_load_from_data (parser, data, size, NULL) &&
          (root = json_parser_get_root (parser)) != NULL && JSON_NODE_HOLDS_OBJECT (root) &&
          g_strcmp0 (json_object_get_string_member_with_default (json_node_get_object (root),
                                                                 "status", NULL), "success") == 0)
        {
          *detail = g_strdup (_("Cal.com works."));
          return OUTCOME_UP;
        }

      *detail = g_strdup (_("Cal.com answered with something that is not its API."));
      return OUTCOME_FAILURE;
    }

  /* Translators: %u is an HTTP status code such as 502 */
  *detail = g_strdup_printf (_("Cal.com answers with an error (HTTP %u)."), status);
  return OUTCOME_FAILURE;
}

static void
probe_sent_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(OknoCalcomMonitor) self = user_data;
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (object), result);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *detail = NULL;
  gboolean timed_out = self->timed_out;
  Outcome outcome;

  body = soup_session_send_and_read_finish (SOUP_SESSION (object), result, &error);
  remove_timeout (self);
  g_clear_object (&self->probe_cancellable);
  self->timed_out = FALSE;

  if (self->stale)
    {
      /* The key or the address changed meanwhile: this answer is about the
       * old one. */
      self->stale = FALSE;
      probe (self);
      return;
    }
  if (error != NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) && !timed_out)
    {
      /* Stopped. */
      complete_waiting (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_CHECKING]);
      return;
    }

  outcome = classify (msg, body, error, timed_out, &detail);
  now = g_date_time_new_now_utc ();
  g_debug ("Cal.com probe: %s", detail);
  /* Before the state: ::state-changed's handlers send the detail with the
   * news, and it must be this answer's, not the last one's. */
  set_detail (self, detail);

  switch (outcome)
    {
    case OUTCOME_UP:
      self->failures = 0;
      enter_state (self, "up", now);
      schedule_next (self, self->interval_seconds);
      break;
    case OUTCOME_UNAUTHORIZED:
      self->failures = 0;
      enter_state (self, "unauthorized", now);
      schedule_next (self, self->interval_seconds);
      break;
    case OUTCOME_FAILURE:
    default:
      self->failures++;
      if (self->failures >= self->failures_before_down ||
          g_strcmp0 (okno_service_state_get_state (self->state), "down") == 0)
        {
          enter_state (self, "down", now);
          schedule_next (self, self->interval_seconds);
        }
      else
        {
          okno_service_state_update (self->state,
                                     okno_service_state_get_state (self->state),
                                     okno_service_state_get_since (self->state),
                                     now);
          schedule_next (self, MIN (self->retry_seconds, self->interval_seconds));
        }
      break;
    }

  complete_waiting (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_CHECKING]);
}

static gboolean
probe_timed_out_cb (gpointer user_data)
{
  OknoCalcomMonitor *self = user_data;

  self->timeout_source = 0;
  self->timed_out = TRUE;
  g_cancellable_cancel (self->probe_cancellable);
  return G_SOURCE_REMOVE;
}

static void
probe (OknoCalcomMonitor *self)
{
  g_autoptr(SoupMessage) msg = NULL;
  g_autofree char *url = NULL;
  g_autofree char *authorization = NULL;
  SoupMessageHeaders *headers;

  g_clear_handle_id (&self->next_source, g_source_remove);

  if (self->api_key == NULL)
    {
      self->failures = 0;
      enter_state (self, "unconfigured", NULL);
      set_detail (self, _("No Cal.com API key is saved, so Okno does not check Cal.com."));
      complete_waiting (self);
      return;
    }
  if (self->probe_cancellable != NULL)
    return;

  url = g_strconcat (self->base_url, "/me", NULL);
  msg = soup_message_new (SOUP_METHOD_GET, url);
  if (msg == NULL)
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

      enter_state (self, "down", now);
      set_detail (self, _("The OKNO_CALCOM_API_URL variable is not a web address."));
      complete_waiting (self);
      return;
    }

  headers = soup_message_get_request_headers (msg);
  authorization = g_strconcat ("Bearer ", self->api_key, NULL);
  soup_message_headers_replace (headers, "Authorization", authorization);
  soup_message_headers_replace (headers, "Accept", "application/json");

  self->probe_cancellable = g_cancellable_new ();
  self->timed_out = FALSE;
  self->timeout_source = g_timeout_add_seconds (MAX (self->timeout_seconds, 1),
                                                probe_timed_out_cb, self);
  soup_session_send_and_read_async (self->session, msg, G_PRIORITY_DEFAULT,
                                    self->probe_cancellable, probe_sent_cb, g_object_ref (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_CHECKING]);
}

/* The key or the address changed: what we knew is about the old one. */
static void
restart (OknoCalcomMonitor *self)
{
  self->failures = 0;
  if (self->probe_cancellable != NULL)
    {
      self->stale = TRUE;
      g_cancellable_cancel (self->probe_cancellable);
      return;
    }
  if (self->api_key == NULL)
    probe (self);
  else if (self->started)
    probe (self);
}

static void
okno_calcom_monitor_dispose (GObject *object)
{
  OknoCalcomMonitor *self = (OknoCalcomMonitor *) object;

  g_clear_handle_id (&self->next_source, g_source_remove);
  remove_timeout (self);
  if (self->probe_cancellable != NULL)
    g_cancellable_cancel (self->probe_cancellable);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (okno_calcom_monitor_parent_class)->dispose (object);
}

static void
okno_calcom_monitor_finalize (GObject *object)
{
  OknoCalcomMonitor *self = (OknoCalcomMonitor *) object;

  g_clear_object (&self->state);
  g_clear_object (&self->probe_cancellable);
  g_clear_pointer (&self->waiting, g_ptr_array_unref);
  g_clear_pointer (&self->base_url, g_free);
  g_clear_pointer (&self->api_key, g_free);
  g_clear_pointer (&self->detail, g_free);

  G_OBJECT_CLASS (okno_calcom_monitor_parent_class)->finalize (object);
}

static void
okno_calcom_monitor_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  OknoCalcomMonitor *self = OKNO_CALCOM_MONITOR (object);

  switch (prop_id)
    {
    case PROP_BASE_URL:
      g_value_set_string (value, self->base_url);
      break;
    case PROP_INTERVAL_SECONDS:
      g_value_set_uint (value, self->interval_seconds);
      break;
    case PROP_TIMEOUT_SECONDS:
      g_value_set_uint (value, self->timeout_seconds);
      break;
    case PROP_RETRY_SECONDS:
      g_value_set_uint (value, self->retry_seconds);
      break;
    case PROP_FAILURES_BEFORE_DOWN:
      g_value_set_uint (value, self->failures_before_down);
      break;
    case PROP_DETAIL:
      g_value_set_string (value, self->detail);
      break;
    case PROP_CHECKING:
      g_value_set_boolean (value, okno_calcom_monitor_get_checking (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static gboolean
set_uint (guint        *field,
          const GValue *value)
{
  if (*field == g_value_get_uint (value))
    return FALSE;
  *field = g_value_get_uint (value);
  return TRUE;
}

static void
okno_calcom_monitor_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  OknoCalcomMonitor *self = OKNO_CALCOM_MONITOR (object);

  switch (prop_id)
    {
    case PROP_BASE_URL:
      {
        const char *url = g_value_get_string (value);
        g_autofree char *trimmed = NULL;

        if (url == NULL || url[0] == '\0')
          url = OKNO_CALCOM_DEFAULT_API_URL;
        trimmed = g_strdup (url);
        while (g_str_has_suffix (trimmed, "/"))
          trimmed[strlen (trimmed) - 1] = '\0';
        if (g_strcmp0 (trimmed, self->base_url) != 0)
          {
            g_free (self->base_url);
            self->base_url = g_steal_pointer (&trimmed);
            g_object_notify_by_pspec (object, pspec);
            restart (self);
          }
      }
      break;
    case PROP_INTERVAL_SECONDS:
      if (set_uint (&self->interval_seconds, value))
        {
          g_object_notify_by_pspec (object, pspec);
          if (self->next_source != 0 && self->failures == 0)
            schedule_next (self, self->interval_seconds);
        }
      break;
    case PROP_TIMEOUT_SECONDS:
      if (set_uint (&self->timeout_seconds, value))
        g_object_notify_by_pspec (object, pspec);
      break;
    case PROP_RETRY_SECONDS:
      if (set_uint (&self->retry_seconds, value))
        g_object_notify_by_pspec (object, pspec);
      break;
    case PROP_FAILURES_BEFORE_DOWN:
      if (set_uint (&self->failures_before_down, value))
        g_object_notify_by_pspec (object, pspec);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
okno_calcom_monitor_class_init (OknoCalcomMonitorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = okno_calcom_monitor_dispose;
  object_class->finalize = okno_calcom_monitor_finalize;
  object_class->get_property = okno_calcom_monitor_get_property;
  object_class->set_property = okno_calcom_monitor_set_property;

  /**
   * OknoCalcomMonitor:base-url:
   *
   * Cal.com's v2 API; by default `OKNO_CALCOM_API_URL` or the real one.
   */
  properties [PROP_BASE_URL] =
    g_param_spec_string ("base-url", NULL, NULL,
                         OKNO_CALCOM_DEFAULT_API_URL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties [PROP_INTERVAL_SECONDS] =
    g_param_spec_uint ("interval-seconds", NULL, NULL,
                       1, G_MAXUINT, 3600,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties [PROP_TIMEOUT_SECONDS] =
    g_param_spec_uint ("timeout-seconds", NULL, NULL,
                       1, 600, 10,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties [PROP_RETRY_SECONDS] =
    g_param_spec_uint ("retry-seconds", NULL, NULL,
                       1, G_MAXUINT, 60,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties [PROP_FAILURES_BEFORE_DOWN] =
    g_param_spec_uint ("failures-before-down", NULL, NULL,
                       1, 10, 2,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * OknoCalcomMonitor:detail:
   *
   * The last answer in words for Olga, with what to do when it is hers to do.
   */
  properties [PROP_DETAIL] =
    g_param_spec_string ("detail", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties [PROP_CHECKING] =
    g_param_spec_boolean ("checking", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * OknoCalcomMonitor::state-changed:
   * @from: the old state
   * @to: the new state
   *
   * Cal.com went from one of `up`, `down`, `unauthorized` to another: the
   * news every channel passes on. Starting, and saving or clearing the
   * key, are not news.
   */
  signals [STATE_CHANGED] =
    g_signal_new ("state-changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);
}

static void
okno_calcom_monitor_init (OknoCalcomMonitor *self)
{
  const char *url = g_getenv ("OKNO_CALCOM_API_URL");

  self->interval_seconds = 3600;
  self->timeout_seconds = 10;
  self->retry_seconds = 60;
  self->failures_before_down = 2;
  self->waiting = g_ptr_array_new_with_free_func (g_object_unref);
  self->state = okno_service_state_new ("unconfigured");
  self->detail = g_strdup (_("No Cal.com API key is saved, so Okno does not check Cal.com."));
  self->session = okno_http_session_new ("max-conns-per-host", 2, NULL);
  self->base_url = g_strdup (url != NULL && url[0] != '\0' ? url : OKNO_CALCOM_DEFAULT_API_URL);
  while (g_str_has_suffix (self->base_url, "/"))
    self->base_url[strlen (self->base_url) - 1] = '\0';
}

OknoCalcomMonitor *
okno_calcom_monitor_new (void)
{
  return g_object_new (OKNO_TYPE_CALCOM_MONITOR, NULL);
}

/**
 * okno_calcom_monitor_get_state:
 *
 * Returns: (transfer none): the state, its start and the last check; the
 *   same object for the monitor's life
 */
OknoServiceState *
okno_calcom_monitor_get_state (OknoCalcomMonitor *self)
{
  g_return_val_if_fail (OKNO_IS_CALCOM_MONITOR (self), NULL);
  return self->state;
}

const char *
okno_calcom_monitor_get_detail (OknoCalcomMonitor *self)
{
  g_return_val_if_fail (OKNO_IS_CALCOM_MONITOR (self), NULL);
  return self->detail;
}

gboolean
okno_calcom_monitor_get_checking (OknoCalcomMonitor *self)
{
  g_return_val_if_fail (OKNO_IS_CALCOM_MONITOR (self), FALSE);
  return self->probe_cancellable != NULL;
}

/**
 * okno_calcom_monitor_set_api_key:
 * @api_key: (nullable): her Cal.com API key (`cal_live_…`), or %NULL
 *
 * The key is kept only in memory and never logged. Without one the state
 * is `unconfigured`; with a new one it is `unknown` until checked.
 */
void
okno_calcom_monitor_set_api_key (OknoCalcomMonitor *self,
                                 const char        *api_key)
{
  g_return_if_fail (OKNO_IS_CALCOM_MONITOR (self));

  if (api_key != NULL && api_key[0] == '\0')
    api_key = NULL;
  if (g_strcmp0 (self->api_key, api_key) == 0)
    return;

  g_free (self->api_key);
  self->api_key = g_strdup (api_key);
  if (api_key != NULL)
    {
      okno_service_state_update (self->state, "unknown", NULL,
                                 okno_service_state_get_checked_at (self->state));
      set_detail (self, _("Cal.com has not been checked yet."));
    }
  restart (self);
}

/* Probes now and then every :interval-seconds. */
void
okno_calcom_monitor_start (OknoCalcomMonitor *self)
{
  g_return_if_fail (OKNO_IS_CALCOM_MONITOR (self));

  if (self->started)
    return;
  self->started = TRUE;
  probe (self);
}

/**
 * okno_calcom_monitor_check_async:
 *
 * Checks Cal.com now (or joins the check under way) and completes with the
 * state it leads to.
 */
void
okno_calcom_monitor_check_async (OknoCalcomMonitor   *self,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (OKNO_IS_CALCOM_MONITOR (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, okno_calcom_monitor_check_async);
  g_ptr_array_add (self->waiting, g_steal_pointer (&task));
  probe (self);
}

/**
 * okno_calcom_monitor_check_finish:
 *
 * Returns: (transfer full): the state after the check
 */
char *
okno_calcom_monitor_check_finish (OknoCalcomMonitor  *self,
                                  GAsyncResult       *result,
                                  GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
okno_calcom_monitor_check_now (OknoCalcomMonitor *self)
{
  okno_calcom_monitor_check_async (self, NULL, NULL, NULL);
}

/**
 * okno_calcom_monitor_title_for:
 * @state: a state word
 *
 * Returns: the headline for a change to @state, as every channel says it
 */
const char *
okno_calcom_monitor_title_for (const char *state)
{
  if (g_strcmp0 (state, "up") == 0)
    return _("Cal.com is back");
  if (g_strcmp0 (state, "down") == 0)
    return _("Cal.com is down");
  if (g_strcmp0 (state, "unauthorized") == 0)
    return _("Cal.com refuses Okno’s API key");
  if (g_strcmp0 (state, "unconfigured") == 0)
    return _("Cal.com is not watched");
  return _("Cal.com has not been checked yet");
}
