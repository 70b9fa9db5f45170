/*
 * The plug-merge lab's graded tests (docs/labs/plug-merge.md): bios
 * merging into requests (blk_list_merge, blk_attempt_req_merge) and the
 * plug handing its requests over in disk order (sort_requests), judged
 * by the requests a request-based simulated disk receives: where, how
 * long, how many bios and physical segments, and the bytes on disk.
 */
#define _ISOC11_SOURCE 1
#include <stdlib.h>
#include <string.h>

#include "blkdev.h"
#include "errno.h"
#include "mm.h"
#include "fixtures/platform.h"
#include "fixtures/rq_bio.h"
#include "unit.h"

#define PAGE_SECTORS (PAGE_SIZE >> SECTOR_SHIFT)

static struct sim_rq_disk *sd;

static void mm_setup(void)
{
	host_mm_init(64 << 20);
}

/* The driver saw request i at sector, len bytes, made of nr_bios bios. */
static void expect_rq(unsigned int i, sector_t sector, unsigned int len,
		      unsigned int nr_bios)
{
	ck_assert_msg(sd->nr_log > i, "only %u requests", sd->nr_log);
	ck_assert_msg(
		sd->log[i].sector == sector && sd->log[i].data_len == len &&
			sd->log[i].nr_bios == nr_bios,
		"request %u: sector %llu, %u bytes, %u bios; want %llu, "
		"%u, %u",
		i, (unsigned long long)sd->log[i].sector, sd->log[i].data_len,
		sd->log[i].nr_bios, (unsigned long long)sector, len, nr_bios);
	ck_assert_msg((int)sd->log[i].nr_phys_segments == sd->log[i].nr_sg,
		      "request %u: %u segments counted, the driver's list "
		      "has %d",
		      i, sd->log[i].nr_phys_segments, sd->log[i].nr_sg);
}

/* Ascending contiguous bios under a plug: one request (back merges). */
START_TEST(back_merge_in_plug)
{
	struct page *w = alloc_pages(GFP_KERNEL, 2);
	struct rq_io io[4];
	struct blk_plug plug;

	sd = rq_disk_create(8, NULL);
	blk_start_plug(&plug);
	for (int i = 0; i < 4; i++) {
		rq_fill(w + i, (unsigned int)i + 1);
		rq_submit_page(sd, WRITE, 64 + PAGE_SECTORS * i, w + i, &io[i]);
	}
	ck_assert_uint_eq(sd->nr_log, 0); /* held by the plug */
	blk_finish_plug(&plug);
	ck_assert_uint_eq(sd->nr_log, 1);
	expect_rq(0, 64, 4 * PAGE_SIZE, 4);
	host_run_pending();
	rq_expect_done(io, 4);
	for (int i = 0; i < 4; i++)
		ck_assert(rq_disk_has(sd, 64 + PAGE_SECTORS * i, w + i));
	ck_assert_uint_eq(sd->disk->stats.merges[WRITE], 3);
	ck_assert_uint_eq(sd->disk->stats.requests[WRITE], 1);
	__free_pages(w, 2);
	sim_rq_disk_destroy(sd);
}
END_TEST

/* Descending contiguous bios: one request too (front merges). */
START_TEST(front_merge_in_plug)
{
	struct page *w = alloc_pages(GFP_KERNEL, 2);
	struct rq_io io[4];
	struct blk_plug plug;

	sd = rq_disk_create(8, NULL);
	blk_start_plug(&plug);
	for (int i = 3; i >= 0; i--) {
		rq_fill(w + i, (unsigned int)i + 10);
		rq_submit_page(sd, WRITE, 200 + PAGE_SECTORS * i, w + i,
			       &io[i]);
	}
	blk_finish_plug(&plug);
	ck_assert_uint_eq(sd->nr_log, 1);
	expect_rq(0, 200, 4 * PAGE_SIZE, 4);
	host_run_pending();
	rq_expect_done(io, 4);
	for (int i = 0; i < 4; i++)
		ck_assert(rq_disk_has(sd, 200 + PAGE_SECTORS * i, w + i));
	ck_assert_uint_eq(sd->disk->stats.merges[WRITE], 3);
	__free_pages(w, 2);
	sim_rq_disk_destroy(sd);
}
END_TEST

