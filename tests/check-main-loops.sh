#!/bin/sh
# check-main-loops.sh SRCDIR: no nested main loops in the programs. Nothing
# under src/ iterates a main context by hand (a helper that spins the loop
# inside a callback re-enters code that did not expect it), and only the
# programs' own top level (okno-server and its commands) runs a GMainLoop.
# SPDX-FileCopyrightText: 2026 Okno contributors
# SPDX-License-Identifier: GPL-3.0-or-later
set -u
cd "$1"
n=0; failed=0
ok() {
  n=$((n + 1))
  if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; failed=1; fi
}

found=$(grep -rnE 'g_main_context_(iteration|pending)[[:space:]]*\(' src --include='*.c' --include='*.h')
[ -z "$found" ]; ok $? "nothing under src/ iterates a main context${found:+: $found}"

found=$(grep -rnE 'g_main_loop_run[[:space:]]*\(' src --include='*.c' | grep -vE '^src/server/okno-(server|cli[a-z-]*)\.c:')
[ -z "$found" ]; ok $? "only okno-server's top level runs a GMainLoop${found:+: $found}"

echo "1..$n"
exit $failed
