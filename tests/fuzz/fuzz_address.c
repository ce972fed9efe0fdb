/*
 * fuzz_address: address_normalize(), address_split() and address_equal()
 * on arbitrary strings.
 *
 * Contract checked (src/mail/address.h): address_normalize() returns NULL
 * or "local@domain" with a non-empty local part and domain, the domain
 * in lower case ASCII with no trailing dot.  With FUZZ_STRICT=1 also:
 * normalizing that result again gives the same address (idempotence),
 * address_split() of it succeeds and address_equal() holds between the
 * input and the result.
 */
#include "config.h"

#include <ctype.h>

#include "fuzz.h"
#include "mail/address.h"

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_log_init("fuzz_address");
	return 0;
}

static void
fuzz_address_check(const char *in, const char *a)
{
	const char	*at, *p;
	char		*again, *local, *domain;

	at = strrchr(a, '@');
	FUZZ_CHECK(at != NULL && at != a && at[1] != '\0',
	    "result is not local@domain");
	for (p = at + 1; *p != '\0'; p++)
		FUZZ_CHECK((unsigned char)*p < 0x80 &&
		    !isupper((unsigned char)*p), "domain not lower-case ASCII");
	FUZZ_CHECK(p[-1] != '.', "domain ends with a dot");
	again = address_normalize(a);
	FUZZ_STRICT(again != NULL, "normalized address does not normalize");
	FUZZ_STRICT(again == NULL || strcmp(again, a) == 0,
	    "address_normalize not idempotent");
	free(again);
	if (address_split(a, &local, &domain) == 0) {
		free(local);
		free(domain);
	} else
		FUZZ_STRICT(0, "address_split fails on a normalized address");
	FUZZ_STRICT(address_equal(in, a, 0) == 1, "input differs from itself");
	(void)address_equal(in, a, 1);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	char	*in, *a;

	in = fuzz_cstr(data, len);
	a = address_normalize(in);
	if (a != NULL)
		fuzz_address_check(in, a);
	free(a);
	free(in);
	return 0;
}
