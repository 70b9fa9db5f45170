/*
 * Split virtqueues. The driver owns the descriptor table and the
 * available ring, the device the used ring; the barriers order our
 * descriptor writes before the index that publishes them, and the
 * device's index before our reads of what it wrote.
 */
#include "errno.h"
#include "asm/io.h"
#include "mm.h"
#include "pci.h"
#include "slab.h"
#include "string.h"
#include "virtio_ring.h"

static size_t vring_used_offset(unsigned int num)
{
	size_t avail_end = 16 * (size_t)num + 4 + 2 * (size_t)num + 2;

	return ALIGN(avail_end, PAGE_SIZE);
}

size_t vring_size(unsigned int num)
{
	return vring_used_offset(num) + 4 + 8 * (size_t)num + 2;
}

static unsigned int order_for(size_t bytes)
{
	unsigned int order = 0;

	while ((PAGE_SIZE << order) < bytes)
		order++;
	return order;
}

struct virtqueue *vring_new_virtqueue(u16 index, u16 num, bool indirect)
{
	struct virtqueue *vq;
	unsigned long mem;
	unsigned int i;

	if (!num || !is_power_of_2(num) || num > 32768)
		return NULL;
	vq = kzalloc(sizeof(*vq), GFP_KERNEL);
	if (!vq)
		return NULL;
	vq->token = kcalloc(num, sizeof(void *), GFP_KERNEL);
	vq->ring_order = order_for(vring_size(num));
	mem = __get_free_pages(GFP_KERNEL, vq->ring_order);
	if (!vq->token || !mem) {
		kfree(vq->token);
		if (mem)
			free_pages(mem, vq->ring_order);
		kfree(vq);
		return NULL;
	}
	memset((void *)mem, 0, PAGE_SIZE << vq->ring_order);
	vq->ring_pages = mem;
	vq->index = index;
	vq->num = num;
	vq->indirect = indirect;
	vq->desc = (struct vring_desc *)mem;
	vq->avail = (struct vring_avail *)(mem + 16 * (size_t)num);
	vq->used = (struct vring_used *)(mem + vring_used_offset(num));
	for (i = 0; i < num; i++)
		vq->desc[i].next = (u16)(i + 1);
	vq->free_head = 0;
	vq->num_free = num;
	return vq;
}

void vring_del_virtqueue(struct virtqueue *vq)
{
	if (!vq)
		return;
	free_pages(vq->ring_pages, vq->ring_order);
	kfree(vq->token);
	kfree(vq);
}

static void vring_fill(struct vring_desc *d, const struct vring_sg *sg,
		       bool writable, bool more)
{
	d->addr = sg->addr;
	d->len = sg->len;
	d->flags = (u16)((writable ? VRING_DESC_F_WRITE : 0) |
			 (more ? VRING_DESC_F_NEXT : 0));
}

static u16 vring_add_indirect(struct virtqueue *vq, const struct vring_sg *sg,
			      unsigned int out, unsigned int n,
			      struct vring_desc *table)
{
	u16 head = vq->free_head;
	unsigned int i;

	for (i = 0; i < n; i++) {
		vring_fill(&table[i], &sg[i], i >= out, i + 1 < n);
		table[i].next = (u16)(i + 1);
	}
	vq->free_head = vq->desc[head].next;
	vq->num_free--;
	vq->desc[head].addr = pci_dma_addr(table);
	vq->desc[head].len = n * sizeof(struct vring_desc);
	vq->desc[head].flags = VRING_DESC_F_INDIRECT;
	return head;
}

static u16 vring_add_direct(struct virtqueue *vq, const struct vring_sg *sg,
			    unsigned int out, unsigned int n)
{
	u16 head = vq->free_head, idx = head, last = head;
	unsigned int i;

	for (i = 0; i < n; i++) {
		vring_fill(&vq->desc[idx], &sg[i], i >= out, i + 1 < n);
		last = idx;
		idx = vq->desc[idx].next;
	}
	/* The chain keeps its next links; the free list resumes after it. */
	vq->desc[last].flags &= (u16)~VRING_DESC_F_NEXT;
	vq->free_head = idx;
	vq->num_free = (u16)(vq->num_free - n);
	return head;
}

int virtqueue_add_sgs(struct virtqueue *vq, const struct vring_sg *sg,
		      unsigned int out, unsigned int in, void *token,
		      struct vring_desc *indirect)
{
	unsigned int n = out + in;
	u16 head;

	if (!n || !token || n > 0xffff)
		return -EINVAL;
	if (indirect && vq->indirect && n > 1) {
		if (!vq->num_free)
			return -ENOSPC;
		head = vring_add_indirect(vq, sg, out, n, indirect);
	} else {
		if (n > vq->num_free)
			return -ENOSPC;
		head = vring_add_direct(vq, sg, out, n);
	}
	vq->token[head] = token;
	vq->avail->ring[vq->avail->idx & (vq->num - 1)] = head;
	wmb();
	vq->avail->idx++;
	return 0;
}

void virtqueue_kick(struct virtqueue *vq)
{
	/* The device must see the new avail->idx before the doorbell. */
	mb();
	writew(vq->index, vq->notify);
}

static void vring_free_chain(struct virtqueue *vq, u16 head)
{
	u16 idx = head, n = 1;

	while (vq->desc[idx].flags & VRING_DESC_F_NEXT) {
		idx = vq->desc[idx].next;
		n++;
	}
	vq->desc[idx].next = vq->free_head;
	vq->free_head = head;
	vq->num_free = (u16)(vq->num_free + n);
}

void *virtqueue_get_buf(struct virtqueue *vq, u32 *len)
{
	struct vring_used_elem *e;
	void *token;
	u32 id;

	while (vq->last_used_idx != READ_ONCE(vq->used->idx)) {
		rmb();
		e = &vq->used->ring[vq->last_used_idx & (vq->num - 1)];
		id = e->id;
		vq->last_used_idx++;
		/* A bogus head from the device must not corrupt our list. */
		if (id >= vq->num || !vq->token[id])
			continue;
		if (len)
			*len = e->len;
		token = vq->token[id];
		vq->token[id] = NULL;
		vring_free_chain(vq, (u16)id);
		return token;
	}
	return NULL;
}
