/*
 * Writeback: turning dirty page-cache pages into write I/O. One walk
 * (write_cache_pages) serves memory cleaning, fsync and the flusher;
 * what differs is the writeback_control. Errors from asynchronous
 * completion are kept in the mapping's errseq (wb_err), which each open
 * file's fsync reads once (file_check_and_advance_wb_err), and in
 * AS_EIO/AS_ENOSPC for the kernel's own callers (filemap_check_errors).
 *
 * The flusher's periodic pass (flusher_run_once) goes in the order a
 * power cut can live with: file data dirty for longer than
 * dirty_expire_ms, then the inodes dirty that long and the file
 * system's metadata (fs/fs-writeback.c), then any other old dirty
 * mapping (a block device nobody mounted).
 */
#include "blkdev.h"
#include "errno.h"
#include "ktime.h"
#include "pagemap.h"
#include "printk.h"
#include "writeback.h"

unsigned int dirty_expire_ms = 3000;
unsigned int dirty_writeback_ms = 500;
unsigned int vm_dirty_ratio = 20;
unsigned int dirty_background_ratio = 10;

static LIST_HEAD(dirty_mappings);
static DEFINE_SPINLOCK(dirty_lock);
static bool flusher_wanted;

#define WB_BATCH 16

/* A page lost its dirty bit elsewhere: drop the tag that still says so. */
static void clear_stale_dirty_tag(struct address_space *mapping,
				  struct page *page)
{
	unsigned long flags;

	spin_lock_irqsave(&mapping->tree_lock, flags);
	if (!PageDirty(page))
		radix_tree_tag_clear(&mapping->page_tree, page->index,
				     PAGECACHE_TAG_DIRTY);
	spin_unlock_irqrestore(&mapping->tree_lock, flags);
}

/*
 * Lock the page and decide whether writepage gets it. For WB_SYNC_ALL
 * a page already under writeback holds data older than what is dirty
 * now: wait for that I/O, then write it again.
 */
static bool wb_claim_page(struct address_space *mapping, struct page *page,
			  struct writeback_control *wbc)
{
	lock_page(page);
	if (page->mapping != mapping || !PageDirty(page)) {
		if (page->mapping == mapping)
			clear_stale_dirty_tag(mapping, page);
		unlock_page(page);
		return false;
	}
	if (PageWriteback(page)) {
		if (wbc->sync_mode == WB_SYNC_NONE) {
			wbc->pages_skipped++;
			unlock_page(page);
			return false;
		}
		wait_on_page_writeback(page);
	}
	if (PageWriteback(page) || !clear_page_dirty_for_io(page)) {
		unlock_page(page);
		return false;
	}
	return true;
}

int write_cache_pages(struct address_space *mapping,
		      struct writeback_control *wbc, writepage_t *writepage,
		      void *data)
{
	pgoff_t index = (pgoff_t)(wbc->range_start >> PAGE_SHIFT);
	pgoff_t end = (pgoff_t)(wbc->range_end >> PAGE_SHIFT);
	struct page *pages[WB_BATCH];
	bool done = false;
	int err = 0;

	if (wbc->range_start < 0 || wbc->range_end < wbc->range_start)
		return -EINVAL;
	while (!done && index <= end) {
		unsigned int nr = find_get_pages_tag(
			mapping, &index, PAGECACHE_TAG_DIRTY, WB_BATCH, pages);
		unsigned int i;

		if (!nr)
			break;
		for (i = 0; i < nr; i++) {
			struct page *page = pages[i];
			int ret;

			if (done || page->index > end) {
				done = true;
				continue;
			}
			if (!wb_claim_page(mapping, page, wbc))
				continue;
			ret = writepage(page, wbc, data);
			if (ret && !err)
				err = ret;
			if (--wbc->nr_to_write <= 0 &&
			    wbc->sync_mode == WB_SYNC_NONE)
				done = true;
		}
		for (i = 0; i < nr; i++)
			put_page(pages[i]);
		if (!index)
			break; /* wrapped past the last index */
	}
	return err;
}

