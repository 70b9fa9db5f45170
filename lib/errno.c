/*
 * Names and reasons for error numbers, so messages say "ENOENT" and "no
 * such file or directory", not "-2". Both tables come from ERRNO_LIST.
 */
#include "compiler.h"
#include "errno.h"

#define ERRNO_NAME(name, value, reason) [value] = #name,
#define ERRNO_REASON(name, value, reason) [value] = reason,

static const char *const errno_names[] = { ERRNO_LIST(ERRNO_NAME) };
static const char *const errno_reasons[] = { ERRNO_LIST(ERRNO_REASON) };

/* Callers hold either -EIO (a return value) or EIO; accept both. */
static unsigned int errno_index(int err)
{
	return err < 0 ? 0U - (unsigned int)err : (unsigned int)err;
}

const char *errno_name(int err)
{
	unsigned int n = errno_index(err);

	if (n < ARRAY_SIZE(errno_names) && errno_names[n])
		return errno_names[n];
	return "E?";
}

const char *errno_reason(int err)
{
	unsigned int n = errno_index(err);

	if (n < ARRAY_SIZE(errno_reasons) && errno_reasons[n])
		return errno_reasons[n];
	return "failed";
}
