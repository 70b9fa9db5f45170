/*
 * The readahead lab's graded tests (docs/labs/readahead.md): on-demand
 * readahead (ondemand_readahead, init_ra_size, next_ra_size) through
 * the generic read path, filemap_read, over a 1 MiB file of contiguous
 * 1 KiB blocks read through mpage: every window is one bio, so the
 * disk's bio log shows the windows. What is checked are the properties
 * any on-demand readahead has, not one formula for the window sizes: a
 * stream gets windows that grow to the maximum and stay ahead of the
 * reader, a random read reads what it asks, nothing is read twice or
 * past the end of the file.
 */
#include "fixtures/pc_helpers.h"

#define FILE_BYTES (1024 * 1024)
#define FIRST_BLOCK 1000 /* the file's blocks are 1000.. on disk */
#define FILE_SECTOR (FIRST_BLOCK * 2)

static struct sim_disk *sd;
static struct testfs *fs;
static struct file_ra_state ra;

/* The file, with windows of at most max_pages (0: readahead off). */
static void make_file(loff_t size, unsigned long max_pages)
{
	fs = pc_make_fs(10, size, false);
	sd = fs->sd;
	testfs_map(fs, 0, FILE_BYTES / 1024, FIRST_BLOCK);
	fs->inode->i_mapping->backing_dev_info->ra_pages = max_pages;
	file_ra_state_init(&ra, fs->inode->i_mapping);
	ra.ra_pages = (unsigned int)max_pages;
}

/* Read [pos, pos + len) and check the bytes against the disk. */
static void read_check(loff_t pos, size_t len)
{
	static u8 buf[FILE_BYTES];
	loff_t size = i_size_read(fs->inode);
	size_t want = pos + (loff_t)len > size ? (size_t)(size - pos) : len;

	ck_assert_int_eq(filemap_read(fs->inode->i_mapping, &ra, NULL, pos,
				      (char *)buf, len),
			 (ssize_t)want);
	ck_assert_msg(!memcmp(buf, sd->data + FIRST_BLOCK * 1024 + pos, want),
		      "wrong bytes at %lld", (long long)pos);
}

static bool cached(pgoff_t index)
{
	struct page *page = find_get_page(fs->inode->i_mapping, index);

	if (page)
		put_page(page);
	return page != NULL;
}

/*
 * Every bio a read of the file, none past its end, no sector read
 * twice; returns the bytes read.
 */
static unsigned long expect_each_block_once(void)
{
	static u8 seen[FILE_BYTES / SECTOR_SIZE];
	loff_t size = i_size_read(fs->inode);
	sector_t end = FILE_SECTOR + (((size + 1023) / 1024) * 2);
	unsigned long bytes = 0;

	memset(seen, 0, sizeof(seen));
	for (unsigned int i = 0; i < sd->nr_log; i++) {
		const struct sim_bio_log *l = &sd->log[i];

		ck_assert_uint_eq(l->rw, READ);
		ck_assert_msg(l->sector >= FILE_SECTOR &&
				      l->sector + l->size / SECTOR_SIZE <= end,
			      "bio %u at sector %llu, %u bytes: outside the "
			      "file (sectors %u-%llu)",
			      i, (unsigned long long)l->sector, l->size,
			      FILE_SECTOR, (unsigned long long)end);
		for (unsigned int s = 0; s < l->size / SECTOR_SIZE; s++) {
			sector_t at = l->sector - FILE_SECTOR + s;

			ck_assert_msg(!seen[at], "sector %llu read twice",
				      (unsigned long long)(FILE_SECTOR + at));
			seen[at] = 1;
		}
		bytes += l->size;
	}
	return bytes;
}

/* The first read of a file reads ahead: one bio, more than asked. */
START_TEST(first_read_reads_ahead)
{
	make_file(FILE_BYTES, 32);
	read_check(0, 4096);
	ck_assert_uint_eq(sd->nr_log, 1);
	ck_assert_uint_eq(sd->log[0].sector, FILE_SECTOR);
	ck_assert_uint_gt(sd->log[0].size, 4096);
	ck_assert_uint_le(sd->log[0].size, 32 * PAGE_SIZE);
	ck_assert(cached(1));
	pc_destroy_fs(fs);
}
END_TEST

/*
 * A sequential scan, 4 KiB a read: windows (bios) follow each other on
 * disk, never shrink, reach the maximum and never pass it.
 */
START_TEST(windows_grow_to_the_maximum)
{
	unsigned int largest = 0;

	make_file(FILE_BYTES, 32);
	for (loff_t pos = 0; pos < FILE_BYTES; pos += 4096)
		read_check(pos, 4096);
	ck_assert_uint_ge(sd->nr_log, 3);
	for (unsigned int i = 0; i < sd->nr_log; i++) {
		const struct sim_bio_log *l = &sd->log[i];

		if (i) {
			const struct sim_bio_log *p = &sd->log[i - 1];

			ck_assert_msg(l->sector == p->sector + p->size / 512,
				      "bio %u does not follow bio %u", i,
				      i - 1);
			ck_assert_msg(l->size >= p->size || i == sd->nr_log - 1,
				      "window %u (%u bytes) smaller than the "
				      "one before (%u)",
				      i, l->size, p->size);
		}
		ck_assert_uint_le(l->size, 32 * PAGE_SIZE);
		if (l->size > largest)
			largest = l->size;
	}
	ck_assert_uint_eq(largest, 32 * PAGE_SIZE);
	ck_assert_uint_lt(sd->log[0].size, 32 * PAGE_SIZE);
	ck_assert_uint_eq(expect_each_block_once(), FILE_BYTES);
	pc_destroy_fs(fs);
}
END_TEST

