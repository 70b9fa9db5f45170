/*
 * blktrace: the records the trace points write, read back byte by byte
 * at Linux's offsets (not through our struct), so a field in the wrong
 * place, order or width fails here: magic and version, sequence, time,
 * sector, bytes, action (category bits and action code), pid, device
 * (major << 20 | minor), cpu, error, pdu_len, the process note's name
 * and the unplug's big-endian depth. Then the event streams of the
 * queue's paths (unplugged, plugged with front, back and request
 * merges, flush, a failed request re-issued, a bio-based disk), the
 * buffer filling up, and reading versus peeking.
 */
#define _ISOC11_SOURCE 1
#include <stdlib.h>
#include <string.h>

#include "blkdev.h"
#include "blktrace_api.h"
#include "errno.h"
#include "mm.h"
#include "sched.h"
#include "fixtures/platform.h"
#include "fixtures/sim_disk.h"
#include "fixtures/sim_rq_disk.h"
#include "unit.h"

#define DISK_SECTORS 8192
#define MAX_EVENTS 4096
#define TRACE_BUF (256 * 1024)

/* Linux's numbers, written out rather than taken from our header. */
#define MAGIC_V7 0x65617407u
#define A_QUEUE 0x00100001u /* __BLK_TA_QUEUE | BLK_TC_QUEUE << 16 */
#define A_BACKMERGE 0x00100002u
#define A_FRONTMERGE 0x00100003u
#define A_GETRQ 0x00100004u
#define A_REQUEUE 0x00200006u /* | BLK_TC_REQUEUE << 16 */
#define A_ISSUE 0x00400007u /* | BLK_TC_ISSUE << 16 */
#define A_COMPLETE 0x00800008u /* | BLK_TC_COMPLETE << 16 */
/* P and U carry no direction: Linux marks them READ (its op 0) */
#define A_PLUG 0x00100009u
#define A_UNPLUG_IO 0x0010000au
#define A_UNPLUG_TIMER 0x0010000bu
#define A_INSERT 0x0010000cu
#define TC_READ 0x00010000u
#define TC_WRITE 0x00020000u
#define TC_FLUSH 0x00040000u
#define TC_SYNC 0x00080000u
#define TC_FS 0x01000000u /* a request, not a bio */
#define TC_AHEAD 0x08000000u
#define TC_META 0x10000000u
#define N_PROCESS 0x04000000u /* __BLK_TN_PROCESS | BLK_TC_NOTIFY << 16 */
#define DEV_252_16 0x0fc00010u /* vdb: MKDEV(252, 16) */

struct ev {
	u32 magic, sequence;
	u64 time, sector;
	u32 bytes, action, pid, device, cpu;
	u16 error, pdu_len;
	const u8 *pdu;
};

static struct sim_rq_disk *sd;
static u8 *raw;
static struct ev evs[MAX_EVENTS];
static unsigned int nr_evs;

static u64 get_le(const u8 *p, unsigned int n)
{
	u64 v = 0;

	while (n--)
		v = v << 8 | p[n];
	return v;
}

/* Take everything buffered and decode it at Linux's byte offsets. */
static void drain(void)
{
	size_t len = blk_trace_read(sd->disk, raw, TRACE_BUF), off = 0;

	nr_evs = 0;
	while (off < len) {
		const u8 *p = raw + off;
		struct ev *e = &evs[nr_evs++];

		ck_assert_uint_le(nr_evs, MAX_EVENTS);
		ck_assert_uint_ge(len - off, 48);
		e->magic = (u32)get_le(p + 0, 4);
		e->sequence = (u32)get_le(p + 4, 4);
		e->time = get_le(p + 8, 8);
		e->sector = get_le(p + 16, 8);
		e->bytes = (u32)get_le(p + 24, 4);
		e->action = (u32)get_le(p + 28, 4);
		e->pid = (u32)get_le(p + 32, 4);
		e->device = (u32)get_le(p + 36, 4);
		e->cpu = (u32)get_le(p + 40, 4);
		e->error = (u16)get_le(p + 44, 2);
		e->pdu_len = (u16)get_le(p + 46, 2);
		e->pdu = p + 48;
		off += 48 + e->pdu_len;
		ck_assert_uint_le(off, len);
	}
}

