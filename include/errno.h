/*
 * Error numbers, with Linux's values so a student can compare traces;
 * error pointers; errseq_t, an error each observer sees once.
 * Included with quotes ("errno.h"); the build uses -iquote so the host's
 * <errno.h> is never shadowed.
 */
#ifndef _KERNEL_ERRNO_H
#define _KERNEL_ERRNO_H

/*
 * The one list of error numbers: each code's name, Linux's value (so a
 * student can compare traces) and the plain-words reason of the C
 * library's strerror. The enum, errno_name() and errno_reason() are all
 * made from it, so a new code is one line here.
 */
#define ERRNO_LIST(X)                                             \
	X(EPERM, 1, "operation not permitted")                    \
	X(ENOENT, 2, "no such file or directory")                 \
	X(EINTR, 4, "interrupted system call")                    \
	X(EIO, 5, "input/output error")                           \
	X(ENXIO, 6, "no such device or address")                  \
	X(E2BIG, 7, "argument list too long")                     \
	X(EBADF, 9, "bad file descriptor")                        \
	X(EAGAIN, 11, "resource temporarily unavailable")         \
	X(ENOMEM, 12, "out of memory")                            \
	X(EACCES, 13, "permission denied")                        \
	X(EFAULT, 14, "bad address")                              \
	X(EBUSY, 16, "device or resource busy")                   \
	X(EEXIST, 17, "file exists")                              \
	X(EXDEV, 18, "invalid cross-device link")                 \
	X(ENODEV, 19, "no such device")                           \
	X(ENOTDIR, 20, "not a directory")                         \
	X(EISDIR, 21, "is a directory")                           \
	X(EINVAL, 22, "invalid argument")                         \
	X(ENFILE, 23, "too many open files in system")            \
	X(EMFILE, 24, "too many open files")                      \
	X(EFBIG, 27, "file too large")                            \
	X(ENOSPC, 28, "no space left on device")                  \
	X(ESPIPE, 29, "illegal seek")                             \
	X(EROFS, 30, "read-only file system")                     \
	X(EMLINK, 31, "too many links")                           \
	X(ERANGE, 34, "result out of range")                      \
	X(ENAMETOOLONG, 36, "file name too long")                 \
	X(ENOSYS, 38, "function not implemented")                 \
	X(ENOTEMPTY, 39, "directory not empty")                   \
	X(ELOOP, 40, "too many levels of symbolic links")         \
	X(EOVERFLOW, 75, "value too large for defined data type") \
	X(ETIMEDOUT, 110, "connection timed out")                 \
	X(EUCLEAN, 117, "structure needs cleaning")

enum {
#define ERRNO_ENUM(name, value, reason) name = value,
	ERRNO_LIST(ERRNO_ENUM)
#undef ERRNO_ENUM
};

#define MAX_ERRNO 4095

/* "ENOENT" for 2 or -2; "E?" for a number we do not know. */
const char *errno_name(int err);
/* "no such file or directory" for 2 or -2; "failed" if unknown. */
const char *errno_reason(int err);

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

/*
 * errseq_t (lib/errseq.c): a writeback error that every observer sees
 * once, after Linux's. One 32-bit word holds the last error, a "seen"
 * flag and a counter bumped whenever a new error is recorded after the
 * last one was seen. Each observer (an open file, the `sync` caller)
 * keeps a sample of the word; an error recorded since its sample is its
 * to report, once, whatever other observers did. An error nobody has
 * seen yet is reported to observers that arrive later too, so internal
 * writeback never swallows it.
 */
typedef unsigned int errseq_t;

/* Record err (a -errno; 0 is ignored). Safe in interrupt context. */
void errseq_set(errseq_t *eseq, int err);
/* A new observer's starting point: unseen errors stay ahead of it. */
errseq_t errseq_sample(errseq_t *eseq);
/* The error recorded since the sample, or 0; the sample does not move. */
int errseq_check(errseq_t *eseq, errseq_t since);
/* The same, then move the sample past it and mark it seen. */
int errseq_check_and_advance(errseq_t *eseq, errseq_t *since);

#endif
