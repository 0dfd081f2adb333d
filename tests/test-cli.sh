#!/bin/sh
# test-cli.sh: okno-server's command line, as a person uses it. TAP output.
# SPDX-FileCopyrightText: 2026 Okno contributors
# SPDX-License-Identifier: GPL-3.0-or-later
set -u

SERVER=$1
APP=$2
DIR=$(mktemp -d)
trap 'kill $SERVE_PID 2>/dev/null; rm -rf "$DIR"' EXIT
SERVE_PID=
n=0
failed=0

ok() {
  n=$((n + 1))
  if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; failed=1; fi
}

run() { "$SERVER" --data-dir "$DIR" "$@"; }

# --help lists the options and the commands
out=$("$SERVER" --help 2>&1); rc=$?
echo "$out" | grep -q -- '--data-dir' && echo "$out" | grep -q -- '--port' && echo "$out" | grep -q -- '--bind' \
  && echo "$out" | grep -q -- '--rate-limit' && echo "$out" | grep -q -- '--trusted-proxy' \
  && echo "$out" | grep -q 'slots add' && [ $rc = 0 ]
ok $? "--help lists options and commands"

out=$("$SERVER" --version); ok $? "--version exits 0"
echo "$out" | grep -Eq '^okno-server [0-9]+\.[0-9]+'; ok $? "--version prints the version"

err=$("$SERVER" --port abc 2>&1 >/dev/null); rc=$?
[ $rc = 2 ] && echo "$err" | grep -q 'abc' && [ "$(printf '%s\n' "$err" | wc -l)" = 1 ]
ok $? "--port abc is a usage error (exit 2) with a clear message"

"$SERVER" --port 70000 >/dev/null 2>&1; [ $? = 2 ]; ok $? "--port 70000 is a usage error"
run frobnicate >/dev/null 2>&1; [ $? = 2 ]; ok $? "an unknown command is a usage error"

# The window's program takes the same options (no display needed for these).
"$APP" --help | grep -q -- '--data-dir'; ok $? "okno --help lists --data-dir"
"$APP" --version | grep -Eq '^okno [0-9]'; ok $? "okno --version"
"$APP" --port abc >/dev/null 2>&1; [ $? = 2 ]; ok $? "okno --port abc is a usage error (exit 2)"

# slots add / list / rm
start=$(date -d '+3 days' +%Y-%m-%dT17:30)
id=$(run slots add --start "$start" --title "Включить в дело (40 мин)" | cut -f1); rc=$?
[ $rc = 0 ] && [ -n "$id" ]; ok $? "slots add prints the new slot's id"
run slots list | grep -q "$id.*open.*Включить в дело"; ok $? "slots list shows it as open"
run slots list --json | grep -q "\"id\" : \"$id\""; ok $? "slots list --json"
grep -q '🔓 СЛОТ: Включить в дело (40 мин)' "$DIR/calendar.json"; ok $? "calendar.json holds the slot with Olga's title"

err=$(run slots add --start "$start" 2>&1); rc=$?
[ $rc = 1 ] && echo "$err" | grep -q 'overlap' && [ "$(printf '%s\n' "$err" | wc -l)" = 1 ]
ok $? "an overlapping slot is refused, in one line"
err=$(run slots add --start "next tuesday" 2>&1)
[ "$(printf '%s\n' "$err" | wc -l)" = 1 ]; ok $? "a usage error is one line"
run slots add --start "2020-01-01T10:00" >/dev/null 2>&1; [ $? = 1 ]; ok $? "a slot in the past is refused"
run slots add --start "next tuesday" >/dev/null 2>&1; [ $? = 2 ]; ok $? "an unreadable --start is a usage error"
run slots add --start "$start" --minutes 1 >/dev/null 2>&1; [ $? = 2 ]; ok $? "--minutes out of range is a usage error"

