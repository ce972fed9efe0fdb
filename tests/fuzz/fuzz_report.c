/*
 * fuzz_report: the kept figures of the indicator report read back, then
 * rendered.
 *
 * Input: the text of a kept snapshot (report_serialize's form).
 *
 * Contract checked (src/core/report.h, src/render/report.h):
 * report_parse() accepts or refuses without crashing; what it accepts
 * has a valid month and bounded counts, renders as HTML, CSV and text
 * without crashing, and serializes to a text that parses again to the
 * same serialization (the kept text is a fixed point).
 */
#include "config.h"

#include "fuzz.h"
#include "core/report.h"
#include "render/report.h"

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_log_init("fuzz_report");
	setenv("TZ", "Asia/Yekaterinburg", 1);
	return 0;
}

static void
fuzz_report_render(const struct report *r)
{
	char	*out;

	out = report_html(r, "site");
	FUZZ_CHECK(strstr(out, "<script") == NULL, "a script in the HTML");
	free(out);
	free(report_csv(r));
	free(report_text(r, "site"));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct report	 r, again;
	char		*text = fuzz_cstr(data, len), *s1, *s2;

	if (report_parse(text, &r) == 0) {
		FUZZ_CHECK(report_month_valid(r.month), "accepted a bad month");
		fuzz_report_render(&r);
		s1 = report_serialize(&r);
		FUZZ_CHECK(report_parse(s1, &again) == 0,
		    "its own serialization refused");
		s2 = report_serialize(&again);
		FUZZ_STRICT(strcmp(s1, s2) == 0, "serialization not stable");
		free(s1);
		free(s2);
		report_free(&again);
		report_free(&r);
	}
	free(text);
	return 0;
}
