/*
 * mailbox-imap: one IMAP session of a poller (see mailbox.h, fetch.h).
 *
 * Connect (implicit TLS, STARTTLS or, on loopback, none; certificate
 * verified before LOGIN), select the folder, note UIDVALIDITY, then
 * repeatedly: take every undeleted message (UID SEARCH, then for each
 * one not recorded yet a bounded UID FETCH of BODY.PEEK[] so nothing is
 * marked read before the spool has it), and finish each on the server:
 * \Seen, then MOVE to the processed folder (COPY, \Deleted and UID
 * EXPUNGE where MOVE is missing) or \Deleted and expunge.  Between
 * rounds it waits in IDLE when the server offers it, re-issued every
 * idle_timeout seconds, or polls every poll_interval seconds.
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

struct imap_state {
	struct poller	*p;
	mailimap	*imap;
	int64_t		 uidvalidity;
	int		 has_move;
	int		 has_uidplus;
	int		 has_idle;
	int		 rerounds;	/* rounds in a row without IDLE */
};

static const char *
imap_said(const struct imap_state *s)
{
	const char	*r = s->imap->imap_response;

	return r != NULL && *r != '\0' ? r : "no reason given";
}

static enum mbsession
imap_failed(struct imap_state *s, const char *what, int r)
{
	if (r == MAILIMAP_ERROR_STREAM || r == MAILIMAP_ERROR_PARSE)
		poller_fail(s->p, "%s: connection to %s:%d lost", what,
		    s->p->mb->host, s->p->mb->port);
	else
		poller_fail(s->p, "%s: %s", what, imap_said(s));
	return poller_stopping(s->p) ? MBSESSION_STOPPED : MBSESSION_FAILED;
}

static void
imap_capabilities(struct imap_state *s)
{
	struct mailimap_capability_data	*caps = NULL;

	if (mailimap_capability(s->imap, &caps) == MAILIMAP_NO_ERROR &&
	    caps != NULL)
		mailimap_capability_data_free(caps);
	s->has_move = mailimap_has_extension(s->imap, "MOVE");
	s->has_uidplus = mailimap_has_extension(s->imap, "UIDPLUS");
	s->has_idle = mailimap_has_idle(s->imap);
}

static enum mbsession
imap_open(struct imap_state *s)
{
	struct poller	*p = s->p;
	mailstream	*stream;
	int		 r;

	if ((stream = poller_connect(p)) == NULL)
		return MBSESSION_FAILED;
	r = mailimap_connect(s->imap, stream);
	if (r != MAILIMAP_NO_ERROR_AUTHENTICATED &&
	    r != MAILIMAP_NO_ERROR_NON_AUTHENTICATED)
		return imap_failed(s, "no IMAP greeting", r);
	if (p->mb->tls == MBCONFIG_TLS_STARTTLS) {
		if ((r = mailimap_socket_starttls_with_callback(s->imap,
		    tlscheck_prepare, p->mb->host)) != MAILIMAP_NO_ERROR)
			return imap_failed(s, "STARTTLS refused", r);
		if (poller_verify(p, s->imap->imap_stream) == -1)
			return MBSESSION_FAILED;
	}
	if ((r = mailimap_login(s->imap, p->mb->user, p->mb->password)) !=
	    MAILIMAP_NO_ERROR) {
		if (r == MAILIMAP_ERROR_STREAM)
			return imap_failed(s, "login", r);
		poller_fail(p, "login as %s refused: %s", p->mb->user,
		    imap_said(s));
		return MBSESSION_FAILED;
	}
	poller_logged_in(p);
	imap_capabilities(s);
	return MBSESSION_PASS;
}

