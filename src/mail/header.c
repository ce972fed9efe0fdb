/*
 * header: see header.h.
 *
 * Splitting records pointers only.  Decoding works on one unfolded copy:
 * encoded words are found leniently (also when glued to other text, as
 * broken mailers write them), the bytes of adjacent words in one charset
 * are joined before conversion so a character split across two words
 * survives, and white space between adjacent encoded words is dropped as
 * RFC 2047 says.  Control characters in the result become spaces, so a
 * decoded value can never smuggle a line break.  Encoding folds with
 * CRLF followed by one space.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/buf.h"
#include "mail/charset.h"
#include "mail/header.h"
#include "util/xmalloc.h"

#define HEADER_WORD_MAX		75	/* RFC 2047 encoded-word length */
#define HEADER_LINE_MAX		78
#define HEADER_SCAN_MAX		1024	/* longest encoded word we accept */
#define HEADER_CHARSET_MAX	64
#define HEADER_FOLD		"\n "

/* One encoded word found in a value. */
struct header_word {
	char		 charset[HEADER_CHARSET_MAX];
	int		 enc;		/* 'B' or 'Q' */
	const char	*text;
	size_t		 text_len;
	size_t		 len;		/* the whole word, "=?" to "?=" */
};

/* State of header_decode: pending encoded bytes and pending plain text. */
struct header_decoder {
	struct buf	 out;
	struct buf	 enc;		/* decoded bytes not yet converted */
	char		 enc_charset[HEADER_CHARSET_MAX];
	struct buf	 plain;		/* raw text not yet converted */
	struct buf	 ws;		/* white space after an encoded word */
	int		 after_word;
};

static size_t
header_line_end(const char *p, size_t n)
{
	const char	*nl = memchr(p, '\n', n);

	return nl == NULL ? n : (size_t)(nl - p) + 1;
}

/* Length of "Name:" at p (name, optional blanks, colon), or 0. */
static size_t
header_field_name(const char *p, size_t n, size_t *name_len)
{
	size_t	i = 0, j;

	while (i < n && p[i] > 32 && p[i] < 127 && p[i] != ':')
		i++;
	if (i == 0)
		return 0;
	j = i;
	while (j < n && (p[j] == ' ' || p[j] == '\t'))
		j++;
	if (j >= n || p[j] != ':')
		return 0;
	*name_len = i;
	return j + 1;
}

static int
header_is_blank_line(const char *p, size_t n)
{
	return (n >= 1 && p[0] == '\n') ||
	    (n >= 2 && p[0] == '\r' && p[1] == '\n') || (n == 1 && p[0] == '\r');
}

static void
header_add_field(struct header_list *hl, const char *p, size_t name_len,
    size_t line_len, size_t *cap)
{
	struct header_field	*f;

	hl->nseen++;
	if (hl->nfields >= HEADER_MAX_FIELDS) {
		hl->truncated = 1;
		return;
	}
	if (hl->nfields == *cap) {
		*cap = *cap ? *cap * 2 : 16;
		hl->fields = xreallocarray(hl->fields, *cap, sizeof(*f));
	}
	f = &hl->fields[hl->nfields++];
	f->name = p;
	f->name_len = name_len;
	f->start = p;
	f->len = line_len;
}

void
header_split(const char *raw, size_t len, struct header_list *hl)
{
	size_t	off = 0, ll, name_len, cap = 0;
	int	in_field = 0;

	memset(hl, 0, sizeof(*hl));
	while (off < len) {
		const char *p = raw + off;

		ll = header_line_end(p, len - off);
		if (header_is_blank_line(p, len - off)) {
			off += ll;
			break;
		}
		if ((p[0] == ' ' || p[0] == '\t') && in_field) {
			if (!hl->truncated && hl->nfields > 0)
				hl->fields[hl->nfields - 1].len += ll;
		} else if (header_field_name(p, ll, &name_len) > 0) {
			header_add_field(hl, p, name_len, ll, &cap);
			in_field = 1;
		} else
			break;
		off += ll;
	}
	hl->body_offset = off;
}

void
header_list_free(struct header_list *hl)
{
	free(hl->fields);
	memset(hl, 0, sizeof(*hl));
}

long
header_find(const struct header_list *hl, const char *name, size_t from)
{
	size_t	i, n = strlen(name);

	for (i = from; i < hl->nfields; i++)
		if (hl->fields[i].name_len == n &&
		    strncasecmp(hl->fields[i].name, name, n) == 0)
			return (long)i;
	return -1;
}

/* Copy p[0..n) without its line breaks (folding undone). */
static char *
header_unfold(const char *p, size_t n)
{
	struct buf	b;
	size_t		i;

	buf_init(&b);
	buf_add(&b, "", 0);
	for (i = 0; i < n; i++)
		if (p[i] != '\r' && p[i] != '\n')
			buf_addc(&b, p[i]);
	return buf_detach(&b);
}

