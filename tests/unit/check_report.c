/*
 * check_report: the monthly indicator report against a generated region
 * with known answers.
 *
 * The region: six municipalities with 3,500 teachers in 60 schools
 * (3,600 registry rows: 100 teachers have a second address, written
 * with other case and spacing of their name and school), of whom a
 * known number per municipality are members of lists (one of them only
 * by the second address), members who joined after the month, members
 * from outside the registry, an address whose local part differs only
 * in case, a month of posts and replies by coordinators and members
 * (with posts before and after the month), and submissions in every
 * state and level.  Each figure of October 2026 is asserted; then that
 * the kept report renders the same after the data changed, the trend
 * against the previous month, a list's own report, the CSV and HTML
 * forms, and the monthly mail.
 *
 * With REPORT_OUT_DIR set, the October report is also written there as
 * report.html and report.csv (for tests/e2e/t-report.sh).
 */
#include "config.h"

#include <sys/stat.h>

#include <check.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/config.h"
#include "core/report.h"
#include "core/report-mail.h"
#include "core/site.h"
#include "render/report.h"
#include "store/db.h"
#include "store/list.h"
#include "store/member.h"
#include "store/post.h"
#include "store/report.h"
#include "store/teacher.h"
#include "testlib.h"
#include "util/xmalloc.h"

#define NMUNI	6

static const char *const muni_name[NMUNI] = {
	"Асбест", "Богданович", "Екатеринбург", "Ирбит", "Камышлов", "Тавда"
};
static const int muni_teachers[NMUNI] = { 1200, 800, 600, 400, 300, 200 };
static const int muni_included[NMUNI] = { 600, 160, 300, 100, 74, 0 };

static struct config	*cfg;
static struct site	 site;

static time_t
at(int y, int mon, int d, int h)
{
	struct tm	tm;

	memset(&tm, 0, sizeof tm);
	tm.tm_year = y - 1900;
	tm.tm_mon = mon - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_isdst = -1;
	return mktime(&tm);
}

static void
config_error(void *arg, const char *file, int line, const char *msg)
{
	fprintf(stderr, "%s:%d: %s\n", file, line, msg);
}

/* A file of the source tree by its absolute path (the configuration
 * takes relative paths as relative to itself). */
static char *
abs_srcpath(const char *rel)
{
	char	*p = testlib_srcpath(rel), *abs = realpath(p, NULL);

	ck_assert_ptr_nonnull(abs);
	free(p);
	return abs;
}

static void
site_setup_in(const char *dir, const char *local_part_case)
{
	char	*conf, *text, *lists, *templates;
	int	 transient;

	lists = abs_srcpath("conf/lists.d");
	templates = abs_srcpath("templates");
	text = xasprintf("[site]\ndomain = lists.example.org\n"
	    "local_part_case = %s\n[paths]\nvar = %s/var\nlists = %s\n"
	    "templates = %s\n[report]\nadministrators = admin@imc.example.org"
	    "\n", local_part_case, dir, lists, templates);
	conf = xasprintf("%s/metodist.conf", dir);
	testlib_write_str(conf, text);
	cfg = config_load(conf, config_error, NULL);
	ck_assert_ptr_nonnull(cfg);
	ck_assert_int_eq(site_open(cfg, &site, &transient), 0);
	free(conf);
	free(text);
	free(lists);
	free(templates);
}

static void
site_setup_case(const char *local_part_case)
{
	site_setup_in(testlib_dir(), local_part_case);
}

/* ---- the generated region ---- */

static char *
teacher_email(int m, int i)
{
	if (m == 5 && i == 0)
		return xstrdup("Upper.Case@school1.m5.example.org");
	return xasprintf("t%d.%d@school%d.m%d.example.org", m, i, i % 10 + 1,
	    m);
}

static void
add_teacher(const char *email, const char *name, const char *school,
    const char *muni)
{
	struct teacher	t = { (char *)email, (char *)name, (char *)school,
			    (char *)muni, (char *)"Математика", 0, 0 };

	ck_assert_int_ge(teacher_upsert(site.db, &t, time(NULL)), 0);
}