# The slot rule, with the inputs the window's test tries (test-week-view,
# /okno/week-view/slot-rule) around a slot at 10:00-10:40: touching is
# allowed, overlapping is not.
day=$(date -d '+10 days' +%Y-%m-%d)
run slots add --start "${day}T10:00" >/dev/null; ok $? "the slot rule: a slot at 10:00-10:40"
run slots add --start "${day}T09:30" >/dev/null 2>&1; [ $? = 1 ]; ok $? "the slot rule: 09:30-10:10 overlaps its start"
run slots add --start "${day}T10:30" >/dev/null 2>&1; [ $? = 1 ]; ok $? "the slot rule: 10:30-11:10 overlaps its end"
run slots add --start "${day}T10:40" >/dev/null; ok $? "the slot rule: 10:40-11:20 touches its end"
run slots add --start "${day}T09:20" >/dev/null; ok $? "the slot rule: 09:20-10:00 touches its start"
[ "$(run slots list | grep -c "^[a-v0-9]*	${day}")" = 3 ]; ok $? "the slot rule: three slots that day, ids of a-v and 0-9"
# Local times the clocks skip or pass twice (Europe/Berlin, 2027).
BER="$DIR/berlin"
"$SERVER" --data-dir "$BER" settings set time-zone Europe/Berlin >/dev/null 2>&1
err=$("$SERVER" --data-dir "$BER" slots add --start 2027-03-28T02:30 2>&1); rc=$?
[ $rc = 1 ] && echo "$err" | grep -q 'does not exist' && [ "$(printf '%s\n' "$err" | wc -l)" = 1 ]
ok $? "a local time that does not exist is refused, not moved"
err=$("$SERVER" --data-dir "$BER" slots add --start 2027-10-31T02:30 2>&1); rc=$?
[ $rc = 1 ] && echo "$err" | grep -q '2027-10-31T02:30+02:00' && echo "$err" | grep -q '2027-10-31T02:30+01:00'
ok $? "an ambiguous local time is refused, asking for an offset"
out=$("$SERVER" --data-dir "$BER" slots add --start 2027-10-31T02:30+01:00 --minutes 30); rc=$?
[ $rc = 0 ] && echo "$out" | grep -q '02:30'
ok $? "with an offset, the second 02:30 is accepted"
out=$("$SERVER" --data-dir "$BER" slots list --json)
echo "$out" | grep -q '"2027-10-31T02:30:00+01:00"'
ok $? "and stored as the second occurrence"

id2=$(run slots add --start "$(date -d '+4 days' +%Y-%m-%dT10:00)+03:00" --minutes 60 | cut -f1)
run slots rm "$id2"; ok $? "slots rm removes an open slot"
run slots list | grep -q "$id2"; [ $? = 1 ]; ok $? "the removed slot is gone"
run slots rm nosuchslot >/dev/null 2>&1; [ $? = 1 ]; ok $? "slots rm of an unknown id fails"

# settings
run settings set time-zone Europe/Moscow; ok $? "settings set"
[ "$(run settings get time-zone)" = "Europe/Moscow" ]; ok $? "settings get reads it back"
run settings set port 99999 >/dev/null 2>&1; [ $? = 2 ]; ok $? "an out-of-range setting is refused"
run settings get no-such-key >/dev/null 2>&1; [ $? = 2 ]; ok $? "an unknown setting is refused"
grep -q 'time-zone' "$DIR/settings.ini"; ok $? "settings live in settings.ini in the data folder"
run settings set reminder-hours 0; ok $? "settings set reminder-hours 0 turns the client's reminder off"
[ "$(run settings get reminder-hours)" = "0" ]; ok $? "reminder-hours reads back"
run settings set reminder-hours 169 >/dev/null 2>&1; [ $? = 2 ]; ok $? "reminder-hours is at most a week"
OLD=$(mktemp -d)
printf '[okno]\ncalcom-probe-minutes=30\nport=8500\n' > "$OLD/settings.ini"
[ "$("$SERVER" --data-dir "$OLD" settings get calcom-probe-seconds)" = 1800 ] && ! grep -q calcom-probe-minutes "$OLD/settings.ini" &&
  [ "$("$SERVER" --data-dir "$OLD" settings get port)" = 8500 ]
