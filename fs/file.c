/*
 * Opening and closing files. An open file holds a reference on its
 * inode, so an unlinked file stays readable until the last close, when
 * iput evicts it and the file system frees its blocks.
 */
#include "pagemap.h"
#include "slab.h"
#include "vfs.h"

/* The missing last component of path, created as a regular file. */
static int create_file(const char *path, umode_t mode, struct inode **res)
{
	struct inode *dir, *inode;
	const char *name;
	unsigned int len;
	bool trailing;
	int err;

	err = vfs_lookup_parent(path, &dir, &name, &len, &trailing);
	if (err)
		return err == -EBUSY ? -EISDIR : err;
	if (trailing) {
		err = -EISDIR;
	} else if (sb_rdonly(dir->i_sb)) {
		err = -EROFS;
	} else if (!dir->i_op || !dir->i_op->create) {
		err = -EPERM;
	} else {
		inode = NULL;
		err = dir->i_op->create(dir, name, len,
					S_IFREG | (mode & 07777), &inode);
		if (!err && !inode)
			err = -EIO;
		if (!err)
			*res = inode;
	}
	iput(dir);
	return err;
}

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
	struct inode *inode = NULL;
	struct file *file;
	int err;

	if ((flags & O_ACCMODE) == O_ACCMODE)
		return ERR_PTR(-EINVAL);
	err = vfs_lookup(path, lookup, &inode);
	if (err == -ENOENT && (flags & O_CREAT))
		err = create_file(path, mode, &inode);
	else if (!err && (flags & O_CREAT) && (flags & O_EXCL))
		err = -EEXIST;
	if (!err)
		err = may_open(inode, flags);
	if (!err && (flags & O_TRUNC) && i_size_read(inode))
		err = vfs_truncate_inode(inode, 0);
	if (err) {
		iput(inode);
		return ERR_PTR(err);
	}
	file = kzalloc(sizeof(*file), GFP_KERNEL);
	if (!file) {
		iput(inode);
		return ERR_PTR(-ENOMEM);
	}
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
	iput(file->f_inode);
	kfree(file);
	return 0;
}
