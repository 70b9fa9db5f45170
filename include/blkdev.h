/*
 * Block devices, request queues and their limits. A driver describes
 * its limits in queue_limits; bio_add_page() honours them; the queue
 * merges bios into requests (under a plug) and dispatches them to the
 * driver with tags up to its queue depth.
 */
#ifndef _BLKDEV_H
#define _BLKDEV_H

#include "bio.h"
#include "list.h"
#include "spinlock.h"
#include "wait.h"

struct request_queue;
struct gendisk;
struct inode;

struct queue_limits {
	unsigned int max_sectors; /* largest request, in 512-byte sectors */
	unsigned short max_segments; /* scatter-gather entries per request */
	unsigned int max_segment_size; /* bytes in one entry */
	unsigned int logical_block_size; /* smallest addressable unit */
	unsigned long seg_boundary_mask; /* an entry may not cross this */
};

/* Entry point for bios: Linux 2.6's make_request_fn. */
typedef void(make_request_fn)(struct request_queue *q, struct bio *bio);

struct block_device {
	struct gendisk *bd_disk;
	struct block_device *bd_contains; /* the whole disk (itself if whole) */
	sector_t bd_start_sect; /* partition start on the disk */
	sector_t bd_nr_sectors;
	int bd_partno; /* 0 for the whole disk */
	unsigned int bd_block_size; /* for buffer heads on its cache */
	struct inode *bd_inode; /* owns the device's page cache */
	/*
	 * Set with bd_inode by fs/block_dev.c, which made it: called when
	 * the device goes, to drop its page cache and free the inode
	 * (the block layer cannot call up into fs itself).
	 */
	void (*bd_inode_release)(struct block_device *bdev);
	char bd_name[32]; /* "vda", "vda1", "sda" */
	struct list_head bd_list;
};

struct request;

/*
 * A request-based driver's operations. queue_rq() starts one request on
 * the hardware and returns 0, or -EBUSY if the device has no room now
 * (the queue retries after the next completion). The driver ends each
 * request, usually from its interrupt handler, with blk_end_request().
 * Any other -errno: the driver did not take it and the queue ends it.
 */
struct blk_mq_ops {
	int (*queue_rq)(struct request_queue *q, struct request *rq);
};

/* What a driver's queue is made from (Linux's blk_mq_tag_set, one queue). */
struct blk_mq_tag_set {
	const struct blk_mq_ops *ops;
	unsigned int queue_depth; /* commands in flight at once (tags) */
	void *driver_data; /* becomes q->queuedata */
};

/* One scatter-gather entry of a request, for the driver's DMA tables. */
struct blk_sg {
	phys_addr_t addr;
	unsigned int len;
};

/* A request: bios adjacent on disk, merged, to be sent as one command. */
struct request {
	struct request_queue *q;
	int tag; /* 0..queue_depth-1 while dispatched */
	unsigned long cmd_flags; /* READ/WRITE | REQ_FLUSH ... */
	sector_t sector; /* first sector on the whole disk */
	unsigned int data_len; /* bytes */
	unsigned short nr_phys_segments;
	struct bio *bio, *biotail; /* chained through bi_next */
	u64 start_time_ns;
	struct list_head queuelist;
	void *driver_data; /* the driver's per-request state */
	/* block/'s own state */
	struct gendisk *rq_disk; /* for the statistics */
	unsigned int seg_front_size; /* bytes of the first physical segment */
	unsigned int seg_back_size; /* bytes of the last one */
	unsigned int nr_bios;
	bool counted; /* in requests[]/in_flight already */
	struct bio *retry_rest; /* bios to re-issue after this one */
};

static inline sector_t blk_rq_pos(const struct request *rq)
{
	return rq->sector;
}

static inline unsigned int blk_rq_sectors(const struct request *rq)
{
	return rq->data_len >> SECTOR_SHIFT;
}

static inline int rq_data_dir(const struct request *rq)
{
	return (int)(rq->cmd_flags & RW_MASK);
}

