/*
 * outq: see outq.h.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/bounce.h"
#include "core/outq.h"
#include "core/pace.h"
#include "core/reply.h"
#include "core/site.h"
#include "io/egress.h"
#include "store/db.h"
#include "store/queue.h"
#include "store/sentlog.h"
#include "util/atomicfile.h"
#include "util/log.h"
#include "util/xmalloc.h"

#define OUTQ_LEASE		600
#define OUTQ_CHUNK		1000	/* deliveries in memory at once */
#define OUTQ_MESSAGE_MAX	((size_t)256 * 1024 * 1024)

/* The last message file read, kept while consecutive deliveries share it. */
struct outq_cache {
	char	*path;
	char	*data;
	size_t	 len;
};

static int
outq_load(struct outq_cache *c, const char *path)
{
	if (c->path != NULL && strcmp(c->path, path) == 0)
		return 0;
	free(c->path);
	free(c->data);
	c->path = NULL;
	if ((c->data = atomicfile_read(path, OUTQ_MESSAGE_MAX, &c->len)) ==
	    NULL)
		return -1;
	c->path = xstrdup(path);
	return 0;
}

/*
 * The envelope sender of a copy: per recipient (VERP) by default; in
 * batched mode one for the whole post, so that many RCPTs share one
 * transaction (bounces are then told apart by the reports' recipients).
 */
static char *
outq_envelope(const struct site *s, const struct delivery *d)
{
	if (d->envelope_from[0] == '\0' || d->list[0] == '\0')
		return xstrdup(d->envelope_from);
	if (s->cfg->relay_batch)
		return xasprintf("%s%cbounces@%s", d->list, s->cfg->delimiter,
		    s->cfg->bounce_domain);
	return xasprintf("%s%cbounces-%s@%s", d->list, s->cfg->delimiter,
	    d->token, s->cfg->bounce_domain);
}

static time_t
outq_backoff(int attempts)
{
	time_t	delay = 60;

	while (attempts-- > 0 && delay < 4 * 3600)
		delay *= 2;
	return delay > 4 * 3600 ? 4 * 3600 : delay;
}

/*
 * A delivery that kept failing for retry_days fails for good; the list's
 * coordinators hear of it once per post, with the first such recipient.
 */
static int
outq_expire(struct site *s, const struct delivery *d, const char *err)
{
	const struct list_config	*l;
	struct template_var		 v[3];
	struct reply			 r;
	char				*why, days[16];
	int64_t				 before;

	log_warnx("outq: delivery %lld to %s expired: %s", (long long)d->id,
	    d->recipient, err);
	why = xasprintf("expired: %s", err);
	before = db_int(s->db, 0, "SELECT count(*) FROM deliveries WHERE "
	    "outbound_id = ?1 AND state = 'failed' AND last_error LIKE "
	    "'expired:%'", "i", d->outbound_id);
	if (queue_mark_failed(s->db, d->id, why) == -1) {
		free(why);
		return -1;
	}
	free(why);
	if (before != 0 || (l = config_list(s->cfg, d->list)) == NULL)
		return 0;
	snprintf(days, sizeof days, "%d", s->cfg->retry_days);
	v[0] = (struct template_var){ "recipient", d->recipient };
	v[1] = (struct template_var){ "error", err };
	v[2] = (struct template_var){ "days", days };
	memset(&r, 0, sizeof r);
	r.template = "delivery-expired";
	r.list = l;
	r.to = d->recipient;
	r.vars = v;
	r.nvars = 3;
	return reply_notify(s, &r, l->coordinators, l->ncoordinators) == -1 ?
	    -1 : 0;
}

/* A final refusal: recorded, and a post's counted for bounce handling. */
static int
outq_refused(struct site *s, const struct delivery *d, const char *err)
{
	const struct list_config	*l;

	log_warnx("outq: delivery %lld to %s failed: %s", (long long)d->id,
	    d->recipient, err);
	if (queue_mark_failed(s->db, d->id, err) == -1)
		return -1;
	if (d->list[0] == '\0' || d->envelope_from[0] == '\0' ||
	    (l = config_list(s->cfg, d->list)) == NULL)
		return 0;
	return bounce_relay_refused(s, l, d->recipient, d->id, err);
}

