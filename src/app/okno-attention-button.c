/* okno-attention-button.c
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "OknoAttentionButton"

#include "config.h"

#include <glib/gi18n.h>

#include "okno-attention-button.h"
#include "okno-time.h"

/* "Needs attention" in the header bar: a button with the number of items,
 * shown only while there are any, that opens a list where Olga reads each
 * item and dismisses it. */
struct _OknoAttentionButton
{
  GtkWidget      parent_instance;

  OknoAttention *attention;
  GtkWidget     *button;
  GtkWidget     *count;
  GtkWidget     *list;
};

G_DEFINE_FINAL_TYPE (OknoAttentionButton, okno_attention_button, GTK_TYPE_WIDGET)

static void rebuild (OknoAttentionButton *self);

static void
dismiss_clicked_cb (GtkButton           *button,
                    OknoAttentionButton *self)
{
  const char *id = g_object_get_data (G_OBJECT (button), "okno-attention-id");
  g_autoptr(GError) error = NULL;

  if (!okno_attention_dismiss (self->attention, id, &error))
    g_warning ("%s", error->message);
}

static GtkWidget *
new_row (OknoAttentionButton *self,
         JsonObject          *item)
{
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *texts = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *message = gtk_label_new (json_object_get_string_member (item, "message"));
  GtkWidget *when;
  GtkWidget *dismiss;
  g_autoptr(GDateTime) created = okno_time_parse_rfc3339 (json_object_get_string_member_with_default (item, "created", ""));
  g_autofree char *created_text = NULL;

  if (created != NULL)
    {
      g_autoptr(GDateTime) local = g_date_time_to_local (created);
      /* Translators: when an attention item arose; strftime format */
      created_text = g_date_time_format (local, _("%e %b, %H:%M"));
    }
  when = gtk_label_new (created_text);

  gtk_widget_set_margin_top (row, 6);
  gtk_widget_set_margin_bottom (row, 6);
  gtk_widget_set_margin_start (row, 6);
  gtk_widget_set_margin_end (row, 6);
  gtk_label_set_wrap (GTK_LABEL (message), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (message), 40);
  gtk_label_set_xalign (GTK_LABEL (message), 0);
  gtk_label_set_selectable (GTK_LABEL (message), TRUE);
  gtk_label_set_xalign (GTK_LABEL (when), 0);
  gtk_widget_add_css_class (when, "dim-label");
  gtk_widget_add_css_class (when, "caption");
  gtk_widget_set_hexpand (texts, TRUE);
  gtk_box_append (GTK_BOX (texts), message);
  gtk_box_append (GTK_BOX (texts), when);

  dismiss = gtk_button_new_from_icon_name ("window-close-symbolic");
  gtk_widget_set_valign (dismiss, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (dismiss, "flat");
  gtk_widget_add_css_class (dismiss, "circular");
  gtk_widget_set_tooltip_text (dismiss, _("Dismiss"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (dismiss), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Dismiss"), -1);
  g_object_set_data_full (G_OBJECT (dismiss), "okno-attention-id",
                          g_strdup (json_object_get_string_member (item, "id")), g_free);
  g_signal_connect (dismiss, "clicked", G_CALLBACK (dismiss_clicked_cb), self);

  gtk_box_append (GTK_BOX (row), texts);
  gtk_box_append (GTK_BOX (row), dismiss);
  return row;
}

static void
rebuild (OknoAttentionButton *self)
{
  g_autoptr(GPtrArray) items = okno_attention_dup_items (self->attention);
  g_autofree char *count = g_strdup_printf ("%u", items->len);
  g_autofree char *label = NULL;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (self->list)))
    gtk_list_box_remove (GTK_LIST_BOX (self->list), child);
  for (guint i = 0; i < items->len; i++)
    gtk_list_box_append (GTK_LIST_BOX (self->list), new_row (self, g_ptr_array_index (items, i)));

  gtk_label_set_text (GTK_LABEL (self->count), count);
  label = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u item needs attention", "%u items need attention",
                                        items->len), items->len);
  gtk_widget_set_tooltip_text (self->button, label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->button), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  gtk_widget_set_visible (GTK_WIDGET (self), items->len > 0);
  if (items->len == 0)
    gtk_menu_button_popdown (GTK_MENU_BUTTON (self->button));
}

static void
okno_attention_button_dispose (GObject *object)
{
  OknoAttentionButton *self = (OknoAttentionButton *) object;

  g_clear_pointer (&self->button, gtk_widget_unparent);
  g_clear_object (&self->attention);

  G_OBJECT_CLASS (okno_attention_button_parent_class)->dispose (object);
}

static void
okno_attention_button_class_init (OknoAttentionButtonClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = okno_attention_button_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "attentionbutton");
}

static void
okno_attention_button_init (OknoAttentionButton *self)
{
  GtkWidget *content = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 4);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *title = gtk_label_new (_("Needs attention"));
  GtkWidget *scroller = gtk_scrolled_window_new ();
  GtkWidget *popover = gtk_popover_new ();

  self->button = gtk_menu_button_new ();
  gtk_widget_set_parent (self->button, GTK_WIDGET (self));
  self->count = gtk_label_new ("0");
  gtk_box_append (GTK_BOX (content), gtk_image_new_from_icon_name ("dialog-warning-symbolic"));
  gtk_box_append (GTK_BOX (content), self->count);
  gtk_menu_button_set_child (GTK_MENU_BUTTON (self->button), content);
  gtk_widget_add_css_class (self->button, "flat");

  gtk_widget_add_css_class (title, "heading");
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  self->list = gtk_list_box_new ();
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (self->list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (self->list, "boxed-list");
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), self->list);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scroller), TRUE);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scroller), 420);
  gtk_box_append (GTK_BOX (box), title);
  gtk_box_append (GTK_BOX (box), scroller);
  gtk_popover_set_child (GTK_POPOVER (popover), box);
  gtk_menu_button_set_popover (GTK_MENU_BUTTON (self->button), popover);
}

GtkWidget *
okno_attention_button_new (OknoAttention *attention)
{
  OknoAttentionButton *self;

  g_return_val_if_fail (OKNO_IS_ATTENTION (attention), NULL);

  self = g_object_new (OKNO_TYPE_ATTENTION_BUTTON, NULL);
  self->attention = g_object_ref (attention);
  g_signal_connect_object (attention, "notify::count", G_CALLBACK (rebuild), self, G_CONNECT_SWAPPED);
  rebuild (self);

  return GTK_WIDGET (self);
}

/* For tests: the list of items in the popover. */
GtkWidget *
okno_attention_button_get_list (OknoAttentionButton *self)
{
  g_return_val_if_fail (OKNO_IS_ATTENTION_BUTTON (self), NULL);
  return self->list;
}
