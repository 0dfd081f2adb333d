/* okno-telegram-sink.h
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "okno-notify-sink.h"
#include "okno-schedule.h"
#include "okno-telegram.h"

G_BEGIN_DECLS

#define OKNO_TYPE_TELEGRAM_SINK (okno_telegram_sink_get_type ())
G_DECLARE_FINAL_TYPE (OknoTelegramSink, okno_telegram_sink, OKNO, TELEGRAM_SINK, GObject)

OknoTelegramSink *okno_telegram_sink_new (OknoTelegram *telegram,
                                          OknoSchedule *schedule);

G_END_DECLS