/*
 * A copy the transport took is recorded as sent, trying twice: a copy
 * left unrecorded is sent again when its lease runs out, and a relay
 * would then hand the member a second one.
 */
static int
outq_mark_sent(struct site *s, const struct delivery *d)
{
	if (queue_mark_sent(s->db, d->id) == 0)
		return 0;
	db_rollback(s->db);	/* an error may leave a transaction open */
	if (queue_mark_sent(s->db, d->id) == 0)
		return 0;
	log_warnx("outq: delivery %lld to %s was sent but cannot be "
	    "recorded; it may go out again", (long long)d->id, d->recipient);
	return -1;
}

static int
outq_record(struct site *s, const struct delivery *d, enum egress_result r,
    const char *err)
{
	time_t	now = time(NULL);

	if (r == EGRESS_OK)
		return outq_mark_sent(s, d);
	if (r == EGRESS_PERM)
		return outq_refused(s, d, err);
	if (now - d->created > (time_t)s->cfg->retry_days * 24 * 3600)
		return outq_expire(s, d, err);
	log_info("outq: delivery %lld to %s deferred: %s", (long long)d->id,
	    d->recipient, err);
	return queue_mark_deferred(s->db, d->id, now + outq_backoff(d->attempts),
	    err);
}

static int
outq_send_one(struct site *s, struct outq_cache *c, const struct delivery *d)
{
	struct egress_msg	 msg;
	enum egress_result	 r;
	char			 err[256] = "", *env;
	int			 rc;

	switch (queue_claim(s->db, d->id, time(NULL), OUTQ_LEASE)) {
	case 0:
		return 0;	/* another runner has it */
	case -1:
		return -1;
	}
	if (outq_load(c, d->path) == -1) {
		log_warn("outq: %s", d->path);
		return outq_record(s, d, EGRESS_TEMP, "message file unreadable");
	}
	env = outq_envelope(s, d);
	msg.id = d->token;
	msg.envelope_from = env;
	msg.recipient = d->recipient;
	msg.data = c->data;
	msg.len = c->len;
	r = s->egress->ops->send(s->egress, &msg, err, sizeof err);
	free(env);
	rc = outq_record(s, d, r, err);
	return rc == -1 ? -1 : r == EGRESS_OK;
}

/* One at a time, for transports without send_many (the maildir). */
static int
outq_send_each(struct site *s, struct delivery *v, size_t n)
{
	struct outq_cache	c = { NULL, NULL, 0 };
	size_t			i;
	int			sent = 0, rc = 0;

	for (i = 0; i < n && rc != -1; i++) {
		rc = outq_send_one(s, &c, &v[i]);
		if (rc > 0)
			sent++;
	}
	free(c.path);
	free(c.data);
	return rc == -1 ? -1 : sent;
}

/* The message files of one batch, each read once. */
struct outq_files {
	struct outq_cache	*v;
	size_t			 n;
};

static const struct outq_cache *
outq_files_get(struct outq_files *f, const char *path)
{
	size_t	i;

	for (i = 0; i < f->n; i++)
		if (strcmp(f->v[i].path, path) == 0)
			return &f->v[i];
	f->v = xreallocarray(f->v, f->n + 1, sizeof *f->v);
	memset(&f->v[f->n], 0, sizeof f->v[f->n]);
	if (outq_load(&f->v[f->n], path) == -1)
		return NULL;
	return &f->v[f->n++];
}

static void
outq_files_free(struct outq_files *f)
{
	size_t	i;

	for (i = 0; i < f->n; i++) {
		free(f->v[i].path);
		free(f->v[i].data);
	}
	free(f->v);
}

struct outq_batch {
	struct site		*site;
	struct sentlog		*log;		/* NULL: straight to the db */
	struct delivery		**claimed;	/* parallel to msgs */
	struct egress_msg	*msgs;
	size_t			 n;
	int64_t			*acked;		/* accepted since the flush */
	size_t			*ackedi;	/* and their places in msgs */
	size_t			 nacked;
	int			 sent;
	int			 dberror;
};

