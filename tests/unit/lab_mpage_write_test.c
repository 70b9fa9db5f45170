/*
 * The mpage-write lab's graded tests (docs/labs/mpage-write.md):
 * __mpage_writepage under write_cache_pages, judged by the write bios
 * the disk sees (in order), the bytes on disk, and the page and buffer
 * states afterwards. 1 KiB blocks: block b is sectors 2b, 2b + 1; page
 * p holds file blocks 4p to 4p + 3.
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

static void expect_clean(pgoff_t index)
{
	struct page *page = pc_page(fs, index);

	ck_assert_msg(!PageDirty(page), "page %lu still dirty", index);
	ck_assert_msg(!PageWriteback(page), "page %lu under writeback", index);
	ck_assert_msg(!PageLocked(page), "page %lu locked", index);
	if (page_has_buffers(page)) {
		struct buffer_head *head = page_buffers(page), *bh = head;

		do {
			ck_assert_msg(!buffer_dirty(bh),
				      "page %lu: a buffer still dirty", index);
			bh = bh->b_this_page;
		} while (bh != head);
	}
}

/* write(): buffers mapped and dirty: both pages in one bio. */
START_TEST(mapped_buffers_one_bio)
{
	make_fs(0);
	testfs_map(fs, 0, 8, 100);
	pc_write(fs, 0, 8192, 0x5a);
	sim_disk_clear_log(sd);
	ck_assert_int_eq(filemap_write_and_wait(mapping), 0);
	expect_bios(sd, { WRITE, 200, 8192 });
	ck_assert(pc_disk_is(fs, 100, 0, 8192, 0x5a));
	expect_clean(0);
	expect_clean(1);
	ck_assert_uint_eq(pc_stats.nr_dirty, 0);
	ck_assert_uint_eq(pc_stats.nr_writeback, 0);
	pc_destroy_fs(fs);
}
END_TEST

/* Pages without buffers: get_block(create) maps them, one bio. */
START_TEST(pages_without_buffers_one_bio)
{
	make_fs(16384);
	testfs_map(fs, 0, 16, 100);
	pc_dirty_without_buffers(fs, 0, 4, 0x33);
	ck_assert_int_eq(filemap_write_and_wait(mapping), 0);
	expect_bios(sd, { WRITE, 200, 16384 });
	ck_assert(pc_disk_is(fs, 100, 0, 16384, 0x33));
	for (pgoff_t i = 0; i < 4; i++)
		expect_clean(i);
	pc_destroy_fs(fs);
}
END_TEST

/* Two runs on disk: a bio each. */
START_TEST(two_runs_two_bios)
{
	make_fs(16384);
	testfs_map(fs, 0, 8, 100);
	testfs_map(fs, 8, 8, 300);
	pc_dirty_without_buffers(fs, 0, 4, 0x66);
	ck_assert_int_eq(filemap_write_and_wait(mapping), 0);
	expect_bios(sd, { WRITE, 200, 8192 }, { WRITE, 600, 8192 });
	ck_assert(pc_disk_is(fs, 100, 0, 8192, 0x66));
	ck_assert(pc_disk_is(fs, 300, 0, 8192, 0x66));
	pc_destroy_fs(fs);
}
END_TEST

/* Blocks that jump inside page 1: that page goes to a_ops->writepage. */
START_TEST(discontiguous_page_uses_writepage)
{
	make_fs(8192);
	testfs_map(fs, 0, 6, 100);
	testfs_map(fs, 6, 2, 300);
	pc_dirty_without_buffers(fs, 0, 1, 0x11);
	pc_dirty_without_buffers(fs, 1, 1, 0x22);
	ck_assert_int_eq(filemap_write_and_wait(mapping), 0);
	expect_bios(sd, { WRITE, 200, 4096 }, { WRITE, 208, 1024 },
		    { WRITE, 210, 1024 }, { WRITE, 600, 1024 },
		    { WRITE, 602, 1024 });
	ck_assert(pc_disk_is(fs, 100, 0, 4096, 0x11));
	ck_assert(pc_disk_is(fs, 104, 0, 2048, 0x22));
	ck_assert(pc_disk_is(fs, 300, 0, 2048, 0x22));
	expect_clean(1);
	pc_destroy_fs(fs);
}
END_TEST

