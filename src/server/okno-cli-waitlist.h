/* okno-cli-waitlist.h
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "okno-profile.h"

G_BEGIN_DECLS

extern const GOptionEntry okno_cli_waitlist_entries[];

const char *okno_cli_waitlist_describe_commands (void);
int         okno_cli_waitlist_list              (OknoProfile  *instance,
                                                 char        **args);
int         okno_cli_waitlist_rm                (OknoProfile  *instance,
                                                 char        **args);

G_END_DECLS
