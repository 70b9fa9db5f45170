/*
 * ext2's metadata on its way to the disk, in an order a power cut can
 * live with (docs/durability.md has the why):
 *
 *   1. data blocks (the VFS writes them first),
 *   2. the allocation state: block and inode bitmaps, group descriptors,
 *      the superblock, and files' indirect blocks,
 *   3. inode tables (an inode after the blocks and bitmaps it points at),
 *   4. directory blocks (an entry after the inode it names).
 *
 * Each step is waited for and flushed out of the device's volatile
 * cache before the next. sync writes every dirty buffer this way; fsync
 * writes its file's share, then climbs the directories on its path
 * whose entries are newer than the disk.
 *
 * A block that fails to write stays dirty in memory (fs/buffer.c), is
 * reported to the caller every time, and turns the file system
 * read-only (ext2_write_error), so nothing new is built on it.
 */
#include "blkdev.h"
#include "buffer_head.h"
#include "errno.h"
#include "ext2.h"
#include "pagemap.h"
#include "vfs.h"
#include "writeback.h"

enum ext2_meta_class {
	EXT2_META_ALLOC, /* bitmaps, descriptors, superblock */
	EXT2_META_FILE, /* a file's indirect or symlink block */
	EXT2_META_ITABLE, /* inode table */
	EXT2_META_DIR, /* a directory's block, or one nobody owns now */
};

static u32 group_of(const struct ext2_super_block *es, u64 block)
{
	return (u32)((block - es->s_first_data_block) / es->s_blocks_per_group);
}

static enum ext2_meta_class meta_class(struct super_block *sb,
				       const struct buffer_head *bh)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);
	const struct ext2_super_block *es = sbi->s_es;
	const struct ext2_group_desc *gd;
	const struct address_space *owner = bh->b_assoc_map;
	u64 block = bh->b_blocknr;

	if (block <= es->s_first_data_block + sbi->s_geo.desc_blocks)
		return EXT2_META_ALLOC;
	gd = ext2_get_group_desc(sb, group_of(es, block));
	if (gd &&
	    (block == gd->bg_block_bitmap || block == gd->bg_inode_bitmap))
		return EXT2_META_ALLOC;
	if (gd && block >= gd->bg_inode_table &&
	    block < (u64)gd->bg_inode_table + sbi->s_geo.itb_per_group)
		return EXT2_META_ITABLE;
	if (owner && owner->host && !S_ISDIR(owner->host->i_mode))
		return EXT2_META_FILE;
	return EXT2_META_DIR;
}

struct wave {
	struct super_block *sb;
	unsigned int classes; /* bits of enum ext2_meta_class */
	bool retry_failed; /* integrity sync: also blocks that failed before */
};

static bool wave_pick(struct buffer_head *bh, void *data)
{
	struct wave *w = data;

	if (!w->retry_failed && buffer_write_io_error(bh))
		return false;
	return w->classes & (1U << meta_class(w->sb, bh));
}

/* One step: the buffers of these classes, written, waited for, flushed. */
static int write_wave(struct super_block *sb, unsigned int classes, int wait)
{
	struct wave w = { sb, classes, wait != 0 };
	int err = write_dirty_buffers(sb->s_bdev, wave_pick, &w);
	int e = blkdev_issue_flush(sb->s_bdev);

	return err ? err : e;
}

static bool failed_pick(struct buffer_head *bh, void *data)
{
	u64 *block = data;

	if (!buffer_write_io_error(bh))
		return false;
	if (*block == (u64)-1)
		*block = bh->b_blocknr;
	return true;
}

int ext2_check_bdev_write_error(struct super_block *sb)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);
	struct address_space *mapping = sb->s_bdev->bd_inode->i_mapping;
	u64 block = (u64)-1;

	if (errseq_check_and_advance(&mapping->wb_err, &sbi->s_bdev_wb_err)) {
		/* The failed buffer stays dirty until a retry: find it. */
		nr_dirty_buffers(sb->s_bdev, failed_pick, &block);
		ext2_write_error(sb, block, block != (u64)-1);
	}
	return sb_rdonly(sb) ? -EROFS : 0;
}

/* Every directory block is on the disk: no name is new any more. */
static void forget_new_names(struct super_block *sb)
{
	struct inode *inode, *prev = NULL;

	while ((inode = sb_next_inode(sb, prev))) {
		iput(prev);
		prev = inode;
		EXT2_I(inode)->i_dir_ino = EXT2_I(inode)->i_old_dir_ino = 0;
	}
	iput(prev);
}

