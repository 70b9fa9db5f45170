/*
 * ext2 directories: lookup by name, readdir, and changing entries. A
 * directory is a file of whole blocks, read through the device's buffer
 * cache; in each block the entries tile the block by rec_len. rec_len
 * is trusted only after it is checked: 0 would loop forever, an odd or
 * too-small value would misparse, a too-large one would read past the
 * block.
 * Such a block fails with -EUCLEAN; other blocks stay readable.
 *
 * Writing: a new entry takes the slack of an entry whose rec_len is
 * longer than its name needs (the entry is split), or an unused entry
 * big enough, else a new block appended to the directory. A removed
 * entry's rec_len is merged into the entry before it; the first entry
 * of a block just gets inode 0.
 *
 * A directory of EXT2_DX_MIN_BLOCKS blocks or more gets an in-memory
 * index (dir_index.c) the first time it is searched: then a lookup, a
 * miss and finding room for a new entry each read one block, not all
 * of them. Every change below keeps the index current; one it cannot
 * follow (no memory) drops it, and the next search builds it again.
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
		return de->rec_len ? "rec_len not a multiple of 4" :
				     "rec_len 0";
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
	return ext2_has_filetype(sb);
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
	struct buffer_head map = { .b_size = sb->s_blocksize };
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
	struct ext2_dir_slot slot;
	int err;

	if (len > EXT2_NAME_LEN)
		return -ENAMETOOLONG;
	err = ext2_find_entry(dir, name, (unsigned int)len, &slot);
	if (err)
		return err;
	*ino = slot.de->inode;
	brelse(slot.bh);
	return 0;
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

static struct ext2_dir_entry_2 *entry_at(struct buffer_head *bh,
					 unsigned int off)
{
	return (struct ext2_dir_entry_2 *)(bh->b_data + off);
}

/* The room make_room() would find in a block: its largest new entry. */
static unsigned int block_room(struct buffer_head *bh, unsigned int size)
{
	unsigned int off = 0, room = 0;

	while (off < size) {
		struct ext2_dir_entry_2 *de = entry_at(bh, off);
		unsigned int used = de->inode ? EXT2_DIR_REC_LEN(de->name_len) :
						0;

		room = max(room, (unsigned int)de->rec_len - used);
		off += de->rec_len;
	}
	return room;
}

static u32 name_hash(const char *name, unsigned int len)
{
	return full_name_hash((const unsigned char *)name, len);
}

void ext2_dir_index_drop(struct inode *dir)
{
	ext2_dx_free(EXT2_I(dir)->i_dir_index);
	EXT2_I(dir)->i_dir_index = NULL;
}

/*
 * dir's index, built now by one pass over its blocks if it is large
 * enough and has none; NULL for a small directory, or if a block is
 * damaged (the linear search then reports it) or memory is short.
 */
static struct ext2_dir_index *dir_index(struct inode *dir)
{
	unsigned int bs = dir->i_sb->s_blocksize;
	struct ext2_dir_index *dx = EXT2_I(dir)->i_dir_index;
	unsigned long n, nblocks = dir_blocks(dir);

	if (dx || nblocks < EXT2_DX_MIN_BLOCKS)
		return dx;
	dx = ext2_dx_alloc(nblocks);
	if (!dx)
		return NULL;
	for (n = 0; n < nblocks; n++) {
		struct buffer_head *bh = dir_block(dir, n);
		unsigned int off = 0;
		int err = 0;

		if (IS_ERR(bh))
			goto fail;
		while (off < bs && !err) {
			struct ext2_dir_entry_2 *de = entry_at(bh, off);

			if (de->inode)
				err = ext2_dx_insert(
					dx, name_hash(de->name, de->name_len),
					n);
			off += de->rec_len;
		}
		if (!err)
			err = ext2_dx_set_room(dx, n, block_room(bh, bs));
		brelse(bh);
		if (err)
			goto fail;
	}
	EXT2_I(dir)->i_dir_index = dx;
	return dx;
fail:
	ext2_dx_free(dx);
	return NULL;
}

/* Find name in block n: 0 with slot filled (bh held), -ENOENT, -errno. */
static int find_in_block(struct inode *dir, unsigned long n, const char *name,
			 unsigned int len, struct ext2_dir_slot *slot)
{
	struct buffer_head *bh = dir_block(dir, n);
	struct ext2_dir_entry_2 *prev = NULL;
	unsigned int off = 0;

	if (IS_ERR(bh))
		return (int)PTR_ERR(bh);
	while (off < dir->i_sb->s_blocksize) {
		struct ext2_dir_entry_2 *de = entry_at(bh, off);

		if (de->inode && de->name_len == len &&
		    !memcmp(de->name, name, len)) {
			if (!inode_in_range(dir, de->inode)) {
				brelse(bh);
				return dir_error(dir, n, off,
						 "inode number past the end");
			}
			slot->bh = bh;
			slot->de = de;
			slot->prev = prev;
			slot->n = n;
			return 0;
		}
		prev = de;
		off += de->rec_len;
	}
	brelse(bh);
	return -ENOENT;
}

