/*
 * check_digest: the schedule's arithmetic, the digest's order and its
 * MIME and plain forms, and whole digests through a real site (database,
 * queue) driven by a clock the test sets, never by sleeping.
 */
#include <config.h>

#include <check.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/command.h"
#include "core/config.h"
#include "core/digest.h"
#include "core/post.h"
#include "core/schedule.h"
#include "core/site.h"
#include "mail/datetime-ru.h"
#include "mail/digest.h"
#include "mail/message.h"
#include "store/db.h"
#include "store/digest.h"
#include "store/member.h"
#include "util/atomicfile.h"
#include "util/xmalloc.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

/* A local time in the test's zone (Asia/Yekaterinburg, UTC+5). */
static time_t
at(int y, int mon, int d, int h, int min)
{
	struct tm	tm;

	memset(&tm, 0, sizeof tm);
	tm.tm_year = y - 1900;
	tm.tm_mon = mon - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = min;
	tm.tm_isdst = -1;
	return mktime(&tm);
}

START_TEST(test_schedule_parse)
{
	static const char *const bad[] = {
		"", "daily", "daily 24:00", "daily 7", "weekly 09:00",
		"weekly xyz 09:00", "hourly 10:00", "daily 10:00 extra",
		"weekly mon 9:61"
	};
	struct schedule	s;
	char		out[64];
	size_t		i;

	ck_assert_ptr_null(schedule_parse("daily 18:00", &s));
	ck_assert_int_eq(s.kind, SCHEDULE_DAILY);
	ck_assert_int_eq(s.minute, 18 * 60);
	ck_assert_ptr_null(schedule_parse("weekly пн 09:30", &s));
	ck_assert_int_eq(s.kind, SCHEDULE_WEEKLY);
	ck_assert_int_eq(s.wday, 1);
	schedule_format(&s, out, sizeof out);
	ck_assert_str_eq(out, "weekly mon 09:30");
	ck_assert_ptr_null(schedule_parse("еженедельно пятница 15:00", &s));
	ck_assert_int_eq(s.wday, 5);
	ck_assert_ptr_null(schedule_parse("off", &s));
	ck_assert_int_eq(s.kind, SCHEDULE_OFF);
	ck_assert_int_eq(schedule_next(&s, at(2026, 5, 12, 10, 0)), 0);
	for (i = 0; i < NELEM(bad); i++)
		ck_assert_msg(schedule_parse(bad[i], &s) != NULL,
		    "accepted \"%s\"", bad[i]);
}
END_TEST

START_TEST(test_schedule_next)
{
	struct schedule	s;

	ck_assert_ptr_null(schedule_parse("daily 18:00", &s));
	/* Before, at and after the moment of the day. */
	ck_assert_int_eq(schedule_next(&s, at(2026, 5, 12, 10, 0)),
	    at(2026, 5, 12, 18, 0));
	ck_assert_int_eq(schedule_next(&s, at(2026, 5, 12, 18, 0)),
	    at(2026, 5, 13, 18, 0));
	ck_assert_int_eq(schedule_next(&s, at(2026, 12, 31, 19, 0)),
	    at(2027, 1, 1, 18, 0));
	/* 12 May 2026 is a Tuesday: the next Monday is the 18th. */
	ck_assert_ptr_null(schedule_parse("weekly mon 09:00", &s));
	ck_assert_int_eq(schedule_next(&s, at(2026, 5, 12, 10, 0)),
	    at(2026, 5, 18, 9, 0));
	ck_assert_int_eq(schedule_next(&s, at(2026, 5, 18, 8, 59)),
	    at(2026, 5, 18, 9, 0));
	ck_assert_int_eq(schedule_next(&s, at(2026, 5, 18, 9, 0)),
	    at(2026, 5, 25, 9, 0));
	/* Due once the moment has passed since the last time, not before. */
	ck_assert_int_eq(schedule_due(&s, at(2026, 5, 12, 10, 0),
	    at(2026, 5, 18, 8, 0)), 0);
	ck_assert_int_eq(schedule_due(&s, at(2026, 5, 12, 10, 0),
	    at(2026, 5, 18, 9, 0)), 1);
	ck_assert_int_eq(schedule_due(&s, at(2026, 5, 18, 9, 0),
	    at(2026, 5, 24, 23, 0)), 0);
}
END_TEST

