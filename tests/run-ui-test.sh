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
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$scratch/home" "$scratch/tmp"
export HOME="$scratch/home" TMPDIR="$scratch/tmp"
export XDG_CONFIG_HOME="$HOME/.config" XDG_CACHE_HOME="$HOME/.cache" XDG_DATA_HOME="$HOME/.local/share"
xvfb-run -a -s '-screen 0 1280x800x24 -nolisten tcp' dbus-run-session -- "$@"
