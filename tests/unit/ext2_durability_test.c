/*
 * Nothing lost (docs/durability.md), on the mke2fs images in the
 * simulated request disk: a metadata block that cannot be written keeps
 * its memory (no stale re-read), is logged once, turns the file system
 * read-only and fails every sync until it is written; an inode-table
 * error is retried, not forgotten; a data write error reaches each open
 * file's fsync once, whoever met it first; fsync and sync end with a
 * cache flush (a failed flush fails them) and write in order; fsync
 * makes a new file's name durable; the flusher writes inodes and
 * metadata of an idle system, not only data.
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
static char report[1 << 16];

static struct super_block *sb(void)
{
	return vfs_root_sb();
}

/* Every write touching file-system block nr fails from now on. */
static void fail_writes_to(u32 nr)
{
	sim_rq_disk_add_bad(sd, ext2m_sector(nr), ext2m_sector(nr + 1), WRITE);
}

static int write_stream(const char *path, u64 off, u64 len, u64 seed)
{
	static u8 buf[1 << 14];
	struct file *f = vfs_open(path, O_WRONLY | O_CREAT, 0644);
	u64 done = 0;

	if (IS_ERR(f))
		return (int)PTR_ERR(f);
	ck_assert_int_eq(vfs_lseek(f, (loff_t)off, SEEK_SET), (loff_t)off);
	while (done < len) {
		size_t n = len - done < sizeof(buf) ? (size_t)(len - done) :
						      sizeof(buf);

		stream_bytes(seed, done, buf, n);
		ck_assert_int_eq(vfs_write(f, buf, n), (ssize_t)n);
		done += n;
	}
	vfs_close(f);
	return 0;
}

/* The file reads back as len bytes of stream seed. */
static void check_stream(const char *path, u64 len, u64 seed)
{
	u8 *want = malloc(len + 1), *got = malloc(len + 1);
	struct file *f = vfs_open(path, O_RDONLY, 0);

	ck_assert(!IS_ERR(f));
	stream_bytes(seed, 0, want, len);
	ck_assert_int_eq(vfs_read(f, got, len + 1), (ssize_t)len);
	ck_assert(!memcmp(want, got, len));
	vfs_close(f);
	free(want);
	free(got);
}

static u32 group_of_ino(unsigned long ino)
{
	return (u32)((ino - 1) / EXT2_SB(sb())->s_es->s_inodes_per_group);
}

static struct buffer_head *cached_block(u32 nr)
{
	struct buffer_head *bh =
		__find_get_block(sd->disk->part0, nr, sb()->s_blocksize);

	ck_assert_ptr_nonnull(bh);
	return bh;
}

/* Memory stayed the truth: up to date, still dirty, the failure noted. */
static void check_kept(u32 nr)
{
	struct buffer_head *bh = cached_block(nr);

	ck_assert(buffer_uptodate(bh));
	ck_assert(buffer_dirty(bh));
	ck_assert(buffer_write_io_error(bh));
	put_bh(bh);
}

static unsigned int count_in_log(const char *what)
{
	const char *p = host_printk_log();
	unsigned int n = 0;

	while ((p = strstr(p, what))) {
		n++;
		p += strlen(what);
	}
	return n;
}

/* One log line for the failure, read-only since, and sync keeps failing. */
static void check_failure_handled(u32 nr)
{
	char line[96];

	snprintf(line, sizeof(line), "ext2: vda: write error on block %u,", nr);
	ck_assert_msg(count_in_log(line) == 1, "want one '%s' in:\n%s", line,
		      host_printk_log());
	ck_assert_uint_eq(count_in_log("write error on"), 1);
	ck_assert(sb_rdonly(sb()));
	ck_assert_int_eq(vfs_sync(), -EIO);
	ck_assert_int_eq(vfs_sync(), -EIO);
	ck_assert_uint_eq(count_in_log("write error on"), 1);
	ck_assert_int_eq(write_stream("/new", 0, 100, 1), -EROFS);
	ck_assert_int_eq(vfs_mkdir("/newdir", 0755), -EROFS);
	ck_assert_int_eq(vfs_unlink("/MANIFEST.sha256"), -EROFS);
}

