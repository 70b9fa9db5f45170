/*
 * fs/mpage.c, write side, and the writeback around it: the exact write
 * bios for each branch of __mpage_writepage, the writepage fallback,
 * the page straddling i_size, error reporting through fsync, and the
 * WB_SYNC_ALL rule. 1 KiB blocks: block b is sectors 2b, 2b + 1.
 */
#include "fixtures/pc_helpers.h"

static struct sim_disk *sd;
static struct testfs *fs;
static struct address_space *mapping;

static void make_fs(loff_t size)
{
	fs = pc_make_fs(10, size, false);
	sd = fs->sd;
	mapping = fs->inode->i_mapping;
}

/* write(): buffers mapped and dirty on every block; one bio for both pages. */
START_TEST(mapped_dirty_buffers)
{
	make_fs(0);
	testfs_map(fs, 0, 8, 100);
	pc_write(fs, 0, 8192, 0x5a);
	ck_assert_int_eq(i_size_read(fs->inode), 8192);
	ck_assert(PageDirty(pc_page(fs, 0)));
	ck_assert(buffer_dirty(page_buffers(pc_page(fs, 1))));
	ck_assert_uint_eq(pc_stats.nr_dirty, 2);
	ck_assert_int_eq(filemap_write_and_wait(mapping), 0);
	expect_bios(sd, { WRITE, 200, 8192 });
	ck_assert(pc_disk_is(fs, 100, 0, 8192, 0x5a));
	ck_assert_uint_eq(fs->writepage_calls, 0);
	ck_assert_uint_eq(mpage_stats.write_confused, 0);
	ck_assert(!buffer_dirty(page_buffers(pc_page(fs, 0))));
	ck_assert(!PageDirty(pc_page(fs, 0)));
	ck_assert(!PageWriteback(pc_page(fs, 0)));
	ck_assert_uint_eq(pc_stats.nr_dirty, 0);
	ck_assert_uint_eq(pc_stats.nr_writeback, 0);
	pc_destroy_fs(fs);
}
END_TEST

/* Pages without buffers: mapped here by get_block(create), one bio. */
START_TEST(no_buffers_mapped_by_get_block)
{
	make_fs(16384);
	testfs_map(fs, 0, 16, 100);
	pc_dirty_without_buffers(fs, 0, 4, 0x33);
	fs->get_block_creates = 0;
	ck_assert_int_eq(filemap_write_and_wait(mapping), 0);
	expect_bios(sd, { WRITE, 200, 16384 });
	ck_assert_uint_eq(fs->get_block_creates, 16);
	ck_assert(pc_disk_is(fs, 100, 0, 16384, 0x33));
	ck_assert_uint_eq(fs->writepage_calls, 0);
	pc_destroy_fs(fs);
}
END_TEST

/* Blocks that jump inside a page: the page goes to a_ops->writepage. */
START_TEST(discontiguous_page_falls_back)
{
	make_fs(8192);
	testfs_map(fs, 0, 4, 100);
	testfs_map(fs, 4, 2, 104);
	testfs_map(fs, 6, 2, 300);
	pc_dirty_without_buffers(fs, 0, 1, 0x11);
	pc_dirty_without_buffers(fs, 1, 1, 0x22);
	ck_assert_int_eq(filemap_write_and_wait(mapping), 0);
	expect_bios(sd, { WRITE, 200, 4096 }, { WRITE, 208, 1024 },
		    { WRITE, 210, 1024 }, { WRITE, 600, 1024 },
		    { WRITE, 602, 1024 });
	ck_assert_uint_eq(fs->writepage_calls, 1);
	ck_assert_uint_eq(mpage_stats.write_confused, 1);
	ck_assert(pc_disk_is(fs, 300, 0, 2048, 0x22));
	pc_destroy_fs(fs);
}
END_TEST

/* A dirty buffer without a mapping (a hole written): writepage allocates. */
START_TEST(dirty_unmapped_buffer_falls_back)
{
	struct page *page;
	sector_t newblock;

	make_fs(4096);
	testfs_map(fs, 0, 2, 100);
	testfs_map(fs, 3, 1, 103);
	testfs_readpages(fs, 0,
			 1); /* hole -> data: buffers, block 2 unmapped */
	page = pc_page(fs, 0);
	ck_assert(page_has_buffers(page));
	memset(page_address(page), 0x77, PAGE_SIZE);
	set_page_dirty(page);
	sim_disk_clear_log(sd);
	newblock = fs->next_alloc;
	ck_assert_int_eq(filemap_write_and_wait(mapping), 0);
	ck_assert_uint_eq(fs->writepage_calls, 1);
	ck_assert_uint_eq(mpage_stats.write_confused, 1);
	expect_bios(sd, { WRITE, 200, 1024 }, { WRITE, 202, 1024 },
		    { WRITE, newblock * 2, 1024 }, { WRITE, 206, 1024 });
	ck_assert_uint_eq(fs->map[2].phys, newblock);
	ck_assert(pc_disk_is(fs, newblock, 0, 1024, 0x77));
	pc_destroy_fs(fs);
}
END_TEST

