/*
 * An in-memory index of a large ext2 directory, so that finding a name,
 * knowing it is absent and finding room for a new entry each cost one
 * directory block instead of a scan of them all. ext2 directories are
 * linear lists on disk (ext3's on-disk htree is not ext2's); this is
 * the same idea kept in memory: built by one pass over the directory
 * the first time it is searched, kept up to date by every change
 * fs/ext2/dir.c makes, and freed with the inode.
 *
 * Two tables:
 * - names: for each entry, (hash of its name, its block), in an open
 *   addressing table with linear probing; a lookup reads only the
 *   blocks whose entries share the name's hash (one, nearly always),
 *   and a miss reads none.
 * - room: per block, the largest entry a new name could take there
 *   (what make_room() in dir.c would find), so insertion goes straight
 *   to a block with room, or appends one.
 * Entries never move inside a block (a split takes the tail of an entry,
 * a removal merges into the previous one), so a (hash, block) pair stays
 * true until the entry is removed.
 */
#include "ext2.h"
#include "slab.h"
#include "string.h"

#define DX_MIN_SLOTS 64

struct ext2_dir_index {
	u64 *slots; /* (hash << 32) | (block + 1); 0 = empty */
	unsigned int mask; /* slots - 1, a power of two minus one */
	unsigned int used;
	u16 *room; /* per block: the largest new entry that fits */
	unsigned long nblocks, room_cap;
	unsigned long first_room; /* no block before it has any room */
};

static unsigned int slot_of(const struct ext2_dir_index *dx, u32 hash)
{
	return (unsigned int)(((u64)hash * 0x9e3779b97f4a7c15ULL) >> 32) &
	       dx->mask;
}

static void place(struct ext2_dir_index *dx, u64 v)
{
	unsigned int i = slot_of(dx, (u32)(v >> 32));

	while (dx->slots[i])
		i = (i + 1) & dx->mask;
	dx->slots[i] = v;
	dx->used++;
}

/* Twice the slots, every pair placed again: no disk is read. */
static int grow_slots(struct ext2_dir_index *dx)
{
	unsigned int old = dx->mask + 1, n = old * 2;
	u64 *prev = dx->slots, *slots = kcalloc(n, sizeof(u64), GFP_KERNEL);

	if (!slots)
		return -ENOMEM;
	dx->slots = slots;
	dx->mask = n - 1;
	dx->used = 0;
	for (unsigned int i = 0; i < old; i++)
		if (prev[i])
			place(dx, prev[i]);
	kfree(prev);
	return 0;
}

struct ext2_dir_index *ext2_dx_alloc(unsigned long nblocks)
{
	struct ext2_dir_index *dx = kzalloc(sizeof(*dx), GFP_KERNEL);

	if (!dx)
		return NULL;
	dx->slots = kcalloc(DX_MIN_SLOTS, sizeof(u64), GFP_KERNEL);
	dx->mask = DX_MIN_SLOTS - 1;
	dx->room_cap = max(nblocks, 8UL);
	dx->room = kcalloc(dx->room_cap, sizeof(u16), GFP_KERNEL);
	if (!dx->slots || !dx->room) {
		ext2_dx_free(dx);
		return NULL;
	}
	return dx;
}

void ext2_dx_free(struct ext2_dir_index *dx)
{
	if (!dx)
		return;
	kfree(dx->slots);
	kfree(dx->room);
	kfree(dx);
}

int ext2_dx_insert(struct ext2_dir_index *dx, u32 hash, unsigned long block)
{
	/* Keep the table at most half full: probes stay short. */
	if ((dx->used + 1) * 2 > dx->mask + 1 && grow_slots(dx))
		return -ENOMEM;
	place(dx, ((u64)hash << 32) | (u64)(block + 1));
	return 0;
}

void ext2_dx_remove(struct ext2_dir_index *dx, u32 hash, unsigned long block)
{
	u64 v = ((u64)hash << 32) | (u64)(block + 1);
	unsigned int i = slot_of(dx, hash), j;

	while (dx->slots[i] && dx->slots[i] != v)
		i = (i + 1) & dx->mask;
	if (!dx->slots[i])
		return;
	/* Backward shift: no tombstones, so a probe ends at an empty slot. */
	dx->slots[i] = 0;
	dx->used--;
	for (j = (i + 1) & dx->mask; dx->slots[j]; j = (j + 1) & dx->mask) {
		unsigned int home = slot_of(dx, (u32)(dx->slots[j] >> 32));

		/* Move it back unless its home lies in (i, j]. */
		if (((j - home) & dx->mask) >= ((j - i) & dx->mask)) {
			dx->slots[i] = dx->slots[j];
			dx->slots[j] = 0;
			i = j;
		}
	}
}

bool ext2_dx_next(const struct ext2_dir_index *dx, struct ext2_dx_iter *it,
		  unsigned long *block)
{
	if (!it->started) {
		it->pos = slot_of(dx, it->hash);
		it->started = true;
	}
	while (dx->slots[it->pos]) {
		u64 v = dx->slots[it->pos];

		it->pos = (it->pos + 1) & dx->mask;
		if ((u32)(v >> 32) == it->hash) {
			*block = (unsigned long)(u32)v - 1;
			return true;
		}
	}
	return false;
}

int ext2_dx_set_room(struct ext2_dir_index *dx, unsigned long block,
		     unsigned int room)
{
	if (block >= dx->room_cap) {
		unsigned long cap = max(dx->room_cap * 2, block + 1);
		u16 *r = kcalloc(cap, sizeof(u16), GFP_KERNEL);

		if (!r)
			return -ENOMEM;
		memcpy(r, dx->room, dx->room_cap * sizeof(u16));
		kfree(dx->room);
		dx->room = r;
		dx->room_cap = cap;
	}
	dx->room[block] = (u16)room;
	if (block >= dx->nblocks)
		dx->nblocks = block + 1;
	if (room >= EXT2_DIR_REC_LEN(1) && block < dx->first_room)
		dx->first_room = block;
	return 0;
}

long ext2_dx_find_room(struct ext2_dir_index *dx, unsigned int reclen)
{
	unsigned long n = dx->first_room;

	while (n < dx->nblocks && dx->room[n] < EXT2_DIR_REC_LEN(1))
		n++;
	dx->first_room = n;
	for (; n < dx->nblocks; n++)
		if (dx->room[n] >= reclen)
			return (long)n;
	return -1;
}
