/* okno-settings.h
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

GSettings *okno_settings_new (const char  *data_dir,
                              GError     **error);

G_END_DECLS
