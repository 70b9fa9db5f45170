/* The table-driven test file system of testfs.h. */
#define _ISOC11_SOURCE 1
#include <stdlib.h>
#include <string.h>

#include "buffer_head.h"
#include "errno.h"
#include "mpage.h"
#include "pagemap.h"
#include "platform.h"
#include "testfs.h"

static bool can_extend(struct testfs *fs, sector_t from, sector_t next)
{
	const struct tfs_block *a = &fs->map[from], *b = &fs->map[next];

	if (next >= TFS_MAX_BLOCKS || b->phys == TFS_HOLE)
		return false;
	if (a->flags & TFS_BOUNDARY)
		return false;
	if (b->flags & (TFS_ERROR | TFS_UPTODATE))
		return false;
	return b->phys == a->phys + 1 && b->meta == a->meta;
}

/* Fill the page's copy of the block as a file system reading it would. */
static void tfs_fill_uptodate(struct testfs *fs, struct buffer_head *bh,
			      sector_t iblock, sector_t phys)
{
	unsigned int bs = 1U << fs->inode->i_blkbits;
	unsigned int off = (unsigned int)((iblock << fs->inode->i_blkbits) &
					  (PAGE_SIZE - 1));
	u8 *dst = (u8 *)page_address(bh->b_page) + off;

	memcpy(dst, fs->sd->data + phys * bs, bs);
	set_buffer_uptodate(bh);
}

int tfs_get_block(struct inode *inode, sector_t iblock, struct buffer_head *bh,
		  int create)
{
	struct testfs *fs = inode->i_private;
	unsigned int bs = 1U << inode->i_blkbits;
	size_t want = bh->b_size ? bh->b_size : bs;
	struct tfs_block *b;
	sector_t n = 1;

	fs->get_block_calls++;
	if (create)
		fs->get_block_creates++;
	if (iblock >= TFS_MAX_BLOCKS)
		return -EFBIG;
	b = &fs->map[iblock];
	if (b->flags & TFS_ERROR)
		return -EIO;
	if (b->meta) {
		/* An indirect block: reading it is I/O the disk sees. */
		struct buffer_head *mbh = __bread(&fs->sd->bdev, b->meta, bs);

		if (!mbh)
			return -EIO;
		brelse(mbh);
	}
	if (b->phys == TFS_HOLE) {
		if (!create)
			return 0;
		b->phys = fs->next_alloc++;
		set_buffer_new(bh);
	}
	map_bh(bh, &fs->sd->bdev, b->phys);
	if ((b->flags & TFS_UPTODATE) && bh->b_page) {
		tfs_fill_uptodate(fs, bh, iblock, b->phys);
		bh->b_size = bs;
		return 0;
	}
	while ((n + 1) * bs <= want &&
	       can_extend(fs, iblock + n - 1, iblock + n))
		n++;
	if (fs->map[iblock + n - 1].flags & TFS_BOUNDARY)
		set_buffer_boundary(bh);
	bh->b_size = (size_t)(n * bs);
	return 0;
}

static int tfs_readpage(struct file *file, struct page *page)
{
	struct testfs *fs = page->mapping->host->i_private;

	(void)file;
	fs->readpage_calls++;
	if (fs->no_mpage)
		return block_read_full_page(page, tfs_get_block);
	return mpage_readpage(page, tfs_get_block);
}

static int tfs_readpages(struct file *file, struct address_space *mapping,
			 struct list_head *pages, unsigned int nr_pages)
{
	(void)file;
	return mpage_readpages(mapping, pages, nr_pages, tfs_get_block);
}

static int tfs_writepage(struct page *page, struct writeback_control *wbc)
{
	struct testfs *fs = page->mapping->host->i_private;

	fs->writepage_calls++;
	return block_write_full_page(page, tfs_get_block, wbc);
}

static int tfs_writepages(struct address_space *mapping,
			  struct writeback_control *wbc)
{
	struct testfs *fs = mapping->host->i_private;

	return mpage_writepages(mapping, wbc,
				fs->no_mpage ? NULL : tfs_get_block);
}

static int tfs_write_begin(struct file *file, struct address_space *mapping,
			   loff_t pos, unsigned int len, unsigned int flags,
			   struct page **pagep, void **fsdata)
{
	(void)file;
	(void)fsdata;
	return block_write_begin(mapping, pos, len, flags, pagep,
				 tfs_get_block);
}

static const struct address_space_operations tfs_aops = {
	.readpage = tfs_readpage,
	.readpages = tfs_readpages,
	.writepage = tfs_writepage,
	.writepages = tfs_writepages,
	.set_page_dirty = __set_page_dirty_buffers,
	.write_begin = tfs_write_begin,
	.write_end = generic_write_end,
};

/* The buffer-head-only variant: what ext2 would be without mpage. */
static const struct address_space_operations tfs_aops_nompage = {
	.readpage = tfs_readpage,
	.writepage = tfs_writepage,
	.writepages = tfs_writepages,
	.set_page_dirty = __set_page_dirty_buffers,
	.write_begin = tfs_write_begin,
	.write_end = generic_write_end,
};

struct testfs *testfs_create(struct sim_disk *sd, unsigned int blkbits,
			     loff_t i_size, bool no_mpage)
{
	struct testfs *fs = calloc(1, sizeof(*fs));

	if (!fs)
		abort();
	fs->sd = sd;
	fs->no_mpage = no_mpage;
	fs->inode = new_inode_minimal(blkbits,
				      no_mpage ? &tfs_aops_nompage : &tfs_aops);
	if (!fs->inode)
		abort();
	fs->inode->i_private = fs;
	fs->inode->i_size = i_size;
	for (unsigned int i = 0; i < TFS_MAX_BLOCKS; i++)
		fs->map[i].phys = TFS_HOLE;
	fs->next_alloc = (sd->nr_sectors << 9 >> blkbits) / 2;
	return fs;
}

void testfs_destroy(struct testfs *fs)
{
	sim_disk_drain(fs->sd);
	free_inode_minimal(fs->inode);
	bdev_forget(&fs->sd->bdev);
	free(fs);
}

void testfs_map(struct testfs *fs, sector_t first, unsigned int n,
		sector_t phys)
{
	for (unsigned int i = 0; i < n; i++)
		fs->map[first + i].phys = phys + i;
}

void testfs_readpages(struct testfs *fs, pgoff_t index, unsigned int n)
{
	struct address_space *mapping = fs->inode->i_mapping;
	LIST_HEAD(pages);

	for (unsigned int i = 0; i < n; i++) {
		struct page *page = page_cache_alloc(mapping);

		if (!page)
			abort();
		/* Stale bytes: whatever mpage must zero, it must zero. */
		memset(page_address(page), 0xa5, PAGE_SIZE);
		page->index = index + i;
		list_add(&page->lru, &pages);
	}
	mapping->a_ops->readpages(NULL, mapping, &pages, n);
	host_run_pending();
}

u8 testfs_disk_byte(struct testfs *fs, sector_t phys, unsigned int offset)
{
	return fs->sd->data[(phys << fs->inode->i_blkbits) + offset];
}

bool testfs_page_matches(struct testfs *fs, struct page *page,
			 unsigned int from, unsigned int to, sector_t phys)
{
	const u8 *p = page_address(page);
	const u8 *d = fs->sd->data + (phys << fs->inode->i_blkbits);

	return memcmp(p + from, d, to - from) == 0;
}

bool testfs_page_zero(struct page *page, unsigned int from, unsigned int to)
{
	const u8 *p = page_address(page);

	for (unsigned int i = from; i < to; i++)
		if (p[i])
			return false;
	return true;
}