static void
seed_registry(void)
{
	char	*email, *name, *school;
	int	 m, i;

	for (m = 0; m < NMUNI; m++) {
		for (i = 0; i < muni_teachers[m]; i++) {
			email = teacher_email(m, i);
			name = xasprintf("Педагог %d-%04d", m, i);
			school = xasprintf("Школа № %d", i % 10 + 1);
			add_teacher(email, name, school, muni_name[m]);
			free(email);
			free(name);
			free(school);
			if (m != 0 || i >= 100)
				continue;
			/* The same teacher's second address. */
			email = xasprintf("t0.%d.home@mail.example.net", i);
			name = xasprintf("  ПЕДАГОГ   0-%04d ", i);
			school = xasprintf("школа  №  %d", i % 10 + 1);
			add_teacher(email, name, school, " асбест ");
			free(email);
			free(name);
			free(school);
		}
	}
}

static int64_t
lid(const char *name)
{
	const struct list_config	*l = config_list(cfg, name);

	ck_assert_ptr_nonnull(l);
	return site_list_id(&site, l);
}

static void
join(const char *list, const char *addr, time_t when)
{
	ck_assert_int_eq(member_add(site.db, lid(list), addr, NULL, NULL), 0);
	ck_assert_int_eq(db_exec(site.db, "UPDATE members SET created = ?1 "
	    "WHERE list_id = ?2 AND address = ?3", "iit", (int64_t)when,
	    lid(list), addr), 0);
}

static void
seed_members(void)
{
	time_t	 sep = at(2026, 9, 1, 12), nov = at(2026, 11, 5, 12);
	char	*addr;
	int	 m, i;

	for (m = 0; m < NMUNI; m++) {
		for (i = 0; i < muni_included[m]; i++) {
			addr = m == 0 && i < 50 ?
			    xasprintf("t0.%d.home@mail.example.net", i) :
			    teacher_email(m, i);
			join(i % 2 == 0 ? "math" : "russian", addr, sep);
			if (i % 5 == 0)
				join("history", addr, sep);
			free(addr);
		}
	}
	for (i = 74; i < 94; i++) {	/* joined after October */
		addr = teacher_email(4, i);
		join("math", addr, nov);
		free(addr);
	}
	for (i = 0; i < 37; i++) {	/* not in the registry */
		addr = xasprintf("ext%d@outside.example.com", i);
		join("math", addr, sep);
		free(addr);
	}
	join("math", "upper.case@school1.m5.example.org", sep);
}

static int	post_seq;

static void
post(const char *list, const char *author, const char *id,
    const char *parent, time_t when)
{
	struct post_record	p;
	int64_t			pid;

	memset(&p, 0, sizeof p);
	p.list_id = lid(list);
	p.number = list_next_post_number(site.db, p.list_id);
	p.message_id = id;
	p.subject = "Тема";
	p.author = author;
	p.in_reply_to = parent;
	p.path = "/dev/null";
	p.text = "текст";
	ck_assert_int_gt(pid = post_insert(site.db, &p), 0);
	ck_assert_int_eq(db_exec(site.db, "UPDATE posts SET received = ?1 "
	    "WHERE id = ?2", "ii", (int64_t)when, pid), 0);
	post_seq++;
}

static void
seed_posts(void)
{
	const char	*mc = "math-coordinator@imc.example.org";
	const char	*rc = "russian-coordinator@imc.example.org";
	const char	*A = "a@auth.example.com";
	char		 id[64], parent[64];
	int		 i;

	for (i = 1; i <= 4; i++) {
		snprintf(id, sizeof id, "c%d@t", i);
		post("math", mc, id, NULL, at(2026, 10, 1 + i, 10));
	}
	for (i = 1; i <= 10; i++) {	/* 5 replies to the coordinator */
		snprintf(id, sizeof id, "a%d@t", i);
		snprintf(parent, sizeof parent, "c%d@t", i == 5 ? 1 : i);
		post("math", A, id, i <= 5 ? parent : NULL,
		    at(2026, 10, 5 + i, 11));
	}
	for (i = 1; i <= 4; i++) {	/* member to member */
		snprintf(id, sizeof id, "b%d@t", i);
		snprintf(parent, sizeof parent, "a%d@t", 5 + i);
		post("math", "b@auth.example.com", id, parent,
		    at(2026, 10, 20 + i, 9));
	}
	post("math", "c@auth.example.com", "cc1@t", NULL, at(2026, 10, 25, 9));
	post("math", "c@auth.example.com", "cc2@t", "cc1@t",
	    at(2026, 10, 25, 10));
	for (i = 0; i < 10; i++) {
		snprintf(id, sizeof id, "d%d@t", i);
		snprintf(parent, sizeof parent, "d%d@auth.example.com", i);
		post("math", parent, id, NULL, at(2026, 10, 26, 8 + i));
	}
	for (i = 1; i <= 5; i++) {
		snprintf(id, sizeof id, "n%d@t", i);
		post("russian", "n@auth.example.com", id, NULL,
		    at(2026, 10, 10 + i, 15));
	}
	post("russian", rc, "rc1@t", "n1@t", at(2026, 10, 30, 23));
	/* Other months. */
	post("math", A, "a-aug@t", NULL, at(2026, 8, 10, 10));
	post("math", A, "a-sep@t", NULL, at(2026, 9, 10, 10));
	post("russian", "n@auth.example.com", "n-may@t", NULL,
	    at(2026, 5, 10, 10));
	post("russian", "n@auth.example.com", "n-jun@t", NULL,
	    at(2026, 6, 10, 10));
	post("history", "x@auth.example.com", "x-sep@t", NULL,
	    at(2026, 9, 20, 10));
	post("math", "e@auth.example.com", "e-nov@t", NULL,
	    at(2026, 11, 3, 10));
	/* The first minute of November is not October. */
	post("math", "e@auth.example.com", "e-nov0@t", NULL,
	    at(2026, 11, 1, 0));
}

