/*
 * virtio-blk: each block-layer request becomes one descriptor chain:
 * a device-readable header (type, sector), the data buffers from
 * blk_rq_map_sg (device-writable for reads), and a one-byte status the
 * device writes last. With indirect descriptors the chain lives in a
 * per-tag table and takes a single ring slot, so the queue depth is the
 * ring size; without, each tag reserves room for its longest chain.
 */
#include "bitops.h"
#include "blkdev.h"
#include "errno.h"
#include "init.h"
#include "asm/io.h"
#include "irq.h"
#include "ktime.h"
#include "mm.h"
#include "printk.h"
#include "slab.h"
#include "spinlock.h"
#include "string.h"
#include "virtio.h"
#include "virtio_blk.h"

#define VIRTBLK_MAX_SEGS 128 /* data entries per request */
#define VIRTBLK_MAX_SECTORS 2048 /* 1 MiB requests */
#define VIRTBLK_MAX_NO_INDIRECT 30 /* segments when chains are direct */
#define VIRTBLK_RING_MAX 256
#define VIRTBLK_POLL_NS (5 * NSEC_PER_SEC)
/*
 * Linux's virtio_blk asks for a dynamic major (register_blkdev(0)),
 * handed out from 254 down, so which one it gets depends on the drivers
 * that registered first: 254 on a bare guest, 252 on Ubuntu's. We take
 * 252: btt counts 253 and 254 as device-mapper (its remapper_dev) and
 * would file our disk's latencies as Q2Cdm, without its own tables.
 */
#define VIRTBLK_MAJOR 252

/* A request sent as FLUSH then the data: which half is on the device. */
enum virtblk_stage { VBR_DATA, VBR_PREFLUSH };

struct virtblk_req {
	struct virtio_blk_outhdr hdr;
	u8 status;
	u8 stage;
	struct request *rq;
	struct vring_desc *indirect; /* 2 + max_segs entries, or NULL */
};

struct virtio_blk {
	struct virtio_pci_device vp;
	struct virtqueue *vq;
	spinlock_t lock; /* the virtqueue and scratch lists */
	struct request_queue *q;
	struct gendisk *disk;
	struct virtblk_req *reqs; /* by tag */
	unsigned int depth;
	unsigned int max_segs;
	struct blk_sg *bsg; /* scratch for blk_rq_map_sg */
	struct vring_sg *sg; /* scratch chain, max_segs + 2 */
	int vectors[2]; /* MSI-X: config, queue 0 */
	bool ro;
	/* One internal command (GET_ID) at a time, outside the tags. */
	struct virtblk_req internal;
	volatile bool internal_busy;
	volatile bool internal_done;
	char id_buf[VIRTIO_BLK_ID_BYTES];
};

static void virtblk_hdr(struct virtblk_req *r, u32 type, u64 sector)
{
	r->hdr.type = type;
	r->hdr.ioprio = 0;
	r->hdr.sector = sector;
	r->status = 0xff; /* anything but OK until the device says so */
}

/* Queue the chain header, data[0..n), status; caller holds vblk->lock. */
static int virtblk_add(struct virtio_blk *vblk, struct virtblk_req *r,
		       const struct blk_sg *data, unsigned int n, bool write)
{
	struct vring_sg *sg = vblk->sg;
	unsigned int i, out;

	sg[0].addr = pci_dma_addr(&r->hdr);
	sg[0].len = sizeof(r->hdr);
	for (i = 0; i < n; i++) {
		sg[1 + i].addr = data[i].addr;
		sg[1 + i].len = data[i].len;
	}
	sg[1 + n].addr = pci_dma_addr(&r->status);
	sg[1 + n].len = 1;
	out = write ? 1 + n : 1;
	return virtqueue_add_sgs(vblk->vq, sg, out, n + 2 - out, r,
				 r->indirect);
}

static int virtblk_send_data(struct virtio_blk *vblk, struct virtblk_req *r)
{
	struct request *rq = r->rq;
	bool write = rq_data_dir(rq) == WRITE;
	int n;

	n = blk_rq_map_sg(vblk->q, rq, vblk->bsg);
	if (n <= 0 || (unsigned int)n > vblk->max_segs)
		return -EINVAL;
	r->stage = VBR_DATA;
	virtblk_hdr(r, write ? VIRTIO_BLK_T_OUT : VIRTIO_BLK_T_IN, rq->sector);
	return virtblk_add(vblk, r, vblk->bsg, (unsigned int)n, write);
}

