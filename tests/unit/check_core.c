/*
 * check_core: unit tests of the core: configuration loading and its
 * errors, routing of recipient addresses, the posting policy, loop
 * detection, the list copy of a post, templates, and one run through
 * the real path (spool -> process -> queue -> maildir outbox).
 *
 * The shipped configuration and templates are found through the
 * environment variable top_srcdir (default ".").  Everything written goes
 * to a private temporary directory.
 */
#include "config.h"

#include <sys/stat.h>
#include <sys/types.h>

#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "core/config.h"
#include "core/listmsg.h"
#include "core/loop.h"
#include "core/moderate.h"
#include "core/msglimit.h"
#include "core/outq.h"
#include "core/policy.h"
#include "core/process.h"
#include "core/route.h"
#include "core/site.h"
#include "io/spool.h"
#include "mail/message.h"
#include "render/template.h"
#include "store/db.h"
#include "store/list.h"
#include "store/member.h"
#include "util/atomicfile.h"
#include "util/buf.h"
#include "util/strutil.h"
#include "util/xmalloc.h"

#include "testlib.h"

/* ---- helpers ---- */

/* Errors collected from config_load. */
struct errs {
	int	n;
	char	file[8][PATH_MAX];
	int	line[8];
	char	msg[8][256];
};

static void
errs_cb(void *arg, const char *file, int line, const char *msg)
{
	struct errs	*e = arg;

	if (e->n < 8) {
		str_lcpy(e->file[e->n], file, sizeof e->file[0]);
		e->line[e->n] = line;
		str_lcpy(e->msg[e->n], msg, sizeof e->msg[0]);
	}
	e->n++;
}

static struct config *
load_shipped(void)
{
	struct errs	 e;
	struct config	*cfg;
	char		*path = testlib_srcpath("conf/metodist.conf");

	memset(&e, 0, sizeof e);
	cfg = config_load(path, errs_cb, &e);
	ck_assert_msg(cfg != NULL, "%s: %d problems, first %s:%d: %s", path,
	    e.n, e.file[0], e.line[0], e.msg[0]);
	free(path);
	return cfg;
}

static struct message *
parse(const char *raw)
{
	return message_parse(raw, strlen(raw));
}

/* ---- config: the shipped files ---- */

START_TEST(test_config_shipped)
{
	struct config			*cfg = load_shipped();
	const struct list_config	*l;
	int				 seen[4] = { 0, 0, 0, 0 };
	size_t				 i;

	ck_assert_uint_eq(cfg->nlists, 27);
	ck_assert_str_eq(cfg->domain, "lists.example.org");
	ck_assert_str_eq(cfg->site_address, "metodist");
	ck_assert_str_eq(cfg->language, "ru");
	ck_assert_str_eq(cfg->timezone, "Asia/Yekaterinburg");
	ck_assert_int_eq(cfg->delimiter, '+');
	ck_assert_int_eq(cfg->local_part_ci, 0);
	ck_assert_str_eq(cfg->bounce_domain, "lists.example.org");
	ck_assert_uint_eq(cfg->max_message_size, 26214400);
	for (i = 0; i < cfg->nlists; i++) {
		l = &cfg->lists[i];
		ck_assert_int_ge((int)l->policy, POLICY_OPEN);
		ck_assert_int_le((int)l->policy, POLICY_ANNOUNCE);
		seen[l->policy]++;
		ck_assert_msg(l->ncoordinators > 0, "%s: no coordinator",
		    l->name);
		ck_assert_msg(l->title != NULL && *l->title != '\0', "%s",
		    l->name);
		ck_assert_msg(strcmp(l->language, "ru") == 0 ||
		    strcmp(l->language, "en") == 0, "%s", l->name);
		if (i > 0)
			ck_assert_msg(strcmp(cfg->lists[i - 1].name, l->name) < 0,
			    "lists not in name order");
	}
	ck_assert_int_gt(seen[POLICY_OPEN], 0);
	ck_assert_int_gt(seen[POLICY_MEMBERS], 0);
	ck_assert_int_gt(seen[POLICY_MODERATED], 0);
	ck_assert_int_gt(seen[POLICY_ANNOUNCE], 0);

	l = config_list(cfg, "math");
	ck_assert_ptr_nonnull(l);
	ck_assert_str_eq(l->title, "МО учителей математики");
	ck_assert_str_eq(l->subject_tag, "[Математика]");
	ck_assert_int_eq(l->policy, POLICY_MEMBERS);
	ck_assert_str_eq(config_policy_name(l->policy), "members");
	ck_assert_int_eq(config_is_coordinator(cfg, l,
	    "math-coordinator@imc.example.org"), 1);
	ck_assert_int_eq(config_is_coordinator(cfg, l,
	    "math-coordinator@IMC.example.org"), 1);
	ck_assert_int_eq(config_is_coordinator(cfg, l,
	    "other@imc.example.org"), 0);
	ck_assert_ptr_null(config_list(cfg, "nosuch"));
	/* relative paths are taken from the directory of metodist.conf */
	ck_assert_ptr_nonnull(strstr(cfg->lists_dir, "conf/lists.d"));
	ck_assert_ptr_nonnull(strstr(cfg->outbox_dir, "var/outbox"));
	config_free(cfg);
}
END_TEST

/* ---- config: errors, with file and line ---- */

static const char site_base[] =
    "# test site\n"				/* 1 */
    "[site]\n"					/* 2 */
    "domain = lists.example.org\n";		/* 3 */

static const char list_good[] =
    "[list]\n"					/* 1 */
    "title = Тестовый список\n"			/* 2 */
    "coordinators = coord@example.org\n"	/* 3 */
    "policy = members\n";			/* 4 */

struct config_error_case {
	const char	*what;
	const char	*site_extra;	/* appended to site_base, from line 4 */
	const char	*list_file;	/* lists.d/NAME */
	const char	*list_text;
	const char	*err_file;	/* relative to the conf dir */
	int		 err_line;
	const char	*err_word;	/* in the message */
};

static const struct config_error_case config_error_cases[] = {
	{ "unknown key", "colour = blue\n", "math.conf", list_good,
	    "metodist.conf", 4, "colour" },
	{ "unknown key after a good one",
	    "name = Центр\n\n# c\nreplies_per_dya = 5\n", "math.conf",
	    list_good, "metodist.conf", 7, "replies_per_dya" },
	{ "unknown section", "[nosuch]\nx = 1\n", "math.conf", list_good,
	    "metodist.conf", 4, "nosuch" },
	{ "unknown section without keys", "\n[nosuch]\n# only a comment\n",
	    "math.conf", list_good, "metodist.conf", 5, "nosuch" },
	{ "bad value in [site]", "delimiter = ++\n", "math.conf", list_good,
	    "metodist.conf", 4, "delimiter" },
	{ "bad policy", "", "math.conf",
	    "[list]\ntitle = T\ncoordinators = c@example.org\n"
	    "policy = everyone\n", "lists.d/math.conf", 4, "policy" },
	{ "unknown key in a list", "", "math.conf",
	    "[list]\ntitle = T\n\ncoordinators = c@example.org\n"
	    "moderators = m@example.org\n", "lists.d/math.conf", 5,
	    "moderators" },
	{ "list without coordinators", "", "physics.conf",
	    "[list]\ntitle = Физика\npolicy = open\n",
	    "lists.d/physics.conf", 0, "coordinator" },
	{ "list with empty coordinators", "", "physics.conf",
	    "[list]\ntitle = Физика\ncoordinators =\n",
	    "lists.d/physics.conf", 0, "coordinator" },
	{ "bad coordinator address", "", "math.conf",
	    "[list]\ntitle = T\ncoordinators = good@example.org, "
	    "no-at-sign\n", "lists.d/math.conf", 3, "no-at-sign" },
	{ "bad list file name", "", "Math_List.conf", list_good,
	    "lists.d/Math_List.conf", 0, "name" },
	{ "list named like the site address", "", "metodist.conf",
	    list_good, "lists.d/metodist.conf", 0, "site address" },
	{ "bad language", "", "math.conf",
	    "[list]\ntitle = T\ncoordinators = c@example.org\n"
	    "language = de\n", "lists.d/math.conf", 4, "language" },
	{ "relay password in clear over the network",
	    "[egress]\ntransport = smtp\nrelay = mail.example.org:587\n"
	    "user = lists\npassword = secret\n", "math.conf", list_good,
	    "metodist.conf", 0, "in clear" },
	{ "invalid UTF-8", "", "math.conf",
	    "[list]\ntitle = T\ndescription = \xcc\xc0\xd2\n"
	    "coordinators = c@example.org\n", "lists.d/math.conf", 3,
	    "UTF-8" },
};

