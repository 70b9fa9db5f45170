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
struct ext2_dir_index;

/*
 * The geometry ext2_check_super() derives from a superblock it accepts,
 * so nothing downstream recomputes (or mistrusts) it.
 */
struct ext2_geometry {
	unsigned int block_size;
	unsigned int block_bits; /* log2(block_size) */
	unsigned int inode_size; /* on-disk inode record size */
	unsigned int first_ino; /* first non-reserved inode */
	unsigned int inodes_per_block;
	unsigned int itb_per_group; /* inode-table blocks per group */
	u32 groups_count;
	u32 desc_blocks; /* blocks of the descriptor table */
	bool read_only; /* unknown RO_COMPAT features */
	char why[128]; /* the reason for an error or read-only */
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
	struct ext2_super_block *s_es; /* points into s_sbh's data */
	struct buffer_head *s_sbh; /* held while mounted */
	struct buffer_head **s_group_desc; /* descriptor table, held */
	struct ext2_geometry s_geo;
	unsigned int s_addr_per_block_bits; /* log2(block numbers a block) */
	u64 s_maxbytes;
	bool s_read_only;
	/* Metadata failed to reach the disk: read-only from then on. */
	bool s_write_error;
	errseq_t s_bdev_wb_err; /* our sample of the device cache's wb_err */
	u32 s_time_base; /* seconds at mount: no clock otherwise */
	u16 s_mount_state; /* s_state as found at mount */
};

static inline struct ext2_sb_info *EXT2_SB(const struct super_block *sb)
{
	return (struct ext2_sb_info *)sb->s_fs_info;
}

/*
 * The ext2 part of an in-memory inode; the VFS inode is inside it. Mode,
 * size, link count, owner, times and i_blocks live in the VFS inode.
 */
struct ext2_inode_info {
	u32 i_data[EXT2_N_BLOCKS]; /* block map, or fast symlink text */
	u32 i_flags;
	u32 i_file_acl;
	u32 i_dtime;
	u32 i_block_group; /* where the inode lives */
	u32 i_last_alloc; /* last data block allocated: a goal */
	u64 i_last_alloc_logical; /* ... and its file block */
	/*
	 * Names fsync must make durable (0: none): the directory that got
	 * the inode's newest name, and the one a rename took a name from.
	 * Set when the entry changes, cleared once fsync wrote them.
	 */
	u32 i_dir_ino;
	u32 i_old_dir_ino;
	struct ext2_dir_index *i_dir_index; /* a large directory's, or NULL */
	struct inode vfs_inode;
};

static inline struct ext2_inode_info *EXT2_I(struct inode *inode)
{
	return container_of(inode, struct ext2_inode_info, vfs_inode);
}

/* Seconds "now": the last mount or write time plus the time since boot. */
u32 ext2_now(struct super_block *sb);
static inline bool ext2_has_filetype(const struct super_block *sb)
{
	const struct ext2_super_block *es = EXT2_SB(sb)->s_es;

	return es->s_rev_level != EXT2_GOOD_OLD_REV &&
	       (es->s_feature_incompat & EXT2_FEATURE_INCOMPAT_FILETYPE);
}

/*
 * super.c. Mount: sb->s_bdev set by the caller. Reads and checks the
 * superblock, every group descriptor, every bitmap against its group's
 * free counts, and the root inode (sb->s_root, with a reference). 0, or
 * -EINVAL/-EUCLEAN/-EIO/-ENOMEM with a printk line saying why. Unknown
 * RO_COMPAT features leave EXT2_SB(sb)->s_read_only and MS_RDONLY. A
 * read-write mount counts itself in s_mnt_count and writes s_state
 * "not clean" until put_super writes it clean again.
 */
int ext2_fill_super(struct super_block *sb);
/* Write the superblock and descriptors, clean, and free; the VFS has
 * dropped every inode (s_root included) first. */
void ext2_put_super(struct super_block *sb);
/* Stamp the superblock's write time and dirty it. */
void ext2_write_super(struct super_block *sb);
/*
 * Mounted read-only (an unknown feature): nothing is ever written. A
 * file system turned read-only by a write error still writes what was
 * dirty before, so that is not "never".
 */
bool ext2_never_write(struct super_block *sb);
/*
 * A metadata block could not be written: log it (once), mark the
 * superblock EXT2_ERROR_FS and turn read-only (errors=remount-ro).
 * known says whether block is the one.
 */
void ext2_write_error(struct super_block *sb, u64 block, bool known);

