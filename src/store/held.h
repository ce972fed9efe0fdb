/*
 * store/held: posts and subscription requests held for a coordinator's
 * decision.
 *
 * Contract: a held item's raw bytes (the post, or the message that asked
 * to subscribe) stay in the file at `path`; a decision is recorded once
 * (held -> approved or rejected) and a second decision on the same item
 * is refused with the first one's author, so two coordinators cannot
 * both act on it.  An item that waited past its expiry is recorded as
 * rejected by "expired" (HELD_BY_EXPIRY).  A held subscription's delivery
 * mode is the one its moderation token carries (store/token).
 */
#ifndef METODIST_STORE_HELD_H
#define METODIST_STORE_HELD_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#define HELD_KIND_POST		"post"
#define HELD_KIND_SUBSCRIPTION	"subscription"
#define HELD_BY_EXPIRY		"expired"

struct held_post {
	int64_t	 id;
	char	*list;
	char	*kind;		/* HELD_KIND_POST or HELD_KIND_SUBSCRIPTION */
	char	*sender;	/* the author, or the address to subscribe */
	char	*subject;
	char	*reason;
	char	*path;
	char	*state;		/* held, approved, rejected */
	char	*decided_by;	/* "" while held */
	char	*mode;		/* subscription: delivery mode, "" if none */
	int64_t	 created;
	int64_t	 expires;	/* 0 when none was set */
	int64_t	 decided_at;	/* 0 while held */
};

typedef int (*held_fn)(void *arg, const struct held_post *);

/* A held post with no expiry of its own; the new id or -1. */
int64_t	held_add(sqlite3 *, int64_t list_id, const char *sender,
	    const char *subject, const char *reason, const char *path);
/* Any kind, expiring at expires (0: none); the new id or -1. */
int64_t	held_add_kind(sqlite3 *, int64_t list_id, const char *kind,
	    const char *sender, const char *subject, const char *reason,
	    const char *path, time_t expires);
/* 0 found, 1 no such post, -1 error. */
int	held_get(sqlite3 *, int64_t id, struct held_post *);
void	held_post_free(struct held_post *);
/* Items still waiting, oldest first. */
int	held_foreach(sqlite3 *, held_fn, void *arg);
/*
 * Ids of the items still waiting whose expiry is before now (those with
 * none expire max_age seconds after they were held), oldest first, in a
 * new array (*ids, free it); 0 or -1.
 */
int	held_due(sqlite3 *, time_t now, time_t max_age, int64_t **ids,
	    size_t *n);
/* 0 decided now, 1 already decided (see held_get), -1 error. */
int	held_decide(sqlite3 *, int64_t id, const char *state, const char *by);

#endif
