/*
 * fuzz_datetime: datetime_parse() and datetime_parse_times() on
 * arbitrary text.
 *
 * Contract checked (src/mail/datetime-ru.h): a date found is a real
 * calendar day (month 1..12, day within the month, year 1970..2200);
 * times are minutes of a day (0..1439) or -1, and an end is given only
 * with a start.  A broken promise aborts.
 */
#include "config.h"

#include "fuzz.h"
#include "mail/datetime-ru.h"

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_log_init("fuzz_datetime");
	return 0;
}

static void
fuzz_datetime_times(const struct datetime_range *dr)
{
	FUZZ_CHECK(dr->start_min >= -1 && dr->start_min < 1440,
	    "start out of the day");
	FUZZ_CHECK(dr->end_min >= -1 && dr->end_min < 1440,
	    "end out of the day");
	FUZZ_CHECK(dr->end_min == -1 || dr->start_min >= 0,
	    "an end without a start");
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct datetime_range	 dr;
	char			*s;

	if (len > 4096)
		return 0;
	s = fuzz_cstr(data, len);
	if (datetime_parse(s, &dr)) {
		FUZZ_CHECK(dr.month >= 1 && dr.month <= 12, "month");
		FUZZ_CHECK(dr.day >= 1 && dr.day <= 31, "day");
		FUZZ_CHECK(dr.year >= 1970 && dr.year <= 2200, "year");
		FUZZ_CHECK(!(dr.month == 2 && dr.day > 29), "30 February");
		fuzz_datetime_times(&dr);
	}
	dr.start_min = dr.end_min = -1;
	if (datetime_parse_times(s, &dr))
		FUZZ_CHECK(dr.start_min >= 0, "times without a start");
	fuzz_datetime_times(&dr);
	free(s);
	return 0;
}