static int virtblk_send_flush(struct virtio_blk *vblk, struct virtblk_req *r,
			      u8 stage)
{
	r->stage = stage;
	virtblk_hdr(r, VIRTIO_BLK_T_FLUSH, 0);
	return virtblk_add(vblk, r, NULL, 0, false);
}

/*
 * Returns 0 with the request on the ring, -EBUSY when the ring is full,
 * or another -errno for a request the device must never see (the caller
 * then ends it).
 */
static int virtblk_start(struct virtio_blk *vblk, struct request *rq)
{
	struct virtblk_req *r = &vblk->reqs[rq->tag];
	bool flush = rq->cmd_flags & REQ_FLUSH;
	unsigned long flags;
	int err;

	if (rq_data_dir(rq) == WRITE && rq->data_len && vblk->ro)
		return -EROFS;
	r->rq = rq;
	spin_lock_irqsave(&vblk->lock, flags);
	/* REQ_FLUSH comes only with VIRTIO_BLK_F_FLUSH (q->write_cache). */
	if (flush)
		err = virtblk_send_flush(
			vblk, r, rq->data_len ? VBR_PREFLUSH : VBR_DATA);
	else
		err = virtblk_send_data(vblk, r);
	if (!err)
		virtqueue_kick(vblk->vq);
	spin_unlock_irqrestore(&vblk->lock, flags);
	return err == -ENOSPC ? -EBUSY : err;
}

static int virtblk_queue_rq(struct request_queue *q, struct request *rq)
{
	struct virtio_blk *vblk = q->queuedata;
	int err;

	if (rq->tag < 0 || (unsigned int)rq->tag >= vblk->depth)
		return -EBUSY;
	err = virtblk_start(vblk, rq);
	if (err == -EBUSY)
		return err;
	if (err) /* refused: the device never saw it */
		blk_end_request(rq, err);
	return 0;
}

static const struct blk_mq_ops virtblk_mq_ops = {
	.queue_rq = virtblk_queue_rq,
};

static int virtblk_status_errno(u8 status)
{
	return status == VIRTIO_BLK_S_OK ? 0 : -EIO;
}

/* Take one completion off the ring; returns the request to end, if any. */
static struct request *virtblk_reap_one(struct virtio_blk *vblk, int *err,
					bool *more)
{
	struct virtblk_req *r;
	unsigned long flags;
	struct request *rq = NULL;

	spin_lock_irqsave(&vblk->lock, flags);
	r = virtqueue_get_buf(vblk->vq, NULL);
	*more = r != NULL;
	if (!r)
		goto out;
	if (r == &vblk->internal) {
		vblk->internal_done = true;
		goto out;
	}
	*err = virtblk_status_errno(r->status);
	if (r->stage == VBR_PREFLUSH && !*err) {
		/* The cache is clean: now the data, in the freed slots. */
		*err = virtblk_send_data(vblk, r);
		if (!*err) {
			virtqueue_kick(vblk->vq);
			goto out;
		}
	}
	rq = r->rq;
	r->rq = NULL;
out:
	spin_unlock_irqrestore(&vblk->lock, flags);
	return rq;
}

/* Completions: ended outside our lock, since ending may queue more. */
static void virtblk_complete(struct virtio_blk *vblk)
{
	struct request *rq;
	bool more = true;
	int err = 0;

	while (more) {
		rq = virtblk_reap_one(vblk, &err, &more);
		if (rq)
			blk_end_request(rq, err);
	}
}

static void virtblk_vq_irq(void *data)
{
	virtblk_complete(data);
}

static void virtblk_config_irq(void *data)
{
	struct virtio_blk *vblk = data;

	printk("virtio_blk: %s: configuration changed (capacity %llu)\n",
	       vblk->disk ? vblk->disk->disk_name : "?",
	       (unsigned long long)vp_config_read64(&vblk->vp,
						    VIRTIO_BLK_CFG_CAPACITY));
}

/*
 * Run GET_ID outside the tag space: one descriptor chain is always kept
 * free for it (see virtblk_depth). It polls, with interrupts off, so it
 * works during probe before anything can sleep.
 */
