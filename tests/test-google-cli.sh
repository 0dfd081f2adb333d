#!/bin/sh
# test-google-cli.sh SERVER FAKE: `okno-server google …` headless against
# the fake Google, the test playing the browser. TAP output. Runs inside
# run-with-keyring.sh.
# SPDX-FileCopyrightText: 2026 Okno contributors
# SPDX-License-Identifier: GPL-3.0-or-later
set -u

SERVER=$1
FAKE=$2
. "$(dirname "$0")/google-test-lib.sh"
SCOPE_EVENTS=https://www.googleapis.com/auth/calendar.events

run() { dir=$1; shift; "$SERVER" --data-dir "$TMP/$dir" "$@"; }
control() { curl -s -f -X POST -H 'Content-Type: application/json' -d "$2" "$BASE/_fake/$1"; }
log_has() { curl -s "$BASE/_fake/log" | grep -q "$1"; }
refresh_tokens() { curl -s "$BASE/_fake/tokens" | sed 's/.*"refreshTokens":\([0-9]*\).*/\1/'; }

# Starts `google connect` for data folder $1 in the background; sets URL.
start_connect() {
  rm -f "$TMP/connect.out" "$TMP/connect.err"
  "$SERVER" --data-dir "$TMP/$1" google connect > "$TMP/connect.out" 2> "$TMP/connect.err" &
  CONNECT_PID=$!
  wait_line "$TMP/connect.out"
  URL=$(head -n 1 "$TMP/connect.out")
}
# The browser: the consent page answers with a redirect; do not follow it.
consent() { curl -s -o /dev/null -w '%{redirect_url}' "$1"; }
finish_connect() { wait $CONNECT_PID; rc=$?; CONNECT_PID=; return $rc; }

run a google status | grep -q 'not connected'; ok $? "status before connecting says not connected"

OKNO_GOOGLE_CLIENT_ID= OKNO_GOOGLE_CLIENT_SECRET= run a google connect >/dev/null 2>"$TMP/err"
[ $? = 1 ] && grep -q 'OKNO_GOOGLE_CLIENT_ID' "$TMP/err"; ok $? "connect without an OAuth client says how to configure one"

# Connect, with a forged redirect first.
start_connect a
[ "$(wc -l < "$TMP/connect.out")" = 1 ] && echo "$URL" | grep -q "^$BASE/o/oauth2/v2/auth?"
ok $? "connect prints the authorization URL alone on one line of stdout"
echo "$URL" | grep -q 'code_challenge_method=S256' && echo "$URL" | grep -Eq 'code_challenge=[A-Za-z0-9_-]{43}(&|$)' \
  && echo "$URL" | grep -q 'state=' && echo "$URL" | grep -q 'redirect_uri=http%3A%2F%2F127.0.0.1%3A'
ok $? "the URL carries PKCE S256, state and a loopback redirect"
REDIRECT=$(consent "$URL")
echo "$REDIRECT" | grep -q '^http://127.0.0.1:.*code='; ok $? "the fake's consent redirects to the loopback with a code"

FORGED=$(echo "$REDIRECT" | sed 's/state=[^&]*/state=forged/')
status=$(curl -s -o /dev/null -w '%{http_code}' "$FORGED")
[ "$status" = 400 ] && ! log_has '"path":"/token"'
ok $? "a redirect with the wrong state is refused (400) and no code is exchanged"
kill -0 $CONNECT_PID 2>/dev/null; ok $? "connect keeps waiting for the real answer"

curl -s "$REDIRECT" | grep -q 'close this tab'; ok $? "the real redirect is answered with a page for the browser"
finish_connect; ok $? "connect exits 0 once the token is stored"
grep -q 'olga.rozet@example.com' "$TMP/connect.err"; ok $? "connect names the account"
[ "$(refresh_tokens)" = 1 ]; ok $? "the fake issued one refresh token"
log_has '"path":"/token"'; ok $? "the code was exchanged at the token endpoint"

out=$(run a google status)
echo "$out" | grep -q 'connected as olga.rozet@example.com' && echo "$out" | grep -q 'primary'
ok $? "status shows the account and its calendars"
run a google calendars | grep -q "^olga.rozet@example.com	olga.rozet@example.com	owner primary selected$"
ok $? "calendars lists ids with their flags"
! grep -rq '1//fake' "$TMP/a" 2>/dev/null; ok $? "no token is written into the data folder"

# Refresh once on 401: the first API call meets an expired access token.
curl -s -X DELETE "$BASE/_fake/log"
control faults '{"path":"calendarList","expireToken":true}' >/dev/null
run a google calendars | grep -q primary; ok $? "a 401 is answered by one refresh and one retry"
curl -s "$BASE/_fake/log" | tr '{' '\n' | grep -o '"path":"[^"]*","query":"[^"]*","status":[0-9]*' > "$TMP/log"
[ "$(grep -c 'calendarList.*401' "$TMP/log")" = 1 ] && [ "$(grep -c 'calendarList.*200' "$TMP/log")" = 1 ]
ok $? "exactly one 401 then one success"

