/*
 * store/teacher: the teacher registry, one row per e-mail address.
 *
 * Contract: a teacher is keyed by the address as address_normalize()
 * gives it.  teacher_upsert() adds a new teacher, or changes an existing
 * one only where a given field differs, so loading the same data twice
 * changes nothing (and leaves "updated" alone).  A NULL school,
 * municipality or subject means "not given": the stored value is kept;
 * an empty string is a value and clears it.  It runs in the caller's
 * transaction when there is one.
 */
#ifndef METODIST_STORE_TEACHER_H
#define METODIST_STORE_TEACHER_H

#include <sqlite3.h>
#include <stdint.h>
#include <time.h>

struct teacher {
	char	*email;
	char	*full_name;
	char	*school;	/* NULL: not given */
	char	*municipality;	/* NULL: not given */
	char	*subject;	/* NULL: not given */
	int64_t	 imported;	/* first loaded */
	int64_t	 updated;	/* last changed */
};

enum teacher_change {
	TEACHER_ADDED,
	TEACHER_UPDATED,
	TEACHER_UNCHANGED
};

/* A teacher_change, or -1 on error. */
int	teacher_upsert(sqlite3 *, const struct teacher *, time_t now);
/* Teachers in the registry, -1 on error. */
int64_t	teacher_count(sqlite3 *);
/* 0 found (t filled, "" for absent values), 1 no such teacher, -1 error. */
int	teacher_get(sqlite3 *, const char *email, struct teacher *);
void	teacher_free(struct teacher *);
/*
 * 1 when an invitation to the list is waiting for the address (a token of
 * kind 'invite', unused and not expired at now), 0 when not, -1 on error.
 */
int	teacher_invited(sqlite3 *, int64_t list_id, const char *email,
	    time_t now);

#endif
