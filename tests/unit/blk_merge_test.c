/*
 * The request queue under a request-based simulated disk: plug merging
 * (back and front), merging into requests that wait for a tag, the
 * limits a merge must keep, 256 bios completing in scrambled order,
 * error injection, queue depth and -EBUSY, flushes and the counters.
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

static struct sim_rq_disk *sd;

START_TEST(plug_back_merges_contiguous_bios)
{
	struct page *w = alloc_pages(GFP_KERNEL, 2);
	struct page *r = alloc_pages(GFP_KERNEL, 3);
	struct rq_io io[4];
	struct blk_plug plug;

	sd = rq_disk_create(8, NULL);
	blk_start_plug(&plug);
	for (int i = 0; i < 4; i++) {
		rq_fill(w + i, (unsigned int)i + 1);
		rq_submit_page(sd, WRITE, 64 + 8 * (sector_t)i, w + i, &io[i]);
	}
	ck_assert_uint_eq(sd->nr_log, 0); /* held by the plug */
	blk_finish_plug(&plug);
	ck_assert_uint_eq(sd->nr_log, 1);
	ck_assert_uint_eq(sd->log[0].sector, 64);
	ck_assert_uint_eq(sd->log[0].data_len, 16384);
	ck_assert_uint_eq(sd->log[0].nr_bios, 4);
	/* the four pages are physically contiguous: one segment */
	ck_assert_uint_eq(sd->log[0].nr_phys_segments, 1);
	ck_assert_int_eq(sd->log[0].nr_sg, 1);
	host_run_pending();
	for (int i = 0; i < 4; i++) {
		ck_assert(io[i].done);
		ck_assert_int_eq(io[i].status, 0);
		ck_assert(rq_disk_has(sd, 64 + 8 * (sector_t)i, w + i));
	}
	ck_assert_uint_eq(sd->disk->stats.bios[WRITE], 4);
	ck_assert_uint_eq(sd->disk->stats.merges[WRITE], 3);
	ck_assert_uint_eq(sd->disk->stats.requests[WRITE], 1);
	ck_assert_uint_eq(sd->disk->stats.ios[WRITE], 1);
	ck_assert_uint_eq(sd->disk->stats.sectors[WRITE], 32);

	/* read back into every other page: four segments, one request */
	blk_start_plug(&plug);
	for (int i = 0; i < 4; i++)
		rq_submit_page(sd, READ, 64 + 8 * (sector_t)i, r + 2 * i,
			       &io[i]);
	blk_finish_plug(&plug);
	ck_assert_uint_eq(sd->nr_log, 2);
	ck_assert_uint_eq(sd->log[1].data_len, 16384);
	ck_assert_uint_eq(sd->log[1].nr_phys_segments, 4);
	ck_assert_int_eq(sd->log[1].nr_sg, 4);
	host_run_pending();
	for (int i = 0; i < 4; i++) {
		ck_assert_int_eq(io[i].status, 0);
		ck_assert_mem_eq(page_address(r + 2 * i), page_address(w + i),
				 PAGE_SIZE);
	}
	ck_assert_uint_eq(sd->disk->stats.merges[READ], 3);
	__free_pages(w, 2);
	__free_pages(r, 3);
	sim_rq_disk_destroy(sd);
}
END_TEST

