/*
 * Block allocation. Each group has a block bitmap (one bit a block, set
 * = in use) read through the device's buffer cache; the group
 * descriptor and the superblock count the free blocks, and all three
 * change together, between two sleeping points (the scheduler is not
 * preemptive), so no one ever sees them disagree.
 *
 * The search starts at the goal the caller gives (next to the file's
 * previous block) and takes the first free block from there in the
 * goal's group, then tries the following groups in turn, as Linux 2.6
 * does once its goal and reservation window are taken.
 */
#include "bitmap.h"
#include "blkdev.h"
#include "buffer_head.h"
#include "errno.h"
#include "ext2.h"
#include "printk.h"

static u32 group_of(const struct ext2_super_block *es, u32 block)
{
	return (block - es->s_first_data_block) / es->s_blocks_per_group;
}

u32 ext2_inode_goal(struct inode *inode)
{
	struct ext2_sb_info *sbi = EXT2_SB(inode->i_sb);

	return ext2_group_first_block(sbi->s_es, &sbi->s_geo,
				      EXT2_I(inode)->i_block_group);
}

/* Group metadata that no file may own: bitmaps and the inode table. */
static bool is_group_metadata(struct super_block *sb, u32 block, u32 count)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);
	struct ext2_group_desc *gd =
		ext2_get_group_desc(sb, group_of(sbi->s_es, block));
	u32 end = block + count;
	u32 itb = gd->bg_inode_table;

	return (gd->bg_block_bitmap >= block && gd->bg_block_bitmap < end) ||
	       (gd->bg_inode_bitmap >= block && gd->bg_inode_bitmap < end) ||
	       (itb < end && block < itb + sbi->s_geo.itb_per_group);
}

/*
 * A block a file may own: inside the file system and not metadata the
 * driver holds or indexes by (the primary superblock and descriptor
 * table, a group's bitmaps and inode table). A map pointing at one is
 * corrupt: writing through it would rewrite, say, the mounted superblock
 * in memory under every later check.
 */
bool ext2_data_block_valid(struct super_block *sb, u32 block)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);
	const struct ext2_super_block *es = sbi->s_es;

	if (block < es->s_first_data_block || block >= es->s_blocks_count)
		return false;
	if (block <= es->s_first_data_block + sbi->s_geo.desc_blocks)
		return false;
	return !is_group_metadata(sb, block, 1);
}

static void take_block(struct super_block *sb, struct inode *inode, u32 group,
		       struct buffer_head *bitmap, unsigned long bit)
{
	struct ext2_group_desc *gd = ext2_get_group_desc(sb, group);

	set_bit_le(bit, bitmap->b_data);
	mark_buffer_dirty(bitmap);
	gd->bg_free_blocks_count--;
	mark_buffer_dirty(ext2_group_desc_bh(sb, group));
	EXT2_SB(sb)->s_es->s_free_blocks_count--;
	ext2_sb_dirty(sb);
	inode->i_blocks += sb->s_blocksize >> SECTOR_SHIFT;
	mark_inode_dirty(inode);
}

/* The first free bit at or after start, wrapping once; nbits if none. */
static unsigned long find_free(struct buffer_head *bitmap, unsigned long nbits,
			       unsigned long start)
{
	const unsigned long *map = (const unsigned long *)bitmap->b_data;
	unsigned long bit = find_next_zero_bit(map, nbits, start);

	if (bit >= nbits && start)
		bit = find_next_zero_bit(map, nbits, 0);
	return bit;
}

