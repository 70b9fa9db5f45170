/*
 * mm/readahead.c through the generic read path: the window grows on a
 * sequential scan (bio sizes double up to the maximum), a disk's
 * default maximum is four of its largest requests (io_pages), a read larger than
 * the window reads up to io_pages at once, random reads read just what
 * they ask, the maximum is settable, a read error quarters the window
 * and touches the bad sector twice at most, and the bio count of mpage
 * readahead against the buffer-head path.
 */
#include <stdio.h>

#include "fixtures/pc_helpers.h"

static struct sim_disk *sd;
static struct testfs *fs;
static struct file_ra_state ra;

#define FILE_BYTES (1024 * 1024)

static void make_fs(bool no_mpage)
{
	fs = pc_make_fs(10, FILE_BYTES, no_mpage);
	sd = fs->sd;
	testfs_map(fs, 0, FILE_BYTES / 1024, 1000);
	file_ra_state_init(&ra, fs->inode->i_mapping);
}

/*
 * The file on a disk whose requests are at most max_sectors: the inode
 * takes the disk's own readahead parameters (bdev_bdi), as ext2's do.
 */
static void make_fs_dev(unsigned int max_sectors)
{
	fs = pc_make_fs(10, FILE_BYTES, false);
	sd = fs->sd;
	blk_queue_max_hw_sectors(sd->disk.queue, max_sectors);
	testfs_map(fs, 0, FILE_BYTES / 1024, 1000);
	fs->inode->i_mapping->backing_dev_info = bdev_bdi(&sd->bdev);
	file_ra_state_init(&ra, fs->inode->i_mapping);
}

/* Read [pos, pos + len) and check the bytes against the disk. */
static void read_check(loff_t pos, size_t len)
{
	static u8 buf[FILE_BYTES];

	ck_assert_int_eq(filemap_read(fs->inode->i_mapping, &ra, NULL, pos,
				      (char *)buf, len),
			 (ssize_t)len);
	if (memcmp(buf, sd->data + 1000 * 1024 + pos, len))
		ck_abort_msg("bytes at %lld differ from the disk",
			     (long long)pos);
}

static void sequential_scan(void)
{
	for (loff_t pos = 0; pos < FILE_BYTES; pos += 4096)
		read_check(pos, 4096);
}

START_TEST(window_grows_on_sequential_scan)
{
	static const unsigned int want[] = { 16384,  32768,  65536,
					     131072, 131072, 131072 };

	make_fs(false);
	sequential_scan();
	ck_assert_uint_ge(sd->nr_log, ARRAY_SIZE(want));
	for (size_t i = 0; i < ARRAY_SIZE(want); i++) {
		ck_assert_uint_eq(sd->log[i].size, want[i]);
		ck_assert_uint_eq(sd->log[i].rw, READ);
	}
	/* Every page came from a window; almost every read found its page. */
	ck_assert_uint_eq(pc_stats.ra_pages, FILE_BYTES / PAGE_SIZE);
	ck_assert_uint_eq(pc_stats.ra_hits, FILE_BYTES / PAGE_SIZE - 1);
	pc_destroy_fs(fs);
}
END_TEST

START_TEST(no_window_on_random_reads)
{
	static const pgoff_t idx[] = { 100, 37, 200, 5, 150, 77, 240 };

	make_fs(false);
	for (size_t i = 0; i < ARRAY_SIZE(idx); i++)
		read_check((loff_t)idx[i] * 4096, 4096);
	ck_assert_uint_eq(sd->nr_log, ARRAY_SIZE(idx));
	for (size_t i = 0; i < ARRAY_SIZE(idx); i++) {
		ck_assert_uint_eq(sd->log[i].size, 4096);
		ck_assert_uint_eq(sd->log[i].sector, 2000 + idx[i] * 8);
	}
	ck_assert_uint_eq(pc_stats.ra_windows, 0);
	pc_destroy_fs(fs);
}
END_TEST

START_TEST(max_window_is_settable)
{
	make_fs(false);
	/* A reader takes the device's maximum when it opens the file. */
	fs->inode->i_mapping->backing_dev_info->ra_pages = 8;
	file_ra_state_init(&ra, fs->inode->i_mapping);
	sequential_scan();
	ck_assert_uint_eq(sd->log[0].size, 16384);
	ck_assert_uint_eq(sd->log[1].size, 32768);
	ck_assert_uint_eq(sd->log[2].size, 32768);
	ck_assert_uint_eq(sd->log[3].size, 32768);
	fs->inode->i_mapping->backing_dev_info->ra_pages = 32;
	pc_destroy_fs(fs);
}
END_TEST

