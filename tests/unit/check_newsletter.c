/*
 * check_newsletter: an issue gathered from a real site (events in date
 * order, approved materials, coordinators' posts, the liveliest thread,
 * the activity line), rendered as text and escaped HTML, sent to members
 * not in nomail, not sent when empty, and due by the list's schedule on
 * the test's clock.
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
#include "core/newsletter.h"
#include "core/post.h"
#include "core/schedule.h"
#include "core/site.h"
#include "mail/message.h"
#include "store/db.h"
#include "store/event.h"
#include "store/member.h"
#include "util/atomicfile.h"
#include "util/xmalloc.h"

static char		*tmpdir;
static struct config	*cfg;
static struct site	 site;
static int64_t		 lid;

static void
write_str(const char *path, const char *s)
{
	FILE	*f = fopen(path, "w");

	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(fputs(s, f) >= 0, 1);
	ck_assert_int_eq(fclose(f), 0);
}

static void
site_setup(void)
{
	char	 tmpl[] = "/tmp/check_newsletter.XXXXXX", *p, *conf, cwd[4096];
	const char *src = getenv("top_srcdir");
	int	 transient;

	if (src == NULL || *src == '\0')
		src = ".";
	ck_assert_ptr_nonnull(mkdtemp(tmpl));
	tmpdir = xstrdup(tmpl);
	p = xasprintf("%s/conf/lists.d", tmpdir);
	ck_assert_int_eq(atomicfile_mkdirs(p, 0700), 0);
	free(p);
	conf = xasprintf("%s/conf/lists.d/math.conf", tmpdir);
	write_str(conf, "[list]\ntitle = МО учителей <математики> & Ко\n"
	    "coordinators = coord@imc.example.org\npolicy = open\n"
	    "archive_url = https://archive.example.org/math\n"
	    "newsletter_schedule = weekly mon 09:00\n");
	free(conf);
	ck_assert_ptr_nonnull(getcwd(cwd, sizeof cwd));
	p = xasprintf("[site]\ndomain = lists.example.org\nname = ИМЦ\n"
	    "[paths]\nvar = %s/var\ntemplates = %s%s%s/templates\n"
	    "[egress]\ntransport = maildir\noutbox = %s/outbox\n"
	    "[dmarc]\nmode = never\n", tmpdir, *src == '/' ? "" : cwd,
	    *src == '/' ? "" : "/", src, tmpdir);
	conf = xasprintf("%s/conf/metodist.conf", tmpdir);
	write_str(conf, p);
	free(p);
	cfg = config_load(conf, NULL, NULL);
	ck_assert_ptr_nonnull(cfg);
	ck_assert_int_eq(site_open(cfg, &site, &transient), 0);
	free(conf);
	lid = site_list_id(&site, config_list(cfg, "math"));
}

static int
rm_one(const char *path, const struct stat *st, int flag, struct FTW *f)
{
	return remove(path);
}

static void
site_teardown(void)
{
	site_close(&site);
	config_free(cfg);
	nftw(tmpdir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	free(tmpdir);
}

static void
post(const char *from, int i, const char *subject, int parent)
{
	struct message	*m;
	char		*raw, key[32], refs[96] = "";

	if (parent > 0)
		snprintf(refs, sizeof refs, "In-Reply-To: <p%d@x.org>\n"
		    "References: <p%d@x.org>\n", parent, parent);
	raw = xasprintf("From: %s\nSubject: %s\nMessage-ID: <p%d@x.org>\n%s\n"
	    "Текст.\n", from, subject, i, refs);
	m = message_parse(raw, strlen(raw));
	snprintf(key, sizeof key, "k%d", i);
	ck_assert_int_eq(post_distribute(&site, config_list(cfg, "math"), m,
	    key), POST_SENT);
	message_free(m);
	free(raw);
}

static void
event(const char *uid, const char *title, time_t start)
{
	struct event_row	e;

	memset(&e, 0, sizeof e);
	e.list_id = lid;
	e.source = "mail";
	e.uid = uid;
	e.title = title;
	e.starts = start;
	e.place = "ИМЦ";
	ck_assert_int_eq(event_insert(site.db, &e), 0);
}

static void
assert_before(const char *s, const char *a, const char *b)
{
	const char	*pa = strstr(s, a), *pb = strstr(s, b);

	ck_assert_msg(pa != NULL, "\"%s\" missing", a);
	ck_assert_msg(pb != NULL, "\"%s\" missing", b);
	ck_assert_msg(pa < pb, "\"%s\" not before \"%s\"", a, b);
}

static int64_t
issues_to(const char *rcpt)
{
	return db_int(site.db, 0, "SELECT count(*) FROM deliveries d JOIN "
	    "outbound o ON o.id = d.outbound_id WHERE d.recipient = ?1 AND "
	    "o.path LIKE '%newsletter-%'", "t", rcpt);
}

START_TEST(test_issue)
{
	struct newsletter_issue	 is;
	time_t			 now = time(NULL);
	char			*msg, *text, *html;

	ck_assert_int_eq(member_add(site.db, lid, "a@x.org", NULL, "normal"),
	    0);
	ck_assert_int_eq(member_add(site.db, lid, "b@x.org", NULL, "digest"),
	    0);
	ck_assert_int_eq(member_add(site.db, lid, "c@x.org", NULL, "nomail"),
	    0);
	/* Nothing yet: no issue. */
	ck_assert_int_eq(newsletter_send(&site, config_list(cfg, "math"),
	    now), 0);
	ck_assert_int_eq(issues_to("a@x.org"), 0);

	event("e2", "Вебинар <script>", now + 5 * 86400);
	event("e1", "Семинар", now + 2 * 86400);
	event("old", "Прошедшее", now - 2 * 86400);
	event("far", "Через год", now + 300 * 86400);
	post("a@x.org", 1, "Задачи на проценты", 0);
	post("b@x.org", 2, "Re: Задачи на проценты", 1);
	post("a@x.org", 3, "Re: Задачи на проценты", 2);
	post("coord@imc.example.org", 4, "Совещание руководителей МО", 0);
	ck_assert_int_eq(db_exec(site.db, "INSERT INTO submissions (list_id, "
	    "year, seq, code, title, description, author, author_name, "
	    "state, created, updated, decided) VALUES (?1, 2026, 42, "
	    "'М-2026-0042', 'Урок-игра по дробям', '', 'a@x.org', "
	    "'Анна Иванова', 'approved', ?2, ?2, ?2)", "ii", lid,
	    (int64_t)now - 60), 0);

	/* A moment after the posts: the period is [from, now). */
	now += 2;
	ck_assert_int_eq(newsletter_build(&site, config_list(cfg, "math"),
	    now, &is), 0);
	ck_assert_int_eq(newsletter_empty(&is), 0);
	ck_assert_uint_eq(is.nrows[NL_EVENTS], 2);
	ck_assert_uint_eq(is.nrows[NL_MATERIALS], 1);
	ck_assert_uint_eq(is.nrows[NL_ANNOUNCEMENTS], 1);
	ck_assert_uint_eq(is.nrows[NL_THREADS], 1);
	ck_assert_int_eq(is.posts, 4);
	ck_assert_int_eq(is.authors, 3);
	msg = newsletter_render(&site, &is, &text, &html);
	ck_assert_ptr_nonnull(msg);
	/* Text: sections in order, events by date, thread with its count. */
	assert_before(text, "Ближайшие мероприятия", "Новые методические");
	assert_before(text, "Семинар", "Вебинар <script>");
	ck_assert_ptr_null(strstr(text, "Прошедшее"));
	ck_assert_ptr_null(strstr(text, "Через год"));
	ck_assert_ptr_nonnull(strstr(text, "Урок-игра по дробям"));
	ck_assert_ptr_nonnull(strstr(text, "Анна Иванова, М-2026-0042"));
	ck_assert_msg(strstr(text, "* Задачи на проценты\n  3 письма\n"
	    "  https://archive.example.org/math/1\n") != NULL, "%s", text);
	ck_assert_ptr_nonnull(strstr(text, "За период: 4 письма от 3 "
	    "участников; новых участников: 3."));
	/* HTML: everything escaped, links only to the archive. */
	ck_assert_ptr_null(strstr(html, "<script>"));
	ck_assert_ptr_nonnull(strstr(html, "Вебинар &lt;script&gt;"));
	ck_assert_ptr_nonnull(strstr(html, "МО учителей &lt;математики&gt; "
	    "&amp; Ко"));
	ck_assert_ptr_nonnull(strstr(html, "<a href=\"https://archive."
	    "example.org/math/4\""));
	ck_assert_ptr_nonnull(strstr(msg, "Content-Type: multipart/"
	    "alternative"));
	ck_assert_ptr_nonnull(strstr(msg, "Content-Type: text/html; "
	    "charset=utf-8\nContent-Transfer-Encoding: base64\n"));
	free(msg);
	free(text);
	free(html);
	newsletter_free(&is);

	ck_assert_int_eq(newsletter_send(&site, config_list(cfg, "math"),
	    now), 1);
	ck_assert_int_eq(issues_to("a@x.org"), 1);
	ck_assert_int_eq(issues_to("b@x.org"), 1);
	ck_assert_int_eq(issues_to("c@x.org"), 0);
	/* The next issue covers only what came after. */
	ck_assert_int_eq(newsletter_build(&site, config_list(cfg, "math"),
	    now + 60, &is), 0);
	ck_assert_int_eq(is.number, 2);
	ck_assert_int_eq(is.posts, 0);
	ck_assert_uint_eq(is.nrows[NL_MATERIALS], 0);
	ck_assert_uint_eq(is.nrows[NL_EVENTS], 2);
	/* The same events alone are nothing new: not sent again. */
	ck_assert_int_eq(newsletter_empty(&is), 1);
	newsletter_free(&is);
	ck_assert_int_eq(newsletter_send(&site, config_list(cfg, "math"),
	    now + 60), 0);
	ck_assert_int_eq(issues_to("a@x.org"), 1);
}
END_TEST

