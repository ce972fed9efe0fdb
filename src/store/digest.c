/*
 * store/digest: see digest.h.
 */
#include <config.h>

#include <stdlib.h>

#include "store/db.h"
#include "store/digest.h"
#include "util/xmalloc.h"

/*
 * A new state starts after the posts received before the list's first
 * digest reader joined: they had those posts one by one.
 */
static int64_t
digest_first_after(sqlite3 *db, int64_t lid)
{
	return db_int(db, 0, "SELECT coalesce(max(number), 0) FROM posts "
	    "WHERE list_id = ?1 AND received < coalesce((SELECT "
	    "min(created) FROM members WHERE list_id = ?1 AND "
	    "mode = 'digest'), 1 << 62)", "i", lid);
}

int
digest_state_get(sqlite3 *db, int64_t lid, int64_t now,
    struct digest_state *st)
{
	sqlite3_stmt	*s;
	int		 rc;

	s = db_stmt(db, "SELECT volume, issue, last_number, last_sent FROM "
	    "digest_state WHERE list_id = ?1", "i", lid);
	if (s == NULL)
		return -1;
	if ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		st->volume = sqlite3_column_int64(s, 0);
		st->issue = sqlite3_column_int64(s, 1);
		st->last_number = sqlite3_column_int64(s, 2);
		st->last_sent = sqlite3_column_int64(s, 3);
	}
	sqlite3_finalize(s);
	if (rc == SQLITE_ROW)
		return 0;
	if (rc != SQLITE_DONE)
		return -1;
	st->volume = 1;
	st->issue = 0;
	st->last_sent = now;
	if ((st->last_number = digest_first_after(db, lid)) == -1)
		return -1;
	return 1;
}

int
digest_state_put(sqlite3 *db, int64_t lid, const struct digest_state *st)
{
	return db_exec(db, "INSERT OR REPLACE INTO digest_state (list_id, "
	    "volume, issue, last_number, last_sent) VALUES (?1, ?2, ?3, ?4, "
	    "?5)", "iiiii", lid, st->volume, st->issue, st->last_number,
	    st->last_sent);
}

int
digest_pending_posts(sqlite3 *db, int64_t lid, int64_t after, size_t max,
    struct digest_pending **out, size_t *n)
{
	sqlite3_stmt	*s;
	int		 rc;

	*out = NULL;
	*n = 0;
	s = db_stmt(db, "SELECT number, path, size FROM posts WHERE "
	    "list_id = ?1 AND number > ?2 ORDER BY number LIMIT ?3", "iii",
	    lid, after, (int64_t)max);
	if (s == NULL)
		return -1;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		*out = xreallocarray(*out, *n + 1, sizeof **out);
		(*out)[*n].number = sqlite3_column_int64(s, 0);
		(*out)[*n].path = db_text(s, 1);
		(*out)[*n].size = sqlite3_column_int64(s, 2);
		(*n)++;
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE) {
		digest_pending_free(*out, *n);
		*out = NULL;
		*n = 0;
		return -1;
	}
	return 0;
}

void
digest_pending_free(struct digest_pending *p, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		free(p[i].path);
	free(p);
}

int
digest_pending_totals(sqlite3 *db, int64_t lid, int64_t after,
    int64_t *count, int64_t *size)
{
	*count = db_int(db, 0, "SELECT count(*) FROM posts WHERE list_id = ?1 "
	    "AND number > ?2", "ii", lid, after);
	*size = db_int(db, 0, "SELECT coalesce(sum(size), 0) FROM posts "
	    "WHERE list_id = ?1 AND number > ?2", "ii", lid, after);
	return *count == -1 || *size == -1 ? -1 : 0;
}

int
digest_record(sqlite3 *db, int64_t lid, const struct digest_state *st,
    int64_t first, int64_t now)
{
	return db_exec(db, "INSERT INTO digests (list_id, volume, issue, "
	    "first_number, last_number, sent) VALUES (?1, ?2, ?3, ?4, ?5, "
	    "?6)", "iiiiii", lid, st->volume, st->issue, first,
	    st->last_number, now);
}

int
digest_recipients(sqlite3 *db, int64_t lid,
    int (*fn)(void *, const char *, const char *), void *arg)
{
	sqlite3_stmt	*s;
	char		*addr, *format;
	int		 rc, ret = 0;

	s = db_stmt(db, "SELECT address, digest_format FROM members WHERE "
	    "list_id = ?1 AND mode = 'digest' AND disabled IS NULL "
	    "ORDER BY address", "i", lid);
	if (s == NULL)
		return -1;
	while (ret == 0 && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		addr = db_text(s, 0);
		format = db_text(s, 1);
		ret = fn(arg, addr, format);
		free(addr);
		free(format);
	}
	if (ret == 0 && rc != SQLITE_DONE)
		ret = -1;
	sqlite3_finalize(s);
	return ret;
}

int
digest_set_format(sqlite3 *db, int64_t lid, const char *addr, int local_ci,
    const char *format)
{
	const char	*sql;

	sql = local_ci ?
	    "UPDATE members SET digest_format = ?3 WHERE list_id = ?1 AND "
	    "lower(address) = lower(?2)" :
	    "UPDATE members SET digest_format = ?3 WHERE list_id = ?1 AND "
	    "address = ?2";
	if (db_exec(db, sql, "itt", lid, addr, format) == -1)
		return -1;
	return sqlite3_changes(db) > 0 ? 0 : 1;
}
