/*
 * store/post: the archive index of accepted posts.
 *
 * Contract: a post is recorded once per list and Message-ID (the unique
 * key suppresses duplicates); its number is the list's next, allocated in
 * the same transaction; its text goes into the full-text index under the
 * same rowid.  The archived bytes themselves live in the file at `path`.
 * The post is placed in its thread (store/thread.h) in the same
 * transaction; `date` (seconds, from its Date header) orders the archive
 * and 0 means "when it arrived".
 */
#ifndef METODIST_STORE_POST_H
#define METODIST_STORE_POST_H

#include <sqlite3.h>
#include <stdint.h>

struct post_record {
	int64_t		 list_id;
	int64_t		 number;
	const char	*message_id;
	const char	*subject;
	const char	*author;
	const char	*author_name;
	const char	*in_reply_to;
	const char	*refs;
	int64_t		 size;
	const char	*path;
	const char	*text;		/* for the full-text index */
	int64_t		 date;		/* Date:, or 0 for now */
};

/* The new post's id, or -1. */
int64_t	post_insert(sqlite3 *, const struct post_record *);
/* 1 when the list already has a post with this Message-ID, 0 if not, -1. */
int	post_seen(sqlite3 *, int64_t list_id, const char *message_id);

#endif
