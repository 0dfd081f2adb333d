/* okno-week-view.c
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "OknoWeekView"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <math.h>

#include "okno-booking-popover.h"
#include "okno-event-tile.h"
#include "okno-session-type.h"
#include "okno-slot-popover.h"
#include "okno-time.h"
#include "okno-week-view-private.h"

/* Olga's week: seven day columns of 24 hours under a ruler. The grid draws
 * the lines, the hours, today, the "now" line, the keyboard cursor and the
 * preview of a drag; the events are child widgets (OknoEventTile), laid out
 * by overlap groups.
 *
 * Pressing on empty grid and dragging publishes a slot from press to
 * release; a click publishes one of the default length. Dragging an open
 * slot moves it (across days too), dragging its top or bottom edge resizes
 * it. Everything snaps to the grid setting and is written through the
 * calendar backend, so the public page sees it at once; nothing may land on
 * a booked session, a busy event or another slot, and the preview says why.
 * Every change can be undone. */

#define RULER_WIDTH   56
#define HOUR_HEIGHT   48    /* until the window says how much room there is */
#define EDGE          6
#define MIN_TILE      18
#define DRAG_SLOP     3

typedef enum
{
  DRAG_NONE,
  DRAG_CREATE,
  DRAG_MOVE,
  DRAG_RESIZE_TOP,
  DRAG_RESIZE_BOTTOM,
  DRAG_TILE,
} DragMode;

typedef enum
{
  UNDO_CREATE,
  UNDO_CHANGE,
  UNDO_DELETE,
} UndoKind;

typedef struct
{
  UndoKind   kind;
  OknoEvent *before;   /* the event as it was (CHANGE, DELETE) */
  char      *id;       /* the event the change made (CREATE) */
  guint      group;    /* ops of one group are undone together; 0 alone */
} UndoOp;

struct _OknoWeekView
{
  GtkWidget      parent_instance;

  OknoProfile  *instance;
  GDateTime     *week;             /* midnight of the first day shown */
  int            n_days;           /* 7, or fewer in a narrow window */
  GPtrArray     *tiles;
  OknoEventTile *selected;
  GPtrArray     *undo;
  guint          undo_group;       /* the group new ops join, or 0 */
  guint          last_group;
  guint          pending;
  gboolean       pointer_focus;    /* focus moves by a click: never scroll for it */
  int            new_minutes;      /* the current type's length, or 0: look it up */
  guint          now_timer;
  guint          rebuild_source;
  double         hour_height;
  PangoLayout   *hour_labels[24];   /* the ruler's, made once */

  DragMode       mode;
  OknoEventTile *drag_tile;
  double         press_x;
  double         press_y;
  gboolean       moved;
  int            press_day;
  int            press_minutes;
  int            preview_day;
  int            preview_start;
  int            preview_end;
  char          *refusal;

  int            cursor_day;
  int            cursor_minutes;
};

G_DEFINE_FINAL_TYPE (OknoWeekView, okno_week_view, GTK_TYPE_WIDGET)

enum {
  MESSAGE,
  N_SIGNALS
};

static guint signals [N_SIGNALS];

enum {
  PROP_0,
  PROP_CAN_UNDO,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

static void
undo_op_free (UndoOp *op)
{
  g_clear_object (&op->before);
  g_free (op->id);
  g_free (op);
}

static OknoSchedule *
get_schedule (OknoWeekView *self)
{
  return okno_profile_get_schedule (self->instance);
}

static OknoCalendar *
get_calendar (OknoWeekView *self)
{
  return okno_profile_get_calendar (self->instance);
}

static OknoSlotService *
get_slot_service (OknoWeekView *self)
{
  return okno_profile_get_slot_service (self->instance);
}

static GTimeZone *
get_zone (OknoWeekView *self)
{
  return okno_schedule_get_time_zone (get_schedule (self));
}

static int
get_setting (OknoWeekView *self,
             const char   *key)
{
  return (int) g_settings_get_uint (okno_profile_get_settings (self->instance), key);
}

static void
get_geometry (OknoWeekView     *self,
              OknoWeekGeometry *geometry)
{
  geometry->ruler_width = RULER_WIDTH;
  geometry->width = gtk_widget_get_width (GTK_WIDGET (self));
  geometry->hour_height = self->hour_height;
  geometry->n_days = self->n_days;
}

static void
message (OknoWeekView *self,
         const char   *text)
{
  g_signal_emit (self, signals [MESSAGE], 0, text);
}

/* Midnight starting @day (0 = Monday) of the week shown. */
static GDateTime *
day_start (OknoWeekView *self,
           int           day)
{
  return g_date_time_add_days (self->week, day);
}

static GDateTime *
time_at (OknoWeekView *self,
         int           day,
         int           minutes)
{
  g_autoptr(GDateTime) midnight = day_start (self, day);

  return g_date_time_add_minutes (midnight, minutes);
}

/* The day of the week shown that @time falls in, or -1. */
static int
day_of (OknoWeekView *self,
        GDateTime    *time)
{
  for (int day = 0; day < self->n_days; day++)
    {
      g_autoptr(GDateTime) from = day_start (self, day);
      g_autoptr(GDateTime) to = day_start (self, day + 1);

      if (g_date_time_compare (time, from) >= 0 && g_date_time_compare (time, to) < 0)
        return day;
    }
  return -1;
}

static int
minutes_into (OknoWeekView *self,
              int           day,
              GDateTime    *time)
{
  g_autoptr(GDateTime) midnight = day_start (self, day);

  return (int) (g_date_time_difference (time, midnight) / G_TIME_SPAN_MINUTE);
}

static OknoEventTile *
tile_at (OknoWeekView *self,
         double        x,
         double        y)
{
  for (guint i = 0; i < self->tiles->len; i++)
    {
      GtkWidget *tile = g_ptr_array_index (self->tiles, i);
      graphene_rect_t bounds;

      if (gtk_widget_compute_bounds (tile, GTK_WIDGET (self), &bounds) &&
          graphene_rect_contains_point (&bounds, &GRAPHENE_POINT_INIT (x, y)))
        return OKNO_EVENT_TILE (tile);
    }
  return NULL;
}

static void
select_tile (OknoWeekView  *self,
             OknoEventTile *tile)
{
  if (self->selected == tile)
    return;
  if (self->selected)
    okno_event_tile_set_selected (self->selected, FALSE);
  self->selected = tile;
  if (tile)
    okno_event_tile_set_selected (tile, TRUE);
}

/* Why a slot may not take [@start, @end), or NULL if it may: the slot
 * service's rule, the one the command line follows too. */
static char *
dup_refusal (OknoWeekView *self,
             GDateTime    *start,
             GDateTime    *end,
             OknoEvent    *ignore)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GError) error = NULL;

  if (okno_slot_service_check (get_slot_service (self), start, end,
                               ignore ? okno_event_get_id (ignore) : NULL, now, NULL, &error))
    return NULL;

  return g_strdup (error->message);
}

/* The session type a click or a drag publishes (header bar's choice). */
static OknoSessionType *
dup_current_type (OknoWeekView *self)
{
  GSettings *settings = okno_profile_get_settings (self->instance);
  g_autoptr(GListStore) types = okno_session_types_load (settings);

  return okno_session_types_dup_current (settings, G_LIST_MODEL (types));
}

