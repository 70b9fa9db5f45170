/*
 * splitmix64 and the byte stream built on it. The generator's state after
 * n outputs is seed + n * gamma, which is what makes seeking free.
 */
#include "random.h"

void splitmix64_seed(struct splitmix64 *s, u64 seed)
{
	s->state = seed;
}

u64 splitmix64_next(struct splitmix64 *s)
{
	u64 z;

	s->state += SPLITMIX64_GAMMA;
	z = s->state;
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

void stream_seek(struct stream *st, u64 seed, u64 pos)
{
	/* The state just before word pos / 8 (mod 2^64, like the counter). */
	splitmix64_seed(&st->s, seed + (pos / 8) * SPLITMIX64_GAMMA);
	st->pos = pos;
	st->cur = 0;
	if (pos % 8)
		st->cur = splitmix64_next(&st->s);
}

void stream_init(struct stream *st, u64 seed)
{
	stream_seek(st, seed, 0);
}

static void store_le64(u8 *p, u64 v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (u8)(v >> (8 * i));
}

void stream_read(struct stream *st, void *buf, size_t len)
{
	u8 *p = buf;

	/* The tail of a word already started. */
	for (; len && st->pos % 8; len--, st->pos++)
		*p++ = (u8)(st->cur >> (8 * (st->pos % 8)));
	for (; len >= 8; len -= 8, p += 8, st->pos += 8)
		store_le64(p, splitmix64_next(&st->s));
	if (len)
		st->cur = splitmix64_next(&st->s);
	for (; len; len--, st->pos++)
		*p++ = (u8)(st->cur >> (8 * (st->pos % 8)));
}

void stream_bytes(u64 seed, u64 pos, void *buf, size_t len)
{
	struct stream st;

	stream_seek(&st, seed, pos);
	stream_read(&st, buf, len);
}