/*
 * A disk of 128 KiB requests: the window starts at four pages and grows
 * (quadrupling while under a sixteenth of its maximum) to 128 pages,
 * four of the disk's largest requests, not the 32 pages
 * (VM_MAX_READAHEAD_KIB) of a file without a disk. The file's blocks
 * are contiguous, so each bio is as large as the disk takes.
 */
START_TEST(window_grows_to_device_limit)
{
	make_fs_dev(256);
	ck_assert_uint_eq(bdev_bdi(&sd->bdev)->io_pages, 32);
	ck_assert_uint_eq(ra.ra_pages, 4 * 32);
	sequential_scan();
	expect_bios(sd, { READ, 2000, 16384 }, { READ, 2032, 65536 },
		    { READ, 2160, 131072 }, { READ, 2416, 131072 },
		    { READ, 2672, 131072 }, { READ, 2928, 131072 },
		    { READ, 3184, 131072 }, { READ, 3440, 131072 },
		    { READ, 3696, 131072 }, { READ, 3952, 49152 });
	pc_destroy_fs(fs);
}
END_TEST

/*
 * The window's maximum is capped (VM_READAHEAD_MAX_PAGES): a disk of
 * 1 MiB requests gets 4 MiB windows, reached in four steps from a
 * 4 KiB read (4, 16, 64 pages, then doubling).
 */
START_TEST(window_ramps_up_fast)
{
	make_fs_dev(2048);
	blk_queue_max_segments(sd->disk.queue, 256);
	ck_assert_uint_eq(ra.ra_pages, VM_READAHEAD_MAX_PAGES);
	sequential_scan();
	expect_bios(sd, { READ, 2000, 16384 }, { READ, 2032, 65536 },
		    { READ, 2160, 262144 }, { READ, 2672, 524288 },
		    { READ, 3696, 180224 });
	pc_destroy_fs(fs);
}
END_TEST

/*
 * Linux's io_pages rule: a read larger than the window (128 KiB calls,
 * ra_pages 8) reads ahead up to the disk's largest request anyway.
 */
START_TEST(large_read_reads_up_to_io_pages)
{
	static u8 buf[128 * 1024];

	make_fs_dev(512);
	bdev_bdi(&sd->bdev)->ra_pages = 8;
	file_ra_state_init(&ra, fs->inode->i_mapping);
	for (loff_t pos = 0; pos < FILE_BYTES; pos += (loff_t)sizeof(buf))
		ck_assert_int_eq(filemap_read(fs->inode->i_mapping, &ra, NULL,
					      pos, (char *)buf, sizeof(buf)),
				 (ssize_t)sizeof(buf));
	ck_assert_uint_eq(sd->nr_log, 8);
	for (unsigned int i = 0; i < sd->nr_log; i++) {
		ck_assert_uint_eq(sd->log[i].sector, 2000 + 256 * i);
		ck_assert_uint_eq(sd->log[i].size, sizeof(buf));
	}
	pc_destroy_fs(fs);
}
END_TEST

/* Times the disk was asked for sector. */
static unsigned int touches(sector_t sector)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < sd->nr_log; i++)
		n += sd->log[i].sector <= sector &&
		     sector < sd->log[i].sector + (sd->log[i].size >> 9);
	return n;
}

/*
 * A reader whose window is 64 pages; a bad sector in page 5. The first
 * window (pages 0-31) fails whole; the
 * reader reads pages 0-4 again one by one (no more readahead in this
 * call) and page 5 fails again: the call returns the five good pages,
 * the window maximum is quartered, and the next call, asking for page 5,
 * gets -EIO without touching the disk. The sector was read twice. Later
 * windows are at most the new maximum.
 */
