/*
 * Shell commands of the page cache: drop_caches, cachestat, ra_pages.
 * Output formats are documented in docs/mpage.md.
 */
#include "blkdev.h"
#include "buffer_head.h"
#include "errno.h"
#include "mpage.h"
#include "pagemap.h"
#include "printk.h"
#include "shell.h"
#include "string.h"
#include "vfs.h"
#include "writeback.h"

static int cmd_drop_caches(int argc, char **argv)
{
	unsigned long before = pc_stats.nr_pages, freed;
	int err;

	(void)argc;
	(void)argv;
	err = sync_all_mappings();
	freed = drop_pagecache();
	printk("drop_caches: freed %lu of %lu pages, %lu buffer heads left\n",
	       freed, before, nr_buffer_heads());
	if (err)
		shell_error("writeback failed");
	return err;
}
SHELL_COMMAND("drop_caches", cmd_drop_caches, "drop_caches",
	      "write back dirty data, then evict clean page cache and buffers");

/* Metadata waiting for the disk: every block device's dirty buffers. */
static unsigned long all_dirty_buffers(void)
{
	struct block_device *bdev = NULL;
	unsigned long n = 0;

	while ((bdev = bdev_next(bdev)))
		n += nr_dirty_buffers(bdev, NULL, NULL);
	return n;
}

static int cmd_cachestat(int argc, char **argv)
{
	struct page_cache_stats s;

	(void)argc;
	(void)argv;
	page_cache_stats_snapshot(&s);
	printk("cached %lu dirty %lu writeback %lu buffers %lu "
	       "ra_windows %lu ra_pages %lu ra_hits %lu reclaimed %lu\n",
	       s.nr_pages, s.nr_dirty, s.nr_writeback, s.nr_buffer_heads,
	       s.ra_windows, s.ra_pages, s.ra_hits, s.reclaimed);
	printk("mpage read_bios %lu write_bios %lu read_confused %lu "
	       "write_confused %lu holes %lu boundary %lu/%lu\n",
	       mpage_stats.read_bios, mpage_stats.write_bios,
	       mpage_stats.read_confused, mpage_stats.write_confused,
	       mpage_stats.read_holes, mpage_stats.read_boundary_submits,
	       mpage_stats.write_boundary_submits);
	printk("metadata dirty_inodes %lu dirty_buffers %lu\n",
	       nr_dirty_inodes(vfs_root_sb()), all_dirty_buffers());
	return 0;
}
SHELL_COMMAND("cachestat", cmd_cachestat, "cachestat",
	      "page cache counters: pages, dirty, writeback, buffers, "
	      "readahead, dirty inodes and metadata buffers");

static int cmd_ra_pages(int argc, char **argv)
{
	struct block_device *bdev;
	struct backing_dev_info *bdi;
	u64 n;

	if (argc < 2 || argc > 3) {
		shell_error("usage: ra_pages DEV [PAGES]");
		return -EINVAL;
	}
	bdev = lookup_bdev(argv[1]);
	if (!bdev) {
		shell_error("%s: no such block device", argv[1]);
		return -ENODEV;
	}
	bdi = bdev_bdi(bdev);
	if (argc == 3) {
		if (shell_parse_u64(argv[2], &n) ||
		    n > VM_READAHEAD_MAX_PAGES) {
			shell_error("%s: not a page count (0..%d)", argv[2],
				    VM_READAHEAD_MAX_PAGES);
			return -EINVAL;
		}
		bdi->ra_pages = (unsigned long)n;
	}
	printk("%s ra_pages %lu (%lu KiB)\n", argv[1], bdi->ra_pages,
	       bdi->ra_pages * (PAGE_SIZE / 1024));
	return 0;
}
SHELL_COMMAND("ra_pages", cmd_ra_pages, "ra_pages DEV [PAGES]",
	      "show or set a device's maximum readahead window");
