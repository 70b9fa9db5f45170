#!/usr/bin/env python3
"""Power cuts during a random workload (docs/durability.md).

A seeded random workload (create, append, overwrite, truncate, rename,
remove, mkdir, fsync, sync) runs in the shell of one boot per image (the
1 KiB image on virtio, the 4 KiB one on AHCI). At several points, after
a command or while one runs, QEMU is frozen and its disk copied: the
disk a power cut at that instant would leave. At the end QEMU is killed.
Each such disk must come out of `e2fsck -fy` clean (a second `e2fsck
-fn` finds nothing), with every file whose fsync (or a later sync)
completed, and which was not touched since, byte-exact at its path.

    53-fs-power-cut.py [--seeds S1,S2,...] [--ops N] [--cuts K]

`make power-cut` runs a longer campaign (more seeds); any failure names
the seed and the cut so it can be replayed.
"""

import argparse
import os
import random
import shutil
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fs_image import dump_files, fsck, stream  # noqa: E402
from qemu_shell import Guest  # noqa: E402

DIRS = ["/pc", "/pc/a", "/pc/b"]
NAMES = ["f%d" % i for i in range(6)]


class Workload:
    """The model: what every file holds, and which of them are durable."""

    def __init__(self, rng):
        self.rng = rng
        self.files = {}  # path -> bytearray
        self.dirs = set()
        self.durable = {}  # path -> bytes, fsynced or synced, untouched
        self.seed = 100

    def paths(self):
        return sorted(self.files)

    def new_path(self):
        dirs = sorted(self.dirs)
        return "%s/%s" % (self.rng.choice(dirs), self.rng.choice(NAMES))

    def length(self):
        r = self.rng.random()
        if r < 0.5:
            return self.rng.randint(1, 5000)
        if r < 0.85:
            return self.rng.randint(5000, 60000)
        return self.rng.randint(60000, 400000)

    def next_op(self):
        """(shell command, paths it touches, apply function)."""
        missing = [d for d in DIRS if d not in self.dirs]
        if missing and (not self.dirs or self.rng.random() < 0.15):
            d = missing[0]
            return "mkdir " + d, [], lambda: self.dirs.add(d)
        files = self.paths()
        r = self.rng.random()
        if not files or r < 0.25:
            return self._write(self.new_path(), 0)
        p = self.rng.choice(files)
        if r < 0.40:
            return self._write(p, len(self.files[p]))
        if r < 0.48:
            return self._write(p, self.rng.randint(0, len(self.files[p])))
        if r < 0.53:
            size = self.rng.randint(0, len(self.files[p]))
            return ("truncate %s %d" % (p, size), [p],
                    lambda: self._truncate(p, size))
        if r < 0.62:
            q = self.new_path()
            while q == p:
                q = self.new_path()
            return "mv %s %s" % (p, q), [p, q], lambda: self._rename(p, q)
        if r < 0.68:
            return "rm " + p, [p], lambda: self._remove(p)
        if r < 0.93:
            return "fsync " + p, [], lambda: self._fsync(p)
        return "sync", [], self._sync

    def _write(self, p, off):
        n, self.seed = self.length(), self.seed + 1
        seed = self.seed

        def apply():
            data = self.files.setdefault(p, bytearray())
            if len(data) < off:
                data.extend(bytes(off - len(data)))
            data[off:off + n] = stream(seed, n)
        return "write %s %d %d %d" % (p, off, n, seed), [p], apply

    def _truncate(self, p, size):
        del self.files[p][size:]

    def _rename(self, p, q):
        self.files[q] = self.files.pop(p)

    def _remove(self, p):
        del self.files[p]

    def _fsync(self, p):
        self.durable[p] = bytes(self.files[p])

    def _sync(self):
        self.durable = {p: bytes(d) for p, d in self.files.items()}

    def touch(self, paths):
        for p in paths:
            self.durable.pop(p, None)


