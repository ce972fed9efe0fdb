/*
 * bounce: see bounce.h.
 *
 * The report is read by mail/dsn; the member is found by the VERP token
 * of the address the report came to (the delivery it names, if that
 * delivery belongs to this list), else by each failed recipient the
 * report names that is a member of the list.  Counting one bounce is one
 * transaction (the bounce row, the new score, the disabling); the
 * notices go after it commits, and a notice that cannot be queued is
 * logged without undoing the count, so a retried message never counts
 * twice.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/bounce.h"
#include "core/reply.h"
#include "core/site.h"
#include "mail/address.h"
#include "mail/dsn.h"
#include "store/bounce.h"
#include "store/db.h"
#include "util/log.h"
#include "util/xmalloc.h"

#define BOUNCE_PERIOD		((int64_t)BOUNCE_HALF_LIFE_DAYS * 24 * 3600)
#define BOUNCE_MAX_HALVINGS	64
#define BOUNCE_SCORE_FLOOR	0.01

/* What one received report is about. */
struct bounce_ctx {
	struct site			*site;
	const struct list_config	*list;
	int64_t				 list_id;
	const struct message		*msg;
	const struct dsn_report		*rep;
	int64_t				 now;
};

/* One failure to count against one address. */
struct bounce_failure {
	const char	*address;
	int64_t		 delivery_id;
	enum dsn_kind	 kind;
	const char	*status;
	const char	*diagnostic;
};

double
bounce_decayed(double score, int64_t updated, int64_t now)
{
	int64_t	periods;

	if (updated <= 0 || now <= updated || score <= 0)
		return score;
	periods = (now - updated) / BOUNCE_PERIOD;
	if (periods >= BOUNCE_MAX_HALVINGS)
		return 0;
	while (periods-- > 0)
		score /= 2;
	return score;
}

static void
bounce_probe(struct bounce_ctx *c, const char *addr)
{
	struct reply	 r;
	char		*subscribe;

	subscribe = site_list_address(c->site->cfg, c->list, "+subscribe");
	memset(&r, 0, sizeof r);
	r.template = "bounce-probe";
	r.list = c->list;
	r.to = addr;
	r.reply_to = subscribe;
	if (reply_send(c->site, &r) == -1)
		log_warnx("bounce: %s: cannot queue the probe to %s",
		    c->list->name, addr);
	else
		log_info("bounce: %s: probe sent to %s", c->list->name, addr);
	free(subscribe);
}

static void
bounce_tell_coordinators(struct bounce_ctx *c, const char *addr,
    double score, const struct bounce_failure *f)
{
	struct template_var	 v[5];
	struct reply		 r;
	char			 sc[32], th[32];

	snprintf(sc, sizeof sc, "%.1f", score);
	snprintf(th, sizeof th, "%.0f", c->list->bounce_threshold);
	v[0] = (struct template_var){ "member", addr };
	v[1] = (struct template_var){ "score", sc };
	v[2] = (struct template_var){ "threshold", th };
	v[3] = (struct template_var){ "status", f->status ? f->status : "" };
	v[4] = (struct template_var){ "diagnostic",
	    f->diagnostic ? f->diagnostic : "" };
	memset(&r, 0, sizeof r);
	r.template = "bounce-disabled";
	r.list = c->list;
	r.to = addr;
	r.vars = v;
	r.nvars = 5;
	r.attach = c->msg;
	if (reply_notify(c->site, &r, c->list->coordinators,
	    c->list->ncoordinators) == -1)
		log_warnx("bounce: %s: cannot queue the notice about %s to the "
		    "coordinators", c->list->name, addr);
	else
		log_info("bounce: %s: coordinators told that delivery to %s "
		    "is disabled", c->list->name, addr);
}

/* The bounce row, the score and maybe the disabling, in one transaction;
 * *disabled_now says whether this bounce crossed the threshold. */
static int
bounce_store(struct bounce_ctx *c, const struct bounce_member *bm,
    const struct bounce_failure *f, double score, int *disabled_now)
{
	sqlite3	*db = c->site->db;

	*disabled_now = bm->disabled == 0 &&
	    score >= c->list->bounce_threshold;
	if (bounce_record(db, c->list_id, bm->address, f->delivery_id,
	    dsn_kind_name(f->kind), f->status, f->diagnostic, c->now) == -1 ||
	    bounce_member_score(db, bm->id, score, c->now) == -1 ||
	    (*disabled_now && bounce_member_disable(db, bm->id, c->now) == -1))
		return -1;
	return 0;
}

