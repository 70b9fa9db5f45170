/*
 * Merging: a request is a run of adjacent sectors, built from bios, that
 * the driver sends as one command. Two pieces join only if the result
 * still fits every queue limit, counting physical segments the way the
 * driver's scatter-gather list will (blk_rq_map_sg): memory contiguous
 * across the junction folds into one entry, up to max_segment_size and
 * never across the segment boundary.
 */
#include "blk.h"
#include "errno.h"
#include "printk.h"
#include "slab.h"
#include "trace.h"

bool blk_seg_ok(const struct queue_limits *lim, phys_addr_t start,
		unsigned int len)
{
	phys_addr_t last = start + len - 1;

	return len && len <= lim->max_segment_size &&
	       (start | lim->seg_boundary_mask) ==
		       (last | lim->seg_boundary_mask);
}

bool blk_seg_join_ok(const struct queue_limits *lim, phys_addr_t a_end,
		     unsigned int a_len, phys_addr_t b_start,
		     unsigned int b_len)
{
	if (a_end != b_start)
		return false;
	return blk_seg_ok(lim, a_end - a_len, a_len + b_len);
}

bool blk_recount_segments(const struct queue_limits *lim, struct bio *bio)
{
	unsigned int segs = 0, front = 0, back = 0;
	phys_addr_t end = 0;
	struct bio_vec *bv;
	int i;

	bio_for_each_segment(bv, bio, i) {
		phys_addr_t start = bvec_phys(bv);

		if (!blk_seg_ok(lim, start, bv->bv_len))
			return false;
		if (segs &&
		    blk_seg_join_ok(lim, end, back, start, bv->bv_len)) {
			back += bv->bv_len;
		} else {
			if (segs == 1)
				front = back;
			segs++;
			back = bv->bv_len;
		}
		end = start + bv->bv_len;
	}
	if (segs == 1)
		front = back;
	bio->bi_phys_segments = (unsigned short)segs;
	bio->bi_seg_front_size = front;
	bio->bi_seg_back_size = back;
	return segs <= lim->max_segments &&
	       (bio->bi_size >> SECTOR_SHIFT) <= lim->max_sectors;
}

/*
 * What merging needs to know of a request or a bio: where it sits on
 * disk and how its memory begins and ends.
 */
struct span {
	sector_t sector;
	unsigned int bytes;
	unsigned int segs, front, back;
	phys_addr_t first, last_end;
};

static void bio_span(struct bio *bio, struct span *s)
{
	struct bio_vec *lv = &bio->bi_io_vec[bio->bi_vcnt - 1];

	s->sector = bio->bi_sector;
	s->bytes = bio->bi_size;
	s->segs = bio->bi_phys_segments;
	s->front = bio->bi_seg_front_size;
	s->back = bio->bi_seg_back_size;
	s->first = bvec_phys(&bio->bi_io_vec[0]);
	s->last_end = bvec_phys(lv) + lv->bv_len;
}

static void rq_span(struct request *rq, struct span *s)
{
	struct bio *tail = rq->biotail;
	struct bio_vec *lv = &tail->bi_io_vec[tail->bi_vcnt - 1];

	s->sector = rq->sector;
	s->bytes = rq->data_len;
	s->segs = rq->nr_phys_segments;
	s->front = rq->seg_front_size;
	s->back = rq->seg_back_size;
	s->first = bvec_phys(&rq->bio->bi_io_vec[0]);
	s->last_end = bvec_phys(lv) + lv->bv_len;
}

/* a followed by b as one request, if the limits allow: into out. */
static bool span_join(const struct queue_limits *lim, const struct span *a,
		      const struct span *b, struct span *out)
{
	bool joined;
	unsigned int segs, merged;

	if (a->sector + (a->bytes >> SECTOR_SHIFT) != b->sector)
		return false;
	if (((u64)a->bytes + b->bytes) >> SECTOR_SHIFT > lim->max_sectors)
		return false;
	joined = blk_seg_join_ok(lim, a->last_end, a->back, b->first, b->front);
	segs = a->segs + b->segs - (joined ? 1 : 0);
	if (segs > lim->max_segments)
		return false;
	merged = a->back + b->front;
	out->sector = a->sector;
	out->bytes = a->bytes + b->bytes;
	out->segs = segs;
	out->front = joined && a->segs == 1 ? merged : a->front;
	out->back = joined && b->segs == 1 ? merged : b->back;
	out->first = a->first;
	out->last_end = b->last_end;
	return true;
}

/*
 * Flushes carry no data and must reach the device alone; a retried bio
 * (REQ_NOMERGE) must fail or succeed on its own sectors only.
 */
