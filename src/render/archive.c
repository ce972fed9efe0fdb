/*
 * archive: see archive.h.
 *
 * A page is its content (composed here, every value escaped on the way
 * in) placed in templates/html/page.html.  Times are the site's local
 * time; the month of a post is the local month of its date.
 */
#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "mail/filename.h"
#include "mail/message.h"
#include "render/archive.h"
#include "render/template.h"
#include "store/db.h"
#include "store/list.h"
#include "util/atomicfile.h"
#include "util/buf.h"
#include "util/log.h"
#include "util/progress.h"
#include "util/strutil.h"
#include "util/timefmt.h"
#include "util/xmalloc.h"

#define ARCHIVE_POST_COLUMNS	"number, thread, date, subject, author, " \
				"author_name, path, message_id"

struct archive_post {
	int64_t	 number;
	int64_t	 thread;
	int64_t	 date;
	char	*subject;
	char	*author;
	char	*author_name;
	char	*path;
	char	*message_id;
};

static int
archive_en(const struct archive *a)
{
	return strcmp(a->lang, "en") == 0;
}

#define ARCHIVE_TEXT(a, ru, en)	(archive_en(a) ? (en) : (ru))

static void
archive_post_read(sqlite3_stmt *st, struct archive_post *p)
{
	p->number = sqlite3_column_int64(st, 0);
	p->thread = sqlite3_column_int64(st, 1);
	p->date = sqlite3_column_int64(st, 2);
	p->subject = db_text(st, 3);
	p->author = db_text(st, 4);
	p->author_name = db_text(st, 5);
	p->path = db_text(st, 6);
	p->message_id = db_text(st, 7);
}

static void
archive_post_free(struct archive_post *p)
{
	free(p->subject);
	free(p->author);
	free(p->author_name);
	free(p->path);
	free(p->message_id);
	memset(p, 0, sizeof *p);
}

struct archive_posts {
	struct archive_post	*v;
	size_t			 n;
};

static void
archive_posts_free(struct archive_posts *ps)
{
	size_t	i;

	for (i = 0; i < ps->n; i++)
		archive_post_free(&ps->v[i]);
	free(ps->v);
	memset(ps, 0, sizeof *ps);
}

/* Posts of the list matching the WHERE tail (?2, ?3: x, y); 0 or -1. */
static int
archive_posts_typed(struct archive *a, struct archive_posts *ps,
    const char *tail, const char *types, int64_t x, int64_t y)
{
	sqlite3_stmt	*st;
	char		*sql;
	int		 rc;

	memset(ps, 0, sizeof *ps);
	sql = xasprintf("SELECT " ARCHIVE_POST_COLUMNS " FROM posts WHERE "
	    "list_id = ?1 %s", tail);
	st = db_stmt(a->db, sql, types, a->lid, x, y);
	free(sql);
	if (st == NULL)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		ps->v = xreallocarray(ps->v, ps->n + 1, sizeof *ps->v);
		archive_post_read(st, &ps->v[ps->n++]);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		archive_posts_free(ps);
		return -1;
	}
	return 0;
}


static int
archive_posts_where(struct archive *a, struct archive_posts *ps,
    const char *tail, int64_t x, int64_t y)
{
	const char	*types = strstr(tail, "?3") ? "iii" :
	    strstr(tail, "?2") ? "ii" : "i";

	return archive_posts_typed(a, ps, tail, types, x, y);
}

/* --- time --- */

static void
archive_month_of(int64_t date, char *out, size_t len)
{
	struct tm	tm;
	time_t		t = (time_t)date;

	localtime_r(&t, &tm);
	strftime(out, len, "%Y-%m", &tm);
}

/* The local month "YYYY-MM" as [start, end). */
static int
archive_month_range(const char *month, int64_t *start, int64_t *end)
{
	struct tm	tm;
	int		y, m;

	if (sscanf(month, "%4d-%2d", &y, &m) != 2 || m < 1 || m > 12)
		return -1;
	memset(&tm, 0, sizeof tm);
	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = 1;
	tm.tm_isdst = -1;
	*start = (int64_t)mktime(&tm);
	memset(&tm, 0, sizeof tm);
	tm.tm_year = y - 1900 + (m == 12);
	tm.tm_mon = m % 12;
	tm.tm_mday = 1;
	tm.tm_isdst = -1;
	*end = (int64_t)mktime(&tm);
	return 0;
}

