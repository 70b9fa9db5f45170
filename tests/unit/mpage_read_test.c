/*
 * fs/mpage.c, read side: for each branch of do_mpage_readpage, the
 * exact bios the disk sees (direction, sector, size, order), the page
 * and buffer state afterwards, and which path was taken. 1 KiB blocks
 * on 4 KiB pages unless a test says otherwise: block b is sectors
 * 2b, 2b + 1.
 */
#include "fixtures/pc_helpers.h"

static struct sim_disk *sd;
static struct testfs *fs;

static void make_fs(unsigned int blkbits, loff_t size)
{
	fs = pc_make_fs(blkbits, size, false);
	sd = fs->sd;
}

/* Contiguous blocks over 4 pages: one 16 KiB bio, one get_block call. */
START_TEST(contiguous_pages_one_bio)
{
	make_fs(10, 16384);
	testfs_map(fs, 0, 16, 100);
	testfs_readpages(fs, 0, 4);
	expect_bios(sd, { READ, 200, 16384 });
	for (pgoff_t i = 0; i < 4; i++) {
		struct page *page = pc_page(fs, i);

		pc_expect_read_ok(fs, i, 100 + 4 * i);
		ck_assert(PageMappedToDisk(page));
		ck_assert(!page_has_buffers(page));
	}
	/* map_bh reuse: the first mapping covered all 16 blocks. */
	ck_assert_uint_eq(fs->get_block_calls, 1);
	ck_assert_uint_eq(mpage_stats.read_confused, 0);
	ck_assert_uint_eq(mpage_stats.read_bios, 1);
	pc_destroy_fs(fs);
}
END_TEST

/* Two runs: the bio is sent when the next page does not follow it. */
START_TEST(discontiguous_pages_two_bios)
{
	make_fs(10, 16384);
	testfs_map(fs, 0, 8, 100);
	testfs_map(fs, 8, 8, 300);
	testfs_readpages(fs, 0, 4);
	expect_bios(sd, { READ, 200, 8192 }, { READ, 600, 8192 });
	pc_expect_read_ok(fs, 2, 300);
	ck_assert_uint_eq(mpage_stats.read_confused, 0);
	pc_destroy_fs(fs);
}
END_TEST

/* A page whose blocks jump: confused, block_read_full_page per buffer. */
START_TEST(discontiguity_inside_page)
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
	ck_assert(PageUptodate(page));
	ck_assert(testfs_page_matches(fs, page, 0, 2048, 100));
	ck_assert(testfs_page_matches(fs, page, 2048, 4096, 200));
	pc_expect_read_ok(fs, 1, 102);
	ck_assert(!page_has_buffers(pc_page(fs, 1)));
	ck_assert_uint_eq(mpage_stats.read_confused, 1);
	pc_destroy_fs(fs);
}
END_TEST

/* A hole followed by data in one page: confused. */
START_TEST(hole_then_data)
{
	struct page *page;

	make_fs(10, 4096);
	testfs_map(fs, 1, 3, 101);
	testfs_readpages(fs, 0, 1);
	expect_bios(sd, { READ, 202, 1024 }, { READ, 204, 1024 },
		    { READ, 206, 1024 });
	page = pc_page(fs, 0);
	ck_assert(PageUptodate(page));
	ck_assert(page_has_buffers(page));
	ck_assert(!buffer_mapped(page_buffers(page)));
	ck_assert(testfs_page_zero(page, 0, 1024));
	ck_assert(testfs_page_matches(fs, page, 1024, 4096, 101));
	ck_assert_uint_eq(mpage_stats.read_confused, 1);
	pc_destroy_fs(fs);
}
END_TEST

