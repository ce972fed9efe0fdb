/*
 * pace: see pace.h.
 */
#include <config.h>

#include "core/pace.h"
#include "store/db.h"

size_t
pace_per_minute(int per_hour)
{
	if (per_hour <= 0)
		return PACE_UNLIMITED;
	return ((size_t)per_hour + 59) / 60;
}

size_t
pace_allowance(int per_hour, int64_t sent_last_hour,
    int64_t sent_last_minute)
{
	int64_t	hour_left, minute_left;

	if (per_hour <= 0)
		return PACE_UNLIMITED;
	hour_left = (int64_t)per_hour - sent_last_hour;
	minute_left = (int64_t)pace_per_minute(per_hour) - sent_last_minute;
	if (hour_left <= 0 || minute_left <= 0)
		return 0;
	return (size_t)(hour_left < minute_left ? hour_left : minute_left);
}

static int64_t
pace_sent_since(sqlite3 *db, time_t since)
{
	return db_int(db, 0, "SELECT count(*) FROM deliveries WHERE state = "
	    "'sent' AND updated > ?1", "i", (int64_t)since);
}

int
pace_budget(sqlite3 *db, int per_hour, time_t now, size_t *allow)
{
	int64_t	hour, minute;

	if (per_hour <= 0) {
		*allow = PACE_UNLIMITED;
		return 0;
	}
	if ((hour = pace_sent_since(db, now - 3600)) < 0 ||
	    (minute = pace_sent_since(db, now - 60)) < 0)
		return -1;
	*allow = pace_allowance(per_hour, hour, minute);
	return 0;
}
