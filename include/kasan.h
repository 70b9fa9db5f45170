/*
 * Address-sanitizer hooks for the allocators. In the host test build the
 * page allocator and kmalloc poison free memory, so AddressSanitizer
 * reports a use after free or an overflow inside our own arena as it
 * would for malloc'd memory. In the kernel they cost nothing.
 */
#ifndef _KASAN_H
#define _KASAN_H

#include "types.h"

#ifdef HOST_TEST
void kasan_poison(const void *addr, size_t size);
void kasan_unpoison(const void *addr, size_t size);
#else
static inline void kasan_poison(const void *addr, size_t size)
{
	(void)addr;
	(void)size;
}

static inline void kasan_unpoison(const void *addr, size_t size)
{
	(void)addr;
	(void)size;
}
#endif

#endif
