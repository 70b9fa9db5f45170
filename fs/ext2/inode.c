/*
 * ext2 inodes in the VFS: reading one through the inode cache (checked
 * before any of its numbers is used: a damaged inode fails here, with
 * -EUCLEAN, instead of sending reads past the end of the disk or mapping
 * a file so large that reading it never ends), writing it back to its
 * inode-table record, and letting it go when the last reference drops.
 */
#include "blkdev.h"
#include "buffer_head.h"
#include "errno.h"
#include "ext2.h"
#include "pagemap.h"
#include "printk.h"
#include "slab.h"
#include "string.h"
#include "writeback.h"

static int bad_inode(struct super_block *sb, unsigned long ino, const char *why)
{
	printk("ext2: %s: inode %lu: %s\n", sb->s_bdev->bd_name, ino, why);
	return -EUCLEAN;
}

static bool known_type(u16 mode)
{
	switch (mode & S_IFMT) {
	case S_IFREG:
	case S_IFDIR:
	case S_IFLNK:
	case S_IFCHR:
	case S_IFBLK:
	case S_IFIFO:
	case S_IFSOCK:
		return true;
	}
	return false;
}

/* A symlink whose target sits in i_block: no data block of its own. */
bool ext2_inode_is_fast_symlink(struct inode *inode)
{
	struct ext2_inode_info *ei = EXT2_I(inode);
	blkcnt_t ea_blocks =
		ei->i_file_acl ? inode->i_sb->s_blocksize >> SECTOR_SHIFT : 0;

	return S_ISLNK(inode->i_mode) && inode->i_blocks == ea_blocks;
}

static int check_size(struct super_block *sb, struct ext2_inode_info *ei)
{
	struct inode *inode = &ei->vfs_inode;
	unsigned int bits = sb->s_blocksize_bits;
	u64 size = (u64)inode->i_size, nblocks, most;

	if (size > EXT2_SB(sb)->s_maxbytes)
		return bad_inode(sb, inode->i_ino,
				 "size past the largest file");
	if (S_ISDIR(inode->i_mode) &&
	    (size == 0 || size & (sb->s_blocksize - 1)))
		return bad_inode(sb, inode->i_ino,
				 "directory size not a whole number of blocks");
	if (S_ISLNK(inode->i_mode)) {
		bool fast = ext2_inode_is_fast_symlink(inode);

		if (size == 0 ||
		    size >= (fast ? EXT2_N_BLOCKS * 4u : sb->s_blocksize))
			return bad_inode(sb, inode->i_ino, "bad symlink size");
	}
	/* Data blocks up to the size, their indirect blocks, the EA block. */
	nblocks = (size + sb->s_blocksize - 1) >> bits;
	most = nblocks + ext2_meta_blocks(nblocks, bits) + !!ei->i_file_acl;
	if (((u64)inode->i_blocks >> (bits - 9)) > most)
		return bad_inode(sb, inode->i_ino,
				 "more blocks than its size can use");
	return 0;
}

static bool block_ok(const struct ext2_super_block *es, u32 block)
{
	return block == 0 ||
	       (block >= es->s_first_data_block && block < es->s_blocks_count);
}

static int check_blocks(struct super_block *sb, struct ext2_inode_info *ei)
{
	const struct ext2_super_block *es = EXT2_SB(sb)->s_es;
	umode_t mode = ei->vfs_inode.i_mode;
	int i;

	if (!block_ok(es, ei->i_file_acl))
		return bad_inode(sb, ei->vfs_inode.i_ino,
				 "EA block past the end");
	/* Device numbers and fast symlink text are not block numbers. */
	if (!(S_ISREG(mode) || S_ISDIR(mode) || S_ISLNK(mode)) ||
	    ext2_inode_is_fast_symlink(&ei->vfs_inode))
		return 0;
	if (ei->i_flags & EXT4_EXTENTS_FL)
		return bad_inode(sb, ei->vfs_inode.i_ino,
				 "extent-mapped (ext4), not ext2");
	for (i = 0; i < EXT2_N_BLOCKS; i++)
		if (!block_ok(es, ei->i_data[i]))
			return bad_inode(sb, ei->vfs_inode.i_ino,
					 "block number past the end");
	return 0;
}

/* Revision 0 has no large files; i_size_high is i_dir_acl for dirs. */
static bool has_size_high(const struct super_block *sb, umode_t mode)
{
	return EXT2_SB(sb)->s_es->s_rev_level != EXT2_GOOD_OLD_REV &&
	       S_ISREG(mode);
}

