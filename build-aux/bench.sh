#!/usr/bin/env bash
# Okno's benchmarks; run through "build-aux/dev.sh bench", which builds
# _build in release mode first. Prints a report on stdout; copy the figures
# into docs/benchmarks.md with the machine and the date.
#
#  1. GET /api/slots (40 open slots) with wrk -t2 -c32 -d10s, next to nginx
#     serving the same bytes as a static file in the same run.
#  2. POST /api/book throughput and latency, one client and 32 clients,
#     each request a distinct slot, with 0 and with 10 000 bookings already
#     in the ledger.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
SERVER=${OKNO_SERVER:-$ROOT/_build-bench/src/okno-server}
BENCH_WINDOW=${OKNO_BENCH_WINDOW:-$ROOT/_build-bench/tests/bench-window}
WORK=$(mktemp -d)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$WORK"; }
trap cleanup EXIT
DURATION=${BENCH_SECONDS:-10}
# BENCH_ONLY="2b 3" runs only those sections (1, 2, 2b, 3); all by default.
want() { [ -z "${BENCH_ONLY:-}" ] || [[ " $BENCH_ONLY " == *" $1 "* ]]; }

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

start_server() { # DIR PORT
  "$SERVER" --data-dir "$1" --port "$2" --rate-limit 0 >"$1/serve.log" 2>&1 &
  PIDS+=($!)
  # A loaded machine may take a while to load 15 000 events.
  for _ in $(seq 1 1200); do curl -sf -m 2 "http://127.0.0.1:$2/api/status" >/dev/null && return 0; sleep 0.05; done
  echo "okno-server did not start" >&2; cat "$1/serve.log" >&2; exit 1
}

# A server that has been up a while is what clients meet: after the load,
# the local calendar makes each event's text for calendar.json in a worker
# (a few hundred ms of one core with 15 000 events), which a 2 s run would
# otherwise share its cores with. BENCH_SETTLE=0 measures from the start.
settle() { sleep "${BENCH_SETTLE:-1}"; }

stop_last() { kill "${PIDS[-1]}"; wait "${PIDS[-1]}" 2>/dev/null || true; unset 'PIDS[-1]'; }

# make_data DIR SLOTS BOOKINGS: a calendar of SLOTS one-minute open slots
# (a day ahead, none overlapping) and a ledger of BOOKINGS past bookings.
make_data() {
  mkdir -p "$1"
  python3 - "$1" "$2" "$3" <<'PY'
import json, sys, datetime
d, n, b = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
start = datetime.datetime.now(datetime.timezone.utc).replace(second=0, microsecond=0) + datetime.timedelta(days=1)
items = []
for i in range(n):
    s = start + datetime.timedelta(minutes=i)
    e = s + datetime.timedelta(minutes=1)
    items.append({"kind": "calendar#event", "id": "bench%021d" % i, "etag": '"1"', "status": "confirmed",
                  "summary": "🔓 СЛОТ: Bench", "start": {"dateTime": s.strftime("%Y-%m-%dT%H:%M:%SZ")},
                  "end": {"dateTime": e.strftime("%Y-%m-%dT%H:%M:%SZ")},
                  "extendedProperties": {"private": {"okno": "slot"}}})
json.dump({"version": 1, "kind": "calendar#events", "items": items}, open(f"{d}/calendar.json", "w"))
past = datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc)
bookings = []
for i in range(b):
    s = (past + datetime.timedelta(hours=i)).strftime("%Y-%m-%dT%H:%M:%SZ")
    bookings.append({"id": "old%07d" % i, "slotId": "oldslot%07d" % i, "start": s, "end": s,
                     "status": "confirmed", "createdAt": s, "name": "Клиент %d" % i,
                     "email": "c%d@example.org" % i, "tokenHash": "0" * 64, "requestHash": "0" * 64})
json.dump({"version": 1, "bookings": bookings}, open(f"{d}/bookings.json", "w"))
with open(f"{d}/slot-ids", "w") as f:
    f.write("\n".join(it["id"] for it in items) + "\n")
PY
}

