/* okno-google-copy-sink.h
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "okno-calendar.h"
#include "okno-notify-sink.h"

G_BEGIN_DECLS

/* The outbox kind of an event copied into Google on connect. */
#define OKNO_GOOGLE_COPY_KIND "google-copy"

#define OKNO_TYPE_GOOGLE_COPY_SINK (okno_google_copy_sink_get_type ())
G_DECLARE_FINAL_TYPE (OknoGoogleCopySink, okno_google_copy_sink, OKNO, GOOGLE_COPY_SINK, GObject)

OknoGoogleCopySink *okno_google_copy_sink_new (OknoCalendar *calendar);

G_END_DECLS
