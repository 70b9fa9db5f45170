/*
 * blktrace: what the block layer's trace points record, in Linux's own
 * binary format (include/uapi/linux/blktrace_api.h, version 7), so that
 * blkparse, btt and iowatcher from the blktrace package read our traces
 * unchanged; and the calls that start, stop and read a disk's trace.
 *
 * A trace is a stream of records, each a struct blk_io_trace in the
 * CPU's byte order (blkparse tells the order from the magic) followed
 * by pdu_len bytes of payload. One stream per disk and CPU: this kernel
 * has one CPU, so a disk's trace is the file <disk>.blktrace.0.
 */
#ifndef _BLKTRACE_API_H
#define _BLKTRACE_API_H

#include "types.h"

/* Categories: bits 16..31 of action, and what a trace can be limited to. */
enum blktrace_cat {
	BLK_TC_READ = 1 << 0,
	BLK_TC_WRITE = 1 << 1,
	BLK_TC_FLUSH = 1 << 2, /* a cache flush (REQ_FLUSH) */
	BLK_TC_SYNC = 1 << 3,
	BLK_TC_QUEUE = 1 << 4, /* queueing and merging */
	BLK_TC_REQUEUE = 1 << 5,
	BLK_TC_ISSUE = 1 << 6,
	BLK_TC_COMPLETE = 1 << 7,
	BLK_TC_FS = 1 << 8, /* a request (as opposed to a bio) */
	BLK_TC_PC = 1 << 9, /* a pass-through command: none here */
	BLK_TC_NOTIFY = 1 << 10, /* a note, not an I/O event */
	BLK_TC_AHEAD = 1 << 11, /* readahead */
	BLK_TC_META = 1 << 12, /* file system metadata */
	BLK_TC_DISCARD = 1 << 13,
	BLK_TC_DRV_DATA = 1 << 14,
	BLK_TC_FUA = 1 << 15,
};

#define BLK_TC_SHIFT 16
#define BLK_TC_ACT(act) ((u32)(act) << BLK_TC_SHIFT)

/* What happened: bits 0..15 of action; blkparse's letter in brackets. */
enum blktrace_act {
	__BLK_TA_QUEUE = 1, /* [Q] a bio reached the queue */
	__BLK_TA_BACKMERGE, /* [M] ...joined a request at its end */
	__BLK_TA_FRONTMERGE, /* [F] ...joined a request at its start */
	__BLK_TA_GETRQ, /* [G] ...got a request of its own */
	__BLK_TA_SLEEPRQ, /* [S] waited for a request: never here */
	__BLK_TA_REQUEUE, /* [R] the driver had no room: back to the queue */
	__BLK_TA_ISSUE, /* [D] a request went to the driver */
	__BLK_TA_COMPLETE, /* [C] ...and completed */
	__BLK_TA_PLUG, /* [P] a plug started holding requests */
	__BLK_TA_UNPLUG_IO, /* [U] the plug was flushed by its owner */
	__BLK_TA_UNPLUG_TIMER, /* [UT] ...because its owner went to sleep */
	__BLK_TA_INSERT, /* [I] a request entered the dispatch queue */
	__BLK_TA_SPLIT, /* [X] a bio was split: never here */
};

enum blktrace_notify {
	__BLK_TN_PROCESS = 0, /* pdu: the thread's name for this pid */
	__BLK_TN_TIMESTAMP, /* pdu: wall-clock time: not written here */
	__BLK_TN_MESSAGE, /* pdu: a text */
};

#define BLK_TA_QUEUE (__BLK_TA_QUEUE | BLK_TC_ACT(BLK_TC_QUEUE))
#define BLK_TA_BACKMERGE (__BLK_TA_BACKMERGE | BLK_TC_ACT(BLK_TC_QUEUE))
#define BLK_TA_FRONTMERGE (__BLK_TA_FRONTMERGE | BLK_TC_ACT(BLK_TC_QUEUE))
#define BLK_TA_GETRQ (__BLK_TA_GETRQ | BLK_TC_ACT(BLK_TC_QUEUE))
#define BLK_TA_REQUEUE (__BLK_TA_REQUEUE | BLK_TC_ACT(BLK_TC_REQUEUE))
#define BLK_TA_ISSUE (__BLK_TA_ISSUE | BLK_TC_ACT(BLK_TC_ISSUE))
#define BLK_TA_COMPLETE (__BLK_TA_COMPLETE | BLK_TC_ACT(BLK_TC_COMPLETE))
#define BLK_TA_PLUG (__BLK_TA_PLUG | BLK_TC_ACT(BLK_TC_QUEUE))
#define BLK_TA_UNPLUG_IO (__BLK_TA_UNPLUG_IO | BLK_TC_ACT(BLK_TC_QUEUE))
#define BLK_TA_UNPLUG_TIMER (__BLK_TA_UNPLUG_TIMER | BLK_TC_ACT(BLK_TC_QUEUE))
#define BLK_TA_INSERT (__BLK_TA_INSERT | BLK_TC_ACT(BLK_TC_QUEUE))

