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

struct request_queue;
struct gendisk;
struct inode;

struct queue_limits {
	unsigned int max_sectors;	/* largest request, in 512-byte sectors */
	unsigned short max_segments;	/* scatter-gather entries per request */
	unsigned int max_segment_size;	/* bytes in one entry */
	unsigned int logical_block_size; /* smallest addressable unit */
	unsigned long seg_boundary_mask; /* an entry may not cross this */
};

/* Entry point for bios: Linux 2.6's make_request_fn. */
typedef void(make_request_fn)(struct request_queue *q, struct bio *bio);

struct block_device {
	struct gendisk *bd_disk;
	struct block_device *bd_contains; /* the whole disk (itself if whole) */
	sector_t bd_start_sect;		/* partition start on the disk */
	sector_t bd_nr_sectors;
	int bd_partno;			/* 0 for the whole disk */
	unsigned int bd_block_size;	/* for buffer heads on its cache */
	struct inode *bd_inode;		/* owns the device's page cache */
	char bd_name[32];		/* "vda", "vda1", "sda" */
	struct list_head bd_list;
};

/*
 * The request queue. block/ adds its own state below these fields; a
 * bio-based driver (a host test's simulated disk) sets make_request_fn to
 * its own function, a request-based one uses the block layer's default.
 */
struct request_queue {
	struct queue_limits limits;
	make_request_fn *make_request_fn;
	void *queuedata;
};

struct gendisk {
	char disk_name[32];
	const char *bus;		/* "virtio", "ahci", "sim" */
	char model[48];
	sector_t capacity;		/* in 512-byte sectors */
	struct request_queue *queue;
	struct block_device *part0;	/* the whole disk */
	void *private_data;
	struct list_head disk_list;
};

static inline struct request_queue *bdev_get_queue(struct block_device *bdev)
{
	return bdev->bd_disk->queue;
}

#endif
