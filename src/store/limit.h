/*
 * store/limit: counters that keep the gateway from doing or answering too
 * much for one address or one list.
 *
 * Contract: limit_take() counts one event under KEY in WINDOW (any string
 * that names a period and sorts by time: "2026-11-27" for a day,
 * "2026-11-27T04" for an hour) and says whether the count is still
 * within max; the count is taken even when over, so a flood stays
 * visible.  Keys are namespaced by their user ("archive:ADDR",
 * "post:LIST:ADDR"); a bare address counts replies.  limit_purge() drops
 * the windows that sort before a day.
 */
#ifndef METODIST_STORE_LIMIT_H
#define METODIST_STORE_LIMIT_H

#include <sqlite3.h>
#include <stdint.h>

/* 1 allowed, 0 over the limit, -1 error. */
int	limit_take(sqlite3 *, const char *key, const char *window,
	    int64_t max);
/* The count under key in window after limit_take(); -1 on error. */
int64_t	limit_count(sqlite3 *, const char *key, const char *window);
/* Forget windows before day ("YYYY-MM-DD"); 0 or -1. */
int	limit_purge(sqlite3 *, const char *day);

#endif
