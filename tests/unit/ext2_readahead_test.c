/*
 * ext2's indirect-block readahead (fs/ext2/get_block.c) on the mke2fs
 * 1 KiB-block image: a get_block call that maps a run makes sure the
 * indirect blocks of the next readahead window are on their way (their
 * numbers from the double-indirect block, itself read ahead first),
 * reading two windows' worth at once when they are not, marked
 * REQ_RAHEAD, and not those further on; so a stream never waits for an
 * indirect block:
 * with the disk holding every completion, mapping the next window must
 * not sleep (the host platform aborts a sleep nothing can end).
 *
 * /indirect/dense is 1200 contiguous blocks: 12 direct, 256 through the
 * single indirect block (file blocks 12-267), then the double-indirect
 * block and four indirect blocks under it (268-523, 524-779, 780-1035,
 * 1036-1199).
 */
#include "unit.h" /* first: it tames glibc's blkcnt_t */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "blkdev.h"
#include "buffer_head.h"
#include "errno.h"
#include "fs/ext2/ext2.h"
#include "fixtures/ext2_img.h"
#include "fixtures/ext2_mount.h"
#include "pagemap.h"
#include "fixtures/platform.h"
#include "sha256.h"
#include "fixtures/sim_rq_disk.h"
#include "vfs.h"

#define DENSE "/indirect/dense"
#define BLOCK 1024
#define REQUEST_PAGES 16 /* the disk's largest request: 64 KiB */
#define WINDOW_PAGES (VM_READAHEAD_REQUESTS * REQUEST_PAGES) /* 256 KiB */

static struct sim_rq_disk *sd;
static struct super_block sb;
static struct inode *dense;
static u32 ind[6]; /* ind[1] the single indirect block, ind[2..5] under DIND */
static u32 dind;

static const struct queue_limits limits = {
	.max_sectors = REQUEST_PAGES * (PAGE_SIZE / SECTOR_SIZE),
	.max_segments = 128,
	.max_segment_size = 65536,
	.logical_block_size = SECTOR_SIZE,
	.seg_boundary_mask = 0xffffffffUL,
};

static u32 disk_u32(u64 block, unsigned int idx)
{
	u32 v;

	memcpy(&v, sd->data + block * BLOCK + 4 * idx, sizeof(v));
	return v;
}

static void setup(void)
{
	u32 ino;

	ck_assert_int_eq(ext2m_fill(&sb, &sd, "ext2-1k.img", &limits), 0);
	dense = ext2_iget(&sb, EXT2_ROOT_INO);
	for (const char *p = DENSE + 1, *end; *p; p = *end ? end + 1 : end) {
		struct inode *dir = dense;

		end = strchr(p, '/');
		if (!end)
			end = p + strlen(p);
		ck_assert_int_eq(
			ext2_inode_by_name(dir, p, (size_t)(end - p), &ino), 0);
		dense = ext2_iget(&sb, ino);
		iput(dir);
		ck_assert(!IS_ERR(dense));
	}
	ck_assert_int_eq(dense->i_size, 1200 * BLOCK);
	ind[1] = EXT2_I(dense)->i_data[EXT2_IND_BLOCK];
	dind = EXT2_I(dense)->i_data[EXT2_DIND_BLOCK];
	for (unsigned int k = 2; k <= 5; k++)
		ind[k] = disk_u32(dind, k - 2);
	/* The disk's own readahead maximum, as bdev_bdi() set it. */
	ck_assert_uint_eq(dense->i_mapping->backing_dev_info->ra_pages,
			  WINDOW_PAGES);
	while (host_run_pending())
		;
	sd->nr_log = 0;
}

static void teardown(void)
{
	sd->hold = false;
	while (host_run_pending())
		;
	iput(dense);
	ext2m_put(&sb, sd);
}

/* Is block in the device's cache, read or being read? */
static bool cached(u32 block)
{
	struct buffer_head *bh = __find_get_block(sb.s_bdev, block, BLOCK);
	bool ret = bh && (buffer_uptodate(bh) || buffer_locked(bh));

	brelse(bh);
	return ret;
}

/* The logged read request holding block, or NULL. */
static const struct sim_rq_log *request_of(u32 block)
{
	sector_t s = (sector_t)block * (BLOCK / SECTOR_SIZE);

	for (unsigned int i = 0; i < sd->nr_log; i++)
		if (sd->log[i].sector <= s &&
		    s < sd->log[i].sector +
				    (sd->log[i].data_len >> SECTOR_SHIFT))
			return &sd->log[i];
	return NULL;
}

static void map(u64 block, u64 want, u64 first_phys)
{
	struct buffer_head bh = { .b_size = (size_t)want * BLOCK };

	ck_assert_int_eq(ext2_get_block(dense, block, &bh, 0), 0);
	ck_assert(buffer_mapped(&bh));
	ck_assert_uint_eq(bh.b_blocknr, first_phys);
	ck_assert_uint_eq(bh.b_size, want * BLOCK);
}

