/*
 * fs/buffer.c: a page read through buffers completes only with its
 * last buffer, in whatever order they finish; errors; metadata buffers
 * through the block device's page cache; and each decision of the
 * buffer-head write path (block_write_full_page), called directly so
 * nothing above it can mask what it did. The file system here has no
 * mpage: 1 KiB blocks, i_size 8 KiB.
 */
#include "fixtures/pc_helpers.h"

static struct sim_disk *sd;
static struct testfs *fs;

static void make_fs(void)
{
	fs = pc_make_fs(10, 8192, true);
	sd = fs->sd;
}

static struct page *start_buffer_read_at(pgoff_t index)
{
	struct address_space *mapping = fs->inode->i_mapping;
	struct page *page = page_cache_alloc(mapping);

	ck_assert_int_eq(add_to_page_cache_lru(page, mapping, index, 0), 0);
	put_page(page); /* the cache's reference keeps it */
	ck_assert_int_eq(block_read_full_page(page, tfs_get_block), 0);
	return page;
}

static struct page *start_buffer_read(void)
{
	return start_buffer_read_at(0);
}

/* What writeback does around a_ops->writepage, without mpage or errors kept. */
static int writepage_now(struct page *page)
{
	struct writeback_control wbc = { .sync_mode = WB_SYNC_ALL,
					 .nr_to_write = 1,
					 .range_end = WB_RANGE_ALL };
	int ret;

	lock_page(page);
	clear_page_dirty_for_io(page);
	ret = block_write_full_page(page, tfs_get_block, &wbc);
	host_run_pending();
	return ret;
}

/* The page's buffer number n. */
static struct buffer_head *nth_buffer(struct page *page, int n)
{
	struct buffer_head *bh = page_buffers(page);

	while (n--)
		bh = bh->b_this_page;
	return bh;
}

/* Four bios finishing newest first: the page waits for the last. */
START_TEST(page_completes_with_last_buffer)
{
	struct page *page;

	make_fs();
	testfs_map(fs, 0, 4, 100);
	sd->hold = true;
	page = start_buffer_read();
	ck_assert_uint_eq(sd->nr_queued, 4);
	for (int left = 4; left > 0; left--) {
		ck_assert(PageLocked(page));
		ck_assert(!PageUptodate(page));
		ck_assert(sim_disk_complete(sd, sd->nr_queued - 1));
	}
	ck_assert(!PageLocked(page));
	ck_assert(PageUptodate(page));
	ck_assert(testfs_page_matches(fs, page, 0, PAGE_SIZE, 100));
	pc_destroy_fs(fs);
}
END_TEST

/* One of four fails: not up to date, PG_error, unlocked all the same. */
START_TEST(one_failed_buffer_fails_page)
{
	struct page *page;

	make_fs();
	testfs_map(fs, 0, 4, 100);
	sim_disk_add_bad(sd, 204, 205, READ);
	page = start_buffer_read();
	host_run_pending();
	ck_assert(!PageLocked(page));
	ck_assert(!PageUptodate(page));
	ck_assert(PageError(page));
	ck_assert(buffer_uptodate(page_buffers(page)));
	ck_assert(
		!buffer_uptodate(page_buffers(page)->b_this_page->b_this_page));
	pc_destroy_fs(fs);
}
END_TEST

/* __bread: one bio the first time, none the second; sync_dirty_buffer. */
START_TEST(metadata_bread_and_sync)
{
	struct buffer_head *bh, *again;

	make_fs();
	bh = __bread(&sd->bdev, 77, 1024);
	ck_assert_ptr_nonnull(bh);
	expect_bios(sd, { READ, 154, 1024 });
	ck_assert_int_eq(memcmp(bh->b_data, sd->data + 77 * 1024, 1024), 0);
	again = __bread(&sd->bdev, 77, 1024);
	ck_assert_ptr_eq(again, bh);
	ck_assert_uint_eq(sd->nr_log, 1);
	brelse(again);
	memset(bh->b_data, 0x3c, 1024);
	mark_buffer_dirty(bh);
	ck_assert_int_eq(sync_dirty_buffer(bh), 0);
	expect_bios(sd, { READ, 154, 1024 }, { WRITE, 154, 1024 });
	ck_assert_uint_eq(sd->data[77 * 1024 + 5], 0x3c);
	sim_disk_add_bad(sd, 154, 155, WRITE);
	mark_buffer_dirty(bh);
	ck_assert_int_eq(sync_dirty_buffer(bh), -EIO);
	ck_assert(buffer_write_io_error(bh));
	brelse(bh);
	pc_destroy_fs(fs);
}
END_TEST

