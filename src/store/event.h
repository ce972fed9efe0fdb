/*
 * store/event: events the lists announce, one row per occurrence.
 *
 * Contract: an occurrence is unique by (list, uid, start), so the same
 * announcement or feed entry read twice adds nothing.  The occurrences of
 * one announcement share its token, by which its coordinator withdraws
 * them all at once; a withdrawn event stays, marked cancelled, and is no
 * longer upcoming.
 */
#ifndef METODIST_STORE_EVENT_H
#define METODIST_STORE_EVENT_H

#include <sqlite3.h>
#include <stdint.h>

struct event_row {
	int64_t		 id;
	int64_t		 list_id;	/* 0: the site's */
	const char	*source;	/* mail, ics, feed */
	const char	*uid;
	const char	*title;
	int64_t		 starts;
	int64_t		 ends;		/* 0: none */
	int		 all_day;
	const char	*place;		/* or NULL */
	const char	*url;
	const char	*description;
	const char	*author;
	const char	*token;
};

/* 0 added, 1 already there, -1 error. */
int	event_insert(sqlite3 *, const struct event_row *);
/* Withdraw the occurrences of token on the list: how many, or -1. */
int	event_cancel(sqlite3 *, int64_t list_id, const char *token);
/* Calls fn for each active occurrence of the list (and the site's) that
 * starts in [from, until), in start order; stops on non-zero. */
int	event_upcoming(sqlite3 *, int64_t list_id, int64_t from,
	    int64_t until, int (*fn)(void *, const struct event_row *),
	    void *arg);

#endif