char *
header_value(const struct header_list *hl, size_t i)
{
	const struct header_field	*f;
	size_t				 skip, name_len, n;

	if (i >= hl->nfields)
		return NULL;
	f = &hl->fields[i];
	skip = header_field_name(f->start, f->len, &name_len);
	n = f->len - skip;
	while (n > 0 && (f->start[skip] == ' ' || f->start[skip] == '\t' ||
	    f->start[skip] == '\r' || f->start[skip] == '\n')) {
		skip++;
		n--;
	}
	return header_unfold(f->start + skip, n);
}

static int
header_b64_value(int c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

static int
header_hex_value(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static void
header_b_decode(const char *s, size_t n, struct buf *b)
{
	unsigned int	acc = 0;
	int		bits = 0, v;
	size_t		i;

	for (i = 0; i < n; i++) {
		if ((v = header_b64_value((unsigned char)s[i])) < 0)
			continue;
		acc = ((acc << 6) | (unsigned int)v) & 0xffffff;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			buf_addc(b, (int)((acc >> bits) & 0xff));
		}
	}
}

static void
header_q_decode(const char *s, size_t n, struct buf *b)
{
	size_t	i;
	int	hi, lo;

	for (i = 0; i < n; i++) {
		if (s[i] == '_')
			buf_addc(b, ' ');
		else if (s[i] == '=' && i + 2 < n &&
		    (hi = header_hex_value((unsigned char)s[i + 1])) >= 0 &&
		    (lo = header_hex_value((unsigned char)s[i + 2])) >= 0) {
			buf_addc(b, hi * 16 + lo);
			i += 2;
		} else
			buf_addc(b, s[i]);
	}
}

/* Recognise "=?charset[*lang]?B|Q?text?=" at p. */
static int
header_word_parse(const char *p, size_t n, struct header_word *w)
{
	size_t	i = 2, cs, max = n < HEADER_SCAN_MAX ? n : HEADER_SCAN_MAX;

	if (max < 8 || p[0] != '=' || p[1] != '?')
		return -1;
	while (i < max && p[i] != '?' && p[i] != ' ' && p[i] != '\t')
		i++;
	cs = i - 2;
	if (i + 2 >= max || p[i] != '?' || cs == 0 || cs >= HEADER_CHARSET_MAX)
		return -1;
	memcpy(w->charset, p + 2, cs);
	w->charset[cs] = '\0';
	w->charset[strcspn(w->charset, "*")] = '\0';
	w->enc = p[i + 1] & ~0x20;
	if ((w->enc != 'B' && w->enc != 'Q') || p[i + 2] != '?')
		return -1;
	w->text = p + i + 3;
	for (i += 3; i + 1 < max; i++)
		if (p[i] == '?' && p[i + 1] == '=') {
			w->text_len = (size_t)(p + i - w->text);
			w->len = i + 2;
			return 0;
		}
	return -1;
}

static void
header_flush_enc(struct header_decoder *d)
{
	char	*s;

	if (d->enc.len == 0 && d->enc_charset[0] == '\0')
		return;
	s = charset_to_utf8(d->enc_charset[0] ? d->enc_charset : "utf-8",
	    d->enc.data ? d->enc.data : "", d->enc.len);
	buf_adds(&d->out, s);
	free(s);
	buf_reset(&d->enc);
	d->enc_charset[0] = '\0';
}

static void
header_flush_plain(struct header_decoder *d)
{
	char	*s;

	if (d->plain.len == 0)
		return;
	s = charset_guess_to_utf8(d->plain.data, d->plain.len);
	buf_adds(&d->out, s);
	free(s);
	buf_reset(&d->plain);
}

static void
header_take_word(struct header_decoder *d, const struct header_word *w)
{
	header_flush_plain(d);
	buf_reset(&d->ws);	/* white space between encoded words goes */
	if (strcasecmp(d->enc_charset, w->charset) != 0)
		header_flush_enc(d);
	memcpy(d->enc_charset, w->charset, sizeof(d->enc_charset));
	if (w->enc == 'B')
		header_b_decode(w->text, w->text_len, &d->enc);
	else
		header_q_decode(w->text, w->text_len, &d->enc);
	d->after_word = 1;
}

static void
header_take_char(struct header_decoder *d, char c)
{
	if (d->after_word && (c == ' ' || c == '\t')) {
		buf_addc(&d->ws, c);
		return;
	}
	header_flush_enc(d);
	if (d->ws.len > 0) {
		buf_add(&d->plain, d->ws.data, d->ws.len);
		buf_reset(&d->ws);
	}
	d->after_word = 0;
	buf_addc(&d->plain, c);
}

static char *
header_decoder_finish(struct header_decoder *d)
{
	size_t	i;

	header_flush_enc(d);
	if (d->ws.len > 0)
		buf_add(&d->plain, d->ws.data, d->ws.len);
	header_flush_plain(d);
	buf_add(&d->out, "", 0);
	for (i = 0; i < d->out.len; i++)
		if ((unsigned char)d->out.data[i] < 0x20 ||
		    d->out.data[i] == 0x7f)
			d->out.data[i] = ' ';
	buf_free(&d->enc);
	buf_free(&d->plain);
	buf_free(&d->ws);
	return buf_detach(&d->out);
}

char *
header_decode(const char *raw_value)
{
	struct header_decoder	 d;
	struct header_word	 w;
	char			*v;
	size_t			 i, n;

	if (raw_value == NULL)
		return xstrdup("");
	v = header_unfold(raw_value, strlen(raw_value));
	n = strlen(v);
	memset(&d, 0, sizeof(d));
	buf_init(&d.out);
	buf_init(&d.enc);
	buf_init(&d.plain);
	buf_init(&d.ws);
	for (i = 0; i < n; ) {
		if (v[i] == '=' && header_word_parse(v + i, n - i, &w) == 0) {
			header_take_word(&d, &w);
			i += w.len;
		} else
			header_take_char(&d, v[i++]);
	}
	free(v);
	return header_decoder_finish(&d);
}

static int
header_needs_encoding(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s >= 0x80 || (s[0] == '=' && s[1] == '?'))
			return 1;
	return 0;
}