/* Holes at the end are zeroed; a page all hole needs no I/O at all. */
START_TEST(holes_at_end_and_whole_hole)
{
	struct page *page;

	make_fs(10, 12288);
	testfs_map(fs, 0, 2, 100); /* page 0: data, data, hole, hole */
	testfs_map(fs, 8, 4, 108); /* page 1 all hole; page 2 data */
	testfs_readpages(fs, 0, 3);
	expect_bios(sd, { READ, 200, 2048 }, { READ, 216, 4096 });
	page = pc_page(fs, 0);
	ck_assert(PageUptodate(page));
	ck_assert(!page_has_buffers(page));
	ck_assert(!PageMappedToDisk(page));
	ck_assert(testfs_page_matches(fs, page, 0, 2048, 100));
	ck_assert(testfs_page_zero(page, 2048, 4096));
	page = pc_page(fs, 1);
	ck_assert(PageUptodate(page));
	ck_assert(!PageLocked(page));
	ck_assert(testfs_page_zero(page, 0, 4096));
	pc_expect_read_ok(fs, 2, 108);
	ck_assert_uint_eq(mpage_stats.read_holes, 1);
	ck_assert_uint_eq(mpage_stats.read_confused, 0);
	pc_destroy_fs(fs);
}
END_TEST

/* i_size ends inside page 1: its blocks past EOF are not even mapped. */
START_TEST(eof_page_small_blocks)
{
	struct page *page;

	make_fs(10, 4096 + 1500);
	testfs_map(fs, 0, 8, 100);
	testfs_readpages(fs, 0, 2);
	expect_bios(sd, { READ, 200, 6144 });
	page = pc_page(fs, 1);
	ck_assert(PageUptodate(page));
	ck_assert(testfs_page_matches(fs, page, 0, 2048, 104));
	ck_assert(testfs_page_zero(page, 2048, 4096));
	ck_assert_uint_eq(fs->get_block_calls, 1);
	ck_assert_uint_eq(mpage_stats.read_confused, 0);
	pc_destroy_fs(fs);
}
END_TEST

/* get_block read the block itself, block == page: page up to date, no I/O. */
START_TEST(uptodate_buffer_whole_page)
{
	struct page *page;

	make_fs(12, 8192);
	testfs_map(fs, 0, 2, 50);
	fs->map[0].flags = TFS_UPTODATE;
	testfs_readpages(fs, 0, 2);
	expect_bios(sd, { READ, 408, 4096 });
	page = pc_page(fs, 0);
	ck_assert(PageUptodate(page));
	ck_assert(!page_has_buffers(page));
	ck_assert(testfs_page_matches(fs, page, 0, 4096, 50));
	pc_expect_read_ok(fs, 1, 51);
	ck_assert_uint_eq(mpage_stats.map_buffer_to_page, 1);
	pc_destroy_fs(fs);
}
END_TEST

/* ... block < page: its state lands in the page's buffer; no re-read. */
START_TEST(uptodate_buffer_small_blocks)
{
	struct page *page;
	struct buffer_head *bh;

	make_fs(10, 4096);
	testfs_map(fs, 0, 4, 100);
	fs->map[2].flags = TFS_UPTODATE;
	testfs_readpages(fs, 0, 1);
	expect_bios(sd, { READ, 200, 1024 }, { READ, 202, 1024 },
		    { READ, 206, 1024 });
	page = pc_page(fs, 0);
	ck_assert(PageUptodate(page));
	ck_assert(page_has_buffers(page));
	bh = page_buffers(page)->b_this_page->b_this_page;
	ck_assert(buffer_mapped(bh) && buffer_uptodate(bh));
	ck_assert_uint_eq(bh->b_blocknr, 102);
	ck_assert(testfs_page_matches(fs, page, 0, 4096, 100));
	ck_assert_uint_eq(mpage_stats.map_buffer_to_page, 1);
	ck_assert_uint_eq(mpage_stats.read_confused, 1);
	pc_destroy_fs(fs);
}
END_TEST

/*
 * The seed's ext2 example: blocks 0-11 direct, the indirect block on
 * disk right after block 11, blocks 12.. after it. Disk blocks counted
 * from 100: data 100-111, indirect 112, data 113-116.
 */
