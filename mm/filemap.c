/*
 * The page cache proper: pages of an address_space in a radix tree,
 * the page lock and writeback bit with their sleeping waits, dirty
 * tagging, and the generic read and write paths over a_ops.
 */
#include "buffer_head.h"
#include "errno.h"
#include "ktime.h"
#include "pagemap.h"
#include "printk.h"
#include "sched.h"
#include "string.h"
#include "wait.h"
#include "writeback.h"

struct page_cache_stats pc_stats;

/*
 * Sleepers on a page wait on one of a few shared queues chosen by the
 * page's address (Linux's page_waitqueue): a wait queue in every struct
 * page would cost more than all the waits it saves. A wake_up wakes
 * every sleeper of the bucket; each rechecks its own page's bit.
 */
#define PAGE_WAIT_TABLE_BITS 6
static wait_queue_head_t page_wait_table[1 << PAGE_WAIT_TABLE_BITS];
static bool page_wait_ready;

static wait_queue_head_t *page_waitqueue(const struct page *page)
{
	unsigned long h = (unsigned long)page / sizeof(struct page);

	if (unlikely(!page_wait_ready)) {
		for (size_t i = 0; i < ARRAY_SIZE(page_wait_table); i++)
			init_waitqueue_head(&page_wait_table[i]);
		page_wait_ready = true;
	}
	h = (h * 0x9e3779b97f4a7c15UL) >> (64 - PAGE_WAIT_TABLE_BITS);
	return &page_wait_table[h];
}

void lock_page(struct page *page)
{
	while (TestSetPageLocked(page))
		wait_event(*page_waitqueue(page), !PageLocked(page));
}

void unlock_page(struct page *page)
{
	BUG_ON(!PageLocked(page));
	ClearPageLocked(page);
	wake_up(page_waitqueue(page));
}

void wait_on_page_locked(struct page *page)
{
	if (PageLocked(page))
		wait_event(*page_waitqueue(page), !PageLocked(page));
}

void wait_on_page_writeback(struct page *page)
{
	if (PageWriteback(page))
		wait_event(*page_waitqueue(page), !PageWriteback(page));
}

static void tag_page(struct page *page, unsigned int tag, bool set)
{
	struct address_space *mapping = page->mapping;
	unsigned long flags;

	if (!mapping)
		return;
	spin_lock_irqsave(&mapping->tree_lock, flags);
	if (set)
		radix_tree_tag_set(&mapping->page_tree, page->index, tag);
	else
		radix_tree_tag_clear(&mapping->page_tree, page->index, tag);
	spin_unlock_irqrestore(&mapping->tree_lock, flags);
}

int test_set_page_writeback(struct page *page)
{
	int ret = TestSetPageWriteback(page);

	if (!ret) {
		pc_stat_add(nr_writeback, 1);
		tag_page(page, PAGECACHE_TAG_WRITEBACK, true);
	}
	/* The dirty tag follows the flag once I/O has been started. */
	if (!PageDirty(page))
		tag_page(page, PAGECACHE_TAG_DIRTY, false);
	return ret;
}

void end_page_writeback(struct page *page)
{
	if (!TestClearPageWriteback(page))
		BUG();
	pc_stat_sub(nr_writeback, 1);
	tag_page(page, PAGECACHE_TAG_WRITEBACK, false);
	wake_up(page_waitqueue(page));
}

int __set_page_dirty_nobuffers(struct page *page)
{
	struct address_space *mapping = page->mapping;

	if (TestSetPageDirty(page))
		return 0;
	if (mapping) {
		pc_stat_add(nr_dirty, 1);
		tag_page(page, PAGECACHE_TAG_DIRTY, true);
		mapping_mark_dirty_list(mapping);
	}
	return 1;
}

int set_page_dirty(struct page *page)
{
	struct address_space *mapping = page->mapping;

	if (mapping && mapping->a_ops && mapping->a_ops->set_page_dirty)
		return mapping->a_ops->set_page_dirty(page);
	if (!mapping)
		return !TestSetPageDirty(page);
	return __set_page_dirty_nobuffers(page);
}

int clear_page_dirty_for_io(struct page *page)
{
	BUG_ON(!PageLocked(page));
	if (!TestClearPageDirty(page))
		return 0;
	if (page->mapping)
		pc_stat_sub(nr_dirty, 1);
	return 1;
}

void cancel_dirty_page(struct page *page)
{
	if (TestClearPageDirty(page) && page->mapping) {
		pc_stat_sub(nr_dirty, 1);
		tag_page(page, PAGECACHE_TAG_DIRTY, false);
	}
}

struct page *page_cache_alloc(struct address_space *mapping)
{
	(void)mapping;
	return alloc_page(GFP_KERNEL);
}