/* The events' actions, notes left out, must be exactly these. */
static void expect_actions(const u32 *want, unsigned int n)
{
	unsigned int j = 0;

	for (unsigned int i = 0; i < nr_evs; i++) {
		if (evs[i].action == N_PROCESS)
			continue;
		ck_assert_msg(j < n, "more events than the %u expected", n);
		ck_assert_msg(evs[i].action == want[j],
			      "event %u: action %#x, expected %#x", j,
			      evs[i].action, want[j]);
		j++;
	}
	ck_assert_uint_eq(j, n);
}

/* The nth event that is not a note. */
static const struct ev *event(unsigned int n)
{
	for (unsigned int i = 0; i < nr_evs; i++)
		if (evs[i].action != N_PROCESS && !n--)
			return &evs[i];
	ck_abort_msg("no such event");
	return NULL;
}

static void start_traced_disk(unsigned int depth)
{
	host_mm_init(64 << 20);
	sd = sim_rq_disk_create("vd", DISK_SECTORS, depth, NULL, NULL);
	sd->disk->major = 252;
	sd->disk->first_minor = 16;
	raw = malloc(TRACE_BUF);
	ck_assert_ptr_nonnull(raw);
	ck_assert_int_eq(blk_trace_setup(sd->disk, BLK_TRACE_MIN_KIB), 0);
	ck_assert_int_eq(blk_trace_startstop(sd->disk, true), 0);
}

static void stop_disk(void)
{
	sim_rq_disk_destroy(sd); /* blk_cleanup_queue frees the trace */
	free(raw);
}

static void end_io(struct bio *bio)
{
	bio_put(bio);
}

static void submit(int rw, sector_t sector, struct page *page,
		   unsigned int bytes)
{
	struct bio *bio = bio_alloc(GFP_KERNEL, 1);

	ck_assert_ptr_nonnull(bio);
	bio->bi_bdev = sd->disk->part0;
	bio->bi_sector = sector;
	bio->bi_end_io = end_io;
	if (bytes)
		ck_assert_int_eq(bio_add_page(bio, page, bytes, 0), (int)bytes);
	submit_bio(rw, bio);
}

START_TEST(record_layout_is_linux_v7)
{
	struct page *page;
	const struct ev *q, *c;

	start_traced_disk(4);
	page = alloc_page(GFP_KERNEL);
	host_advance_clock(1000);
	submit(READ, 100, page, 4096);
	host_advance_clock(250);
	host_run_pending();
	drain();
	/* the thread's name first, then Q G I D C */
	ck_assert_uint_eq(evs[0].action, N_PROCESS);
	ck_assert_uint_eq(evs[0].sequence, 0);
	ck_assert_uint_eq(evs[0].pdu_len, 16);
	ck_assert_str_eq((const char *)evs[0].pdu, "unit-test");
	ck_assert_uint_eq(evs[0].pdu[15], 0);
	ck_assert_uint_eq(evs[0].pid, 0);
	ck_assert_uint_eq(evs[0].device, DEV_252_16);
	expect_actions((const u32[]){ A_QUEUE | TC_READ, A_GETRQ | TC_READ,
				      A_INSERT | TC_READ | TC_FS,
				      A_ISSUE | TC_READ | TC_FS,
				      A_COMPLETE | TC_READ | TC_FS },
		       5);
	for (unsigned int i = 0; i < nr_evs; i++) {
		ck_assert_uint_eq(evs[i].magic, MAGIC_V7);
		ck_assert_uint_eq(evs[i].device, DEV_252_16);
		ck_assert_uint_eq(evs[i].cpu, 0);
		ck_assert_uint_eq(evs[i].error, 0);
	}
	for (unsigned int i = 0; i < 5; i++) {
		ck_assert_uint_eq(event(i)->sequence, i + 1);
		ck_assert_uint_eq(event(i)->pdu_len, 0);
		ck_assert_uint_eq(event(i)->sector, 100);
		ck_assert_uint_eq(event(i)->bytes, 4096);
	}
	q = event(0);
	c = event(4);
	ck_assert_uint_eq(q->time, 1000);
	ck_assert_uint_eq(c->time, 1250);
	/* in the CPU's order, as Linux writes it: here little-endian */
	ck_assert_mem_eq(raw, "\x07\x74\x61\x65", 4);
	__free_page(page);
	stop_disk();
}
END_TEST

