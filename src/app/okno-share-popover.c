/* okno-share-popover.c
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "OknoSharePopover"

#include "config.h"

#include <arpa/inet.h>
#include <glib/gi18n.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <qrencode.h>
#include <string.h>

#include "okno-share-popover.h"

/* Where clients find the booking page: its address, a QR code of it for
 * the phone of someone in the room, the switch that opens it to the local
 * network, and whether it is being served at all. */
struct _OknoSharePopover
{
  GtkPopover    parent_instance;

  OknoProfile *instance;
  GtkWidget    *url_label;
  GtkWidget    *qr;
  GtkWidget    *state_label;
  GtkWidget    *lan_switch;
  GtkWidget    *copy_button;
};

G_DEFINE_FINAL_TYPE (OknoSharePopover, okno_share_popover, GTK_TYPE_POPOVER)

/* The first IPv4 address of an interface that is up and not loopback. */
char *
okno_lan_address (void)
{
  struct ifaddrs *list = NULL;
  char *found = NULL;

  if (getifaddrs (&list) != 0)
    return NULL;

  for (struct ifaddrs *ifa = list; ifa && !found; ifa = ifa->ifa_next)
    {
      char text[INET_ADDRSTRLEN];

      if (ifa->ifa_addr == NULL || ifa->ifa_addr->sa_family != AF_INET ||
          !(ifa->ifa_flags & IFF_UP) || (ifa->ifa_flags & IFF_LOOPBACK))
        continue;
      if (inet_ntop (AF_INET, &((struct sockaddr_in *) (gpointer) ifa->ifa_addr)->sin_addr, text, sizeof text))
        found = g_strdup (text);
    }

  freeifaddrs (list);
  return found;
}

/* A QR code with a quiet zone of four modules, black on white. */
GdkTexture *
okno_qr_texture_new (const char *text,
                     int         module_size)
{
  QRcode *code = QRcode_encodeString (text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
  g_autoptr(GBytes) bytes = NULL;
  guint8 *pixels;
  int size, stride;

  if (code == NULL)
    return NULL;

  size = (code->width + 8) * module_size;
  stride = size * 3;
  pixels = g_malloc (stride * size);
  memset (pixels, 0xff, stride * size);

  for (int y = 0; y < code->width; y++)
    for (int x = 0; x < code->width; x++)
      if (code->data[y * code->width + x] & 1)
        for (int dy = 0; dy < module_size; dy++)
          memset (pixels + ((y + 4) * module_size + dy) * stride + (x + 4) * module_size * 3, 0, module_size * 3);

  QRcode_free (code);
  bytes = g_bytes_new_take (pixels, stride * size);
  return gdk_memory_texture_new (size, size, GDK_MEMORY_R8G8B8, bytes, stride);
}

char *
okno_share_popover_dup_url (OknoSharePopover *self)
{
  OknoWebServer *server = okno_profile_get_web_server (self->instance);
  g_autofree char *address = NULL;
  g_autofree char *bound = NULL;

  if (!okno_web_server_is_running (server))
    return NULL;

  g_object_get (server, "address", &bound, NULL);
  if (g_strcmp0 (bound, "0.0.0.0") == 0 && (address = okno_lan_address ()))
    return g_strdup_printf ("http://%s:%u/", address, okno_web_server_get_port (server));

  return okno_web_server_dup_url (server);
}

static void
refresh (OknoSharePopover *self)
{
  g_autofree char *url = okno_share_popover_dup_url (self);
  const char *error = okno_profile_get_server_error (self->instance);

  if (url != NULL)
    {
      g_autoptr(GdkTexture) texture = okno_qr_texture_new (url, 4);
      g_autofree char *state = NULL;
      g_autofree char *bound = NULL;

      g_object_get (okno_profile_get_web_server (self->instance), "address", &bound, NULL);
      state = g_strcmp0 (bound, "127.0.0.1") == 0
            ? g_strdup (_("Serving on this computer only"))
            : g_strdup (_("Serving on the local network"));
      gboolean lan = g_strcmp0 (bound, "127.0.0.1") != 0 && g_strcmp0 (bound, "::1") != 0;

      /* A phone cannot open this computer's own address: the QR code
       * only helps when the page is on the network. */
      if (!lan)
        {
          g_autofree char *why = g_strdup_printf ("%s\n%s", state,
                                                  _("The QR code appears when Share on local network is on: "
                                                    "a phone cannot open an address on this computer only."));
          g_free (state);
          state = g_steal_pointer (&why);
        }
      gtk_label_set_text (GTK_LABEL (self->url_label), url);
      gtk_label_set_text (GTK_LABEL (self->state_label), state);
      gtk_picture_set_paintable (GTK_PICTURE (self->qr), GDK_PAINTABLE (texture));
      gtk_widget_set_visible (self->qr, lan);
      gtk_widget_set_sensitive (self->copy_button, TRUE);
    }
  else
    {
      g_autofree char *state = g_strdup_printf (_("Not serving: %s"), error ? error : _("not started"));

      gtk_label_set_text (GTK_LABEL (self->url_label), "");
      gtk_label_set_text (GTK_LABEL (self->state_label), state);
      gtk_widget_set_visible (self->qr, FALSE);
      gtk_widget_set_sensitive (self->copy_button, FALSE);
    }
}

static void
copy_clicked_cb (OknoSharePopover *self)
{
  g_autofree char *url = okno_share_popover_dup_url (self);

  if (url != NULL)
    gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), url);
}

