/*
 * check_hosted: the hosted-mailbox mode's pure parts.
 *
 * Which list addresses a delivered message names (each provider's trace
 * header, plus-addressing, the order of sources, the fallback to the
 * site address, duplicates and foreign addresses), who sent it (the
 * Return-Path), the [mailbox] configuration (defaults, every problem as
 * file:line), and the hourly sending cap's arithmetic.
 */
#include <config.h>

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <dirent.h>

#include "core/config.h"
#include "core/fetch.h"
#include "core/listaddr.h"
#include "core/mbconfig.h"
#include "core/pace.h"
#include "core/site.h"
#include "store/db.h"
#include "store/fetched.h"
#include "util/buf.h"
#include "util/log.h"
#include "util/strutil.h"
#include "util/xmalloc.h"
#include "testlib.h"

static void hosted_error(void *, const char *, int, const char *);

static struct config *
hosted_config(const char *mailbox_section, struct buf *errors)
{
	char		*dir, *path;
	struct config	*cfg;
	struct buf	 scratch;

	dir = xasprintf("%s/lists.d", testlib_dir());
	mkdir(dir, 0755);
	path = xasprintf("%s/math.conf", dir);
	testlib_write_str(path, "[list]\ntitle = Математика\n"
	    "coordinators = coord@school.example.org\n");
	free(path);
	path = xasprintf("%s/physics.conf", dir);
	testlib_write_str(path, "[list]\ntitle = Физика\n"
	    "coordinators = coord@school.example.org\n");
	free(path);
	free(dir);
	path = xasprintf("%s/metodist.conf", testlib_dir());
	dir = xasprintf("[site]\ndomain = lists.example.org\n"
	    "address = metodist\n[paths]\nvar = var\nlists = lists.d\n%s",
	    mailbox_section);
	testlib_write_str(path, dir);
	free(dir);
	buf_init(&scratch);
	cfg = config_load(path, hosted_error, errors ? errors : &scratch);
	buf_free(&scratch);
	free(path);
	return cfg;
}

static void
hosted_error(void *arg, const char *file, int line, const char *msg)
{
	const char	*base = strrchr(file, '/');

	buf_addf(arg, "%s:%d: %s\n", base ? base + 1 : file, line, msg);
}

static struct config *
hosted_config_err(const char *section, struct buf *errors)
{
	char		*path, *text;
	struct config	*cfg;

	config_free(hosted_config("", NULL));
	path = xasprintf("%s/metodist.conf", testlib_dir());
	text = xasprintf("[site]\ndomain = lists.example.org\n[paths]\n"
	    "var = var\nlists = lists.d\n%s", section);
	testlib_write_str(path, text);
	cfg = config_load(path, hosted_error, errors);
	free(text);
	free(path);
	return cfg;
}

struct addr_case {
	const char	*conf;		/* the [mailbox] keys */
	const char	*header;
	const char	*want;		/* joined by ',' */
};

static const struct addr_case addr_cases[] = {
	/* Postfix with a catch-all: X-Original-To keeps the list address */
	{ "", "Delivered-To: box@hosting.example.net\n"
	  "X-Original-To: math@lists.example.org\nTo: someone@else\n",
	  "math@lists.example.org" },
	/* Dovecot's Delivered-To: the top-most one, not an older hop */
	{ "", "Delivered-To: physics@lists.example.org\n"
	  "Delivered-To: math@lists.example.org\n",
	  "physics@lists.example.org" },
	/* nothing in the trace fields: To and Cc, every gateway address */
	{ "", "To: \"Учителя\" <math@lists.example.org>, a@b.example\n"
	  "Cc: physics@LISTS.example.org, math@lists.example.org\n",
	  "math@lists.example.org,physics@lists.example.org" },
	/* a group and an address with a comment */
	{ "", "To: team: math+subscribe@lists.example.org;\n",
	  "math+subscribe@lists.example.org" },
	/* plus-addressing on the provider's domain */
	{ "address = metodist@yandex.example\n",
	  "Delivered-To: metodist+math@yandex.example\n",
	  "math@lists.example.org" },
	{ "address = metodist@yandex.example\naddress_from = to\n",
	  "To: metodist+physics+subscribe@YANDEX.example\n",
	  "physics+subscribe@lists.example.org" },
	{ "address = metodist@yandex.example\naddress_from = to\n",
	  "To: metodist+math-request@yandex.example\n",
	  "math-request@lists.example.org" },
	/* the bare mailbox address: the site address, but only as a last
	 * resort */
	{ "address = metodist@yandex.example\n",
	  "Delivered-To: metodist@yandex.example\nTo: metodist@yandex.example\n",
	  "metodist@lists.example.org" },
	{ "address = metodist@yandex.example\n",
	  "Delivered-To: metodist@yandex.example\n"
	  "To: math@lists.example.org\n", "math@lists.example.org" },
	/* the order of sources is the configured one */
	{ "address_from = to, x-original-to\n",
	  "X-Original-To: math@lists.example.org\n"
	  "To: physics@lists.example.org\n", "physics@lists.example.org" },
	{ "address_from = envelope-to\n",
	  "Envelope-To: math@lists.example.org\n"
	  "To: physics@lists.example.org\n", "math@lists.example.org" },
	{ "address_from = x-delivered-to\n",
	  "X-Delivered-To: physics@lists.example.org\n",
	  "physics@lists.example.org" },
	/* nothing for the gateway: no list, another domain, a broken list */
	{ "", "To: nolist@lists.example.org, math@other.example\n", "" },
	{ "", "To: <<<@@@,,, ;;;\nDelivered-To: \n", "" },
	{ "", "Subject: no recipients at all\n", "" },
};

