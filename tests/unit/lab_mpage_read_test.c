/*
 * The mpage-read lab's graded tests (docs/labs/mpage-read.md):
 * do_mpage_readpage and mpage_readpages, judged by what the disk sees
 * (every bio: direction, sector, size, in order) and by the pages and
 * bytes they leave. 1 KiB blocks on 4 KiB pages unless a test says
 * otherwise: block b is sectors 2b, 2b + 1; page p holds file blocks
 * 4p to 4p + 3.
 */
#include "fixtures/pc_helpers.h"

static struct sim_disk *sd;
static struct testfs *fs;

static void make_fs(unsigned int blkbits, loff_t size)
{
	fs = pc_make_fs(blkbits, size, false);
	sd = fs->sd;
}

/* Contiguous blocks over 4 pages: one bio, the pages without buffers. */
START_TEST(contiguous_pages_one_bio)
{
	make_fs(10, 16384);
	testfs_map(fs, 0, 16, 100);
	testfs_readpages(fs, 0, 4);
	expect_bios(sd, { READ, 200, 16384 });
	for (pgoff_t i = 0; i < 4; i++) {
		pc_expect_read_ok(fs, i, 100 + 4 * i);
		ck_assert(!page_has_buffers(pc_page(fs, i)));
	}
	pc_destroy_fs(fs);
}
END_TEST

/* get_block maps a whole run at once; its answer serves every page. */
START_TEST(one_get_block_call_per_run)
{
	make_fs(10, 16384);
	testfs_map(fs, 0, 8, 100);
	testfs_map(fs, 8, 8, 300);
	testfs_readpages(fs, 0, 4);
	ck_assert_uint_eq(fs->get_block_calls, 2);
	pc_destroy_fs(fs);
}
END_TEST

/* A page that does not follow the bio on disk starts a new bio. */
START_TEST(discontiguous_pages_two_bios)
{
	make_fs(10, 16384);
	testfs_map(fs, 0, 8, 100);
	testfs_map(fs, 8, 8, 300);
	testfs_readpages(fs, 0, 4);
	expect_bios(sd, { READ, 200, 8192 }, { READ, 600, 8192 });
	pc_expect_read_ok(fs, 1, 104);
	pc_expect_read_ok(fs, 2, 300);
	pc_destroy_fs(fs);
}
END_TEST

/* Blocks that jump inside a page: that page goes through buffer heads. */
START_TEST(discontiguity_inside_page_uses_buffers)
{
	struct page *page;

	make_fs(10, 8192);
	testfs_map(fs, 0, 2, 100);
	testfs_map(fs, 2, 2, 200);
	testfs_map(fs, 4, 4, 102);
	testfs_readpages(fs, 0, 2);
	expect_bios(sd, { READ, 200, 1024 }, { READ, 202, 1024 },
		    { READ, 400, 1024 }, { READ, 402, 1024 },
		    { READ, 204, 4096 });
	page = pc_page(fs, 0);
	ck_assert(page_has_buffers(page));
	ck_assert(PageUptodate(page) && !PageLocked(page));
	ck_assert(testfs_page_matches(fs, page, 0, 2048, 100));
	ck_assert(testfs_page_matches(fs, page, 2048, 4096, 200));
	pc_expect_read_ok(fs, 1, 102);
	ck_assert(!page_has_buffers(pc_page(fs, 1)));
	pc_destroy_fs(fs);
}
END_TEST

/*
 * A hole followed by data in one page: buffer heads again. (The data
 * at disk block 1 would even pass for contiguous with an unset 0.)
 */
START_TEST(hole_then_data_uses_buffers)
{
	struct page *page;

	make_fs(10, 4096);
	testfs_map(fs, 1, 3, 1);
	testfs_readpages(fs, 0, 1);
	expect_bios(sd, { READ, 2, 1024 }, { READ, 4, 1024 },
		    { READ, 6, 1024 });
	page = pc_page(fs, 0);
	ck_assert(PageUptodate(page) && !PageLocked(page));
	ck_assert(page_has_buffers(page));
	ck_assert(testfs_page_zero(page, 0, 1024));
	ck_assert(testfs_page_matches(fs, page, 1024, 4096, 1));
	pc_destroy_fs(fs);
}
END_TEST