START_TEST(test_schedule)
{
	const struct list_config	*l = config_list(cfg, "math");
	time_t				 created, monday;

	created = (time_t)db_int(site.db, 0, "SELECT created FROM lists "
	    "WHERE id = ?1", "i", lid);
	monday = schedule_next(&l->newsletter_schedule, created);
	ck_assert_int_eq(member_add(site.db, lid, "a@x.org", NULL, "normal"),
	    0);
	event("e1", "Семинар", monday + 86400);
	ck_assert_int_eq(newsletter_run(&site, monday - 60), 0);
	ck_assert_int_eq(newsletter_run(&site, monday), 1);
	ck_assert_int_eq(newsletter_run(&site, monday + 3600), 0);
	ck_assert_int_eq(issues_to("a@x.org"), 1);
	/* A week on with nothing ahead: due, but empty, so not sent. */
	ck_assert_int_eq(db_exec(site.db, "UPDATE events SET state = "
	    "'cancelled'", ""), 0);
	ck_assert_int_eq(newsletter_run(&site, monday + 7 * 86400), 0);
	ck_assert_int_eq(newsletter_run(&site, monday + 7 * 86400 + 60), 0);
	ck_assert_int_eq(issues_to("a@x.org"), 1);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("newsletter");
	TCase	*tc;
	SRunner	*sr;
	int	 failed;

	setenv("TZ", "Asia/Yekaterinburg", 1);
	tzset();
	tc = tcase_create("site");
	tcase_add_checked_fixture(tc, site_setup, site_teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_issue);
	tcase_add_test(tc, test_schedule);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
