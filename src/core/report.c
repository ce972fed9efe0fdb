/*
 * report: see report.h.
 *
 * The computation works in temporary tables of the site's connection
 * (they live in SQLite's temp database, so the main database is only
 * read): report_addr maps each registry address, folded for comparison,
 * to its teacher; report_person holds one row per teacher with their
 * municipality and school and whether they are included; report_member
 * the folded member addresses of the scope; report_coord the
 * coordinators of each list.  Two SQL functions do the folding:
 * report_fold() for names (registry-style) and report_addr() for
 * addresses (the site's local_part_case).
 */
#include <config.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/config.h"
#include "core/report.h"
#include "core/site.h"
#include "mail/charset.h"
#include "store/db.h"
#include "store/report.h"
#include "util/buf.h"
#include "util/log.h"
#include "util/strutil.h"
#include "util/xmalloc.h"

#define REPORT_MAGIC	"metodist-report 1"

const char *const report_state_names[RS_NSTATES] = {
	"review", "revise", "approved", "rejected", "withdrawn"
};
const char *const report_level_names[RL_NLEVELS] = {
	"municipal", "regional", "portal"
};

/* ---- months ---- */

static int
report_month_parse(const char *month, int *y, int *m)
{
	if (strlen(month) != 7 || month[4] != '-' ||
	    sscanf(month, "%4d-%2d", y, m) != 2 || *y < 1970 || *y > 9999 ||
	    *m < 1 || *m > 12)
		return -1;
	return 0;
}

int
report_month_valid(const char *month)
{
	int	y, m;

	return report_month_parse(month, &y, &m) == 0;
}

static time_t
report_month_start(int y, int m)
{
	struct tm	tm;

	memset(&tm, 0, sizeof tm);
	tm.tm_year = y - 1900 + (m - 1) / 12;
	tm.tm_mon = (m - 1) % 12;
	tm.tm_mday = 1;
	tm.tm_isdst = -1;
	return mktime(&tm);
}

int
report_month_bounds(const char *month, time_t *start, time_t *end)
{
	int	y, m;

	if (report_month_parse(month, &y, &m) == -1)
		return -1;
	*start = report_month_start(y, m);
	*end = report_month_start(y, m + 1);
	return 0;
}

void
report_month_of(time_t t, char out[8])
{
	struct tm	tm;
	char		tmp[32];

	localtime_r(&t, &tm);
	snprintf(tmp, sizeof tmp, "%04d-%02d", (tm.tm_year + 1900) % 10000,
	    tm.tm_mon + 1);
	str_lcpy(out, tmp, 8);
}

void
report_month_before(const char *month, char out[8])
{
	char	tmp[32];
	int	y, m;

	if (report_month_parse(month, &y, &m) == -1) {
		str_lcpy(out, month, 8);
		return;
	}
	if (--m == 0) {
		m = 12;
		y--;
	}
	snprintf(tmp, sizeof tmp, "%04d-%02d", y % 10000, m);
	str_lcpy(out, tmp, 8);
}

/* ---- folding, as SQL functions ---- */

/* Lower case, ё as е, runs of blanks one space, trimmed. */
static char *
report_fold_name(const char *s)
{
	struct buf	 b;
	size_t		 n, left = strlen(s);
	uint32_t	 cp;
	int		 blank = 0;

	buf_init(&b);
	buf_adds(&b, "");
	for (; left > 0; s += n, left -= n) {
		if ((n = charset_utf8_char(s, left, &cp)) == 0) {
			cp = 0xfffd;
			n = 1;
		}
		if (cp == ' ' || cp == '\t' || cp == '\r' || cp == '\n' ||
		    cp == 0xa0) {
			blank = 1;
			continue;
		}
		if (blank && b.len > 0)
			buf_addc(&b, ' ');
		blank = 0;
		cp = charset_lower(cp);
		buf_add_utf8(&b, cp == 0x451 ? 0x435 : cp);
	}
	return buf_detach(&b);
}

static void
report_sql_fold(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const unsigned char	*s = sqlite3_value_text(argv[0]);
	char			*f;

	f = report_fold_name(s != NULL ? (const char *)s : "");
	sqlite3_result_text(ctx, f, -1, free);
}

static void
report_sql_addr(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const unsigned char	*s = sqlite3_value_text(argv[0]);
	int			 ci = sqlite3_user_data(ctx) != NULL;

	if (s == NULL) {
		sqlite3_result_null(ctx);
		return;
	}
	if (ci)
		sqlite3_result_text(ctx, charset_fold((const char *)s,
		    strlen((const char *)s)), -1, free);
	else
		sqlite3_result_text(ctx, (const char *)s, -1,
		    SQLITE_TRANSIENT);
}

