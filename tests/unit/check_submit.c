/*
 * check_submit: methodological developments.
 *
 * The reviewer's decision in replies as mail programs write them (Russian
 * and English, top- and bottom-posted, Outlook's unmarked quotation, the
 * Subject as a fallback, words that only look alike); content sniffing of
 * ZIP containers built here byte by byte (DOCX, XLSX, PPTX, ODT, a plain
 * ZIP, one with its directory cut off), PDF and OLE, against extensions;
 * submission numbers, written and found, and allocated per year in a
 * private site; reviewers taken round-robin, skipping the author; and
 * reminders and reassignment driven by a clock passed in.
 */
#include <config.h>

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/config.h"
#include "core/review.h"
#include "core/site.h"
#include "store/db.h"
#include "store/submission.h"
#include "util/buf.h"
#include "util/filetype.h"
#include "util/xmalloc.h"
#include "testlib.h"

#define DAY		((time_t)24 * 3600)

/* ---- decisions ----------------------------------------------------------- */

static const struct decision_case {
	const char		*what;
	const char		*text;
	const char		*subject;
	enum review_decision	 want;
	const char		*comment;	/* NULL: not checked */
} decision_cases[] = {
	{ "bare Russian word", "Одобрено\n", "Re: x", REVIEW_APPROVE, "" },
	{ "top-posted revise with a Gmail quotation",
	    "На доработку: добавьте критерии оценивания.\nИ уточните цели.\n\n"
	    "пт, 27 нояб. 2026 г. в 10:00, МО <math-request@x.org>:\n"
	    "> одобрено    разработка будет опубликована\n> отклонено\n",
	    "Re: Экспертиза", REVIEW_REVISE,
	    "добавьте критерии оценивания.\nИ уточните цели." },
	{ "greeting first, dash, signature",
	    "Здравствуйте!\n\nотклонено — материал заимствован.\n-- \nИванов\n",
	    NULL, REVIEW_REJECT, "материал заимствован." },
	{ "bottom-posted English", "On Fri, 27 Nov 2026, Gateway <a@b.org> "
	    "wrote:\n> revise\n> reject\n\nApprove. Well done.\n\n-- \nExpert\n",
	    NULL, REVIEW_APPROVE, "Well done." },
	{ "Outlook's unmarked quotation", "Revise: see the notes\r\n\r\n"
	    "-----Original Message-----\r\nFrom: gateway\r\napprove\r\n",
	    NULL, REVIEW_REVISE, "see the notes" },
	{ "comments between quoted lines", "на доработку\n> Описание:\n"
	    "Описание слишком краткое.\n> Файлы:\nНет презентации.\n", NULL,
	    REVIEW_REVISE, "Описание слишком краткое.\nНет презентации." },
	{ "capitals and exclamation", "ОДОБРЕНО!!! Отличная работа", NULL,
	    REVIEW_APPROVE, "Отличная работа" },
	{ "English reject", "Rejected, the file is someone else's work.", NULL,
	    REVIEW_REJECT, "the file is someone else's work." },
	{ "only quoted words", "> одобрено\n> approve\n", "Re: Экспертиза",
	    REVIEW_NONE, NULL },
	{ "a word that only begins alike", "Одобреноли? не знаю", NULL,
	    REVIEW_NONE, NULL },
	{ "no word, then the Subject decides", "", "Re: на доработку",
	    REVIEW_REVISE, "" },
	{ "other text first", "Посмотрю позже, одобрено будет", "Re: x",
	    REVIEW_NONE, NULL },
	{ "signature before any word", "-- \nОдобрено\n", NULL, REVIEW_NONE,
	    NULL },
	{ "Mail.ru intro above the quotation",
	    "Иван Петров написал(а):\n> отклонено\n\nНа доработку: нет "
	    "целей.\n", NULL, REVIEW_REVISE, "нет целей." },
	{ "Outlook underscores end the comment", "Одобрено. Хорошо.\r\n"
	    "________________________________\r\nОтправлено: 27 ноября\r\n"
	    "отклонено\r\n", NULL, REVIEW_APPROVE, "Хорошо." },
	{ "Apple Mail forward ends the comment", "отклонено: чужой текст\n\n"
	    "Начало пересылаемого сообщения:\n\nЕщё текст\n", NULL,
	    REVIEW_REJECT, "чужой текст" },
};

