/*
 * Writeback and reclaim around the page cache: the flusher writes only
 * data older than dirty_expire_ms, writers over the dirty limit are
 * throttled into writing, truncate drops pages, drop_pagecache evicts
 * clean ones, and reclaim lets a file twice the size of free memory be
 * written and read back.
 */
#include "fixtures/pc_helpers.h"

static struct sim_disk *sd;
static struct testfs *fs;
static struct address_space *mapping;

static void make_fs(loff_t size)
{
	pc_setup();
	sd = sim_disk_create(PC_DISK_SECTORS * 4, 1024);
	fs = testfs_create(sd, 12, size, false);
	mapping = fs->inode->i_mapping;
}

static void write_pages(pgoff_t first, unsigned int n, u8 byte)
{
	static char buf[PAGE_SIZE];

	memset(buf, byte, sizeof(buf));
	for (pgoff_t i = first; i < first + n; i++)
		ck_assert_int_eq(generic_perform_write(NULL, mapping,
						       (loff_t)i * PAGE_SIZE,
						       buf, PAGE_SIZE),
				 PAGE_SIZE);
}

START_TEST(flusher_writes_only_expired)
{
	make_fs(0);
	testfs_map(fs, 0, 4, 100);
	write_pages(0, 4, 0x10);
	ck_assert_int_eq(flusher_run_once(), 0);
	host_run_pending();
	ck_assert_uint_eq(sd->nr_log, 0);
	host_advance_clock((u64)dirty_expire_ms * NSEC_PER_MSEC + 1);
	ck_assert_int_eq(flusher_run_once(), 4);
	host_run_pending();
	expect_bios(sd, { WRITE, 800, 16384 });
	ck_assert_uint_eq(pc_stats.nr_dirty, 0);
	pc_destroy_fs(fs);
}
END_TEST

START_TEST(writer_throttled_over_dirty_limit)
{
	unsigned int saved = vm_dirty_ratio, saved_bg = dirty_background_ratio;

	make_fs(0);
	testfs_map(fs, 0, 256, 100);
	vm_dirty_ratio = 0; /* limit: one page */
	dirty_background_ratio = 0;
	write_pages(0, 64, 0x20);
	/* The writer itself started writeback; dirty memory stayed low. */
	ck_assert_uint_gt(sd->nr_log, 0);
	ck_assert_uint_le(pc_stats.nr_dirty, 2);
	vm_dirty_ratio = saved;
	dirty_background_ratio = saved_bg;
	ck_assert_int_eq(filemap_write_and_wait(mapping), 0);
	for (int i = 0; i < 64 * 4096; i += 4096)
		ck_assert_uint_eq(sd->data[100 * 4096 + i], 0x20);
	pc_destroy_fs(fs);
}
END_TEST

START_TEST(truncate_drops_and_zeroes)
{
	struct page *page;

	make_fs(0);
	testfs_map(fs, 0, 8, 100);
	write_pages(0, 4, 0x30);
	ck_assert_uint_eq(mapping->nrpages, 4);
	truncate_inode_pages(mapping, 4096 + 100);
	ck_assert_uint_eq(mapping->nrpages, 2);
	page = pc_page(fs, 1);
	ck_assert(testfs_page_zero(page, 100, PAGE_SIZE));
	ck_assert_uint_eq(((u8 *)page_address(page))[99], 0x30);
	truncate_inode_pages(mapping, 0);
	ck_assert_uint_eq(mapping->nrpages, 0);
	ck_assert_uint_eq(pc_stats.nr_dirty, 0);
	host_run_pending();
	ck_assert_uint_eq(sd->nr_log, 0); /* nothing was written */
	pc_destroy_fs(fs);
}
END_TEST