static int
report_functions(sqlite3 *db, int local_ci)
{
	int	flags = SQLITE_UTF8 | SQLITE_DETERMINISTIC;

	if (sqlite3_create_function(db, "report_fold", 1, flags, NULL,
	    report_sql_fold, NULL, NULL) != SQLITE_OK ||
	    sqlite3_create_function(db, "report_addr", 1, flags,
	    local_ci ? (void *)db : NULL, report_sql_addr, NULL, NULL) !=
	    SQLITE_OK) {
		log_warnx("report: cannot register functions: %s",
		    sqlite3_errmsg(db));
		return -1;
	}
	return 0;
}

/* ---- the temporary tables ---- */

static const char report_drop_sql[] =
	"DROP TABLE IF EXISTS temp.report_addr;"
	"DROP TABLE IF EXISTS temp.report_person;"
	"DROP TABLE IF EXISTS temp.report_member;"
	"DROP TABLE IF EXISTS temp.report_coord;";

static const char report_people_sql[] =
	"CREATE TEMP TABLE report_addr (addr TEXT PRIMARY KEY,"
	"  pkey TEXT NOT NULL);"
	"INSERT OR IGNORE INTO report_addr SELECT report_addr(email),"
	"  report_fold(full_name) || x'1f' || report_fold(coalesce(school,''))"
	"  || x'1f' || report_fold(coalesce(municipality,'')) FROM teachers;"
	"CREATE TEMP TABLE report_person (pkey TEXT PRIMARY KEY,"
	"  muni_key TEXT NOT NULL, muni TEXT NOT NULL,"
	"  school_key TEXT NOT NULL, school TEXT NOT NULL,"
	"  included INTEGER NOT NULL DEFAULT 0);"
	"INSERT INTO report_person (pkey, muni_key, muni, school_key, school)"
	"  SELECT a.pkey, report_fold(coalesce(t.municipality,'')),"
	"  min(trim(coalesce(t.municipality,''))),"
	"  report_fold(coalesce(t.school,'')), min(trim(coalesce(t.school,'')))"
	"  FROM teachers t JOIN report_addr a ON a.addr = report_addr(t.email)"
	"  GROUP BY a.pkey;"
	"CREATE TEMP TABLE report_member (addr TEXT PRIMARY KEY);"
	"CREATE TEMP TABLE report_coord (list_id INTEGER NOT NULL,"
	"  addr TEXT NOT NULL, PRIMARY KEY (list_id, addr));";

/* The registry's teachers and the coordinators: the same for every
 * scope of a month, so made once per computation. */
static int
report_people(struct site *s)
{
	const struct config	*cfg = s->cfg;
	size_t			 i, j;
	int64_t			 id;

	if (sqlite3_exec(s->db, report_drop_sql, NULL, NULL, NULL) !=
	    SQLITE_OK || sqlite3_exec(s->db, report_people_sql, NULL, NULL,
	    NULL) != SQLITE_OK) {
		log_warnx("report: %s", sqlite3_errmsg(s->db));
		return -1;
	}
	for (i = 0; i < cfg->nlists; i++) {
		if ((id = site_list_id(s, &cfg->lists[i])) == -1)
			return -1;
		for (j = 0; j < cfg->lists[i].ncoordinators; j++)
			if (db_exec(s->db, "INSERT OR IGNORE INTO report_coord "
			    "VALUES (?1, report_addr(?2))", "it", id,
			    cfg->lists[i].coordinators[j]) == -1)
				return -1;
	}
	return 0;
}

/* The scope's members who joined before end, and who is included. */
static int
report_members(struct site *s, int64_t lid, time_t end)
{
	if (db_exec(s->db, "DELETE FROM report_member", "") == -1 ||
	    db_exec(s->db, "UPDATE report_person SET included = 0", "") == -1 ||
	    db_exec(s->db, "INSERT OR IGNORE INTO report_member "
	    "SELECT report_addr(address) FROM members WHERE created < ?1 "
	    "AND (?2 = 0 OR list_id = ?2)", "ii", (int64_t)end, lid) == -1 ||
	    db_exec(s->db, "UPDATE report_person SET included = 1 WHERE pkey "
	    "IN (SELECT a.pkey FROM report_addr a JOIN report_member m "
	    "ON m.addr = a.addr)", "") == -1)
		return -1;
	return 0;
}

