/*
 * egress-smtp: the relay transport, SMTP submission through libcurl.
 *
 * Contract: messages go to the configured relay ([egress] relay, tls,
 * user, password, cafile, connections, batch, timeout).  The EHLO name is
 * the site domain.  Each message is one transaction with its own envelope
 * (VERP); with batch on, consecutive messages sharing the same bytes and
 * the same envelope sender travel together, up to SMTP_BATCH_MAX RCPTs
 * per transaction.  The outcome of every message is reported as soon as
 * it is known: a refused RCPT at once (4xx EGRESS_TEMP, 5xx EGRESS_PERM,
 * the relay's line as the reason), the accepted ones after the reply to
 * the end of DATA (250 EGRESS_OK, 4xx TEMP, 5xx PERM).  Anything else
 * (connect, TLS, AUTH, the sender refused, a timeout, a reset) is
 * EGRESS_TEMP.  When the relay cannot be reached at all, the messages not
 * yet started are deferred without trying each one.
 *
 * Connections: one easy handle per connection, created at open and kept
 * until close, all in one multi handle whose cache keeps the connections
 * open; a finished handle is given its next transaction and added again,
 * so a connection carries transaction after transaction.  send() uses the
 * same machinery with a single message.  No step waits longer than the
 * configured timeout.
 *
 * Per-RCPT replies: libcurl reports only the last reply code, so the
 * debug callback follows the dialogue: each RCPT command it sees out
 * moves to the next recipient, and the next final reply line in belongs
 * to it.  libcurl sends RCPTs one at a time, so the order is exact.
 *
 * Bytes: messages are stored with LF line ends; the read callback sends
 * CRLF, leaving CRLF already present alone.  libcurl dot-stuffs the body
 * and writes the final "." line itself.  Memory does not grow with the
 * number of messages: only the recipients of the transactions in flight
 * are held.
 */
#include <config.h>

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>

#include "core/config.h"
#include "io/egress.h"
#include "util/log.h"
#include "util/xmalloc.h"

/* The option's name lost its extra L in curl 8.2; Debian 12 has 7.88. */
#if LIBCURL_VERSION_NUM < 0x080200
#define CURLOPT_MAIL_RCPT_ALLOWFAILS	CURLOPT_MAIL_RCPT_ALLLOWFAILS
#endif

#define SMTP_BATCH_MAX	100
#define SMTP_LINE_MAX	256

enum smtp_phase {
	SMTP_PHASE_SETUP,	/* connect, greeting, EHLO, STARTTLS, AUTH */
	SMTP_PHASE_MAIL,
	SMTP_PHASE_RCPT,
	SMTP_PHASE_DATA,	/* DATA sent, 354 not yet seen */
	SMTP_PHASE_BODY		/* body sent or being sent */
};

enum smtp_fate {
	SMTP_FATE_OPEN,		/* no reply to its RCPT yet */
	SMTP_FATE_ACCEPTED,	/* 2xx to its RCPT */
	SMTP_FATE_REPORTED	/* done() was called */
};

/* The body of the transaction in flight, as the read callback sends it. */
struct smtp_body {
	const char	*data;
	size_t		 len;
	size_t		 pos;
	int		 prev;		/* last byte handed out */
	int		 lf_pending;	/* a CR went out, its LF is next */
};

struct smtp_state;

struct smtp_conn {
	CURL			*easy;
	struct smtp_state	*st;
	struct curl_slist	*rcpts;
	size_t			 first;		/* first message of the txn */
	size_t			 count;		/* messages in the txn */
	size_t			 rcpt_sent;	/* RCPT commands seen out */
	unsigned char		 fate[SMTP_BATCH_MAX];
	enum smtp_phase		 phase;
	int			 quit;		/* QUIT sent: its 221 says nothing */
	int			 code;		/* last final reply code */
	char			 line[SMTP_LINE_MAX];	/* and its line */
	char			 errbuf[CURL_ERROR_SIZE];
	struct smtp_body	 body;
};

struct smtp_state {
	CURLM			*multi;
	struct smtp_conn	*conns;
	int			 nconns;
	char			*url;
	const char		*relay;
	size_t			 batch;		/* RCPTs per transaction */