/* The page across i_size: its tail is zeroed and only blocks to EOF go. */
START_TEST(page_straddling_isize)
{
	struct page *page;

	make_fs(4096 + 1000);
	testfs_map(fs, 0, 8, 100);
	pc_dirty_without_buffers(fs, 0, 2, 0xaa);
	ck_assert_int_eq(filemap_write_and_wait(mapping), 0);
	expect_bios(sd, { WRITE, 200, 5120 });
	ck_assert(pc_disk_is(fs, 104, 0, 1000, 0xaa));
	ck_assert(pc_disk_is(fs, 104, 1000, 1024, 0));
	page = pc_page(fs, 1);
	ck_assert(testfs_page_zero(page, 1000, PAGE_SIZE));
	ck_assert_uint_eq(fs->writepage_calls, 0);
	pc_destroy_fs(fs);
}
END_TEST

/* A failed write: fsync says -EIO, once; the page has PG_error. */
START_TEST(write_error_reported_once)
{
	make_fs(8192);
	testfs_map(fs, 0, 8, 100);
	pc_write(fs, 0, 8192, 0x42);
	sim_disk_add_bad(sd, 204, 206, WRITE);
	ck_assert_int_eq(filemap_write_and_wait(mapping), -EIO);
	ck_assert(PageError(pc_page(fs, 0)));
	ck_assert_int_eq(filemap_write_and_wait(mapping), 0);
	pc_destroy_fs(fs);
}
END_TEST

/*
 * WB_SYNC_NONE skips a page still under writeback even if redirtied;
 * WB_SYNC_ALL waits for that write to finish, then writes it again.
 */
START_TEST(sync_all_waits_and_rewrites)
{
	struct writeback_control wbc = {
		.sync_mode = WB_SYNC_NONE,
		.nr_to_write = 16,
		.range_end = WB_RANGE_ALL,
	};
	struct page *page;

	make_fs(4096);
	testfs_map(fs, 0, 4, 100);
	pc_write(fs, 0, 4096, 0x01);
	sd->hold = true;
	ck_assert_int_eq(filemap_fdatawrite(mapping), 0);
	page = pc_page(fs, 0);
	ck_assert(PageWriteback(page));
	pc_write(fs, 0, 4096, 0x02); /* redirty under writeback */
	ck_assert(PageDirty(page));
	ck_assert_int_eq(do_writepages(mapping, &wbc), 0);
	ck_assert_int_eq(wbc.pages_skipped, 1);
	ck_assert_uint_eq(sd->nr_log, 1); /* skipped: no second bio */
	sd->hold = false; /* the wait below completes it */
	ck_assert_int_eq(filemap_write_and_wait(mapping), 0);
	expect_bios(sd, { WRITE, 200, 4096 }, { WRITE, 200, 4096 });
	ck_assert(pc_disk_is(fs, 100, 0, 4096, 0x02));
	ck_assert(!PageDirty(page));
	pc_destroy_fs(fs);
}
END_TEST

/*
 * BH_Boundary on write: the bio is sent at the boundary block and the
 * dirty indirect block after it is written right then.
 */
static void boundary_setup(bool boundary)
{
	make_fs(16384);
	testfs_map_ext2_example(fs, 16, boundary);
	pc_dirty_metadata(fs, 112, 0xee);
	pc_dirty_without_buffers(fs, 0, 4, 0x44);
}

START_TEST(boundary_on_write)
{
	boundary_setup(true);
	ck_assert_int_eq(filemap_fdatawrite(mapping), 0);
	ck_assert_int_eq(filemap_fdatawait(mapping), 0);
	expect_bios(sd, { WRITE, 200, 12288 }, { WRITE, 224, 1024 },
		    { WRITE, 226, 4096 });
	ck_assert_uint_eq(mpage_stats.write_boundary_submits, 1);
	ck_assert(pc_disk_is(fs, 112, 0, 1024, 0xee));
	pc_destroy_fs(fs);
}
END_TEST