static void
submission(const char *list, int seq, const char *author, const char *state,
    const char *level, time_t created)
{
	char	code[32];

	snprintf(code, sizeof code, "М-2026-%04d", seq);
	ck_assert_int_eq(db_exec(site.db, "INSERT INTO submissions (list_id, "
	    "year, seq, code, title, description, author, state, level, "
	    "created, updated) VALUES (?1, 2026, ?2, ?3, 'Разработка', '', "
	    "?4, ?5, ?6, ?7, ?7)", "iitttti", lid(list), (int64_t)seq, code,
	    author, state, level, (int64_t)created), 0);
}

static void
seed_submissions(void)
{
	time_t	sep = at(2026, 9, 15, 12);

	submission("math", 1, "t0.1@school2.m0.example.org", "approved",
	    "municipal", sep);
	submission("math", 2, "t0.1.home@mail.example.net", "approved",
	    "regional", sep);
	submission("math", 3, "t2.3@school4.m2.example.org", "approved",
	    "portal", sep);
	submission("math", 4, "ext1@outside.example.com", "approved",
	    "municipal", sep);
	submission("math", 5, "t1.5@school6.m1.example.org", "review",
	    "municipal", at(2026, 10, 10, 12));
	submission("math", 6, "t1.7@school8.m1.example.org", "rejected",
	    "municipal", sep);
	submission("russian", 7, "t3.9@school10.m3.example.org", "revise",
	    "municipal", at(2026, 10, 12, 12));
	submission("math", 8, "t2.3@school4.m2.example.org", "review",
	    "municipal", at(2026, 11, 3, 12));
}

static void
seed(void)
{
	ck_assert_int_eq(db_begin(site.db), 0);
	seed_registry();
	seed_members();
	seed_posts();
	seed_submissions();
	ck_assert_int_eq(db_exec(site.db, "UPDATE lists SET created = ?1", "i",
	    (int64_t)at(2026, 4, 1, 0)), 0);
	ck_assert_int_eq(db_commit(site.db), 0);
}

/*
 * The region is generated once, in the parent process, into a database
 * that each test starts from a copy of.
 */
static char	seed_dir[256];
static time_t	test_start;

static void
region_seed(void)
{
	const char	*tmp = getenv("TMPDIR");
	time_t		 t0 = time(NULL);

	testlib_base_setup();
	snprintf(seed_dir, sizeof seed_dir, "%s/check_report_seed.XXXXXX",
	    tmp != NULL && *tmp != '\0' ? tmp : "/tmp");
	if (mkdtemp(seed_dir) == NULL)
		exit(1);
	site_setup_in(seed_dir, "exact");
	seed();
	site_close(&site);
	config_free(cfg);
	if (getenv("REPORT_TIMING"))
		fprintf(stderr, "seed: %lld s\n", (long long)(time(NULL) - t0));
}

static void
region_unseed(void)
{
	char	*cmd = xasprintf("rm -rf '%s'", seed_dir);

	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", seed_dir);
	free(cmd);
	testlib_base_teardown();
}

