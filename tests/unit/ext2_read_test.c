/*
 * Mounting the mke2fs images on a simulated disk, reading inodes,
 * directories and the block map. Every file of each image's manifest is
 * found by path (ext2_inode_by_name), mapped block by block with
 * ext2_get_block, and its bytes, taken from the disk at the mapped
 * blocks, must hash to the manifest's sha256: a wrong mapping, a run
 * claimed contiguous that is not, or a hole mapped, all change the hash.
 * Each mapping is also checked for its own rules (runs as long as the
 * disk allows, BH_Boundary exactly at the end of an array). The damaged
 * images must fail at mount or on access with -EINVAL/-EUCLEAN.
 */
#define _ISOC11_SOURCE 1
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "blkdev.h"
#include "buffer_head.h"
#include "compiler.h"
#include "errno.h"
#include "fs/ext2/ext2.h"
#include "fixtures/ext2_img.h"
#include "fixtures/ext2_mount.h"
#include "mpage.h"
#include "pagemap.h"
#include "fixtures/platform.h"
#include "sha256.h"
#include "fixtures/sim_rq_disk.h"
#include "unit.h"
#include "vfs.h"

static struct sim_rq_disk *sd;
static struct super_block sb;

static const char *const images[] = {
	"ext2-1k", "ext2-2k", "ext2-4k", "ext2-4k-i128", "ext2-r0",
};

static int mount_img(const char *file)
{
	return ext2m_fill(&sb, &sd, file, NULL);
}

static void mount_ok(const char *name)
{
	char file[64];
	int err;

	snprintf(file, sizeof(file), "%s.img", name);
	err = mount_img(file);
	ck_assert_msg(err == 0, "%s: mount: %d\n%s", file, err,
		      host_printk_log());
}

struct map_stats {
	unsigned long calls, mapped_calls, boundaries, holes, max_run;
};

/* One get_block call, checked against the rules of the map. */
static void map_one(struct inode *inode, u64 b, u64 want,
		    struct buffer_head *map, struct map_stats *st)
{
	unsigned int bits = inode->i_blkbits;
	int err;

	memset(map, 0, sizeof(*map));
	map->b_size = (size_t)want << bits;
	err = ext2_get_block(inode, b, map, 0);
	unit_check_msg(err == 0, "ino %lu block %llu: %d", inode->i_ino,
		       (unsigned long long)b, err);
	st->calls++;
	if (!buffer_mapped(map)) {
		st->holes++;
		return;
	}
	u64 count = map->b_size >> bits;

	unit_check(count >= 1 && count <= want);
	unit_check(map->b_bdev == sb.s_bdev);
	unit_check_msg(!!buffer_boundary(map) ==
			       ext2m_array_start(b + count, bits),
		       "ino %lu: run %llu+%llu boundary %d", inode->i_ino,
		       (unsigned long long)b, (unsigned long long)count,
		       buffer_boundary(map));
	st->mapped_calls++;
	st->boundaries += !!buffer_boundary(map);
	if (count > st->max_run)
		st->max_run = count;
}

/* The file's sha256 from the disk bytes its map points at. */
static void hash_file(struct inode *inode, char hex[65], struct map_stats *st)
{
	static const u8 zero[EXT2_MAX_BLOCK_SIZE];
	unsigned int bits = inode->i_blkbits, bs = 1u << bits;
	u64 size = (u64)inode->i_size, nblocks = (size + bs - 1) >> bits;
	u64 prev_end_blocknr = 0, prev_end_b = ~0ull;
	struct sha256_ctx ctx;
	struct buffer_head map;
	u8 digest[SHA256_DIGEST_SIZE];
	u64 b = 0;

	sha256_init(&ctx);
	while (b < nblocks) {
		u64 left = size - (b << bits), count;

		map_one(inode, b, nblocks - b, &map, st);
		if (!buffer_mapped(&map)) {
			sha256_update(&ctx, zero, left < bs ? left : bs);
			b++;
			continue;
		}
		count = map.b_size >> bits;
		/* A run ends early only where the disk is discontiguous. */
		unit_check_msg(b != prev_end_b ||
				       map.b_blocknr != prev_end_blocknr,
			       "ino %lu: run at %llu could have been longer",
			       inode->i_ino, (unsigned long long)b);
		unit_check((map.b_blocknr + count) << bits <=
			   sd->nr_sectors << SECTOR_SHIFT);
		sha256_update(&ctx, sd->data + (map.b_blocknr << bits),
			      left < (count << bits) ? left : count << bits);
		prev_end_b = buffer_boundary(&map) ? ~0ull : b + count;
		prev_end_blocknr = map.b_blocknr + count;
		b += count;
	}
	sha256_final(&ctx, digest);
	sha256_hex(digest, hex);
}