static void
archive_when(const struct archive *a, int64_t date, struct buf *b)
{
	char		day[64], hm[16], iso[40];
	struct tm	tm;
	time_t		t = (time_t)date;

	time_human_date(t, a->lang, day, sizeof day);
	localtime_r(&t, &tm);
	strftime(hm, sizeof hm, "%H:%M", &tm);
	strftime(iso, sizeof iso, "%Y-%m-%dT%H:%M:%S%z", &tm);
	buf_addf(b, "<time datetime=\"%s\">", iso);
	html_escape(b, day);
	buf_addf(b, ", %s</time>", hm);
}

static const char *const archive_months_ru[] = {
	"январь", "февраль", "март", "апрель", "май", "июнь", "июль",
	"август", "сентябрь", "октябрь", "ноябрь", "декабрь"
};
static const char *const archive_months_en[] = {
	"January", "February", "March", "April", "May", "June", "July",
	"August", "September", "October", "November", "December"
};

static void
archive_month_name(const struct archive *a, const char *month, struct buf *b)
{
	int	y, m;

	if (sscanf(month, "%4d-%2d", &y, &m) != 2 || m < 1 || m > 12) {
		html_escape(b, month);
		return;
	}
	buf_addf(b, "%s %d", archive_en(a) ? archive_months_en[m - 1] :
	    archive_months_ru[m - 1], y);
}

/* --- files --- */

/* Replace dir/rel whole with data; directories made as needed. */
static int
archive_write(struct archive *a, const char *rel, const char *data,
    size_t len)
{
	char	*path, *tmp, *slash;
	FILE	*f;
	int	 rc = -1;

	path = str_path_join(a->dir, rel);
	tmp = xasprintf("%s.tmp%ld", path, (long)getpid());
	if ((slash = strrchr(path, '/')) != NULL) {
		*slash = '\0';
		if (atomicfile_mkdirs(path, 0755) == -1)
			log_warn("archive: mkdir %s", path);
		*slash = '/';
	}
	if ((f = fopen(tmp, "w")) == NULL) {
		log_warn("archive: %s", tmp);
	} else if (fwrite(data, 1, len, f) != len || fclose(f) != 0) {
		log_warn("archive: write %s", tmp);
		unlink(tmp);
	} else if (rename(tmp, path) == -1) {
		log_warn("archive: rename %s", path);
		unlink(tmp);
	} else
		rc = 0;
	free(tmp);
	free(path);
	return rc;
}

/* The page template around content, written to rel. */
static int
archive_page(struct archive *a, const char *rel, const char *root,
    const char *heading, const char *nav, const char *content)
{
	struct template_var	 v[10];
	struct buf		 page, footer, title;
	int			 rc;

	buf_init(&page);
	buf_init(&footer);
	buf_init(&title);
	buf_addf(&title, "%s — %s", heading, a->list->title);
	buf_adds(&footer, ARCHIVE_TEXT(a, "Архив списка ", "Archive of "));
	html_escape(&footer, a->list->title);
	buf_adds(&footer, ARCHIVE_TEXT(a, ". Лента: ", ". Feed: "));
	buf_addf(&footer, "<a href=\"%satom.xml\">Atom</a>.", root);
	v[0] = (struct template_var){ "lang", a->lang };
	v[1] = (struct template_var){ "title", buf_cstr(&title) };
	v[2] = (struct template_var){ "heading", heading };
	v[3] = (struct template_var){ "list_title", a->list->title };
	v[4] = (struct template_var){ "site_name", a->cfg->site_name };
	v[5] = (struct template_var){ "root", root };
	v[6] = (struct template_var){ "nav", nav };
	v[7] = (struct template_var){ "content", content };
	v[8] = (struct template_var){ "footer", buf_cstr(&footer) };
	rc = template_html(a->cfg->templates_dir, "page.html", v, 9, &page);
	if (rc == 0)
		rc = archive_write(a, rel, page.data, page.len);
	buf_free(&page);
	buf_free(&footer);
	buf_free(&title);
	return rc;
}

