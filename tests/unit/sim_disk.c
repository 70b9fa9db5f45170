/*
 * The simulated disk of sim_disk.h. One poller serves every disk made
 * here; each call completes one bio of the first disk with work queued.
 */
#define _ISOC11_SOURCE 1
#include <stdlib.h>
#include <string.h>

#include "bio.h"
#include "errno.h"
#include "mm.h"
#include "platform.h"
#include "printk.h"
#include "sim_disk.h"

#define MAX_SIM_DISKS 8

static struct sim_disk *disks[MAX_SIM_DISKS];

u8 sim_disk_pattern(u64 offset)
{
	u64 x = (offset >> 3) * 0x9e3779b97f4a7c15ULL;

	return (u8)((x >> 56) ^ (offset & 7) ^ (offset >> 9));
}

static bool is_bad(struct sim_disk *sd, struct bio *bio)
{
	sector_t s = bio->bi_sector, e = bio_end_sector(bio);

	for (unsigned int i = 0; i < sd->nr_bad; i++) {
		if (sd->bad[i].rw >= 0 && sd->bad[i].rw != bio_data_dir(bio))
			continue;
		if (s < sd->bad[i].end && sd->bad[i].start < e)
			return true;
	}
	return false;
}

static void sim_copy(struct sim_disk *sd, struct bio *bio)
{
	u64 off = (u64)bio->bi_sector << SECTOR_SHIFT;
	struct bio_vec *bv;
	int i;

	bio_for_each_segment(bv, bio, i) {
		u8 *mem = (u8 *)page_address(bv->bv_page) + bv->bv_offset;

		if (bio_data_dir(bio) == WRITE)
			memcpy(sd->data + off, mem, bv->bv_len);
		else
			memcpy(mem, sd->data + off, bv->bv_len);
		off += bv->bv_len;
	}
}

static void sim_end(struct sim_disk *sd, struct bio *bio)
{
	int err = 0;

	if (is_bad(sd, bio)) {
		err = -EIO;
		sd->nr_failed++;
	} else {
		sim_copy(sd, bio);
	}
	bio->bi_size = 0;
	bio_endio(bio, err);
}

bool sim_disk_complete(struct sim_disk *sd, unsigned int i)
{
	struct bio *bio;

	if (i >= sd->nr_queued)
		return false;
	bio = sd->queued[i];
	memmove(&sd->queued[i], &sd->queued[i + 1],
		(sd->nr_queued - i - 1) * sizeof(sd->queued[0]));
	sd->nr_queued--;
	sim_end(sd, bio);
	return true;
}

static bool sim_poll(void)
{
	for (int d = 0; d < MAX_SIM_DISKS; d++) {
		struct sim_disk *sd = disks[d];

		if (!sd || sd->hold || !sd->nr_queued)
			continue;
		return sim_disk_complete(
			sd, sd->order == SIM_DISK_LIFO ? sd->nr_queued - 1 : 0);
	}
	return false;
}

static void sim_make_request(struct request_queue *q, struct bio *bio)
{
	struct sim_disk *sd = q->queuedata;

	if (sd->nr_log < SIM_DISK_MAX_LOG) {
		struct sim_bio_log *l = &sd->log[sd->nr_log++];

		l->rw = bio_data_dir(bio);
		l->sector = bio->bi_sector;
		l->size = bio->bi_size;
		l->vcnt = bio->bi_vcnt;
	}
	if (sd->nr_queued == SIM_DISK_MAX_QUEUED) {
		bio_endio(bio, -EIO);
		return;
	}
	sd->queued[sd->nr_queued++] = bio;
}

struct sim_disk *sim_disk_create(sector_t nr_sectors, unsigned int block_size)
{
	struct sim_disk *sd = calloc(1, sizeof(*sd));
	int slot;

	if (!sd)
		abort();
	for (slot = 0; slot < MAX_SIM_DISKS && disks[slot]; slot++)
		;
	if (slot == MAX_SIM_DISKS)
		abort();
	sd->data = malloc(nr_sectors << SECTOR_SHIFT);
	if (!sd->data)
		abort();
	for (u64 o = 0; o < (nr_sectors << SECTOR_SHIFT); o++)
		sd->data[o] = sim_disk_pattern(o);
	sd->nr_sectors = nr_sectors;
	strcpy(sd->disk.disk_name, "simd");
	sd->disk.bus = "sim";
	sd->disk.capacity = nr_sectors;
	sd->disk.queue = blk_alloc_queue(sim_make_request);
	if (!sd->disk.queue)
		abort();
	sd->disk.queue->queuedata = sd;
	sd->disk.part0 = &sd->bdev;
	sd->bdev.bd_disk = &sd->disk;
	sd->bdev.bd_contains = &sd->bdev;
	sd->bdev.bd_nr_sectors = nr_sectors;
	sd->bdev.bd_block_size = block_size;
	strcpy(sd->bdev.bd_name, "simd");
	INIT_LIST_HEAD(&sd->bdev.bd_list);
	INIT_LIST_HEAD(&sd->disk.disk_list);
	disks[slot] = sd;
	host_register_poller(sim_poll);
	return sd;
}

void sim_disk_drain(struct sim_disk *sd)
{
	sd->hold = false;
	while (sd->nr_queued)
		sim_disk_complete(sd, 0);
	host_run_pending();
}

void sim_disk_destroy(struct sim_disk *sd)
{
	sim_disk_drain(sd);
	for (int d = 0; d < MAX_SIM_DISKS; d++)
		if (disks[d] == sd)
			disks[d] = NULL;
	blk_cleanup_queue(sd->disk.queue);
	free(sd->data);
	free(sd);
}

void sim_disk_add_bad(struct sim_disk *sd, sector_t start, sector_t end, int rw)
{
	if (sd->nr_bad == SIM_DISK_MAX_BAD)
		abort();
	sd->bad[sd->nr_bad].start = start;
	sd->bad[sd->nr_bad].end = end;
	sd->bad[sd->nr_bad].rw = rw;
	sd->nr_bad++;
}

void sim_disk_clear_log(struct sim_disk *sd)
{
	sd->nr_log = 0;
}
