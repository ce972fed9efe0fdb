/*
 * dmarc: see dmarc.h.
 *
 * The record parser walks explicit byte ranges and never needs a NUL.
 * The lookup uses a private resolver state (res_ninit) with one try per
 * server and a retransmission interval cut to the time left, so that the
 * resolver's own timers bound each query.  Replies are never retried over
 * TCP, whose reads glibc does not time out: a truncated reply is
 * TEMPFAIL.  Replies are read by the bounded reader below rather than
 * ns_initparse(), which glibc 2.34 and later keep in libresolv while
 * res_nquery() moved into libc.  The nameserver override replaces the
 * server list in the resolver state; IPv6 servers live in its _u._ext
 * part, as glibc keeps them there.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <arpa/nameser.h>

#include <netdb.h>
#include <resolv.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <libpsl.h>

#include "mail/dmarc.h"
#include "util/buf.h"
#include "util/log.h"
#include "util/strutil.h"
#include "util/xmalloc.h"

#define DMARC_PREFIX		"_dmarc."
#define DMARC_QNAME_MAX		253	/* longest name, text form */
#define DMARC_LABEL_MAX		63
#define DMARC_ANSWER_MAX	4096	/* UDP without EDNS gives <= 512 */
#define DMARC_DNS_PORT		53
#define DMARC_HEADER_LEN	12	/* fixed part of a DNS message */

/* What one query at _dmarc.<name> found. */
enum dmarc_answer {
	DMARC_ANSWER_RECORD,	/* exactly one DMARC record, valid */
	DMARC_ANSWER_EMPTY,	/* no DMARC record at this name */
	DMARC_ANSWER_UNUSABLE,	/* several, or one that does not parse */
	DMARC_ANSWER_TEMPFAIL	/* no answer to be had */
};

/* Tags of one record seen so far; the first of repeated tags counts. */
struct dmarc_tags {
	int			 seen_p, seen_sp;
	int			 p_ok, sp_ok;
	enum dmarc_policy	 p, sp;
};

static const char *const dmarc_names[] = {
	"absent", "none", "quarantine", "reject", "tempfail"
};

const char *
dmarc_policy_name(enum dmarc_policy p)
{
	if ((unsigned int)p >= sizeof dmarc_names / sizeof dmarc_names[0])
		return "unknown";
	return dmarc_names[p];
}

/* Record parsing. */

static int
dmarc_is_wsp(int c)
{
	return c == ' ' || c == '\t';
}

static size_t
dmarc_skip_wsp(const char *s, size_t len, size_t i)
{
	while (i < len && dmarc_is_wsp((unsigned char)s[i]))
		i++;
	return i;
}

/* Narrow [*s, *s + *len) to drop white space at both ends. */
static void
dmarc_trim(const char **s, size_t *len)
{
	size_t	i = dmarc_skip_wsp(*s, *len, 0);

	*s += i;
	*len -= i;
	while (*len > 0 && dmarc_is_wsp((unsigned char)(*s)[*len - 1]))
		(*len)--;
}

static int
dmarc_eq_ci(const char *s, size_t len, const char *word)
{
	return len == strlen(word) && strncasecmp(s, word, len) == 0;
}

/*
 * When s starts with the version tag "v=DMARC1", return the index of the
 * first byte after it (a separator or the end), else 0.  The value must
 * match exactly: "v=DMARC10" or "v=dmarc1" is not this version.
 */
static size_t
dmarc_version_end(const char *s, size_t len)
{
	static const char	 version[] = "DMARC1";
	size_t			 i, j, vlen = sizeof version - 1;

	if (len == 0 || (s[0] != 'v' && s[0] != 'V'))
		return 0;
	i = dmarc_skip_wsp(s, len, 1);
	if (i >= len || s[i] != '=')
		return 0;
	i = dmarc_skip_wsp(s, len, i + 1);
	if (len - i < vlen || memcmp(s + i, version, vlen) != 0)
		return 0;
	i += vlen;
	j = dmarc_skip_wsp(s, len, i);
	if (j < len && s[j] != ';')
		return 0;
	return i;
}

static int
dmarc_policy_word(const char *s, size_t len, enum dmarc_policy *out)
{
	if (dmarc_eq_ci(s, len, "none"))
		*out = DMARC_POLICY_NONE;
	else if (dmarc_eq_ci(s, len, "quarantine"))
		*out = DMARC_POLICY_QUARANTINE;
	else if (dmarc_eq_ci(s, len, "reject"))
		*out = DMARC_POLICY_REJECT;
	else
		return -1;
	return 0;
}

