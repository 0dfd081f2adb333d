#!/bin/sh
# dbus-daemon-quiet.sh ARG…: the session bus for run-ui-test.sh, with its
# standard output on standard error. Services it starts on demand (a
# keyring daemon when Preferences looks for a Google account) inherit it,
# and their lines on the test's standard output would break its TAP.
# SPDX-License-Identifier: GPL-3.0-or-later
exec dbus-daemon "$@" >&2
