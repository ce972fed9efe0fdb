/*
 * schedule: see schedule.h.
 */
#include <config.h>

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "core/schedule.h"

static const char *const schedule_days_en[] = {
	"sun", "mon", "tue", "wed", "thu", "fri", "sat"
};
static const char *const schedule_days_ru[] = {
	"вс", "пн", "вт", "ср", "чт", "пт", "сб"
};
static const char *const schedule_days_ru_long[] = {
	"воскресенье", "понедельник", "вторник", "среда", "четверг",
	"пятница", "суббота"
};

static int
schedule_day(const char *w)
{
	int	i;

	for (i = 0; i < 7; i++)
		if (strncasecmp(w, schedule_days_en[i], 3) == 0 ||
		    strcmp(w, schedule_days_ru[i]) == 0 ||
		    strcmp(w, schedule_days_ru_long[i]) == 0)
			return i;
	return -1;
}

static int
schedule_clock(const char *w, int *minute)
{
	int	h, m, n = 0;

	if (sscanf(w, "%2d:%2d%n", &h, &m, &n) != 2 || w[n] != '\0' ||
	    h < 0 || h > 23 || m < 0 || m > 59)
		return -1;
	*minute = h * 60 + m;
	return 0;
}

const char *
schedule_parse(const char *text, struct schedule *s)
{
	char	w1[32], w2[32], w3[32];
	int	n;

	memset(s, 0, sizeof s[0]);
	n = sscanf(text, "%31s %31s %31s", w1, w2, w3);
	if (n == 1 && (strcasecmp(w1, "off") == 0 || strcasecmp(w1, "no") ==
	    0 || strcmp(w1, "нет") == 0))
		return NULL;
	if (n == 2 && (strcasecmp(w1, "daily") == 0 ||
	    strcmp(w1, "ежедневно") == 0)) {
		s->kind = SCHEDULE_DAILY;
		return schedule_clock(w2, &s->minute) == 0 ? NULL :
		    "expected a time of day HH:MM, e.g. daily 18:00";
	}
	if (n == 3 && (strcasecmp(w1, "weekly") == 0 ||
	    strcmp(w1, "еженедельно") == 0)) {
		s->kind = SCHEDULE_WEEKLY;
		if ((s->wday = schedule_day(w2)) == -1)
			return "expected a day mon..sun, e.g. weekly mon 09:00";
		return schedule_clock(w3, &s->minute) == 0 ? NULL :
		    "expected a time of day HH:MM, e.g. weekly mon 09:00";
	}
	return "expected off, daily HH:MM or weekly DAY HH:MM";
}

/* The schedule's moment on the local day of t (by calendar day offset). */
static time_t
schedule_on_day(const struct schedule *s, const struct tm *day, int plus)
{
	struct tm	tm = *day;

	tm.tm_mday += plus;
	tm.tm_hour = s->minute / 60;
	tm.tm_min = s->minute % 60;
	tm.tm_sec = 0;
	tm.tm_isdst = -1;
	return mktime(&tm);
}

time_t
schedule_next(const struct schedule *s, time_t t)
{
	struct tm	day, at;
	time_t		next;
	int		plus;

	if (s->kind == SCHEDULE_OFF)
		return 0;
	localtime_r(&t, &day);
	for (plus = 0; plus <= 8; plus++) {
		next = schedule_on_day(s, &day, plus);
		if (next <= t)
			continue;
		localtime_r(&next, &at);
		if (s->kind == SCHEDULE_DAILY || at.tm_wday == s->wday)
			return next;
	}
	return 0;	/* not reached: a week always holds the day */
}

int
schedule_due(const struct schedule *s, time_t last, time_t now)
{
	time_t	next = schedule_next(s, last);

	return next != 0 && next <= now;
}

void
schedule_format(const struct schedule *s, char *out, size_t sz)
{
	switch (s->kind) {
	case SCHEDULE_DAILY:
		snprintf(out, sz, "daily %02d:%02d", s->minute / 60,
		    s->minute % 60);
		break;
	case SCHEDULE_WEEKLY:
		snprintf(out, sz, "weekly %s %02d:%02d",
		    schedule_days_en[s->wday], s->minute / 60, s->minute % 60);
		break;
	default:
		snprintf(out, sz, "off");
	}
}
