/* okno-test-http.h: a data folder served on a free port, and a client.
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

#include "okno-profile.h"

G_BEGIN_DECLS

typedef struct
{
  char         *dir;
  OknoProfile *instance;
  SoupSession  *session;
  char         *base;
  OknoEvent    *slot;
  OknoEvent    *slot2;
} Fixture;

typedef struct
{
  guint               status;
  GBytes             *body;
  SoupMessageHeaders *headers;
  JsonNode           *json;
} Response;

typedef struct
{
  Response *response;
  gboolean  done;
} Pending;

OknoProfile *okno_test_open_profile      (const char    *dir);
void         okno_test_response_free     (Response      *r);
OknoEvent   *okno_test_http_add_slot     (Fixture       *f,
                                          int            hours_from_now,
                                          const char    *title);
void         okno_test_http_set_up       (Fixture       *f,
                                          gconstpointer  data);
void         okno_test_http_tear_down    (Fixture       *f,
                                          gconstpointer  data);
SoupMessage *okno_test_http_message      (Fixture       *f,
                                          const char    *method,
                                          const char    *path,
                                          const char    *body,
                                          gssize         length);
void         okno_test_http_send_async   (Fixture       *f,
                                          SoupMessage   *msg,
                                          Pending       *pending);
Response    *okno_test_http_send         (Fixture       *f,
                                          SoupMessage   *msg);
Response    *okno_test_http_request      (Fixture       *f,
                                          const char    *method,
                                          const char    *path,
                                          const char    *body);
char        *okno_test_http_form_stamp   (Fixture       *f,
                                          const char    *slot_id);
char        *okno_test_http_form_stamp_for (Fixture      *f,
                                           const char   *scope);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Response, okno_test_response_free)

/* The http fixture with Telegram set up against tests/fake-telegram (its
 * program given), a session for the fake's /control endpoints. */
typedef struct
{
  Fixture      http;
  GSubprocess *fake;
  char        *base;
  SoupSession *control;
} TelegramFixture;

void         okno_test_telegram_set_up    (TelegramFixture *f,
                                           const char      *fake_program);
void         okno_test_telegram_tear_down (TelegramFixture *f);

G_END_DECLS