/* --- pieces --- */

static void
archive_author(const struct archive *a, const struct archive_post *p,
    struct buf *b)
{
	char	*masked;

	if (*p->author_name != '\0')
		html_escape(b, p->author_name);
	else if (a->addr == HTML_ADDR_HIDE)
		buf_adds(b, ARCHIVE_TEXT(a, "участник", "a member"));
	if (a->addr == HTML_ADDR_HIDE)
		return;
	masked = html_address(p->author, a->addr);
	buf_adds(b, *p->author_name ? " &lt;" : "");
	html_escape(b, masked);
	buf_adds(b, *p->author_name ? "&gt;" : "");
	free(masked);
}

static void
archive_subject(const struct archive *a, const char *subject, struct buf *b)
{
	if (subject == NULL || *subject == '\0')
		buf_adds(b, ARCHIVE_TEXT(a, "(без темы)", "(no subject)"));
	else
		html_escape(b, subject);
}

/* "Subject" as plain text for headings (escaped later by the template). */
static char *
archive_subject_text(const struct archive *a, const char *subject)
{
	if (subject == NULL || *subject == '\0')
		return xstrdup(ARCHIVE_TEXT(a, "(без темы)", "(no subject)"));
	return xstrdup(subject);
}

static void
archive_nav(struct archive *a, struct buf *b, const char *root,
    const struct archive_post *p)
{
	char	month[16];

	buf_addf(b, "<a href=\"%sindex.html\">%s</a>", root,
	    ARCHIVE_TEXT(a, "Список", "List"));
	if (p == NULL)
		return;
	archive_month_of(p->date, month, sizeof month);
	buf_addf(b, "<a href=\"%sm/%s.html\">", root, month);
	archive_month_name(a, month, b);
	buf_addf(b, "</a><a href=\"%st/%lld.html\">%s</a>", root,
	    (long long)p->thread, ARCHIVE_TEXT(a, "Обсуждение", "Thread"));
}

static struct message *
archive_message(const struct archive_post *p, char **raw)
{
	size_t	len;

	*raw = atomicfile_read(p->path, ARCHIVE_MAX_MESSAGE, &len);
	if (*raw == NULL) {
		log_warn("archive: %s", p->path);
		return NULL;
	}
	return message_parse(*raw, len);
}

/* Write the attachments of post p and list them as links. */
static void
archive_files(struct archive *a, const struct archive_post *p,
    const struct message *m, const char *root, int write, struct buf *b)
{
	char	*name, *rel;
	size_t	 i;

	if (m == NULL || m->nattachments == 0)
		return;
	buf_addf(b, "<div class=\"files\"><strong>%s</strong><ul>",
	    ARCHIVE_TEXT(a, "Вложения:", "Attachments:"));
	for (i = 0; i < m->nattachments; i++) {
		name = filename_safe(m->attachments[i].filename);
		rel = xasprintf("a/%lld/%zu/%s", (long long)p->number, i + 1,
		    name);
		if (write)
			(void)archive_write(a, rel, m->attachments[i].data,
			    m->attachments[i].len);
		buf_addf(b, "<li><a href=\"%sa/%lld/%zu/", root,
		    (long long)p->number, i + 1);
		html_url_segment(b, name);
		buf_adds(b, "\" download>");
		html_escape(b, name);
		buf_addf(b, "</a> <span class=\"meta\">(%zu %s)</span></li>",
		    m->attachments[i].len < 1024 ? m->attachments[i].len :
		    m->attachments[i].len / 1024, m->attachments[i].len < 1024 ?
		    ARCHIVE_TEXT(a, "байт", "bytes") :
		    ARCHIVE_TEXT(a, "КБ", "KB"));
		free(rel);
		free(name);
	}
	buf_adds(b, "</ul></div>\n");
}

