/*
 * Writing back: one file (fsync), one file system (sync_filesystem), or
 * everything (vfs_sync). Data goes before the inode that describes it
 * (its size, its block count), and both before the file system's own
 * metadata (bitmaps, descriptors, super block) which lives in the
 * device's page cache and is written last.
 *
 * Errors: a page that failed writeback leaves AS_EIO/AS_ENOSPC on its
 * mapping; fsync reports and clears it, so the first fsync after the
 * failure sees it, once. sync reports it without clearing, so a later
 * fsync still does.
 */
#include "blkdev.h"
#include "pagemap.h"
#include "vfs.h"
#include "writeback.h"

static int mapping_error_peek(struct address_space *mapping)
{
	unsigned long f = READ_ONCE(mapping->flags);

	if (f & (1UL << AS_ENOSPC))
		return -ENOSPC;
	if (f & (1UL << AS_EIO))
		return -EIO;
	return 0;
}

static int write_inode_now(struct inode *inode, int wait)
{
	const struct super_operations *op = inode->i_sb->s_op;
	int err;

	if (!(inode->i_state & I_DIRTY))
		return 0;
	inode->i_state &= ~I_DIRTY;
	if (!op || !op->write_inode)
		return 0;
	err = op->write_inode(inode, wait);
	if (err)
		mark_inode_dirty(inode); /* try again next time */
	return err;
}

/* The device cache: metadata buffers the file system dirtied. */
static int sync_bdev(struct super_block *sb, bool keep_errors)
{
	struct inode *bd;

	if (!sb->s_bdev || !sb->s_bdev->bd_inode)
		return 0;
	bd = sb->s_bdev->bd_inode;
	if (!keep_errors)
		return filemap_write_and_wait(bd->i_mapping);
	{
		int err = filemap_fdatawrite(bd->i_mapping);

		filemap_fdatawait_keep_errors(bd->i_mapping);
		return err ? err : mapping_error_peek(bd->i_mapping);
	}
}

int sync_inodes_sb(struct super_block *sb, int wait)
{
	struct inode *inode, *prev = NULL;
	int ret = 0;

	/* Each inode is pinned while we sleep on its I/O (sb_next_inode). */
	while ((inode = sb_next_inode(sb, prev))) {
		struct address_space *mapping = inode->i_mapping;
		int err;

		iput(prev);
		prev = inode;
		err = filemap_fdatawrite(mapping);
		if (wait) {
			filemap_fdatawait_keep_errors(mapping);
			if (!err)
				err = mapping_error_peek(mapping);
		}
		if (!ret)
			ret = err;
		err = write_inode_now(inode, wait);
		if (!ret)
			ret = err;
	}
	iput(prev);
	return ret;
}

int sync_filesystem(struct super_block *sb)
{
	int ret, err;

	if (!sb)
		return 0;
	ret = sync_inodes_sb(sb, 1);
	if (sb->s_op && sb->s_op->sync_fs) {
		err = sb->s_op->sync_fs(sb, 1);
		if (!ret)
			ret = err;
	}
	err = sync_bdev(sb, true);
	return ret ? ret : err;
}

int vfs_fsync(struct file *file)
{
	struct inode *inode;
	int ret, err;

	if (IS_ERR_OR_NULL(file))
		return -EBADF;
	inode = file->f_inode;
	/* Reports and clears the file's writeback error: once. */
	ret = filemap_write_and_wait(file->f_mapping);
	if (file->f_op && file->f_op->fsync) {
		err = file->f_op->fsync(file);
	} else if (inode->i_sb) {
		err = write_inode_now(inode, 1);
		if (!err)
			err = sync_bdev(inode->i_sb, false);
	} else {
		err = 0;
	}
	return ret ? ret : err;
}

int vfs_sync(void)
{
	int ret = sync_filesystem(vfs_root_sb());
	int err = sync_all_mappings();

	return ret ? ret : err;
}