START_TEST(plug_front_merges_descending_bios)
{
	struct page *w = alloc_pages(GFP_KERNEL, 2);
	struct rq_io io[4];
	struct blk_plug plug;

	sd = rq_disk_create(8, NULL);
	blk_start_plug(&plug);
	for (int i = 3; i >= 0; i--) {
		rq_fill(w + i, (unsigned int)i + 10);
		rq_submit_page(sd, WRITE, 200 + 8 * (sector_t)i, w + i, &io[i]);
	}
	blk_finish_plug(&plug);
	ck_assert_uint_eq(sd->nr_log, 1);
	ck_assert_uint_eq(sd->log[0].sector, 200);
	ck_assert_uint_eq(sd->log[0].data_len, 16384);
	ck_assert_uint_eq(sd->log[0].nr_phys_segments, 1);
	host_run_pending();
	for (int i = 0; i < 4; i++) {
		ck_assert_int_eq(io[i].status, 0);
		ck_assert(rq_disk_has(sd, 200 + 8 * (sector_t)i, w + i));
	}
	ck_assert_uint_eq(sd->disk->stats.merges[WRITE], 3);
	__free_pages(w, 2);
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
	ck_assert(list_is_singular(&sd->q->queue_head));
	rq_submit_page(sd, WRITE, 100, w + 0, &io[0]); /* front merge */
	ck_assert(list_is_singular(&sd->q->queue_head));
	ck_assert_uint_eq(sd->nr_log, 1);
	sd->hold = false;
	host_run_pending();
	ck_assert_uint_eq(sd->nr_log, 2);
	ck_assert_uint_eq(sd->log[1].sector, 100);
	ck_assert_uint_eq(sd->log[1].data_len, 3 * 4096);
	ck_assert_uint_eq(sd->log[1].nr_bios, 3);
	ck_assert_uint_eq(sd->log[1].nr_phys_segments, 1);
	for (int i = 0; i < 3; i++) {
		ck_assert_int_eq(io[i].status, 0);
		ck_assert(rq_disk_has(sd, 100 + 8 * (sector_t)i, w + i));
	}
	ck_assert_uint_eq(sd->disk->stats.merges[WRITE], 2);
	__free_pages(w, 2);
	sim_rq_disk_destroy(sd);
}
END_TEST

START_TEST(gap_or_other_direction_does_not_merge)
{
	struct page *p = alloc_pages(GFP_KERNEL, 2);
	struct rq_io io[4];
	struct blk_plug plug;

	sd = rq_disk_create(8, NULL);
	blk_start_plug(&plug);
	rq_submit_page(sd, WRITE, 0, p + 0, &io[0]);
	rq_submit_page(sd, WRITE, 16, p + 1, &io[1]); /* a one-page gap */
	rq_submit_page(sd, READ, 8, p + 2, &io[2]); /* fills it, but a read */
	rq_submit_page(sd, READ, 24, p + 3, &io[3]); /* after a write */
	blk_finish_plug(&plug);
	host_run_pending();
	ck_assert_uint_eq(sd->nr_log, 4);
	ck_assert_uint_eq(sd->disk->stats.merges[READ], 0);
	ck_assert_uint_eq(sd->disk->stats.merges[WRITE], 0);
	for (int i = 0; i < 4; i++)
		ck_assert_int_eq(io[i].status, 0);
	__free_pages(p, 2);
	sim_rq_disk_destroy(sd);
}
END_TEST

START_TEST(plug_dispatches_in_sector_order)
{
	struct page *p = alloc_pages(GFP_KERNEL, 0);
	static const sector_t at[] = { 64, 0, 128, 32 };
	struct rq_io io[4];
	struct blk_plug plug;

	sd = rq_disk_create(8, NULL);
	blk_start_plug(&plug);
	for (int i = 0; i < 4; i++)
		rq_submit_page(sd, READ, at[i], p, &io[i]);
	blk_finish_plug(&plug);
	host_run_pending();
	ck_assert_uint_eq(sd->nr_log, 4);
	ck_assert_uint_eq(sd->log[0].sector, 0);
	ck_assert_uint_eq(sd->log[1].sector, 32);
	ck_assert_uint_eq(sd->log[2].sector, 64);
	ck_assert_uint_eq(sd->log[3].sector, 128);
	__free_page(p);
	sim_rq_disk_destroy(sd);
}
END_TEST

START_TEST(merge_stops_at_max_sectors)
{
	struct queue_limits lim;
	struct page *p = alloc_pages(GFP_KERNEL, 3);
	struct rq_io io[8];
	struct blk_plug plug;

	blk_set_default_limits(&lim);
	lim.max_sectors = 16;
	sd = rq_disk_create(8, &lim);
	blk_start_plug(&plug);
	for (int i = 0; i < 8; i++)
		rq_submit_page(sd, WRITE, 8 * (sector_t)i, p + i, &io[i]);
	blk_finish_plug(&plug);
	host_run_pending();
	ck_assert_uint_eq(sd->nr_log, 4);
	for (unsigned int i = 0; i < 4; i++) {
		ck_assert_uint_eq(sd->log[i].data_len, 8192);
		ck_assert_uint_eq(sd->log[i].nr_bios, 2);
	}
	__free_pages(p, 3);
	sim_rq_disk_destroy(sd);
}
END_TEST