START_TEST(test_decision)
{
	const struct decision_case	*c = &decision_cases[_i];
	enum review_decision		 d;
	char				*comment;

	d = review_decision_parse(c->text, c->subject, &comment);
	ck_assert_msg(d == c->want, "%s: got %s, want %s", c->what,
	    review_decision_name(d), review_decision_name(c->want));
	if (d != REVIEW_NONE)
		ck_assert_ptr_nonnull(comment);
	if (c->comment != NULL && d != REVIEW_NONE)
		ck_assert_msg(strcmp(comment, c->comment) == 0,
		    "%s: comment [%s], want [%s]", c->what, comment,
		    c->comment);
	free(comment);
}
END_TEST

START_TEST(test_decision_bounded)
{
	struct buf	 b;
	char		*comment;
	size_t		 i;

	buf_init(&b);
	buf_adds(&b, "на доработку ");
	for (i = 0; i < 100000; i++)
		buf_adds(&b, "ж");
	ck_assert_int_eq(review_decision_parse(buf_cstr(&b), NULL, &comment),
	    REVIEW_REVISE);
	ck_assert_uint_le(strlen(comment), 8000);
	free(comment);
	buf_free(&b);
}
END_TEST

/* ---- file types -------------------------------------------------------- */

static void
le16(struct buf *b, unsigned v)
{
	buf_addc(b, (int)(v & 0xff));
	buf_addc(b, (int)(v >> 8 & 0xff));
}

static void
le32(struct buf *b, uint32_t v)
{
	le16(b, v & 0xffff);
	le16(b, v >> 16);
}

/* A stored (uncompressed) ZIP of the named members; the first holds
 * first_data, the others "x".  cut drops that many bytes at the end. */
static char *
zip_make(const char *const *names, size_t n, const char *first_data,
    size_t cut, size_t *len)
{
	struct buf	 b, cd;
	uint32_t	*off = xreallocarray(NULL, n, sizeof *off);
	size_t		 i, cdoff;
	const char	*data;

	buf_init(&b);
	buf_init(&cd);
	for (i = 0; i < n; i++) {
		data = i == 0 ? first_data : "x";
		off[i] = (uint32_t)b.len;
		buf_add(&b, "PK\3\4", 4);
		le16(&b, 20); le16(&b, 0); le16(&b, 0); le16(&b, 0);
		le16(&b, 0); le32(&b, 0);
		le32(&b, (uint32_t)strlen(data)); le32(&b, (uint32_t)strlen(data));
		le16(&b, (unsigned)strlen(names[i])); le16(&b, 0);
		buf_adds(&b, names[i]);
		buf_adds(&b, data);
	}
	cdoff = b.len;
	for (i = 0; i < n; i++) {
		buf_add(&cd, "PK\1\2", 4);
		le16(&cd, 20); le16(&cd, 20); le16(&cd, 0); le16(&cd, 0);
		le16(&cd, 0); le16(&cd, 0); le32(&cd, 0); le32(&cd, 1);
		le32(&cd, 1); le16(&cd, (unsigned)strlen(names[i]));
		le16(&cd, 0); le16(&cd, 0); le16(&cd, 0); le16(&cd, 0);
		le32(&cd, 0); le32(&cd, off[i]);
		buf_adds(&cd, names[i]);
	}
	buf_add(&b, cd.data, cd.len);
	buf_add(&b, "PK\5\6", 4);
	le16(&b, 0); le16(&b, 0); le16(&b, (unsigned)n); le16(&b, (unsigned)n);
	le32(&b, (uint32_t)cd.len); le32(&b, (uint32_t)cdoff); le16(&b, 0);
	buf_free(&cd);
	free(off);
	*len = b.len - (cut < b.len ? cut : 0);
	return buf_detach(&b);
}

static const struct zip_case {
	const char	*names[4];
	const char	*first;
	size_t		 cut;
	const char	*want;
} zip_cases[] = {
	{ { "[Content_Types].xml", "_rels/.rels", "word/document.xml" }, "<x/>",
	    0, "docx" },
	{ { "[Content_Types].xml", "xl/workbook.xml" }, "<x/>", 0, "xlsx" },
	{ { "[Content_Types].xml", "ppt/presentation.xml" }, "<x/>", 0,
	    "pptx" },
	{ { "mimetype", "content.xml" },
	    "application/vnd.oasis.opendocument.text", 0, "odt" },
	{ { "mimetype", "content.xml" },
	    "application/vnd.oasis.opendocument.spreadsheet", 0, "ods" },
	{ { "lesson/plan.txt", "lesson/word.txt" }, "hello", 0, "zip" },
	{ { "[Content_Types].xml", "word/document.xml" }, "<x/>", 30,
	    "docx" },	/* directory cut short: the local headers tell */
	{ { "wordy/document.xml" }, "<x/>", 0, "zip" },
};

