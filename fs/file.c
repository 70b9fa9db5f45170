/*
 * Opening and closing files. An open file holds a reference on its
 * dentry, and so on its inode: an unlinked file stays readable until the
 * last close, when the dentry (unhashed by d_delete) lets the inode go,
 * iput evicts it and the file system frees its blocks. O_CREAT of a
 * missing name is vfs_create (fs/namei.c).
 */
#include "pagemap.h"
#include "slab.h"
#include "vfs.h"

static int may_open(struct inode *inode, unsigned int flags)
{
	bool writing = (flags & O_ACCMODE) != O_RDONLY || (flags & O_TRUNC);

	if (S_ISLNK(inode->i_mode))
		return -ELOOP; /* O_NOFOLLOW on a symlink */
	if (S_ISDIR(inode->i_mode))
		return writing || (flags & O_CREAT) ? -EISDIR : 0;
	if (flags & O_DIRECTORY)
		return -ENOTDIR;
	if (!S_ISREG(inode->i_mode))
		return -ENXIO; /* devices, fifos, sockets: no drivers */
	if (writing && sb_rdonly(inode->i_sb))
		return -EROFS;
	return 0;
}

struct file *vfs_open(const char *path, unsigned int flags, umode_t mode)
{
	unsigned int lookup = (flags & O_NOFOLLOW) ? 0 : LOOKUP_FOLLOW;
	struct dentry *dentry = NULL;
	struct inode *inode;
	struct file *file;
	int err;

	if ((flags & O_ACCMODE) == O_ACCMODE)
		return ERR_PTR(-EINVAL);
	err = kern_path(path, lookup, &dentry);
	if (err == -ENOENT && (flags & O_CREAT))
		err = vfs_create(path, mode, &dentry);
	else if (!err && (flags & O_CREAT) && (flags & O_EXCL)) {
		dput(dentry);
		err = -EEXIST;
	}
	if (err)
		return ERR_PTR(err);
	inode = dentry->d_inode;
	err = may_open(inode, flags);
	if (!err && (flags & O_TRUNC) && i_size_read(inode))
		err = vfs_truncate_inode(inode, 0);
	if (err) {
		dput(dentry);
		return ERR_PTR(err);
	}
	file = kzalloc(sizeof(*file), GFP_KERNEL);
	if (!file) {
		dput(dentry);
		return ERR_PTR(-ENOMEM);
	}
	file->f_dentry = dentry;
	file->f_inode = inode;
	file->f_mapping = inode->i_mapping;
	file->f_op = inode->i_fop;
	file->f_flags = flags;
	file->f_pos = 0;
	file_ra_state_init(&file->f_ra, file->f_mapping);
	/* Errors nobody saw yet stay ahead of this file: fsync reports them. */
	file->f_wb_err = errseq_sample(&file->f_mapping->wb_err);
	return file;
}

int vfs_close(struct file *file)
{
	if (IS_ERR_OR_NULL(file))
		return -EBADF;
	dput(file->f_dentry);
	kfree(file);
	return 0;
}
