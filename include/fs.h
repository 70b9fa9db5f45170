/*
 * The parts of the VFS the page cache needs: struct inode (size, block
 * size, its page cache), struct address_space (the page cache of one
 * file: a radix tree of pages) and the operations a file system gives
 * it, after Linux 2.6. The VFS proper (super blocks, dentries, files)
 * is later work and adds fields below the ones here.
 */
#ifndef _FS_H
#define _FS_H

#include "errno.h"
#include "list.h"
#include "radix-tree.h"
#include "spinlock.h"
#include "types.h"

struct page;
struct file;
struct inode;
struct buffer_head;
struct block_device;
struct writeback_control;
struct super_block;
struct address_space;

/*
 * Map logical block iblock of inode to a disk block in bh_result
 * (set b_blocknr, b_bdev and BH_Mapped; leave it unmapped for a hole).
 * On entry b_size is how many bytes the caller would like mapped; a
 * mapper may map a contiguous run and say so by shrinking b_size to the
 * bytes it covers. create != 0 allocates (and sets BH_New). Returns 0
 * or -errno.
 */
typedef int(get_block_t)(struct inode *inode, sector_t iblock,
			 struct buffer_head *bh_result, int create);

struct address_space_operations {
	int (*writepage)(struct page *page, struct writeback_control *wbc);
	int (*readpage)(struct file *file, struct page *page);
	int (*writepages)(struct address_space *mapping,
			  struct writeback_control *wbc);
	/* Marks the page (and its buffers) dirty; returns 1 if newly dirty. */
	int (*set_page_dirty)(struct page *page);
	/* pages: a list through page->lru, lowest index at pages->prev. */
	int (*readpages)(struct file *file, struct address_space *mapping,
			 struct list_head *pages, unsigned int nr_pages);
	int (*write_begin)(struct file *file, struct address_space *mapping,
			   loff_t pos, unsigned int len, unsigned int flags,
			   struct page **pagep, void **fsdata);
	int (*write_end)(struct file *file, struct address_space *mapping,
			 loff_t pos, unsigned int len, unsigned int copied,
			 struct page *page, void *fsdata);
	/* Drop buffers past offset in the page (truncate). */
	void (*invalidatepage)(struct page *page, unsigned long offset);
	/* Free the page's buffers so it can leave the cache; 1 if freed. */
	int (*releasepage)(struct page *page, gfp_t gfp);
};

/* Per-device readahead and writeback parameters. */
struct backing_dev_info {
	unsigned long ra_pages;		/* readahead window maximum, pages */
};

#define VM_MAX_READAHEAD_KIB 128
extern struct backing_dev_info default_backing_dev_info;

/* mapping->flags: errors seen by writeback, reported once by fsync. */
enum mapping_flags {
	AS_EIO,
	AS_ENOSPC,
};

struct address_space {
	struct inode *host;
	struct radix_tree_root page_tree;	/* pages by index, tagged */
	spinlock_t tree_lock;			/* irqsave: IRQ clears tags */
	unsigned long nrpages;
	const struct address_space_operations *a_ops;
	unsigned long flags;			/* AS_* bits */
	struct backing_dev_info *backing_dev_info;
	struct list_head dirty_list;		/* on the flusher's list */
	u64 dirtied_when_ns;			/* when it first became dirty */
};

/* The VFS will grow this; the buffer cache needs the device and block size. */
struct super_block {
	struct block_device *s_bdev;
	unsigned long s_blocksize;
	unsigned char s_blocksize_bits;
	void *s_fs_info;
};

struct inode {
	unsigned long i_ino;
	umode_t i_mode;
	loff_t i_size;
	unsigned int i_blkbits;		/* log2 of the block size */
	struct super_block *i_sb;
	struct block_device *i_bdev;	/* a block device's own inode */
	struct address_space *i_mapping;
	struct address_space i_data;
	void *i_private;
};

static inline loff_t i_size_read(const struct inode *inode)
{
	return READ_ONCE(inode->i_size);
}

static inline void i_size_write(struct inode *inode, loff_t size)
{
	WRITE_ONCE(inode->i_size, size);
}

/* Set up inode->i_data and point i_mapping at it. */
void inode_init_mapping(struct inode *inode,
			const struct address_space_operations *a_ops);
/* A zeroed inode from kmalloc with its mapping set up; NULL if no memory. */
struct inode *new_inode_minimal(unsigned int blkbits,
				const struct address_space_operations *a_ops);
/* Drop every cached page (writing nothing back) and free the inode. */
void free_inode_minimal(struct inode *inode);

/* Record a writeback error on the mapping for fsync to report once. */
static inline void mapping_set_error(struct address_space *mapping, int err)
{
	if (err == -ENOSPC)
		__atomic_fetch_or(&mapping->flags, 1UL << AS_ENOSPC,
				  __ATOMIC_SEQ_CST);
	else if (err)
		__atomic_fetch_or(&mapping->flags, 1UL << AS_EIO,
				  __ATOMIC_SEQ_CST);
}

/* Block devices: each has an inode whose page cache holds metadata buffers. */
struct inode *bdev_inode(struct block_device *bdev);
int blkdev_get_block(struct inode *inode, sector_t iblock,
		     struct buffer_head *bh, int create);
struct backing_dev_info *bdev_bdi(struct block_device *bdev);
/* Drop the device's cache (nothing may be in use) and free its inode. */
void bdev_forget(struct block_device *bdev);
/* Set the block size (512..PAGE_SIZE, power of two) for buffer heads. */
int set_blocksize(struct block_device *bdev, unsigned int size);

#endif
