/*
 * fuzz_replyscan: the lines of arbitrary reply text, walked and told
 * apart by mail/replyscan.
 *
 * Input: the text (it ends at an embedded NUL, as C strings do).
 *
 * Contract checked (src/mail/replyscan.h): the lines follow each other
 * through the whole text, each ending where its "\n" (or "\r\n", or a
 * "\r" that ends the text) begins, so that lines and line ends add up to
 * the text; a line never holds a
 * '\n' nor ends in "\r" taken from its "\r\n"; its kind is one of the
 * eight and is what replyscan_kind() says of it alone; BLANK holds only
 * white space, QUOTED starts (after white space) with '>' or '|',
 * SIGNATURE is "--" trimmed; the marker kinds (intro, header, original,
 * sign-off) only come from lines of valid UTF-8 no longer than
 * REPLYSCAN_MARKER_MAX.  The moderation and review readers, which walk
 * their text with it, have targets of their own.
 */
#include "config.h"

#include "fuzz.h"
#include "mail/replyscan.h"

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_log_init("fuzz_replyscan");
	return 0;
}

static int
fuzz_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' ||
	    c == '\f' || c == '\v';
}

static void
fuzz_replyscan_line(const struct replyscan_line *ln)
{
	size_t	i = 0, n = ln->len;

	FUZZ_CHECK(ln->kind >= REPLYSCAN_BLANK && ln->kind <= REPLYSCAN_TEXT,
	    "kind out of range");
	FUZZ_CHECK(memchr(ln->s, '\n', ln->len) == NULL, "a line holds \\n");
	FUZZ_CHECK(replyscan_kind(ln->s, ln->len) == ln->kind,
	    "the walk and replyscan_kind() disagree");
	while (i < n && fuzz_space(ln->s[i]))
		i++;
	while (n > i && fuzz_space(ln->s[n - 1]))
		n--;
	switch (ln->kind) {
	case REPLYSCAN_BLANK:
		FUZZ_CHECK(i == n, "a blank line with text");
		break;
	case REPLYSCAN_QUOTED:
		FUZZ_CHECK(i < n && (ln->s[i] == '>' || ln->s[i] == '|'),
		    "a quoted line without its mark");
		break;
	case REPLYSCAN_SIGNATURE:
		FUZZ_CHECK(n - i == 2 && ln->s[i] == '-' && ln->s[i + 1] == '-',
		    "a signature line that is not \"--\"");
		break;
	case REPLYSCAN_TEXT:
		break;
	default:
		FUZZ_CHECK(ln->len <= REPLYSCAN_MARKER_MAX,
		    "a marker longer than REPLYSCAN_MARKER_MAX");
		FUZZ_CHECK(fuzz_utf8_valid_len(ln->s, ln->len),
		    "a marker that is not UTF-8");
		break;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct replyscan	 sc;
	struct replyscan_line	 ln;
	char			*text;
	const char		*at;
	size_t			 end;

	text = fuzz_cstr(data, len);
	at = text;
	replyscan_init(&sc, text);
	while (replyscan_next(&sc, &ln)) {
		FUZZ_CHECK(ln.s == at, "a line does not start where the last "
		    "one ended");
		fuzz_replyscan_line(&ln);
		end = ln.len;
		if (ln.s[end] == '\r')
			end++;
		FUZZ_CHECK(ln.s[end] == '\n' || ln.s[end] == '\0',
		    "a line does not end at its line end");
		at = ln.s + end + (ln.s[end] == '\n');
	}
	FUZZ_CHECK(*at == '\0', "the walk stopped before the end");
	FUZZ_CHECK(replyscan_next(&sc, &ln) == 0, "a line after the end");
	free(text);
	return 0;
}
