/*
 * Helpers for whole ranges: a batch of bios in flight together and
 * waited for as a group; moving bytes between a device and an array of
 * pages with as many bios as the queue limits need, all in flight at
 * once; and flushing a device's write cache. The shell and the
 * self-tests use them; a file system goes through the page cache.
 */
#include "blk.h"
#include "errno.h"
#include "sched.h"
#include "wait.h"

void bio_batch_init(struct bio_batch *b)
{
	init_waitqueue_head(&b->wq);
	b->pending = 0;
	b->error = 0;
}

static void bio_batch_end_io(struct bio *bio)
{
	struct bio_batch *b = bio->bi_private;

	if (bio->bi_status && !b->error)
		b->error = bio->bi_status;
	bio_put(bio);
	__atomic_sub_fetch(&b->pending, 1, __ATOMIC_SEQ_CST);
	wake_up(&b->wq);
}

void bio_batch_submit(struct bio_batch *b, int rw, struct bio *bio)
{
	bio->bi_end_io = bio_batch_end_io;
	bio->bi_private = b;
	__atomic_add_fetch(&b->pending, 1, __ATOMIC_SEQ_CST);
	submit_bio(rw, bio);
}

int bio_batch_wait(struct bio_batch *b, int max)
{
	wait_event(b->wq,
		   __atomic_load_n(&b->pending, __ATOMIC_SEQ_CST) <= max);
	return b->error;
}

/*
 * One bio over bytes [off, off + len) of the pages (page i holds bytes
 * i * PAGE_SIZE on), as much of it as the limits allow; NULL if no
 * memory. *used says how much it took.
 */
static struct bio *build_bio(struct block_device *bdev, sector_t sector,
			     struct page **pages, unsigned int off,
			     unsigned int len, unsigned int *used)
{
	unsigned int first = off / PAGE_SIZE;
	unsigned int last = (off + len - 1) / PAGE_SIZE;
	unsigned int nr = min_t(unsigned int, last - first + 1, BIO_MAX_PAGES);
	struct bio *bio = bio_alloc(GFP_KERNEL, nr);
	unsigned int done = 0;

	if (!bio)
		return NULL;
	bio->bi_bdev = bdev;
	bio->bi_sector = sector;
	while (done < len) {
		unsigned int pos = off + done, poff = pos % PAGE_SIZE;
		unsigned int n =
			min_t(unsigned int, len - done, PAGE_SIZE - poff);

		if (bio_add_page(bio, pages[pos / PAGE_SIZE], n, poff) !=
		    (int)n)
			break;
		done += n;
	}
	*used = done;
	return bio;
}

int blkdev_rw_pages_bios(struct block_device *bdev, int rw, sector_t sector,
			 struct page **pages, unsigned int bytes,
			 unsigned int bio_bytes)
{
	struct bio_batch b;
	struct blk_plug plug;
	unsigned int off = 0, used, len;
	struct bio *bio;

	if (!bdev || bytes % SECTOR_SIZE || bio_bytes % SECTOR_SIZE)
		return -EINVAL;
	bio_batch_init(&b);
	blk_start_plug(&plug);
	while (off < bytes) {
		len = bytes - off;
		if (bio_bytes && len > bio_bytes)
			len = bio_bytes;
		bio = build_bio(bdev, sector + off / SECTOR_SIZE, pages, off,
				len, &used);
		if (!bio || !used) {
			/* Even one block refused: the limits cannot be met. */
			if (bio)
				bio_put(bio);
			b.error = bio ? -EINVAL : -ENOMEM;
			break;
		}
		bio_batch_submit(&b, rw, bio);
		off += used;
	}
	blk_finish_plug(&plug);
	return bio_batch_wait(&b, 0);
}

int blkdev_rw_pages(struct block_device *bdev, int rw, sector_t sector,
		    struct page **pages, unsigned int bytes)
{
	return blkdev_rw_pages_bios(bdev, rw, sector, pages, bytes, 0);
}

int blkdev_issue_flush(struct block_device *bdev)
{
	struct request_queue *q;
	unsigned long done;
	struct bio *bio;
	int err;

	if (!bdev || !bdev->bd_disk || !bdev->bd_disk->queue)
		return -ENODEV;
	q = bdev_get_queue(bdev);
	if (!q->write_cache)
		return 0;
	/* Writes that complete from now on are the next flush's. */
	done = __atomic_load_n(&q->writes_done, __ATOMIC_SEQ_CST);
	if (done == __atomic_load_n(&q->writes_flushed, __ATOMIC_SEQ_CST))
		return 0;
	bio = bio_alloc(GFP_KERNEL, 0);
	if (!bio)
		return -ENOMEM;
	bio->bi_bdev = bdev;
	err = submit_bio_wait(WRITE | REQ_FLUSH, bio);
	bio_put(bio);
	if (err)
		return -EIO;
	/* Concurrent flushes: the count only moves forward. */
	if ((long)(done -
		   __atomic_load_n(&q->writes_flushed, __ATOMIC_SEQ_CST)) > 0)
		__atomic_store_n(&q->writes_flushed, done, __ATOMIC_SEQ_CST);
	return 0;
}
