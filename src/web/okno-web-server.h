/* okno-web-server.h
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "okno-booking-service.h"

G_BEGIN_DECLS

#define OKNO_TYPE_WEB_SERVER (okno_web_server_get_type ())
G_DECLARE_FINAL_TYPE (OknoWebServer, okno_web_server, OKNO, WEB_SERVER, GObject)

OknoWebServer *okno_web_server_new         (OknoBookingService  *service);
gboolean       okno_web_server_start       (OknoWebServer       *self,
                                            GError             **error);
void           okno_web_server_stop        (OknoWebServer       *self);
gboolean       okno_web_server_is_running  (OknoWebServer       *self);
guint          okno_web_server_get_port    (OknoWebServer       *self);
char          *okno_web_server_dup_url     (OknoWebServer       *self);

G_END_DECLS
