/*
 * A mutation fuzzer for ext2 (engine in ext2_fuzz.c). Case n corrupts a
 * seed image from splitmix64(n), mounts it through the VFS, walks the
 * whole tree (readdir in small batches, lstat, read each file's head
 * and tail, readlink and follow each symlink), writes (create, write,
 * truncate, mkdir, rename, symlink, unlink, rmdir), syncs and
 * unmounts. Every call must give a success or a -errno the shell can
 * name; nothing may crash, trip ASan/UBSan, hang (a per-case alarm) or
 * leak (the page allocator's free count is back where it was, and no
 * inode is left at unmount).
 *
 *   FUZZ_SEED=S FUZZ_CASES=N  runs cases S .. S+N-1 (make fuzz: 5000)
 *
 * A failure names its case and the fields it changed; FUZZ_SEED=n
 * FUZZ_CASES=1 replays it. Each bug found is pinned by a named test
 * below with its exact corruption.
 */
#include "unit.h" /* first: it tames glibc's blkcnt_t */

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "blkdev.h"
#include "errno.h"
#include "fs/ext2/ext2.h"
#include "fixtures/ext2_fuzz.h"
#include "fs.h"
#include "mm.h"
#include "fixtures/platform.h"
#include "fixtures/sim_rq_disk.h"
#include "vfs.h"

/* The sanitizers call this before they abort: say which case it was. */
void __sanitizer_set_death_callback(void (*callback)(void));

#define DEFAULT_CASES 400
#define CASE_SECONDS 10 /* a case takes milliseconds; this is a hang */
#define OP_BUDGET 600 /* calls per case: bounds the walk of a cyclic tree */
#define DIR_BATCH 7 /* readdir stops and resumes every DIR_BATCH entries */
#define MAX_NAMES 128
#define MAX_DEPTH 8

struct fz_case {
	u64 n;
	unsigned int image, nr_mut;
	struct fz_mutation mut[FZ_MAX_MUTATIONS];
	unsigned int ops;
	char file[512], dir[512]; /* a regular file and a directory found */
};

static struct fz_case cur;
/* What the campaign saw, printed at its end: a fuzzer that never mounts tests nothing. */
static unsigned long nr_mounted, nr_refused, nr_errors, nr_ops;
static struct sim_rq_disk *sd;
static unsigned long free_baseline;

static const char *case_text(void)
{
	static char text[1024];
	size_t used;

	used = (size_t)snprintf(text, sizeof(text), "fuzz case %llu (%s):",
				(unsigned long long)cur.n,
				fz_image(cur.image)->name);
	for (unsigned int i = 0; i < cur.nr_mut && used < sizeof(text); i++) {
		text[used++] = ' ';
		fz_describe(&cur.mut[i], text + used, sizeof(text) - used);
		used += strlen(text + used);
	}
	return text;
}

static void on_death(void)
{
	fprintf(stderr, "%s\nreplay: FUZZ_SEED=%llu FUZZ_CASES=1\n",
		case_text(), (unsigned long long)cur.n);
}

static void on_alarm(int sig)
{
	(void)sig;
	fprintf(stderr, "hang: ");
	on_death();
	abort();
}

