/*
 * Wildcard matching without recursion: on a mismatch, go back to the last
 * '*' and let it swallow one more character. Only the last '*' ever needs
 * revisiting, so the work is O(len(pattern) * len(str)) at worst, and no
 * pattern can blow the kernel stack.
 */
#include "glob.h"

/*
 * Match c against the class whose body starts at p (just after '[').
 * Returns the position after the closing ']', or NULL if the class is
 * not closed; *hit says whether c is in it.
 */
static const char *match_class(const char *p, char c, bool *hit)
{
	bool negate = *p == '!' || *p == '^';
	bool in = false;
	const char *start;

	if (negate)
		p++;
	start = p;
	/* A ']' first in the body is a member, not the end. */
	while (*p && (*p != ']' || p == start)) {
		unsigned char lo = (unsigned char)*p, hi = lo;

		if (p[1] == '-' && p[2] && p[2] != ']') {
			hi = (unsigned char)p[2];
			p += 3;
		} else {
			p++;
		}
		if ((unsigned char)c >= lo && (unsigned char)c <= hi)
			in = true;
	}
	if (!*p)
		return NULL;
	*hit = in != negate;
	return p + 1;
}

/* Match one pattern element against c; on a match, step *pp past it. */
static bool match_one(const char **pp, char c)
{
	const char *p = *pp, *end;
	bool hit;

	switch (*p) {
	case '\0':
		return false;
	case '?':
		*pp = p + 1;
		return true;
	case '[':
		end = match_class(p + 1, c, &hit);
		if (!end)
			break; /* unclosed: a literal '[' */
		if (hit)
			*pp = end;
		return hit;
	case '\\':
		if (p[1])
			p++;
		break;
	}
	if (*p != c)
		return false;
	*pp = p + 1;
	return true;
}

bool glob_match(const char *pattern, const char *str)
{
	const char *p = pattern, *s = str;
	const char *star_p = NULL, *star_s = NULL;

	while (*s) {
		if (*p == '*') {
			star_p = ++p;
			star_s = s;
			continue;
		}
		if (match_one(&p, *s)) {
			s++;
			continue;
		}
		if (!star_p)
			return false;
		/* Backtrack: the last '*' takes one more character. */
		p = star_p;
		s = ++star_s;
	}
	while (*p == '*')
		p++;
	return !*p;
}
