/*
 * ext2's block map: file block -> disk block through i_block[]. Twelve
 * direct entries, then one single, one double and one triple indirect
 * block, each indirect block an array of apb = block_size / 4 block
 * numbers. A walk descends one level per indirect block; a zero entry at
 * any level is a hole.
 *
 * One call maps a run: after the first block, following entries of the
 * same array that continue it on disk join the run, up to the caller's
 * b_size. The run stops at the end of that array, because the next file
 * block's number is inside another indirect block; BH_Boundary then tells
 * mpage to submit its bio now, before that indirect block is read.
 */
#include "blkdev.h"
#include "buffer_head.h"
#include "errno.h"
#include "ext2.h"
#include "printk.h"
#include "string.h"

#define EXT2_MAX_DEPTH 4

/* Where a file block's number is: the index at each level of the walk. */
struct ext2_path {
	unsigned int offsets[EXT2_MAX_DEPTH];
	int depth;
	unsigned int array_len; /* entries in the last level's array */
};

/* Fills the path of iblock; -EFBIG past the triple indirect tree. */
static int block_to_path(u64 iblock, unsigned int apb_bits, struct ext2_path *p)
{
	const u64 apb = 1ull << apb_bits;
	const u64 mask = apb - 1;

	p->array_len = (unsigned int)apb;
	if (iblock < EXT2_NDIR_BLOCKS) {
		p->offsets[0] = (unsigned int)iblock;
		p->array_len = EXT2_NDIR_BLOCKS;
		p->depth = 1;
		return 0;
	}
	iblock -= EXT2_NDIR_BLOCKS;
	if (iblock < apb) {
		p->offsets[0] = EXT2_IND_BLOCK;
		p->offsets[1] = (unsigned int)iblock;
		p->depth = 2;
		return 0;
	}
	iblock -= apb;
	if (iblock < apb << apb_bits) {
		p->offsets[0] = EXT2_DIND_BLOCK;
		p->offsets[1] = (unsigned int)(iblock >> apb_bits);
		p->offsets[2] = (unsigned int)(iblock & mask);
		p->depth = 3;
		return 0;
	}
	iblock -= apb << apb_bits;
	if (iblock < apb << (2 * apb_bits)) {
		p->offsets[0] = EXT2_TIND_BLOCK;
		p->offsets[1] = (unsigned int)(iblock >> (2 * apb_bits));
		p->offsets[2] = (unsigned int)((iblock >> apb_bits) & mask);
		p->offsets[3] = (unsigned int)(iblock & mask);
		p->depth = 4;
		return 0;
	}
	return -EFBIG;
}

static int bad_block(struct inode *inode, u32 block)
{
	printk("ext2: %s: inode %lu: bad block number %u\n",
	       inode->i_sb->s_bdev->bd_name, inode->i_ino, block);
	return -EUCLEAN;
}

/*
 * Walks down to the array holding iblock's number. On return *arr is that
 * array (i_data or an indirect block's data) and *bhp holds its buffer
 * (NULL for i_data); a hole on the way leaves *arr NULL. 0 or -errno.
 */
static int walk(struct inode *inode, const struct ext2_path *p, const u32 **arr,
		struct buffer_head **bhp)
{
	const u32 *a = EXT2_I(inode)->i_data;
	struct buffer_head *bh = NULL;
	int level;

	for (level = 0; level < p->depth - 1; level++) {
		u32 next = a[p->offsets[level]];

		if (bh)
			brelse(bh);
		bh = NULL;
		if (!next) {
			*arr = NULL;
			*bhp = NULL;
			return 0;
		}
		if (!ext2_data_block_valid(inode->i_sb, next))
			return bad_block(inode, next);
		bh = sb_bread(inode->i_sb, next);
		if (!bh)
			return -EIO;
		a = (const u32 *)bh->b_data;
	}
	*arr = a;
	*bhp = bh;
	return 0;
}

/*
 * Where to put a new block of the file: right after the block the file
 * used last (sequential writes), else after the nearest mapped block
 * before it in the same array, else after the indirect block holding the
 * array, else at the start of the inode's group. Files then lie in runs,
 * each indirect block between the data before and after it.
 */
static u32 find_goal(struct inode *inode, u64 iblock, const u32 *arr,
		     unsigned int idx, const struct buffer_head *bh)
{
	struct ext2_inode_info *ei = EXT2_I(inode);
	unsigned int i;

	if (ei->i_last_alloc && ei->i_last_alloc_logical + 1 == iblock)
		return ei->i_last_alloc + 1;
	for (i = idx; arr && i-- > 0;)
		if (arr[i])
			return arr[i] + (idx - i);
	if (bh)
		return (u32)bh->b_blocknr + 1;
	return ext2_inode_goal(inode);
}