cat >"$WORK/book.lua" <<'EOF_LUA'
-- Each wrk thread books its own share of the slot ids, one per request.
local threads = {}
function setup(thread)
  thread:set("index", #threads)
  table.insert(threads, thread)
end
function init(args)
  ids = {}
  for line in io.lines(args[1]) do ids[#ids + 1] = line end
  nthreads = tonumber(args[2])
  next_id = index + 1
  created, other = 0, 0
  codes = {}
end
function request()
  local id = ids[next_id]
  next_id = next_id + nthreads
  if id == nil then
    -- Out of slots: the report then shows refusals; give it more slots.
    return wrk.format("GET", "/api/status")
  end
  -- A client of its own per booking: one address would soon meet the
  -- per-client limit (max-active-per-client) and be refused 409.
  local body = '{"slotId":"' .. id .. '","name":"Bench","email":"bench-' .. id .. '@example.org"}'
  return wrk.format("POST", "/api/book", {["Content-Type"] = "application/json"}, body)
end
function response(status, headers, body)
  if status == 201 then
    created = created + 1
  else
    other = other + 1
    codes[status] = (codes[status] or 0) + 1
  end
end
function done(summary, latency, requests)
  local c, o, by = 0, 0, {}
  for _, t in ipairs(threads) do
    c = c + t:get("created"); o = o + t:get("other")
    for k, v in pairs(t:get("codes")) do by[k] = (by[k] or 0) + v end
  end
  local refused = {}
  for k, v in pairs(by) do refused[#refused + 1] = string.format("%d×%s", v, k) end
  io.write(string.format("  %d booked (%.0f bookings/s), %d refused%s; p50 %.2f ms, p99 %.2f ms, max %.2f ms, %.0f answers/s\n",
    c, c / (summary.duration / 1e6), o, #refused > 0 and " (" .. table.concat(refused, ", ") .. ")" or "",
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    summary.requests / (summary.duration / 1e6)))
end
EOF_LUA

echo "Okno benchmarks — $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo

if want 1; then
# 1. GET /api/slots against nginx
dir="$WORK/slots"; make_data "$dir" 40 0
port=$(free_port); start_server "$dir" "$port"
curl -s "http://127.0.0.1:$port/api/slots" >"$WORK/slots.json"
mkdir -p "$WORK/nginx/www/api" && cp "$WORK/slots.json" "$WORK/nginx/www/api/slots"
nport=$(free_port)
cat >"$WORK/nginx/nginx.conf" <<EOF_NGINX
worker_processes 1;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  default_type application/json;
  server { listen 127.0.0.1:$nport; root $WORK/nginx/www; etag on; }
}
EOF_NGINX
nginx -c "$WORK/nginx/nginx.conf" -p "$WORK/nginx" -g 'daemon on;'
rps() { wrk -t2 -c32 -d"${DURATION}s" "$1" | awk '/Requests\/sec/ {print $2}'; }
bport=$(free_port)
"$(dirname "$SERVER")/../tests/bench-bare-soup" "$WORK/slots.json" "$bport" & PIDS+=($!)
sleep 0.3
okno_rps=$(rps "http://127.0.0.1:$port/api/slots")
nginx_rps=$(rps "http://127.0.0.1:$nport/api/slots")
bare_rps=$(rps "http://127.0.0.1:$bport/api/slots")
kill "$(cat "$WORK/nginx/nginx.pid")"
stop_last
stop_last
echo "GET /api/slots, 40 open slots, $(wc -c <"$WORK/slots.json") bytes, wrk -t2 -c32 -d${DURATION}s:"
echo "  okno-server $okno_rps req/s, nginx (same bytes, 1 worker) $nginx_rps req/s," \
     "ratio $(python3 -c "print(f'{$okno_rps/$nginx_rps:.2f}')") (target >= 0.30)"
echo "  a bare SoupServer answering the same bytes: $bare_rps req/s, ratio to nginx" \
     "$(python3 -c "print(f'{$bare_rps/$nginx_rps:.2f}')") (libsoup's ceiling on this machine)"
echo
fi

if want 2; then
# 2. Booking throughput and latency
for existing in 0 10000; do
  for clients in 1 32; do
    dir="$WORK/book-$existing-$clients"; make_data "$dir" 15000 "$existing"
    port=$(free_port); start_server "$dir" "$port"; settle
    threads=$(( clients < 2 ? 1 : 2 ))
    echo "POST /api/book, $clients client(s), $existing bookings already in the ledger, ${BOOK_SECONDS:-2}s, 15000 open slots:"
    wrk -t"$threads" -c"$clients" -d"${BOOK_SECONDS:-2}s" -s "$WORK/book.lua" "http://127.0.0.1:$port" \
        -- "$dir/slot-ids" "$threads" | grep -E 'booked'
    rss=$(awk '/VmHWM/ {print $2}' "/proc/${PIDS[-1]}/status")
    echo "  okno-server peak RSS $((rss / 1024)) MB"
    stop_last
  done
done
fi

if want 2b; then
# 2b. Group commit: the same with fdatasync made as slow as a laptop disk's
#     (10 ms, tests/slow-sync.c preloaded). One sync per booking would cap
#     this at 100 bookings/s; the writer thread syncs each batch once.
SHIM="$(dirname "$SERVER")/../tests/libokno-slow-sync.so"
for clients in 1 32; do
  dir="$WORK/slow-$clients"; make_data "$dir" 15000 0
  port=$(free_port)
  LD_PRELOAD="$SHIM" OKNO_SYNC_DELAY_MS=10 start_server "$dir" "$port"; settle
  threads=$(( clients < 2 ? 1 : 2 ))
  echo "POST /api/book, $clients client(s), fdatasync takes 10 ms, ${BOOK_SECONDS:-2}s, 15000 open slots" \
       "(target with 32: >= 1000 bookings/s, p99 < 50 ms):"
  wrk -t"$threads" -c"$clients" -d"${BOOK_SECONDS:-2}s" -s "$WORK/book.lua" "http://127.0.0.1:$port" \
      -- "$dir/slot-ids" "$threads" | grep -E 'booked'
  stop_last
done
echo
fi

if want 3; then
# 3. The window: first frame with a week of 300 events, frame times while
#    dragging over it, and the main loop's longest stall under load.
dir="$WORK/window"; mkdir -p "$dir"
python3 - "$dir" <<'PY'
import json, sys, datetime, random
d = sys.argv[1]
random.seed(7)
now = datetime.datetime.now(datetime.timezone.utc)
monday = (now - datetime.timedelta(days=now.weekday())).replace(hour=0, minute=0, second=0, microsecond=0)
items = []
def event(i, start, minutes, summary, slot):
    e = {"kind": "calendar#event", "id": "win%023d" % i, "etag": '"1"', "status": "confirmed",
         "summary": summary, "start": {"dateTime": start.strftime("%Y-%m-%dT%H:%M:%SZ")},
         "end": {"dateTime": (start + datetime.timedelta(minutes=minutes)).strftime("%Y-%m-%dT%H:%M:%SZ")}}
    if slot:
        e["extendedProperties"] = {"private": {"okno": "slot"}}
    items.append(e)
for i in range(300):
    start = monday + datetime.timedelta(days=random.randrange(7), minutes=random.randrange(6 * 60, 22 * 60, 10))
    slot = i % 3 != 0
    event(i, start, random.choice([40, 60, 90]), "🔓 СЛОТ: Bench" if slot else "Busy %d" % i, slot)
race = []
for i in range(10):
    start = (now + datetime.timedelta(days=2)).replace(hour=3, minute=0, second=0, microsecond=0) + datetime.timedelta(minutes=5 * i)
    event(1000 + i, start, 5, "🔓 СЛОТ: Race", True)
    race.append(items[-1]["id"])
json.dump({"version": 1, "kind": "calendar#events", "items": items}, open(f"{d}/calendar.json", "w"))
open(f"{d}/settings.ini", "w").write("[okno]\nrate-limit=uint32 0\n")
open(f"{d}/race-ids", "w").write("\n".join(race) + "\n")
PY
cat >"$WORK/race.lua" <<'EOF_LUA'
local n = 0
function init(args)
  ids = {}
  for line in io.lines(args[1]) do ids[#ids + 1] = line end
end
function request()
  n = n + 1
  local body = '{"slotId":"' .. ids[(n % #ids) + 1] .. '","name":"Race","email":"race@example.org"}'
  return wrk.format("POST", "/api/book", {["Content-Type"] = "application/json"}, body)
end
EOF_LUA
# The first frame, five times (the median is reported: a cold start on a
# shared two-core machine varies by ±50 %).
firsts=()
for _ in 1 2 3 4 5; do
  firsts+=("$(GSK_RENDERER=cairo GDK_BACKEND=x11 GTK_A11Y=none xvfb-run -a -s '-screen 0 1280x800x24' \
    dbus-run-session -- "$BENCH_WINDOW" "$dir" 0 2>/dev/null | awk '/first-frame/ {print $2}')")
done
first_median=$(printf '%s\n' "${firsts[@]}" | sort -n | sed -n 3p)
fifo="$WORK/window.out"; mkfifo "$fifo"
GSK_RENDERER=cairo GDK_BACKEND=x11 GTK_A11Y=none xvfb-run -a -s '-screen 0 1280x800x24' \
  dbus-run-session -- "$BENCH_WINDOW" "$dir" 8 >"$fifo" 2>"$WORK/window.err" &
PIDS+=($!)
echo "The window (Xvfb, software rendering), a week of 300 events:"
echo "  first frame after the start of main(): median ${first_median} ms of ${firsts[*]} (target < 300 ms)"
while read -r key a b c rest; do
  case "$key" in
    first-frame) ;;
    drag-frames) echo "  while dragging a slot over the week: p50 ${a} ms, p99 ${b} ms, max ${c} ms per frame $rest (target p99 < 8 ms)" ;;
    ready)
      wrk -t1 -c32 -d6s "http://127.0.0.1:$a/api/slots" >/dev/null &
      wrk -t1 -c200 -d3s -s "$WORK/race.lua" "http://127.0.0.1:$a" -- "$dir/race-ids" >/dev/null &
      ;;
    stall) echo "  longest main-loop stall while 32 clients read /api/slots and 200 race for 10 slots: ${a} ms (target < 50 ms)" ;;
  esac
done <"$fifo"
wait
echo "  bookings won in the race: $("$SERVER" --data-dir "$dir" bookings list | grep -c confirmed) of 10 slots"
fi

# 4. The Google Calendar backend: a full sync of 2,000 events, the main
#    loop meanwhile, RSS, /api/slots next to the local calendar
#    (build-aux/bench-google.sh; the fake Google comes from a build with
#    tests, _build by default, or OKNO_FAKE_GOOGLE).
echo
if [ -x "${OKNO_FAKE_GOOGLE:-$ROOT/_build/tests/fake-google/fake-google}" ] && command -v gnome-keyring-daemon >/dev/null; then
  OKNO_SERVER="$SERVER" "$ROOT/tests/run-with-keyring.sh" "$ROOT/build-aux/bench-google.sh"
else
  echo "Google Calendar backend: skipped (needs _build/tests/fake-google/fake-google and gnome-keyring-daemon)"
fi
