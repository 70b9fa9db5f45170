/*
 * The page cache: pages of a file kept in its address_space, found by
 * index, locked while I/O or set-up is in flight (lock_page sleeps on a
 * hashed wait queue, unlock_page wakes it, from interrupt context too),
 * and read ahead of the reader in growing windows.
 */
#ifndef _PAGEMAP_H
#define _PAGEMAP_H

#include "fs.h"
#include "mm.h"

#ifndef PAGECACHE_TAG_DIRTY /* radix-tree.h defines them */
#define PAGECACHE_TAG_DIRTY 0
#define PAGECACHE_TAG_WRITEBACK 1
#endif

static inline void page_cache_get(struct page *page)
{
	get_page(page);
}

struct page *page_cache_alloc(struct address_space *mapping);

/* Each returns the page with a reference the caller drops, or NULL. */
struct page *find_get_page(struct address_space *mapping, pgoff_t index);
/* ... and locked. */
struct page *find_lock_page(struct address_space *mapping, pgoff_t index);
/* Locked, added if absent; NULL only when memory is short. */
struct page *find_or_create_page(struct address_space *mapping, pgoff_t index,
				 gfp_t gfp);
static inline struct page *grab_cache_page(struct address_space *mapping,
					   pgoff_t index)
{
	return find_or_create_page(mapping, index, 0);
}
/* Up to nr pages with index >= start, in index order, each referenced. */
unsigned int find_get_pages(struct address_space *mapping, pgoff_t start,
			    unsigned int nr, struct page **pages);
/* As find_get_pages over pages carrying tag; *index moves past the last. */
unsigned int find_get_pages_tag(struct address_space *mapping, pgoff_t *index,
				int tag, unsigned int nr, struct page **pages);

/*
 * Insert a new page (locked on success, with a cache reference) at index;
 * -EEXIST if a page is there already, -ENOMEM. The _lru form also puts it
 * on the reclaim LRU.
 */
int add_to_page_cache(struct page *page, struct address_space *mapping,
		      pgoff_t index, gfp_t gfp);
int add_to_page_cache_lru(struct page *page, struct address_space *mapping,
			  pgoff_t index, gfp_t gfp);
/* The page is locked, clean and not under writeback; drops the cache ref. */
void remove_from_page_cache(struct page *page);
/* The reclaim LRU (mm/vmscan.c): oldest at the head. */
void lru_cache_add(struct page *page);
void lru_cache_del(struct page *page);
/* A reader used the page: move it to the young end. */
void mark_page_accessed(struct page *page);

void lock_page(struct page *page);
/* 1 if we took the lock. */
static inline int trylock_page(struct page *page)
{
	return !TestSetPageLocked(page);
}
void unlock_page(struct page *page);
void wait_on_page_locked(struct page *page);
void wait_on_page_writeback(struct page *page);
/* Called with the page locked and dirty-cleared; 1 if it was already set. */
int test_set_page_writeback(struct page *page);
static inline void set_page_writeback(struct page *page)
{
	test_set_page_writeback(page);
}
/* IRQ-safe: clears PG_writeback and the WRITEBACK tag, wakes waiters. */
void end_page_writeback(struct page *page);

/* Dirty tracking: page, radix-tree tag, and the flusher's list. */
int set_page_dirty(struct page *page);
int __set_page_dirty_nobuffers(struct page *page);
/* Before writepage: 1 if the page was dirty (the tag is cleared too). */
int clear_page_dirty_for_io(struct page *page);
/* For truncate: drop dirtiness without writing. */
void cancel_dirty_page(struct page *page);

/*
 * An up-to-date page of the mapping at index, read with filler(data,
 * page) (which unlocks the page) if needed; ERR_PTR(-EIO) if the read
 * failed. The caller drops the reference.
 */
typedef int(filler_t)(void *data, struct page *page);
struct page *read_cache_page(struct address_space *mapping, pgoff_t index,
			     filler_t *filler, void *data);