static void
config_tree(const char *site_extra, const char *list_file,
    const char *list_text, char **conf_out, char **confdir_out)
{
	char	*confdir, *listsdir, *conf, *lf, *site;

	confdir = xasprintf("%s/conf", testlib_dir());
	listsdir = xasprintf("%s/lists.d", confdir);
	ck_assert_int_eq(atomicfile_mkdirs(listsdir, 0700), 0);
	conf = xasprintf("%s/metodist.conf", confdir);
	site = xasprintf("%s%s", site_base, site_extra);
	testlib_write_str(conf, site);
	lf = xasprintf("%s/%s", listsdir, list_file);
	testlib_write_str(lf, list_text);
	free(lf);
	free(site);
	free(listsdir);
	*conf_out = conf;
	*confdir_out = confdir;
}

START_TEST(test_config_errors)
{
	const struct config_error_case	*c = &config_error_cases[_i];
	struct errs			 e;
	struct config			*cfg;
	char				*conf, *confdir, *want;

	config_tree(c->site_extra, c->list_file, c->list_text, &conf,
	    &confdir);
	memset(&e, 0, sizeof e);
	cfg = config_load(conf, errs_cb, &e);
	ck_assert_msg(cfg == NULL, "%s: config_load accepted it", c->what);
	ck_assert_msg(e.n == 1, "%s: %d problems reported (first %s:%d: %s)",
	    c->what, e.n, e.file[0], e.line[0], e.msg[0]);
	want = xasprintf("%s/%s", confdir, c->err_file);
	ck_assert_msg(strcmp(e.file[0], want) == 0, "%s: file %s, want %s",
	    c->what, e.file[0], want);
	ck_assert_msg(e.line[0] == c->err_line, "%s: line %d, want %d (%s)",
	    c->what, e.line[0], c->err_line, e.msg[0]);
	ck_assert_msg(strstr(e.msg[0], c->err_word) != NULL,
	    "%s: message '%s' lacks '%s'", c->what, e.msg[0], c->err_word);
	free(want);
	free(conf);
	free(confdir);
}
END_TEST

/* The same tree without the fault loads: the cases above test one thing. */
START_TEST(test_config_minimal_ok)
{
	struct errs	 e;
	struct config	*cfg;
	char		*conf, *confdir;

	config_tree("", "math.conf", list_good, &conf, &confdir);
	memset(&e, 0, sizeof e);
	cfg = config_load(conf, errs_cb, &e);
	ck_assert_msg(cfg != NULL, "%d problems, first %s:%d: %s", e.n,
	    e.file[0], e.line[0], e.msg[0]);
	ck_assert_int_eq(e.n, 0);
	ck_assert_uint_eq(cfg->nlists, 1);
	ck_assert_str_eq(cfg->lists[0].name, "math");
	ck_assert_str_eq(cfg->lists[0].subject_tag, "[math]");	/* default */
	ck_assert_str_eq(cfg->lists[0].coordinators[0], "coord@example.org");
	config_free(cfg);
	free(conf);
	free(confdir);
}
END_TEST

/* Credentials without TLS are fine for a relay on this machine. */
START_TEST(test_config_relay_auth_local)
{
	static const char *const ok[] = {
		"[egress]\ntransport = smtp\nrelay = 127.0.0.1:587\n"
		"user = lists\npassword = secret\n",
		"[egress]\ntransport = smtp\nrelay = mail.example.org:587\n"
		"tls = starttls\nuser = lists\npassword = secret\n",
	};
	struct errs	 e;
	struct config	*cfg;
	char		*conf, *confdir;
	size_t		 i;

	for (i = 0; i < NELEM(ok); i++) {
		config_tree(ok[i], "math.conf", list_good, &conf, &confdir);
		memset(&e, 0, sizeof e);
		cfg = config_load(conf, errs_cb, &e);
		ck_assert_msg(cfg != NULL, "case %zu: %s", i, e.msg[0]);
		config_free(cfg);
		free(conf);
		free(confdir);
	}
}
END_TEST

/* All problems are reported, not only the first. */
START_TEST(test_config_all_errors)
{
	struct errs	 e;
	struct config	*cfg;
	char		*conf, *confdir, *other;

	config_tree("colour = blue\n", "math.conf",
	    "[list]\ntitle = T\ncoordinators = c@example.org\n"
	    "policy = everyone\n", &conf, &confdir);
	other = xasprintf("%s/lists.d/physics.conf", confdir);
	testlib_write_str(other, "[list]\ntitle = Ф\n");
	memset(&e, 0, sizeof e);
	cfg = config_load(conf, errs_cb, &e);
	ck_assert_ptr_null(cfg);
	ck_assert_int_eq(e.n, 3);
	ck_assert_int_eq(e.line[0], 4);
	ck_assert_ptr_nonnull(strstr(e.file[0], "/metodist.conf"));
	ck_assert_int_eq(e.line[1], 4);
	ck_assert_ptr_nonnull(strstr(e.file[1], "/lists.d/math.conf"));
	ck_assert_int_eq(e.line[2], 0);
	ck_assert_ptr_nonnull(strstr(e.file[2], "/lists.d/physics.conf"));
	free(other);
	free(conf);
	free(confdir);
}
END_TEST

START_TEST(test_config_missing_file)
{
	struct errs	 e;
	char		*p = xasprintf("%s/nonexistent.conf", testlib_dir());

	memset(&e, 0, sizeof e);
	ck_assert_ptr_null(config_load(p, errs_cb, &e));
	ck_assert_int_ge(e.n, 1);
	ck_assert_str_eq(e.file[0], p);
	free(p);
}
END_TEST


/* ---- config: [limits] bounds of one message and one letter ---- */

static const struct {
	const char	*key;
	const char	*value;
	int		 ok;
} msglimit_cases[] = {
	{ "max_header_fields", "1", 1 }, { "max_header_fields", "1000", 1 },
	{ "max_header_fields", "0", 0 }, { "max_header_fields", "1001", 0 },
	{ "max_header_line", "78", 1 }, { "max_header_line", "65536", 1 },
	{ "max_header_line", "77", 0 }, { "max_header_line", "65537", 0 },
	{ "max_mime_depth", "1", 1 }, { "max_mime_depth", "20", 1 },
	{ "max_mime_depth", "0", 0 }, { "max_mime_depth", "21", 0 },
	{ "max_mime_parts", "1", 1 }, { "max_mime_parts", "500", 1 },
	{ "max_mime_parts", "0", 0 }, { "max_mime_parts", "501", 0 },
	{ "max_mime_parts", "-1", 0 }, { "max_mime_parts", "ten", 0 },
	{ "max_command_addresses", "1", 1 },
	{ "max_command_addresses", "30", 1 },
	{ "max_command_addresses", "0", 0 },
	{ "max_command_addresses", "31", 0 },
	{ "max_header_line", "99999999999999999999999", 0 },
};

static int
msglimit_value(const struct config *cfg, const char *key)
{
	if (strcmp(key, "max_header_fields") == 0)
		return cfg->max_header_fields;
	if (strcmp(key, "max_header_line") == 0)
		return cfg->max_header_line;
	if (strcmp(key, "max_mime_depth") == 0)
		return cfg->max_mime_depth;
	if (strcmp(key, "max_mime_parts") == 0)
		return cfg->max_mime_parts;
	return cfg->max_command_addresses;
}

START_TEST(test_config_msglimits)
{
	struct errs	 e;
	struct config	*cfg;
	char		*conf, *confdir, *extra;

	extra = xasprintf("[limits]\n%s = %s\n", msglimit_cases[_i].key,
	    msglimit_cases[_i].value);
	config_tree(extra, "math.conf", list_good, &conf, &confdir);
	memset(&e, 0, sizeof e);
	cfg = config_load(conf, errs_cb, &e);
	if (msglimit_cases[_i].ok) {
		ck_assert_msg(cfg != NULL, "%s = %s: %s",
		    msglimit_cases[_i].key, msglimit_cases[_i].value,
		    e.msg[0]);
		ck_assert_int_eq(msglimit_value(cfg, msglimit_cases[_i].key),
		    atoi(msglimit_cases[_i].value));
		config_free(cfg);
	} else {
		ck_assert_msg(cfg == NULL, "%s = %s accepted",
		    msglimit_cases[_i].key, msglimit_cases[_i].value);
		ck_assert_int_eq(e.n, 1);
		ck_assert_int_eq(e.line[0], 5);
		ck_assert_msg(strstr(e.msg[0], msglimit_cases[_i].key) != NULL,
		    "'%s' does not name %s", e.msg[0], msglimit_cases[_i].key);
	}
	free(extra);
	free(conf);
	free(confdir);
}
END_TEST

