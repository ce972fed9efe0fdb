/*
 * datetime-ru: the date and time lines people write in announcements,
 * in Russian and English.
 *
 * Contract: datetime_parse() finds the first date in a line of UTF-8 text
 * and the times that follow it, in these styles:
 *   "12 мая 2026, 15:00", "12 мая 2026 г. с 15:00 до 16:30",
 *   "12.05.2026 15:00–16:30", "12/05/2026", "2026-05-12 15:00",
 *   "May 12, 2026 3:00 PM - 4:30 PM", "12 May 2026 at 15:00".
 * Month names in any case, full or cut to three letters (Russian in the
 * genitive or nominative).  A day, month or hour out of range is no date.
 * datetime_parse_times() reads only times ("15:00–16:30", "с 15:00 до
 * 16:30", "3 pm"), for a separate "Время:" line.  Neither knows about
 * time zones: the caller places the result in the site's.
 */
#ifndef METODIST_DATETIME_RU_H
#define METODIST_DATETIME_RU_H

struct datetime_range {
	int	year, month, day;	/* 0 when no date was found */
	int	start_min;		/* minutes after midnight, -1 none */
	int	end_min;		/* -1 none */
};

/* 1 a date was found (times too when given), 0 none. */
int	datetime_parse(const char *line, struct datetime_range *);
/* 1 at least a start time was found (dr's date untouched), 0 none. */
int	datetime_parse_times(const char *line, struct datetime_range *);

#endif
