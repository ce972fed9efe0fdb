/*
 * check_command: email commands — the grammar, the extraction from
 * realistic letters (tests/data/commands), and the handlers through a
 * real site (database, queue) in a temporary directory.
 *
 * Every extraction case states the exact list of commands expected, one
 * string per command: "NAME[ mode=M][ token=T][ list=L]" or "?LINE" for a
 * line that is not understood.
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
#include "core/request.h"
#include "core/route.h"
#include "core/site.h"
#include "mail/message.h"
#include "store/db.h"
#include "store/member.h"
#include "store/token.h"
#include "util/atomicfile.h"
#include "util/buf.h"
#include "util/log.h"
#include "util/xmalloc.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))
#define MAXCMD		8

static const char *
srcdir(void)
{
	const char	*d = getenv("top_srcdir");

	return d != NULL && *d != '\0' ? d : ".";
}

static char *
read_whole(const char *path, size_t *lenp)
{
	char	*data;

	data = atomicfile_read(path, 16 * 1024 * 1024, lenp);
	ck_assert_msg(data != NULL, "cannot read %s", path);
	return data;
}

/* "subscribe mode=digest list=math" or "?line". */
static char *
describe(const struct command *c)
{
	struct buf	b;

	buf_init(&b);
	if (c->entry == NULL)
		buf_addf(&b, "?%s", c->line);
	else
		buf_adds(&b, c->entry->name);
	if (c->entry != NULL && c->mode != NULL)
		buf_addf(&b, " mode=%s", c->mode);
	if (c->token != NULL)
		buf_addf(&b, " token=%s", c->token);
	if (c->list != NULL)
		buf_addf(&b, " list=%s", c->list);
	if (c->list_domain != NULL)
		buf_addf(&b, "@%s", c->list_domain);
	return buf_detach(&b);
}

/* ---- one line against the grammar ---- */

struct line_case {
	const char	*line;
	int		 rc;		/* of command_parse */
	const char	*want;		/* describe(), when rc == 1 */
};

static const struct line_case line_cases[] = {
	{ "subscribe", 1, "subscribe" },
	{ "SUBSCRIBE digest", 1, "subscribe mode=digest" },
	{ "подписаться", 1, "subscribe" },
	{ "Подписаться без   писем", 1, "subscribe mode=nomail" },
	{ "подписаться math дайджест", 1, "subscribe mode=digest list=math" },
	{ "subscribe digest math", 1, "subscribe mode=digest list=math" },
	{ "subscribe other@example.com", 1,
	    "subscribe list=other@example.com" },
	{ "отписаться", 1, "unsubscribe" },
	{ "Unsubscribe physics.", 1, "unsubscribe list=physics" },
	{ "confirm 0123456789ABCDEF0123456789abcdef", 1,
	    "confirm token=0123456789abcdef0123456789abcdef" },
	{ "подтвердить abc — подписка на «X»", 1, "confirm token=abc" },
	{ "подтвердить", 0, NULL },
	{ "set digest", 1, "set mode=digest" },
	{ "режим без писем", 1, "set mode=nomail" },
	{ "РЕЖИМ Обычный", 1, "set mode=normal" },
	{ "set math nomail", 1, "set mode=nomail list=math" },
	{ "set", 0, NULL },
	{ "режим быстрый", 0, NULL },
	{ "help", 1, "help" },
	{ "Помощь!", 1, "help" },
	{ "справка", 1, "help" },
	{ "lists", 1, "lists" },
	{ "списки", 1, "lists" },
	{ "which", 1, "which" },
	{ "мои", 1, "which" },
	{ "who", 1, "who" },
	{ "участники", 1, "who" },
	{ "end", 1, "end" },
	{ "конец", 1, "end" },
	{ "stop", 1, "end" },
	{ "дайджест", 2, NULL },
	{ "subscribe me please", 0, NULL },
	{ "please subscribe", 0, NULL },
	{ "", 0, NULL },
};

START_TEST(test_line)
{
	const struct line_case	*lc = &line_cases[_i];
	struct command		 c;
	char			*got;
	int			 rc;

	rc = command_parse(lc->line, &c);
	ck_assert_msg(rc == lc->rc, "\"%s\": rc %d, want %d", lc->line, rc,
	    lc->rc);
	if (rc == 1) {
		got = describe(&c);
		ck_assert_msg(strcmp(got, lc->want) == 0, "\"%s\": got \"%s\", "
		    "want \"%s\"", lc->line, got, lc->want);
		free(got);
	}
	if (rc == 2)
		ck_assert_str_eq(c.mode, "digest");
	command_free(&c);
}
END_TEST