/* 1 counted, 0 not a member of the list, -1 error. */
static int
bounce_count_failure(struct bounce_ctx *c, const struct bounce_failure *f)
{
	struct bounce_member	 bm;
	double			 score;
	int			 rc, disabled_now = 0;

	if (db_begin(c->site->db) == -1)
		return -1;
	if ((rc = bounce_member_get(c->site->db, c->list_id, f->address,
	    c->site->cfg->local_part_ci, &bm)) != 0) {
		db_rollback(c->site->db);
		if (rc == 1)
			log_info("bounce: %s: %s is not a member; not counted",
			    c->list->name, f->address);
		return rc == 1 ? 0 : -1;
	}
	score = bounce_decayed(bm.score, bm.updated, c->now) +
	    (f->kind == DSN_HARD ? BOUNCE_HARD_WEIGHT : BOUNCE_SOFT_WEIGHT);
	if (bounce_store(c, &bm, f, score, &disabled_now) == -1 ||
	    db_commit(c->site->db) == -1) {
		db_rollback(c->site->db);
		bounce_member_free(&bm);
		return -1;
	}
	log_info("bounce: %s: %s: %s failure %s, score %.2f -> %.2f of %.0f%s",
	    c->list->name, bm.address, dsn_kind_name(f->kind),
	    f->status && *f->status ? f->status : "(no status)", bm.score,
	    score, c->list->bounce_threshold, bm.disabled ?
	    " (already disabled)" : "");
	if (disabled_now) {
		log_info("bounce: %s: delivery to %s disabled", c->list->name,
		    bm.address);
		bounce_probe(c, bm.address);
		bounce_tell_coordinators(c, bm.address, score, f);
	}
	bounce_member_free(&bm);
	return 1;
}

static void
bounce_failure_of(const struct dsn_recipient *r, struct bounce_failure *f)
{
	f->kind = r->kind;
	f->status = r->status;
	f->diagnostic = r->diagnostic;
}

/* The report's line about the delivery's recipient, or else its first
 * failure; NULL when it names none. */
static const struct dsn_recipient *
bounce_pick(const struct bounce_ctx *c, const char *recipient)
{
	const struct dsn_report	*rep = c->rep;
	size_t			 i;

	for (i = 0; i < rep->nrecipients; i++)
		if (rep->recipients[i].address != NULL &&
		    address_equal(rep->recipients[i].address, recipient,
		    c->site->cfg->local_part_ci))
			return &rep->recipients[i];
	for (i = 0; i < rep->nrecipients; i++)
		if (rep->recipients[i].kind != DSN_NONE)
			return &rep->recipients[i];
	return NULL;
}

/* 1 handled through the token, 0 no usable token, -1 error. */
static int
bounce_by_token(struct bounce_ctx *c, const char *token)
{
	struct bounce_delivery		 d;
	struct bounce_failure		 f;
	const struct dsn_recipient	*r;
	int				 rc;

	if (token[0] == '\0')
		return 0;
	if ((rc = bounce_delivery_by_token(c->site->db, token, &d)) != 0) {
		if (rc == 1)
			log_info("bounce: %s: unknown VERP token %s",
			    c->list->name, token);
		return rc == 1 ? 0 : -1;
	}
	rc = 0;
	if (d.list_id != c->list_id)
		log_info("bounce: %s: token %s belongs to another list",
		    c->list->name, token);
	else if ((r = bounce_pick(c, d.recipient)) != NULL &&
	    r->kind == DSN_NONE) {
		log_info("bounce: %s: %s: %s, nothing counted", c->list->name,
		    d.recipient, r->action == DSN_ACTION_DELAYED ? "delayed" :
		    "not a failure");
		rc = 1;
	} else {
		memset(&f, 0, sizeof f);
		f.kind = c->rep->kind;
		if (r != NULL)
			bounce_failure_of(r, &f);
		f.address = d.recipient;
		f.delivery_id = d.id;
		rc = bounce_count_failure(c, &f) == -1 ? -1 : 1;
	}
	bounce_delivery_free(&d);
	return rc;
}

/* Each failed recipient of the report that is a member; -1 on error. */
static int
bounce_by_recipients(struct bounce_ctx *c)
{
	const struct dsn_recipient	*r;
	struct bounce_failure		 f;
	size_t				 i;
	int				 rc, counted = 0;

	for (i = 0; i < c->rep->nrecipients; i++) {
		r = &c->rep->recipients[i];
		if (r->kind == DSN_NONE || r->address == NULL)
			continue;
		memset(&f, 0, sizeof f);
		bounce_failure_of(r, &f);
		f.address = r->address;
		if ((rc = bounce_count_failure(c, &f)) == -1)
			return -1;
		counted += rc;
	}
	if (counted == 0)
		log_info("bounce: %s: no member of the list in the %s report; "
		    "dropped", c->list->name, c->rep->format ? c->rep->format :
		    "bounce");
	return 0;
}

