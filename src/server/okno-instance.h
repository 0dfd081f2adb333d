/* okno-instance.h
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "okno-booking-service.h"
#include "okno-calcom-monitor.h"
#include "okno-web-server.h"

G_BEGIN_DECLS

#define OKNO_TYPE_INSTANCE (okno_instance_get_type ())
G_DECLARE_FINAL_TYPE (OknoInstance, okno_instance, OKNO, INSTANCE, GObject)

/* Command-line values that win over the settings for one run. */
typedef struct
{
  int         port;           /* -1: from settings */
  const char *bind;           /* NULL: from settings */
  int         rate_limit;     /* -1: from settings */
  const char *trusted_proxy;  /* NULL: none */
} OknoOverrides;

#define OKNO_OVERRIDES_INIT { -1, NULL, -1, NULL }

OknoInstance       *okno_instance_new              (const char          *data_dir,
                                                    GError             **error);
const char         *okno_instance_get_data_dir     (OknoInstance        *self);
GSettings          *okno_instance_get_settings     (OknoInstance        *self);
OknoCalendar       *okno_instance_get_calendar     (OknoInstance        *self);
OknoLedger         *okno_instance_get_ledger       (OknoInstance        *self);
OknoSchedule       *okno_instance_get_schedule     (OknoInstance        *self);
OknoBookingService *okno_instance_get_service      (OknoInstance        *self);
OknoWebServer      *okno_instance_get_web_server   (OknoInstance        *self);
OknoCalcomMonitor  *okno_instance_get_calcom_monitor (OknoInstance      *self);
void                okno_instance_start_watching   (OknoInstance        *self);
void                okno_instance_apply_overrides  (OknoInstance        *self,
                                                    const OknoOverrides *overrides);
gboolean            okno_instance_start_server     (OknoInstance        *self,
                                                    GError             **error);
const char         *okno_instance_get_server_error (OknoInstance        *self);
void                okno_instance_flush            (OknoInstance        *self);

G_END_DECLS
