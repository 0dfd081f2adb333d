/* okno-time.h
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define OKNO_TIME_ERROR (okno_time_error_quark ())
typedef enum
{
  OKNO_TIME_ERROR_INVALID,
  OKNO_TIME_ERROR_NONEXISTENT,
  OKNO_TIME_ERROR_AMBIGUOUS,
} OknoTimeError;

GQuark     okno_time_error_quark    (void);

GTimeZone *okno_time_zone_new       (const char  *identifier);
GDateTime *okno_time_parse_rfc3339  (const char  *text);
char      *okno_time_format_rfc3339 (GDateTime   *time,
                                     GTimeZone   *zone);
GDateTime *okno_time_parse_date     (const char  *text,
                                     GTimeZone   *zone);
char      *okno_time_format_date    (GDateTime   *time,
                                     GTimeZone   *zone);
GDateTime *okno_time_parse_local    (const char  *text,
                                     GTimeZone   *zone);
GDateTime *okno_time_parse_local_full (const char  *text,
                                     GTimeZone   *zone,
                                     GError     **error);
GDateTime *okno_time_week_start      (GDateTime   *time,
                                     GTimeZone   *zone);
char      *okno_time_format_week     (GDateTime   *monday);
char      *okno_time_format_days     (GDateTime   *first_day,
                                      int          n_days);
GDateTime *okno_time_now_utc          (void);
void       okno_time_set_now_for_testing (GDateTime *now);
gboolean   okno_time_ranges_overlap (GDateTime   *a_start,
                                     GDateTime   *a_end,
                                     GDateTime   *b_start,
                                     GDateTime   *b_end);

G_END_DECLS
