/*
 * The buddy page allocator. Free memory is kept as blocks of 2^order
 * pages, each aligned to its own size in page frame numbers, on one free
 * list per order. A block's buddy is the block it was split from, found
 * by flipping bit `order` of its pfn; freeing merges a block with its
 * buddy for as long as the buddy is free and whole, so memory returns to
 * the largest blocks it can form.
 *
 * The head page of a free block has PG_buddy set and its order in
 * page->private; the other pages of the block are not marked. Pages the
 * allocator does not own (holes, the kernel image) stay PG_reserved and
 * so never look like a free buddy.
 */
#include "kasan.h"
#include "mm.h"
#include "printk.h"
#include "spinlock.h"
#include "string.h"

struct page *mem_map;
unsigned long mem_map_pfn_offset;
unsigned long mem_map_nr_pages;

static struct list_head free_area[MAX_ORDER];
static unsigned long free_count[MAX_ORDER];
static unsigned long nr_free;
static unsigned long nr_managed;
static bool mm_ready;
static DEFINE_SPINLOCK(zone_lock);

static unsigned long (*shrink_memory_hook)(unsigned long nr_pages);
static bool in_reclaim;
/* The hook last freed nothing at this nr_free: don't rescan until it grows. */
static bool reclaim_futile;
static unsigned long reclaim_futile_at;

void mem_map_init(struct page *map, unsigned long first_pfn,
		  unsigned long nr_pages)
{
	for (unsigned long i = 0; i < nr_pages; i++) {
		memset(&map[i], 0, sizeof(map[i]));
		map[i].flags = BIT(PG_reserved);
		map[i]._count = 1;
		INIT_LIST_HEAD(&map[i].lru);
	}
	for (unsigned int o = 0; o < MAX_ORDER; o++) {
		INIT_LIST_HEAD(&free_area[o]);
		free_count[o] = 0;
	}
	mem_map = map;
	mem_map_pfn_offset = first_pfn;
	mem_map_nr_pages = nr_pages;
	nr_free = 0;
	nr_managed = 0;
	mm_ready = true;
}

static void add_free_block(struct page *page, unsigned int order)
{
	page->private = order;
	SetPageBuddy(page);
	list_add(&page->lru, &free_area[order]);
	free_count[order]++;
}

static void del_free_block(struct page *page, unsigned int order)
{
	list_del(&page->lru);
	ClearPageBuddy(page);
	page->private = 0;
	free_count[order]--;
}

/* The buddy is mergeable only if it is the head of a free block of order. */
static struct page *free_buddy(unsigned long pfn, unsigned int order)
{
	unsigned long buddy_pfn = pfn ^ (1UL << order);
	struct page *buddy;

	if (!pfn_valid(buddy_pfn))
		return NULL;
	buddy = pfn_to_page(buddy_pfn);
	if (!PageBuddy(buddy) || buddy->private != order)
		return NULL;
	return buddy;
}

/* Caller holds zone_lock; the block's pages are all owned by nobody. */
static void __free_one_block(struct page *page, unsigned int order)
{
	unsigned long pfn = page_to_pfn(page);

	nr_free += 1UL << order;
	while (order < MAX_ORDER - 1) {
		struct page *buddy = free_buddy(pfn, order);

		if (!buddy)
			break;
		del_free_block(buddy, order);
		pfn &= ~(1UL << order);
		order++;
	}
	add_free_block(pfn_to_page(pfn), order);
}

static unsigned int largest_order(unsigned long pfn, unsigned long end)
{
	unsigned int order = 0;

	while (order < MAX_ORDER - 1 && !(pfn & (1UL << order)) &&
	       pfn + (2UL << order) <= end)
		order++;
	return order;
}

static void free_reserved_block(unsigned long pfn, unsigned int order)
{
	struct page *page = pfn_to_page(pfn);

	for (unsigned long i = 0; i < (1UL << order); i++) {
		page[i].flags = 0;
		page[i]._count = 0;
	}
	kasan_poison(page_address(page), PAGE_SIZE << order);
	__free_one_block(page, order);
}

/*
 * Hand [start_pfn, end_pfn) to the allocator. Pages outside mem_map and
 * pages that are not reserved (already handed over) are skipped, so
 * overlapping firmware ranges cannot free a page twice.
 */
void free_pfn_range(unsigned long start_pfn, unsigned long end_pfn)
{
	unsigned long flags, pfn, skipped = 0;

	if (!mm_ready)
		return;
	if (start_pfn < mem_map_pfn_offset)
		start_pfn = mem_map_pfn_offset;
	if (end_pfn > mem_map_pfn_offset + mem_map_nr_pages)
		end_pfn = mem_map_pfn_offset + mem_map_nr_pages;

	spin_lock_irqsave(&zone_lock, flags);
	for (pfn = start_pfn; pfn < end_pfn;) {
		unsigned long run_end = pfn;
		unsigned int order;

		while (run_end < end_pfn && PageReserved(pfn_to_page(run_end)))
			run_end++;
		if (run_end == pfn) {
			skipped++;
			pfn++;
			continue;
		}
		nr_managed += run_end - pfn;
		while (pfn < run_end) {
			order = largest_order(pfn, run_end);
			free_reserved_block(pfn, order);
			pfn += 1UL << order;
		}
	}
	spin_unlock_irqrestore(&zone_lock, flags);
	if (skipped)
		printk("mm: free_pfn_range skipped %lu pages already free\n",
		       skipped);
}

/* Take a block of at least order, splitting larger ones. */
static struct page *__rmqueue(unsigned int order)
{
	unsigned int cur;
	struct page *page;

