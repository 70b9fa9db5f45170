/*
 * On-demand readahead (Linux 2.6.2x, with Linux 6.1's sizing): a reader
 * that misses the cache gets a window of pages read in one go; a window
 * is sized from the request, and each sequential step grows it (four
 * times while small, then twice) up to the file's maximum, ra_pages,
 * which a disk sets to four of its largest requests (bdi->io_pages,
 * fs/block_dev.c) so that a stream keeps full requests in flight while
 * it copies. A single read larger than ra_pages may read up to io_pages
 * at once (Linux's io_pages rule).
 * The page async_size from the end of a window carries PG_readahead:
 * reaching it starts the next window while the reader still has pages
 * to consume, so I/O and copying overlap. Random reads read only what
 * they asked for. A read error quarters the file's maximum
 * (shrink_readahead_size_eio): a failing disk is not hammered with
 * whole windows again.
 */
#include "blkdev.h"
#include "errno.h"
#include "ktime.h"
#include "pagemap.h"
#include "printk.h"

struct backing_dev_info default_backing_dev_info = {
	.ra_pages = VM_MAX_READAHEAD_KIB * 1024 / PAGE_SIZE,
};

static struct backing_dev_info *mapping_bdi(struct address_space *mapping)
{
	return mapping->backing_dev_info ? mapping->backing_dev_info :
					   &default_backing_dev_info;
}

void file_ra_state_init(struct file_ra_state *ra, struct address_space *mapping)
{
	ra->start = 0;
	ra->size = 0;
	ra->async_size = 0;
	ra->ra_pages = (unsigned int)mapping_bdi(mapping)->ra_pages;
	ra->prev_pos = -1;
	ra->eio_index = 0;
}

void shrink_readahead_size_eio(struct file_ra_state *ra)
{
	ra->ra_pages /= 4;
}

static void __read_pages(struct address_space *mapping, struct file *filp,
			 struct list_head *pages, unsigned int nr)
{
	if (mapping->a_ops->readpages) {
		mapping->a_ops->readpages(filp, mapping, pages, nr);
		/* readpages consumes the list; free what it left. */
		while (!list_empty(pages)) {
			struct page *page =
				list_last_entry(pages, struct page, lru);

			list_del(&page->lru);
			put_page(page);
		}
		return;
	}
	while (!list_empty(pages)) {
		struct page *page = list_last_entry(pages, struct page, lru);

		list_del(&page->lru);
		if (!add_to_page_cache_lru(page, mapping, page->index, 0))
			mapping->a_ops->readpage(filp, page);
		put_page(page);
	}
}

/*
 * Under a plug, so the block layer can merge what the batch submits:
 * one bio per page on the buffer-head path, or the bios mpage splits
 * at discontiguities. Linux 2.6's queues plugged themselves when idle;
 * since 2.6.39 the submitter plugs, as here.
 */
static void read_pages(struct address_space *mapping, struct file *filp,
		       struct list_head *pages, unsigned int nr)
{
	unsigned int prof = prof_enter(PROF_BIO);
	struct blk_plug plug;

	blk_start_plug(&plug);
	__read_pages(mapping, filp, pages, nr);
	blk_finish_plug(&plug);
	prof_exit(prof);
}

/* The first index in [idx, end) that is cached already, or end. */
static pgoff_t next_cached(struct address_space *mapping, pgoff_t idx,
			   pgoff_t end)
{
	struct page *page;
	pgoff_t found = end;

	if (find_get_pages(mapping, idx, 1, &page)) {
		if (page->index < end)
			found = page->index;
		put_page(page);
	}
	return found;
}

/*
 * Read nr pages from index, skipping those cached already (one look at
 * the tree per cached page, not one per page: a cold window costs one),
 * and mark the page lookahead pages before the end with PG_readahead.
 * Returns the pages submitted.
 */
static unsigned int do_page_cache_readahead(struct address_space *mapping,
					    struct file *filp, pgoff_t index,
					    unsigned long nr,
					    unsigned long lookahead)
{
	loff_t isize = i_size_read(mapping->host);
	LIST_HEAD(pool);
	unsigned int count = 0, prof;
	pgoff_t idx = index, stop;

	if (isize <= 0 || !nr)
		return 0;
	prof = prof_enter(PROF_PAGECACHE);
	stop = min((pgoff_t)((isize - 1) >> PAGE_SHIFT) + 1, index + nr);
	while (idx < stop) {
		pgoff_t hole_end = next_cached(mapping, idx, stop);

		for (; idx < hole_end; idx++) {
			struct page *page = page_cache_alloc(mapping);

			if (!page)
				goto out;
			page->index = idx;
			if (lookahead && idx == index + nr - lookahead)
				SetPageReadahead(page);
			/* Newest first: the lowest index ends up at pool.prev. */
			list_add(&page->lru, &pool);
			count++;
		}
		idx = hole_end + 1; /* past the cached page */
	}
out:
	prof_exit(prof);
	if (count) {
		pc_stat_add(ra_pages, count);
		read_pages(mapping, filp, &pool, count);
	}
	return count;
}