int add_to_page_cache(struct page *page, struct address_space *mapping,
		      pgoff_t index, gfp_t gfp)
{
	unsigned long flags;
	unsigned int prof;
	int err;

	(void)gfp;
	if (TestSetPageLocked(page))
		BUG();
	prof = prof_enter(PROF_PAGECACHE);
	spin_lock_irqsave(&mapping->tree_lock, flags);
	err = radix_tree_insert(&mapping->page_tree, index, page);
	if (!err) {
		get_page(page);
		page->mapping = mapping;
		page->index = index;
		mapping->nrpages++;
	}
	spin_unlock_irqrestore(&mapping->tree_lock, flags);
	prof_exit(prof);
	if (err) {
		ClearPageLocked(page);
		return err;
	}
	pc_stat_add(nr_pages, 1);
	return 0;
}

int add_to_page_cache_lru(struct page *page, struct address_space *mapping,
			  pgoff_t index, gfp_t gfp)
{
	int err = add_to_page_cache(page, mapping, index, gfp);

	if (!err)
		lru_cache_add(page);
	return err;
}

void remove_from_page_cache(struct page *page)
{
	struct address_space *mapping = page->mapping;
	unsigned long flags;

	BUG_ON(!PageLocked(page));
	BUG_ON(PageWriteback(page));
	if (!mapping)
		return;
	cancel_dirty_page(page);
	lru_cache_del(page);
	spin_lock_irqsave(&mapping->tree_lock, flags);
	radix_tree_delete(&mapping->page_tree, page->index);
	page->mapping = NULL;
	mapping->nrpages--;
	spin_unlock_irqrestore(&mapping->tree_lock, flags);
	pc_stat_sub(nr_pages, 1);
	ClearPageUptodate(page);
	ClearPageMappedToDisk(page);
	ClearPageReadahead(page);
	ClearPageError(page);
	put_page(page);
}

struct page *find_get_page(struct address_space *mapping, pgoff_t index)
{
	struct page *page;
	unsigned long flags;

	spin_lock_irqsave(&mapping->tree_lock, flags);
	page = radix_tree_lookup(&mapping->page_tree, index);
	if (page)
		get_page(page);
	spin_unlock_irqrestore(&mapping->tree_lock, flags);
	return page;
}

struct page *find_lock_page(struct address_space *mapping, pgoff_t index)
{
	struct page *page;

	for (;;) {
		page = find_get_page(mapping, index);
		if (!page)
			return NULL;
		lock_page(page);
		/* Truncated while we slept for the lock? */
		if (page->mapping == mapping && page->index == index)
			return page;
		unlock_page(page);
		put_page(page);
	}
}

struct page *find_or_create_page(struct address_space *mapping, pgoff_t index,
				 gfp_t gfp)
{
	struct page *page;
	int err;

	for (;;) {
		page = find_lock_page(mapping, index);
		if (page)
			return page;
		/* gfp matters: metadata reads inside writeback pass NOIO. */
		page = alloc_page(gfp);
		if (!page)
			return NULL;
		err = add_to_page_cache_lru(page, mapping, index, gfp);
		if (!err)
			return page;
		put_page(page);
		if (err != -EEXIST)
			return NULL;
	}
}

unsigned int find_get_pages(struct address_space *mapping, pgoff_t start,
			    unsigned int nr, struct page **pages)
{
	unsigned long flags;
	unsigned int n;

	spin_lock_irqsave(&mapping->tree_lock, flags);
	n = radix_tree_gang_lookup(&mapping->page_tree, (void **)pages, start,
				   nr);
	for (unsigned int i = 0; i < n; i++)
		get_page(pages[i]);
	spin_unlock_irqrestore(&mapping->tree_lock, flags);
	return n;
}

unsigned int find_get_pages_tag(struct address_space *mapping, pgoff_t *index,
				int tag, unsigned int nr, struct page **pages)
{
	unsigned long flags;
	unsigned int n;

	spin_lock_irqsave(&mapping->tree_lock, flags);
	n = radix_tree_gang_lookup_tag(&mapping->page_tree, (void **)pages,
				       *index, nr, (unsigned int)tag);
	for (unsigned int i = 0; i < n; i++)
		get_page(pages[i]);
	spin_unlock_irqrestore(&mapping->tree_lock, flags);
	if (n)
		*index = pages[n - 1]->index + 1;
	return n;
}

static struct page *wait_read_done(struct page *page)
{
	wait_on_page_locked(page);
	if (PageUptodate(page))
		return page;
	put_page(page);
	return ERR_PTR(-EIO);
}

/*
 * A fresh page added to the cache at index, as add_to_page_cache_lru
 * leaves it (locked, referenced); NULL if another thread added one
 * first, so the caller looks again; ERR_PTR on failure.
 */
