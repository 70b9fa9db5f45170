/*
 * The fsync lab's graded tests (docs/labs/fsync.md): choosing pages for
 * writeback (wb_claim_page), waiting and reporting errors once per open
 * file (file_write_and_wait, file_check_and_advance_wb_err), and
 * ext2_fsync's order, on a mke2fs image in the simulated request disk.
 * Judged by the requests the disk saw (writes and cache flushes, in
 * order), by what e2fsck and debugfs find on the disk as it is right
 * after the fsync (a power cut then), and by the errors returned.
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
#include "fixtures/ext2_durable.h"
#include "fixtures/ext2_img.h"
#include "fixtures/ext2_mount.h"
#include "fixtures/platform.h"
#include "fixtures/sim_rq_disk.h"
#include "pagemap.h"
#include "random.h"
#include "vfs.h"
#include "writeback.h"

static struct sim_rq_disk *sd;

static void finish(void)
{
	sd->nr_bad = 0;
	sd->fail_flush = false;
	vfs_sync(); /* hears of any error the test left, once */
	ck_assert_int_eq(vfs_umount_root(), 0);
	while (host_run_pending())
		;
	sim_rq_disk_destroy(sd);
}

static struct super_block *sb(void)
{
	return vfs_root_sb();
}

static void write_stream(const char *path, u64 len, u64 seed)
{
	static u8 buf[1 << 14];
	struct file *f = vfs_open(path, O_WRONLY | O_CREAT, 0644);
	u64 done = 0;

	ck_assert_msg(!IS_ERR(f), "open %s: %ld", path, PTR_ERR(f));
	while (done < len) {
		size_t n = len - done < sizeof(buf) ? (size_t)(len - done) :
						      sizeof(buf);

		stream_bytes(seed, done, buf, n);
		ck_assert_int_eq(vfs_write(f, buf, n), (ssize_t)n);
		done += n;
	}
	vfs_close(f);
}

/* The block bitmap of the group holding block nr. */
static u32 block_bitmap_of(u32 nr)
{
	const struct ext2_super_block *es = EXT2_SB(sb())->s_es;
	u32 group = (nr - es->s_first_data_block) / es->s_blocks_per_group;

	return ext2_get_group_desc(sb(), group)->bg_block_bitmap;
}

static struct file *open_ok(const char *path, int flags)
{
	struct file *f = vfs_open(path, flags, 0);

	ck_assert_msg(!IS_ERR(f), "open %s: %ld", path, PTR_ERR(f));
	return f;
}

/* write(2) of len bytes at pos. */
static void pwrite_ok(struct file *f, const char *bytes, size_t len, loff_t pos)
{
	ck_assert_int_eq(vfs_lseek(f, pos, SEEK_SET), pos);
	ck_assert_int_eq(vfs_write(f, bytes, len), (ssize_t)len);
}

/* fsync returns 0 and the file's data and size are on the disk. */
START_TEST(fsync_makes_the_file_durable)
{
	const char *img;
	struct file *f;

	sd = ext2m_root("ext2-4k");
	write_stream("/a", 30000, 3);
	f = open_ok("/a", O_RDONLY);
	ck_assert_int_eq(vfs_fsync(f), 0);
	img = dur_power_cut(sd);
	dur_expect_stream(img, "/a", 30000, 3);
	unlink(img);
	vfs_close(f);
	finish();
}
END_TEST

/*
 * A new file in a new directory, fsynced: its data, then its
 * allocation state (block bitmap) and indirect block, its inode, the
 * new directory's block (its name), that directory's inode, the root's
 * block: each step flushed out of the disk's cache before the next.
 */
