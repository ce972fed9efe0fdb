/*
 * store/held: posts held for a coordinator's decision.
 *
 * Contract: a held post's raw bytes stay in the file at `path` until it is
 * decided; a decision is recorded once (held -> approved or rejected) and
 * a second decision on the same post is refused with the first one's
 * author, so two coordinators cannot both act on it.
 */
#ifndef METODIST_STORE_HELD_H
#define METODIST_STORE_HELD_H

#include <sqlite3.h>
#include <stdint.h>

struct held_post {
	int64_t	 id;
	char	*list;
	char	*sender;
	char	*subject;
	char	*reason;
	char	*path;
	char	*state;
	char	*decided_by;
	int64_t	 created;
};

typedef int (*held_fn)(void *arg, const struct held_post *);

int64_t	held_add(sqlite3 *, int64_t list_id, const char *sender,
	    const char *subject, const char *reason, const char *path);
/* 0 found, 1 no such post, -1 error. */
int	held_get(sqlite3 *, int64_t id, struct held_post *);
void	held_post_free(struct held_post *);
/* Posts still waiting, oldest first. */
int	held_foreach(sqlite3 *, held_fn, void *arg);
/* 0 decided now, 1 already decided (see held_get), -1 error. */
int	held_decide(sqlite3 *, int64_t id, const char *state, const char *by);

#endif