/* No read of block nr reached the disk since the log was cleared. */
static void check_not_reread(u32 nr)
{
	for (unsigned int i = 0; i < sd->nr_log; i++)
		ck_assert_msg(
			!((sd->log[i].cmd_flags & RW_MASK) == READ &&
			  sd->log[i].sector <= ext2m_sector(nr) &&
			  ext2m_sector(nr) <
				  sd->log[i].sector + (sd->log[i].data_len >>
						       SECTOR_SHIFT)),
			"block %u read again from the disk", nr);
}

/* Once the disk takes writes again, sync succeeds and the disk has it. */
static void check_recovers(u32 nr)
{
	struct buffer_head *bh = cached_block(nr);

	sd->nr_bad = 0;
	ck_assert_int_eq(vfs_sync(), 0);
	ck_assert(!buffer_dirty(bh));
	ck_assert(!memcmp(sd->data + (ext2m_sector(nr) << SECTOR_SHIFT),
			  bh->b_data, sb()->s_blocksize));
	put_bh(bh);
}

static void finish(void)
{
	ck_assert_int_eq(vfs_umount_root(), 0);
	while (host_run_pending())
		;
	sim_rq_disk_destroy(sd);
}

/*
 * A block bitmap that cannot be written: before, its buffer lost
 * BH_Uptodate and the next allocation re-read the stale bitmap, handing
 * /a's blocks to the next file too.
 */
START_TEST(block_bitmap_write_error)
{
	u32 bitmap;

	sd = ext2m_root("ext2-1k");
	bitmap = ext2_get_group_desc(sb(), 0)->bg_block_bitmap;
	fail_writes_to(bitmap);
	ck_assert_int_eq(write_stream("/a", 0, 5000, 1), 0);
	sd->nr_log = 0;
	ck_assert_int_eq(vfs_sync(), -EIO);
	check_kept(bitmap);
	check_failure_handled(bitmap);
	check_stream("/a", 5000, 1);
	check_not_reread(bitmap);
	check_recovers(bitmap);
	finish();
}
END_TEST

/* The same for the inode bitmap: before, /b got /a's inode number. */
START_TEST(inode_bitmap_write_error)
{
	u32 bitmap;

	sd = ext2m_root("ext2-1k");
	bitmap = ext2_get_group_desc(sb(), 0)->bg_inode_bitmap;
	fail_writes_to(bitmap);
	ck_assert_int_eq(write_stream("/a", 0, 10, 2), 0);
	ck_assert_uint_eq(group_of_ino(ext2m_ino("/a")), 0);
	sd->nr_log = 0;
	ck_assert_int_eq(vfs_sync(), -EIO);
	check_kept(bitmap);
	check_failure_handled(bitmap);
	check_not_reread(bitmap);
	check_stream("/a", 10, 2);
	check_recovers(bitmap);
	finish();
}
END_TEST

/* A directory block: before, the name just created vanished from ls. */
START_TEST(directory_block_write_error)
{
	struct kstat st;
	u32 block;

	sd = ext2m_root("ext2-1k");
	ck_assert_int_eq(vfs_mkdir("/d", 0755), 0);
	ck_assert_int_eq(vfs_sync(), 0);
	block = ext2m_dir_block0("/d");
	fail_writes_to(block);
	ck_assert_int_eq(write_stream("/d/x", 0, 3000, 3), 0);
	sd->nr_log = 0;
	ck_assert_int_eq(vfs_sync(), -EIO);
	check_kept(block);
	check_failure_handled(block);
	ck_assert_int_eq(vfs_stat("/d/x", &st), 0);
	check_stream("/d/x", 3000, 3);
	check_not_reread(block);
	check_recovers(block);
	finish();
}
END_TEST

/*
 * An inode-table block: before, the inode was marked clean and its
 * buffer lost, so the disk kept the stale record even after the device
 * recovered and the file system was synced or unmounted.
 */
