/*
 * check_archive: the archive — subject keys, the stemming tokenizer and
 * search, threading over broken headers, HTML escaping of hostile text
 * (down to the rendered pages), the mboxrd round trip, and an import of a
 * few thousand messages through a real site in a temporary directory.
 */
#include <config.h>

#include <check.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/config.h"
#include "core/history.h"
#include "core/site.h"
#include "mail/mbox.h"
#include "mail/subject.h"
#include "render/archive.h"
#include "render/html.h"
#include "store/db.h"
#include "store/list.h"
#include "store/post.h"
#include "store/search.h"
#include "store/stemtok.h"
#include "testlib.h"
#include "util/atomicfile.h"
#include "util/buf.h"
#include "util/log.h"
#include "util/xmalloc.h"

/* --- subject keys ---------------------------------------------------- */

static const struct {
	const char	*subject;
	const char	*key;
	int		 reply;
} subject_cases[] = {
	{ "Уроки геометрии", "уроки геометрии", 0 },
	{ "Re: Уроки геометрии", "уроки геометрии", 1 },
	{ "RE: re:  Уроки   геометрии ", "уроки геометрии", 1 },
	{ "Ответ: Уроки геометрии", "уроки геометрии", 1 },
	{ "Отв: Уроки геометрии", "уроки геометрии", 1 },
	{ "Пересл: Уроки геометрии", "уроки геометрии", 1 },
	{ "ПЕРЕСЛ: Уроки геометрии", "уроки геометрии", 1 },
	{ "Fwd: Re: [Математика] Уроки геометрии", "уроки геометрии", 1 },
	{ "[Математика] Re[2]: Уроки геометрии", "уроки геометрии", 1 },
	{ "[Математика] Уроки геометрии", "уроки геометрии", 0 },
	{ "Re^3: AW: WG: Уроки", "уроки", 1 },
	{ "Re : Ёлка в школе", "елка в школе", 1 },
	{ "Reforms: one", "reforms: one", 0 },
	{ "Отчёт: итоги", "отчет: итоги", 0 },
	{ "Re:", "", 1 },
	{ "", "", 0 },
	{ "[unterminated tag", "[unterminated tag", 0 },
};

START_TEST(test_subject_key)
{
	char	*k = subject_key(subject_cases[_i].subject);

	ck_assert_str_eq(k, subject_cases[_i].key);
	ck_assert_int_eq(subject_is_reply(subject_cases[_i].subject),
	    subject_cases[_i].reply);
	free(k);
}
END_TEST

/* A tag measured after white space collapses: the key of a key is itself
 * (the fuzz target found a tag of 102 raw bytes, 30 once collapsed). */
START_TEST(test_subject_key_stable)
{
	char	raw[256], *k, *k2;

	snprintf(raw, sizeof raw, "Re: [x%.*sy] Тема", 100,
	    "\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t"
	    "\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t"
	    "\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t"
	    "\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t");
	k = subject_key(raw);
	ck_assert_str_eq(k, "тема");
	k2 = subject_key(k);
	ck_assert_str_eq(k2, k);
	free(k);
	free(k2);
}
END_TEST

/* --- a database in a temporary directory ---------------------------- */

static sqlite3	*db;

static void
db_setup(void)
{
	char	*p;

	testlib_tmp_setup();
	p = xasprintf("%s/t.db", testlib_dir());
	ck_assert_int_eq(db_open(p, &db), 0);
	free(p);
}

static void
db_teardown(void)
{
	db_close(db);
	db = NULL;
	testlib_tmp_teardown();
}

static int64_t
add_post(int64_t lid, int64_t number, const char *mid, const char *subject,
    const char *irt, const char *refs, const char *text, int64_t date)
{
	struct post_record	r;

	memset(&r, 0, sizeof r);
	r.list_id = lid;
	r.number = number;
	r.message_id = mid;
	r.subject = subject;
	r.author = "a@school.example.org";
	r.in_reply_to = irt;
	r.refs = refs;
	r.path = "/nonexistent";
	r.text = text;
	r.date = date;
	return post_insert(db, &r);
}

