/*
 * Errors in merged requests: a request merged from several bios that
 * fails is re-issued bio by bio (REQ_NOMERGE), so exactly the bios that
 * touch a bad sector end with -EIO and the others succeed with the right
 * data; a bio is retried at most once, one at a time, and retries never
 * merge again. A lone bio the device had to itself, and a readahead
 * bio, are not retried at all.
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

#define MAX_BIOS 64

static struct sim_rq_disk *sd;

/* A disk holding a known image, so a read that goes wrong is seen. */
static void setup_disk(unsigned int depth)
{
	sd = rq_disk_create(depth, NULL);
	for (size_t i = 0; i < (size_t)RQ_DISK_SECTORS * SECTOR_SIZE; i++)
		sd->data[i] = (u8)(i * 13 + (i >> 9));
}

/* A bio of sectors sectors at sector, from buf (inside one page). */
static void submit_buf(unsigned long rw, sector_t sector, unsigned int sectors,
		       u8 *buf, struct rq_io *io)
{
	rq_submit(sd, rw, sector, virt_to_page(buf),
		  (unsigned int)((uintptr_t)buf & (PAGE_SIZE - 1)),
		  sectors * SECTOR_SIZE, io);
}

/* Under one plug, n bios of a page each from buf on, adjacent from first. */
static void submit_plugged(unsigned long rw, sector_t first, int n, u8 *buf,
			   struct rq_io *io)
{
	struct blk_plug plug;

	blk_start_plug(&plug);
	for (int i = 0; i < n; i++)
		submit_buf(rw, first + 8 * (sector_t)i, 8, buf + i * PAGE_SIZE,
			   &io[i]);
	blk_finish_plug(&plug);
}

static u8 *disk_at(sector_t sector)
{
	return sd->data + (sector << SECTOR_SHIFT);
}

/* Requests in the log that cover sector. */
static unsigned int logged_over(sector_t sector)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < sd->nr_log; i++)
		if (sd->log[i].sector <= sector &&
		    sector < sd->log[i].sector +
				     (sd->log[i].data_len >> SECTOR_SHIFT))
			n++;
	return n;
}

static void check_stats_balance(int rw)
{
	const struct disk_stats *st = &sd->disk->stats;

	ck_assert_uint_eq(st->in_flight, 0);
	ck_assert_uint_eq(st->bios[rw],
			  st->requests[rw] + st->merges[rw] - st->retries);
}

/* Four adjacent 8-sector bios in one plug; the second touches 203. */
START_TEST(merged_read_fails_only_the_bio_on_the_bad_sector)
{
	struct page *p = alloc_pages(GFP_KERNEL, 2);
	u8 *buf = page_address(p);
	struct rq_io io[4];

	setup_disk(8);
	sim_rq_disk_add_bad(sd, 203, 204, READ);
	memset(buf, 0xee, 4 * PAGE_SIZE);
	submit_plugged(READ, 192, 4, buf, io);
	host_run_pending();
	/* one merged command, then each bio alone, never merged again */
	ck_assert_uint_eq(sd->nr_log, 5);
	ck_assert_uint_eq(sd->log[0].nr_bios, 4);
	for (unsigned int i = 1; i < 5; i++) {
		ck_assert_uint_eq(sd->log[i].nr_bios, 1);
		ck_assert(sd->log[i].cmd_flags & REQ_NOMERGE);
	}
	for (int i = 0; i < 4; i++) {
		ck_assert(io[i].done);
		ck_assert_int_eq(io[i].status, i == 1 ? -EIO : 0);
		if (i != 1)
			ck_assert_mem_eq(buf + i * PAGE_SIZE,
					 disk_at(192 + 8 * (sector_t)i),
					 PAGE_SIZE);
	}
	ck_assert_uint_eq(sd->nr_failed, 2);
	ck_assert_uint_eq(sd->disk->stats.errors, 2);
	ck_assert_uint_eq(sd->disk->stats.retries, 4);
	check_stats_balance(READ);
	__free_pages(p, 2);
	sim_rq_disk_destroy(sd);
}
END_TEST