/*
 * sync.c: metadata in the order a power cut can live with (see
 * docs/durability.md). sync_fs writes every dirty metadata buffer in
 * three waves, each waited for and flushed before the next: bitmaps,
 * descriptors, superblock and files' indirect blocks; inode tables;
 * directory blocks. wait = 0 (the flusher) skips blocks whose last
 * write failed. 0 or -EIO.
 */
int ext2_sync_fs(struct super_block *sb, int wait);
/*
 * fsync: the data, the allocation metadata and the file's indirect
 * blocks, its inode, then each directory on its path whose entry is
 * newer than the disk, up to the first one already there.
 */
int ext2_fsync(struct file *file);
/*
 * Write the directories holding inode's new names (see i_dir_ino), and
 * theirs, up the path. may_read: read a directory that is not cached
 * (fsync); else skip it (eviction, perhaps in reclaim: no allocation).
 */
int ext2_sync_names(struct inode *inode, bool may_read);
/*
 * A metadata write failed somewhere since we last looked (the device
 * cache's errseq): handle it as ext2_write_error. Then -EROFS if the
 * file system may not change, else 0.
 */
int ext2_check_bdev_write_error(struct super_block *sb);
extern struct file_system_type ext2_fs_type;
/* The descriptor of a group, inside a held buffer; NULL if out of range. */
struct ext2_group_desc *ext2_get_group_desc(struct super_block *sb, u32 group);
/* The held buffer of that descriptor (to mark it dirty). */
struct buffer_head *ext2_group_desc_bh(struct super_block *sb, u32 group);
/* The superblock buffer changed: mark it dirty. */
void ext2_sb_dirty(struct super_block *sb);

/*
 * inode.c. Read inode ino through the inode cache (iget_locked), validated
 * when first read: number in range, in use, a known file type, a size the
 * block tree can hold, i_blocks no more than the size allows, block
 * numbers inside the file system. ERR_PTR(-EUCLEAN) if the disk inode is
 * damaged, -EIO if unreadable. Drop with iput().
 */
struct inode *ext2_iget(struct super_block *sb, unsigned long ino);
/* Set i_op, i_fop and a_ops from the mode (after iget or creation). */
void ext2_set_inode_ops(struct inode *inode);
/* A new inode's record: zeroed, extra fields sized as mke2fs does. */
int ext2_init_raw_inode(struct inode *inode);
#define EXT2_NEW_EXTRA_ISIZE 32
/* Copy the inode to its inode-table record; sync writes it and waits. */
int ext2_write_inode(struct inode *inode, int sync);
/* Write the inode-table block holding inode's record if dirty; wait. */
int ext2_sync_inode_buffer(struct inode *inode);
/* Last reference gone: an unlinked inode loses its blocks, then itself. */
void ext2_evict_inode(struct inode *inode);
/* A fast symlink keeps its target in i_data (no data block). */
bool ext2_inode_is_fast_symlink(struct inode *inode);

/*
 * get_block_t for ext2 files: maps iblock through the direct, single,
 * double and triple indirect blocks. Maps up to b_size bytes of blocks
 * contiguous on disk in one call (shrinking b_size to what it mapped),
 * never past the end of one indirect block's run; sets BH_Boundary when
 * the last block mapped is the last before another indirect block must
 * be read. A hole is left unmapped. With create, a hole gets a block
 * (and any missing indirect blocks, zeroed) near the previous block of
 * the file: one block per call, BH_New set; i_blocks counts them all.
 */
int ext2_get_block(struct inode *inode, sector_t iblock,
		   struct buffer_head *bh_result, int create);

/*
 * balloc.c. A free block, preferably goal or the next free one after it
 * in goal's group, else in any group; its bit set, the group's and the
 * superblock's free counts lowered and i_blocks raised. 0 and *err set
 * (-ENOSPC, -EIO) if none.
 */
u32 ext2_new_block(struct inode *inode, u32 goal, int *err);
/* Free count blocks from block; bad numbers are refused with a message. */
void ext2_free_blocks(struct inode *inode, u32 block, u32 count);
/* In range and not group metadata: a block a file may point at. */
bool ext2_data_block_valid(struct super_block *sb, u32 block);
/* The first block of the group an inode lives in: the default goal. */
u32 ext2_inode_goal(struct inode *inode);

/*
 * ialloc.c. A new inode for a file of mode in dir: directories go to a
 * group with more free inodes than average (the one with the most free
 * blocks among them), everything else to dir's group or near it.
 * Returns it hashed, dirty, with one link and one reference, or ERR_PTR.
 */
