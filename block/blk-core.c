/*
 * The request queue: submit_bio() checks and remaps a bio, the queue's
 * make_request_fn (blk_queue_bio for request-based drivers) merges it
 * into a request or makes a new one, and blk_run_queue() hands requests
 * to the driver while it has free tags. Completion (blk_end_request)
 * runs in interrupt context, so everything the queue shares with it is
 * under queue_lock with interrupts off.
 */
#include "blk.h"
#include "errno.h"
#include "ktime.h"
#include "printk.h"
#include "sched.h"
#include "slab.h"
#include "trace.h"

#define MAX_QUEUE_DEPTH 1024

static struct request_queue *queue_alloc(void)
{
	struct request_queue *q = kzalloc(sizeof(*q), GFP_KERNEL);

	if (!q)
		return NULL;
	blk_set_default_limits(&q->limits);
	spin_lock_init(&q->queue_lock);
	INIT_LIST_HEAD(&q->queue_head);
	return q;
}

struct request_queue *blk_alloc_queue(make_request_fn *fn)
{
	struct request_queue *q = queue_alloc();

	if (q)
		q->make_request_fn = fn;
	return q;
}

struct request_queue *blk_mq_init_queue(struct blk_mq_tag_set *set)
{
	unsigned int queue_depth;
	struct request_queue *q;

	if (!set || !set->ops || !set->ops->queue_rq)
		return NULL;
	q = queue_alloc();
	if (!q)
		return NULL;
	queue_depth = min_t(unsigned int,
			    max_t(unsigned int, set->queue_depth, 1),
			    MAX_QUEUE_DEPTH);
	q->tags = kcalloc(queue_depth, sizeof(*q->tags), GFP_KERNEL);
	if (!q->tags) {
		kfree(q);
		return NULL;
	}
	q->make_request_fn = blk_queue_bio;
	q->mq_ops = set->ops;
	q->queue_depth = queue_depth;
	q->queuedata = set->driver_data;
	return q;
}

void blk_cleanup_queue(struct request_queue *q)
{
	if (!q)
		return;
	WARN_ON(q->in_flight || !list_empty(&q->queue_head));
	blk_trace_shutdown(q);
	kfree(q->tags);
	kfree(q);
}

sector_t bdev_nr_sectors(struct block_device *bdev)
{
	bool whole = !bdev->bd_contains || bdev->bd_contains == bdev;

	if (whole && bdev->bd_disk->capacity)
		return bdev->bd_disk->capacity;
	return bdev->bd_nr_sectors;
}

/* Everything a bio must satisfy before any queue sees it; 0 or -errno. */
static int bio_check(struct bio *bio)
{
	struct block_device *bdev = bio->bi_bdev;
	const struct queue_limits *lim;
	sector_t nr, len = bio->bi_size >> SECTOR_SHIFT;

	if (!bdev || !bdev->bd_disk || !bdev->bd_disk->queue)
		return -EIO;
	if ((bio->bi_rw & REQ_FLUSH) && bio->bi_size)
		return -EINVAL;
	lim = blk_limits(bdev_get_queue(bdev));
	if (bio->bi_size % lim->logical_block_size ||
	    bio->bi_sector % (lim->logical_block_size >> SECTOR_SHIFT))
		return -EIO;
	nr = bdev_nr_sectors(bdev);
	if (bio->bi_sector > nr || len > nr - bio->bi_sector)
		return -EIO;
	if (!bio->bi_size && !(bio->bi_rw & REQ_FLUSH))
		return -EIO;
	/* A bio built by hand rather than by bio_add_page() may break them. */
	if (!blk_recount_segments(lim, bio))
		return -EIO;
	return 0;
}

void submit_bio(int rw, struct bio *bio)
{
	struct block_device *bdev = bio->bi_bdev;
	struct request_queue *q;
	int err;

	bio->bi_rw = (unsigned long)rw;
	bio->bi_next = NULL;
	bio->bi_flags &= (unsigned short)~BIO_TRACE_COMPLETION;
	err = bio_check(bio);
	if (err) {
		bio_endio(bio, err);
		return;
	}
	/* No volatile cache: nothing to flush (Linux strips the flag too). */
	if ((bio->bi_rw & REQ_FLUSH) && !bdev_get_queue(bdev)->write_cache) {
		bio->bi_rw &= ~REQ_FLUSH;
		if (!bio->bi_size) {
			bio_endio(bio, 0);
			return;
		}
	}
	if (bdev->bd_contains && bdev->bd_contains != bdev) {
		bio->bi_sector += bdev->bd_start_sect;
		bio->bi_bdev = bdev->bd_contains;
	}
	blk_account_bio(bio->bi_bdev->bd_disk, bio);
	q = bdev_get_queue(bio->bi_bdev);
	trace_block_bio_queue(q, bio);
	/* A bio-based driver ends the bio itself: no request to trace. */
	if (!q->mq_ops)
		bio->bi_flags |= BIO_TRACE_COMPLETION;
	q->make_request_fn(q, bio);
}