START_TEST(merged_write_fails_only_the_bio_on_the_bad_sector)
{
	struct page *p = alloc_pages(GFP_KERNEL, 2);
	u8 *buf = page_address(p);
	u8 *old = malloc(PAGE_SIZE);
	struct rq_io io[4];
	struct blk_plug plug;

	setup_disk(8);
	sim_rq_disk_add_bad(sd, 216, 217, WRITE);
	for (size_t i = 0; i < 4 * PAGE_SIZE; i++)
		buf[i] = (u8)(i * 7 + 1);
	memcpy(old, disk_at(216), PAGE_SIZE);
	blk_start_plug(&plug);
	for (int i = 3; i >= 0; i--) /* front merges this time */
		submit_buf(WRITE, 192 + 8 * (sector_t)i, 8, buf + i * PAGE_SIZE,
			   &io[i]);
	blk_finish_plug(&plug);
	host_run_pending();
	ck_assert_uint_eq(sd->log[0].nr_bios, 4);
	for (int i = 0; i < 4; i++) {
		ck_assert_int_eq(io[i].status, i == 3 ? -EIO : 0);
		if (i != 3)
			ck_assert_mem_eq(disk_at(192 + 8 * (sector_t)i),
					 buf + i * PAGE_SIZE, PAGE_SIZE);
	}
	/* the failed bio's sectors are as they were */
	ck_assert_mem_eq(disk_at(216), old, PAGE_SIZE);
	check_stats_balance(WRITE);
	free(old);
	__free_pages(p, 2);
	sim_rq_disk_destroy(sd);
}
END_TEST

/*
 * Many small adjacent bios, two bad sectors, completion in random
 * order: exactly the bios touching a bad sector fail.
 */
START_TEST(many_merged_bios_in_random_order)
{
	struct page *p = alloc_pages(GFP_KERNEL, 4);
	u8 *buf = page_address(p);
	struct rq_io io[MAX_BIOS];
	unsigned int start[MAX_BIOS], len[MAX_BIOS];
	sector_t base = 1000, bad1 = 1017, bad2 = 1090;
	unsigned int s = 0, n = 0, failed = 0;
	struct blk_plug plug;

	setup_disk(4);
	sd->order = SIM_RANDOM;
	sim_rq_disk_add_bad(sd, bad1, bad1 + 1, READ);
	sim_rq_disk_add_bad(sd, bad2, bad2 + 1, READ);
	memset(buf, 0, 16 * PAGE_SIZE);
	/* 1..8 sectors each, none crossing a page */
	while (s < 120 && n < MAX_BIOS) {
		unsigned int l = 1 + (n * 5 + 3) % 8;

		if ((s % 8) + l > 8)
			l = 8 - s % 8;
		start[n] = s;
		len[n] = l;
		s += l;
		n++;
	}
	blk_start_plug(&plug);
	for (unsigned int i = 0; i < n; i++)
		submit_buf(READ, base + start[i], len[i],
			   buf + start[i] * SECTOR_SIZE, &io[i]);
	blk_finish_plug(&plug);
	host_run_pending();
	for (unsigned int i = 0; i < n; i++) {
		sector_t a = base + start[i], e = a + len[i];
		bool touches = (a <= bad1 && bad1 < e) ||
			       (a <= bad2 && bad2 < e);

		ck_assert(io[i].done);
		ck_assert_int_eq(io[i].status, touches ? -EIO : 0);
		failed += io[i].status != 0;
		if (!touches)
			ck_assert_mem_eq(buf + start[i] * SECTOR_SIZE,
					 disk_at(a), len[i] * SECTOR_SIZE);
	}
	ck_assert_uint_eq(failed, 2);
	/* each bad sector: once in its merged request, once alone */
	ck_assert_uint_eq(logged_over(bad1), 2);
	ck_assert_uint_eq(logged_over(bad2), 2);
	check_stats_balance(READ);
	__free_pages(p, 4);
	sim_rq_disk_destroy(sd);
}
END_TEST

/*
 * A bio alone on the device failed on its own sectors: no second try
 * (it would only touch the bad sector again).
 */