static void
addr_case_run(const struct addr_case *c)
{
	struct config	*cfg;
	char		*section, *msg, **v, *got;
	struct buf	 b;
	size_t		 n, i;

	section = xasprintf("[mailbox]\nhost = imap.example.net\nuser = u\n"
	    "password = p\n%s", c->conf);
	cfg = hosted_config(section, NULL);
	free(section);
	ck_assert_msg(cfg != NULL, "config for %s", c->conf);
	ck_assert_uint_eq(cfg->nmailboxes, 1);
	msg = xasprintf("%sFrom: t@school.example.org\nSubject: x\n\nbody\n",
	    c->header);
	n = listaddr_find(cfg, cfg->mailboxes[0], msg, strlen(msg), &v);
	buf_init(&b);
	for (i = 0; i < n; i++)
		buf_addf(&b, "%s%s", i ? "," : "", v[i]);
	got = buf_detach(&b);
	ck_assert_msg(strcmp(got, c->want) == 0, "%s: got '%s', want '%s'",
	    c->header, got, c->want);
	free(got);
	str_array_free(v, n);
	free(msg);
	config_free(cfg);
}

START_TEST(test_listaddr)
{
	addr_case_run(&addr_cases[_i]);
}
END_TEST

static const struct {
	const char	*header;
	const char	*want;
} sender_cases[] = {
	{ "Return-Path: <teacher@school.example.org>\nFrom: x@y.example\n",
	  "teacher@school.example.org" },
	{ "Return-Path: <>\nFrom: MAILER-DAEMON@mx.example\n", "" },
	{ "Return-Path: <a@b.example>\nReturn-Path: <old@hop.example>\n",
	  "a@b.example" },
	{ "From: \"Иван Петров\" <ivan@school.example.org>\n",
	  "ivan@school.example.org" },
	{ "Subject: nobody\n", "" },
};

START_TEST(test_sender)
{
	char	*msg, *got;

	msg = xasprintf("%s\nbody\n", sender_cases[_i].header);
	got = listaddr_sender(msg, strlen(msg));
	ck_assert_str_eq(got, sender_cases[_i].want);
	free(got);
	free(msg);
}
END_TEST

START_TEST(test_mbconfig_defaults)
{
	struct config		*cfg;
	struct mailbox_config	*mb;

	char			*pw;

	cfg = hosted_config("[mailbox.pop]\nprotocol = pop3\nhost = p\n"
	    "user = u\npassword_file = pw\n", NULL);
	ck_assert_ptr_eq(cfg, NULL);	/* pw does not exist yet */
	pw = xasprintf("%s/pw", testlib_dir());
	testlib_write_str(pw, "from-file\nsecond line\n");
	free(pw);
	cfg = hosted_config("[mailbox.yandex]\nhost = imap.yandex.example\n"
	    "user = m@yandex.example\npassword = secret\n"
	    "[mailbox.pop]\nprotocol = pop3\nhost = pop.example\nuser = u\n"
	    "password_file = pw\ntls = starttls\nprocessed = delete\n", NULL);
	ck_assert_ptr_ne(cfg, NULL);
	ck_assert_uint_eq(cfg->nmailboxes, 2);
	mb = cfg->mailboxes[0];
	ck_assert_str_eq(mb->name, "yandex");
	ck_assert_int_eq(mb->port, 993);
	ck_assert_int_eq(mb->pop3, 0);
	ck_assert_str_eq(mb->folder, "INBOX");
	ck_assert_str_eq(mb->processed, "Processed");
	ck_assert_uint_eq(mb->nsources, 3);
	mb = cfg->mailboxes[1];
	ck_assert_int_eq(mb->port, 110);
	ck_assert_int_eq(mb->pop3, 1);
	ck_assert_ptr_eq(mb->processed, NULL);
	ck_assert_str_eq(mb->password, "from-file");
	config_free(cfg);
}
END_TEST

