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
