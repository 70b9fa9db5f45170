/*
 * ext2 in memory: what a mounted file system keeps about itself and
 * about each inode, and the entry points of fs/ext2/. The on-disk
 * structures are in ext2_fs.h.
 */
#ifndef _EXT2_H
#define _EXT2_H

#include "ext2_fs.h"
#include "fs.h"

struct buffer_head;

/*
 * The geometry ext2_check_super() derives from a superblock it accepts,
 * so nothing downstream recomputes (or mistrusts) it.
 */
struct ext2_geometry {
	unsigned int block_size;
	unsigned int block_bits;	/* log2(block_size) */
	unsigned int inode_size;	/* on-disk inode record size */
	unsigned int first_ino;		/* first non-reserved inode */
	unsigned int inodes_per_block;
	unsigned int itb_per_group;	/* inode-table blocks per group */
	u32 groups_count;
	u32 desc_blocks;		/* blocks of the descriptor table */
	bool read_only;			/* unknown RO_COMPAT features */
	char why[128];			/* the reason for an error or read-only */
};

/*
 * Check a superblock (the 1024 bytes at byte 1024 of the device) against
 * the device size, before anything trusts it. Pure: reads nothing else.
 * Returns 0 (the file system may be mounted; geo->read_only says whether
 * only read-only), -EINVAL (not an ext2 this driver supports: magic,
 * revision, block size, unknown INCOMPAT feature, larger than the device)
 * or -EUCLEAN (ext2, but its numbers contradict each other). geo->why
 * then says what is wrong, in one line without a newline.
 */
int ext2_check_super(const struct ext2_super_block *es, u64 dev_bytes,
		     struct ext2_geometry *geo);

/*
 * Check one group descriptor: its bitmaps and inode table lie inside its
 * group and off the superblock/descriptor copies at the group's start,
 * and its free counts fit the group. 0 or -EUCLEAN with geo->why set.
 */
int ext2_check_group_desc(const struct ext2_super_block *es,
			  struct ext2_geometry *geo,
			  const struct ext2_group_desc *gd, u32 group);

/* First and last block of a group (the last group may be short). */
u32 ext2_group_first_block(const struct ext2_super_block *es,
			   const struct ext2_geometry *geo, u32 group);
u32 ext2_group_last_block(const struct ext2_super_block *es,
			  const struct ext2_geometry *geo, u32 group);

/* Zero bits among the first nbits of a little-endian bitmap. */
unsigned long ext2_count_free(const u8 *bitmap, unsigned long nbits);

/* Largest file the block tree and the 32-bit i_blocks can describe. */
u64 ext2_max_size(unsigned int block_bits);
/* Indirect blocks a file of nblocks data blocks needs at most. */
u64 ext2_meta_blocks(u64 nblocks, unsigned int block_bits);

/* A mounted ext2: super_block->s_fs_info. */
struct ext2_sb_info {
	struct ext2_super_block *s_es;	/* points into s_sbh's data */
	struct buffer_head *s_sbh;	/* held while mounted */
	struct buffer_head **s_group_desc; /* descriptor table, held */
	struct ext2_geometry s_geo;
	unsigned int s_addr_per_block_bits; /* log2(block numbers a block) */
	u64 s_maxbytes;
	bool s_read_only;
};

static inline struct ext2_sb_info *EXT2_SB(const struct super_block *sb)
{
	return (struct ext2_sb_info *)sb->s_fs_info;
}

/* The ext2 part of an in-memory inode; the VFS inode is inside it. */
struct ext2_inode_info {
	u32 i_data[EXT2_N_BLOCKS];	/* block map, or fast symlink text */
	u32 i_flags;
	u32 i_file_acl;
	u32 i_dtime;
	u32 i_block_group;
	u32 i_blocks;			/* 512-byte units, as on disk */
	u32 i_uid, i_gid;
	u32 i_atime, i_ctime, i_mtime;
	u16 i_links_count;
	struct inode vfs_inode;
};

static inline struct ext2_inode_info *EXT2_I(struct inode *inode)
{
	return container_of(inode, struct ext2_inode_info, vfs_inode);
}

/*
 * Mount: sb->s_bdev set by the caller. Reads and checks the superblock,
 * every group descriptor, every bitmap against its group's free counts,
 * and the root inode. 0, or -EINVAL/-EUCLEAN/-EIO/-ENOMEM with a printk
 * line saying why. Unknown RO_COMPAT features leave EXT2_SB(sb)->s_read_only.
 */
int ext2_fill_super(struct super_block *sb);
void ext2_put_super(struct super_block *sb);
/* The descriptor of a group, inside a held buffer; NULL if out of range. */
struct ext2_group_desc *ext2_get_group_desc(struct super_block *sb, u32 group);

/*
 * Read inode ino into a new in-memory inode, validated: number in range,
 * in use, a known file type, a size the block tree can hold, i_blocks no
 * more than the size allows, block numbers inside the file system.
 * ERR_PTR(-EUCLEAN) if the disk inode is damaged, -EIO if unreadable.
 * Free with ext2_destroy_inode() (until the VFS inode cache exists).
 */
struct inode *ext2_iget(struct super_block *sb, unsigned long ino);
void ext2_destroy_inode(struct inode *inode);

/*
 * get_block_t for ext2 files: maps iblock through the direct, single,
 * double and triple indirect blocks. Maps up to b_size bytes of blocks
 * contiguous on disk in one call (shrinking b_size to what it mapped),
 * never past the end of one indirect block's run; sets BH_Boundary when
 * the last block mapped is the last before another indirect block must
 * be read. A hole is left unmapped. create is not supported yet: -EROFS.
 */
int ext2_get_block(struct inode *inode, sector_t iblock,
		   struct buffer_head *bh_result, int create);

/*
 * Check the directory entry at off of a block of size bytes: the header
 * fits, rec_len is a multiple of 4, at least 8 and what the name needs,
 * and stays inside the block. NULL if good, else what is wrong.
 */
const char *ext2_check_dirent(const u8 *block, unsigned int size,
			      unsigned int off, bool filetype);

/* Find name in directory dir: 0 and *ino, -ENOENT, -EUCLEAN, -EIO. */
int ext2_inode_by_name(struct inode *dir, const char *name, size_t len,
		       u32 *ino);

/*
 * Called per entry with the entry's position (a cookie for *pos), its
 * inode and EXT2_FT_* type (EXT2_FT_UNKNOWN without filetype); returning
 * non-zero stops the walk before that entry.
 */
typedef int (*ext2_filldir_t)(void *ctx, const char *name, int len,
			      loff_t pos, u64 ino, unsigned int type);
/*
 * List dir from *pos (0 = start) and leave *pos where to resume. A damaged
 * block ends the listing with -EUCLEAN; an entry whose inode number is
 * out of range is skipped with a message.
 */
int ext2_readdir(struct inode *dir, loff_t *pos, void *ctx,
		 ext2_filldir_t filldir);

/* Regular files: reads through mpage with ext2_get_block. */
extern const struct address_space_operations ext2_aops;

#endif