static const struct {
	const char	*section;
	const char	*want;		/* a line of the report */
} mbconfig_bad[] = {
	{ "[mailbox]\nhost = h\nuser = u\npassword = p\nport = 0\n",
	  "metodist.conf:10: port must be 1 to 65535" },
	{ "[mailbox]\nhost = h\nuser = u\npassword = p\ntls = ssl\n",
	  "metodist.conf:10: tls must be implicit, starttls or none" },
	{ "[mailbox]\nhost = h\nuser = u\npassword = p\nproto = imap\n",
	  "metodist.conf:10: unknown key 'proto' in [mailbox]" },
	{ "[mailbox]\nhost = h\nuser = u\npassword = p\n"
	  "address_from = received\n",
	  "metodist.conf:10: unknown address source 'received'" },
	{ "[mailbox]\nuser = u\npassword = p\n",
	  "metodist.conf:6: [mailbox] needs a host" },
	{ "[mailbox]\nhost = h\nuser = u\n",
	  "metodist.conf:6: [mailbox] needs a password or a password_file" },
	{ "[mailbox.Yandex]\nhost = h\n",
	  "metodist.conf:6: mailbox name must be" },
	{ "[mailbox.a]\nhost = h\nuser = u\npassword = p\n"
	  "[mailbox.a]\nhost = h\n",
	  "metodist.conf:10: this mailbox is defined twice" },
	{ "[egress]\nmax_per_hour = -5\n",
	  "metodist.conf:7: max_per_hour must be 0 (no cap) to 1000000" },
};

START_TEST(test_mbconfig_errors)
{
	struct config	*cfg;
	struct buf	 errors;

	buf_init(&errors);
	cfg = hosted_config_err(mbconfig_bad[_i].section, &errors);
	ck_assert_ptr_eq(cfg, NULL);
	ck_assert_msg(strstr(buf_cstr(&errors), mbconfig_bad[_i].want) !=
	    NULL, "got:\n%swant: %s", buf_cstr(&errors),
	    mbconfig_bad[_i].want);
	buf_free(&errors);
}
END_TEST

static const struct {
	int	per_hour;
	int64_t	hour, minute;
	size_t	want;
} pace_cases[] = {
	{ 0, 100000, 100000, PACE_UNLIMITED },	/* no cap */
	{ 600, 0, 0, 10 },		/* 600/h: 10 a minute */
	{ 600, 595, 0, 5 },		/* the hour's rest is smaller */
	{ 600, 600, 0, 0 },		/* the hour is full */
	{ 600, 700, 0, 0 },		/* over (several runners): none */
	{ 600, 100, 10, 0 },		/* this minute is full */
	{ 600, 100, 7, 3 },
	{ 100, 0, 0, 2 },		/* ceil(100 / 60) */
	{ 100, 99, 0, 1 },
	{ 1, 0, 0, 1 },			/* at least one a minute */
	{ 1, 1, 0, 0 },
	{ 59, 0, 0, 1 },
	{ 61, 0, 0, 2 },
	{ 3600, 0, 0, 60 },
	{ 1000000, 0, 0, 16667 },
};

START_TEST(test_pace)
{
	ck_assert_uint_eq(pace_allowance(pace_cases[_i].per_hour,
	    pace_cases[_i].hour, pace_cases[_i].minute), pace_cases[_i].want);
}
END_TEST

/* Over a simulated hour of one run a minute, a backlog of 5,000 goes
 * out at no more than the cap in any hour and evenly spread. */
START_TEST(test_pace_hour)
{
	int64_t	sent_at[4000], total = 0;
	int	per_hour = 500, minute, i;
	size_t	allow, k, n = 0;
	int64_t	hour, last;

	for (minute = 0; minute < 180; minute++) {
		hour = last = 0;
		for (k = 0; k < n; k++) {
			if (sent_at[k] > minute - 60)
				hour++;
			if (sent_at[k] > minute - 1)
				last++;
		}
		allow = pace_allowance(per_hour, hour, last);
		for (i = 0; (size_t)i < allow && n < NELEM(sent_at); i++)
			sent_at[n++] = minute;
		total += (int64_t)allow;
		ck_assert_int_le(hour + (int64_t)allow, per_hour);
		ck_assert_uint_le(allow, pace_per_minute(per_hour));
	}
	/* the cap is used: 500 an hour for three hours */
	ck_assert_int_eq(total, 3 * per_hour);
}
END_TEST

