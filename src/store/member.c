/*
 * store/member: see member.h.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "store/db.h"
#include "store/member.h"

int
member_add(sqlite3 *db, int64_t lid, const char *addr, const char *name,
    const char *mode)
{
	int	changes;

	if (lid < 0)
		return -1;

	/* Not OR IGNORE: that would hide a CHECK failure (a bad mode). */
	if (db_exec(db, "INSERT INTO members (list_id, address, name, mode, "
	    "created) VALUES (?1,?2,?3,?4,?5) ON CONFLICT (list_id, address) "
	    "DO NOTHING",
	    "ittti", lid, addr, name,
	    mode ? mode : "normal", (int64_t)time(NULL)) == -1)
		return -1;
	changes = sqlite3_changes(db);
	return changes > 0 ? 0 : 1;
}

static const char *
member_match_sql(int local_ci)
{
	return local_ci ? "lower(address) = lower(?2)" : "address = ?2";
}

int
member_remove(sqlite3 *db, int64_t lid, const char *addr, int local_ci)
{
	char	sql[160];

	if (lid < 0)
		return -1;

	snprintf(sql, sizeof sql, "DELETE FROM members WHERE list_id = ?1 "
	    "AND %s", member_match_sql(local_ci));
	if (db_exec(db, sql, "it", lid, addr) == -1)
		return -1;
	return sqlite3_changes(db) > 0 ? 0 : 1;
}

int
member_is(sqlite3 *db, int64_t lid, const char *addr, int local_ci)
{
	char	sql[160];
	int64_t	n;

	if (lid < 0)
		return -1;

	snprintf(sql, sizeof sql, "SELECT count(*) FROM members WHERE "
	    "list_id = ?1 AND %s", member_match_sql(local_ci));
	n = db_int(db, 0, sql, "it", lid, addr);
	return n < 0 ? -1 : n > 0;
}

int
member_foreach(sqlite3 *db, int64_t lid, const char *mode, member_fn fn,
    void *arg)
{
	sqlite3_stmt	*st;
	struct member	 m;
	int		 rc, ret = 0;

	if (lid < 0)
		return -1;

	st = db_stmt(db, "SELECT id, address, name, mode FROM members "
	    "WHERE list_id = ?1 AND (?2 IS NULL OR (mode = ?2 AND "
	    "disabled IS NULL)) "
	    "ORDER BY address", "it", lid, mode);
	if (st == NULL)
		return -1;
	while (ret == 0 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		m.id = sqlite3_column_int64(st, 0);
		m.address = db_text(st, 1);
		m.name = db_text(st, 2);
		m.mode = db_text(st, 3);
		ret = fn(arg, &m);
		free(m.address);
		free(m.name);
		free(m.mode);
	}
	if (ret == 0 && rc != SQLITE_DONE)
		ret = -1;
	sqlite3_finalize(st);
	return ret;
}

int64_t
member_count(sqlite3 *db, int64_t lid)
{
	if (lid < 0)
		return -1;
	return db_int(db, 0, "SELECT count(*) FROM members WHERE list_id = ?1",
	    "i", lid);
}

int
member_enable(sqlite3 *db, int64_t lid, const char *addr, int local_ci)
{
	char	sql[200];

	if (lid < 0)
		return -1;

	snprintf(sql, sizeof sql, "UPDATE members SET disabled = NULL, "
	    "bounce_score = 0, bounce_updated = NULL WHERE list_id = ?1 AND "
	    "%s AND disabled IS NOT NULL", member_match_sql(local_ci));
	if (db_exec(db, sql, "it", lid, addr) == -1)
		return -1;
	return sqlite3_changes(db) > 0;
}
