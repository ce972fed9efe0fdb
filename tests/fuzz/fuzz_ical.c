/*
 * fuzz_ical: ical_parse() on arbitrary bytes.
 *
 * Contract checked (src/mail/ical.h): at most max occurrences, each
 * starting before `until` and ending (or starting) at or after `from`,
 * with an end after its start when there is one, and a uid and summary.
 * A broken promise aborts.
 */
#include "config.h"

#include <time.h>

#include "fuzz.h"
#include "mail/ical.h"

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_log_init("fuzz_ical");
	setenv("TZ", "Asia/Yekaterinburg", 1);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct ical_event	*v;
	size_t			 n, i;
	time_t			 from = 1767225600, until = from + 366 * 86400;

	if (len > 65536 || ical_parse((const char *)data, len, from, until,
	    16, &v, &n) == -1)
		return 0;
	FUZZ_CHECK(n <= 16, "more occurrences than asked");
	for (i = 0; i < n; i++) {
		FUZZ_CHECK(v[i].uid != NULL && v[i].summary != NULL,
		    "occurrence without uid or summary");
		FUZZ_CHECK(v[i].start < until, "starts after the window");
		FUZZ_CHECK((v[i].end ? v[i].end : v[i].start) >= from ||
		    v[i].recurring, "ends before the window");
		FUZZ_CHECK(v[i].end == 0 || v[i].end > v[i].start,
		    "ends before it starts");
	}
	ical_free(v, n);
	return 0;
}