static unsigned long roundup_pow_of_two(unsigned long n)
{
	return n <= 1 ? 1 : 1UL << fls64(n - 1);
}

/* First window: four times a small request, twice a medium one. */
static unsigned long init_ra_size(unsigned long req, unsigned long max)
{
	unsigned long size = roundup_pow_of_two(req);

	if (size <= max / 32)
		size *= 4;
	else if (size <= max / 4)
		size *= 2;
	else
		size = max;
	return min(max(size, min(4UL, max)), max);
}

/* The next window: quadruple while small, so a stream is soon at full size. */
static unsigned long next_ra_size(struct file_ra_state *ra, unsigned long max)
{
	unsigned long cur = ra->size;

	if (cur < max / 16)
		return 4 * cur;
	return min(2 * cur, max);
}

static void ra_submit(struct address_space *mapping, struct file_ra_state *ra,
		      struct file *filp)
{
	pc_stat_add(ra_windows, 1);
	do_page_cache_readahead(mapping, filp, ra->start, ra->size,
				ra->async_size);
}

static void ondemand_readahead(struct address_space *mapping,
			       struct file_ra_state *ra, struct file *filp,
			       bool hit_marker, pgoff_t index,
			       unsigned long req)
{
	unsigned long max = ra->ra_pages;
	unsigned long io_pages = mapping_bdi(mapping)->io_pages;
	pgoff_t prev;

	if (!req)
		req = 1;
	/* A read larger than the window may be read whole, in requests the
	 * device takes whole. */
	if (req > max && io_pages > max)
		max = min(req, io_pages);
	/* The expected next step of a sequential stream: grow the window. */
	if (ra->size && (index == ra->start + ra->size - ra->async_size ||
			 index == ra->start + ra->size)) {
		ra->start += ra->size;
		ra->size = (unsigned int)next_ra_size(ra, max);
		ra->async_size = ra->size;
		goto submit;
	}
	/* A marker hit with no matching state: carry on after the cache. */
	if (hit_marker) {
		pgoff_t start = index + 1;
		struct page *page;

		while (start - index <= max &&
		       (page = find_get_page(mapping, start))) {
			put_page(page);
			start++;
		}
		if (start - index > max)
			return;
		ra->start = start;
		ra->size = (unsigned int)(start - index + req);
		ra->size = (unsigned int)min(next_ra_size(ra, max), max);
		ra->async_size = ra->size;
		goto submit;
	}
	prev = ra->prev_pos < 0 ? (pgoff_t)-1 :
				  (pgoff_t)(ra->prev_pos >> PAGE_SHIFT);
	/* The start of the file, or right after the last read: a stream. */
	if (index == 0 || index == prev || index == prev + 1 || req > max)
		goto initial;
	/* A random read: just what was asked, no window. */
	do_page_cache_readahead(mapping, filp, index, req, 0);
	return;

initial:
	ra->start = index;
	ra->size = (unsigned int)init_ra_size(req, max);
	ra->async_size = ra->size > req ? (unsigned int)(ra->size - req) :
					  ra->size;
submit:
	ra_submit(mapping, ra, filp);
}

void page_cache_sync_readahead(struct address_space *mapping,
			       struct file_ra_state *ra, struct file *filp,
			       pgoff_t index, unsigned long req_size)
{
	if (!ra->ra_pages) {
		/* Readahead switched off: read only the request. */
		do_page_cache_readahead(mapping, filp, index, req_size, 0);
		return;
	}
	ondemand_readahead(mapping, ra, filp, false, index, req_size);
}

void page_cache_async_readahead(struct address_space *mapping,
				struct file_ra_state *ra, struct file *filp,
				struct page *page, pgoff_t index,
				unsigned long req_size)
{
	if (!ra->ra_pages || !TestClearPageReadahead(page))
		return;
	if (PageWriteback(page))
		return;
	ondemand_readahead(mapping, ra, filp, true, index, req_size);
}

int force_page_cache_readahead(struct address_space *mapping, struct file *filp,
			       pgoff_t index, unsigned long nr)
{
	unsigned long chunk = max(mapping_bdi(mapping)->ra_pages, 1UL);

	if (!mapping->a_ops->readpage && !mapping->a_ops->readpages)
		return -EINVAL;
	while (nr) {
		unsigned long this = min(nr, chunk);

		do_page_cache_readahead(mapping, filp, index, this, 0);
		index += this;
		nr -= this;
	}
	return 0;
}