START_TEST(flags_become_categories)
{
	struct page *page;

	start_traced_disk(4);
	page = alloc_page(GFP_KERNEL);
	submit(WRITE | REQ_SYNC | REQ_META, 8, page, 1024);
	submit(READ | REQ_RAHEAD, 16, page, 512);
	submit(WRITE | REQ_FLUSH, 0, NULL, 0);
	host_run_pending();
	drain();
	ck_assert_uint_eq(event(0)->action,
			  A_QUEUE | TC_WRITE | TC_SYNC | TC_META);
	ck_assert_uint_eq(event(0)->bytes, 1024);
	/* each Q G I D, then the three complete in order */
	ck_assert_uint_eq(event(4)->action, A_QUEUE | TC_READ | TC_AHEAD);
	ck_assert_uint_eq(event(7)->action,
			  A_ISSUE | TC_READ | TC_AHEAD | TC_FS);
	ck_assert_uint_eq(event(8)->action, A_QUEUE | TC_WRITE | TC_FLUSH);
	ck_assert_uint_eq(event(8)->bytes, 0);
	ck_assert_uint_eq(event(12)->action,
			  A_COMPLETE | TC_WRITE | TC_SYNC | TC_META | TC_FS);
	ck_assert_uint_eq(event(14)->action,
			  A_COMPLETE | TC_WRITE | TC_FLUSH | TC_FS);
	__free_page(page);
	stop_disk();
}
END_TEST

/*
 * Under a plug: P with the first request, then a front merge, a back
 * merge, and a bio that joins two plugged requests (the second is
 * absorbed: a request merge, M with the request bit); the flush gives
 * U with the depth as a big-endian u64.
 */
START_TEST(plug_and_merges)
{
	struct page *pages;
	struct blk_plug plug;
	const struct ev *u;

	start_traced_disk(4);
	pages = alloc_pages(GFP_KERNEL, 3);
	blk_start_plug(&plug);
	submit(READ, 16, pages + 2, 4096); /* Q G P */
	submit(READ, 8, pages + 1, 4096); /* Q F */
	submit(READ, 24, pages + 3, 4096); /* Q M */
	submit(READ, 48, pages + 4, 4096); /* Q G */
	submit(READ, 40, pages + 5, 4096); /* Q F */
	/* Q F: the newest request first; then 8..31 absorbs 32..55 */
	submit(READ, 32, pages + 6, 4096);
	blk_finish_plug(&plug);
	host_run_pending();
	drain();
	expect_actions(
		(const u32[]){
			A_QUEUE | TC_READ, A_GETRQ | TC_READ, A_PLUG | TC_READ,
			A_QUEUE | TC_READ, A_FRONTMERGE | TC_READ,
			A_QUEUE | TC_READ, A_BACKMERGE | TC_READ,
			A_QUEUE | TC_READ, A_GETRQ | TC_READ, A_QUEUE | TC_READ,
			A_FRONTMERGE | TC_READ, A_QUEUE | TC_READ,
			A_FRONTMERGE | TC_READ, A_BACKMERGE | TC_READ | TC_FS,
			A_UNPLUG_IO | TC_READ, A_INSERT | TC_READ | TC_FS,
			A_ISSUE | TC_READ | TC_FS,
			A_COMPLETE | TC_READ | TC_FS },
		18);
	/* the absorbed request: 32 + 24 sectors */
	ck_assert_uint_eq(event(13)->sector, 32);
	ck_assert_uint_eq(event(13)->bytes, 12288);
	u = event(14);
	ck_assert_uint_eq(u->pdu_len, 8);
	ck_assert_mem_eq(u->pdu, "\0\0\0\0\0\0\0\x01", 8);
	ck_assert_uint_eq(u->sector, 0);
	ck_assert_uint_eq(u->bytes, 0);
	ck_assert_uint_eq(event(16)->sector, 8);
	ck_assert_uint_eq(event(16)->bytes, 48 << 9);
	ck_assert_uint_eq(event(17)->bytes, 48 << 9);
	__free_pages(pages, 3);
	stop_disk();
}
END_TEST

/*
 * A failed merged request completes with its error (-EIO as 16 bits),
 * then each bio goes again as a request of its own: G I D C each.
 */
