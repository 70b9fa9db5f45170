/*
 * What a file system and the page cache share, after Linux 2.6's
 * include/linux/fs.h: struct inode (size, block size, its page cache),
 * struct address_space (the page cache of one file: a radix tree of
 * pages), struct super_block, struct file (an open file with its own
 * readahead window), and the operation tables a file system fills in.
 * Callers above the VFS use vfs.h.
 */
#ifndef _FS_H
#define _FS_H

#include "dcache.h"
#include "errno.h"
#include "list.h"
#include "radix-tree.h"
#include "spinlock.h"
#include "types.h"
#include "wait.h"

struct page;
struct file;
struct inode;
struct buffer_head;
struct block_device;
struct writeback_control;
struct super_block;
struct address_space;

/*
 * Map logical block iblock of inode to a disk block in bh_result
 * (set b_blocknr, b_bdev and BH_Mapped; leave it unmapped for a hole).
 * On entry b_size is how many bytes the caller would like mapped; a
 * mapper may map a contiguous run and say so by shrinking b_size to the
 * bytes it covers. create != 0 allocates (and sets BH_New). Returns 0
 * or -errno.
 */
typedef int(get_block_t)(struct inode *inode, sector_t iblock,
			 struct buffer_head *bh_result, int create);

struct address_space_operations {
	int (*writepage)(struct page *page, struct writeback_control *wbc);
	int (*readpage)(struct file *file, struct page *page);
	int (*writepages)(struct address_space *mapping,
			  struct writeback_control *wbc);
	/* Marks the page (and its buffers) dirty; returns 1 if newly dirty. */
	int (*set_page_dirty)(struct page *page);
	/* pages: a list through page->lru, lowest index at pages->prev. */
	int (*readpages)(struct file *file, struct address_space *mapping,
			 struct list_head *pages, unsigned int nr_pages);
	int (*write_begin)(struct file *file, struct address_space *mapping,
			   loff_t pos, unsigned int len, unsigned int flags,
			   struct page **pagep, void **fsdata);
	int (*write_end)(struct file *file, struct address_space *mapping,
			 loff_t pos, unsigned int len, unsigned int copied,
			 struct page *page, void *fsdata);
	/* Drop buffers past offset in the page (truncate). */
	void (*invalidatepage)(struct page *page, unsigned long offset);
	/* Free the page's buffers so it can leave the cache; 1 if freed. */
	int (*releasepage)(struct page *page, gfp_t gfp);
};

/* Per-device readahead and writeback parameters. */
struct backing_dev_info {
	unsigned long ra_pages; /* readahead window maximum, pages */
	unsigned long io_pages; /* the device's largest request, pages; 0 none */
};

#define VM_MAX_READAHEAD_KIB 128
/* A disk's default window: this many of its largest requests, in flight together. */
#define VM_READAHEAD_REQUESTS 4
/* The largest window a disk may be given (pages). */
#define VM_READAHEAD_MAX_PAGES 1024
extern struct backing_dev_info default_backing_dev_info;

/*
 * mapping->flags: AS_EIO/AS_ENOSPC say writeback failed since the last
 * filemap_check_errors() (the kernel's own callers: set_blocksize,
 * drop_caches); what a file's fsync reports is mapping->wb_err, an
 * errseq_t each open file samples. AS_NO_MPAGE makes the file system's readpages read each page with
 * block_read_full_page instead of mpage (`bench read --no-mpage`).
 */
enum mapping_flags {
	AS_EIO,
	AS_ENOSPC,
	AS_NO_MPAGE,
};

struct address_space {
	struct inode *host;
	struct radix_tree_root page_tree; /* pages by index, tagged */
	spinlock_t tree_lock; /* irqsave: IRQ clears tags */
	unsigned long nrpages;
	const struct address_space_operations *a_ops;
	unsigned long flags; /* AS_* bits */
	struct backing_dev_info *backing_dev_info;
	struct list_head dirty_list; /* on the flusher's list */
	u64 dirtied_when_ns; /* when it first became dirty */
	errseq_t wb_err; /* writeback errors, for each open file's fsync */
	/*
	 * Metadata buffers (in the device's cache) that belong to this
	 * file: its indirect blocks, a directory's blocks. fsync writes
	 * them (sync_mapping_buffers); see mark_buffer_dirty_inode.
	 */
	struct list_head private_list;
};

