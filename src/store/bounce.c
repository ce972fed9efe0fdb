/*
 * store/bounce: see bounce.h.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/bounce.h"
#include "store/db.h"

int
bounce_delivery_by_token(sqlite3 *db, const char *token,
    struct bounce_delivery *d)
{
	sqlite3_stmt	*st;
	int		 rc;

	memset(d, 0, sizeof *d);
	st = db_stmt(db, "SELECT d.id, coalesce(o.list_id, 0), d.recipient "
	    "FROM deliveries d JOIN outbound o ON o.id = d.outbound_id "
	    "WHERE d.token = ?1", "t", token);
	if (st == NULL)
		return -1;
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		d->id = sqlite3_column_int64(st, 0);
		d->list_id = sqlite3_column_int64(st, 1);
		d->recipient = db_text(st, 2);
	}
	sqlite3_finalize(st);
	if (rc == SQLITE_ROW)
		return 0;
	return rc == SQLITE_DONE ? 1 : -1;
}

void
bounce_delivery_free(struct bounce_delivery *d)
{
	free(d->recipient);
	memset(d, 0, sizeof *d);
}

int
bounce_member_get(sqlite3 *db, int64_t lid, const char *addr, int local_ci,
    struct bounce_member *bm)
{
	sqlite3_stmt	*st;
	int		 rc;

	memset(bm, 0, sizeof *bm);
	st = db_stmt(db, local_ci ? "SELECT id, address, bounce_score, "
	    "coalesce(bounce_updated, 0), coalesce(disabled, 0) FROM members "
	    "WHERE list_id = ?1 AND lower(address) = lower(?2)" :
	    "SELECT id, address, bounce_score, coalesce(bounce_updated, 0), "
	    "coalesce(disabled, 0) FROM members WHERE list_id = ?1 AND "
	    "address = ?2", "it", lid, addr);
	if (st == NULL)
		return -1;
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		bm->id = sqlite3_column_int64(st, 0);
		bm->address = db_text(st, 1);
		bm->score = sqlite3_column_double(st, 2);
		bm->updated = sqlite3_column_int64(st, 3);
		bm->disabled = sqlite3_column_int64(st, 4);
	}
	sqlite3_finalize(st);
	if (rc == SQLITE_ROW)
		return 0;
	return rc == SQLITE_DONE ? 1 : -1;
}

void
bounce_member_free(struct bounce_member *bm)
{
	free(bm->address);
	memset(bm, 0, sizeof *bm);
}

int
bounce_record(sqlite3 *db, int64_t lid, const char *addr,
    int64_t delivery_id, const char *kind, const char *status,
    const char *diagnostic, int64_t now)
{
	return db_exec(db, "INSERT INTO bounces (list_id, address, "
	    "delivery_id, kind, status, diagnostic, received) VALUES (?1, ?2, "
	    "nullif(?3, 0), ?4, nullif(?5, ''), ?6, ?7)", "itittti", lid, addr,
	    delivery_id, kind, status ? status : "", diagnostic, now);
}

int
bounce_member_score(sqlite3 *db, int64_t member_id, double score,
    int64_t updated)
{
	char	num[64];

	/* db_exec binds no doubles: the score goes as text, read back REAL. */
	snprintf(num, sizeof num, "%.6f", score);
	return db_exec(db, "UPDATE members SET bounce_score = CAST(?1 AS REAL), "
	    "bounce_updated = ?2 WHERE id = ?3", "tii", num, updated,
	    member_id);
}

int
bounce_member_disable(sqlite3 *db, int64_t member_id, int64_t now)
{
	return db_exec(db, "UPDATE members SET disabled = ?1 WHERE id = ?2 "
	    "AND disabled IS NULL", "ii", now, member_id);
}

int
bounce_member_foreach_scored(sqlite3 *db, bounce_member_fn fn, void *arg)
{
	sqlite3_stmt		*st;
	struct bounce_member	 bm;
	int			 rc, ret = 0;

	st = db_stmt(db, "SELECT id, address, bounce_score, "
	    "coalesce(bounce_updated, 0), coalesce(disabled, 0) FROM members "
	    "WHERE bounce_score > 0 ORDER BY id", "");
	if (st == NULL)
		return -1;
	while (ret == 0 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		bm.id = sqlite3_column_int64(st, 0);
		bm.address = db_text(st, 1);
		bm.score = sqlite3_column_double(st, 2);
		bm.updated = sqlite3_column_int64(st, 3);
		bm.disabled = sqlite3_column_int64(st, 4);
		ret = fn(arg, &bm);
		bounce_member_free(&bm);
	}
	sqlite3_finalize(st);
	if (ret == 0 && rc != SQLITE_DONE)
		return -1;
	return ret;
}

int64_t
bounce_count(sqlite3 *db, int64_t lid, const char *addr)
{
	return db_int(db, 0, "SELECT count(*) FROM bounces WHERE list_id = ?1 "
	    "AND address = ?2", "it", lid, addr);
}