/* The defaults, and the verdict ingress answers with. */
START_TEST(test_msglimit_verdict)
{
	struct msglimit_verdict	 v;
	struct errs		 e;
	struct config		*cfg;
	char			*conf, *confdir;
	const char		*three = "Subject: s\nContent-Type: multipart/"
	    "mixed; boundary=w\n\n--w\n\na\n--w\n\nb\n--w--\n";

	config_tree("", "math.conf", list_good, &conf, &confdir);
	memset(&e, 0, sizeof e);
	ck_assert_ptr_nonnull(cfg = config_load(conf, errs_cb, &e));
	ck_assert_int_eq(cfg->max_header_fields, 1000);
	ck_assert_int_eq(cfg->max_header_line, 16384);
	ck_assert_int_eq(cfg->max_mime_depth, 20);
	ck_assert_int_eq(cfg->max_mime_parts, 500);
	ck_assert_int_eq(cfg->max_command_addresses, 10);
	ck_assert_int_eq(msglimit_check(cfg, three, strlen(three), &v), 0);
	ck_assert_int_eq(v.bound, MESSAGE_WITHIN);

	cfg->max_mime_parts = 2;	/* three parts: the multipart, a, b */
	ck_assert_int_eq(msglimit_check(cfg, three, strlen(three), &v), 1);
	ck_assert_str_eq(v.key, "max_mime_parts");
	ck_assert_uint_eq(v.limit, 2);
	ck_assert_uint_eq(v.found, 3);
	ck_assert_msg(strncmp(v.text, "5.6.0 ", 6) == 0 &&
	    strstr(v.text, "2 MIME parts") != NULL &&
	    strstr(v.text, "max_mime_parts") != NULL, "%s", v.text);
	cfg->max_mime_parts = 3;
	ck_assert_int_eq(msglimit_check(cfg, three, strlen(three), &v), 0);

	cfg->max_header_fields = 1;
	ck_assert_int_eq(msglimit_check(cfg, three, strlen(three), &v), 1);
	ck_assert_str_eq(v.key, "max_header_fields");
	ck_assert_msg(strstr(v.text, "2 header fields") != NULL, "%s",
	    v.text);
	config_free(cfg);
	free(conf);
	free(confdir);
}
END_TEST

/* ---- route ---- */

#define D	"@lists.example.org"

static const struct route_case {
	const char		*rcpt;
	enum route_action	 action;
	const char		*list;	/* NULL: none */
	const char		*token;
} route_cases[] = {
	{ "math" D, ROUTE_POST, "math", "" },
	{ "math-request" D, ROUTE_REQUEST, "math", "" },
	{ "math-owner" D, ROUTE_OWNER, "math", "" },
	{ "math+subscribe" D, ROUTE_SUBSCRIBE, "math", "" },
	{ "math+unsubscribe" D, ROUTE_UNSUBSCRIBE, "math", "" },
	{ "math+help" D, ROUTE_HELP, "math", "" },
	{ "math+digest" D, ROUTE_DIGEST, "math", "" },
	{ "math+submit" D, ROUTE_SUBMIT, "math", "" },
	{ "math+event" D, ROUTE_EVENT, "math", "" },
	{ "math+confirm-abc123" D, ROUTE_CONFIRM, "math", "abc123" },
	{ "math+mod-Tok_1-2" D, ROUTE_MOD, "math", "Tok_1-2" },
	{ "math+review-r42" D, ROUTE_REVIEW, "math", "r42" },
	{ "math+bounces-0123abcd" D, ROUTE_BOUNCES, "math", "0123abcd" },
	{ "math+bounces" D, ROUTE_BOUNCES, "math", "" },
	{ "young-teachers" D, ROUTE_POST, "young-teachers", "" },
	{ "young-teachers-request" D, ROUTE_REQUEST, "young-teachers", "" },
	{ "young-teachers-owner" D, ROUTE_OWNER, "young-teachers", "" },
	{ "young-teachers+help" D, ROUTE_HELP, "young-teachers", "" },
	{ "math@LISTS.EXAMPLE.ORG", ROUTE_POST, "math", "" },
	{ "math-request@Lists.Example.Org", ROUTE_REQUEST, "math", "" },
	{ "<math" D ">", ROUTE_POST, "math", "" },
	{ "metodist" D, ROUTE_SITE, NULL, "" },
	/* nothing guessed */
	{ "math+confirm" D, ROUTE_NONE, NULL, "" },
	{ "math+mod" D, ROUTE_NONE, NULL, "" },
	{ "math+confirm-" D, ROUTE_NONE, NULL, "" },
	{ "math+unknown" D, ROUTE_NONE, NULL, "" },
	{ "math+helpme" D, ROUTE_NONE, NULL, "" },
	{ "math+subscribe-x" D, ROUTE_NONE, NULL, "" },
	{ "math-nosuch" D, ROUTE_NONE, NULL, "" },
	{ "nosuch" D, ROUTE_NONE, NULL, "" },
	{ "nosuch-request" D, ROUTE_NONE, NULL, "" },
	{ "math@other.example.org", ROUTE_NONE, NULL, "" },
	{ "math@lists.example.org.evil.com", ROUTE_NONE, NULL, "" },
	{ "math@example.org", ROUTE_NONE, NULL, "" },
	{ "metodist+help" D, ROUTE_NONE, NULL, "" },
	{ "math+confirm-ab.cd" D, ROUTE_NONE, NULL, "" },
	{ "math+confirm-ab=cd" D, ROUTE_NONE, NULL, "" },
	{ "math+mod-abc/def" D, ROUTE_NONE, NULL, "" },
	{ "math", ROUTE_NONE, NULL, "" },
	{ "", ROUTE_NONE, NULL, "" },
	{ "@lists.example.org", ROUTE_NONE, NULL, "" },
};

START_TEST(test_route)
{
	const struct route_case	*c = &route_cases[_i];
	struct config		*cfg = load_shipped();
	struct route		 r;
	int			 rc;

	memset(&r, 0xa5, sizeof r);
	rc = route_address(cfg, c->rcpt, &r);
	ck_assert_msg(r.action == c->action, "%s: action %s, want %s",
	    c->rcpt, route_action_name(r.action),
	    route_action_name(c->action));
	if (c->action == ROUTE_NONE) {
		ck_assert_msg(rc == -1, "%s: rc %d", c->rcpt, rc);
		ck_assert_msg(r.reason != NULL && *r.reason != '\0',
		    "%s: no reason", c->rcpt);
		ck_assert_ptr_null(r.list);
	} else {
		ck_assert_msg(rc == 0, "%s: rc %d", c->rcpt, rc);
		if (c->list == NULL)
			ck_assert_ptr_null(r.list);
		else {
			ck_assert_msg(r.list != NULL, "%s: no list", c->rcpt);
			ck_assert_str_eq(r.list->name, c->list);
		}
		ck_assert_msg(strcmp(r.token, c->token) == 0,
		    "%s: token '%s', want '%s'", c->rcpt, r.token, c->token);
	}
	config_free(cfg);
}
END_TEST

START_TEST(test_route_long)
{
	struct config	*cfg = load_shipped();
	struct route	 r;
	struct buf	 b;
	int		 i;

	/* a token one past ROUTE_TOKEN_MAX is refused */
	buf_init(&b);
	buf_adds(&b, "math+confirm-");
	for (i = 0; i < ROUTE_TOKEN_MAX + 1; i++)
		buf_addc(&b, 'a');
	buf_adds(&b, D);
	ck_assert_int_eq(route_address(cfg, buf_cstr(&b), &r), -1);
	ck_assert_int_eq(r.action, ROUTE_NONE);
	/* a very long local part */
	buf_reset(&b);
	buf_adds(&b, "math+confirm-");
	for (i = 0; i < 5000; i++)
		buf_addc(&b, 'a' + i % 26);
	buf_adds(&b, D);
	ck_assert_int_eq(route_address(cfg, buf_cstr(&b), &r), -1);
	ck_assert_int_eq(r.action, ROUTE_NONE);
	ck_assert_ptr_null(r.list);
	buf_reset(&b);
	for (i = 0; i < 5000; i++)
		buf_addc(&b, 'm');
	buf_adds(&b, D);
	ck_assert_int_eq(route_address(cfg, buf_cstr(&b), &r), -1);
	ck_assert_int_eq(r.action, ROUTE_NONE);
	buf_free(&b);
	config_free(cfg);
}
END_TEST

/* ---- policy ---- */

enum { ROLE_MEMBER, ROLE_COORDINATOR, ROLE_STRANGER, NROLES };

/* [policy][role] for a message within the size limit. */
static const enum policy_verdict policy_table[4][NROLES] = {
	[POLICY_OPEN] = { VERDICT_ACCEPT, VERDICT_ACCEPT, VERDICT_ACCEPT },
	[POLICY_MEMBERS] = { VERDICT_ACCEPT, VERDICT_ACCEPT,
	    VERDICT_REFUSE_NONMEMBER },
	[POLICY_MODERATED] = { VERDICT_HOLD, VERDICT_ACCEPT,
	    VERDICT_REFUSE_NONMEMBER },
	[POLICY_ANNOUNCE] = { VERDICT_REFUSE_ANNOUNCE, VERDICT_ACCEPT,
	    VERDICT_REFUSE_ANNOUNCE },
};