static enum mbsession
imap_select(struct imap_state *s)
{
	struct poller	*p = s->p;
	int		 r, n;

	if (p->mb->processed != NULL)
		(void)mailimap_create(s->imap, p->mb->processed_imap);
	if ((r = mailimap_select(s->imap, p->mb->folder_imap)) !=
	    MAILIMAP_NO_ERROR) {
		if (r == MAILIMAP_ERROR_STREAM)
			return imap_failed(s, "select", r);
		poller_fail(p, "cannot select folder %s: %s", p->mb->folder,
		    imap_said(s));
		return MBSESSION_FAILED;
	}
	s->uidvalidity = s->imap->imap_selection_info->sel_uidvalidity;
	if ((n = fetched_forget_uidvalidity(p->fetch.db, p->mb->name,
	    s->uidvalidity)) > 0)
		log_warnx("mailbox %s: folder %s has a new UIDVALIDITY %lld; "
		    "%d messages taken before are now told by Message-ID",
		    p->name, p->mb->folder, (long long)s->uidvalidity, n);
	return MBSESSION_PASS;
}

static struct mailimap_flag_list *
imap_flags(int deleted)
{
	struct mailimap_flag_list	*fl = mailimap_flag_list_new_empty();

	mailimap_flag_list_add(fl, mailimap_flag_new_seen());
	if (deleted)
		mailimap_flag_list_add(fl, mailimap_flag_new_deleted());
	return fl;
}

static int
imap_store(struct imap_state *s, uint32_t uid, int deleted)
{
	struct mailimap_set		*set = mailimap_set_new_single(uid);
	struct mailimap_store_att_flags	*att;
	int				 r;

	att = mailimap_store_att_flags_new_add_flags_silent(imap_flags(
	    deleted));
	r = mailimap_uid_store(s->imap, set, att);
	mailimap_store_att_flags_free(att);
	mailimap_set_free(set);
	return r;
}

static int
imap_expunge(struct imap_state *s, uint32_t uid)
{
	struct mailimap_set	*set;
	int			 r;

	if (!s->has_uidplus)
		return mailimap_expunge(s->imap);
	set = mailimap_set_new_single(uid);
	r = mailimap_uid_expunge(s->imap, set);
	mailimap_set_free(set);
	return r;
}

/* \Seen, then moved to the processed folder or deleted. */
static int
imap_finish(struct imap_state *s, uint32_t uid)
{
	struct mailimap_set	*set;
	const char		*dst = s->p->mb->processed_imap;
	int			 r;

	if ((r = imap_store(s, uid, dst == NULL)) != MAILIMAP_NO_ERROR)
		return r;
	if (dst == NULL)
		return imap_expunge(s, uid);
	set = mailimap_set_new_single(uid);
	if (s->has_move)
		r = mailimap_uid_move(s->imap, set, dst);
	else if ((r = mailimap_uid_copy(s->imap, set, dst)) ==
	    MAILIMAP_NO_ERROR && (r = imap_store(s, uid, 1)) ==
	    MAILIMAP_NO_ERROR)
		r = imap_expunge(s, uid);
	mailimap_set_free(set);
	return r;
}

/* The body of one message, at most max + 1 bytes of it. */
static int
imap_body(struct imap_state *s, uint32_t uid, size_t max, char **data,
    size_t *len)
{
	struct mailimap_set		*set = mailimap_set_new_single(uid);
	struct mailimap_fetch_type	*ft;
	struct mailimap_msg_att_item	*item;
	clist				*res = NULL;
	clistiter			*it, *jt;
	int				 r;

	*data = NULL;
	ft = mailimap_fetch_type_new_fetch_att_list_empty();
	mailimap_fetch_type_new_fetch_att_list_add(ft,
	    mailimap_fetch_att_new_body_peek_section_partial(
	    mailimap_section_new(NULL), 0, (uint32_t)(max + 1)));
	r = mailimap_uid_fetch(s->imap, set, ft, &res);
	mailimap_fetch_type_free(ft);
	mailimap_set_free(set);
	if (r != MAILIMAP_NO_ERROR)
		return r;
	for (it = clist_begin(res); it != NULL; it = clist_next(it))
		for (jt = clist_begin(((struct mailimap_msg_att *)
		    clist_content(it))->att_list); jt != NULL;
		    jt = clist_next(jt)) {
			item = clist_content(jt);
			if (*data != NULL || item->att_type !=
			    MAILIMAP_MSG_ATT_ITEM_STATIC || item->att_data.
			    att_static->att_type !=
			    MAILIMAP_MSG_ATT_BODY_SECTION ||
			    item->att_data.att_static->att_data.
			    att_body_section->sec_body_part == NULL)
				continue;
			*len = item->att_data.att_static->att_data.
			    att_body_section->sec_length;
			*data = xmalloc(*len + 1);
			memcpy(*data, item->att_data.att_static->att_data.
			    att_body_section->sec_body_part, *len);
		}
	mailimap_fetch_list_free(res);
	return *data == NULL ? MAILIMAP_ERROR_FETCH : MAILIMAP_NO_ERROR;
}

