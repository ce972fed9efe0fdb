/*
 * charset: see charset.h.
 *
 * iconv does the work; this file only cleans the charset name, maps the
 * aliases mail clients are known to send, and steps over invalid input
 * one byte at a time, writing U+FFFD for each byte it cannot read.
 */
#include "config.h"

#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/buf.h"
#include "mail/charset.h"
#include "util/strutil.h"
#include "util/xmalloc.h"

#define CHARSET_NAME_MAX	64
#define CHARSET_REPLACEMENT	"\xef\xbf\xbd"

static const struct {
	const char	*alias;
	const char	*name;
} charset_aliases[] = {
	{ "cp1251", "WINDOWS-1251" },
	{ "win1251", "WINDOWS-1251" },
	{ "win-1251", "WINDOWS-1251" },
	{ "windows1251", "WINDOWS-1251" },
	{ "x-cp1251", "WINDOWS-1251" },
	{ "cp-1251", "WINDOWS-1251" },
	{ "ms-cyrl", "WINDOWS-1251" },
	{ "koi8r", "KOI8-R" },
	{ "koi8", "KOI8-R" },
	{ "koi-8r", "KOI8-R" },
	{ "koi8u", "KOI8-U" },
	{ "utf8", "UTF-8" },
	{ "utf-8", "UTF-8" },
	{ "iso8859-5", "ISO-8859-5" },
	{ "iso_8859-5", "ISO-8859-5" },
	{ "iso-88595", "ISO-8859-5" },
	{ "cp866", "CP866" },
	{ "ibm866", "CP866" },
	{ "x-mac-cyrillic", "MACCYRILLIC" },
	{ "ks_c_5601-1987", "CP949" },
	{ "gb2312", "GBK" },
	{ "iso-8859-8-i", "ISO-8859-8" },
	{ "unicode-1-1-utf-7", "UTF-7" },
};

