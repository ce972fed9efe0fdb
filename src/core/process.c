/*
 * process: see process.h.
 */
#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "core/bounce.h"
#include "core/event.h"
#include "core/loop.h"
#include "core/moderate.h"
#include "core/msglimit.h"
#include "core/policy.h"
#include "core/post.h"
#include "core/process.h"
#include "core/rate.h"
#include "core/reply.h"
#include "core/request.h"
#include "core/review.h"
#include "core/route.h"
#include "core/site.h"
#include "core/submit.h"
#include "io/spool.h"
#include "mail/address.h"
#include "mail/message.h"
#include "store/db.h"
#include "store/member.h"
#include "store/queue.h"
#include "util/log.h"
#include "util/xmalloc.h"

/* What the handlers need about the message at hand. */
struct process_msg {
	struct site			*site;
	const struct spool_entry	*entry;
	struct message			*msg;
	struct route			 route;
	char				*author;	/* normalised From */
};

static int
process_record(struct site *s, const char *id, const char *outcome)
{
	return db_exec(s->db, "INSERT OR REPLACE INTO processed (spool_id, "
	    "outcome, at) VALUES (?1, ?2, ?3)", "tti", id, outcome,
	    (int64_t)time(NULL));
}

static void
process_size_text(uint64_t n, char *out, size_t sz)
{
	if (n >= 1024 * 1024)
		snprintf(out, sz, "%.1f МБ", (double)n / (1024.0 * 1024.0));
	else
		snprintf(out, sz, "%.0f КБ", (double)n / 1024.0);
}

static int
process_refuse(struct process_msg *p, enum policy_verdict v, uint64_t limit)
{
	struct template_var	 vars[2];
	struct reply		 r;
	char			 size[32], lim[32];

	memset(&r, 0, sizeof r);
	r.list = p->route.list;
	r.to = p->entry->sender;
	r.orig = p->msg;
	switch (v) {
	case VERDICT_REFUSE_SIZE:
		process_size_text(p->msg->raw_len, size, sizeof size);
		process_size_text(limit, lim, sizeof lim);
		vars[0] = (struct template_var){ "size", size };
		vars[1] = (struct template_var){ "limit", lim };
		r.vars = vars;
		r.nvars = 2;
		r.template = "refuse-size";
		break;
	case VERDICT_REFUSE_ANNOUNCE:
	case VERDICT_REFUSE_UNAUTHENTICATED:
		r.template = "refuse-announce";
		break;
	default:
		r.template = "refuse-nonmember";
		break;
	}
	log_info("process: %s refused for %s: %s", p->route.list->name,
	    p->author ? p->author : "?",
	    policy_verdict_name(v));
	return reply_send(p->site, &r) == -1 ? -1 : 0;
}

static int
process_post(struct process_msg *p)
{
	const struct list_config	*l = p->route.list;
	struct site			*s = p->site;
	struct policy_input		 in;
	enum policy_verdict		 v;
	int				 member;
	char				 reason[160];

	memset(&in, 0, sizeof in);
	member = p->author ? member_is(s->db, site_list_id(s, l), p->author,
	    s->cfg->local_part_ci) : 0;
	if (member == -1)
		return -1;
	in.policy = l->policy;
	in.is_member = member;
	in.is_coordinator = p->author != NULL &&
	    config_is_coordinator(s->cfg, l, p->author);
	in.require_auth = l->require_auth;
	in.authenticated = l->require_auth &&
	    policy_authenticated(p->msg, s->cfg->domain);
	in.size = p->msg->raw_len;
	in.max_size = l->max_message_size ? l->max_message_size :
	    s->cfg->max_message_size;
	switch ((v = policy_decide(&in))) {
	case VERDICT_ACCEPT:
		/* A copy delivered again is dropped before it is counted. */
		switch (post_duplicate(s, l, p->msg, p->entry->id)) {
		case 1:
			return 0;
		case -1:
			return -1;
		}
		switch (rate_post(s, l, p->author, time(NULL), reason,
		    sizeof reason)) {
		case -1:
			return -1;
		case 0:
			log_info("process: %s: post from %s held: %s", l->name,
			    p->author ? p->author : "?", reason);
			return moderate_hold(s, l, p->msg, p->entry->sender,
			    reason);
		}
		switch (post_distribute(s, l, p->msg, p->entry->id)) {
		case POST_SENT:
			return 1;	/* recorded with the post */
		case POST_DUPLICATE:
			return 0;
		default:
			return -1;
		}
	case VERDICT_HOLD:
		return moderate_hold(s, l, p->msg, p->entry->sender,
		    "moderated list");
	default:
		return process_refuse(p, v, in.max_size);
	}
}