struct inode *ext2_new_inode(struct inode *dir, umode_t mode);
/* Clear the inode's bit and raise the free counts (evict, i_nlink 0). */
void ext2_free_inode(struct inode *inode);

/* truncate.c: set the size; free the blocks past it, zero the tail. */
int ext2_truncate(struct inode *inode, loff_t size);
/* Free every block from file block first on (evict: first = 0). */
void ext2_truncate_blocks(struct inode *inode, u64 first);

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
typedef int (*ext2_filldir_t)(void *ctx, const char *name, int len, loff_t pos,
			      u64 ino, unsigned int type);
/*
 * List dir from *pos (0 = start) and leave *pos where to resume. A damaged
 * block ends the listing with -EUCLEAN; an entry whose inode number is
 * out of range is skipped with a message.
 */
int ext2_readdir(struct inode *dir, loff_t *pos, void *ctx,
		 ext2_filldir_t filldir);

/* An entry found in a directory: its block's buffer is held. */
struct ext2_dir_slot {
	struct buffer_head *bh;
	struct ext2_dir_entry_2 *de;
	struct ext2_dir_entry_2 *prev; /* entry before it in the block */
	unsigned long n; /* the directory block it is in */
};
/* dir.c, the write side. Find name: 0 with slot->bh held, or -errno. */
int ext2_find_entry(struct inode *dir, const char *name, unsigned int len,
		    struct ext2_dir_slot *slot);
/*
 * Insert name -> inode: splits an entry's rec_len, else adds a block.
 * The name is new to the disk: inode's i_dir_ino says where (fsync).
 */
int ext2_add_link(struct inode *dir, const char *name, unsigned int len,
		  struct inode *inode);
/* Remove the slot's entry (merged into the previous one); releases bh. */
int ext2_delete_entry(struct inode *dir, struct ext2_dir_slot *slot);
/* Point the slot's entry at inode (rename); releases bh. The caller
 * says whose new name that is (i_dir_ino), if anyone's. */
void ext2_set_link(struct inode *dir, struct ext2_dir_slot *slot,
		   struct inode *inode);
/* The new directory's first block: "." and "..". */
int ext2_make_empty(struct inode *inode, struct inode *parent);
/* 1 if dir holds only "." and "..", 0 if not, -errno if unreadable. */
int ext2_empty_dir(struct inode *dir);
/* EXT2_FT_* of a mode. */
unsigned int ext2_file_type(umode_t mode);

/*
 * dir_index.c: the in-memory index of a directory of EXT2_DX_MIN_BLOCKS
 * blocks or more (dir.c builds it on first use and keeps it current):
 * name hash -> block, and per block the largest entry that still fits.
 */
#define EXT2_DX_MIN_BLOCKS 2
struct ext2_dir_index *ext2_dx_alloc(unsigned long nblocks);
void ext2_dx_free(struct ext2_dir_index *dx);
/* 0, or -ENOMEM (the caller then drops the index). */
int ext2_dx_insert(struct ext2_dir_index *dx, u32 hash, unsigned long block);
void ext2_dx_remove(struct ext2_dir_index *dx, u32 hash, unsigned long block);
/* The blocks that may hold a name of this hash, one per call. */
struct ext2_dx_iter {
	u32 hash;
	bool started;
	unsigned int pos;
};
bool ext2_dx_next(const struct ext2_dir_index *dx, struct ext2_dx_iter *it,
		  unsigned long *block);
/* Block's room: the rec_len of the largest new entry it can take. */
int ext2_dx_set_room(struct ext2_dir_index *dx, unsigned long block,
		     unsigned int room);
/* The first block with room for reclen bytes, or -1: append one. */
long ext2_dx_find_room(struct ext2_dir_index *dx, unsigned int reclen);
/* Free dir's index (eviction, or a change the index could not follow). */
void ext2_dir_index_drop(struct inode *dir);

/* symlink.c: a target of 60 bytes or more, in a data block. */
int ext2_write_slow_symlink(struct inode *inode, const char *target,
			    size_t len);

extern const struct address_space_operations ext2_aops;
extern const struct inode_operations ext2_dir_inode_operations;
extern const struct inode_operations ext2_file_inode_operations;
extern const struct inode_operations ext2_symlink_inode_operations;
extern const struct file_operations ext2_file_operations;
extern const struct file_operations ext2_dir_operations;

#endif