START_TEST(inode_table_write_error)
{
	const struct ext2_inode *raw;
	struct ext2_sb_info *sbi;
	unsigned long ino;
	u32 block;

	sd = ext2m_root("ext2-1k");
	ck_assert_int_eq(write_stream("/f", 0, 7000, 4), 0);
	ino = ext2m_ino("/f");
	block = ext2m_itable_block(ino);
	fail_writes_to(block);
	sd->nr_log = 0;
	ck_assert_int_eq(vfs_sync(), -EIO);
	check_kept(block);
	check_failure_handled(block);
	check_recovers(block);
	sbi = EXT2_SB(sb());
	raw = (const struct ext2_inode *)(sd->data +
					  (ext2m_sector(block)
					   << SECTOR_SHIFT) +
					  ((ino - 1) %
					   sbi->s_geo.inodes_per_block) *
						  sbi->s_geo.inode_size);
	ck_assert_uint_eq(raw->i_size, 7000);
	ck_assert_uint_eq(raw->i_links_count, 1);
	finish();
}
END_TEST

/*
 * A data write error reaches every open file's fsync once, also when
 * the flusher met it first (before: the first fsync consumed AS_EIO and
 * the second file heard nothing); a file opened after it was seen does
 * not hear of it; sync reports it once, on its own account.
 */
START_TEST(data_error_reaches_each_file_once)
{
	struct file *f1, *f2, *f3;
	struct inode *inode;
	u32 block;

	sd = ext2m_root("ext2-1k");
	ck_assert_int_eq(write_stream("/e", 0, 8192, 5), 0);
	ck_assert_int_eq(vfs_sync(), 0);
	f1 = vfs_open("/e", O_RDWR, 0);
	f2 = vfs_open("/e", O_RDWR, 0);
	ck_assert(!IS_ERR(f1) && !IS_ERR(f2));
	inode = f1->f_inode;
	block = EXT2_I(inode)->i_data[0];
	fail_writes_to(block);
	ck_assert_int_eq(vfs_write(f1, "new bytes", 9), 9);
	host_advance_clock((u64)dirty_expire_ms * NSEC_PER_MSEC + 1);
	flusher_run_once();
	while (host_run_pending())
		;
	ck_assert_int_eq(vfs_fsync(f1), -EIO);
	ck_assert_int_eq(vfs_fsync(f1), 0);
	ck_assert_int_eq(vfs_fsync(f2), -EIO);
	ck_assert_int_eq(vfs_fsync(f2), 0);
	f3 = vfs_open("/e", O_RDONLY, 0);
	ck_assert_int_eq(vfs_fsync(f3), 0);
	ck_assert_int_eq(vfs_sync(), -EIO);
	ck_assert_int_eq(vfs_sync(), 0);
	/* Data errors do not stop the file system. */
	ck_assert(!sb_rdonly(sb()));
	vfs_close(f1);
	vfs_close(f2);
	vfs_close(f3);
	sd->nr_bad = 0;
	finish();
}
END_TEST

/* What one logged request was. */
enum req_kind { RQ_READ, RQ_FLUSH, RQ_DATA, RQ_ALLOC, RQ_ITABLE, RQ_DIR };

static bool block_in(u64 block, u64 first, u64 count)
{
	return block >= first && block < first + count;
}

struct fsync_layout {
	u32 data_first, data_count; /* /d/f's data blocks */
	u32 itable_f, itable_d, itable_root; /* inode-table blocks */
	u32 dir_d, dir_root; /* directory blocks */
	u32 indirect; /* /d/f's indirect block */
};

static enum req_kind kind_of(const struct fsync_layout *l, unsigned int i)
{
	const struct sim_rq_log *r = &sd->log[i];
	u64 block = r->sector >> (sb()->s_blocksize_bits - SECTOR_SHIFT);

	if ((r->cmd_flags & RW_MASK) == READ)
		return RQ_READ;
	if (r->cmd_flags & REQ_FLUSH)
		return RQ_FLUSH;
	if (block_in(block, l->data_first, l->data_count))
		return RQ_DATA;
	if (block == l->indirect)
		return RQ_ALLOC;
	if (block == l->itable_f || block == l->itable_d ||
	    block == l->itable_root)
		return RQ_ITABLE;
	if (block == l->dir_d || block == l->dir_root)
		return RQ_DIR;
	return RQ_ALLOC;
}

