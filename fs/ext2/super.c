/*
 * Mounting ext2: the superblock is read first with 1 KiB buffers (it
 * lives at byte 1024 whatever the block size), checked, then read again
 * with the file system's own block size and kept, with the group
 * descriptor table, in held buffers of the device's cache for as long
 * as the file system is mounted. Every check that can be made once is
 * made here, so a damaged file system fails at mount with a reason.
 */
#include "blkdev.h"
#include "buffer_head.h"
#include "errno.h"
#include "ext2.h"
#include "printk.h"
#include "slab.h"
#include "init.h"
#include "ktime.h"
#include "string.h"
#include "vfs.h"
#include "writeback.h"

static const char *sb_name(const struct super_block *sb)
{
	return sb->s_bdev->bd_name;
}

/* Reads, checks and keeps the superblock at its final block size. */
static int read_super(struct super_block *sb, struct ext2_sb_info *sbi)
{
	struct block_device *bdev = sb->s_bdev;
	u64 dev_bytes = (u64)bdev->bd_nr_sectors << SECTOR_SHIFT;
	struct buffer_head *bh;
	unsigned int bs;
	int err;

	if (dev_bytes < EXT2_SUPER_OFFSET + EXT2_SUPER_SIZE) {
		printk("ext2: %s: device too small\n", sb_name(sb));
		return -EINVAL;
	}
	err = set_blocksize(bdev, EXT2_MIN_BLOCK_SIZE);
	if (err)
		return err;
	bh = __bread(bdev, 1, EXT2_MIN_BLOCK_SIZE);
	if (!bh)
		return -EIO;
	err = ext2_check_super((struct ext2_super_block *)bh->b_data, dev_bytes,
			       &sbi->s_geo);
	brelse(bh);
	if (err) {
		printk("ext2: %s: %s\n", sb_name(sb), sbi->s_geo.why);
		return err;
	}
	bs = sbi->s_geo.block_size;
	err = set_blocksize(bdev, bs);
	if (err)
		return err;
	sbi->s_sbh = __bread(bdev, EXT2_SUPER_OFFSET / bs, bs);
	if (!sbi->s_sbh)
		return -EIO;
	sbi->s_es = (struct ext2_super_block *)(sbi->s_sbh->b_data +
						EXT2_SUPER_OFFSET % bs);
	sb->s_blocksize = bs;
	sb->s_blocksize_bits = (unsigned char)sbi->s_geo.block_bits;
	sbi->s_addr_per_block_bits = sbi->s_geo.block_bits - 2;
	sbi->s_maxbytes = ext2_max_size(sbi->s_geo.block_bits);
	sbi->s_read_only = sbi->s_geo.read_only;
	return 0;
}

struct ext2_group_desc *ext2_get_group_desc(struct super_block *sb, u32 group)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);
	unsigned int per_block =
		sb->s_blocksize / sizeof(struct ext2_group_desc);

	if (group >= sbi->s_geo.groups_count)
		return NULL;
	return (struct ext2_group_desc *)sbi->s_group_desc[group / per_block]
		       ->b_data +
	       group % per_block;
}

static int read_group_descs(struct super_block *sb, struct ext2_sb_info *sbi)
{
	u32 first = sbi->s_es->s_first_data_block + 1;
	u32 i;

	sbi->s_group_desc =
		kzalloc(sbi->s_geo.desc_blocks * sizeof(*sbi->s_group_desc),
			GFP_KERNEL);
	if (!sbi->s_group_desc)
		return -ENOMEM;
	for (i = 0; i < sbi->s_geo.desc_blocks; i++) {
		sbi->s_group_desc[i] = sb_bread(sb, first + i);
		if (!sbi->s_group_desc[i])
			return -EIO;
	}
	for (i = 0; i < sbi->s_geo.groups_count; i++) {
		if (ext2_check_group_desc(sbi->s_es, &sbi->s_geo,
					  ext2_get_group_desc(sb, i), i)) {
			printk("ext2: %s: %s\n", sb_name(sb), sbi->s_geo.why);
			return -EUCLEAN;
		}
	}
	return 0;
}

/* Reads one bitmap block and counts its zero bits among the first nbits. */
static long count_free_in(struct super_block *sb, u32 block,
			  unsigned long nbits)
{
	struct buffer_head *bh = sb_bread(sb, block);
	long free;

	if (!bh)
		return -EIO;
	free = (long)ext2_count_free((const u8 *)bh->b_data, nbits);
	brelse(bh);
	return free;
}

/*
 * Allocation trusts the bitmaps and the counts alike; if they disagree
 * one of them lies, and writing would lose data or leak space.
 */