START_TEST(merge_counts_physical_segments)
{
	struct queue_limits lim;
	struct page *p = alloc_pages(GFP_KERNEL, 3);
	struct rq_io io[4];
	struct blk_plug plug;

	blk_set_default_limits(&lim);
	lim.max_segments = 2;
	sd = rq_disk_create(8, &lim);
	/* every other page: each bio is its own segment */
	blk_start_plug(&plug);
	for (int i = 0; i < 4; i++)
		rq_submit_page(sd, WRITE, 8 * (sector_t)i, p + 2 * i, &io[i]);
	blk_finish_plug(&plug);
	host_run_pending();
	ck_assert_uint_eq(sd->nr_log, 2);
	ck_assert_uint_eq(sd->log[0].nr_phys_segments, 2);
	ck_assert_int_eq(sd->log[0].nr_sg, 2);

	/* contiguous pages fold into one segment, so all four merge */
	sd->nr_log = 0;
	blk_start_plug(&plug);
	for (int i = 0; i < 4; i++)
		rq_submit_page(sd, WRITE, 8 * (sector_t)i, p + i, &io[i]);
	blk_finish_plug(&plug);
	host_run_pending();
	ck_assert_uint_eq(sd->nr_log, 1);
	ck_assert_uint_eq(sd->log[0].nr_phys_segments, 1);

	/* ...but not past max_segment_size */
	sd->nr_log = 0;
	sd->q->limits.max_segment_size = 8192;
	sd->q->limits.max_segments = 1;
	blk_start_plug(&plug);
	for (int i = 0; i < 4; i++)
		rq_submit_page(sd, WRITE, 8 * (sector_t)i, p + i, &io[i]);
	blk_finish_plug(&plug);
	host_run_pending();
	ck_assert_uint_eq(sd->nr_log, 2);
	ck_assert_uint_eq(sd->log[0].data_len, 8192);
	__free_pages(p, 3);
	sim_rq_disk_destroy(sd);
}
END_TEST

/* ---- 256 bios of mixed sizes and offsets, completed in any order ---- */

#define NR_MIXED 256

static u64 rnd_state = 12345;

static void submit_all(int rw, struct rq_chunk *c, const int *order, bool plug)
{
	struct blk_plug p;

	if (plug)
		blk_start_plug(&p);
	for (int i = 0; i < NR_MIXED; i++)
		rq_submit_chunk(sd, rw, &c[order[i]]);
	if (plug)
		blk_finish_plug(&p);
	host_run_pending();
	for (int i = 0; i < NR_MIXED; i++) {
		ck_assert(c[i].io.done);
		ck_assert_int_eq(c[i].io.status, 0);
	}
}

START_TEST(mixed_bios_complete_in_scrambled_order)
{
	static struct rq_chunk c[NR_MIXED];
	int order[NR_MIXED];
	u8 *model = calloc(RQ_DISK_SECTORS, SECTOR_SIZE);
	sector_t s = 1;
	const struct disk_stats *st;

	sd = rq_disk_create(32, NULL);
	sd->order = SIM_RANDOM;
	for (int i = 0; i < NR_MIXED; i++) {
		c[i].sector = s;
		c[i].sectors = 1 + rq_rand(&rnd_state, 16);
		c[i].offset = rq_rand(&rnd_state, 8) * SECTOR_SIZE;
		c[i].mem = alloc_pages(GFP_KERNEL, 2);
		u8 *m = page_address(c[i].mem) + c[i].offset;
		for (unsigned int b = 0; b < c[i].sectors * SECTOR_SIZE; b++)
			m[b] = (u8)rq_rand(&rnd_state, 256);
		memcpy(model + (s << SECTOR_SHIFT), m,
		       c[i].sectors * SECTOR_SIZE);
		s += c[i].sectors +
		     rq_rand(&rnd_state, 3); /* adjacent or a small gap */
		order[i] = i;
	}
	ck_assert_uint_lt(s, RQ_DISK_SECTORS);
	for (int i = NR_MIXED - 1; i > 0; i--) {
		int j = (int)rq_rand(&rnd_state, (unsigned int)i + 1),
		    t = order[i];

		order[i] = order[j];
		order[j] = t;
	}
	submit_all(WRITE, c, order, true);
	ck_assert_mem_eq(sd->data, model, RQ_DISK_SECTORS * SECTOR_SIZE);
	st = &sd->disk->stats;
	ck_assert_uint_eq(st->bios[WRITE], NR_MIXED);
	ck_assert_uint_eq(st->requests[WRITE] + st->merges[WRITE], NR_MIXED);
	ck_assert_uint_gt(st->merges[WRITE], 0);
	ck_assert_uint_eq(st->in_flight, 0);

	/* read back, unplugged this time, into wiped memory */
	for (int i = 0; i < NR_MIXED; i++)
		memset(page_address(c[i].mem), 0, 4 * PAGE_SIZE);
	submit_all(READ, c, order, false);
	for (int i = 0; i < NR_MIXED; i++)
		ck_assert_mem_eq((u8 *)page_address(c[i].mem) + c[i].offset,
				 model + (c[i].sector << SECTOR_SHIFT),
				 c[i].sectors * SECTOR_SIZE);
	ck_assert(!sd->tag_clash);
	ck_assert_uint_le(sd->max_inflight, 32);
	for (int i = 0; i < NR_MIXED; i++)
		__free_pages(c[i].mem, 2);
	free(model);
	sim_rq_disk_destroy(sd);
}
END_TEST

