/*
 * store/dmarc_cache: the DMARC policies already looked up, per domain.
 *
 * Contract: an answer is kept until its expiry time; an expired or absent
 * entry is a miss.  Policies are stored by name (dmarc_policy_name).
 */
#ifndef METODIST_STORE_DMARC_CACHE_H
#define METODIST_STORE_DMARC_CACHE_H

#include <sqlite3.h>
#include <time.h>

/* The policy name (owned by caller), or NULL on a miss or an error. */
char	*dmarc_cache_get(sqlite3 *, const char *domain, time_t now);
int	 dmarc_cache_put(sqlite3 *, const char *domain, const char *policy,
	    time_t expires);

#endif
