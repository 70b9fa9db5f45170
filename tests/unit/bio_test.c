/*
 * bio_add_page() against each queue limit (one test per limit, each
 * showing the page that fits and the one that does not), plus
 * allocation, references and the out-of-range checks of submit_bio().
 */
#define _ISOC11_SOURCE 1
#include <stdlib.h>

#include "blkdev.h"
#include "errno.h"
#include "mm.h"
#include "fixtures/platform.h"
#include "fixtures/sim_rq_disk.h"
#include "unit.h"

static struct sim_rq_disk *sd;
static struct page *pages; /* 16 physically contiguous pages */

static struct queue_limits roomy(void)
{
	struct queue_limits lim;

	blk_set_default_limits(&lim);
	lim.max_sectors = 2048;
	lim.max_segments = 64;
	lim.max_segment_size = 1 << 20;
	return lim;
}

static void setup_with(struct queue_limits lim)
{
	host_mm_init(64 << 20);
	sd = sim_rq_disk_create("vd", 8192, 8, &lim, NULL);
	/* order 4: 64 KiB aligned to 64 KiB, so boundaries are predictable */
	pages = alloc_pages(GFP_KERNEL, 4);
	ck_assert_ptr_nonnull(pages);
}

static void teardown(void)
{
	__free_pages(pages, 4);
	sim_rq_disk_destroy(sd);
}

static struct bio *new_bio(unsigned int nr)
{
	struct bio *bio = bio_alloc(GFP_KERNEL, nr);

	ck_assert_ptr_nonnull(bio);
	bio->bi_bdev = sd->disk->part0;
	return bio;
}

START_TEST(alloc_and_refs)
{
	struct bio *bio;

	setup_with(roomy());
	ck_assert_ptr_null(bio_alloc(GFP_KERNEL, BIO_MAX_PAGES + 1));
	bio = new_bio(BIO_MAX_PAGES);
	ck_assert_int_eq(bio->bi_cnt, 1);
	ck_assert_int_eq(bio->bi_max_vecs, BIO_MAX_PAGES);
	ck_assert_int_eq(bio->bi_vcnt, 0);
	ck_assert_uint_eq(bio->bi_size, 0);
	bio_put(bio);
	teardown();
}
END_TEST

START_TEST(refuses_past_max_sectors)
{
	struct queue_limits lim = roomy();
	struct bio *bio;

	lim.max_sectors = 16; /* 8 KiB */
	setup_with(lim);
	bio = new_bio(8);
	ck_assert_int_eq(bio_add_page(bio, pages + 0, 4096, 0), 4096);
	ck_assert_int_eq(bio_add_page(bio, pages + 2, 3584, 0), 3584);
	ck_assert_int_eq(bio_add_page(bio, pages + 4, 1024, 0), 0);
	ck_assert_int_eq(bio_add_page(bio, pages + 4, 512, 0), 512);
	ck_assert_int_eq(bio_add_page(bio, pages + 6, 512, 0), 0);
	ck_assert_uint_eq(bio->bi_size, 8192);
	ck_assert_int_eq(bio->bi_vcnt, 3);
	bio_put(bio);
	teardown();
}
END_TEST

START_TEST(refuses_past_max_segments)
{
	struct queue_limits lim = roomy();
	struct bio *bio;

	lim.max_segments = 3;
	setup_with(lim);
	bio = new_bio(8);
	/* every other page: no two are physically adjacent */
	ck_assert_int_eq(bio_add_page(bio, pages + 0, 4096, 0), 4096);
	ck_assert_int_eq(bio_add_page(bio, pages + 2, 4096, 0), 4096);
	ck_assert_int_eq(bio_add_page(bio, pages + 4, 4096, 0), 4096);
	ck_assert_int_eq(bio_add_page(bio, pages + 6, 4096, 0), 0);
	ck_assert_int_eq(bio->bi_phys_segments, 3);
	/* but memory continuing the last segment adds no segment */
	ck_assert_int_eq(bio_add_page(bio, pages + 5, 4096, 0), 4096);
	ck_assert_int_eq(bio->bi_phys_segments, 3);
	ck_assert_int_eq(bio->bi_vcnt, 4);
	bio_put(bio);
	teardown();
}
END_TEST

