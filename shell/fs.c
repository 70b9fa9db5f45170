/*
 * The shell's file commands that read: ls, stat, cat, sha256, verify,
 * readlink, df, mount. Output formats are documented in docs/shell.md
 * ("Files"); tests parse them, so change both together.
 */
#include "blkdev.h"
#include "errno.h"
#include "printk.h"
#include "sched.h"
#include "sha256.h"
#include "shell.h"
#include "slab.h"
#include "sprintf.h"
#include "string.h"
#include "vfs.h"

#define IO_CHUNK (64 * 1024)
#define VERIFY_LIST_MAX (1024 * 1024)

int shell_path_error(const char *path, int err)
{
	shell_error("%s: %s", path, errno_reason(err));
	return err;
}

static char type_letter(umode_t mode)
{
	switch (mode & S_IFMT) {
	case S_IFDIR:
		return 'd';
	case S_IFREG:
		return '-';
	case S_IFLNK:
		return 'l';
	case S_IFCHR:
		return 'c';
	case S_IFBLK:
		return 'b';
	case S_IFIFO:
		return 'p';
	case S_IFSOCK:
		return 's';
	}
	return '?';
}

static void print_entry(const struct kstat *st, const char *name,
			unsigned int len)
{
	printk("%c %04o %lld %.*s\n", type_letter(st->mode), st->mode & 07777,
	       (long long)st->size, (int)len, name);
}

/* ---- ls ---- */

#define NAME_BATCH 2048

/* Names gathered by one readdir call, looked up once it returns. */
struct name_batch {
	char buf[NAME_BATCH];
	unsigned int used;
};

static int batch_fill(void *ctx, const char *name, unsigned int len, loff_t pos,
		      unsigned long ino, unsigned int type)
{
	struct name_batch *b = ctx;

	(void)pos;
	(void)ino;
	(void)type;
	if (b->used + len + 1 > NAME_BATCH)
		return 1; /* full: readdir resumes at this entry */
	b->buf[b->used++] = (char)len;
	memcpy(b->buf + b->used, name, len);
	b->used += len;
	return 0;
}

/* fn for each name of one batch, with its lstat (or the error of it). */
static int batch_visit(struct file *dir, struct name_batch *b,
		       shell_entry_fn fn, void *arg)
{
	unsigned int off = 0;
	int err = 0;

	while (!err && off < b->used) {
		unsigned int len = (unsigned char)b->buf[off++];
		const char *name = b->buf + off;
		struct kstat st;

		off += len;
		err = fn(arg, name, len, &st, vfs_fstatat(dir, name, len, &st));
	}
	return err;
}

int shell_for_each_entry(struct file *dir, shell_entry_fn fn, void *arg)
{
	struct name_batch *b = kmalloc(sizeof(*b), GFP_KERNEL);
	int err, verr;

	if (!b)
		return -ENOMEM;
	do {
		b->used = 0;
		err = signal_pending(current) ? -EINTR :
						vfs_readdir(dir, b, batch_fill);
		/* What readdir gathered before an error is still listed. */
		verr = batch_visit(dir, b, fn, arg);
		if (!err)
			err = verr;
	} while (!err && b->used);
	kfree(b);
	return err;
}

/* A name that cannot be looked up is listed as such; the first such error is kept. */
static int ls_entry(void *arg, const char *name, unsigned int len,
		    const struct kstat *st, int err)
{
	int *bad = arg;

	if (!err) {
		print_entry(st, name, len);
		return 0;
	}
	printk("? ---- - %.*s (%s)\n", (int)len, name, errno_name(err));
	if (!*bad)
		*bad = err;
	return 0;
}

static int cmd_ls(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : "/";
	struct file *f;
	int err, bad = 0;

	/* ls is always long: -l is accepted for the fingers used to it. */
	if (argc > 1 && strcmp(argv[1], "-l") == 0) {
		argv++;
		argc--;
		path = argc > 1 ? argv[1] : "/";
	}
	if (argc > 2)
		return shell_usage_error();
	f = vfs_open(path, O_RDONLY, 0);
	if (IS_ERR(f))
		return shell_path_error(path, (int)PTR_ERR(f));
	if (!S_ISDIR(f->f_inode->i_mode)) {
		struct kstat st;

		vfs_getattr(f->f_inode, &st);
		print_entry(&st, path, (unsigned int)strlen(path));
		vfs_close(f);
		return 0;
	}
	err = shell_for_each_entry(f, ls_entry, &bad);
	vfs_close(f);
	if (err)
		return shell_path_error(path, err);
	return bad ? shell_path_error(path, bad) : 0;
}
SHELL_COMMAND("ls", cmd_ls, "ls [-l] [PATH]",
	      "list a directory: TYPE MODE SIZE NAME a line");

