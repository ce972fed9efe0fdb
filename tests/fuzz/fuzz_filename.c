/*
 * fuzz_filename: filename_safe() on arbitrary names.
 *
 * Contract checked (src/mail/filename.h): the result is never NULL,
 * non-empty, valid UTF-8, at most FILENAME_MAX_BYTES bytes; it holds no
 * '/' or '\\', no C0 or C1 control character or DEL, no bidirectional
 * override or isolate (U+202A..U+202E, U+2066..U+2069, U+200E, U+200F),
 * none of <>:"|?*; it neither starts with '.' or white space nor ends
 * with '.' or white space.  Any broken promise aborts.  With
 * FUZZ_STRICT=1 also: filename_safe() of the result is the result.
 */
#include "config.h"

#include "fuzz.h"
#include "mail/filename.h"

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_log_init("fuzz_filename");
	return 0;
}

static int
fuzz_filename_bad_cp(uint32_t cp)
{
	if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp <= 0x9f))
		return 1;
	if ((cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069) ||
	    cp == 0x200e || cp == 0x200f)
		return 1;
	return cp == '/' || cp == '\\' || (cp < 0x80 &&
	    strchr("<>:\"|?*", (int)cp) != NULL);
}

static void
fuzz_filename_check(const char *f)
{
	const unsigned char	*p = (const unsigned char *)f;
	size_t			 n, i, k;
	uint32_t		 cp;

	FUZZ_CHECK(f != NULL, "filename_safe returned NULL");
	n = strlen(f);
	FUZZ_CHECK(n > 0, "empty name");
	FUZZ_CHECK(n <= FILENAME_MAX_BYTES, "name too long");
	FUZZ_CHECK(fuzz_utf8_valid(f), "name not UTF-8");
	for (i = 0; i < n; i += k) {
		k = fuzz_utf8_seq(p + i, n - i, &cp);
		FUZZ_CHECK(!fuzz_filename_bad_cp(cp),
		    "separator, control, bidi or Windows-refused character");
	}
	FUZZ_CHECK(f[0] != '.' && f[0] != ' ' && f[0] != '\t',
	    "starts with a dot or white space");
	FUZZ_CHECK(f[n - 1] != '.' && f[n - 1] != ' ' && f[n - 1] != '\t',
	    "ends with a dot or white space");
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	char	*in, *f, *g;

	in = fuzz_cstr(data, len);
	f = filename_safe(in);
	fuzz_filename_check(f);
	g = filename_safe(f);
	fuzz_filename_check(g);
	FUZZ_STRICT(strcmp(f, g) == 0, "filename_safe not idempotent");
	free(g);
	free(f);
	free(in);
	return 0;
}
