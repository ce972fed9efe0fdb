/*
 * digest: see digest.h.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/digest.h"
#include "core/loop.h"
#include "core/site.h"
#include "mail/digest.h"
#include "mail/header.h"
#include "store/db.h"
#include "store/digest.h"
#include "store/queue.h"
#include "util/atomicfile.h"
#include "util/buf.h"
#include "util/log.h"
#include "util/rnd.h"
#include "util/timefmt.h"
#include "util/xmalloc.h"

#define DIGEST_CHUNK	500	/* posts at most in one issue */

char *
digest_list_headers(const struct config *cfg, const struct list_config *l)
{
	struct buf	 b;
	char		*enc, *post, *help, *unsub, *marker;

	buf_init(&b);
	enc = header_encode(l->title, strlen("List-Id"));
	post = site_list_address(cfg, l, "");
	help = site_list_address(cfg, l, "+help");
	unsub = site_list_address(cfg, l, "+unsubscribe");
	marker = loop_marker(cfg);
	buf_addf(&b, "List-Id: %s <%s.%s>\nList-Post: <mailto:%s>\n"
	    "List-Help: <mailto:%s>\n", enc, l->name, cfg->domain, post,
	    help);
	if (l->unsubscribe_url != NULL)
		buf_addf(&b, "List-Unsubscribe: <mailto:%s>, <%s>\n"
		    "List-Unsubscribe-Post: List-Unsubscribe=One-Click\n",
		    unsub, l->unsubscribe_url);
	else
		buf_addf(&b, "List-Unsubscribe: <mailto:%s>\n", unsub);
	if (l->archive_url != NULL)
		buf_addf(&b, "List-Archive: <%s>\n", l->archive_url);
	buf_addf(&b, "Precedence: list\nX-Loop: %s\n", marker);
	free(marker);
	free(unsub);
	free(help);
	free(post);
	free(enc);
	return buf_detach(&b);
}

/* One issue in the making. */
struct digest_issue {
	struct site			*site;
	const struct list_config	*list;
	int64_t				 lid;
	time_t				 now;
	struct digest_state		 st;
	struct digest_pending		*pending;
	size_t				 npending;
	struct digest_post		*posts;
	size_t				 nposts;
	char				*path[2];	/* mime, plain */
	int64_t				 outbound[2];
	int64_t				 counts[2];
};

static int
digest_load_posts(struct digest_issue *d)
{
	size_t	i, len;
	char	*raw;

	d->posts = xcalloc(d->npending, sizeof *d->posts);
	for (i = 0; i < d->npending; i++) {
		raw = atomicfile_read(d->pending[i].path,
		    d->site->cfg->max_message_size + 65536, &len);
		if (raw == NULL) {
			log_warn("digest: %s: cannot read post %lld (%s)",
			    d->list->name, (long long)d->pending[i].number,
			    d->pending[i].path);
			return -1;
		}
		d->posts[d->nposts].number = d->pending[i].number;
		d->posts[d->nposts].raw = raw;
		d->posts[d->nposts].len = len;
		d->nposts++;
	}
	return 0;
}

/* Volume and issue of the next digest: a new volume each year. */
static void
digest_next_number(struct digest_issue *d)
{
	struct tm	a, b;
	time_t		last;

	last = (time_t)db_int(d->site->db, 0, "SELECT coalesce(max(sent), 0) "
	    "FROM digests WHERE list_id = ?1", "i", d->lid);
	localtime_r(&last, &a);
	localtime_r(&d->now, &b);
	if (last > 0 && d->st.issue > 0 && b.tm_year > a.tm_year) {
		d->st.volume++;
		d->st.issue = 0;
	}
	d->st.issue++;
}

static char *
digest_write(struct digest_issue *d, enum digest_format f,
    const struct digest_input *in)
{
	char	 name[128], hex[17], *data, *path;
	size_t	 len;

	rnd_hex(hex, 8);
	snprintf(name, sizeof name, "digest-%s-%lld-%lld-%s-%s.eml",
	    d->list->name, (long long)d->st.volume, (long long)d->st.issue,
	    f == DIGEST_MIME ? "mime" : "plain", hex);
	data = digest_render(in, f, &len);
	path = site_store_file(d->site, d->site->queue_dir, name, data, len);
	free(data);
	return path;
}

static int
digest_compose(struct digest_issue *d)
{
	const struct config	*cfg = d->site->cfg;
	struct digest_input	 in;
	char			 date[64], human[64], id[33];
	char			*from, *to, *headers, *mid;

	time_rfc5322(d->now, date, sizeof date);
	time_human_date(d->now, d->list->language, human, sizeof human);
	rnd_hex(id, 12);
	from = site_list_address(cfg, d->list, "-request");
	to = site_list_address(cfg, d->list, "");
	headers = digest_list_headers(cfg, d->list);
	mid = xasprintf("digest.%s.%lld.%lld.%s@%s", d->list->name,
	    (long long)d->st.volume, (long long)d->st.issue, id, cfg->domain);
	memset(&in, 0, sizeof in);
	in.lang = d->list->language;
	in.title = d->list->title;
	in.from = from;
	in.to = to;
	in.date = date;
	in.date_human = human;
	in.message_id = mid;
	in.subject_tag = d->list->subject_tag;
	in.headers = headers;
	in.volume = d->st.volume;
	in.issue = d->st.issue;
	in.posts = d->posts;
	in.nposts = d->nposts;
	d->path[0] = digest_write(d, DIGEST_MIME, &in);
	d->path[1] = digest_write(d, DIGEST_PLAIN, &in);
	free(mid);
	free(headers);
	free(to);
	free(from);
	return d->path[0] != NULL && d->path[1] != NULL ? 0 : -1;
}

