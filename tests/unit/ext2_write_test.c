/*
 * ext2's write side through the VFS, on the mke2fs images loaded into
 * the simulated request disk. Each workload ends in an unmount; the disk
 * is then written to a temporary file and must pass `e2fsck -fn` (which
 * checks bitmaps against the trees, every free count in the superblock
 * and the group descriptors, link counts, "..", i_blocks and i_size),
 * and each file written is dumped by `debugfs` and compared with a model
 * of what the test wrote: splitmix64 streams (include/random.h), as the
 * shell's `write PATH OFF LEN SEED` writes them, and zeroes in holes.
 */
#include "unit.h" /* first: it tames glibc's blkcnt_t */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "blkdev.h"
#include "buffer_head.h"
#include "errno.h"
#include "fs/ext2/ext2.h"
#include "fixtures/ext2_img.h"
#include "fixtures/ext2_mount.h"
#include "mpage.h"
#include "pagemap.h"
#include "fixtures/platform.h"
#include "random.h"
#include "fixtures/sim_rq_disk.h"
#include "vfs.h"

static struct sim_rq_disk *sd;
static char report[1 << 16];

static const char *const rw_images[] = { "ext2-1k", "ext2-2k", "ext2-4k",
					 "ext2-4k-i128", "ext2-r0" };

/* A fresh, empty file system of block size bs made by mke2fs. */
static struct sim_rq_disk *mount_fresh(unsigned int bs)
{
	char options[64];

	snprintf(options, sizeof(options), "-b %u -I 256", bs);
	return ext2m_fresh(options, "16M");
}

static void remount(void)
{
	ck_assert_int_eq(vfs_umount_root(), 0);
	ck_assert_int_eq(vfs_mount_root(sd->disk->part0, "ext2"), 0);
}

static const struct ext2_super_block *disk_super(void)
{
	return (const struct ext2_super_block *)(sd->data + EXT2_SUPER_OFFSET);
}

/* Unmount and check the disk with e2fsck; leaves its image in a file. */
static const char *unmount_and_fsck(void)
{
	const char *path;
	int st;

	ck_assert_int_eq(vfs_umount_root(), 0);
	while (host_run_pending())
		;
	ck_assert(disk_super()->s_state & EXT2_VALID_FS);
	path = ext2_img_save(sd->data, (u64)sd->nr_sectors << SECTOR_SHIFT);
	{
		char cmd[128];

		snprintf(cmd, sizeof(cmd), "e2fsck -fn '%s'", path);
		st = ext2_img_run(cmd, report, sizeof(report));
	}
	ck_assert_msg(st == 0, "e2fsck exit %d:\n%.3000s\nkernel log:\n%.2000s",
		      st, report, host_printk_log());
	return path;
}

/* A check in the middle of a workload: e2fsck, then mounted again. */
static void fsck_and_remount(void)
{
	unlink(unmount_and_fsck());
	ck_assert_int_eq(vfs_mount_root(sd->disk->part0, "ext2"), 0);
}

static void finish(const char *img)
{
	unlink(img);
	sim_rq_disk_destroy(sd);
}

/* ---- a model of each file: what the test wrote ---- */

#define MODEL_MAX (80u << 20)

struct model {
	const char *path;
	u8 *data;
	u64 size;
};