/* Bad requests give NULL, never a crash. */
START_TEST(metadata_bad_input)
{
	make_fs();
	ck_assert_ptr_null(__getblk(&sd->bdev, 1, 1000));
	ck_assert_ptr_null(__getblk(&sd->bdev, 1, 8192));
	ck_assert_ptr_null(__getblk(&sd->bdev, PC_DISK_SECTORS, 1024));
	ck_assert_ptr_null(__getblk(NULL, 1, 1024));
	sim_disk_add_bad(sd, 20, 22, READ);
	ck_assert_ptr_null(__bread(&sd->bdev, 10, 1024));
	pc_destroy_fs(fs);
}
END_TEST

/* Buffers stay while busy (held or dirty) and go when idle. */
START_TEST(try_to_free_buffers_rules)
{
	struct buffer_head *bh;
	struct page *page;
	unsigned long before;

	make_fs();
	bh = __bread(&sd->bdev, 8, 1024);
	ck_assert_ptr_nonnull(bh);
	page = bh->b_page;
	before = nr_buffer_heads();
	lock_page(page);
	ck_assert_int_eq(try_to_free_buffers(page), 0); /* held */
	brelse(bh);
	set_buffer_dirty(bh);
	ck_assert_int_eq(try_to_free_buffers(page), 0); /* dirty */
	clear_buffer_dirty(bh);
	ck_assert_int_eq(try_to_free_buffers(page), 1);
	ck_assert(!page_has_buffers(page));
	ck_assert_uint_eq(nr_buffer_heads(), before - 4);
	unlock_page(page);
	pc_destroy_fs(fs);
}
END_TEST

/* write_boundary_block writes the dirty block after the boundary only. */
START_TEST(write_boundary_block_rule)
{
	struct buffer_head *bh;

	make_fs();
	bh = __getblk(&sd->bdev, 41, 1024);
	set_buffer_uptodate(bh);
	mark_buffer_dirty(bh);
	brelse(bh);
	write_boundary_block(&sd->bdev, 39, 1024); /* 40: not cached */
	host_run_pending();
	ck_assert_uint_eq(sd->nr_log, 0);
	write_boundary_block(&sd->bdev, 40, 1024);
	host_run_pending();
	expect_bios(sd, { WRITE, 82, 1024 });
	ck_assert(!buffer_dirty(bh));
	pc_destroy_fs(fs);
}
END_TEST

/* New buffers start up to date if the page is, dirty if the page is. */
START_TEST(create_empty_buffers_takes_page_state)
{
	make_fs();
	for (pgoff_t i = 0; i < 4; i++) {
		bool uptodate = i & 1, dirty = i & 2;
		struct page *page = grab_cache_page(fs->inode->i_mapping, i);
		struct buffer_head *head, *bh;

		if (uptodate)
			SetPageUptodate(page);
		if (dirty)
			__set_page_dirty_nobuffers(page);
		create_empty_buffers(page, 1024, 0);
		head = bh = page_buffers(page);
		do {
			ck_assert_int_eq(buffer_uptodate(bh), uptodate);
			ck_assert_int_eq(buffer_dirty(bh), dirty);
			ck_assert(!buffer_mapped(bh));
			bh = bh->b_this_page;
		} while (bh != head);
		block_invalidatepage(page, 0);
		cancel_dirty_page(page);
		unlock_page(page);
		put_page(page);
	}
	pc_destroy_fs(fs);
}
END_TEST

/* Invalidating from inside the page keeps buffers; from 0 frees them. */
START_TEST(invalidatepage_frees_only_whole_page)
{
	struct page *page;
	unsigned long before;

	make_fs();
	testfs_map(fs, 0, 4, 100);
	page = start_buffer_read();
	host_run_pending();
	before = nr_buffer_heads();
	lock_page(page);
	block_invalidatepage(page, 2048);
	ck_assert(page_has_buffers(page));
	ck_assert(buffer_mapped(nth_buffer(page, 1)));
	ck_assert(buffer_uptodate(nth_buffer(page, 1)));
	ck_assert(!buffer_mapped(nth_buffer(page, 2)));
	ck_assert(!buffer_uptodate(nth_buffer(page, 3)));
	ck_assert_uint_eq(nr_buffer_heads(), before);
	block_invalidatepage(page, 0);
	ck_assert(!page_has_buffers(page));
	ck_assert_uint_eq(nr_buffer_heads(), before - 4);
	unlock_page(page);
	pc_destroy_fs(fs);
}
END_TEST

