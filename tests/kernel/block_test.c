/*
 * In-kernel block layer cases on the first real disk (virtio or AHCI);
 * without one each case is skipped. Reads compare what bios of
 * different shapes return for the same sectors; the one write case
 * uses the last 64 KiB of the disk and puts the old data back.
 */
#include "blkdev.h"
#include "errno.h"
#include "kunit.h"
#include "mm.h"
#include "string.h"
#include "wait.h"

#define AREA_PAGES 16

static struct gendisk *first_disk(struct kunit *test)
{
	struct gendisk *d = NULL;

	while ((d = disk_next(d)))
		if (d->bus &&
		    (!strcmp(d->bus, "virtio") || !strcmp(d->bus, "ahci")))
			return d;
	kunit_skip(test, "no virtio or AHCI disk");
	return NULL;
}

struct area {
	struct page *mem; /* order 5: two buffers of AREA_PAGES */
	struct page *a[AREA_PAGES], *b[AREA_PAGES];
	sector_t sector;
};

/* The last AREA_PAGES pages of the disk, with buffers a (odd pages) and b. */
static bool area_get(struct kunit *test, struct gendisk *d, struct area *ar)
{
	ar->mem = alloc_pages(GFP_KERNEL, 5);
	if (!ar->mem) {
		kunit_fail(test, __FILE__, __LINE__, "no memory");
		return false;
	}
	for (int i = 0; i < AREA_PAGES; i++) {
		ar->a[i] = ar->mem + 2 * i + 1; /* never contiguous */
		ar->b[i] = ar->mem + 2 * i;
	}
	ar->sector = ALIGN_DOWN(d->capacity, 8) - AREA_PAGES * 8;
	return true;
}

static bool same(struct page **x, struct page **y)
{
	for (int i = 0; i < AREA_PAGES; i++)
		if (memcmp(page_address(x[i]), page_address(y[i]), PAGE_SIZE))
			return false;
	return true;
}

struct count {
	wait_queue_head_t wq;
	int pending, errors;
};

static void count_end_io(struct bio *bio)
{
	struct count *c = bio->bi_private;

	if (bio->bi_status)
		__atomic_add_fetch(&c->errors, 1, __ATOMIC_SEQ_CST);
	bio_put(bio);
	__atomic_sub_fetch(&c->pending, 1, __ATOMIC_SEQ_CST);
	wake_up(&c->wq);
}

static bool count_done(struct count *c)
{
	return __atomic_load_n(&c->pending, __ATOMIC_SEQ_CST) == 0;
}

/* One bio a page, all under one plug, in reverse order; errors or -ENOMEM. */
static int plugged_pages(struct gendisk *d, int rw, sector_t sector,
			 struct page **pages)
{
	struct count c = { .pending = AREA_PAGES, .errors = 0 };
	struct blk_plug plug;

	init_waitqueue_head(&c.wq);
	blk_start_plug(&plug);
	for (int i = AREA_PAGES - 1; i >= 0; i--) {
		struct bio *bio = bio_alloc(GFP_KERNEL, 1);

		if (!bio)
			return -ENOMEM; /* leaks the batch; never in practice */
		bio->bi_bdev = d->part0;
		bio->bi_sector = sector + 8 * (sector_t)i;
		bio->bi_end_io = count_end_io;
		bio->bi_private = &c;
		bio_add_page(bio, pages[i], PAGE_SIZE, 0);
		submit_bio(rw, bio);
	}
	blk_finish_plug(&plug);
	wait_event(c.wq, count_done(&c));
	return c.errors;
}

static void block_plug_merges_reads_test(struct kunit *test)
{
	struct gendisk *d = first_disk(test);
	unsigned long rq0, mg0, rqs, mgs;
	struct area ar;

	if (!d || !area_get(test, d, &ar))
		return;
	KUNIT_ASSERT_EQ(test,
			blkdev_rw_pages(d->part0, READ, ar.sector, ar.b,
					AREA_PAGES * PAGE_SIZE),
			0);
	rq0 = d->stats.requests[READ];
	mg0 = d->stats.merges[READ];
	KUNIT_EXPECT_EQ(test, plugged_pages(d, READ, ar.sector, ar.a), 0);
	rqs = d->stats.requests[READ] - rq0;
	mgs = d->stats.merges[READ] - mg0;
	KUNIT_EXPECT_EQ(test, rqs + mgs, AREA_PAGES);
	/* 64 KiB in 16 segments fits one request on either driver */
	KUNIT_EXPECT_EQ(test, rqs, 1);
	KUNIT_EXPECT_TRUE(test, same(ar.a, ar.b));
	__free_pages(ar.mem, 5);
}
KUNIT_CASE(block_plug_merges_reads_test, "block.plug_merges_reads");

