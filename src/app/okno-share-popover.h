/* okno-share-popover.h
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "okno-profile.h"

G_BEGIN_DECLS

#define OKNO_TYPE_SHARE_POPOVER (okno_share_popover_get_type ())
G_DECLARE_FINAL_TYPE (OknoSharePopover, okno_share_popover, OKNO, SHARE_POPOVER, GtkPopover)

GtkWidget *okno_share_popover_new         (OknoProfile     *instance);
char      *okno_share_popover_dup_url     (OknoSharePopover *self);
char      *okno_lan_address               (void);
GdkTexture *okno_qr_texture_new           (const char       *text,
                                           int               module_size);

G_END_DECLS
