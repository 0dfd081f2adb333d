#!/bin/sh
# test-google-attention.sh SERVER FAKE: what Google does that needs Olga
# becomes a "Needs attention" item, and nothing of hers is overwritten:
# a write refused with 400/403/404, a 412 where she moved or retitled the
# slot in Google, a booked slot deleted or moved in Google (seen by sync),
# a booking accepted offline and replayed onto a slot that is gone.
# Against the fake Google; TAP output; runs inside run-with-keyring.sh.
# SPDX-FileCopyrightText: 2026 Okno contributors
# SPDX-License-Identifier: GPL-3.0-or-later
set -u

SERVER=$1
FAKE=$2
. "$(dirname "$0")/google-test-lib.sh"

ok() {
  n=$((n + 1))
  if [ "$1" = 0 ]; then echo "ok $n - $2"; else
    echo "not ok $n - $2"; failed=1
    [ -s "$TMP/book.last" ] && sed 's/^/# last booking answer: /' "$TMP/book.last" && echo
  fi
}

# Waits (up to 90 s, the machine may be loaded) until the command in $1 succeeds.
wait_for() {
  i=0
  while ! eval "$1" && [ $i -lt "${WAIT_STEPS:-450}" ]; do sleep 0.2; i=$((i + 1)); done
  eval "$1"
}

run() { "$SERVER" --data-dir "$TMP/d" "$@"; }
control() { curl -s -f -X POST -H 'Content-Type: application/json' -d "$2" "$BASE/_fake/$1" >/dev/null; }
# The fake's copy of event $1 as one line.
event() { curl -s "$BASE/_fake/events?calendarId=primary" | tr '\n' ' ' | sed 's/}, *{ *"kind"/}\n{"kind"/g' | grep "\"id\" *: *\"$1\""; }
attention_count() { curl -s "$PAGE/api/status" | sed 's/.*"attention" *: *\([0-9]*\).*/\1/'; }
book() {
  curl -s -o "$TMP/book.last" -w "%{http_code}" -X POST -H "Content-Type: application/json" \
    -d "{\"slotId\":\"$1\",\"name\":\"$2\",\"email\":\"$1@example.com\"}" "$PAGE/api/book"
}
serve() {
  rm -f "$TMP/serve.out"
  "$SERVER" --data-dir "$TMP/d" --port 0 --poll-seconds 3600 > "$TMP/serve.out" 2>>"$TMP/serve.err" &
  SERVE_PID=$!
  wait_line "$TMP/serve.out"
  PAGE=$(grep -o 'http://[^ ]*' "$TMP/serve.out" | head -n 1)
  PAGE=${PAGE%/}
  wait_for "curl -s '$PAGE/api/status' | grep -q '\"state\":\"synced\"'"
}
stop() { kill $SERVE_PID; wait $SERVE_PID; rc=$?; SERVE_PID=; return $rc; }

DAY=$(TZ=Europe/Moscow date -d '+3 days' +%Y-%m-%d)
slot() { # id hour
  printf '{"id":"%s","summary":"🔓 СЛОТ: Консультация","start":{"dateTime":"%sT%s:00:00+03:00"},"end":{"dateTime":"%sT%s:50:00+03:00"}}' \
    "$1" "$DAY" "$2" "$DAY" "$2"
}
control seed "{\"events\":{\"olga.rozet@example.com\":[$(slot refuse400a 09),$(slot refuse403a 10),$(slot refuse404a 11),
  $(slot movedslot1 12),$(slot retitled1 13),$(slot deleteme1 14),$(slot moveme001 15),$(slot offline01 16)]}}"

rm -f "$TMP/connect.out"
"$SERVER" --data-dir "$TMP/d" google connect > "$TMP/connect.out" 2>"$TMP/connect.err" &
CONNECT_PID=$!
wait_line "$TMP/connect.out"
curl -s "$(curl -s -o /dev/null -w '%{redirect_url}' "$(head -n 1 "$TMP/connect.out")")" >/dev/null
wait $CONNECT_PID; ok $? "connected, on the Google backend"
CONNECT_PID=

serve
wait_for "curl -s '$PAGE/api/slots' | grep -q offline01"; ok $? "the page offers the seeded slots"

# Writes Google refuses for good: one attention item each, never retried.
control faults '{"faults":[{"path":"refuse400a","method":"PATCH","status":400,"reason":"badRequest","count":0},
  {"path":"refuse403a","method":"PATCH","status":403,"reason":"forbiddenForNonOrganizer","count":0},
  {"path":"refuse404a","method":"PATCH","status":404,"reason":"notFound","count":0}]}'