static void
header_b_encode(const unsigned char *p, size_t n, struct buf *b)
{
	static const char	 tab[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t			 i;
	unsigned int		 v;

	for (i = 0; i < n; i += 3) {
		v = (unsigned int)p[i] << 16;
		if (i + 1 < n)
			v |= (unsigned int)p[i + 1] << 8;
		if (i + 2 < n)
			v |= p[i + 2];
		buf_addc(b, tab[(v >> 18) & 63]);
		buf_addc(b, tab[(v >> 12) & 63]);
		buf_addc(b, i + 1 < n ? tab[(v >> 6) & 63] : '=');
		buf_addc(b, i + 2 < n ? tab[v & 63] : '=');
	}
}

/* Longest run of whole UTF-8 characters of s that fits in max bytes. */
static size_t
header_chunk(const char *s, size_t n, size_t max)
{
	size_t		used = 0, k;
	uint32_t	cp;

	while (used < n) {
		k = charset_utf8_char(s + used, n - used, &cp);
		if (k == 0)
			k = 1;
		if (used + k > max)
			break;
		used += k;
	}
	return used > 0 ? used : (n < 4 ? n : 4);
}

/* Bytes of text that fit in one word of at most room characters. */
static size_t
header_room_bytes(long room)
{
	long	bytes = (room - 12) / 4 * 3;

	if (bytes > 45)
		bytes = 45;
	return bytes < 6 ? 6 : (size_t)bytes;
}

char *
header_encode(const char *utf8, size_t name_len)
{
	struct buf	 b;
	char		*s;
	size_t		 n, off = 0, k;
	long		 room;

	if (utf8 == NULL)
		return xstrdup("");
	if (!header_needs_encoding(utf8))
		return xstrdup(utf8);
	s = charset_utf8_sanitize(utf8, strlen(utf8));
	n = strlen(s);
	buf_init(&b);
	buf_add(&b, "", 0);
	room = HEADER_LINE_MAX - (long)name_len - 2;
	while (off < n) {
		if (off > 0) {
			buf_adds(&b, HEADER_FOLD);
			room = HEADER_LINE_MAX - 1;
		}
		if (room > HEADER_WORD_MAX)
			room = HEADER_WORD_MAX;
		k = header_chunk(s + off, n - off, header_room_bytes(room));
		buf_adds(&b, "=?UTF-8?B?");
		header_b_encode((const unsigned char *)s + off, k, &b);
		buf_adds(&b, "?=");
		off += k;
	}
	free(s);
	return buf_detach(&b);
}

static int
header_phrase_needs_quotes(const char *s)
{
	for (; *s != '\0'; s++)
		if (strchr("()<>[]:;@\\,.\"", *s) != NULL ||
		    (unsigned char)*s < 0x20)
			return 1;
	return 0;
}

static void
header_add_quoted(struct buf *b, const char *s)
{
	buf_addc(b, '"');
	for (; *s != '\0'; s++) {
		if (*s == '\r' || *s == '\n')
			continue;
		if (*s == '"' || *s == '\\')
			buf_addc(b, '\\');
		buf_addc(b, *s);
	}
	buf_addc(b, '"');
}

char *
header_encode_address(const char *name_utf8, const char *addr)
{
	struct buf	 b;
	char		*enc;
	const char	*last;

	if (name_utf8 == NULL || *name_utf8 == '\0')
		return xstrdup(addr);
	buf_init(&b);
	if (header_needs_encoding(name_utf8)) {
		/* Assume the longest usual field name, "Reply-To". */
		enc = header_encode(name_utf8, 8);
		buf_adds(&b, enc);
		free(enc);
	} else if (header_phrase_needs_quotes(name_utf8))
		header_add_quoted(&b, name_utf8);
	else
		buf_adds(&b, name_utf8);
	last = strrchr(b.data, '\n');
	last = last == NULL ? b.data : last + 1;
	if (strlen(last) + strlen(addr) + 3 > HEADER_LINE_MAX - 10)
		buf_adds(&b, HEADER_FOLD);
	else
		buf_addc(&b, ' ');
	buf_addf(&b, "<%s>", addr);
	return buf_detach(&b);
}