/* mode bits, as in POSIX and on disk */
#define S_IFMT 0170000
#define S_IFSOCK 0140000
#define S_IFLNK 0120000
#define S_IFREG 0100000
#define S_IFBLK 0060000
#define S_IFDIR 0040000
#define S_IFCHR 0020000
#define S_IFIFO 0010000
#define S_ISREG(m) (((m)&S_IFMT) == S_IFREG)
#define S_ISDIR(m) (((m)&S_IFMT) == S_IFDIR)
#define S_ISLNK(m) (((m)&S_IFMT) == S_IFLNK)

/* Directory entry types handed to filldir, as Linux's DT_*. */
#define DT_UNKNOWN 0
#define DT_FIFO 1
#define DT_CHR 2
#define DT_DIR 4
#define DT_BLK 6
#define DT_REG 8
#define DT_LNK 10
#define DT_SOCK 12

#define NAME_MAX 255
#define PATH_MAX 4096
#define MAXSYMLINKS 8 /* nested symlinks followed before ELOOP */

/* readdir callback: return non-zero to stop (buffer full). */
typedef int (*filldir_t)(void *ctx, const char *name, unsigned int namelen,
			 loff_t pos, unsigned long ino, unsigned int d_type);

/*
 * The VFS keeps the dentry cache itself (fs/dcache.c): it asks the file
 * system only on a miss, and after a successful change it updates the
 * cache (d_instantiate, d_delete, d_move). So the name-space operations
 * take (dir, name, len) where Linux passes a dentry, and return the new
 * inode where Linux's file system would d_instantiate it. The VFS has
 * checked that the name is absent (create, mkdir, symlink) or present.
 * Everything else keeps Linux 2.6's shape.
 */
struct inode_operations {
	/* The inode named, with a reference; ERR_PTR(-ENOENT) if absent. */
	struct inode *(*lookup)(struct inode *dir, const char *name,
				unsigned int len);
	/* New regular file; *res gets it with a reference. */
	int (*create)(struct inode *dir, const char *name, unsigned int len,
		      umode_t mode, struct inode **res);
	/* New directory, *res as for create. */
	int (*mkdir)(struct inode *dir, const char *name, unsigned int len,
		     umode_t mode, struct inode **res);
	int (*rmdir)(struct inode *dir, const char *name, unsigned int len);
	int (*unlink)(struct inode *dir, const char *name, unsigned int len);
	/* Replaces an existing target (not a non-empty directory). */
	int (*rename)(struct inode *old_dir, const char *old_name,
		      unsigned int old_len, struct inode *new_dir,
		      const char *new_name, unsigned int new_len);
	/* New symlink, *res as for create. */
	int (*symlink)(struct inode *dir, const char *name, unsigned int len,
		       const char *target, struct inode **res);
	/* Copy the link target into buf; returns its length or -errno. */
	int (*readlink)(struct inode *inode, char *buf, int buflen);
	/* Change i_size: free or zero what lies past it. */
	int (*truncate)(struct inode *inode, loff_t size);
};

struct file_operations {
	/* Call filldir for entries from file->f_pos on, advancing f_pos. */
	int (*readdir)(struct file *file, void *ctx, filldir_t filldir);
	int (*fsync)(struct file *file);
};

struct kstatfs {
	unsigned long f_bsize;
	u64 f_blocks, f_bfree, f_files, f_ffree;
};

struct super_operations {
	/* The file system's inode container (Linux's ext2_inode_info idea). */
	struct inode *(*alloc_inode)(struct super_block *sb);
	void (*destroy_inode)(struct inode *inode);
	/* Write the inode's fields to its on-disk copy (buffer dirtied). */
	int (*write_inode)(struct inode *inode, int sync);
	/* Last reference gone: free blocks and the inode if i_nlink is 0. */
	void (*evict_inode)(struct inode *inode);
	void (*put_super)(struct super_block *sb);
	/* Write the super block and counters; wait if sync. */
	int (*sync_fs)(struct super_block *sb, int sync);
	int (*statfs)(struct super_block *sb, struct kstatfs *buf);
	/*
	 * The inode numbered ino, referenced, or ERR_PTR: readdir hands the
	 * VFS numbers, and it fills the dcache with them (Linux keeps this
	 * in export_operations, as ext2_nfs_get_inode, and NFS primes the
	 * dcache from readdirplus the same way). Optional.
	 */
	struct inode *(*get_inode)(struct super_block *sb, unsigned long ino);
};