/* Three posts: a question, an unrelated notice, and an answer to the
 * question with a Word file named in Cyrillic (RFC 2231). */
static const char post_question[] =
    "From: =?UTF-8?B?0JDQvdC90LAg0JjQstCw0L3QvtCy0LA=?= "
	"<anna@school.example.org>\n"
    "Subject: =?UTF-8?B?0JLQvtC/0YDQvtGBINC/0L4g0JXQk9Ct?=\n"
    "Date: Tue, 12 May 2026 10:00:00 +0500\n"
    "Message-ID: <q1@school.example.org>\n"
    "MIME-Version: 1.0\n"
    "Content-Type: text/plain; charset=utf-8\n"
    "Content-Transfer-Encoding: 8bit\n\n"
    "Коллеги, как вы готовите к ЕГЭ?\n"
    "------------------------------\n"
    "Строка выше — не разделитель.\n";
static const char post_notice[] =
    "From: boris@school.example.org\n"
    "Subject: Olympiad results\n"
    "Date: Tue, 12 May 2026 11:00:00 +0500\n"
    "Message-ID: <n1@school.example.org>\n\n"
    "The results are out.\n";
static const char post_answer[] =
    "From: vera@school.example.org\n"
    "Subject: Re: =?UTF-8?B?0JLQvtC/0YDQvtGBINC/0L4g0JXQk9Ct?=\n"
    "Date: Tue, 12 May 2026 12:00:00 +0500\n"
    "Message-ID: <a1@school.example.org>\n"
    "In-Reply-To: <q1@school.example.org>\n"
    "References: <q1@school.example.org>\n"
    "MIME-Version: 1.0\n"
    "Content-Type: multipart/mixed; boundary=\"xx\"\n\n"
    "--xx\n"
    "Content-Type: text/plain; charset=koi8-r\n"
    "Content-Transfer-Encoding: 8bit\n\n"
    "\xf0\xcc\xc1\xce \xd7\xcf \xd7\xcc\xcf\xd6\xc5\xce\xc9\xc9.\n"
    "--xx\n"
    "Content-Type: application/vnd.openxmlformats-officedocument."
	"wordprocessingml.document\n"
    "Content-Disposition: attachment; filename*=UTF-8''"
	"%D0%BF%D0%BB%D0%B0%D0%BD.docx\n"
    "Content-Transfer-Encoding: base64\n\n"
    "UEsDBBQAAAAIAHBsYW4tdXJva2EtZWdl\n"
    "--xx--\n";

static void
sample_input(struct digest_input *in, struct digest_post *p)
{
	p[0] = (struct digest_post){ 7, post_question,
	    sizeof post_question - 1 };
	p[1] = (struct digest_post){ 8, post_notice, sizeof post_notice - 1 };
	p[2] = (struct digest_post){ 9, post_answer, sizeof post_answer - 1 };
	memset(in, 0, sizeof *in);
	in->lang = "ru";
	in->title = "МО учителей математики";
	in->from = "math-request@lists.example.org";
	in->to = "math@lists.example.org";
	in->date = "Tue, 12 May 2026 18:00:00 +0500";
	in->date_human = "12 мая 2026";
	in->message_id = "digest.math.1.4@lists.example.org";
	in->subject_tag = "[Математика]";
	in->headers = "Precedence: list\n";
	in->volume = 1;
	in->issue = 4;
	in->posts = p;
	in->nposts = 3;
}

static size_t
count(const char *hay, const char *needle)
{
	size_t	n = 0;

	for (; (hay = strstr(hay, needle)) != NULL; hay += strlen(needle))
		n++;
	return n;
}

