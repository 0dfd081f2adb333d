#!/usr/bin/env python3
# check-flatpak.py MANIFEST…: each Flatpak manifest parses and says what we
# mean. The Devel one runs the tests in the sandbox, which has no Xvfb,
# xdotool, node or Chromium: it must leave those tests out
# (-Dtool-tests=false), so a green build does not pretend they ran.
# TAP output. SPDX-License-Identifier: GPL-3.0-or-later
import json
import os
import sys

n = 0
failed = False


def ok(cond, what):
    global n, failed
    n += 1
    print(("ok" if cond else "not ok"), n, "-", what)
    failed |= not cond


for path in sys.argv[1:]:
    name = os.path.basename(path)
    m = json.load(open(path))
    devel = m.get("id", "").endswith(".Devel")
    ok(m.get("id") == ("ru.olgarozet.Okno.Devel" if devel else "ru.olgarozet.Okno"), f"{name}: app id")
    ok(m.get("command") == "okno", f"{name}: command is okno")
    ok(m.get("runtime") == "org.gnome.Platform" and m.get("sdk") == "org.gnome.Sdk", f"{name}: GNOME runtime and SDK")
    ok(str(m.get("runtime-version", "")).isdigit(), f"{name}: a numbered runtime version")
    args = m.get("finish-args", [])
    for wanted in ["--share=network", "--socket=wayland", "--socket=fallback-x11", "--device=dri", "--share=ipc"]:
        ok(wanted in args, f"{name}: finish-args has {wanted}")
    holes = [a for a in args if a.startswith("--filesystem=") or a in ("--socket=session-bus", "--socket=system-bus")]
    ok(not holes, f"{name}: no broad filesystem or bus holes {holes}")
    modules = m.get("modules", [])
    okno = modules[-1] if modules else {}
    ok(okno.get("name") == "okno", f"{name}: the last module is okno")
    ok(okno.get("buildsystem") == "meson", f"{name}: okno builds with meson")
    ok(any(s.get("type") in ("dir", "git") for s in okno.get("sources", [])), f"{name}: okno's source is this tree")
    names = [mod.get("name") for mod in modules if isinstance(mod, dict)]
    ok("qrencode" in names, f"{name}: libqrencode is built (the runtime lacks it)")
    ok("gmime" in names, f"{name}: GMime 3 is built (the runtime lacks it; src/notify links it)")
    opts = okno.get("config-opts", [])
    if devel:
        ok("-Dprofile=development" in opts, f"{name}: the development profile")
        ok(okno.get("run-tests") is True, f"{name}: runs the tests")
    if okno.get("run-tests"):
        ok("-Dtool-tests=false" in opts,
           f"{name}: runs only the suites the sandbox can (-Dtool-tests=false: no Xvfb, xdotool, node, Chromium there)")
print(f"1..{n}")
sys.exit(1 if failed else 0)
