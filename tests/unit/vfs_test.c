/*
 * The VFS over memfs (memfs.h): path walk, the inode cache, open files,
 * fsync's error reporting, the name-space operations and unmount. memfs
 * counts every call the VFS makes and keeps its "disk" apart from the
 * cache, so each test can say what reached the disk and when.
 */
#include "unit.h" /* first: it tames glibc's blkcnt_t */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixtures/memfs.h"
#include "fixtures/platform.h"
#include "mm.h"
#include "pagemap.h"
#include "vfs.h"

static struct memfs *fs;

static void setup(void)
{
	host_mm_init(64 << 20);
	fs = memfs_create();
	ck_assert_int_eq(vfs_mount_root(NULL, "memfs"), 0);
}

static void teardown(void)
{
	if (vfs_root_sb())
		ck_assert_int_eq(vfs_umount_root(), 0);
	memfs_destroy(fs);
}

static void make_file(const char *path, const char *text)
{
	struct file *f = vfs_open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	ck_assert_msg(!IS_ERR(f), "open %s: %ld", path, PTR_ERR(f));
	ck_assert_int_eq(vfs_write(f, text, strlen(text)),
			 (ssize_t)strlen(text));
	ck_assert_int_eq(vfs_close(f), 0);
}

/* The ino at path (following symlinks if follow), or -errno. */
static long ino_of(const char *path, bool follow)
{
	struct inode *inode;
	int err = vfs_lookup(path, follow ? LOOKUP_FOLLOW : 0, &inode);
	long ino;

	if (err)
		return err;
	ino = (long)inode->i_ino;
	iput(inode);
	return ino;
}

/* /a/b/f holds "data"; returns f's ino. */
static long make_tree(void)
{
	ck_assert_int_eq(vfs_mkdir("/a", 0755), 0);
	ck_assert_int_eq(vfs_mkdir("/a/b", 0755), 0);
	make_file("/a/b/f", "data");
	return ino_of("/a/b/f", true);
}

/* ---- path walk ---- */

START_TEST(walk_dots_and_slashes)
{
	long f;

	setup();
	f = make_tree();
	ck_assert_int_gt(f, 0);
	ck_assert_int_eq(ino_of("//a///b/f", true), f);
	ck_assert_int_eq(ino_of("/a/./b/../b/./f", true), f);
	ck_assert_int_eq(ino_of("a/b/f", true), f);
	ck_assert_int_eq(ino_of("/..", true), MFS_ROOT_INO);
	ck_assert_int_eq(ino_of("/../../a/..", true), MFS_ROOT_INO);
	ck_assert_int_eq(ino_of("/a/b/", true), ino_of("/a/b", true));
	ck_assert_int_eq(ino_of("/", true), MFS_ROOT_INO);
	teardown();
}
END_TEST

START_TEST(walk_errors)
{
	char name[NAME_MAX + 8];
	char *path;

	setup();
	make_tree();
	ck_assert_int_eq(ino_of("/a/b/f/", true), -ENOTDIR);
	ck_assert_int_eq(ino_of("/a/b/f/x", true), -ENOTDIR);
	ck_assert_int_eq(ino_of("/a/b/f/..", true), -ENOTDIR);
	ck_assert_int_eq(ino_of("/a/nope", true), -ENOENT);
	ck_assert_int_eq(ino_of("/nope/b", true), -ENOENT);
	ck_assert_int_eq(ino_of("", true), -ENOENT);
	memset(name, 'x', NAME_MAX + 1);
	name[0] = '/';
	name[NAME_MAX + 1] = '\0'; /* "/" + 255 x: long, but legal */
	ck_assert_int_eq(ino_of(name, true), -ENOENT);
	name[NAME_MAX + 1] = 'x';
	name[NAME_MAX + 2] = '\0'; /* 256 */
	ck_assert_int_eq(ino_of(name, true), -ENAMETOOLONG);
	path = malloc(PATH_MAX + 1);
	for (int i = 0; i < PATH_MAX; i += 2)
		memcpy(path + i, "/a", 2);
	path[PATH_MAX] = '\0';
	ck_assert_int_eq(ino_of(path, true), -ENAMETOOLONG);
	path[PATH_MAX - 2] = '\0'; /* 4094 bytes: walks, a is no dir of a */
	ck_assert_int_eq(ino_of(path, true), -ENOENT);
	free(path);
	teardown();
}
END_TEST

