/* okno-test-calendar.c
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "OknoTestCalendar"

#include "config.h"

#include "okno-errors.h"
#include "okno-test-calendar.h"
#include "okno-time.h"

/* A calendar backend for tests, in memory, that behaves like a remote one
 * on demand: the next N calls of a method fail with a given error (and
 * change nothing), or apply their change and then lose the answer (the
 * caller sees OFFLINE, as after a dropped connection); every call can be
 * answered after a delay (the change lands when the answer comes, as on a
 * server); someone else can change an event so the etag a caller holds
 * goes stale. It counts the calls of each method and the changes applied,
 * so a test can check that something happened exactly once. */
struct _OknoTestCalendar
{
  GObject            parent_instance;

  GHashTable        *events;   /* id → OknoEvent */
  OknoCalendarState  state;
  guint              delay;
  guint64            etag_counter;
  guint              pending;

  guint              calls [OKNO_TEST_CALENDAR_N_METHODS];
  guint              applied [OKNO_TEST_CALENDAR_N_METHODS];
  guint              fail_left [OKNO_TEST_CALENDAR_N_METHODS];
  int                fail_code [OKNO_TEST_CALENDAR_N_METHODS];
  guint              lose_left [OKNO_TEST_CALENDAR_N_METHODS];
  int                lose_code [OKNO_TEST_CALENDAR_N_METHODS];
};

typedef struct
{
  OknoTestCalendarMethod  method;
  OknoEvent              *event;   /* insert, update */
  char                   *id;      /* delete */
  char                   *etag;    /* delete */
} Op;

