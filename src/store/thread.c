/*
 * store/thread: see thread.h.
 */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "store/db.h"
#include "store/thread.h"
#include "util/xmalloc.h"

/* The thread of the list's post with this Message-ID: >0, 0 none, -1. */
static int64_t
thread_of_message(sqlite3 *db, int64_t lid, const char *mid, size_t len)
{
	char	*id;
	int64_t	 t;

	if (len == 0 || len > 998)
		return 0;
	id = xstrndup(mid, len);
	t = db_int(db, 0, "SELECT thread FROM posts WHERE list_id = ?1 AND "
	    "message_id = ?2", "it", lid, id);
	free(id);
	return t;
}

/* The References ids from the last back, each looked up; >0, 0, -1. */
static int64_t
thread_by_refs(sqlite3 *db, int64_t lid, const char *refs)
{
	const char	*starts[THREAD_MAX_REFS], *p, *end;
	size_t		 lens[THREAD_MAX_REFS], n = 0;
	int64_t		 t;

	for (p = refs; p != NULL && (p = strchr(p, '<')) != NULL; p = end) {
		if ((end = strchr(p, '>')) == NULL)
			break;
		if (n == THREAD_MAX_REFS) {
			memmove(starts, starts + 1, (n - 1) * sizeof *starts);
			memmove(lens, lens + 1, (n - 1) * sizeof *lens);
			n--;
		}
		starts[n] = p + 1;
		lens[n++] = (size_t)(end - p - 1);
	}
	while (n-- > 0)
		if ((t = thread_of_message(db, lid, starts[n], lens[n])) != 0)
			return t;
	return 0;
}

static int64_t
thread_by_subject(sqlite3 *db, const struct thread_post *p)
{
	if (p->subject_key == NULL || *p->subject_key == '\0')
		return 0;
	return db_int(db, 0, "SELECT thread FROM posts WHERE list_id = ?1 "
	    "AND subject_key = ?2 AND id != ?3 AND date >= ?4 "
	    "ORDER BY date DESC LIMIT 1", "itii", p->list_id, p->subject_key,
	    p->id, p->date - (int64_t)THREAD_SUBJECT_DAYS * 86400);
}

static int64_t
thread_find(sqlite3 *db, const struct thread_post *p)
{
	int64_t	t = 0;
	int	headers;

	headers = (p->in_reply_to && *p->in_reply_to) ||
	    (p->refs && strchr(p->refs, '<'));
	if (p->in_reply_to != NULL)
		t = thread_of_message(db, p->list_id, p->in_reply_to,
		    strlen(p->in_reply_to));
	if (t == 0)
		t = thread_by_refs(db, p->list_id, p->refs);
	if (t == 0 && (p->is_reply || headers))
		t = thread_by_subject(db, p);
	return t;
}

/* A new first post remembers the ids it answers, to be adopted when one
 * of them arrives. */
static int
thread_wait(sqlite3 *db, const struct thread_post *p)
{
	const char	*q, *end;
	char		*id;
	int		 n = 0, rc = 0;

	if (p->in_reply_to != NULL && *p->in_reply_to != '\0')
		rc = db_exec(db, "INSERT INTO thread_waits (list_id, message_id, "
		    "post_id) VALUES (?1, ?2, ?3)", "iti", p->list_id,
		    p->in_reply_to, p->id);
	for (q = p->refs; rc == 0 && q != NULL && n < THREAD_MAX_REFS &&
	    (q = strchr(q, '<')) != NULL; q = end, n++) {
		if ((end = strchr(q, '>')) == NULL)
			break;
		if (end - q - 1 < 1 || end - q - 1 > 998)
			continue;
		id = xstrndup(q + 1, (size_t)(end - q - 1));
		if (p->in_reply_to == NULL || strcmp(id, p->in_reply_to) != 0)
			rc = db_exec(db, "INSERT INTO thread_waits (list_id, "
			    "message_id, post_id) VALUES (?1, ?2, ?3)", "iti",
			    p->list_id, id, p->id);
		free(id);
	}
	return rc;
}

/* The threads whose first post waited for this one join thread t. */
static int
thread_adopt(sqlite3 *db, const struct thread_post *p, int64_t t)
{
	if (p->message_id == NULL)
		return 0;
	if (db_exec(db, "UPDATE posts SET thread = ?1 WHERE list_id = ?2 AND "
	    "thread IN (SELECT q.number FROM thread_waits w JOIN posts q ON "
	    "q.id = w.post_id WHERE w.list_id = ?2 AND w.message_id = ?3 AND "
	    "q.thread = q.number AND q.number != ?4)", "iiti", t, p->list_id,
	    p->message_id, p->number) == -1)
		return -1;
	return db_exec(db, "DELETE FROM thread_waits WHERE list_id = ?1 AND "
	    "message_id = ?2", "it", p->list_id, p->message_id);
}

int64_t
thread_assign(sqlite3 *db, const struct thread_post *p)
{
	int64_t	t;

	if ((t = thread_find(db, p)) == -1)
		return -1;
	if (t == 0) {
		t = p->number;
		if (thread_wait(db, p) == -1)
			return -1;
	}
	if (db_exec(db, "UPDATE posts SET thread = ?1 WHERE id = ?2", "ii",
	    t, p->id) == -1)
		return -1;
	return thread_adopt(db, p, t) == -1 ? -1 : t;
}

int
thread_forget(sqlite3 *db, int64_t list_id)
{
	return db_exec(db, "DELETE FROM thread_waits WHERE list_id = ?1", "i",
	    list_id);
}