static int64_t
thread_of(int64_t lid, int64_t number)
{
	return db_int(db, -2, "SELECT thread FROM posts WHERE list_id = ?1 "
	    "AND number = ?2", "ii", lid, number);
}

/* --- stemming and search --------------------------------------------- */

static int
count_hits(int64_t lid, const char *words)
{
	return search_posts(db, lid, words, 100, NULL, NULL);
}

START_TEST(test_stemming)
{
	int64_t	lid = list_id(db, "math");

	ck_assert_int_gt(add_post(lid, 1, "1@x", "План", NULL, NULL,
	    "Новый урок геометрии.", 1000), 0);
	ck_assert_int_gt(add_post(lid, 2, "2@x", "Уроки", NULL, NULL,
	    "Открытые уроки в мае.", 1001), 0);
	ck_assert_int_gt(add_post(lid, 3, "3@x", "Итоги", NULL, NULL,
	    "Посетили пять уроков.", 1002), 0);
	ck_assert_int_gt(add_post(lid, 4, "4@x", "Игры", NULL, NULL,
	    "Играем с уроками физкультуры; ЁЛКА; Teaching lessons.", 1003),
	    0);
	ck_assert_int_eq(count_hits(lid, "урок"), 4);
	ck_assert_int_eq(count_hits(lid, "УРОКАМИ"), 4);
	ck_assert_int_eq(count_hits(lid, "уроков геометрии"), 1);
	ck_assert_int_eq(count_hits(lid, "елка"), 1);
	ck_assert_int_eq(count_hits(lid, "ёлки"), 1);
	ck_assert_int_eq(count_hits(lid, "lesson teach"), 1);
	ck_assert_int_eq(count_hits(lid, "химия"), 0);
	/* FTS5 syntax typed by a person is only words */
	ck_assert_int_eq(count_hits(lid, "урок\" OR * NEAR(x"), 0);
	ck_assert_int_eq(count_hits(lid, "\"урок\" -"), 4);
	ck_assert_int_eq(count_hits(lid, "  ?!  "), 0);
	ck_assert_int_eq(count_hits(list_id(db, "other"), "урок"), 0);
}
END_TEST

START_TEST(test_query_quoting)
{
	char	*q = stemtok_query("a\"b  урок-план");

	ck_assert_str_eq(q, "\"a\" \"b\" \"урок\" \"план\"");
	free(q);
	ck_assert_ptr_null(stemtok_query("-- ** ()"));
}
END_TEST

static int
keep_snippet(void *arg, const struct search_hit *h)
{
	*(char **)arg = xstrdup(h->snippet);
	return 0;
}

START_TEST(test_snippet_marks_forms)
{
	int64_t	 lid = list_id(db, "math");
	char	*snippet = NULL;

	ck_assert_int_gt(add_post(lid, 1, "1@x", "Итоги", NULL, NULL,
	    "Вчера мы посетили пять открытых уроков истории.", 1000), 0);
	ck_assert_int_eq(search_posts(db, lid, "урок", 5, keep_snippet,
	    &snippet), 1);
	ck_assert_ptr_nonnull(snippet);
	ck_assert_ptr_nonnull(strstr(snippet, "открытых [уроков] истории"));
	free(snippet);
}
END_TEST

/* --- threading ------------------------------------------------------- */