struct request *blk_rq_from_bio(struct request_queue *q, struct bio *bio)
{
	/* Atomic: a completion handler may submit the next bio. */
	struct request *rq = kzalloc(sizeof(*rq), GFP_ATOMIC);

	if (!rq)
		return NULL;
	rq->q = q;
	rq->tag = -1;
	rq->cmd_flags = bio->bi_rw;
	rq->sector = bio->bi_sector;
	rq->data_len = bio->bi_size;
	rq->nr_phys_segments = bio->bi_phys_segments;
	rq->seg_front_size = bio->bi_seg_front_size;
	rq->seg_back_size = bio->bi_seg_back_size;
	rq->bio = rq->biotail = bio;
	rq->nr_bios = 1;
	rq->rq_disk = bio->bi_bdev->bd_disk;
	rq->start_time_ns = ktime_get_ns();
	INIT_LIST_HEAD(&rq->queuelist);
	return rq;
}

/* Is there a request for q on the plug yet? (Linux's request_count) */
static bool plug_holds_queue(struct blk_plug *plug, struct request_queue *q)
{
	struct request *rq;

	list_for_each_entry(rq, &plug->list, queuelist)
		if (rq->q == q)
			return true;
	return false;
}

void blk_queue_bio(struct request_queue *q, struct bio *bio)
{
	struct blk_plug *plug = current_plug();
	struct gendisk *disk = bio->bi_bdev->bd_disk;
	struct request *rq;
	unsigned long flags;
	int merges;

	if (plug && !(bio->bi_rw & REQ_FLUSH)) {
		merges = blk_list_merge(q, &plug->list, bio);
		if (merges) {
			blk_account_merge(disk, bio_data_dir(bio), merges);
			return;
		}
	} else {
		/* Unplugged: still join a request that waits for a tag. */
		spin_lock_irqsave(&q->queue_lock, flags);
		merges = blk_list_merge(q, &q->queue_head, bio);
		spin_unlock_irqrestore(&q->queue_lock, flags);
		if (merges) {
			blk_account_merge(disk, bio_data_dir(bio), merges);
			blk_run_queue(q);
			return;
		}
	}
	rq = blk_rq_from_bio(q, bio);
	if (!rq) {
		bio->bi_flags |= BIO_TRACE_COMPLETION;
		bio_endio(bio, -ENOMEM);
		return;
	}
	trace_block_getrq(q, bio);
	if (plug && !(bio->bi_rw & REQ_FLUSH)) {
		if (!plug_holds_queue(plug, q))
			trace_block_plug(q);
		list_add_tail(&rq->queuelist, &plug->list);
		if (++plug->count >= BLK_MAX_PLUG_REQUESTS)
			blk_flush_plug(plug);
		return;
	}
	spin_lock_irqsave(&q->queue_lock, flags);
	list_add_tail(&rq->queuelist, &q->queue_head);
	trace_block_rq_insert(q, rq);
	spin_unlock_irqrestore(&q->queue_lock, flags);
	blk_run_queue(q);
}

/* Under queue_lock, with in_flight < queue_depth: a free tag exists. */
static int get_tag(struct request_queue *q)
{
	for (unsigned int t = 0; t < q->queue_depth; t++)
		if (!q->tags[t])
			return (int)t;
	BUG();
}

static void put_tag(struct request_queue *q, struct request *rq)
{
	if (rq->tag >= 0) {
		q->tags[rq->tag] = NULL;
		q->in_flight--;
		rq->tag = -1;
	}
}

/*
 * queue_rq() said -EBUSY. If something happened meanwhile (need_dispatch:
 * a completion may have made room) try once more; if nothing is in
 * flight no completion will ever retry it, so fail it instead of
 * hanging; else wait for a completion (hw_busy). True if waiting.
 */
static bool requeue_busy(struct request_queue *q, struct request *rq,
			 unsigned long *flags)
{
	put_tag(q, rq);
	list_add(&rq->queuelist, &q->queue_head);
	trace_block_rq_requeue(q, rq);
	if (q->need_dispatch) {
		q->need_dispatch = false;
		return false;
	}
	if (!q->in_flight) {
		list_del_init(&rq->queuelist);
		spin_unlock_irqrestore(&q->queue_lock, *flags);
		printk("blk: driver busy with nothing in flight, failing "
		       "request at sector %llu\n",
		       (unsigned long long)rq->sector);
		blk_end_request(rq, -EIO);
		spin_lock_irqsave(&q->queue_lock, *flags);
		return false;
	}
	q->hw_busy = true;
	return true;
}

