/*
 * store/report: the kept figures of the monthly indicator report.
 *
 * Contract: a snapshot is the figures of one month ("YYYY-MM") for one
 * scope ("" the whole site, else a list's name), as text the core report
 * module writes and reads back.  Once stored a snapshot is never changed
 * (report_snapshot_put() of an existing month and scope does nothing and
 * says so), except that report_snapshot_mailed() records when it was
 * mailed.  Runs in the caller's transaction when there is one.
 */
#ifndef METODIST_STORE_REPORT_H
#define METODIST_STORE_REPORT_H

#include <sqlite3.h>
#include <stdint.h>
#include <time.h>

struct report_snapshot {
	char	 month[8];	/* "YYYY-MM" */
	char	*scope;
	int64_t	 computed;	/* when the figures were computed */
	char	*figures;
	int64_t	 mailed;	/* 0 when not yet */
};

/* 0 stored, 1 already kept (unchanged), -1 error. */
int	report_snapshot_put(sqlite3 *, const char *month, const char *scope,
	    time_t computed, const char *figures);
/* 0 found (*out filled), 1 none, -1 error. */
int	report_snapshot_get(sqlite3 *, const char *month, const char *scope,
	    struct report_snapshot *out);
/*
 * The snapshots of scope kept for months before month and computed no
 * later than computed, newest first, at most max; *out is an array for
 * report_snapshots_free.  0 or -1.
 */
int	report_snapshot_history(sqlite3 *, const char *month,
	    const char *scope, time_t computed, size_t max,
	    struct report_snapshot **out, size_t *n);
/* Snapshots of month not yet mailed: their scopes, an array for
 * str_array_free.  0 or -1. */
int	report_snapshot_unmailed(sqlite3 *, const char *month, char ***scopes,
	    size_t *n);
int	report_snapshot_mailed(sqlite3 *, const char *month, const char *scope,
	    time_t when);
void	report_snapshot_free(struct report_snapshot *);
void	report_snapshots_free(struct report_snapshot *, size_t n);

#endif
