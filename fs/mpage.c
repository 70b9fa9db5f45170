/*
 * Multi-page bios for file data (after Linux 2.6's fs/mpage.c).
 *
 * Reading: walk the pages of a readahead batch, map each page's blocks
 * with get_block (reusing a multi-block mapping across pages), and when
 * a page's blocks are contiguous on disk and follow the previous page's,
 * add the whole page to the bio being built. Anything unusual - a page
 * with buffers, a hole followed by data, a discontiguity inside the
 * page, a block get_block already read - sends the page down the
 * buffer-head path (block_read_full_page) instead: a page whose
 * completion depended on several bios would need the per-buffer
 * bookkeeping of end_buffer_async_read, and mpage never duplicates it.
 * The one partial page mpage does handle is the one with holes at its
 * end: the end-of-file page of a file whose block is smaller than a page.
 *
 * Writing is the same in reverse: a page whose blocks are all mapped,
 * dirty and contiguous (or unmapped only at the end of file) goes into
 * the bio; any other page falls back to a_ops->writepage.
 *
 * BH_Boundary: get_block sets it on the last block before one whose
 * mapping needs a metadata read (ext2: block 11, before the indirect
 * block). Without it the indirect-block read would be issued before
 * the data bio it interrupts, and the disk would see blocks
 * 12 0 1 2 ... 11 13 14 ...; with it the bio is sent first.
 */
#include "bio.h"
#include "blkdev.h"
#include "buffer_head.h"
#include "errno.h"
#include "mpage.h"
#include "pagemap.h"
#include "printk.h"

struct mpage_stats mpage_stats;

/* Every page of a read bio completes alike: the bio never splits a page. */
static void mpage_end_io_read(struct bio *bio)
{
	struct bio_vec *bvec;
	int i;

	bio_for_each_segment(bvec, bio, i) {
		struct page *page = bvec->bv_page;

		if (!bio->bi_status) {
			SetPageUptodate(page);
		} else {
			ClearPageUptodate(page);
			SetPageError(page);
		}
		unlock_page(page);
	}
	bio_put(bio);
}

static void mpage_end_io_write(struct bio *bio)
{
	struct bio_vec *bvec;
	int i;

	bio_for_each_segment(bvec, bio, i) {
		struct page *page = bvec->bv_page;

		if (bio->bi_status) {
			SetPageError(page);
			if (page->mapping)
				mapping_set_error(page->mapping, -EIO);
		}
		end_page_writeback(page);
	}
	bio_put(bio);
}

struct bio *mpage_bio_submit(int rw, struct bio *bio)
{
	if (rw == WRITE) {
		bio->bi_end_io = mpage_end_io_write;
		mpage_stats.write_bios++;
	} else {
		bio->bi_end_io = mpage_end_io_read;
		mpage_stats.read_bios++;
	}
	submit_bio(rw, bio);
	return NULL;
}

/* A bio as large as the queue could take, or smaller if memory is short. */
static struct bio *mpage_alloc(struct block_device *bdev, sector_t sector,
			       unsigned int nr_vecs)
{
	struct bio *bio = NULL;

	if (nr_vecs > BIO_MAX_PAGES)
		nr_vecs = BIO_MAX_PAGES;
	if (!nr_vecs)
		nr_vecs = 1;
	while (!bio && nr_vecs) {
		bio = bio_alloc(GFP_NOIO, nr_vecs);
		nr_vecs /= 2;
	}
	if (bio) {
		bio->bi_bdev = bdev;
		bio->bi_sector = sector;
	}
	return bio;
}

/* Pages a bio to this device can hold at most. */
static unsigned int bio_max_pages(struct block_device *bdev)
{
	struct queue_limits *lim = &bdev_get_queue(bdev)->limits;
	unsigned int by_sectors = lim->max_sectors >> (PAGE_SHIFT - 9);
	unsigned int n = min_t(unsigned int, by_sectors, lim->max_segments);

	return max(n, 1U);
}

/*
 * get_block handed back a buffer that is already up to date (it read
 * the block itself). Put that state into the page's buffer for this
 * block so block_read_full_page won't map or read it again - or, when
 * the page is one block, simply call the page up to date.
 */
