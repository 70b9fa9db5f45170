/*
 * Error numbers, with Linux's values so a student can compare traces.
 * Included with quotes ("errno.h"); the build uses -iquote so the host's
 * <errno.h> is never shadowed.
 */
#ifndef _KERNEL_ERRNO_H
#define _KERNEL_ERRNO_H

#define EPERM 1
#define ENOENT 2
#define EIO 5
#define ENXIO 6
#define E2BIG 7
#define EBADF 9
#define EAGAIN 11
#define ENOMEM 12
#define EACCES 13
#define EFAULT 14
#define EBUSY 16
#define EEXIST 17
#define EXDEV 18
#define ENODEV 19
#define ENOTDIR 20
#define EISDIR 21
#define EINVAL 22
#define ENFILE 23
#define EMFILE 24
#define EFBIG 27
#define ENOSPC 28
#define ESPIPE 29
#define EROFS 30
#define EMLINK 31
#define ERANGE 34
#define ENAMETOOLONG 36
#define ENOSYS 38
#define ENOTEMPTY 39
#define ELOOP 40
#define EOVERFLOW 75
#define EUCLEAN 117 /* structure needs cleaning: a corrupt file system */
#define ETIMEDOUT 110

#define MAX_ERRNO 4095

/* "ENOENT" for 2; "E?" for a number we do not know. */
const char *errno_name(int err);

/*
 * Pointers that carry an error, as in Linux: the top 4095 addresses are
 * never valid, so they can encode -errno.
 */
static inline void *ERR_PTR(long err)
{
	return (void *)err;
}

static inline long PTR_ERR(const void *ptr)
{
	return (long)ptr;
}

static inline int IS_ERR(const void *ptr)
{
	return (unsigned long)ptr >= (unsigned long)-MAX_ERRNO;
}

static inline int IS_ERR_OR_NULL(const void *ptr)
{
	return !ptr || IS_ERR(ptr);
}

#endif