START_TEST(lone_bio_is_not_retried)
{
	struct page *p = alloc_pages(GFP_KERNEL, 0);
	struct rq_io io;

	setup_disk(8);
	sim_rq_disk_add_bad(sd, 50, 51, READ);
	submit_buf(READ, 48, 8, page_address(p), &io);
	host_run_pending();
	ck_assert(io.done);
	ck_assert_int_eq(io.status, -EIO);
	ck_assert_uint_eq(sd->nr_log, 1);
	ck_assert_uint_eq(sd->disk->stats.retries, 0);
	check_stats_balance(READ);
	__free_page(p);
	sim_rq_disk_destroy(sd);
}
END_TEST

/*
 * A bio whose request was on the device beside an adjacent one (which
 * the device may have merged it with) is tried once more, alone, and
 * the neighbour's status is its own.
 */
START_TEST(bio_beside_adjacent_request_is_retried_once)
{
	struct page *p = alloc_pages(GFP_KERNEL, 1);
	u8 *buf = page_address(p);
	struct rq_io io[2];

	setup_disk(8);
	sim_rq_disk_add_bad(sd, 50, 51, READ);
	sd->hold = true;
	/* Unplugged: each is dispatched at once, both in flight together. */
	submit_buf(READ, 40, 8, buf, &io[0]);
	submit_buf(READ, 48, 8, buf + PAGE_SIZE, &io[1]);
	ck_assert_uint_eq(sd->nr_inflight, 2);
	sd->hold = false;
	host_run_pending();
	ck_assert(io[0].done && io[1].done);
	ck_assert_int_eq(io[0].status, 0);
	ck_assert_int_eq(io[1].status, -EIO);
	ck_assert_mem_eq(buf, disk_at(40), 8 * SECTOR_SIZE);
	ck_assert_uint_eq(sd->nr_log, 3);
	ck_assert_uint_eq(sd->log[2].sector, 48);
	ck_assert(sd->log[2].cmd_flags & REQ_NOMERGE);
	ck_assert_uint_eq(sd->disk->stats.retries, 1);
	check_stats_balance(READ);
	__free_pages(p, 1);
	sim_rq_disk_destroy(sd);
}
END_TEST

/*
 * A failed request merged from a readahead bio and a read someone waits
 * for: the readahead bio ends with the error at once (its reader will
 * read again), the other is retried alone and succeeds.
 */
START_TEST(readahead_bio_is_not_retried)
{
	struct page *p = alloc_pages(GFP_KERNEL, 1);
	u8 *buf = page_address(p);
	struct rq_io io[2];
	struct blk_plug plug;

	setup_disk(8);
	sim_rq_disk_add_bad(sd, 3, 4, READ);
	blk_start_plug(&plug);
	submit_buf(READ | REQ_RAHEAD, 0, 8, buf, &io[0]);
	submit_buf(READ, 8, 8, buf + PAGE_SIZE, &io[1]);
	blk_finish_plug(&plug);
	host_run_pending();
	ck_assert(io[0].done && io[1].done);
	ck_assert_int_eq(io[0].status, -EIO);
	ck_assert_int_eq(io[1].status, 0);
	ck_assert_mem_eq(buf + PAGE_SIZE, disk_at(8), 8 * SECTOR_SIZE);
	/* the merged request, then the other bio alone: sector 3 once */
	ck_assert_uint_eq(sd->nr_log, 2);
	ck_assert_uint_eq(sd->log[0].nr_bios, 2);
	ck_assert_uint_eq(sd->log[1].sector, 8);
	ck_assert_uint_eq(logged_over(3), 1);
	ck_assert_uint_eq(sd->disk->stats.retries, 1);
	check_stats_balance(READ);
	__free_pages(p, 1);
	sim_rq_disk_destroy(sd);
}
END_TEST

/*
 * The bios of a failed request go back one at a time, the next when the
 * last has ended: a device that merges adjacent commands on its own
 * (QEMU's virtio-blk) must not get the chance to fail them together.
 */