START_TEST(test_threading_broken)
{
	int64_t	lid = list_id(db, "math"), t0 = 1700000000;

	/* a root and a proper reply */
	add_post(lid, 1, "root@x", "Планирование", NULL, NULL, "", t0);
	add_post(lid, 2, "r1@x", "Re: Планирование", "root@x", "<root@x>", "",
	    t0 + 60);
	/* References only, the nearest known id last */
	add_post(lid, 3, "r2@x", "Re: Планирование", NULL,
	    "<unknown@elsewhere> <root@x> <r1@x>", "", t0 + 120);
	/* In-Reply-To unknown, References garbage: subject fallback */
	add_post(lid, 4, "r3@x", "Ответ: [Математика] Планирование",
	    "lost@client", "garbage without brackets", "", t0 + 180);
	/* no headers at all, but a reply prefix */
	add_post(lid, 5, "r4@x", "RE: планирование", NULL, NULL, "",
	    t0 + 240);
	/* same words, no prefix, no headers: a new conversation */
	add_post(lid, 6, "new@x", "Планирование", NULL, NULL, "", t0 + 300);
	/* a reply that arrived before the post it answers */
	add_post(lid, 7, "early@x", "Re: Олимпиада", "late@x", "<late@x>", "",
	    t0 + 360);
	add_post(lid, 8, "late@x", "Олимпиада", NULL, NULL, "", t0 + 350);
	/* a reply prefix but the subject is too old to match */
	add_post(lid, 9, "old@x", "Re: Планирование", NULL, NULL, "",
	    t0 + 300 + 200 * 86400);
	ck_assert_int_eq(thread_of(lid, 1), 1);
	ck_assert_int_eq(thread_of(lid, 2), 1);
	ck_assert_int_eq(thread_of(lid, 3), 1);
	ck_assert_int_eq(thread_of(lid, 4), 1);
	ck_assert_int_eq(thread_of(lid, 5), 1);
	ck_assert_int_eq(thread_of(lid, 6), 6);
	ck_assert_int_eq(thread_of(lid, 8), 8);
	ck_assert_int_eq(thread_of(lid, 7), 8);
	ck_assert_int_eq(thread_of(lid, 9), 9);
}
END_TEST

/* --- HTML ------------------------------------------------------------ */

static const char *const hostile[] = {
	"<script>alert(1)</script>",
	"\"><img src=x onerror=alert(1)>",
	"' onmouseover='x",
	"</pre></details><script>x</script>",
	"&lt;script&gt; already escaped",
	"<!-- comment --><style>*{}</style>",
	"\x01\x1b[31mcontrol\x7f",
};

START_TEST(test_html_escape)
{
	struct buf	b;

	buf_init(&b);
	html_escape(&b, hostile[_i]);
	html_body(&b, hostile[_i], HTML_ADDR_OBFUSCATE, "ru");
	ck_assert_ptr_null(strstr(buf_cstr(&b), "<script"));
	ck_assert_ptr_null(strstr(buf_cstr(&b), "<img"));
	ck_assert_ptr_null(strstr(buf_cstr(&b), "<style"));
	ck_assert_ptr_null(strstr(buf_cstr(&b), "<!--"));
	ck_assert_ptr_null(strstr(buf_cstr(&b), "'"));
	ck_assert_ptr_null(strchr(buf_cstr(&b), '\x1b'));
	ck_assert_ptr_null(strchr(buf_cstr(&b), '\x01'));
	buf_free(&b);
}
END_TEST

START_TEST(test_html_body)
{
	struct buf	b;
	const char	*s;

	buf_init(&b);
	html_body(&b, "Пишите: ivan.petrov@school5.example.org\n"
	    "> цитата\n> ещё\nответ <b>\n", HTML_ADDR_OBFUSCATE, "ru");
	s = buf_cstr(&b);
	ck_assert_ptr_null(strstr(s, "ivan.petrov@school5"));
	ck_assert_ptr_nonnull(strstr(s, "ivan.petrov@sc…"));
	ck_assert_ptr_nonnull(strstr(s, "<details class=\"quote\">"
	    "<summary>цитата</summary><pre>&gt; цитата\n&gt; ещё\n</pre>"
	    "</details><pre>ответ &lt;b&gt;\n</pre>"));
	buf_reset(&b);
	html_body(&b, "Пишите: ivan.petrov@school5.example.org.",
	    HTML_ADDR_HIDE, "ru");
	ck_assert_ptr_null(strstr(buf_cstr(&b), "ivan"));
	ck_assert_ptr_nonnull(strstr(buf_cstr(&b), "[адрес скрыт]."));
	buf_free(&b);
	s = html_address("olga@школа.рф", HTML_ADDR_OBFUSCATE);
	ck_assert_str_eq(s, "olga@шк…");
	free((char *)s);
}
END_TEST

