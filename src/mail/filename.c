/*
 * filename: see filename.h.
 *
 * Steps, each on a fresh string: make the bytes valid UTF-8, keep only
 * the last path component, drop unsafe characters, trim the ends, cut to
 * length keeping the extension, trim again, defuse device names.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/buf.h"
#include "mail/charset.h"
#include "mail/filename.h"
#include "util/xmalloc.h"

static const char *const filename_reserved[] = {
	"CON", "PRN", "AUX", "NUL",
	"COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9",
	"LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
};

static int
filename_drop_cp(uint32_t cp)
{
	return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) ||
	    (cp >= 0x200b && cp <= 0x200f) || (cp >= 0x202a && cp <= 0x202e) ||
	    (cp >= 0x2066 && cp <= 0x2069) || cp == 0xfeff;
}

/* The last component of s with unsafe characters removed or replaced. */
static char *
filename_clean(const char *s)
{
	struct buf	 b;
	const char	*p;
	size_t		 n, k, i = 0;
	uint32_t	 cp;

	if ((p = strrchr(s, '/')) != NULL)
		s = p + 1;
	if ((p = strrchr(s, '\\')) != NULL)
		s = p + 1;
	n = strlen(s);
	buf_init(&b);
	buf_add(&b, "", 0);
	while (i < n) {
		k = charset_utf8_char(s + i, n - i, &cp);
		if (k == 0)
			k = 1;
		if (filename_drop_cp(cp))
			;
		else if (k == 1 && strchr("<>:\"|?*", s[i]) != NULL)
			buf_addc(&b, '_');
		else if (cp == 0xa0 || cp == 0x3000)
			buf_addc(&b, ' ');
		else
			buf_add(&b, s + i, k);
		i += k;
	}
	return buf_detach(&b);
}

/* Trim leading dots and white space, trailing dots and white space. */
static void
filename_trim(char *s)
{
	size_t	lead = strspn(s, ". \t"), n;

	memmove(s, s + lead, strlen(s + lead) + 1);
	n = strlen(s);
	while (n > 0 && (s[n - 1] == '.' || s[n - 1] == ' ' ||
	    s[n - 1] == '\t'))
		s[--n] = '\0';
}

/* Largest cut <= max that does not split a UTF-8 character. */
static size_t
filename_boundary(const char *s, size_t max)
{
	while (max > 0 && ((unsigned char)s[max] & 0xc0) == 0x80)
		max--;
	return max;
}

static char *
filename_bound(char *s)
{
	size_t		 n = strlen(s), ext = 0, keep;
	const char	*dot = strrchr(s, '.');
	char		*r;

	if (n <= FILENAME_MAX_BYTES)
		return s;
	if (dot != NULL && dot != s && strlen(dot) <= FILENAME_EXT_MAX)
		ext = strlen(dot);
	keep = filename_boundary(s, FILENAME_MAX_BYTES - ext);
	r = xmalloc(keep + ext + 1);
	memcpy(r, s, keep);
	memcpy(r + keep, s + n - ext, ext + 1);
	free(s);
	/* The cut may leave dots or spaces before the extension. */
	while (keep > 0 && (r[keep - 1] == '.' || r[keep - 1] == ' ')) {
		memmove(r + keep - 1, r + keep, ext + 1);
		keep--;
	}
	return r;
}

static char *
filename_defuse(char *s)
{
	size_t	i, stem = strcspn(s, ".");
	char	*r;

	while (stem > 0 && s[stem - 1] == ' ')
		stem--;
	for (i = 0; i < sizeof(filename_reserved) /
	    sizeof(filename_reserved[0]); i++)
		if (strlen(filename_reserved[i]) == stem &&
		    strncasecmp(s, filename_reserved[i], stem) == 0) {
			r = xasprintf("_%s", s);
			free(s);
			if (strlen(r) > FILENAME_MAX_BYTES)
				r[filename_boundary(r, FILENAME_MAX_BYTES)] =
				    '\0';
			return r;
		}
	return s;
}

char *
filename_safe(const char *utf8_name)
{
	char	*valid, *s;

	if (utf8_name == NULL)
		return xstrdup("attachment");
	valid = charset_utf8_sanitize(utf8_name, strlen(utf8_name));
	s = filename_clean(valid);
	free(valid);
	filename_trim(s);
	if (s[0] == '\0') {
		free(s);
		return xstrdup("attachment");
	}
	/* Bound last: defusing may lengthen the name, and the cut may leave
	 * a space or a dot at the end, which the final trim removes. */
	s = filename_bound(filename_defuse(s));
	filename_trim(s);
	if (s[0] == '\0') {
		free(s);
		return xstrdup("attachment");
	}
	return s;
}