/* _i = policy * NROLES * 2 + role * 2 + oversize */
START_TEST(test_policy_decide)
{
	struct policy_input	in;
	int			policy = _i / (NROLES * 2);
	int			role = (_i / 2) % NROLES;
	int			oversize = _i % 2;
	enum policy_verdict	want, got;

	memset(&in, 0, sizeof in);
	in.policy = (enum list_policy)policy;
	in.is_member = role == ROLE_MEMBER;
	in.is_coordinator = role == ROLE_COORDINATOR;
	in.max_size = 10000;
	in.size = oversize ? 10001 : 10000;
	want = oversize ? VERDICT_REFUSE_SIZE : policy_table[policy][role];
	got = policy_decide(&in);
	ck_assert_msg(got == want, "%s, role %d, size %llu: %s, want %s",
	    config_policy_name(in.policy), role, (unsigned long long)in.size,
	    policy_verdict_name(got), policy_verdict_name(want));
}
END_TEST

START_TEST(test_policy_special)
{
	struct policy_input	in;

	memset(&in, 0, sizeof in);
	/* max_size 0: no limit */
	in.policy = POLICY_OPEN;
	in.size = (uint64_t)1 << 40;
	ck_assert_int_eq(policy_decide(&in), VERDICT_ACCEPT);
	/* a coordinator who is also a member of a moderated list: accepted */
	in.policy = POLICY_MODERATED;
	in.is_member = 1;
	in.is_coordinator = 1;
	ck_assert_int_eq(policy_decide(&in), VERDICT_ACCEPT);
	/* announce with require_auth */
	in.policy = POLICY_ANNOUNCE;
	in.is_member = 0;
	in.require_auth = 1;
	in.authenticated = 0;
	ck_assert_int_eq(policy_decide(&in), VERDICT_REFUSE_UNAUTHENTICATED);
	in.authenticated = 1;
	ck_assert_int_eq(policy_decide(&in), VERDICT_ACCEPT);
	/* size first, even for a coordinator */
	in.max_size = 100;
	in.size = 101;
	ck_assert_int_eq(policy_decide(&in), VERDICT_REFUSE_SIZE);
	/* a stranger on announce with require_auth is refused as announce */
	in.size = 10;
	in.is_coordinator = 0;
	ck_assert_int_eq(policy_decide(&in), VERDICT_REFUSE_ANNOUNCE);
}
END_TEST

START_TEST(test_policy_authenticated)
{
	struct message	*m;

	m = parse("Authentication-Results: lists.example.org; dkim=pass "
	    "header.d=school.example.org\nFrom: a@school.example.org\n\nx\n");
	ck_assert_int_eq(policy_authenticated(m, "lists.example.org"), 1);
	message_free(m);
	/* another host's verdict does not count */
	m = parse("Authentication-Results: evil.example.com; dkim=pass\n"
	    "From: a@school.example.org\n\nx\n");
	ck_assert_int_eq(policy_authenticated(m, "lists.example.org"), 0);
	message_free(m);
	m = parse("Authentication-Results: lists.example.org; dkim=fail; "
	    "spf=softfail\nFrom: a@school.example.org\n\nx\n");
	ck_assert_int_eq(policy_authenticated(m, "lists.example.org"), 0);
	message_free(m);
}
END_TEST

/* ---- loop ---- */

static const struct loop_case {
	const char	*what;
	const char	*headers;	/* before From/To/Subject */
	const char	*from;
	const char	*envelope;	/* NULL: unknown */
	int		 loop;
} loop_cases[] = {
	{ "ordinary", "", "ivan@school.example.org",
	    "ivan@school.example.org", 0 },
	{ "ordinary, envelope unknown", "", "ivan@school.example.org", NULL,
	    0 },
	{ "own List-Id", "List-Id: Math <math.lists.example.org>\n",
	    "ivan@school.example.org", "ivan@school.example.org", 1 },
	{ "own List-Id, other case",
	    "List-Id: =?UTF-8?B?0JzQng==?= <Physics.LISTS.Example.org>\n",
	    "ivan@school.example.org", "ivan@school.example.org", 1 },
	{ "foreign List-Id", "List-Id: Other <math.lists.example.com>\n",
	    "ivan@school.example.org", "ivan@school.example.org", 0 },
	{ "foreign List-Id ending like ours",
	    "List-Id: <math.notlists.example.org>\n",
	    "ivan@school.example.org", "ivan@school.example.org", 0 },
	{ "X-Loop marker", "X-Loop: metodist@lists.example.org\n",
	    "ivan@school.example.org", "ivan@school.example.org", 1 },
	{ "foreign X-Loop", "X-Loop: robot@other.example.com\n",
	    "ivan@school.example.org", "ivan@school.example.org", 0 },
	{ "Auto-Submitted: auto-replied", "Auto-Submitted: auto-replied\n",
	    "ivan@school.example.org", "ivan@school.example.org", 1 },
	{ "Auto-Submitted: auto-generated",
	    "Auto-Submitted: auto-generated\n", "ivan@school.example.org",
	    "ivan@school.example.org", 1 },
	{ "Auto-Submitted: no", "Auto-Submitted: no\n",
	    "ivan@school.example.org", "ivan@school.example.org", 0 },
	{ "Auto-Submitted: No (comment)", "Auto-Submitted: No (human)\n",
	    "ivan@school.example.org", "ivan@school.example.org", 0 },
	{ "Precedence: bulk", "Precedence: bulk\n",
	    "ivan@school.example.org", "ivan@school.example.org", 1 },
	{ "Precedence: list", "Precedence: list\n",
	    "ivan@school.example.org", "ivan@school.example.org", 1 },
	{ "Precedence: junk", "Precedence: JUNK\n",
	    "ivan@school.example.org", "ivan@school.example.org", 1 },
	{ "Precedence: first-class", "Precedence: first-class\n",
	    "ivan@school.example.org", "ivan@school.example.org", 0 },
	{ "empty envelope sender", "", "ivan@school.example.org", "", 1 },
	{ "MAILER-DAEMON envelope", "", "ivan@school.example.org",
	    "MAILER-DAEMON@mx.example.org", 1 },
	{ "MAILER-DAEMON From", "", "MAILER-DAEMON@mx.example.org",
	    "bounce@mx.example.org", 1 },
	{ "postmaster envelope", "", "ivan@school.example.org",
	    "postmaster@mx.example.org", 1 },
};

START_TEST(test_loop_reason)
{
	const struct loop_case	*c = &loop_cases[_i];
	struct config		*cfg = load_shipped();
	struct message		*m;
	const char		*why;
	char			*raw;

	raw = xasprintf("%sFrom: Someone <%s>\nTo: math@lists.example.org\n"
	    "Subject: test\nMessage-ID: <l1@school.example.org>\n\nHello\n",
	    c->headers, c->from);
	m = parse(raw);
	why = loop_reason(cfg, m, c->envelope);
	if (c->loop)
		ck_assert_msg(why != NULL && *why != '\0', "%s: not seen as a "
		    "loop", c->what);
	else
		ck_assert_msg(why == NULL, "%s: seen as a loop: %s", c->what,
		    why);
	message_free(m);
	free(raw);
	config_free(cfg);
}
END_TEST

START_TEST(test_loop_marker)
{
	struct config	*cfg = load_shipped();
	char		*m = loop_marker(cfg);

	ck_assert_str_eq(m, "metodist@lists.example.org");
	free(m);
	config_free(cfg);
}
END_TEST

/* ---- listmsg ---- */

/* The header block (up to and including the empty line) and the body. */
static void
split_msg(const char *data, size_t len, char **head, const char **body,
    size_t *blen)
{
	const char	*p = NULL, *crlf, *lf;

	lf = memmem(data, len, "\n\n", 2);
	crlf = memmem(data, len, "\r\n\r\n", 4);
	if (crlf != NULL && (lf == NULL || crlf < lf)) {
		p = crlf + 4;
	} else {
		ck_assert_ptr_nonnull(lf);
		p = lf + 2;
	}
	*head = xstrndup(data, (size_t)(p - data));
	*body = p;
	*blen = len - (size_t)(p - data);
}

/* Number of fields named name in a header block. */
static int
count_fields(const char *head, const char *name)
{
	const char	*p = head;
	size_t		 n = strlen(name);
	int		 c = 0;

	while (*p != '\0') {
		if (strncasecmp(p, name, n) == 0 && p[n] == ':')
			c++;
		if ((p = strchr(p, '\n')) == NULL)
			break;
		p++;
	}
	return c;
}

static int
all_ascii(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s >= 0x80)
			return 0;
	return 1;
}

static const char listmsg_body[] =
    "Коллеги, добрый день!\n"
    "\n"
    "Line with trailing spaces   \n"
    "From the start of a line\n"
    ".\n"
    "-- \n"
    "Иван\n";