/* A click publishes a slot of the current type's length (kept until the
 * types change: the keyboard cursor is drawn with it every frame). */
static int
new_slot_minutes (OknoWeekView *self)
{
  if (self->new_minutes == 0)
    {
      g_autoptr(OknoSessionType) type = dup_current_type (self);

      self->new_minutes = type ? (int) okno_session_type_get_minutes (type) : get_setting (self, "slot-minutes");
    }
  return self->new_minutes;
}

static void
types_changed_cb (OknoWeekView *self)
{
  self->new_minutes = 0;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* «🔓 СЛОТ: <type>», never with a length: the slot's times say it. */
static char *
dup_new_slot_title (OknoWeekView *self)
{
  g_autoptr(OknoSessionType) type = dup_current_type (self);
  const char *marker = okno_schedule_get_slot_marker (get_schedule (self));

  return type ? okno_session_type_dup_slot_title (type, marker) : g_strdup (marker);
}

typedef struct
{
  OknoWeekView *self;
  UndoOp       *undo;   /* to push on success, or NULL when undoing */
} OpData;

static void
op_finished (OpData   *data,
             gboolean  ok,
             GError   *error,
             const char *id)
{
  OknoWeekView *self = data->self;

  self->pending--;
  if (ok && data->undo != NULL)
    {
      if (data->undo->kind == UNDO_CREATE)
        data->undo->id = g_strdup (id);
      g_ptr_array_add (self->undo, g_steal_pointer (&data->undo));
      if (self->undo->len == 1)
        g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_CAN_UNDO]);
    }
  else if (!ok && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_autofree char *text = g_strdup_printf (_("Not saved: %s"), error->message);
      message (self, text);
    }

  g_clear_pointer (&data->undo, undo_op_free);
  g_object_unref (self);
  g_free (data);
}

static void
inserted_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OknoEvent) event = okno_slot_service_publish_finish (OKNO_SLOT_SERVICE (object), result, &error);

  op_finished (user_data, event != NULL, error, event ? okno_event_get_id (event) : NULL);
}

static void
updated_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OknoEvent) event = okno_slot_service_move_finish (OKNO_SLOT_SERVICE (object), result, &error);

  op_finished (user_data, event != NULL, error, NULL);
}

static void
deleted_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  gboolean ok = okno_slot_service_delete_finish (OKNO_SLOT_SERVICE (object), result, &error);

  op_finished (user_data, ok, error, NULL);
}

static OpData *
op_new (OknoWeekView *self,
        UndoKind      kind,
        OknoEvent    *before,
        gboolean      undoable)
{
  OpData *data = g_new0 (OpData, 1);

  data->self = g_object_ref (self);
  if (undoable)
    {
      data->undo = g_new0 (UndoOp, 1);
      data->undo->kind = kind;
      data->undo->before = before ? okno_event_copy (before) : NULL;
      data->undo->group = self->undo_group;
    }
  self->pending++;
  return data;
}

static void
publish_slot (OknoWeekView *self,
              GDateTime    *start,
              GDateTime    *end,
              const char   *title,
              gboolean      undoable)
{
  g_autofree char *summary = title ? g_strdup (title) : dup_new_slot_title (self);

  okno_slot_service_publish_async (get_slot_service (self), start, end, summary, NULL, inserted_cb,
                                   op_new (self, UNDO_CREATE, NULL, undoable));
}

static void
change_slot (OknoWeekView *self,
             OknoEvent    *event,
             GDateTime    *start,
             GDateTime    *end,
             const char   *summary,
             gboolean      undoable)
{
  g_autofree char *fresh = NULL;

  /* A slot's title never keeps a length its times no longer have
   * («(40 мин)» on a slot made 90 minutes long). */
  if (summary == NULL)
    {
      g_autofree char *stripped = okno_session_type_name_from_title (okno_event_get_summary (event));

      if (stripped[0] != '\0' && g_strcmp0 (stripped, okno_event_get_summary (event)) != 0)
        summary = fresh = g_steal_pointer (&stripped);
    }
  okno_slot_service_move_async (get_slot_service (self), okno_event_get_id (event), start, end, summary,
                                NULL, updated_cb, op_new (self, UNDO_CHANGE, event, undoable));
}

static void
remove_slot (OknoWeekView *self,
             OknoEvent    *event,
             gboolean      undoable)
{
  okno_slot_service_delete_async (get_slot_service (self), okno_event_get_id (event), NULL, deleted_cb,
                                  op_new (self, UNDO_DELETE, event, undoable));
}

/* What a tile shows depends on these; a tile whose key is unchanged is
 * kept, so a booking re-creates one tile, not the week's hundreds. */
static char *
dup_tile_key (OknoEvent     *event,
              OknoEventKind  kind,
              gboolean       past)
{
  return g_strdup_printf ("%s|%s|%d|%d", okno_event_get_id (event),
                          okno_event_get_etag (event) ? okno_event_get_etag (event) : "", kind, past);
}

static void
rebuild (OknoWeekView *self)
{
  OknoSchedule *schedule = get_schedule (self);
  GListModel *model = G_LIST_MODEL (schedule);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GHashTable) old = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *selected_id = NULL;
  GHashTableIter iter;
  gpointer value;
  guint n = g_list_model_get_n_items (model);

  g_clear_handle_id (&self->rebuild_source, g_source_remove);

  if (self->selected)
    selected_id = g_strdup (okno_event_get_id (okno_event_tile_get_event (self->selected)));
  select_tile (self, NULL);

  for (guint i = 0; i < self->tiles->len; i++)
    {
      GtkWidget *tile = g_ptr_array_index (self->tiles, i);
      g_hash_table_replace (old, g_strdup (g_object_get_data (G_OBJECT (tile), "okno-key")), tile);
    }
  g_ptr_array_set_size (self->tiles, 0);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(OknoEvent) event = g_list_model_get_item (model, i);
      OknoEventKind kind = okno_schedule_classify (schedule, event);
      gboolean past = g_date_time_compare (okno_event_get_end (event), now) <= 0;
      g_autofree char *key = NULL;
      GtkWidget *tile;

      if (kind == OKNO_EVENT_KIND_FREE || okno_event_is_all_day (event))
        continue;

      key = dup_tile_key (event, kind, past);
      if ((tile = g_hash_table_lookup (old, key)))
        g_hash_table_remove (old, key);
      else
        {
          tile = okno_event_tile_new (event, kind, get_zone (self),
                                      okno_schedule_get_slot_marker (schedule),
                                      okno_schedule_get_booked_marker (schedule),
                                      past);
          g_object_set_data_full (G_OBJECT (tile), "okno-key", g_steal_pointer (&key), g_free);
          gtk_widget_set_parent (tile, GTK_WIDGET (self));
        }
      g_ptr_array_add (self->tiles, tile);

      if (g_strcmp0 (selected_id, okno_event_get_id (event)) == 0)
        select_tile (self, OKNO_EVENT_TILE (tile));
    }

  /* What is left was removed or changed. */
  g_hash_table_iter_init (&iter, old);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      if (self->drag_tile == value)
        {
          self->drag_tile = NULL;
          self->mode = DRAG_NONE;
        }
      gtk_widget_unparent (value);
    }

  gtk_widget_queue_allocate (GTK_WIDGET (self));
}

