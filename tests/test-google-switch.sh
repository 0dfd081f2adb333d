#!/bin/sh
# test-google-switch.sh SERVER FAKE: switching a data folder between the
# local calendar and Google with `okno-server google connect|disconnect`,
# against the fake Google (the test plays the browser). TAP output. Runs
# inside run-with-keyring.sh.
# SPDX-FileCopyrightText: 2026 Okno contributors
# SPDX-License-Identifier: GPL-3.0-or-later
set -u

SERVER=$1
FAKE=$2
. "$(dirname "$0")/google-test-lib.sh"

run() { "$SERVER" --data-dir "$TMP/d" "$@"; }
control() { curl -s -f -X POST -H 'Content-Type: application/json' -d "$2" "$BASE/_fake/$1"; }
# Live (not cancelled) events in the fake's primary calendar, one id a line.
store_ids() {
  curl -s "$BASE/_fake/events?calendarId=primary" | tr '{' '\n' | grep '"id"' | grep -v '"status" *: *"cancelled"' |
    sed 's/.*"id" *: *"\([^"]*\)".*/\1/' | grep -v '@' | sort -u
}
store_count() { store_ids | grep -c .; }

connect() {
  rm -f "$TMP/connect.out" "$TMP/connect.err"
  "$SERVER" --data-dir "$TMP/d" google connect > "$TMP/connect.out" 2> "$TMP/connect.err" &
  CONNECT_PID=$!
  wait_line "$TMP/connect.out"
  curl -s "$(curl -s -o /dev/null -w '%{redirect_url}' "$(head -n 1 "$TMP/connect.out")")" >/dev/null
  wait $CONNECT_PID; rc=$?; CONNECT_PID=; return $rc
}

serve() {
  rm -f "$TMP/serve.out"
  "$SERVER" --data-dir "$TMP/d" --port 0 --poll-seconds 10 > "$TMP/serve.out" 2>>"$TMP/serve.err" &
  SERVE_PID=$!
  wait_line "$TMP/serve.out"
  PAGE=$(grep -o 'http://[^ ]*' "$TMP/serve.out" | head -n 1)
  PAGE=${PAGE%/}
}
stop() { kill $SERVE_PID; wait $SERVE_PID; rc=$?; SERVE_PID=; return $rc; }
# Waits (up to 60 s) until the command in $1 succeeds.
wait_for() {
  i=0
  while ! eval "$1" && [ $i -lt 300 ]; do sleep 0.2; i=$((i + 1)); done
  eval "$1"
}

# The local calendar: two slots, one of them booked from the page.
DAY=$(TZ=Europe/Moscow date -d '+2 days' +%Y-%m-%d)
run slots add --start "${DAY}T10:00" --title Консультация >/dev/null
run slots add --start "${DAY}T12:00" --title Консультация >/dev/null
SLOT1=$(run slots list | grep 'T\?10:00' | cut -f1)
SLOT2=$(run slots list | grep 'T\?12:00' | cut -f1)
[ -n "$SLOT1" ] && [ -n "$SLOT2" ]; ok $? "two slots in the local calendar"
serve
curl -s -f -X POST -H 'Content-Type: application/json' \
  -d "{\"slotId\":\"$SLOT1\",\"name\":\"Анна\",\"email\":\"anna@example.com\"}" "$PAGE/api/book" >/dev/null
ok $? "a client books the first slot on the local calendar"
stop
BOOKINGS_BEFORE=$(run bookings list --json | grep -c '"id"')

# Connect: both are queued for Google, and Okno moves to Google.
connect; ok $? "connect exits 0"
grep -q '2 slots and booked sessions of the local calendar will be copied into Google Calendar' "$TMP/connect.err"
ok $? "connect prints how many slots and booked sessions it copies"
[ "$(store_count)" = 0 ]; ok $? "connect itself only queues the copies"
# `google status` runs Okno on the folder too: with Google refusing the
# inserts meanwhile, the copies are still waiting when it counts them.
control faults '{"method":"POST","path":"/events","status":503,"count":0}' >/dev/null
out=$(run google status)
echo "$out" | grep -qx 'Pending changes: 2' && echo "$out" | grep -Eq '^Sync: synced, last sync [0-9]{4}-'
ok $? "google status shows the sync and counts the copies waiting for Google"
curl -s -f -X DELETE "$BASE/_fake/faults" >/dev/null
# (Any later okno-server run on the folder, even a command, sends them.)
[ "$(run settings get calendar-backend)" = google ]; ok $? "connect moves the folder to Google"

