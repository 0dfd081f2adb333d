#!/usr/bin/env bash
# Okno's developer entry point. On a fresh Debian 12 machine (as root, or
# with sudo) it installs what is missing, builds, and then:
#   build-aux/dev.sh run     start the app on the local calendar
#   build-aux/dev.sh run --demo-google
#                            the app on a fake Google Calendar with a seeded week
#   build-aux/dev.sh test    run the whole suite; ends with "N passed, N failed, N skipped"
#   build-aux/dev.sh asan    the suite built with AddressSanitizer + UBSan
#   build-aux/dev.sh bench   benchmarks (docs/benchmarks.md records them)
#   build-aux/dev.sh deps    only install the Debian packages
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)

# The one list of Debian packages a developer and CI need.
BUILD_DEPS=(
  gcc libc6-dev meson ninja-build pkg-config gettext python3
  libglib2.0-dev libglib2.0-bin libgtk-4-dev libadwaita-1-dev libsoup-3.0-dev
  libjson-glib-dev libsecret-1-dev libqrencode-dev libical-dev libicu-dev libgmime-3.0-dev
)
TEST_DEPS=(
  desktop-file-utils appstream-util appstream xvfb xauth dbus dbus-x11
  gnome-keyring libsecret-tools curl fonts-noto-color-emoji fonts-dejavu-core
  chromium xdotool strace
)
BENCH_DEPS=(wrk nginx-light)
# run --demo-google: curl plays the browser; a bus and keyring of its own when there is none.
DEMO_DEPS=(curl dbus gnome-keyring)

log() { printf '\033[1mdev.sh:\033[0m %s\n' "$*" >&2; }

# Set when this run installed something: meson finds programs (Xvfb,
# xdotool, node, the validators) when it sets a build up, so an existing
# build directory is set up again to register their tests.
INSTALLED=

install_packages() {
  local missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing ${missing[*]}"
  local sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update -qq
  "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  INSTALLED=1
}

# The browser tests' npm packages (playwright-core, axe-core), pinned in
# tests/e2e/package-lock.json; Debian's node if the machine has none.
install_e2e() {
  # Debian's nodejs does not bring npm: each is checked on its own.
  command -v node >/dev/null 2>&1 || install_packages nodejs
  command -v npm >/dev/null 2>&1 || install_packages npm
  if [ ! -d tests/e2e/node_modules/playwright-core ] || [ ! -d tests/e2e/node_modules/axe-core ]; then
    log "installing the browser tests' npm packages"
    npm ci --prefix tests/e2e --no-audit --no-fund --loglevel=error >/dev/null
  fi
}

