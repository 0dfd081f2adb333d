/* okno-event-tile.c
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "OknoEventTile"

#include "config.h"

#include <glib/gi18n.h>

#include "okno-event-tile.h"

/* One event on the week grid: an open slot, a booked session or a busy
 * event, told apart by CSS class (colours from libadwaita's palette in
 * style.css). It is focusable and carries an accessible label that says
 * what it is and when, since the grid itself is drawn. */
struct _OknoEventTile
{
  GtkWidget      parent_instance;

  OknoEvent     *event;
  OknoEventKind  kind;
  GtkWidget     *label;
  int            fitted_height;
  int            fitted_width;
};

G_DEFINE_FINAL_TYPE (OknoEventTile, okno_event_tile, GTK_TYPE_WIDGET)

static char *
format_range (OknoEvent *event,
              GTimeZone *zone)
{
  g_autoptr(GDateTime) start = g_date_time_to_timezone (okno_event_get_start (event), zone);
  g_autoptr(GDateTime) end = g_date_time_to_timezone (okno_event_get_end (event), zone);
  g_autofree char *a = g_date_time_format (start, "%H:%M");
  g_autofree char *b = g_date_time_format (end, "%H:%M");

  return g_strdup_printf ("%s–%s", a, b);
}

/* The tile's title: the session type, the client, or the event's own. */
static char *
dup_title (OknoEvent     *event,
           OknoEventKind  kind,
           const char    *slot_marker,
           const char    *booked_marker)
{
  g_autoptr(OknoSlot) slot = okno_slot_new_from_event (event, slot_marker, booked_marker);

  if (kind == OKNO_EVENT_KIND_BOOKED && slot != NULL && okno_slot_get_client_name (slot) != NULL)
    {
      const char *type = okno_slot_get_session_type (slot);
      return type[0] ? g_strdup_printf ("%s — %s", okno_slot_get_client_name (slot), type)
                     : g_strdup (okno_slot_get_client_name (slot));
    }
  if (slot != NULL)
    return g_strdup (okno_slot_get_session_type (slot)[0] ? okno_slot_get_session_type (slot) : _("Open slot"));

  return g_strdup (okno_event_get_summary (event));
}

/**
 * okno_mid_sentence:
 * @text: (transfer full): a date's text that starts with a weekday
 *
 * Returns: (transfer full): @text as written mid-sentence: in Russian the
 *   weekday small («ср 17:30», «вторник»), in English as it is
 */
char *
okno_mid_sentence (char *text)
{
  /* Translators: "lower" if weekday names are written with a small letter
   * mid-sentence in your language (Russian: «ср 17:30»), else "keep" */
  const char *rule = C_("weekday mid-sentence", "keep");
  const char *rest;
  g_autofree char *head = NULL;
  char *result;

  if (text == NULL || text[0] == '\0' || g_strcmp0 (rule, "lower") != 0)
    return text;
  rest = g_utf8_next_char (text);
  head = g_utf8_strdown (text, rest - text);
  result = g_strconcat (head, rest, NULL);
  g_free (text);
  return result;
}

/* «Открытый слот, вторник 25 ноября, 17:30–18:10» */
char *
okno_event_tile_describe (OknoEvent     *event,
                          OknoEventKind  kind,
                          GTimeZone     *zone,
                          const char    *slot_marker,
                          const char    *booked_marker)
{
  g_autoptr(GDateTime) start = g_date_time_to_timezone (okno_event_get_start (event), zone);
  /* Translators: a day in an accessible label, strftime format */
  /* Mid-sentence: «Открытый слот, вторник, 25 ноября» */
  g_autofree char *day = okno_mid_sentence (g_date_time_format (start, _("%A %-d %B")));
  g_autofree char *range = format_range (event, zone);
  g_autofree char *title = dup_title (event, kind, slot_marker, booked_marker);

  switch (kind)
    {
    case OKNO_EVENT_KIND_SLOT:
      return g_strdup_printf (_("Open slot, %s, %s"), day, range);
    case OKNO_EVENT_KIND_BOOKED:
      return g_strdup_printf (_("Booked: %s, %s, %s"), title, day, range);
    case OKNO_EVENT_KIND_BUSY:
    case OKNO_EVENT_KIND_FREE:
    default:
      return g_strdup_printf (_("Busy: %s, %s, %s"), title, day, range);
    }
}

static void
okno_event_tile_dispose (GObject *object)
{
  OknoEventTile *self = (OknoEventTile *) object;
  GtkWidget *child;

  /* The label, and a details popover if one is open on this tile. */
  self->label = NULL;
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))))
    gtk_widget_unparent (child);
  g_clear_object (&self->event);

  G_OBJECT_CLASS (okno_event_tile_parent_class)->dispose (object);
}

static void
okno_event_tile_class_init (OknoEventTileClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = okno_event_tile_dispose;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "eventtile");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_BUTTON);
}

