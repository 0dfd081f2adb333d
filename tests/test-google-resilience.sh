#!/bin/sh
# test-google-resilience.sh SERVER FAKE: okno-server on the Google backend
# while the fake Google fails: five (scaled) minutes of 503s, dropped
# connections, kill -9 with writes queued, and 50% of requests failing.
# Every check counts what reached the fake. TAP output. Runs inside
# run-with-keyring.sh (the refresh token lives in the keyring).
#
# Time: OKNO_BACKOFF_SCALE=0.01 makes every retry wait (the outbox's and
# the Google backend's) a hundredth as long, so the retry logic runs as it
# does for Olga and "five minutes of 503s" take three seconds.
# SPDX-FileCopyrightText: 2026 Okno contributors
# SPDX-License-Identifier: GPL-3.0-or-later
set -u

SERVER=$1
FAKE=$2
. "$(dirname "$0")/google-test-lib.sh"

SCALE=0.01
OUTAGE_SECONDS=3          # five minutes at $SCALE
export OKNO_BACKOFF_SCALE=$SCALE

diag() { echo "$*" | sed 's/^/# /' >&2; }
CAL=olga.rozet@example.com

control() { curl -s -f -X POST -H 'Content-Type: application/json' -d "$2" "$BASE/_fake/$1" >/dev/null; }
clear_faults() { curl -s -f -X DELETE "$BASE/_fake/faults" >/dev/null; }
clear_log() { curl -s -f -X DELETE "$BASE/_fake/log" >/dev/null; }

# The fake's request log as "METHOD path status" lines.
log_lines() {
  curl -s "$BASE/_fake/log" | python3 -c '
import json, sys
for e in json.load(sys.stdin):
    print(e["method"], e["path"], e["status"])'
}
# How many logged requests match the extended regex $1.
log_count() { log_lines | grep -Ec "$1"; }

# The fake's store of the slot calendar as "id<TAB>status<TAB>summary" lines.
store() {
  curl -s "$BASE/_fake/events?calendarId=$CAL" | python3 -c '
import json, sys
for e in json.load(sys.stdin):
    print(e["id"], e.get("status", ""), e.get("summary", ""), sep="\t")'
}
title_of() { store | awk -F '\t' -v id="$1" '$1 == id { print $3 }'; }
live_count() { store | awk -F '\t' '$2 != "cancelled"' | wc -l; }

# A slot event $1 (id) $2 days ahead at $3 o'clock Moscow time, as JSON.
slot_json() {
  day=$(TZ=Europe/Moscow date -d "+$2 days" +%Y-%m-%d)
  printf '{"id":"%s","summary":"🔓 СЛОТ: Консультация","start":{"dateTime":"%sT%s:00:00+03:00"},"end":{"dateTime":"%sT%s:50:00+03:00"}}' \
    "$1" "$day" "$3" "$day" "$3"
}