START_TEST(walk_symlinks)
{
	struct kstat st;
	long f;
	char buf[64];

	setup();
	f = make_tree();
	ck_assert_int_eq(vfs_symlink("/a/b/f", "/abs"), 0);
	ck_assert_int_eq(vfs_symlink("b/f", "/a/rel"), 0);
	ck_assert_int_eq(vfs_symlink("/a", "/dirlink"), 0);
	ck_assert_int_eq(vfs_symlink("../b", "/a/b/up"), 0);
	ck_assert_int_eq(vfs_symlink("/nowhere", "/dangling"), 0);
	ck_assert_int_eq(ino_of("/abs", true), f);
	ck_assert_int_eq(ino_of("/a/rel", true), f);
	ck_assert_int_eq(ino_of("/dirlink/b/f", true), f);
	ck_assert_int_eq(ino_of("/a/b/up/up/up/f", true), f);
	/* Not following the last component: the link itself. */
	ck_assert_int_ne(ino_of("/abs", false), f);
	ck_assert_int_eq(vfs_stat("/abs", &st), 0);
	ck_assert_uint_eq(st.mode & S_IFMT, S_IFLNK);
	ck_assert_int_eq(st.size, 6);
	/* A trailing slash follows even then. */
	ck_assert_int_eq(ino_of("/dirlink/", false), ino_of("/a", true));
	ck_assert_int_eq(vfs_readlink("/a/rel", buf, sizeof(buf)), 3);
	ck_assert_int_eq(memcmp(buf, "b/f", 3), 0);
	ck_assert_int_eq(vfs_readlink("/a", buf, sizeof(buf)), -EINVAL);
	ck_assert_int_eq(ino_of("/dangling", true), -ENOENT);
	ck_assert_int_gt(ino_of("/dangling", false), 0);
	teardown();
}
END_TEST

START_TEST(walk_symlink_depth)
{
	char from[16], to[16];
	long f;

	setup();
	f = make_tree();
	/* s1 -> /a/b/f, s2 -> /s1, ..., sN -> /s(N-1): N nested links. */
	ck_assert_int_eq(vfs_symlink("/a/b/f", "/s1"), 0);
	for (int i = 2; i <= MAXSYMLINKS + 1; i++) {
		snprintf(from, sizeof(from), "/s%d", i - 1);
		snprintf(to, sizeof(to), "/s%d", i);
		ck_assert_int_eq(vfs_symlink(from, to), 0);
	}
	snprintf(to, sizeof(to), "/s%d", MAXSYMLINKS);
	ck_assert_int_eq(ino_of(to, true), f);
	snprintf(to, sizeof(to), "/s%d", MAXSYMLINKS + 1);
	ck_assert_int_eq(ino_of(to, true), -ELOOP);
	ck_assert_int_eq(vfs_symlink("/self", "/self"), 0);
	ck_assert_int_eq(ino_of("/self", true), -ELOOP);
	ck_assert_int_eq(ino_of("/self/x", true), -ELOOP);
	ck_assert(IS_ERR(vfs_open("/self", O_RDONLY, 0)));
	teardown();
}
END_TEST

/* ---- the inode cache ---- */

START_TEST(icache_same_inode_and_cached)
{
	struct super_block *sb;
	struct inode *a, *b;
	unsigned int reads;

	setup();
	make_tree();
	sb = vfs_root_sb();
	ck_assert_int_eq(vfs_lookup("/a/b/f", 0, &a), 0);
	ck_assert_int_eq(vfs_lookup("/a/../a/b/f", 0, &b), 0);
	ck_assert_ptr_eq(a, b);
	/* Ours, and the dentry's that caches the name. */
	ck_assert_int_eq(a->i_count, 3);
	iput(b);
	iput(a);
	/* Unused but linked: still cached, found again without a read. */
	reads = fs->reads;
	ck_assert_int_eq(vfs_lookup("/a/b/f", 0, &b), 0);
	ck_assert_ptr_eq(a, b);
	ck_assert_uint_eq(fs->reads, reads);
	ck_assert_uint_eq(fs->evict_calls, 0);
	iput(b);
	/* Evicted: the dirty inode is written first, nothing is freed. */
	ck_assert_uint_gt(evict_unused_inodes(sb), 0);
	ck_assert_uint_eq(nr_cached_inodes(sb), 1); /* the root */
	ck_assert_uint_gt(fs->evict_calls, 0);
	ck_assert_uint_eq(fs->evict_frees, 0);
	ck_assert_uint_eq(fs->destroy_calls, fs->evict_calls);
	ck_assert_int_eq(fs->nodes[ino_of("/a/b/f", true)].size, 4);
	ck_assert_uint_gt(fs->reads, reads);
	teardown();
}
END_TEST

