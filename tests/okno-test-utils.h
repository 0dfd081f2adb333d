/* okno-test-utils.h: what the tests share.
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "okno-booking-service.h"
#include "okno-local-calendar.h"
#include "okno-outbox.h"
#include "okno-waitlist.h"

G_BEGIN_DECLS

char      *okno_test_make_dir        (void);
void       okno_test_remove_dir      (const char   *dir);
OknoEvent *okno_test_insert_event    (OknoCalendar *calendar,
                                      const char   *summary,
                                      GDateTime    *start,
                                      int           minutes,
                                      gboolean      slot);
GDateTime *okno_test_time            (const char   *rfc3339);
void       okno_test_wait_idle       (OknoLocalCalendar *calendar);
void       okno_test_drain           (OknoLedger        *ledger);
void       okno_test_wait_outbox     (OknoOutbox        *outbox,
                                      OknoLocalCalendar *calendar);
OknoEvent *okno_test_calendar_insert (OknoCalendar      *calendar,
                                      OknoEvent         *event,
                                      GError           **error);
OknoEvent *okno_test_calendar_update (OknoCalendar      *calendar,
                                      OknoEvent         *event,
                                      GError           **error);
void       okno_test_settle_waitlist (OknoWaitlist      *waitlist);
gboolean   okno_test_calendar_delete (OknoCalendar      *calendar,
                                      const char        *event_id,
                                      const char        *etag,
                                      GError           **error);

G_END_DECLS
