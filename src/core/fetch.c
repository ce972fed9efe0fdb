/*
 * fetch: see fetch.h.
 */
#include <config.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/config.h"
#include "core/fetch.h"
#include "core/msglimit.h"
#include "core/listaddr.h"
#include "core/mbconfig.h"
#include "io/spool.h"
#include "mail/header.h"
#include "store/fetched.h"
#include "util/buf.h"
#include "util/fault.h"
#include "util/log.h"
#include "util/strutil.h"
#include "util/xmalloc.h"

int
fetch_state(struct fetch_ctx *f, int64_t uidvalidity, const char *uid)
{
	return fetched_state(f->db, f->mb->name, uidvalidity, uid);
}

/* Network mail has CRLF; the spool and everything after it use LF. */
static void
fetch_unix_eol(const char *data, size_t len, struct buf *out)
{
	size_t	i, start = 0;

	for (i = 0; i + 1 < len; i++)
		if (data[i] == '\r' && data[i + 1] == '\n') {
			buf_add(out, data + start, i - start);
			start = i + 1;
		}
	buf_add(out, data + start, len - start);
}

static char *
fetch_message_id(const char *msg, size_t len)
{
	struct header_list	 h;
	char			*v = NULL;
	long			 i;

	header_split(msg, len, &h);
	if ((i = header_find(&h, "Message-ID", 0)) != -1) {
		v = header_value(&h, (size_t)i);
		str_trim(v);
		if (*v == '\0' || strlen(v) > 998) {
			free(v);
			v = NULL;
		}
	}
	header_list_free(&h);
	return v;
}

/* 64-bit FNV-1a: spool ids from POP3 UIDLs, which may hold any byte. */
static uint64_t
fetch_hash(const char *s)
{
	uint64_t	h = 14695981039346656037ULL;

	for (; *s != '\0'; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ULL;
	}
	return h;
}

static void
fetch_spool_id(const struct fetch_ctx *f, int64_t uidvalidity,
    const char *uid, size_t k, char *id, size_t sz)
{
	uint64_t	n;

	if (uidvalidity != 0 && str_to_u64(uid, UINT32_MAX, &n) == 0)
		snprintf(id, sz, "mb.%s.%lld.%010llu.%zu", f->mb->name,
		    (long long)uidvalidity, (unsigned long long)n, k);
	else
		snprintf(id, sz, "mb.%s.p.%016llx.%zu", f->mb->name,
		    (unsigned long long)fetch_hash(uid), k);
}

static void
fetch_fault(const char *point, const char *uid)
{
	if (!fault_point(point))
		return;
	log_warnx("fault injection: killed %s of message %s", point, uid);
	raise(SIGKILL);
}

static char *
fetch_join(char **v, size_t n)
{
	struct buf	b;
	size_t		i;

	buf_init(&b);
	for (i = 0; i < n; i++) {
		if (i > 0)
			buf_addc(&b, ',');
		buf_adds(&b, v[i]);
	}
	return buf_detach(&b);
}

static enum fetch_result
fetch_spool(struct fetch_ctx *f, int64_t uidvalidity, const char *uid,
    struct buf *msg, char **rcpts, size_t n)
{
	char	 id[SPOOL_ID_MAX], *sender;
	size_t	 k;
	int	 rc = 0;

	sender = listaddr_sender(buf_cstr(msg), msg->len);
	for (k = 0; k < n && rc == 0; k++) {
		fetch_spool_id(f, uidvalidity, uid, k, id, sizeof id);
		if ((rc = spool_enter_as(f->cfg->spool_dir, id, rcpts[k],
		    sender, buf_cstr(msg), msg->len)) == -1)
			log_warn("mailbox %s: cannot spool message %s",
			    f->mb->name, uid);
		else
			log_info("mailbox %s: %s queued for %s from <%s>",
			    f->mb->name, id, rcpts[k], sender);
	}
	free(sender);
	return rc == 0 ? FETCH_SPOOLED : FETCH_TEMP;
}