START_TEST(icache_i_new_protocol)
{
	struct super_block *sb;
	struct inode *a, *b;
	unsigned int ev;
	long ino;

	setup();
	ino = make_tree();
	sb = vfs_root_sb();
	evict_unused_inodes(sb);
	ev = fs->evict_calls;
	a = iget_locked(sb, (unsigned long)ino);
	ck_assert_ptr_nonnull(a);
	ck_assert(a->i_state & I_NEW);
	/* A failed read: unhashed and freed, evict_inode never called. */
	iget_failed(a);
	ck_assert_uint_eq(fs->evict_calls, ev);
	ck_assert_uint_eq(nr_cached_inodes(sb), 1);
	fs->fail_iget = true;
	ck_assert_int_eq(ino_of("/a/b/f", true), -EIO);
	fs->fail_iget = false;
	ck_assert_uint_eq(fs->evict_calls, ev);
	ck_assert_uint_eq(fs->evict_frees, 0);
	a = iget_locked(sb, (unsigned long)ino);
	ck_assert(a->i_state & I_NEW);
	a->i_mode = S_IFREG | 0644;
	unlock_new_inode(a);
	b = iget_locked(sb, (unsigned long)ino);
	ck_assert_ptr_eq(a, b);
	ck_assert(!(b->i_state & I_NEW));
	iput(b);
	iput(a);
	evict_unused_inodes(sb);
	ck_assert_int_eq(ino_of("/a/b/f", true), ino);
	teardown();
}
END_TEST

START_TEST(icache_unlink_evicts)
{
	struct file *f;
	char buf[8];
	long ino;

	setup();
	ino = make_tree();
	/* Open across the unlink: the data lives until the last close. */
	f = vfs_open("/a/b/f", O_RDONLY, 0);
	ck_assert(!IS_ERR(f));
	ck_assert_int_eq(vfs_unlink("/a/b/f"), 0);
	ck_assert_int_eq(ino_of("/a/b/f", true), -ENOENT);
	ck_assert_uint_eq(fs->evict_frees, 0);
	ck_assert_int_eq(vfs_read(f, buf, sizeof(buf)), 4);
	ck_assert_int_eq(memcmp(buf, "data", 4), 0);
	ck_assert_int_eq(vfs_close(f), 0);
	ck_assert_uint_eq(fs->evict_frees, 1);
	ck_assert(!fs->nodes[ino].used);
	/* Unlinked with no one holding it: evicted at once. */
	make_file("/g", "x");
	ck_assert_int_eq(vfs_unlink("/g"), 0);
	ck_assert_uint_eq(fs->evict_frees, 2);
	teardown();
}
END_TEST

/* ---- files ---- */

START_TEST(file_read_write_seek)
{
	char buf[32];
	struct file *f;

	setup();
	make_file("/f", "hello world");
	f = vfs_open("/f", O_RDWR, 0);
	ck_assert(!IS_ERR(f));
	ck_assert_int_eq(vfs_read(f, buf, 5), 5);
	ck_assert_int_eq(memcmp(buf, "hello", 5), 0);
	ck_assert_int_eq(f->f_pos, 5);
	/* Short read at the end, then 0 at and past it. */
	ck_assert_int_eq(vfs_read(f, buf, sizeof(buf)), 6);
	ck_assert_int_eq(vfs_read(f, buf, sizeof(buf)), 0);
	ck_assert_int_eq(vfs_lseek(f, 100, SEEK_SET), 100);
	ck_assert_int_eq(vfs_read(f, buf, sizeof(buf)), 0);
	ck_assert_int_eq(vfs_lseek(f, -3, SEEK_END), 8);
	ck_assert_int_eq(vfs_read(f, buf, sizeof(buf)), 3);
	ck_assert_int_eq(memcmp(buf, "rld", 3), 0);
	ck_assert_int_eq(vfs_lseek(f, -1, SEEK_SET), -EINVAL);
	ck_assert_int_eq(vfs_lseek(f, -100, SEEK_CUR), -EINVAL);
	ck_assert_int_eq(vfs_lseek(f, 0, 7), -EINVAL);
	ck_assert_int_eq(f->f_pos, 11);
	/* Overwrite in the middle; the size stays. */
	ck_assert_int_eq(vfs_lseek(f, 6, SEEK_SET), 6);
	ck_assert_int_eq(vfs_write(f, "WO", 2), 2);
	ck_assert_int_eq(f->f_inode->i_size, 11);
	ck_assert_int_eq(vfs_lseek(f, 0, SEEK_SET), 0);
	ck_assert_int_eq(vfs_read(f, buf, sizeof(buf)), 11);
	ck_assert_int_eq(memcmp(buf, "hello WOrld", 11), 0);
	vfs_close(f);
	teardown();
}
END_TEST