/* ---- rows ---- */

static char *
report_clean(const char *s)
{
	char	*c = xstrdup(s != NULL ? s : ""), *p;

	for (p = c; *p != '\0'; p++)
		if (*p == '\t' || *p == '\n' || *p == '\r')
			*p = ' ';
	return c;
}

static struct report_row *
report_row_add(struct report_rows *rows, const char *name,
    const char *parent)
{
	struct report_row	*r;

	rows->row = xreallocarray(rows->row, rows->n + 1, sizeof *rows->row);
	r = &rows->row[rows->n++];
	memset(r, 0, sizeof *r);
	r->name = report_clean(name);
	r->parent = report_clean(parent);
	return r;
}

/* Each result row: text columns ntext, then integers into v[0..]. */
static int
report_query_rows(sqlite3_stmt *st, struct report_rows *rows, int ntext,
    size_t nvalues)
{
	struct report_row	*r;
	char			*name, *parent;
	size_t			 i;
	int			 rc;

	if (st == NULL)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		name = db_text(st, 0);
		parent = ntext > 1 ? db_text(st, 1) : xstrdup("");
		r = report_row_add(rows, name, parent);
		for (i = 0; i < nvalues && i < REPORT_MAX_VALUES; i++)
			r->v[i] = sqlite3_column_int64(st, ntext + (int)i);
		free(name);
		free(parent);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* Submissions of the scope made before end, per municipality of the
 * author, joined to the municipality's teachers. */
static const char report_muni_sql[] =
	"SELECT min(p.muni), count(*), sum(p.included),"
	"  coalesce(m.subs, 0), coalesce(m.approved, 0),"
	"  coalesce(m.mun, 0), coalesce(m.reg, 0), coalesce(m.portal, 0),"
	"  coalesce(m.authors, 0)"
	" FROM report_person p LEFT JOIN ("
	"  SELECT q.muni_key AS muni_key, count(*) AS subs,"
	"  sum(s.state = 'approved') AS approved,"
	"  sum(s.state = 'approved' AND s.level = 'municipal') AS mun,"
	"  sum(s.state = 'approved' AND s.level = 'regional') AS reg,"
	"  sum(s.state = 'approved' AND s.level = 'portal') AS portal,"
	"  count(DISTINCT CASE WHEN s.state = 'approved' THEN q.pkey END)"
	"  AS authors"
	"  FROM submissions s JOIN report_addr a ON a.addr = report_addr(s.author)"
	"  JOIN report_person q ON q.pkey = a.pkey"
	"  WHERE s.created < ?1 AND (?2 = 0 OR s.list_id = ?2)"
	"  GROUP BY q.muni_key) m ON m.muni_key = p.muni_key"
	" GROUP BY p.muni_key ORDER BY p.muni_key";

static int
report_participation(struct site *s, struct report *r, int64_t lid,
    time_t end)
{
	sqlite3	*db = s->db;

	r->total[RT_TEACHERS] = db_int(db, -1,
	    "SELECT count(*) FROM report_person", "");
	r->total[RT_INCLUDED] = db_int(db, -1,
	    "SELECT coalesce(sum(included), 0) FROM report_person", "");
	r->total[RT_ADDRESSES] = db_int(db, -1,
	    "SELECT count(*) FROM teachers", "");
	r->total[RT_MEMBERS] = db_int(db, -1,
	    "SELECT count(*) FROM report_member", "");
	r->total[RT_MEMBERS_MATCHED] = db_int(db, -1, "SELECT count(*) FROM "
	    "report_member m JOIN report_addr a ON a.addr = m.addr", "");
	if (report_query_rows(db_stmt(db, report_muni_sql, "ii", (int64_t)end,
	    lid), &r->munis, 1, RM_NVALUES) == -1)
		return -1;
	return report_query_rows(db_stmt(db, "SELECT min(school), min(muni), "
	    "count(*), sum(included) FROM report_person GROUP BY muni_key, "
	    "school_key ORDER BY muni_key, school_key", ""), &r->schools, 2,
	    RSC_NVALUES);
}

/* State and level counts of the scope's submissions into v. */
static int
report_submission_counts(sqlite3 *db, int64_t lid, time_t end, int64_t *st,
    int64_t *lv)
{
	size_t	i;

	for (i = 0; i < RS_NSTATES; i++)
		if ((st[i] = db_int(db, -1, "SELECT count(*) FROM submissions "
		    "WHERE created < ?1 AND (?2 = 0 OR list_id = ?2) AND "
		    "state = ?3", "iit", (int64_t)end, lid,
		    report_state_names[i])) == -1)
			return -1;
	for (i = 0; i < RL_NLEVELS; i++)
		if ((lv[i] = db_int(db, -1, "SELECT count(*) FROM submissions "
		    "WHERE created < ?1 AND (?2 = 0 OR list_id = ?2) AND "
		    "state = 'approved' AND level = ?3", "iit", (int64_t)end,
		    lid, report_level_names[i])) == -1)
			return -1;
	return 0;
}

static int
report_materials(struct site *s, struct report *r, int64_t lid,
    time_t start, time_t end)
{
	sqlite3	*db = s->db;

	if (report_submission_counts(db, lid, end, &r->total[RT_SUB_STATE],
	    &r->total[RT_SUB_LEVEL]) == -1)
		return -1;
	r->total[RT_SUB_NEW] = db_int(db, -1, "SELECT count(*) FROM "
	    "submissions WHERE created >= ?1 AND created < ?2 AND "
	    "(?3 = 0 OR list_id = ?3)", "iii", (int64_t)start, (int64_t)end,
	    lid);
	r->total[RT_APPROVED_TEACHERS] = db_int(db, -1, "SELECT "
	    "count(DISTINCT coalesce(a.pkey, report_addr(s.author))) FROM "
	    "submissions s LEFT JOIN report_addr a ON "
	    "a.addr = report_addr(s.author) WHERE s.state = 'approved' AND "
	    "s.created < ?1 AND (?2 = 0 OR s.list_id = ?2)", "ii",
	    (int64_t)end, lid);
	return r->total[RT_SUB_NEW] < 0 ||
	    r->total[RT_APPROVED_TEACHERS] < 0 ? -1 : 0;
}

static int
report_one_list(struct site *s, struct report *r,
    const struct list_config *lc, time_t start, time_t end)
{
	struct report_row	*row;
	int64_t			 lid = site_list_id(s, lc);

	if (lid == -1)
		return -1;
	row = report_row_add(&r->lists, lc->name, lc->title);
	row->v[RLI_MEMBERS] = db_int(s->db, -1, "SELECT count(*) FROM members "
	    "WHERE list_id = ?1 AND created < ?2", "ii", lid, (int64_t)end);
	row->v[RLI_TEACHERS] = db_int(s->db, -1, "SELECT count(DISTINCT "
	    "a.pkey) FROM members m JOIN report_addr a ON "
	    "a.addr = report_addr(m.address) WHERE m.list_id = ?1 AND "
	    "m.created < ?2", "ii", lid, (int64_t)end);
	row->v[RLI_COORDINATORS] = (int64_t)lc->ncoordinators;
	row->v[RLI_POSTS] = db_int(s->db, -1, "SELECT count(*) FROM posts "
	    "WHERE list_id = ?1 AND received >= ?2 AND received < ?3", "iii",
	    lid, (int64_t)start, (int64_t)end);
	row->v[RLI_ACTIVE] = db_int(s->db, -1, "SELECT count(*) > 0 FROM posts "
	    "WHERE list_id = ?1 AND received >= ?2 AND received < ?3", "iii",
	    lid, (int64_t)end - REPORT_ACTIVE_DAYS * 86400, (int64_t)end);
	if (report_submission_counts(s->db, lid, end, &row->v[RLI_STATE],
	    &row->v[RLI_LEVEL]) == -1)
		return -1;
	return row->v[RLI_MEMBERS] < 0 || row->v[RLI_TEACHERS] < 0 ||
	    row->v[RLI_POSTS] < 0 || row->v[RLI_ACTIVE] < 0 ? -1 : 0;
}

static int
report_associations(struct site *s, struct report *r,
    const struct list_config *only, time_t start, time_t end)
{
	const struct config	*cfg = s->cfg;
	struct report_row	*row;
	size_t			 i;

	for (i = 0; i < cfg->nlists; i++) {
		if (only != NULL && only != &cfg->lists[i])
			continue;
		if (report_one_list(s, r, &cfg->lists[i], start, end) == -1)
			return -1;
		row = &r->lists.row[r->lists.n - 1];
		r->total[RT_LISTS]++;
		r->total[RT_LISTS_ACTIVE] += row->v[RLI_ACTIVE] > 0;
	}
	return 0;
}

/* ---- network health ---- */

#define REPORT_NC(p) \
	"NOT EXISTS (SELECT 1 FROM report_coord c WHERE c.list_id = " p \
	".list_id AND c.addr = report_addr(" p ".author))"
#define REPORT_IS_REPLY(p) \
	"(coalesce(" p ".in_reply_to, '') <> '' OR coalesce(" p ".refs, '') <> '')"
#define REPORT_IN(p) \
	p ".received >= ?1 AND " p ".received < ?2 AND (?3 = 0 OR " p \
	".list_id = ?3)"

static const char report_health_sql[] =
	"SELECT count(*), coalesce(sum(" REPORT_IS_REPLY("p") "), 0),"
	"  coalesce(sum(" REPORT_NC("p") "), 0),"
	"  coalesce(sum(" REPORT_IS_REPLY("p") " AND " REPORT_NC("p") "), 0),"
	"  count(DISTINCT report_addr(p.author))"
	" FROM posts p WHERE " REPORT_IN("p");

static const char report_replies_mm_sql[] =
	"SELECT count(*) FROM posts p JOIN posts q ON q.list_id = p.list_id"
	"  AND q.message_id = p.in_reply_to"
	" WHERE " REPORT_IN("p") " AND " REPORT_NC("p") " AND " REPORT_NC("q")
	"  AND report_addr(q.author) <> report_addr(p.author)";

static int
report_health_counts(sqlite3 *db, struct report *r, int64_t lid,
    time_t start, time_t end)
{
	sqlite3_stmt	*st;
	int		 rc, i;

	st = db_stmt(db, report_health_sql, "iii", (int64_t)start,
	    (int64_t)end, lid);
	if (st == NULL)
		return -1;
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		r->total[RT_POSTS] = sqlite3_column_int64(st, 0);
		r->total[RT_REPLIES] = sqlite3_column_int64(st, 1);
		r->total[RT_POSTS_NC] = sqlite3_column_int64(st, 2);
		r->total[RT_REPLIES_NC] = sqlite3_column_int64(st, 3);
		r->total[RT_POSTERS] = sqlite3_column_int64(st, 4);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW)
		return -1;
	r->total[RT_REPLIES_MM] = db_int(db, -1, report_replies_mm_sql, "iii",
	    (int64_t)start, (int64_t)end, lid);
	i = (int)((r->total[RT_POSTERS] + 9) / 10);
	r->total[RT_TOP_POSTERS] = i;
	r->total[RT_TOP_POSTS] = db_int(db, -1, "SELECT coalesce(sum(n), 0) "
	    "FROM (SELECT count(*) AS n FROM posts p WHERE " REPORT_IN("p")
	    " GROUP BY report_addr(p.author) ORDER BY n DESC LIMIT ?4)",
	    "iiii", (int64_t)start, (int64_t)end, lid, (int64_t)i);
	return r->total[RT_REPLIES_MM] < 0 || r->total[RT_TOP_POSTS] < 0 ?
	    -1 : 0;
}

