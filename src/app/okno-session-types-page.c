/* okno-session-types-page.c
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "OknoSessionTypesPage"

#include "config.h"

#include <glib/gi18n.h>

#include "okno-session-type.h"
#include "okno-session-types-page.h"

/* Preferences' page of session types: one expander row per type with its
 * name, length, description, format/place and price; add and remove. Every
 * edit is saved at once to the "session-types" setting. */
struct _OknoSessionTypesPage
{
  AdwPreferencesPage  parent_instance;

  GSettings          *settings;
  GListStore         *types;
  AdwPreferencesGroup *group;
  GPtrArray          *rows;
  gboolean            saving;
};

G_DEFINE_FINAL_TYPE (OknoSessionTypesPage, okno_session_types_page, ADW_TYPE_PREFERENCES_PAGE)

static void rebuild (OknoSessionTypesPage *self);

/* A type without a name is not saved until it has one. */
static void
save (OknoSessionTypesPage *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->types));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(OknoSessionType) type = g_list_model_get_item (G_LIST_MODEL (self->types), i);

      if (okno_session_type_get_name (type)[0] == '\0')
        return;
    }

  self->saving = TRUE;
  okno_session_types_save (self->settings, G_LIST_MODEL (self->types));
  self->saving = FALSE;
}

static void
entry_changed_cb (GtkEditable          *editable,
                  OknoSessionTypesPage *self)
{
  OknoSessionType *type = g_object_get_data (G_OBJECT (editable), "okno-type");
  const char *property = g_object_get_data (G_OBJECT (editable), "okno-property");

  g_object_set (type, property, gtk_editable_get_text (editable), NULL);
  save (self);
}

static void
minutes_changed_cb (GtkSpinButton        *spin,
                    OknoSessionTypesPage *self)
{
  OknoSessionType *type = g_object_get_data (G_OBJECT (spin), "okno-type");

  okno_session_type_set_minutes (type, (guint) gtk_spin_button_get_value_as_int (spin));
  save (self);
}

static void
remove_clicked_cb (GtkButton            *button,
                   OknoSessionTypesPage *self)
{
  OknoSessionType *type = g_object_get_data (G_OBJECT (button), "okno-type");
  guint position;

  if (g_list_model_get_n_items (G_LIST_MODEL (self->types)) <= 1 ||
      !g_list_store_find (self->types, type, &position))
    return;
  g_list_store_remove (self->types, position);
  save (self);
  rebuild (self);
}

static GtkWidget *
add_entry (AdwExpanderRow       *expander,
           OknoSessionTypesPage *self,
           OknoSessionType      *type,
           const char           *title,
           const char           *property)
{
  GtkWidget *row = adw_entry_row_new ();
  g_autofree char *text = NULL;

  g_object_get (type, property, &text, NULL);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  gtk_editable_set_text (GTK_EDITABLE (row), text);
  g_object_set_data (G_OBJECT (row), "okno-type", type);
  g_object_set_data (G_OBJECT (row), "okno-property", (gpointer) property);
  g_signal_connect_object (row, "changed", G_CALLBACK (entry_changed_cb), self, 0);
  adw_expander_row_add_row (expander, row);
  return row;
}

static GtkWidget *
make_row (OknoSessionTypesPage *self,
          OknoSessionType      *type,
          gboolean              removable)
{
  GtkWidget *expander = adw_expander_row_new ();
  GtkWidget *row, *spin, *button;

  g_object_bind_property (type, "name", expander, "title", G_BINDING_SYNC_CREATE);
  {
    g_autofree char *subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u minute", "%u minutes",
                                                              okno_session_type_get_minutes (type)),
                                                 okno_session_type_get_minutes (type));
    adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (expander), subtitle);
  }

  row = add_entry (ADW_EXPANDER_ROW (expander), self, type, _("Name"), "name");
  gtk_widget_set_name (row, "name");

  row = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Length in minutes"));
  spin = gtk_spin_button_new_with_range (5, 480, 5);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), okno_session_type_get_minutes (type));
  gtk_widget_set_valign (spin, GTK_ALIGN_CENTER);
  g_object_set_data (G_OBJECT (spin), "okno-type", type);
  g_signal_connect_object (spin, "value-changed", G_CALLBACK (minutes_changed_cb), self, 0);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), spin);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), spin);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (expander), row);

  add_entry (ADW_EXPANDER_ROW (expander), self, type, _("Description, shown to clients"), "description");
  add_entry (ADW_EXPANDER_ROW (expander), self, type, _("Format or place, such as «Online, Zoom»"), "place");
  add_entry (ADW_EXPANDER_ROW (expander), self, type, _("Price, such as «5000 ₽»"), "price");

  row = adw_action_row_new ();
  button = gtk_button_new_with_mnemonic (_("_Remove Session Type"));
  gtk_widget_add_css_class (button, "destructive-action");
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_sensitive (button, removable);
  if (!removable)
    gtk_widget_set_tooltip_text (button, _("The last session type cannot be removed"));
  g_object_set_data (G_OBJECT (button), "okno-type", type);
  g_signal_connect_object (button, "clicked", G_CALLBACK (remove_clicked_cb), self, 0);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (expander), row);

  return expander;
}

