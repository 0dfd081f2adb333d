/* okno-web-catalog.h
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define OKNO_TYPE_WEB_CATALOG (okno_web_catalog_get_type ())
G_DECLARE_FINAL_TYPE (OknoWebCatalog, okno_web_catalog, OKNO, WEB_CATALOG, GObject)

OknoWebCatalog *okno_web_catalog_get          (const char     *language);
const char     *okno_web_catalog_get_language (OknoWebCatalog *self);
const char     *okno_web_catalog_gettext      (OknoWebCatalog *self,
                                               const char     *msgid) G_GNUC_FORMAT (2);
const char     *okno_web_catalog_pgettext     (OknoWebCatalog *self,
                                               const char     *context,
                                               const char     *msgid) G_GNUC_FORMAT (3);
const char     *okno_web_catalog_negotiate    (const char     *accept_language);

G_END_DECLS
