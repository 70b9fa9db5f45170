/*
 * The ext2 on-disk format: superblock, group descriptor, inode and
 * directory entry, with the constants and feature flags that go with
 * them. Every multi-byte field is little-endian on disk; we only run on
 * x86 (little-endian), so they are plain u16/u32 read in place.
 *
 * Layout of a file system with block size B (1, 2 or 4 KiB):
 *   byte 1024: the superblock (1024 bytes), in block 1 if B = 1 KiB,
 *              else inside block 0 (s_first_data_block is 1 or 0);
 *   block s_first_data_block + 1: the group descriptor table;
 *   each group then has its block bitmap, inode bitmap and inode table,
 *   wherever its descriptor says. Groups 0, 1 and powers of 3, 5, 7
 *   hold a backup superblock and descriptor table with sparse_super.
 */
#ifndef _EXT2_FS_H
#define _EXT2_FS_H

#include "fs.h" /* S_IF* mode bits */
#include "types.h"

#define EXT2_SUPER_MAGIC 0xEF53
#define EXT2_SUPER_OFFSET 1024 /* bytes from the device start */
#define EXT2_SUPER_SIZE 1024

#define EXT2_MIN_BLOCK_LOG_SIZE 10
#define EXT2_MAX_BLOCK_LOG_SIZE 12 /* we support 1, 2 and 4 KiB */
#define EXT2_MIN_BLOCK_SIZE (1 << EXT2_MIN_BLOCK_LOG_SIZE)
#define EXT2_MAX_BLOCK_SIZE (1 << EXT2_MAX_BLOCK_LOG_SIZE)

/* s_rev_level */
#define EXT2_GOOD_OLD_REV 0 /* fixed 128-byte inodes, no features */
#define EXT2_DYNAMIC_REV 1 /* s_first_ino, s_inode_size, features */
#define EXT2_GOOD_OLD_INODE_SIZE 128
#define EXT2_GOOD_OLD_FIRST_INO 11

/* Reserved inode numbers. */
#define EXT2_BAD_INO 1
#define EXT2_ROOT_INO 2

/* s_state */
#define EXT2_VALID_FS 0x0001 /* cleanly unmounted */
#define EXT2_ERROR_FS 0x0002

/*
 * Feature flags. A COMPAT feature may be ignored; a kernel that does not
 * know an RO_COMPAT feature may only read; one that does not know an
 * INCOMPAT feature must not mount at all.
 */
#define EXT2_FEATURE_COMPAT_DIR_PREALLOC 0x0001
#define EXT2_FEATURE_COMPAT_IMAGIC_INODES 0x0002
#define EXT3_FEATURE_COMPAT_HAS_JOURNAL 0x0004
#define EXT2_FEATURE_COMPAT_EXT_ATTR 0x0008
#define EXT2_FEATURE_COMPAT_RESIZE_INODE 0x0010
#define EXT2_FEATURE_COMPAT_DIR_INDEX 0x0020

#define EXT2_FEATURE_RO_COMPAT_SPARSE_SUPER 0x0001
#define EXT2_FEATURE_RO_COMPAT_LARGE_FILE 0x0002
#define EXT2_FEATURE_RO_COMPAT_BTREE_DIR 0x0004
#define EXT4_FEATURE_RO_COMPAT_HUGE_FILE 0x0008
#define EXT4_FEATURE_RO_COMPAT_DIR_NLINK 0x0020
#define EXT4_FEATURE_RO_COMPAT_METADATA_CSUM 0x0400

#define EXT2_FEATURE_INCOMPAT_COMPRESSION 0x0001
#define EXT2_FEATURE_INCOMPAT_FILETYPE 0x0002
#define EXT3_FEATURE_INCOMPAT_RECOVER 0x0004
#define EXT3_FEATURE_INCOMPAT_JOURNAL_DEV 0x0008
#define EXT2_FEATURE_INCOMPAT_META_BG 0x0010
#define EXT4_FEATURE_INCOMPAT_EXTENTS 0x0040
#define EXT4_FEATURE_INCOMPAT_64BIT 0x0080

