#!/bin/sh
# run-e2e.sh SCRIPT SERVER: the page's end-to-end test. When the browser
# tooling is missing it skips (a TAP skip) and says what is missing, or under
# CI=true fails; build-aux/dev.sh installs it.
# SPDX-License-Identifier: GPL-3.0-or-later
dir=$(dirname "$1")
missing=
[ -d "$dir/node_modules/playwright-core" ] && [ -d "$dir/node_modules/axe-core" ] ||
  missing="tests/e2e/node_modules (npm ci --prefix tests/e2e; Debian package npm)"
[ -x "${CHROMIUM:-/usr/bin/chromium}" ] || missing="${missing:+$missing, }${CHROMIUM:-/usr/bin/chromium} (Debian package chromium)"
if [ -n "$missing" ]; then
  if [ "${CI:-}" = true ]; then
    echo "Bail out! missing: $missing"
    exit 1
  fi
  echo "1..0 # SKIP missing: $missing (build-aux/dev.sh test installs them)"
  exit 0
fi
exec node "$@"
