/*
 * Writeback: which dirty pages to write and how hard to try. Memory
 * cleaning (WB_SYNC_NONE) skips pages already under I/O; data integrity
 * (WB_SYNC_ALL: fsync, sync) waits for them and writes them again, so
 * everything dirty at the time of the call reaches the disk.
 */
#ifndef _WRITEBACK_H
#define _WRITEBACK_H

#include "fs.h"

struct page;

enum writeback_sync_modes {
	WB_SYNC_NONE,
	WB_SYNC_ALL,
};

struct writeback_control {
	enum writeback_sync_modes sync_mode;
	long nr_to_write; /* pages left to write; decremented */
	long pages_skipped; /* pages not written (busy, redirtied) */
	loff_t range_start; /* bytes, inclusive */
	loff_t range_end; /* bytes, inclusive; WB_RANGE_ALL for all */
	unsigned int for_reclaim : 1;
};

#define WB_RANGE_ALL OFFSET_MAX

typedef int(writepage_t)(struct page *page, struct writeback_control *wbc,
			 void *data);

/*
 * Walk the DIRTY tag of the mapping in index order within the range,
 * lock each page, recheck it, and hand it to writepage (which unlocks
 * it). Returns the first error.
 */
int write_cache_pages(struct address_space *mapping,
		      struct writeback_control *wbc, writepage_t *writepage,
		      void *data);
int generic_writepages(struct address_space *mapping,
		       struct writeback_control *wbc);
int do_writepages(struct address_space *mapping, struct writeback_control *wbc);

int filemap_fdatawrite(struct address_space *mapping);
/* Start writing every dirty page (WB_SYNC_NONE); no waiting. */
int filemap_flush(struct address_space *mapping);
int filemap_fdatawrite_range(struct address_space *mapping, loff_t start,
			     loff_t end);
/* Wait for writeback; then report (and clear) AS_EIO/AS_ENOSPC once. */
int filemap_fdatawait(struct address_space *mapping);
/* Wait for every page under writeback; errors stay set for fsync. */
void filemap_fdatawait_keep_errors(struct address_space *mapping);
int filemap_write_and_wait(struct address_space *mapping);
int filemap_check_errors(struct address_space *mapping);
/*
 * fsync's data half: write the file's dirty pages, wait, then report
 * the writeback error recorded since this file last looked (errseq),
 * once; other open files and internal writeback keep theirs.
 */
int file_write_and_wait(struct file *file);
int file_check_and_advance_wb_err(struct file *file);

/* Dirty-mapping list, in the order they became dirty (for the flusher). */
void mapping_mark_dirty_list(struct address_space *mapping);
void mapping_forget(struct address_space *mapping);
/*
 * Write back mappings dirty for longer than older_than_ns (0: all), at
 * most nr_pages pages; WB_SYNC_ALL waits. data_only leaves block
 * devices' caches (metadata) alone. Returns pages written.
 */
long writeback_mappings(u64 older_than_ns, long nr_pages,
			enum writeback_sync_modes mode, bool data_only);
/* The mapping has dirty pages, dirty for older_than_ns or longer. */
bool mapping_dirty_expired(struct address_space *mapping, u64 older_than_ns);
/*
 * fs/fs-writeback.c, the flusher's periodic pass over the mounted file
 * system: inodes dirty for older_than_ns go to the file system (after
 * their data), then sync_fs(sb, 0) writes its metadata. Returns the
 * inodes written.
 */
long writeback_inodes_expired(u64 older_than_ns);
/* Write back and wait for every dirty mapping; the first error. */
int sync_all_mappings(void);

/* Writers call this after dirtying pages; may write back and wait. */
void balance_dirty_pages_ratelimited(struct address_space *mapping);
unsigned long dirty_threshold_pages(void);

/* Tunables (the flusher thread reads them each cycle). */
extern unsigned int dirty_expire_ms; /* age that forces writeback */
extern unsigned int dirty_writeback_ms; /* flusher period */
extern unsigned int vm_dirty_ratio; /* percent of RAM */
extern unsigned int dirty_background_ratio;
/* Ask the flusher to run now rather than at its next period. */
void wakeup_flusher_threads(void);
/* The flusher's loop: true (and cleared) if someone asked. */
bool flusher_test_and_clear_wanted(void);
/*
 * One flusher cycle: old dirty data, old inodes and metadata, and
 * anything above the background dirty level.
 */
long flusher_run_once(void);

#endif