static gboolean
rebuild_cb (gpointer user_data)
{
  OknoWeekView *self = user_data;

  self->rebuild_source = 0;
  rebuild (self);
  return G_SOURCE_REMOVE;
}

/* Changes come in bursts (a booking touches the ledger, then the
 * calendar): one rebuild for all of them, before the next frame. */
static void
schedule_items_changed_cb (OknoWeekView *self)
{
  if (self->rebuild_source == 0)
    self->rebuild_source = g_idle_add_full (G_PRIORITY_HIGH_IDLE + 10, rebuild_cb, self, NULL);
}

static void
show_details (OknoWeekView  *self,
              OknoEventTile *tile)
{
  GtkWidget *popover = okno_booking_popover_new (okno_profile_get_service (self->instance),
                                                 okno_event_tile_get_event (tile));

  gtk_widget_set_parent (popover, GTK_WIDGET (tile));
  g_signal_connect (popover, "closed", G_CALLBACK (gtk_widget_unparent), NULL);
  gtk_popover_popup (GTK_POPOVER (popover));
}

static void
slot_type_chosen_cb (OknoSlotPopover *popover,
                     const char      *id,
                     OknoWeekView    *self)
{
  OknoEvent *event = g_object_get_data (G_OBJECT (popover), "okno-event");
  GSettings *settings = okno_profile_get_settings (self->instance);
  g_autoptr(GListStore) types = okno_session_types_load (settings);
  OknoSessionType *type = okno_session_types_lookup (G_LIST_MODEL (types), id);
  OknoEvent *current;
  g_autofree char *title = NULL;

  /* The slot may have changed or gone since the popover opened. */
  if (type == NULL || event == NULL ||
      !(current = okno_calendar_lookup_event (get_calendar (self), okno_event_get_id (event))))
    return;

  title = okno_session_type_dup_slot_title (type, okno_schedule_get_slot_marker (get_schedule (self)));
  if (g_strcmp0 (title, okno_event_get_summary (current)) != 0)
    change_slot (self, current, okno_event_get_start (current), okno_event_get_end (current), title, TRUE);
}

static void
slot_remove_cb (OknoSlotPopover *popover,
                OknoWeekView    *self)
{
  OknoEvent *event = g_object_get_data (G_OBJECT (popover), "okno-event");
  OknoEvent *current;

  if (event != NULL && (current = okno_calendar_lookup_event (get_calendar (self), okno_event_get_id (event))))
    remove_slot (self, current, TRUE);
}

/* An open slot's popover: its type can be changed there. */
static void
show_slot_details (OknoWeekView  *self,
                   OknoEventTile *tile)
{
  GSettings *settings = okno_profile_get_settings (self->instance);
  g_autoptr(GListStore) types = okno_session_types_load (settings);
  OknoEvent *event = okno_event_tile_get_event (tile);
  OknoSchedule *schedule = get_schedule (self);
  g_autoptr(OknoSlot) slot = okno_slot_new_from_event (event, okno_schedule_get_slot_marker (schedule),
                                                       okno_schedule_get_booked_marker (schedule));
  OknoSessionType *type = slot ? okno_session_types_find_for_title (G_LIST_MODEL (types),
                                                                    okno_slot_get_session_type (slot)) : NULL;
  GtkWidget *popover = okno_slot_popover_new (event, G_LIST_MODEL (types),
                                              type ? okno_session_type_get_id (type) : NULL,
                                              get_zone (self));

  g_object_set_data_full (G_OBJECT (popover), "okno-event", g_object_ref (event), g_object_unref);
  g_signal_connect_object (popover, "type-chosen", G_CALLBACK (slot_type_chosen_cb), self, 0);
  g_signal_connect_object (popover, "remove", G_CALLBACK (slot_remove_cb), self, 0);
  gtk_widget_set_parent (popover, GTK_WIDGET (tile));
  g_signal_connect (popover, "closed", G_CALLBACK (gtk_widget_unparent), NULL);
  gtk_popover_popup (GTK_POPOVER (popover));
}

/* The vertical adjustment of the view the week scrolls in, if any. */
static GtkAdjustment *
get_vadjustment (OknoWeekView *self)
{
  GtkWidget *viewport = gtk_widget_get_ancestor (GTK_WIDGET (self), GTK_TYPE_VIEWPORT);

  return viewport ? gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (viewport)) : NULL;
}

/* Scrolls just enough for [@y, @y + @height) to be seen: for the keyboard
 * only. The scroll position otherwise moves only when Olga scrolls. */
static void
scroll_into_view (OknoWeekView *self,
                  double        y,
                  double        height)
{
  GtkAdjustment *adjustment = get_vadjustment (self);
  double value, page;

  if (adjustment == NULL)
    return;
  value = gtk_adjustment_get_value (adjustment);
  page = gtk_adjustment_get_page_size (adjustment);
  if (y < value)
    gtk_adjustment_set_value (adjustment, y);
  else if (y + MIN (height, page) > value + page)
    gtk_adjustment_set_value (adjustment, y + MIN (height, page) - page);
}

/* Press: decide from what is under the pointer what a drag will do. */
void
_okno_week_view_press (OknoWeekView *self,
                       double        x,
                       double        y)
{
  OknoWeekGeometry geometry;
  OknoEventTile *tile = tile_at (self, x, y);

  get_geometry (self, &geometry);
  self->press_x = x;
  self->press_y = y;
  self->moved = FALSE;
  self->press_day = okno_week_geometry_day_at (&geometry, x);
  self->press_minutes = okno_week_geometry_minutes_at (&geometry, y);
  self->drag_tile = tile;
  g_clear_pointer (&self->refusal, g_free);

  if (tile == NULL)
    self->mode = self->press_day >= 0 ? DRAG_CREATE : DRAG_NONE;
  else if (okno_event_tile_get_kind (tile) != OKNO_EVENT_KIND_SLOT)
    self->mode = DRAG_TILE;
  else
    {
      graphene_rect_t bounds;

      if (!gtk_widget_compute_bounds (GTK_WIDGET (tile), GTK_WIDGET (self), &bounds))
        graphene_rect_init (&bounds, x, y - EDGE * 2, 1, EDGE * 4);
      if (y - bounds.origin.y <= EDGE)
        self->mode = DRAG_RESIZE_TOP;
      else if (bounds.origin.y + bounds.size.height - y <= EDGE)
        self->mode = DRAG_RESIZE_BOTTOM;
      else
        self->mode = DRAG_MOVE;
    }

  /* Focus moves on release: a focus change restyles the window, which
   * would make the drag's first frames slow. */
  if (tile != NULL)
    select_tile (self, tile);
  else
    {
      int snap = MAX (1, get_setting (self, "snap-minutes"));

      select_tile (self, NULL);
      if (self->press_day >= 0)
        {
          self->cursor_day = self->press_day;
          self->cursor_minutes = CLAMP (okno_week_snap (self->press_minutes, snap), 0, OKNO_MINUTES_PER_DAY - snap);
        }
    }
}