	/* The send_many() call in progress. */
	const struct egress_msg	*msgs;
	size_t			 n;
	size_t			 next;		/* first message not started */
	egress_done_fn		 done;
	void			*arg;
	char			 down[SMTP_LINE_MAX];	/* why unreachable */
};

/* --- the dialogue, as the debug callback sees it ---------------------- */

static void
smtp_report(struct smtp_conn *c, size_t k, enum egress_result r,
    const char *err)
{
	c->fate[k] = SMTP_FATE_REPORTED;
	c->st->done(c->st->arg, c->first + k, r, err);
}

static void
smtp_saw_command(struct smtp_conn *c, const char *p, size_t len)
{
	if (len >= 10 && strncasecmp(p, "MAIL FROM:", 10) == 0)
		c->phase = SMTP_PHASE_MAIL;
	else if (len >= 8 && strncasecmp(p, "RCPT TO:", 8) == 0) {
		c->phase = SMTP_PHASE_RCPT;
		c->rcpt_sent++;
	} else if (len >= 4 && strncasecmp(p, "DATA", 4) == 0 &&
	    (len == 4 || p[4] == '\r' || p[4] == '\n'))
		c->phase = SMTP_PHASE_DATA;
	else if (len >= 4 && strncasecmp(p, "QUIT", 4) == 0)
		c->quit = 1;
}

/* Keep a reply line for err: bounded, printable, no line end. */
static void
smtp_keep_line(struct smtp_conn *c, const char *p, size_t len)
{
	size_t	i;

	if (len >= sizeof c->line)
		len = sizeof c->line - 1;
	for (i = 0; i < len; i++)
		c->line[i] = isprint((unsigned char)p[i]) ? p[i] : ' ';
	c->line[len] = '\0';
}

static void
smtp_saw_reply(struct smtp_conn *c, int code, const char *p, size_t len)
{
	size_t	k;

	/* libcurl quits a connection after a failure; the reason stays. */
	if (c->quit)
		return;
	c->code = code;
	smtp_keep_line(c, p, len);
	switch (c->phase) {
	case SMTP_PHASE_RCPT:
		k = c->rcpt_sent - 1;
		if (k >= c->count || c->fate[k] != SMTP_FATE_OPEN)
			break;
		if (code / 100 == 2)
			c->fate[k] = SMTP_FATE_ACCEPTED;
		else
			smtp_report(c, k, code >= 500 ? EGRESS_PERM :
			    EGRESS_TEMP, c->line);
		break;
	case SMTP_PHASE_DATA:
		if (code == 354)
			c->phase = SMTP_PHASE_BODY;
		break;
	default:
		break;
	}
}

/* Each final reply line ("NNN text" or "NNN"); continuations skipped. */
static void
smtp_saw_replies(struct smtp_conn *c, const char *p, size_t len)
{
	const char	*end = p + len, *eol;
	size_t		 n;

	for (; p < end; p = eol + 1) {
		if ((eol = memchr(p, '\n', (size_t)(end - p))) == NULL)
			eol = end;
		n = (size_t)(eol - p);
		if (n > 0 && p[n - 1] == '\r')
			n--;
		if (n < 3 || !isdigit((unsigned char)p[0]) ||
		    !isdigit((unsigned char)p[1]) ||
		    !isdigit((unsigned char)p[2]) || (n > 3 && p[3] != ' '))
			continue;
		smtp_saw_reply(c, (p[0] - '0') * 100 + (p[1] - '0') * 10 +
		    (p[2] - '0'), p, n);
	}
}

static int
smtp_debug(CURL *easy, curl_infotype type, char *p, size_t len, void *arg)
{
	struct smtp_conn	*c = arg;

	(void)easy;
	if (type == CURLINFO_HEADER_OUT)
		smtp_saw_command(c, p, len);
	else if (type == CURLINFO_HEADER_IN)
		smtp_saw_replies(c, p, len);
	return 0;
}

/* LF to CRLF on the way out; a CRLF already there is left alone. */
static size_t
smtp_read(char *out, size_t size, size_t nitems, void *arg)
{
	struct smtp_body	*b = arg;
	size_t			 room = size * nitems, n = 0;
	char			 ch;

	while (n < room) {
		if (b->lf_pending) {
			out[n++] = '\n';
			b->lf_pending = 0;
			b->prev = '\n';
			continue;
		}
		if (b->pos == b->len)
			break;
		ch = b->data[b->pos++];
		if (ch == '\n' && b->prev != '\r') {
			out[n++] = '\r';
			b->lf_pending = 1;
			continue;
		}
		out[n++] = ch;
		b->prev = (unsigned char)ch;
	}
	return n;
}

