/*
 * Buffer heads: the block-sized view of a page-cache page. They are the
 * general path (any page, any mix of holes and discontiguous blocks),
 * the fallback of fs/mpage.c, and the way metadata blocks are read and
 * written through the block device's own page cache.
 *
 * Metadata is never lost to a write error: a buffer of the device's
 * cache whose write failed stays up to date and dirty (BH_Write_EIO
 * says why), so nothing re-reads the stale block over it, and sync or
 * fsync tries again (background writeback leaves it alone).
 */
#include "bio.h"
#include "blkdev.h"
#include "buffer_head.h"
#include "errno.h"
#include "pagemap.h"
#include "printk.h"
#include "slab.h"
#include "string.h"
#include "wait.h"
#include "writeback.h"

static unsigned long bh_alive;
/* Guards every mapping's private_list and each b_assoc_map. */
static DEFINE_SPINLOCK(assoc_lock);
static unsigned long max_buffer_heads;
int buffer_heads_over_limit;

/*
 * Completions of the buffers of one page may race each other (several
 * bios, interrupt context): this lock makes "am I the last one?" a
 * single decision, as Linux's BH_Uptodate_Lock bit does.
 */
static DEFINE_SPINLOCK(bh_async_lock);

#define BH_WAIT_TABLE_BITS 6
static wait_queue_head_t bh_wait_table[1 << BH_WAIT_TABLE_BITS];
static bool bh_wait_ready;

static wait_queue_head_t *bh_waitqueue(const struct buffer_head *bh)
{
	unsigned long h = (unsigned long)bh / sizeof(*bh);

	if (unlikely(!bh_wait_ready)) {
		for (size_t i = 0; i < ARRAY_SIZE(bh_wait_table); i++)
			init_waitqueue_head(&bh_wait_table[i]);
		bh_wait_ready = true;
	}
	h = (h * 0x9e3779b97f4a7c15UL) >> (64 - BH_WAIT_TABLE_BITS);
	return &bh_wait_table[h];
}

static void recalc_bh_state(void)
{
	if (!max_buffer_heads) {
		unsigned long bytes = totalram_pages() * PAGE_SIZE / 10;

		max_buffer_heads =
			max(bytes / sizeof(struct buffer_head), 1024UL);
	}
	buffer_heads_over_limit = bh_alive > max_buffer_heads;
}

unsigned long nr_buffer_heads(void)
{
	return READ_ONCE(bh_alive);
}

static struct buffer_head *alloc_buffer_head(void)
{
	struct buffer_head *bh = kzalloc(sizeof(*bh), GFP_NOIO);

	if (bh) {
		INIT_LIST_HEAD(&bh->b_assoc_buffers);
		__atomic_add_fetch(&bh_alive, 1, __ATOMIC_RELAXED);
		recalc_bh_state();
	}
	return bh;
}

static void free_buffer_head(struct buffer_head *bh)
{
	kfree(bh);
	__atomic_sub_fetch(&bh_alive, 1, __ATOMIC_RELAXED);
	recalc_bh_state();
}

void lock_buffer(struct buffer_head *bh)
{
	while (!trylock_buffer(bh))
		wait_event(*bh_waitqueue(bh), !buffer_locked(bh));
}

void unlock_buffer(struct buffer_head *bh)
{
	clear_buffer_locked(bh);
	wake_up(bh_waitqueue(bh));
}

void wait_on_buffer(struct buffer_head *bh)
{
	if (buffer_locked(bh))
		wait_event(*bh_waitqueue(bh), !buffer_locked(bh));
}

void create_empty_buffers(struct page *page, unsigned long blocksize,
			  unsigned long b_state)
{
	struct buffer_head *head = NULL, *tail = NULL;
	unsigned long offset;

	BUG_ON(page_has_buffers(page));
	BUG_ON(blocksize < SECTOR_SIZE || blocksize > PAGE_SIZE);
	for (offset = 0; offset < PAGE_SIZE; offset += blocksize) {
		struct buffer_head *bh;

		/* Never fail here: callers hold a locked page mid-I/O. */
		while (!(bh = alloc_buffer_head()))
			shrink_page_cache(1, false);
		bh->b_state = b_state;
		bh->b_page = page;
		bh->b_size = blocksize;
		bh->b_data = (char *)page_address(page) + offset;
		if (!head)
			head = bh;
		else
			tail->b_this_page = bh;
		tail = bh;
	}
	tail->b_this_page = head;
	if (PageUptodate(page) || PageDirty(page)) {
		struct buffer_head *bh = head;

		do {
			if (PageUptodate(page))
				set_buffer_uptodate(bh);
			if (PageDirty(page))
				set_buffer_dirty(bh);
			bh = bh->b_this_page;
		} while (bh != head);
	}
	get_page(page);
	page->private = (unsigned long)head;
	SetPagePrivate(page);
}