static void map_ext2_like(bool boundary)
{
	make_fs(10, 17 * 1024);
	testfs_map_ext2_example(fs, 17, boundary);
}

START_TEST(indirect_order_without_boundary)
{
	map_ext2_like(false);
	testfs_readpages(fs, 0, 5);
	/* "12 0 1 2 ... 11 13 14 15 16" */
	expect_bios(sd, { READ, 224, 1024 }, { READ, 200, 12288 },
		    { READ, 226, 5120 });
	ck_assert_uint_eq(mpage_stats.read_boundary_submits, 0);
	pc_expect_read_ok(fs, 3, 113);
	pc_destroy_fs(fs);
}
END_TEST

START_TEST(indirect_order_with_boundary)
{
	map_ext2_like(true);
	testfs_readpages(fs, 0, 5);
	/* "0 1 2 ... 11 12 13 14 15 16" */
	expect_bios(sd, { READ, 200, 12288 }, { READ, 224, 1024 },
		    { READ, 226, 5120 });
	ck_assert_uint_eq(mpage_stats.read_boundary_submits, 1);
	pc_expect_read_ok(fs, 0, 100);
	pc_expect_read_ok(fs, 3, 113);
	pc_destroy_fs(fs);
}
END_TEST

/* The queue takes 8 KiB a bio: bio_add_page refuses, a new bio starts. */
START_TEST(bio_add_page_refuses)
{
	make_fs(10, 16384);
	blk_queue_max_hw_sectors(sd->disk.queue, 16);
	testfs_map(fs, 0, 16, 100);
	testfs_readpages(fs, 0, 4);
	expect_bios(sd, { READ, 200, 8192 }, { READ, 216, 8192 });
	for (pgoff_t i = 0; i < 4; i++)
		pc_expect_read_ok(fs, i, 100 + 4 * i);
	ck_assert_uint_ge(mpage_stats.add_page_refused, 1);
	pc_destroy_fs(fs);
}
END_TEST

/* A failed bio: its pages get PG_error, the read returns -EIO. */
START_TEST(read_error_eio)
{
	struct file_ra_state ra;
	static char buf[16384];
	struct page *page;
	ssize_t n;

	make_fs(10, 16384);
	testfs_map(fs, 0, 16, 100);
	sim_disk_add_bad(sd, 210, 211, READ); /* block 105: page 1 */
	file_ra_state_init(&ra, fs->inode->i_mapping);
	n = filemap_read(fs->inode->i_mapping, &ra, NULL, 4096, buf, 4096);
	ck_assert_int_eq(n, -EIO);
	page = pc_page(fs, 1);
	ck_assert(PageError(page));
	ck_assert(!PageUptodate(page));
	ck_assert(!PageLocked(page));
	ck_assert_uint_ge(sd->nr_failed, 1);
	pc_destroy_fs(fs);
}
END_TEST

/* get_block failing: confused; the buffer path marks the page in error. */
START_TEST(get_block_error)
{
	struct page *page;

	make_fs(10, 8192);
	testfs_map(fs, 0, 8, 100);
	fs->map[7].flags = TFS_ERROR; /* last block: not a hole at the end */
	testfs_readpages(fs, 0, 2);
	page = pc_page(fs, 1);
	ck_assert(PageError(page));
	ck_assert(!PageUptodate(page));
	ck_assert(!PageLocked(page));
	pc_expect_read_ok(fs, 0, 100);
	ck_assert_uint_eq(mpage_stats.read_confused, 1);
	pc_destroy_fs(fs);
}
END_TEST

/*
 * A page with holes at its end ends the bio even when the next page's
 * blocks would follow the last full page on disk.
 */
START_TEST(partial_page_ends_bio)
{
	make_fs(10, 12288);
	testfs_map(fs, 0, 5, 100); /* page 0: 100-103; page 1: 104, holes */
	testfs_map(fs, 8, 4, 104); /* page 2: 104-107 again */
	testfs_readpages(fs, 0, 3);
	expect_bios(sd, { READ, 200, 5120 }, { READ, 208, 4096 });
	pc_expect_read_ok(fs, 2, 104);
	ck_assert(testfs_page_zero(pc_page(fs, 1), 1024, 4096));
	pc_destroy_fs(fs);
}
END_TEST

