/*
 * Each block device gets an inode of its own, made on first use, whose
 * page cache holds the device's blocks: the buffer cache of metadata
 * (super block, bitmaps, inode tables, indirect blocks) lives there.
 */
#include "blkdev.h"
#include "buffer_head.h"
#include "errno.h"
#include "mpage.h"
#include "pagemap.h"
#include "slab.h"
#include "writeback.h"

/* Buffer size of a device whose sector size cannot be used (Linux's default). */
#define DEFAULT_BLOCK_SIZE 1024

/* The inode and the device's readahead/writeback parameters, together. */
struct bdev_inode {
	struct inode inode;
	struct backing_dev_info bdi;
};

static DEFINE_SPINLOCK(bdev_lock);

int blkdev_get_block(struct inode *inode, sector_t iblock,
		     struct buffer_head *bh, int create)
{
	struct block_device *bdev = inode->i_bdev;
	sector_t nr_blocks = bdev_nr_sectors(bdev) >> (inode->i_blkbits - 9);

	if (iblock >= nr_blocks) {
		/* Past the device: no mapping; reads see a hole. */
		return create ? -EIO : 0;
	}
	map_bh(bh, bdev, iblock);
	/* Device blocks are contiguous: map as much as was asked. */
	if (bh->b_size > (size_t)((nr_blocks - iblock) << inode->i_blkbits))
		bh->b_size = (size_t)((nr_blocks - iblock) << inode->i_blkbits);
	return 0;
}

static int blkdev_readpage(struct file *file, struct page *page)
{
	(void)file;
	return block_read_full_page(page, blkdev_get_block);
}

static int blkdev_writepage(struct page *page, struct writeback_control *wbc)
{
	return block_write_full_page(page, blkdev_get_block, wbc);
}

static int blkdev_readpages(struct file *file, struct address_space *mapping,
			    struct list_head *pages, unsigned int nr_pages)
{
	(void)file;
	return mpage_readpages(mapping, pages, nr_pages, blkdev_get_block);
}

static int blkdev_write_begin(struct file *file, struct address_space *mapping,
			      loff_t pos, unsigned int len, unsigned int flags,
			      struct page **pagep, void **fsdata)
{
	(void)file;
	(void)fsdata;
	return block_write_begin(mapping, pos, len, flags, pagep,
				 blkdev_get_block);
}

static const struct address_space_operations blkdev_aops = {
	.readpage = blkdev_readpage,
	.writepage = blkdev_writepage,
	.readpages = blkdev_readpages,
	.set_page_dirty = __set_page_dirty_buffers,
	.write_begin = blkdev_write_begin,
	.write_end = block_write_end,
};

static unsigned int default_block_size(struct block_device *bdev)
{
	unsigned int lbs = bdev_get_queue(bdev)->limits.logical_block_size;

	if (bdev->bd_block_size >= SECTOR_SIZE &&
	    bdev->bd_block_size <= PAGE_SIZE)
		return bdev->bd_block_size;
	return lbs >= SECTOR_SIZE && lbs <= PAGE_SIZE ? lbs :
							DEFAULT_BLOCK_SIZE;
}

struct inode *bdev_inode(struct block_device *bdev)
{
	struct bdev_inode *bi;
	unsigned long flags;
	unsigned int size;

	if (!bdev)
		return NULL;
	if (bdev->bd_inode)
		return bdev->bd_inode;
	bi = kzalloc(sizeof(*bi), GFP_KERNEL);
	if (!bi)
		return NULL;
	size = default_block_size(bdev);
	bi->inode.i_blkbits = ilog2(size);
	bi->inode.i_bdev = bdev;
	bi->inode.i_size = (loff_t)bdev_nr_sectors(bdev) << SECTOR_SHIFT;
	inode_init_mapping(&bi->inode, &blkdev_aops);
	bi->bdi = default_backing_dev_info;
	bi->inode.i_data.backing_dev_info = &bi->bdi;
	spin_lock_irqsave(&bdev_lock, flags);
	if (!bdev->bd_inode) {
		bdev->bd_block_size = size;
		bdev->bd_inode = &bi->inode;
		bdev->bd_inode_release = bdev_forget;
		bi = NULL;
	}
	spin_unlock_irqrestore(&bdev_lock, flags);
	kfree(bi); /* lost a race: someone else made it */
	return bdev->bd_inode;
}

struct backing_dev_info *bdev_bdi(struct block_device *bdev)
{
	struct inode *inode = bdev_inode(bdev);

	if (!inode)
		return &default_backing_dev_info;
	return &container_of(inode, struct bdev_inode, inode)->bdi;
}

int set_blocksize(struct block_device *bdev, unsigned int size)
{
	struct inode *inode;
	unsigned int lbs;
	int err;

	if (!bdev || size < SECTOR_SIZE || size > PAGE_SIZE ||
	    !is_power_of_2(size))
		return -EINVAL;
	lbs = bdev_get_queue(bdev)->limits.logical_block_size;
	if (lbs && size < lbs)
		return -EINVAL;
	inode = bdev_inode(bdev);
	if (!inode)
		return -ENOMEM;
	if (bdev->bd_block_size == size)
		return 0;
	/* Buffers of the old size must go: write them and drop the cache. */
	err = filemap_write_and_wait(inode->i_mapping);
	if (err)
		return err;
	truncate_inode_pages(inode->i_mapping, 0);
	bdev->bd_block_size = size;
	inode->i_blkbits = ilog2(size);
	return 0;
}

void bdev_forget(struct block_device *bdev)
{
	struct inode *inode = bdev ? bdev->bd_inode : NULL;

	if (!inode)
		return;
	truncate_inode_pages(inode->i_mapping, 0);
	mapping_forget(inode->i_mapping);
	bdev->bd_inode = NULL;
	kfree(container_of(inode, struct bdev_inode, inode));
}
