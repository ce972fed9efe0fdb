/*
 * feeds: the feeds each list names, fetched on their own schedule.
 *
 * Contract: feeds_run() fetches every configured feed whose next fetch
 * is due at `now` (the caller's clock), one conditional GET each (the
 * last ETag and Last-Modified), FEEDS_TIMEOUT seconds, FEEDS_MAX_SIZE
 * bytes and FEEDS_MAX_REDIRECTS redirects at most.  RSS and Atom entries
 * are remembered by GUID (or id, or link), so each is new once across
 * restarts; a new entry whose title or summary names a date to come
 * becomes an event of the list.  An iCalendar feed gives events, a
 * recurring one expanded for the coming year.  An answer moves the next
 * fetch FEEDS_INTERVAL on; a failure (no answer, a code other than 200
 * and 304, a body too large, malformed XML) retries after a backoff that
 * doubles up to a day, and after FEEDS_REPORT_AFTER failures in a row
 * the coordinators are told once, until the feed recovers.  Each fetch
 * is bounded by its timeout; the daemon runs feeds_run() in a process
 * of its own so that mail never waits for a feed.  Returns the number of
 * fetches made, or -1 on a database error.
 */
#ifndef METODIST_FEEDS_H
#define METODIST_FEEDS_H

#include <time.h>

#define FEEDS_TIMEOUT		15		/* seconds */
#define FEEDS_MAX_SIZE		(5 * 1024 * 1024)
#define FEEDS_MAX_REDIRECTS	5
#define FEEDS_INTERVAL		3600
#define FEEDS_BACKOFF		300		/* first retry */
#define FEEDS_BACKOFF_MAX	86400
#define FEEDS_REPORT_AFTER	3
#define FEEDS_MAX_ENTRIES	200

struct site;

int	feeds_run(struct site *, time_t now);

#endif
