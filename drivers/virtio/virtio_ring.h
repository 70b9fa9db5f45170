/*
 * The virtio 1.x split virtqueue: a descriptor table, the available ring
 * (driver -> device) and the used ring (device -> driver), all in guest
 * memory and little-endian. Free descriptors are chained through their
 * next fields into a free list.
 */
#ifndef _VIRTIO_RING_H
#define _VIRTIO_RING_H

#include "compiler.h"
#include "types.h"

#define VRING_DESC_F_NEXT 1
#define VRING_DESC_F_WRITE 2 /* the device writes this buffer */
#define VRING_DESC_F_INDIRECT 4 /* the buffer is a table of descriptors */

#define VIRTIO_RING_F_INDIRECT_DESC 28
#define VIRTIO_RING_F_EVENT_IDX 29

struct vring_desc {
	u64 addr;
	u32 len;
	u16 flags;
	u16 next;
};

struct vring_avail {
	u16 flags;
	u16 idx;
	u16 ring[];
};

struct vring_used_elem {
	u32 id; /* head of the completed chain */
	u32 len; /* bytes the device wrote */
};

struct vring_used {
	u16 flags;
	u16 idx;
	struct vring_used_elem ring[];
};

/* One buffer of a request: device-readable (out) or -writable (in). */
struct vring_sg {
	u64 addr;
	u32 len;
};

struct virtqueue {
	u16 index; /* queue number on the device */
	u16 num; /* ring size, a power of 2 */
	struct vring_desc *desc;
	struct vring_avail *avail;
	struct vring_used *used;
	u16 free_head; /* free list through desc[].next */
	u16 num_free;
	u16 last_used_idx; /* next used entry we have not seen */
	bool indirect; /* VIRTIO_RING_F_INDIRECT_DESC agreed */
	void **token; /* per head: the caller's cookie */
	volatile u16 *notify; /* write the queue index to kick */
	unsigned long ring_pages; /* for freeing */
	unsigned int ring_order;
};

/* Bytes of a split ring of num entries (used ring page-aligned). */
size_t vring_size(unsigned int num);
/* Allocate and lay out a ring; NULL when out of memory or num is bad. */
struct virtqueue *vring_new_virtqueue(u16 index, u16 num, bool indirect);
void vring_del_virtqueue(struct virtqueue *vq);

/*
 * Expose a chain of out device-readable then in device-writable buffers.
 * With indirect set (and agreed), the chain goes into that table, which
 * must hold out + in entries, and takes one ring descriptor. Returns 0,
 * -ENOSPC when the ring lacks free descriptors, -EINVAL on bad input.
 * The caller serialises calls on one queue (its own lock).
 */
int virtqueue_add_sgs(struct virtqueue *vq, const struct vring_sg *sg,
		      unsigned int out, unsigned int in, void *token,
		      struct vring_desc *indirect);
/* Tell the device new buffers are available. */
void virtqueue_kick(struct virtqueue *vq);
/* Next completed chain's token (its descriptors freed), or NULL. */
void *virtqueue_get_buf(struct virtqueue *vq, u32 *len);

#endif
