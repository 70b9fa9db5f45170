/*
 * Shell commands for block devices: lsblk, blkstat, blkread, blkwrite
 * and bench raw. Output formats are documented in docs/block.md; tests
 * parse them, so change both together.
 */
#include "blkdev.h"
#include "errno.h"
#include "ktime.h"
#include "mm.h"
#include "printk.h"
#include "random.h"
#include "sched.h"
#include "sha256.h"
#include "shell.h"
#include "slab.h"
#include "sprintf.h"
#include "string.h"
#include "wait.h"

/* Large transfers go through this many pages at a time. */
#define CHUNK_PAGES 64

/* "64.0MiB": one decimal, truncated, in the largest unit that fits. */
static void format_size(u64 bytes, char *buf, size_t size)
{
	static const char *const units[] = { "B", "KiB", "MiB", "GiB", "TiB" };
	unsigned int u = 0;
	u64 div = 1;

	while (u + 1 < ARRAY_SIZE(units) && bytes >= div * 1024) {
		div *= 1024;
		u++;
	}
	if (!u) {
		snprintf(buf, size, "%lluB", (unsigned long long)bytes);
		return;
	}
	snprintf(buf, size, "%llu.%llu%s", (unsigned long long)(bytes / div),
		 (unsigned long long)(bytes % div * 10 / div), units[u]);
}

static int cmd_lsblk(int argc, char **argv)
{
	struct block_device *b = NULL;
	char size[24];

	(void)argv;
	if (argc != 1)
		return shell_usage_error();
	printk("NAME BUS SECTORS SIZE MODEL\n");
	while ((b = bdev_next(b))) {
		struct gendisk *d = b->bd_disk;
		sector_t nr = bdev_nr_sectors(b);

		format_size((u64)nr << SECTOR_SHIFT, size, sizeof(size));
		printk("%s %s %llu %s %s\n", b->bd_name, d->bus,
		       (unsigned long long)nr, size,
		       d->model[0] ? d->model : "-");
	}
	return 0;
}
SHELL_COMMAND("lsblk", cmd_lsblk, "lsblk", "block devices, a line each");

static int cmd_blkstat(int argc, char **argv)
{
	struct gendisk *d = NULL;

	(void)argv;
	if (argc != 1)
		return shell_usage_error();
	printk("DEV rd_ios rd_merges rd_sectors rd_ms wr_ios wr_merges "
	       "wr_sectors wr_ms in_flight io_ms queue_ms bios_rd bios_wr "
	       "rq_rd rq_wr errors retries\n");
	while ((d = disk_next(d))) {
		const struct disk_stats *s = &d->stats;

		printk("%s %lu %lu %llu %llu %lu %lu %llu %llu %lu %llu %llu "
		       "%lu %lu %lu %lu %lu %lu\n",
		       d->disk_name, s->ios[READ], s->merges[READ],
		       s->sectors[READ], s->ticks_ms[READ], s->ios[WRITE],
		       s->merges[WRITE], s->sectors[WRITE], s->ticks_ms[WRITE],
		       s->in_flight, s->io_ticks_ms,
		       s->ticks_ms[READ] + s->ticks_ms[WRITE], s->bios[READ],
		       s->bios[WRITE], s->requests[READ], s->requests[WRITE],
		       s->errors, s->retries);
	}
	return 0;
}
SHELL_COMMAND("blkstat", cmd_blkstat, "blkstat",
	      "per-disk I/O counters (/proc/diskstats and more)");

struct chunk_buf {
	struct page *pages[CHUNK_PAGES];
	unsigned int nr;
};

static void chunk_free(struct chunk_buf *c)
{
	for (unsigned int i = 0; i < c->nr; i++)
		__free_page(c->pages[i]);
	c->nr = 0;
}

static int chunk_alloc(struct chunk_buf *c)
{
	for (c->nr = 0; c->nr < CHUNK_PAGES; c->nr++) {
		c->pages[c->nr] = alloc_page(GFP_KERNEL);
		if (!c->pages[c->nr]) {
			chunk_free(c);
			return -ENOMEM;
		}
	}
	return 0;
}

