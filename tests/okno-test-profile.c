/* okno-test-profile.c: waiting for a profile's writes, as a test does: on
 * the test's own loop, from the test's body, never inside a callback.
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "okno-profile.h"
#include "okno-test-profile.h"
#include "okno-test-utils.h"

static gboolean
timed_out_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/**
 * okno_test_settle_profile:
 *
 * Runs the test's loop until the calendar changes under way have landed
 * (5 s at most, as the programs wait when they close) and every record is
 * on disk, then folds the journal into bookings.json.
 */
void
okno_test_settle_profile (OknoProfile *profile)
{
  gboolean timed_out = FALSE;
  guint timeout = g_timeout_add (5000, timed_out_cb, &timed_out);

  while (okno_profile_is_busy (profile) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (timeout);

  okno_test_drain (okno_profile_get_ledger (profile));
  okno_profile_flush (profile);
}