/*
 * fsync of a new file in a new directory: its data, then the
 * allocation metadata, its inode, the new directory's block (the
 * file's name), that directory's inode, the root's block (the
 * directory's name), each step flushed before the next, a flush last;
 * and after a power cut right then (the disk as it is, with every
 * other change of the session unwritten) e2fsck -fy leaves the file at
 * its path, whole. Before: nothing past the file's own inode was
 * written, and no flush was sent; the file ended in lost+found.
 */
START_TEST(fsync_orders_and_makes_the_name_durable)
{
	struct fsync_layout l;
	unsigned int data, ind, itable_f, dir_d, itable_d, dir_root;
	struct file *f;
	struct inode *inode;
	const char *img;

	sd = ext2m_root("ext2-1k");
	ck_assert_int_eq(vfs_mkdir("/d", 0755), 0);
	ck_assert_int_eq(write_stream("/d/f", 0, 20000, 6), 0);
	ck_assert_int_eq(vfs_mkdir("/other", 0755), 0);
	ck_assert_int_eq(write_stream("/other/g", 0, 3000, 7), 0);
	f = vfs_open("/d/f", O_RDONLY, 0);
	ck_assert(!IS_ERR(f));
	inode = f->f_inode;
	sd->nr_log = 0;
	ck_assert_int_eq(vfs_fsync(f), 0);
	while (host_run_pending())
		;
	l.data_first = EXT2_I(inode)->i_data[0];
	l.data_count = 12;
	l.itable_f = ext2m_itable_block(inode->i_ino);
	l.itable_d = ext2m_itable_block(ext2m_ino("/d"));
	l.itable_root = ext2m_itable_block(EXT2_ROOT_INO);
	l.dir_d = ext2m_dir_block0("/d");
	l.dir_root = ext2m_dir_block0("/");
	l.indirect = EXT2_I(inode)->i_data[EXT2_IND_BLOCK];
	vfs_close(f);
	for (unsigned int i = 0; i < sd->nr_log; i++)
		ck_assert_int_ne(kind_of(&l, i), RQ_READ);
	data = dur_first_write(sd, l.data_first, 0);
	ind = dur_first_write(sd, l.indirect, 0);
	itable_f = dur_first_write(sd, l.itable_f, 0);
	dir_d = dur_first_write(sd, l.dir_d, 0);
	itable_d = dur_first_write(sd, l.itable_d, dir_d);
	dir_root = dur_first_write(sd, l.dir_root, 0);
	ck_assert_uint_lt(dir_root, sd->nr_log);
	ck_assert(data < ind && ind < itable_f && itable_f < dir_d &&
		  dir_d < itable_d && itable_d < dir_root);
	ck_assert(dur_flush_between(sd, data, ind));
	ck_assert(dur_flush_between(sd, ind, itable_f));
	ck_assert(dur_flush_between(sd, itable_f, dir_d));
	ck_assert(dur_flush_between(sd, dir_d, itable_d));
	ck_assert(dur_flush_between(sd, itable_d, dir_root));
	ck_assert(sd->log[sd->nr_log - 1].cmd_flags & REQ_FLUSH);
	/* /other was not fsynced: none of its blocks went. */
	ck_assert_uint_eq(dur_first_write(sd, ext2m_dir_block0("/other"), 0),
			  sd->nr_log);
	/* The power cut: the disk as it is now. */
	img = dur_power_cut(sd);
	dur_expect_stream(img, "/d/f", 20000, 6);
	unlink(img);
	finish();
}
END_TEST

/*
 * The inode of a new file leaves the cache before its fsync: what it
 * knew about its new name goes with it, so eviction writes the cached
 * directories holding the name, and the fsync of the inode read back
 * from the disk still leaves the file at its path after a power cut.
 */
START_TEST(evicted_new_file_keeps_its_name)
{
	struct file *f;
	const char *img;

	sd = ext2m_root("ext2-4k");
	ck_assert_int_eq(vfs_mkdir("/d", 0755), 0);
	ck_assert_int_eq(vfs_mkdir("/d/e", 0755), 0);
	ck_assert_int_eq(write_stream("/d/e/f", 0, 9000, 18), 0);
	evict_unused_inodes(sb());
	f = vfs_open("/d/e/f", O_RDONLY, 0);
	ck_assert(!IS_ERR(f));
	ck_assert_int_eq(vfs_fsync(f), 0);
	vfs_close(f);
	while (host_run_pending())
		;
	img = dur_power_cut(sd);
	dur_expect_stream(img, "/d/e/f", 9000, 18);
	unlink(img);
	finish();
}
END_TEST