/* What this driver understands; everything else is "unknown". */
#define EXT2_FEATURE_INCOMPAT_SUPP EXT2_FEATURE_INCOMPAT_FILETYPE
#define EXT2_FEATURE_RO_COMPAT_SUPP            \
	(EXT2_FEATURE_RO_COMPAT_SPARSE_SUPER | \
	 EXT2_FEATURE_RO_COMPAT_LARGE_FILE)

struct ext2_super_block {
	u32 s_inodes_count;
	u32 s_blocks_count;
	u32 s_r_blocks_count; /* reserved for the super user */
	u32 s_free_blocks_count;
	u32 s_free_inodes_count;
	u32 s_first_data_block; /* block holding the superblock */
	u32 s_log_block_size; /* block size = 1024 << this */
	u32 s_log_frag_size; /* fragments never happened: = block */
	u32 s_blocks_per_group;
	u32 s_frags_per_group;
	u32 s_inodes_per_group;
	u32 s_mtime; /* last mount, seconds since 1970 */
	u32 s_wtime; /* last write */
	u16 s_mnt_count;
	s16 s_max_mnt_count;
	u16 s_magic;
	u16 s_state; /* EXT2_VALID_FS / EXT2_ERROR_FS */
	u16 s_errors; /* what to do on an error */
	u16 s_minor_rev_level;
	u32 s_lastcheck;
	u32 s_checkinterval;
	u32 s_creator_os;
	u32 s_rev_level;
	u16 s_def_resuid;
	u16 s_def_resgid;
	/* Valid only when s_rev_level >= EXT2_DYNAMIC_REV: */
	u32 s_first_ino; /* first inode a file may use */
	u16 s_inode_size;
	u16 s_block_group_nr; /* group of this copy */
	u32 s_feature_compat;
	u32 s_feature_incompat;
	u32 s_feature_ro_compat;
	u8 s_uuid[16];
	char s_volume_name[16];
	char s_last_mounted[64];
	u32 s_algorithm_usage_bitmap;
	u8 s_prealloc_blocks;
	u8 s_prealloc_dir_blocks;
	u16 s_reserved_gdt_blocks; /* resize_inode: GDT growth room */
	u8 s_journal_uuid[16];
	u32 s_journal_inum;
	u32 s_journal_dev;
	u32 s_last_orphan;
	u32 s_hash_seed[4];
	u8 s_def_hash_version;
	u8 s_jnl_backup_type;
	u16 s_desc_size; /* 64bit only; 32 for ext2 */
	u32 s_default_mount_opts;
	u32 s_first_meta_bg;
	u32 s_mkfs_time;
	u32 s_reserved[189]; /* pads to 1024 bytes */
};

struct ext2_group_desc {
	u32 bg_block_bitmap; /* block numbers of this group's ... */
	u32 bg_inode_bitmap;
	u32 bg_inode_table; /* ... first inode-table block */
	u16 bg_free_blocks_count;
	u16 bg_free_inodes_count;
	u16 bg_used_dirs_count;
	u16 bg_pad;
	u32 bg_reserved[3];
};

/* i_block[]: 12 direct block numbers, then one each single/double/triple. */
#define EXT2_NDIR_BLOCKS 12
#define EXT2_IND_BLOCK EXT2_NDIR_BLOCKS
#define EXT2_DIND_BLOCK (EXT2_IND_BLOCK + 1)
#define EXT2_TIND_BLOCK (EXT2_DIND_BLOCK + 1)
#define EXT2_N_BLOCKS (EXT2_TIND_BLOCK + 1)

/*
 * The first 128 bytes of every inode; a 256-byte inode adds i_extra_isize
 * and the fields after it, which ext2 leaves alone (but must preserve).
 */
