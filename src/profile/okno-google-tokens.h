/* okno-google-tokens.h
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "okno-google-auth.h"
#include "okno-token-provider.h"

G_BEGIN_DECLS

#define OKNO_TYPE_GOOGLE_TOKENS (okno_google_tokens_get_type ())
G_DECLARE_FINAL_TYPE (OknoGoogleTokens, okno_google_tokens, OKNO, GOOGLE_TOKENS, GObject)

OknoGoogleTokens *okno_google_tokens_new (OknoGoogleAuth *auth);

G_END_DECLS
