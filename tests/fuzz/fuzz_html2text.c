/*
 * fuzz_html2text: html2text() on arbitrary bytes.
 *
 * Contract checked (src/mail/html2text.h): the input is len bytes with no
 * NUL after them (ASan catches any read past len); the result is never
 * NULL and is valid UTF-8.  The contract asks for UTF-8 input, so the
 * target also runs the valid-UTF-8 prefix of the input separately; the
 * raw bytes are given too, since mail does not always keep promises.
 */
#include "config.h"

#include "fuzz.h"
#include "mail/html2text.h"

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_log_init("fuzz_html2text");
	return 0;
}

static size_t
fuzz_html_utf8_prefix(const uint8_t *data, size_t len)
{
	size_t		i, k;
	uint32_t	cp;

	for (i = 0; i < len; i += k)
		if ((k = fuzz_utf8_seq(data + i, len - i, &cp)) == 0)
			break;
	return i;
}

static void
fuzz_html_one(const uint8_t *data, size_t len, int strict)
{
	char	*html, *t;

	if ((html = malloc(len ? len : 1)) == NULL)
		abort();
	if (len > 0)
		memcpy(html, data, len);
	t = html2text(html, len);
	FUZZ_CHECK(t != NULL, "html2text returned NULL");
	if (strict)
		FUZZ_CHECK(fuzz_utf8_valid(t),
		    "html2text of UTF-8 input not UTF-8");
	free(t);
	free(html);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	size_t	n;

	n = fuzz_html_utf8_prefix(data, len);
	fuzz_html_one(data, n, 1);
	if (n < len)
		fuzz_html_one(data, len, 0);
	return 0;
}