/* A buffer of a block device's own cache: file system metadata. */
static bool buffer_is_metadata(const struct buffer_head *bh)
{
	const struct address_space *mapping = bh->b_page->mapping;

	return mapping && mapping->host && mapping->host->i_bdev;
}

/* Under assoc_lock. */
static void __remove_assoc_queue(struct buffer_head *bh)
{
	list_del_init(&bh->b_assoc_buffers);
	bh->b_assoc_map = NULL;
}

static void remove_assoc_queue(struct buffer_head *bh)
{
	spin_lock(&assoc_lock);
	if (bh->b_assoc_map)
		__remove_assoc_queue(bh);
	spin_unlock(&assoc_lock);
}

static bool buffer_busy(const struct buffer_head *bh)
{
	return READ_ONCE(bh->b_count) ||
	       (bh->b_state & (BIT(BH_Dirty) | BIT(BH_Lock)));
}

int try_to_free_buffers(struct page *page)
{
	struct buffer_head *head, *bh, *next;

	if (!page_has_buffers(page))
		return 1;
	if (PageWriteback(page))
		return 0;
	head = page_buffers(page);
	bh = head;
	do {
		if (buffer_busy(bh))
			return 0;
		bh = bh->b_this_page;
	} while (bh != head);
	bh = head;
	do {
		next = bh->b_this_page;
		remove_assoc_queue(bh);
		free_buffer_head(bh);
		bh = next;
	} while (bh != head);
	page->private = 0;
	ClearPagePrivate(page);
	put_page(page);
	return 1;
}

void block_invalidatepage(struct page *page, unsigned long offset)
{
	struct buffer_head *head, *bh;
	unsigned long start = 0;

	if (!page_has_buffers(page))
		return;
	head = page_buffers(page);
	bh = head;
	do {
		if (start >= offset) {
			lock_buffer(bh);
			clear_buffer_dirty(bh);
			bh->b_state &=
				~(BIT(BH_Mapped) | BIT(BH_Req) | BIT(BH_New) |
				  BIT(BH_Uptodate) | BIT(BH_Boundary));
			unlock_buffer(bh);
		}
		start += bh->b_size;
		bh = bh->b_this_page;
	} while (bh != head);
	if (!offset)
		try_to_free_buffers(page);
}

static void end_bio_bh_io_sync(struct bio *bio)
{
	struct buffer_head *bh = bio->bi_private;

	bh->b_end_io(bh, bio->bi_status == 0);
	bio_put(bio);
}

int submit_bh(int rw, struct buffer_head *bh)
{
	unsigned int offset =
		(unsigned int)(bh->b_data - (char *)page_address(bh->b_page));
	struct bio *bio;

	BUG_ON(!buffer_locked(bh));
	BUG_ON(!buffer_mapped(bh));
	BUG_ON(!bh->b_end_io);
	set_buffer_req(bh);
	if ((rw & RW_MASK) == WRITE)
		clear_buffer_write_io_error(bh);
	bio = bio_alloc(GFP_NOIO, 1);
	if (!bio) {
		bh->b_end_io(bh, 0);
		return -ENOMEM;
	}
	bio->bi_bdev = bh->b_bdev;
	bio->bi_sector = bh->b_blocknr * (bh->b_size >> SECTOR_SHIFT);
	bio->bi_end_io = end_bio_bh_io_sync;
	bio->bi_private = bh;
	if (bio_add_page(bio, bh->b_page, (unsigned int)bh->b_size, offset) !=
	    (int)bh->b_size) {
		/* The device cannot take a block this small or misaligned. */
		bio_put(bio);
		bh->b_end_io(bh, 0);
		return -EIO;
	}
	submit_bio(rw, bio);
	return 0;
}

void end_buffer_read_sync(struct buffer_head *bh, int uptodate)
{
	if (uptodate)
		set_buffer_uptodate(bh);
	else
		clear_buffer_uptodate(bh);
	unlock_buffer(bh);
	put_bh(bh);
}

/*
 * A write failed. The memory is newer than the disk either way, so the
 * buffer stays up to date; metadata is dirtied again (sync retries it,
 * nothing drops it), data leaves its error with the mapping for fsync.
 */
static void buffer_write_failed(struct buffer_head *bh)
{
	struct page *page = bh->b_page;

	set_buffer_write_io_error(bh);
	if (page->mapping)
		mapping_set_error(page->mapping, -EIO);
	if (buffer_is_metadata(bh) && !test_set_buffer_dirty(bh))
		__set_page_dirty_nobuffers(page);
}

void end_buffer_write_sync(struct buffer_head *bh, int uptodate)
{
	if (uptodate)
		set_buffer_uptodate(bh);
	else
		buffer_write_failed(bh);
	unlock_buffer(bh);
	put_bh(bh);
}