START_TEST(no_boundary_on_write)
{
	boundary_setup(false);
	ck_assert_int_eq(filemap_fdatawrite(mapping), 0);
	ck_assert_int_eq(filemap_fdatawait(mapping), 0);
	expect_bios(sd, { WRITE, 200, 12288 }, { WRITE, 226, 4096 });
	ck_assert_uint_eq(mpage_stats.write_boundary_submits, 0);
	pc_destroy_fs(fs);
}
END_TEST

/* The queue takes 8 KiB: a write bio is cut and a new one started. */
START_TEST(write_bio_add_page_refuses)
{
	make_fs(16384);
	testfs_map(fs, 0, 16, 100);
	blk_queue_max_hw_sectors(sd->disk.queue, 16);
	pc_dirty_without_buffers(fs, 0, 4, 0x99);
	ck_assert_int_eq(filemap_write_and_wait(mapping), 0);
	expect_bios(sd, { WRITE, 200, 8192 }, { WRITE, 216, 8192 });
	ck_assert(pc_disk_is(fs, 100, 0, 16384, 0x99));
	pc_destroy_fs(fs);
}
END_TEST

/*
 * Bios as large as the queue lets them be: 2 MiB of contiguous dirty
 * pages on a queue of 2 MiB requests go in two bios of BIO_MAX_PAGES
 * pages, on a queue of 512 KiB requests in four bios of 128 pages.
 */
START_TEST(write_bios_reach_queue_limit)
{
	make_fs(2 << 20);
	testfs_map(fs, 0, 2048, 4096);
	blk_queue_max_hw_sectors(sd->disk.queue, 4096);
	blk_queue_max_segments(sd->disk.queue, 512);
	pc_dirty_without_buffers(fs, 0, 512, 0x3c);
	ck_assert_int_eq(filemap_write_and_wait(mapping), 0);
	expect_bios(sd, { WRITE, 8192, 1 << 20 }, { WRITE, 10240, 1 << 20 });
	pc_destroy_fs(fs);
	make_fs(2 << 20);
	testfs_map(fs, 0, 2048, 4096);
	blk_queue_max_hw_sectors(sd->disk.queue, 1024);
	pc_dirty_without_buffers(fs, 0, 512, 0x3c);
	ck_assert_int_eq(filemap_write_and_wait(mapping), 0);
	expect_bios(sd, { WRITE, 8192, 1 << 19 }, { WRITE, 9216, 1 << 19 },
		    { WRITE, 10240, 1 << 19 }, { WRITE, 11264, 1 << 19 });
	ck_assert(pc_disk_is(fs, 4096, 0, 2 << 20, 0x3c));
	pc_destroy_fs(fs);
}
END_TEST

/* A partial write into an uncached block reads the rest first. */
START_TEST(partial_write_reads_block)
{
	make_fs(4096);
	testfs_map(fs, 0, 4, 100);
	pc_write(fs, 100, 10, 0xcd);
	expect_bios(sd, { READ, 200, 1024 });
	ck_assert_int_eq(filemap_write_and_wait(mapping), 0);
	/* Only block 0 is mapped: written as a page unmapped at its end. */
	expect_bios(sd, { READ, 200, 1024 }, { WRITE, 200, 1024 });
	ck_assert(pc_disk_is(fs, 100, 100, 110, 0xcd));
	ck_assert_uint_eq(sd->data[100 * 1024 + 99],
			  sim_disk_pattern(100 * 1024 + 99));
	pc_destroy_fs(fs);
}
END_TEST

/* Two runs on disk: the first bio is sent when the second run starts. */
START_TEST(write_two_runs)
{
	make_fs(16384);
	testfs_map(fs, 0, 8, 100);
	testfs_map(fs, 8, 8, 300);
	pc_dirty_without_buffers(fs, 0, 4, 0x66);
	ck_assert_int_eq(filemap_write_and_wait(mapping), 0);
	expect_bios(sd, { WRITE, 200, 8192 }, { WRITE, 600, 8192 });
	ck_assert(pc_disk_is(fs, 300, 0, 8192, 0x66));
	pc_destroy_fs(fs);
}
END_TEST

/* Buffers read through the buffer path, then one block written. */
static struct page *page_with_mapped_buffers(void)
{
	struct page *page;

	testfs_map(fs, 0, 4, 100);
	fs->map[2].flags = TFS_UPTODATE; /* forces the buffer path */
	testfs_readpages(fs, 0, 1);
	page = pc_page(fs, 0);
	ck_assert(page_has_buffers(page));
	fs->map[2].flags = 0;
	sim_disk_clear_log(sd);
	return page;
}