static int __writepage(struct page *page, struct writeback_control *wbc,
		       void *data)
{
	struct address_space *mapping = data;
	int ret = mapping->a_ops->writepage(page, wbc);

	mapping_set_error(mapping, ret);
	return ret;
}

int generic_writepages(struct address_space *mapping,
		       struct writeback_control *wbc)
{
	if (!mapping->a_ops->writepage)
		return 0;
	return write_cache_pages(mapping, wbc, __writepage, mapping);
}

/* Plugged, like read_pages(), so adjacent bios merge into requests. */
int do_writepages(struct address_space *mapping, struct writeback_control *wbc)
{
	struct blk_plug plug;
	unsigned int prof;
	int ret;

	if (wbc->nr_to_write <= 0)
		return 0;
	prof = prof_enter(PROF_BIO);
	blk_start_plug(&plug);
	if (mapping->a_ops->writepages)
		ret = mapping->a_ops->writepages(mapping, wbc);
	else
		ret = generic_writepages(mapping, wbc);
	blk_finish_plug(&plug);
	prof_exit(prof);
	return ret;
}

static int __filemap_fdatawrite_range(struct address_space *mapping,
				      loff_t start, loff_t end,
				      enum writeback_sync_modes mode)
{
	struct writeback_control wbc = {
		.sync_mode = mode,
		.nr_to_write = (long)(mapping->nrpages * 2 + 1),
		.range_start = start,
		.range_end = end,
	};

	return do_writepages(mapping, &wbc);
}

int filemap_fdatawrite_range(struct address_space *mapping, loff_t start,
			     loff_t end)
{
	return __filemap_fdatawrite_range(mapping, start, end, WB_SYNC_ALL);
}

int filemap_fdatawrite(struct address_space *mapping)
{
	return filemap_fdatawrite_range(mapping, 0, WB_RANGE_ALL);
}

int filemap_flush(struct address_space *mapping)
{
	return __filemap_fdatawrite_range(mapping, 0, WB_RANGE_ALL,
					  WB_SYNC_NONE);
}

/* Wait for every page under writeback; errors stay in mapping->flags. */
void filemap_fdatawait_keep_errors(struct address_space *mapping)
{
	struct page *pages[WB_BATCH];
	pgoff_t index = 0;
	unsigned int nr;

	while ((nr = find_get_pages_tag(mapping, &index,
					PAGECACHE_TAG_WRITEBACK, WB_BATCH,
					pages))) {
		for (unsigned int i = 0; i < nr; i++) {
			wait_on_page_writeback(pages[i]);
			put_page(pages[i]);
		}
		if (!index)
			break;
	}
}

int filemap_check_errors(struct address_space *mapping)
{
	int ret = 0;

	if (__atomic_fetch_and(&mapping->flags, ~(1UL << AS_ENOSPC),
			       __ATOMIC_SEQ_CST) &
	    (1UL << AS_ENOSPC))
		ret = -ENOSPC;
	if (__atomic_fetch_and(&mapping->flags, ~(1UL << AS_EIO),
			       __ATOMIC_SEQ_CST) &
	    (1UL << AS_EIO))
		ret = -EIO;
	return ret;
}

int filemap_fdatawait(struct address_space *mapping)
{
	filemap_fdatawait_keep_errors(mapping);
	return filemap_check_errors(mapping);
}

int filemap_write_and_wait(struct address_space *mapping)
{
	int err = filemap_fdatawrite(mapping);
	int err2 = filemap_fdatawait(mapping);

	return err2 ? err2 : err;
}

int file_check_and_advance_wb_err(struct file *file)
{
	int err = errseq_check_and_advance(&file->f_mapping->wb_err,
					   &file->f_wb_err);

	/* As Linux: the legacy flags go too, or drop_caches says it again. */
	filemap_check_errors(file->f_mapping);
	return err;
}

