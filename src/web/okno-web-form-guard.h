/* okno-web-form-guard.h
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "okno-web-catalog.h"

G_BEGIN_DECLS

/* Spam protection for the page's forms that book something, without a
 * third-party captcha: a honeypot field and a signed form timestamp.
 *
 * Every form anyone may send that books or stores something (the booking
 * form, the waitlist's) is guarded; forms reached only through a booking's
 * secret link (cancel, change the time) need not be. How to guard one, in
 * okno-web-page.c or your own page file:
 *
 *   1. Rendering the form, anywhere inside its <form>:
 *
 *        okno_web_form_guard_append_fields (_okno_web_server_get_form_guard (page->server),
 *                                           page->out, page->catalog, scope, now);
 *
 *      It adds the hidden, signed stamp (field "stamp": when the form was
 *      served, signed with the data folder's key over that time and @scope)
 *      and the honeypot (field "website", off-screen, aria-hidden,
 *      tabindex=-1, autocomplete=off). @scope names what the form is for,
 *      the same string at render and at check: "book:SLOTID" for the
 *      booking form of one slot, say "reschedule:BOOKINGID" for yours.
 *
 *   2. Handling its POST, before you validate or store anything:
 *
 *        OknoWebFormGuardVerdict verdict =
 *          okno_web_form_guard_check (guard, form, scope, now);
 *
 *        if (verdict != OKNO_WEB_FORM_GUARD_OK)
 *          {
 *            render your form again with what was typed (step 1 signs a
 *            fresh stamp, so the person can simply send it again), with
 *            W_(okno_web_form_guard_verdict_message (verdict)) as its
 *            error notice, and status 400; store nothing.
 *          }
 *
 *      @form is the POST's field table (read_form() in okno-web-page.c).
 *      Refused: the honeypot filled, no stamp or a bad signature, a POST
 *      sooner than 3 s (OKNO_FORM_MIN_SECONDS; tests set 0) or later than
 *      2 h after the form was served. The JSON API is not guarded (it has
 *      the rate limit and the per-client limit).
 */

typedef enum
{
  OKNO_WEB_FORM_GUARD_OK,
  OKNO_WEB_FORM_GUARD_HONEYPOT,       /* the hidden field was filled */
  OKNO_WEB_FORM_GUARD_BAD_STAMP,      /* no stamp, a malformed one, or a wrong signature */
  OKNO_WEB_FORM_GUARD_TOO_FAST,       /* sent sooner than the minimum after it was served */
  OKNO_WEB_FORM_GUARD_TOO_OLD,        /* sent more than the maximum age after */
} OknoWebFormGuardVerdict;

/* The fields the guard adds to a form. */
#define OKNO_WEB_FORM_GUARD_STAMP_FIELD    "stamp"
#define OKNO_WEB_FORM_GUARD_HONEYPOT_FIELD "website"

/* The longest a served form stays good, and the default shortest time
 * before it may be sent. */
#define OKNO_WEB_FORM_GUARD_MAX_AGE_SECONDS       (2 * 60 * 60)
#define OKNO_WEB_FORM_GUARD_DEFAULT_MIN_SECONDS   3

#define OKNO_TYPE_WEB_FORM_GUARD (okno_web_form_guard_get_type ())
G_DECLARE_FINAL_TYPE (OknoWebFormGuard, okno_web_form_guard, OKNO, WEB_FORM_GUARD, GObject)

OknoWebFormGuard        *okno_web_form_guard_new             (const char        *key_path,
                                                              GError           **error);
guint                    okno_web_form_guard_get_min_seconds (OknoWebFormGuard  *self);
char                    *okno_web_form_guard_dup_stamp       (OknoWebFormGuard  *self,
                                                              const char        *scope,
                                                              GDateTime         *served);
void                     okno_web_form_guard_append_fields   (OknoWebFormGuard  *self,
                                                              GString           *out,
                                                              OknoWebCatalog    *catalog,
                                                              const char        *scope,
                                                              GDateTime         *now);
OknoWebFormGuardVerdict  okno_web_form_guard_check           (OknoWebFormGuard  *self,
                                                              GHashTable        *form,
                                                              const char        *scope,
                                                              GDateTime         *now);
const char              *okno_web_form_guard_verdict_message (OknoWebFormGuardVerdict verdict);
const char              *okno_web_form_guard_verdict_name    (OknoWebFormGuardVerdict verdict);

G_END_DECLS
