/*
 * Force-included when the host builds lib/string.c and lib/vsprintf.c:
 * their functions carry the C library's names, so on the host they are
 * renamed with a k prefix and tested beside the libc originals.
 *
 * A test that wants to call both (kmemcpy and libc's memcpy) defines
 * KLIBC_DECLARE_ONLY first: it then gets the k-prototypes, no renames.
 */
#ifndef _KLIBC_RENAME_H
#define _KLIBC_RENAME_H

#ifndef KLIBC_DECLARE_ONLY

#define memcpy kmemcpy
#define memmove kmemmove
#define memset kmemset
#define memcmp kmemcmp
#define memchr kmemchr
#define strlen kstrlen
#define strnlen kstrnlen
#define strcmp kstrcmp
#define strncmp kstrncmp
#define strchr kstrchr
#define strrchr kstrrchr
#define vsnprintf kvsnprintf
#define snprintf ksnprintf
/*
 * vscnprintf/scnprintf are not libc's: they keep their names so portable
 * code that calls them links on the host too (to our kvsnprintf).
 */

#else /* KLIBC_DECLARE_ONLY */

#include <stdarg.h>
#include <stddef.h>

void *kmemcpy(void *dst, const void *src, size_t n);
void *kmemmove(void *dst, const void *src, size_t n);
void *kmemset(void *s, int c, size_t n);
int kmemcmp(const void *a, const void *b, size_t n);
void *kmemchr(const void *s, int c, size_t n);
size_t kstrlen(const char *s);
size_t kstrnlen(const char *s, size_t max);
int kstrcmp(const char *a, const char *b);
int kstrncmp(const char *a, const char *b, size_t n);
char *kstrchr(const char *s, int c);
char *kstrrchr(const char *s, int c);
int kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int ksnprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int vscnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int scnprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif /* KLIBC_DECLARE_ONLY */

#endif