START_TEST(contiguous_pages_are_one_segment)
{
	struct queue_limits lim = roomy();
	struct bio *bio;

	lim.max_segments = 1;
	setup_with(lim);
	bio = new_bio(16);
	for (int i = 0; i < 16; i++)
		ck_assert_int_eq(bio_add_page(bio, pages + i, 4096, 0), 4096);
	ck_assert_int_eq(bio->bi_phys_segments, 1);
	ck_assert_uint_eq(bio->bi_seg_front_size, 65536);
	ck_assert_uint_eq(bio->bi_seg_back_size, 65536);
	bio_put(bio);
	teardown();
}
END_TEST

START_TEST(refuses_past_max_segment_size)
{
	struct queue_limits lim = roomy();
	struct bio *bio;

	lim.max_segments = 1;
	lim.max_segment_size = 8192;
	setup_with(lim);
	bio = new_bio(8);
	ck_assert_int_eq(bio_add_page(bio, pages + 0, 4096, 0), 4096);
	ck_assert_int_eq(bio_add_page(bio, pages + 1, 4096, 0), 4096);
	/* contiguous, but the segment would be 12 KiB */
	ck_assert_int_eq(bio_add_page(bio, pages + 2, 4096, 0), 0);
	bio_put(bio);

	/* with a second segment allowed it starts a new one */
	lim.max_segments = 2;
	sd->q->limits = lim;
	bio = new_bio(8);
	for (int i = 0; i < 4; i++)
		ck_assert_int_eq(bio_add_page(bio, pages + i, 4096, 0), 4096);
	ck_assert_int_eq(bio->bi_phys_segments, 2);
	ck_assert_int_eq(bio_add_page(bio, pages + 4, 4096, 0), 0);
	bio_put(bio);
	teardown();
}
END_TEST

START_TEST(refuses_across_segment_boundary)
{
	struct queue_limits lim = roomy();
	struct bio *bio;

	lim.max_segments = 1;
	lim.seg_boundary_mask = 0x1fff; /* no segment may cross 8 KiB */
	setup_with(lim);
	bio = new_bio(8);
	ck_assert_int_eq(bio_add_page(bio, pages + 0, 4096, 0), 4096);
	ck_assert_int_eq(bio_add_page(bio, pages + 1, 4096, 0), 4096);
	/* contiguous, within the size limit, but crosses 8 KiB */
	ck_assert_int_eq(bio_add_page(bio, pages + 2, 4096, 0), 0);
	bio_put(bio);

	lim.max_segments = 2;
	sd->q->limits = lim;
	bio = new_bio(8);
	ck_assert_int_eq(bio_add_page(bio, pages + 1, 4096, 0), 4096);
	ck_assert_int_eq(bio_add_page(bio, pages + 2, 4096, 0), 4096);
	ck_assert_int_eq(bio->bi_phys_segments, 2);
	bio_put(bio);
	teardown();
}
END_TEST

START_TEST(refuses_misaligned_to_logical_block)
{
	struct queue_limits lim = roomy();
	struct bio *bio;

	lim.logical_block_size = 4096;
	setup_with(lim);
	bio = new_bio(8);
	ck_assert_int_eq(bio_add_page(bio, pages + 0, 512, 0), 0);
	ck_assert_int_eq(bio_add_page(bio, pages + 0, 2048, 2048), 0);
	ck_assert_int_eq(bio_add_page(bio, pages + 0, 4096, 0), 4096);
	ck_assert_uint_eq(bio->bi_size, 4096);
	bio_put(bio);

	/* 512-byte blocks take any multiple of 512 */
	lim.logical_block_size = 512;
	sd->q->limits = lim;
	bio = new_bio(8);
	ck_assert_int_eq(bio_add_page(bio, pages + 0, 100, 0), 0);
	ck_assert_int_eq(bio_add_page(bio, pages + 0, 512, 100), 0);
	ck_assert_int_eq(bio_add_page(bio, pages + 0, 1024, 512), 1024);
	bio_put(bio);
	teardown();
}
END_TEST

