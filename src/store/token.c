/*
 * store/token: see token.h.
 */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "store/db.h"
#include "store/token.h"
#include "util/rnd.h"
#include "util/strutil.h"

int
token_new(sqlite3 *db, const char *kind, int64_t lid, const char *address,
    const char *mode, int64_t held_id, time_t lifetime,
    char out[TOKEN_LEN + 1])
{
	time_t	now = time(NULL);

	rnd_hex(out, TOKEN_LEN / 2);
	return db_exec(db, "INSERT INTO tokens (token, kind, list_id, address, "
	    "mode, held_id, created, expires) VALUES (?1, ?2, ?3, ?4, ?5, "
	    "nullif(?6, 0), ?7, ?8)", "ttittiii", out, kind, lid, address,
	    mode, held_id, (int64_t)now, (int64_t)(now + lifetime));
}

int
token_get(sqlite3 *db, const char *token, struct token *t)
{
	sqlite3_stmt	*st;
	int		 rc;

	memset(t, 0, sizeof *t);
	st = db_stmt(db, "SELECT token, kind, list_id, address, "
	    "coalesce(mode, ''), coalesce(held_id, 0), created, expires, "
	    "coalesce(used, 0), coalesce(used_by, '') FROM tokens WHERE "
	    "token = ?1", "t", token);
	if (st == NULL)
		return -1;
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		str_lcpy(t->token, (const char *)sqlite3_column_text(st, 0),
		    sizeof t->token);
		t->kind = db_text(st, 1);
		t->list_id = sqlite3_column_int64(st, 2);
		t->address = db_text(st, 3);
		t->mode = db_text(st, 4);
		t->held_id = sqlite3_column_int64(st, 5);
		t->created = sqlite3_column_int64(st, 6);
		t->expires = sqlite3_column_int64(st, 7);
		t->used = sqlite3_column_int64(st, 8);
		t->used_by = db_text(st, 9);
	}
	sqlite3_finalize(st);
	if (rc == SQLITE_ROW)
		return 0;
	return rc == SQLITE_DONE ? 1 : -1;
}

void
token_free(struct token *t)
{
	free(t->kind);
	free(t->address);
	free(t->mode);
	free(t->used_by);
	memset(t, 0, sizeof *t);
}

int
token_use(sqlite3 *db, const char *token, const char *kind, const char *by,
    time_t now, struct token *t)
{
	int	rc;

	if (db_exec(db, "UPDATE tokens SET used = ?3, used_by = ?4 WHERE "
	    "token = ?1 AND kind = ?2 AND used IS NULL AND expires > ?3",
	    "ttit", token, kind, (int64_t)now, by) == -1)
		return -1;
	rc = sqlite3_changes(db) > 0;
	switch (token_get(db, token, t)) {
	case -1:
		return -1;
	case 1:
		return 1;
	}
	if (rc)
		return 0;
	if (strcmp(t->kind, kind) != 0) {
		token_free(t);
		return 1;
	}
	if (t->used != 0)
		return 3;
	return 2;
}

int
token_purge(sqlite3 *db, time_t now, time_t keep)
{
	return db_exec(db, "DELETE FROM tokens WHERE expires < ?1",
	    "i", (int64_t)(now - keep));
}
