/*
 * struct page flag bits, Linux 2.6's set for the page cache, plus the
 * allocator's own. PageFoo/SetPageFoo/ClearPageFoo/TestSetPageFoo/
 * TestClearPageFoo are generated below for each.
 */
#ifndef _PAGE_FLAGS_H
#define _PAGE_FLAGS_H

#include "bitops.h"

enum pageflags {
	PG_locked, /* under I/O or being set up; lock_page() sleeps */
	PG_error, /* the last I/O on the page failed */
	PG_referenced,
	PG_uptodate, /* contents match the disk (or are newer) */
	PG_dirty, /* must be written back */
	PG_lru, /* on the page-cache LRU list */
	PG_private, /* page->private holds its buffer_head ring */
	PG_writeback, /* write I/O in flight */
	PG_mappedtodisk, /* every block has a disk mapping: no get_block needed */
	PG_readahead, /* reaching this page triggers async readahead */
	PG_reclaim,
	PG_buddy, /* free, owned by the buddy allocator; private = order */
	PG_reserved, /* not RAM we manage (kernel image, firmware, holes) */
	PG_slab, /* backs kmalloc objects */
	__NR_PAGEFLAGS
};

#define PAGEFLAG(uname, lname)                                       \
	static inline int Page##uname(const struct page *page)       \
	{                                                            \
		return test_bit(PG_##lname, &page->flags);           \
	}                                                            \
	static inline void SetPage##uname(struct page *page)         \
	{                                                            \
		set_bit(PG_##lname, &page->flags);                   \
	}                                                            \
	static inline void ClearPage##uname(struct page *page)       \
	{                                                            \
		clear_bit(PG_##lname, &page->flags);                 \
	}                                                            \
	static inline int TestSetPage##uname(struct page *page)      \
	{                                                            \
		return test_and_set_bit(PG_##lname, &page->flags);   \
	}                                                            \
	static inline int TestClearPage##uname(struct page *page)    \
	{                                                            \
		return test_and_clear_bit(PG_##lname, &page->flags); \
	}

struct page;
#endif
