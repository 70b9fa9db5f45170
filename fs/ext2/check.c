/*
 * ext2 superblock and group descriptor checks. These run before any
 * number from the disk is used to compute an address, so every later
 * step may rely on: a supported block size, a sane group geometry, a
 * file system that fits on the device, and metadata inside its group.
 * They are pure functions over bytes so host tests can feed them
 * crafted corruptions.
 */
#include "errno.h"
#include "ext2.h"
#include "sprintf.h"
#include "string.h"

static int reject(struct ext2_geometry *geo, int err, const char *fmt, ...)
	__printf(3, 4);

static int reject(struct ext2_geometry *geo, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(geo->why, sizeof(geo->why), fmt, ap);
	va_end(ap);
	return err;
}

/* Refuses what this driver cannot read at all: not ext2, or not our ext2. */
static int check_identity(const struct ext2_super_block *es,
			  struct ext2_geometry *geo)
{
	if (es->s_magic != EXT2_SUPER_MAGIC)
		return reject(geo, -EINVAL, "bad magic 0x%04x (not ext2)",
			      es->s_magic);
	if (es->s_rev_level > EXT2_DYNAMIC_REV)
		return reject(geo, -EINVAL, "revision %u not supported",
			      es->s_rev_level);
	if (es->s_log_block_size >
	    EXT2_MAX_BLOCK_LOG_SIZE - EXT2_MIN_BLOCK_LOG_SIZE)
		return reject(geo, -EINVAL,
			      "block size 1024 << %u not supported",
			      es->s_log_block_size);
	if (es->s_log_frag_size != es->s_log_block_size)
		return reject(geo, -EINVAL,
			      "fragment size 1024 << %u != block size",
			      es->s_log_frag_size);
	geo->block_bits = EXT2_MIN_BLOCK_LOG_SIZE + es->s_log_block_size;
	geo->block_size = 1u << geo->block_bits;
	return 0;
}

/* Revision 0 has no feature words: they mean nothing there. */
static int check_features(const struct ext2_super_block *es,
			  struct ext2_geometry *geo)
{
	u32 incompat, ro_compat;

	if (es->s_rev_level == EXT2_GOOD_OLD_REV)
		return 0;
	incompat = es->s_feature_incompat & ~EXT2_FEATURE_INCOMPAT_SUPP;
	if (incompat)
		return reject(
			geo, -EINVAL,
			"unsupported INCOMPAT features 0x%x: refusing to mount",
			incompat);
	ro_compat = es->s_feature_ro_compat & ~EXT2_FEATURE_RO_COMPAT_SUPP;
	if (ro_compat) {
		geo->read_only = true;
		snprintf(geo->why, sizeof(geo->why),
			 "unsupported RO_COMPAT features 0x%x: read-only",
			 ro_compat);
	}
	return 0;
}

static int check_inodes(const struct ext2_super_block *es,
			struct ext2_geometry *geo)
{
	unsigned int isz = EXT2_GOOD_OLD_INODE_SIZE;

	geo->first_ino = EXT2_GOOD_OLD_FIRST_INO;
	if (es->s_rev_level != EXT2_GOOD_OLD_REV) {
		isz = es->s_inode_size;
		geo->first_ino = es->s_first_ino;
	}
	/* Records tile the inode table blocks: a power of two, one at least. */
	if (isz < EXT2_GOOD_OLD_INODE_SIZE || isz > geo->block_size ||
	    (isz & (isz - 1)))
		return reject(geo, -EUCLEAN, "inode size %u not supported",
			      isz);
	geo->inode_size = isz;
	geo->inodes_per_block = geo->block_size / isz;
	if (es->s_inodes_per_group < geo->inodes_per_block ||
	    es->s_inodes_per_group > 8 * geo->block_size ||
	    es->s_inodes_per_group % geo->inodes_per_block)
		return reject(geo, -EUCLEAN, "inodes per group %u out of range",
			      es->s_inodes_per_group);
	geo->itb_per_group = es->s_inodes_per_group / geo->inodes_per_block;
	if (geo->first_ino < EXT2_GOOD_OLD_FIRST_INO ||
	    geo->first_ino > es->s_inodes_count)
		return reject(geo, -EUCLEAN, "first inode %u out of range",
			      geo->first_ino);
	if (es->s_free_inodes_count > es->s_inodes_count)
		return reject(geo, -EUCLEAN, "free inodes %u > inodes %u",
			      es->s_free_inodes_count, es->s_inodes_count);
	return 0;
}

static int check_blocks(const struct ext2_super_block *es, u64 dev_bytes,
			struct ext2_geometry *geo)
{
	u32 want_first = geo->block_size == EXT2_MIN_BLOCK_SIZE ? 1 : 0;
	u64 fs_bytes = (u64)es->s_blocks_count << geo->block_bits;

