#!/usr/bin/env python3
"""An idle system's changes reach the disk within 10 s (docs/durability.md).

Boots the 1 KiB image, creates files and a directory, renames, removes
and truncates, checks that cachestat counts dirty inodes and metadata
buffers, then leaves the system idle for 12 s: cachestat now shows
nothing dirty, and QEMU is killed (a power cut, no sync, no unmount).
The disk alone must pass `e2fsck -fn` and hold every file byte for byte.
Before the flusher wrote inodes and metadata, e2fsck found "Entry 'f'
has deleted/unused inode" here.
"""

import os
import re
import shutil
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fs_image import dump_files, fsck, stream  # noqa: E402
from qemu_shell import Guest  # noqa: E402

IDLE_S = 12
failures = []


def fail(msg):
    print("FAIL: " + msg)
    failures.append(msg)


def metadata_counts(lines):
    for ln in lines:
        m = re.match(r"metadata dirty_inodes (\d+) dirty_buffers (\d+)$", ln)
        if m:
            return int(m.group(1)), int(m.group(2))
    fail("no metadata line in cachestat: %r" % lines)
    return None, None


def main():
    build = os.environ.get("BUILD", "build")
    tmp = tempfile.mkdtemp(prefix="idle.")
    try:
        disk = os.path.join(tmp, "disk.img")
        shutil.copyfile(os.path.join(build, "images", "ext2-1k.img"), disk)
        log = os.path.join(tmp, "console.log")
        want = {"/f": stream(7, 4096), "/d/g": stream(8, 100000),
                "/d/moved": stream(9, 3000),
                "/sizes/s_4097": stream(10, 4097)[:1000]}
        with Guest(disk, log=log) as g:
            g.start()
            for cmd in ("write /f 0 4096 7", "mkdir /d",
                        "write /d/g 0 100000 8", "write /d/h 0 3000 9",
                        "mv /d/h /d/moved", "rm /sizes/s_1",
                        "write /sizes/s_4097 0 4097 10",
                        "truncate /sizes/s_4097 1000"):
                out = g.command(cmd)
                if out:
                    fail("%s: %r" % (cmd, out))
            inodes, buffers = metadata_counts(g.command("cachestat"))
            if not inodes or not buffers:
                fail("cachestat shows no dirty metadata after the writes")
            time.sleep(IDLE_S)
            stat = g.command("cachestat")
            if not any(re.match(r"cached \d+ dirty 0 ", ln) for ln in stat):
                fail("dirty pages left after %d s idle: %r" % (IDLE_S, stat))
            if metadata_counts(stat) != (0, 0):
                fail("dirty metadata left after %d s idle: %r" %
                     (IDLE_S, stat))
            g.kill()
        st, report = fsck(disk, "-fn")
        if st != 0:
            fail("e2fsck -fn after the power cut: %d\n%s" % (st, report))
        got = dump_files(disk, list(want) + ["/sizes/s_1", "/d/h"], tmp)
        for path, data in want.items():
            if got[path] != data:
                fail("%s: %s on the disk" % (
                    path, "missing" if got[path] is None else
                    "%d bytes, not the %d written" % (len(got[path]),
                                                      len(data))))
        for path in ("/sizes/s_1", "/d/h"):
            if got[path] is not None:
                fail("%s still on the disk" % path)
        if failures:
            with open(log, errors="replace") as f:
                print(f.read()[-3000:])
    finally:
        shutil.rmtree(tmp)
    if failures:
        print("%d check(s) failed" % len(failures))
        return 1
    print("all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
