/*
 * Page tables after boot: extend the identity map (RAM above 4 GiB,
 * 64-bit BARs) and mark device windows uncached for ioremap().
 *
 * Table pages come from a small static pool first, because RAM above
 * 4 GiB must be mapped before the page allocator can describe it; later
 * ones come from the page allocator.
 */
#include "asm/cpu.h"
#include "errno.h"
#include "asm/io.h"
#include "mm.h"
#include "asm/paging.h"
#include "spinlock.h"
#include "string.h"

#define TABLE_POOL_PAGES 16
#define ENTRIES 512
#define PHYS_MASK 0x000ffffffffff000ULL
#define CANONICAL_LIMIT (1ULL << 47)

static u64 table_pool[TABLE_POOL_PAGES][ENTRIES] __aligned(4096);
static unsigned int table_pool_used;
static DEFINE_SPINLOCK(paging_lock);
static bool page_alloc_ready;

static u64 *new_table(void)
{
	struct page *page;

	if (table_pool_used < TABLE_POOL_PAGES)
		return table_pool[table_pool_used++];
	if (!page_alloc_ready)
		return NULL;
	page = alloc_page(GFP_ATOMIC | __GFP_ZERO);
	return page ? page_address(page) : NULL;
}

/* Entry index of addr at a level (3 = PML4 ... 1 = PD). */
static unsigned int level_index(u64 addr, int level)
{
	return (addr >> (12 + 9 * level)) & (ENTRIES - 1);
}

/* The PD entry (2 MiB page) for addr; NULL if absent and !create. */
static u64 *pd_entry(u64 addr, bool create)
{
	u64 *table = (u64 *)(read_cr3() & PHYS_MASK);

	for (int level = 3; level > 1; level--) {
		u64 *e = &table[level_index(addr, level)];

		if (!(*e & PTE_PRESENT)) {
			u64 *next = create ? new_table() : NULL;

			if (!next)
				return NULL;
			*e = (u64)next | PTE_PRESENT | PTE_WRITE;
		}
		if (*e & PTE_HUGE) /* a 1 GiB page: nothing below */
			return NULL;
		table = (u64 *)(*e & PHYS_MASK);
	}
	return &table[level_index(addr, 1)];
}

void paging_use_page_alloc(void)
{
	page_alloc_ready = true;
}

int paging_map_range(u64 start, u64 end, u64 flags)
{
	unsigned long irqflags;
	int ret = 0;

	spin_lock_irqsave(&paging_lock, irqflags);
	for (u64 a = ALIGN_DOWN(start, HUGE_PAGE_SIZE); a < end;
	     a += HUGE_PAGE_SIZE) {
		u64 *pde = pd_entry(a, true);

		if (!pde) {
			ret = -ENOMEM;
			break;
		}
		*pde = a | PTE_PRESENT | PTE_WRITE | PTE_HUGE | flags;
		invlpg((void *)a);
	}
	spin_unlock_irqrestore(&paging_lock, irqflags);
	return ret;
}

void *ioremap(phys_addr_t phys, size_t size)
{
	if (!size || phys + size < phys || phys + size > CANONICAL_LIMIT)
		return NULL;
	if (paging_map_range(phys, phys + size, PTE_PCD | PTE_PWT))
		return NULL;
	return (void *)phys;
}

bool kernel_addr_mapped(u64 addr)
{
	u64 *pde;

	if (addr >= CANONICAL_LIMIT)
		return false;
	pde = pd_entry(addr, false);
	return pde && (*pde & PTE_PRESENT);
}