static void
minutes_notify_cb (OknoSessionType *type,
                   GParamSpec      *pspec,
                   AdwExpanderRow  *expander)
{
  g_autofree char *subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u minute", "%u minutes",
                                                            okno_session_type_get_minutes (type)),
                                               okno_session_type_get_minutes (type));

  adw_expander_row_set_subtitle (expander, subtitle);
}

static void
rebuild (OknoSessionTypesPage *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->types));

  for (guint i = 0; i < self->rows->len; i++)
    adw_preferences_group_remove (self->group, g_ptr_array_index (self->rows, i));
  g_ptr_array_set_size (self->rows, 0);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(OknoSessionType) type = g_list_model_get_item (G_LIST_MODEL (self->types), i);
      GtkWidget *row = make_row (self, type, n > 1);

      g_signal_connect_object (type, "notify::minutes", G_CALLBACK (minutes_notify_cb), row, 0);
      adw_preferences_group_add (self->group, row);
      g_ptr_array_add (self->rows, row);
    }
}

/* A change made elsewhere (okno-server settings set) shows here too. */
static void
settings_changed_cb (OknoSessionTypesPage *self)
{
  if (self->saving)
    return;
  g_clear_object (&self->types);
  self->types = okno_session_types_load (self->settings);
  rebuild (self);
}

static void
add_clicked_cb (OknoSessionTypesPage *self)
{
  okno_session_types_page_add_new (self);
}

static void
okno_session_types_page_dispose (GObject *object)
{
  OknoSessionTypesPage *self = (OknoSessionTypesPage *) object;

  g_clear_object (&self->settings);
  g_clear_object (&self->types);
  g_clear_pointer (&self->rows, g_ptr_array_unref);

  G_OBJECT_CLASS (okno_session_types_page_parent_class)->dispose (object);
}

static void
okno_session_types_page_class_init (OknoSessionTypesPageClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = okno_session_types_page_dispose;
}

static void
okno_session_types_page_init (OknoSessionTypesPage *self)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (_("_Add"));

  self->rows = g_ptr_array_new ();
  adw_preferences_page_set_title (ADW_PREFERENCES_PAGE (self), _("Session Types"));
  adw_preferences_page_set_icon_name (ADW_PREFERENCES_PAGE (self), "view-list-symbolic");
  adw_preferences_page_set_name (ADW_PREFERENCES_PAGE (self), "session-types");

  self->group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  adw_preferences_group_set_title (self->group, _("Session Types"));
  adw_preferences_group_set_description (self->group,
                                         _("A click on the week publishes a slot of the type chosen in the "
                                           "header bar, of its length; clients see its description, format and price."));
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  g_signal_connect_swapped (button, "clicked", G_CALLBACK (add_clicked_cb), self);
  adw_preferences_group_set_header_suffix (self->group, button);
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (self), self->group);
}

GtkWidget *
okno_session_types_page_new (GSettings *settings)
{
  OknoSessionTypesPage *self;

  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  self = g_object_new (OKNO_TYPE_SESSION_TYPES_PAGE, NULL);
  self->settings = g_object_ref (settings);
  self->types = okno_session_types_load (settings);
  g_signal_connect_object (settings, "changed::" OKNO_SESSION_TYPES_KEY,
                           G_CALLBACK (settings_changed_cb), self, G_CONNECT_SWAPPED);
  rebuild (self);

  return GTK_WIDGET (self);
}

/* A new type of the default length, opened for its name. */
void
okno_session_types_page_add_new (OknoSessionTypesPage *self)
{
  g_autoptr(OknoSessionType) type = NULL;
  GtkWidget *row;

  g_return_if_fail (OKNO_IS_SESSION_TYPES_PAGE (self));

  type = okno_session_type_new (NULL, _("New session"), g_settings_get_uint (self->settings, "slot-minutes"));
  g_list_store_append (self->types, type);
  save (self);
  rebuild (self);

  row = g_ptr_array_index (self->rows, self->rows->len - 1);
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), TRUE);
}
