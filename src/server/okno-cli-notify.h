/* okno-cli-notify.h
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "okno-profile.h"

G_BEGIN_DECLS

const char *okno_cli_notify_describe_commands (void);
int         okno_cli_notify_test              (OknoProfile   *profile,
                                               char         **args);
int         okno_cli_secret_command           (OknoProfile  *instance,
                                               char         **args);
void        okno_cli_use_email                (OknoProfile   *profile);
void        okno_cli_send_email               (OknoProfile   *profile);

G_END_DECLS