# Seeds the fake with one calendar holding the slots "ID:DAYS:HOUR …".
seed_slots() {
  events=
  for s in "$@"; do
    id=${s%%:*}; rest=${s#*:}
    events="$events${events:+,}$(slot_json "$id" "${rest%%:*}" "${rest#*:}")"
  done
  control seed "{\"calendars\":[{\"id\":\"$CAL\",\"primary\":true,\"selected\":true}],\"events\":{\"$CAL\":[$events]}}"
}

# Connects data folder $1 to the fake (the test plays the browser) and
# puts its slots in Google.
connect() {
  rm -f "$TMP/connect.out"
  "$SERVER" --data-dir "$TMP/$1" google connect > "$TMP/connect.out" 2> "$TMP/connect.err" &
  CONNECT_PID=$!
  wait_line "$TMP/connect.out"
  curl -s "$(curl -s -o /dev/null -w '%{redirect_url}' "$(head -n 1 "$TMP/connect.out")")" >/dev/null
  wait $CONNECT_PID; rc=$?; CONNECT_PID=
  "$SERVER" --data-dir "$TMP/$1" settings set calendar-backend google && [ $rc = 0 ]
}

# Starts okno-server on folder $1; sets PAGE.
serve() {
  rm -f "$TMP/serve.out"
  "$SERVER" --data-dir "$TMP/$1" --port 0 --rate-limit 0 --poll-seconds 10 > "$TMP/serve.out" 2>>"$TMP/serve.err" &
  SERVE_PID=$!
  wait_line "$TMP/serve.out"
  PAGE=$(grep -o 'http://[^ ]*' "$TMP/serve.out" | head -n 1)
  PAGE=${PAGE%/}
}
stop() { kill "$SERVE_PID"; wait "$SERVE_PID"; rc=$?; SERVE_PID=; return $rc; }

status() { curl -s "$PAGE/api/status"; }
# Waits up to $2 s until /api/status matches the extended regex $1.
wait_status() {
  i=0; limit=$((${2:-60} * 5))
  while ! status | grep -Eq "$1" && [ $i -lt $limit ]; do sleep 0.2; i=$((i + 1)); done
  status | grep -Eq "$1" || { diag "status: $(status)"; return 1; }
}
# Waits up to $2 s (default 60) until the fake's event $1 has a booked title.
wait_booked() {
  i=0; limit=$((${2:-60} * 5))
  while ! title_of "$1" | grep -q '^✅' && [ $i -lt $limit ]; do sleep 0.2; i=$((i + 1)); done
  title_of "$1" | grep -q '^✅'
}

# Books slot $1 for client $2 through the JSON API; prints the HTTP status.
# Each client has an address of its own (the per-client limit).
book() {
  curl -s -o "$TMP/book.json" -w '%{http_code}' -H 'Content-Type: application/json' \
    -d "{\"slotId\":\"$1\",\"name\":\"$2\",\"email\":\"c-$(printf %s "$2" | md5sum | cut -c1-8)@example.org\"}" "$PAGE/api/book"
}

# PATCHes of event $1 that Google carried out (the fake logs one whose
# answer it dropped with the status it would have answered).
applied_patches() { log_count "^PATCH /calendar/v3/calendars/[^ ]*/events/$1 200$"; }

# ----------------------------------------------------------------------
# 1. Five minutes of 503s with bookings made meanwhile.
seed_slots slotaaaa0001:2:10 slotaaaa0002:2:12 slotaaaa0003:2:14 slotaaaa0004:3:10 \
           slotaaaa0005:3:12 slotaaaa0006:3:14 slotaaaa0007:4:10 slotaaaa0008:4:12
connect a; ok $? "folder a is connected to the fake Google"
serve a
wait_status '"calendar":\{"state":"synced","lastSync":"[^"]+","pending":0\}'
ok $? "/api/status: synced, a last sync, nothing pending"
LAST_SYNC=$(status | sed 's/.*"lastSync":"\([^"]*\)".*/\1/')

clear_log
control faults '{"path":"/calendar/v3","status":503,"count":0}'
OUTAGE_START=$(date +%s.%N)
codes=
for i in 1 2 3; do codes="$codes $(book slotaaaa000$i "Клиент $i")"; done
[ "$codes" = " 201 201 201" ]; ok $? "three bookings during the outage are accepted against the cached slots (201)"
wait_status '"calendar":\{"state":"offline","lastSync":"[^"]+","pending":3\}' 30
ok $? "/api/status: offline, the last sync kept, exactly 3 changes pending"
status | grep -q "\"lastSync\":\"$LAST_SYNC\""; ok $? "lastSync is still the last good sync"

# Hold the outage for five scaled minutes.
python3 -c "import time; time.sleep(max(0, $OUTAGE_SECONDS - (time.time() - $OUTAGE_START)))"
tried=$(log_count '^PATCH .* 503$')
[ "$tried" -ge 6 ]; ok $? "the outbox kept retrying during the outage ($tried PATCHes answered 503)"
diag "requests during the outage: $(log_count ' 503$')"
clear_faults

for i in 1 2 3; do wait_booked slotaaaa000$i 60 || diag "slotaaaa000$i: $(title_of slotaaaa000$i)"; done
wait_status '"calendar":\{"state":"synced","lastSync":"[^"]+","pending":0\}' 60
ok $? "after the outage: synced, nothing pending"
! status | grep -q "\"lastSync\":\"$LAST_SYNC\""; ok $? "lastSync moved on"
good=0
for i in 1 2 3; do
  [ "$(title_of slotaaaa000$i)" = "✅ Клиент $i — Консультация" ] && [ "$(applied_patches slotaaaa000$i)" = 1 ] && good=$((good + 1))
done
[ $good = 3 ]; ok $? "each booked event is retitled ✅ <client> — <type>, changed exactly once"
[ "$(live_count)" = 8 ] && [ "$(log_count '^POST ')" = 0 ]; ok $? "nothing is duplicated: still 8 events, no insert sent"
curl -s "$PAGE/api/slots?start=$(date +%Y-%m-%d)&end=$(date -d '+10 days' +%Y-%m-%d)" > "$TMP/slots.json"
! grep -q 'slotaaaa0001' "$TMP/slots.json" && grep -q 'slotaaaa0004' "$TMP/slots.json"
ok $? "the page offers the open slots, not the booked ones"

# ----------------------------------------------------------------------
# 2. Dropped connections (Google unreachable): a booking is accepted
#    offline and pushed on recovery.
clear_log
control faults '{"drop":true,"count":0}'
code=$(book slotaaaa0004 'Анна')
[ "$code" = 201 ] || diag "$code $(cat "$TMP/book.json")"
[ "$code" = 201 ]; ok $? "with every connection dropped, a booking is accepted (201)"
wait_status '"calendar":\{"state":"offline","lastSync":"[^"]+","pending":1\}' 30
ok $? "/api/status: offline, 1 change pending"
python3 -c "import time; time.sleep(1)"
clear_faults
wait_booked slotaaaa0004 60
[ "$(title_of slotaaaa0004)" = "✅ Анна — Консультация" ]; ok $? "on recovery the fake's event reads ✅ Анна — Консультация"
wait_status '"calendar":\{"state":"synced","lastSync":"[^"]+","pending":0\}' 60; ok $? "and the calendar is synced again"
stop; ok $? "the server stops cleanly"

# ----------------------------------------------------------------------
# 3. A publish during an outage (okno-server slots add, while no server
#    holds the folder) succeeds at once: it is durable in the folder's
#    journal and shown at once; the next run on the folder sends it,
#    exactly once.
clear_log
control faults '{"path":"/calendar/v3","status":503,"count":0}'
DAY=$(TZ=Europe/Moscow date -d '+5 days' +%Y-%m-%d)
"$SERVER" --data-dir "$TMP/a" slots add --start "${DAY}T10:00" --minutes 50 --title "Консультация" \
  > "$TMP/add.out" 2> "$TMP/add.err"; rc=$?
NEW=$(cut -f1 "$TMP/add.out")
[ $rc = 0 ] && [ -n "$NEW" ] && [ "$(store | grep -c "^$NEW	")" = 0 ]; rc=$?
[ $rc = 0 ] || diag "$NEW $(cat "$TMP/add.err")"
ok $rc "slots add succeeds while Google answers 503: the slot is queued, not in Google yet"
"$SERVER" --data-dir "$TMP/a" slots list > "$TMP/list.out" 2>> "$TMP/add.err"
grep -q "^$NEW	" "$TMP/list.out"; ok $? "slots list shows the queued slot"
"$SERVER" --data-dir "$TMP/a" google status > "$TMP/gstatus.out" 2>> "$TMP/add.err"
grep -qx 'Pending changes: 1' "$TMP/gstatus.out"; rc=$?
[ $rc = 0 ] || diag "$(cat "$TMP/gstatus.out")"
ok $rc "google status: Pending changes: 1"
clear_faults
# Any run on the folder sends what is queued (it waits a few seconds for
# writes under way when it closes).
i=0
while [ "$(store | grep -c "^$NEW	confirmed	")" = 0 ] && [ $i -lt 20 ]; do
  "$SERVER" --data-dir "$TMP/a" slots list > /dev/null 2>> "$TMP/add.err"; i=$((i + 1))
done
[ "$(store | grep -c "^$NEW	confirmed	")" = 1 ] && [ "$(log_count '^POST /calendar/v3/.* 200$')" = 1 ]; rc=$?
[ $rc = 0 ] || diag "$NEW $(cat "$TMP/add.err") $(store) $(log_lines)"
ok $rc "once Google is back the slot is in the fake exactly once, one insert carried out"

# An insert whose answer is lost: the repeat (same client id) gets 409 and
# finds its own event.
clear_log
control faults '{"path":"/events","method":"POST","dropAfter":true,"count":1}'
"$SERVER" --data-dir "$TMP/a" slots add --start "${DAY}T12:00" --minutes 50 --title "Консультация" \
  > "$TMP/add.out" 2> "$TMP/add.err"; rc=$?
NEW2=$(cut -f1 "$TMP/add.out")
# (the fake logs a request whose answer it dropped with the status it
# would have answered: 200 here)
[ $rc = 0 ] && [ "$(log_count '^POST /calendar/v3/.* 200$')" = 1 ] && [ "$(log_count '^POST /calendar/v3/.* 409$')" = 1 ]
ok $? "a repeated insert whose first answer was lost is answered 409 and taken as done"
[ "$(store | grep -c "^$NEW2	")" = 1 ] && [ "$(live_count)" = 10 ]; ok $? "the slot exists once: no duplicate"

# ----------------------------------------------------------------------
# 4. kill -9 with writes queued; the restart sends each exactly once.
serve a
wait_status '"state":"synced"' 60
clear_log
# slotaaaa0005/6: every PATCH refused. slotaaaa0007: the first PATCH is
# carried out but its answer lost, the next ones refused.
control faults '{"faults":[{"path":"/events/slotaaaa0007","method":"PATCH","dropAfter":true,"count":1},
  {"path":"/events/","method":"PATCH","status":503,"count":0}]}'
