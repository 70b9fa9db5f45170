/*
 * An open file: an inode reference, a position and the reader's own
 * readahead window. The shell and the self-tests are the only "users";
 * there is no descriptor table, so a struct file is the handle itself.
 */
#ifndef _FILE_H
#define _FILE_H

#include "fs.h"
#include "pagemap.h"

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
	struct inode *f_inode; /* holds a reference */
	struct address_space *f_mapping;
	const struct file_operations *f_op;
	loff_t f_pos;
	unsigned int f_flags; /* O_* as opened */
	struct file_ra_state f_ra;
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