/* Motion: the preview follows the pointer, snapped, and says if refused. */
void
_okno_week_view_motion (OknoWeekView *self,
                        double        x,
                        double        y)
{
  OknoWeekGeometry geometry;
  int snap = MAX (1, get_setting (self, "snap-minutes"));
  int minutes, day;
  g_autoptr(GDateTime) start = NULL;
  g_autoptr(GDateTime) end = NULL;
  OknoEvent *event = self->drag_tile ? okno_event_tile_get_event (self->drag_tile) : NULL;

  if (self->mode == DRAG_NONE || self->mode == DRAG_TILE)
    return;
  if (!self->moved && ABS (x - self->press_x) < DRAG_SLOP && ABS (y - self->press_y) < DRAG_SLOP)
    return;

  self->moved = TRUE;
  get_geometry (self, &geometry);
  minutes = okno_week_geometry_minutes_at (&geometry, y);
  day = okno_week_geometry_day_at (&geometry, x);

  switch (self->mode)
    {
    case DRAG_CREATE:
      {
        int a = okno_week_snap (self->press_minutes, snap);
        int b = okno_week_snap (minutes, snap);

        self->preview_day = self->press_day;
        self->preview_start = MIN (a, b);
        self->preview_end = MAX (MAX (a, b), MIN (a, b) + snap);
      }
      break;

    case DRAG_MOVE:
      {
        int from_day = day_of (self, okno_event_get_start (event));
        int start_min = minutes_into (self, MAX (from_day, 0), okno_event_get_start (event));
        int length = (int) (g_date_time_difference (okno_event_get_end (event), okno_event_get_start (event)) / G_TIME_SPAN_MINUTE);
        int moved_start = okno_week_snap (start_min + minutes - self->press_minutes, snap);

        self->preview_day = day >= 0 ? day : MAX (from_day, 0);
        self->preview_start = CLAMP (moved_start, 0, OKNO_MINUTES_PER_DAY - length);
        self->preview_end = self->preview_start + length;
      }
      break;

    case DRAG_RESIZE_TOP:
    case DRAG_RESIZE_BOTTOM:
      {
        int from_day = MAX (day_of (self, okno_event_get_start (event)), 0);
        int start_min = minutes_into (self, from_day, okno_event_get_start (event));
        int end_min = minutes_into (self, from_day, okno_event_get_end (event));

        self->preview_day = from_day;
        if (self->mode == DRAG_RESIZE_TOP)
          {
            self->preview_start = MIN (okno_week_snap (minutes, snap), end_min - snap);
            self->preview_end = end_min;
          }
        else
          {
            self->preview_start = start_min;
            self->preview_end = MAX (okno_week_snap (minutes, snap), start_min + snap);
          }
      }
      break;

    case DRAG_NONE:
    case DRAG_TILE:
    default:
      g_assert_not_reached ();
    }

  start = time_at (self, self->preview_day, self->preview_start);
  end = time_at (self, self->preview_day, self->preview_end);
  g_free (self->refusal);
  self->refusal = dup_refusal (self, start, end, self->mode == DRAG_CREATE ? NULL : event);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* Release: publish, move or resize; a click publishes a default slot. */
void
_okno_week_view_release (OknoWeekView *self,
                         double        x,
                         double        y)
{
  DragMode mode = self->mode;
  OknoEventTile *tile = self->drag_tile;
  g_autoptr(GDateTime) start = NULL;
  g_autoptr(GDateTime) end = NULL;

  _okno_week_view_motion (self, x, y);
  self->mode = DRAG_NONE;
  self->drag_tile = NULL;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  self->pointer_focus = TRUE;
  gtk_widget_grab_focus (tile != NULL ? GTK_WIDGET (tile) : GTK_WIDGET (self));
  self->pointer_focus = FALSE;

  if (mode == DRAG_NONE)
    return;

  if (!self->moved)
    {
      if (mode == DRAG_CREATE)
        {
          int snap = MAX (1, get_setting (self, "snap-minutes"));
          int minutes = okno_week_snap (self->press_minutes, snap);
          g_autofree char *refusal = NULL;

          start = time_at (self, self->press_day, minutes);
          end = g_date_time_add_minutes (start, new_slot_minutes (self));
          if ((refusal = dup_refusal (self, start, end, NULL)))
            {
              g_free (self->refusal);
              self->refusal = g_strdup (refusal);
              message (self, refusal);
              return;
            }
          publish_slot (self, start, end, NULL, TRUE);
        }
      else if (tile != NULL && okno_event_tile_get_kind (tile) == OKNO_EVENT_KIND_BOOKED)
        show_details (self, tile);
      else if (tile != NULL && okno_event_tile_get_kind (tile) == OKNO_EVENT_KIND_SLOT)
        show_slot_details (self, tile);
      return;
    }

  if (self->refusal != NULL)
    {
      message (self, self->refusal);
      return;
    }

  start = time_at (self, self->preview_day, self->preview_start);
  end = time_at (self, self->preview_day, self->preview_end);
  if (mode == DRAG_CREATE)
    publish_slot (self, start, end, NULL, TRUE);
  else if (tile != NULL)
    change_slot (self, okno_event_tile_get_event (tile), start, end, NULL, TRUE);
}

static void
drag_begin_cb (GtkGestureDrag *gesture,
               double          x,
               double          y,
               OknoWeekView   *self)
{
  _okno_week_view_press (self, x, y);
}

static void
drag_update_cb (GtkGestureDrag *gesture,
                double          dx,
                double          dy,
                OknoWeekView   *self)
{
  _okno_week_view_motion (self, self->press_x + dx, self->press_y + dy);
}

static void
drag_end_cb (GtkGestureDrag *gesture,
             double          dx,
             double          dy,
             OknoWeekView   *self)
{
  _okno_week_view_release (self, self->press_x + dx, self->press_y + dy);
}

typedef struct
{
  OknoWeekView *self;
  OknoEvent    *event;
} CancelForDelete;

static void
cancel_for_delete_free (CancelForDelete *data)
{
  g_clear_object (&data->self);
  g_clear_object (&data->event);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CancelForDelete, cancel_for_delete_free)

/* The booking is cancelled on disk (or could not be): only then does its
 * slot go, so a failed cancel leaves both as they were. */
static void
cancelled_for_delete_cb (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(CancelForDelete) data = user_data;
  g_autoptr(OknoBooking) booking = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  booking = okno_booking_service_cancel_finish (OKNO_BOOKING_SERVICE (object), result, &error);
  if (booking == NULL)
    {
      /* TRANSLATORS: %s says why, e.g. "Cannot write the ledger: No space left on device" */
      text = g_strdup_printf (_("The booking was not cancelled: %s"), _(error->message));
      message (data->self, text);
      return;
    }

  /* TRANSLATORS: %s is the client's name */
  text = g_strdup_printf (_("Booking of %s cancelled"), okno_booking_get_name (booking));
  message (data->self, text);
  remove_slot (data->self, data->event, FALSE);
}

static void
booking_cancelled_for_delete_cb (AdwMessageDialog *dialog,
                                 const char       *response,
                                 OknoWeekView     *self)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  OknoEvent *event = g_object_get_data (G_OBJECT (dialog), "okno-event");
  OknoBooking *booking;
  CancelForDelete *data;

  if (g_strcmp0 (response, "remove") != 0 || event == NULL)
    return;

  booking = okno_ledger_lookup_active_for_slot (okno_profile_get_ledger (self->instance), okno_event_get_id (event));
  if (booking == NULL)
    {
      remove_slot (self, event, FALSE);
      return;
    }

  data = g_new0 (CancelForDelete, 1);
  data->self = g_object_ref (self);
  data->event = g_object_ref (event);
  okno_booking_service_cancel_as_owner_async (okno_profile_get_service (self->instance),
                                              okno_booking_get_id (booking), now, NULL,
                                              cancelled_for_delete_cb, data);
}

