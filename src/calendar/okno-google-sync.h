/* okno-google-sync.h
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "okno-event.h"

G_BEGIN_DECLS

/* One page of an events list, read in a worker thread. */
typedef struct
{
  guint      n_items;
  GPtrArray *events;            /* incremental: OknoEvent *, in order, cancelled ones too */
  GPtrArray *unreadable;        /* incremental: char * ids of items Okno cannot read */
  GPtrArray *sorted;            /* full sync, last page: the table's events, sorted */
  char      *next_page_token;
  char      *next_sync_token;
} OknoGooglePage;

OknoEvent      *okno_google_event_from_item   (JsonObject          *item);
void            okno_google_events_apply      (GHashTable          *table,
                                               OknoEvent           *event);
void            okno_google_page_read_async   (GBytes              *bytes,
                                               GHashTable          *table,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
OknoGooglePage *okno_google_page_read_finish  (GAsyncResult        *result,
                                               GError             **error);
void            okno_google_page_free         (OknoGooglePage      *page);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OknoGooglePage, okno_google_page_free)

G_END_DECLS
