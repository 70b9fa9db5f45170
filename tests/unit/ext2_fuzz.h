/*
 * The mutation side of the ext2 fuzzer (tests/unit/ext2_fuzz_test.c):
 * small seed images, the metadata fields of each found by parsing the
 * good image on the host, and reproducible corruptions of them. Only
 * standard types here: the engine uses the C library (see ext2_img.h).
 */
#ifndef _EXT2_FUZZ_H
#define _EXT2_FUZZ_H

#include <stddef.h>
#include <stdint.h>

/* What a field belongs to; the engine spreads its picks over these. */
enum fz_kind {
	FZ_SUPER,
	FZ_GROUP_DESC,
	FZ_BITMAP,
	FZ_INODE,
	FZ_DIRENT,
	FZ_INDIRECT,
	FZ_NR_KINDS,
};

/* One field of the image: width bytes (1, 2 or 4) at off, little-endian. */
struct fz_field {
	uint32_t off;
	uint8_t width;
	uint8_t kind;
	const char *name; /* "sb.s_blocks_count", "inode.i_size", ... */
	uint32_t ino; /* the inode it belongs to, 0 if none */
};

struct fz_image {
	const char *name;
	uint8_t *data;
	uint64_t size;
	uint32_t block_size, blocks_count, inodes_count;
	uint32_t inodes_per_group, blocks_per_group;
	struct fz_field *fields;
	unsigned int nr_fields;
	unsigned int nr_kind[FZ_NR_KINDS];
};

/* The seed images, built (mke2fs + debugfs) on the first call. */
unsigned int fz_nr_images(void);
const struct fz_image *fz_image(unsigned int i);

/* One applied corruption, for the failure message. */
struct fz_mutation {
	const struct fz_field *field;
	uint32_t off, old, new;
	uint8_t width;
};

#define FZ_MAX_MUTATIONS 4

/*
 * Case number seed: which image, and a copy of it (malloc'ed, the
 * caller frees) with 1..FZ_MAX_MUTATIONS fields overwritten; *nr_mut
 * and mut[] say which. Same seed, same bytes.
 */
uint8_t *fz_corrupt(uint64_t seed, unsigned int *image, struct fz_mutation *mut,
		    unsigned int *nr_mut);

/* The first field of image named name of inode ino (0: any); NULL if none. */
const struct fz_field *fz_find_field(const struct fz_image *img,
				     const char *name, uint32_t ino);
/* A field's value in data. */
uint32_t fz_get(const uint8_t *data, const struct fz_field *f);
void fz_put(uint8_t *data, uint32_t off, uint8_t width, uint32_t v);
/* "inode.i_size of ino 12 at 0x2c04: 0x1388 -> 0xffffffff" into buf. */
void fz_describe(const struct fz_mutation *m, char *buf, size_t len);
/* The inode number of path in image i (looked up with debugfs). */
uint32_t fz_ino_of(unsigned int image, const char *path);

#endif