/* One post as an article: meta line, body, files. */
static void
archive_article(struct archive *a, const struct archive_post *p,
    const char *root, int heading, int write_files, struct buf *b)
{
	struct message	*m;
	char		*raw;

	m = archive_message(p, &raw);
	buf_addf(b, "<article id=\"p%lld\">", (long long)p->number);
	if (heading) {
		buf_addf(b, "<h2><a href=\"%sp/%lld.html\">", root,
		    (long long)p->number);
		archive_subject(a, p->subject, b);
		buf_adds(b, "</a></h2>");
	}
	buf_addf(b, "<p class=\"meta\">№&nbsp;%lld · ", (long long)p->number);
	archive_author(a, p, b);
	buf_adds(b, " · ");
	archive_when(a, p->date, b);
	buf_adds(b, "</p>\n");
	if (m != NULL)
		html_body(b, m->text, a->addr, a->lang);
	else
		buf_addf(b, "<p>%s</p>", ARCHIVE_TEXT(a,
		    "Текст письма недоступен.", "The text is not available."));
	archive_files(a, p, m, root, write_files, b);
	buf_adds(b, "</article>\n");
	message_free(m);
	free(raw);
}

/* --- pages --- */

static int
archive_post_page(struct archive *a, const struct archive_post *p)
{
	struct buf	 content, nav;
	char		*rel, *heading;
	int		 rc;

	buf_init(&content);
	buf_init(&nav);
	archive_nav(a, &nav, "../", p);
	archive_article(a, p, "../", 0, 1, &content);
	heading = archive_subject_text(a, p->subject);
	rel = xasprintf("p/%lld.html", (long long)p->number);
	rc = archive_page(a, rel, "../", heading, buf_cstr(&nav),
	    buf_cstr(&content));
	free(rel);
	free(heading);
	buf_free(&content);
	buf_free(&nav);
	return rc;
}

static int
archive_thread_page(struct archive *a, int64_t thread)
{
	struct archive_posts	 ps;
	struct buf		 content, nav;
	char			*rel, *heading;
	size_t			 i;
	int			 rc;

	if (archive_posts_where(a, &ps, "AND thread = ?2 ORDER BY date, "
	    "number", thread, 0) == -1)
		return -1;
	if (ps.n == 0) {
		archive_posts_free(&ps);
		return 0;
	}
	buf_init(&content);
	buf_init(&nav);
	archive_nav(a, &nav, "../", &ps.v[0]);
	buf_addf(&content, "<p class=\"meta\">%s: %zu</p>\n",
	    ARCHIVE_TEXT(a, "Сообщений", "Posts"), ps.n);
	for (i = 0; i < ps.n; i++)
		archive_article(a, &ps.v[i], "../", i > 0, 0, &content);
	heading = archive_subject_text(a, ps.v[0].subject);
	rel = xasprintf("t/%lld.html", (long long)thread);
	rc = archive_page(a, rel, "../", heading, buf_cstr(&nav),
	    buf_cstr(&content));
	free(rel);
	free(heading);
	buf_free(&content);
	buf_free(&nav);
	archive_posts_free(&ps);
	return rc;
}

struct archive_slot {
	int64_t	thread;
	size_t	pos;		/* in date order */
	size_t	first;		/* position of its thread's first post */
};

static int
archive_slot_by_thread(const void *x, const void *y)
{
	const struct archive_slot	*a = x, *b = y;

	if (a->thread != b->thread)
		return a->thread < b->thread ? -1 : 1;
	return a->pos < b->pos ? -1 : a->pos > b->pos;
}

static int
archive_slot_by_first(const void *x, const void *y)
{
	const struct archive_slot	*a = x, *b = y;

	if (a->first != b->first)
		return a->first < b->first ? -1 : 1;
	return a->pos < b->pos ? -1 : a->pos > b->pos;
}

/* The posts in thread groups, the groups in the order their first post
 * came, each group in date order: O(n log n) for a busy month. */