# PKCE: the fake refuses an exchange without the right verifier.
start_connect pkce
REDIRECT=$(consent "$URL")
CODE=$(echo "$REDIRECT" | sed 's/.*code=\([^&]*\).*/\1/')
REDIR_URI=$(echo "$URL" | sed 's/.*redirect_uri=\([^&]*\).*/\1/')
curl -s "$BASE/token" -d client_id=fake-client-id -d client_secret=fake-client-secret -d grant_type=authorization_code \
  -d "code=$CODE" -d "redirect_uri=$REDIR_URI" -d code_verifier=wrongwrongwrongwrongwrongwrongwrongwrongwrong | grep -q invalid_grant
ok $? "the fake refuses a code exchanged with the wrong PKCE verifier"
curl -s "$REDIRECT" >/dev/null
finish_connect; [ $? != 0 ]; ok $? "a code already spent is refused and connect fails"

# Fewer scopes granted.
control consent "{\"scopes\":[\"$SCOPE_EVENTS\"]}" >/dev/null
start_connect b
curl -s "$(consent "$URL")" >/dev/null
finish_connect; ok $? "connect succeeds with fewer scopes"
grep -q 'Gmail sending was not granted' "$TMP/connect.err" && grep -q 'Calendar list access was not granted' "$TMP/connect.err"
ok $? "connect says which features are off"
run b google status | grep -q 'Off: Gmail'; ok $? "status says which features are off"

# Olga refuses.
control consent '{"deny":true}' >/dev/null
start_connect c
curl -s "$(consent "$URL")" >/dev/null
finish_connect; [ $? = 1 ]; ok $? "a refused consent makes connect fail"
run c google status | grep -q 'not connected'; ok $? "and nothing is stored"
control consent '{}' >/dev/null

# A refresh token Google no longer takes.
control tokens '{"revokeRefresh":true}' >/dev/null
run a google calendars >/dev/null 2>"$TMP/err"; rc=$?
[ $rc = 1 ] && grep -q 'sign in again' "$TMP/err"; ok $? "invalid_grant asks to sign in again"
run a google status | grep -q 'Sync: reconnect'; ok $? "status shows reconnect"

# okno-server on the Google backend: the page offers Google's slots, and a
# busy event added in another selected calendar takes its slot off the page.
DAY=$(TZ=Europe/Moscow date -d '+2 days' +%Y-%m-%d)
control seed "{\"calendars\":[{\"id\":\"olga.rozet@example.com\",\"primary\":true,\"selected\":true},
  {\"id\":\"work@example.com\",\"summary\":\"Work\",\"selected\":true}],
  \"events\":{\"olga.rozet@example.com\":[{\"id\":\"slot000000001\",\"summary\":\"🔓 СЛОТ: Консультация\",
  \"start\":{\"dateTime\":\"${DAY}T12:00:00+03:00\"},\"end\":{\"dateTime\":\"${DAY}T12:50:00+03:00\"}}]}}" >/dev/null
start_connect srv
curl -s "$(consent "$URL")" >/dev/null
finish_connect
run srv settings set calendar-backend google
"$SERVER" --data-dir "$TMP/srv" --port 0 --poll-seconds 10 > "$TMP/serve.out" 2>"$TMP/serve.err" &
SERVE_PID=$!
wait_line "$TMP/serve.out"
PAGE=$(grep -o 'http://[^ ]*' "$TMP/serve.out" | head -n 1)
PAGE=${PAGE%/}
i=0
while ! curl -s "$PAGE/api/status" | grep -q '"state":"synced"' && [ $i -lt 300 ]; do sleep 0.2; i=$((i + 1)); done
curl -s "$PAGE/api/status" | grep -q '"calendar":{"state":"synced","lastSync":"[^"]*","pending":0}'
ok $? "/api/status shows the Google calendar synced, its last sync and no pending changes"
curl -s "$PAGE/api/slots" | grep -q slot000000001; ok $? "the page offers the slot from Google"
control events "{\"calendarId\":\"work@example.com\",\"insert\":{\"id\":\"busy000000001\",\"summary\":\"Meeting\",
  \"start\":{\"dateTime\":\"${DAY}T12:30:00+03:00\"},\"end\":{\"dateTime\":\"${DAY}T13:30:00+03:00\"}}}" >/dev/null
i=0
while curl -s "$PAGE/api/slots" | grep -q slot000000001 && [ $i -lt 300 ]; do sleep 0.2; i=$((i + 1)); done
! curl -s "$PAGE/api/slots" | grep -q slot000000001; ok $? "a busy event added in another calendar takes the slot off the page by the next poll"
kill $SERVE_PID; wait $SERVE_PID; ok $? "the server stops cleanly"
SERVE_PID=
grep -q '"calendarList"' "$TMP/srv/google-cache.json" && grep -q 'slot000000001' "$TMP/srv/google-cache.json"
ok $? "google-cache.json keeps the calendars and events for the next start"

# Disconnect revokes and forgets.
start_connect d
curl -s "$(consent "$URL")" >/dev/null
finish_connect
before=$(refresh_tokens)
run d google disconnect 2>/dev/null; ok $? "disconnect exits 0"
[ "$(refresh_tokens)" = $((before - 1)) ]; ok $? "disconnect revoked the token at Google"
run d google status | grep -q 'not connected'; ok $? "and forgot it"

echo "1..$n"
exit $failed
