/* okno-cli-google.h
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "okno-profile.h"

G_BEGIN_DECLS

extern const GOptionEntry okno_cli_google_entries[];

int okno_cli_google (OknoProfile   *instance,
                     char         **args);

G_END_DECLS
