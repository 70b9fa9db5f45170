/*
 * Shell-style wildcard matching, for selecting self-tests by name
 * (`selftest block.*`) and the like.
 */
#ifndef _GLOB_H
#define _GLOB_H

#include "types.h"

/*
 * True if all of str matches pattern: '*' any run of characters (also
 * none), '?' any one character, '[abc]' '[a-z]' one of a set, '[!x]' or
 * '[^x]' one not in it ("[]x]" holds ']'), '\' makes the next character
 * literal. An unclosed '[' is a literal '['. No special case for '/'.
 */
bool glob_match(const char *pattern, const char *str);

#endif