START_TEST(file_holes_append_trunc)
{
	char buf[64], zero[64] = { 0 };
	struct file *f;

	setup();
	f = vfs_open("/h", O_RDWR | O_CREAT, 0644);
	ck_assert(!IS_ERR(f));
	/* A write past the end leaves a hole that reads as zeroes. */
	ck_assert_int_eq(vfs_lseek(f, 3 * PAGE_SIZE + 10, SEEK_SET),
			 3 * PAGE_SIZE + 10);
	ck_assert_int_eq(vfs_write(f, "end", 3), 3);
	ck_assert_int_eq(f->f_inode->i_size, 3 * PAGE_SIZE + 13);
	ck_assert_int_eq(vfs_lseek(f, PAGE_SIZE, SEEK_SET), PAGE_SIZE);
	ck_assert_int_eq(vfs_read(f, buf, sizeof(buf)), sizeof(buf));
	ck_assert_int_eq(memcmp(buf, zero, sizeof(buf)), 0);
	vfs_close(f);
	/* O_APPEND writes at the end wherever the position is. */
	f = vfs_open("/h", O_WRONLY | O_APPEND, 0);
	ck_assert_int_eq(vfs_lseek(f, 0, SEEK_SET), 0);
	ck_assert_int_eq(vfs_write(f, "++", 2), 2);
	ck_assert_int_eq(f->f_pos, 3 * PAGE_SIZE + 15);
	ck_assert_int_eq(vfs_read(f, buf, 1), -EBADF);
	vfs_close(f);
	/* O_TRUNC empties it. */
	f = vfs_open("/h", O_RDONLY | O_TRUNC, 0);
	ck_assert_int_eq(f->f_inode->i_size, 0);
	ck_assert_int_eq(vfs_read(f, buf, sizeof(buf)), 0);
	ck_assert_int_eq(vfs_write(f, "x", 1), -EBADF);
	vfs_close(f);
	/* truncate up makes a hole; down drops the tail. */
	make_file("/t", "abcdef");
	ck_assert_int_eq(vfs_truncate("/t", 3), 0);
	ck_assert_int_eq(vfs_truncate("/t", 6), 0);
	f = vfs_open("/t", O_RDONLY, 0);
	ck_assert_int_eq(vfs_read(f, buf, sizeof(buf)), 6);
	ck_assert_int_eq(memcmp(buf, "abc\0\0\0", 6), 0);
	vfs_close(f);
	ck_assert_int_eq(vfs_truncate("/t", -1), -EINVAL);
	ck_assert_int_eq(vfs_truncate("/", 0), -EISDIR);
	teardown();
}
END_TEST

START_TEST(file_open_errors)
{
	struct file *f;

	setup();
	make_tree();
	ck_assert_int_eq(PTR_ERR(vfs_open("/a", O_WRONLY, 0)), -EISDIR);
	ck_assert_int_eq(PTR_ERR(vfs_open("/a", O_RDONLY | O_CREAT, 0)),
			 -EISDIR);
	ck_assert_int_eq(PTR_ERR(vfs_open("/nope", O_RDONLY, 0)), -ENOENT);
	ck_assert_int_eq(PTR_ERR(vfs_open("/nope/x", O_RDWR | O_CREAT, 0)),
			 -ENOENT);
	ck_assert_int_eq(
		PTR_ERR(vfs_open("/a/b/f", O_RDWR | O_CREAT | O_EXCL, 0)),
		-EEXIST);
	ck_assert_int_eq(PTR_ERR(vfs_open("/a/b/f/", O_RDONLY, 0)), -ENOTDIR);
	ck_assert_int_eq(PTR_ERR(vfs_open("/a/new/", O_RDWR | O_CREAT, 0)),
			 -EISDIR);
	ck_assert_int_eq(PTR_ERR(vfs_open("/a/b/f", O_ACCMODE, 0)), -EINVAL);
	f = vfs_open("/a", O_RDONLY, 0);
	ck_assert(!IS_ERR(f));
	ck_assert_int_eq(vfs_read(f, NULL, 1), -EISDIR);
	vfs_close(f);
	teardown();
}
END_TEST

