/*
 * expire: see expire.h.
 */
#include <config.h>

#include <time.h>

#include "core/expire.h"
#include "core/site.h"
#include "store/token.h"

#define EXPIRE_TOKEN_GRACE	(30 * 24 * 3600)

int
expire_run(struct site *s)
{
	return token_purge(s->db, time(NULL), EXPIRE_TOKEN_GRACE) == -1 ? -1 :
	    0;
}