/* ---- errors ---- */

START_TEST(errors_end_exactly_the_bios_on_bad_sectors)
{
	struct page *p = alloc_pages(GFP_KERNEL, 3);
	struct rq_io io[8];

	sd = rq_disk_create(8, NULL);
	sim_rq_disk_add_bad(sd, 203, 204, READ);
	/* unplugged, with free tags: each bio is its own request */
	for (int i = 0; i < 4; i++)
		rq_submit_page(sd, READ, 192 + 8 * (sector_t)i, p + i, &io[i]);
	rq_submit_page(sd, WRITE, 200, p + 4, &io[4]); /* bad for reads only */
	host_run_pending();
	ck_assert_int_eq(io[0].status, 0);
	ck_assert_int_eq(io[1].status, -EIO);
	ck_assert_int_eq(io[2].status, 0);
	ck_assert_int_eq(io[3].status, 0);
	ck_assert_int_eq(io[4].status, 0);
	for (int i = 0; i < 5; i++)
		ck_assert(io[i].done);
	/* the failing bio is tried twice: alone again, then it ends */
	ck_assert_uint_eq(sd->disk->stats.errors, 2);
	ck_assert_uint_eq(sd->nr_failed, 2);
	ck_assert_uint_eq(sd->disk->stats.retries, 1);
	__free_pages(p, 3);
	sim_rq_disk_destroy(sd);
}
END_TEST

/* Merged requests that fail: tests/unit/blk_retry_test.c. */

/* ---- queue depth ---- */

START_TEST(queue_depth_is_respected)
{
	struct page *p = alloc_pages(GFP_KERNEL, 0);
	struct rq_io io[20];

	sd = rq_disk_create(4, NULL);
	sd->hold = true;
	for (int i = 0; i < 20; i++)
		rq_submit_page(sd, READ, 16 * (sector_t)i, p, &io[i]);
	ck_assert_uint_eq(sd->nr_inflight, 4);
	ck_assert_uint_eq(sd->q->in_flight, 4);
	ck_assert_uint_eq(sd->disk->stats.in_flight, 4);
	sd->hold = false;
	sd->order = SIM_LIFO;
	host_run_pending();
	for (int i = 0; i < 20; i++)
		ck_assert_int_eq(io[i].status, 0);
	ck_assert_uint_eq(sd->nr_log, 20);
	ck_assert_uint_eq(sd->max_inflight, 4);
	ck_assert(!sd->tag_clash);
	ck_assert_uint_eq(sd->disk->stats.in_flight, 0);
	__free_page(p);
	sim_rq_disk_destroy(sd);
}
END_TEST

