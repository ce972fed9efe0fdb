/*
 * check_feed: feeds fetched from a real HTTP server on 127.0.0.1 that
 * the test starts (tests/feed-server.py): 200 with validators and 304 on
 * the conditional GET that follows, 500, a redirect loop, a 20 MB body,
 * malformed XML; RSS, Atom and iCalendar read into entries and events,
 * nothing twice; failures backed off and reported to the coordinators
 * once.  The clock is the test's; nothing sleeps but the wait for the
 * server to listen.
 */
#include <config.h>

#include <check.h>
#include <ftw.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/config.h"
#include "core/feeds.h"
#include "core/site.h"
#include "io/feed.h"
#include "io/feedxml.h"
#include "store/db.h"
#include "util/atomicfile.h"
#include "util/xmalloc.h"

static char		*tmpdir, *logfile;
static pid_t		 server;
static int		 port;
static struct config	*cfg;
static struct site	 site;

static void
write_str(const char *path, const char *s)
{
	FILE	*f = fopen(path, "w");

	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(fputs(s, f) >= 0, 1);
	ck_assert_int_eq(fclose(f), 0);
}

static const char *
srcdir(void)
{
	const char	*d = getenv("top_srcdir");

	return d != NULL && *d != '\0' ? d : ".";
}

static void
server_start(void)
{
	char	*script, *portfile, *data;
	size_t	 len;
	int	 i;

	script = xasprintf("%s/tests/feed-server.py", srcdir());
	portfile = xasprintf("%s/port", tmpdir);
	logfile = xasprintf("%s/requests.log", tmpdir);
	if ((server = fork()) == 0) {
		execlp("python3", "python3", script, portfile, logfile,
		    (char *)NULL);
		_exit(127);
	}
	ck_assert_int_gt(server, 0);
	for (i = 0; i < 100 && access(portfile, R_OK) != 0; i++)
		usleep(100000);
	data = atomicfile_read(portfile, 64, &len);
	ck_assert_msg(data != NULL, "the feed server did not start");
	port = (int)strtol(data, NULL, 10);
	free(data);
	free(portfile);
	free(script);
}

