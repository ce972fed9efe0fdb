/*
 * store/queue: the outbound queue and each recipient's delivery state.
 *
 * Contract: an outbound message is one file (its bytes, the same for all
 * recipients) and one row per recipient.  A recipient's state moves only
 * forward: pending -> sent, or pending -> failed; a deferral keeps it
 * pending with a later next_attempt.  Each change is committed on its own,
 * right after the transport's answer, so a crash loses at most the
 * knowledge of one delivery in flight and never resends what was marked
 * sent.  Each delivery has a random token for its VERP return path.
 */
#ifndef METODIST_STORE_QUEUE_H
#define METODIST_STORE_QUEUE_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

struct delivery {
	int64_t	 id;
	int64_t	 outbound_id;
	char	*recipient;
	char	*token;
	char	*path;
	char	*envelope_from;
	char	*list;		/* list name, or "" */
	int	 attempts;
	int64_t	 created;
};

/* kind: post, reply or notice; list_id and post_id 0 when none. */
int64_t	queue_outbound(sqlite3 *, const char *kind, int64_t list_id,
	    int64_t post_id, const char *path, const char *envelope_from);
/* 0 added, 1 already there, -1 error. */
int	queue_add_recipient(sqlite3 *, int64_t outbound_id, const char *rcpt);
/* Every member of the list in normal mode and not disabled, in one
 * statement (a list of 100,000 is one step, not 100,000); each with its
 * own random token.  The number added, or -1. */
int64_t	queue_add_members(sqlite3 *, int64_t outbound_id, int64_t list_id);
/* Up to max deliveries due at now; *out is an array to queue_free. */
int	queue_due(sqlite3 *, time_t now, size_t max, struct delivery **out,
	    size_t *n);
void	queue_free(struct delivery *, size_t n);
/*
 * Take a due delivery for sending: its next_attempt moves lease seconds
 * ahead, so no other runner takes it meanwhile and a runner that dies
 * mid-send leaves it to be retried after the lease.  1 taken, 0 taken by
 * another runner, -1 error.
 */
int	queue_claim(sqlite3 *, int64_t delivery_id, time_t now, time_t lease);
/*
 * Free the leases of runners that died (a crash, kill -9): pending
 * deliveries claimed by a process that no longer exists become due now.
 * Returns how many were freed, or -1.
 */
int	queue_release_orphans(sqlite3 *, time_t now);
int	queue_mark_sent(sqlite3 *, int64_t delivery_id);
/* Many at once, in one transaction of their own. */
int	queue_mark_sent_many(sqlite3 *, const int64_t *ids, size_t n);
int	queue_mark_deferred(sqlite3 *, int64_t delivery_id, time_t next,
	    const char *error);
int	queue_mark_failed(sqlite3 *, int64_t delivery_id, const char *error);
int64_t	queue_pending(sqlite3 *);

#endif
