/* okno-text.h
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

gboolean  okno_text_is_clean          (const char *text,
                                       gssize      length);
gboolean  okno_text_has_controls      (const char *text,
                                       gboolean    allow_newlines);
gboolean  okno_text_has_format_chars  (const char *text);
gboolean  okno_text_has_letter        (const char *text);
char     *okno_text_normalize         (const char *text);

G_END_DECLS