#define fz_assert(cond, fmt, ...)                                \
	ck_assert_msg(cond, "%s: " fmt "\n%.2000s", case_text(), \
		      ##__VA_ARGS__, host_printk_log())

/* A call's result: a count, or a -errno with a name. */
static long result(long ret, const char *what, const char *path)
{
	cur.ops++;
	nr_errors += ret < 0;
	fz_assert(ret >= 0 || strcmp(errno_name((int)ret), "E?"),
		  "%s %s: unnamed error %ld", what, path, ret);
	return ret;
}

static bool budget_left(void)
{
	return cur.ops < OP_BUDGET;
}

/* ---- the walk ---- */

struct names {
	unsigned int n, batch;
	char *name[MAX_NAMES];
};

static int add_name(void *ctx, const char *name, unsigned int len, loff_t pos,
		    unsigned long ino, unsigned int type)
{
	struct names *l = ctx;

	(void)pos;
	(void)ino;
	(void)type;
	fz_assert(len > 0 && len <= 255, "readdir: name length %u", len);
	if (l->batch == DIR_BATCH || l->n == MAX_NAMES)
		return 1;
	l->batch++;
	if ((len == 1 && name[0] == '.') ||
	    (len == 2 && name[0] == '.' && name[1] == '.'))
		return 0;
	l->name[l->n] = strndup(name, len);
	fz_assert(l->name[l->n] != NULL, "strndup");
	l->n++;
	return 0;
}

static void read_file(const char *path, loff_t size)
{
	static char buf[16384];
	struct file *f = vfs_open(path, O_RDONLY, 0);
	loff_t total = 0;

	if (result(IS_ERR(f) ? PTR_ERR(f) : 0, "open", path) < 0)
		return;
	while (total < (64 << 10) && budget_left()) {
		long n = result(vfs_read(f, buf, sizeof(buf)), "read", path);

		fz_assert(n <= (long)sizeof(buf), "read %s: %ld", path, n);
		if (n <= 0)
			break;
		total += n;
	}
	if (size > (64 << 10) &&
	    result(vfs_lseek(f, size - 4096, SEEK_SET), "lseek", path) >= 0)
		result(vfs_read(f, buf, 4096), "read tail", path);
	result(vfs_close(f), "close", path);
}

static void walk(const char *path, int depth);

static void visit(const char *path, int depth)
{
	struct kstat st;
	struct inode *inode;
	char target[256];

	if (result(vfs_stat(path, &st), "stat", path) < 0)
		return;
	if (S_ISDIR(st.mode)) {
		if (!cur.dir[0])
			snprintf(cur.dir, sizeof(cur.dir), "%s", path);
		if (depth < MAX_DEPTH)
			walk(path, depth + 1);
	} else if (S_ISREG(st.mode)) {
		if (!cur.file[0])
			snprintf(cur.file, sizeof(cur.file), "%s", path);
		read_file(path, st.size);
	} else if (S_ISLNK(st.mode)) {
		long n = result(vfs_readlink(path, target, sizeof(target)),
				"readlink", path);

		fz_assert(n <= (long)sizeof(target), "readlink: %ld", n);
		if (result(vfs_lookup(path, LOOKUP_FOLLOW, &inode), "follow",
			   path) == 0)
			iput(inode);
	}
}

static void walk(const char *path, int depth)
{
	struct names l = { 0 };
	struct file *f = vfs_open(path, O_RDONLY | O_DIRECTORY, 0);
	char child[512];

	if (result(IS_ERR(f) ? PTR_ERR(f) : 0, "opendir", path) < 0)
		return;
	do {
		l.batch = 0;
		if (result(vfs_readdir(f, &l, add_name), "readdir", path) < 0)
			break;
	} while (l.batch == DIR_BATCH && l.n < MAX_NAMES && budget_left());
	result(vfs_close(f), "closedir", path);
	for (unsigned int i = 0; i < l.n; i++) {
		snprintf(child, sizeof(child), "%s/%s",
			 strcmp(path, "/") ? path : "", l.name[i]);
		if (budget_left())
			visit(child, depth);
		free(l.name[i]);
	}
}

/* ---- the writes ---- */

static void write_at(const char *path, unsigned int flags, loff_t pos,
		     size_t len)
{
	static char buf[8192];
	struct file *f = vfs_open(path, flags, 0644);

	if (result(IS_ERR(f) ? PTR_ERR(f) : 0, "open for write", path) < 0)
		return;
	memset(buf, 0x5a, sizeof(buf));
	if (result(vfs_lseek(f, pos, SEEK_SET), "lseek", path) >= 0)
		result(vfs_write(f, buf, len), "write", path);
	result(vfs_fsync(f), "fsync", path);
	result(vfs_close(f), "close", path);
}

static void writes(void)
{
	char path[600];

	write_at("/fz_new", O_CREAT | O_RDWR, 0, 5000);
	write_at("/fz_new", O_RDWR, 70000, 3000);
	result(vfs_truncate("/fz_new", 1000), "truncate", "/fz_new");
	result(vfs_mkdir("/fz_dir", 0755), "mkdir", "/fz_dir");
	result(vfs_rename("/fz_new", "/fz_dir/moved"), "rename", "/fz_new");
	result(vfs_symlink("/fz_dir/moved", "/fz_link"), "symlink", "/fz_link");
	if (cur.file[0]) {
		write_at(cur.file, O_WRONLY | O_APPEND, 0, 2000);
		result(vfs_truncate(cur.file, 10), "truncate", cur.file);
		result(vfs_rename(cur.file, "/fz_dir/old"), "rename", cur.file);
		result(vfs_unlink("/fz_dir/old"), "unlink", "/fz_dir/old");
	}
	if (cur.dir[0]) {
		snprintf(path, sizeof(path), "%s/fz_in", cur.dir);
		write_at(path, O_CREAT | O_WRONLY, 0, 100);
		result(vfs_unlink(path), "unlink", path);
	}
	result(vfs_unlink("/fz_link"), "unlink", "/fz_link");
	result(vfs_unlink("/fz_dir/moved"), "unlink", "/fz_dir/moved");
	result(vfs_rmdir("/fz_dir"), "rmdir", "/fz_dir");
	result(vfs_sync(), "sync", "/");
}

/* ---- a case ---- */

static void setup(void)
{
	int err;

	host_mm_init(64 << 20);
	err = register_filesystem(&ext2_fs_type);
	ck_assert(err == 0 || err == -EBUSY);
	__sanitizer_set_death_callback(on_death);
	signal(SIGALRM, on_alarm);
}

static void run_mounted(void)
{
	int err;

	walk("/", 0);
	writes();
	err = (int)result(vfs_umount_root(), "umount", "/");
	fz_assert(!vfs_root_sb(), "still mounted after umount: %d", err);
	fz_assert(!strstr(host_printk_log(), "left at unmount"),
		  "inodes leaked");
}

/* Mount data on a fresh disk and run everything; the mount's result. */
static int run_image(const u8 *data, u64 size)
{
	unsigned long free_now;
	int err;

	host_printk_log_clear();
	sd = sim_rq_disk_create("vd", size >> SECTOR_SHIFT, 8, NULL, data);
	alarm(CASE_SECONDS);
	err = (int)result(vfs_mount_root(sd->disk->part0, "ext2"), "mount",
			  "/");
	if (!err)
		run_mounted();
	else
		fz_assert(!vfs_root_sb(), "mount failed (%d) but mounted", err);
	alarm(0);
	sim_rq_disk_destroy(sd);
	sd = NULL;
	free_now = nr_free_pages();
	if (!free_baseline)
		free_baseline = free_now;
	fz_assert(free_now == free_baseline, "pages leaked: %ld",
		  (long)(free_baseline - free_now));
	return err;
}

static void run_case(u64 n)
{
	u8 *data;

	memset(&cur, 0, sizeof(cur));
	cur.n = n;
	data = fz_corrupt(n, &cur.image, cur.mut, &cur.nr_mut);
	/* UBSan exits without the death callback: FUZZ_TRACE names each case. */
	if (getenv("FUZZ_TRACE"))
		fprintf(stderr, "%s\n", case_text());
	if (run_image(data, fz_image(cur.image)->size))
		nr_refused++;
	else
		nr_mounted++;
	nr_ops += cur.ops;
	free(data);
}

static u64 env_u64(const char *name, u64 dflt)
{
	const char *v = getenv(name);

	return v && *v ? strtoull(v, NULL, 0) : dflt;
}

/*
 * The good images mount, walk, write and unmount cleanly, twice, with
 * every page back: this caught del_gendisk() freeing a block_device
 * but not its page cache (its first run found 20-25 pages per disk).
 */
START_TEST(seed_images_pass)
{
	const struct fz_image *img = fz_image(_i);

	setup();
	memset(&cur, 0, sizeof(cur));
	cur.image = _i;
	ck_assert_int_eq(run_image(img->data, img->size), 0);
	ck_assert(cur.file[0] && cur.dir[0]);
	ck_assert_uint_gt(cur.ops, 60);
	ck_assert_uint_lt(cur.ops, OP_BUDGET);
	/* Leaks are measured against the first case: run it twice. */
	ck_assert_int_eq(run_image(img->data, img->size), 0);
}
END_TEST

START_TEST(fuzz_cases)
{
	u64 first = env_u64("FUZZ_SEED", 0);
	u64 count = env_u64("FUZZ_CASES", DEFAULT_CASES);
	const struct fz_image *img = fz_image(0);

	setup();
	/* Warm up: the baseline is taken after a clean run. */
	memset(&cur, 0, sizeof(cur));
	ck_assert_int_eq(run_image(img->data, img->size), 0);
	for (u64 n = first; n < first + count; n++)
		run_case(n);
	fprintf(stderr,
		"ext2_fuzz: cases %llu..%llu: %lu mounted, %lu refused, "
		"%lu calls, %lu errors returned\n",
		(unsigned long long)first,
		(unsigned long long)(first + count - 1), nr_mounted, nr_refused,
		nr_ops, nr_errors);
	/* The mix must reach the tree, not only the mount checks. */
	ck_assert(count < 50 || nr_mounted > count / 4);
}
END_TEST

/* Image i with one field set to v: the mount's result, leaks checked. */
static int run_with(unsigned int i, const char *field, u32 ino, u32 v)
{
	const struct fz_image *img = fz_image(i);
	const struct fz_field *f = fz_find_field(img, field, ino);
	u8 *data;
	int err;

	ck_assert_ptr_nonnull(f);
	setup();
	memset(&cur, 0, sizeof(cur));
	cur.image = i;
	ck_assert_int_eq(run_image(img->data, img->size), 0); /* baseline */
	data = malloc(img->size);
	ck_assert_ptr_nonnull(data);
	memcpy(data, img->data, img->size);
	cur.nr_mut = 1;
	cur.mut[0] =
		(struct fz_mutation){ f, f->off, fz_get(data, f), v, f->width };
	fz_put(data, f->off, f->width, v);
	err = run_image(data, img->size);
	free(data);
	return err;
}

/*
 * Case 83: a root inode that is a block device. The mount is refused,
 * but fill_super had read the root into the inode cache and freed its
 * super_block with it still there (fixed: evict before put).
 */
START_TEST(root_not_a_directory_leaks_nothing)
{
	ck_assert_int_eq(run_with(1, "inode.i_mode", 2, 0x61ed), -EUCLEAN);
	ck_assert_ptr_nonnull(strstr(host_printk_log(), "not a directory"));
}
END_TEST

/*
 * Case 28171: a file's single indirect pointer set to 1, the superblock
 * at 1 KiB blocks. Truncating the (small) file walked that "indirect
 * block", the superblock buffer the mount holds, and cleared its
 * entries, zeroing s_inodes_per_group: the next iget divided by zero. Maps may not
 * point at the superblock, descriptors, bitmaps or inode tables.
 */
START_TEST(indirect_pointer_at_superblock)
{
	u32 ino = fz_ino_of(2, "/d1/d2/d3/leaf");

	ck_assert_uint_ne(ino, 0);
	ck_assert_int_eq(run_with(2, "inode.i_block[12]", ino, 1), 0);
	ck_assert_ptr_nonnull(strstr(host_printk_log(), "bad block number 1"));
}
END_TEST

static Suite *ext2_fuzz_suite(void)
{
	Suite *s = suite_create("ext2_fuzz");
	TCase *tc = tcase_create("core");

	fz_image(0); /* build once, before Check forks */
	tcase_set_timeout(tc, 3600);
	tcase_add_loop_test(tc, seed_images_pass, 0, (int)fz_nr_images());
	tcase_add_test(tc, root_not_a_directory_leaks_nothing);
	tcase_add_test(tc, indirect_pointer_at_superblock);
	tcase_add_test(tc, fuzz_cases);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_SUITE(ext2_fuzz_suite)