struct page *read_mapping_page(struct address_space *mapping, pgoff_t index,
			       struct file *file);

static inline void zero_user_segments(struct page *page, unsigned int s1,
				      unsigned int e1, unsigned int s2,
				      unsigned int e2)
{
	char *kaddr = page_address(page);

	if (e1 > s1)
		__builtin_memset(kaddr + s1, 0, e1 - s1);
	if (e2 > s2)
		__builtin_memset(kaddr + s2, 0, e2 - s2);
}

static inline void zero_user_segment(struct page *page, unsigned int start,
				     unsigned int end)
{
	zero_user_segments(page, start, end, 0, 0);
}

/* A new reader: no window yet, the mapping's device's maximum. */
void file_ra_state_init(struct file_ra_state *ra,
			struct address_space *mapping);
/* A read failed: quarter the reader's maximum window (0 stops readahead). */
void shrink_readahead_size_eio(struct file_ra_state *ra);
/* A miss at index: read req pages there and, if sequential, ahead. */
void page_cache_sync_readahead(struct address_space *mapping,
			       struct file_ra_state *ra, struct file *filp,
			       pgoff_t index, unsigned long req_size);
/* A hit on a PG_readahead page: start the next window. */
void page_cache_async_readahead(struct address_space *mapping,
				struct file_ra_state *ra, struct file *filp,
				struct page *page, pgoff_t index,
				unsigned long req_size);
/* Read nr pages at index into the cache without a window (used by tests). */
int force_page_cache_readahead(struct address_space *mapping, struct file *filp,
			       pgoff_t index, unsigned long nr);

/*
 * Generic file I/O through the page cache. Reads stop at i_size and
 * return the bytes copied, or -EIO when a page came back in error
 * with nothing copied. Writes go through a_ops->write_begin/write_end.
 */
ssize_t filemap_read(struct address_space *mapping, struct file_ra_state *ra,
		     struct file *filp, loff_t pos, char *buf, size_t count);
ssize_t generic_perform_write(struct file *filp, struct address_space *mapping,
			      loff_t pos, const char *buf, size_t count);

/*
 * Truncate: drop every page from lstart on (zeroing the tail of a
 * partial page), waiting for I/O; dirty data there is discarded.
 * With lstart 0 the mapping also leaves the flusher's list: call it
 * before freeing an inode.
 */
void truncate_inode_pages(struct address_space *mapping, loff_t lstart);
/* Evict the clean, unused pages of [start, end]; returns how many. */
unsigned long invalidate_mapping_pages(struct address_space *mapping,
				       pgoff_t start, pgoff_t end);

/* Counters for `cachestat`. */
struct page_cache_stats {
	unsigned long nr_pages; /* pages in any page cache */
	unsigned long nr_dirty;
	unsigned long nr_writeback;
	unsigned long nr_buffer_heads;
	unsigned long ra_windows; /* readahead windows started */
	unsigned long ra_pages; /* pages read ahead */
	unsigned long ra_hits; /* reads that found a read-ahead page */
	unsigned long reclaimed; /* pages evicted by reclaim */
};
extern struct page_cache_stats pc_stats;
#define pc_stat_add(field, n)                                   \
	__atomic_add_fetch(&pc_stats.field, (unsigned long)(n), \
			   __ATOMIC_RELAXED)
#define pc_stat_sub(field, n)                                   \
	__atomic_sub_fetch(&pc_stats.field, (unsigned long)(n), \
			   __ATOMIC_RELAXED)
void page_cache_stats_snapshot(struct page_cache_stats *out);

/* The LRU of page-cache pages, oldest first, for reclaim and drop_caches. */
unsigned long shrink_page_cache(unsigned long nr_to_free, bool write_dirty);
/* Evict every clean, unused page; returns the count. */
unsigned long drop_pagecache(void);
void vmscan_init(void);

#endif