START_TEST(read_error_shrinks_window)
{
	static u8 buf[64 * 1024];
	struct address_space *mapping;
	ssize_t n;

	make_fs_dev(512);
	ra.ra_pages = 64;
	mapping = fs->inode->i_mapping;
	sim_disk_add_bad(sd, 2042, 2043, READ);
	n = filemap_read(mapping, &ra, NULL, 0, (char *)buf, sizeof(buf));
	ck_assert_int_eq(n, 5 * 4096);
	ck_assert_int_eq(filemap_read(mapping, &ra, NULL, n, (char *)buf,
				      sizeof(buf)),
			 -EIO);
	expect_bios(sd, { READ, 2000, 131072 }, { READ, 2000, 4096 },
		    { READ, 2008, 4096 }, { READ, 2016, 4096 },
		    { READ, 2024, 4096 }, { READ, 2032, 4096 },
		    { READ, 2040, 4096 });
	ck_assert_uint_eq(touches(2042), 2);
	ck_assert_uint_eq(ra.ra_pages, 16);
	/* Past the failed window, a stream gets 16-page windows at most. */
	sim_disk_clear_log(sd);
	for (loff_t pos = 32 * 4096; pos < FILE_BYTES;
	     pos += (loff_t)sizeof(buf))
		ck_assert_int_eq(filemap_read(mapping, &ra, NULL, pos,
					      (char *)buf, sizeof(buf)),
				 (ssize_t)sizeof(buf));
	for (unsigned int i = 0; i < sd->nr_log; i++)
		ck_assert_uint_le(sd->log[i].size, 16 * 4096);
	pc_destroy_fs(fs);
}
END_TEST

/*
 * After the first error a read call reads ahead no more. A transient
 * error fails the first 8-page window once (the readahead marker on its
 * first page has already started the next window); the call reads the
 * failed pages again one by one, takes the next window as it is, and
 * reads the pages after it one by one too: no marker, no new window.
 */
START_TEST(no_readahead_after_error_in_call)
{
	static u8 buf[128 * 1024];
	struct exp_bio want[26];
	unsigned int n = 0;

	make_fs_dev(64);
	bdev_bdi(&sd->bdev)->ra_pages = 8;
	file_ra_state_init(&ra, fs->inode->i_mapping);
	sim_disk_add_bad_times(sd, 2042, 2043, READ, 1);
	ck_assert_int_eq(filemap_read(fs->inode->i_mapping, &ra, NULL, 0,
				      (char *)buf, sizeof(buf)),
			 (ssize_t)sizeof(buf));
	want[n++] = (struct exp_bio){ READ, 2000, 32768 };
	want[n++] = (struct exp_bio){ READ, 2064, 32768 };
	for (unsigned int p = 0; p < 8; p++)
		want[n++] = (struct exp_bio){ READ, 2000 + 8 * p, 4096 };
	for (unsigned int p = 16; p < 32; p++)
		want[n++] = (struct exp_bio){ READ, 2000 + 8 * p, 4096 };
	ck_assert_uint_eq(sd->nr_log, n);
	for (unsigned int i = 0; i < n; i++) {
		ck_assert_uint_eq(sd->log[i].sector, want[i].sector);
		ck_assert_uint_eq(sd->log[i].size, want[i].size);
	}
	for (unsigned int i = 0; i < sizeof(buf); i++)
		ck_assert_uint_eq(buf[i], sd->data[1000 * 1024 + i]);
	pc_destroy_fs(fs);
}
END_TEST

/*
 * The counted comparison: the same 1 MiB file of 1 KiB blocks read
 * through mpage_readpages and through block_read_full_page only.
 */
START_TEST(mpage_issues_16x_fewer_bios)
{
	unsigned int mpage_bios, bh_bios;

	make_fs(false);
	sequential_scan();
	mpage_bios = sd->nr_log;
	pc_destroy_fs(fs);
	make_fs(true);
	sequential_scan();
	bh_bios = sd->nr_log;
	pc_destroy_fs(fs);
	fprintf(stderr,
		"readahead: 1 MiB of 1 KiB blocks: mpage %u bios, "
		"buffer heads %u bios (%.1fx)\n",
		mpage_bios, bh_bios, (double)bh_bios / mpage_bios);
	ck_assert_uint_gt(mpage_bios, 0);
	ck_assert_uint_ge(bh_bios, 16 * mpage_bios);
}
END_TEST

static Suite *readahead_suite(void)
{
	Suite *s = suite_create("readahead");
	TCase *tc = tcase_create("window");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, window_grows_on_sequential_scan);
	tcase_add_test(tc, no_window_on_random_reads);
	tcase_add_test(tc, max_window_is_settable);
	tcase_add_test(tc, window_grows_to_device_limit);
	tcase_add_test(tc, window_ramps_up_fast);
	tcase_add_test(tc, large_read_reads_up_to_io_pages);
	tcase_add_test(tc, read_error_shrinks_window);
	tcase_add_test(tc, no_readahead_after_error_in_call);
	tcase_add_test(tc, mpage_issues_16x_fewer_bios);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_SUITE(readahead_suite)
