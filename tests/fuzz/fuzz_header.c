/*
 * fuzz_header: header_split(), and a header_decode() / header_encode()
 * round trip, on arbitrary bytes.
 *
 * Contract checked (src/mail/header.h): header_split() stays within len
 * and records at most HEADER_MAX_FIELDS fields, each inside the input;
 * header_value() of every field decodes to valid UTF-8.  For the whole
 * input as one value: d1 = header_decode(raw) is valid UTF-8; e =
 * header_encode(d1) is plain ASCII (RFC 2047 words and folding); d2 =
 * header_decode(e) is valid UTF-8 again.  A broken promise aborts.
 */
#include "config.h"

#include "fuzz.h"
#include "mail/header.h"

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_log_init("fuzz_header");
	return 0;
}

static void
fuzz_header_split(const char *raw, size_t len)
{
	struct header_list	 hl;
	char			*v, *d;
	size_t			 i;

	header_split(raw, len, &hl);
	FUZZ_CHECK(hl.nfields <= HEADER_MAX_FIELDS, "too many fields");
	FUZZ_CHECK(hl.body_offset <= len, "body_offset beyond input");
	for (i = 0; i < hl.nfields; i++) {
		FUZZ_CHECK(hl.fields[i].start >= raw &&
		    hl.fields[i].start + hl.fields[i].len <= raw + len,
		    "field outside the input");
		v = header_value(&hl, i);
		FUZZ_CHECK(v != NULL, "header_value NULL");
		d = header_decode(v);
		FUZZ_CHECK(d != NULL && fuzz_utf8_valid(d),
		    "decoded field not UTF-8");
		free(d);
		free(v);
	}
	(void)header_find(&hl, "subject", 0);
	header_list_free(&hl);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	char	*raw, *s, *d1, *e, *d2;
	size_t	 i;

	if ((raw = malloc(len ? len : 1)) == NULL)
		abort();
	if (len > 0)
		memcpy(raw, data, len);
	fuzz_header_split(raw, len);
	free(raw);

	s = fuzz_cstr(data, len);
	d1 = header_decode(s);
	FUZZ_CHECK(d1 != NULL, "header_decode returned NULL");
	FUZZ_CHECK(fuzz_utf8_valid(d1), "header_decode result not UTF-8");
	e = header_encode(d1, 7);
	FUZZ_CHECK(e != NULL, "header_encode returned NULL");
	for (i = 0; e[i] != '\0'; i++)
		FUZZ_CHECK((unsigned char)e[i] < 0x80,
		    "header_encode result not ASCII");
	d2 = header_decode(e);
	FUZZ_CHECK(d2 != NULL, "header_decode(encode) returned NULL");
	FUZZ_CHECK(fuzz_utf8_valid(d2), "round trip result not UTF-8");
	free(d2);
	free(e);
	free(d1);
	free(s);
	return 0;
}
