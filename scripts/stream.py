#!/usr/bin/env python3
"""Write bytes of the splitmix64 stream for SEED to stdout.

The same stream as the kernel's lib/random.c (and the shell's
`write PATH OFF LEN SEED`): each 64-bit output as 8 little-endian bytes.

    stream.py SEED LEN [--skip N]     bytes N .. N+LEN-1 (N defaults to 0)

SEED, LEN and N are read as the kernel's shell reads them: decimal
(a leading 0 is not octal: 010 is ten) or 0x-prefixed hex; LEN and N
may end in k, M or G (times 2^10, 2^20, 2^30), as `write PATH OFF LEN
SEED` takes them.
"""
import argparse
import re
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


def number(s):
    """Decimal or 0x hex, as shell/args.c's shell_parse_u64."""
    if re.fullmatch(r"0[xX][0-9a-fA-F]+", s):
        return int(s, 16)
    if re.fullmatch(r"[0-9]+", s):
        return int(s, 10)
    raise argparse.ArgumentTypeError("%s: not a number (decimal or 0x hex)"
                                     % s)


def size(s):
    """A number with an optional k, M or G (shell_parse_size)."""
    shift = {"k": 10, "m": 20, "g": 30}.get(s[-1:].lower(), 0)
    try:
        return number(s[:-1] if shift else s) << shift
    except argparse.ArgumentTypeError:
        raise argparse.ArgumentTypeError(
            "%s: not a size (decimal or 0x hex, with an optional k, M or G)"
            % s) from None


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("seed", type=number)
    ap.add_argument("length", type=size)
    ap.add_argument("--skip", type=size, default=0)
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