/* Holes at the end of a page read as zeroes; the bio carries the rest. */
START_TEST(holes_at_page_end_are_zeroed)
{
	struct page *page;

	make_fs(10, 8192);
	testfs_map(fs, 0, 2, 100); /* page 0: data, data, hole, hole */
	testfs_readpages(fs, 0, 1);
	expect_bios(sd, { READ, 200, 2048 });
	page = pc_page(fs, 0);
	ck_assert(PageUptodate(page) && !PageLocked(page));
	ck_assert(!page_has_buffers(page));
	ck_assert(testfs_page_matches(fs, page, 0, 2048, 100));
	ck_assert(testfs_page_zero(page, 2048, 4096));
	pc_destroy_fs(fs);
}
END_TEST

/* A page that is all hole needs no I/O at all. */
START_TEST(whole_hole_page_no_io)
{
	struct page *page;

	make_fs(10, 12288);
	testfs_map(fs, 0, 4, 100);
	testfs_map(fs, 8, 4, 108); /* page 1 is a hole */
	testfs_readpages(fs, 0, 3);
	expect_bios(sd, { READ, 200, 4096 }, { READ, 216, 4096 });
	page = pc_page(fs, 1);
	ck_assert(PageUptodate(page) && !PageLocked(page));
	ck_assert(testfs_page_zero(page, 0, 4096));
	pc_expect_read_ok(fs, 2, 108);
	pc_destroy_fs(fs);
}
END_TEST

/* i_size ends inside page 1: blocks past it are zeroes, not read. */
START_TEST(end_of_file_page)
{
	struct page *page;

	make_fs(10, 4096 + 1500);
	testfs_map(fs, 0, 8, 100);
	testfs_readpages(fs, 0, 2);
	expect_bios(sd, { READ, 200, 6144 });
	page = pc_page(fs, 1);
	ck_assert(PageUptodate(page) && !PageLocked(page));
	ck_assert(testfs_page_matches(fs, page, 0, 2048, 104));
	ck_assert(testfs_page_zero(page, 2048, 4096));
	pc_destroy_fs(fs);
}
END_TEST

/*
 * The seed's ext2 example: blocks 0-11 direct, the indirect block on
 * disk right after block 11, blocks 12.. after it. Disk blocks from
 * 100: data 100-111, indirect 112, data 113-116.
 */
static void map_ext2_like(bool boundary)
{
	make_fs(10, 17 * 1024);
	testfs_map_ext2_example(fs, 17, boundary);
}

/* BH_Boundary: the bio is sent before the indirect block is read. */
START_TEST(boundary_sends_bio_first)
{
	map_ext2_like(true);
	testfs_readpages(fs, 0, 5);
	/* "0 1 2 ... 11 12 13 14 15 16" */
	expect_bios(sd, { READ, 200, 12288 }, { READ, 224, 1024 },
		    { READ, 226, 5120 });
	pc_expect_read_ok(fs, 0, 100);
	pc_expect_read_ok(fs, 3, 113);
	pc_destroy_fs(fs);
}
END_TEST

/* Without the hint the bio waits: the disk sees "12 0 1 ... 11 13". */
START_TEST(no_boundary_bio_waits)
{
	map_ext2_like(false);
	testfs_readpages(fs, 0, 5);
	expect_bios(sd, { READ, 224, 1024 }, { READ, 200, 12288 },
		    { READ, 226, 5120 });
	pc_expect_read_ok(fs, 3, 113);
	pc_destroy_fs(fs);
}
END_TEST

/* The queue takes 8 KiB a bio: a full bio is sent, a new one started. */
START_TEST(full_bio_is_sent_and_another_started)
{
	make_fs(10, 16384);
	blk_queue_max_hw_sectors(sd->disk.queue, 16);
	testfs_map(fs, 0, 16, 100);
	testfs_readpages(fs, 0, 4);
	expect_bios(sd, { READ, 200, 8192 }, { READ, 216, 8192 });
	for (pgoff_t i = 0; i < 4; i++)
		pc_expect_read_ok(fs, i, 100 + 4 * i);
	pc_destroy_fs(fs);
}
END_TEST