/* Authors who posted in at least 3 of the 6 months ending with month. */
static int
report_longterm(sqlite3 *db, struct report *r, int64_t lid,
    const char *month)
{
	char	m[REPORT_LONGTERM_MONTHS][8];
	time_t	b[REPORT_LONGTERM_MONTHS + 1], end;
	int	i;

	str_lcpy(m[REPORT_LONGTERM_MONTHS - 1], month, 8);
	for (i = REPORT_LONGTERM_MONTHS - 1; i > 0; i--)
		report_month_before(m[i], m[i - 1]);
	for (i = 0; i < REPORT_LONGTERM_MONTHS; i++)
		if (report_month_bounds(m[i], &b[i], &end) == -1)
			return -1;
	b[REPORT_LONGTERM_MONTHS] = end;
	r->total[RT_LONGTERM] = db_int(db, -1, "SELECT count(*) FROM ("
	    "SELECT report_addr(author) AS a FROM posts WHERE received >= ?1 "
	    "AND received < ?7 AND (?8 = 0 OR list_id = ?8) GROUP BY a "
	    "HAVING count(DISTINCT (received >= ?2) + (received >= ?3) + "
	    "(received >= ?4) + (received >= ?5) + (received >= ?6)) >= ?9)",
	    "iiiiiiiii", (int64_t)b[0], (int64_t)b[1], (int64_t)b[2],
	    (int64_t)b[3], (int64_t)b[4], (int64_t)b[5], (int64_t)b[6], lid,
	    (int64_t)REPORT_LONGTERM_MIN);
	return r->total[RT_LONGTERM] < 0 ? -1 : 0;
}

