/* okno-waitlist-button.c
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "OknoWaitlistButton"

#include "config.h"

#include <glib/gi18n.h>

#include "okno-time.h"
#include "okno-waitlist-button.h"

/* The waitlist in the header bar: a button with the number of clients
 * waiting, shown only while there are any, that opens the list: who, how
 * to reach them, since when, what suits them, and Remove. */
struct _OknoWaitlistButton
{
  GtkWidget     parent_instance;

  OknoWaitlist *waitlist;
  GtkWidget    *button;
  GtkWidget    *count;
  GtkWidget    *list;
};

G_DEFINE_FINAL_TYPE (OknoWaitlistButton, okno_waitlist_button, GTK_TYPE_WIDGET)

static void
remove_clicked_cb (GtkButton          *button,
                   OknoWaitlistButton *self)
{
  const char *id = g_object_get_data (G_OBJECT (button), "okno-waitlist-id");
  g_autoptr(GError) error = NULL;

  if (!okno_waitlist_remove (self->waitlist, id, &error))
    g_warning ("%s", error->message);
}

static GtkWidget *
caption (const char *text)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 40);
  gtk_widget_add_css_class (label, "dim-label");
  gtk_widget_add_css_class (label, "caption");
  return label;
}

static GtkWidget *
new_row (OknoWaitlistButton *self,
         JsonObject         *entry)
{
  static const char * const kinds[] = { "email", "phone", "telegram" };
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *texts = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *name = gtk_label_new (json_object_get_string_member (entry, "name"));
  GtkWidget *contact;
  GtkWidget *remove;
  g_autoptr(GDateTime) created = okno_time_parse_rfc3339 (json_object_get_string_member_with_default (entry, "created", ""));
  g_autoptr(GString) contacts = g_string_new (NULL);
  g_autofree char *wishes = okno_waitlist_describe_wishes (entry);
  g_autofree char *since = NULL;
  g_autofree char *when = NULL;
  g_autofree char *label = NULL;

  for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
    if (json_object_has_member (entry, kinds[k]))
      g_string_append_printf (contacts, "%s%s", contacts->len ? ", " : "",
                              json_object_get_string_member (entry, kinds[k]));
  if (created != NULL)
    {
      g_autoptr(GDateTime) local = g_date_time_to_local (created);

      /* Translators: since when a client waits; strftime format */
      when = g_date_time_format (local, _("%e %b, %H:%M"));
      /* Translators: «с 3 дек, 09:20 · пн, ср · вечер» */
      since = g_strdup_printf (_("since %s · %s"), g_strstrip (when), wishes);
    }
  else
    since = g_strdup (wishes);

  gtk_widget_set_margin_top (row, 6);
  gtk_widget_set_margin_bottom (row, 6);
  gtk_widget_set_margin_start (row, 6);
  gtk_widget_set_margin_end (row, 6);
  gtk_label_set_xalign (GTK_LABEL (name), 0);
  gtk_widget_add_css_class (name, "heading");
  contact = gtk_label_new (contacts->str);
  gtk_label_set_xalign (GTK_LABEL (contact), 0);
  gtk_label_set_selectable (GTK_LABEL (contact), TRUE);
  gtk_widget_set_hexpand (texts, TRUE);
  gtk_box_append (GTK_BOX (texts), name);
  gtk_box_append (GTK_BOX (texts), contact);
  gtk_box_append (GTK_BOX (texts), caption (since));

  remove = gtk_button_new_from_icon_name ("user-trash-symbolic");
  gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (remove, "flat");
  gtk_widget_add_css_class (remove, "circular");
  /* Translators: a button's name for screen readers: «Убрать Анну из листа ожидания» is too hard; «Убрать: Анна» */
  label = g_strdup_printf (_("Remove from the waitlist: %s"), json_object_get_string_member (entry, "name"));
  gtk_widget_set_tooltip_text (remove, _("Remove from the waitlist"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (remove), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  g_object_set_data_full (G_OBJECT (remove), "okno-waitlist-id",
                          g_strdup (json_object_get_string_member (entry, "id")), g_free);
  g_signal_connect (remove, "clicked", G_CALLBACK (remove_clicked_cb), self);

  gtk_box_append (GTK_BOX (row), texts);
  gtk_box_append (GTK_BOX (row), remove);
  return row;
}

static void
rebuild (OknoWaitlistButton *self)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GPtrArray) entries = okno_waitlist_dup_entries (self->waitlist, now);
  g_autofree char *count = g_strdup_printf ("%u", entries->len);
  g_autofree char *label = NULL;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (self->list)))
    gtk_list_box_remove (GTK_LIST_BOX (self->list), child);
  for (guint i = 0; i < entries->len; i++)
    gtk_list_box_append (GTK_LIST_BOX (self->list), new_row (self, g_ptr_array_index (entries, i)));

  gtk_label_set_text (GTK_LABEL (self->count), count);
  label = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u client waits for a time", "%u clients wait for a time",
                                        entries->len), entries->len);
  gtk_widget_set_tooltip_text (self->button, label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->button), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  gtk_widget_set_visible (GTK_WIDGET (self), entries->len > 0);
  if (entries->len == 0)
    gtk_menu_button_popdown (GTK_MENU_BUTTON (self->button));
}

static void
okno_waitlist_button_dispose (GObject *object)
{
  OknoWaitlistButton *self = (OknoWaitlistButton *) object;

  g_clear_pointer (&self->button, gtk_widget_unparent);
  g_clear_object (&self->waitlist);

  G_OBJECT_CLASS (okno_waitlist_button_parent_class)->dispose (object);
}

static void
okno_waitlist_button_class_init (OknoWaitlistButtonClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = okno_waitlist_button_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "waitlistbutton");
}

static void
okno_waitlist_button_init (OknoWaitlistButton *self)
{
  GtkWidget *content = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 4);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *title = gtk_label_new (_("Waitlist"));
  GtkWidget *scroller = gtk_scrolled_window_new ();
  GtkWidget *popover = gtk_popover_new ();

  self->button = gtk_menu_button_new ();
  gtk_widget_set_parent (self->button, GTK_WIDGET (self));
  self->count = gtk_label_new ("0");
  gtk_box_append (GTK_BOX (content), gtk_image_new_from_icon_name ("system-users-symbolic"));
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
  gtk_box_append (GTK_BOX (box), caption (_("Clients waiting for a time to open. Those with an email get the link when one opens; "
                                            "the others are listed to you, to call or write.")));
  gtk_box_append (GTK_BOX (box), scroller);
  gtk_popover_set_child (GTK_POPOVER (popover), box);
  gtk_menu_button_set_popover (GTK_MENU_BUTTON (self->button), popover);
}

GtkWidget *
okno_waitlist_button_new (OknoWaitlist *waitlist)
{
  OknoWaitlistButton *self;

  g_return_val_if_fail (OKNO_IS_WAITLIST (waitlist), NULL);

  self = g_object_new (OKNO_TYPE_WAITLIST_BUTTON, NULL);
  self->waitlist = g_object_ref (waitlist);
  g_signal_connect_object (waitlist, "changed", G_CALLBACK (rebuild), self, G_CONNECT_SWAPPED);
  rebuild (self);

  return GTK_WIDGET (self);
}

/* For tests: the list of entries in the popover. */
GtkWidget *
okno_waitlist_button_get_list (OknoWaitlistButton *self)
{
  g_return_val_if_fail (OKNO_IS_WAITLIST_BUTTON (self), NULL);
  return self->list;
}
