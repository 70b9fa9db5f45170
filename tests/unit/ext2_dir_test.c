/*
 * Large ext2 directories (fs/ext2/dir.c, dir_index.c) through the VFS, on
 * a fresh mke2fs image in the simulated request disk: the in-memory
 * index sends a lookup, a miss and an insertion to one directory block,
 * which the tests see in the disk's read log once the block cache is
 * dropped; and a long mix of creates, unlinks and renames agrees with a
 * model of the directory and leaves e2fsck happy.
 */
#include "unit.h" /* first: it tames glibc's blkcnt_t */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "blkdev.h"
#include "buffer_head.h"
#include "errno.h"
#include "fs/ext2/ext2.h"
#include "fixtures/ext2_img.h"
#include "fixtures/ext2_mount.h"
#include "fixtures/platform.h"
#include "fixtures/sim_rq_disk.h"
#include "pagemap.h"
#include "vfs.h"

#define NAMES 300 /* "n000": 12-byte entries, 85 to a 1 KiB block */

static struct sim_rq_disk *sd;

/* A fresh file system of 1 KiB blocks, inodes to spare for NAMES files. */
static void mount_fresh_1k(void)
{
	sd = ext2m_fresh("-b 1024 -I 128 -N 2048", "8M");
}

static void unmount_and_fsck(void)
{
	char report[8192];

	ck_assert_int_eq(vfs_umount_root(), 0);
	while (host_run_pending())
		;
	ck_assert_msg(ext2_img_fsck(sd->data,
				    (uint64_t)sd->nr_sectors << SECTOR_SHIFT,
				    report, sizeof(report)) == 0,
		      "%.4000s", report);
	sim_rq_disk_destroy(sd);
}

static void create(const char *path)
{
	struct file *f = vfs_open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);

	ck_assert_msg(!IS_ERR(f), "%s: %ld", path, PTR_ERR(f));
	vfs_close(f);
}

/* /d with NAMES files n000..; returns the directory inode, referenced. */
static struct inode *make_dir(void)
{
	char path[32];
	struct inode *dir;

	ck_assert_int_eq(vfs_mkdir("/d", 0755), 0);
	for (int i = 0; i < NAMES; i++) {
		snprintf(path, sizeof(path), "/d/n%03d", i);
		create(path);
	}
	ck_assert_int_eq(vfs_lookup("/d", 0, &dir), 0);
	ck_assert_int_ge(i_size_read(dir) >> dir->i_blkbits, 3);
	return dir;
}

/* Everything on disk and out of memory but the inodes (and the index). */
static void drop_blocks(void)
{
	ck_assert_int_eq(vfs_sync(), 0);
	drop_pagecache();
	sd->nr_log = 0;
}

/* The directory blocks read since drop_blocks(), as a bit per block. */
static unsigned long dir_blocks_read(struct inode *dir)
{
	unsigned long n,
		nblocks = (unsigned long)(i_size_read(dir) >> dir->i_blkbits);
	unsigned long read = 0;

	for (n = 0; n < nblocks && n < 64; n++) {
		struct buffer_head map = { .b_size = 1024 };
		sector_t s;

		ck_assert_int_eq(ext2_get_block(dir, n, &map, 0), 0);
		s = map.b_blocknr * (1024 >> SECTOR_SHIFT);
		for (unsigned int i = 0; i < sd->nr_log; i++) {
			const struct sim_rq_log *l = &sd->log[i];

			if ((l->cmd_flags & RW_MASK) == READ &&
			    l->sector <= s &&
			    s < l->sector + (l->data_len >> SECTOR_SHIFT))
				read |= 1UL << n;
		}
	}
	return read;
}

static unsigned long block_of(struct inode *dir, const char *name)
{
	struct ext2_dir_slot slot;

	ck_assert_int_eq(ext2_find_entry(dir, name, strlen(name), &slot), 0);
	brelse(slot.bh);
	return slot.n;
}

START_TEST(lookup_and_miss_read_one_block)
{
	struct ext2_dir_slot slot;
	struct inode *dir;
	unsigned long n;

	mount_fresh_1k();
	dir = make_dir();
	n = block_of(dir, "n200");
	ck_assert_uint_ge(n, 2);
	drop_blocks();
	ck_assert_uint_eq(block_of(dir, "n200"), n);
	ck_assert_uint_eq(dir_blocks_read(dir), 1UL << n);
	/* Absent: known without reading a directory block. */
	drop_blocks();
	ck_assert_int_eq(ext2_find_entry(dir, "nope", 4, &slot), -ENOENT);
	ck_assert_uint_eq(dir_blocks_read(dir), 0);
	iput(dir);
	unmount_and_fsck();
}
END_TEST

START_TEST(insertion_reuses_room_without_rescan)
{
	struct inode *dir;
	unsigned long n;

	mount_fresh_1k();
	dir = make_dir();
	n = block_of(dir, "n150");
	ck_assert_uint_ge(n, 1);
	ck_assert_int_eq(vfs_unlink("/d/n150"), 0);
	/* The freed room in block n takes the next name, straight away. */
	drop_blocks();
	create("/d/new");
	ck_assert_uint_eq(dir_blocks_read(dir), 1UL << n);
	ck_assert_uint_eq(block_of(dir, "new"), n);
	/* Full again: the next name goes to the last block, read alone. */
	drop_blocks();
	create("/d/newer");
	n = (unsigned long)(i_size_read(dir) >> dir->i_blkbits) - 1;
	ck_assert_uint_eq(dir_blocks_read(dir), 1UL << n);
	ck_assert_uint_eq(block_of(dir, "newer"), n);
	iput(dir);
	unmount_and_fsck();
}
END_TEST

/* Creates, unlinks and renames at random; every name answers as modelled. */
START_TEST(index_agrees_with_model)
{
	bool present[NAMES * 2] = { false };
	char a[32], b[32];
	u64 seed = 12345;
	struct kstat st;

	mount_fresh_1k();
	ck_assert_int_eq(vfs_mkdir("/d", 0755), 0);
	for (int step = 0; step < 3000; step++) {
		int i, j;

		seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
		i = (int)((seed >> 33) % (NAMES * 2));
		j = (int)((seed >> 13) % (NAMES * 2));
		snprintf(a, sizeof(a), "/d/name-%d", i);
		snprintf(b, sizeof(b), "/d/name-%d", j);
		switch ((seed >> 60) % 3) {
		case 0:
			if (!present[i])
				create(a);
			present[i] = true;
			break;
		case 1:
			ck_assert_int_eq(vfs_unlink(a),
					 present[i] ? 0 : -ENOENT);
			present[i] = false;
			break;
		default:
			ck_assert_int_eq(vfs_rename(a, b),
					 present[i] ? 0 : -ENOENT);
			if (present[i] && i != j) {
				present[j] = true;
				present[i] = false;
			}
		}
		if (step % 500 == 499)
			evict_unused_inodes(vfs_root_sb()); /* a cold dcache */
	}
	evict_unused_inodes(vfs_root_sb());
	for (int i = 0; i < NAMES * 2; i++) {
		snprintf(a, sizeof(a), "/d/name-%d", i);
		ck_assert_int_eq(vfs_stat(a, &st), present[i] ? 0 : -ENOENT);
	}
	unmount_and_fsck();
}
END_TEST

static Suite *ext2_dir_suite(void)
{
	Suite *s = suite_create("ext2_dir");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, lookup_and_miss_read_one_block);
	tcase_add_test(tc, insertion_reuses_room_without_rescan);
	tcase_add_test(tc, index_agrees_with_model);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_SUITE(ext2_dir_suite)
