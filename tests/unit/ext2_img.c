/*
 * Test images for the ext2 host tests, built by tests/images/build. They
 * are rebuilt when the builder is newer than the last build, so a change
 * to the tree or the corruptions reaches the tests without a clean.
 */
#define _GNU_SOURCE
#include <limits.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ext2_img.h"

static const char *const builder_files[] = {
	"tests/images/build",
	"tests/images/tree.py",
	"tests/images/corrupt.py",
};

static char img_dir[PATH_MAX];

static void die(const char *what, const char *name)
{
	fprintf(stderr, "ext2_img: %s: %s\n", what, name);
	exit(2);
}

static long long mtime_of(const char *path)
{
	struct stat st;

	if (stat(path, &st))
		return -1;
	return (long long)st.st_mtim.tv_sec * 1000000000LL + st.st_mtim.tv_nsec;
}

static int stale(const char *stamp)
{
	long long built = mtime_of(stamp);

	if (built < 0)
		return 1;
	for (size_t i = 0; i < sizeof(builder_files) / sizeof(*builder_files);
	     i++)
		if (mtime_of(builder_files[i]) > built)
			return 1;
	return 0;
}

static void build(const char *stamp)
{
	char cmd[PATH_MAX + 64];
	FILE *f;

	snprintf(cmd, sizeof(cmd), "tests/images/build '%s'", img_dir);
	if (system(cmd) != 0)
		die("image build failed", cmd);
	f = fopen(stamp, "w");
	if (!f)
		die("cannot write", stamp);
	fclose(f);
}

const char *ext2_img_dir(void)
{
	char exe[PATH_MAX], stamp[PATH_MAX + 16];
	const char *env = getenv("EXT2_IMAGES");
	ssize_t n;

	if (img_dir[0])
		return img_dir;
	if (env) {
		snprintf(img_dir, sizeof(img_dir), "%s", env);
		return img_dir;
	}
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n < 0)
		die("readlink", "/proc/self/exe");
	exe[n] = 0;
	snprintf(img_dir, sizeof(img_dir), "%s/images", dirname(exe));
	snprintf(stamp, sizeof(stamp), "%s/.stamp", img_dir);
	if (stale(stamp))
		build(stamp);
	return img_dir;
}

static FILE *open_img(const char *name)
{
	char path[PATH_MAX * 2];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", ext2_img_dir(), name);
	f = fopen(path, "rb");
	if (!f)
		die("cannot open", path);
	return f;
}

uint64_t ext2_img_size(const char *name)
{
	FILE *f = open_img(name);
	struct stat st;

	if (fstat(fileno(f), &st))
		die("fstat", name);
	fclose(f);
	return (uint64_t)st.st_size;
}

void *ext2_img_read(const char *name, uint64_t off, size_t len)
{
	FILE *f = open_img(name);
	void *buf = malloc(len ? len : 1);

	if (!buf || fseeko(f, (off_t)off, SEEK_SET) ||
	    fread(buf, 1, len, f) != len)
		die("short read", name);
	fclose(f);
	return buf;
}

void *ext2_img_load(const char *name, uint64_t *size)
{
	*size = ext2_img_size(name);
	return ext2_img_read(name, 0, (size_t)*size);
}

const char *ext2_img_save(const void *data, uint64_t len)
{
	static char path[64];
	int fd;

	snprintf(path, sizeof(path), "/tmp/ext2w-XXXXXX");
	fd = mkstemp(path);
	if (fd < 0)
		die("mkstemp", path);
	for (uint64_t off = 0; off < len;) {
		ssize_t n = pwrite(fd, (const char *)data + off,
				   len - off > (1u << 30) ? (1u << 30) :
							    (size_t)(len - off),
				   (off_t)off);

		if (n <= 0)
			die("write", path);
		off += (uint64_t)n;
	}
	close(fd);
	return path;
}

int ext2_img_run(const char *cmd, char *out, size_t outlen)
{
	char full[PATH_MAX * 2];
	size_t used = 0;
	FILE *p;
	int st;

	snprintf(full, sizeof(full), "%s 2>&1", cmd);
	p = popen(full, "r");
	if (!p)
		die("popen", cmd);
	if (outlen)
		out[0] = 0;
	for (;;) {
		char buf[4096];
		size_t n = fread(buf, 1, sizeof(buf), p);

		if (!n)
			break;
		if (used + 1 < outlen) {
			size_t k = n < outlen - used - 1 ? n :
							   outlen - used - 1;

			memcpy(out + used, buf, k);
			used += k;
			out[used] = 0;
		}
	}
	st = pclose(p);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 255;
}

int ext2_img_fsck(const void *data, uint64_t len, char *out, size_t outlen)
{
	char cmd[256];
	const char *path = ext2_img_save(data, len);
	int st;

	snprintf(cmd, sizeof(cmd), "e2fsck -fn '%s'", path);
	st = ext2_img_run(cmd, out, outlen);
	unlink(path);
	return st;
}

void *ext2_img_dump(const char *img, const char *path, uint64_t *size)
{
	char cmd[PATH_MAX * 2], out[4096], tmp[64];
	struct stat st;
	void *buf;
	FILE *f;
	int fd;

	snprintf(tmp, sizeof(tmp), "/tmp/ext2w-dump-XXXXXX");
	fd = mkstemp(tmp);
	if (fd < 0)
		die("mkstemp", tmp);
	close(fd);
	unlink(tmp);
	snprintf(cmd, sizeof(cmd), "debugfs -R 'dump \"%s\" %s' '%s'", path,
		 tmp, img);
	ext2_img_run(cmd, out, sizeof(out));
	f = fopen(tmp, "rb");
	if (!f)
		return NULL;
	if (fstat(fileno(f), &st))
		die("fstat", tmp);
	*size = (uint64_t)st.st_size;
	buf = malloc(*size ? *size : 1);
	if (!buf || fread(buf, 1, *size, f) != *size)
		die("short read", tmp);
	fclose(f);
	unlink(tmp);
	return buf;
}

void *ext2_img_read_path(const char *path, uint64_t *size)
{
	FILE *f = fopen(path, "rb");
	struct stat st;
	void *buf;

	if (!f || fstat(fileno(f), &st))
		die("cannot open", path);
	*size = (uint64_t)st.st_size;
	buf = malloc(*size ? *size : 1);
	if (!buf || fread(buf, 1, *size, f) != *size)
		die("short read", path);
	fclose(f);
	return buf;
}
