/*
 * post: see post.h.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "core/listmsg.h"
#include "core/post.h"
#include "core/site.h"
#include "mail/address.h"
#include "mail/dmarc.h"
#include "mail/maildate.h"
#include "render/archive.h"
#include "store/db.h"
#include "store/dmarc_cache.h"
#include "store/list.h"
#include "store/post.h"
#include "store/queue.h"
#include "util/log.h"
#include "util/strutil.h"
#include "util/xmalloc.h"

#define POST_DMARC_TTL		(24 * 3600)
#define POST_DMARC_TEMP_TTL	(10 * 60)

static int
post_dmarc_wants_rewrite(const char *policy)
{
	/* A policy that could not be learnt counts as strict: safe choice. */
	return strcmp(policy, dmarc_policy_name(DMARC_POLICY_REJECT)) == 0 ||
	    strcmp(policy, dmarc_policy_name(DMARC_POLICY_QUARANTINE)) == 0 ||
	    strcmp(policy, dmarc_policy_name(DMARC_POLICY_TEMPFAIL)) == 0;
}

/*
 * Names reserved by RFC 2606 and RFC 6761 never publish DMARC: asking the
 * network about them would only cost a timeout.
 */
static int
post_reserved_domain(const char *domain)
{
	static const char *const tlds[] = {
		".test", ".example", ".invalid", ".localhost"
	};
	static const char *const slds[] = {
		"example.org", "example.com", "example.net"
	};
	size_t	len = strlen(domain), i, n;

	for (i = 0; i < sizeof tlds / sizeof tlds[0]; i++) {
		n = strlen(tlds[i]);
		if (len >= n && strcasecmp(domain + len - n, tlds[i]) == 0)
			return 1;
	}
	for (i = 0; i < sizeof slds / sizeof slds[0]; i++) {
		n = strlen(slds[i]);
		if (len >= n && strcasecmp(domain + len - n, slds[i]) == 0 &&
		    (len == n || domain[len - n - 1] == '.'))
			return 1;
	}
	return 0;
}

int
post_rewrite_from(struct site *s, const char *author)
{
	const struct config	*cfg = s->cfg;
	enum dmarc_policy	 p;
	const char		*domain;
	char			*cached;
	int			 rewrite;
	time_t			 now = time(NULL);

	if (cfg->dmarc == DMARC_ALWAYS)
		return 1;
	if (cfg->dmarc == DMARC_NEVER || author == NULL ||
	    (domain = strchr(author, '@')) == NULL)
		return 0;
	domain++;
	if (post_reserved_domain(domain))
		return 0;
	if ((cached = dmarc_cache_get(s->db, domain, now)) != NULL) {
		rewrite = post_dmarc_wants_rewrite(cached);
		free(cached);
		return rewrite;
	}
	p = dmarc_lookup(domain, cfg->dmarc_nameserver, cfg->dmarc_timeout);
	log_debug("post: DMARC policy of %s: %s", domain, dmarc_policy_name(p));
	(void)dmarc_cache_put(s->db, domain, dmarc_policy_name(p), now +
	    (p == DMARC_POLICY_TEMPFAIL ? POST_DMARC_TEMP_TTL : POST_DMARC_TTL));
	return post_dmarc_wants_rewrite(dmarc_policy_name(p));
}

struct post_files {
	char	*archive;
	char	*copy;
};

static int
post_write_files(struct site *s, const struct list_config *l,
    const struct message *m, int64_t number, struct listmsg_input *in,
    struct post_files *pf)
{
	char	 name[64], *dir, *data;
	size_t	 len;

	snprintf(name, sizeof name, "%06lld.eml", (long long)number);
	dir = str_path_join(s->cfg->archive_dir, l->name);
	pf->archive = site_store_file(s, dir, name, m->raw, m->raw_len);
	free(dir);
	if (pf->archive == NULL)
		return -1;
	in->number = number;
	data = listmsg_build(in, &len);
	snprintf(name, sizeof name, "%s-%06lld.eml", l->name,
	    (long long)number);
	pf->copy = site_store_file(s, s->queue_dir, name, data, len);
	free(data);
	return pf->copy == NULL ? -1 : 0;
}

