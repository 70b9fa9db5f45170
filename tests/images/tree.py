"""The test tree: which files exist, where their data lies, what they hold.

Every file is a list of chunks (offset, length, seed) plus a final size;
chunk bytes are the splitmix64 stream for its seed from position 0, the
same bytes the shell's `write PATH OFF LEN SEED` produces. Whatever is not
covered by a chunk is a hole. Keeping the tree as data (not as files) lets
the builder compute the manifest before the image exists and lets tests
recompute any file's expected bytes.
"""

import hashlib
import os
import struct

KIB = 1024
MIB = 1024 * KIB
GIB = 1024 * MIB

_MASK = (1 << 64) - 1


def splitmix64(seed, nbytes):
    """nbytes of the stream: each 64-bit output as 8 little-endian bytes."""
    out = bytearray()
    state = seed & _MASK
    words = (nbytes + 7) // 8
    pack = struct.Struct("<Q").pack
    for _ in range(words):
        state = (state + 0x9E3779B97F4A7C15) & _MASK
        z = state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK
        out += pack(z ^ (z >> 31))
    return bytes(out[:nbytes])


class File:
    def __init__(self, path, chunks, size=None):
        self.path = path
        self.chunks = chunks            # [(offset, length, seed)]
        end = max((o + n for o, n, _ in chunks), default=0)
        self.size = end if size is None else size
        assert self.size >= end

    def write_host(self, host_path):
        """Write sparsely: holes are seeks, so they cost no host space."""
        with open(host_path, "wb") as f:
            for off, length, seed in self.chunks:
                f.seek(off)
                f.write(splitmix64(seed, length))
            f.truncate(self.size)

    def sha256(self):
        h = hashlib.sha256()
        pos = 0
        zero = bytes(MIB)
        for off, length, seed in sorted(self.chunks):
            _feed_zeros(h, off - pos, zero)
            h.update(splitmix64(seed, length))
            pos = off + length
        _feed_zeros(h, self.size - pos, zero)
        return h.hexdigest()


def _feed_zeros(h, n, zero):
    while n > 0:
        step = min(n, len(zero))
        h.update(zero[:step])
        n -= step


def _seeds():
    seed = 1000
    while True:
        seed += 1
        yield seed


# Sizes around 512-byte sectors, 1/2/4 KiB blocks, pages, the 12 direct
# blocks (12 KiB, 24 KiB, 48 KiB) and the end of the single-indirect
# range for 1 KiB blocks (12 + 256 blocks).
SIZES = sorted({0, 1, 511, 512, 513, 1023, 1024, 1025, 2047, 2048, 2049,
                4095, 4096, 4097, 8191, 8192, 8193, 12287, 12288, 12289,
                16383, 16384, 16385, 24575, 24576, 24577, 49151, 49152,
                49153, 65535, 65536, 65537, 268 * KIB - 1, 268 * KIB,
                268 * KIB + 1, MIB + 1})