static void
region_setup(void)
{
	char	*from, *to, *var;
	void	*data;
	size_t	 len;

	test_start = time(NULL);
	testlib_tmp_setup();
	var = xasprintf("%s/var", testlib_dir());
	ck_assert_int_eq(mkdir(var, 0700), 0);
	from = xasprintf("%s/var/metodist.db", seed_dir);
	to = xasprintf("%s/metodist.db", var);
	data = testlib_read_file(from, &len);
	testlib_write_file(to, data, len);
	free(data);
	free(from);
	free(to);
	free(var);
	site_setup_case("exact");
	/* Test data need not survive a power cut. */
	ck_assert_int_eq(db_exec(site.db, "PRAGMA synchronous=OFF", ""), 0);
}

static void
region_teardown(void)
{
	if (getenv("REPORT_TIMING"))
		fprintf(stderr, "test: %lld s\n",
		    (long long)(time(NULL) - test_start));
	site_close(&site);
	config_free(cfg);
	testlib_tmp_teardown();
}

static const struct report_row *
muni(const struct report *r, int m)
{
	const struct report_row	*row = report_find(&r->munis, muni_name[m]);

	ck_assert_msg(row != NULL, "no municipality %s", muni_name[m]);
	return row;
}

static void
october(struct report *r, const char *scope)
{
	ck_assert_int_eq(report_compute(&site, "2026-10", scope,
	    at(2026, 11, 10, 12), r), 0);
}

/* ---- figures ---- */

START_TEST(t_participation)
{
	struct report		 r;
	const struct report_row	*s;
	int			 m;

	october(&r, NULL);
	ck_assert_int_eq(r.total[RT_ADDRESSES], 3600);
	ck_assert_int_eq(r.total[RT_TEACHERS], 3500);
	ck_assert_int_eq(r.total[RT_INCLUDED], 1234);
	ck_assert_int_eq(r.total[RT_MEMBERS], 1234 + 37 + 1);
	ck_assert_int_eq(r.total[RT_MEMBERS_MATCHED], 1234);
	ck_assert_int_eq(r.munis.n, NMUNI);
	for (m = 0; m < NMUNI; m++) {
		ck_assert_int_eq(muni(&r, m)->v[RM_TEACHERS], muni_teachers[m]);
		ck_assert_int_eq(muni(&r, m)->v[RM_INCLUDED], muni_included[m]);
	}
	/* 50%, 20%, 50%, exactly 25%, 24.7%, 0%. */
	ck_assert(!report_muni_flagged(muni(&r, 0)));
	ck_assert(report_muni_flagged(muni(&r, 1)));
	ck_assert(!report_muni_flagged(muni(&r, 2)));
	ck_assert(!report_muni_flagged(muni(&r, 3)));
	ck_assert(report_muni_flagged(muni(&r, 4)));
	ck_assert(report_muni_flagged(muni(&r, 5)));
	ck_assert_int_eq(report_permille(muni(&r, 4)->v[RM_INCLUDED],
	    muni(&r, 4)->v[RM_TEACHERS]), 247);
	ck_assert_int_eq(report_permille(r.total[RT_INCLUDED],
	    r.total[RT_TEACHERS]), 353);
	ck_assert_int_eq(r.schools.n, NMUNI * 10);
	s = &r.schools.row[0];
	ck_assert_str_eq(s->parent, "Асбест");
	ck_assert_str_eq(s->name, "Школа № 1");
	ck_assert_int_eq(s->v[RSC_TEACHERS], 120);
	ck_assert_int_eq(s->v[RSC_INCLUDED], 60);
	report_free(&r);
}
END_TEST

START_TEST(t_local_part_case)
{
	struct report	r;

	site_close(&site);
	config_free(cfg);
	site_setup_case("ignore");
	october(&r, NULL);
	ck_assert_int_eq(muni(&r, 5)->v[RM_INCLUDED], 1);
	ck_assert_int_eq(r.total[RT_INCLUDED], 1235);
	ck_assert_int_eq(r.local_ci, 1);
	report_free(&r);
}
END_TEST