START_TEST(failed_request_and_retries)
{
	struct page *pages;
	struct blk_plug plug;

	start_traced_disk(4);
	pages = alloc_pages(GFP_KERNEL, 1);
	sim_rq_disk_add_bad(sd, 8, 9, READ);
	blk_start_plug(&plug);
	submit(READ, 0, pages, 4096);
	submit(READ, 8, pages + 1, 4096);
	blk_finish_plug(&plug);
	host_run_pending();
	drain();
	expect_actions(
		(const u32[]){
			A_QUEUE | TC_READ, A_GETRQ | TC_READ, A_PLUG | TC_READ,
			A_QUEUE | TC_READ, A_BACKMERGE | TC_READ,
			A_UNPLUG_IO | TC_READ, A_INSERT | TC_READ | TC_FS,
			A_ISSUE | TC_READ | TC_FS, A_COMPLETE | TC_READ | TC_FS,
			/* the first bio alone: fine */
			A_GETRQ | TC_READ, A_INSERT | TC_READ | TC_FS,
			A_ISSUE | TC_READ | TC_FS, A_COMPLETE | TC_READ | TC_FS,
			/* the second alone: fails again */
			A_GETRQ | TC_READ, A_INSERT | TC_READ | TC_FS,
			A_ISSUE | TC_READ | TC_FS,
			A_COMPLETE | TC_READ | TC_FS },
		17);
	ck_assert_uint_eq(event(8)->error, (u16)-EIO);
	ck_assert_uint_eq(event(8)->bytes, 8192);
	ck_assert_uint_eq(event(12)->error, 0);
	ck_assert_uint_eq(event(12)->sector, 0);
	ck_assert_uint_eq(event(16)->error, 0xfffb);
	ck_assert_uint_eq(event(16)->sector, 8);
	__free_pages(pages, 1);
	stop_disk();
}
END_TEST

/* The driver says -EBUSY: D, R (back to the queue), D again, C. */
START_TEST(busy_driver_requeues)
{
	struct page *page;

	start_traced_disk(4);
	page = alloc_page(GFP_KERNEL);
	sd->hold = true;
	submit(READ, 0, page, 4096);
	sd->busy_every = 1;
	submit(READ, 64, page, 4096);
	sd->busy_every = 0;
	sd->hold = false;
	host_run_pending();
	drain();
	expect_actions(
		(const u32[]){
			A_QUEUE | TC_READ, A_GETRQ | TC_READ,
			A_INSERT | TC_READ | TC_FS, A_ISSUE | TC_READ | TC_FS,
			A_QUEUE | TC_READ, A_GETRQ | TC_READ,
			A_INSERT | TC_READ | TC_FS, A_ISSUE | TC_READ | TC_FS,
			A_REQUEUE | TC_READ | TC_FS,
			A_COMPLETE | TC_READ | TC_FS, A_ISSUE | TC_READ | TC_FS,
			A_COMPLETE | TC_READ | TC_FS },
		12);
	ck_assert_uint_eq(event(8)->sector, 64);
	__free_page(page);
	stop_disk();
}
END_TEST

/* A plug flushed because its owner sleeps is UT; by itself, U. */
START_TEST(unplug_on_sleep_is_timer_unplug)
{
	struct page *page;
	struct blk_plug plug;

	start_traced_disk(4);
	page = alloc_page(GFP_KERNEL);
	blk_start_plug(&plug);
	submit(READ, 0, page, 4096);
	schedule_timeout_ns(1000); /* sleeps: schedule() flushes the plug */
	submit(READ, 64, page, 4096);
	blk_finish_plug(&plug);
	host_run_pending();
	drain();
	expect_actions(
		(const u32[]){
			A_QUEUE | TC_READ, A_GETRQ | TC_READ, A_PLUG | TC_READ,
			A_UNPLUG_TIMER | TC_READ, A_INSERT | TC_READ | TC_FS,
			A_ISSUE | TC_READ | TC_FS, A_COMPLETE | TC_READ | TC_FS,
			A_QUEUE | TC_READ, A_GETRQ | TC_READ, A_PLUG | TC_READ,
			A_UNPLUG_IO | TC_READ, A_INSERT | TC_READ | TC_FS,
			A_ISSUE | TC_READ | TC_FS,
			A_COMPLETE | TC_READ | TC_FS },
		14);
	__free_page(page);
	stop_disk();
}
END_TEST

