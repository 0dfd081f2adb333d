/* main.c
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "okno-application.h"
#include "okno-http-session.h"
#include "okno-i18n.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(OknoApplication) app = NULL;
  int status;

  okno_http_prepare_process ();
  okno_i18n_init ();

  g_set_application_name (_("Okno"));

  if ((status = okno_application_check_arguments (argc, argv)) != 0)
    return status;

  app = okno_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
