/*
 * feeds: see feeds.h.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/feeds.h"
#include "core/reply.h"
#include "core/site.h"
#include "io/feed.h"
#include "io/feedxml.h"
#include "mail/datetime-ru.h"
#include "mail/ical.h"
#include "store/db.h"
#include "store/event.h"
#include "store/feed.h"
#include "util/log.h"
#include "util/xmalloc.h"

#define FEEDS_HORIZON	(366 * 86400)

struct feeds_ctx {
	struct site			*site;
	const struct list_config	*list;	/* NULL: the site's feed */
	const char			*name;	/* list name or "site" */
	int64_t				 lid;	/* 0: the site's */
	const char			*url;
	time_t				 now;
	struct feed_state		 st;
	int				 added;	/* new entries and events */
};

static int
feeds_event(struct feeds_ctx *c, const char *uid, const char *title,
    time_t start, time_t end, int all_day, const char *place,
    const char *url, const char *description)
{
	struct event_row	r;
	int			rc;

	memset(&r, 0, sizeof r);
	r.list_id = c->lid;
	r.source = "feed";
	r.uid = uid;
	r.title = title;
	r.starts = start;
	r.ends = end;
	r.all_day = all_day;
	r.place = place;
	r.url = url;
	r.description = description;
	r.author = c->url;
	if ((rc = event_insert(c->site->db, &r)) == 0)
		c->added++;
	return rc == -1 ? -1 : 0;
}

static int
feeds_calendar(struct feeds_ctx *c, const char *body, size_t len)
{
	struct ical_event	*v;
	size_t			 n, i;
	int			 rc = 0;

	if (ical_parse(body, len, c->now - 86400, c->now + FEEDS_HORIZON,
	    FEEDS_MAX_ENTRIES, &v, &n) == -1)
		return 1;
	for (i = 0; i < n && rc == 0; i++)
		rc = feeds_event(c, v[i].uid, v[i].summary, v[i].start,
		    v[i].end, v[i].all_day, v[i].location, v[i].url,
		    v[i].description);
	ical_free(v, n);
	return rc;
}

/* A date to come in the entry's title or summary makes it an event. */
static int
feeds_entry_event(struct feeds_ctx *c, const struct feed_item *it)
{
	struct datetime_range	 dr;
	struct tm		 tm;
	time_t			 start, end = 0;

	if (!datetime_parse(it->title, &dr) && (it->summary == NULL ||
	    !datetime_parse(it->summary, &dr)))
		return 0;
	memset(&tm, 0, sizeof tm);
	tm.tm_year = dr.year - 1900;
	tm.tm_mon = dr.month - 1;
	tm.tm_mday = dr.day;
	tm.tm_hour = dr.start_min >= 0 ? dr.start_min / 60 : 0;
	tm.tm_min = dr.start_min >= 0 ? dr.start_min % 60 : 0;
	tm.tm_isdst = -1;
	start = mktime(&tm);
	if (dr.end_min >= 0)
		end = start + (dr.end_min - dr.start_min) * 60;
	if (start < c->now - 86400 || start > c->now + FEEDS_HORIZON)
		return 0;
	return feeds_event(c, it->key, it->title, start, end > start ? end : 0,
	    dr.start_min < 0, NULL, it->link, it->summary);
}

static int
feeds_entries(struct feeds_ctx *c, const char *body, size_t len,
    char *err, size_t errlen)
{
	struct feed_item	*v;
	size_t			 n, i;
	int			 rc = 0, fresh;

	if (feedxml_parse(body, len, FEEDS_MAX_ENTRIES, &v, &n, err,
	    errlen) == -1)
		return 1;
	for (i = 0; i < n && rc == 0; i++) {
		fresh = feed_entry_add(c->site->db, c->st.id, v[i].key,
		    v[i].title, v[i].link, (int64_t)v[i].published,
		    v[i].summary, c->now);
		if (fresh == -1)
			rc = -1;
		else if (fresh == 1) {
			c->added++;
			rc = feeds_entry_event(c, &v[i]);
		}
	}
	feedxml_free(v, n);
	return rc;
}

static int
feeds_is_calendar(const char *body, size_t len)
{
	size_t	i = 0;

	if (len >= 3 && memcmp(body, "\xef\xbb\xbf", 3) == 0)
		i = 3;
	while (i < len && (body[i] == ' ' || body[i] == '\r' ||
	    body[i] == '\n' || body[i] == '\t'))
		i++;
	return len - i >= 15 && memcmp(body + i, "BEGIN:VCALENDAR", 15) == 0;
}

/* 0 read, 1 unreadable (err says why), -1 database error; one
 * transaction for all the feed's news. */