/*
 * The window is 256 blocks. Mapping 12-111 needs the indirect blocks up
 * to block 368 on their way, and starts those up to 624: past the
 * single indirect block, into the double-indirect tree, whose block is
 * not in memory: it is read ahead, and the walk stops there. Mapping
 * 112-267 then needs them up to 524, and reads ahead up to 780: the
 * indirect blocks for 268-523 and 524-779 (their numbers from the
 * double-indirect block), together, as readahead requests, and not the
 * one for 780-1035. Mapping 268-523 needs nothing new (780 is covered);
 * mapping 524-779 needs up to 1036 and reads the last two ahead.
 */
START_TEST(get_block_reads_ahead_the_next_indirect_blocks)
{
	const struct sim_rq_log *rq;
	unsigned int reqs;

	setup();
	map(12, 100, disk_u32(ind[1], 0));
	ck_assert(cached(dind));
	ck_assert(!cached(ind[2]));
	rq = request_of(dind);
	ck_assert_ptr_nonnull(rq);
	ck_assert(rq->cmd_flags & REQ_RAHEAD);
	while (host_run_pending())
		;
	map(112, 156, disk_u32(ind[1], 100));
	ck_assert(cached(ind[2]) && cached(ind[3]));
	ck_assert(!cached(ind[4]));
	for (unsigned int k = 2; k <= 3; k++) {
		rq = request_of(ind[k]);
		ck_assert_ptr_nonnull(rq);
		ck_assert(rq->cmd_flags & REQ_RAHEAD);
		ck_assert_uint_eq(rq->data_len, BLOCK);
	}
	while (host_run_pending())
		;
	reqs = sd->nr_log;
	map(268, 256, disk_u32(ind[2], 0));
	ck_assert_uint_eq(sd->nr_log, reqs);
	ck_assert(!cached(ind[4]));
	map(524, 256, disk_u32(ind[3], 0));
	ck_assert(cached(ind[4]) && cached(ind[5]));
	/* Each indirect block is read once, however often it is mapped. */
	map(268, 256, disk_u32(ind[2], 0));
	map(524, 256, disk_u32(ind[3], 0));
	for (unsigned int k = 2; k <= 5; k++)
		for (unsigned int i = 0, n = 0; i < sd->nr_log; i++) {
			sector_t s = (sector_t)ind[k] * (BLOCK / SECTOR_SIZE);

			n += sd->log[i].sector <= s &&
			     s < sd->log[i].sector + (sd->log[i].data_len >>
						      SECTOR_SHIFT);
			ck_assert_uint_le(n, 1);
		}
	teardown();
}
END_TEST

/* One call of filemap_read: all of it, or the test fails. */
static void read_ok(struct file_ra_state *ra, loff_t pos, size_t len, u8 *buf)
{
	ck_assert_int_eq(filemap_read(dense->i_mapping, ra, NULL, pos,
				      (char *)buf, len),
			 (ssize_t)len);
}

/*
 * A stream reads the first 300 KiB; then the disk holds every
 * completion and the next window is read ahead: mapping it needs the
 * indirect blocks for 524-779 and 780-1035, which the stream read ahead
 * already, so nothing waits. (Without indirect readahead get_block
 * would sleep on them, and the host platform aborts: nothing could ever
 * complete that read.) Released, the whole file hashes as mke2fs wrote
 * it.
 */
START_TEST(stream_never_waits_for_an_indirect_block)
{
	static u8 buf[64 * 1024];
	struct file_ra_state ra;
	struct sha256_ctx ctx;
	u8 digest[SHA256_DIGEST_SIZE];
	char hex[65], *list, *line;
	uint64_t size;
	pgoff_t next;
	struct page *page;

	setup();
	file_ra_state_init(&ra, dense->i_mapping);
	for (loff_t pos = 0; pos < 300 * 1024; pos += 60 * 1024)
		read_ok(&ra, pos, 60 * 1024, buf);
	while (host_run_pending())
		;
	for (next = 0; (page = find_get_page(dense->i_mapping, next)); next++)
		put_page(page);
	ck_assert_uint_lt(next << (PAGE_SHIFT - 10), 780);
	ck_assert(cached(ind[3]) && cached(ind[4]));
	sd->hold = true;
	force_page_cache_readahead(dense->i_mapping, NULL, next, WINDOW_PAGES);
	ck_assert_uint_gt(sd->nr_inflight, 0);
	sd->hold = false;
	while (host_run_pending())
		;
	sha256_init(&ctx);
	for (loff_t pos = 0; pos < dense->i_size; pos += 60 * 1024) {
		size_t n =
			(size_t)min_t(loff_t, 60 * 1024, dense->i_size - pos);

		read_ok(&ra, pos, n, buf);
		sha256_update(&ctx, buf, n);
	}
	sha256_final(&ctx, digest);
	sha256_hex(digest, hex);
	list = ext2_img_load("ext2-1k.sha256", &size);
	list = realloc(list, size + 1);
	list[size] = 0;
	line = strstr(list, "  " DENSE "\n");
	ck_assert_ptr_nonnull(line);
	ck_assert_mem_eq(line - 64, hex, 64);
	free(list);
	teardown();
}
END_TEST

static Suite *ext2_readahead_suite(void)
{
	Suite *s = suite_create("ext2_readahead");
	TCase *tc = tcase_create("indirect");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, get_block_reads_ahead_the_next_indirect_blocks);
	tcase_add_test(tc, stream_never_waits_for_an_indirect_block);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_SUITE(ext2_readahead_suite)