static char *
listmsg_raw(const char *eol, const char *subject_field, int with_mid)
{
	struct buf	 b;
	const char	*p;

	buf_init(&b);
	buf_addf(&b, "Return-Path: <ivan@school.example.org>%s", eol);
	buf_addf(&b, "Received: from mx.school.example.org by lists%s"
	    "\tid 123; Tue, 12 May 2026 10:00:00 +0500%s", eol, eol);
	buf_addf(&b, "DKIM-Signature: v=1; a=rsa-sha256; d=school.example.org;"
	    "%s b=AbCdEf0123%s", eol, eol);
	buf_addf(&b, "List-Id: Other list <other.lists.example.com>%s", eol);
	buf_addf(&b, "Delivered-To: math@lists.example.org%s", eol);
	buf_addf(&b, "From: Ivan Petrov <ivan@school.example.org>%s", eol);
	buf_addf(&b, "To: math@lists.example.org%s", eol);
	buf_addf(&b, "%s%s", subject_field, eol);
	if (with_mid)
		buf_addf(&b, "Message-ID: <m1@school.example.org>%s", eol);
	buf_addf(&b, "Date: Tue, 12 May 2026 10:00:00 +0500%s", eol);
	buf_addf(&b, "X-Custom: kept%s", eol);
	buf_adds(&b, eol);
	for (p = listmsg_body; *p != '\0'; p++) {
		if (*p == '\n')
			buf_adds(&b, eol);
		else
			buf_addc(&b, *p);
	}
	return buf_detach(&b);
}

static char *
listmsg_make(struct config *cfg, const struct list_config *l,
    const char *raw, int rewrite, const char *mid, size_t *len)
{
	struct listmsg_input	 in;
	struct message		*m = parse(raw);
	char			*out;

	memset(&in, 0, sizeof in);
	in.cfg = cfg;
	in.list = l;
	in.msg = m;
	in.number = 7;
	in.rewrite_from = rewrite;
	in.message_id = mid;
	out = listmsg_build(&in, len);
	message_free(m);
	return out;
}

/* _i: 0 LF, 1 CRLF */
START_TEST(test_listmsg_build)
{
	const char			*eol = _i ? "\r\n" : "\n";
	struct config			*cfg = load_shipped();
	const struct list_config	*l = config_list(cfg, "math");
	struct message			*om;
	char				*raw, *out, *head, *rawhead, *want;
	const char			*body, *rawbody, *p;
	size_t				 len, blen, rawblen;

	raw = listmsg_raw(eol, "Subject: Plan of the meeting", 1);
	out = listmsg_make(cfg, l, raw, 0, NULL, &len);
	ck_assert_ptr_nonnull(out);
	ck_assert_uint_eq(strlen(out), len);
	split_msg(out, len, &head, &body, &blen);
	split_msg(raw, strlen(raw), &rawhead, &rawbody, &rawblen);
	/* the body byte for byte */
	ck_assert_uint_eq(blen, rawblen);
	ck_assert_int_eq(memcmp(body, rawbody, blen), 0);
	/* one line ending throughout the header */
	for (p = head; (p = strchr(p, '\n')) != NULL; p++) {
		if (_i)
			ck_assert_msg(p > head && p[-1] == '\r',
			    "bare LF in a CRLF message's header");
		else
			ck_assert_msg(p > head && p[-1] != '\r',
			    "CRLF in an LF message's header");
	}
	ck_assert_msg(all_ascii(head), "header not pure ASCII:\n%s", head);
	/* dropped */
	ck_assert_int_eq(count_fields(head, "Return-Path"), 0);
	ck_assert_int_eq(count_fields(head, "DKIM-Signature"), 0);
	ck_assert_ptr_null(strstr(head, "AbCdEf0123"));	/* its folded part */
	ck_assert_int_eq(count_fields(head, "Delivered-To"), 0);
	ck_assert_ptr_null(strstr(head, "other.lists.example.com"));
	/* kept */
	ck_assert_int_eq(count_fields(head, "Received"), 1);
	ck_assert_ptr_nonnull(strstr(head, "\tid 123;"));
	ck_assert_int_eq(count_fields(head, "X-Custom"), 1);
	ck_assert_int_eq(count_fields(head, "Message-ID"), 1);
	ck_assert_int_eq(count_fields(head, "From"), 1);
	want = xasprintf("From: Ivan Petrov <ivan@school.example.org>%s", eol);
	ck_assert_ptr_nonnull(strstr(head, want));
	free(want);
	ck_assert_int_eq(count_fields(head, "Reply-To"), 0);
	/* the list's fields, once each */
	ck_assert_int_eq(count_fields(head, "List-Id"), 1);
	ck_assert_ptr_nonnull(strstr(head, "<math.lists.example.org>"));
	ck_assert_int_eq(count_fields(head, "List-Post"), 1);
	ck_assert_ptr_nonnull(strstr(head,
	    "List-Post: <mailto:math@lists.example.org>"));
	ck_assert_ptr_nonnull(strstr(head,
	    "List-Help: <mailto:math+help@lists.example.org>"));
	ck_assert_ptr_nonnull(strstr(head,
	    "List-Subscribe: <mailto:math+subscribe@lists.example.org>"));
	ck_assert_ptr_nonnull(strstr(head,
	    "List-Unsubscribe: <mailto:math+unsubscribe@lists.example.org>"));
	ck_assert_ptr_nonnull(strstr(head,
	    "List-Owner: <mailto:math-owner@lists.example.org>"));
	ck_assert_int_eq(count_fields(head, "List-Unsubscribe-Post"), 0);
	ck_assert_int_eq(count_fields(head, "List-Archive"), 0);
	ck_assert_int_eq(count_fields(head, "Precedence"), 1);
	ck_assert_ptr_nonnull(strstr(head, "Precedence: list"));
	ck_assert_ptr_nonnull(strstr(head,
	    "X-Loop: metodist@lists.example.org"));
	ck_assert_int_eq(count_fields(head, "Subject"), 1);
	/* the subject, tagged and encoded, reads back right */
	om = message_parse(out, len);
	ck_assert_str_eq(om->subject, "[Математика] Plan of the meeting");
	ck_assert_str_eq(om->message_id, "m1@school.example.org");
	ck_assert_str_eq(om->from_addr, "ivan@school.example.org");
	message_free(om);
	free(head);
	free(rawhead);
	free(out);
	free(raw);
	config_free(cfg);
}
END_TEST

static const struct {
	const char	*field;		/* Subject field as the author wrote it */
	const char	*want;		/* decoded Subject of the list copy */
} subject_cases[] = {
	{ "Subject: Plan", "[Математика] Plan" },
	{ "Subject: Re: [Математика] x", "Re: [Математика] x" },
	{ "Subject: =?UTF-8?B?UmU6IFvQnNCw0YLQtdC80LDRgtC40LrQsF0geA==?=",
	    "Re: [Математика] x" },
	{ "Subject: =?KOI8-R?B?8NLJ18XU?=", "[Математика] Привет" },
	{ "Subject: Привет, коллеги", "[Математика] Привет, коллеги" },
	{ "X-No-Subject: 1", "[Математика]" },
};

START_TEST(test_listmsg_subject)
{
	struct config			*cfg = load_shipped();
	const struct list_config	*l = config_list(cfg, "math");
	struct message			*om;
	char				*raw, *out, *head;
	const char			*body;
	size_t				 len, blen;

	raw = listmsg_raw("\n", subject_cases[_i].field, 1);
	out = listmsg_make(cfg, l, raw, 0, NULL, &len);
	split_msg(out, len, &head, &body, &blen);
	ck_assert_msg(all_ascii(head), "header not pure ASCII:\n%s", head);
	ck_assert_int_eq(count_fields(head, "Subject"), 1);
	ck_assert_ptr_nonnull(strstr(head, "Subject: =?"));	/* encoded */
	om = message_parse(out, len);
	ck_assert_str_eq(om->subject, subject_cases[_i].want);
	message_free(om);
	free(head);
	free(out);
	free(raw);
	config_free(cfg);
}
END_TEST

static const struct {
	const char	*subject;
	const char	*tag;
	const char	*want;
} tag_cases[] = {
	{ "Hello", "[T]", "[T] Hello" },
	{ "", "[T]", "[T]" },
	{ "Re: [T] Hello", "[T]", "Re: [T] Hello" },
	{ "[T] Hello", "[T]", "[T] Hello" },
	{ "Hello", "", "Hello" },
	{ "Привет", "[Математика]", "[Математика] Привет" },
	{ "Ответ: [Математика] Привет", "[Математика]",
	    "Ответ: [Математика] Привет" },
};

START_TEST(test_listmsg_subject_tag)
{
	char	*s = listmsg_subject(tag_cases[_i].subject, tag_cases[_i].tag);

	ck_assert_str_eq(s, tag_cases[_i].want);
	free(s);
}
END_TEST