/* Note one "name=value" tag; tags without '=' are junk and ignored. */
static void
dmarc_tag(const char *s, size_t len, struct dmarc_tags *t)
{
	const char	*eq, *name = s, *value;
	size_t		 nlen, vlen;

	if ((eq = memchr(s, '=', len)) == NULL)
		return;
	nlen = (size_t)(eq - s);
	value = eq + 1;
	vlen = len - nlen - 1;
	dmarc_trim(&name, &nlen);
	dmarc_trim(&value, &vlen);
	if (dmarc_eq_ci(name, nlen, "p") && !t->seen_p) {
		t->seen_p = 1;
		t->p_ok = dmarc_policy_word(value, vlen, &t->p) == 0;
	} else if (dmarc_eq_ci(name, nlen, "sp") && !t->seen_sp) {
		t->seen_sp = 1;
		t->sp_ok = dmarc_policy_word(value, vlen, &t->sp) == 0;
	}
}

int
dmarc_parse_record(const char *txt, size_t len, enum dmarc_policy *p,
    enum dmarc_policy *sp)
{
	struct dmarc_tags	 t;
	const char		*semi;
	size_t			 i, end;

	if (txt == NULL || (i = dmarc_version_end(txt, len)) == 0)
		return -1;
	memset(&t, 0, sizeof t);
	/* i is at the separator after the version, or at the end. */
	while (i < len) {
		i++;
		semi = memchr(txt + i, ';', len - i);
		end = semi != NULL ? (size_t)(semi - txt) : len;
		dmarc_tag(txt + i, end - i, &t);
		i = end;
	}
	if (!t.seen_p || !t.p_ok)
		return -1;
	*p = t.p;
	*sp = t.seen_sp && t.sp_ok ? t.sp : t.p;
	return 0;
}

/* Names and nameservers. */

/*
 * Copy domain lower-cased, without one trailing dot, into name (of
 * DMARC_QNAME_MAX + 1 bytes); -1 when _dmarc.<domain> cannot be a name.
 */
static int
dmarc_domain_norm(const char *domain, char *name)
{
	size_t	len, i, label = 0;
	int	c;

	len = strnlen(domain, DMARC_QNAME_MAX + 2);
	if (len > 0 && domain[len - 1] == '.')
		len--;
	if (len == 0 || len > DMARC_QNAME_MAX - (sizeof DMARC_PREFIX - 1))
		return -1;
	for (i = 0; i < len; i++) {
		c = (unsigned char)domain[i];
		if (c == '.') {
			if (label == 0)
				return -1;
			label = 0;
		} else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '_') {
			if (++label > DMARC_LABEL_MAX)
				return -1;
		} else
			return -1;
		name[i] = (char)c;
	}
	name[len] = '\0';
	str_lower_ascii(name);
	return label == 0 ? -1 : 0;
}

/*
 * Split "IP", "IP:port", "[IPv6]", "[IPv6]:port" or a bare IPv6 address
 * into host (hsize bytes), port (NULL when absent) and address family.
 */
static int
dmarc_ns_split(const char *spec, char *host, size_t hsize,
    const char **port, int *family)
{
	const char	*end, *colon;

	*port = NULL;
	if (spec[0] == '[') {
		spec++;
		if ((end = strchr(spec, ']')) == NULL)
			return -1;
		if (end[1] == ':')
			*port = end + 2;
		else if (end[1] != '\0')
			return -1;
		*family = AF_INET6;
	} else if ((colon = strchr(spec, ':')) != NULL &&
	    strchr(colon + 1, ':') == NULL) {
		end = colon;
		*port = colon + 1;
		*family = AF_INET;
	} else {
		end = spec + strlen(spec);
		*family = colon != NULL ? AF_INET6 : AF_INET;
	}
	if ((size_t)(end - spec) >= hsize)
		return -1;
	memcpy(host, spec, (size_t)(end - spec));
	host[end - spec] = '\0';
	return 0;
}