static int
feeds_take(struct feeds_ctx *c, const struct feed_response *res, char *err,
    size_t errlen)
{
	int	rc;

	if (db_begin(c->site->db) == -1)
		return -1;
	if (feeds_is_calendar(res->body, res->len)) {
		rc = feeds_calendar(c, res->body, res->len);
		if (rc == 1)
			snprintf(err, errlen, "not a readable iCalendar file");
	} else
		rc = feeds_entries(c, res->body, res->len, err, errlen);
	if (rc == 0 && db_commit(c->site->db) == 0)
		return 0;
	db_rollback(c->site->db);
	return rc == 1 ? 1 : -1;
}

static time_t
feeds_backoff(int failures)
{
	time_t	d = FEEDS_BACKOFF;

	while (--failures > 0 && d < FEEDS_BACKOFF_MAX)
		d *= 2;
	return d < FEEDS_BACKOFF_MAX ? d : FEEDS_BACKOFF_MAX;
}

static int
feeds_report(struct feeds_ctx *c, const char *error, int failures)
{
	struct template_var	v[3];
	struct reply		r;
	char			count[16];

	if (c->list == NULL)	/* the site's: its log says it */
		return 0;
	snprintf(count, sizeof count, "%d", failures);
	v[0] = (struct template_var){ "feed_url", c->url };
	v[1] = (struct template_var){ "feed_error", error };
	v[2] = (struct template_var){ "failures", count };
	memset(&r, 0, sizeof r);
	r.template = "feed-failing";
	r.to = "";
	r.list = c->list;
	r.vars = v;
	r.nvars = 3;
	return reply_notify(c->site, &r, c->list->coordinators,
	    c->list->ncoordinators);
}

static int
feeds_failed(struct feeds_ctx *c, long status, const char *error)
{
	int	failures = c->st.failures + 1;
	int64_t	reported = c->st.reported;

	log_warnx("feeds: %s: %s: %s (failure %d)", c->name, c->url,
	    error, failures);
	if (failures >= FEEDS_REPORT_AFTER && reported == 0 &&
	    feeds_report(c, error, failures) == 0)
		reported = c->now;
	return feed_state_failed(c->site->db, &c->st, status, error, c->now,
	    c->now + feeds_backoff(failures), reported);
}

static int
feeds_one(struct feeds_ctx *c)
{
	struct feed_request	rq = { c->url, c->st.etag, c->st.last_modified,
				    FEEDS_TIMEOUT, FEEDS_MAX_SIZE,
				    FEEDS_MAX_REDIRECTS };
	struct feed_response	res;
	char			err[256], msg[64];
	int			rc;

	if (feed_fetch(&rq, &res) == -1)
		return feeds_failed(c, res.status, res.error);
	if (res.status == 304) {
		log_info("feeds: %s: %s not modified", c->name, c->url);
		rc = feed_state_ok(c->site->db, &c->st, 304, NULL, NULL,
		    c->now, c->now + FEEDS_INTERVAL);
	} else if (res.status != 200) {
		snprintf(msg, sizeof msg, "HTTP status %ld", res.status);
		rc = feeds_failed(c, res.status, msg);
	} else if ((rc = feeds_take(c, &res, err, sizeof err)) == 1)
		rc = feeds_failed(c, 200, err);
	else if (rc == 0) {
		log_info("feeds: %s: %s: %zu bytes, %d new", c->name,
		    c->url, res.len, c->added);
		rc = feed_state_ok(c->site->db, &c->st, 200, res.etag,
		    res.last_modified, c->now, c->now + FEEDS_INTERVAL);
	}
	feed_response_free(&res);
	return rc;
}

/* One feed of the list l (NULL: of the site): 1 fetched, 0 not due,
 * -1 error. */
static int
feeds_check(struct site *s, const struct list_config *l, const char *url,
    time_t now)
{
	struct feeds_ctx	c;
	int			rc = 0;

	memset(&c, 0, sizeof c);
	c.site = s;
	c.list = l;
	c.name = l != NULL ? l->name : "site";
	c.lid = l != NULL ? site_list_id(s, l) : 0;
	c.url = url;
	c.now = now;
	if (c.lid == -1 || feed_state_get(s->db, c.lid, c.url, &c.st) == -1)
		return -1;
	if (c.st.next_fetch <= now)
		rc = feeds_one(&c) == -1 ? -1 : 1;
	feed_state_free(&c.st);
	return rc;
}

int
feeds_run(struct site *s, time_t now)
{
	const struct config	*cfg = s->cfg;
	size_t			 i, j;
	int			 rc, done = 0, failed = 0;

	for (i = 0; i < cfg->nfeeds; i++)
		if ((rc = feeds_check(s, NULL, cfg->feeds[i], now)) == -1)
			failed = 1;
		else
			done += rc;
	for (i = 0; i < cfg->nlists; i++)
		for (j = 0; j < cfg->lists[i].nfeeds; j++)
			if ((rc = feeds_check(s, &cfg->lists[i],
			    cfg->lists[i].feeds[j], now)) == -1)
				failed = 1;
			else
				done += rc;
	return failed ? -1 : done;
}