static int check_bitmaps(struct super_block *sb, struct ext2_sb_info *sbi)
{
	struct ext2_super_block *es = sbi->s_es;
	u32 g;

	for (g = 0; g < sbi->s_geo.groups_count; g++) {
		struct ext2_group_desc *gd = ext2_get_group_desc(sb, g);
		u32 nblocks = ext2_group_last_block(es, &sbi->s_geo, g) -
			      ext2_group_first_block(es, &sbi->s_geo, g) + 1;
		long bfree = count_free_in(sb, gd->bg_block_bitmap, nblocks);
		long ifree = count_free_in(sb, gd->bg_inode_bitmap,
					   es->s_inodes_per_group);

		if (bfree < 0 || ifree < 0)
			return -EIO;
		if (bfree != gd->bg_free_blocks_count ||
		    ifree != gd->bg_free_inodes_count) {
			printk("ext2: %s: group %u: bitmaps say %ld free "
			       "blocks, %ld free inodes; descriptor says %u, "
			       "%u\n",
			       sb_name(sb), g, bfree, ifree,
			       gd->bg_free_blocks_count,
			       gd->bg_free_inodes_count);
			return -EUCLEAN;
		}
	}
	return 0;
}

static int read_root(struct super_block *sb)
{
	struct inode *root = ext2_iget(sb, EXT2_ROOT_INO);

	if (IS_ERR(root)) {
		printk("ext2: %s: cannot read the root inode (%s)\n",
		       sb_name(sb), errno_name((int)-PTR_ERR(root)));
		return (int)PTR_ERR(root);
	}
	if (!S_ISDIR(root->i_mode)) {
		printk("ext2: %s: the root inode is not a directory\n",
		       sb_name(sb));
		iput(root);
		return -EUCLEAN;
	}
	sb->s_root = d_make_root(root);
	return sb->s_root ? 0 : -ENOMEM;
}

static void free_sbi(struct ext2_sb_info *sbi)
{
	u32 i;

	if (sbi->s_group_desc) {
		for (i = 0; i < sbi->s_geo.desc_blocks; i++)
			if (sbi->s_group_desc[i])
				brelse(sbi->s_group_desc[i]);
		kfree(sbi->s_group_desc);
	}
	if (sbi->s_sbh)
		brelse(sbi->s_sbh);
	kfree(sbi);
}

u32 ext2_now(struct super_block *sb)
{
	return EXT2_SB(sb)->s_time_base + (u32)(ktime_get_ns() / NSEC_PER_SEC);
}

struct buffer_head *ext2_group_desc_bh(struct super_block *sb, u32 group)
{
	unsigned int per_block =
		sb->s_blocksize / sizeof(struct ext2_group_desc);

	return EXT2_SB(sb)->s_group_desc[group / per_block];
}

void ext2_sb_dirty(struct super_block *sb)
{
	mark_buffer_dirty(EXT2_SB(sb)->s_sbh);
}

bool ext2_never_write(struct super_block *sb)
{
	return sb_rdonly(sb) && !EXT2_SB(sb)->s_write_error;
}

/* The superblock's write time; sync_fs writes it with the descriptors. */
void ext2_write_super(struct super_block *sb)
{
	if (ext2_never_write(sb))
		return;
	EXT2_SB(sb)->s_es->s_wtime = ext2_now(sb);
	ext2_sb_dirty(sb);
}

void ext2_write_error(struct super_block *sb, u64 block, bool known)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);

	if (sbi->s_write_error)
		return;
	sbi->s_write_error = true;
	if (known)
		printk("ext2: %s: write error on block %llu, remounting "
		       "read-only\n",
		       sb_name(sb), (unsigned long long)block);
	else
		printk("ext2: %s: write error on metadata, remounting "
		       "read-only\n",
		       sb_name(sb));
	/* e2fsck checks a file system marked so, whatever else it says. */
	sbi->s_es->s_state |= EXT2_ERROR_FS;
	ext2_sb_dirty(sb);
	sb->s_flags |= MS_RDONLY;
}
static int ext2_statfs(struct super_block *sb, struct kstatfs *buf)
{
	const struct ext2_super_block *es = EXT2_SB(sb)->s_es;

	buf->f_bsize = sb->s_blocksize;
	buf->f_blocks = es->s_blocks_count - es->s_first_data_block;
	buf->f_bfree = es->s_free_blocks_count;
	buf->f_files = es->s_inodes_count;
	buf->f_ffree = es->s_free_inodes_count;
	return 0;
}

static struct inode *ext2_alloc_inode(struct super_block *sb)
{
	struct ext2_inode_info *ei = kzalloc(sizeof(*ei), GFP_KERNEL);

	if (!ei)
		return NULL;
	(void)sb;
	return &ei->vfs_inode;
}

static void ext2_destroy_inode(struct inode *inode)
{
	ext2_dx_free(EXT2_I(inode)->i_dir_index);
	kfree(EXT2_I(inode));
}

