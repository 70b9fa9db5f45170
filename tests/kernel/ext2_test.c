/*
 * ext2 on the real disk, through the VFS: a file written, synced, read
 * back cold (its inode evicted, the device cache dropped), truncated and
 * removed, a directory made and removed, and afterwards the free block
 * and inode counts exactly as they were. Skipped without a read-write
 * ext2 root. Everything it makes lives under /.ktest-ext2 and is gone
 * when it ends, so the disk still passes e2fsck and the image's list.
 */
#include "blkdev.h"
#include "errno.h"
#include "fs/ext2/ext2.h"
#include "kunit.h"
#include "pagemap.h"
#include "random.h"
#include "slab.h"
#include "string.h"
#include "vfs.h"

#define DIR_PATH "/.ktest-ext2"
#define FILE_PATH DIR_PATH "/f"
#define FILE_LEN (300 * 1024 + 123)
#define SEED 0x6b74657374ULL
#define CHUNK 8192

static struct super_block *ext2_root(struct kunit *test)
{
	struct super_block *sb = vfs_root_sb();

	if (!sb || !sb->s_type || strcmp(sb->s_type, "ext2") || sb_rdonly(sb)) {
		kunit_skip(test, "no read-write ext2 root");
		return NULL;
	}
	return sb;
}

static int write_file(u8 *buf)
{
	struct file *f =
		vfs_open(FILE_PATH, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	u64 done = 0;
	int err;

	if (IS_ERR(f))
		return (int)PTR_ERR(f);
	while (done < FILE_LEN) {
		size_t n = min_t(u64, CHUNK, FILE_LEN - done);
		ssize_t w;

		stream_bytes(SEED, done, buf, n);
		w = vfs_write(f, buf, n);
		if (w != (ssize_t)n) {
			vfs_close(f);
			return w < 0 ? (int)w : -EIO;
		}
		done += n;
	}
	err = vfs_fsync(f);
	vfs_close(f);
	return err;
}

/* 0 if the file holds the stream up to len, else where it differs + 1. */
static long check_file(u8 *buf, u8 *want, u64 len)
{
	struct file *f = vfs_open(FILE_PATH, O_RDONLY, 0);
	u64 pos = 0;
	ssize_t n;
	long bad = 0;

	if (IS_ERR(f))
		return -1;
	while (!bad && (n = vfs_read(f, buf, CHUNK)) > 0) {
		stream_bytes(SEED, pos, want, (size_t)n);
		if (memcmp(buf, want, (size_t)n))
			bad = (long)pos + 1;
		pos += (u64)n;
	}
	if (!bad && pos != len)
		bad = (long)pos + 1;
	vfs_close(f);
	return bad;
}

static void drop_cold(struct super_block *sb)
{
	evict_unused_inodes(sb);
	invalidate_mapping_pages(sb->s_bdev->bd_inode->i_mapping, 0, ~0UL);
}

static void ext2_write_read_remove_test(struct kunit *test)
{
	struct super_block *sb = ext2_root(test);
	struct ext2_super_block *es;
	u32 free_blocks, free_inodes;
	struct kstat st;
	u8 *buf, *want;

	if (!sb)
		return;
	es = EXT2_SB(sb)->s_es;
	buf = kmalloc(CHUNK, GFP_KERNEL);
	want = kmalloc(CHUNK, GFP_KERNEL);
	KUNIT_ASSERT_TRUE(test, buf && want);
	vfs_unlink(FILE_PATH); /* leftovers of an interrupted run */
	vfs_rmdir(DIR_PATH);
	free_blocks = es->s_free_blocks_count;
	free_inodes = es->s_free_inodes_count;

	KUNIT_EXPECT_EQ(test, vfs_mkdir(DIR_PATH, 0755), 0);
	KUNIT_EXPECT_EQ(test, write_file(buf), 0);
	drop_cold(sb);
	KUNIT_EXPECT_EQ(test, check_file(buf, want, FILE_LEN), 0);
	KUNIT_EXPECT_EQ(test, vfs_stat(FILE_PATH, &st), 0);
	KUNIT_EXPECT_TRUE(test, st.blocks >= (FILE_LEN + 511) / 512);
	KUNIT_EXPECT_EQ(test, vfs_truncate(FILE_PATH, 5000), 0);
	drop_cold(sb);
	KUNIT_EXPECT_EQ(test, check_file(buf, want, 5000), 0);
	KUNIT_EXPECT_EQ(test, vfs_rmdir(DIR_PATH), -ENOTEMPTY);
	KUNIT_EXPECT_EQ(test, vfs_unlink(FILE_PATH), 0);
	KUNIT_EXPECT_EQ(test, vfs_rmdir(DIR_PATH), 0);
	/* Every block and inode it took is free again, and counted so. */
	KUNIT_EXPECT_EQ(test, es->s_free_blocks_count, free_blocks);
	KUNIT_EXPECT_EQ(test, es->s_free_inodes_count, free_inodes);
	KUNIT_EXPECT_EQ(test, vfs_sync(), 0);
	kfree(buf);
	kfree(want);
}
KUNIT_CASE(ext2_write_read_remove_test, "ext2.write_read_remove");