/* A bio-based queue has no requests: Q, then C from bio_endio. */
START_TEST(bio_based_disk_completes_bios)
{
	struct sim_disk *bd;
	struct page *page;
	struct bio *bio;

	host_mm_init(64 << 20);
	page = alloc_page(GFP_KERNEL);
	bd = sim_disk_create(DISK_SECTORS, 1024);
	raw = malloc(TRACE_BUF);
	ck_assert_int_eq(blk_trace_setup(&bd->disk, BLK_TRACE_MIN_KIB), 0);
	ck_assert_int_eq(blk_trace_startstop(&bd->disk, true), 0);
	bio = bio_alloc(GFP_KERNEL, 1);
	bio->bi_bdev = &bd->bdev;
	bio->bi_sector = 24;
	bio->bi_end_io = end_io;
	bio_add_page(bio, page, 2048, 0);
	submit_bio(READ, bio);
	sim_disk_drain(bd);
	sd = &(struct sim_rq_disk){ .disk = &bd->disk };
	drain();
	expect_actions((const u32[]){ A_QUEUE | TC_READ, A_COMPLETE | TC_READ },
		       2);
	ck_assert_uint_eq(event(0)->bytes, 2048);
	ck_assert_uint_eq(event(1)->sector, 24);
	/* what the driver left in bi_size: the sim disk counts it down */
	ck_assert_uint_eq(event(1)->bytes, 0);
	sim_disk_destroy(bd);
	free(raw);
	__free_page(page);
}
END_TEST

/*
 * A full buffer drops new events and counts them (the sequence still
 * advances: blkparse sees the gap); reading makes room again; a stopped
 * trace records nothing; each start names the thread again.
 */
START_TEST(full_buffer_drops_and_reading_frees)
{
	/* 128 KiB: two 64 KiB sub-buffers; the note (64 bytes) and 1364
	 * records fill the first exactly, 1365 records the second. */
	const unsigned long fit = 1 + 1364 + 1365;
	/* 64 requests get a tag (Q G I D), the rest wait (Q G I) */
	const unsigned long tried = 1 + 4 * 64 + 3 * (900 - 64);
	struct page *page;
	struct blk_trace_info info;
	struct blk_trace_cursor cur = { 0 };
	u8 one[64];
	unsigned long peeked = 0;
	u32 last_seq;

	start_traced_disk(64);
	page = alloc_page(GFP_KERNEL);
	sd->hold = true;
	/* 16 sectors apart: no two merge */
	for (int i = 0; i < 900; i++)
		submit(READ, 16 * (sector_t)(i % 256), page, 4096);
	blk_trace_get_info(sd->disk, &info);
	ck_assert_uint_eq(info.events, fit);
	ck_assert_uint_eq(info.dropped, tried - fit);
	ck_assert_uint_eq(info.size, 128 * 1024);
	ck_assert_uint_eq(info.buffered, 65536 + 48 * 1365);
	while (blk_trace_peek(sd->disk, &cur, one, sizeof(one)))
		peeked++;
	ck_assert_uint_eq(peeked, fit);
	/* peeking took nothing: reading gets all of it */
	ck_assert_uint_eq(blk_trace_read(sd->disk, raw, TRACE_BUF),
			  64 + 48 * (fit - 1));
	ck_assert_uint_eq(blk_trace_read(sd->disk, raw, TRACE_BUF), 0);
	sd->hold = false;
	host_run_pending(); /* every request completes: room again */
	drain();
	ck_assert_uint_eq(nr_evs, 64 + 2 * (900 - 64));
	last_seq = evs[nr_evs - 1].sequence;
	/* the sequence counted the dropped events too */
	ck_assert_uint_eq(last_seq, tried - 1 + nr_evs);
	ck_assert_int_eq(blk_trace_startstop(sd->disk, false), 0);
	submit(READ, 0, page, 4096);
	host_run_pending();
	ck_assert_uint_eq(blk_trace_read(sd->disk, raw, TRACE_BUF), 0);
	ck_assert_int_eq(blk_trace_startstop(sd->disk, true), 0);
	submit(READ, 0, page, 4096);
	host_run_pending();
	drain();
	ck_assert_uint_eq(evs[0].action, N_PROCESS);
	ck_assert_uint_eq(event(0)->sequence, last_seq + 1);
	__free_page(page);
	stop_disk();
}
END_TEST

static Suite *blktrace_suite(void)
{
	Suite *s = suite_create("blktrace");
	TCase *tc = tcase_create("records");

	tcase_add_test(tc, record_layout_is_linux_v7);
	tcase_add_test(tc, flags_become_categories);
	tcase_add_test(tc, plug_and_merges);
	tcase_add_test(tc, failed_request_and_retries);
	tcase_add_test(tc, busy_driver_requeues);
	tcase_add_test(tc, unplug_on_sleep_is_timer_unplug);
	tcase_add_test(tc, bio_based_disk_completes_bios);
	tcase_add_test(tc, full_buffer_drops_and_reading_frees);
	suite_add_tcase(s, tc);
	return s;
}
UNIT_SUITE(blktrace_suite)
