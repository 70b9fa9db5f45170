/*
 * Writing inodes back, after Linux's fs/fs-writeback.c. mark_inode_dirty
 * stamps the time an inode first became dirty; write_inode_now is the
 * one place that clears I_DIRTY (and sets it again, keeping the stamp,
 * if the file system could not take the fields). The flusher's periodic
 * pass (writeback_inodes_expired) writes every inode dirty for longer
 * than the expire interval, after its data, then has the file system
 * write its metadata in order: an idle system's changes all reach the
 * disk, not only its data pages.
 */
#include "blkdev.h"
#include "internal.h"
#include "ktime.h"
#include "pagemap.h"
#include "vfs.h"
#include "writeback.h"

void mark_inode_dirty(struct inode *inode)
{
	spin_lock(&inode_lock);
	if (!(inode->i_state & I_DIRTY)) {
		inode->i_state |= I_DIRTY;
		inode->dirtied_when_ns = ktime_get_ns();
	}
	spin_unlock(&inode_lock);
}

/* Dirty again after a failed write_inode, as old as it was. */
static void redirty_inode(struct inode *inode, u64 when)
{
	spin_lock(&inode_lock);
	if (!(inode->i_state & I_DIRTY)) {
		inode->i_state |= I_DIRTY;
		inode->dirtied_when_ns = when;
	}
	spin_unlock(&inode_lock);
}

int write_inode_now(struct inode *inode, int sync)
{
	const struct super_operations *op = inode->i_sb->s_op;
	u64 when;
	int err;

	spin_lock(&inode_lock);
	if (!(inode->i_state & I_DIRTY)) {
		spin_unlock(&inode_lock);
		return 0;
	}
	/* Cleared first: a change made while we write dirties it again. */
	inode->i_state &= ~I_DIRTY;
	when = inode->dirtied_when_ns;
	spin_unlock(&inode_lock);
	if (!op || !op->write_inode)
		return 0;
	err = op->write_inode(inode, sync);
	if (err)
		redirty_inode(inode, when);
	return err;
}

static bool inode_expired(struct inode *inode, u64 now, u64 older_than_ns)
{
	return (READ_ONCE(inode->i_state) & I_DIRTY) &&
	       now - inode->dirtied_when_ns >= older_than_ns;
}

long writeback_inodes_expired(u64 older_than_ns)
{
	struct super_block *sb = vfs_root_sb();
	struct inode *inode, *prev = NULL;
	struct address_space *bdev_mapping;
	u64 now = ktime_get_ns();
	long written = 0;

	if (!sb || !sb->s_root || !trylock_super(sb))
		return 0;
	while ((inode = sb_next_inode(sb, prev))) {
		iput(prev);
		prev = inode;
		if (!inode_expired(inode, now, older_than_ns))
			continue;
		/*
		 * Its data before the inode: what the data pass left (it
		 * writes a bounded number of pages) goes now, and all of it
		 * is waited for.
		 */
		filemap_fdatawrite(inode->i_mapping);
		filemap_fdatawait_keep_errors(inode->i_mapping);
		if (!write_inode_now(inode, 0))
			written++;
	}
	iput(prev);
	bdev_mapping = sb->s_bdev && sb->s_bdev->bd_inode ?
			       sb->s_bdev->bd_inode->i_mapping :
			       NULL;
	if ((written || (bdev_mapping &&
			 mapping_dirty_expired(bdev_mapping, older_than_ns))) &&
	    sb->s_op && sb->s_op->sync_fs)
		sb->s_op->sync_fs(sb, 0);
	super_unlock_shared(sb);
	return written;
}

unsigned long nr_dirty_inodes(struct super_block *sb)
{
	struct inode *inode;
	unsigned long n = 0;

	if (!sb)
		return 0;
	spin_lock(&inode_lock);
	list_for_each_entry(inode, &sb->s_inodes, i_sb_list)
		n += (inode->i_state & I_DIRTY) ? 1 : 0;
	spin_unlock(&inode_lock);
	return n;
}
