/* fake-serve.h: what every fake service program does around its handler
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

/* Dies with the process that started it (a test that fails half-way must
 * not leave a fake running and holding its stdout open). Returns FALSE when
 * that parent is already gone. */
gboolean fake_serve_tie_to_parent (void);

/* Listens on a free loopback port with @handler for every path, prints
 * "http://127.0.0.1:<port><suffix>" alone on a line of stdout (the test reads
 * it as the base URL), and runs until SIGTERM or SIGINT. Returns the
 * program's exit status. */
int      fake_serve_run           (const char        *program,
                                   SoupServerCallback handler,
                                   const char        *suffix);

G_END_DECLS