/* Page 1 has a dirty buffer over a hole: writepage allocates it. */
START_TEST(dirty_unmapped_buffer_uses_writepage)
{
	struct page *page;
	sector_t newblock;

	make_fs(8192);
	testfs_map(fs, 0, 6, 100);
	testfs_map(fs, 7, 1, 107); /* block 6: a hole */
	testfs_readpages(fs, 1, 1); /* hole then data: buffers */
	page = pc_page(fs, 1);
	ck_assert(page_has_buffers(page));
	pc_dirty_without_buffers(fs, 0, 1, 0x76);
	memset(page_address(page), 0x77, PAGE_SIZE);
	set_page_dirty(page);
	newblock = fs->next_alloc;
	ck_assert_int_eq(filemap_write_and_wait(mapping), 0);
	expect_bios(sd, { WRITE, 200, 4096 }, { WRITE, 208, 1024 },
		    { WRITE, 210, 1024 }, { WRITE, newblock * 2, 1024 },
		    { WRITE, 214, 1024 });
	ck_assert_uint_eq(fs->map[6].phys, newblock);
	ck_assert(pc_disk_is(fs, newblock, 0, 1024, 0x77));
	ck_assert(pc_disk_is(fs, 100, 0, 4096, 0x76));
	pc_destroy_fs(fs);
}
END_TEST

/* The page across i_size: its tail is zeroed, only blocks to EOF go. */
START_TEST(page_across_eof_is_zeroed)
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
	pc_destroy_fs(fs);
}
END_TEST

/* A dirty page wholly past EOF gets no blocks and no I/O. */
START_TEST(page_past_eof_allocates_nothing)
{
	sector_t next;

	make_fs(4096);
	testfs_map(fs, 0, 4, 100);
	pc_dirty_without_buffers(fs, 0, 2, 0x19);
	next = fs->next_alloc;
	ck_assert_int_eq(filemap_write_and_wait(mapping), 0);
	expect_bios(sd, { WRITE, 200, 4096 });
	ck_assert_uint_eq(fs->next_alloc, next);
	ck_assert_uint_eq(fs->map[4].phys, TFS_HOLE);
	ck_assert(!PageDirty(pc_page(fs, 1)));
	pc_destroy_fs(fs);
}
END_TEST

/*
 * The seed's ext2 example: blocks 0-11, the indirect block (dirty in
 * the device's cache) at disk block 112, blocks 12-15 after it.
 */
static void boundary_setup(bool boundary)
{
	make_fs(16384);
	testfs_map_ext2_example(fs, 16, boundary);
	pc_dirty_metadata(fs, 112, 0xee);
	pc_dirty_without_buffers(fs, 0, 4, 0x44);
}

/* BH_Boundary: the bio ends there, and the indirect block goes next. */
START_TEST(boundary_writes_indirect_block_next)
{
	boundary_setup(true);
	ck_assert_int_eq(filemap_fdatawrite(mapping), 0);
	ck_assert_int_eq(filemap_fdatawait(mapping), 0);
	expect_bios(sd, { WRITE, 200, 12288 }, { WRITE, 224, 1024 },
		    { WRITE, 226, 4096 });
	ck_assert(pc_disk_is(fs, 112, 0, 1024, 0xee));
	ck_assert(pc_disk_is(fs, 113, 0, 4096, 0x44));
	pc_destroy_fs(fs);
}
END_TEST

/* Without the hint: no early bio, the indirect block stays dirty. */
START_TEST(no_boundary_no_early_bio)
{
	boundary_setup(false);
	ck_assert_int_eq(filemap_fdatawrite(mapping), 0);
	ck_assert_int_eq(filemap_fdatawait(mapping), 0);
	expect_bios(sd, { WRITE, 200, 12288 }, { WRITE, 226, 4096 });
	pc_destroy_fs(fs);
}
END_TEST