/* A clean mapped buffer among dirty ones: the page goes to writepage. */
START_TEST(partly_dirty_buffers_fall_back)
{
	make_fs(4096);
	page_with_mapped_buffers();
	pc_write(fs, 1024, 1024, 0x12);
	ck_assert_int_eq(filemap_write_and_wait(mapping), 0);
	expect_bios(sd, { WRITE, 202, 1024 });
	ck_assert_uint_eq(fs->writepage_calls, 1);
	ck_assert(pc_disk_is(fs, 101, 0, 1024, 0x12));
	pc_destroy_fs(fs);
}
END_TEST

/* Dirty mapped buffers that jump on disk: writepage, buffer by buffer. */
START_TEST(discontiguous_buffers_fall_back)
{
	struct page *page;

	make_fs(4096);
	page = page_with_mapped_buffers();
	page_buffers(page)->b_this_page->b_this_page->b_blocknr = 500;
	pc_write(fs, 0, 4096, 0x13);
	ck_assert_int_eq(filemap_write_and_wait(mapping), 0);
	expect_bios(sd, { WRITE, 200, 1024 }, { WRITE, 202, 1024 },
		    { WRITE, 1000, 1024 }, { WRITE, 206, 1024 });
	ck_assert_uint_eq(fs->writepage_calls, 1);
	pc_destroy_fs(fs);
}
END_TEST

/*
 * Buffers: mapped, unmapped (a clean hole), mapped, mapped, the mapped
 * ones dirty and even contiguous among themselves: writepage.
 */
START_TEST(hole_between_dirty_buffers_falls_back)
{
	struct page *page;
	struct buffer_head *bh;
	int i = 0;

	make_fs(4096);
	testfs_map(fs, 0, 1, 100);
	testfs_map(fs, 2, 2, 101);
	testfs_readpages(fs, 0, 1); /* hole -> data: the buffer path */
	page = pc_page(fs, 0);
	ck_assert(page_has_buffers(page));
	sim_disk_clear_log(sd);
	bh = page_buffers(page);
	do {
		if (i++ != 1)
			mark_buffer_dirty(bh);
		bh = bh->b_this_page;
	} while (bh != page_buffers(page));
	ck_assert_int_eq(filemap_write_and_wait(mapping), 0);
	expect_bios(sd, { WRITE, 200, 1024 }, { WRITE, 202, 1024 },
		    { WRITE, 204, 1024 });
	ck_assert_uint_eq(fs->writepage_calls, 1);
	pc_destroy_fs(fs);
}
END_TEST

/*
 * mmap-style dirtying marks every buffer dirty, the unmapped last one
 * too: that block needs allocating, so the page goes to writepage.
 */
START_TEST(dirty_unmapped_last_buffer_falls_back)
{
	struct page *page;
	sector_t newblock;

	make_fs(4096);
	testfs_map(fs, 0, 3, 100); /* block 3: a hole */
	fs->map[1].flags = TFS_UPTODATE; /* the buffer path, for buffers */
	testfs_readpages(fs, 0, 1);
	fs->map[1].flags = 0;
	page = pc_page(fs, 0);
	ck_assert(page_has_buffers(page));
	memset(page_address(page), 0x55, PAGE_SIZE);
	set_page_dirty(page);
	sim_disk_clear_log(sd);
	newblock = fs->next_alloc;
	ck_assert_int_eq(filemap_write_and_wait(mapping), 0);
	expect_bios(sd, { WRITE, 200, 1024 }, { WRITE, 202, 1024 },
		    { WRITE, 204, 1024 }, { WRITE, newblock * 2, 1024 });
	ck_assert(pc_disk_is(fs, newblock, 0, 1024, 0x55));
	ck_assert_uint_eq(fs->writepage_calls, 1);
	pc_destroy_fs(fs);
}
END_TEST

/* A block newly allocated for data must drop a stale metadata buffer. */
START_TEST(new_block_unmaps_metadata)
{
	struct buffer_head *old;
	sector_t newblock;

	make_fs(4096);
	newblock = fs->next_alloc;
	old = pc_stale_metadata(fs, newblock);
	pc_dirty_without_buffers(fs, 0, 1, 0x21);
	ck_assert_int_eq(filemap_write_and_wait(mapping), 0);
	ck_assert(!buffer_dirty(old));
	brelse(old);
	ck_assert_int_eq(sync_blockdev(&sd->bdev), 0);
	expect_bios(sd, { WRITE, newblock * 2, 4096 });
	ck_assert(pc_disk_is(fs, newblock, 0, 1024, 0x21));
	pc_destroy_fs(fs);
}
END_TEST