void
okno_week_view_delete_selected (OknoWeekView *self)
{
  OknoEvent *event;
  OknoEventKind kind;

  g_return_if_fail (OKNO_IS_WEEK_VIEW (self));

  if (self->selected == NULL)
    return;

  event = okno_event_tile_get_event (self->selected);
  kind = okno_event_tile_get_kind (self->selected);

  if (kind == OKNO_EVENT_KIND_SLOT)
    remove_slot (self, event, TRUE);
  else if (kind == OKNO_EVENT_KIND_BOOKED)
    {
      GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
      GtkWidget *dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                                  _("Remove a Booked Session?"),
                                                  _("The booking will be cancelled and the slot removed."));

      adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                        "keep", _("_Keep"),
                                        "remove", _("_Cancel Booking and Remove"),
                                        NULL);
      adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "remove", ADW_RESPONSE_DESTRUCTIVE);
      adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "keep");
      adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "keep");
      g_object_set_data_full (G_OBJECT (dialog), "okno-event", g_object_ref (event), g_object_unref);
      g_signal_connect_object (dialog, "response", G_CALLBACK (booking_cancelled_for_delete_cb), self, 0);
      gtk_window_present (GTK_WINDOW (dialog));
    }
}

static void
undo_one (OknoWeekView *self,
          UndoOp       *op)
{
  switch (op->kind)
    {
    case UNDO_CREATE:
      {
        OknoEvent *event = okno_calendar_lookup_event (get_calendar (self), op->id);
        if (event)
          remove_slot (self, event, FALSE);
      }
      break;

    case UNDO_CHANGE:
      {
        OknoEvent *event = okno_calendar_lookup_event (get_calendar (self), okno_event_get_id (op->before));
        if (event)
          change_slot (self, event, okno_event_get_start (op->before), okno_event_get_end (op->before),
                       okno_event_get_summary (op->before), FALSE);
      }
      break;

    case UNDO_DELETE:
      /* A deleted event's id is never reused (Google refuses it): a new one. */
      publish_slot (self, okno_event_get_start (op->before), okno_event_get_end (op->before),
                    okno_event_get_summary (op->before), FALSE);
      break;

    default:
      g_assert_not_reached ();
    }
}

/* Undoes the latest change; a change of many slots at once (Copy
 * Previous Week's Slots) is undone in one step. */
gboolean
okno_week_view_undo (OknoWeekView *self)
{
  guint group;

  g_return_val_if_fail (OKNO_IS_WEEK_VIEW (self), FALSE);

  if (self->undo->len == 0)
    return FALSE;

  group = ((UndoOp *) g_ptr_array_index (self->undo, self->undo->len - 1))->group;
  do
    {
      UndoOp *op = g_ptr_array_steal_index (self->undo, self->undo->len - 1);

      undo_one (self, op);
      undo_op_free (op);
    }
  while (group != 0 && self->undo->len > 0 &&
         ((UndoOp *) g_ptr_array_index (self->undo, self->undo->len - 1))->group == group);

  if (self->undo->len == 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_CAN_UNDO]);
  return TRUE;
}

gboolean
okno_week_view_can_undo (OknoWeekView *self)
{
  g_return_val_if_fail (OKNO_IS_WEEK_VIEW (self), FALSE);
  return self->undo->len > 0;
}

/* Copies last week's slots into the week shown, as one undoable step.
 * Returns what it did, in words for a toast. */
char *
okno_week_view_copy_previous_week (OknoWeekView *self)
{
  OknoSchedule *schedule = get_schedule (self);
  g_autoptr(GDateTime) monday = okno_time_week_start (self->week, get_zone (self));
  g_autoptr(GDateTime) from = g_date_time_add_days (monday, -7);
  g_autoptr(GPtrArray) events = okno_calendar_list_events (get_calendar (self), from, monday);
  char *text = NULL;
  guint copied = 0, skipped = 0;

  g_return_val_if_fail (OKNO_IS_WEEK_VIEW (self), NULL);

  self->undo_group = ++self->last_group;

  for (guint i = 0; i < events->len; i++)
    {
      OknoEvent *event = g_ptr_array_index (events, i);
      OknoEventKind kind = okno_schedule_classify (schedule, event);
      g_autoptr(GDateTime) start = NULL;
      g_autoptr(GDateTime) end = NULL;
      g_autofree char *refusal = NULL;
      g_autofree char *title = NULL;
      g_autoptr(OknoSlot) slot = NULL;
      const char *slot_title;

      if ((kind != OKNO_EVENT_KIND_SLOT && kind != OKNO_EVENT_KIND_BOOKED) ||
          g_date_time_compare (okno_event_get_start (event), from) < 0)
        continue;

      start = g_date_time_add_weeks (okno_event_get_start (event), 1);
      end = g_date_time_add_weeks (okno_event_get_end (event), 1);
      if ((refusal = dup_refusal (self, start, end, NULL)))
        {
          skipped++;
          continue;
        }

      /* A booked slot is copied as the open slot it was. */
      slot = okno_slot_new_from_event (event, okno_schedule_get_slot_marker (schedule),
                                       okno_schedule_get_booked_marker (schedule));
      slot_title = okno_event_get_private (event, OKNO_PROP_SLOT_TITLE);
      title = kind == OKNO_EVENT_KIND_SLOT ? g_strdup (okno_event_get_summary (event))
            : slot_title ? g_strdup (slot_title)
            : okno_slot_title_new (okno_schedule_get_slot_marker (schedule), okno_slot_get_session_type (slot));
      {
        /* The copy's title has no stale length either. */
        g_autofree char *stripped = okno_session_type_name_from_title (title);

        publish_slot (self, start, end, stripped[0] ? stripped : title, TRUE);
      }
      copied++;
    }

  if (skipped > 0)
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Copied %u slot; %u would collide and were left out",
                                         "Copied %u slots; %u would collide and were left out", copied),
                            copied, skipped);
  else
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Copied %u slot", "Copied %u slots", copied), copied);
  self->undo_group = 0;
  return text;
}

static void
move_cursor (OknoWeekView *self,
             int           days,
             int           minutes)
{
  self->cursor_day = CLAMP (self->cursor_day + days, 0, self->n_days - 1);
  self->cursor_minutes = CLAMP (self->cursor_minutes + minutes, 0, OKNO_MINUTES_PER_DAY - MAX (1, get_setting (self, "snap-minutes")));
  gtk_widget_queue_draw (GTK_WIDGET (self));
  {
    OknoWeekGeometry geometry;

    get_geometry (self, &geometry);
    scroll_into_view (self, okno_week_geometry_y_for (&geometry, self->cursor_minutes),
                      okno_week_geometry_y_for (&geometry, new_slot_minutes (self)));
  }
}