serve
wait_for '[ "$(store_count)" -ge 2 ]'
store_ids > "$TMP/ids"
grep -qx "$SLOT1" "$TMP/ids" && grep -qx "$SLOT2" "$TMP/ids" && [ "$(store_count)" = 2 ]
ok $? "okno-server on Google copies both with their local ids"
curl -s "$BASE/_fake/events?calendarId=primary" | tr '{' '\n' | grep -A3 "\"$SLOT1\"" | grep -q '✅'
ok $? "the booked one arrives as booked"
wait_for "curl -s '$PAGE/api/slots' | grep -q '$SLOT2'"; ok $? "the page offers the open slot from Google"
stop; ok $? "the server stops cleanly"
out=$(run google status)
echo "$out" | grep -Eq '^Sync: synced, last sync [0-9]{4}-' && echo "$out" | grep -qx 'Pending changes: 0'
ok $? "google status shows the last sync, and nothing waiting once the copies are in"
[ "$(run bookings list --json | grep -c '"id"')" = "$BOOKINGS_BEFORE" ] && run bookings list --json | grep -q "$SLOT1"
ok $? "the booking in the ledger is untouched"

# Olga publishes a slot in Google meanwhile; Okno syncs it.
control events "{\"insert\":{\"id\":\"olgaslot0001\",\"summary\":\"🔓 СЛОТ: Консультация\",
  \"start\":{\"dateTime\":\"${DAY}T15:00:00+03:00\"},\"end\":{\"dateTime\":\"${DAY}T15:50:00+03:00\"}}}" >/dev/null
serve
wait_for "curl -s '$PAGE/api/slots' | grep -q olgaslot0001"; ok $? "a slot published in Google reaches the page"
stop

# Disconnect: Google's upcoming slots come into the local calendar.
run google disconnect 2>"$TMP/disconnect.err"; ok $? "disconnect exits 0"
grep -q '1 slot or booked session from Google Calendar was copied into the local calendar' "$TMP/disconnect.err"
ok $? "disconnect copies back what the local calendar lacks, and says how many"
[ "$(run settings get calendar-backend)" = local ]; ok $? "disconnect moves the folder back to the local calendar"
grep -q olgaslot0001 "$TMP/d/calendar.json"; ok $? "calendar.json holds the slot published in Google"
serve
curl -s "$PAGE/api/slots" | grep -q olgaslot0001 && curl -s "$PAGE/api/slots" | grep -q "$SLOT2"
ok $? "the page on the local calendar keeps offering the slots"
stop
[ "$(run bookings list --json | grep -c '"id"')" = "$BOOKINGS_BEFORE" ]; ok $? "the bookings are still untouched"

# Connect again: the same three go to Google, nothing twice.
curl -s -X DELETE "$BASE/_fake/log"
connect; ok $? "connect again exits 0"
grep -q '3 slots and booked sessions' "$TMP/connect.err"; ok $? "it queues the three upcoming slots again"
serve
wait_for "curl -s '$BASE/_fake/log' | tr '{' '\n' | grep '\"method\":\"POST\"' | grep -c '\"status\":409' | grep -qx 3"
ok $? "the three inserts meet 409 (already there) and count as done"
wait_for "curl -s '$PAGE/api/status' | grep -q '\"pending\":0'" >/dev/null
stop
[ "$(store_count)" = 3 ]; ok $? "Google holds each event once"
run attention list | grep -q . ; [ $? != 0 ]; ok $? "and nothing needs attention"

echo "1..$n"
exit $failed
