/*
 * In-kernel driver tests on whatever disks the machine has (virtio-blk
 * and AHCI). A case with no such disk is reported as a KTAP skip.
 *
 * The concurrency cases use the last 1 MiB of each disk: they read it
 * as a reference one request at a time, then submit many bios of mixed
 * sizes at once in a shuffled order and compare; the write case writes
 * a pattern the same way, checks it, and puts the old data back.
 */
#include "bio.h"
#include "errno.h"
#include "blkdev.h"
#include "kunit.h"
#include "mm.h"
#include "pci.h"
#include "printk.h"
#include "random.h"
#include "string.h"
#include "drivers/virtio/virtio_blk.h"
#include "wait.h"

#define AREA_ORDER 8 /* 1 MiB */
#define AREA_BYTES (PAGE_SIZE << AREA_ORDER)
#define AREA_SECTORS (AREA_BYTES >> SECTOR_SHIFT)
#define MAX_CHUNKS 512
#define MAX_CHUNK_SECTORS 12

struct batch {
	wait_queue_head_t wq;
	int pending;
	int errors;
};

static void batch_end_io(struct bio *bio)
{
	struct batch *b = bio->bi_private;

	if (bio->bi_status)
		__atomic_add_fetch(&b->errors, 1, __ATOMIC_SEQ_CST);
	bio_put(bio);
	__atomic_sub_fetch(&b->pending, 1, __ATOMIC_SEQ_CST);
	wake_up(&b->wq);
}

static bool is_driver_disk(struct gendisk *d)
{
	return d->bus && (!strcmp(d->bus, "virtio") || !strcmp(d->bus, "ahci"));
}

/* Build a bio over buf[off, off + len) of a physically contiguous buffer. */
static struct bio *area_bio(struct gendisk *disk, sector_t sector, u8 *buf,
			    unsigned int len, struct batch *b)
{
	unsigned int done = 0, n, poff;
	struct bio *bio = bio_alloc(GFP_KERNEL, len / PAGE_SIZE + 2);

	if (!bio)
		return NULL;
	bio->bi_bdev = disk->part0;
	bio->bi_sector = sector;
	bio->bi_end_io = batch_end_io;
	bio->bi_private = b;
	while (done < len) {
		u8 *p = buf + done;

		poff = (unsigned int)((unsigned long)p & (PAGE_SIZE - 1));
		n = min_t(unsigned int, len - done, PAGE_SIZE - poff);
		if (bio_add_page(bio, virt_to_page(p), n, poff) != (int)n) {
			bio_put(bio);
			return NULL;
		}
		done += n;
	}
	return bio;
}

static int batch_submit(struct batch *b, int rw, struct gendisk *disk,
			sector_t sector, u8 *buf, unsigned int len)
{
	struct bio *bio = area_bio(disk, sector, buf, len, b);

	if (!bio)
		return -1;
	__atomic_add_fetch(&b->pending, 1, __ATOMIC_SEQ_CST);
	submit_bio(rw, bio);
	return 0;
}

static void batch_init(struct batch *b)
{
	init_waitqueue_head(&b->wq);
	b->pending = 0;
	b->errors = 0;
}

static int batch_wait(struct batch *b)
{
	wait_event(b->wq, __atomic_load_n(&b->pending, __ATOMIC_SEQ_CST) == 0);
	return b->errors;
}

/* Whole area, one 64 KiB request at a time: the reference path. */
static int area_serial(int rw, struct gendisk *disk, sector_t start, u8 *buf)
{
	struct batch b;
	unsigned int off;

	for (off = 0; off < AREA_BYTES; off += 64 * 1024) {
		batch_init(&b);
		if (batch_submit(&b, rw, disk, start + off / SECTOR_SIZE,
				 buf + off, 64 * 1024))
			return -1;
		if (batch_wait(&b))
			return -1;
	}
	return 0;
}

struct chunk {
	u32 sector; /* offset in the area */
	u32 count;
};