int ext2_find_entry(struct inode *dir, const char *name, unsigned int len,
		    struct ext2_dir_slot *slot)
{
	struct ext2_dir_index *dx;
	unsigned long n;
	int err;

	if (!S_ISDIR(dir->i_mode))
		return -ENOTDIR;
	if (len == 0 || len > EXT2_NAME_LEN)
		return len ? -ENAMETOOLONG : -ENOENT;
	dx = dir_index(dir);
	if (dx) {
		struct ext2_dx_iter it = { .hash = name_hash(name, len) };

		while (ext2_dx_next(dx, &it, &n)) {
			err = find_in_block(dir, n, name, len, slot);
			if (err != -ENOENT)
				return err;
		}
		return -ENOENT;
	}
	for (n = 0; n < dir_blocks(dir); n++) {
		err = find_in_block(dir, n, name, len, slot);
		if (err != -ENOENT)
			return err;
	}
	return -ENOENT;
}

unsigned int ext2_file_type(umode_t mode)
{
	switch (mode & S_IFMT) {
	case S_IFREG:
		return EXT2_FT_REG_FILE;
	case S_IFDIR:
		return EXT2_FT_DIR;
	case S_IFLNK:
		return EXT2_FT_SYMLINK;
	case S_IFCHR:
		return EXT2_FT_CHRDEV;
	case S_IFBLK:
		return EXT2_FT_BLKDEV;
	case S_IFIFO:
		return EXT2_FT_FIFO;
	case S_IFSOCK:
		return EXT2_FT_SOCK;
	}
	return EXT2_FT_UNKNOWN;
}

static void fill_entry(struct super_block *sb, struct ext2_dir_entry_2 *de,
		       const char *name, unsigned int len, struct inode *inode)
{
	de->inode = (u32)inode->i_ino;
	de->name_len = (u8)len;
	de->file_type = has_filetype(sb) ? (u8)ext2_file_type(inode->i_mode) :
					   0;
	memcpy(de->name, name, len);
}

/*
 * A hashed (dir_index) directory's index would not know of our change:
 * dropping the flag makes everyone read it linearly, as we do.
 */
static void dir_changed(struct inode *dir)
{
	EXT2_I(dir)->i_flags &= ~EXT2_INDEX_FL;
	dir->i_mtime = dir->i_ctime = ext2_now(dir->i_sb);
	mark_inode_dirty(dir);
}

/*
 * Room for an entry of reclen bytes in the block: the entry to use (an
 * unused one, or the new one split off the end of a used one), NULL if
 * there is none.
 */
static struct ext2_dir_entry_2 *
make_room(struct buffer_head *bh, unsigned int size, unsigned int reclen)
{
	unsigned int off = 0;

	while (off < size) {
		struct ext2_dir_entry_2 *de = entry_at(bh, off);
		unsigned int used = de->inode ? EXT2_DIR_REC_LEN(de->name_len) :
						0;

		if (!de->inode && de->rec_len >= reclen)
			return de;
		if (de->inode && de->rec_len >= used + reclen) {
			struct ext2_dir_entry_2 *n = entry_at(bh, off + used);

			n->rec_len = (u16)(de->rec_len - used);
			n->inode = 0;
			de->rec_len = (u16)used;
			return n;
		}
		off += de->rec_len;
	}
	return NULL;
}

/* A new, zeroed block at the end of dir, one unused entry spanning it. */
static struct buffer_head *append_block(struct inode *dir)
{
	struct super_block *sb = dir->i_sb;
	unsigned long n = dir_blocks(dir);
	struct buffer_head map = { .b_size = sb->s_blocksize };
	struct buffer_head *bh;
	int err;

	if ((u64)(n + 1) << dir->i_blkbits > (u64)sb->s_maxbytes ||
	    (u64)(n + 1) << dir->i_blkbits > 0xffffffffull)
		return ERR_PTR(-EFBIG);
	err = ext2_get_block(dir, n, &map, 1);
	if (err)
		return ERR_PTR(err);
	bh = sb_getblk(sb, map.b_blocknr);
	if (!bh)
		return ERR_PTR(-ENOMEM);
	lock_buffer(bh);
	memset(bh->b_data, 0, sb->s_blocksize);
	entry_at(bh, 0)->rec_len = (u16)sb->s_blocksize;
	set_buffer_uptodate(bh);
	unlock_buffer(bh);
	mark_buffer_dirty_inode(bh, dir);
	i_size_write(dir, (loff_t)(n + 1) << dir->i_blkbits);
	mark_inode_dirty(dir);
	return bh;
}

/* The index follows a changed block; without memory for that, it goes. */
static void dx_block_changed(struct inode *dir, unsigned long n,
			     struct buffer_head *bh, const char *name,
			     unsigned int len, bool added)
{
	struct ext2_dir_index *dx = EXT2_I(dir)->i_dir_index;
	int err = 0;

	if (!dx)
		return;
	if (added)
		err = ext2_dx_insert(dx, name_hash(name, len), n);
	else
		ext2_dx_remove(dx, name_hash(name, len), n);
	if (!err)
		err = ext2_dx_set_room(dx, n,
				       block_room(bh, dir->i_sb->s_blocksize));
	if (err)
		ext2_dir_index_drop(dir);
}