static void calendar_iface_init (OknoCalendarInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (OknoTestCalendar, okno_test_calendar, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (OKNO_TYPE_CALENDAR, calendar_iface_init))

enum {
  PROP_0,
  PROP_STATE,
  N_PROPS
};

static void
op_free (Op *op)
{
  g_clear_object (&op->event);
  g_free (op->id);
  g_free (op->etag);
  g_free (op);
}

static char *
next_etag (OknoTestCalendar *self)
{
  return g_strdup_printf ("\"t%" G_GUINT64_FORMAT "\"", ++self->etag_counter);
}

static OknoEvent *
store (OknoTestCalendar *self,
       OknoEvent        *event)
{
  OknoEvent *stored = okno_event_copy (event);
  g_autofree char *etag = next_etag (self);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  okno_event_set_etag (stored, etag);
  okno_event_set_updated (stored, now);
  okno_event_set_cancelled (stored, FALSE);
  g_hash_table_replace (self->events, g_strdup (okno_event_get_id (stored)), stored);

  return g_object_ref (stored);
}

/* Applies @op; returns the stored event (insert, update), or sets @error. */
static gboolean
apply (OknoTestCalendar  *self,
       Op                *op,
       OknoEvent        **result,
       GError           **error)
{
  OknoEvent *current;

  switch (op->method)
    {
    case OKNO_TEST_CALENDAR_INSERT:
      if (g_hash_table_contains (self->events, okno_event_get_id (op->event)))
        {
          g_set_error (error, OKNO_CALENDAR_ERROR, OKNO_CALENDAR_ERROR_CONFLICT,
                       "An event with id %s exists already", okno_event_get_id (op->event));
          return FALSE;
        }
      *result = store (self, op->event);
      break;

    case OKNO_TEST_CALENDAR_UPDATE:
      current = g_hash_table_lookup (self->events, okno_event_get_id (op->event));
      if (current == NULL)
        {
          g_set_error (error, OKNO_CALENDAR_ERROR, OKNO_CALENDAR_ERROR_NOT_FOUND, "No such event");
          return FALSE;
        }
      if (okno_event_get_etag (op->event) != NULL &&
          g_strcmp0 (okno_event_get_etag (op->event), okno_event_get_etag (current)) != 0)
        {
          g_set_error (error, OKNO_CALENDAR_ERROR, OKNO_CALENDAR_ERROR_CONFLICT, "Stale etag");
          return FALSE;
        }
      *result = store (self, op->event);
      break;

    case OKNO_TEST_CALENDAR_DELETE:
      current = g_hash_table_lookup (self->events, op->id);
      if (current == NULL)
        {
          g_set_error (error, OKNO_CALENDAR_ERROR, OKNO_CALENDAR_ERROR_NOT_FOUND, "No such event");
          return FALSE;
        }
      if (g_strcmp0 (op->etag, okno_event_get_etag (current)) != 0)
        {
          g_set_error (error, OKNO_CALENDAR_ERROR, OKNO_CALENDAR_ERROR_CONFLICT, "Stale etag");
          return FALSE;
        }
      g_hash_table_remove (self->events, op->id);
      break;

    case OKNO_TEST_CALENDAR_REFRESH:
      break;

    case OKNO_TEST_CALENDAR_N_METHODS:
    default:
      g_assert_not_reached ();
    }

  self->applied [op->method]++;
  return TRUE;
}

static void
complete (GTask *task)
{
  OknoTestCalendar *self = g_task_get_source_object (task);
  Op *op = g_task_get_task_data (task);
  g_autoptr(OknoEvent) result = NULL;
  g_autoptr(GError) error = NULL;

  self->pending--;

  if (self->fail_left [op->method] > 0)
    {
      self->fail_left [op->method]--;
      g_task_return_new_error (task, OKNO_CALENDAR_ERROR, self->fail_code [op->method],
                               "Failing on purpose (%u more)", self->fail_left [op->method]);
      return;
    }

  if (!apply (self, op, &result, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (op->method != OKNO_TEST_CALENDAR_REFRESH)
    okno_calendar_emit_changed (OKNO_CALENDAR (self));

  if (self->lose_left [op->method] > 0)
    {
      self->lose_left [op->method]--;
      g_task_return_new_error (task, OKNO_CALENDAR_ERROR, self->lose_code [op->method],
                               "The change landed but its answer was lost");
      return;
    }

  if (result != NULL)
    g_task_return_pointer (task, g_steal_pointer (&result), g_object_unref);
  else
    g_task_return_boolean (task, TRUE);
}

static gboolean
delayed_cb (gpointer user_data)
{
  complete (G_TASK (user_data));
  return G_SOURCE_REMOVE;
}

static void
start (OknoTestCalendar       *self,
       Op                     *op,
       GCancellable           *cancellable,
       GAsyncReadyCallback     callback,
       gpointer                user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, start);
  g_task_set_task_data (task, op, (GDestroyNotify) op_free);
  self->calls [op->method]++;
  self->pending++;

  if (self->delay > 0)
    g_timeout_add_full (G_PRIORITY_DEFAULT, self->delay, delayed_cb,
                        g_object_ref (task), g_object_unref);
  else
    complete (task);
}

static GPtrArray *
okno_test_calendar_list_events (OknoCalendar *calendar,
                                GDateTime    *range_start,
                                GDateTime    *range_end)
{
  OknoTestCalendar *self = OKNO_TEST_CALENDAR (calendar);
  GPtrArray *result = g_ptr_array_new_with_free_func (g_object_unref);
  GHashTableIter iter;
  OknoEvent *event;

  g_hash_table_iter_init (&iter, self->events);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &event))
    if (okno_time_ranges_overlap (okno_event_get_start (event), okno_event_get_end (event),
                                  range_start, range_end))
      g_ptr_array_add (result, g_object_ref (event));

  g_ptr_array_sort (result, okno_event_compare);
  return result;
}

static OknoEvent *
okno_test_calendar_lookup_event (OknoCalendar *calendar,
                                 const char   *event_id)
{
  return g_hash_table_lookup (OKNO_TEST_CALENDAR (calendar)->events, event_id);
}

static OknoCalendarState
okno_test_calendar_get_state (OknoCalendar *calendar)
{
  return OKNO_TEST_CALENDAR (calendar)->state;
}

static GDateTime *
okno_test_calendar_get_last_sync (OknoCalendar *calendar)
{
  return NULL;
}

