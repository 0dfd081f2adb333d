/* okno-session-types-page.h
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define OKNO_TYPE_SESSION_TYPES_PAGE (okno_session_types_page_get_type ())
G_DECLARE_FINAL_TYPE (OknoSessionTypesPage, okno_session_types_page, OKNO, SESSION_TYPES_PAGE, AdwPreferencesPage)

GtkWidget *okno_session_types_page_new     (GSettings            *settings);
void       okno_session_types_page_add_new (OknoSessionTypesPage *self);

G_END_DECLS