/* ---- fsync ---- */

START_TEST(fsync_writes_and_reports_error_once)
{
	struct file *f;
	long ino;

	setup();
	f = vfs_open("/f", O_RDWR | O_CREAT, 0644);
	ino = (long)f->f_inode->i_ino;
	ck_assert_int_eq(vfs_write(f, "abc", 3), 3);
	/* Only in the cache so far. */
	ck_assert_uint_eq(fs->nodes[ino].cap, 0);
	ck_assert_int_eq(fs->nodes[ino].size, 0);
	ck_assert_int_eq(vfs_fsync(f), 0);
	ck_assert_uint_eq(fs->nodes[ino].cap, 3);
	ck_assert_int_eq(memcmp(fs->nodes[ino].data, "abc", 3), 0);
	ck_assert_int_eq(fs->nodes[ino].size, 3);
	/* A failed writeback: the next fsync says so, the one after not. */
	fs->fail_writepage = true;
	ck_assert_int_eq(vfs_write(f, "def", 3), 3);
	ck_assert_int_eq(vfs_fsync(f), -EIO);
	fs->fail_writepage = false;
	ck_assert_int_eq(vfs_fsync(f), 0);
	/* sync reports it too, without taking fsync's copy. */
	fs->fail_writepage = true;
	ck_assert_int_eq(vfs_write(f, "ghi", 3), 3);
	ck_assert_int_eq(vfs_sync(), -EIO);
	fs->fail_writepage = false;
	ck_assert_int_eq(vfs_fsync(f), -EIO);
	ck_assert_int_eq(vfs_fsync(f), 0);
	vfs_close(f);
	teardown();
}
END_TEST

/* ---- the name space ---- */

struct names {
	char buf[256];
	int n;
};

static int collect(void *ctx, const char *name, unsigned int len, loff_t pos,
		   unsigned long ino, unsigned int type)
{
	struct names *ns = ctx;

	(void)pos;
	(void)ino;
	(void)type;
	strncat(ns->buf, name, len);
	strcat(ns->buf, " ");
	ns->n++;
	return 0;
}

static const char *list_dir(const char *path, struct names *ns)
{
	struct file *f = vfs_open(path, O_RDONLY | O_DIRECTORY, 0);

	memset(ns, 0, sizeof(*ns));
	ck_assert(!IS_ERR(f));
	ck_assert_int_eq(vfs_readdir(f, ns, collect), 0);
	vfs_close(f);
	return ns->buf;
}

START_TEST(names_mkdir_rmdir_unlink)
{
	struct names ns;
	struct kstat st;

	setup();
	make_tree();
	ck_assert_int_eq(vfs_mkdir("/a", 0755), -EEXIST);
	ck_assert_int_eq(vfs_mkdir("/", 0755), -EEXIST);
	ck_assert_int_eq(vfs_mkdir("/x/y", 0755), -ENOENT);
	ck_assert_int_eq(vfs_mkdir("/a/b/f/y", 0755), -ENOTDIR);
	ck_assert_int_eq(vfs_rmdir("/a"), -ENOTEMPTY);
	ck_assert_int_eq(vfs_rmdir("/a/b/f"), -ENOTDIR);
	ck_assert_int_eq(vfs_rmdir("/a/."), -EINVAL);
	ck_assert_int_eq(vfs_rmdir("/"), -EBUSY);
	ck_assert_int_eq(vfs_unlink("/a"), -EISDIR);
	ck_assert_int_eq(vfs_unlink("/a/b/f/"), -ENOTDIR);
	ck_assert_int_eq(vfs_unlink("/a/zz"), -ENOENT);
	ck_assert_str_eq(list_dir("/a/b", &ns), ". .. f ");
	ck_assert_int_eq(vfs_stat("/a", &st), 0);
	ck_assert_uint_eq(st.nlink, 3);
	ck_assert_uint_eq(st.mode, S_IFDIR | 0755);
	ck_assert_int_eq(vfs_unlink("/a/b/f"), 0);
	ck_assert_int_eq(vfs_rmdir("/a/b/"), 0);
	ck_assert_int_eq(vfs_stat("/a", &st), 0);
	ck_assert_uint_eq(st.nlink, 2);
	ck_assert_str_eq(list_dir("/a", &ns), ". .. ");
	ck_assert_int_eq(vfs_symlink("/a", "/a"), -EEXIST);
	ck_assert_int_eq(vfs_symlink("", "/e"), -ENOENT);
	teardown();
}
END_TEST