/*
 * mpage_writepage, the single-page entry: a contiguous page goes out
 * as one bio; a page that needs the buffer path comes back -EAGAIN,
 * still locked, nothing written (the caller has no writepage to use).
 */
static int writepage_one(pgoff_t index)
{
	struct writeback_control wbc = { .sync_mode = WB_SYNC_ALL,
					 .nr_to_write = 1,
					 .range_end = WB_RANGE_ALL };
	struct page *page = pc_page(fs, index);

	lock_page(page);
	ck_assert(clear_page_dirty_for_io(page));
	return mpage_writepage(page, tfs_get_block, &wbc);
}

START_TEST(mpage_writepage_one_page)
{
	struct page *page;

	make_fs(8192);
	testfs_map(fs, 0, 4, 100);
	testfs_map(fs, 4, 2, 104);
	testfs_map(fs, 6, 2, 300);
	pc_dirty_without_buffers(fs, 0, 2, 0x44);
	ck_assert_int_eq(writepage_one(0), 0);
	wait_on_page_writeback(pc_page(fs, 0));
	expect_bios(sd, { WRITE, 200, 4096 });
	ck_assert(pc_disk_is(fs, 100, 0, 4096, 0x44));

	sim_disk_clear_log(sd);
	ck_assert_int_eq(writepage_one(1), -EAGAIN);
	page = pc_page(fs, 1);
	ck_assert(PageLocked(page));
	ck_assert(!PageWriteback(page));
	ck_assert_uint_eq(sd->nr_log, 0);
	ck_assert_uint_eq(fs->writepage_calls, 0);
	set_page_dirty(page); /* not written: dirty again, as a caller would */
	unlock_page(page);
	pc_destroy_fs(fs);
}
END_TEST

/*
 * Buffers all unmapped and clean (a page read over a hole by the buffer
 * path, then dirtied without touching them): nothing for a bio, the page
 * goes to writepage, which finds nothing to write.
 */
START_TEST(all_buffers_unmapped_falls_back)
{
	struct page *page;

	make_fs(4096);
	page = grab_cache_page(mapping, 0);
	create_empty_buffers(page, 1024, 0);
	ck_assert_int_eq(block_read_full_page(page, tfs_get_block), 0);
	lock_page(page);
	ck_assert(PageUptodate(page));
	ck_assert_int_eq(__set_page_dirty_nobuffers(page), 1);
	unlock_page(page);
	put_page(page);
	ck_assert_int_eq(filemap_write_and_wait(mapping), 0);
	ck_assert_uint_eq(sd->nr_log, 0);
	ck_assert_uint_eq(mpage_stats.write_confused, 1);
	ck_assert_uint_eq(fs->writepage_calls, 1);
	ck_assert_uint_eq(fs->get_block_creates, 0);
	ck_assert(!PageDirty(page));
	ck_assert(!PageWriteback(page));
	pc_destroy_fs(fs);
}
END_TEST

/*
 * i_size lowered under dirty pages (a truncate in progress): page 1 is
 * wholly past EOF although its buffers are mapped and dirty. It goes to
 * writepage, which drops it; only page 0 reaches the disk, its tail past
 * i_size as zeroes.
 */
START_TEST(page_past_eof_with_buffers_falls_back)
{
	struct page *page;

	make_fs(8192);
	testfs_map(fs, 0, 8, 100);
	pc_write(fs, 0, 8192, 0x31);
	i_size_write(fs->inode, 1000);
	sim_disk_clear_log(sd);
	ck_assert_int_eq(filemap_write_and_wait(mapping), 0);
	expect_bios(sd, { WRITE, 200, 4096 });
	ck_assert(pc_disk_is(fs, 100, 0, 1000, 0x31));
	ck_assert(pc_disk_is(fs, 100, 1000, 4096, 0));
	ck_assert_uint_eq(sd->data[104 * 1024], sim_disk_pattern(104 * 1024));
	page = pc_page(fs, 1);
	ck_assert(!page_has_buffers(page));
	ck_assert(!PageDirty(page));
	ck_assert_uint_eq(fs->writepage_calls, 1);
	ck_assert_uint_eq(mpage_stats.write_confused, 1);
	pc_destroy_fs(fs);
}
END_TEST

