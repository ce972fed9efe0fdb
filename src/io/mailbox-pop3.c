/*
 * mailbox-pop3: one POP3 pass of a poller (see mailbox.h, fetch.h).
 *
 * Connect (implicit TLS, STLS or, on loopback, none; certificate
 * verified before USER/PASS), LIST with UIDL, RETR each message not
 * recorded yet into the spool, DELE every message the spool has, and
 * QUIT, which is when the server really deletes.  A message whose DELE
 * was lost (connection dropped before QUIT) comes back with the same
 * UIDL and is only deleted.  Servers without UIDL: the message's
 * content stands in for it.  A message too large, or with no address of
 * the gateway, is recorded and left on the server.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libetpan/libetpan.h>

#include "core/config.h"
#include "core/mbconfig.h"
#include "io/mailbox-int.h"
#include "io/tlscheck.h"
#include "store/fetched.h"
#include "util/log.h"
#include "util/xmalloc.h"

static const char *
pop3_said(mailpop3 *pop)
{
	const char	*r = pop->pop3_response;

	return r != NULL && *r != '\0' ? r : "no reason given";
}

static enum mbsession
pop3_failed(struct poller *p, mailpop3 *pop, const char *what, int r)
{
	if (r == MAILPOP3_ERROR_STREAM)
		poller_fail(p, "%s: connection to %s:%d lost", what,
		    p->mb->host, p->mb->port);
	else
		poller_fail(p, "%s: %s", what, pop3_said(pop));
	return poller_stopping(p) ? MBSESSION_STOPPED : MBSESSION_FAILED;
}

static enum mbsession
pop3_open(struct poller *p, mailpop3 *pop)
{
	mailstream	*stream;
	int		 r;

	if ((stream = poller_connect(p)) == NULL)
		return MBSESSION_FAILED;
	if ((r = mailpop3_connect(pop, stream)) != MAILPOP3_NO_ERROR)
		return pop3_failed(p, pop, "no POP3 greeting", r);
	if (p->mb->tls == MBCONFIG_TLS_STARTTLS) {
		if ((r = mailpop3_socket_starttls_with_callback(pop,
		    tlscheck_prepare, p->mb->host)) != MAILPOP3_NO_ERROR)
			return pop3_failed(p, pop, "STLS refused", r);
		if (poller_verify(p, pop->pop3_stream) == -1)
			return MBSESSION_FAILED;
	}
	if ((r = mailpop3_user(pop, p->mb->user)) != MAILPOP3_NO_ERROR ||
	    (r = mailpop3_pass(pop, p->mb->password)) != MAILPOP3_NO_ERROR) {
		if (r == MAILPOP3_ERROR_STREAM)
			return pop3_failed(p, pop, "login", r);
		poller_fail(p, "login as %s refused: %s", p->mb->user,
		    pop3_said(pop));
		return MBSESSION_FAILED;
	}
	poller_logged_in(p);
	return MBSESSION_PASS;
}

/* Without UIDL, a hash of the content stands in for it. */
static void
pop3_uid(const struct mailpop3_msg_info *m, const char *data, size_t len,
    char *out, size_t sz)
{
	uint64_t	h = 14695981039346656037ULL;
	size_t		i;

	if (m->msg_uidl != NULL) {
		snprintf(out, sz, "%s", m->msg_uidl);
		return;
	}
	for (i = 0; i < len; i++) {
		h ^= (unsigned char)data[i];
		h *= 1099511628211ULL;
	}
	snprintf(out, sz, "content-%016llx-%zu", (unsigned long long)h, len);
}