struct strip_case {
	const char	*subject;
	const char	*want;
};

static const struct strip_case strip_cases[] = {
	{ "Re: subscribe", "subscribe" },
	{ "RE: Fwd: FW: [Математика] help", "help" },
	{ "Ответ: Отв: Пересл: списки", "списки" },
	{ "Re[2]: [Математика] Re: подтвердить abc", "подтвердить abc" },
	{ "Вопрос по уроку", "Вопрос по уроку" },
	{ "Regarding lists", "Regarding lists" },
};

START_TEST(test_subject_strip)
{
	const struct strip_case	*sc = &strip_cases[_i];
	char			*got;

	got = command_subject_strip(sc->subject);
	ck_assert_msg(strcmp(got, sc->want) == 0, "\"%s\": \"%s\"",
	    sc->subject, got);
	free(got);
}
END_TEST

/* ---- extraction from whole letters ---- */

struct extract_case {
	const char	*file;
	int		 too_many;
	const char	*want[MAXCMD];
};

static const struct extract_case extract_cases[] = {
	{ "outlook_cp1251.eml", 0,
	    { "help", "subscribe mode=digest" } },
	{ "thunderbird_reply.eml", 0,
	    { "help", "set mode=digest", "which" } },
	{ "mailru_reply.eml", 0, { "help", "unsubscribe" } },
	{ "yandex_reply.eml", 0,
	    { "lists", "which", "subscribe list=physics" } },
	{ "iphone.eml", 0, { "unsubscribe", "help" } },
	{ "outlook_html.eml", 0, { "set mode=nomail", "who" } },
	{ "koi8r_subject.eml", 0, { "subscribe" } },
	{ "rfc2047_confirm.eml", 0,
	    { "confirm token=0123456789abcdef0123456789abcdef" } },
	{ "mixed_case.eml", 0, { "subscribe mode=digest",
	    "subscribe mode=nomail list=math", "set mode=normal" } },
	{ "end_stops.eml", 0, { "help", "end" } },
	{ "too_many_unknown.eml", 1, { "?Подскажите, пожалуйста,",
	    "?где взять план урока", "?по теме дроби", "?для 5 класса",
	    "?и ещё презентацию" } },
};

START_TEST(test_extract)
{
	const struct extract_case	*ec = &extract_cases[_i];
	struct command_list		 cl;
	struct message			*m;
	char				*path, *raw, *got;
	size_t				 len, n, i;

	path = xasprintf("%s/tests/data/commands/%s", srcdir(), ec->file);
	raw = read_whole(path, &len);
	m = message_parse(raw, len);
	command_extract(m, 5, &cl);
	for (n = 0; n < MAXCMD && ec->want[n] != NULL; n++)
		;
	for (i = 0; i < cl.n && i < n; i++) {
		got = describe(&cl.v[i]);
		ck_assert_msg(strcmp(got, ec->want[i]) == 0, "%s: command %zu "
		    "is \"%s\", want \"%s\"", ec->file, i, got, ec->want[i]);
		free(got);
	}
	ck_assert_msg(cl.n == n, "%s: %zu commands, want %zu", ec->file, cl.n,
	    n);
	ck_assert_int_eq(cl.too_many_unknown, ec->too_many);
	command_list_free(&cl);
	message_free(m);
	free(raw);
	free(path);
}
END_TEST

START_TEST(test_extract_bounded)
{
	struct command_list	 cl;
	struct message		*m;
	struct buf		 b;
	int			 i;

	/* 300 distinct commands: at most COMMAND_MAX are kept. */
	buf_init(&b);
	buf_adds(&b, "From: a@example.org\nSubject: x\n\n");
	for (i = 0; i < 300; i++)
		buf_addf(&b, "confirm t%d\n", i);
	m = message_parse(b.data, b.len);
	command_extract(m, 5, &cl);
	ck_assert_uint_eq(cl.n, COMMAND_MAX);
	command_list_free(&cl);
	message_free(m);

	/* a long line is not a command, and is cut for the summary */
	buf_reset(&b);
	buf_adds(&b, "From: a@example.org\nSubject: x\n\n");
	for (i = 0; i < 300; i++)
		buf_adds(&b, "я");
	buf_adds(&b, "\nhelp\n");
	m = message_parse(b.data, b.len);
	command_extract(m, 5, &cl);
	ck_assert_uint_eq(cl.n, 2);
	ck_assert_ptr_null(cl.v[0].entry);
	ck_assert_uint_le(strlen(cl.v[0].line), COMMAND_LINE_MAX + 3);
	ck_assert_str_eq(cl.v[1].entry->name, "help");
	command_list_free(&cl);
	message_free(m);
	buf_free(&b);
}
END_TEST

