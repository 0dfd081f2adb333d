/* okno-calcom-monitor.h
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "okno-service-state.h"

G_BEGIN_DECLS

#define OKNO_CALCOM_DEFAULT_API_URL "https://api.cal.com/v2"

#define OKNO_TYPE_CALCOM_MONITOR (okno_calcom_monitor_get_type ())
G_DECLARE_FINAL_TYPE (OknoCalcomMonitor, okno_calcom_monitor, OKNO, CALCOM_MONITOR, GObject)

OknoCalcomMonitor *okno_calcom_monitor_new           (void);
OknoServiceState  *okno_calcom_monitor_get_state     (OknoCalcomMonitor    *self);
const char        *okno_calcom_monitor_get_detail    (OknoCalcomMonitor    *self);
gboolean           okno_calcom_monitor_get_checking  (OknoCalcomMonitor    *self);
void               okno_calcom_monitor_set_api_key   (OknoCalcomMonitor    *self,
                                                      const char           *api_key);
void               okno_calcom_monitor_start         (OknoCalcomMonitor    *self);
void               okno_calcom_monitor_check_async   (OknoCalcomMonitor    *self,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
char              *okno_calcom_monitor_check_finish  (OknoCalcomMonitor    *self,
                                                      GAsyncResult         *result,
                                                      GError              **error);
void               okno_calcom_monitor_check_now     (OknoCalcomMonitor    *self);
const char        *okno_calcom_monitor_title_for     (const char           *state);

G_END_DECLS
