"""Host-side checks of an ext2 image the kernel wrote (for the Python
system tests): e2fsck, and the bytes of files as debugfs dumps them,
compared with the splitmix64 stream scripts/stream.py regenerates.

    fsck(img, "-fn")              -> (exit status, report)
    dump_files(img, paths, tmp)   -> {path: bytes or None}
    stream(seed, length)          -> the bytes `write PATH 0 LEN SEED` wrote
"""

import importlib.machinery
import os
import subprocess

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
_stream = importlib.machinery.SourceFileLoader(
    "stream", os.path.join(ROOT, "scripts", "stream.py")).load_module()


def stream(seed, length, pos=0):
    return _stream.stream_bytes(seed, pos, length)


def fsck(img, flags):
    r = subprocess.run(["e2fsck", flags, img], stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, text=True)
    return r.returncode, r.stdout


def dump_files(img, paths, tmp):
    """Each path's bytes in img (None if debugfs cannot dump it)."""
    outs = {}
    script = os.path.join(tmp, "dump.cmds")
    with open(script, "w") as f:
        for i, p in enumerate(paths):
            outs[p] = os.path.join(tmp, "dump.%d" % i)
            if os.path.exists(outs[p]):
                os.unlink(outs[p])
            f.write('dump "%s" %s\n' % (p, outs[p]))
    subprocess.run(["debugfs", "-f", script, img], stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    got = {}
    for p, out in outs.items():
        if os.path.exists(out):
            with open(out, "rb") as f:
                got[p] = f.read()
            os.unlink(out)
        else:
            got[p] = None
    return got
