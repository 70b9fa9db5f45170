/*
 * The blktrace command, and getting traces out of the machine: what the
 * blktrace tool does on Linux (set up, start, stop, drain the buffers
 * into <dev>.blktrace.<cpu> files), with QEMU's debug console in place
 * of debugfs. The formats are in docs/blktrace.md.
 *
 *	blktrace start [KIB]	every disk: a fresh KIB buffer, recording
 *	blktrace stop		stop; send what is buffered to the host
 *	blktrace show [DEV] [N]	the last N events of each disk, as text
 *
 * With the debug console present (scripts/run-qemu --blktrace) every
 * disk is traced from boot, and power-off stops the traces and sends
 * them. On the channel each chunk of a disk's records is framed by a
 * text line "blktrace DEV LEN\n" followed by LEN bytes of records; a
 * disk's last chunk is followed by "blktrace-end DEV EVENTS DROPPED\n".
 * run-qemu joins each disk's chunks into DIR/DEV.blktrace.0.
 */
#include "blkdev.h"
#include "blktrace_api.h"
#include "errno.h"
#include "init.h"
#include "printk.h"
#include "reboot.h"
#include "serial.h"
#include "shell.h"
#include "slab.h"
#include "sprintf.h"
#include "string.h"

#define SEND_CHUNK (64 * 1024)
#define SHOW_DEFAULT 40
/* A record and the largest payload we write (a process note). */
#define RECORD_MAX (sizeof(struct blk_io_trace) + BLK_TN_COMM_LEN)
/* Names for the pids of one disk's trace, from its process notes. */
#define SHOW_PIDS 32

static bool have_channel;

static void send_line(const char *fmt, ...) __printf(1, 2);
static void send_line(const char *fmt, ...)
{
	char line[96];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	debugcon_write(line, (size_t)min_t(int, n, (int)sizeof(line) - 1));
}

/* Drain the disk's buffered records to the host; returns bytes sent. */
static int send_trace(struct gendisk *d, size_t *sent)
{
	struct blk_trace_info info;
	char *buf = kmalloc(SEND_CHUNK, GFP_KERNEL);
	size_t n;

	if (!buf)
		return -ENOMEM;
	*sent = 0;
	while ((n = blk_trace_read(d, buf, SEND_CHUNK))) {
		send_line("blktrace %s %zu\n", d->disk_name, n);
		debugcon_write(buf, n);
		*sent += n;
	}
	kfree(buf);
	blk_trace_get_info(d, &info);
	send_line("blktrace-end %s %lu %lu\n", d->disk_name, info.events,
		  info.dropped);
	return 0;
}

static int cmd_start(int argc, char **argv)
{
	u64 kib = BLK_TRACE_DEFAULT_KIB;
	struct gendisk *d = NULL;
	int err, n = 0;

	if (argc > 3 || (argc == 3 && shell_parse_u64(argv[2], &kib)))
		return shell_usage_error();
	if (kib < BLK_TRACE_MIN_KIB || kib > BLK_TRACE_MAX_KIB) {
		shell_error("%llu KiB: the buffer takes %u to %u KiB",
			    (unsigned long long)kib, BLK_TRACE_MIN_KIB,
			    BLK_TRACE_MAX_KIB);
		return -EINVAL;
	}
	while ((d = disk_next(d))) {
		err = blk_trace_setup(d, (unsigned int)kib);
		if (!err)
			err = blk_trace_startstop(d, true);
		if (err) {
			shell_error("%s: cannot trace it", d->disk_name);
			return err;
		}
		printk("blktrace: %s (%d,%d): tracing, %llu KiB buffer\n",
		       d->disk_name, d->major, d->first_minor,
		       (unsigned long long)kib);
		n++;
	}
	if (!n) {
		shell_error("no disks");
		return -ENODEV;
	}
	return 0;
}

static int cmd_stop(void)
{
	struct blk_trace_info info;
	struct gendisk *d = NULL;
	size_t sent;
	int err, n = 0;

	while ((d = disk_next(d))) {
		if (blk_trace_startstop(d, false))
			continue;
		n++;
		blk_trace_get_info(d, &info);
		printk("blktrace: %s: stopped, %lu events, %lu dropped, %zu "
		       "bytes buffered",
		       d->disk_name, info.events, info.dropped, info.buffered);
		if (!have_channel) {
			printk("\n");
			continue;
		}
		err = send_trace(d, &sent);
		if (err) {
			printk("\n");
			return err;
		}
		printk(", %zu sent to the host\n", sent);
	}
	if (!n) {
		shell_error("no disk is traced");
		return -EINVAL;
	}
	return 0;
}