#define MS_RDONLY 1

/* File sizes: the largest loff_t, and the 2 GiB - 1 limit of files without large_file. */
#define OFFSET_MAX ((loff_t)(~0ULL >> 1))
#define MAX_NON_LFS ((loff_t)0x7fffffff)

struct super_block {
	struct block_device *s_bdev;
	unsigned long s_blocksize;
	unsigned char s_blocksize_bits;
	void *s_fs_info;
	/* VFS */
	const struct super_operations *s_op;
	const char *s_type; /* "ext2" */
	unsigned long s_flags; /* MS_RDONLY */
	loff_t s_maxbytes;
	struct dentry *s_root; /* d_make_root() of the root inode */
	struct list_head s_inodes; /* every cached inode */
	errseq_t s_wb_err; /* any writeback error of its files, for sync */
	errseq_t s_sync_err; /* sync's own sample of s_wb_err */
	/*
	 * Linux's s_umount, reduced to what one CPU needs: the flusher holds
	 * it shared (trylock_super) while it writes the super block's files,
	 * and skips one being unmounted; unmount waits until it is let go.
	 */
	int s_writeback_count;
	bool s_umounting;
	wait_queue_head_t s_umount_wait;
};

/* Background writeback may work on sb: false if it is being unmounted. */
bool trylock_super(struct super_block *sb);
void super_unlock_shared(struct super_block *sb);

/* Mounted read-only (or turned so after an error)? NULL: no file system. */
static inline bool sb_rdonly(const struct super_block *sb)
{
	return sb && (sb->s_flags & MS_RDONLY);
}

/* inode->i_state */
#define I_NEW (1U << 0) /* being read in by iget_locked's caller */
#define I_DIRTY (1U << 1) /* fields changed, write_inode needed */
#define I_FREEING (1U << 2)
#define I_BAD (1U << 3) /* iget_failed: evict never calls the fs */

struct inode {
	unsigned long i_ino;
	umode_t i_mode;
	loff_t i_size;
	unsigned int i_blkbits; /* log2 of the block size */
	struct super_block *i_sb;
	struct block_device *i_bdev; /* a block device's own inode */
	struct address_space *i_mapping;
	struct address_space i_data;
	void *i_private;
	/* VFS */
	unsigned int i_nlink;
	u32 i_uid, i_gid;
	u32 i_atime, i_mtime, i_ctime; /* seconds */
	blkcnt_t i_blocks; /* 512-byte units, as on disk */
	int i_count; /* references; 0 = unused, cached */
	unsigned int i_state; /* I_* */
	u64 dirtied_when_ns; /* when I_DIRTY was set (the flusher's clock) */
	const struct inode_operations *i_op;
	const struct file_operations *i_fop;
	struct list_head i_sb_list;
	struct list_head i_hash;
};

static inline loff_t i_size_read(const struct inode *inode)
{
	return READ_ONCE(inode->i_size);
}

static inline void i_size_write(struct inode *inode, loff_t size)
{
	WRITE_ONCE(inode->i_size, size);
}

/* A mountable file system type. fill_super reads sb->s_bdev and sets
 * s_op, s_root (d_make_root of the root inode), s_blocksize; 0 or -errno. */
struct file_system_type {
	const char *name;
	int (*fill_super)(struct super_block *sb);
	struct list_head fs_list;
};

int register_filesystem(struct file_system_type *fs);

/*
 * The inode cache (fs/inode.c). iget_locked returns the cached inode
 * with a new reference, or a new one in state I_NEW that the file system
 * fills and then passes to unlock_new_inode (or iget_failed on error).
 */
struct inode *iget_locked(struct super_block *sb, unsigned long ino);
void unlock_new_inode(struct inode *inode);
void iget_failed(struct inode *inode);
/* A fresh inode of sb (for create); the fs sets i_ino then hashes it. */
struct inode *new_inode(struct super_block *sb);
void insert_inode_hash(struct inode *inode);
struct inode *igrab(struct inode *inode);
/* The cached inode (sb, ino), referenced; NULL if not cached (no I/O). */
struct inode *ilookup(struct super_block *sb, unsigned long ino);
void iput(struct inode *inode);
/* The inode's fields changed: write_inode must run (I_DIRTY, stamped). */
void mark_inode_dirty(struct inode *inode);
/*
 * If dirty, clear I_DIRTY and hand the fields to s_op->write_inode
 * (sync: and wait for the disk); dirty again if that fails. The one
 * place I_DIRTY is cleared. 0 or -errno.
 */