START_TEST(test_zip_kinds)
{
	const struct zip_case	*c = &zip_cases[_i];
	size_t			 n = 0, len;
	const char		*t;
	char			*z;

	while (n < NELEM(c->names) && c->names[n] != NULL)
		n++;
	z = zip_make(c->names, n, c->first, c->cut, &len);
	t = filetype_sniff(z, len);
	ck_assert_msg(t != NULL && strcmp(t, c->want) == 0,
	    "case %d: got %s, want %s", _i, t ? t : "NULL", c->want);
	free(z);
}
END_TEST

START_TEST(test_filetype_extension)
{
	static const char *const docx_names[] = { "word/document.xml" };
	static const char pdf[] = "%PDF-1.7\n...";
	static const char ole[] = "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 rest";
	size_t	len;
	char	*docx = zip_make(docx_names, 1, "<x/>", 0, &len);

	ck_assert_str_eq(filetype_of("План.docx", docx, len), "docx");
	ck_assert_str_eq(filetype_of("PLAN.DOCX", docx, len), "docx");
	ck_assert_str_eq(filetype_of("plan.zip", docx, len), "zip");
	ck_assert_ptr_null(filetype_of("plan.pdf", docx, len));
	ck_assert_ptr_null(filetype_of("plan", docx, len));
	ck_assert_str_eq(filetype_of("a.pdf", pdf, sizeof pdf - 1), "pdf");
	ck_assert_ptr_null(filetype_of("a.docx", pdf, sizeof pdf - 1));
	ck_assert_str_eq(filetype_of("old.doc", ole, sizeof ole - 1), "doc");
	ck_assert_ptr_null(filetype_of("old.pdf", ole, sizeof ole - 1));
	ck_assert_ptr_null(filetype_sniff("root:x:0:0", 10));
	ck_assert_ptr_null(filetype_sniff("", 0));
	ck_assert_ptr_null(filetype_sniff("%PD", 3));
	free(docx);
}
END_TEST

/* Every prefix of a package, in a buffer of exactly that size (so that
 * the sanitizers see a read past its end), is read safely. */
START_TEST(test_filetype_prefixes)
{
	static const char *const docx_names[] = { "word/document.xml" };
	static const char *const odt_names[] = { "mimetype", "content.xml" };
	char		*pkg[2], *copy;
	size_t		 len[2], i, k;
	const char	*t;

	pkg[0] = zip_make(docx_names, 1, "<x/>", 0, &len[0]);
	pkg[1] = zip_make(odt_names, 2,
	    "application/vnd.oasis.opendocument.text", 0, &len[1]);
	for (k = 0; k < 2; k++) {
		for (i = 0; i <= len[k]; i++) {
			copy = xmalloc(i ? i : 1);
			memcpy(copy, pkg[k], i);
			t = filetype_sniff(copy, i);
			ck_assert(t == NULL || strcmp(t, "zip") == 0 ||
			    strcmp(t, k == 0 ? "docx" : "odt") == 0);
			free(copy);
		}
		free(pkg[k]);
	}
}
END_TEST

/* ---- numbers ----------------------------------------------------------- */

START_TEST(test_code)
{
	char	code[SUBMISSION_CODE_MAX];
	int64_t	seq;
	int	year;

	ck_assert_int_eq(submission_code_format(2026, 42, code, sizeof code),
	    0);
	ck_assert_str_eq(code, "М-2026-0042");
	ck_assert_int_eq(submission_code_format(2026, 12345, code,
	    sizeof code), 0);
	ck_assert_str_eq(code, "М-2026-12345");
	ck_assert_int_eq(submission_code_format(2026, 1, code, 8), -1);
	ck_assert_int_eq(submission_code_find("Re: М-2026-0042: план", &year,
	    &seq), 1);
	ck_assert_int_eq(year, 2026);
	ck_assert_int_eq(seq, 42);
	ck_assert_int_eq(submission_code_find("статус м-2027-7", &year, &seq),
	    1);
	ck_assert_int_eq(year, 2027);
	ck_assert_int_eq(seq, 7);
	ck_assert_int_eq(submission_code_find("M-2026-0003", &year, &seq), 1);
	ck_assert_int_eq(seq, 3);
	ck_assert_int_eq(submission_code_find("М-26-0001", &year, &seq), 0);
	ck_assert_int_eq(submission_code_find("М-2026-", &year, &seq), 0);
	ck_assert_int_eq(submission_code_find("М-2026-1234567", &year, &seq),
	    0);
	ck_assert_int_eq(submission_code_find("", &year, &seq), 0);
}
END_TEST

