/*
 * block/'s internal interfaces, shared by its files and nobody else
 * (as Linux's block/blk.h).
 */
#ifndef _BLOCK_BLK_H
#define _BLOCK_BLK_H

#include "blkdev.h"
#include "mm.h"

/* Limits to use for a queue; the defaults if its creator set none. */
const struct queue_limits *blk_limits(struct request_queue *q);

/* blk-merge.c */
static inline phys_addr_t bvec_phys(const struct bio_vec *bv)
{
	return ((phys_addr_t)page_to_pfn(bv->bv_page) << PAGE_SHIFT) +
	       bv->bv_offset;
}

/* May len bytes at start be one scatter-gather entry on its own? */
bool blk_seg_ok(const struct queue_limits *lim, phys_addr_t start,
		unsigned int len);
/*
 * May a segment of a_len bytes ending at a_end and one of b_len bytes
 * starting at b_start become one segment?
 */
bool blk_seg_join_ok(const struct queue_limits *lim, phys_addr_t a_end,
		     unsigned int a_len, phys_addr_t b_start,
		     unsigned int b_len);
/* Recompute bi_phys_segments and friends; false if a limit is broken. */
bool blk_recount_segments(const struct queue_limits *lim, struct bio *bio);
/*
 * Merge bio into a request on list (its end or its front), then the
 * request with a neighbour it now touches. Returns how many merges that
 * made: 0 (bio not merged), 1 (bio merged), or 2 (bio merged, and its
 * request with a neighbour too). The caller holds whatever protects the
 * list and counts the merges.
 */
int blk_list_merge(struct request_queue *q, struct list_head *list,
		   struct bio *bio);
/* Append next (which starts where rq ends) to rq; true if it fit. */
bool blk_attempt_req_merge(struct request_queue *q, struct request *rq,
			   struct request *next);

/* blk-core.c */
/* A plug holding this many requests flushes itself (as Linux's). */
#define BLK_MAX_PLUG_REQUESTS 32

struct request *blk_rq_from_bio(struct request_queue *q, struct bio *bio);
void blk_insert_requests(struct request_queue *q, struct list_head *list);
void blk_run_queue(struct request_queue *q);

/* blk-stat.c */
void blk_account_bio(struct gendisk *disk, struct bio *bio);
void blk_account_merge(struct gendisk *disk, int rw, int merges);
void blk_account_start(struct request *rq, u64 now);
void blk_account_done(struct request *rq, int error, u64 now);
void blk_account_retry(struct gendisk *disk, unsigned int nr_bios);

/* blktrace.c */
/* Free the queue's trace, if any (blk_cleanup_queue). */
void blk_trace_shutdown(struct request_queue *q);
/* add_disk: trace the new disk if blk_trace_all_disks() asked for it. */
void blk_trace_add_disk(struct gendisk *disk);

/* genhd.c: partition scanning hands its finds back through this. */
int add_partition(struct gendisk *disk, int partno, sector_t start,
		  sector_t nr_sectors);
/* partition-msdos.c: 0 (also when there is no MBR) or -errno. */
int msdos_partition(struct gendisk *disk);

#endif