static void map_buffer_to_page(struct page *page, struct buffer_head *bh,
			       unsigned int page_block)
{
	struct inode *inode = page->mapping->host;
	struct buffer_head *page_bh, *head;
	unsigned int block = 0;

	mpage_stats.map_buffer_to_page++;
	if (!page_has_buffers(page)) {
		if (inode->i_blkbits == PAGE_SHIFT && buffer_uptodate(bh)) {
			SetPageUptodate(page);
			return;
		}
		create_empty_buffers(page, 1UL << inode->i_blkbits, 0);
	}
	head = page_buffers(page);
	page_bh = head;
	do {
		if (block == page_block) {
			page_bh->b_state = bh->b_state;
			page_bh->b_bdev = bh->b_bdev;
			page_bh->b_blocknr = bh->b_blocknr;
			break;
		}
		page_bh = page_bh->b_this_page;
		block++;
	} while (page_bh != head);
}

/* State carried from page to page of one mpage_readpages call. */
struct mpage_read_state {
	struct bio *bio;
	sector_t last_block_in_bio; /* disk block ending the bio */
	struct buffer_head map_bh; /* the last get_block mapping */
	sector_t first_logical_block; /* file block map_bh starts at */
	get_block_t *get_block;
	int rw; /* READ, with REQ_RAHEAD from mpage_readpages */
};

/* The page goes down the buffer-head path; send what we built first. */
static void read_confused(struct mpage_read_state *st, struct page *page)
{
	mpage_stats.read_confused++;
	if (st->bio)
		st->bio = mpage_bio_submit(st->rw, st->bio);
	if (!PageUptodate(page))
		block_read_full_page(page, st->get_block);
	else
		unlock_page(page);
}

/*
 * Map page's blocks into blocks[]; returns the number mapped before the
 * first hole in *first_hole, or -1 if the page must take the buffer path.
 */
static int mpage_map_read_page(struct mpage_read_state *st, struct page *page,
			       unsigned int nr_pages, sector_t *blocks,
			       unsigned int *first_hole, bool *fully_mapped,
			       struct block_device **bdev)
{
	struct inode *inode = page->mapping->host;
	const unsigned int blkbits = inode->i_blkbits;
	const unsigned int blocks_per_page = PAGE_SIZE >> blkbits;
	const unsigned int blocksize = 1U << blkbits;
	struct buffer_head *map_bh = &st->map_bh;
	sector_t block_in_file, last_block, last_block_in_file;
	unsigned int page_block = 0, nblocks, i;

	block_in_file = (sector_t)page->index << (PAGE_SHIFT - blkbits);
	last_block = block_in_file + (sector_t)nr_pages * blocks_per_page;
	last_block_in_file = ((sector_t)i_size_read(inode) + blocksize - 1) >>
			     blkbits;
	if (last_block > last_block_in_file)
		last_block = last_block_in_file;

	/* First use what is left of the previous get_block mapping. */
	nblocks = (unsigned int)(map_bh->b_size >> blkbits);
	if (buffer_mapped(map_bh) && block_in_file > st->first_logical_block &&
	    block_in_file < st->first_logical_block + nblocks) {
		unsigned int map_offset =
			(unsigned int)(block_in_file - st->first_logical_block);
		unsigned int left = nblocks - map_offset;

		for (i = 0;; i++) {
			if (i == left) {
				clear_buffer_mapped(map_bh);
				break;
			}
			if (page_block == blocks_per_page)
				break;
			blocks[page_block] = map_bh->b_blocknr + map_offset + i;
			page_block++;
			block_in_file++;
		}
		*bdev = map_bh->b_bdev;
	}

	/* Then ask get_block for the rest, as far as the batch reaches. */
	map_bh->b_page = page;
	while (page_block < blocks_per_page) {
		map_bh->b_state = 0;
		map_bh->b_size = 0;
		if (block_in_file < last_block) {
			map_bh->b_size = (size_t)(last_block - block_in_file)
					 << blkbits;
			if (st->get_block(inode, block_in_file, map_bh, 0))
				return -1;
			st->first_logical_block = block_in_file;
		}
		if (!buffer_mapped(map_bh)) {
			/* A hole, or past the end of file. */
			*fully_mapped = false;
			if (*first_hole == blocks_per_page)
				*first_hole = page_block;
			page_block++;
			block_in_file++;
			continue;
		}
		if (buffer_uptodate(map_bh)) {
			map_buffer_to_page(page, map_bh, page_block);
			return -1;
		}
		if (*first_hole != blocks_per_page)
			return -1; /* data after a hole */
		if (page_block &&
		    blocks[page_block - 1] != map_bh->b_blocknr - 1)
			return -1; /* discontiguous inside the page */
		nblocks = (unsigned int)(map_bh->b_size >> blkbits);
		for (i = 0;; i++) {
			if (i == nblocks) {
				clear_buffer_mapped(map_bh);
				break;
			}
			if (page_block == blocks_per_page)
				break;
			blocks[page_block] = map_bh->b_blocknr + i;
			page_block++;
			block_in_file++;
		}
		*bdev = map_bh->b_bdev;
	}
	return 0;
}

