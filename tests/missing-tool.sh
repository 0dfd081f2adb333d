#!/bin/sh
# missing-tool.sh TOOL PACKAGE [WHAT]: stands in for a test whose tool was
# not found when meson set up the build. Locally the test is skipped and
# says why; under CI=true it fails, naming the Debian package to install.
# SPDX-License-Identifier: GPL-3.0-or-later
msg="$1 is missing: install the Debian package $2 (build-aux/dev.sh deps), then meson setup --reconfigure"
if [ "${CI:-}" = true ]; then
  echo "Bail out! $msg"
  echo "$msg" >&2
  exit 1
fi
echo "1..0 # SKIP $msg"
exit 0