/*
 * The request queue. block/ adds its own state below these fields; a
 * bio-based driver (a host test's simulated disk) sets make_request_fn
 * to its own function, a request-based one keeps the block layer's.
 */
struct request_queue {
	struct queue_limits limits;
	make_request_fn *make_request_fn;
	const struct blk_mq_ops *mq_ops;
	unsigned int queue_depth; /* tags: requests in flight at once */
	void *queuedata;
	/*
	 * The device has a volatile write cache (Linux's QUEUE_FLAG_WC):
	 * a completed write may still be lost at power-off until a
	 * REQ_FLUSH. Without one, flushes end at once, unsent.
	 */
	bool write_cache;
	unsigned long writes_done; /* data writes completed, ever */
	unsigned long writes_flushed; /* of those, made durable by a flush */
	/*
	 * block/'s own state, under queue_lock (taken irqsave: completion
	 * runs in interrupt context).
	 */
	spinlock_t queue_lock;
	struct list_head queue_head; /* requests waiting for a tag */
	struct request **tags; /* in flight, by tag */
	unsigned int in_flight;
	bool dispatching; /* a dispatch loop is running */
	bool need_dispatch; /* ...and must look again */
	bool hw_busy; /* queue_rq said -EBUSY: wait */
	struct blk_trace *blk_trace; /* NULL unless traced (blktrace_api.h) */
};

/* Per-disk counters, the fields of Linux's /proc/diskstats. */
struct disk_stats {
	unsigned long ios[2]; /* completed, [READ] and [WRITE] */
	unsigned long merges[2];
	unsigned long long sectors[2];
	unsigned long long ticks_ms[2]; /* time spent, summed per request */
	unsigned long in_flight;
	unsigned long long io_ticks_ms; /* time with at least one in flight */
	unsigned long bios[2]; /* bios submitted */
	unsigned long requests[2]; /* requests dispatched */
	unsigned long errors; /* requests that ended with an error */
	unsigned long retries; /* bios re-issued alone after a failure */
	/* Exact times behind the _ms fields. */
	u64 ticks_ns[2];
	u64 io_ticks_ns;
	u64 stamp_ns; /* last change of in_flight */
};

struct gendisk {
	char disk_name[32]; /* "vda", "sda" */
	const char *bus; /* "virtio", "ahci", "sim" */
	char model[48];
	sector_t capacity; /* in 512-byte sectors */
	struct request_queue *queue;
	struct block_device *part0; /* the whole disk */
	struct disk_stats stats;
	void *private_data;
	struct list_head disk_list;
	int index; /* in the name: vda = 0, vdb = 1 */
	/* Device number, set by the driver as Linux's: vdb is 252:16. */
	int major;
	int first_minor;
	int nr_parts; /* partitions found by add_disk() */
	struct block_device *parts[4]; /* vda1..vda4, NULL if empty */
	bool registered;
};

/*
 * Linux's kernel-internal dev_t, what blktrace records: 12 bits of major,
 * 20 of minor. Disks take 16 minors each (the whole disk, 15 partitions).
 */
#define MINORBITS 20
#define MKDEV(ma, mi) (((u32)(ma) << MINORBITS) | (u32)(mi))
#define DISK_PART_MINORS 16

static inline u32 disk_devt(const struct gendisk *disk)
{
	return MKDEV(disk->major, disk->first_minor);
}

/* Drivers: build a queue, set its limits, then register the disk. */
struct request_queue *blk_mq_init_queue(struct blk_mq_tag_set *set);
void blk_queue_max_hw_sectors(struct request_queue *q, unsigned int sectors);
void blk_queue_max_segments(struct request_queue *q, unsigned short n);
void blk_queue_max_segment_size(struct request_queue *q, unsigned int bytes);
void blk_queue_logical_block_size(struct request_queue *q, unsigned int bytes);
/* Say whether the device caches writes in volatile memory. */
void blk_queue_write_cache(struct request_queue *q, bool enabled);
/*
 * A bio-based queue (a host test's simulated disk): default limits, the
 * given make_request_fn, no request machinery. Free with
 * blk_cleanup_queue() like any other queue.
 */