static int virtblk_internal_get_id(struct virtio_blk *vblk, char *id)
{
	struct virtblk_req *r = &vblk->internal;
	struct blk_sg data = { pci_dma_addr(vblk->id_buf),
			       VIRTIO_BLK_ID_BYTES };
	unsigned long flags;
	u64 deadline;
	int err;

	spin_lock_irqsave(&vblk->lock, flags);
	if (vblk->internal_busy) {
		spin_unlock_irqrestore(&vblk->lock, flags);
		return -EBUSY;
	}
	memset(vblk->id_buf, 0, sizeof(vblk->id_buf));
	virtblk_hdr(r, VIRTIO_BLK_T_GET_ID, 0);
	/* GET_ID never uses the indirect table: no tag owns one for it. */
	r->indirect = NULL;
	vblk->internal_done = false;
	err = virtblk_add(vblk, r, &data, 1, false);
	if (err) {
		spin_unlock_irqrestore(&vblk->lock, flags);
		return err == -ENOSPC ? -EBUSY : err;
	}
	vblk->internal_busy = true;
	virtqueue_kick(vblk->vq);
	spin_unlock_irqrestore(&vblk->lock, flags);

	deadline = ktime_get_ns() + VIRTBLK_POLL_NS;
	local_irq_save(flags);
	while (!vblk->internal_done && ktime_get_ns() < deadline)
		virtblk_complete(vblk);
	local_irq_restore(flags);
	if (!vblk->internal_done)
		return -ETIMEDOUT; /* stays busy: the buffer is still lent */
	vblk->internal_busy = false;
	err = virtblk_status_errno(r->status);
	if (!err) {
		memcpy(id, vblk->id_buf, VIRTIO_BLK_ID_BYTES);
		id[VIRTIO_BLK_ID_BYTES] = '\0';
	}
	return err;
}

int virtblk_get_id(struct gendisk *disk, char id[VIRTIO_BLK_ID_BYTES + 1])
{
	if (!disk || !disk->bus || strcmp(disk->bus, "virtio") != 0)
		return -ENODEV;
	return virtblk_internal_get_id(disk->private_data, id);
}

static int virtblk_setup_irqs(struct virtio_blk *vblk)
{
	int err;

	vblk->vectors[0] = irq_alloc_vector(virtblk_config_irq, vblk);
	vblk->vectors[1] = irq_alloc_vector(virtblk_vq_irq, vblk);
	if (vblk->vectors[0] < 0 || vblk->vectors[1] < 0)
		return -ENOSPC;
	err = pci_enable_msix(vblk->vp.pci, vblk->vectors, 2);
	if (err)
		return err;
	return vp_set_config_vector(&vblk->vp, 0);
}

/* Requests in flight at once, keeping one chain for GET_ID. */
static unsigned int virtblk_depth(struct virtio_blk *vblk)
{
	unsigned int num = vblk->vq->num;

	if (vblk->vq->indirect)
		return num - 1;
	return (num - 3) / (vblk->max_segs + 2);
}

static int virtblk_alloc_reqs(struct virtio_blk *vblk)
{
	unsigned int i, n = vblk->max_segs + 2;

	vblk->reqs = kcalloc(vblk->depth, sizeof(*vblk->reqs), GFP_KERNEL);
	vblk->bsg = kcalloc(vblk->max_segs, sizeof(*vblk->bsg), GFP_KERNEL);
	vblk->sg = kcalloc(n, sizeof(*vblk->sg), GFP_KERNEL);
	if (!vblk->reqs || !vblk->bsg || !vblk->sg)
		return -ENOMEM;
	if (!vblk->vq->indirect)
		return 0;
	for (i = 0; i < vblk->depth; i++) {
		vblk->reqs[i].indirect =
			kcalloc(n, sizeof(struct vring_desc), GFP_KERNEL);
		if (!vblk->reqs[i].indirect)
			return -ENOMEM;
	}
	return 0;
}

/*
 * Give back what virtblk_setup_queue() got, as far as it got. The device
 * must be reset first: until then it may still use the ring and buffers.
 */
static void virtblk_free_queue(struct virtio_blk *vblk)
{
	if (vblk->reqs)
		for (unsigned int i = 0; i < vblk->depth; i++)
			kfree(vblk->reqs[i].indirect);
	kfree(vblk->reqs);
	kfree(vblk->bsg);
	kfree(vblk->sg);
	if (vblk->vq)
		vring_del_virtqueue(vblk->vq);
	for (int i = 0; i < 2; i++)
		if (vblk->vectors[i] > 0)
			irq_free_vector(vblk->vectors[i]);
}

