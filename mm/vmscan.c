/*
 * Reclaim: when the page allocator runs short it asks us to free page-
 * cache pages. Pages sit on one LRU list, oldest at the head; a page a
 * reader touched since the last scan (PG_referenced) gets a second pass
 * round the list. Clean, unlocked, unused pages leave the cache with
 * their buffers; dirty ones are written back first and freed once clean.
 * Then the shrinkers (the dentry cache) give back their share, in
 * proportion to the page cache scanned, as Linux's shrink_slab.
 */
#include "buffer_head.h"
#include "mm.h"
#include "pagemap.h"
#include "printk.h"
#include "writeback.h"

static LIST_HEAD(lru_list);
static DEFINE_SPINLOCK(lru_lock);
static unsigned long nr_lru;

void lru_cache_add(struct page *page)
{
	unsigned long flags;

	spin_lock_irqsave(&lru_lock, flags);
	if (!PageLRU(page)) {
		SetPageLRU(page);
		list_add_tail(&page->lru, &lru_list);
		nr_lru++;
	}
	spin_unlock_irqrestore(&lru_lock, flags);
}

void lru_cache_del(struct page *page)
{
	unsigned long flags;

	spin_lock_irqsave(&lru_lock, flags);
	if (PageLRU(page)) {
		ClearPageLRU(page);
		list_del_init(&page->lru);
		nr_lru--;
	}
	spin_unlock_irqrestore(&lru_lock, flags);
}

void mark_page_accessed(struct page *page)
{
	SetPageReferenced(page);
}

/* The oldest page, rotated to the young end, with a reference; or NULL. */
static struct page *lru_next(void)
{
	struct page *page = NULL;
	unsigned long flags;

	spin_lock_irqsave(&lru_lock, flags);
	if (!list_empty(&lru_list)) {
		page = list_first_entry(&lru_list, struct page, lru);
		list_move_tail(&page->lru, &lru_list);
		get_page(page);
	}
	spin_unlock_irqrestore(&lru_lock, flags);
	return page;
}

/* Start writeback of a dirty locked page; it comes back unlocked. */
static void pageout(struct page *page)
{
	struct address_space *mapping = page->mapping;
	struct writeback_control wbc = {
		.sync_mode = WB_SYNC_NONE,
		.nr_to_write = 1,
		.range_end = WB_RANGE_ALL,
		.for_reclaim = 1,
	};

	if (!mapping || !mapping->a_ops->writepage ||
	    !clear_page_dirty_for_io(page)) {
		unlock_page(page);
		return;
	}
	mapping_set_error(mapping, mapping->a_ops->writepage(page, &wbc));
}

enum scan_result { KEPT, FREED, WRITING };

/* Try to evict one page we hold a reference on. */
static enum scan_result scan_page(struct page *page, bool second_chance,
				  bool write_dirty)
{
	if (!trylock_page(page))
		return KEPT;
	if (!page->mapping || PageWriteback(page))
		goto keep;
	if (second_chance && TestClearPageReferenced(page))
		goto keep;
	if (PageDirty(page)) {
		if (!write_dirty)
			goto keep;
		pageout(page);
		return WRITING;
	}
	if (page_has_buffers(page) && !try_to_free_buffers(page))
		goto keep;
	/* Ours and the cache's: nobody else is using it. */
	if (page_count(page) != 2)
		goto keep;
	remove_from_page_cache(page);
	unlock_page(page);
	pc_stat_add(reclaimed, 1);
	return FREED;
keep:
	unlock_page(page);
	return KEPT;
}

#define RECLAIM_WAIT_BATCH 32

static unsigned long shrink_list(unsigned long nr_to_free, bool second_chance,
				 bool write_dirty)
{
	struct page *writing[RECLAIM_WAIT_BATCH];
	unsigned long scan = READ_ONCE(nr_lru) * (second_chance ? 2 : 1);
	unsigned long freed = 0;
	unsigned int nw = 0;

	while (scan-- && freed < nr_to_free) {
		struct page *page = lru_next();
		enum scan_result r;

		if (!page)
			break;
		r = scan_page(page, second_chance,
			      write_dirty && nw < RECLAIM_WAIT_BATCH);
		if (r == WRITING) {
			writing[nw++] = page;
			continue;
		}
		put_page(page);
		if (r == FREED)
			freed++;
	}
	/* The pages we wrote: free them once their writes are done. */
	for (unsigned int i = 0; i < nw; i++) {
		wait_on_page_writeback(writing[i]);
		if (freed < nr_to_free &&
		    scan_page(writing[i], false, false) == FREED)
			freed++;
		put_page(writing[i]);
	}
	return freed;
}

unsigned long shrink_page_cache(unsigned long nr_to_free, bool write_dirty)
{
	unsigned long freed = shrink_list(nr_to_free, true, false);

	if (freed < nr_to_free && write_dirty)
		freed += shrink_list(nr_to_free - freed, false, true);
	return freed;
}

unsigned long drop_pagecache(void)
{
	return shrink_list(~0UL, false, false);
}

/*
 * Registered once at start-up (the dcache's first use) and walked
 * without the lock: a shrinker may sleep (evicting an inode writes it).
 */
static LIST_HEAD(shrinker_list);
static DEFINE_SPINLOCK(shrinker_lock);

#define SHRINK_BATCH 128

void register_shrinker(struct shrinker *s)
{
	spin_lock(&shrinker_lock);
	list_add_tail(&s->list, &shrinker_list);
	spin_unlock(&shrinker_lock);
}

void unregister_shrinker(struct shrinker *s)
{
	spin_lock(&shrinker_lock);
	list_del_init(&s->list);
	spin_unlock(&shrinker_lock);
}

unsigned long shrink_slab(unsigned long scanned, unsigned long lru_pages)
{
	struct shrinker *s;
	unsigned long freed = 0;

	list_for_each_entry(s, &shrinker_list, list) {
		unsigned long objects = s->count_objects(s);
		/* The same fraction of its objects as of the page cache. */
		unsigned long to_scan = 4 * scanned / (unsigned long)s->seeks *
					objects / (lru_pages + 1);

		to_scan = min(max(to_scan,
				  min(objects, (unsigned long)SHRINK_BATCH)),
			      objects);
		while (to_scan) {
			unsigned long batch =
				min(to_scan, (unsigned long)SHRINK_BATCH);
			unsigned long n = s->scan_objects(s, batch);

			freed += n;
			if (n < batch)
				break;
			to_scan -= batch;
		}
	}
	return freed;
}

static unsigned long shrink_memory(unsigned long nr_pages)
{
	unsigned long lru = READ_ONCE(nr_lru);
	unsigned long freed = shrink_page_cache(nr_pages, true);
	unsigned long before = nr_free_pages(), after;

	shrink_slab(nr_pages, lru);
	after = nr_free_pages();
	return freed + (after > before ? after - before : 0);
}

void vmscan_init(void)
{
	set_shrink_memory_hook(shrink_memory);
}