/* Linux's fill_rwbs: the RWBS column of blkparse. */
static void fill_rwbs(char *rwbs, const struct blk_io_trace *t)
{
	u32 tc = t->action >> BLK_TC_SHIFT;
	int i = 0;

	if (tc & BLK_TC_FLUSH)
		rwbs[i++] = 'F';
	if (tc & BLK_TC_WRITE)
		rwbs[i++] = 'W';
	else if (t->bytes)
		rwbs[i++] = 'R';
	else
		rwbs[i++] = 'N';
	if (tc & BLK_TC_FUA)
		rwbs[i++] = 'F';
	if (tc & BLK_TC_AHEAD)
		rwbs[i++] = 'A';
	if (tc & BLK_TC_SYNC)
		rwbs[i++] = 'S';
	if (tc & BLK_TC_META)
		rwbs[i++] = 'M';
	rwbs[i] = '\0';
}

static const char *const act_names[] = {
	[__BLK_TA_QUEUE] = "Q",		[__BLK_TA_BACKMERGE] = "M",
	[__BLK_TA_FRONTMERGE] = "F",	[__BLK_TA_GETRQ] = "G",
	[__BLK_TA_SLEEPRQ] = "S",	[__BLK_TA_REQUEUE] = "R",
	[__BLK_TA_ISSUE] = "D",		[__BLK_TA_COMPLETE] = "C",
	[__BLK_TA_PLUG] = "P",		[__BLK_TA_UNPLUG_IO] = "U",
	[__BLK_TA_UNPLUG_TIMER] = "UT", [__BLK_TA_INSERT] = "I",
	[__BLK_TA_SPLIT] = "X",
};

struct show_names {
	u32 pid[SHOW_PIDS];
	char comm[SHOW_PIDS][BLK_TN_COMM_LEN];
	unsigned int nr;
};

static void names_add(struct show_names *nm, const struct blk_io_trace *t)
{
	unsigned int i;

	for (i = 0; i < nm->nr && nm->pid[i] != t->pid; i++)
		;
	if (i == SHOW_PIDS)
		return;
	nm->nr = max(nm->nr, i + 1);
	nm->pid[i] = t->pid;
	strscpy(nm->comm[i], (const char *)(t + 1), BLK_TN_COMM_LEN);
}

static const char *names_find(const struct show_names *nm, u32 pid)
{
	for (unsigned int i = 0; i < nm->nr; i++)
		if (nm->pid[i] == pid)
			return nm->comm[i];
	return "?";
}

/* One event as a line, in the spirit of blkparse's default output. */
static void show_one(const struct blk_io_trace *t, u64 t0,
		     const struct show_names *nm)
{
	u32 act = t->action & 0xffff;
	u64 ns = t->time - t0;
	const char *name = act < ARRAY_SIZE(act_names) && act_names[act] ?
				   act_names[act] :
				   "?";
	char rwbs[8];

	fill_rwbs(rwbs, t);
	printk("%5llu.%09llu %5u %2s %3s ",
	       (unsigned long long)(ns / 1000000000),
	       (unsigned long long)(ns % 1000000000), t->pid, name, rwbs);
	switch (act) {
	case __BLK_TA_COMPLETE:
	case __BLK_TA_REQUEUE:
		/* As blkparse prints it: -EIO is 65531. */
		printk("%llu + %u [%u]\n", (unsigned long long)t->sector,
		       t->bytes >> SECTOR_SHIFT, t->error);
		break;
	case __BLK_TA_PLUG:
		printk("[%s]\n", names_find(nm, t->pid));
		break;
	case __BLK_TA_UNPLUG_IO:
	case __BLK_TA_UNPLUG_TIMER: {
		const u8 *p = (const u8 *)(t + 1);
		u64 depth = 0;

		for (unsigned int i = 0; i < sizeof(u64) && i < t->pdu_len; i++)
			depth = depth << 8 | p[i];
		printk("[%s] %llu\n", names_find(nm, t->pid),
		       (unsigned long long)depth);
		break;
	}
	default:
		printk("%llu + %u [%s]\n", (unsigned long long)t->sector,
		       t->bytes >> SECTOR_SHIFT, names_find(nm, t->pid));
	}
}

