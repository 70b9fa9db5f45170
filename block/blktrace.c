/*
 * blktrace (after Linux's kernel/trace/blktrace.c): the trace points of
 * block/trace.h land here when a queue has a trace, and become records
 * in Linux's binary format (include/blktrace_api.h) in the disk's ring
 * buffer. Cheap when off: every trace point is one test of q->blk_trace.
 *
 * The ring is made of sub-buffers, as Linux's relay channel: a record
 * never straddles two, and when the writer needs a new sub-buffer while
 * every one still holds unread records, the event is dropped and counted
 * (the sequence number still advances: blkparse reading the trace from
 * a pipe reports the gap as skips). Readers (blk_trace_read, at
 * power-off or `blktrace stop`) free sub-buffers for reuse. The buffer
 * lock is taken irqsave: completions record from interrupt context.
 */
#include "blk.h"
#include "blktrace_api.h"
#include "errno.h"
#include "ktime.h"
#include "printk.h"
#include "sched.h"
#include "slab.h"
#include "string.h"
#include "trace.h"

#define SUBBUF_ORDER 4
#define SUBBUF_SIZE (PAGE_SIZE << SUBBUF_ORDER) /* 64 KiB */
/* Threads whose name note this trace already carries. */
#define SEEN_PIDS 32
/* The largest payload: a process note. */
#define MAX_PDU BLK_TN_COMM_LEN

struct blk_trace {
	spinlock_t lock;
	int trace_state;
	u32 dev;
	u32 sequence;
	unsigned long events, dropped;
	void **subbuf;
	unsigned int *used; /* bytes of records in each sub-buffer */
	unsigned int nr_subbufs;
	/* Sub-buffer counts since setup: head is written, tail read. */
	unsigned long head, tail;
	unsigned int tail_off; /* bytes of the tail sub-buffer already read */
	u32 seen_pid[SEEN_PIDS];
	unsigned int nr_seen;
};

static unsigned int trace_all_kib;

static void *subbuf_at(struct blk_trace *bt, unsigned long n)
{
	return bt->subbuf[n % bt->nr_subbufs];
}

static unsigned int *used_at(struct blk_trace *bt, unsigned long n)
{
	return &bt->used[n % bt->nr_subbufs];
}

/* Room for len bytes at the head, starting a new sub-buffer if needed. */
static void *ring_reserve(struct blk_trace *bt, unsigned int len)
{
	unsigned int *used = used_at(bt, bt->head);

	if (*used + len > SUBBUF_SIZE) {
		/* Read to its end, the head sub-buffer is free again. */
		if (bt->tail == bt->head && bt->tail_off == *used) {
			bt->tail++;
			bt->tail_off = 0;
		}
		if (bt->head + 1 - bt->tail >= bt->nr_subbufs)
			return NULL; /* full: nothing read yet */
		bt->head++;
		used = used_at(bt, bt->head);
		*used = 0;
	}
	*used += len;
	return (char *)subbuf_at(bt, bt->head) + *used - len;
}

static unsigned int record_len(const struct blk_io_trace *t)
{
	return (unsigned int)sizeof(*t) + t->pdu_len;
}

/* Under bt->lock: one record with its payload, or a drop. */
static void record(struct blk_trace *bt, u32 sequence, u32 pid, sector_t sector,
		   unsigned int bytes, u32 action, int error, const void *pdu,
		   unsigned int pdu_len)
{
	struct blk_io_trace *t =
		ring_reserve(bt, (unsigned int)sizeof(*t) + pdu_len);

	if (!t) {
		bt->dropped++;
		return;
	}
	bt->events++;
	t->magic = BLK_IO_TRACE_MAGIC | BLK_IO_TRACE_VERSION;
	t->sequence = sequence;
	t->time = ktime_get_ns();
	t->sector = sector;
	t->bytes = bytes;
	t->action = action;
	t->pid = pid;
	t->device = bt->dev;
	t->cpu = 0;
	t->error = (u16)error;
	t->pdu_len = (u16)pdu_len;
	if (pdu_len)
		memcpy(t + 1, pdu, pdu_len);
}

/*
 * The thread's name, the first time it appears in this trace, so
 * blkparse can print it beside its pid (Linux's trace_note_tsk).
 */
static void note_task(struct blk_trace *bt, u32 pid)
{
	char comm[BLK_TN_COMM_LEN] = { 0 };

	for (unsigned int i = 0; i < bt->nr_seen; i++)
		if (bt->seen_pid[i] == pid)
			return;
	if (bt->nr_seen < SEEN_PIDS)
		bt->seen_pid[bt->nr_seen++] = pid;
	strscpy(comm, task_name(current), sizeof(comm));
	record(bt, 0, pid, 0, 0, BLK_TN_PROCESS, 0, comm, sizeof(comm));
}