START_TEST(t_associations)
{
	struct report		 r;
	const struct report_row	*l;

	october(&r, NULL);
	ck_assert_int_eq(r.total[RT_LISTS], (int64_t)cfg->nlists);
	ck_assert_int_eq(r.total[RT_LISTS_ACTIVE], 2);
	l = report_find(&r.lists, "math");
	ck_assert_ptr_nonnull(l);
	ck_assert_int_eq(l->v[RLI_MEMBERS], 617 + 37 + 1);
	ck_assert_int_eq(l->v[RLI_TEACHERS], 617);
	ck_assert_int_eq(l->v[RLI_COORDINATORS], 1);
	ck_assert_int_eq(l->v[RLI_POSTS], 30);
	ck_assert_int_eq(l->v[RLI_ACTIVE], 1);
	ck_assert_str_eq(l->parent, config_list(cfg, "math")->title);
	l = report_find(&r.lists, "russian");
	ck_assert_int_eq(l->v[RLI_MEMBERS], 617);
	ck_assert_int_eq(l->v[RLI_POSTS], 6);
	l = report_find(&r.lists, "history");
	ck_assert_int_eq(l->v[RLI_MEMBERS], 247);
	ck_assert_int_eq(l->v[RLI_POSTS], 0);
	ck_assert_int_eq(l->v[RLI_ACTIVE], 0);
	report_free(&r);
}
END_TEST

START_TEST(t_materials)
{
	struct report		 r;
	const struct report_row	*l;

	october(&r, NULL);
	ck_assert_int_eq(r.total[RT_SUB_STATE + RS_REVIEW], 1);
	ck_assert_int_eq(r.total[RT_SUB_STATE + RS_REVISE], 1);
	ck_assert_int_eq(r.total[RT_SUB_STATE + RS_APPROVED], 4);
	ck_assert_int_eq(r.total[RT_SUB_STATE + RS_REJECTED], 1);
	ck_assert_int_eq(r.total[RT_SUB_STATE + RS_WITHDRAWN], 0);
	ck_assert_int_eq(r.total[RT_SUB_LEVEL + RL_MUNICIPAL], 2);
	ck_assert_int_eq(r.total[RT_SUB_LEVEL + RL_REGIONAL], 1);
	ck_assert_int_eq(r.total[RT_SUB_LEVEL + RL_PORTAL], 1);
	ck_assert_int_eq(r.total[RT_APPROVED_TEACHERS], 3);
	ck_assert_int_eq(r.total[RT_SUB_NEW], 2);
	/* Асбест: one teacher, two approved, by both addresses. */
	ck_assert_int_eq(muni(&r, 0)->v[RM_SUBMISSIONS], 2);
	ck_assert_int_eq(muni(&r, 0)->v[RM_APPROVED], 2);
	ck_assert_int_eq(muni(&r, 0)->v[RM_LEVEL + RL_MUNICIPAL], 1);
	ck_assert_int_eq(muni(&r, 0)->v[RM_LEVEL + RL_REGIONAL], 1);
	ck_assert_int_eq(muni(&r, 0)->v[RM_APPROVED_TEACHERS], 1);
	ck_assert_int_eq(muni(&r, 1)->v[RM_SUBMISSIONS], 2);
	ck_assert_int_eq(muni(&r, 1)->v[RM_APPROVED], 0);
	ck_assert_int_eq(muni(&r, 2)->v[RM_LEVEL + RL_PORTAL], 1);
	ck_assert_int_eq(muni(&r, 3)->v[RM_SUBMISSIONS], 1);
	ck_assert_int_eq(muni(&r, 5)->v[RM_SUBMISSIONS], 0);
	l = report_find(&r.lists, "math");
	ck_assert_int_eq(l->v[RLI_STATE + RS_APPROVED], 4);
	ck_assert_int_eq(l->v[RLI_STATE + RS_REVIEW], 1);
	ck_assert_int_eq(l->v[RLI_STATE + RS_REJECTED], 1);
	ck_assert_int_eq(l->v[RLI_LEVEL + RL_MUNICIPAL], 2);
	l = report_find(&r.lists, "russian");
	ck_assert_int_eq(l->v[RLI_STATE + RS_REVISE], 1);
	report_free(&r);
}
END_TEST

START_TEST(t_health)
{
	struct report	r;

	october(&r, NULL);
	ck_assert_int_eq(r.total[RT_POSTS], 36);
	ck_assert_int_eq(r.total[RT_REPLIES], 11);
	ck_assert_int_eq(r.total[RT_POSTS_NC], 31);
	ck_assert_int_eq(r.total[RT_REPLIES_NC], 10);
	ck_assert_int_eq(r.total[RT_REPLIES_MM], 4);
	ck_assert_int_eq(r.total[RT_POSTERS], 16);
	ck_assert_int_eq(r.total[RT_TOP_POSTERS], 2);
	ck_assert_int_eq(r.total[RT_TOP_POSTS], 15);
	ck_assert_int_eq(report_permille(r.total[RT_TOP_POSTS],
	    r.total[RT_POSTS]), 417);
	ck_assert_int_eq(r.total[RT_LONGTERM], 2);
	report_free(&r);
}
END_TEST