/* ---- compute ---- */

static int
report_compute_all(struct site *s, struct report *r,
    const struct list_config *only, time_t start, time_t end)
{
	int64_t	lid = 0;

	if (only != NULL && (lid = site_list_id(s, only)) == -1)
		return -1;
	if (report_members(s, lid, end) == -1 ||
	    report_participation(s, r, lid, end) == -1 ||
	    report_associations(s, r, only, start, end) == -1 ||
	    report_materials(s, r, lid, start, end) == -1 ||
	    report_health_counts(s->db, r, lid, start, end) == -1 ||
	    report_longterm(s->db, r, lid, r->month) == -1)
		return -1;
	return 0;
}

/* One scope's figures; the people tables must exist. */
static int
report_compute_in(struct site *s, const char *month, const char *scope,
    time_t now, struct report *r)
{
	const struct list_config	*only = NULL;
	time_t				 start, end;
	size_t				 i;
	int				 rc;

	memset(r, 0, sizeof *r);
	if (report_month_bounds(month, &start, &end) == -1)
		return -1;
	if (scope != NULL && *scope != '\0' &&
	    (only = config_list(s->cfg, scope)) == NULL) {
		log_warnx("report: no list %s", scope);
		return -1;
	}
	str_lcpy(r->month, month, sizeof r->month);
	r->scope = xstrdup(only != NULL ? only->name : "");
	r->lang = xstrdup(only != NULL ? only->language : s->cfg->language);
	r->computed = (int64_t)now;
	r->local_ci = s->cfg->local_part_ci;
	rc = report_compute_all(s, r, only, start, end);
	for (i = 0; rc == 0 && i < RT_NVALUES; i++)
		if (r->total[i] < 0)
			rc = -1;
	if (rc == -1) {
		log_warnx("report: %s %s: database error", month,
		    *r->scope ? r->scope : "site");
		report_free(r);
	}
	return rc;
}

