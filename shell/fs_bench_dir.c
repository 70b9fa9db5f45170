/*
 * `bench create DIR N` and `bench ls DIR`: the cost of a large directory.
 * create makes N empty files DIR/c00000 ... (DIR is made if missing), each
 * as a program would, open(O_CREAT | O_EXCL) then close; ls walks DIR as
 * the shell's ls does (readdir, then the attributes of each name through
 * vfs_fstatat) without printing, so the figure is the file system's and
 * not the serial line's. Each prints the time and the disk's read bios
 * (directory and inode blocks read) around it.
 */
#include "blkdev.h"
#include "errno.h"
#include "ktime.h"
#include "printk.h"
#include "shell.h"
#include "slab.h"
#include "sprintf.h"
#include "string.h"
#include "vfs.h"

static unsigned long read_bios(void)
{
	struct super_block *sb = vfs_root_sb();

	return sb && sb->s_bdev ? sb->s_bdev->bd_disk->stats.bios[READ] : 0;
}

/* "bench create /d: 10000 files 812 ms 12315 files/s 3 read bios" */
static void report(const char *what, const char *path, unsigned long n,
		   const char *unit, u64 t0, unsigned long bios0)
{
	u64 ns = max_t(u64, ktime_get_ns() - t0, 1);

	printk("bench %s %s: %lu %s %llu ms %llu %s/s %lu read bios\n", what,
	       path, n, unit, (unsigned long long)(ns / NSEC_PER_MSEC),
	       (unsigned long long)((u64)n * NSEC_PER_SEC / ns), unit,
	       read_bios() - bios0);
}

static int bench_create(const char *dir, unsigned long n)
{
	char path[PATH_MAX];
	unsigned long bios0, i;
	struct kstat st;
	u64 t0;
	int err;

	if (vfs_stat(dir, &st) == -ENOENT) {
		err = vfs_mkdir(dir, 0755);
		if (err)
			return shell_path_error(dir, err);
	}
	bios0 = read_bios();
	t0 = ktime_get_ns();
	for (i = 0; i < n; i++) {
		struct file *f;

		if (snprintf(path, sizeof(path), "%s/c%05lu", dir, i) >=
		    (int)sizeof(path))
			return shell_path_error(dir, -ENAMETOOLONG);
		f = vfs_open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);
		if (IS_ERR(f))
			return shell_path_error(path, (int)PTR_ERR(f));
		vfs_close(f);
	}
	report("create", dir, n, "files", t0, bios0);
	return 0;
}

static int count_entry(void *arg, const char *name, unsigned int len,
		       const struct kstat *st, int err)
{
	(void)name;
	(void)len;
	(void)st;
	if (!err)
		(*(unsigned long *)arg)++;
	return err;
}

static int bench_ls(const char *dir)
{
	unsigned long bios0 = read_bios(), n = 0;
	u64 t0 = ktime_get_ns();
	struct file *f;
	int err;

	f = vfs_open(dir, O_RDONLY | O_DIRECTORY, 0);
	if (IS_ERR(f))
		return shell_path_error(dir, (int)PTR_ERR(f));
	err = shell_for_each_entry(f, count_entry, &n);
	vfs_close(f);
	if (err)
		return shell_path_error(dir, err);
	report("ls", dir, n, "entries", t0, bios0);
	return 0;
}

int bench_dir_command(int argc, char **argv)
{
	u64 n;

	if (argc == 4 && !strcmp(argv[1], "create") &&
	    !shell_parse_u64(argv[3], &n))
		return bench_create(argv[2], (unsigned long)n);
	if (argc == 3 && !strcmp(argv[1], "ls"))
		return bench_ls(argv[2]);
	shell_error("usage: bench create DIR N | bench ls DIR");
	return -EINVAL;
}