static void dispatch_one(struct request_queue *q, unsigned long *flags)
{
	struct request *rq;
	int ret;

	rq = list_first_entry(&q->queue_head, struct request, queuelist);
	list_del_init(&rq->queuelist);
	rq->tag = get_tag(q);
	q->tags[rq->tag] = rq;
	q->in_flight++;
	if (!rq->counted) {
		rq->counted = true;
		blk_account_start(rq, ktime_get_ns());
	}
	trace_block_rq_issue(q, rq);
	/* The driver may complete it (and re-enter us) before returning. */
	spin_unlock_irqrestore(&q->queue_lock, *flags);
	ret = q->mq_ops->queue_rq(q, rq);
	spin_lock_irqsave(&q->queue_lock, *flags);
	if (ret == -EBUSY) {
		requeue_busy(q, rq, flags);
	} else if (ret) {
		spin_unlock_irqrestore(&q->queue_lock, *flags);
		blk_end_request(rq, ret < 0 ? ret : -EIO);
		spin_lock_irqsave(&q->queue_lock, *flags);
	}
}

void blk_run_queue(struct request_queue *q)
{
	unsigned long flags;

	if (!q->mq_ops)
		return;
	spin_lock_irqsave(&q->queue_lock, flags);
	if (q->dispatching) {
		/* Called from inside queue_rq or an interrupt during it. */
		q->need_dispatch = true;
		spin_unlock_irqrestore(&q->queue_lock, flags);
		return;
	}
	q->dispatching = true;
	do {
		q->need_dispatch = false;
		while (!q->hw_busy && !list_empty(&q->queue_head) &&
		       q->in_flight < q->queue_depth)
			dispatch_one(q, &flags);
	} while (q->need_dispatch);
	q->dispatching = false;
	spin_unlock_irqrestore(&q->queue_lock, flags);
}

/*
 * A device reports an error per command, not per sector. For a request
 * merged from several bios that is too coarse: the bios whose own
 * sectors are fine would fail with the bad one. So, as Linux's SCSI
 * error handling effectively does, a failed request is not ended: its
 * bios are re-issued one at a time, each as a request of its own marked
 * REQ_NOMERGE (nothing joins it), and each ends with its own status.
 * One at a time, because a device may merge adjacent commands itself
 * (QEMU's virtio-blk does) and fail them together again. The same holds
 * for a request of one bio: the device may have merged it with a
 * neighbour. A retried request is never retried again, so a bad sector
 * costs two attempts, never a loop. Only I/O errors are retried: -EROFS
 * or -ENOMEM would just repeat.
 */
static bool want_retry(struct request *rq, int error)
{
	return error == -EIO && rq->bio &&
	       !(rq->cmd_flags & (REQ_FLUSH | REQ_NOMERGE));
}

/*
 * The next retry: bio alone, with the bios still to retry after it in
 * the chain rest. If there is no memory for it, they all end with error.
 */
static struct request *retry_next(struct request_queue *q, struct bio *bio,
				  int error)
{
	struct bio *rest = bio->bi_next;
	struct request *one;

	bio->bi_next = NULL;
	one = blk_rq_from_bio(q, bio);
	if (one) {
		trace_block_getrq(q, bio);
		one->cmd_flags |= REQ_NOMERGE;
		one->retry_rest = rest;
		return one;
	}
	bio_endio(bio, error);
	for (bio = rest; bio; bio = rest) {
		rest = bio->bi_next;
		bio->bi_next = NULL;
		bio_endio(bio, error);
	}
	return NULL;
}

void blk_end_request(struct request *rq, int error)
{
	struct request_queue *q = rq->q;
	struct request *retry = NULL;
	struct bio *bio, *next;
	unsigned long flags;

	trace_block_rq_complete(q, rq, error);
	if (want_retry(rq, error)) {
		retry = retry_next(q, rq->bio, error);
		rq->bio = rq->biotail = NULL;
	} else if (rq->retry_rest) {
		retry = retry_next(q, rq->retry_rest, -EIO);
	}
	spin_lock_irqsave(&q->queue_lock, flags);
	put_tag(q, rq);
	if (rq->counted)
		blk_account_done(rq, error, ktime_get_ns());
	if (retry) {
		blk_account_retry(rq->rq_disk, 1);
		list_add(&retry->queuelist, &q->queue_head);
		trace_block_rq_insert(q, retry);
	}
	q->hw_busy = false;
	spin_unlock_irqrestore(&q->queue_lock, flags);

	/* Keep the device busy before running the completions. */
	blk_run_queue(q);
	for (bio = rq->bio; bio; bio = next) {
		next = bio->bi_next;
		bio->bi_next = NULL;
		bio_endio(bio, error);
	}
	kfree(rq);
}

void blk_insert_requests(struct request_queue *q, struct list_head *list)
{
	struct request *rq, *n;
	unsigned long flags;

	spin_lock_irqsave(&q->queue_lock, flags);
	list_for_each_entry_safe(rq, n, list, queuelist) {
		list_move_tail(&rq->queuelist, &q->queue_head);
		trace_block_rq_insert(q, rq);
	}
	spin_unlock_irqrestore(&q->queue_lock, flags);
	blk_run_queue(q);
}