# setup BUILDDIR [meson options…]
setup() {
  local dir=$1; shift
  local opts=("$@")
  [ "${CI:-}" = true ] && opts+=(-Dwerror=true)
  if [ ! -f "$dir/build.ninja" ]; then
    meson setup "$dir" "${opts[@]}" >/dev/null
  elif [ -n "$INSTALLED" ]; then
    log "new packages: setting $dir up again so their tests are registered"
    meson setup --reconfigure "$dir" "${opts[@]}" >/dev/null
  elif [ ${#opts[@]} -gt 0 ]; then
    meson configure "$dir" "${opts[@]}" >/dev/null || { log "meson configure $dir failed"; return 1; }
  fi
  # ninja prints a compiler's errors on stdout: keep both, show them on failure.
  meson compile -C "$dir" >"$dir/compile.log" 2>&1 || { grep -v '^\[' "$dir/compile.log" >&2; return 1; }
}

# summary BUILDDIR…: the "N passed, N failed" line from meson's testlogs.
summary() {
  python3 - "$@" <<'PY'
import json, os, sys
passed = failed = skipped = 0
for d in sys.argv[1:]:
    try:
        lines = open(f"{d}/meson-logs/testlog.json").read().splitlines()
    except FileNotFoundError:
        continue
    for line in lines:
        if not line.strip():
            continue
        t = json.loads(line)
        r = t["result"]
        if r in ("OK", "EXPECTEDFAIL"):
            passed += 1
            if r == "EXPECTEDFAIL":
                print(f"expected failure (a known defect): {t['name']}")
        elif r == "SKIP":
            skipped += 1
            why = [l.split("# SKIP", 1)[1].strip() for l in (t.get("stdout") or "").splitlines() if "# SKIP" in l]
            print(f"skipped: {t['name']}: {why[0] if why else 'no reason given'}")
        else:
            failed += 1
# Nothing may be skipped in CI without failing the run.
if skipped and os.environ.get("CI") == "true":
    print(f"CI: {skipped} skipped tests count as failures")
    failed += skipped
print(f"{passed} passed, {failed} failed, {skipped} skipped")
sys.exit(1 if failed else 0)
PY
}

run_suite() {
  local dir=$1; shift
  local rc=0
  meson test -C "$dir" --print-errorlogs --num-processes "$(nproc)" "$@" || rc=$?
  return $rc
}

# A realistic week for the fake Google (tests/fake-google), as JSON on
# stdout: slots, a booked session, busy events, a free-time event, an
# all-day event, out-of-office, a weekly group's instances, and a second
# selected calendar whose events count as busy.
demo_week() {
  local ev=() d
  day() { TZ=Europe/Moscow date -d "$1" +%Y-%m-%d; }
  event() { # id day start end summary [extra]
    ev+=("{\"id\":\"$1\",\"summary\":\"$5\",\"start\":{\"dateTime\":\"$2T$3:00+03:00\"},\"end\":{\"dateTime\":\"$2T$4:00+03:00\"}${6:+,$6}}")
  }
  event demo0slot01 "$(day '+1 day')" 10:00 10:50 "🔓 СЛОТ: Консультация"
  event demo0slot02 "$(day '+1 day')" 17:30 18:10 "🔓 СЛОТ: Включить в дело (40 мин)"
  event demo0slot03 "$(day '+2 days')" 12:00 12:50 "🔓 СЛОТ: Консультация"
  event demo0slot04 "$(day '+3 days')" 11:00 11:50 "🔓 СЛОТ: Консультация" '"extendedProperties":{"private":{"okno":"slot"}}'
  event demo0slot05 "$(day '+4 days')" 16:00 16:50 "🔓 СЛОТ: Консультация"
  event demo0book01 "$(day '+2 days')" 15:00 15:50 "✅ Анна — Консультация" '"description":"Telegram: @anna"'
  event demo0busy01 "$(day '+1 day')" 13:00 14:00 "Обед с Мариной"
  event demo0busy02 "$(day '+3 days')" 09:00 10:30 "Стоматолог"
  event demo0free01 "$(day '+2 days')" 10:00 11:00 "Может быть: йога" '"transparency":"transparent"'
  event demo0away01 "$(day '+5 days')" 09:00 18:00 "Не в офисе" '"eventType":"outOfOffice"'
  for d in 1 8; do
    event "demo0group_$d" "$(day "+$d days")" 19:00 20:30 "🔓 СЛОТ: Группа" '"recurringEventId":"demo0group"'
  done
  d=$(day '+1 day')
  ev+=("{\"id\":\"demo0allday1\",\"summary\":\"День рождения мамы\",\"start\":{\"date\":\"$d\"},\"end\":{\"date\":\"$(day '+2 days')\"},\"transparency\":\"transparent\"}")
  local olga
  olga=$(IFS=,; echo "${ev[*]}")
  ev=()
  event demo0work01 "$(day '+2 days')" 12:30 13:30 "Супервизия"
  event demo0work02 "$(day '+4 days')" 10:00 12:00 "Лекция"
  printf '{"account":"olga.rozet@example.com","calendars":[{"id":"olga.rozet@example.com","summary":"Ольга","primary":true,"selected":true},{"id":"work@example.com","summary":"Работа","selected":true}],"events":{"olga.rozet@example.com":[%s],"work@example.com":[%s]}}\n' \
    "$olga" "$(IFS=,; echo "${ev[*]}")"
}

# run --demo-google: the fake Google seeded with demo_week, a fresh data
# folder connected to it (the fake consents at once), and the app on it.
# Without a session bus (a bare Xvfb, ssh) libsecret has no keyring to keep
# the demo's sign-in in, and would wait forever: the demo then runs on a
# bus and an unlocked keyring of its own, in a scratch folder.
demo_needs_own_keyring() {
  [ -z "${OKNO_DEMO_OWN_KEYRING:-}" ] && [ -z "${DBUS_SESSION_BUS_ADDRESS:-}" ] &&
    [ ! -S "${XDG_RUNTIME_DIR:-/nonexistent}/bus" ]
}

run_demo_with_own_keyring() {
  local keys
  keys=$(mktemp -d "${TMPDIR:-/tmp}/okno-demo-keyring.XXXXXX")
  mkdir -p "$keys/data" "$keys/run"
  chmod 700 "$keys/run"
  log "no session bus: the demo keeps its sign-in in a keyring of its own ($keys)"
  OKNO_DEMO_OWN_KEYRING=1 OKNO_DEMO_KEYS="$keys" exec dbus-run-session -- sh -c \
    'printf %s okno-demo | XDG_DATA_HOME="$OKNO_DEMO_KEYS/data" XDG_RUNTIME_DIR="${XDG_RUNTIME_DIR:-$OKNO_DEMO_KEYS/run}" \
       gnome-keyring-daemon --unlock --components=secrets >/dev/null && exec "$@"' sh "$ROOT/build-aux/dev.sh" run --demo-google "$@"
}

# The demo's own keyring daemon outlives its bus: stopped when the demo ends.
demo_stop_own_keyring() {
  local p
  [ -n "${OKNO_DEMO_KEYS:-}" ] || return 0
  for p in /proc/[0-9]*; do
    [ "$(cat "$p/comm" 2>/dev/null)" = gnome-keyring-d ] &&
      grep -qzx "OKNO_DEMO_KEYS=$OKNO_DEMO_KEYS" "$p/environ" 2>/dev/null && kill "${p#/proc/}" 2>/dev/null
  done
  rm -rf "$OKNO_DEMO_KEYS"
}

# Waits up to 60 s for FILE to have a line while PID runs; fails otherwise.
demo_wait_line() {
  local i=0
  while [ ! -s "$1" ]; do
    kill -0 "$2" 2>/dev/null && [ $i -lt 600 ] || return 1
    sleep 0.1; i=$((i + 1))
  done
}

run_demo_google() {
  local dir fake_out connect_pid base url redirect
  dir=$(mktemp -d "${TMPDIR:-/tmp}/okno-demo-google.XXXXXX")
  fake_out="$dir/fake-google.out"
  demo_week > "$dir/seed.json"
  _build/tests/fake-google/fake-google --seed "$dir/seed.json" > "$fake_out" &
  # Global: the EXIT trap runs after this function has returned (set -u).
  DEMO_FAKE_PID=$!
  trap 'kill $DEMO_FAKE_PID 2>/dev/null; demo_stop_own_keyring' EXIT
  demo_wait_line "$fake_out" $DEMO_FAKE_PID || { log "the fake Google did not start"; return 1; }
  base=$(head -n 1 "$fake_out")
  export OKNO_GOOGLE_AUTH_URL="$base/o/oauth2/v2/auth" OKNO_GOOGLE_TOKEN_URL="$base/token" \
         OKNO_GOOGLE_CALENDAR_URL="$base/calendar/v3" OKNO_GMAIL_URL="$base/gmail/v1" \
         OKNO_GOOGLE_CLIENT_ID=fake-client-id OKNO_GOOGLE_CLIENT_SECRET=fake-client-secret
  log "fake Google at $base (its store: $base/_fake/events?calendarId=primary)"

  # Connect as a new user would; the test plays the browser's part.
  _build/src/okno-server --data-dir "$dir" google connect > "$dir/connect.out" &
  connect_pid=$!
  demo_wait_line "$dir/connect.out" $connect_pid || { log "google connect failed"; return 1; }
  url=$(head -n 1 "$dir/connect.out")
  redirect=$(curl -s -o /dev/null -w '%{redirect_url}' "$url")
  curl -s --max-time 60 "$redirect" > /dev/null
  wait $connect_pid || { log "google connect failed"; return 1; }
  _build/src/okno-server --data-dir "$dir" settings set calendar-backend google
  log "starting Okno on the fake Google (data: $dir)"
  _build/src/okno --data-dir "$dir" --poll-seconds 10 "$@"
}

cmd=${1:-}
shift || true
case "$cmd" in
  deps)
    install_packages "${BUILD_DEPS[@]}" "${TEST_DEPS[@]}"
    install_e2e
    ;;
  run)
    install_packages "${BUILD_DEPS[@]}"
    setup _build
    if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
      log "there is no display to open a window on."
      log "Run the headless server instead:  _build/src/okno-server"
      log "(or a virtual display:            xvfb-run -a build-aux/dev.sh run)"
      exit 1
    fi
    if [ "${1:-}" = --demo-google ]; then
      shift
      install_packages "${DEMO_DEPS[@]}"
      demo_needs_own_keyring && run_demo_with_own_keyring "$@"
      run_demo_google "$@"
      exit $?
    fi
    log "starting Okno on the local calendar (data: ${XDG_DATA_HOME:-$HOME/.local/share}/okno)"
    exec "_build/src/okno" "$@"
    ;;
  test)
    install_packages "${BUILD_DEPS[@]}" "${TEST_DEPS[@]}"
    install_e2e
    setup _build
    rc=0
    run_suite _build "$@" || rc=$?
    summary _build || rc=1
    exit $rc
    ;;
  asan)
    install_packages "${BUILD_DEPS[@]}" "${TEST_DEPS[@]}"
    install_e2e
    setup _build-asan -Db_sanitize=address,undefined -Db_lundef=false -Dbuildtype=debug
    export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:halt_on_error=1"
    export LSAN_OPTIONS="suppressions=$ROOT/build-aux/lsan.supp:print_suppressions=0"
    export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
    rc=0
    run_suite _build-asan --timeout-multiplier 4 "$@" || rc=$?
    summary _build-asan || rc=1
    exit $rc
    ;;
  bench)
    install_packages "${BUILD_DEPS[@]}" "${TEST_DEPS[@]}" "${BENCH_DEPS[@]}"
    setup _build-bench -Dbuildtype=release -Dtests=false
    OKNO_SERVER="$ROOT/_build-bench/src/okno-server" exec "$ROOT/build-aux/bench.sh" "$@"
    ;;
  summary)
    summary "$@"
    ;;
  *)
    echo "usage: build-aux/dev.sh run|test|asan|bench|deps" >&2
    exit 2
    ;;
esac
