/* okno-service-state.h
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define OKNO_TYPE_SERVICE_STATE (okno_service_state_get_type ())
G_DECLARE_FINAL_TYPE (OknoServiceState, okno_service_state, OKNO, SERVICE_STATE, GObject)

OknoServiceState *okno_service_state_new            (const char       *state);
const char       *okno_service_state_get_state      (OknoServiceState *self);
GDateTime        *okno_service_state_get_since      (OknoServiceState *self);
GDateTime        *okno_service_state_get_checked_at (OknoServiceState *self);
void              okno_service_state_update         (OknoServiceState *self,
                                                     const char       *state,
                                                     GDateTime        *since,
                                                     GDateTime        *checked_at);

G_END_DECLS