/* Take one message into the spool; -1 to stop this round. */
static int
imap_take(struct imap_state *s, uint32_t uid, const char *uidstr)
{
	struct poller		*p = s->p;
	enum fetch_result	 fr;
	char			*data;
	size_t			 len, max = p->cfg->max_message_size;
	int			 r;

	if ((r = imap_body(s, uid, max, &data, &len)) != MAILIMAP_NO_ERROR) {
		if (r == MAILIMAP_ERROR_FETCH)
			log_debug("mailbox %s: message %s went away",
			    p->name, uidstr);
		else
			imap_failed(s, "fetch", r);
		return r == MAILIMAP_ERROR_FETCH ? 0 : -1;
	}
	fr = len > max ? fetch_too_large(&p->fetch, s->uidvalidity, uidstr,
	    len) : fetch_take(&p->fetch, s->uidvalidity, uidstr, data, len);
	free(data);
	if (fr == FETCH_TEMP) {
		poller_fail(p, "cannot keep message %s (spool or database); "
		    "it stays on the server", uidstr);
		return -1;
	}
	if (fr == FETCH_SET_ASIDE && p->mb->processed == NULL) {
		/* where processed mail is deleted, it stays, read */
		(void)imap_store(s, uid, 0);
		poller_finished(p, s->uidvalidity, uidstr);
		return 1;
	}
	return 0;
}

static int
imap_one(struct imap_state *s, uint32_t uid)
{
	struct poller	*p = s->p;
	char		 uidstr[16];
	int		 st, r;

	snprintf(uidstr, sizeof uidstr, "%u", uid);
	if ((st = fetch_state(&p->fetch, s->uidvalidity, uidstr)) == -1) {
		poller_fail(p, "database unavailable");
		return -1;
	}
	if (st == FETCHED_DONE)
		return 0;
	if (st == FETCHED_NONE && (r = imap_take(s, uid, uidstr)) != 0)
		return r == 1 ? 0 : -1;
	if ((r = imap_finish(s, uid)) != MAILIMAP_NO_ERROR) {
		imap_failed(s, "moving a processed message", r);
		return -1;
	}
	poller_finished(p, s->uidvalidity, uidstr);
	return 0;
}

/* Every undeleted message of the folder, in UID order. */
static enum mbsession
imap_round(struct imap_state *s)
{
	struct mailimap_search_key	*key;
	clist				*uids = NULL;
	clistiter			*it;
	int				 r, rc = 0;

	/* an EXISTS from here on means mail this search may not see */
	s->imap->imap_selection_info->sel_has_exists = 0;
	key = mailimap_search_key_new(MAILIMAP_SEARCH_KEY_UNDELETED, NULL,
	    NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
	    NULL, NULL, 0, NULL, NULL, NULL, NULL, NULL, NULL, 0, NULL, NULL,
	    NULL);
	r = mailimap_uid_search(s->imap, NULL, key, &uids);
	mailimap_search_key_free(key);
	if (r != MAILIMAP_NO_ERROR)
		return imap_failed(s, "search", r);
	for (it = clist_begin(uids); it != NULL && rc == 0 &&
	    !poller_stopping(s->p); it = clist_next(it))
		rc = imap_one(s, *(uint32_t *)clist_content(it));
	mailimap_search_result_free(uids);
	if (poller_stopping(s->p))
		return MBSESSION_STOPPED;
	return rc == 0 ? MBSESSION_PASS : MBSESSION_FAILED;
}