void ll_rw_block(int rw, int nr, struct buffer_head *bhs[])
{
	for (int i = 0; i < nr; i++) {
		struct buffer_head *bh = bhs[i];

		if (!trylock_buffer(bh))
			continue;
		if ((rw & RW_MASK) == WRITE) {
			if (test_clear_buffer_dirty(bh)) {
				get_bh(bh);
				bh->b_end_io = end_buffer_write_sync;
				submit_bh(WRITE, bh);
				continue;
			}
		} else if (!buffer_uptodate(bh)) {
			get_bh(bh);
			bh->b_end_io = end_buffer_read_sync;
			submit_bh(rw, bh);
			continue;
		}
		unlock_buffer(bh);
	}
}

/*
 * A page read through buffers completes when its last buffer does; the
 * buffers may finish in any order, even in separate interrupts. Only
 * then is the page marked up to date (if every buffer is) and unlocked.
 */
static void end_buffer_async_read(struct buffer_head *bh, int uptodate)
{
	struct page *page = bh->b_page;
	struct buffer_head *tmp;
	unsigned long flags;
	bool page_uptodate = true;

	if (uptodate) {
		set_buffer_uptodate(bh);
	} else {
		clear_buffer_uptodate(bh);
		SetPageError(page);
	}
	spin_lock_irqsave(&bh_async_lock, flags);
	clear_buffer_async_read(bh);
	unlock_buffer(bh);
	tmp = bh;
	do {
		if (!buffer_uptodate(tmp))
			page_uptodate = false;
		if (buffer_async_read(tmp)) {
			spin_unlock_irqrestore(&bh_async_lock, flags);
			return; /* another buffer is still in flight */
		}
		tmp = tmp->b_this_page;
	} while (tmp != bh);
	spin_unlock_irqrestore(&bh_async_lock, flags);
	if (page_uptodate && !PageError(page))
		SetPageUptodate(page);
	unlock_page(page);
}

/* The write-side twin: the last buffer ends the page's writeback. */
void end_buffer_async_write(struct buffer_head *bh, int uptodate)
{
	struct page *page = bh->b_page;
	struct buffer_head *tmp;
	unsigned long flags;

	if (uptodate) {
		set_buffer_uptodate(bh);
	} else {
		buffer_write_failed(bh);
		SetPageError(page);
	}
	spin_lock_irqsave(&bh_async_lock, flags);
	clear_buffer_async_write(bh);
	unlock_buffer(bh);
	for (tmp = bh->b_this_page; tmp != bh; tmp = tmp->b_this_page) {
		if (buffer_async_write(tmp)) {
			spin_unlock_irqrestore(&bh_async_lock, flags);
			return;
		}
	}
	spin_unlock_irqrestore(&bh_async_lock, flags);
	end_page_writeback(page);
}

static void mark_buffer_async_read(struct buffer_head *bh)
{
	bh->b_end_io = end_buffer_async_read;
	set_buffer_async_read(bh);
}

void mark_buffer_async_write(struct buffer_head *bh)
{
	bh->b_end_io = end_buffer_async_write;
	set_buffer_async_write(bh);
}

int block_read_full_page(struct page *page, get_block_t *get_block)
{
	struct inode *inode = page->mapping->host;
	unsigned int blkbits = inode->i_blkbits;
	unsigned int blocksize = 1U << blkbits;
	struct buffer_head *arr[MAX_BUF_PER_PAGE];
	struct buffer_head *head, *bh;
	sector_t iblock, lblock;
	bool fully_mapped = true;
	int nr = 0;

	BUG_ON(!PageLocked(page));
	if (!page_has_buffers(page))
		create_empty_buffers(page, blocksize, 0);
	head = page_buffers(page);
	iblock = (sector_t)page->index << (PAGE_SHIFT - blkbits);
	lblock = ((sector_t)i_size_read(inode) + blocksize - 1) >> blkbits;
	bh = head;
	do {
		int err = 0;

		if (buffer_uptodate(bh))
			goto next;
		if (!buffer_mapped(bh)) {
			fully_mapped = false;
			if (iblock < lblock) {
				bh->b_size = blocksize;
				err = get_block(inode, iblock, bh, 0);
				if (err)
					SetPageError(page);
			}
			if (!buffer_mapped(bh)) {
				/* A hole, or past EOF: zeroes, no I/O. */
				memset(bh->b_data, 0, blocksize);
				if (!err)
					set_buffer_uptodate(bh);
				goto next;
			}
			/* get_block may have filled the buffer itself. */
			if (buffer_uptodate(bh))
				goto next;
		}
		arr[nr++] = bh;
next:
		iblock++;
		bh = bh->b_this_page;
	} while (bh != head);

	if (fully_mapped)
		SetPageMappedToDisk(page);
	if (!nr) {
		/* Every block was a hole or already there. */
		if (!PageError(page))
			SetPageUptodate(page);
		unlock_page(page);
		return 0;
	}
	/* Mark them all first: an early completion must see the others. */
	for (int i = 0; i < nr; i++) {
		lock_buffer(arr[i]);
		mark_buffer_async_read(arr[i]);
	}
	for (int i = 0; i < nr; i++) {
		if (buffer_uptodate(arr[i]))
			end_buffer_async_read(arr[i], 1);
		else
			submit_bh(READ, arr[i]);
	}
	return 0;
}