static void virtblk_set_limits(struct virtio_blk *vblk)
{
	struct virtio_pci_device *vp = &vblk->vp;
	struct request_queue *q = vblk->q;
	u32 size_max = 0, blk_size = SECTOR_SIZE;

	if (vp_has_feature(vp, VIRTIO_BLK_F_SIZE_MAX))
		size_max = vp_config_read32(vp, VIRTIO_BLK_CFG_SIZE_MAX);
	if (vp_has_feature(vp, VIRTIO_BLK_F_BLK_SIZE))
		blk_size = vp_config_read32(vp, VIRTIO_BLK_CFG_BLK_SIZE);
	if (blk_size < SECTOR_SIZE || blk_size > PAGE_SIZE ||
	    !is_power_of_2(blk_size))
		blk_size = SECTOR_SIZE;
	blk_queue_logical_block_size(q, blk_size);
	blk_queue_max_hw_sectors(q, VIRTBLK_MAX_SECTORS);
	blk_queue_max_segments(q, (unsigned short)vblk->max_segs);
	if (size_max >= PAGE_SIZE)
		blk_queue_max_segment_size(q, size_max);
	else
		blk_queue_max_segment_size(q,
					   VIRTBLK_MAX_SECTORS << SECTOR_SHIFT);
}

static unsigned int virtblk_max_segs(struct virtio_blk *vblk)
{
	struct virtio_pci_device *vp = &vblk->vp;
	unsigned int segs = vblk->vq->indirect ? VIRTBLK_MAX_SEGS :
						 VIRTBLK_MAX_NO_INDIRECT;
	u32 seg_max;

	if (vp_has_feature(vp, VIRTIO_BLK_F_SEG_MAX)) {
		seg_max = vp_config_read32(vp, VIRTIO_BLK_CFG_SEG_MAX);
		if (seg_max && seg_max < segs)
			segs = seg_max;
	}
	/* A direct chain must fit the ring with the GET_ID chain beside it. */
	if (!vblk->vq->indirect && segs + 2 > vblk->vq->num - 3u)
		segs = vblk->vq->num - 5u;
	return segs;
}

static int virtblk_negotiate(struct virtio_blk *vblk)
{
	struct virtio_pci_device *vp = &vblk->vp;
	u64 want = 1ull << VIRTIO_F_VERSION_1 |
		   1ull << VIRTIO_RING_F_INDIRECT_DESC |
		   1ull << VIRTIO_BLK_F_SIZE_MAX |
		   1ull << VIRTIO_BLK_F_SEG_MAX |
		   1ull << VIRTIO_BLK_F_BLK_SIZE | 1ull << VIRTIO_BLK_F_FLUSH |
		   1ull << VIRTIO_BLK_F_RO;
	int err;

	err = vp_reset(vp);
	if (err)
		return err;
	vp_add_status(vp, VIRTIO_CONFIG_S_ACKNOWLEDGE);
	vp_add_status(vp, VIRTIO_CONFIG_S_DRIVER);
	err = vp_finalize_features(vp, want);
	if (err)
		return err;
	vblk->ro = vp_has_feature(vp, VIRTIO_BLK_F_RO);
	return 0;
}

static int virtblk_setup_queue(struct virtio_blk *vblk)
{
	int err;

	pci_enable_device(vblk->vp.pci);
	pci_set_master(vblk->vp.pci);
	err = virtblk_setup_irqs(vblk);
	if (err)
		return err;
	vblk->vq = vp_setup_vq(&vblk->vp, 0, VIRTBLK_RING_MAX, 1);
	if (IS_ERR(vblk->vq)) {
		err = (int)PTR_ERR(vblk->vq);
		vblk->vq = NULL;
		return err;
	}
	vblk->max_segs = virtblk_max_segs(vblk);
	vblk->depth = virtblk_depth(vblk);
	if (!vblk->depth)
		return -ENOSPC;
	return virtblk_alloc_reqs(vblk);
}

