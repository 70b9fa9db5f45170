/*
 * `bench read PATH [--no-mpage]` and `bench write PATH LEN`: file I/O
 * timed from a cold cache, with the disk's own counters of bios and
 * requests around it, so the effect of mpage (few large bios) against
 * block_read_full_page (a bio per block, merged later by the queue) is
 * visible. `bench raw` (shell/block.c) hands these forms here.
 */
#include "blkdev.h"
#include "errno.h"
#include "ktime.h"
#include "pagemap.h"
#include "printk.h"
#include "shell.h"
#include "slab.h"
#include "string.h"
#include "vfs.h"
#include "writeback.h"

#define BENCH_CHUNK (64 * 1024)
#define BENCH_WRITE_SEED 1

struct bench_mark {
	u64 ns;
	unsigned long bios, requests;
};

static void mark(struct gendisk *disk, int rw, struct bench_mark *m)
{
	m->ns = ktime_get_ns();
	m->bios = disk ? disk->stats.bios[rw] : 0;
	m->requests = disk ? disk->stats.requests[rw] : 0;
}

/* "bench read /f: 1048576 bytes 12 ms 87.3 MB/s 4 bios 4 requests 256.0 KiB/request" */
static void report(const char *what, const char *path, u64 bytes,
		   const struct bench_mark *a, const struct bench_mark *b)
{
	u64 ns = b->ns - a->ns ? b->ns - a->ns : 1;
	u64 bios = b->bios - a->bios, reqs = b->requests - a->requests;
	u64 r = reqs ? reqs : 1;

	printk("bench %s %s: %llu bytes %llu ms " TENTHS_FMT " MB/s %llu bios "
	       "%llu requests " TENTHS_FMT " KiB/request\n",
	       what, path, (unsigned long long)bytes,
	       (unsigned long long)(ns / NSEC_PER_MSEC),
	       TENTHS(bytes * 1000, ns), (unsigned long long)bios,
	       (unsigned long long)reqs, TENTHS(bytes, r * 1024));
}

static struct gendisk *root_disk(void)
{
	struct super_block *sb = vfs_root_sb();

	return sb && sb->s_bdev ? sb->s_bdev->bd_disk : NULL;
}

/* Nothing of the file, nor clean metadata, left in memory. */
static int make_cold(struct file *f)
{
	int err = filemap_write_and_wait(f->f_mapping);

	invalidate_mapping_pages(f->f_mapping, 0, ~(pgoff_t)0);
	drop_pagecache();
	return err;
}

static int bench_read(const char *path, bool no_mpage)
{
	struct bench_mark a, b;
	u64 bytes = 0;
	struct file *f;
	ssize_t n = 0;
	char *buf;
	int err;

	f = vfs_open(path, O_RDONLY, 0);
	if (IS_ERR(f))
		return shell_path_error(path, (int)PTR_ERR(f));
	buf = kmalloc(BENCH_CHUNK, GFP_KERNEL);
	err = buf ? make_cold(f) : -ENOMEM;
	if (!err) {
		if (no_mpage)
			set_bit(AS_NO_MPAGE, &f->f_mapping->flags);
		mark(root_disk(), READ, &a);
		while ((n = vfs_read(f, buf, BENCH_CHUNK)) > 0)
			bytes += (u64)n;
		mark(root_disk(), READ, &b);
		clear_bit(AS_NO_MPAGE, &f->f_mapping->flags);
		err = n < 0 ? (int)n : 0;
	}
	kfree(buf);
	vfs_close(f);
	if (err)
		return shell_path_error(path, err);
	report("read", path, bytes, &a, &b);
	return 0;
}

static int bench_write(const char *path, u64 len)
{
	struct bench_mark a, b;
	struct file *f;
	int err;

	f = vfs_open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (IS_ERR(f))
		return shell_path_error(path, (int)PTR_ERR(f));
	err = make_cold(f);
	if (!err) {
		mark(root_disk(), WRITE, &a);
		err = shell_write_stream(f, 0, len, BENCH_WRITE_SEED);
		if (!err)
			err = vfs_fsync(f);
		mark(root_disk(), WRITE, &b);
	}
	vfs_close(f);
	if (err)
		return shell_path_error(path, err);
	report("write", path, len, &a, &b);
	return 0;
}

int bench_fs_command(int argc, char **argv)
{
	u64 len;

	if (argc == 3 && !strcmp(argv[1], "read"))
		return bench_read(argv[2], false);
	if (argc == 4 && !strcmp(argv[1], "read") &&
	    !strcmp(argv[3], "--no-mpage"))
		return bench_read(argv[2], true);
	if (argc == 4 && !strcmp(argv[1], "write") &&
	    !shell_parse_size(argv[3], &len))
		return bench_write(argv[2], len);
	shell_error("usage: bench raw DEV [MiB] [QD] | bench read PATH "
		    "[--no-mpage] | bench write PATH LEN");
	return -EINVAL;
}
