/* okno-test-profile.h
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "okno-profile.h"

G_BEGIN_DECLS

void okno_test_settle_profile (OknoProfile *profile);

G_END_DECLS