size_t
charset_utf8_char(const char *s, size_t n, uint32_t *cp)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 need, k;
	uint32_t		 c;

	if (n == 0)
		return 0;
	if (p[0] < 0x80) {
		*cp = p[0];
		return 1;
	}
	if ((p[0] & 0xe0) == 0xc0) {
		need = 1;
		c = p[0] & 0x1f;
	} else if ((p[0] & 0xf0) == 0xe0) {
		need = 2;
		c = p[0] & 0x0f;
	} else if ((p[0] & 0xf8) == 0xf0) {
		need = 3;
		c = p[0] & 0x07;
	} else
		return 0;
	if (need >= n)
		return 0;
	for (k = 1; k <= need; k++) {
		if ((p[k] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (p[k] & 0x3f);
	}
	if ((need == 1 && c < 0x80) || (need == 2 && c < 0x800) ||
	    (need == 3 && (c < 0x10000 || c > 0x10ffff)) ||
	    (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return need + 1;
}

char *
charset_utf8_sanitize(const char *in, size_t len)
{
	struct buf	b;
	size_t		i = 0, n;
	uint32_t	cp;

	buf_init(&b);
	buf_add(&b, "", 0);
	while (i < len) {
		n = charset_utf8_char(in + i, len - i, &cp);
		if (n == 0 || cp == 0) {
			buf_adds(&b, CHARSET_REPLACEMENT);
			i++;
			continue;
		}
		buf_add(&b, in + i, n);
		i += n;
	}
	return buf_detach(&b);
}

/*
 * Clean a charset name as it came from a message: unquote, trim, refuse
 * anything that is not a plain name (iconv suffixes like //TRANSLIT
 * included), then map known aliases.
 */
const char *
charset_canonical(const char *charset, char *tmp, size_t tmplen)
{
	size_t	i, n;

	if (charset == NULL)
		return NULL;
	while (*charset == ' ' || *charset == '\t' || *charset == '"' ||
	    *charset == '\'')
		charset++;
	n = strcspn(charset, " \t\"'*");
	if (n == 0 || n >= tmplen || n >= CHARSET_NAME_MAX)
		return NULL;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)charset[i];

		if (!(c >= 'a' && c <= 'z') && !(c >= 'A' && c <= 'Z') &&
		    !(c >= '0' && c <= '9') && strchr("-_.:+", c) == NULL)
			return NULL;
		tmp[i] = (char)c;
	}
	tmp[n] = '\0';
	str_lower_ascii(tmp);
	for (i = 0; i < sizeof(charset_aliases) / sizeof(charset_aliases[0]);
	    i++)
		if (strcmp(tmp, charset_aliases[i].alias) == 0)
			return charset_aliases[i].name;
	return tmp;
}

static int
charset_is_utf8(const char *name)
{
	return strcasecmp(name, "UTF-8") == 0;
}

/* ASCII declared but 8-bit bytes present: the sender lied, so guess. */
static int
charset_is_ascii(const char *name)
{
	return strcasecmp(name, "us-ascii") == 0 ||
	    strcasecmp(name, "ascii") == 0 || strcasecmp(name, "us") == 0 ||
	    strcasecmp(name, "ansi_x3.4-1968") == 0 ||
	    strcasecmp(name, "unknown-8bit") == 0 ||
	    strcasecmp(name, "x-unknown") == 0 ||
	    strcasecmp(name, "8bit") == 0 || strcasecmp(name, "default") == 0;
}

/* Run iconv over the whole input, one U+FFFD per unreadable byte. */
static void
charset_iconv(iconv_t cd, const char *in, size_t len, struct buf *b)
{
	char	 out[4096], *ip = (char *)in, *op;
	size_t	 il = len, ol, r;

	while (il > 0) {
		op = out;
		ol = sizeof(out);
		r = iconv(cd, &ip, &il, &op, &ol);
		buf_add(b, out, (size_t)(op - out));
		if (r != (size_t)-1)
			continue;
		if (errno == E2BIG)
			continue;
		/* EILSEQ, EINVAL or anything else: skip one byte. */
		buf_adds(b, CHARSET_REPLACEMENT);
		ip++;
		il--;
		iconv(cd, NULL, NULL, NULL, NULL);
	}
	op = out;
	ol = sizeof(out);
	if (iconv(cd, NULL, NULL, &op, &ol) != (size_t)-1)
		buf_add(b, out, (size_t)(op - out));
}

char *
charset_to_utf8(const char *charset, const char *in, size_t len)
{
	char		 tmp[CHARSET_NAME_MAX];
	const char	*name;
	iconv_t		 cd;
	struct buf	 b;
	char		*s;

	if (charset == NULL || *charset == '\0')
		return charset_guess_to_utf8(in, len);
	name = charset_canonical(charset, tmp, sizeof(tmp));
	if (name != NULL && charset_is_ascii(name))
		return charset_guess_to_utf8(in, len);
	if (name == NULL || charset_is_utf8(name))
		return charset_utf8_sanitize(in, len);
	cd = iconv_open("UTF-8", name);
	if (cd == (iconv_t)-1)
		return charset_utf8_sanitize(in, len);
	buf_init(&b);
	buf_add(&b, "", 0);
	charset_iconv(cd, in, len, &b);
	iconv_close(cd);
	/* iconv may have produced NULs (from NUL input); clean once more. */
	s = charset_utf8_sanitize(b.data, b.len);
	buf_free(&b);
	return s;
}

char *
charset_guess_to_utf8(const char *in, size_t len)
{
	if (str_utf8_valid(in, len))
		return charset_utf8_sanitize(in, len);
	return charset_to_utf8("windows-1251", in, len);
}

uint32_t
charset_lower(uint32_t cp)
{
	if (cp >= 'A' && cp <= 'Z')
		return cp + 0x20;
	if (cp >= 0x410 && cp <= 0x42f)		/* А-Я */
		return cp + 0x20;
	if (cp >= 0x400 && cp <= 0x40f)		/* Ѐ-Џ, Ё among them */
		return cp + 0x50;
	return cp;
}

char *
charset_fold(const char *s, size_t max)
{
	struct buf	b;
	size_t		n = strnlen(s, max), i = 0, k;
	uint32_t	cp;

	buf_init(&b);
	buf_add(&b, "", 0);
	while (i < n) {
		if ((k = charset_utf8_char(s + i, n - i, &cp)) == 0)
			buf_add(&b, s + i, (k = 1));
		else if (k <= 2)
			buf_add_utf8(&b, charset_lower(cp));
		else
			buf_add(&b, s + i, k);
		i += k;
	}
	return buf_detach(&b);
}