START_TEST(names_rename)
{
	struct names ns;
	long f, g;

	setup();
	f = make_tree();
	make_file("/g", "gg");
	g = ino_of("/g", true);
	/* Replacing a file: the old target is freed. */
	ck_assert_int_eq(vfs_rename("/g", "/a/b/f"), 0);
	ck_assert_int_eq(ino_of("/a/b/f", true), g);
	ck_assert_int_eq(ino_of("/g", true), -ENOENT);
	ck_assert(!fs->nodes[f].used);
	/* A directory moves with its contents and its "..". */
	ck_assert_int_eq(vfs_mkdir("/c", 0755), 0);
	ck_assert_int_eq(vfs_rename("/a/b", "/c/b2"), 0);
	ck_assert_int_eq(ino_of("/c/b2/f", true), g);
	ck_assert_int_eq(ino_of("/c/b2/..", true), ino_of("/c", true));
	/* Into itself, over the wrong kind, over a non-empty dir. */
	ck_assert_int_eq(vfs_rename("/c", "/c/b2/c"), -EINVAL);
	ck_assert_int_eq(vfs_rename("/c", "/c/b2/f"), -ENOTDIR);
	ck_assert_int_eq(vfs_rename("/c/b2/f", "/a"), -EISDIR);
	ck_assert_int_eq(vfs_rename("/a", "/c"), -ENOTEMPTY);
	ck_assert_int_eq(vfs_rename("/nope", "/x"), -ENOENT);
	/* Onto itself: nothing happens. */
	ck_assert_int_eq(vfs_rename("/c/b2/f", "/c/b2/f"), 0);
	ck_assert_int_eq(vfs_rename("/a", "/c/b2/a"), 0);
	ck_assert_str_eq(list_dir("/c/b2", &ns), ". .. f a ");
	ck_assert_str_eq(list_dir("/", &ns), ". .. c ");
	teardown();
}
END_TEST

/* ---- the dentry cache ---- */

START_TEST(dcache_second_walk_asks_nothing)
{
	unsigned int calls;
	long f;

	setup();
	f = make_tree();
	evict_unused_inodes(vfs_root_sb()); /* a cold dcache */
	calls = fs->lookup_calls;
	ck_assert_int_eq(ino_of("/a/b/f", true), f);
	ck_assert_uint_eq(fs->lookup_calls, calls + 3);
	/* Every component, and "..", from the dcache. */
	calls = fs->lookup_calls;
	ck_assert_int_eq(ino_of("/a/b/f", true), f);
	ck_assert_int_eq(ino_of("/a/b/../b/./f", true), f);
	ck_assert_int_eq(ino_of("/a/b/..", true), ino_of("/a", true));
	ck_assert_uint_eq(fs->lookup_calls, calls);
	teardown();
}
END_TEST

START_TEST(dcache_negative_entries)
{
	unsigned int calls;
	long g;

	setup();
	make_tree();
	calls = fs->lookup_calls;
	ck_assert_int_eq(ino_of("/a/nope", true), -ENOENT);
	ck_assert_uint_eq(fs->lookup_calls, calls + 1);
	/* Known absent: no second question to the file system. */
	ck_assert_int_eq(ino_of("/a/nope", true), -ENOENT);
	ck_assert_int_eq(ino_of("/a/nope/x", true), -ENOENT);
	ck_assert_uint_eq(fs->lookup_calls, calls + 1);
	/* Created: the negative entry turns positive, no stale miss. */
	make_file("/a/nope", "now");
	g = ino_of("/a/nope", true);
	ck_assert_int_gt(g, 0);
	ck_assert_int_eq(fs->nodes[g].used, true);
	ck_assert_uint_eq(fs->lookup_calls, calls + 1);
	ck_assert_int_eq(vfs_mkdir("/a/d", 0755), 0);
	ck_assert_int_eq(vfs_symlink("/a/nope", "/a/l"), 0);
	ck_assert_int_eq(ino_of("/a/l", true), g);
	ck_assert_int_gt(ino_of("/a/d", true), 0);
	teardown();
}
END_TEST

