# google-test-lib.sh: what the shell tests against the fake Google share.
# Sourced with SERVER and FAKE set. It makes TMP (kept with KEEP_TMP=1),
# kills $FAKE_PID $CONNECT_PID $SERVE_PID $CLI_PID on exit, counts TAP
# results with ok() (a test may define its own after this), gives
# wait_line FILE, starts the fake and exports its endpoints (BASE).
# SPDX-FileCopyrightText: 2026 Okno contributors
# SPDX-License-Identifier: GPL-3.0-or-later

TMP=$(mktemp -d)
FAKE_PID=
CONNECT_PID=
SERVE_PID=
CLI_PID=
trap 'kill $FAKE_PID $CONNECT_PID $SERVE_PID $CLI_PID 2>/dev/null; [ -n "${KEEP_TMP:-}" ] || rm -rf "$TMP"' EXIT
n=0
failed=0

ok() {
  n=$((n + 1))
  if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; failed=1; fi
}

# Waits (up to 60 s, the machine may be loaded) until FILE has a first line.
wait_line() {
  i=0
  while [ ! -s "$1" ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i + 1)); done
  [ -s "$1" ]
}

"$FAKE" --quiet > "$TMP/fake.out" &
FAKE_PID=$!
wait_line "$TMP/fake.out"
BASE=$(head -n 1 "$TMP/fake.out")
export OKNO_GOOGLE_AUTH_URL="$BASE/o/oauth2/v2/auth" OKNO_GOOGLE_TOKEN_URL="$BASE/token" \
       OKNO_GOOGLE_CALENDAR_URL="$BASE/calendar/v3" OKNO_GMAIL_URL="$BASE/gmail/v1" \
       OKNO_GOOGLE_CLIENT_ID=fake-client-id OKNO_GOOGLE_CLIENT_SECRET=fake-client-secret