/* The flags of a bio or request as categories (Linux's MASK_TC_BIT). */
static u32 rw_categories(unsigned long rw)
{
	u32 what = BLK_TC_ACT((rw & RW_MASK) == WRITE ? BLK_TC_WRITE :
							BLK_TC_READ);

	if (rw & REQ_SYNC)
		what |= BLK_TC_ACT(BLK_TC_SYNC);
	if (rw & REQ_META)
		what |= BLK_TC_ACT(BLK_TC_META);
	if (rw & REQ_RAHEAD)
		what |= BLK_TC_ACT(BLK_TC_AHEAD);
	if (rw & REQ_FLUSH)
		what |= BLK_TC_ACT(BLK_TC_FLUSH);
	return what;
}

static void __blk_add_trace(struct blk_trace *bt, sector_t sector,
			    unsigned int bytes, unsigned long rw, u32 what,
			    int error, const void *pdu, unsigned int pdu_len)
{
	u32 pid = (u32)current->id;
	unsigned long flags;

	spin_lock_irqsave(&bt->lock, flags);
	if (bt->trace_state == Blktrace_running) {
		note_task(bt, pid);
		record(bt, ++bt->sequence, pid, sector, bytes,
		       what | rw_categories(rw), error, pdu, pdu_len);
	}
	spin_unlock_irqrestore(&bt->lock, flags);
}

void blk_add_trace_bio(struct request_queue *q, struct bio *bio, u32 what,
		       int error)
{
	__blk_add_trace(q->blk_trace, bio->bi_sector, bio->bi_size, bio->bi_rw,
			what, error, NULL, 0);
}

void blk_add_trace_rq(struct request_queue *q, struct request *rq, u32 what,
		      unsigned int bytes, int error)
{
	__blk_add_trace(q->blk_trace, blk_rq_pos(rq), bytes, rq->cmd_flags,
			what | BLK_TC_ACT(BLK_TC_FS), error, NULL, 0);
}

void blk_add_trace_plug(struct request_queue *q)
{
	__blk_add_trace(q->blk_trace, 0, 0, READ, BLK_TA_PLUG, 0, NULL, 0);
}

/* The payload is the number of requests, big-endian, as Linux writes it. */
void blk_add_trace_unplug(struct request_queue *q, unsigned int depth,
			  bool explicit)
{
	u8 pdu[sizeof(u64)];

	for (unsigned int i = 0; i < sizeof(pdu); i++)
		pdu[i] = (u8)((u64)depth >> (8 * (sizeof(pdu) - 1 - i)));
	__blk_add_trace(q->blk_trace, 0, 0, READ,
			explicit ? BLK_TA_UNPLUG_IO : BLK_TA_UNPLUG_TIMER, 0,
			pdu, sizeof(pdu));
}

static void trace_free(struct blk_trace *bt)
{
	if (!bt)
		return;
	for (unsigned int i = 0; bt->subbuf && i < bt->nr_subbufs; i++)
		if (bt->subbuf[i])
			free_pages((unsigned long)bt->subbuf[i], SUBBUF_ORDER);
	kfree(bt->subbuf);
	kfree(bt->used);
	kfree(bt);
}

static struct blk_trace *trace_alloc(struct gendisk *disk, unsigned int kib)
{
	unsigned long bytes = (unsigned long)kib * 1024;
	struct blk_trace *bt = kzalloc(sizeof(*bt), GFP_KERNEL);
	unsigned int n =
		(unsigned int)((bytes + SUBBUF_SIZE - 1) / SUBBUF_SIZE);

	if (!bt)
		return NULL;
	spin_lock_init(&bt->lock);
	bt->dev = disk_devt(disk);
	bt->trace_state = Blktrace_setup;
	bt->nr_subbufs = n;
	bt->subbuf = kcalloc(n, sizeof(*bt->subbuf), GFP_KERNEL);
	bt->used = kcalloc(n, sizeof(*bt->used), GFP_KERNEL);
	if (!bt->subbuf || !bt->used)
		goto err;
	for (unsigned int i = 0; i < n; i++) {
		bt->subbuf[i] =
			(void *)__get_free_pages(GFP_KERNEL, SUBBUF_ORDER);
		if (!bt->subbuf[i])
			goto err;
	}
	return bt;
err:
	trace_free(bt);
	return NULL;
}

/*
 * Detach the trace from its queue. With interrupts off no completion
 * can be recording into it, and on one CPU nothing else runs: after
 * this it is ours to free (SMP would need RCU here, as Linux has).
 */
static struct blk_trace *trace_detach(struct request_queue *q)
{
	struct blk_trace *bt;
	unsigned long flags;