static void do_mpage_readpage(struct mpage_read_state *st, struct page *page,
			      unsigned int nr_pages)
{
	struct inode *inode = page->mapping->host;
	const unsigned int blkbits = inode->i_blkbits;
	const unsigned int blocks_per_page = PAGE_SIZE >> blkbits;
	/* Zeroed so nothing a previous page left on the stack is trusted. */
	sector_t blocks[MAX_BUF_PER_PAGE] = { 0 };
	unsigned int first_hole = blocks_per_page;
	struct block_device *bdev = NULL;
	bool fully_mapped = true;
	unsigned int length, relative_block, nblocks;

	if (page_has_buffers(page) ||
	    mpage_map_read_page(st, page, nr_pages, blocks, &first_hole,
				&fully_mapped, &bdev) < 0) {
		read_confused(st, page);
		return;
	}

	if (first_hole != blocks_per_page) {
		/* Holes at the end of the page read as zeroes. */
		zero_user_segment(page, first_hole << blkbits, PAGE_SIZE);
		if (first_hole == 0) {
			mpage_stats.read_holes++;
			SetPageUptodate(page);
			unlock_page(page);
			return;
		}
	} else if (fully_mapped) {
		SetPageMappedToDisk(page);
	}

	/* Not contiguous with the bio we are building: send that one off. */
	if (st->bio && st->last_block_in_bio != blocks[0] - 1)
		st->bio = mpage_bio_submit(st->rw, st->bio);

	length = first_hole << blkbits;
	for (;;) {
		if (!st->bio) {
			st->bio = mpage_alloc(
				bdev, blocks[0] << (blkbits - SECTOR_SHIFT),
				min(nr_pages, bio_max_pages(bdev)));
			if (!st->bio) {
				read_confused(st, page);
				return;
			}
		}
		if (bio_add_page(st->bio, page, length, 0) >= (int)length)
			break;
		if (!st->bio->bi_vcnt) {
			/* Not even an empty bio takes it: never loop. */
			bio_put(st->bio);
			st->bio = NULL;
			read_confused(st, page);
			return;
		}
		/* The queue's limits are reached: start a new bio. */
		mpage_stats.add_page_refused++;
		st->bio = mpage_bio_submit(st->rw, st->bio);
	}

	relative_block = (unsigned int)((((sector_t)page->index
					  << (PAGE_SHIFT - blkbits)) +
					 blocks_per_page) -
					st->first_logical_block);
	nblocks = (unsigned int)(st->map_bh.b_size >> blkbits);
	if (buffer_boundary(&st->map_bh) && relative_block == nblocks) {
		/* The next mapping needs a metadata read: let this go first. */
		mpage_stats.read_boundary_submits++;
		st->bio = mpage_bio_submit(st->rw, st->bio);
	} else if (first_hole != blocks_per_page) {
		st->bio = mpage_bio_submit(st->rw, st->bio);
	} else {
		st->last_block_in_bio = blocks[blocks_per_page - 1];
	}
}

int mpage_readpages(struct address_space *mapping, struct list_head *pages,
		    unsigned int nr_pages, get_block_t *get_block)
{
	/* Only readahead calls this (as Linux's mpage_readahead). */
	struct mpage_read_state st = { .get_block = get_block,
				       .rw = READ | REQ_RAHEAD };

	clear_buffer_mapped(&st.map_bh);
	for (unsigned int idx = 0; idx < nr_pages; idx++) {
		struct page *page = list_entry(pages->prev, struct page, lru);

		list_del(&page->lru);
		if (!add_to_page_cache_lru(page, mapping, page->index, 0))
			do_mpage_readpage(&st, page, nr_pages - idx);
		put_page(page);
	}
	BUG_ON(!list_empty(pages));
	if (st.bio)
		mpage_bio_submit(st.rw, st.bio);
	return 0;
}

int mpage_readpage(struct page *page, get_block_t *get_block)
{
	struct mpage_read_state st = { .get_block = get_block, .rw = READ };

	clear_buffer_mapped(&st.map_bh);
	do_mpage_readpage(&st, page, 1);
	if (st.bio)
		mpage_bio_submit(st.rw, st.bio);
	return 0;
}

/*
 * The page already has buffers: use their mappings. Only a run of
 * mapped, dirty, up-to-date, contiguous buffers, optionally followed by
 * unmapped clean ones (the end of file), can go into a bio. Returns the
 * number of leading mapped buffers, or -1 for the writepage fallback.
 */