/* The queue takes 8 KiB a bio: a full bio is sent, another started. */
START_TEST(full_bio_is_sent_and_another_started)
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

/* A failed write bio: PG_error, and the next fsync-style wait sees it. */
START_TEST(write_error_reaches_the_waiter)
{
	make_fs(8192);
	testfs_map(fs, 0, 8, 100);
	pc_write(fs, 0, 8192, 0x42);
	sim_disk_clear_log(sd);
	sim_disk_add_bad(sd, 204, 206, WRITE);
	ck_assert_int_eq(filemap_write_and_wait(mapping), -EIO);
	expect_bios(sd, { WRITE, 200, 8192 });
	ck_assert(PageError(pc_page(fs, 0)));
	ck_assert(!PageWriteback(pc_page(fs, 1)));
	pc_destroy_fs(fs);
}
END_TEST

/*
 * A page whose buffers end unmapped (holes) ends the bio: page 1 sits
 * at disk blocks 1-4, right after the 0 of page 0's unmapped slots,
 * and still gets a bio of its own.
 */
START_TEST(partial_page_ends_the_bio)
{
	make_fs(8192);
	testfs_map(fs, 0, 2, 100); /* page 0: 100, 101, hole, hole */
	testfs_map(fs, 4, 4, 1);
	fs->map[1].flags = TFS_UPTODATE; /* the buffer path, for buffers */
	testfs_readpages(fs, 0, 1);
	fs->map[1].flags = 0;
	ck_assert(page_has_buffers(pc_page(fs, 0)));
	pc_write(fs, 0, 2048, 0x16);
	pc_write(fs, 4096, 4096, 0x17);
	sim_disk_clear_log(sd);
	ck_assert_int_eq(filemap_write_and_wait(mapping), 0);
	expect_bios(sd, { WRITE, 200, 2048 }, { WRITE, 2, 4096 });
	ck_assert(pc_disk_is(fs, 100, 0, 2048, 0x16));
	ck_assert(pc_disk_is(fs, 1, 0, 4096, 0x17));
	ck_assert_uint_eq(sd->data[102 * 1024], sim_disk_pattern(102 * 1024));
	pc_destroy_fs(fs);
}
END_TEST

/* A clean mapped buffer among dirty ones: writepage, the dirty one only. */
START_TEST(partly_dirty_buffers_use_writepage)
{
	make_fs(4096);
	testfs_map(fs, 0, 4, 100);
	fs->map[2].flags = TFS_UPTODATE; /* the buffer path, for buffers */
	testfs_readpages(fs, 0, 1);
	fs->map[2].flags = 0;
	ck_assert(page_has_buffers(pc_page(fs, 0)));
	pc_write(fs, 1024, 1024, 0x12);
	sim_disk_clear_log(sd);
	ck_assert_int_eq(filemap_write_and_wait(mapping), 0);
	expect_bios(sd, { WRITE, 202, 1024 });
	ck_assert(pc_disk_is(fs, 101, 0, 1024, 0x12));
	expect_clean(0);
	pc_destroy_fs(fs);
}
END_TEST

/* While the bio is in flight: PG_writeback, not dirty, unlocked. */
START_TEST(page_states_while_in_flight)
{
	struct page *page;

	make_fs(4096);
	testfs_map(fs, 0, 4, 100);
	pc_write(fs, 0, 4096, 0x01);
	sim_disk_clear_log(sd);
	sd->hold = true;
	ck_assert_int_eq(filemap_fdatawrite(mapping), 0);
	expect_bios(sd, { WRITE, 200, 4096 });
	page = pc_page(fs, 0);
	ck_assert(PageWriteback(page));
	ck_assert(!PageDirty(page));
	ck_assert(!PageLocked(page));
	ck_assert(!buffer_dirty(page_buffers(page)));
	ck_assert_uint_eq(pc_stats.nr_writeback, 1);
	sd->hold = false;
	ck_assert_int_eq(filemap_fdatawait(mapping), 0);
	expect_clean(0);
	ck_assert_uint_eq(pc_stats.nr_writeback, 0);
	ck_assert(pc_disk_is(fs, 100, 0, 4096, 0x01));
	pc_destroy_fs(fs);
}
END_TEST

