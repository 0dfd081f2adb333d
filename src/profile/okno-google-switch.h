/* okno-google-switch.h
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "okno-profile.h"

G_BEGIN_DECLS

void     okno_google_switch_to_google_async  (OknoProfile          *profile,
                                              GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data);
gboolean okno_google_switch_to_google_finish (OknoProfile          *profile,
                                              GAsyncResult         *result,
                                              guint                *n_copied,
                                              GError              **error);
void     okno_google_switch_to_local_async   (OknoProfile          *profile,
                                              GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data);
gboolean okno_google_switch_to_local_finish  (OknoProfile          *profile,
                                              GAsyncResult         *result,
                                              guint                *n_copied,
                                              GError              **error);

G_END_DECLS