START_TEST(busy_driver_is_retried)
{
	struct page *p = alloc_pages(GFP_KERNEL, 0);
	struct rq_io io[20];

	sd = rq_disk_create(4, NULL);
	sd->busy_every = 3;
	for (int i = 0; i < 20; i++)
		rq_submit_page(sd, READ, 16 * (sector_t)i, p, &io[i]);
	host_run_pending();
	for (int i = 0; i < 20; i++) {
		ck_assert(io[i].done);
		ck_assert_int_eq(io[i].status, 0);
	}
	ck_assert_uint_gt(sd->busy_returned, 0);
	ck_assert_uint_eq(sd->nr_log, 20);
	ck_assert(!sd->tag_clash);
	__free_page(p);
	sim_rq_disk_destroy(sd);
}
END_TEST

/* -EBUSY with nothing in flight would wait forever: it fails instead. */
START_TEST(busy_with_nothing_in_flight_fails)
{
	struct page *p = alloc_pages(GFP_KERNEL, 0);
	struct rq_io io;

	sd = rq_disk_create(4, NULL);
	sd->busy_every = 1;
	rq_submit_page(sd, READ, 0, p, &io);
	ck_assert(io.done);
	ck_assert_int_eq(io.status, -EIO);
	__free_page(p);
	sd->busy_every = 0;
	sim_rq_disk_destroy(sd);
}
END_TEST

/* ---- flush ---- */

START_TEST(flush_is_its_own_request)
{
	struct page *p = alloc_pages(GFP_KERNEL, 1);
	struct rq_io io[4];
	struct bio *flush;
	struct blk_plug plug;

	sd = rq_disk_create(8, NULL);
	blk_start_plug(&plug);
	rq_submit_page(sd, WRITE, 0, p, &io[0]);
	flush = rq_bio(sd, 0, 0, &io[1]);
	submit_bio(WRITE | REQ_FLUSH, flush);
	rq_submit_page(sd, WRITE, 8, p + 1, &io[2]);
	blk_finish_plug(&plug);
	host_run_pending();
	ck_assert_uint_eq(sd->nr_log, 2);
	ck_assert(sd->log[0].cmd_flags & REQ_FLUSH);
	ck_assert_uint_eq(sd->log[0].data_len, 0);
	ck_assert_uint_eq(sd->log[1].data_len, 8192);
	for (int i = 0; i < 3; i++)
		ck_assert_int_eq(io[i].status, 0);

	/* a flush carrying data is refused */
	flush = rq_bio(sd, 0, 1, &io[3]);
	ck_assert_int_eq(bio_add_page(flush, p, 4096, 0), 4096);
	submit_bio(WRITE | REQ_FLUSH, flush);
	ck_assert_int_eq(io[3].status, -EINVAL);
	__free_pages(p, 1);
	sim_rq_disk_destroy(sd);
}
END_TEST

/* A flush waiting for a tag takes no bio either. */
START_TEST(waiting_flush_takes_no_bio)
{
	struct page *p = alloc_pages(GFP_KERNEL, 0);
	struct rq_io io[3];
	struct bio *flush;

	sd = rq_disk_create(1, NULL);
	sd->hold = true;
	rq_submit_page(sd, WRITE, 100, p, &io[0]);
	flush = rq_bio(sd, 0, 0, &io[1]);
	submit_bio(WRITE | REQ_FLUSH, flush);
	rq_submit_page(sd, WRITE, 0, p, &io[2]);
	sd->hold = false;
	host_run_pending();
	ck_assert_uint_eq(sd->nr_log, 3);
	ck_assert(sd->log[1].cmd_flags & REQ_FLUSH);
	ck_assert_uint_eq(sd->log[2].data_len, 4096);
	for (int i = 0; i < 3; i++)
		ck_assert_int_eq(io[i].status, 0);
	__free_page(p);
	sim_rq_disk_destroy(sd);
}
END_TEST

START_TEST(stats_count_time_and_sectors)
{
	struct page *p = alloc_pages(GFP_KERNEL, 0);
	struct rq_io io[2];
	const struct disk_stats *st;

	sd = rq_disk_create(4, NULL);
	st = &sd->disk->stats;
	sd->hold = true;
	host_advance_clock(10 * 1000000); /* idle: not io_ticks */
	rq_submit_page(sd, READ, 0, p, &io[0]);
	host_advance_clock(3 * 1000000);
	rq_submit_page(sd, READ, 800, p, &io[1]);
	host_advance_clock(2 * 1000000);
	ck_assert_uint_eq(st->in_flight, 2);
	sd->hold = false;
	host_run_pending();
	ck_assert_uint_eq(st->ios[READ], 2);
	ck_assert_uint_eq(st->sectors[READ], 16);
	ck_assert_uint_eq(st->ticks_ms[READ], 5 + 2);
	ck_assert_uint_eq(st->io_ticks_ms, 5);
	ck_assert_uint_eq(st->in_flight, 0);
	ck_assert_uint_eq(st->bios[READ], 2);
	ck_assert_uint_eq(st->requests[READ], 2);
	__free_page(p);
	sim_rq_disk_destroy(sd);
}
END_TEST

