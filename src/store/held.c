/*
 * store/held: see held.h.
 */
#include <config.h>

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store/db.h"
#include "store/held.h"

#define HELD_COLUMNS "h.id, l.name, h.sender, h.subject, h.reason, h.path, " \
	"h.state, coalesce(h.decided_by, ''), h.created"

int64_t
held_add(sqlite3 *db, int64_t lid, const char *sender, const char *subject,
    const char *reason, const char *path)
{
	if (db_exec(db, "INSERT INTO held (list_id, sender, subject, reason, "
	    "path, created) VALUES (?1, ?2, ?3, ?4, ?5, ?6)", "itttti", lid,
	    sender, subject, reason, path, (int64_t)time(NULL)) == -1)
		return -1;
	return sqlite3_last_insert_rowid(db);
}

static void
held_row(sqlite3_stmt *st, struct held_post *h)
{
	h->id = sqlite3_column_int64(st, 0);
	h->list = db_text(st, 1);
	h->sender = db_text(st, 2);
	h->subject = db_text(st, 3);
	h->reason = db_text(st, 4);
	h->path = db_text(st, 5);
	h->state = db_text(st, 6);
	h->decided_by = db_text(st, 7);
	h->created = sqlite3_column_int64(st, 8);
}

int
held_get(sqlite3 *db, int64_t id, struct held_post *h)
{
	sqlite3_stmt	*st;
	int		 rc;

	st = db_stmt(db, "SELECT " HELD_COLUMNS " FROM held h JOIN lists l "
	    "ON l.id = h.list_id WHERE h.id = ?1", "i", id);
	if (st == NULL)
		return -1;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		held_row(st, h);
	sqlite3_finalize(st);
	if (rc == SQLITE_ROW)
		return 0;
	return rc == SQLITE_DONE ? 1 : -1;
}

void
held_post_free(struct held_post *h)
{
	free(h->list);
	free(h->sender);
	free(h->subject);
	free(h->reason);
	free(h->path);
	free(h->state);
	free(h->decided_by);
	memset(h, 0, sizeof *h);
}

int
held_foreach(sqlite3 *db, held_fn fn, void *arg)
{
	sqlite3_stmt		*st;
	struct held_post	 h;
	int			 rc, ret = 0;

	st = db_stmt(db, "SELECT " HELD_COLUMNS " FROM held h JOIN lists l "
	    "ON l.id = h.list_id WHERE h.state = 'held' ORDER BY h.id", "");
	if (st == NULL)
		return -1;
	while (ret == 0 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		held_row(st, &h);
		ret = fn(arg, &h);
		held_post_free(&h);
	}
	if (ret == 0 && rc != SQLITE_DONE)
		ret = -1;
	sqlite3_finalize(st);
	return ret;
}

int
held_decide(sqlite3 *db, int64_t id, const char *state, const char *by)
{
	if (db_exec(db, "UPDATE held SET state = ?2, decided_by = ?3, "
	    "decided_at = ?4 WHERE id = ?1 AND state = 'held'", "itti", id,
	    state, by, (int64_t)time(NULL)) == -1)
		return -1;
	return sqlite3_changes(db) > 0 ? 0 : 1;
}
