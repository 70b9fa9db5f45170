/*
 * Inode allocation, after Linux 2.6 without Orlov: a new directory goes
 * to a group with at least the average number of free inodes, the one
 * of those with the most free blocks (so directories spread out and
 * have room to grow); anything else goes to its parent's group, or one
 * near it by a quadratic hash, so a directory's files stay together.
 * The inode bitmap, the descriptor's free and used-directory counts and
 * the superblock's free count change together.
 */
#include "bitmap.h"
#include "blkdev.h"
#include "buffer_head.h"
#include "errno.h"
#include "ext2.h"
#include "printk.h"
#include "string.h"

static int find_group_dir(struct super_block *sb)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);
	u32 ngroups = sbi->s_geo.groups_count, g;
	u32 avefree = sbi->s_es->s_free_inodes_count / ngroups;
	int best = -1;
	u32 best_blocks = 0;

	for (g = 0; g < ngroups; g++) {
		struct ext2_group_desc *gd = ext2_get_group_desc(sb, g);

		if (!gd->bg_free_inodes_count ||
		    gd->bg_free_inodes_count < avefree)
			continue;
		if (best < 0 || gd->bg_free_blocks_count > best_blocks) {
			best = (int)g;
			best_blocks = gd->bg_free_blocks_count;
		}
	}
	return best;
}

static int find_group_other(struct super_block *sb, u32 parent)
{
	u32 ngroups = EXT2_SB(sb)->s_geo.groups_count, g = parent, i;
	struct ext2_group_desc *gd = ext2_get_group_desc(sb, parent);

	if (gd->bg_free_inodes_count && gd->bg_free_blocks_count)
		return (int)parent;
	/* Jump 1, 2, 4, ... groups away: quick to find a group with room. */
	for (i = 1; i < ngroups; i <<= 1) {
		g = (g + i) % ngroups;
		gd = ext2_get_group_desc(sb, g);
		if (gd->bg_free_inodes_count && gd->bg_free_blocks_count)
			return (int)g;
	}
	/* Then any group with a free inode, even without free blocks. */
	for (i = 0, g = parent; i < ngroups; i++, g = (g + 1) % ngroups)
		if (ext2_get_group_desc(sb, g)->bg_free_inodes_count)
			return (int)g;
	return -1;
}

/* Take a free inode of group: its number, 0 if none (*err on I/O). */
static unsigned long take_inode(struct super_block *sb, u32 group, bool dir,
				int *err)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);
	struct ext2_group_desc *gd = ext2_get_group_desc(sb, group);
	u32 ipg = sbi->s_es->s_inodes_per_group;
	struct buffer_head *bitmap;
	unsigned long bit = 0, ino = 0;

	if (!gd->bg_free_inodes_count)
		return 0;
	bitmap = sb_bread(sb, gd->bg_inode_bitmap);
	if (!bitmap) {
		*err = -EIO;
		return 0;
	}
	for (;;) {
		bit = find_next_zero_bit((const unsigned long *)bitmap->b_data,
					 ipg, bit);
		if (bit >= ipg)
			break;
		ino = (unsigned long)group * ipg + bit + 1;
		if (ino >= sbi->s_geo.first_ino)
			break;
		bit++; /* reserved inodes are never handed out */
	}
	if (bit >= ipg) {
		brelse(bitmap);
		return 0;
	}
	set_bit_le(bit, bitmap->b_data);
	mark_buffer_dirty(bitmap);
	brelse(bitmap);
	gd->bg_free_inodes_count--;
	if (dir)
		gd->bg_used_dirs_count++;
	mark_buffer_dirty(ext2_group_desc_bh(sb, group));
	sbi->s_es->s_free_inodes_count--;
	ext2_sb_dirty(sb);
	return ino;
}

static void release_inode(struct super_block *sb, unsigned long ino, bool dir)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);
	u32 ipg = sbi->s_es->s_inodes_per_group;
	u32 group = (u32)((ino - 1) / ipg);
	struct ext2_group_desc *gd = ext2_get_group_desc(sb, group);
	struct buffer_head *bitmap;

	if (ino < sbi->s_geo.first_ino || ino > sbi->s_es->s_inodes_count) {
		printk("ext2: %s: not freeing reserved or bad inode %lu\n",
		       sb->s_bdev->bd_name, ino);
		return;
	}
	bitmap = sb_bread(sb, gd->bg_inode_bitmap);
	if (!bitmap)
		return;
	if (!test_bit_le((ino - 1) % ipg, bitmap->b_data)) {
		printk("ext2: %s: inode %lu freed twice\n", sb->s_bdev->bd_name,
		       ino);
		brelse(bitmap);
		return;
	}
	clear_bit_le((ino - 1) % ipg, bitmap->b_data);
	mark_buffer_dirty(bitmap);
	brelse(bitmap);
	gd->bg_free_inodes_count++;
	if (dir)
		gd->bg_used_dirs_count--;
	mark_buffer_dirty(ext2_group_desc_bh(sb, group));
	sbi->s_es->s_free_inodes_count++;
	ext2_sb_dirty(sb);
}

void ext2_free_inode(struct inode *inode)
{
	release_inode(inode->i_sb, inode->i_ino, S_ISDIR(inode->i_mode));
}

static unsigned long alloc_ino(struct super_block *sb, struct inode *dir,
			       bool is_dir, u32 *groupp, int *err)
{
	u32 ngroups = EXT2_SB(sb)->s_geo.groups_count, i, g;
	int start = is_dir ? find_group_dir(sb) :
			     find_group_other(sb, EXT2_I(dir)->i_block_group);
	unsigned long ino;

	if (start < 0)
		return 0;
	/* The counts chose a group; its bitmap has the last word. */
	for (i = 0, g = (u32)start; i < ngroups; i++, g = (g + 1) % ngroups) {
		ino = take_inode(sb, g, is_dir, err);
		if (ino) {
			*groupp = g;
			return ino;
		}
	}
	return 0;
}

struct inode *ext2_new_inode(struct inode *dir, umode_t mode)
{
	struct super_block *sb = dir->i_sb;
	struct ext2_inode_info *ei;
	struct inode *inode;
	unsigned long ino;
	int err = ext2_check_bdev_write_error(sb);
	u32 group = 0;

	if (err)
		return ERR_PTR(err);
	err = -ENOSPC;
	ino = alloc_ino(sb, dir, S_ISDIR(mode), &group, &err);
	if (!ino)
		return ERR_PTR(err);
	inode = new_inode(sb);
	if (!inode) {
		release_inode(sb, ino, S_ISDIR(mode));
		return ERR_PTR(-ENOMEM);
	}
	ei = EXT2_I(inode);
	inode->i_ino = ino;
	inode->i_mode = mode;
	inode->i_nlink = 1;
	inode->i_size = 0;
	inode->i_blocks = 0;
	inode->i_uid = inode->i_gid = 0;
	inode->i_atime = inode->i_mtime = inode->i_ctime = ext2_now(sb);
	memset(ei->i_data, 0, sizeof(ei->i_data));
	ei->i_flags = 0;
	ei->i_file_acl = 0;
	ei->i_dtime = 0;
	ei->i_block_group = group;
	ei->i_last_alloc = 0;
	ext2_set_inode_ops(inode);
	insert_inode_hash(inode);
	err = ext2_init_raw_inode(inode);
	if (err) {
		clear_nlink(inode);
		iput(inode);
		return ERR_PTR(err);
	}
	mark_inode_dirty(inode);
	return inode;
}
