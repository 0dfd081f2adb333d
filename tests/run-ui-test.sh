#!/bin/sh
# run-ui-test.sh TEST…: a widget test on a virtual display with its own
# session bus, so it runs the same on a desktop, over SSH and in CI.
# SPDX-License-Identifier: GPL-3.0-or-later
export GDK_BACKEND=x11
export GTK_A11Y=none
export GSK_RENDERER=cairo
export NO_AT_BRIDGE=1
export OKNO_KEYRING=none
# LeakSanitizer reports what GTK, fontconfig and Mesa keep until exit.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
exec xvfb-run -a -s '-screen 0 1280x800x24 -nolisten tcp' dbus-run-session -- "$@"