/* Cut the area into chunks of 1..64 sectors and shuffle their order. */
static int make_chunks(struct chunk *c, struct splitmix64 *rng)
{
	u32 s = 0;
	int n = 0, i;

	while (s < AREA_SECTORS && n < MAX_CHUNKS) {
		u32 len = 1 + (u32)(splitmix64_next(rng) % MAX_CHUNK_SECTORS);

		if (len > AREA_SECTORS - s || n == MAX_CHUNKS - 1)
			len = AREA_SECTORS - s;
		c[n].sector = s;
		c[n++].count = len;
		s += len;
	}
	for (i = n - 1; i > 0; i--) {
		int j = (int)(splitmix64_next(rng) % (u64)(i + 1));
		struct chunk t = c[i];

		c[i] = c[j];
		c[j] = t;
	}
	return n;
}

/* Every chunk in flight at once; returns the number of failed bios. */
static int area_scattered(int rw, struct gendisk *disk, sector_t start, u8 *buf,
			  struct chunk *c, int n, int *submitted)
{
	struct batch b;
	int i;

	batch_init(&b);
	*submitted = 0;
	for (i = 0; i < n; i++) {
		if (batch_submit(&b, rw, disk, start + c[i].sector,
				 buf + c[i].sector * SECTOR_SIZE,
				 c[i].count * SECTOR_SIZE))
			break;
		(*submitted)++;
	}
	return batch_wait(&b);
}

struct area_bufs {
	u8 *ref, *dst, *pat;
	struct chunk *chunks;
};

static bool bufs_alloc(struct area_bufs *a)
{
	a->ref = (u8 *)__get_free_pages(GFP_KERNEL, AREA_ORDER);
	a->dst = (u8 *)__get_free_pages(GFP_KERNEL, AREA_ORDER);
	a->pat = (u8 *)__get_free_pages(GFP_KERNEL, AREA_ORDER);
	a->chunks = (struct chunk *)__get_free_pages(GFP_KERNEL, 1);
	return a->ref && a->dst && a->pat && a->chunks;
}

static void bufs_free(struct area_bufs *a)
{
	if (a->ref)
		free_pages((unsigned long)a->ref, AREA_ORDER);
	if (a->dst)
		free_pages((unsigned long)a->dst, AREA_ORDER);
	if (a->pat)
		free_pages((unsigned long)a->pat, AREA_ORDER);
	if (a->chunks)
		free_pages((unsigned long)a->chunks, 1);
}

static void read_scattered_case(struct kunit *test, struct gendisk *disk,
				struct area_bufs *a)
{
	sector_t start = disk->capacity - AREA_SECTORS;
	struct splitmix64 rng;
	int n, sub;

	splitmix64_seed(&rng, 0x5eed0000 + disk->capacity);
	KUNIT_ASSERT_EQ(test, area_serial(READ, disk, start, a->ref), 0);
	n = make_chunks(a->chunks, &rng);
	memset(a->dst, 0xa5, AREA_BYTES);
	KUNIT_EXPECT_EQ(test,
			area_scattered(READ, disk, start, a->dst, a->chunks, n,
				       &sub),
			0);
	KUNIT_EXPECT_EQ(test, sub, n);
	KUNIT_EXPECT_TRUE(test, memcmp(a->ref, a->dst, AREA_BYTES) == 0);
	printk("    # %s: %d bios of 1..%d sectors read at once\n",
	       disk->disk_name, n, MAX_CHUNK_SECTORS);
}

static struct gendisk *next_driver_disk(struct gendisk *d)
{
	while ((d = disk_next(d)))
		if (is_driver_disk(d) && d->capacity >= 2 * AREA_SECTORS)
			return d;
	return NULL;
}

static void drivers_read_scattered_test(struct kunit *test)
{
	struct gendisk *disk = NULL;
	struct area_bufs a = { 0 };
	int ran = 0;

	KUNIT_ASSERT_TRUE(test, bufs_alloc(&a));
	while ((disk = next_driver_disk(disk))) {
		read_scattered_case(test, disk, &a);
		ran++;
	}
	if (!ran)
		kunit_skip(test, "no virtio or AHCI disk");
	bufs_free(&a);
}
KUNIT_CASE(drivers_read_scattered_test, "drivers.read_scattered");