/* blkdev_rw_pages: many bios in flight, the data lands in order. */
START_TEST(rw_pages_moves_a_range)
{
	struct queue_limits lim;
	struct page *p = alloc_pages(GFP_KERNEL, 7), *pages[40];
	u8 *model = malloc(40 * PAGE_SIZE);

	blk_set_default_limits(&lim);
	lim.max_sectors = 64; /* 32 KiB a request */
	sd = rq_disk_create(4, &lim);
	sd->order = SIM_RANDOM;
	for (int i = 0; i < 40; i++) {
		pages[i] = p + 3 * i; /* not contiguous */
		rq_fill(pages[i], (unsigned int)i + 50);
		memcpy(model + i * PAGE_SIZE, page_address(pages[i]),
		       PAGE_SIZE);
	}
	ck_assert_int_eq(blkdev_rw_pages(sd->disk->part0, WRITE, 7, pages,
					 40 * PAGE_SIZE - 512),
			 0);
	ck_assert_mem_eq(sd->data + 7 * 512, model, 40 * PAGE_SIZE - 512);
	ck_assert_uint_eq(sd->data[7 * 512 + 40 * PAGE_SIZE - 512], 0);
	ck_assert_uint_ge(sd->nr_log, 5);
	for (int i = 0; i < 40; i++)
		memset(page_address(pages[i]), 0, PAGE_SIZE);
	ck_assert_int_eq(blkdev_rw_pages(sd->disk->part0, READ, 7, pages,
					 40 * PAGE_SIZE - 512),
			 0);
	for (int i = 0; i < 39; i++)
		ck_assert_mem_eq(page_address(pages[i]), model + i * PAGE_SIZE,
				 PAGE_SIZE);
	/* an error anywhere is reported */
	sim_rq_disk_add_bad(sd, 100, 101, READ);
	ck_assert_int_eq(blkdev_rw_pages(sd->disk->part0, READ, 7, pages,
					 40 * PAGE_SIZE - 512),
			 -EIO);
	ck_assert_int_eq(blkdev_issue_flush(sd->disk->part0), 0);
	free(model);
	__free_pages(p, 7);
	sim_rq_disk_destroy(sd);
}
END_TEST

static void mm_setup(void)
{
	host_mm_init(64 << 20);
}

static Suite *blk_merge_suite(void)
{
	Suite *s = suite_create("blk_merge");
	TCase *tc = tcase_create("queue");

	tcase_add_checked_fixture(tc, mm_setup, NULL);

	tcase_add_test(tc, plug_back_merges_contiguous_bios);
	tcase_add_test(tc, plug_front_merges_descending_bios);
	tcase_add_test(tc, unplugged_bios_merge_into_waiting_request);
	tcase_add_test(tc, gap_or_other_direction_does_not_merge);
	tcase_add_test(tc, plug_dispatches_in_sector_order);
	tcase_add_test(tc, merge_stops_at_max_sectors);
	tcase_add_test(tc, merge_counts_physical_segments);
	tcase_add_test(tc, mixed_bios_complete_in_scrambled_order);
	tcase_add_test(tc, errors_end_exactly_the_bios_on_bad_sectors);
	tcase_add_test(tc, queue_depth_is_respected);
	tcase_add_test(tc, busy_driver_is_retried);
	tcase_add_test(tc, busy_with_nothing_in_flight_fails);
	tcase_add_test(tc, flush_is_its_own_request);
	tcase_add_test(tc, waiting_flush_takes_no_bio);
	tcase_add_test(tc, stats_count_time_and_sectors);
	tcase_add_test(tc, rw_pages_moves_a_range);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_SUITE(blk_merge_suite)