/* A block with room for reclen: 0 with *bhp, *de and *n, or -errno. */
static int find_room(struct inode *dir, unsigned int reclen,
		     struct buffer_head **bhp, struct ext2_dir_entry_2 **de,
		     unsigned long *n)
{
	struct ext2_dir_index *dx = dir_index(dir);
	struct buffer_head *bh;
	long hint = dx ? ext2_dx_find_room(dx, reclen) : 0;

	/* Indexed: the one block with room, or none (append). */
	for (*n = hint < 0 ? dir_blocks(dir) : (unsigned long)hint;
	     *n < dir_blocks(dir); (*n)++) {
		bh = dir_block(dir, *n);
		if (IS_ERR(bh))
			return (int)PTR_ERR(bh);
		*de = make_room(bh, dir->i_sb->s_blocksize, reclen);
		if (*de) {
			*bhp = bh;
			return 0;
		}
		brelse(bh);
		if (dx) /* the index was wrong: search without it */
			ext2_dir_index_drop(dir);
		dx = NULL;
	}
	bh = append_block(dir);
	if (IS_ERR(bh))
		return (int)PTR_ERR(bh);
	*de = entry_at(bh, 0);
	*bhp = bh;
	return 0;
}

int ext2_add_link(struct inode *dir, const char *name, unsigned int len,
		  struct inode *inode)
{
	unsigned int reclen = EXT2_DIR_REC_LEN(len);
	struct ext2_dir_entry_2 *de = NULL;
	struct buffer_head *bh = NULL;
	unsigned long n = 0;
	int err;

	if (len == 0 || len > EXT2_NAME_LEN)
		return len ? -ENAMETOOLONG : -ENOENT;
	err = find_room(dir, reclen, &bh, &de, &n);
	if (err)
		return err;
	fill_entry(dir->i_sb, de, name, len, inode);
	mark_buffer_dirty_inode(bh, dir);
	dx_block_changed(dir, n, bh, name, len, true);
	brelse(bh);
	dir_changed(dir);
	/* A name newer than the disk: fsync of inode must write dir. */
	EXT2_I(inode)->i_dir_ino = (u32)dir->i_ino;
	return 0;
}

int ext2_delete_entry(struct inode *dir, struct ext2_dir_slot *slot)
{
	if (slot->prev)
		slot->prev->rec_len += slot->de->rec_len;
	else
		slot->de->inode = 0;
	mark_buffer_dirty_inode(slot->bh, dir);
	dx_block_changed(dir, slot->n, slot->bh, slot->de->name,
			 slot->de->name_len, false);
	brelse(slot->bh);
	slot->bh = NULL;
	dir_changed(dir);
	return 0;
}

void ext2_set_link(struct inode *dir, struct ext2_dir_slot *slot,
		   struct inode *inode)
{
	slot->de->inode = (u32)inode->i_ino;
	slot->de->file_type =
		has_filetype(dir->i_sb) ? (u8)ext2_file_type(inode->i_mode) : 0;
	mark_buffer_dirty_inode(slot->bh, dir);
	brelse(slot->bh);
	slot->bh = NULL;
	dir_changed(dir);
}

int ext2_make_empty(struct inode *inode, struct inode *parent)
{
	struct buffer_head *bh = append_block(inode);
	struct ext2_dir_entry_2 *de;

	if (IS_ERR(bh))
		return (int)PTR_ERR(bh);
	de = entry_at(bh, 0);
	fill_entry(inode->i_sb, de, ".", 1, inode);
	de->rec_len = (u16)EXT2_DIR_REC_LEN(1);
	de = entry_at(bh, EXT2_DIR_REC_LEN(1));
	fill_entry(inode->i_sb, de, "..", 2, parent);
	de->rec_len = (u16)(inode->i_sb->s_blocksize - EXT2_DIR_REC_LEN(1));
	mark_buffer_dirty_inode(bh, inode);
	brelse(bh);
	return 0;
}

static bool is_dot_or_dotdot(const struct ext2_dir_entry_2 *de)
{
	return (de->name_len == 1 && de->name[0] == '.') ||
	       (de->name_len == 2 && de->name[0] == '.' && de->name[1] == '.');
}

int ext2_empty_dir(struct inode *dir)
{
	unsigned long n;

	for (n = 0; n < dir_blocks(dir); n++) {
		struct buffer_head *bh = dir_block(dir, n);
		unsigned int off = 0;

		if (IS_ERR(bh))
			return (int)PTR_ERR(bh);
		while (off < dir->i_sb->s_blocksize) {
			struct ext2_dir_entry_2 *de = entry_at(bh, off);

			if (de->inode && !is_dot_or_dotdot(de)) {
				brelse(bh);
				return 0;
			}
			off += de->rec_len;
		}
		brelse(bh);
	}
	return 1;
}
