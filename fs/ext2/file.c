/*
 * ext2 regular files: the page cache operations (reads through mpage in
 * multi-page bios, writes through buffer heads or mpage, both mapping
 * with ext2_get_block) and the file and inode operations of files and
 * directories.
 */
#include "buffer_head.h"
#include "ext2.h"
#include "mpage.h"
#include "pagemap.h"
#include "fs.h"
#include "writeback.h"

static int ext2_readpage(struct file *file, struct page *page)
{
	(void)file;
	if (test_bit(AS_NO_MPAGE, &page->mapping->flags))
		return block_read_full_page(page, ext2_get_block);
	return mpage_readpage(page, ext2_get_block);
}

/* Without mpage (bench --no-mpage): each page through its buffers. */
static int readpages_by_buffers(struct address_space *mapping,
				struct list_head *pages)
{
	while (!list_empty(pages)) {
		struct page *page = list_last_entry(pages, struct page, lru);

		list_del(&page->lru);
		if (!add_to_page_cache_lru(page, mapping, page->index, 0))
			block_read_full_page(page, ext2_get_block);
		put_page(page);
	}
	return 0;
}

static int ext2_readpages(struct file *file, struct address_space *mapping,
			  struct list_head *pages, unsigned int nr_pages)
{
	(void)file;
	if (test_bit(AS_NO_MPAGE, &mapping->flags))
		return readpages_by_buffers(mapping, pages);
	return mpage_readpages(mapping, pages, nr_pages, ext2_get_block);
}

static int ext2_writepage(struct page *page, struct writeback_control *wbc)
{
	return block_write_full_page(page, ext2_get_block, wbc);
}

static int ext2_writepages(struct address_space *mapping,
			   struct writeback_control *wbc)
{
	return mpage_writepages(mapping, wbc, ext2_get_block);
}

/*
 * A write that failed (ENOSPC, EIO) may have allocated blocks past the
 * end of the file before it gave up: give them back, as e2fsck allows
 * no block past i_size.
 */
static void ext2_write_failed(struct inode *inode)
{
	loff_t size = i_size_read(inode);
	unsigned int bits = inode->i_blkbits;

	truncate_inode_pages(inode->i_mapping, size);
	ext2_truncate_blocks(inode, ((u64)size + (1u << bits) - 1) >> bits);
}

static int ext2_write_begin(struct file *file, struct address_space *mapping,
			    loff_t pos, unsigned int len, unsigned int flags,
			    struct page **pagep, void **fsdata)
{
	int err;

	(void)file;
	(void)fsdata;
	if (pos + len > mapping->host->i_sb->s_maxbytes)
		return -EFBIG;
	err = block_write_begin(mapping, pos, len, flags, pagep,
				ext2_get_block);
	if (err)
		ext2_write_failed(mapping->host);
	return err;
}

/* A write that grows the file or is the first this second dirties the inode. */
static int ext2_write_end(struct file *file, struct address_space *mapping,
			  loff_t pos, unsigned int len, unsigned int copied,
			  struct page *page, void *fsdata)
{
	struct inode *inode = mapping->host;
	loff_t old_size = i_size_read(inode);
	u32 now = ext2_now(inode->i_sb);
	int ret = generic_write_end(file, mapping, pos, len, copied, page,
				    fsdata);

	if (i_size_read(inode) != old_size || inode->i_mtime != now) {
		inode->i_mtime = inode->i_ctime = now;
		mark_inode_dirty(inode);
	}
	return ret;
}

static int ext2_releasepage(struct page *page, gfp_t gfp)
{
	(void)gfp;
	return try_to_free_buffers(page);
}

const struct address_space_operations ext2_aops = {
	.readpage = ext2_readpage,
	.readpages = ext2_readpages,
	.writepage = ext2_writepage,
	.writepages = ext2_writepages,
	.set_page_dirty = __set_page_dirty_buffers,
	.write_begin = ext2_write_begin,
	.write_end = ext2_write_end,
	.invalidatepage = block_invalidatepage,
	.releasepage = ext2_releasepage,
};

static int ext2_dir_readdir(struct file *file, void *ctx, filldir_t filldir);

const struct file_operations ext2_file_operations = {
	.fsync = ext2_fsync,
};

const struct file_operations ext2_dir_operations = {
	.readdir = ext2_dir_readdir,
	.fsync = ext2_fsync,
};

const struct inode_operations ext2_file_inode_operations = {
	.truncate = ext2_truncate,
};

/* EXT2_FT_* to DT_*: filldir speaks Linux's d_type. */
static const unsigned char ft_to_dt[EXT2_FT_MAX] = {
	[EXT2_FT_UNKNOWN] = DT_UNKNOWN, [EXT2_FT_REG_FILE] = DT_REG,
	[EXT2_FT_DIR] = DT_DIR,		[EXT2_FT_CHRDEV] = DT_CHR,
	[EXT2_FT_BLKDEV] = DT_BLK,	[EXT2_FT_FIFO] = DT_FIFO,
	[EXT2_FT_SOCK] = DT_SOCK,	[EXT2_FT_SYMLINK] = DT_LNK,
};

struct readdir_ctx {
	void *ctx;
	filldir_t filldir;
};

static int to_filldir(void *p, const char *name, int len, loff_t pos, u64 ino,
		      unsigned int type)
{
	struct readdir_ctx *rc = p;

	return rc->filldir(rc->ctx, name, (unsigned int)len, pos,
			   (unsigned long)ino,
			   type < EXT2_FT_MAX ? ft_to_dt[type] : DT_UNKNOWN);
}

static int ext2_dir_readdir(struct file *file, void *ctx, filldir_t filldir)
{
	struct readdir_ctx rc = { ctx, filldir };

	return ext2_readdir(file->f_inode, &file->f_pos, &rc, to_filldir);
}