static void virtblk_set_model(struct virtio_blk *vblk, struct gendisk *disk)
{
	char id[VIRTIO_BLK_ID_BYTES + 1];
	int err = virtblk_internal_get_id(vblk, id);

	/* GET_ID returns the drive's serial; QEMU's is empty unless set. */
	if (!err && id[0])
		strscpy(disk->model, id, sizeof(disk->model));
	else
		strscpy(disk->model, "virtio-blk", sizeof(disk->model));
	if (err)
		printk("virtio_blk: %s: GET_ID failed: %d\n", disk->disk_name,
		       err);
}

static int virtblk_register(struct virtio_blk *vblk)
{
	struct blk_mq_tag_set set = { .ops = &virtblk_mq_ops,
				      .queue_depth = vblk->depth,
				      .driver_data = vblk };
	struct gendisk *disk;
	int err;

	vblk->q = blk_mq_init_queue(&set);
	if (IS_ERR_OR_NULL(vblk->q))
		return -ENOMEM;
	virtblk_set_limits(vblk);
	/* Linux's rule: VIRTIO_BLK_F_FLUSH means the device may cache writes. */
	blk_queue_write_cache(vblk->q,
			      vp_has_feature(&vblk->vp, VIRTIO_BLK_F_FLUSH));
	disk = alloc_disk("vd");
	if (IS_ERR_OR_NULL(disk)) {
		err = -ENOMEM;
		goto err_cleanup_queue;
	}
	vblk->disk = disk;
	disk->bus = "virtio";
	/* vda 252:0, vdb 252:16: 16 minors a disk, as Linux's PART_BITS 4 */
	disk->major = VIRTBLK_MAJOR;
	disk->first_minor = disk->index * DISK_PART_MINORS;
	disk->queue = vblk->q;
	disk->private_data = vblk;
	disk->capacity = vp_config_read64(&vblk->vp, VIRTIO_BLK_CFG_CAPACITY);
	virtblk_set_model(vblk, disk);
	printk("virtio_blk: %s: %llu sectors, ring %u, depth %u, %u segs%s%s%s\n",
	       disk->disk_name, (unsigned long long)disk->capacity,
	       vblk->vq->num, vblk->depth, vblk->max_segs,
	       vblk->vq->indirect ? ", indirect" : "",
	       vp_has_feature(&vblk->vp, VIRTIO_BLK_F_FLUSH) ? ", flush" : "",
	       vblk->ro ? ", read-only" : "");
	err = add_disk(disk);
	if (err)
		goto err_put_disk;
	return 0;

err_put_disk:
	vblk->disk = NULL;
	put_disk(disk);
err_cleanup_queue:
	blk_cleanup_queue(vblk->q);
	vblk->q = NULL;
	return err;
}

static int virtblk_probe(struct pci_dev *pci, const struct pci_device_id *id)
{
	struct virtio_blk *vblk = kzalloc(sizeof(*vblk), GFP_KERNEL);
	int err;

	(void)id;
	if (!vblk)
		return -ENOMEM;
	spin_lock_init(&vblk->lock);
	pci->driver_data = vblk;
	err = vp_init(&vblk->vp, pci);
	if (!err && !vblk->vp.device)
		err = -ENODEV;
	if (err)
		goto err_reset;
	err = virtblk_negotiate(vblk);
	if (err)
		goto err_reset;
	err = virtblk_setup_queue(vblk);
	if (err)
		goto err_reset;
	vp_add_status(&vblk->vp, VIRTIO_CONFIG_S_DRIVER_OK);
	err = virtblk_register(vblk);
	if (err)
		goto err_reset;
	return 0;

err_reset:
	/* Leave the device reset and failed, never DMAing, then free. */
	if (vblk->vp.common) {
		vp_reset(&vblk->vp);
		vp_add_status(&vblk->vp, VIRTIO_CONFIG_S_FAILED);
	}
	virtblk_free_queue(vblk);
	pci->driver_data = NULL;
	kfree(vblk);
	return err;
}

static const struct pci_device_id virtblk_ids[] = {
	{ VIRTIO_PCI_VENDOR, 0x1001 }, /* transitional */
	{ VIRTIO_PCI_VENDOR, 0x1042 }, /* modern: 0x1040 + device id 2 */
	{ 0, 0 },
};

static struct pci_driver virtblk_driver = {
	.name = "virtio_blk",
	.id_table = virtblk_ids,
	.probe = virtblk_probe,
};

static int virtblk_init(void)
{
	return pci_register_driver(&virtblk_driver);
}
device_initcall(virtblk_init);
