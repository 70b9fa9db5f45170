/*
 * struct bio: allocation, reference counting, growing one page at a time
 * within the queue's limits, and completion.
 */
#include "blk.h"
#include "errno.h"
#include "printk.h"
#include "slab.h"
#include "string.h"
#include "trace.h"
#include "wait.h"

struct bio *bio_alloc(gfp_t gfp, unsigned int nr_iovecs)
{
	struct bio *bio;

	if (nr_iovecs > BIO_MAX_PAGES)
		return NULL;
	bio = kzalloc(sizeof(*bio) + nr_iovecs * sizeof(struct bio_vec), gfp);
	if (!bio)
		return NULL;
	bio->bi_max_vecs = (unsigned short)nr_iovecs;
	bio->bi_io_vec = bio->bi_inline_vecs;
	bio->bi_cnt = 1;
	return bio;
}

void bio_put(struct bio *bio)
{
	int left = __atomic_sub_fetch(&bio->bi_cnt, 1, __ATOMIC_SEQ_CST);

	BUG_ON(left < 0);
	if (!left)
		kfree(bio);
}

static bool bio_room_for_segment(const struct queue_limits *lim,
				 struct bio *bio, phys_addr_t start,
				 unsigned int len, bool *joins)
{
	struct bio_vec *last;

	*joins = false;
	if (!bio->bi_vcnt)
		return lim->max_segments >= 1;
	last = &bio->bi_io_vec[bio->bi_vcnt - 1];
	*joins = blk_seg_join_ok(lim, bvec_phys(last) + last->bv_len,
				 bio->bi_seg_back_size, start, len);
	return *joins || bio->bi_phys_segments < lim->max_segments;
}

int bio_add_page(struct bio *bio, struct page *page, unsigned int len,
		 unsigned int offset)
{
	const struct queue_limits *lim;
	struct bio_vec *last = NULL;
	phys_addr_t start;
	bool joins;

	if (!page || !len || offset >= PAGE_SIZE || len > PAGE_SIZE - offset)
		return 0;
	lim = blk_limits(bio->bi_bdev && bio->bi_bdev->bd_disk ?
				 bdev_get_queue(bio->bi_bdev) :
				 NULL);
	if (len % lim->logical_block_size || offset % lim->logical_block_size)
		return 0;
	if (((u64)bio->bi_size + len) >> SECTOR_SHIFT > lim->max_sectors)
		return 0;
	start = ((phys_addr_t)page_to_pfn(page) << PAGE_SHIFT) + offset;
	if (!blk_seg_ok(lim, start, len))
		return 0;
	if (!bio_room_for_segment(lim, bio, start, len, &joins))
		return 0;
	if (bio->bi_vcnt)
		last = &bio->bi_io_vec[bio->bi_vcnt - 1];
	if (joins && last->bv_page == page) {
		/* The same page, continued: one vec grows. */
		last->bv_len += len;
	} else {
		if (bio->bi_vcnt >= bio->bi_max_vecs)
			return 0;
		last = &bio->bi_io_vec[bio->bi_vcnt++];
		last->bv_page = page;
		last->bv_offset = offset;
		last->bv_len = len;
	}
	if (joins) {
		bio->bi_seg_back_size += len;
		if (bio->bi_phys_segments == 1)
			bio->bi_seg_front_size = bio->bi_seg_back_size;
	} else {
		bio->bi_phys_segments++;
		bio->bi_seg_back_size = len;
		if (bio->bi_phys_segments == 1)
			bio->bi_seg_front_size = len;
	}
	bio->bi_size += len;
	return (int)len;
}

/* A data write reached the device (its cache, perhaps): flush has work. */
static void count_write_done(struct bio *bio)
{
	struct block_device *bdev = bio->bi_bdev;

	if (bio->bi_status || bio_data_dir(bio) != WRITE || !bio->bi_vcnt ||
	    !bdev || !bdev->bd_disk || !bdev->bd_disk->queue)
		return;
	__atomic_add_fetch(&bdev_get_queue(bdev)->writes_done, 1,
			   __ATOMIC_SEQ_CST);
}

void bio_endio(struct bio *bio, int error)
{
	if (error)
		bio->bi_status = error;
	count_write_done(bio);
	if (unlikely(bio->bi_flags & BIO_TRACE_COMPLETION)) {
		bio->bi_flags &= (unsigned short)~BIO_TRACE_COMPLETION;
		trace_block_bio_complete(bdev_get_queue(bio->bi_bdev), bio,
					 bio->bi_status);
	}
	if (bio->bi_end_io)
		bio->bi_end_io(bio);
}

struct bio_wait {
	wait_queue_head_t wq;
	volatile bool done;
};

static void submit_bio_wait_endio(struct bio *bio)
{
	struct bio_wait *w = bio->bi_private;

	w->done = true;
	wake_up(&w->wq);
}

int submit_bio_wait(int rw, struct bio *bio)
{
	struct bio_wait w;

	init_waitqueue_head(&w.wq);
	w.done = false;
	bio->bi_private = &w;
	bio->bi_end_io = submit_bio_wait_endio;
	submit_bio(rw, bio);
	/* Our own plug would hold the bio back while we sleep on it. */
	blk_flush_plug(current_plug());
	wait_event(w.wq, w.done);
	return bio->bi_status;
}