/* ---- a private site ------------------------------------------------------ */

#define REV_A	"expert-a@imc.example.org"
#define REV_B	"expert-b@imc.example.org"
#define REV_C	"expert-c@imc.example.org"
#define AUTHOR	"anna@school5.example.com"

static struct config	*cfg;
static struct site	 site;

static void
write_text(const char *path, const char *s)
{
	FILE	*f = fopen(path, "w");

	ck_assert_ptr_nonnull(f);
	ck_assert_int_ge(fputs(s, f), 0);
	ck_assert_int_eq(fclose(f), 0);
}

static void
site_setup(void)
{
	const char	*dir;
	char		*p, *abs, buf[1024];
	int		 transient;

	testlib_tmp_setup();
	dir = testlib_dir();

	abs = realpath(testlib_top_srcdir(), NULL);
	ck_assert_ptr_nonnull(abs);
	p = xasprintf("%s/lists.d", dir);
	ck_assert_int_eq(mkdir(p, 0700), 0);
	free(p);
	snprintf(buf, sizeof buf, "[site]\ndomain = lists.example.org\n"
	    "name = Test\naddress = metodist\nlanguage = ru\n[paths]\n"
	    "var = var\nlists = lists.d\ntemplates = %s/templates\n"
	    "[dmarc]\nmode = never\n", abs);
	free(abs);
	p = xasprintf("%s/metodist.conf", dir);
	write_text(p, buf);
	free(p);
	p = xasprintf("%s/lists.d/math.conf", dir);
	write_text(p, "[list]\ntitle = МО учителей математики\n"
	    "coordinators = coord@imc.example.org\nreviewers = " REV_A ", "
	    REV_B ", " REV_C "\nreview_remind_days = 7\n"
	    "review_reassign_days = 14\n");
	free(p);
	p = xasprintf("%s/metodist.conf", dir);
	cfg = config_load(p, NULL, NULL);
	free(p);
	ck_assert_ptr_nonnull(cfg);
	ck_assert_int_eq(site_open(cfg, &site, &transient), 0);
}

static void
site_teardown(void)
{
	site_close(&site);
	config_free(cfg);
	cfg = NULL;
	testlib_tmp_teardown();
}

static int64_t
make_submission(const char *author, time_t now, char *code)
{
	struct submission_new	n;
	int64_t			id;

	memset(&n, 0, sizeof n);
	n.list_id = site_list_id(&site, config_list(cfg, "math"));
	n.title = "План урока";
	n.description = "Описание";
	n.author = author;
	n.now = now;
	ck_assert_int_eq(db_begin(site.db), 0);
	id = submission_create(site.db, &n, code);
	ck_assert_int_gt(id, 0);
	ck_assert_int_eq(db_commit(site.db), 0);
	return id;
}

START_TEST(test_numbering)
{
	char	code[SUBMISSION_CODE_MAX], want[SUBMISSION_CODE_MAX];
	time_t	now = time(NULL);
	struct tm tm;
	int	i;

	localtime_r(&now, &tm);
	for (i = 1; i <= 3; i++) {
		make_submission(AUTHOR, now, code);
		submission_code_format(tm.tm_year + 1900, i, want, sizeof want);
		ck_assert_str_eq(code, want);
	}
	/* a new year starts again at 1 */
	make_submission(AUTHOR, now + 366 * DAY, code);
	localtime_r(&(time_t){ now + 366 * DAY }, &tm);
	submission_code_format(tm.tm_year + 1900, 1, want, sizeof want);
	ck_assert_str_eq(code, want);
}
END_TEST

