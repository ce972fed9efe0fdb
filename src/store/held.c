/*
 * store/held: see held.h.
 */
#include <config.h>

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store/db.h"
#include "store/held.h"
#include "util/xmalloc.h"

#define HELD_DUE_MAX	10000	/* ids per call; the rest wait for the next */

#define HELD_COLUMNS "h.id, l.name, h.kind, h.sender, h.subject, h.reason, " \
	"h.path, h.state, coalesce(h.decided_by, ''), coalesce((SELECT " \
	"t.mode FROM tokens t WHERE t.held_id = h.id AND t.mode IS NOT " \
	"NULL ORDER BY t.created LIMIT 1), ''), h.created, " \
	"coalesce(h.expires, 0), coalesce(h.decided_at, 0)"

int64_t
held_add_kind(sqlite3 *db, int64_t lid, const char *kind, const char *sender,
    const char *subject, const char *reason, const char *path, time_t expires)
{
	if (db_exec(db, "INSERT INTO held (list_id, kind, sender, subject, "
	    "reason, path, created, expires) VALUES (?1, ?2, ?3, ?4, ?5, ?6, "
	    "?7, nullif(?8, 0))", "itttttii", lid, kind, sender, subject,
	    reason, path, (int64_t)time(NULL), (int64_t)expires) == -1)
		return -1;
	return sqlite3_last_insert_rowid(db);
}

int64_t
held_add(sqlite3 *db, int64_t lid, const char *sender, const char *subject,
    const char *reason, const char *path)
{
	return held_add_kind(db, lid, HELD_KIND_POST, sender, subject, reason,
	    path, 0);
}

static void
held_row(sqlite3_stmt *st, struct held_post *h)
{
	h->id = sqlite3_column_int64(st, 0);
	h->list = db_text(st, 1);
	h->kind = db_text(st, 2);
	h->sender = db_text(st, 3);
	h->subject = db_text(st, 4);
	h->reason = db_text(st, 5);
	h->path = db_text(st, 6);
	h->state = db_text(st, 7);
	h->decided_by = db_text(st, 8);
	h->mode = db_text(st, 9);
	h->created = sqlite3_column_int64(st, 10);
	h->expires = sqlite3_column_int64(st, 11);
	h->decided_at = sqlite3_column_int64(st, 12);
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
	free(h->kind);
	free(h->sender);
	free(h->subject);
	free(h->reason);
	free(h->path);
	free(h->state);
	free(h->decided_by);
	free(h->mode);
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
held_due(sqlite3 *db, time_t now, time_t max_age, int64_t **ids, size_t *n)
{
	sqlite3_stmt	*st;
	size_t		 cap = 0;
	int		 rc;

	*ids = NULL;
	*n = 0;
	st = db_stmt(db, "SELECT id FROM held WHERE state = 'held' AND "
	    "coalesce(expires, created + ?2) <= ?1 ORDER BY id LIMIT ?3", "iii",
	    (int64_t)now, (int64_t)max_age, (int64_t)HELD_DUE_MAX);
	if (st == NULL)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			*ids = xreallocarray(*ids, cap, sizeof **ids);
		}
		(*ids)[(*n)++] = sqlite3_column_int64(st, 0);
	}
	sqlite3_finalize(st);
	if (rc == SQLITE_DONE)
		return 0;
	free(*ids);
	*ids = NULL;
	*n = 0;
	return -1;
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