/*
 * Hole then data where the data block would even pass the contiguity
 * check (disk block 1 after an unset 0): still confused.
 */
START_TEST(hole_then_contiguous_data)
{
	struct page *page;

	make_fs(10, 4096);
	testfs_map(fs, 1, 3, 1);
	testfs_readpages(fs, 0, 1);
	expect_bios(sd, { READ, 2, 1024 }, { READ, 4, 1024 },
		    { READ, 6, 1024 });
	page = pc_page(fs, 0);
	ck_assert(PageUptodate(page));
	ck_assert(testfs_page_zero(page, 0, 1024));
	ck_assert(testfs_page_matches(fs, page, 1024, 4096, 1));
	ck_assert_uint_eq(mpage_stats.read_confused, 1);
	pc_destroy_fs(fs);
}
END_TEST

/* A page that has buffers already always takes the buffer path. */
START_TEST(page_with_buffers_takes_buffer_path)
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
	ck_assert_uint_eq(mpage_stats.read_confused, 1);
	pc_destroy_fs(fs);
}
END_TEST

/*
 * A page goes down the buffer path while a bio is being built: that bio
 * is sent first, so the disk sees page 0, then page 1's buffers, then
 * page 2, and the bio never collects pages around the confused one.
 */
START_TEST(confused_page_sends_pending_bio_first)
{
	make_fs(10, 12288);
	testfs_map(fs, 0, 6, 100); /* page 0: 100-103; page 1: 104, 105 */
	testfs_map(fs, 6, 2, 300); /* ... then 300, 301 */
	testfs_map(fs, 8, 4, 108); /* page 2 */
	testfs_readpages(fs, 0, 3);
	expect_bios(sd, { READ, 200, 4096 }, { READ, 208, 1024 },
		    { READ, 210, 1024 }, { READ, 600, 1024 },
		    { READ, 602, 1024 }, { READ, 216, 4096 });
	pc_expect_read_ok(fs, 0, 100);
	pc_expect_read_ok(fs, 2, 108);
	ck_assert(testfs_page_matches(fs, pc_page(fs, 1), 2048, 4096, 300));
	ck_assert_uint_eq(mpage_stats.read_confused, 1);
	pc_destroy_fs(fs);
}
END_TEST

/*
 * No bio to be had for page 0 (every size mpage_alloc tries: 4, 2, 1
 * vecs): the page takes the buffer path, whose bios are allocated again,
 * and page 1 starts a bio of its own for the rest of the batch.
 */
START_TEST(bio_alloc_failure_takes_buffer_path)
{
	make_fs(10, 16384);
	testfs_map(fs, 0, 16, 100);
	host_fail_alloc(HOST_ALLOC_BIO, 0, 3);
	testfs_readpages(fs, 0, 4);
	ck_assert_uint_eq(host_failed_allocs(HOST_ALLOC_BIO), 3);
	expect_bios(sd, { READ, 200, 1024 }, { READ, 202, 1024 },
		    { READ, 204, 1024 }, { READ, 206, 1024 },
		    { READ, 208, 12288 });
	for (pgoff_t i = 0; i < 4; i++)
		pc_expect_read_ok(fs, i, 100 + 4 * i);
	ck_assert(page_has_buffers(pc_page(fs, 0)));
	ck_assert(!page_has_buffers(pc_page(fs, 1)));
	ck_assert_uint_eq(mpage_stats.read_confused, 1);
	ck_assert_uint_eq(mpage_stats.read_bios, 1);
	pc_destroy_fs(fs);
}
END_TEST

/*
 * blk_queue_max_segment_size takes no less than a page (Linux 2.6 does
 * the same), so bio_add_page can always put a whole page in an empty bio.
 */
