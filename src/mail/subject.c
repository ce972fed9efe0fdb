/*
 * subject: see subject.h.
 */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "mail/charset.h"
#include "mail/subject.h"
#include "util/buf.h"
#include "util/xmalloc.h"

static const char *const subject_prefixes[] = {
	"re", "fwd", "fw", "aw", "wg", "sv",
	"ответ", "отв", "пересл", "перес",
};

/* Length of the white space at p. */
static size_t
subject_space(const char *p)
{
	size_t	n = 0;

	while (p[n] == ' ' || p[n] == '\t' || p[n] == '\r' || p[n] == '\n')
		n++;
	return n;
}

/* A counter after a prefix word: "[2]", "(2)", "^2"; its length or 0. */
static size_t
subject_counter(const char *p)
{
	size_t	n = 1;

	if (*p != '[' && *p != '(' && *p != '^')
		return 0;
	while (p[n] >= '0' && p[n] <= '9' && n < 6)
		n++;
	if (n == 1)
		return 0;
	if (*p == '^')
		return n;
	return p[n] == (*p == '[' ? ']' : ')') ? n + 1 : 0;
}

/* A prefix at folded text p ("re:", "ответ[2] :"); its length or 0. */
static size_t
subject_prefix(const char *p)
{
	size_t	i, n;

	for (i = 0; i < sizeof subject_prefixes / sizeof *subject_prefixes;
	    i++) {
		n = strlen(subject_prefixes[i]);
		if (strncmp(p, subject_prefixes[i], n) != 0)
			continue;
		n += subject_counter(p + n);
		n += subject_space(p + n);
		if (p[n] == ':')
			return n + 1;
	}
	return 0;
}

/* A list tag "[...]" of at most 100 bytes; its length or 0. */
static size_t
subject_tag(const char *p)
{
	const char	*end;

	if (*p != '[' || (end = memchr(p, ']', strnlen(p, 101))) == NULL)
		return 0;
	return (size_t)(end - p) + 1;
}

/* Where the decoration ends in folded text; *reply set when a prefix was
 * seen. */
static size_t
subject_skip(const char *f, int *reply)
{
	size_t	off = 0, n;

	*reply = 0;
	for (;;) {
		off += subject_space(f + off);
		if ((n = subject_prefix(f + off)) != 0)
			*reply = 1;
		else if ((n = subject_tag(f + off)) == 0)
			return off;
		off += n;
	}
}

static char *
subject_fold(const char *subject)
{
	struct buf	 b;
	const char	*p = subject;
	uint32_t	 cp;
	size_t		 n;

	buf_init(&b);
	while (*p != '\0') {
		if ((n = charset_utf8_char(p, strlen(p), &cp)) == 0) {
			buf_addc(&b, *p++);
			continue;
		}
		cp = charset_lower(cp);
		buf_add_utf8(&b, cp == 0x451 ? 0x435 : cp);
		p += n;
	}
	return buf_detach(&b);
}

/* Folded, each run of white space one space, none at either end. */
static char *
subject_folded(const char *subject)
{
	struct buf	 b;
	char		*f;
	const char	*p;
	int		 space = 0;

	f = subject_fold(subject ? subject : "");
	buf_init(&b);
	for (p = f; *p != '\0'; p++) {
		if (subject_space(p) > 0) {
			space = 1;
			continue;
		}
		if (space && b.len > 0)
			buf_addc(&b, ' ');
		space = 0;
		buf_addc(&b, *p);
	}
	free(f);
	return buf_detach(&b);
}

/*
 * The decoration is stripped from text whose white space is already
 * collapsed, so a tag's length is measured the same way every time and
 * the key of a key is itself.
 */
char *
subject_key(const char *subject)
{
	char	*f, *k;
	int	 reply;

	f = subject_folded(subject);
	k = xstrdup(f + subject_skip(f, &reply));
	free(f);
	return k;
}

int
subject_is_reply(const char *subject)
{
	char	*f;
	int	 reply;

	f = subject_folded(subject);
	(void)subject_skip(f, &reply);
	free(f);
	return reply;
}