static void
site_setup(void)
{
	char	 tmpl[] = "/tmp/check_feed.XXXXXX", *p, *conf, cwd[4096];
	const char *src = srcdir();
	int	 transient;

	ck_assert_ptr_nonnull(mkdtemp(tmpl));
	tmpdir = xstrdup(tmpl);
	server_start();
	p = xasprintf("%s/conf/lists.d", tmpdir);
	ck_assert_int_eq(atomicfile_mkdirs(p, 0700), 0);
	free(p);
	p = xasprintf("[list]\ntitle = МО учителей математики\n"
	    "coordinators = coord@imc.example.org\n"
	    "feeds = http://127.0.0.1:%d/rss, http://127.0.0.1:%d/atom, "
	    "http://127.0.0.1:%d/cal.ics, http://127.0.0.1:%d/500, "
	    "http://127.0.0.1:%d/loop, http://127.0.0.1:%d/big, "
	    "http://127.0.0.1:%d/bad\n", port, port, port, port, port, port,
	    port);
	conf = xasprintf("%s/conf/lists.d/math.conf", tmpdir);
	write_str(conf, p);
	free(conf);
	free(p);
	ck_assert_ptr_nonnull(getcwd(cwd, sizeof cwd));
	p = xasprintf("[site]\ndomain = lists.example.org\n"
	    "feeds = http://127.0.0.1:%d/cal.ics\n[paths]\n"
	    "var = %s/var\ntemplates = %s%s%s/templates\n"
	    "[egress]\ntransport = maildir\noutbox = %s/outbox\n", port, tmpdir,
	    *src == '/' ? "" : cwd, *src == '/' ? "" : "/", src, tmpdir);
	conf = xasprintf("%s/conf/metodist.conf", tmpdir);
	write_str(conf, p);
	free(p);
	cfg = config_load(conf, NULL, NULL);
	ck_assert_ptr_nonnull(cfg);
	ck_assert_int_eq(site_open(cfg, &site, &transient), 0);
	free(conf);
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
	if (server > 0) {
		kill(server, SIGTERM);
		waitpid(server, NULL, 0);
	}
	nftw(tmpdir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	free(tmpdir);
	free(logfile);
}

static int64_t
q(const char *sql, const char *path)
{
	char	*url = xasprintf("http://127.0.0.1:%d%s", port, path);
	int64_t	 v = db_int(site.db, -2, sql, "t", url);

	free(url);
	return v;
}

static char *
qs(const char *sql, const char *path)
{
	char		*url = xasprintf("http://127.0.0.1:%d%s", port, path);
	sqlite3_stmt	*st = db_stmt(site.db, sql, "t", url);
	char		*s = NULL;

	ck_assert_ptr_nonnull(st);
	if (sqlite3_step(st) == SQLITE_ROW)
		s = db_text(st, 0);
	sqlite3_finalize(st);
	free(url);
	return s ? s : xstrdup("(none)");
}

static void
assert_error(const char *path, const char *needle)
{
	char	*e = qs("SELECT last_error FROM feeds WHERE url = ?1", path);

	ck_assert_msg(strstr(e, needle) != NULL, "%s: error \"%s\", wanted "
	    "\"%s\"", path, e, needle);
	free(e);
}

static int
log_has(const char *line)
{
	char	*data;
	size_t	 len;
	int	 yes;

	data = atomicfile_read(logfile, 1 << 20, &len);
	ck_assert_ptr_nonnull(data);
	yes = strstr(data, line) != NULL;
	free(data);
	return yes;
}

#define ENTRIES	"SELECT count(*) FROM feed_entries"
#define EVENTS	"SELECT count(*) FROM events WHERE source = 'feed'"
#define REPORTS	"SELECT count(*) FROM outbound o JOIN deliveries d ON " \
		"d.outbound_id = o.id WHERE d.recipient = " \
		"'coord@imc.example.org'"

START_TEST(test_feeds)
{
	time_t	now = time(NULL);
	char	*etag;

	/* Seven feeds of the list and one of the site. */
	ck_assert_int_eq(feeds_run(&site, now), 8);
	/* 200: the validators kept, entries and events read. */
	ck_assert_int_eq(q("SELECT last_status FROM feeds WHERE url = ?1",
	    "/rss"), 200);
	etag = qs("SELECT etag FROM feeds WHERE url = ?1", "/rss");
	ck_assert_str_eq(etag, "\"rss-v1\"");
	free(etag);
	ck_assert_int_eq(db_int(site.db, -1, ENTRIES, ""), 4);
	/* RSS: the seminar's date in its title; Atom: the webinar's;
	 * iCalendar: three Wednesdays. */
	ck_assert_int_eq(db_int(site.db, -1, EVENTS, ""), 8);
	ck_assert_int_eq(db_int(site.db, -1, "SELECT count(*) FROM events "
	    "WHERE uid = 'club@imc.example.org' AND list_id IS NOT NULL", ""),
	    3);
	/* The site's feed: events for every list. */
	ck_assert_int_eq(db_int(site.db, -1, "SELECT count(*) FROM events "
	    "WHERE list_id IS NULL", ""), 3);
	ck_assert_int_eq(db_int(site.db, -1, "SELECT ends - starts FROM "
	    "events WHERE uid = 'imc-news-1'", ""), 90 * 60);
	/* Each failure recorded with what went wrong. */
	assert_error("/500", "HTTP status 500");
	assert_error("/loop", "edirect");
	assert_error("/big", "larger than the limit");
	assert_error("/bad", "not well-formed");
	ck_assert_int_eq(q("SELECT failures FROM feeds WHERE url = ?1",
	    "/bad"), 1);
	ck_assert_int_eq(q("SELECT next_fetch FROM feeds WHERE url = ?1",
	    "/500") - now, 300);
	/* Nothing is due again at once. */
	ck_assert_int_eq(feeds_run(&site, now + 10), 0);

	/* An hour later: the second GET is conditional and answered 304;
	 * the failing feeds fail a second time. */
	ck_assert_int_eq(feeds_run(&site, now + 3601), 8);
	ck_assert_msg(log_has("/rss 304 \"rss-v1\" Tue,_10_Nov_2026"),
	    "no conditional GET answered 304");
	ck_assert_int_eq(q("SELECT last_status FROM feeds WHERE url = ?1",
	    "/rss"), 304);
	ck_assert_int_eq(db_int(site.db, -1, ENTRIES, ""), 4);
	ck_assert_int_eq(q("SELECT failures FROM feeds WHERE url = ?1",
	    "/500"), 2);
	ck_assert_int_eq(q("SELECT next_fetch FROM feeds WHERE url = ?1",
	    "/500") - (now + 3601), 600);
	ck_assert_int_eq(db_int(site.db, -1, REPORTS, ""), 0);

	/* A third failure is reported, once per feed, not at the fourth. */
	ck_assert_int_eq(feeds_run(&site, now + 2 * 3601), 8);
	ck_assert_int_eq(db_int(site.db, -1, REPORTS, ""), 4);
	ck_assert_int_eq(feeds_run(&site, now + 4 * 3601), 8);
	ck_assert_int_eq(q("SELECT failures FROM feeds WHERE url = ?1",
	    "/loop"), 4);
	ck_assert_int_eq(db_int(site.db, -1, REPORTS, ""), 4);

	/* A feed read again without its validators adds nothing. */
	ck_assert_int_eq(db_exec(site.db, "UPDATE feeds SET etag = NULL, "
	    "last_modified = NULL, next_fetch = 0", ""), 0);
	ck_assert_int_eq(feeds_run(&site, now + 5 * 3601), 8);
	ck_assert_int_eq(q("SELECT last_status FROM feeds WHERE url = ?1",
	    "/rss"), 200);
	ck_assert_int_eq(db_int(site.db, -1, ENTRIES, ""), 4);
	ck_assert_int_eq(db_int(site.db, -1, EVENTS, ""), 8);
	ck_assert_int_eq(db_int(site.db, -1, "SELECT count(*) FROM feeds", ""),
	    8);
}
END_TEST

START_TEST(test_feedxml)
{
	static const char rss[] =
	    "<?xml version=\"1.0\"?><rss><channel><item><title>A &amp; B"
	    "</title><link>http://x/1</link></item><item><guid>g2</guid>"
	    "<title>Два</title><pubDate>Tue, 10 Nov 2026 08:00:00 GMT"
	    "</pubDate></item><item></item></channel></rss>";
	static const char bomb[] =
	    "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY a \"aaaaaaaaaa\">"
	    "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">"
	    "<!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">"
	    "<!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\">"
	    "<!ENTITY e \"&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;\">"
	    "<!ENTITY f \"&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;\">"
	    "<!ENTITY g \"&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;\">]>"
	    "<rss><channel><item><title>&g;</title></item></channel></rss>";
	struct feed_item	*v;
	size_t			 n;
	char			 err[128];

	ck_assert_int_eq(feedxml_parse(rss, strlen(rss), 10, &v, &n, err,
	    sizeof err), 0);
	ck_assert_uint_eq(n, 2);	/* the empty item has nothing to key */
	ck_assert_str_eq(v[0].title, "A & B");
	ck_assert_str_eq(v[0].key, "http://x/1");
	ck_assert_str_eq(v[1].key, "g2");
	ck_assert_int_eq(v[1].published, 1794297600);
	feedxml_free(v, n);
	/* Entity expansion is bounded: the text is cut, nothing blows up. */
	if (feedxml_parse(bomb, strlen(bomb), 10, &v, &n, err,
	    sizeof err) == 0) {
		ck_assert_uint_le(strlen(v[0].title), FEEDXML_TEXT_MAX);
		feedxml_free(v, n);
	}
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("feed");
	TCase	*tc;
	SRunner	*sr;
	int	 failed;

	setenv("TZ", "Asia/Yekaterinburg", 1);
	tzset();
	tc = tcase_create("xml");
	tcase_add_test(tc, test_feedxml);
	suite_add_tcase(s, tc);
	tc = tcase_create("http");
	tcase_add_checked_fixture(tc, site_setup, site_teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_feeds);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
