/* okno-profile.h
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "okno-attention.h"
#include "okno-booking-service.h"
#include "okno-calcom-monitor.h"
#include "okno-email-sink.h"
#include "okno-google-auth.h"
#include "okno-telegram.h"
#include "okno-outbox.h"
#include "okno-slot-service.h"
#include "okno-waitlist.h"
#include "okno-web-server.h"

G_BEGIN_DECLS

/* @OKNO_PROFILE_STATE_NEW: not initialized yet
 * @OKNO_PROFILE_STATE_LOADING: opening the folder and the calendar
 * @OKNO_PROFILE_STATE_READY: everything is open
 * @OKNO_PROFILE_STATE_FAILED: it could not open; the error said why */
typedef enum
{
  OKNO_PROFILE_STATE_NEW,
  OKNO_PROFILE_STATE_LOADING,
  OKNO_PROFILE_STATE_READY,
  OKNO_PROFILE_STATE_FAILED,
} OknoProfileState;

#define OKNO_TYPE_PROFILE_STATE (okno_profile_state_get_type ())
GType okno_profile_state_get_type (void) G_GNUC_CONST;

#define OKNO_TYPE_PROFILE (okno_profile_get_type ())
G_DECLARE_FINAL_TYPE (OknoProfile, okno_profile, OKNO, PROFILE, GObject)

/* Command-line values that win over the settings for one run. */
typedef struct
{
  int         port;           /* -1: from settings */
  const char *bind;           /* NULL: from settings */
  int         rate_limit;     /* -1: from settings */
  const char *trusted_proxy;  /* NULL: none */
  int         poll_seconds;   /* -1: from settings (Google backend) */
} OknoOverrides;

#define OKNO_OVERRIDES_INIT { -1, NULL, -1, NULL, -1 }

void                okno_profile_new_async        (const char          *data_dir,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
OknoProfile        *okno_profile_new_finish       (GAsyncResult        *result,
                                                   GError             **error);
OknoProfileState    okno_profile_get_state        (OknoProfile         *self);
const char         *okno_profile_get_data_dir     (OknoProfile        *self);
GSettings          *okno_profile_get_settings     (OknoProfile        *self);
OknoCalendar       *okno_profile_get_calendar     (OknoProfile        *self);
OknoLedger         *okno_profile_get_ledger       (OknoProfile        *self);
OknoSchedule       *okno_profile_get_schedule     (OknoProfile        *self);
OknoBookingService *okno_profile_get_service      (OknoProfile        *self);
OknoSlotService    *okno_profile_get_slot_service (OknoProfile        *self);
OknoWebServer      *okno_profile_get_web_server   (OknoProfile        *self);
OknoCalcomMonitor  *okno_profile_get_calcom_monitor (OknoProfile        *self);
OknoTelegram       *okno_profile_get_telegram     (OknoProfile         *self);
const char         *okno_profile_get_email_problem (OknoProfile        *self);
OknoEmailSink      *okno_profile_get_email_sink   (OknoProfile         *self);
void                okno_profile_use_google_account (OknoProfile       *self,
                                                     OknoGoogleAuth    *auth);
void                _okno_profile_set_email_account (OknoProfile       *self,
                                                     OknoTokenProvider *tokens,
                                                     const char        *address);
void                okno_profile_start_watching   (OknoProfile         *self);
void                okno_profile_start_watching_async  (OknoProfile         *self,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
gboolean            okno_profile_start_watching_finish (OknoProfile         *self,
                                                        GAsyncResult        *result,
                                                        GError             **error);
void                okno_profile_apply_overrides  (OknoProfile        *self,
                                                    const OknoOverrides *overrides);
gboolean            okno_profile_start_server     (OknoProfile        *self,
                                                    GError             **error);
const char         *okno_profile_get_server_error (OknoProfile        *self);
const char         *okno_profile_get_server_url   (OknoProfile        *self);
OknoOutbox         *okno_profile_get_outbox       (OknoProfile        *self);
OknoAttention      *okno_profile_get_attention    (OknoProfile        *self);
OknoWaitlist       *okno_profile_get_waitlist    (OknoProfile        *self);
gboolean            okno_profile_is_busy          (OknoProfile        *self);
void                okno_profile_flush            (OknoProfile        *self);
void                okno_profile_close_async      (OknoProfile        *self,
                                                   GCancellable       *cancellable,
                                                   GAsyncReadyCallback callback,
                                                   gpointer            user_data);
gboolean            okno_profile_close_finish     (OknoProfile        *self,
                                                   GAsyncResult       *result,
                                                   GError            **error);

G_END_DECLS
