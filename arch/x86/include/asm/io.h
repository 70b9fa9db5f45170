/* Port and memory-mapped I/O (kernel only: drivers and arch code). */
#ifndef _IO_H
#define _IO_H

#include "types.h"

/* inb/outb, inw/outw, inl/outl: one x86 port instruction each. */
#define __io_port(type, sfx)                                \
	static inline void out##sfx(type v, u16 port)       \
	{                                                   \
		__asm__ __volatile__("out" #sfx " %0, %1"   \
				     :                      \
				     : "a"(v), "Nd"(port)); \
	}                                                   \
	static inline type in##sfx(u16 port)                \
	{                                                   \
		type v;                                     \
		__asm__ __volatile__("in" #sfx " %1, %0"    \
				     : "=a"(v)              \
				     : "Nd"(port));         \
		return v;                                   \
	}                                                   \
	_Static_assert(sizeof(type) <= 4, "x86 ports are 8, 16 or 32 bits")
__io_port(u8, b);
__io_port(u16, w);
__io_port(u32, l);

#define __io_rw(type, name)                                         \
	static inline type read##name(const volatile void *addr)    \
	{                                                           \
		return *(const volatile type *)addr;                \
	}                                                           \
	static inline void write##name(type v, volatile void *addr) \
	{                                                           \
		*(volatile type *)addr = v;                         \
	}                                                           \
	_Static_assert(sizeof(type) <= 8, "MMIO is 8 to 64 bits wide")
__io_rw(u8, b);
__io_rw(u16, w);
__io_rw(u32, l);
__io_rw(u64, q);

/* rep outsb: count bytes from buf to one port, in one instruction. */
static inline void outsb(u16 port, const void *buf, unsigned long count)
{
	__asm__ __volatile__("rep outsb"
			     : "+S"(buf), "+c"(count)
			     : "d"(port)
			     : "memory");
}

/* Full barrier: orders MMIO and memory accesses (descriptor rings). */
static inline void mb(void)
{
	__asm__ __volatile__("mfence" ::: "memory");
}
#define wmb() mb()
#define rmb() mb()

/* Map device memory (uncached) and return its virtual address. */
void *ioremap(phys_addr_t phys, size_t size);

#endif
