/*
 * store/member: who is on each list and how they receive it.
 *
 * Contract: addresses are stored as address_normalize() gives them; the
 * comparison of local parts is exact unless the caller asks for case
 * blindness (the site's local_part_case).  A member appears at most once
 * per list.  A negative list id (the -1 of a failed list lookup) is an
 * error for every function here, never "no members".
 */
#ifndef METODIST_STORE_MEMBER_H
#define METODIST_STORE_MEMBER_H

#include <sqlite3.h>
#include <stdint.h>

struct member {
	int64_t	 id;
	char	*address;
	char	*name;
	char	*mode;		/* normal, digest, nomail */
};

typedef int (*member_fn)(void *arg, const struct member *);

/* 0 added, 1 already a member, -1 error. */
int	member_add(sqlite3 *, int64_t list_id, const char *addr,
	    const char *name, const char *mode);
/* 0 removed, 1 was not a member, -1 error. */
int	member_remove(sqlite3 *, int64_t list_id, const char *addr,
	    int local_ci);
/* 1 member, 0 not, -1 error. */
int	member_is(sqlite3 *, int64_t list_id, const char *addr, int local_ci);
/* Calls fn for each member in address order: with mode NULL every member,
 * else those in that mode whose delivery is not disabled (by bounces);
 * stops early when fn returns non-zero and returns that value. */
int	member_foreach(sqlite3 *, int64_t list_id, const char *mode,
	    member_fn, void *arg);
int64_t	member_count(sqlite3 *, int64_t list_id);
/* Resume delivery to a member that bounces had disabled, clearing the
 * score: 1 resumed, 0 was not disabled (or no such member), -1 error. */
int	member_enable(sqlite3 *, int64_t list_id, const char *addr,
	    int local_ci);

#endif