static struct archive_slot *
archive_group(const struct archive_posts *ps)
{
	struct archive_slot	*v;
	size_t			 i;

	v = xreallocarray(NULL, ps->n ? ps->n : 1, sizeof *v);
	for (i = 0; i < ps->n; i++)
		v[i] = (struct archive_slot){ ps->v[i].thread, i, i };
	qsort(v, ps->n, sizeof *v, archive_slot_by_thread);
	for (i = 1; i < ps->n; i++)
		if (v[i].thread == v[i - 1].thread)
			v[i].first = v[i - 1].first;
	qsort(v, ps->n, sizeof *v, archive_slot_by_first);
	return v;
}

/* The posts of a range grouped by thread (first seen first). */
static void
archive_thread_list(struct archive *a, const struct archive_posts *ps,
    const char *root, struct buf *b)
{
	struct archive_slot		*v = archive_group(ps);
	const struct archive_post	*p;
	size_t				 i;

	buf_adds(b, "<ul class=\"list\">\n");
	for (i = 0; i < ps->n; i++) {
		p = &ps->v[v[i].pos];
		if (i == 0 || v[i].first != v[i - 1].first) {
			if (i > 0)
				buf_adds(b, "</ul></li>\n");
			buf_addf(b, "<li><a href=\"%st/%lld.html\">", root,
			    (long long)p->thread);
			archive_subject(a, p->subject, b);
			buf_adds(b, "</a><ul>");
		}
		buf_addf(b, "<li class=\"meta\"><a href=\"%sp/%lld.html\">"
		    "№&nbsp;%lld</a> ", root, (long long)p->number,
		    (long long)p->number);
		archive_author(a, p, b);
		buf_adds(b, " · ");
		archive_when(a, p->date, b);
		buf_adds(b, "</li>");
	}
	if (ps->n > 0)
		buf_adds(b, "</ul></li>\n");
	buf_adds(b, "</ul>\n");
	free(v);
}

/* A month's threads: one line each (its subject, how many posts it had
 * that month, the last one's date), in the order they began. */
static int
archive_month_threads(struct archive *a, int64_t start, int64_t end,
    struct buf *b, int64_t *total)
{
	sqlite3_stmt	*st;
	char		*subject;
	int64_t		 n;
	int		 rc;

	st = db_stmt(a->db, "SELECT t.thread, t.n, t.last, r.subject FROM "
	    "(SELECT thread, count(*) AS n, min(date) AS first, max(date) AS "
	    "last FROM posts WHERE list_id = ?1 AND date >= ?2 AND date < ?3 "
	    "GROUP BY thread) t JOIN posts r ON r.list_id = ?1 AND "
	    "r.number = t.thread ORDER BY t.first, t.thread", "iii", a->lid,
	    start, end);
	if (st == NULL)
		return -1;
	buf_adds(b, "<ul class=\"list\">\n");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		n = sqlite3_column_int64(st, 1);
		*total += n;
		subject = db_text(st, 3);
		buf_addf(b, "<li><a href=\"../t/%lld.html\">",
		    (long long)sqlite3_column_int64(st, 0));
		archive_subject(a, subject, b);
		buf_addf(b, "</a> <span class=\"meta\">%lld %s · ", (long long)n,
		    ARCHIVE_TEXT(a, "сообщ.", "posts"));
		archive_when(a, sqlite3_column_int64(st, 2), b);
		buf_adds(b, "</span></li>\n");
		free(subject);
	}
	sqlite3_finalize(st);
	buf_adds(b, "</ul>\n");
	return rc == SQLITE_DONE ? 0 : -1;
}

static int
archive_month_page(struct archive *a, const char *month)
{
	struct buf	 content, list, nav, heading;
	int64_t		 start, end, total = 0;
	char		*rel;
	int		 rc = -1;

	if (archive_month_range(month, &start, &end) == -1)
		return -1;
	buf_init(&content);
	buf_init(&list);
	buf_init(&nav);
	buf_init(&heading);
	archive_nav(a, &nav, "../", NULL);
	archive_month_name(a, month, &heading);
	if (archive_month_threads(a, start, end, &list, &total) == 0) {
		buf_addf(&content, "<p class=\"meta\">%s: %lld</p>\n%s",
		    ARCHIVE_TEXT(a, "Сообщений за месяц", "Posts this month"),
		    (long long)total, buf_cstr(&list));
		rel = xasprintf("m/%s.html", month);
		rc = archive_page(a, rel, "../", buf_cstr(&heading),
		    buf_cstr(&nav), buf_cstr(&content));
		free(rel);
	}
	buf_free(&content);
	buf_free(&list);
	buf_free(&nav);
	buf_free(&heading);
	return rc;
}