static gboolean
key_pressed_cb (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                OknoWeekView          *self)
{
  return _okno_week_view_key (self, keyval, state);
}

/* The keyboard: the cursor, publishing, resizing, removing, undo. */
gboolean
_okno_week_view_key (OknoWeekView    *self,
                     guint            keyval,
                     GdkModifierType  state)
{
  int snap = MAX (1, get_setting (self, "snap-minutes"));
  gboolean shift = (state & GDK_SHIFT_MASK) != 0;
  OknoEvent *event = self->selected ? okno_event_tile_get_event (self->selected) : NULL;
  gboolean open_slot = self->selected && okno_event_tile_get_kind (self->selected) == OKNO_EVENT_KIND_SLOT;

  if ((state & GDK_CONTROL_MASK) && (keyval == GDK_KEY_z || keyval == GDK_KEY_Z))
    return okno_week_view_undo (self);

  switch (keyval)
    {
    case GDK_KEY_Delete:
    case GDK_KEY_KP_Delete:
    case GDK_KEY_BackSpace:
      okno_week_view_delete_selected (self);
      return self->selected != NULL;

    case GDK_KEY_Up:
    case GDK_KEY_Down:
      if (shift && open_slot)
        {
          g_autoptr(GDateTime) end = g_date_time_add_minutes (okno_event_get_end (event),
                                                              keyval == GDK_KEY_Up ? -snap : snap);
          g_autofree char *refusal = NULL;

          if (g_date_time_difference (end, okno_event_get_start (event)) < snap * G_TIME_SPAN_MINUTE)
            return TRUE;
          if ((refusal = dup_refusal (self, okno_event_get_start (event), end, event)))
            message (self, refusal);
          else
            change_slot (self, event, okno_event_get_start (event), end, NULL, TRUE);
          return TRUE;
        }
      select_tile (self, NULL);
      gtk_widget_grab_focus (GTK_WIDGET (self));
      move_cursor (self, 0, keyval == GDK_KEY_Up ? -snap : snap);
      return TRUE;

    case GDK_KEY_Left:
    case GDK_KEY_Right:
      if (state & (GDK_ALT_MASK | GDK_CONTROL_MASK))
        return FALSE;
      select_tile (self, NULL);
      gtk_widget_grab_focus (GTK_WIDGET (self));
      move_cursor (self, keyval == GDK_KEY_Left ? -1 : 1, 0);
      return TRUE;

    case GDK_KEY_Return:
    case GDK_KEY_KP_Enter:
    case GDK_KEY_space:
      if (self->selected && okno_event_tile_get_kind (self->selected) == OKNO_EVENT_KIND_BOOKED)
        {
          show_details (self, self->selected);
          return TRUE;
        }
      if (self->selected == NULL)
        {
          g_autoptr(GDateTime) start = time_at (self, self->cursor_day, self->cursor_minutes);
          g_autoptr(GDateTime) end = g_date_time_add_minutes (start, new_slot_minutes (self));
          g_autofree char *refusal = dup_refusal (self, start, end, NULL);

          if (refusal)
            message (self, refusal);
          else
            publish_slot (self, start, end, NULL, TRUE);
          return TRUE;
        }
      return FALSE;

    case GDK_KEY_Escape:
      select_tile (self, NULL);
      gtk_widget_grab_focus (GTK_WIDGET (self));
      return TRUE;

    default:
      return FALSE;
    }
}

static gboolean
now_tick_cb (gpointer user_data)
{
  gtk_widget_queue_draw (GTK_WIDGET (user_data));
  return G_SOURCE_CONTINUE;
}

static void
okno_week_view_measure (GtkWidget      *widget,
                        GtkOrientation  orientation,
                        int             for_size,
                        int            *minimum,
                        int            *natural,
                        int            *minimum_baseline,
                        int            *natural_baseline)
{
  OknoWeekView *self = OKNO_WEEK_VIEW (widget);

  /* The tiles do not decide the grid's size: they are measured where
   * they are allocated, at the width they get. */
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    *minimum = *natural = RULER_WIDTH + self->n_days * 48;
  else
    *minimum = *natural = (int) ceil (24 * self->hour_height);
}

static void
okno_week_view_size_allocate (GtkWidget *widget,
                              int        width,
                              int        height,
                              int        baseline)
{
  OknoWeekView *self = OKNO_WEEK_VIEW (widget);
  OknoWeekGeometry geometry;
  double day_width;

  get_geometry (self, &geometry);
  geometry.width = width;
  day_width = okno_week_geometry_day_width (&geometry);

  for (int day = 0; day < self->n_days; day++)
    {
      g_autoptr(GArray) items = g_array_new (FALSE, TRUE, sizeof (OknoWeekItem));

      for (guint i = 0; i < self->tiles->len; i++)
        {
          OknoEvent *event = okno_event_tile_get_event (g_ptr_array_index (self->tiles, i));
          OknoWeekItem item = { 0 };

          if (day_of (self, okno_event_get_start (event)) != day)
            continue;
          item.data = g_ptr_array_index (self->tiles, i);
          item.start = minutes_into (self, day, okno_event_get_start (event));
          item.end = MIN (minutes_into (self, day, okno_event_get_end (event)), OKNO_MINUTES_PER_DAY);
          item.end = MAX (item.end, item.start + 1);
          g_array_append_val (items, item);
        }

      okno_week_layout_day ((OknoWeekItem *) (gpointer) items->data, items->len);

      for (guint i = 0; i < items->len; i++)
        {
          OknoWeekItem *item = &g_array_index (items, OknoWeekItem, i);
          double column_width = day_width / MAX (item->n_columns, 1);
          double x = okno_week_geometry_x_for_day (&geometry, day) + item->column * column_width + 1;
          double y = okno_week_geometry_y_for (&geometry, item->start) + 1;
          double h = MAX (okno_week_geometry_y_for (&geometry, item->end) - y - 1, MIN_TILE);
          GtkAllocation allocation = { (int) x, (int) y, (int) MAX (column_width * item->span - 2, 4), (int) h };
          int unused_min, unused_nat;

          okno_event_tile_fit (item->data, allocation.width, allocation.height);
          gtk_widget_measure (item->data, GTK_ORIENTATION_VERTICAL, allocation.width,
                              &unused_min, &unused_nat, NULL, NULL);
          gtk_widget_size_allocate (item->data, &allocation, -1);
        }
    }
}

static void
append_rect (GtkSnapshot   *snapshot,
             const GdkRGBA *color,
             double         x,
             double         y,
             double         w,
             double         h)
{
  gtk_snapshot_append_color (snapshot, color, &GRAPHENE_RECT_INIT (x, y, w, h));
}