struct request_queue *blk_alloc_queue(make_request_fn *fn);
void blk_set_default_limits(struct queue_limits *lim);
/* Frees a queue with nothing in flight. */
void blk_cleanup_queue(struct request_queue *q);
/* The request-based make_request_fn: plug, merge, dispatch. */
void blk_queue_bio(struct request_queue *q, struct bio *bio);

/* prefix "vd" or "sd": names the disk vda, vdb, ... in registration order. */
struct gendisk *alloc_disk(const char *prefix);
/* Makes the disk and its MBR partitions visible; 0 or -errno. */
int add_disk(struct gendisk *disk);
struct block_device *lookup_bdev(const char *name);
/* Walk registered block devices (disks and partitions) in order. */
struct block_device *bdev_next(struct block_device *prev);
/* Unregister the disk and its partitions (nothing may be in flight). */
void del_gendisk(struct gendisk *disk);
/* Free a disk from alloc_disk(), after del_gendisk() if it was added. */
void put_disk(struct gendisk *disk);
/* Walk registered disks in order (NULL starts, NULL ends). */
struct gendisk *disk_next(struct gendisk *prev);
/* Size in sectors of a block device (a partition or the whole disk). */
sector_t bdev_nr_sectors(struct block_device *bdev);

/*
 * Fill sg[] (room for limits.max_segments) from the request; returns the
 * count, which equals rq->nr_phys_segments, or -EINVAL if it would not fit.
 */
int blk_rq_map_sg(struct request_queue *q, struct request *rq,
		  struct blk_sg *sg);
/*
 * Complete every bio of the request with error (0 or -errno); IRQ-safe.
 * A request that fails with -EIO is not ended at once: its bios are
 * re-issued one at a time, each alone, so only the bios whose own
 * sectors fail see the error (each bio is retried once).
 */
void blk_end_request(struct request *rq, int error);

/* Plugging: bios submitted between these two may merge before dispatch. */
struct blk_plug {
	struct list_head list; /* plugged requests, via queuelist */
	unsigned int count;
};
void blk_start_plug(struct blk_plug *plug);
void blk_finish_plug(struct blk_plug *plug);

/*
 * Bios in flight together, waited for as a group (block/blk-lib.c):
 * bio_batch_submit() sets the bio's end_io, and the batch keeps the
 * first error. bio_batch_wait(b, 0) waits for all of them; a larger max
 * keeps at most max in flight (a queue depth).
 */
struct bio_batch {
	wait_queue_head_t wq;
	int pending;
	int error;
};

void bio_batch_init(struct bio_batch *b);
void bio_batch_submit(struct bio_batch *b, int rw, struct bio *bio);
int bio_batch_wait(struct bio_batch *b, int max);

/*
 * Move bytes (a multiple of 512) between the device at sector and
 * pages[0..] (whole pages, in order) with as many bios as the limits
 * need, all in flight at once; sleeps until all end. 0 or the first
 * bio's -errno.
 */
int blkdev_rw_pages(struct block_device *bdev, int rw, sector_t sector,
		    struct page **pages, unsigned int bytes);
/*
 * The same, cut into bios of at most bio_bytes (a multiple of 512; 0:
 * as large as the limits allow), all submitted under one plug, so the
 * queue merges them back into large requests: what `blkread ... BIO`
 * shows in the counters.
 */
int blkdev_rw_pages_bios(struct block_device *bdev, int rw, sector_t sector,
			 struct page **pages, unsigned int bytes,
			 unsigned int bio_bytes);
/*
 * Make every write completed so far durable: send a cache flush, unless
 * the device has no volatile cache or no write completed since the last
 * flush that succeeded. 0 or -errno (a failed flush is -EIO).
 */
int blkdev_issue_flush(struct block_device *bdev);

static inline struct request_queue *bdev_get_queue(struct block_device *bdev)
{
	return bdev->bd_disk->queue;
}

#endif