/* A bio that fills the gap between two requests joins them all. */
START_TEST(bio_filling_a_gap_joins_both_neighbours)
{
	struct page *w = alloc_pages(GFP_KERNEL, 2);
	struct rq_io io[3];
	struct blk_plug plug;

	sd = rq_disk_create(8, NULL);
	for (int i = 0; i < 3; i++)
		rq_fill(w + i, (unsigned int)i + 30);
	blk_start_plug(&plug);
	rq_submit_page(sd, WRITE, 0, w + 0, &io[0]);
	rq_submit_page(sd, WRITE, 2 * PAGE_SECTORS, w + 2, &io[2]);
	rq_submit_page(sd, WRITE, PAGE_SECTORS, w + 1, &io[1]);
	blk_finish_plug(&plug);
	ck_assert_uint_eq(sd->nr_log, 1);
	expect_rq(0, 0, 3 * PAGE_SIZE, 3);
	host_run_pending();
	rq_expect_done(io, 3);
	for (int i = 0; i < 3; i++)
		ck_assert(rq_disk_has(sd, PAGE_SECTORS * i, w + i));
	/* The bio merged, then its request merged with the other. */
	ck_assert_uint_eq(sd->disk->stats.merges[WRITE], 2);
	__free_pages(w, 2);
	sim_rq_disk_destroy(sd);
}
END_TEST

/* A gap, or the other direction: no merge. */
START_TEST(gap_or_other_direction_does_not_merge)
{
	struct page *p = alloc_pages(GFP_KERNEL, 2);
	struct page *w = alloc_pages(GFP_KERNEL, 1);
	struct rq_io io[6];
	struct blk_plug plug;

	sd = rq_disk_create(8, NULL);
	blk_start_plug(&plug);
	rq_submit_page(sd, WRITE, 0, p + 0, &io[0]);
	rq_submit_page(sd, WRITE, 16, p + 1, &io[1]); /* a one-page gap */
	rq_submit_page(sd, READ, 8, p + 2, &io[2]); /* fills it, but a read */
	rq_submit_page(sd, READ, 24, p + 3, &io[3]); /* after a write */
	rq_submit_page(sd, WRITE, 40, w, &io[4]); /* these two do merge */
	rq_submit_page(sd, WRITE, 48, w + 1, &io[5]);
	blk_finish_plug(&plug);
	host_run_pending();
	rq_expect_done(io, 6);
	ck_assert_uint_eq(sd->nr_log, 5);
	ck_assert_uint_eq(sd->disk->stats.merges[READ], 0);
	ck_assert_uint_eq(sd->disk->stats.merges[WRITE], 1);
	__free_pages(p, 2);
	__free_pages(w, 1);
	sim_rq_disk_destroy(sd);
}
END_TEST

/* The plug hands its requests to the driver in sector order. */
START_TEST(plug_dispatches_in_sector_order)
{
	struct page *p = alloc_pages(GFP_KERNEL, 0);
	static const sector_t at[] = { 64, 0, 128, 32, 96 };
	struct rq_io io[5];
	struct blk_plug plug;

	sd = rq_disk_create(8, NULL);
	blk_start_plug(&plug);
	for (int i = 0; i < 5; i++)
		rq_submit_page(sd, READ, at[i], p, &io[i]);
	blk_finish_plug(&plug);
	host_run_pending();
	rq_expect_done(io, 5);
	ck_assert_uint_eq(sd->nr_log, 5);
	for (unsigned int i = 0; i < 5; i++)
		ck_assert_msg(sd->log[i].sector == 32 * i,
			      "request %u at sector %llu, want %u", i,
			      (unsigned long long)sd->log[i].sector, 32 * i);
	__free_page(p);
	sim_rq_disk_destroy(sd);
}
END_TEST