/* A new indirect block: zeroed in the device cache before it is linked. */
static struct buffer_head *new_indirect(struct inode *inode, u32 *goal,
					int *err)
{
	u32 nr = ext2_new_block(inode, *goal, err);
	struct buffer_head *bh;

	if (!nr)
		return NULL;
	bh = sb_getblk(inode->i_sb, nr);
	if (!bh) {
		ext2_free_blocks(inode, nr, 1);
		*err = -ENOMEM;
		return NULL;
	}
	lock_buffer(bh);
	memset(bh->b_data, 0, bh->b_size);
	set_buffer_uptodate(bh);
	unlock_buffer(bh);
	mark_buffer_dirty_inode(bh, inode);
	*goal = nr + 1;
	return bh;
}

/* The array entry changed: dirty its holder, the inode or a block. */
static void entry_changed(struct inode *inode, struct buffer_head *holder)
{
	if (holder)
		mark_buffer_dirty_inode(holder, inode);
	else
		mark_inode_dirty(inode);
}

/*
 * Allocate file block iblock (a hole): descend the path, creating the
 * missing indirect blocks, then the data block. Each new block is
 * linked only once it is initialised, so a failure part-way leaves a
 * consistent tree (an empty indirect block at worst, which truncate
 * frees like any other).
 */
static int alloc_block(struct inode *inode, u64 iblock,
		       const struct ext2_path *p, struct buffer_head *bh_result)
{
	struct ext2_inode_info *ei = EXT2_I(inode);
	u32 *a = ei->i_data;
	struct buffer_head *holder = NULL, *next;
	u32 goal = 0, nr;
	int level, err = 0;

	for (level = 0; level < p->depth - 1; level++) {
		u32 *slot = &a[p->offsets[level]];

		if (*slot) {
			if (!ext2_data_block_valid(inode->i_sb, *slot)) {
				err = bad_block(inode, *slot);
				goto out;
			}
			next = sb_bread(inode->i_sb, *slot);
			if (!next) {
				err = -EIO;
				goto out;
			}
		} else {
			if (!goal)
				goal = find_goal(inode, iblock, a,
						 p->offsets[level], holder);
			next = new_indirect(inode, &goal, &err);
			if (!next)
				goto out;
			*slot = (u32)next->b_blocknr;
			entry_changed(inode, holder);
		}
		brelse(holder);
		holder = next;
		a = (u32 *)holder->b_data;
	}
	if (!goal)
		goal = find_goal(inode, iblock, a, p->offsets[level], holder);
	nr = ext2_new_block(inode, goal, &err);
	if (!nr)
		goto out;
	a[p->offsets[level]] = nr;
	entry_changed(inode, holder);
	ei->i_last_alloc = nr;
	ei->i_last_alloc_logical = iblock;
	map_bh(bh_result, inode->i_sb->s_bdev, nr);
	set_buffer_new(bh_result);
	bh_result->b_size = inode->i_sb->s_blocksize;
out:
	brelse(holder);
	return err;
}

int ext2_get_block(struct inode *inode, sector_t iblock,
		   struct buffer_head *bh_result, int create)
{
	unsigned int bits = inode->i_blkbits;
	unsigned int idx, max, count = 1;
	struct buffer_head *bh;
	struct ext2_path path;
	const u32 *arr;
	u32 first;
	int err;

	if (create) {
		err = ext2_check_bdev_write_error(inode->i_sb);
		if (err)
			return err;
	}
	err = block_to_path(iblock, EXT2_SB(inode->i_sb)->s_addr_per_block_bits,
			    &path);
	if (!err)
		err = walk(inode, &path, &arr, &bh);
	if (err)
		return err;
	if (!arr) /* a hole above the last level */
		return create ? alloc_block(inode, iblock, &path, bh_result) :
				0;
	idx = path.offsets[path.depth - 1];
	first = arr[idx];
	if (first && !ext2_data_block_valid(inode->i_sb, first))
		err = bad_block(inode, first);
	if (err)
		goto out;
	if (!first) {
		if (bh)
			brelse(bh);
		return create ? alloc_block(inode, iblock, &path, bh_result) :
				0;
	}
	max = (unsigned int)min_t(u64, bh_result->b_size >> bits,
				  path.array_len - idx);
	while (count < max && arr[idx + count] == first + count &&
	       ext2_data_block_valid(inode->i_sb, first + count))
		count++;
	map_bh(bh_result, inode->i_sb->s_bdev, first);
	bh_result->b_size = (size_t)count << bits;
	if (idx + count == path.array_len)
		set_buffer_boundary(bh_result);
out:
	if (bh)
		brelse(bh);
	return err;
}
