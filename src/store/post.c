/*
 * store/post: see post.h.
 */
#include <config.h>

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mail/subject.h"
#include "store/db.h"
#include "store/post.h"
#include "store/thread.h"

static int64_t
post_thread(sqlite3 *db, const struct post_record *p, int64_t id,
    int64_t date)
{
	struct thread_post	 t;
	char			*key;
	int64_t			 rc;

	key = subject_key(p->subject);
	memset(&t, 0, sizeof t);
	t.list_id = p->list_id;
	t.id = id;
	t.number = p->number;
	t.date = date;
	t.message_id = p->message_id;
	t.in_reply_to = p->in_reply_to;
	t.refs = p->refs;
	t.subject_key = key;
	t.is_reply = subject_is_reply(p->subject);
	rc = -1;
	if (db_exec(db, "UPDATE posts SET subject_key = ?1 WHERE id = ?2",
	    "ti", key, id) == 0)
		rc = thread_assign(db, &t);
	free(key);
	return rc;
}

int64_t
post_insert(sqlite3 *db, const struct post_record *p)
{
	int64_t	id, now = (int64_t)time(NULL);
	int64_t	date = p->date > 0 ? p->date : now;

	if (db_exec(db, "INSERT INTO posts (list_id, number, message_id, "
	    "subject, author, author_name, in_reply_to, refs, received, size, "
	    "path, date, thread) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,"
	    "?12,?2)", "iittttttiiti",
	    p->list_id, p->number, p->message_id, p->subject,
	    p->author, p->author_name, p->in_reply_to, p->refs,
	    now, p->size, p->path, date) == -1)
		return -1;
	id = sqlite3_last_insert_rowid(db);
	if (post_thread(db, p, id, date) == -1)
		return -1;
	if (db_exec(db, "INSERT INTO posts_fts (rowid, subject, author, body) "
	    "VALUES (?1, ?2, ?3, ?4)", "ittt", id, p->subject, p->author,
	    p->text) == -1)
		return -1;
	return id;
}

int
post_seen(sqlite3 *db, int64_t lid, const char *message_id)
{
	int64_t	n;

	n = db_int(db, 0, "SELECT count(*) FROM posts WHERE list_id = ?1 "
	    "AND message_id = ?2", "it", lid, message_id);
	return n < 0 ? -1 : n > 0;
}