	for (cur = order; cur < MAX_ORDER; cur++)
		if (!list_empty(&free_area[cur]))
			break;
	if (cur == MAX_ORDER)
		return NULL;
	page = list_first_entry(&free_area[cur], struct page, lru);
	del_free_block(page, cur);
	/* Give back the upper halves, largest first. */
	while (cur > order) {
		cur--;
		add_free_block(page + (1UL << cur), cur);
	}
	nr_free -= 1UL << order;
	return page;
}

static void prep_new_block(struct page *page, unsigned int order, gfp_t gfp)
{
	for (unsigned long i = 0; i < (1UL << order); i++) {
		BUG_ON(page[i].flags != 0 || page[i]._count != 0);
		page[i].mapping = NULL;
		page[i].index = 0;
		page[i].private = 0;
		page[i].slab_inuse = 0;
		page[i].slab_freelist = NULL;
		INIT_LIST_HEAD(&page[i].lru);
	}
	page->_count = 1;
	kasan_unpoison(page_address(page), PAGE_SIZE << order);
	if (gfp & __GFP_ZERO)
		memset(page_address(page), 0, PAGE_SIZE << order);
}

static unsigned long low_watermark(void)
{
	return max(nr_managed / 32, 16UL);
}

static bool may_reclaim(gfp_t gfp)
{
	return shrink_memory_hook && !(gfp & (GFP_ATOMIC | GFP_NOIO)) &&
	       !in_reclaim && !irqs_disabled();
}

static unsigned long run_shrinker(unsigned long want)
{
	unsigned long freed;

	in_reclaim = true;
	freed = shrink_memory_hook(want);
	in_reclaim = false;
	reclaim_futile = !freed;
	reclaim_futile_at = READ_ONCE(nr_free);
	return freed;
}

/* Before memory runs out, let the page cache give some back. */
static void reclaim_if_low(gfp_t gfp, unsigned int order)
{
	unsigned long need = (1UL << order) + low_watermark();

	if (!may_reclaim(gfp) || READ_ONCE(nr_free) >= need)
		return;
	if (reclaim_futile && READ_ONCE(nr_free) <= reclaim_futile_at)
		return;
	run_shrinker(2 * need - READ_ONCE(nr_free));
}

struct page *alloc_pages(gfp_t gfp, unsigned int order)
{
	struct page *page;
	unsigned long flags;
	int tries = 0;

	if (order >= MAX_ORDER || !mm_ready)
		return NULL;
	reclaim_if_low(gfp, order);
	for (;;) {
		spin_lock_irqsave(&zone_lock, flags);
		page = __rmqueue(order);
		spin_unlock_irqrestore(&zone_lock, flags);
		if (page || !may_reclaim(gfp) || ++tries > 3)
			break;
		if (!run_shrinker(1UL << order))
			break;
	}
	if (!page) {
		if (!(gfp & __GFP_NOWARN))
			printk("mm: order-%u allocation failed (gfp %#x, %lu "
			       "pages free)\n",
			       order, gfp, nr_free);
		return NULL;
	}
	prep_new_block(page, order, gfp);
	return page;
}

unsigned long __get_free_pages(gfp_t gfp, unsigned int order)
{
	struct page *page = alloc_pages(gfp, order);

	return page ? (unsigned long)page_address(page) : 0;
}

#define PAGE_FLAGS_BAD_AT_FREE                                                \
	(BIT(PG_locked) | BIT(PG_lru) | BIT(PG_private) | BIT(PG_writeback) | \
	 BIT(PG_buddy) | BIT(PG_reserved) | BIT(PG_slab))

static void check_free_page(struct page *page)
{
	if (page->mapping || (page->flags & PAGE_FLAGS_BAD_AT_FREE))
		panic("mm: bad page at free: pfn %#lx flags %#lx mapping %p",
		      page_to_pfn(page), page->flags, (void *)page->mapping);
}

static void free_block(struct page *page, unsigned int order)
{
	unsigned long flags, pfn = page_to_pfn(page);

	BUG_ON(pfn & ((1UL << order) - 1));
	BUG_ON(!pfn_valid(pfn + (1UL << order) - 1));
	for (unsigned long i = 0; i < (1UL << order); i++) {
		check_free_page(&page[i]);
		page[i].flags = 0;
		page[i]._count = 0;
	}
	kasan_poison(page_address(page), PAGE_SIZE << order);
	spin_lock_irqsave(&zone_lock, flags);
	__free_one_block(page, order);
	spin_unlock_irqrestore(&zone_lock, flags);
}

/* Drops the caller's reference, as Linux's does; the last one frees. */
void __free_pages(struct page *page, unsigned int order)
{
	int count;

	if (!page)
		return;
	BUG_ON(order >= MAX_ORDER);
	BUG_ON(!pfn_valid(page_to_pfn(page)));
	if (PageReserved(page))
		panic("mm: freeing reserved page, pfn %#lx", page_to_pfn(page));
	if (PageBuddy(page) || page_count(page) <= 0)
		panic("mm: double free of page, pfn %#lx", page_to_pfn(page));
	count = __atomic_sub_fetch(&page->_count, 1, __ATOMIC_SEQ_CST);
	if (count == 0)
		free_block(page, order);
}

void free_pages(unsigned long addr, unsigned int order)
{
	if (addr)
		__free_pages(virt_to_page((void *)addr), order);
}

void put_page(struct page *page)
{
	__free_pages(page, 0);
}

unsigned long nr_free_pages(void)
{
	return READ_ONCE(nr_free);
}

unsigned long totalram_pages(void)
{
	return READ_ONCE(nr_managed);
}

unsigned long nr_free_blocks(unsigned int order)
{
	return order < MAX_ORDER ? READ_ONCE(free_count[order]) : 0;
}

void set_shrink_memory_hook(unsigned long (*fn)(unsigned long nr_pages))
{
	shrink_memory_hook = fn;
	reclaim_futile = false;
}
