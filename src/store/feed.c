/*
 * store/feed: see feed.h.
 */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "store/db.h"
#include "store/feed.h"

int
feed_state_get(sqlite3 *db, int64_t lid, const char *url,
    struct feed_state *f)
{
	sqlite3_stmt	*s;
	int		 rc;

	memset(f, 0, sizeof *f);
	if (db_exec(db, "INSERT INTO feeds (list_id, url) SELECT nullif(?1, "
	    "0), ?2 WHERE NOT EXISTS (SELECT 1 FROM feeds WHERE "
	    "coalesce(list_id, 0) = ?1 AND url = ?2)", "it", lid, url) == -1)
		return -1;
	s = db_stmt(db, "SELECT id, etag, last_modified, next_fetch, failures, "
	    "coalesce(reported, 0) FROM feeds WHERE coalesce(list_id, 0) = ?1 "
	    "AND url = ?2", "it", lid, url);
	if (s == NULL)
		return -1;
	if ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		f->id = sqlite3_column_int64(s, 0);
		f->etag = db_text(s, 1);
		f->last_modified = db_text(s, 2);
		f->next_fetch = sqlite3_column_int64(s, 3);
		f->failures = sqlite3_column_int(s, 4);
		f->reported = sqlite3_column_int64(s, 5);
	}
	sqlite3_finalize(s);
	return rc == SQLITE_ROW ? 0 : -1;
}

void
feed_state_free(struct feed_state *f)
{
	free(f->etag);
	free(f->last_modified);
	memset(f, 0, sizeof *f);
}

int
feed_state_ok(sqlite3 *db, const struct feed_state *f, long status,
    const char *etag, const char *lm, int64_t now, int64_t next)
{
	/* A 304 carries no new validators: the old ones stay. */
	return db_exec(db, "UPDATE feeds SET etag = coalesce(?2, etag), "
	    "last_modified = coalesce(?3, last_modified), last_fetch = ?4, "
	    "last_status = ?5, next_fetch = ?6, failures = 0, "
	    "last_error = NULL, reported = NULL WHERE id = ?1", "ittiii",
	    f->id, etag, lm, now, (int64_t)status, next);
}

int
feed_state_failed(sqlite3 *db, const struct feed_state *f, long status,
    const char *error, int64_t now, int64_t next, int64_t reported)
{
	return db_exec(db, "UPDATE feeds SET last_fetch = ?2, last_status = "
	    "nullif(?3, 0), next_fetch = ?4, failures = failures + 1, "
	    "last_error = ?5, reported = nullif(?6, 0) WHERE id = ?1",
	    "iiiiti", f->id, now, (int64_t)status, next, error, reported);
}

int
feed_entry_add(sqlite3 *db, int64_t fid, const char *key, const char *title,
    const char *link, int64_t published, const char *summary, int64_t now)
{
	if (db_exec(db, "INSERT OR IGNORE INTO feed_entries (feed_id, key, "
	    "title, link, published, summary, seen) VALUES (?1, ?2, ?3, ?4, "
	    "nullif(?5, 0), ?6, ?7)", "itttiti", fid, key, title, link,
	    published, summary, now) == -1)
		return -1;
	return sqlite3_changes(db) > 0;
}
