/*
 * Host helper for the ext2 tests: the images of tests/images/build, built
 * on first use into <dir of the test binary>/images (or taken from
 * $EXT2_IMAGES), and read back as plain bytes. Uses only the C library:
 * its POSIX headers clash with types.h, so this header names only
 * standard types.
 */
#ifndef _EXT2_IMG_H
#define _EXT2_IMG_H

#include <stddef.h>
#include <stdint.h>

/* The directory of ext2-1k.img, corrupt/INDEX...; exits if the build fails. */
const char *ext2_img_dir(void);
/* Size in bytes of an image (name relative to that directory). */
uint64_t ext2_img_size(const char *name);
/* len bytes at off of the image, in a malloc'ed buffer the caller frees. */
void *ext2_img_read(const char *name, uint64_t off, size_t len);
/* The whole image in a malloc'ed buffer; *size receives its length. */
void *ext2_img_load(const char *name, uint64_t *size);

/* A whole file (any path) in a malloc'ed buffer; *size its length. */
void *ext2_img_read_path(const char *path, uint64_t *size);
/*
 * Write len bytes to a new temporary file; its path (static storage,
 * valid until the next call). The caller unlinks it.
 */
const char *ext2_img_save(const void *data, uint64_t len);
/* Run a shell command; its exit status, its output (stdout and stderr). */
int ext2_img_run(const char *cmd, char *out, size_t outlen);
/* `e2fsck -fn` on the bytes: its exit status, its report in out. */
int ext2_img_fsck(const void *data, uint64_t len, char *out, size_t outlen);
/*
 * `debugfs -R "dump PATH"` of image file img: the file's bytes in a
 * malloc'ed buffer (NULL if debugfs fails), *size their count.
 */
void *ext2_img_dump(const char *img, const char *path, uint64_t *size);

#endif