struct ext2_inode {
	u16 i_mode; /* S_IF* type | permission bits */
	u16 i_uid;
	u32 i_size; /* low 32 bits of the size */
	u32 i_atime;
	u32 i_ctime;
	u32 i_mtime;
	u32 i_dtime; /* deletion time; 0 while in use */
	u16 i_gid;
	u16 i_links_count;
	u32 i_blocks; /* 512-byte units, metadata included */
	u32 i_flags;
	u32 i_osd1;
	u32 i_block[EXT2_N_BLOCKS]; /* or a fast symlink's target */
	u32 i_generation;
	u32 i_file_acl; /* extended attribute block */
	u32 i_size_high; /* regular files with large_file */
	u32 i_faddr;
	u8 i_frag;
	u8 i_fsize;
	u16 i_pad1;
	u16 i_uid_high;
	u16 i_gid_high;
	u32 i_reserved2;
};

struct ext2_inode_large {
	struct ext2_inode base;
	u16 i_extra_isize; /* bytes used past the first 128 */
	u16 i_checksum_hi;
	u32 i_ctime_extra;
	u32 i_mtime_extra;
	u32 i_atime_extra;
	u32 i_crtime;
	u32 i_crtime_extra;
	u32 i_version_hi;
	u32 i_projid;
	u8 i_extra[96]; /* pads to 256 bytes */
};

/* i_flags bits this driver looks at. */
#define EXT2_INDEX_FL 0x00001000 /* hashed directory (dir_index) */
#define EXT4_EXTENTS_FL 0x00080000 /* i_block is an extent tree */

/*
 * A directory entry. Entries tile each directory block exactly: rec_len
 * is the distance to the next entry (a multiple of 4, at least
 * EXT2_DIR_REC_LEN(name_len)), and the last one runs to the block end.
 * Without the filetype feature, file_type is the high byte of a 16-bit
 * name_len (always 0, names are at most 255 bytes).
 */
struct ext2_dir_entry_2 {
	u32 inode; /* 0: an unused entry */
	u16 rec_len;
	u8 name_len;
	u8 file_type; /* EXT2_FT_*, with filetype */
	char name[]; /* not NUL-terminated */
};

#define EXT2_NAME_LEN 255
#define EXT2_DIR_PAD 4
#define EXT2_DIR_REC_LEN(name_len) (((name_len) + 8 + 3) & ~3u)

enum {
	EXT2_FT_UNKNOWN,
	EXT2_FT_REG_FILE,
	EXT2_FT_DIR,
	EXT2_FT_CHRDEV,
	EXT2_FT_BLKDEV,
	EXT2_FT_FIFO,
	EXT2_FT_SOCK,
	EXT2_FT_SYMLINK,
	EXT2_FT_MAX
};

/* A fast symlink keeps its target in i_block: shorter than 60 bytes. */
#define EXT2_FAST_SYMLINK_MAX (EXT2_N_BLOCKS * 4 - 1)

_Static_assert(sizeof(struct ext2_super_block) == 1024, "superblock size");
_Static_assert(sizeof(struct ext2_group_desc) == 32, "group desc size");
_Static_assert(sizeof(struct ext2_inode) == 128, "inode size");
_Static_assert(sizeof(struct ext2_inode_large) == 256, "large inode size");
_Static_assert(sizeof(struct ext2_dir_entry_2) == 8, "dirent header size");
_Static_assert(offsetof(struct ext2_super_block, s_magic) == 56, "s_magic");
_Static_assert(offsetof(struct ext2_super_block, s_rev_level) == 76, "rev");
_Static_assert(offsetof(struct ext2_super_block, s_feature_ro_compat) == 100,
	       "s_feature_ro_compat");
_Static_assert(offsetof(struct ext2_super_block, s_mkfs_time) == 264,
	       "s_mkfs_time");
_Static_assert(offsetof(struct ext2_inode, i_block) == 40, "i_block");
_Static_assert(offsetof(struct ext2_inode, i_size_high) == 108, "size_high");

#endif
