/*
 * The page-cache paths against a real disk (virtio or AHCI): the disk's
 * own page cache (fs/block_dev.c) read through mpage_readpages and
 * through block_read_full_page, checked against raw bios, with the bio
 * counts compared; and a rewrite in place through mpage writeback.
 * Skipped when no disk is attached. Nothing on the disk changes.
 */
#include "bio.h"
#include "blkdev.h"
#include "buffer_head.h"
#include "errno.h"
#include "kunit.h"
#include "mpage.h"
#include "pagemap.h"
#include "printk.h"
#include "string.h"
#include "writeback.h"

#define NR_PAGES 64

static struct block_device *test_bdev(struct kunit *test)
{
	struct block_device *bdev = lookup_bdev("vda");

	if (!bdev)
		bdev = lookup_bdev("sda");
	if (!bdev || bdev_nr_sectors(bdev) < NR_PAGES * 8) {
		kunit_skip(test, "no vda or sda disk");
		return NULL;
	}
	return bdev;
}

/* The page's bytes equal sectors read with a raw bio. */
static bool same_as_disk(struct block_device *bdev, struct page *page,
			 struct page *scratch)
{
	struct bio *bio = bio_alloc(GFP_KERNEL, 1);
	int err;

	if (!bio)
		return false;
	bio->bi_bdev = bdev;
	bio->bi_sector = (sector_t)page->index * (PAGE_SIZE >> SECTOR_SHIFT);
	bio_add_page(bio, scratch, PAGE_SIZE, 0);
	err = submit_bio_wait(READ, bio);
	bio_put(bio);
	return !err &&
	       !memcmp(page_address(page), page_address(scratch), PAGE_SIZE);
}

/* The last NR_PAGES pages of the disk: far from any file system metadata. */
static pgoff_t base_index(struct block_device *bdev)
{
	return (pgoff_t)(bdev_nr_sectors(bdev) / 8) - NR_PAGES;
}

static unsigned long read_bios(struct block_device *bdev)
{
	return bdev->bd_disk->stats.bios[READ];
}

static int bh_filler(void *data, struct page *page)
{
	(void)data;
	return block_read_full_page(page, blkdev_get_block);
}

/* Read NR_PAGES and verify them; returns the bios it took or -1. */
static long read_all(struct kunit *test, struct block_device *bdev,
		     bool use_mpage, struct page *scratch)
{
	struct address_space *mapping = bdev_inode(bdev)->i_mapping;
	unsigned long before;

	pgoff_t base = base_index(bdev);

	KUNIT_EXPECT_EQ(test, filemap_write_and_wait(mapping), 0);
	invalidate_mapping_pages(mapping, base, base + NR_PAGES - 1);
	before = read_bios(bdev);
	if (use_mpage)
		force_page_cache_readahead(mapping, NULL, base, NR_PAGES);
	for (pgoff_t i = base; i < base + NR_PAGES; i++) {
		struct page *page =
			use_mpage ?
				read_mapping_page(mapping, i, NULL) :
				read_cache_page(mapping, i, bh_filler, NULL);

		if (IS_ERR(page)) {
			kunit_fail(test, __FILE__, __LINE__,
				   "page %lu: error %ld", i, PTR_ERR(page));
			return -1;
		}
		if (!same_as_disk(bdev, page, scratch))
			kunit_fail(test, __FILE__, __LINE__,
				   "page %lu differs from the disk", i);
		put_page(page);
	}
	/* The raw verification reads were one bio a page. */
	return (long)(read_bios(bdev) - before) - NR_PAGES;
}

static void pagecache_mpage_read_bdev_test(struct kunit *test)
{
	struct block_device *bdev = test_bdev(test);
	struct page *scratch;
	long mp, bh;

	if (!bdev)
		return;
	scratch = alloc_page(GFP_KERNEL);
	KUNIT_ASSERT_TRUE(test, scratch != NULL);
	mp = read_all(test, bdev, true, scratch);
	bh = read_all(test, bdev, false, scratch);
	__free_page(scratch);
	printk("    # %s: %d pages: mpage %ld bios, buffer heads %ld bios\n",
	       bdev->bd_name, NR_PAGES, mp, bh);
	KUNIT_EXPECT_TRUE(test, mp > 0);
	KUNIT_EXPECT_TRUE(test, bh >= 2 * mp);
	invalidate_mapping_pages(bdev_inode(bdev)->i_mapping, base_index(bdev),
				 base_index(bdev) + NR_PAGES - 1);
}
KUNIT_CASE(pagecache_mpage_read_bdev_test, "pagecache.mpage_read_bdev");

/* Dirty a cached page without changing it and write it back with mpage. */
static void pagecache_mpage_rewrite_bdev_test(struct kunit *test)
{
	struct block_device *bdev = test_bdev(test);
	struct address_space *mapping;
	struct writeback_control wbc = {
		.sync_mode = WB_SYNC_ALL,
		.nr_to_write = 16,
		.range_start = 0,
		.range_end = WB_RANGE_ALL,
	};
	unsigned long writes;
	struct page *page, *scratch;

	if (!bdev)
		return;
	mapping = bdev_inode(bdev)->i_mapping;
	invalidate_mapping_pages(mapping, base_index(bdev),
				 base_index(bdev) + NR_PAGES - 1);
	page = read_mapping_page(mapping, base_index(bdev) + 3, NULL);
	KUNIT_ASSERT_TRUE(test, !IS_ERR(page));
	/* mpage read it: no buffers, so writeback goes through mpage too. */
	lock_page(page);
	if (page_has_buffers(page))
		try_to_free_buffers(page);
	set_page_dirty(page);
	unlock_page(page);
	writes = bdev->bd_disk->stats.bios[WRITE];
	KUNIT_EXPECT_EQ(test, mpage_writepages(mapping, &wbc, blkdev_get_block),
			0);
	KUNIT_EXPECT_EQ(test, filemap_fdatawait(mapping), 0);
	KUNIT_EXPECT_EQ(test, bdev->bd_disk->stats.bios[WRITE] - writes, 1);
	KUNIT_EXPECT_FALSE(test, PageDirty(page));
	scratch = alloc_page(GFP_KERNEL);
	KUNIT_ASSERT_TRUE(test, scratch != NULL);
	KUNIT_EXPECT_TRUE(test, same_as_disk(bdev, page, scratch));
	__free_page(scratch);
	put_page(page);
	invalidate_mapping_pages(mapping, base_index(bdev),
				 base_index(bdev) + NR_PAGES - 1);
}
KUNIT_CASE(pagecache_mpage_rewrite_bdev_test, "pagecache.mpage_rewrite_bdev");