static void
okno_share_popover_dispose (GObject *object)
{
  OknoSharePopover *self = (OknoSharePopover *) object;

  g_clear_object (&self->instance);

  G_OBJECT_CLASS (okno_share_popover_parent_class)->dispose (object);
}

static void
okno_share_popover_class_init (OknoSharePopoverClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = okno_share_popover_dispose;
}

static void
okno_share_popover_init (OknoSharePopover *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *title = gtk_label_new (_("Booking Page"));
  GtkWidget *lan_label = gtk_label_new (_("Share on local network"));

  gtk_widget_set_margin_start (box, 6);
  gtk_widget_set_margin_end (box, 6);
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_widget_add_css_class (title, "heading");
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_box_append (GTK_BOX (box), title);

  self->url_label = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (self->url_label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (self->url_label), PANGO_WRAP_CHAR);
  gtk_label_set_xalign (GTK_LABEL (self->url_label), 0);
  gtk_widget_add_css_class (self->url_label, "monospace");
  gtk_box_append (GTK_BOX (box), self->url_label);

  self->qr = gtk_picture_new ();
  gtk_picture_set_can_shrink (GTK_PICTURE (self->qr), FALSE);
  gtk_widget_set_halign (self->qr, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->qr), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("QR code of the booking page's address"), -1);
  gtk_box_append (GTK_BOX (box), self->qr);

  self->state_label = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (self->state_label), 0);
  gtk_label_set_wrap (GTK_LABEL (self->state_label), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (self->state_label), 36);
  gtk_widget_add_css_class (self->state_label, "dim-label");
  gtk_box_append (GTK_BOX (box), self->state_label);

  self->lan_switch = gtk_switch_new ();
  gtk_widget_set_valign (self->lan_switch, GTK_ALIGN_CENTER);
  gtk_widget_set_hexpand (lan_label, TRUE);
  gtk_label_set_xalign (GTK_LABEL (lan_label), 0);
  gtk_label_set_mnemonic_widget (GTK_LABEL (lan_label), self->lan_switch);
  gtk_box_append (GTK_BOX (row), lan_label);
  gtk_box_append (GTK_BOX (row), self->lan_switch);
  gtk_box_append (GTK_BOX (box), row);

  self->copy_button = gtk_button_new_with_mnemonic (_("_Copy Link"));
  gtk_widget_add_css_class (self->copy_button, "suggested-action");
  g_signal_connect_swapped (self->copy_button, "clicked", G_CALLBACK (copy_clicked_cb), self);
  gtk_box_append (GTK_BOX (box), self->copy_button);

  gtk_popover_set_child (GTK_POPOVER (self), box);
  g_signal_connect (self, "show", G_CALLBACK (refresh), NULL);
}

GtkWidget *
okno_share_popover_new (OknoProfile *instance)
{
  OknoSharePopover *self;

  g_return_val_if_fail (OKNO_IS_PROFILE (instance), NULL);

  self = g_object_new (OKNO_TYPE_SHARE_POPOVER, NULL);
  self->instance = g_object_ref (instance);
  g_settings_bind (okno_profile_get_settings (instance), "share-on-lan",
                   self->lan_switch, "active", G_SETTINGS_BIND_DEFAULT);
  g_signal_connect_object (instance, "notify::server-error", G_CALLBACK (refresh), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (instance, "notify::server-url", G_CALLBACK (refresh), self, G_CONNECT_SWAPPED);
  refresh (self);

  return GTK_WIDGET (self);
}
