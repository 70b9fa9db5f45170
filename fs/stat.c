/*
 * stat and statfs: inode facts in one structure, as the shell prints
 * them. vfs_fstatat looks the name up in the dcache, where readdir has
 * just put it, so `ls` does not scan the directory again per name.
 */
#include "string.h"
#include "vfs.h"

void vfs_getattr(struct inode *inode, struct kstat *st)
{
	memset(st, 0, sizeof(*st));
	st->ino = inode->i_ino;
	st->mode = inode->i_mode;
	st->nlink = inode->i_nlink;
	st->size = i_size_read(inode);
	st->blocks = inode->i_blocks;
	st->uid = inode->i_uid;
	st->gid = inode->i_gid;
	st->atime = inode->i_atime;
	st->mtime = inode->i_mtime;
	st->ctime = inode->i_ctime;
	st->blksize = 1UL << inode->i_blkbits;
}

int vfs_stat(const char *path, struct kstat *st)
{
	struct inode *inode;
	int err = vfs_lookup(path, 0, &inode);

	if (err)
		return err;
	vfs_getattr(inode, st);
	iput(inode);
	return 0;
}

int vfs_fstatat(struct file *dir, const char *name, unsigned int len,
		struct kstat *st)
{
	struct dentry *dentry;
	int err = lookup_one_len(name, dir->f_dentry, len, &dentry);

	if (err)
		return err;
	vfs_getattr(dentry->d_inode, st);
	dput(dentry);
	return 0;
}
