#!/usr/bin/env bash
# The Google section of "dev.sh bench" (build-aux/bench.sh runs it inside
# tests/run-with-keyring.sh): okno-server on the Google backend against
# tests/fake-google seeded with 2,000 events in one calendar.
#  - full sync: CPU of okno-server from start to "synced" (utime + stime of
#    /proc/PID/stat), next to the same start with an empty calendar;
#  - the main loop during it: the longest answer to GET /api/status asked
#    back to back while the sync runs (each one waits for the main loop);
#  - RSS (VmRSS, VmHWM) once synced, and after a restart that serves the
#    2,000 cached events with Google unreachable;
#  - GET /api/slots throughput, wrk -t2 -c32, the Google backend with its
#    2,000 cached events next to the local calendar holding the same events.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
SERVER=${OKNO_SERVER:-$ROOT/_build-bench/src/okno-server}
FAKE=${OKNO_FAKE_GOOGLE:-$ROOT/_build/tests/fake-google/fake-google}
DURATION=${BENCH_SECONDS:-10}
EVENTS=${OKNO_BENCH_EVENTS:-2000}
WORK=$(mktemp -d)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; [ -n "${BENCH_KEEP:-}" ] || rm -rf "$WORK"; }
trap cleanup EXIT

"$FAKE" --quiet >"$WORK/fake.out" &
PIDS+=($!)
for _ in $(seq 1 100); do [ -s "$WORK/fake.out" ] && break; sleep 0.05; done
BASE=$(head -n 1 "$WORK/fake.out")
export OKNO_GOOGLE_AUTH_URL="$BASE/o/oauth2/v2/auth" OKNO_GOOGLE_TOKEN_URL="$BASE/token" \
       OKNO_GOOGLE_CALENDAR_URL="$BASE/calendar/v3" OKNO_GMAIL_URL="$BASE/gmail/v1" \
       OKNO_GOOGLE_CLIENT_ID=fake-client-id OKNO_GOOGLE_CLIENT_SECRET=fake-client-secret
CAL=olga.rozet@example.com