codes=
for s in slotaaaa0005 slotaaaa0006 slotaaaa0007; do codes="$codes $(book $s "Клиент $s")"; done
[ "$codes" = " 201 201 201" ]; ok $? "three bookings accepted while Google refuses their changes"
i=0
while [ "$(log_count '^PATCH .*slotaaaa000[56] 503$')" -lt 2 ] || [ "$(log_count '^PATCH .*slotaaaa0007 503$')" -lt 1 ]; do
  [ $i -ge 300 ] && break; sleep 0.2; i=$((i + 1))
done
kill -9 $SERVE_PID; wait $SERVE_PID 2>/dev/null; SERVE_PID=
[ "$(applied_patches slotaaaa0007)" = 1 ] && [ "$(title_of slotaaaa0005 | cut -c1-3)" != "✅" ]
ok $? "killed with -9 while two changes are refused and one is carried out unanswered"
clear_faults
serve a
for s in slotaaaa0005 slotaaaa0006 slotaaaa0007; do wait_booked $s 60; done
wait_status '"calendar":\{"state":"synced","lastSync":"[^"]+","pending":0\}' 60
ok $? "after the restart the queued changes are sent: synced, nothing pending"
good=0
for s in slotaaaa0005 slotaaaa0006 slotaaaa0007; do
  [ "$(title_of $s)" = "✅ Клиент $s — Консультация" ] && [ "$(applied_patches $s)" = 1 ] && good=$((good + 1))
