/* okno-notify-error.h
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Notification channels. Each message is for Olga, in her language, and
 * says what to do when something is hers to do. */
#define OKNO_NOTIFY_ERROR (okno_notify_error_quark ())
typedef enum
{
  OKNO_NOTIFY_ERROR_NOT_CONFIGURED,   /* no token, key or chat: set it up */
  OKNO_NOTIFY_ERROR_UNAUTHORIZED,     /* the token is wrong: a new one */
  OKNO_NOTIFY_ERROR_CHAT_NOT_FOUND,   /* the chat id is wrong */
  OKNO_NOTIFY_ERROR_BLOCKED,          /* the bot is blocked: stop */
  OKNO_NOTIFY_ERROR_NOT_STARTED,      /* the user must press Start */
  OKNO_NOTIFY_ERROR_MIGRATED,         /* the group has a new id */
  OKNO_NOTIFY_ERROR_REJECTED,         /* the service refused this message */
  OKNO_NOTIFY_ERROR_RATE_LIMITED,     /* wait, then again */
  OKNO_NOTIFY_ERROR_UNAVAILABLE,      /* 5xx, network, timeout: again later */
} OknoNotifyError;

GQuark   okno_notify_error_quark     (void);
gboolean okno_notify_error_is_temporary (const GError *error);

G_END_DECLS