static void copy_raw(struct ext2_inode_info *ei, const struct ext2_inode *raw)
{
	struct inode *inode = &ei->vfs_inode;
	u64 size = raw->i_size;

	if (has_size_high(inode->i_sb, raw->i_mode))
		size |= (u64)raw->i_size_high << 32;
	inode->i_mode = raw->i_mode;
	inode->i_size = (loff_t)size;
	memcpy(ei->i_data, raw->i_block, sizeof(ei->i_data));
	ei->i_flags = raw->i_flags;
	ei->i_file_acl = raw->i_file_acl;
	ei->i_dtime = raw->i_dtime;
	inode->i_blocks = raw->i_blocks;
	inode->i_uid = raw->i_uid | (u32)raw->i_uid_high << 16;
	inode->i_gid = raw->i_gid | (u32)raw->i_gid_high << 16;
	inode->i_atime = raw->i_atime;
	inode->i_ctime = raw->i_ctime;
	inode->i_mtime = raw->i_mtime;
	inode->i_nlink = raw->i_links_count;
}

/* The buffer of the inode-table block holding ino, and the record in it. */
static struct ext2_inode *raw_inode(struct super_block *sb, unsigned long ino,
				    struct buffer_head **bhp)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);
	u32 ipg = sbi->s_es->s_inodes_per_group;
	u32 group = (u32)((ino - 1) / ipg);
	u64 byte = (u64)((ino - 1) % ipg) * sbi->s_geo.inode_size;

	*bhp = sb_bread(sb, ext2_get_group_desc(sb, group)->bg_inode_table +
				    (byte >> sb->s_blocksize_bits));
	if (!*bhp)
		return NULL;
	return (struct ext2_inode *)((*bhp)->b_data +
				     (byte & (sb->s_blocksize - 1)));
}

static int read_inode(struct super_block *sb, struct ext2_inode_info *ei)
{
	unsigned long ino = ei->vfs_inode.i_ino;
	struct buffer_head *bh;
	struct ext2_inode *raw = raw_inode(sb, ino, &bh);

	if (!raw)
		return -EIO;
	ei->i_block_group =
		(u32)((ino - 1) / EXT2_SB(sb)->s_es->s_inodes_per_group);
	copy_raw(ei, raw);
	brelse(bh);
	return 0;
}

void ext2_set_inode_ops(struct inode *inode)
{
	inode->i_blkbits = inode->i_sb->s_blocksize_bits;
	inode->i_mapping->a_ops = &ext2_aops;
	if (S_ISREG(inode->i_mode)) {
		inode->i_op = &ext2_file_inode_operations;
		inode->i_fop = &ext2_file_operations;
	} else if (S_ISDIR(inode->i_mode)) {
		inode->i_op = &ext2_dir_inode_operations;
		inode->i_fop = &ext2_dir_operations;
	} else if (S_ISLNK(inode->i_mode)) {
		inode->i_op = &ext2_symlink_inode_operations;
	}
}

static int check_inode(struct super_block *sb, struct ext2_inode_info *ei)
{
	unsigned long ino = ei->vfs_inode.i_ino;

	if (ei->vfs_inode.i_nlink == 0 || ei->i_dtime)
		return bad_inode(sb, ino, "not in use (deleted)");
	if (!known_type(ei->vfs_inode.i_mode))
		return bad_inode(sb, ino, "unknown file type");
	return check_size(sb, ei) ?: check_blocks(sb, ei);
}

struct inode *ext2_iget(struct super_block *sb, unsigned long ino)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);
	struct inode *inode;
	int err;

	if (ino == 0 || ino > sbi->s_es->s_inodes_count) {
		bad_inode(sb, ino, "inode number out of range");
		return ERR_PTR(-EUCLEAN);
	}
	inode = iget_locked(sb, ino);
	if (!inode)
		return ERR_PTR(-ENOMEM);
	if (!(inode->i_state & I_NEW))
		return inode;
	inode->i_blkbits = sb->s_blocksize_bits;
	err = read_inode(sb, EXT2_I(inode));
	if (!err)
		err = check_inode(sb, EXT2_I(inode));
	if (err) {
		iget_failed(inode);
		return ERR_PTR(err);
	}
	ext2_set_inode_ops(inode);
	unlock_new_inode(inode);
	return inode;
}

/*
 * A size past 2 GiB needs i_size_high, which only large_file file systems
 * promise to read: say so in the superblock, as Linux does.
 */