/* What sync wrote at log entry i: a step of docs/durability.md. */
enum sync_step { STEP_DATA, STEP_ALLOC, STEP_ITABLE, STEP_DIR };

static enum sync_step step_of(unsigned int i, const u32 *dirs,
			      unsigned int nr_dirs, u32 indirect)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb());
	u64 block = sd->log[i].sector >>
		    (sb()->s_blocksize_bits - SECTOR_SHIFT);

	for (unsigned int d = 0; d < nr_dirs; d++)
		if (block == dirs[d])
			return STEP_DIR;
	if (block == indirect ||
	    block <= sbi->s_es->s_first_data_block + sbi->s_geo.desc_blocks)
		return STEP_ALLOC;
	for (u32 g = 0; g < sbi->s_geo.groups_count; g++) {
		struct ext2_group_desc *gd = ext2_get_group_desc(sb(), g);

		if (block == gd->bg_block_bitmap ||
		    block == gd->bg_inode_bitmap)
			return STEP_ALLOC;
		if (block_in(block, gd->bg_inode_table,
			     sbi->s_geo.itb_per_group))
			return STEP_ITABLE;
	}
	return STEP_DATA;
}

/*
 * sync writes in steps: data, then bitmaps/descriptors/superblock and
 * indirect blocks, then inode tables, then directory blocks, a flush
 * between each two and one at the end. Before: the device cache in
 * block order, no flush.
 */
START_TEST(sync_writes_in_steps)
{
	enum sync_step last = STEP_DATA;
	struct inode *inode;
	bool flushed = false;
	u32 dirs[2], indirect;

	sd = ext2m_root("ext2-1k");
	ck_assert_int_eq(vfs_mkdir("/d", 0755), 0);
	ck_assert_int_eq(write_stream("/d/f", 0, 30000, 16), 0);
	ck_assert_int_eq(write_stream("/g", 0, 3000, 17), 0);
	dirs[0] = ext2m_dir_block0("/");
	dirs[1] = ext2m_dir_block0("/d");
	ck_assert_int_eq(vfs_lookup("/d/f", 0, &inode), 0);
	indirect = EXT2_I(inode)->i_data[EXT2_IND_BLOCK];
	iput(inode);
	ck_assert_uint_ne(indirect, 0);
	sd->nr_log = 0;
	ck_assert_int_eq(vfs_sync(), 0);
	ck_assert_uint_gt(sd->nr_log, 4);
	for (unsigned int i = 0; i < sd->nr_log; i++) {
		enum sync_step step;

		if (sd->log[i].cmd_flags & REQ_FLUSH) {
			flushed = true;
			continue;
		}
		ck_assert((sd->log[i].cmd_flags & RW_MASK) == WRITE);
		step = step_of(i, dirs, 2, indirect);
		ck_assert_msg(step >= last, "request %u: step %d after step %d",
			      i, step, last);
		ck_assert_msg(step == last || flushed,
			      "request %u: step %d without a flush after %d", i,
			      step, last);
		if (step != last)
			flushed = false;
		last = step;
	}
	ck_assert_int_eq(last, STEP_DIR);
	ck_assert(sd->log[sd->nr_log - 1].cmd_flags & REQ_FLUSH);
	finish();
}
END_TEST