static void
okno_event_tile_init (OknoEventTile *self)
{
  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);

  /* One label for the time and the title: a week has hundreds of tiles,
   * and each widget less is startup time saved. */
  self->label = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (self->label), 0);
  gtk_label_set_yalign (GTK_LABEL (self->label), 0);
  gtk_label_set_wrap (GTK_LABEL (self->label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (self->label), PANGO_WRAP_WORD);
  gtk_label_set_ellipsize (GTK_LABEL (self->label), PANGO_ELLIPSIZE_END);
  gtk_label_set_lines (GTK_LABEL (self->label), 1);
  gtk_widget_set_parent (self->label, GTK_WIDGET (self));
}

GtkWidget *
okno_event_tile_new (OknoEvent     *event,
                     OknoEventKind  kind,
                     GTimeZone     *zone,
                     const char    *slot_marker,
                     const char    *booked_marker,
                     gboolean       past)
{
  OknoEventTile *self;
  g_autofree char *range = NULL;
  g_autofree char *title = NULL;
  g_autofree char *description = NULL;
  static const char * const classes[] = {
    [OKNO_EVENT_KIND_BUSY] = "busy",
    [OKNO_EVENT_KIND_FREE] = "busy",
    [OKNO_EVENT_KIND_SLOT] = "slot",
    [OKNO_EVENT_KIND_BOOKED] = "booked",
  };

  g_return_val_if_fail (OKNO_IS_EVENT (event), NULL);

  self = g_object_new (OKNO_TYPE_EVENT_TILE, NULL);
  self->event = g_object_ref (event);
  self->kind = kind;

  range = format_range (event, zone);
  title = dup_title (event, kind, slot_marker, booked_marker);
  description = okno_event_tile_describe (event, kind, zone, slot_marker, booked_marker);

  {
    g_autofree char *markup = g_markup_printf_escaped ("<b>%s</b>\n%s", range, title);
    gtk_label_set_markup (GTK_LABEL (self->label), markup);
  }
  gtk_widget_add_css_class (GTK_WIDGET (self), classes[kind]);
  if (past)
    gtk_widget_add_css_class (GTK_WIDGET (self), "past");
  /* The tile may show only its first lines: the tooltip has them all. */
  {
    g_autofree char *tooltip = kind == OKNO_EVENT_KIND_BUSY || kind == OKNO_EVENT_KIND_FREE
                             ? g_strdup (description)
                             : g_strdup_printf ("%s\n%s", title, description);
    gtk_widget_set_tooltip_text (GTK_WIDGET (self), tooltip);
  }
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, description,
                                  -1);

  return GTK_WIDGET (self);
}

/* The label's height with @lines lines (-1: all) at @width. */
static int
label_height (OknoEventTile *self,
              int            lines,
              int            width)
{
  int minimum, natural;

  gtk_label_set_lines (GTK_LABEL (self->label), lines);
  gtk_widget_measure (self->label, GTK_ORIENTATION_VERTICAL, width, &minimum, &natural, NULL, NULL);
  return natural;
}

/**
 * okno_event_tile_fit:
 * @width: the width the tile will be given
 * @height: the height the tile will be given
 *
 * Shows as many whole lines as fit in @height, the last ellipsized, so that
 * no line is cut through its glyphs. Call before measuring the tile.
 */
void
okno_event_tile_fit (OknoEventTile *self,
                     int            width,
                     int            height)
{
  GtkBorder padding, border;
  int inner_width, inner_height, lines;

  g_return_if_fail (OKNO_IS_EVENT_TILE (self));

  if (height == self->fitted_height && width == self->fitted_width)
    return;
  self->fitted_height = height;
  self->fitted_width = width;

  gtk_style_context_get_padding (gtk_widget_get_style_context (GTK_WIDGET (self)), &padding);
  gtk_style_context_get_border (gtk_widget_get_style_context (GTK_WIDGET (self)), &border);
  inner_width = MAX (1, width - padding.left - padding.right - border.left - border.right);
  inner_height = height - padding.top - padding.bottom - border.top - border.bottom;

  /* Lines differ in height (the bold time, fallback fonts): measure.
   * Most often everything fits, or a short tile takes one line. */
  if (label_height (self, -1, inner_width) <= inner_height)
    return;
  for (lines = 1; lines < 12 && label_height (self, lines + 1, inner_width) <= inner_height; lines++)
    ;
  gtk_label_set_lines (GTK_LABEL (self->label), lines);
}

OknoEvent *
okno_event_tile_get_event (OknoEventTile *self)
{
  g_return_val_if_fail (OKNO_IS_EVENT_TILE (self), NULL);
  return self->event;
}

OknoEventKind
okno_event_tile_get_kind (OknoEventTile *self)
{
  g_return_val_if_fail (OKNO_IS_EVENT_TILE (self), OKNO_EVENT_KIND_BUSY);
  return self->kind;
}

void
okno_event_tile_set_selected (OknoEventTile *self,
                              gboolean       selected)
{
  g_return_if_fail (OKNO_IS_EVENT_TILE (self));

  if (selected)
    gtk_widget_add_css_class (GTK_WIDGET (self), "selected");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "selected");
}
