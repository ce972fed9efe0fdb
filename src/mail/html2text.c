/*
 * html2text: see html2text.h.
 *
 * One pass over the bytes.  Text is written through html2text_emit,
 * which owns the white space policy: it remembers how many line breaks
 * are pending and whether a space is, so that collapsing needs no second
 * pass.  Tags only request breaks or switch the skipping of hidden
 * elements; attributes are ignored.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/buf.h"
#include "mail/charset.h"
#include "mail/html2text.h"
#include "util/xmalloc.h"

#define HTML2TEXT_TAG_MAX	16
#define HTML2TEXT_ENTITY_MAX	12

struct html2text {
	struct buf	 out;
	int		 nl;		/* line breaks pending (0-2) */
	int		 space;		/* a space is pending */
	int		 pre;		/* inside <pre> */
	char		 skip[HTML2TEXT_TAG_MAX];	/* hidden element */
};

static const struct {
	const char	*name;
	uint32_t	 cp;
} html2text_entities[] = {
	{ "nbsp", 0xa0 }, { "amp", '&' }, { "lt", '<' }, { "gt", '>' },
	{ "quot", '"' }, { "apos", '\'' }, { "laquo", 0xab },
	{ "raquo", 0xbb }, { "mdash", 0x2014 }, { "ndash", 0x2013 },
	{ "hellip", 0x2026 }, { "copy", 0xa9 }, { "reg", 0xae },
	{ "trade", 0x2122 }, { "bull", 0x2022 }, { "middot", 0xb7 },
	{ "ldquo", 0x201c }, { "rdquo", 0x201d }, { "lsquo", 0x2018 },
	{ "rsquo", 0x2019 }, { "bdquo", 0x201e }, { "sbquo", 0x201a },
	{ "euro", 0x20ac }, { "deg", 0xb0 }, { "times", 0xd7 },
	{ "shy", 0xad }, { "para", 0xb6 }, { "sect", 0xa7 },
	{ "numero", 0x2116 }, { "thinsp", 0x2009 }, { "ensp", 0x2002 },
	{ "emsp", 0x2003 }, { "zwnj", 0x200c }, { "zwj", 0x200d },
};

static const char *const html2text_blocks[] = {
	"p", "div", "tr", "table", "ul", "ol", "dl", "dt", "dd",
	"h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "hr",
	"section", "article", "header", "footer", "nav", "aside", "main",
	"form", "address", "center", "fieldset", "figure", "caption",
	"tbody", "thead", "tfoot", "body", "html",
};

static const char *const html2text_hidden[] = {
	"script", "style", "head", "title", "template", "noscript",
};

static void
html2text_break(struct html2text *h, int n)
{
	if (h->out.len == 0)
		return;
	if (h->nl < n)
		h->nl = n;
	h->space = 0;
}

/* Write the pending white space, then n bytes of visible text. */
static void
html2text_emit(struct html2text *h, const char *s, size_t n)
{
	if (h->skip[0] != '\0' || n == 0)
		return;
	if (h->nl > 0 && h->out.len > 0)
		buf_add(&h->out, "\n\n", (size_t)h->nl);
	else if (h->space && h->out.len > 0)
		buf_addc(&h->out, ' ');
	h->nl = 0;
	h->space = 0;
	buf_add(&h->out, s, n);
}

static void
html2text_white(struct html2text *h, char c)
{
	if (h->skip[0] != '\0')
		return;
	if (!h->pre) {
		if (h->nl == 0)
			h->space = 1;
		return;
	}
	if (c == '\n')
		html2text_break(h, h->nl + 1 > 2 ? 2 : h->nl + 1);
	else
		html2text_emit(h, " ", 1);
}

/* Decode a character reference at s (after '&'); returns bytes used. */
static size_t
html2text_entity(struct html2text *h, const char *s, size_t n)
{
	char		name[HTML2TEXT_ENTITY_MAX + 1];
	size_t		i = 0, k;
	uint32_t	cp = 0;
	struct buf	b;

	while (i < n && i < HTML2TEXT_ENTITY_MAX && s[i] != ';' &&
	    (s[i] == '#' || (s[i] >= '0' && s[i] <= '9') ||
	    ((s[i] | 0x20) >= 'a' && (s[i] | 0x20) <= 'z')))
		i++;
	if (i == 0)
		return 0;
	memcpy(name, s, i);
	name[i] = '\0';
	if (name[0] == '#') {
		int hex = i > 1 && (name[1] | 0x20) == 'x';
		for (k = hex ? 2 : 1; k < i && cp <= 0x10ffff; k++) {
			int c = name[k] | 0x20, v;
			if (c >= '0' && c <= '9')
				v = c - '0';
			else if (hex && c >= 'a' && c <= 'f')
				v = c - 'a' + 10;
			else
				return 0;
			cp = cp * (hex ? 16 : 10) + (uint32_t)v;
		}
		if (k == (hex ? 2u : 1u))
			return 0;
	} else {
		for (k = 0; k < sizeof(html2text_entities) /
		    sizeof(html2text_entities[0]); k++)
			if (strcmp(name, html2text_entities[k].name) == 0)
				break;
		if (k == sizeof(html2text_entities) /
		    sizeof(html2text_entities[0]))
			return 0;
		cp = html2text_entities[k].cp;
	}
	if (cp == 0xa0 || cp == 0x2009 || cp == 0x2002 || cp == 0x2003)
		html2text_white(h, ' ');
	else if (cp != 0xad && cp != 0x200c && cp != 0x200d) {
		buf_init(&b);
		buf_add_utf8(&b, cp);
		html2text_emit(h, b.data, b.len);
		buf_free(&b);
	}
	return i + (i < n && s[i] == ';');
}

