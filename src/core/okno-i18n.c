/* okno-i18n.c
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "okno-i18n.h"

/* Sets the locale and binds Okno's catalogs: the installed ones, or, for a
 * build that was not installed, those compiled in its tree. Returns the
 * folder used. */
const char *
okno_i18n_init (void)
{
  g_autofree char *installed = g_build_filename (LOCALEDIR, "ru", "LC_MESSAGES", GETTEXT_PACKAGE ".mo", NULL);
  const char *dir = LOCALEDIR;

  setlocale (LC_ALL, "");
  if (!g_file_test (installed, G_FILE_TEST_EXISTS) && g_file_test (BUILD_LOCALEDIR, G_FILE_TEST_IS_DIR))
    dir = BUILD_LOCALEDIR;

  bindtextdomain (GETTEXT_PACKAGE, dir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  return dir;
}