int write_inode_now(struct inode *inode, int sync);
/* Every inode of sb: data written and waited for, then write_inode. */
int sync_inodes_sb(struct super_block *sb);
void inc_nlink(struct inode *inode);
void drop_nlink(struct inode *inode);
void clear_nlink(struct inode *inode);
void set_nlink(struct inode *inode, unsigned int nlink);

/* Set up inode->i_data and point i_mapping at it. */
void inode_init_mapping(struct inode *inode,
			const struct address_space_operations *a_ops);
/* A zeroed inode from kmalloc with its mapping set up; NULL if no memory. */
struct inode *new_inode_minimal(unsigned int blkbits,
				const struct address_space_operations *a_ops);
/* Drop every cached page (writing nothing back) and free the inode. */
void free_inode_minimal(struct inode *inode);

/*
 * Record a writeback error: for each open file's fsync (wb_err), for
 * sync (the super block's s_wb_err) and for the kernel's own callers
 * (AS_EIO, AS_ENOSPC). Safe in interrupt context.
 */
static inline void mapping_set_error(struct address_space *mapping, int err)
{
	if (!err)
		return;
	errseq_set(&mapping->wb_err, err);
	if (mapping->host && mapping->host->i_sb)
		errseq_set(&mapping->host->i_sb->s_wb_err, err);
	if (err == -ENOSPC)
		__atomic_fetch_or(&mapping->flags, 1UL << AS_ENOSPC,
				  __ATOMIC_SEQ_CST);
	else
		__atomic_fetch_or(&mapping->flags, 1UL << AS_EIO,
				  __ATOMIC_SEQ_CST);
}

/* Block devices: each has an inode whose page cache holds metadata buffers. */
struct inode *bdev_inode(struct block_device *bdev);
int blkdev_get_block(struct inode *inode, sector_t iblock,
		     struct buffer_head *bh, int create);
struct backing_dev_info *bdev_bdi(struct block_device *bdev);
/* Drop the device's cache (nothing may be in use) and free its inode. */
void bdev_forget(struct block_device *bdev);
/* Set the block size (512..PAGE_SIZE, power of two) for buffer heads. */
int set_blocksize(struct block_device *bdev, unsigned int size);

/* ---- open files ---- */

/* Readahead state of one reader (a struct file, or the mapping's own). */
struct file_ra_state {
	pgoff_t start; /* first page of the current window */
	unsigned int size; /* pages in it */
	unsigned int async_size; /* start async readahead this close to its end */
	unsigned int ra_pages; /* maximum window (the device's at open), 0 off */
	loff_t prev_pos; /* last byte read, -1 if none */
	pgoff_t eio_index; /* 1 + the page this reader saw fail to read; 0 none */
};

/*
 * An open file: a dentry reference, a position and the reader's own
 * readahead window. There is no descriptor table: the shell and the
 * self-tests hold a struct file as the handle itself.
 */
/* Open flags, with Linux's values so they read the same in a debugger. */
#define O_ACCMODE 00000003
#define O_RDONLY 00000000
#define O_WRONLY 00000001
#define O_RDWR 00000002
#define O_CREAT 00000100
#define O_EXCL 00000200
#define O_TRUNC 00001000
#define O_APPEND 00002000
#define O_DIRECTORY 00200000
#define O_NOFOLLOW 00400000

#define SEEK_SET 0
#define SEEK_CUR 1
#define SEEK_END 2

struct file {
	struct dentry *f_dentry; /* holds a reference (and so the inode) */
	struct inode *f_inode; /* f_dentry->d_inode */
	struct address_space *f_mapping;
	const struct file_operations *f_op;
	loff_t f_pos;
	unsigned int f_flags; /* O_* as opened */
	struct file_ra_state f_ra;
	errseq_t f_wb_err; /* the mapping's wb_err as this file last saw it */
};

static inline bool file_readable(const struct file *f)
{
	return (f->f_flags & O_ACCMODE) != O_WRONLY;
}

static inline bool file_writable(const struct file *f)
{
	return (f->f_flags & O_ACCMODE) != O_RDONLY;
}

#endif