static void
okno_week_view_snapshot (GtkWidget   *widget,
                         GtkSnapshot *snapshot)
{
  OknoWeekView *self = OKNO_WEEK_VIEW (widget);
  GtkStyleContext *context = gtk_widget_get_style_context (widget);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  OknoWeekGeometry geometry;
  GdkRGBA fg, line, faint, accent, error, today;
  double day_width, height = gtk_widget_get_height (widget);
  int today_index = day_of (self, now);

  get_geometry (self, &geometry);
  day_width = okno_week_geometry_day_width (&geometry);
  gtk_style_context_get_color (context, &fg);
  if (!gtk_style_context_lookup_color (context, "accent_color", &accent))
    gdk_rgba_parse (&accent, "#3584e4");
  if (!gtk_style_context_lookup_color (context, "error_color", &error))
    gdk_rgba_parse (&error, "#e01b24");
  line = fg, line.alpha = 0.15;
  faint = fg, faint.alpha = 0.06;
  today = accent, today.alpha = 0.07;

  if (today_index >= 0)
    append_rect (snapshot, &today, okno_week_geometry_x_for_day (&geometry, today_index), 0, day_width, height);

  for (int hour = 0; hour <= 24; hour++)
    {
      double y = okno_week_geometry_y_for (&geometry, hour * 60);

      append_rect (snapshot, &line, RULER_WIDTH, y, geometry.width - RULER_WIDTH, 1);
      if (hour < 24)
        append_rect (snapshot, &faint, RULER_WIDTH, y + self->hour_height / 2.0, geometry.width - RULER_WIDTH, 1);
      if (hour > 0 && hour < 24)
        {
          int w, h;
          GdkRGBA dim = fg;

          if (self->hour_labels[hour] == NULL)
            {
              g_autofree char *text = g_strdup_printf ("%02d:00", hour);
              self->hour_labels[hour] = gtk_widget_create_pango_layout (widget, text);
            }
          dim.alpha = 0.6;
          pango_layout_get_pixel_size (self->hour_labels[hour], &w, &h);
          gtk_snapshot_save (snapshot);
          gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (RULER_WIDTH - 8 - w, y - h / 2.0));
          gtk_snapshot_append_layout (snapshot, self->hour_labels[hour], &dim);
          gtk_snapshot_restore (snapshot);
        }
    }

  for (int day = 0; day <= self->n_days; day++)
    append_rect (snapshot, &line, okno_week_geometry_x_for_day (&geometry, day), 0, 1, height);

  for (guint i = 0; i < self->tiles->len; i++)
    gtk_widget_snapshot_child (widget, g_ptr_array_index (self->tiles, i), snapshot);

  /* Now. */
  if (today_index >= 0)
    {
      double y = okno_week_geometry_y_for (&geometry, minutes_into (self, today_index, now));
      double x = okno_week_geometry_x_for_day (&geometry, today_index);

      append_rect (snapshot, &error, x, y - 1, day_width, 2);
      gtk_snapshot_append_color (snapshot, &error, &GRAPHENE_RECT_INIT (x - 4, y - 4, 8, 8));
    }

  /* The drag's preview, and its refusal. */
  if (self->mode != DRAG_NONE && self->mode != DRAG_TILE && self->moved)
    {
      GdkRGBA fill = self->refusal ? error : accent;
      GdkRGBA text_color = fg;
      double x = okno_week_geometry_x_for_day (&geometry, self->preview_day) + 2;
      double y = okno_week_geometry_y_for (&geometry, self->preview_start);
      double h = okno_week_geometry_y_for (&geometry, self->preview_end) - y;
      GskRoundedRect outline;
      GdkRGBA border[4] = { fill, fill, fill, fill };
      float widths[4] = { 2, 2, 2, 2 };
      g_autofree char *text = NULL;
      PangoLayout *layout;

      /* A refusal covers what is under it, so that it can be read. */
      if (self->refusal)
        {
          fill.alpha = 0.92;
          if (!gtk_style_context_lookup_color (context, "error_fg_color", &text_color))
            gdk_rgba_parse (&text_color, "#ffffff");
        }
      else
        fill.alpha = 0.25;
      gsk_rounded_rect_init_from_rect (&outline, &GRAPHENE_RECT_INIT (x, y, day_width - 4, h), 6);
      gtk_snapshot_push_rounded_clip (snapshot, &outline);
      append_rect (snapshot, &fill, x, y, day_width - 4, h);
      gtk_snapshot_pop (snapshot);
      gtk_snapshot_append_border (snapshot, &outline, widths, border);

      if (self->refusal)
        text = g_strdup (self->refusal);
      else
        text = g_strdup_printf ("%02d:%02d–%02d:%02d", self->preview_start / 60, self->preview_start % 60,
                                self->preview_end / 60, self->preview_end % 60);
      layout = gtk_widget_create_pango_layout (widget, text);
      pango_layout_set_width (layout, (int) ((day_width - 12) * PANGO_SCALE));
      pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
      gtk_snapshot_save (snapshot);
      gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x + 4, y + 2));
      gtk_snapshot_append_layout (snapshot, layout, &text_color);
      gtk_snapshot_restore (snapshot);
      g_object_unref (layout);
    }

  /* The keyboard cursor, where Enter publishes a slot. */
  if (gtk_widget_has_visible_focus (widget) && self->selected == NULL)
    {
      double x = okno_week_geometry_x_for_day (&geometry, self->cursor_day) + 2;
      double y = okno_week_geometry_y_for (&geometry, self->cursor_minutes);
      double h = okno_week_geometry_y_for (&geometry, new_slot_minutes (self));
      GskRoundedRect outline;
      GdkRGBA border[4] = { accent, accent, accent, accent };
      float widths[4] = { 2, 2, 2, 2 };

      gsk_rounded_rect_init_from_rect (&outline, &GRAPHENE_RECT_INIT (x, y, day_width - 4, h), 6);
      gtk_snapshot_append_border (snapshot, &outline, widths, border);
    }
}

/* Tab onto a tile shows it; a click never scrolls. */
static void
okno_week_view_set_focus_child (GtkWidget *widget,
                                GtkWidget *child)
{
  OknoWeekView *self = OKNO_WEEK_VIEW (widget);
  graphene_rect_t bounds;

  GTK_WIDGET_CLASS (okno_week_view_parent_class)->set_focus_child (widget, child);

  if (child != NULL && !self->pointer_focus && self->mode == DRAG_NONE &&
      gtk_widget_compute_bounds (child, widget, &bounds))
    scroll_into_view (self, bounds.origin.y, bounds.size.height);
}