/* ---- the handlers, through a real site ---- */

static char	*tmpdir;
static struct config *cfg;
static struct site site;

static void
write_str(const char *path, const char *s)
{
	FILE	*f = fopen(path, "w");

	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(fputs(s, f) >= 0, 1);
	ck_assert_int_eq(fclose(f), 0);
}

static const char *const list_confs[][2] = {
	{ "math", "[list]\ntitle = МО учителей математики\n"
	    "coordinators = coord@imc.example.org\npolicy = members\n"
	    "confirm = yes\nsubscription = open\n" },
	{ "closed", "[list]\ntitle = Закрытый\n"
	    "coordinators = coord@imc.example.org\npolicy = members\n"
	    "subscription = closed\n" },
	{ "moder", "[list]\ntitle = По заявкам\n"
	    "coordinators = coord@imc.example.org\npolicy = members\n"
	    "subscription = moderated\n" },
};

static void
site_setup(void)
{
	char	 tmpl[] = "/tmp/check_command.XXXXXX", *p, *conf;
	char	 cwd[4096];
	int	 transient;
	size_t	 i;

	ck_assert_ptr_nonnull(mkdtemp(tmpl));
	tmpdir = xstrdup(tmpl);
	p = xasprintf("%s/conf/lists.d", tmpdir);
	ck_assert_int_eq(atomicfile_mkdirs(p, 0700), 0);
	free(p);
	for (i = 0; i < NELEM(list_confs); i++) {
		p = xasprintf("%s/conf/lists.d/%s.conf", tmpdir,
		    list_confs[i][0]);
		write_str(p, list_confs[i][1]);
		free(p);
	}
	ck_assert_ptr_nonnull(getcwd(cwd, sizeof cwd));
	p = xasprintf("[site]\ndomain = lists.example.org\nname = ИМЦ\n"
	    "address = metodist\nreplies_per_day = 100\n[paths]\n"
	    "var = %s/var\nlists = lists.d\ntemplates = %s%s%s/templates\n"
	    "[egress]\ntransport = maildir\noutbox = %s/outbox\n"
	    "[dmarc]\nmode = never\n", tmpdir, *srcdir() == '/' ? "" : cwd,
	    *srcdir() == '/' ? "" : "/", srcdir(), tmpdir);
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
	(void)st;
	(void)flag;
	(void)f;
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

/* Deliver a letter from `from` to rcpt and run the request handler. */
static void
send_cmd(const char *from, const char *rcpt, const char *subject,
    const char *body)
{
	struct message	*m;
	struct route	 rt;
	char		*raw;

	ck_assert_int_eq(route_address(cfg, rcpt, &rt), 0);
	raw = xasprintf("From: %s\nTo: %s\nSubject: %s\nMessage-ID: "
	    "<%ld.%d@example.org>\n\n%s", from, rcpt, subject, time(NULL),
	    rand(), body);
	m = message_parse(raw, strlen(raw));
	ck_assert_int_eq(request_handle(&site, &rt, m, from), 0);
	message_free(m);
	free(raw);
}

/* The newest letter queued for rcpt, or NULL. */
static char *
last_letter(const char *rcpt)
{
	sqlite3_stmt	*st;
	char		*path = NULL, *data = NULL;
	size_t		 len;

	st = db_stmt(site.db, "SELECT o.path FROM outbound o JOIN deliveries "
	    "d ON d.outbound_id = o.id WHERE d.recipient = ?1 ORDER BY o.id "
	    "DESC LIMIT 1", "t", rcpt);
	ck_assert_ptr_nonnull(st);
	if (sqlite3_step(st) == SQLITE_ROW)
		path = db_text(st, 0);
	sqlite3_finalize(st);
	if (path != NULL)
		data = read_whole(path, &len);
	free(path);
	return data;
}

static int64_t
letters_to(const char *rcpt)
{
	return db_int(site.db, 0, "SELECT count(*) FROM deliveries WHERE "
	    "recipient = ?1", "t", rcpt);
}

/* The unused token of kind for addr, into tok; 0 or -1 if none. */
static int
token_for(const char *kind, const char *addr, char tok[TOKEN_LEN + 1])
{
	sqlite3_stmt	*st;
	int		 rc = -1;

	st = db_stmt(site.db, "SELECT token FROM tokens WHERE kind = ?1 AND "
	    "address = ?2 AND used IS NULL ORDER BY created DESC LIMIT 1",
	    "tt", kind, addr);
	ck_assert_ptr_nonnull(st);
	if (sqlite3_step(st) == SQLITE_ROW) {
		snprintf(tok, TOKEN_LEN + 1, "%s",
		    (const char *)sqlite3_column_text(st, 0));
		rc = 0;
	}
	sqlite3_finalize(st);
	return rc;
}

static int
is_member(const char *list, const char *addr)
{
	return member_is(site.db, site_list_id(&site, config_list(cfg, list)),
	    addr, 0);
}

static void
assert_has(const char *text, const char *needle)
{
	ck_assert_msg(text != NULL && strstr(text, needle) != NULL,
	    "\"%s\" not in:\n%s", needle, text ? text : "(no letter)");
}

#define ANNA	"anna@school.example.org"
#define BORIS	"boris@school.example.org"
#define COORD	"coord@imc.example.org"
#define REQ	"math-request@lists.example.org"

START_TEST(test_subscribe_confirm)
{
	char	 tok[TOKEN_LEN + 1], *rcpt, *want, *l;

	send_cmd(ANNA, REQ, "Re: [Математика] подписаться дайджест", "");
	ck_assert_int_eq(is_member("math", ANNA), 0);
	ck_assert_int_eq(token_for("subscribe", ANNA, tok), 0);
	ck_assert_int_eq(letters_to(ANNA), 1);	/* the confirmation only */
	l = last_letter(ANNA);
	want = xasprintf("Reply-To: math+confirm-%s@lists.example.org", tok);
	assert_has(l, want);
	assert_has(l, "From: ");
	assert_has(l, REQ);
	assert_has(l, "Auto-Submitted: auto-replied");
	free(want);
	free(l);

	rcpt = xasprintf("math+confirm-%s@lists.example.org", tok);
	send_cmd(ANNA, rcpt, "Re: подтвердить", "> quoted letter\n");
	ck_assert_int_eq(is_member("math", ANNA), 1);
	ck_assert_int_eq(db_int(site.db, 0, "SELECT count(*) FROM members "
	    "WHERE address = ?1 AND mode = 'digest'", "t", ANNA), 1);
	ck_assert_int_eq(letters_to(ANNA), 2);	/* and the welcome */
	l = last_letter(ANNA);
	assert_has(l, "Subject: =?UTF-8?");	/* the welcome, encoded */
	assert_has(l, "math@lists.example.org");
	free(l);

	/* the same token once more: refused, nothing changes */
	send_cmd(ANNA, rcpt, "Re: подтвердить", "");
	l = last_letter(ANNA);
	assert_has(l, "уже использовано");
	free(l);
	ck_assert_int_eq(is_member("math", ANNA), 1);
	free(rcpt);
}
END_TEST

START_TEST(test_confirm_in_subject)
{
	char	 tok[TOKEN_LEN + 1], *subject;

	send_cmd(BORIS, "math+subscribe@lists.example.org", "", "");
	ck_assert_int_eq(token_for("subscribe", BORIS, tok), 0);
	/* a Reply that went to From (the request address): the Subject */
	subject = xasprintf("RE: подтвердить %s — подписка на «МО»", tok);
	send_cmd(BORIS, REQ, subject, "Да\n\n-----Original Message-----\n"
	    "From: x\n");
	ck_assert_int_eq(is_member("math", BORIS), 1);
	free(subject);
}
END_TEST

START_TEST(test_confirm_expired_forged)
{
	char	 tok[TOKEN_LEN + 1], *rcpt, *l;
	int64_t	 lid = site_list_id(&site, config_list(cfg, "math"));

	ck_assert_int_eq(token_new(site.db, "subscribe", lid, ANNA, "", 0,
	    -60, tok), 0);
	rcpt = xasprintf("math+confirm-%s@lists.example.org", tok);
	send_cmd(ANNA, rcpt, "Re: confirm", "");
	ck_assert_int_eq(is_member("math", ANNA), 0);
	l = last_letter(ANNA);
	assert_has(l, "истёк");
	free(l);
	free(rcpt);

	send_cmd(BORIS, "math+confirm-0badc0de0badc0de0badc0de0badc0de@"
	    "lists.example.org", "Re: confirm", "");
	ck_assert_int_eq(is_member("math", BORIS), 0);
	l = last_letter(BORIS);
	assert_has(l, "Такого кода подтверждения нет");
	free(l);
	ck_assert_int_eq(db_int(site.db, 0, "SELECT count(*) FROM members",
	    ""), 0);
}
END_TEST

START_TEST(test_unsubscribe_confirm)
{
	char	 tok[TOKEN_LEN + 1], *rcpt, *l;
	int64_t	 lid = site_list_id(&site, config_list(cfg, "math"));

	ck_assert_int_eq(member_add(site.db, lid, ANNA, NULL, NULL), 0);
	send_cmd(ANNA, "math+unsubscribe@lists.example.org", "", "");
	ck_assert_int_eq(is_member("math", ANNA), 1);
	ck_assert_int_eq(token_for("unsubscribe", ANNA, tok), 0);
	/* a subscribe token does not unsubscribe, and vice versa */
	rcpt = xasprintf("math+confirm-%s@lists.example.org", tok);
	send_cmd(ANNA, rcpt, "Re:", "");
	ck_assert_int_eq(is_member("math", ANNA), 0);
	l = last_letter(ANNA);
	assert_has(l, "subscribe");	/* goodbye names the way back */
	free(l);
	free(rcpt);
}
END_TEST

START_TEST(test_who_set_which)
{
	int64_t	 lid = site_list_id(&site, config_list(cfg, "math"));
	char	*l;

	ck_assert_int_eq(member_add(site.db, lid, ANNA, NULL, NULL), 0);
	send_cmd(BORIS, REQ, "участники", "");
	l = last_letter(BORIS);
	assert_has(l, "только координаторам");
	ck_assert_ptr_null(strstr(l, ANNA));
	free(l);
	send_cmd(COORD, REQ, "who", "");
	l = last_letter(COORD);
	assert_has(l, ANNA);
	free(l);

	send_cmd(BORIS, REQ, "режим дайджест", "");
	l = last_letter(BORIS);
	assert_has(l, "режим меняют только участники");
	free(l);
	send_cmd(ANNA, REQ, "x", "режим без писем\n");
	ck_assert_int_eq(db_int(site.db, 0, "SELECT count(*) FROM members "
	    "WHERE address = ?1 AND mode = 'nomail'", "t", ANNA), 1);
	send_cmd(ANNA, "math+digest@lists.example.org", "", "");
	ck_assert_int_eq(db_int(site.db, 0, "SELECT count(*) FROM members "
	    "WHERE address = ?1 AND mode = 'digest'", "t", ANNA), 1);

	send_cmd(ANNA, "metodist@lists.example.org", "мои", "списки\n");
	l = last_letter(ANNA);
	assert_has(l, "math@lists.example.org");
	assert_has(l, "closed@lists.example.org");	/* from "lists" */
	free(l);
}
END_TEST

START_TEST(test_policies_and_site)
{
	char	tok[TOKEN_LEN + 1], *l;

	send_cmd(ANNA, "closed-request@lists.example.org", "subscribe", "");
	ck_assert_int_eq(is_member("closed", ANNA), 0);
	ck_assert_int_eq(token_for("subscribe", ANNA, tok), -1);
	l = last_letter(ANNA);
	assert_has(l, "добавляют координаторы");
	free(l);

	send_cmd(ANNA, "moder+subscribe@lists.example.org", "", "");
	ck_assert_int_eq(is_member("moder", ANNA), 0);
	ck_assert_int_eq(letters_to(COORD), 1);
	l = last_letter(COORD);
	assert_has(l, ANNA);
	free(l);

	/* someone else's address is never subscribed */
	send_cmd(BORIS, "metodist@lists.example.org", "subscribe anna@"
	    "school.example.org", "");
	ck_assert_int_eq(token_for("subscribe", ANNA, tok), -1);
	ck_assert_int_eq(letters_to(ANNA), 2);
	l = last_letter(BORIS);
	assert_has(l, "только для вашего собственного адреса");
	free(l);

	/* at the site address a list command names its list */
	send_cmd(BORIS, "metodist@lists.example.org", "Re: hello",
	    "подписаться math\n");
	ck_assert_int_eq(token_for("subscribe", BORIS, tok), 0);
	send_cmd(BORIS, "metodist@lists.example.org", "отписаться", "");
	l = last_letter(BORIS);
	assert_has(l, "Укажите список");
	free(l);
}
END_TEST

START_TEST(test_unknown_help_once)
{
	char	*l;

	send_cmd(ANNA, REQ, "Вопрос", "раз\nдва\nтри\nчетыре\nпять\n"
	    "subscribe\n");
	ck_assert_int_eq(token_for("subscribe", ANNA, (char[TOKEN_LEN + 1]){
	    0 }), -1);
	ck_assert_int_eq(letters_to(ANNA), 1);
	l = last_letter(ANNA);
	assert_has(l, "> пять");
	assert_has(l, "Слишком много нераспознанных строк");
	assert_has(l, "подписаться [дайджест|без писем]");	/* help */
	free(l);
}
END_TEST


/* max_command_addresses (10 by default): ten commands acting on
 * addresses are carried out; eleven, none, and one answer says so. */
#define SITE	"metodist@lists.example.org"

static const char addr_cmds[] =
    "subscribe math\nsubscribe closed\nsubscribe moder\n"
    "unsubscribe math\nunsubscribe closed\nunsubscribe moder\n"
    "who math\nwho closed\nwho moder\nhelp\nlists\nset math digest\n";

/* Letters queued for rcpt whose text has needle. */
static int
letters_with(const char *rcpt, const char *needle)
{
	sqlite3_stmt	*st;
	char		*path, *data;
	size_t		 len;
	int		 n = 0;

	st = db_stmt(site.db, "SELECT o.path FROM outbound o JOIN deliveries "
	    "d ON d.outbound_id = o.id WHERE d.recipient = ?1", "t", rcpt);
	ck_assert_ptr_nonnull(st);
	while (sqlite3_step(st) == SQLITE_ROW) {
		path = db_text(st, 0);
		data = read_whole(path, &len);
		if (data != NULL && strstr(data, needle) != NULL)
			n++;
		free(data);
		free(path);
	}
	sqlite3_finalize(st);
	return n;
}

START_TEST(test_command_addresses_limit)
{
	send_cmd(ANNA, SITE, "Команды", addr_cmds);
	/* subscribe math asked for confirmation, subscribe moder went to
	 * the coordinators: the commands ran */
	ck_assert_int_eq(token_for("subscribe", ANNA, (char[TOKEN_LEN + 1]){
	    0 }), 0);
	ck_assert_int_eq(db_int(site.db, 0, "SELECT count(*) FROM held", ""),
	    1);
	ck_assert_int_ge(letters_to(ANNA), 1);
	ck_assert_int_eq(letters_with(ANNA, "не выполнена ни одна"),
	    0);
}
END_TEST

START_TEST(test_command_addresses_over)
{
	char	*l, *body;

	body = xasprintf("%sset closed digest\n", addr_cmds);
	send_cmd(BORIS, SITE, "Команды", body);
	free(body);
	ck_assert_int_eq(token_for("subscribe", BORIS, (char[TOKEN_LEN + 1]){
	    0 }), -1);
	ck_assert_int_eq(db_int(site.db, 0, "SELECT count(*) FROM held",
	    ""), 0);
	ck_assert_int_eq(letters_to(BORIS), 1);
	l = last_letter(BORIS);
	assert_has(l, "больше 10 команд");
	assert_has(l, "не выполнена ни одна");
	assert_has(l, "Auto-Submitted: auto-replied");
	free(l);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("command");
	TCase	*tc;
	SRunner	*sr;
	int	 failed;

	log_init("check_command", 0, 0);
	tc = tcase_create("grammar");
	tcase_add_loop_test(tc, test_line, 0, NELEM(line_cases));
	tcase_add_loop_test(tc, test_subject_strip, 0, NELEM(strip_cases));
	tcase_add_loop_test(tc, test_extract, 0, NELEM(extract_cases));
	tcase_add_test(tc, test_extract_bounded);
	suite_add_tcase(s, tc);
	tc = tcase_create("handlers");
	tcase_add_checked_fixture(tc, site_setup, site_teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_subscribe_confirm);
	tcase_add_test(tc, test_confirm_in_subject);
	tcase_add_test(tc, test_confirm_expired_forged);
	tcase_add_test(tc, test_unsubscribe_confirm);
	tcase_add_test(tc, test_who_set_which);
	tcase_add_test(tc, test_policies_and_site);
	tcase_add_test(tc, test_unknown_help_once);
	tcase_add_test(tc, test_command_addresses_limit);
	tcase_add_test(tc, test_command_addresses_over);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