START_TEST(dcache_invalidated_by_changes)
{
	struct file *f;
	long g, h;

	setup();
	make_tree();
	make_file("/g", "gg");
	g = ino_of("/g", true);
	/* unlink: the cached name goes; the open file keeps its inode. */
	f = vfs_open("/a/b/f", O_RDONLY, 0);
	ck_assert(!IS_ERR(f));
	ck_assert_int_eq(vfs_unlink("/a/b/f"), 0);
	ck_assert_int_eq(ino_of("/a/b/f", true), -ENOENT);
	vfs_close(f);
	/* rename over a cached name: the new name is the moved file. */
	make_file("/a/b/f", "again");
	h = ino_of("/a/b/f", true);
	ck_assert_int_eq(vfs_rename("/g", "/a/b/f"), 0);
	ck_assert_int_eq(ino_of("/a/b/f", true), g);
	ck_assert_int_eq(ino_of("/g", true), -ENOENT);
	ck_assert(!fs->nodes[h].used);
	/* A moved directory: its subtree and ".." follow it. */
	ck_assert_int_eq(vfs_mkdir("/c", 0755), 0);
	ck_assert_int_eq(vfs_rename("/a/b", "/c/b2"), 0);
	ck_assert_int_eq(ino_of("/a/b/f", true), -ENOENT);
	ck_assert_int_eq(ino_of("/c/b2/f", true), g);
	ck_assert_int_eq(ino_of("/c/b2/..", true), ino_of("/c", true));
	ck_assert_int_eq(vfs_rename("/c", "/c/b2/c"), -EINVAL);
	/* rmdir: negative entries inside do not keep it; no stale hit. */
	ck_assert_int_eq(vfs_mkdir("/x", 0755), 0);
	ck_assert_int_eq(ino_of("/x/y", true), -ENOENT);
	ck_assert_int_eq(vfs_rmdir("/x"), 0);
	ck_assert_int_eq(ino_of("/x", true), -ENOENT);
	ck_assert_int_eq(ino_of("/x/y", true), -ENOENT);
	ck_assert_int_eq(vfs_mkdir("/x", 0755), 0);
	make_file("/x/y", "y");
	ck_assert_int_gt(ino_of("/x/y", true), 0);
	teardown();
}
END_TEST

START_TEST(dcache_evicted_under_pressure)
{
	char path[32];
	unsigned int calls, evicts;
	long before;

	setup();
	ck_assert_int_eq(vfs_mkdir("/m", 0755), 0);
	for (int i = 0; i < 40; i++) {
		snprintf(path, sizeof(path), "/m/f%d", i);
		make_file(path, "x");
	}
	before = dentry_stat.nr_unused;
	ck_assert_int_ge(before, 40);
	/* Reclaim scanned the whole (empty) page cache: dentries go. */
	evicts = fs->evict_calls;
	ck_assert_uint_gt(shrink_slab(1024, 0), 0);
	ck_assert_int_lt(dentry_stat.nr_unused, before);
	/* ... and the inodes they held can be evicted now. */
	ck_assert_uint_gt(evict_unused_inodes(vfs_root_sb()), 0);
	ck_assert_uint_gt(fs->evict_calls, evicts);
	calls = fs->lookup_calls;
	ck_assert_int_gt(ino_of("/m/f7", true), 0);
	ck_assert_uint_gt(fs->lookup_calls, calls);
	teardown();
}
END_TEST

static int count_names(void *ctx, const char *name, unsigned int len,
		       loff_t pos, unsigned long ino, unsigned int type)
{
	(void)name;
	(void)len;
	(void)pos;
	(void)ino;
	(void)type;
	(*(int *)ctx)++;
	return 0;
}

