/* okno-web-html.h
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

void okno_html_escape (GString    *out,
                       const char *text);
void okno_html_printf (GString    *out,
                       const char *format,
                       ...);

G_END_DECLS