/* Zeroes, given pages only where the test writes. */
static void model_init(struct model *m, const char *path)
{
	m->path = path;
	m->data = mmap(NULL, MODEL_MAX, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ck_assert(m->data != MAP_FAILED);
	m->size = 0;
}

static void model_free(struct model *m)
{
	munmap(m->data, MODEL_MAX);
}

static void model_write(struct model *m, u64 off, u64 len, u64 seed)
{
	ck_assert_uint_le(off + len, MODEL_MAX);
	stream_bytes(seed, 0, m->data + off, len);
	if (off + len > m->size)
		m->size = off + len;
}

static void model_truncate(struct model *m, u64 size)
{
	ck_assert_uint_le(size, MODEL_MAX);
	if (size < m->size)
		memset(m->data + size, 0, m->size - size);
	m->size = size;
}

/* `write PATH OFF LEN SEED` through vfs_write in 40000-byte chunks. */
static ssize_t write_stream(const char *path, u64 off, u64 len, u64 seed,
			    unsigned int flags)
{
	enum { CHUNK = 40000 };
	static u8 buf[CHUNK];
	struct file *f = vfs_open(path, O_WRONLY | O_CREAT | flags, 0644);
	u64 done = 0;
	ssize_t n = 0;

	ck_assert_msg(!IS_ERR(f), "open %s: %ld", path, PTR_ERR(f));
	if (!(flags & O_APPEND))
		ck_assert_int_eq(vfs_lseek(f, (loff_t)off, SEEK_SET),
				 (loff_t)off);
	while (done < len) {
		size_t c = len - done < CHUNK ? (size_t)(len - done) : CHUNK;

		stream_bytes(seed, done, buf, c);
		n = vfs_write(f, buf, c);
		if (n <= 0)
			break;
		done += (u64)n;
	}
	ck_assert_int_eq(vfs_close(f), 0);
	return n < 0 ? n : (ssize_t)done;
}

static void write_ok(struct model *m, u64 off, u64 len, u64 seed)
{
	ck_assert_int_eq(write_stream(m->path, off, len, seed, 0),
			 (ssize_t)len);
	model_write(m, off, len, seed);
}

static void truncate_ok(struct model *m, u64 size)
{
	ck_assert_int_eq(vfs_truncate(m->path, (loff_t)size), 0);
	model_truncate(m, size);
}

/* The file read back through the VFS equals the model. */
static void check_read(const struct model *m)
{
	enum { CHUNK = 1 << 16 };
	static u8 buf[CHUNK];
	struct file *f = vfs_open(m->path, O_RDONLY, 0);
	u64 pos = 0;
	ssize_t n;

	ck_assert_msg(!IS_ERR(f), "open %s: %ld", m->path, PTR_ERR(f));
	ck_assert_int_eq(i_size_read(f->f_inode), (loff_t)m->size);
	while ((n = vfs_read(f, buf, CHUNK)) > 0) {
		ck_assert_msg(!memcmp(buf, m->data + pos, (size_t)n),
			      "%s: differs in [%llu, +%zd)", m->path,
			      (unsigned long long)pos, n);
		pos += (u64)n;
	}
	ck_assert_int_eq(n, 0);
	ck_assert_uint_eq(pos, m->size);
	vfs_close(f);
}

/* debugfs's dump of the file from the unmounted image equals the model. */
static void check_dump(const char *img, const struct model *m)
{
	uint64_t size;
	u8 *d = ext2_img_dump(img, m->path, &size);

	ck_assert_msg(d != NULL, "debugfs dump %s failed", m->path);
	ck_assert_msg(size == m->size, "%s: dumped %llu bytes, want %llu",
		      m->path, (unsigned long long)size,
		      (unsigned long long)m->size);
	ck_assert_msg(!memcmp(d, m->data, size), "%s: dump differs", m->path);
	free(d);
}

static void stat_ok(const char *path, struct kstat *st)
{
	ck_assert_int_eq(vfs_stat(path, st), 0);
}

/* ---- workloads ---- */

/* Create, overwrite inside, append: e2fsck clean, bytes as written. */
START_TEST(create_overwrite_append)
{
	struct model a, b;
	const char *img;

	sd = ext2m_root(rw_images[_i]);
	model_init(&a, "/new/a");
	model_init(&b, "/b");
	ck_assert_int_eq(vfs_mkdir("/new", 0755), 0);
	write_ok(&a, 0, 100000, 1);
	write_ok(&a, 5000, 3000, 2);
	ck_assert_int_eq(write_stream(a.path, 0, 7001, 3, O_APPEND), 7001);
	model_write(&a, a.size, 7001, 3);
	write_ok(&b, 0, 1, 4);
	write_ok(&b, 1, 4095, 5);
	check_read(&a);
	check_read(&b);
	remount();
	check_read(&a);
	check_read(&b);
	img = unmount_and_fsck();
	check_dump(img, &a);
	check_dump(img, &b);
	model_free(&a);
	model_free(&b);
	finish(img);
}
END_TEST

/*
 * Writes that leave holes: at the start, the middle, and far out into
 * the double indirect tree (and, at 1 KiB blocks, the triple).
 */
START_TEST(writes_leave_holes)
{
	struct model m;
	struct kstat st;
	const char *img;

	sd = ext2m_root(rw_images[_i]);
	model_init(&m, "/holey");
	write_ok(&m, 300000, 5000, 10);
	write_ok(&m, 1000, 10, 11);
	write_ok(&m, 70u << 20, 4097, 12);
	stat_ok(m.path, &st);
	/* Three data runs and a few indirect blocks: far from 70 MiB. */
	ck_assert_int_lt(st.blocks, 200);
	check_read(&m);
	/* At 1 KiB the tail is in the triple indirect tree: cut it, then all. */
	write_ok(&m, (66u << 20) + 100, 5000, 13);
	truncate_ok(&m, (66u << 20) + 3000);
	check_read(&m);
	fsck_and_remount();
	check_read(&m);
	truncate_ok(&m, 400000);
	write_ok(&m, 390000, 20000, 14);
	stat_ok(m.path, &st);
	ck_assert_int_lt(st.blocks, 100);
	img = unmount_and_fsck();
	check_dump(img, &m);
	model_free(&m);
	finish(img);
}
END_TEST

/* Truncate down and up, across the indirect boundaries, with tails. */
START_TEST(truncate_down_and_up)
{
	struct model m;
	struct kstat st;
	const char *img;
	unsigned int bs;

	sd = ext2m_root(rw_images[_i]);
	bs = (unsigned int)vfs_root_sb()->s_blocksize;
	model_init(&m, "/t");
	/* Into the double indirect tree at every block size. */
	write_ok(&m, 0, (12 + bs / 4 + 40) * (u64)bs + 777, 20);
	truncate_ok(&m, (12 + bs / 4 + 3) * (u64)bs + 100);
	check_read(&m);
	truncate_ok(&m, 13 * (u64)bs); /* one block in the single indirect */
	truncate_ok(&m, 12 * (u64)bs); /* the single indirect block goes */
	stat_ok(m.path, &st);
	ck_assert_int_eq(st.blocks, 12 * (bs / 512));
	/* A partial tail, zeroed on disk too: the old bytes never return. */
	ck_assert_int_eq(vfs_sync(), 0);
	truncate_ok(&m, 5000);
	remount();
	truncate_ok(&m, 3000);
	truncate_ok(&m, 1 << 20); /* up: a hole to 1 MiB */
	write_ok(&m, 600000, 3000, 21);
	check_read(&m);
	stat_ok(m.path, &st);
	ck_assert_int_eq(st.size, 1 << 20);
	remount();
	check_read(&m);
	truncate_ok(&m, 0);
	write_ok(&m, 0, 10, 22);
	img = unmount_and_fsck();
	check_dump(img, &m);
	model_free(&m);
	finish(img);
}
END_TEST

static long ino_of(const char *path)
{
	struct kstat st;
	int err = vfs_stat(path, &st);

	return err ? err : (long)st.ino;
}

static unsigned int nlink_of(const char *path)
{
	struct kstat st;

	stat_ok(path, &st);
	return st.nlink;
}

/* mkdir/rmdir/unlink/rename in all their cases; link counts as Linux. */
START_TEST(namespace_operations)
{
	struct model f1, f2;
	const char *img;
	char buf[200];
	long ino;

	sd = ext2m_root(rw_images[_i]);
	model_init(&f1, "/d1/f1");
	model_init(&f2, "/d2/f2");
	ck_assert_int_eq(vfs_mkdir("/d1", 0755), 0);
	ck_assert_int_eq(vfs_mkdir("/d2", 0700), 0);
	ck_assert_int_eq(vfs_mkdir("/d1/sub", 0755), 0);
	ck_assert_int_eq(vfs_mkdir("/d1", 0755), -EEXIST);
	ck_assert_uint_eq(nlink_of("/d1"), 3);
	write_ok(&f1, 0, 5000, 30);
	write_ok(&f2, 0, 70000, 31);
	/* rename within a directory, then across, then onto a file */
	ck_assert_int_eq(vfs_rename("/d1/f1", "/d1/f1b"), 0);
	f1.path = "/d1/f1b";
	ino = ino_of("/d2/f2");
	ck_assert_int_eq(vfs_rename("/d2/f2", "/d1/f2"), 0);
	ck_assert_int_eq(ino_of("/d1/f2"), ino);
	ck_assert_int_eq(ino_of("/d2/f2"), -ENOENT);
	ck_assert_int_eq(vfs_rename("/d1/f2", "/d1/f1b"), 0); /* replaces */
	f2.path = "/d1/f1b";
	ck_assert_int_eq(ino_of("/d1/f1b"), ino);
	/* directories: across (".." fixed), onto an empty one, not inside */
	ck_assert_int_eq(vfs_rename("/d1/sub", "/d2/sub"), 0);
	ck_assert_uint_eq(nlink_of("/d1"), 2);
	ck_assert_uint_eq(nlink_of("/d2"), 3);
	ck_assert_int_eq(ino_of("/d2/sub/.."), ino_of("/d2"));
	ck_assert_int_eq(vfs_mkdir("/d2/sub/deeper", 0755), 0);
	ck_assert_int_eq(vfs_rename("/d2", "/d2/sub/deeper/x"), -EINVAL);
	{
		/* ext2 refuses it too, without the VFS's own check. */
		struct inode *root, *deeper;

		ck_assert_int_eq(vfs_lookup("/", 0, &root), 0);
		ck_assert_int_eq(vfs_lookup("/d2/sub/deeper", 0, &deeper), 0);
		ck_assert_int_eq(root->i_op->rename(root, "d2", 2, deeper, "x",
						    1),
				 -EINVAL);
		iput(deeper);
		iput(root);
	}
	ck_assert_int_eq(vfs_mkdir("/d1/empty", 0755), 0);
	ck_assert_int_eq(vfs_rename("/d2/sub", "/d1/empty"), 0);
	ck_assert_uint_eq(nlink_of("/d1"), 3);
	ck_assert_uint_eq(nlink_of("/d2"), 2);
	ck_assert_int_eq(ino_of("/d1/empty/deeper/.."), ino_of("/d1/empty"));
	/* refusals: kinds must match, a replaced directory must be empty */
	ck_assert_int_eq(vfs_mkdir("/d2/full", 0755), 0);
	ck_assert_int_eq(vfs_mkdir("/d2/full/x", 0755), 0);
	ck_assert_int_eq(vfs_rename("/d1/empty", "/d2/full"), -ENOTEMPTY);
	ck_assert_int_eq(vfs_rename("/d1/empty", "/d1/f1b"), -ENOTDIR);
	ck_assert_int_eq(vfs_rename("/d1/f1b", "/d2/full"), -EISDIR);
	/* a directory renamed in place keeps its parent's count */
	ck_assert_int_eq(vfs_rename("/d2/full", "/d2/full2"), 0);
	ck_assert_uint_eq(nlink_of("/d2"), 3);
	ck_assert_int_eq(ino_of("/d2/full2/x/.."), ino_of("/d2/full2"));
	ck_assert_int_eq(vfs_rmdir("/d2/full2/x"), 0);
	ck_assert_int_eq(vfs_rmdir("/d2/full2"), 0);
	ck_assert_uint_eq(nlink_of("/d2"), 2);
	/* rmdir: not empty, then empty; unlink */
	ck_assert_int_eq(vfs_rmdir("/d1/empty"), -ENOTEMPTY);
	ck_assert_int_eq(vfs_rmdir("/d1/empty/deeper"), 0);
	ck_assert_int_eq(vfs_rmdir("/d1/empty"), 0);
	ck_assert_uint_eq(nlink_of("/d1"), 2);
	ck_assert_int_eq(vfs_rmdir("/d1/f1b"), -ENOTDIR);
	ck_assert_int_eq(write_stream("/d2/gone", 0, 3000, 32, 0), 3000);
	ck_assert_int_eq(vfs_unlink("/d2/gone"), 0);
	ck_assert_int_eq(vfs_unlink("/d2/gone"), -ENOENT);
	/* An unlinked file still open keeps its blocks until closed. */
	{
		struct kstatfs before, during, after;
		struct file *f;

		memset(buf, 'y', sizeof(buf));
		ck_assert_int_eq(vfs_statfs(&before), 0);
		f = vfs_open("/d2/open", O_RDWR | O_CREAT, 0644);
		ck_assert(!IS_ERR(f));
		ck_assert_int_eq(vfs_write(f, buf, sizeof(buf)), sizeof(buf));
		ck_assert_int_eq(vfs_unlink("/d2/open"), 0);
		ck_assert_int_eq(vfs_write(f, buf, sizeof(buf)), sizeof(buf));
		ck_assert_int_eq(vfs_statfs(&during), 0);
		ck_assert_uint_lt(during.f_bfree, before.f_bfree);
		ck_assert_uint_eq(during.f_ffree, before.f_ffree - 1);
		ck_assert_int_eq(vfs_close(f), 0);
		ck_assert_int_eq(vfs_statfs(&after), 0);
		ck_assert_uint_eq(after.f_bfree, before.f_bfree);
		ck_assert_uint_eq(after.f_ffree, before.f_ffree);
	}
	/* symlinks: fast (< 60 bytes) and slow */
	memset(buf, 'x', sizeof(buf));
	buf[0] = '/';
	buf[150] = 0;
	ck_assert_int_eq(vfs_symlink("/d1/f1b", "/d2/fast"), 0);
	ck_assert_int_eq(vfs_symlink(buf, "/d2/slow"), 0);
	remount();
	ck_assert_int_eq(vfs_readlink("/d2/fast", buf + 160, 40), 7);
	ck_assert(!memcmp(buf + 160, "/d1/f1b", 7));
	{
		char got[200];

		ck_assert_int_eq(vfs_readlink("/d2/slow", got, sizeof(got)),
				 150);
		ck_assert(!memcmp(got, buf, 150));
	}
	check_read(&f2);
	img = unmount_and_fsck();
	check_dump(img, &f2);
	model_free(&f1);
	model_free(&f2);
	finish(img);
}
END_TEST

/* Many names: the directory grows by blocks; then most go again. */
START_TEST(directory_grows_and_shrinks)
{
	char name[64];
	const char *img;
	struct kstat st;

	sd = ext2m_root(rw_images[_i]);
	ck_assert_int_eq(vfs_mkdir("/many", 0755), 0);
	for (int i = 0; i < 300; i++) {
		snprintf(name, sizeof(name), "/many/file-with-a-long-name-%04d",
			 i);
		ck_assert_int_eq(write_stream(name, 0, 10, (u64)i, 0), 10);
	}
	stat_ok("/many", &st);
	ck_assert_int_gt(st.size, (loff_t)vfs_root_sb()->s_blocksize);
	for (int i = 0; i < 300; i += 2) {
		snprintf(name, sizeof(name), "/many/file-with-a-long-name-%04d",
			 i);
		ck_assert_int_eq(vfs_unlink(name), 0);
	}
	/* Freed slots are reused: short names fit in the gaps. */
	for (int i = 0; i < 100; i++) {
		snprintf(name, sizeof(name), "/many/s%d", i);
		ck_assert_int_eq(write_stream(name, 0, 10, (u64)i, 0), 10);
	}
	{
		struct kstat st2;

		stat_ok("/many", &st2);
		ck_assert_int_eq(st2.size, st.size);
	}
	ck_assert_int_eq(ino_of("/many/file-with-a-long-name-0002"), -ENOENT);
	ck_assert_int_gt(ino_of("/many/file-with-a-long-name-0003"), 0);
	img = unmount_and_fsck();
	finish(img);
}
END_TEST

/* Fill to ENOSPC, delete, write again: consistent all along. */
START_TEST(fill_to_enospc_then_reuse)
{
	struct model m;
	struct kstatfs sf;
	const char *img;
	ssize_t n;

	sd = ext2m_root(rw_images[_i]);
	model_init(&m, "/again");
	n = write_stream("/fill", 0, 64u << 20, 40, 0);
	ck_assert_int_eq(n, -ENOSPC);
	ck_assert_int_eq(vfs_statfs(&sf), 0);
	/* A failed write gives back the blocks it took past the end. */
	ck_assert_uint_lt(sf.f_bfree, 8);
	ck_assert_int_eq(write_stream("/more", 0, 1 << 20, 42, 0), -ENOSPC);
	{
		struct file *f = vfs_open("/fill", O_RDONLY, 0);

		ck_assert(!IS_ERR(f));
		ck_assert_int_eq(vfs_fsync(f), 0);
		vfs_close(f);
	}
	remount();
	ck_assert_int_eq(vfs_unlink("/fill"), 0);
	ck_assert_int_eq(vfs_statfs(&sf), 0);
	ck_assert_uint_gt(sf.f_bfree, 1000);
	write_ok(&m, 0, 1 << 20, 41);
	ck_assert_int_eq(vfs_mkdir("/space-dir", 0755), 0);
	img = unmount_and_fsck();
	check_dump(img, &m);
	model_free(&m);
	finish(img);
}
END_TEST

/* A sparse file past 4 GiB; i_size_high and large_file. */
START_TEST(large_sparse_file)
{
	const u64 off = (5ull << 30) + 12345;
	struct model m;
	struct kstat st;
	const char *img;
	u8 buf[8192], want[8192];
	struct file *f;

	sd = ext2m_root("ext2-4k");
	model_init(&m, "/big");
	ck_assert_int_eq(write_stream(m.path, off, sizeof(buf), 50, 0),
			 (ssize_t)sizeof(buf));
	remount();
	stat_ok(m.path, &st);
	ck_assert_int_eq(st.size, (loff_t)(off + sizeof(buf)));
	f = vfs_open(m.path, O_RDONLY, 0);
	ck_assert_int_eq(vfs_lseek(f, (loff_t)off, SEEK_SET), (loff_t)off);
	ck_assert_int_eq(vfs_read(f, buf, sizeof(buf)), (ssize_t)sizeof(buf));
	stream_bytes(50, 0, want, sizeof(want));
	ck_assert(!memcmp(buf, want, sizeof(buf)));
	vfs_close(f);
	img = unmount_and_fsck();
	model_free(&m);
	finish(img);
}
END_TEST

/* A file past 2 GiB on a file system without large_file sets it. */
START_TEST(large_file_feature_set)
{
	struct ext2_super_block *es;
	const char *img;

	sd = ext2m_root("ext2-1k");
	ck_assert_int_eq(vfs_umount_root(), 0);
	while (host_run_pending())
		;
	/* /indirect/huge needs it too: we must leave it set again. */
	es = (struct ext2_super_block *)(sd->data + EXT2_SUPER_OFFSET);
	es->s_feature_ro_compat &= ~EXT2_FEATURE_RO_COMPAT_LARGE_FILE;
	/* The device cache still holds the old superblock: drop it. */
	invalidate_mapping_pages(sd->disk->part0->bd_inode->i_mapping, 0, ~0UL);
	ck_assert_int_eq(vfs_mount_root(sd->disk->part0, "ext2"), 0);
	ck_assert(!(EXT2_SB(vfs_root_sb())->s_es->s_feature_ro_compat &
		    EXT2_FEATURE_RO_COMPAT_LARGE_FILE));
	ck_assert_int_eq(write_stream("/over2g", 3ull << 30, 100, 51, 0), 100);
	img = unmount_and_fsck();
	ck_assert(disk_super()->s_feature_ro_compat &
		  EXT2_FEATURE_RO_COMPAT_LARGE_FILE);
	finish(img);
}
END_TEST

/* Revision 0 has no large files: 2 GiB is the end. */
START_TEST(rev0_file_size_limit)
{
	sd = ext2m_root("ext2-r0");
	ck_assert_int_eq(write_stream("/f", 0x7fffffffull, 1, 52, 0), -EFBIG);
	ck_assert_int_eq(vfs_truncate("/f", 0x80000000ll), -EFBIG);
	finish(unmount_and_fsck());
}
END_TEST

/*
 * Sequential writes allocate sequential blocks: each indirect block sits
 * between the data before and after it, so the whole file maps in one
 * run per array of the block map.
 */
START_TEST(sequential_allocation_is_contiguous)
{
	struct inode *inode;
	struct kstat st;
	unsigned int bs;
	u64 nblocks, b = 0, runs = 0, prev_end = 0;

	bs = 1024u << _i;
	sd = mount_fresh(bs);
	nblocks = 12 + bs / 4 + 20;
	ck_assert_int_eq(write_stream("/seq", 0, nblocks * bs, 60, 0),
			 (ssize_t)(nblocks * bs));
	ck_assert_int_eq(vfs_lookup("/seq", 0, &inode), 0);
	while (b < nblocks) {
		struct buffer_head map = { .b_size =
						   (size_t)(nblocks - b) * bs };

		ck_assert_int_eq(ext2_get_block(inode, b, &map, 0), 0);
		ck_assert(buffer_mapped(&map));
		/* Next to the previous run, past one indirect block at most. */
		if (runs)
			ck_assert_uint_le(map.b_blocknr - prev_end, 2);
		prev_end = map.b_blocknr + map.b_size / bs;
		b += map.b_size / bs;
		runs++;
	}
	ck_assert_uint_le(runs, 3);
	iput(inode);
	/* i_blocks: the data, one single and one double + one of its blocks */
	stat_ok("/seq", &st);
	ck_assert_int_eq(st.blocks, (blkcnt_t)(nblocks + 3) * (bs / 512));
	finish(unmount_and_fsck());
}
END_TEST

/* The request of the log holding sector, or NULL. */
static const struct sim_rq_log *write_request_at(sector_t sector)
{
	for (unsigned int i = 0; i < sd->nr_log; i++)
		if ((sd->log[i].cmd_flags & RW_MASK) == WRITE &&
		    sd->log[i].sector <= sector &&
		    sector < sd->log[i].sector +
				     (sd->log[i].data_len >> SECTOR_SHIFT))
			return &sd->log[i];
	return NULL;
}

/*
 * Allocation marks the last block of each array of the map BH_Boundary
 * (block 11, and 267 with 1 KiB blocks), as get_block does for mapped
 * blocks, so writeback ends the data bio there. The new indirect block
 * right after it is not written with the data: it points at data, so
 * fsync writes it after the data and a flush (docs/durability.md).
 */
START_TEST(allocation_sets_boundary)
{
	enum { NBLOCKS = 300 };
	static u8 buf[NBLOCKS * 1024];
	const struct sim_rq_log *rq, *ind_rq;
	struct buffer_head *bh;
	struct page *page;
	struct file *f;
	sector_t first;
	u32 ind;

	sd = mount_fresh(1024);
	f = vfs_open("/seq", O_WRONLY | O_CREAT, 0644);
	ck_assert(!IS_ERR(f));
	stream_bytes(61, 0, buf, sizeof(buf));
	ck_assert_int_eq(vfs_write(f, buf, sizeof(buf)), (ssize_t)sizeof(buf));
	for (pgoff_t index = 0; index < NBLOCKS / 4; index++) {
		page = find_get_page(f->f_mapping, index);
		ck_assert_ptr_nonnull(page);
		bh = page_buffers(page);
		for (unsigned int b = 4 * (unsigned int)index;
		     b < 4 * (unsigned int)index + 4; b++) {
			ck_assert_msg(
				!!buffer_boundary(bh) == (b == 11 || b == 267),
				"block %u boundary %d", b, buffer_boundary(bh));
			bh = bh->b_this_page;
		}
		put_page(page);
	}
	first = (sector_t)EXT2_I(f->f_inode)->i_data[0] * 2;
	ind = EXT2_I(f->f_inode)->i_data[EXT2_IND_BLOCK];
	ck_assert_uint_eq(ind, EXT2_I(f->f_inode)->i_data[11] + 1);
	sd->nr_log = 0;
	ck_assert_int_eq(vfs_fsync(f), 0);
	rq = write_request_at(first);
	ck_assert_ptr_nonnull(rq);
	ck_assert_uint_eq(rq->sector + (rq->data_len >> SECTOR_SHIFT),
			  first + 2 * 12);
	ind_rq = write_request_at((sector_t)ind * 2);
	ck_assert_ptr_nonnull(ind_rq);
	ck_assert(ind_rq > rq);
	vfs_close(f);
	finish(unmount_and_fsck());
}
END_TEST

/*
 * Writeback of a file laid out in 4 MiB runs (4 KiB blocks) on a disk
 * that takes 4 MiB requests: mpage's bios (256 pages, BIO_MAX_PAGES)
 * merge under the plug into requests as large as the queue allows, so
 * 8 MiB and their indirect blocks go in three requests of whole bios,
 * the largest over 3 MiB, none over the limit.
 */
START_TEST(writeback_requests_reach_queue_limit)
{
	enum { LEN = 8 << 20, LIMIT = 8192 };
	static u8 buf[LEN];
	unsigned int largest = 0, writes = 0;
	struct file *f;

	sd = mount_fresh(4096);
	sd->q->limits.max_sectors = LIMIT;
	sd->q->limits.max_segments = 1024;
	f = vfs_open("/big", O_WRONLY | O_CREAT, 0644);
	ck_assert(!IS_ERR(f));
	stream_bytes(62, 0, buf, sizeof(buf));
	ck_assert_int_eq(vfs_write(f, buf, sizeof(buf)), (ssize_t)sizeof(buf));
	sd->nr_log = 0;
	ck_assert_int_eq(filemap_write_and_wait(f->f_mapping), 0);
	for (unsigned int i = 0; i < sd->nr_log; i++) {
		ck_assert_uint_eq(sd->log[i].cmd_flags & RW_MASK, WRITE);
		ck_assert_uint_le(sd->log[i].data_len, LIMIT << SECTOR_SHIFT);
		if (sd->log[i].data_len > largest)
			largest = sd->log[i].data_len;
		writes++;
	}
	ck_assert_uint_eq(writes, 3);
	ck_assert_uint_gt(largest, 3u << 20);
	vfs_close(f);
	finish(unmount_and_fsck());
}
END_TEST

/* Mounted read-write, the disk says "not clean"; unmounted, clean. */
START_TEST(mount_marks_state)
{
	u16 mnt_before;

	sd = ext2m_root("ext2-2k");
	mnt_before = disk_super()->s_mnt_count;
	while (host_run_pending())
		;
	ck_assert(!(disk_super()->s_state & EXT2_VALID_FS));
	remount();
	ck_assert_uint_eq(disk_super()->s_mnt_count, mnt_before + 1);
	finish(unmount_and_fsck());
}
END_TEST

/* Writing a file back and reading it after the caches are dropped. */
START_TEST(written_data_survives_cache_drop)
{
	struct model m;
	struct file *f;

	sd = ext2m_root(rw_images[_i]);
	model_init(&m, "/cold");
	write_ok(&m, 0, 300000, 70);
	f = vfs_open(m.path, O_RDONLY, 0);
	ck_assert_int_eq(vfs_fsync(f), 0);
	vfs_close(f);
	ck_assert_int_eq(vfs_sync(), 0);
	evict_unused_inodes(vfs_root_sb());
	invalidate_mapping_pages(sd->disk->part0->bd_inode->i_mapping, 0, ~0UL);
	check_read(&m);
	model_free(&m);
	finish(unmount_and_fsck());
}
END_TEST

/* rec_len of name's entry in dir (held only for the look). */
static unsigned int rec_len_of(struct inode *dir, const char *name)
{
	struct ext2_dir_slot slot;
	unsigned int len;

	ck_assert_int_eq(ext2_find_entry(dir, name, strlen(name), &slot), 0);
	len = slot.de->rec_len;
	brelse(slot.bh);
	return len;
}

/*
 * A new entry splits the slack off the last entry of the block; a
 * removed one is merged into the entry before it, whose rec_len then
 * spans both; the first entry of a block can only become unused.
 */
START_TEST(entries_split_and_merge)
{
	unsigned int bs;
	struct inode *dir;

	sd = ext2m_root(rw_images[_i]);
	bs = (unsigned int)vfs_root_sb()->s_blocksize;
	ck_assert_int_eq(vfs_mkdir("/m", 0755), 0);
	ck_assert_int_eq(write_stream("/m/a", 0, 1, 1, 0), 1);
	ck_assert_int_eq(write_stream("/m/bb", 0, 1, 1, 0), 1);
	ck_assert_int_eq(write_stream("/m/c", 0, 1, 1, 0), 1);
	ck_assert_int_eq(vfs_lookup("/m", 0, &dir), 0);
	ck_assert_uint_eq(rec_len_of(dir, ".."), 12);
	ck_assert_uint_eq(rec_len_of(dir, "a"), 12);
	ck_assert_uint_eq(rec_len_of(dir, "bb"), 12);
	ck_assert_uint_eq(rec_len_of(dir, "c"), bs - 48);
	ck_assert_int_eq(vfs_unlink("/m/bb"), 0);
	ck_assert_uint_eq(rec_len_of(dir, "a"), 24);
	ck_assert_int_eq(vfs_unlink("/m/c"), 0);
	ck_assert_uint_eq(rec_len_of(dir, "a"), bs - 24);
	/* The freed room is split again for the next name. */
	ck_assert_int_eq(write_stream("/m/dd", 0, 1, 1, 0), 1);
	ck_assert_uint_eq(rec_len_of(dir, "a"), 12);
	ck_assert_uint_eq(rec_len_of(dir, "dd"), bs - 36);
	/* A change to a hashed directory drops its (now stale) index flag. */
	EXT2_I(dir)->i_flags |= EXT2_INDEX_FL;
	mark_inode_dirty(dir);
	ck_assert_int_eq(write_stream("/m/e", 0, 1, 1, 0), 1);
	ck_assert(!(EXT2_I(dir)->i_flags & EXT2_INDEX_FL));
	iput(dir);
	finish(unmount_and_fsck());
}
END_TEST

/* AS_NO_MPAGE: readpages goes page by page through buffer heads. */
START_TEST(no_mpage_flag_reads_by_buffers)
{
	struct model m;
	struct inode *inode;
	unsigned long bios;

	sd = ext2m_root(rw_images[_i]);
	model_init(&m, "/nompage");
	write_ok(&m, 0, 200000, 80);
	remount();
	ck_assert_int_eq(vfs_lookup(m.path, 0, &inode), 0);
	set_bit(AS_NO_MPAGE, &inode->i_mapping->flags);
	bios = mpage_stats.read_bios;
	check_read(&m);
	ck_assert_uint_eq(mpage_stats.read_bios, bios);
	clear_bit(AS_NO_MPAGE, &inode->i_mapping->flags);
	truncate_inode_pages(inode->i_mapping, 0);
	check_read(&m);
	ck_assert_uint_gt(mpage_stats.read_bios, bios);
	iput(inode);
	model_free(&m);
	finish(unmount_and_fsck());
}
END_TEST

/* Make reads of file-system block nr fail; drop caches so they happen. */
static void bad_block(u32 nr)
{
	unsigned int bits = vfs_root_sb()->s_blocksize_bits;

	sim_rq_disk_add_bad(sd, (sector_t)nr << (bits - 9),
			    (sector_t)(nr + 1) << (bits - 9), READ);
	evict_unused_inodes(vfs_root_sb());
	invalidate_mapping_pages(sd->disk->part0->bd_inode->i_mapping, 0, ~0UL);
}

static ssize_t read_all(const char *path)
{
	static u8 buf[1 << 16];
	struct file *f = vfs_open(path, O_RDONLY, 0);
	ssize_t n, total = 0;

	if (IS_ERR(f))
		return PTR_ERR(f);
	while ((n = vfs_read(f, buf, sizeof(buf))) > 0)
		total += n;
	vfs_close(f);
	return n < 0 ? n : total;
}

/*
 * An unreadable indirect block or inode-table block is -EIO for the
 * file it serves (reading, and writing where the write needs it); the
 * rest of the file system works on, and stays consistent.
 */
START_TEST(eio_reaches_the_caller)
{
	struct inode *inode;
	u32 ind, itable;
	unsigned long ino;
	unsigned int ipb;

	sd = ext2m_root("ext2-1k");
	ck_assert_int_eq(vfs_lookup("/indirect/dense", 0, &inode), 0);
	ind = EXT2_I(inode)->i_data[EXT2_IND_BLOCK];
	iput(inode);
	ck_assert_int_eq(vfs_lookup("/sizes/s_1", 0, &inode), 0);
	ino = inode->i_ino;
	iput(inode);
	ipb = 1024 / EXT2_SB(vfs_root_sb())->s_geo.inode_size;
	itable = ext2_get_group_desc(vfs_root_sb(), 0)->bg_inode_table +
		 (u32)((ino - 1) / ipb);
	ck_assert_uint_ne(ind, 0);
	bad_block(ind);
	ck_assert_int_eq(read_all("/indirect/dense"), -EIO);
	ck_assert_int_eq(write_stream("/indirect/dense", 20 * 1024, 10, 1, 0),
			 -EIO);
	ck_assert_int_eq(read_all("/sizes/s_4097"), 4097);
	bad_block(itable);
	{
		struct kstat st;

		ck_assert_int_eq(vfs_stat("/sizes/s_1", &st), -EIO);
	}
	ck_assert_int_eq(write_stream("/elsewhere", 0, 5000, 2, 0), 5000);
	sd->nr_bad = 0;
	finish(unmount_and_fsck());
}
END_TEST

static Suite *ext2_write_suite(void)
{
	Suite *s = suite_create("ext2_write");
	TCase *tc = tcase_create("core");
	int n = (int)ARRAY_SIZE(rw_images);

	ext2_img_dir(); /* build once, before Check forks */
	tcase_set_timeout(tc, 300);
	tcase_add_loop_test(tc, create_overwrite_append, 0, n);
	tcase_add_loop_test(tc, writes_leave_holes, 0, n);
	tcase_add_loop_test(tc, truncate_down_and_up, 0, n);
	tcase_add_loop_test(tc, namespace_operations, 0, n);
	tcase_add_loop_test(tc, directory_grows_and_shrinks, 0, n);
	tcase_add_loop_test(tc, fill_to_enospc_then_reuse, 0, 3);
	tcase_add_test(tc, large_sparse_file);
	tcase_add_test(tc, large_file_feature_set);
	tcase_add_test(tc, rev0_file_size_limit);
	tcase_add_loop_test(tc, sequential_allocation_is_contiguous, 0, 3);
	tcase_add_test(tc, allocation_sets_boundary);
	tcase_add_test(tc, writeback_requests_reach_queue_limit);
	tcase_add_test(tc, mount_marks_state);
	tcase_add_loop_test(tc, written_data_survives_cache_drop, 0, n);
	tcase_add_loop_test(tc, entries_split_and_merge, 0, n);
	tcase_add_loop_test(tc, no_mpage_flag_reads_by_buffers, 0, n);
	tcase_add_test(tc, eio_reaches_the_caller);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_SUITE(ext2_write_suite)