START_TEST(t_list_scope)
{
	struct report	r;

	october(&r, "math");
	ck_assert_str_eq(r.scope, "math");
	ck_assert_int_eq(r.lists.n, 1);
	ck_assert_int_eq(r.total[RT_INCLUDED], 617);
	ck_assert_int_eq(r.total[RT_TEACHERS], 3500);
	ck_assert_int_eq(muni(&r, 0)->v[RM_INCLUDED], 300);
	ck_assert_int_eq(r.total[RT_POSTS], 30);
	ck_assert_int_eq(r.total[RT_REPLIES], 10);
	ck_assert_int_eq(r.total[RT_POSTERS], 14);
	ck_assert_int_eq(r.total[RT_LONGTERM], 1);
	ck_assert_int_eq(r.total[RT_SUB_STATE + RS_REVISE], 0);
	ck_assert_int_eq(r.total[RT_SUB_STATE + RS_APPROVED], 4);
	report_free(&r);
}
END_TEST

static void
write_out(const char *name, const char *data)
{
	const char	*dir = getenv("REPORT_OUT_DIR");
	char		*path;

	if (dir == NULL || *dir == '\0')
		return;
	path = xasprintf("%s/%s", dir, name);
	testlib_write_str(path, data);
	free(path);
}

/* ---- kept reports ---- */

START_TEST(t_kept_is_exact)
{
	struct report	 r, again, fresh;
	char		*html1, *html2, *csv1, *csv2, *text;

	ck_assert_int_eq(report_keep(&site, "2026-10", at(2026, 11, 1, 0) +
	    60), 0);
	ck_assert_int_eq(report_keep(&site, "2026-10", at(2026, 11, 2, 0)), 1);
	ck_assert_int_eq(db_int(site.db, -1, "SELECT count(*) FROM "
	    "report_snapshots WHERE month = '2026-10'", ""),
	    (int64_t)cfg->nlists + 1);
	ck_assert_int_eq(report_load(&site, "2026-10", "", &r), 0);
	ck_assert(r.kept);
	ck_assert_int_eq(r.total[RT_INCLUDED], 1234);
	ck_assert_int_eq(muni(&r, 4)->v[RM_INCLUDED], 74);
	text = report_serialize(&r);
	html1 = report_html(&r, "ИМЦ");
	csv1 = report_csv(&r);
	/* The region changes after the month was kept. */
	join("math", "t4.200@school1.m4.example.org", at(2026, 10, 20, 0));
	post("math", "late@auth.example.com", "late@t", NULL,
	    at(2026, 10, 28, 0));
	ck_assert_int_eq(db_exec(site.db, "DELETE FROM members WHERE "
	    "address LIKE 't1.%'", ""), 0);
	report_free(&r);
	ck_assert_int_eq(report_get(&site, "2026-10", "", time(NULL), &again),
	    0);
	html2 = report_html(&again, "ИМЦ");
	csv2 = report_csv(&again);
	ck_assert_str_eq(html1, html2);
	ck_assert_str_eq(csv1, csv2);
	free(html2);
	html2 = report_serialize(&again);
	ck_assert_str_eq(text, html2);
	/* Computing afresh would give other figures. */
	october(&fresh, NULL);
	ck_assert_int_eq(fresh.total[RT_INCLUDED], 1234 - 160 + 1);
	ck_assert_int_eq(fresh.total[RT_POSTS], 37);
	report_free(&fresh);
	report_free(&again);
	free(text);
	free(html1);
	free(html2);
	free(csv1);
	free(csv2);
}
END_TEST

