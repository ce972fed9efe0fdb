/*
 * store/limit: see limit.h.  The counters live in reply_log, whose
 * (address, day) key holds any (key, window).
 */
#include <config.h>

#include "store/db.h"
#include "store/limit.h"

int
limit_take(sqlite3 *db, const char *key, const char *window, int64_t max)
{
	int64_t	n;

	if (db_exec(db, "INSERT INTO reply_log (address, day, count) VALUES "
	    "(lower(?1), ?2, 1) ON CONFLICT (address, day) DO UPDATE SET "
	    "count = count + 1", "tt", key, window) == -1)
		return -1;
	if ((n = limit_count(db, key, window)) < 0)
		return -1;
	return n <= max;
}

int64_t
limit_count(sqlite3 *db, const char *key, const char *window)
{
	return db_int(db, 0, "SELECT count FROM reply_log WHERE address = "
	    "lower(?1) AND day = ?2", "tt", key, window);
}

int
limit_purge(sqlite3 *db, const char *day)
{
	return db_exec(db, "DELETE FROM reply_log WHERE day < ?1", "t", day);
}