/* A write clears the buffer's old write error when it starts; a read never. */
START_TEST(submit_bh_write_clears_write_error)
{
	struct buffer_head *bh;

	make_fs();
	bh = __bread(&sd->bdev, 77, 1024);
	ck_assert_ptr_nonnull(bh);
	sim_disk_add_bad(sd, 154, 155, WRITE);
	mark_buffer_dirty(bh);
	ck_assert_int_eq(sync_dirty_buffer(bh), -EIO);
	ck_assert(buffer_write_io_error(bh));
	lock_buffer(bh);
	get_bh(bh);
	bh->b_end_io = end_buffer_read_sync;
	ck_assert_int_eq(submit_bh(READ, bh), 0);
	wait_on_buffer(bh);
	ck_assert(buffer_write_io_error(bh));
	sd->nr_bad = 0; /* the disk recovers */
	mark_buffer_dirty(bh);
	ck_assert_int_eq(sync_dirty_buffer(bh), 0);
	ck_assert(!buffer_write_io_error(bh));
	expect_bios(sd, { READ, 154, 1024 }, { WRITE, 154, 1024 },
		    { READ, 154, 1024 }, { WRITE, 154, 1024 });
	brelse(bh);
	pc_destroy_fs(fs);
}
END_TEST

/*
 * PG_mappedtodisk only when every buffer was mapped before the read
 * (Linux's rule: nothing had to ask get_block): not on the first read
 * of the page, which maps them, but on the re-read after an error.
 */
START_TEST(buffer_read_sets_mappedtodisk)
{
	struct page *page;

	make_fs();
	testfs_map(fs, 0, 4, 100);
	sim_disk_add_bad(sd, 204, 205, READ);
	page = start_buffer_read();
	host_run_pending();
	ck_assert(PageError(page));
	ck_assert(!PageMappedToDisk(page));
	sd->nr_bad = 0;
	sim_disk_clear_log(sd);
	lock_page(page);
	ClearPageError(page);
	ck_assert_int_eq(block_read_full_page(page, tfs_get_block), 0);
	host_run_pending();
	expect_bios(sd, { READ, 204, 1024 });
	ck_assert(PageUptodate(page));
	ck_assert(PageMappedToDisk(page));
	ck_assert(testfs_page_matches(fs, page, 0, PAGE_SIZE, 100));
	pc_destroy_fs(fs);
}
END_TEST

/*
 * writepage allocating a block (a hole written through mmap) drops the
 * stale metadata buffer of that block, so it never overwrites the data.
 */
START_TEST(writepage_new_block_unmaps_metadata)
{
	struct buffer_head *old;
	struct page *page;
	sector_t newblock;

	make_fs();
	newblock = fs->next_alloc;
	old = pc_stale_metadata(fs, newblock);
	pc_dirty_without_buffers(fs, 0, 1, 0x21);
	page = pc_page(fs, 0);
	ck_assert_int_eq(writepage_now(page), 0);
	ck_assert(!buffer_dirty(old));
	ck_assert(!buffer_new(page_buffers(page)));
	brelse(old);
	ck_assert_int_eq(sync_blockdev(&sd->bdev), 0);
	expect_bios(sd, { WRITE, newblock * 2, 1024 },
		    { WRITE, newblock * 2 + 2, 1024 },
		    { WRITE, newblock * 2 + 4, 1024 },
		    { WRITE, newblock * 2 + 6, 1024 });
	ck_assert_uint_eq(sd->data[newblock * 1024], 0x21);
	pc_destroy_fs(fs);
}
END_TEST

/*
 * get_block fails on block 2: blocks 0 and 1 are still written, block 3
 * is not even mapped, the unmappable buffers are no longer dirty, and
 * the page and its mapping carry the error.
 */
START_TEST(writepage_get_block_error)
{
	struct page *page;
	sector_t newblock;

	make_fs();
	fs->map[2].flags = TFS_ERROR;
	newblock = fs->next_alloc;
	pc_dirty_without_buffers(fs, 0, 1, 0x22);
	page = pc_page(fs, 0);
	ck_assert_int_eq(writepage_now(page), -EIO);
	expect_bios(sd, { WRITE, newblock * 2, 1024 },
		    { WRITE, newblock * 2 + 2, 1024 });
	ck_assert_uint_eq(fs->map[3].phys, TFS_HOLE);
	ck_assert(!buffer_dirty(nth_buffer(page, 2)));
	ck_assert(!buffer_dirty(nth_buffer(page, 3)));
	ck_assert(PageError(page));
	ck_assert(!PageWriteback(page));
	ck_assert(!PageLocked(page));
	ck_assert_int_eq(filemap_fdatawait(fs->inode->i_mapping), -EIO);
	pc_destroy_fs(fs);
}
END_TEST