/* A failed bio: its pages end with PG_error, a reader gets -EIO. */
START_TEST(read_error_reaches_the_reader)
{
	struct file_ra_state ra;
	static char buf[4096];
	struct page *page;

	make_fs(10, 16384);
	testfs_map(fs, 0, 8, 100);
	testfs_map(fs, 8, 8, 300);
	sim_disk_add_bad(sd, 210, 211, READ); /* block 105: page 1 */
	testfs_readpages(fs, 0, 4);
	page = pc_page(fs, 1);
	ck_assert(PageError(page));
	ck_assert(!PageUptodate(page));
	ck_assert(!PageLocked(page));
	pc_expect_read_ok(fs, 2, 300); /* in another bio: unharmed */
	file_ra_state_init(&ra, fs->inode->i_mapping);
	ck_assert_int_eq(filemap_read(fs->inode->i_mapping, &ra, NULL, 4096,
				      buf, 4096),
			 -EIO);
	pc_destroy_fs(fs);
}
END_TEST

/* get_block failing: that page ends in error, unlocked; others read. */
START_TEST(get_block_error_fails_that_page)
{
	struct page *page;

	make_fs(10, 8192);
	testfs_map(fs, 0, 8, 100);
	fs->map[7].flags = TFS_ERROR;
	testfs_readpages(fs, 0, 2);
	page = pc_page(fs, 1);
	ck_assert(PageError(page));
	ck_assert(!PageUptodate(page));
	ck_assert(!PageLocked(page));
	pc_expect_read_ok(fs, 0, 100);
	pc_destroy_fs(fs);
}
END_TEST

/* get_block read the block itself, block == page: no I/O for it. */
START_TEST(block_read_by_get_block_whole_page)
{
	make_fs(12, 8192);
	testfs_map(fs, 0, 2, 50);
	fs->map[0].flags = TFS_UPTODATE;
	testfs_readpages(fs, 0, 2);
	expect_bios(sd, { READ, 408, 4096 });
	pc_expect_read_ok(fs, 0, 50);
	pc_expect_read_ok(fs, 1, 51);
	pc_destroy_fs(fs);
}
END_TEST

/* ... block smaller than the page: that block is not read again. */
START_TEST(block_read_by_get_block_small_blocks)
{
	make_fs(10, 4096);
	testfs_map(fs, 0, 4, 100);
	fs->map[2].flags = TFS_UPTODATE;
	testfs_readpages(fs, 0, 1);
	expect_bios(sd, { READ, 200, 1024 }, { READ, 202, 1024 },
		    { READ, 206, 1024 });
	pc_expect_read_ok(fs, 0, 100);
	pc_destroy_fs(fs);
}
END_TEST

/* A page that has buffers already always takes the buffer path. */
START_TEST(page_with_buffers_uses_buffers)
{
	struct address_space *mapping;
	struct page *page;

	make_fs(10, 4096);
	testfs_map(fs, 0, 4, 100);
	mapping = fs->inode->i_mapping;
	page = page_cache_alloc(mapping);
	ck_assert_int_eq(add_to_page_cache_lru(page, mapping, 0, 0), 0);
	create_empty_buffers(page, 1024, 0);
	mpage_readpage(page, tfs_get_block);
	put_page(page);
	host_run_pending();
	expect_bios(sd, { READ, 200, 1024 }, { READ, 202, 1024 },
		    { READ, 204, 1024 }, { READ, 206, 1024 });
	pc_expect_read_ok(fs, 0, 100);
	pc_destroy_fs(fs);
}
END_TEST

/*
 * A page with holes at its end ends the bio, whatever follows on disk:
 * page 2 starts right after page 1's last block, page 4 at disk block 1.
 */