static void block_plug_merges_writes_test(struct kunit *test)
{
	struct gendisk *d = first_disk(test);
	struct page *save[AREA_PAGES];
	unsigned long mg0;
	struct area ar;

	if (!d || !area_get(test, d, &ar))
		return;
	for (int i = 0; i < AREA_PAGES; i++) {
		save[i] = alloc_page(GFP_KERNEL);
		KUNIT_ASSERT_TRUE(test, save[i] != NULL);
	}
	KUNIT_ASSERT_EQ(test,
			blkdev_rw_pages(d->part0, READ, ar.sector, save,
					AREA_PAGES * PAGE_SIZE),
			0);
	for (int i = 0; i < AREA_PAGES; i++) {
		u8 *p = page_address(ar.a[i]);

		for (unsigned int j = 0; j < PAGE_SIZE; j++)
			p[j] = (u8)(i * 13 + j * 5 + (j >> 9));
	}
	mg0 = d->stats.merges[WRITE];
	KUNIT_EXPECT_EQ(test, plugged_pages(d, WRITE, ar.sector, ar.a), 0);
	KUNIT_EXPECT_EQ(test, d->stats.merges[WRITE] - mg0, AREA_PAGES - 1);
	KUNIT_EXPECT_EQ(test,
			blkdev_rw_pages(d->part0, READ, ar.sector, ar.b,
					AREA_PAGES * PAGE_SIZE),
			0);
	KUNIT_EXPECT_TRUE(test, same(ar.a, ar.b));
	KUNIT_EXPECT_EQ(test,
			blkdev_rw_pages(d->part0, WRITE, ar.sector, save,
					AREA_PAGES * PAGE_SIZE),
			0);
	KUNIT_EXPECT_EQ(test, blkdev_issue_flush(d->part0), 0);
	for (int i = 0; i < AREA_PAGES; i++)
		__free_page(save[i]);
	__free_pages(ar.mem, 5);
}
KUNIT_CASE(block_plug_merges_writes_test, "block.plug_merges_writes");

static void block_partition_reads_match_disk_test(struct kunit *test)
{
	struct block_device *b = NULL, *part = NULL;
	struct page *x, *y;

	if (!first_disk(test))
		return;
	while ((b = bdev_next(b)))
		if (b->bd_partno && b->bd_nr_sectors >= 8) {
			part = b;
			break;
		}
	if (!part) {
		kunit_skip(test, "no partition");
		return;
	}
	x = alloc_page(GFP_KERNEL);
	y = alloc_page(GFP_KERNEL);
	KUNIT_ASSERT_TRUE(test, x && y);
	KUNIT_EXPECT_EQ(test, blkdev_rw_pages(part, READ, 0, &x, PAGE_SIZE), 0);
	KUNIT_EXPECT_EQ(test,
			blkdev_rw_pages(part->bd_contains, READ,
					part->bd_start_sect, &y, PAGE_SIZE),
			0);
	KUNIT_EXPECT_EQ(test,
			memcmp(page_address(x), page_address(y), PAGE_SIZE), 0);
	/* one sector past the partition's end is refused */
	KUNIT_EXPECT_EQ(test,
			blkdev_rw_pages(part, READ, part->bd_nr_sectors - 7, &x,
					PAGE_SIZE),
			-EIO);
	__free_page(x);
	__free_page(y);
}
KUNIT_CASE(block_partition_reads_match_disk_test,
	   "block.partition_reads_match_disk");

static void block_out_of_range_is_eio_test(struct kunit *test)
{
	struct gendisk *d = first_disk(test);
	struct page *p;

	if (!d)
		return;
	p = alloc_page(GFP_KERNEL);
	KUNIT_ASSERT_TRUE(test, p != NULL);
	KUNIT_EXPECT_EQ(test,
			blkdev_rw_pages(d->part0, READ, d->capacity - 7, &p,
					PAGE_SIZE),
			-EIO);
	KUNIT_EXPECT_EQ(test,
			blkdev_rw_pages(d->part0, READ, d->capacity, &p,
					SECTOR_SIZE),
			-EIO);
	/* and the disk still works */
	KUNIT_EXPECT_EQ(test,
			blkdev_rw_pages(d->part0, READ, d->capacity - 8, &p,
					PAGE_SIZE),
			0);
	KUNIT_EXPECT_EQ(test, blkdev_issue_flush(d->part0), 0);
	__free_page(p);
}
KUNIT_CASE(block_out_of_range_is_eio_test, "block.out_of_range_is_eio");

/* bio_add_page() stops exactly at the device's own limits. */
static void block_add_page_limits_test(struct kunit *test)
{
	struct gendisk *d = first_disk(test);
	const struct queue_limits *l;
	struct page *mem;
	struct bio *bio;
	unsigned int n = 0, segs_cap;

	if (!d)
		return;
	l = &d->queue->limits;
	mem = alloc_pages(GFP_KERNEL, 9); /* 2 MiB: every other page used */
	bio = bio_alloc(GFP_KERNEL, BIO_MAX_PAGES);
	KUNIT_ASSERT_TRUE(test, mem && bio);
	bio->bi_bdev = d->part0;
	KUNIT_EXPECT_EQ(test, bio_add_page(bio, mem, 100, 0), 0);
	while (n < BIO_MAX_PAGES &&
	       bio_add_page(bio, mem + 2 * n, PAGE_SIZE, 0) == PAGE_SIZE)
		n++;
	segs_cap = min_t(unsigned int, l->max_segments, BIO_MAX_PAGES);
	/* separate pages: one segment each, so the first limit hit is it */
	KUNIT_EXPECT_EQ(test, n,
			min_t(unsigned int, segs_cap, l->max_sectors / 8));
	KUNIT_EXPECT_EQ(test, bio->bi_phys_segments, n);
	KUNIT_EXPECT_TRUE(test, bio->bi_size <= l->max_sectors * 512U);
	bio_put(bio);
	__free_pages(mem, 9);
}
KUNIT_CASE(block_add_page_limits_test, "block.add_page_limits");

static void block_lookup_test(struct kunit *test)
{
	struct gendisk *d = first_disk(test);

	if (!d)
		return;
	KUNIT_EXPECT_TRUE(test, lookup_bdev(d->disk_name) == d->part0);
	KUNIT_EXPECT_TRUE(test, lookup_bdev("nosuchdisk") == NULL);
	KUNIT_EXPECT_TRUE(test, bdev_nr_sectors(d->part0) == d->capacity);
}
KUNIT_CASE(block_lookup_test, "block.lookup");
