/*
 * ical: iCalendar (RFC 5545) events read and written with libical.
 *
 * Contract: ical_parse() reads every VEVENT of a calendar and gives one
 * occurrence per instance: a recurring event (RRULE, less its EXDATEs) is
 * expanded from `from` up to (not including) `until`, at most `max`
 * occurrences in all;
 * a single event is kept when it ends (or starts) at or after `from`.
 * Times with a TZID are placed in that zone, UTC times as UTC, floating
 * times and whole days in the process's local zone (the site's).  Texts
 * are UTF-8 as the calendar gave them.  A cancelled VEVENT (STATUS:
 * CANCELLED) is skipped.  It returns -1 when the text is no calendar.
 * ical_make() writes one event as a calendar (METHOD:PUBLISH) that mail
 * clients add to their calendars, CRLF line ends.
 */
#ifndef METODIST_ICAL_H
#define METODIST_ICAL_H

#include <stddef.h>
#include <time.h>

struct ical_event {
	char	*uid;
	char	*summary;
	char	*location;	/* or NULL */
	char	*url;		/* or NULL */
	char	*description;	/* or NULL */
	time_t	 start;
	time_t	 end;		/* 0 when none */
	int	 all_day;
	int	 recurring;	/* an instance of an RRULE */
};

int	ical_parse(const char *text, size_t len, time_t from, time_t until,
	    size_t max, struct ical_event **out, size_t *n);
void	ical_free(struct ical_event *, size_t n);
/* A new string; uid must be globally unique (e.g. "N@domain"). */
char	*ical_make(const struct ical_event *, const char *prodid);

#endif
