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
#include "string.h"

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

static int check_root(struct super_block *sb)
{
	struct inode *root = ext2_iget(sb, EXT2_ROOT_INO);
	int err = 0;

	if (IS_ERR(root)) {
		printk("ext2: %s: cannot read the root inode (%s)\n",
		       sb_name(sb), errno_name((int)-PTR_ERR(root)));
		return (int)PTR_ERR(root);
	}
	if (!S_ISDIR(root->i_mode)) {
		printk("ext2: %s: the root inode is not a directory\n",
		       sb_name(sb));
		err = -EUCLEAN;
	}
	ext2_destroy_inode(root);
	return err;
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

int ext2_fill_super(struct super_block *sb)
{
	struct ext2_sb_info *sbi = kzalloc(sizeof(*sbi), GFP_KERNEL);
	int err;

	if (!sbi)
		return -ENOMEM;
	sb->s_fs_info = sbi;
	err = read_super(sb, sbi);
	if (!err)
		err = read_group_descs(sb, sbi);
	if (!err)
		err = check_bitmaps(sb, sbi);
	if (!err)
		err = check_root(sb);
	if (err) {
		sb->s_fs_info = NULL;
		free_sbi(sbi);
		return err;
	}
	if (sbi->s_read_only)
		printk("ext2: %s: %s\n", sb_name(sb), sbi->s_geo.why);
	if (!(sbi->s_es->s_state & EXT2_VALID_FS) ||
	    (sbi->s_es->s_state & EXT2_ERROR_FS))
		printk("ext2: %s: not cleanly unmounted, e2fsck is advised\n",
		       sb_name(sb));
	printk("ext2: %s: mounted, %u-byte blocks, %u groups, %u inodes%s\n",
	       sb_name(sb), sbi->s_geo.block_size, sbi->s_geo.groups_count,
	       sbi->s_es->s_inodes_count,
	       sbi->s_read_only ? ", read-only" : "");
	return 0;
}

void ext2_put_super(struct super_block *sb)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);

	if (!sbi)
		return;
	sb->s_fs_info = NULL;
	free_sbi(sbi);
}
