#!/bin/sh
# test-secrets.sh SERVER FAKE_CALCOM FAKE_TELEGRAM: `okno-server secret
# set|clear` against a real (private, unlocked) GNOME Keyring, a served
# profile whose Cal.com key comes from it, and `notify test`. TAP output.
# SPDX-FileCopyrightText: 2026 Okno contributors
# SPDX-License-Identifier: GPL-3.0-or-later
set -u

SERVER=$1
FAKE=$2
FAKE_TELEGRAM=$3

# Our own session bus and keyring, in a throw-away HOME (PLATFORM.md).
if [ -z "${OKNO_TEST_IN_SESSION:-}" ]; then
  HOME=$(mktemp -d)
  export HOME XDG_DATA_HOME="$HOME/.local/share" XDG_CONFIG_HOME="$HOME/.config" \
         XDG_CACHE_HOME="$HOME/.cache" XDG_RUNTIME_DIR="$HOME/run" OKNO_TEST_IN_SESSION=1
  mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
  # The keyring must not inherit the tests' fatal warnings and malloc checks.
  dbus-run-session -- sh -c 'printf %s pw | env -u G_DEBUG -u MALLOC_CHECK_ -u MALLOC_PERTURB_ \
      gnome-keyring-daemon --unlock --components=secrets >/dev/null && exec "$@"' \
    sh "$0" "$@"
  rc=$?
  rm -rf "$HOME"
  exit $rc
fi
unset OKNO_KEYRING

DIR=$(realpath "$(mktemp -d)")
FAKE_PID=
SERVE_PID=
TG_PID=
trap 'kill $SERVE_PID $FAKE_PID $TG_PID 2>/dev/null; rm -rf "$DIR"' EXIT
n=0
failed=0

ok() {
  n=$((n + 1))
  if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; failed=1; fi
}

lookup() { secret-tool lookup okno-secret "$1" data-dir "$DIR" 2>/dev/null; }

printf 'cal_live_okno_test\n' | "$SERVER" -d "$DIR" secret set calcom-api-key; rc=$?
[ $rc = 0 ] && [ "$(lookup calcom-api-key)" = cal_live_okno_test ]
ok $? "secret set stores the key from stdin in the keyring"

err=$("$SERVER" -d "$DIR" secret set calcom-api-key cal_live_on_argv 2>&1 </dev/null); rc=$?
[ $rc = 2 ] && echo "$err" | grep -q stdin && [ "$(lookup calcom-api-key)" = cal_live_okno_test ]
ok $? "a value on the command line is refused (exit 2) and changes nothing"

printf '' | "$SERVER" -d "$DIR" secret set telegram-bot-token 2>/dev/null; rc=$?
[ $rc = 2 ] && [ -z "$(lookup telegram-bot-token)" ]
ok $? "an empty value is refused"

"$SERVER" -d "$DIR" secret set password </dev/null >/dev/null 2>&1; [ $? = 2 ]
ok $? "an unknown secret name is a usage error"

OTHER=$(realpath "$(mktemp -d)")
[ -z "$(secret-tool lookup okno-secret calcom-api-key data-dir "$OTHER" 2>/dev/null)" ]
ok $? "another data folder does not see the key"
rmdir "$OTHER"

