/*
 * check_bounce: bounce handling.
 *
 * The DSN parser over the fixtures of tests/data/bounces (one table row
 * per file: the verdict, kind, format, recipients, first status), the
 * parser on garbage (random bytes, every prefix of every fixture, a
 * report naming more recipients than the bound), and the scoring through
 * the store in a private site: VERP attribution, recipient attribution,
 * delay and vacation counting nothing, the threshold disabling delivery
 * once with a probe and a notice, and the decay.
 */
#include <config.h>

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/bounce.h"
#include "core/config.h"
#include "core/route.h"
#include "core/site.h"
#include "mail/dsn.h"
#include "mail/message.h"
#include "store/db.h"
#include "store/member.h"
#include "store/queue.h"
#include "util/buf.h"
#include "util/log.h"
#include "util/strutil.h"
#include "util/xmalloc.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))
#define DAY		((int64_t)24 * 3600)

static char *
fixture(const char *name, size_t *len)
{
	const char	*top = getenv("top_srcdir");
	char		*path, *data;
	FILE		*f;
	long		 n;

	path = xasprintf("%s/tests/data/bounces/%s", top ? top : ".", name);
	f = fopen(path, "rb");
	ck_assert_msg(f != NULL, "cannot open %s", path);
	ck_assert_int_eq(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	ck_assert_int_ge(n, 0);
	rewind(f);
	data = xmalloc((size_t)n + 1);
	ck_assert_uint_eq(fread(data, 1, (size_t)n, f), (size_t)n);
	data[n] = '\0';
	fclose(f);
	free(path);
	*len = (size_t)n;
	return data;
}

/* ---- the parser over the fixtures ---- */

struct dsn_case {
	const char	*file;
	int		 is_bounce;
	enum dsn_kind	 kind;
	const char	*format;	/* NULL: none expected */
	size_t		 nrecipients;
	const char	*address;	/* of the first recipient */
	const char	*status;
	const char	*reason;	/* when not a bounce */
};

static const struct dsn_case dsn_cases[] = {
	/* an mbox "From " line and upper-case types (seen in the wild) */
	{ "mbox-uppercase.eml", 1, DSN_HARD, "rfc3464", 1,
	    "irina@gymnasium9.example.ru", "5.2.1", NULL },
	/* a first "delivery-status" part that is prose, with a stray ';' */
	{ "prose-first.eml", 1, DSN_HARD, "rfc3464", 1,
	    "anton@lyceum2.example.ru", "5.3.0", NULL },
	{ "postfix-hard.eml", 1, DSN_HARD, "rfc3464", 1,
	    "Olga.Petrova@school5.example.ru", "5.1.1", NULL },
	{ "postfix-soft.eml", 1, DSN_SOFT, "rfc3464", 1,
	    "boris@full.example.net", "4.2.2", NULL },
	{ "delayed.eml", 0, DSN_NONE, "rfc3464", 1,
	    "vera@slow.example.net", "4.4.1", "delivery delayed" },
	{ "multi.eml", 1, DSN_HARD, "rfc3464", 4,
	    "grigory@school1.example.ru", "5.1.1", NULL },
	{ "truncated.eml", 1, DSN_HARD, "rfc3464", 1,
	    "kirill@school7.example.ru", "", NULL },
	{ "qmail.eml", 1, DSN_HARD, "qmail", 1,
	    "ivan.sidorov@district.example.ru", "5.1.1", NULL },
	{ "exim.eml", 1, DSN_HARD, "exim", 1,
	    "nina.kuznetsova@lyceum.example.ru", "5.1.1", NULL },
	{ "exim-delay.eml", 0, DSN_NONE, "exim", 0, NULL, NULL,
	    "delivery delayed" },
	{ "exchange.eml", 1, DSN_HARD, "exchange", 1,
	    "sergey.volkov@edu.example.com", "5.1.10", NULL },
	{ "mailru-koi8r.eml", 1, DSN_HARD, "russian", 1,
	    "tatiana.orlova@mail.example.ru", "5.0.0", NULL },
	{ "yandex-utf8.eml", 1, DSN_SOFT, "russian", 1,
	    "marina@yandex.example.ru", "", NULL },
	{ "vacation-ru.eml", 0, DSN_NONE, NULL, 0, NULL, NULL,
	    "automatic reply" },
	{ "vacation-outlook.eml", 0, DSN_NONE, NULL, 0, NULL, NULL,
	    "automatic reply" },
	{ "vacation-xautoreply.eml", 0, DSN_NONE, NULL, 0, NULL, NULL,
	    "automatic reply" },
	{ "challenge.eml", 0, DSN_NONE, NULL, 0, NULL, NULL,
	    "challenge-response" },
	{ "challenge-header.eml", 0, DSN_NONE, NULL, 0, NULL, NULL,
	    "challenge-response" },
	{ "garbage-dsn.eml", 0, DSN_NONE, "rfc3464", 1, NULL, "",
	    "no recipient failed" },
	{ "plain-post.eml", 0, DSN_NONE, NULL, 0, NULL, NULL,
	    "not a delivery report" },
};

/* What every report must satisfy, whatever the input. */
static void
check_invariants(const struct dsn_report *rep, const char *what)
{
	const struct dsn_recipient	*r;
	size_t				 i;

	ck_assert_msg(rep->nrecipients <= DSN_MAX_RECIPIENTS, "%s", what);
	ck_assert_msg(rep->is_bounce == (rep->kind != DSN_NONE), "%s: "
	    "is_bounce %d kind %d", what, rep->is_bounce, rep->kind);
	ck_assert_msg(rep->is_bounce || rep->reason != NULL, "%s", what);
	for (i = 0; i < rep->nrecipients; i++) {
		r = &rep->recipients[i];
		ck_assert_msg(strlen(r->status) < DSN_STATUS_MAX, "%s", what);
		if (r->diagnostic != NULL) {
			ck_assert_msg(strlen(r->diagnostic) < DSN_DIAG_MAX,
			    "%s", what);
			ck_assert_msg(str_utf8_valid(r->diagnostic,
			    strlen(r->diagnostic)), "%s", what);
		}
		if (r->address != NULL)
			ck_assert_msg(strchr(r->address, '@') != NULL, "%s",
			    what);
	}
}

START_TEST(test_dsn_fixture)
{
	const struct dsn_case	*c = &dsn_cases[_i];
	struct dsn_report	 rep;
	char			*raw;
	size_t			 len;

	raw = fixture(c->file, &len);
	dsn_parse(raw, len, &rep);
	check_invariants(&rep, c->file);
	ck_assert_msg(rep.is_bounce == c->is_bounce, "%s: is_bounce %d (%s)",
	    c->file, rep.is_bounce, rep.reason ? rep.reason : "");
	ck_assert_msg(rep.kind == c->kind, "%s: kind %s", c->file,
	    dsn_kind_name(rep.kind));
	if (c->format == NULL)
		ck_assert_msg(rep.format == NULL, "%s: format %s", c->file,
		    rep.format);
	else
		ck_assert_msg(rep.format != NULL &&
		    strcmp(rep.format, c->format) == 0, "%s: format %s",
		    c->file, rep.format ? rep.format : "(none)");
	ck_assert_msg(rep.nrecipients == c->nrecipients, "%s: %zu recipients",
	    c->file, rep.nrecipients);
	if (c->nrecipients > 0) {
		if (c->address == NULL)
			ck_assert_ptr_null(rep.recipients[0].address);
		else
			ck_assert_msg(rep.recipients[0].address != NULL &&
			    strcmp(rep.recipients[0].address, c->address) == 0,
			    "%s: address %s", c->file,
			    rep.recipients[0].address);
		ck_assert_msg(strcmp(rep.recipients[0].status, c->status) == 0,
		    "%s: status '%s'", c->file, rep.recipients[0].status);
	}
	if (c->reason != NULL)
		ck_assert_msg(rep.reason != NULL &&
		    strcmp(rep.reason, c->reason) == 0, "%s: reason %s",
		    c->file, rep.reason ? rep.reason : "(none)");
	else
		ck_assert_ptr_null(rep.reason);
	dsn_report_free(&rep);
	free(raw);
}
END_TEST

/* The other recipients of the multi-recipient report. */
START_TEST(test_dsn_multi)
{
	static const struct {
		const char	*address;
		enum dsn_action	 action;
		enum dsn_kind	 kind;
		const char	*status;
	} want[] = {
		{ "grigory@school1.example.ru", DSN_ACTION_FAILED, DSN_HARD,
		    "5.1.1" },
		{ "darya@school2.example.ru", DSN_ACTION_FAILED, DSN_SOFT,
		    "4.2.2" },
		{ "elena@school3.example.ru", DSN_ACTION_DELAYED, DSN_NONE,
		    "4.4.7" },
		{ "fedor@school4.example.ru", DSN_ACTION_DELIVERED, DSN_NONE,
		    "2.0.0" },
	};
	struct dsn_report	 rep;
	char			*raw;
	size_t			 len, i;

	raw = fixture("multi.eml", &len);
	dsn_parse(raw, len, &rep);
	ck_assert_uint_eq(rep.nrecipients, NELEM(want));
	for (i = 0; i < NELEM(want); i++) {
		ck_assert_str_eq(rep.recipients[i].address, want[i].address);
		ck_assert_int_eq(rep.recipients[i].action, want[i].action);
		ck_assert_int_eq(rep.recipients[i].kind, want[i].kind);
		ck_assert_str_eq(rep.recipients[i].status, want[i].status);
	}
	ck_assert_str_eq(rep.recipients[0].diagnostic, "550 5.1.1 No such user");
	dsn_report_free(&rep);
	free(raw);
}
END_TEST

/* Folded fields and Original-Recipient of the Postfix report. */
START_TEST(test_dsn_fields)
{
	struct dsn_report	 rep;
	char			*raw;
	size_t			 len;

	raw = fixture("postfix-hard.eml", &len);
	dsn_parse(raw, len, &rep);
	ck_assert_uint_eq(rep.nrecipients, 1);
	ck_assert_str_eq(rep.recipients[0].original,
	    "olga.petrova@school5.example.ru");
	ck_assert_int_eq(rep.recipients[0].action, DSN_ACTION_FAILED);
	ck_assert_str_eq(rep.recipients[0].diagnostic,
	    "unknown user: \"olga.petrova\"");
	dsn_report_free(&rep);
	free(raw);
	raw = fixture("postfix-soft.eml", &len);
	dsn_parse(raw, len, &rep);
	ck_assert_str_eq(rep.recipients[0].diagnostic, "452 4.2.2 "
	    "<boris@full.example.net>: Mailbox full, quota exceeded");
	dsn_report_free(&rep);
	free(raw);
}
END_TEST

START_TEST(test_dsn_status_kind)
{
	static const struct {
		const char	*status;
		enum dsn_kind	 kind;
	} t[] = {
		{ "5.1.1", DSN_HARD }, { "4.2.2", DSN_SOFT },
		{ "2.0.0", DSN_NONE }, { "#5.1.10", DSN_HARD },
		{ "", DSN_NONE }, { "x", DSN_NONE },
	};
	size_t	i;

	for (i = 0; i < NELEM(t); i++)
		ck_assert_msg(dsn_status_kind(t[i].status) == t[i].kind,
		    "%s", t[i].status);
	ck_assert_int_eq(dsn_status_kind(NULL), DSN_NONE);
	ck_assert_str_eq(dsn_kind_name(DSN_HARD), "hard");
	ck_assert_str_eq(dsn_kind_name(DSN_SOFT), "soft");
}
END_TEST

/* Every prefix of every fixture, and random bytes: never a crash, and
 * the report keeps its invariants. */
START_TEST(test_dsn_garbage)
{
	struct dsn_report	 rep;
	char			*raw, *junk, what[96];
	size_t			 len, i, n, step;
	uint32_t		 x = 12345;

	dsn_parse(NULL, 0, &rep);
	ck_assert_int_eq(rep.is_bounce, 0);
	dsn_report_free(&rep);
	dsn_parse("", 0, &rep);
	ck_assert_int_eq(rep.is_bounce, 0);
	dsn_report_free(&rep);
	for (i = 0; i < NELEM(dsn_cases); i++) {
		raw = fixture(dsn_cases[i].file, &len);
		step = len / 40 + 1;
		for (n = 0; n <= len; n += step) {
			junk = xmalloc(n + 1);	/* exact size for ASan */
			memcpy(junk, raw, n);
			snprintf(what, sizeof what, "%s[:%zu]",
			    dsn_cases[i].file, n);
			dsn_parse(junk, n, &rep);
			check_invariants(&rep, what);
			dsn_report_free(&rep);
			free(junk);
		}
		free(raw);
	}
	for (i = 0; i < 200; i++) {
		len = i * 37 % 3000;
		junk = xmalloc(len + 1);
		for (n = 0; n < len; n++) {
			x = x * 1103515245 + 12345;
			junk[n] = (char)(x >> 16);
		}
		dsn_parse(junk, len, &rep);
		check_invariants(&rep, "random");
		dsn_report_free(&rep);
		free(junk);
	}
}
END_TEST

START_TEST(test_dsn_bounded)
{
	struct dsn_report	 rep;
	struct buf		 b;
	int			 i;

	buf_init(&b);
	buf_adds(&b, "From: MAILER-DAEMON@mx.example.net\nMIME-Version: 1.0\n"
	    "Content-Type: multipart/report; report-type=delivery-status; "
	    "boundary=\"z\"\n\n--z\nContent-Type: message/delivery-status\n\n"
	    "Reporting-MTA: dns; mx.example.net\n\n");
	for (i = 0; i < 500; i++)
		buf_addf(&b, "Final-Recipient: rfc822; u%d@example.net\n"
		    "Action: failed\nStatus: 5.1.1\nDiagnostic-Code: smtp; %s\n\n",
		    i, i == 0 ? "" : "550 no");
	buf_adds(&b, "--z--\n");
	dsn_parse(b.data, b.len, &rep);
	ck_assert_int_eq(rep.is_bounce, 1);
	ck_assert_uint_eq(rep.nrecipients, DSN_MAX_RECIPIENTS);
	check_invariants(&rep, "many");
	dsn_report_free(&rep);
	buf_free(&b);
}
END_TEST

/* ---- scoring through the store ---- */

static char	tmpdir[] = "/tmp/check_bounce.XXXXXX";
static struct config *cfg;
static struct site site;
static int64_t	list_id;

#define ANNA	"anna@school.example.org"
#define BORIS	"boris@school.example.org"
#define COORD	"coord@imc.example.org"

static void
write_text(const char *path, const char *text)
{
	FILE	*f = fopen(path, "w");

	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	ck_assert_int_eq(fclose(f), 0);
}

static void
config_error(void *arg, const char *file, int line, const char *msg)
{
	(void)arg;
	fprintf(stderr, "%s:%d: %s\n", file, line, msg);
}

/* A site in a private directory with the list math (threshold 2). */
static void
site_setup(void)
{
	const char	*top = getenv("top_srcdir");
	char		*p, *abs, buf[4096];
	int		 transient;

	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
	abs = realpath(top ? top : ".", NULL);
	ck_assert_ptr_nonnull(abs);
	p = xasprintf("%s/lists.d", tmpdir);
	ck_assert_int_eq(mkdir(p, 0700), 0);
	free(p);
	snprintf(buf, sizeof buf, "[site]\ndomain = lists.example.org\n"
	    "name = Test\naddress = metodist\nlanguage = ru\n"
	    "replies_per_day = 100\n[paths]\nvar = var\nlists = lists.d\n"
	    "templates = %s/templates\n[dmarc]\nmode = never\n", abs);
	free(abs);
	p = xasprintf("%s/metodist.conf", tmpdir);
	write_text(p, buf);
	free(p);
	p = xasprintf("%s/lists.d/math.conf", tmpdir);
	write_text(p, "[list]\ntitle = МО учителей математики\n"
	    "language = ru\npolicy = members\ncoordinators = " COORD "\n"
	    "bounce_threshold = 2\n");
	free(p);
	p = xasprintf("%s/metodist.conf", tmpdir);
	cfg = config_load(p, config_error, NULL);
	free(p);
	ck_assert_ptr_nonnull(cfg);
	ck_assert_int_eq(site_open(cfg, &site, &transient), 0);
	list_id = site_list_id(&site, config_list(cfg, "math"));
	ck_assert_int_gt(list_id, 0);
	ck_assert_int_eq(member_add(site.db, list_id, ANNA, NULL, NULL), 0);
	ck_assert_int_eq(member_add(site.db, list_id, BORIS, NULL, NULL), 0);
}

static void
site_teardown(void)
{
	char	*cmd;

	if (cfg != NULL) {
		site_close(&site);
		config_free(cfg);
		cfg = NULL;
	}
	cmd = xasprintf("rm -rf '%s'", tmpdir);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", tmpdir);
	free(cmd);
}

/* A post's delivery to rcpt; its VERP token in tok. */
static void
make_delivery(const char *rcpt, char *tok, size_t toksz)
{
	sqlite3_stmt	*st;
	int64_t		 oid;

	oid = queue_outbound(site.db, "post", list_id, 0, "/dev/null",
	    "math@lists.example.org");
	ck_assert_int_gt(oid, 0);
	ck_assert_int_eq(queue_add_recipient(site.db, oid, rcpt), 0);
	st = db_stmt(site.db, "SELECT token FROM deliveries WHERE "
	    "outbound_id = ?1", "i", oid);
	ck_assert_ptr_nonnull(st);
	ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
	str_lcpy(tok, (const char *)sqlite3_column_text(st, 0), toksz);
	sqlite3_finalize(st);
}

/* A Postfix-style report about rcpt with the given status and action. */
static char *
report_for(const char *rcpt, const char *action, const char *status)
{
	return xasprintf("From: MAILER-DAEMON@mx.example.net\n"
	    "Subject: Undelivered Mail Returned to Sender\n"
	    "MIME-Version: 1.0\nContent-Type: multipart/report; "
	    "report-type=delivery-status; boundary=\"r\"\n\n--r\n"
	    "Content-Type: text/plain\n\nSorry.\n\n--r\n"
	    "Content-Type: message/delivery-status\n\n"
	    "Reporting-MTA: dns; mx.example.net\n\n"
	    "Final-Recipient: rfc822; %s\nAction: %s\nStatus: %s\n"
	    "Diagnostic-Code: smtp; %c%c0 %s test\n\n--r--\n", rcpt, action,
	    status, status[0], status[0], status);
}

/* Hand raw to bounce_handle as if it came to rcpt_addr. */
static void
deliver_report(const char *rcpt_addr, const char *raw)
{
	struct route	 rt;
	struct message	*m;

	ck_assert_int_eq(route_address(cfg, rcpt_addr, &rt), 0);
	m = message_parse(raw, strlen(raw));
	ck_assert_int_eq(bounce_handle(&site, &rt, m, ""), 0);
	message_free(m);
}

static double
score_of(const char *addr)
{
	sqlite3_stmt	*st;
	double		 d;

	st = db_stmt(site.db, "SELECT bounce_score FROM members WHERE "
	    "list_id = ?1 AND address = ?2", "it", list_id, addr);
	ck_assert_ptr_nonnull(st);
	ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
	d = sqlite3_column_double(st, 0);
	sqlite3_finalize(st);
	return d;
}

static int64_t
disabled_of(const char *addr)
{
	return db_int(site.db, -1, "SELECT coalesce(disabled, 0) FROM members "
	    "WHERE list_id = ?1 AND address = ?2", "it", list_id, addr);
}

/* Queued letters of kind to addr (replies, notices). */
static int64_t
letters_to(const char *kind, const char *addr)
{
	return db_int(site.db, -1, "SELECT count(*) FROM deliveries d JOIN "
	    "outbound o ON o.id = d.outbound_id WHERE o.kind = ?1 AND "
	    "d.recipient = ?2", "tt", kind, addr);
}

static int
collect_member(void *arg, const struct member *m)
{
	struct buf	*b = arg;

	buf_adds(b, m->address);
	buf_addc(b, ' ');
	return 0;
}

static void
assert_score(const char *addr, double want)
{
	double	got = score_of(addr);

	ck_assert_msg(got > want - 0.001 && got < want + 0.001,
	    "%s: score %f, want %f", addr, got, want);
}

START_TEST(test_score_threshold)
{
	char	 tok[80], *verp, *raw;
	struct buf b;

	make_delivery(ANNA, tok, sizeof tok);
	verp = xasprintf("math+bounces-%s@lists.example.org", tok);
	/* by the token, although the report names another address */
	raw = report_for("anna.old@school.example.org", "failed", "5.1.1");
	deliver_report(verp, raw);
	free(raw);
	assert_score(ANNA, BOUNCE_HARD_WEIGHT);
	ck_assert_int_eq(db_int(site.db, -1, "SELECT count(*) FROM bounces "
	    "WHERE address = ?1 AND kind = 'hard' AND status = '5.1.1' AND "
	    "delivery_id IS NOT NULL", "t", ANNA), 1);
	ck_assert_int_eq(disabled_of(ANNA), 0);
	/* by the recipient: a soft failure to the list address */
	raw = report_for(BORIS, "failed", "4.2.2");
	deliver_report("math@lists.example.org", raw);
	free(raw);
	assert_score(BORIS, BOUNCE_SOFT_WEIGHT);
	/* a delay and a vacation reply count nothing */
	raw = report_for(ANNA, "delayed", "4.4.1");
	deliver_report(verp, raw);
	free(raw);
	deliver_report(verp, "From: " ANNA "\nSubject: Автоответ\n"
	    "Auto-Submitted: auto-replied\n\nЯ в отпуске.\n");
	assert_score(ANNA, BOUNCE_HARD_WEIGHT);
	ck_assert_int_eq(letters_to("reply", ANNA), 0);
	/* the second hard failure reaches the threshold of 2 */
	raw = report_for(ANNA, "failed", "5.1.1");
	deliver_report(verp, raw);
	assert_score(ANNA, 2 * BOUNCE_HARD_WEIGHT);
	ck_assert_int_gt(disabled_of(ANNA), 0);
	ck_assert_int_eq(letters_to("reply", ANNA), 1);
	ck_assert_int_eq(letters_to("reply", COORD) +
	    letters_to("notice", COORD), 1);
	buf_init(&b);
	buf_add(&b, "", 0);
	ck_assert_int_eq(member_foreach(site.db, list_id, "normal",
	    collect_member, &b), 0);
	ck_assert_str_eq(b.data, BORIS " ");
	buf_free(&b);
	/* once disabled, further bounces are recorded but told no more */
	deliver_report(verp, raw);
	free(raw);
	assert_score(ANNA, 3 * BOUNCE_HARD_WEIGHT);
	ck_assert_int_eq(letters_to("reply", ANNA), 1);
	ck_assert_int_eq(db_int(site.db, -1, "SELECT count(*) FROM bounces "
	    "WHERE address = ?1", "t", ANNA), 3);
	free(verp);
}
END_TEST

/* Unknown tokens and non-members change nothing. */
START_TEST(test_unattributed)
{
	char	*raw;

	raw = report_for("stranger@example.net", "failed", "5.1.1");
	deliver_report("math+bounces-0123abcd@lists.example.org", raw);
	deliver_report("math@lists.example.org", raw);
	free(raw);
	ck_assert_int_eq(db_int(site.db, -1, "SELECT count(*) FROM bounces",
	    ""), 0);
	assert_score(ANNA, 0);
	assert_score(BORIS, 0);
}
END_TEST

START_TEST(test_decay)
{
	int64_t	 t = 1778562000, now = (int64_t)time(NULL);
	char	*raw;

	ck_assert(bounce_decayed(4.0, t, t + 6 * DAY) == 4.0);
	ck_assert(bounce_decayed(4.0, t, t + 7 * DAY) == 2.0);
	ck_assert(bounce_decayed(4.0, t, t + 13 * DAY) == 2.0);
	ck_assert(bounce_decayed(4.0, t, t + 14 * DAY) == 1.0);
	ck_assert(bounce_decayed(4.0, 0, t) == 4.0);
	ck_assert(bounce_decayed(4.0, t, t + 1000 * 7 * DAY) == 0.0);
	/* the old score decays before a new bounce adds to it */
	ck_assert_int_eq(db_exec(site.db, "UPDATE members SET bounce_score = "
	    "1.5, bounce_updated = ?1 WHERE address = ?2", "it", now - 15 * DAY,
	    ANNA), 0);
	raw = report_for(ANNA, "failed", "4.2.2");
	deliver_report("math@lists.example.org", raw);
	free(raw);
	assert_score(ANNA, 1.5 / 4 + BOUNCE_SOFT_WEIGHT);
	ck_assert_int_eq(disabled_of(ANNA), 0);
	/* the periodic job: whole periods only, and never twice */
	ck_assert_int_eq(db_exec(site.db, "UPDATE members SET bounce_score = "
	    "1.0, bounce_updated = ?1 WHERE address = ?2", "it", now - 8 * DAY,
	    BORIS), 0);
	ck_assert_int_eq(bounce_decay_all(&site), 1);
	assert_score(BORIS, 0.5);
	ck_assert_int_eq(db_int(site.db, -1, "SELECT bounce_updated FROM "
	    "members WHERE address = ?1", "t", BORIS), now - DAY);
	assert_score(ANNA, 1.5 / 4 + BOUNCE_SOFT_WEIGHT);
	ck_assert_int_eq(bounce_decay_all(&site), 0);
	assert_score(BORIS, 0.5);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("bounce");
	TCase	*tc;
	SRunner	*sr;
	int	 failed;

	log_init("check_bounce", 0, 0);
	tc = tcase_create("dsn");
	tcase_add_loop_test(tc, test_dsn_fixture, 0, (int)NELEM(dsn_cases));
	tcase_add_test(tc, test_dsn_multi);
	tcase_add_test(tc, test_dsn_fields);
	tcase_add_test(tc, test_dsn_status_kind);
	tcase_add_test(tc, test_dsn_garbage);
	tcase_add_test(tc, test_dsn_bounded);
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);
	tc = tcase_create("score");
	tcase_add_checked_fixture(tc, site_setup, site_teardown);
	tcase_add_test(tc, test_score_threshold);
	tcase_add_test(tc, test_unattributed);
	tcase_add_test(tc, test_decay);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