static enum fetch_result
fetch_classified(struct fetch_ctx *f, int64_t uidvalidity, const char *uid,
    struct buf *msg, char **rcpts, size_t n)
{
	enum fetch_result	 r;
	char			*mid, *joined;
	int			 dup;

	mid = fetch_message_id(buf_cstr(msg), msg->len);
	joined = fetch_join(rcpts, n);
	dup = n > 0 ? fetched_duplicate(f->db, f->mb->name, mid, joined) : 0;
	if (dup == -1)
		r = FETCH_TEMP;
	else if (n == 0) {
		log_warnx("mailbox %s: message %s names no address of this "
		    "gateway; kept on the server, not processed",
		    f->mb->name, uid);
		r = FETCH_SET_ASIDE;
	} else if (dup) {
		log_info("mailbox %s: message %s is %s again, taken before; "
		    "not processed twice", f->mb->name, uid, mid);
		r = FETCH_SET_ASIDE;
	} else {
		r = fetch_spool(f, uidvalidity, uid, msg, rcpts, n);
		if (r == FETCH_SPOOLED)
			fetch_fault("after-spool", uid);
	}
	if (r != FETCH_TEMP && fetched_record(f->db, f->mb->name,
	    uidvalidity, uid, mid, joined) == -1)
		r = FETCH_TEMP;
	if (r == FETCH_SPOOLED)
		fetch_fault("after-record", uid);
	free(mid);
	free(joined);
	return r;
}

/*
 * A message over a bound of [limits] (core/msglimit.h): like one too
 * large, recorded and kept on the server, not processed, with a log line
 * naming the bound; there is no sender's server to refuse it to.  1 over
 * (*r set), 0 within.
 */
static int
fetch_over_limits(struct fetch_ctx *f, int64_t uidvalidity, const char *uid,
    struct buf *msg, enum fetch_result *r)
{
	struct msglimit_verdict	v;

	if (!msglimit_check(f->cfg, buf_cstr(msg), msg->len, &v))
		return 0;
	log_warnx("mailbox %s: message %s: %s %zu over %zu; kept on the "
	    "server, not processed", f->mb->name, uid, v.key, v.found,
	    v.limit);
	*r = fetched_record(f->db, f->mb->name, uidvalidity, uid, NULL,
	    "") == -1 ? FETCH_TEMP : FETCH_SET_ASIDE;
	return 1;
}

enum fetch_result
fetch_take(struct fetch_ctx *f, int64_t uidvalidity, const char *uid,
    const char *data, size_t len)
{
	enum fetch_result	 r;
	struct buf		 msg;
	char			**rcpts;
	size_t			 n;

	buf_init(&msg);
	fetch_unix_eol(data, len, &msg);
	if (fetch_over_limits(f, uidvalidity, uid, &msg, &r)) {
		buf_free(&msg);
		return r;
	}
	n = listaddr_find(f->cfg, f->mb, buf_cstr(&msg), msg.len, &rcpts);
	r = fetch_classified(f, uidvalidity, uid, &msg, rcpts, n);
	str_array_free(rcpts, n);
	buf_free(&msg);
	return r;
}

enum fetch_result
fetch_too_large(struct fetch_ctx *f, int64_t uidvalidity, const char *uid,
    uint64_t size)
{
	log_warnx("mailbox %s: message %s has %llu bytes, more than "
	    "max_message_size; kept on the server, not processed",
	    f->mb->name, uid, (unsigned long long)size);
	return fetched_record(f->db, f->mb->name, uidvalidity, uid, NULL,
	    "") == -1 ? FETCH_TEMP : FETCH_SET_ASIDE;
}

int
fetch_finished(struct fetch_ctx *f, int64_t uidvalidity, const char *uid)
{
	return fetched_done(f->db, f->mb->name, uidvalidity, uid);
}