static int
report_begin(struct site *s)
{
	if (report_functions(s->db, s->cfg->local_part_ci) == -1)
		return -1;
	return report_people(s);
}

static void
report_end(struct site *s)
{
	sqlite3_exec(s->db, report_drop_sql, NULL, NULL, NULL);
}

int
report_compute(struct site *s, const char *month, const char *scope,
    time_t now, struct report *r)
{
	int	rc = -1;

	memset(r, 0, sizeof *r);
	if (report_begin(s) == 0)
		rc = report_compute_in(s, month, scope, now, r);
	report_end(s);
	return rc;
}

/* ---- kept text ---- */

static void
report_serialize_rows(struct buf *b, const char *kind,
    const struct report_rows *rows, size_t nvalues)
{
	size_t	i, j;

	for (i = 0; i < rows->n; i++) {
		buf_addf(b, "%s\t%s\t%s", kind, rows->row[i].name,
		    rows->row[i].parent);
		for (j = 0; j < nvalues; j++)
			buf_addf(b, "\t%lld", (long long)rows->row[i].v[j]);
		buf_addc(b, '\n');
	}
}

char *
report_serialize(const struct report *r)
{
	struct buf		b;
	struct report_rows	t;
	struct report_row	row;

	buf_init(&b);
	buf_addf(&b, REPORT_MAGIC "\nmonth\t%s\nscope\t%s\nlang\t%s\n"
	    "computed\t%lld\nlocal_ci\t%d\n", r->month, r->scope, r->lang,
	    (long long)r->computed, r->local_ci);
	memset(&row, 0, sizeof row);
	row.name = row.parent = "";
	memcpy(row.v, r->total, sizeof row.v);
	t.row = &row;
	t.n = 1;
	report_serialize_rows(&b, "total", &t, RT_NVALUES);
	report_serialize_rows(&b, "muni", &r->munis, RM_NVALUES);
	report_serialize_rows(&b, "school", &r->schools, RSC_NVALUES);
	report_serialize_rows(&b, "list", &r->lists, RLI_NVALUES);
	return buf_detach(&b);
}

/* One line split at tabs, in place; the number of fields. */
static size_t
report_split(char *line, char **f, size_t max)
{
	size_t	n = 0;
	char	*p;

	while (n < max && (p = strsep(&line, "\t")) != NULL)
		f[n++] = p;
	return n;
}

/* Counts are whole and bounded, so shares made of them cannot overflow. */
#define REPORT_VALUE_MAX	((int64_t)1000000000000)

