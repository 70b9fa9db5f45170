/*
 * Per-disk counters in the fields of Linux's /proc/diskstats. A request
 * is counted once, from its first dispatch (in_flight, requests) to its
 * completion (ios, sectors, ticks); a merge is a bio (or a request) that
 * joined another instead of becoming its own command, so
 * bios == requests + merges once the queue is idle. Flushes carry no
 * data and are not counted, as in Linux 2.6. A failed request of n bios
 * re-issued bio by bio adds n requests and n retries, so then
 * bios == requests + merges - retries.
 */
#include "blk.h"

static void add_ulong(unsigned long *v, unsigned long n)
{
	__atomic_add_fetch(v, n, __ATOMIC_SEQ_CST);
}

void blk_account_bio(struct gendisk *disk, struct bio *bio)
{
	if (bio->bi_size)
		add_ulong(&disk->stats.bios[bio_data_dir(bio)], 1);
}

void blk_account_merge(struct gendisk *disk, int rw, int merges)
{
	add_ulong(&disk->stats.merges[rw & RW_MASK], (unsigned long)merges);
}

/* io_ticks grows by the time since the last change while busy. */
static void update_io_ticks(struct disk_stats *st, u64 now)
{
	if (st->in_flight && now > st->stamp_ns)
		st->io_ticks_ns += now - st->stamp_ns;
	st->stamp_ns = now;
	st->io_ticks_ms = st->io_ticks_ns / 1000000;
}

/* Under the queue lock. */
void blk_account_start(struct request *rq, u64 now)
{
	struct disk_stats *st;

	if (!rq->rq_disk || !rq->data_len)
		return;
	st = &rq->rq_disk->stats;
	update_io_ticks(st, now);
	st->in_flight++;
	st->requests[rq_data_dir(rq)]++;
}

/* Under the queue lock, in interrupt context. */
void blk_account_done(struct request *rq, int error, u64 now)
{
	struct disk_stats *st;
	int rw = rq_data_dir(rq);

	if (!rq->rq_disk || !rq->data_len)
		return;
	st = &rq->rq_disk->stats;
	update_io_ticks(st, now);
	st->in_flight--;
	st->ios[rw]++;
	st->sectors[rw] += blk_rq_sectors(rq);
	if (now > rq->start_time_ns)
		st->ticks_ns[rw] += now - rq->start_time_ns;
	st->ticks_ms[rw] = st->ticks_ns[rw] / 1000000;
	if (error)
		st->errors++;
}

/* Under the queue lock. */
void blk_account_retry(struct gendisk *disk, unsigned int nr_bios)
{
	if (disk)
		disk->stats.retries += nr_bios;
}
