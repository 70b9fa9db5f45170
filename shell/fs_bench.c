/*
 * `bench read PATH [--no-mpage] [--bs BYTES] [--profile]` and `bench
 * write PATH LEN [--bs BYTES] [--profile]`: file I/O timed from a cold
 * cache, with the disk's own counters of bios and requests around it,
 * so the effect of mpage (few large bios) against block_read_full_page
 * (a bio per block, merged later by the queue) is visible. --bs is the
 * size of each read or write call (64 KiB by default; 1048576 is dd's
 * bs=1M); --profile adds a line splitting the time between the stages
 * of the I/O path (include/ktime.h). `bench raw` (shell/block.c) hands
 * these forms here.
 */
#include "blkdev.h"
#include "errno.h"
#include "ktime.h"
#include "pagemap.h"
#include "printk.h"
#include "random.h"
#include "shell.h"
#include "slab.h"
#include "string.h"
#include "vfs.h"
#include "writeback.h"

#define BENCH_CHUNK (64 * 1024)
#define BENCH_MAX_CHUNK (4 * 1024 * 1024) /* the largest kmalloc */
#define BENCH_WRITE_SEED 1

struct bench_opts {
	bool no_mpage;
	bool profile;
	size_t bs;
};

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
static void report(const char *what, const char *path, u64 bytes, u64 ns,
		   const struct bench_mark *a, const struct bench_mark *b)
{
	u64 bios = b->bios - a->bios, reqs = b->requests - a->requests;
	u64 r = reqs ? reqs : 1;

	ns = ns ? ns : 1;
	printk("bench %s %s: %llu bytes %llu ms " TENTHS_FMT " MB/s %llu bios "
	       "%llu requests " TENTHS_FMT " KiB/request\n",
	       what, path, (unsigned long long)bytes,
	       (unsigned long long)(ns / NSEC_PER_MSEC),
	       TENTHS(bytes * 1000, ns), (unsigned long long)bios,
	       (unsigned long long)reqs, TENTHS(bytes, r * 1024));
}

/*
 * "bench profile /f: copy 20.1 ms 18% pagecache 9.9 ms 9% ... wait 50.0 ms
 * 45%": each stage's share of the time the profile ran.
 */
static void report_profile(const char *path)
{
	u64 ns[NR_PROF_STAGES], total = 0;

	prof_read(ns);
	for (unsigned int i = 0; i < NR_PROF_STAGES; i++)
		total += ns[i];
	total = total ? total : 1;
	printk("bench profile %s:", path);
	for (unsigned int i = PROF_OTHER + 1; i <= NR_PROF_STAGES; i++) {
		/* "other" last: it is what the named stages leave. */
		unsigned int s = i % NR_PROF_STAGES;

		printk(" %s " TENTHS_FMT " ms %llu%%", prof_stage_name(s),
		       TENTHS(ns[s], NSEC_PER_MSEC),
		       (unsigned long long)(ns[s] * 100 / total));
	}
	printk("\n");
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

static int bench_read(const char *path, const struct bench_opts *o)
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
	buf = kmalloc(o->bs, GFP_KERNEL);
	err = buf ? make_cold(f) : -ENOMEM;
	if (!err) {
		if (o->no_mpage)
			set_bit(AS_NO_MPAGE, &f->f_mapping->flags);
		if (o->profile) {
			prof_reset();
			prof_resume();
		}
		mark(root_disk(), READ, &a);
		while ((n = vfs_read(f, buf, o->bs)) > 0)
			bytes += (u64)n;
		mark(root_disk(), READ, &b);
		if (o->profile)
			prof_pause();
		clear_bit(AS_NO_MPAGE, &f->f_mapping->flags);
		err = n < 0 ? (int)n : 0;
	}
	kfree(buf);
	vfs_close(f);
	if (err)
		return shell_path_error(path, err);
	report("read", path, bytes, b.ns - a.ns, &a, &b);
	if (o->profile)
		report_profile(path);
	return 0;
}