static int mpage_map_buffers(struct page *page, sector_t *blocks,
			     struct block_device **bdev, bool *boundary,
			     sector_t *boundary_block,
			     struct block_device **boundary_bdev)
{
	const unsigned int blocks_per_page = PAGE_SIZE >>
					     page->mapping->host->i_blkbits;
	struct buffer_head *head = page_buffers(page), *bh = head;
	unsigned int first_unmapped = blocks_per_page;
	unsigned int page_block = 0;

	do {
		BUG_ON(buffer_locked(bh));
		if (!buffer_mapped(bh)) {
			/* Dirty but unmapped: needs get_block(create). */
			if (buffer_dirty(bh))
				return -1;
			if (first_unmapped == blocks_per_page)
				first_unmapped = page_block;
			continue;
		}
		if (first_unmapped != blocks_per_page)
			return -1; /* mapped after unmapped */
		if (!buffer_dirty(bh) || !buffer_uptodate(bh))
			return -1;
		if (page_block && bh->b_blocknr != blocks[page_block - 1] + 1)
			return -1;
		blocks[page_block++] = bh->b_blocknr;
		*boundary = buffer_boundary(bh);
		if (*boundary) {
			*boundary_block = bh->b_blocknr;
			*boundary_bdev = bh->b_bdev;
		}
		*bdev = bh->b_bdev;
	} while ((bh = bh->b_this_page) != head);

	/* All unmapped: a page read over a hole by the buffer path. */
	if (!first_unmapped)
		return -1;
	return (int)first_unmapped;
}

/*
 * No buffers: map the page's blocks up to EOF with get_block(create).
 * Returns how many were mapped (none for a page wholly past EOF), or -1
 * for the writepage fallback.
 */
static int mpage_map_blocks(struct page *page, get_block_t *get_block,
			    sector_t *blocks, struct block_device **bdev,
			    bool *boundary, sector_t *boundary_block,
			    struct block_device **boundary_bdev)
{
	struct inode *inode = page->mapping->host;
	const unsigned int blkbits = inode->i_blkbits;
	const unsigned int blocks_per_page = PAGE_SIZE >> blkbits;
	const loff_t i_size = i_size_read(inode);
	sector_t block_in_file, last_block;
	struct buffer_head map_bh = { 0 };
	unsigned int page_block;

	BUG_ON(!PageUptodate(page));
	block_in_file = (sector_t)page->index << (PAGE_SHIFT - blkbits);
	/*
	 * A page wholly past EOF (mmap wrote there, or truncate is under
	 * way) gets no blocks: nothing would ever free them. Mapping none,
	 * it meets the EOF test in __mpage_writepage, which sends it to
	 * writepage. This also keeps i_size 0 from wrapping last_block.
	 */
	if (block_in_file >= ((sector_t)i_size + (1U << blkbits) - 1) >>
	    blkbits)
		return 0;
	last_block = ((sector_t)i_size - 1) >> blkbits;
	map_bh.b_page = page;
	for (page_block = 0; page_block < blocks_per_page;) {
		map_bh.b_state = 0;
		map_bh.b_size = 1UL << blkbits;
		if (get_block(inode, block_in_file, &map_bh, 1))
			return -1;
		if (buffer_new(&map_bh))
			unmap_underlying_metadata(map_bh.b_bdev,
						  map_bh.b_blocknr);
		if (buffer_boundary(&map_bh)) {
			*boundary_block = map_bh.b_blocknr;
			*boundary_bdev = map_bh.b_bdev;
		}
		if (page_block &&
		    map_bh.b_blocknr != blocks[page_block - 1] + 1)
			return -1;
		blocks[page_block++] = map_bh.b_blocknr;
		*boundary = buffer_boundary(&map_bh);
		*bdev = map_bh.b_bdev;
		if (block_in_file == last_block)
			break;
		block_in_file++;
	}
	BUG_ON(page_block == 0);
	return (int)page_block;
}

static int mpage_write_confused(struct page *page,
				struct writeback_control *wbc,
				struct mpage_data *mpd)
{
	struct address_space *mapping = page->mapping;
	int ret;

	mpage_stats.write_confused++;
	if (mpd->bio)
		mpd->bio = mpage_bio_submit(WRITE, mpd->bio);
	if (!mpd->use_writepage)
		return -EAGAIN;
	ret = mapping->a_ops->writepage(page, wbc);
	mapping_set_error(mapping, ret);
	return ret;
}