/* Over the buffer-head limit, an up-to-date page written clean loses them. */
START_TEST(clean_write_frees_buffers_over_limit)
{
	struct page *page;
	unsigned long before;

	make_fs(4096);
	testfs_map(fs, 0, 4, 100);
	pc_write(fs, 0, 4096, 0x3e);
	page = pc_page(fs, 0);
	ck_assert(PageUptodate(page) && page_has_buffers(page));
	before = nr_buffer_heads();
	buffer_heads_over_limit = 1;
	ck_assert_int_eq(filemap_write_and_wait(mapping), 0);
	expect_bios(sd, { WRITE, 200, 4096 });
	ck_assert(!page_has_buffers(page));
	ck_assert_uint_eq(nr_buffer_heads(), before - 4);
	ck_assert(pc_disk_is(fs, 100, 0, 4096, 0x3e));
	pc_destroy_fs(fs);
}
END_TEST

/*
 * ... but a page that is not up to date keeps its buffers: they alone
 * say which of its blocks are valid.
 */
START_TEST(stale_page_keeps_buffers_over_limit)
{
	struct page *page;

	make_fs(0);
	testfs_map(fs, 0, 4, 100);
	pc_write(fs, 0, 1024, 0x3f); /* one new block: the page is partial */
	page = pc_page(fs, 0);
	ck_assert(!PageUptodate(page));
	buffer_heads_over_limit = 1;
	ck_assert_int_eq(filemap_write_and_wait(mapping), 0);
	expect_bios(sd, { WRITE, 200, 1024 });
	ck_assert(page_has_buffers(page));
	ck_assert(buffer_uptodate(page_buffers(page)));
	ck_assert(!buffer_dirty(page_buffers(page)));
	ck_assert(pc_disk_is(fs, 100, 0, 1024, 0x3f));
	pc_destroy_fs(fs);
}
END_TEST

/*
 * BH_Boundary as write() leaves it, on the page's own buffer of block
 * 11 (get_block set it in write_begin): the bio ends there and the
 * dirty indirect block after it goes out at once.
 */
START_TEST(boundary_from_page_buffers)
{
	struct buffer_head *bh;

	make_fs(0);
	testfs_map_ext2_example(fs, 16, true);
	pc_write(fs, 0, 16384, 0x45);
	bh = page_buffers(pc_page(fs, 2));
	for (int i = 0; i < 3; i++)
		bh = bh->b_this_page; /* block 11 */
	ck_assert(buffer_boundary(bh));
	pc_dirty_metadata(fs, 112, 0xee);
	sim_disk_clear_log(sd);
	ck_assert_int_eq(filemap_fdatawrite(mapping), 0);
	ck_assert_int_eq(filemap_fdatawait(mapping), 0);
	expect_bios(sd, { WRITE, 200, 12288 }, { WRITE, 224, 1024 },
		    { WRITE, 226, 4096 });
	ck_assert_uint_eq(mpage_stats.write_boundary_submits, 1);
	ck_assert(pc_disk_is(fs, 112, 0, 1024, 0xee));
	ck_assert(pc_disk_is(fs, 113, 0, 4096, 0x45));
	pc_destroy_fs(fs);
}
END_TEST

/*
 * A mapped dirty buffer that is not up to date (its last write failed,
 * say): mpage may not trust the page's copy; writepage, buffer by buffer.
 */
START_TEST(stale_dirty_buffer_falls_back)
{
	struct page *page;

	make_fs(4096);
	page = page_with_mapped_buffers();
	pc_write(fs, 0, 4096, 0x14);
	clear_buffer_uptodate(page_buffers(page)->b_this_page->b_this_page);
	ck_assert_int_eq(filemap_write_and_wait(mapping), 0);
	expect_bios(sd, { WRITE, 200, 1024 }, { WRITE, 202, 1024 },
		    { WRITE, 204, 1024 }, { WRITE, 206, 1024 });
	ck_assert_uint_eq(fs->writepage_calls, 1);
	ck_assert_uint_eq(mpage_stats.write_confused, 1);
	pc_destroy_fs(fs);
}
END_TEST

/*
 * writepage on the confused path reports an error only by its return
 * value: mpage records it in the mapping, for fsync.
 */
START_TEST(confused_writepage_error_recorded)
{
	make_fs(4096);
	testfs_map(fs, 0, 2, 100);
	testfs_map(fs, 2, 2, 300);
	pc_dirty_without_buffers(fs, 0, 1, 0x15);
	fs->writepage_error = -ENOSPC;
	ck_assert_int_eq(filemap_fdatawrite(mapping), -ENOSPC);
	ck_assert_uint_eq(fs->writepage_calls, 1);
	ck_assert_uint_eq(sd->nr_log, 0);
	ck_assert_int_eq(filemap_fdatawait(mapping), -ENOSPC);
	ck_assert_int_eq(filemap_fdatawait(mapping), 0);
	pc_destroy_fs(fs);
}
END_TEST

