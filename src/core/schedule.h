/*
 * schedule: when periodic mail (digests, the newsletter) is due.
 *
 * Contract: a schedule is "off", "daily HH:MM" or "weekly DAY HH:MM"
 * (DAY mon..sun, or Russian пн..вс / понедельник..воскресенье);
 * schedule_parse() accepts nothing else and says why.  Times are local
 * (the process's TZ, set from the site's timezone), so "daily 18:00"
 * stays 18:00 across a change of UTC offset.  schedule_next() is pure
 * arithmetic on the time it is given: the clock is the caller's, so
 * tests drive it without sleeping.
 */
#ifndef METODIST_SCHEDULE_H
#define METODIST_SCHEDULE_H

#include <stddef.h>
#include <time.h>

enum schedule_kind {
	SCHEDULE_OFF,
	SCHEDULE_DAILY,
	SCHEDULE_WEEKLY
};

struct schedule {
	enum schedule_kind	kind;
	int			wday;		/* 0 Sunday .. 6, weekly */
	int			minute;		/* of the day, 0..1439 */
};

/* NULL when s was filled, else a message for the configuration check. */
const char	*schedule_parse(const char *text, struct schedule *s);
/* The first moment of the schedule strictly after t; 0 when off. */
time_t		 schedule_next(const struct schedule *, time_t t);
/* Due at now when a moment of the schedule fell in (last, now]. */
int		 schedule_due(const struct schedule *, time_t last, time_t now);
/* "weekly mon 09:00" and the like, for logs and the CLI. */
void		 schedule_format(const struct schedule *, char *, size_t);

#endif