static int
dmarc_ns_parse(const char *spec, struct sockaddr_storage *ss)
{
	struct sockaddr_in	*sin = (struct sockaddr_in *)ss;
	struct sockaddr_in6	*sin6 = (struct sockaddr_in6 *)ss;
	char			 host[INET6_ADDRSTRLEN];
	const char		*port;
	uint64_t		 num = DMARC_DNS_PORT;
	int			 family;

	memset(ss, 0, sizeof *ss);
	if (dmarc_ns_split(spec, host, sizeof host, &port, &family) == -1)
		return -1;
	if (port != NULL && (str_to_u64(port, 65535, &num) == -1 || num == 0))
		return -1;
	if (family == AF_INET) {
		sin->sin_family = AF_INET;
		sin->sin_port = htons((uint16_t)num);
		return inet_pton(AF_INET, host, &sin->sin_addr) == 1 ? 0 : -1;
	}
	sin6->sin6_family = AF_INET6;
	sin6->sin6_port = htons((uint16_t)num);
	return inet_pton(AF_INET6, host, &sin6->sin6_addr) == 1 ? 0 : -1;
}

/* Resolver state. */

/* Keep only the first n servers, freeing the IPv6 copies glibc made. */
static void
dmarc_res_keep(res_state res, int n)
{
	int	i;

	for (i = n; i < MAXNS; i++) {
		free(res->_u._ext.nsaddrs[i]);
		res->_u._ext.nsaddrs[i] = NULL;
	}
	if (res->nscount > n)
		res->nscount = n;
}

static void
dmarc_res_server(res_state res, const struct sockaddr_storage *ss)
{
	dmarc_res_keep(res, 0);
	memset(&res->nsaddr_list[0], 0, sizeof res->nsaddr_list[0]);
	if (ss->ss_family == AF_INET)
		memcpy(&res->nsaddr_list[0], ss, sizeof(struct sockaddr_in));
	else {
		res->_u._ext.nsaddrs[0] = xmalloc(sizeof(struct sockaddr_in6));
		memcpy(res->_u._ext.nsaddrs[0], ss,
		    sizeof(struct sockaddr_in6));
	}
	res->nscount = 1;
}

static int
dmarc_res_open(res_state res, const char *nameserver)
{
	struct sockaddr_storage	ss;

	if (nameserver != NULL && dmarc_ns_parse(nameserver, &ss) == -1) {
		log_warnx("dmarc: bad nameserver \"%s\"", nameserver);
		return -1;
	}
	memset(res, 0, sizeof *res);
	if (res_ninit(res) == -1) {
		log_warnx("dmarc: res_ninit failed");
		return -1;
	}
	/* UDP only, no EDNS retry after a failure, no search list. */
	res->options |= RES_IGNTC;
	res->options &= ~(unsigned long)(RES_USEVC | RES_USE_EDNS0 |
	    RES_DNSRCH | RES_DEFNAMES);
	if (nameserver != NULL)
		dmarc_res_server(res, &ss);
	if (res->nscount < 1) {
		log_warnx("dmarc: no nameserver");
		res_nclose(res);
		return -1;
	}
	return 0;
}

/*
 * Let one query take at most seconds.  glibc gives the first server
 * retrans seconds and server n of k (retrans << n) / k seconds (at least
 * 1) per try; with one try, k <= seconds servers and retrans = seconds / k
 * the sum stays within seconds.
 */
static void
dmarc_res_budget(res_state res, int seconds)
{
	dmarc_res_keep(res, res->nscount < seconds ? res->nscount : seconds);
	res->retry = 1;
	res->retrans = seconds / res->nscount;
}

/* Queries. */

/* Join the character-strings of one TXT rdata; -1 when malformed. */
static int
dmarc_txt_join(const unsigned char *rdata, size_t rdlen, struct buf *txt)
{
	size_t	i = 0, n;

	buf_reset(txt);
	while (i < rdlen) {
		n = rdata[i++];
		if (n > rdlen - i)
			return -1;
		buf_add(txt, rdata + i, n);
		i += n;
	}
	return 0;
}

/* A DNS reply being read; pos never passes len. */
struct dmarc_reply {
	const unsigned char	*msg;
	size_t			 len, pos;
};

static int
dmarc_get16(struct dmarc_reply *r, unsigned int *v)
{
	if (r->len - r->pos < 2)
		return -1;
	*v = (unsigned int)r->msg[r->pos] << 8 | r->msg[r->pos + 1];
	r->pos += 2;
	return 0;
}

static int
dmarc_skip(struct dmarc_reply *r, size_t n)
{
	if (r->len - r->pos < n)
		return -1;
	r->pos += n;
	return 0;
}

static int
dmarc_skip_name(struct dmarc_reply *r)
{
	int	n;

	n = dn_skipname(r->msg + r->pos, r->msg + r->len);
	return n < 0 ? -1 : dmarc_skip(r, (size_t)n);
}

