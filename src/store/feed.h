/*
 * store/feed: the feeds each list reads, what their conditional GET
 * needs, their failures, and every entry seen.
 *
 * Contract: a feed is one row per (list, URL), made when first needed.
 * An entry is remembered by (feed, key) for good, so an entry read
 * again — after a restart, or in a feed that lost its ETag — is not new.
 */
#ifndef METODIST_STORE_FEED_H
#define METODIST_STORE_FEED_H

#include <sqlite3.h>
#include <stdint.h>

struct feed_state {
	int64_t	 id;
	char	*etag;
	char	*last_modified;
	int64_t	 next_fetch;
	int	 failures;
	int64_t	 reported;	/* when the failures were reported, or 0 */
};

/* The feed's row, made when missing: 0, or -1. */
int	feed_state_get(sqlite3 *, int64_t list_id, const char *url,
	    struct feed_state *);
void	feed_state_free(struct feed_state *);
/* After an answer (200 or 304): validators kept, failures cleared. */
int	feed_state_ok(sqlite3 *, const struct feed_state *, long status,
	    const char *etag, const char *last_modified, int64_t now,
	    int64_t next);
/* After a failure. */
int	feed_state_failed(sqlite3 *, const struct feed_state *, long status,
	    const char *error, int64_t now, int64_t next, int64_t reported);
/* 1 new, 0 seen before, -1 error. */
int	feed_entry_add(sqlite3 *, int64_t feed_id, const char *key,
	    const char *title, const char *link, int64_t published,
	    const char *summary, int64_t now);

#endif