/*
 * Nothing dirty to write: the page ends writeback at once, and becomes
 * up to date if, and only if, every buffer is.
 */
START_TEST(writepage_nothing_to_write)
{
	make_fs();
	for (pgoff_t i = 0; i < 2; i++) {
		struct page *page = grab_cache_page(fs->inode->i_mapping, i);
		bool all = i == 0;

		create_empty_buffers(page, 1024, 0);
		for (int b = 0; b < (all ? 4 : 3); b++)
			set_buffer_uptodate(nth_buffer(page, b));
		__set_page_dirty_nobuffers(page);
		unlock_page(page);
		ck_assert_int_eq(writepage_now(page), 0);
		ck_assert_int_eq(PageUptodate(page), all);
		ck_assert(!PageWriteback(page));
		ck_assert(!PageLocked(page));
		put_page(page);
	}
	ck_assert_uint_eq(sd->nr_log, 0);
	pc_destroy_fs(fs);
}
END_TEST

/*
 * A page at or past EOF (i_size lowered under it: a truncate under way)
 * is dropped, not written: i_size exactly at its start, then below it.
 */
START_TEST(writepage_past_eof_drops_page)
{
	static const loff_t sizes[] = { 4096, 1000 };
	struct page *page;

	make_fs();
	testfs_map(fs, 4, 4, 104);
	for (size_t i = 0; i < ARRAY_SIZE(sizes); i++) {
		static char buf[4096];

		memset(buf, 0x23, sizeof(buf));
		ck_assert_int_eq(generic_perform_write(NULL,
						       fs->inode->i_mapping,
						       4096, buf, 4096),
				 4096);
		page = pc_page(fs, 1);
		ck_assert(page_has_buffers(page) && PageDirty(page));
		i_size_write(fs->inode, sizes[i]);
		ck_assert_int_eq(writepage_now(page), 0);
		ck_assert(!page_has_buffers(page));
		ck_assert(!PageDirty(page));
		ck_assert(!PageLocked(page));
		ck_assert_uint_eq(((u8 *)page_address(page))[4095], 0x23);
	}
	ck_assert_uint_eq(sd->nr_log, 0);
	pc_destroy_fs(fs);
}
END_TEST

/*
 * A failed buffer-head allocation is retried (after reclaim), never
 * counted: the page gets its four buffers, and the count is exact.
 */
START_TEST(buffer_head_alloc_failure_retried)
{
	struct page *page;
	unsigned long before;

	make_fs();
	page = grab_cache_page(fs->inode->i_mapping, 0);
	before = nr_buffer_heads();
	host_fail_alloc(HOST_ALLOC_KZALLOC, 1, 1);
	create_empty_buffers(page, 1024, 0);
	ck_assert_uint_eq(host_failed_allocs(HOST_ALLOC_KZALLOC), 1);
	ck_assert_uint_eq(nr_buffer_heads(), before + 4);
	for (int b = 0; b < 4; b++) {
		struct buffer_head *bh = nth_buffer(page, b);

		ck_assert_ptr_eq(bh->b_data,
				 (char *)page_address(page) + b * 1024);
		ck_assert_ptr_eq(bh->b_page, page);
	}
	ck_assert_ptr_eq(nth_buffer(page, 4), page_buffers(page));
	unlock_page(page);
	put_page(page);
	pc_destroy_fs(fs);
}
END_TEST

static Suite *buffer_suite(void)
{
	Suite *s = suite_create("buffer");
	TCase *tc = tcase_create("buffer_heads");

	tcase_add_test(tc, page_completes_with_last_buffer);
	tcase_add_test(tc, one_failed_buffer_fails_page);
	tcase_add_test(tc, metadata_bread_and_sync);
	tcase_add_test(tc, metadata_bad_input);
	tcase_add_test(tc, try_to_free_buffers_rules);
	tcase_add_test(tc, write_boundary_block_rule);
	tcase_add_test(tc, create_empty_buffers_takes_page_state);
	tcase_add_test(tc, invalidatepage_frees_only_whole_page);
	tcase_add_test(tc, submit_bh_write_clears_write_error);
	tcase_add_test(tc, buffer_read_sets_mappedtodisk);
	tcase_add_test(tc, writepage_new_block_unmaps_metadata);
	tcase_add_test(tc, writepage_get_block_error);
	tcase_add_test(tc, writepage_nothing_to_write);
	tcase_add_test(tc, writepage_past_eof_drops_page);
	tcase_add_test(tc, buffer_head_alloc_failure_retried);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_SUITE(buffer_suite)
