/*
 * The shell's file commands that change things: write, truncate, mkdir,
 * rmdir, rm, mv, symlink, fsync, sync. They print nothing on success.
 * `write` fills a range from the splitmix64 stream of a seed, so the
 * host can regenerate exactly what should be on disk (scripts/stream.py).
 */
#include "errno.h"
#include "printk.h"
#include "random.h"
#include "shell.h"
#include "slab.h"
#include "string.h"
#include "vfs.h"

#define WRITE_CHUNK (64 * 1024)

/*
 * Write all n bytes as a program would: a short write is retried for
 * the rest, and the retry reports why (-ENOSPC, -ENOMEM, -EIO). A write
 * that makes no progress and names no error means the file system is
 * full.
 */
static int write_all(struct file *f, const char *buf, size_t n)
{
	while (n) {
		ssize_t done = vfs_write(f, buf, n);

		if (done < 0)
			return (int)done;
		if (done == 0)
			return -ENOSPC;
		buf += done;
		n -= (size_t)done;
	}
	return 0;
}

/*
 * LEN bytes of the stream for seed, written at off of the open file in
 * chunks through vfs_write. Returns 0 or -errno.
 */
int shell_write_stream(struct file *f, u64 off, u64 len, u64 seed)
{
	struct stream st;
	char *buf;
	int err = 0;

	if (off > (u64)OFFSET_MAX)
		return -EFBIG;
	if (vfs_lseek(f, (loff_t)off, SEEK_SET) < 0)
		return -EFBIG;
	buf = kmalloc(WRITE_CHUNK, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	stream_init(&st, seed);
	while (len && !err) {
		size_t n = len < WRITE_CHUNK ? (size_t)len : WRITE_CHUNK;

		stream_read(&st, buf, n);
		err = write_all(f, buf, n);
		len -= n;
	}
	kfree(buf);
	return err;
}

static int cmd_write(int argc, char **argv)
{
	u64 off, len, seed;
	struct file *f;
	int err;

	if (argc != 5)
		return shell_usage_error();
	if (shell_parse_size(argv[2], &off))
		return shell_number_error(argv[2], true);
	if (shell_parse_size(argv[3], &len))
		return shell_number_error(argv[3], true);
	if (shell_parse_u64(argv[4], &seed))
		return shell_number_error(argv[4], false);
	f = vfs_open(argv[1], O_WRONLY | O_CREAT, 0644);
	if (IS_ERR(f))
		return shell_path_error(argv[1], (int)PTR_ERR(f));
	err = shell_write_stream(f, off, len, seed);
	vfs_close(f);
	return err ? shell_path_error(argv[1], err) : 0;
}
SHELL_COMMAND("write", cmd_write, "write PATH OFF LEN SEED",
	      "write LEN bytes of stream SEED at OFF (sizes: 10k, 1M)");

static int cmd_truncate(int argc, char **argv)
{
	u64 size;
	int err;

	if (argc != 3)
		return shell_usage_error();
	if (shell_parse_size(argv[2], &size))
		return shell_number_error(argv[2], true);
	if (size > (u64)OFFSET_MAX)
		return shell_path_error(argv[1], -EFBIG);
	err = vfs_truncate(argv[1], (loff_t)size);
	return err ? shell_path_error(argv[1], err) : 0;
}
SHELL_COMMAND("truncate", cmd_truncate, "truncate PATH SIZE",
	      "set a file's size");

static int one_path(int argc, char **argv, int (*op)(const char *))
{
	int err;

	if (argc != 2)
		return shell_usage_error();
	err = op(argv[1]);
	return err ? shell_path_error(argv[1], err) : 0;
}

static int do_mkdir(const char *path)
{
	return vfs_mkdir(path, 0755);
}

static int cmd_mkdir(int argc, char **argv)
{
	return one_path(argc, argv, do_mkdir);
}
SHELL_COMMAND("mkdir", cmd_mkdir, "mkdir PATH", "make a directory (0755)");

static int cmd_rmdir(int argc, char **argv)
{
	return one_path(argc, argv, vfs_rmdir);
}
SHELL_COMMAND("rmdir", cmd_rmdir, "rmdir PATH", "remove an empty directory");

static int cmd_rm(int argc, char **argv)
{
	return one_path(argc, argv, vfs_unlink);
}
SHELL_COMMAND("rm", cmd_rm, "rm PATH", "remove a file or symlink");

static int cmd_mv(int argc, char **argv)
{
	int err;

	if (argc != 3)
		return shell_usage_error();
	err = vfs_rename(argv[1], argv[2]);
	if (err)
		shell_error("%s -> %s: %s", argv[1], argv[2],
			    errno_reason(err));
	return err;
}
SHELL_COMMAND("mv", cmd_mv, "mv OLD NEW", "rename (replacing NEW)");

static int cmd_symlink(int argc, char **argv)
{
	int err;

	if (argc != 3)
		return shell_usage_error();
	err = vfs_symlink(argv[1], argv[2]);
	return err ? shell_path_error(argv[2], err) : 0;
}
SHELL_COMMAND("symlink", cmd_symlink, "symlink TARGET PATH",
	      "make PATH a symlink to TARGET");

static int do_fsync(const char *path)
{
	struct file *f = vfs_open(path, O_RDONLY, 0);
	int err;

	if (IS_ERR(f))
		return (int)PTR_ERR(f);
	err = vfs_fsync(f);
	vfs_close(f);
	return err;
}

static int cmd_fsync(int argc, char **argv)
{
	return one_path(argc, argv, do_fsync);
}
SHELL_COMMAND("fsync", cmd_fsync, "fsync PATH",
	      "write a file's data and inode back, and wait");

static int cmd_sync(int argc, char **argv)
{
	int err;

	(void)argv;
	if (argc != 1)
		return shell_usage_error();
	err = vfs_sync();
	if (err)
		shell_error("writeback failed: %s", errno_reason(err));
	return err;
}
SHELL_COMMAND("sync", cmd_sync, "sync", "write everything back, and wait");