static int64_t
report_parse_value(const char *s)
{
	long long	v = strtoll(s, NULL, 10);

	if (v < 0)
		return 0;
	return v > REPORT_VALUE_MAX ? REPORT_VALUE_MAX : (int64_t)v;
}

static void
report_parse_values(char **f, size_t nf, int64_t *v)
{
	size_t	i;

	for (i = 3; i < nf && i - 3 < REPORT_MAX_VALUES; i++)
		v[i - 3] = report_parse_value(f[i]);
}

static int
report_parse_line(struct report *r, char *line)
{
	char		*f[3 + REPORT_MAX_VALUES];
	size_t		 nf = report_split(line, f, 3 + REPORT_MAX_VALUES);
	struct report_rows *rows = NULL;

	if (nf == 2 && strcmp(f[0], "month") == 0)
		str_lcpy(r->month, f[1], sizeof r->month);
	else if (nf == 2 && strcmp(f[0], "scope") == 0)
		(free(r->scope), r->scope = xstrdup(f[1]));
	else if (nf == 2 && strcmp(f[0], "lang") == 0)
		(free(r->lang), r->lang = xstrdup(strcmp(f[1], "en") == 0 ?
		    "en" : "ru"));
	else if (nf == 2 && strcmp(f[0], "computed") == 0)
		r->computed = report_parse_value(f[1]);
	else if (nf == 2 && strcmp(f[0], "local_ci") == 0)
		r->local_ci = atoi(f[1]);
	else if (nf >= 3 && strcmp(f[0], "total") == 0)
		report_parse_values(f, nf, r->total);
	else if (nf >= 3 && strcmp(f[0], "muni") == 0)
		rows = &r->munis;
	else if (nf >= 3 && strcmp(f[0], "school") == 0)
		rows = &r->schools;
	else if (nf >= 3 && strcmp(f[0], "list") == 0)
		rows = &r->lists;
	else
		return -1;
	if (rows != NULL)
		report_parse_values(f, nf,
		    report_row_add(rows, f[1], f[2])->v);
	return 0;
}

int
report_parse(const char *text, struct report *r)
{
	char	*copy, *p, *line;
	int	 rc = 0;

	memset(r, 0, sizeof *r);
	r->scope = xstrdup("");
	r->lang = xstrdup("ru");
	if (strncmp(text, REPORT_MAGIC "\n", sizeof REPORT_MAGIC) != 0) {
		report_free(r);
		return -1;
	}
	copy = p = xstrdup(text + sizeof REPORT_MAGIC);
	while (rc == 0 && (line = strsep(&p, "\n")) != NULL)
		if (*line != '\0')
			rc = report_parse_line(r, line);
	free(copy);
	if (rc == -1 || !report_month_valid(r->month)) {
		report_free(r);
		return -1;
	}
	r->kept = 1;
	return 0;
}

/* ---- kept reports ---- */

/* The kept text of one scope when it is not kept yet: 0 made (*text
 * set), 1 already kept, -1 error. */
static int
report_keep_text(struct site *s, const char *month, const char *scope,
    time_t now, int *begun, char **text)
{
	struct report_snapshot	 snap;
	struct report		 r;
	int			 rc;

	*text = NULL;
	if ((rc = report_snapshot_get(s->db, month, scope, &snap)) != 1) {
		report_snapshot_free(&snap);
		return rc == 0 ? 1 : -1;
	}
	if (!*begun && report_begin(s) == -1)
		return -1;
	*begun = 1;
	if (report_compute_in(s, month, scope, now, &r) == -1)
		return -1;
	*text = report_serialize(&r);
	report_free(&r);
	return 0;
}

/* Store the texts made, all in one transaction. */
static int
report_keep_store(struct site *s, const char *month, time_t now,
    char **texts)
{
	size_t	i;
	int	rc = 0;

	if (db_begin(s->db) == -1)
		return -1;
	for (i = 0; rc != -1 && i <= s->cfg->nlists; i++)
		if (texts[i] != NULL)
			rc = report_snapshot_put(s->db, month, i == 0 ? "" :
			    s->cfg->lists[i - 1].name, now, texts[i]);
	if (rc == -1 || db_commit(s->db) == -1) {
		db_rollback(s->db);
		return -1;
	}
	return 0;
}

/*
 * The figures are computed outside any transaction, so that the
 * database's write lock is held only while they are stored: mail keeps
 * flowing while a large registry is counted.
 */