/* --- transactions ------------------------------------------------------ */

/* How many messages from first travel in one transaction. */
static size_t
smtp_txn_size(const struct smtp_state *st, size_t first)
{
	const struct egress_msg	*m = &st->msgs[first];
	size_t			 k = 1;

	while (k < st->batch && first + k < st->n &&
	    m[k].data == m->data && m[k].len == m->len &&
	    strcmp(m[k].envelope_from, m->envelope_from) == 0)
		k++;
	return k;
}

static int
smtp_txn_envelope(struct smtp_conn *c)
{
	const struct egress_msg	*m = &c->st->msgs[c->first];
	struct curl_slist	*l;
	size_t			 k;

	for (k = 0; k < c->count; k++) {
		if ((l = curl_slist_append(c->rcpts, m[k].recipient)) == NULL)
			return -1;
		c->rcpts = l;
	}
	if (curl_easy_setopt(c->easy, CURLOPT_MAIL_FROM,
	    m->envelope_from[0] == '\0' ? "<>" : m->envelope_from) != CURLE_OK ||
	    curl_easy_setopt(c->easy, CURLOPT_MAIL_RCPT, c->rcpts) != CURLE_OK)
		return -1;
	return 0;
}

/* Give c the next messages and add it to the multi; 1 when started. */
static int
smtp_txn_start(struct smtp_state *st, struct smtp_conn *c)
{
	const struct egress_msg	*m = &st->msgs[st->next];
	size_t			 k;

	c->first = st->next;
	c->count = smtp_txn_size(st, st->next);
	st->next += c->count;
	c->rcpt_sent = 0;
	memset(c->fate, SMTP_FATE_OPEN, sizeof c->fate);
	c->phase = SMTP_PHASE_SETUP;
	c->quit = 0;
	c->code = 0;
	c->line[0] = c->errbuf[0] = '\0';
	c->body = (struct smtp_body){ m->data, m->len, 0, '\n', 0 };
	if (smtp_txn_envelope(c) == 0 &&
	    curl_multi_add_handle(st->multi, c->easy) == CURLM_OK)
		return 1;
	log_warnx("smtp: cannot start a transaction");
	for (k = 0; k < c->count; k++)
		smtp_report(c, k, EGRESS_TEMP, "smtp: out of memory");
	curl_slist_free_all(c->rcpts);
	c->rcpts = NULL;
	return 0;
}

/* A failure before any envelope reached the relay, or a hang, means the
 * relay is unreachable for now: the rest of the call is deferred. */
static void
smtp_txn_check_down(struct smtp_conn *c, CURLcode rc, const char *why)
{
	struct smtp_state	*st = c->st;

	if (rc == CURLE_OK || st->down[0] != '\0')
		return;
	if (c->phase != SMTP_PHASE_SETUP && rc != CURLE_OPERATION_TIMEDOUT)
		return;
	snprintf(st->down, sizeof st->down, "%s", why);
	log_warnx("smtp: relay %s unreachable: %s", st->relay, why);
}

/* Report every message of the finished transaction not yet reported. */
static void
smtp_txn_finish(struct smtp_conn *c, CURLcode rc)
{
	const char	*why;
	size_t		 k;
	int		 replied;

	replied = (c->phase == SMTP_PHASE_DATA ||
	    c->phase == SMTP_PHASE_BODY) && c->code >= 400;
	if (c->code >= 400 && c->line[0] != '\0')
		why = c->line;
	else
		why = c->errbuf[0] != '\0' ? c->errbuf : curl_easy_strerror(rc);
	smtp_txn_check_down(c, rc, why);
	for (k = 0; k < c->count; k++) {
		if (c->fate[k] == SMTP_FATE_REPORTED)
			continue;
		if (rc == CURLE_OK)
			smtp_report(c, k, EGRESS_OK, "");
		else if (replied && c->fate[k] == SMTP_FATE_ACCEPTED)
			smtp_report(c, k, c->code >= 500 ? EGRESS_PERM :
			    EGRESS_TEMP, why);
		else
			smtp_report(c, k, EGRESS_TEMP, why);
	}
	c->st->done(c->st->arg, EGRESS_DONE_FLUSH, EGRESS_OK, "");
	curl_slist_free_all(c->rcpts);
	c->rcpts = NULL;
}