/* Entries of the spool's new/ whose name starts with prefix. */
static int
spool_entries(const struct config *cfg, const char *prefix)
{
	char		*dir = xasprintf("%s/new", cfg->spool_dir);
	DIR		*d = opendir(dir);
	struct dirent	*de;
	int		 n = 0;

	ck_assert_ptr_nonnull(d);
	while ((de = readdir(d)) != NULL)
		if (strncmp(de->d_name, prefix, strlen(prefix)) == 0) {
			ck_assert_msg(strspn(de->d_name, "abcdefghijklmnopqrstuvwxyz"
			    "0123456789.-") == strlen(de->d_name),
			    "unsafe spool id %s", de->d_name);
			n++;
		}
	closedir(d);
	free(dir);
	return n;
}

static enum fetch_result
take(struct fetch_ctx *f, int64_t uv, const char *uid, const char *to,
    const char *mid)
{
	char			*msg;
	enum fetch_result	 r;

	msg = xasprintf("Return-Path: <a@school.example.org>\r\n"
	    "Delivered-To: %s\r\nFrom: a@school.example.org\r\n"
	    "Message-ID: %s\r\nSubject: x\r\n\r\nbody\r\n", to, mid);
	r = fetch_take(f, uv, uid, msg, strlen(msg));
	free(msg);
	return r;
}

/*
 * The order of fetch.h in the store and the spool: a message spooled once
 * under ids made of mailbox, UIDVALIDITY and UID; taken again after a
 * crash it lands on the same entry; under a new UIDVALIDITY the
 * Message-ID with the list addresses recognises it; the same Message-ID
 * to another list is another message; mail for nobody is set aside.
 */
START_TEST(test_fetch_order)
{
	struct config	*cfg;
	struct site	 site;
	struct fetch_ctx f;
	int		 transient;

	cfg = hosted_config("[mailbox]\nhost = h\nuser = u\npassword = p\n",
	    NULL);
	ck_assert_ptr_nonnull(cfg);
	ck_assert_int_eq(site_open(cfg, &site, &transient), 0);
	f.cfg = cfg;
	f.mb = cfg->mailboxes[0];
	f.db = site.db;
	ck_assert_int_eq(fetch_state(&f, 5, "1"), FETCHED_NONE);
	ck_assert_int_eq(take(&f, 5, "1", "math@lists.example.org",
	    "<m1@x>"), FETCH_SPOOLED);
	ck_assert_int_eq(fetch_state(&f, 5, "1"), FETCHED_SPOOLED);
	ck_assert_int_eq(spool_entries(cfg, "mb.default.5.0000000001.0"), 1);
	/* taken again after a crash between the spool write and the
	 * record: the same entry */
	ck_assert_int_eq(db_exec(site.db, "DELETE FROM fetched", ""), 0);
	ck_assert_int_eq(take(&f, 5, "1", "math@lists.example.org",
	    "<m1@x>"), FETCH_SPOOLED);
	ck_assert_int_eq(spool_entries(cfg, "mb.default."), 1);
	ck_assert_int_eq(fetch_finished(&f, 5, "1"), 0);
	ck_assert_int_eq(fetch_state(&f, 5, "1"), FETCHED_DONE);
	/* a new UIDVALIDITY: recognised by Message-ID and list address */
	ck_assert_int_eq(take(&f, 6, "1", "math@lists.example.org",
	    "<m1@x>"), FETCH_SET_ASIDE);
	ck_assert_int_eq(spool_entries(cfg, "mb.default."), 1);
	/* the same Message-ID's copy for another list is its own */
	ck_assert_int_eq(take(&f, 6, "2", "physics@lists.example.org",
	    "<m1@x>"), FETCH_SPOOLED);
	ck_assert_int_eq(spool_entries(cfg, "mb.default.6.0000000002.0"), 1);
	/* for nobody here: recorded, not spooled */
	ck_assert_int_eq(take(&f, 6, "3", "x@elsewhere.example", "<m3@x>"),
	    FETCH_SET_ASIDE);
	ck_assert_int_eq(fetch_state(&f, 6, "3"), FETCHED_SPOOLED);
	ck_assert_int_eq(spool_entries(cfg, "mb.default."), 2);
	/* the records of UIDVALIDITY 5 that were not done are forgotten */
	ck_assert_int_eq(take(&f, 5, "9", "math@lists.example.org",
	    "<m9@x>"), FETCH_SPOOLED);
	ck_assert_int_eq(fetched_forget_uidvalidity(site.db, "default", 6), 1);
	ck_assert_int_eq(fetch_state(&f, 5, "9"), FETCHED_DONE);
	/* a POP3 UIDL with any bytes becomes a safe spool id */
	ck_assert_int_eq(take(&f, 0, "../a b/\x01", "math@lists.example.org",
	    "<p1@x>"), FETCH_SPOOLED);
	ck_assert_int_eq(spool_entries(cfg, "mb.default.p."), 1);
	ck_assert_int_eq(fetch_state(&f, 0, "../a b/\x01"), FETCHED_SPOOLED);
	site_close(&site);
	config_free(cfg);
}
END_TEST