/* Two disks under one plug: each gets its own requests, in order. */
START_TEST(plug_keeps_disks_apart)
{
	struct page *p = alloc_pages(GFP_KERNEL, 0);
	struct sim_rq_disk *other;
	struct rq_io io[4];
	struct blk_plug plug;

	sd = rq_disk_create(8, NULL);
	other = rq_disk_create(8, NULL);
	blk_start_plug(&plug);
	rq_submit_page(other, READ, 64, p, &io[0]);
	rq_submit_page(sd, READ, 64, p, &io[1]);
	rq_submit_page(other, READ, 0, p, &io[2]);
	rq_submit_page(sd, READ, 72, p, &io[3]);
	blk_finish_plug(&plug);
	host_run_pending();
	while (sim_rq_disk_complete_one(other))
		;
	rq_expect_done(io, 4);
	ck_assert_uint_eq(sd->nr_log, 1);
	expect_rq(0, 64, 2 * PAGE_SIZE, 2);
	ck_assert_uint_eq(other->nr_log, 2);
	ck_assert_uint_eq(other->log[0].sector, 0);
	ck_assert_uint_eq(other->log[1].sector, 64);
	__free_page(p);
	sim_rq_disk_destroy(other);
	sim_rq_disk_destroy(sd);
}
END_TEST

/* No request grows past max_sectors. */
START_TEST(merge_stops_at_max_sectors)
{
	struct queue_limits lim;
	struct page *p = alloc_pages(GFP_KERNEL, 3);
	struct rq_io io[8];
	struct blk_plug plug;

	blk_set_default_limits(&lim);
	lim.max_sectors = 2 * PAGE_SECTORS;
	sd = rq_disk_create(8, &lim);
	blk_start_plug(&plug);
	for (int i = 0; i < 8; i++)
		rq_submit_page(sd, WRITE, PAGE_SECTORS * i, p + i, &io[i]);
	blk_finish_plug(&plug);
	host_run_pending();
	rq_expect_done(io, 8);
	ck_assert_uint_eq(sd->nr_log, 4);
	for (unsigned int i = 0; i < 4; i++)
		expect_rq(i, 2 * PAGE_SECTORS * i, 2 * PAGE_SIZE, 2);
	__free_pages(p, 3);
	sim_rq_disk_destroy(sd);
}
END_TEST

/* Pages apart in memory are a segment each: max_segments caps merging. */
START_TEST(merge_counts_physical_segments)
{
	struct queue_limits lim;
	struct page *p = alloc_pages(GFP_KERNEL, 3);
	struct rq_io io[4];
	struct blk_plug plug;

	blk_set_default_limits(&lim);
	lim.max_segments = 2;
	sd = rq_disk_create(8, &lim);
	blk_start_plug(&plug);
	for (int i = 0; i < 4; i++)
		rq_submit_page(sd, WRITE, PAGE_SECTORS * i, p + 2 * i, &io[i]);
	blk_finish_plug(&plug);
	host_run_pending();
	rq_expect_done(io, 4);
	ck_assert_uint_eq(sd->nr_log, 2);
	expect_rq(0, 0, 2 * PAGE_SIZE, 2);
	expect_rq(1, 2 * PAGE_SECTORS, 2 * PAGE_SIZE, 2);
	ck_assert_uint_eq(sd->log[0].nr_phys_segments, 2);
	__free_pages(p, 3);
	sim_rq_disk_destroy(sd);
}
END_TEST

/* Memory contiguous across the junction folds into one segment. */
START_TEST(contiguous_memory_is_one_segment)
{
	struct queue_limits lim;
	struct page *p = alloc_pages(GFP_KERNEL, 2);
	struct rq_io io[8];
	struct blk_plug plug;

	blk_set_default_limits(&lim);
	lim.max_segments = 1;
	sd = rq_disk_create(8, &lim);
	blk_start_plug(&plug);
	/* Half pages, front merges and back merges, one run of memory. */
	rq_submit(sd, WRITE, 8, p + 1, 0, 2048, &io[0]);
	rq_submit(sd, WRITE, 12, p + 1, 2048, 2048, &io[1]);
	rq_submit_page(sd, WRITE, 0, p, &io[2]);
	rq_submit(sd, WRITE, 16, p + 2, 0, PAGE_SIZE, &io[3]);
	blk_finish_plug(&plug);
	host_run_pending();
	rq_expect_done(io, 4);
	ck_assert_uint_eq(sd->nr_log, 1);
	expect_rq(0, 0, 3 * PAGE_SIZE, 4);
	ck_assert_uint_eq(sd->log[0].nr_phys_segments, 1);
	__free_pages(p, 2);
	sim_rq_disk_destroy(sd);
}
END_TEST

