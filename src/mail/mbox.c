/*
 * mbox: see mbox.h.
 */
#include <config.h>

#include <string.h>

#include "mail/mbox.h"

/* Does the line at p (n bytes, no line end) match ^>*From ? */
static int
mbox_from_line(const char *p, size_t n)
{
	size_t	i = 0;

	while (i < n && p[i] == '>')
		i++;
	return n - i >= 5 && memcmp(p + i, "From ", 5) == 0;
}

int
mbox_write(FILE *f, const char *raw, size_t len, const char *sender,
    time_t date)
{
	const char	*p = raw, *end = raw + len, *nl;
	char		 when[64];
	struct tm	 tm;
	size_t		 n;

	gmtime_r(&date, &tm);
	strftime(when, sizeof when, "%a %b %e %H:%M:%S %Y", &tm);
	fprintf(f, "From %s %s\n", sender && *sender && !strpbrk(sender,
	    " \t\r\n") ? sender : "MAILER-DAEMON", when);
	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		n = nl ? (size_t)(nl - p) + 1 : (size_t)(end - p);
		if (mbox_from_line(p, n))
			fputc('>', f);
		fwrite(p, 1, n, f);
		p += n;
	}
	if (len == 0 || raw[len - 1] != '\n')
		fputc('\n', f);
	fputc('\n', f);
	return ferror(f) ? -1 : 0;
}

static int
mbox_separator(const char *data, size_t len, size_t at)
{
	return (at == 0 || data[at - 1] == '\n') && len - at >= 5 &&
	    memcmp(data + at, "From ", 5) == 0;
}

int
mbox_next(const char *data, size_t len, size_t *off, struct buf *out)
{
	size_t		 at = *off, n;
	const char	*nl, *line;

	buf_reset(out);
	while (at < len && !mbox_separator(data, len, at)) {
		nl = memchr(data + at, '\n', len - at);
		at = nl ? (size_t)(nl - data) + 1 : len;
	}
	if (at >= len)
		return 0;
	nl = memchr(data + at, '\n', len - at);	/* the From_ line */
	at = nl ? (size_t)(nl - data) + 1 : len;
	while (at < len && !mbox_separator(data, len, at)) {
		line = data + at;
		nl = memchr(line, '\n', len - at);
		n = nl ? (size_t)(nl - line) + 1 : len - at;
		if (n > 0 && line[0] == '>' && mbox_from_line(line, n))
			buf_add(out, line + 1, n - 1);
		else
			buf_add(out, line, n);
		at += n;
	}
	/* the empty line that separates messages is not the message's */
	if (out->len >= 2 && out->data[out->len - 1] == '\n' &&
	    out->data[out->len - 2] == '\n')
		out->len--;
	else if (out->len >= 3 && memcmp(out->data + out->len - 3, "\n\r\n",
	    3) == 0)
		out->len -= 2;
	if (out->data != NULL)
		out->data[out->len] = '\0';
	*off = at;
	return 1;
}
