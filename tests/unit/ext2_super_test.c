/*
 * ext2_check_super() and ext2_check_group_desc() against the images
 * mke2fs built (every one must pass, with the geometry mke2fs chose),
 * against the damaged images of tests/images/corrupt.py, and against
 * superblocks damaged here one field at a time.
 */
#define _ISOC11_SOURCE 1
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compiler.h"
#include "errno.h"
#include "fs/ext2/ext2.h"
#include "fixtures/ext2_img.h"
#include "unit.h"

struct image_case {
	const char *name;
	unsigned int block_size, inode_size, groups, rev;
};

/* What mke2fs makes of 32 MiB with the builder's options. */
static const struct image_case good_images[] = {
	{ "ext2-1k.img", 1024, 256, 4, 1 },
	{ "ext2-2k.img", 2048, 256, 1, 1 },
	{ "ext2-4k.img", 4096, 256, 1, 1 },
	{ "ext2-4k-i128.img", 4096, 128, 1, 1 },
	{ "ext2-r0.img", 1024, 128, 4, 0 },
};

static struct ext2_super_block *read_sb(const char *img)
{
	return ext2_img_read(img, EXT2_SUPER_OFFSET, EXT2_SUPER_SIZE);
}

static struct ext2_group_desc *read_gdt(const char *img,
					const struct ext2_super_block *es,
					const struct ext2_geometry *geo)
{
	u64 off = (u64)(es->s_first_data_block + 1) * geo->block_size;

	return ext2_img_read(img, off,
			     (size_t)geo->desc_blocks * geo->block_size);
}

START_TEST(good_images_pass)
{
	const struct image_case *c = &good_images[_i];
	struct ext2_super_block *es = read_sb(c->name);
	struct ext2_geometry geo;
	int err;

	err = ext2_check_super(es, ext2_img_size(c->name), &geo);
	ck_assert_msg(err == 0, "%s: %d %s", c->name, err, geo.why);
	ck_assert(!geo.read_only);
	ck_assert_uint_eq(es->s_rev_level, c->rev);
	ck_assert_uint_eq(geo.block_size, c->block_size);
	ck_assert_uint_eq(1u << geo.block_bits, c->block_size);
	ck_assert_uint_eq(geo.inode_size, c->inode_size);
	ck_assert_uint_eq(geo.groups_count, c->groups);
	ck_assert_uint_eq(geo.desc_blocks, 1);
	ck_assert_uint_eq(geo.first_ino, 11);
	ck_assert_uint_eq(geo.itb_per_group * geo.block_size,
			  es->s_inodes_per_group * c->inode_size);
	free(es);
}
END_TEST

/* Descriptors valid, and each group's free count is what its bitmap says. */
START_TEST(good_images_groups_and_bitmaps)
{
	const struct image_case *c = &good_images[_i];
	struct ext2_super_block *es = read_sb(c->name);
	struct ext2_geometry geo;
	struct ext2_group_desc *gdt;

	ck_assert_int_eq(ext2_check_super(es, ext2_img_size(c->name), &geo), 0);
	gdt = read_gdt(c->name, es, &geo);
	for (u32 g = 0; g < geo.groups_count; g++) {
		u32 nblocks = ext2_group_last_block(es, &geo, g) -
			      ext2_group_first_block(es, &geo, g) + 1;
		u8 *bb = ext2_img_read(
			c->name, (u64)gdt[g].bg_block_bitmap * geo.block_size,
			geo.block_size);
		u8 *ib = ext2_img_read(
			c->name, (u64)gdt[g].bg_inode_bitmap * geo.block_size,
			geo.block_size);

		ck_assert_msg(ext2_check_group_desc(es, &geo, &gdt[g], g) == 0,
			      "%s group %u: %s", c->name, g, geo.why);
		ck_assert_uint_eq(ext2_count_free(bb, nblocks),
				  gdt[g].bg_free_blocks_count);
		ck_assert_uint_eq(ext2_count_free(ib, es->s_inodes_per_group),
				  gdt[g].bg_free_inodes_count);
		free(bb);
		free(ib);
	}
	free(gdt);
	free(es);
}
END_TEST

struct corrupt_case {
	const char *name;
	int err; /* from ext2_check_super */
	bool read_only;
	const char *why; /* a word the message must contain */
};

static const struct corrupt_case corrupt_sb[] = {
	{ "corrupt/sb-bad-magic.img", -EINVAL, false, "magic" },
	{ "corrupt/sb-bad-log-block-size.img", -EINVAL, false, "block size" },
	{ "corrupt/sb-incompat-extents.img", -EINVAL, false, "INCOMPAT" },
	{ "corrupt/sb-rocompat-dir-nlink.img", 0, true, "read-only" },
	{ "corrupt/sb-blocks-past-device.img", -EINVAL, false, "device" },
};