/* A block newly allocated for data drops a stale metadata buffer. */
START_TEST(new_block_drops_stale_metadata)
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

/* mpage_writepage, one page: one bio; a confusing page: -EAGAIN. */
START_TEST(single_page_mpage_writepage)
{
	struct writeback_control wbc = { .sync_mode = WB_SYNC_ALL,
					 .nr_to_write = 1,
					 .range_end = WB_RANGE_ALL };
	struct page *page;

	make_fs(8192);
	testfs_map(fs, 0, 6, 100);
	testfs_map(fs, 6, 2, 300);
	pc_dirty_without_buffers(fs, 0, 2, 0x44);
	page = pc_page(fs, 0);
	lock_page(page);
	ck_assert(clear_page_dirty_for_io(page));
	ck_assert_int_eq(mpage_writepage(page, tfs_get_block, &wbc), 0);
	wait_on_page_writeback(page);
	expect_bios(sd, { WRITE, 200, 4096 });
	ck_assert(pc_disk_is(fs, 100, 0, 4096, 0x44));
	page = pc_page(fs, 1);
	lock_page(page);
	ck_assert(clear_page_dirty_for_io(page));
	ck_assert_int_eq(mpage_writepage(page, tfs_get_block, &wbc), -EAGAIN);
	ck_assert(PageLocked(page));
	ck_assert(!PageWriteback(page));
	ck_assert_uint_eq(sd->nr_log, 1);
	set_page_dirty(page);
	unlock_page(page);
	pc_destroy_fs(fs);
}
END_TEST

/* No bio to be had: page 0 goes to writepage, page 1 gets a bio again. */
START_TEST(no_bio_falls_back_to_writepage)
{
	make_fs(8192);
	testfs_map(fs, 0, 8, 100);
	pc_write(fs, 0, 8192, 0x18);
	sim_disk_clear_log(sd);
	host_fail_alloc(HOST_ALLOC_BIO, 0, 8);
	ck_assert_int_eq(filemap_write_and_wait(mapping), 0);
	expect_bios(sd, { WRITE, 200, 1024 }, { WRITE, 202, 1024 },
		    { WRITE, 204, 1024 }, { WRITE, 206, 1024 },
		    { WRITE, 208, 4096 });
	ck_assert(pc_disk_is(fs, 100, 0, 8192, 0x18));
	expect_clean(0);
	pc_destroy_fs(fs);
}
END_TEST

static Suite *lab_mpage_write_suite(void)
{
	Suite *s = suite_create("lab_mpage_write");
	TCase *tc = tcase_create("graded");

	tcase_set_timeout(tc, 10);
	tcase_add_test(tc, mapped_buffers_one_bio);
	tcase_add_test(tc, pages_without_buffers_one_bio);
	tcase_add_test(tc, two_runs_two_bios);
	tcase_add_test(tc, discontiguous_page_uses_writepage);
	tcase_add_test(tc, dirty_unmapped_buffer_uses_writepage);
	tcase_add_test(tc, page_across_eof_is_zeroed);
	tcase_add_test(tc, page_past_eof_allocates_nothing);
	tcase_add_test(tc, boundary_writes_indirect_block_next);
	tcase_add_test(tc, no_boundary_no_early_bio);
	tcase_add_test(tc, full_bio_is_sent_and_another_started);
	tcase_add_test(tc, write_error_reaches_the_waiter);
	tcase_add_test(tc, partial_page_ends_the_bio);
	tcase_add_test(tc, partly_dirty_buffers_use_writepage);
	tcase_add_test(tc, page_states_while_in_flight);
	tcase_add_test(tc, new_block_drops_stale_metadata);
	tcase_add_test(tc, single_page_mpage_writepage);
	tcase_add_test(tc, no_bio_falls_back_to_writepage);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_SUITE(lab_mpage_write_suite)