START_TEST(test_round_robin)
{
	const struct list_config	*l = config_list(cfg, "math");
	char				*ex[] = { (char *)REV_C };

	ck_assert_str_eq(review_next_reviewer(cfg, l, NULL, AUTHOR, NULL, 0),
	    REV_A);
	ck_assert_str_eq(review_next_reviewer(cfg, l, REV_A, AUTHOR, NULL, 0),
	    REV_B);
	ck_assert_str_eq(review_next_reviewer(cfg, l, REV_C, AUTHOR, NULL, 0),
	    REV_A);
	/* the author is skipped, whatever the case of the domain */
	ck_assert_str_eq(review_next_reviewer(cfg, l, REV_A,
	    "expert-b@IMC.example.org", NULL, 0), REV_C);
	ck_assert_str_eq(review_next_reviewer(cfg, l, NULL, REV_A, NULL, 0),
	    REV_B);
	ck_assert_str_eq(review_next_reviewer(cfg, l, REV_B, REV_A, ex, 1),
	    REV_B);
	/* someone no longer listed: start from the top */
	ck_assert_str_eq(review_next_reviewer(cfg, l, "gone@x.org", AUTHOR,
	    NULL, 0), REV_A);
	{
		char *all[] = { (char *)REV_A, (char *)REV_B };

		ck_assert_ptr_null(review_next_reviewer(cfg, l, NULL, REV_C,
		    all, 2));
	}
}
END_TEST

START_TEST(test_assign_in_turn)
{
	const struct list_config	*l = config_list(cfg, "math");
	struct submission		 s;
	char				 code[SUBMISSION_CODE_MAX];
	const char			*authors[] = { AUTHOR, REV_B, AUTHOR,
					    AUTHOR };
	const char			*want[] = { REV_A, REV_C, REV_A,
					    REV_B };
	char				*last;
	int64_t				 id;
	size_t				 i;

	for (i = 0; i < NELEM(authors); i++) {
		id = make_submission(authors[i], time(NULL), code);
		ck_assert_int_eq(submission_get(site.db, id, &s), 0);
		ck_assert_int_eq(db_begin(site.db), 0);
		ck_assert_int_eq(review_assign_reviewers(&site, l, &s, 1, NULL,
		    0, time(NULL)), 1);
		ck_assert_int_eq(db_commit(site.db), 0);
		last = review_last_reviewer(site.db, s.list_id);
		ck_assert_msg(strcmp(last, want[i]) == 0, "submission %zu went "
		    "to %s, want %s", i, last, want[i]);
		free(last);
		submission_free(&s);
	}
}
END_TEST

START_TEST(test_remind_and_reassign)
{
	const struct list_config	*l = config_list(cfg, "math");
	struct review_assignment	*v;
	struct submission		 s;
	char				 code[SUBMISSION_CODE_MAX];
	time_t				 t0 = time(NULL);
	int64_t				 id, letters;
	size_t				 n;

	id = make_submission(AUTHOR, t0, code);
	ck_assert_int_eq(submission_get(site.db, id, &s), 0);
	ck_assert_int_eq(db_begin(site.db), 0);
	ck_assert_int_eq(review_assign_reviewers(&site, l, &s, 1, NULL, 0, t0),
	    1);
	ck_assert_int_eq(db_commit(site.db), 0);
	letters = db_int(site.db, 0, "SELECT count(*) FROM outbound", "");
	ck_assert_int_eq(letters, 1);

	/* nothing is due within the first week */
	ck_assert_int_eq(review_run(&site, t0 + 6 * DAY), 0);
	/* after 7 days: one reminder, once */
	ck_assert_int_eq(review_run(&site, t0 + 7 * DAY + 60), 1);
	ck_assert_int_eq(review_run(&site, t0 + 8 * DAY), 0);
	ck_assert_int_eq(db_int(site.db, 0, "SELECT count(*) FROM outbound",
	    ""), letters + 1);
	/* after 14 days: handed to the next reviewer */
	ck_assert_int_eq(review_run(&site, t0 + 14 * DAY + 60), 1);
	ck_assert_int_eq(review_list(site.db, id, &v, &n), 0);
	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(v[0].reviewer, REV_A);
	ck_assert_str_eq(v[0].state, "reassigned");
	ck_assert_str_eq(v[1].reviewer, REV_B);
	ck_assert_str_eq(v[1].state, "open");
	review_list_free(v, n);
	ck_assert_int_eq(db_int(site.db, 0, "SELECT count(*) FROM outbound",
	    ""), letters + 2);
	/* the new assignment has its own clock: nothing due at once */
	ck_assert_int_eq(review_run(&site, t0 + 15 * DAY), 0);
	submission_free(&s);
}
END_TEST

/* An approval whose announcement a crash cut short is published by the
 * periodic work, once. */