static void
okno_test_calendar_insert_event_async (OknoCalendar        *calendar,
                                       OknoEvent           *event,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  Op *op = g_new0 (Op, 1);

  op->method = OKNO_TEST_CALENDAR_INSERT;
  op->event = okno_event_copy (event);
  start (OKNO_TEST_CALENDAR (calendar), op, cancellable, callback, user_data);
}

static void
okno_test_calendar_update_event_async (OknoCalendar        *calendar,
                                       OknoEvent           *event,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  Op *op = g_new0 (Op, 1);

  op->method = OKNO_TEST_CALENDAR_UPDATE;
  op->event = okno_event_copy (event);
  start (OKNO_TEST_CALENDAR (calendar), op, cancellable, callback, user_data);
}

static OknoEvent *
okno_test_calendar_event_finish (OknoCalendar  *calendar,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
okno_test_calendar_delete_event_async (OknoCalendar        *calendar,
                                       const char          *event_id,
                                       const char          *etag,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  Op *op = g_new0 (Op, 1);

  op->method = OKNO_TEST_CALENDAR_DELETE;
  op->id = g_strdup (event_id);
  op->etag = g_strdup (etag);
  start (OKNO_TEST_CALENDAR (calendar), op, cancellable, callback, user_data);
}

static void
okno_test_calendar_refresh_async (OknoCalendar        *calendar,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  Op *op = g_new0 (Op, 1);

  op->method = OKNO_TEST_CALENDAR_REFRESH;
  start (OKNO_TEST_CALENDAR (calendar), op, cancellable, callback, user_data);
}

static gboolean
okno_test_calendar_boolean_finish (OknoCalendar  *calendar,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
calendar_iface_init (OknoCalendarInterface *iface)
{
  iface->list_events = okno_test_calendar_list_events;
  iface->lookup_event = okno_test_calendar_lookup_event;
  iface->get_state = okno_test_calendar_get_state;
  iface->get_last_sync = okno_test_calendar_get_last_sync;
  iface->insert_event_async = okno_test_calendar_insert_event_async;
  iface->insert_event_finish = okno_test_calendar_event_finish;
  iface->update_event_async = okno_test_calendar_update_event_async;
  iface->update_event_finish = okno_test_calendar_event_finish;
  iface->delete_event_async = okno_test_calendar_delete_event_async;
  iface->delete_event_finish = okno_test_calendar_boolean_finish;
  iface->refresh_async = okno_test_calendar_refresh_async;
  iface->refresh_finish = okno_test_calendar_boolean_finish;
}

static void
okno_test_calendar_finalize (GObject *object)
{
  OknoTestCalendar *self = (OknoTestCalendar *) object;

  g_clear_pointer (&self->events, g_hash_table_unref);

  G_OBJECT_CLASS (okno_test_calendar_parent_class)->finalize (object);
}

static void
okno_test_calendar_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  OknoTestCalendar *self = OKNO_TEST_CALENDAR (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
okno_test_calendar_class_init (OknoTestCalendarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = okno_test_calendar_finalize;
  object_class->get_property = okno_test_calendar_get_property;

  g_object_class_override_property (object_class, PROP_STATE, "state");
}

static void
okno_test_calendar_init (OknoTestCalendar *self)
{
  self->events = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->state = OKNO_CALENDAR_STATE_SYNCED;
}

OknoTestCalendar *
okno_test_calendar_new (void)
{
  return g_object_new (OKNO_TYPE_TEST_CALENDAR, NULL);
}

/* The next @times calls of @method fail with OKNO_CALENDAR_ERROR @code
 * and change nothing. */
void
okno_test_calendar_fail (OknoTestCalendar       *self,
                         OknoTestCalendarMethod  method,
                         guint                   times,
                         int                     code)
{
  g_return_if_fail (OKNO_IS_TEST_CALENDAR (self));
  g_return_if_fail (method < OKNO_TEST_CALENDAR_N_METHODS);

  self->fail_left [method] = times;
  self->fail_code [method] = code;
}

/* The next @times calls of @method that succeed apply their change, then
 * fail with OFFLINE as if the answer had been lost on the way back. */
void
okno_test_calendar_lose_answers (OknoTestCalendar       *self,
                                 OknoTestCalendarMethod  method,
                                 guint                   times)
{
  g_return_if_fail (OKNO_IS_TEST_CALENDAR (self));
  g_return_if_fail (method < OKNO_TEST_CALENDAR_N_METHODS);

  self->lose_left [method] = times;
  self->lose_code [method] = OKNO_CALENDAR_ERROR_OFFLINE;
}

/* Like okno_test_calendar_lose_answers(), with another error: CONFLICT is
 * what a remote backend that repeated a lost insert itself answers (the id
 * exists: its own first try). */
void
okno_test_calendar_lose_answers_as (OknoTestCalendar       *self,
                                    OknoTestCalendarMethod  method,
                                    guint                   times,
                                    int                     code)
{
  g_return_if_fail (OKNO_IS_TEST_CALENDAR (self));
  g_return_if_fail (method < OKNO_TEST_CALENDAR_N_METHODS);

  self->lose_left [method] = times;
  self->lose_code [method] = code;
}

/* Every call from now on is answered (and applied) @msec later. */
void
okno_test_calendar_set_delay (OknoTestCalendar *self,
                              guint             msec)
{
  g_return_if_fail (OKNO_IS_TEST_CALENDAR (self));
  self->delay = msec;
}

/* Someone else changes the event: it gets a new etag, so a write with
 * the etag a caller holds now conflicts. FALSE if there is no such event. */
gboolean
okno_test_calendar_conflict (OknoTestCalendar *self,
                             const char       *event_id)
{
  OknoEvent *current;
  g_autofree char *etag = NULL;

  g_return_val_if_fail (OKNO_IS_TEST_CALENDAR (self), FALSE);

  if (!(current = g_hash_table_lookup (self->events, event_id)))
    return FALSE;

  etag = next_etag (self);
  okno_event_set_etag (current, etag);
  okno_calendar_emit_changed (OKNO_CALENDAR (self));
  return TRUE;
}

void
okno_test_calendar_set_state (OknoTestCalendar  *self,
                              OknoCalendarState  state)
{
  g_return_if_fail (OKNO_IS_TEST_CALENDAR (self));

  if (self->state == state)
    return;

  self->state = state;
  okno_calendar_notify_state (OKNO_CALENDAR (self));
}

/* How many times @method was called, whatever came of it. */
guint
okno_test_calendar_get_calls (OknoTestCalendar       *self,
                              OknoTestCalendarMethod  method)
{
  g_return_val_if_fail (OKNO_IS_TEST_CALENDAR (self), 0);
  g_return_val_if_fail (method < OKNO_TEST_CALENDAR_N_METHODS, 0);
  return self->calls [method];
}

/* How many calls of @method changed the calendar (lost answers included). */
guint
okno_test_calendar_get_applied (OknoTestCalendar       *self,
                                OknoTestCalendarMethod  method)
{
  g_return_val_if_fail (OKNO_IS_TEST_CALENDAR (self), 0);
  g_return_val_if_fail (method < OKNO_TEST_CALENDAR_N_METHODS, 0);
  return self->applied [method];
}

/* Calls not answered yet (with a delay set). */
guint
okno_test_calendar_get_pending (OknoTestCalendar *self)
{
  g_return_val_if_fail (OKNO_IS_TEST_CALENDAR (self), 0);
  return self->pending;
}

guint
okno_test_calendar_get_n_events (OknoTestCalendar *self)
{
  g_return_val_if_fail (OKNO_IS_TEST_CALENDAR (self), 0);
  return g_hash_table_size (self->events);
}

/* Puts @event (a copy, given an etag) straight in, as if it had been
 * there all along: not counted, no ::changed. */
void
okno_test_calendar_put (OknoTestCalendar *self,
                        OknoEvent        *event)
{
  g_autoptr(OknoEvent) stored = NULL;

  g_return_if_fail (OKNO_IS_TEST_CALENDAR (self));
  g_return_if_fail (okno_event_get_id (event) != NULL);

  stored = store (self, event);
}
