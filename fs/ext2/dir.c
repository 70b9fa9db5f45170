/*
 * Reading ext2 directories: lookup by name and readdir. A directory is
 * a file of whole blocks, read through the device's buffer cache; in
 * each block the entries tile the block by rec_len. rec_len is trusted
 * only after it is checked: 0 would loop forever, an odd or too-small
 * value would misparse, a too-large one would read past the block.
 * Such a block fails with -EUCLEAN; other blocks stay readable.
 */
#include "blkdev.h"
#include "buffer_head.h"
#include "errno.h"
#include "ext2.h"
#include "printk.h"
#include "string.h"

const char *ext2_check_dirent(const u8 *block, unsigned int size,
			      unsigned int off, bool filetype)
{
	const struct ext2_dir_entry_2 *de;

	if (off + 8 > size)
		return "entry header past the block end";
	de = (const struct ext2_dir_entry_2 *)(block + off);
	if (de->rec_len < 8 || de->rec_len % EXT2_DIR_PAD)
		return de->rec_len ? "rec_len not a multiple of 4"
				   : "rec_len 0";
	if (de->rec_len > size - off)
		return "rec_len past the block end";
	if (de->inode && de->rec_len < EXT2_DIR_REC_LEN(de->name_len))
		return "rec_len smaller than the name";
	if (de->inode && de->name_len == 0)
		return "empty name";
	/* Without filetype this byte is the high byte of a 16-bit length. */
	if (!filetype && de->file_type)
		return "name longer than 255 bytes";
	return NULL;
}

static bool has_filetype(const struct super_block *sb)
{
	const struct ext2_super_block *es = EXT2_SB(sb)->s_es;

	return es->s_rev_level != EXT2_GOOD_OLD_REV &&
	       (es->s_feature_incompat & EXT2_FEATURE_INCOMPAT_FILETYPE);
}

static int dir_error(struct inode *dir, unsigned long n, unsigned int off,
		     const char *why)
{
	printk("ext2: %s: directory %lu block %lu offset %u: %s\n",
	       dir->i_sb->s_bdev->bd_name, dir->i_ino, n, off, why);
	return -EUCLEAN;
}

/* Block n of a directory, whole-checked; ERR_PTR on a hole or damage. */
static struct buffer_head *dir_block(struct inode *dir, unsigned long n)
{
	struct super_block *sb = dir->i_sb;
	struct buffer_head map = {.b_size = sb->s_blocksize};
	struct buffer_head *bh;
	bool ft = has_filetype(sb);
	unsigned int off = 0;
	const char *why;
	int err;

	err = ext2_get_block(dir, n, &map, 0);
	if (err)
		return ERR_PTR(err);
	if (!buffer_mapped(&map))
		return ERR_PTR(dir_error(dir, n, 0, "hole in a directory"));
	bh = sb_bread(sb, map.b_blocknr);
	if (!bh)
		return ERR_PTR(-EIO);
	while (off < sb->s_blocksize) {
		why = ext2_check_dirent((const u8 *)bh->b_data, sb->s_blocksize,
					off, ft);
		if (why) {
			brelse(bh);
			return ERR_PTR(dir_error(dir, n, off, why));
		}
		off += ((struct ext2_dir_entry_2 *)(bh->b_data + off))->rec_len;
	}
	return bh;
}

static unsigned long dir_blocks(struct inode *dir)
{
	return (unsigned long)(i_size_read(dir) >> dir->i_blkbits);
}

static bool inode_in_range(struct inode *dir, u32 ino)
{
	return ino <= EXT2_SB(dir->i_sb)->s_es->s_inodes_count;
}

int ext2_inode_by_name(struct inode *dir, const char *name, size_t len,
		       u32 *ino)
{
	unsigned long n;

	if (!S_ISDIR(dir->i_mode))
		return -ENOTDIR;
	if (len == 0 || len > EXT2_NAME_LEN)
		return len ? -ENAMETOOLONG : -ENOENT;
	for (n = 0; n < dir_blocks(dir); n++) {
		struct buffer_head *bh = dir_block(dir, n);
		unsigned int off = 0;

		if (IS_ERR(bh))
			return (int)PTR_ERR(bh);
		while (off < dir->i_sb->s_blocksize) {
			struct ext2_dir_entry_2 *de =
				(struct ext2_dir_entry_2 *)(bh->b_data + off);

			if (de->inode && de->name_len == len &&
			    !memcmp(de->name, name, len)) {
				u32 found = de->inode;

				brelse(bh);
				if (!inode_in_range(dir, found))
					return dir_error(
						dir, n, off,
						"inode number past the end");
				*ino = found;
				return 0;
			}
			off += de->rec_len;
		}
		brelse(bh);
	}
	return -ENOENT;
}

int ext2_readdir(struct inode *dir, loff_t *pos, void *ctx,
		 ext2_filldir_t filldir)
{
	unsigned int bs = dir->i_sb->s_blocksize;
	bool ft = has_filetype(dir->i_sb);
	unsigned long n;

	if (!S_ISDIR(dir->i_mode))
		return -ENOTDIR;
	if (*pos < 0 || (*pos & 3))
		return -EINVAL;
	for (n = (unsigned long)(*pos >> dir->i_blkbits); n < dir_blocks(dir);
	     n++) {
		struct buffer_head *bh = dir_block(dir, n);
		unsigned int off = 0;

		if (IS_ERR(bh))
			return (int)PTR_ERR(bh);
		while (off < bs) {
			struct ext2_dir_entry_2 *de =
				(struct ext2_dir_entry_2 *)(bh->b_data + off);
			loff_t here = ((loff_t)n << dir->i_blkbits) + off;

			off += de->rec_len;
			if (here < *pos || !de->inode)
				continue;
			if (!inode_in_range(dir, de->inode)) {
				/* One bad entry: skip it, list the rest. */
				dir_error(dir, n, off - de->rec_len,
					  "inode number past the end");
				continue;
			}
			if (filldir(ctx, de->name, de->name_len, here,
				    de->inode,
				    ft ? de->file_type : EXT2_FT_UNKNOWN)) {
				*pos = here;
				brelse(bh);
				return 0;
			}
		}
		brelse(bh);
		*pos = (loff_t)(n + 1) << dir->i_blkbits;
	}
	return 0;
}