	local_irq_save(flags);
	bt = q->blk_trace;
	q->blk_trace = NULL;
	local_irq_restore(flags);
	return bt;
}

int blk_trace_setup(struct gendisk *disk, unsigned int buf_kib)
{
	struct blk_trace *bt;

	if (!disk || !disk->queue || buf_kib < BLK_TRACE_MIN_KIB ||
	    buf_kib > BLK_TRACE_MAX_KIB)
		return -EINVAL;
	bt = trace_alloc(disk, buf_kib);
	if (!bt)
		return -ENOMEM;
	trace_free(trace_detach(disk->queue));
	disk->queue->blk_trace = bt;
	return 0;
}

int blk_trace_startstop(struct gendisk *disk, bool start)
{
	struct blk_trace *bt = disk && disk->queue ? disk->queue->blk_trace :
						     NULL;
	unsigned long flags;

	if (!bt)
		return -EINVAL;
	spin_lock_irqsave(&bt->lock, flags);
	if (start) {
		/* Name every thread again: a reader may have taken the notes. */
		bt->nr_seen = 0;
		bt->trace_state = Blktrace_running;
	} else if (bt->trace_state == Blktrace_running) {
		bt->trace_state = Blktrace_stopped;
	}
	spin_unlock_irqrestore(&bt->lock, flags);
	return 0;
}

void blk_trace_shutdown(struct request_queue *q)
{
	trace_free(trace_detach(q));
}

void blk_trace_all_disks(unsigned int buf_kib)
{
	trace_all_kib = buf_kib;
}

void blk_trace_add_disk(struct gendisk *disk)
{
	if (!trace_all_kib || disk->queue->blk_trace)
		return;
	if (blk_trace_setup(disk, trace_all_kib) ||
	    blk_trace_startstop(disk, true))
		printk("%s: cannot trace it (%u KiB of buffer)\n",
		       disk->disk_name, trace_all_kib);
}

void blk_trace_get_info(struct gendisk *disk, struct blk_trace_info *info)
{
	struct blk_trace *bt = disk && disk->queue ? disk->queue->blk_trace :
						     NULL;
	unsigned long flags;

	memset(info, 0, sizeof(*info));
	if (!bt)
		return;
	spin_lock_irqsave(&bt->lock, flags);
	info->state = bt->trace_state;
	info->events = bt->events;
	info->dropped = bt->dropped;
	info->size = (size_t)bt->nr_subbufs * SUBBUF_SIZE;
	for (unsigned long n = bt->tail; n <= bt->head; n++)
		info->buffered += *used_at(bt, n);
	info->buffered -= bt->tail_off;
	spin_unlock_irqrestore(&bt->lock, flags);
}

/*
 * Under bt->lock: the record at sub-buffer n, offset *off, copied into
 * buf if it fits; moves (n, off) past it. 0 at the end of the records.
 */
static size_t ring_copy(struct blk_trace *bt, unsigned long *n,
			unsigned int *off, void *buf, size_t len)
{
	const struct blk_io_trace *t;
	unsigned int rlen;

	while (*off >= *used_at(bt, *n)) {
		if (*n == bt->head)
			return 0;
		(*n)++;
		*off = 0;
	}
	t = (const void *)((char *)subbuf_at(bt, *n) + *off);
	rlen = record_len(t);
	if (rlen > len)
		return 0;
	memcpy(buf, t, rlen);
	*off += rlen;
	return rlen;
}

size_t blk_trace_read(struct gendisk *disk, void *buf, size_t len)
{
	struct blk_trace *bt = disk && disk->queue ? disk->queue->blk_trace :
						     NULL;
	unsigned long flags;
	size_t done = 0, one;

	if (!bt)
		return 0;
	spin_lock_irqsave(&bt->lock, flags);
	while ((one = ring_copy(bt, &bt->tail, &bt->tail_off,
				(char *)buf + done, len - done)))
		done += one;
	spin_unlock_irqrestore(&bt->lock, flags);
	return done;
}

size_t blk_trace_peek(struct gendisk *disk, struct blk_trace_cursor *cur,
		      void *buf, size_t len)
{
	struct blk_trace *bt = disk && disk->queue ? disk->queue->blk_trace :
						     NULL;
	unsigned long flags;
	size_t one;

	if (!bt)
		return 0;
	spin_lock_irqsave(&bt->lock, flags);
	if (!cur->started || cur->subbuf < bt->tail ||
	    (cur->subbuf == bt->tail && cur->off < bt->tail_off)) {
		cur->subbuf = bt->tail;
		cur->off = bt->tail_off;
		cur->started = true;
	}
	one = ring_copy(bt, &cur->subbuf, &cur->off, buf, len);
	spin_unlock_irqrestore(&bt->lock, flags);
	return one;
}
