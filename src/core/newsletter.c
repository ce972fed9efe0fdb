/*
 * newsletter: see newsletter.h.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/command.h"
#include "core/digest.h"
#include "core/event.h"
#include "core/newsletter.h"
#include "core/site.h"
#include "mail/header.h"
#include "render/template.h"
#include "store/db.h"
#include "store/event.h"
#include "store/queue.h"
#include "util/buf.h"
#include "util/log.h"
#include "util/rnd.h"
#include "util/timefmt.h"
#include "util/xmalloc.h"

#define NEWSLETTER_FIRST_PERIOD	(7 * 86400)
#define NEWSLETTER_SUMMARY_MAX	300

static const char *const newsletter_heads[NL_NSECTIONS][2] = {
	{ "Ближайшие мероприятия", "Upcoming events" },
	{ "Новые методические материалы", "New materials" },
	{ "Объявления координаторов", "Coordinators' announcements" },
	{ "Самые живые обсуждения", "Liveliest discussions" },
	{ "Новости", "News" },
};

static int
newsletter_en(const struct list_config *l)
{
	return strcmp(l->language, "en") == 0;
}

static void
newsletter_add(struct newsletter_issue *is, enum newsletter_section sec,
    const char *title, const char *when, const char *detail,
    const char *link)
{
	struct newsletter_row	*r;

	if (is->nrows[sec] >= NEWSLETTER_MAX_ROWS)
		return;
	is->rows[sec] = xreallocarray(is->rows[sec], is->nrows[sec] + 1,
	    sizeof *is->rows[sec]);
	r = &is->rows[sec][is->nrows[sec]++];
	r->title = xstrdup(title);
	r->when = when != NULL && *when != '\0' ? xstrdup(when) : NULL;
	r->detail = detail != NULL && *detail != '\0' ? xstrdup(detail) : NULL;
	r->link = link != NULL && *link != '\0' ? xstrdup(link) : NULL;
}

/* The archive's page of post number, or NULL. */
static char *
newsletter_post_link(const struct list_config *l, int64_t number)
{
	size_t	n;

	if (l->archive_url == NULL)
		return NULL;
	n = strlen(l->archive_url);
	return xasprintf("%s%s%lld", l->archive_url,
	    n > 0 && l->archive_url[n - 1] == '/' ? "" : "/",
	    (long long)number);
}

/* --- gathering ----------------------------------------------------------- */

static int
newsletter_event(void *arg, const struct event_row *e)
{
	struct newsletter_issue	*is = arg;
	char			 when[128];

	event_when((time_t)e->starts, (time_t)e->ends, e->all_day,
	    is->list->language, when, sizeof when);
	newsletter_add(is, NL_EVENTS, e->title, when, e->place, e->url);
	return 0;
}

