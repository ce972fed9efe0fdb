/*
 * store/post: see post.h.
 */
#include <config.h>

#include <time.h>

#include "store/db.h"
#include "store/post.h"

int64_t
post_insert(sqlite3 *db, const struct post_record *p)
{
	int64_t	id;

	if (db_exec(db, "INSERT INTO posts (list_id, number, message_id, "
	    "subject, author, author_name, in_reply_to, refs, received, size, "
	    "path) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11)", "iittttttiit",
	    p->list_id, p->number, p->message_id, p->subject,
	    p->author, p->author_name, p->in_reply_to, p->refs,
	    (int64_t)time(NULL), p->size, p->path) == -1)
		return -1;
	id = sqlite3_last_insert_rowid(db);
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