int ext2_sync_fs(struct super_block *sb, int wait)
{
	int err, e;

	if (ext2_never_write(sb))
		return 0;
	/* A write that failed elsewhere (the flusher) counts as ours. */
	ext2_check_bdev_write_error(sb);
	if (wait)
		ext2_write_super(sb);
	/* The data the VFS wrote first, out of the cache before pointers. */
	err = blkdev_issue_flush(sb->s_bdev);
	e = write_wave(sb, 1U << EXT2_META_ALLOC | 1U << EXT2_META_FILE, wait);
	if (!err)
		err = e;
	e = write_wave(sb, 1U << EXT2_META_ITABLE, wait);
	if (!err)
		err = e;
	e = write_wave(sb, 1U << EXT2_META_DIR, wait);
	if (!err)
		err = e;
	ext2_check_bdev_write_error(sb);
	/* Pages whose buffers are all clean now leave the dirty lists. */
	if (!wait)
		filemap_flush(sb->s_bdev->bd_inode->i_mapping);
	else if (!err)
		forget_new_names(sb);
	return err;
}

/*
 * The inode's fields into its inode-table block, and that block out
 * (also when the inode is clean: the flusher may have filled the block
 * and not written it yet).
 */
static int sync_inode_record(struct inode *inode)
{
	return write_inode_now(inode, 0) ?: ext2_sync_inode_buffer(inode);
}

/* fsync flushes between steps; eviction leaves that to the next fsync. */
static int flush_if(bool flush, struct super_block *sb)
{
	return flush ? blkdev_issue_flush(sb->s_bdev) : 0;
}

/*
 * One directory on the path: its blocks (the new entry) after the inode
 * the entry names, then its own inode after its blocks.
 */
static int sync_dir(struct inode *dir, bool flush)
{
	int err = sync_mapping_buffers(dir->i_mapping);
	int e = flush_if(flush, dir->i_sb);

	if (!err)
		err = e;
	e = sync_inode_record(dir);
	if (!err)
		err = e;
	e = flush_if(flush, dir->i_sb);
	return err ? err : e;
}

/*
 * Directory number ino (0: none) written through sync_dir, its inode in
 * *dirp (referenced) to climb on from. A directory gone since (rmdir)
 * holds no name to keep: 0. Without may_read only a cached directory
 * counts: one that left the cache wrote its blocks then (evict).
 */
static int sync_dir_ino(struct super_block *sb, u32 ino, bool may_read,
			struct inode **dirp)
{
	struct inode *dir;

	*dirp = NULL;
	if (!ino)
		return 0;
	dir = may_read ? ext2_iget(sb, ino) : ilookup(sb, ino);
	if (IS_ERR_OR_NULL(dir))
		return PTR_ERR(dir) == -EIO ? -EIO : 0;
	*dirp = dir;
	return sync_dir(dir, may_read);
}

/*
 * Climb from inode through the directories holding new names: each is
 * written after the inode it names, and the climb stops at the first
 * directory whose own name was already on the disk. Linux's ext2 leaves
 * this to the next sync (a new file fsynced before a power cut lands in
 * lost+found); ext4 does it (ext4_sync_parent), and so do we.
 */
int ext2_sync_names(struct inode *inode, bool may_read)
{
	struct super_block *sb = inode->i_sb;
	struct inode *cur = inode, *dir, *old_dir;
	int err = 0;

	/* inode itself is the caller's (evict holds no reference); the
	 * directories above it are ours. */
	while (cur) {
		struct ext2_inode_info *ei = EXT2_I(cur);
		u32 ino = ei->i_dir_ino, old_ino = ei->i_old_dir_ino;

		dir = NULL;
		if (!ino && !old_ino)
			break;
		ei->i_dir_ino = ei->i_old_dir_ino = 0;
		err = sync_dir_ino(sb, old_ino, may_read, &old_dir);
		iput(old_dir);
		if (!err)
			err = sync_dir_ino(sb, ino, may_read, &dir);
		if (err) {
			/* Not on the disk yet: the next fsync tries again. */
			ei->i_dir_ino = ino;
			ei->i_old_dir_ino = old_ino;
			iput(dir);
			break;
		}
		if (cur != inode)
			iput(cur);
		cur = dir;
	}
	if (cur != inode)
		iput(cur);
	return err;
}

/* Allocation metadata of the whole file system: small, and shared. */
static bool alloc_pick(struct buffer_head *bh, void *data)
{
	return meta_class(data, bh) == EXT2_META_ALLOC;
}

int ext2_fsync(struct file *file)
{
	struct inode *inode = file->f_inode;
	struct super_block *sb = inode->i_sb;
	int err = file_write_and_wait(file);
	int ret, e;

	if (ext2_never_write(sb))
		return err; /* nothing of ours can be dirty */
	ext2_check_bdev_write_error(sb);
	/* The data, out of the cache before anything points at it. */
	ret = blkdev_issue_flush(sb->s_bdev);
	e = write_dirty_buffers(sb->s_bdev, alloc_pick, sb);
	if (!ret)
		ret = e;
	e = sync_mapping_buffers(inode->i_mapping);
	if (!ret)
		ret = e;
	e = blkdev_issue_flush(sb->s_bdev);
	if (!ret)
		ret = e;
	e = sync_inode_record(inode);
	if (!ret)
		ret = e;
	e = blkdev_issue_flush(sb->s_bdev);
	if (!ret)
		ret = e;
	if (!ret)
		ret = ext2_sync_names(inode, true);
	ext2_check_bdev_write_error(sb);
	return err ? err : ret;
}