/* The messages never started once the relay is known to be down. */
static void
smtp_defer_rest(struct smtp_state *st)
{
	for (; st->next < st->n; st->next++)
		st->done(st->arg, st->next, EGRESS_TEMP, st->down);
	st->done(st->arg, EGRESS_DONE_FLUSH, EGRESS_OK, "");
}

/* Collect finished transactions, start the next ones; the new count. */
static int
smtp_collect(struct smtp_state *st, int active)
{
	struct smtp_conn	*c;
	CURLMsg			*msg;
	CURL			*easy;
	CURLcode		 rc;
	char			*priv;
	int			 left;

	while ((msg = curl_multi_info_read(st->multi, &left)) != NULL) {
		if (msg->msg != CURLMSG_DONE)
			continue;
		easy = msg->easy_handle;
		rc = msg->data.result;
		curl_multi_remove_handle(st->multi, easy);
		if (curl_easy_getinfo(easy, CURLINFO_PRIVATE, &priv) !=
		    CURLE_OK || priv == NULL)
			fatalx("smtp: a transfer without its connection");
		c = (struct smtp_conn *)priv;
		smtp_txn_finish(c, rc);
		active--;
		if (st->next < st->n && st->down[0] == '\0')
			active += smtp_txn_start(st, c);
	}
	return active;
}

static void
smtp_send_many(struct egress *e, const struct egress_msg *msgs, size_t n,
    egress_done_fn done, void *arg)
{
	struct smtp_state	*st = e->state;
	int			 i, active = 0, running;

	st->msgs = msgs;
	st->n = n;
	st->next = 0;
	st->done = done;
	st->arg = arg;
	st->down[0] = '\0';
	for (i = 0; i < st->nconns && st->next < n; i++)
		active += smtp_txn_start(st, &st->conns[i]);
	while (active > 0) {
		if (curl_multi_perform(st->multi, &running) != CURLM_OK)
			fatalx("smtp: curl_multi_perform failed");
		active = smtp_collect(st, active);
		if (active > 0 && running > 0)
			(void)curl_multi_poll(st->multi, NULL, 0, 1000, NULL);
	}
	if (st->down[0] == '\0')
		snprintf(st->down, sizeof st->down, "smtp: not tried");
	smtp_defer_rest(st);
	st->msgs = NULL;
}

/* --- send(): one message over the same connections --------------------- */

struct smtp_single {
	enum egress_result	 result;
	char			*err;
	size_t			 errsz;
};

static void
smtp_single_done(void *arg, size_t index, enum egress_result r,
    const char *err)
{
	struct smtp_single	*s = arg;

	if (index == EGRESS_DONE_FLUSH)
		return;
	s->result = r;
	snprintf(s->err, s->errsz, "%s", err);
}

static enum egress_result
smtp_send(struct egress *e, const struct egress_msg *msg, char *err,
    size_t errsz)
{
	struct smtp_single	s = { EGRESS_TEMP, err, errsz };

	snprintf(err, errsz, "smtp: no answer");
	smtp_send_many(e, msg, 1, smtp_single_done, &s);
	return s.result;
}

/* --- open and close ------------------------------------------------------ */

static int
smtp_easy_tls(const struct config *cfg, CURL *h)
{
	int	rc = 0;

	if (strcmp(cfg->relay_tls, "starttls") == 0)
		rc |= curl_easy_setopt(h, CURLOPT_USE_SSL, (long)CURLUSESSL_ALL);
	rc |= curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
	rc |= curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
	if (cfg->relay_cafile != NULL)
		rc |= curl_easy_setopt(h, CURLOPT_CAINFO, cfg->relay_cafile);
	if (cfg->relay_user != NULL) {
		rc |= curl_easy_setopt(h, CURLOPT_USERNAME, cfg->relay_user);
		rc |= curl_easy_setopt(h, CURLOPT_PASSWORD,
		    cfg->relay_password != NULL ? cfg->relay_password : "");
	}
	return rc;
}