/*
 * Record the deliveries the relay accepted since the last flush: in the
 * runner's sent log, one write.  Without a log, or when it cannot be
 * written, in one database transaction; and when that fails, each one
 * again on its own, so that no copy the relay took goes out twice.
 */
static void
outq_batch_flush(struct outq_batch *b)
{
	size_t	k;

	if (b->nacked == 0)
		return;
	if ((b->log == NULL || sentlog_add(b->log, b->acked, b->nacked) ==
	    -1) && queue_mark_sent_many(b->site->db, b->acked, b->nacked) ==
	    -1)
		for (k = 0; k < b->nacked; k++)
			if (outq_mark_sent(b->site, b->claimed[b->ackedi[k]]) ==
			    -1)
				b->dberror = 1;
	b->nacked = 0;
}

/*
 * The acceptances of one relay transaction are recorded together, at
 * the transport's flush, before it talks to the relay again: as durable
 * as a commit per recipient, for one write per transaction.
 */
static void
outq_batch_done(void *arg, size_t i, enum egress_result r, const char *err)
{
	struct outq_batch	*b = arg;

	if (i == EGRESS_DONE_FLUSH) {
		outq_batch_flush(b);
		return;
	}
	if (i >= b->n)
		return;
	if (r != EGRESS_OK) {
		/* rare, and may queue a notice in a transaction of its own */
		if (outq_record(b->site, b->claimed[i], r, err) == -1)
			b->dberror = 1;
		return;
	}
	b->ackedi[b->nacked] = i;
	b->acked[b->nacked++] = b->claimed[i]->id;
	b->sent++;
}

/* Claim the due deliveries in one transaction; fill the batch. */
static int
outq_batch_claim(struct site *s, struct delivery *v, size_t n,
    struct outq_files *f, struct outq_batch *b)
{
	const struct outq_cache	*c;
	time_t			 now = time(NULL);
	size_t			 i;

	if (db_begin(s->db) == -1)
		return -1;
	for (i = 0; i < n; i++) {
		switch (queue_claim(s->db, v[i].id, now, OUTQ_LEASE)) {
		case -1:
			db_rollback(s->db);
			return -1;
		case 0:
			continue;
		}
		if ((c = outq_files_get(f, v[i].path)) == NULL) {
			log_warn("outq: %s", v[i].path);
			continue;	/* the lease runs out; retried then */
		}
		b->claimed[b->n] = &v[i];
		b->msgs[b->n].id = v[i].token;
		b->msgs[b->n].envelope_from = outq_envelope(s, &v[i]);
		b->msgs[b->n].recipient = v[i].recipient;
		b->msgs[b->n].data = c->data;
		b->msgs[b->n++].len = c->len;
	}
	if (db_commit(s->db) == -1) {
		db_rollback(s->db);	/* nothing claimed: all due again */
		return -1;
	}
	return 0;
}

static int
outq_send_batch(struct site *s, struct sentlog *log, struct delivery *v,
    size_t n)
{
	struct outq_files	 f = { NULL, 0 };
	struct outq_batch	 b;
	size_t			 i;
	int			 rc;

	memset(&b, 0, sizeof b);
	b.site = s;
	b.log = log;
	b.claimed = xreallocarray(NULL, n, sizeof *b.claimed);
	b.msgs = xreallocarray(NULL, n, sizeof *b.msgs);
	b.acked = xreallocarray(NULL, n, sizeof *b.acked);
	b.ackedi = xreallocarray(NULL, n, sizeof *b.ackedi);
	rc = outq_batch_claim(s, v, n, &f, &b);
	if (rc == 0 && b.n > 0) {
		s->egress->ops->send_many(s->egress, b.msgs, b.n,
		    outq_batch_done, &b);
		outq_batch_flush(&b);	/* a transport that did not flush */
	}
	for (i = 0; i < b.n; i++)
		free((char *)b.msgs[i].envelope_from);
	free(b.msgs);
	free(b.claimed);
	free(b.acked);
	free(b.ackedi);
	outq_files_free(&f);
	return rc == -1 || b.dberror ? -1 : b.sent;
}

