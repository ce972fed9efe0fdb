/*
 * expire: see expire.h.
 *
 * Each step does nothing when nothing is due, so the daemon's scheduler
 * (and metodist run) may call expire_run() every minute.  Held items
 * expire through moderate_expire(), the same path as any other decision,
 * so one that a coordinator decides at the same moment is decided once.
 * Bounce scores decay in the bounce module (core/bounce.h), which owns
 * the scoring rule; its decay step runs here once a day, after the
 * tokens are purged (the first time in each process, then daily).
 */
#include <config.h>

#include <stdlib.h>
#include <time.h>

#include "core/bounce.h"
#include "core/expire.h"
#include "core/moderate.h"
#include "core/review.h"
#include "core/site.h"
#include "store/held.h"
#include "store/limit.h"
#include "store/token.h"
#include "util/log.h"
#include "util/timefmt.h"

#define EXPIRE_DAY		(24 * 3600)
#define EXPIRE_DECAY_EVERY	EXPIRE_DAY
#define EXPIRE_TOKEN_GRACE	(30 * EXPIRE_DAY)

/* Held posts and requests past their time; how many expired, or -1. */
static int
expire_held(struct site *s, time_t now)
{
	int64_t	*ids;
	size_t	 n, i;
	int	 days = s->cfg->held_expire_days > 0 ?
		    s->cfg->held_expire_days : 1;
	int	 done = 0, rc = 0;

	if (held_due(s->db, now, (time_t)days * EXPIRE_DAY, &ids, &n) == -1)
		return -1;
	for (i = 0; i < n && rc != -1; i++) {
		if ((rc = moderate_expire(s, ids[i])) == 0)
			done++;
		else if (rc == -1)
			log_warnx("expire: held item %lld could not be "
			    "expired; will try again", (long long)ids[i]);
	}
	free(ids);
	if (rc == -1)
		return -1;
	return done;
}

/* Tokens used or expired more than the grace period ago. */
static int
expire_tokens(struct site *s, time_t now)
{
	if (token_purge(s->db, now, EXPIRE_TOKEN_GRACE) == -1)
		return -1;
	return sqlite3_changes(s->db);
}

/* Rate counters of days more than a week ago mean nothing any more. */
static int
expire_counters(struct site *s, time_t now)
{
	char	day[16];

	time_day(now - 7 * 86400, day, sizeof day);
	return limit_purge(s->db, day);
}

int
expire_run(struct site *s)
{
	time_t	now = time(NULL);
	int	held, tokens, reviews, decayed = 0;

	if ((held = expire_held(s, now)) == -1)
		return -1;
	if ((tokens = expire_tokens(s, now)) == -1)
		return -1;
	if ((reviews = review_run(s, now)) == -1)
		return -1;
	if (expire_counters(s, now) == -1)
		return -1;
	if (now - s->last_decay >= EXPIRE_DECAY_EVERY) {
		if ((decayed = bounce_decay_all(s)) == -1)
			return -1;
		s->last_decay = now;
	}
	return held + tokens + reviews + decayed;
}
