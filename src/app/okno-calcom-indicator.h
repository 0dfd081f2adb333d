/* okno-calcom-indicator.h
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "okno-profile.h"

G_BEGIN_DECLS

#define OKNO_TYPE_CALCOM_INDICATOR (okno_calcom_indicator_get_type ())
G_DECLARE_FINAL_TYPE (OknoCalcomIndicator, okno_calcom_indicator, OKNO, CALCOM_INDICATOR, GtkWidget)

GtkWidget *okno_calcom_indicator_new (OknoProfile *instance);

G_END_DECLS
