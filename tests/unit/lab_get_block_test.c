/*
 * The get-block lab's graded tests (docs/labs/get-block.md):
 * ext2_get_block on the mke2fs images (tests/images/build) in the
 * simulated request disk. A file is mapped call by call; its bytes,
 * taken from the disk where the map points, must hash to the image
 * manifest's sha256 (a wrong block, a run claimed contiguous that is
 * not, a hole mapped: the hash changes). Each answer is also held to
 * the rules of the map: runs as long as the disk and the array allow,
 * never longer than asked, BH_Boundary exactly where an array ends.
 */
#define _ISOC11_SOURCE 1
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "blkdev.h"
#include "buffer_head.h"
#include "errno.h"
#include "fs/ext2/ext2.h"
#include "fixtures/ext2_img.h"
#include "fixtures/ext2_mount.h"
#include "fixtures/platform.h"
#include "fixtures/sim_rq_disk.h"
#include "sha256.h"
#include "unit.h"
#include "vfs.h"

static struct sim_rq_disk *sd;
static struct super_block sb;
static const char *image;

static void mount_ok(const char *name)
{
	char file[96];

	image = name;
	snprintf(file, sizeof(file), "%s.img", name);
	ck_assert_msg(ext2m_fill(&sb, &sd, file, NULL) == 0, "%s: mount failed",
		      file);
}

/* path's sha256 from manifest file (sha256sum format), if it is there. */
static void find_hash(const char *file, const char *path, char hex[65])
{
	char *list, *line, *save;
	uint64_t size;

	list = ext2_img_load(file, &size);
	list = realloc(list, size + 1);
	list[size] = 0;
	for (line = strtok_r(list, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save))
		if (strlen(line) > 66 && !strcmp(line + 66, path)) {
			memcpy(hex, line, 64);
			hex[64] = 0;
		}
	free(list);
}

/* The sha256 of path in the image's manifests (big files apart). */
static void manifest_hash(const char *path, char hex[65])
{
	char file[96];

	hex[0] = 0;
	snprintf(file, sizeof(file), "%s.sha256", image);
	find_hash(file, path, hex);
	if (!hex[0]) {
		snprintf(file, sizeof(file), "%s.big.sha256", image);
		find_hash(file, path, hex);
	}
	ck_assert_msg(hex[0], "%s: %s not in the manifests", image, path);
}

struct map_stats {
	unsigned long calls, runs, boundaries, holes, max_run;
};

/*
 * Map the file with calls asking for at most `ask` blocks each, check
 * every answer against the rules, and hash the bytes it points at.
 */
static void hash_file(struct inode *inode, u64 ask, char hex[65],
		      struct map_stats *st)
{
	static const u8 zero[EXT2_MAX_BLOCK_SIZE];
	unsigned int bits = inode->i_blkbits, bs = 1u << bits;
	u64 size = (u64)inode->i_size, nblocks = (size + bs - 1) >> bits;
	u64 prev_end_blocknr = 0, prev_end_b = ~0ull, b = 0;
	u8 digest[SHA256_DIGEST_SIZE];
	struct sha256_ctx ctx;
	struct buffer_head map;

	sha256_init(&ctx);
	while (b < nblocks) {
		u64 left = size - (b << bits), want, count;
		int err;

		want = nblocks - b < ask ? nblocks - b : ask;
		memset(&map, 0, sizeof(map));
		map.b_size = (size_t)want << bits;
		err = ext2_get_block(inode, b, &map, 0);
		ck_assert_msg(err == 0, "%s: ino %lu block %llu: error %d",
			      image, inode->i_ino, (unsigned long long)b, err);
		st->calls++;
		if (!buffer_mapped(&map)) {
			st->holes++;
			sha256_update(&ctx, zero, left < bs ? left : bs);
			prev_end_b = ~0ull;
			b++;
			continue;
		}
		count = map.b_size >> bits;
		ck_assert_msg(count >= 1 && count <= want,
			      "ino %lu block %llu: %llu blocks mapped, %llu "
			      "asked",
			      inode->i_ino, (unsigned long long)b,
			      (unsigned long long)count,
			      (unsigned long long)want);
		ck_assert(map.b_bdev == sb.s_bdev);
		ck_assert_msg(!!buffer_boundary(&map) ==
				      ext2m_array_start(b + count, bits),
			      "ino %lu: run %llu+%llu: boundary %d",
			      inode->i_ino, (unsigned long long)b,
			      (unsigned long long)count,
			      !!buffer_boundary(&map));
		/* A run stops early only where the disk or the array does. */
		ck_assert_msg(b != prev_end_b ||
				      map.b_blocknr != prev_end_blocknr,
			      "ino %lu: the run before block %llu could have "
			      "been longer",
			      inode->i_ino, (unsigned long long)b);
		ck_assert((map.b_blocknr + count) << bits <=
			  sd->nr_sectors << SECTOR_SHIFT);
		sha256_update(&ctx, sd->data + (map.b_blocknr << bits),
			      left < (count << bits) ? left : count << bits);
		st->runs++;
		st->boundaries += !!buffer_boundary(&map);
		if (count > st->max_run)
			st->max_run = count;
		/* The next call starts where this run had to stop? */
		prev_end_b = !buffer_boundary(&map) && count < want ?
				     b + count :
				     ~0ull;
		prev_end_blocknr = map.b_blocknr + count;
		b += count;
	}
	sha256_final(&ctx, digest);
	sha256_hex(digest, hex);
}

