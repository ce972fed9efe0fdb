/*
 * address: see address.h.
 *
 * The input is first reduced to an addr-spec: the text between the first
 * '<' and '>' outside quotes and comments if there is one, else the whole
 * input without comments.  The addr-spec splits at its last '@'; a source
 * route ("@a,@b:") is dropped.  The domain goes through libidn2 only when
 * it is not plain ASCII.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <idn2.h>

#include "mail/address.h"
#include "util/buf.h"
#include "mail/charset.h"
#include "util/strutil.h"
#include "util/xmalloc.h"

#define ADDRESS_MAX		998
#define ADDRESS_LOCAL_MAX	256
#define ADDRESS_DOMAIN_MAX	255

/* Copy of s without (comments), keeping quoted strings intact. */
static char *
address_strip_comments(const char *s)
{
	struct buf	b;
	int		depth = 0, quoted = 0;

	buf_init(&b);
	buf_add(&b, "", 0);
	for (; *s != '\0'; s++) {
		if (*s == '\\' && (quoted || depth > 0) && s[1] != '\0') {
			if (depth == 0) {
				buf_addc(&b, s[0]);
				buf_addc(&b, s[1]);
			}
			s++;
		} else if (*s == '"' && depth == 0) {
			quoted = !quoted;
			buf_addc(&b, *s);
		} else if (*s == '(' && !quoted)
			depth++;
		else if (*s == ')' && !quoted && depth > 0)
			depth--;
		else if (depth == 0)
			buf_addc(&b, *s);
	}
	return buf_detach(&b);
}

/*
 * No angle brackets: s itself, or, when words surround it ("Name a@b",
 * as some mailers write), the last unquoted word holding an '@'.
 */
static char *
address_bare(const char *s)
{
	const char	*p, *start = s, *w = NULL;
	size_t		 wlen = 0;
	int		 quoted = 0, has_at = 0;

	for (p = s; ; p++) {
		if (*p == '\\' && quoted && p[1] != '\0')
			p++;
		else if (*p == '"')
			quoted = !quoted;
		else if (*p == '@')
			has_at = 1;
		else if (*p == '\0' || (!quoted && (*p == ' ' || *p == '\t'))) {
			if (has_at && p > start) {
				w = start;
				wlen = (size_t)(p - start);
			}
			if (*p == '\0')
				break;
			start = p + 1;
			has_at = 0;
		}
	}
	return w == NULL ? xstrdup(s) : xstrndup(w, wlen);
}

/* The addr-spec inside s: between angle brackets, or s itself. */
static char *
address_spec(const char *s)
{
	const char	*p, *lt = NULL, *gt;
	int		 quoted = 0;

	for (p = s; *p != '\0'; p++) {
		if (*p == '\\' && quoted && p[1] != '\0')
			p++;
		else if (*p == '"')
			quoted = !quoted;
		else if (*p == '<' && !quoted) {
			lt = p;
			break;
		}
	}
	if (lt == NULL)
		return address_bare(s);
	gt = strchr(lt + 1, '>');
	if (gt == NULL)
		gt = lt + strlen(lt);
	return xstrndup(lt + 1, (size_t)(gt - lt - 1));
}

static int
address_local_ok(const char *l, size_t n)
{
	size_t	i;
	int	quoted = n >= 2 && l[0] == '"' && l[n - 1] == '"';

	if (n == 0 || n > ADDRESS_LOCAL_MAX || !str_utf8_valid(l, n))
		return 0;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)l[i];

		if (c < 0x20 || c == 0x7f)
			return 0;
		if (!quoted && strchr(" \t<>()[]\\,;:\"@", c) != NULL)
			return 0;
		/* inside quotes a '"' must be escaped, or the string ended */
		if (quoted && i > 0 && i < n - 1 && c == '"' &&
		    l[i - 1] != '\\')
			return 0;
	}
	return 1;
}