/* Check the header, skip the questions; *ancount gets the answer count. */
static int
dmarc_reply_open(struct dmarc_reply *r, const unsigned char *msg,
    size_t len, unsigned int *ancount)
{
	unsigned int	qdcount, i;

	r->msg = msg;
	r->len = len;
	r->pos = 4;
	if (len < DMARC_HEADER_LEN || dmarc_get16(r, &qdcount) == -1 ||
	    dmarc_get16(r, ancount) == -1)
		return -1;
	r->pos = DMARC_HEADER_LEN;
	for (i = 0; i < qdcount; i++)
		if (dmarc_skip_name(r) == -1 || dmarc_skip(r, 4) == -1)
			return -1;
	return 0;
}

/* Read one resource record: its type, class and rdata. */
static int
dmarc_reply_rr(struct dmarc_reply *r, unsigned int *type,
    unsigned int *class, const unsigned char **rdata, size_t *rdlen)
{
	unsigned int	len;

	if (dmarc_skip_name(r) == -1 || dmarc_get16(r, type) == -1 ||
	    dmarc_get16(r, class) == -1 || dmarc_skip(r, 4) == -1 ||
	    dmarc_get16(r, &len) == -1)
		return -1;
	*rdata = r->msg + r->pos;
	*rdlen = len;
	return dmarc_skip(r, len);
}

/* What count DMARC records, the first of which parsed as said, amount to. */
static enum dmarc_answer
dmarc_answer_verdict(int count, int parsed, const char *qname)
{
	if (count == 0)
		return DMARC_ANSWER_EMPTY;
	if (count > 1) {
		log_debug("dmarc: %s: %d DMARC records", qname, count);
		return DMARC_ANSWER_UNUSABLE;
	}
	if (parsed == -1) {
		log_debug("dmarc: %s: DMARC record not valid", qname);
		return DMARC_ANSWER_UNUSABLE;
	}
	return DMARC_ANSWER_RECORD;
}

/* Look at every TXT record of the answer section. */
static enum dmarc_answer
dmarc_answer_scan(const unsigned char *msg, size_t len, const char *qname,
    enum dmarc_policy *p, enum dmarc_policy *sp)
{
	struct dmarc_reply	 r;
	struct buf		 txt;
	const unsigned char	*rdata;
	size_t			 rdlen;
	unsigned int		 ancount, i, type, class;
	int			 count = 0, parsed = -1, failed = 0;

	if (dmarc_reply_open(&r, msg, len, &ancount) == -1) {
		log_warnx("dmarc: %s: malformed reply", qname);
		return DMARC_ANSWER_TEMPFAIL;
	}
	buf_init(&txt);
	for (i = 0; i < ancount; i++) {
		if (dmarc_reply_rr(&r, &type, &class, &rdata, &rdlen) == -1 ||
		    (type == ns_t_txt &&
		    dmarc_txt_join(rdata, rdlen, &txt) == -1)) {
			failed = 1;
			break;
		}
		if (type != ns_t_txt || class != ns_c_in ||
		    dmarc_version_end(txt.data, txt.len) == 0)
			continue;
		if (++count == 1)
			parsed = dmarc_parse_record(txt.data, txt.len, p, sp);
	}
	buf_free(&txt);
	if (failed) {
		log_warnx("dmarc: %s: malformed reply", qname);
		return DMARC_ANSWER_TEMPFAIL;
	}
	return dmarc_answer_verdict(count, parsed, qname);
}

/* The TC bit of a DNS header (third byte, mask 0x02). */
static int
dmarc_truncated(const unsigned char *answer)
{
	return (answer[2] & 0x02) != 0;
}

static enum dmarc_answer
dmarc_query_failed(res_state res, const unsigned char *answer,
    const char *qname)
{
	int	herr = res->res_h_errno;

	if ((herr == HOST_NOT_FOUND || herr == NO_DATA) &&
	    !dmarc_truncated(answer))
		return DMARC_ANSWER_EMPTY;
	log_debug("dmarc: %s: %s", qname, herr == NO_RECOVERY ?
	    "refused or failed by the server" :
	    "no answer (timeout, SERVFAIL or network error)");
	return DMARC_ANSWER_TEMPFAIL;
}

static enum dmarc_answer
dmarc_query(res_state res, const char *domain, int seconds,
    enum dmarc_policy *p, enum dmarc_policy *sp)
{
	unsigned char	 answer[DMARC_ANSWER_MAX];
	char		 qname[DMARC_QNAME_MAX + 1];
	int		 n;