/* ... but a segment never grows past max_segment_size. */
START_TEST(segment_size_limit)
{
	struct queue_limits lim;
	struct page *p = alloc_pages(GFP_KERNEL, 2);
	struct rq_io io[4];
	struct blk_plug plug;

	blk_set_default_limits(&lim);
	lim.max_segments = 1;
	lim.max_segment_size = 2 * PAGE_SIZE;
	sd = rq_disk_create(8, &lim);
	blk_start_plug(&plug);
	for (int i = 0; i < 4; i++)
		rq_submit_page(sd, WRITE, PAGE_SECTORS * i, p + i, &io[i]);
	blk_finish_plug(&plug);
	host_run_pending();
	rq_expect_done(io, 4);
	ck_assert_uint_eq(sd->nr_log, 2);
	expect_rq(0, 0, 2 * PAGE_SIZE, 2);
	expect_rq(1, 2 * PAGE_SECTORS, 2 * PAGE_SIZE, 2);
	__free_pages(p, 2);
	sim_rq_disk_destroy(sd);
}
END_TEST

/* Without a plug, bios still join a request that waits for a tag. */
START_TEST(unplugged_bios_merge_into_waiting_request)
{
	struct page *w = alloc_pages(GFP_KERNEL, 2);
	struct rq_io io[4];

	sd = rq_disk_create(1, NULL);
	sd->hold = true;
	for (int i = 0; i < 4; i++)
		rq_fill(w + i, (unsigned int)i + 20);
	rq_submit_page(sd, WRITE, 0, w + 3, &io[3]); /* takes the one tag */
	rq_submit_page(sd, WRITE, 108, w + 1, &io[1]); /* waits */
	rq_submit_page(sd, WRITE, 116, w + 2, &io[2]); /* back merge */
	rq_submit_page(sd, WRITE, 100, w + 0, &io[0]); /* front merge */
	ck_assert_uint_eq(sd->nr_log, 1);
	sd->hold = false;
	host_run_pending();
	rq_expect_done(io, 4);
	ck_assert_uint_eq(sd->nr_log, 2);
	expect_rq(1, 100, 3 * PAGE_SIZE, 3);
	for (int i = 0; i < 3; i++)
		ck_assert(rq_disk_has(sd, 100 + PAGE_SECTORS * i, w + i));
	ck_assert_uint_eq(sd->disk->stats.merges[WRITE], 2);
	__free_pages(w, 2);
	sim_rq_disk_destroy(sd);
}
END_TEST

/* Flushes and REQ_NOMERGE bios are requests of their own. */
START_TEST(flush_and_nomerge_stay_alone)
{
	struct page *p = alloc_pages(GFP_KERNEL, 2);
	struct rq_io io[5];
	struct bio *flush;
	struct blk_plug plug;

	sd = rq_disk_create(8, NULL);
	blk_start_plug(&plug);
	rq_submit_page(sd, WRITE, 0, p, &io[0]);
	flush = rq_bio(sd, 0, 0, &io[1]);
	submit_bio(WRITE | REQ_FLUSH, flush);
	rq_submit_page(sd, WRITE | REQ_NOMERGE, PAGE_SECTORS, p + 1, &io[2]);
	rq_submit_page(sd, WRITE, 2 * PAGE_SECTORS, p + 2, &io[3]);
	rq_submit_page(sd, WRITE, 3 * PAGE_SECTORS, p + 3, &io[4]);
	blk_finish_plug(&plug);
	host_run_pending();
	rq_expect_done(io, 5);
	ck_assert_uint_eq(sd->nr_log, 4);
	ck_assert(sd->log[0].cmd_flags & REQ_FLUSH);
	expect_rq(1, 0, PAGE_SIZE, 1);
	expect_rq(2, PAGE_SECTORS, PAGE_SIZE, 1);
	expect_rq(3, 2 * PAGE_SECTORS, 2 * PAGE_SIZE, 2);
	__free_pages(p, 2);
	sim_rq_disk_destroy(sd);
}
END_TEST

#define NR_MIXED 256

static u64 rnd_state = 4242;

/*
 * 256 bios of 1-16 sectors at odd offsets in memory, adjacent on disk
 * or with small gaps, submitted a little shuffled under one plug (small segment
 * limits), then read back: every byte lands, every request keeps the
 * limits, and every bio is a merge or a request of its own.
 */