# The served profile reads the key and watches the fake Cal.com.
"$FAKE" > "$DIR/fake.out" &
FAKE_PID=$!
i=0; while [ ! -s "$DIR/fake.out" ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
BASE=$(head -n1 "$DIR/fake.out")

serve_status() {
  serve_status_once "$1" 600
  if [ "$state" != "$1" ]; then
    # Say what the server said, then try once more.
    echo "# wanted $1, the server $alive, /api/status said: $last" >&2; sed 's/^/# serve.out: /' "$DIR/serve.out" >&2
    serve_status_once "$1" 600
  fi
  echo "$state"
}

serve_status_once() {
  # The file goes first: the server's shell truncates it only once it runs,
  # and under load the loop below read the previous server's address from
  # it (then found the file empty, and waited 30 s on nothing).
  rm -f "$DIR/serve.out"
  OKNO_CALCOM_API_URL=$BASE "$SERVER" -d "$DIR" -p 0 > "$DIR/serve.out" 2>&1 &
  SERVE_PID=$!
  i=0; while ! grep -q 'http://' "$DIR/serve.out" && [ $i -lt $2 ]; do sleep 0.05; i=$((i + 1)); done
  URL=$(grep -o 'http://[^ ]*/' "$DIR/serve.out" | head -n1)
  state=
  i=0
  while [ $i -lt $2 ]; do
    last=$(curl -sS -m 5 "${URL}api/status" 2>&1)
    state=$(echo "$last" | sed -n 's/.*"calcom":{"state":"\([a-z]*\)".*/\1/p')
    [ "$state" = "$1" ] && break
    sleep 0.05; i=$((i + 1))
  done
  alive=$(kill -0 $SERVE_PID 2>/dev/null && echo running || echo gone)
  kill $SERVE_PID; wait $SERVE_PID 2>/dev/null; SERVE_PID=
}

[ "$(serve_status up)" = up ]; ok $? "okno-server reads the key from the keyring: /api/status says calcom up"
curl -s "$(dirname "$BASE")/control/log" | grep -q '"authorization":"Bearer cal_live_okno_test"'
ok $? "the probe sent the stored key as a Bearer token"
! grep -q cal_live_okno_test "$DIR"/*.ini "$DIR/serve.out" 2>/dev/null
ok $? "the key is in no file of the data folder and not in the log"

"$SERVER" -d "$DIR" secret clear calcom-api-key; rc=$?
[ $rc = 0 ] && [ -z "$(lookup calcom-api-key)" ]; ok $? "secret clear removes it"
"$SERVER" -d "$DIR" secret clear calcom-api-key; ok $? "clearing again is not an error"
[ "$(serve_status unconfigured)" = unconfigured ]; ok $? "without a key /api/status says unconfigured"

# notify test: one line per channel.
"$FAKE_TELEGRAM" > "$DIR/tg.out" &
TG_PID=$!
i=0; while [ ! -s "$DIR/tg.out" ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
TG=$(head -n1 "$DIR/tg.out")
notify_test() { OKNO_TELEGRAM_API_URL=$TG "$SERVER" -d "$DIR" notify test; }

out=$(notify_test); rc=$?
[ $rc = 0 ] && echo "$out" | grep -q '^telegram: not sent: no bot token saved' && echo "$out" | grep -q '^email: not sent: ' \
  && [ "$(echo "$out" | wc -l)" = 3 ]
ok $? "notify test without a token says why, one line per channel"

printf '123456:okno-test-token' | "$SERVER" -d "$DIR" secret set telegram-bot-token
out=$(notify_test)
echo "$out" | grep -q '^telegram: not sent: no chat id set'; ok $? "notify test without a chat id says so"

"$SERVER" -d "$DIR" settings set telegram-chat-id 424242
out=$(notify_test); rc=$?
[ $rc = 0 ] && echo "$out" | grep -qx 'telegram: sent'; ok $? "notify test sends to Telegram"
curl -s "$TG/control/log" | grep -q '"text":"Okno test message'; ok $? "the fake Telegram shows the test message"

"$SERVER" -d "$DIR" settings set telegram-chat-id 777
out=$(notify_test); rc=$?
[ $rc = 1 ] && echo "$out" | grep -q '^telegram: not sent: Telegram does not know the chat 777'
ok $? "a wrong chat id: exit 1 and what to do"

printf 'wrong:token' | "$SERVER" -d "$DIR" secret set telegram-bot-token
"$SERVER" -d "$DIR" settings set telegram-chat-id 424242
out=$(notify_test); rc=$?
[ $rc = 1 ] && echo "$out" | grep -q 'BotFather'; ok $? "a wrong token: exit 1 and where to get a new one"
! grep -rq 'wrong:token' "$DIR"
ok $? "the token is in no file of the data folder"

echo "1..$n"
exit $failed
