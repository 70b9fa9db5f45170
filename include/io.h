/* Port and memory-mapped I/O (kernel only: drivers and arch code). */
#ifndef _IO_H
#define _IO_H

#include "types.h"

static inline void outb(u8 v, u16 port)
{
	__asm__ __volatile__("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline u8 inb(u16 port)
{
	u8 v;

	__asm__ __volatile__("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline void outw(u16 v, u16 port)
{
	__asm__ __volatile__("outw %0, %1" : : "a"(v), "Nd"(port));
}

static inline u16 inw(u16 port)
{
	u16 v;

	__asm__ __volatile__("inw %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline void outl(u32 v, u16 port)
{
	__asm__ __volatile__("outl %0, %1" : : "a"(v), "Nd"(port));
}

static inline u32 inl(u16 port)
{
	u32 v;

	__asm__ __volatile__("inl %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

#define __io_rw(type, name)                                         \
	static inline type read##name(const volatile void *addr)    \
	{                                                           \
		return *(const volatile type *)addr;                \
	}                                                           \
	static inline void write##name(type v, volatile void *addr) \
	{                                                           \
		*(volatile type *)addr = v;                         \
	}
__io_rw(u8, b) __io_rw(u16, w) __io_rw(u32, l) __io_rw(u64, q)

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