/*
 * A page whose buffers end unmapped (holes) ends the bio: the bio's next
 * sector is not where a following page's data belongs. Page 1 sits at
 * disk blocks 1-4, right after the 0 of page 0's unmapped slots, and
 * still gets a bio of its own.
 */
START_TEST(partial_page_ends_write_bio)
{
	struct page *page;

	make_fs(8192);
	testfs_map(fs, 0, 2, 100); /* page 0: 100, 101, hole, hole */
	testfs_map(fs, 4, 4, 1);
	fs->map[1].flags = TFS_UPTODATE; /* the buffer path, for buffers */
	testfs_readpages(fs, 0, 1);
	fs->map[1].flags = 0;
	page = pc_page(fs, 0);
	ck_assert(page_has_buffers(page));
	pc_write(fs, 0, 2048, 0x16);
	pc_write(fs, 4096, 4096, 0x17);
	sim_disk_clear_log(sd);
	ck_assert_int_eq(filemap_write_and_wait(mapping), 0);
	expect_bios(sd, { WRITE, 200, 2048 }, { WRITE, 2, 4096 });
	ck_assert(pc_disk_is(fs, 100, 0, 2048, 0x16));
	ck_assert(pc_disk_is(fs, 1, 0, 4096, 0x17));
	ck_assert_uint_eq(sd->data[102 * 1024], sim_disk_pattern(102 * 1024));
	ck_assert_uint_eq(mpage_stats.write_confused, 0);
	pc_destroy_fs(fs);
}
END_TEST

/*
 * No write bio to be had (every size mpage_alloc tries, 128 vecs down to
 * 1, fails): page 0 goes to writepage with its buffers still dirty, so
 * every block reaches the disk; page 1 gets a bio again.
 */
START_TEST(write_bio_alloc_failure_falls_back)
{
	make_fs(8192);
	testfs_map(fs, 0, 8, 100);
	pc_write(fs, 0, 8192, 0x18);
	sim_disk_clear_log(sd);
	host_fail_alloc(HOST_ALLOC_BIO, 0, 8);
	ck_assert_int_eq(filemap_write_and_wait(mapping), 0);
	ck_assert_uint_eq(host_failed_allocs(HOST_ALLOC_BIO), 8);
	expect_bios(sd, { WRITE, 200, 1024 }, { WRITE, 202, 1024 },
		    { WRITE, 204, 1024 }, { WRITE, 206, 1024 },
		    { WRITE, 208, 4096 });
	ck_assert(pc_disk_is(fs, 100, 0, 8192, 0x18));
	ck_assert_uint_eq(fs->writepage_calls, 1);
	ck_assert(!buffer_dirty(page_buffers(pc_page(fs, 0))));
	pc_destroy_fs(fs);
}
END_TEST

/*
 * A dirty page wholly past EOF (mmap wrote past it, or truncate raced):
 * no block is allocated for it (Linux 2023, "fs: don't allocate blocks
 * beyond EOF from __mpage_writepage"); writepage drops it.
 */
START_TEST(no_allocation_past_eof)
{
	sector_t next = 0;
	struct page *page;

	make_fs(4096);
	testfs_map(fs, 0, 4, 100);
	pc_dirty_without_buffers(fs, 0, 2, 0x19);
	next = fs->next_alloc;
	fs->get_block_creates = 0;
	ck_assert_int_eq(filemap_write_and_wait(mapping), 0);
	expect_bios(sd, { WRITE, 200, 4096 });
	ck_assert_uint_eq(fs->get_block_creates, 4);
	ck_assert_uint_eq(fs->next_alloc, next);
	ck_assert_uint_eq(fs->map[4].phys, TFS_HOLE);
	page = pc_page(fs, 1);
	ck_assert(!PageDirty(page));
	ck_assert(!page_has_buffers(page));
	ck_assert_uint_eq(fs->writepage_calls, 1);
	pc_destroy_fs(fs);
}
END_TEST

/* i_size 0: nothing allocated, no arithmetic wrapping below block 0. */
START_TEST(no_allocation_at_isize_zero)
{
	sector_t next = 0;

	make_fs(0);
	pc_dirty_without_buffers(fs, 0, 1, 0x1a);
	next = fs->next_alloc;
	ck_assert_int_eq(filemap_write_and_wait(mapping), 0);
	ck_assert_uint_eq(sd->nr_log, 0);
	ck_assert_uint_eq(fs->get_block_creates, 0);
	ck_assert_uint_eq(fs->next_alloc, next);
	ck_assert(!PageDirty(pc_page(fs, 0)));
	ck_assert_uint_eq(fs->writepage_calls, 1);
	pc_destroy_fs(fs);
}
END_TEST

