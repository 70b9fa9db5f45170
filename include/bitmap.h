/*
 * Bitmaps: arrays of unsigned long in which bit n is bit n % 64 of word
 * n / 64 (the allocator's and the block layer's), and, separately, the
 * little-endian on-disk bitmaps of ext2, where bit n is bit n % 8 of
 * byte n / 8 whatever the CPU. The searches return size when nothing
 * is found, as Linux's do.
 */
#ifndef _BITMAP_H
#define _BITMAP_H

#include "bitops.h"
#include "types.h"

#define BITS_TO_LONGS(nbits) (((nbits) + BITS_PER_LONG - 1) / BITS_PER_LONG)
#define DECLARE_BITMAP(name, nbits) unsigned long name[BITS_TO_LONGS(nbits)]

/*
 * Number of set bits in w. Written out (SWAR: sum bit pairs, nibbles,
 * then bytes by multiplication) because __builtin_popcount needs
 * libgcc's __popcountdi2 on CPUs without POPCNT, and the kernel has
 * no libgcc.
 */
static inline unsigned int hweight64(u64 w)
{
	w = w - ((w >> 1) & 0x5555555555555555ULL);
	w = (w & 0x3333333333333333ULL) + ((w >> 2) & 0x3333333333333333ULL);
	w = (w + (w >> 4)) & 0x0f0f0f0f0f0f0f0fULL;
	return (unsigned int)((w * 0x0101010101010101ULL) >> 56);
}

unsigned long find_next_bit(const unsigned long *addr, unsigned long size,
			    unsigned long offset);
unsigned long find_next_zero_bit(const unsigned long *addr, unsigned long size,
				 unsigned long offset);

static inline unsigned long find_first_bit(const unsigned long *addr,
					   unsigned long size)
{
	return find_next_bit(addr, size, 0);
}

static inline unsigned long find_first_zero_bit(const unsigned long *addr,
						unsigned long size)
{
	return find_next_zero_bit(addr, size, 0);
}

/* Set or clear bits start .. start + nbits - 1 (not atomic). */
void bitmap_set(unsigned long *map, unsigned long start, unsigned long nbits);
void bitmap_clear(unsigned long *map, unsigned long start, unsigned long nbits);
/* Number of set bits among the first nbits. */
unsigned long bitmap_weight(const unsigned long *map, unsigned long nbits);
void bitmap_zero(unsigned long *map, unsigned long nbits);

/*
 * Little-endian (ext2 on-disk) bitmaps on byte arrays. Not atomic: the
 * caller holds the lock that guards the bitmap block.
 */
static inline bool test_bit_le(unsigned long nr, const void *addr)
{
	return (((const u8 *)addr)[nr / 8] >> (nr % 8)) & 1;
}

static inline void set_bit_le(unsigned long nr, void *addr)
{
	((u8 *)addr)[nr / 8] |= (u8)(1U << (nr % 8));
}

static inline void clear_bit_le(unsigned long nr, void *addr)
{
	((u8 *)addr)[nr / 8] &= (u8) ~(1U << (nr % 8));
}

/*
 * These return the old value: a 1 from set (or a 0 from clear) means a
 * double allocation (or free), which ext2 reports as corruption.
 */
static inline bool test_and_set_bit_le(unsigned long nr, void *addr)
{
	bool old = test_bit_le(nr, addr);

	set_bit_le(nr, addr);
	return old;
}

static inline bool test_and_clear_bit_le(unsigned long nr, void *addr)
{
	bool old = test_bit_le(nr, addr);

	clear_bit_le(nr, addr);
	return old;
}

unsigned long find_next_zero_bit_le(const void *addr, unsigned long size,
				    unsigned long offset);
unsigned long find_next_bit_le(const void *addr, unsigned long size,
			       unsigned long offset);

static inline unsigned long find_first_zero_bit_le(const void *addr,
						   unsigned long size)
{
	return find_next_zero_bit_le(addr, size, 0);
}

#endif