/*
 * Background writeback leaves a metadata buffer whose last write failed
 * for sync to retry: no endless stream of errors from a dead sector.
 */
static bool skip_failed_buffer(struct buffer_head *bh,
			       struct writeback_control *wbc)
{
	return wbc->sync_mode == WB_SYNC_NONE && buffer_write_io_error(bh) &&
	       buffer_is_metadata(bh);
}

/*
 * Write a locked dirty page through its buffers: map dirty unmapped
 * blocks (allocating), mark every dirty mapped buffer for async write,
 * then set PG_writeback, unlock the page and submit. Blocks past the end
 * of file are never written.
 */
static int __block_write_full_page(struct inode *inode, struct page *page,
				   get_block_t *get_block,
				   struct writeback_control *wbc)
{
	bool skipped = false;
	unsigned int blkbits = inode->i_blkbits;
	unsigned int blocksize = 1U << blkbits;
	sector_t block, last_block;
	struct buffer_head *head, *bh;
	int nr_underway = 0;
	int err = 0;

	last_block = ((sector_t)i_size_read(inode) - 1) >> blkbits;
	if (!page_has_buffers(page))
		create_empty_buffers(page, blocksize,
				     BIT(BH_Dirty) | BIT(BH_Uptodate));
	head = page_buffers(page);
	block = (sector_t)page->index << (PAGE_SHIFT - blkbits);
	bh = head;
	do {
		if (block > last_block) {
			clear_buffer_dirty(bh);
			set_buffer_uptodate(bh);
		} else if (!buffer_mapped(bh) && buffer_dirty(bh)) {
			bh->b_size = blocksize;
			err = get_block(inode, block, bh, 1);
			if (err)
				break;
			if (buffer_new(bh)) {
				clear_buffer_new(bh);
				unmap_underlying_metadata(bh->b_bdev,
							  bh->b_blocknr);
			}
		}
		bh = bh->b_this_page;
		block++;
	} while (bh != head);

	/*
	 * On a mapping error, still write what is mapped; the blocks that
	 * could not be mapped are lost, and the error goes to fsync.
	 */
	bh = head;
	do {
		if (buffer_mapped(bh) && buffer_dirty(bh) &&
		    skip_failed_buffer(bh, wbc)) {
			skipped = true;
		} else if (buffer_mapped(bh) && buffer_dirty(bh)) {
			lock_buffer(bh);
			if (test_clear_buffer_dirty(bh))
				mark_buffer_async_write(bh);
			else
				unlock_buffer(bh);
		} else if (err) {
			clear_buffer_dirty(bh);
		}
		bh = bh->b_this_page;
	} while (bh != head);
	if (err) {
		SetPageError(page);
		mapping_set_error(page->mapping, err);
	}

	if (skipped)
		__set_page_dirty_nobuffers(page);
	BUG_ON(PageWriteback(page));
	set_page_writeback(page);
	bh = head;
	do {
		struct buffer_head *next = bh->b_this_page;

		if (buffer_async_write(bh)) {
			submit_bh(WRITE, bh);
			nr_underway++;
		}
		bh = next;
	} while (bh != head);
	unlock_page(page);

	if (!nr_underway) {
		/* Nothing needed writing: the page is clean already. */
		bool uptodate = true;

		bh = head;
		do {
			if (!buffer_uptodate(bh))
				uptodate = false;
			bh = bh->b_this_page;
		} while (bh != head);
		if (uptodate)
			SetPageUptodate(page);
		end_page_writeback(page);
	}
	return err;
}

int block_write_full_page(struct page *page, get_block_t *get_block,
			  struct writeback_control *wbc)
{
	struct inode *inode = page->mapping->host;
	loff_t i_size = i_size_read(inode);
	pgoff_t end_index = (pgoff_t)(i_size >> PAGE_SHIFT);
	unsigned int offset;

	if (page->index < end_index)
		return __block_write_full_page(inode, page, get_block, wbc);
	offset = (unsigned int)(i_size & (PAGE_SIZE - 1));
	if (page->index >= end_index + 1 || !offset) {
		/* Wholly past EOF: truncate is removing it. */
		block_invalidatepage(page, 0);
		cancel_dirty_page(page);
		unlock_page(page);
		return 0;
	}
	/* The tail past EOF may hold stale bytes; the disk gets zeroes. */
	zero_user_segment(page, offset, PAGE_SIZE);
	return __block_write_full_page(inode, page, get_block, wbc);
}