static struct page *add_new_cache_page(struct address_space *mapping,
				       pgoff_t index)
{
	struct page *page = page_cache_alloc(mapping);
	int err;

	if (!page)
		return ERR_PTR(-ENOMEM);
	err = add_to_page_cache_lru(page, mapping, index, 0);
	if (!err)
		return page;
	put_page(page);
	return err == -EEXIST ? NULL : ERR_PTR(err);
}

struct page *read_cache_page(struct address_space *mapping, pgoff_t index,
			     filler_t *filler, void *data)
{
	struct page *page;
	int err;

	for (;;) {
		page = find_get_page(mapping, index);
		if (!page) {
			page = add_new_cache_page(mapping, index);
			if (!page)
				continue;
			if (IS_ERR(page))
				return page;
			err = filler(data, page);
			if (err) {
				put_page(page);
				return ERR_PTR(err);
			}
			return wait_read_done(page);
		}
		if (PageUptodate(page))
			return page;
		lock_page(page);
		if (!page->mapping) {
			unlock_page(page);
			put_page(page);
			continue;
		}
		if (PageUptodate(page)) {
			unlock_page(page);
			return page;
		}
		ClearPageError(page);
		err = filler(data, page);
		if (err) {
			put_page(page);
			return ERR_PTR(err);
		}
		return wait_read_done(page);
	}
}

static int readpage_filler(void *data, struct page *page)
{
	return page->mapping->a_ops->readpage(data, page);
}

struct page *read_mapping_page(struct address_space *mapping, pgoff_t index,
			       struct file *file)
{
	return read_cache_page(mapping, index, readpage_filler, file);
}

/*
 * A page the reader needs is not up to date: either a read is still in
 * flight (wait for the lock) or it failed. A page we read ourselves
 * (own_read) has had its attempt. A page readahead failed gets one
 * fresh readpage, as in Linux: readahead is never retried below us, and
 * its failure may have been another page's. A failure the reader sees
 * quarters its window (shrink_readahead_size_eio) and is remembered
 * (ra->eio_index): the read call that returned the bytes before it ends
 * there, and the next call, asking for that page again, gets -EIO
 * without touching the disk once more. *no_ra stops readahead for the
 * rest of the read call. So a failing disk is read no more than the
 * reader needs: a bad sector twice per open file, at most.
 */
static int filemap_make_uptodate(struct address_space *mapping,
				 struct file_ra_state *ra, struct file *filp,
				 struct page *page, bool own_read, bool *no_ra)
{
	int err;

	lock_page(page);
	if (!page->mapping) {
		unlock_page(page);
		return -EAGAIN; /* truncated: look it up again */
	}
	if (PageUptodate(page)) {
		unlock_page(page);
		return 0;
	}
	*no_ra = true;
	if (ra->eio_index == page->index + 1) {
		unlock_page(page);
		return -EIO;
	}
	if (!own_read) {
		ClearPageError(page);
		err = mapping->a_ops->readpage(filp, page);
		if (err)
			return err;
		wait_on_page_locked(page);
		if (PageUptodate(page))
			return 0;
		if (!page->mapping)
			return -EAGAIN;
	} else {
		unlock_page(page);
	}
	shrink_readahead_size_eio(ra);
	ra->eio_index = page->index + 1;
	return -EIO;
}

/* Find or read the page at index; a referenced, up-to-date page or ERR_PTR. */
static struct page *filemap_get_read_page(struct address_space *mapping,
					  struct file_ra_state *ra,
					  struct file *filp, pgoff_t index,
					  pgoff_t last_index, bool *no_ra)
{
	struct page *page;
	int err;

	for (;;) {
		bool own_read = false;

		page = find_get_page(mapping, index);
		if (!page && !*no_ra) {
			page_cache_sync_readahead(mapping, ra, filp, index,
						  last_index - index + 1);
			page = find_get_page(mapping, index);
		} else if (page) {
			pc_stat_add(ra_hits, 1);
		}
		if (!page) {
			/* No readahead, or it could not allocate: this page. */
			page = add_new_cache_page(mapping, index);
			if (!page)
				continue;
			if (IS_ERR(page))
				return page;
			err = mapping->a_ops->readpage(filp, page);
			if (err) {
				put_page(page);
				return ERR_PTR(err);
			}
			own_read = true;
		}
		if (PageReadahead(page) && !*no_ra)
			page_cache_async_readahead(mapping, ra, filp, page,
						   index,
						   last_index - index + 1);
		if (PageUptodate(page))
			return page;
		err = filemap_make_uptodate(mapping, ra, filp, page, own_read,
					    no_ra);
		if (!err)
			return page;
		put_page(page);
		if (err != -EAGAIN)
			return ERR_PTR(err);
	}
}

/* Pages one look at the tree hands the read loop at most. */
#define READ_BATCH 16