/* ---- stat, readlink, df, mount ---- */

static int cmd_stat(int argc, char **argv)
{
	struct kstat st;
	int err;

	if (argc != 2)
		return shell_usage_error();
	err = vfs_stat(argv[1], &st);
	if (err)
		return shell_path_error(argv[1], err);
	printk("ino=%lu mode=%07o links=%u size=%lld blocks=%llu\n", st.ino,
	       st.mode, st.nlink, (long long)st.size,
	       (unsigned long long)st.blocks);
	return 0;
}
SHELL_COMMAND("stat", cmd_stat, "stat PATH",
	      "inode facts (a final symlink is not followed)");

static int cmd_readlink(int argc, char **argv)
{
	char *buf;
	int len;

	if (argc != 2)
		return shell_usage_error();
	buf = kmalloc(PATH_MAX, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	len = vfs_readlink(argv[1], buf, PATH_MAX);
	if (len >= 0)
		printk("%.*s\n", len, buf);
	kfree(buf);
	return len < 0 ? shell_path_error(argv[1], len) : 0;
}
SHELL_COMMAND("readlink", cmd_readlink, "readlink PATH",
	      "print a symlink's target");

static int cmd_df(int argc, char **argv)
{
	struct kstatfs st;
	int err;

	(void)argv;
	if (argc != 1)
		return shell_usage_error();
	err = vfs_statfs(&st);
	if (err)
		return shell_path_error("/", err);
	printk("df: bsize=%lu blocks=%llu bfree=%llu files=%llu ffree=%llu\n",
	       st.f_bsize, (unsigned long long)st.f_blocks,
	       (unsigned long long)st.f_bfree, (unsigned long long)st.f_files,
	       (unsigned long long)st.f_ffree);
	return 0;
}
SHELL_COMMAND("df", cmd_df, "df", "blocks and inodes of the root file system");

static int cmd_mount(int argc, char **argv)
{
	struct super_block *sb = vfs_root_sb();

	(void)argv;
	if (argc != 1)
		return shell_usage_error();
	if (sb)
		printk("%s on %s at /%s\n", sb->s_type,
		       sb->s_bdev ? sb->s_bdev->bd_name : "none",
		       sb_rdonly(sb) ? " (read-only)" : "");
	return 0;
}
SHELL_COMMAND("mount", cmd_mount, "mount", "show the root file system");

/* ---- cat, sha256, verify ---- */

typedef void (*chunk_fn)(void *ctx, const char *p, size_t n);

/* Read the whole file at path, handing each chunk to fn. */
static int read_file(const char *path, chunk_fn fn, void *ctx, bool *opened)
{
	struct file *f = vfs_open(path, O_RDONLY, 0);
	char *buf;
	ssize_t n;

	if (opened)
		*opened = !IS_ERR(f);
	if (IS_ERR(f))
		return (int)PTR_ERR(f);
	if (S_ISDIR(f->f_inode->i_mode)) {
		vfs_close(f);
		return -EISDIR;
	}
	buf = kmalloc(IO_CHUNK, GFP_KERNEL);
	if (!buf) {
		vfs_close(f);
		return -ENOMEM;
	}
	while ((n = vfs_read(f, buf, IO_CHUNK)) > 0)
		fn(ctx, buf, (size_t)n);
	kfree(buf);
	vfs_close(f);
	return n < 0 ? (int)n : 0;
}

static void cat_chunk(void *ctx, const char *p, size_t n)
{
	(void)ctx;
	console_write(p, n);
}

static int cmd_cat(int argc, char **argv)
{
	int err;

	if (argc != 2)
		return shell_usage_error();
	err = read_file(argv[1], cat_chunk, NULL, NULL);
	return err ? shell_path_error(argv[1], err) : 0;
}
SHELL_COMMAND("cat", cmd_cat, "cat PATH", "print a file");

static void hash_chunk(void *ctx, const char *p, size_t n)
{
	sha256_update(ctx, p, n);
}

static int hash_file(const char *path, char hex[65], bool *opened)
{
	struct sha256_ctx *ctx = kmalloc(sizeof(*ctx), GFP_KERNEL);
	u8 digest[SHA256_DIGEST_SIZE];
	int err;

	if (!ctx)
		return -ENOMEM;
	sha256_init(ctx);
	err = read_file(path, hash_chunk, ctx, opened);
	sha256_final(ctx, digest);
	kfree(ctx);
	if (!err)
		sha256_hex(digest, hex);
	return err;
}

static int cmd_sha256(int argc, char **argv)
{
	char hex[65];
	int err;

	if (argc != 2)
		return shell_usage_error();
	err = hash_file(argv[1], hex, NULL);
	if (err)
		return shell_path_error(argv[1], err);
	printk("%s  %s\n", hex, argv[1]);
	return 0;
}
SHELL_COMMAND("sha256", cmd_sha256, "sha256 PATH",
	      "SHA-256 of a file, as sha256sum prints it");

/* The whole of a (small) file in a buffer, NUL-terminated. */
static int slurp(const char *path, char **out, size_t max)
{
	struct file *f = vfs_open(path, O_RDONLY, 0);
	loff_t size;
	ssize_t n;
	char *buf;

	if (IS_ERR(f))
		return (int)PTR_ERR(f);
	size = i_size_read(f->f_inode);
	if (S_ISDIR(f->f_inode->i_mode) || size > (loff_t)max) {
		n = S_ISDIR(f->f_inode->i_mode) ? -EISDIR : -EFBIG;
		vfs_close(f);
		return (int)n;
	}
	buf = kmalloc((size_t)size + 1, GFP_KERNEL);
	if (!buf) {
		vfs_close(f);
		return -ENOMEM;
	}
	n = vfs_read(f, buf, (size_t)size);
	vfs_close(f);
	if (n < 0) {
		kfree(buf);
		return (int)n;
	}
	buf[n] = '\0';
	*out = buf;
	return 0;
}

struct verify_state {
	const char *list;
	unsigned int dir_len; /* LIST's directory, for relative paths */
	unsigned int passed, failed;
	bool quiet;
};

static bool is_hex64(const char *s)
{
	for (int i = 0; i < 64; i++)
		if (!((s[i] >= '0' && s[i] <= '9') ||
		      (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return true;
}

/* 0, or -EINTR for Ctrl-C: a failed file is counted, not returned. */
static int verify_one(struct verify_state *vs, const char *want,
		      const char *name)
{
	char path[PATH_MAX / 4], hex[65];
	bool opened;
	int err;

	if (name[0] == '/')
		snprintf(path, sizeof(path), "%s", name);
	else
		snprintf(path, sizeof(path), "%.*s%s", (int)vs->dir_len,
			 vs->list, name);
	err = hash_file(path, hex, &opened);
	if (err == -EINTR && signal_pending(current))
		return err;
	if (err) {
		printk("%s: FAILED %s (%s)\n", name, opened ? "read" : "open",
		       errno_name(err));
		vs->failed++;
	} else if (memcmp(hex, want, 64)) {
		printk("%s: FAILED\n", name);
		vs->failed++;
	} else {
		if (!vs->quiet)
			printk("%s: OK\n", name);
		vs->passed++;
	}
	return 0;
}

static int cmd_verify(int argc, char **argv)
{
	struct verify_state vs = { .quiet = false };
	char *text = NULL, *line, *next;
	const char *slash;
	int err;

	if (argc == 3 && !strcmp(argv[1], "-q")) {
		vs.quiet = true;
		argv++;
		argc--;
	}
	if (argc != 2)
		return shell_usage_error();
	vs.list = argv[1];
	slash = strrchr(vs.list, '/');
	vs.dir_len = slash ? (unsigned int)(slash - vs.list + 1) : 0;
	err = slurp(vs.list, &text, VERIFY_LIST_MAX);
	if (err)
		return shell_path_error(vs.list, err);
	for (line = text; *line; line = next) {
		char *nl = strchr(line, '\n');

		next = nl ? nl + 1 : line + strlen(line);
		if (nl)
			*nl = '\0';
		if (!*line)
			continue;
		/* "<64 hex>  <path>" (the second space is '*' in binary mode) */
		if (strlen(line) < 67 || !is_hex64(line) || line[64] != ' ' ||
		    (line[65] != ' ' && line[65] != '*')) {
			printk("%s: FAILED bad line\n", line);
			vs.failed++;
			continue;
		}
		err = verify_one(&vs, line, line + 66);
		if (err)
			break;
	}
	kfree(text);
	if (err)
		return err;
	printk("verify: %u passed, %u failed\n", vs.passed, vs.failed);
	if (vs.failed) {
		shell_error("%s: %u of %u failed", vs.list, vs.failed,
			    vs.failed + vs.passed);
		return -EIO;
	}
	return 0;
}
SHELL_COMMAND("verify", cmd_verify, "verify [-q] LIST",
	      "check files against a sha256sum list (-q: failures only)");
