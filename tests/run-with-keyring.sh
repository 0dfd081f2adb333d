#!/bin/sh
# run-with-keyring.sh CMD [ARG…]: runs CMD with its own session bus and an
# unlocked gnome-keyring, in a throw-away HOME, so libsecret works in tests
# and never touches the developer's own keyring (PLATFORM.md). The daemon
# runs without the tests' G_DEBUG=fatal-warnings: a warning of its own
# would kill it, and libsecret would then ask for a password prompt.
# SPDX-FileCopyrightText: 2026 Okno contributors
# SPDX-License-Identifier: GPL-3.0-or-later
set -u
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
export HOME="$TMP" XDG_DATA_HOME="$TMP/data" XDG_CONFIG_HOME="$TMP/config" \
       XDG_CACHE_HOME="$TMP/cache" XDG_RUNTIME_DIR="$TMP/run"
mkdir -p "$XDG_DATA_HOME" "$XDG_CONFIG_HOME" "$XDG_CACHE_HOME" "$XDG_RUNTIME_DIR"
chmod 700 "$XDG_RUNTIME_DIR"
dbus-run-session -- sh -c 'printf %s okno-test | env -u G_DEBUG -u MALLOC_CHECK_ gnome-keyring-daemon --unlock --components=secrets >/dev/null && exec "$@"' sh "$@"