/* "[192.0.2.1]" or "[ipv6:2001:db8::1]": ASCII letters, digits, ':'
 * and '.' only between the brackets. */
static int
address_literal_ok(const char *d, size_t n)
{
	size_t	i;

	if (n < 3 || d[n - 1] != ']')
		return 0;
	for (i = 1; i < n - 1; i++)
		if (!((d[i] >= 'a' && d[i] <= 'z') || (d[i] >= '0' &&
		    d[i] <= '9') || d[i] == ':' || d[i] == '.'))
			return 0;
	return 1;
}

static int
address_domain_ok_ascii(const char *d)
{
	size_t	i, n = strlen(d);

	if (n == 0 || n > ADDRESS_DOMAIN_MAX || d[0] == '.' ||
	    strstr(d, "..") != NULL)
		return 0;
	if (d[0] == '[')
		return address_literal_ok(d, n);
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)d[i];

		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    c == '-' || c == '.' || c == '_'))
			return 0;
	}
	return 1;
}

/* The ASCII, lower-case form of domain d, or NULL. */
static char *
address_domain(const char *d)
{
	char	*tmp, *out = NULL, *res;
	size_t	 n = strlen(d);
	int	 rc;

	while (n > 0 && d[n - 1] == '.')
		n--;
	tmp = xstrndup(d, n);
	str_lower_ascii(tmp);
	if (address_domain_ok_ascii(tmp))
		return tmp;
	if (!str_utf8_valid(tmp, strlen(tmp)) || tmp[0] == '[') {
		free(tmp);
		return NULL;
	}
	rc = idn2_to_ascii_8z(tmp, &out, IDN2_NFC_INPUT | IDN2_NONTRANSITIONAL);
	if (rc != IDN2_OK)
		rc = idn2_to_ascii_8z(tmp, &out, IDN2_NFC_INPUT |
		    IDN2_TRANSITIONAL);
	free(tmp);
	if (rc != IDN2_OK)
		return NULL;
	res = xstrdup(out);
	idn2_free(out);
	str_lower_ascii(res);
	if (!address_domain_ok_ascii(res)) {
		free(res);
		return NULL;
	}
	return res;
}

char *
address_normalize(const char *in)
{
	char	*clean, *spec, *at, *local, *domain, *res = NULL;

	if (in == NULL || strlen(in) > ADDRESS_MAX)
		return NULL;
	clean = address_strip_comments(in);
	spec = address_spec(clean);
	free(clean);
	local = str_trim(spec);
	if (local[0] == '@' && (at = strchr(local, ':')) != NULL)
		local = at + 1;		/* obsolete source route */
	at = strrchr(local, '@');
	if (at != NULL && at > local && address_local_ok(local,
	    (size_t)(at - local)) && (domain = address_domain(at + 1)) !=
	    NULL) {
		*at = '\0';
		res = xasprintf("%s@%s", local, domain);
		free(domain);
	}
	free(spec);
	return res;
}

int
address_split(const char *addr, char **local, char **domain)
{
	const char	*at;

	*local = *domain = NULL;
	if (addr == NULL || (at = strrchr(addr, '@')) == NULL || at == addr ||
	    at[1] == '\0')
		return -1;
	*local = xstrndup(addr, (size_t)(at - addr));
	*domain = xstrdup(at + 1);
	return 0;
}

int
address_equal(const char *a, const char *b, int local_ci)
{
	char	*na, *nb, *fa, *fb;
	int	 eq;

	na = address_normalize(a);
	nb = address_normalize(b);
	if (na == NULL || nb == NULL) {
		free(na);
		free(nb);
		return 0;
	}
	if (local_ci) {
		fa = charset_fold(na, SIZE_MAX);
		fb = charset_fold(nb, SIZE_MAX);
		eq = strcmp(fa, fb) == 0;
		free(fa);
		free(fb);
	} else
		eq = strcmp(na, nb) == 0;
	free(na);
	free(nb);
	return eq;
}