ok $? "calcom-probe-minutes from an older Okno becomes calcom-probe-seconds"
rm -rf "$OLD"
run settings set agenda-hour 9; ok $? "settings set agenda-hour 9"
[ "$(run settings get agenda-hour)" = "9" ]; ok $? "agenda-hour reads back"
run settings set agenda-hour 24 >/dev/null 2>&1; [ $? = 2 ]; ok $? "agenda-hour is an hour 0-23 or empty"
run settings set agenda-hour ''; ok $? "an empty agenda-hour turns the agenda off"

# Serving: the same folder is locked; a booking through HTTP shows in the CLI afterwards.
# Port 0: a free port (a fixed one collided with other suites running at
# once, and the server then stopped); generous wait for a loaded machine.
"$SERVER" --data-dir "$DIR" --port 0 > "$DIR/serve.log" 2>&1 &
SERVE_PID=$!
for i in $(seq 1 300); do grep -q 'serving' "$DIR/serve.log" && break; sleep 0.1; done
port=$(grep -o 'http://127\.0\.0\.1:[1-9][0-9]*/' "$DIR/serve.log" | head -1 | sed 's|.*:\([0-9]*\)/|\1|')
[ -n "$port" ]; ok $? "okno-server says where it serves"

err=$(run slots list 2>&1); rc=$?
[ $rc = 1 ] && echo "$err" | grep -q 'in use'; ok $? "a second process on the folder is refused clearly"

status=$(curl -s -o "$DIR/book.json" -w '%{http_code}' -X POST -H 'Content-Type: application/json' \
  -d "{\"slotId\":\"$id\",\"name\":\"Анна\",\"email\":\"anna@example.org\"}" "http://127.0.0.1:$port/api/book")
[ "$status" = 201 ]; ok $? "a booking through HTTP"

kill -TERM $SERVE_PID; wait $SERVE_PID; rc=$?; SERVE_PID=
[ $rc = 0 ]; ok $? "SIGTERM stops the server cleanly (exit 0)"

bid=$(run bookings list | cut -f1)
run bookings list | grep -q "confirmed.*Анна.*anna@example.org"; ok $? "bookings list shows the booking"
run bookings list --json | grep -q '"name" : "Анна"'; ok $? "bookings list --json"
run bookings list --json | grep -q 'tokenHash'; [ $? = 1 ]; ok $? "bookings list --json shows no secrets"
grep -q '"bookings"' "$DIR/bookings.json" && grep -q "$bid" "$DIR/bookings.json"; ok $? "bookings.json holds it after a clean stop"
grep -q '✅ Анна — Включить в дело (40 мин)' "$DIR/calendar.json"; ok $? "the calendar event reads as booked"

err=$(run slots rm "$id" 2>&1); rc=$?
[ $rc = 1 ] && echo "$err" | grep -q 'bookings cancel'; ok $? "a booked slot cannot be removed before its booking is cancelled"

# Olga moves it (issue 13.1): the history says so, and back again.
id3=$(run slots add --start "$(date -d '+5 days' +%Y-%m-%dT12:00)" --title "Разбор" | cut -f1)
run bookings move "$bid" "$id3"; ok $? "bookings move"
run bookings list --json | grep -q "\"slotId\" : \"$id3\""; ok $? "bookings move: the booking is on the new slot"
run bookings list --json | grep -q '"event" : "moved"'; ok $? "bookings list --json shows the move in its history"
run bookings move "$bid" nosuchslot >/dev/null 2>&1; [ $? = 1 ]; ok $? "bookings move to an unknown slot fails"
run bookings move "$bid" >/dev/null 2>&1; [ $? = 2 ]; ok $? "bookings move without a slot is a usage error"
run bookings move "$bid" "$id"; ok $? "bookings move back"
run bookings cancel "$bid"; ok $? "bookings cancel"
run bookings list | grep -q "cancelled"; ok $? "the booking shows as cancelled"
grep -q '🔓 СЛОТ: Включить в дело (40 мин)' "$DIR/calendar.json"; ok $? "the slot reopens in the calendar"
run bookings cancel nosuch >/dev/null 2>&1; [ $? = 1 ]; ok $? "cancelling an unknown booking fails"

echo "1..$n"
exit $failed