/*
 * len bytes of stream seed 1 in calls of bs bytes, then fsync. The
 * stream is generated outside the clock (and the profile): the figure
 * is the file system's, not splitmix64's. Returns the time of the
 * writes and the fsync in *ns.
 */
static int timed_write(struct file *f, u64 len, const struct bench_opts *o,
		       char *buf, u64 *ns)
{
	struct stream st;
	u64 t;
	int err = 0;

	*ns = 0;
	stream_init(&st, BENCH_WRITE_SEED);
	while (len && !err) {
		size_t n = len < o->bs ? (size_t)len : o->bs;
		const char *p = buf;
		size_t left = n;

		stream_read(&st, buf, n);
		t = ktime_get_ns();
		if (o->profile)
			prof_resume();
		while (left) {
			ssize_t done = vfs_write(f, p, left);

			if (done <= 0) {
				err = done ? (int)done : -ENOSPC;
				break;
			}
			p += done;
			left -= (size_t)done;
		}
		if (o->profile)
			prof_pause();
		*ns += ktime_get_ns() - t;
		len -= n;
	}
	if (err)
		return err;
	t = ktime_get_ns();
	if (o->profile)
		prof_resume();
	err = vfs_fsync(f);
	if (o->profile)
		prof_pause();
	*ns += ktime_get_ns() - t;
	return err;
}

static int bench_write(const char *path, u64 len, const struct bench_opts *o)
{
	struct bench_mark a, b;
	struct file *f;
	char *buf;
	u64 ns = 0;
	int err;

	f = vfs_open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (IS_ERR(f))
		return shell_path_error(path, (int)PTR_ERR(f));
	buf = kmalloc(o->bs, GFP_KERNEL);
	err = buf ? make_cold(f) : -ENOMEM;
	if (!err) {
		if (o->profile)
			prof_reset();
		mark(root_disk(), WRITE, &a);
		err = timed_write(f, len, o, buf, &ns);
		mark(root_disk(), WRITE, &b);
	}
	kfree(buf);
	vfs_close(f);
	if (err)
		return shell_path_error(path, err);
	report("write", path, len, ns, &a, &b);
	if (o->profile)
		report_profile(path);
	return 0;
}

/* The options after the fixed arguments, in any order; 0 or -EINVAL. */
static int parse_opts(int argc, char **argv, bool is_read, struct bench_opts *o)
{
	u64 bs;

	o->no_mpage = false;
	o->profile = false;
	o->bs = BENCH_CHUNK;
	for (int i = 0; i < argc; i++) {
		if (is_read && !strcmp(argv[i], "--no-mpage")) {
			o->no_mpage = true;
		} else if (!strcmp(argv[i], "--profile")) {
			o->profile = true;
		} else if (!strcmp(argv[i], "--bs") && i + 1 < argc &&
			   !shell_parse_size(argv[i + 1], &bs) && bs &&
			   bs <= BENCH_MAX_CHUNK) {
			o->bs = (size_t)bs;
			i++;
		} else {
			return -EINVAL;
		}
	}
	return 0;
}

int bench_fs_command(int argc, char **argv)
{
	struct bench_opts o;
	u64 len;

	if (argc >= 3 && !strcmp(argv[1], "read") &&
	    !parse_opts(argc - 3, argv + 3, true, &o))
		return bench_read(argv[2], &o);
	if (argc >= 4 && !strcmp(argv[1], "write") &&
	    !shell_parse_size(argv[3], &len) &&
	    !parse_opts(argc - 4, argv + 4, false, &o))
		return bench_write(argv[2], len, &o);
	shell_error("usage: bench raw DEV [MiB] [QD] | bench read PATH "
		    "[--no-mpage] [--bs BYTES] [--profile] | bench write PATH "
		    "LEN [--bs BYTES] [--profile]");
	return -EINVAL;
}