/* Flushes: fsync and sync end with one; a failed one fails them. */
START_TEST(flush_ends_fsync_and_sync)
{
	struct file *f;

	sd = ext2m_root("ext2-4k");
	ck_assert_int_eq(write_stream("/f", 0, 5000, 8), 0);
	f = vfs_open("/f", O_RDONLY, 0);
	sd->nr_log = 0;
	ck_assert_int_eq(vfs_fsync(f), 0);
	ck_assert_uint_gt(sd->nr_log, 0);
	ck_assert(sd->log[sd->nr_log - 1].cmd_flags & REQ_FLUSH);
	ck_assert_int_eq(write_stream("/g", 0, 5000, 9), 0);
	sd->nr_log = 0;
	ck_assert_int_eq(vfs_sync(), 0);
	ck_assert(sd->log[sd->nr_log - 1].cmd_flags & REQ_FLUSH);
	/* Only the superblock (its write time) changed: it, then a flush. */
	sd->nr_log = 0;
	ck_assert_int_eq(vfs_sync(), 0);
	ck_assert_uint_eq(sd->nr_log, 2);
	ck_assert_uint_eq(dur_first_write(sd, 0, 0), 0);
	ck_assert(sd->log[1].cmd_flags & REQ_FLUSH);
	/* A flush with nothing written since the last one is not sent. */
	ck_assert_int_eq(blkdev_issue_flush(sd->disk->part0), 0);
	ck_assert_uint_eq(sd->nr_log, 2);
	/* The device fails its flushes: fsync and sync say so. */
	sd->fail_flush = true;
	ck_assert_int_eq(write_stream("/f", 0, 100, 10), 0);
	ck_assert_int_eq(vfs_fsync(f), -EIO);
	ck_assert_int_eq(write_stream("/g", 0, 100, 11), 0);
	ck_assert_int_eq(vfs_sync(), -EIO);
	ck_assert_int_eq(vfs_sync(), -EIO);
	sd->fail_flush = false;
	ck_assert_int_eq(vfs_sync(), 0);
	/* No volatile cache: no flush goes to the device at all. */
	blk_queue_write_cache(sd->q, false);
	ck_assert_int_eq(write_stream("/f", 0, 100, 12), 0);
	sd->nr_flushes = 0;
	ck_assert_int_eq(vfs_fsync(f), 0);
	ck_assert_int_eq(vfs_sync(), 0);
	ck_assert_uint_eq(sd->nr_flushes, 0);
	vfs_close(f);
	finish();
}
END_TEST

/*
 * The flusher on an idle system writes inodes, bitmaps, descriptors and
 * directory blocks too: after one expire interval the disk alone (no
 * unmount) passes e2fsck -fn and holds the files. Before: data only,
 * and e2fsck found entries naming unused inodes.
 */
START_TEST(flusher_writes_metadata)
{
	const char *img;
	u8 *got, *want;
	uint64_t size;
	char cmd[256];
	int st;

	sd = ext2m_root("ext2-4k");
	ck_assert_int_eq(write_stream("/p", 0, 4096, 13), 0);
	ck_assert_int_eq(vfs_mkdir("/q", 0755), 0);
	ck_assert_int_eq(write_stream("/q/r", 0, 50000, 14), 0);
	host_advance_clock((u64)dirty_expire_ms * NSEC_PER_MSEC + 1);
	flusher_run_once();
	while (host_run_pending())
		;
	ck_assert_uint_eq(nr_dirty_inodes(sb()), 0);
	ck_assert_uint_eq(nr_dirty_buffers(sd->disk->part0, NULL, NULL), 0);
	img = ext2_img_save(sd->data, (u64)sd->nr_sectors << SECTOR_SHIFT);
	snprintf(cmd, sizeof(cmd), "e2fsck -fn '%s'", img);
	st = ext2_img_run(cmd, report, sizeof(report));
	ck_assert_msg(st == 0, "e2fsck -fn: %d\n%s", st, report);
	got = ext2_img_dump(img, "/q/r", &size);
	ck_assert_ptr_nonnull(got);
	ck_assert_uint_eq(size, 50000);
	want = malloc(size);
	stream_bytes(14, 0, want, size);
	ck_assert(!memcmp(got, want, size));
	free(got);
	free(want);
	unlink(img);
	finish();
}
END_TEST

/*
 * Unmount and the flusher (Linux's s_umount): the flusher holds the super
 * block shared while it writes, with an inode pinned; unmount must wait
 * for it to let go, not see the pinned inode and fail with EBUSY (the
 * poller below plays the flusher finishing while unmount sleeps). While
 * the unmount runs, background writeback leaves the super block alone.
 */
static struct inode *flusher_pin;

