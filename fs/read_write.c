/*
 * read, write and lseek on an open file: the position is the file's,
 * the data path is the page cache's (filemap_read with the file's own
 * readahead window, generic_perform_write through the file system's
 * write_begin/write_end).
 */
#include "pagemap.h"
#include "vfs.h"

static int check_regular(struct file *file)
{
	if (S_ISDIR(file->f_inode->i_mode))
		return -EISDIR;
	if (!S_ISREG(file->f_inode->i_mode))
		return -EINVAL;
	return 0;
}

ssize_t vfs_read(struct file *file, void *buf, size_t count)
{
	ssize_t ret;

	if (IS_ERR_OR_NULL(file) || !file_readable(file))
		return -EBADF;
	ret = check_regular(file);
	if (ret)
		return ret;
	if (!file->f_mapping->a_ops || !file->f_mapping->a_ops->readpage)
		return -EINVAL;
	if ((ssize_t)count < 0)
		return -EINVAL;
	ret = filemap_read(file->f_mapping, &file->f_ra, file, file->f_pos, buf,
			   count);
	if (ret > 0)
		file->f_pos += ret;
	return ret;
}

ssize_t vfs_write(struct file *file, const void *buf, size_t count)
{
	struct inode *inode;
	loff_t pos, max;
	ssize_t ret;

	if (IS_ERR_OR_NULL(file) || !file_writable(file))
		return -EBADF;
	ret = check_regular(file);
	if (ret)
		return ret;
	inode = file->f_inode;
	if (!file->f_mapping->a_ops || !file->f_mapping->a_ops->write_begin)
		return -EINVAL;
	if (sb_rdonly(inode->i_sb))
		return -EROFS;
	if ((ssize_t)count < 0)
		return -EINVAL;
	if (!count)
		return 0;
	pos = (file->f_flags & O_APPEND) ? i_size_read(inode) : file->f_pos;
	max = inode->i_sb ? inode->i_sb->s_maxbytes : MAX_NON_LFS;
	if (pos >= max)
		return -EFBIG;
	if ((loff_t)count > max - pos)
		count = (size_t)(max - pos);
	ret = generic_perform_write(file, file->f_mapping, pos, buf, count);
	if (ret > 0) {
		file->f_pos = pos + ret;
		/* generic_write_end moved i_size; the inode must reach disk. */
		mark_inode_dirty(inode);
	}
	return ret;
}

loff_t vfs_lseek(struct file *file, loff_t offset, int whence)
{
	loff_t base, max;

	if (IS_ERR_OR_NULL(file))
		return -EBADF;
	switch (whence) {
	case SEEK_SET:
		base = 0;
		break;
	case SEEK_CUR:
		base = file->f_pos;
		break;
	case SEEK_END:
		base = i_size_read(file->f_inode);
		break;
	default:
		return -EINVAL;
	}
	max = file->f_inode->i_sb ? file->f_inode->i_sb->s_maxbytes :
				    MAX_NON_LFS;
	if ((offset > 0 && base > max - offset) || base + offset < 0)
		return -EINVAL;
	if (S_ISREG(file->f_inode->i_mode) && base + offset > max)
		return -EINVAL;
	file->f_pos = base + offset;
	return file->f_pos;
}