static void
archive_join(struct archive *a, struct buf *b)
{
	char	*sub = xasprintf("%s%c%s@%s", a->list->name,
	    a->cfg->delimiter, "subscribe", a->cfg->domain);
	char	*req = xasprintf("%s-request@%s", a->list->name,
	    a->cfg->domain);

	buf_adds(b, "<h2>");
	buf_adds(b, ARCHIVE_TEXT(a, "Как присоединиться", "How to join"));
	buf_adds(b, "</h2><p>");
	buf_adds(b, ARCHIVE_TEXT(a, "Отправьте пустое письмо на адрес ",
	    "Send an empty message to "));
	buf_adds(b, "<strong>");
	html_escape(b, sub);
	buf_adds(b, "</strong>");
	buf_adds(b, ARCHIVE_TEXT(a, " и ответьте на письмо-подтверждение. "
	    "Команды (помощь, оглавление, получить N, найти СЛОВА) "
	    "принимает адрес ", " and reply to the confirmation. Commands "
	    "(help, index, get N, search WORDS) go to "));
	buf_adds(b, "<strong>");
	html_escape(b, req);
	buf_adds(b, "</strong>.</p>\n");
	free(sub);
	free(req);
}

static void
archive_search_form(struct archive *a, struct buf *b)
{
	if (a->cfg->search_url == NULL)
		return;
	buf_adds(b, "<form class=\"search\" method=\"get\" action=\"");
	html_escape(b, a->cfg->search_url);
	buf_adds(b, "\" role=\"search\"><input type=\"hidden\" name=\"l\" "
	    "value=\"");
	html_escape(b, a->list->name);
	buf_addf(b, "\"><input type=\"search\" name=\"q\" aria-label=\"%s\" "
	    "placeholder=\"%s\" maxlength=\"200\"> <button type=\"submit\">%s"
	    "</button></form>\n", ARCHIVE_TEXT(a, "Поиск", "Search"),
	    ARCHIVE_TEXT(a, "урок, уроки, уроков…", "words…"),
	    ARCHIVE_TEXT(a, "Найти", "Search"));
}

/* The local months from the newest post's back to the oldest's, each
 * with its count (an index range each); fn gets "YYYY-MM" and the count;
 * 0 or -1. */
static int
archive_each_month(struct archive *a, int (*fn)(struct archive *,
    const char *, int64_t, void *), void *arg)
{
	int64_t	 first, last, start, end, n;
	char	 month[16];
	int	 y, m;

	first = db_int(a->db, -1, "SELECT min(date) FROM posts WHERE "
	    "list_id = ?1", "i", a->lid);
	last = db_int(a->db, -1, "SELECT max(date) FROM posts WHERE "
	    "list_id = ?1", "i", a->lid);
	if (first < 0 || last < 0)
		return first == -1 || last == -1 ? 0 : -1;
	archive_month_of(last, month, sizeof month);
	if (sscanf(month, "%4d-%2d", &y, &m) != 2)
		return -1;
	for (;;) {
		snprintf(month, sizeof month, "%04d-%02d", y, m);
		if (archive_month_range(month, &start, &end) == -1 ||
		    end <= first)
			break;
		n = db_int(a->db, -1, "SELECT count(*) FROM posts WHERE "
		    "list_id = ?1 AND date >= ?2 AND date < ?3", "iii", a->lid,
		    start, end);
		if (n < 0 || (n > 0 && fn(a, month, n, arg) == -1))
			return -1;
		if (--m == 0) {
			m = 12;
			y--;
		}
	}
	return 0;
}