START_TEST(fsync_writes_in_order)
{
	unsigned int data, bitmap, ind, itable_f, dir_d, itable_d, dir_root;
	struct inode *inode;
	struct file *f;
	u32 data_block, ind_block;

	sd = ext2m_root("ext2-1k");
	ck_assert_int_eq(vfs_mkdir("/d", 0755), 0);
	write_stream("/d/f", 20000, 6);
	f = open_ok("/d/f", O_RDONLY);
	inode = f->f_inode;
	data_block = EXT2_I(inode)->i_data[0];
	ind_block = EXT2_I(inode)->i_data[EXT2_IND_BLOCK];
	sd->nr_log = 0;
	ck_assert_int_eq(vfs_fsync(f), 0);
	while (host_run_pending())
		;
	data = dur_first_write(sd, data_block, 0);
	bitmap = dur_first_write(sd, block_bitmap_of(data_block), 0);
	ind = dur_first_write(sd, ind_block, 0);
	itable_f = dur_first_write(sd, ext2m_itable_block(inode->i_ino), 0);
	dir_d = dur_first_write(sd, ext2m_dir_block0("/d"), 0);
	itable_d =
		dur_first_write(sd, ext2m_itable_block(ext2m_ino("/d")), dir_d);
	dir_root = dur_first_write(sd, ext2m_dir_block0("/"), 0);
	vfs_close(f);
	ck_assert_msg(dir_root < sd->nr_log, "the root's block never went");
	ck_assert_msg(data < bitmap && data < ind,
		      "data (%u) not before bitmap (%u) and indirect (%u)",
		      data, bitmap, ind);
	ck_assert(dur_flush_between(sd, data, bitmap < ind ? bitmap : ind));
	ck_assert_msg(bitmap < itable_f && ind < itable_f,
		      "inode (%u) not after bitmap (%u) and indirect (%u)",
		      itable_f, bitmap, ind);
	ck_assert(dur_flush_between(sd, bitmap > ind ? bitmap : ind, itable_f));
	ck_assert_msg(itable_f < dir_d && dir_d < itable_d &&
			      itable_d < dir_root,
		      "inode %u, dir block %u, dir inode %u, root block %u",
		      itable_f, dir_d, itable_d, dir_root);
	ck_assert(dur_flush_between(sd, itable_f, dir_d));
	ck_assert(dur_flush_between(sd, dir_d, itable_d));
	ck_assert(dur_flush_between(sd, itable_d, dir_root));
	finish();
}
END_TEST

/* After fsync of a new file, a power cut leaves it at its path, whole. */
START_TEST(fsync_makes_a_new_name_durable)
{
	const char *img;
	struct file *f;

	sd = ext2m_root("ext2-1k");
	ck_assert_int_eq(vfs_mkdir("/d", 0755), 0);
	ck_assert_int_eq(vfs_mkdir("/d/e", 0755), 0);
	write_stream("/d/e/f", 9000, 18);
	f = open_ok("/d/e/f", O_RDONLY);
	ck_assert_int_eq(vfs_fsync(f), 0);
	img = dur_power_cut(sd);
	dur_expect_stream(img, "/d/e/f", 9000, 18);
	unlink(img);
	vfs_close(f);
	finish();
}
END_TEST

/* The last request of an fsync is a cache flush; a failed one fails it. */
START_TEST(fsync_ends_with_a_flush)
{
	struct file *f;

	sd = ext2m_root("ext2-4k");
	write_stream("/f", 5000, 8);
	f = open_ok("/f", O_RDONLY);
	sd->nr_log = 0;
	ck_assert_int_eq(vfs_fsync(f), 0);
	ck_assert_uint_gt(sd->nr_log, 0);
	ck_assert(sd->log[sd->nr_log - 1].cmd_flags & REQ_FLUSH);
	sd->fail_flush = true;
	write_stream("/f", 100, 10);
	ck_assert_int_eq(vfs_fsync(f), -EIO);
	vfs_close(f);
	finish();
}
END_TEST

/* fsync writes its own file, not another dirty one. */
START_TEST(fsync_writes_only_its_file)
{
	struct file *f;
	struct inode *other;
	u32 other_block;

	sd = ext2m_root("ext2-4k");
	write_stream("/mine", 8192, 1);
	write_stream("/other", 8192, 2);
	ck_assert_int_eq(vfs_lookup("/other", 0, &other), 0);
	other_block = EXT2_I(other)->i_data[0];
	iput(other);
	f = open_ok("/mine", O_RDONLY);
	sd->nr_log = 0;
	ck_assert_int_eq(vfs_fsync(f), 0);
	ck_assert_uint_lt(dur_first_write(sd, EXT2_I(f->f_inode)->i_data[0], 0),
			  sd->nr_log);
	ck_assert_uint_eq(dur_first_write(sd, other_block, 0), sd->nr_log);
	vfs_close(f);
	finish();
}
END_TEST

/* A failed data write: each file open then hears of it once. */
START_TEST(data_error_reaches_each_file_once)
{
	struct file *f1, *f2, *f3;
	u32 block;

	sd = ext2m_root("ext2-1k");
	write_stream("/e", 8192, 5);
	ck_assert_int_eq(vfs_sync(), 0);
	f1 = open_ok("/e", O_RDWR);
	f2 = open_ok("/e", O_RDWR);
	block = EXT2_I(f1->f_inode)->i_data[0];
	sim_rq_disk_add_bad(sd, ext2m_sector(block), ext2m_sector(block + 1),
			    WRITE);
	ck_assert_int_eq(vfs_write(f1, "new bytes", 9), 9);
	ck_assert_int_eq(vfs_fsync(f1), -EIO);
	ck_assert_int_eq(vfs_fsync(f1), 0);
	ck_assert_int_eq(vfs_fsync(f2), -EIO);
	ck_assert_int_eq(vfs_fsync(f2), 0);
	f3 = open_ok("/e", O_RDONLY);
	ck_assert_int_eq(vfs_fsync(f3), 0);
	vfs_close(f1);
	vfs_close(f2);
	vfs_close(f3);
	finish();
}
END_TEST