int __set_page_dirty_buffers(struct page *page)
{
	if (page_has_buffers(page)) {
		struct buffer_head *head = page_buffers(page), *bh = head;

		do {
			set_buffer_dirty(bh);
			bh = bh->b_this_page;
		} while (bh != head);
	}
	return __set_page_dirty_nobuffers(page);
}

void mark_buffer_dirty(struct buffer_head *bh)
{
	if (test_set_buffer_dirty(bh))
		return;
	if (bh->b_page)
		__set_page_dirty_nobuffers(bh->b_page);
}

/* Zero the parts of new (just allocated) buffers the write won't cover. */
static void zero_new_outside(struct buffer_head *bh, unsigned int block_start,
			     unsigned int from, unsigned int to)
{
	unsigned int block_end = block_start + (unsigned int)bh->b_size;

	if (block_start < from)
		zero_user_segment(bh->b_page, block_start, from);
	if (block_end > to)
		zero_user_segment(bh->b_page, max(to, block_start), block_end);
}

static int __block_prepare_write(struct inode *inode, struct page *page,
				 unsigned int from, unsigned int to,
				 get_block_t *get_block)
{
	unsigned int blkbits = inode->i_blkbits;
	unsigned int blocksize = 1U << blkbits;
	struct buffer_head *wait[MAX_BUF_PER_PAGE], *head, *bh;
	unsigned int block_start = 0;
	sector_t block;
	int nr = 0, err = 0;

	if (!page_has_buffers(page))
		create_empty_buffers(page, blocksize, 0);
	head = page_buffers(page);
	block = (sector_t)page->index << (PAGE_SHIFT - blkbits);
	bh = head;
	do {
		unsigned int block_end = block_start + blocksize;

		if (block_end <= from || block_start >= to) {
			if (PageUptodate(page))
				set_buffer_uptodate(bh);
			goto next;
		}
		clear_buffer_new(bh);
		if (!buffer_mapped(bh)) {
			bh->b_size = blocksize;
			err = get_block(inode, block, bh, 1);
			if (err)
				break;
			if (buffer_new(bh)) {
				unmap_underlying_metadata(bh->b_bdev,
							  bh->b_blocknr);
				if (PageUptodate(page)) {
					clear_buffer_new(bh);
					set_buffer_uptodate(bh);
				} else {
					zero_new_outside(bh, block_start, from,
							 to);
				}
				goto next;
			}
		}
		if (PageUptodate(page)) {
			set_buffer_uptodate(bh);
			goto next;
		}
		/* A partial write of an old block: read the rest first. */
		if (!buffer_uptodate(bh) &&
		    (block_start < from || block_end > to)) {
			ll_rw_block(READ, 1, &bh);
			wait[nr++] = bh;
		}
next:
		block_start = block_end;
		block++;
		bh = bh->b_this_page;
	} while (bh != head);

	for (int i = 0; i < nr; i++) {
		wait_on_buffer(wait[i]);
		if (!buffer_uptodate(wait[i]))
			err = -EIO;
	}
	if (err) {
		/* Leave no allocated-but-unwritten block with stale data. */
		bh = head;
		block_start = 0;
		do {
			if (buffer_new(bh)) {
				clear_buffer_new(bh);
				zero_user_segment(page, block_start,
						  block_start + blocksize);
				set_buffer_uptodate(bh);
				mark_buffer_dirty(bh);
			}
			block_start += blocksize;
			bh = bh->b_this_page;
		} while (bh != head);
	}
	return err;
}

int block_write_begin(struct address_space *mapping, loff_t pos,
		      unsigned int len, unsigned int flags, struct page **pagep,
		      get_block_t *get_block)
{
	pgoff_t index = (pgoff_t)(pos >> PAGE_SHIFT);
	unsigned int from = (unsigned int)(pos & (PAGE_SIZE - 1));
	struct page *page;
	int err;

	(void)flags;
	if (pos < 0 || from + len > PAGE_SIZE)
		return -EINVAL;
	page = grab_cache_page(mapping, index);
	if (!page)
		return -ENOMEM;
	err = __block_prepare_write(mapping->host, page, from, from + len,
				    get_block);
	if (err) {
		unlock_page(page);
		put_page(page);
		return err;
	}
	*pagep = page;
	return 0;
}

static void __block_commit_write(struct page *page, unsigned int from,
				 unsigned int to)
{
	struct buffer_head *head = page_buffers(page), *bh = head;
	unsigned int block_start = 0;
	bool partial = false;

	do {
		unsigned int block_end = block_start + (unsigned int)bh->b_size;

		if (block_end <= from || block_start >= to) {
			if (!buffer_uptodate(bh))
				partial = true;
		} else {
			set_buffer_uptodate(bh);
			mark_buffer_dirty(bh);
		}
		clear_buffer_new(bh);
		block_start = block_end;
		bh = bh->b_this_page;
	} while (bh != head);
	/* Every block valid: readers may use the page without I/O. */
	if (!partial)
		SetPageUptodate(page);
}