static void note_large_file(struct super_block *sb, loff_t size)
{
	struct ext2_super_block *es = EXT2_SB(sb)->s_es;

	if (size <= MAX_NON_LFS ||
	    (es->s_feature_ro_compat & EXT2_FEATURE_RO_COMPAT_LARGE_FILE))
		return;
	es->s_feature_ro_compat |= EXT2_FEATURE_RO_COMPAT_LARGE_FILE;
	ext2_sb_dirty(sb);
}

static void fill_raw(struct inode *inode, struct ext2_inode *raw)
{
	struct ext2_inode_info *ei = EXT2_I(inode);
	u64 size = (u64)inode->i_size;

	raw->i_mode = (u16)inode->i_mode;
	raw->i_uid = (u16)inode->i_uid;
	raw->i_uid_high = (u16)(inode->i_uid >> 16);
	raw->i_gid = (u16)inode->i_gid;
	raw->i_gid_high = (u16)(inode->i_gid >> 16);
	raw->i_links_count = (u16)inode->i_nlink;
	raw->i_size = (u32)size;
	if (has_size_high(inode->i_sb, inode->i_mode)) {
		raw->i_size_high = (u32)(size >> 32);
		note_large_file(inode->i_sb, inode->i_size);
	}
	raw->i_atime = inode->i_atime;
	raw->i_ctime = inode->i_ctime;
	raw->i_mtime = inode->i_mtime;
	raw->i_dtime = ei->i_dtime;
	raw->i_blocks = (u32)inode->i_blocks;
	raw->i_flags = ei->i_flags;
	raw->i_file_acl = ei->i_file_acl;
	memcpy(raw->i_block, ei->i_data, sizeof(raw->i_block));
}

int ext2_init_raw_inode(struct inode *inode)
{
	unsigned int size = EXT2_SB(inode->i_sb)->s_geo.inode_size;
	struct buffer_head *bh;
	struct ext2_inode *raw = raw_inode(inode->i_sb, inode->i_ino, &bh);

	if (!raw)
		return -EIO;
	/* Nothing of the inode that lived here before may survive. */
	memset(raw, 0, size);
	if (size >= sizeof(struct ext2_inode_large))
		((struct ext2_inode_large *)raw)->i_extra_isize =
			EXT2_NEW_EXTRA_ISIZE;
	mark_buffer_dirty(bh);
	brelse(bh);
	return 0;
}

int ext2_write_inode(struct inode *inode, int sync)
{
	struct super_block *sb = inode->i_sb;
	struct buffer_head *bh;
	struct ext2_inode *raw;

	if (ext2_never_write(sb))
		return -EROFS;
	raw = raw_inode(sb, inode->i_ino, &bh);
	if (!raw)
		return -EIO;
	fill_raw(inode, raw);
	mark_buffer_dirty(bh);
	if (sync) {
		int err = sync_dirty_buffer(bh);

		brelse(bh);
		return err;
	}
	brelse(bh);
	return 0;
}

int ext2_sync_inode_buffer(struct inode *inode)
{
	struct buffer_head *bh;
	int err;

	if (!raw_inode(inode->i_sb, inode->i_ino, &bh))
		return -EIO;
	err = sync_dirty_buffer(bh);
	brelse(bh);
	return err;
}

/* Blocks in i_data: not device numbers, not a fast symlink's text. */
static bool has_block_map(struct inode *inode)
{
	return (S_ISREG(inode->i_mode) || S_ISDIR(inode->i_mode) ||
		S_ISLNK(inode->i_mode)) &&
	       !ext2_inode_is_fast_symlink(inode);
}

/*
 * The last reference is gone (the VFS wrote a linked inode back, or
 * dropped an unlinked one's pages). An unlinked inode gives back its
 * blocks, then itself; its record keeps a deletion time, as e2fsck and
 * Linux expect of a freed inode.
 */
void ext2_evict_inode(struct inode *inode)
{
	/*
	 * Nobody could tell fsync about a new name once the inode is gone:
	 * write the cached directories holding it now (an evicted one
	 * wrote its blocks when it went).
	 */
	if (inode->i_nlink && !ext2_never_write(inode->i_sb))
		ext2_sync_names(inode, false);
	if (inode->i_nlink || sb_rdonly(inode->i_sb))
		return;
	EXT2_I(inode)->i_dtime = ext2_now(inode->i_sb);
	if (has_block_map(inode))
		ext2_truncate_blocks(inode, 0);
	inode->i_size = 0;
	ext2_write_inode(inode, 0);
	ext2_free_inode(inode);
}