START_TEST(test_order_threads)
{
	struct digest_input	 in;
	struct digest_post	 p[3];
	size_t			*o;

	sample_input(&in, p);
	o = digest_order(p, 3);
	/* The answer follows its question; the notice comes after. */
	ck_assert_int_eq(o[0], 0);
	ck_assert_int_eq(o[1], 2);
	ck_assert_int_eq(o[2], 1);
	free(o);
}
END_TEST

START_TEST(test_render_mime)
{
	struct digest_input	 in;
	struct digest_post	 p[3];
	struct message		*m;
	char			*d, *toc;
	size_t			 len;

	sample_input(&in, p);
	d = digest_render(&in, DIGEST_MIME, &len);
	ck_assert_uint_eq(strlen(d), len);
	ck_assert_ptr_nonnull(strstr(d, "Content-Type: multipart/digest"));
	ck_assert_int_eq(count(d, "Content-Type: message/rfc822"), 3);
	/* The posts are there whole: the attachment's bytes unchanged. */
	ck_assert_ptr_nonnull(strstr(d, "UEsDBBQAAAAIAHBsYW4tdXJva2EtZWdl"));
	ck_assert_ptr_nonnull(strstr(d, "\xf0\xcc\xc1\xce"));
	ck_assert_ptr_nonnull(strstr(d, "Precedence: list\n"));
	/* The table of contents names the threads in order, in UTF-8. */
	toc = strstr(d, "Темы этого выпуска:");
	ck_assert_ptr_nonnull(toc);
	ck_assert_ptr_nonnull(strstr(toc, " 1. Вопрос по ЕГЭ (Анна Иванова)"));
	ck_assert_ptr_nonnull(strstr(toc,
	    " 2. Re: Вопрос по ЕГЭ (vera@school.example.org)"));
	ck_assert_ptr_nonnull(strstr(toc, " 3. Olympiad results"));
	/* It reads back as a message with the numbered subject. */
	m = message_parse(d, len);
	ck_assert_str_eq(m->subject,
	    "[Математика] Дайджест «МО учителей математики», том 1, выпуск 4");
	ck_assert_int_eq(m->malformed, 0);
	message_free(m);
	free(d);
}
END_TEST

START_TEST(test_render_plain)
{
	struct digest_input	 in;
	struct digest_post	 p[3];
	char			*d, *q, *a, *n;
	size_t			 len;

	sample_input(&in, p);
	d = digest_render(&in, DIGEST_PLAIN, &len);
	ck_assert_ptr_null(strstr(d, "multipart"));
	ck_assert_ptr_nonnull(strstr(d, "Content-Type: text/plain; "
	    "charset=utf-8"));
	/* RFC 1153: 70 hyphens after the contents, 30 between posts. */
	ck_assert_int_eq(count(d, "\n----------------------------------"
	    "------------------------------------\n"), 1);
	ck_assert_int_eq(count(d, "\n------------------------------\n"), 3);
	/* The author's own line of hyphens is shifted, not a separator. */
	ck_assert_ptr_nonnull(strstr(d, "\n ------------------------------\n"
	    "Строка выше"));
	/* Text decoded from koi8-r, the attachment named, not its bytes. */
	ck_assert_ptr_nonnull(strstr(d, "План во вложении."));
	ck_assert_ptr_nonnull(strstr(d, "[Вложение: план.docx (application/"
	    "vnd.openxmlformats-officedocument.wordprocessingml.document, "));
	ck_assert_ptr_null(strstr(d, "UEsDBBQAAAAIAHBsYW4tdXJva2EtZWdl"));
	/* Threads together: question, answer, then the notice. */
	q = strstr(d, "Message-ID: <q1@");
	a = strstr(d, "Message-ID: <a1@");
	n = strstr(d, "Message-ID: <n1@");
	ck_assert(q != NULL && a != NULL && n != NULL && q < a && a < n);
	ck_assert_ptr_nonnull(strstr(d, "Subject: Вопрос по ЕГЭ\n"));
	ck_assert_ptr_nonnull(strstr(d, "From: Анна Иванова "
	    "<anna@school.example.org>\n"));
	ck_assert_ptr_nonnull(strstr(d, "Конец дайджеста «МО учителей "
	    "математики», том 1, выпуск 4\n****"));
	free(d);
	in.lang = "en";
	d = digest_render(&in, DIGEST_PLAIN, &len);
	ck_assert_ptr_nonnull(strstr(d, "[Attachment: план.docx ("));
	ck_assert_ptr_nonnull(strstr(d, "End of МО учителей математики "
	    "digest, Vol 1, Issue 4"));
	free(d);
}
END_TEST

