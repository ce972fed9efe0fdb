/*
 * pace: the hourly sending cap of a hosted mailbox's submission server.
 *
 * Hosted providers limit how many recipients an account may send to per
 * hour (and per day); past the limit they refuse or lock the account.
 * With [egress] max_per_hour = N the outbound queue never exceeds N
 * copies in any sliding hour, and spreads them: at most ceil(N / 60) in
 * any sliding minute, so a post to a large list or a newsletter goes
 * out steadily through the hour instead of in one burst that then
 * blocks the replies for an hour.  What does not fit simply stays due
 * (not deferred, no attempt counted) and goes on a later tick.
 *
 * Contract: pace_allowance() is the arithmetic alone: how many may go
 * now given what went in the last hour and the last minute (never
 * negative; unlimited when the cap is 0).  pace_budget() counts the
 * sent deliveries in the database and applies it.
 */
#ifndef METODIST_PACE_H
#define METODIST_PACE_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <sqlite3.h>

#define PACE_UNLIMITED	((size_t)-1)

size_t	pace_per_minute(int per_hour);
size_t	pace_allowance(int per_hour, int64_t sent_last_hour,
	    int64_t sent_last_minute);
/* The allowance now; -1 on a database error. */
int	pace_budget(sqlite3 *, int per_hour, time_t now, size_t *allow);

#endif