int block_write_end(struct file *file, struct address_space *mapping,
		    loff_t pos, unsigned int len, unsigned int copied,
		    struct page *page, void *fsdata)
{
	unsigned int start = (unsigned int)(pos & (PAGE_SIZE - 1));

	(void)file;
	(void)mapping;
	(void)fsdata;
	if (copied < len && !PageUptodate(page))
		copied = 0; /* short copy into a page we can't fill: retry */
	__block_commit_write(page, start, start + copied);
	return (int)copied;
}

int generic_write_end(struct file *file, struct address_space *mapping,
		      loff_t pos, unsigned int len, unsigned int copied,
		      struct page *page, void *fsdata)
{
	struct inode *inode = mapping->host;
	int ret =
		block_write_end(file, mapping, pos, len, copied, page, fsdata);

	if (ret > 0 && pos + ret > i_size_read(inode))
		i_size_write(inode, pos + ret);
	unlock_page(page);
	put_page(page);
	return ret;
}

int block_truncate_page(struct address_space *mapping, loff_t from,
			get_block_t *get_block)
{
	struct inode *inode = mapping->host;
	unsigned int blocksize = 1U << inode->i_blkbits;
	unsigned int offset = (unsigned int)(from & (PAGE_SIZE - 1));
	unsigned int length = blocksize - (offset & (blocksize - 1));
	struct buffer_head *bh;
	struct page *page;
	unsigned int pos;

	if (length == blocksize)
		return 0; /* block boundary: nothing to zero */
	page = grab_cache_page(mapping, (pgoff_t)(from >> PAGE_SHIFT));
	if (!page)
		return -ENOMEM;
	if (!page_has_buffers(page))
		create_empty_buffers(page, blocksize, 0);
	bh = page_buffers(page);
	for (pos = blocksize; pos <= offset; pos += blocksize)
		bh = bh->b_this_page;
	if (!buffer_mapped(bh)) {
		bh->b_size = blocksize;
		get_block(inode, (sector_t)(from >> inode->i_blkbits), bh, 0);
		if (!buffer_mapped(bh))
			goto unlock; /* a hole reads as zeroes already */
	}
	if (PageUptodate(page))
		set_buffer_uptodate(bh);
	if (!buffer_uptodate(bh)) {
		ll_rw_block(READ, 1, &bh);
		wait_on_buffer(bh);
		if (!buffer_uptodate(bh)) {
			unlock_page(page);
			put_page(page);
			return -EIO;
		}
	}
	zero_user_segment(page, offset, offset + length);
	mark_buffer_dirty(bh);
unlock:
	unlock_page(page);
	put_page(page);
	return 0;
}

/*
 * Metadata: block N of a device lives in the device's own page cache,
 * at page N >> (PAGE_SHIFT - blkbits), in a buffer mapped to block N.
 */
static struct buffer_head *find_in_page(struct page *page, sector_t block,
					unsigned int size)
{
	struct buffer_head *head, *bh;

	if (!page_has_buffers(page))
		return NULL;
	head = page_buffers(page);
	bh = head;
	do {
		if (bh->b_size == size && buffer_mapped(bh) &&
		    bh->b_blocknr == block) {
			get_bh(bh);
			return bh;
		}
		bh = bh->b_this_page;
	} while (bh != head);
	return NULL;
}

static bool valid_blocksize(unsigned int size)
{
	return size >= SECTOR_SIZE && size <= PAGE_SIZE && is_power_of_2(size);
}

struct buffer_head *__find_get_block(struct block_device *bdev, sector_t block,
				     unsigned int size)
{
	struct inode *inode;
	struct page *page;
	struct buffer_head *bh;
	unsigned int bits;

	if (!valid_blocksize(size))
		return NULL;
	inode = bdev_inode(bdev);
	if (!inode)
		return NULL;
	bits = ilog2(size);
	page = find_get_page(inode->i_mapping,
			     (pgoff_t)(block >> (PAGE_SHIFT - bits)));
	if (!page)
		return NULL;
	bh = find_in_page(page, block, size);
	put_page(page);
	return bh;
}

/* Give the device page holding block its buffers of size; 0 or -errno. */
static int grow_buffers(struct block_device *bdev, sector_t block,
			unsigned int size)
{
	struct inode *inode = bdev_inode(bdev);
	unsigned int bits = ilog2(size);
	pgoff_t index = (pgoff_t)(block >> (PAGE_SHIFT - bits));
	sector_t first = (sector_t)index << (PAGE_SHIFT - bits);
	struct buffer_head *head, *bh;
	struct page *page;

	if (!inode)
		return -ENOMEM;
	page = find_or_create_page(inode->i_mapping, index, GFP_NOIO);
	if (!page)
		return -ENOMEM;
	if (page_has_buffers(page)) {
		if (page_buffers(page)->b_size == size)
			goto out;
		/* Buffers of another block size: drop them if we can. */
		if (!try_to_free_buffers(page)) {
			unlock_page(page);
			put_page(page);
			return -EBUSY;
		}
	}
	create_empty_buffers(page, size, 0);
	head = page_buffers(page);
	bh = head;
	do {
		map_bh(bh, bdev, first++);
		if (PageUptodate(page))
			set_buffer_uptodate(bh);
		bh = bh->b_this_page;
	} while (bh != head);
out:
	unlock_page(page);
	put_page(page);
	return 0;
}