START_TEST(test_format_grammar)
{
	static const struct {
		const char	*line;
		const char	*entry;
		const char	*mode;
	} cases[] = {
		{ "set digest plain", "format", "plain" },
		{ "режим дайджест простой", "format", "plain" },
		{ "Режим дайджест полный", "format", "mime" },
		{ "set digest mime", "format", "mime" },
		{ "set math digest plain", "format", "plain" },
		{ "set digest", "set", "digest" },
		{ "режим обычный", "set", "normal" },
	};
	struct command	c;
	size_t		i;

	for (i = 0; i < NELEM(cases); i++) {
		ck_assert_msg(command_parse(cases[i].line, &c) == 1,
		    "not a command: %s", cases[i].line);
		ck_assert_str_eq(c.entry->name, cases[i].entry);
		ck_assert_str_eq(c.mode, cases[i].mode);
		command_free(&c);
	}
}
END_TEST

/* Date lines in Russian words, in numbers and in English. */
static const struct {
	const char	*line;
	int		 y, m, d, start, end;	/* 0 0 0: no date */
} date_cases[] = {
	{ "Дата: 12 мая 2026, 15:00", 2026, 5, 12, 900, -1 },
	{ "12 мая 2026 г. с 15:00 до 16:30", 2026, 5, 12, 900, 990 },
	{ "Когда: 3 СЕНТЯБРЯ 2026 в 9.30", 2026, 9, 3, 570, -1 },
	{ "1 дек. 2026", 2026, 12, 1, -1, -1 },
	{ "12.05.2026 15:00–16:30", 2026, 5, 12, 900, 990 },
	{ "в пятницу, 05.06.2026, 10:00 — 12:00, актовый зал", 2026, 6, 5,
	    600, 720 },
	{ "2026-05-12 15:00", 2026, 5, 12, 900, -1 },
	{ "Date: May 12, 2026 3:00 PM - 4:30 PM", 2026, 5, 12, 900, 990 },
	{ "Date: May 12, 2026 3 - 4:30 pm", 2026, 5, 12, 900, 990 },
	{ "12 May 2026 at 15:00", 2026, 5, 12, 900, -1 },
	{ "Sept 1st, 2026", 2026, 9, 1, -1, -1 },
	{ "12 мая 2026, кабинет 3", 2026, 5, 12, -1, -1 },
	{ "29.02.2028 12:00", 2028, 2, 29, 720, -1 },
	{ "29.02.2026 12:00", 0, 0, 0, -1, -1 },
	{ "32.01.2026", 0, 0, 0, -1, -1 },
	{ "12 абвгд 2026", 0, 0, 0, -1, -1 },
	{ "12.05.2026 25:00", 2026, 5, 12, -1, -1 },
	{ "Телефон 8-343-123-45-67", 0, 0, 0, -1, -1 },
	{ "", 0, 0, 0, -1, -1 },
};

START_TEST(test_date_line)
{
	struct datetime_range	dr;
	int			found;

	found = datetime_parse(date_cases[_i].line, &dr);
	ck_assert_msg(found == (date_cases[_i].y != 0), "%s: found %d",
	    date_cases[_i].line, found);
	if (!found)
		return;
	ck_assert_msg(dr.year == date_cases[_i].y && dr.month ==
	    date_cases[_i].m && dr.day == date_cases[_i].d &&
	    dr.start_min == date_cases[_i].start && dr.end_min ==
	    date_cases[_i].end, "%s: %d-%d-%d %d %d", date_cases[_i].line,
	    dr.year, dr.month, dr.day, dr.start_min, dr.end_min);
}
END_TEST

