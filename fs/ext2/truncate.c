/*
 * Truncate: a file shrinks by zeroing the tail of its new last block
 * (block_truncate_page), dropping the page cache past the new size, then
 * freeing the block tree from the first block wholly past it: data
 * blocks, and each indirect block whose whole range goes. Growing only
 * sets the size: the blocks between stay holes, which read as zeroes.
 */
#include "blkdev.h"
#include "buffer_head.h"
#include "errno.h"
#include "ext2.h"
#include "pagemap.h"
#include "printk.h"

static bool block_ok(struct super_block *sb, u32 block)
{
	return ext2_data_block_valid(sb, block);
}

/* Frees contiguous runs of data block numbers in one call each. */
struct freer {
	struct inode *inode;
	u32 start, count;
};

static void freer_flush(struct freer *f)
{
	if (f->count)
		ext2_free_blocks(f->inode, f->start, f->count);
	f->count = 0;
}

static void freer_add(struct freer *f, u32 block)
{
	if (f->count && block == f->start + f->count) {
		f->count++;
		return;
	}
	freer_flush(f);
	f->start = block;
	f->count = 1;
}

static void free_tree(struct freer *f, u32 nr, int level);

/* Free entries [from, n) of an array of block numbers at level. */
static void free_entries(struct freer *f, u32 *arr, unsigned int from,
			 unsigned int n, int level)
{
	unsigned int i;

	for (i = from; i < n; i++) {
		if (!arr[i])
			continue;
		free_tree(f, arr[i], level);
		arr[i] = 0;
	}
}

/* Free block nr and, if it is an indirect block (level > 0), its tree. */
static void free_tree(struct freer *f, u32 nr, int level)
{
	struct super_block *sb = f->inode->i_sb;
	struct buffer_head *bh;

	if (!block_ok(sb, nr)) {
		printk("ext2: %s: inode %lu: bad block number %u, not "
		       "freed\n",
		       sb->s_bdev->bd_name, f->inode->i_ino, nr);
		return;
	}
	if (level == 0) {
		freer_add(f, nr);
		return;
	}
	bh = sb_bread(sb, nr);
	if (bh) {
		free_entries(f, (u32 *)bh->b_data, 0,
			     (unsigned int)(sb->s_blocksize / 4), level - 1);
		/* Its contents mean nothing now: never write them. */
		bforget(bh);
	} else {
		printk("ext2: %s: inode %lu: cannot read indirect block %u; "
		       "its blocks leak\n",
		       sb->s_bdev->bd_name, f->inode->i_ino, nr);
	}
	freer_flush(f);
	ext2_free_blocks(f->inode, nr, 1);
}

/*
 * Free what the indirect block nr at level maps from file block first
 * (relative to the block's range) on; the block itself stays.
 */
static void free_partial(struct freer *f, u32 nr, int level, u64 first)
{
	struct super_block *sb = f->inode->i_sb;
	unsigned int apb_bits = EXT2_SB(sb)->s_addr_per_block_bits;
	u64 span = 1ull << (apb_bits * (unsigned int)(level - 1));
	unsigned int idx = (unsigned int)(first / span);
	struct buffer_head *bh;
	u32 *arr;

	if (!block_ok(sb, nr))
		return;
	bh = sb_bread(sb, nr);
	if (!bh)
		return;
	arr = (u32 *)bh->b_data;
	if (first % span && level > 1) {
		if (arr[idx])
			free_partial(f, arr[idx], level - 1, first % span);
		idx++;
	}
	free_entries(f, arr, idx, 1u << apb_bits, level - 1);
	mark_buffer_dirty_inode(bh, f->inode);
	brelse(bh);
}

void ext2_truncate_blocks(struct inode *inode, u64 first)
{
	struct ext2_inode_info *ei = EXT2_I(inode);
	unsigned int apb_bits = EXT2_SB(inode->i_sb)->s_addr_per_block_bits;
	struct freer f = { .inode = inode };
	u64 start = EXT2_NDIR_BLOCKS;
	int level;

	if (first < EXT2_NDIR_BLOCKS)
		free_entries(&f, ei->i_data, (unsigned int)first,
			     EXT2_NDIR_BLOCKS, 0);
	for (level = 1; level <= 3; level++) {
		u32 *slot = &ei->i_data[EXT2_IND_BLOCK + level - 1];
		u64 span = 1ull << (apb_bits * (unsigned int)level);

		if (*slot && first <= start) {
			free_tree(&f, *slot, level);
			*slot = 0;
		} else if (*slot && first < start + span) {
			free_partial(&f, *slot, level, first - start);
		}
		start += span;
	}
	freer_flush(&f);
	ei->i_last_alloc = 0;
	mark_inode_dirty(inode);
}

int ext2_truncate(struct inode *inode, loff_t size)
{
	struct super_block *sb = inode->i_sb;
	loff_t old = i_size_read(inode);
	int err;

	if (!S_ISREG(inode->i_mode))
		return -EINVAL;
	err = ext2_check_bdev_write_error(sb);
	if (err)
		return err;
	if (size < 0)
		return -EINVAL;
	if (size > sb->s_maxbytes)
		return -EFBIG;
	if (size < old) {
		err = block_truncate_page(inode->i_mapping, size,
					  ext2_get_block);
		if (err)
			return err;
		i_size_write(inode, size);
		truncate_inode_pages(inode->i_mapping, size);
		ext2_truncate_blocks(inode, ((u64)size + sb->s_blocksize - 1) >>
						    sb->s_blocksize_bits);
	} else {
		i_size_write(inode, size);
	}
	inode->i_mtime = inode->i_ctime = ext2_now(sb);
	mark_inode_dirty(inode);
	return 0;
}