int file_write_and_wait(struct file *file)
{
	struct address_space *mapping = file->f_mapping;
	int err = filemap_fdatawrite(mapping);
	int err2;

	filemap_fdatawait_keep_errors(mapping);
	/* The same error comes back from both: reported once. */
	err2 = file_check_and_advance_wb_err(file);
	return err ? err : err2;
}

void mapping_mark_dirty_list(struct address_space *mapping)
{
	unsigned long flags;

	spin_lock_irqsave(&dirty_lock, flags);
	if (list_empty(&mapping->dirty_list)) {
		mapping->dirtied_when_ns = ktime_get_ns();
		list_add_tail(&mapping->dirty_list, &dirty_mappings);
	}
	spin_unlock_irqrestore(&dirty_lock, flags);
}

void mapping_forget(struct address_space *mapping)
{
	unsigned long flags;

	spin_lock_irqsave(&dirty_lock, flags);
	if (!list_empty(&mapping->dirty_list))
		list_del_init(&mapping->dirty_list);
	spin_unlock_irqrestore(&dirty_lock, flags);
}

/* The oldest dirty mapping (off the list), if dirty for older_than_ns. */
static struct address_space *pop_dirty_mapping(u64 older_than_ns)
{
	struct address_space *mapping = NULL;
	unsigned long flags;
	u64 now = ktime_get_ns();

	spin_lock_irqsave(&dirty_lock, flags);
	if (!list_empty(&dirty_mappings)) {
		mapping = list_first_entry(&dirty_mappings,
					   struct address_space, dirty_list);
		if (older_than_ns &&
		    now - mapping->dirtied_when_ns < older_than_ns)
			mapping = NULL;
		else
			list_del_init(&mapping->dirty_list);
	}
	spin_unlock_irqrestore(&dirty_lock, flags);
	return mapping;
}

/* Back on the list, keeping its age, if pages are still dirty. */
static void requeue_if_dirty(struct address_space *mapping, u64 when)
{
	unsigned long flags, tflags;
	bool dirty;

	spin_lock_irqsave(&mapping->tree_lock, tflags);
	dirty = radix_tree_tagged(&mapping->page_tree, PAGECACHE_TAG_DIRTY);
	spin_unlock_irqrestore(&mapping->tree_lock, tflags);
	if (!dirty)
		return;
	spin_lock_irqsave(&dirty_lock, flags);
	if (list_empty(&mapping->dirty_list)) {
		mapping->dirtied_when_ns = when;
		list_add_tail(&mapping->dirty_list, &dirty_mappings);
	}
	spin_unlock_irqrestore(&dirty_lock, flags);
}

bool mapping_dirty_expired(struct address_space *mapping, u64 older_than_ns)
{
	unsigned long flags;
	bool on_list;
	u64 when;

	spin_lock_irqsave(&dirty_lock, flags);
	on_list = !list_empty(&mapping->dirty_list);
	when = mapping->dirtied_when_ns;
	spin_unlock_irqrestore(&dirty_lock, flags);
	if (!on_list || ktime_get_ns() - when < older_than_ns)
		return false;
	spin_lock_irqsave(&mapping->tree_lock, flags);
	on_list = radix_tree_tagged(&mapping->page_tree, PAGECACHE_TAG_DIRTY);
	spin_unlock_irqrestore(&mapping->tree_lock, flags);
	return on_list;
}

/* A block device's own cache: metadata, the file system's to order. */
static bool mapping_is_bdev(const struct address_space *mapping)
{
	return mapping->host && mapping->host->i_bdev;
}

static unsigned long nr_dirty_mappings(void)
{
	unsigned long flags, n = 0;
	struct list_head *pos;

	spin_lock_irqsave(&dirty_lock, flags);
	list_for_each(pos, &dirty_mappings)
		n++;
	spin_unlock_irqrestore(&dirty_lock, flags);
	return n;
}

