/*
 * Reading ext2 inodes. An inode read from disk is checked before any of
 * its numbers is used: a damaged inode must fail here, with -EUCLEAN,
 * instead of sending reads past the end of the disk or mapping a file
 * so large that reading it never ends.
 */
#include "blkdev.h"
#include "buffer_head.h"
#include "errno.h"
#include "ext2.h"
#include "mpage.h"
#include "pagemap.h"
#include "printk.h"
#include "slab.h"
#include "string.h"

static int ext2_readpage(struct file *file, struct page *page)
{
	(void)file;
	return mpage_readpage(page, ext2_get_block);
}

static int ext2_readpages(struct file *file, struct address_space *mapping,
			  struct list_head *pages, unsigned int nr_pages)
{
	(void)file;
	return mpage_readpages(mapping, pages, nr_pages, ext2_get_block);
}

const struct address_space_operations ext2_aops = {
	.readpage = ext2_readpage,
	.readpages = ext2_readpages,
};

static struct inode *ext2_alloc_inode(struct super_block *sb)
{
	struct ext2_inode_info *ei = kzalloc(sizeof(*ei), GFP_KERNEL);

	if (!ei)
		return NULL;
	ei->vfs_inode.i_sb = sb;
	ei->vfs_inode.i_blkbits = sb->s_blocksize_bits;
	inode_init_mapping(&ei->vfs_inode, &ext2_aops);
	return &ei->vfs_inode;
}

void ext2_destroy_inode(struct inode *inode)
{
	if (!inode)
		return;
	truncate_inode_pages(inode->i_mapping, 0);
	kfree(EXT2_I(inode));
}

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
static bool is_fast_symlink(const struct ext2_inode_info *ei,
			    unsigned int block_size)
{
	u32 ea_blocks = ei->i_file_acl ? block_size >> 9 : 0;

	return S_ISLNK(ei->vfs_inode.i_mode) && ei->i_blocks == ea_blocks;
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
		bool fast = is_fast_symlink(ei, sb->s_blocksize);

		if (size == 0 ||
		    size >= (fast ? EXT2_N_BLOCKS * 4u : sb->s_blocksize))
			return bad_inode(sb, inode->i_ino, "bad symlink size");
	}
	/* Data blocks up to the size, their indirect blocks, the EA block. */
	nblocks = (size + sb->s_blocksize - 1) >> bits;
	most = nblocks + ext2_meta_blocks(nblocks, bits) + !!ei->i_file_acl;
	if (((u64)ei->i_blocks >> (bits - 9)) > most)
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
	    is_fast_symlink(ei, sb->s_blocksize))
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

static void copy_raw(struct ext2_inode_info *ei, const struct ext2_inode *raw,
		     const struct ext2_super_block *es)
{
	struct inode *inode = &ei->vfs_inode;
	u64 size = raw->i_size;

	/* Revision 0 has no large files; i_size_high is i_dir_acl for dirs. */
	if (es->s_rev_level != EXT2_GOOD_OLD_REV && S_ISREG(raw->i_mode))
		size |= (u64)raw->i_size_high << 32;
	inode->i_mode = raw->i_mode;
	inode->i_size = (loff_t)size;
	memcpy(ei->i_data, raw->i_block, sizeof(ei->i_data));
	ei->i_flags = raw->i_flags;
	ei->i_file_acl = raw->i_file_acl;
	ei->i_dtime = raw->i_dtime;
	ei->i_blocks = raw->i_blocks;
	ei->i_uid = raw->i_uid | (u32)raw->i_uid_high << 16;
	ei->i_gid = raw->i_gid | (u32)raw->i_gid_high << 16;
	ei->i_atime = raw->i_atime;
	ei->i_ctime = raw->i_ctime;
	ei->i_mtime = raw->i_mtime;
	ei->i_links_count = raw->i_links_count;
}

/* Reads the raw inode and copies it in; 0 or -errno. */
static int read_inode(struct super_block *sb, struct ext2_inode_info *ei)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);
	unsigned long ino = ei->vfs_inode.i_ino;
	u32 ipg = sbi->s_es->s_inodes_per_group;
	u32 group = (u32)((ino - 1) / ipg);
	u64 byte = (u64)((ino - 1) % ipg) * sbi->s_geo.inode_size;
	struct buffer_head *bh;

	ei->i_block_group = group;
	bh = sb_bread(sb, ext2_get_group_desc(sb, group)->bg_inode_table +
				  (byte >> sb->s_blocksize_bits));
	if (!bh)
		return -EIO;
	copy_raw(ei,
		 (const struct ext2_inode *)(bh->b_data +
					     (byte & (sb->s_blocksize - 1))),
		 sbi->s_es);
	brelse(bh);
	return 0;
}

struct inode *ext2_iget(struct super_block *sb, unsigned long ino)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);
	struct ext2_inode_info *ei;
	struct inode *inode;
	int err;

	if (ino == 0 || ino > sbi->s_es->s_inodes_count) {
		bad_inode(sb, ino, "inode number out of range");
		return ERR_PTR(-EUCLEAN);
	}
	inode = ext2_alloc_inode(sb);
	if (!inode)
		return ERR_PTR(-ENOMEM);
	ei = EXT2_I(inode);
	inode->i_ino = ino;
	err = read_inode(sb, ei);
	if (!err && (ei->i_links_count == 0 || ei->i_dtime))
		err = bad_inode(sb, ino, "not in use (deleted)");
	if (!err && !known_type(ei->vfs_inode.i_mode))
		err = bad_inode(sb, ino, "unknown file type");
	if (!err)
		err = check_size(sb, ei);
	if (!err)
		err = check_blocks(sb, ei);
	if (err) {
		ext2_destroy_inode(inode);
		return ERR_PTR(err);
	}
	return inode;
}
