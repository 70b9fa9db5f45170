/*
 * Plugging: while a thread holds a plug, its bios gather as requests on
 * the plug instead of going to the driver one by one, merging as they
 * come: a bio that extends a plugged request at its end (back merge) or
 * its start (front merge) joins it, and a request that then touches
 * another absorbs it, so the order of submission does not matter. When
 * the plug is flushed the requests are sorted by queue and sector (the
 * device sees them in disk order) and each queue gets its batch. Only
 * the outermost plug of a thread counts, as in Linux.
 */
#include "blk.h"
#include "sched.h"
#include "trace.h"

void blk_start_plug(struct blk_plug *plug)
{
	INIT_LIST_HEAD(&plug->list);
	plug->count = 0;
	if (!current_plug())
		set_current_plug(plug);
}

static bool rq_before(struct request *a, struct request *b)
{
	if (a->q != b->q)
		return (unsigned long)a->q < (unsigned long)b->q;
	return a->sector < b->sector;
}

/* Insertion sort: plugs are short and usually already in order. */
static void sort_requests(struct list_head *list)
{
	LIST_HEAD(sorted);
	struct request *rq, *pos;

	while (!list_empty(list)) {
		rq = list_first_entry(list, struct request, queuelist);
		list_del(&rq->queuelist);
		list_for_each_entry_reverse(pos, &sorted, queuelist)
			if (!rq_before(rq, pos))
				break;
		/* pos is the last not after rq, or the head itself. */
		list_add(&rq->queuelist, &pos->queuelist);
	}
	list_splice(&sorted, list);
}

/*
 * from_schedule: the owner is going to sleep (schedule()), which a
 * trace tells apart from an explicit flush (UT rather than U).
 */
static void flush_plug(struct blk_plug *plug, bool from_schedule)
{
	LIST_HEAD(batch);
	struct request *rq;
	struct request_queue *q;
	unsigned int depth;

	if (!plug || list_empty(&plug->list))
		return;
	list_splice_init(&plug->list, &batch);
	plug->count = 0;
	sort_requests(&batch);
	while (!list_empty(&batch)) {
		LIST_HEAD(one_queue);

		q = list_first_entry(&batch, struct request, queuelist)->q;
		depth = 0;
		while (!list_empty(&batch)) {
			rq = list_first_entry(&batch, struct request,
					      queuelist);
			if (rq->q != q)
				break;
			list_move_tail(&rq->queuelist, &one_queue);
			depth++;
		}
		trace_block_unplug(q, depth, !from_schedule);
		blk_insert_requests(q, &one_queue);
	}
}

void blk_flush_plug(struct blk_plug *plug)
{
	flush_plug(plug, false);
}

void blk_schedule_flush_plug(struct blk_plug *plug)
{
	flush_plug(plug, true);
}

void blk_finish_plug(struct blk_plug *plug)
{
	if (current_plug() != plug)
		return;
	blk_flush_plug(plug);
	set_current_plug(NULL);
}