START_TEST(mixed_bios_in_any_order)
{
	static struct rq_chunk c[NR_MIXED];
	int order[NR_MIXED];
	u8 *model = calloc(RQ_DISK_SECTORS, SECTOR_SIZE);
	struct queue_limits lim;
	const struct disk_stats *st;
	struct blk_plug plug;
	sector_t s = 1;

	blk_set_default_limits(&lim);
	lim.max_segments = 4;
	lim.max_sectors = 64;
	sd = rq_disk_create(32, &lim);
	sd->order = SIM_RANDOM;
	for (int i = 0; i < NR_MIXED; i++) {
		u8 *m;

		c[i].sector = s;
		c[i].sectors = 1 + rq_rand(&rnd_state, 16);
		c[i].offset = rq_rand(&rnd_state, 8) * SECTOR_SIZE;
		c[i].mem = alloc_pages(GFP_KERNEL, 2);
		m = (u8 *)page_address(c[i].mem) + c[i].offset;
		for (unsigned int b = 0; b < c[i].sectors * SECTOR_SIZE; b++)
			m[b] = (u8)rq_rand(&rnd_state, 256);
		memcpy(model + (s << SECTOR_SHIFT), m,
		       c[i].sectors * SECTOR_SIZE);
		/* Mostly adjacent, now and then a small gap. */
		s += c[i].sectors +
		     (rq_rand(&rnd_state, 4) ? 0 : 1 + rq_rand(&rnd_state, 2));
		order[i] = i;
	}
	/* Shuffled within each run of 8: front and back merges both. */
	for (int i = NR_MIXED - 1; i > 0; i--) {
		int j = i - (int)rq_rand(&rnd_state, (unsigned int)(i % 8) + 1),
		    t = order[i];

		order[i] = order[j];
		order[j] = t;
	}
	blk_start_plug(&plug);
	for (int i = 0; i < NR_MIXED; i++)
		rq_submit_chunk(sd, WRITE, &c[order[i]]);
	blk_finish_plug(&plug);
	host_run_pending();
	for (int i = 0; i < NR_MIXED; i++)
		rq_expect_done(&c[i].io, 1);
	ck_assert_mem_eq(sd->data, model, RQ_DISK_SECTORS * SECTOR_SIZE);
	for (unsigned int i = 0; i < sd->nr_log; i++) {
		ck_assert_uint_le(sd->log[i].data_len >> SECTOR_SHIFT, 64);
		ck_assert_uint_le(sd->log[i].nr_phys_segments, 4);
		ck_assert_int_eq((int)sd->log[i].nr_phys_segments,
				 sd->log[i].nr_sg);
	}
	st = &sd->disk->stats;
	ck_assert_uint_eq(st->requests[WRITE] + st->merges[WRITE], NR_MIXED);
	ck_assert_uint_lt(st->requests[WRITE], NR_MIXED / 2);
	for (int i = 0; i < NR_MIXED; i++)
		__free_pages(c[i].mem, 2);
	free(model);
	sim_rq_disk_destroy(sd);
}
END_TEST

static Suite *lab_plug_merge_suite(void)
{
	Suite *s = suite_create("lab_plug_merge");
	TCase *tc = tcase_create("graded");

	tcase_set_timeout(tc, 20);
	tcase_add_checked_fixture(tc, mm_setup, NULL);
	tcase_add_test(tc, back_merge_in_plug);
	tcase_add_test(tc, front_merge_in_plug);
	tcase_add_test(tc, bio_filling_a_gap_joins_both_neighbours);
	tcase_add_test(tc, gap_or_other_direction_does_not_merge);
	tcase_add_test(tc, plug_dispatches_in_sector_order);
	tcase_add_test(tc, plug_keeps_disks_apart);
	tcase_add_test(tc, merge_stops_at_max_sectors);
	tcase_add_test(tc, merge_counts_physical_segments);
	tcase_add_test(tc, contiguous_memory_is_one_segment);
	tcase_add_test(tc, segment_size_limit);
	tcase_add_test(tc, unplugged_bios_merge_into_waiting_request);
	tcase_add_test(tc, flush_and_nomerge_stay_alone);
	tcase_add_test(tc, mixed_bios_in_any_order);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_SUITE(lab_plug_merge_suite)
