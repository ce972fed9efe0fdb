/*
 * store/report: see report.h.
 */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "store/db.h"
#include "store/report.h"
#include "util/strutil.h"
#include "util/xmalloc.h"

int
report_snapshot_put(sqlite3 *db, const char *month, const char *scope,
    time_t computed, const char *figures)
{
	if (db_exec(db, "INSERT INTO report_snapshots (month, scope, "
	    "computed, figures) VALUES (?1, ?2, ?3, ?4) "
	    "ON CONFLICT (month, scope) DO NOTHING", "ttit", month, scope,
	    (int64_t)computed, figures) == -1)
		return -1;
	return sqlite3_changes(db) > 0 ? 0 : 1;
}

static void
report_snapshot_read(sqlite3_stmt *st, struct report_snapshot *s)
{
	char	*m = db_text(st, 0);

	memset(s, 0, sizeof *s);
	str_lcpy(s->month, m, sizeof s->month);
	free(m);
	s->scope = db_text(st, 1);
	s->computed = sqlite3_column_int64(st, 2);
	s->figures = db_text(st, 3);
	s->mailed = sqlite3_column_int64(st, 4);
}

int
report_snapshot_get(sqlite3 *db, const char *month, const char *scope,
    struct report_snapshot *out)
{
	sqlite3_stmt	*st;
	int		 rc;

	memset(out, 0, sizeof *out);
	st = db_stmt(db, "SELECT month, scope, computed, figures, "
	    "coalesce(mailed, 0) FROM report_snapshots WHERE month = ?1 AND "
	    "scope = ?2", "tt", month, scope);
	if (st == NULL)
		return -1;
	if ((rc = sqlite3_step(st)) == SQLITE_ROW)
		report_snapshot_read(st, out);
	sqlite3_finalize(st);
	if (rc == SQLITE_ROW)
		return 0;
	return rc == SQLITE_DONE ? 1 : -1;
}

int
report_snapshot_history(sqlite3 *db, const char *month, const char *scope,
    time_t computed, size_t max, struct report_snapshot **out, size_t *n)
{
	sqlite3_stmt	*st;
	int		 rc;

	*out = NULL;
	*n = 0;
	st = db_stmt(db, "SELECT month, scope, computed, figures, "
	    "coalesce(mailed, 0) FROM report_snapshots WHERE month < ?1 AND "
	    "scope = ?2 AND computed <= ?3 ORDER BY month DESC LIMIT ?4",
	    "ttii", month, scope, (int64_t)computed, (int64_t)max);
	if (st == NULL)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		*out = xreallocarray(*out, *n + 1, sizeof **out);
		report_snapshot_read(st, &(*out)[(*n)++]);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		report_snapshots_free(*out, *n);
		*out = NULL;
		*n = 0;
		return -1;
	}
	return 0;
}

int
report_snapshot_unmailed(sqlite3 *db, const char *month, char ***scopes,
    size_t *n)
{
	sqlite3_stmt	*st;
	int		 rc;

	*scopes = NULL;
	*n = 0;
	st = db_stmt(db, "SELECT scope FROM report_snapshots WHERE month = ?1 "
	    "AND mailed IS NULL ORDER BY scope", "t", month);
	if (st == NULL)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		*scopes = xreallocarray(*scopes, *n + 1, sizeof **scopes);
		(*scopes)[(*n)++] = db_text(st, 0);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		str_array_free(*scopes, *n);
		*scopes = NULL;
		*n = 0;
		return -1;
	}
	return 0;
}

int
report_snapshot_mailed(sqlite3 *db, const char *month, const char *scope,
    time_t when)
{
	return db_exec(db, "UPDATE report_snapshots SET mailed = ?3 "
	    "WHERE month = ?1 AND scope = ?2 AND mailed IS NULL", "tti",
	    month, scope, (int64_t)when);
}

void
report_snapshot_free(struct report_snapshot *s)
{
	free(s->scope);
	free(s->figures);
	memset(s, 0, sizeof *s);
}

void
report_snapshots_free(struct report_snapshot *s, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		report_snapshot_free(&s[i]);
	free(s);
}
