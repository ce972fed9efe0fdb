/*
 * fuzz_moderate: moderate_decision_parse() on arbitrary replies.
 *
 * Input: the first line is the Subject, the rest the text (both end at
 * an embedded NUL, as C strings do).
 *
 * Contract checked (src/core/moderate.h): the decision is one of the four
 * values; *reason is set (possibly "") exactly for MODERATE_REJECT and
 * NULL otherwise; for valid UTF-8 input the reason is valid UTF-8.
 */
#include "config.h"

#include "core/moderate.h"
#include "fuzz.h"

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_log_init("fuzz_moderate");
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	enum moderate_decision	 d;
	char			*all, *subject, *text, *nl, *reason;

	all = fuzz_cstr(data, len);
	subject = all;
	if ((nl = strchr(all, '\n')) != NULL) {
		*nl = '\0';
		text = nl + 1;
	} else
		text = all + strlen(all);
	reason = (char *)"untouched";
	d = moderate_decision_parse(text, subject, &reason);
	FUZZ_CHECK(d == MODERATE_NONE || d == MODERATE_APPROVE ||
	    d == MODERATE_REJECT || d == MODERATE_DISCARD,
	    "decision out of range");
	if (d == MODERATE_REJECT) {
		FUZZ_CHECK(reason != NULL, "rejection without a reason");
		if (fuzz_utf8_valid(subject) && fuzz_utf8_valid(text))
			FUZZ_CHECK(fuzz_utf8_valid(reason), "reason not UTF-8");
		free(reason);
	} else
		FUZZ_CHECK(reason == NULL, "reason set without a rejection");
	free(all);
	return 0;
}
