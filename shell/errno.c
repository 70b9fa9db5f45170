/*
 * Plain-words reasons for error lines, used when a failing command did
 * not say more itself (the texts follow the C library's strerror).
 */
#include "shell.h"
#include "errno.h"

static const char *const reasons[] = {
	[EPERM] = "operation not permitted",
	[ENOENT] = "no such file or directory",
	[EIO] = "input/output error",
	[ENXIO] = "no such device or address",
	[E2BIG] = "argument list too long",
	[EBADF] = "bad file descriptor",
	[EAGAIN] = "resource temporarily unavailable",
	[ENOMEM] = "out of memory",
	[EACCES] = "permission denied",
	[EFAULT] = "bad address",
	[EBUSY] = "device or resource busy",
	[EEXIST] = "file exists",
	[EXDEV] = "invalid cross-device link",
	[ENODEV] = "no such device",
	[ENOTDIR] = "not a directory",
	[EISDIR] = "is a directory",
	[EINVAL] = "invalid argument",
	[ENFILE] = "too many open files in system",
	[EMFILE] = "too many open files",
	[EFBIG] = "file too large",
	[ENOSPC] = "no space left on device",
	[ESPIPE] = "illegal seek",
	[EROFS] = "read-only file system",
	[EMLINK] = "too many links",
	[ERANGE] = "result out of range",
	[ENAMETOOLONG] = "file name too long",
	[ENOSYS] = "function not implemented",
	[ENOTEMPTY] = "directory not empty",
	[ELOOP] = "too many levels of symbolic links",
	[EOVERFLOW] = "value too large for defined data type",
	[ETIMEDOUT] = "connection timed out",
	[EUCLEAN] = "structure needs cleaning",
};

const char *shell_errno_reason(int err)
{
	if (err < 0)
		err = -err;
	if (err < (int)(sizeof(reasons) / sizeof(reasons[0])) && reasons[err])
		return reasons[err];
	return "failed";
}