/* path hashes right, mapped `ask` blocks a call at most. */
static void expect_file(const char *path, u64 ask, struct map_stats *st)
{
	struct inode *inode = ext2m_lookup_ok(&sb, path);
	char want[65], got[65];

	manifest_hash(path, want);
	hash_file(inode, ask, got, st);
	ck_assert_msg(!strcmp(want, got),
		      "%s: %s (%llu blocks a call): hash "
		      "%s, manifest %s",
		      image, path, (unsigned long long)ask, got, want);
	iput(inode);
}

static const char *const sizes[] = {
	"/sizes/s_1",	   "/sizes/s_1024",    "/sizes/s_1025",
	"/sizes/s_4097",   "/sizes/s_12288",   "/sizes/s_12289",
	"/sizes/s_65537",  "/sizes/s_274431",  "/sizes/s_274432",
	"/sizes/s_274433", "/sizes/s_1048577",
};

/* Block by block: direct, single and double indirect, 1 KiB blocks. */
START_TEST(one_block_at_a_time)
{
	struct map_stats st = { 0 };

	mount_ok("ext2-1k");
	for (size_t i = 0; i < ARRAY_SIZE(sizes); i++)
		expect_file(sizes[i], 1, &st);
	ck_assert_uint_gt(st.runs, 1300);
	ext2m_put(&sb, sd);
}
END_TEST

/* One call maps a whole run: as many blocks as the disk and array allow. */
START_TEST(runs_of_many_blocks)
{
	struct map_stats st = { 0 };

	mount_ok("ext2-1k");
	expect_file("/indirect/dense", 1u << 20, &st);
	ck_assert_uint_ge(st.max_run, 256);
	/* 1200 blocks: the 12 direct, then arrays of 256. */
	ck_assert_uint_le(st.runs, 12);
	ext2m_put(&sb, sd);
}
END_TEST

/* Never more than asked: runs cut at 5 blocks. */
START_TEST(runs_no_longer_than_asked)
{
	struct map_stats st = { 0 };

	mount_ok("ext2-1k");
	expect_file("/indirect/dense", 5, &st);
	ck_assert_uint_eq(st.max_run, 5);
	ext2m_put(&sb, sd);
}
END_TEST

/* BH_Boundary at every array end, at each block size. */
START_TEST(boundary_at_each_array_end)
{
	static const char *const imgs[] = { "ext2-1k", "ext2-2k", "ext2-4k" };

	for (size_t i = 0; i < ARRAY_SIZE(imgs); i++) {
		struct map_stats st = { 0 };

		mount_ok(imgs[i]);
		expect_file("/indirect/dense", 1u << 20, &st);
		ck_assert_uint_ge(st.boundaries, 1);
		expect_file("/sizes/s_274433", 1u << 20, &st);
		ext2m_put(&sb, sd);
	}
}
END_TEST

/* Holes: unmapped, no error; the hash counts them as zeroes. */
START_TEST(holes_are_unmapped)
{
	static const char *const files[] = {
		"/holes/start", "/holes/middle",    "/holes/end",
		"/holes/only",	"/holes/unaligned", "/holes/subblock",
	};
	struct map_stats st = { 0 };

	mount_ok("ext2-1k");
	for (size_t i = 0; i < ARRAY_SIZE(files); i++)
		expect_file(files[i], 64, &st);
	ck_assert_uint_gt(st.holes, 100);
	ext2m_put(&sb, sd);
}
END_TEST

/* Double indirect blocks, at every block size. */
START_TEST(double_indirect)
{
	static const char *const imgs[] = { "ext2-1k", "ext2-2k", "ext2-4k" };

	for (size_t i = 0; i < ARRAY_SIZE(imgs); i++) {
		struct map_stats st = { 0 };

		mount_ok(imgs[i]);
		expect_file("/indirect/double", 1u << 20, &st);
		ext2m_put(&sb, sd);
	}
}
END_TEST

