/*
 * maildate: see maildate.h.
 */
#include <config.h>

#include <libetpan/libetpan.h>
#include <string.h>
#include <time.h>

#include "mail/maildate.h"

time_t
maildate_parse(const char *raw)
{
	struct mailimf_date_time	*dt = NULL;
	struct tm			 tm;
	size_t				 idx = 0;
	time_t				 t;
	int				 zone, off;

	if (raw == NULL || mailimf_date_time_parse(raw, strlen(raw), &idx,
	    &dt) != MAILIMF_NO_ERROR)
		return -1;
	memset(&tm, 0, sizeof tm);
	tm.tm_year = dt->dt_year - 1900;
	tm.tm_mon = dt->dt_month - 1;
	tm.tm_mday = dt->dt_day;
	tm.tm_hour = dt->dt_hour;
	tm.tm_min = dt->dt_min;
	tm.tm_sec = dt->dt_sec;
	zone = dt->dt_zone;
	mailimf_date_time_free(dt);
	if (tm.tm_year < 70 || tm.tm_year > 8099 || tm.tm_mon < 0 ||
	    tm.tm_mon > 11 || tm.tm_mday < 1 || tm.tm_mday > 31)
		return -1;
	if ((t = timegm(&tm)) == (time_t)-1)
		return -1;
	off = (zone / 100) * 3600 + (zone % 100) * 60;
	return t - off;
}