START_TEST(corrupt_superblocks)
{
	const struct corrupt_case *c = &corrupt_sb[_i];
	struct ext2_super_block *es = read_sb(c->name);
	struct ext2_geometry geo;
	int err = ext2_check_super(es, ext2_img_size(c->name), &geo);

	ck_assert_msg(err == c->err, "%s: got %d (%s)", c->name, err, geo.why);
	ck_assert(geo.read_only == c->read_only);
	ck_assert_msg(strstr(geo.why, c->why), "%s: \"%s\"", c->name, geo.why);
	free(es);
}
END_TEST

START_TEST(corrupt_group_desc)
{
	const char *img = "corrupt/gd-inode-table-past-end.img";
	struct ext2_super_block *es = read_sb(img);
	struct ext2_geometry geo;
	struct ext2_group_desc *gdt;

	ck_assert_int_eq(ext2_check_super(es, ext2_img_size(img), &geo), 0);
	gdt = read_gdt(img, es, &geo);
	ck_assert_int_eq(ext2_check_group_desc(es, &geo, &gdt[0], 0), 0);
	ck_assert_int_eq(ext2_check_group_desc(es, &geo, &gdt[1], 1), -EUCLEAN);
	ck_assert_ptr_nonnull(strstr(geo.why, "inode table"));
	free(gdt);
	free(es);
}
END_TEST

/* Bitmaps that disagree with their group's free count, either way. */
START_TEST(corrupt_bitmaps)
{
	static const char *const imgs[] = {
		"corrupt/bitmap-used-as-free.img",
		"corrupt/bitmap-free-as-used.img",
	};
	const char *img = imgs[_i];
	struct ext2_super_block *es = read_sb(img);
	struct ext2_geometry geo;
	struct ext2_group_desc *gdt;
	int mismatches = 0;

	ck_assert_int_eq(ext2_check_super(es, ext2_img_size(img), &geo), 0);
	gdt = read_gdt(img, es, &geo);
	for (u32 g = 0; g < geo.groups_count; g++) {
		u32 n = ext2_group_last_block(es, &geo, g) -
			ext2_group_first_block(es, &geo, g) + 1;
		u8 *bb = ext2_img_read(
			img, (u64)gdt[g].bg_block_bitmap * geo.block_size,
			geo.block_size);

		mismatches += ext2_count_free(bb, n) !=
			      gdt[g].bg_free_blocks_count;
		free(bb);
	}
	ck_assert_int_eq(mismatches, 1);
	free(gdt);
	free(es);
}
END_TEST

/* One field of a good 1 KiB superblock changed, and the verdict. */
struct field_case {
	const char *what;
	void (*mutate)(struct ext2_super_block *es);
	int err;
};

#define MUT(name, stmt)                               \
	static void name(struct ext2_super_block *es) \
	{                                             \
		stmt;                                 \
	}

MUT(rev2, es->s_rev_level = 2)
MUT(frag_differs, es->s_log_frag_size = 1)
MUT(log_huge, es->s_log_block_size = 0xffffffffu)
MUT(isize_100, es->s_inode_size = 100)
MUT(isize_64, es->s_inode_size = 64)
MUT(isize_2048, es->s_inode_size = 2048)
MUT(isize_512, es->s_inode_size = 512)
MUT(ipg_zero, es->s_inodes_per_group = 0)
MUT(ipg_huge, es->s_inodes_per_group = 8 * 1024 + 8)
MUT(ipg_partial_block, es->s_inodes_per_group += 1)
MUT(first_ino_low, es->s_first_ino = 5)
MUT(first_ino_high, es->s_first_ino = es->s_inodes_count + 1)
MUT(first_data_0, es->s_first_data_block = 0)
MUT(bpg_zero, es->s_blocks_per_group = 0)
MUT(bpg_huge, es->s_blocks_per_group = 8 * 1024 + 8)
MUT(bpg_odd, es->s_blocks_per_group = 8191)
MUT(blocks_tiny, es->s_blocks_count = 2)
MUT(free_blocks_high, es->s_free_blocks_count = es->s_blocks_count + 1)
MUT(reserved_high, es->s_r_blocks_count = es->s_blocks_count + 1)
MUT(free_inodes_high, es->s_free_inodes_count = es->s_inodes_count + 1)
MUT(inodes_count_off, es->s_inodes_count -= 8)
MUT(incompat_unknown, es->s_feature_incompat |= 0x80000000u)
MUT(incompat_meta_bg, es->s_feature_incompat |= EXT2_FEATURE_INCOMPAT_META_BG)
MUT(journal_needs_recovery,
    es->s_feature_incompat |= EXT3_FEATURE_INCOMPAT_RECOVER)
/* Revision 0 has no feature words and a fixed inode size: both ignored. */
MUT(rev0_ignores_features,
    (es->s_rev_level = 0, es->s_feature_incompat = 0xffffffffu,
     es->s_inode_size = 3))