/* L-owner: the message goes on to the list's coordinators as it is. */
static int
process_owner(struct process_msg *p)
{
	const struct list_config	*l = p->route.list;
	struct site			*s = p->site;
	char				 name[96], *path;
	int64_t				 oid;
	size_t				 i;

	snprintf(name, sizeof name, "owner-%s.eml", p->entry->id);
	if ((path = site_store_file(s, s->queue_dir, name, p->msg->raw,
	    p->msg->raw_len)) == NULL)
		return -1;
	oid = queue_outbound(s->db, "notice", site_list_id(s, l), 0, path,
	    p->entry->sender);
	free(path);
	for (i = 0; oid != -1 && i < l->ncoordinators; i++)
		if (queue_add_recipient(s->db, oid, l->coordinators[i]) == -1)
			oid = -1;
	return oid == -1 ? -1 : 0;
}

/* A report from a mailer daemon: to the list's VERP address, or a DSN
 * that came back to the list address itself. */
static int
process_is_bounce(const struct process_msg *p)
{
	const char	*snd = p->entry->sender;

	if (p->route.action == ROUTE_BOUNCES)
		return 1;
	return p->route.action == ROUTE_POST && (*snd == '\0' ||
	    strncasecmp(snd, "mailer-daemon", 13) == 0);
}

static int
process_dispatch(struct process_msg *p)
{
	const char	*loop;

	if (process_is_bounce(p))
		return bounce_handle(p->site, &p->route, p->msg,
		    p->entry->sender);
	if ((loop = loop_reason(p->site->cfg, p->msg, p->entry->sender)) !=
	    NULL) {
		log_info("process: dropped: %s (from %s to %s)", loop,
		    p->entry->sender, p->entry->recipient);
		return 0;
	}
	switch (p->route.action) {
	case ROUTE_POST:
		return process_post(p);
	case ROUTE_OWNER:
		return process_owner(p);
	case ROUTE_REQUEST:
	case ROUTE_SUBSCRIBE:
	case ROUTE_UNSUBSCRIBE:
	case ROUTE_HELP:
	case ROUTE_DIGEST:
	case ROUTE_CONFIRM:
	case ROUTE_SITE:
		return request_handle(p->site, &p->route, p->msg,
		    p->entry->sender);
	case ROUTE_MOD:
		return moderate_reply(p->site, &p->route, p->msg,
		    p->entry->sender);
	case ROUTE_SUBMIT:
		return submit_handle(p->site, &p->route, p->msg,
		    p->entry->sender);
	case ROUTE_REVIEW:
		return review_reply(p->site, &p->route, p->msg,
		    p->entry->sender);
	case ROUTE_EVENT:
		return event_handle(p->site, &p->route, p->msg,
		    p->entry->sender);
	case ROUTE_BOUNCES:	/* taken as a bounce above */
	case ROUTE_NONE:	/* never routed here */
		break;
	}
	log_warnx("process: %s to %s has no handler; dropped",
	    route_action_name(p->route.action), p->entry->recipient);
	return 0;
}

