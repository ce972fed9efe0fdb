/*
 * store/event: see event.h.
 */
#include <config.h>

#include <stdlib.h>

#include "store/db.h"
#include "store/event.h"

int
event_insert(sqlite3 *db, const struct event_row *e)
{
	/* The site's events have no list: NULL is never equal in UNIQUE,
	 * so the check is spelled out. */
	if (db_exec(db, "INSERT OR IGNORE INTO events (list_id, source, uid, "
	    "title, starts, ends, all_day, place, url, description, author, "
	    "token, created) SELECT nullif(?1, 0), ?2, ?3, ?4, ?5, "
	    "nullif(?6, 0), ?7, ?8, ?9, ?10, ?11, ?12, strftime('%s','now') "
	    "WHERE NOT EXISTS (SELECT 1 FROM events WHERE list_id IS "
	    "nullif(?1, 0) AND uid = ?3 AND starts = ?5)",
	    "itttiiittttt", e->list_id,
	    e->source, e->uid, e->title, e->starts, e->ends,
	    (int64_t)e->all_day, e->place, e->url, e->description, e->author,
	    e->token) == -1)
		return -1;
	return sqlite3_changes(db) > 0 ? 0 : 1;
}

int
event_cancel(sqlite3 *db, int64_t lid, const char *token)
{
	if (db_exec(db, "UPDATE events SET state = 'cancelled' WHERE "
	    "list_id = ?1 AND token = ?2 AND state = 'active'", "it", lid,
	    token) == -1)
		return -1;
	return sqlite3_changes(db);
}

int
event_upcoming(sqlite3 *db, int64_t lid, int64_t from, int64_t until,
    int (*fn)(void *, const struct event_row *), void *arg)
{
	sqlite3_stmt		*s;
	struct event_row	 e;
	char			*t[7];
	int			 rc, ret = 0, i;

	s = db_stmt(db, "SELECT id, coalesce(list_id, 0), source, uid, title, "
	    "starts, coalesce(ends, 0), all_day, place, url, description "
	    "FROM events WHERE (list_id = ?1 OR list_id IS NULL) AND "
	    "state = 'active' AND starts >= ?2 AND starts < ?3 "
	    "ORDER BY starts, id", "iii", lid, from, until);
	if (s == NULL)
		return -1;
	while (ret == 0 && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		e.id = sqlite3_column_int64(s, 0);
		e.list_id = sqlite3_column_int64(s, 1);
		e.source = t[0] = db_text(s, 2);
		e.uid = t[1] = db_text(s, 3);
		e.title = t[2] = db_text(s, 4);
		e.starts = sqlite3_column_int64(s, 5);
		e.ends = sqlite3_column_int64(s, 6);
		e.all_day = sqlite3_column_int(s, 7);
		e.place = t[3] = db_text(s, 8);
		e.url = t[4] = db_text(s, 9);
		e.description = t[5] = db_text(s, 10);
		e.author = e.token = t[6] = NULL;
		ret = fn(arg, &e);
		for (i = 0; i < 7; i++)
			free(t[i]);
	}
	if (ret == 0 && rc != SQLITE_DONE)
		ret = -1;
	sqlite3_finalize(s);
	return ret;
}