START_TEST(test_listmsg_rewrite_from)
{
	struct config			*cfg = load_shipped();
	const struct list_config	*l = config_list(cfg, "math");
	struct message			*om;
	char				*raw, *out, *head, *with_rt;
	const char			*body;
	size_t				 len, blen;

	raw = listmsg_raw("\n", "Subject: Plan", 1);
	out = listmsg_make(cfg, l, raw, 1, NULL, &len);
	split_msg(out, len, &head, &body, &blen);
	ck_assert_msg(all_ascii(head), "header not pure ASCII:\n%s", head);
	ck_assert_int_eq(count_fields(head, "From"), 1);
	ck_assert_int_eq(count_fields(head, "Reply-To"), 1);
	om = message_parse(out, len);
	ck_assert_str_eq(om->from_addr, "math@lists.example.org");
	ck_assert_ptr_nonnull(om->from_name);
	ck_assert_str_eq(om->from_name, "Ivan Petrov via МО учителей "
	    "математики");
	ck_assert_ptr_nonnull(om->reply_to);
	ck_assert_str_eq(om->reply_to, "ivan@school.example.org");
	message_free(om);
	free(head);
	free(out);

	/* an existing Reply-To is kept, not doubled */
	with_rt = xasprintf("Reply-To: group@school.example.org\n%s", raw);
	out = listmsg_make(cfg, l, with_rt, 1, NULL, &len);
	split_msg(out, len, &head, &body, &blen);
	ck_assert_int_eq(count_fields(head, "Reply-To"), 1);
	ck_assert_int_eq(count_fields(head, "From"), 1);
	om = message_parse(out, len);
	ck_assert_str_eq(om->reply_to, "group@school.example.org");
	ck_assert_str_eq(om->from_addr, "math@lists.example.org");
	message_free(om);
	free(head);
	free(out);
	free(with_rt);
	free(raw);
	config_free(cfg);
}
END_TEST

START_TEST(test_listmsg_message_id)
{
	struct config			*cfg = load_shipped();
	const struct list_config	*l = config_list(cfg, "math");
	struct message			*om;
	char				*raw, *out, *head;
	const char			*body;
	size_t				 len, blen;

	raw = listmsg_raw("\n", "Subject: Plan", 0);
	/* not asked: none added */
	out = listmsg_make(cfg, l, raw, 0, NULL, &len);
	split_msg(out, len, &head, &body, &blen);
	ck_assert_int_eq(count_fields(head, "Message-ID"), 0);
	free(head);
	free(out);
	/* asked: added once */
	out = listmsg_make(cfg, l, raw, 0, "metodist.1.x@lists.example.org",
	    &len);
	split_msg(out, len, &head, &body, &blen);
	ck_assert_int_eq(count_fields(head, "Message-ID"), 1);
	ck_assert_ptr_nonnull(strstr(head,
	    "Message-ID: <metodist.1.x@lists.example.org>\n"));
	om = message_parse(out, len);
	ck_assert_str_eq(om->message_id, "metodist.1.x@lists.example.org");
	message_free(om);
	free(head);
	free(out);
	free(raw);
	config_free(cfg);
}
END_TEST

START_TEST(test_listmsg_urls)
{
	struct config		*cfg = load_shipped();
	struct list_config	 l = *config_list(cfg, "math");
	char			*raw, *out, *head;
	const char		*body;
	size_t			 len, blen;

	l.archive_url = "https://archive.example.org/math";
	l.unsubscribe_url = "https://lists.example.org/u/abc";
	raw = listmsg_raw("\n", "Subject: Plan", 1);
	out = listmsg_make(cfg, &l, raw, 0, NULL, &len);
	split_msg(out, len, &head, &body, &blen);
	ck_assert_ptr_nonnull(strstr(head, "List-Unsubscribe: "
	    "<mailto:math+unsubscribe@lists.example.org>, "
	    "<https://lists.example.org/u/abc>\n"));
	ck_assert_ptr_nonnull(strstr(head,
	    "List-Unsubscribe-Post: List-Unsubscribe=One-Click\n"));
	ck_assert_ptr_nonnull(strstr(head,
	    "List-Archive: <https://archive.example.org/math>\n"));
	ck_assert_ptr_nonnull(strstr(head,
	    "Archived-At: <https://archive.example.org/math/7>\n"));
	free(head);
	free(out);
	free(raw);
	config_free(cfg);
}
END_TEST

/* ---- templates ---- */

START_TEST(test_template_render)
{
	struct template_var	 vars[] = {
		{ "name", "Иван" },
		{ "list", "math" },
		{ "tricky", "{{name}}" },
	};
	struct template_text	 t;
	const char		*dir = testlib_dir();
	char			*ru, *en, *p;

	ru = xasprintf("%s/ru", dir);
	en = xasprintf("%s/en", dir);
	ck_assert_int_eq(mkdir(ru, 0700), 0);
	ck_assert_int_eq(mkdir(en, 0700), 0);
	p = xasprintf("%s/greet.txt", ru);
	testlib_write_str(p,
	    "Subject: Привет, {{name}}\n\nЗдравствуйте, {{name}}!\n"
	    "Список {{list}}.{{unknown}} {{tricky}} {{ name\n");
	free(p);
	p = xasprintf("%s/greet.txt", en);
	testlib_write_str(p,
	    "Subject: Hello, {{name}}\n\nDear {{name}}, list {{list}}.\n");
	free(p);
	p = xasprintf("%s/only-ru.txt", ru);
	testlib_write_str(p, "Subject: Только по-русски\n\nТекст {{list}}\n");
	free(p);

	ck_assert_int_eq(template_render(dir, "ru", "greet", vars,
	    NELEM(vars), &t), 0);
	ck_assert_str_eq(t.subject, "Привет, Иван");
	/* unknown name -> empty; a value is not expanded again */
	ck_assert_str_eq(t.body, "Здравствуйте, Иван!\nСписок math. {{name}} "
	    "{{ name\n");
	template_text_free(&t);

	ck_assert_int_eq(template_render(dir, "en", "greet", vars,
	    NELEM(vars), &t), 0);
	ck_assert_str_eq(t.subject, "Hello, Иван");
	ck_assert_str_eq(t.body, "Dear Иван, list math.\n");
	template_text_free(&t);

	/* the en file is missing: ru is used */
	ck_assert_int_eq(template_exists(dir, "en", "only-ru"), 0);
	ck_assert_int_eq(template_exists(dir, "ru", "only-ru"), 1);
	ck_assert_int_eq(template_render(dir, "en", "only-ru", vars,
	    NELEM(vars), &t), 0);
	ck_assert_str_eq(t.subject, "Только по-русски");
	ck_assert_str_eq(t.body, "Текст math\n");
	template_text_free(&t);

	/* no file at all, or a name that leaves the directory */
	ck_assert_int_eq(template_render(dir, "en", "nosuch", vars,
	    NELEM(vars), &t), -1);
	ck_assert_int_eq(template_render(dir, "ru", "../ru/greet", vars,
	    NELEM(vars), &t), -1);
	free(ru);
	free(en);
}
END_TEST

START_TEST(test_template_bad_file)
{
	struct template_text	 t;
	const char		*dir = testlib_dir();
	char			*p;

	p = xasprintf("%s/ru", dir);
	ck_assert_int_eq(mkdir(p, 0700), 0);
	free(p);
	p = xasprintf("%s/ru/bad.txt", dir);
	testlib_write_str(p, "No subject line here\n\nbody\n");
	free(p);
	ck_assert_int_eq(template_render(dir, "ru", "bad", NULL, 0, &t), -1);
}
END_TEST

/* Every shipped template renders in both languages. */
/* Every template of one language exists in the other and renders. */
static void
template_check_dir(const char *dir, const char *lang, const char *other)
{
	struct template_text	 t;
	struct dirent		*de;
	char			*path, name[128];
	DIR			*d;
	size_t			 len, n = 0;

	path = xasprintf("%s/%s", dir, lang);
	ck_assert_msg((d = opendir(path)) != NULL, "%s: %s", path,
	    strerror(errno));
	while ((de = readdir(d)) != NULL) {
		len = strlen(de->d_name);
		if (len <= 4 || strcmp(de->d_name + len - 4, ".txt") != 0)
			continue;
		ck_assert(len - 4 < sizeof name);
		memcpy(name, de->d_name, len - 4);
		name[len - 4] = '\0';
		ck_assert_msg(template_exists(dir, other, name),
		    "%s/%s.txt has no %s counterpart", lang, name, other);
		ck_assert_msg(template_render(dir, lang, name, NULL, 0,
		    &t) == 0, "%s/%s does not render", lang, name);
		ck_assert_msg(*t.subject != '\0' && *t.body != '\0',
		    "%s/%s empty", lang, name);
		template_text_free(&t);
		n++;
	}
	closedir(d);
	free(path);
	ck_assert_msg(n >= 8, "only %zu templates in %s", n, lang);
}

START_TEST(test_template_shipped)
{
	char	*dir;

	dir = xasprintf("%s/templates", testlib_top_srcdir());
	template_check_dir(dir, "ru", "en");
	template_check_dir(dir, "en", "ru");
	free(dir);
}
END_TEST