/* DEV LBA COUNT: the device and a range inside it, in 512-byte sectors. */
static int parse_range(char **argv, struct block_device **bdev, sector_t *lba,
		       sector_t *count)
{
	u64 a, n;
	unsigned int lbs;

	*bdev = lookup_bdev(argv[1]);
	if (!*bdev) {
		shell_error("%s: no such block device", argv[1]);
		return -ENODEV;
	}
	if (shell_parse_u64(argv[2], &a) || shell_parse_u64(argv[3], &n) || !n)
		return shell_usage_error();
	if (a > bdev_nr_sectors(*bdev) || n > bdev_nr_sectors(*bdev) - a) {
		shell_error("%s: sectors %llu+%llu past the end (%llu)",
			    argv[1], (unsigned long long)a,
			    (unsigned long long)n,
			    (unsigned long long)bdev_nr_sectors(*bdev));
		return -EINVAL;
	}
	lbs = bdev_get_queue(*bdev)->limits.logical_block_size;
	if (lbs > SECTOR_SIZE &&
	    (a % (lbs / SECTOR_SIZE) || n % (lbs / SECTOR_SIZE))) {
		shell_error("%s: not aligned to its %u-byte blocks", argv[1],
			    lbs);
		return -EINVAL;
	}
	*lba = a;
	*count = n;
	return 0;
}

/*
 * Walk [lba, lba + count) a chunk at a time: fill() before a write,
 * consume() after a read.
 */
static int for_each_chunk(struct block_device *bdev, int rw, sector_t lba,
			  sector_t count, unsigned int bio_bytes,
			  void (*fn)(void *, u8 *, size_t), void *arg)
{
	struct chunk_buf c;
	int err = chunk_alloc(&c);

	while (!err && count) {
		sector_t n = min_t(sector_t, count,
				   CHUNK_PAGES * (PAGE_SIZE >> SECTOR_SHIFT));
		size_t bytes = (size_t)n << SECTOR_SHIFT;

		if (signal_pending(current)) {
			err = -EINTR; /* Ctrl-C */
			break;
		}

		if (rw == WRITE)
			for (size_t off = 0; off < bytes; off += PAGE_SIZE)
				fn(arg, page_address(c.pages[off / PAGE_SIZE]),
				   min_t(size_t, PAGE_SIZE, bytes - off));
		err = blkdev_rw_pages_bios(bdev, rw, lba, c.pages,
					   (unsigned int)bytes, bio_bytes);
		if (!err && rw == READ)
			for (size_t off = 0; off < bytes; off += PAGE_SIZE)
				fn(arg, page_address(c.pages[off / PAGE_SIZE]),
				   min_t(size_t, PAGE_SIZE, bytes - off));
		lba += n;
		count -= n;
	}
	chunk_free(&c);
	return err;
}

/*
 * The optional last argument BIO of blkread/blkwrite: cut the transfer
 * into bios of at most BIO sectors (submitted under a plug, so the queue
 * merges them again); 0 when absent: bios as large as the limits allow.
 */
static int parse_bio_sectors(int argc, int want, char **argv,
			     unsigned int *bio_bytes)
{
	u64 n;

	*bio_bytes = 0;
	if (argc == want)
		return 0;
	if (argc != want + 1 || shell_parse_u64(argv[want], &n) || !n ||
	    n > CHUNK_PAGES * (PAGE_SIZE >> SECTOR_SHIFT))
		return shell_usage_error();
	*bio_bytes = (unsigned int)n << SECTOR_SHIFT;
	return 0;
}

static void hash_chunk(void *ctx, u8 *buf, size_t len)
{
	sha256_update(ctx, buf, len);
}