/* One chunk of due deliveries; the number sent, 0 when none was due
 * (*n says how many were taken), -1 on a database error. */
static int
outq_run_chunk(struct site *s, struct sentlog *log, size_t max, size_t *n)
{
	struct delivery	*v;
	int		 rc;

	if (queue_due(s->db, time(NULL), max, &v, n) == -1)
		return -1;
	if (*n == 0) {
		queue_free(v, 0);
		return 0;
	}
	if (s->egress->ops->send_many != NULL)
		rc = outq_send_batch(s, log, v, *n);
	else
		rc = outq_send_each(s, v, *n);
	queue_free(v, *n);
	return rc;
}

/*
 * Under [egress] max_per_hour, no more than the cap allows now; the rest
 * stays due for a later run (see pace.h).  Said once per quarter hour.
 */
static size_t
outq_paced(struct site *s, size_t max)
{
	static time_t	 said;
	size_t		 allow;

	if (s->cfg->relay_per_hour <= 0)
		return max;
	if (pace_budget(s->db, s->cfg->relay_per_hour, time(NULL), &allow) ==
	    -1)
		return 0;
	if (allow == 0 && time(NULL) - said >= 900 && db_int(s->db, 0,
	    "SELECT count(*) FROM deliveries WHERE state = 'pending' AND "
	    "next_attempt <= ?1", "i", (int64_t)time(NULL)) > 0) {
		said = time(NULL);
		log_info("outq: sending cap of %d an hour reached; the rest "
		    "goes out as the cap allows", s->cfg->relay_per_hour);
	}
	return allow < max ? allow : max;
}

/*
 * The sent logs of runners that died are applied before their leases are
 * freed, so what a relay acknowledged is never sent again.  -1 when a log
 * could not be applied: then no lease is freed in this run.
 */
static int
outq_recover(struct site *s, const char *dir)
{
	int	n;

	if ((n = sentlog_recover(dir, s->db)) == -1)
		return -1;
	if (n > 0)
		log_info("outq: %d deliveries a runner that died had sent are "
		    "recorded", n);
	if ((n = queue_release_orphans(s->db, time(NULL))) > 0)
		log_info("outq: %d deliveries of a runner that died are due "
		    "again", n);
	return n == -1 ? -1 : 0;
}

int
outq_run(struct site *s, size_t max)
{
	struct sentlog	*log = NULL;
	size_t		 done = 0, n, chunk;
	char		*dir;
	int		 rc = 0, sent = 0;

	if ((max = outq_paced(s, max)) == 0)
		return 0;

	dir = xasprintf("%s/sent", s->cfg->var_dir);
	if (outq_recover(s, dir) == -1) {
		free(dir);
		return -1;
	}
	if (s->egress->ops->send_many != NULL)
		log = sentlog_open(dir);	/* NULL: straight to the db */
	free(dir);
	/* Delivery state survives a crash of the process at every step in
	 * WAL mode without an fsync per recipient; a power cut may at worst
	 * send a copy twice, never lose one (see outq.h). */
	(void)db_exec(s->db, "PRAGMA synchronous=NORMAL", "");
	/* In chunks, so memory stays flat however many members a list has;
	 * what a chunk took is sent, deferred or leased, so none comes back
	 * in the next chunk of this run. */
	do {
		chunk = max - done < OUTQ_CHUNK ? max - done : OUTQ_CHUNK;
		if ((rc = outq_run_chunk(s, log, chunk, &n)) == -1)
			break;
		sent += rc;
		done += n;
		if (log != NULL && sentlog_apply(log, s->db) == -1) {
			rc = -1;
			break;
		}
	} while (n == chunk && done < max);
	sentlog_close(log);
	(void)db_exec(s->db, "PRAGMA synchronous=FULL", "");
	return rc == -1 ? -1 : sent;
}
