#!/bin/sh
# test-durability.sh: okno-server's write path seen from outside. TAP output.
#   - a system-call trace: each 201 leaves after its journal line's fdatasync
#   - attention items: okno-server attention list/dismiss and /api/status
#   - a journal record of a newer Okno: refused, the file untouched
#   - a full disk (a small tmpfs; needs root, as in CI): okno-server starts,
#     serves, answers bookings 503 storage_unavailable, and folds the journal
#     once there is room again
#   - kill -9 while calendar.json is being written (each event's text kept
#     by the write worker): after a restart every acknowledged booking is
#     there and its calendar event reads as booked
# SPDX-FileCopyrightText: 2026 Okno contributors
# SPDX-License-Identifier: GPL-3.0-or-later
set -u
[ -n "${OKNO_TRACE_SH:-}" ] && set -x

SERVER=$1
CHECK_STRACE=$2
# fdatasync made 10 ms slower: an answer that did not wait for it would
# plainly leave first.
SLOW_SYNC=${3:-}
# Under AddressSanitizer a preloaded library comes before its runtime.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"
DIR=${OKNO_KEEP_DIR:-$(mktemp -d)}
MNT=
SERVE_PID=
cleanup() {
  [ -n "$SERVE_PID" ] && kill "$SERVE_PID" 2>/dev/null && wait "$SERVE_PID" 2>/dev/null
  [ -n "$MNT" ] && umount "$MNT" 2>/dev/null
  rm -rf "$DIR"
}
trap cleanup EXIT
# A 503 is logged as a warning: that is expected here.
unset G_DEBUG
n=0
failed=0

ok() {
  n=$((n + 1))
  if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; failed=1; fi
}
skip() {
  n=$((n + 1))
  echo "ok $n - $1 # SKIP $2"
}

# serve FOLDER [WRAPPER…]: starts okno-server on a free port; sets PORT.
serve() {
  folder=$1; shift
  log="$DIR/serve-$n.log"
  "$@" "$SERVER" --data-dir "$folder" --port 0 --rate-limit 0 > "$log" 2>&1 &
  SERVE_PID=$!
  PORT=
  # Up to a minute: a sanitized build under strace starts slowly.
  for i in $(seq 1 600); do
    PORT=$(grep -o '127\.0\.0\.1:[0-9]*' "$log" | head -1 | cut -d: -f2)
    [ -n "$PORT" ] && break
    sleep 0.1
  done
  [ -n "$PORT" ]
}
stop() {
  # Under strace, the server is strace's child: stop the server itself.
  target=$(pgrep -P "$SERVE_PID" -x okno-server || echo "$SERVE_PID")
  kill -TERM "$target"; wait "$SERVE_PID"; rc=$?; SERVE_PID=
  return $rc
}
book() {
  curl -s -o "$DIR/answer-$1.json" -w '%{http_code}' -X POST -H 'Content-Type: application/json' \
    -d "{\"slotId\":\"$1\",\"name\":\"Анна\",\"email\":\"anna.$1@example.org\"}" "http://127.0.0.1:$PORT/api/book"
}
add_slots() {
  for d in $(seq 1 "$2"); do
    "$SERVER" --data-dir "$1" slots add --start "$(date -d "+$((d + 1)) days" +%Y-%m-%dT10:00)" --minutes 60 | cut -f1
  done
}

# 1. The trace: one slot per client, 12 clients at once, and a few one by one.
D="$DIR/trace"
ids=$(add_slots "$D" 16)
if command -v strace >/dev/null 2>&1; then
  # (LeakSanitizer cannot work under ptrace: no leak check in this run.)
  serve "$D" strace -f -qq -s 65536 ${SLOW_SYNC:+-E LD_PRELOAD=$SLOW_SYNC} -E "ASAN_OPTIONS=$ASAN_OPTIONS:detect_leaks=0" \
    -e trace=openat,fdatasync,write,writev,sendmsg,sendto -o "$DIR/trace.txt"
  ok $? "okno-server starts under strace"
  i=0
  clients=
  for id in $ids; do
    i=$((i + 1))
    if [ $i -le 12 ]; then
      book "$id" > "$DIR/status-$i" &
      clients="$clients $!"
    else
      book "$id" > "$DIR/status-$i"
    fi
  done
  wait $clients
  [ "$(for f in "$DIR"/status-*; do cat "$f"; echo; done | sort -u)" = 201 ]; ok $? "16 bookings answered 201"
  stop; ok $? "the server stops cleanly"
  out=$("$CHECK_STRACE" "$DIR/trace.txt"); rc=$?
  echo "$out"
  [ $rc = 0 ] && echo "$out" | grep -q '# 16 answers checked'
  ok $? "each 201 left after its journal line was written and fdatasync'd"
else
  skip "the system-call trace" "strace is not installed"
fi

# 2. Attention items, as Olga meets them headless.
D="$DIR/attention"
"$SERVER" --data-dir "$D" bookings list >/dev/null
printf '%s\n' '{"attention":[{"id":"abcd1234","created":"2026-12-03T10:00:00Z","code":"calendar-failed","message":"The calendar could not be changed"}]}' \
  >> "$D/bookings.journal"
out=$("$SERVER" --data-dir "$D" attention list)
echo "$out" | grep -q "^abcd1234	.*calendar-failed	The calendar could not be changed"; ok $? "attention list shows the item"
"$SERVER" --data-dir "$D" attention list --json | grep -q '"code" : "calendar-failed"'; ok $? "attention list --json"
serve "$D"
curl -s "http://127.0.0.1:$PORT/api/status" | grep -q '"attention":1'; ok $? "/api/status counts it"
stop
"$SERVER" --data-dir "$D" attention dismiss nosuch >/dev/null 2>&1; [ $? = 1 ]; ok $? "dismissing an unknown item fails"
"$SERVER" --data-dir "$D" attention dismiss abcd1234; ok $? "attention dismiss"
[ -z "$("$SERVER" --data-dir "$D" attention list)" ]; ok $? "the item is gone, also after a restart"
serve "$D"
curl -s "http://127.0.0.1:$PORT/api/status" | grep -q '"attention":0'; ok $? "/api/status counts 0"
stop

