/* okno-reminders-private.h
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "okno-reminders.h"

G_BEGIN_DECLS

/* Tests: how many plans walked every booking (a commit must not). */
guint _okno_reminders_get_full_plans (OknoReminders *self);

G_END_DECLS