struct buffer_head *__getblk(struct block_device *bdev, sector_t block,
			     unsigned int size)
{
	struct buffer_head *bh;

	if (!bdev || !valid_blocksize(size))
		return NULL;
	if ((block + 1) * (size >> SECTOR_SHIFT) > bdev_nr_sectors(bdev))
		return NULL;
	for (int tries = 0; tries < 3; tries++) {
		bh = __find_get_block(bdev, block, size);
		if (bh)
			return bh;
		if (grow_buffers(bdev, block, size))
			return NULL;
	}
	return NULL;
}

struct buffer_head *__bread(struct block_device *bdev, sector_t block,
			    unsigned int size)
{
	struct buffer_head *bh = __getblk(bdev, block, size);

	if (!bh || buffer_uptodate(bh))
		return bh;
	lock_buffer(bh);
	if (buffer_uptodate(bh)) {
		unlock_buffer(bh);
		return bh;
	}
	get_bh(bh);
	bh->b_end_io = end_buffer_read_sync;
	/* __bread reads a file system's own blocks, never file data. */
	submit_bh(READ | REQ_META, bh);
	wait_on_buffer(bh);
	if (buffer_uptodate(bh))
		return bh;
	brelse(bh);
	return NULL;
}

void brelse(struct buffer_head *bh)
{
	if (!bh)
		return;
	if (WARN_ON(READ_ONCE(bh->b_count) <= 0))
		return;
	put_bh(bh);
}

void write_dirty_buffer(struct buffer_head *bh, int rw)
{
	lock_buffer(bh);
	if (!test_clear_buffer_dirty(bh)) {
		unlock_buffer(bh);
		return;
	}
	get_bh(bh);
	bh->b_end_io = end_buffer_write_sync;
	submit_bh(rw, bh);
}

/* Wait for a write this caller started or found under way. */
static int wait_on_written_buffer(struct buffer_head *bh)
{
	wait_on_buffer(bh);
	return buffer_write_io_error(bh) ? -EIO : 0;
}

int sync_dirty_buffer(struct buffer_head *bh)
{
	if (!buffer_dirty(bh) && !buffer_locked(bh))
		return 0;
	write_dirty_buffer(bh, WRITE);
	return wait_on_written_buffer(bh);
}

void mark_buffer_dirty_inode(struct buffer_head *bh, struct inode *inode)
{
	struct address_space *mapping = inode->i_mapping;

	mark_buffer_dirty(bh);
	if (bh->b_assoc_map)
		return; /* a freed block loses its owner in bforget */
	spin_lock(&assoc_lock);
	if (!bh->b_assoc_map) {
		list_move_tail(&bh->b_assoc_buffers, &mapping->private_list);
		bh->b_assoc_map = mapping;
	}
	spin_unlock(&assoc_lock);
}

/*
 * Linux's fsync_buffers_list: start every dirty buffer of the list, then
 * wait for each; one whose write failed is dirty again and goes back on
 * the list for the next fsync.
 */
int sync_mapping_buffers(struct address_space *mapping)
{
	struct list_head *list = &mapping->private_list;
	struct buffer_head *bh;
	LIST_HEAD(tmp);
	int err = 0;

	spin_lock(&assoc_lock);
	while (!list_empty(list)) {
		bh = list_first_entry(list, struct buffer_head,
				      b_assoc_buffers);
		__remove_assoc_queue(bh);
		if (!buffer_dirty(bh) && !buffer_locked(bh))
			continue;
		list_add_tail(&bh->b_assoc_buffers, &tmp);
		bh->b_assoc_map = mapping;
		get_bh(bh);
		spin_unlock(&assoc_lock);
		write_dirty_buffer(bh, WRITE);
		put_bh(bh);
		spin_lock(&assoc_lock);
	}
	while (!list_empty(&tmp)) {
		bh = list_first_entry(&tmp, struct buffer_head,
				      b_assoc_buffers);
		get_bh(bh);
		__remove_assoc_queue(bh);
		spin_unlock(&assoc_lock);
		if (wait_on_written_buffer(bh))
			err = -EIO;
		spin_lock(&assoc_lock);
		if (buffer_dirty(bh) && !bh->b_assoc_map) {
			list_add_tail(&bh->b_assoc_buffers, list);
			bh->b_assoc_map = mapping;
		}
		put_bh(bh);
	}
	spin_unlock(&assoc_lock);
	return err;
}

