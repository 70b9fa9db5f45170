#!/usr/bin/env python3
"""Check files in an ext2 image against what the shell's `write` made.

    fs-check-files.py IMG SPEC...

Each SPEC is PATH=PIECE[+PIECE...] with PIECE either SEED:LEN (LEN bytes of
the splitmix64 stream SEED, from its start) or z:LEN (LEN zero bytes). The
file dumped with debugfs must be exactly the pieces in order. A SPEC of
PATH=- means PATH must not exist. Prints one line per mismatch; exits 1 if
any.
"""
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "../../scripts"))
import importlib.util  # noqa: E402

spec = importlib.util.spec_from_file_location(
    "stream", os.path.join(os.path.dirname(__file__), "../../scripts/stream.py"))
stream = importlib.util.module_from_spec(spec)
spec.loader.exec_module(stream)


def expected(pieces):
    out = bytearray()
    for p in pieces.split("+"):
        a, n = p.split(":")
        out += bytes(int(n)) if a == "z" else stream.stream_bytes(int(a, 0), 0, int(n))
    return bytes(out)


def main(img, specs):
    bad = 0
    with tempfile.TemporaryDirectory() as tmp:
        for s in specs:
            path, pieces = s.split("=", 1)
            dump = os.path.join(tmp, "f")
            if os.path.exists(dump):
                os.unlink(dump)
            r = subprocess.run(["debugfs", "-R", "dump %s %s" % (path, dump), img],
                               capture_output=True, text=True)
            exists = os.path.exists(dump) and "not found" not in r.stderr
            if pieces == "-":
                if exists:
                    print("%s: exists, should not" % path)
                    bad += 1
                continue
            if not exists:
                print("%s: missing (%s)" % (path, r.stderr.strip().splitlines()[-1:]))
                bad += 1
                continue
            got = open(dump, "rb").read()
            want = expected(pieces)
            if got != want:
                at = next((i for i in range(min(len(got), len(want)))
                           if got[i] != want[i]), min(len(got), len(want)))
                print("%s: %d bytes, want %d; first difference at %d" %
                      (path, len(got), len(want), at))
                bad += 1
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2:]))