START_TEST(test_publish_pending)
{
	char	code[SUBMISSION_CODE_MAX];
	int64_t	id;

	id = make_submission(AUTHOR, time(NULL), code);
	ck_assert_int_eq(submission_set_state(site.db, id, "approved",
	    time(NULL)), 0);
	ck_assert_int_eq(db_int(site.db, -1, "SELECT count(*) FROM posts", ""),
	    0);
	ck_assert_int_eq(review_run(&site, time(NULL)), 1);
	ck_assert_int_eq(db_int(site.db, -1, "SELECT count(*) FROM posts", ""),
	    1);
	ck_assert_int_gt(db_int(site.db, 0, "SELECT post_id FROM submissions "
	    "WHERE id = ?1", "i", id), 0);
	ck_assert_int_eq(review_run(&site, time(NULL)), 0);
	ck_assert_int_eq(db_int(site.db, -1, "SELECT count(*) FROM posts", ""),
	    1);
}
END_TEST

/* ---- configuration ------------------------------------------------------ */

static const struct conf_case {
	const char	*keys;		/* lines added to a list's file */
	const char	*problem;	/* in the error, or NULL: accepted */
} conf_cases[] = {
	{ "", NULL },
	{ "review_decisions = 2\n", NULL },
	{ "review_decisions = 3\n", "more than the number of reviewers" },
	{ "review_decisions = 0\n", "review_decisions must be 1 to 10" },
	{ "submit_types = docx, .PDF, odp\n", NULL },
	{ "submit_types = exe\n", "unknown type exe" },
	{ "review_remind_days = 14\nreview_reassign_days = 7\n",
	    "more than review_remind_days" },
	{ "submit_max_file = 0\n", "above 0" },
	{ "submit_max_file = 2000\nsubmit_max_total = 1000\n",
	    "more than submit_max_total" },
};

static void
conf_error(void *arg, const char *file, int line, const char *msg)
{
	struct buf	*b = arg;

	buf_addf(b, "%s:%d: %s\n", file, line, msg);
}

START_TEST(test_config_keys)
{
	const struct conf_case	*c = &conf_cases[_i];
	const char		*dir;
	struct config		*conf;
	struct buf		 err;
	char			*p, *list;

	dir = testlib_dir();
	p = xasprintf("%s/lists.d", dir);
	ck_assert_int_eq(mkdir(p, 0700), 0);
	free(p);
	p = xasprintf("%s/metodist.conf", dir);
	write_text(p, "[site]\ndomain = lists.example.org\n[paths]\n"
	    "var = var\nlists = lists.d\n");
	free(p);
	list = xasprintf("[list]\ntitle = T\ncoordinators = c@x.org\n"
	    "reviewers = " REV_A ", " REV_B "\n%s", c->keys);
	p = xasprintf("%s/lists.d/math.conf", dir);
	write_text(p, list);
	free(p);
	free(list);
	buf_init(&err);
	p = xasprintf("%s/metodist.conf", dir);
	conf = config_load(p, conf_error, &err);
	free(p);
	if (c->problem == NULL) {
		ck_assert_msg(conf != NULL, "case %d refused: %s", _i,
		    buf_cstr(&err));
		ck_assert(config_submit_type_allowed(config_list(conf, "math"),
		    strstr(c->keys, "odp") ? "odp" : "docx"));
		config_free(conf);
	} else {
		ck_assert_msg(conf == NULL, "case %d accepted", _i);
		ck_assert_msg(strstr(buf_cstr(&err), c->problem) != NULL,
		    "case %d: [%s] lacks [%s]", _i, buf_cstr(&err), c->problem);
	}
	buf_free(&err);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("submit");
	TCase	*tc;

	tc = testlib_tcase(s, "decision");
	tcase_add_loop_test(tc, test_decision, 0, (int)NELEM(decision_cases));
	tcase_add_test(tc, test_decision_bounded);
	tc = testlib_tcase(s, "filetype");
	tcase_add_loop_test(tc, test_zip_kinds, 0, (int)NELEM(zip_cases));
	tcase_add_test(tc, test_filetype_extension);
	tcase_add_test(tc, test_filetype_prefixes);
	tcase_add_test(tc, test_code);
	tc = testlib_tcase_tmp(s, "config");
	tcase_add_loop_test(tc, test_config_keys, 0, (int)NELEM(conf_cases));
	tc = testlib_tcase_fixture(s, "site", site_setup, site_teardown);
	tcase_add_test(tc, test_numbering);
	tcase_add_test(tc, test_round_robin);
	tcase_add_test(tc, test_assign_in_turn);
	tcase_add_test(tc, test_remind_and_reassign);
	tcase_add_test(tc, test_publish_pending);
	return testlib_run(s);
}
