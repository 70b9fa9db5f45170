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
#include "ktime.h"
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
	/*
	 * The last block of its array, as on the read side: the next
	 * block's number lives in another indirect block, allocated right
	 * after this one, so writeback ends the data bio here. (The new
	 * indirect block itself waits for fsync's ordered steps: see
	 * write_boundary_block.)
	 */
	if (p->offsets[p->depth - 1] == p->array_len - 1)
		set_buffer_boundary(bh_result);
out:
	brelse(holder);
	return err;
}

/*
 * The indirect block holding the block numbers of iblock's array, if
 * memory already says where it is (0 if not, or iblock is direct).
 * Never waits: a map block on the way that is not in memory is read
 * ahead instead, and *stop tells the caller to come back later.
 */
static u32 cached_holder(struct inode *inode, const struct ext2_path *p,
			 bool *stop)
{
	struct super_block *sb = inode->i_sb;
	const u32 *a = EXT2_I(inode)->i_data;
	struct buffer_head *bh = NULL;
	u32 next = 0;

	for (int level = 0; level < p->depth - 1; level++) {
		next = a[p->offsets[level]];
		brelse(bh);
		bh = NULL;
		if (!next || !ext2_data_block_valid(sb, next))
			return 0;
		if (level == p->depth - 2)
			break;
		bh = __find_get_block(sb->s_bdev, next, sb->s_blocksize);
		if (!bh || !buffer_uptodate(bh)) {
			brelse(bh);
			sb_breadahead(sb, next);
			*stop = true;
			return 0;
		}
		a = (const u32 *)bh->b_data;
	}
	return next;
}

/*
 * Indirect-block readahead. A stream through a file maps it through a
 * new indirect block every apb blocks (256 KiB with 1 KiB blocks); read
 * when first needed, each would stall the stream for a device round
 * trip with nothing else in flight. So a read that maps blocks from
 * `from` on, up to `need`, makes sure the indirect blocks for the
 * readahead window beyond are on their way: when they are not, it
 * starts reading those for two windows at once (`need` + window), so
 * they go to the disk together, in one plug and one doorbell, about once
 * a window. It never waits: the numbers come from what memory already
 * holds (i_data, and the double-indirect block, which lists the
 * indirect blocks; one not in memory yet is read ahead itself and the
 * walk resumes on a later call). The range done is remembered, so a
 * stream reads each indirect block ahead once.
 */
static void ext2_readahead_indirect(struct inode *inode, u64 from, u64 need,
				    u64 window)
{
	struct ext2_inode_info *ei = EXT2_I(inode);
	unsigned int apb_bits = EXT2_SB(inode->i_sb)->s_addr_per_block_bits;
	bool stop = false;
	u64 b, to = need + window;

	if (from >= ei->i_ra_ind_start && from <= ei->i_ra_ind_end)
		ei->i_ra_ind_start = from;
	else
		ei->i_ra_ind_start = ei->i_ra_ind_end = from;
	if (need <= ei->i_ra_ind_end)
		return;
	for (b = max(from, ei->i_ra_ind_end); b < to && !stop;) {
		struct ext2_path p;
		u32 holder;

		if (block_to_path(b, apb_bits, &p))
			break;
		holder = cached_holder(inode, &p, &stop);
		if (holder)
			sb_breadahead(inode->i_sb, holder);
		if (!stop)
			b += p.array_len - p.offsets[p.depth - 1];
	}
	ei->i_ra_ind_end = b;
}

static int __ext2_get_block(struct inode *inode, sector_t iblock,
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
	while (count < max && arr[idx + count] == first + count)
		count++;
	count = ext2_data_run_valid(inode->i_sb, first, count);
	map_bh(bh_result, inode->i_sb->s_bdev, first);
	bh_result->b_size = (size_t)count << bits;
	if (idx + count == path.array_len)
		set_buffer_boundary(bh_result);
out:
	if (bh)
		brelse(bh);
	return err;
}

/*
 * A read that maps a run of blocks (mpage asks for the rest of its
 * batch) is a stream: read the indirect blocks it will need ahead.
 */
int ext2_get_block(struct inode *inode, sector_t iblock,
		   struct buffer_head *bh_result, int create)
{
	unsigned int prof = prof_enter(PROF_GET_BLOCK);
	unsigned int bits = inode->i_blkbits;
	u64 want = bh_result->b_size >> bits;
	int err = __ext2_get_block(inode, iblock, bh_result, create);

	if (!err && !create && want > 1) {
		u64 window = (u64)inode->i_mapping->backing_dev_info->ra_pages
			     << (PAGE_SHIFT - bits);

		ext2_readahead_indirect(inode, iblock, iblock + want + window,
					window);
	}
	prof_exit(prof);
	return err;
}