done
[ $good = 3 ]; ok $? "each queued change reached Google exactly once (the unanswered one is not repeated)"
diag "$(log_lines | grep 'slotaaaa000[567]')"
[ "$(live_count)" = 10 ] && [ "$(log_count '^POST /calendar/v3/')" = 0 ]; ok $? "no event was added or lost, no insert sent"
stop; ok $? "the server stops cleanly"

# ----------------------------------------------------------------------
# 5. The demo's "Done when" with the fake failing half of all requests
#    (503s, dropped connections, answers lost after the work is done):
#    publish a slot, book it from the API, find the fake's event retitled.
#    It ends in the same state as the same run without faults.

# The slot calendar as Olga would read it: one line per event, the
# published slot's id (random) written NEW.
olga_view() {
  curl -s "$BASE/_fake/events?calendarId=$CAL" | python3 -c '
import json, sys
new = sys.argv[1]
rows = []
for e in json.load(sys.stdin):
    rows.append("%s %s %s %s-%s %s" % ("NEW" if e["id"] == new else e["id"], e.get("status"), e.get("summary"),
                e["start"].get("dateTime"), e["end"].get("dateTime"), json.dumps(e.get("description"), ensure_ascii=False)))
print("\n".join(sorted(rows)))' "$1"
}

# demo FOLDER [FAULTS]: prints Olga's view at the end; fails if a step does.
demo() {
  seed_slots slotdemo0001:2:10 slotdemo0002:2:12
  connect "$1" || { diag "connect: $(cat "$TMP/connect.err")"; return 1; }
  [ -z "${2:-}" ] || control faults "$2"
  "$SERVER" --data-dir "$TMP/$1" slots add --start "$(TZ=Europe/Moscow date -d '+6 days' +%Y-%m-%d)T11:00" \
    --minutes 50 --title "Консультация" > "$TMP/add.out" 2> "$TMP/add.err" || { diag "$(cat "$TMP/add.err")"; return 1; }
  id=$(cut -f1 "$TMP/add.out")
  serve "$1"
  code=$(book "$id" "Вера")
  [ "$code" = 201 ] || { diag "book: $code $(cat "$TMP/book.json")"; return 1; }
  code=$(book slotdemo0002 "Ольга П.")
  [ "$code" = 201 ] || { diag "book: $code $(cat "$TMP/book.json")"; return 1; }
  wait_booked "$id" 120 && wait_booked slotdemo0002 120 || { diag "not booked: $(store)"; return 1; }
  wait_status '"calendar":\{"state":"synced","lastSync":"[^"]+","pending":0\}' 120 || return 1
  clear_faults
  stop || { diag "stop: $(tail -n 5 "$TMP/serve.err")"; return 1; }
  olga_view "$id"
}