START_TEST(t_trend)
{
	struct report		 r;
	const struct report	*prev;
	char			*addr, *csv, *html;
	int			 i;

	ck_assert_int_eq(report_keep(&site, "2026-10", at(2026, 11, 1, 1)), 0);
	for (i = 100; i < 160; i++) {	/* Ирбит from 25% to 40% */
		addr = teacher_email(3, i);
		join("math", addr, at(2026, 11, 15, 0));
		free(addr);
	}
	ck_assert_int_eq(report_get(&site, "2026-11", "", at(2026, 12, 1, 3),
	    &r), 0);
	ck_assert(r.kept);
	ck_assert_int_eq(r.nhistory, 1);
	prev = report_previous(&r);
	ck_assert_ptr_nonnull(prev);
	ck_assert_str_eq(prev->month, "2026-10");
	ck_assert_int_eq(report_find(&prev->munis, "Ирбит")->v[RM_INCLUDED],
	    100);
	ck_assert_int_eq(muni(&r, 3)->v[RM_INCLUDED], 160);
	/* November: one post, e@ on the 1st and the 3rd, is the month. */
	ck_assert_int_eq(r.total[RT_POSTS], 2);
	ck_assert_int_eq(r.total[RT_SUB_NEW], 1);
	csv = report_csv(&r);
	html = report_html(&r, "ИМЦ");
	write_out("report-nov.html", html);
	ck_assert_ptr_nonnull(strstr(html, "id=\"trend-share\""));
	ck_assert_ptr_nonnull(strstr(html, "<td class=\"n\">+15,0</td>"));
	free(html);
	ck_assert_ptr_nonnull(strstr(csv, "Ирбит;400;160;40,0;25,0;15,0;нет"));
	ck_assert_ptr_nonnull(strstr(csv, "2026-10;3500;1234;35,3;36;11;16"));
	free(csv);
	report_free(&r);
}
END_TEST

START_TEST(t_provisional)
{
	struct report	r;
	char		month[8];

	report_month_of(time(NULL), month);
	ck_assert_int_eq(report_get(&site, month, "", time(NULL), &r), 0);
	ck_assert(!r.kept);
	ck_assert_int_eq(db_int(site.db, -1, "SELECT count(*) FROM "
	    "report_snapshots", ""), 0);
	report_free(&r);
}
END_TEST

/* ---- forms ---- */

START_TEST(t_forms)
{
	struct report	 r;
	char		*csv, *html, *text;

	ck_assert_int_eq(report_get(&site, "2026-10", "", at(2026, 11, 2, 0),
	    &r), 0);
	csv = report_csv(&r);
	html = report_html(&r, "Информационно-методический центр");
	text = report_text(&r, "ИМЦ");
	write_out("report.csv", csv);
	write_out("report.html", html);
	write_out("report.txt", text);
	ck_assert(memcmp(csv, "\xef\xbb\xbf", 3) == 0);
	ck_assert_ptr_nonnull(strstr(csv, "\r\nКамышлов;300;74;24,7;;;да\r\n"));
	ck_assert_ptr_nonnull(strstr(csv, "\r\nИрбит;400;100;25,0;;;нет\r\n"));
	ck_assert_ptr_nonnull(strstr(csv, "\r\nВсего;3500;1234;35,3\r\n"));
	ck_assert_ptr_nonnull(strstr(html, "id=\"threshold-line\""));
	ck_assert_ptr_nonnull(strstr(html,
	    "class=\"bar flagged\" data-municipality=\"Камышлов\""));
	ck_assert_ptr_nonnull(strstr(html,
	    "class=\"bar\" data-municipality=\"Ирбит\""));
	ck_assert_ptr_null(strstr(html, "<script"));
	ck_assert_ptr_nonnull(strstr(html, "id=\"definitions\""));
	ck_assert_ptr_nonnull(strstr(text, "Камышлов"));
	ck_assert_ptr_nonnull(strstr(text, "! ниже 25%"));
	free(csv);
	free(html);
	free(text);
	report_free(&r);
}
END_TEST

START_TEST(t_csv_formula_and_english)
{
	struct report	 r;
	char		*csv, *html;

	add_teacher("evil@x.example.org", "Злой", "<script>alert(1)</script>",
	    "=HYPERLINK(\"http://x\";\"y\")");
	ck_assert_int_eq(report_compute(&site, "2026-10", "", time(NULL), &r),
	    0);
	free(r.lang);
	r.lang = xstrdup("en");
	csv = report_csv(&r);
	html = report_html(&r, "Centre");
	write_out("evil.csv", csv);
	ck_assert_ptr_nonnull(strstr(csv,
	    "\"'=HYPERLINK(\"\"http://x\"\";\"\"y\"\")\",1,0,0.0,,,yes"));
	ck_assert_ptr_nonnull(strstr(html, "&lt;script&gt;"));
	ck_assert_ptr_null(strstr(html, "<script>"));
	ck_assert_ptr_nonnull(strstr(html, "below 25%"));
	free(csv);
	free(html);
	report_free(&r);
}
END_TEST