/*
 * Bytes [off, off + len) of path, mapped through ext2_get_block, equal
 * the file as debugfs dumps it (holes read as zeroes). For files too
 * large and sparse to walk block by block.
 */
static void expect_range(const char *path, const u8 *dump, u64 off, u64 len)
{
	static const u8 zero[EXT2_MAX_BLOCK_SIZE];
	struct inode *inode = ext2m_lookup_ok(&sb, path);
	unsigned int bits = inode->i_blkbits, bs = 1u << bits;
	u64 b = off >> bits, end = (off + len + bs - 1) >> bits;

	while (b < end) {
		struct buffer_head map;
		const u8 *disk;
		u64 count;

		memset(&map, 0, sizeof(map));
		map.b_size = (size_t)(end - b) << bits;
		ck_assert_int_eq(ext2_get_block(inode, b, &map, 0), 0);
		count = buffer_mapped(&map) ? map.b_size >> bits : 1;
		ck_assert_uint_ge(count, 1);
		for (u64 i = 0; i < count && b + i < end; i++) {
			u64 pos = (b + i) << bits;
			u64 n = (u64)inode->i_size - pos < bs ?
					(u64)inode->i_size - pos :
					bs;

			disk = buffer_mapped(&map) ?
				       sd->data +
					       ((map.b_blocknr + i) << bits) :
				       zero;
			ck_assert_msg(!memcmp(disk, dump + pos, n),
				      "%s: %s: block %llu differs", image, path,
				      (unsigned long long)(b + i));
		}
		b += count;
	}
	iput(inode);
}

/* The file's bytes as debugfs reads them from the image. */
static u8 *dump_file(const char *path, uint64_t *size)
{
	char img[PATH_MAX];
	u8 *dump;

	snprintf(img, sizeof(img), "%s/%s.img", ext2_img_dir(), image);
	dump = ext2_img_dump(img, path, size);
	ck_assert_msg(dump != NULL, "debugfs could not dump %s", path);
	return dump;
}

/* Triple indirect blocks: 1 KiB blocks (past 64 MiB), 2 KiB (256 MiB). */
START_TEST(triple_indirect)
{
	uint64_t size;
	u8 *dump;

	mount_ok("ext2-1k");
	dump = dump_file("/indirect/triple", &size);
	expect_range("/indirect/triple", dump, 0, 8192);
	expect_range("/indirect/triple", dump, 32 << 20, 4096);
	expect_range("/indirect/triple", dump, 65 << 20, size - (65 << 20));
	free(dump);
	ext2m_put(&sb, sd);
	mount_ok("ext2-2k");
	dump = dump_file("/indirect/triple2k", &size);
	expect_range("/indirect/triple2k", dump, 0, 8192);
	expect_range("/indirect/triple2k", dump, 260u << 20,
		     size - (260u << 20));
	free(dump);
	ext2m_put(&sb, sd);
}
END_TEST

/* Files laid out in pieces (frag/big fills the gaps of deleted files). */
START_TEST(fragmented_file)
{
	struct map_stats st = { 0 };

	mount_ok("ext2-1k");
	expect_file("/frag/big", 1u << 20, &st);
	ck_assert_uint_gt(st.runs, 2);
	ext2m_put(&sb, sd);
}
END_TEST

/* Past what the triple indirect tree can hold: -EFBIG. */
START_TEST(beyond_the_map_is_efbig)
{
	struct buffer_head map;
	struct inode *inode;

	mount_ok("ext2-4k");
	inode = ext2m_lookup_ok(&sb, "/sizes/s_1");
	memset(&map, 0, sizeof(map));
	map.b_size = sb.s_blocksize;
	ck_assert_int_eq(ext2_get_block(inode, 1ull << 40, &map, 0), -EFBIG);
	ck_assert(!buffer_mapped(&map));
	iput(inode);
	ext2m_put(&sb, sd);
}
END_TEST

/*
 * A block number past the device inside an indirect block (the first
 * entry of /indirect/dense's, corrupt/INDEX says): -EUCLEAN for that
 * block, nothing mapped; its neighbours map as before.
 */
