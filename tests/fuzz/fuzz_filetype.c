/*
 * fuzz_filetype: filetype_sniff() and filetype_of() on arbitrary bytes.
 *
 * Contract checked (src/util/filetype.h): reading stays within the given
 * length (the sanitizers see to that; the input is copied to a buffer of
 * exactly that size); the kind is one of the documented names or NULL;
 * filetype_of() agrees with the extension it was given.
 */
#include "config.h"

#include "util/filetype.h"
#include "fuzz.h"

static int
known(const char *t)
{
	static const char *const names[] = { "pdf", "docx", "xlsx", "pptx",
	    "odt", "ods", "odp", "zip", "ole" };
	size_t	i;

	for (i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcmp(t, names[i]) == 0)
			return 1;
	return 0;
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_log_init("fuzz_filetype");
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	static const char *const exts[] = { "a.docx", "a.zip", "a.pdf",
	    "a.doc", "a.odt", "a" };
	unsigned char	*copy = malloc(len ? len : 1);
	const char	*t;
	size_t		 i;

	memcpy(copy, data, len);
	t = filetype_sniff(copy, len);
	FUZZ_CHECK(t == NULL || known(t), "unknown kind");
	for (i = 0; i < sizeof exts / sizeof exts[0]; i++) {
		t = filetype_of(exts[i], copy, len);
		FUZZ_CHECK(t == NULL || strcmp(strrchr(exts[i], '.') ?
		    strrchr(exts[i], '.') + 1 : "", t) == 0,
		    "kind disagrees with the extension");
	}
	free(copy);
	return 0;
}
