/*
 * Writing back: one file (fsync), one file system (sync_filesystem), or
 * everything (vfs_sync), in the order a power cut can live with: the
 * data, then the file system's metadata in its own order (sync_fs:
 * bitmaps before the inodes that point at blocks, inodes before the
 * directory entries that name them), each step waited for and flushed
 * out of the device's volatile cache before the next. docs/durability.md
 * says what each call promises.
 *
 * Errors never lie and are never swallowed. A data page whose write
 * failed records the error in its mapping's errseq (wb_err) and in its
 * super block's (s_wb_err): each open file's fsync reports it once
 * (struct file samples wb_err at open), sync reports it once (its own
 * sample, s_sync_err), and neither takes it from the other. A metadata
 * block whose write failed stays dirty, so every sync fails again while
 * it cannot be written.
 */
#include "blkdev.h"
#include "buffer_head.h"
#include "pagemap.h"
#include "vfs.h"
#include "writeback.h"

/* The data of every inode of sb: all started, then all waited for. */
static void sync_inodes_data(struct super_block *sb)
{
	struct inode *inode, *prev = NULL;

	/* Each inode is pinned while we sleep on its I/O (sb_next_inode). */
	while ((inode = sb_next_inode(sb, prev))) {
		iput(prev);
		prev = inode;
		filemap_fdatawrite(inode->i_mapping);
	}
	iput(prev);
	prev = NULL;
	while ((inode = sb_next_inode(sb, prev))) {
		iput(prev);
		prev = inode;
		filemap_fdatawait_keep_errors(inode->i_mapping);
	}
	iput(prev);
}

int sync_inodes_sb(struct super_block *sb)
{
	struct inode *inode, *prev = NULL;
	int ret = 0, err;

	sync_inodes_data(sb);
	while ((inode = sb_next_inode(sb, prev))) {
		iput(prev);
		prev = inode;
		err = write_inode_now(inode, 0);
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
	ret = sync_inodes_sb(sb);
	if (sb->s_op && sb->s_op->sync_fs) {
		err = sb->s_op->sync_fs(sb, 1);
		if (!ret)
			ret = err;
	}
	/* Whatever the file system did not claim, then the device cache. */
	err = sync_blockdev(sb->s_bdev);
	if (!ret)
		ret = err;
	err = sb->s_bdev ? blkdev_issue_flush(sb->s_bdev) : 0;
	if (!ret)
		ret = err;
	err = errseq_check_and_advance(&sb->s_wb_err, &sb->s_sync_err);
	return ret ? ret : err;
}

int generic_file_fsync(struct file *file)
{
	struct inode *inode = file->f_inode;
	int err = file_write_and_wait(file);
	int ret = sync_mapping_buffers(inode->i_mapping);
	int e = write_inode_now(inode, 1);

	if (!ret)
		ret = e;
	if (!ret && inode->i_sb->s_bdev)
		ret = blkdev_issue_flush(inode->i_sb->s_bdev);
	return err ? err : ret;
}

int vfs_fsync(struct file *file)
{
	if (IS_ERR_OR_NULL(file))
		return -EBADF;
	if (file->f_op && file->f_op->fsync)
		return file->f_op->fsync(file);
	return generic_file_fsync(file);
}

int vfs_sync(void)
{
	int ret = sync_filesystem(vfs_root_sb());
	int err = sync_all_mappings();

	return ret ? ret : err;
}
