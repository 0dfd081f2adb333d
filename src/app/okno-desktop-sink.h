/* okno-desktop-sink.h
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "okno-notify-sink.h"
#include "okno-schedule.h"

G_BEGIN_DECLS

#define OKNO_TYPE_DESKTOP_SINK (okno_desktop_sink_get_type ())
G_DECLARE_FINAL_TYPE (OknoDesktopSink, okno_desktop_sink, OKNO, DESKTOP_SINK, GObject)

OknoDesktopSink *okno_desktop_sink_new (GApplication *application,
                                        OknoSchedule *schedule);

G_END_DECLS
