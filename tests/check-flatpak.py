#!/usr/bin/env python3
# check-flatpak.py MANIFEST: the Flatpak manifest parses and says what we
# mean. TAP output. SPDX-License-Identifier: GPL-3.0-or-later
import json
import sys

n = 0
failed = False


def ok(cond, what):
    global n, failed
    n += 1
    print(("ok" if cond else "not ok"), n, "-", what)
    failed |= not cond


m = json.load(open(sys.argv[1]))
ok(m.get("id") == "ru.olgarozet.Okno", "app id is ru.olgarozet.Okno")
ok(m.get("command") == "okno", "command is okno")
ok(m.get("runtime") == "org.gnome.Platform" and m.get("sdk") == "org.gnome.Sdk", "GNOME runtime and SDK")
ok(str(m.get("runtime-version", "")).isdigit(), "a numbered runtime version")
args = m.get("finish-args", [])
for wanted in ["--share=network", "--socket=wayland", "--socket=fallback-x11", "--device=dri", "--share=ipc"]:
    ok(wanted in args, "finish-args has " + wanted)
holes = [a for a in args if a.startswith("--filesystem=") or a in ("--socket=session-bus", "--socket=system-bus")]
ok(not holes, "no broad filesystem or bus holes " + str(holes))
modules = m.get("modules", [])
okno = modules[-1] if modules else {}
ok(okno.get("name") == "okno", "the last module is okno")
ok(okno.get("buildsystem") == "meson", "okno builds with meson")
ok(any(s.get("type") in ("dir", "git") for s in okno.get("sources", [])), "okno's source is this tree")
names = [mod.get("name") for mod in modules if isinstance(mod, dict)]
ok("qrencode" in names, "libqrencode is built (the runtime lacks it)")
print(f"1..{n}")
sys.exit(1 if failed else 0)
