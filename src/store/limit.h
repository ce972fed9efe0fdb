/*
 * store/limit: counters that keep the gateway from answering too much.
 *
 * Contract: limit_reply_take() counts one reply to an address on a day
 * (the caller's "YYYY-MM-DD") and says whether it is still within max;
 * the count is taken even when over, so a flood stays visible.
 */
#ifndef METODIST_STORE_LIMIT_H
#define METODIST_STORE_LIMIT_H

#include <sqlite3.h>
#include <stdint.h>

/* 1 allowed, 0 over the limit, -1 error. */
int	limit_reply_take(sqlite3 *, const char *addr, const char *day,
	    int64_t max);

#endif