void invalidate_inode_buffers(struct inode *inode)
{
	struct list_head *list = &inode->i_mapping->private_list;

	spin_lock(&assoc_lock);
	while (!list_empty(list))
		__remove_assoc_queue(list_first_entry(list, struct buffer_head,
						      b_assoc_buffers));
	spin_unlock(&assoc_lock);
}

void bforget(struct buffer_head *bh)
{
	if (!bh)
		return;
	clear_buffer_dirty(bh);
	remove_assoc_queue(bh);
	brelse(bh);
}

#define BUFFER_BATCH 16

/*
 * The dirty buffers pick() wants (all if NULL) of up to BUFFER_BATCH
 * dirty pages of the device's cache from *index on, each referenced,
 * into out[]; false once no dirty page is left.
 */
static bool pick_dirty_buffers(struct address_space *mapping, pgoff_t *index,
			       bool (*pick)(struct buffer_head *, void *),
			       void *data, struct buffer_head **out,
			       unsigned int *nr_out)
{
	struct page *pages[BUFFER_BATCH];
	unsigned int nr = find_get_pages_tag(
		mapping, index, PAGECACHE_TAG_DIRTY, BUFFER_BATCH, pages);

	*nr_out = 0;
	for (unsigned int i = 0; i < nr; i++) {
		struct buffer_head *head, *bh;

		lock_page(pages[i]);
		if (page_has_buffers(pages[i])) {
			head = page_buffers(pages[i]);
			bh = head;
			do {
				if (buffer_dirty(bh) &&
				    (!pick || pick(bh, data))) {
					get_bh(bh);
					out[(*nr_out)++] = bh;
				}
				bh = bh->b_this_page;
			} while (bh != head);
		}
		unlock_page(pages[i]);
		put_page(pages[i]);
	}
	/* An index of 0 after a batch: it wrapped past the last page. */
	return nr && *index;
}

int write_dirty_buffers(struct block_device *bdev,
			bool (*pick)(struct buffer_head *bh, void *data),
			void *data)
{
	struct buffer_head *bhs[BUFFER_BATCH * MAX_BUF_PER_PAGE];
	struct inode *inode = bdev ? bdev->bd_inode : NULL;
	struct blk_plug plug;
	pgoff_t index = 0;
	unsigned int n;
	bool more = inode != NULL;
	int err = 0;

	while (more) {
		more = pick_dirty_buffers(inode->i_mapping, &index, pick, data,
					  bhs, &n);
		/* Adjacent blocks merge into one request. */
		blk_start_plug(&plug);
		for (unsigned int i = 0; i < n; i++)
			write_dirty_buffer(bhs[i], WRITE);
		blk_finish_plug(&plug);
		for (unsigned int i = 0; i < n; i++) {
			if (wait_on_written_buffer(bhs[i]))
				err = -EIO;
			put_bh(bhs[i]);
		}
	}
	return err;
}

unsigned long nr_dirty_buffers(struct block_device *bdev,
			       bool (*pick)(struct buffer_head *bh, void *data),
			       void *data)
{
	struct buffer_head *bhs[BUFFER_BATCH * MAX_BUF_PER_PAGE];
	struct inode *inode = bdev ? bdev->bd_inode : NULL;
	unsigned long count = 0;
	pgoff_t index = 0;
	unsigned int n;
	bool more = inode != NULL;

	while (more) {
		more = pick_dirty_buffers(inode->i_mapping, &index, pick, data,
					  bhs, &n);
		count += n;
		for (unsigned int i = 0; i < n; i++)
			put_bh(bhs[i]);
	}
	return count;
}

void unmap_underlying_metadata(struct block_device *bdev, sector_t block)
{
	struct buffer_head *old;
	unsigned int size = bdev ? bdev->bd_block_size : 0;

	if (!bdev || !bdev->bd_inode || !valid_blocksize(size))
		return;
	old = __find_get_block(bdev, block, size);
	if (old) {
		/* The block is file data now: never write the stale copy. */
		clear_buffer_dirty(old);
		wait_on_buffer(old);
		clear_buffer_req(old);
		put_bh(old);
	}
}

void write_boundary_block(struct block_device *bdev, sector_t bblock,
			  unsigned int blocksize)
{
	struct buffer_head *bh;

	if (!bdev || !bdev->bd_inode)
		return;
	bh = __find_get_block(bdev, bblock + 1, blocksize);
	if (bh) {
		if (buffer_dirty(bh))
			ll_rw_block(WRITE, 1, &bh);
		put_bh(bh);
	}
}

int sync_blockdev(struct block_device *bdev)
{
	struct inode *inode = bdev ? bdev->bd_inode : NULL;

	if (!inode)
		return 0;
	return filemap_write_and_wait(inode->i_mapping);
}
