/*
 * Bit operations on unsigned long words. The atomic forms use compiler
 * atomics so a flag word shared with an interrupt handler (page->flags,
 * bh->b_state) is never torn; the __ forms are for words nobody else sees.
 */
#ifndef _BITOPS_H
#define _BITOPS_H

#include "types.h"

#define BITS_PER_LONG 64
#define BIT(nr) (1UL << (nr))
#define BIT_WORD(nr) ((nr) / BITS_PER_LONG)
#define BIT_MASK(nr) (1UL << ((nr) % BITS_PER_LONG))

static inline void set_bit(unsigned int nr, volatile unsigned long *addr)
{
	__atomic_fetch_or(addr + BIT_WORD(nr), BIT_MASK(nr), __ATOMIC_SEQ_CST);
}

static inline void clear_bit(unsigned int nr, volatile unsigned long *addr)
{
	__atomic_fetch_and(addr + BIT_WORD(nr), ~BIT_MASK(nr),
			   __ATOMIC_SEQ_CST);
}

static inline int test_bit(unsigned int nr, const volatile unsigned long *addr)
{
	return (addr[BIT_WORD(nr)] & BIT_MASK(nr)) != 0;
}

static inline int test_and_set_bit(unsigned int nr,
				   volatile unsigned long *addr)
{
	unsigned long old = __atomic_fetch_or(addr + BIT_WORD(nr), BIT_MASK(nr),
					      __ATOMIC_SEQ_CST);
	return (old & BIT_MASK(nr)) != 0;
}

static inline int test_and_clear_bit(unsigned int nr,
				     volatile unsigned long *addr)
{
	unsigned long old = __atomic_fetch_and(addr + BIT_WORD(nr),
					       ~BIT_MASK(nr), __ATOMIC_SEQ_CST);
	return (old & BIT_MASK(nr)) != 0;
}

static inline void __set_bit(unsigned int nr, unsigned long *addr)
{
	addr[BIT_WORD(nr)] |= BIT_MASK(nr);
}

static inline void __clear_bit(unsigned int nr, unsigned long *addr)
{
	addr[BIT_WORD(nr)] &= ~BIT_MASK(nr);
}

/* Index of the lowest set bit; word must not be 0. */
static inline unsigned int __ffs(unsigned long word)
{
	return (unsigned int)__builtin_ctzl(word);
}

/* 1-based index of the highest set bit, 0 for 0. */
static inline unsigned int fls64(u64 x)
{
	return x ? 64 - (unsigned int)__builtin_clzll(x) : 0;
}

static inline bool is_power_of_2(unsigned long n)
{
	return n != 0 && (n & (n - 1)) == 0;
}

static inline unsigned int ilog2(unsigned long n)
{
	return fls64(n) - 1;
}

#endif
