/*
 * store/bounce: the SQL of bounce handling: deliveries by their VERP
 * token, each member's bounce score and the log of bounces.
 *
 * Contract: a delivery token is compared exactly.  A member is found by
 * list and address as store/member does it (local part exact unless the
 * caller asks for case blindness).  bounce_record() appends one row to
 * bounces; scores are stored as given: the arithmetic (weights, decay)
 * belongs to core/bounce.  Times are seconds since the epoch.
 */
#ifndef METODIST_STORE_BOUNCE_H
#define METODIST_STORE_BOUNCE_H

#include <sqlite3.h>
#include <stdint.h>

struct bounce_delivery {
	int64_t	 id;
	int64_t	 list_id;	/* of its outbound message, 0 if none */
	char	*recipient;
};

struct bounce_member {
	int64_t	 id;
	char	*address;	/* as stored */
	double	 score;
	int64_t	 updated;	/* bounce_updated, 0 if never */
	int64_t	 disabled;	/* when delivery was disabled, 0 if not */
};

/* 0 found (d filled), 1 no such token, -1 error. */
int	bounce_delivery_by_token(sqlite3 *, const char *token,
	    struct bounce_delivery *);
void	bounce_delivery_free(struct bounce_delivery *);
/* 0 found (bm filled), 1 not a member, -1 error. */
int	bounce_member_get(sqlite3 *, int64_t list_id, const char *addr,
	    int local_ci, struct bounce_member *);
void	bounce_member_free(struct bounce_member *);
/* One bounce; delivery_id 0 when unknown; status and diagnostic may be
 * NULL. */
int	bounce_record(sqlite3 *, int64_t list_id, const char *addr,
	    int64_t delivery_id, const char *kind, const char *status,
	    const char *diagnostic, int64_t now);
int	bounce_member_score(sqlite3 *, int64_t member_id, double score,
	    int64_t updated);
/* Marks delivery disabled at now unless it already is. */
int	bounce_member_disable(sqlite3 *, int64_t member_id, int64_t now);
/* Members with a positive score: fn(arg, bm) for each, stopping at a
 * non-zero return, which is returned. */
typedef int (*bounce_member_fn)(void *, const struct bounce_member *);
int	bounce_member_foreach_scored(sqlite3 *, bounce_member_fn, void *);
/* Bounces recorded for an address on a list. */
int64_t	bounce_count(sqlite3 *, int64_t list_id, const char *addr);

#endif