static int
newsletter_materials(struct site *s, int64_t lid, struct newsletter_issue *is)
{
	sqlite3_stmt	*st;
	char		*detail;
	int		 rc;

	st = db_stmt(s->db, "SELECT code, title, coalesce(nullif(author_name, "
	    "''), author) FROM submissions WHERE list_id = ?1 AND state = "
	    "'approved' AND decided >= ?2 AND decided < ?3 ORDER BY decided",
	    "iii", lid, (int64_t)is->from, (int64_t)is->to);
	if (st == NULL)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		detail = xasprintf("%s, %s", sqlite3_column_text(st, 2),
		    sqlite3_column_text(st, 0));
		newsletter_add(is, NL_MATERIALS,
		    (const char *)sqlite3_column_text(st, 1), NULL, detail,
		    NULL);
		free(detail);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* A thread's key: the first of References, In-Reply-To or itself. */
static char *
newsletter_thread_key(const char *refs, const char *irt, const char *mid)
{
	const char	*a, *b;

	if (refs != NULL && (a = strchr(refs, '<')) != NULL &&
	    (b = strchr(a, '>')) != NULL)
		return xstrndup(a + 1, (size_t)(b - a - 1));
	return xstrdup(irt != NULL && *irt != '\0' ? irt : mid);
}

struct newsletter_thread {
	char	*key;
	char	*subject;
	int64_t	 first;
	int	 posts;
};

/* Posts seen in the period: a reply whose parent is among them joins
 * the parent's thread even when its References are cut short. */
struct newsletter_seen {
	char	*mid;
	char	*key;
};

static char *
newsletter_resolve(struct newsletter_seen **seen, size_t *nseen,
    char *key, const char *mid)
{
	size_t	i;

	for (i = 0; i < *nseen; i++)
		if (strcmp((*seen)[i].mid, key) == 0) {
			free(key);
			key = xstrdup((*seen)[i].key);
			break;
		}
	*seen = xreallocarray(*seen, *nseen + 1, sizeof **seen);
	(*seen)[*nseen].mid = xstrdup(mid);
	(*seen)[*nseen].key = xstrdup(key);
	(*nseen)++;
	return key;
}

static void
newsletter_count_thread(struct newsletter_thread **v, size_t *n,
    char *key, const char *subject, int64_t number)
{
	size_t	i;

	for (i = 0; i < *n; i++)
		if (strcmp((*v)[i].key, key) == 0) {
			(*v)[i].posts++;
			free(key);
			return;
		}
	*v = xreallocarray(*v, *n + 1, sizeof **v);
	(*v)[*n].key = key;
	(*v)[*n].subject = command_subject_strip(subject);
	(*v)[*n].first = number;
	(*v)[*n].posts = 1;
	(*n)++;
}

static const char *
newsletter_posts_word(int n, int en)
{
	if (en)
		return n == 1 ? "post" : "posts";
	if (n % 10 == 1 && n % 100 != 11)
		return "письмо";
	if (n % 10 >= 2 && n % 10 <= 4 && (n % 100 < 12 || n % 100 > 14))
		return "письма";
	return "писем";
}

static void
newsletter_lively(struct newsletter_issue *is, struct newsletter_thread *v,
    size_t n)
{
	size_t	i, j, best, shown;
	char	*detail, *link;

	for (shown = 0; shown < NEWSLETTER_THREADS; shown++) {
		best = n;
		for (i = 0; i < n; i++)
			if (v[i].posts >= 2 && (best == n ||
			    v[i].posts > v[best].posts))
				best = i;
		if (best == n)
			break;
		j = (size_t)v[best].posts;
		detail = xasprintf("%zu %s", j, newsletter_posts_word((int)j,
		    newsletter_en(is->list)));
		link = newsletter_post_link(is->list, v[best].first);
		newsletter_add(is, NL_THREADS, v[best].subject, NULL, detail,
		    link);
		free(link);
		free(detail);
		v[best].posts = 0;
	}
}

/* Announcements, threads and the post counts from one pass. */
static int
newsletter_posts(struct site *s, int64_t lid, struct newsletter_issue *is)
{
	struct newsletter_thread	*v = NULL;
	struct newsletter_seen		*seen = NULL;
	sqlite3_stmt			*st;
	size_t				 n = 0, nseen = 0, i;
	char				*link;
	const char			*subject, *author;
	int				 rc;

	st = db_stmt(s->db, "SELECT number, subject, author, coalesce("
	    "nullif(author_name, ''), author), refs, in_reply_to, message_id "
	    "FROM posts WHERE list_id = ?1 AND received >= ?2 AND received "
	    "< ?3 ORDER BY number", "iii", lid, (int64_t)is->from,
	    (int64_t)is->to);
	if (st == NULL)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		subject = (const char *)sqlite3_column_text(st, 1);
		author = (const char *)sqlite3_column_text(st, 2);
		is->posts++;
		if (config_is_coordinator(s->cfg, is->list, author)) {
			link = newsletter_post_link(is->list,
			    sqlite3_column_int64(st, 0));
			newsletter_add(is, NL_ANNOUNCEMENTS, subject, NULL,
			    (const char *)sqlite3_column_text(st, 3), link);
			free(link);
		}
		newsletter_count_thread(&v, &n, newsletter_resolve(&seen,
		    &nseen, newsletter_thread_key(
		    (const char *)sqlite3_column_text(st, 4),
		    (const char *)sqlite3_column_text(st, 5),
		    (const char *)sqlite3_column_text(st, 6)),
		    (const char *)sqlite3_column_text(st, 6)), subject,
		    sqlite3_column_int64(st, 0));
	}
	sqlite3_finalize(st);
	newsletter_lively(is, v, n);
	for (i = 0; i < n; i++) {
		free(v[i].key);
		free(v[i].subject);
	}
	free(v);
	for (i = 0; i < nseen; i++) {
		free(seen[i].mid);
		free(seen[i].key);
	}
	free(seen);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* At most max bytes of s, cut between UTF-8 characters. */
static char *
newsletter_cut(const char *s, size_t max)
{
	size_t	len = strlen(s);

	if (len <= max)
		return xstrdup(s);
	len = max;
	while (len > 0 && ((unsigned char)s[len] & 0xC0) == 0x80)
		len--;
	return xasprintf("%.*s…", (int)len, s);
}

static int
newsletter_news(struct site *s, int64_t lid, struct newsletter_issue *is)
{
	sqlite3_stmt	*st;
	char		*summary;
	int		 rc;

	st = db_stmt(s->db, "SELECT e.title, e.link, coalesce(e.summary, '') "
	    "FROM feed_entries e JOIN feeds f ON f.id = e.feed_id WHERE "
	    "(f.list_id = ?1 OR f.list_id IS NULL) AND e.seen >= ?2 AND e.seen < ?3 AND NOT EXISTS "
	    "(SELECT 1 FROM events v WHERE v.source = 'feed' AND v.uid = "
	    "e.key) ORDER BY e.seen, e.rowid", "iii", lid, (int64_t)is->from,
	    (int64_t)is->to + 1);
	if (st == NULL)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		summary = newsletter_cut((const char *)sqlite3_column_text(st,
		    2), NEWSLETTER_SUMMARY_MAX);
		newsletter_add(is, NL_NEWS,
		    (const char *)sqlite3_column_text(st, 0), NULL, summary,
		    (const char *)sqlite3_column_text(st, 1));
		free(summary);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

int
newsletter_build(struct site *s, const struct list_config *l, time_t now,
    struct newsletter_issue *is)
{
	int64_t	lid = site_list_id(s, l);

	memset(is, 0, sizeof *is);
	is->list = l;
	is->to = now;
	if (lid == -1)
		return -1;
	is->from = (time_t)db_int(s->db, (int64_t)(now -
	    NEWSLETTER_FIRST_PERIOD), "SELECT max(period_to) FROM "
	    "newsletter_issues WHERE list_id = ?1", "i", lid);
	if (is->from == 0)
		is->from = now - NEWSLETTER_FIRST_PERIOD;
	is->number = db_int(s->db, 0, "SELECT coalesce(max(number), 0) FROM "
	    "newsletter_issues WHERE list_id = ?1", "i", lid) + 1;
	is->authors = db_int(s->db, 0, "SELECT count(DISTINCT author) FROM "
	    "posts WHERE list_id = ?1 AND received >= ?2 AND received < ?3",
	    "iii", lid, (int64_t)is->from, (int64_t)now);
	is->new_members = db_int(s->db, 0, "SELECT count(*) FROM members "
	    "WHERE list_id = ?1 AND created >= ?2 AND created < ?3", "iii",
	    lid, (int64_t)is->from, (int64_t)now);
	is->new_events = db_int(s->db, 0, "SELECT count(*) FROM events WHERE "
	    "(list_id = ?1 OR list_id IS NULL) AND state = 'active' AND "
	    "starts >= ?2 AND starts < ?3 AND created >= ?4", "iiii", lid,
	    (int64_t)now, (int64_t)(now + NEWSLETTER_AHEAD),
	    (int64_t)is->from);
	if (is->number <= 0 || is->authors < 0 || is->new_members < 0 ||
	    is->new_events < 0 ||
	    event_upcoming(s->db, lid, now, now + NEWSLETTER_AHEAD,
	    newsletter_event, is) != 0 ||
	    newsletter_materials(s, lid, is) == -1 ||
	    newsletter_posts(s, lid, is) == -1 ||
	    newsletter_news(s, lid, is) == -1)
		return -1;
	return 0;
}

int
newsletter_empty(const struct newsletter_issue *is)
{
	int	i;

	if (is->nrows[NL_EVENTS] > 0 && is->new_events > 0)
		return 0;
	for (i = NL_EVENTS + 1; i < NL_NSECTIONS; i++)
		if (is->nrows[i] > 0)
			return 0;
	return 1;
}

void
newsletter_free(struct newsletter_issue *is)
{
	size_t	i, j;

	for (i = 0; i < NL_NSECTIONS; i++) {
		for (j = 0; j < is->nrows[i]; j++) {
			free(is->rows[i][j].title);
			free(is->rows[i][j].when);
			free(is->rows[i][j].detail);
			free(is->rows[i][j].link);
		}
		free(is->rows[i]);
	}
	memset(is, 0, sizeof *is);
}

/* --- rendering ----------------------------------------------------------- */

static void
newsletter_html_escape(struct buf *b, const char *s)
{
	for (; *s != '\0'; s++)
		switch (*s) {
		case '&': buf_adds(b, "&amp;"); break;
		case '<': buf_adds(b, "&lt;"); break;
		case '>': buf_adds(b, "&gt;"); break;
		case '"': buf_adds(b, "&quot;"); break;
		case '\'': buf_adds(b, "&#39;"); break;
		case '\n': buf_adds(b, "<br>"); break;
		default: buf_addc(b, *s);
		}
}

static char *
newsletter_html_text(const char *s)
{
	struct buf	b;

	buf_init(&b);
	newsletter_html_escape(&b, s);
	return buf_detach(&b);
}

/* Only http(s) links become links: nothing else reaches an href. */
static int
newsletter_safe_link(const char *link)
{
	return link != NULL && (strncmp(link, "https://", 8) == 0 ||
	    strncmp(link, "http://", 7) == 0);
}

static void
newsletter_text_section(struct buf *b, const struct newsletter_issue *is,
    int sec, int en)
{
	const struct newsletter_row	*r;
	const char			*head = newsletter_heads[sec][en];
	size_t				 i, n;

	buf_addf(b, "%s\n", head);
	for (n = 0, i = 0; head[i] != '\0'; i++)
		if (((unsigned char)head[i] & 0xC0) != 0x80)
			n++;
	while (n-- > 0)
		buf_addc(b, '=');
	buf_addc(b, '\n');
	for (i = 0; i < is->nrows[sec]; i++) {
		r = &is->rows[sec][i];
		if (r->when != NULL)
			buf_addf(b, "* %s — %s\n", r->when, r->title);
		else
			buf_addf(b, "* %s\n", r->title);
		if (r->detail != NULL)
			buf_addf(b, "  %s\n", r->detail);
		if (r->link != NULL)
			buf_addf(b, "  %s\n", r->link);
	}
	buf_addc(b, '\n');
}

static void
newsletter_html_row(struct buf *b, const struct newsletter_row *r)
{
	buf_adds(b, "<tr><td style=\"padding:8px 0;border-bottom:1px solid "
	    "#e3e6ea;font-family:Arial,Helvetica,sans-serif;font-size:15px;"
	    "line-height:21px;color:#1f2328;\">");
	if (r->when != NULL) {
		buf_adds(b, "<div style=\"font-size:13px;color:#8a4b00;"
		    "font-weight:bold;\">");
		newsletter_html_escape(b, r->when);
		buf_adds(b, "</div>");
	}
	if (newsletter_safe_link(r->link)) {
		buf_adds(b, "<a href=\"");
		newsletter_html_escape(b, r->link);
		buf_adds(b, "\" style=\"color:#0b5cad;font-weight:bold;"
		    "text-decoration:underline;\">");
		newsletter_html_escape(b, r->title);
		buf_adds(b, "</a>");
	} else {
		buf_adds(b, "<b>");
		newsletter_html_escape(b, r->title);
		buf_adds(b, "</b>");
	}
	if (r->detail != NULL) {
		buf_adds(b, "<div style=\"font-size:13px;color:#57606a;\">");
		newsletter_html_escape(b, r->detail);
		buf_adds(b, "</div>");
	}
	buf_adds(b, "</td></tr>\n");
}

static void
newsletter_html_section(struct buf *b, const struct newsletter_issue *is,
    int sec, int en)
{
	size_t	i;

	buf_adds(b, "<tr><td style=\"padding:20px 0 4px 0;font-family:Arial,"
	    "Helvetica,sans-serif;font-size:18px;font-weight:bold;"
	    "color:#12355b;\">");
	newsletter_html_escape(b, newsletter_heads[sec][en]);
	buf_adds(b, "</td></tr>\n");
	for (i = 0; i < is->nrows[sec]; i++)
		newsletter_html_row(b, &is->rows[sec][i]);
}

static char *
newsletter_activity(const struct newsletter_issue *is, int en)
{
	return xasprintf(en ? "In this period: %lld %s by %lld people; "
	    "new members: %lld." : "За период: %lld %s от %lld участников; "
	    "новых участников: %lld.", (long long)is->posts,
	    newsletter_posts_word((int)(is->posts % 1000), en),
	    (long long)is->authors, (long long)is->new_members);
}

struct newsletter_parts {
	char	*subject;
	char	*text;
	char	*html;
};

static int
newsletter_templates(struct site *s, const struct newsletter_issue *is,
    struct newsletter_parts *p)
{
	const struct list_config	*l = is->list;
	struct template_var		 v[8];
	struct template_text		 t, h;
	struct buf			 tb, hb;
	char				 num[24], date[64], *activity, *help;
	char				*unsub, *hactivity, *htitle, *hsite;
	int				 en = newsletter_en(l), i, rc;

	buf_init(&tb);
	buf_init(&hb);
	for (i = 0; i < NL_NSECTIONS; i++)
		if (is->nrows[i] > 0) {
			newsletter_text_section(&tb, is, i, en);
			newsletter_html_section(&hb, is, i, en);
		}
	snprintf(num, sizeof num, "%lld", (long long)is->number);
	time_human_date(is->to, l->language, date, sizeof date);
	activity = newsletter_activity(is, en);
	help = site_list_address(s->cfg, l, "+help");
	unsub = site_list_address(s->cfg, l, "+unsubscribe");
	v[0] = (struct template_var){ "list_title", l->title };
	v[1] = (struct template_var){ "number", num };
	v[2] = (struct template_var){ "date", date };
	v[3] = (struct template_var){ "sections", buf_cstr(&tb) };
	v[4] = (struct template_var){ "activity", activity };
	v[5] = (struct template_var){ "help_address", help };
	v[6] = (struct template_var){ "unsubscribe_address", unsub };
	v[7] = (struct template_var){ "site_name", s->cfg->site_name };
	rc = template_render(s->cfg->templates_dir, l->language, "newsletter",
	    v, 8, &t);
	/* The HTML template gets every value escaped. */
	htitle = newsletter_html_text(l->title);
	hactivity = newsletter_html_text(activity);
	hsite = newsletter_html_text(s->cfg->site_name);
	v[0].value = htitle;
	v[7].value = hsite;
	v[3].value = buf_cstr(&hb);
	v[4].value = hactivity;
	if (rc == 0 && template_render(s->cfg->templates_dir, l->language,
	    "newsletter-html", v, 8, &h) == 0) {
		p->subject = t.subject;
		p->text = t.body;
		p->html = h.body;
		free(h.subject);
	} else if (rc == 0) {
		template_text_free(&t);
		rc = -1;
	}
	free(htitle);
	free(hactivity);
	free(hsite);
	free(unsub);
	free(help);
	free(activity);
	buf_free(&tb);
	buf_free(&hb);
	return rc;
}

static void
newsletter_base64(struct buf *b, const char *s, size_t len)
{
	static const char abc[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const unsigned char	*u = (const unsigned char *)s;
	size_t			 i, col = 0;
	uint32_t		 w;

	for (i = 0; i < len; i += 3) {
		w = (uint32_t)u[i] << 16;
		if (i + 1 < len)
			w |= (uint32_t)u[i + 1] << 8;
		if (i + 2 < len)
			w |= u[i + 2];
		buf_addc(b, abc[(w >> 18) & 63]);
		buf_addc(b, abc[(w >> 12) & 63]);
		buf_addc(b, i + 1 < len ? abc[(w >> 6) & 63] : '=');
		buf_addc(b, i + 2 < len ? abc[w & 63] : '=');
		if ((col += 4) >= 76) {
			buf_addc(b, '\n');
			col = 0;
		}
	}
	if (col > 0)
		buf_addc(b, '\n');
}

char *
newsletter_render(struct site *s, const struct newsletter_issue *is,
    char **text, char **html)
{
	struct newsletter_parts	 p = { NULL, NULL, NULL };
	struct buf		 b;
	char			 date[64], id[25], *from, *to, *enc, *hdr, *addr;

	if (newsletter_templates(s, is, &p) == -1)
		return NULL;
	time_rfc5322(is->to, date, sizeof date);
	rnd_hex(id, 12);
	addr = site_list_address(s->cfg, is->list, "-request");
	from = header_encode_address(is->list->title, addr);
	free(addr);
	addr = site_list_address(s->cfg, is->list, "");
	to = header_encode_address(is->list->title, addr);
	free(addr);
	enc = header_encode(p.subject, strlen("Subject"));
	hdr = digest_list_headers(s->cfg, is->list);
	buf_init(&b);
	buf_addf(&b, "From: %s\nTo: %s\nSubject: %s\nDate: %s\n"
	    "Message-ID: <newsletter.%s.%lld.%s@%s>\nMIME-Version: 1.0\n%s"
	    "Content-Type: multipart/alternative; boundary=\"=_nl%s\"\n\n"
	    "--=_nl%s\nContent-Type: text/plain; charset=utf-8\n"
	    "Content-Transfer-Encoding: 8bit\n\n%s\n--=_nl%s\n"
	    "Content-Type: text/html; charset=utf-8\n"
	    "Content-Transfer-Encoding: base64\n\n", from, to, enc, date,
	    is->list->name, (long long)is->number, id, s->cfg->domain, hdr,
	    id, id, p.text, id);
	newsletter_base64(&b, p.html, strlen(p.html));
	buf_addf(&b, "--=_nl%s--\n", id);
	free(hdr);
	free(enc);
	free(to);
	free(from);
	free(p.subject);
	if (text != NULL)
		*text = p.text;
	else
		free(p.text);
	if (html != NULL)
		*html = p.html;
	else
		free(p.html);
	return buf_detach(&b);
}

/* --- sending ------------------------------------------------------------- */

struct newsletter_fanout {
	sqlite3	*db;
	int64_t	 outbound;
	int64_t	 count;
};

static int
newsletter_queue(struct site *s, const struct newsletter_issue *is,
    int64_t lid, const char *path)
{
	struct newsletter_fanout f = { s->db, 0, 0 };
	sqlite3_stmt		*st;
	char			*envelope;
	int			 rc;

	envelope = site_list_address(s->cfg, is->list, "+bounces");
	f.outbound = queue_outbound(s->db, "notice", lid, 0, path, envelope);
	free(envelope);
	if (f.outbound == -1 || db_exec(s->db, "INSERT INTO newsletter_issues "
	    "(list_id, number, period_from, period_to, sent) VALUES (?1, ?2, "
	    "?3, ?4, ?4)", "iiii", lid, is->number, (int64_t)is->from,
	    (int64_t)is->to) == -1)
		return -1;
	st = db_stmt(s->db, "SELECT address FROM members WHERE list_id = ?1 "
	    "AND mode <> 'nomail' AND disabled IS NULL ORDER BY address", "i",
	    lid);
	if (st == NULL)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if (queue_add_recipient(s->db, f.outbound,
		    (const char *)sqlite3_column_text(st, 0)) == -1)
			break;
		else
			f.count++;
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return -1;
	log_info("newsletter: %s issue %lld to %lld members",
	    is->list->name, (long long)is->number, (long long)f.count);
	return 0;
}

int
newsletter_send(struct site *s, const struct list_config *l, time_t now)
{
	struct newsletter_issue	 is;
	char			*data, *path = NULL, name[96], hex[17];
	int64_t			 lid = site_list_id(s, l);
	int			 rc = -1;

	if (lid == -1 || newsletter_build(s, l, now, &is) == -1) {
		newsletter_free(&is);
		return -1;
	}
	if (newsletter_empty(&is)) {
		log_info("newsletter: %s: nothing new, no issue", l->name);
		newsletter_free(&is);
		return 0;
	}
	if ((data = newsletter_render(s, &is, NULL, NULL)) != NULL) {
		rnd_hex(hex, 8);
		snprintf(name, sizeof name, "newsletter-%s-%lld-%s.eml",
		    l->name, (long long)is.number, hex);
		path = site_store_file(s, s->queue_dir, name, data,
		    strlen(data));
		free(data);
	}
	if (path != NULL && db_begin(s->db) == 0) {
		if (newsletter_queue(s, &is, lid, path) == 0 &&
		    db_commit(s->db) == 0)
			rc = 1;
		else
			db_rollback(s->db);
	}
	free(path);
	newsletter_free(&is);
	return rc;
}

/* When the list's schedule last fired: its state, else the list's
 * creation. */
static time_t
newsletter_last(struct site *s, int64_t lid)
{
	return (time_t)db_int(s->db, 0, "SELECT coalesce((SELECT last_run "
	    "FROM newsletter_state WHERE list_id = ?1), (SELECT created FROM "
	    "lists WHERE id = ?1), 0)", "i", lid);
}

int
newsletter_run(struct site *s, time_t now)
{
	const struct list_config	*l;
	size_t				 i;
	int64_t				 lid;
	int				 rc, sent = 0, failed = 0;

	for (i = 0; i < s->cfg->nlists; i++) {
		l = &s->cfg->lists[i];
		if ((lid = site_list_id(s, l)) == -1) {
			failed = 1;
			continue;
		}
		if (!schedule_due(&l->newsletter_schedule,
		    newsletter_last(s, lid), now))
			continue;
		/* Fired: an empty issue waits for the next time. */
		if ((rc = newsletter_send(s, l, now)) == -1 ||
		    db_exec(s->db, "INSERT OR REPLACE INTO newsletter_state "
		    "(list_id, last_run) VALUES (?1, ?2)", "ii", lid,
		    (int64_t)now) == -1)
			failed = 1;
		sent += rc > 0;
	}
	return failed ? -1 : sent;
}