static void write_scattered_case(struct kunit *test, struct gendisk *disk,
				 struct area_bufs *a)
{
	sector_t start = disk->capacity - AREA_SECTORS;
	struct splitmix64 rng;
	int n, sub;

	splitmix64_seed(&rng, 0xd15c + disk->capacity);
	KUNIT_ASSERT_EQ(test, area_serial(READ, disk, start, a->ref), 0);
	stream_bytes(0xabcdef + disk->capacity, 0, a->pat, AREA_BYTES);
	n = make_chunks(a->chunks, &rng);
	KUNIT_EXPECT_EQ(test,
			area_scattered(WRITE, disk, start, a->pat, a->chunks, n,
				       &sub),
			0);
	KUNIT_EXPECT_EQ(test, sub, n);
	memset(a->dst, 0, AREA_BYTES);
	KUNIT_EXPECT_EQ(test, area_serial(READ, disk, start, a->dst), 0);
	KUNIT_EXPECT_TRUE(test, memcmp(a->pat, a->dst, AREA_BYTES) == 0);
	/* Put the old contents back and check they are there. */
	KUNIT_EXPECT_EQ(test, area_serial(WRITE, disk, start, a->ref), 0);
	KUNIT_EXPECT_EQ(test, area_serial(READ, disk, start, a->dst), 0);
	KUNIT_EXPECT_TRUE(test, memcmp(a->ref, a->dst, AREA_BYTES) == 0);
}

static void drivers_write_scattered_test(struct kunit *test)
{
	struct gendisk *disk = NULL;
	struct area_bufs a = { 0 };
	int ran = 0;

	KUNIT_ASSERT_TRUE(test, bufs_alloc(&a));
	while ((disk = next_driver_disk(disk))) {
		write_scattered_case(test, disk, &a);
		ran++;
	}
	if (!ran)
		kunit_skip(test, "no virtio or AHCI disk");
	bufs_free(&a);
}
KUNIT_CASE(drivers_write_scattered_test, "drivers.write_scattered");

static void drivers_flush_test(struct kunit *test)
{
	struct gendisk *disk = NULL;
	int ran = 0;

	while ((disk = next_driver_disk(disk))) {
		struct bio *bio = bio_alloc(GFP_KERNEL, 1);

		KUNIT_ASSERT_TRUE(test, bio != NULL);
		bio->bi_bdev = disk->part0;
		bio->bi_sector = 0;
		KUNIT_EXPECT_EQ(test, submit_bio_wait(WRITE | REQ_FLUSH, bio),
				0);
		bio_put(bio);
		ran++;
	}
	if (!ran)
		kunit_skip(test, "no virtio or AHCI disk");
}
KUNIT_CASE(drivers_flush_test, "drivers.flush");

static void drivers_model_test(struct kunit *test)
{
	char id[VIRTIO_BLK_ID_BYTES + 1];
	struct gendisk *disk = NULL;
	int ran = 0;

	while ((disk = next_driver_disk(disk))) {
		KUNIT_EXPECT_TRUE(test, disk->model[0] != '\0');
		if (!strcmp(disk->bus, "virtio")) {
			/* GET_ID again, on a live queue: it must complete. */
			KUNIT_EXPECT_EQ(test, virtblk_get_id(disk, id), 0);
			printk("    # %s: GET_ID \"%s\"\n", disk->disk_name,
			       id);
		} else {
			printk("    # %s: model \"%s\"\n", disk->disk_name,
			       disk->model);
		}
		ran++;
	}
	if (!ran)
		kunit_skip(test, "no virtio or AHCI disk");
}
KUNIT_CASE(drivers_model_test, "drivers.model");