demo clean > "$TMP/clean.view"; ok $? "the demo flow without faults: publish, book, retitled"
clear_log
demo faulty '{"faults":[{"status":503,"probability":0.3,"count":0},{"drop":true,"probability":0.15,"count":0},
  {"dropAfter":true,"probability":0.12,"count":0}]}' > "$TMP/faulty.view"
ok $? "the same flow with the fake failing about half of all requests"
log_lines | awk '{ n++ } $3 != 200 && $3 != 204 { f++ } END { printf "# %d requests, %d failed or lost\n", n, f }'
grep -q '^NEW confirmed ✅ Вера — Консультация ' "$TMP/faulty.view" && [ "$(wc -l < "$TMP/faulty.view")" = 3 ]
ok $? "the fake's store holds the published slot once, retitled ✅ Вера — Консультация"
cmp -s "$TMP/clean.view" "$TMP/faulty.view"; rc=$?
[ $rc = 0 ] || diag "$(diff "$TMP/clean.view" "$TMP/faulty.view")"
ok $rc "and ends in the same state as the run without faults"

# ----------------------------------------------------------------------
# 6. Slot writes queued while Google is down: three published, one moved,
#    one deleted with the CLI while the fake answers 503; okno-server
#    serves them at once, is killed with -9, and restarted with Google
#    healthy sends each change exactly once, in order per event.
# The fake's start of event $1, as seconds since the epoch.
start_of() {
  curl -s "$BASE/_fake/events?calendarId=$CAL" | python3 -c '
import json, sys, datetime
for e in json.load(sys.stdin):
    if e["id"] == sys.argv[1]:
        print(int(datetime.datetime.fromisoformat(e["start"]["dateTime"].replace("Z", "+00:00")).timestamp()))' "$1"
}
seed_slots slotslot0001:2:10
connect s || diag "connect: $(cat "$TMP/connect.err")"
clear_log
control faults '{"path":"/calendar/v3","status":503,"count":0}'
DAY=$(TZ=Europe/Moscow date -d '+8 days' +%Y-%m-%d)
rcs=; ids=
for h in 10 12 14; do
  "$SERVER" --data-dir "$TMP/s" slots add --start "${DAY}T$h:00" --minutes 50 --title "Консультация" \
    > "$TMP/add.out" 2>> "$TMP/add.err"; rcs="$rcs $?"
  ids="$ids $(cut -f1 "$TMP/add.out")"
