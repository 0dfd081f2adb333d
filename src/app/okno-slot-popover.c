/* okno-slot-popover.c
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "OknoSlotPopover"

#include "config.h"

#include <glib/gi18n.h>

#include "okno-session-type.h"
#include "okno-slot-popover.h"

/* An open slot's popover: when it is, which session type it offers (one
 * choice per type) and a way to remove it. It only says what Olga chose;
 * the week view makes the change, so that it can be undone. */
struct _OknoSlotPopover
{
  GtkPopover  parent_instance;
};

G_DEFINE_FINAL_TYPE (OknoSlotPopover, okno_slot_popover, GTK_TYPE_POPOVER)

enum {
  TYPE_CHOSEN,
  REMOVE,
  N_SIGNALS
};

static guint signals [N_SIGNALS];

static void
type_toggled_cb (GtkCheckButton  *button,
                 OknoSlotPopover *self)
{
  if (!gtk_check_button_get_active (button))
    return;
  g_signal_emit (self, signals [TYPE_CHOSEN], 0, g_object_get_data (G_OBJECT (button), "okno-type-id"));
  gtk_popover_popdown (GTK_POPOVER (self));
}

static void
remove_clicked_cb (OknoSlotPopover *self)
{
  gtk_popover_popdown (GTK_POPOVER (self));
  g_signal_emit (self, signals [REMOVE], 0);
}

static void
okno_slot_popover_class_init (OknoSlotPopoverClass *klass)
{
  /**
   * OknoSlotPopover::type-chosen:
   * @id: the id of the session type Olga chose for the slot
   */
  signals [TYPE_CHOSEN] =
    g_signal_new ("type-chosen", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  /**
   * OknoSlotPopover::remove:
   *
   * Olga asked to remove the slot.
   */
  signals [REMOVE] =
    g_signal_new ("remove", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
okno_slot_popover_init (OknoSlotPopover *self)
{
}

/**
 * okno_slot_popover_new:
 * @types: (element-type OknoSessionType): the session types
 * @current_type_id: (nullable): the slot's type now
 */
GtkWidget *
okno_slot_popover_new (OknoEvent  *event,
                       GListModel *types,
                       const char *current_type_id,
                       GTimeZone  *zone)
{
  OknoSlotPopover *self = g_object_new (OKNO_TYPE_SLOT_POPOVER, NULL);
  GtkBox *box = GTK_BOX (gtk_box_new (GTK_ORIENTATION_VERTICAL, 6));
  g_autoptr(GDateTime) start = g_date_time_to_timezone (okno_event_get_start (event), zone);
  g_autoptr(GDateTime) end = g_date_time_to_timezone (okno_event_get_end (event), zone);
  /* Translators: an open slot's date in its popover, strftime format («вторник, 25 ноября») */
  g_autofree char *day = g_date_time_format (start, _("%A, %-d %B"));
  g_autofree char *from = g_date_time_format (start, "%H:%M");
  g_autofree char *to = g_date_time_format (end, "%H:%M");
  g_autofree char *heading = g_strdup_printf ("%s, %s–%s", day, from, to);
  GtkWidget *label, *button;
  GtkCheckButton *group = NULL;
  guint n = g_list_model_get_n_items (types);

  g_return_val_if_fail (OKNO_IS_EVENT (event), NULL);

  gtk_widget_set_margin_start (GTK_WIDGET (box), 6);
  gtk_widget_set_margin_end (GTK_WIDGET (box), 6);
  gtk_widget_set_margin_top (GTK_WIDGET (box), 6);
  gtk_widget_set_margin_bottom (GTK_WIDGET (box), 6);
  gtk_popover_set_child (GTK_POPOVER (self), GTK_WIDGET (box));

  label = gtk_label_new (heading);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "heading");
  gtk_box_append (box, label);

  if (n > 0)
    {
      label = gtk_label_new (_("Session type"));
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_widget_add_css_class (label, "dim-label");
      gtk_widget_set_margin_top (label, 6);
      gtk_box_append (box, label);
    }

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(OknoSessionType) type = g_list_model_get_item (types, i);
      g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s, %u minute", "%s, %u minutes",
                                                            okno_session_type_get_minutes (type)),
                                               okno_session_type_get_name (type),
                                               okno_session_type_get_minutes (type));

      button = gtk_check_button_new_with_label (text);
      if (group != NULL)
        gtk_check_button_set_group (GTK_CHECK_BUTTON (button), group);
      else
        group = GTK_CHECK_BUTTON (button);
      gtk_check_button_set_active (GTK_CHECK_BUTTON (button),
                                   g_strcmp0 (current_type_id, okno_session_type_get_id (type)) == 0);
      g_object_set_data_full (G_OBJECT (button), "okno-type-id",
                              g_strdup (okno_session_type_get_id (type)), g_free);
      g_signal_connect_object (button, "toggled", G_CALLBACK (type_toggled_cb), self, 0);
      gtk_box_append (box, button);
    }

  button = gtk_button_new_with_mnemonic (_("_Remove Slot"));
  gtk_widget_set_margin_top (button, 6);
  g_signal_connect_object (button, "clicked", G_CALLBACK (remove_clicked_cb), self, G_CONNECT_SWAPPED);
  gtk_box_append (box, button);

  return GTK_WIDGET (self);
}