static int cmd_blkread(int argc, char **argv)
{
	struct block_device *bdev;
	struct sha256_ctx ctx;
	sector_t lba, count;
	u8 digest[SHA256_DIGEST_SIZE];
	char hex[65];
	unsigned int bio_bytes;
	int err;

	if (argc < 4 || parse_bio_sectors(argc, 4, argv, &bio_bytes))
		return shell_usage_error();
	err = parse_range(argv, &bdev, &lba, &count);
	if (err)
		return err;
	sha256_init(&ctx);
	err = for_each_chunk(bdev, READ, lba, count, bio_bytes, hash_chunk,
			     &ctx);
	if (err) {
		shell_error("%s: read failed", argv[1]);
		return err;
	}
	sha256_final(&ctx, digest);
	sha256_hex(digest, hex);
	printk("%s  %s %llu %llu\n", hex, argv[1], (unsigned long long)lba,
	       (unsigned long long)count);
	return 0;
}
SHELL_COMMAND("blkread", cmd_blkread, "blkread DEV LBA COUNT [BIO]",
	      "sha256 of COUNT sectors from LBA (bios of BIO sectors)");

static void stream_chunk(void *st, u8 *buf, size_t len)
{
	stream_read(st, buf, len);
}

static int cmd_blkwrite(int argc, char **argv)
{
	struct block_device *bdev;
	struct stream st;
	sector_t lba, count;
	u64 seed;
	unsigned int bio_bytes;
	int err;

	if (argc < 5 || parse_bio_sectors(argc, 5, argv, &bio_bytes))
		return shell_usage_error();
	err = parse_range(argv, &bdev, &lba, &count);
	if (err)
		return err;
	if (shell_parse_u64(argv[4], &seed))
		return shell_usage_error();
	stream_init(&st, seed);
	err = for_each_chunk(bdev, WRITE, lba, count, bio_bytes, stream_chunk,
			     &st);
	if (!err)
		err = blkdev_issue_flush(bdev);
	if (err)
		shell_error("%s: write failed", argv[1]);
	return err;
}
SHELL_COMMAND("blkwrite", cmd_blkwrite, "blkwrite DEV LBA COUNT SEED [BIO]",
	      "write COUNT sectors of the splitmix64 stream SEED at LBA");

/* ---- bench raw DEV [MiB] [QD] ---- */

#define BENCH_MAX_QD 64

/* The largest request the limits could allow, if memory is contiguous. */
static unsigned int bench_request_bytes(struct request_queue *q)
{
	const struct queue_limits *l = &q->limits;
	u64 bytes = (u64)l->max_sectors << SECTOR_SHIFT;

	bytes = min_t(u64, bytes, (u64)BIO_MAX_PAGES * PAGE_SIZE);
	bytes = min_t(u64, bytes, (u64)l->max_segments * l->max_segment_size);
	return (unsigned int)max_t(u64, ALIGN_DOWN(bytes, PAGE_SIZE),
				   PAGE_SIZE);
}

/* A read of up to left sectors at pos into buf; returns its sectors, 0 if none. */
static sector_t bench_submit(struct bio_batch *b, struct block_device *bdev,
			     struct page *buf, unsigned int order, sector_t pos,
			     sector_t left, unsigned int max)
{
	unsigned int pages = 1U << order, added = 0;
	struct bio *bio = bio_alloc(GFP_KERNEL,
				    min_t(unsigned int, pages, BIO_MAX_PAGES));

	if (!bio)
		return 0;
	bio->bi_bdev = bdev;
	bio->bi_sector = pos;
	for (unsigned int i = 0; i < pages && added < max; i++) {
		unsigned int len = (unsigned int)min_t(
			u64, PAGE_SIZE, (left << SECTOR_SHIFT) - added);

		if (!len || bio_add_page(bio, buf + i, len, 0) != (int)len)
			break;
		added += len;
	}
	if (!added) {
		bio_put(bio);
		return 0;
	}
	bio_batch_submit(b, READ, bio);
	return added >> SECTOR_SHIFT;
}

