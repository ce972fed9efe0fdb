/*
 * html: see html.h.
 */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "render/html.h"
#include "util/xmalloc.h"

void
html_escape_n(struct buf *b, const char *s, size_t n)
{
	size_t	i;

	for (i = 0; i < n && s[i] != '\0'; i++) {
		unsigned char	c = (unsigned char)s[i];

		switch (c) {
		case '&':
			buf_adds(b, "&amp;");
			break;
		case '<':
			buf_adds(b, "&lt;");
			break;
		case '>':
			buf_adds(b, "&gt;");
			break;
		case '"':
			buf_adds(b, "&quot;");
			break;
		case '\'':
			buf_adds(b, "&#39;");
			break;
		default:
			if ((c < 0x20 && c != '\t' && c != '\n') || c == 0x7f)
				break;
			buf_addc(b, c);
		}
	}
}

void
html_escape(struct buf *b, const char *s)
{
	if (s != NULL)
		html_escape_n(b, s, strlen(s));
}

char *
html_address(const char *addr, enum html_addr mode)
{
	const char	*at;
	size_t		 keep = 0, chars = 0;

	if (mode == HTML_ADDR_HIDE || addr == NULL ||
	    (at = strchr(addr, '@')) == NULL)
		return xstrdup(mode == HTML_ADDR_HIDE ? "" : "…");
	/* two characters of the domain, whole UTF-8 sequences */
	while (at[1 + keep] != '\0' && chars++ < 2) {
		keep++;
		while (((unsigned char)at[1 + keep] & 0xc0) == 0x80)
			keep++;
	}
	return xasprintf("%.*s@%.*s…", (int)(at - addr), addr, (int)keep,
	    at + 1);
}

static int
html_addr_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c >= 0x80 || strchr(".-_+=%!#$&'*/?^`{|}~",
	    c) != NULL;
}

/* Escape one line, masking each "local@domain" in it. */
static void
html_line(struct buf *b, const char *s, size_t n, enum html_addr mode,
    const char *lang)
{
	size_t	 i = 0, at, start, end;
	char	*addr, *masked;

	while (i < n) {
		const char	*p = memchr(s + i, '@', n - i);

		if (p == NULL) {
			html_escape_n(b, s + i, n - i);
			return;
		}
		at = (size_t)(p - s);
		for (start = at; start > i && html_addr_char(s[start - 1]);
		    start--)
			;
		for (end = at + 1; end < n && (html_addr_char(s[end]) ||
		    s[end] == '.') && s[end] != '>'; end++)
			;
		while (end > at + 1 && s[end - 1] == '.')
			end--;
		html_escape_n(b, s + i, start - i);
		if (start == at || end == at + 1) {
			buf_adds(b, "@");
			i = at + 1;
			continue;
		}
		addr = xstrndup(s + start, end - start);
		masked = html_address(addr, mode);
		if (mode == HTML_ADDR_HIDE)
			buf_adds(b, strcmp(lang, "en") == 0 ? "[address hidden]" :
			    "[адрес скрыт]");
		else
			html_escape(b, masked);
		free(masked);
		free(addr);
		i = end;
	}
}

void
html_text(struct buf *b, const char *s, size_t n, enum html_addr mode,
    const char *lang)
{
	const char	*nl;
	size_t		 k;

	while (n > 0 && *s != '\0') {
		nl = memchr(s, '\n', n);
		k = nl ? (size_t)(nl - s) : n;
		html_line(b, s, k, mode, lang ? lang : "ru");
		if (nl == NULL)
			break;
		buf_addc(b, '\n');
		s += k + 1;
		n -= k + 1;
	}
}

static int
html_quoted(const char *s, size_t n)
{
	return n > 0 && s[0] == '>';
}

/* Close the current run (plain or quoted) and open the next kind. */
static void
html_run(struct buf *b, int from, int to, int en)
{
	if (from == 1)
		buf_adds(b, "</pre>");
	else if (from == 2)
		buf_adds(b, "</pre></details>");
	if (to == 1)
		buf_adds(b, "<pre>");
	else if (to == 2)
		buf_addf(b, "<details class=\"quote\"><summary>%s</summary>"
		    "<pre>", en ? "quoted text" : "цитата");
}

void
html_body(struct buf *b, const char *text, enum html_addr mode,
    const char *lang)
{
	const char	*p = text ? text : "", *nl, *end;
	size_t		 n;
	int		 run = 0, kind, en = lang && strcmp(lang, "en") == 0;

	/* trailing blank lines show nothing */
	for (end = p + strlen(p); end > p && strchr(" \t\r\n", end[-1]); end--)
		;
	buf_adds(b, "<div class=\"body\">");
	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		if (n > 0 && p[n - 1] == '\r')
			n--;
		kind = html_quoted(p, n) ? 2 : 1;
		if (kind != run) {
			html_run(b, run, kind, en);
			run = kind;
		}
		html_line(b, p, n, mode, en ? "en" : "ru");
		buf_addc(b, '\n');
		if (nl == NULL)
			break;
		p = nl + 1;
	}
	html_run(b, run, 0, en);
	buf_adds(b, "</div>\n");
}

void
html_url_segment(struct buf *b, const char *s)
{
	static const char	hex[] = "0123456789ABCDEF";
	unsigned char		c;

	for (; *s != '\0'; s++) {
		c = (unsigned char)*s;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '_' ||
		    c == '.' || c == '~') {
			buf_addc(b, c);
			continue;
		}
		buf_addc(b, '%');
		buf_addc(b, hex[c >> 4]);
		buf_addc(b, hex[c & 15]);
	}
}
