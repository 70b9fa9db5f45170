/*
 * fs/buffer.c: a page read through buffers completes only with its
 * last buffer, in whatever order they finish; errors; and metadata
 * buffers through the block device's page cache.
 */
#include "fixtures/pc_helpers.h"

static struct sim_disk *sd;
static struct testfs *fs;

static void make_fs(void)
{
	pc_setup();
	sd = sim_disk_create(PC_DISK_SECTORS, 1024);
	fs = testfs_create(sd, 10, 8192, true);
}

static void teardown(void)
{
	testfs_destroy(fs);
	sim_disk_destroy(sd);
}

static struct page *start_buffer_read(void)
{
	struct address_space *mapping = fs->inode->i_mapping;
	struct page *page = page_cache_alloc(mapping);

	ck_assert_int_eq(add_to_page_cache_lru(page, mapping, 0, 0), 0);
	put_page(page); /* the cache's reference keeps it */
	ck_assert_int_eq(block_read_full_page(page, tfs_get_block), 0);
	return page;
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
	teardown();
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
	teardown();
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
	teardown();
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
	teardown();
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
	teardown();
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
	teardown();
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
	suite_add_tcase(s, tc);
	return s;
}

UNIT_SUITE(buffer_suite)