/* ... also when the flusher met the error first, before any fsync. */
START_TEST(error_met_by_the_flusher_still_reported)
{
	struct file *f;
	u32 block;

	sd = ext2m_root("ext2-1k");
	write_stream("/e", 8192, 5);
	ck_assert_int_eq(vfs_sync(), 0);
	f = open_ok("/e", O_RDWR);
	block = EXT2_I(f->f_inode)->i_data[1];
	sim_rq_disk_add_bad(sd, ext2m_sector(block), ext2m_sector(block + 1),
			    WRITE);
	pwrite_ok(f, "x", 1, 1500);
	host_advance_clock((u64)dirty_expire_ms * NSEC_PER_MSEC + 1);
	flusher_run_once();
	while (host_run_pending())
		;
	ck_assert_int_eq(vfs_fsync(f), -EIO);
	ck_assert_int_eq(vfs_fsync(f), 0);
	vfs_close(f);
	finish();
}
END_TEST

/*
 * Integrity writeback (WB_SYNC_ALL) waits for a page already under
 * writeback and writes it again; background writeback (WB_SYNC_NONE)
 * skips it.
 */
START_TEST(page_under_writeback)
{
	struct writeback_control wbc = {
		.sync_mode = WB_SYNC_NONE,
		.nr_to_write = 16,
		.range_end = WB_RANGE_ALL,
	};
	struct address_space *mapping;
	struct page *page;
	struct file *f;
	u32 block;
	u8 byte;

	sd = ext2m_root("ext2-4k");
	write_stream("/w", 4096, 1);
	ck_assert_int_eq(vfs_sync(), 0);
	f = open_ok("/w", O_RDWR);
	mapping = f->f_mapping;
	block = EXT2_I(f->f_inode)->i_data[0];
	pwrite_ok(f, "A", 1, 0);
	sd->hold = true;
	sd->nr_log = 0;
	ck_assert_int_eq(filemap_fdatawrite(mapping), 0);
	ck_assert_uint_eq(dur_first_write(sd, block, 0), 0);
	pwrite_ok(f, "B", 1, 0); /* dirty again */
	ck_assert_int_eq(do_writepages(mapping, &wbc), 0);
	ck_assert_int_eq(wbc.pages_skipped, 1);
	ck_assert_uint_eq(dur_first_write(sd, block, 1), sd->nr_log);
	sd->hold = false;
	ck_assert_int_eq(filemap_write_and_wait(mapping), 0);
	ck_assert_uint_lt(dur_first_write(sd, block, 1), sd->nr_log);
	byte = sd->data[ext2m_sector(block) << SECTOR_SHIFT];
	ck_assert_uint_eq(byte, 'B');
	page = find_get_page(mapping, 0);
	ck_assert_ptr_nonnull(page);
	ck_assert(!PageDirty(page));
	put_page(page);
	vfs_close(f);
	finish();
}
END_TEST

/* A clean file: fsync writes none of its data again. */
START_TEST(clean_file_writes_no_data)
{
	struct file *f;

	sd = ext2m_root("ext2-4k");
	write_stream("/c", 8192, 4);
	ck_assert_int_eq(vfs_sync(), 0);
	f = open_ok("/c", O_RDONLY);
	sd->nr_log = 0;
	ck_assert_int_eq(vfs_fsync(f), 0);
	ck_assert_uint_eq(dur_first_write(sd, EXT2_I(f->f_inode)->i_data[0], 0),
			  sd->nr_log);
	vfs_close(f);
	finish();
}
END_TEST

static Suite *lab_fsync_suite(void)
{
	Suite *s = suite_create("lab_fsync");
	TCase *tc = tcase_create("graded");

	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, fsync_makes_the_file_durable);
	tcase_add_test(tc, fsync_writes_in_order);
	tcase_add_test(tc, fsync_makes_a_new_name_durable);
	tcase_add_test(tc, fsync_ends_with_a_flush);
	tcase_add_test(tc, fsync_writes_only_its_file);
	tcase_add_test(tc, data_error_reaches_each_file_once);
	tcase_add_test(tc, error_met_by_the_flusher_still_reported);
	tcase_add_test(tc, page_under_writeback);
	tcase_add_test(tc, clean_file_writes_no_data);
	suite_add_tcase(s, tc);
	ext2_img_dir(); /* build once, before Check forks */
	return s;
}

UNIT_SUITE(lab_fsync_suite)
