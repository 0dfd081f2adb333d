#!/bin/sh
# run-e2e.sh SCRIPT SERVER: skips (77) when the browser tooling is missing,
# so a machine without it says so instead of failing; dev.sh installs it.
# SPDX-License-Identifier: GPL-3.0-or-later
dir=$(dirname "$1")
if [ ! -d "$dir/node_modules/playwright-core" ] || [ ! -x "${CHROMIUM:-/usr/bin/chromium}" ]; then
  echo "1..0 # SKIP chromium or tests/e2e/node_modules missing (run build-aux/dev.sh test)"
  exit 77
fi
exec node "$@"
