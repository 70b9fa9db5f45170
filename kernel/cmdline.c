/*
 * Command line options. The line is copied once and split in place into
 * NUL-terminated words, so cmdline_get() can return pointers into it.
 */
#include "cmdline.h"
#include "string.h"

#define CMDLINE_MAX 1024
#define CMDLINE_WORDS 64

static char raw[CMDLINE_MAX];
static char words_buf[CMDLINE_MAX];
static char *words[CMDLINE_WORDS];
static unsigned int nr_words;

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

void cmdline_init(const char *s)
{
	char *p = words_buf;

	strscpy(raw, s ? s : "", sizeof(raw));
	memcpy(words_buf, raw, sizeof(raw));
	nr_words = 0;
	while (*p && nr_words < CMDLINE_WORDS) {
		while (is_space(*p))
			*p++ = '\0';
		if (!*p)
			break;
		words[nr_words++] = p;
		while (*p && !is_space(*p))
			p++;
	}
	while (*p) /* words beyond the limit are ignored */
		*p++ = '\0';
}

/* Length of word's key: up to '=' or the end. */
static size_t key_len(const char *word)
{
	const char *eq = strchr(word, '=');

	return eq ? (size_t)(eq - word) : strlen(word);
}

static const char *find(const char *key)
{
	size_t n = strlen(key);
	const char *found = NULL;

	if (!n)
		return NULL;
	for (unsigned int i = 0; i < nr_words; i++)
		if (key_len(words[i]) == n && !strncmp(words[i], key, n))
			found = words[i];
	return found;
}

const char *cmdline_get(const char *key)
{
	const char *word = find(key);
	const char *eq = word ? strchr(word, '=') : NULL;

	return eq ? eq + 1 : NULL;
}

bool cmdline_has(const char *flag)
{
	return find(flag) != NULL;
}

const char *cmdline_raw(void)
{
	return raw;
}