static bool is_note(const struct blk_io_trace *t)
{
	return t->action & BLK_TC_ACT(BLK_TC_NOTIFY);
}

static void show_disk(struct gendisk *d, unsigned long count)
{
	u64 rec[RECORD_MAX / sizeof(u64) + 1];
	const struct blk_io_trace *t = (const void *)rec;
	struct blk_trace_cursor cur = { 0 };
	struct blk_trace_info info;
	struct show_names *nm = kzalloc(sizeof(*nm), GFP_KERNEL);
	unsigned long total = 0, i = 0;
	u64 t0 = 0;

	blk_trace_get_info(d, &info);
	if (!info.state || !nm) {
		printk("%s: not traced\n", d->disk_name);
		kfree(nm);
		return;
	}
	/* First pass: names, the first time, how many events. */
	while (blk_trace_peek(d, &cur, rec, sizeof(rec))) {
		if (is_note(t)) {
			if (t->action == BLK_TN_PROCESS)
				names_add(nm, t);
			continue;
		}
		if (!total++)
			t0 = t->time;
	}
	printk("%s (%d,%d): %lu events buffered, %lu dropped, showing %lu\n",
	       d->disk_name, d->major, d->first_minor, total, info.dropped,
	       min(count, total));
	memset(&cur, 0, sizeof(cur));
	while (blk_trace_peek(d, &cur, rec, sizeof(rec)))
		if (!is_note(t) && i++ >= total - min(count, total))
			show_one(t, t0, nm);
	kfree(nm);
}

static int cmd_show(int argc, char **argv)
{
	u64 count = SHOW_DEFAULT;
	struct block_device *bdev = NULL;
	struct gendisk *d = NULL;
	int arg = 2;

	if (argc > 4)
		return shell_usage_error();
	if (argc > arg && (argv[arg][0] < '0' || argv[arg][0] > '9')) {
		bdev = lookup_bdev(argv[arg]);
		if (!bdev) {
			shell_error("%s: no such block device", argv[arg]);
			return -ENODEV;
		}
		arg++;
	}
	if (argc > arg + 1 ||
	    (argc == arg + 1 && shell_parse_u64(argv[arg], &count)))
		return shell_usage_error();
	if (bdev) {
		show_disk(bdev->bd_disk, (unsigned long)count);
		return 0;
	}
	while ((d = disk_next(d)))
		show_disk(d, (unsigned long)count);
	return 0;
}

static int cmd_blktrace(int argc, char **argv)
{
	if (argc >= 2 && !strcmp(argv[1], "start"))
		return cmd_start(argc, argv);
	if (argc == 2 && !strcmp(argv[1], "stop"))
		return cmd_stop();
	if (argc >= 2 && !strcmp(argv[1], "show"))
		return cmd_show(argc, argv);
	return shell_usage_error();
}
SHELL_COMMAND("blktrace", cmd_blktrace,
	      "blktrace start [KIB] | stop | show [DEV] [N]",
	      "trace every disk's I/O in Linux blktrace format");

/* After sync and unmount (hooks run newest first): their I/O is traced. */
static int blktrace_poweroff(void)
{
	struct gendisk *d = NULL;
	size_t sent;
	int err;

	while ((d = disk_next(d))) {
		if (blk_trace_startstop(d, false))
			continue;
		err = send_trace(d, &sent);
		if (err)
			return err;
	}
	return 0;
}

/*
 * Before any driver probes (device initcalls): with the host listening,
 * trace every disk from its first I/O.
 */
static int blktrace_boot(void)
{
	if (!debugcon_present())
		return 0;
	have_channel = true;
	blk_trace_all_disks(BLK_TRACE_DEFAULT_KIB);
	printk("blktrace: host channel found: tracing every disk from boot\n");
	return register_poweroff_hook(blktrace_poweroff, "blktrace");
}
core_initcall(blktrace_boot);