	/* The superblock sits at byte 1024: block 1 only for 1 KiB blocks. */
	if (es->s_first_data_block != want_first)
		return reject(geo, -EUCLEAN, "first data block %u, expected %u",
			      es->s_first_data_block, want_first);
	if (es->s_blocks_per_group == 0 ||
	    es->s_blocks_per_group > 8 * geo->block_size ||
	    es->s_blocks_per_group % 8)
		return reject(geo, -EUCLEAN, "blocks per group %u out of range",
			      es->s_blocks_per_group);
	if (es->s_blocks_count <= es->s_first_data_block + 1)
		return reject(geo, -EUCLEAN, "blocks count %u too small",
			      es->s_blocks_count);
	if (fs_bytes > dev_bytes)
		return reject(geo, -EINVAL,
			      "file system of %u blocks (%llu bytes) larger "
			      "than the device (%llu bytes)",
			      es->s_blocks_count, (unsigned long long)fs_bytes,
			      (unsigned long long)dev_bytes);
	if (es->s_free_blocks_count > es->s_blocks_count ||
	    es->s_r_blocks_count > es->s_blocks_count)
		return reject(geo, -EUCLEAN,
			      "free (%u) or reserved (%u) blocks > blocks %u",
			      es->s_free_blocks_count, es->s_r_blocks_count,
			      es->s_blocks_count);
	return 0;
}

/* Groups follow from the block count; the inode count must agree. */
static int check_groups(const struct ext2_super_block *es,
			struct ext2_geometry *geo)
{
	u32 data_blocks = es->s_blocks_count - es->s_first_data_block;
	u32 per_desc_block = geo->block_size / sizeof(struct ext2_group_desc);
	u64 inodes;

	geo->groups_count = DIV_ROUND_UP(data_blocks, es->s_blocks_per_group);
	geo->desc_blocks = DIV_ROUND_UP(geo->groups_count, per_desc_block);
	inodes = (u64)geo->groups_count * es->s_inodes_per_group;
	if (inodes != es->s_inodes_count)
		return reject(
			geo, -EUCLEAN,
			"inodes count %u != %u groups * %u inodes per group",
			es->s_inodes_count, geo->groups_count,
			es->s_inodes_per_group);
	/* The descriptor table follows the superblock block and must fit. */
	if ((u64)es->s_first_data_block + 1 + geo->desc_blocks >=
	    es->s_blocks_count)
		return reject(geo, -EUCLEAN,
			      "group descriptor table (%u blocks) does not fit",
			      geo->desc_blocks);
	return 0;
}

int ext2_check_super(const struct ext2_super_block *es, u64 dev_bytes,
		     struct ext2_geometry *geo)
{
	int err;

	memset(geo, 0, sizeof(*geo));
	err = check_identity(es, geo);
	if (!err)
		err = check_features(es, geo);
	if (!err)
		err = check_inodes(es, geo);
	if (!err)
		err = check_blocks(es, dev_bytes, geo);
	if (!err)
		err = check_groups(es, geo);
	return err;
}

u32 ext2_group_first_block(const struct ext2_super_block *es,
			   const struct ext2_geometry *geo, u32 group)
{
	(void)geo;
	return es->s_first_data_block + group * es->s_blocks_per_group;
}

u32 ext2_group_last_block(const struct ext2_super_block *es,
			  const struct ext2_geometry *geo, u32 group)
{
	if (group == geo->groups_count - 1)
		return es->s_blocks_count - 1;
	return ext2_group_first_block(es, geo, group) + es->s_blocks_per_group -
	       1;
}

static bool is_power_of(u32 n, u32 base)
{
	while (n > 1 && n % base == 0)
		n /= base;
	return n == 1;
}

/* sparse_super keeps backups only in groups 0, 1 and powers of 3, 5, 7. */
static bool group_has_super(const struct ext2_super_block *es, u32 group)
{
	if (group <= 1 || es->s_rev_level == EXT2_GOOD_OLD_REV ||
	    !(es->s_feature_ro_compat & EXT2_FEATURE_RO_COMPAT_SPARSE_SUPER))
		return true;
	return is_power_of(group, 3) || is_power_of(group, 5) ||
	       is_power_of(group, 7);
}

/* Blocks at the start of a group taken by the superblock/GDT copies. */
static u32 group_overhead(const struct ext2_super_block *es,
			  const struct ext2_geometry *geo, u32 group)
{
	u32 n;

	if (!group_has_super(es, group))
		return 0;
	n = 1 + geo->desc_blocks;
	if (es->s_rev_level != EXT2_GOOD_OLD_REV &&
	    (es->s_feature_compat & EXT2_FEATURE_COMPAT_RESIZE_INODE))
		n += es->s_reserved_gdt_blocks;
	return n;
}