static enum process_result
process_loaded(struct site *s, const struct spool_entry *e)
{
	struct process_msg	 p;
	int			 rc;

	memset(&p, 0, sizeof p);
	p.site = s;
	p.entry = e;
	if (route_address(s->cfg, e->recipient, &p.route) == -1) {
		log_warnx("process: %s: %s; dropped", e->recipient,
		    p.route.reason);
		return process_record(s, e->id, "unrouted") == -1 ?
		    PROCESS_TEMP : PROCESS_DONE;
	}
	p.msg = message_parse(e->message, e->message_len);
	p.author = p.msg->from_addr ? address_normalize(p.msg->from_addr) :
	    NULL;
	rc = process_dispatch(&p);
	/* rc 1: the handler recorded the outcome in its own transaction. */
	if (rc == 0 && process_record(s, e->id,
	    route_action_name(p.route.action)) == -1)
		rc = -1;
	free(p.author);
	message_free(p.msg);
	return rc == -1 ? PROCESS_TEMP : PROCESS_DONE;
}

static enum process_result process_claimed(struct site *, const char *,
		    const char *);

/*
 * A message over a bound of [limits] that reached the spool without the
 * ingress check (a hosted mailbox, or bounds lowered since): set aside in
 * bad/ whole, like one larger than the site accepts, with a log line
 * naming the bound.  1 over, 0 within.
 */
static int
process_over_limits(struct site *s, const struct spool_entry *e)
{
	struct msglimit_verdict	v;

	if (!msglimit_check(s->cfg, e->message, e->message_len, &v))
		return 0;
	log_warnx("process: from <%s> to %s: %s %zu over %zu; set aside in "
	    "the spool's bad/", e->sender, e->recipient, v.key, v.found,
	    v.limit);
	return 1;
}

enum process_result
process_spool_entry(struct site *s, const char *id)
{
	enum process_result	 r;
	const char		*dir = s->cfg->spool_dir;
	int			 rc;

	if ((rc = spool_claim(dir, id)) != 0)
		return rc == 1 ? PROCESS_GONE : PROCESS_TEMP;
	log_set_id(id);
	r = process_claimed(s, dir, id);
	log_set_id(NULL);
	return r;
}

static enum process_result
process_claimed(struct site *s, const char *dir, const char *id)
{
	struct spool_entry	 e;
	enum process_result	 r;

	if (spool_load(dir, id, s->cfg->max_message_size, &e) == -1) {
		if (errno == EFBIG || errno == EINVAL) {
			log_warnx("process: %s; set aside in the spool's "
			    "bad/", errno == EFBIG ? "larger than the "
			    "site accepts" : "damaged envelope");
			spool_set_aside(dir, id);
			return PROCESS_DONE;
		}
		log_warn("process: cannot load");
		spool_release(dir, id);
		return PROCESS_TEMP;
	}
	if (process_over_limits(s, &e)) {
		spool_entry_free(&e);
		spool_set_aside(dir, id);
		return PROCESS_DONE;
	}
	switch (db_int(s->db, 0, "SELECT count(*) FROM processed WHERE "
	    "spool_id = ?1", "t", id)) {
	case -1:
		r = PROCESS_TEMP;
		break;
	case 0:
		r = process_loaded(s, &e);
		break;
	default:
		r = PROCESS_DONE;
	}
	spool_entry_free(&e);
	if (r == PROCESS_DONE && spool_done(dir, id) == -1)
		log_warn("process: cannot remove from spool");
	if (r == PROCESS_TEMP && spool_release(dir, id) == -1)
		log_warn("process: cannot put back");
	return r;
}

int
process_spool(struct site *s)
{
	char	**ids;
	size_t	  n, i;
	int	  done = 0;

	if (spool_pending(s->cfg->spool_dir, &ids, &n) == -1)
		return -1;
	for (i = 0; i < n; i++)
		if (process_spool_entry(s, ids[i]) == PROCESS_DONE)
			done++;
	spool_ids_free(ids, n);
	return done;
}
