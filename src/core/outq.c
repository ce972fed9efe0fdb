/*
 * outq: see outq.h.
 */
#include <config.h>

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/outq.h"
#include "core/site.h"
#include "io/egress.h"
#include "store/queue.h"
#include "util/atomicfile.h"
#include "util/log.h"
#include "util/xmalloc.h"

#define OUTQ_LEASE		600
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

static char *
outq_envelope(const struct site *s, const struct delivery *d)
{
	if (d->envelope_from[0] == '\0' || d->list[0] == '\0')
		return xstrdup(d->envelope_from);
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

static int
outq_record(struct site *s, const struct delivery *d, enum egress_result r,
    const char *err)
{
	time_t	now = time(NULL);

	if (r == EGRESS_OK)
		return queue_mark_sent(s->db, d->id);
	if (r == EGRESS_PERM) {
		log_warnx("outq: delivery %lld to %s failed: %s",
		    (long long)d->id, d->recipient, err);
		return queue_mark_failed(s->db, d->id, err);
	}
	if (now - d->created > OUTQ_LIFETIME) {
		log_warnx("outq: delivery %lld to %s expired: %s",
		    (long long)d->id, d->recipient, err);
		return queue_mark_failed(s->db, d->id, err);
	}
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
	msg.envelope_from = env;
	msg.recipient = d->recipient;
	msg.data = c->data;
	msg.len = c->len;
	r = s->egress->ops->send(s->egress, &msg, err, sizeof err);
	free(env);
	rc = outq_record(s, d, r, err);
	return rc == -1 ? -1 : r == EGRESS_OK;
}

int
outq_run(struct site *s, size_t max)
{
	struct delivery		*v;
	struct outq_cache	 c = { NULL, NULL, 0 };
	size_t			 n, i;
	int			 sent = 0, rc = 0;

	if (queue_due(s->db, time(NULL), max, &v, &n) == -1)
		return -1;
	for (i = 0; i < n && rc != -1; i++) {
		rc = outq_send_one(s, &c, &v[i]);
		if (rc > 0)
			sent++;
	}
	queue_free(v, n);
	free(c.path);
	free(c.data);
	return rc == -1 ? -1 : sent;
}
