/* okno-attention.h
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "okno-ledger.h"

G_BEGIN_DECLS

#define OKNO_TYPE_ATTENTION (okno_attention_get_type ())
G_DECLARE_FINAL_TYPE (OknoAttention, okno_attention, OKNO, ATTENTION, GObject)

OknoAttention *okno_attention_new       (OknoLedger     *ledger);
guint          okno_attention_get_count (OknoAttention  *self);
GPtrArray     *okno_attention_dup_items (OknoAttention  *self);
char          *okno_attention_add       (OknoAttention  *self,
                                         const char     *code,
                                         const char     *subject,
                                         const char     *message);
gboolean       okno_attention_dismiss   (OknoAttention  *self,
                                         const char     *id,
                                         GError        **error);

G_END_DECLS
