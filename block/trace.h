/*
 * The block layer's trace points, named and placed as Linux's
 * (include/trace/events/block.h). Each costs one predictable test of
 * q->blk_trace while the queue is not traced; block/blktrace.c records
 * the event when it is. Where each one fires:
 *
 *	block_bio_queue		submit_bio: a bio reaches its disk's queue	Q
 *	block_bio_backmerge	it joined the end of a request			M
 *	block_bio_frontmerge	...or the start of one				F
 *	block_getrq		...or a new request was made for it		G
 *	block_rq_merge		a request was absorbed by its neighbour		M
 *	block_plug		a plug took its first request for the queue	P
 *	block_unplug		the plug gave the queue its requests		U/UT
 *	block_rq_insert		a request entered the dispatch queue		I
 *	block_rq_issue		the driver took it				D
 *	block_rq_requeue	the driver had no room: back to the queue	R
 *	block_rq_complete	the driver ended it				C
 *	block_bio_complete	a bio ended without a request of its own	C
 *				(bio-based queues; no memory for a request)
 *
 * Linux's block_split has no place here: this block layer never splits
 * a bio (bio_add_page keeps bios within the limits, submit_bio refuses
 * the rest), so no X event is ever written.
 */
#ifndef _BLOCK_TRACE_H
#define _BLOCK_TRACE_H

#include "blkdev.h"
#include "blktrace_api.h"
#include "compiler.h"

/* blktrace.c: the recorders behind the trace points. */
void blk_add_trace_bio(struct request_queue *q, struct bio *bio, u32 what,
		       int error);
void blk_add_trace_rq(struct request_queue *q, struct request *rq, u32 what,
		      unsigned int bytes, int error);
void blk_add_trace_plug(struct request_queue *q);
void blk_add_trace_unplug(struct request_queue *q, unsigned int depth,
			  bool explicit);

static inline bool blk_traced(const struct request_queue *q)
{
	return unlikely(READ_ONCE(q->blk_trace) != NULL);
}

static inline void trace_block_bio_queue(struct request_queue *q,
					 struct bio *bio)
{
	if (blk_traced(q))
		blk_add_trace_bio(q, bio, BLK_TA_QUEUE, 0);
}

static inline void trace_block_bio_backmerge(struct request_queue *q,
					     struct bio *bio)
{
	if (blk_traced(q))
		blk_add_trace_bio(q, bio, BLK_TA_BACKMERGE, 0);
}

static inline void trace_block_bio_frontmerge(struct request_queue *q,
					      struct bio *bio)
{
	if (blk_traced(q))
		blk_add_trace_bio(q, bio, BLK_TA_FRONTMERGE, 0);
}

static inline void trace_block_getrq(struct request_queue *q, struct bio *bio)
{
	if (blk_traced(q))
		blk_add_trace_bio(q, bio, BLK_TA_GETRQ, 0);
}

/* next was merged into the request before it and is gone. */
static inline void trace_block_rq_merge(struct request_queue *q,
					struct request *next)
{
	if (blk_traced(q))
		blk_add_trace_rq(q, next, BLK_TA_BACKMERGE, next->data_len, 0);
}

static inline void trace_block_plug(struct request_queue *q)
{
	if (blk_traced(q))
		blk_add_trace_plug(q);
}

/* explicit: the owner flushed it, not schedule() before it slept. */
static inline void trace_block_unplug(struct request_queue *q,
				      unsigned int depth, bool explicit)
{
	if (blk_traced(q))
		blk_add_trace_unplug(q, depth, explicit);
}

static inline void trace_block_rq_insert(struct request_queue *q,
					 struct request *rq)
{
	if (blk_traced(q))
		blk_add_trace_rq(q, rq, BLK_TA_INSERT, rq->data_len, 0);
}

static inline void trace_block_rq_issue(struct request_queue *q,
					struct request *rq)
{
	if (blk_traced(q))
		blk_add_trace_rq(q, rq, BLK_TA_ISSUE, rq->data_len, 0);
}

static inline void trace_block_rq_requeue(struct request_queue *q,
					  struct request *rq)
{
	if (blk_traced(q))
		blk_add_trace_rq(q, rq, BLK_TA_REQUEUE, rq->data_len, 0);
}

static inline void trace_block_rq_complete(struct request_queue *q,
					   struct request *rq, int error)
{
	if (blk_traced(q))
		blk_add_trace_rq(q, rq, BLK_TA_COMPLETE, rq->data_len, error);
}

static inline void trace_block_bio_complete(struct request_queue *q,
					    struct bio *bio, int error)
{
	if (blk_traced(q))
		blk_add_trace_bio(q, bio, BLK_TA_COMPLETE, error);
}

#endif
