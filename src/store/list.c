/*
 * store/list: see list.h.
 */
#include <config.h>

#include <time.h>

#include "store/db.h"
#include "store/list.h"

int64_t
list_id(sqlite3 *db, const char *name)
{
	int64_t	id;

	id = db_int(db, 0, "SELECT id FROM lists WHERE name = ?1", "t", name);
	if (id != 0)
		return id;
	if (db_exec(db, "INSERT OR IGNORE INTO lists (name, created) "
	    "VALUES (?1, ?2)", "ti", name, (int64_t)time(NULL)) == -1)
		return -1;
	id = db_int(db, 0, "SELECT id FROM lists WHERE name = ?1", "t", name);
	return id == 0 ? -1 : id;
}

int64_t
list_next_post_number(sqlite3 *db, int64_t lid)
{
	if (db_exec(db, "UPDATE lists SET last_post = last_post + 1 "
	    "WHERE id = ?1", "i", lid) == -1)
		return -1;
	return db_int(db, -1, "SELECT last_post FROM lists WHERE id = ?1",
	    "i", lid);
}