/* Called with the page locked and its dirty bit cleared for I/O. */
int __mpage_writepage(struct page *page, struct writeback_control *wbc,
		      void *data)
{
	struct mpage_data *mpd = data;
	struct inode *inode = page->mapping->host;
	const unsigned int blkbits = inode->i_blkbits;
	const unsigned int blocks_per_page = PAGE_SIZE >> blkbits;
	loff_t i_size = i_size_read(inode);
	/* Zeroed so nothing a previous page left on the stack is trusted. */
	sector_t blocks[MAX_BUF_PER_PAGE] = { 0 };
	sector_t boundary_block = 0;
	struct block_device *bdev = NULL, *boundary_bdev = NULL;
	bool boundary = false;
	unsigned int first_unmapped, length;
	pgoff_t end_index;
	int n;

	if (page_has_buffers(page))
		n = mpage_map_buffers(page, blocks, &bdev, &boundary,
				      &boundary_block, &boundary_bdev);
	else
		n = mpage_map_blocks(page, mpd->get_block, blocks, &bdev,
				     &boundary, &boundary_block,
				     &boundary_bdev);
	if (n < 0)
		return mpage_write_confused(page, wbc, mpd);
	first_unmapped = (unsigned int)n;

	end_index = (pgoff_t)(i_size >> PAGE_SHIFT);
	if (page->index >= end_index) {
		/*
		 * The page straddles i_size: whatever lies past EOF in
		 * memory (it may be mmapped) must reach the disk as zeroes.
		 */
		unsigned int offset = (unsigned int)(i_size & (PAGE_SIZE - 1));

		if (page->index > end_index || !offset)
			return mpage_write_confused(page, wbc, mpd);
		zero_user_segment(page, offset, PAGE_SIZE);
	}

	if (mpd->bio && mpd->last_block_in_bio != blocks[0] - 1)
		mpd->bio = mpage_bio_submit(WRITE, mpd->bio);

	/*
	 * Add the page before cleaning its buffers: if no bio can be had,
	 * the writepage fallback must still find them dirty.
	 */
	length = first_unmapped << blkbits;
	for (;;) {
		if (!mpd->bio) {
			mpd->bio = mpage_alloc(
				bdev, blocks[0] << (blkbits - SECTOR_SHIFT),
				bio_max_pages(bdev));
			if (!mpd->bio)
				return mpage_write_confused(page, wbc, mpd);
		}
		if (bio_add_page(mpd->bio, page, length, 0) >= (int)length)
			break;
		if (!mpd->bio->bi_vcnt) {
			/* Not even an empty bio takes it: never loop. */
			bio_put(mpd->bio);
			mpd->bio = NULL;
			return mpage_write_confused(page, wbc, mpd);
		}
		mpage_stats.add_page_refused++;
		mpd->bio = mpage_bio_submit(WRITE, mpd->bio);
	}

	if (page_has_buffers(page)) {
		struct buffer_head *head = page_buffers(page), *bh = head;
		unsigned int counter = 0;

		do {
			if (counter++ == first_unmapped)
				break;
			clear_buffer_dirty(bh);
			bh = bh->b_this_page;
		} while (bh != head);
		/* Only an up-to-date page may lose its buffers safely. */
		if (buffer_heads_over_limit && PageUptodate(page))
			try_to_free_buffers(page);
	}

	BUG_ON(PageWriteback(page));
	set_page_writeback(page);
	unlock_page(page);
	if (boundary || first_unmapped != blocks_per_page) {
		mpage_stats.write_boundary_submits += boundary;
		mpd->bio = mpage_bio_submit(WRITE, mpd->bio);
		if (boundary_block)
			write_boundary_block(boundary_bdev, boundary_block,
					     1U << blkbits);
	} else {
		mpd->last_block_in_bio = blocks[blocks_per_page - 1];
	}
	return 0;
}

int mpage_writepages(struct address_space *mapping,
		     struct writeback_control *wbc, get_block_t *get_block)
{
	struct mpage_data mpd = {
		.get_block = get_block,
		.use_writepage = true,
	};
	int ret;

	if (!get_block)
		return generic_writepages(mapping, wbc);
	ret = write_cache_pages(mapping, wbc, __mpage_writepage, &mpd);
	if (mpd.bio)
		mpage_bio_submit(WRITE, mpd.bio);
	return ret;
}

int mpage_writepage(struct page *page, get_block_t *get_block,
		    struct writeback_control *wbc)
{
	struct mpage_data mpd = {
		.get_block = get_block,
		.use_writepage = false,
	};
	int ret = __mpage_writepage(page, wbc, &mpd);

	if (mpd.bio)
		mpage_bio_submit(WRITE, mpd.bio);
	return ret;
}
