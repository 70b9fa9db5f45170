/*
 * The kernel command line: words separated by spaces, each "key=value"
 * or a bare "flag". The last occurrence of a key wins.
 */
#ifndef _CMDLINE_H
#define _CMDLINE_H

#include "types.h"

/* Split s into options (copied; s may go away afterwards). */
void cmdline_init(const char *s);
/* The value of key=value, or NULL when key is absent or has no '='. */
const char *cmdline_get(const char *key);
/* True if flag appears as a bare word or as flag=anything. */
bool cmdline_has(const char *flag);
/* The whole command line as given. */
const char *cmdline_raw(void);

#endif
