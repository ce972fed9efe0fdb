/*
 * store/list: the database's row for each configured list.
 *
 * Contract: a list's row is created the first time it is asked for and
 * never deleted (posts and members refer to it).  Post numbers are
 * allocated here, inside the caller's transaction, so they are dense and
 * never reused.
 */
#ifndef METODIST_STORE_LIST_H
#define METODIST_STORE_LIST_H

#include <sqlite3.h>
#include <stdint.h>

/* The list's id, creating its row if needed; -1 on error. */
int64_t	list_id(sqlite3 *, const char *name);
/* The next post number of the list; call inside a transaction. */
int64_t	list_next_post_number(sqlite3 *, int64_t list_id);

#endif