static int
post_record(struct site *s, const struct list_config *l,
    const struct message *m, const char *mid, const char *author,
    int64_t lid, int64_t number, const struct post_files *pf)
{
	struct post_record	 r;
	char			*envelope;
	int64_t			 pid, outbound, count;

	memset(&r, 0, sizeof r);
	r.list_id = lid;
	r.number = number;
	r.message_id = mid;
	r.subject = m->subject;
	r.author = author;
	r.author_name = m->from_name;
	r.in_reply_to = m->in_reply_to;
	r.refs = m->references;
	r.size = (int64_t)m->raw_len;
	r.path = pf->archive;
	r.text = m->text;
	r.date = maildate_parse(m->date);
	if ((pid = post_insert(s->db, &r)) == -1)
		return -1;
	envelope = site_list_address(s->cfg, l, "+bounces");
	outbound = queue_outbound(s->db, "post", lid, pid, pf->copy,
	    envelope);
	free(envelope);
	if (outbound == -1 ||
	    (count = queue_add_members(s->db, outbound, lid)) == -1)
		return -1;
	log_info("post: %s #%lld from %s queued for %lld members", l->name,
	    (long long)number, author, (long long)count);
	return 0;
}

/* The archive's pages for the new post; a failure here never fails the
 * post (`metodist archive render` rebuilds them). */
static void
post_archive(struct site *s, const struct list_config *l, int64_t number)
{
	struct archive	a;

	if (archive_open(&a, s->cfg, l, s->db) == -1)
		return;
	if (archive_render_post(&a, number) == -1)
		log_warnx("post: %s #%lld: archive pages not updated", l->name,
		    (long long)number);
	archive_close(&a);
}

static enum post_outcome
post_commit(struct site *s, const struct list_config *l,
    const struct message *m, const char *mid, const char *author,
    const char *key, struct listmsg_input *in)
{
	struct post_files	 pf = { NULL, NULL };
	int64_t			 lid, number = -1;
	int			 ok = 0;

	if (db_begin(s->db) == -1)
		return POST_TEMPFAIL;
	if ((lid = list_id(s->db, l->name)) != -1 &&
	    (number = list_next_post_number(s->db, lid)) != -1 &&
	    post_write_files(s, l, m, number, in, &pf) == 0 &&
	    post_record(s, l, m, mid, author, lid, number, &pf) == 0 &&
	    db_exec(s->db, "INSERT OR REPLACE INTO processed (spool_id, "
	    "outcome, at) VALUES (?1, 'post', ?2)", "ti", key,
	    (int64_t)time(NULL)) == 0 && db_commit(s->db) == 0)
		ok = 1;
	if (!ok)
		db_rollback(s->db);
	else
		post_archive(s, l, number);
	free(pf.archive);
	free(pf.copy);
	return ok ? POST_SENT : POST_TEMPFAIL;
}

/* The Message-ID the post is known by: its own, or one made from key; a
 * new string.  *added is set to it when it was made. */
static char *
post_message_id(struct site *s, const struct message *m, const char *key,
    char **added)
{
	*added = NULL;
	if (m->message_id != NULL && *m->message_id != '\0')
		return xstrdup(m->message_id);
	return *added = xasprintf("metodist.%s@%s", key, s->cfg->domain);
}

/* 1 the list has sent mid already, 0 not, -1 error. */
static int
post_seen_id(struct site *s, const struct list_config *l, const char *mid)
{
	int64_t	lid;
	int	rc;

	if ((lid = list_id(s->db, l->name)) == -1)
		return -1;
	if ((rc = post_seen(s->db, lid, mid)) == 1)
		log_info("post: %s: Message-ID <%s> already distributed, "
		    "dropped", l->name, mid);
	return rc;
}

int
post_duplicate(struct site *s, const struct list_config *l,
    const struct message *m, const char *key)
{
	char	*added, *mid = post_message_id(s, m, key, &added);
	int	 rc = post_seen_id(s, l, mid);

	free(mid);
	return rc;
}

enum post_outcome
post_distribute(struct site *s, const struct list_config *l,
    const struct message *m, const char *key)
{
	struct listmsg_input	 in;
	char			*author, *mid, *added;
	enum post_outcome	 rc;

	mid = post_message_id(s, m, key, &added);
	switch (post_seen_id(s, l, mid)) {
	case 1:
		free(mid);
		return POST_DUPLICATE;
	case -1:
		free(mid);
		return POST_TEMPFAIL;
	}
	author = m->from_addr ? address_normalize(m->from_addr) : NULL;
	memset(&in, 0, sizeof in);
	in.cfg = s->cfg;
	in.list = l;
	in.msg = m;
	in.message_id = added;
	in.rewrite_from = post_rewrite_from(s, author);
	rc = post_commit(s, l, m, mid, author ? author : "", key, &in);
	free(author);
	free(mid);
	return rc;
}