/* The next window is on its way before the reader needs it. */
START_TEST(reader_never_waits_on_an_unread_page)
{
	make_file(FILE_BYTES, 32);
	read_check(0, 4096);
	for (loff_t pos = 4096; pos < FILE_BYTES; pos += 4096) {
		ck_assert_msg(cached((pgoff_t)(pos >> PAGE_SHIFT)),
			      "page %lld not read ahead",
			      (long long)(pos >> PAGE_SHIFT));
		read_check(pos, 4096);
	}
	pc_destroy_fs(fs);
}
END_TEST

/* A read that follows nothing reads just what it asks. */
START_TEST(random_read_reads_what_it_asks)
{
	make_file(FILE_BYTES, 32);
	read_check(0, 4096);
	sim_disk_clear_log(sd);
	read_check(512 * 1024, 8192);
	expect_bios(sd, { READ, FILE_SECTOR + 1024, 8192 });
	sim_disk_clear_log(sd);
	read_check(100 * 1024, 4096);
	expect_bios(sd, { READ, FILE_SECTOR + 200, 4096 });
	pc_destroy_fs(fs);
}
END_TEST

/* Readahead off: each read reads its request, in one bio. */
START_TEST(readahead_off_reads_the_request)
{
	make_file(FILE_BYTES, 0);
	read_check(0, 16384);
	expect_bios(sd, { READ, FILE_SECTOR, 16384 });
	read_check(16384, 4096);
	expect_bios(sd, { READ, FILE_SECTOR, 16384 },
		    { READ, FILE_SECTOR + 32, 4096 });
	pc_destroy_fs(fs);
}
END_TEST

/* A smaller maximum is a smaller largest window. */
START_TEST(maximum_is_respected)
{
	bool full = false;

	make_file(FILE_BYTES, 8);
	for (loff_t pos = 0; pos < FILE_BYTES; pos += 4096)
		read_check(pos, 4096);
	for (unsigned int i = 0; i < sd->nr_log; i++) {
		ck_assert_uint_le(sd->log[i].size, 8 * PAGE_SIZE);
		full |= sd->log[i].size == 8 * PAGE_SIZE;
	}
	ck_assert(full);
	ck_assert_uint_eq(expect_each_block_once(), FILE_BYTES);
	pc_destroy_fs(fs);
}
END_TEST

/* Windows stop at the end of the file: 100 KiB and 100 bytes. */
START_TEST(windows_stop_at_end_of_file)
{
	const loff_t size = 100 * 1024 + 100;

	make_file(size, 32);
	for (loff_t pos = 0; pos < size; pos += 4096)
		read_check(pos, 4096);
	ck_assert_uint_ge(sd->nr_log, 2);
	ck_assert_uint_eq(expect_each_block_once(), 101 * 1024);
	pc_destroy_fs(fs);
}
END_TEST

/* Reading the file again, or by a second reader: no I/O at all. */
START_TEST(cached_file_is_not_read_again)
{
	unsigned int bios;

	make_file(FILE_BYTES, 32);
	for (loff_t pos = 0; pos < FILE_BYTES; pos += 65536)
		read_check(pos, 65536);
	bios = sd->nr_log;
	file_ra_state_init(&ra, fs->inode->i_mapping);
	ra.ra_pages = 32;
	for (loff_t pos = 0; pos < FILE_BYTES; pos += 4096)
		read_check(pos, 4096);
	ck_assert_uint_eq(sd->nr_log, bios);
	ck_assert_uint_eq(expect_each_block_once(), FILE_BYTES);
	pc_destroy_fs(fs);
}
END_TEST

/*
 * A second reader, with a state of its own, reaches a page marked
 * PG_readahead by the first: it reads on after what is cached, at
 * once, without reading any cached page again.
 */
START_TEST(marker_found_by_another_reader)
{
	pgoff_t marked = 0, first_gap;
	unsigned int bios;

	make_file(FILE_BYTES, 32);
	read_check(0, 4096);
	for (pgoff_t i = 1; i < 32 && !marked; i++) {
		struct page *page = find_get_page(fs->inode->i_mapping, i);

		if (page) {
			if (PageReadahead(page))
				marked = i;
			put_page(page);
		}
	}
	ck_assert_msg(marked, "the first window has no PG_readahead page");
	first_gap = marked;
	while (cached(first_gap))
		first_gap++;
	bios = sd->nr_log;
	file_ra_state_init(&ra, fs->inode->i_mapping);
	ra.ra_pages = 32;
	read_check((loff_t)marked * 4096, 4096);
	ck_assert_uint_eq(sd->nr_log, bios + 1);
	ck_assert_uint_eq(sd->log[bios].sector, FILE_SECTOR + first_gap * 8);
	ck_assert_uint_eq(expect_each_block_once(),
			  (first_gap * PAGE_SIZE) + sd->log[bios].size);
	pc_destroy_fs(fs);
}
END_TEST

static Suite *lab_readahead_suite(void)
{
	Suite *s = suite_create("lab_readahead");
	TCase *tc = tcase_create("graded");

	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, first_read_reads_ahead);
	tcase_add_test(tc, windows_grow_to_the_maximum);
	tcase_add_test(tc, reader_never_waits_on_an_unread_page);
	tcase_add_test(tc, random_read_reads_what_it_asks);
	tcase_add_test(tc, readahead_off_reads_the_request);
	tcase_add_test(tc, maximum_is_respected);
	tcase_add_test(tc, windows_stop_at_end_of_file);
	tcase_add_test(tc, cached_file_is_not_read_again);
	tcase_add_test(tc, marker_found_by_another_reader);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_SUITE(lab_readahead_suite)
