/*
 * ext2 symlinks. A target shorter than 60 bytes lives in the inode's
 * i_block array ("fast": no data block); a longer one in one data block
 * read through the device's buffer cache.
 */
#include "blkdev.h"
#include "buffer_head.h"
#include "errno.h"
#include "ext2.h"
#include "string.h"

static int ext2_readlink(struct inode *inode, char *buf, int buflen)
{
	struct buffer_head map = { .b_size = inode->i_sb->s_blocksize };
	struct buffer_head *bh;
	int len = (int)min_t(loff_t, i_size_read(inode), buflen);
	int err;

	if (buflen < 0)
		return -EINVAL;
	if (ext2_inode_is_fast_symlink(inode)) {
		memcpy(buf, EXT2_I(inode)->i_data, (size_t)len);
		return len;
	}
	err = ext2_get_block(inode, 0, &map, 0);
	if (err)
		return err;
	if (!buffer_mapped(&map))
		return -EUCLEAN; /* a slow symlink without its block */
	bh = sb_bread(inode->i_sb, map.b_blocknr);
	if (!bh)
		return -EIO;
	memcpy(buf, bh->b_data, (size_t)len);
	brelse(bh);
	return len;
}

/*
 * A long target goes to a data block of its own, written through the
 * device's buffer cache where readlink reads it (not the page cache).
 */
int ext2_write_slow_symlink(struct inode *inode, const char *target, size_t len)
{
	struct buffer_head map = { .b_size = inode->i_sb->s_blocksize };
	struct buffer_head *bh;
	int err = ext2_get_block(inode, 0, &map, 1);

	if (err)
		return err;
	bh = sb_getblk(inode->i_sb, map.b_blocknr);
	if (!bh)
		return -ENOMEM;
	lock_buffer(bh);
	memset(bh->b_data, 0, bh->b_size);
	memcpy(bh->b_data, target, len);
	set_buffer_uptodate(bh);
	unlock_buffer(bh);
	mark_buffer_dirty_inode(bh, inode);
	brelse(bh);
	return 0;
}

const struct inode_operations ext2_symlink_inode_operations = {
	.readlink = ext2_readlink,
};