static int
archive_month_item(struct archive *a, const char *month, int64_t n,
    void *arg)
{
	struct buf	*b = arg;

	buf_addf(b, "<li><a href=\"m/%s.html\">", month);
	archive_month_name(a, month, b);
	buf_addf(b, "</a> <span class=\"meta\">(%lld)</span></li>",
	    (long long)n);
	return 0;
}

static int
archive_months_list(struct archive *a, struct buf *b)
{
	int	rc;

	buf_addf(b, "<h2>%s</h2><ul class=\"list\">",
	    ARCHIVE_TEXT(a, "По месяцам", "By month"));
	rc = archive_each_month(a, archive_month_item, b);
	buf_adds(b, "</ul>\n");
	return rc;
}

static int
archive_index_page(struct archive *a)
{
	struct archive_posts	 ps;
	struct buf		 content, nav;
	int			 rc;

	/* the threads of the latest posts, newest activity first ("+ 0"
	 * keeps the planner from walking every post in date order) */
	if (archive_posts_where(a, &ps, "AND number IN (SELECT DISTINCT "
	    "thread FROM (SELECT thread FROM posts WHERE list_id = ?1 ORDER BY "
	    "date DESC LIMIT 1000) LIMIT ?2) ORDER BY date + 0 DESC",
	    ARCHIVE_INDEX_THREADS, 0) == -1)
		return -1;
	buf_init(&content);
	buf_init(&nav);
	archive_nav(a, &nav, "", NULL);
	if (a->list->description != NULL && *a->list->description != '\0') {
		buf_adds(&content, "<p>");
		html_escape(&content, a->list->description);
		buf_adds(&content, "</p>\n");
	}
	archive_search_form(a, &content);
	archive_join(a, &content);
	buf_addf(&content, "<h2>%s</h2>\n",
	    ARCHIVE_TEXT(a, "Последние обсуждения", "Latest threads"));
	archive_thread_list(a, &ps, "", &content);
	rc = archive_months_list(a, &content);
	if (rc == 0)
		rc = archive_page(a, "index.html", "", a->list->title,
		    buf_cstr(&nav), buf_cstr(&content));
	buf_free(&content);
	buf_free(&nav);
	archive_posts_free(&ps);
	return rc;
}

/* --- the feed --- */

static void
archive_rfc3339(int64_t date, struct buf *b)
{
	char		s[32];
	struct tm	tm;
	time_t		t = (time_t)date;

	gmtime_r(&t, &tm);
	strftime(s, sizeof s, "%Y-%m-%dT%H:%M:%SZ", &tm);
	buf_adds(b, s);
}

static void
archive_feed_entry(struct archive *a, const struct archive_post *p,
    const char *base, struct buf *b)
{
	struct message	*m;
	char		*raw;
	size_t		 n;

	m = archive_message(p, &raw);
	buf_adds(b, "<entry>\n<title>");
	archive_subject(a, p->subject, b);
	buf_addf(b, "</title>\n<id>tag:%s,2026:%s/%lld</id>\n<updated>",
	    a->cfg->domain, a->list->name, (long long)p->number);
	archive_rfc3339(p->date, b);
	buf_adds(b, "</updated>\n<author><name>");
	if (*p->author_name != '\0')
		html_escape(b, p->author_name);
	else
		buf_adds(b, ARCHIVE_TEXT(a, "участник", "a member"));
	buf_addf(b, "</name></author>\n<link href=\"%sp/%lld.html\"/>\n",
	    base, (long long)p->number);
	if (m != NULL && m->text != NULL) {
		n = strlen(m->text);
		n = n > 2000 ? 2000 : n;
		while (n > 0 && ((unsigned char)m->text[n] & 0xc0) == 0x80)
			n--;
		buf_adds(b, "<summary type=\"text\">");
		html_text(b, m->text, n, a->addr, a->lang);
		buf_adds(b, "</summary>\n");
	}
	buf_adds(b, "</entry>\n");
	message_free(m);
	free(raw);
}

