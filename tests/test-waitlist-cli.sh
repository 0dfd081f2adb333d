#!/bin/sh
# test-waitlist-cli.sh: the waitlist through okno-server as Olga and a client
# meet it: join over HTTP, kill -9, the entry is still there; Olga cancels a
# booking on the command line and the waiting hear of it; waitlist list|rm.
# TAP output.
# SPDX-FileCopyrightText: 2026 Okno contributors
# SPDX-License-Identifier: GPL-3.0-or-later
set -u

SERVER=$1
DIR=$(mktemp -d)
trap 'kill -9 $SERVE_PID 2>/dev/null; rm -rf "$DIR"' EXIT
SERVE_PID=
n=0
failed=0

ok() {
  n=$((n + 1))
  if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; failed=1; fi
}

run() { "$SERVER" --data-dir "$DIR" "$@"; }

serve() {
  : > "$DIR/serve.log"
  "$SERVER" --data-dir "$DIR" --port 0 > "$DIR/serve.log" 2>&1 &
  SERVE_PID=$!
  for i in $(seq 1 300); do grep -q 'http://' "$DIR/serve.log" && break; sleep 0.1; done
  BASE=$(grep -o 'http://[0-9.:]*' "$DIR/serve.log" | head -1)
}

post() {  # post PATH JSON → the status; the body in $DIR/out.json
  curl -s -o "$DIR/out.json" -w '%{http_code}' -X POST -H 'Content-Type: application/json' -d "$2" "$BASE$1"
}

run settings set time-zone Europe/Moscow >/dev/null
start=$(TZ=Europe/Moscow date -d '+3 days' +%Y-%m-%dT17:30)
slot=$(run slots add --start "$start" --title "Разбор" | cut -f1)
[ -n "$slot" ]; ok $? "a slot to book"

serve
[ -n "$BASE" ]; ok $? "okno-server serves on a free port"
status=$(post /api/book "{\"slotId\":\"$slot\",\"name\":\"Вера\",\"email\":\"vera@example.org\"}")
[ "$status" = 201 ]; ok $? "Вера books the slot"
bid=$(sed 's/.*"booking":{"id":"\([^"]*\)".*/\1/' "$DIR/out.json")

status=$(post /api/waitlist '{"name":"Анна","phone":"+7 999 123-45-67","times":["evening"]}')
[ "$status" = 201 ]; ok $? "Анна (a phone) joins the waitlist"
grep -q '123-45-67' "$DIR/out.json"; [ $? = 1 ]; ok $? "the answer does not echo her phone"
status=$(post /api/waitlist '{"name":"Галя","email":"galya@example.org"}')
[ "$status" = 201 ]; ok $? "Галя (an email) joins the waitlist"
gid=$(sed 's/.*"waitlist":{"id":"\([^"]*\)".*/\1/' "$DIR/out.json")

# Acknowledged means on disk: a kill -9 right after loses nothing.
kill -9 $SERVE_PID; wait $SERVE_PID 2>/dev/null; SERVE_PID=
out=$(run waitlist list)
echo "$out" | grep -q "Анна.*+7 999 123-45-67.*вечер\|Анна.*+7 999 123-45-67.*evening"; ok $? "after kill -9, waitlist list shows Анна, her phone and what suits her"
echo "$out" | grep -q "$gid.*Галя.*galya@example.org"; ok $? "and Галя"
run waitlist list --json | grep -q '"phone" : "+7 999 123-45-67"'; ok $? "waitlist list --json"
run waitlist list --json | grep -q 'tokenHash'; [ $? = 1 ]; ok $? "waitlist list --json shows no token hash"
run waitlist list --json | grep -q '"since" : "20[0-9-]*T'; ok $? "waitlist list --json says since when (\"since\", as the API)"

# Olga cancels on the command line: the time opens, everyone waiting is told.
run bookings cancel "$bid"; ok $? "Olga cancels Вера's booking"
run attention list | grep -q "Анна (+7 999 123-45-67)"
ok $? "with no channel to Olga, Анна's phone reaches her as an attention item"
run attention list | grep -q "Галя (galya@example.org)"
ok $? "and Галя's email, as Okno sends no email from this folder"
grep -q "$slot@" "$DIR/waitlist.json"; ok $? "waitlist.json remembers the offer"

# The same time taken and opened again: nobody hears of it twice.
serve
status=$(post /api/book "{\"slotId\":\"$slot\",\"name\":\"Вера\",\"email\":\"vera2@example.org\"}")
[ "$status" = 201 ]; ok $? "the time is booked again"
bid2=$(sed 's/.*"booking":{"id":"\([^"]*\)".*/\1/' "$DIR/out.json")
kill -TERM $SERVE_PID; wait $SERVE_PID; SERVE_PID=
run bookings cancel "$bid2"
cnt=$(run attention list | grep -c 'Анна (+7 999 123-45-67)')
[ "$cnt" = 1 ]; ok $? "told once per opened time ($cnt messages)"

run waitlist rm "$gid"; ok $? "waitlist rm"
run waitlist list | grep -q "Галя"; [ $? = 1 ]; ok $? "the entry is gone"
grep -q 'galya@example.org' "$DIR/waitlist.json"; [ $? = 1 ]; ok $? "and gone from waitlist.json"
err=$(run waitlist rm nosuch 2>&1); rc=$?
[ $rc = 1 ] && [ "$(printf '%s\n' "$err" | wc -l)" = 1 ]; ok $? "removing an unknown entry fails in one line"
run waitlist rm >/dev/null 2>&1; [ $? = 2 ]; ok $? "waitlist rm without an id is a usage error"
"$SERVER" --help | grep -q 'waitlist list'; ok $? "--help lists the waitlist commands"

echo "1..$n"
exit $failed