static int
smtp_easy_setup(struct smtp_state *st, const struct config *cfg,
    struct smtp_conn *c)
{
	long	t = cfg->relay_timeout;
	int	rc = 0;

	c->st = st;
	if ((c->easy = curl_easy_init()) == NULL)
		return -1;
	rc |= curl_easy_setopt(c->easy, CURLOPT_URL, st->url);
	rc |= curl_easy_setopt(c->easy, CURLOPT_PRIVATE, (char *)c);
	rc |= curl_easy_setopt(c->easy, CURLOPT_NOSIGNAL, 1L);
	rc |= curl_easy_setopt(c->easy, CURLOPT_UPLOAD, 1L);
	rc |= curl_easy_setopt(c->easy, CURLOPT_READFUNCTION, smtp_read);
	rc |= curl_easy_setopt(c->easy, CURLOPT_READDATA, &c->body);
	rc |= curl_easy_setopt(c->easy, CURLOPT_VERBOSE, 1L);
	rc |= curl_easy_setopt(c->easy, CURLOPT_DEBUGFUNCTION, smtp_debug);
	rc |= curl_easy_setopt(c->easy, CURLOPT_DEBUGDATA, c);
	rc |= curl_easy_setopt(c->easy, CURLOPT_ERRORBUFFER, c->errbuf);
	rc |= curl_easy_setopt(c->easy, CURLOPT_MAIL_RCPT_ALLOWFAILS, 1L);
	rc |= curl_easy_setopt(c->easy, CURLOPT_CONNECTTIMEOUT, t);
	rc |= curl_easy_setopt(c->easy, CURLOPT_SERVER_RESPONSE_TIMEOUT, t);
	rc |= curl_easy_setopt(c->easy, CURLOPT_LOW_SPEED_LIMIT, 1L);
	rc |= curl_easy_setopt(c->easy, CURLOPT_LOW_SPEED_TIME, t);
	rc |= curl_easy_setopt(c->easy, CURLOPT_TCP_KEEPALIVE, 1L);
	rc |= smtp_easy_tls(cfg, c->easy);
	return rc == 0 ? 0 : -1;
}

static void
smtp_free(struct smtp_state *st)
{
	int	i;

	for (i = 0; i < st->nconns; i++)
		if (st->conns[i].easy != NULL)
			curl_easy_cleanup(st->conns[i].easy);
	if (st->multi != NULL)
		curl_multi_cleanup(st->multi);
	free(st->conns);
	free(st->url);
	free(st);
	curl_global_cleanup();
}

static int
smtp_open(struct egress *e)
{
	const struct config	*cfg = e->cfg;
	struct smtp_state	*st;
	int			 i;

	if (cfg->relay == NULL || curl_global_init(CURL_GLOBAL_DEFAULT) != 0) {
		log_warnx("smtp: no relay, or libcurl failed to start");
		return -1;
	}
	st = xcalloc(1, sizeof *st);
	st->relay = cfg->relay;
	st->batch = cfg->relay_batch ? SMTP_BATCH_MAX : 1;
	st->url = xasprintf("%s://%s/%s", strcmp(cfg->relay_tls,
	    "implicit") == 0 ? "smtps" : "smtp", cfg->relay, cfg->domain);
	st->nconns = cfg->relay_connections > 0 ? cfg->relay_connections : 1;
	st->conns = xcalloc((size_t)st->nconns, sizeof *st->conns);
	st->multi = curl_multi_init();
	for (i = 0; st->multi != NULL && i < st->nconns; i++)
		if (smtp_easy_setup(st, cfg, &st->conns[i]) == -1)
			break;
	if (st->multi == NULL || i < st->nconns || curl_multi_setopt(st->multi,
	    CURLMOPT_MAXCONNECTS, (long)st->nconns) != CURLM_OK) {
		log_warnx("smtp: cannot set up libcurl for %s", st->url);
		smtp_free(st);
		return -1;
	}
	e->state = st;
	return 0;
}

static void
smtp_close(struct egress *e)
{
	smtp_free(e->state);
}

const struct egress_ops egress_smtp_ops = {
	"smtp", smtp_open, smtp_send, smtp_send_many, smtp_close
};
