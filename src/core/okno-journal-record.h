/* okno-journal-record.h
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "okno-booking.h"

G_BEGIN_DECLS

/* One line of bookings.journal: everything in it reaches the disk in one
 * write, or nothing does. Each member is a record type:
 *   "put"        a booking (new, or a new state of one)
 *   "outbox"     items that must follow it: [{"key","kind","payload","created"}]
 *   "done"       keys of outbox items that were carried out
 *   "attention"  items for Olga: [{"id","created","code","message","subject"?}]
 *   "dismiss"    ids of attention items she dismissed
 *   "enqueued"   marks that something planned was decided once for good:
 *                [{"key", "until"}], such as "reminder:<booking id>" or
 *                "agenda:<date>" (OknoReminders); kept until "until" is
 *                well past
 *   "move"       a booking moved to another slot: {"bookingId", "fromSlotId",
 *                "toSlotId", "at"}; the same line puts the booking's new
 *                state and carries the calendar and notification items, so
 *                after a crash the booking is on exactly one of the two
 * A member this version does not know is a newer Okno's record type. */
typedef struct
{
  OknoBooking *put;
  GPtrArray   *outbox;     /* JsonObject */
  GPtrArray   *done;       /* char * */
  GPtrArray   *attention;  /* JsonObject */
  GPtrArray   *dismiss;    /* char * */
  GPtrArray   *enqueued;   /* JsonObject */
  JsonObject  *move;
} OknoJournalRecord;

#define OKNO_TYPE_JOURNAL_RECORD (okno_journal_record_get_type ())

GType              okno_journal_record_get_type      (void) G_GNUC_CONST;
OknoJournalRecord *okno_journal_record_new           (void);
OknoJournalRecord *okno_journal_record_copy          (OknoJournalRecord  *self);
void               okno_journal_record_free          (OknoJournalRecord  *self);
void               okno_journal_record_set_put       (OknoJournalRecord  *self,
                                                      OknoBooking        *booking);
void               okno_journal_record_add_outbox    (OknoJournalRecord  *self,
                                                      JsonObject         *item);
void               okno_journal_record_add_done      (OknoJournalRecord  *self,
                                                      const char         *key);
void               okno_journal_record_add_attention (OknoJournalRecord  *self,
                                                      JsonObject         *item);
void               okno_journal_record_add_dismiss   (OknoJournalRecord  *self,
                                                      const char         *id);
void               okno_journal_record_add_enqueued  (OknoJournalRecord  *self,
                                                      JsonObject         *mark);
void               okno_journal_record_set_move      (OknoJournalRecord  *self,
                                                      JsonObject         *move);
gboolean           okno_journal_record_is_empty      (OknoJournalRecord  *self);
char              *okno_journal_record_to_line       (OknoJournalRecord  *self,
                                                      gsize              *length,
                                                      GError            **error);
OknoJournalRecord *okno_journal_record_new_from_json (JsonObject         *object,
                                                      GError            **error);

JsonObject        *okno_outbox_item_new              (const char         *key,
                                                      const char         *kind,
                                                      JsonObject         *payload);
gboolean           okno_outbox_item_is_valid         (JsonObject         *item);
JsonObject        *okno_attention_item_new           (const char         *code,
                                                      const char         *subject,
                                                      const char         *message);
gboolean           okno_attention_item_is_valid      (JsonObject         *item);
JsonObject        *okno_enqueued_mark_new            (const char         *key,
                                                      GDateTime          *until);
gboolean           okno_enqueued_mark_is_valid       (JsonObject         *mark);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OknoJournalRecord, okno_journal_record_free)

G_END_DECLS