START_TEST(test_time_line)
{
	struct datetime_range	dr = { 2026, 5, 12, -1, -1 };

	ck_assert_int_eq(datetime_parse_times("15:00–16:30", &dr), 1);
	ck_assert_int_eq(dr.start_min, 900);
	ck_assert_int_eq(dr.end_min, 990);
	ck_assert_int_eq(datetime_parse_times("с 9:00 до 10.15", &dr), 1);
	ck_assert_int_eq(dr.start_min, 540);
	ck_assert_int_eq(dr.end_min, 615);
	ck_assert_int_eq(datetime_parse_times("3 pm", &dr), 1);
	ck_assert_int_eq(dr.start_min, 900);
	ck_assert_int_eq(dr.day, 12);
	ck_assert_int_eq(datetime_parse_times("после уроков", &dr), 0);
	ck_assert_int_eq(datetime_parse_times("26:00", &dr), 0);
}
END_TEST

/* A site in a temporary directory with the list "math". */
static char		*tmpdir;
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

static void
site_start(void)
{
	char	*conf;
	int	 transient;

	conf = xasprintf("%s/conf/metodist.conf", tmpdir);
	cfg = config_load(conf, NULL, NULL);
	ck_assert_ptr_nonnull(cfg);
	ck_assert_int_eq(site_open(cfg, &site, &transient), 0);
	free(conf);
}

static void
site_setup(void)
{
	char	 tmpl[] = "/tmp/check_digest.XXXXXX", *p, *conf;
	const char *src = getenv("top_srcdir");
	char	 cwd[4096];

	ck_assert_ptr_nonnull(mkdtemp(tmpl));
	tmpdir = xstrdup(tmpl);
	p = xasprintf("%s/conf/lists.d", tmpdir);
	ck_assert_int_eq(atomicfile_mkdirs(p, 0700), 0);
	free(p);
	p = xasprintf("%s/conf/lists.d/math.conf", tmpdir);
	write_str(p, "[list]\ntitle = МО учителей математики\n"
	    "coordinators = coord@imc.example.org\npolicy = open\n"
	    "subject_tag = [Математика]\ndigest_schedule = daily 18:00\n"
	    "digest_max_posts = 3\ndigest_max_size = 0\n");
	free(p);
	p = xasprintf("%s/conf/lists.d/sizes.conf", tmpdir);
	write_str(p, "[list]\ntitle = По размеру\n"
	    "coordinators = coord@imc.example.org\npolicy = open\n"
	    "digest_schedule = off\ndigest_max_posts = 0\n"
	    "digest_max_size = 300\n");
	free(p);
	if (src == NULL || *src == '\0')
		src = ".";
	ck_assert_ptr_nonnull(getcwd(cwd, sizeof cwd));
	p = xasprintf("[site]\ndomain = lists.example.org\n[paths]\n"
	    "var = %s/var\ntemplates = %s%s%s/templates\n"
	    "[egress]\ntransport = maildir\noutbox = %s/outbox\n"
	    "[dmarc]\nmode = never\n", tmpdir, *src == '/' ? "" : cwd,
	    *src == '/' ? "" : "/", src, tmpdir);
	conf = xasprintf("%s/conf/metodist.conf", tmpdir);
	write_str(conf, p);
	free(conf);
	free(p);
	site_start();
}

static int
rm_one(const char *path, const struct stat *st, int flag, struct FTW *f)
{
	return remove(path);
}

static void
site_stop(void)
{
	site_close(&site);
	config_free(cfg);
}