struct decision_case {
	const char		*text;
	const char		*subject;
	enum moderate_decision	 want;
	const char		*reason;	/* for a rejection */
};

static const struct decision_case decision_cases[] = {
	{ "Одобрить\n\n> Пост ожидает решения\n", "Re: held", MODERATE_APPROVE,
	    NULL },
	{ "ОДОБРЕНО!\n", "", MODERATE_APPROVE, NULL },
	{ "да\n", "", MODERATE_APPROVE, NULL },
	{ "Ok, thanks\n", "", MODERATE_APPROVE, NULL },
	{ "On Mon, 1 Jun 2026, list wrote:\n> held post\n\napprove\n", "",
	    MODERATE_APPROVE, NULL },
	{ "Отклонить: не по теме\n> цитата\n", "", MODERATE_REJECT,
	    "не по теме" },
	{ "Reject - spam\r\nmore\r\n> q\r\n", "", MODERATE_REJECT,
	    "spam\nmore" },
	{ "отклонено\n", "", MODERATE_REJECT, "" },
	{ "", "Re: Отклонить: реклама", MODERATE_REJECT, "реклама" },
	{ "Отклонить\nне по теме объединения\n-- \nИ. Петрова\n", "",
	    MODERATE_REJECT, "не по теме объединения" },
	{ "УДАЛИТЬ\n", "", MODERATE_DISCARD, NULL },
	{ "", "Re: удалить", MODERATE_DISCARD, NULL },
	{ "oko\n", "", MODERATE_NONE, NULL },
	{ "даже не знаю\n", "", MODERATE_NONE, NULL },
	{ "Добрый день, одобрить\n", "", MODERATE_NONE, NULL },
	{ "-----Original Message-----\napprove\n", "", MODERATE_NONE, NULL },
	{ "-- \nодобрить\n", "", MODERATE_NONE, NULL },
	/* the shapes mail/replyscan knows for every reader of replies */
	{ "Иван Петров написал(а):\n> Пост ожидает решения\n\nодобрить\n",
	    "Re: held", MODERATE_APPROVE, NULL },
	{ "Отклонить: реклама\r\n\r\n________________________________\r\n"
	    "От: Методист <math@lists.example.org>\r\n", "",
	    MODERATE_REJECT, "реклама" },
	{ "отклонить: повтор\nС уважением, Иван\n\n"
	    "-------- Пересылаемое сообщение --------\n", "",
	    MODERATE_REJECT, "повтор\nС уважением, Иван" },
	{ "| Пост ожидает решения\nудалить\n", "", MODERATE_DISCARD, NULL },
};

START_TEST(test_moderate_decision)
{
	const struct decision_case	*c = &decision_cases[_i];
	enum moderate_decision		 got;
	char				*reason = NULL;

	got = moderate_decision_parse(c->text, c->subject, &reason);
	ck_assert_msg(got == c->want, "case %d: decision %d, want %d", _i,
	    got, c->want);
	if (c->want == MODERATE_REJECT) {
		ck_assert_ptr_nonnull(reason);
		ck_assert_msg(strcmp(reason, c->reason) == 0,
		    "case %d: reason '%s', want '%s'", _i, reason, c->reason);
	}
	free(reason);
}
END_TEST

/* ---- integration: spool -> process -> queue -> maildir ---- */

/* A copy of the shipped conf in the test directory, with DMARC lookups off. */
static char *
copy_conf(void)
{
	char		 top[PATH_MAX], line[8192];
	char		*src, *dst, *confdir, *listsdir, *p, *q, *data;
	size_t		 len;
	FILE		*in, *out;
	DIR		*d;
	struct dirent	*de;

	ck_assert_ptr_nonnull(realpath(testlib_top_srcdir(), top));
	confdir = xasprintf("%s/conf", testlib_dir());
	listsdir = xasprintf("%s/lists.d", confdir);
	ck_assert_int_eq(atomicfile_mkdirs(listsdir, 0700), 0);

	src = xasprintf("%s/conf/metodist.conf", top);
	dst = xasprintf("%s/metodist.conf", confdir);
	in = fopen(src, "r");
	ck_assert_ptr_nonnull(in);
	out = fopen(dst, "w");
	ck_assert_ptr_nonnull(out);
	while (fgets(line, sizeof line, in) != NULL) {
		if (strncmp(line, "mode =", 6) == 0)
			fputs("mode = never\n", out);
		else if (strncmp(line, "templates =", 11) == 0)
			fprintf(out, "templates = %s/templates\n", top);
		else
			fputs(line, out);
	}
	fclose(in);
	ck_assert_int_eq(fclose(out), 0);
	free(src);

	src = xasprintf("%s/conf/lists.d", top);
	d = opendir(src);
	ck_assert_ptr_nonnull(d);
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		p = xasprintf("%s/%s", src, de->d_name);
		q = xasprintf("%s/%s", listsdir, de->d_name);
		data = testlib_read_file(p, &len);
		testlib_write_file(q, data, len);
		free(data);
		free(p);
		free(q);
	}
	closedir(d);
	free(src);
	free(listsdir);
	free(confdir);
	return dst;
}

struct names {
	char	**v;
	size_t	  n;
};

static void
names_free(struct names *ns)
{
	size_t	i;

	for (i = 0; i < ns->n; i++)
		free(ns->v[i]);
	free(ns->v);
	ns->v = NULL;
	ns->n = 0;
}

static void
list_dir(const char *dir, struct names *ns)
{
	DIR		*d = opendir(dir);
	struct dirent	*de;

	ck_assert_msg(d != NULL, "opendir %s: %s", dir, strerror(errno));
	ns->v = NULL;
	ns->n = 0;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		ns->v = xreallocarray(ns->v, ns->n + 1, sizeof *ns->v);
		ns->v[ns->n++] = xstrdup(de->d_name);
	}
	closedir(d);
}

static int
names_has(const struct names *ns, const char *name)
{
	size_t	i;

	for (i = 0; i < ns->n; i++)
		if (strcmp(ns->v[i], name) == 0)
			return 1;
	return 0;
}

/* The files in outbox/new that were not in before; returns their count. */
static size_t
new_files(const struct site *s, const struct names *before,
    struct names *added)
{
	struct names	 now;
	char		*dir = xasprintf("%s/new", s->cfg->outbox_dir);
	size_t		 i;

	list_dir(dir, &now);
	added->v = NULL;
	added->n = 0;
	for (i = 0; i < now.n; i++)
		if (!names_has(before, now.v[i])) {
			added->v = xreallocarray(added->v, added->n + 1,
			    sizeof *added->v);
			added->v[added->n++] = xasprintf("%s/%s", dir,
			    now.v[i]);
		}
	names_free(&now);
	free(dir);
	return added->n;
}

static void
outbox_snapshot(const struct site *s, struct names *ns)
{
	char	*dir = xasprintf("%s/new", s->cfg->outbox_dir);

	list_dir(dir, ns);
	free(dir);
}

/* The value of the first field called name in the file's header. */
static char *
file_field(const char *path, const char *name)
{
	char		*data = testlib_read_file(path, NULL), *v = NULL;
	const char	*p = data, *nl;
	size_t		 n = strlen(name);

	while (*p != '\0' && *p != '\n') {
		nl = strchr(p, '\n');
		if (strncasecmp(p, name, n) == 0 && p[n] == ':') {
			p += n + 1;
			p += strspn(p, " \t");
			v = xstrndup(p, nl ? (size_t)(nl - p) : strlen(p));
			break;
		}
		if (nl == NULL)
			break;
		p = nl + 1;
	}
	free(data);
	return v;
}

/*
 * Spool msg for the list math from sender, process it and run the queue,
 * which must send nsent messages; the files that adds to outbox/new go to
 * added.
 */
static void
deliver(struct site *s, const char *sender, const char *msg, int nsent,
    struct names *added)
{
	struct names	 before;
	char		 id[SPOOL_ID_MAX];

	outbox_snapshot(s, &before);
	ck_assert_int_eq(spool_enter(s->cfg->spool_dir,
	    "math@lists.example.org", sender, msg, strlen(msg), id), 0);
	ck_assert_int_eq(process_spool(s), 1);
	ck_assert_int_eq(outq_run(s, 100), nsent);
	ck_assert_uint_eq(new_files(s, &before, added), (size_t)nsent);
	names_free(&before);
}

static const char post_msg[] =
    "From: Anna <anna@school.example.org>\n"
    "To: math@lists.example.org\n"
    "Subject: Lesson plans\n"
    "Message-ID: <post-1@school.example.org>\n"
    "Date: Tue, 12 May 2026 10:00:00 +0500\n"
    "\n"
    "Colleagues, here are the plans.\n";