# 3. A newer Okno's record type: refused with a clear message, untouched.
D="$DIR/newer"
"$SERVER" --data-dir "$D" bookings list >/dev/null
printf '%s\n' '{"telepathy":{"to":"Olga"}}' >> "$D/bookings.journal"
before=$(sha256sum < "$D/bookings.journal")
err=$("$SERVER" --data-dir "$D" --port 0 2>&1 >/dev/null); rc=$?
[ $rc = 1 ] && echo "$err" | grep -q 'newer Okno' && echo "$err" | grep -q telepathy
ok $? "okno-server refuses to start on a newer Okno's record, saying so"
[ "$(sha256sum < "$D/bookings.journal")" = "$before" ] && ! ls "$D" | grep -q damaged
ok $? "the journal is untouched and nothing is counted as damage"

# 4. A full disk.
MNT="$DIR/tiny"
mkdir -p "$MNT"
if mount -t tmpfs -o size=600k okno-test "$MNT" 2>/dev/null; then
  D="$MNT/data"
  ids=$(add_slots "$D" 3)
  first=$(echo "$ids" | sed -n 1p); second=$(echo "$ids" | sed -n 2p); third=$(echo "$ids" | sed -n 3p)
  serve "$D"; [ "$(book "$first")" = 201 ]; ok $? "a booking before the disk fills"
  kill -KILL "$SERVE_PID"; wait "$SERVE_PID" 2>/dev/null; SERVE_PID=
  [ -s "$D/bookings.journal" ]; ok $? "the journal holds a record to fold"
  # The journal's last page has room tmpfs would still give it: pad it to
  # a page boundary with empty lines (replay skips them), then fill up.
  size=$(stat -c %s "$D/bookings.journal")
  head -c $(( (4096 - size % 4096) % 4096 )) /dev/zero | tr '\0' '\n' >> "$D/bookings.journal"
  dd if=/dev/zero of="$MNT/filler" bs=4k 2>/dev/null
  serve "$D"; ok $? "okno-server starts on a full disk"
  [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/api/slots")" = 200 ]
  ok $? "it serves the slots"
  [ "$(book "$second")" = 503 ] && grep -q '"storage_unavailable"' "$DIR/answer-$second.json"
  ok $? "a booking is answered 503 storage_unavailable"
  curl -s "http://127.0.0.1:$PORT/api/slots" | grep -q "$second"; ok $? "the slot is still offered"
  rm -f "$MNT/filler"
  [ "$(book "$second")" = 201 ] && [ "$(book "$third")" = 201 ]; ok $? "with room again, bookings are 201"
  stop; ok $? "it stops cleanly"
  grep -q "$second" "$D/bookings.json" && [ ! -s "$D/bookings.journal" ] && [ ! -e "$D/bookings.journal.old" ]
  ok $? "the journal is folded into bookings.json"
  [ "$("$SERVER" --data-dir "$D" bookings list | grep -c confirmed)" = 3 ]; ok $? "all three bookings are there"
  umount "$MNT"; MNT=
else
  skip "a full disk" "mounting a tmpfs is not permitted here (run as root, as CI does)"
fi

# 5. kill -9 in the middle of a write of calendar.json. Syncs take a second
#    here, so the write's temporary file is there to be seen for a while
#    (from 50 ms after the bookings' answers, when the outbox has retitled
#    their events, until the write's fsync returns).
if [ -n "$SLOW_SYNC" ]; then
  D="$DIR/calendar-kill"
  ids=$(add_slots "$D" 8)
  serve "$D" env LD_PRELOAD="$SLOW_SYNC" OKNO_SYNC_DELAY_MS=1000
  clients=
  i=0
  for id in $ids; do
    i=$((i + 1))
    book "$id" > "$DIR/kill-status-$i" &
    clients="$clients $!"
  done
  wait $clients
  [ "$(for f in "$DIR"/kill-status-*; do cat "$f"; echo; done | sort -u)" = 201 ]; ok $? "8 bookings answered 201"
  # The outbox retitles the 8 events; wait for the write that carries them.
  seen=1
  for _ in $(seq 1 600); do
    if ls "$D" | grep -v 'damaged' | grep -q '^calendar\.json\.'; then seen=0; break; fi
    sleep 0.05
  done
  kill -KILL "$SERVE_PID"; wait "$SERVE_PID" 2>/dev/null; SERVE_PID=
  ok $seen "killed while calendar.json was being written"
  serve "$D"; ok $? "okno-server starts again"
  booked=0
  for _ in $(seq 1 600); do
    booked=$(grep -c '"summary" : "✅' "$D/calendar.json")
    [ "$booked" = 8 ] && break
    sleep 0.05
  done
  [ "$booked" = 8 ]; ok $? "all 8 events read as booked (found $booked)"
  stop
  [ "$("$SERVER" --data-dir "$D" bookings list | grep -c confirmed)" = 8 ]; ok $? "all 8 bookings are there"
  python3 -c 'import json, sys; json.load(open(sys.argv[1]))' "$D/calendar.json"; ok $? "calendar.json is whole JSON"
else
  skip "kill -9 while calendar.json is written" "no sync shim given"
fi

echo "1..$n"
exit $failed
