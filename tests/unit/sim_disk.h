/*
 * A bio-level simulated disk for the page-cache tests: its queue's
 * make_request_fn records every bio (direction, sector, size, in
 * submission order) and queues it; a platform poller completes queued
 * bios "in interrupt context" inside the test's waits, copying to or
 * from an in-memory image. Completion order is FIFO, LIFO, or held
 * until the test releases it; chosen sectors fail with -EIO.
 */
#ifndef _SIM_DISK_H
#define _SIM_DISK_H

#include "blkdev.h"

#define SIM_DISK_MAX_LOG 4096
#define SIM_DISK_MAX_QUEUED 1024
#define SIM_DISK_MAX_BAD 8

struct sim_bio_log {
	int rw; /* READ or WRITE */
	sector_t sector; /* on the whole disk */
	unsigned int size; /* bytes */
	unsigned short vcnt; /* bio_vecs: pages it carried */
};

enum sim_disk_order { SIM_DISK_FIFO, SIM_DISK_LIFO };

struct sim_disk {
	struct gendisk disk;
	struct block_device bdev;
	u8 *data;
	sector_t nr_sectors;
	enum sim_disk_order order;
	bool hold; /* the poller completes nothing */
	struct bio *queued[SIM_DISK_MAX_QUEUED];
	unsigned int nr_queued;
	struct sim_bio_log log[SIM_DISK_MAX_LOG];
	unsigned int nr_log;
	struct {
		sector_t start, end;
		int rw;
	} bad[SIM_DISK_MAX_BAD];
	unsigned int nr_bad;
	unsigned int nr_failed; /* bios ended with -EIO */
};

/*
 * A disk of nr_sectors whose byte at offset o is sim_disk_pattern(o),
 * buffer heads of block_size on its page cache, default queue limits.
 */
struct sim_disk *sim_disk_create(sector_t nr_sectors, unsigned int block_size);
void sim_disk_destroy(struct sim_disk *sd);
u8 sim_disk_pattern(u64 offset);
/* Bios touching [start, end) in direction rw (READ, WRITE, -1 both) fail. */
void sim_disk_add_bad(struct sim_disk *sd, sector_t start, sector_t end,
		      int rw);
/* Complete the queued bio at position i (0 = oldest); false if none. */
bool sim_disk_complete(struct sim_disk *sd, unsigned int i);
/* Complete everything queued, honouring hold = false. */
void sim_disk_drain(struct sim_disk *sd);
void sim_disk_clear_log(struct sim_disk *sd);

#endif
