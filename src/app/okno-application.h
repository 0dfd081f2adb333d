/* okno-application.h
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "okno-profile.h"

G_BEGIN_DECLS

#define OKNO_TYPE_APPLICATION (okno_application_get_type ())
G_DECLARE_FINAL_TYPE (OknoApplication, okno_application, OKNO, APPLICATION, AdwApplication)

OknoApplication *okno_application_new          (void);
OknoProfile    *okno_application_get_profile (OknoApplication *self);
int              okno_application_check_arguments (int           argc,
                                                   char        **argv);

G_END_DECLS