START_TEST(partial_page_ends_the_bio)
{
	make_fs(10, 20480);
	testfs_map(fs, 0, 5, 100); /* page 0: 100-103; page 1: 104, holes */
	testfs_map(fs, 8, 5, 105); /* page 2: 105-108; page 3: 109, holes */
	testfs_map(fs, 16, 4, 1); /* page 4: 1-4 */
	testfs_readpages(fs, 0, 5);
	expect_bios(sd, { READ, 200, 5120 }, { READ, 210, 5120 },
		    { READ, 2, 4096 });
	pc_expect_read_ok(fs, 2, 105);
	pc_expect_read_ok(fs, 4, 1);
	ck_assert(testfs_page_zero(pc_page(fs, 1), 1024, 4096));
	ck_assert(testfs_page_zero(pc_page(fs, 3), 1024, 4096));
	pc_destroy_fs(fs);
}
END_TEST

/* A page of the batch already cached is left alone; the rest is read. */
START_TEST(cached_page_is_skipped)
{
	struct address_space *mapping;
	struct page *page;

	make_fs(10, 16384);
	testfs_map(fs, 0, 16, 100);
	mapping = fs->inode->i_mapping;
	page = page_cache_alloc(mapping);
	memset(page_address(page), 0x5a, PAGE_SIZE);
	ck_assert_int_eq(add_to_page_cache_lru(page, mapping, 1, 0), 0);
	SetPageUptodate(page);
	unlock_page(page);
	put_page(page);
	testfs_readpages(fs, 0, 4);
	expect_bios(sd, { READ, 200, 4096 }, { READ, 216, 8192 });
	ck_assert_ptr_eq(pc_page(fs, 1), page);
	ck_assert_uint_eq(((u8 *)page_address(page))[7], 0x5a);
	pc_expect_read_ok(fs, 0, 100);
	pc_expect_read_ok(fs, 3, 112);
	pc_destroy_fs(fs);
}
END_TEST

/* mpage_readpage: one page, one bio (4 KiB blocks). */
START_TEST(single_page_read)
{
	struct address_space *mapping;
	struct page *page;

	make_fs(12, 8192);
	testfs_map(fs, 0, 2, 70);
	mapping = fs->inode->i_mapping;
	page = page_cache_alloc(mapping);
	ck_assert_int_eq(add_to_page_cache_lru(page, mapping, 1, 0), 0);
	ck_assert_int_eq(mpage_readpage(page, tfs_get_block), 0);
	put_page(page);
	host_run_pending();
	expect_bios(sd, { READ, 568, 4096 });
	pc_expect_read_ok(fs, 1, 71);
	pc_destroy_fs(fs);
}
END_TEST

static Suite *lab_mpage_read_suite(void)
{
	Suite *s = suite_create("lab_mpage_read");
	TCase *tc = tcase_create("graded");

	tcase_set_timeout(tc, 10);
	tcase_add_test(tc, contiguous_pages_one_bio);
	tcase_add_test(tc, one_get_block_call_per_run);
	tcase_add_test(tc, discontiguous_pages_two_bios);
	tcase_add_test(tc, discontiguity_inside_page_uses_buffers);
	tcase_add_test(tc, hole_then_data_uses_buffers);
	tcase_add_test(tc, holes_at_page_end_are_zeroed);
	tcase_add_test(tc, whole_hole_page_no_io);
	tcase_add_test(tc, end_of_file_page);
	tcase_add_test(tc, boundary_sends_bio_first);
	tcase_add_test(tc, no_boundary_bio_waits);
	tcase_add_test(tc, full_bio_is_sent_and_another_started);
	tcase_add_test(tc, read_error_reaches_the_reader);
	tcase_add_test(tc, get_block_error_fails_that_page);
	tcase_add_test(tc, block_read_by_get_block_whole_page);
	tcase_add_test(tc, block_read_by_get_block_small_blocks);
	tcase_add_test(tc, page_with_buffers_uses_buffers);
	tcase_add_test(tc, partial_page_ends_the_bio);
	tcase_add_test(tc, cached_page_is_skipped);
	tcase_add_test(tc, single_page_read);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_SUITE(lab_mpage_read_suite)