static int
html2text_in(const char *name, const char *const *list, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (strcasecmp(name, list[i]) == 0)
			return 1;
	return 0;
}

#define HTML2TEXT_IN(name, list) \
	html2text_in((name), (list), sizeof(list) / sizeof((list)[0]))

/* Act on a tag: closing is 1 for </name>. */
static void
html2text_tag(struct html2text *h, const char *name, int closing)
{
	if (h->skip[0] != '\0') {
		if (closing && strcasecmp(name, h->skip) == 0)
			h->skip[0] = '\0';
		return;
	}
	if (!closing && HTML2TEXT_IN(name, html2text_hidden)) {
		memcpy(h->skip, name, strlen(name) + 1);
		return;
	}
	if (strcasecmp(name, "br") == 0) {
		if (h->out.len > 0 && h->nl == 0)
			h->nl = 1;
		else if (h->out.len > 0 && h->nl < 2)
			h->nl++;
		h->space = 0;
	} else if (strcasecmp(name, "li") == 0) {
		html2text_break(h, 1);
		if (!closing)
			html2text_emit(h, "- ", 2);
	} else if (strcasecmp(name, "td") == 0 || strcasecmp(name, "th") == 0)
		h->space = h->nl == 0;
	else if (HTML2TEXT_IN(name, html2text_blocks)) {
		html2text_break(h, name[0] == 'p' || name[0] == 'P' ||
		    name[0] == 'h' || name[0] == 'H' ? 2 : 1);
		if (strcasecmp(name, "pre") == 0)
			h->pre = !closing;
	}
}

/* Inside a hidden element: jump to its end tag, or to the end. */
static size_t
html2text_skip(struct html2text *h, const char *s, size_t n)
{
	size_t	k = strlen(h->skip), i = 0;

	for (;;) {
		const char *lt = memchr(s + i, '<', n - i);

		if (lt == NULL)
			return n;
		i = (size_t)(lt - s);
		if (n - i >= k + 2 && lt[1] == '/' &&
		    strncasecmp(lt + 2, h->skip, k) == 0) {
			const char *gt = memchr(lt, '>', n - i);

			h->skip[0] = '\0';
			return gt == NULL ? n : (size_t)(gt - s) + 1;
		}
		i++;
	}
}

/* Parse the markup at s (s[0] == '<'); returns bytes used. */
static size_t
html2text_markup(struct html2text *h, const char *s, size_t n)
{
	char		 name[HTML2TEXT_TAG_MAX];
	const char	*end;
	size_t		 i = 1, k = 0;
	int		 closing = 0;

	if (h->skip[0] != '\0')
		return html2text_skip(h, s, n);
	if (n >= 4 && memcmp(s, "<!--", 4) == 0) {
		end = memmem(s + 4, n - 4, "-->", 3);
		return end == NULL ? n : (size_t)(end - s) + 3;
	}
	if (i < n && s[i] == '/') {
		closing = 1;
		i++;
	}
	if (i >= n || !(((s[i] | 0x20) >= 'a' && (s[i] | 0x20) <= 'z') ||
	    s[i] == '!' || s[i] == '?')) {
		html2text_emit(h, "<", 1);
		return 1;
	}
	while (i < n && k + 1 < sizeof(name) && (((s[i] | 0x20) >= 'a' &&
	    (s[i] | 0x20) <= 'z') || (s[i] >= '0' && s[i] <= '9')))
		name[k++] = s[i++];
	name[k] = '\0';
	end = memchr(s + i, '>', n - i);
	html2text_tag(h, name, closing);
	return end == NULL ? n : (size_t)(end - s) + 1;
}

char *
html2text(const char *html, size_t len)
{
	struct html2text	 h;
	size_t			 i = 0, k;
	char			*s;

	memset(&h, 0, sizeof(h));
	buf_init(&h.out);
	buf_add(&h.out, "", 0);
	while (i < len) {
		char c = html[i];

		if (c == '<')
			i += html2text_markup(&h, html + i, len - i);
		else if (c == '&' && (k = html2text_entity(&h, html + i + 1,
		    len - i - 1)) > 0)
			i += k + 1;
		else if (c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
		    c == '\f') {
			if (c != '\r')
				html2text_white(&h, c);
			i++;
		} else {
			k = 1;
			while (i + k < len && strchr("<& \t\n\r\f", html[i + k])
			    == NULL)
				k++;
			html2text_emit(&h, html + i, k);
			i += k;
		}
	}
	if (h.out.len > 0)
		buf_addc(&h.out, '\n');
	s = charset_utf8_sanitize(h.out.data, h.out.len);
	buf_free(&h.out);
	return s;
}
