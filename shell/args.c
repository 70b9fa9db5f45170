/*
 * Reading a command line's words and numbers: pure functions, built
 * into the host unit tests too. Numbers are decimal or 0x hex, the way
 * scripts/stream.py reads them; a leading 0 is just a zero (010 is ten,
 * never octal eight). Sizes may end in k, M or G (KiB, MiB, GiB).
 */
#include "shell.h"
#include "errno.h"
#include "string.h"

static bool is_space(char c)
{
	return c == ' ' || c == '\t';
}

int shell_split(char *line, char **argv, int max)
{
	int argc = 0;

	for (;;) {
		while (is_space(*line))
			*line++ = '\0';
		if (!*line)
			return argc;
		if (argc == max)
			return -E2BIG;
		argv[argc++] = line;
		while (*line && !is_space(*line))
			line++;
	}
}

static bool is_hex_digit(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
	       (c >= 'A' && c <= 'F');
}

int shell_parse_u64(const char *s, u64 *v)
{
	unsigned long long x;
	int err;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		for (const char *p = s + 2; *p; p++)
			if (!is_hex_digit(*p))
				return -EINVAL;
		if (!s[2])
			return -EINVAL;
		err = kstrtoull(s + 2, 16, &x);
	} else {
		if (s[0] < '0' || s[0] > '9')
			return -EINVAL;
		err = kstrtoull(s, 10, &x);
	}
	if (err)
		return err;
	*v = x;
	return 0;
}

int shell_parse_size(const char *s, u64 *v)
{
	char num[24];
	size_t n = strlen(s);
	unsigned int shift = 0;
	u64 x;
	int err;

	if (n && !is_hex_digit(s[n - 1])) {
		switch (s[n - 1]) {
		case 'k':
		case 'K':
			shift = 10;
			break;
		case 'm':
		case 'M':
			shift = 20;
			break;
		case 'g':
		case 'G':
			shift = 30;
			break;
		default:
			return -EINVAL;
		}
		n--;
	}
	if (n == 0 || n >= sizeof(num))
		return n ? -ERANGE : -EINVAL;
	memcpy(num, s, n);
	num[n] = '\0';
	err = shell_parse_u64(num, &x);
	if (err)
		return err;
	if (shift && x > (~0ULL >> shift))
		return -ERANGE;
	*v = x << shift;
	return 0;
}
