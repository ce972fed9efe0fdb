/*
 * timefmt: times as mail and people read them, in the local timezone.
 *
 * Contract: the local timezone is the process's (TZ, which the programs
 * set from the site's configuration).  Month and day names in RFC 5322
 * dates are always English, whatever the locale.
 */
#ifndef METODIST_TIMEFMT_H
#define METODIST_TIMEFMT_H

#include <stddef.h>
#include <time.h>

/* "Fri, 27 Nov 2026 10:00:00 +0500" */
void	time_rfc5322(time_t, char *, size_t);
/* "2026-11-27" */
void	time_day(time_t, char *, size_t);
/* "2026-11-27T04": the hour, sorting after its day */
void	time_hour(time_t, char *, size_t);
/* "27 ноября 2026" (ru) or "27 November 2026" (en) */
void	time_human_date(time_t, const char *lang, char *, size_t);

#endif