#define BLK_TN_PROCESS (__BLK_TN_PROCESS | BLK_TC_ACT(BLK_TC_NOTIFY))

#define BLK_IO_TRACE_MAGIC 0x65617400
#define BLK_IO_TRACE_VERSION 0x07

/* One record, exactly as Linux lays it out (48 bytes, no padding). */
struct blk_io_trace {
	u32 magic; /* BLK_IO_TRACE_MAGIC | BLK_IO_TRACE_VERSION */
	u32 sequence; /* per disk and CPU, from 1; 0 for notes */
	u64 time; /* ns since boot */
	u64 sector; /* on the whole disk */
	u32 bytes;
	u32 action; /* categories << 16 | __BLK_TA_* or __BLK_TN_* */
	u32 pid; /* the thread that was running */
	u32 device; /* the disk's dev_t: major << 20 | minor */
	u32 cpu;
	u16 error; /* a completion's -errno, as 16 bits */
	u16 pdu_len; /* bytes of payload after the record */
};

_Static_assert(sizeof(struct blk_io_trace) == 48, "blk_io_trace is 48 bytes");

/* A BLK_TN_PROCESS note's payload: the name, NUL-padded (TASK_COMM_LEN). */
#define BLK_TN_COMM_LEN 16

/* Trace states, as Linux's. */
enum {
	Blktrace_setup = 1,
	Blktrace_running,
	Blktrace_stopped,
};

struct gendisk;

/* Buffer size per disk when none is given, in KiB. */
#define BLK_TRACE_DEFAULT_KIB 4096
/* The smallest buffer: two sub-buffers; the largest, 1 GiB. */
#define BLK_TRACE_MIN_KIB 128
#define BLK_TRACE_MAX_KIB (1U << 20)

/*
 * Give disk a fresh, empty trace buffer of buf_kib KiB (rounded up to
 * whole sub-buffers), replacing any trace it had; tracing is set up but
 * not started. 0, -EINVAL or -ENOMEM. The trace goes with the disk's
 * queue (blk_cleanup_queue).
 */
int blk_trace_setup(struct gendisk *disk, unsigned int buf_kib);
/* Start or stop recording; -EINVAL if the disk has no trace. */
int blk_trace_startstop(struct gendisk *disk, bool start);
/*
 * From now on every disk add_disk() registers is traced from its first
 * I/O, with buf_kib KiB of buffer (0 turns this off again).
 */
void blk_trace_all_disks(unsigned int buf_kib);

struct blk_trace_info {
	int state; /* 0 (no trace), Blktrace_setup, _running, _stopped */
	unsigned long events; /* recorded since setup (notes included) */
	unsigned long dropped; /* lost because the buffer was full */
	size_t buffered; /* bytes of records not read yet */
	size_t size; /* bytes of buffer */
};
void blk_trace_get_info(struct gendisk *disk, struct blk_trace_info *info);

/*
 * Move whole records, oldest first, into buf (at most len bytes); they
 * leave the buffer, making room. Returns the bytes copied; 0 when
 * nothing is buffered or the next record is larger than len.
 */
size_t blk_trace_read(struct gendisk *disk, void *buf, size_t len);

/*
 * Walking the buffered records without consuming them (to show a trace
 * as text): start with a zeroed cursor; each call copies the next record
 * and its payload into buf and returns its length, 0 at the end (or if
 * it does not fit in len). Only one reader may move records meanwhile.
 */
struct blk_trace_cursor {
	unsigned long subbuf;
	unsigned int off;
	bool started;
};
size_t blk_trace_peek(struct gendisk *disk, struct blk_trace_cursor *cur,
		      void *buf, size_t len);

#endif
