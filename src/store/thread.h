/*
 * store/thread: which conversation a post belongs to.
 *
 * Contract: a thread is named by the number of its first post; every
 * post's `thread` column holds it.  thread_assign() places a newly
 * inserted post: into the thread of the nearest post it answers that the
 * list has (In-Reply-To first, then References from the last to the
 * first); failing that, when it looks like an answer (a reply prefix, or
 * reply headers that found nothing), into the most recent thread of the
 * last THREAD_SUBJECT_DAYS days with the same normalised subject; else
 * it starts its own, and the ids it answers wait for their posts
 * (table thread_waits).  When a post arrives that first posts of other
 * threads were waiting for, those threads join the new post's thread.
 * Every step is an indexed lookup.  Returns the thread number or -1.
 * thread_forget() drops the list's waits, before threading it again.
 */
#ifndef METODIST_STORE_THREAD_H
#define METODIST_STORE_THREAD_H

#include <sqlite3.h>
#include <stdint.h>

#define THREAD_SUBJECT_DAYS	120
#define THREAD_MAX_REFS		50

struct thread_post {
	int64_t		 list_id;
	int64_t		 id;		/* posts.id */
	int64_t		 number;
	int64_t		 date;
	const char	*message_id;
	const char	*in_reply_to;
	const char	*refs;		/* raw References value */
	const char	*subject_key;
	int		 is_reply;	/* Subject had a reply prefix */
};

int64_t	thread_assign(sqlite3 *, const struct thread_post *);
int	thread_forget(sqlite3 *, int64_t list_id);

#endif