int
report_keep(struct site *s, const char *month, time_t now)
{
	char	**texts = xcalloc(s->cfg->nlists + 1, sizeof *texts);
	size_t	  i;
	int	  rc, kept = 0, begun = 0;

	rc = report_keep_text(s, month, "", now, &begun, &texts[0]);
	for (i = 0; rc != -1 && i < s->cfg->nlists; i++)
		rc = report_keep_text(s, month, s->cfg->lists[i].name, now,
		    &begun, &texts[i + 1]);
	report_end(s);
	for (i = 0; i <= s->cfg->nlists; i++)
		kept |= texts[i] != NULL;
	if (rc != -1 && kept)
		rc = report_keep_store(s, month, now, texts);
	for (i = 0; i <= s->cfg->nlists; i++)
		free(texts[i]);
	free(texts);
	if (rc == -1)
		return -1;
	if (kept)
		log_info("report: the figures of %s are kept", month);
	return kept ? 0 : 1;
}

static int
report_load_history(struct site *s, struct report *r)
{
	struct report_snapshot	*h;
	size_t			 n, i;

	if (report_snapshot_history(s->db, r->month, r->scope,
	    (time_t)r->computed, REPORT_TREND_MONTHS, &h, &n) == -1)
		return -1;
	r->history = xcalloc(n + 1, sizeof *r->history);
	for (i = 0; i < n; i++)
		if (report_parse(h[n - 1 - i].figures,
		    &r->history[r->nhistory]) == 0)
			r->nhistory++;
	report_snapshots_free(h, n);
	return 0;
}

int
report_load(struct site *s, const char *month, const char *scope,
    struct report *r)
{
	struct report_snapshot	snap;
	int			rc;

	memset(r, 0, sizeof *r);
	if ((rc = report_snapshot_get(s->db, month, scope ? scope : "",
	    &snap)) != 0)
		return rc;
	rc = report_parse(snap.figures, r);
	report_snapshot_free(&snap);
	if (rc == -1) {
		log_warnx("report: the kept figures of %s are unreadable",
		    month);
		return -1;
	}
	if (report_load_history(s, r) == -1) {
		report_free(r);
		return -1;
	}
	return 0;
}

int
report_get(struct site *s, const char *month, const char *scope,
    time_t now, struct report *r)
{
	time_t	start, end;
	int	rc;

	if (report_month_bounds(month, &start, &end) == -1)
		return -1;
	if ((rc = report_load(s, month, scope, r)) != 1)
		return rc;
	if (end <= now) {
		if (report_keep(s, month, now) == -1)
			return -1;
		return report_load(s, month, scope, r) == 0 ? 0 : -1;
	}
	if (report_compute(s, month, scope, now, r) == -1)
		return -1;
	if (report_load_history(s, r) == -1) {
		report_free(r);
		return -1;
	}
	return 0;
}

static void
report_rows_free(struct report_rows *rows)
{
	size_t	i;

	for (i = 0; i < rows->n; i++) {
		free(rows->row[i].name);
		free(rows->row[i].parent);
	}
	free(rows->row);
	memset(rows, 0, sizeof *rows);
}

void
report_free(struct report *r)
{
	size_t	i;

	for (i = 0; i < r->nhistory; i++)
		report_free(&r->history[i]);
	free(r->history);
	report_rows_free(&r->munis);
	report_rows_free(&r->schools);
	report_rows_free(&r->lists);
	free(r->scope);
	free(r->lang);
	memset(r, 0, sizeof *r);
}

/* ---- helpers ---- */

const struct report *
report_previous(const struct report *r)
{
	char	prev[8];

	report_month_before(r->month, prev);
	if (r->nhistory > 0 &&
	    strcmp(r->history[r->nhistory - 1].month, prev) == 0)
		return &r->history[r->nhistory - 1];
	return NULL;
}

const struct report_row *
report_find(const struct report_rows *rows, const char *name)
{
	size_t	i;

	for (i = 0; i < rows->n; i++)
		if (strcmp(rows->row[i].name, name) == 0)
			return &rows->row[i];
	return NULL;
}

int64_t
report_permille(int64_t num, int64_t den)
{
	if (den <= 0)
		return 0;
	return (num * 1000 + den / 2) / den;
}

int
report_muni_flagged(const struct report_row *m)
{
	return m->v[RM_TEACHERS] > 0 && m->v[RM_INCLUDED] * 1000 <
	    (int64_t)REPORT_THRESHOLD_PERMILLE * m->v[RM_TEACHERS];
}
