/*
 * The kernel's one address space: an identity map with 2 MiB pages
 * (boot/entry.asm maps the first 4 GiB; RAM above that and device
 * windows are added here). Kernel only.
 */
#ifndef _PAGING_H
#define _PAGING_H

#include "types.h"

#define PTE_PRESENT (1ULL << 0)
#define PTE_WRITE (1ULL << 1)
#define PTE_PWT (1ULL << 3)
#define PTE_PCD (1ULL << 4)
#define PTE_HUGE (1ULL << 7)
#define HUGE_PAGE_SIZE (2ULL << 20)

/* Identity-map [start, end) (write-back, 2 MiB pages); 0 or -ENOMEM. */
int paging_map_range(u64 start, u64 end, u64 flags);
/* meminit: the page allocator works, take table pages from it. */
void paging_use_page_alloc(void);
/* Is a kernel access to addr mapped (so a backtrace may read it)? */
bool kernel_addr_mapped(u64 addr);

#endif