START_TEST(test_url_segment)
{
	struct buf	b;

	buf_init(&b);
	html_url_segment(&b, "План урока \"1\".docx");
	ck_assert_str_eq(buf_cstr(&b), "%D0%9F%D0%BB%D0%B0%D0%BD%20%D1%83"
	    "%D1%80%D0%BE%D0%BA%D0%B0%20%221%22.docx");
	buf_free(&b);
}
END_TEST

/* --- mboxrd ------------------------------------------------------------ */

static const char *const mbox_cases[] = {
	"Subject: a\n\nbody\n",
	"Subject: b\n\nFrom here\n>From there\n>>From further\n>Fromage\n",
	"Subject: c\r\n\r\nCRLF\r\nFrom crlf\r\n",
	"Subject: d\n\nends with empty lines\n\n\n",
	"Subject: e\n\n\nFrom \n",
};

START_TEST(test_mboxrd_round_trip)
{
	struct buf	 out;
	char		*path, *data;
	size_t		 len, off = 0, i, n = sizeof mbox_cases /
			    sizeof *mbox_cases;
	FILE		*f;

	path = xasprintf("%s/t.mbox", testlib_dir());
	ck_assert_ptr_nonnull(f = fopen(path, "w"));
	for (i = 0; i < n; i++)
		ck_assert_int_eq(mbox_write(f, mbox_cases[i],
		    strlen(mbox_cases[i]), "a@b", 1700000000), 0);
	ck_assert_int_eq(fclose(f), 0);
	data = testlib_read_file(path, &len);
	/* the quoting is on the disk */
	ck_assert_ptr_nonnull(strstr(data, "\n>From here\n>>From there\n"
	    ">>>From further\n>Fromage\n"));
	ck_assert_ptr_nonnull(strstr(data, "From a@b Tue Nov 14 22:13:20 "
	    "2023\n"));
	buf_init(&out);
	for (i = 0; i < n; i++) {
		ck_assert_int_eq(mbox_next(data, len, &off, &out), 1);
		ck_assert_uint_eq(out.len, strlen(mbox_cases[i]));
		ck_assert_str_eq(buf_cstr(&out), mbox_cases[i]);
	}
	ck_assert_int_eq(mbox_next(data, len, &off, &out), 0);
	buf_free(&out);
	free(data);
	free(path);
}
END_TEST

/* --- a site: pages and import ------------------------------------------ */

static struct config	*cfg;
static struct site	 site;

static void
site_setup(void)
{
	char	*p, *conf, *tmpl;
	int	 transient;

	testlib_tmp_setup();
	p = xasprintf("%s/conf/lists.d", testlib_dir());
	ck_assert_int_eq(atomicfile_mkdirs(p, 0700), 0);
	free(p);
	p = xasprintf("%s/conf/lists.d/math.conf", testlib_dir());
	testlib_write_str(p, "[list]\ntitle = Математика <b>&</b>\n"
	    "description = <script>alert(0)</script>\n"
	    "coordinators = coord@imc.example.org\n");
	free(p);
	/* the config reads paths relative to itself: the source tree's
	 * templates by an absolute path (top_srcdir may be relative) */
	p = testlib_srcpath("templates");
	tmpl = realpath(p, NULL);
	ck_assert_ptr_nonnull(tmpl);
	free(p);
	p = xasprintf("[site]\ndomain = lists.example.org\nname = ИМЦ\n"
	    "address = metodist\ntimezone = Asia/Yekaterinburg\n[paths]\n"
	    "var = %s/var\nlists = lists.d\ntemplates = %s\n"
	    "[egress]\ntransport = maildir\noutbox = %s/outbox\n"
	    "[dmarc]\nmode = never\n", testlib_dir(), tmpl, testlib_dir());
	conf = xasprintf("%s/conf/metodist.conf", testlib_dir());
	testlib_write_str(conf, p);
	free(p);
	free(tmpl);
	cfg = config_load(conf, NULL, NULL);
	ck_assert_ptr_nonnull(cfg);
	ck_assert_int_eq(site_open(cfg, &site, &transient), 0);
	free(conf);
}