static bool flusher_lets_go(void)
{
	if (!flusher_pin)
		return false;
	ck_assert(READ_ONCE(sb()->s_umounting));
	/* Nothing background may start on it now. */
	ck_assert(!trylock_super(sb()));
	iput(flusher_pin);
	flusher_pin = NULL;
	super_unlock_shared(sb());
	return true;
}

START_TEST(unmount_waits_for_the_flusher)
{
	struct inode *inode;

	sd = ext2m_root("ext2-4k");
	ck_assert_int_eq(write_stream("/w", 0, 8192, 21), 0);
	ck_assert_int_eq(vfs_lookup("/w", 0, &inode), 0);
	ck_assert(trylock_super(sb()));
	flusher_pin = inode;
	host_register_poller(flusher_lets_go);
	ck_assert_int_eq(vfs_umount_root(), 0);
	host_unregister_poller(flusher_lets_go);
	ck_assert_ptr_null(flusher_pin);
	while (host_run_pending())
		;
	sim_rq_disk_destroy(sd);
}
END_TEST

/* A refused unmount (a file open) gives the super block back to writeback. */
START_TEST(refused_unmount_lets_writeback_go_on)
{
	struct file *f;

	sd = ext2m_root("ext2-4k");
	ck_assert_int_eq(write_stream("/w", 0, 8192, 22), 0);
	f = vfs_open("/w", O_RDONLY, 0);
	ck_assert(!IS_ERR(f));
	ck_assert_int_eq(vfs_umount_root(), -EBUSY);
	ck_assert(trylock_super(sb()));
	super_unlock_shared(sb());
	host_advance_clock((u64)dirty_expire_ms * NSEC_PER_MSEC + 1);
	flusher_run_once();
	while (host_run_pending())
		;
	ck_assert_uint_eq(nr_dirty_inodes(sb()), 0);
	ck_assert_int_eq(vfs_close(f), 0);
	finish();
}
END_TEST

/*
 * Background writeback leaves a metadata block that failed alone (sync
 * retries it): no stream of failing writes every flusher period.
 */
START_TEST(flusher_does_not_hammer_a_failed_block)
{
	u32 bitmap;

	sd = ext2m_root("ext2-1k");
	bitmap = ext2_get_group_desc(sb(), 0)->bg_block_bitmap;
	fail_writes_to(bitmap);
	ck_assert_int_eq(write_stream("/a", 0, 5000, 15), 0);
	host_advance_clock((u64)dirty_expire_ms * NSEC_PER_MSEC + 1);
	flusher_run_once();
	while (host_run_pending())
		;
	ck_assert(sb_rdonly(sb()));
	check_kept(bitmap);
	sd->nr_log = 0;
	for (int i = 0; i < 3; i++) {
		host_advance_clock((u64)dirty_expire_ms * NSEC_PER_MSEC + 1);
		flusher_run_once();
		while (host_run_pending())
			;
	}
	ck_assert_uint_eq(dur_first_write(sd, bitmap, 0), sd->nr_log);
	check_kept(bitmap);
	ck_assert_int_eq(vfs_sync(), -EIO);
	ck_assert_uint_lt(dur_first_write(sd, bitmap, 0), sd->nr_log);
	sd->nr_bad = 0;
	finish();
}
END_TEST

static Suite *ext2_durability_suite(void)
{
	Suite *s = suite_create("ext2_durability");
	TCase *tc = tcase_create("core");

	ext2_img_dir(); /* build once, before Check forks */
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, block_bitmap_write_error);
	tcase_add_test(tc, inode_bitmap_write_error);
	tcase_add_test(tc, directory_block_write_error);
	tcase_add_test(tc, inode_table_write_error);
	tcase_add_test(tc, data_error_reaches_each_file_once);
	tcase_add_test(tc, fsync_orders_and_makes_the_name_durable);
	tcase_add_test(tc, evicted_new_file_keeps_its_name);
	tcase_add_test(tc, sync_writes_in_steps);
	tcase_add_test(tc, flush_ends_fsync_and_sync);
	tcase_add_test(tc, flusher_writes_metadata);
	tcase_add_test(tc, flusher_does_not_hammer_a_failed_block);
	tcase_add_test(tc, unmount_waits_for_the_flusher);
	tcase_add_test(tc, refused_unmount_lets_writeback_go_on);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_SUITE(ext2_durability_suite)