MUT(compat_unknown, es->s_feature_compat |= 0x80000000u)
/* A shorter last group is legal; a group fewer contradicts the inode count. */
MUT(fewer_blocks, es->s_blocks_count -= 100)
MUT(group_fewer, es->s_blocks_count -= 8192)

static const struct field_case field_cases[] = {
	{ "rev2", rev2, -EINVAL },
	{ "frag_differs", frag_differs, -EINVAL },
	{ "log_huge", log_huge, -EINVAL },
	{ "isize_100", isize_100, -EUCLEAN },
	{ "isize_64", isize_64, -EUCLEAN },
	{ "isize_2048", isize_2048, -EUCLEAN },
	{ "isize_512", isize_512, 0 },
	{ "ipg_zero", ipg_zero, -EUCLEAN },
	{ "ipg_huge", ipg_huge, -EUCLEAN },
	{ "ipg_partial_block", ipg_partial_block, -EUCLEAN },
	{ "first_ino_low", first_ino_low, -EUCLEAN },
	{ "first_ino_high", first_ino_high, -EUCLEAN },
	{ "first_data_0", first_data_0, -EUCLEAN },
	{ "bpg_zero", bpg_zero, -EUCLEAN },
	{ "bpg_huge", bpg_huge, -EUCLEAN },
	{ "bpg_odd", bpg_odd, -EUCLEAN },
	{ "blocks_tiny", blocks_tiny, -EUCLEAN },
	{ "free_blocks_high", free_blocks_high, -EUCLEAN },
	{ "reserved_high", reserved_high, -EUCLEAN },
	{ "free_inodes_high", free_inodes_high, -EUCLEAN },
	{ "inodes_count_off", inodes_count_off, -EUCLEAN },
	{ "incompat_unknown", incompat_unknown, -EINVAL },
	{ "incompat_meta_bg", incompat_meta_bg, -EINVAL },
	{ "journal_needs_recovery", journal_needs_recovery, -EINVAL },
	{ "rev0_ignores_features", rev0_ignores_features, 0 },
	{ "compat_unknown", compat_unknown, 0 },
	{ "fewer_blocks", fewer_blocks, 0 },
	{ "group_fewer", group_fewer, -EUCLEAN },
};

START_TEST(crafted_fields)
{
	const struct field_case *c = &field_cases[_i];
	struct ext2_super_block *es = read_sb("ext2-1k.img");
	struct ext2_geometry geo;
	int err;

	c->mutate(es);
	err = ext2_check_super(es, ext2_img_size("ext2-1k.img"), &geo);
	ck_assert_msg(err == c->err, "%s: got %d (%s)", c->what, err, geo.why);
	if (err)
		ck_assert_msg(geo.why[0], "%s: no reason given", c->what);
	free(es);
}
END_TEST

/* The device must hold every block: exact fit passes, one byte short fails. */
START_TEST(device_size_boundary)
{
	struct ext2_super_block *es = read_sb("ext2-4k.img");
	struct ext2_geometry geo;
	u64 exact = (u64)es->s_blocks_count * 4096;

	ck_assert_int_eq(ext2_check_super(es, exact, &geo), 0);
	ck_assert_int_eq(ext2_check_super(es, exact - 1, &geo), -EINVAL);
	ck_assert_int_eq(ext2_check_super(es, 0, &geo), -EINVAL);
	free(es);
}
END_TEST

START_TEST(count_free_partial_bytes)
{
	const u8 bm[] = { 0x0f, 0x80, 0xff };

	ck_assert_uint_eq(ext2_count_free(bm, 0), 0);
	ck_assert_uint_eq(ext2_count_free(bm, 4), 0);
	ck_assert_uint_eq(ext2_count_free(bm, 5), 1);
	ck_assert_uint_eq(ext2_count_free(bm, 8), 4);
	ck_assert_uint_eq(ext2_count_free(bm, 15), 11);
	ck_assert_uint_eq(ext2_count_free(bm, 16), 11);
	ck_assert_uint_eq(ext2_count_free(bm, 24), 11);
}
END_TEST

static Suite *ext2_super_suite(void)
{
	Suite *s = suite_create("ext2_super");
	TCase *tc = tcase_create("core");

	ext2_img_dir(); /* build once, before Check forks */
	tcase_set_timeout(tc, 30);
	tcase_add_loop_test(tc, good_images_pass, 0, ARRAY_SIZE(good_images));
	tcase_add_loop_test(tc, good_images_groups_and_bitmaps, 0,
			    ARRAY_SIZE(good_images));
	tcase_add_loop_test(tc, corrupt_superblocks, 0, ARRAY_SIZE(corrupt_sb));
	tcase_add_test(tc, corrupt_group_desc);
	tcase_add_loop_test(tc, corrupt_bitmaps, 0, 2);
	tcase_add_loop_test(tc, crafted_fields, 0, ARRAY_SIZE(field_cases));
	tcase_add_test(tc, device_size_boundary);
	tcase_add_test(tc, count_free_partial_bytes);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_SUITE(ext2_super_suite)