done
set -- $ids; A=${1:-}; B=${2:-}; C=${3:-}
"$SERVER" --data-dir "$TMP/s" slots move "$B" --start "${DAY}T16:00" > /dev/null 2>> "$TMP/add.err"; rcs="$rcs $?"
"$SERVER" --data-dir "$TMP/s" slots rm "$C" 2>> "$TMP/add.err"; rcs="$rcs $?"
[ "$rcs" = " 0 0 0 0 0" ] && [ -n "$C" ]; rc=$?
[ $rc = 0 ] || diag "$rcs $(cat "$TMP/add.err")"
ok $rc "three publishes, a move and a delete succeed while Google answers 503"
[ "$(store | grep -Ec "^($A|$B|$C)	")" = 0 ] && [ "$(log_count '^(POST|PATCH|DELETE) /calendar/v3/.* 200$')" = 0 ]
ok $? "none of them is in Google yet"
serve s
wait_status '"calendar":\{"state":"offline","lastSync":"[^"]+","pending":5\}' 60; rc=$?
[ $rc = 0 ] || diag "$(grep -i slot "$TMP/serve.err" "$TMP/add.err" | tail -n 20)"
ok $rc "/api/status: offline, 5 changes pending"
curl -s "$PAGE/api/slots?start=$DAY&end=$(date -d "$DAY +2 days" +%Y-%m-%d)" > "$TMP/slots.json"
grep -q "\"$A\"" "$TMP/slots.json" && grep -q "\"$B\".*T16:00" "$TMP/slots.json" && ! grep -q "\"$C\"" "$TMP/slots.json"
rc=$?; [ $rc = 0 ] || diag "$(cat "$TMP/slots.json")"
ok $rc "the page offers the queued slots at once: the moved one at its new time, the deleted one not"
i=0
while [ "$(log_count '^POST .* 503$')" -lt 2 ] && [ $i -lt 300 ]; do sleep 0.2; i=$((i + 1)); done
kill -9 $SERVE_PID; wait $SERVE_PID 2>/dev/null; SERVE_PID=
clear_faults
serve s
wait_status '"calendar":\{"state":"synced","lastSync":"[^"]+","pending":0\}' 60
ok $? "killed with -9 and restarted with Google healthy: synced, pending 0"
[ "$(store | awk -F '\t' -v id="$A" '$1 == id { print $2 }')" = confirmed ] &&
  [ "$(store | awk -F '\t' -v id="$B" '$1 == id { print $2 }')" = confirmed ] &&
  [ "$(store | awk -F '\t' -v id="$C" '$1 == id && $2 != "cancelled"' | wc -l)" = 0 ] &&
  [ "$(live_count)" = 3 ]; rc=$?
[ $rc = 0 ] || diag "$(store)"
ok $rc "the fake holds exactly the two slots left and the seeded one"
[ "$(start_of "$B")" = "$(TZ=Europe/Moscow date -d "$DAY 16:00" +%s)" ] &&
  [ "$(start_of "$A")" = "$(TZ=Europe/Moscow date -d "$DAY 10:00" +%s)" ]; ok $? "the moved slot is at its new time"
[ "$(log_count '^POST /calendar/v3/.* 200$')" = 3 ] &&
  [ "$(log_count "^PATCH /calendar/v3/calendars/[^ ]*/events/$B 200$")" = 1 ] &&
  [ "$(log_count "^DELETE /calendar/v3/calendars/[^ ]*/events/$C 20[04]$")" = 1 ]; rc=$?
[ $rc = 0 ] || diag "$(log_lines | grep -v ' 503$')"
ok $rc "each insert carried out once, the move and the delete once"
stop; ok $? "the server stops cleanly"

echo "1..$n"
exit $failed
