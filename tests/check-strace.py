#!/usr/bin/env python3
# check-strace.py TRACE: every "201 Created" okno-server sent went out only
# after the journal line of its booking was written AND fdatasync'd.
# TRACE is `strace -f -s 65536 -e trace=openat,fdatasync,write,writev,sendmsg,sendto`.
# SPDX-FileCopyrightText: 2026 Okno contributors
# SPDX-License-Identifier: GPL-3.0-or-later
import re
import sys

lines = open(sys.argv[1], encoding='utf-8', errors='replace').read().splitlines()
journal_fds = set()
written = {}      # booking id -> index of the journal write holding it
synced = []       # indexes where a journal fdatasync completed with 0
pending_sync = {} # pid -> fd of an unfinished fdatasync
headers = {}      # socket fd -> index of a "201 Created" waiting for its body
checked = 0
bad = []

for i, line in enumerate(lines):
    m = re.match(r'(\d+)\s+(.*)', line)
    if not m:
        continue
    pid, call = m.groups()
    o = re.match(r'openat\(AT_FDCWD, "[^"]*/bookings\.journal", O_WRONLY[^)]*\) = (\d+)', call)
    if o:
        journal_fds.add(o.group(1))
        continue
    # (a write may show as "<unfinished ...>" while another thread runs;
    # the same thread's fdatasync comes after it either way)
    w = re.match(r'write\((\d+), "(.*)"', call)
    if w and w.group(1) in journal_fds:
        for bid in re.findall(r'\\"put\\":\{\\"id\\":\\"([^\\"]+)', w.group(2)):
            written[bid] = i
        continue
    f = re.match(r'fdatasync\((\d+)\)\s+= 0', call)
    if f and f.group(1) in journal_fds:
        synced.append(i)
        continue
    f = re.match(r'fdatasync\((\d+) <unfinished', call)
    if f:
        pending_sync[pid] = f.group(1)
        continue
    if re.match(r'<\.\.\. fdatasync resumed>\)\s+= 0', call) and pending_sync.get(pid) in journal_fds:
        synced.append(i)
        continue
    s = re.match(r'(?:sendto|write|sendmsg|writev)\((\d+), (.*)', call)
    if s:
        fd, rest = s.groups()
        if fd in journal_fds:
            continue
        if 'HTTP/1.1 201 Created' in rest:
            headers[fd] = i
        b = re.search(r'\{\\"booking\\":\{\\"id\\":\\"([^\\"]+)', rest)
        if b and fd in headers:
            bid = b.group(1)
            first = headers.pop(fd)
            checked += 1
            if bid not in written:
                bad.append('%s: its 201 left with no journal write before it' % bid)
            elif not any(written[bid] < s_ < first for s_ in synced):
                bad.append('%s: its 201 left before the journal was synced' % bid)

for b in bad:
    print('#', b)
print('# %d answers checked' % checked)
sys.exit(0 if checked > 0 and not bad else 1)