/*
 * The common case of a read, with one look at the tree: the pages from
 * index on that are cached, up to date and carry no readahead marker.
 * Returns how many (referenced, in pages[]); the first page that needs
 * more (a miss, a read in flight or failed, a marker) ends the batch
 * and is left to filemap_get_read_page.
 */
static unsigned int filemap_get_read_batch(struct address_space *mapping,
					   pgoff_t index, unsigned int max,
					   struct page **pages)
{
	unsigned int n = find_get_pages(mapping, index, max, pages), ok = 0;

	while (ok < n && pages[ok]->index == index + ok &&
	       PageUptodate(pages[ok]) && !PageReadahead(pages[ok]))
		ok++;
	for (unsigned int i = ok; i < n; i++)
		put_page(pages[i]);
	return ok;
}

ssize_t filemap_read(struct address_space *mapping, struct file_ra_state *ra,
		     struct file *filp, loff_t pos, char *buf, size_t count)
{
	struct inode *inode = mapping->host;
	struct page *pages[READ_BATCH];
	pgoff_t last_index;
	size_t copied = 0;
	unsigned int prof;
	bool no_ra = false, eof = false;

	if (pos < 0)
		return -EINVAL;
	if (!count)
		return 0;
	last_index = (pgoff_t)((pos + (loff_t)count - 1) >> PAGE_SHIFT);
	prof = prof_enter(PROF_PAGECACHE);
	while (copied < count && !eof) {
		loff_t isize = i_size_read(inode);
		pgoff_t index = (pgoff_t)(pos >> PAGE_SHIFT);
		unsigned int nr, i;

		if (pos >= isize)
			break;
		/* Ctrl-C: stop at a page, what was read so far counts. */
		if (fatal_signal_pending(current)) {
			prof_exit(prof);
			return copied ? (ssize_t)copied : -EINTR;
		}
		nr = filemap_get_read_batch(
			mapping, index,
			(unsigned int)min_t(pgoff_t, last_index - index + 1,
					    READ_BATCH),
			pages);
		if (nr) {
			pc_stat_add(ra_hits, nr);
		} else {
			pages[0] = filemap_get_read_page(
				mapping, ra, filp, index, last_index, &no_ra);
			if (IS_ERR(pages[0])) {
				prof_exit(prof);
				return copied ? (ssize_t)copied :
						PTR_ERR(pages[0]);
			}
			nr = 1;
		}
		/* i_size may have moved while we slept; read it again. */
		isize = i_size_read(inode);
		prof_enter(PROF_COPY);
		for (i = 0; i < nr && copied < count; i++) {
			unsigned int offset = (unsigned int)(pos & ~PAGE_MASK);
			size_t n = PAGE_SIZE - offset;

			if ((loff_t)n > isize - pos)
				n = isize > pos ? (size_t)(isize - pos) : 0;
			if (n > count - copied)
				n = count - copied;
			if (!n) {
				eof = true;
				break;
			}
			memcpy(buf + copied,
			       (char *)page_address(pages[i]) + offset, n);
			copied += n;
			pos += (loff_t)n;
		}
		prof_exit(PROF_PAGECACHE);
		for (i = 0; i < nr; i++) {
			mark_page_accessed(pages[i]);
			put_page(pages[i]);
		}
		if (copied)
			ra->prev_pos = pos - 1;
	}
	prof_exit(prof);
	return (ssize_t)copied;
}

ssize_t generic_perform_write(struct file *filp, struct address_space *mapping,
			      loff_t pos, const char *buf, size_t count)
{
	const struct address_space_operations *a_ops = mapping->a_ops;
	size_t written = 0;
	unsigned int prof;
	ssize_t ret = 0;

	if (pos < 0)
		return -EINVAL;
	prof = prof_enter(PROF_PAGECACHE);
	while (written < count) {
		unsigned int offset = (unsigned int)(pos & ~PAGE_MASK);
		unsigned int bytes = (unsigned int)min_t(
			size_t, PAGE_SIZE - offset, count - written);
		struct page *page;
		void *fsdata = NULL;

		if (fatal_signal_pending(current)) {
			ret = -EINTR;
			break;
		}
		ret = a_ops->write_begin(filp, mapping, pos, bytes, 0, &page,
					 &fsdata);
		if (ret)
			break;
		prof_enter(PROF_COPY);
		memcpy((char *)page_address(page) + offset, buf + written,
		       bytes);
		prof_exit(PROF_PAGECACHE);
		ret = a_ops->write_end(filp, mapping, pos, bytes, bytes, page,
				       fsdata);
		if (ret <= 0)
			break;
		written += (size_t)ret;
		pos += ret;
		balance_dirty_pages_ratelimited(mapping);
	}
	prof_exit(prof);
	return written ? (ssize_t)written : ret;
}

void page_cache_stats_snapshot(struct page_cache_stats *out)
{
	*out = pc_stats;
	out->nr_buffer_heads = nr_buffer_heads();
}
