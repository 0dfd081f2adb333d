/* okno-data-dir.h
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

char     *okno_data_dir_default (void);
int       okno_data_dir_lock    (const char  *dir,
                                 GError     **error);
gboolean  okno_fsync_dir        (const char  *dir,
                                 GError     **error);
gboolean  okno_write_file       (const char  *path,
                                 const char  *contents,
                                 gssize       length,
                                 GError     **error);

G_END_DECLS
