/* main.c
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "okno-application.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(OknoApplication) app = NULL;
  int status;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  g_set_application_name (_("Okno"));

  if ((status = okno_application_check_arguments (argc, argv)) != 0)
    return status;

  app = okno_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