START_TEST(t_parse_refuses)
{
	struct report	r;

	ck_assert_int_eq(report_parse("", &r), -1);
	ck_assert_int_eq(report_parse("metodist-report 1\nmonth\t2026-13\n",
	    &r), -1);
	ck_assert_int_eq(report_parse("metodist-report 1\nmonth\t2026-10\n"
	    "bogus\tline\n", &r), -1);
	ck_assert_int_eq(report_parse("metodist-report 1\nmonth\t2026-10\n"
	    "muni\tA\t\t5\t2\n", &r), 0);
	ck_assert_int_eq(r.munis.n, 1);
	ck_assert_int_eq(r.munis.row[0].v[RM_INCLUDED], 2);
	report_free(&r);
}
END_TEST

/* ---- the monthly mail ---- */

START_TEST(t_mail)
{
	char	*path, *msg;
	int	 n;

	/* On October 31 it is September's report that goes. */
	ck_assert_int_eq(report_mail_run(&site, at(2026, 10, 31, 23)),
	    (int)cfg->nlists + 1);
	ck_assert_int_eq(report_mail_run(&site, at(2026, 10, 31, 23) + 60), 0);
	ck_assert_int_eq(db_exec(site.db, "DELETE FROM deliveries", ""), 0);
	n = report_mail_run(&site, at(2026, 11, 1, 0) + 120);
	ck_assert_int_eq(n, (int)cfg->nlists + 1);
	ck_assert_int_eq(report_mail_run(&site, at(2026, 11, 1, 0) + 180), 0);
	ck_assert_int_eq(db_int(site.db, -1, "SELECT count(*) FROM "
	    "report_snapshots WHERE mailed IS NULL", ""), 0);
	ck_assert_int_eq(db_int(site.db, -1, "SELECT count(*) FROM deliveries "
	    "WHERE recipient = 'math-coordinator@imc.example.org'", ""), 1);
	ck_assert_int_eq(db_int(site.db, -1, "SELECT count(*) FROM deliveries "
	    "WHERE recipient = 'admin@imc.example.org'", ""), 1);
	path = NULL;
	{
		sqlite3_stmt	*st = db_stmt(site.db, "SELECT o.path FROM "
				    "outbound o JOIN deliveries d ON "
				    "d.outbound_id = o.id WHERE d.recipient = "
				    "'math-coordinator@imc.example.org'", "");

		ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
		path = db_text(st, 0);
		sqlite3_finalize(st);
	}
	msg = testlib_read_file(path, NULL);
	ck_assert_ptr_nonnull(strstr(msg, "Auto-Submitted: auto-generated"));
	ck_assert_ptr_nonnull(strstr(msg, "filename=\"report-2026-10-math.html\""));
	ck_assert_ptr_nonnull(strstr(msg, "filename=\"report-2026-10-math.csv\""));
	ck_assert_ptr_nonnull(strstr(msg, "Content-Type: text/csv"));
	ck_assert_ptr_nonnull(strstr(msg, "за октябрь 2026"));
	/* The list's own report: teachers on math, by municipality. */
	ck_assert_ptr_nonnull(strstr(msg,
	    "Ниже порога 25%: Богданович, Ирбит, Камышлов, Тавда."));
	free(msg);
	free(path);
}
END_TEST

static Suite *
report_suite(void)
{
	Suite	*s = suite_create("report");
	TCase	*tc;

	tc = tcase_create("region");
	tcase_add_unchecked_fixture(tc, region_seed, region_unseed);
	tcase_add_checked_fixture(tc, region_setup, region_teardown);
	suite_add_tcase(s, tc);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, t_participation);
	tcase_add_test(tc, t_local_part_case);
	tcase_add_test(tc, t_associations);
	tcase_add_test(tc, t_materials);
	tcase_add_test(tc, t_health);
	tcase_add_test(tc, t_list_scope);
	tcase_add_test(tc, t_kept_is_exact);
	tcase_add_test(tc, t_trend);
	tcase_add_test(tc, t_provisional);
	tcase_add_test(tc, t_forms);
	tcase_add_test(tc, t_csv_formula_and_english);
	tcase_add_test(tc, t_mail);
	tc = testlib_tcase(s, "parse");
	tcase_add_test(tc, t_parse_refuses);
	return s;
}

int
main(void)
{
	setenv("TZ", "Asia/Yekaterinburg", 1);
	tzset();
	return testlib_run(report_suite());
}