/* Retrieve and spool one message: 1 to DELE it, 0 to leave it, -1. */
static int
pop3_take(struct poller *p, mailpop3 *pop, struct mailpop3_msg_info *m,
    char *uid, size_t uidsz)
{
	enum fetch_result	 fr;
	char			*data;
	size_t			 len;
	int			 r, st;

	if (m->msg_uidl != NULL) {
		pop3_uid(m, NULL, 0, uid, uidsz);
		if ((st = fetch_state(&p->fetch, 0, uid)) == -1) {
			poller_fail(p, "database unavailable");
			return -1;
		}
		if (st != FETCHED_NONE)
			return st == FETCHED_SPOOLED;
		if (m->msg_size > p->cfg->max_message_size)
			return fetch_too_large(&p->fetch, 0, uid,
			    m->msg_size) == FETCH_TEMP ? -1 : 0;
	} else if (m->msg_size > p->cfg->max_message_size)
		return 0;
	if ((r = mailpop3_retr(pop, m->msg_index, &data, &len)) !=
	    MAILPOP3_NO_ERROR) {
		pop3_failed(p, pop, "retr", r);
		return -1;
	}
	pop3_uid(m, data, len, uid, uidsz);
	if (m->msg_uidl == NULL && (st = fetch_state(&p->fetch, 0, uid)) !=
	    FETCHED_NONE)
		fr = st == FETCHED_SPOOLED ? FETCH_SPOOLED : FETCH_SET_ASIDE;
	else
		fr = fetch_take(&p->fetch, 0, uid, data, len);
	mailpop3_retr_free(data);
	if (fr == FETCH_TEMP) {
		poller_fail(p, "cannot keep message %s (spool or database); "
		    "it stays on the server", uid);
		return -1;
	}
	if (fr == FETCH_SET_ASIDE)
		poller_finished(p, 0, uid);
	return fr == FETCH_SPOOLED;
}

/* Take and DELE what is there; the UIDs deleted go in *done. */
static enum mbsession
pop3_round(struct poller *p, mailpop3 *pop, char ***done, size_t *ndone)
{
	struct mailpop3_msg_info	*m;
	carray				*list = NULL;
	char				 uid[128];
	unsigned			 i;
	int				 r, take;

	if ((r = mailpop3_list(pop, &list)) != MAILPOP3_NO_ERROR)
		return pop3_failed(p, pop, "list", r);
	for (i = 0; i < carray_count(list); i++) {
		if (poller_stopping(p))
			return MBSESSION_STOPPED;
		m = carray_get(list, i);
		if (m == NULL || m->msg_deleted)
			continue;
		if ((take = pop3_take(p, pop, m, uid, sizeof uid)) == -1)
			return MBSESSION_FAILED;
		if (take == 0)
			continue;
		if ((r = mailpop3_dele(pop, m->msg_index)) !=
		    MAILPOP3_NO_ERROR)
			return pop3_failed(p, pop, "dele", r);
		*done = xreallocarray(*done, *ndone + 1, sizeof **done);
		(*done)[(*ndone)++] = xstrdup(uid);
	}
	return MBSESSION_PASS;
}

enum mbsession
mailbox_pop3_session(struct poller *p)
{
	mailpop3	*pop = mailpop3_new(0, NULL);
	enum mbsession	 r;
	char		**done = NULL;
	size_t		 ndone = 0, i;
	int		 q = MAILPOP3_NO_ERROR;

	mailpop3_set_timeout(pop, p->mb->timeout);
	if ((r = pop3_open(p, pop)) == MBSESSION_PASS)
		r = pop3_round(p, pop, &done, &ndone);
	if (p->logged_in) {
		/* QUIT even when stopping: DELE takes effect only then */
		if ((q = mailpop3_quit(pop)) != MAILPOP3_NO_ERROR &&
		    r == MBSESSION_PASS)
			r = pop3_failed(p, pop, "quit", q);
		for (i = 0; i < ndone; i++) {
			if (r == MBSESSION_PASS || q == MAILPOP3_NO_ERROR)
				poller_finished(p, 0, done[i]);
			free(done[i]);
		}
	}
	free(done);
	mailpop3_free(pop);
	return r;
}