START_TEST(test_integration)
{
	static const char *const members[] = {
		"anna@school.example.org", "boris@school.example.org",
		"vera@gymnasium.example.org",
	};
	struct config	*cfg;
	struct site	 s;
	struct names	 before, added;
	struct errs	 e;
	char		*conf, *v, *spoolnew, *spoolcur, *data;
	int		 transient, seen[3] = { 0, 0, 0 };
	int64_t		 lid;
	size_t		 i, k;
	struct names	 sp;

	conf = copy_conf();
	memset(&e, 0, sizeof e);
	cfg = config_load(conf, errs_cb, &e);
	ck_assert_msg(cfg != NULL, "%d problems, first %s:%d: %s", e.n,
	    e.file[0], e.line[0], e.msg[0]);
	ck_assert_int_eq(cfg->dmarc, DMARC_NEVER);
	ck_assert_ptr_nonnull(strstr(cfg->outbox_dir, testlib_dir()));
	ck_assert_int_eq(site_open(cfg, &s, &transient), 0);
	lid = site_list_id(&s, config_list(cfg, "math"));
	ck_assert_int_gt(lid, 0);
	for (i = 0; i < NELEM(members); i++)
		ck_assert_int_eq(member_add(s.db, lid, members[i], NULL,
		    NULL), 0);

	/* a member's post reaches the three members */
	outbox_snapshot(&s, &before);
	ck_assert_uint_eq(before.n, 0);
	names_free(&before);
	deliver(&s, "anna@school.example.org", post_msg, 3, &added);
	for (i = 0; i < added.n; i++) {
		v = file_field(added.v[i], "Delivered-To");
		ck_assert_ptr_nonnull(v);
		for (k = 0; k < NELEM(members); k++)
			if (strcmp(v, members[k]) == 0)
				seen[k]++;
		free(v);
		v = file_field(added.v[i], "Return-Path");
		ck_assert_msg(strncmp(v, "<math+bounces-", 14) == 0 &&
		    strstr(v, "@lists.example.org>") != NULL,
		    "Return-Path %s", v);
		free(v);
		v = file_field(added.v[i], "List-Id");
		ck_assert_ptr_nonnull(v);
		ck_assert_ptr_nonnull(strstr(v, "<math.lists.example.org>"));
		free(v);
		data = testlib_read_file(added.v[i], NULL);
		ck_assert_ptr_nonnull(strstr(data,
		    "\n\nColleagues, here are the plans.\n"));
		free(data);
	}
	for (k = 0; k < NELEM(members); k++)
		ck_assert_msg(seen[k] == 1, "%s got %d copies", members[k],
		    seen[k]);
	names_free(&added);
	/* the spool is empty again */
	spoolnew = xasprintf("%s/new", cfg->spool_dir);
	spoolcur = xasprintf("%s/cur", cfg->spool_dir);
	list_dir(spoolnew, &sp);
	ck_assert_uint_eq(sp.n, 0);
	names_free(&sp);
	list_dir(spoolcur, &sp);
	ck_assert_uint_eq(sp.n, 0);
	names_free(&sp);
	/* the post is archived and numbered */
	ck_assert_int_eq(db_int(s.db, -1, "SELECT count(*) FROM posts WHERE "
	    "list_id = ?1 AND number = 1 AND message_id = ?2", "it", lid,
	    "post-1@school.example.org"), 1);

	/* over a bound lowered since it was spooled (as a hosted mailbox
	 * spools without the ingress check): set aside whole in bad/,
	 * nothing sent, nothing archived */
	cfg->max_header_fields = 4;
	deliver(&s, "anna@school.example.org",
	    "From: anna@school.example.org\nTo: math@lists.example.org\n"
	    "Subject: Five fields\nMessage-ID: <five@school.example.org>\n"
	    "Date: Tue, 12 May 2026 11:00:00 +0500\n\nFive.\n", 0, &added);
	names_free(&added);
	cfg->max_header_fields = 1000;
	v = xasprintf("%s/bad", cfg->spool_dir);
	list_dir(v, &sp);
	ck_assert_uint_eq(sp.n, 1);
	names_free(&sp);
	free(v);
	ck_assert_int_eq(db_int(s.db, -1, "SELECT count(*) FROM posts WHERE "
	    "message_id = ?1", "t", "five@school.example.org"), 0);

	/* the same Message-ID again: nothing new, and not counted again
	 * against the posts-per-hour limits */
	deliver(&s, "anna@school.example.org", post_msg, 0, &added);
	names_free(&added);
	ck_assert_int_eq(db_int(s.db, -1, "SELECT coalesce(sum(count), 0) "
	    "FROM reply_log WHERE address = ?1", "t",
	    "post:math:anna@school.example.org"), 1);
	ck_assert_int_eq(db_int(s.db, -1, "SELECT coalesce(sum(count), 0) "
	    "FROM reply_log WHERE address = ?1", "t", "list-posts:math"), 1);

	/* a stranger's post: one reply, to the envelope sender */
	deliver(&s, "bounce-17@other.example.com",
	    "From: Stranger <stranger@other.example.com>\n"
	    "To: math@lists.example.org\n"
	    "Subject: Can I post?\n"
	    "Message-ID: <q-1@other.example.com>\n"
	    "\n"
	    "Hello.\n", 1, &added);
	v = file_field(added.v[0], "Delivered-To");
	ck_assert_str_eq(v, "bounce-17@other.example.com");
	free(v);
	v = file_field(added.v[0], "Auto-Submitted");
	ck_assert_ptr_nonnull(v);
	ck_assert_str_eq(v, "auto-replied");
	free(v);
	v = file_field(added.v[0], "Return-Path");
	ck_assert_str_eq(v, "<>");
	free(v);
	v = file_field(added.v[0], "In-Reply-To");
	ck_assert_ptr_nonnull(v);
	ck_assert_str_eq(v, "<q-1@other.example.com>");
	free(v);
	names_free(&added);

	/* a message carrying the list's own List-Id: nothing at all */
	deliver(&s, "anna@school.example.org",
	    "From: Anna <anna@school.example.org>\n"
	    "To: math@lists.example.org\n"
	    "Subject: [Математика] Lesson plans\n"
	    "List-Id: =?UTF-8?B?0JzQng==?= <math.lists.example.org>\n"
	    "Message-ID: <looped-1@school.example.org>\n"
	    "\n"
	    "Colleagues, here are the plans.\n", 0, &added);
	names_free(&added);
	ck_assert_int_eq(db_int(s.db, -1, "SELECT count(*) FROM posts", ""), 1);

	free(spoolnew);
	free(spoolcur);
	site_close(&s);
	config_free(cfg);
	free(conf);
}
END_TEST

static Suite *
core_suite(void)
{
	Suite	*s = suite_create("core");
	TCase	*tc;

	tc = testlib_tcase_tmp(s, "config");
	tcase_add_test(tc, test_config_shipped);
	tcase_add_loop_test(tc, test_config_errors, 0,
	    NELEM(config_error_cases));
	tcase_add_test(tc, test_config_minimal_ok);
	tcase_add_test(tc, test_config_relay_auth_local);
	tcase_add_test(tc, test_config_all_errors);
	tcase_add_test(tc, test_config_missing_file);
	tcase_add_loop_test(tc, test_config_msglimits, 0,
	    NELEM(msglimit_cases));
	tcase_add_test(tc, test_msglimit_verdict);

	tc = testlib_tcase(s, "route");
	tcase_add_loop_test(tc, test_route, 0, NELEM(route_cases));
	tcase_add_test(tc, test_route_long);

	tc = testlib_tcase(s, "policy");
	tcase_add_loop_test(tc, test_policy_decide, 0, 4 * NROLES * 2);
	tcase_add_test(tc, test_policy_special);
	tcase_add_test(tc, test_policy_authenticated);

	tc = testlib_tcase(s, "loop");
	tcase_add_loop_test(tc, test_loop_reason, 0, NELEM(loop_cases));
	tcase_add_test(tc, test_loop_marker);

	tc = testlib_tcase(s, "listmsg");
	tcase_add_loop_test(tc, test_listmsg_build, 0, 2);
	tcase_add_loop_test(tc, test_listmsg_subject, 0, NELEM(subject_cases));
	tcase_add_loop_test(tc, test_listmsg_subject_tag, 0, NELEM(tag_cases));
	tcase_add_test(tc, test_listmsg_rewrite_from);
	tcase_add_test(tc, test_listmsg_message_id);
	tcase_add_test(tc, test_listmsg_urls);

	tc = testlib_tcase_tmp(s, "template");
	tcase_add_test(tc, test_template_render);
	tcase_add_test(tc, test_template_bad_file);
	tcase_add_test(tc, test_template_shipped);

	tc = testlib_tcase(s, "moderation");
	tcase_add_loop_test(tc, test_moderate_decision, 0,
	    (int)NELEM(decision_cases));

	tc = testlib_tcase_tmp(s, "integration");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_integration);
	return s;
}

int
main(void)
{
	return testlib_run(core_suite());
}