long writeback_mappings(u64 older_than_ns, long nr_pages,
			enum writeback_sync_modes mode, bool data_only)
{
	unsigned long rounds = nr_dirty_mappings();
	long written = 0;

	while (rounds-- && written < nr_pages) {
		struct address_space *mapping =
			pop_dirty_mapping(older_than_ns);
		struct writeback_control wbc = {
			.sync_mode = mode,
			.nr_to_write = nr_pages - written,
			.range_end = WB_RANGE_ALL,
		};
		struct super_block *sb;
		bool bdev;
		u64 when;
		int err;

		if (!mapping)
			break;
		when = mapping->dirtied_when_ns;
		bdev = mapping_is_bdev(mapping);
		sb = !bdev && mapping->host ? mapping->host->i_sb : NULL;
		if ((data_only && bdev) || (sb && !trylock_super(sb))) {
			/* Not now: bdev metadata waits for its pass; an
			 * unmount in progress writes the file itself. */
			requeue_if_dirty(mapping, when);
			continue;
		}
		err = do_writepages(mapping, &wbc);
		if (err)
			mapping_set_error(mapping, err);
		written += (nr_pages - written) - wbc.nr_to_write;
		if (mode == WB_SYNC_ALL)
			filemap_fdatawait_keep_errors(mapping);
		requeue_if_dirty(mapping, when);
		if (sb)
			super_unlock_shared(sb);
	}
	return written;
}

int sync_all_mappings(void)
{
	unsigned long rounds = nr_dirty_mappings();
	int ret = 0;

	while (rounds--) {
		struct address_space *mapping = pop_dirty_mapping(0);
		int err;

		if (!mapping)
			break;
		/* AS_EIO only: what open files report (wb_err) stays theirs. */
		err = filemap_write_and_wait(mapping);
		if (!ret)
			ret = err;
		requeue_if_dirty(mapping, mapping->dirtied_when_ns);
	}
	return ret;
}

unsigned long dirty_threshold_pages(void)
{
	return totalram_pages() * vm_dirty_ratio / 100 + 1;
}

static unsigned long background_threshold_pages(void)
{
	return totalram_pages() * dirty_background_ratio / 100 + 1;
}

/*
 * A writer that pushed the dirty count over the limit writes back some
 * of it itself and waits for its own I/O: the throttle that keeps
 * dirty memory bounded whatever the flusher manages.
 */
void balance_dirty_pages_ratelimited(struct address_space *mapping)
{
	unsigned long dirty = READ_ONCE(pc_stats.nr_dirty);

	if (dirty > background_threshold_pages())
		wakeup_flusher_threads();
	if (dirty <= dirty_threshold_pages())
		return;
	writeback_mappings(0, (long)(dirty - background_threshold_pages()),
			   WB_SYNC_NONE, false);
	filemap_fdatawait_keep_errors(mapping);
}

void wakeup_flusher_threads(void)
{
	WRITE_ONCE(flusher_wanted, true);
}

bool flusher_test_and_clear_wanted(void)
{
	return __atomic_exchange_n(&flusher_wanted, false, __ATOMIC_SEQ_CST);
}

long flusher_run_once(void)
{
	u64 expire = (u64)dirty_expire_ms * NSEC_PER_MSEC;
	long written = writeback_mappings(expire, 1024, WB_SYNC_NONE, true);
	unsigned long dirty;

	written += writeback_inodes_expired(expire);
	written += writeback_mappings(expire, 1024, WB_SYNC_NONE, false);
	dirty = READ_ONCE(pc_stats.nr_dirty);
	if (dirty > background_threshold_pages())
		written += writeback_mappings(
			0, (long)(dirty - background_threshold_pages()),
			WB_SYNC_NONE, false);
	return written;
}
