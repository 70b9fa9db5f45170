#!/usr/bin/env python3
"""Write bytes of the splitmix64 stream for SEED to stdout.

The same stream as the kernel's lib/random.c (and the shell's
`write PATH OFF LEN SEED`): each 64-bit output as 8 little-endian bytes.

    stream.py SEED LEN [--skip N]     bytes N .. N+LEN-1 (N defaults to 0)

SEED, LEN and N take decimal or 0x-prefixed hex.
"""
import argparse
import struct
import sys

GAMMA = 0x9E3779B97F4A7C15
MASK = (1 << 64) - 1


def word(state):
    """splitmix64's output for a state already advanced by GAMMA."""
    z = state
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
    return z ^ (z >> 31)


def stream_bytes(seed, pos, length):
    """Bytes pos .. pos+length-1 of the stream, as one bytes object."""
    first = pos // 8
    last = (pos + length + 7) // 8
    state = (seed + first * GAMMA) & MASK
    words = []
    for _ in range(first, last):
        state = (state + GAMMA) & MASK
        words.append(word(state))
    raw = struct.pack("<%dQ" % len(words), *words)
    start = pos - first * 8
    return raw[start:start + length]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("seed", type=lambda s: int(s, 0))
    ap.add_argument("length", type=lambda s: int(s, 0))
    ap.add_argument("--skip", type=lambda s: int(s, 0), default=0)
    args = ap.parse_args()
    if args.length < 0 or args.skip < 0 or not 0 <= args.seed <= MASK:
        ap.error("SEED must fit 64 bits; LEN and --skip must be >= 0")
    out = sys.stdout.buffer
    chunk = 1 << 20
    pos, left = args.skip, args.length
    while left:
        n = min(chunk, left)
        out.write(stream_bytes(args.seed & MASK, pos, n))
        pos += n
        left -= n
    out.flush()


if __name__ == "__main__":
    main()