def regular_files(large=True):
    """The files mke2fs -d copies. large=False drops those over 2 GiB
    (revision 0 has no large_file)."""
    seed = _seeds()
    files = []
    for n in SIZES:
        files.append(File("/sizes/s_%d" % n, [(0, n, next(seed))] if n else []))

    files += [
        File("/holes/start", [(40 * KIB, 5000, next(seed))]),
        File("/holes/middle", [(0, 6000, next(seed)),
                               (100000, 7000, next(seed))]),
        File("/holes/end", [(0, 5000, next(seed))], size=200000),
        File("/holes/only", [], size=100000),
        File("/holes/unaligned", [(1000, 100, next(seed)),
                                  (9000, 3000, next(seed)),
                                  (70001, 1, next(seed))]),
        # Holes smaller than a block, between data in one block.
        File("/holes/subblock", [(0, 10, next(seed)),
                                 (600, 10, next(seed))], size=3000),
        # Contiguous across direct -> single -> double at 1 and 2 KiB
        # blocks, direct -> single at 4 KiB: the many-blocks-per-call and
        # BH_Boundary cases.
        File("/indirect/dense", [(0, 1200 * KIB, next(seed))]),
        # Double indirect at every block size: 300 KiB (1 KiB blocks),
        # 1.5 MiB (2 KiB), 5 MiB (4 KiB).
        File("/indirect/double", [(0, 8 * KIB, next(seed)),
                                  (300 * KIB, 8 * KIB, next(seed)),
                                  (1536 * KIB, 8 * KIB, next(seed)),
                                  (5 * MIB + 123, 9000, next(seed))]),
        # Triple indirect at 1 KiB blocks (past 64.26 MiB), double at 2
        # and 4 KiB.
        File("/indirect/triple", [(0, 4 * KIB, next(seed)),
                                  (65 * MIB, 8 * KIB, next(seed)),
                                  (65 * MIB + 300 * KIB + 5, 5000,
                                   next(seed))]),
        # Triple indirect at 2 KiB blocks (past 256.5 MiB).
        File("/indirect/triple2k", [(0, 4 * KIB, next(seed)),
                                    (260 * MIB, 8 * KIB, next(seed)),
                                    (260 * MIB + 70 * KIB + 1, 3000,
                                     next(seed))]),
    ]
    # Triple indirect at 4 KiB blocks: past (12 + 1024 + 1024^2) blocks,
    # 4 GiB + 4152 KiB; over 2 GiB, so it needs large_file.
    huge = File("/indirect/huge", [(0, 4 * KIB, next(seed)),
                                   (3 * GIB, 4 * KIB, next(seed)),
                                   (4 * GIB + 8 * MIB, 8 * KIB, next(seed)),
                                   (4 * GIB + 9 * MIB + 1, 3000, next(seed))])
    if large:
        files.append(huge)

    for i in range(1000):
        # Names of varied length make varied rec_len; a few hold data.
        name = "e%04d%s" % (i, "x" * (i % 13))
        chunks = [(0, 100 + i, next(seed))] if i % 100 == 7 else []
        files.append(File("/bigdir/" + name, chunks))

    deep = "".join("/d%02d" % i for i in range(1, 21))
    files.append(File("/deep" + deep + "/leaf", [(0, 777, next(seed))]))
    files.append(File("/names/" + "n" * 255, [(0, 255, next(seed))]))
    files.append(File("/names/x", [(0, 1, next(seed))]))
    files.append(File("/names/with space", [(0, 20, next(seed))]))
    files.append(File("/hardlink/a", [(0, 3000, next(seed))]))
    return files


HARDLINKS = {"/hardlink/b": "/hardlink/a"}
EMPTY_DIRS = ["/empty_dir"]
DEEP_DIR = "/deep" + "".join("/d%02d" % i for i in range(1, 21))

# path -> target. ext2 keeps a target shorter than 60 bytes in i_block
# (fast); 60 bytes or more go to a data block (slow).
SYMLINKS = {
    "/links/fast": "../sizes/s_4096",
    # 59 and 60 bytes, both resolving to /sizes/s_1.
    "/links/fast59": "../sizes/" + "./" * 23 + "/s_1",
    "/links/slow60": "../sizes/" + "./" * 24 + "s_1",
    "/links/slow": ".." + DEEP_DIR + "/leaf",
    "/links/abs": "/sizes/s_1",
    "/links/dir": "../deep",
    "/links/dangling": "no/such/file",
    "/links/loop1": "loop2",
    "/links/loop2": "loop1",
}


def frag_files(seed_base=5000):
    """Files debugfs writes after mke2fs: 24 small ones, every other one
    deleted again, then a big one that must fill the gaps."""
    small = [File("/frag/f%02d" % i, [(0, 8 * KIB, seed_base + i)])
             for i in range(24)]
    keep = [f for i, f in enumerate(small) if i % 2 == 0]
    gone = [f for i, f in enumerate(small) if i % 2 == 1]
    big = File("/frag/big", [(0, 200 * KIB + 17, seed_base + 100)])
    return keep, gone, big


def bench_file():
    return File("/bench/64M", [(0, 64 * MIB, 64)])


def make_tree(root, files):
    for f in files:
        host = root + f.path
        os.makedirs(os.path.dirname(host), exist_ok=True)
        f.write_host(host)
    for link, target in HARDLINKS.items():
        if any(f.path == target for f in files):
            os.link(root + target, root + link)
    for d in EMPTY_DIRS:
        os.makedirs(root + d, exist_ok=True)


def make_symlinks(root):
    for link, target in SYMLINKS.items():
        os.makedirs(os.path.dirname(root + link), exist_ok=True)
        os.symlink(target, root + link)


# Hashing a file costs time proportional to its size, holes included; in
# a guest under TCG a 4 GiB file takes minutes. Files above this size go
# to a second list (MANIFEST-big.sha256) that a test runs only on purpose.
BIG = 128 * MIB


def manifest(files, big=False):
    """sha256sum format, paths as the kernel sees them, sorted."""
    lines = []
    for f in files:
        if (f.size > BIG) != big:
            continue
        lines.append((f.path, f.sha256()))
        for link, target in HARDLINKS.items():
            if target == f.path:
                lines.append((link, lines[-1][1]))
    return "".join("%s  %s\n" % (h, p) for p, h in sorted(lines))
