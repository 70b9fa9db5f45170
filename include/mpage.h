/*
 * Multi-page I/O: file data read and written as bios of many whole pages
 * when blocks are contiguous on disk, falling back to buffer heads
 * (block_read_full_page, a_ops->writepage) whenever a page is unusual.
 */
#ifndef _MPAGE_H
#define _MPAGE_H

#include "fs.h"
#include "writeback.h"

struct bio;

int mpage_readpages(struct address_space *mapping, struct list_head *pages,
		    unsigned int nr_pages, get_block_t *get_block);
int mpage_readpage(struct page *page, get_block_t *get_block);
int mpage_writepages(struct address_space *mapping,
		     struct writeback_control *wbc, get_block_t *get_block);
int mpage_writepage(struct page *page, get_block_t *get_block,
		    struct writeback_control *wbc);

struct mpage_data {
	struct bio *bio;
	sector_t last_block_in_bio;
	get_block_t *get_block;
	bool use_writepage;
};
int __mpage_writepage(struct page *page, struct writeback_control *wbc,
		      void *data);
struct bio *mpage_bio_submit(int rw, struct bio *bio);

/* Which path each page took: tests and `cachestat` read these. */
struct mpage_stats {
	unsigned long read_bios, write_bios;
	unsigned long read_confused, write_confused;
	unsigned long read_holes; /* whole-hole pages, no I/O */
	unsigned long map_buffer_to_page;
	unsigned long read_boundary_submits, write_boundary_submits;
	unsigned long add_page_refused;
};
extern struct mpage_stats mpage_stats;

#endif