	if (snprintf(qname, sizeof qname, "%s%s", DMARC_PREFIX, domain) >=
	    (int)sizeof qname)
		return DMARC_ANSWER_EMPTY;	/* dmarc_domain_norm bounds */
	if (seconds < 1) {
		log_debug("dmarc: %s: no time left", qname);
		return DMARC_ANSWER_TEMPFAIL;
	}
	dmarc_res_budget(res, seconds);
	memset(answer, 0, DMARC_HEADER_LEN);
	n = res_nquery(res, qname, ns_c_in, ns_t_txt, answer, sizeof answer);
	if (n < 0)
		return dmarc_query_failed(res, answer, qname);
	if (n < DMARC_HEADER_LEN || n > (int)sizeof answer ||
	    dmarc_truncated(answer)) {
		log_warnx("dmarc: %s: reply truncated or too long", qname);
		return DMARC_ANSWER_TEMPFAIL;
	}
	return dmarc_answer_scan(answer, (size_t)n, qname, p, sp);
}

/* Lookup. */

static long long
dmarc_elapsed_ms(const struct timespec *start)
{
	struct timespec	now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (long long)(now.tv_sec - start->tv_sec) * 1000 +
	    (now.tv_nsec - start->tv_nsec) / 1000000;
}

/* Whole seconds of timeout_s not yet spent since start. */
static int
dmarc_seconds_left(const struct timespec *start, int timeout_s)
{
	long long	left = (long long)timeout_s * 1000 -
			    dmarc_elapsed_ms(start);

	return left <= 0 ? 0 : (int)(left / 1000);
}

/* The organisational domain of name when it differs from name, or NULL. */
static const char *
dmarc_org_domain(const psl_ctx_t *psl, const char *name)
{
	const char	*org = psl_registrable_domain(psl, name);

	if (org == NULL || strcmp(org, name) == 0)
		return NULL;
	return org;
}

static enum dmarc_policy
dmarc_walk(res_state res, const char *name, const char *org,
    int timeout_s)
{
	struct timespec		start;
	enum dmarc_policy	p, sp;
	int			first;

	clock_gettime(CLOCK_MONOTONIC, &start);
	/* Leave the organisational domain its share of the time. */
	first = org != NULL && timeout_s >= 2 ? timeout_s / 2 : timeout_s;
	switch (dmarc_query(res, name, first, &p, &sp)) {
	case DMARC_ANSWER_RECORD:
		return p;
	case DMARC_ANSWER_UNUSABLE:
		return DMARC_POLICY_ABSENT;
	case DMARC_ANSWER_TEMPFAIL:
		return DMARC_POLICY_TEMPFAIL;
	case DMARC_ANSWER_EMPTY:
		break;
	}
	if (org == NULL)
		return DMARC_POLICY_ABSENT;
	switch (dmarc_query(res, org, dmarc_seconds_left(&start, timeout_s),
	    &p, &sp)) {
	case DMARC_ANSWER_RECORD:
		return sp;
	case DMARC_ANSWER_TEMPFAIL:
		return DMARC_POLICY_TEMPFAIL;
	default:
		return DMARC_POLICY_ABSENT;
	}
}

enum dmarc_policy
dmarc_lookup(const char *domain, const char *nameserver, int timeout_s)
{
	struct __res_state	 res;
	const psl_ctx_t		*psl;
	char			 name[DMARC_QNAME_MAX + 1];
	enum dmarc_policy	 policy;

	if (timeout_s < 1)
		return DMARC_POLICY_TEMPFAIL;
	if (domain == NULL || dmarc_domain_norm(domain, name) == -1) {
		log_debug("dmarc: \"%s\" is not a domain name",
		    domain != NULL ? domain : "(null)");
		return DMARC_POLICY_ABSENT;
	}
	if ((psl = psl_builtin()) == NULL) {
		log_warnx("dmarc: libpsl has no built-in suffix list");
		return DMARC_POLICY_TEMPFAIL;
	}
	if (dmarc_res_open(&res, nameserver) == -1)
		return DMARC_POLICY_TEMPFAIL;
	policy = dmarc_walk(&res, name, dmarc_org_domain(psl, name),
	    timeout_s);
	res_nclose(&res);
	log_debug("dmarc: %s: %s", name, dmarc_policy_name(policy));
	return policy;
}
