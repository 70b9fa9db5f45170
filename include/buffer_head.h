/*
 * Buffer heads: one per file-system block of a page-cache page, chained
 * in a ring through b_this_page from page->private (PG_private). They
 * carry a block's disk mapping and state so blocks of one page can be
 * read, written and found (metadata) one at a time.
 */
#ifndef _BUFFER_HEAD_H
#define _BUFFER_HEAD_H

#include "bitops.h"
#include "fs.h"
#include "mm.h"

enum bh_state_bits {
	BH_Uptodate, /* contains valid data */
	BH_Dirty, /* must be written */
	BH_Lock, /* under I/O */
	BH_Req, /* has been submitted for I/O */
	BH_Mapped, /* b_bdev/b_blocknr are valid */
	BH_New, /* just allocated by get_block: not on disk yet */
	BH_Async_Read, /* under end_buffer_async_read I/O */
	BH_Async_Write, /* under end_buffer_async_write I/O */
	BH_Delay,
	BH_Boundary, /* the next block is behind a metadata read */
	BH_Write_EIO, /* the last write failed */
	BH_Eopnotsupp,
	BH_PrivateStart,
};

#define MAX_BUF_PER_PAGE (PAGE_SIZE / SECTOR_SIZE)

struct buffer_head;
typedef void(bh_end_io_t)(struct buffer_head *bh, int uptodate);

struct buffer_head {
	unsigned long b_state; /* BH_* bits, atomic */
	struct buffer_head *b_this_page; /* ring of the page's buffers */
	struct page *b_page;
	sector_t b_blocknr; /* disk block, in units of the block size */
	size_t b_size;
	char *b_data; /* into the page */
	struct block_device *b_bdev;
	bh_end_io_t *b_end_io;
	void *b_private;
	int b_count; /* users: get_bh/put_bh */
	/* On b_assoc_map's private_list: see mark_buffer_dirty_inode. */
	struct list_head b_assoc_buffers;
	struct address_space *b_assoc_map;
};

