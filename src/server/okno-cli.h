/* okno-cli.h
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

const char *okno_cli_describe_commands (void);
int         okno_cli_run               (char               **args,
                                        const GOptionEntry  *global_entries,
                                        char               **data_dir);

G_END_DECLS