/*
 * Limits that refuse a whole page to an empty bio (set behind the
 * setter's back): never a loop; writepage writes the 1 KiB blocks one
 * bio each.
 */
START_TEST(write_refused_empty_bio_falls_back)
{
	make_fs(4096);
	testfs_map(fs, 0, 4, 100);
	sd->disk.queue->limits.max_segment_size = 1024;
	pc_dirty_without_buffers(fs, 0, 1, 0x1b);
	ck_assert_int_eq(filemap_write_and_wait(mapping), 0);
	expect_bios(sd, { WRITE, 200, 1024 }, { WRITE, 202, 1024 },
		    { WRITE, 204, 1024 }, { WRITE, 206, 1024 });
	ck_assert(pc_disk_is(fs, 100, 0, 4096, 0x1b));
	ck_assert_uint_eq(mpage_stats.write_confused, 1);
	ck_assert_uint_eq(mpage_stats.write_bios, 0);
	pc_destroy_fs(fs);
}
END_TEST

/* ... and a block that fits no bio fails the page with -EIO, no I/O. */
START_TEST(write_refused_block_fails_page)
{
	struct page *page;

	make_fs(4096);
	testfs_map(fs, 0, 4, 100);
	sd->disk.queue->limits.max_segment_size = 512;
	pc_dirty_without_buffers(fs, 0, 1, 0x1c);
	ck_assert_int_eq(filemap_write_and_wait(mapping), -EIO);
	ck_assert_uint_eq(sd->nr_log, 0);
	page = pc_page(fs, 0);
	ck_assert(PageError(page));
	ck_assert(!PageWriteback(page));
	ck_assert(!PageLocked(page));
	ck_assert(pc_disk_is(fs, 100, 0, 1, sim_disk_pattern(100 * 1024)));
	pc_destroy_fs(fs);
}
END_TEST

static Suite *mpage_write_suite(void)
{
	Suite *s = suite_create("mpage_write");
	TCase *tc = tcase_create("branches");

	tcase_add_test(tc, mapped_dirty_buffers);
	tcase_add_test(tc, mpage_writepage_one_page);
	tcase_add_test(tc, no_buffers_mapped_by_get_block);
	tcase_add_test(tc, discontiguous_page_falls_back);
	tcase_add_test(tc, dirty_unmapped_buffer_falls_back);
	tcase_add_test(tc, page_straddling_isize);
	tcase_add_test(tc, write_error_reported_once);
	tcase_add_test(tc, sync_all_waits_and_rewrites);
	tcase_add_test(tc, boundary_on_write);
	tcase_add_test(tc, no_boundary_on_write);
	tcase_add_test(tc, write_bio_add_page_refuses);
	tcase_add_test(tc, write_bios_reach_queue_limit);
	tcase_add_test(tc, partial_write_reads_block);
	tcase_add_test(tc, write_two_runs);
	tcase_add_test(tc, partly_dirty_buffers_fall_back);
	tcase_add_test(tc, discontiguous_buffers_fall_back);
	tcase_add_test(tc, hole_between_dirty_buffers_falls_back);
	tcase_add_test(tc, dirty_unmapped_last_buffer_falls_back);
	tcase_add_test(tc, new_block_unmaps_metadata);
	tcase_add_test(tc, all_buffers_unmapped_falls_back);
	tcase_add_test(tc, page_past_eof_with_buffers_falls_back);
	tcase_add_test(tc, clean_write_frees_buffers_over_limit);
	tcase_add_test(tc, stale_page_keeps_buffers_over_limit);
	tcase_add_test(tc, boundary_from_page_buffers);
	tcase_add_test(tc, stale_dirty_buffer_falls_back);
	tcase_add_test(tc, confused_writepage_error_recorded);
	tcase_add_test(tc, partial_page_ends_write_bio);
	tcase_add_test(tc, write_bio_alloc_failure_falls_back);
	tcase_add_test(tc, no_allocation_past_eof);
	tcase_add_test(tc, no_allocation_at_isize_zero);
	tcase_add_test(tc, write_refused_empty_bio_falls_back);
	tcase_add_test(tc, write_refused_block_fails_page);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_SUITE(mpage_write_suite)