def check_disk(img, durable, tmp, what):
    """Failure messages for one power-cut disk ([] if it passes)."""
    errs = []
    st, report = fsck(img, "-fy")
    if st > 1:
        return ["%s: e2fsck -fy exit %d\n%s" % (what, st, report[-2000:])]
    st, report = fsck(img, "-fn")
    if st != 0:
        return ["%s: not clean after e2fsck -fy (%d)\n%s" %
                (what, st, report[-2000:])]
    got = dump_files(img, sorted(durable), tmp)
    for p in sorted(durable):
        want = durable[p]
        if got[p] is None:
            errs.append("%s: %s (fsynced, %d bytes) is gone" %
                        (what, p, len(want)))
        elif got[p] != want:
            errs.append("%s: %s is %d bytes, differs from the %d fsynced" %
                        (what, p, len(got[p]), len(want)))
    return errs


def run_image(image, bus, seed, nops, ncuts, build, tmp):
    rng = random.Random("%s/%d" % (image, seed))
    w = Workload(rng)
    disk = os.path.join(tmp, "disk.img")
    shutil.copyfile(os.path.join(build, "images", image + ".img"), disk)
    log = os.path.join(tmp, "console-%s-%d.log" % (image, seed))
    cuts = sorted(rng.sample(range(1, nops), ncuts - 1))
    errs, checked, cuts_failed = [], 0, 0
    with Guest(disk, bus=bus, log=log) as g:
        g.start()
        for i in range(nops):
            cmd, touched, apply = w.next_op()
            during = i in cuts and rng.random() < 0.6
            started = g.begin(cmd)
            if during:
                time.sleep(rng.random() ** 2 * 0.02)
                snap = os.path.join(tmp, "cut.img")
                g.snapshot(snap)
                during = "during" if not g.done(started) else "just after"
                durable = dict(w.durable)
                for p in touched:
                    durable.pop(p, None)
            out = g.finish(started)
            if out:
                errs.append("%s seed %d: %s: %r" % (image, seed, cmd, out))
            w.touch(touched)
            apply()
            if i in cuts and not during:
                snap = os.path.join(tmp, "cut.img")
                g.snapshot(snap)
                durable = dict(w.durable)
            if i in cuts:
                what = "%s seed %d cut %d (%s '%s')" % (
                    image, seed, i, during or "after", cmd)
                bad = check_disk(snap, durable, tmp, what)
                print("%s: %d fsynced files, %s" %
                      (what, len(durable), "FAIL" if bad else "ok"))
                errs += bad
                cuts_failed += bool(bad)
                checked += 1
        # The last cut: QEMU killed in the middle of one more command.
        cmd, touched, _ = w.next_op()
        g.begin(cmd)
        time.sleep(rng.random() * 0.03)
        g.kill()
    w.touch(touched)
    what = "%s seed %d final kill ('%s')" % (image, seed, cmd)
    bad = check_disk(disk, w.durable, tmp, what)
    print("%s: %d fsynced files, %s" %
          (what, len(w.durable), "FAIL" if bad else "ok"))
    errs += bad
    cuts_failed += bool(bad)
    checked += 1
    if errs:
        with open(log, errors="replace") as f:
            errs.append("console tail:\n" + f.read()[-2500:])
    return checked, cuts_failed, errs


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", default="1")
    ap.add_argument("--ops", type=int, default=70)
    ap.add_argument("--cuts", type=int, default=6)
    args = ap.parse_args()
    build = os.environ.get("BUILD", "build")
    total, total_failed, failed = 0, 0, []
    for seed in [int(s) for s in args.seeds.split(",")]:
        for image, bus in (("ext2-1k", "virtio"), ("ext2-4k", "ahci")):
            tmp = tempfile.mkdtemp(prefix="powercut.")
            try:
                n, nfail, errs = run_image(image, bus, seed, args.ops,
                                           args.cuts, build, tmp)
            finally:
                shutil.rmtree(tmp)
            total += n
            total_failed += nfail
            print("%s on %s, seed %d: %d power cuts, %s" %
                  (image, bus, seed, n, "FAIL" if errs else "ok"))
            for e in errs:
                print("FAIL: " + e)
            failed += errs
    print("note: %d power cuts checked, %d passed" %
          (total, total - total_failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