START_TEST(refuses_when_bio_full)
{
	struct bio *bio;

	setup_with(roomy());
	bio = new_bio(1);
	ck_assert_int_eq(bio_add_page(bio, pages + 0, 1024, 0), 1024);
	/* the same page continued grows the one vec */
	ck_assert_int_eq(bio_add_page(bio, pages + 0, 1024, 1024), 1024);
	ck_assert_int_eq(bio->bi_vcnt, 1);
	ck_assert_uint_eq(bio->bi_io_vec[0].bv_len, 2048);
	/* another page needs a vec: none left */
	ck_assert_int_eq(bio_add_page(bio, pages + 4, 1024, 0), 0);
	/* a gap inside the page is a new vec too */
	ck_assert_int_eq(bio_add_page(bio, pages + 0, 512, 3072), 0);
	/* nonsense is refused, never crashes */
	ck_assert_int_eq(bio_add_page(bio, pages + 0, 1024, 3584), 0);
	ck_assert_int_eq(bio_add_page(bio, NULL, 512, 0), 0);
	ck_assert_uint_eq(bio->bi_size, 2048);
	bio_put(bio);
	teardown();
}
END_TEST

static int ended, last_status;

static void count_end(struct bio *bio)
{
	ended++;
	last_status = bio->bi_status;
	bio_put(bio);
}

static void submit_one(int rw, sector_t sector, unsigned int len)
{
	struct bio *bio = new_bio(1);

	bio->bi_sector = sector;
	bio->bi_end_io = count_end;
	if (len)
		ck_assert_int_eq(bio_add_page(bio, pages, len, 0), (int)len);
	submit_bio(rw, bio);
}

START_TEST(out_of_range_bios_end_with_eio)
{
	setup_with(roomy());
	sd->nr_log = 0;
	ended = 0;
	submit_one(READ, 8192 - 8, 4096); /* the last 4 KiB: fine */
	host_run_pending();
	ck_assert_int_eq(ended, 1);
	ck_assert_int_eq(last_status, 0);
	submit_one(READ, 8192 - 7, 4096);
	ck_assert_int_eq(ended, 2);
	ck_assert_int_eq(last_status, -EIO);
	submit_one(WRITE, 8192, 512);
	ck_assert_int_eq(last_status, -EIO);
	submit_one(READ, ~0ULL - 3, 4096); /* would wrap around */
	ck_assert_int_eq(last_status, -EIO);
	submit_one(READ, 0, 0); /* no data, not a flush */
	ck_assert_int_eq(last_status, -EIO);
	ck_assert_int_eq(ended, 5);
	/* only the good one reached the driver */
	ck_assert_uint_eq(sd->nr_log, 1);
	teardown();
}
END_TEST

START_TEST(bio_without_device_ends_with_eio)
{
	struct bio *bio;

	setup_with(roomy());
	bio = new_bio(1);
	bio->bi_bdev = NULL;
	bio->bi_end_io = count_end;
	ended = 0;
	submit_bio(READ, bio);
	ck_assert_int_eq(ended, 1);
	ck_assert_int_eq(last_status, -EIO);
	teardown();
}
END_TEST

START_TEST(submit_bio_wait_reads_data)
{
	struct bio *bio;
	u8 *mem;

	setup_with(roomy());
	for (int i = 0; i < 4096; i++)
		sd->data[100 * 512 + i] = (u8)(i * 7 + 3);
	bio = new_bio(1);
	bio->bi_sector = 100;
	ck_assert_int_eq(bio_add_page(bio, pages + 3, 4096, 0), 4096);
	ck_assert_int_eq(submit_bio_wait(READ, bio), 0);
	mem = page_address(pages + 3);
	for (int i = 0; i < 4096; i++)
		ck_assert_uint_eq(mem[i], (u8)(i * 7 + 3));
	bio_put(bio);
	teardown();
}
END_TEST

static Suite *bio_suite(void)
{
	Suite *s = suite_create("bio");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, alloc_and_refs);
	tcase_add_test(tc, refuses_past_max_sectors);
	tcase_add_test(tc, refuses_past_max_segments);
	tcase_add_test(tc, contiguous_pages_are_one_segment);
	tcase_add_test(tc, refuses_past_max_segment_size);
	tcase_add_test(tc, refuses_across_segment_boundary);
	tcase_add_test(tc, refuses_misaligned_to_logical_block);
	tcase_add_test(tc, refuses_when_bio_full);
	tcase_add_test(tc, out_of_range_bios_end_with_eio);
	tcase_add_test(tc, bio_without_device_ends_with_eio);
	tcase_add_test(tc, submit_bio_wait_reads_data);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_SUITE(bio_suite)
