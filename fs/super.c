/*
 * File system types and the one mount: the root. Mounting asks each
 * registered type in turn whether the device holds its file system
 * (fill_super fails cleanly if not); unmounting writes everything back,
 * empties the inode cache and lets the file system mark itself clean
 * in put_super, then writes the device cache that put_super dirtied.
 * The dcache of the file system goes first: its dentries hold inodes.
 */
#include "blkdev.h"
#include "buffer_head.h"
#include "printk.h"
#include "slab.h"
#include "string.h"
#include "vfs.h"
#include "writeback.h"

static LIST_HEAD(file_systems);
static struct super_block *root_sb;

int register_filesystem(struct file_system_type *fs)
{
	if (!fs || !fs->name || !fs->fill_super)
		return -EINVAL;
	if (get_fs_type(fs->name))
		return -EBUSY;
	list_add_tail(&fs->fs_list, &file_systems);
	return 0;
}

struct file_system_type *get_fs_type(const char *name)
{
	struct file_system_type *fs;

	list_for_each_entry(fs, &file_systems, fs_list)
		if (!strcmp(fs->name, name))
			return fs;
	return NULL;
}

struct super_block *vfs_root_sb(void)
{
	return root_sb;
}

static int try_fill_super(struct super_block *sb, struct block_device *bdev,
			  struct file_system_type *fs)
{
	int err;

	memset(sb, 0, sizeof(*sb));
	sb->s_bdev = bdev;
	INIT_LIST_HEAD(&sb->s_inodes);
	init_waitqueue_head(&sb->s_umount_wait);
	sb->s_maxbytes = MAX_NON_LFS;
	sb->s_type = fs->name;
	err = fs->fill_super(sb);
	if (err)
		return err;
	if (!sb->s_root || !sb->s_root->d_inode ||
	    !S_ISDIR(sb->s_root->d_inode->i_mode)) {
		printk("vfs: %s: no root directory\n", fs->name);
		dput(sb->s_root);
		sb->s_root = NULL;
		evict_unused_inodes(sb);
		if (sb->s_op && sb->s_op->put_super)
			sb->s_op->put_super(sb);
		return -EUCLEAN;
	}
	return 0;
}

int vfs_mount_root(struct block_device *bdev, const char *type)
{
	struct file_system_type *fs;
	struct super_block *sb;
	int err = -ENODEV;

	if (root_sb)
		return -EBUSY;
	sb = kzalloc(sizeof(*sb), GFP_KERNEL);
	if (!sb)
		return -ENOMEM;
	list_for_each_entry(fs, &file_systems, fs_list) {
		if (type && strcmp(fs->name, type))
			continue;
		err = try_fill_super(sb, bdev, fs);
		if (!err) {
			root_sb = sb;
			return 0;
		}
		if (type)
			break;
	}
	kfree(sb);
	return err;
}

bool trylock_super(struct super_block *sb)
{
	if (!sb || READ_ONCE(sb->s_umounting))
		return false;
	sb->s_writeback_count++;
	return true;
}

void super_unlock_shared(struct super_block *sb)
{
	if (!--sb->s_writeback_count)
		wake_up(&sb->s_umount_wait);
}

int vfs_umount_root(void)
{
	struct super_block *sb = root_sb;
	int err, err2;

	if (!sb)
		return -EINVAL;
	/* The flusher lets go of sb, and leaves it alone from now on. */
	sb->s_umounting = true;
	wait_event(sb->s_umount_wait, !READ_ONCE(sb->s_writeback_count));
	/* Cached dentries hold inodes; what is left is in use. */
	shrink_dcache_sb(sb);
	if (sb_busy_inodes(sb)) {
		sb->s_umounting = false;
		return -EBUSY;
	}
	err = sync_filesystem(sb);
	root_sb = NULL;
	dput(sb->s_root);
	sb->s_root = NULL;
	evict_unused_inodes(sb);
	if (!list_empty(&sb->s_inodes))
		printk("vfs: %lu inodes left at unmount\n",
		       nr_cached_inodes(sb));
	if (sb->s_op && sb->s_op->put_super)
		sb->s_op->put_super(sb);
	/* put_super's last words (the clean state), then the flush. */
	err2 = sync_blockdev(sb->s_bdev);
	if (!err2 && sb->s_bdev)
		err2 = blkdev_issue_flush(sb->s_bdev);
	kfree(sb);
	return err ? err : err2;
}

int vfs_statfs(struct kstatfs *buf)
{
	struct super_block *sb = root_sb;

	memset(buf, 0, sizeof(*buf));
	if (!sb)
		return -ENOENT;
	if (!sb->s_op || !sb->s_op->statfs)
		return -ENOSYS;
	return sb->s_op->statfs(sb, buf);
}