/* Wait for news: IDLE until the server speaks or idle_timeout. */
static enum mbsession
imap_wait(struct imap_state *s)
{
	int	r, w;

	if (!s->has_idle) {
		if (poller_sleep(s->p, s->p->mb->poll_interval))
			return MBSESSION_STOPPED;
		r = mailimap_noop(s->imap);
		return r == MAILIMAP_NO_ERROR ? MBSESSION_PASS :
		    imap_failed(s, "noop", r);
	}
	/* Mail that came during the round was announced in the answer to
	 * a STORE or MOVE, and IDLE would not announce it again. */
	if (s->imap->imap_selection_info->sel_has_exists &&
	    s->rerounds++ == 0)
		return MBSESSION_PASS;
	s->rerounds = 0;
	if ((r = mailimap_idle(s->imap)) != MAILIMAP_NO_ERROR)
		return imap_failed(s, "idle", r);
	/* already announced with the continuation, or already read */
	if (s->imap->imap_selection_info->sel_has_exists ||
	    s->imap->imap_stream->read_buffer_len > 0)
		w = 1;
	else
		w = poller_wait_fd(s->p, mailimap_idle_get_fd(s->imap),
		    s->p->mb->idle_timeout);
	r = mailimap_idle_done(s->imap);
	if (w == -1)
		return MBSESSION_STOPPED;
	return r == MAILIMAP_NO_ERROR ? MBSESSION_PASS :
	    imap_failed(s, "idle", r);
}

/* With METODIST_IMAP_TRACE set, the dialogue goes to the debug log
 * (never the password: libetpan marks it private). */
static void
imap_trace(mailimap *session, int type, const char *data, size_t len,
    void *arg)
{
	struct poller	*p = arg;
	char		 line[200];
	size_t		 i, n = len < sizeof line - 1 ? len : sizeof line - 1;

	if (type != MAILSTREAM_LOG_TYPE_DATA_RECEIVED &&
	    type != MAILSTREAM_LOG_TYPE_DATA_SENT)
		return;
	for (i = 0; i < n; i++)
		line[i] = (data[i] >= 0x20 && data[i] < 0x7f) ? data[i] : '.';
	line[n] = '\0';
	log_debug("mailbox %s: %s %s", p->name,
	    type == MAILSTREAM_LOG_TYPE_DATA_SENT ? "C:" : "S:", line);
}

enum mbsession
mailbox_imap_session(struct poller *p)
{
	struct imap_state	s;
	enum mbsession		r;

	memset(&s, 0, sizeof s);
	s.p = p;
	s.imap = mailimap_new(0, NULL);
	mailimap_set_timeout(s.imap, p->mb->timeout);
	if (getenv("METODIST_IMAP_TRACE") != NULL)
		mailimap_set_logger(s.imap, imap_trace, p);
	if ((r = imap_open(&s)) == MBSESSION_PASS &&
	    (r = imap_select(&s)) == MBSESSION_PASS) {
		log_debug("mailbox %s: folder %s selected, %s", p->name,
		    p->mb->folder, s.has_idle ? "IDLE" : "polling");
		while ((r = imap_round(&s)) == MBSESSION_PASS &&
		    (r = imap_wait(&s)) == MBSESSION_PASS)
			;
	}
	if (p->logged_in && r == MBSESSION_STOPPED)
		(void)mailimap_logout(s.imap);
	mailimap_free(s.imap);
	return r;
}
