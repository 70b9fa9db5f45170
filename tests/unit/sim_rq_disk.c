/* The simulated request-based disk of sim_rq_disk.h. */
#define _ISOC11_SOURCE 1
#include <stdlib.h>
#include <string.h>

#include "errno.h"
#include "platform.h"
#include "sim_rq_disk.h"

#define MAX_DISKS 8

static struct sim_rq_disk *disks[MAX_DISKS];

static bool touches_bad(struct sim_rq_disk *sd, struct request *rq)
{
	sector_t start = rq->sector, end = start + blk_rq_sectors(rq);

	for (unsigned int i = 0; i < sd->nr_bad; i++) {
		struct sim_bad_range *b = &sd->bad[i];

		if (b->rw >= 0 && b->rw != rq_data_dir(rq))
			continue;
		if (start < b->end && b->start < end)
			return true;
	}
	return false;
}

static int sim_queue_rq(struct request_queue *q, struct request *rq)
{
	struct sim_rq_disk *sd = q->queuedata;
	struct blk_sg sg[256];
	struct sim_rq_log *l;

	sd->calls++;
	if (sd->busy_every && sd->calls % sd->busy_every == 0) {
		sd->busy_returned++;
		return -EBUSY;
	}
	for (unsigned int i = 0; i < sd->nr_inflight; i++)
		if (sd->inflight[i]->tag == rq->tag)
			sd->tag_clash = true;
	if (rq->tag < 0 || (unsigned int)rq->tag >= q->queue_depth ||
	    sd->nr_inflight >= SIM_RQ_MAX_DEPTH)
		sd->tag_clash = true;
	if (sd->nr_log < SIM_RQ_MAX_LOG) {
		l = &sd->log[sd->nr_log++];
		l->cmd_flags = rq->cmd_flags;
		l->sector = rq->sector;
		l->data_len = rq->data_len;
		l->nr_phys_segments = rq->nr_phys_segments;
		l->nr_sg = rq->data_len ? blk_rq_map_sg(q, rq, sg) : 0;
		l->tag = rq->tag;
		l->nr_bios = 0;
		for (struct bio *b = rq->bio; b; b = b->bi_next)
			l->nr_bios++;
	}
	sd->inflight[sd->nr_inflight++] = rq;
	if (sd->nr_inflight > sd->max_inflight)
		sd->max_inflight = sd->nr_inflight;
	return 0;
}

static const struct blk_mq_ops sim_ops = { .queue_rq = sim_queue_rq };

/* The data moves through the scatter list, as a DMA engine would. */
static void transfer(struct sim_rq_disk *sd, struct request *rq)
{
	struct blk_sg sg[256];
	u8 *disk = sd->data + (rq->sector << SECTOR_SHIFT);
	int n = blk_rq_map_sg(sd->q, rq, sg);

	for (int i = 0; i < n; i++) {
		void *mem = (void *)(uintptr_t)sg[i].addr;

		if (rq_data_dir(rq) == WRITE)
			memcpy(disk, mem, sg[i].len);
		else
			memcpy(mem, disk, sg[i].len);
		disk += sg[i].len;
	}
}

static unsigned int pick(struct sim_rq_disk *sd)
{
	switch (sd->order) {
	case SIM_LIFO:
		return sd->nr_inflight - 1;
	case SIM_RANDOM:
		/* xorshift64: reproducible per seed */
		sd->rand_state ^= sd->rand_state << 13;
		sd->rand_state ^= sd->rand_state >> 7;
		sd->rand_state ^= sd->rand_state << 17;
		return (unsigned int)(sd->rand_state % sd->nr_inflight);
	default:
		return 0;
	}
}

bool sim_rq_disk_complete_one(struct sim_rq_disk *sd)
{
	struct request *rq;
	unsigned int i;
	int err = 0;

	if (!sd->nr_inflight)
		return false;
	i = pick(sd);
	rq = sd->inflight[i];
	memmove(&sd->inflight[i], &sd->inflight[i + 1],
		(sd->nr_inflight - i - 1) * sizeof(rq));
	sd->nr_inflight--;
	if (touches_bad(sd, rq)) {
		err = -EIO;
		sd->nr_failed++;
	} else if (rq->data_len) {
		transfer(sd, rq);
	}
	blk_end_request(rq, err);
	return true;
}

static bool sim_poll(void)
{
	for (int i = 0; i < MAX_DISKS; i++)
		if (disks[i] && !disks[i]->hold &&
		    sim_rq_disk_complete_one(disks[i]))
			return true;
	return false;
}

static int nr_disks(void)
{
	int n = 0;

	for (int i = 0; i < MAX_DISKS; i++)
		n += disks[i] != NULL;
	return n;
}

static void track(struct sim_rq_disk *sd)
{
	if (!nr_disks())
		host_register_poller(sim_poll);
	for (int i = 0; i < MAX_DISKS; i++) {
		if (!disks[i]) {
			disks[i] = sd;
			return;
		}
	}
	abort();
}

static void untrack(struct sim_rq_disk *sd)
{
	for (int i = 0; i < MAX_DISKS; i++)
		if (disks[i] == sd)
			disks[i] = NULL;
	if (!nr_disks())
		host_unregister_poller(sim_poll);
}

struct sim_rq_disk *sim_rq_disk_create(const char *prefix, sector_t nr_sectors,
				       unsigned int depth,
				       const struct queue_limits *lim,
				       const void *image)
{
	struct sim_rq_disk *sd = calloc(1, sizeof(*sd));

	if (!sd)
		return NULL;
	sd->nr_sectors = nr_sectors;
	sd->data = calloc(nr_sectors ? nr_sectors : 1, SECTOR_SIZE);
	if (image)
		memcpy(sd->data, image, nr_sectors << SECTOR_SHIFT);
	sd->rand_state = 0x9e3779b97f4a7c15ULL;
	if (depth > SIM_RQ_MAX_DEPTH)
		depth = SIM_RQ_MAX_DEPTH;
	sd->q = blk_init_queue(&sim_ops, depth, sd);
	sd->disk = alloc_disk(prefix);
	if (!sd->q || !sd->disk || !sd->data)
		abort();
	if (lim)
		sd->q->limits = *lim;
	sd->disk->queue = sd->q;
	sd->disk->capacity = nr_sectors;
	sd->disk->bus = "sim";
	strcpy(sd->disk->model, "SIM RQ DISK");
	sd->disk->private_data = sd;
	track(sd);
	if (add_disk(sd->disk))
		abort();
	return sd;
}

void sim_rq_disk_destroy(struct sim_rq_disk *sd)
{
	host_run_pending();
	del_gendisk(sd->disk);
	put_disk(sd->disk);
	blk_cleanup_queue(sd->q);
	untrack(sd);
	free(sd->data);
	free(sd);
}

void sim_rq_disk_add_bad(struct sim_rq_disk *sd, sector_t start, sector_t end,
			 int rw)
{
	if (sd->nr_bad < SIM_RQ_MAX_BAD)
		sd->bad[sd->nr_bad++] =
			(struct sim_bad_range){ start, end, rw };
}