static void drivers_pci_enum_test(struct kunit *test)
{
	struct pci_dev *d = NULL;
	int n = 0, i;

	KUNIT_ASSERT_TRUE(test, pci_scan_all() > 0);
	while ((d = pci_dev_next(d))) {
		u32 id = pci_read_config_dword(d, PCI_VENDOR_ID);

		KUNIT_EXPECT_EQ(test, id & 0xffff, d->vendor);
		KUNIT_EXPECT_EQ(test, id >> 16, d->device);
		for (i = 0; i < PCI_NUM_BARS; i++) {
			struct pci_bar *b = &d->bar[i];

			if (!b->flags || !b->size)
				continue;
			/* Decoded sizes are powers of two, bases aligned. */
			KUNIT_EXPECT_TRUE(test, is_power_of_2(b->size));
			KUNIT_EXPECT_EQ(test, b->start & (b->size - 1), 0);
		}
		n++;
	}
	/* Every PC has a host bridge at 00:00.0. */
	d = pci_dev_next(NULL);
	KUNIT_ASSERT_TRUE(test, d != NULL);
	KUNIT_EXPECT_EQ(test, d->bus | d->slot | d->func, 0);
	KUNIT_EXPECT_EQ(test, d->class >> 16, 0x06);
	KUNIT_EXPECT_EQ(test, n, pci_scan_all());
}
KUNIT_CASE(drivers_pci_enum_test, "drivers.pci_enum");

/*
 * Explicit-only: needs a disk whose reads of sector EIO_SECTOR fail
 * (QEMU blkdebug, tests/system/32-virtio-eio.sh and 33-ahci-eio.sh).
 * Bios of mixed sizes around it go out all at once, first apart (each
 * its own command: the driver's error attribution), then adjacent under
 * a plug (merged commands: the block layer re-issues a failed one bio by
 * bio). Either way exactly the bio that touches the bad sector fails,
 * the others bring back the right data, and the disk still works.
 */
#define EIO_SECTOR 5000
#define EIO_SPAN 256

struct eio_slot {
	struct batch *b;
	int status;
};

static void eio_end_io(struct bio *bio)
{
	struct eio_slot *s = bio->bi_private;
	struct batch *b = s->b;

	s->status = bio->bi_status;
	bio_put(bio);
	__atomic_sub_fetch(&b->pending, 1, __ATOMIC_SEQ_CST);
	wake_up(&b->wq);
}

static int eio_read_one(struct gendisk *disk, sector_t sector, u8 *buf)
{
	struct bio *bio = bio_alloc(GFP_KERNEL, 1);
	int err;

	if (!bio)
		return -ENOMEM;
	bio->bi_bdev = disk->part0;
	bio->bi_sector = sector;
	bio_add_page(bio, virt_to_page(buf), SECTOR_SIZE,
		     (unsigned int)((unsigned long)buf & (PAGE_SIZE - 1)));
	err = submit_bio_wait(READ, bio);
	bio_put(bio);
	return err;
}

static int eio_submit(struct gendisk *disk, sector_t base, u8 *dst,
		      struct chunk *c, struct eio_slot *slot, struct batch *b)
{
	struct bio *bio = area_bio(disk, base + c->sector,
				   dst + c->sector * SECTOR_SIZE,
				   c->count * SECTOR_SIZE, b);

	if (!bio)
		return -ENOMEM;
	slot->b = b;
	slot->status = 1;
	bio->bi_private = slot;
	bio->bi_end_io = eio_end_io;
	__atomic_add_fetch(&b->pending, 1, __ATOMIC_SEQ_CST);
	submit_bio(READ, bio);
	return 0;
}

static bool eio_touches(sector_t base, const struct chunk *c)
{
	return base + c->sector <= EIO_SECTOR &&
	       EIO_SECTOR < base + c->sector + c->count;
}

/* Exactly the chunk over the bad sector failed; the rest match ref. */
static void eio_check(struct kunit *test, struct area_bufs *a, sector_t base,
		      struct chunk *c, int n, struct eio_slot *slots)
{
	int i, bad = 0;

	for (i = 0; i < n; i++) {
		bool touches = eio_touches(base, &c[i]);

		bad += touches;
		KUNIT_EXPECT_EQ(test, slots[i].status, touches ? -EIO : 0);
		if (!touches)
			KUNIT_EXPECT_TRUE(
				test, memcmp(a->ref + c[i].sector * SECTOR_SIZE,
					     a->dst + c[i].sector * SECTOR_SIZE,
					     c[i].count * SECTOR_SIZE) == 0);
	}
	KUNIT_EXPECT_EQ(test, bad, 1);
}