/*
 * Keep qd reads in flight until total sectors are read. Every read
 * lands in the same buffer: the data is thrown away, so sharing it
 * costs nothing and keeps the memory small.
 */
static int bench_run(struct block_device *bdev, int qd, sector_t total,
		     unsigned int max)
{
	unsigned int order = 0;
	struct bio_batch b;
	struct page *buf;
	sector_t pos = 0, got;

	while ((PAGE_SIZE << order) < max && order + 1 < MAX_ORDER)
		order++;
	while (!(buf = alloc_pages(GFP_KERNEL, order)))
		if (!order--)
			return -ENOMEM;
	bio_batch_init(&b);
	while (pos < total && !b.error) {
		if (signal_pending(current)) {
			b.error =
				-EINTR; /* Ctrl-C: let the reads in flight end */
			break;
		}
		bio_batch_wait(&b, qd - 1);
		got = bench_submit(&b, bdev, buf, order, pos, total - pos, max);
		if (!got) {
			b.error = -ENOMEM;
			break;
		}
		pos += got;
	}
	bio_batch_wait(&b, 0);
	__free_pages(buf, order);
	return b.error;
}

static int bench_raw(int argc, char **argv)
{
	u64 mib = 64, qd = 32;
	struct block_device *bdev;
	struct gendisk *disk;
	unsigned long reqs0;
	sector_t total;
	u64 t0, ns, bytes, reqs;
	unsigned int max;
	int err;

	if (argc < 3 || argc > 5 ||
	    (argc > 3 && shell_parse_u64(argv[3], &mib)) ||
	    (argc > 4 && shell_parse_u64(argv[4], &qd)) || !mib || !qd ||
	    qd > BENCH_MAX_QD)
		return shell_usage_error();
	bdev = lookup_bdev(argv[2]);
	if (!bdev) {
		shell_error("%s: no such block device", argv[2]);
		return -ENODEV;
	}
	disk = bdev->bd_disk;
	total = min_t(sector_t, (sector_t)mib << (20 - SECTOR_SHIFT),
		      bdev_nr_sectors(bdev));
	max = bench_request_bytes(disk->queue);
	reqs0 = disk->stats.requests[READ];
	t0 = ktime_get_ns();
	err = bench_run(bdev, (int)qd, total, max);
	ns = ktime_get_ns() - t0;
	reqs = disk->stats.requests[READ] - reqs0;
	if (err) {
		shell_error("%s: bench failed", argv[2]);
		return err;
	}
	bytes = (u64)total << SECTOR_SHIFT;
	ns = max_t(u64, ns, 1);
	reqs = max_t(u64, reqs, 1);
	/* Tenths, in integers: no floating point in the kernel. */
	printk("bench raw %s: %llu bytes in %llu ms, " TENTHS_FMT " MB/s, "
	       "%llu IOPS, " TENTHS_FMT " KiB/request, qd %llu\n",
	       argv[2], (unsigned long long)bytes,
	       (unsigned long long)(ns / NSEC_PER_MSEC),
	       TENTHS(bytes * 1000, ns),
	       (unsigned long long)(reqs * NSEC_PER_SEC / ns),
	       TENTHS(bytes, reqs * 1024), (unsigned long long)qd);
	return 0;
}

/*
 * "bench raw" is here; "bench read"/"bench write" are in shell/fs_bench.c,
 * "bench create"/"bench ls" in shell/fs_bench_dir.c.
 */
static int cmd_bench(int argc, char **argv)
{
	if (argc >= 2 && !strcmp(argv[1], "raw"))
		return bench_raw(argc, argv);
	if (argc >= 2 && (!strcmp(argv[1], "create") || !strcmp(argv[1], "ls")))
		return bench_dir_command(argc, argv);
	return bench_fs_command(argc, argv);
}
SHELL_COMMAND("bench", cmd_bench,
	      "bench raw DEV [MiB] [QD] | read | write | create | ls",
	      "timed I/O: raw sequential device reads, or file I/O");