# seed N: N events over the next 80 days (a tenth of them open slots,
# 20 minutes each, none overlapping), in the fake and as a local calendar.json.
seed() {
  python3 - "$1" "$WORK" "$CAL" <<'PY'
import json, sys, datetime
n, work, cal = int(sys.argv[1]), sys.argv[2], sys.argv[3]
day0 = datetime.datetime.now(datetime.timezone.utc).replace(hour=5, minute=0, second=0, microsecond=0) + datetime.timedelta(days=1)
per_day = max(1, (n + 79) // 80)
items = []
for i in range(n):
    s = day0 + datetime.timedelta(days=i // per_day, minutes=30 * (i % per_day))
    e = s + datetime.timedelta(minutes=20)
    slot = i % 10 == 0
    ev = {"id": "bench%020d" % i, "summary": "🔓 СЛОТ: Bench" if slot else "Встреча %d" % i,
          "description": "Событие для замера, номер %d" % i,
          "start": {"dateTime": s.strftime("%Y-%m-%dT%H:%M:%SZ")}, "end": {"dateTime": e.strftime("%Y-%m-%dT%H:%M:%SZ")}}
    if slot:
        ev["extendedProperties"] = {"private": {"okno": "slot"}}
    items.append(ev)
json.dump({"calendars": [{"id": cal, "primary": True, "selected": True}], "events": {cal: items}},
          open(f"{work}/seed.json", "w"))
local = [dict(ev, kind="calendar#event", etag='"1"', status="confirmed") for ev in items]
json.dump({"version": 1, "kind": "calendar#events", "items": local}, open(f"{work}/calendar.json", "w"))
PY
  curl -sf -X POST -H 'Content-Type: application/json' --data-binary @"$WORK/seed.json" "$BASE/_fake/seed" >/dev/null
}

connect() { # DIR
  "$SERVER" --data-dir "$1" google connect >"$WORK/connect.out" 2>/dev/null &
  local pid=$!
  for _ in $(seq 1 200); do [ -s "$WORK/connect.out" ] && break; sleep 0.05; done
  curl -s "$(curl -s -o /dev/null -w '%{redirect_url}' "$(head -n 1 "$WORK/connect.out")")" >/dev/null
  wait $pid
  rm -f "$WORK/connect.out"
  "$SERVER" --data-dir "$1" settings set calendar-backend google
  # connect may already have listed the events: the start syncs in full.
  rm -f "$1/google-cache.json"
}

start() { # DIR → SPID, PAGE
  "$SERVER" --data-dir "$1" --port 0 --rate-limit 0 --poll-seconds 3600 >"$1/serve.out" 2>"$1/serve.err" &
  SPID=$!
  PIDS+=($SPID)
  for _ in $(seq 1 200); do grep -q 'http://' "$1/serve.out" 2>/dev/null && break; sleep 0.02; done
  PAGE=$(grep -o 'http://[^ ]*' "$1/serve.out" | head -n 1)
  PAGE=${PAGE%/}
}
stop() { kill "$SPID"; wait "$SPID" 2>/dev/null || true; unset 'PIDS[-1]'; }

# Asks /api/status back to back until the calendar is synced; prints
# "SECONDS_TO_SYNCED LONGEST_ANSWER_MS ANSWERS".
probe_until_synced() {
  python3 - "$PAGE" <<'PY'
import sys, time, http.client, urllib.parse
u = urllib.parse.urlparse(sys.argv[1])
t0 = time.monotonic(); worst = 0.0; n = 0
while time.monotonic() - t0 < 120:
    c = http.client.HTTPConnection(u.hostname, u.port, timeout=30)
    a = time.monotonic(); c.request("GET", "/api/status"); body = c.getresponse().read(); b = time.monotonic()
    c.close(); n += 1; worst = max(worst, b - a)
    if b'"state":"synced"' in body:
        break
print("%.2f %.1f %d" % (time.monotonic() - t0, worst * 1000, n))
PY
}
cpu_ms() { awk -v hz="$(getconf CLK_TCK)" '{ print int(($14 + $15) * 1000 / hz) }' "/proc/$1/stat"; }
rss() { awk '/^VmRSS/ { r = $2 } /^VmHWM/ { h = $2 } /^RssAnon/ { a = $2 }
             END { printf "%.1f MB (peak %.1f MB; %.1f MB of it anonymous, the rest mapped files)", r / 1024, h / 1024, a / 1024 }' "/proc/$1/status"; }

echo "Google Calendar backend (tests/fake-google on loopback), $EVENTS events in one calendar:"

seed 0
connect "$WORK/empty"
start "$WORK/empty"
probe_until_synced >/dev/null
empty_cpu=$(cpu_ms $SPID)
empty_rss=$(rss $SPID)
stop

seed "$EVENTS"
connect "$WORK/full"
start "$WORK/full"
probe_until_synced >/dev/null
full_cpu=$(cpu_ms $SPID)
stop
rm -f "$WORK/full/google-cache.json"
# The events page answers 3 s late, so that the probe below is
# already asking when it arrives (on loopback the whole sync is otherwise
# over before the first answer, and the probe measured nothing).
curl -sf -X POST -H 'Content-Type: application/json' \
     -d '{"path":"/events","method":"GET","latencyMs":3000,"count":1}' "$BASE/_fake/faults" >/dev/null
start "$WORK/full"
read -r secs worst answers < <(probe_until_synced)
echo "  start + full sync: ${full_cpu} ms CPU (with an empty calendar ${empty_cpu} ms)"
echo "  main loop during it (the page held back 3 s): longest /api/status answer ${worst} ms over ${answers} answers, synced after ${secs} s"
# RSS once the cache is written (it is written after "synced").
for _ in $(seq 1 100); do [ -s "$WORK/full/google-cache.json" ] && break; sleep 0.05; done
sleep 0.5
echo "  RSS once synced: $(rss $SPID); with an empty calendar $empty_rss"
stop

# The cache alone, Google unreachable.
curl -sf -X POST -H 'Content-Type: application/json' -d '{"drop":true,"count":0}' "$BASE/_fake/faults" >/dev/null
start "$WORK/full"
for _ in $(seq 1 100); do curl -sf "$PAGE/api/status" | grep -q '"state":"offline"' && break; sleep 0.05; done
to=$(date -d '+30 days' +%Y-%m-%d)
curl -s "$PAGE/api/slots?end=$to" >"$WORK/slots-google.json"
echo "  RSS serving $EVENTS cached events offline: $(rss $SPID)"
if command -v wrk >/dev/null; then
  google_rps=$(wrk -t2 -c32 -d"${DURATION}s" "$PAGE/api/slots?end=$to" | awk '/Requests\/sec/ { print int($2) }')
fi
stop

# The same events in the local calendar.
mkdir -p "$WORK/local"
cp "$WORK/calendar.json" "$WORK/local/calendar.json"
start "$WORK/local"
curl -s "$PAGE/api/slots?end=$to" >"$WORK/slots-local.json"
if command -v wrk >/dev/null; then
  local_rps=$(wrk -t2 -c32 -d"${DURATION}s" "$PAGE/api/slots?end=$to" | awk '/Requests\/sec/ { print int($2) }')
  echo "  GET /api/slots ($(wc -c <"$WORK/slots-google.json") bytes), wrk -t2 -c32 -d${DURATION}s:" \
       "Google backend ${google_rps} req/s, local calendar with the same events ${local_rps} req/s"
fi
cmp -s "$WORK/slots-google.json" "$WORK/slots-local.json" && echo "  (both answer the same bytes)" \
  || echo "  (the two answers differ: $(wc -c <"$WORK/slots-local.json") bytes from the local calendar)"
stop