/*
 * Two rounds, even chunks then odd: no two bios of a round are
 * adjacent, so the block layer cannot merge them and each bio is one
 * command: what is checked is the driver's error attribution.
 */
static void eio_apart(struct kunit *test, struct gendisk *disk,
		      struct area_bufs *a, sector_t base, struct chunk *c,
		      int n, struct eio_slot *slots)
{
	struct batch b;
	int i, round;

	memset(a->dst, 0, EIO_SPAN * SECTOR_SIZE);
	for (round = 0; round < 2; round++) {
		batch_init(&b);
		for (i = round; i < n; i += 2)
			KUNIT_EXPECT_EQ(test,
					eio_submit(disk, base, a->dst, &c[i],
						   &slots[i], &b),
					0);
		batch_wait(&b);
	}
	eio_check(test, a, base, c, n, slots);
}

/*
 * All chunks adjacent under one plug: they merge into few commands,
 * the one over the bad sector fails, and its bios are re-issued alone.
 */
static void eio_merged(struct kunit *test, struct gendisk *disk,
		       struct area_bufs *a, sector_t base, struct chunk *c,
		       int n, struct eio_slot *slots)
{
	unsigned long merges = disk->stats.merges[READ];
	unsigned long retries = disk->stats.retries;
	struct blk_plug plug;
	struct batch b;
	int i;

	memset(a->dst, 0, EIO_SPAN * SECTOR_SIZE);
	batch_init(&b);
	blk_start_plug(&plug);
	for (i = 0; i < n; i++)
		KUNIT_EXPECT_EQ(test,
				eio_submit(disk, base, a->dst, &c[i], &slots[i],
					   &b),
				0);
	blk_finish_plug(&plug);
	batch_wait(&b);
	merges = disk->stats.merges[READ] - merges;
	retries = disk->stats.retries - retries;
	KUNIT_EXPECT_TRUE(test, merges > 0);
	KUNIT_EXPECT_TRUE(test, retries > 0);
	eio_check(test, a, base, c, n, slots);
	printk("    # %s: %d bios, %lu merges, %lu retried alone\n",
	       disk->disk_name, n, merges, retries);
}

static void eio_case(struct kunit *test, struct gendisk *disk,
		     struct area_bufs *a)
{
	sector_t base = EIO_SECTOR - EIO_SPAN / 2;
	struct eio_slot *slots = (struct eio_slot *)a->pat;
	struct chunk c[EIO_SPAN];
	struct splitmix64 rng;
	int i, n = 0;
	u32 s = 0;

	/* Reference, a sector at a time: only the bad one fails. */
	for (i = 0; i < EIO_SPAN; i++)
		KUNIT_EXPECT_EQ(test,
				eio_read_one(disk, base + i,
					     a->ref + i * SECTOR_SIZE),
				base + i == EIO_SECTOR ? -EIO : 0);
	splitmix64_seed(&rng, 42);
	while (s < EIO_SPAN) {
		u32 len = 1 + (u32)(splitmix64_next(&rng) % 12);

		c[n].sector = s;
		c[n].count = min_t(u32, len, EIO_SPAN - s);
		s += c[n++].count;
	}
	eio_apart(test, disk, a, base, c, n, slots);
	eio_merged(test, disk, a, base, c, n, slots);
	/* Still working: a plain read right after the errors. */
	KUNIT_EXPECT_EQ(test, eio_read_one(disk, EIO_SECTOR + 1, a->dst), 0);
	KUNIT_EXPECT_TRUE(
		test, memcmp(a->dst, a->ref + (EIO_SPAN / 2 + 1) * SECTOR_SIZE,
			     SECTOR_SIZE) == 0);
}

static void drivers_eio_test(struct kunit *test)
{
	struct gendisk *disk = next_driver_disk(NULL);
	struct area_bufs a = { 0 };

	KUNIT_ASSERT_TRUE(test, disk != NULL);
	KUNIT_ASSERT_TRUE(test, bufs_alloc(&a));
	eio_case(test, disk, &a);
	bufs_free(&a);
}
KUNIT_CASE_EXPLICIT(drivers_eio_test, "drivers.eio");
