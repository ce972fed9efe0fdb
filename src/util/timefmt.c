/*
 * timefmt: see timefmt.h.
 */
#include <config.h>

#include <stdio.h>
#include <string.h>

#include "util/timefmt.h"

static const char *const timefmt_wday[] = {
	"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"
};
static const char *const timefmt_mon[] = {
	"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
	"Nov", "Dec"
};
static const char *const timefmt_mon_ru[] = {
	"января", "февраля", "марта", "апреля", "мая", "июня", "июля",
	"августа", "сентября", "октября", "ноября", "декабря"
};
static const char *const timefmt_mon_en[] = {
	"January", "February", "March", "April", "May", "June", "July",
	"August", "September", "October", "November", "December"
};

void
time_rfc5322(time_t t, char *out, size_t sz)
{
	struct tm	tm;
	long		off;

	localtime_r(&t, &tm);
	off = tm.tm_gmtoff / 60;
	snprintf(out, sz, "%s, %d %s %d %02d:%02d:%02d %c%02ld%02ld",
	    timefmt_wday[tm.tm_wday], tm.tm_mday, timefmt_mon[tm.tm_mon],
	    tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec,
	    off < 0 ? '-' : '+', (off < 0 ? -off : off) / 60,
	    (off < 0 ? -off : off) % 60);
}

void
time_day(time_t t, char *out, size_t sz)
{
	struct tm	tm;

	localtime_r(&t, &tm);
	snprintf(out, sz, "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1,
	    tm.tm_mday);
}

void
time_hour(time_t t, char *out, size_t sz)
{
	struct tm	tm;

	localtime_r(&t, &tm);
	snprintf(out, sz, "%04d-%02d-%02dT%02d", tm.tm_year + 1900,
	    tm.tm_mon + 1, tm.tm_mday, tm.tm_hour);
}

void
time_human_date(time_t t, const char *lang, char *out, size_t sz)
{
	struct tm	tm;

	localtime_r(&t, &tm);
	snprintf(out, sz, "%d %s %d", tm.tm_mday, strcmp(lang, "en") == 0 ?
	    timefmt_mon_en[tm.tm_mon] : timefmt_mon_ru[tm.tm_mon],
	    tm.tm_year + 1900);
}