START_TEST(bad_block_number_is_euclean)
{
	struct buffer_head map;
	struct inode *inode;

	mount_ok("corrupt/indirect-entry-past-end");
	inode = ext2m_lookup_ok(&sb, "/indirect/dense");
	memset(&map, 0, sizeof(map));
	map.b_size = 4 * sb.s_blocksize;
	ck_assert_int_eq(ext2_get_block(inode, 12, &map, 0), -EUCLEAN);
	ck_assert(!buffer_mapped(&map));
	memset(&map, 0, sizeof(map));
	map.b_size = 4 * sb.s_blocksize;
	ck_assert_int_eq(ext2_get_block(inode, 13, &map, 0), 0);
	ck_assert(buffer_mapped(&map));
	memset(&map, 0, sizeof(map));
	map.b_size = 64 * sb.s_blocksize;
	ck_assert_int_eq(ext2_get_block(inode, 0, &map, 0), 0);
	ck_assert(buffer_mapped(&map));
	ck_assert_uint_eq(map.b_size, EXT2_NDIR_BLOCKS * sb.s_blocksize);
	iput(inode);
	ext2m_put(&sb, sd);
}
END_TEST

/* The indirect block cannot be read: -EIO, nothing mapped. */
START_TEST(indirect_read_error_is_eio)
{
	struct buffer_head map;
	struct inode *inode;
	u32 ind;

	mount_ok("ext2-1k");
	inode = ext2m_lookup_ok(&sb, "/indirect/dense");
	ind = EXT2_I(inode)->i_data[EXT2_IND_BLOCK];
	sim_rq_disk_add_bad(sd, (sector_t)ind * 2, (sector_t)ind * 2 + 2, READ);
	memset(&map, 0, sizeof(map));
	map.b_size = 4 * sb.s_blocksize;
	ck_assert_int_eq(ext2_get_block(inode, 20, &map, 0), -EIO);
	ck_assert(!buffer_mapped(&map));
	/* The direct blocks need no indirect block. */
	memset(&map, 0, sizeof(map));
	map.b_size = sb.s_blocksize;
	ck_assert_int_eq(ext2_get_block(inode, 3, &map, 0), 0);
	ck_assert(buffer_mapped(&map));
	iput(inode);
	sd->nr_bad = 0;
	ext2m_put(&sb, sd);
}
END_TEST

/* Map block b with create; the new block stays mapped there after. */
static void expect_allocated(const char *path, u64 b)
{
	struct buffer_head map;
	struct inode *inode = ext2m_lookup_ok(&sb, path);
	sector_t got;

	memset(&map, 0, sizeof(map));
	map.b_size = sb.s_blocksize;
	ck_assert_int_eq(ext2_get_block(inode, b, &map, 0), 0);
	ck_assert(!buffer_mapped(&map));
	memset(&map, 0, sizeof(map));
	map.b_size = sb.s_blocksize;
	ck_assert_int_eq(ext2_get_block(inode, b, &map, 1), 0);
	ck_assert_msg(buffer_mapped(&map), "%s block %llu: not allocated", path,
		      (unsigned long long)b);
	ck_assert(buffer_new(&map));
	got = map.b_blocknr;
	memset(&map, 0, sizeof(map));
	map.b_size = sb.s_blocksize;
	ck_assert_int_eq(ext2_get_block(inode, b, &map, 0), 0);
	ck_assert(buffer_mapped(&map));
	ck_assert_uint_eq(map.b_blocknr, got);
	ck_assert(!buffer_new(&map));
	iput(inode);
}

/*
 * create = 1 on a hole allocates a new block, which stays mapped: a
 * hole under a missing indirect block (/holes/only), and one in an
 * indirect block that exists (/holes/middle has data past block 97).
 */
START_TEST(create_allocates_the_hole)
{
	mount_ok("ext2-1k");
	expect_allocated("/holes/only", 50);
	expect_allocated("/holes/middle", 30);
	ext2m_put(&sb, sd);
}
END_TEST

static Suite *lab_get_block_suite(void)
{
	Suite *s = suite_create("lab_get_block");
	TCase *tc = tcase_create("graded");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, one_block_at_a_time);
	tcase_add_test(tc, runs_of_many_blocks);
	tcase_add_test(tc, runs_no_longer_than_asked);
	tcase_add_test(tc, boundary_at_each_array_end);
	tcase_add_test(tc, holes_are_unmapped);
	tcase_add_test(tc, double_indirect);
	tcase_add_test(tc, triple_indirect);
	tcase_add_test(tc, fragmented_file);
	tcase_add_test(tc, beyond_the_map_is_efbig);
	tcase_add_test(tc, bad_block_number_is_euclean);
	tcase_add_test(tc, indirect_read_error_is_eio);
	tcase_add_test(tc, create_allocates_the_hole);
	suite_add_tcase(s, tc);
	ext2_img_dir(); /* build once, before Check forks */
	return s;
}

UNIT_SUITE(lab_get_block_suite)