START_TEST(mount_good_images)
{
	struct ext2_sb_info *sbi;
	struct inode *root;

	mount_ok(images[_i]);
	sbi = EXT2_SB(&sb);
	ck_assert_ptr_nonnull(sbi);
	ck_assert(!sbi->s_read_only);
	ck_assert_uint_eq(sb.s_blocksize, sbi->s_geo.block_size);
	ck_assert_ptr_nonnull(strstr(host_printk_log(), "mounted"));
	root = ext2m_lookup_ok(&sb, "/");
	ck_assert(S_ISDIR(root->i_mode));
	iput(root);
	ext2m_put(&sb, sd);
}
END_TEST

/* Every file of the manifest, found by path, hashes right through the map. */
START_TEST(manifest_through_get_block)
{
	char file[64], hex[65], *list, *line, *save;
	struct map_stats st = { 0 };
	uint64_t size;
	unsigned int files = 0;

	mount_ok(images[_i]);
	snprintf(file, sizeof(file), "%s.sha256", images[_i]);
	list = ext2_img_load(file, &size);
	list = realloc(list, size + 1);
	list[size] = 0;
	for (line = strtok_r(list, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		struct inode *inode = ext2m_lookup_ok(&sb, line + 66);

		unit_check(S_ISREG(inode->i_mode));
		hash_file(inode, hex, &st);
		unit_check_msg(!memcmp(hex, line, 64), "%s: %s: got %s",
			       images[_i], line + 66, hex);
		iput(inode);
		files++;
	}
	free(list);
	ck_assert_uint_gt(files, 1050);
	ck_assert_uint_gt(st.boundaries, 10);
	ck_assert_uint_gt(st.holes, 1000);
	ck_assert_uint_ge(st.max_run, 12);
	ext2m_put(&sb, sd);
}
END_TEST

/* A file's sha256 read through the page cache: readahead, mpage, get_block. */
static void hash_via_page_cache(struct inode *inode, char hex[65])
{
	enum { CHUNK = 256 << 10 };
	static char buf[CHUNK];
	struct file_ra_state ra;
	struct sha256_ctx ctx;
	u8 digest[SHA256_DIGEST_SIZE];
	loff_t pos = 0;

	file_ra_state_init(&ra, inode->i_mapping);
	sha256_init(&ctx);
	for (;;) {
		ssize_t n = filemap_read(inode->i_mapping, &ra, NULL, pos, buf,
					 CHUNK);

		unit_check_msg(n >= 0, "ino %lu at %lld: %zd", inode->i_ino,
			       (long long)pos, n);
		if (n == 0)
			break;
		sha256_update(&ctx, buf, (size_t)n);
		pos += n;
		/* Keep the cache small: big sparse files pass through it. */
		if (pos >= 2 * CHUNK)
			invalidate_mapping_pages(inode->i_mapping, 0,
						 (pgoff_t)((pos - CHUNK) >>
							   PAGE_SHIFT));
	}
	ck_assert_int_eq(pos, inode->i_size);
	sha256_final(&ctx, digest);
	sha256_hex(digest, hex);
}

/* The same files through the page cache, read by mpage in multi-page bios. */
START_TEST(manifest_through_mpage)
{
	char file[64], hex[65], *list, *line, *save;
	unsigned long bios_before = mpage_stats.read_bios;
	unsigned long reads_before;
	uint64_t size;

	mount_ok(images[_i]);
	reads_before = sd->disk->stats.ios[READ];
	snprintf(file, sizeof(file), "%s.sha256", images[_i]);
	list = ext2_img_load(file, &size);
	list = realloc(list, size + 1);
	list[size] = 0;
	for (line = strtok_r(list, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		struct inode *inode = ext2m_lookup_ok(&sb, line + 66);

		hash_via_page_cache(inode, hex);
		unit_check_msg(!memcmp(hex, line, 64), "%s: %s: got %s",
			       images[_i], line + 66, hex);
		iput(inode);
	}
	free(list);
	ck_assert_uint_gt(mpage_stats.read_bios, bios_before);
	ck_assert_uint_gt(sd->disk->stats.ios[READ], reads_before);
	ext2m_put(&sb, sd);
}
END_TEST

/*
 * A contiguous file costs one call per array of the map: 12 direct
 * blocks, then apb per indirect block, since mke2fs lays data out in order.
 */
START_TEST(dense_file_one_call_per_array)
{
	struct map_stats st = { 0 };
	struct buffer_head map;
	struct inode *inode;
	u64 b = 0, nblocks, arrays = 0, apb;
	unsigned int bits;

	mount_ok(images[_i]);
	inode = ext2m_lookup_ok(&sb, "/indirect/dense");
	bits = inode->i_blkbits;
	apb = 1ull << (bits - 2);
	nblocks = ((u64)inode->i_size + (1u << bits) - 1) >> bits;
	for (u64 i = 0; i < nblocks; i++)
		arrays += i == 0 || ext2m_array_start(i, bits);
	while (b < nblocks) {
		map_one(inode, b, nblocks - b, &map, &st);
		ck_assert(buffer_mapped(&map));
		b += map.b_size >> bits;
	}
	ck_assert_uint_eq(b, nblocks);
	ck_assert_uint_eq(st.calls, arrays);
	ck_assert_uint_eq(st.max_run, nblocks > EXT2_NDIR_BLOCKS + apb ?
					      apb :
					      nblocks - EXT2_NDIR_BLOCKS);
	/* Asking for one block maps one block. */
	map_one(inode, 3, 1, &map, &st);
	ck_assert_uint_eq(map.b_size, 1u << bits);
	ck_assert(!buffer_boundary(&map));
	map_one(inode, 11, 1, &map, &st);
	ck_assert(buffer_boundary(&map));
	iput(inode);
	ext2m_put(&sb, sd);
}
END_TEST

/* The fragmented file needs several runs, each a real discontiguity. */
START_TEST(fragmented_file_runs)
{
	struct map_stats st = { 0 };
	struct inode *inode;
	char hex[65];

	mount_ok(images[_i]);
	inode = ext2m_lookup_ok(&sb, "/frag/big");
	hash_file(inode, hex, &st);
	ck_assert_uint_ge(st.mapped_calls - st.boundaries, 3);
	ck_assert_uint_eq(st.holes, 0);
	iput(inode);
	ext2m_put(&sb, sd);
}
END_TEST

START_TEST(holes_stay_unmapped)
{
	struct map_stats st = { 0 };
	struct buffer_head map;
	struct inode *inode;
	unsigned int bits;

	mount_ok("ext2-1k");
	inode = ext2m_lookup_ok(&sb, "/holes/only");
	for (u64 b = 0; b < (100000 + 1023) / 1024; b++) {
		map_one(inode, b, 8, &map, &st);
		ck_assert(!buffer_mapped(&map));
	}
	iput(inode);
	inode = ext2m_lookup_ok(&sb, "/holes/start");
	bits = inode->i_blkbits;
	for (u64 b = 0; b < (40u * 1024) >> bits; b++) {
		map_one(inode, b, 64, &map, &st);
		ck_assert(!buffer_mapped(&map));
	}
	map_one(inode, (40u * 1024) >> bits, 64, &map, &st);
	ck_assert(buffer_mapped(&map));
	iput(inode);
	/* Past the triple indirect tree there is nothing to map. */
	inode = ext2m_lookup_ok(&sb, "/indirect/triple");
	map_one(inode, (65 * 1024 * 1024) >> bits, 1, &map, &st);
	ck_assert(buffer_mapped(&map));
	memset(&map, 0, sizeof(map));
	map.b_size = 1024;
	ck_assert_int_eq(ext2_get_block(inode, 12 + 256 + 65536 + 16777216ull,
					&map, 0),
			 -EFBIG);
	iput(inode);
	ext2m_put(&sb, sd);
}
END_TEST

/* /indirect/huge reaches the triple indirect block at 4 KiB blocks. */
START_TEST(huge_file_triple_indirect)
{
	struct map_stats st = { 0 };
	struct buffer_head map;
	struct inode *inode;
	u64 b = ((4ull << 30) + (8 << 20)) / 4096; /* 4 GiB + 8 MiB */

	mount_ok("ext2-4k");
	inode = ext2m_lookup_ok(&sb, "/indirect/huge");
	ck_assert_uint_eq((u64)inode->i_size,
			  (4ull << 30) + (9 << 20) + 1 + 3000);
	ck_assert_uint_gt(b, 12 + 1024 + 1024 * 1024);
	map_one(inode, b, 2, &map, &st);
	ck_assert(buffer_mapped(&map));
	ck_assert_uint_eq(map.b_size, 2 * 4096);
	map_one(inode, b - 1, 1, &map, &st);
	ck_assert(!buffer_mapped(&map));
	iput(inode);
	ext2m_put(&sb, sd);
}
END_TEST

struct mount_case {
	const char *img;
	int err;
};

static const struct mount_case mount_cases[] = {
	{ "corrupt/sb-bad-magic.img", -EINVAL },
	{ "corrupt/sb-bad-log-block-size.img", -EINVAL },
	{ "corrupt/sb-incompat-extents.img", -EINVAL },
	{ "corrupt/sb-blocks-past-device.img", -EINVAL },
	{ "corrupt/gd-inode-table-past-end.img", -EUCLEAN },
	{ "corrupt/bitmap-used-as-free.img", -EUCLEAN },
	{ "corrupt/bitmap-free-as-used.img", -EUCLEAN },
};

START_TEST(mount_refuses_damage)
{
	const struct mount_case *c = &mount_cases[_i];
	int err = mount_img(c->img);

	ck_assert_msg(err == c->err, "%s: %d", c->img, err);
	ck_assert_ptr_null(sb.s_fs_info);
	ck_assert_msg(strstr(host_printk_log(), "ext2: vd"), "%s: no message",
		      c->img);
	sim_rq_disk_destroy(sd);
}
END_TEST

START_TEST(mount_read_only_on_unknown_ro_compat)
{
	ck_assert_int_eq(mount_img("corrupt/sb-rocompat-dir-nlink.img"), 0);
	ck_assert(EXT2_SB(&sb)->s_read_only);
	ck_assert_ptr_nonnull(strstr(host_printk_log(), "read-only"));
	ext2m_put(&sb, sd);
}
END_TEST

struct access_case {
	const char *img, *bad, *good;
};

/* Damaged inodes: that path fails, a neighbour still reads. */
static const struct access_case access_cases[] = {
	{ "corrupt/inode-block-past-end.img", "/sizes/s_4096",
	  "/sizes/s_4095" },
	{ "corrupt/inode-ind-past-end.img", "/sizes/s_65537",
	  "/sizes/s_65536" },
	{ "corrupt/inode-absurd-size.img", "/sizes/s_1", "/sizes/s_0" },
	{ "corrupt/inode-bad-mode.img", "/sizes/s_2048", "/sizes/s_2049" },
	{ "corrupt/dir-reclen-zero.img", "/holes/start", "/sizes/s_1" },
	{ "corrupt/dir-reclen-overrun.img", "/names/x", "/sizes/s_1" },
	{ "corrupt/dir-reclen-unaligned.img", "/hardlink/a", "/sizes/s_1" },
	{ "corrupt/dir-reclen-short.img", "/deep/d01/d02", "/sizes/s_1" },
	{ "corrupt/dirent-inode-past-end.img", "/names/x",
	  "/names/with space" },
};

START_TEST(access_fails_on_damage)
{
	const struct access_case *c = &access_cases[_i];
	struct map_stats st = { 0 };
	struct inode *inode;
	char hex[65];

	ck_assert_int_eq(mount_img(c->img), 0);
	inode = ext2m_lookup(&sb, c->bad);
	ck_assert_msg(IS_ERR(inode) && PTR_ERR(inode) == -EUCLEAN,
		      "%s: %s: %ld", c->img, c->bad,
		      IS_ERR(inode) ? PTR_ERR(inode) : 0);
	ck_assert_ptr_nonnull(strstr(host_printk_log(), "ext2: vd"));
	inode = ext2m_lookup_ok(&sb, c->good);
	hash_file(inode, hex, &st);
	iput(inode);
	ext2m_put(&sb, sd);
}
END_TEST

/* A bad entry in an indirect block fails that block only. */
START_TEST(indirect_entry_past_end)
{
	struct map_stats st = { 0 };
	struct buffer_head map = { .b_size = 1024 };
	struct inode *inode;

	ck_assert_int_eq(mount_img("corrupt/indirect-entry-past-end.img"), 0);
	inode = ext2m_lookup_ok(&sb, "/indirect/dense");
	ck_assert_int_eq(ext2_get_block(inode, 12, &map, 0), -EUCLEAN);
	ck_assert(!buffer_mapped(&map));
	map_one(inode, 11, 1, &map, &st);
	ck_assert(buffer_mapped(&map));
	map_one(inode, 13, 4, &map, &st);
	ck_assert(buffer_mapped(&map));
	iput(inode);
	ext2m_put(&sb, sd);
}
END_TEST

/*
 * A map whose contiguous run walks into group metadata (the blocks just
 * before a block bitmap, then the bitmap): the run stops before the
 * bitmap, and mapping the bitmap itself is refused as corrupt.
 */
START_TEST(run_stops_before_group_metadata)
{
	struct buffer_head map = { .b_size = 4 * 1024 };
	struct inode *inode;
	u32 bb;

	mount_ok("ext2-1k");
	inode = ext2m_lookup_ok(&sb, "/sizes/s_4096");
	bb = ext2_get_group_desc(&sb, 1)->bg_block_bitmap;
	ck_assert(ext2_data_block_valid(&sb, bb - 2));
	ck_assert(ext2_data_block_valid(&sb, bb - 1));
	for (unsigned int i = 0; i < 4; i++)
		EXT2_I(inode)->i_data[i] = bb - 2 + i;
	ck_assert_int_eq(ext2_get_block(inode, 0, &map, 0), 0);
	ck_assert(buffer_mapped(&map));
	ck_assert_uint_eq(map.b_blocknr, bb - 2);
	ck_assert_uint_eq(map.b_size, 2 * 1024);
	memset(&map, 0, sizeof(map));
	map.b_size = 2 * 1024;
	ck_assert_int_eq(ext2_get_block(inode, 2, &map, 0), -EUCLEAN);
	ck_assert(!buffer_mapped(&map));
	/* Not written back: the inode is dropped with the unmount. */
	iput(inode);
	ext2m_put(&sb, sd);
}
END_TEST

struct listing {
	unsigned int n, stop_after, types[EXT2_FT_MAX];
	unsigned int bad_type;
	bool seen[1000];
	bool dup;
};

static int count_entry(void *ctx, const char *name, int len, loff_t pos,
		       u64 ino, unsigned int type)
{
	struct listing *l = ctx;
	unsigned int i;

	(void)pos;
	(void)ino;
	if (l->stop_after && l->n == l->stop_after)
		return 1;
	l->n++;
	if (type < EXT2_FT_MAX)
		l->types[type]++;
	else
		l->bad_type++;
	if (len >= 5 && name[0] == 'e' && sscanf(name + 1, "%4u", &i) == 1 &&
	    i < 1000) {
		l->dup |= l->seen[i];
		l->seen[i] = true;
	}
	return 0;
}

START_TEST(readdir_bigdir_and_resume)
{
	struct listing all = { 0 }, part = { .stop_after = 10 };
	struct inode *dir;
	loff_t pos = 0;
	bool r0 = _i == 4;

	mount_ok(images[_i]);
	dir = ext2m_lookup_ok(&sb, "/bigdir");
	ck_assert_int_eq(ext2_readdir(dir, &pos, &all, count_entry), 0);
	ck_assert_uint_eq(all.n, 1002);
	ck_assert(!all.dup);
	for (unsigned int i = 0; i < 1000; i++)
		unit_check(all.seen[i]);
	ck_assert_uint_eq(all.types[r0 ? EXT2_FT_UNKNOWN : EXT2_FT_REG_FILE],
			  r0 ? 1002 : 1000);
	if (!r0)
		ck_assert_uint_eq(all.types[EXT2_FT_DIR], 2);
	/* Stop after 10, then resume from the cookie: 1002 in all, once each. */
	pos = 0;
	ck_assert_int_eq(ext2_readdir(dir, &pos, &part, count_entry), 0);
	ck_assert_uint_eq(part.n, 10);
	part.stop_after = 0;
	ck_assert_int_eq(ext2_readdir(dir, &pos, &part, count_entry), 0);
	ck_assert_uint_eq(part.n, 1002);
	ck_assert(!part.dup);
	iput(dir);
	ext2m_put(&sb, sd);
}
END_TEST

START_TEST(readdir_damaged)
{
	struct listing l = { 0 };
	struct inode *dir;
	loff_t pos = 0;

	ck_assert_int_eq(mount_img("corrupt/dir-reclen-zero.img"), 0);
	dir = ext2m_lookup_ok(&sb, "/holes");
	ck_assert_int_eq(ext2_readdir(dir, &pos, &l, count_entry), -EUCLEAN);
	iput(dir);
	ext2m_put(&sb, sd);
	/* An entry with a bad inode number is skipped, the rest listed. */
	ck_assert_int_eq(mount_img("corrupt/dirent-inode-past-end.img"), 0);
	dir = ext2m_lookup_ok(&sb, "/names");
	pos = 0;
	memset(&l, 0, sizeof(l));
	ck_assert_int_eq(ext2_readdir(dir, &pos, &l, count_entry), 0);
	ck_assert_uint_eq(l.n, 4); /* . .. nnn... "with space" */
	iput(dir);
	ext2m_put(&sb, sd);
}
END_TEST

START_TEST(iget_number_range)
{
	mount_ok("ext2-1k");
	ck_assert_int_eq(PTR_ERR(ext2_iget(&sb, 0)), -EUCLEAN);
	ck_assert_int_eq(
		PTR_ERR(ext2_iget(&sb, EXT2_SB(&sb)->s_es->s_inodes_count + 1)),
		-EUCLEAN);
	/* A free inode is not a file. */
	ck_assert_int_eq(
		PTR_ERR(ext2_iget(&sb, EXT2_SB(&sb)->s_es->s_inodes_count)),
		-EUCLEAN);
	ext2m_put(&sb, sd);
}
END_TEST

static Suite *ext2_read_suite(void)
{
	Suite *s = suite_create("ext2_read");
	TCase *tc = tcase_create("core");

	ext2_img_dir(); /* build once, before Check forks */
	tcase_set_timeout(tc, 120);
	tcase_add_loop_test(tc, mount_good_images, 0, ARRAY_SIZE(images));
	tcase_add_loop_test(tc, manifest_through_get_block, 0,
			    ARRAY_SIZE(images));
	tcase_add_loop_test(tc, manifest_through_mpage, 0, ARRAY_SIZE(images));
	tcase_add_loop_test(tc, dense_file_one_call_per_array, 0,
			    ARRAY_SIZE(images));
	tcase_add_loop_test(tc, fragmented_file_runs, 0, ARRAY_SIZE(images));
	tcase_add_test(tc, holes_stay_unmapped);
	tcase_add_test(tc, huge_file_triple_indirect);
	tcase_add_loop_test(tc, mount_refuses_damage, 0,
			    ARRAY_SIZE(mount_cases));
	tcase_add_test(tc, mount_read_only_on_unknown_ro_compat);
	tcase_add_loop_test(tc, access_fails_on_damage, 0,
			    ARRAY_SIZE(access_cases));
	tcase_add_test(tc, indirect_entry_past_end);
	tcase_add_test(tc, run_stops_before_group_metadata);
	tcase_add_loop_test(tc, readdir_bigdir_and_resume, 0,
			    ARRAY_SIZE(images));
	tcase_add_test(tc, readdir_damaged);
	tcase_add_test(tc, iget_number_range);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_SUITE(ext2_read_suite)