static int
archive_feed(struct archive *a)
{
	struct archive_posts	 ps;
	struct buf		 b;
	const char		*base;
	size_t			 i;
	int			 rc;

	if (archive_posts_where(a, &ps, "ORDER BY date DESC, number DESC "
	    "LIMIT ?2", ARCHIVE_FEED_ENTRIES, 0) == -1)
		return -1;
	base = a->list->archive_url ? a->list->archive_url : "";
	buf_init(&b);
	buf_addf(&b, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
	    "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"%s\">\n"
	    "<title>", a->lang);
	html_escape(&b, a->list->title);
	buf_addf(&b, "</title>\n<id>tag:%s,2026:%s</id>\n<updated>",
	    a->cfg->domain, a->list->name);
	archive_rfc3339(ps.n ? ps.v[0].date : 0, &b);
	buf_adds(&b, "</updated>\n<link rel=\"alternate\" href=\"");
	html_escape(&b, base);
	buf_adds(&b, "index.html\"/>\n");
	for (i = 0; i < ps.n; i++)
		archive_feed_entry(a, &ps.v[i], base, &b);
	buf_adds(&b, "</feed>\n");
	rc = archive_write(a, "atom.xml", b.data, b.len);
	buf_free(&b);
	archive_posts_free(&ps);
	return rc;
}

/* --- entry points --- */

int
archive_open(struct archive *a, const struct config *cfg,
    const struct list_config *l, sqlite3 *db)
{
	memset(a, 0, sizeof *a);
	a->cfg = cfg;
	a->list = l;
	a->db = db;
	a->lang = l->language && strcmp(l->language, "en") == 0 ? "en" : "ru";
	a->addr = l->archive_private ? HTML_ADDR_HIDE : HTML_ADDR_OBFUSCATE;
	if ((a->lid = list_id(db, l->name)) == -1)
		return -1;
	a->dir = str_path_join(cfg->html_dir, l->name);
	if (atomicfile_mkdirs(a->dir, 0755) == -1) {
		log_warn("archive: mkdir %s", a->dir);
		archive_close(a);
		return -1;
	}
	return 0;
}

void
archive_close(struct archive *a)
{
	free(a->dir);
	a->dir = NULL;
}

int
archive_render_post(struct archive *a, int64_t number)
{
	struct archive_posts	 ps;
	char			 month[16];
	int			 rc;

	if (archive_posts_where(a, &ps, "AND number = ?2", number, 0) == -1)
		return -1;
	if (ps.n == 0) {
		log_warnx("archive: %s has no post %lld", a->list->name,
		    (long long)number);
		archive_posts_free(&ps);
		return -1;
	}
	archive_month_of(ps.v[0].date, month, sizeof month);
	rc = archive_post_page(a, &ps.v[0]);
	if (archive_thread_page(a, ps.v[0].thread) == -1 ||
	    archive_month_page(a, month) == -1 ||
	    archive_index_page(a) == -1 || archive_feed(a) == -1)
		rc = -1;
	archive_posts_free(&ps);
	return rc;
}

static int
archive_month_write(struct archive *a, const char *month, int64_t n,
    void *arg)
{
	(void)n;
	(void)arg;
	return archive_month_page(a, month);
}

int
archive_render_all(struct archive *a, struct progress *pr)
{
	struct archive_posts	 ps;
	size_t			 i, total;
	int			 failed = 0;

	if (archive_posts_where(a, &ps, "ORDER BY number", 0, 0) == -1)
		return -1;
	total = ps.n;
	if (pr != NULL)
		progress_start(pr, a->list->name, total * 2);
	for (i = 0; i < ps.n; i++) {
		if (archive_post_page(a, &ps.v[i]) == -1)
			failed = 1;
		if (pr != NULL)
			progress_step(pr, i + 1);
	}
	for (i = 0; i < ps.n; i++) {
		if (ps.v[i].thread == ps.v[i].number &&
		    archive_thread_page(a, ps.v[i].thread) == -1)
			failed = 1;
		if (pr != NULL)
			progress_step(pr, total + i + 1);
	}
	archive_posts_free(&ps);
	if (archive_each_month(a, archive_month_write, NULL) == -1 ||
	    archive_index_page(a) == -1 ||
	    archive_feed(a) == -1)
		failed = 1;
	if (pr != NULL)
		progress_end(pr);
	return failed ? -1 : 0;
}
