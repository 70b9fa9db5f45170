/*
 * readdir: the file system walks its directory from f_pos (a cookie it
 * alone understands) and calls filldir per entry, leaving f_pos where
 * the next call resumes.
 */
#include "vfs.h"

int vfs_readdir(struct file *file, void *ctx, filldir_t filldir)
{
	if (IS_ERR_OR_NULL(file) || !file_readable(file))
		return -EBADF;
	if (!S_ISDIR(file->f_inode->i_mode))
		return -ENOTDIR;
	if (!file->f_op || !file->f_op->readdir)
		return -ENOTDIR;
	return file->f_op->readdir(file, ctx, filldir);
}
