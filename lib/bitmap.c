/*
 * Bitmap searches and range operations. The searches look at a word (or
 * a byte, for the on-disk form) at a time: a full 0 or ~0 word is skipped
 * in one step, and __ffs finds the bit inside the first interesting one.
 */
#include "bitmap.h"
#include "compiler.h"
#include "string.h"

/*
 * Shared by both searches: invert = ~0UL looks for zeros (search the
 * complement for ones), 0 looks for ones.
 */
static unsigned long find_next(const unsigned long *addr, unsigned long size,
			       unsigned long offset, unsigned long invert)
{
	unsigned long word;

	if (offset >= size)
		return size;
	/* Mask off the bits below offset in its word. */
	word = (addr[BIT_WORD(offset)] ^ invert) &
	       (~0UL << (offset % BITS_PER_LONG));
	offset = ALIGN_DOWN(offset, BITS_PER_LONG);
	while (!word) {
		offset += BITS_PER_LONG;
		if (offset >= size)
			return size;
		word = addr[BIT_WORD(offset)] ^ invert;
	}
	/* Bits past size in the last word are not ours: clamp. */
	return min(offset + __ffs(word), size);
}

unsigned long find_next_bit(const unsigned long *addr, unsigned long size,
			    unsigned long offset)
{
	return find_next(addr, size, offset, 0);
}

unsigned long find_next_zero_bit(const unsigned long *addr, unsigned long size,
				 unsigned long offset)
{
	return find_next(addr, size, offset, ~0UL);
}

/* Mask of bits lo .. hi - 1 of one word, 0 <= lo < hi <= 64. */
static unsigned long range_mask(unsigned long lo, unsigned long hi)
{
	unsigned long upper = hi == BITS_PER_LONG ? ~0UL : BIT(hi) - 1;

	return upper & (~0UL << lo);
}

/* Apply set or clear to each word the range touches. */
static void bitmap_range(unsigned long *map, unsigned long start,
			 unsigned long nbits, bool set)
{
	unsigned long end = start + nbits;

	while (start < end) {
		unsigned long lo = start % BITS_PER_LONG;
		unsigned long hi = min(end - ALIGN_DOWN(start, BITS_PER_LONG),
				       (unsigned long)BITS_PER_LONG);
		unsigned long mask = range_mask(lo, hi);

		if (set)
			map[BIT_WORD(start)] |= mask;
		else
			map[BIT_WORD(start)] &= ~mask;
		start += hi - lo;
	}
}

void bitmap_set(unsigned long *map, unsigned long start, unsigned long nbits)
{
	bitmap_range(map, start, nbits, true);
}

void bitmap_clear(unsigned long *map, unsigned long start, unsigned long nbits)
{
	bitmap_range(map, start, nbits, false);
}

unsigned long bitmap_weight(const unsigned long *map, unsigned long nbits)
{
	unsigned long n = 0, i;

	for (i = 0; i < nbits / BITS_PER_LONG; i++)
		n += hweight64(map[i]);
	if (nbits % BITS_PER_LONG)
		n += hweight64(map[i] & range_mask(0, nbits % BITS_PER_LONG));
	return n;
}

void bitmap_zero(unsigned long *map, unsigned long nbits)
{
	memset(map, 0, BITS_TO_LONGS(nbits) * sizeof(unsigned long));
}

/* The byte-array twin of find_next(), for on-disk bitmaps. */
static unsigned long find_next_le(const u8 *addr, unsigned long size,
				  unsigned long offset, u8 invert)
{
	unsigned int byte;

	if (offset >= size)
		return size;
	byte = (u8)((addr[offset / 8] ^ invert) & (0xffU << (offset % 8)));
	offset = ALIGN_DOWN(offset, 8UL);
	while (!byte) {
		offset += 8;
		if (offset >= size)
			return size;
		byte = (u8)(addr[offset / 8] ^ invert);
	}
	return min(offset + (unsigned long)__builtin_ctz(byte), size);
}

unsigned long find_next_zero_bit_le(const void *addr, unsigned long size,
				    unsigned long offset)
{
	return find_next_le(addr, size, offset, 0xff);
}

unsigned long find_next_bit_le(const void *addr, unsigned long size,
			       unsigned long offset)
{
	return find_next_le(addr, size, offset, 0);
}
