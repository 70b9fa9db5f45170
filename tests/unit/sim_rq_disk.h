/*
 * A simulated request-based disk for the host tests: a real gendisk and
 * request queue (blk_init_queue) whose queue_rq() only records each
 * request and keeps it in flight; a platform poller completes one per
 * call "in interrupt context" (copying through blk_rq_map_sg's list to
 * or from an in-memory image), in FIFO, LIFO or pseudo-random order.
 * Tests inject errors on sector ranges and -EBUSY from queue_rq().
 */
#ifndef _SIM_RQ_DISK_H
#define _SIM_RQ_DISK_H

#include "blkdev.h"

#define SIM_RQ_MAX_DEPTH 64
#define SIM_RQ_MAX_LOG 1024
#define SIM_RQ_MAX_BAD 8

enum sim_rq_order { SIM_FIFO, SIM_LIFO, SIM_RANDOM };

/* One request as the driver saw it in queue_rq(). */
struct sim_rq_log {
	unsigned long cmd_flags;
	sector_t sector;
	unsigned int data_len;
	unsigned int nr_phys_segments;
	int nr_sg; /* what blk_rq_map_sg returned */
	int tag;
	unsigned int nr_bios;
};

struct sim_bad_range {
	sector_t start, end; /* [start, end) */
	int rw; /* READ, WRITE, or -1 for both */
};

struct sim_rq_disk {
	struct gendisk *disk;
	struct request_queue *q;
	u8 *data;
	sector_t nr_sectors;
	enum sim_rq_order order;
	u64 rand_state;
	bool hold; /* the poller completes nothing */
	unsigned int busy_every; /* queue_rq says -EBUSY every Nth call */
	unsigned int calls, busy_returned;
	struct request *inflight[SIM_RQ_MAX_DEPTH];
	unsigned int nr_inflight, max_inflight;
	bool tag_clash; /* a tag was given twice while in flight */
	struct sim_rq_log log[SIM_RQ_MAX_LOG];
	unsigned int nr_log;
	struct sim_bad_range bad[SIM_RQ_MAX_BAD];
	unsigned int nr_bad;
	unsigned int nr_failed; /* requests ended with -EIO */
};

/*
 * A disk of nr_sectors (image zeroed, or copied from image if not NULL)
 * named with prefix, queue depth depth, limits lim (NULL: defaults),
 * registered with add_disk() (so its MBR, if any, is scanned).
 */
struct sim_rq_disk *sim_rq_disk_create(const char *prefix, sector_t nr_sectors,
				       unsigned int depth,
				       const struct queue_limits *lim,
				       const void *image);
void sim_rq_disk_destroy(struct sim_rq_disk *sd);
void sim_rq_disk_add_bad(struct sim_rq_disk *sd, sector_t start, sector_t end,
			 int rw);
/* Complete one in-flight request (in the disk's order); false if none. */
bool sim_rq_disk_complete_one(struct sim_rq_disk *sd);

#endif