static void
okno_week_view_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  OknoWeekView *self = OKNO_WEEK_VIEW (object);

  switch (prop_id)
    {
    case PROP_CAN_UNDO:
      g_value_set_boolean (value, self->undo->len > 0);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* A new font or scale: the ruler's labels are made again. */
static void
okno_week_view_css_changed (GtkWidget         *widget,
                            GtkCssStyleChange *change)
{
  OknoWeekView *self = OKNO_WEEK_VIEW (widget);

  GTK_WIDGET_CLASS (okno_week_view_parent_class)->css_changed (widget, change);
  for (guint i = 0; i < G_N_ELEMENTS (self->hour_labels); i++)
    g_clear_object (&self->hour_labels[i]);
}

static void
okno_week_view_dispose (GObject *object)
{
  OknoWeekView *self = (OknoWeekView *) object;

  g_clear_handle_id (&self->now_timer, g_source_remove);
  g_clear_handle_id (&self->rebuild_source, g_source_remove);
  if (self->tiles)
    {
      for (guint i = 0; i < self->tiles->len; i++)
        gtk_widget_unparent (g_ptr_array_index (self->tiles, i));
      g_ptr_array_set_size (self->tiles, 0);
    }
  self->selected = NULL;
  g_clear_object (&self->instance);

  G_OBJECT_CLASS (okno_week_view_parent_class)->dispose (object);
}

static void
okno_week_view_finalize (GObject *object)
{
  OknoWeekView *self = (OknoWeekView *) object;

  g_clear_pointer (&self->tiles, g_ptr_array_unref);
  g_clear_pointer (&self->undo, g_ptr_array_unref);
  g_clear_pointer (&self->week, g_date_time_unref);
  g_clear_pointer (&self->refusal, g_free);
  for (guint i = 0; i < G_N_ELEMENTS (self->hour_labels); i++)
    g_clear_object (&self->hour_labels[i]);

  G_OBJECT_CLASS (okno_week_view_parent_class)->finalize (object);
}

static void
okno_week_view_class_init (OknoWeekViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = okno_week_view_dispose;
  object_class->finalize = okno_week_view_finalize;
  object_class->get_property = okno_week_view_get_property;
  widget_class->set_focus_child = okno_week_view_set_focus_child;
  widget_class->measure = okno_week_view_measure;
  widget_class->size_allocate = okno_week_view_size_allocate;
  widget_class->snapshot = okno_week_view_snapshot;
  widget_class->css_changed = okno_week_view_css_changed;

  /**
   * OknoWeekView:can-undo:
   *
   * Whether there is a change to undo.
   */
  properties [PROP_CAN_UNDO] =
    g_param_spec_boolean ("can-undo", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "weekview");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GRID);

  /**
   * OknoWeekView::message:
   * @text: something to tell Olga, such as why a drop was refused
   */
  signals [MESSAGE] =
    g_signal_new ("message",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
okno_week_view_init (OknoWeekView *self)
{
  GtkGesture *drag = gtk_gesture_drag_new ();
  GtkEventController *keys = gtk_event_controller_key_new ();

  self->tiles = g_ptr_array_new ();
  self->undo = g_ptr_array_new_with_free_func ((GDestroyNotify) undo_op_free);
  self->cursor_minutes = 9 * 60;
  self->hour_height = HOUR_HEIGHT;
  self->n_days = 7;

  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_set_focus_on_click (GTK_WIDGET (self), TRUE);
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);

  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (drag), GDK_BUTTON_PRIMARY);
  g_signal_connect (drag, "drag-begin", G_CALLBACK (drag_begin_cb), self);
  g_signal_connect (drag, "drag-update", G_CALLBACK (drag_update_cb), self);
  g_signal_connect (drag, "drag-end", G_CALLBACK (drag_end_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drag));

  g_signal_connect (keys, "key-pressed", G_CALLBACK (key_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), keys);

  self->now_timer = g_timeout_add_seconds (30, now_tick_cb, self);
}

GtkWidget *
okno_week_view_new (OknoProfile *instance)
{
  OknoWeekView *self;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  g_return_val_if_fail (OKNO_IS_PROFILE (instance), NULL);

  self = g_object_new (OKNO_TYPE_WEEK_VIEW, NULL);
  self->instance = g_object_ref (instance);
  g_signal_connect_object (okno_profile_get_schedule (instance), "items-changed",
                           G_CALLBACK (schedule_items_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (okno_profile_get_settings (instance), "changed::" OKNO_SESSION_TYPES_KEY,
                           G_CALLBACK (types_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (okno_profile_get_settings (instance), "changed::" OKNO_CURRENT_SESSION_TYPE_KEY,
                           G_CALLBACK (types_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (okno_profile_get_settings (instance), "changed::slot-minutes",
                           G_CALLBACK (types_changed_cb), self, G_CONNECT_SWAPPED);
  okno_week_view_set_week (self, now);

  return GTK_WIDGET (self);
}

/* Shows the week @day falls in (Monday first, in Olga's zone). */
void
okno_week_view_set_week (OknoWeekView *self,
                         GDateTime    *day)
{
  g_autoptr(GDateTime) end = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  g_return_if_fail (OKNO_IS_WEEK_VIEW (self));

  g_clear_pointer (&self->week, g_date_time_unref);
  if (self->n_days >= 7)
    self->week = okno_time_week_start (day, get_zone (self));
  else
    {
      g_autoptr(GDateTime) local = g_date_time_to_timezone (day, get_zone (self));
      self->week = g_date_time_new (get_zone (self), g_date_time_get_year (local),
                                    g_date_time_get_month (local), g_date_time_get_day_of_month (local), 0, 0, 0);
    }
  end = g_date_time_add_days (self->week, self->n_days);
  self->cursor_day = MAX (day_of (self, now), 0);

  okno_schedule_set_range (get_schedule (self), self->week, end);
  rebuild (self);
}

/* How many days are side by side: 7 (the week, from Monday), or 3 or 1
 * in a narrow window (from the first day shown). */
void
okno_week_view_set_n_days (OknoWeekView *self,
                           int           n_days)
{
  g_autoptr(GDateTime) first = NULL;

  g_return_if_fail (OKNO_IS_WEEK_VIEW (self));

  n_days = CLAMP (n_days, 1, 7);
  if (n_days == self->n_days)
    return;

  /* Keep today in view when it is in the week shown. */
  {
    g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
    int today = day_of (self, now);

    first = today >= 0 ? g_date_time_ref (now) : g_date_time_ref (self->week);
  }
  self->n_days = n_days;
  okno_week_view_set_week (self, first);
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

int
okno_week_view_get_n_days (OknoWeekView *self)
{
  g_return_val_if_fail (OKNO_IS_WEEK_VIEW (self), 7);
  return self->n_days;
}

GDateTime *
okno_week_view_get_week (OknoWeekView *self)
{
  g_return_val_if_fail (OKNO_IS_WEEK_VIEW (self), NULL);
  return self->week;
}

double
okno_week_view_get_hour_height (OknoWeekView *self)
{
  g_return_val_if_fail (OKNO_IS_WEEK_VIEW (self), HOUR_HEIGHT);
  return self->hour_height;
}

/* Pixels per hour, so that the working day fills the view. Returns
 * whether that changed anything (a new layout is then under way). */
gboolean
okno_week_view_set_hour_height (OknoWeekView *self,
                                double        hour_height)
{
  g_return_val_if_fail (OKNO_IS_WEEK_VIEW (self), FALSE);

  hour_height = CLAMP (hour_height, 32, 120);
  if (G_APPROX_VALUE (hour_height, self->hour_height, 0.5))
    return FALSE;
  self->hour_height = hour_height;
  gtk_widget_queue_resize (GTK_WIDGET (self));
  return TRUE;
}

const char *
_okno_week_view_get_refusal (OknoWeekView *self)
{
  return self->refusal;
}

void
_okno_week_view_get_geometry (OknoWeekView     *self,
                              OknoWeekGeometry *geometry)
{
  get_geometry (self, geometry);
}

guint
_okno_week_view_get_n_tiles (OknoWeekView *self)
{
  return self->tiles->len;
}

GtkWidget *
_okno_week_view_get_tile (OknoWeekView *self,
                          guint         index)
{
  return index < self->tiles->len ? g_ptr_array_index (self->tiles, index) : NULL;
}

/* Whether writes are still under way (tests wait for them). */
gboolean
_okno_week_view_is_busy (OknoWeekView *self)
{
  return self->pending > 0 || self->rebuild_source != 0;
}
