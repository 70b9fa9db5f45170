/*
 * Physical memory: struct page for every RAM page (mem_map), the buddy
 * page allocator and the direct map. RAM is identity-mapped, in the
 * kernel and in the host test arena alike, so a page's address is its
 * page frame number shifted left by PAGE_SHIFT.
 */
#ifndef _MM_H
#define _MM_H

#include "gfp.h"
#include "list.h"
#include "page-flags.h"

#define PAGE_SHIFT 12
#define PAGE_SIZE (1UL << PAGE_SHIFT)
#define PAGE_MASK (~(PAGE_SIZE - 1))
#define PAGE_CACHE_SHIFT PAGE_SHIFT
#define PAGE_CACHE_SIZE PAGE_SIZE
#define PAGE_CACHE_MASK PAGE_MASK
#define MAX_ORDER 11 /* largest block: 2^10 pages = 4 MiB */

struct address_space;

struct page {
	unsigned long flags; /* PG_* bits, atomic */
	int _count; /* references; 0 = free */
	unsigned int slab_inuse; /* PG_slab: objects handed out */
	struct address_space *mapping; /* page cache owner, or NULL */
	pgoff_t index; /* offset in mapping, in pages */
	unsigned long private; /* buffer ring (PG_private), or buddy order */
	struct list_head lru; /* buddy free list, LRU, or a caller's list */
	void *slab_freelist; /* PG_slab: first free object */
};

PAGEFLAG(Locked, locked)
PAGEFLAG(Error, error)
PAGEFLAG(Referenced, referenced)
PAGEFLAG(Uptodate, uptodate)
PAGEFLAG(Dirty, dirty)
PAGEFLAG(LRU, lru)
PAGEFLAG(Private, private)
PAGEFLAG(Writeback, writeback)
PAGEFLAG(MappedToDisk, mappedtodisk)
PAGEFLAG(Readahead, readahead)
PAGEFLAG(Reclaim, reclaim)
PAGEFLAG(Buddy, buddy)
PAGEFLAG(Reserved, reserved)
PAGEFLAG(Slab, slab)

/* FLATMEM: mem_map[0] describes page frame mem_map_pfn_offset. */
extern struct page *mem_map;
extern unsigned long mem_map_pfn_offset;
extern unsigned long mem_map_nr_pages;

static inline unsigned long page_to_pfn(const struct page *page)
{
	return (unsigned long)(page - mem_map) + mem_map_pfn_offset;
}

static inline struct page *pfn_to_page(unsigned long pfn)
{
	return mem_map + (pfn - mem_map_pfn_offset);
}

static inline bool pfn_valid(unsigned long pfn)
{
	return pfn - mem_map_pfn_offset < mem_map_nr_pages;
}

static inline void *page_address(const struct page *page)
{
	return (void *)(page_to_pfn(page) << PAGE_SHIFT);
}

static inline struct page *virt_to_page(const void *addr)
{
	return pfn_to_page((unsigned long)addr >> PAGE_SHIFT);
}

static inline int page_count(const struct page *page)
{
	return __atomic_load_n(&page->_count, __ATOMIC_SEQ_CST);
}

static inline void get_page(struct page *page)
{
	__atomic_add_fetch(&page->_count, 1, __ATOMIC_SEQ_CST);
}

/*
 * Drop a reference; the last one frees the page. By then the page must
 * be out of the page cache (mapping == NULL), off the LRU, unlocked, not
 * under writeback and without buffers: anything else is a BUG().
 */
void put_page(struct page *page);

/*
 * Boot: mem_map_init() describes nr_pages frames starting at first_pfn,
 * all reserved; free_pfn_range() then hands [start, end) to the buddy
 * allocator. The kernel calls them from the Multiboot2 memory map, the
 * host tests over an arena.
 */
void mem_map_init(struct page *map, unsigned long first_pfn,
		  unsigned long nr_pages);
void free_pfn_range(unsigned long start_pfn, unsigned long end_pfn);

struct page *alloc_pages(gfp_t gfp, unsigned int order);
void __free_pages(struct page *page, unsigned int order);
unsigned long __get_free_pages(gfp_t gfp, unsigned int order);
void free_pages(unsigned long addr, unsigned int order);
#define alloc_page(gfp) alloc_pages(gfp, 0)
#define __free_page(page) __free_pages(page, 0)

unsigned long nr_free_pages(void);
unsigned long totalram_pages(void);
/* Free blocks of exactly this order (tests, and a "meminfo" command). */
unsigned long nr_free_blocks(unsigned int order);

/*
 * Reclaim hook: the page cache registers a function that tries to free
 * nr_pages pages and returns how many it freed. The allocator calls it
 * when free memory runs low, for GFP_KERNEL allocations only (never for
 * GFP_ATOMIC, which cannot sleep, nor GFP_NOIO, which must not start
 * writeback), never with interrupts disabled, and never recursively.
 */
void set_shrink_memory_hook(unsigned long (*fn)(unsigned long nr_pages));

/*
 * A cache of objects outside the page cache (dentries, inodes) that
 * reclaim shrinks in proportion to the page cache it scans, as Linux's
 * shrinker: count_objects says how many could be freed, scan_objects
 * frees up to nr and returns how many went. seeks is the cost of
 * recreating one object, relative to reading a page (DEFAULT_SEEKS).
 */
struct shrinker {
	unsigned long (*count_objects)(struct shrinker *s);
	unsigned long (*scan_objects)(struct shrinker *s, unsigned long nr);
	int seeks;
	struct list_head list;
};
#define DEFAULT_SEEKS 2
void register_shrinker(struct shrinker *s);
void unregister_shrinker(struct shrinker *s);
/*
 * Ask every shrinker to free its share: scanned of lru_pages page-cache
 * pages were just scanned. Returns the objects freed.
 */
unsigned long shrink_slab(unsigned long scanned, unsigned long lru_pages);

#endif