static void
site_teardown(void)
{
	site_stop();
	nftw(tmpdir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	free(tmpdir);
}

static void
post_to(const char *list, int i)
{
	struct message	*m;
	char		*raw, key[32];

	raw = xasprintf("From: anna@school.example.org\nSubject: Письмо %d\n"
	    "Message-ID: <p%d@school.example.org>\n\nТекст письма %d.\n", i,
	    i, i);
	m = message_parse(raw, strlen(raw));
	snprintf(key, sizeof key, "spool-%s-%d", list, i);
	ck_assert_int_eq(post_distribute(&site, config_list(cfg, list), m,
	    key), POST_SENT);
	message_free(m);
	free(raw);
}

static void
post(int i)
{
	post_to("math", i);
}

static int64_t
deliveries_to(const char *rcpt, const char *kind)
{
	return db_int(site.db, 0, "SELECT count(*) FROM deliveries d JOIN "
	    "outbound o ON o.id = d.outbound_id WHERE d.recipient = ?1 AND "
	    "o.kind = ?2", "tt", rcpt, kind);
}

static void
assert_subject(const char *d, const char *subject)
{
	struct message	*m = message_parse(d, strlen(d));

	ck_assert_str_eq(m->subject, subject);
	message_free(m);
}

/* The newest digest file queued for rcpt. */
static char *
digest_to(const char *rcpt)
{
	sqlite3_stmt	*st;
	char		*path, *data;
	size_t		 len;

	st = db_stmt(site.db, "SELECT o.path FROM outbound o JOIN deliveries "
	    "d ON d.outbound_id = o.id WHERE d.recipient = ?1 AND o.kind = "
	    "'notice' ORDER BY o.id DESC LIMIT 1", "t", rcpt);
	ck_assert_ptr_nonnull(st);
	ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
	path = db_text(st, 0);
	sqlite3_finalize(st);
	data = atomicfile_read(path, 1 << 24, &len);
	ck_assert_ptr_nonnull(data);
	free(path);
	return data;
}

#define ANNA	"anna@school.example.org"
#define BORIS	"boris@school.example.org"
#define VERA	"vera@school.example.org"

START_TEST(test_digest_run)
{
	int64_t	 lid = site_list_id(&site, config_list(cfg, "math"));
	time_t	 now = time(NULL), six;
	char	*d;

	ck_assert_int_eq(member_add(site.db, lid, ANNA, NULL, "digest"), 0);
	ck_assert_int_eq(member_add(site.db, lid, BORIS, NULL, "digest"), 0);
	ck_assert_int_eq(member_add(site.db, lid, VERA, NULL, "normal"), 0);
	ck_assert_int_eq(digest_set_format(site.db, lid, BORIS, 0, "plain"),
	    0);
	ck_assert_int_eq(digest_set_format(site.db, lid, "x@y.org", 0,
	    "plain"), 1);
	six = schedule_next(&config_list(cfg, "math")->digest_schedule, now);
	ck_assert_int_eq(digest_run(&site, now), 0);
	post(1);
	post(2);
	/* Two posts: below the threshold of three, before 18:00. */
	ck_assert_int_eq(digest_run(&site, now), 0);
	post(3);
	/* The third reaches the count: one issue, each reader's format. */
	ck_assert_int_eq(digest_run(&site, now), 1);
	ck_assert_int_eq(digest_run(&site, now), 0);
	ck_assert_int_eq(deliveries_to(ANNA, "post"), 0);
	ck_assert_int_eq(deliveries_to(VERA, "post"), 3);
	ck_assert_int_eq(deliveries_to(VERA, "notice"), 0);
	ck_assert_int_eq(deliveries_to(ANNA, "notice"), 1);
	ck_assert_int_eq(deliveries_to(BORIS, "notice"), 1);
	d = digest_to(ANNA);
	ck_assert_ptr_nonnull(strstr(d, "multipart/digest"));
	assert_subject(d, "[Математика] Дайджест «МО учителей математики», "
	    "том 1, выпуск 1");
	ck_assert_int_eq(count(d, "Message-ID: <p"), 3);
	free(d);
	d = digest_to(BORIS);
	ck_assert_ptr_null(strstr(d, "multipart"));
	ck_assert_ptr_nonnull(strstr(d, "Текст письма 3."));
	free(d);
	/* A fourth post waits for the schedule, across a restart. */
	post(4);
	site_stop();
	site_start();
	ck_assert_int_eq(digest_run(&site, six - 60), 0);
	ck_assert_int_eq(digest_run(&site, six), 1);
	ck_assert_int_eq(digest_run(&site, six + 60), 0);
	d = digest_to(BORIS);
	assert_subject(d, "[Математика] Дайджест «МО учителей математики», "
	    "том 1, выпуск 2");
	ck_assert_ptr_nonnull(strstr(d, "Письмо 4"));
	ck_assert_ptr_null(strstr(d, "Письмо 3"));
	free(d);
	ck_assert_int_eq(deliveries_to(ANNA, "notice"), 2);
	/* Each post in exactly one issue. */
	ck_assert_int_eq(db_int(site.db, 0, "SELECT sum(last_number - "
	    "first_number + 1) FROM digests", ""), 4);
	/* The next day without posts: nothing is sent. */
	ck_assert_int_eq(digest_run(&site, six + 86400), 0);
	ck_assert_int_eq(digest_send_now(&site, config_list(cfg, "math"),
	    six + 86400), 0);
	ck_assert_int_eq(deliveries_to(ANNA, "notice"), 2);
}
END_TEST

START_TEST(test_digest_size)
{
	int64_t	lid = site_list_id(&site, config_list(cfg, "sizes"));
	time_t	now = time(NULL);

	ck_assert_int_eq(member_add(site.db, lid, ANNA, NULL, "digest"), 0);
	ck_assert_int_eq(digest_run(&site, now), 0);
	/* About 110 bytes a post: the third passes 300 bytes. */
	post_to("sizes", 1);
	post_to("sizes", 2);
	ck_assert_int_eq(digest_run(&site, now + 86400 * 30), 0);
	post_to("sizes", 3);
	ck_assert_int_eq(digest_run(&site, now), 1);
	ck_assert_int_eq(deliveries_to(ANNA, "notice"), 1);
}
END_TEST

START_TEST(test_digest_no_readers)
{
	int64_t	lid = site_list_id(&site, config_list(cfg, "math"));
	time_t	now = time(NULL);

	ck_assert_int_eq(member_add(site.db, lid, VERA, NULL, "normal"), 0);
	ck_assert_int_eq(digest_run(&site, now), 0);
	post(1);
	post(2);
	post(3);
	ck_assert_int_eq(digest_run(&site, now), 0);
	/* A reader who comes later does not get the old posts. */
	ck_assert_int_eq(member_add(site.db, lid, ANNA, NULL, "digest"), 0);
	post(4);
	ck_assert_int_eq(digest_send_now(&site, config_list(cfg, "math"),
	    now), 1);
	ck_assert_int_eq(db_int(site.db, 0, "SELECT first_number FROM "
	    "digests", ""), 4);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("digest");
	TCase	*tc;
	SRunner	*sr;
	int	 failed;

	setenv("TZ", "Asia/Yekaterinburg", 1);
	tzset();
	tc = tcase_create("schedule");
	tcase_add_test(tc, test_schedule_parse);
	tcase_add_test(tc, test_schedule_next);
	suite_add_tcase(s, tc);
	tc = tcase_create("render");
	tcase_add_test(tc, test_order_threads);
	tcase_add_test(tc, test_render_mime);
	tcase_add_test(tc, test_render_plain);
	tcase_add_test(tc, test_format_grammar);
	tcase_add_loop_test(tc, test_date_line, 0, NELEM(date_cases));
	tcase_add_test(tc, test_time_line);
	suite_add_tcase(s, tc);
	tc = tcase_create("site");
	tcase_add_checked_fixture(tc, site_setup, site_teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_digest_run);
	tcase_add_test(tc, test_digest_no_readers);
	tcase_add_test(tc, test_digest_size);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