START_TEST(retries_go_one_at_a_time)
{
	struct page *p = alloc_pages(GFP_KERNEL, 2);
	u8 *buf = page_address(p);
	struct rq_io io[3];

	setup_disk(8);
	sim_rq_disk_add_bad(sd, 300, 301, READ);
	sd->hold = true;
	submit_plugged(READ, 296, 3, buf, io);
	ck_assert_uint_eq(sd->nr_inflight, 1);
	for (unsigned int i = 1; i <= 3; i++) {
		ck_assert(sim_rq_disk_complete_one(sd));
		/* the next bio alone, and nothing else, is on the device */
		ck_assert_uint_eq(sd->nr_log, i + 1);
		ck_assert_uint_eq(sd->nr_inflight, 1);
		ck_assert_uint_eq(sd->log[i].sector, 296 + 8 * (i - 1));
		ck_assert_uint_eq(sd->log[i].nr_bios, 1);
	}
	ck_assert(sim_rq_disk_complete_one(sd));
	ck_assert_uint_eq(sd->nr_inflight, 0);
	sd->hold = false;
	for (int i = 0; i < 3; i++) {
		ck_assert(io[i].done);
		ck_assert_int_eq(io[i].status, i == 0 ? -EIO : 0);
	}
	ck_assert_mem_eq(buf + PAGE_SIZE, disk_at(304), 2 * PAGE_SIZE);
	check_stats_balance(READ);
	__free_pages(p, 2);
	sim_rq_disk_destroy(sd);
}
END_TEST

/* A bio submitted with REQ_NOMERGE stays a request of its own. */
START_TEST(nomerge_bio_is_not_merged)
{
	struct page *p = alloc_pages(GFP_KERNEL, 2);
	u8 *buf = page_address(p);
	struct rq_io io[3];
	struct blk_plug plug;

	setup_disk(8);
	blk_start_plug(&plug);
	submit_buf(READ, 0, 8, buf, &io[0]);
	/* neither joins the request before it, nor takes the one after */
	submit_buf(READ | REQ_NOMERGE, 8, 8, buf + PAGE_SIZE, &io[1]);
	submit_buf(READ, 16, 8, buf + 2 * PAGE_SIZE, &io[2]);
	blk_finish_plug(&plug);
	host_run_pending();
	ck_assert_uint_eq(sd->nr_log, 3);
	ck_assert_uint_eq(sd->disk->stats.merges[READ], 0);
	for (int i = 0; i < 3; i++)
		ck_assert_int_eq(io[i].status, 0);
	__free_pages(p, 2);
	sim_rq_disk_destroy(sd);
}
END_TEST

/*
 * A merged request the driver cannot take (-EBUSY with nothing in
 * flight) is split like a failed one, and each part fails in turn:
 * the loop ends.
 */
START_TEST(busy_merged_request_ends)
{
	struct page *p = alloc_pages(GFP_KERNEL, 2);
	u8 *buf = page_address(p);
	struct rq_io io[3];

	setup_disk(4);
	sd->busy_every = 1;
	submit_plugged(READ, 0, 3, buf, io);
	host_run_pending();
	for (int i = 0; i < 3; i++) {
		ck_assert(io[i].done);
		ck_assert_int_eq(io[i].status, -EIO);
	}
	/* the merged one and each bio: at most two tries apiece */
	ck_assert_uint_le(sd->calls, 8);
	sd->busy_every = 0;
	__free_pages(p, 2);
	sim_rq_disk_destroy(sd);
}
END_TEST

static void mm_setup(void)
{
	host_mm_init(64 << 20);
}

static Suite *blk_retry_suite(void)
{
	Suite *s = suite_create("blk_retry");
	TCase *tc = tcase_create("errors");

	tcase_add_checked_fixture(tc, mm_setup, NULL);
	tcase_add_test(tc, merged_read_fails_only_the_bio_on_the_bad_sector);
	tcase_add_test(tc, merged_write_fails_only_the_bio_on_the_bad_sector);
	tcase_add_test(tc, many_merged_bios_in_random_order);
	tcase_add_test(tc, lone_bio_is_not_retried);
	tcase_add_test(tc, bio_beside_adjacent_request_is_retried_once);
	tcase_add_test(tc, readahead_bio_is_not_retried);
	tcase_add_test(tc, retries_go_one_at_a_time);
	tcase_add_test(tc, nomerge_bio_is_not_merged);
	tcase_add_test(tc, busy_merged_request_ends);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_SUITE(blk_retry_suite)