START_TEST(drop_pagecache_keeps_dirty)
{
	unsigned long freed;

	make_fs(8 * PAGE_SIZE);
	testfs_map(fs, 0, 8, 100);
	testfs_readpages(fs, 0, 4);
	write_pages(4, 2, 0x40);
	freed = drop_pagecache();
	ck_assert_uint_ge(freed, 4);
	ck_assert_ptr_null(find_get_page(mapping, 0));
	ck_assert_ptr_nonnull(pc_page(fs, 4));
	ck_assert(PageDirty(pc_page(fs, 4)));
	pc_destroy_fs(fs);
}
END_TEST

/* read_cache_page: the page or ERR_PTR(-EIO), never a bad page. */
START_TEST(read_cache_page_error)
{
	struct page *page;

	make_fs(8 * PAGE_SIZE);
	testfs_map(fs, 0, 8, 100);
	sim_disk_add_bad(sd, 808, 816, READ);
	page = read_mapping_page(mapping, 0, NULL);
	ck_assert(!IS_ERR(page));
	ck_assert(testfs_page_matches(fs, page, 0, PAGE_SIZE, 100));
	put_page(page);
	page = read_mapping_page(mapping, 1, NULL);
	ck_assert(IS_ERR(page));
	ck_assert_int_eq(PTR_ERR(page), -EIO);
	pc_destroy_fs(fs);
}
END_TEST

/*
 * Take almost all free memory, then write and read back a file twice
 * the size of what is left: only reclaim (writing dirty pages first,
 * since writers are not throttled here) makes that possible.
 */
START_TEST(reclaim_file_twice_free_memory)
{
	static struct page *hog[4096];
	unsigned int nr_hog = 0, file_pages;
	static char buf[PAGE_SIZE];
	struct file_ra_state ra;

	make_fs(0);
	vmscan_init();
	/* No throttling: only reclaim's own writeback can free memory. */
	vm_dirty_ratio = 100;
	dirty_background_ratio = 100;
	while (nr_free_pages() > 4096 + 1024 && nr_hog < ARRAY_SIZE(hog))
		ck_assert_ptr_nonnull(hog[nr_hog++] = alloc_pages(GFP_NOIO, 4));
	file_pages = (unsigned int)nr_free_pages() * 2;
	ck_assert_uint_le(file_pages, 4096 * 3);
	testfs_map(fs, 0, file_pages, 1000);
	for (unsigned int i = 0; i < file_pages; i++) {
		memset(buf, (int)(i * 7 + 1), sizeof(buf));
		ck_assert_int_eq(generic_perform_write(NULL, mapping,
						       (loff_t)i * PAGE_SIZE,
						       buf, PAGE_SIZE),
				 PAGE_SIZE);
	}
	ck_assert_int_eq(filemap_write_and_wait(mapping), 0);
	ck_assert_uint_gt(pc_stats.reclaimed, 0);
	for (unsigned int i = 0; i < file_pages; i++)
		ck_assert_uint_eq(sd->data[(1000 + i) * 4096ULL + 17],
				  (u8)(i * 7 + 1));
	drop_pagecache();
	file_ra_state_init(&ra, mapping);
	for (unsigned int i = 0; i < file_pages; i++) {
		ck_assert_int_eq(filemap_read(mapping, &ra, NULL,
					      (loff_t)i * PAGE_SIZE, buf,
					      PAGE_SIZE),
				 PAGE_SIZE);
		ck_assert_uint_eq((u8)buf[100], (u8)(i * 7 + 1));
	}
	for (unsigned int i = 0; i < nr_hog; i++)
		__free_pages(hog[i], 4);
	pc_destroy_fs(fs);
}
END_TEST

static Suite *writeback_suite(void)
{
	Suite *s = suite_create("writeback");
	TCase *tc = tcase_create("writeback");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, flusher_writes_only_expired);
	tcase_add_test(tc, writer_throttled_over_dirty_limit);
	tcase_add_test(tc, truncate_drops_and_zeroes);
	tcase_add_test(tc, drop_pagecache_keeps_dirty);
	tcase_add_test(tc, read_cache_page_error);
	tcase_add_test(tc, reclaim_file_twice_free_memory);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_SUITE(writeback_suite)