static const struct super_operations ext2_sops = {
	.alloc_inode = ext2_alloc_inode,
	.destroy_inode = ext2_destroy_inode,
	.write_inode = ext2_write_inode,
	.evict_inode = ext2_evict_inode,
	.put_super = ext2_put_super,
	.sync_fs = ext2_sync_fs,
	.statfs = ext2_statfs,
	.get_inode = ext2_iget,
};

/*
 * A read-write mount marks the file system "not clean" on disk at once:
 * if we crash, e2fsck knows to check it. put_super marks it clean.
 */
static int mark_mounted(struct super_block *sb)
{
	struct ext2_super_block *es = EXT2_SB(sb)->s_es;
	int err;

	if (sb_rdonly(sb))
		return 0;
	es->s_state &= (u16)~EXT2_VALID_FS;
	es->s_mnt_count++;
	es->s_mtime = ext2_now(sb);
	ext2_write_super(sb);
	err = sync_dirty_buffer(EXT2_SB(sb)->s_sbh);
	if (err)
		return err;
	/*
	 * "Not clean" should be durable before any other change. A device
	 * that fails flushes fails every fsync and sync too, which is where
	 * the caller hears of it; the mount itself goes on.
	 */
	if (blkdev_issue_flush(sb->s_bdev))
		printk("ext2: %s: cache flush failed at mount\n", sb_name(sb));
	return 0;
}

static void print_mounted(struct super_block *sb)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);

	if (sbi->s_read_only)
		printk("ext2: %s: %s\n", sb_name(sb), sbi->s_geo.why);
	if (!(sbi->s_mount_state & EXT2_VALID_FS) ||
	    (sbi->s_mount_state & EXT2_ERROR_FS))
		printk("ext2: %s: not cleanly unmounted, e2fsck is advised\n",
		       sb_name(sb));
	printk("ext2: %s: mounted, %u-byte blocks, %u groups, %u inodes%s\n",
	       sb_name(sb), sbi->s_geo.block_size, sbi->s_geo.groups_count,
	       sbi->s_es->s_inodes_count,
	       sbi->s_read_only ? ", read-only" : "");
}

int ext2_fill_super(struct super_block *sb)
{
	struct ext2_sb_info *sbi = kzalloc(sizeof(*sbi), GFP_KERNEL);
	int err;

	if (!sbi)
		return -ENOMEM;
	sb->s_fs_info = sbi;
	sb->s_op = &ext2_sops;
	sb->s_type = "ext2";
	err = read_super(sb, sbi);
	if (!err)
		err = read_group_descs(sb, sbi);
	if (!err)
		err = check_bitmaps(sb, sbi);
	if (!err) {
		sb->s_maxbytes = (loff_t)sbi->s_maxbytes;
		/* Revision 0 has no i_size_high and no large_file to set. */
		if (sbi->s_es->s_rev_level == EXT2_GOOD_OLD_REV)
			sb->s_maxbytes = min(sb->s_maxbytes, MAX_NON_LFS);
		if (sbi->s_read_only)
			sb->s_flags |= MS_RDONLY;
		sbi->s_time_base = max(sbi->s_es->s_wtime, sbi->s_es->s_mtime);
		sbi->s_mount_state = sbi->s_es->s_state;
		err = read_root(sb);
	}
	if (!err) {
		/* Metadata write errors from now on are this mount's. */
		sbi->s_bdev_wb_err =
			errseq_sample(&sb->s_bdev->bd_inode->i_mapping->wb_err);
		err = mark_mounted(sb);
		if (err) {
			dput(sb->s_root);
			sb->s_root = NULL;
		}
	}
	if (err) {
		/* A root we read and let go is still cached: not past us. */
		evict_unused_inodes(sb);
		sb->s_fs_info = NULL;
		free_sbi(sbi);
		return err;
	}
	print_mounted(sb);
	return 0;
}

void ext2_put_super(struct super_block *sb)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);

	if (!sbi)
		return;
	if (!ext2_never_write(sb)) {
		/*
		 * Clean again unless it was not clean when we found it, or
		 * metadata failed to reach the disk (then the rest still
		 * goes, and e2fsck is told to check).
		 */
		if ((sbi->s_mount_state & EXT2_VALID_FS) && !sbi->s_write_error)
			sbi->s_es->s_state |= EXT2_VALID_FS;
		ext2_sync_fs(sb, 1);
	}
	sb->s_fs_info = NULL;
	free_sbi(sbi);
}

struct file_system_type ext2_fs_type = {
	.name = "ext2",
	.fill_super = ext2_fill_super,
};

static int init_ext2_fs(void)
{
	return register_filesystem(&ext2_fs_type);
}
fs_initcall(init_ext2_fs);