static void
site_teardown(void)
{
	site_close(&site);
	config_free(cfg);
	testlib_tmp_teardown();
}

/* Message k of the generated history: every fourth starts a thread
 * and the next three answer it; dated k minutes after a fixed day. */
static void
make_message(size_t k, char *msg, size_t len)
{
	char		date[64], irt[128] = "";
	time_t		t = 1735700000 + (time_t)k * 60;
	struct tm	tm;

	gmtime_r(&t, &tm);
	strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S +0000", &tm);
	if (k % 4 != 0)
		snprintf(irt, sizeof irt, "In-Reply-To: <imp%zu@school."
		    "example.org>\n", k - k % 4);
	snprintf(msg, len, "From: Учитель %zu <t%zu@school.example.org>\n"
	    "Subject: =?UTF-8?B?0KLQtdC80LA=?= %zu\nDate: %s\n"
	    "Message-ID: <imp%zu@school.example.org>\n%s"
	    "MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n"
	    "Content-Transfer-Encoding: 8bit\n\n"
	    "Разбор задачи %zu: уроки, уроков, уроками.\n"
	    "From the textbook, a line starting with From.\n",
	    k % 40, k % 40, k / 4, date, k, irt, k);
}

/* An mbox of n messages in shuffled date order, every tenth repeated. */
static char *
make_mbox(size_t n, size_t *dups)
{
	char	*path, msg[2048];
	size_t	 i;
	FILE	*f;

	path = xasprintf("%s/big.mbox", testlib_dir());
	ck_assert_ptr_nonnull(f = fopen(path, "w"));
	*dups = 0;
	for (i = 0; i < n; i++) {
		make_message((i * 7919) % n, msg, sizeof msg);	/* 7919: prime */
		ck_assert_int_eq(mbox_write(f, msg, strlen(msg), "t@x",
		    1735700000), 0);
		if (i % 10 == 0) {
			ck_assert_int_eq(mbox_write(f, msg, strlen(msg), "t@x",
			    1735700000), 0);
			(*dups)++;
		}
	}
	ck_assert_int_eq(fclose(f), 0);
	return path;
}

