/* okno-reminder-rows.h
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

GtkWidget *okno_reminder_rows_add (AdwPreferencesPage *page,
                                   GSettings          *settings);

G_END_DECLS
