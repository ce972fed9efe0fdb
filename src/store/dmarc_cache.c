/*
 * store/dmarc_cache: see dmarc_cache.h.
 */
#include <config.h>

#include "store/db.h"
#include "store/dmarc_cache.h"

char *
dmarc_cache_get(sqlite3 *db, const char *domain, time_t now)
{
	sqlite3_stmt	*st;
	char		*policy = NULL;

	st = db_stmt(db, "SELECT policy FROM dmarc_cache WHERE domain = "
	    "lower(?1) AND expires > ?2", "ti", domain, (int64_t)now);
	if (st == NULL)
		return NULL;
	if (sqlite3_step(st) == SQLITE_ROW)
		policy = db_text(st, 0);
	sqlite3_finalize(st);
	return policy;
}

int
dmarc_cache_put(sqlite3 *db, const char *domain, const char *policy,
    time_t expires)
{
	return db_exec(db, "INSERT OR REPLACE INTO dmarc_cache (domain, "
	    "policy, expires) VALUES (lower(?1), ?2, ?3)", "tti", domain,
	    policy, (int64_t)expires);
}
