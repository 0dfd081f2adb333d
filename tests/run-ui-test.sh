#!/bin/sh
# run-ui-test.sh TEST…: a widget test on a virtual display with its own
# session bus, home and temporary folder, so it runs the same on a desktop,
# over SSH and in CI, and never touches the real home's data or settings.
# SPDX-License-Identifier: GPL-3.0-or-later
export GDK_BACKEND=x11
export GTK_A11Y=none
export GSK_RENDERER=cairo
export NO_AT_BRIDGE=1
export GSETTINGS_BACKEND=memory
export OKNO_KEYRING=none
# LeakSanitizer reports what GTK, fontconfig and Mesa keep until exit.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
scratch=$(mktemp -d "${TMPDIR:-/tmp}/okno-ui-XXXXXX") || exit 1
xvfb=
trap '[ -n "$xvfb" ] && kill "$xvfb" 2>/dev/null; rm -rf "$scratch"' EXIT
mkdir -p "$scratch/home" "$scratch/tmp"
export HOME="$scratch/home" TMPDIR="$scratch/tmp"
export XDG_CONFIG_HOME="$HOME/.config" XDG_CACHE_HOME="$HOME/.cache" XDG_DATA_HOME="$HOME/.local/share"
# The X server picks a free display itself (-displayfd) and says which once
# it is ready, so tests started at the same moment never share a display
# (xvfb-run -a guesses from lock files, which two starts can both miss).
Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp 3>"$scratch/display" 2>"$scratch/xvfb.log" &
xvfb=$!
i=0
while [ ! -s "$scratch/display" ] && [ $i -lt 300 ] && kill -0 "$xvfb" 2>/dev/null; do sleep 0.1; i=$((i + 1)); done
if [ ! -s "$scratch/display" ]; then
  echo "Xvfb did not start:" >&2; cat "$scratch/xvfb.log" >&2
  exit 1
fi
export DISPLAY=":$(head -n 1 "$scratch/display")"
dbus-run-session --dbus-daemon="$(dirname "$0")/dbus-daemon-quiet.sh" -- "$@"
