/*
 * memfs: a small file system for the VFS tests, kept in host memory.
 * Its "disk" is the mfs_node table (inodes with their data or entries),
 * which survives unmount and inode eviction, so the tests can tell what
 * reached it and when: data lands there only through writepage, inode
 * fields only through write_inode. It implements every operation of
 * fs.h the VFS calls and counts the calls.
 */
#ifndef _MEMFS_H
#define _MEMFS_H

#include "fs.h"

#define MFS_MAX_INODES 64
#define MFS_ROOT_INO 1

struct mfs_dirent {
	char name[NAME_MAX + 1];
	unsigned long ino;
};

/* One inode "on disk". */
struct mfs_node {
	bool used;
	umode_t mode;
	unsigned int nlink;
	loff_t size;
	u8 *data; /* file bytes or symlink text */
	size_t cap;
	struct mfs_dirent *ents; /* directories: ".", "..", ... */
	unsigned int nents, cap_ents;
};

struct memfs {
	struct mfs_node nodes[MFS_MAX_INODES];
	bool fail_writepage; /* writeback ends in -EIO */
	bool fail_iget; /* reading an inode fails */
	unsigned int reads; /* inodes read in (I_NEW filled) */
	unsigned int alloc_calls, destroy_calls, evict_calls, evict_frees;
	unsigned int write_inode_calls, sync_fs_calls, put_super_calls;
	unsigned int writepage_calls;
};

extern struct memfs *memfs_disk; /* what fill_super mounts */
extern struct file_system_type memfs_type;

/* A fresh disk with an empty root directory; registers the type once. */
struct memfs *memfs_create(void);
void memfs_destroy(struct memfs *fs);
/* The inode (sb, ino), through iget_locked; ERR_PTR on failure. */
struct inode *memfs_iget(struct super_block *sb, unsigned long ino);

#endif