static bool in_range(u32 start, u32 len, u32 first, u32 last)
{
	return start >= first && start <= last && len - 1 <= last - start;
}

static bool overlaps(u32 a, u32 alen, u32 b, u32 blen)
{
	return a < b + blen && b < a + alen;
}

int ext2_check_group_desc(const struct ext2_super_block *es,
			  struct ext2_geometry *geo,
			  const struct ext2_group_desc *gd, u32 group)
{
	u32 first = ext2_group_first_block(es, geo, group);
	u32 last = ext2_group_last_block(es, geo, group);
	u32 meta = first + group_overhead(es, geo, group);
	u32 itb = geo->itb_per_group;

	if (meta > last)
		return reject(geo, -EUCLEAN, "group %u too small", group);
	if (!in_range(gd->bg_block_bitmap, 1, meta, last))
		return reject(geo, -EUCLEAN,
			      "group %u: block bitmap %u outside blocks %u..%u",
			      group, gd->bg_block_bitmap, meta, last);
	if (!in_range(gd->bg_inode_bitmap, 1, meta, last))
		return reject(geo, -EUCLEAN,
			      "group %u: inode bitmap %u outside blocks %u..%u",
			      group, gd->bg_inode_bitmap, meta, last);
	if (!in_range(gd->bg_inode_table, itb, meta, last))
		return reject(
			geo, -EUCLEAN,
			"group %u: inode table %u+%u outside blocks %u..%u",
			group, gd->bg_inode_table, itb, meta, last);
	if (gd->bg_block_bitmap == gd->bg_inode_bitmap ||
	    overlaps(gd->bg_block_bitmap, 1, gd->bg_inode_table, itb) ||
	    overlaps(gd->bg_inode_bitmap, 1, gd->bg_inode_table, itb))
		return reject(geo, -EUCLEAN, "group %u: metadata overlaps",
			      group);
	if (gd->bg_free_blocks_count > last - first + 1 ||
	    gd->bg_free_inodes_count > es->s_inodes_per_group ||
	    gd->bg_used_dirs_count > es->s_inodes_per_group)
		return reject(geo, -EUCLEAN,
			      "group %u: counts out of range (free blocks %u, "
			      "free inodes %u, dirs %u)",
			      group, gd->bg_free_blocks_count,
			      gd->bg_free_inodes_count, gd->bg_used_dirs_count);
	return 0;
}

/* Not __builtin_popcount: without -mpopcnt it calls into libgcc. */
static unsigned int hweight8(u8 b)
{
	unsigned int n = 0;

	for (; b; b &= b - 1)
		n++;
	return n;
}

unsigned long ext2_count_free(const u8 *bitmap, unsigned long nbits)
{
	unsigned long i, free = 0;

	for (i = 0; i < nbits / 8; i++)
		free += 8 - hweight8(bitmap[i]);
	for (i = nbits & ~7ul; i < nbits; i++)
		free += !(bitmap[i / 8] & (1u << (i % 8)));
	return free;
}

/*
 * Indirect blocks of a file whose data reaches nblocks blocks, all
 * present: one single, one double plus its singles, one triple plus its
 * doubles and singles. A sparse file needs fewer, never more.
 */
u64 ext2_meta_blocks(u64 nblocks, unsigned int block_bits)
{
	u64 apb = 1ull << (block_bits - 2);
	u64 n = nblocks, meta = 0;

	if (n <= EXT2_NDIR_BLOCKS)
		return 0;
	n -= EXT2_NDIR_BLOCKS;
	meta += 1; /* the single indirect block */
	if (n <= apb)
		return meta;
	n -= apb;
	if (n <= apb * apb)
		return meta + 1 + DIV_ROUND_UP(n, apb);
	meta += 1 + apb; /* a full double indirect tree */
	n -= apb * apb;
	return meta + 1 + DIV_ROUND_UP(n, apb * apb) + DIV_ROUND_UP(n, apb);
}

/*
 * The tree maps 12 + apb + apb^2 + apb^3 blocks; i_blocks, 32 bits of
 * 512-byte units, must count those blocks and their indirect blocks.
 */
u64 ext2_max_size(unsigned int block_bits)
{
	u64 apb = 1ull << (block_bits - 2);
	u64 tree = EXT2_NDIR_BLOCKS + apb + apb * apb + apb * apb * apb;
	u64 limit = ((1ull << 32) - 1) >> (block_bits - 9);

	if (tree + ext2_meta_blocks(tree, block_bits) > limit)
		tree = limit - ext2_meta_blocks(limit, block_bits);
	return tree << block_bits;
}
