/*
 * store/digest: what each list's digests have covered.
 *
 * Contract: a list's digest state says the volume, the last issue sent
 * and the number of the last post any digest included; it changes only
 * in the transaction that queues the digest, together with the row of
 * the digest itself, whose (list, volume, issue) is unique, so a digest
 * is recorded at most once.  Posts are read in number order after the
 * last one included, so none is skipped.
 */
#ifndef METODIST_STORE_DIGEST_H
#define METODIST_STORE_DIGEST_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

struct digest_state {
	int64_t	volume;
	int64_t	issue;		/* of the last digest sent, 0 before any */
	int64_t	last_number;	/* last post included */
	int64_t	last_sent;	/* when the schedule last fired */
};

struct digest_pending {
	int64_t	 number;
	char	*path;
	int64_t	 size;
};

/* 0 found, 1 none yet (st set to a fresh state from now), -1 error. */
int	digest_state_get(sqlite3 *, int64_t list_id, int64_t now,
	    struct digest_state *st);
int	digest_state_put(sqlite3 *, int64_t list_id,
	    const struct digest_state *);
/* Up to max posts after the last one included; free with the below. */
int	digest_pending_posts(sqlite3 *, int64_t list_id, int64_t after,
	    size_t max, struct digest_pending **out, size_t *n);
void	digest_pending_free(struct digest_pending *, size_t n);
/* Count and total size of the posts after `after`. */
int	digest_pending_totals(sqlite3 *, int64_t list_id, int64_t after,
	    int64_t *count, int64_t *size);
/* Record a digest sent: 0, or -1 (also when it was recorded before). */
int	digest_record(sqlite3 *, int64_t list_id, const struct digest_state *,
	    int64_t first_number, int64_t now);
/* Calls fn for each digest-mode member whose delivery is on, with
 * format "mime" or "plain"; stops when fn returns non-zero. */
int	digest_recipients(sqlite3 *, int64_t list_id,
	    int (*fn)(void *, const char *addr, const char *format),
	    void *arg);
/* Set a member's digest format: 0 set, 1 not a member, -1 error. */
int	digest_set_format(sqlite3 *, int64_t list_id, const char *addr,
	    int local_ci, const char *format);

#endif