u32 ext2_new_block(struct inode *inode, u32 goal, int *err)
{
	struct super_block *sb = inode->i_sb;
	struct ext2_sb_info *sbi = EXT2_SB(sb);
	struct ext2_super_block *es = sbi->s_es;
	u32 ngroups = sbi->s_geo.groups_count, group, i;
	int io_err = 0;

	if (goal < es->s_first_data_block || goal >= es->s_blocks_count)
		goal = es->s_first_data_block;
	group = group_of(es, goal);
	for (i = 0; i < ngroups; i++, group = (group + 1) % ngroups) {
		struct ext2_group_desc *gd = ext2_get_group_desc(sb, group);
		u32 first = ext2_group_first_block(es, &sbi->s_geo, group);
		u32 nbits = ext2_group_last_block(es, &sbi->s_geo, group) -
			    first + 1;
		struct buffer_head *bitmap;
		unsigned long bit;

		if (!gd->bg_free_blocks_count)
			continue;
		bitmap = sb_bread(sb, gd->bg_block_bitmap);
		if (!bitmap) {
			io_err = -EIO;
			continue;
		}
		bit = find_free(bitmap, nbits, i == 0 ? goal - first : 0);
		if (bit >= nbits ||
		    is_group_metadata(sb, first + (u32)bit, 1)) {
			printk("ext2: %s: group %u: bitmap full or wrong, "
			       "descriptor says %u free\n",
			       sb->s_bdev->bd_name, group,
			       gd->bg_free_blocks_count);
			brelse(bitmap);
			io_err = -EUCLEAN;
			continue;
		}
		take_block(sb, inode, group, bitmap, bit);
		brelse(bitmap);
		return first + (u32)bit;
	}
	*err = io_err ? io_err : -ENOSPC;
	return 0;
}

/* Free [block, block + count), all inside one group. */
static void free_in_group(struct inode *inode, u32 block, u32 count)
{
	struct super_block *sb = inode->i_sb;
	struct ext2_sb_info *sbi = EXT2_SB(sb);
	u32 group = group_of(sbi->s_es, block);
	struct ext2_group_desc *gd = ext2_get_group_desc(sb, group);
	u32 first = ext2_group_first_block(sbi->s_es, &sbi->s_geo, group);
	struct buffer_head *bitmap;
	u32 i, freed = 0;

	if (is_group_metadata(sb, block, count)) {
		printk("ext2: %s: inode %lu: not freeing blocks %u+%u: group "
		       "metadata\n",
		       sb->s_bdev->bd_name, inode->i_ino, block, count);
		return;
	}
	bitmap = sb_bread(sb, gd->bg_block_bitmap);
	if (!bitmap)
		return; /* the blocks leak; e2fsck gets them back */
	for (i = 0; i < count; i++) {
		unsigned long bit = block - first + i;

		if (!test_bit_le(bit, bitmap->b_data)) {
			printk("ext2: %s: block %u freed twice\n",
			       sb->s_bdev->bd_name, block + i);
			continue;
		}
		clear_bit_le(bit, bitmap->b_data);
		freed++;
	}
	mark_buffer_dirty(bitmap);
	brelse(bitmap);
	gd->bg_free_blocks_count += (u16)freed;
	mark_buffer_dirty(ext2_group_desc_bh(sb, group));
	sbi->s_es->s_free_blocks_count += freed;
	ext2_sb_dirty(sb);
	inode->i_blocks -= (blkcnt_t)freed * (sb->s_blocksize >> SECTOR_SHIFT);
	mark_inode_dirty(inode);
}

void ext2_free_blocks(struct inode *inode, u32 block, u32 count)
{
	const struct ext2_super_block *es = EXT2_SB(inode->i_sb)->s_es;

	if (block < es->s_first_data_block || block + count < block ||
	    block + count > es->s_blocks_count) {
		printk("ext2: %s: inode %lu: not freeing blocks %u+%u: past "
		       "the end\n",
		       inode->i_sb->s_bdev->bd_name, inode->i_ino, block,
		       count);
		return;
	}
	while (count) {
		u32 group_end =
			es->s_first_data_block +
			(group_of(es, block) + 1) * es->s_blocks_per_group;
		u32 n = min(count, group_end - block);

		free_in_group(inode, block, n);
		block += n;
		count -= n;
	}
}