START_TEST(max_segment_size_at_least_a_page)
{
	make_fs(10, 16384);
	blk_queue_max_segment_size(sd->disk.queue, 1024);
	ck_assert_uint_eq(sd->disk.queue->limits.max_segment_size, PAGE_SIZE);
	testfs_map(fs, 0, 16, 100);
	testfs_readpages(fs, 0, 4);
	expect_bios(sd, { READ, 200, 16384 });
	for (pgoff_t i = 0; i < 4; i++)
		pc_expect_read_ok(fs, i, 100 + 4 * i);
	pc_destroy_fs(fs);
}
END_TEST

/*
 * A queue whose limits refuse a whole page even to an empty bio (set
 * behind the setter's back): mpage never loops on it; each page takes
 * the buffer path, which reads its 1 KiB blocks one bio each.
 */
START_TEST(refused_empty_bio_takes_buffer_path)
{
	make_fs(10, 8192);
	sd->disk.queue->limits.max_segment_size = 1024;
	testfs_map(fs, 0, 8, 100);
	testfs_readpages(fs, 0, 2);
	expect_bios(sd, { READ, 200, 1024 }, { READ, 202, 1024 },
		    { READ, 204, 1024 }, { READ, 206, 1024 },
		    { READ, 208, 1024 }, { READ, 210, 1024 },
		    { READ, 212, 1024 }, { READ, 214, 1024 });
	pc_expect_read_ok(fs, 0, 100);
	pc_expect_read_ok(fs, 1, 104);
	ck_assert_uint_eq(mpage_stats.read_confused, 2);
	ck_assert_uint_eq(mpage_stats.read_bios, 0);
	pc_destroy_fs(fs);
}
END_TEST

/* ... and when not even one block fits, the page fails, no I/O at all. */
START_TEST(refused_block_fails_page)
{
	struct page *page;

	make_fs(12, 4096);
	sd->disk.queue->limits.max_segment_size = 2048;
	testfs_map(fs, 0, 1, 50);
	testfs_readpages(fs, 0, 1);
	ck_assert_uint_eq(sd->nr_log, 0);
	page = pc_page(fs, 0);
	ck_assert(PageError(page));
	ck_assert(!PageUptodate(page));
	ck_assert(!PageLocked(page));
	ck_assert_uint_eq(mpage_stats.read_confused, 1);
	pc_destroy_fs(fs);
}
END_TEST

static Suite *mpage_read_suite(void)
{
	Suite *s = suite_create("mpage_read");
	TCase *tc = tcase_create("branches");

	tcase_add_test(tc, contiguous_pages_one_bio);
	tcase_add_test(tc, discontiguous_pages_two_bios);
	tcase_add_test(tc, discontiguity_inside_page);
	tcase_add_test(tc, hole_then_data);
	tcase_add_test(tc, holes_at_end_and_whole_hole);
	tcase_add_test(tc, eof_page_small_blocks);
	tcase_add_test(tc, uptodate_buffer_whole_page);
	tcase_add_test(tc, uptodate_buffer_small_blocks);
	tcase_add_test(tc, indirect_order_without_boundary);
	tcase_add_test(tc, indirect_order_with_boundary);
	tcase_add_test(tc, bio_add_page_refuses);
	tcase_add_test(tc, read_error_eio);
	tcase_add_test(tc, get_block_error);
	tcase_add_test(tc, partial_page_ends_bio);
	tcase_add_test(tc, hole_then_contiguous_data);
	tcase_add_test(tc, page_with_buffers_takes_buffer_path);
	tcase_add_test(tc, confused_page_sends_pending_bio_first);
	tcase_add_test(tc, bio_alloc_failure_takes_buffer_path);
	tcase_add_test(tc, max_segment_size_at_least_a_page);
	tcase_add_test(tc, refused_empty_bio_takes_buffer_path);
	tcase_add_test(tc, refused_block_fails_page);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_SUITE(mpage_read_suite)