/* A message over a bound of [limits] is recorded and kept on the server,
 * not spooled; at the bound it is spooled (take() writes 5 fields). */
START_TEST(test_fetch_limits)
{
	struct config	*cfg;
	struct site	 site;
	struct fetch_ctx f;
	int		 transient;

	cfg = hosted_config("[mailbox]\nhost = h\nuser = u\npassword = p\n",
	    NULL);
	ck_assert_ptr_nonnull(cfg);
	ck_assert_int_eq(site_open(cfg, &site, &transient), 0);
	f.cfg = cfg;
	f.mb = cfg->mailboxes[0];
	f.db = site.db;
	cfg->max_header_fields = 5;
	ck_assert_int_eq(take(&f, 5, "1", "math@lists.example.org",
	    "<l1@x>"), FETCH_SPOOLED);
	cfg->max_header_fields = 4;
	ck_assert_int_eq(take(&f, 5, "2", "math@lists.example.org",
	    "<l2@x>"), FETCH_SET_ASIDE);
	ck_assert_int_eq(fetch_state(&f, 5, "2"), FETCHED_SPOOLED);
	ck_assert_int_eq(spool_entries(cfg, "mb.default."), 1);
	site_close(&site);
	config_free(cfg);
}
END_TEST

static const struct {
	const char	*utf8;
	const char	*imap;
} mutf7_cases[] = {
	{ "INBOX", "INBOX" },
	{ "metodist-processed", "metodist-processed" },
	{ "Обработанные", "&BB4EMQRABDAEMQQ+BEIEMAQ9BD0ESwQ1-" },
	{ "Входящие/Готово", "&BBIERQQ+BDQETwRJBDgENQ-/&BBMEPgRCBD4EMgQ+-" },
	{ "A&B", "A&-B" },
	{ "Папка 1", "&BB8EMAQ,BDoEMA- 1" },
	{ "\xf0\x9f\x93\x9a", "&2D3c2g-" },	/* U+1F4DA, a surrogate pair */
	{ "bad \xff", NULL },
};

START_TEST(test_mutf7)
{
	char	*got = mbconfig_mutf7(mutf7_cases[_i].utf8);

	if (mutf7_cases[_i].imap == NULL)
		ck_assert_ptr_eq(got, NULL);
	else
		ck_assert_str_eq(got, mutf7_cases[_i].imap);
	free(got);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("hosted");
	TCase	*tc;

	log_init("check_hosted", 0, 0);
	tc = testlib_tcase_tmp(s, "listaddr");
	tcase_add_loop_test(tc, test_listaddr, 0, (int)NELEM(addr_cases));
	tc = testlib_tcase(s, "sender");
	tcase_add_loop_test(tc, test_sender, 0, (int)NELEM(sender_cases));
	tc = testlib_tcase_tmp(s, "mbconfig");
	tcase_add_test(tc, test_mbconfig_defaults);
	tcase_add_loop_test(tc, test_mbconfig_errors, 0,
	    (int)NELEM(mbconfig_bad));
	tcase_add_loop_test(tc, test_mutf7, 0, (int)NELEM(mutf7_cases));
	tc = testlib_tcase_tmp(s, "fetch");
	tcase_add_test(tc, test_fetch_order);
	tcase_add_test(tc, test_fetch_limits);
	tc = testlib_tcase(s, "pace");
	tcase_add_loop_test(tc, test_pace, 0, (int)NELEM(pace_cases));
	tcase_add_test(tc, test_pace_hour);
	return testlib_run(s);
}