int
bounce_handle(struct site *s, const struct route *rt,
    const struct message *m, const char *envelope_sender)
{
	struct dsn_report	rep;
	struct bounce_ctx	c;
	int			rc;

	if (rt->list == NULL) {
		log_info("bounce: report from <%s> to no list; dropped",
		    envelope_sender);
		return 0;
	}
	dsn_parse(m->raw, m->raw_len, &rep);
	if (!rep.is_bounce) {
		log_info("bounce: %s: message from <%s> is not a bounce (%s); "
		    "dropped", rt->list->name, envelope_sender, rep.reason);
		dsn_report_free(&rep);
		return 0;
	}
	memset(&c, 0, sizeof c);
	c.site = s;
	c.list = rt->list;
	c.list_id = site_list_id(s, rt->list);
	c.msg = m;
	c.rep = &rep;
	c.now = (int64_t)time(NULL);
	log_info("bounce: %s: %s %s report from <%s>, %zu recipient(s)",
	    c.list->name, dsn_kind_name(rep.kind), rep.format ? rep.format :
	    "?", envelope_sender, rep.nrecipients);
	if (c.list_id <= 0)
		rc = -1;
	else if ((rc = bounce_by_token(&c, rt->token)) == 0)
		rc = bounce_by_recipients(&c);
	dsn_report_free(&rep);
	return rc == -1 ? -1 : 0;
}

/* ---- the periodic decay ---- */

struct bounce_decay {
	int64_t	 id;
	double	 score;
	int64_t	 updated;
};

struct bounce_decay_list {
	struct bounce_decay	*v;
	size_t			 n, cap;
};

static int
bounce_decay_collect(void *arg, const struct bounce_member *bm)
{
	struct bounce_decay_list	*dl = arg;

	if (dl->n == dl->cap) {
		dl->cap = dl->cap ? dl->cap * 2 : 64;
		dl->v = xreallocarray(dl->v, dl->cap, sizeof *dl->v);
	}
	dl->v[dl->n++] = (struct bounce_decay){ bm->id, bm->score,
	    bm->updated };
	return 0;
}

/* 1 changed, 0 nothing to do, -1 error. */
static int
bounce_decay_one(struct site *s, const struct bounce_decay *d, int64_t now)
{
	int64_t	periods;
	double	score;

	if (d->updated <= 0 || now - d->updated < BOUNCE_PERIOD)
		return 0;
	periods = (now - d->updated) / BOUNCE_PERIOD;
	score = bounce_decayed(d->score, d->updated, now);
	if (score < BOUNCE_SCORE_FLOOR)
		score = 0;
	if (bounce_member_score(s->db, d->id, score, d->updated +
	    periods * BOUNCE_PERIOD) == -1)
		return -1;
	return 1;
}

int
bounce_decay_all(struct site *s)
{
	struct bounce_decay_list	 dl;
	int64_t				 now = (int64_t)time(NULL);
	size_t				 i;
	int				 rc = 0, changed = 0;

	memset(&dl, 0, sizeof dl);
	if (db_begin(s->db) == -1)
		return -1;
	if (bounce_member_foreach_scored(s->db, bounce_decay_collect,
	    &dl) == -1)
		rc = -1;
	for (i = 0; rc == 0 && i < dl.n; i++) {
		if ((rc = bounce_decay_one(s, &dl.v[i], now)) == 1)
			changed++;
		rc = rc == -1 ? -1 : 0;
	}
	free(dl.v);
	if (rc == -1 || db_commit(s->db) == -1) {
		db_rollback(s->db);
		return -1;
	}
	if (changed > 0)
		log_info("bounce: scores of %d member(s) decayed", changed);
	return changed;
}

/*
 * A relay refused one recipient of a delivery outright (5xx at RCPT or
 * after DATA): counted as a hard failure, like a report of it.
 */
int
bounce_relay_refused(struct site *s, const struct list_config *l,
    const char *address, int64_t delivery_id, const char *reply)
{
	struct bounce_ctx	c;
	struct bounce_failure	f;
	char			status[16] = "";

	memset(&c, 0, sizeof c);
	c.site = s;
	c.list = l;
	c.now = (int64_t)time(NULL);
	if ((c.list_id = site_list_id(s, l)) == -1)
		return -1;
	/* "550 5.1.1 <a@b>: ..." -> "5.1.1" */
	if (reply != NULL && strlen(reply) > 4 && reply[4] >= '2' &&
	    reply[4] <= '5' && reply[5] == '.')
		snprintf(status, sizeof status, "%.*s",
		    (int)strcspn(reply + 4, " "), reply + 4);
	memset(&f, 0, sizeof f);
	f.address = address;
	f.delivery_id = delivery_id;
	f.kind = DSN_HARD;
	f.status = status;
	f.diagnostic = reply;
	return bounce_count_failure(&c, &f) == -1 ? -1 : 0;
}
