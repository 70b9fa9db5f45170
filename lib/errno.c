/* Names for error numbers, so messages say "ENOENT" and not "-2". */
#include "compiler.h"
#include "errno.h"

#define E(name) [name] = #name

static const char *const errno_names[] = {
	E(EPERM),	 E(ENOENT),  E(EIO),	   E(ENXIO),  E(E2BIG),
	E(EBADF),	 E(EAGAIN),  E(ENOMEM),	   E(EACCES), E(EFAULT),
	E(EBUSY),	 E(EEXIST),  E(EXDEV),	   E(ENODEV), E(ENOTDIR),
	E(EISDIR),	 E(EINVAL),  E(ENFILE),	   E(EMFILE), E(EFBIG),
	E(ENOSPC),	 E(ESPIPE),  E(EROFS),	   E(EMLINK), E(ERANGE),
	E(ENAMETOOLONG), E(ENOSYS),  E(ENOTEMPTY), E(ELOOP),  E(EOVERFLOW),
	E(ETIMEDOUT),	 E(EUCLEAN),
};

const char *errno_name(int err)
{
	/* Callers hold either -EIO (a return value) or EIO; accept both. */
	unsigned int n = err < 0 ? 0U - (unsigned int)err : (unsigned int)err;

	if (n < ARRAY_SIZE(errno_names) && errno_names[n])
		return errno_names[n];
	return "E?";
}