curl -s -X DELETE "$BASE/_fake/log"
[ "$(book refuse400a Анна)" = 201 ] && [ "$(book refuse403a Борис)" = 201 ] && [ "$(book refuse404a Вера)" = 201 ]
ok $? "the three bookings are accepted"
wait_for "[ \"\$(curl -s '$PAGE/api/status' | sed 's/.*\"attention\" *: *\\([0-9]*\\).*/\\1/')\" = 3 ]"
ok $? "each refused write becomes an attention item"
curl -s "$BASE/_fake/log" | tr '{' '\n' | grep '"method":"PATCH"' > "$TMP/patches"
[ "$(grep -c refuse400a "$TMP/patches")" = 1 ] && [ "$(grep -c refuse403a "$TMP/patches")" = 1 ] &&
  [ "$(grep -c refuse404a "$TMP/patches")" = 1 ]
ok $? "400, 403 and 404 are not retried"
event refuse403a | grep -q '🔓 СЛОТ' && ! event refuse403a | grep -q '✅'; ok $? "Google's event is as it was"
control faults '{"faults":[]}'
curl -s -X DELETE "$BASE/_fake/faults"

# Olga moved one slot and retitled another in Google after Okno's last
# sync; a booking made against the cache meets 412 and leaves hers alone.
control events "{\"patch\":{\"id\":\"movedslot1\",\"start\":{\"dateTime\":\"${DAY}T18:00:00+03:00\"},\"end\":{\"dateTime\":\"${DAY}T18:50:00+03:00\"}}}"
control events '{"patch":{"id":"retitled1","summary":"Стоматолог"}}'
[ "$(book movedslot1 Галина)" = 201 ] && [ "$(book retitled1 Дмитрий)" = 201 ]
ok $? "bookings against the cached slots are accepted"
wait_for "[ \"\$(curl -s '$PAGE/api/status' | sed 's/.*\"attention\" *: *\\([0-9]*\\).*/\\1/')\" = 5 ]"
ok $? "each 412 where Olga changed the event becomes an attention item"
event movedslot1 | grep -q "${DAY}T18:00:00" && ! event movedslot1 | grep -q '✅'
ok $? "the moved event is not overwritten"
event retitled1 | grep -q 'Стоматолог' && ! event retitled1 | grep -q '✅'
ok $? "the retitled event is not overwritten"

# A booking accepted while Google is down, replayed onto a slot Olga
# deleted meanwhile.
control faults '{"path":"/calendar/v3","status":503,"count":0}'
[ "$(book offline01 Елена)" = 201 ]; ok $? "a booking is accepted while Google is down"
control events '{"delete":"offline01"}'
curl -s -X DELETE "$BASE/_fake/faults"
wait_for "[ \"\$(curl -s '$PAGE/api/status' | sed 's/.*\"attention\" *: *\\([0-9]*\\).*/\\1/')\" = 6 ]"
ok $? "replayed onto a deleted slot, it becomes an attention item"

# Booked slots that Olga deletes or moves in Google, seen by the next sync.
[ "$(book deleteme1 Жанна)" = 201 ] && [ "$(book moveme001 Зоя)" = 201 ]; ok $? "two more bookings"
wait_for "event deleteme1 | grep -q '✅' && event moveme001 | grep -q '✅'"; ok $? "both reach Google as booked"
stop; ok $? "the server stops cleanly"
control events '{"delete":"deleteme1"}'
control events "{\"patch\":{\"id\":\"moveme001\",\"start\":{\"dateTime\":\"${DAY}T20:00:00+03:00\"},\"end\":{\"dateTime\":\"${DAY}T20:50:00+03:00\"}}}"
serve
wait_for "[ \"\$(curl -s '$PAGE/api/status' | sed 's/.*\"attention\" *: *\\([0-9]*\\).*/\\1/')\" = 8 ]"
ok $? "the sync reports the deleted and the moved booked slot"
event moveme001 | grep -q "${DAY}T20:00:00"; ok $? "the moved event stays where Olga put it"
stop

run attention list > "$TMP/attention"
grep -q "calendar-failed.*Анна.*refused the change as invalid (HTTP 400" "$TMP/attention"; ok $? "400: the item names the booking and says what happened"
grep -q "calendar-failed.*Борис.*does not let Okno change this event (HTTP 403" "$TMP/attention"; ok $? "403: the item names the booking and says what happened"
grep -q "calendar-failed.*Вера.*not in Google Calendar (HTTP 404)" "$TMP/attention"; ok $? "404: the item names the booking and says what happened"
grep -q "calendar-changed.*Галина" "$TMP/attention" && grep -q "calendar-changed.*Дмитрий" "$TMP/attention"
ok $? "412: the moved and the retitled slot are named"
grep "Елена" "$TMP/attention" | grep -q "calendar-"; ok $? "the replayed booking is named"
grep -q "booked-slot-deleted.*Жанна" "$TMP/attention"; ok $? "the deleted booked slot is named"
grep -q "booked-slot-moved.*Зоя.*moved in the calendar to ${DAY} 20:00" "$TMP/attention"; ok $? "the moved booked slot is named with its new time"
[ "$(run bookings list | grep -c confirmed)" = 8 ]; ok $? "every booking still stands in the ledger"

echo "1..$n"
exit $failed
