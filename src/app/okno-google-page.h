/* okno-google-page.h
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "okno-profile.h"

G_BEGIN_DECLS

#define OKNO_TYPE_GOOGLE_PAGE (okno_google_page_get_type ())
G_DECLARE_FINAL_TYPE (OknoGooglePage, okno_google_page, OKNO, GOOGLE_PAGE, AdwPreferencesPage)

GtkWidget *okno_google_page_new (OknoProfile *profile);

G_END_DECLS