START_TEST(readdir_fills_dcache_for_fstatat)
{
	char name[16];
	struct kstat st;
	unsigned int calls;
	struct file *d;
	int n = 0;

	setup();
	ck_assert_int_eq(vfs_mkdir("/m", 0755), 0);
	for (int i = 0; i < 20; i++) {
		snprintf(name, sizeof(name), "/m/f%d", i);
		make_file(name, "x");
	}
	evict_unused_inodes(vfs_root_sb());
	d = vfs_open("/m", O_RDONLY | O_DIRECTORY, 0);
	ck_assert(!IS_ERR(d));
	ck_assert_int_eq(vfs_readdir(d, &n, count_names), 0);
	ck_assert_int_eq(n, 22);
	/* ls: each name's attributes without a lookup. */
	calls = fs->lookup_calls;
	for (int i = 0; i < 20; i++) {
		snprintf(name, sizeof(name), "f%d", i);
		ck_assert_int_eq(vfs_fstatat(d, name, strlen(name), &st), 0);
		ck_assert_int_eq(st.size, 1);
	}
	ck_assert_uint_eq(fs->lookup_calls, calls);
	ck_assert_int_eq(vfs_fstatat(d, "zz", 2, &st), -ENOENT);
	ck_assert_uint_eq(fs->lookup_calls, calls + 1);
	vfs_close(d);
	teardown();
}
END_TEST

/* ---- mount ---- */

START_TEST(mount_unmount_sync)
{
	struct file *f;
	long ino;

	setup();
	ck_assert_int_eq(vfs_mount_root(NULL, "memfs"), -EBUSY);
	ck_assert_int_eq(vfs_mount_root(NULL, "nosuchfs"), -EBUSY);
	f = vfs_open("/f", O_RDWR | O_CREAT, 0644);
	ino = (long)f->f_inode->i_ino;
	ck_assert_int_eq(vfs_write(f, "persist", 7), 7);
	ck_assert_int_eq(vfs_umount_root(), -EBUSY);
	vfs_close(f);
	ck_assert_uint_eq(fs->put_super_calls, 0);
	ck_assert_int_eq(vfs_umount_root(), 0);
	ck_assert_ptr_null(vfs_root_sb());
	ck_assert_uint_eq(fs->put_super_calls, 1);
	ck_assert_uint_ge(fs->sync_fs_calls, 1);
	ck_assert_uint_eq(fs->alloc_calls, fs->destroy_calls);
	ck_assert_int_eq(fs->nodes[ino].size, 7);
	ck_assert_int_eq(memcmp(fs->nodes[ino].data, "persist", 7), 0);
	/* Without a root every path is ENOENT. */
	ck_assert_int_eq(ino_of("/f", true), -ENOENT);
	ck_assert(IS_ERR(vfs_open("/f", O_RDONLY, 0)));
	ck_assert_int_eq(vfs_umount_root(), -EINVAL);
	ck_assert_int_eq(vfs_mount_root(NULL, "nosuchfs"), -ENODEV);
	/* Mounted again, the data is there. */
	ck_assert_int_eq(vfs_mount_root(NULL, NULL), 0);
	f = vfs_open("/f", O_RDONLY, 0);
	{
		char buf[16];

		ck_assert_int_eq(vfs_read(f, buf, sizeof(buf)), 7);
		ck_assert_int_eq(memcmp(buf, "persist", 7), 0);
	}
	vfs_close(f);
	teardown();
}
END_TEST

static Suite *vfs_suite(void)
{
	Suite *s = suite_create("vfs");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, walk_dots_and_slashes);
	tcase_add_test(tc, walk_errors);
	tcase_add_test(tc, walk_symlinks);
	tcase_add_test(tc, walk_symlink_depth);
	tcase_add_test(tc, icache_same_inode_and_cached);
	tcase_add_test(tc, icache_i_new_protocol);
	tcase_add_test(tc, icache_unlink_evicts);
	tcase_add_test(tc, file_read_write_seek);
	tcase_add_test(tc, file_holes_append_trunc);
	tcase_add_test(tc, file_open_errors);
	tcase_add_test(tc, fsync_writes_and_reports_error_once);
	tcase_add_test(tc, names_mkdir_rmdir_unlink);
	tcase_add_test(tc, names_rename);
	tcase_add_test(tc, mount_unmount_sync);
	tcase_add_test(tc, dcache_second_walk_asks_nothing);
	tcase_add_test(tc, dcache_negative_entries);
	tcase_add_test(tc, dcache_invalidated_by_changes);
	tcase_add_test(tc, dcache_evicted_under_pressure);
	tcase_add_test(tc, readdir_fills_dcache_for_fstatat);
	suite_add_tcase(s, tc);
	return s;
}
UNIT_SUITE(vfs_suite);