static int
digest_add_recipient(void *arg, const char *addr, const char *format)
{
	struct digest_issue	*d = arg;
	int			 f = strcmp(format, "plain") == 0;
	char			*envelope;

	if (d->outbound[f] == 0) {
		envelope = site_list_address(d->site->cfg, d->list,
		    "+bounces");
		d->outbound[f] = queue_outbound(d->site->db, "notice", d->lid,
		    0, d->path[f], envelope);
		free(envelope);
		if (d->outbound[f] == -1)
			return -1;
	}
	if (queue_add_recipient(d->site->db, d->outbound[f], addr) == -1)
		return -1;
	d->counts[f]++;
	return 0;
}

/* Record, queue and move the state on, all or nothing. */
static int
digest_commit(struct digest_issue *d)
{
	sqlite3	*db = d->site->db;
	int64_t	 first = d->posts[0].number;

	d->st.last_number = d->posts[d->nposts - 1].number;
	d->st.last_sent = d->now;
	if (db_begin(db) == -1)
		return -1;
	if (digest_record(db, d->lid, &d->st, first, d->now) == 0 &&
	    digest_recipients(db, d->lid, digest_add_recipient, d) == 0 &&
	    digest_state_put(db, d->lid, &d->st) == 0 &&
	    db_commit(db) == 0) {
		log_info("digest: %s vol %lld issue %lld: posts %lld-%lld to "
		    "%lld MIME and %lld plain readers", d->list->name,
		    (long long)d->st.volume, (long long)d->st.issue,
		    (long long)first, (long long)d->st.last_number,
		    (long long)d->counts[0], (long long)d->counts[1]);
		return 1;
	}
	db_rollback(db);
	return -1;
}

static void
digest_issue_free(struct digest_issue *d)
{
	size_t	i;

	for (i = 0; i < d->nposts; i++)
		free((char *)d->posts[i].raw);
	free(d->posts);
	digest_pending_free(d->pending, d->npending);
	free(d->path[0]);
	free(d->path[1]);
}

static int
digest_readers(struct site *s, int64_t lid)
{
	return (int)db_int(s->db, 0, "SELECT count(*) FROM members WHERE "
	    "list_id = ?1 AND mode = 'digest' AND disabled IS NULL", "i",
	    lid);
}

/* Nobody reads digests: the posts are passed by, quietly. */
static int
digest_pass_by(struct site *s, int64_t lid, struct digest_state *st,
    time_t now)
{
	int64_t	last;

	last = db_int(s->db, st->last_number, "SELECT max(number) FROM posts "
	    "WHERE list_id = ?1", "i", lid);
	if (last == -1)
		return -1;
	st->last_number = last;
	st->last_sent = now;
	return digest_state_put(s->db, lid, st);
}

static int
digest_issue(struct site *s, const struct list_config *l, int64_t lid,
    const struct digest_state *st, time_t now)
{
	struct digest_issue	d;
	size_t			max;
	int			rc = -1;

	memset(&d, 0, sizeof d);
	d.site = s;
	d.list = l;
	d.lid = lid;
	d.now = now;
	d.st = *st;
	max = l->digest_max_posts > 0 ? (size_t)l->digest_max_posts :
	    DIGEST_CHUNK;
	if (digest_pending_posts(s->db, lid, st->last_number, max,
	    &d.pending, &d.npending) == 0 && d.npending > 0 &&
	    digest_load_posts(&d) == 0) {
		digest_next_number(&d);
		if (digest_compose(&d) == 0)
			rc = digest_commit(&d);
	}
	digest_issue_free(&d);
	return rc;
}

static int
digest_due(const struct list_config *l, const struct digest_state *st,
    int64_t count, int64_t size, time_t now)
{
	if (l->digest_max_posts > 0 && count >= l->digest_max_posts)
		return 1;
	if (l->digest_max_size > 0 && size >= (int64_t)l->digest_max_size)
		return 1;
	return schedule_due(&l->digest_schedule, (time_t)st->last_sent, now);
}

static int
digest_list(struct site *s, const struct list_config *l, time_t now,
    int force)
{
	struct digest_state	st;
	int64_t			lid, count, size;
	int			rc;

	if ((lid = site_list_id(s, l)) == -1)
		return -1;
	if ((rc = digest_state_get(s->db, lid, now, &st)) == -1)
		return -1;
	if (rc == 1 && digest_state_put(s->db, lid, &st) == -1)
		return -1;
	if (digest_pending_totals(s->db, lid, st.last_number, &count,
	    &size) == -1)
		return -1;
	if (!force && !digest_due(l, &st, count, size, now))
		return 0;
	if (count == 0) {
		st.last_sent = now;
		return force ? 0 : digest_state_put(s->db, lid, &st);
	}
	if (digest_readers(s, lid) == 0)
		return digest_pass_by(s, lid, &st, now) == -1 ? -1 : 0;
	return digest_issue(s, l, lid, &st, now);
}

int
digest_send_now(struct site *s, const struct list_config *l, time_t now)
{
	return digest_list(s, l, now, 1);
}

int
digest_run(struct site *s, time_t now)
{
	size_t	i;
	int	rc, sent = 0, failed = 0;

	for (i = 0; i < s->cfg->nlists; i++) {
		if ((rc = digest_list(s, &s->cfg->lists[i], now, 0)) == -1)
			failed = 1;
		else
			sent += rc;
	}
	return failed ? -1 : sent;
}