static bool mergeable(struct request *rq, unsigned long bio_rw)
{
	return !((rq->cmd_flags | bio_rw) & (REQ_FLUSH | REQ_NOMERGE)) &&
	       rq->data_len && (rq->cmd_flags & RW_MASK) == (bio_rw & RW_MASK);
}

static void rq_set_span(struct request *rq, const struct span *s)
{
	rq->sector = s->sector;
	rq->data_len = s->bytes;
	rq->nr_phys_segments = (unsigned short)s->segs;
	rq->seg_front_size = s->front;
	rq->seg_back_size = s->back;
}

static bool try_back_merge(const struct queue_limits *lim, struct request *rq,
			   struct bio *bio)
{
	struct span a, b, out;

	rq_span(rq, &a);
	bio_span(bio, &b);
	if (!span_join(lim, &a, &b, &out))
		return false;
	rq_set_span(rq, &out);
	rq->biotail->bi_next = bio;
	rq->biotail = bio;
	bio->bi_next = NULL;
	rq->nr_bios++;
	return true;
}

static bool try_front_merge(const struct queue_limits *lim, struct request *rq,
			    struct bio *bio)
{
	struct span a, b, out;

	bio_span(bio, &a);
	rq_span(rq, &b);
	if (!span_join(lim, &a, &b, &out))
		return false;
	rq_set_span(rq, &out);
	bio->bi_next = rq->bio;
	rq->bio = bio;
	rq->nr_bios++;
	return true;
}

bool blk_attempt_req_merge(struct request_queue *q, struct request *rq,
			   struct request *next)
{
	struct span a, b, out;

	if (rq->q != q || next->q != q || !mergeable(rq, next->cmd_flags) ||
	    !next->data_len)
		return false;
	rq_span(rq, &a);
	rq_span(next, &b);
	if (!span_join(blk_limits(q), &a, &b, &out))
		return false;
	rq_set_span(rq, &out);
	rq->biotail->bi_next = next->bio;
	rq->biotail = next->biotail;
	rq->nr_bios += next->nr_bios;
	/* The earlier arrival sets the request's age. */
	if (next->start_time_ns < rq->start_time_ns)
		rq->start_time_ns = next->start_time_ns;
	list_del(&next->queuelist);
	trace_block_rq_merge(q, next);
	kfree(next);
	return true;
}

/* After rq grew, it may now touch another request on the list. */
static int merge_neighbour(struct request_queue *q, struct list_head *list,
			   struct request *rq)
{
	struct request *other;
	sector_t end = rq->sector + blk_rq_sectors(rq);

	list_for_each_entry(other, list, queuelist) {
		if (other == rq || other->q != q)
			continue;
		if (other->sector == end)
			return blk_attempt_req_merge(q, rq, other) ? 1 : 0;
		if (other->sector + blk_rq_sectors(other) == rq->sector)
			return blk_attempt_req_merge(q, other, rq) ? 1 : 0;
	}
	return 0;
}

int blk_list_merge(struct request_queue *q, struct list_head *list,
		   struct bio *bio)
{
	const struct queue_limits *lim = blk_limits(q);
	struct request *rq;

	if (!bio->bi_size || (bio->bi_rw & (REQ_FLUSH | REQ_NOMERGE)))
		return 0;
	/* Newest first: sequential streams merge on the first look. */
	list_for_each_entry_reverse(rq, list, queuelist) {
		if (rq->q != q || !mergeable(rq, bio->bi_rw))
			continue;
		if (try_back_merge(lim, rq, bio)) {
			trace_block_bio_backmerge(q, bio);
			return 1 + merge_neighbour(q, list, rq);
		}
		if (try_front_merge(lim, rq, bio)) {
			trace_block_bio_frontmerge(q, bio);
			return 1 + merge_neighbour(q, list, rq);
		}
	}
	return 0;
}

/*
 * The driver's scatter-gather list: every bio's vecs in order, with
 * physically contiguous runs folded exactly as the merge code counted
 * them, so the count equals rq->nr_phys_segments.
 */
int blk_rq_map_sg(struct request_queue *q, struct request *rq,
		  struct blk_sg *sg)
{
	const struct queue_limits *lim = blk_limits(q);
	struct bio *bio;
	int n = 0;

	for (bio = rq->bio; bio; bio = bio->bi_next) {
		struct bio_vec *bv;
		int i;

		bio_for_each_segment(bv, bio, i) {
			phys_addr_t addr = bvec_phys(bv);

			if (n &&
			    blk_seg_join_ok(lim, sg[n - 1].addr + sg[n - 1].len,
					    sg[n - 1].len, addr, bv->bv_len)) {
				sg[n - 1].len += bv->bv_len;
				continue;
			}
			if (WARN_ON(n >= lim->max_segments))
				return -EINVAL;
			sg[n].addr = addr;
			sg[n].len = bv->bv_len;
			n++;
		}
	}
	return n;
}
