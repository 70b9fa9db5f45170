/*
 * The VFS seen from above: one file system mounted at "/", paths walked
 * component by component through the dentry cache (dcache.h), asking
 * the file system's i_op->lookup only on a miss, open files, and the
 * name-space operations. Every function returns 0 (or a
 * count) or -errno; none crashes on a bad path or a missing root.
 *
 * Paths: absolute, or relative to "/" (there is no working directory).
 * "." and ".." work, repeated slashes are one, a trailing slash demands
 * a directory. Symlinks are followed everywhere but in the last
 * component of lstat-like calls; at most MAXSYMLINKS nested (40 in all)
 * before -ELOOP. A component longer than NAME_MAX, or a path of
 * PATH_MAX bytes or more, is -ENAMETOOLONG. Without a root file system
 * every call is -ENOENT.
 */
#ifndef _VFS_H
#define _VFS_H

#include "fs.h"

struct block_device;

/* ---- mounting (fs/super.c) ---- */

/*
 * Mount bdev (NULL for a file system that needs no device) at "/" with
 * the file system type named, or with the first registered type whose
 * fill_super accepts it when type is NULL. -EBUSY if a root is already
 * mounted, -ENODEV if no type accepts it (or none is named so), else
 * fill_super's error.
 */
int vfs_mount_root(struct block_device *bdev, const char *type);
/*
 * Write everything back (inodes, pages, the file system's own
 * metadata), evict the inode cache, put_super, write the device cache.
 * -EBUSY (and stays mounted) while files are open; a writeback error
 * is returned but the unmount completes. -EINVAL if nothing is mounted.
 */
int vfs_umount_root(void);
/* The root file system, or NULL. */
struct super_block *vfs_root_sb(void);
/* Free sb's unused dentries, then evict its unused inodes (writing
 * dirty ones first); how many inodes went. */
unsigned long evict_unused_inodes(struct super_block *sb);
/*
 * The inode after prev on sb's list (the first if prev is NULL), with a
 * reference; NULL at the end. prev stays referenced until this returns,
 * which keeps it on the list: then the caller iput()s it.
 */
struct inode *sb_next_inode(struct super_block *sb, struct inode *prev);
/* An inode of sb other than the root has a reference (a file is open). */
bool sb_busy_inodes(struct super_block *sb);
/* Inodes of sb in the cache (in use or not), for tests. */
unsigned long nr_cached_inodes(struct super_block *sb);
/* Inodes of sb whose fields still wait for write_inode (cachestat). */
unsigned long nr_dirty_inodes(struct super_block *sb);
/* The registered file system named, or NULL. */
struct file_system_type *get_fs_type(const char *name);

/* ---- path walk (fs/namei.c) ---- */

#define LOOKUP_FOLLOW 1 /* follow a symlink in the last component */
#define LOOKUP_DIRECTORY 2 /* the result must be a directory */

/* The dentry at path (positive), with a reference the caller dput()s. */
int kern_path(const char *path, unsigned int flags, struct dentry **res);
/* The inode at path, with a reference the caller iput()s. */
int vfs_lookup(const char *path, unsigned int flags, struct inode **res);
/*
 * One name in directory base, not followed if it is a symlink: *res gets
 * its dentry (positive: an absent name is -ENOENT), referenced. "." and
 * ".." work as in a path.
 */
int lookup_one_len(const char *name, struct dentry *base, unsigned int len,
		   struct dentry **res);
/*
 * The directory holding path's last component (referenced), and that
 * component inside path. Trailing slashes are not part of the name;
 * *trailing says there were some. "/" has no last component: -EBUSY.
 * A last component "." or ".." is -EINVAL.
 */
int vfs_lookup_parent(const char *path, struct dentry **dir, const char **name,
		      unsigned int *len, bool *trailing);

/* ---- open files (fs/file.c, fs/read_write.c, fs/readdir.c) ---- */

/*
 * Open path with O_* flags; with O_CREAT a missing regular file is made
 * with mode's permission bits. A struct file or ERR_PTR(-errno):
 * -EISDIR for writing a directory, -ENXIO for device files, -EROFS.
 */
struct file *vfs_open(const char *path, unsigned int flags, umode_t mode);
int vfs_close(struct file *file);
/* Bytes read from f_pos (0 at or past the end), advancing f_pos. */
ssize_t vfs_read(struct file *file, void *buf, size_t count);
/* Bytes written at f_pos (at the end with O_APPEND); -EFBIG past s_maxbytes. */
ssize_t vfs_write(struct file *file, const void *buf, size_t count);
/* The new position; -EINVAL for a negative one or a bad whence. */
loff_t vfs_lseek(struct file *file, loff_t offset, int whence);
/*
 * filldir for each entry from f_pos on; -ENOTDIR for a non-directory.
 * Each name handed out is also put in the dcache with the inode its
 * number names (as NFS's readdirplus does), so a vfs_fstatat of it that
 * follows finds it there: `ls` costs one pass over the directory.
 */
int vfs_readdir(struct file *file, void *ctx, filldir_t filldir);

/* ---- inode facts (fs/stat.c) ---- */

struct kstat {
	unsigned long ino;
	umode_t mode;
	unsigned int nlink;
	loff_t size;
	blkcnt_t blocks; /* 512-byte units */
	u32 uid, gid;
	u32 atime, mtime, ctime;
	unsigned long blksize;
};

void vfs_getattr(struct inode *inode, struct kstat *st);
/* lstat: a final symlink is described, not followed. */
int vfs_stat(const char *path, struct kstat *st);
/* lstat of one name in the open directory dir (Linux's fstatat). */
int vfs_fstatat(struct file *dir, const char *name, unsigned int len,
		struct kstat *st);
int vfs_statfs(struct kstatfs *buf);

/* ---- writing back (fs/sync.c) ---- */

/*
 * f_op->fsync, or generic_file_fsync: the file's data, then its
 * metadata buffers and its inode, then a cache flush. A data writeback
 * error of the file is reported once to each open file (errseq: the
 * struct file's sample of the mapping's wb_err), whoever started the
 * writeback that met it.
 */
int vfs_fsync(struct file *file);
int generic_file_fsync(struct file *file);
/* sync_filesystem of the root, then every other dirty mapping. */
int vfs_sync(void);
/*
 * Everything of one file system: pages, inodes, sync_fs (metadata in
 * order), the device cache, a flush. Fails if anything could not be
 * written now, or if a data write failed since the last sync.
 */
int sync_filesystem(struct super_block *sb);

/* ---- name space (fs/namei.c) ---- */

/* A new regular file at path: its dentry, referenced (open's O_CREAT). */
int vfs_create(const char *path, umode_t mode, struct dentry **res);
int vfs_mkdir(const char *path, umode_t mode);
int vfs_rmdir(const char *path);
int vfs_unlink(const char *path);
/* POSIX rename: replaces a target of the same kind (empty if a dir). */
int vfs_rename(const char *oldpath, const char *newpath);
int vfs_symlink(const char *target, const char *path);
/* The target (not NUL-terminated), its length or -errno. */
int vfs_readlink(const char *path, char *buf, int buflen);
/* Set a regular file's size: frees or zeroes past it, or makes a hole. */
int vfs_truncate(const char *path, loff_t size);
int vfs_truncate_inode(struct inode *inode, loff_t size);

#endif