#define BUFFER_FNS(bit, name)                                          \
	static inline void set_buffer_##name(struct buffer_head *bh)   \
	{                                                              \
		set_bit(BH_##bit, &bh->b_state);                       \
	}                                                              \
	static inline void clear_buffer_##name(struct buffer_head *bh) \
	{                                                              \
		clear_bit(BH_##bit, &bh->b_state);                     \
	}                                                              \
	static inline int buffer_##name(const struct buffer_head *bh)  \
	{                                                              \
		return test_bit(BH_##bit, &bh->b_state);               \
	}

#define TAS_BUFFER_FNS(bit, name)                                          \
	static inline int test_set_buffer_##name(struct buffer_head *bh)   \
	{                                                                  \
		return test_and_set_bit(BH_##bit, &bh->b_state);           \
	}                                                                  \
	static inline int test_clear_buffer_##name(struct buffer_head *bh) \
	{                                                                  \
		return test_and_clear_bit(BH_##bit, &bh->b_state);         \
	}

BUFFER_FNS(Uptodate, uptodate)
BUFFER_FNS(Dirty, dirty)
TAS_BUFFER_FNS(Dirty, dirty)
BUFFER_FNS(Lock, locked)
BUFFER_FNS(Req, req)
TAS_BUFFER_FNS(Req, req)
BUFFER_FNS(Mapped, mapped)
BUFFER_FNS(New, new)
BUFFER_FNS(Async_Read, async_read)
BUFFER_FNS(Async_Write, async_write)
BUFFER_FNS(Delay, delay)
BUFFER_FNS(Boundary, boundary)
BUFFER_FNS(Write_EIO, write_io_error)

#define page_buffers(page) ((struct buffer_head *)(page)->private)
#define page_has_buffers(page) PagePrivate(page)

static inline void get_bh(struct buffer_head *bh)
{
	__atomic_add_fetch(&bh->b_count, 1, __ATOMIC_SEQ_CST);
}

static inline void put_bh(struct buffer_head *bh)
{
	__atomic_sub_fetch(&bh->b_count, 1, __ATOMIC_SEQ_CST);
}

static inline void map_bh(struct buffer_head *bh, struct block_device *bdev,
			  sector_t block)
{
	set_buffer_mapped(bh);
	bh->b_bdev = bdev;
	bh->b_blocknr = block;
}

/* Ring of empty buffers of blocksize on the page, adding b_state to each. */
void create_empty_buffers(struct page *page, unsigned long blocksize,
			  unsigned long b_state);
/* Free the page's buffers if none is busy or dirty; 1 on success. */
int try_to_free_buffers(struct page *page);
void block_invalidatepage(struct page *page, unsigned long offset);
extern int buffer_heads_over_limit;
/* Buffers alive now, for cachestat. */
unsigned long nr_buffer_heads(void);

void lock_buffer(struct buffer_head *bh);
static inline int trylock_buffer(struct buffer_head *bh)
{
	return !test_and_set_bit(BH_Lock, &bh->b_state);
}
void unlock_buffer(struct buffer_head *bh);
void wait_on_buffer(struct buffer_head *bh);

/* Send the buffer's block to disk (rw READ/WRITE); completes via b_end_io. */
int submit_bh(int rw, struct buffer_head *bh);
void ll_rw_block(int rw, int nr, struct buffer_head *bhs[]);
void end_buffer_read_sync(struct buffer_head *bh, int uptodate);
/*
 * A failed write of a metadata buffer (the device's own cache) leaves
 * it up to date and dirty, with BH_Write_EIO: memory stays the truth and
 * the next integrity writeback tries again. A failed data buffer stays
 * up to date; its error goes to the mapping (fsync reports it).
 */
void end_buffer_write_sync(struct buffer_head *bh, int uptodate);
void end_buffer_async_write(struct buffer_head *bh, int uptodate);
void mark_buffer_async_write(struct buffer_head *bh);

/* Whole-page paths through buffers: the fallback of mpage. */
int block_read_full_page(struct page *page, get_block_t *get_block);
int block_write_full_page(struct page *page, get_block_t *get_block,
			  struct writeback_control *wbc);
int block_write_begin(struct address_space *mapping, loff_t pos,
		      unsigned int len, unsigned int flags, struct page **pagep,
		      get_block_t *get_block);
int block_write_end(struct file *file, struct address_space *mapping,
		    loff_t pos, unsigned int len, unsigned int copied,
		    struct page *page, void *fsdata);
int generic_write_end(struct file *file, struct address_space *mapping,
		      loff_t pos, unsigned int len, unsigned int copied,
		      struct page *page, void *fsdata);
int __set_page_dirty_buffers(struct page *page);
/* Zero a partial block at the new EOF (truncate). */
int block_truncate_page(struct address_space *mapping, loff_t from,
			get_block_t *get_block);

/* Metadata through the block device's page cache. */
struct buffer_head *__getblk(struct block_device *bdev, sector_t block,
			     unsigned int size);
struct buffer_head *__bread(struct block_device *bdev, sector_t block,
			    unsigned int size);
struct buffer_head *__find_get_block(struct block_device *bdev, sector_t block,
				     unsigned int size);
void brelse(struct buffer_head *bh);
static inline void __brelse(struct buffer_head *bh)
{
	brelse(bh);
}
void mark_buffer_dirty(struct buffer_head *bh);
/*
 * Metadata that belongs to one file (an indirect block, a directory
 * block): dirty it and remember it on inode's mapping, so fsync of that
 * file writes it (sync_mapping_buffers) without writing everyone's.
 */
void mark_buffer_dirty_inode(struct buffer_head *bh, struct inode *inode);
/* Write the mapping's dirty associated buffers and wait; 0 or -EIO. */
int sync_mapping_buffers(struct address_space *mapping);
/* The inode goes: its buffers forget it (they stay in the device cache). */
void invalidate_inode_buffers(struct inode *inode);
/* The block was freed: never write it; brelse. */
void bforget(struct buffer_head *bh);
/* If dirty, start writing it (waiting for a write already under way). */
void write_dirty_buffer(struct buffer_head *bh, int rw);
/* Write now and wait; 0 or -EIO. */
int sync_dirty_buffer(struct buffer_head *bh);
/*
 * Write the dirty buffers of the device's cache that pick() chooses
 * (every one if pick is NULL), then wait for them. Used to write
 * metadata in an order (bitmaps, then inodes, then directories).
 * 0, or -EIO if any of them failed.
 */
int write_dirty_buffers(struct block_device *bdev,
			bool (*pick)(struct buffer_head *bh, void *data),
			void *data);
/* The dirty buffers of the device's cache that pick() chooses (all: NULL). */
unsigned long nr_dirty_buffers(struct block_device *bdev,
			       bool (*pick)(struct buffer_head *bh, void *data),
			       void *data);
/* A data block was newly allocated over an old metadata block: forget it. */
void unmap_underlying_metadata(struct block_device *bdev, sector_t block);
/*
 * After a data write that ended at a boundary block: the metadata block
 * right after it (bblock + 1, e.g. an indirect block) is likely dirty in
 * the device's cache; start writing it now so the disk sees one sweep.
 */
void write_boundary_block(struct block_device *bdev, sector_t bblock,
			  unsigned int blocksize);
/*
 * Write every dirty page of the device's cache and wait; 0, or the
 * error writeback met since the last check (AS_EIO). The device's
 * volatile cache is not flushed: the caller does that when it needs to.
 */
int sync_blockdev(struct block_device *bdev);

static inline struct buffer_head *sb_bread(struct super_block *sb,
					   sector_t block)
{
	return __bread(sb->s_bdev, block, sb->s_blocksize);
}

static inline struct buffer_head *sb_getblk(struct super_block *sb,
					    sector_t block)
{
	return __getblk(sb->s_bdev, block, sb->s_blocksize);
}

#endif