START_TEST(test_import_thousands)
{
	const struct list_config	*l = config_list(cfg, "math");
	struct history_counts		 c;
	struct archive			 a;
	size_t				 n = 3000, dups, exported;
	char				*path, *html, *out;
	int64_t				 lid;
	FILE				*f;

	path = make_mbox(n, &dups);
	ck_assert_int_eq(history_import(&site, l, path, NULL, &c), 0);
	ck_assert_uint_eq(c.read, n + dups);
	ck_assert_uint_eq(c.added, n);
	ck_assert_uint_eq(c.duplicates, dups);
	lid = site_list_id(&site, l);
	/* numbers follow the dates */
	ck_assert_int_eq(db_int(site.db, -1, "SELECT count(*) FROM posts a "
	    "JOIN posts b ON a.list_id = b.list_id AND a.number < b.number "
	    "AND a.date > b.date WHERE a.list_id = ?1", "i", lid), 0);
	ck_assert_int_eq(db_int(site.db, -1, "SELECT min(number) || max(number) "
	    "FROM posts WHERE list_id = ?1", "i", lid), 13000);
	/* threads: each group of four answers its first */
	ck_assert_int_eq(db_int(site.db, -1, "SELECT count(DISTINCT thread) "
	    "FROM posts WHERE list_id = ?1", "i", lid), (int64_t)n / 4);
	ck_assert_int_eq(search_posts(site.db, lid, "урок", 100, NULL, NULL),
	    100);
	/* a second import adds nothing */
	ck_assert_int_eq(history_import(&site, l, path, NULL, &c), 0);
	ck_assert_uint_eq(c.added, 0);
	ck_assert_uint_eq(c.duplicates, n + dups);
	/* export gives back every message with its From lines quoted */
	out = xasprintf("%s/out.mbox", testlib_dir());
	ck_assert_ptr_nonnull(f = fopen(out, "w"));
	ck_assert_int_eq(history_export(&site, l, NULL, f, &exported), 0);
	ck_assert_int_eq(fclose(f), 0);
	ck_assert_uint_eq(exported, n);
	/* reindex from the archived messages gives the same threads */
	ck_assert_int_eq(db_exec(site.db, "UPDATE posts SET thread = 0, "
	    "subject_key = NULL WHERE list_id = ?1", "i", lid), 0);
	ck_assert_int_eq(db_exec(site.db, "DELETE FROM posts_fts", ""), 0);
	ck_assert_int_eq(history_reindex(&site, l, NULL, &exported), 0);
	ck_assert_uint_eq(exported, n);
	ck_assert_int_eq(db_int(site.db, -1, "SELECT count(DISTINCT thread) "
	    "FROM posts WHERE list_id = ?1", "i", lid), (int64_t)n / 4);
	ck_assert_int_eq(search_posts(site.db, lid, "уроками", 100, NULL,
	    NULL), 100);
	/* the pages */
	ck_assert_int_eq(archive_open(&a, cfg, l, site.db), 0);
	ck_assert_int_eq(archive_render_all(&a, NULL), 0);
	archive_close(&a);
	html = xasprintf("%s/var/html/math/t/1.html", testlib_dir());
	free(out);
	out = testlib_read_file(html, NULL);
	ck_assert_ptr_nonnull(strstr(out, "<html lang=\"ru\">"));
	ck_assert_ptr_nonnull(strstr(out, "Математика &lt;b&gt;&amp;"));
	ck_assert_ptr_null(strstr(out, "<script"));
	ck_assert_ptr_nonnull(strstr(out, "Тема 0"));
	free(out);
	free(html);
	html = xasprintf("%s/var/html/math/index.html", testlib_dir());
	out = testlib_read_file(html, NULL);
	ck_assert_ptr_null(strstr(out, "<script"));
	ck_assert_ptr_nonnull(strstr(out, "&lt;script&gt;alert(0)"));
	free(out);
	free(html);
	free(path);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("archive");
	TCase	*tc;

	log_init("check_archive", 0, 0);
	tc = testlib_tcase(s, "subject");
	tcase_add_loop_test(tc, test_subject_key, 0, NELEM(subject_cases));
	tcase_add_test(tc, test_subject_key_stable);
	tc = testlib_tcase_fixture(s, "search", db_setup, db_teardown);
	tcase_add_test(tc, test_stemming);
	tcase_add_test(tc, test_query_quoting);
	tcase_add_test(tc, test_snippet_marks_forms);
	tcase_add_test(tc, test_threading_broken);
	tc = testlib_tcase_tmp(s, "html");
	tcase_add_loop_test(tc, test_html_escape, 0, NELEM(hostile));
	tcase_add_test(tc, test_html_body);
	tcase_add_test(tc, test_url_segment);
	tcase_add_test(tc, test_mboxrd_round_trip);
	tc = testlib_tcase_fixture(s, "site", site_setup, site_teardown);
	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, test_import_thousands);
	return testlib_run(s);
}
