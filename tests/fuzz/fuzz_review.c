/*
 * fuzz_review: review_decision_parse() on arbitrary replies.
 *
 * Input: the first line is the Subject, the rest the text (both end at
 * an embedded NUL, as C strings do).
 *
 * Contract checked (src/core/review.h): the decision is one of the four
 * values; *comment is set (possibly "") exactly when a decision was
 * found, NULL otherwise; it is bounded; for valid UTF-8 input it is valid
 * UTF-8.
 */
#include "config.h"

#include "core/review.h"
#include "fuzz.h"

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_log_init("fuzz_review");
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	enum review_decision	 d;
	char			*all, *subject, *text, *nl, *comment;

	all = fuzz_cstr(data, len);
	subject = all;
	if ((nl = strchr(all, '\n')) != NULL) {
		*nl = '\0';
		text = nl + 1;
	} else
		text = all + strlen(all);
	comment = (char *)"untouched";
	d = review_decision_parse(text, subject, &comment);
	FUZZ_CHECK(d == REVIEW_NONE || d == REVIEW_APPROVE ||
	    d == REVIEW_REVISE || d == REVIEW_REJECT, "decision out of range");
	if (d != REVIEW_NONE) {
		FUZZ_CHECK(comment != NULL, "a decision without a comment");
		FUZZ_CHECK(strlen(comment) <= 8000 + strlen(subject),
		    "comment unbounded");
		if (fuzz_utf8_valid(subject) && fuzz_utf8_valid(text))
			FUZZ_CHECK(fuzz_utf8_valid(comment),
			    "comment not UTF-8");
		free(comment);
	} else
		FUZZ_CHECK(comment == NULL, "comment set without a decision");
	free(all);
	return 0;
}
