/*
 * store/limit: see limit.h.
 */
#include <config.h>

#include "store/db.h"
#include "store/limit.h"

int
limit_reply_take(sqlite3 *db, const char *addr, const char *day, int64_t max)
{
	int64_t	n;

	if (db_exec(db, "INSERT INTO reply_log (address, day, count) VALUES "
	    "(lower(?1), ?2, 1) ON CONFLICT (address, day) DO UPDATE SET "
	    "count = count + 1", "tt", addr, day) == -1)
		return -1;
	n = db_int(db, 0, "SELECT count FROM reply_log WHERE address = "
	    "lower(?1) AND day = ?2", "tt", addr, day);
	if (n < 0)
		return -1;
	return n <= max;
}
