#!/bin/sh
# test-cli-email.sh SERVER FAKE: Olga's own changes made with okno-server's
# commands (bookings cancel, bookings move) reach the client by email like
# the window's, once Google is connected for email (issue 11: a
# cancellation email when either side cancels). Against the fake Google,
# inside run-with-keyring.sh. TAP output.
# SPDX-FileCopyrightText: 2026 Okno contributors
# SPDX-License-Identifier: GPL-3.0-or-later
set -u

SERVER=$1
FAKE=$2
. "$(dirname "$0")/google-test-lib.sh"
unset OKNO_KEYRING

run() { "$SERVER" --data-dir "$TMP/d" "$@"; }
serve() {
  rm -f "$TMP/serve.out"
  "$SERVER" --data-dir "$TMP/d" --port 0 > "$TMP/serve.out" 2>>"$TMP/serve.err" &
  SERVE_PID=$!
  wait_line "$TMP/serve.out"
  PAGE=$(grep -o 'http://[^ ]*' "$TMP/serve.out" | head -n 1)
  PAGE=${PAGE%/}
}
stop() { kill $SERVE_PID; wait $SERVE_PID; rc=$?; SERVE_PID=; return $rc; }
# Messages Gmail got for the client, one Subject line each (as sent).
client_mail() {
  curl -s "$BASE/_fake/messages" | python3 -c '
import json, sys
for m in json.load(sys.stdin):
    head = m.get("mime", "").split("\r\n\r\n")[0]
    if "anna@example.org" in head:
        print([l for l in head.split("\r\n") if l.startswith("X-Okno-Key:")][0])'
}
# Waits (up to 60 s) until the client has $1 messages.
wait_mail() {
  i=0
  while [ "$(client_mail | grep -c .)" -lt "$1" ] && [ $i -lt 300 ]; do sleep 0.2; i=$((i + 1)); done
  [ "$(client_mail | grep -c .)" = "$1" ]
}

"$SERVER" --data-dir "$TMP/d" google connect > "$TMP/connect.out" 2> "$TMP/connect.err" &
CONNECT_PID=$!
wait_line "$TMP/connect.out"
curl -s "$(curl -s -o /dev/null -w '%{redirect_url}' "$(head -n 1 "$TMP/connect.out")")" >/dev/null
wait $CONNECT_PID; ok $? "google connect (the test plays the browser)"
CONNECT_PID=
run settings set calendar-backend local

DAY=$(TZ=Europe/Moscow date -d '+2 days' +%Y-%m-%d)
SLOT1=$(run slots add --start "${DAY}T10:00" --title Консультация | cut -f1)
SLOT2=$(run slots add --start "${DAY}T12:00" --title Консультация | cut -f1)
serve
BOOKING=$(curl -s -f -X POST -H 'Content-Type: application/json' \
  -d "{\"slotId\":\"$SLOT1\",\"name\":\"Анна\",\"email\":\"anna@example.org\"}" "$PAGE/api/book" |
  sed -n 's/.*"booking":{"id":"\([^"]*\)".*/\1/p')
[ -n "$BOOKING" ]; ok $? "a client books on the page"
wait_mail 1; ok $? "the client's confirmation is sent"
stop

run bookings move "$BOOKING" "$SLOT2"; ok $? "Olga moves the booking with okno-server bookings move"
[ "$(client_mail | grep -c .)" = 2 ]; ok $? "the client has the new time by email when the command ends"

run bookings cancel "$BOOKING"; ok $? "Olga cancels it with okno-server bookings cancel"
[ "$(client_mail | grep -c .)" = 3 ]; ok $? "the client has the cancellation by email when the command ends"
serve
sleep 1
stop
[ "$(client_mail | grep -c .)" = 3 ]; ok $? "the next run sends none of them again"
client_mail | grep -q "^X-Okno-Key: $BOOKING.cancelled.client-email"; ok $? "the last one is the cancellation's item"
client_mail | sed 's/^/# /'

echo "1..$n"
exit $failed
