/*
 * A table-driven test file system over a sim_disk: one file whose
 * logical blocks are described by a table (a physical block, a hole, a
 * boundary, already up to date, an error, behind a metadata block that
 * get_block must read first), with ext2's address_space_operations
 * (mpage for bulk reads and writes, buffer heads otherwise), so tests
 * drive the real fs/mpage.c, fs/buffer.c and mm/ code.
 */
#ifndef _TESTFS_H
#define _TESTFS_H

#include "fs.h"
#include "sim_disk.h"

#define TFS_HOLE ((sector_t)-1)

enum {
	TFS_BOUNDARY = 1, /* get_block sets BH_Boundary on this block */
	TFS_UPTODATE = 2, /* get_block reads it itself (buffer up to date) */
	TFS_ERROR = 4, /* get_block fails with -EIO */
};

struct tfs_block {
	sector_t phys; /* disk block, or TFS_HOLE */
	unsigned int flags;
	sector_t meta; /* disk block get_block reads first; 0 none */
};

#define TFS_MAX_BLOCKS 16384

struct testfs {
	struct sim_disk *sd;
	struct inode *inode;
	struct tfs_block map[TFS_MAX_BLOCKS];
	sector_t next_alloc; /* where create=1 allocates */
	bool no_mpage; /* a_ops without mpage */
	unsigned int get_block_calls, get_block_creates;
	unsigned int readpage_calls, writepage_calls;
};

/* Every block a hole until the test fills the table. */
struct testfs *testfs_create(struct sim_disk *sd, unsigned int blkbits,
			     loff_t i_size, bool no_mpage);
void testfs_destroy(struct testfs *fs);
/* Blocks [first, first + n) at disk blocks phys, phys + 1, ... */
void testfs_map(struct testfs *fs, sector_t first, unsigned int n,
		sector_t phys);
/* readpages over pages [index, index + n) as readahead would, then drain. */
void testfs_readpages(struct testfs *fs, pgoff_t index, unsigned int n);
/* The byte the disk holds at offset within disk block phys. */
u8 testfs_disk_byte(struct testfs *fs, sector_t phys, unsigned int offset);
/* 1 if page's bytes [from, to) equal disk block data from phys on. */
bool testfs_page_matches(struct testfs *fs, struct page *page,
			 unsigned int from, unsigned int to, sector_t phys);
bool testfs_page_zero(struct page *page, unsigned int from, unsigned int to);

int tfs_get_block(struct inode *inode, sector_t iblock, struct buffer_head *bh,
		  int create);

#endif
