/*
 * moderate: see moderate.h.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/later.h"
#include "core/moderate.h"
#include "core/post.h"
#include "core/reply.h"
#include "core/site.h"
#include "mail/address.h"
#include "store/db.h"
#include "store/held.h"
#include "util/atomicfile.h"
#include "util/log.h"
#include "util/rnd.h"
#include "util/xmalloc.h"

#define MODERATE_MESSAGE_MAX	((size_t)256 * 1024 * 1024)

int
moderate_hold(struct site *s, const struct list_config *l,
    const struct message *m, const char *envelope_sender, const char *reason)
{
	struct reply		 r;
	struct template_var	 v[1];
	char			 name[64], idbuf[32], *path;
	int64_t			 id;

	rnd_hex(name, 12);
	strncat(name, ".eml", sizeof name - strlen(name) - 1);
	if ((path = site_store_file(s, s->held_dir, name, m->raw,
	    m->raw_len)) == NULL)
		return -1;
	id = held_add(s->db, site_list_id(s, l), envelope_sender, m->subject,
	    reason, path);
	free(path);
	if (id == -1)
		return -1;
	log_info("moderate: %s: post from %s held as %lld (%s)", l->name,
	    envelope_sender, (long long)id, reason);
	snprintf(idbuf, sizeof idbuf, "%lld", (long long)id);
	v[0] = (struct template_var){ "held_id", idbuf };
	memset(&r, 0, sizeof r);
	r.list = l;
	r.orig = m;
	r.vars = v;
	r.nvars = 1;
	r.template = "held-notify";
	r.to = envelope_sender;
	(void)reply_notify(s, &r, l->coordinators, l->ncoordinators);
	r.template = "held";
	(void)reply_send(s, &r);
	return 0;
}

/* Load a held post and its list; 0, 2 if none, -1. */
static int
moderate_load(struct site *s, int64_t id, struct held_post *h,
    const struct list_config **l, char **by)
{
	int	rc;

	if ((rc = held_get(s->db, id, h)) != 0)
		return rc == 1 ? 2 : -1;
	if (strcmp(h->state, "held") != 0) {
		*by = xasprintf("%s (%s)", h->decided_by, h->state);
		held_post_free(h);
		return 1;
	}
	if ((*l = config_list(s->cfg, h->list)) == NULL) {
		log_warnx("moderate: held post %lld belongs to list %s, which "
		    "is no longer configured", (long long)id, h->list);
		held_post_free(h);
		return 2;
	}
	return 0;
}

int
moderate_approve(struct site *s, int64_t id, const char *who, char **by)
{
	const struct list_config	*l;
	struct held_post		 h;
	struct message			*m;
	char				*raw, key[48];
	size_t				 len;
	int				 rc;

	if ((rc = moderate_load(s, id, &h, &l, by)) != 0)
		return rc;
	if ((raw = atomicfile_read(h.path, MODERATE_MESSAGE_MAX, &len)) ==
	    NULL) {
		log_warn("moderate: %s", h.path);
		held_post_free(&h);
		return -1;
	}
	m = message_parse(raw, len);
	snprintf(key, sizeof key, "held-%lld", (long long)id);
	rc = post_distribute(s, l, m, key) == POST_TEMPFAIL ? -1 : 0;
	if (rc == 0 && held_decide(s->db, id, "approved", who) == 1)
		rc = 1;
	message_free(m);
	free(raw);
	held_post_free(&h);
	return rc;
}

int
moderate_reject(struct site *s, int64_t id, const char *who,
    const char *reason, char **by)
{
	const struct list_config	*l;
	struct held_post		 h;
	struct template_var		 v[1];
	struct reply			 r;
	int				 rc;

	if ((rc = moderate_load(s, id, &h, &l, by)) != 0)
		return rc;
	if ((rc = held_decide(s->db, id, "rejected", who)) == 0) {
		v[0] = (struct template_var){ "reason", reason ? reason : "" };
		memset(&r, 0, sizeof r);
		r.template = "rejected";
		r.list = l;
		r.to = h.sender;
		r.vars = v;
		r.nvars = 1;
		(void)reply_send(s, &r);
	}
	held_post_free(&h);
	return rc;
}

int
moderate_reply(struct site *s, const struct route *rt,
    const struct message *m, const char *envelope_sender)
{
	return later_answer(s, rt, m, envelope_sender);
}
