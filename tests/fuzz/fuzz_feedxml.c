/*
 * fuzz_feedxml: feedxml_parse() on arbitrary bytes.
 *
 * Contract checked (src/io/feedxml.h): at most max items; every item has
 * a key and a title; texts are valid UTF-8 no longer than
 * FEEDXML_TEXT_MAX; on -1 nothing is returned.  A broken promise aborts.
 */
#include "config.h"

#include "fuzz.h"
#include "io/feedxml.h"

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_log_init("fuzz_feedxml");
	return 0;
}

static void
fuzz_feedxml_text(const char *s)
{
	if (s == NULL)
		return;
	FUZZ_CHECK(strlen(s) <= FEEDXML_TEXT_MAX, "text too long");
	FUZZ_CHECK(fuzz_utf8_valid(s), "text not UTF-8");
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct feed_item	*v;
	size_t			 n, i;
	char			 err[128];

	if (feedxml_parse((const char *)data, len, 8, &v, &n, err,
	    sizeof err) == -1) {
		FUZZ_CHECK(v == NULL && n == 0, "items after an error");
		return 0;
	}
	FUZZ_CHECK(n <= 8, "more items than asked");
	for (i = 0; i < n; i++) {
		FUZZ_CHECK(v[i].key != NULL && v[i].title != NULL,
		    "item without key or title");
		fuzz_feedxml_text(v[i].key);
		fuzz_feedxml_text(v[i].title);
		fuzz_feedxml_text(v[i].link);
		fuzz_feedxml_text(v[i].summary);
	}
	feedxml_free(v, n);
	return 0;
}
