/*
 * Reproducible pseudo-random data. splitmix64 (Steele, Lea, Flood 2014)
 * is tiny, fast and has a state that simply counts by a constant, so any
 * position of its output can be reached in O(1): the shell's
 * `write PATH OFF LEN SEED` fills files from it, and the host regenerates
 * the same bytes (scripts/stream.py) to check what landed on disk.
 */
#ifndef _RANDOM_H
#define _RANDOM_H

#include "types.h"

#define SPLITMIX64_GAMMA 0x9e3779b97f4a7c15ULL

struct splitmix64 {
	u64 state;
};

void splitmix64_seed(struct splitmix64 *s, u64 seed);
u64 splitmix64_next(struct splitmix64 *s);

/*
 * The byte stream of a seed: each 64-bit output as 8 little-endian
 * bytes. A cursor reads it in chunks of any size from any position.
 */
struct stream {
	struct splitmix64 s; /* generates the word after cur */
	u64 pos; /* byte position of the next byte */
	u64 cur; /* the word holding pos, if pos % 8 != 0 */
};

void stream_init(struct stream *st, u64 seed);
/* Move the cursor to byte pos, in O(1). */
void stream_seek(struct stream *st, u64 seed, u64 pos);
void stream_read(struct stream *st, void *buf, size_t len);
/* Bytes pos .. pos + len - 1 of the stream for seed. */
void stream_bytes(u64 seed, u64 pos, void *buf, size_t len);

#endif
