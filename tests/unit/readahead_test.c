/*
 * mm/readahead.c through the generic read path: the window grows on a
 * sequential scan (bio sizes double up to the device maximum), random
 * reads read just what they ask, the maximum is settable, and the bio
 * count of mpage readahead against the buffer-head path.
 */
#include <stdio.h>

#include "fixtures/pc_helpers.h"

static struct sim_disk *sd;
static struct testfs *fs;
static struct file_ra_state ra;

#define FILE_BYTES (1024 * 1024)

static void make_fs(bool no_mpage)
{
	pc_setup();
	sd = sim_disk_create(PC_DISK_SECTORS, 1024);
	fs = testfs_create(sd, 10, FILE_BYTES, no_mpage);
	testfs_map(fs, 0, FILE_BYTES / 1024, 1000);
	file_ra_state_init(&ra, fs->inode->i_mapping);
}

static void teardown(void)
{
	testfs_destroy(fs);
	sim_disk_destroy(sd);
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
	teardown();
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
	teardown();
}
END_TEST

START_TEST(max_window_is_settable)
{
	make_fs(false);
	fs->inode->i_mapping->backing_dev_info->ra_pages = 8;
	sequential_scan();
	ck_assert_uint_eq(sd->log[0].size, 16384);
	ck_assert_uint_eq(sd->log[1].size, 32768);
	ck_assert_uint_eq(sd->log[2].size, 32768);
	ck_assert_uint_eq(sd->log[3].size, 32768);
	fs->inode->i_mapping->backing_dev_info->ra_pages = 32;
	teardown();
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
	teardown();
	make_fs(true);
	sequential_scan();
	bh_bios = sd->nr_log;
	teardown();
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
	tcase_add_test(tc, mpage_issues_16x_fewer_bios);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_SUITE(readahead_suite)
